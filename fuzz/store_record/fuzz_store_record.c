/*
 * fuzz_store_record.c — the decoders of the store's on-disk bytes, which a
 * damaged disk can make arbitrary: log store values (tx records, root
 * records, segment locations, segment record payloads), the data file header,
 * a walk over a data file's frames, and data file recovery on a real file.
 *
 * The first input byte picks the decoder; the rest is its input. Never
 * crashes, never reads out of bounds; every accepted value re-encodes to the
 * exact input (canonical forms only), and recovery keeps only whole frames.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/logstore_internal.h"
#include "zg/codec.h"
#include "zg/datafile.h"
#include "zg/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_recover(const uint8_t *p, size_t n) {
  static char dir[64];
  char path[128];
  if (!dir[0]) {
    zg_log_set_level(ZG_LOG_OFF);
    snprintf(dir, sizeof dir, "/tmp/zg_fuzz_store_%d", (int)getpid());
  }
  /* Only file 0 ever exists (recovery never rolls): start it afresh. */
  snprintf(path, sizeof path, "%s/00000000.zgd", dir);
  unlink(path);
  zg_datafile_t *df = NULL;
  zg_datafile_opts_t o = {.no_sync = true};
  if (zg_datafile_open(&df, dir, &o) != ZG_OK) abort();
  zg_datafile_close(df);
  /* File 0 = a valid header followed by the fuzz bytes. */
  FILE *f = fopen(path, "ab");
  if (!f || fwrite(p, 1, n, f) != n) abort();
  fclose(f);
  if (zg_datafile_open(&df, dir, &o) != ZG_OK) abort();
  zg_datafile_pos_t end;
  if (zg_datafile_recover(df, &end) != ZG_OK) abort();
  /* Everything kept must walk as whole frames. */
  size_t off = 0, keep = (size_t)(end.off - ZG_DATAFILE_HEADER_SIZE);
  if (keep > n) abort();
  while (off < keep) {
    zg_slice_t pl;
    size_t used;
    if (zg_codec_frame_parse(&pl, &used, p + off, keep - off, ZG_CODEC_FRAME_MAX) != ZG_OK) abort();
    off += used;
  }
  zg_datafile_close(df);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const uint8_t *p = data + 1;
  size_t n = size - 1;
  zg_buf_t b;
  zg_buf_init(&b);
  switch (data[0] % 7) {
    case 0: {
      zg_logstore_tx_t tx;
      if (zg__logstore_tx_decode(&tx, p, n) == ZG_OK) {
        if (zg__logstore_tx_encode(&b, &tx) != ZG_OK || b.len != n || memcmp(b.ptr, p, n) != 0) abort();
      }
      break;
    }
    case 1: {
      zg_logstore_root_info_t ri;
      uint8_t out[ZG__ROOTREC_LEN];
      if (zg__logstore_root_decode(&ri, p, n) == ZG_OK) {
        zg__logstore_root_encode(out, &ri);
        if (n != sizeof out || memcmp(out, p, n) != 0) abort();
      }
      break;
    }
    case 2: {
      zg_datafile_loc_t loc;
      uint8_t out[ZG__LOCREC_LEN];
      if (zg__logstore_loc_decode(&loc, p, n) == ZG_OK) {
        zg__logstore_loc_encode(out, &loc);
        if (n != sizeof out || memcmp(out, p, n) != 0) abort();
      }
      break;
    }
    case 3: {
      uint8_t root[32];
      uint64_t index;
      zg_slice_t d;
      if (zg__logstore_segrec_decode(root, &index, &d, p, n) == ZG_OK) {
        if (d.ptr != p + 40 || d.len != n - 40 || memcmp(root, p, 32) != 0) abort();
      }
      break;
    }
    case 4: {
      uint32_t id;
      uint8_t out[16];
      if (zg__datafile_header_parse(&id, p, n) == ZG_OK) {
        zg__datafile_header_make(out, id);
        if (memcmp(out, p, 16) != 0) abort();
      }
      break;
    }
    case 5: {
      /* A data file's records in memory: frames, each a segment record. */
      size_t off = 0;
      while (off < n) {
        zg_slice_t pl, d;
        size_t used;
        uint8_t root[32];
        uint64_t index;
        if (zg_codec_frame_parse(&pl, &used, p + off, n - off, 40 + (1u << 18)) != ZG_OK) break;
        (void)zg__logstore_segrec_decode(root, &index, &d, pl.ptr, pl.len);
        off += used;
      }
      break;
    }
    default:
      if (n <= (1u << 20)) fuzz_recover(p, n);
      break;
  }
  zg_buf_clear(&b);
  return 0;
}

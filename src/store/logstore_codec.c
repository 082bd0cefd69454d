/*
 * logstore_codec.c — the on-disk values of the log store (zg/logstore.h),
 * in the canonical codec of zg/codec.h. docs/store.md lists the layouts.
 *
 * Every decoder takes bytes read from disk, which may be damaged: it accepts
 * only the canonical encoding of a valid value and returns ZG_ECORRUPT for
 * anything else, with its outputs zeroed. Encoders reject invalid values
 * with ZG_EINVAL.
 */
#include <string.h>

#include "store/logstore_internal.h"
#include "zg/codec.h"

#define TX_VERSION 1
#define ROOT_VERSION 1

uint64_t zg_logstore_tx_segments(uint64_t size) {
  uint64_t sectors = size / ZG_LOGSTORE_SECTOR + (size % ZG_LOGSTORE_SECTOR != 0);
  return sectors / ZG_LOGSTORE_SEGMENT_SECTORS + (sectors % ZG_LOGSTORE_SEGMENT_SECTORS != 0);
}

size_t zg_logstore_segment_len(uint64_t size, uint64_t index) {
  uint64_t nseg = zg_logstore_tx_segments(size);
  if (index >= nseg) return 0;
  if (index + 1 < nseg) return ZG_LOGSTORE_SEGMENT;
  uint64_t rest = size - index * ZG_LOGSTORE_SEGMENT;
  return (size_t)((rest + ZG_LOGSTORE_SECTOR - 1) / ZG_LOGSTORE_SECTOR * ZG_LOGSTORE_SECTOR);
}

bool zg__logstore_tx_valid(const zg_logstore_tx_t *tx) {
  if (tx->size == 0 || tx->size > ZG_LOGSTORE_MAX_SIZE) return false;
  if (tx->nnodes < 1 || tx->nnodes > ZG_LOGSTORE_MAX_NODES) return false;
  for (uint32_t i = 0; i < tx->nnodes; i++)
    if (tx->nodes[i].height >= 64) return false;
  return tx->status <= ZG_LOGSTORE_FINALIZED;
}

zg_err_t zg__logstore_tx_encode(zg_buf_t *out, const zg_logstore_tx_t *tx) {
  zg_codec_writer_t w;
  if (!out || !tx || !zg__logstore_tx_valid(tx)) return ZG_EINVAL;
  zg_codec_writer_init(&w, out);
  zg_codec_put_u8(&w, TX_VERSION);
  zg_codec_put_u64(&w, tx->seq);
  zg_codec_put_fixed(&w, tx->root, 32);
  zg_codec_put_u64(&w, tx->size);
  zg_codec_put_u64(&w, tx->start_pos);
  zg_codec_put_count(&w, tx->nnodes);
  for (uint32_t i = 0; i < tx->nnodes; i++) {
    zg_codec_put_fixed(&w, tx->nodes[i].root, 32);
    zg_codec_put_u32(&w, tx->nodes[i].height);
  }
  zg_codec_put_u8(&w, tx->status);
  return zg_codec_writer_finish(&w);
}

zg_err_t zg__logstore_tx_decode(zg_logstore_tx_t *out, const uint8_t *p, size_t len) {
  zg_codec_reader_t r;
  uint8_t version = 0;
  size_t n = 0;
  memset(out, 0, sizeof *out);
  zg_codec_reader_init(&r, p, len);
  zg_codec_get_u8(&r, &version);
  if (version != TX_VERSION) zg_codec_reader_fail(&r, ZG_ECORRUPT);
  zg_codec_get_u64(&r, &out->seq);
  zg_codec_get_fixed(&r, out->root, 32);
  zg_codec_get_u64(&r, &out->size);
  zg_codec_get_u64(&r, &out->start_pos);
  zg_codec_get_count(&r, &n, ZG_LOGSTORE_MAX_NODES, 36);
  out->nnodes = (uint32_t)n;
  for (size_t i = 0; i < n; i++) {
    zg_codec_get_fixed(&r, out->nodes[i].root, 32);
    zg_codec_get_u32(&r, &out->nodes[i].height);
  }
  zg_codec_get_u8(&r, &out->status);
  zg_err_t err = zg_codec_reader_finish(&r);
  if (err == ZG_OK && !zg__logstore_tx_valid(out)) err = ZG_ECORRUPT;
  if (err != ZG_OK) {
    memset(out, 0, sizeof *out);
    return ZG_ECORRUPT;
  }
  return ZG_OK;
}

void zg__logstore_root_encode(uint8_t out[ZG__ROOTREC_LEN], const zg_logstore_root_info_t *ri) {
  out[0] = ROOT_VERSION;
  zg_store_be64(out + 1, ri->segments);
  zg_store_be64(out + 9, ri->present);
}

zg_err_t zg__logstore_root_decode(zg_logstore_root_info_t *out, const uint8_t *p, size_t len) {
  memset(out, 0, sizeof *out);
  if (len != ZG__ROOTREC_LEN || p[0] != ROOT_VERSION) return ZG_ECORRUPT;
  uint64_t segs = zg_load_be64(p + 1), present = zg_load_be64(p + 9);
  if (present > segs || segs > zg_logstore_tx_segments(ZG_LOGSTORE_MAX_SIZE)) return ZG_ECORRUPT;
  out->segments = segs;
  out->present = present;
  return ZG_OK;
}

void zg__logstore_loc_encode(uint8_t out[ZG__LOCREC_LEN], const zg_datafile_loc_t *loc) {
  zg_store_be32(out, loc->file);
  zg_store_be64(out + 4, loc->off);
  zg_store_be32(out + 12, loc->len);
}

zg_err_t zg__logstore_loc_decode(zg_datafile_loc_t *out, const uint8_t *p, size_t len) {
  memset(out, 0, sizeof *out);
  if (len != ZG__LOCREC_LEN) return ZG_ECORRUPT;
  uint32_t n = zg_load_be32(p + 12);
  uint64_t off = zg_load_be64(p + 4);
  /* A segment record holds the 40-byte header and 256..256 KiB of data. */
  if (n < ZG__SEGHDR_LEN + ZG_LOGSTORE_SECTOR || n > ZG__SEGHDR_LEN + ZG_LOGSTORE_SEGMENT ||
      (n - ZG__SEGHDR_LEN) % ZG_LOGSTORE_SECTOR != 0 || off < ZG_DATAFILE_HEADER_SIZE ||
      off > ((uint64_t)1 << 62))
    return ZG_ECORRUPT;
  out->file = zg_load_be32(p);
  out->off = off;
  out->len = n;
  return ZG_OK;
}

void zg__logstore_seghdr_encode(uint8_t out[ZG__SEGHDR_LEN], const uint8_t root[32], uint64_t index) {
  memcpy(out, root, 32);
  zg_store_be64(out + 32, index);
}

zg_err_t zg__logstore_segrec_decode(uint8_t root[32], uint64_t *index, zg_slice_t *data, const uint8_t *p,
                                    size_t len) {
  memset(root, 0, 32);
  *index = 0;
  *data = zg_slice(NULL, 0);
  if (len < ZG__SEGHDR_LEN + ZG_LOGSTORE_SECTOR || len > ZG__SEGHDR_LEN + ZG_LOGSTORE_SEGMENT ||
      (len - ZG__SEGHDR_LEN) % ZG_LOGSTORE_SECTOR != 0)
    return ZG_ECORRUPT;
  memcpy(root, p, 32);
  *index = zg_load_be64(p + 32);
  *data = zg_slice(p + ZG__SEGHDR_LEN, len - ZG__SEGHDR_LEN);
  return ZG_OK;
}

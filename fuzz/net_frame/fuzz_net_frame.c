/* fuzz_net_frame.c — the record layer and the message envelope of the P2P
 * protocol (net_internal.h), as the node's receive path uses them. The first
 * input byte picks a mode:
 *   0: the rest is a raw byte stream from a peer: frame lengths are peeked,
 *      records opened (almost always refused: no valid tag) and decoded;
 *   1: the rest is one envelope: decoded, and an accepted one re-encodes to
 *      the same header;
 *   2: the rest is split into plaintexts that are sealed by the sending side
 *      and fed back through the stream parser, so that arbitrary authentic
 *      envelopes reach the decoder; each must open to its plaintext.
 * No input may crash; every invariant failure aborts. */
#include <stdlib.h>
#include <string.h>

#include "net/net_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sessions(zg__net_session_t *d, zg__net_session_t *l) {
  zg_x25519_sk_t ds, ls;
  zg_x25519_pk_t dp, lp;
  memset(ds.bytes, 0x11, 32);
  memset(ls.bytes, 0x22, 32);
  if (zg_x25519_public(&dp, &ds) != ZG_OK || zg_x25519_public(&lp, &ls) != ZG_OK) abort();
  if (zg__net_session_derive(d, true, &ds, &dp, &lp, (const uint8_t *)"fuzz", 4) != ZG_OK) abort();
  if (zg__net_session_derive(l, false, &ls, &lp, &dp, (const uint8_t *)"fuzz", 4) != ZG_OK) abort();
}

/* The node's receive loop over a buffer; returns the bytes consumed. */
static size_t parse_stream(zg__net_cipher_t *rx, uint8_t *buf, size_t n, size_t max_ct) {
  size_t off = 0, total;
  while (off < n) {
    if (zg__net_record_peek(&total, buf + off, n - off, max_ct) != ZG_OK || total == 0) break;
    if (total > n - off || total < ZG__NET_REC_OVERHEAD) abort();
    if (zg__net_record_open(rx, buf + off, total) != ZG_OK) break;
    zg__net_msg_t m;
    if (zg__net_msg_decode(&m, buf + off + 4, total - ZG__NET_REC_OVERHEAD) == ZG_OK) {
      if (m.body + m.body_len != buf + off + total - ZG__NET_TAG_LEN) abort();
    }
    off += total;
  }
  return off;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static zg__net_session_t d0, l0;
  static int init;
  if (!init) {
    sessions(&d0, &l0);
    init = 1;
  }
  if (size < 1) return 0;
  uint8_t mode = data[0] % 3;
  data++;
  size--;
  zg__net_session_t d = d0, l = l0;
  if (mode == 0) {
    uint8_t *buf = malloc(size + 1);
    memcpy(buf, data, size);
    (void)parse_stream(&l.rx, buf, size, 1u << 16);
    free(buf);
  } else if (mode == 1) {
    zg__net_msg_t m;
    if (zg__net_msg_decode(&m, data, size) == ZG_OK) {
      uint8_t hdr[ZG__NET_MSG_MAX_HDR];
      size_t hl = zg__net_msg_encode_hdr(hdr, &m);
      if (hl != zg__net_msg_hdr_len(data[0]) || hl + m.body_len != size || memcmp(hdr, data, hl) != 0) abort();
    }
  } else {
    /* plaintexts: each chunk is prefixed by one length byte in the input */
    uint8_t *stream = malloc(size * 2 + 64 * ZG__NET_REC_OVERHEAD);
    size_t sl = 0, i = 0, nrec = 0;
    while (i < size && nrec < 64) {
      size_t n = data[i++];
      if (n == 0 || n > size - i) n = size - i;
      if (n == 0) break;
      memcpy(stream + sl + 4, data + i, n);
      if (zg__net_record_seal(&d.tx, stream + sl, n) != ZG_OK) abort();
      sl += n + ZG__NET_REC_OVERHEAD;
      i += n;
      nrec++;
    }
    size_t used = parse_stream(&l.rx, stream, sl, UINT32_MAX);
    if (used != sl || l.rx.ctr != nrec) abort();
    free(stream);
  }
  return 0;
}

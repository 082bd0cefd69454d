/*
 * batch.c — transaction batches: codec encoding, id, strict decoding with
 * limits, and decode + sender recovery of every transaction (zg/batch.h).
 *
 * Invariants. A decoded zg_batch_t has 1 <= n <= max_txs and every
 * txs[i] a non-empty view into the encoding of at most ZG_TX_MAX_SIZE
 * bytes; the encoding was at most max_bytes long and had nothing after the
 * list. zg_batch_recover allocates nothing: each tx is decoded in place into
 * the caller's array, and only cache misses pay a secp256k1 recovery.
 */
#include "zg/batch.h"

#include <stdlib.h>
#include <string.h>

#include "zg/codec.h"
#include "zg/hash.h"

void zg_batch_init(zg_batch_t *b) { memset(b, 0, sizeof *b); }

void zg_batch_free(zg_batch_t *b) {
  if (!b) return;
  free(b->txs);
  memset(b, 0, sizeof *b);
}

zg_err_t zg_batch_encode(zg_buf_t *out, uint8_t lane, const zg_slice_t *txs, size_t n) {
  if (!out || !txs || n == 0) return ZG_EINVAL;
  size_t total = 5;
  for (size_t i = 0; i < n; i++) {
    if (!txs[i].ptr || txs[i].len == 0) return ZG_EINVAL;
    if (txs[i].len > ZG_TX_MAX_SIZE) return ZG_ETOOBIG;
    total += 4 + txs[i].len;
  }
  ZG_TRY(zg_buf_reserve(out, total));
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, out);
  zg_codec_put_u8(&w, lane);
  zg_codec_put_count(&w, n);
  for (size_t i = 0; i < n; i++) zg_codec_put_bytes(&w, txs[i].ptr, txs[i].len);
  return zg_codec_writer_finish(&w);
}

void zg_batch_id(uint8_t id[32], const uint8_t *enc, size_t len) { zg_keccak256(id, enc, len); }

zg_err_t zg_batch_decode(zg_batch_t *b, const uint8_t *enc, size_t len, const zg_batch_limits_t *lim) {
  if (!b) return ZG_EINVAL;
  b->n = 0;
  b->lane = 0;
  if (!enc && len) return ZG_EINVAL;
  size_t max_txs = lim && lim->max_txs ? lim->max_txs : ZG_BATCH_MAX_TXS;
  size_t max_bytes = lim && lim->max_bytes ? lim->max_bytes : ZG_BATCH_MAX_BYTES;
  if (len > max_bytes) return ZG_ETOOBIG;
  zg_codec_reader_t r;
  zg_codec_reader_init(&r, enc, len);
  uint8_t lane;
  size_t count;
  zg_codec_get_u8(&r, &lane);
  /* min_elem 5: a u32 length and at least one byte per tx. */
  zg_codec_get_count(&r, &count, max_txs, 5);
  ZG_TRY(zg_codec_reader_err(&r));
  if (count == 0) return ZG_EEMPTY;
  if (count > b->cap) {
    zg_slice_t *nt = realloc(b->txs, count * sizeof *nt);
    if (!nt) return ZG_ENOMEM;
    b->txs = nt;
    b->cap = count;
  }
  for (size_t i = 0; i < count; i++) {
    uint32_t tlen;
    zg_slice_t s;
    zg_codec_get_u32(&r, &tlen);
    ZG_TRY(zg_codec_reader_err(&r));
    if (tlen > ZG_TX_MAX_SIZE) return ZG_ETOOBIG;
    zg_codec_get_fixed_view(&r, &s, tlen);
    ZG_TRY(zg_codec_reader_err(&r));
    if (s.len == 0) return ZG_EEMPTY;
    b->txs[i] = s;
  }
  ZG_TRY(zg_codec_reader_finish(&r));
  b->lane = lane;
  b->n = count;
  return ZG_OK;
}

zg_err_t zg_batch_recover(zg_batch_tx_t *out, size_t *recovered, const zg_batch_t *b, uint64_t chain_id,
                          unsigned lanes, zg_tx_cache_t *cache) {
  if (recovered) *recovered = 0;
  if (!b || (!out && b->n)) return ZG_EINVAL;
  size_t misses = 0;
  for (size_t i = 0; i < b->n; i++) {
    zg_batch_tx_t *o = &out[i];
    memset(&o->sender, 0, sizeof o->sender);
    /* The signing hash is only computed on a cache miss (by zg_tx_sender). */
    o->err = zg_tx_decode_nosighash(&o->tx, b->txs[i].ptr, b->txs[i].len, chain_id);
    if (o->err != ZG_OK) continue;
    bool hit = false;
    o->err = zg_tx_sender_cached(&o->sender, &hit, &o->tx, cache);
    misses += !hit;
    if (o->err == ZG_OK && lanes && zg_tx_lane_of(&o->sender, lanes) != b->lane) o->err = ZG_ELANE;
  }
  if (recovered) *recovered = misses;
  return ZG_OK;
}

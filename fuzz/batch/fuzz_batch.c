/* fuzz_batch.c — batch decoding (zg/batch.h) on arbitrary bytes: no crash,
 * no read outside the input, every accepted batch re-encodes to exactly the
 * input and honours the limits, and decode + recovery of its txs (through a
 * small sender cache, so repeated txs are also exercised) never fails as a
 * whole. */
#include <stdlib.h>
#include <string.h>

#include "zg/batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static zg_tx_cache_t *cache;
  if (!cache && zg_tx_cache_create(&cache, 64) != ZG_OK) abort();
  zg_batch_t b;
  zg_batch_init(&b);
  zg_batch_limits_t lim = {64, 1u << 20};
  if (zg_batch_decode(&b, data, size, &lim) != ZG_OK) {
    if (b.n != 0) abort();
    zg_batch_free(&b);
    return 0;
  }
  if (b.n == 0 || b.n > 64 || size > (1u << 20)) abort();
  zg_buf_t enc;
  zg_buf_init(&enc);
  if (zg_batch_encode(&enc, b.lane, b.txs, b.n) != ZG_OK) abort();
  if (enc.len != size || memcmp(enc.ptr, data, size) != 0) abort();
  zg_buf_clear(&enc);
  zg_batch_tx_t *out = calloc(b.n, sizeof *out);
  size_t rec;
  if (!out || zg_batch_recover(out, &rec, &b, 0, 2, cache) != ZG_OK) abort();
  if (rec > b.n) abort();
  free(out);
  zg_batch_free(&b);
  return 0;
}

/* fuzz_rlp.c — the strict RLP reader on arbitrary bytes: no crash, no read
 * outside the input, and every accepted input re-encodes through the writer
 * to exactly the same bytes (canonical forms only). Every element is also
 * fed to the typed accessors, which must never crash. */
#include <stdlib.h>
#include <string.h>

#include "zg/rlp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void poke(const zg_rlp_item_t *it) {
  uint8_t w[32], addr[20];
  uint64_t u;
  zg_slice_t s;
  (void)!zg_rlp_item_u64(&u, it);
  (void)!zg_rlp_item_uint(w, 32, it);
  (void)!zg_rlp_item_fixed(addr, 20, it);
  (void)!zg_rlp_item_bytes(&s, it);
}

static zg_err_t reencode(zg_rlp_writer_t *w, const zg_rlp_item_t *it) {
  poke(it);
  if (it->kind == ZG_RLP_STRING) return zg_rlp_put_bytes(w, it->payload.ptr, it->payload.len);
  ZG_TRY(zg_rlp_list_begin(w));
  zg_rlp_iter_t i;
  ZG_TRY(zg_rlp_iter_init(&i, it));
  while (!zg_rlp_iter_done(&i)) {
    zg_rlp_item_t e;
    ZG_TRY(zg_rlp_next(&i, &e));
    ZG_TRY(reencode(w, &e));
  }
  ZG_TRY(zg_rlp_iter_finish(&i));
  return zg_rlp_list_end(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  zg_rlp_item_t it;
  size_t used = 0;
  zg_err_t e = zg_rlp_decode(&it, data, size);
  zg_err_t p = zg_rlp_decode_prefix(&it, &used, data, size);
  /* decode accepts exactly when the prefix decoder takes the whole input. */
  if ((e == ZG_OK) != (p == ZG_OK && used == size)) abort();
  if (e != ZG_OK) return 0;
  zg_buf_t b;
  zg_buf_init(&b);
  zg_rlp_writer_t w;
  zg_rlp_writer_init(&w, &b);
  if (reencode(&w, &it) != ZG_OK || zg_rlp_writer_finish(&w) != ZG_OK) abort();
  if (b.len != size || memcmp(b.ptr, data, size) != 0) abort();
  zg_buf_clear(&b);
  return 0;
}

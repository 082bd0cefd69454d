/* fuzz_eth_tx.c — Ethereum transaction decoding (zg/tx.h) on arbitrary
 * bytes: no crash, no read outside the input, and every accepted input is
 * canonical: zg_tx_encode of the decoded tx gives exactly the input back.
 * The arithmetic helpers and sender recovery run on every accepted tx, and
 * decoding under a chain id accepts a subset of decoding under any. */
#include <stdlib.h>
#include <string.h>

#include "zg/tx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  zg_tx_t tx, tx2;
  zg_err_t any = zg_tx_decode(&tx2, data, size, 0);
  zg_err_t e = zg_tx_decode(&tx, data, size, 16888);
  if (e == ZG_OK && any != ZG_OK) abort();
  if (any != ZG_OK) return 0;
  if (tx2.raw.ptr != data || tx2.raw.len != size) abort();
  zg_buf_t b;
  zg_buf_init(&b);
  if (zg_tx_encode(&b, &tx2) != ZG_OK) abort();
  if (b.len != size || memcmp(b.ptr, data, size) != 0) abort();
  zg_buf_clear(&b);
  zg_u256_t price, tip, cost, base = zg_u256_from_u64(1000000000);
  (void)!zg_tx_effective_gas_price(&price, &tip, &tx2, &base);
  (void)!zg_tx_max_cost(&cost, &tx2);
  (void)!zg_tx_check(&tx2);
  (void)zg_tx_intrinsic_gas(&tx2);
  zg_eth_addr_t who;
  (void)!zg_tx_sender(&who, &tx2);
  return 0;
}

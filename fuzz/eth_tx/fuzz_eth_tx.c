/* fuzz_eth_tx.c — Ethereum transaction decoding (zg/tx.h) on arbitrary
 * bytes: no crash, no read outside the input, and every accepted input is
 * canonical: zg_tx_encode of the decoded tx gives exactly the input back.
 * The arithmetic helpers and sender recovery run on every accepted tx,
 * decoding under a chain id accepts a subset of decoding under any, and
 * decoding without the signing hash recovers the same sender. */
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
  /* Decoding without the signing hash agrees, and so does the sender
   * recovered with the hash computed on demand. */
  zg_tx_t lazy;
  if (zg_tx_decode_nosighash(&lazy, data, size, 0) != ZG_OK || lazy.has_sighash || !tx2.has_sighash) abort();
  if (memcmp(lazy.hash, tx2.hash, 32) != 0 || lazy.nonce != tx2.nonce || lazy.chain_id != tx2.chain_id) abort();
  zg_eth_addr_t who, who2;
  zg_err_t r1 = zg_tx_sender(&who, &tx2), r2 = zg_tx_sender(&who2, &lazy);
  if (r1 != r2 || (r1 == ZG_OK && memcmp(who.bytes, who2.bytes, 20) != 0)) abort();
  return 0;
}

/*
 * exec_receipt.c — the Ethereum-shaped commitments of a block
 * (zg/exec.h): typed receipt encoding, the 2048-bit logs bloom, and the
 * keccak binary Merkle root of transactions and receipts.
 *
 * Invariants: the receipt encoding is byte-for-byte what go-ethereum
 * hashes for a receipt (status as the integer 0/1, cumulative gas, bloom,
 * logs as [address, [topics], data]; a type byte before the RLP of typed
 * transactions), so an Ethereum tool that recomputes a receipt hash from
 * our eth_getTransactionReceipt gets the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "zg/exec.h"
#include "zg/hash.h"
#include "zg/rlp.h"

static void bloom_add_one(uint8_t bloom[256], const uint8_t *p, size_t n) {
  uint8_t h[32];
  zg_keccak256(h, p, n);
  for (int i = 0; i < 6; i += 2) {
    unsigned bit = ((unsigned)h[i] << 8 | h[i + 1]) & 2047u;
    bloom[255 - (bit >> 3)] |= (uint8_t)(1u << (bit & 7));
  }
}

void zg_exec_bloom_add(uint8_t bloom[256], const uint8_t *address, const uint8_t (*topics)[32],
                       unsigned n_topics) {
  bloom_add_one(bloom, address, 20);
  for (unsigned i = 0; i < n_topics; i++) bloom_add_one(bloom, topics[i], 32);
}

zg_err_t zg_exec_receipt_encode(zg_buf_t *out, const zg_exec_receipt_t *r) {
  if (!out || !r) return ZG_EINVAL;
  size_t start = out->len;
  zg_err_t e = ZG_OK;
  if (r->type != 0) e = zg_buf_push(out, r->type);
  zg_rlp_writer_t w;
  zg_rlp_writer_init(&w, out);
#define T(x)         \
  do {               \
    if (!e) e = (x); \
  } while (0)
  T(zg_rlp_list_begin(&w));
  T(zg_rlp_put_u64(&w, r->status));
  T(zg_rlp_put_u64(&w, r->cumulative_gas));
  T(zg_rlp_put_bytes(&w, r->bloom, 256));
  T(zg_rlp_list_begin(&w));
  for (size_t i = 0; i < r->n_logs && !e; i++) {
    const zg_exec_log_t *l = &r->logs[i];
    T(zg_rlp_list_begin(&w));
    T(zg_rlp_put_bytes(&w, l->address.bytes, 20));
    T(zg_rlp_list_begin(&w));
    for (unsigned t = 0; t < l->n_topics; t++) T(zg_rlp_put_bytes(&w, l->topics[t], 32));
    T(zg_rlp_list_end(&w));
    T(zg_rlp_put_bytes(&w, l->data, l->data_len));
    T(zg_rlp_list_end(&w));
  }
  T(zg_rlp_list_end(&w));
  T(zg_rlp_list_end(&w));
  T(zg_rlp_writer_finish(&w));
#undef T
  if (e) out->len = start;
  return e;
}

zg_err_t zg_exec_merkle_root(uint8_t out[32], const uint8_t (*leaves)[32], size_t n) {
  if (!out || (n && !leaves)) return ZG_EINVAL;
  if (n == 0) {
    zg_keccak256(out, "", 0);
    return ZG_OK;
  }
  if (n == 1) {
    memcpy(out, leaves[0], 32);
    return ZG_OK;
  }
  size_t m = (n + 1) / 2;
  uint8_t(*lv)[32] = malloc(m * sizeof *lv);
  if (!lv) return ZG_ENOMEM;
  /* First level from the leaves, then in place: node i of the next level
   * only reads nodes 2i and 2i+1 of this one, which are not yet overwritten. */
  for (size_t i = 0; i < n / 2; i++) zg_keccak256_pair(lv[i], leaves[2 * i], leaves[2 * i + 1]);
  if (n & 1) memcpy(lv[n / 2], leaves[n - 1], 32);
  n = m;
  while (n > 1) {
    for (size_t i = 0; i < n / 2; i++) zg_keccak256_pair(lv[i], lv[2 * i], lv[2 * i + 1]);
    if (n & 1) memmove(lv[n / 2], lv[n - 1], 32);
    n = (n + 1) / 2;
  }
  memcpy(out, lv[0], 32);
  free(lv);
  return ZG_OK;
}

void zg_exec_result_free(zg_exec_result_t *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n; i++) {
    for (size_t j = 0; j < r->receipts[i].n_logs; j++) free(r->receipts[i].logs[j].data);
    free(r->receipts[i].logs);
  }
  free(r->receipts);
  memset(r, 0, sizeof *r);
}

/*
 * eth_json.c — the JSON shapes of the Ethereum JSON-RPC (zg/eth_rpc.h):
 * blocks, transactions, receipts and logs as geth returns them and ethers.js
 * v6 parses them, plus the logs bloom, the log filter match and geth's
 * refusal messages that backends share.
 *
 * Shapes: QUANTITY is "0x" + lowercase hex without leading zeros ("0x0");
 * DATA is "0x" + two digits per byte; addresses are lowercase (as geth
 * writes them; clients apply EIP-55 themselves). Key order follows geth:
 * transactions and logs in its struct order, blocks and receipts (Go maps in
 * geth) alphabetically. Fields a BFT chain does not have get the values
 * geth gives a post-merge block: difficulty 0, nonce 0, no uncles
 * (sha3Uncles = keccak256(RLP([]))), empty extraData. Every block,
 * transaction, receipt and log carries an extra "lane" (docs/chain.md).
 *
 * Encoders return a new reference or NULL when out of memory; a failed
 * member insertion poisons the object, which is then released.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpc/eth_internal.h"
#include "zg/hash.h"

/* keccak256(RLP([])) = keccak256(0xc0): the uncle hash of a block without uncles. */
static const char EMPTY_UNCLES[] = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

json_t *zg__eth_qty(uint64_t v) {
  char s[24];
  snprintf(s, sizeof s, "0x%" PRIx64, v);
  return json_string(s);
}

json_t *zg__eth_qty_u256(const zg_u256_t *v) {
  char s[ZG_U256_HEX_MAX];
  zg_u256_to_quantity(s, v);
  return json_string(s);
}

json_t *zg__eth_qty_be32(const uint8_t b[32]) {
  zg_u256_t v;
  zg_u256_from_be32(&v, b);
  return zg__eth_qty_u256(&v);
}

json_t *zg__eth_data(const uint8_t *p, size_t n) {
  if (n > (SIZE_MAX - 3) / 2) return NULL;
  char *s = malloc(2 * n + 3);
  if (!s) return NULL;
  size_t len = zg_hex_encode(s, p, n);
  json_t *v = json_stringn_nocheck(s, len);
  free(s);
  return v;
}

json_t *zg__eth_addr(const zg_eth_addr_t *a) { return zg__eth_data(a->bytes, 20); }

static json_t *hash32(const uint8_t h[32]) { return zg__eth_data(h, 32); }

/* Sets o[k] = v (v stolen); returns non-zero when v is NULL or the insertion
 * fails, so that callers can OR the results. */
static int put(json_t *o, const char *k, json_t *v) { return json_object_set_new(o, k, v) != 0; }

/* Releases o and returns NULL when bad, else returns o. */
static json_t *done(json_t *o, int bad) {
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *access_list_json(const zg_eth_access_t *al, size_t n) {
  json_t *arr = json_array();
  int bad = !arr;
  for (size_t i = 0; !bad && i < n; i++) {
    json_t *keys = json_array(), *e = json_object();
    bad |= !keys || !e;
    for (size_t k = 0; !bad && k < al[i].n_keys; k++) bad |= json_array_append_new(keys, hash32(al[i].keys[k])) != 0;
    if (bad) {
      json_decref(keys);
      json_decref(e);
      break;
    }
    bad |= put(e, "address", zg__eth_addr(&al[i].address));
    bad |= put(e, "storageKeys", keys);
    bad |= json_array_append_new(arr, e) != 0;
  }
  return done(arr, bad);
}

/* v of the signature: yParity for typed transactions, 27/28 or
 * 35 + 2 chainId + yParity for legacy ones (computed in 256 bits: a chain id
 * near 2^64 must not wrap). */
static json_t *sig_v(const zg_eth_tx_t *tx) {
  if (tx->type != ZG_ETH_TX_LEGACY) return zg__eth_qty(tx->y_parity);
  if (!tx->eip155) return zg__eth_qty(27u + tx->y_parity);
  zg_u256_t v = zg_u256_from_u64(tx->chain_id), add = zg_u256_from_u64(35u + tx->y_parity);
  (void)zg_u256_mul_u64(&v, &v, 2);
  (void)zg_u256_add(&v, &v, &add);
  return zg__eth_qty_u256(&v);
}

json_t *zg__eth_tx_json(const zg_eth_tx_t *tx) {
  json_t *o = json_object();
  if (!o) return NULL;
  int bad = 0;
  bad |= put(o, "blockHash", tx->mined ? hash32(tx->block_hash) : json_null());
  bad |= put(o, "blockNumber", tx->mined ? zg__eth_qty(tx->block_number) : json_null());
  bad |= put(o, "from", zg__eth_addr(&tx->from));
  bad |= put(o, "gas", zg__eth_qty(tx->gas));
  bad |= put(o, "gasPrice", zg__eth_qty_u256(&tx->gas_price));
  if (tx->type == ZG_ETH_TX_DYNAMIC_FEE) {
    bad |= put(o, "maxFeePerGas", zg__eth_qty_u256(&tx->max_fee));
    bad |= put(o, "maxPriorityFeePerGas", zg__eth_qty_u256(&tx->max_priority_fee));
  }
  bad |= put(o, "hash", hash32(tx->hash));
  bad |= put(o, "input", zg__eth_data(tx->input, tx->input_len));
  bad |= put(o, "nonce", zg__eth_qty(tx->nonce));
  bad |= put(o, "to", tx->has_to ? zg__eth_addr(&tx->to) : json_null());
  bad |= put(o, "transactionIndex", tx->mined ? zg__eth_qty(tx->tx_index) : json_null());
  bad |= put(o, "value", zg__eth_qty_u256(&tx->value));
  bad |= put(o, "type", zg__eth_qty(tx->type));
  if (tx->type != ZG_ETH_TX_LEGACY) bad |= put(o, "accessList", access_list_json(tx->access_list, tx->n_access));
  if (tx->type != ZG_ETH_TX_LEGACY || tx->eip155) bad |= put(o, "chainId", zg__eth_qty(tx->chain_id));
  bad |= put(o, "v", sig_v(tx));
  bad |= put(o, "r", zg__eth_qty_be32(tx->r));
  bad |= put(o, "s", zg__eth_qty_be32(tx->s));
  if (tx->type != ZG_ETH_TX_LEGACY) bad |= put(o, "yParity", zg__eth_qty(tx->y_parity));
  bad |= put(o, "lane", zg__eth_qty(tx->lane));
  return done(o, bad);
}

json_t *zg__eth_log_json(const zg_eth_log_t *log) {
  json_t *o = json_object(), *topics = json_array();
  int bad = !o || !topics;
  for (size_t i = 0; !bad && i < log->n_topics; i++) bad |= json_array_append_new(topics, hash32(log->topics[i])) != 0;
  if (bad) {
    json_decref(topics);
    return done(o, 1);
  }
  bad |= put(o, "address", zg__eth_addr(&log->address));
  bad |= put(o, "topics", topics);
  bad |= put(o, "data", zg__eth_data(log->data, log->data_len));
  bad |= put(o, "blockNumber", zg__eth_qty(log->block_number));
  bad |= put(o, "transactionHash", hash32(log->tx_hash));
  bad |= put(o, "transactionIndex", zg__eth_qty(log->tx_index));
  bad |= put(o, "blockHash", hash32(log->block_hash));
  bad |= put(o, "logIndex", zg__eth_qty(log->log_index));
  bad |= put(o, "removed", json_false());
  bad |= put(o, "lane", zg__eth_qty(log->lane));
  return done(o, bad);
}

json_t *zg__eth_receipt_json(const zg_eth_receipt_t *r) {
  json_t *o = json_object(), *logs = json_array();
  int bad = !o || !logs;
  for (size_t i = 0; !bad && i < r->n_logs; i++) bad |= json_array_append_new(logs, zg__eth_log_json(&r->logs[i])) != 0;
  if (bad) {
    json_decref(logs);
    return done(o, 1);
  }
  bad |= put(o, "blockHash", hash32(r->block_hash));
  bad |= put(o, "blockNumber", zg__eth_qty(r->block_number));
  bad |= put(o, "contractAddress", json_null());
  bad |= put(o, "cumulativeGasUsed", zg__eth_qty(r->cumulative_gas_used));
  bad |= put(o, "effectiveGasPrice", zg__eth_qty_u256(&r->effective_gas_price));
  bad |= put(o, "from", zg__eth_addr(&r->from));
  bad |= put(o, "gasUsed", zg__eth_qty(r->gas_used));
  bad |= put(o, "lane", zg__eth_qty(r->lane));
  bad |= put(o, "logs", logs);
  bad |= put(o, "logsBloom", zg__eth_data(r->logs_bloom, 256));
  bad |= put(o, "status", zg__eth_qty(r->success ? 1 : 0));
  bad |= put(o, "to", r->has_to ? zg__eth_addr(&r->to) : json_null());
  bad |= put(o, "transactionHash", hash32(r->tx_hash));
  bad |= put(o, "transactionIndex", zg__eth_qty(r->tx_index));
  bad |= put(o, "type", zg__eth_qty(r->type));
  return done(o, bad);
}

json_t *zg__eth_block_json(const zg_eth_block_t *b, bool full) {
  static const uint8_t zero8[8] = {0};
  json_t *o = json_object(), *txs = json_array();
  int bad = !o || !txs;
  for (size_t i = 0; !bad && i < b->n_txs; i++)
    bad |= json_array_append_new(txs, full && b->txs ? zg__eth_tx_json(&b->txs[i]) : hash32(b->tx_hashes[i])) != 0;
  if (bad) {
    json_decref(txs);
    return done(o, 1);
  }
  bad |= put(o, "baseFeePerGas", zg__eth_qty_u256(&b->base_fee));
  bad |= put(o, "difficulty", zg__eth_qty(0));
  bad |= put(o, "extraData", json_string("0x"));
  bad |= put(o, "gasLimit", zg__eth_qty(b->gas_limit));
  bad |= put(o, "gasUsed", zg__eth_qty(b->gas_used));
  bad |= put(o, "hash", hash32(b->hash));
  bad |= put(o, "lane", zg__eth_qty(b->lane));
  bad |= put(o, "logsBloom", zg__eth_data(b->logs_bloom, 256));
  bad |= put(o, "miner", zg__eth_addr(&b->miner));
  bad |= put(o, "mixHash", hash32(b->mix_hash));
  bad |= put(o, "nonce", zg__eth_data(zero8, 8));
  bad |= put(o, "number", zg__eth_qty(b->number));
  bad |= put(o, "parentHash", hash32(b->parent_hash));
  bad |= put(o, "receiptsRoot", hash32(b->receipts_root));
  bad |= put(o, "sha3Uncles", json_string(EMPTY_UNCLES));
  bad |= put(o, "size", zg__eth_qty(b->size));
  bad |= put(o, "stateRoot", hash32(b->state_root));
  bad |= put(o, "timestamp", zg__eth_qty(b->timestamp_ms / 1000));
  bad |= put(o, "totalDifficulty", zg__eth_qty(0));
  bad |= put(o, "transactions", txs);
  bad |= put(o, "transactionsRoot", hash32(b->transactions_root));
  bad |= put(o, "uncles", json_array());
  return done(o, bad);
}

/* ---- Helpers for backends ---- */

void zg_eth_bloom_add(uint8_t bloom[256], const uint8_t *value, size_t len) {
  /* Ethereum's bloom: three 11-bit indexes from the first six bytes of the
   * value's Keccak-256, bit i set at byte 255 - i/8 (big-endian 2048 bits). */
  uint8_t h[32];
  zg_keccak256(h, value, len);
  for (int i = 0; i < 6; i += 2) {
    unsigned bit = ((unsigned)h[i] << 8 | h[i + 1]) & 2047u;
    bloom[255 - bit / 8] |= (uint8_t)(1u << (bit % 8));
  }
}

void zg_eth_bloom_add_log(uint8_t bloom[256], const zg_eth_addr_t *address, const uint8_t (*topics)[32],
                          size_t n_topics) {
  zg_eth_bloom_add(bloom, address->bytes, 20);
  for (size_t i = 0; i < n_topics; i++) zg_eth_bloom_add(bloom, topics[i], 32);
}

bool zg_eth_log_matches(const zg_eth_filter_t *f, const zg_eth_addr_t *address, const uint8_t (*topics)[32],
                        size_t n_topics) {
  if (f->n_addresses) {
    bool any = false;
    for (size_t i = 0; i < f->n_addresses && !any; i++) any = memcmp(f->addresses[i].bytes, address->bytes, 20) == 0;
    if (!any) return false;
  }
  for (size_t p = 0; p < f->n_topic_positions && p < 4; p++) {
    if (f->n_topic_options[p] == 0) continue; /* wildcard */
    if (p >= n_topics) return false;
    bool any = false;
    for (size_t i = 0; i < f->n_topic_options[p] && !any; i++) any = memcmp(f->topics[p][i], topics[p], 32) == 0;
    if (!any) return false;
  }
  return true;
}

const char *zg_eth_geth_message(zg_err_t e) {
  switch (e) {
  case ZG_ENONCE: return "nonce too low";
  case ZG_EFUNDS: return "insufficient funds for gas * price + value";
  case ZG_EGAS: return "intrinsic gas too low";
  case ZG_EFEE: return "transaction underpriced";
  case ZG_ECHAINID: return "invalid chain id for signer";
  case ZG_EPOOLFULL: return "txpool is full";
  case ZG_EEXIST: return "already known";
  case ZG_EBADSIG: case ZG_ESCALAR: return "invalid transaction v, r, s values";
  case ZG_ECRYPTO: return "invalid sender";
  case ZG_ETOOBIG: return "oversized data";
  case ZG_EREVERT: return "execution reverted";
  case ZG_ETRUNC: case ZG_ETRAILING: case ZG_ENONCANON:
    return "transaction could not be decoded";
  default: return zg_strerror(e);
  }
}

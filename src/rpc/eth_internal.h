/*
 * eth_internal.h — shared between the Ethereum JSON-RPC files: the JSON
 * encoders of the backend's views (eth_json.c) that the handlers (eth.c)
 * use. Every encoder returns a new reference, or NULL when out of memory.
 */
#ifndef ZG_RPC_ETH_INTERNAL_H
#define ZG_RPC_ETH_INTERNAL_H

#include <jansson.h>

#include "zg/eth_rpc.h"

/* "0x1a": Ethereum QUANTITY of a u64 / u256 / 32-byte big-endian number. */
json_t *zg__eth_qty(uint64_t v);
json_t *zg__eth_qty_u256(const zg_u256_t *v);
json_t *zg__eth_qty_be32(const uint8_t b[32]);
/* "0x" + 2n hex digits (DATA). */
json_t *zg__eth_data(const uint8_t *p, size_t n);
/* Lowercase "0x" + 40 hex digits. */
json_t *zg__eth_addr(const zg_eth_addr_t *a);

json_t *zg__eth_tx_json(const zg_eth_tx_t *tx);
json_t *zg__eth_log_json(const zg_eth_log_t *log);
json_t *zg__eth_receipt_json(const zg_eth_receipt_t *r);
/* full: b->txs holds n_txs views shown as objects; else hashes. */
json_t *zg__eth_block_json(const zg_eth_block_t *b, bool full);

/* ---- Parameters (eth_params.c) ----
 * Each decoder fails with ZG_EINVAL after recording a -32602 message naming
 * `what` in call, or with ZG_ENOMEM. */

/* A block named by a tag, a number or (for state queries, EIP-1898) a hash,
 * with the lane suffix "@L" of docs/chain.md resolved against lanes. */
typedef enum { ZG__ETH_NUMBER, ZG__ETH_LATEST, ZG__ETH_PENDING, ZG__ETH_EARLIEST, ZG__ETH_HASH } zg__eth_ref_kind_t;
typedef struct {
  zg__eth_ref_kind_t kind; /* LATEST covers latest, safe and finalized */
  uint64_t number;         /* NUMBER */
  uint8_t hash[32];        /* HASH */
  uint32_t lane;           /* 0 unless has_lane */
  bool has_lane;           /* a "@L" suffix was given */
} zg__eth_ref_t;

/* A block-number string: "latest", "pending", "safe", "finalized",
 * "earliest" or a 0x quantity below 2^63, each optionally "@L". */
ZG_WARN_UNUSED zg_err_t zg__eth_get_tag(zg_rpc_call_t *call, zg__eth_ref_t *ref, const json_t *v, uint32_t lanes,
                                       const char *what);
/* As zg__eth_get_tag, or an EIP-1898 object {"blockNumber": tag} or
 * {"blockHash": hash, "requireCanonical": bool}. NULL or JSON null: latest. */
ZG_WARN_UNUSED zg_err_t zg__eth_get_ref(zg_rpc_call_t *call, zg__eth_ref_t *ref, const json_t *v, uint32_t lanes,
                                       const char *what);
/* "0x" + 40 hex digits, any case (geth does not check EIP-55 here). */
ZG_WARN_UNUSED zg_err_t zg__eth_get_addr(zg_rpc_call_t *call, zg_eth_addr_t *out, const json_t *v, const char *what);
/* "0x" + an even number of hex digits, at most max bytes, appended to out. */
ZG_WARN_UNUSED zg_err_t zg__eth_get_data(zg_rpc_call_t *call, zg_buf_t *out, const json_t *v, size_t max,
                                        const char *what);
/* A 256-bit quantity: "0x" + 1..64 hex digits without leading zeros, or a
 * non-negative JSON integer. */
ZG_WARN_UNUSED zg_err_t zg__eth_get_u256(zg_rpc_call_t *call, zg_u256_t *out, const json_t *v, const char *what);
/* The transaction call object of eth_call and eth_estimateGas; the call
 * data is decoded into data (msg->data points into it). A chainId other
 * than chain_id is refused. */
ZG_WARN_UNUSED zg_err_t zg__eth_get_call(zg_rpc_call_t *call, zg_eth_call_t *msg, zg_buf_t *data, const json_t *v,
                                        uint64_t chain_id);
/* The filter object of eth_getLogs: addresses and topics into f (arrays in
 * arena), the block range as refs (from and to default to latest). Lanes of
 * from and to must agree. */
ZG_WARN_UNUSED zg_err_t zg__eth_get_filter(zg_rpc_call_t *call, zg_eth_filter_t *f, zg__eth_ref_t *from,
                                          zg__eth_ref_t *to, zg_arena_t *arena, const json_t *v, uint32_t lanes);

/* eth_feeHistory (eth_fees.c): params as geth takes them, result in its
 * shape; failures recorded in call as the other handlers do. */
ZG_WARN_UNUSED zg_err_t zg__eth_fee_history(zg_rpc_call_t *call, const zg_eth_backend_t *be, zg_arena_t *arena,
                                           const json_t *params, json_t **result);

#endif

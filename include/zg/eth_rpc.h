/*
 * zg/eth_rpc.h — the Ethereum JSON-RPC face of a validator node
 * (src/rpc/eth*.c): eth_, net_ and web3_ methods in geth's JSON shapes, over
 * a BACKEND vtable that the validator role implements (src/node). The RPC
 * layer owns everything JSON (parameter decoding, block tags, the lane
 * suffix, quantities, error codes and geth's messages); the backend answers
 * plain questions with the view structs below and never sees JSON.
 *
 * Lanes (docs/chain.md): a block is named by (lane, number). Block-number
 * parameters accept "0x1a@2" (lane 2) and "latest@2"; without a suffix the
 * lane is 0. Block and receipt JSON carry an extra "lane" field.
 * Transactions, receipts and blocks by hash are found on any lane.
 *
 * Block tags: latest, pending, safe and finalized are all the lane's last
 * committed block (BFT finality: a committed block is final); earliest is
 * number 0 (the backend serves number 0 as the genesis block, or not-found).
 * State queries (balance, nonce, code, call, estimate) run against the
 * latest committed state only: a block number other than the lane-0 head is
 * refused with -32000 (the node keeps no historical state); "pending" for
 * eth_getTransactionCount counts the node's mempool too.
 *
 * Memory: every view a backend fills may point at storage allocated from
 * the arena passed to it (zg_arena_alloc); the RPC layer keeps the views
 * only until the request's response is built and then frees the arena.
 * Fixed-size fields are copied into the view. The backend must not keep
 * pointers into the RPC layer's inputs past the call.
 *
 * Errors: a backend function returns ZG_OK, or ZG_ENOTFOUND where noted
 * (answered as JSON null), or a chain status (ZG_ENONCE, ZG_EFUNDS, ZG_EGAS,
 * ZG_EFEE, ZG_ECHAINID, ZG_ELANE, ZG_EPOOLFULL, ZG_EEXIST, ZG_EPERM, ...)
 * with an optional geth-style message in a zg_eth_msg_t; an empty message
 * gets geth's standard text for the code (zg_eth_geth_message). ZG_ENOMEM,
 * ZG_EIO and ZG_ECORRUPT are internal errors (-32603).
 *
 * Threads: the RPC layer may call the backend from several threads at once
 * (one per HTTP connection); every backend function must be thread-safe.
 */
#ifndef ZG_ETH_RPC_H
#define ZG_ETH_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/ecdsa.h"
#include "zg/err.h"
#include "zg/http_server.h"
#include "zg/jsonrpc.h"
#include "zg/u256.h"

/* Limits of eth_getLogs (geth's defaults are of the same order). */
#define ZG_ETH_LOGS_MAX_RANGE 10000u   /* blocks per query, inclusive range */
#define ZG_ETH_LOGS_MAX_RESULTS 10000u /* logs per answer */
/* eth_feeHistory: at most this many blocks and reward percentiles. */
#define ZG_ETH_FEE_HISTORY_MAX_BLOCKS 1024u
#define ZG_ETH_FEE_HISTORY_MAX_PERCENTILES 100u
/* Largest raw transaction and call data accepted (bytes). */
#define ZG_ETH_MAX_TX_BYTES (128u * 1024u)

/* What eth_getCode returns for a system contract (docs/chain.md): there is
 * no EVM bytecode, but ethers.js and wallets treat an address with empty
 * code as an account. The marker is PUSH0 PUSH0 REVERT, a program that would
 * revert if an EVM ever ran it. */
#define ZG_ETH_SYSCONTRACT_CODE ((const uint8_t *)"\x5f\x5f\xfd")
#define ZG_ETH_SYSCONTRACT_CODE_LEN 3u

/* Transaction types (EIP-2718). */
enum { ZG_ETH_TX_LEGACY = 0, ZG_ETH_TX_ACCESS_LIST = 1, ZG_ETH_TX_DYNAMIC_FEE = 2 };

/* A geth-style error message (e.g. "nonce too low: next nonce 5, tx nonce 3"). */
typedef struct {
  char text[256];
} zg_eth_msg_t;

/* One access-list entry (EIP-2930). */
typedef struct {
  zg_eth_addr_t address;
  const uint8_t (*keys)[32]; /* n_keys storage keys (arena) */
  size_t n_keys;
} zg_eth_access_t;

/* A transaction as eth_getTransactionByHash and full blocks show it. */
typedef struct {
  uint8_t hash[32];
  uint8_t type;      /* ZG_ETH_TX_* */
  bool eip155;       /* legacy only: signed with a chain id (v = 35 + 2 chainId + yParity) */
  uint64_t chain_id; /* typed transactions and EIP-155 legacy ones */
  uint64_t nonce;
  uint64_t gas; /* the gas limit */
  /* Legacy and type 1: the gas price. Type 2: the effective gas price once
   * mined, maxFeePerGas while pending (geth's "gasPrice"). */
  zg_u256_t gas_price;
  zg_u256_t max_fee, max_priority_fee; /* type 2 only */
  bool has_to;                         /* false: contract creation ("to": null) */
  zg_eth_addr_t to;
  zg_u256_t value;
  const uint8_t *input; /* call data (arena); input_len may be 0 */
  size_t input_len;
  const zg_eth_access_t *access_list; /* types 1 and 2 (arena) */
  size_t n_access;
  uint8_t y_parity; /* recovery id, 0 or 1 */
  uint8_t r[32], s[32];
  zg_eth_addr_t from; /* the recovered sender */
  /* Location: pending transactions (in the mempool) have mined = false and
   * blockHash/blockNumber/transactionIndex null in the JSON. */
  bool mined;
  uint32_t lane;
  uint8_t block_hash[32];
  uint64_t block_number;
  uint32_t tx_index;
  /* Mined: the receipt's gasUsed, which eth_feeHistory weighs tips by (not
   * shown in the transaction JSON). 0 when unknown: the gas limit is used. */
  uint64_t gas_used;
} zg_eth_tx_t;

/* A log with its location. */
typedef struct {
  zg_eth_addr_t address;
  const uint8_t (*topics)[32]; /* n_topics (0..4) topics (arena) */
  size_t n_topics;
  const uint8_t *data; /* arena */
  size_t data_len;
  uint32_t lane;
  uint64_t block_number;
  uint8_t block_hash[32];
  uint8_t tx_hash[32];
  uint32_t tx_index;
  uint32_t log_index; /* index of the log in its block */
} zg_eth_log_t;

/* A receipt (contractAddress is always null: there is no contract creation). */
typedef struct {
  uint8_t tx_hash[32];
  uint32_t tx_index;
  uint32_t lane;
  uint8_t block_hash[32];
  uint64_t block_number;
  zg_eth_addr_t from;
  bool has_to;
  zg_eth_addr_t to;
  uint8_t type;
  bool success; /* status 1, or 0 when the call reverted */
  uint64_t cumulative_gas_used, gas_used;
  zg_u256_t effective_gas_price;
  uint8_t logs_bloom[256];
  const zg_eth_log_t *logs; /* n_logs (arena) */
  size_t n_logs;
} zg_eth_receipt_t;

/* A block of one lane. */
typedef struct {
  uint32_t lane;
  uint64_t number;
  uint8_t hash[32], parent_hash[32];
  uint8_t state_root[32];        /* the lane's state digest after this block */
  uint8_t transactions_root[32]; /* docs/chain.md "Ethereum view" */
  uint8_t receipts_root[32];
  uint8_t logs_bloom[256];
  uint8_t mix_hash[32]; /* zero unless the chain has a randomness beacon */
  zg_eth_addr_t miner;  /* the proposer's operator account */
  uint64_t timestamp_ms; /* shown in seconds */
  uint64_t gas_limit, gas_used;
  zg_u256_t base_fee;
  uint64_t size; /* encoded size in bytes */
  const uint8_t (*tx_hashes)[32]; /* n_txs hashes, in order (arena) */
  size_t n_txs;
  const zg_eth_tx_t *txs; /* the full views when asked for (else NULL) (arena) */
} zg_eth_block_t;

/* The message of eth_call and eth_estimateGas. Absent fields have has_x
 * false; data is borrowed for the call. */
typedef struct {
  bool has_from, has_to, has_gas, has_gas_price, has_max_fee, has_max_priority_fee, has_value, has_nonce;
  zg_eth_addr_t from, to;
  uint64_t gas;
  zg_u256_t gas_price, max_fee, max_priority_fee, value;
  uint64_t nonce;
  const uint8_t *data;
  size_t data_len;
} zg_eth_call_t;

/* The outcome of a call or an estimate. A revert is a verdict, not an error:
 * the backend returns ZG_OK with reverted = true; the RPC layer answers with
 * code 3, "execution reverted: <reason>" and data = ret (Error(string)). */
typedef struct {
  bool reverted;
  const uint8_t *ret; /* return data, or the Error(string) bytes when reverted (arena) */
  size_t ret_len;
  char reason[256];  /* the revert reason text ("" when none) */
  uint64_t gas_used; /* estimate: the gas limit the transaction needs */
} zg_eth_call_result_t;

/* An eth_getLogs query: one lane's blocks [from, to] (inclusive), or the
 * one block named by hash; addresses OR-ed (none: any); topics per position
 * (up to 4), each position a set of alternatives OR-ed (none: any). */
typedef struct {
  bool by_hash;
  uint8_t block_hash[32];
  uint32_t lane;
  uint64_t from, to;
  const zg_eth_addr_t *addresses;
  size_t n_addresses;
  const uint8_t (*topics[4])[32];
  size_t n_topic_options[4];
  size_t n_topic_positions; /* 0..4; positions past it are wildcards */
} zg_eth_filter_t;

/* Called by the backend for every log that matches, in block and log order;
 * returns false to stop (the RPC layer's result limit). The log is borrowed
 * for the call. */
typedef bool (*zg_eth_log_fn)(void *arg, const zg_eth_log_t *log);

/* Fee data for eth_gasPrice, eth_maxPriorityFeePerGas and eth_feeHistory. */
typedef struct {
  zg_u256_t base_fee;         /* the next block's base fee */
  zg_u256_t gas_price;        /* suggested legacy gas price (base fee + tip) */
  zg_u256_t max_priority_fee; /* suggested tip */
} zg_eth_fees_t;

/* The backend: ctx is passed to every function. Functions that look
 * something up take an arena for the variable parts of the view. */
typedef struct {
  void *ctx;
  uint64_t chain_id;
  uint32_t lanes;             /* 1..16 */
  const char *client_version; /* web3_clientVersion; NULL: "zg/<version>" */

  /* The last committed height of lane (0 before the first block). */
  zg_err_t (*head)(void *ctx, uint32_t lane, uint64_t *height);
  /* The block (lane, number); full: also fill txs. ZG_ENOTFOUND if none. */
  zg_err_t (*block_by_number)(void *ctx, zg_arena_t *arena, zg_eth_block_t *out, uint32_t lane, uint64_t number,
                              bool full);
  /* The block with this hash on any lane. ZG_ENOTFOUND if none. */
  zg_err_t (*block_by_hash)(void *ctx, zg_arena_t *arena, zg_eth_block_t *out, const uint8_t hash[32], bool full);
  /* A committed or pending transaction by hash. ZG_ENOTFOUND if none. */
  zg_err_t (*tx_by_hash)(void *ctx, zg_arena_t *arena, zg_eth_tx_t *out, const uint8_t hash[32]);
  /* The receipt of an executed transaction. ZG_ENOTFOUND if none (yet). */
  zg_err_t (*receipt)(void *ctx, zg_arena_t *arena, zg_eth_receipt_t *out, const uint8_t hash[32]);
  /* Balance and nonce at the latest committed state; pending: the next
   * nonce counting the mempool's transactions of addr. */
  zg_err_t (*account)(void *ctx, zg_u256_t *balance, uint64_t *nonce, const zg_eth_addr_t *addr, bool pending);
  /* The code at addr: empty for accounts, ZG_ETH_SYSCONTRACT_CODE for a
   * system contract (a static pointer is fine). */
  zg_err_t (*code)(void *ctx, zg_arena_t *arena, const uint8_t **code, size_t *len, const zg_eth_addr_t *addr);
  /* Runs msg read-only against the latest state. Refusals that are not a
   * revert (unknown sender funds, ...) return a chain status and msg. */
  zg_err_t (*call)(void *ctx, zg_arena_t *arena, zg_eth_call_result_t *out, zg_eth_msg_t *msg,
                   const zg_eth_call_t *call);
  /* The gas limit msg needs (out->gas_used), or a revert as for call. */
  zg_err_t (*estimate_gas)(void *ctx, zg_arena_t *arena, zg_eth_call_result_t *out, zg_eth_msg_t *msg,
                           const zg_eth_call_t *call);
  /* Decodes, checks and admits a signed transaction to the mempool (and
   * gossips it); hash = its hash. Refusals: a chain status and msg. */
  zg_err_t (*send_raw)(void *ctx, uint8_t hash[32], zg_eth_msg_t *msg, const uint8_t *raw, size_t len);
  /* Calls fn for each log matching filter (zg_eth_log_matches) in order,
   * until fn returns false. by_hash with an unknown hash: ZG_ENOTFOUND. */
  zg_err_t (*logs)(void *ctx, zg_arena_t *arena, const zg_eth_filter_t *filter, zg_eth_log_fn fn, void *arg);
  /* Current fee data. */
  zg_err_t (*fees)(void *ctx, zg_eth_fees_t *out);
} zg_eth_backend_t;

/*
 * Registers every method (eth_chainId, net_version, web3_clientVersion,
 * eth_blockNumber, eth_getBlockByNumber/ByHash, eth_getBalance,
 * eth_getTransactionCount, eth_gasPrice, eth_maxPriorityFeePerGas,
 * eth_feeHistory, eth_estimateGas, eth_call, eth_sendRawTransaction,
 * eth_getTransactionByHash, eth_getTransactionReceipt, eth_getLogs,
 * eth_getCode and the small ones: eth_syncing (false), eth_accounts ([]),
 * net_listening (true), eth_getBlockTransactionCountByNumber/ByHash,
 * eth_getTransactionByBlockNumberAndIndex/ByBlockHashAndIndex) into rpc.
 * backend is borrowed and must outlive rpc. docs/eth-rpc.md lists the
 * shapes and errors.
 * ZG_EINVAL on a NULL function in backend or lanes outside 1..16;
 * ZG_EEXIST when a method is already registered; ZG_ENOMEM.
 */
ZG_WARN_UNUSED zg_err_t zg_eth_rpc_register(zg_rpc_t *rpc, const zg_eth_backend_t *backend);

/* ---- Helpers for backends ---- */

/* True when log passes filter's address and topic conditions (the block
 * range and hash are the caller's to check). */
bool zg_eth_log_matches(const zg_eth_filter_t *filter, const zg_eth_addr_t *address, const uint8_t (*topics)[32],
                        size_t n_topics);
/* Adds an address or topic (the value, not its hash) to a 2048-bit logs
 * bloom, as Ethereum's receipts and headers carry it. */
void zg_eth_bloom_add(uint8_t bloom[256], const uint8_t *value, size_t len);
/* Adds a log (its address and every topic) to a bloom. */
void zg_eth_bloom_add_log(uint8_t bloom[256], const zg_eth_addr_t *address, const uint8_t (*topics)[32],
                          size_t n_topics);
/* geth's standard message for a refusal code ("nonce too low",
 * "insufficient funds for gas * price + value", ...); never NULL. */
const char *zg_eth_geth_message(zg_err_t e);

#endif

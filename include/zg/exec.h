/*
 * zg/exec.h — block execution (layer 4, src/chain/exec*.c): the gas model,
 * value transfers, fees, system-contract calls, receipts and logs, and the
 * block's transaction root, receipts root, logs bloom and state digest
 * (docs/chain.md "Lanes", "Gas model", "Block format", "State digest").
 *
 * An executor (zg_exec_t) knows the chain (id, lanes, base fee), the
 * system-contract registry and the state of every lane (all K of them: a
 * block of lane M writes only to M's state, but reads the outboxes of the
 * lanes it imports from).
 *
 * Owner lane. An account is owned by lane addr[19] mod K, except a system
 * contract's address, which is owned by the contract's lane. Only the owner
 * lane changes an account; a credit to an account of another lane goes into
 * the block's outbox and is applied when that lane imports the block.
 *
 * A block: zg_exec_block applies the imported credits, then runs the
 * transactions in order. A transaction that cannot run at this point
 * (wrong lane, chain id, nonce, fee cap under the base fee, gas limit under
 * the intrinsic gas, funds short of gas_limit * max_fee + value, contract
 * creation) is dropped: no state change, no receipt, its reason reported,
 * because batches are formed before they are ordered. Every other
 * transaction is included: its nonce is bumped and its fee charged even if
 * its call reverts (state changes and logs of the call rolled back).
 *
 * Fees: effective price = min(max_fee, base_fee + max_priority_fee) (legacy
 * and EIP-2930: both are gasPrice); gas used × base fee is burnt, gas used ×
 * (price − base fee) is credited to the proposer's operator account.
 *
 * Roots (keccak binary Merkle over the included transactions in order: a
 * parent is keccak(left || right), an odd node is promoted to the next level
 * unchanged, one leaf is its own root, no leaf gives keccak256("")):
 *   transactions root: leaves = transaction hashes;
 *   receipts root: leaves = keccak256(typed receipt), the receipt as
 *   Ethereum encodes it: RLP([status, cumulativeGasUsed, logsBloom, logs])
 *   prefixed by the type byte for types 1 and 2.
 * Errors returned (ZG_EIO, ZG_ENOMEM, ZG_EFULL, ZG_ESTATE for an import of a
 * height its lane has not executed) abort the block with no state change:
 * retry later, they are not the transactions' fault.
 */
#ifndef ZG_EXEC_H
#define ZG_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/ecdsa.h"
#include "zg/err.h"
#include "zg/state.h"
#include "zg/syscontract.h"
#include "zg/u256.h"

#define ZG_GAS_TX 21000u
#define ZG_GAS_DATA_ZERO 4u
#define ZG_GAS_DATA_NONZERO 16u
#define ZG_GAS_ACCESS_ADDR 2400u
#define ZG_GAS_ACCESS_KEY 1900u

/* A decoded transaction with its recovered sender, as the executor needs it
 * (filled by the validator from zg/tx.h's decoded form). Pointers borrowed
 * for the zg_exec_block call. */
typedef struct {
  uint8_t type;      /* 0 legacy, 1 EIP-2930, 2 EIP-1559 */
  bool has_chain_id; /* false: pre-EIP-155 legacy (refused) */
  uint64_t chain_id;
  uint64_t nonce;
  zg_u256_t max_fee;      /* gasPrice for types 0 and 1 */
  zg_u256_t max_priority; /* gasPrice for types 0 and 1 */
  uint64_t gas_limit;
  bool has_to; /* false: contract creation (unsupported: dropped) */
  zg_eth_addr_t to;
  zg_u256_t value;
  const uint8_t *data;
  size_t data_len;
  uint32_t access_addrs, access_keys; /* EIP-2930 access list sizes */
  uint8_t hash[32];
  zg_eth_addr_t sender;
} zg_exec_tx_t;

struct zg_block_ctx;
/* An end-of-block hook: called by zg_exec_block after the block's
 * transactions, before its commit, with a host over the block's state
 * (caller and self zero, value 0: set host->self to the contract whose
 * storage the hook changes, e.g. Staking for zg_staking_end_epoch). Its
 * writes are part of the block (and of its write set); the logs it emits
 * are discarded (no receipt holds them). A non-ZG_OK return aborts the
 * block: zg_exec_block returns it and nothing is committed. */
typedef zg_err_t (*zg_exec_end_fn)(void *arg, zg_sc_host_t *host, const struct zg_block_ctx *ctx);

typedef struct zg_block_ctx {
  uint32_t lane;
  uint64_t height, epoch, timestamp_ms;
  zg_eth_addr_t proposer; /* the proposer's operator account (tips) */
  zg_u256_t base_fee;     /* wei per gas */
  uint64_t chain_id;
  zg_exec_end_fn end_block; /* optional (NULL: none) */
  void *end_arg;            /* passed to end_block */
} zg_block_ctx_t;

typedef struct {
  zg_eth_addr_t address;
  uint8_t topics[4][32];
  unsigned n_topics;
  uint8_t *data; /* owned by the result */
  size_t data_len;
  uint32_t log_index; /* index in the block */
} zg_exec_log_t;

/* One entry per input transaction, in input order. */
typedef struct {
  bool dropped;
  zg_err_t drop_reason; /* ZG_ELANE, ZG_ECHAINID, ZG_ENONCE, ZG_EFEE, ZG_EGAS, ZG_EFUNDS, ZG_EUNSUPPORTED */
  uint32_t index;       /* position among the included transactions */
  uint8_t type;
  uint8_t tx_hash[32];
  uint8_t status; /* 1 success, 0 reverted */
  uint64_t gas_used, cumulative_gas;
  zg_u256_t effective_price;
  zg_exec_log_t *logs;
  size_t n_logs;
  uint8_t bloom[256];
  char reason[256]; /* revert reason (status 0) */
} zg_exec_receipt_t;

typedef struct {
  zg_exec_receipt_t *receipts; /* n, one per input transaction */
  size_t n;
  size_t n_included;
  uint64_t gas_used;
  uint8_t tx_root[32], receipts_root[32], state[32];
  uint8_t bloom[256];
} zg_exec_result_t;

void zg_exec_result_free(zg_exec_result_t *r);

typedef struct zg_exec zg_exec_t;

/* Creates an executor over states[0..lanes) (borrowed; states[i] is lane i)
 * and the registry (borrowed). */
ZG_WARN_UNUSED zg_err_t zg_exec_create(zg_exec_t **out, zg_state_t *const *states, uint32_t lanes,
                                       const zg_sc_registry_t *reg, uint64_t chain_id,
                                       const zg_u256_t *base_fee);
void zg_exec_destroy(zg_exec_t *ex);

/* The lane that owns addr (see the file comment). */
uint32_t zg_exec_owner_lane(const zg_exec_t *ex, const zg_eth_addr_t *addr);

/* A genesis allocation. */
typedef struct {
  zg_eth_addr_t addr;
  zg_u256_t balance;
} zg_genesis_alloc_t;

/* Applies genesis to lane `lane` (height 0): the allocations it owns and the
 * genesis hook of each contract living on it (genesis_json passed through,
 * may be NULL). ZG_ESTATE when the lane is past genesis; ZG_EREVERT when a
 * hook reverts. */
ZG_WARN_UNUSED zg_err_t zg_exec_genesis(zg_exec_t *ex, uint32_t lane, const zg_genesis_alloc_t *alloc,
                                        size_t n, const void *genesis_json, uint64_t timestamp_ms,
                                        uint8_t digest[32]);

/* Executes one block of ctx->lane at ctx->height (the executed height + 1).
 * imports[0..lanes): for each source lane the new import height (this
 * lane's own entry is ignored; a height below the current import is
 * ZG_EINVAL). txs[0..n). res is filled on success (free with
 * zg_exec_result_free) and zeroed on failure. */
ZG_WARN_UNUSED zg_err_t zg_exec_block(zg_exec_t *ex, zg_exec_result_t *res, const zg_block_ctx_t *ctx,
                                      const uint64_t *imports, const zg_exec_tx_t *txs, size_t n);

/* The intrinsic gas of a transaction (21000 + calldata + access list). */
uint64_t zg_exec_intrinsic_gas(const uint8_t *data, size_t len, uint32_t access_addrs, uint32_t access_keys);

/* eth_call at latest: runs data against `to` read-only (any write reverts)
 * on a snapshot of to's lane. A `to` that is not a contract returns empty
 * data. res filled as by zg_sc_call (free with zg_sc_result_free). */
ZG_WARN_UNUSED zg_err_t zg_exec_call(zg_exec_t *ex, zg_sc_result_t *res, const zg_eth_addr_t *from,
                                     const zg_eth_addr_t *to, const zg_u256_t *value, const uint8_t *data,
                                     size_t len);
/* eth_estimateGas: intrinsic gas plus the method's declared gas. A call to
 * a view method is run read-only and a revert is reported as ZG_EREVERT
 * with the reason in reason (may be NULL, 256 bytes); an unknown method or
 * value to a non-payable method is ZG_EREVERT too. */
ZG_WARN_UNUSED zg_err_t zg_exec_estimate_gas(zg_exec_t *ex, uint64_t *gas, char *reason,
                                             const zg_eth_addr_t *from, const zg_eth_addr_t *to,
                                             const zg_u256_t *value, const uint8_t *data, size_t len);

/* ---- helpers shared with the RPC and the validator ---- */

/* Appends the typed receipt encoding (type byte for types 1, 2, then
 * RLP([status, cumulativeGasUsed, logsBloom, logs])). */
ZG_WARN_UNUSED zg_err_t zg_exec_receipt_encode(zg_buf_t *out, const zg_exec_receipt_t *r);
/* ORs the Ethereum bloom bits of one log (address and each topic) into bloom. */
void zg_exec_bloom_add(uint8_t bloom[256], const uint8_t *address, const uint8_t (*topics)[32],
                       unsigned n_topics);
/* The keccak binary Merkle root over leaves[0..n) described above
 * (allocates n/2 nodes of scratch: ZG_ENOMEM). */
ZG_WARN_UNUSED zg_err_t zg_exec_merkle_root(uint8_t out[32], const uint8_t (*leaves)[32], size_t n);

#endif

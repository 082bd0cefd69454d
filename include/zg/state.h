/*
 * zg/state.h — the chain state of one lane (layer 4, src/chain/state.c):
 * accounts (balance, nonce), system-contract storage, the outboxes of
 * cross-lane credits, import progress, and the state digest chain
 * (docs/chain.md "Lanes", "State digest").
 *
 * One lane is one LMDB environment (zg/kvdb.h) in its own directory, so the
 * K lanes of a node commit in parallel; a read of another lane's account or
 * outbox opens a read snapshot of that lane's environment. Sub-databases:
 *   acct    address(20)                      -> balance(32 BE) || nonce(8 BE)
 *   store   contract(20) || key              -> value
 *   outbox  dst lane(1) || height(8 BE)      -> [recipient(20) || amount(32 BE)]*
 *   meta    "height", "digest", "imp" || lane -> u64 / digest
 *   blocks  height(8 BE)                     -> state digest(32) || receipts root(32)
 * An account with balance 0 and nonce 0 is absent (its key is deleted).
 *
 * Blocks. All changes of one block are made in one write transaction
 * (zg_state_block_begin .. zg_state_block_commit): the new executed height,
 * the digest and the block's changes become durable together or not at all
 * (the crash-safety invariant: executed height h always comes with exactly
 * the state after block h). Inside a block, zg_state_savepoint opens a nested
 * transaction that zg_state_rollback discards (a reverted call) or
 * zg_state_release keeps.
 *
 * Digest. Every write of a block (accounts, storage, outboxes, import
 * heights) records its key; at commit the keys are sorted and each is
 * serialised with its final value (or a tombstone) into the write set:
 *   entry = table(1) || klen(2 BE) || key || present(1) || vlen(4 BE) || value
 * state(h) = keccak256(state(h-1) || keccak256(entries in (table, key) order))
 * with state(-1) = 32 zero bytes for genesis (height 0). Keys written and
 * then rolled back by zg_state_rollback are not in the write set.
 *
 * Threads. One thread executes a lane (owns its zg_state_block_t); any
 * number of other threads may call the read functions (zg_state_account,
 * zg_state_height, ...) at the same time: they use LMDB read snapshots of
 * the last committed block and never wait for the executor.
 */
#ifndef ZG_STATE_H
#define ZG_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/ecdsa.h"
#include "zg/err.h"
#include "zg/u256.h"

#define ZG_STATE_MAX_LANES 16
/* Longest contract-storage key (LMDB's key limit minus the 20-byte prefix). */
#define ZG_STATE_MAX_SKEY 480

typedef struct zg_state zg_state_t;
typedef struct zg_state_block zg_state_block_t;

typedef struct {
  zg_u256_t balance;
  uint64_t nonce;
} zg_account_t;

/* One cross-lane credit of an outbox. */
typedef struct {
  zg_eth_addr_t to;
  zg_u256_t amount;
} zg_credit_t;

typedef struct {
  size_t map_size; /* LMDB map size (0: 1 GiB) */
  bool no_sync;    /* commits skip fsync: not crash-safe (tests, benches) */
} zg_state_opts_t;

/* Opens (creating when missing) the state of lane `lane` of a chain with
 * `lanes` lanes in directory dir. opts may be NULL. *out is NULL on failure. */
ZG_WARN_UNUSED zg_err_t zg_state_open(zg_state_t **out, const char *dir, uint32_t lane, uint32_t lanes,
                                      const zg_state_opts_t *opts);
/* Closes the state; no block may be open. NULL is ignored. */
void zg_state_close(zg_state_t *st);
uint32_t zg_state_lane(const zg_state_t *st);
uint32_t zg_state_lanes(const zg_state_t *st);

/* ---- reads at the last committed block (any thread, never blocking) ---- */

/* The executed height and its state digest. ZG_ENOTFOUND before genesis. */
ZG_WARN_UNUSED zg_err_t zg_state_height(zg_state_t *st, uint64_t *height, uint8_t digest[32]);
/* The state digest and receipts root stored for an executed height.
 * ZG_ENOTFOUND when not executed. receipts_root may be NULL. */
ZG_WARN_UNUSED zg_err_t zg_state_block_info(zg_state_t *st, uint64_t height, uint8_t digest[32],
                                            uint8_t receipts_root[32]);
/* The account addr as stored in this lane (zero when absent; the caller
 * picks the owner lane's state). */
ZG_WARN_UNUSED zg_err_t zg_state_account(zg_state_t *st, const zg_eth_addr_t *addr, zg_account_t *out);
/* Copies the storage value of contract under key into out (replacing its
 * content); *found false when absent. */
ZG_WARN_UNUSED zg_err_t zg_state_storage(zg_state_t *st, const zg_eth_addr_t *contract, const uint8_t *key,
                                         size_t klen, zg_buf_t *out, bool *found);
/* The credits this lane's block `height` sent to lane dst, appended to *out
 * (a malloc'd array grown with realloc; *n updated). ZG_ESTATE when height
 * is not executed yet. */
ZG_WARN_UNUSED zg_err_t zg_state_outbox(zg_state_t *st, uint32_t dst, uint64_t height, zg_credit_t **out,
                                        size_t *n);
/* The height of lane src up to which this lane has imported credits. */
ZG_WARN_UNUSED zg_err_t zg_state_import_height(zg_state_t *st, uint32_t src, uint64_t *out);

/* ---- one block's writes (the executing thread) ---- */

/* Begins block `height` (must be the executed height + 1; 0 for genesis
 * on an empty state): ZG_ESTATE otherwise. */
ZG_WARN_UNUSED zg_err_t zg_state_block_begin(zg_state_t *st, zg_state_block_t **out, uint64_t height);
/* Commits the block: computes its write set and digest (into digest, may be
 * NULL), stores them with receipts_root (NULL: zeros) and the height, in the
 * same LMDB transaction. b is gone either way. */
ZG_WARN_UNUSED zg_err_t zg_state_block_commit(zg_state_block_t *b, const uint8_t receipts_root[32],
                                              uint8_t digest[32]);
/* Discards the block. NULL is ignored. */
void zg_state_block_abort(zg_state_block_t *b);
uint64_t zg_state_block_height(const zg_state_block_t *b);
zg_state_t *zg_state_block_state(zg_state_block_t *b);

/* Nested transactions (at most 8 deep): savepoint, then rollback (discard
 * everything since) or release (keep it). */
ZG_WARN_UNUSED zg_err_t zg_state_savepoint(zg_state_block_t *b);
ZG_WARN_UNUSED zg_err_t zg_state_release(zg_state_block_t *b);
void zg_state_rollback(zg_state_block_t *b);

ZG_WARN_UNUSED zg_err_t zg_state_get_account(zg_state_block_t *b, const zg_eth_addr_t *addr,
                                             zg_account_t *out);
ZG_WARN_UNUSED zg_err_t zg_state_put_account(zg_state_block_t *b, const zg_eth_addr_t *addr,
                                             const zg_account_t *acct);
/* balance += amount; ZG_EOVERFLOW past 2^256 - 1. */
ZG_WARN_UNUSED zg_err_t zg_state_credit(zg_state_block_t *b, const zg_eth_addr_t *addr,
                                        const zg_u256_t *amount);
/* balance -= amount; ZG_EFUNDS when the balance is smaller. */
ZG_WARN_UNUSED zg_err_t zg_state_debit(zg_state_block_t *b, const zg_eth_addr_t *addr,
                                       const zg_u256_t *amount);

/* Contract storage (klen 1..ZG_STATE_MAX_SKEY). sget copies into out. */
ZG_WARN_UNUSED zg_err_t zg_state_sget(zg_state_block_t *b, const zg_eth_addr_t *contract, const uint8_t *key,
                                      size_t klen, zg_buf_t *out, bool *found);
ZG_WARN_UNUSED zg_err_t zg_state_sput(zg_state_block_t *b, const zg_eth_addr_t *contract, const uint8_t *key,
                                      size_t klen, const uint8_t *val, size_t vlen);
/* Deleting an absent key is not an error. */
ZG_WARN_UNUSED zg_err_t zg_state_sdel(zg_state_block_t *b, const zg_eth_addr_t *contract, const uint8_t *key,
                                      size_t klen);
/* Calls fn for each key of contract starting with prefix, in key order,
 * until fn returns false. fn must not write to the state. */
ZG_WARN_UNUSED zg_err_t
zg_state_sscan(zg_state_block_t *b, const zg_eth_addr_t *contract, const uint8_t *prefix, size_t plen,
               bool (*fn)(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl), void *arg);

/* Adds a credit to this block's outbox for lane dst (written at commit;
 * rolled back with the savepoint it was made in). */
ZG_WARN_UNUSED zg_err_t zg_state_outbox_add(zg_state_block_t *b, uint32_t dst, const zg_eth_addr_t *to,
                                            const zg_u256_t *amount);
/* Import progress per source lane, inside the block. */
ZG_WARN_UNUSED zg_err_t zg_state_get_import(zg_state_block_t *b, uint32_t src, uint64_t *out);
ZG_WARN_UNUSED zg_err_t zg_state_set_import(zg_state_block_t *b, uint32_t src, uint64_t height);

/* ---- read-only views for eth_call (a read snapshot, no writes) ---- */

typedef struct zg_state_view zg_state_view_t;
/* Opens a read snapshot of the last committed block. */
ZG_WARN_UNUSED zg_err_t zg_state_view_begin(zg_state_t *st, zg_state_view_t **out);
void zg_state_view_end(zg_state_view_t *v);
ZG_WARN_UNUSED zg_err_t zg_state_view_account(zg_state_view_t *v, const zg_eth_addr_t *addr,
                                              zg_account_t *out);
ZG_WARN_UNUSED zg_err_t zg_state_view_sget(zg_state_view_t *v, const zg_eth_addr_t *contract,
                                           const uint8_t *key, size_t klen, zg_buf_t *out, bool *found);
ZG_WARN_UNUSED zg_err_t zg_state_view_sscan(
    zg_state_view_t *v, const zg_eth_addr_t *contract, const uint8_t *prefix, size_t plen,
    bool (*fn)(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl), void *arg);

#endif

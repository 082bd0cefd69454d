/*
 * zg/mempool.h — the transaction pool of a validator (layer 4,
 * src/chain/mempool.c).
 *
 * Per sender, transactions are kept sorted by nonce. Those contiguous from the
 * account's next nonce are "pending" (ready to go into a batch); those after
 * a gap are "queued" (they wait for the missing nonce). Admission checks a
 * tx against the chain (chain id, size, intrinsic gas, block gas limit, fee
 * at least the base fee and the pool's minimum tip) and against the state
 * (a callback giving the account's next nonce and balance: nonce too low,
 * balance below gas_limit * max_fee + value; each tx on its own, not the
 * sum over a sender's pooled txs: execution checks again and skips what
 * cannot pay). A tx with the nonce of one
 * already pooled replaces it only when both its max fee and its tip are at
 * least 10% higher. The pool holds at most max_txs transactions and
 * max_bytes raw bytes in total and max_per_sender per sender; when full, it
 * evicts the lowest-tip tail (highest nonce of its sender) among queued txs
 * first, then among pending ones if the newcomer is pending and pays more,
 * else refuses with ZG_EPOOLFULL. One eviction scan frees max_txs/64 more
 * than needed, so a pool kept full by load scans once per that many adds.
 *
 * take() hands out ready transactions for a batch: per sender in nonce
 * order, across senders the highest tip first. Taken transactions stay in
 * the pool (they hold their nonces) but are not handed out again; advance()
 * drops them once the state has moved past their nonce (after commit), and
 * untake() makes them available again (a batch that was never committed).
 *
 * Errors carry geth-like messages in an optional caller buffer
 * ("nonce too low: next nonce 5, tx nonce 3", "insufficient funds for gas *
 * price + value: ...", "replacement transaction underpriced", "transaction
 * underpriced: ...", "txpool is full", "already known").
 *
 * Every function is thread-safe (one mutex per pool; the state callback is
 * called with it released, sender recovery happens outside it).
 */
#ifndef ZG_MEMPOOL_H
#define ZG_MEMPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/ecdsa.h"
#include "zg/err.h"
#include "zg/tx.h"
#include "zg/u256.h"

#define ZG_MEMPOOL_MSG_MAX 192 /* size of an error-message buffer */

/* The state the pool checks against: the account's next nonce and balance
 * at the latest executed block. Returns ZG_OK (an unknown account is nonce
 * 0, balance 0) or an error that add() passes on. Called without the pool's
 * lock held, possibly from several threads. */
typedef zg_err_t (*zg_mempool_account_fn)(void *ctx, uint64_t *nonce, zg_u256_t *balance,
                                          const zg_eth_addr_t *addr);

typedef struct {
  uint64_t chain_id;        /* required (non-zero) */
  zg_u256_t base_fee;       /* wei per gas (genesis baseFeeGwei * 1e9) */
  zg_u256_t min_tip;        /* pool's minimum priority fee; zero accepts any */
  uint64_t block_gas_limit; /* a tx above it can never be included; 0: no limit */
  size_t max_txs;           /* 0: 200000 */
  size_t max_bytes;         /* 0: 256 MiB */
  size_t max_per_sender;    /* 0: 256 */
  unsigned lanes;           /* K; with lane >= 0 only senders of that lane are admitted */
  int lane;                 /* this pool's lane, or -1 for any (ZG_ELANE otherwise) */
  zg_tx_cache_t *cache;     /* borrowed sender cache (shared with batch decoding); NULL: own one */
  zg_mempool_account_fn account; /* required */
  void *account_ctx;
} zg_mempool_config_t;

typedef struct zg_mempool zg_mempool_t;

/* Creates a pool. cfg is copied (the cache and account_ctx it names are
 * borrowed for the pool's lifetime). ZG_EINVAL, ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_mempool_create(zg_mempool_t **out, const zg_mempool_config_t *cfg);
void zg_mempool_destroy(zg_mempool_t *mp);

/* Decodes, recovers (through the sender cache) and admits a raw tx; the
 * bytes are copied. hash (may be NULL) receives the tx hash even when the
 * tx is refused after decoding. msg (may be NULL, ZG_MEMPOOL_MSG_MAX bytes)
 * receives a message on failure. Codes: the decode codes of zg/tx.h,
 * ZG_EEXIST (already known), ZG_ENONCE (nonce too low), ZG_EFUNDS, ZG_EFEE
 * (below base fee or min tip, tip above max fee, replacement underpriced),
 * ZG_EGAS (intrinsic gas, block gas limit), ZG_EUNSUPPORTED (contract
 * creation), ZG_ELANE, ZG_EPOOLFULL, or an error of the account callback. */
ZG_WARN_UNUSED zg_err_t zg_mempool_add_raw(zg_mempool_t *mp, uint8_t hash[32], char *msg, const uint8_t *raw,
                                           size_t len);
/* Admits an already decoded tx (tx->raw is copied). sender may be NULL (it
 * is then found through the cache or recovered). Codes as above. */
ZG_WARN_UNUSED zg_err_t zg_mempool_add(zg_mempool_t *mp, char *msg, const zg_tx_t *tx, const zg_eth_addr_t *sender);

/* One transaction handed out by take(); raw points into taken->raw. */
typedef struct {
  uint8_t hash[32];
  zg_eth_addr_t sender;
  uint64_t nonce;
  size_t off, len; /* raw bytes at taken->raw.ptr + off */
} zg_mempool_entry_t;

/* A list of taken transactions; caller-owned, reusable (init once, reset
 * between uses, free at the end). */
typedef struct {
  zg_mempool_entry_t *items;
  size_t n, cap;
  zg_buf_t raw;
} zg_mempool_taken_t;

void zg_mempool_taken_init(zg_mempool_taken_t *t);
void zg_mempool_taken_reset(zg_mempool_taken_t *t);
void zg_mempool_taken_free(zg_mempool_taken_t *t);

/* Appends up to max_txs ready transactions totalling at most max_bytes raw
 * bytes to out (reset it first if needed) and marks them taken. Per sender
 * in nonce order; across senders the highest effective tip first (ties:
 * earliest admitted). A sender whose next tx does not fit max_bytes is
 * skipped for this call. ZG_ENOMEM (then nothing is marked taken). */
ZG_WARN_UNUSED zg_err_t zg_mempool_take(zg_mempool_t *mp, zg_mempool_taken_t *out, size_t max_txs, size_t max_bytes);
/* Makes taken txs available to take() again (by hash; unknown ones are
 * ignored). */
void zg_mempool_untake(zg_mempool_t *mp, const uint8_t (*hashes)[32], size_t n);
/* Makes every taken tx available again. */
void zg_mempool_untake_all(zg_mempool_t *mp);

/* After a commit: the sender's next nonce is now `nonce`. Drops the
 * sender's txs below it (taken or not) and promotes queued ones that became
 * contiguous. */
void zg_mempool_advance(zg_mempool_t *mp, const zg_eth_addr_t *sender, uint64_t nonce);
/* Removes one tx by hash (and, since they can no longer run, nothing else:
 * later nonces of its sender become queued). ZG_ENOTFOUND. */
ZG_WARN_UNUSED zg_err_t zg_mempool_remove(zg_mempool_t *mp, const uint8_t hash[32]);

/* Copies a pooled tx's raw bytes (appended to raw, may be NULL) and sender
 * (may be NULL). ZG_ENOTFOUND. */
ZG_WARN_UNUSED zg_err_t zg_mempool_get(zg_mempool_t *mp, zg_buf_t *raw, zg_eth_addr_t *sender,
                                       const uint8_t hash[32]);
/* The sender's next nonce counting its pending txs (eth_getTransactionCount
 * "pending"); false when the pool has no tx of the sender. */
bool zg_mempool_pending_nonce(zg_mempool_t *mp, uint64_t *nonce, const zg_eth_addr_t *sender);

typedef struct {
  size_t pending;  /* contiguous from the account nonce (taken ones included) */
  size_t queued;   /* after a gap */
  size_t taken;    /* handed out by take() and not yet dropped */
  size_t senders;
  size_t bytes;    /* raw bytes held */
  uint64_t added, replaced, evicted, refused; /* counters since creation */
} zg_mempool_stats_t;

void zg_mempool_stats(zg_mempool_t *mp, zg_mempool_stats_t *st);

#endif

/*
 * zg/storage_miner.h — the storage role's PoRA miner (layer 7,
 * src/storage/miner.c, miner_load.c, miner_chain.c, miner_rpc.c;
 * docs/storage-network.md "Miner"): it proves random access to the data this
 * node holds by searching 0G's PoRA puzzle (zg/pora.h) and submits the
 * answers to the Mine contract (zg/storage_contracts.h) as signed
 * transactions, so that Reward pays its beneficiary.
 *
 * The loop (one thread, or zg_miner_step from a test):
 *  1. a miner id: requestMinerId(beneficiary, seed) once, the id persisted
 *     in cfg.state_path (seed first, then the id);
 *  2. the worker context (Mine.computeWorkerContext by eth_call) refreshed
 *     every poll_ms; nothing is mined while the epoch is full (target 0),
 *     its digest is empty, the next block is outside the miner's subtask
 *     window, or this node's flow is behind the context's flow length;
 *  3. a batch of nonces with zg_pora_iterate over this node's shard
 *     (shardId = the node's, shardMask = ~(numShard - 1)); each 256 KiB
 *     recalled load is read from the local log store and sealed with the
 *     miner id and, per 4 KiB seal, the context digest of the epoch that
 *     appended it (Flow.queryContextAtPosition, cached);
 *  4. on a hit: the Merkle proof of the seal against the epoch's flow root,
 *     checked locally; the context re-read (an epoch change drops the answer
 *     as stale); Mine.submit simulated with eth_call (a revert is logged
 *     with its reason and counted as rejected), then sent and its receipt
 *     awaited.
 *
 * Never fabricated: a seal is mined only when the node holds every file
 * sector in it; a seal made only of padding (alignment gaps, the dummy
 * sector, the zero tail of a file's last node) is not mined, so a node that
 * lost its data finds nothing. A chain that cannot be reached is retried
 * with a backoff (0.2 s doubling to 10 s).
 *
 * Threads: zg_miner_start/stop/status and the RPC methods are thread-safe;
 * zg_miner_step must not run while the thread is started.
 */
#ifndef ZG_STORAGE_MINER_H
#define ZG_STORAGE_MINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/config.h"
#include "zg/ecdsa.h"
#include "zg/err.h"
#include "zg/jsonrpc.h"
#include "zg/metrics.h"
#include "zg/storage_contracts.h"
#include "zg/storage_node.h"

/* The chain as the miner uses it. Every op may block on the network; all
 * run on the miner's thread only. reason buffers get a message on a revert
 * or a refusal. */
typedef struct {
  void *arg;
  /* The chain id and the miner's sender address (the key's). */
  zg_err_t (*info)(void *arg, uint64_t *chain_id, zg_eth_addr_t *sender);
  /* The latest block number. */
  zg_err_t (*head)(void *arg, uint64_t *block);
  /* eth_call from the sender: *reverted true with reason when it reverts,
   * else ret (cleared first) gets the return data. ZG_EUNSUPPORTED when the
   * chain runs only views in eth_call (zg's does): the miner then sends its
   * answers without simulating them. */
  zg_err_t (*call)(void *arg, zg_buf_t *ret, bool *reverted, char *reason, size_t rlen, const zg_eth_addr_t *to,
                   const uint8_t *cd, size_t len);
  /* A signed transaction from the sender, waiting for its receipt: *ok is
   * the receipt status, *block the block that holds it. A refusal by the
   * node (e.g. a nonce race) is ZG_EREVERT with reason. */
  zg_err_t (*send)(void *arg, bool *ok, uint64_t *block, char *reason, size_t rlen, const zg_eth_addr_t *to,
                   const uint8_t *cd, size_t len);
  void (*destroy)(void *arg);
} zg_miner_chain_t;

/* The chain over its Ethereum JSON-RPC (src/storage/miner_chain.c): url
 * copied, sk copied (wiped by destroy). Legacy EIP-155 transactions at
 * eth_gasPrice, nonces from eth_getTransactionCount(pending), gas from
 * eth_estimateGas (+25%, 3M when it fails), receipts polled for up to 60 s.
 * ZG_EINVAL for a missing url, ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_miner_chain_rpc(zg_miner_chain_t *out, const char *url, const zg_secp256k1_sk_t *sk,
                                           unsigned timeout_ms);

typedef struct {
  zg_storage_t *storage;    /* borrowed for the miner's life */
  zg_miner_chain_t chain;   /* taken over: destroyed by zg_miner_destroy (also on a failed create) */
  const char *state_path;   /* copied; the persisted seed and miner id; NULL: kept in memory only */
  bool has_beneficiary;     /* false: the sender */
  zg_eth_addr_t beneficiary;
  bool has_seed;            /* false: a random seed */
  uint64_t seed;            /* requestMinerId's seed */
  unsigned cpu_percent;     /* share of one core the loop may use, 1..100 (0: 100) */
  unsigned batch_nonces;    /* nonces per batch between context checks (0: 256) */
  unsigned poll_ms;         /* worker-context refresh period (0: 500) */
  unsigned cache_loads;     /* sealed 256 KiB loads kept in memory (0: none) */
} zg_miner_cfg_t;

typedef struct zg_miner zg_miner_t;

/* What one step did. */
typedef enum {
  ZG_MINER_IDLE = 0,  /* nothing to mine now (why: zg_miner_status_t.idle_reason) */
  ZG_MINER_SEARCHED,  /* a batch without a hit */
  ZG_MINER_ACCEPTED,  /* an answer accepted by Mine */
  ZG_MINER_REJECTED,  /* an answer refused by Mine (simulated or on chain) */
  ZG_MINER_STALE,     /* a hit dropped: the epoch changed before it was sent */
} zg_miner_outcome_t;

typedef struct {
  bool running;             /* the thread is iterating */
  bool registered;
  uint8_t miner_id[32];
  zg_eth_addr_t sender, beneficiary;
  uint64_t epoch;           /* of the last worker context */
  uint64_t flow_length;     /* of the last worker context */
  uint64_t iterations, hits, answers_submitted, answers_accepted, answers_rejected, answers_stale;
  uint64_t loads, seals_missing; /* loads read; seals skipped as not held */
  uint64_t chain_errors;
  double iter_per_sec;      /* over the last batch, busy time only */
  char idle_reason[96];
  char last_error[160];     /* last chain error or revert reason */
} zg_miner_status_t;

/* Creates the miner (the chain is not contacted). Loads the state file when
 * present. ZG_EINVAL for a bad config, ZG_ECORRUPT for an unreadable state
 * file, ZG_ENOMEM; msg (may be NULL) says why. */
ZG_WARN_UNUSED zg_err_t zg_miner_create(zg_miner_t **out, const zg_miner_cfg_t *cfg, char *msg, size_t msglen);
/* Stops the thread (joins it), destroys the chain, wipes and frees. NULL is fine. */
void zg_miner_destroy(zg_miner_t *m);
/* Ends the miner's thread for good and joins it (idempotent): call it
 * before the RPC server and metrics it is registered on go away. */
void zg_miner_halt(zg_miner_t *m);
/* Starts (or resumes) iterating on the miner's thread. ZG_ENOMEM when the
 * thread cannot start, ZG_ECLOSED after zg_miner_halt. */
ZG_WARN_UNUSED zg_err_t zg_miner_start(zg_miner_t *m);
/* Stops iterating (the thread finishes its current iteration and waits). */
void zg_miner_stop(zg_miner_t *m);
void zg_miner_status(zg_miner_t *m, zg_miner_status_t *out);

/* One round of the loop, synchronously: registration, context, a batch,
 * and a submission on a hit. Chain errors are returned (the thread backs
 * off on them). */
ZG_WARN_UNUSED zg_err_t zg_miner_step(zg_miner_t *m, zg_miner_outcome_t *out);

/* Reads the chain without mining: registration (once) and the worker
 * context. For tests and tools; zg_miner_step does it too. */
ZG_WARN_UNUSED zg_err_t zg_miner_prepare(zg_miner_t *m);

/* Reads the load of 1024 sectors at flow sector load_start (a multiple of
 * 1024, below the context's flow length) into out (256 KiB), sealed for
 * this miner; avail[k] false for seals not mined (see "Never fabricated").
 * Requires a context (after a step that got one). For tests and benches. */
ZG_WARN_UNUSED zg_err_t zg_miner_load(zg_miner_t *m, uint8_t *out, bool avail[ZG_PORA_SEALS_PER_LOAD],
                                      uint64_t load_start);
/* Builds the answer for a hit of nonce at recall position pos (sealed seal
 * and Merkle proof to the context's flow root, checked). ZG_ENOTFOUND when
 * the node does not hold the seal, ZG_EBADPROOF when the proof does not
 * fold to the root. */
ZG_WARN_UNUSED zg_err_t zg_miner_build_answer(zg_miner_t *m, zg_mine_answer_t *a, const uint8_t nonce[32],
                                              uint64_t recall_position);
/* Offers an answer to Mine (simulation, then the transaction) and counts
 * it: *accepted is the verdict, reason (may be NULL) the revert reason. */
ZG_WARN_UNUSED zg_err_t zg_miner_submit(zg_miner_t *m, bool *accepted, char *reason, size_t rlen,
                                        const zg_mine_answer_t *a);

/* The node config's miner keys (NULL-terminated), for strict key checks. */
extern const char *const zg_miner_config_keys[];

/* The miner of a storage node from its config (src/storage/miner_config.c;
 * docs/config.md): storage.miner {enabled (false), key (0x + 64 hex digits,
 * or the path of a file whose first line is that), beneficiary (address,
 * default the key's), seed, cpuPercent (100), batchNonces (256), pollMs
 * (500), cacheLoads (64)}; the chain is storage.chain.rpc (chain_rpc), the
 * state file data_dir/miner.json. *out is NULL (and ZG_OK) without a
 * storage.miner section; *enabled says whether to start it now (miner_start
 * may start it later). ZG_ECONFIG with msg for a bad or missing key or a
 * miner without a chain. */
ZG_WARN_UNUSED zg_err_t zg_miner_from_config(zg_miner_t **out, bool *enabled, zg_config_t *cfg, zg_storage_t *st,
                                             const char *chain_rpc, const char *data_dir, char *msg, size_t msglen);

/* Registers miner_start, miner_stop and miner_getStatus on rpc (m borrowed
 * for the rpc's life) and the counters zg_miner_{iterations,
 * answers_submitted, answers_accepted, answers_rejected} on metrics (may be
 * NULL). src/storage/miner_rpc.c. */
ZG_WARN_UNUSED zg_err_t zg_miner_rpc_register(zg_miner_t *m, zg_rpc_t *rpc, zg_metrics_t *metrics);

#endif

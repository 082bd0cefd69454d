/*
 * miner_internal.h — the PoRA miner's state, shared by miner.c (the loop,
 * registration, submission), miner_load.c (loads, seals, proofs) and
 * miner_rpc.c (miner_ JSON-RPC and metrics). zg/storage_miner.h is the
 * public face.
 *
 * Locking: mu guards the status counters that RPC threads read, the
 * running flag and the thread handle. Everything else (context, caches,
 * scratch) belongs to the thread that runs the loop (the miner thread, or
 * the test calling zg_miner_step) and is touched by no one else.
 */
#ifndef ZG_MINER_INTERNAL_H
#define ZG_MINER_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "zg/flow.h"
#include "zg/storage_miner.h"

/* The worker context (Mine.computeWorkerContext) and what the miner derives from it. */
typedef struct {
  bool valid;
  uint64_t epoch, mine_start, flow_length, max_shards;
  uint8_t flow_root[32], block_digest[32], digest[32], subtask[32];
  zg_u256_t target;
  uint64_t window_start; /* the subtask window is (window_start, window_start + target_mine_blocks] */
} zg__miner_ctx_t;

/* An epoch range of the flow and its context digest (queryContextAtPosition). */
typedef struct {
  uint64_t start, end;
  uint8_t digest[32];
} zg__miner_range_t;

enum { ZG__MINER_RANGES = 64 };
/* Blocks before an epoch's end in which nothing is mined (inclusion takes a
 * block or two; an answer included in the next epoch is refused). */
enum { ZG__MINER_END_MARGIN = 2 };

/* One sealed load kept in memory. */
typedef struct {
  uint64_t load_start; /* UINT64_MAX: empty */
  uint64_t used;       /* LRU clock */
  uint8_t *sealed;     /* 256 KiB */
  bool avail[ZG_PORA_SEALS_PER_LOAD];
} zg__miner_cached_t;

struct zg_miner {
  zg_miner_cfg_t cfg;
  char *state_path;
  uint64_t chain_id;
  zg_eth_addr_t sender, beneficiary;
  bool have_info;
  /* Registration (persisted). */
  bool registered, have_seed;
  uint64_t seed;
  uint8_t miner_id[32];
  /* Mine's constant parameters (read once). */
  bool have_params;
  uint64_t n_subtasks, interval, target_mine_blocks, first_block, blocks_per_epoch;
  bool no_simulate; /* the chain's eth_call cannot run Mine.submit */
  /* The loop's state. */
  zg__miner_ctx_t ctx;
  uint64_t ctx_ms, head;
  uint8_t nonce[32]; /* random prefix | counter in the last 8 bytes */
  zg_pora_scratch_t *scratch;
  uint8_t *plain;    /* 256 KiB: a load's plain bytes */
  uint8_t *segbuf;   /* 256 KiB: one file segment read from the log store */
  zg__miner_range_t ranges[ZG__MINER_RANGES];
  size_t nranges, next_range;
  zg__miner_cached_t *cache;
  uint64_t clock;
  /* The frontier of the flow at the context's length (for proofs). */
  bool have_snap;
  zg_flow_t snap;
  uint64_t snap_seq; /* the next tx to append to snap */
  /* Thread. */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  pthread_t thread;
  bool thread_started, quit, joined;
  atomic_bool running;
  /* Status and counters (mu). */
  zg_miner_status_t st;
  /* Metrics (set once at registration). */
  _Atomic(zg_metric_t *) c_iter, c_sub, c_acc, c_rej;
};

/* Counter bump under mu, mirrored to the metric when registered. */
void zg__miner_count(zg_miner_t *m, uint64_t *field, _Atomic(zg_metric_t *) *metric, uint64_t n);
/* Records the last error (printf format) under mu and logs it. */
void zg__miner_error(zg_miner_t *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The context digest of the epoch holding flow sector pos (cached); *found
 * false when the chain has none (an epoch made too late, or not made yet). */
ZG_WARN_UNUSED zg_err_t zg__miner_context_at(zg_miner_t *m, uint8_t digest[32], bool *found, uint64_t pos);
/* zg_pora_load_fn over the miner (arg is the miner). */
ZG_WARN_UNUSED zg_err_t zg__miner_load_fn(void *arg, uint8_t *out, bool avail[ZG_PORA_SEALS_PER_LOAD],
                                          uint64_t load_start);
/* The mining range of this node's shard over the context's flow. */
ZG_WARN_UNUSED zg_err_t zg__miner_range(zg_miner_t *m, zg_pora_range_t *r);

#endif

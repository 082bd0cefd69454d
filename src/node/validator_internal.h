/*
 * validator_internal.h — the validator role's shared state between its files:
 * validator.c (start/stop, net callbacks, the engines' io, batches, tx
 * intake), validator_exec.c (execution threads, receipts, validator sets)
 * and validator_eth.c (the Ethereum JSON-RPC backend, /metrics).
 *
 * Threads and ownership:
 *   net thread   every engine, the batch map, the waiters, lane->last_imports
 *                and the recent ring; nothing else touches them;
 *   exec thread  one per lane: executes committed blocks in height order and
 *                writes their results to the block store;
 *   RPC threads  read the block store, the states (read snapshots) and the
 *                mempools (thread-safe), and submit transactions.
 * Shared counters (committed and executed heights) are atomics; the
 * validator-set cache has its own mutex.
 */
#ifndef ZG_NODE_VALIDATOR_INTERNAL_H
#define ZG_NODE_VALIDATOR_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "zg/batch.h"
#include "zg/bft.h"
#include "zg/blockstore.h"
#include "zg/codec.h"
#include "zg/eth_rpc.h"
#include "zg/exec.h"
#include "zg/http_server.h"
#include "zg/jsonrpc.h"
#include "zg/mempool.h"
#include "zg/metrics.h"
#include "zg/net.h"
#include "zg/state.h"
#include "zg/tx.h"
#include "zg/validator.h"

/* Net channels. */
#define ZG__VCH_BFT 1   /* u8 lane || engine message */
#define ZG__VCH_BATCH 2 /* an encoded batch (broadcast by its builder) */
#define ZG__VCH_FETCH 3 /* request: b32 batch id; response: the encoded batch */

#define ZG__V_BUCKETS 4096u    /* batch map buckets */
#define ZG__V_MAX_BATCHES 8192u /* batches held in memory (not yet committed) */
#define ZG__V_MAX_BATCH_BYTES ((size_t)1 << 30) /* and their bytes */
#define ZG__V_WAITERS 64u       /* proposals waiting for batches or imports */
#define ZG__V_RECENT 64u        /* imports of recently checked blocks, per lane */
#define ZG__V_BLOCK_BATCHES 256u /* most batches a proposal names */

/* A batch held in memory until a committed block names it. */
typedef struct zg__vbatch {
  struct zg__vbatch *next; /* bucket chain */
  uint8_t id[32];
  uint8_t lane;
  uint64_t seq;             /* arrival order */
  uint64_t inflight_height; /* height of the last proposal naming it (0: none) */
  size_t len;
  uint8_t body[]; /* the encoding */
} zg__vbatch_t;

/* A proposal that check_payload answered NOT_YET. */
typedef struct {
  bool used;
  uint32_t lane;
  uint8_t block_id[32];
  uint64_t deadline_ms;
  zg_buf_t payload; /* a copy of the payload */
} zg__vwaiter_t;

/* The validator set of one epoch, in both shapes. */
typedef struct zg__vset {
  struct zg__vset *next;
  zg_valset_t set;
  zg_bft_validator_t bv[ZG_MAX_VALIDATORS];
} zg__vset_t;

typedef struct zg__vlane {
  struct zg_validator *v;
  uint32_t id;
  zg_bft_t *bft;
  zg_net_timer_t *timer, *batch_timer, *pace_timer;
  uint8_t pace_id[32]; /* the empty proposal whose vote waits for the block time */
  zg_state_t *state;
  zg_mempool_t *pool; /* transactions of senders this lane owns */
  char wal_path[512];
  _Atomic uint64_t committed; /* highest committed height */
  _Atomic uint64_t executed;  /* highest executed height (results in the block store) */
  _Atomic uint64_t epoch;     /* epoch of the last committed block */
  _Atomic uint64_t adds;      /* transactions admitted since the last batch */
  _Atomic uint64_t rejects, waits, paced; /* check_payload verdicts */
  /* net thread */
  uint64_t last_imports[ZG_MAX_LANES]; /* imports of the last committed block */
  struct {
    uint8_t id[32];
    uint64_t imports[ZG_MAX_LANES];
    uint64_t timestamp_ms;
  } recent[ZG__V_RECENT];
  unsigned recent_pos;
  zg_mempool_taken_t taken;
  /* exec thread */
  pthread_t thread;
  bool thread_started;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool stop;
  zg_metric_t *m_committed, *m_executed, *m_txs;
} zg__vlane_t;

struct zg_validator {
  /* configuration (strings copied into cfg_strings) */
  zg_validator_cfg_t cfg;
  char *cfg_strings;
  const char **peers;
  zg_genesis_t *g;
  zg_validator_keys_t keys;
  uint32_t lanes;
  uint32_t chain_id_lo;
  zg_u256_t base_fee;
  /* storage and execution */
  zg_blockstore_t *bs;
  zg_state_t *states[ZG_MAX_LANES];
  zg_sc_registry_t *reg;
  zg_exec_t *exec;
  zg_tx_cache_t *cache;
  /* network and lanes */
  zg_net_t *net;
  zg__vlane_t lane[ZG_MAX_LANES];
  zg_buf_t scratch; /* net thread: message envelopes */
  zg__vbatch_t *buckets[ZG__V_BUCKETS];
  size_t n_batches, batch_bytes;
  uint64_t batch_seq;
  zg__vwaiter_t waiters[ZG__V_WAITERS];
  /* validator sets by epoch */
  pthread_mutex_t vs_mu;
  zg__vset_t *vsets;
  /* RPC */
  zg_metrics_t *metrics;
  zg_rpc_t *rpc;
  zg_http_server_t *http;
  zg_eth_backend_t backend;
  zg_metric_t *m_txs, *m_peers, *m_pool, *m_tps, *m_batches;
  pthread_mutex_t tps_mu;
  uint64_t tps_last_ns, tps_last_txs;
  uint16_t rpc_port, p2p_port;
  _Atomic bool stopping;
  pthread_mutex_t status_mu; /* one zg_validator_lane_status at a time */
  void *status_req;
};

/* validator.c */
/* Asks the net thread to fetch batch id (from peer, or from every peer up
 * when peer is ZG_NET_PEER_NONE) and store it. Any thread. */
void zg__v_fetch_batch(struct zg_validator *v, const uint8_t id[32], zg_net_peer_t peer);
/* Admits a raw transaction (zg_validator_submit_tx with an eth message). */
zg_err_t zg__v_submit(struct zg_validator *v, uint8_t hash[32], zg_eth_msg_t *msg, const uint8_t *raw, size_t len);

/* validator_exec.c */
/* Applies genesis to every lane whose state is empty and aligns the block
 * store's executed heights with the states'. */
ZG_WARN_UNUSED zg_err_t zg__v_exec_init(struct zg_validator *v);
ZG_WARN_UNUSED zg_err_t zg__v_exec_start(struct zg_validator *v);
void zg__v_exec_stop(struct zg_validator *v);
/* Wakes lane's execution thread (a block was committed). */
void zg__v_exec_wake(zg__vlane_t *l);
/* The validator set of epoch (cached; borrowed until zg_validator_stop).
 * ZG_EEPOCH while lane 0 has not executed the block that fixes it. */
ZG_WARN_UNUSED zg_err_t zg__v_valset(struct zg_validator *v, uint64_t epoch, const zg__vset_t **out);
void zg__v_valsets_free(struct zg_validator *v);

/* The receipts blob of one executed block (validator_exec.c writes it,
 * validator_eth.c reads it):
 *   blob = b256 bloom, list<receipt>
 *   receipt = bytes raw tx, b20 from, u8 status, u64 gas_used, u64 cumulative, b32 effective price,
 *             b256 bloom, list<log>
 *   log = b20 address, list<b32> topics, bytes data
 * One receipt per included transaction, in block order. */

/* validator_eth.c */
ZG_WARN_UNUSED zg_err_t zg__v_rpc_start(struct zg_validator *v, char *err, size_t errlen);
void zg__v_rpc_stop(struct zg_validator *v);
void zg__v_backend_init(struct zg_validator *v, zg_eth_backend_t *b);

#endif

/*
 * zg/storage_node.h — the storage role's service API (layer 7,
 * src/storage/node.c, src/storage/dev_source.c): what the zgs_ JSON-RPC
 * methods call. Transport-free; the RPC layer (src/rpc/zgs.c) maps these
 * calls and their messages to 0G's JSON shapes.
 *
 * The service owns a log store (zg/logstore.h) in cfg.data_dir/log, a small
 * LMDB environment in cfg.data_dir/proofs holding the verified FileProof of
 * every stored segment (a node of one shard cannot rebuild proofs of a file
 * whose other segments it never sees), and the flow frontier, rebuilt from
 * the tx records at open.
 *
 * Log entries (submissions) reach the service only through
 * zg_storage_add_entry, called by a log-entry source: the dev-mode source
 * (zg_dev_source_*, behind admin_submitLogEntry) today, the chain follower
 * later. Every entry is appended to the flow in order, which assigns its
 * startPos.
 *
 * Upload rules (each failure is ZG_EINVAL-family with a message): the entry
 * must be known (by root or tx seq), the file size must match it, the
 * segment index must be a data segment, the data length must be the
 * segment's, the segment must belong to this node's shard ((startPos/1024 +
 * index) mod numShard == shardId), and its proof must verify against the
 * file root. A call is all-or-nothing: nothing is stored when one segment
 * fails. A segment is acknowledged only once durable (the log store's
 * guarantee; proofs are committed before the data).
 *
 * Threads: every function is thread-safe.
 */
#ifndef ZG_STORAGE_NODE_H
#define ZG_STORAGE_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"
#include "zg/logstore.h"
#include "zg/merkle.h"

typedef struct {
  const char *data_dir; /* created when missing */
  uint32_t shard_id;    /* < num_shard */
  uint32_t num_shard;   /* a power of two, >= 1 */
  bool no_sync;         /* NOT crash-safe: skip fsyncs (benchmarks) */
  zg_store_fault_t *fault; /* borrowed; NULL: none (disk-full tests) */
} zg_storage_cfg_t;

typedef struct zg_storage zg_storage_t;

/* Why a call was refused: a class the RPC layer maps to a JSON-RPC code,
 * and a message for the caller. */
typedef enum {
  ZG_STORAGE_OK = 0,
  ZG_STORAGE_BAD_PARAMS,  /* malformed or inconsistent input */
  ZG_STORAGE_NOT_FOUND,   /* unknown root, tx or segment */
  ZG_STORAGE_BAD_PROOF,   /* the proof does not verify */
  ZG_STORAGE_WRONG_SHARD, /* the segment is not in this node's shard */
  ZG_STORAGE_FULL,        /* no space left */
  ZG_STORAGE_INTERNAL,    /* I/O or corruption */
} zg_storage_class_t;

typedef struct {
  zg_storage_class_t cls;
  char message[240];
} zg_storage_err_t;

/* A segment as uploaded (0G SegmentWithProof). Pointers borrowed for the call. */
typedef struct {
  uint8_t root[32];
  uint64_t index;
  const uint8_t *data;
  size_t len;
  uint64_t file_size;
  const zg_merkle_proof_t *proof;
} zg_storage_segment_t;

/* What zgs_getFileInfo reports. */
typedef struct {
  zg_logstore_tx_t tx;
  bool finalized;          /* every segment of this node's shard is stored */
  uint64_t uploaded_segs;  /* distinct segments of the root stored here */
  uint64_t shard_segs;     /* segments of this tx in this node's shard */
} zg_storage_file_info_t;

/* Counters for /metrics (monotonic unless said otherwise). */
typedef struct {
  uint64_t stored_bytes;     /* segment bytes written (this process) */
  uint64_t stored_segments;  /* segments written (this process) */
  uint64_t uploaded_segments;/* segments accepted, including already present */
  uint64_t rejected_segments;/* segments refused */
  uint64_t downloaded_segments;
  uint64_t downloaded_bytes;
  uint64_t entries;          /* txs known (gauge) */
  uint64_t flow_length;      /* sectors (gauge) */
} zg_storage_stats_t;

/* Opens the service. ZG_EINVAL for a bad shard config, plus the store's
 * codes; msg (may be NULL) gets a message of msglen bytes. */
ZG_WARN_UNUSED zg_err_t zg_storage_open(zg_storage_t **out, const zg_storage_cfg_t *cfg, char *msg,
                                        size_t msglen);
void zg_storage_close(zg_storage_t *st);

void zg_storage_shard(const zg_storage_t *st, uint32_t *shard_id, uint32_t *num_shard);
/* True when flow segment seg belongs to this node's shard. */
bool zg_storage_holds_flow_segment(const zg_storage_t *st, uint64_t seg);
void zg_storage_stats(zg_storage_t *st, zg_storage_stats_t *out);
/* The flow root and length (zgs_getFlowContext). */
void zg_storage_flow_context(zg_storage_t *st, uint8_t root[32], uint64_t *length);
/* The service's log store (borrowed for the service's life), for readers
 * beside the RPC such as the miner (zg/storage_miner.h): reading through it
 * does not count as downloads in the stats. */
zg_logstore_t *zg_storage_logstore(zg_storage_t *st);
/* The seq the next entry gets. */
uint64_t zg_storage_next_seq(zg_storage_t *st);

/* Per-entry extras a chain source learns with each Submit (the sender and
 * the submission's tags), kept for the KV role (docs/kv.md) in the log
 * store's metadata (src/storage/entry_meta.c). The follower puts them BEFORE
 * the entry itself, so every chain entry has them once it exists (a replay
 * after a crash puts the same values again). Tags longer than
 * ZG_STORAGE_MAX_TAGS bytes are not kept (*kept false on get). */
#define ZG_STORAGE_MAX_TAGS 4064u
ZG_WARN_UNUSED zg_err_t zg_storage_entry_meta_put(zg_storage_t *st, uint64_t seq, const uint8_t sender[20],
                                                  const uint8_t *tags, size_t tags_len);
/* Reads them back: tags into tags[0..cap) (cap >= ZG_STORAGE_MAX_TAGS
 * always fits), *tags_len their length. ZG_ENOTFOUND for an entry without
 * extras (dev-mode entries). */
ZG_WARN_UNUSED zg_err_t zg_storage_entry_meta_get(zg_storage_t *st, uint8_t sender[20], uint8_t *tags, size_t cap,
                                                  size_t *tags_len, bool *kept, uint64_t seq);

/* Appends a log entry (a Flow submission): size bytes, n nodes. Checks
 * Flow's valid() rules and that the nodes are those of a file of this size;
 * appends them to the flow (assigning start_pos) and stores the tx. When
 * expect_start is not UINT64_MAX it must equal the assigned start_pos (the
 * chain's Submit event). *out (may be NULL) receives the record. */
ZG_WARN_UNUSED zg_err_t zg_storage_add_entry(zg_storage_t *st, zg_logstore_tx_t *out, zg_storage_err_t *err,
                                             uint64_t size, const zg_merkle_node_t *nodes, size_t n,
                                             uint64_t expect_start);

/* Finds the tx: by seq when has_seq, else the first tx with root. */
ZG_WARN_UNUSED zg_err_t zg_storage_find_tx(zg_storage_t *st, zg_logstore_tx_t *out, zg_storage_err_t *err,
                                           const uint8_t *root, bool has_seq, uint64_t seq);
/* File info of a tx (see the struct). */
ZG_WARN_UNUSED zg_err_t zg_storage_file_info(zg_storage_t *st, zg_storage_file_info_t *out,
                                             const zg_logstore_tx_t *tx);

/* Whether segment index of tx is stored here (*present); store errors. */
ZG_WARN_UNUSED zg_err_t zg_storage_segment_present(zg_storage_t *st, bool *present, const zg_logstore_tx_t *tx,
                                                   uint64_t index);

/* Verifies and stores n segments (see Upload rules). When has_seq, they all
 * belong to tx seq (their root must be its root). */
ZG_WARN_UNUSED zg_err_t zg_storage_upload(zg_storage_t *st, zg_storage_err_t *err, const zg_storage_segment_t *segs,
                                          size_t n, bool has_seq, uint64_t seq);

/* Reads segment index of tx into out (cap >= 256 KiB) with its stored
 * proof. *present is false (and ZG_OK) when this node does not hold it. */
ZG_WARN_UNUSED zg_err_t zg_storage_segment_with_proof(zg_storage_t *st, bool *present, uint8_t *out, size_t cap,
                                                      size_t *len, zg_merkle_proof_t *proof, zg_storage_err_t *err,
                                                      const zg_logstore_tx_t *tx, uint64_t index);

/* Reads chunks [start, end) (file-relative, end - start <= 1024) of tx into
 * out (cap >= (end-start)*256); *present false when a segment they touch is
 * not stored here. */
ZG_WARN_UNUSED zg_err_t zg_storage_read_chunks(zg_storage_t *st, bool *present, uint8_t *out, size_t cap,
                                               size_t *len, zg_storage_err_t *err, const zg_logstore_tx_t *tx,
                                               uint64_t start, uint64_t end);

/* Proof of flow sector `sector` (0G FlowProof: lemma [leaf, siblings,
 * root], path) against the current flow root, which *root and *length
 * receive. The node must hold the sector's segment: ZG_ENOTFOUND (class
 * NOT_FOUND) when it does not, ZG_ERANGE for sector 0 or beyond the flow.
 * The proof is verified before it is returned. */
ZG_WARN_UNUSED zg_err_t zg_storage_sector_proof(zg_storage_t *st, zg_merkle_proof_t *proof, uint8_t root[32],
                                                uint64_t *length, zg_storage_err_t *err, uint64_t sector);

/* ---- Log-entry sources ----
 * The interface a source of submissions implements: the dev-mode source
 * below, and later the chain follower. */
typedef struct zg_log_source zg_log_source_t;
typedef struct {
  const char *name; /* "dev", "chain" */
  /* Registers a submission directly (dev mode); a chain source answers
   * ZG_EUNSUPPORTED (submissions go through Flow.submit there). */
  zg_err_t (*submit)(zg_log_source_t *src, zg_logstore_tx_t *out, zg_storage_err_t *err, uint64_t size,
                     const zg_merkle_node_t *nodes, size_t n);
  /* Sync progress: the height and block hash the source has processed. */
  void (*progress)(zg_log_source_t *src, uint64_t *height, uint8_t block[32]);
  void (*destroy)(zg_log_source_t *src);
  /* The chain followed: its id and the Flow address (zgs_getStatus's
   * networkIdentity). NULL for a source without a chain (dev). */
  void (*network)(zg_log_source_t *src, uint64_t *chain_id, uint8_t flow_address[20]);
} zg_log_source_ops_t;

struct zg_log_source {
  const zg_log_source_ops_t *ops;
  zg_storage_t *storage; /* borrowed */
};

/* The dev-mode source: submissions are accepted as they come, in order
 * (the node is its own chain). ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_dev_source_create(zg_log_source_t **out, zg_storage_t *st);

#endif

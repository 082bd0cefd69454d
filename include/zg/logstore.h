/*
 * zg/logstore.h — the storage node's crash-safe log store: the submissions
 * (txs) it has learnt from the Flow contract, the 256 KiB segments of their
 * files, which segments are present, which txs are finalized, and the nodes
 * of the flow Merkle tree. docs/store.md describes the layout and why it is
 * crash-safe.
 *
 * What is stored:
 *  - tx records by seq (the Flow submissionIndex), appended in seq order;
 *  - a root -> seqs index: several txs may have the same data root, and they
 *    SHARE one copy of the segment data (segments are keyed by (root, index));
 *  - per-root segment presence, and per-tx status: a tx is finalized once
 *    every segment of its file (index < zg_logstore_tx_segments(size)) is
 *    present; a tx whose root is already complete is finalized when put;
 *  - flow-tree nodes: 32-byte hashes by (height, index), for the flow tree;
 *  - small metadata values by name (sync progress, shard config...).
 *
 * Segment data is verified by the caller (Merkle proof) before it is put;
 * the store keeps the exact bytes and checks them (CRC, and that the record
 * on disk is the segment asked for) on every read.
 *
 * Durability: every put returns ZG_OK only once its effect is durable. A
 * segment put writes the data to an append-only data file, fdatasyncs it,
 * then commits the index in LMDB (synchronous commit). After a crash (kill
 * -9, power loss) at any moment, every acknowledged put is intact and no
 * index entry points at missing or partial data; data written after the last
 * index commit is truncated away when the store is opened.
 *
 * Group commit: concurrent zg_logstore_segments_put calls from several
 * threads are gathered so that one fdatasync and one LMDB commit serve all
 * of them; one call may also carry a batch of segments (the zgs_ RPC uploads
 * in batches). Each call is all-or-nothing: on failure none of its segments
 * is stored (and nothing stored before is damaged).
 *
 * Threads: every function is thread-safe. Writers are serialised (group
 * commit, then LMDB's writer lock); readers run concurrently with them and
 * with each other, each on its own LMDB snapshot.
 *
 * Memory: the store copies no segment data (writes go from the caller's
 * buffers to the file, reads from the file into the caller's buffer); its
 * own memory is a few small structs per waiting caller.
 *
 * Pointers: every pointer argument is borrowed for the duration of the call
 * only, unless said otherwise; outputs are written on every return (zeroed
 * on failure).
 */
#ifndef ZG_LOGSTORE_H
#define ZG_LOGSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/datafile.h"
#include "zg/err.h"

#define ZG_LOGSTORE_SECTOR 256u                  /* bytes per sector (Merkle leaf) */
#define ZG_LOGSTORE_SEGMENT_SECTORS 1024u        /* sectors per segment */
#define ZG_LOGSTORE_SEGMENT (256u * 1024u)       /* bytes per segment */
#define ZG_LOGSTORE_MAX_NODES 4                  /* submission nodes per tx */
#define ZG_LOGSTORE_MAX_SIZE ((uint64_t)1 << 50) /* largest file size accepted */

typedef enum {
  ZG_LOGSTORE_PENDING = 0,   /* some segments missing */
  ZG_LOGSTORE_FINALIZED = 1, /* every segment present */
} zg_logstore_status_t;

/* One node of a Flow submission: a subtree root and its height (in sectors,
 * leaf level 0). */
typedef struct {
  uint8_t root[32];
  uint32_t height;
} zg_logstore_node_t;

/* A tx (submission) record. */
typedef struct {
  uint64_t seq;                                    /* submission index, the key */
  uint8_t root[32];                                /* data (file) root */
  uint64_t size;                                   /* file size in bytes, 1..ZG_LOGSTORE_MAX_SIZE */
  uint64_t start_pos;                              /* flow position of the first sector */
  uint32_t nnodes;                                 /* 1..ZG_LOGSTORE_MAX_NODES */
  zg_logstore_node_t nodes[ZG_LOGSTORE_MAX_NODES]; /* heights < 64 */
  uint8_t status;                                  /* zg_logstore_status_t; output only (ignored by put) */
} zg_logstore_tx_t;

/* One segment to put. */
typedef struct {
  uint8_t root[32];    /* data root of the file */
  uint64_t index;      /* segment index in the file */
  const uint8_t *data; /* borrowed for the call */
  size_t len;          /* a multiple of 256 in 256..ZG_LOGSTORE_SEGMENT */
} zg_logstore_seg_t;

/* Presence summary of one data root. */
typedef struct {
  uint64_t segments; /* segments of the largest file with this root */
  uint64_t present;  /* distinct segments stored */
} zg_logstore_root_info_t;

/* A flow-tree node: the hash of the subtree of 2^height sectors whose first
 * sector is index * 2^height. */
typedef struct {
  uint32_t height; /* 0..64 */
  uint64_t index;
  uint8_t hash[32];
} zg_logstore_flow_node_t;

typedef struct {
  size_t map_size;         /* LMDB map size (0: 64 GiB, virtual) */
  uint64_t file_limit;     /* data file size before rolling (0: 1 GiB) */
  bool no_sync;            /* NOT crash-safe: skips every sync (tests, benches) */
  zg_store_fault_t *fault; /* borrowed for the life of the store; NULL: none */
} zg_logstore_opts_t;

typedef struct zg_logstore zg_logstore_t;

/* Number of segments of a file of size bytes (0 for size 0). */
uint64_t zg_logstore_tx_segments(uint64_t size);
/* Length in bytes of segment index of a file of size bytes: 256 KiB except
 * the last, which holds the rest rounded up to 256 (0 past the end). */
size_t zg_logstore_segment_len(uint64_t size, uint64_t index);

/* Opens (creating when missing) the store in directory dir: dir/index is the
 * LMDB environment, dir/data the data files. Recovery runs here: data past
 * the last committed index entry is truncated away. opts may be NULL. *out is
 * NULL on failure. */
ZG_WARN_UNUSED zg_err_t zg_logstore_open(zg_logstore_t **out, const char *dir,
                                         const zg_logstore_opts_t *opts);
/* Closes the store; no call may be in progress. NULL is ignored. */
void zg_logstore_close(zg_logstore_t *ls);

/* Appends n tx records in one durable commit. Each seq must be the next one
 * (zg_logstore_next_seq), or an already stored seq with identical fields
 * (replay, a no-op). ZG_ESTATE on a gap, ZG_EEXIST on a different record for
 * a stored seq, ZG_EINVAL on a malformed record; nothing is stored then. */
ZG_WARN_UNUSED zg_err_t zg_logstore_tx_put(zg_logstore_t *ls, const zg_logstore_tx_t *txs, size_t n);
/* Reads tx seq into *out (with its status). ZG_ENOTFOUND. */
ZG_WARN_UNUSED zg_err_t zg_logstore_tx_get(zg_logstore_t *ls, zg_logstore_tx_t *out, uint64_t seq);
/* The seq the next tx must have (0 for an empty store). */
ZG_WARN_UNUSED zg_err_t zg_logstore_next_seq(zg_logstore_t *ls, uint64_t *out);
/* Lists the seqs of the txs with data root root, ascending: the first
 * min(cap, total) go to seqs, *total receives how many there are (0 and
 * ZG_OK for an unknown root). */
ZG_WARN_UNUSED zg_err_t zg_logstore_txs_by_root(zg_logstore_t *ls, uint64_t *seqs, size_t cap, size_t *total,
                                                const uint8_t root[32]);
/* Presence summary of root. ZG_ENOTFOUND when no tx has this root. */
ZG_WARN_UNUSED zg_err_t zg_logstore_root_info(zg_logstore_t *ls, zg_logstore_root_info_t *out,
                                              const uint8_t root[32]);

/* Stores n segments durably (see Group commit): returns once the data and
 * the index are on disk. A segment already present is not written again (it
 * is replaced only by longer data: the same file stored for a bigger tx).
 * ZG_ENOTFOUND when no tx has the segment's root, ZG_ERANGE for an index
 * past the root's largest file, ZG_EINVAL for a bad length, ZG_EFULL when the
 * disk or the index map is full, ZG_EIO. On failure nothing of this call is
 * stored. */
ZG_WARN_UNUSED zg_err_t zg_logstore_segments_put(zg_logstore_t *ls, const zg_logstore_seg_t *segs, size_t n);
/* Reads segment index of root into out[0..cap) and sets *len to the stored
 * length. ZG_ENOTFOUND when not present; ZG_EOVERFLOW when cap is too small
 * (a cap of ZG_LOGSTORE_SEGMENT always fits); ZG_ECORRUPT / ZG_ETRUNC when the
 * data on disk is damaged (out is zeroed then). */
ZG_WARN_UNUSED zg_err_t zg_logstore_segment_get(zg_logstore_t *ls, uint8_t *out, size_t cap, size_t *len,
                                                const uint8_t root[32], uint64_t index);
/* Same, through tx seq: *len is exactly zg_logstore_segment_len(tx.size,
 * index) (the stored bytes, cut or zero-extended: files with one root differ
 * only in zero padding). ZG_ERANGE for an index past the file. */
ZG_WARN_UNUSED zg_err_t zg_logstore_segment_get_by_tx(zg_logstore_t *ls, uint8_t *out, size_t cap,
                                                      size_t *len, uint64_t seq, uint64_t index);
/* Sets *present to whether segment index of root is stored. */
ZG_WARN_UNUSED zg_err_t zg_logstore_segment_has(zg_logstore_t *ls, bool *present, const uint8_t root[32],
                                                uint64_t index);

/* Presence bitmap of root's segments 0..nbits-1: bit i (byte i/8, bit i%8,
 * LSB first) is set when segment i is stored; bitmap holds (nbits+7)/8
 * bytes and is cleared first. *count receives the number of bits set. One
 * cursor scan over the stored segments of root. */
ZG_WARN_UNUSED zg_err_t zg_logstore_segments_present(zg_logstore_t *ls, uint8_t *bitmap, size_t nbits,
                                                     uint64_t *count, const uint8_t root[32]);

/* Stores n flow-tree nodes in one durable commit (overwriting). */
ZG_WARN_UNUSED zg_err_t zg_logstore_flow_nodes_put(zg_logstore_t *ls, const zg_logstore_flow_node_t *nodes,
                                                   size_t n);
/* Reads the node (height, index) into hash. ZG_ENOTFOUND. */
ZG_WARN_UNUSED zg_err_t zg_logstore_flow_node_get(zg_logstore_t *ls, uint8_t hash[32], uint32_t height,
                                                  uint64_t index);

/* The same lookup in the shape of zg/flow.h's zg_flow_node_fn (arg is the
 * zg_logstore_t *), so the store can be passed straight to zg_flow_proof and
 * friends as their fetch callback. */
ZG_WARN_UNUSED zg_err_t zg_logstore_flow_node_fetch(void *arg, uint8_t out[32], unsigned height,
                                                    uint64_t index);

/* Small named values (name: 1..64 bytes of text; value up to 4096 bytes),
 * durable on return. */
ZG_WARN_UNUSED zg_err_t zg_logstore_meta_put(zg_logstore_t *ls, const char *name, const void *val,
                                             size_t len);
/* Copies the value into out[0..cap), *len its length. ZG_ENOTFOUND;
 * ZG_EOVERFLOW when cap is too small. */
ZG_WARN_UNUSED zg_err_t zg_logstore_meta_get(zg_logstore_t *ls, void *out, size_t cap, size_t *len,
                                             const char *name);

/* Reads back every stored segment and checks it (CRC, record identity):
 * *checked counts the segments read, *bad the ones that failed. For tests,
 * fsck-like tools and start-up checks; reads everything. */
ZG_WARN_UNUSED zg_err_t zg_logstore_verify(zg_logstore_t *ls, uint64_t *checked, uint64_t *bad);

/* Counters for benchmarks and metrics (relaxed; approximate under load). */
typedef struct {
  uint64_t groups;   /* group commits done */
  uint64_t calls;    /* segments_put calls committed */
  uint64_t segments; /* segments written */
} zg_logstore_stats_t;
void zg_logstore_stats(zg_logstore_t *ls, zg_logstore_stats_t *out);

/* Internal decoders of the on-disk values, exposed for tests and the fuzz
 * target. Each accepts exactly the canonical encoding and returns
 * ZG_ECORRUPT for anything else (outputs zeroed). */
ZG_WARN_UNUSED zg_err_t zg__logstore_tx_decode(zg_logstore_tx_t *out, const uint8_t *p, size_t len);
ZG_WARN_UNUSED zg_err_t zg__logstore_tx_encode(zg_buf_t *out, const zg_logstore_tx_t *tx);
ZG_WARN_UNUSED zg_err_t zg__logstore_root_decode(zg_logstore_root_info_t *out, const uint8_t *p, size_t len);
ZG_WARN_UNUSED zg_err_t zg__logstore_loc_decode(zg_datafile_loc_t *out, const uint8_t *p, size_t len);
/* A segment record's payload: root (32) | index (u64) | data. *data views p. */
ZG_WARN_UNUSED zg_err_t zg__logstore_segrec_decode(uint8_t root[32], uint64_t *index, zg_slice_t *data,
                                                   const uint8_t *p, size_t len);

#endif

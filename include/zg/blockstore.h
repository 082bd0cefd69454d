/*
 * zg/blockstore.h — the validator role's block store (src/node/blockstore.c)
 * and the codec of the block payload the role puts in consensus blocks.
 *
 * One LMDB environment (zg/kvdb.h) under DIR/blocks holds, for every lane:
 *   committed blocks by height: the engine's block encoding (zg/bft.h, with
 *     its payload) and its commit proof;
 *   block id -> (lane, height);
 *   transaction hash -> (lane, height, index in the block);
 *   the batches a committed block names, by batch id (so the block can be
 *     re-executed and served after a restart);
 *   the execution result of each executed block: receipts blob (the
 *     executor's encoding; it holds the logs), receipts root, state digest,
 *     gas used, transaction root.
 *
 * Invariants: the committed heights of a lane are 1..H with no gap (a commit
 * names height H+1); the
 * executed heights are 1..E with E <= H. Each commit and each execution
 * result is one write transaction, so after a crash a lane is exactly at
 * some (H, E) that was acknowledged (or later). On restart the node resumes
 * consensus from H and execution from min(E, the state's executed height).
 *
 * Threads: all functions may be called from any thread; LMDB serialises the
 * writers (commits come from the net thread, execution results from the
 * lanes' execution threads). Views returned by getters are copied into
 * caller buffers, so nothing points into the map after a call.
 */
#ifndef ZG_BLOCKSTORE_H
#define ZG_BLOCKSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"

#ifndef ZG_MAX_LANES
#define ZG_MAX_LANES 16
#endif
/* Most batches one block may name. */
#define ZG_BLOCK_MAX_BATCHES 4096

/* ---- Block payload ----
 *
 * The consensus engine (zg/bft.h) frames a block (chain id, lane, kind,
 * epoch, height, round, parent, timestamp, proposer) and treats the payload
 * as opaque bytes; the validator role builds and checks this payload:
 *   payload { list<u64> imports, list<b32> batches,
 *             u64 exec_height, b32 exec_state, b32 exec_receipts }
 * imports: one per lane (docs/chain.md "Cross-lane value"); batches: batch
 * ids executed in order; exec_*: the proposer's executed height of this lane
 * at proposal time with the state digest and receipts root after it (voters
 * that have executed that height compare, so a diverged node is detected at
 * the first block whose proposer reports past the divergence; execution
 * runs after ordering, so a proposal never waits for execution). */

typedef struct {
  uint32_t n_imports; /* == the number of lanes */
  uint64_t imports[ZG_MAX_LANES];
  uint32_t n_batches;
  const uint8_t *batches; /* n_batches * 32 bytes of batch ids, borrowed (from the decoded input) */
  uint64_t exec_height;
  uint8_t exec_state[32];
  uint8_t exec_receipts[32];
} zg_block_payload_t;

/* Appends the canonical encoding of p to out. ZG_EINVAL for n_imports >
 * ZG_MAX_LANES or n_batches > ZG_BLOCK_MAX_BATCHES; ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_block_payload_encode(zg_buf_t *out, const zg_block_payload_t *p);
/* Decodes len bytes at in (borrowed: p->batches points into it). The codec
 * errors (ZG_ETRUNC, ZG_ETRAILING, ZG_EOVERFLOW...) on malformed input. */
ZG_WARN_UNUSED zg_err_t zg_block_payload_decode(zg_block_payload_t *p, const uint8_t *in, size_t len);

/* ---- Store ---- */

typedef struct zg_blockstore zg_blockstore_t;

/* What one commit stores (all borrowed for the call). */
typedef struct {
  uint32_t lane;
  uint64_t height;
  uint8_t id[32];          /* the block id (zg_bft_block_id) */
  zg_slice_t block;        /* the engine's full block encoding */
  zg_slice_t proof;        /* the engine's commit proof (quorum certificate), opaque here */
  const zg_slice_t *batch_bodies; /* encoded batches, in the payload's order (n_batches of them) */
  const uint8_t *batch_ids;       /* their ids, 32 bytes each */
  size_t n_batches;
  const uint8_t *tx_hashes; /* the block's transaction hashes in execution order, 32 bytes each */
  size_t n_txs;
} zg_block_commit_t;

/* The result of executing one block (borrowed for the call). */
typedef struct {
  uint32_t lane;
  uint64_t height;
  uint8_t state_digest[32];  /* lane state digest after the block */
  uint8_t receipts_root[32];
  uint8_t tx_root[32];
  uint64_t gas_used;
  uint64_t n_txs;
  zg_slice_t receipts; /* the executor's receipts blob (receipts with their logs) */
  /* Optional: hashes of the transactions the block included, in order (32
   * bytes each), indexed as (lane, height, position) like a commit's. */
  const uint8_t *tx_hashes;
  size_t n_tx_hashes;
} zg_block_exec_t;

/* Opens (creating) the store in dir for `lanes` lanes (1..ZG_MAX_LANES).
 * no_sync: commits skip fsync (tests only). ZG_ECORRUPT when the store holds
 * a lane >= lanes. *out is NULL on failure. */
ZG_WARN_UNUSED zg_err_t zg_blockstore_open(zg_blockstore_t **out, const char *dir, uint32_t lanes, bool no_sync);
/* Closes the store. NULL is fine. */
void zg_blockstore_close(zg_blockstore_t *bs);

/* Stores a committed block in one write transaction. ZG_ESTATE unless
 * c->height is the lane's committed height + 1 (ZG_EEXIST when that height is
 * already stored with the same id: a harmless replay), ZG_EINVAL for a bad
 * lane. */
ZG_WARN_UNUSED zg_err_t zg_blockstore_commit(zg_blockstore_t *bs, const zg_block_commit_t *c);
/* Stores the execution result of a block in one write transaction.
 * ZG_ESTATE unless e->height is the lane's executed height + 1 and <= its
 * committed height. */
ZG_WARN_UNUSED zg_err_t zg_blockstore_put_exec(zg_blockstore_t *bs, const zg_block_exec_t *e);

/* Stores a batch by id (a batch a committed block names that arrived after
 * the commit). An id already stored is left as it is. */
ZG_WARN_UNUSED zg_err_t zg_blockstore_put_batch(zg_blockstore_t *bs, const uint8_t id[32], zg_slice_t body);

/* Highest committed and executed heights of lane (0 when none). */
ZG_WARN_UNUSED zg_err_t zg_blockstore_heights(zg_blockstore_t *bs, uint32_t lane, uint64_t *committed,
                                              uint64_t *executed);

/* The committed block of lane at height: block encoding and proof appended
 * to the buffers (either may be NULL), id copied (may be NULL).
 * ZG_ENOTFOUND. */
ZG_WARN_UNUSED zg_err_t zg_blockstore_get_block(zg_blockstore_t *bs, uint8_t id[32], zg_buf_t *block,
                                                zg_buf_t *proof, uint32_t lane, uint64_t height);
/* Where block id is. ZG_ENOTFOUND. */
ZG_WARN_UNUSED zg_err_t zg_blockstore_find_block(zg_blockstore_t *bs, uint32_t *lane, uint64_t *height,
                                                 const uint8_t id[32]);
/* Where transaction hash is (committed; its receipt exists once the block is
 * executed). ZG_ENOTFOUND. */
ZG_WARN_UNUSED zg_err_t zg_blockstore_find_tx(zg_blockstore_t *bs, uint32_t *lane, uint64_t *height,
                                              uint32_t *index, const uint8_t hash[32]);
/* A stored batch by id, appended to out. ZG_ENOTFOUND. */
ZG_WARN_UNUSED zg_err_t zg_blockstore_get_batch(zg_blockstore_t *bs, zg_buf_t *out, const uint8_t id[32]);
/* The execution result of lane's block at height: fixed fields into *e
 * (e->receipts is {NULL, 0}) and the receipts blob appended to receipts (may
 * be NULL). ZG_ENOTFOUND when not executed. */
ZG_WARN_UNUSED zg_err_t zg_blockstore_get_exec(zg_blockstore_t *bs, zg_block_exec_t *e, zg_buf_t *receipts,
                                               uint32_t lane, uint64_t height);
/* Like zg_blockstore_get_exec, but the receipts blob is lent to view(arg,
 * blob) while the store's read transaction is open (valid only during the
 * call; view must not call back into the store) instead of being copied: for
 * readers that want a small part of a large blob. view's error is returned. */
ZG_WARN_UNUSED zg_err_t zg_blockstore_view_exec(zg_blockstore_t *bs, zg_block_exec_t *e, uint32_t lane,
                                               uint64_t height, zg_err_t (*view)(void *arg, zg_slice_t blob),
                                               void *arg);

#endif

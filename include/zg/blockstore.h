/*
 * zg/blockstore.h — the validator role's block store (src/node/blockstore.c)
 * and the block header codec of docs/chain.md ("Block format").
 *
 * One LMDB environment (zg/kvdb.h) under DIR/blocks holds, for every lane:
 *   committed blocks by height: the encoded header and its commit proof;
 *   block id -> (lane, height);
 *   transaction hash -> (lane, height, index in the block);
 *   the batches a committed block names, by batch id (so the block can be
 *     re-executed and served after a restart);
 *   the execution result of each executed block: receipts blob (the
 *     executor's encoding; it holds the logs), receipts root, state digest,
 *     gas used, transaction root.
 *
 * Invariants: the committed heights of a lane are 1..H with no gap (a commit
 * names height H+1 and its parent is the id of H, or zero for height 1); the
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

/* ---- Block header ---- */

typedef struct {
  uint32_t chain_id_lo; /* low 32 bits of the chain id */
  uint8_t lane;
  uint64_t epoch, height, round, timestamp_ms;
  uint8_t parent[32]; /* id of this lane's block height-1 (zero for height 1) */
  uint32_t n_imports; /* == the number of lanes */
  uint64_t imports[ZG_MAX_LANES];
  uint32_t n_batches;
  const uint8_t *batches; /* n_batches * 32 bytes of batch ids, borrowed (from the decoded input) */
  uint8_t prev_state[32];
  uint8_t prev_receipts[32];
  uint32_t proposer; /* index in the epoch's validator set */
} zg_block_header_t;

/* Appends the canonical encoding of h to out. ZG_EINVAL for n_imports >
 * ZG_MAX_LANES or n_batches > ZG_BLOCK_MAX_BATCHES; ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_block_header_encode(zg_buf_t *out, const zg_block_header_t *h);
/* Decodes len bytes at p (borrowed: h->batches points into it). The codec
 * errors (ZG_ETRUNC, ZG_ETRAILING, ZG_EOVERFLOW...) on malformed input. */
ZG_WARN_UNUSED zg_err_t zg_block_header_decode(zg_block_header_t *h, const uint8_t *p, size_t len);
/* Block id: keccak256 of the encoded header. */
void zg_block_id(uint8_t id[32], const uint8_t *encoded, size_t len);

/* ---- Store ---- */

typedef struct zg_blockstore zg_blockstore_t;

/* What one commit stores (all borrowed for the call). */
typedef struct {
  uint32_t lane;
  uint64_t height;
  uint8_t id[32];          /* keccak256(header) */
  zg_slice_t header;       /* encoded header */
  zg_slice_t proof;        /* the engine's commit proof (quorum certificate), opaque here */
  const zg_slice_t *batch_bodies; /* encoded batches, in the header's order (n_batches of them) */
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

/* Highest committed and executed heights of lane (0 when none). */
ZG_WARN_UNUSED zg_err_t zg_blockstore_heights(zg_blockstore_t *bs, uint32_t lane, uint64_t *committed,
                                              uint64_t *executed);

/* The committed block of lane at height: header and proof appended to the
 * buffers (either may be NULL), id copied (may be NULL). ZG_ENOTFOUND. */
ZG_WARN_UNUSED zg_err_t zg_blockstore_get_block(zg_blockstore_t *bs, uint8_t id[32], zg_buf_t *header,
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

#endif

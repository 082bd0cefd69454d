/*
 * blockstore.c — the validator role's block store over LMDB (zg/blockstore.h)
 * and the codec of the block payload.
 *
 * Tables (sub-databases of one environment in DIR):
 *   "blocks"   lane u8 || height u64be -> {bytes block, bytes proof, b32 id}
 *   "ids"      block id (32)           -> lane u8 || height u64be
 *   "txs"      tx hash (32)            -> lane u8 || height u64be || index u32be
 *   "batches"  batch id (32)           -> encoded batch
 *   "exec"     lane u8 || height u64be -> {b32 state, b32 receipts root, b32 tx root, u64 gas, u64 n_txs,
 *                                          bytes receipts}
 *   "meta"     "c" || lane u8 -> committed height u64be; "e" || lane u8 -> executed height u64be
 *
 * Invariants: for every lane, "blocks" holds exactly heights 1..meta c, and
 * "exec" exactly heights 1..meta e, e <= c; every id in "ids" and tx in
 * "txs" points at a stored block. Each public write is one LMDB write
 * transaction, so the invariants hold across crashes. A transaction hash
 * that appears in two blocks (a replayed transaction that execution will
 * reject) keeps its first location.
 */
#include "zg/blockstore.h"

#include <stdlib.h>
#include <string.h>

#include "zg/codec.h"
#include "zg/hash.h"
#include "zg/kvdb.h"

struct zg_blockstore {
  zg_kvdb_t *db;
  uint32_t lanes;
  zg_kvdb_dbi_t blocks, ids, txs, batches, exec, meta;
};

/* ---- payload codec ---- */

zg_err_t zg_block_payload_encode(zg_buf_t *out, const zg_block_payload_t *p) {
  if (!out || !p || p->n_imports > ZG_MAX_LANES || p->n_batches > ZG_BLOCK_MAX_BATCHES ||
      (p->n_batches && !p->batches))
    return ZG_EINVAL;
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, out);
  zg_codec_put_count(&w, p->n_imports);
  for (uint32_t i = 0; i < p->n_imports; i++) zg_codec_put_u64(&w, p->imports[i]);
  zg_codec_put_count(&w, p->n_batches);
  zg_codec_put_fixed(&w, p->batches, (size_t)p->n_batches * 32);
  zg_codec_put_u64(&w, p->exec_height);
  zg_codec_put_fixed(&w, p->exec_state, 32);
  zg_codec_put_fixed(&w, p->exec_receipts, 32);
  return zg_codec_writer_finish(&w);
}

zg_err_t zg_block_payload_decode(zg_block_payload_t *p, const uint8_t *in, size_t len) {
  if (!p || (!in && len)) return ZG_EINVAL;
  memset(p, 0, sizeof *p);
  zg_codec_reader_t r;
  zg_codec_reader_init(&r, in, len);
  size_t n;
  zg_slice_t v;
  zg_codec_get_count(&r, &n, ZG_MAX_LANES, 8);
  p->n_imports = (uint32_t)n;
  for (size_t i = 0; i < n; i++) zg_codec_get_u64(&r, &p->imports[i]);
  zg_codec_get_count(&r, &n, ZG_BLOCK_MAX_BATCHES, 32);
  p->n_batches = (uint32_t)n;
  zg_codec_get_fixed_view(&r, &v, n * 32);
  p->batches = n ? v.ptr : NULL;
  zg_codec_get_u64(&r, &p->exec_height);
  zg_codec_get_fixed(&r, p->exec_state, 32);
  zg_codec_get_fixed(&r, p->exec_receipts, 32);
  zg_err_t e = zg_codec_reader_finish(&r);
  if (e != ZG_OK) memset(p, 0, sizeof *p);
  return e;
}

/* ---- store ---- */

static void lh_key(uint8_t k[9], uint32_t lane, uint64_t height) {
  k[0] = (uint8_t)lane;
  zg_store_be64(k + 1, height);
}

zg_err_t zg_blockstore_open(zg_blockstore_t **out, const char *dir, uint32_t lanes, bool no_sync) {
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!dir || lanes == 0 || lanes > ZG_MAX_LANES) return ZG_EINVAL;
  zg_blockstore_t *bs = calloc(1, sizeof *bs);
  if (!bs) return ZG_ENOMEM;
  bs->lanes = lanes;
  /* 64 GiB of address space: the map is virtual, and a node must not stop on
   * MDB_MAP_FULL after a few million blocks. */
  zg_kvdb_opts_t o = {(size_t)64 << 30, 8, 0, no_sync, false};
  zg_err_t e = zg_kvdb_open(&bs->db, dir, &o);
  if (!e) e = zg_kvdb_dbi_open(bs->db, &bs->blocks, "blocks", true);
  if (!e) e = zg_kvdb_dbi_open(bs->db, &bs->ids, "ids", true);
  if (!e) e = zg_kvdb_dbi_open(bs->db, &bs->txs, "txs", true);
  if (!e) e = zg_kvdb_dbi_open(bs->db, &bs->batches, "batches", true);
  if (!e) e = zg_kvdb_dbi_open(bs->db, &bs->exec, "exec", true);
  if (!e) e = zg_kvdb_dbi_open(bs->db, &bs->meta, "meta", true);
  if (e) goto fail;
  /* A store written with more lanes than the genesis says is not this chain's. */
  zg_kvdb_txn_t *t;
  if ((e = zg_kvdb_txn_begin(bs->db, &t, NULL, false)) != ZG_OK) goto fail;
  uint8_t k[9];
  lh_key(k, lanes, 0);
  zg_slice_t key = zg_slice(k, 9), val;
  zg_kvdb_cursor_t *c;
  e = zg_kvdb_cursor_open(&c, t, bs->blocks);
  if (!e) {
    e = zg_kvdb_cursor_get(c, &key, &val, ZG_KVDB_SEEK_GE);
    e = e == ZG_ENOTFOUND ? ZG_OK : e == ZG_OK ? ZG_ECORRUPT : e;
    zg_kvdb_cursor_close(c);
  }
  zg_kvdb_txn_abort(t);
  if (e) goto fail;
  *out = bs;
  return ZG_OK;
fail:
  zg_blockstore_close(bs);
  return e;
}

void zg_blockstore_close(zg_blockstore_t *bs) {
  if (!bs) return;
  zg_kvdb_close(bs->db);
  free(bs);
}

static zg_err_t meta_get(zg_kvdb_txn_t *t, zg_blockstore_t *bs, char kind, uint32_t lane, uint64_t *h) {
  uint8_t k[2] = {(uint8_t)kind, (uint8_t)lane};
  zg_slice_t v;
  *h = 0;
  zg_err_t e = zg_kvdb_get(t, bs->meta, zg_slice(k, 2), &v);
  if (e == ZG_ENOTFOUND) return ZG_OK;
  if (e) return e;
  if (v.len != 8) return ZG_ECORRUPT;
  *h = zg_load_be64(v.ptr);
  return ZG_OK;
}

static zg_err_t meta_put(zg_kvdb_txn_t *t, zg_blockstore_t *bs, char kind, uint32_t lane, uint64_t h) {
  uint8_t k[2] = {(uint8_t)kind, (uint8_t)lane}, v[8];
  zg_store_be64(v, h);
  return zg_kvdb_put(t, bs->meta, zg_slice(k, 2), zg_slice(v, 8), 0);
}

/* Indexes n tx hashes as (lane, height) k and their positions; a hash
 * already indexed keeps its first location. */
static zg_err_t index_txs(zg_kvdb_txn_t *t, zg_blockstore_t *bs, const uint8_t k[9], const uint8_t *hashes,
                          size_t n) {
  uint8_t loc[13];
  memcpy(loc, k, 9);
  zg_err_t e = ZG_OK;
  for (size_t i = 0; !e && i < n; i++) {
    zg_store_be32(loc + 9, (uint32_t)i);
    e = zg_kvdb_put(t, bs->txs, zg_slice(hashes + 32 * i, 32), zg_slice(loc, 13), ZG_KVDB_NOOVERWRITE);
    if (e == ZG_EEXIST) e = ZG_OK;
  }
  return e;
}

/* Writes the block record and its indexes into t. */
static zg_err_t commit_in(zg_kvdb_txn_t *t, zg_blockstore_t *bs, const zg_block_commit_t *c) {
  uint8_t k[9];
  zg_buf_t rec;
  zg_buf_init(&rec);
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, &rec);
  zg_codec_put_bytes(&w, c->block.ptr, c->block.len);
  zg_codec_put_bytes(&w, c->proof.ptr, c->proof.len);
  zg_codec_put_fixed(&w, c->id, 32);
  zg_err_t e = zg_codec_writer_finish(&w);
  lh_key(k, c->lane, c->height);
  if (!e) e = zg_kvdb_put(t, bs->blocks, zg_slice(k, 9), zg_buf_slice(&rec), 0);
  if (!e) e = zg_kvdb_put(t, bs->ids, zg_slice(c->id, 32), zg_slice(k, 9), ZG_KVDB_NOOVERWRITE);
  for (size_t i = 0; !e && i < c->n_batches; i++) {
    e = zg_kvdb_put(t, bs->batches, zg_slice(c->batch_ids + 32 * i, 32), c->batch_bodies[i], ZG_KVDB_NOOVERWRITE);
    if (e == ZG_EEXIST) e = ZG_OK; /* a batch named again keeps its first copy (same id, same bytes) */
  }
  if (!e) e = index_txs(t, bs, k, c->tx_hashes, c->n_txs);
  if (!e) e = meta_put(t, bs, 'c', c->lane, c->height);
  zg_buf_clear(&rec);
  return e;
}

zg_err_t zg_blockstore_commit(zg_blockstore_t *bs, const zg_block_commit_t *c) {
  if (!bs || !c || c->lane >= bs->lanes || c->height == 0 || (c->n_batches && (!c->batch_ids || !c->batch_bodies)) ||
      (c->n_txs && !c->tx_hashes) || c->n_txs > UINT32_MAX)
    return ZG_EINVAL;
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(bs->db, &t, NULL, true));
  uint64_t h;
  zg_err_t e = meta_get(t, bs, 'c', c->lane, &h);
  if (!e && c->height <= h) {
    /* A replay of a stored height is harmless when it is the same block. */
    uint8_t k[9];
    zg_slice_t v;
    lh_key(k, c->lane, c->height);
    e = zg_kvdb_get(t, bs->ids, zg_slice(c->id, 32), &v);
    e = (e == ZG_OK && v.len == 9 && memcmp(v.ptr, k, 9) == 0) ? ZG_EEXIST : e == ZG_ENOTFOUND ? ZG_ESTATE : e;
  } else if (!e && c->height != h + 1) {
    e = ZG_ESTATE;
  }
  if (!e) e = commit_in(t, bs, c);
  if (e) {
    zg_kvdb_txn_abort(t);
    return e;
  }
  return zg_kvdb_txn_commit(t);
}

zg_err_t zg_blockstore_put_exec(zg_blockstore_t *bs, const zg_block_exec_t *x) {
  if (!bs || !x || x->lane >= bs->lanes || (x->receipts.len && !x->receipts.ptr) ||
      (x->n_tx_hashes && !x->tx_hashes) || x->n_tx_hashes > UINT32_MAX)
    return ZG_EINVAL;
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(bs->db, &t, NULL, true));
  uint64_t c, h;
  zg_err_t e = meta_get(t, bs, 'c', x->lane, &c);
  if (!e) e = meta_get(t, bs, 'e', x->lane, &h);
  if (!e && (x->height != h + 1 || x->height > c)) e = ZG_ESTATE;
  zg_buf_t rec;
  zg_buf_init(&rec);
  if (!e) {
    zg_codec_writer_t w;
    zg_codec_writer_init(&w, &rec);
    zg_codec_put_fixed(&w, x->state_digest, 32);
    zg_codec_put_fixed(&w, x->receipts_root, 32);
    zg_codec_put_fixed(&w, x->tx_root, 32);
    zg_codec_put_u64(&w, x->gas_used);
    zg_codec_put_u64(&w, x->n_txs);
    zg_codec_put_bytes(&w, x->receipts.ptr, x->receipts.len);
    e = zg_codec_writer_finish(&w);
  }
  uint8_t k[9];
  lh_key(k, x->lane, x->height);
  if (!e) e = zg_kvdb_put(t, bs->exec, zg_slice(k, 9), zg_buf_slice(&rec), 0);
  if (!e) e = index_txs(t, bs, k, x->tx_hashes, x->n_tx_hashes);
  if (!e) e = meta_put(t, bs, 'e', x->lane, x->height);
  zg_buf_clear(&rec);
  if (e) {
    zg_kvdb_txn_abort(t);
    return e;
  }
  return zg_kvdb_txn_commit(t);
}

zg_err_t zg_blockstore_put_batch(zg_blockstore_t *bs, const uint8_t id[32], zg_slice_t body) {
  if (!bs || !id || (body.len && !body.ptr) || body.len == 0) return ZG_EINVAL;
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(bs->db, &t, NULL, true));
  zg_err_t e = zg_kvdb_put(t, bs->batches, zg_slice(id, 32), body, ZG_KVDB_NOOVERWRITE);
  if (e == ZG_EEXIST) {
    zg_kvdb_txn_abort(t);
    return ZG_OK;
  }
  if (e) {
    zg_kvdb_txn_abort(t);
    return e;
  }
  return zg_kvdb_txn_commit(t);
}

zg_err_t zg_blockstore_heights(zg_blockstore_t *bs, uint32_t lane, uint64_t *committed, uint64_t *executed) {
  uint64_t c = 0, x = 0;
  if (committed) *committed = 0;
  if (executed) *executed = 0;
  if (!bs || lane >= bs->lanes) return ZG_EINVAL;
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(bs->db, &t, NULL, false));
  zg_err_t e = meta_get(t, bs, 'c', lane, &c);
  if (!e) e = meta_get(t, bs, 'e', lane, &x);
  zg_kvdb_txn_abort(t);
  if (e) return e;
  if (committed) *committed = c;
  if (executed) *executed = x;
  return ZG_OK;
}

zg_err_t zg_blockstore_get_block(zg_blockstore_t *bs, uint8_t id[32], zg_buf_t *block, zg_buf_t *proof,
                                 uint32_t lane, uint64_t height) {
  if (!bs || lane >= bs->lanes) return ZG_EINVAL;
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(bs->db, &t, NULL, false));
  uint8_t k[9];
  lh_key(k, lane, height);
  zg_slice_t v, hd, pf, bid;
  zg_err_t e = zg_kvdb_get(t, bs->blocks, zg_slice(k, 9), &v);
  if (!e) {
    zg_codec_reader_t r;
    zg_codec_reader_init(&r, v.ptr, v.len);
    zg_codec_get_bytes(&r, &hd, SIZE_MAX);
    zg_codec_get_bytes(&r, &pf, SIZE_MAX);
    zg_codec_get_fixed_view(&r, &bid, 32);
    e = zg_codec_reader_finish(&r) ? ZG_ECORRUPT : ZG_OK;
  }
  if (!e && block) e = zg_buf_append(block, hd.ptr, hd.len);
  if (!e && proof) e = zg_buf_append(proof, pf.ptr, pf.len);
  if (!e && id) memcpy(id, bid.ptr, 32);
  zg_kvdb_txn_abort(t);
  return e;
}

/* Looks a 32-byte key up in dbi and copies its value, which must be
 * exactly want bytes long. */
static zg_err_t get_fixed(zg_blockstore_t *bs, zg_kvdb_dbi_t dbi, const uint8_t key[32], uint8_t *out, size_t want) {
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(bs->db, &t, NULL, false));
  zg_slice_t v;
  zg_err_t e = zg_kvdb_get(t, dbi, zg_slice(key, 32), &v);
  if (!e && v.len != want) e = ZG_ECORRUPT;
  if (!e) memcpy(out, v.ptr, want);
  zg_kvdb_txn_abort(t);
  return e;
}

zg_err_t zg_blockstore_find_block(zg_blockstore_t *bs, uint32_t *lane, uint64_t *height, const uint8_t id[32]) {
  if (!bs || !lane || !height || !id) return ZG_EINVAL;
  uint8_t loc[9];
  ZG_TRY(get_fixed(bs, bs->ids, id, loc, 9));
  *lane = loc[0];
  *height = zg_load_be64(loc + 1);
  return ZG_OK;
}

zg_err_t zg_blockstore_find_tx(zg_blockstore_t *bs, uint32_t *lane, uint64_t *height, uint32_t *index,
                               const uint8_t hash[32]) {
  if (!bs || !lane || !height || !index || !hash) return ZG_EINVAL;
  uint8_t loc[13];
  ZG_TRY(get_fixed(bs, bs->txs, hash, loc, 13));
  *lane = loc[0];
  *height = zg_load_be64(loc + 1);
  *index = zg_load_be32(loc + 9);
  return ZG_OK;
}

zg_err_t zg_blockstore_get_batch(zg_blockstore_t *bs, zg_buf_t *out, const uint8_t id[32]) {
  if (!bs || !out || !id) return ZG_EINVAL;
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(bs->db, &t, NULL, false));
  zg_slice_t v;
  zg_err_t e = zg_kvdb_get(t, bs->batches, zg_slice(id, 32), &v);
  if (!e) e = zg_buf_append(out, v.ptr, v.len);
  zg_kvdb_txn_abort(t);
  return e;
}

/* get_exec's view: arg is the caller's buffer (or NULL). */
static zg_err_t exec_copy(void *arg, zg_slice_t blob) {
  return arg ? zg_buf_append(arg, blob.ptr, blob.len) : ZG_OK;
}

zg_err_t zg_blockstore_get_exec(zg_blockstore_t *bs, zg_block_exec_t *x, zg_buf_t *receipts, uint32_t lane,
                                uint64_t height) {
  return zg_blockstore_view_exec(bs, x, lane, height, exec_copy, receipts);
}

zg_err_t zg_blockstore_view_exec(zg_blockstore_t *bs, zg_block_exec_t *x, uint32_t lane, uint64_t height,
                                 zg_err_t (*view)(void *arg, zg_slice_t blob), void *arg) {
  if (!bs || !x || lane >= bs->lanes || !view) return ZG_EINVAL;
  memset(x, 0, sizeof *x);
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(bs->db, &t, NULL, false));
  uint8_t k[9];
  lh_key(k, lane, height);
  zg_slice_t v, rc;
  zg_err_t e = zg_kvdb_get(t, bs->exec, zg_slice(k, 9), &v);
  if (!e) {
    zg_codec_reader_t r;
    zg_codec_reader_init(&r, v.ptr, v.len);
    zg_codec_get_fixed(&r, x->state_digest, 32);
    zg_codec_get_fixed(&r, x->receipts_root, 32);
    zg_codec_get_fixed(&r, x->tx_root, 32);
    zg_codec_get_u64(&r, &x->gas_used);
    zg_codec_get_u64(&r, &x->n_txs);
    zg_codec_get_bytes(&r, &rc, SIZE_MAX);
    e = zg_codec_reader_finish(&r) ? ZG_ECORRUPT : ZG_OK;
  }
  if (!e) e = view(arg, rc);
  zg_kvdb_txn_abort(t);
  if (e) {
    memset(x, 0, sizeof *x);
    return e;
  }
  x->lane = lane;
  x->height = height;
  return ZG_OK;
}

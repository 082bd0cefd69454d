/*
 * node.c — the storage role's service (zg/storage_node.h): log entries into
 * the flow and the log store, verified segment uploads, reads with proofs.
 *
 * Invariants:
 *  - st->flow and st->next_seq describe exactly the txs in the log store;
 *    both change only under st->mu, after the tx record is durable, and are
 *    rebuilt from the records at open (so a crash between the two cannot
 *    leave them apart);
 *  - a segment is stored only after its proof verified against its file
 *    root, and its proof (the only one possible for that root and index) is
 *    durable before the segment is: a stored segment always has its proof.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zg/flow.h"
#include "zg/hash.h"
#include "zg/kvdb.h"
#include "zg/storage_node.h"

struct zg_storage {
  zg_storage_cfg_t cfg;
  zg_logstore_t *ls;
  zg_kvdb_t *pdb;
  zg_kvdb_dbi_t proofs;
  int lock_fd; /* flock'ed data_dir/LOCK: one process per data dir */
  pthread_mutex_t mu;
  zg_flow_t flow;
  uint64_t next_seq;
  _Atomic uint64_t stored_bytes, stored_segments, uploaded, rejected, dl_segments, dl_bytes;
};

static zg_err_t fail(zg_storage_err_t *err, zg_storage_class_t cls, zg_err_t code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static zg_err_t fail(zg_storage_err_t *err, zg_storage_class_t cls, zg_err_t code, const char *fmt, ...) {
  if (err) {
    err->cls = cls;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return code;
}

static zg_err_t store_fail(zg_storage_err_t *err, zg_err_t e, const char *what) {
  if (e == ZG_EFULL) return fail(err, ZG_STORAGE_FULL, e, "%s: no space left on the node's disk", what);
  return fail(err, ZG_STORAGE_INTERNAL, e, "%s: %s", what, zg_strerror(e));
}

static void hexs(char out[67], const uint8_t h[32]) { zg_hex_encode(out, h, 32); }

static void to_merkle_nodes(zg_merkle_node_t *out, const zg_logstore_tx_t *tx) {
  for (uint32_t i = 0; i < tx->nnodes; i++) {
    memcpy(out[i].root, tx->nodes[i].root, 32);
    out[i].height = tx->nodes[i].height;
  }
}

zg_err_t zg_storage_open(zg_storage_t **out, const zg_storage_cfg_t *cfg, char *msg, size_t msglen) {
  *out = NULL;
  zg_storage_err_t err = {0, ""};
  zg_err_t e = ZG_OK;
  if (!cfg || !cfg->data_dir || cfg->num_shard == 0 || (cfg->num_shard & (cfg->num_shard - 1)) ||
      cfg->shard_id >= cfg->num_shard) {
    if (msg) snprintf(msg, msglen, "shard config: numShard must be a power of two and shardId < numShard");
    return ZG_EINVAL;
  }
  zg_storage_t *st = calloc(1, sizeof *st);
  if (!st) return ZG_ENOMEM;
  st->cfg = *cfg;
  st->lock_fd = -1;
  pthread_mutex_init(&st->mu, NULL);
  zg_flow_init(&st->flow);
  char path[4096];
  if (mkdir(cfg->data_dir, 0755) != 0 && errno != EEXIST) {
    e = fail(&err, ZG_STORAGE_INTERNAL, ZG_EIO, "cannot create %s: %s", cfg->data_dir, strerror(errno));
    goto out;
  }
  /* Two processes appending to one log store would corrupt it. */
  snprintf(path, sizeof path, "%s/LOCK", cfg->data_dir);
  st->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (st->lock_fd < 0 || flock(st->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    e = fail(&err, ZG_STORAGE_INTERNAL, errno == EWOULDBLOCK ? ZG_EBUSY : ZG_EIO, "data dir %s: %s", cfg->data_dir,
             errno == EWOULDBLOCK ? "in use by another process" : strerror(errno));
    goto out;
  }
  snprintf(path, sizeof path, "%s/log", cfg->data_dir);
  zg_logstore_opts_t lo = {0, 0, cfg->no_sync, cfg->fault};
  e = zg_logstore_open(&st->ls, path, &lo);
  if (e != ZG_OK) {
    fail(&err, ZG_STORAGE_INTERNAL, e, "log store %s: %s", path, zg_strerror(e));
    goto out;
  }
  snprintf(path, sizeof path, "%s/proofs", cfg->data_dir);
  zg_kvdb_opts_t ko = {(size_t)16 << 30, 4, 0, cfg->no_sync, false};
  e = zg_kvdb_open(&st->pdb, path, &ko);
  if (e == ZG_OK) e = zg_kvdb_dbi_open(st->pdb, &st->proofs, "proofs", true);
  if (e != ZG_OK) {
    fail(&err, ZG_STORAGE_INTERNAL, e, "proof index %s: %s", path, zg_strerror(e));
    goto out;
  }
  /* Rebuild the flow frontier from the tx records, checking their positions. */
  e = zg_logstore_next_seq(st->ls, &st->next_seq);
  for (uint64_t s = 0; e == ZG_OK && s < st->next_seq; s++) {
    zg_logstore_tx_t tx;
    zg_merkle_node_t nodes[ZG_SUBMISSION_MAX_NODES];
    zg_flow_append_t res;
    e = zg_logstore_tx_get(st->ls, &tx, s);
    if (e != ZG_OK) break;
    to_merkle_nodes(nodes, &tx);
    e = zg_flow_append(&st->flow, &res, nodes, tx.nnodes);
    if (e == ZG_OK && res.start_pos != tx.start_pos) e = ZG_ECORRUPT;
  }
  if (e != ZG_OK) fail(&err, ZG_STORAGE_INTERNAL, e, "replaying the log: %s", zg_strerror(e));
out:
  if (e != ZG_OK) {
    if (msg) snprintf(msg, msglen, "%s", err.message);
    zg_storage_close(st);
    return e;
  }
  *out = st;
  return ZG_OK;
}

void zg_storage_close(zg_storage_t *st) {
  if (!st) return;
  zg_logstore_close(st->ls);
  zg_kvdb_close(st->pdb);
  if (st->lock_fd >= 0) close(st->lock_fd);
  pthread_mutex_destroy(&st->mu);
  free(st);
}

void zg_storage_shard(const zg_storage_t *st, uint32_t *shard_id, uint32_t *num_shard) {
  *shard_id = st->cfg.shard_id;
  *num_shard = st->cfg.num_shard;
}

bool zg_storage_holds_flow_segment(const zg_storage_t *st, uint64_t seg) {
  return seg % st->cfg.num_shard == st->cfg.shard_id;
}

void zg_storage_stats(zg_storage_t *st, zg_storage_stats_t *out) {
  out->stored_bytes = atomic_load(&st->stored_bytes);
  out->stored_segments = atomic_load(&st->stored_segments);
  out->uploaded_segments = atomic_load(&st->uploaded);
  out->rejected_segments = atomic_load(&st->rejected);
  out->downloaded_segments = atomic_load(&st->dl_segments);
  out->downloaded_bytes = atomic_load(&st->dl_bytes);
  pthread_mutex_lock(&st->mu);
  out->entries = st->next_seq;
  out->flow_length = st->flow.length;
  pthread_mutex_unlock(&st->mu);
}

void zg_storage_flow_context(zg_storage_t *st, uint8_t root[32], uint64_t *length) {
  pthread_mutex_lock(&st->mu);
  zg_flow_root(&st->flow, root);
  *length = st->flow.length;
  pthread_mutex_unlock(&st->mu);
}

zg_logstore_t *zg_storage_logstore(zg_storage_t *st) { return st->ls; }

uint64_t zg_storage_next_seq(zg_storage_t *st) {
  pthread_mutex_lock(&st->mu);
  uint64_t s = st->next_seq;
  pthread_mutex_unlock(&st->mu);
  return s;
}

zg_err_t zg_storage_add_entry(zg_storage_t *st, zg_logstore_tx_t *out, zg_storage_err_t *err, uint64_t size,
                              const zg_merkle_node_t *nodes, size_t n, uint64_t expect_start) {
  zg_logstore_tx_t tx;
  memset(&tx, 0, sizeof tx);
  if (out) memset(out, 0, sizeof *out);
  zg_file_layout_t lay;
  if (size == 0 || size > ZG_LOGSTORE_MAX_SIZE || zg_file_layout(&lay, size) != ZG_OK)
    return fail(err, ZG_STORAGE_BAD_PARAMS, ZG_EINVAL, "file size %" PRIu64 " out of range (1..2^50)", size);
  if (n != lay.nnodes) goto bad_nodes;
  for (size_t i = 0; i < n; i++)
    if (nodes[i].height != lay.node_heights[i]) goto bad_nodes;
  if (!zg_submission_valid(size, nodes, n))
    return fail(err, ZG_STORAGE_BAD_PARAMS, ZG_EINVAL, "submission is not valid under Flow's rules");
  ZG_TRY(zg_file_root_from_nodes(tx.root, nodes, n));
  tx.size = size;
  tx.nnodes = (uint32_t)n;
  for (size_t i = 0; i < n; i++) {
    memcpy(tx.nodes[i].root, nodes[i].root, 32);
    tx.nodes[i].height = nodes[i].height;
  }
  pthread_mutex_lock(&st->mu);
  zg_flow_t f = st->flow;
  zg_flow_append_t res;
  zg_err_t e = zg_flow_append(&f, &res, nodes, n);
  if (e != ZG_OK) {
    pthread_mutex_unlock(&st->mu);
    return fail(err, ZG_STORAGE_BAD_PARAMS, e, "flow append: %s", zg_strerror(e));
  }
  if (expect_start != UINT64_MAX && expect_start != res.start_pos) {
    pthread_mutex_unlock(&st->mu);
    return fail(err, ZG_STORAGE_BAD_PARAMS, ZG_ESTATE,
                "entry starts at %" PRIu64 " in the source but at %" PRIu64 " in this node's flow", expect_start,
                res.start_pos);
  }
  tx.seq = st->next_seq;
  tx.start_pos = res.start_pos;
  e = zg_logstore_tx_put(st->ls, &tx, 1);
  if (e == ZG_OK) {
    st->flow = f;
    st->next_seq++;
  }
  pthread_mutex_unlock(&st->mu);
  if (e != ZG_OK) return store_fail(err, e, "storing the log entry");
  if (out) *out = tx;
  return ZG_OK;
bad_nodes:
  return fail(err, ZG_STORAGE_BAD_PARAMS, ZG_EINVAL,
              "the nodes are not those of a file of %" PRIu64 " bytes (%u nodes of heights %u,%u,...)", size,
              lay.nnodes, lay.node_heights[0], lay.nnodes > 1 ? lay.node_heights[1] : 0);
}

zg_err_t zg_storage_find_tx(zg_storage_t *st, zg_logstore_tx_t *out, zg_storage_err_t *err, const uint8_t *root,
                            bool has_seq, uint64_t seq) {
  char hex[67];
  memset(out, 0, sizeof *out);
  if (has_seq) {
    zg_err_t e = zg_logstore_tx_get(st->ls, out, seq);
    if (e == ZG_ENOTFOUND)
      return fail(err, ZG_STORAGE_NOT_FOUND, e, "no log entry with tx seq %" PRIu64 "", seq);
    if (e != ZG_OK) return store_fail(err, e, "reading the log entry");
    if (root && memcmp(root, out->root, 32) != 0) {
      hexs(hex, out->root);
      return fail(err, ZG_STORAGE_BAD_PARAMS, ZG_EINVAL, "wrong root: tx %" PRIu64 " has root %s", seq, hex);
    }
    return ZG_OK;
  }
  uint64_t s;
  size_t total = 0;
  zg_err_t e = zg_logstore_txs_by_root(st->ls, &s, 1, &total, root);
  if (e != ZG_OK) return store_fail(err, e, "root index");
  if (total == 0) {
    hexs(hex, root);
    return fail(err, ZG_STORAGE_NOT_FOUND, ZG_ENOTFOUND, "no log entry for root %s (submit the file first)", hex);
  }
  e = zg_logstore_tx_get(st->ls, out, s);
  return e == ZG_OK ? ZG_OK : store_fail(err, e, "reading the log entry");
}

/* Segments of tx in this node's shard among its data segments. */
static uint64_t shard_segments(const zg_storage_t *st, const zg_logstore_tx_t *tx) {
  uint64_t d = zg_logstore_tx_segments(tx->size), n = st->cfg.num_shard;
  uint64_t s0 = tx->start_pos / ZG_SECTORS_PER_SEGMENT;
  uint64_t i0 = (st->cfg.shard_id + n - s0 % n) % n;
  return i0 >= d ? 0 : 1 + (d - 1 - i0) / n;
}

zg_err_t zg_storage_file_info(zg_storage_t *st, zg_storage_file_info_t *out, const zg_logstore_tx_t *tx) {
  memset(out, 0, sizeof *out);
  out->tx = *tx;
  zg_logstore_root_info_t ri;
  zg_err_t e = zg_logstore_root_info(st->ls, &ri, tx->root);
  if (e != ZG_OK && e != ZG_ENOTFOUND) return e;
  out->uploaded_segs = e == ZG_OK ? ri.present : 0;
  out->shard_segs = shard_segments(st, tx);
  if (out->uploaded_segs < out->shard_segs) return ZG_OK;
  /* Enough segments: check the very ones of this tx's shard positions. */
  uint64_t d = zg_logstore_tx_segments(tx->size), s0 = tx->start_pos / ZG_SECTORS_PER_SEGMENT;
  for (uint64_t i = 0; i < d; i++) {
    if (!zg_storage_holds_flow_segment(st, s0 + i)) continue;
    bool present;
    ZG_TRY(zg_logstore_segment_has(st->ls, &present, tx->root, i));
    if (!present) return ZG_OK;
  }
  out->finalized = true;
  return ZG_OK;
}

zg_err_t zg_storage_segment_present(zg_storage_t *st, bool *present, const zg_logstore_tx_t *tx, uint64_t index) {
  *present = false;
  return zg_logstore_segment_has(st->ls, present, tx->root, index);
}

/* Checks one segment against its tx; verdict in err. */
static zg_err_t check_segment(zg_storage_t *st, zg_storage_err_t *err, const zg_storage_segment_t *s,
                              const zg_logstore_tx_t *tx) {
  char hex[67];
  if (memcmp(s->root, tx->root, 32) != 0) {
    hexs(hex, tx->root);
    return fail(err, ZG_STORAGE_BAD_PARAMS, ZG_EINVAL, "wrong root for segment %" PRIu64 ": tx %" PRIu64 " has %s",
                s->index, tx->seq, hex);
  }
  if (s->file_size != tx->size)
    return fail(err, ZG_STORAGE_BAD_PARAMS, ZG_EINVAL,
                "wrong fileSize %" PRIu64 ": the log entry has %" PRIu64 " bytes", s->file_size, tx->size);
  zg_file_layout_t lay;
  ZG_TRY(zg_file_layout(&lay, tx->size));
  if (s->index >= lay.data_segments)
    return fail(err, ZG_STORAGE_BAD_PARAMS, ZG_ERANGE,
                "segment index %" PRIu64 " out of range: the file has %" PRIu64 " segments", s->index,
                lay.data_segments);
  size_t want;
  ZG_TRY(zg_segment_data_len(&want, &lay, s->index));
  if (s->len != want)
    return fail(err, ZG_STORAGE_BAD_PARAMS, ZG_EBADLEN,
                "wrong segment size: segment %" PRIu64 " has %zu bytes, expected %zu", s->index, s->len, want);
  uint64_t fseg = tx->start_pos / ZG_SECTORS_PER_SEGMENT + s->index;
  if (!zg_storage_holds_flow_segment(st, fseg))
    return fail(err, ZG_STORAGE_WRONG_SHARD, ZG_EINVAL,
                "segment %" PRIu64 " (flow segment %" PRIu64 ") belongs to shard %" PRIu64 "/%u, this node holds "
                "shard %u/%u",
                s->index, fseg, fseg % st->cfg.num_shard, st->cfg.num_shard, st->cfg.shard_id, st->cfg.num_shard);
  bool ok = false;
  zg_err_t e = zg_segment_proof_verify(&ok, s->proof, tx->root, tx->size, s->index, s->data, s->len);
  if (e != ZG_OK || !ok)
    return fail(err, ZG_STORAGE_BAD_PROOF, ZG_EBADPROOF,
                "segment %" PRIu64 ": the proof does not verify against the file root%s%s", s->index,
                e != ZG_OK ? ": " : "", e != ZG_OK ? zg_strerror(e) : "");
  return ZG_OK;
}

static void proof_key(uint8_t key[40], const uint8_t root[32], uint64_t index) {
  memcpy(key, root, 32);
  zg_store_be64(key + 32, index);
}

zg_err_t zg_storage_upload(zg_storage_t *st, zg_storage_err_t *err, const zg_storage_segment_t *segs, size_t n,
                           bool has_seq, uint64_t seq) {
  if (err) err->cls = ZG_STORAGE_OK, err->message[0] = '\0';
  if (n == 0) return fail(err, ZG_STORAGE_BAD_PARAMS, ZG_EINVAL, "no segments");
  zg_logstore_seg_t *ls = calloc(n, sizeof *ls);
  zg_buf_t enc;
  zg_buf_init(&enc);
  if (!ls) return ZG_ENOMEM;
  zg_err_t e = ZG_OK;
  zg_logstore_tx_t tx;
  bool have_tx = false;
  for (size_t i = 0; i < n && e == ZG_OK; i++) {
    const zg_storage_segment_t *s = &segs[i];
    if (!have_tx || memcmp(tx.root, s->root, 32) != 0 || tx.size != s->file_size) {
      e = zg_storage_find_tx(st, &tx, err, has_seq ? NULL : s->root, has_seq, seq);
      /* Several txs may share a root with different sizes: find the one of this size. */
      if (e == ZG_OK && !has_seq && tx.size != s->file_size) {
        uint64_t seqs[16];
        size_t total = 0;
        if (zg_logstore_txs_by_root(st->ls, seqs, 16, &total, s->root) == ZG_OK)
          for (size_t k = 0; k < total && k < 16; k++)
            if (zg_logstore_tx_get(st->ls, &tx, seqs[k]) == ZG_OK && tx.size == s->file_size) break;
      }
      if (e != ZG_OK) break;
      have_tx = true;
    }
    e = check_segment(st, err, s, &tx);
    memcpy(ls[i].root, s->root, 32);
    ls[i].index = s->index;
    ls[i].data = s->data;
    ls[i].len = s->len;
  }
  if (e != ZG_OK) {
    atomic_fetch_add(&st->rejected, n);
    goto out;
  }
  /* Proofs first, durably; then the data (see the invariants). */
  zg_kvdb_txn_t *t = NULL;
  e = zg_kvdb_txn_begin(st->pdb, &t, NULL, true);
  for (size_t i = 0; i < n && e == ZG_OK; i++) {
    uint8_t key[40];
    proof_key(key, segs[i].root, segs[i].index);
    enc.len = 0;
    e = zg_merkle_proof_encode(&enc, segs[i].proof);
    if (e == ZG_OK) e = zg_kvdb_put(t, st->proofs, zg_slice(key, 40), zg_buf_slice(&enc), 0);
  }
  if (e == ZG_OK) {
    e = zg_kvdb_txn_commit(t);
  } else {
    zg_kvdb_txn_abort(t);
  }
  if (e != ZG_OK) {
    store_fail(err, e, "storing the proofs");
    goto out;
  }
  e = zg_logstore_segments_put(st->ls, ls, n);
  if (e != ZG_OK) {
    if (e == ZG_ENOTFOUND || e == ZG_ERANGE)
      fail(err, ZG_STORAGE_NOT_FOUND, e, "the log store refused the segments: %s", zg_strerror(e));
    else
      store_fail(err, e, "storing the segments");
    goto out;
  }
  atomic_fetch_add(&st->uploaded, n);
  uint64_t bytes = 0;
  for (size_t i = 0; i < n; i++) bytes += segs[i].len;
  atomic_fetch_add(&st->stored_bytes, bytes);
  atomic_fetch_add(&st->stored_segments, n);
out:
  zg_buf_clear(&enc);
  free(ls);
  return e;
}

zg_err_t zg_storage_segment_with_proof(zg_storage_t *st, bool *present, uint8_t *out, size_t cap, size_t *len,
                                       zg_merkle_proof_t *proof, zg_storage_err_t *err, const zg_logstore_tx_t *tx,
                                       uint64_t index) {
  *present = false;
  *len = 0;
  uint64_t d = zg_logstore_tx_segments(tx->size);
  if (index >= d)
    return fail(err, ZG_STORAGE_BAD_PARAMS, ZG_ERANGE,
                "segment index %" PRIu64 " out of range: the file has %" PRIu64 " segments", index, d);
  bool has;
  zg_err_t e = zg_logstore_segment_has(st->ls, &has, tx->root, index);
  if (e != ZG_OK) return store_fail(err, e, "presence");
  if (!has) return ZG_OK;
  uint8_t key[40];
  proof_key(key, tx->root, index);
  zg_kvdb_txn_t *t = NULL;
  zg_slice_t v;
  e = zg_kvdb_txn_begin(st->pdb, &t, NULL, false);
  if (e == ZG_OK) e = zg_kvdb_get(t, st->proofs, zg_slice(key, 40), &v);
  if (e == ZG_OK) e = zg_merkle_proof_decode(proof, v.ptr, v.len);
  zg_kvdb_txn_abort(t);
  if (e != ZG_OK) return store_fail(err, e, "reading the segment's proof");
  e = zg_logstore_segment_get_by_tx(st->ls, out, cap, len, tx->seq, index);
  if (e != ZG_OK) return store_fail(err, e, "reading the segment");
  *present = true;
  atomic_fetch_add(&st->dl_segments, 1);
  atomic_fetch_add(&st->dl_bytes, *len);
  return ZG_OK;
}

zg_err_t zg_storage_read_chunks(zg_storage_t *st, bool *present, uint8_t *out, size_t cap, size_t *len,
                                zg_storage_err_t *err, const zg_logstore_tx_t *tx, uint64_t start, uint64_t end) {
  *present = false;
  *len = 0;
  uint64_t chunks = (tx->size + ZG_SECTOR_BYTES - 1) / ZG_SECTOR_BYTES;
  if (start >= end || end > chunks || end - start > ZG_SECTORS_PER_SEGMENT)
    return fail(err, ZG_STORAGE_BAD_PARAMS, ZG_ERANGE,
                "chunk range [%" PRIu64 ", %" PRIu64 ") invalid: the file has %" PRIu64
                " chunks, at most 1024 per call",
                start, end, chunks);
  if (cap < (end - start) * ZG_SECTOR_BYTES) return ZG_EINVAL;
  uint8_t *seg = malloc(ZG_SEGMENT_BYTES);
  if (!seg) return ZG_ENOMEM;
  zg_err_t e = ZG_OK;
  bool all = true;
  for (uint64_t c = start; c < end && all;) {
    uint64_t si = c / ZG_SECTORS_PER_SEGMENT, c_end = (si + 1) * ZG_SECTORS_PER_SEGMENT;
    if (c_end > end) c_end = end;
    bool has;
    e = zg_logstore_segment_has(st->ls, &has, tx->root, si);
    if (e != ZG_OK) break;
    if (!has) {
      all = false;
      break;
    }
    size_t sl;
    e = zg_logstore_segment_get_by_tx(st->ls, seg, ZG_SEGMENT_BYTES, &sl, tx->seq, si);
    if (e != ZG_OK) break;
    size_t off = (size_t)(c - si * ZG_SECTORS_PER_SEGMENT) * ZG_SECTOR_BYTES, n = (size_t)(c_end - c) * ZG_SECTOR_BYTES;
    if (off + n > sl) {
      e = ZG_ECORRUPT;
      break;
    }
    memcpy(out + *len, seg + off, n);
    *len += n;
    c = c_end;
  }
  free(seg);
  if (e != ZG_OK) {
    *len = 0;
    return store_fail(err, e, "reading chunks");
  }
  if (!all) {
    *len = 0;
    return ZG_OK;
  }
  *present = true;
  atomic_fetch_add(&st->dl_bytes, *len);
  return ZG_OK;
}

/* ---- Sector proofs (zgs_getSectorProof) ----
 *
 * The flow tree is a sequence of pieces: the txs' nodes (aligned complete
 * subtrees whose roots the tx records carry, contiguous within a tx) and
 * zero gaps (alignment padding), plus the dummy sector 0. A proof of sector
 * s needs the siblings along its path: those that cover several pieces are
 * folded from the pieces' roots; those inside the node that holds s come
 * from the segment's stored file proof (heights >= 10) or from its data
 * (below 10). Every proof is verified against the flow root before it is
 * returned, and only then are its segment-level siblings cached in the log
 * store's flow-node table (complete subtrees never change). */

typedef struct {
  zg_storage_t *st;
  uint64_t ntx;                    /* txs of the snapshot */
  const zg_logstore_tx_t *ttx;     /* the tx holding the sector */
  uint64_t tseg;                   /* the sector's segment index in that file */
  const uint8_t *seg;              /* that segment's bytes */
  size_t seglen;
  const zg_merkle_proof_t *fproof; /* that segment's file proof */
  zg_logstore_flow_node_t memo[ZG_MERKLE_MAX_PATH];
  size_t nmemo;
} sector_ctx_t;

static uint64_t tx_extent(const zg_logstore_tx_t *tx) {
  uint64_t end = tx->start_pos;
  for (uint32_t i = 0; i < tx->nnodes; i++) end += 1ull << tx->nodes[i].height;
  return end;
}

/* The last tx of the snapshot with start_pos <= pos; *found false if none. */
static zg_err_t tx_at(sector_ctx_t *c, zg_logstore_tx_t *tx, bool *found, uint64_t pos) {
  uint64_t lo = 0, hi = c->ntx; /* answer in [lo-1, hi) */
  *found = false;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    ZG_TRY(zg_logstore_tx_get(c->st->ls, tx, mid));
    if (tx->start_pos <= pos)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0) return ZG_OK;
  *found = true;
  return zg_logstore_tx_get(c->st->ls, tx, lo - 1);
}

/* Node (h, idx) strictly inside a node of the target tx. */
static zg_err_t inside_node(sector_ctx_t *c, uint8_t out[32], const zg_logstore_tx_t *tx, unsigned h, uint64_t idx) {
  if (tx->seq != c->ttx->seq) return ZG_ENOTFOUND; /* never on the sector's path */
  if (h >= ZG_SEGMENT_HEIGHT) {
    unsigned k = h - ZG_SEGMENT_HEIGHT;
    if (k >= c->fproof->npath) return ZG_ECORRUPT;
    memcpy(out, c->fproof->lemma[1 + k], 32);
    return ZG_OK;
  }
  uint64_t off = (idx << h) - tx->start_pos;
  if (off / ZG_SECTORS_PER_SEGMENT != c->tseg) return ZG_ENOTFOUND;
  size_t first = (size_t)(off % ZG_SECTORS_PER_SEGMENT), n = (size_t)1 << h;
  uint8_t(*leaves)[32] = malloc(n * 32);
  if (!leaves) return ZG_ENOMEM;
  for (size_t j = 0; j < n; j++) {
    size_t at = (first + j) * ZG_SECTOR_BYTES;
    if (at < c->seglen)
      zg_flow_leaf_hash(leaves[j], (idx << h) + j, c->seg + at, c->seglen - at);
    else
      memcpy(leaves[j], zg_merkle_zero_hash(0), 32);
  }
  zg_err_t e = zg_merkle_root_of(out, (const uint8_t(*)[32])leaves, n);
  free(leaves);
  return e;
}

/* Value of the complete subtree (h, idx) below the snapshot's length. */
static zg_err_t resolve(sector_ctx_t *c, uint8_t out[32], unsigned h, uint64_t idx) {
  uint64_t a = idx << h, b = a + (1ull << h);
  if (a == 0) {
    if (h == 0) {
      memset(out, 0, 32); /* the dummy sector */
      return ZG_OK;
    }
    goto split;
  }
  zg_logstore_tx_t tx;
  bool found;
  ZG_TRY(tx_at(c, &tx, &found, a));
  if (found && a < tx_extent(&tx)) {
    uint64_t p = tx.start_pos;
    uint32_t i = 0;
    while (i + 1 < tx.nnodes && a >= p + (1ull << tx.nodes[i].height)) p += 1ull << tx.nodes[i++].height;
    unsigned hn = tx.nodes[i].height;
    if (a == p && h == hn) {
      memcpy(out, tx.nodes[i].root, 32);
      return ZG_OK;
    }
    if (h < hn) return inside_node(c, out, &tx, h, idx);
    goto split;
  }
  /* a is in a gap: zero unless the next tx starts inside [a, b). */
  uint64_t next = found ? tx.seq + 1 : 0;
  if (next < c->ntx) {
    ZG_TRY(zg_logstore_tx_get(c->st->ls, &tx, next));
    if (tx.start_pos < b) goto split;
  }
  memcpy(out, zg_merkle_zero_hash(h), 32);
  return ZG_OK;
split:
  if (h == 0) return ZG_ECORRUPT;
  uint8_t l[32], r[32];
  ZG_TRY(resolve(c, l, h - 1, 2 * idx));
  ZG_TRY(resolve(c, r, h - 1, 2 * idx + 1));
  zg_keccak256_pair(out, l, r);
  return ZG_OK;
}

/* zg_flow_node_fn: the log store's cached nodes first, then resolve. */
static zg_err_t sector_fetch(void *arg, uint8_t out[32], unsigned height, uint64_t index) {
  sector_ctx_t *c = arg;
  if (height >= ZG_SEGMENT_HEIGHT) {
    zg_err_t e = zg_logstore_flow_node_get(c->st->ls, out, height, index);
    if (e != ZG_ENOTFOUND) return e;
  }
  ZG_TRY(resolve(c, out, height, index));
  if (height >= ZG_SEGMENT_HEIGHT && c->nmemo < ZG_MERKLE_MAX_PATH) {
    zg_logstore_flow_node_t *m = &c->memo[c->nmemo++];
    m->height = height;
    m->index = index;
    memcpy(m->hash, out, 32);
  }
  return ZG_OK;
}

zg_err_t zg_storage_sector_proof(zg_storage_t *st, zg_merkle_proof_t *proof, uint8_t root[32], uint64_t *length,
                                 zg_storage_err_t *err, uint64_t sector) {
  memset(proof, 0, sizeof *proof);
  sector_ctx_t *c = calloc(1, sizeof *c);
  uint8_t *seg = malloc(ZG_SEGMENT_BYTES);
  zg_flow_t flow;
  zg_logstore_tx_t tx;
  zg_merkle_proof_t fp;
  zg_err_t e = ZG_OK;
  if (!c || !seg) {
    e = ZG_ENOMEM;
    goto out;
  }
  pthread_mutex_lock(&st->mu);
  flow = st->flow;
  c->ntx = st->next_seq;
  pthread_mutex_unlock(&st->mu);
  zg_flow_root(&flow, root);
  *length = flow.length;
  c->st = st;
  if (sector == 0 || sector >= flow.length) {
    e = fail(err, ZG_STORAGE_NOT_FOUND, ZG_ERANGE,
             "sector %" PRIu64 " is not a data sector of the flow (length %" PRIu64 ")", sector, flow.length);
    goto out;
  }
  bool found;
  e = tx_at(c, &tx, &found, sector);
  if (e != ZG_OK) {
    store_fail(err, e, "reading the log entries");
    goto out;
  }
  uint64_t off = found ? sector - tx.start_pos : 0;
  if (!found || sector >= tx_extent(&tx) || off / ZG_SECTORS_PER_SEGMENT >= zg_logstore_tx_segments(tx.size)) {
    e = fail(err, ZG_STORAGE_NOT_FOUND, ZG_ENOTFOUND,
             "sector %" PRIu64 " is padding, not file data: no node stores it", sector);
    goto out;
  }
  c->ttx = &tx;
  c->tseg = off / ZG_SECTORS_PER_SEGMENT;
  bool has = false;
  e = zg_logstore_segment_has(st->ls, &has, tx.root, c->tseg);
  if (e == ZG_OK && has) {
    uint8_t key[40];
    zg_kvdb_txn_t *t = NULL;
    zg_slice_t v;
    proof_key(key, tx.root, c->tseg);
    e = zg_kvdb_txn_begin(st->pdb, &t, NULL, false);
    if (e == ZG_OK) e = zg_kvdb_get(t, st->proofs, zg_slice(key, 40), &v);
    if (e == ZG_OK) e = zg_merkle_proof_decode(&fp, v.ptr, v.len);
    zg_kvdb_txn_abort(t);
    if (e == ZG_OK) e = zg_logstore_segment_get_by_tx(st->ls, seg, ZG_SEGMENT_BYTES, &c->seglen, tx.seq, c->tseg);
  }
  if (e != ZG_OK) {
    store_fail(err, e, "reading the sector's segment");
    goto out;
  }
  if (!has) {
    e = fail(err, ZG_STORAGE_NOT_FOUND, ZG_ENOTFOUND,
             "this node does not hold sector %" PRIu64 " (segment %" PRIu64 " of tx %" PRIu64 ")", sector, c->tseg,
             tx.seq);
    goto out;
  }
  c->seg = seg;
  c->fproof = &fp;
  e = zg_flow_proof(proof, &flow, 0, sector, sector_fetch, c);
  bool ok = false;
  if (e == ZG_OK) e = zg_flow_proof_verify(&ok, proof, proof->lemma[0], 0, sector, root, flow.length);
  if (e == ZG_OK && !ok) e = ZG_ECORRUPT;
  if (e != ZG_OK) {
    memset(proof, 0, sizeof *proof);
    fail(err, ZG_STORAGE_INTERNAL, e, "building the proof of sector %" PRIu64 ": %s", sector, zg_strerror(e));
    goto out;
  }
  /* Best effort: a failed cache write costs a recomputation later. */
  if (c->nmemo && zg_logstore_flow_nodes_put(st->ls, c->memo, c->nmemo) != ZG_OK) c->nmemo = 0;
out:
  free(seg);
  free(c);
  return e;
}

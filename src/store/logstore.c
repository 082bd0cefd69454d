/*
 * logstore.c — the storage node's log store (zg/logstore.h): opening and
 * recovery, tx records, reads, presence and finalization, flow-tree nodes,
 * metadata. The segment write path (group commit) is in logstore_put.c.
 *
 * Sub-databases of the LMDB environment dir/index (keys big-endian):
 *   tx       seq(8)              -> tx record (logstore_codec.c)
 *   root_tx  root(32) | seq(8)   -> empty         (the root -> seqs index)
 *   root     root(32)            -> root record {segments, present}
 *   seg      root(32) | index(8) -> location {file, offset, length} in dir/data
 *   flow     height(1) | index(8)-> 32-byte node hash
 *   meta     "s:data_end"        -> u32 file | u64 offset: end of indexed data
 *            "u:" name           -> caller's value
 *
 * Invariants (what recovery relies on):
 *  - every seg entry points at a record that was fdatasync'ed before the
 *    LMDB transaction holding the entry committed, at or before data_end of
 *    that same transaction;
 *  - so on open, everything in the data files after data_end is garbage from
 *    an unfinished group, and is cut off;
 *  - root.present counts the seg keys of root; a tx is FINALIZED iff every
 *    seg key root|i, i < segments(tx.size), exists.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/logstore_internal.h"
#include "zg/log.h"

#define META_DATA_END "s:data_end"

static zg_slice_t meta_key(char *buf, size_t cap, const char *name) {
  int n = snprintf(buf, cap, "u:%s", name);
  return zg_slice(buf, (size_t)n);
}

zg_err_t zg__logstore_commit(zg_logstore_t *ls, zg_kvdb_txn_t *txn) {
  zg_store_fault_t *f = ls->opts.fault;
  if (f && ++f->commits == f->fail_commit_at) {
    zg_kvdb_txn_abort(txn);
    zg_logw("logstore", "index commit: injected failure");
    return (f->err ? f->err : ENOSPC) == ENOSPC ? ZG_EFULL : ZG_EIO;
  }
  return zg_kvdb_txn_commit(txn);
}

/* ---- open / close ---- */

static zg_err_t recover(zg_logstore_t *ls) {
  zg_kvdb_txn_t *txn = NULL;
  zg_slice_t v;
  zg_datafile_pos_t end = {0, ZG_DATAFILE_HEADER_SIZE};
  ZG_TRY(zg_kvdb_txn_begin(ls->db, &txn, NULL, false));
  zg_err_t err = zg_kvdb_get(txn, ls->dbi_meta, zg_slice(META_DATA_END, strlen(META_DATA_END)), &v);
  if (err == ZG_OK) {
    if (v.len != 12) {
      err = ZG_ECORRUPT;
    } else {
      end.file = zg_load_be32(v.ptr);
      end.off = zg_load_be64(v.ptr + 4);
    }
  } else if (err == ZG_ENOTFOUND) {
    err = ZG_OK; /* a new store: no data indexed */
  }
  zg_kvdb_txn_abort(txn);
  if (err != ZG_OK) return err;
  zg_datafile_pos_t tail = zg_datafile_tail(ls->df);
  if (tail.file != end.file || tail.off != end.off)
    zg_logi("logstore", "recovery: data end %u:%llu, indexed end %u:%llu: truncating", (unsigned)tail.file,
            (unsigned long long)tail.off, (unsigned)end.file, (unsigned long long)end.off);
  err = zg_datafile_truncate(ls->df, &end);
  if (err == ZG_ETRUNC) {
    /* The files hold less than the index says: the disk lost acknowledged
     * data. Keep going; reads of the lost records report ZG_ETRUNC. */
    zg_loge("logstore", "recovery: data files end before the indexed end %u:%llu", (unsigned)end.file,
            (unsigned long long)end.off);
    err = ZG_OK;
  }
  return err;
}

zg_err_t zg_logstore_open(zg_logstore_t **out, const char *dir, const zg_logstore_opts_t *opts) {
  char path[512];
  zg_logstore_t *ls;
  zg_err_t err;
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!dir || strlen(dir) > 200) return ZG_EINVAL;
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) return errno == ENOSPC ? ZG_EFULL : ZG_EIO;
  ls = calloc(1, sizeof *ls);
  if (!ls) return ZG_ENOMEM;
  if (opts) ls->opts = *opts;
  pthread_mutex_init(&ls->qlock, NULL);
  pthread_cond_init(&ls->qcond, NULL);
  ls->qtail = &ls->qhead;

  zg_kvdb_opts_t ko = {.map_size = ls->opts.map_size ? ls->opts.map_size : ((size_t)64 << 30),
                       .max_dbs = 8,
                       .no_sync = ls->opts.no_sync};
  snprintf(path, sizeof path, "%s/index", dir);
  if ((err = zg_kvdb_open(&ls->db, path, &ko)) != ZG_OK) goto out;
  if ((err = zg_kvdb_dbi_open(ls->db, &ls->dbi_tx, "tx", true)) != ZG_OK ||
      (err = zg_kvdb_dbi_open(ls->db, &ls->dbi_root_tx, "root_tx", true)) != ZG_OK ||
      (err = zg_kvdb_dbi_open(ls->db, &ls->dbi_root, "root", true)) != ZG_OK ||
      (err = zg_kvdb_dbi_open(ls->db, &ls->dbi_seg, "seg", true)) != ZG_OK ||
      (err = zg_kvdb_dbi_open(ls->db, &ls->dbi_flow, "flow", true)) != ZG_OK ||
      (err = zg_kvdb_dbi_open(ls->db, &ls->dbi_meta, "meta", true)) != ZG_OK)
    goto out;
  zg_datafile_opts_t dopts = {
      .file_limit = ls->opts.file_limit, .no_sync = ls->opts.no_sync, .fault = ls->opts.fault};
  snprintf(path, sizeof path, "%s/data", dir);
  if ((err = zg_datafile_open(&ls->df, path, &dopts)) != ZG_OK) goto out;
  if ((err = recover(ls)) != ZG_OK) goto out;
out:
  if (err != ZG_OK) {
    zg_logw("logstore", "open %s: %s", dir, zg_strerror(err));
    zg_logstore_close(ls);
    return err;
  }
  *out = ls;
  return ZG_OK;
}

void zg_logstore_close(zg_logstore_t *ls) {
  if (!ls) return;
  zg_datafile_close(ls->df);
  zg_kvdb_close(ls->db);
  pthread_cond_destroy(&ls->qcond);
  pthread_mutex_destroy(&ls->qlock);
  free(ls);
}

void zg_logstore_stats(zg_logstore_t *ls, zg_logstore_stats_t *out) {
  pthread_mutex_lock(&ls->qlock);
  *out = ls->stats;
  pthread_mutex_unlock(&ls->qlock);
}

/* ---- presence and finalization ---- */

/* Reads the root record of root in txn. */
static zg_err_t root_get(zg_logstore_t *ls, zg_kvdb_txn_t *txn, zg_logstore_root_info_t *ri,
                         const uint8_t root[32]) {
  zg_slice_t v;
  zg_err_t err = zg_kvdb_get(txn, ls->dbi_root, zg_slice(root, 32), &v);
  if (err != ZG_OK) {
    memset(ri, 0, sizeof *ri);
    return err;
  }
  return zg__logstore_root_decode(ri, v.ptr, v.len);
}

/* Sets *done to whether segments 0..nseg-1 of root are all present. */
static zg_err_t root_complete(zg_logstore_t *ls, zg_kvdb_txn_t *txn, bool *done, const uint8_t root[32],
                              const zg_logstore_root_info_t *ri, uint64_t nseg) {
  uint8_t k[40];
  zg_kvdb_cursor_t *c = NULL;
  zg_slice_t key, val;
  uint64_t have = 0;
  *done = false;
  if (ri->present < nseg) return ZG_OK;
  if (nseg == ri->segments) {
    *done = true; /* present counts distinct indexes below segments */
    return ZG_OK;
  }
  /* A smaller file sharing the root with a bigger one: count its range. */
  ZG_TRY(zg_kvdb_cursor_open(&c, txn, ls->dbi_seg));
  zg__ls_key_root_u64(k, root, 0);
  key = zg_slice(k, 40);
  zg_err_t err = zg_kvdb_cursor_get(c, &key, &val, ZG_KVDB_SEEK_GE);
  while (err == ZG_OK && key.len == 40 && memcmp(key.ptr, root, 32) == 0 &&
         zg_load_be64(key.ptr + 32) < nseg) {
    have++;
    err = zg_kvdb_cursor_get(c, &key, &val, ZG_KVDB_NEXT);
  }
  zg_kvdb_cursor_close(c);
  if (err != ZG_OK && err != ZG_ENOTFOUND) return err;
  *done = have == nseg;
  return ZG_OK;
}

zg_err_t zg__logstore_finalize_root(zg_logstore_t *ls, zg_kvdb_txn_t *txn, const uint8_t root[32],
                                    const zg_logstore_root_info_t *ri) {
  uint8_t k[40], seqk[8];
  zg_kvdb_cursor_t *c = NULL;
  zg_slice_t key, val;
  zg_buf_t buf;
  zg_buf_init(&buf);
  ZG_TRY(zg_kvdb_cursor_open(&c, txn, ls->dbi_root_tx));
  zg__ls_key_root_u64(k, root, 0);
  key = zg_slice(k, 40);
  zg_err_t err = zg_kvdb_cursor_get(c, &key, &val, ZG_KVDB_SEEK_GE);
  while (err == ZG_OK && key.len == 40 && memcmp(key.ptr, root, 32) == 0) {
    zg_logstore_tx_t tx;
    zg_slice_t tv;
    bool done;
    memcpy(seqk, key.ptr + 32, 8);
    if ((err = zg_kvdb_get(txn, ls->dbi_tx, zg_slice(seqk, 8), &tv)) != ZG_OK) break;
    if ((err = zg__logstore_tx_decode(&tx, tv.ptr, tv.len)) != ZG_OK) break;
    if (tx.status == ZG_LOGSTORE_PENDING) {
      if ((err = root_complete(ls, txn, &done, root, ri, zg_logstore_tx_segments(tx.size))) != ZG_OK) break;
      if (done) {
        tx.status = ZG_LOGSTORE_FINALIZED;
        buf.len = 0;
        if ((err = zg__logstore_tx_encode(&buf, &tx)) != ZG_OK) break;
        if ((err = zg_kvdb_put(txn, ls->dbi_tx, zg_slice(seqk, 8), zg_buf_slice(&buf), 0)) != ZG_OK) break;
      }
    }
    err = zg_kvdb_cursor_get(c, &key, &val, ZG_KVDB_NEXT);
  }
  zg_kvdb_cursor_close(c);
  zg_buf_clear(&buf);
  return err == ZG_ENOTFOUND ? ZG_OK : err;
}

/* ---- txs ---- */

static zg_err_t next_seq_in(zg_logstore_t *ls, zg_kvdb_txn_t *txn, uint64_t *out) {
  zg_kvdb_cursor_t *c = NULL;
  zg_slice_t k, v;
  *out = 0;
  ZG_TRY(zg_kvdb_cursor_open(&c, txn, ls->dbi_tx));
  zg_err_t err = zg_kvdb_cursor_get(c, &k, &v, ZG_KVDB_LAST);
  zg_kvdb_cursor_close(c);
  if (err == ZG_ENOTFOUND) return ZG_OK;
  if (err != ZG_OK) return err;
  if (k.len != 8) return ZG_ECORRUPT;
  *out = zg_load_be64(k.ptr) + 1;
  return ZG_OK;
}

static bool tx_same(const zg_logstore_tx_t *a, const zg_logstore_tx_t *b) {
  if (a->seq != b->seq || memcmp(a->root, b->root, 32) != 0 || a->size != b->size ||
      a->start_pos != b->start_pos || a->nnodes != b->nnodes)
    return false;
  for (uint32_t i = 0; i < a->nnodes; i++)
    if (memcmp(a->nodes[i].root, b->nodes[i].root, 32) != 0 || a->nodes[i].height != b->nodes[i].height)
      return false;
  return true;
}

/* Stores one new tx (seq == next) in txn. */
static zg_err_t tx_insert(zg_logstore_t *ls, zg_kvdb_txn_t *txn, zg_buf_t *buf, const zg_logstore_tx_t *in) {
  zg_logstore_tx_t tx = *in;
  zg_logstore_root_info_t ri;
  uint8_t rk[40], seqk[8], rv[ZG__ROOTREC_LEN];
  bool done;
  zg_err_t err = root_get(ls, txn, &ri, tx.root);
  if (err == ZG_ENOTFOUND) err = ZG_OK;
  if (err != ZG_OK) return err;
  uint64_t nseg = zg_logstore_tx_segments(tx.size);
  if (nseg > ri.segments) ri.segments = nseg;
  zg__logstore_root_encode(rv, &ri);
  ZG_TRY(zg_kvdb_put(txn, ls->dbi_root, zg_slice(tx.root, 32), zg_slice(rv, sizeof rv), 0));
  zg__ls_key_root_u64(rk, tx.root, tx.seq);
  ZG_TRY(zg_kvdb_put(txn, ls->dbi_root_tx, zg_slice(rk, 40), zg_slice(NULL, 0), 0));
  ZG_TRY(root_complete(ls, txn, &done, tx.root, &ri, nseg));
  tx.status = done ? ZG_LOGSTORE_FINALIZED : ZG_LOGSTORE_PENDING;
  buf->len = 0;
  ZG_TRY(zg__logstore_tx_encode(buf, &tx));
  zg__ls_key_seq(seqk, tx.seq);
  return zg_kvdb_put(txn, ls->dbi_tx, zg_slice(seqk, 8), zg_buf_slice(buf), ZG_KVDB_APPEND);
}

zg_err_t zg_logstore_tx_put(zg_logstore_t *ls, const zg_logstore_tx_t *txs, size_t n) {
  zg_kvdb_txn_t *txn = NULL;
  zg_buf_t buf;
  uint64_t next;
  zg_err_t err;
  if (!ls || (!txs && n)) return ZG_EINVAL;
  for (size_t i = 0; i < n; i++) {
    zg_logstore_tx_t t = txs[i];
    t.status = 0;
    if (!zg__logstore_tx_valid(&t)) return ZG_EINVAL;
  }
  if (n == 0) return ZG_OK;
  zg_buf_init(&buf);
  ZG_TRY(zg_kvdb_txn_begin(ls->db, &txn, NULL, true));
  if ((err = next_seq_in(ls, txn, &next)) != ZG_OK) goto out;
  for (size_t i = 0; i < n; i++) {
    if (txs[i].seq < next) {
      zg_logstore_tx_t old;
      zg_slice_t v;
      uint8_t seqk[8];
      zg__ls_key_seq(seqk, txs[i].seq);
      if ((err = zg_kvdb_get(txn, ls->dbi_tx, zg_slice(seqk, 8), &v)) != ZG_OK) goto out;
      if ((err = zg__logstore_tx_decode(&old, v.ptr, v.len)) != ZG_OK) goto out;
      if (!tx_same(&old, &txs[i])) {
        err = ZG_EEXIST;
        goto out;
      }
      continue;
    }
    if (txs[i].seq > next) {
      err = ZG_ESTATE;
      goto out;
    }
    zg_logstore_tx_t t = txs[i];
    t.status = 0;
    if ((err = tx_insert(ls, txn, &buf, &t)) != ZG_OK) goto out;
    next++;
  }
  err = zg__logstore_commit(ls, txn);
  txn = NULL;
out:
  zg_kvdb_txn_abort(txn);
  zg_buf_clear(&buf);
  return err;
}

zg_err_t zg_logstore_tx_get(zg_logstore_t *ls, zg_logstore_tx_t *out, uint64_t seq) {
  zg_kvdb_txn_t *txn = NULL;
  zg_slice_t v;
  uint8_t k[8];
  if (!out) return ZG_EINVAL;
  memset(out, 0, sizeof *out);
  if (!ls) return ZG_EINVAL;
  ZG_TRY(zg_kvdb_txn_begin(ls->db, &txn, NULL, false));
  zg__ls_key_seq(k, seq);
  zg_err_t err = zg_kvdb_get(txn, ls->dbi_tx, zg_slice(k, 8), &v);
  if (err == ZG_OK) err = zg__logstore_tx_decode(out, v.ptr, v.len);
  zg_kvdb_txn_abort(txn);
  if (err == ZG_OK && out->seq != seq) err = ZG_ECORRUPT;
  if (err != ZG_OK) memset(out, 0, sizeof *out);
  return err;
}

zg_err_t zg_logstore_next_seq(zg_logstore_t *ls, uint64_t *out) {
  zg_kvdb_txn_t *txn = NULL;
  if (!out) return ZG_EINVAL;
  *out = 0;
  if (!ls) return ZG_EINVAL;
  ZG_TRY(zg_kvdb_txn_begin(ls->db, &txn, NULL, false));
  zg_err_t err = next_seq_in(ls, txn, out);
  zg_kvdb_txn_abort(txn);
  return err;
}

zg_err_t zg_logstore_txs_by_root(zg_logstore_t *ls, uint64_t *seqs, size_t cap, size_t *total,
                                 const uint8_t root[32]) {
  zg_kvdb_txn_t *txn = NULL;
  zg_kvdb_cursor_t *c = NULL;
  zg_slice_t key, val;
  uint8_t k[40];
  if (!total) return ZG_EINVAL;
  *total = 0;
  if (!ls || !root || (!seqs && cap)) return ZG_EINVAL;
  ZG_TRY(zg_kvdb_txn_begin(ls->db, &txn, NULL, false));
  zg_err_t err = zg_kvdb_cursor_open(&c, txn, ls->dbi_root_tx);
  if (err == ZG_OK) {
    zg__ls_key_root_u64(k, root, 0);
    key = zg_slice(k, 40);
    err = zg_kvdb_cursor_get(c, &key, &val, ZG_KVDB_SEEK_GE);
    while (err == ZG_OK && key.len == 40 && memcmp(key.ptr, root, 32) == 0) {
      if (*total < cap) seqs[*total] = zg_load_be64(key.ptr + 32);
      (*total)++;
      err = zg_kvdb_cursor_get(c, &key, &val, ZG_KVDB_NEXT);
    }
    if (err == ZG_ENOTFOUND) err = ZG_OK;
  }
  zg_kvdb_cursor_close(c);
  zg_kvdb_txn_abort(txn);
  if (err != ZG_OK) *total = 0;
  return err;
}

zg_err_t zg_logstore_root_info(zg_logstore_t *ls, zg_logstore_root_info_t *out, const uint8_t root[32]) {
  zg_kvdb_txn_t *txn = NULL;
  if (!out) return ZG_EINVAL;
  memset(out, 0, sizeof *out);
  if (!ls || !root) return ZG_EINVAL;
  ZG_TRY(zg_kvdb_txn_begin(ls->db, &txn, NULL, false));
  zg_err_t err = root_get(ls, txn, out, root);
  zg_kvdb_txn_abort(txn);
  return err;
}

/* ---- segment reads ---- */

/* Looks up the location of (root, index). */
static zg_err_t seg_loc(zg_logstore_t *ls, zg_datafile_loc_t *loc, const uint8_t root[32], uint64_t index) {
  zg_kvdb_txn_t *txn = NULL;
  zg_slice_t v;
  uint8_t k[40];
  memset(loc, 0, sizeof *loc);
  ZG_TRY(zg_kvdb_txn_begin(ls->db, &txn, NULL, false));
  zg__ls_key_root_u64(k, root, index);
  zg_err_t err = zg_kvdb_get(txn, ls->dbi_seg, zg_slice(k, 40), &v);
  if (err == ZG_OK) err = zg__logstore_loc_decode(loc, v.ptr, v.len);
  zg_kvdb_txn_abort(txn);
  return err;
}

/* Reads the record at loc into out (cap bytes), checking it is (root, index).
 * Records are never rewritten in place, so the location stays valid after
 * the snapshot that gave it ends. */
static zg_err_t seg_read(zg_logstore_t *ls, uint8_t *out, size_t cap, size_t *len,
                         const zg_datafile_loc_t *loc, const uint8_t root[32], uint64_t index) {
  uint8_t hdr[ZG__SEGHDR_LEN], want[ZG__SEGHDR_LEN];
  size_t n = loc->len - ZG__SEGHDR_LEN;
  *len = 0;
  if (n > cap) return ZG_EOVERFLOW;
  zg_datafile_iov_t parts[2] = {{hdr, sizeof hdr}, {out, n}};
  ZG_TRY(zg_datafile_read(ls->df, loc, parts, 2));
  zg__logstore_seghdr_encode(want, root, index);
  if (memcmp(hdr, want, sizeof want) != 0) {
    memset(out, 0, n);
    zg_loge("logstore", "segment %llu: the record at %u:%llu is another segment's", (unsigned long long)index,
            (unsigned)loc->file, (unsigned long long)loc->off);
    return ZG_ECORRUPT;
  }
  *len = n;
  return ZG_OK;
}

zg_err_t zg_logstore_segment_get(zg_logstore_t *ls, uint8_t *out, size_t cap, size_t *len,
                                 const uint8_t root[32], uint64_t index) {
  zg_datafile_loc_t loc;
  if (!len) return ZG_EINVAL;
  *len = 0;
  if (!ls || !root || !out) return ZG_EINVAL;
  ZG_TRY(seg_loc(ls, &loc, root, index));
  return seg_read(ls, out, cap, len, &loc, root, index);
}

zg_err_t zg_logstore_segment_get_by_tx(zg_logstore_t *ls, uint8_t *out, size_t cap, size_t *len, uint64_t seq,
                                       uint64_t index) {
  zg_logstore_tx_t tx;
  zg_datafile_loc_t loc;
  size_t got;
  if (!len) return ZG_EINVAL;
  *len = 0;
  if (!ls || !out) return ZG_EINVAL;
  ZG_TRY(zg_logstore_tx_get(ls, &tx, seq));
  size_t want = zg_logstore_segment_len(tx.size, index);
  if (want == 0) return ZG_ERANGE;
  ZG_TRY(seg_loc(ls, &loc, tx.root, index));
  if (want > cap) return ZG_EOVERFLOW;
  ZG_TRY(seg_read(ls, out, cap, &got, &loc, tx.root, index));
  if (got < want) memset(out + got, 0, want - got);
  *len = want;
  return ZG_OK;
}

zg_err_t zg_logstore_segment_has(zg_logstore_t *ls, bool *present, const uint8_t root[32], uint64_t index) {
  zg_datafile_loc_t loc;
  if (!present) return ZG_EINVAL;
  *present = false;
  if (!ls || !root) return ZG_EINVAL;
  zg_err_t err = seg_loc(ls, &loc, root, index);
  if (err == ZG_ENOTFOUND) return ZG_OK;
  *present = err == ZG_OK;
  return err;
}

zg_err_t zg_logstore_segments_present(zg_logstore_t *ls, uint8_t *bitmap, size_t nbits, uint64_t *count,
                                      const uint8_t root[32]) {
  zg_kvdb_txn_t *txn = NULL;
  zg_kvdb_cursor_t *c = NULL;
  zg_slice_t key, val;
  uint8_t k[40];
  if (!count) return ZG_EINVAL;
  *count = 0;
  if (!ls || !root || (!bitmap && nbits)) return ZG_EINVAL;
  if (nbits) memset(bitmap, 0, (nbits + 7) / 8);
  ZG_TRY(zg_kvdb_txn_begin(ls->db, &txn, NULL, false));
  zg_err_t err = zg_kvdb_cursor_open(&c, txn, ls->dbi_seg);
  if (err == ZG_OK) {
    zg__ls_key_root_u64(k, root, 0);
    key = zg_slice(k, 40);
    err = zg_kvdb_cursor_get(c, &key, &val, ZG_KVDB_SEEK_GE);
    while (err == ZG_OK && key.len == 40 && memcmp(key.ptr, root, 32) == 0) {
      uint64_t i = zg_load_be64(key.ptr + 32);
      if (i >= nbits) break; /* keys sort by index */
      bitmap[i / 8] |= (uint8_t)(1u << (i % 8));
      (*count)++;
      err = zg_kvdb_cursor_get(c, &key, &val, ZG_KVDB_NEXT);
    }
    if (err == ZG_ENOTFOUND) err = ZG_OK;
  }
  zg_kvdb_cursor_close(c);
  zg_kvdb_txn_abort(txn);
  if (err != ZG_OK) {
    if (nbits) memset(bitmap, 0, (nbits + 7) / 8);
    *count = 0;
  }
  return err;
}

zg_err_t zg_logstore_verify(zg_logstore_t *ls, uint64_t *checked, uint64_t *bad) {
  zg_kvdb_txn_t *txn = NULL;
  zg_kvdb_cursor_t *c = NULL;
  zg_slice_t key, val;
  uint8_t *buf = NULL;
  if (!checked || !bad) return ZG_EINVAL;
  *checked = *bad = 0;
  if (!ls) return ZG_EINVAL;
  buf = malloc(ZG_LOGSTORE_SEGMENT);
  if (!buf) return ZG_ENOMEM;
  zg_err_t err = zg_kvdb_txn_begin(ls->db, &txn, NULL, false);
  if (err == ZG_OK) err = zg_kvdb_cursor_open(&c, txn, ls->dbi_seg);
  if (err == ZG_OK) err = zg_kvdb_cursor_get(c, &key, &val, ZG_KVDB_FIRST);
  while (err == ZG_OK) {
    zg_datafile_loc_t loc;
    size_t n;
    (*checked)++;
    if (key.len != 40 || zg__logstore_loc_decode(&loc, val.ptr, val.len) != ZG_OK ||
        seg_read(ls, buf, ZG_LOGSTORE_SEGMENT, &n, &loc, key.ptr, zg_load_be64(key.ptr + 32)) != ZG_OK)
      (*bad)++;
    err = zg_kvdb_cursor_get(c, &key, &val, ZG_KVDB_NEXT);
  }
  if (err == ZG_ENOTFOUND) err = ZG_OK;
  zg_kvdb_cursor_close(c);
  zg_kvdb_txn_abort(txn);
  free(buf);
  return err;
}

/* ---- flow-tree nodes ---- */

static void flow_key(uint8_t k[9], uint32_t height, uint64_t index) {
  k[0] = (uint8_t)height;
  zg_store_be64(k + 1, index);
}

zg_err_t zg_logstore_flow_nodes_put(zg_logstore_t *ls, const zg_logstore_flow_node_t *nodes, size_t n) {
  zg_kvdb_txn_t *txn = NULL;
  uint8_t k[9];
  if (!ls || (!nodes && n)) return ZG_EINVAL;
  for (size_t i = 0; i < n; i++)
    if (nodes[i].height > 64) return ZG_EINVAL;
  if (n == 0) return ZG_OK;
  ZG_TRY(zg_kvdb_txn_begin(ls->db, &txn, NULL, true));
  for (size_t i = 0; i < n; i++) {
    flow_key(k, nodes[i].height, nodes[i].index);
    zg_err_t err = zg_kvdb_put(txn, ls->dbi_flow, zg_slice(k, 9), zg_slice(nodes[i].hash, 32), 0);
    if (err != ZG_OK) {
      zg_kvdb_txn_abort(txn);
      return err;
    }
  }
  return zg__logstore_commit(ls, txn);
}

zg_err_t zg_logstore_flow_node_get(zg_logstore_t *ls, uint8_t hash[32], uint32_t height, uint64_t index) {
  zg_kvdb_txn_t *txn = NULL;
  zg_slice_t v;
  uint8_t k[9];
  if (!hash) return ZG_EINVAL;
  memset(hash, 0, 32);
  if (!ls || height > 64) return ZG_EINVAL;
  ZG_TRY(zg_kvdb_txn_begin(ls->db, &txn, NULL, false));
  flow_key(k, height, index);
  zg_err_t err = zg_kvdb_get(txn, ls->dbi_flow, zg_slice(k, 9), &v);
  if (err == ZG_OK && v.len != 32) err = ZG_ECORRUPT;
  if (err == ZG_OK) memcpy(hash, v.ptr, 32);
  zg_kvdb_txn_abort(txn);
  return err;
}

zg_err_t zg_logstore_flow_node_fetch(void *arg, uint8_t out[32], unsigned height, uint64_t index) {
  return zg_logstore_flow_node_get((zg_logstore_t *)arg, out, height, index);
}

/* ---- metadata ---- */

static bool meta_name_ok(const char *name) {
  size_t n = name ? strlen(name) : 0;
  return n >= 1 && n <= 64;
}

zg_err_t zg_logstore_meta_put(zg_logstore_t *ls, const char *name, const void *val, size_t len) {
  zg_kvdb_txn_t *txn = NULL;
  char kb[80];
  if (!ls || !meta_name_ok(name) || (!val && len) || len > 4096) return ZG_EINVAL;
  ZG_TRY(zg_kvdb_txn_begin(ls->db, &txn, NULL, true));
  zg_err_t err = zg_kvdb_put(txn, ls->dbi_meta, meta_key(kb, sizeof kb, name), zg_slice(val, len), 0);
  if (err != ZG_OK) {
    zg_kvdb_txn_abort(txn);
    return err;
  }
  return zg__logstore_commit(ls, txn);
}

zg_err_t zg_logstore_meta_get(zg_logstore_t *ls, void *out, size_t cap, size_t *len, const char *name) {
  zg_kvdb_txn_t *txn = NULL;
  zg_slice_t v;
  char kb[80];
  if (!len) return ZG_EINVAL;
  *len = 0;
  if (!ls || !meta_name_ok(name) || (!out && cap)) return ZG_EINVAL;
  ZG_TRY(zg_kvdb_txn_begin(ls->db, &txn, NULL, false));
  zg_err_t err = zg_kvdb_get(txn, ls->dbi_meta, meta_key(kb, sizeof kb, name), &v);
  if (err == ZG_OK && v.len > cap) err = ZG_EOVERFLOW;
  if (err == ZG_OK) {
    if (v.len) memcpy(out, v.ptr, v.len);
    *len = v.len;
  }
  zg_kvdb_txn_abort(txn);
  return err;
}

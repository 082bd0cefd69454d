/*
 * logstore_put.c — the durable segment write path of the log store, with
 * group commit (zg/logstore.h, docs/store.md).
 *
 * A caller of zg_logstore_segments_put queues a request (on its own stack)
 * and waits. When no group is running, the first waiter becomes the leader:
 * it takes every queued request and runs one group:
 *   1. begin an LMDB write transaction; note the data end `start`;
 *   2. per request, in a nested transaction: validate each segment, append
 *      its record to the data file (no sync yet), put its index entry and
 *      update presence and tx status; a request that fails is rolled back
 *      (nested abort, data file cut back to where the request began) and
 *      does not affect the others;
 *   3. fdatasync the data files (one sync for the whole group);
 *   4. record the new data end in the same transaction and commit it with
 *      LMDB's synchronous commit;
 *   5. if 3 or 4 fails, every request of the group fails and the data file
 *      is cut back to `start`.
 * Then it marks the requests done and wakes everyone; a waiter whose request
 * was not in the group becomes the next leader. Requests that arrive during
 * a group's fsync form the next group, so N concurrent callers need about
 * one fsync per group, not per call.
 *
 * Invariant: only the leader appends to or truncates the data files, and
 * `leader` is set while it does; the data end is `start` whenever no group
 * is running.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/logstore_internal.h"
#include "zg/log.h"

/* ZG_VERIFY builds check the write path's invariants (a violation is a bug
 * here, never bad input or a disk fault). */
#ifdef ZG_VERIFY
#define LS_VERIFY(cond)                                                                            \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "zg: logstore invariant violated: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)
#else
#define LS_VERIFY(cond) ((void)0)
#endif

/* Puts one segment of a request inside txn. */
static zg_err_t put_segment(zg_logstore_t *ls, zg_kvdb_txn_t *txn, const zg_logstore_seg_t *s,
                            uint64_t *written) {
  uint8_t k[40], hdr[ZG__SEGHDR_LEN], lv[ZG__LOCREC_LEN], rv[ZG__ROOTREC_LEN];
  zg_logstore_root_info_t ri;
  zg_datafile_loc_t loc;
  zg_slice_t v;
  bool replace = false;

  zg_err_t err = zg_kvdb_get(txn, ls->dbi_root, zg_slice(s->root, 32), &v);
  if (err != ZG_OK) return err; /* ZG_ENOTFOUND: no tx has this root */
  ZG_TRY(zg__logstore_root_decode(&ri, v.ptr, v.len));
  if (s->index >= ri.segments) return ZG_ERANGE;
  zg__ls_key_root_u64(k, s->root, s->index);
  err = zg_kvdb_get(txn, ls->dbi_seg, zg_slice(k, 40), &v);
  if (err == ZG_OK) {
    ZG_TRY(zg__logstore_loc_decode(&loc, v.ptr, v.len));
    if (loc.len - ZG__SEGHDR_LEN >= s->len) return ZG_OK; /* stored once: shared */
    replace = true;
  } else if (err != ZG_ENOTFOUND) {
    return err;
  }
  zg__logstore_seghdr_encode(hdr, s->root, s->index);
  zg_slice_t parts[2] = {zg_slice(hdr, sizeof hdr), zg_slice(s->data, s->len)};
  ZG_TRY(zg_datafile_append(ls->df, &loc, parts, 2));
  (*written)++;
  zg__logstore_loc_encode(lv, &loc);
  ZG_TRY(zg_kvdb_put(txn, ls->dbi_seg, zg_slice(k, 40), zg_slice(lv, sizeof lv), 0));
  if (replace) return ZG_OK;
  ri.present++;
  LS_VERIFY(ri.present <= ri.segments);
  zg__logstore_root_encode(rv, &ri);
  ZG_TRY(zg_kvdb_put(txn, ls->dbi_root, zg_slice(s->root, 32), zg_slice(rv, sizeof rv), 0));
  return zg__logstore_finalize_root(ls, txn, s->root, &ri);
}

/* Runs one request in a transaction nested in parent; on failure nothing of
 * it remains (index or data). */
static zg_err_t run_request(zg_logstore_t *ls, zg_kvdb_txn_t *parent, zg__ls_req_t *r, uint64_t *written) {
  zg_kvdb_txn_t *txn = NULL;
  zg_datafile_pos_t mark = zg_datafile_tail(ls->df);
  uint64_t w = 0;
  zg_err_t err = zg_kvdb_txn_begin(ls->db, &txn, parent, true);
  for (size_t i = 0; err == ZG_OK && i < r->n; i++) err = put_segment(ls, txn, &r->segs[i], &w);
  if (err == ZG_OK) {
    err = zg_kvdb_txn_commit(txn); /* into the parent: no disk write */
  } else {
    zg_kvdb_txn_abort(txn);
  }
  if (err != ZG_OK) {
    zg_datafile_pos_t now = zg_datafile_tail(ls->df);
    if (now.file != mark.file || now.off != mark.off) {
      zg_err_t t = zg_datafile_truncate(ls->df, &mark);
      if (t != ZG_OK) zg_loge("logstore", "cutting back a failed request: %s", zg_strerror(t));
    }
    return err;
  }
  *written += w;
  return ZG_OK;
}

/* Runs one group over the list batch (see the file comment). */
static void run_group(zg_logstore_t *ls, zg__ls_req_t *batch) {
  zg_kvdb_txn_t *txn = NULL;
  zg_datafile_pos_t start = zg_datafile_tail(ls->df);
  uint64_t written = 0, nok = 0;
  zg_err_t err = zg_kvdb_txn_begin(ls->db, &txn, NULL, true);
  if (err != ZG_OK) {
    for (zg__ls_req_t *r = batch; r; r = r->next) r->err = err;
    return;
  }
  for (zg__ls_req_t *r = batch; r; r = r->next) {
    r->err = run_request(ls, txn, r, &written);
    if (r->err == ZG_OK) nok++;
  }
  if (nok == 0) {
    zg_kvdb_txn_abort(txn);
    return;
  }
  zg_datafile_pos_t end = zg_datafile_tail(ls->df);
  if (end.file != start.file || end.off != start.off) {
    uint8_t ev[12];
    zg_store_be32(ev, end.file);
    zg_store_be64(ev + 4, end.off);
    err = zg_datafile_sync(ls->df); /* data first ... */
    if (err == ZG_OK) err = zg_kvdb_put(txn, ls->dbi_meta, zg_slice("s:data_end", 10), zg_slice(ev, 12), 0);
  }
  if (err == ZG_OK) {
    err = zg__logstore_commit(ls, txn); /* ... index second */
    zg_datafile_pos_t now = zg_datafile_tail(ls->df);
    LS_VERIFY(err != ZG_OK || (now.file == end.file && now.off == end.off));
    (void)now;
  } else {
    zg_kvdb_txn_abort(txn);
  }
  if (err != ZG_OK) {
    zg_logw("logstore", "group of %llu requests failed: %s", (unsigned long long)nok, zg_strerror(err));
    for (zg__ls_req_t *r = batch; r; r = r->next)
      if (r->err == ZG_OK) r->err = err;
    zg_err_t t = zg_datafile_truncate(ls->df, &start);
    if (t != ZG_OK) zg_loge("logstore", "cutting back a failed group: %s", zg_strerror(t));
    return;
  }
  pthread_mutex_lock(&ls->qlock);
  ls->stats.groups++;
  ls->stats.calls += nok;
  ls->stats.segments += written;
  pthread_mutex_unlock(&ls->qlock);
}

zg_err_t zg_logstore_segments_put(zg_logstore_t *ls, const zg_logstore_seg_t *segs, size_t n) {
  if (!ls || (!segs && n)) return ZG_EINVAL;
  for (size_t i = 0; i < n; i++) {
    size_t len = segs[i].len;
    if (!segs[i].data || len < ZG_LOGSTORE_SECTOR || len > ZG_LOGSTORE_SEGMENT || len % ZG_LOGSTORE_SECTOR)
      return ZG_EINVAL;
  }
  if (n == 0) return ZG_OK;
  zg__ls_req_t req = {.segs = segs, .n = n, .err = ZG_OK, .done = false, .next = NULL};
  pthread_mutex_lock(&ls->qlock);
  *ls->qtail = &req;
  ls->qtail = &req.next;
  while (!req.done) {
    if (ls->leader) {
      pthread_cond_wait(&ls->qcond, &ls->qlock);
      continue;
    }
    /* Lead: take the whole queue (it holds req) and run it unlocked. */
    zg__ls_req_t *batch = ls->qhead;
    ls->qhead = NULL;
    ls->qtail = &ls->qhead;
    ls->leader = true;
    pthread_mutex_unlock(&ls->qlock);
    run_group(ls, batch);
    pthread_mutex_lock(&ls->qlock);
    for (zg__ls_req_t *r = batch, *next; r; r = next) {
      next = r->next; /* r may vanish once done is seen */
      r->done = true;
    }
    ls->leader = false;
    pthread_cond_broadcast(&ls->qcond);
  }
  pthread_mutex_unlock(&ls->qlock);
  return req.err;
}

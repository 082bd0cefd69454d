/*
 * kv_store.c — the KV state (zg/kv.h): opening, the versioned lookups the
 * replay and the queries share, and the kv_ query functions. The layout is
 * in kv_internal.h.
 *
 * Invariant: every version stored is a tx seq below the cursor; a query at
 * version v sees exactly the rows with version <= v.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv/kv_internal.h"
#include "zg/hash.h"

void zg__kv_be64(uint8_t out[8], uint64_t v) {
  for (int i = 0; i < 8; i++) out[i] = (uint8_t)(v >> (56 - 8 * i));
}

uint64_t zg__kv_rd64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}

void zg__kv_value_hash(uint8_t out[32], const uint8_t stream[32], const uint8_t *key, size_t key_len) {
  zg_sha256_ctx_t c;
  zg_sha256_init(&c);
  zg_sha256_update(&c, stream, 32);
  if (key_len) zg_sha256_update(&c, key, key_len);
  zg_sha256_final(&c, out);
}

static int cmp_id(const void *a, const void *b) { return memcmp(a, b, 32); }

/* ---- open / close ---- */

static zg_err_t check_streams(zg_kv_t *kv, char *msg, size_t msglen) {
  size_t len = 1 + kv->nids * 32;
  uint8_t *want = malloc(len);
  if (!want) return ZG_ENOMEM;
  want[0] = kv->all ? 1 : 0;
  if (kv->nids) memcpy(want + 1, kv->ids, kv->nids * 32);
  zg_kvdb_txn_t *txn = NULL;
  zg_slice_t v;
  zg_err_t e = zg_kvdb_txn_begin(kv->db, &txn, NULL, true);
  if (e == ZG_OK) {
    e = zg_kvdb_get(txn, kv->meta, zg_slice("streams", 7), &v);
    if (e == ZG_ENOTFOUND) {
      e = zg_kvdb_put(txn, kv->meta, zg_slice("streams", 7), zg_slice(want, len), 0);
    } else if (e == ZG_OK && (v.len != len || memcmp(v.ptr, want, len) != 0)) {
      if (msg) snprintf(msg, msglen, "kv: the configured streams differ from those %s was built for", "the state");
      e = ZG_ECONFIG;
    }
  }
  if (e == ZG_OK) {
    e = zg_kvdb_txn_commit(txn);
  } else {
    zg_kvdb_txn_abort(txn);
  }
  free(want);
  return e;
}

zg_err_t zg_kv_open(zg_kv_t **out, const zg_kv_cfg_t *cfg, char *msg, size_t msglen) {
  *out = NULL;
  if (msg && msglen) msg[0] = 0;
  if (!cfg || !cfg->dir || (!cfg->all_streams && cfg->nstreams && !cfg->streams) ||
      cfg->nstreams > ZG_KV_MAX_STREAMS) {
    if (msg) snprintf(msg, msglen, "kv: bad configuration");
    return ZG_EINVAL;
  }
  zg_kv_t *kv = calloc(1, sizeof *kv);
  if (!kv) return ZG_ENOMEM;
  kv->all = cfg->all_streams;
  zg_err_t e = ZG_OK;
  if (!kv->all && cfg->nstreams) {
    kv->ids = malloc(cfg->nstreams * 32);
    if (!kv->ids) {
      e = ZG_ENOMEM;
      goto out;
    }
    memcpy(kv->ids, cfg->streams, cfg->nstreams * 32);
    qsort(kv->ids, cfg->nstreams, 32, cmp_id);
    /* Drop duplicates. */
    size_t n = 0;
    for (size_t i = 0; i < cfg->nstreams; i++)
      if (n == 0 || memcmp(kv->ids[n - 1], kv->ids[i], 32) != 0) memmove(kv->ids[n++], kv->ids[i], 32);
    kv->nids = n;
  }
  zg_kvdb_opts_t o = {(size_t)64 << 30, 8, 0, cfg->no_sync, false};
  e = zg_kvdb_open(&kv->db, cfg->dir, &o);
  if (e != ZG_OK) {
    if (msg) snprintf(msg, msglen, "kv: cannot open %s: %s", cfg->dir, zg_strerror(e));
    goto out;
  }
  static const char *const names[] = {"keys", "vals", "acl", "streams", "results", "meta"};
  zg_kvdb_dbi_t *dbis[] = {&kv->keys, &kv->vals, &kv->acl, &kv->streams, &kv->results, &kv->meta};
  for (size_t i = 0; e == ZG_OK && i < 6; i++) e = zg_kvdb_dbi_open(kv->db, dbis[i], names[i], true);
  if (e == ZG_OK) e = check_streams(kv, msg, msglen);
  if (e != ZG_OK && msg && !msg[0]) snprintf(msg, msglen, "kv: %s: %s", cfg->dir, zg_strerror(e));
out:
  if (e != ZG_OK) {
    zg_kv_close(kv);
    return e;
  }
  *out = kv;
  return ZG_OK;
}

void zg_kv_close(zg_kv_t *kv) {
  if (!kv) return;
  zg_kvdb_close(kv->db);
  free(kv->ids);
  free(kv);
}

/* ---- streams ---- */

bool zg_kv_holds_stream(const zg_kv_t *kv, const uint8_t stream[32]) {
  return kv->all || (kv->nids && bsearch(stream, kv->ids, kv->nids, 32, cmp_id) != NULL);
}

bool zg_kv_wants(const zg_kv_t *kv, const uint8_t *tags, size_t tags_len) {
  size_t n;
  if (!zg_kv_tags_parse(&n, tags, tags_len)) return false;
  for (size_t i = 0; i < n; i++)
    if (zg_kv_holds_stream(kv, tags + 32 * (i + 1))) return true;
  return false;
}

zg_err_t zg_kv_streams(zg_kv_t *kv, uint8_t (*ids)[32], size_t cap, size_t *n, bool *all) {
  *n = 0;
  *all = kv->all;
  if (!kv->all) {
    *n = kv->nids;
    for (size_t i = 0; i < kv->nids && i < cap; i++) memcpy(ids[i], kv->ids[i], 32);
    return ZG_OK;
  }
  zg_kvdb_txn_t *txn;
  zg_kvdb_cursor_t *c = NULL;
  ZG_TRY(zg_kvdb_txn_begin(kv->db, &txn, NULL, false));
  zg_err_t e = zg_kvdb_cursor_open(&c, txn, kv->streams);
  zg_slice_t k, v;
  while (e == ZG_OK && (e = zg_kvdb_cursor_get(c, &k, &v, ZG_KVDB_NEXT)) == ZG_OK) {
    if (k.len == 32 && *n < cap) memcpy(ids[*n], k.ptr, 32);
    (*n)++;
  }
  if (e == ZG_ENOTFOUND) e = ZG_OK;
  zg_kvdb_cursor_close(c);
  zg_kvdb_txn_abort(txn);
  return e;
}

/* ---- cursor ---- */

zg_err_t zg__kv_cursor_get(zg_kvdb_txn_t *txn, zg_kv_t *kv, uint64_t *out) {
  zg_slice_t v;
  *out = 0;
  zg_err_t e = zg_kvdb_get(txn, kv->meta, zg_slice("cursor", 6), &v);
  if (e == ZG_ENOTFOUND) return ZG_OK;
  if (e != ZG_OK) return e;
  if (v.len != 8) return ZG_ECORRUPT;
  *out = zg__kv_rd64(v.ptr);
  return ZG_OK;
}

zg_err_t zg__kv_cursor_put(zg_kvdb_txn_t *txn, zg_kv_t *kv, uint64_t next) {
  uint8_t b[8];
  zg__kv_be64(b, next);
  return zg_kvdb_put(txn, kv->meta, zg_slice("cursor", 6), zg_slice(b, 8), 0);
}

zg_err_t zg_kv_next_seq(zg_kv_t *kv, uint64_t *out) {
  *out = 0;
  zg_kvdb_txn_t *txn;
  ZG_TRY(zg_kvdb_txn_begin(kv->db, &txn, NULL, false));
  zg_err_t e = zg__kv_cursor_get(txn, kv, out);
  zg_kvdb_txn_abort(txn);
  return e;
}

zg_err_t zg_kv_skip(zg_kv_t *kv, uint64_t seq, uint64_t count) {
  zg_kvdb_txn_t *txn;
  uint64_t cur;
  ZG_TRY(zg_kvdb_txn_begin(kv->db, &txn, NULL, true));
  zg_err_t e = zg__kv_cursor_get(txn, kv, &cur);
  if (e == ZG_OK && cur != seq) e = ZG_ESTATE;
  if (e == ZG_OK && seq + count < seq) e = ZG_EOVERFLOW;
  if (e == ZG_OK) e = zg__kv_cursor_put(txn, kv, seq + count);
  if (e != ZG_OK) {
    zg_kvdb_txn_abort(txn);
    return e;
  }
  return zg_kvdb_txn_commit(txn);
}

/* ---- versioned lookups ---- */

zg_err_t zg__kv_latest_le(zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi, bool *found, uint64_t *ver, zg_slice_t *val,
                          const uint8_t *prefix, size_t plen, uint64_t v) {
  *found = false;
  *ver = 0;
  if (val) *val = zg_slice(NULL, 0);
  uint8_t k[128];
  if (plen + 8 > sizeof k) return ZG_EINVAL;
  memcpy(k, prefix, plen);
  zg__kv_be64(k + plen, v);
  zg_kvdb_cursor_t *c;
  ZG_TRY(zg_kvdb_cursor_open(&c, txn, dbi));
  zg_slice_t key = zg_slice(k, plen + 8), value;
  zg_err_t e = zg_kvdb_cursor_get(c, &key, &value, ZG_KVDB_SEEK_GE);
  if (e == ZG_OK && !(key.len == plen + 8 && memcmp(key.ptr, k, plen + 8) == 0))
    e = zg_kvdb_cursor_get(c, &key, &value, ZG_KVDB_PREV);
  else if (e == ZG_ENOTFOUND)
    e = zg_kvdb_cursor_get(c, &key, &value, ZG_KVDB_LAST);
  if (e == ZG_OK && key.len == plen + 8 && memcmp(key.ptr, prefix, plen) == 0) {
    *found = true;
    *ver = zg__kv_rd64(key.ptr + plen);
    if (val) *val = value;
  }
  if (e == ZG_ENOTFOUND) e = ZG_OK;
  zg_kvdb_cursor_close(c);
  return e;
}

void zg__kv_acl_prefix(uint8_t out[85], uint8_t cat, const uint8_t stream[32], const uint8_t *keyhash,
                       const uint8_t *account) {
  out[0] = cat;
  memcpy(out + 1, stream, 32);
  if (keyhash) {
    memcpy(out + 33, keyhash, 32);
  } else {
    memset(out + 33, 0, 32);
  }
  if (account) {
    memcpy(out + 65, account, 20);
  } else {
    memset(out + 65, 0, 20);
  }
}

zg_err_t zg__kv_acl_op(zg_kvdb_txn_t *txn, zg_kv_t *kv, uint8_t *op, const uint8_t prefix[85], uint64_t v) {
  bool found;
  uint64_t ver;
  zg_slice_t val;
  *op = 0xff;
  ZG_TRY(zg__kv_latest_le(txn, kv->acl, &found, &ver, &val, prefix, 85, v));
  if (found) {
    if (val.len != 1) return ZG_ECORRUPT;
    *op = val.ptr[0];
  }
  return ZG_OK;
}

zg_err_t zg__kv_new_stream(zg_kvdb_txn_t *txn, zg_kv_t *kv, bool *out, const uint8_t stream[32], uint64_t v) {
  zg_slice_t val;
  *out = true;
  zg_err_t e = zg_kvdb_get(txn, kv->streams, zg_slice(stream, 32), &val);
  if (e == ZG_ENOTFOUND) return ZG_OK;
  if (e != ZG_OK) return e;
  if (val.len != 8) return ZG_ECORRUPT;
  *out = zg__kv_rd64(val.ptr) > v;
  return ZG_OK;
}

zg_err_t zg__kv_admin(zg_kvdb_txn_t *txn, zg_kv_t *kv, bool *out, const uint8_t account[20],
                      const uint8_t stream[32], uint64_t v) {
  uint8_t p[85], op;
  zg__kv_acl_prefix(p, 0x00, stream, NULL, account);
  ZG_TRY(zg__kv_acl_op(txn, kv, &op, p, v));
  *out = op == ZG_KV_GRANT_ADMIN;
  return ZG_OK;
}

static zg_err_t special_key(zg_kvdb_txn_t *txn, zg_kv_t *kv, bool *out, const uint8_t stream[32],
                            const uint8_t keyhash[32], uint64_t v) {
  uint8_t p[85], op;
  zg__kv_acl_prefix(p, 0x10, stream, keyhash, NULL);
  ZG_TRY(zg__kv_acl_op(txn, kv, &op, p, v));
  *out = op == ZG_KV_SET_KEY_SPECIAL;
  return ZG_OK;
}

zg_err_t zg__kv_writer_of_key(zg_kvdb_txn_t *txn, zg_kv_t *kv, bool *out, const uint8_t account[20],
                              const uint8_t stream[32], const uint8_t keyhash[32], uint64_t v) {
  uint8_t p[85], op;
  zg__kv_acl_prefix(p, 0x30, stream, keyhash, account);
  ZG_TRY(zg__kv_acl_op(txn, kv, &op, p, v));
  *out = op == ZG_KV_GRANT_SPECIAL_WRITER;
  return ZG_OK;
}

zg_err_t zg__kv_writer_of_stream(zg_kvdb_txn_t *txn, zg_kv_t *kv, bool *out, const uint8_t account[20],
                                 const uint8_t stream[32], uint64_t v) {
  uint8_t p[85], op;
  zg__kv_acl_prefix(p, 0x20, stream, NULL, account);
  ZG_TRY(zg__kv_acl_op(txn, kv, &op, p, v));
  *out = op == ZG_KV_GRANT_WRITER;
  return ZG_OK;
}

zg_err_t zg__kv_write_permission(zg_kvdb_txn_t *txn, zg_kv_t *kv, bool *out, const uint8_t account[20],
                                 const uint8_t stream[32], const uint8_t keyhash[32], uint64_t v) {
  bool b;
  ZG_TRY(zg__kv_new_stream(txn, kv, &b, stream, v));
  if (!b) ZG_TRY(zg__kv_admin(txn, kv, &b, account, stream, v));
  if (b) {
    *out = true;
    return ZG_OK;
  }
  ZG_TRY(special_key(txn, kv, &b, stream, keyhash, v));
  if (b) return zg__kv_writer_of_key(txn, kv, out, account, stream, keyhash, v);
  return zg__kv_writer_of_stream(txn, kv, out, account, stream, v);
}

zg_err_t zg__kv_latest_version(zg_kvdb_txn_t *txn, zg_kv_t *kv, uint64_t *out, const uint8_t stream[32],
                               const uint8_t *key, size_t key_len, uint64_t v) {
  uint8_t h[32];
  bool found;
  zg__kv_value_hash(h, stream, key, key_len);
  return zg__kv_latest_le(txn, kv->vals, &found, out, NULL, h, 32, v);
}

/* ---- public queries ---- */

void zg_kv_value_init(zg_kv_value_t *v) {
  memset(v, 0, sizeof *v);
  zg_buf_init(&v->key);
  zg_buf_init(&v->data);
}

void zg_kv_value_clear(zg_kv_value_t *v) {
  zg_buf_clear(&v->key);
  zg_buf_clear(&v->data);
  memset(v, 0, sizeof *v);
}

/* Fills out from the value bytes val: version ver, bytes [start, start+len). */
static zg_err_t fill_value(zg_kv_value_t *out, zg_slice_t val, uint64_t ver, uint64_t start, uint64_t len) {
  out->found = true;
  out->version = ver;
  out->size = val.len;
  if (start > val.len) return ZG_ERANGE;
  uint64_t n = val.len - start;
  if (len < n) n = len;
  out->data.len = 0;
  return n ? zg_buf_append(&out->data, val.ptr + start, (size_t)n) : ZG_OK;
}

zg_err_t zg_kv_get(zg_kv_t *kv, zg_kv_value_t *out, const uint8_t stream[32], const uint8_t *key, size_t key_len,
                   uint64_t start, uint64_t len, uint64_t version) {
  out->found = false;
  out->version = 0;
  out->size = 0;
  out->data.len = 0;
  if (!key || !key_len) return ZG_EINVAL;
  uint8_t h[32];
  zg__kv_value_hash(h, stream, key, key_len);
  zg_kvdb_txn_t *txn;
  ZG_TRY(zg_kvdb_txn_begin(kv->db, &txn, NULL, false));
  bool found;
  uint64_t ver;
  zg_slice_t val;
  zg_err_t e = zg__kv_latest_le(txn, kv->vals, &found, &ver, &val, h, 32, version);
  if (e == ZG_OK && found) e = fill_value(out, val, ver, val.len ? start : 0, len);
  zg_kvdb_txn_abort(txn);
  return e;
}

/* The value of the stored key k (stream ‖ key) as of version: *live when a
 * non-empty version <= version exists. */
static zg_err_t live_value(zg_kvdb_txn_t *txn, zg_kv_t *kv, bool *live, uint64_t *ver, zg_slice_t *val,
                           zg_slice_t k, uint64_t version) {
  uint8_t h[32];
  bool found;
  zg__kv_value_hash(h, k.ptr, k.ptr + 32, k.len - 32);
  ZG_TRY(zg__kv_latest_le(txn, kv->vals, &found, ver, val, h, 32, version));
  *live = found && val->len > 0;
  return ZG_OK;
}

/* Positions c for dir and returns the first candidate in *k. */
static zg_err_t iter_start(zg_kvdb_cursor_t *c, zg_slice_t *k, zg_kv_iter_t dir, const uint8_t stream[32],
                           const uint8_t *key, size_t key_len, bool inclusive, uint8_t *buf) {
  zg_slice_t v;
  zg_err_t e;
  if (dir == ZG_KV_ITER_FIRST) {
    *k = zg_slice(stream, 32);
    return zg_kvdb_cursor_get(c, k, &v, ZG_KVDB_SEEK_GE);
  }
  if (dir == ZG_KV_ITER_LAST) {
    /* Seek the first key of the next stream id, then step back. */
    memcpy(buf, stream, 32);
    int i = 31;
    while (i >= 0 && ++buf[i] == 0) i--;
    if (i < 0) return zg_kvdb_cursor_get(c, k, &v, ZG_KVDB_LAST);
    *k = zg_slice(buf, 32);
    e = zg_kvdb_cursor_get(c, k, &v, ZG_KVDB_SEEK_GE);
    if (e == ZG_ENOTFOUND) return zg_kvdb_cursor_get(c, k, &v, ZG_KVDB_LAST);
    if (e != ZG_OK) return e;
    return zg_kvdb_cursor_get(c, k, &v, ZG_KVDB_PREV);
  }
  memcpy(buf, stream, 32);
  memcpy(buf + 32, key, key_len);
  zg_slice_t want = zg_slice(buf, 32 + key_len);
  *k = want;
  e = zg_kvdb_cursor_get(c, k, &v, ZG_KVDB_SEEK_GE);
  bool equal = e == ZG_OK && k->len == want.len && memcmp(k->ptr, want.ptr, want.len) == 0;
  if (dir == ZG_KV_ITER_NEXT) {
    if (equal && !inclusive) return zg_kvdb_cursor_get(c, k, &v, ZG_KVDB_NEXT);
    return e;
  }
  if (e == ZG_ENOTFOUND) return zg_kvdb_cursor_get(c, k, &v, ZG_KVDB_LAST);
  if (e != ZG_OK || (equal && inclusive)) return e;
  return zg_kvdb_cursor_get(c, k, &v, ZG_KVDB_PREV);
}

zg_err_t zg_kv_iter(zg_kv_t *kv, zg_kv_value_t *out, zg_kv_iter_t dir, const uint8_t stream[32], const uint8_t *key,
                    size_t key_len, bool inclusive, uint64_t start, uint64_t len, uint64_t version) {
  out->found = false;
  out->version = 0;
  out->size = 0;
  out->data.len = 0;
  out->key.len = 0;
  bool keyed = dir == ZG_KV_ITER_NEXT || dir == ZG_KV_ITER_PREV;
  if (keyed && (!key || !key_len)) return ZG_EINVAL;
  if (keyed && key_len > ZG_KV_MAX_STORED_KEY) {
    /* No stored key is that long; start from its longest stored prefix. */
    key_len = ZG_KV_MAX_STORED_KEY;
    if (dir == ZG_KV_ITER_NEXT) inclusive = false;
    else inclusive = true;
  }
  uint8_t buf[32 + ZG_KV_MAX_STORED_KEY];
  zg_kvdb_txn_t *txn;
  zg_kvdb_cursor_t *c = NULL;
  ZG_TRY(zg_kvdb_txn_begin(kv->db, &txn, NULL, false));
  zg_err_t e = zg_kvdb_cursor_open(&c, txn, kv->keys);
  zg_slice_t k, v;
  if (e == ZG_OK) e = iter_start(c, &k, dir, stream, key, key_len, inclusive, buf);
  bool forward = dir == ZG_KV_ITER_NEXT || dir == ZG_KV_ITER_FIRST;
  while (e == ZG_OK) {
    if (k.len <= 32 || memcmp(k.ptr, stream, 32) != 0) break; /* left the stream */
    bool live;
    uint64_t ver;
    zg_slice_t val;
    e = live_value(txn, kv, &live, &ver, &val, k, version);
    if (e != ZG_OK) break;
    if (live) {
      e = zg_buf_append(&out->key, k.ptr + 32, k.len - 32);
      if (e == ZG_OK) e = fill_value(out, val, ver, start, len);
      break;
    }
    e = zg_kvdb_cursor_get(c, &k, &v, forward ? ZG_KVDB_NEXT : ZG_KVDB_PREV);
  }
  if (e == ZG_ENOTFOUND) e = ZG_OK;
  zg_kvdb_cursor_close(c);
  zg_kvdb_txn_abort(txn);
  return e;
}

zg_err_t zg_kv_tx_result(zg_kv_t *kv, bool *found, char *out, size_t cap, uint64_t seq) {
  *found = false;
  if (cap) out[0] = 0;
  uint8_t k[8];
  zg__kv_be64(k, seq);
  zg_kvdb_txn_t *txn;
  zg_slice_t v;
  ZG_TRY(zg_kvdb_txn_begin(kv->db, &txn, NULL, false));
  zg_err_t e = zg_kvdb_get(txn, kv->results, zg_slice(k, 8), &v);
  if (e == ZG_OK) {
    *found = true;
    if (cap) {
      size_t n = v.len < cap - 1 ? v.len : cap - 1;
      memcpy(out, v.ptr, n);
      out[n] = 0;
    }
  }
  if (e == ZG_ENOTFOUND) e = ZG_OK;
  zg_kvdb_txn_abort(txn);
  return e;
}

/* Runs one read-only check. */
#define KV_READ(kv, call)                                     \
  do {                                                        \
    zg_kvdb_txn_t *txn_;                                      \
    ZG_TRY(zg_kvdb_txn_begin((kv)->db, &txn_, NULL, false)); \
    zg_kvdb_txn_t *txn = txn_;                                \
    zg_err_t e_ = (call);                                     \
    zg_kvdb_txn_abort(txn_);                                  \
    return e_;                                                \
  } while (0)

zg_err_t zg_kv_is_new_stream(zg_kv_t *kv, bool *out, const uint8_t stream[32], uint64_t version) {
  *out = false;
  KV_READ(kv, zg__kv_new_stream(txn, kv, out, stream, version));
}

zg_err_t zg_kv_is_admin(zg_kv_t *kv, bool *out, const uint8_t account[20], const uint8_t stream[32],
                        uint64_t version) {
  *out = false;
  KV_READ(kv, zg__kv_admin(txn, kv, out, account, stream, version));
}

zg_err_t zg_kv_is_special_key(zg_kv_t *kv, bool *out, const uint8_t stream[32], const uint8_t *key, size_t key_len,
                              uint64_t version) {
  *out = false;
  uint8_t h[32];
  zg_sha256(h, key, key_len);
  KV_READ(kv, special_key(txn, kv, out, stream, h, version));
}

zg_err_t zg_kv_is_writer_of_key(zg_kv_t *kv, bool *out, const uint8_t account[20], const uint8_t stream[32],
                                const uint8_t *key, size_t key_len, uint64_t version) {
  *out = false;
  uint8_t h[32];
  zg_sha256(h, key, key_len);
  KV_READ(kv, zg__kv_writer_of_key(txn, kv, out, account, stream, h, version));
}

zg_err_t zg_kv_is_writer_of_stream(zg_kv_t *kv, bool *out, const uint8_t account[20], const uint8_t stream[32],
                                   uint64_t version) {
  *out = false;
  KV_READ(kv, zg__kv_writer_of_stream(txn, kv, out, account, stream, version));
}

zg_err_t zg_kv_has_write_permission(zg_kv_t *kv, bool *out, const uint8_t account[20], const uint8_t stream[32],
                                    const uint8_t *key, size_t key_len, uint64_t version) {
  *out = false;
  uint8_t h[32];
  zg_sha256(h, key, key_len);
  KV_READ(kv, zg__kv_write_permission(txn, kv, out, account, stream, h, version));
}

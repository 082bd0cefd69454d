/*
 * kv_replay.c — replay of one KV tx (zg_kv_replay, zg/kv.h) with 0G's rules,
 * in 0G's order (docs/kv.md):
 *   parse the version and the read set; every read's stream must be one this
 *   node holds (else TagsMismatch) and no version of the key may be newer
 *   than the tx's version (else VersionConfliction);
 *   parse the write set; every write's stream must be in the tags (else
 *   TagsMismatch), the same version check, and the sender must have write
 *   permission (new stream, admin, or writer of the stream / special key);
 *   parse the ACL ops (plus an implicit GrantAdmin to the sender for every
 *   tagged stream that is new), keep one op per (op & 0xf0, stream, key,
 *   account) — the last, except that a GrantAdmin to the sender or to an
 *   account already granted in this tx is dropped — and check each
 *   survivor's permission (admin; GrantWriter also a writer of the stream;
 *   GrantSpecialWriter also a writer of the key);
 *   then commit: writes (version = seq) and ACL rows.
 * Every check reads the state before this tx. A parse failure is the
 * result DataParseError at the stage where 0G's reader would fail.
 *
 * The whole replay is one LMDB write transaction: the result, the state
 * changes and the cursor move commit together or not at all.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv/kv_internal.h"
#include "zg/hash.h"

typedef struct {
  uint8_t cat;
  uint8_t op;
  bool implicit;
  size_t idx;
  const uint8_t *stream;
  uint8_t keyhash[32];
  const uint8_t *key;
  size_t key_len;
  uint8_t account[20];
} acl_item_t;

static int cmp_item(const void *a, const void *b) {
  const acl_item_t *x = a, *y = b;
  if (x->cat != y->cat) return x->cat < y->cat ? -1 : 1;
  int c = memcmp(x->stream, y->stream, 32);
  if (!c) c = memcmp(x->keyhash, y->keyhash, 32);
  if (!c) c = memcmp(x->account, y->account, 20);
  if (c) return c;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static bool same_meta(const acl_item_t *x, const acl_item_t *y) {
  return x->cat == y->cat && memcmp(x->stream, y->stream, 32) == 0 && memcmp(x->keyhash, y->keyhash, 32) == 0 &&
         memcmp(x->account, y->account, 20) == 0;
}

static bool in_tags(const uint8_t *ids, size_t n, const uint8_t stream[32]) {
  for (size_t i = 0; i < n; i++)
    if (memcmp(ids + 32 * i, stream, 32) == 0) return true;
  return false;
}

static void hex32(char out[67], const uint8_t *p) { zg_hex_encode(out, p, 32); }

/* 0G prints at most 32 characters of a key, "NONE" for none. */
static void key_text(char out[40], const uint8_t *key, size_t len) {
  if (!len) {
    snprintf(out, 40, "NONE");
    return;
  }
  size_t n = len < 32 ? len : 32;
  for (size_t i = 0; i < n; i++) out[i] = key[i] >= 0x20 && key[i] < 0x7f ? (char)key[i] : '?';
  out[n] = 0;
}

static const char *parse_text(zg_err_t e) {
  switch (e) {
    case ZG_EOVERFLOW: return "list too long or value past the data";
    case ZG_ETRAILING: return "trailing bytes after the ACL set";
    case ZG_EINVAL: return "invalid data (empty key or unknown ACL op)";
    default: return "invalid data (truncated)";
  }
}

typedef struct {
  zg_kv_t *kv;
  zg_kvdb_txn_t *txn;
  uint64_t seq;
  const uint8_t *sender;
  const uint8_t *ids; /* tagged stream ids */
  size_t nids;
  zg_kv_stream_t d;
  acl_item_t *items;
  size_t nitems;
  bool *admin; /* per tagged stream: new or sender is admin */
  char *res;
  size_t rescap;
} rp_t;

static zg_err_t check_reads(rp_t *r, bool *stop) {
  for (size_t i = 0; i < r->d.nreads; i++) {
    const zg_kv_read_t *rd = &r->d.reads[i];
    if (!zg_kv_holds_stream(r->kv, rd->stream)) {
      snprintf(r->res, r->rescap, "TagsMismatch");
      *stop = true;
      return ZG_OK;
    }
    uint64_t ver;
    ZG_TRY(zg__kv_latest_version(r->txn, r->kv, &ver, rd->stream, rd->key, rd->key_len, ZG_KV_LATEST));
    if (ver > r->d.version) {
      snprintf(r->res, r->rescap, "VersionConfliction");
      *stop = true;
      return ZG_OK;
    }
  }
  return ZG_OK;
}

static zg_err_t check_writes(rp_t *r, bool *stop) {
  for (size_t i = 0; i < r->d.nwrites; i++) {
    const zg_kv_write_t *w = &r->d.writes[i];
    if (!in_tags(r->ids, r->nids, w->stream)) {
      snprintf(r->res, r->rescap, "TagsMismatch");
      *stop = true;
      return ZG_OK;
    }
    if (w->key_len > ZG_KV_MAX_STORED_KEY) {
      snprintf(r->res, r->rescap, "DataParseError: key of %zu bytes, this node stores keys up to %u bytes",
               w->key_len, ZG_KV_MAX_STORED_KEY);
      *stop = true;
      return ZG_OK;
    }
    uint64_t ver;
    ZG_TRY(zg__kv_latest_version(r->txn, r->kv, &ver, w->stream, w->key, w->key_len, ZG_KV_LATEST));
    if (ver > r->d.version) {
      snprintf(r->res, r->rescap, "VersionConfliction");
      *stop = true;
      return ZG_OK;
    }
    uint8_t kh[32];
    bool ok;
    zg_sha256(kh, w->key, w->key_len);
    ZG_TRY(zg__kv_write_permission(r->txn, r->kv, &ok, r->sender, w->stream, kh, ZG_KV_LATEST));
    if (!ok) {
      char hs[67], ks[40];
      hex32(hs, w->stream);
      key_text(ks, w->key, w->key_len);
      snprintf(r->res, r->rescap, "WritePermissionDenied: stream: %s, key: %s", hs, ks);
      *stop = true;
      return ZG_OK;
    }
  }
  return ZG_OK;
}

/* Builds the deduplicated ACL op list (see the file comment). */
static zg_err_t build_acl(rp_t *r) {
  size_t cap = r->nids + r->d.nacl;
  r->admin = calloc(r->nids ? r->nids : 1, sizeof *r->admin);
  acl_item_t *all = calloc(cap ? cap : 1, sizeof *all);
  if (!r->admin || !all) {
    free(all);
    return ZG_ENOMEM;
  }
  size_t n = 0;
  zg_err_t e = ZG_OK;
  for (size_t i = 0; i < r->nids && e == ZG_OK; i++) {
    const uint8_t *id = r->ids + 32 * i;
    bool is_new;
    e = zg__kv_new_stream(r->txn, r->kv, &is_new, id, ZG_KV_LATEST);
    if (e != ZG_OK) break;
    if (is_new) {
      acl_item_t *it = &all[n++];
      it->cat = 0x00;
      it->op = ZG_KV_GRANT_ADMIN;
      it->implicit = true;
      it->idx = i;
      it->stream = id;
      memcpy(it->account, r->sender, 20);
      r->admin[i] = true;
    } else {
      e = zg__kv_admin(r->txn, r->kv, &r->admin[i], r->sender, id, ZG_KV_LATEST);
    }
  }
  for (size_t i = 0; i < r->d.nacl && e == ZG_OK; i++) {
    const zg_kv_acl_t *a = &r->d.acl[i];
    acl_item_t *it = &all[n++];
    it->cat = a->op & 0xf0;
    it->op = a->op;
    it->idx = r->nids + i;
    it->stream = a->stream;
    it->key = a->key;
    it->key_len = a->key_len;
    if (a->key_len) zg_sha256(it->keyhash, a->key, a->key_len);
    bool renounce = a->op == ZG_KV_RENOUNCE_ADMIN || a->op == ZG_KV_RENOUNCE_WRITER ||
                    a->op == ZG_KV_RENOUNCE_SPECIAL_WRITER;
    memcpy(it->account, renounce ? r->sender : a->account, 20);
  }
  if (e != ZG_OK) {
    free(all);
    return e;
  }
  qsort(all, n, sizeof *all, cmp_item);
  /* One survivor per group, in index order within the group. */
  size_t out = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    const acl_item_t *keep = NULL;
    for (; j < n && same_meta(&all[i], &all[j]); j++) {
      const acl_item_t *it = &all[j];
      if (it->op == ZG_KV_GRANT_ADMIN && !it->implicit && (keep || memcmp(it->account, r->sender, 20) == 0))
        continue;
      keep = it;
    }
    if (keep) all[out++] = *keep;
    i = j;
  }
  r->items = all;
  r->nitems = out;
  return ZG_OK;
}

static bool admin_of(const rp_t *r, const uint8_t stream[32]) {
  for (size_t i = 0; i < r->nids; i++)
    if (memcmp(r->ids + 32 * i, stream, 32) == 0) return r->admin[i];
  return false;
}

static zg_err_t check_acl(rp_t *r, bool *stop) {
  for (size_t i = 0; i < r->nitems; i++) {
    const acl_item_t *it = &r->items[i];
    if (!in_tags(r->ids, r->nids, it->stream)) {
      snprintf(r->res, r->rescap, "TagsMismatch");
      *stop = true;
      return ZG_OK;
    }
    bool ok = true;
    switch (it->op) {
      case ZG_KV_GRANT_ADMIN:
      case ZG_KV_SET_KEY_NORMAL:
      case ZG_KV_SET_KEY_SPECIAL:
      case ZG_KV_REVOKE_WRITER:
      case ZG_KV_REVOKE_SPECIAL_WRITER:
        ok = admin_of(r, it->stream);
        break;
      case ZG_KV_GRANT_WRITER:
        ok = admin_of(r, it->stream);
        if (!ok) ZG_TRY(zg__kv_writer_of_stream(r->txn, r->kv, &ok, r->sender, it->stream, ZG_KV_LATEST));
        break;
      case ZG_KV_GRANT_SPECIAL_WRITER:
        ok = admin_of(r, it->stream);
        if (!ok)
          ZG_TRY(zg__kv_writer_of_key(r->txn, r->kv, &ok, r->sender, it->stream, it->keyhash, ZG_KV_LATEST));
        break;
      default:
        break;
    }
    if (!ok) {
      char hs[67], ks[40], as[43];
      hex32(hs, it->stream);
      key_text(ks, it->key, it->key_len);
      zg_hex_encode(as, it->account, 20);
      snprintf(r->res, r->rescap, "AccessControlPermissionDenied: operation: %s, stream: %s, key: %s, account: %s",
               zg_kv_acl_name(it->op), hs, ks, as);
      *stop = true;
      return ZG_OK;
    }
  }
  return ZG_OK;
}

static zg_err_t commit(rp_t *r) {
  uint8_t ver[8], k[32 + ZG_KV_MAX_STORED_KEY];
  zg__kv_be64(ver, r->seq);
  for (size_t i = 0; i < r->d.nwrites; i++) {
    const zg_kv_write_t *w = &r->d.writes[i];
    memcpy(k, w->stream, 32);
    memcpy(k + 32, w->key, w->key_len);
    ZG_TRY(zg_kvdb_put(r->txn, r->kv->keys, zg_slice(k, 32 + w->key_len), zg_slice(ver, 8), 0));
    uint8_t vk[40];
    zg__kv_value_hash(vk, w->stream, w->key, w->key_len);
    memcpy(vk + 32, ver, 8);
    ZG_TRY(zg_kvdb_put(r->txn, r->kv->vals, zg_slice(vk, 40), zg_slice(w->value, (size_t)w->value_len), 0));
  }
  for (size_t i = 0; i < r->nitems; i++) {
    const acl_item_t *it = &r->items[i];
    uint8_t ak[ZG_KV_ACL_KEY];
    bool setkey = it->cat == 0x10;
    zg__kv_acl_prefix(ak, it->cat, it->stream, it->keyhash, setkey ? NULL : it->account);
    memcpy(ak + 85, ver, 8);
    ZG_TRY(zg_kvdb_put(r->txn, r->kv->acl, zg_slice(ak, sizeof ak), zg_slice(&it->op, 1), 0));
    zg_err_t e = zg_kvdb_put(r->txn, r->kv->streams, zg_slice(it->stream, 32), zg_slice(ver, 8),
                             ZG_KVDB_NOOVERWRITE);
    if (e != ZG_OK && e != ZG_EEXIST) return e;
  }
  return ZG_OK;
}

/* Decides the result (and commits on "Commit") inside r->txn. */
static zg_err_t decide(rp_t *r, const uint8_t *data, size_t len) {
  zg_err_t pe = zg_kv_stream_decode(&r->d, data, len);
  bool stop = false;
#define PARSE_FAIL()                                                          \
  do {                                                                        \
    snprintf(r->res, r->rescap, "DataParseError: %s", parse_text(pe)); \
    return ZG_OK;                                                             \
  } while (0)
  if (pe == ZG_ENOMEM) return pe;
  if (r->d.stage < ZG_KV_STAGE_READS) PARSE_FAIL();
  ZG_TRY(check_reads(r, &stop));
  if (stop) return ZG_OK;
  if (r->d.stage < ZG_KV_STAGE_WRITES) PARSE_FAIL();
  ZG_TRY(check_writes(r, &stop));
  if (stop) return ZG_OK;
  if (r->d.stage < ZG_KV_STAGE_ACL) PARSE_FAIL();
  ZG_TRY(build_acl(r));
  ZG_TRY(check_acl(r, &stop));
  if (stop) return ZG_OK;
  if (r->d.stage < ZG_KV_STAGE_END) PARSE_FAIL();
#undef PARSE_FAIL
  ZG_TRY(commit(r));
  snprintf(r->res, r->rescap, "Commit");
  return ZG_OK;
}

zg_err_t zg_kv_replay(zg_kv_t *kv, char *result, size_t cap, uint64_t seq, const uint8_t sender[20],
                      const uint8_t *tags, size_t tags_len, const uint8_t *data, size_t len) {
  if (result && cap) result[0] = 0;
  if (!kv || !sender || (len && !data)) return ZG_EINVAL;
  size_t nids;
  if (!zg_kv_tags_parse(&nids, tags, tags_len)) return ZG_EINVAL;
  char res[512];
  rp_t r = {0};
  r.kv = kv;
  r.seq = seq;
  r.sender = sender;
  r.ids = tags + 32;
  r.nids = nids;
  r.res = res;
  r.rescap = sizeof res;
  res[0] = 0;
  uint64_t cur;
  zg_err_t e = zg_kvdb_txn_begin(kv->db, &r.txn, NULL, true);
  if (e != ZG_OK) return e;
  e = zg__kv_cursor_get(r.txn, kv, &cur);
  if (e == ZG_OK && cur != seq) e = ZG_ESTATE;
  if (e == ZG_OK) e = decide(&r, data, len);
  if (e == ZG_OK) {
    uint8_t k[8];
    zg__kv_be64(k, seq);
    e = zg_kvdb_put(r.txn, kv->results, zg_slice(k, 8), zg_slice(res, strlen(res)), 0);
  }
  if (e == ZG_OK) e = zg__kv_cursor_put(r.txn, kv, seq + 1);
  if (e == ZG_OK) {
    e = zg_kvdb_txn_commit(r.txn);
  } else {
    zg_kvdb_txn_abort(r.txn);
  }
  zg_kv_stream_clear(&r.d);
  free(r.items);
  free(r.admin);
  if (e == ZG_OK && result && cap) snprintf(result, cap, "%s", res);
  return e;
}

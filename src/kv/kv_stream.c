/*
 * kv_stream.c — 0G's StreamData codec (zg/kv_stream.h).
 *
 * The decoder walks the payload with one cursor; every read is preceded by a
 * check against the bytes left, so no length in the payload can make it read
 * out of bounds or allocate more than a bounded multiple of the input (an
 * entry takes at least 36 bytes, so a set never gets more slots than
 * len / 36 + 1 even when its count says 65536).
 */
#include <stdlib.h>
#include <string.h>

#include "zg/kv_stream.h"

const uint8_t zg_kv_stream_domain[32] = {0xdf, 0x2f, 0xf3, 0xbb, 0x0a, 0xf3, 0x6c, 0x63, 0x84, 0xe6, 0x20,
                                         0x65, 0x52, 0xa4, 0xed, 0x80, 0x7f, 0x6f, 0x6a, 0x26, 0xe7, 0xd0,
                                         0xaa, 0x6b, 0xff, 0x77, 0x2d, 0xdc, 0x9d, 0x43, 0x07, 0xaa};

bool zg_kv_acl_known(uint8_t op) {
  switch (op) {
    case ZG_KV_GRANT_ADMIN:
    case ZG_KV_RENOUNCE_ADMIN:
    case ZG_KV_SET_KEY_SPECIAL:
    case ZG_KV_SET_KEY_NORMAL:
    case ZG_KV_GRANT_WRITER:
    case ZG_KV_REVOKE_WRITER:
    case ZG_KV_RENOUNCE_WRITER:
    case ZG_KV_GRANT_SPECIAL_WRITER:
    case ZG_KV_REVOKE_SPECIAL_WRITER:
    case ZG_KV_RENOUNCE_SPECIAL_WRITER:
      return true;
    default:
      return false;
  }
}

bool zg_kv_acl_has_key(uint8_t op) {
  return op == ZG_KV_SET_KEY_SPECIAL || op == ZG_KV_SET_KEY_NORMAL || op == ZG_KV_GRANT_SPECIAL_WRITER ||
         op == ZG_KV_REVOKE_SPECIAL_WRITER || op == ZG_KV_RENOUNCE_SPECIAL_WRITER;
}

bool zg_kv_acl_has_account(uint8_t op) {
  return op == ZG_KV_GRANT_ADMIN || op == ZG_KV_GRANT_WRITER || op == ZG_KV_REVOKE_WRITER ||
         op == ZG_KV_GRANT_SPECIAL_WRITER || op == ZG_KV_REVOKE_SPECIAL_WRITER;
}

const char *zg_kv_acl_name(uint8_t op) {
  switch (op) {
    case ZG_KV_GRANT_ADMIN: return "GRANT_ADMIN_ROLE";
    case ZG_KV_RENOUNCE_ADMIN: return "RENOUNCE_ADMIN_ROLE";
    case ZG_KV_SET_KEY_SPECIAL: return "SET_KEY_TO_SPECIAL";
    case ZG_KV_SET_KEY_NORMAL: return "SET_KEY_TO_NORMAL";
    case ZG_KV_GRANT_WRITER: return "GRANT_WRITER_ROLE";
    case ZG_KV_REVOKE_WRITER: return "REVOKE_WRITER_ROLE";
    case ZG_KV_RENOUNCE_WRITER: return "RENOUNCE_WRITER_ROLE";
    case ZG_KV_GRANT_SPECIAL_WRITER: return "GRANT_SPECIAL_WRITER_ROLE";
    case ZG_KV_REVOKE_SPECIAL_WRITER: return "REVOKE_SPECIAL_WRITER_ROLE";
    case ZG_KV_RENOUNCE_SPECIAL_WRITER: return "RENOUNCE_SPECIAL_WRITER_ROLE";
    default: return "Unknown";
  }
}

/* ---- decoding ---- */

typedef struct {
  const uint8_t *p;
  size_t left;
} rd_t;

static zg_err_t take(rd_t *r, const uint8_t **out, size_t n) {
  if (r->left < n) return ZG_ETRUNC;
  *out = r->p;
  r->p += n;
  r->left -= n;
  return ZG_OK;
}

static zg_err_t be(rd_t *r, uint64_t *out, size_t n) {
  const uint8_t *q;
  ZG_TRY(take(r, &q, n));
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) v = (v << 8) | q[i];
  *out = v;
  return ZG_OK;
}

static zg_err_t key(rd_t *r, const uint8_t **k, size_t *klen) {
  uint64_t n;
  ZG_TRY(be(r, &n, 3));
  if (n == 0) return ZG_EINVAL; /* 0G: key should not be empty */
  ZG_TRY(take(r, k, (size_t)n));
  *klen = (size_t)n;
  return ZG_OK;
}

static zg_err_t stream_id(rd_t *r, uint8_t out[32]) {
  const uint8_t *q;
  ZG_TRY(take(r, &q, 32));
  memcpy(out, q, 32);
  return ZG_OK;
}

/* Reads a set count and allocates its array; min is the smallest encoded
 * size of one entry, so a count the bytes left cannot hold fails early. */
static zg_err_t set_count(rd_t *r, void **arr, size_t *n, size_t elem, size_t min) {
  uint64_t c;
  ZG_TRY(be(r, &c, 4));
  if (c > ZG_KV_MAX_SET) return ZG_EOVERFLOW;
  if (c > r->left / min) return ZG_ETRUNC;
  *n = 0;
  if (c == 0) return ZG_OK;
  *arr = calloc((size_t)c, elem);
  if (!*arr) return ZG_ENOMEM;
  *n = (size_t)c;
  return ZG_OK;
}

static zg_err_t dec_reads(zg_kv_stream_t *s, rd_t *r) {
  size_t n = 0;
  ZG_TRY(set_count(r, (void **)&s->reads, &n, sizeof *s->reads, 36));
  for (size_t i = 0; i < n; i++) {
    zg_kv_read_t *e = &s->reads[i];
    ZG_TRY(stream_id(r, e->stream));
    ZG_TRY(key(r, &e->key, &e->key_len));
    s->nreads = i + 1;
  }
  return ZG_OK;
}

static zg_err_t dec_writes(zg_kv_stream_t *s, rd_t *r) {
  size_t n = 0;
  ZG_TRY(set_count(r, (void **)&s->writes, &n, sizeof *s->writes, 44));
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) {
    zg_kv_write_t *e = &s->writes[i];
    ZG_TRY(stream_id(r, e->stream));
    ZG_TRY(key(r, &e->key, &e->key_len));
    ZG_TRY(be(r, &e->value_len, 8));
    if (e->value_len > r->left || total + e->value_len < total) return ZG_EOVERFLOW;
    total += e->value_len;
  }
  if (total > r->left) return ZG_EOVERFLOW;
  for (size_t i = 0; i < n; i++) {
    zg_kv_write_t *e = &s->writes[i];
    ZG_TRY(take(r, &e->value, (size_t)e->value_len));
    if (e->value_len == 0) e->value = NULL;
  }
  s->nwrites = n;
  return ZG_OK;
}

static zg_err_t dec_acl(zg_kv_stream_t *s, rd_t *r) {
  size_t n = 0;
  ZG_TRY(set_count(r, (void **)&s->acl, &n, sizeof *s->acl, 33));
  for (size_t i = 0; i < n; i++) {
    zg_kv_acl_t *e = &s->acl[i];
    const uint8_t *q;
    ZG_TRY(take(r, &q, 1));
    e->op = q[0];
    if (!zg_kv_acl_known(e->op)) return ZG_EINVAL;
    ZG_TRY(stream_id(r, e->stream));
    if (zg_kv_acl_has_key(e->op)) ZG_TRY(key(r, &e->key, &e->key_len));
    if (zg_kv_acl_has_account(e->op)) {
      ZG_TRY(take(r, &q, 20));
      memcpy(e->account, q, 20);
    }
    s->nacl = i + 1;
  }
  return ZG_OK;
}

zg_err_t zg_kv_stream_decode(zg_kv_stream_t *out, const uint8_t *p, size_t len) {
  memset(out, 0, sizeof *out);
  if (!p && len) return ZG_EINVAL;
  rd_t r = {p, len};
  ZG_TRY(be(&r, &out->version, 8));
  out->stage = ZG_KV_STAGE_VERSION;
  ZG_TRY(dec_reads(out, &r));
  out->stage = ZG_KV_STAGE_READS;
  zg_err_t e = dec_writes(out, &r);
  if (e != ZG_OK) {
    out->nwrites = 0; /* values not all read: no partial write set */
    return e;
  }
  out->stage = ZG_KV_STAGE_WRITES;
  ZG_TRY(dec_acl(out, &r));
  out->stage = ZG_KV_STAGE_ACL;
  if (r.left) return ZG_ETRAILING;
  out->stage = ZG_KV_STAGE_END;
  return ZG_OK;
}

void zg_kv_stream_clear(zg_kv_stream_t *s) {
  if (!s) return;
  free(s->reads);
  free(s->writes);
  free(s->acl);
  memset(s, 0, sizeof *s);
}

/* ---- encoding ---- */

static zg_err_t put_be(zg_buf_t *b, uint64_t v, size_t n) {
  uint8_t t[8];
  for (size_t i = 0; i < n; i++) t[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
  return zg_buf_append(b, t, n);
}

static zg_err_t put_key(zg_buf_t *b, const uint8_t *k, size_t n) {
  if (n == 0 || n > ZG_KV_MAX_KEY || !k) return ZG_EINVAL;
  ZG_TRY(put_be(b, n, 3));
  return zg_buf_append(b, k, n);
}

static zg_err_t encode(zg_buf_t *b, const zg_kv_stream_t *s) {
  if (s->nreads > ZG_KV_MAX_SET || s->nwrites > ZG_KV_MAX_SET || s->nacl > ZG_KV_MAX_SET) return ZG_EINVAL;
  ZG_TRY(put_be(b, s->version, 8));
  ZG_TRY(put_be(b, s->nreads, 4));
  for (size_t i = 0; i < s->nreads; i++) {
    ZG_TRY(zg_buf_append(b, s->reads[i].stream, 32));
    ZG_TRY(put_key(b, s->reads[i].key, s->reads[i].key_len));
  }
  ZG_TRY(put_be(b, s->nwrites, 4));
  for (size_t i = 0; i < s->nwrites; i++) {
    const zg_kv_write_t *w = &s->writes[i];
    if (!w->value && w->value_len) return ZG_EINVAL;
    ZG_TRY(zg_buf_append(b, w->stream, 32));
    ZG_TRY(put_key(b, w->key, w->key_len));
    ZG_TRY(put_be(b, w->value_len, 8));
  }
  for (size_t i = 0; i < s->nwrites; i++)
    if (s->writes[i].value_len) ZG_TRY(zg_buf_append(b, s->writes[i].value, (size_t)s->writes[i].value_len));
  ZG_TRY(put_be(b, s->nacl, 4));
  for (size_t i = 0; i < s->nacl; i++) {
    const zg_kv_acl_t *a = &s->acl[i];
    if (!zg_kv_acl_known(a->op)) return ZG_EINVAL;
    ZG_TRY(zg_buf_push(b, a->op));
    ZG_TRY(zg_buf_append(b, a->stream, 32));
    if (zg_kv_acl_has_key(a->op)) ZG_TRY(put_key(b, a->key, a->key_len));
    if (zg_kv_acl_has_account(a->op)) ZG_TRY(zg_buf_append(b, a->account, 20));
  }
  return ZG_OK;
}

zg_err_t zg_kv_stream_encode(zg_buf_t *out, const zg_kv_stream_t *s) {
  if (!out || !s) return ZG_EINVAL;
  size_t before = out->len;
  zg_err_t e = encode(out, s);
  if (e != ZG_OK) out->len = before;
  return e;
}

zg_err_t zg_kv_tags_encode(zg_buf_t *out, const uint8_t (*streams)[32], size_t n) {
  if (!out || (n && !streams)) return ZG_EINVAL;
  ZG_TRY(zg_buf_append(out, zg_kv_stream_domain, 32));
  for (size_t i = 0; i < n; i++) ZG_TRY(zg_buf_append(out, streams[i], 32));
  return ZG_OK;
}

bool zg_kv_tags_parse(size_t *n, const uint8_t *tags, size_t len) {
  *n = 0;
  if (!tags || len < 32 || len % 32 != 0 || memcmp(tags, zg_kv_stream_domain, 32) != 0) return false;
  *n = len / 32 - 1;
  return true;
}

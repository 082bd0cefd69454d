/*
 * abi.c — Solidity ABI: type strings, value checks, strict encode/decode,
 * encodePacked and the in-place encoding of indexed event arguments
 * (zg/abi.h). No Keccak here: selectors and topics are in crypto/abi_sig.c.
 *
 * Invariants. Every zg_abi_type_t reachable from a parsed type has depth <=
 * ZG_ABI_MAX_DEPTH, at least 32 head bytes (no zero-sized types), and a
 * static size <= ZG_ABI__MAX_STATIC, so head arithmetic cannot overflow.
 * The decoder walks the data strictly front to back: each tail must start
 * exactly where the previous one ended, so no byte is decoded twice, and
 * every count is checked against the bytes left before allocation; the
 * arena therefore grows at most linearly in the input size.
 */
#include "zg/abi.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Largest static (in-place) encoding a type may have: 16 MiB. */
#define ZG_ABI__MAX_STATIC ((size_t)1 << 24)
/* Arena: block sizes and a hard ceiling per arena. */
#define ZG_ABI__BLOCK_MIN ((size_t)8 << 10)
#define ZG_ABI__BLOCK_MAX ((size_t)1 << 20)
#define ZG_ABI__ARENA_LIMIT ((size_t)1 << 30)

/* ---- arena ---- */

struct zg__abi_block {
  struct zg__abi_block *next;
  size_t cap, used;
  uint8_t *data; /* points just after this header */
};

void zg_abi_arena_init(zg_abi_arena_t *a) {
  a->head = NULL;
  a->total = 0;
}

void zg_abi_arena_clear(zg_abi_arena_t *a) {
  struct zg__abi_block *b = a->head;
  while (b) {
    struct zg__abi_block *next = b->next;
    free(b);
    b = next;
  }
  zg_abi_arena_init(a);
}

void *zg_abi_arena_alloc(zg_abi_arena_t *a, size_t n) {
  if (!a || n > ZG_ABI__ARENA_LIMIT) return NULL;
  n = (n + 15) & ~(size_t)15;
  if (n == 0) n = 16;
  struct zg__abi_block *b = a->head;
  if (!b || b->cap - b->used < n) {
    size_t cap = b ? b->cap * 2 : ZG_ABI__BLOCK_MIN;
    if (cap > ZG_ABI__BLOCK_MAX) cap = ZG_ABI__BLOCK_MAX;
    if (cap < n) cap = n;
    if (cap > ZG_ABI__ARENA_LIMIT - a->total) return NULL;
    size_t hdr = (sizeof *b + 15) & ~(size_t)15;
    struct zg__abi_block *nb = malloc(hdr + cap);
    if (!nb) return NULL;
    nb->cap = cap;
    nb->used = 0;
    nb->data = (uint8_t *)nb + hdr;
    nb->next = a->head;
    a->head = nb;
    a->total += cap;
    b = nb;
  }
  void *p = b->data + b->used;
  b->used += n;
  memset(p, 0, n); /* zero only what is handed out: blocks are not pre-zeroed */
  return p;
}

/* ---- type parsing ---- */

typedef struct {
  const char *s;
  size_t n, i;
  zg_abi_arena_t *a;
} parser_t;

static bool at(const parser_t *p, char c) { return p->i < p->n && p->s[p->i] == c; }

static bool starts(const parser_t *p, const char *w) {
  size_t k = strlen(w);
  return p->n - p->i >= k && memcmp(p->s + p->i, w, k) == 0;
}

/* Reads a canonical decimal (no leading zero, no sign), at most 9 digits.
 * *present is false when no digit follows. */
static zg_err_t read_dec(parser_t *p, size_t *out, bool *present) {
  size_t v = 0, k = 0;
  while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') {
    if (k == 0 && p->s[p->i] == '0' && p->i + 1 < p->n && p->s[p->i + 1] >= '0' && p->s[p->i + 1] <= '9')
      return ZG_EINVAL;
    if (++k > 9) return ZG_EOVERFLOW;
    v = v * 10 + (size_t)(p->s[p->i] - '0');
    p->i++;
  }
  *out = v;
  *present = k > 0;
  return ZG_OK;
}

static zg_abi_type_t *new_type(parser_t *p, zg_abi_kind_t kind) {
  zg_abi_type_t *t = zg_abi_arena_alloc(p->a, sizeof *t);
  if (t) {
    t->kind = kind;
    t->head = 32;
  }
  return t;
}

static zg_err_t parse_type(parser_t *p, zg_abi_type_t *dst, unsigned level);

/* Sets the derived fields (dynamic, head, depth) of a tuple. */
static zg_err_t finish_tuple(zg_abi_type_t *t) {
  size_t head = 0;
  unsigned depth = 0;
  bool dyn = false;
  for (size_t k = 0; k < t->count; k++) {
    const zg_abi_type_t *f = &t->fields[k];
    dyn |= f->dynamic;
    if (f->depth > depth) depth = f->depth;
    head += f->head;
    if (head > ZG_ABI__MAX_STATIC) return ZG_EOVERFLOW;
  }
  t->dynamic = dyn;
  t->head = dyn ? 32 : head;
  t->depth = depth + 1;
  if (t->depth > ZG_ABI_MAX_DEPTH) return ZG_EOVERFLOW;
  return ZG_OK;
}

/* Number of top-level fields of the tuple whose '(' is at p->i. */
static zg_err_t count_fields(const parser_t *p, size_t *count) {
  size_t lvl = 0, c = 1;
  for (size_t k = p->i; k < p->n; k++) {
    char ch = p->s[k];
    if (ch == '(') lvl++;
    else if (ch == ')') {
      if (--lvl == 0) {
        if (k == p->i + 1) return ZG_EUNSUPPORTED; /* "()" */
        *count = c;
        return c > ZG_ABI_MAX_ELEMS ? ZG_EOVERFLOW : ZG_OK;
      }
    } else if (ch == ',' && lvl == 1) {
      c++;
    }
  }
  return ZG_EINVAL; /* unbalanced */
}

static zg_err_t parse_tuple(parser_t *p, zg_abi_type_t *t, unsigned level) {
  size_t count;
  ZG_TRY(count_fields(p, &count));
  p->i++; /* '(' */
  zg_abi_type_t *fields = zg_abi_arena_alloc(p->a, count * sizeof *fields);
  if (!fields) return ZG_ENOMEM;
  for (size_t k = 0; k < count; k++) {
    if (k) {
      if (!at(p, ',')) return ZG_EINVAL;
      p->i++;
    }
    ZG_TRY(parse_type(p, &fields[k], level + 1));
  }
  if (!at(p, ')')) return ZG_EINVAL;
  p->i++;
  t->kind = ZG_ABI_TUPLE;
  t->count = count;
  t->fields = fields;
  return finish_tuple(t);
}

/* Parses an elementary type name at p->i into t. */
static zg_err_t parse_elementary(parser_t *p, zg_abi_type_t *t) {
  size_t v;
  bool has;
  t->head = 32;
  t->depth = 0;
  t->dynamic = false;
  if (starts(p, "uint") || starts(p, "int")) {
    t->kind = p->s[p->i] == 'u' ? ZG_ABI_UINT : ZG_ABI_INT;
    p->i += t->kind == ZG_ABI_UINT ? 4 : 3;
    ZG_TRY(read_dec(p, &v, &has));
    if (!has || v == 0 || v > 256 || v % 8) return ZG_EINVAL; /* bare uint/int is not canonical */
    t->size = (unsigned)v;
    return ZG_OK;
  }
  if (starts(p, "address")) {
    p->i += 7;
    t->kind = ZG_ABI_ADDRESS;
    t->size = 160;
    return ZG_OK;
  }
  if (starts(p, "bool")) {
    p->i += 4;
    t->kind = ZG_ABI_BOOL;
    t->size = 8;
    return ZG_OK;
  }
  if (starts(p, "string")) {
    p->i += 6;
    t->kind = ZG_ABI_STRING;
    t->dynamic = true;
    return ZG_OK;
  }
  if (starts(p, "bytes")) {
    p->i += 5;
    ZG_TRY(read_dec(p, &v, &has));
    if (!has) {
      t->kind = ZG_ABI_BYTES;
      t->dynamic = true;
      return ZG_OK;
    }
    if (v == 0 || v > 32) return ZG_EINVAL;
    t->kind = ZG_ABI_FBYTES;
    t->size = (unsigned)v;
    return ZG_OK;
  }
  if (starts(p, "fixed") || starts(p, "ufixed") || starts(p, "function")) return ZG_EUNSUPPORTED;
  return ZG_EINVAL;
}

/* type := (elementary | tuple) ('[' k? ']')* */
static zg_err_t parse_type(parser_t *p, zg_abi_type_t *dst, unsigned level) {
  if (level > ZG_ABI_MAX_DEPTH) return ZG_EOVERFLOW;
  memset(dst, 0, sizeof *dst);
  if (at(p, '(')) {
    ZG_TRY(parse_tuple(p, dst, level));
  } else {
    ZG_TRY(parse_elementary(p, dst));
  }
  while (at(p, '[')) {
    p->i++;
    size_t k;
    bool has;
    ZG_TRY(read_dec(p, &k, &has));
    if (!at(p, ']')) return ZG_EINVAL;
    p->i++;
    zg_abi_type_t *elem = new_type(p, dst->kind);
    if (!elem) return ZG_ENOMEM;
    *elem = *dst;
    memset(dst, 0, sizeof *dst);
    dst->elem = elem;
    dst->depth = elem->depth + 1;
    if (dst->depth > ZG_ABI_MAX_DEPTH) return ZG_EOVERFLOW;
    if (!has) {
      dst->kind = ZG_ABI_DARRAY;
      dst->dynamic = true;
      dst->head = 32;
      continue;
    }
    if (k == 0) return ZG_EUNSUPPORTED;
    if (k > ZG_ABI_MAX_ELEMS) return ZG_EOVERFLOW;
    dst->kind = ZG_ABI_ARRAY;
    dst->count = k;
    dst->dynamic = elem->dynamic;
    if (elem->dynamic) {
      dst->head = 32;
    } else {
      if (elem->head > ZG_ABI__MAX_STATIC / k) return ZG_EOVERFLOW;
      dst->head = elem->head * k;
    }
  }
  return ZG_OK;
}

zg_err_t zg_abi_type_parse(const zg_abi_type_t **out, zg_abi_arena_t *a, const char *s, size_t len) {
  if (!out || !a || (!s && len)) return ZG_EINVAL;
  *out = NULL;
  if (len > ZG_ABI_MAX_TYPE_STR) return ZG_EOVERFLOW;
  parser_t p = {s, len, 0, a};
  zg_abi_type_t *t = new_type(&p, ZG_ABI_UINT);
  if (!t) return ZG_ENOMEM;
  ZG_TRY(parse_type(&p, t, 0));
  if (p.i != p.n) return ZG_EINVAL;
  *out = t;
  return ZG_OK;
}

zg_err_t zg_abi_type_parse_str(const zg_abi_type_t **out, zg_abi_arena_t *a, const char *s) {
  if (!s) return ZG_EINVAL;
  return zg_abi_type_parse(out, a, s, strlen(s));
}

zg_err_t zg_abi_tuple_select(const zg_abi_type_t **out, zg_abi_arena_t *a, const zg_abi_type_t *t, uint64_t mask) {
  if (!out || !a || !t) return ZG_EINVAL;
  *out = NULL;
  if (t->kind != ZG_ABI_TUPLE || t->count > 64) return ZG_EINVAL;
  zg_abi_type_t *r = zg_abi_arena_alloc(a, sizeof *r);
  zg_abi_type_t *f = zg_abi_arena_alloc(a, (t->count ? t->count : 1) * sizeof *f);
  if (!r || !f) return ZG_ENOMEM;
  size_t n = 0;
  for (size_t k = 0; k < t->count; k++)
    if (mask >> k & 1) f[n++] = t->fields[k];
  r->kind = ZG_ABI_TUPLE;
  r->count = n;
  r->fields = f;
  ZG_TRY(finish_tuple(r));
  *out = r;
  return ZG_OK;
}

static zg_err_t put_str(zg_buf_t *out, const char *s) { return zg_buf_append(out, s, strlen(s)); }

static zg_err_t put_dec(zg_buf_t *out, size_t v) {
  char tmp[24];
  size_t k = sizeof tmp;
  do {
    tmp[--k] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  return zg_buf_append(out, tmp + k, sizeof tmp - k);
}

static zg_err_t format_fields(zg_buf_t *out, const zg_abi_type_t *t) {
  ZG_TRY(zg_buf_push(out, '('));
  for (size_t k = 0; k < t->count; k++) {
    if (k) ZG_TRY(zg_buf_push(out, ','));
    ZG_TRY(zg_abi_type_format(out, &t->fields[k]));
  }
  return zg_buf_push(out, ')');
}

zg_err_t zg_abi_type_format(zg_buf_t *out, const zg_abi_type_t *t) {
  if (!out || !t) return ZG_EINVAL;
  switch (t->kind) {
    case ZG_ABI_UINT:
    case ZG_ABI_INT:
      ZG_TRY(put_str(out, t->kind == ZG_ABI_UINT ? "uint" : "int"));
      return put_dec(out, t->size);
    case ZG_ABI_ADDRESS: return put_str(out, "address");
    case ZG_ABI_BOOL: return put_str(out, "bool");
    case ZG_ABI_FBYTES:
      ZG_TRY(put_str(out, "bytes"));
      return put_dec(out, t->size);
    case ZG_ABI_BYTES: return put_str(out, "bytes");
    case ZG_ABI_STRING: return put_str(out, "string");
    case ZG_ABI_ARRAY:
    case ZG_ABI_DARRAY:
      ZG_TRY(zg_abi_type_format(out, t->elem));
      ZG_TRY(zg_buf_push(out, '['));
      if (t->kind == ZG_ABI_ARRAY) ZG_TRY(put_dec(out, t->count));
      return zg_buf_push(out, ']');
    case ZG_ABI_TUPLE: return format_fields(out, t);
  }
  return ZG_EINVAL;
}

/* ---- signatures ---- */

static bool ident_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || (!first && c >= '0' && c <= '9');
}

zg_err_t zg_abi_sig_parse(zg_slice_t *name, const zg_abi_type_t **args, uint64_t *indexed, zg_abi_arena_t *a,
                          const char *sig, size_t len) {
  if (!name || !args || !a || (!sig && len)) return ZG_EINVAL;
  *name = zg_slice(NULL, 0);
  *args = NULL;
  if (indexed) *indexed = 0;
  if (len > ZG_ABI_MAX_TYPE_STR) return ZG_EOVERFLOW;
  parser_t p = {sig, len, 0, a};
  while (p.i < p.n && ident_char(sig[p.i], p.i == 0)) p.i++;
  if (p.i == 0 || !at(&p, '(')) return ZG_EINVAL;
  zg_slice_t nm = zg_slice(sig, p.i);
  zg_abi_type_t *t = new_type(&p, ZG_ABI_TUPLE);
  if (!t) return ZG_ENOMEM;
  t->kind = ZG_ABI_TUPLE;
  p.i++;
  size_t count = 0;
  if (!at(&p, ')')) {
    /* Count the top-level commas to size the field array. */
    size_t lvl = 0;
    count = 1;
    for (size_t k = p.i; k < p.n && !(lvl == 0 && sig[k] == ')'); k++) {
      if (sig[k] == '(') lvl++;
      else if (sig[k] == ')') lvl--;
      else if (sig[k] == ',' && lvl == 0) count++;
    }
    if (count > 64 && indexed) return ZG_EOVERFLOW;
    if (count > ZG_ABI_MAX_ELEMS) return ZG_EOVERFLOW;
  }
  zg_abi_type_t *fields = zg_abi_arena_alloc(a, (count ? count : 1) * sizeof *fields);
  if (!fields) return ZG_ENOMEM;
  uint64_t idx = 0;
  for (size_t k = 0; k < count; k++) {
    if (k) {
      if (!at(&p, ',')) return ZG_EINVAL;
      p.i++;
    }
    ZG_TRY(parse_type(&p, &fields[k], 1));
    if (indexed && starts(&p, " indexed")) {
      p.i += 8;
      idx |= (uint64_t)1 << k;
    }
  }
  if (!at(&p, ')') || p.i + 1 != p.n) return ZG_EINVAL;
  t->count = count;
  t->fields = fields;
  ZG_TRY(finish_tuple(t));
  *name = nm;
  *args = t;
  if (indexed) *indexed = idx;
  return ZG_OK;
}

zg_err_t zg_abi_sig_format(zg_buf_t *out, zg_slice_t name, const zg_abi_type_t *args) {
  if (!out || !args || args->kind != ZG_ABI_TUPLE || (!name.ptr && name.len)) return ZG_EINVAL;
  size_t start = out->len;
  zg_err_t e = zg_buf_append(out, name.ptr, name.len);
  if (e == ZG_OK) e = format_fields(out, args);
  if (e != ZG_OK) out->len = start;
  return e;
}

/* ---- values ---- */

zg_abi_value_t zg_abi_u64(uint64_t v) {
  zg_abi_value_t r;
  memset(&r, 0, sizeof r);
  r.kind = ZG_ABI_UINT;
  zg_store_be64(r.u.word + 24, v);
  return r;
}

zg_abi_value_t zg_abi_i64(int64_t v) {
  zg_abi_value_t r;
  memset(&r, 0, sizeof r);
  r.kind = ZG_ABI_INT;
  if (v < 0) memset(r.u.word, 0xff, 24);
  zg_store_be64(r.u.word + 24, (uint64_t)v);
  return r;
}

zg_abi_value_t zg_abi_uint_be(const uint8_t be[32]) {
  zg_abi_value_t r;
  memset(&r, 0, sizeof r);
  r.kind = ZG_ABI_UINT;
  memcpy(r.u.word, be, 32);
  return r;
}

zg_abi_value_t zg_abi_int_be(const uint8_t be[32]) {
  zg_abi_value_t r = zg_abi_uint_be(be);
  r.kind = ZG_ABI_INT;
  return r;
}

zg_abi_value_t zg_abi_bool(bool v) {
  zg_abi_value_t r = zg_abi_u64(v ? 1 : 0);
  r.kind = ZG_ABI_BOOL;
  return r;
}

zg_abi_value_t zg_abi_address(const uint8_t addr[20]) {
  zg_abi_value_t r;
  memset(&r, 0, sizeof r);
  r.kind = ZG_ABI_ADDRESS;
  memcpy(r.u.word + 12, addr, 20);
  return r;
}

zg_abi_value_t zg_abi_fbytes(const void *p, size_t n) {
  zg_abi_value_t r;
  memset(&r, 0, sizeof r);
  r.kind = ZG_ABI_FBYTES;
  r.len = n;
  if (n <= 32 && p) memcpy(r.u.word, p, n);
  return r;
}

zg_abi_value_t zg_abi_bytes(const void *p, size_t n) {
  zg_abi_value_t r;
  memset(&r, 0, sizeof r);
  r.kind = ZG_ABI_BYTES;
  r.len = n;
  r.u.bytes = p;
  return r;
}

zg_abi_value_t zg_abi_string_n(const char *s, size_t n) {
  zg_abi_value_t r = zg_abi_bytes(s, n);
  r.kind = ZG_ABI_STRING;
  return r;
}

zg_abi_value_t zg_abi_string(const char *s) { return zg_abi_string_n(s, s ? strlen(s) : 0); }

zg_abi_value_t zg_abi_array(const zg_abi_value_t *items, size_t n) {
  zg_abi_value_t r;
  memset(&r, 0, sizeof r);
  r.kind = ZG_ABI_ARRAY;
  r.len = n;
  r.u.items = items;
  return r;
}

zg_abi_value_t zg_abi_tuple(const zg_abi_value_t *items, size_t n) {
  zg_abi_value_t r = zg_abi_array(items, n);
  r.kind = ZG_ABI_TUPLE;
  return r;
}

static bool is_word_kind(zg_abi_kind_t k) { return k <= ZG_ABI_FBYTES; }

zg_err_t zg_abi_get_word(uint8_t out[32], const zg_abi_value_t *v) {
  if (!out || !v) return ZG_EINVAL;
  if (!is_word_kind(v->kind)) return ZG_ETYPE;
  memcpy(out, v->u.word, 32);
  return ZG_OK;
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t b) {
  for (size_t k = 0; k < n; k++)
    if (p[k] != b) return false;
  return true;
}

zg_err_t zg_abi_get_u64(uint64_t *out, const zg_abi_value_t *v) {
  if (!out || !v) return ZG_EINVAL;
  *out = 0;
  if (v->kind != ZG_ABI_UINT && v->kind != ZG_ABI_INT) return ZG_ETYPE;
  if (!all_bytes(v->u.word, 24, 0)) return ZG_ERANGE;
  *out = zg_load_be64(v->u.word + 24);
  return ZG_OK;
}

zg_err_t zg_abi_get_i64(int64_t *out, const zg_abi_value_t *v) {
  if (!out || !v) return ZG_EINVAL;
  *out = 0;
  if (v->kind != ZG_ABI_UINT && v->kind != ZG_ABI_INT) return ZG_ETYPE;
  bool neg = v->kind == ZG_ABI_INT && (v->u.word[0] & 0x80);
  uint8_t ext = neg ? 0xff : 0;
  if (!all_bytes(v->u.word, 24, ext) || ((v->u.word[24] & 0x80) != (ext & 0x80))) return ZG_ERANGE;
  uint64_t u = zg_load_be64(v->u.word + 24);
  *out = neg ? -(int64_t)(~u) - 1 : (int64_t)u;
  return ZG_OK;
}

zg_err_t zg_abi_get_bool(bool *out, const zg_abi_value_t *v) {
  if (!out || !v) return ZG_EINVAL;
  *out = false;
  if (v->kind != ZG_ABI_BOOL) return ZG_ETYPE;
  *out = v->u.word[31] != 0;
  return ZG_OK;
}

zg_err_t zg_abi_get_address(uint8_t out[20], const zg_abi_value_t *v) {
  if (!out || !v) return ZG_EINVAL;
  if (v->kind != ZG_ABI_ADDRESS) return ZG_ETYPE;
  memcpy(out, v->u.word + 12, 20);
  return ZG_OK;
}

zg_err_t zg_abi_get_bytes(zg_slice_t *out, const zg_abi_value_t *v) {
  if (!out || !v) return ZG_EINVAL;
  if (v->kind != ZG_ABI_BYTES && v->kind != ZG_ABI_STRING) return ZG_ETYPE;
  *out = zg_slice(v->u.bytes, v->len);
  return ZG_OK;
}

bool zg_abi_value_eq(const zg_abi_value_t *a, const zg_abi_value_t *b) {
  if (a->kind != b->kind) return false;
  if (is_word_kind(a->kind)) return a->len == b->len && memcmp(a->u.word, b->u.word, 32) == 0;
  if (a->len != b->len) return false;
  if (a->kind == ZG_ABI_BYTES || a->kind == ZG_ABI_STRING)
    return a->len == 0 || memcmp(a->u.bytes, b->u.bytes, a->len) == 0;
  for (size_t k = 0; k < a->len; k++)
    if (!zg_abi_value_eq(&a->u.items[k], &b->u.items[k])) return false;
  return true;
}

/* ---- encoding ---- */

/* Checks that value v fits value type t (see the header for the rules). */
static zg_err_t check_word(const zg_abi_type_t *t, const zg_abi_value_t *v) {
  const uint8_t *w = v->u.word;
  size_t pad = 32 - t->size / 8; /* UINT/INT: bytes above the type's width */
  switch (t->kind) {
    case ZG_ABI_UINT:
      if (v->kind != ZG_ABI_UINT && v->kind != ZG_ABI_INT) return ZG_ETYPE;
      if (v->kind == ZG_ABI_INT && (w[0] & 0x80)) return ZG_ERANGE;
      return all_bytes(w, pad, 0) ? ZG_OK : ZG_ERANGE;
    case ZG_ABI_INT: {
      if (v->kind != ZG_ABI_UINT && v->kind != ZG_ABI_INT) return ZG_ETYPE;
      bool neg = v->kind == ZG_ABI_INT && (w[0] & 0x80);
      uint8_t ext = neg ? 0xff : 0;
      /* The bytes above the width and the type's sign bit all match the sign. */
      if (!all_bytes(w, pad, ext) || (w[pad] & 0x80) != (ext & 0x80)) return ZG_ERANGE;
      return ZG_OK;
    }
    case ZG_ABI_ADDRESS:
      if (v->kind != ZG_ABI_ADDRESS) return ZG_ETYPE;
      return all_bytes(w, 12, 0) ? ZG_OK : ZG_ERANGE;
    case ZG_ABI_BOOL:
      if (v->kind != ZG_ABI_BOOL) return ZG_ETYPE;
      return all_bytes(w, 31, 0) && w[31] <= 1 ? ZG_OK : ZG_ERANGE;
    case ZG_ABI_FBYTES:
      if (v->kind != ZG_ABI_FBYTES || v->len != t->size) return ZG_ETYPE;
      return all_bytes(w + t->size, 32 - t->size, 0) ? ZG_OK : ZG_ERANGE;
    default: return ZG_ETYPE;
  }
}

/* The element type k of a tuple or array type. */
static const zg_abi_type_t *member(const zg_abi_type_t *t, size_t k) {
  return t->kind == ZG_ABI_TUPLE ? &t->fields[k] : t->elem;
}

/* Checks the shape of an aggregate value against t: kind and count. */
static zg_err_t check_shape(const zg_abi_type_t *t, const zg_abi_value_t *v) {
  if (t->kind == ZG_ABI_TUPLE) return v->kind == ZG_ABI_TUPLE && v->len == t->count ? ZG_OK : ZG_ETYPE;
  if (v->kind != ZG_ABI_ARRAY) return ZG_ETYPE;
  if (t->kind == ZG_ABI_ARRAY && v->len != t->count) return ZG_ETYPE;
  if (t->kind == ZG_ABI_DARRAY && v->len > ZG_ABI_MAX_ELEMS) return ZG_EOVERFLOW;
  if (v->len && !v->u.items) return ZG_EINVAL;
  return ZG_OK;
}

static void store_word_u64(uint8_t *w, uint64_t x) {
  memset(w, 0, 24);
  zg_store_be64(w + 24, x);
}

/* Writes the static encoding of v (t->head bytes) at dst. */
static zg_err_t enc_static_at(uint8_t *dst, const zg_abi_type_t *t, const zg_abi_value_t *v) {
  if (is_word_kind(t->kind)) {
    ZG_TRY(check_word(t, v));
    memcpy(dst, v->u.word, 32);
    return ZG_OK;
  }
  ZG_TRY(check_shape(t, v));
  for (size_t k = 0; k < v->len; k++) {
    const zg_abi_type_t *m = member(t, k);
    ZG_TRY(enc_static_at(dst, m, &v->u.items[k]));
    dst += m->head;
  }
  return ZG_OK;
}

static zg_err_t enc(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *v, unsigned depth);

/* Appends head(X(1))..head(X(n)) tail(X(1))..tail(X(n)) for the n members of
 * the aggregate value v of type t. */
static zg_err_t enc_seq(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *v, unsigned depth) {
  size_t head = 0;
  for (size_t k = 0; k < v->len; k++) {
    head += member(t, k)->head;
    if (head > SIZE_MAX / 2) return ZG_EOVERFLOW;
  }
  if (v->len == 0) return ZG_OK; /* an empty array or tuple: nothing to write (out->ptr may be NULL) */
  size_t start = out->len;
  ZG_TRY(zg_buf_reserve(out, head));
  memset(out->ptr + start, 0, head);
  out->len += head;
  size_t pos = 0;
  for (size_t k = 0; k < v->len; k++) {
    const zg_abi_type_t *m = member(t, k);
    if (!m->dynamic) ZG_TRY(enc_static_at(out->ptr + start + pos, m, &v->u.items[k]));
    pos += m->head;
  }
  pos = 0;
  for (size_t k = 0; k < v->len; k++) {
    const zg_abi_type_t *m = member(t, k);
    if (m->dynamic) {
      store_word_u64(out->ptr + start + pos, (uint64_t)(out->len - start));
      ZG_TRY(enc(out, m, &v->u.items[k], depth + 1));
    }
    pos += m->head;
  }
  return ZG_OK;
}

static zg_err_t enc(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *v, unsigned depth) {
  if (depth > ZG_ABI_MAX_DEPTH + 1) return ZG_EOVERFLOW;
  if (!t->dynamic) {
    if (t->head == 0) return check_shape(t, v); /* the empty tuple (events whose arguments are all indexed) */
    ZG_TRY(zg_buf_reserve(out, t->head));
    memset(out->ptr + out->len, 0, t->head);
    ZG_TRY(enc_static_at(out->ptr + out->len, t, v));
    out->len += t->head;
    return ZG_OK;
  }
  uint8_t w[32];
  switch (t->kind) {
    case ZG_ABI_BYTES:
    case ZG_ABI_STRING: {
      if (v->kind != t->kind) return ZG_ETYPE;
      if (v->len && !v->u.bytes) return ZG_EINVAL;
      if (v->len > SIZE_MAX - 64) return ZG_EOVERFLOW;
      size_t padded = (v->len + 31) & ~(size_t)31;
      ZG_TRY(zg_buf_reserve(out, 32 + padded));
      store_word_u64(w, (uint64_t)v->len);
      ZG_TRY(zg_buf_append(out, w, 32));
      if (v->len) memcpy(out->ptr + out->len, v->u.bytes, v->len);
      memset(out->ptr + out->len + v->len, 0, padded - v->len);
      out->len += padded;
      return ZG_OK;
    }
    case ZG_ABI_DARRAY:
      ZG_TRY(check_shape(t, v));
      store_word_u64(w, (uint64_t)v->len);
      ZG_TRY(zg_buf_append(out, w, 32));
      return enc_seq(out, t, v, depth);
    case ZG_ABI_ARRAY:
    case ZG_ABI_TUPLE:
      ZG_TRY(check_shape(t, v));
      return enc_seq(out, t, v, depth);
    default: return ZG_ETYPE;
  }
}

zg_err_t zg_abi_encode(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *v) {
  if (!out || !t || !v) return ZG_EINVAL;
  size_t start = out->len;
  zg_err_t e = enc(out, t, v, 0);
  if (e != ZG_OK) out->len = start;
  return e;
}

zg_err_t zg_abi_encode_args(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *args, size_t n) {
  if (!t || t->kind != ZG_ABI_TUPLE || (!args && n)) return ZG_EINVAL;
  zg_abi_value_t tuple = zg_abi_tuple(args, n);
  return zg_abi_encode(out, t, &tuple);
}

/* ---- decoding ---- */

typedef struct {
  zg_abi_arena_t *a;
  const uint8_t *d;
} dec_t;

/* Reads a word that must hold a 64-bit number: *wide is set when any of the
 * high 24 bytes is non-zero. */
static uint64_t read_u64_word(const uint8_t *w, bool *wide) {
  *wide = !all_bytes(w, 24, 0);
  return zg_load_be64(w + 24);
}

/* Decodes a value type from its word with the padding rules of the spec. */
static zg_err_t dec_word(zg_abi_value_t *out, const zg_abi_type_t *t, const uint8_t *w) {
  size_t pad = 32 - t->size / 8;
  switch (t->kind) {
    case ZG_ABI_UINT:
      if (!all_bytes(w, pad, 0)) return ZG_EPADDING;
      break;
    case ZG_ABI_INT: {
      uint8_t ext = (w[pad] & 0x80) ? 0xff : 0;
      if (!all_bytes(w, pad, ext)) return ZG_EPADDING;
      break;
    }
    case ZG_ABI_ADDRESS:
      if (!all_bytes(w, 12, 0)) return ZG_EPADDING;
      break;
    case ZG_ABI_BOOL:
      if (!all_bytes(w, 31, 0)) return ZG_EPADDING;
      if (w[31] > 1) return ZG_ENONCANON;
      break;
    case ZG_ABI_FBYTES:
      if (!all_bytes(w + t->size, 32 - t->size, 0)) return ZG_EPADDING;
      out->len = t->size;
      break;
    default: return ZG_ETYPE;
  }
  out->kind = t->kind;
  memcpy(out->u.word, w, 32);
  return ZG_OK;
}

static zg_err_t dec_at(dec_t *c, zg_abi_value_t *out, const zg_abi_type_t *t, size_t pos, size_t end, size_t *used,
                       unsigned depth);

/* Decodes the n members of aggregate type t laid out as heads then tails at
 * [pos, end); *used is the bytes they take (heads plus tails). */
static zg_err_t dec_seq(dec_t *c, zg_abi_value_t *out, const zg_abi_type_t *t, size_t n, size_t pos, size_t end,
                        size_t *used, unsigned depth) {
  size_t avail = end - pos, head = 0;
  for (size_t k = 0; k < n; k++) {
    head += member(t, k)->head;
    if (head > avail) return ZG_ETRUNC;
  }
  zg_abi_value_t *items = NULL;
  if (n) {
    items = zg_abi_arena_alloc(c->a, n * sizeof *items);
    if (!items) return ZG_ENOMEM;
  }
  out->kind = t->kind == ZG_ABI_TUPLE ? ZG_ABI_TUPLE : ZG_ABI_ARRAY;
  out->len = n;
  out->u.items = items;
  size_t hpos = 0, expect = head;
  for (size_t k = 0; k < n; k++) {
    const zg_abi_type_t *m = member(t, k);
    size_t u;
    if (!m->dynamic) {
      ZG_TRY(dec_at(c, &items[k], m, pos + hpos, end, &u, depth + 1));
    } else {
      bool wide;
      uint64_t off = read_u64_word(c->d + pos + hpos, &wide);
      if (wide || off > avail || off < head) return ZG_EOFFSET;
      if (off != expect) return ZG_ENONCANON;
      ZG_TRY(dec_at(c, &items[k], m, pos + (size_t)off, end, &u, depth + 1));
      expect += u;
    }
    hpos += m->head;
  }
  *used = expect;
  return ZG_OK;
}

static zg_err_t dec_at(dec_t *c, zg_abi_value_t *out, const zg_abi_type_t *t, size_t pos, size_t end, size_t *used,
                       unsigned depth) {
  if (depth > ZG_ABI_MAX_DEPTH + 1) return ZG_EOVERFLOW;
  size_t avail = end - pos;
  memset(out, 0, sizeof *out);
  if (is_word_kind(t->kind)) {
    if (avail < 32) return ZG_ETRUNC;
    *used = 32;
    return dec_word(out, t, c->d + pos);
  }
  if (t->kind == ZG_ABI_TUPLE) return dec_seq(c, out, t, t->count, pos, end, used, depth);
  if (t->kind == ZG_ABI_ARRAY) return dec_seq(c, out, t, t->count, pos, end, used, depth);
  /* BYTES, STRING, DARRAY: a length word first. */
  if (avail < 32) return ZG_ETRUNC;
  bool wide;
  uint64_t n = read_u64_word(c->d + pos, &wide);
  if (wide) return ZG_EOVERFLOW;
  avail -= 32;
  if (t->kind == ZG_ABI_DARRAY) {
    if (n > ZG_ABI_MAX_ELEMS) return ZG_EOVERFLOW;
    if (n > avail / t->elem->head) return ZG_ETRUNC;
    size_t u;
    ZG_TRY(dec_seq(c, out, t, (size_t)n, pos + 32, end, &u, depth));
    *used = 32 + u;
    return ZG_OK;
  }
  if (t->kind != ZG_ABI_BYTES && t->kind != ZG_ABI_STRING) return ZG_ETYPE;
  if (n > avail) return ZG_ETRUNC;
  size_t len = (size_t)n, padded = (len + 31) & ~(size_t)31;
  if (padded > avail) return ZG_ETRUNC;
  const uint8_t *p = c->d + pos + 32;
  if (!all_bytes(p + len, padded - len, 0)) return ZG_EPADDING;
  uint8_t *copy = NULL;
  if (len) {
    copy = zg_abi_arena_alloc(c->a, len);
    if (!copy) return ZG_ENOMEM;
    memcpy(copy, p, len);
  }
  out->kind = t->kind;
  out->len = len;
  out->u.bytes = copy;
  *used = 32 + padded;
  return ZG_OK;
}

zg_err_t zg_abi_decode(zg_abi_value_t *out, zg_abi_arena_t *a, const zg_abi_type_t *t, const uint8_t *data,
                       size_t len) {
  if (!out || !a || !t || (!data && len)) return ZG_EINVAL;
  memset(out, 0, sizeof *out);
  dec_t c = {a, data};
  size_t used = 0;
  zg_err_t e = dec_at(&c, out, t, 0, len, &used, 0);
  if (e == ZG_OK && used != len) e = ZG_ETRAILING;
  if (e != ZG_OK) memset(out, 0, sizeof *out);
  return e;
}

/* ---- packed and in-place encodings ---- */

/* Appends the unpadded bytes of a value type: the low size/8 bytes of an
 * integer, 20 for an address, 1 for a bool, N for bytesN. */
static zg_err_t packed_word(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *v) {
  ZG_TRY(check_word(t, v));
  switch (t->kind) {
    case ZG_ABI_UINT:
    case ZG_ABI_INT: return zg_buf_append(out, v->u.word + 32 - t->size / 8, t->size / 8);
    case ZG_ABI_ADDRESS: return zg_buf_append(out, v->u.word + 12, 20);
    case ZG_ABI_BOOL: return zg_buf_push(out, v->u.word[31]);
    default: return zg_buf_append(out, v->u.word, t->size);
  }
}

static zg_err_t packed_one(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *v) {
  if (is_word_kind(t->kind)) return packed_word(out, t, v);
  if (t->kind == ZG_ABI_BYTES || t->kind == ZG_ABI_STRING) {
    if (v->kind != t->kind) return ZG_ETYPE;
    if (v->len && !v->u.bytes) return ZG_EINVAL;
    return zg_buf_append(out, v->u.bytes, v->len);
  }
  if (t->kind == ZG_ABI_TUPLE || !is_word_kind(t->elem->kind)) return ZG_EUNSUPPORTED;
  ZG_TRY(check_shape(t, v));
  for (size_t k = 0; k < v->len; k++) {
    ZG_TRY(check_word(t->elem, &v->u.items[k]));
    ZG_TRY(zg_buf_append(out, v->u.items[k].u.word, 32));
  }
  return ZG_OK;
}

zg_err_t zg_abi_encode_packed(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *v) {
  if (!out || !t || !v) return ZG_EINVAL;
  size_t start = out->len;
  zg_err_t e;
  if (t->kind == ZG_ABI_TUPLE) {
    e = check_shape(t, v);
    for (size_t k = 0; e == ZG_OK && k < v->len; k++) e = packed_one(out, &t->fields[k], &v->u.items[k]);
  } else {
    e = packed_one(out, t, v);
  }
  if (e != ZG_OK) out->len = start;
  return e;
}

static zg_err_t indexed_enc(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *v, bool top,
                            unsigned depth) {
  if (depth > ZG_ABI_MAX_DEPTH + 1) return ZG_EOVERFLOW;
  if (is_word_kind(t->kind)) {
    ZG_TRY(check_word(t, v));
    return zg_buf_append(out, v->u.word, 32);
  }
  if (t->kind == ZG_ABI_BYTES || t->kind == ZG_ABI_STRING) {
    if (v->kind != t->kind) return ZG_ETYPE;
    if (v->len && !v->u.bytes) return ZG_EINVAL;
    ZG_TRY(zg_buf_append(out, v->u.bytes, v->len));
    if (top || v->len % 32 == 0) return ZG_OK;
    static const uint8_t zeros[32];
    return zg_buf_append(out, zeros, 32 - v->len % 32);
  }
  ZG_TRY(check_shape(t, v));
  for (size_t k = 0; k < v->len; k++) ZG_TRY(indexed_enc(out, member(t, k), &v->u.items[k], false, depth + 1));
  return ZG_OK;
}

zg_err_t zg_abi_encode_indexed(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *v) {
  if (!out || !t || !v) return ZG_EINVAL;
  size_t start = out->len;
  zg_err_t e = indexed_enc(out, t, v, true, 0);
  if (e != ZG_OK) out->len = start;
  return e;
}

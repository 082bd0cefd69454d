/*
 * rlp.c — RLP writer and strict zero-copy reader (zg/rlp.h).
 *
 * Invariants. The writer's open[] holds, for each open list, the offset in
 * out where its payload starts; one header byte sits just before it. The
 * reader never reads outside [p, p+n) of the slice it was given: every
 * length is checked against what is left before it is used, with the
 * additions done so that they cannot wrap. Nesting is bounded by
 * ZG_RLP_MAX_DEPTH in both directions, so hostile input cannot recurse
 * without bound.
 */
#include "zg/rlp.h"

#include <string.h>

/* ---- writer ---- */

void zg_rlp_writer_init(zg_rlp_writer_t *w, zg_buf_t *out) {
  w->out = out;
  w->depth = 0;
}

zg_err_t zg_rlp_writer_finish(const zg_rlp_writer_t *w) { return w->depth ? ZG_ESTATE : ZG_OK; }

/* Number of bytes in the minimal big-endian form of v (0 for v == 0). */
static unsigned be_len(uint64_t v) {
  unsigned n = 0;
  while (v) { n++; v >>= 8; }
  return n;
}

/* Writes a header at h: short form base+len when len < 56, long form
 * otherwise (base+55+len(len), len). base is 0x80 for strings, 0xc0 for
 * lists. Returns the header size (1..9). */
static size_t write_header(uint8_t *h, uint8_t base, size_t len) {
  if (len < 56) {
    h[0] = (uint8_t)(base + len);
    return 1;
  }
  unsigned ll = be_len((uint64_t)len);
  h[0] = (uint8_t)(base + 55 + ll);
  for (unsigned i = 0; i < ll; i++) h[ll - i] = (uint8_t)((uint64_t)len >> (8 * i));
  return 1 + ll;
}

zg_err_t zg_rlp_put_bytes(zg_rlp_writer_t *w, const void *p, size_t n) {
  if (!w || (!p && n)) return ZG_EINVAL;
  const uint8_t *b = p;
  if (n == 1 && b[0] < 0x80) return zg_buf_push(w->out, b[0]);
  if (n > SIZE_MAX - 9) return ZG_EOVERFLOW;
  zg_buf_t *out = w->out;
  ZG_TRY(zg_buf_reserve(out, n + 9));
  out->len += write_header(out->ptr + out->len, 0x80, n);
  if (n) memcpy(out->ptr + out->len, b, n);
  out->len += n;
  return ZG_OK;
}

zg_err_t zg_rlp_put_str(zg_rlp_writer_t *w, const char *s) {
  if (!s) return ZG_EINVAL;
  return zg_rlp_put_bytes(w, s, strlen(s));
}

zg_err_t zg_rlp_put_u64(zg_rlp_writer_t *w, uint64_t v) {
  uint8_t be[8];
  zg_store_be64(be, v);
  return zg_rlp_put_uint(w, be, 8);
}

zg_err_t zg_rlp_put_uint(zg_rlp_writer_t *w, const uint8_t *be, size_t n) {
  if (!be && n) return ZG_EINVAL;
  while (n && be[0] == 0) { be++; n--; }
  return zg_rlp_put_bytes(w, n ? be : (const uint8_t *)"", n);
}

zg_err_t zg_rlp_put_u256(zg_rlp_writer_t *w, const uint8_t be[32]) { return zg_rlp_put_uint(w, be, 32); }

zg_err_t zg_rlp_put_raw(zg_rlp_writer_t *w, const void *p, size_t n) {
  if (!w || (!p && n)) return ZG_EINVAL;
  return zg_buf_append(w->out, p, n);
}

zg_err_t zg_rlp_list_begin(zg_rlp_writer_t *w) {
  if (!w) return ZG_EINVAL;
  if (w->depth >= ZG_RLP_MAX_DEPTH) return ZG_EOVERFLOW;
  ZG_TRY(zg_buf_push(w->out, 0xc0)); /* placeholder, fixed at list_end */
  w->open[w->depth++] = w->out->len;
  return ZG_OK;
}

zg_err_t zg_rlp_list_end(zg_rlp_writer_t *w) {
  if (!w) return ZG_EINVAL;
  if (w->depth == 0) return ZG_ESTATE;
  zg_buf_t *out = w->out;
  size_t start = w->open[w->depth - 1];
  size_t len = out->len - start;
  if (len < 56) {
    out->ptr[start - 1] = (uint8_t)(0xc0 + len);
  } else {
    unsigned ll = be_len((uint64_t)len);
    ZG_TRY(zg_buf_reserve(out, ll));
    memmove(out->ptr + start + ll, out->ptr + start, len);
    out->ptr[start - 1] = (uint8_t)(0xf7 + ll);
    for (unsigned i = 0; i < ll; i++) out->ptr[start + ll - 1 - i] = (uint8_t)((uint64_t)len >> (8 * i));
    out->len += ll;
  }
  w->depth--;
  return ZG_OK;
}

/* ---- reader ---- */

/* Parses the header of the item at in[0..n): sets *it (payload and raw
 * slices) and *used. Checks canonical form of the header itself; nested
 * elements are not looked at. */
static zg_err_t parse_header(zg_rlp_item_t *it, size_t *used, const uint8_t *in, size_t n) {
  if (n == 0) return ZG_ETRUNC;
  uint8_t b = in[0];
  size_t hdr, len;
  if (b < 0x80) {
    it->kind = ZG_RLP_STRING;
    hdr = 0;
    len = 1;
  } else if (b < 0xb8 || (b >= 0xc0 && b < 0xf8)) {
    it->kind = b < 0xc0 ? ZG_RLP_STRING : ZG_RLP_LIST;
    hdr = 1;
    len = (size_t)(b - (b < 0xc0 ? 0x80 : 0xc0));
    if (len > n - 1) return ZG_ETRUNC;
    if (it->kind == ZG_RLP_STRING && len == 1 && in[1] < 0x80) return ZG_ENONCANON;
  } else {
    it->kind = b < 0xc0 ? ZG_RLP_STRING : ZG_RLP_LIST;
    size_t ll = (size_t)(b - (b < 0xc0 ? 0xb7 : 0xf7)); /* 1..8 */
    if (ll > n - 1) return ZG_ETRUNC;
    if (in[1] == 0) return ZG_ENONCANON;
    if (ll > sizeof(size_t)) return ZG_EOVERFLOW;
    uint64_t v = 0;
    for (size_t i = 0; i < ll; i++) v = (v << 8) | in[1 + i];
    len = (size_t)v;
    if (len < 56) return ZG_ENONCANON;
    hdr = 1 + ll;
    if (len > n - hdr) return ZG_ETRUNC;
  }
  it->payload = zg_slice(in + hdr, len);
  it->raw = zg_slice(in, hdr + len);
  *used = hdr + len;
  return ZG_OK;
}

/* Checks every element of a list item, recursively, depth levels deep. */
static zg_err_t check_tree(const zg_rlp_item_t *it, unsigned depth) {
  if (it->kind != ZG_RLP_LIST) return ZG_OK;
  if (depth >= ZG_RLP_MAX_DEPTH) return ZG_EOVERFLOW;
  const uint8_t *p = it->payload.ptr;
  size_t n = it->payload.len;
  while (n) {
    zg_rlp_item_t sub;
    size_t used;
    ZG_TRY(parse_header(&sub, &used, p, n));
    ZG_TRY(check_tree(&sub, depth + 1));
    p += used;
    n -= used;
  }
  return ZG_OK;
}

zg_err_t zg_rlp_decode_prefix(zg_rlp_item_t *out, size_t *used, const uint8_t *in, size_t len) {
  if (!out || !used) return ZG_EINVAL;
  memset(out, 0, sizeof *out);
  *used = 0;
  if (!in && len) return ZG_EINVAL;
  zg_rlp_item_t it;
  size_t n;
  ZG_TRY(parse_header(&it, &n, in, len));
  ZG_TRY(check_tree(&it, 0));
  *out = it;
  *used = n;
  return ZG_OK;
}

zg_err_t zg_rlp_decode(zg_rlp_item_t *out, const uint8_t *in, size_t len) {
  size_t used;
  ZG_TRY(zg_rlp_decode_prefix(out, &used, in, len));
  if (used != len) {
    memset(out, 0, sizeof *out);
    return ZG_ETRAILING;
  }
  return ZG_OK;
}

zg_err_t zg_rlp_item_bytes(zg_slice_t *out, const zg_rlp_item_t *it) {
  if (!out || !it) return ZG_EINVAL;
  if (it->kind != ZG_RLP_STRING) return ZG_ETYPE;
  *out = it->payload;
  return ZG_OK;
}

zg_err_t zg_rlp_item_fixed(uint8_t *out, size_t len, const zg_rlp_item_t *it) {
  if ((!out && len) || !it) return ZG_EINVAL;
  if (it->kind != ZG_RLP_STRING) return ZG_ETYPE;
  if (it->payload.len != len) return ZG_EBADLEN;
  if (len) memcpy(out, it->payload.ptr, len);
  return ZG_OK;
}

zg_err_t zg_rlp_item_uint(uint8_t *out, size_t outlen, const zg_rlp_item_t *it) {
  if ((!out && outlen) || !it) return ZG_EINVAL;
  if (it->kind != ZG_RLP_STRING) return ZG_ETYPE;
  size_t n = it->payload.len;
  if (n && it->payload.ptr[0] == 0) return ZG_ENONCANON;
  if (n > outlen) return ZG_EOVERFLOW;
  memset(out, 0, outlen - n);
  if (n) memcpy(out + outlen - n, it->payload.ptr, n);
  return ZG_OK;
}

zg_err_t zg_rlp_item_u64(uint64_t *out, const zg_rlp_item_t *it) {
  if (!out) return ZG_EINVAL;
  uint8_t be[8];
  *out = 0;
  ZG_TRY(zg_rlp_item_uint(be, 8, it));
  *out = zg_load_be64(be);
  return ZG_OK;
}

zg_err_t zg_rlp_iter_init(zg_rlp_iter_t *it, const zg_rlp_item_t *list) {
  if (!it || !list) return ZG_EINVAL;
  it->p = NULL;
  it->left = 0;
  if (list->kind != ZG_RLP_LIST) return ZG_ETYPE;
  it->p = list->payload.ptr;
  it->left = list->payload.len;
  return ZG_OK;
}

zg_err_t zg_rlp_list_count(size_t *out, const zg_rlp_item_t *list) {
  if (!out) return ZG_EINVAL;
  *out = 0;
  zg_rlp_iter_t it;
  ZG_TRY(zg_rlp_iter_init(&it, list));
  size_t count = 0;
  while (!zg_rlp_iter_done(&it)) {
    zg_rlp_item_t e;
    ZG_TRY(zg_rlp_next(&it, &e));
    count++;
  }
  *out = count;
  return ZG_OK;
}

zg_err_t zg_rlp_iter_finish(const zg_rlp_iter_t *it) {
  if (!it) return ZG_EINVAL;
  return it->left ? ZG_ETRAILING : ZG_OK;
}

/* Reads the next element's header without advancing; *used is its size. */
static zg_err_t peek(const zg_rlp_iter_t *it, zg_rlp_item_t *e, size_t *used) {
  if (!it) return ZG_EINVAL;
  if (it->left == 0) return ZG_ETRUNC;
  return parse_header(e, used, it->p, it->left);
}

static void advance(zg_rlp_iter_t *it, size_t used) {
  it->p += used;
  it->left -= used;
}

zg_err_t zg_rlp_next(zg_rlp_iter_t *it, zg_rlp_item_t *out) {
  if (!out) return ZG_EINVAL;
  zg_rlp_item_t e;
  size_t used;
  ZG_TRY(peek(it, &e, &used));
  *out = e;
  advance(it, used);
  return ZG_OK;
}

zg_err_t zg_rlp_next_list(zg_rlp_iter_t *it, zg_rlp_iter_t *sub) {
  zg_rlp_item_t e;
  size_t used;
  ZG_TRY(peek(it, &e, &used));
  ZG_TRY(zg_rlp_iter_init(sub, &e));
  advance(it, used);
  return ZG_OK;
}

zg_err_t zg_rlp_next_bytes(zg_rlp_iter_t *it, zg_slice_t *out) {
  zg_rlp_item_t e;
  size_t used;
  ZG_TRY(peek(it, &e, &used));
  ZG_TRY(zg_rlp_item_bytes(out, &e));
  advance(it, used);
  return ZG_OK;
}

zg_err_t zg_rlp_next_fixed(zg_rlp_iter_t *it, uint8_t *out, size_t len) {
  zg_rlp_item_t e;
  size_t used;
  ZG_TRY(peek(it, &e, &used));
  ZG_TRY(zg_rlp_item_fixed(out, len, &e));
  advance(it, used);
  return ZG_OK;
}

zg_err_t zg_rlp_next_u64(zg_rlp_iter_t *it, uint64_t *out) {
  zg_rlp_item_t e;
  size_t used;
  ZG_TRY(peek(it, &e, &used));
  ZG_TRY(zg_rlp_item_u64(out, &e));
  advance(it, used);
  return ZG_OK;
}

zg_err_t zg_rlp_next_uint(zg_rlp_iter_t *it, uint8_t *out, size_t outlen) {
  zg_rlp_item_t e;
  size_t used;
  ZG_TRY(peek(it, &e, &used));
  ZG_TRY(zg_rlp_item_uint(out, outlen, &e));
  advance(it, used);
  return ZG_OK;
}

/*
 * codec.c — the canonical binary codec, CRC32C and record frames (zg/codec.h,
 * docs/codec.md).
 *
 * Invariants: a writer or reader whose err is set never touches its buffer or
 * advances again; a reader's pos never exceeds len, and every length check is
 * written as "n > len - pos" so no addition can overflow; the reader never
 * allocates, so a hostile length can cost at most a comparison.
 */
#include "zg/codec.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- writer ---- */

void zg_codec_writer_init(zg_codec_writer_t *w, zg_buf_t *buf) {
  w->buf = buf;
  w->start = buf->len;
  w->err = ZG_OK;
}

zg_err_t zg_codec_writer_finish(zg_codec_writer_t *w) {
  if (w->err != ZG_OK && w->buf->len > w->start) w->buf->len = w->start;
  return w->err;
}

/* Appends n raw bytes unless the writer has already failed. */
static zg_err_t put_raw(zg_codec_writer_t *w, const void *p, size_t n) {
  if (w->err != ZG_OK) return w->err;
  zg_buf_t *b = w->buf;
  if (n == 0) return ZG_OK;
  if (b->cap - b->len >= n) { /* the common case: room already reserved */
    memcpy(b->ptr + b->len, p, n);
    b->len += n;
    return ZG_OK;
  }
  zg_err_t e = zg_buf_append(w->buf, p, n);
  if (e != ZG_OK) w->err = e;
  return w->err;
}

zg_err_t zg_codec_put_u8(zg_codec_writer_t *w, uint8_t v) { return put_raw(w, &v, 1); }

zg_err_t zg_codec_put_u16(zg_codec_writer_t *w, uint16_t v) {
  uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
  return put_raw(w, b, 2);
}

zg_err_t zg_codec_put_u32(zg_codec_writer_t *w, uint32_t v) {
  uint8_t b[4];
  zg_store_be32(b, v);
  return put_raw(w, b, 4);
}

zg_err_t zg_codec_put_u64(zg_codec_writer_t *w, uint64_t v) {
  uint8_t b[8];
  zg_store_be64(b, v);
  return put_raw(w, b, 8);
}

zg_err_t zg_codec_put_i64(zg_codec_writer_t *w, int64_t v) { return zg_codec_put_u64(w, (uint64_t)v); }

zg_err_t zg_codec_put_bool(zg_codec_writer_t *w, bool v) { return zg_codec_put_u8(w, v ? 1 : 0); }

zg_err_t zg_codec_put_fixed(zg_codec_writer_t *w, const void *p, size_t n) { return put_raw(w, p, n); }

/* Records a writer failure (first one wins). */
static zg_err_t writer_fail(zg_codec_writer_t *w, zg_err_t e) {
  if (w->err == ZG_OK) w->err = e;
  return w->err;
}

zg_err_t zg_codec_put_bytes(zg_codec_writer_t *w, const void *p, size_t n) {
  if (w->err != ZG_OK) return w->err;
  if (n > UINT32_MAX) return writer_fail(w, ZG_EOVERFLOW);
  zg_err_t e = zg_buf_reserve(w->buf, 4 + n);
  if (e != ZG_OK) return writer_fail(w, e);
  (void)zg_codec_put_u32(w, (uint32_t)n);
  return put_raw(w, p, n);
}

zg_err_t zg_codec_put_count(zg_codec_writer_t *w, size_t count) {
  if (w->err != ZG_OK) return w->err;
  if (count > UINT32_MAX) return writer_fail(w, ZG_EOVERFLOW);
  return zg_codec_put_u32(w, (uint32_t)count);
}

zg_err_t zg_codec_put_option(zg_codec_writer_t *w, bool present) { return zg_codec_put_u8(w, present ? 1 : 0); }

zg_err_t zg_codec_put_nested_begin(zg_codec_writer_t *w, size_t *mark) {
  *mark = w->buf->len;
  return zg_codec_put_u32(w, 0);
}

zg_err_t zg_codec_put_nested_end(zg_codec_writer_t *w, size_t mark) {
  if (w->err != ZG_OK) return w->err;
  if (mark < w->start || mark > w->buf->len || w->buf->len - mark < 4) return writer_fail(w, ZG_EINVAL);
  size_t n = w->buf->len - mark - 4;
  if (n > UINT32_MAX) return writer_fail(w, ZG_EOVERFLOW);
  zg_store_be32(w->buf->ptr + mark, (uint32_t)n);
  return ZG_OK;
}

/* ---- reader ---- */

void zg_codec_reader_init(zg_codec_reader_t *r, const uint8_t *p, size_t len) {
  r->p = p;
  r->len = p ? len : 0;
  r->pos = 0;
  r->err = ZG_OK;
}

zg_err_t zg_codec_reader_fail(zg_codec_reader_t *r, zg_err_t err) {
  if (r->err == ZG_OK) r->err = err;
  return r->err;
}

zg_err_t zg_codec_reader_finish(zg_codec_reader_t *r) {
  if (r->err == ZG_OK && r->pos != r->len) r->err = ZG_ETRAILING;
  return r->err;
}

size_t zg_codec_reader_remaining(const zg_codec_reader_t *r) { return r->err != ZG_OK ? 0 : r->len - r->pos; }

/* Returns a pointer to the next n bytes and consumes them, or NULL (with the
 * sticky error set to ZG_ETRUNC) when fewer remain or the reader has failed. */
static const uint8_t *take(zg_codec_reader_t *r, size_t n) {
#ifdef ZG_VERIFY
  if (r->pos > r->len || (r->len && !r->p)) abort(); /* a reader modified behind our back */
#endif
  if (r->err != ZG_OK) return NULL;
  if (n > r->len - r->pos) {
    r->err = ZG_ETRUNC;
    return NULL;
  }
  const uint8_t *q = r->p + r->pos;
  r->pos += n;
  return q;
}

zg_err_t zg_codec_get_u8(zg_codec_reader_t *r, uint8_t *out) {
  const uint8_t *q = take(r, 1);
  *out = q ? q[0] : 0;
  return r->err;
}

zg_err_t zg_codec_get_u16(zg_codec_reader_t *r, uint16_t *out) {
  const uint8_t *q = take(r, 2);
  *out = q ? (uint16_t)((q[0] << 8) | q[1]) : 0;
  return r->err;
}

zg_err_t zg_codec_get_u32(zg_codec_reader_t *r, uint32_t *out) {
  const uint8_t *q = take(r, 4);
  *out = q ? zg_load_be32(q) : 0;
  return r->err;
}

zg_err_t zg_codec_get_u64(zg_codec_reader_t *r, uint64_t *out) {
  const uint8_t *q = take(r, 8);
  *out = q ? zg_load_be64(q) : 0;
  return r->err;
}

zg_err_t zg_codec_get_i64(zg_codec_reader_t *r, int64_t *out) {
  uint64_t u;
  (void)zg_codec_get_u64(r, &u);
  /* Two's complement without implementation-defined conversion. */
  *out = u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
  return r->err;
}

/* Reads a one-byte tag that must be 0 or 1. */
static zg_err_t get_tag(zg_codec_reader_t *r, bool *out) {
  uint8_t b;
  *out = false;
  if (zg_codec_get_u8(r, &b) != ZG_OK) return r->err;
  if (b > 1) return zg_codec_reader_fail(r, ZG_ENONCANON);
  *out = b == 1;
  return ZG_OK;
}

zg_err_t zg_codec_get_bool(zg_codec_reader_t *r, bool *out) { return get_tag(r, out); }

zg_err_t zg_codec_get_option(zg_codec_reader_t *r, bool *present) { return get_tag(r, present); }

zg_err_t zg_codec_get_fixed(zg_codec_reader_t *r, void *out, size_t n) {
  const uint8_t *q = take(r, n);
  if (n == 0) return r->err;
  if (q) {
    memcpy(out, q, n);
  } else {
    memset(out, 0, n);
  }
  return r->err;
}

zg_err_t zg_codec_get_fixed_view(zg_codec_reader_t *r, zg_slice_t *out, size_t n) {
  const uint8_t *q = take(r, n);
  *out = q ? zg_slice(q, n) : zg_slice(NULL, 0);
  return r->err;
}

zg_err_t zg_codec_get_bytes(zg_codec_reader_t *r, zg_slice_t *out, size_t limit) {
  uint32_t n;
  *out = zg_slice(NULL, 0);
  if (zg_codec_get_u32(r, &n) != ZG_OK) return r->err;
  if (n > limit || n > r->len - r->pos) return zg_codec_reader_fail(r, ZG_EOVERFLOW);
  return zg_codec_get_fixed_view(r, out, n);
}

zg_err_t zg_codec_get_count(zg_codec_reader_t *r, size_t *count, size_t limit, size_t min_elem) {
  uint32_t n;
  *count = 0;
  if (zg_codec_get_u32(r, &n) != ZG_OK) return r->err;
  if (n > limit) return zg_codec_reader_fail(r, ZG_EOVERFLOW);
  /* n * min_elem > remaining, written without the multiplication overflowing. */
  if (min_elem != 0 && n > (r->len - r->pos) / min_elem) return zg_codec_reader_fail(r, ZG_EOVERFLOW);
  *count = n;
  return ZG_OK;
}

zg_err_t zg_codec_get_nested(zg_codec_reader_t *r, zg_codec_reader_t *sub, size_t limit) {
  zg_slice_t s;
  (void)zg_codec_get_bytes(r, &s, limit);
  zg_codec_reader_init(sub, s.ptr, s.len);
  sub->err = r->err;
  return r->err;
}

/* ---- CRC32C ----
 * Portable path: slicing-by-8 over tables built once. On x86-64 the SSE4.2
 * crc32 instruction computes the same function, several times faster; it is
 * chosen at run time when the CPU has it. */

static uint32_t crc_tab[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init_tables(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
    crc_tab[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; i++) {
    for (int t = 1; t < 8; t++) crc_tab[t][i] = (crc_tab[t - 1][i] >> 8) ^ crc_tab[0][crc_tab[t - 1][i] & 0xff];
  }
}

static uint32_t crc32c_sw(uint32_t c, const uint8_t *p, size_t n) {
  while (n >= 8) {
    uint32_t lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
    uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
    c = crc_tab[7][lo & 0xff] ^ crc_tab[6][(lo >> 8) & 0xff] ^ crc_tab[5][(lo >> 16) & 0xff] ^ crc_tab[4][lo >> 24] ^
        crc_tab[3][hi & 0xff] ^ crc_tab[2][(hi >> 8) & 0xff] ^ crc_tab[1][(hi >> 16) & 0xff] ^ crc_tab[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) c = (c >> 8) ^ crc_tab[0][(c ^ *p++) & 0xff];
  return c;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define ZG_CRC_HW 1
/* The instruction has a latency of about 3 cycles and a throughput of one per
 * cycle, so three independent streams over adjacent HW_BLOCK-byte blocks run
 * about three times faster than one. The raw CRC register is linear: the
 * state after block B from state s is shift(s) ^ (the state after B from 0),
 * where shift advances s over HW_BLOCK (or 2*HW_BLOCK) zero bytes; shift is
 * applied with byte tables built once. */
#define HW_BLOCK 256
static uint32_t crc_shift1[4][256], crc_shift2[4][256];

__attribute__((target("sse4.2"))) static uint32_t crc32c_hw_zeros(uint32_t c, size_t n) {
  uint64_t c64 = c;
  for (size_t i = 0; i < n / 8; i++) c64 = _mm_crc32_u64(c64, 0);
  return (uint32_t)c64;
}

__attribute__((target("sse4.2"))) static void crc_init_shift(void) {
  for (int k = 0; k < 4; k++) {
    for (uint32_t v = 0; v < 256; v++) {
      crc_shift1[k][v] = crc32c_hw_zeros(v << (8 * k), HW_BLOCK);
      crc_shift2[k][v] = crc32c_hw_zeros(v << (8 * k), 2 * HW_BLOCK);
    }
  }
}

static uint32_t crc_apply(uint32_t t[4][256], uint32_t c) {
  return t[0][c & 0xff] ^ t[1][(c >> 8) & 0xff] ^ t[2][(c >> 16) & 0xff] ^ t[3][c >> 24];
}

__attribute__((target("sse4.2"))) static uint32_t crc32c_hw(uint32_t c, const uint8_t *p, size_t n) {
  while (n >= 3 * HW_BLOCK) {
    uint64_t c0 = c, c1 = 0, c2 = 0;
    for (size_t i = 0; i < HW_BLOCK; i += 8) {
      uint64_t v0, v1, v2;
      memcpy(&v0, p + i, 8); /* little-endian loads: bytes enter the CRC in order */
      memcpy(&v1, p + HW_BLOCK + i, 8);
      memcpy(&v2, p + 2 * HW_BLOCK + i, 8);
      c0 = _mm_crc32_u64(c0, v0);
      c1 = _mm_crc32_u64(c1, v1);
      c2 = _mm_crc32_u64(c2, v2);
    }
    c = crc_apply(crc_shift2, (uint32_t)c0) ^ crc_apply(crc_shift1, (uint32_t)c1) ^ (uint32_t)c2;
    p += 3 * HW_BLOCK;
    n -= 3 * HW_BLOCK;
  }
  uint64_t c64 = c;
  while (n >= 8) {
    uint64_t v;
    memcpy(&v, p, 8);
    c64 = _mm_crc32_u64(c64, v);
    p += 8;
    n -= 8;
  }
  c = (uint32_t)c64;
  while (n--) c = _mm_crc32_u8(c, *p++);
  return c;
}
static bool crc_use_hw;
#endif

static void crc_init(void) {
  crc_init_tables();
#ifdef ZG_CRC_HW
  crc_use_hw = __builtin_cpu_supports("sse4.2") != 0;
  if (crc_use_hw) crc_init_shift();
#endif
}

uint32_t zg_crc32c(uint32_t crc, const void *p, size_t n) {
  pthread_once(&crc_once, crc_init);
  uint32_t c = ~crc;
  if (n == 0) return crc;
#ifdef ZG_CRC_HW
  if (crc_use_hw) return ~crc32c_hw(c, p, n);
#endif
  return ~crc32c_sw(c, p, n);
}

uint32_t zg__crc32c_portable(uint32_t crc, const void *p, size_t n) {
  pthread_once(&crc_once, crc_init);
  return n ? ~crc32c_sw(~crc, p, n) : crc;
}

/* ---- frames ---- */

zg_err_t zg_codec_frame_append(zg_buf_t *out, const void *payload, size_t n) {
  if (n > ZG_CODEC_FRAME_MAX) return ZG_EOVERFLOW;
  ZG_TRY(zg_buf_reserve(out, n + ZG_CODEC_FRAME_OVERHEAD));
  uint8_t *q = out->ptr + out->len;
  zg_store_be32(q, (uint32_t)n);
  if (n) memcpy(q + 4, payload, n);
  zg_store_be32(q + 4 + n, zg_crc32c(0, q, 4 + n));
  out->len += n + ZG_CODEC_FRAME_OVERHEAD;
  return ZG_OK;
}

zg_err_t zg_codec_frame_parse(zg_slice_t *payload, size_t *consumed, const uint8_t *in, size_t len,
                              size_t max_payload) {
  *payload = zg_slice(NULL, 0);
  *consumed = 0;
  if (!in && len) return ZG_EINVAL;
  if (len < 4) return ZG_ETRUNC;
  uint32_t n = zg_load_be32(in);
  if (n > max_payload || n > ZG_CODEC_FRAME_MAX) return ZG_ECORRUPT;
  if (len - 4 < (size_t)n + 4) return ZG_ETRUNC;
  uint32_t want = zg_load_be32(in + 4 + n);
  if (zg_crc32c(0, in, 4 + (size_t)n) != want) return ZG_ECORRUPT;
  *payload = zg_slice(in + 4, n);
  *consumed = (size_t)n + ZG_CODEC_FRAME_OVERHEAD;
  return ZG_OK;
}

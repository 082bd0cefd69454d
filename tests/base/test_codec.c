/*
 * test_codec.c — the canonical binary codec (zg/codec.h): a fixed vector,
 * round trips of random records built from random field sequences, every
 * malformed case (truncation at each offset, trailing bytes, bad tags, huge
 * lengths and counts, limits), sticky errors, CRC32C vectors and record
 * frames under bit flips and truncation.
 */
#include <stdio.h>

#include "zg/codec.h"
#include "zg_test.h"

/* ---- random records ---- */

enum { F_U8, F_U16, F_U32, F_U64, F_I64, F_BOOL, F_FIXED, F_BYTES, F_LIST, F_OPT, F_NESTED, F_KINDS };

#define MAX_FIELDS 24
#define MAX_DATA 80
#define MAX_LIST 6

typedef struct {
  int kind;
  uint64_t v;               /* integer value, bool, option presence */
  uint8_t data[MAX_DATA];   /* fixed / var / nested bytes */
  size_t n;                 /* data length or list count */
  uint64_t list[MAX_LIST];  /* list of u64 */
} field_t;

typedef struct {
  field_t f[MAX_FIELDS];
  size_t nf;
  size_t tag_off[MAX_FIELDS]; /* offsets of bool and option bytes in the encoding */
  size_t ntags;
} record_t;

static void random_record(record_t *r) {
  memset(r, 0, sizeof *r);
  r->nf = 1 + zgt_rand_below(MAX_FIELDS);
  for (size_t i = 0; i < r->nf; i++) {
    field_t *f = &r->f[i];
    f->kind = (int)zgt_rand_below(F_KINDS);
    f->v = zgt_rand64();
    switch (f->kind) {
      case F_BOOL: case F_OPT: f->v &= 1; break;
      case F_U8: f->v &= 0xff; break;
      case F_U16: f->v &= 0xffff; break;
      case F_U32: f->v &= 0xffffffff; break;
      default: break;
    }
    f->n = zgt_rand_below(f->kind == F_LIST ? MAX_LIST + 1 : MAX_DATA + 1);
    if (f->kind == F_FIXED) f->n = 32; /* a hash */
    zgt_rand_bytes(f->data, sizeof f->data);
    for (int k = 0; k < MAX_LIST; k++) f->list[k] = zgt_rand64();
  }
}

/* Encodes r, recording where its bool and option bytes went. */
static zg_err_t encode_record(zg_buf_t *out, record_t *r) {
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, out);
  r->ntags = 0;
  for (size_t i = 0; i < r->nf; i++) {
    const field_t *f = &r->f[i];
    switch (f->kind) {
      case F_U8: zg_codec_put_u8(&w, (uint8_t)f->v); break;
      case F_U16: zg_codec_put_u16(&w, (uint16_t)f->v); break;
      case F_U32: zg_codec_put_u32(&w, (uint32_t)f->v); break;
      case F_U64: zg_codec_put_u64(&w, f->v); break;
      case F_I64: zg_codec_put_i64(&w, (int64_t)f->v); break;
      case F_BOOL:
        r->tag_off[r->ntags++] = out->len;
        zg_codec_put_bool(&w, f->v != 0);
        break;
      case F_FIXED: zg_codec_put_fixed(&w, f->data, f->n); break;
      case F_BYTES: zg_codec_put_bytes(&w, f->data, f->n); break;
      case F_LIST:
        zg_codec_put_count(&w, f->n);
        for (size_t k = 0; k < f->n; k++) zg_codec_put_u64(&w, f->list[k]);
        break;
      case F_OPT:
        r->tag_off[r->ntags++] = out->len;
        zg_codec_put_option(&w, f->v != 0);
        if (f->v) zg_codec_put_u32(&w, (uint32_t)f->list[0]);
        break;
      case F_NESTED: {
        /* a nested record: u16 + var bytes, length patched afterwards */
        size_t mark;
        zg_codec_put_nested_begin(&w, &mark);
        zg_codec_put_u16(&w, (uint16_t)f->v);
        zg_codec_put_bytes(&w, f->data, f->n);
        zg_codec_put_nested_end(&w, mark);
        break;
      }
    }
  }
  return zg_codec_writer_finish(&w);
}

/* Decodes in against r's schema; *same tells whether the values match r. */
static zg_err_t decode_record(const record_t *r, const uint8_t *in, size_t len, bool *same) {
  zg_codec_reader_t rd;
  zg_codec_reader_init(&rd, in, len);
  bool eq = true;
  for (size_t i = 0; i < r->nf; i++) {
    const field_t *f = &r->f[i];
    switch (f->kind) {
      case F_U8: { uint8_t v; zg_codec_get_u8(&rd, &v); eq &= v == f->v; break; }
      case F_U16: { uint16_t v; zg_codec_get_u16(&rd, &v); eq &= v == f->v; break; }
      case F_U32: { uint32_t v; zg_codec_get_u32(&rd, &v); eq &= v == f->v; break; }
      case F_U64: { uint64_t v; zg_codec_get_u64(&rd, &v); eq &= v == f->v; break; }
      case F_I64: { int64_t v; zg_codec_get_i64(&rd, &v); eq &= v == (int64_t)f->v; break; }
      case F_BOOL: { bool v; zg_codec_get_bool(&rd, &v); eq &= v == (f->v != 0); break; }
      case F_FIXED: {
        uint8_t h[32];
        zg_codec_get_fixed(&rd, h, 32);
        eq &= memcmp(h, f->data, 32) == 0;
        break;
      }
      case F_BYTES: {
        zg_slice_t s;
        zg_codec_get_bytes(&rd, &s, MAX_DATA);
        eq &= s.len == f->n && (s.len == 0 || memcmp(s.ptr, f->data, s.len) == 0);
        break;
      }
      case F_LIST: {
        size_t n;
        zg_codec_get_count(&rd, &n, MAX_LIST, 8);
        eq &= n == f->n;
        for (size_t k = 0; k < n; k++) {
          uint64_t v;
          zg_codec_get_u64(&rd, &v);
          eq &= v == f->list[k];
        }
        break;
      }
      case F_OPT: {
        bool present;
        zg_codec_get_option(&rd, &present);
        eq &= present == (f->v != 0);
        if (present) {
          uint32_t v;
          zg_codec_get_u32(&rd, &v);
          eq &= v == (uint32_t)f->list[0];
        }
        break;
      }
      case F_NESTED: {
        zg_codec_reader_t sub;
        zg_codec_get_nested(&rd, &sub, 2 + 4 + MAX_DATA);
        uint16_t v;
        zg_slice_t s;
        zg_codec_get_u16(&sub, &v);
        zg_codec_get_bytes(&sub, &s, MAX_DATA);
        zg_err_t e = zg_codec_reader_finish(&sub);
        if (e != ZG_OK) zg_codec_reader_fail(&rd, e);
        eq &= v == (uint16_t)f->v && s.len == f->n && (s.len == 0 || memcmp(s.ptr, f->data, s.len) == 0);
        break;
      }
    }
  }
  zg_err_t e = zg_codec_reader_finish(&rd);
  *same = e == ZG_OK && eq;
  return e;
}

static void test_vector(void) {
  /* The worked example of docs/codec.md. */
  zg_buf_t b;
  zg_buf_init(&b);
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, &b);
  zg_codec_put_u8(&w, 0x01);
  zg_codec_put_u16(&w, 0x0203);
  zg_codec_put_u32(&w, 7);
  zg_codec_put_u64(&w, 0x0102030405060708ull);
  zg_codec_put_i64(&w, -2);
  zg_codec_put_bool(&w, true);
  zg_codec_put_fixed(&w, "\xaa\xbb", 2);
  zg_codec_put_bytes(&w, "zg", 2);
  zg_codec_put_count(&w, 2);
  zg_codec_put_u16(&w, 1);
  zg_codec_put_u16(&w, 2);
  zg_codec_put_option(&w, false);
  zg_codec_put_option(&w, true);
  zg_codec_put_u8(&w, 9);
  CHECK_OK(zg_codec_writer_finish(&w));
  static const char want[] =
      "0x01" "0203" "00000007" "0102030405060708" "fffffffffffffffe" "01" "aabb" "000000027a67" "00000002" "0001"
      "0002" "00" "0109";
  char hex[2 * 64 + 3];
  CHECK(b.len <= 64);
  zg_hex_encode(hex, b.ptr, b.len);
  if (strcmp(hex, want) != 0) ZGT_FAIL("got %s want %s", hex, want);

  zg_codec_reader_t r;
  zg_codec_reader_init(&r, b.ptr, b.len);
  uint8_t u8, fx[2];
  uint16_t u16, l0, l1;
  uint32_t u32;
  uint64_t u64;
  int64_t i64;
  bool bo, p0, p1;
  zg_slice_t s;
  size_t n;
  zg_codec_get_u8(&r, &u8);
  zg_codec_get_u16(&r, &u16);
  zg_codec_get_u32(&r, &u32);
  zg_codec_get_u64(&r, &u64);
  zg_codec_get_i64(&r, &i64);
  zg_codec_get_bool(&r, &bo);
  zg_codec_get_fixed(&r, fx, 2);
  zg_codec_get_bytes(&r, &s, 16);
  zg_codec_get_count(&r, &n, 4, 2);
  zg_codec_get_u16(&r, &l0);
  zg_codec_get_u16(&r, &l1);
  zg_codec_get_option(&r, &p0);
  zg_codec_get_option(&r, &p1);
  CHECK_EQ(zg_codec_reader_remaining(&r), 1);
  zg_codec_get_u8(&r, &u8);
  CHECK_OK(zg_codec_reader_finish(&r));
  CHECK(u16 == 0x0203 && u32 == 7 && u64 == 0x0102030405060708ull && i64 == -2 && bo);
  CHECK(fx[0] == 0xaa && fx[1] == 0xbb && s.len == 2 && memcmp(s.ptr, "zg", 2) == 0);
  CHECK(s.ptr == b.ptr + 30); /* a view into the input, not a copy */
  CHECK(n == 2 && l0 == 1 && l1 == 2 && !p0 && p1 && u8 == 9);
  zg_buf_clear(&b);
}

static void test_i64_edges(void) {
  static const int64_t vals[] = {0, 1, -1, INT64_MAX, INT64_MIN, INT64_MIN + 1, 1234567890123, -1234567890123};
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
    zg_buf_t b;
    zg_buf_init(&b);
    zg_codec_writer_t w;
    zg_codec_writer_init(&w, &b);
    zg_codec_put_i64(&w, vals[i]);
    CHECK_OK(zg_codec_writer_finish(&w));
    zg_codec_reader_t r;
    zg_codec_reader_init(&r, b.ptr, b.len);
    int64_t v;
    zg_codec_get_i64(&r, &v);
    CHECK_OK(zg_codec_reader_finish(&r));
    CHECK(v == vals[i]);
    zg_buf_clear(&b);
  }
}

static void test_roundtrip_random(void) {
  long iters = zgt_iters(3000);
  for (long it = 0; it < iters; it++) {
    record_t rec;
    random_record(&rec);
    zg_buf_t b;
    zg_buf_init(&b);
    CHECK_OK(encode_record(&b, &rec));
    bool same = false;
    CHECK_OK(decode_record(&rec, b.ptr, b.len, &same));
    CHECK(same);
    zg_buf_clear(&b);
  }
}

/* Truncation at every offset, trailing bytes, and every bad value of every
 * tag byte, for random records. */
static void test_malformed_random(void) {
  long iters = zgt_iters(300);
  for (long it = 0; it < iters; it++) {
    record_t rec;
    random_record(&rec);
    zg_buf_t b;
    zg_buf_init(&b);
    CHECK_OK(encode_record(&b, &rec));
    bool same;
    for (size_t cut = 0; cut < b.len; cut++) {
      /* Copy the prefix so ASan sees any read past it. */
      uint8_t *pre = malloc(cut ? cut : 1);
      if (cut) memcpy(pre, b.ptr, cut);
      zg_err_t e = decode_record(&rec, pre, cut, &same);
      if (e != ZG_ETRUNC && e != ZG_EOVERFLOW) ZGT_FAIL("cut %zu/%zu -> %s", cut, b.len, zg_errname(e));
      free(pre);
    }
    for (int extra = 1; extra <= 3; extra++) {
      zg_buf_t t;
      zg_buf_init(&t);
      CHECK_OK(zg_buf_append(&t, b.ptr, b.len));
      for (int k = 0; k < extra; k++) CHECK_OK(zg_buf_push(&t, (uint8_t)zgt_rand64()));
      CHECK_ERR(decode_record(&rec, t.ptr, t.len, &same), ZG_ETRAILING);
      zg_buf_clear(&t);
    }
    for (size_t k = 0; k < rec.ntags; k++) {
      uint8_t orig = b.ptr[rec.tag_off[k]];
      for (int bad = 2; bad < 256; bad += 1 + (int)zgt_rand_below(16)) {
        b.ptr[rec.tag_off[k]] = (uint8_t)bad;
        CHECK_ERR(decode_record(&rec, b.ptr, b.len, &same), ZG_ENONCANON);
      }
      b.ptr[rec.tag_off[k]] = orig;
    }
    CHECK_OK(decode_record(&rec, b.ptr, b.len, &same));
    CHECK(same);
    zg_buf_clear(&b);
  }
}

static void test_lengths_and_limits(void) {
  zg_codec_reader_t r;
  zg_slice_t s;
  size_t n;
  /* A hostile 0xffffffff length or count over a tiny input. */
  static const uint8_t huge[] = {0xff, 0xff, 0xff, 0xff, 1, 2, 3};
  zg_codec_reader_init(&r, huge, sizeof huge);
  CHECK_ERR(zg_codec_get_bytes(&r, &s, SIZE_MAX), ZG_EOVERFLOW);
  CHECK(s.ptr == NULL && s.len == 0);
  zg_codec_reader_init(&r, huge, sizeof huge);
  CHECK_ERR(zg_codec_get_count(&r, &n, SIZE_MAX, 1), ZG_EOVERFLOW);
  CHECK_EQ(n, 0);
  /* min_elem 0: the limit alone decides. */
  zg_codec_reader_init(&r, huge, sizeof huge);
  CHECK_OK(zg_codec_get_count(&r, &n, SIZE_MAX, 0));
  CHECK_EQ(n, 0xffffffffu);
  zg_codec_reader_init(&r, huge, sizeof huge);
  CHECK_ERR(zg_codec_get_count(&r, &n, 1000, 0), ZG_EOVERFLOW);

  /* Count against remaining: 3 bytes remain, so 3 one-byte elements fit, 4 do
   * not, and 1 two-byte element fits but 2 do not. */
  static const uint8_t c3[] = {0, 0, 0, 3, 1, 2, 3};
  static const uint8_t c4[] = {0, 0, 0, 4, 1, 2, 3};
  static const uint8_t c2[] = {0, 0, 0, 2, 1, 2, 3};
  zg_codec_reader_init(&r, c3, sizeof c3);
  CHECK_OK(zg_codec_get_count(&r, &n, 3, 1));
  CHECK_EQ(n, 3);
  zg_codec_reader_init(&r, c3, sizeof c3);
  CHECK_ERR(zg_codec_get_count(&r, &n, 2, 1), ZG_EOVERFLOW); /* over the limit */
  zg_codec_reader_init(&r, c4, sizeof c4);
  CHECK_ERR(zg_codec_get_count(&r, &n, 10, 1), ZG_EOVERFLOW);
  zg_codec_reader_init(&r, c2, sizeof c2);
  CHECK_ERR(zg_codec_get_count(&r, &n, 10, 2), ZG_EOVERFLOW);
  static const uint8_t c1[] = {0, 0, 0, 1, 1, 2, 3};
  zg_codec_reader_init(&r, c1, sizeof c1);
  CHECK_OK(zg_codec_get_count(&r, &n, 10, 2));

  /* Var bytes: exactly the remaining length is fine, one more is not; the
   * caller's limit applies even when the bytes are there. */
  static const uint8_t v3[] = {0, 0, 0, 3, 'a', 'b', 'c'};
  static const uint8_t v4[] = {0, 0, 0, 4, 'a', 'b', 'c'};
  zg_codec_reader_init(&r, v3, sizeof v3);
  CHECK_OK(zg_codec_get_bytes(&r, &s, 3));
  CHECK(s.len == 3 && s.ptr == v3 + 4);
  CHECK_OK(zg_codec_reader_finish(&r));
  zg_codec_reader_init(&r, v3, sizeof v3);
  CHECK_ERR(zg_codec_get_bytes(&r, &s, 2), ZG_EOVERFLOW);
  zg_codec_reader_init(&r, v4, sizeof v4);
  CHECK_ERR(zg_codec_get_bytes(&r, &s, 100), ZG_EOVERFLOW);
  /* A cut length prefix is truncation. */
  zg_codec_reader_init(&r, v3, 3);
  CHECK_ERR(zg_codec_get_bytes(&r, &s, 100), ZG_ETRUNC);
  zg_codec_reader_init(&r, v3, 3);
  CHECK_ERR(zg_codec_get_count(&r, &n, 100, 1), ZG_ETRUNC);
  /* Empty var bytes and empty input. */
  static const uint8_t v0[] = {0, 0, 0, 0};
  zg_codec_reader_init(&r, v0, sizeof v0);
  CHECK_OK(zg_codec_get_bytes(&r, &s, 0));
  CHECK_EQ(s.len, 0);
  CHECK_OK(zg_codec_reader_finish(&r));
  zg_codec_reader_init(&r, NULL, 0);
  CHECK_OK(zg_codec_reader_finish(&r));
  uint8_t u8;
  zg_codec_reader_init(&r, NULL, 0);
  CHECK_ERR(zg_codec_get_u8(&r, &u8), ZG_ETRUNC);

  /* Nested: a length beyond the limit, and trailing bytes inside. */
  static const uint8_t nest[] = {0, 0, 0, 3, 0, 5, 0xee};
  zg_codec_reader_t sub;
  zg_codec_reader_init(&r, nest, sizeof nest);
  CHECK_ERR(zg_codec_get_nested(&r, &sub, 2), ZG_EOVERFLOW);
  CHECK_ERR(zg_codec_reader_err(&sub), ZG_EOVERFLOW);
  zg_codec_reader_init(&r, nest, sizeof nest);
  CHECK_OK(zg_codec_get_nested(&r, &sub, 3));
  uint16_t u16;
  CHECK_OK(zg_codec_get_u16(&sub, &u16));
  CHECK_EQ(u16, 5);
  CHECK_ERR(zg_codec_reader_finish(&sub), ZG_ETRAILING);
  CHECK_OK(zg_codec_reader_finish(&r));

  /* The writer refuses counts and lengths that do not fit a u32 (checked
   * before anything is appended, so no huge buffer is needed). */
  if (SIZE_MAX > UINT32_MAX) {
    zg_buf_t b;
    zg_buf_init(&b);
    zg_codec_writer_t w;
    zg_codec_writer_init(&w, &b);
    zg_codec_put_u8(&w, 1);
    CHECK_ERR(zg_codec_put_count(&w, (size_t)UINT32_MAX + 1), ZG_EOVERFLOW);
    CHECK_ERR(zg_codec_put_u8(&w, 2), ZG_EOVERFLOW); /* sticky */
    CHECK_ERR(zg_codec_writer_finish(&w), ZG_EOVERFLOW);
    CHECK_EQ(b.len, 0); /* cut back to where the record started */
    zg_codec_writer_init(&w, &b);
    CHECK_ERR(zg_codec_put_bytes(&w, "", (size_t)UINT32_MAX + 1), ZG_EOVERFLOW);
    CHECK_ERR(zg_codec_writer_finish(&w), ZG_EOVERFLOW);
    zg_buf_clear(&b);
  }
}

static void test_bad_tags(void) {
  for (int t = 0; t < 256; t++) {
    uint8_t in[1] = {(uint8_t)t};
    zg_codec_reader_t r;
    bool v = true;
    zg_codec_reader_init(&r, in, 1);
    zg_err_t e = zg_codec_get_bool(&r, &v);
    CHECK_ERR(e, t <= 1 ? ZG_OK : ZG_ENONCANON);
    CHECK(v == (t == 1));
    zg_codec_reader_init(&r, in, 1);
    e = zg_codec_get_option(&r, &v);
    CHECK_ERR(e, t <= 1 ? ZG_OK : ZG_ENONCANON);
    CHECK(v == (t == 1));
  }
}

static void test_sticky(void) {
  static const uint8_t in[] = {0, 0, 0, 9, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0};
  zg_codec_reader_t r;
  zg_codec_reader_init(&r, in, sizeof in);
  uint32_t u32;
  bool b = true;
  CHECK_OK(zg_codec_get_u32(&r, &u32));
  CHECK_ERR(zg_codec_get_bool(&r, &b), ZG_ENONCANON);
  CHECK(!b);
  /* Every further read fails with the same code and zeroes its output, even
   * though the bytes would decode. */
  uint8_t u8 = 7, fx[4] = {1, 2, 3, 4}, zero[4] = {0};
  uint16_t u16 = 7;
  uint64_t u64 = 7;
  int64_t i64 = 7;
  size_t n = 7;
  zg_slice_t s = zg_slice(in, 1);
  zg_codec_reader_t sub;
  CHECK_ERR(zg_codec_get_u8(&r, &u8), ZG_ENONCANON);
  CHECK_ERR(zg_codec_get_u16(&r, &u16), ZG_ENONCANON);
  CHECK_ERR(zg_codec_get_u32(&r, &u32), ZG_ENONCANON);
  CHECK_ERR(zg_codec_get_u64(&r, &u64), ZG_ENONCANON);
  CHECK_ERR(zg_codec_get_i64(&r, &i64), ZG_ENONCANON);
  CHECK_ERR(zg_codec_get_fixed(&r, fx, 4), ZG_ENONCANON);
  CHECK(u8 == 0 && u16 == 0 && u32 == 0 && u64 == 0 && i64 == 0);
  CHECK_MEM(fx, zero, 4);
  CHECK_ERR(zg_codec_get_bytes(&r, &s, 100), ZG_ENONCANON);
  CHECK(s.ptr == NULL && s.len == 0);
  s = zg_slice(in, 1);
  CHECK_ERR(zg_codec_get_fixed_view(&r, &s, 1), ZG_ENONCANON);
  CHECK(s.ptr == NULL && s.len == 0);
  CHECK_ERR(zg_codec_get_count(&r, &n, 100, 1), ZG_ENONCANON);
  CHECK_EQ(n, 0);
  b = true;
  CHECK_ERR(zg_codec_get_option(&r, &b), ZG_ENONCANON);
  CHECK(!b);
  CHECK_ERR(zg_codec_get_nested(&r, &sub, 100), ZG_ENONCANON);
  CHECK_ERR(zg_codec_reader_err(&sub), ZG_ENONCANON);
  CHECK_EQ(zg_codec_reader_remaining(&r), 0);
  CHECK_ERR(zg_codec_reader_fail(&r, ZG_ETRUNC), ZG_ENONCANON); /* first error wins */
  CHECK_ERR(zg_codec_reader_finish(&r), ZG_ENONCANON);

  /* A truncation error is sticky too, and finish does not replace it. */
  zg_codec_reader_init(&r, in, 2);
  CHECK_ERR(zg_codec_get_u32(&r, &u32), ZG_ETRUNC);
  CHECK_ERR(zg_codec_get_u8(&r, &u8), ZG_ETRUNC);
  CHECK_ERR(zg_codec_reader_finish(&r), ZG_ETRUNC);
  /* Trailing becomes sticky once finish has reported it. */
  zg_codec_reader_init(&r, in, sizeof in);
  CHECK_ERR(zg_codec_reader_finish(&r), ZG_ETRAILING);
  CHECK_ERR(zg_codec_get_u8(&r, &u8), ZG_ETRAILING);
}

static void test_writer_appends(void) {
  /* The writer appends after existing content and keeps it on error. */
  zg_buf_t b;
  zg_buf_init(&b);
  CHECK_OK(zg_buf_append(&b, "hdr", 3));
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, &b);
  size_t mark;
  zg_codec_put_nested_begin(&w, &mark);
  zg_codec_put_u32(&w, 0xdeadbeef);
  zg_codec_put_nested_end(&w, mark);
  CHECK_OK(zg_codec_writer_finish(&w));
  CHECK_EQ(b.len, 3 + 4 + 4);
  CHECK_MEM(b.ptr, "hdr\x00\x00\x00\x04\xde\xad\xbe\xef", 11);
  zg_codec_writer_init(&w, &b);
  zg_codec_put_u64(&w, 1);
  CHECK_ERR(zg_codec_put_nested_end(&w, 1), ZG_EINVAL); /* mark before this record */
  CHECK_ERR(zg_codec_writer_finish(&w), ZG_EINVAL);
  CHECK_EQ(b.len, 11);
  zg_buf_clear(&b);
}

/* ---- CRC32C and frames ---- */

static uint32_t crc_bitwise(const uint8_t *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
  }
  return ~c;
}

static void test_crc32c(void) {
  CHECK_EQ(zg_crc32c(0, "123456789", 9), 0xE3069283u);
  CHECK_EQ(zg__crc32c_portable(0, "123456789", 9), 0xE3069283u);
  CHECK_EQ(zg_crc32c(0, "", 0), 0);
  /* RFC 3720 appendix B.4. */
  uint8_t buf[32];
  memset(buf, 0, 32);
  CHECK_EQ(zg_crc32c(0, buf, 32), 0x8A9136AAu);
  memset(buf, 0xff, 32);
  CHECK_EQ(zg_crc32c(0, buf, 32), 0x62A8AB43u);
  for (int i = 0; i < 32; i++) buf[i] = (uint8_t)i;
  CHECK_EQ(zg_crc32c(0, buf, 32), 0x46DD794Eu);
  for (int i = 0; i < 32; i++) buf[i] = (uint8_t)(31 - i);
  CHECK_EQ(zg_crc32c(0, buf, 32), 0x113FDB5Cu);
  /* Random lengths and split points against the bitwise definition. */
  static uint8_t data[3000];
  long iters = zgt_iters(300);
  for (long it = 0; it < iters; it++) {
    size_t n = zgt_rand_below(sizeof data), cut = zgt_rand_below((uint32_t)n + 1);
    zgt_rand_bytes(data, n);
    uint32_t want = crc_bitwise(data, n);
    CHECK_EQ(zg_crc32c(0, data, n), want);
    CHECK_EQ(zg_crc32c(zg_crc32c(0, data, cut), data + cut, n - cut), want);
    CHECK_EQ(zg__crc32c_portable(zg__crc32c_portable(0, data, cut), data + cut, n - cut), want);
  }
}

static void test_frames(void) {
  zg_buf_t b;
  zg_buf_init(&b);
  /* A file of frames, walked back. */
  size_t lens[6] = {0, 1, 7, 200, 4096, 13};
  static uint8_t payload[4096];
  zgt_rand_bytes(payload, sizeof payload);
  for (int i = 0; i < 6; i++) CHECK_OK(zg_codec_frame_append(&b, payload, lens[i]));
  size_t off = 0;
  for (int i = 0; i < 6; i++) {
    zg_slice_t p;
    size_t used;
    CHECK_OK(zg_codec_frame_parse(&p, &used, b.ptr + off, b.len - off, 1 << 20));
    CHECK_EQ(p.len, lens[i]);
    CHECK_EQ(used, lens[i] + ZG_CODEC_FRAME_OVERHEAD);
    if (p.len) CHECK_MEM(p.ptr, payload, p.len);
    off += used;
  }
  CHECK_EQ(off, b.len);
  zg_buf_clear(&b);

  /* One 200-byte frame: truncation at every offset, every single bit flip. */
  CHECK_OK(zg_codec_frame_append(&b, payload, 200));
  zg_slice_t p;
  size_t used;
  for (size_t cut = 0; cut < b.len; cut++) {
    uint8_t *pre = malloc(cut ? cut : 1);
    if (cut) memcpy(pre, b.ptr, cut);
    CHECK_ERR(zg_codec_frame_parse(&p, &used, pre, cut, 1 << 20), ZG_ETRUNC);
    CHECK(p.ptr == NULL && used == 0);
    free(pre);
  }
  int trunc = 0, corrupt = 0;
  for (size_t bit = 0; bit < b.len * 8; bit++) {
    b.ptr[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    zg_err_t e = zg_codec_frame_parse(&p, &used, b.ptr, b.len, 1 << 20);
    /* A flipped length bit that grows the frame past the input reads as a
     * torn tail; any other flip is caught by the CRC or the size limit. */
    if (e == ZG_ETRUNC) {
      trunc++;
      CHECK(bit < 32);
    } else if (e == ZG_ECORRUPT) {
      corrupt++;
    } else {
      ZGT_FAIL("bit %zu -> %s", bit, zg_errname(e));
    }
    b.ptr[bit / 8] ^= (uint8_t)(1u << (bit % 8));
  }
  CHECK(trunc > 0 && corrupt > 0);
  /* Random multi-byte corruption of the payload or CRC never passes. */
  for (long it = 0; it < zgt_iters(2000); it++) {
    size_t at = 4 + zgt_rand_below((uint32_t)b.len - 4);
    uint8_t x = (uint8_t)(1 + zgt_rand_below(255));
    b.ptr[at] ^= x;
    CHECK_ERR(zg_codec_frame_parse(&p, &used, b.ptr, b.len, 1 << 20), ZG_ECORRUPT);
    b.ptr[at] ^= x;
  }
  /* A length over the caller's bound is corruption, not a big read. */
  CHECK_ERR(zg_codec_frame_parse(&p, &used, b.ptr, b.len, 199), ZG_ECORRUPT);
  CHECK_OK(zg_codec_frame_parse(&p, &used, b.ptr, b.len, 200));
  static const uint8_t hostile[] = {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};
  CHECK_ERR(zg_codec_frame_parse(&p, &used, hostile, sizeof hostile, SIZE_MAX), ZG_ECORRUPT);
  static const uint8_t big[] = {0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0};
  CHECK_ERR(zg_codec_frame_parse(&p, &used, big, sizeof big, SIZE_MAX), ZG_ETRUNC);
  /* The empty frame is 00000000 + crc32c(00000000). */
  zg_buf_clear(&b);
  CHECK_OK(zg_codec_frame_append(&b, NULL, 0));
  CHECK_EQ(b.len, 8);
  CHECK_EQ(zg_load_be32(b.ptr + 4), zg_crc32c(0, "\0\0\0\0", 4));
  CHECK_EQ(zg_load_be32(b.ptr + 4), 0x48674BC7u);
  zg_buf_clear(&b);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_vector);
  ZGT_RUN(test_i64_edges);
  ZGT_RUN(test_roundtrip_random);
  ZGT_RUN(test_malformed_random);
  ZGT_RUN(test_lengths_and_limits);
  ZGT_RUN(test_bad_tags);
  ZGT_RUN(test_sticky);
  ZGT_RUN(test_writer_appends);
  ZGT_RUN(test_crc32c);
  ZGT_RUN(test_frames);
  return zgt_done();
}

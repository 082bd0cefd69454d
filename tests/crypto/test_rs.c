/*
 * test_rs.c — Reed–Solomon DA coding (zg/rs.h): round trips at rates 1/2,
 * 1/3 and 1/4 for payload sizes 0, 1, 31, one row minus/plus one byte, and
 * random multi-row sizes, fed in random pieces; decoding from random sets of
 * exactly 64 columns (the threshold) succeeds and from 63 fails with
 * ZG_ETOOFEW; two threads emit the same bytes as one; malformed columns and
 * misuse get their codes; the layout facts of docs/da-blob-layout.md hold
 * (systematic columns, header, rate 1/3 extends rate 1/2).
 */
#include <stdlib.h>
#include <string.h>

#include "zg/bytes.h"
#include "zg/rs.h"
#include "zg_test.h"

typedef struct {
  uint8_t *data;
  size_t len, cap;
  uint64_t rows;
} sink_t;

static zg_err_t sink_row(void *user, uint64_t row, const uint8_t *ext, size_t len) {
  sink_t *s = user;
  if (row != s->rows) return ZG_ESTATE;
  if (s->len + len > s->cap) {
    s->cap = (s->len + len) * 2;
    s->data = realloc(s->data, s->cap);
  }
  memcpy(s->data + s->len, ext, len);
  s->len += len;
  s->rows++;
  return ZG_OK;
}

static zg_err_t sink_bytes(void *user, const uint8_t *p, size_t len) {
  sink_t *s = user;
  if (s->len + len > s->cap) {
    s->cap = (s->len + len) * 2 + 1;
    s->data = realloc(s->data, s->cap);
  }
  memcpy(s->data + s->len, p, len);
  s->len += len;
  return ZG_OK;
}

/* Encodes payload at the given options, feeding random piece sizes. */
static sink_t encode(const zg_rs_opts_t *o, const uint8_t *payload, size_t len) {
  sink_t s = {0};
  zg_rs_encoder_t *enc = NULL;
  CHECK_OK(zg_rs_encoder_create(&enc, o, len, sink_row, &s));
  if (!enc) return s;
  size_t off = 0;
  while (off < len) {
    size_t n = 1 + zgt_rand_below(len < 300000 ? (uint32_t)len : 300000u);
    if (n > len - off) n = len - off;
    CHECK_OK(zg_rs_encoder_write(enc, payload + off, n));
    off += n;
  }
  CHECK_OK(zg_rs_encoder_finish(enc));
  zg_rs_encoder_destroy(enc);
  return s;
}

/* Column col of the encoded blob. */
static void column(uint8_t *out, const sink_t *s, size_t ncols, size_t col) {
  size_t ext_len = ncols * ZG_RS_CELL_BYTES;
  for (uint64_t r = 0; r < s->rows; r++)
    memcpy(out + r * ZG_RS_CELL_BYTES, s->data + r * ext_len + col * ZG_RS_CELL_BYTES, ZG_RS_CELL_BYTES);
}

/* Decodes from a random set of `have` columns; returns the status. */
static zg_err_t decode(const zg_rs_opts_t *o, const sink_t *s, size_t have, sink_t *out) {
  size_t ncols = zg_rs_columns(o->rate_inv);
  zg_rs_decoder_t *dec = NULL;
  zg_err_t e = zg_rs_decoder_create(&dec, o, s->rows);
  if (e != ZG_OK) return e;
  size_t *perm = malloc(ncols * sizeof *perm);
  for (size_t i = 0; i < ncols; i++) perm[i] = i;
  for (size_t i = ncols - 1; i > 0; i--) {
    size_t j = zgt_rand_below((uint32_t)(i + 1)), t = perm[i];
    perm[i] = perm[j], perm[j] = t;
  }
  uint8_t *col = malloc(s->rows * ZG_RS_CELL_BYTES);
  for (size_t i = 0; i < have && e == ZG_OK; i++) {
    column(col, s, ncols, perm[i]);
    e = zg_rs_decoder_add_column(dec, perm[i], col, s->rows * ZG_RS_CELL_BYTES);
  }
  if (e == ZG_OK) e = zg_rs_decoder_finish(dec, sink_bytes, out);
  free(col);
  free(perm);
  zg_rs_decoder_destroy(dec);
  return e;
}

static void round_trip(unsigned rate, unsigned threads, size_t len, bool check_below) {
  zg_rs_opts_t o = {rate, threads};
  uint8_t *payload = malloc(len + 1);
  zgt_rand_bytes(payload, len);
  sink_t s = encode(&o, payload, len);
  size_t ncols = zg_rs_columns(rate);
  CHECK_EQ(s.rows, zg_rs_rows_for_len(len));
  CHECK_EQ(s.len, s.rows * ncols * ZG_RS_CELL_BYTES);
  if (s.rows) {
    /* Header: element 0 = 0x00 || be64(len) || first 23 payload bytes. */
    uint8_t be[8];
    zg_store_be64(be, len);
    CHECK(s.data[0] == 0);
    CHECK_MEM(s.data + 1, be, 8);
  }
  sink_t out = {0};
  CHECK_OK(decode(&o, &s, ZG_RS_MIN_COLUMNS, &out));
  CHECK_EQ(out.len, len);
  if (out.len == len && len) CHECK_MEM(out.data, payload, len);
  if (check_below) {
    sink_t none = {0};
    CHECK_ERR(decode(&o, &s, ZG_RS_MIN_COLUMNS - 1, &none), ZG_ETOOFEW);
    CHECK_EQ(none.len, 0);
    free(none.data);
  }
  free(out.data);
  free(s.data);
  free(payload);
}

static void test_sizes(void) {
  const size_t row = ZG_RS_ROW_BYTES - ZG_RS_HEADER_LEN; /* payload bytes that fill exactly one row */
  const size_t sizes[] = {0, 1, 31, row - 1, row, row + 1};
  for (unsigned rate = 2; rate <= 4; rate++)
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) round_trip(rate, 1, sizes[i], i < 2 || i == 5);
  CHECK_EQ(zg_rs_rows_for_len(0), 1);
  CHECK_EQ(zg_rs_rows_for_len(row), 1);
  CHECK_EQ(zg_rs_rows_for_len(row + 1), 2);
  CHECK_EQ(zg_rs_columns(0), 128);
  CHECK_EQ(zg_rs_columns(3), 192);
  CHECK_EQ(zg_rs_columns(5), 0);
}

static void test_random_sizes(void) {
  long iters = zgt_iters(3);
  for (long i = 0; i < iters; i++) {
    unsigned rate = 2 + zgt_rand_below(2);
    size_t len = zgt_rand_below(4 * ZG_RS_ROW_BYTES);
    round_trip(rate, 1 + zgt_rand_below(2), len, i == 0);
  }
}

/* Two threads: identical rows; systematic columns; rate 1/3 extends 1/2. */
static void test_threads_and_layout(void) {
  size_t len = 5 * ZG_RS_ROW_BYTES + 12345;
  uint8_t *payload = malloc(len);
  zgt_rand_bytes(payload, len);
  zg_rs_opts_t o1 = {2, 1}, o2 = {2, 2}, o3 = {3, 2};
  sink_t a = encode(&o1, payload, len), b = encode(&o2, payload, len), c = encode(&o3, payload, len);
  CHECK_EQ(a.len, b.len);
  if (a.len == b.len) CHECK_MEM(a.data, b.data, a.len);
  CHECK_EQ(a.rows, c.rows);
  for (uint64_t r = 0; r < a.rows && r < c.rows; r++) {
    const uint8_t *ra = a.data + r * 128 * 2048, *rc = c.data + r * 192 * 2048;
    CHECK_MEM(rc, ra, 128 * 2048);
    /* Cells 0..63 are the row's elements: 0x00 || 31 stream bytes. */
    size_t stream_off = r * ZG_RS_ROW_BYTES;
    for (size_t e = 0; e < 4096; e += 511) {
      CHECK(ra[32 * e] == 0);
      size_t so = stream_off + 31 * e; /* in the stream (header first) */
      if (so >= 8 && so + 31 <= 8 + len) CHECK_MEM(ra + 32 * e + 1, payload + so - 8, 31);
    }
  }
  /* Decoding with 2 threads from the threshold. */
  sink_t out = {0};
  CHECK_OK(decode(&o2, &b, 64, &out));
  CHECK_EQ(out.len, len);
  if (out.len == len) CHECK_MEM(out.data, payload, len);
  free(out.data);
  free(a.data);
  free(b.data);
  free(c.data);
  free(payload);
}

static void test_misuse(void) {
  zg_rs_opts_t o = {2, 1};
  sink_t s = {0};
  zg_rs_encoder_t *enc = NULL;
  uint8_t buf[64] = {0};
  CHECK_ERR(zg_rs_encoder_create(&enc, &(zg_rs_opts_t){5, 1}, 10, sink_row, &s), ZG_EINVAL);
  CHECK_ERR(zg_rs_encoder_create(&enc, &o, ZG_RS_MAX_PAYLOAD + 1, sink_row, &s), ZG_EOVERFLOW);
  CHECK_OK(zg_rs_encoder_create(&enc, &o, 10, sink_row, &s));
  CHECK_ERR(zg_rs_encoder_write(enc, buf, 11), ZG_EOVERFLOW);
  CHECK_OK(zg_rs_encoder_write(enc, buf, 9));
  CHECK_ERR(zg_rs_encoder_finish(enc), ZG_ESTATE);
  CHECK_OK(zg_rs_encoder_write(enc, buf, 1));
  CHECK_OK(zg_rs_encoder_finish(enc));
  CHECK_ERR(zg_rs_encoder_finish(enc), ZG_ESTATE);
  zg_rs_encoder_destroy(enc);

  zg_rs_decoder_t *dec = NULL;
  CHECK_ERR(zg_rs_decoder_create(&dec, &o, 0), ZG_EINVAL);
  CHECK_OK(zg_rs_decoder_create(&dec, &o, 1));
  uint8_t col[2048];
  memcpy(col, s.data + 3 * 2048, 2048);
  CHECK_ERR(zg_rs_decoder_add_column(dec, 128, col, 2048), ZG_ERANGE);
  CHECK_ERR(zg_rs_decoder_add_column(dec, 3, col, 2047), ZG_EBADLEN);
  uint8_t nc[2048];
  memcpy(nc, col, 2048);
  memset(nc + 64, 0xff, 32);
  CHECK_ERR(zg_rs_decoder_add_column(dec, 3, nc, 2048), ZG_EFIELD);
  CHECK_OK(zg_rs_decoder_add_column(dec, 3, col, 2048));
  CHECK_ERR(zg_rs_decoder_add_column(dec, 3, col, 2048), ZG_EDUPLICATE);
  sink_t out = {0};
  CHECK_ERR(zg_rs_decoder_finish(dec, sink_bytes, &out), ZG_ETOOFEW);
  CHECK_EQ(zg_rs_decoder_columns(dec), 1);
  zg_rs_decoder_destroy(dec);

  /* A blob announced with the wrong row count decodes to ZG_ECORRUPT. */
  CHECK_OK(zg_rs_decoder_create(&dec, &o, 2));
  uint8_t two[4096];
  for (size_t c = 0; c < 64; c++) {
    memcpy(two, s.data + c * 2048, 2048);
    memcpy(two + 2048, s.data + c * 2048, 2048);
    CHECK_OK(zg_rs_decoder_add_column(dec, c, two, 4096));
  }
  CHECK_ERR(zg_rs_decoder_finish(dec, sink_bytes, &out), ZG_ECORRUPT);
  zg_rs_decoder_destroy(dec);
  free(out.data);
  free(s.data);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_sizes);
  ZGT_RUN(test_random_sizes);
  ZGT_RUN(test_threads_and_layout);
  ZGT_RUN(test_misuse);
  return zgt_done();
}

/*
 * test_da_blob.c — DA blob layout and digests (zg/da_blob.h): rows equal the
 * Reed–Solomon coder's systematic cells, header wire form round trips and
 * refuses every malformed input with its code, the digests equal their
 * definitions written out here independently, certificates and bitmaps.
 */
#include <stdio.h>
#include <stdlib.h>

#include "zg/da_blob.h"
#include "zg/hash.h"
#include "zg/rs.h"
#include "zg_test.h"

static void test_sizes(void) {
  CHECK_EQ(zg_da_max_blob(NULL), ZG_DA_MAX_BLOB_DEFAULT);
  zg_da_params_t p = {1000};
  CHECK_EQ(zg_da_max_blob(&p), 1000);
  CHECK_OK(zg_da_check_len(&p, 1000));
  CHECK_ERR(zg_da_check_len(&p, 1001), ZG_ETOOBIG);
  CHECK_OK(zg_da_check_len(NULL, ZG_DA_MAX_BLOB_DEFAULT));
  CHECK_ERR(zg_da_check_len(NULL, ZG_DA_MAX_BLOB_DEFAULT + 1), ZG_ETOOBIG);
  static const uint64_t lens[] = {0, 1, 126968, 126969, 253944, 253945, (uint64_t)32 << 20, (uint64_t)1 << 40};
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
    CHECK_EQ(zg_da_rows_for_len(lens[i]), zg_rs_rows_for_len(lens[i]));
  CHECK_EQ(zg_da_rows_for_len((uint64_t)32 << 20), 265);
  CHECK_EQ(zg_da_rows_for_len(((uint64_t)1 << 40) + 1), UINT32_MAX);
}

typedef struct {
  uint8_t *rows;
  size_t n;
} rs_rows_t;

static zg_err_t keep_row(void *user, uint64_t row, const uint8_t *ext, size_t len) {
  rs_rows_t *r = user;
  (void)len;
  memcpy(r->rows + row * ZG_DA_ROW_BLOB_BYTES, ext, ZG_DA_ROW_BLOB_BYTES);
  r->n++;
  return ZG_OK;
}

/* Rows from zg_da_row_blob equal the first 64 cells of the RS coder's
 * extended rows for random lengths around the row boundaries. */
static void test_rows_match_rs(void) {
  static const uint64_t base[] = {0, 1, 7, 8, 23, 126968, 126969, 2 * 126976 - 8, 2 * 126976 - 7, 300000};
  uint8_t *row = malloc(ZG_DA_ROW_BLOB_BYTES);
  for (size_t t = 0; t < sizeof base / sizeof base[0] + 4; t++) {
    uint64_t len = t < sizeof base / sizeof base[0] ? base[t] : zgt_rand_below(400000);
    uint8_t *data = malloc(len + 1);
    zgt_rand_bytes(data, len);
    uint32_t rows = zg_da_rows_for_len(len);
    rs_rows_t rr = {malloc((size_t)rows * ZG_DA_ROW_BLOB_BYTES), 0};
    zg_rs_encoder_t *enc = NULL;
    CHECK_OK(zg_rs_encoder_create(&enc, NULL, len, keep_row, &rr));
    CHECK_OK(zg_rs_encoder_write(enc, data, (size_t)len));
    CHECK_OK(zg_rs_encoder_finish(enc));
    zg_rs_encoder_destroy(enc);
    CHECK_EQ(rr.n, rows);
    for (uint32_t r = 0; r < rows; r++) {
      CHECK_OK(zg_da_row_blob(row, data, len, r));
      CHECK_MEM(row, rr.rows + (size_t)r * ZG_DA_ROW_BLOB_BYTES, ZG_DA_ROW_BLOB_BYTES);
    }
    CHECK_ERR(zg_da_row_blob(row, data, len, rows), ZG_ERANGE);
    free(rr.rows);
    free(data);
  }
  CHECK_ERR(zg_da_row_blob(NULL, NULL, 0, 0), ZG_EINVAL);
  CHECK_ERR(zg_da_row_blob(row, NULL, 5, 0), ZG_EINVAL);
  free(row);
}

static void test_header(void) {
  uint8_t com[3 * 48];
  zgt_rand_bytes(com, sizeof com);
  zg_da_header_t h = {300000, 3, 2, com};
  CHECK_OK(zg_da_header_check(&h, NULL));
  size_t n = zg_da_header_wire_len(3), w = 99;
  CHECK_EQ(n, 14 + 3 * 48);
  uint8_t buf[14 + 3 * 48 + 1];
  CHECK_ERR(zg_da_header_encode(buf, n - 1, &w, &h), ZG_EBADLEN);
  CHECK_EQ(w, 0);
  CHECK_OK(zg_da_header_encode(buf, sizeof buf, &w, &h));
  CHECK_EQ(w, n);
  static const uint8_t fixed[14] = {1, 2, 0, 0, 0, 0, 0, 0x04, 0x93, 0xe0, 0, 0, 0, 3};
  CHECK_MEM(buf, fixed, 14);
  zg_da_header_t g;
  CHECK_OK(zg_da_header_parse(&g, buf, n, NULL));
  CHECK_EQ(g.payload_len, 300000);
  CHECK_EQ(g.rows, 3);
  CHECK_EQ(g.rate_inv, 2);
  CHECK(g.commitments == buf + 14);
  CHECK_ERR(zg_da_header_parse(&g, buf, n - 1, NULL), ZG_ETRUNC);
  CHECK(g.commitments == NULL);
  CHECK_ERR(zg_da_header_parse(&g, buf, n + 1, NULL), ZG_ETRAILING);
  CHECK_ERR(zg_da_header_parse(&g, buf, 13, NULL), ZG_ETRUNC);
  zg_da_params_t small = {200000};
  CHECK_ERR(zg_da_header_parse(&g, buf, n, &small), ZG_ETOOBIG);
  buf[0] = 2;
  CHECK_ERR(zg_da_header_parse(&g, buf, n, NULL), ZG_EUNSUPPORTED);
  buf[0] = 1;
  buf[1] = 3;
  CHECK_ERR(zg_da_header_parse(&g, buf, n, NULL), ZG_EUNSUPPORTED);
  buf[1] = 2;
  buf[13] = 4; /* rows do not match the length */
  CHECK_ERR(zg_da_header_parse(&g, buf, n, NULL), ZG_ECORRUPT);
  buf[13] = 3;
  buf[2] = 0xff; /* a huge length is refused as too big, before the rows */
  CHECK_ERR(zg_da_header_parse(&g, buf, n, NULL), ZG_ETOOBIG);
  h.rows = 2;
  CHECK_ERR(zg_da_header_check(&h, NULL), ZG_ECORRUPT);
  h.rows = 3;
  h.rate_inv = 3;
  CHECK_ERR(zg_da_header_check(&h, NULL), ZG_EUNSUPPORTED);
  CHECK_ERR(zg_da_header_check(NULL, NULL), ZG_EINVAL);
  /* Random bytes never crash the parser and are refused or well-formed. */
  for (long i = 0; i < zgt_iters(2000); i++) {
    uint8_t r[64];
    size_t len = zgt_rand_below(sizeof r);
    zgt_rand_bytes(r, len);
    if (len > 1 && zgt_rand_below(2)) r[0] = 1, r[1] = 2;
    zg_err_t e = zg_da_header_parse(&g, r, len, NULL);
    if (e == ZG_OK) CHECK_EQ(zg_da_header_wire_len(g.rows), len);
  }
}

static void test_digests(void) {
  uint8_t com[2 * 48];
  zgt_rand_bytes(com, sizeof com);
  zg_da_header_t h = {126969, 2, 2, com};
  uint8_t root[32], want[32], d[32];
  zg_keccak256(root, com, sizeof com);
  uint8_t m[13 + 1 + 8 + 4 + 32];
  memcpy(m, "zg-da-blob-v1", 13);
  m[13] = 2;
  memcpy(m + 14, (const uint8_t[]){0, 0, 0, 0, 0, 1, 0xef, 0xf9}, 8);
  memcpy(m + 22, (const uint8_t[]){0, 0, 0, 2}, 4);
  memcpy(m + 26, root, 32);
  zg_keccak256(want, m, sizeof m);
  CHECK_OK(zg_da_blob_digest(d, &h));
  CHECK_MEM(d, want, 32);
  uint8_t r2[32];
  zg_da_commitments_root(r2, com, 2);
  CHECK_MEM(r2, root, 32);
  com[95] ^= 1;
  uint8_t d2[32];
  CHECK_OK(zg_da_blob_digest(d2, &h));
  CHECK(memcmp(d, d2, 32) != 0);
  h.rows = 1;
  CHECK_ERR(zg_da_blob_digest(d2, &h), ZG_ECORRUPT);

  uint8_t s[13 + 8 + 32 + 8 + 8], sd[32];
  memcpy(s, "zg-da-sign-v1", 13);
  memcpy(s + 13, (const uint8_t[]){0, 0, 0, 0, 0, 0, 0x40, 0x01}, 8);
  memcpy(s + 21, d, 32);
  memcpy(s + 53, (const uint8_t[]){0, 0, 0, 0, 0, 0, 0, 7}, 8);
  memcpy(s + 61, (const uint8_t[]){0, 0, 0, 0, 0, 0, 0, 1}, 8);
  zg_keccak256(want, s, sizeof s);
  zg_da_sign_digest(sd, 16385, d, 7, 1);
  CHECK_MEM(sd, want, 32);
  zg_da_sign_digest(d2, 16386, d, 7, 1);
  CHECK(memcmp(sd, d2, 32) != 0);

  zg_da_cert_t c;
  memset(&c, 0, sizeof c);
  memcpy(c.blob_digest, d, 32);
  c.epoch = 7;
  c.quorum_id = 1;
  zg_da_bitmap_set(c.bitmap, 0);
  zg_da_bitmap_set(c.bitmap, 9);
  zg_da_bitmap_set(c.bitmap, 127);
  zg_da_bitmap_set(c.bitmap, 128); /* out of range: ignored */
  CHECK_EQ(zg_da_bitmap_count(c.bitmap), 3);
  CHECK(zg_da_bitmap_get(c.bitmap, 9) && !zg_da_bitmap_get(c.bitmap, 8) && !zg_da_bitmap_get(c.bitmap, 128));
  CHECK_EQ(c.bitmap[1], 0x02);
  CHECK_EQ(c.bitmap[15], 0x80);
  zgt_rand_bytes(c.sig, sizeof c.sig);
  uint8_t cm[13 + 32 + 16 + 96];
  memcpy(cm, "zg-da-cert-v1", 13);
  memcpy(cm + 13, sd, 32);
  memcpy(cm + 45, c.bitmap, 16);
  memcpy(cm + 61, c.sig, 96);
  zg_keccak256(want, cm, sizeof cm);
  zg_da_cert_digest(d2, 16385, &c);
  CHECK_MEM(d2, want, 32);
  uint8_t wire[ZG_DA_CERT_WIRE_LEN];
  zg_da_cert_encode(wire, &c);
  zg_da_cert_t c2;
  CHECK_OK(zg_da_cert_parse(&c2, wire, sizeof wire));
  CHECK_MEM(&c2, &c, sizeof c);
  CHECK_ERR(zg_da_cert_parse(&c2, wire, sizeof wire - 1), ZG_EBADLEN);
  CHECK_ERR(zg_da_cert_parse(NULL, wire, sizeof wire), ZG_EINVAL);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_sizes);
  ZGT_RUN(test_rows_match_rs);
  ZGT_RUN(test_header);
  ZGT_RUN(test_digests);
  return zgt_done();
}

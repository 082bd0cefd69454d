/*
 * test_encoder.c — DA encoding, column verification and decoding
 * (zg/da_encoder.h) against the Ethereum KZG setup:
 *   - commitments are blob_to_kzg_commitment of each row, cells are the RS
 *     coder's extended rows, every cell proof verifies (all 128 columns);
 *   - a changed cell, swapped proofs or a foreign commitment fail the
 *     verdict, malformed columns fail with their codes;
 *   - decoding from all columns, the systematic half, random 64-column sets
 *     and the parity half gives the payload back; 63 columns, duplicates,
 *     wrong lengths, a lying header and non-zero padding are refused;
 *   - the max blob size is enforced before any work;
 *   - the process-wide context is built once when two threads ask at once.
 * Needs ../shared/vectors/kzg-setup/trusted_setup.txt (skips with 77).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "zg/da_encoder.h"
#include "zg/kzg.h"
#include "zg/rs.h"
#include "zg_test.h"

static zg_kzg_settings_t *g_s;
static zg_da_ctx_t *g_ctx; /* two threads */

typedef struct {
  uint8_t *rows;
} ext_rows_t;

static zg_err_t keep_ext(void *user, uint64_t row, const uint8_t *ext, size_t len) {
  ext_rows_t *r = user;
  memcpy(r->rows + row * len, ext, len);
  return ZG_OK;
}

/* Columns of an encoded blob as views into freshly extracted copies. */
typedef struct {
  zg_da_column_t col[ZG_DA_COLUMNS];
  uint8_t *cells, *proofs;
} cols_t;

static void cols_extract(cols_t *c, const zg_da_encoded_t *e) {
  size_t cl = (size_t)e->rows * ZG_DA_CELL_BYTES, pl = (size_t)e->rows * ZG_DA_PROOF_LEN;
  c->cells = malloc(ZG_DA_COLUMNS * cl);
  c->proofs = malloc(ZG_DA_COLUMNS * pl);
  for (uint32_t j = 0; j < ZG_DA_COLUMNS; j++) {
    CHECK_OK(zg_da_extract_column(e, j, c->cells + j * cl, c->proofs + j * pl));
    c->col[j] = (zg_da_column_t){j, c->cells + j * cl, cl, c->proofs + j * pl, pl};
  }
}

static void cols_free(cols_t *c) {
  free(c->cells);
  free(c->proofs);
}

typedef struct {
  uint8_t *data;
  uint64_t len;
  zg_da_encoded_t e;
  cols_t c;
} blob_t;

static void blob_make(blob_t *b, uint64_t len) {
  memset(b, 0, sizeof *b);
  b->len = len;
  b->data = malloc(len + 1);
  zgt_rand_bytes(b->data, len);
  CHECK_OK(zg_da_encode(g_ctx, &b->e, b->data, len));
  cols_extract(&b->c, &b->e);
}

static void blob_free(blob_t *b) {
  cols_free(&b->c);
  zg_da_encoded_free(&b->e);
  free(b->data);
}

/* Decodes from the columns listed and compares with the payload. */
static void decode_check(const blob_t *b, const uint32_t *which, size_t n) {
  zg_da_column_t sel[ZG_DA_COLUMNS];
  for (size_t i = 0; i < n; i++) sel[i] = b->c.col[which[i]];
  zg_da_header_t h = zg_da_encoded_header(&b->e);
  uint8_t *out = malloc(b->len + 1);
  CHECK_OK(zg_da_decode_to(g_ctx, out, &h, sel, n));
  CHECK_MEM(out, b->data, b->len);
  free(out);
}

static void test_encode_matches_parts(void) {
  blob_t b;
  blob_make(&b, 2 * 126976 + 1000); /* 3 rows, the last one short */
  CHECK_EQ(b.e.rows, 3);
  /* Commitments: blob_to_kzg_commitment of each row. */
  void *scratch = malloc(zg_kzg_scratch_size(g_s, 1));
  uint8_t *row = malloc(ZG_DA_ROW_BLOB_BYTES), com[48];
  for (uint32_t r = 0; r < b.e.rows; r++) {
    CHECK_OK(zg_da_row_blob(row, b.data, b.len, r));
    CHECK_OK(zg_kzg_blob_to_commitment(g_s, com, row, ZG_DA_ROW_BLOB_BYTES, scratch));
    CHECK_MEM(com, b.e.commitments + r * 48, 48);
  }
  /* Cells: the RS coder's rate-1/2 extension. */
  ext_rows_t x = {malloc((size_t)b.e.rows * ZG_DA_COLUMNS * ZG_DA_CELL_BYTES)};
  zg_rs_encoder_t *enc = NULL;
  CHECK_OK(zg_rs_encoder_create(&enc, NULL, b.len, keep_ext, &x));
  CHECK_OK(zg_rs_encoder_write(enc, b.data, (size_t)b.len));
  CHECK_OK(zg_rs_encoder_finish(enc));
  zg_rs_encoder_destroy(enc);
  CHECK_MEM(x.rows, b.e.cells, (size_t)b.e.rows * ZG_DA_COLUMNS * ZG_DA_CELL_BYTES);
  /* Proofs: every column verifies, all at once and one by one. */
  zg_da_header_t h = zg_da_encoded_header(&b.e);
  bool ok = false;
  CHECK_OK(zg_da_verify_columns(g_ctx, &ok, &h, b.c.col, ZG_DA_COLUMNS));
  CHECK(ok);
  for (uint32_t j = 0; j < ZG_DA_COLUMNS; j += 37) {
    ok = false;
    CHECK_OK(zg_da_verify_columns(g_ctx, &ok, &h, &b.c.col[j], 1));
    CHECK(ok);
  }
  CHECK_OK(zg_da_verify_columns(g_ctx, &ok, &h, NULL, 0));
  CHECK(ok);
  free(x.rows);
  free(row);
  free(scratch);
  blob_free(&b);
}

static void test_verify_rejects(void) {
  blob_t b;
  blob_make(&b, 126976 + 5); /* 2 rows */
  zg_da_header_t h = zg_da_encoded_header(&b.e);
  zg_da_column_t two[2] = {b.c.col[5], b.c.col[100]};
  bool ok = true;
  /* One changed byte of one cell (kept canonical: the top byte is 0). */
  uint8_t *cell = (uint8_t *)b.c.col[100].cells + ZG_DA_CELL_BYTES + 32 * zgt_rand_below(64) + 1 +
                  zgt_rand_below(31);
  *cell ^= 1;
  CHECK_OK(zg_da_verify_columns(g_ctx, &ok, &h, two, 2));
  CHECK(!ok);
  *cell ^= 1;
  CHECK_OK(zg_da_verify_columns(g_ctx, &ok, &h, two, 2));
  CHECK(ok);
  /* The proofs of the two rows swapped: valid points, wrong proofs. */
  uint8_t *p = (uint8_t *)b.c.col[5].proofs, t[48];
  memcpy(t, p, 48), memcpy(p, p + 48, 48), memcpy(p + 48, t, 48);
  CHECK_OK(zg_da_verify_columns(g_ctx, &ok, &h, two, 2));
  CHECK(!ok);
  memcpy(t, p, 48), memcpy(p, p + 48, 48), memcpy(p + 48, t, 48);
  /* A column presented under another index. */
  zg_da_column_t moved = b.c.col[6];
  moved.index = 7;
  CHECK_OK(zg_da_verify_columns(g_ctx, &ok, &h, &moved, 1));
  CHECK(!ok);
  /* Another blob's commitments. */
  uint8_t com2[96];
  memcpy(com2, b.e.commitments + 48, 48);
  memcpy(com2 + 48, b.e.commitments, 48);
  zg_da_header_t h2 = h;
  h2.commitments = com2;
  CHECK_OK(zg_da_verify_columns(g_ctx, &ok, &h2, two, 2));
  CHECK(!ok);
  /* Malformed inputs are errors, not verdicts. */
  zg_da_column_t bad[2] = {b.c.col[5], b.c.col[5]};
  CHECK_ERR(zg_da_verify_columns(g_ctx, &ok, &h, bad, 2), ZG_EDUPLICATE);
  CHECK(!ok);
  bad[1].index = 128;
  CHECK_ERR(zg_da_verify_columns(g_ctx, &ok, &h, bad, 2), ZG_ERANGE);
  bad[1] = b.c.col[9];
  bad[1].cells_len -= 1;
  CHECK_ERR(zg_da_verify_columns(g_ctx, &ok, &h, bad, 2), ZG_EBADLEN);
  bad[1] = b.c.col[9];
  bad[1].proofs_len += 48;
  CHECK_ERR(zg_da_verify_columns(g_ctx, &ok, &h, bad, 2), ZG_EBADLEN);
  bad[1].proofs = NULL;
  CHECK_ERR(zg_da_verify_columns(g_ctx, &ok, &h, bad, 2), ZG_EINVAL);
  uint8_t *c0 = (uint8_t *)b.c.col[9].cells;
  c0[0] = 0xff; /* element >= r */
  bad[1] = b.c.col[9];
  CHECK_ERR(zg_da_verify_columns(g_ctx, &ok, &h, bad, 2), ZG_EFIELD);
  c0[0] = 0;
  h2 = h;
  h2.rows = 3;
  CHECK_ERR(zg_da_verify_columns(g_ctx, &ok, &h2, two, 2), ZG_ECORRUPT);
  blob_free(&b);
}

static void test_decode(void) {
  blob_t b;
  blob_make(&b, 3 * 126976 + zgt_rand_below(126000)); /* 4 rows */
  uint32_t idx[ZG_DA_COLUMNS];
  for (uint32_t j = 0; j < ZG_DA_COLUMNS; j++) idx[j] = ZG_DA_COLUMNS - 1 - j; /* any order */
  decode_check(&b, idx, ZG_DA_COLUMNS);
  for (uint32_t j = 0; j < 64; j++) idx[j] = j;
  decode_check(&b, idx, 64);                    /* systematic only */
  for (uint32_t j = 0; j < 64; j++) idx[j] = 64 + j;
  decode_check(&b, idx, 64);                    /* parity only */
  for (long it = 0; it < zgt_iters(3); it++) {
    for (uint32_t j = 0; j < ZG_DA_COLUMNS; j++) idx[j] = j;
    for (uint32_t j = ZG_DA_COLUMNS - 1; j > 0; j--) {
      uint32_t k = zgt_rand_below(j + 1), t = idx[j];
      idx[j] = idx[k], idx[k] = t;
    }
    decode_check(&b, idx, 64 + zgt_rand_below(65));
  }
  /* Refusals. */
  zg_da_header_t h = zg_da_encoded_header(&b.e);
  uint8_t *out = malloc(b.len);
  CHECK_ERR(zg_da_decode_to(g_ctx, out, &h, b.c.col, 63), ZG_ETOOFEW);
  zg_da_column_t sel[65];
  memcpy(sel, b.c.col, 64 * sizeof sel[0]);
  sel[64] = b.c.col[3];
  CHECK_ERR(zg_da_decode_to(g_ctx, out, &h, sel, 65), ZG_EDUPLICATE);
  sel[64] = b.c.col[70];
  sel[64].cells_len += ZG_DA_CELL_BYTES;
  CHECK_ERR(zg_da_decode_to(g_ctx, out, &h, sel, 65), ZG_EBADLEN);
  /* A header that lies about the length (same row count). */
  zg_da_header_t lie = h;
  lie.payload_len = b.len - 1;
  CHECK_ERR(zg_da_decode_to(g_ctx, out, &lie, b.c.col, 64), ZG_ECORRUPT);
  CHECK_ERR(zg_da_decode_to(g_ctx, out, &lie, b.c.col + 64, 64), ZG_ECORRUPT);
  /* Non-zero padding in the last row (systematic path). */
  uint8_t *last = (uint8_t *)b.c.col[63].cells + (size_t)(b.e.rows - 1) * ZG_DA_CELL_BYTES;
  last[32 * 63 + 31] = 1;
  CHECK_ERR(zg_da_decode_to(g_ctx, out, &h, b.c.col, 64), ZG_EPADDING);
  last[32 * 63 + 31] = 0;
  last[32 * 63] = 1; /* element top byte not 0 */
  CHECK_ERR(zg_da_decode_to(g_ctx, out, &h, b.c.col, 64), ZG_ECORRUPT);
  last[32 * 63] = 0;
  free(out);
  blob_free(&b);
}

static void test_small_and_limits(void) {
  static const uint64_t lens[] = {0, 1, 126968};
  for (size_t i = 0; i < 3; i++) {
    blob_t b;
    blob_make(&b, lens[i]);
    CHECK_EQ(b.e.rows, 1);
    uint32_t idx[64];
    for (uint32_t j = 0; j < 64; j++) idx[j] = 2 * j + 1;
    decode_check(&b, idx, 64);
    blob_free(&b);
  }
  zg_da_ctx_t *small = NULL;
  zg_da_opts_t o = {1, 1000};
  CHECK_OK(zg_da_ctx_create(&small, g_s, &o));
  CHECK_EQ(zg_da_ctx_max_blob(small), 1000);
  CHECK_EQ(zg_da_ctx_max_blob(g_ctx), ZG_DA_MAX_BLOB_DEFAULT);
  CHECK_EQ(zg_da_ctx_threads(g_ctx), 2);
  zg_da_encoded_t e;
  uint8_t buf[1001] = {0};
  CHECK_ERR(zg_da_encode(small, &e, buf, 1001), ZG_ETOOBIG);
  CHECK(e.cells == NULL && e.rows == 0);
  /* A 33 MiB claim is refused before anything is read (data is never touched). */
  CHECK_ERR(zg_da_encode(g_ctx, &e, buf, ZG_DA_MAX_BLOB_DEFAULT + 1), ZG_ETOOBIG);
  CHECK_ERR(zg_da_encode(g_ctx, &e, NULL, 5), ZG_EINVAL);
  CHECK_ERR(zg_da_encode(NULL, &e, buf, 5), ZG_EINVAL);
  zg_da_ctx_destroy(small);
}

typedef struct {
  const char *path;
  const zg_da_ctx_t *got;
  zg_err_t err;
} shared_arg_t;

static void *get_shared(void *a) {
  shared_arg_t *s = a;
  zg_da_opts_t o = {2, 0};
  s->err = zg_da_ctx_shared(&s->got, s->path, &o, NULL, 0);
  return NULL;
}

/* Two threads asking for the process context at once get the same one,
 * built once; it encodes like any other context. */
static void test_shared(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/kzg-setup/trusted_setup.txt", zgt_vectors_dir());
  shared_arg_t a = {path, NULL, ZG_EINVAL}, b = {path, NULL, ZG_EINVAL};
  pthread_t t;
  CHECK(pthread_create(&t, NULL, get_shared, &a) == 0);
  get_shared(&b);
  pthread_join(t, NULL);
  CHECK_OK(a.err);
  CHECK_OK(b.err);
  CHECK(a.got != NULL && a.got == b.got);
  const zg_da_ctx_t *again = NULL;
  CHECK_OK(zg_da_ctx_shared(&again, "/nonexistent", NULL, NULL, 0)); /* arguments ignored once built */
  CHECK(again == a.got);
  CHECK_EQ(zg_da_ctx_threads(again), 2);
  uint8_t data[100];
  zgt_rand_bytes(data, sizeof data);
  zg_da_encoded_t e1, e2;
  CHECK_OK(zg_da_encode(again, &e1, data, sizeof data));
  CHECK_OK(zg_da_encode(g_ctx, &e2, data, sizeof data));
  CHECK_MEM(e1.commitments, e2.commitments, 48);
  CHECK_MEM(e1.proofs, e2.proofs, ZG_DA_COLUMNS * ZG_DA_PROOF_LEN);
  zg_da_encoded_free(&e1);
  zg_da_encoded_free(&e2);
  CHECK(e1.cells == NULL && e1.rows == 0);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  char path[1024], msg[256];
  snprintf(path, sizeof path, "%s/kzg-setup/trusted_setup.txt", zgt_vectors_dir());
  if (zg_kzg_settings_load_file(&g_s, path, NULL, msg, sizeof msg) != ZG_OK) {
    printf("skip: %s\n", msg);
    return 77;
  }
  zg_da_opts_t o = {2, 0};
  if (zg_da_ctx_create(&g_ctx, g_s, &o) != ZG_OK) return 1;
  ZGT_RUN(test_encode_matches_parts);
  ZGT_RUN(test_verify_rejects);
  ZGT_RUN(test_decode);
  ZGT_RUN(test_small_and_limits);
  ZGT_RUN(test_shared);
  zg_da_ctx_destroy(g_ctx);
  zg_kzg_settings_destroy(g_s);
  return zgt_done();
}

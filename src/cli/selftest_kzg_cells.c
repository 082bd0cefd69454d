/* selftest_kzg_cells.c — self-test section kzg_cells_rs: with the Ethereum
 * trusted setup ($ZG_KZG_SETUP, else the shared vectors folder the build
 * knows) computes the cells and FK20 proofs of a random blob, verifies all
 * 128 in one batch (and rejects a changed cell), drops a random half of the
 * cells and recovers cells and proofs; then RS-encodes a 3-row payload at
 * rate 1/2, checks that row 0's extension equals compute_cells of the row,
 * drops a random half of the columns, decodes and compares. Prints each
 * step's time. Without the setup file the KZG half is skipped. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "zg/bytes.h"
#include "zg/kzg.h"
#include "zg/kzg_cells.h"
#include "zg/log.h"
#include "zg/rs.h"

static double st_ms(uint64_t t0) { return (double)(zg_clock_ns() - t0) / 1e6; }

static const char *cells_setup(void) {
  const char *p = getenv("ZG_KZG_SETUP");
  if (p) return p;
#ifdef ZG_VECTORS_DEFAULT
  return ZG_VECTORS_DEFAULT "/kzg-setup/trusted_setup.txt";
#else
  return "../shared/vectors/kzg-setup/trusted_setup.txt";
#endif
}

/* Collects extended rows (rate 1/2: 128 cells per row). */
typedef struct {
  uint8_t *ext;
  uint64_t rows;
} st_rows_t;

static zg_err_t st_row(void *user, uint64_t row, const uint8_t *ext, size_t len) {
  st_rows_t *r = user;
  if (len != ZG_KZG_BYTES_PER_EXT_BLOB || row != r->rows) return ZG_ESTATE;
  memcpy(r->ext + row * len, ext, len);
  r->rows++;
  return ZG_OK;
}

typedef struct {
  uint8_t *buf;
  size_t len, cap;
} st_bytes_t;

static zg_err_t st_bytes(void *user, const uint8_t *p, size_t len) {
  st_bytes_t *b = user;
  if (b->len + len > b->cap) return ZG_EOVERFLOW;
  memcpy(b->buf + b->len, p, len);
  b->len += len;
  return ZG_OK;
}

/* A random choice of k of n indices, ascending. */
static void st_pick(uint64_t *out, size_t n, size_t k) {
  bool take[256] = {false};
  uint8_t rb[2];
  for (size_t got = 0; got < k;) {
    if (zg_random_bytes(rb, 2) != ZG_OK) rb[0] = (uint8_t)got, rb[1] = 0;
    size_t i = ((size_t)rb[0] << 8 | rb[1]) % n;
    if (!take[i]) take[i] = true, got++;
  }
  for (size_t i = 0, m = 0; i < n; i++)
    if (take[i]) out[m++] = i;
}

static bool st_kzg(bool *ok, const zg_kzg_settings_t *s, const uint8_t *rs_row0_ext, const uint8_t *rs_row0) {
  zg_kzg_cells_t *ctx = NULL;
  uint8_t *blob = malloc(ZG_KZG_BYTES_PER_BLOB), *cells = malloc(ZG_KZG_BYTES_PER_EXT_BLOB),
          *rc = malloc(ZG_KZG_BYTES_PER_EXT_BLOB), *proofs = malloc(ZG_KZG_BYTES_PER_CELL_PROOFS),
          *rp = malloc(ZG_KZG_BYTES_PER_CELL_PROOFS);
  void *scr = NULL, *kscr = malloc(zg_kzg_scratch_size(s, 1));
  uint64_t t = zg_clock_ns();
  zg_err_t e = zg_kzg_cells_create(&ctx, s, NULL);
  ZG_ST_CHECK(*ok, e == ZG_OK);
  if (e != ZG_OK || !blob || !cells || !rc || !proofs || !rp || !kscr) goto out;
  printf("   cells context (FK20 tables) built in %.0f ms\n", st_ms(t));
  scr = malloc(zg_kzg_cells_scratch_size(ctx, 128));
  if (!scr) goto out;

  ZG_ST_CHECK(*ok, zg_random_bytes(blob, ZG_KZG_BYTES_PER_BLOB) == ZG_OK);
  for (size_t i = 0; i < ZG_KZG_BYTES_PER_BLOB; i += 32) blob[i] &= 0x3f;
  uint8_t cm[48];
  ZG_ST_CHECK(*ok, zg_kzg_blob_to_commitment(s, cm, blob, ZG_KZG_BYTES_PER_BLOB, kscr) == ZG_OK);
  t = zg_clock_ns();
  ZG_ST_CHECK(*ok, zg_kzg_compute_cells(ctx, rc, blob, ZG_KZG_BYTES_PER_BLOB, scr) == ZG_OK);
  double t_cells = st_ms(t);
  t = zg_clock_ns();
  ZG_ST_CHECK(*ok, zg_kzg_compute_cells_and_proofs(ctx, cells, proofs, blob, ZG_KZG_BYTES_PER_BLOB, scr) == ZG_OK);
  double t_fk = st_ms(t);
  ZG_ST_CHECK(*ok, memcmp(rc, cells, ZG_KZG_BYTES_PER_EXT_BLOB) == 0);
  printf("   compute_cells %.1f ms, compute_cells_and_proofs (FK20) %.0f ms\n", t_cells, t_fk);

  zg_slice_t cs[128], ce[128], ps[128];
  uint64_t idx[128];
  for (size_t k = 0; k < 128; k++) {
    cs[k] = zg_slice(cm, 48);
    ce[k] = zg_slice(cells + k * ZG_KZG_BYTES_PER_CELL, ZG_KZG_BYTES_PER_CELL);
    ps[k] = zg_slice(proofs + k * 48, 48);
    idx[k] = k;
  }
  bool v = false;
  t = zg_clock_ns();
  ZG_ST_CHECK(*ok, zg_kzg_verify_cell_proof_batch(ctx, &v, cs, 128, idx, 128, ce, 128, ps, 128, scr) == ZG_OK);
  double t_ver = st_ms(t);
  ZG_ST_CHECK(*ok, v);
  memcpy(rc, cells, ZG_KZG_BYTES_PER_EXT_BLOB);
  rc[77 * ZG_KZG_BYTES_PER_CELL + 100] ^= 1;
  ce[77] = zg_slice(rc + 77 * ZG_KZG_BYTES_PER_CELL, ZG_KZG_BYTES_PER_CELL);
  ZG_ST_CHECK(*ok, zg_kzg_verify_cell_proof_batch(ctx, &v, cs, 128, idx, 128, ce, 128, ps, 128, scr) == ZG_OK);
  ZG_ST_CHECK(*ok, !v);
  printf("   verify_cell_kzg_proof_batch of 128 cells: %.1f ms (a changed cell is rejected)\n", t_ver);

  uint64_t half[64];
  zg_slice_t hs[64];
  st_pick(half, 128, 64);
  for (size_t k = 0; k < 64; k++) hs[k] = zg_slice(cells + half[k] * ZG_KZG_BYTES_PER_CELL, ZG_KZG_BYTES_PER_CELL);
  t = zg_clock_ns();
  ZG_ST_CHECK(*ok, zg_kzg_recover_cells(ctx, rc, half, 64, hs, 64, scr) == ZG_OK);
  double t_rc = st_ms(t);
  ZG_ST_CHECK(*ok, memcmp(rc, cells, ZG_KZG_BYTES_PER_EXT_BLOB) == 0);
  t = zg_clock_ns();
  ZG_ST_CHECK(*ok, zg_kzg_recover_cells_and_proofs(ctx, rc, rp, half, 64, hs, 64, scr) == ZG_OK);
  double t_rp = st_ms(t);
  ZG_ST_CHECK(*ok, memcmp(rc, cells, ZG_KZG_BYTES_PER_EXT_BLOB) == 0);
  ZG_ST_CHECK(*ok, memcmp(rp, proofs, ZG_KZG_BYTES_PER_CELL_PROOFS) == 0);
  ZG_ST_CHECK(*ok, zg_kzg_recover_cells(ctx, rc, half, 63, hs, 63, scr) == ZG_ETOOFEW);
  printf("   recovered from 64 random cells: cells only %.1f ms, cells and proofs %.0f ms; 63 -> ZG_ETOOFEW\n", t_rc,
         t_rp);

  /* The DA row extension at rate 1/2 is the EIP-7594 cell layout. */
  ZG_ST_CHECK(*ok, zg_kzg_compute_cells(ctx, rc, rs_row0, ZG_KZG_BYTES_PER_BLOB, scr) == ZG_OK);
  ZG_ST_CHECK(*ok, memcmp(rc, rs_row0_ext, ZG_KZG_BYTES_PER_EXT_BLOB) == 0);
  printf("   RS rate-1/2 row extension == compute_cells of the row\n");
out:
  zg_kzg_cells_destroy(ctx);
  free(scr);
  free(kscr);
  free(blob);
  free(cells);
  free(rc);
  free(proofs);
  free(rp);
  return *ok;
}

ZG_SELFTEST(kzg_cells_rs) {
  bool ok = true;
  /* RS first: 3 rows (2 full rows and a bit) at rate 1/2. */
  const size_t len = 2 * ZG_RS_ROW_BYTES + 1000;
  const uint64_t nrows = zg_rs_rows_for_len(len);
  st_rows_t rows = {malloc(nrows * ZG_KZG_BYTES_PER_EXT_BLOB), 0};
  st_bytes_t out = {malloc(len), 0, len};
  uint8_t *payload = malloc(len), *col = malloc(nrows * ZG_RS_CELL_BYTES), *row0 = malloc(ZG_KZG_BYTES_PER_BLOB);
  zg_rs_encoder_t *enc = NULL;
  zg_rs_decoder_t *dec = NULL;
  if (!rows.ext || !out.buf || !payload || !col || !row0) {
    ok = false;
    goto out;
  }
  ZG_ST_CHECK(ok, zg_random_bytes(payload, len) == ZG_OK);
  zg_rs_opts_t o = {2, 1};
  uint64_t t = zg_clock_ns();
  ZG_ST_CHECK(ok, zg_rs_encoder_create(&enc, &o, len, st_row, &rows) == ZG_OK);
  if (!enc) goto out;
  ZG_ST_CHECK(ok, zg_rs_encoder_write(enc, payload, len) == ZG_OK);
  ZG_ST_CHECK(ok, zg_rs_encoder_finish(enc) == ZG_OK);
  double t_enc = st_ms(t);
  ZG_ST_CHECK(ok, rows.rows == nrows);
  uint64_t pick[64];
  st_pick(pick, 128, 64);
  t = zg_clock_ns();
  ZG_ST_CHECK(ok, zg_rs_decoder_create(&dec, &o, nrows) == ZG_OK);
  if (!dec) goto out;
  for (size_t k = 0; k < 64; k++) {
    for (uint64_t r = 0; r < nrows; r++)
      memcpy(col + r * ZG_RS_CELL_BYTES, rows.ext + r * ZG_KZG_BYTES_PER_EXT_BLOB + pick[k] * ZG_RS_CELL_BYTES,
             ZG_RS_CELL_BYTES);
    ZG_ST_CHECK(ok, zg_rs_decoder_add_column(dec, pick[k], col, nrows * ZG_RS_CELL_BYTES) == ZG_OK);
  }
  ZG_ST_CHECK(ok, zg_rs_decoder_finish(dec, st_bytes, &out) == ZG_OK);
  double t_dec = st_ms(t);
  ZG_ST_CHECK(ok, out.len == len && memcmp(out.buf, payload, len) == 0);
  printf("   RS rate 1/2: %zu-byte payload, %llu rows: encode %.1f ms, decode from 64 random of 128 columns %.1f ms\n",
         len, (unsigned long long)nrows, t_enc, t_dec);

  /* Row 0 as a blob: its first 64 cells. */
  memcpy(row0, rows.ext, ZG_KZG_BYTES_PER_BLOB);
  struct stat st;
  const char *path = cells_setup();
  if (stat(path, &st) != 0) {
    printf("   KZG part skipped: no trusted setup at %s (set ZG_KZG_SETUP)\n", path);
    goto out;
  }
  zg_kzg_settings_t *s = NULL;
  char msg[256];
  if (zg_kzg_settings_load_file(&s, path, NULL, msg, sizeof msg) != ZG_OK) {
    printf("    FAILED: loading %s: %s\n", path, msg);
    ok = false;
    goto out;
  }
  st_kzg(&ok, s, rows.ext, row0);
  zg_kzg_settings_destroy(s);
out:
  zg_rs_encoder_destroy(enc);
  zg_rs_decoder_destroy(dec);
  free(rows.ext);
  free(out.buf);
  free(payload);
  free(col);
  free(row0);
  return ok;
}

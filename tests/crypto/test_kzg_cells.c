/*
 * test_kzg_cells.c — EIP-7594 cells (zg/kzg_cells.h): every shared vector of
 * the five 7594 kinds (through the same case runner as `zg vectors`), and
 * properties on random blobs: compute_cells == the cells of
 * compute_cells_and_proofs, proofs verify (and a changed cell does not),
 * recovery from random subsets of exactly 64 cells gives back cells and
 * proofs, 63 cells fail with ZG_ETOOFEW, malformed inputs get their codes,
 * and two threads give the same bytes as one.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kzg_cells_case.c"
#include "cli/yaml_lite.c"
#include "crypto/bls_curve.h"
#include "crypto/kzg_internal.h"
#include "zg/kzg.h"
#include "zg/kzg_cells.h"
#include "zg/rs.h"
#include "zg_test.h"

static zg_kzg_settings_t *g_s;
static zg_kzg_cells_t *g_ctx;
static void *g_scr;

enum { BLOB = ZG_KZG_BYTES_PER_BLOB, EXT = ZG_KZG_BYTES_PER_EXT_BLOB, PRF = ZG_KZG_BYTES_PER_CELL_PROOFS };

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) buf[n] = 0;
  *len = (size_t)n;
  return buf;
}

/* A random valid blob: random elements < 2^248 (every 8th one zero). */
static void random_blob(uint8_t *blob) {
  zgt_rand_bytes(blob, BLOB);
  for (size_t i = 0; i < 4096; i++) {
    blob[32 * i] = 0;
    if (i % 8 == 7) memset(blob + 32 * i, 0, 32);
  }
}

static void test_vectors(void) {
  static const char *const kinds[] = {"compute_cells", "compute_cells_and_kzg_proofs",
                                      "recover_cells_and_kzg_proofs", "verify_cell_kzg_proof_batch",
                                      "compute_verify_cell_kzg_proof_batch_challenge"};
  int total = 0;
  for (size_t k = 0; k < 5; k++) {
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/kzg-4844/%s/kzg-mainnet", zgt_vectors_dir(), kinds[k]);
    DIR *d = opendir(dir);
    if (!d) {
      ZGT_FAIL("cannot open %s", dir);
      continue;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') continue;
      char path[2048];
      snprintf(path, sizeof path, "%s/%s/data.yaml", dir, e->d_name);
      size_t len;
      char *text = slurp(path, &len);
      if (!text) continue;
      zg_yaml_node_t *doc = NULL;
      char why[512];
      if (zg__yaml_parse(&doc, text, len, why, sizeof why) != ZG_OK) {
        ZGT_FAIL("%s: YAML %s", path, why);
      } else if (zg__kzg_cells_case_run(g_s, kinds[k], doc, why, sizeof why) != ZG_KZG_CASE_PASS) {
        ZGT_FAIL("%s: %s", e->d_name, why);
      }
      total++;
      zg__yaml_free(doc);
      free(text);
    }
    closedir(d);
  }
  printf("  %d EIP-7594 vector cases\n", total);
  CHECK(total >= 50);
}

/* Verifies cells[idx] of a blob against its commitment. */
static bool verify_cells(const uint8_t *commitment, const uint8_t *cells, const uint8_t *proofs, const uint64_t *idx,
                         size_t n) {
  zg_slice_t *cs = calloc(n, sizeof *cs), *ce = calloc(n, sizeof *ce), *ps = calloc(n, sizeof *ps);
  for (size_t k = 0; k < n; k++) {
    cs[k] = zg_slice(commitment, 48);
    ce[k] = zg_slice(cells + idx[k] * 2048, 2048);
    ps[k] = zg_slice(proofs + idx[k] * 48, 48);
  }
  bool ok = false;
  CHECK_OK(zg_kzg_verify_cell_proof_batch(g_ctx, &ok, cs, n, idx, n, ce, n, ps, n, g_scr));
  free(cs);
  free(ce);
  free(ps);
  return ok;
}

static void test_random_blobs(void) {
  uint8_t *blob = malloc(BLOB), *cells = malloc(EXT), *cells2 = malloc(EXT), *proofs = malloc(PRF),
          *proofs2 = malloc(PRF), *rc = malloc(EXT), *rp = malloc(PRF);
  uint8_t commitment[48];
  void *kscr = malloc(zg_kzg_scratch_size(g_s, 1));
  long iters = zgt_iters(2);
  for (long it = 0; it < iters; it++) {
    random_blob(blob);
    CHECK_OK(zg_kzg_compute_cells_and_proofs(g_ctx, cells, proofs, blob, BLOB, g_scr));
    CHECK_OK(zg_kzg_compute_cells(g_ctx, cells2, blob, BLOB, g_scr));
    CHECK_MEM(cells, cells2, EXT);
    CHECK_MEM(cells, blob, BLOB); /* the first 64 cells are the blob */
    CHECK_OK(zg_kzg_blob_to_commitment(g_s, commitment, blob, BLOB, kscr));
    /* The commitment out of FK20's G1 FFT, with the same cells and proofs. */
    {
      uint8_t c2[48];
      CHECK_OK(zg_kzg_compute_cells_proofs_commitment(g_ctx, cells2, proofs2, c2, blob, BLOB, g_scr));
      CHECK_MEM(c2, commitment, 48);
      CHECK_MEM(cells2, cells, EXT);
      CHECK_MEM(proofs2, proofs, PRF);
      if (it == 0) { /* the commitment alone */
        CHECK_OK(zg_kzg_compute_cells_proofs_commitment(g_ctx, NULL, NULL, c2, blob, BLOB, g_scr));
        CHECK_MEM(c2, commitment, 48);
      }
      memcpy(cells2, cells, EXT);
    }
    uint64_t all[128];
    for (uint64_t i = 0; i < 128; i++) all[i] = i;
    CHECK(verify_cells(commitment, cells, proofs, all, 128));
    /* A changed cell or a swapped proof fails the batch. */
    cells2[5 * 2048 + 31] ^= 1;
    {
      zg_slice_t c = zg_slice(commitment, 48), ce = zg_slice(cells2 + 5 * 2048, 2048), p = zg_slice(proofs + 5 * 48, 48);
      uint64_t i5 = 5;
      bool ok = true;
      CHECK_OK(zg_kzg_verify_cell_proof_batch(g_ctx, &ok, &c, 1, &i5, 1, &ce, 1, &p, 1, g_scr));
      CHECK(!ok);
      p = zg_slice(proofs + 6 * 48, 48);
      ce = zg_slice(cells + 5 * 2048, 2048);
      CHECK_OK(zg_kzg_verify_cell_proof_batch(g_ctx, &ok, &c, 1, &i5, 1, &ce, 1, &p, 1, g_scr));
      CHECK(!ok);
    }
    /* Recovery from a random subset of exactly 64 cells (sorted). */
    bool pick[128] = {false};
    for (int got = 0; got < 64;) {
      uint32_t i = zgt_rand_below(128);
      if (!pick[i]) pick[i] = true, got++;
    }
    uint64_t idx[128];
    zg_slice_t sl[128];
    size_t n = 0;
    for (uint64_t i = 0; i < 128; i++)
      if (pick[i]) {
        idx[n] = i;
        sl[n++] = zg_slice(cells + i * 2048, 2048);
      }
    CHECK_OK(zg_kzg_recover_cells_and_proofs(g_ctx, rc, rp, idx, n, sl, n, g_scr));
    CHECK_MEM(rc, cells, EXT);
    CHECK_MEM(rp, proofs, PRF);
    memset(rc, 0, EXT);
    CHECK_OK(zg_kzg_recover_cells(g_ctx, rc, idx, n, sl, n, g_scr));
    CHECK_MEM(rc, cells, EXT);
    /* 63 cells: too few. */
    CHECK_ERR(zg_kzg_recover_cells(g_ctx, rc, idx + 1, n - 1, sl + 1, n - 1, g_scr), ZG_ETOOFEW);
    /* Two threads: the same bytes. */
    zg_kzg_cells_set_threads(g_ctx, 2);
    CHECK_OK(zg_kzg_compute_cells_and_proofs(g_ctx, cells2, proofs2, blob, BLOB, g_scr));
    CHECK_MEM(cells2, cells, EXT);
    CHECK_MEM(proofs2, proofs, PRF);
    CHECK_OK(zg_kzg_recover_cells_and_proofs(g_ctx, rc, rp, idx, n, sl, n, g_scr));
    CHECK_MEM(rp, proofs, PRF);
    CHECK(verify_cells(commitment, cells, proofs, all, 128));
    zg_kzg_cells_set_threads(g_ctx, 1);
  }
  free(kscr);
  free(blob);
  free(cells);
  free(cells2);
  free(proofs);
  free(proofs2);
  free(rc);
  free(rp);
}

/* Batched affine additions (the FK20 MSMs' adder) against Jacobian
 * arithmetic, with every special case in one batch: a generic sum, a
 * doubling, a cancellation, an infinite operand on either side, both
 * infinite, and an entry that writes over its own input. */
static zg__g1_aff_t to_aff(const zg_g1_t *p) {
  zg_g1_t q = *p;
  zg__g1_aff_t a;
  zg_g1_normalize(&q);
  if (zg_g1_is_infinity(&q)) {
    zg__g1_aff_set_inf(&a);
  } else {
    a.x = q.x;
    a.y = q.y;
  }
  return a;
}

static void test_aff_batch(void) {
  static zg__g1_aff_batch_t B;
  long iters = zgt_iters(20);
  for (long it = 0; it < iters; it++) {
    zg_g1_t G, P, Q, jp[7];
    zg_fr_t k;
    uint8_t rb[32];
    zgt_rand_bytes(rb, 32);
    zg_fr_from_be_reduce(&k, rb, 32);
    zg_g1_generator(&G);
    zg_g1_mul_var(&P, &G, &k);
    zgt_rand_bytes(rb, 32);
    zg_fr_from_be_reduce(&k, rb, 32);
    zg_g1_mul_var(&Q, &G, &k);
    zg_g1_t nP, inf;
    zg_g1_neg(&nP, &P);
    zg_g1_set_infinity(&inf);
    const zg_g1_t *pa[6] = {&P, &P, &P, &inf, &P, &inf}, *pb[6] = {&Q, &P, &nP, &Q, &inf, &inf};
    zg__g1_aff_t a[7], b[7], out[7];
    for (int i = 0; i < 6; i++) {
      a[i] = to_aff(pa[i]);
      b[i] = to_aff(pb[i]);
      zg__g1_add_var(&jp[i], pa[i], pb[i]);
    }
    a[6] = to_aff(&Q);
    b[6] = to_aff(&P);
    zg__g1_add_var(&jp[6], &Q, &P);
    zg__g1_aff_batch_init(&B);
    for (int i = 0; i < 6; i++) zg__g1_aff_batch_push(&B, &out[i], &a[i], &b[i]);
    zg__g1_aff_batch_push(&B, &a[6], &a[6], &b[6]); /* in place */
    zg__g1_aff_batch_flush(&B);
    out[6] = a[6];
    for (int i = 0; i < 7; i++) {
      zg__g1_aff_t want = to_aff(&jp[i]);
      CHECK(zg__fp_eq(&out[i].x, &want.x) && zg__fp_eq(&out[i].y, &want.y));
    }
    CHECK(zg__g1_aff_is_inf(&out[2]) && zg__g1_aff_is_inf(&out[5]));
  }
}

static void test_malformed(void) {
  uint8_t *blob = malloc(BLOB), *cells = malloc(EXT), *proofs = malloc(PRF), *rc = malloc(EXT);
  random_blob(blob);
  CHECK_OK(zg_kzg_compute_cells_and_proofs(g_ctx, cells, proofs, blob, BLOB, g_scr));
  /* Blob: wrong length, non-canonical element. */
  CHECK_ERR(zg_kzg_compute_cells(g_ctx, rc, blob, BLOB - 1, g_scr), ZG_EBADLEN);
  memset(blob + 32 * 77, 0xff, 32);
  CHECK_ERR(zg_kzg_compute_cells(g_ctx, rc, blob, BLOB, g_scr), ZG_EFIELD);
  uint8_t *p2 = malloc(PRF);
  CHECK_ERR(zg_kzg_compute_cells_and_proofs(g_ctx, rc, p2, blob, BLOB, g_scr), ZG_EFIELD);
  free(p2);

  uint64_t idx[128];
  zg_slice_t sl[128];
  for (uint64_t i = 0; i < 128; i++) {
    idx[i] = i;
    sl[i] = zg_slice(cells + i * 2048, 2048);
  }
  /* Recovery: duplicates, index range, order, lengths, mismatch, field. */
  uint64_t dup[64];
  memcpy(dup, idx, sizeof dup);
  dup[1] = 0;
  CHECK_ERR(zg_kzg_recover_cells(g_ctx, rc, dup, 64, sl, 64, g_scr), ZG_EDUPLICATE);
  uint64_t big[64];
  memcpy(big, idx, sizeof big);
  big[63] = 128;
  CHECK_ERR(zg_kzg_recover_cells(g_ctx, rc, big, 64, sl, 64, g_scr), ZG_ERANGE);
  uint64_t swp[64];
  memcpy(swp, idx, sizeof swp);
  swp[3] = 4, swp[4] = 3;
  CHECK_ERR(zg_kzg_recover_cells(g_ctx, rc, swp, 64, sl, 64, g_scr), ZG_ENONCANON);
  CHECK_ERR(zg_kzg_recover_cells(g_ctx, rc, idx, 64, sl, 65, g_scr), ZG_EINVAL);
  zg_slice_t bad[64];
  memcpy(bad, sl, sizeof bad);
  bad[9].len = 2047;
  CHECK_ERR(zg_kzg_recover_cells(g_ctx, rc, idx, 64, bad, 64, g_scr), ZG_EBADLEN);
  uint8_t nc[2048];
  memcpy(nc, cells + 9 * 2048, 2048);
  memset(nc + 32 * 5, 0xff, 32);
  bad[9] = zg_slice(nc, 2048);
  CHECK_ERR(zg_kzg_recover_cells(g_ctx, rc, idx, 64, bad, 64, g_scr), ZG_EFIELD);
  CHECK_ERR(zg_kzg_recover_cells(g_ctx, rc, idx, 0, sl, 0, g_scr), ZG_ETOOFEW);

  /* Verification: bad points, lengths, ranges, mismatched arrays. */
  uint8_t cm[48], pbad[48];
  void *kscr = malloc(zg_kzg_scratch_size(g_s, 1));
  CHECK_OK(zg_kzg_blob_to_commitment(g_s, cm, cells, BLOB, kscr));
  free(kscr);
  zg_slice_t c1 = zg_slice(cm, 48), p1 = zg_slice(proofs, 48), e1 = sl[0];
  uint64_t i0 = 0, i128 = 128;
  bool ok = true;
  memcpy(pbad, proofs, 48);
  pbad[47] ^= 1; /* almost surely not on the curve */
  zg_slice_t pb = zg_slice(pbad, 48);
  zg_err_t e = zg_kzg_verify_cell_proof_batch(g_ctx, &ok, &c1, 1, &i0, 1, &e1, 1, &pb, 1, g_scr);
  CHECK(e == ZG_ENOTONCURVE || e == ZG_ESUBGROUP);
  CHECK(!ok);
  pbad[0] &= 0x7f; /* clear the compression flag */
  CHECK_ERR(zg_kzg_verify_cell_proof_batch(g_ctx, &ok, &c1, 1, &i0, 1, &e1, 1, &pb, 1, g_scr), ZG_EFLAGS);
  CHECK_ERR(zg_kzg_verify_cell_proof_batch(g_ctx, &ok, &c1, 1, &i128, 1, &e1, 1, &p1, 1, g_scr), ZG_ERANGE);
  zg_slice_t c47 = zg_slice(cm, 47);
  CHECK_ERR(zg_kzg_verify_cell_proof_batch(g_ctx, &ok, &c47, 1, &i0, 1, &e1, 1, &p1, 1, g_scr), ZG_EBADLEN);
  CHECK_ERR(zg_kzg_verify_cell_proof_batch(g_ctx, &ok, &c1, 1, &i0, 1, &e1, 1, &p1, 0, g_scr), ZG_EINVAL);
  zg_slice_t enc = zg_slice(nc, 2048);
  CHECK_ERR(zg_kzg_verify_cell_proof_batch(g_ctx, &ok, &c1, 1, &i0, 1, &enc, 1, &p1, 1, g_scr), ZG_EFIELD);
  CHECK_OK(zg_kzg_verify_cell_proof_batch(g_ctx, &ok, &c1, 1, &i0, 1, &e1, 1, &p1, 1, g_scr));
  CHECK(ok);
  free(blob);
  free(cells);
  free(proofs);
  free(rc);
}

static zg_err_t keep_rows(void *user, uint64_t row, const uint8_t *ext, size_t len) {
  memcpy((uint8_t *)user + row * len, ext, len);
  return ZG_OK;
}

/* The DA row extension at rate 1/2 is compute_cells of the row, for every row. */
static void test_rs_is_7594(void) {
  size_t len = 2 * ZG_RS_ROW_BYTES + zgt_rand_below(ZG_RS_ROW_BYTES);
  uint8_t *payload = malloc(len), *ext = malloc(3 * (size_t)EXT), *cells = malloc(EXT);
  zgt_rand_bytes(payload, len);
  zg_rs_opts_t o = {2, 1};
  zg_rs_encoder_t *enc = NULL;
  CHECK_OK(zg_rs_encoder_create(&enc, &o, len, keep_rows, ext));
  CHECK_OK(zg_rs_encoder_write(enc, payload, len));
  CHECK_OK(zg_rs_encoder_finish(enc));
  zg_rs_encoder_destroy(enc);
  for (size_t r = 0; r < 3; r++) {
    CHECK_OK(zg_kzg_compute_cells(g_ctx, cells, ext + r * EXT, BLOB, g_scr));
    CHECK_MEM(cells, ext + r * EXT, EXT);
  }
  free(payload);
  free(ext);
  free(cells);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  char path[1024], msg[256];
  snprintf(path, sizeof path, "%s/kzg-setup/trusted_setup.txt", zgt_vectors_dir());
  if (zg_kzg_settings_load_file(&g_s, path, NULL, msg, sizeof msg) != ZG_OK) {
    printf("cannot load %s: %s (skipped)\n", path, msg);
    return 77;
  }
  zg_kzg_cells_opts_t o = {.threads = 2};
  if (zg_kzg_cells_create(&g_ctx, g_s, &o) != ZG_OK) return 1;
  zg_kzg_cells_set_threads(g_ctx, 1);
  g_scr = malloc(zg_kzg_cells_scratch_size(g_ctx, 128));
  ZGT_RUN(test_vectors);
  ZGT_RUN(test_random_blobs);
  ZGT_RUN(test_aff_batch);
  ZGT_RUN(test_malformed);
  ZGT_RUN(test_rs_is_7594);
  free(g_scr);
  zg_kzg_cells_destroy(g_ctx);
  cells_free();
  zg_kzg_settings_destroy(g_s);
  return zgt_done();
}

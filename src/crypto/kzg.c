/*
 * kzg.c — the EIP-4844 KZG functions (consensus-specs deneb
 * polynomial-commitments.md) over a loaded zg_kzg_settings_t.
 *
 * Blobs are polynomials in evaluation form over the 4096-th roots of unity
 * in bit-reversed order (settings->roots_brp). The implementation follows
 * the spec's definitions with the usual shortcuts, each giving the same
 * bytes or the same verdict:
 *  - one batch inversion of (w_i - z) serves both the barycentric
 *    evaluation p(z) and the quotient (p(w_i) - y) / (w_i - z);
 *  - when z is a root w_m, q(w_m) = -(1/z) sum_{i != m} q(w_i) w_i, which is
 *    the spec's compute_quotient_eval_within_domain rewritten with the
 *    already-computed quotient values;
 *  - a pairing check e(C - yG, -H) e(pi, tau H - zH) = 1 is evaluated as
 *    e(C - yG + z pi, -H) e(pi, tau H) = 1 (the z term moves to G1, which is
 *    cheaper), and the batch check combines all (C_i, pi_i) in one MSM.
 * The Fiat–Shamir transcripts are hashed exactly as the spec writes them.
 *
 * Scratch is carved from the caller's buffer (see scratch_layout); nothing
 * here allocates.
 */
#include <string.h>

#include "crypto/kzg_internal.h"
#include "zg/hash.h"

#define N ZG__KZG_N
#define BLOB_LEN ZG_KZG_BYTES_PER_BLOB

static const char FS_DOMAIN[16] = "FSBLOBVERIFY_V1_";
static const char BATCH_DOMAIN[16] = "RCKZGBATCH___V1_";

/* ---------------------------------------------------------------- scratch */

typedef struct {
  zg_fr_t *poly, *tmp, *inv_scratch; /* N each */
  zg_g1_t *pts;                      /* 2 * nblobs */
  zg_fr_t *sc;                       /* 3 * nblobs */
  void *msm;                         /* MSM scratch */
} scratch_t;

static size_t align64(size_t n) { return (n + 63) & ~(size_t)63; }

static size_t msm_bytes(const zg_kzg_settings_t *s, size_t nblobs) {
  size_t a = zg__kzg_lagrange_msm_scratch_size(s);
  size_t b = zg_g1_msm_scratch_size(2 * nblobs);
  return a > b ? a : b;
}

size_t zg_kzg_scratch_size(const zg_kzg_settings_t *s, size_t nblobs) {
  if (!s) return 0;
  if (nblobs == 0) nblobs = 1;
  return 64 + 3 * align64(N * sizeof(zg_fr_t)) + align64(2 * nblobs * sizeof(zg_g1_t)) +
         align64(3 * nblobs * sizeof(zg_fr_t)) + msm_bytes(s, nblobs);
}

static void scratch_layout(scratch_t *L, void *scratch, size_t nblobs) {
  if (nblobs == 0) nblobs = 1;
  uintptr_t p = ((uintptr_t)scratch + 63) & ~(uintptr_t)63;
  L->poly = (zg_fr_t *)p;
  p += align64(N * sizeof(zg_fr_t));
  L->tmp = (zg_fr_t *)p;
  p += align64(N * sizeof(zg_fr_t));
  L->inv_scratch = (zg_fr_t *)p;
  p += align64(N * sizeof(zg_fr_t));
  L->pts = (zg_g1_t *)p;
  p += align64(2 * nblobs * sizeof(zg_g1_t));
  L->sc = (zg_fr_t *)p;
  p += align64(3 * nblobs * sizeof(zg_fr_t));
  L->msm = (void *)p;
}

/* ---------------------------------------------------------------- parsing */

static zg_err_t parse_blob(zg_fr_t *poly, const uint8_t *blob, size_t len) {
  if (!blob || len != BLOB_LEN) return ZG_EBADLEN;
  for (size_t i = 0; i < N; i++) ZG_TRY(zg_fr_from_be32(&poly[i], blob + 32 * i));
  return ZG_OK;
}

static zg_err_t parse_fr(zg_fr_t *r, const uint8_t *in, size_t len) {
  if (!in || len != 32) return ZG_EBADLEN;
  return zg_fr_from_be32(r, in);
}

/* A commitment or proof: 48 compressed bytes, a subgroup point or the
 * canonical infinity (validate_kzg_g1). */
static zg_err_t parse_g1(zg_g1_t *r, const uint8_t *in, size_t len) {
  if (!in || len != 48) return ZG_EBADLEN;
  return zg_g1_deserialize(r, in, len);
}

/* ---------------------------------------------------------------- math */

static void challenge_of(zg_fr_t *r, const uint8_t *blob, const uint8_t commitment[48]) {
  uint8_t degree[16] = {0}, h[32];
  degree[14] = (uint8_t)(N >> 8);
  degree[15] = (uint8_t)(N & 0xff);
  zg_sha256_ctx_t ctx;
  zg_sha256_init(&ctx);
  zg_sha256_update(&ctx, FS_DOMAIN, sizeof FS_DOMAIN);
  zg_sha256_update(&ctx, degree, sizeof degree);
  zg_sha256_update(&ctx, blob, BLOB_LEN);
  zg_sha256_update(&ctx, commitment, 48);
  zg_sha256_final(&ctx, h);
  zg_fr_from_be_reduce(r, h, sizeof h);
}

/* a[i] <- 1/a[i] for all i except skip (which stays as it is), with one
 * inversion (Montgomery's trick). Variable time: public values only. pre
 * holds n elements. */
static void batch_inv_var(zg_fr_t *a, zg_fr_t *pre, size_t n, size_t skip) {
  zg_fr_t acc, t;
  zg_fr_set_one(&acc);
  for (size_t i = 0; i < n; i++) {
    pre[i] = acc;
    if (i != skip) zg_fr_mul(&acc, &acc, &a[i]);
  }
  zg_fr_inv(&acc, &acc);
  for (size_t i = n; i-- > 0;) {
    if (i == skip) continue;
    zg_fr_mul(&t, &acc, &pre[i]);
    zg_fr_mul(&acc, &acc, &a[i]);
    a[i] = t;
  }
}

/* inv[i] = 1 / (w_i - z), with 0 where w_i = z; returns that index or N. */
static size_t inv_diffs(const zg_kzg_settings_t *s, zg_fr_t *inv, zg_fr_t *scratch, const zg_fr_t *z) {
  size_t m = N;
  for (size_t i = 0; i < N; i++) {
    zg_fr_sub(&inv[i], &s->roots_brp[i], z);
    if (m == N && zg_fr_is_zero(&inv[i])) m = i;
  }
  batch_inv_var(inv, scratch, N, m); /* the roots are distinct: at most one zero */
  return m;
}

/* y = p(z) from the blob's values and inv[i] = 1/(w_i - z):
 * p(z) = (z^N - 1)/N * sum p_i w_i / (z - w_i), or p_m when z = w_m. */
static void eval_poly(const zg_kzg_settings_t *s, zg_fr_t *y, const zg_fr_t *poly, const zg_fr_t *inv, size_t m,
                      const zg_fr_t *z) {
  if (m < N) {
    *y = poly[m];
    return;
  }
  zg_fr_t acc, t;
  zg_fr_set_zero(&acc);
  for (size_t i = 0; i < N; i++) {
    zg_fr_mul(&t, &poly[i], &s->roots_brp[i]);
    zg_fr_mul(&t, &t, &inv[i]);
    zg_fr_add(&acc, &acc, &t);
  }
  /* inv holds 1/(w_i - z) = -1/(z - w_i). */
  zg_fr_neg(&acc, &acc);
  zg_fr_t zn = *z, one, inv_n;
  for (int k = 0; k < 12; k++) zg_fr_sqr(&zn, &zn); /* z^4096 */
  zg_fr_set_one(&one);
  zg_fr_sub(&zn, &zn, &one);
  zg_fr_from_u64(&inv_n, N);
  zg_fr_inv(&inv_n, &inv_n);
  zg_fr_mul(&acc, &acc, &zn);
  zg_fr_mul(y, &acc, &inv_n);
}

/* y = p(z) for a parsed blob (uses L->tmp and L->inv_scratch). */
static void evaluate_at(const zg_kzg_settings_t *s, zg_fr_t *y, const scratch_t *L, const zg_fr_t *z) {
  size_t m = inv_diffs(s, L->tmp, L->inv_scratch, z);
  eval_poly(s, y, L->poly, L->tmp, m, z);
}

/* The proof of p(z) = y for the blob in L->poly; writes y too. */
static void proof_impl(const zg_kzg_settings_t *s, zg_g1_t *proof, zg_fr_t *y, const scratch_t *L,
                       const zg_fr_t *z) {
  zg_fr_t *q = L->tmp;
  size_t m = inv_diffs(s, q, L->inv_scratch, z);
  eval_poly(s, y, L->poly, q, m, z);
  /* q_i = (p_i - y) / (w_i - z) in place over the inverses. */
  for (size_t i = 0; i < N; i++) {
    zg_fr_t a;
    zg_fr_sub(&a, &L->poly[i], y);
    zg_fr_mul(&q[i], &q[i], &a);
  }
  if (m < N) {
    /* q_m = sum_{i != m} (p_i - y) w_i / (z (z - w_i)) = -(1/z) sum_{i != m} q_i w_i. */
    zg_fr_t acc, t, zi;
    zg_fr_set_zero(&acc);
    for (size_t i = 0; i < N; i++) {
      if (i == m) continue;
      zg_fr_mul(&t, &q[i], &s->roots_brp[i]);
      zg_fr_add(&acc, &acc, &t);
    }
    zg_fr_inv(&zi, z);
    zg_fr_mul(&acc, &acc, &zi);
    zg_fr_neg(&q[m], &acc);
  }
  zg__kzg_lagrange_msm(s, proof, q, L->msm);
}

/* e(C - yG + z pi, -H) * e(pi, tau H) == 1. */
static bool verify_impl(const zg_kzg_settings_t *s, const zg_g1_t *c, const zg_fr_t *z, const zg_fr_t *y,
                        const zg_g1_t *pi) {
  zg_g1_t g, t, lhs[2];
  zg_g2_t rhs[2];
  zg_g1_generator(&g);
  zg_g1_mul_var(&t, &g, y);
  zg_g1_sub(&lhs[0], c, &t);
  zg_g1_mul_var(&t, pi, z);
  zg_g1_add(&lhs[0], &lhs[0], &t);
  lhs[1] = *pi;
  zg_g2_generator(&rhs[0]);
  zg_g2_neg(&rhs[0], &rhs[0]);
  rhs[1] = s->g2_monomial[1];
  uint64_t buf[1024]; /* the pairing scratch for 2 pairs is well below 8 KiB */
  if (zg_multi_pairing_scratch_size(2) > sizeof buf) return false;
  return zg_pairing_check(lhs, rhs, 2, buf);
}

/* ---------------------------------------------------------------- API */

zg_err_t zg_kzg_compute_challenge(uint8_t challenge[32], const uint8_t *blob, size_t blob_len,
                                  const uint8_t *commitment, size_t commitment_len) {
  if (!challenge) return ZG_EINVAL;
  memset(challenge, 0, 32);
  if (!blob || blob_len != BLOB_LEN) return ZG_EBADLEN;
  zg_g1_t c;
  ZG_TRY(parse_g1(&c, commitment, commitment_len));
  zg_fr_t r;
  challenge_of(&r, blob, commitment);
  zg_fr_to_be32(challenge, &r);
  return ZG_OK;
}

zg_err_t zg_kzg_blob_to_commitment(const zg_kzg_settings_t *s, uint8_t commitment[48], const uint8_t *blob,
                                   size_t blob_len, void *scratch) {
  if (!commitment) return ZG_EINVAL;
  memset(commitment, 0, 48);
  if (!s || !scratch) return ZG_EINVAL;
  scratch_t L;
  scratch_layout(&L, scratch, 1);
  ZG_TRY(parse_blob(L.poly, blob, blob_len));
  zg_g1_t c;
  zg__kzg_lagrange_msm(s, &c, L.poly, L.msm);
  zg_g1_serialize(commitment, &c);
  return ZG_OK;
}

zg_err_t zg_kzg_compute_proof(const zg_kzg_settings_t *s, uint8_t proof[48], uint8_t y[32], const uint8_t *blob,
                              size_t blob_len, const uint8_t *z, size_t z_len, void *scratch) {
  if (!proof || !y) return ZG_EINVAL;
  memset(proof, 0, 48);
  memset(y, 0, 32);
  if (!s || !scratch) return ZG_EINVAL;
  scratch_t L;
  scratch_layout(&L, scratch, 1);
  ZG_TRY(parse_blob(L.poly, blob, blob_len));
  zg_fr_t zf, yf;
  ZG_TRY(parse_fr(&zf, z, z_len));
  zg_g1_t pi;
  proof_impl(s, &pi, &yf, &L, &zf);
  zg_g1_serialize(proof, &pi);
  zg_fr_to_be32(y, &yf);
  return ZG_OK;
}

zg_err_t zg_kzg_compute_blob_proof(const zg_kzg_settings_t *s, uint8_t proof[48], const uint8_t *blob,
                                   size_t blob_len, const uint8_t *commitment, size_t commitment_len,
                                   void *scratch) {
  if (!proof) return ZG_EINVAL;
  memset(proof, 0, 48);
  if (!s || !scratch) return ZG_EINVAL;
  scratch_t L;
  scratch_layout(&L, scratch, 1);
  ZG_TRY(parse_blob(L.poly, blob, blob_len));
  zg_g1_t c, pi;
  ZG_TRY(parse_g1(&c, commitment, commitment_len));
  zg_fr_t z, y;
  challenge_of(&z, blob, commitment);
  proof_impl(s, &pi, &y, &L, &z);
  zg_g1_serialize(proof, &pi);
  return ZG_OK;
}

zg_err_t zg_kzg_verify_proof(const zg_kzg_settings_t *s, bool *ok, const uint8_t *commitment, size_t commitment_len,
                             const uint8_t *z, size_t z_len, const uint8_t *y, size_t y_len, const uint8_t *proof,
                             size_t proof_len) {
  if (!ok) return ZG_EINVAL;
  *ok = false;
  if (!s) return ZG_EINVAL;
  zg_g1_t c, pi;
  zg_fr_t zf, yf;
  ZG_TRY(parse_g1(&c, commitment, commitment_len));
  ZG_TRY(parse_fr(&zf, z, z_len));
  ZG_TRY(parse_fr(&yf, y, y_len));
  ZG_TRY(parse_g1(&pi, proof, proof_len));
  *ok = verify_impl(s, &c, &zf, &yf, &pi);
  return ZG_OK;
}

zg_err_t zg_kzg_verify_blob_proof(const zg_kzg_settings_t *s, bool *ok, const uint8_t *blob, size_t blob_len,
                                  const uint8_t *commitment, size_t commitment_len, const uint8_t *proof,
                                  size_t proof_len, void *scratch) {
  if (!ok) return ZG_EINVAL;
  *ok = false;
  if (!s || !scratch) return ZG_EINVAL;
  scratch_t L;
  scratch_layout(&L, scratch, 1);
  ZG_TRY(parse_blob(L.poly, blob, blob_len));
  zg_g1_t c, pi;
  ZG_TRY(parse_g1(&c, commitment, commitment_len));
  ZG_TRY(parse_g1(&pi, proof, proof_len));
  zg_fr_t z, y;
  challenge_of(&z, blob, commitment);
  evaluate_at(s, &y, &L, &z);
  *ok = verify_impl(s, &c, &z, &y, &pi);
  return ZG_OK;
}

/* Parses and evaluates every triple: pts[i] = C_i, pts[n + i] = pi_i,
 * sc[i] = z_i, sc[n + i] = y_i, and hashes the batch transcript into *r. */
static zg_err_t batch_prepare(const zg_kzg_settings_t *s, zg_fr_t *r, const scratch_t *L, const zg_slice_t *blobs,
                              const zg_slice_t *commitments, const zg_slice_t *proofs, size_t n) {
  zg_sha256_ctx_t ctx;
  uint8_t hdr[16], h[32];
  memset(hdr, 0, sizeof hdr);
  zg_store_be64(hdr, N);
  zg_store_be64(hdr + 8, n);
  zg_sha256_init(&ctx);
  zg_sha256_update(&ctx, BATCH_DOMAIN, sizeof BATCH_DOMAIN);
  zg_sha256_update(&ctx, hdr, sizeof hdr);
  for (size_t i = 0; i < n; i++) {
    ZG_TRY(parse_blob(L->poly, blobs[i].ptr, blobs[i].len));
    ZG_TRY(parse_g1(&L->pts[i], commitments[i].ptr, commitments[i].len));
    ZG_TRY(parse_g1(&L->pts[n + i], proofs[i].ptr, proofs[i].len));
    challenge_of(&L->sc[i], blobs[i].ptr, commitments[i].ptr);
    evaluate_at(s, &L->sc[n + i], L, &L->sc[i]);
    uint8_t zb[32], yb[32];
    zg_fr_to_be32(zb, &L->sc[i]);
    zg_fr_to_be32(yb, &L->sc[n + i]);
    zg_sha256_update(&ctx, commitments[i].ptr, 48);
    zg_sha256_update(&ctx, zb, 32);
    zg_sha256_update(&ctx, yb, 32);
    zg_sha256_update(&ctx, proofs[i].ptr, 48);
  }
  zg_sha256_final(&ctx, h);
  zg_fr_from_be_reduce(r, h, sizeof h);
  return ZG_OK;
}

zg_err_t zg_kzg_verify_blob_proof_batch(const zg_kzg_settings_t *s, bool *ok, const zg_slice_t *blobs,
                                        const zg_slice_t *commitments, const zg_slice_t *proofs, size_t n,
                                        void *scratch) {
  if (!ok) return ZG_EINVAL;
  *ok = false;
  if (!s || !scratch || (n && (!blobs || !commitments || !proofs))) return ZG_EINVAL;
  if (n == 0) {
    *ok = true;
    return ZG_OK;
  }
  scratch_t L;
  scratch_layout(&L, scratch, n);
  zg_fr_t r;
  ZG_TRY(batch_prepare(s, &r, &L, blobs, commitments, proofs, n));
  if (n == 1) {
    *ok = verify_impl(s, &L.pts[0], &L.sc[0], &L.sc[1], &L.pts[1]);
    return ZG_OK;
  }
  /* sc becomes [r^i | r^i z_i | y_i]: the y_i move to the third part. */
  zg_fr_t *rz = L.sc, *ys = L.sc + 2 * n, sum_ry, rp, t;
  memmove(ys, L.sc + n, n * sizeof *ys);
  zg_fr_set_zero(&sum_ry);
  zg_fr_set_one(&rp);
  for (size_t i = 0; i < n; i++) {
    zg_fr_t zi = rz[i];
    rz[i] = rp;
    zg_fr_mul(&rz[n + i], &rp, &zi);
    zg_fr_mul(&t, &rp, &ys[i]);
    zg_fr_add(&sum_ry, &sum_ry, &t);
    zg_fr_mul(&rp, &rp, &r);
  }
  /* lhs = sum r^i C_i + sum r^i z_i pi_i - (sum r^i y_i) G; plhs = sum r^i pi_i. */
  zg_g1_t p[2], g;
  zg_g2_t q[2];
  zg_g1_msm_var(&p[1], L.pts, L.sc, 2 * n, L.msm);
  zg_g1_generator(&g);
  zg_g1_mul_var(&g, &g, &sum_ry);
  zg_g1_sub(&p[1], &p[1], &g);
  zg_g1_msm_var(&p[0], L.pts + n, L.sc, n, L.msm);
  zg_g2_neg(&q[0], &s->g2_monomial[1]);
  zg_g2_generator(&q[1]);
  uint64_t buf[1024];
  if (zg_multi_pairing_scratch_size(2) > sizeof buf) return ZG_EINVAL;
  *ok = zg_pairing_check(p, q, 2, buf);
  return ZG_OK;
}

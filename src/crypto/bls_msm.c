/*
 * bls_msm.c — multi-scalar multiplication sum(k_i * P_i) in G1 and G2 for
 * public data (KZG commitments, batch verification). The algorithm (signed
 * windows, batch-affine bucket accumulation, running-sum reduction) lives
 * in bls_msm_impl.h and is instantiated here once per group. No allocation:
 * the caller passes scratch of zg_gN_msm_scratch_size(n) bytes (any
 * alignment); n up to 2^32 - 1.
 */
#include <stdint.h>
#include <string.h>

#include "crypto/bls_curve.h"

/* ---- G1 over Fp ---- */
#define FE zg_fp_t
#define PT zg_g1_t
#define FE_add zg__fp_add
#define FE_sub zg__fp_sub
#define FE_dbl zg__fp_dbl
#define FE_neg zg__fp_neg
#define FE_mul zg__fp_mul
#define FE_sqr zg__fp_sqr
#define FE_inv zg__fp_inv
#define FE_is_zero zg__fp_is_zero
#define FE_eq zg__fp_eq
#define FE_ONE zg__fp_one
#define PUB(n) zg_g1_##n
#define INT(n) zg__g1_##n
#define LOC(n) g1_##n
/* Up to this many points, separate GLV multiplications are cheaper. */
#define LOC_DIRECT_MAX 4
#define LOC_SPLIT 2
#define LOC_SPLIT_BITS 128
#include "crypto/bls_msm_impl.h"

/* k = k0 + k1*x^2; k*P = k0*P + k1*(-phi(P)) since phi = [-x^2] on G1. */
static void g1_decompose(uint64_t parts[2][2], const uint64_t k[4]) {
  zg__g1_glv_split(parts[0], parts[1], k);
}

static void g1_endo(g1_aff_t *out, const g1_aff_t *in) {
  out[0] = in[0];
  zg__fp_mul(&out[1].x, &in[0].x, &zg__g1_beta);
  zg__fp_neg(&out[1].y, &in[0].y);
}

#undef LOC_SPLIT
#undef LOC_SPLIT_BITS
#undef FE
#undef PT
#undef FE_add
#undef FE_sub
#undef FE_dbl
#undef FE_neg
#undef FE_mul
#undef FE_sqr
#undef FE_inv
#undef FE_is_zero
#undef FE_eq
#undef FE_ONE
#undef PUB
#undef INT
#undef LOC
#undef LOC_DIRECT_MAX

/* ---- G2 over Fp2 ---- */
#define FE zg_fp2_t
#define PT zg_g2_t
#define FE_add zg__fp2_add
#define FE_sub zg__fp2_sub
#define FE_dbl zg__fp2_dbl
#define FE_neg zg__fp2_neg
#define FE_mul zg__fp2_mul
#define FE_sqr zg__fp2_sqr
#define FE_inv zg__fp2_inv
#define FE_is_zero zg__fp2_is_zero
#define FE_eq zg__fp2_eq
#define FE_ONE zg__fp2_one
#define PUB(n) zg_g2_##n
#define INT(n) zg__g2_##n
#define LOC(n) g2_##n
#define LOC_DIRECT_MAX 4
#define LOC_SPLIT 4
#define LOC_SPLIT_BITS 64
#include "crypto/bls_msm_impl.h"

/* k = sum a_i |x|^i and psi = [x] = [-|x|] on G2, so
 * k*P = a0 P + a1 (-psi P) + a2 psi^2 P + a3 (-psi^3 P). */
static void g2_decompose(uint64_t parts[4][2], const uint64_t k[4]) {
  uint64_t a[4];
  zg__g2_gls_split(a, k);
  for (int j = 0; j < 4; j++) {
    parts[j][0] = a[j];
    parts[j][1] = 0;
  }
}

static void g2_endo(g2_aff_t *out, const g2_aff_t *in) {
  zg_g2_t p;
  zg__g2_from_affine(&p, &in[0].x, &in[0].y);
  out[0] = in[0];
  for (int j = 1; j < 4; j++) {
    zg__g2_psi(&p, &p); /* Z stays 1: conj(1) = 1 */
    out[j].x = p.x;
    if (j % 2)
      zg__fp2_neg(&out[j].y, &p.y);
    else
      out[j].y = p.y;
  }
}

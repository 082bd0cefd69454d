/*
 * bls_curve.h — internal helpers of the BLS12-381 groups shared between
 * bls_g1.c / bls_g2.c (which define them through bls_curve_impl.h) and the
 * multi-scalar multiplication in bls_msm.c. Variable time: public data only.
 */
#ifndef ZG_CRYPTO_BLS_CURVE_H
#define ZG_CRYPTO_BLS_CURVE_H

#include "crypto/bls_field.h"

/* r = a + b for any points (complete; branches on the inputs). */
void zg__g1_add_var(zg_g1_t *r, const zg_g1_t *a, const zg_g1_t *b);
void zg__g2_add_var(zg_g2_t *r, const zg_g2_t *a, const zg_g2_t *b);
/* r = a + (bx, by) where (bx, by) is an affine point, never infinity. */
void zg__g1_madd_var(zg_g1_t *r, const zg_g1_t *a, const zg_fp_t *bx, const zg_fp_t *by);
void zg__g2_madd_var(zg_g2_t *r, const zg_g2_t *a, const zg_fp2_t *bx, const zg_fp2_t *by);

/* The cube root of unity of the G1 endomorphism phi(x, y) = (beta*x, y),
 * which acts on G1 as multiplication by -x^2 (Montgomery form). */
extern const zg_fp_t zg__g1_beta;
/* k = k0 + k1*x^2 with k0, k1 < 2^128, for k < r (plain limbs). */
void zg__g1_glv_split(uint64_t k0[2], uint64_t k1[2], const uint64_t k[4]);
/* k = a0 + a1|x| + a2|x|^2 + a3|x|^3 with a_i < 2^64, for k < r. */
void zg__g2_gls_split(uint64_t a[4], const uint64_t k[4]);

#endif

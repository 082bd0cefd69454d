/*
 * bls_fp12.h — internals of the BLS12-381 field tower shared between
 * bls_fp.c, bls_fp2.c, bls_fp12.c and bls_pairing.c (not used elsewhere;
 * the stable internal API is bls_field.h).
 *
 * Conventions as in bls_field.h: Montgomery form, fully reduced values,
 * constant time unless named _var or _pub (public exponent), outputs may
 * alias inputs.
 */
#ifndef ZG_CRYPTO_BLS_FP12_H
#define ZG_CRYPTO_BLS_FP12_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/bls_field.h"

/* ---- Fp extras (bls_fp.c) ---- */
/* r = a^e for a public 6-limb exponent e (constant time in a). */
void zg__fp_pow_pub(zg_fp_t *r, const zg_fp_t *a, const uint64_t e[6]);
/* Nonzero when the x86-64 BMI2/ADX code paths are in use (set at start-up). */
extern int zg__fp_have_adx;
/* The portable C Montgomery product (what zg__fp_mul uses without ADX). */
void zg__fp_mul_portable(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b);
void zg__fp_add_portable(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b);
void zg__fp_sub_portable(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b);
/* r = a*b as a 768-bit integer (12 little-endian limbs), not reduced. */
void zg__fp_mul_wide(uint64_t r[12], const zg_fp_t *a, const zg_fp_t *b);
/* Montgomery reduction of in < p*2^384: r = in / 2^384 mod p. */
void zg__fp_redc(zg_fp_t *r, const uint64_t in[12]);

/* ---- Fr extras (bls_fr.c): the portable C paths, for the tests ---- */
void zg__fr_mul_portable(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b);
void zg__fr_add_portable(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b);
void zg__fr_sub_portable(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b);

/* ---- Fp2 extras (bls_fp2.c) ---- */
/* The portable C Karatsuba product (what zg__fp2_mul uses without ADX). */
void zg__fp2_mul_portable(zg_fp2_t *r, const zg_fp2_t *a, const zg_fp2_t *b);
/* r = a^e for a public 6-limb exponent e (constant time in a). */
void zg__fp2_pow_pub(zg_fp2_t *r, const zg_fp2_t *a, const uint64_t e[6]);

/* ---- Fp6 = Fp2[v] / (v^3 - (u + 1)) and Fp12 extras (bls_fp12.c) ---- */
void zg__fp6_add(zg_fp6_t *r, const zg_fp6_t *a, const zg_fp6_t *b);
void zg__fp6_sub(zg_fp6_t *r, const zg_fp6_t *a, const zg_fp6_t *b);
void zg__fp6_neg(zg_fp6_t *r, const zg_fp6_t *a);
void zg__fp6_mul(zg_fp6_t *r, const zg_fp6_t *a, const zg_fp6_t *b);
void zg__fp6_sqr(zg_fp6_t *r, const zg_fp6_t *a);
void zg__fp6_mul_by_v(zg_fp6_t *r, const zg_fp6_t *a); /* a * v */
void zg__fp6_inv(zg_fp6_t *r, const zg_fp6_t *a);

/* f *= l0 + l1*v + l3*v*w: the sparse shape of a Miller-loop line
 * evaluation (w^0, w^2 and w^3 coefficients). */
void zg__fp12_mul_by_line(zg_fp12_t *f, const zg_fp2_t *l0, const zg_fp2_t *l1, const zg_fp2_t *l3);
/* Squaring in the cyclotomic subgroup (Granger-Scott); a must satisfy
 * a^(p^4 - p^2 + 1) = 1, e.g. any output of the easy final exponentiation. */
void zg__fp12_cyclotomic_sqr(zg_fp12_t *r, const zg_fp12_t *a);
/* r = a^|x| with |x| = ZG__BLS_X, a in the cyclotomic subgroup. */
void zg__fp12_cyclotomic_exp_x(zg_fp12_t *r, const zg_fp12_t *a);

/* ---- Miller loop and final exponentiation (bls_pairing.c) ---- */
typedef struct {
  zg_fp_t x, y;
} zg__g1_aff_t; /* affine G1 point */
typedef struct {
  zg_fp2_t x, y;
} zg__g2_aff_t; /* affine G2 point */
typedef struct {
  zg_fp2_t x, y, z;
} zg__g2_proj_t; /* homogeneous (x = X/Z, y = Y/Z) */
/* One pair of a Miller loop: affine inputs and the running multiple T. */
typedef struct {
  zg__g1_aff_t p;
  zg__g2_aff_t q;
  zg__g2_proj_t t;
} zg__miller_pair_t;
/* f = prod_i f_{|x|, Q_i}(P_i), conjugated for the negative x: the product
 * of n Miller loops sharing their squarings. No point may be infinity;
 * each pair's t is overwritten. */
void zg__bls_miller_loop(zg_fp12_t *f, zg__miller_pair_t *pairs, size_t n);
/* r = f^(3 (p^12 - 1) / r): the final exponentiation (see bls_pairing.c
 * for the factor 3). */
void zg__bls_final_exp(zg_fp12_t *r, const zg_fp12_t *f);

#endif

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

#include <stdint.h>

#include "crypto/bls_field.h"

/* ---- Fp extras (bls_fp.c) ---- */
/* r = a^e for a public 6-limb exponent e (constant time in a). */
void zg__fp_pow_pub(zg_fp_t *r, const zg_fp_t *a, const uint64_t e[6]);
/* r = a*b as a 768-bit integer (12 little-endian limbs), not reduced. */
void zg__fp_mul_wide(uint64_t r[12], const zg_fp_t *a, const zg_fp_t *b);
/* Montgomery reduction of in < p*2^384: r = in / 2^384 mod p. */
void zg__fp_redc(zg_fp_t *r, const uint64_t in[12]);

/* ---- Fp2 extras (bls_fp2.c) ---- */
/* r = a^e for a public 6-limb exponent e (constant time in a). */
void zg__fp2_pow_pub(zg_fp2_t *r, const zg_fp2_t *a, const uint64_t e[6]);

#endif

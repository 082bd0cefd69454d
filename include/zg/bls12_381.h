/*
 * zg/bls12_381.h — the BLS12-381 groups: scalar field Fr, G1 (over Fp), G2
 * (over Fp2), GT (in Fp12), and the optimal ate pairing.
 *
 * Values are fixed-size structs. Field elements are kept in Montgomery form
 * and always fully reduced. Points are Jacobian (X, Y, Z) with Z = 0 for the
 * point at infinity; two representations of one point compare equal with
 * _eq. A point that came from bytes went through _parse/_deserialize, which
 * checks encoding, curve and subgroup: no unchecked point reaches a pairing
 * (STYLE.md point 8).
 *
 * Functions without _var are constant time in their secret inputs (scalars
 * of _mul, field values). _var functions may branch on their inputs and are
 * only for public data. Nothing here allocates: the MSM and multi-pairing
 * take caller scratch sized by their _scratch_size functions.
 */
#ifndef ZG_BLS12_381_H
#define ZG_BLS12_381_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

typedef struct { uint64_t l[6]; } zg_fp_t;          /* Fp, Montgomery form, < p */
typedef struct { zg_fp_t c0, c1; } zg_fp2_t;        /* c0 + c1*u, u^2 = -1 */
typedef struct { zg_fp2_t c0, c1, c2; } zg_fp6_t;   /* c0 + c1*v + c2*v^2, v^3 = u + 1 */
typedef struct { zg_fp6_t c0, c1; } zg_fp12_t;      /* c0 + c1*w, w^2 = v */
typedef struct { uint64_t l[4]; } zg_fr_t;          /* Fr, Montgomery form, < r */

typedef struct { zg_fp_t x, y, z; } zg_g1_t;        /* Jacobian, y^2 = x^3 + 4 */
typedef struct { zg_fp2_t x, y, z; } zg_g2_t;       /* Jacobian, y^2 = x^3 + 4(u + 1) */
typedef struct { zg_fp12_t v; } zg_gt_t;            /* element of the order-r subgroup of Fp12* */

#define ZG_G1_COMPRESSED_LEN 48
#define ZG_G1_UNCOMPRESSED_LEN 96
#define ZG_G2_COMPRESSED_LEN 96
#define ZG_G2_UNCOMPRESSED_LEN 192
#define ZG_FR_LEN 32

/* ---------------- Fr (src/crypto/bls_fr.c) ---------------- */

/* Parses a 32-byte big-endian scalar; ZG_ESCALAR when >= r. */
ZG_WARN_UNUSED zg_err_t zg_fr_from_be32(zg_fr_t *r, const uint8_t in[32]);
/* Same, little-endian. */
ZG_WARN_UNUSED zg_err_t zg_fr_from_le32(zg_fr_t *r, const uint8_t in[32]);
/* Interprets len big-endian bytes (any length) as an integer, reduced mod r. */
void zg_fr_from_be_reduce(zg_fr_t *r, const uint8_t *in, size_t len);
void zg_fr_to_be32(uint8_t out[32], const zg_fr_t *a);
void zg_fr_to_le32(uint8_t out[32], const zg_fr_t *a);
void zg_fr_from_u64(zg_fr_t *r, uint64_t v);
void zg_fr_set_zero(zg_fr_t *r);
void zg_fr_set_one(zg_fr_t *r);
void zg_fr_add(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b);
void zg_fr_sub(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b);
void zg_fr_neg(zg_fr_t *r, const zg_fr_t *a);
void zg_fr_mul(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b);
void zg_fr_sqr(zg_fr_t *r, const zg_fr_t *a);
/* Inverse; the inverse of 0 is 0. Constant time. */
void zg_fr_inv(zg_fr_t *r, const zg_fr_t *a);
/* a^e with e given as 4 little-endian 64-bit limbs (plain integer). */
void zg_fr_pow(zg_fr_t *r, const zg_fr_t *a, const uint64_t e[4]);
/* Inverts n elements at once (Montgomery's trick); zeros stay zero.
 * scratch holds n elements. */
void zg_fr_batch_inv(zg_fr_t *out, const zg_fr_t *in, size_t n, zg_fr_t *scratch);
bool zg_fr_is_zero(const zg_fr_t *a);
bool zg_fr_is_one(const zg_fr_t *a);
bool zg_fr_eq(const zg_fr_t *a, const zg_fr_t *b);
/* The plain (non-Montgomery) integer value as 4 little-endian limbs. */
void zg_fr_to_u64s(uint64_t out[4], const zg_fr_t *a);
/* From a plain integer < r given as 4 little-endian limbs (unchecked: the
 * caller guarantees < r; reduced once otherwise). */
void zg_fr_from_u64s(zg_fr_t *r, const uint64_t in[4]);

/* ---------------- G1 (src/crypto/bls_g1.c) ---------------- */

void zg_g1_generator(zg_g1_t *r);
void zg_g1_set_infinity(zg_g1_t *r);
bool zg_g1_is_infinity(const zg_g1_t *p);
bool zg_g1_eq(const zg_g1_t *a, const zg_g1_t *b);
void zg_g1_add(zg_g1_t *r, const zg_g1_t *a, const zg_g1_t *b); /* complete: handles a == b, inf */
void zg_g1_dbl(zg_g1_t *r, const zg_g1_t *a);
void zg_g1_neg(zg_g1_t *r, const zg_g1_t *a);
void zg_g1_sub(zg_g1_t *r, const zg_g1_t *a, const zg_g1_t *b);
/* k*P, constant time in k (use for secret scalars). */
void zg_g1_mul(zg_g1_t *r, const zg_g1_t *p, const zg_fr_t *k);
/* k*P for public k (GLV + wNAF). */
void zg_g1_mul_var(zg_g1_t *r, const zg_g1_t *p, const zg_fr_t *k);
bool zg_g1_is_on_curve(const zg_g1_t *p);
/* Prime-order subgroup membership (fast endomorphism test). */
bool zg_g1_in_subgroup(const zg_g1_t *p);
/* Converts to Z = 1 (or the canonical infinity) in place. */
void zg_g1_normalize(zg_g1_t *p);
/* Normalizes n points with one inversion. */
void zg_g1_normalize_batch(zg_g1_t *p, size_t n);
/* sum(scalars[i] * points[i]) for public data (Pippenger). */
size_t zg_g1_msm_scratch_size(size_t n);
void zg_g1_msm_var(zg_g1_t *r, const zg_g1_t *points, const zg_fr_t *scalars, size_t n, void *scratch);

/* ZCash/IETF encodings: compressed 48 bytes (flags in the top 3 bits of the
 * first byte: C=compressed, I=infinity, S=sign of y), uncompressed 96.
 * Parsing fails with ZG_EBADLEN, ZG_EFLAGS, ZG_EFIELD (coordinate >= p),
 * ZG_ENOTONCURVE, ZG_ESUBGROUP. */
void zg_g1_serialize(uint8_t out[48], const zg_g1_t *p);
void zg_g1_serialize_uncompressed(uint8_t out[96], const zg_g1_t *p);
ZG_WARN_UNUSED zg_err_t zg_g1_deserialize(zg_g1_t *r, const uint8_t *in, size_t len); /* 48 or 96 bytes */

/* ---------------- G2 (src/crypto/bls_g2.c) ---------------- */

void zg_g2_generator(zg_g2_t *r);
void zg_g2_set_infinity(zg_g2_t *r);
bool zg_g2_is_infinity(const zg_g2_t *p);
bool zg_g2_eq(const zg_g2_t *a, const zg_g2_t *b);
void zg_g2_add(zg_g2_t *r, const zg_g2_t *a, const zg_g2_t *b);
void zg_g2_dbl(zg_g2_t *r, const zg_g2_t *a);
void zg_g2_neg(zg_g2_t *r, const zg_g2_t *a);
void zg_g2_sub(zg_g2_t *r, const zg_g2_t *a, const zg_g2_t *b);
void zg_g2_mul(zg_g2_t *r, const zg_g2_t *p, const zg_fr_t *k);
void zg_g2_mul_var(zg_g2_t *r, const zg_g2_t *p, const zg_fr_t *k);
bool zg_g2_is_on_curve(const zg_g2_t *p);
bool zg_g2_in_subgroup(const zg_g2_t *p);
void zg_g2_normalize(zg_g2_t *p);
void zg_g2_normalize_batch(zg_g2_t *p, size_t n);
size_t zg_g2_msm_scratch_size(size_t n);
void zg_g2_msm_var(zg_g2_t *r, const zg_g2_t *points, const zg_fr_t *scalars, size_t n, void *scratch);
void zg_g2_serialize(uint8_t out[96], const zg_g2_t *p);
void zg_g2_serialize_uncompressed(uint8_t out[192], const zg_g2_t *p);
ZG_WARN_UNUSED zg_err_t zg_g2_deserialize(zg_g2_t *r, const uint8_t *in, size_t len); /* 96 or 192 bytes */

/* ---------------- pairing (src/crypto/bls_pairing.c) ---------------- */

/* e(P, Q). */
void zg_pairing(zg_gt_t *r, const zg_g1_t *p, const zg_g2_t *q);
/* prod e(P_i, Q_i) with one shared final exponentiation. Pairs with an
 * infinity point contribute 1. scratch: zg_multi_pairing_scratch_size(n). */
size_t zg_multi_pairing_scratch_size(size_t n);
void zg_multi_pairing(zg_gt_t *r, const zg_g1_t *ps, const zg_g2_t *qs, size_t n, void *scratch);
/* true when prod e(P_i, Q_i) == 1 (the form every verification takes). */
bool zg_pairing_check(const zg_g1_t *ps, const zg_g2_t *qs, size_t n, void *scratch);
bool zg_gt_eq(const zg_gt_t *a, const zg_gt_t *b);
bool zg_gt_is_one(const zg_gt_t *a);
void zg_gt_mul(zg_gt_t *r, const zg_gt_t *a, const zg_gt_t *b);

#endif

/*
 * bls_field.h — internal arithmetic of the BLS12-381 base field Fp and its
 * extensions Fp2, Fp6, Fp12, plus curve internals shared by the hash-to-curve
 * and signature code. Not a public API: only src/crypto includes it.
 *
 * Fp: 6x64-bit limbs, Montgomery form (R = 2^384), values always < p.
 * Everything is constant time unless its name ends in _var.
 * Outputs may alias inputs everywhere.
 */
#ifndef ZG_CRYPTO_BLS_FIELD_H
#define ZG_CRYPTO_BLS_FIELD_H

#include <stdbool.h>
#include <stdint.h>

#include "zg/bls12_381.h"

/* ---- Fp (bls_fp.c) ---- */
extern const zg_fp_t zg__fp_zero, zg__fp_one; /* one in Montgomery form */
void zg__fp_add(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b);
void zg__fp_sub(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b);
void zg__fp_neg(zg_fp_t *r, const zg_fp_t *a);
void zg__fp_dbl(zg_fp_t *r, const zg_fp_t *a);
void zg__fp_mul(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b);
void zg__fp_sqr(zg_fp_t *r, const zg_fp_t *a);
void zg__fp_inv(zg_fp_t *r, const zg_fp_t *a); /* inv(0) = 0 */
/* Sets r to a square root of a and returns true when a is a square; when it
 * is not, returns false and r is unspecified (but defined). */
bool zg__fp_sqrt(zg_fp_t *r, const zg_fp_t *a);
bool zg__fp_is_square(const zg_fp_t *a);
/* sgn0 of RFC 9380 section 4.1 (parity of the canonical integer). */
int zg__fp_sgn0(const zg_fp_t *a);
/* r = c ? a : r, constant time. */
void zg__fp_cmov(zg_fp_t *r, const zg_fp_t *a, bool c);
bool zg__fp_is_zero(const zg_fp_t *a);
bool zg__fp_eq(const zg_fp_t *a, const zg_fp_t *b);
/* "Lexicographically largest" of the ZCash encoding: a > (p-1)/2. */
bool zg__fp_is_lex_largest(const zg_fp_t *a);
/* 48-byte big-endian <-> Fp. from_be48 fails with ZG_EFIELD when >= p. */
ZG_WARN_UNUSED zg_err_t zg__fp_from_be48(zg_fp_t *r, const uint8_t in[48]);
void zg__fp_to_be48(uint8_t out[48], const zg_fp_t *a);
/* 64 big-endian bytes reduced mod p (hash_to_field with L = 64). */
void zg__fp_from_be64_reduce(zg_fp_t *r, const uint8_t in[64]);
void zg__fp_from_u64(zg_fp_t *r, uint64_t v);

/* ---- Fp2 (bls_fp2.c) ---- */
extern const zg_fp2_t zg__fp2_zero, zg__fp2_one;
void zg__fp2_add(zg_fp2_t *r, const zg_fp2_t *a, const zg_fp2_t *b);
void zg__fp2_sub(zg_fp2_t *r, const zg_fp2_t *a, const zg_fp2_t *b);
void zg__fp2_neg(zg_fp2_t *r, const zg_fp2_t *a);
void zg__fp2_dbl(zg_fp2_t *r, const zg_fp2_t *a);
void zg__fp2_mul(zg_fp2_t *r, const zg_fp2_t *a, const zg_fp2_t *b);
void zg__fp2_sqr(zg_fp2_t *r, const zg_fp2_t *a);
void zg__fp2_mul_fp(zg_fp2_t *r, const zg_fp2_t *a, const zg_fp_t *b);
void zg__fp2_mul_by_xi(zg_fp2_t *r, const zg_fp2_t *a); /* a * (u + 1) */
void zg__fp2_conj(zg_fp2_t *r, const zg_fp2_t *a);      /* = Frobenius */
void zg__fp2_inv(zg_fp2_t *r, const zg_fp2_t *a);
bool zg__fp2_sqrt(zg_fp2_t *r, const zg_fp2_t *a);
bool zg__fp2_is_square(const zg_fp2_t *a);
int zg__fp2_sgn0(const zg_fp2_t *a); /* RFC 9380 sgn0 for m = 2 */
void zg__fp2_cmov(zg_fp2_t *r, const zg_fp2_t *a, bool c);
bool zg__fp2_is_zero(const zg_fp2_t *a);
bool zg__fp2_eq(const zg_fp2_t *a, const zg_fp2_t *b);
/* ZCash order for the sign flag: compare c1, then c0 when c1 == 0. */
bool zg__fp2_is_lex_largest(const zg_fp2_t *a);

/* ---- Fp6 / Fp12 (bls_fp12.c): used by the pairing; see that file. ---- */
void zg__fp12_one(zg_fp12_t *r);
void zg__fp12_mul(zg_fp12_t *r, const zg_fp12_t *a, const zg_fp12_t *b);
void zg__fp12_sqr(zg_fp12_t *r, const zg_fp12_t *a);
void zg__fp12_inv(zg_fp12_t *r, const zg_fp12_t *a);
void zg__fp12_conj(zg_fp12_t *r, const zg_fp12_t *a);
void zg__fp12_frobenius(zg_fp12_t *r, const zg_fp12_t *a, int power);
bool zg__fp12_eq(const zg_fp12_t *a, const zg_fp12_t *b);
bool zg__fp12_is_one(const zg_fp12_t *a);

/* ---- curve internals (bls_g1.c / bls_g2.c) ---- */
/* The curve parameter |x| = 0xd201000000010000 (x is negative). */
#define ZG__BLS_X 0xd201000000010000ull
/* r = k*P for a small public integer k (variable time). */
void zg__g1_mul_u64_var(zg_g1_t *r, const zg_g1_t *p, uint64_t k);
void zg__g2_mul_u64_var(zg_g2_t *r, const zg_g2_t *p, uint64_t k);
/* r = k*P, k given as nlimbs little-endian 64-bit limbs, variable time. */
void zg__g1_mul_limbs_var(zg_g1_t *r, const zg_g1_t *p, const uint64_t *k, size_t nlimbs);
void zg__g2_mul_limbs_var(zg_g2_t *r, const zg_g2_t *p, const uint64_t *k, size_t nlimbs);
/* psi = untwist-Frobenius-twist endomorphism of E2 (RFC 9380 G.3). */
void zg__g2_psi(zg_g2_t *r, const zg_g2_t *p);
/* Affine (x, y) -> Jacobian with Z = 1. */
void zg__g1_from_affine(zg_g1_t *r, const zg_fp_t *x, const zg_fp_t *y);
void zg__g2_from_affine(zg_g2_t *r, const zg_fp2_t *x, const zg_fp2_t *y);

#endif

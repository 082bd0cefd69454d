/*
 * bls_fp.c — the BLS12-381 base field Fp, p = 0x1a0111ea...ffffaaab (381 bits).
 *
 * Elements are 6 little-endian 64-bit limbs in Montgomery form (a*R mod p,
 * R = 2^384) and always fully reduced (< p). Multiplication is CIOS
 * Montgomery with the "no final carry" shortcut, valid because the top limb
 * of p is below 2^63 - 1: the running value then never needs a 7th limb.
 *
 * Everything here is constant time in the field values: no branch and no
 * memory index depends on them. Exponentiations (inverse, square root,
 * Legendre symbol) use fixed public exponents, so their square-and-multiply
 * schedule is public. Outputs may alias inputs everywhere.
 *
 * On x86-64 the product, squaring, addition and subtraction run on the
 * kernels of bls_asm_x86_64.c (mulx/adcx/adox when cpuid reports BMI2 and
 * ADX); the C below is the portable path and the reference the tests
 * compare them with. ZG_VERIFY builds check that operands are reduced.
 */
#include <string.h>

#include "crypto/bls_field.h"
#include "crypto/bls_fp12.h"

typedef unsigned __int128 u128;

static const uint64_t P[6] = {0xb9feffffffffaaabull, 0x1eabfffeb153ffffull, 0x6730d2a0f6b0f624ull,
                              0x64774b84f38512bfull, 0x4b1ba7b6434bacd7ull, 0x1a0111ea397fe69aull};
/* -p^-1 mod 2^64. */
#define P_N0 0x89f3fffcfffcfffdull
/* R^2 mod p, to enter Montgomery form. */
static const zg_fp_t R2 = {{0xf4df1f341c341746ull, 0x0a76e6a609d104f1ull, 0x8de5476c4c95b6d5ull,
                            0x67eb88a9939d83c0ull, 0x9a793e85b519952dull, 0x11988fe592cae3aaull}};
/* R^3 mod p: Montgomery-multiplying by it turns x / R into x R. */
static const zg_fp_t R3 = {{0xed48ac6bd94ca1e0ull, 0x315f831e03a7adf8ull, 0x9a53352a615e29ddull,
                            0x34c04e5e921e1761ull, 0x2512d43565724728ull, 0x0aa6346091755d4dull}};
/* Public exponents: p - 2 (Fermat inverse), (p + 1) / 4 (square root),
 * (p - 1) / 2 (Legendre symbol, and the "lexicographically largest" bound). */
static const uint64_t P_MINUS_2[6] = {0xb9feffffffffaaa9ull, 0x1eabfffeb153ffffull, 0x6730d2a0f6b0f624ull,
                                      0x64774b84f38512bfull, 0x4b1ba7b6434bacd7ull, 0x1a0111ea397fe69aull};
static const uint64_t P_PLUS_1_DIV_4[6] = {0xee7fbfffffffeaabull, 0x07aaffffac54ffffull,
                                           0xd9cc34a83dac3d89ull, 0xd91dd2e13ce144afull,
                                           0x92c6e9ed90d2eb35ull, 0x0680447a8e5ff9a6ull};
static const uint64_t P_MINUS_1_DIV_2[6] = {0xdcff7fffffffd555ull, 0x0f55ffff58a9ffffull,
                                            0xb39869507b587b12ull, 0xb23ba5c279c2895full,
                                            0x258dd3db21a5d66bull, 0x0d0088f51cbff34dull};

const zg_fp_t zg__fp_zero = {{0, 0, 0, 0, 0, 0}};
const zg_fp_t zg__fp_one = {{0x760900000002fffdull, 0xebf4000bc40c0002ull, 0x5f48985753c758baull,
                             0x77ce585370525745ull, 0x5c071a97a256ec6dull, 0x15f65ec3fa80e493ull}};

/* ZG_VERIFY builds check that every element entering or leaving the core
 * operations is fully reduced (a violation is a bug here, never bad input). */
#ifdef ZG_VERIFY
#include <stdio.h>
#include <stdlib.h>
static void fp_verify(const zg_fp_t *a, const char *where) {
  uint64_t borrow = 0;
  for (int i = 0; i < 6; i++) {
    u128 x = (u128)a->l[i] - P[i] - borrow;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  if (!borrow) {
    fprintf(stderr, "zg: bls_fp invariant violated in %s: element >= p\n", where);
    abort();
  }
}
#define FP_VERIFY(a) fp_verify((a), __func__)
#else
#define FP_VERIFY(a) ((void)0)
#endif

/* r = t - p if t >= p else t; t < 2p. */
static inline void fp_reduce_once(uint64_t r[6], const uint64_t t[6]) {
  uint64_t d[6], borrow = 0;
  for (int i = 0; i < 6; i++) {
    u128 x = (u128)t[i] - P[i] - borrow;
    d[i] = (uint64_t)x;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  uint64_t keep = 0 - borrow; /* all ones when t < p */
  for (int i = 0; i < 6; i++) r[i] = (t[i] & keep) | (d[i] & ~keep);
}

static void fp_add_c(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) {
  uint64_t t[6];
  u128 c = 0;
  for (int i = 0; i < 6; i++) {
    c += (u128)a->l[i] + b->l[i];
    t[i] = (uint64_t)c;
    c >>= 64;
  }
  fp_reduce_once(r->l, t); /* a + b < 2p < 2^384: no carry out */
}

static void fp_sub_c(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) {
  uint64_t t[6], borrow = 0;
  for (int i = 0; i < 6; i++) {
    u128 x = (u128)a->l[i] - b->l[i] - borrow;
    t[i] = (uint64_t)x;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  uint64_t mask = 0 - borrow; /* add p back when a < b */
  u128 c = 0;
  for (int i = 0; i < 6; i++) {
    c += (u128)t[i] + (P[i] & mask);
    r->l[i] = (uint64_t)c;
    c >>= 64;
  }
}

void zg__fp_neg(zg_fp_t *r, const zg_fp_t *a) {
  /* p - a, then zero when a was zero (p - 0 = p is not reduced). */
  uint64_t acc = 0, t[6], borrow = 0;
  for (int i = 0; i < 6; i++) acc |= a->l[i];
  uint64_t nz = 0 - ((acc | (0 - acc)) >> 63);
  for (int i = 0; i < 6; i++) {
    u128 x = (u128)P[i] - a->l[i] - borrow;
    t[i] = (uint64_t)x;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  for (int i = 0; i < 6; i++) r->l[i] = t[i] & nz;
}

/* Montgomery product a*b/R mod p (CIOS, no-carry variant), a, b < p. */
static inline void fp_mont_mul(uint64_t r[6], const uint64_t a[6], const uint64_t b[6]) {
  uint64_t t[6] = {0, 0, 0, 0, 0, 0};
#pragma GCC unroll 6
  for (int i = 0; i < 6; i++) {
    u128 s = (u128)a[0] * b[i] + t[0];
    uint64_t A = (uint64_t)(s >> 64), t0 = (uint64_t)s;
    uint64_t m = t0 * P_N0;
    u128 c = (u128)m * P[0] + t0;
    uint64_t C = (uint64_t)(c >> 64);
#pragma GCC unroll 5
    for (int j = 1; j < 6; j++) {
      s = (u128)a[j] * b[i] + t[j] + A;
      A = (uint64_t)(s >> 64);
      c = (u128)m * P[j] + (uint64_t)s + C;
      C = (uint64_t)(c >> 64);
      t[j - 1] = (uint64_t)c;
    }
    t[5] = C + A;
  }
  fp_reduce_once(r, t);
}

/* On x86-64 the products, squarings, additions and subtractions go to the
 * kernels of bls_asm_x86_64.c (about 1.5x, 1.5x and 4x faster than the C
 * here, which stays the portable path and the tests' reference). */
void zg__fp_mul(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) {
  FP_VERIFY(a);
  FP_VERIFY(b);
#if ZG_BLS_ASM
  if (zg__bls_have_adx) {
    zg__fp_mont_mul_adx(r->l, a->l, b->l);
    FP_VERIFY(r);
    return;
  }
#endif
  fp_mont_mul(r->l, a->l, b->l);
  FP_VERIFY(r);
}

void zg__fp_sqr(zg_fp_t *r, const zg_fp_t *a) {
  FP_VERIFY(a);
#if ZG_BLS_ASM
  if (zg__bls_have_adx) {
    zg__fp_sqr_adx(r->l, a->l);
    FP_VERIFY(r);
    return;
  }
#endif
  fp_mont_mul(r->l, a->l, a->l);
  FP_VERIFY(r);
}

void zg__fp_add(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) {
  FP_VERIFY(a);
  FP_VERIFY(b);
#if ZG_BLS_ASM
  zg__fp_add_x64(r->l, a->l, b->l);
#else
  fp_add_c(r, a, b);
#endif
  FP_VERIFY(r);
}

void zg__fp_sub(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) {
  FP_VERIFY(a);
  FP_VERIFY(b);
#if ZG_BLS_ASM
  zg__fp_sub_x64(r->l, a->l, b->l);
#else
  fp_sub_c(r, a, b);
#endif
  FP_VERIFY(r);
}

void zg__fp_dbl(zg_fp_t *r, const zg_fp_t *a) { zg__fp_add(r, a, a); }

void zg__fp_add_portable(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) { fp_add_c(r, a, b); }

void zg__fp_sub_portable(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) { fp_sub_c(r, a, b); }

void zg__fp_mul_portable(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) { fp_mont_mul(r->l, a->l, b->l); }

/* 768-bit product and Montgomery reduction, for lazily reduced extension
 * arithmetic (see bls_fp12.h). */
void zg__fp_mul_wide(uint64_t r[12], const zg_fp_t *a, const zg_fp_t *b) {
  uint64_t t[12] = {0};
  for (int i = 0; i < 6; i++) {
    uint64_t c = 0;
    for (int j = 0; j < 6; j++) {
      u128 s = (u128)a->l[j] * b->l[i] + t[i + j] + c;
      t[i + j] = (uint64_t)s;
      c = (uint64_t)(s >> 64);
    }
    t[i + 6] = c;
  }
  memcpy(r, t, sizeof t);
}

void zg__fp_redc(zg_fp_t *r, const uint64_t in[12]) {
  /* Input < p*R; output in*R^-1 mod p. */
  uint64_t t[12];
  memcpy(t, in, sizeof t);
  uint64_t hi = 0; /* carry into limb i + 6 from the previous round */
  for (int i = 0; i < 6; i++) {
    uint64_t m = t[i] * P_N0, c = 0;
    for (int j = 0; j < 6; j++) {
      u128 s = (u128)m * P[j] + t[i + j] + c;
      t[i + j] = (uint64_t)s;
      c = (uint64_t)(s >> 64);
    }
    u128 s = (u128)t[i + 6] + c + hi;
    t[i + 6] = (uint64_t)s;
    hi = (uint64_t)(s >> 64);
  }
  fp_reduce_once(r->l, t + 6); /* < 2p since in < p*R */
  FP_VERIFY(r);
}

void zg__fp_cmov(zg_fp_t *r, const zg_fp_t *a, bool c) {
  uint64_t mask = 0 - (uint64_t)c;
  for (int i = 0; i < 6; i++) r->l[i] = (r->l[i] & ~mask) | (a->l[i] & mask);
}

bool zg__fp_is_zero(const zg_fp_t *a) {
  uint64_t acc = 0;
  for (int i = 0; i < 6; i++) acc |= a->l[i];
  return (bool)(1 ^ ((acc | (0 - acc)) >> 63));
}

bool zg__fp_eq(const zg_fp_t *a, const zg_fp_t *b) {
  uint64_t acc = 0;
  for (int i = 0; i < 6; i++) acc |= a->l[i] ^ b->l[i];
  return (bool)(1 ^ ((acc | (0 - acc)) >> 63));
}

/* a^e for a public exponent e (6 limbs), fixed 4-bit windows. */
void zg__fp_pow_pub(zg_fp_t *r, const zg_fp_t *a, const uint64_t e[6]) {
  zg_fp_t tab[16], acc;
  tab[0] = zg__fp_one;
  tab[1] = *a;
  for (int i = 2; i < 16; i++) zg__fp_mul(&tab[i], &tab[i - 1], a);
  acc = zg__fp_one;
  for (int i = 95; i >= 0; i--) {
    for (int k = 0; k < 4; k++) zg__fp_sqr(&acc, &acc);
    unsigned w = (unsigned)(e[i / 16] >> (4 * (i % 16))) & 15;
    if (w) zg__fp_mul(&acc, &acc, &tab[w]); /* branch on the public exponent only */
  }
  *r = acc;
}

void zg__fp_inv(zg_fp_t *r, const zg_fp_t *a) { zg__fp_pow_pub(r, a, P_MINUS_2); }

bool zg__fp_sqrt(zg_fp_t *r, const zg_fp_t *a) {
  zg_fp_t s, c;
  zg__fp_pow_pub(&s, a, P_PLUS_1_DIV_4);
  zg__fp_sqr(&c, &s);
  *r = s;
  return zg__fp_eq(&c, a);
}

bool zg__fp_is_square(const zg_fp_t *a) {
  zg_fp_t l;
  zg__fp_pow_pub(&l, a, P_MINUS_1_DIV_2);
  return (bool)((int)zg__fp_eq(&l, &zg__fp_one) | (int)zg__fp_is_zero(a));
}

/* The canonical integer of a (out of Montgomery form). */
static void fp_to_int(uint64_t out[6], const zg_fp_t *a) {
  static const uint64_t one[6] = {1, 0, 0, 0, 0, 0};
  fp_mont_mul(out, a->l, one);
}

int zg__fp_sgn0(const zg_fp_t *a) {
  uint64_t t[6];
  fp_to_int(t, a);
  return (int)(t[0] & 1);
}

bool zg__fp_is_lex_largest(const zg_fp_t *a) {
  uint64_t t[6], borrow = 0;
  fp_to_int(t, a);
  for (int i = 0; i < 6; i++) { /* (p-1)/2 - a borrows iff a > (p-1)/2 */
    u128 x = (u128)P_MINUS_1_DIV_2[i] - t[i] - borrow;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  return (bool)borrow;
}

static uint64_t load_be64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}

static void store_be64(uint8_t *p, uint64_t v) {
  for (int i = 7; i >= 0; i--) {
    p[i] = (uint8_t)v;
    v >>= 8;
  }
}

zg_err_t zg__fp_from_be48(zg_fp_t *r, const uint8_t in[48]) {
  uint64_t t[6], borrow = 0;
  for (int i = 0; i < 6; i++) t[i] = load_be64(in + 8 * (5 - i));
  for (int i = 0; i < 6; i++) { /* t - p borrows iff t < p */
    u128 x = (u128)t[i] - P[i] - borrow;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  if (!borrow) {
    *r = zg__fp_zero;
    return ZG_EFIELD;
  }
  fp_mont_mul(r->l, t, R2.l);
  return ZG_OK;
}

void zg__fp_to_be48(uint8_t out[48], const zg_fp_t *a) {
  uint64_t t[6];
  fp_to_int(t, a);
  for (int i = 0; i < 6; i++) store_be64(out + 8 * (5 - i), t[i]);
}

void zg__fp_from_u64(zg_fp_t *r, uint64_t v) {
  uint64_t t[6] = {v, 0, 0, 0, 0, 0};
  fp_mont_mul(r->l, t, R2.l);
}

void zg__fp_from_be64_reduce(zg_fp_t *r, const uint8_t in[64]) {
  /* REDC(in) = in / R mod p (in < 2^512 < p R), then times R^3 in
   * Montgomery form: in R mod p, the Montgomery form of in mod p. */
  uint64_t t[12] = {0};
  zg_fp_t x;
  for (int k = 0; k < 8; k++) t[k] = load_be64(in + 8 * (7 - k));
  zg__fp_redc(&x, t);
  zg__fp_mul(r, &x, &R3);
}

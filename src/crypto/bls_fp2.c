/*
 * bls_fp2.c — Fp2 = Fp[u] / (u^2 + 1), the field of G2's coordinates.
 *
 * An element is c0 + c1*u with both halves in Fp (Montgomery form, fully
 * reduced). Multiplication is Karatsuba (3 Fp products), squaring the
 * complex-squaring formula (2 products). Everything is constant time in the
 * values: the square root computes both candidates of its case split and
 * selects with cmov, and its exponentiations use public exponents.
 * Outputs may alias inputs.
 */
#include "crypto/bls_field.h"
#include "crypto/bls_fp12.h"

const zg_fp2_t zg__fp2_zero = {{{0, 0, 0, 0, 0, 0}}, {{0, 0, 0, 0, 0, 0}}};
const zg_fp2_t zg__fp2_one = {{{0x760900000002fffdull, 0xebf4000bc40c0002ull, 0x5f48985753c758baull,
                                0x77ce585370525745ull, 0x5c071a97a256ec6dull, 0x15f65ec3fa80e493ull}},
                              {{0, 0, 0, 0, 0, 0}}};

/* Exponents of the square roots in Fp: (p - 3) / 4 and (p + 1) / 4. */
static const uint64_t P_MINUS_3_DIV_4[6] = {0xee7fbfffffffeaaaull, 0x07aaffffac54ffffull,
                                            0xd9cc34a83dac3d89ull, 0xd91dd2e13ce144afull,
                                            0x92c6e9ed90d2eb35ull, 0x0680447a8e5ff9a6ull};
static const uint64_t P_PLUS_1_DIV_4[6] = {0xee7fbfffffffeaabull, 0x07aaffffac54ffffull,
                                           0xd9cc34a83dac3d89ull, 0xd91dd2e13ce144afull,
                                           0x92c6e9ed90d2eb35ull, 0x0680447a8e5ff9a6ull};
/* 1/2 in Montgomery form. */
static const zg_fp_t INV2 = {{0x1804000000015554ull, 0x855000053ab00001ull, 0x633cb57c253c276full,
                              0x6e22d1ec31ebb502ull, 0xd3916126f2d14ca2ull, 0x17fbb8571a006596ull}};

void zg__fp2_add(zg_fp2_t *r, const zg_fp2_t *a, const zg_fp2_t *b) {
  zg__fp_add(&r->c0, &a->c0, &b->c0);
  zg__fp_add(&r->c1, &a->c1, &b->c1);
}

void zg__fp2_sub(zg_fp2_t *r, const zg_fp2_t *a, const zg_fp2_t *b) {
  zg__fp_sub(&r->c0, &a->c0, &b->c0);
  zg__fp_sub(&r->c1, &a->c1, &b->c1);
}

void zg__fp2_neg(zg_fp2_t *r, const zg_fp2_t *a) {
  zg__fp_neg(&r->c0, &a->c0);
  zg__fp_neg(&r->c1, &a->c1);
}

void zg__fp2_dbl(zg_fp2_t *r, const zg_fp2_t *a) {
  zg__fp_dbl(&r->c0, &a->c0);
  zg__fp_dbl(&r->c1, &a->c1);
}

/* x86-64 with BMI2 and ADX: zg__fp2_mul_adx (bls_asm_x86_64.c) is the same
 * Karatsuba product with lazy reduction: the three 768-bit products
 * a0 b0, a1 b1, (a0 + a1)(b0 + b1) combined into t0 = a0 b0 - a1 b1 (plus
 * p 2^384 when negative) and t1 = a0 b1 + a1 b0, both < p 2^384, and only
 * those two reduced: two Montgomery reductions instead of three, about 20%
 * faster than three Montgomery products. */

void zg__fp2_mul(zg_fp2_t *r, const zg_fp2_t *a, const zg_fp2_t *b) {
#if ZG_BLS_ASM
  if (zg__bls_have_adx) {
    zg__fp2_mul_adx(r, a, b);
    return;
  }
#endif
  zg__fp2_mul_portable(r, a, b);
}

void zg__fp2_mul_portable(zg_fp2_t *r, const zg_fp2_t *a, const zg_fp2_t *b) {
  /* (a0 + a1 u)(b0 + b1 u) = (a0 b0 - a1 b1) + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) u */
  zg_fp_t t0, t1, sa, sb;
  zg__fp_mul(&t0, &a->c0, &b->c0);
  zg__fp_mul(&t1, &a->c1, &b->c1);
  zg__fp_add(&sa, &a->c0, &a->c1);
  zg__fp_add(&sb, &b->c0, &b->c1);
  zg__fp_mul(&sa, &sa, &sb);
  zg__fp_sub(&r->c0, &t0, &t1);
  zg__fp_sub(&sa, &sa, &t0);
  zg__fp_sub(&r->c1, &sa, &t1);
}

void zg__fp2_sqr(zg_fp2_t *r, const zg_fp2_t *a) {
#if ZG_BLS_ASM
  if (zg__bls_have_adx) {
    zg__fp2_sqr_adx(r, a);
    return;
  }
#endif
  zg__fp2_sqr_portable(r, a);
}

void zg__fp2_sqr_portable(zg_fp2_t *r, const zg_fp2_t *a) {
  /* (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u */
  zg_fp_t s, d, m;
  zg__fp_add(&s, &a->c0, &a->c1);
  zg__fp_sub(&d, &a->c0, &a->c1);
  zg__fp_mul(&m, &a->c0, &a->c1);
  zg__fp_mul(&r->c0, &s, &d);
  zg__fp_dbl(&r->c1, &m);
}

void zg__fp2_mul_fp(zg_fp2_t *r, const zg_fp2_t *a, const zg_fp_t *b) {
  zg__fp_mul(&r->c0, &a->c0, b);
  zg__fp_mul(&r->c1, &a->c1, b);
}

void zg__fp2_mul_by_xi(zg_fp2_t *r, const zg_fp2_t *a) {
  /* (a0 + a1 u)(1 + u) = (a0 - a1) + (a0 + a1) u */
  zg_fp_t t;
  zg__fp_sub(&t, &a->c0, &a->c1);
  zg__fp_add(&r->c1, &a->c0, &a->c1);
  r->c0 = t;
}

void zg__fp2_conj(zg_fp2_t *r, const zg_fp2_t *a) {
  r->c0 = a->c0;
  zg__fp_neg(&r->c1, &a->c1);
}

/* The norm a0^2 + a1^2 (u^2 = -1), in Fp. */
static void fp2_norm(zg_fp_t *n, const zg_fp2_t *a) {
  zg_fp_t t;
  zg__fp_sqr(n, &a->c0);
  zg__fp_sqr(&t, &a->c1);
  zg__fp_add(n, n, &t);
}

void zg__fp2_inv(zg_fp2_t *r, const zg_fp2_t *a) {
  /* 1/a = conj(a) / N(a); N(0) = 0 inverts to 0, giving 0. */
  zg_fp_t n;
  fp2_norm(&n, a);
  zg__fp_inv(&n, &n);
  zg__fp_mul(&r->c0, &a->c0, &n);
  zg__fp_mul(&n, &a->c1, &n);
  zg__fp_neg(&r->c1, &n);
}

/* a^e for a public 6-limb exponent, fixed 4-bit windows. */
void zg__fp2_pow_pub(zg_fp2_t *r, const zg_fp2_t *a, const uint64_t e[6]) {
  zg_fp2_t tab[16], acc;
  tab[0] = zg__fp2_one;
  tab[1] = *a;
  for (int i = 2; i < 16; i++) zg__fp2_mul(&tab[i], &tab[i - 1], a);
  acc = zg__fp2_one;
  for (int i = 95; i >= 0; i--) {
    for (int k = 0; k < 4; k++) zg__fp2_sqr(&acc, &acc);
    unsigned w = (unsigned)(e[i / 16] >> (4 * (i % 16))) & 15;
    if (w) zg__fp2_mul(&acc, &acc, &tab[w]); /* branch on the public exponent only */
  }
  *r = acc;
}

bool zg__fp2_sqrt(zg_fp2_t *r, const zg_fp2_t *a) {
  /* The "complex" method with two Fp exponentiations (not two in Fp2).
   * With N = a0^2 + a1^2 and l = sqrt(N), a root x0 + x1 u has
   * x0^2 = d = (a0 + l)/2 or (a0 - l)/2, whichever is a square (their
   * product -a1^2/4 is a non-square when a1 != 0), and x1 = a1 / (2 x0).
   * With t = d^((p-3)/4):
   *   d square:     x0 = t d,       x1 = a1 t / 2   (1/x0 = t);
   *   d non-square: x0 = a1 t / 2,  x1 = -t d       (a root of the other d).
   * d = 0 happens only when a1 = 0 and l = -a0; then d = a0 is used, and the
   * same two cases give (sqrt(a0), 0) or (0, sqrt(-a0)). Both cases are
   * computed and one is selected by cmov; the final check decides. */
  zg_fp_t n, l, d, t, td, at, s, chk;
  zg_fp2_t x, y, c;
  zg__fp_sqr(&n, &a->c0);
  zg__fp_sqr(&s, &a->c1);
  zg__fp_add(&n, &n, &s);
  zg__fp_pow_pub(&l, &n, P_PLUS_1_DIV_4);
  zg__fp_add(&d, &a->c0, &l);
  zg__fp_mul(&d, &d, &INV2);
  zg__fp_cmov(&d, &a->c0, zg__fp_is_zero(&d));
  zg__fp_pow_pub(&t, &d, P_MINUS_3_DIV_4);
  zg__fp_mul(&td, &t, &d);
  zg__fp_mul(&at, &t, &a->c1);
  zg__fp_mul(&at, &at, &INV2);
  x.c0 = td; /* d square */
  x.c1 = at;
  y.c0 = at; /* d non-square */
  zg__fp_neg(&y.c1, &td);
  zg__fp_sqr(&chk, &td);
  zg__fp2_cmov(&x, &y, !zg__fp_eq(&chk, &d));
  zg__fp2_sqr(&c, &x);
  *r = x;
  return zg__fp2_eq(&c, a);
}

bool zg__fp2_is_square(const zg_fp2_t *a) {
  zg_fp_t n;
  fp2_norm(&n, a);
  return zg__fp_is_square(&n);
}

int zg__fp2_sgn0(const zg_fp2_t *a) {
  /* RFC 9380 section 4.1, m = 2: sgn0(c0) OR (c0 == 0 AND sgn0(c1)). */
  int s0 = zg__fp_sgn0(&a->c0), z0 = (int)zg__fp_is_zero(&a->c0), s1 = zg__fp_sgn0(&a->c1);
  return s0 | (z0 & s1);
}

void zg__fp2_cmov(zg_fp2_t *r, const zg_fp2_t *a, bool c) {
  zg__fp_cmov(&r->c0, &a->c0, c);
  zg__fp_cmov(&r->c1, &a->c1, c);
}

bool zg__fp2_is_zero(const zg_fp2_t *a) {
  return (bool)((int)zg__fp_is_zero(&a->c0) & (int)zg__fp_is_zero(&a->c1));
}

bool zg__fp2_eq(const zg_fp2_t *a, const zg_fp2_t *b) {
  return (bool)((int)zg__fp_eq(&a->c0, &b->c0) & (int)zg__fp_eq(&a->c1, &b->c1));
}

bool zg__fp2_is_lex_largest(const zg_fp2_t *a) {
  int l1 = zg__fp_is_lex_largest(&a->c1), z1 = zg__fp_is_zero(&a->c1), l0 = zg__fp_is_lex_largest(&a->c0);
  return (bool)(l1 | (z1 & l0));
}

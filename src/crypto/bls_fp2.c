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

/* (p - 3) / 4 and (p - 1) / 2, the exponents of the square root. */
static const uint64_t P_MINUS_3_DIV_4[6] = {0xee7fbfffffffeaaaull, 0x07aaffffac54ffffull,
                                            0xd9cc34a83dac3d89ull, 0xd91dd2e13ce144afull,
                                            0x92c6e9ed90d2eb35ull, 0x0680447a8e5ff9a6ull};
static const uint64_t P_MINUS_1_DIV_2[6] = {0xdcff7fffffffd555ull, 0x0f55ffff58a9ffffull,
                                            0xb39869507b587b12ull, 0xb23ba5c279c2895full,
                                            0x258dd3db21a5d66bull, 0x0d0088f51cbff34dull};

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

void zg__fp2_mul(zg_fp2_t *r, const zg_fp2_t *a, const zg_fp2_t *b) {
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
  /* Adj and Rodriguez-Henriquez, "Square root computation over even
   * extension fields", algorithm 9 (q = p^2, p = 3 mod 4):
   *   a1 = a^((p-3)/4), alpha = a1^2 a, x0 = a1 a;
   *   alpha == -1: x = u x0;  otherwise x = (1 + alpha)^((p-1)/2) x0.
   * Both branches are computed and the result picked by cmov. */
  zg_fp2_t a1, alpha, x0, xi, b, chk, m1;
  zg__fp2_pow_pub(&a1, a, P_MINUS_3_DIV_4);
  zg__fp2_sqr(&alpha, &a1);
  zg__fp2_mul(&alpha, &alpha, a);
  zg__fp2_mul(&x0, &a1, a);
  /* u * x0 = -x0.c1 + x0.c0 u */
  zg__fp_neg(&xi.c0, &x0.c1);
  xi.c1 = x0.c0;
  zg__fp2_add(&b, &alpha, &zg__fp2_one);
  zg__fp2_pow_pub(&b, &b, P_MINUS_1_DIV_2);
  zg__fp2_mul(&b, &b, &x0);
  zg__fp2_neg(&m1, &zg__fp2_one);
  zg__fp2_cmov(&b, &xi, zg__fp2_eq(&alpha, &m1));
  zg__fp2_sqr(&chk, &b);
  *r = b;
  return zg__fp2_eq(&chk, a);
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

/*
 * bls_fp12.c — the towers Fp6 = Fp2[v] / (v^3 - xi), xi = u + 1, and
 * Fp12 = Fp6[w] / (w^2 - v), where the pairing's values live.
 *
 * An Fp12 element c0 + c1 w has coefficients on the powers of w:
 *   w^0: c0.c0   w^1: c1.c0   w^2: c0.c1   w^3: c1.c1   w^4: c0.c2   w^5: c1.c2
 * The Frobenius map a -> a^(p^k) conjugates each coefficient k times and
 * multiplies the w^j one by xi^(j (p^k - 1) / 6) (w^6 = xi); those constants
 * are computed offline and stored in Montgomery form below.
 *
 * Multiplications are Karatsuba at each level (18 Fp2 products per Fp12
 * product), squarings the complex method, and the Miller loop's lines use a
 * 13-product sparse multiplication. Elements of the cyclotomic subgroup
 * (after the easy part of the final exponentiation) square with the cheaper
 * Granger-Scott formula. Constant time throughout; outputs may alias inputs.
 */
#include "crypto/bls_fp12.h"

#include <string.h>

#include "crypto/bls_field.h"

/* FROB[k - 1][j - 1] = xi^(j (p^k - 1) / 6), Montgomery form. */
static const zg_fp2_t FROB[3][5] = {
    /* p^ 1: xi^(j (p^k - 1) / 6), j = 1..5 */
    {
        {{{0x07089552b319d465ull, 0xc6695f92b50a8313ull, 0x97e83cccd117228full, 0xa35baecab2dc29eeull,
           0x1ce393ea5daace4dull, 0x08f2220fb0fb66ebull}},
         {{0xb2f66aad4ce5d646ull, 0x5842a06bfc497cecull, 0xcf4895d42599d394ull, 0xc11b9cba40a8e8d0ull,
           0x2e3813cbe5a0de89ull, 0x110eefda88847fafull}}},
        {{{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull,
           0x0000000000000000ull, 0x0000000000000000ull}},
         {{0xcd03c9e48671f071ull, 0x5dab22461fcda5d2ull, 0x587042afd3851b95ull, 0x8eb60ebe01bacb9eull,
           0x03f97d6e83d050d2ull, 0x18f0206554638741ull}}},
        {{{0x7bcfa7a25aa30fdaull, 0xdc17dec12a927e7cull, 0x2f088dd86b4ebef1ull, 0xd1ca2087da74d4a7ull,
           0x2da2596696cebc1dull, 0x0e2b7eedbbfd87d2ull}},
         {{0x7bcfa7a25aa30fdaull, 0xdc17dec12a927e7cull, 0x2f088dd86b4ebef1ull, 0xd1ca2087da74d4a7ull,
           0x2da2596696cebc1dull, 0x0e2b7eedbbfd87d2ull}}},
        {{{0x890dc9e4867545c3ull, 0x2af322533285a5d5ull, 0x50880866309b7e2cull, 0xa20d1b8c7e881024ull,
           0x14e4f04fe2db9068ull, 0x14e56d3f1564853aull}},
         {{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull,
           0x0000000000000000ull, 0x0000000000000000ull}}},
        {{{0x82d83cf50dbce43full, 0xa2813e53df9d018full, 0xc6f0caa53c65e181ull, 0x7525cf528d50fe95ull,
           0x4a85ed50f4798a6bull, 0x171da0fd6cf8eebdull}},
         {{0x3726c30af242c66cull, 0x7c2ac1aad1b6fe70ull, 0xa04007fbba4b14a2ull, 0xef517c3266341429ull,
           0x0095ba654ed2226bull, 0x02e370eccc86f7ddull}}},
    },
    /* p^ 2: xi^(j (p^k - 1) / 6), j = 1..5 */
    {
        {{{0xecfb361b798dba3aull, 0xc100ddb891865a2cull, 0x0ec08ff1232bda8eull, 0xd5c13cc6f1ca4721ull,
           0x47222a47bf7b5c04ull, 0x0110f184e51c5f59ull}},
         {{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull,
           0x0000000000000000ull, 0x0000000000000000ull}}},
        {{{0x30f1361b798a64e8ull, 0xf3b8ddab7ece5a2aull, 0x16a8ca3ac61577f7ull, 0xc26a2ff874fd029bull,
           0x3636b76660701c6eull, 0x051ba4ab241b6160ull}},
         {{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull,
           0x0000000000000000ull, 0x0000000000000000ull}}},
        {{{0x43f5fffffffcaaaeull, 0x32b7fff2ed47fffdull, 0x07e83a49a2e99d69ull, 0xeca8f3318332bb7aull,
           0xef148d1ea0f4c069ull, 0x040ab3263eff0206ull}},
         {{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull,
           0x0000000000000000ull, 0x0000000000000000ull}}},
        {{{0xcd03c9e48671f071ull, 0x5dab22461fcda5d2ull, 0x587042afd3851b95ull, 0x8eb60ebe01bacb9eull,
           0x03f97d6e83d050d2ull, 0x18f0206554638741ull}},
         {{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull,
           0x0000000000000000ull, 0x0000000000000000ull}}},
        {{{0x890dc9e4867545c3ull, 0x2af322533285a5d5ull, 0x50880866309b7e2cull, 0xa20d1b8c7e881024ull,
           0x14e4f04fe2db9068ull, 0x14e56d3f1564853aull}},
         {{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull,
           0x0000000000000000ull, 0x0000000000000000ull}}},
    },
    /* p^ 3: xi^(j (p^k - 1) / 6), j = 1..5 */
    {
        {{{0x3e2f585da55c9ad1ull, 0x4294213d86c18183ull, 0x382844c88b623732ull, 0x92ad2afd19103e18ull,
           0x1d794e4fac7cf0b9ull, 0x0bd592fc7d825ec8ull}},
         {{0x7bcfa7a25aa30fdaull, 0xdc17dec12a927e7cull, 0x2f088dd86b4ebef1ull, 0xd1ca2087da74d4a7ull,
           0x2da2596696cebc1dull, 0x0e2b7eedbbfd87d2ull}}},
        {{{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull,
           0x0000000000000000ull, 0x0000000000000000ull}},
         {{0x760900000002fffdull, 0xebf4000bc40c0002ull, 0x5f48985753c758baull, 0x77ce585370525745ull,
           0x5c071a97a256ec6dull, 0x15f65ec3fa80e493ull}}},
        {{{0x3e2f585da55c9ad1ull, 0x4294213d86c18183ull, 0x382844c88b623732ull, 0x92ad2afd19103e18ull,
           0x1d794e4fac7cf0b9ull, 0x0bd592fc7d825ec8ull}},
         {{0x3e2f585da55c9ad1ull, 0x4294213d86c18183ull, 0x382844c88b623732ull, 0x92ad2afd19103e18ull,
           0x1d794e4fac7cf0b9ull, 0x0bd592fc7d825ec8ull}}},
        {{{0x43f5fffffffcaaaeull, 0x32b7fff2ed47fffdull, 0x07e83a49a2e99d69ull, 0xeca8f3318332bb7aull,
           0xef148d1ea0f4c069ull, 0x040ab3263eff0206ull}},
         {{0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull,
           0x0000000000000000ull, 0x0000000000000000ull}}},
        {{{0x7bcfa7a25aa30fdaull, 0xdc17dec12a927e7cull, 0x2f088dd86b4ebef1ull, 0xd1ca2087da74d4a7ull,
           0x2da2596696cebc1dull, 0x0e2b7eedbbfd87d2ull}},
         {{0x3e2f585da55c9ad1ull, 0x4294213d86c18183ull, 0x382844c88b623732ull, 0x92ad2afd19103e18ull,
           0x1d794e4fac7cf0b9ull, 0x0bd592fc7d825ec8ull}}},
    },
};

/* ---------------- Fp6 ---------------- */

void zg__fp6_add(zg_fp6_t *r, const zg_fp6_t *a, const zg_fp6_t *b) {
  zg__fp2_add(&r->c0, &a->c0, &b->c0);
  zg__fp2_add(&r->c1, &a->c1, &b->c1);
  zg__fp2_add(&r->c2, &a->c2, &b->c2);
}

void zg__fp6_sub(zg_fp6_t *r, const zg_fp6_t *a, const zg_fp6_t *b) {
  zg__fp2_sub(&r->c0, &a->c0, &b->c0);
  zg__fp2_sub(&r->c1, &a->c1, &b->c1);
  zg__fp2_sub(&r->c2, &a->c2, &b->c2);
}

void zg__fp6_neg(zg_fp6_t *r, const zg_fp6_t *a) {
  zg__fp2_neg(&r->c0, &a->c0);
  zg__fp2_neg(&r->c1, &a->c1);
  zg__fp2_neg(&r->c2, &a->c2);
}

void zg__fp6_mul(zg_fp6_t *r, const zg_fp6_t *a, const zg_fp6_t *b) {
  /* Karatsuba over the three coefficients: 6 Fp2 products. */
  zg_fp2_t t0, t1, t2, s, u, c0, c1, c2;
  zg__fp2_mul(&t0, &a->c0, &b->c0);
  zg__fp2_mul(&t1, &a->c1, &b->c1);
  zg__fp2_mul(&t2, &a->c2, &b->c2);
  /* c0 = t0 + xi ((a1 + a2)(b1 + b2) - t1 - t2) */
  zg__fp2_add(&s, &a->c1, &a->c2);
  zg__fp2_add(&u, &b->c1, &b->c2);
  zg__fp2_mul(&s, &s, &u);
  zg__fp2_sub(&s, &s, &t1);
  zg__fp2_sub(&s, &s, &t2);
  zg__fp2_mul_by_xi(&s, &s);
  zg__fp2_add(&c0, &s, &t0);
  /* c1 = (a0 + a1)(b0 + b1) - t0 - t1 + xi t2 */
  zg__fp2_add(&s, &a->c0, &a->c1);
  zg__fp2_add(&u, &b->c0, &b->c1);
  zg__fp2_mul(&s, &s, &u);
  zg__fp2_sub(&s, &s, &t0);
  zg__fp2_sub(&s, &s, &t1);
  zg__fp2_mul_by_xi(&u, &t2);
  zg__fp2_add(&c1, &s, &u);
  /* c2 = (a0 + a2)(b0 + b2) - t0 - t2 + t1 */
  zg__fp2_add(&s, &a->c0, &a->c2);
  zg__fp2_add(&u, &b->c0, &b->c2);
  zg__fp2_mul(&s, &s, &u);
  zg__fp2_sub(&s, &s, &t0);
  zg__fp2_sub(&s, &s, &t2);
  zg__fp2_add(&c2, &s, &t1);
  r->c0 = c0;
  r->c1 = c1;
  r->c2 = c2;
}

void zg__fp6_sqr(zg_fp6_t *r, const zg_fp6_t *a) {
  /* Chung-Hasan SQR2: 2 squarings and 3 products... of Fp2. */
  zg_fp2_t s0, s1, s2, s3, s4, t;
  zg__fp2_sqr(&s0, &a->c0);
  zg__fp2_mul(&s1, &a->c0, &a->c1);
  zg__fp2_dbl(&s1, &s1);
  zg__fp2_sub(&t, &a->c0, &a->c1);
  zg__fp2_add(&t, &t, &a->c2);
  zg__fp2_sqr(&s2, &t);
  zg__fp2_mul(&s3, &a->c1, &a->c2);
  zg__fp2_dbl(&s3, &s3);
  zg__fp2_sqr(&s4, &a->c2);
  /* c0 = xi s3 + s0, c1 = xi s4 + s1, c2 = s1 + s2 + s3 - s0 - s4 */
  zg__fp2_mul_by_xi(&t, &s3);
  zg__fp2_add(&r->c0, &t, &s0);
  zg__fp2_add(&s2, &s2, &s1);
  zg__fp2_add(&s2, &s2, &s3);
  zg__fp2_sub(&s2, &s2, &s0);
  zg__fp2_sub(&r->c2, &s2, &s4);
  zg__fp2_mul_by_xi(&t, &s4);
  zg__fp2_add(&r->c1, &t, &s1);
}

void zg__fp6_mul_by_v(zg_fp6_t *r, const zg_fp6_t *a) {
  zg_fp2_t t;
  zg__fp2_mul_by_xi(&t, &a->c2);
  r->c2 = a->c1;
  r->c1 = a->c0;
  r->c0 = t;
}

void zg__fp6_inv(zg_fp6_t *r, const zg_fp6_t *a) {
  /* The adjugate over the norm to Fp2:
   *   t0 = a0^2 - xi a1 a2, t1 = xi a2^2 - a0 a1, t2 = a1^2 - a0 a2,
   *   d = a0 t0 + xi (a2 t1 + a1 t2), 1/a = (t0, t1, t2) / d. */
  zg_fp2_t t0, t1, t2, s, d;
  zg__fp2_sqr(&t0, &a->c0);
  zg__fp2_mul(&s, &a->c1, &a->c2);
  zg__fp2_mul_by_xi(&s, &s);
  zg__fp2_sub(&t0, &t0, &s);
  zg__fp2_sqr(&t1, &a->c2);
  zg__fp2_mul_by_xi(&t1, &t1);
  zg__fp2_mul(&s, &a->c0, &a->c1);
  zg__fp2_sub(&t1, &t1, &s);
  zg__fp2_sqr(&t2, &a->c1);
  zg__fp2_mul(&s, &a->c0, &a->c2);
  zg__fp2_sub(&t2, &t2, &s);
  zg__fp2_mul(&d, &a->c2, &t1);
  zg__fp2_mul(&s, &a->c1, &t2);
  zg__fp2_add(&d, &d, &s);
  zg__fp2_mul_by_xi(&d, &d);
  zg__fp2_mul(&s, &a->c0, &t0);
  zg__fp2_add(&d, &d, &s);
  zg__fp2_inv(&d, &d);
  zg__fp2_mul(&r->c0, &t0, &d);
  zg__fp2_mul(&r->c1, &t1, &d);
  zg__fp2_mul(&r->c2, &t2, &d);
}

/* r = a * (b0 + b1 v): 5 Fp2 products. */
static void fp6_mul_by_01(zg_fp6_t *r, const zg_fp6_t *a, const zg_fp2_t *b0, const zg_fp2_t *b1) {
  zg_fp2_t t0, t1, s, u, c0, c1, c2;
  zg__fp2_mul(&t0, &a->c0, b0);
  zg__fp2_mul(&t1, &a->c1, b1);
  /* c0 = t0 + xi a2 b1 */
  zg__fp2_mul(&s, &a->c2, b1);
  zg__fp2_mul_by_xi(&s, &s);
  zg__fp2_add(&c0, &s, &t0);
  /* c1 = (a0 + a1)(b0 + b1) - t0 - t1 */
  zg__fp2_add(&s, &a->c0, &a->c1);
  zg__fp2_add(&u, b0, b1);
  zg__fp2_mul(&s, &s, &u);
  zg__fp2_sub(&s, &s, &t0);
  zg__fp2_sub(&c1, &s, &t1);
  /* c2 = t1 + a2 b0 */
  zg__fp2_mul(&s, &a->c2, b0);
  zg__fp2_add(&c2, &s, &t1);
  r->c0 = c0;
  r->c1 = c1;
  r->c2 = c2;
}

/* r = a * b1 v: 3 Fp2 products. */
static void fp6_mul_by_1(zg_fp6_t *r, const zg_fp6_t *a, const zg_fp2_t *b1) {
  zg_fp2_t c0, c1, c2;
  zg__fp2_mul(&c0, &a->c2, b1);
  zg__fp2_mul_by_xi(&c0, &c0);
  zg__fp2_mul(&c1, &a->c0, b1);
  zg__fp2_mul(&c2, &a->c1, b1);
  r->c0 = c0;
  r->c1 = c1;
  r->c2 = c2;
}

/* ---------------- Fp12 ---------------- */

void zg__fp12_one(zg_fp12_t *r) {
  memset(r, 0, sizeof *r);
  r->c0.c0 = zg__fp2_one;
}

void zg__fp12_mul(zg_fp12_t *r, const zg_fp12_t *a, const zg_fp12_t *b) {
  /* (a0 + a1 w)(b0 + b1 w) = (t0 + v t1) + ((a0 + a1)(b0 + b1) - t0 - t1) w */
  zg_fp6_t t0, t1, s, u;
  zg__fp6_mul(&t0, &a->c0, &b->c0);
  zg__fp6_mul(&t1, &a->c1, &b->c1);
  zg__fp6_add(&s, &a->c0, &a->c1);
  zg__fp6_add(&u, &b->c0, &b->c1);
  zg__fp6_mul(&s, &s, &u);
  zg__fp6_sub(&s, &s, &t0);
  zg__fp6_sub(&r->c1, &s, &t1);
  zg__fp6_mul_by_v(&t1, &t1);
  zg__fp6_add(&r->c0, &t0, &t1);
}

void zg__fp12_sqr(zg_fp12_t *r, const zg_fp12_t *a) {
  /* (a0 + a1 w)^2 = ((a0 + a1)(a0 + v a1) - m - v m) + 2 m w, m = a0 a1 */
  zg_fp6_t m, s, t;
  zg__fp6_mul(&m, &a->c0, &a->c1);
  zg__fp6_add(&s, &a->c0, &a->c1);
  zg__fp6_mul_by_v(&t, &a->c1);
  zg__fp6_add(&t, &t, &a->c0);
  zg__fp6_mul(&s, &s, &t);
  zg__fp6_sub(&s, &s, &m);
  zg__fp6_mul_by_v(&t, &m);
  zg__fp6_sub(&r->c0, &s, &t);
  zg__fp6_add(&r->c1, &m, &m);
}

void zg__fp12_inv(zg_fp12_t *r, const zg_fp12_t *a) {
  /* 1/(a0 + a1 w) = (a0 - a1 w) / (a0^2 - v a1^2) */
  zg_fp6_t t, s;
  zg__fp6_sqr(&t, &a->c0);
  zg__fp6_sqr(&s, &a->c1);
  zg__fp6_mul_by_v(&s, &s);
  zg__fp6_sub(&t, &t, &s);
  zg__fp6_inv(&t, &t);
  zg__fp6_mul(&r->c0, &a->c0, &t);
  zg__fp6_mul(&s, &a->c1, &t);
  zg__fp6_neg(&r->c1, &s);
}

void zg__fp12_conj(zg_fp12_t *r, const zg_fp12_t *a) {
  r->c0 = a->c0;
  zg__fp6_neg(&r->c1, &a->c1);
}

/* One application of the p^k-power map, k in 1..3. */
static void fp12_frobenius_k(zg_fp12_t *r, const zg_fp12_t *a, int k) {
  zg_fp2_t *g[6] = {&r->c0.c0, &r->c1.c0, &r->c0.c1, &r->c1.c1, &r->c0.c2, &r->c1.c2};
  *r = *a;
  if (k & 1) {
    for (int j = 0; j < 6; j++) zg__fp2_conj(g[j], g[j]);
  }
  for (int j = 1; j < 6; j++) zg__fp2_mul(g[j], g[j], &FROB[k - 1][j - 1]);
}

void zg__fp12_frobenius(zg_fp12_t *r, const zg_fp12_t *a, int power) {
  /* a^(p^12) = a, so the power is taken mod 12, then applied in steps of
   * at most 3. */
  int k = ((power % 12) + 12) % 12;
  *r = *a;
  while (k > 0) {
    int step = k > 3 ? 3 : k;
    fp12_frobenius_k(r, r, step);
    k -= step;
  }
}

bool zg__fp12_eq(const zg_fp12_t *a, const zg_fp12_t *b) {
  const zg_fp_t *x = (const zg_fp_t *)a, *y = (const zg_fp_t *)b;
  int eq = 1;
  for (int i = 0; i < 12; i++) eq &= (int)zg__fp_eq(&x[i], &y[i]);
  return (bool)eq;
}

bool zg__fp12_is_one(const zg_fp12_t *a) {
  zg_fp12_t one;
  zg__fp12_one(&one);
  return zg__fp12_eq(a, &one);
}

void zg__fp12_mul_by_line(zg_fp12_t *f, const zg_fp2_t *l0, const zg_fp2_t *l1, const zg_fp2_t *l3) {
  /* f = F0 + F1 w, l = L0 + L1 w with L0 = l0 + l1 v, L1 = l3 v:
   *   t0 = F0 L0, t1 = F1 L1,
   *   f' = (t0 + v t1) + ((F0 + F1)(L0 + L1) - t0 - t1) w. */
  zg_fp6_t t0, t1, s;
  zg_fp2_t m;
  fp6_mul_by_01(&t0, &f->c0, l0, l1);
  fp6_mul_by_1(&t1, &f->c1, l3);
  zg__fp6_add(&s, &f->c0, &f->c1);
  zg__fp2_add(&m, l1, l3);
  fp6_mul_by_01(&s, &s, l0, &m);
  zg__fp6_sub(&s, &s, &t0);
  zg__fp6_sub(&f->c1, &s, &t1);
  zg__fp6_mul_by_v(&t1, &t1);
  zg__fp6_add(&f->c0, &t0, &t1);
}

/* (a + b s)^2 in Fp4 = Fp2[s] / (s^2 - xi). */
static void fp4_sqr(zg_fp2_t *r0, zg_fp2_t *r1, const zg_fp2_t *a, const zg_fp2_t *b) {
  zg_fp2_t t0, t1, s;
  zg__fp2_sqr(&t0, a);
  zg__fp2_sqr(&t1, b);
  zg__fp2_add(&s, a, b);
  zg__fp2_sqr(&s, &s);
  zg__fp2_sub(&s, &s, &t0);
  zg__fp2_sub(r1, &s, &t1);
  zg__fp2_mul_by_xi(&t1, &t1);
  zg__fp2_add(r0, &t1, &t0);
}

void zg__fp12_cyclotomic_sqr(zg_fp12_t *r, const zg_fp12_t *a) {
  /* Granger-Scott: with s = w^3, a = A + B w + C w^2 over Fp4 = Fp2[s],
   * A = (g0, g3), B = (g1, g4), C = (g2, g5) (g_j on w^j), and
   *   a^2 = (3 A^2 - 2 conj A) + (3 s C^2 + 2 conj B) w + (3 B^2 - 2 conj C) w^2,
   * where conj(x + y s) = x - y s. */
  zg_fp2_t t0, t1, t2, t3, t, z0, z1, z2, z3, z4, z5;
  z0 = a->c0.c0;               /* g0 */
  z1 = a->c1.c1;               /* g3 */
  z2 = a->c1.c0;               /* g1 */
  z3 = a->c0.c2;               /* g4 */
  z4 = a->c0.c1;               /* g2 */
  z5 = a->c1.c2;               /* g5 */
  fp4_sqr(&t0, &t1, &z0, &z1); /* A^2 */
  zg__fp2_sub(&t, &t0, &z0);   /* 3 t0 - 2 z0 */
  zg__fp2_dbl(&t, &t);
  zg__fp2_add(&z0, &t, &t0);
  zg__fp2_add(&t, &t1, &z1); /* 3 t1 + 2 z1 */
  zg__fp2_dbl(&t, &t);
  zg__fp2_add(&z1, &t, &t1);
  fp4_sqr(&t0, &t1, &z2, &z3); /* B^2 */
  fp4_sqr(&t2, &t3, &z4, &z5); /* C^2 */
  zg__fp2_sub(&t, &t0, &z4);   /* w^2: 3 B^2 - 2 conj C */
  zg__fp2_dbl(&t, &t);
  zg__fp2_add(&z4, &t, &t0);
  zg__fp2_add(&t, &t1, &z5);
  zg__fp2_dbl(&t, &t);
  zg__fp2_add(&z5, &t, &t1);
  zg__fp2_mul_by_xi(&t0, &t3); /* w^1: 3 s C^2 + 2 conj B, s C^2 = xi t3 + t2 s */
  zg__fp2_add(&t, &t0, &z2);
  zg__fp2_dbl(&t, &t);
  zg__fp2_add(&z2, &t, &t0);
  zg__fp2_sub(&t, &t2, &z3);
  zg__fp2_dbl(&t, &t);
  zg__fp2_add(&z3, &t, &t2);
  r->c0.c0 = z0;
  r->c1.c1 = z1;
  r->c1.c0 = z2;
  r->c0.c2 = z3;
  r->c0.c1 = z4;
  r->c1.c2 = z5;
}

void zg__fp12_cyclotomic_exp_x(zg_fp12_t *r, const zg_fp12_t *a) {
  /* Square-and-multiply over the public bits of |x| below its top bit. */
  zg_fp12_t acc = *a;
  for (int i = 62; i >= 0; i--) {
    zg__fp12_cyclotomic_sqr(&acc, &acc);
    if ((ZG__BLS_X >> i) & 1) zg__fp12_mul(&acc, &acc, a);
  }
  *r = acc;
}

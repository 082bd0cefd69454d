/*
 * bls_fr.c — the BLS12-381 scalar field Fr, r = 0x73eda753...00000001
 * (255 bits), the order of G1, G2 and GT.
 *
 * Elements are 4 little-endian 64-bit limbs in Montgomery form (a*R mod r,
 * R = 2^256), always fully reduced. Multiplication is CIOS Montgomery with
 * the "no final carry" shortcut (the top limb of r is below 2^63 - 1).
 *
 * Everything is constant time in the values, including the exponent of
 * zg_fr_pow (fixed 4-bit windows with a table scan); only the parse
 * functions branch, on whether the encoding is canonical (public).
 * Outputs may alias inputs.
 */
#include <string.h>

#include "crypto/bls_fp12.h"
#include "zg/bls12_381.h"

typedef unsigned __int128 u128;

static const uint64_t R_MOD[4] = {0xffffffff00000001ull, 0x53bda402fffe5bfeull, 0x3339d80809a1d805ull,
                                  0x73eda753299d7d48ull};
#define R_N0 0xfffffffeffffffffull /* -r^-1 mod 2^64 */
static const uint64_t R2[4] = {0xc999e990f3f29c6dull, 0x2b6cedcb87925c23ull, 0x05d314967254398full,
                               0x0748d9d99f59ff11ull};
static const uint64_t ONE_MONT[4] = {0x00000001fffffffeull, 0x5884b7fa00034802ull, 0x998c4fefecbc4ff5ull,
                                     0x1824b159acc5056full};
/* 2^64 in Montgomery form, for Horner over 64-bit chunks. */
static const uint64_t M64[4] = {0xc98da28e0121c884ull, 0xe6f4f4a0c7363c67ull, 0xb2d6ebc4e92e7df1ull,
                                0x19ae57949d26242aull};
static const uint64_t R_MINUS_2[4] = {0xfffffffeffffffffull, 0x53bda402fffe5bfeull, 0x3339d80809a1d805ull,
                                      0x73eda753299d7d48ull};

/* r = t - m if t >= m else t; t < 2m. */
static inline void fr_reduce_once(uint64_t r[4], const uint64_t t[4]) {
  uint64_t d[4], borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 x = (u128)t[i] - R_MOD[i] - borrow;
    d[i] = (uint64_t)x;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  uint64_t keep = 0 - borrow;
  for (int i = 0; i < 4; i++) r[i] = (t[i] & keep) | (d[i] & ~keep);
}

static inline void fr_mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
  uint64_t t[4] = {0, 0, 0, 0};
#pragma GCC unroll 4
  for (int i = 0; i < 4; i++) {
    u128 s = (u128)a[0] * b[i] + t[0];
    uint64_t A = (uint64_t)(s >> 64), t0 = (uint64_t)s;
    uint64_t m = t0 * R_N0;
    u128 c = (u128)m * R_MOD[0] + t0;
    uint64_t C = (uint64_t)(c >> 64);
#pragma GCC unroll 3
    for (int j = 1; j < 4; j++) {
      s = (u128)a[j] * b[i] + t[j] + A;
      A = (uint64_t)(s >> 64);
      c = (u128)m * R_MOD[j] + (uint64_t)s + C;
      C = (uint64_t)(c >> 64);
      t[j - 1] = (uint64_t)c;
    }
    t[3] = C + A;
  }
  fr_reduce_once(r, t);
}

/* On x86-64 the product, addition and subtraction go to the kernels of
 * bls_asm_x86_64.c; the C here stays the portable path and the reference. */

/* Plain integer t < 2r -> Montgomery form. */
static void fr_from_int(zg_fr_t *r, const uint64_t t[4]) {
  uint64_t u[4];
  fr_reduce_once(u, t);
  fr_mont_mul(r->l, u, R2);
}

static void fr_to_int(uint64_t out[4], const zg_fr_t *a) {
  static const uint64_t one[4] = {1, 0, 0, 0};
  fr_mont_mul(out, a->l, one);
}

static bool fr_int_is_canonical(const uint64_t t[4]) {
  uint64_t borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 x = (u128)t[i] - R_MOD[i] - borrow;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  return borrow != 0;
}

static uint64_t load_be64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}

static uint64_t load_le64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

zg_err_t zg_fr_from_be32(zg_fr_t *r, const uint8_t in[32]) {
  uint64_t t[4];
  for (int i = 0; i < 4; i++) t[i] = load_be64(in + 8 * (3 - i));
  if (!fr_int_is_canonical(t)) {
    memset(r, 0, sizeof *r);
    return ZG_ESCALAR;
  }
  fr_mont_mul(r->l, t, R2);
  return ZG_OK;
}

zg_err_t zg_fr_from_le32(zg_fr_t *r, const uint8_t in[32]) {
  uint64_t t[4];
  for (int i = 0; i < 4; i++) t[i] = load_le64(in + 8 * i);
  if (!fr_int_is_canonical(t)) {
    memset(r, 0, sizeof *r);
    return ZG_ESCALAR;
  }
  fr_mont_mul(r->l, t, R2);
  return ZG_OK;
}

void zg_fr_from_be_reduce(zg_fr_t *r, const uint8_t *in, size_t len) {
  /* Horner over 64-bit chunks, the first one short when len % 8 != 0. */
  zg_fr_t acc, c;
  size_t head = len % 8, pos = 0;
  memset(&acc, 0, sizeof acc);
  if (head) {
    uint64_t v = 0;
    for (size_t i = 0; i < head; i++) v = (v << 8) | in[i];
    zg_fr_from_u64(&acc, v);
    pos = head;
  }
  for (; pos < len; pos += 8) {
    fr_mont_mul(acc.l, acc.l, M64);
    zg_fr_from_u64(&c, load_be64(in + pos));
    zg_fr_add(&acc, &acc, &c);
  }
  *r = acc;
}

void zg_fr_to_be32(uint8_t out[32], const zg_fr_t *a) {
  uint64_t t[4];
  fr_to_int(t, a);
  for (int i = 0; i < 4; i++) {
    uint64_t v = t[3 - i];
    for (int k = 7; k >= 0; k--) {
      out[8 * i + k] = (uint8_t)v;
      v >>= 8;
    }
  }
}

void zg_fr_to_le32(uint8_t out[32], const zg_fr_t *a) {
  uint64_t t[4];
  fr_to_int(t, a);
  for (int i = 0; i < 4; i++)
    for (int k = 0; k < 8; k++) out[8 * i + k] = (uint8_t)(t[i] >> (8 * k));
}

void zg_fr_from_u64(zg_fr_t *r, uint64_t v) {
  uint64_t t[4] = {v, 0, 0, 0};
  fr_mont_mul(r->l, t, R2);
}

void zg_fr_set_zero(zg_fr_t *r) { memset(r, 0, sizeof *r); }

void zg_fr_set_one(zg_fr_t *r) { memcpy(r->l, ONE_MONT, sizeof r->l); }

static void fr_add_c(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b) {
  uint64_t t[4];
  u128 c = 0;
  for (int i = 0; i < 4; i++) {
    c += (u128)a->l[i] + b->l[i];
    t[i] = (uint64_t)c;
    c >>= 64;
  }
  fr_reduce_once(r->l, t); /* a + b < 2r < 2^256 */
}

static void fr_sub_c(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b) {
  uint64_t t[4], borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 x = (u128)a->l[i] - b->l[i] - borrow;
    t[i] = (uint64_t)x;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  uint64_t mask = 0 - borrow;
  u128 c = 0;
  for (int i = 0; i < 4; i++) {
    c += (u128)t[i] + (R_MOD[i] & mask);
    r->l[i] = (uint64_t)c;
    c >>= 64;
  }
}

void zg_fr_neg(zg_fr_t *r, const zg_fr_t *a) {
  zg_fr_t z;
  memset(&z, 0, sizeof z);
  zg_fr_sub(r, &z, a);
}

void zg_fr_add(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b) {
#if ZG_BLS_ASM
  zg__fr_add_x64(r->l, a->l, b->l);
#else
  fr_add_c(r, a, b);
#endif
}

void zg_fr_sub(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b) {
#if ZG_BLS_ASM
  zg__fr_sub_x64(r->l, a->l, b->l);
#else
  fr_sub_c(r, a, b);
#endif
}

void zg_fr_mul(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b) {
#if ZG_BLS_ASM
  if (zg__bls_have_adx) {
    zg__fr_mont_mul_adx(r->l, a->l, b->l);
    return;
  }
#endif
  fr_mont_mul(r->l, a->l, b->l);
}

void zg_fr_sqr(zg_fr_t *r, const zg_fr_t *a) { zg_fr_mul(r, a, a); }

/* The portable C paths, for the tests (declared in bls_fp12.h). */
void zg__fr_mul_portable(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b) { fr_mont_mul(r->l, a->l, b->l); }
void zg__fr_add_portable(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b) { fr_add_c(r, a, b); }
void zg__fr_sub_portable(zg_fr_t *r, const zg_fr_t *a, const zg_fr_t *b) { fr_sub_c(r, a, b); }

void zg_fr_pow(zg_fr_t *r, const zg_fr_t *a, const uint64_t e[4]) {
  /* Fixed 4-bit windows; the table entry is picked by a full scan so the
   * memory access pattern does not depend on the exponent. */
  zg_fr_t tab[16], acc, sel;
  zg_fr_set_one(&tab[0]);
  tab[1] = *a;
  for (int i = 2; i < 16; i++) zg_fr_mul(&tab[i], &tab[i - 1], a);
  zg_fr_set_one(&acc);
  for (int i = 63; i >= 0; i--) {
    for (int k = 0; k < 4; k++) zg_fr_sqr(&acc, &acc);
    uint64_t w = (e[i / 16] >> (4 * (i % 16))) & 15;
    memset(&sel, 0, sizeof sel);
    for (uint64_t j = 0; j < 16; j++) {
      uint64_t d = j ^ w;
      uint64_t mask = ((d | (0 - d)) >> 63) - 1; /* all ones when j == w */
      for (int k = 0; k < 4; k++) sel.l[k] |= tab[j].l[k] & mask;
    }
    zg_fr_mul(&acc, &acc, &sel);
  }
  *r = acc;
}

/* a^e for a public exponent: fixed 4-bit windows, skipping the multiply
 * for zero windows (a branch on the exponent only, never on a). */
static void fr_pow_pub(zg_fr_t *r, const zg_fr_t *a, const uint64_t e[4]) {
  zg_fr_t tab[16], acc;
  zg_fr_set_one(&tab[0]);
  tab[1] = *a;
  for (int i = 2; i < 16; i++) zg_fr_mul(&tab[i], &tab[i - 1], a);
  zg_fr_set_one(&acc);
  for (int i = 63; i >= 0; i--) {
    for (int k = 0; k < 4; k++) zg_fr_sqr(&acc, &acc);
    unsigned w = (unsigned)(e[i / 16] >> (4 * (i % 16))) & 15;
    if (w) zg_fr_mul(&acc, &acc, &tab[w]);
  }
  *r = acc;
}

void zg_fr_inv(zg_fr_t *r, const zg_fr_t *a) { fr_pow_pub(r, a, R_MINUS_2); }

static void fr_cmov(zg_fr_t *r, const zg_fr_t *a, uint64_t c) {
  uint64_t mask = 0 - c;
  for (int i = 0; i < 4; i++) r->l[i] = (r->l[i] & ~mask) | (a->l[i] & mask);
}

void zg_fr_batch_inv(zg_fr_t *out, const zg_fr_t *in, size_t n, zg_fr_t *scratch) {
  /* scratch[i] = product of in[0..i] with zeros replaced by one. */
  zg_fr_t one, acc, t, x;
  if (n == 0) return;
  zg_fr_set_one(&one);
  acc = one;
  for (size_t i = 0; i < n; i++) {
    x = in[i];
    fr_cmov(&x, &one, zg_fr_is_zero(&in[i]));
    zg_fr_mul(&acc, &acc, &x);
    scratch[i] = acc;
  }
  zg_fr_inv(&acc, &acc); /* inverse of the whole product */
  for (size_t i = n; i-- > 0;) {
    uint64_t z = zg_fr_is_zero(&in[i]);
    x = in[i];
    fr_cmov(&x, &one, z);
    if (i > 0) {
      zg_fr_mul(&t, &acc, &scratch[i - 1]);
    } else {
      t = acc;
    }
    zg_fr_mul(&acc, &acc, &x);
    memset(&x, 0, sizeof x);
    fr_cmov(&t, &x, z);
    out[i] = t;
  }
}

bool zg_fr_is_zero(const zg_fr_t *a) {
  uint64_t acc = a->l[0] | a->l[1] | a->l[2] | a->l[3];
  return (bool)(1 ^ ((acc | (0 - acc)) >> 63));
}

bool zg_fr_is_one(const zg_fr_t *a) {
  uint64_t acc = 0;
  for (int i = 0; i < 4; i++) acc |= a->l[i] ^ ONE_MONT[i];
  return (bool)(1 ^ ((acc | (0 - acc)) >> 63));
}

bool zg_fr_eq(const zg_fr_t *a, const zg_fr_t *b) {
  uint64_t acc = 0;
  for (int i = 0; i < 4; i++) acc |= a->l[i] ^ b->l[i];
  return (bool)(1 ^ ((acc | (0 - acc)) >> 63));
}

void zg_fr_to_u64s(uint64_t out[4], const zg_fr_t *a) { fr_to_int(out, a); }

void zg_fr_from_u64s(zg_fr_t *r, const uint64_t in[4]) { fr_from_int(r, in); }

/*
 * ed25519_fe.c — GF(2^255 - 19) in five 51-bit limbs, strict RFC 8032 point
 * decoding, and the RFC 9380 Elligator 2 map to edwards25519.
 *
 * Invariants: every function output has limbs below 2^52 (add, sub and neg
 * carry their result), so any output may feed any input; products fit in
 * 128 bits with room to spare (5 * 19 * 2^52 * 2^52 < 2^111). Only
 * zg__fe_tobytes fully reduces. Nothing branches on an element's value
 * except the _var functions, which take public data.
 */
#include "crypto/ed25519_fe.h"

#include <string.h>

__extension__ typedef unsigned __int128 fe_u128;

#define MASK51 ((UINT64_C(1) << 51) - 1)

const zg__fe_t zg__fe_zero = {{0, 0, 0, 0, 0}};
const zg__fe_t zg__fe_one = {{1, 0, 0, 0, 0}};
/* d = -121665 / 121666 mod p. */
const zg__fe_t zg__fe_d = {
    {0x34dca135978a3, 0x1a8283b156ebd, 0x5e7a26001c029, 0x739c663a03cbb, 0x52036cee2b6ff}};
/* sqrt(-1) = 2^((p - 1) / 4). */
const zg__fe_t zg__fe_sqrtm1 = {
    {0x61b274a0ea0b0, 0xd5a5fc8f189d, 0x7ef5e9cbd0c60, 0x78595a6804c9e, 0x2b8324804fc1d}};
/* Elligator 2 constants of RFC 9380 G.2.1 and G.2.2: c2 = 2^((p + 3) / 8)
 * (which equals 1 + sqrt(-1)), and c1 = sqrt(-486664) with sgn0(c1) = 0. */
static const zg__fe_t ell2_c2 = {
    {0x61b274a0ea0b1, 0xd5a5fc8f189d, 0x7ef5e9cbd0c60, 0x78595a6804c9e, 0x2b8324804fc1d}};
static const zg__fe_t ell2_c1_ed = {
    {0x604aaff457e06, 0x2296fa350598d, 0x7f13dfb16874f, 0x35de93d846e01, 0xf26edf460a00}};
#define ELL2_J 486662

static uint64_t load64_le(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

/* Brings limbs below 2^51 (+ a small excess in limb 0 folded back once). */
static void fe_carry(zg__fe_t *h) {
  uint64_t c;
  /* clang-format off */
  c = h->v[0] >> 51; h->v[0] &= MASK51; h->v[1] += c;
  c = h->v[1] >> 51; h->v[1] &= MASK51; h->v[2] += c;
  c = h->v[2] >> 51; h->v[2] &= MASK51; h->v[3] += c;
  c = h->v[3] >> 51; h->v[3] &= MASK51; h->v[4] += c;
  c = h->v[4] >> 51; h->v[4] &= MASK51; h->v[0] += 19 * c;
  /* clang-format on */
}

void zg__fe_frombytes(zg__fe_t *h, const uint8_t s[32]) {
  h->v[0] = load64_le(s) & MASK51;
  h->v[1] = (load64_le(s + 6) >> 3) & MASK51;
  h->v[2] = (load64_le(s + 12) >> 6) & MASK51;
  h->v[3] = (load64_le(s + 19) >> 1) & MASK51;
  h->v[4] = (load64_le(s + 24) >> 12) & MASK51;
}

void zg__fe_tobytes(uint8_t s[32], const zg__fe_t *f) {
  zg__fe_t h = *f;
  fe_carry(&h);
  fe_carry(&h);
  /* After two passes only limb 0 can exceed 2^51, and then limbs 1..4 are
   * zero; one more carry makes every limb tight, value < 2^255. */
  uint64_t c = h.v[0] >> 51;
  h.v[0] &= MASK51;
  h.v[1] += c;
  /* q = 1 exactly when h >= p, i.e. when h + 19 reaches 2^255. */
  uint64_t q = (h.v[0] + 19) >> 51;
  q = (h.v[1] + q) >> 51;
  q = (h.v[2] + q) >> 51;
  q = (h.v[3] + q) >> 51;
  q = (h.v[4] + q) >> 51;
  h.v[0] += 19 * q;
  /* clang-format off */
  c = h.v[0] >> 51; h.v[0] &= MASK51; h.v[1] += c;
  c = h.v[1] >> 51; h.v[1] &= MASK51; h.v[2] += c;
  c = h.v[2] >> 51; h.v[2] &= MASK51; h.v[3] += c;
  c = h.v[3] >> 51; h.v[3] &= MASK51; h.v[4] += c;
  h.v[4] &= MASK51; /* drops 2^255: h - p when q = 1 */
  /* clang-format on */
  uint64_t w[4] = {h.v[0] | (h.v[1] << 51), (h.v[1] >> 13) | (h.v[2] << 38), (h.v[2] >> 26) | (h.v[3] << 25),
                   (h.v[3] >> 39) | (h.v[4] << 12)};
  for (int i = 0; i < 4; i++) {
    for (int j = 0; j < 8; j++) s[8 * i + j] = (uint8_t)(w[i] >> (8 * j));
  }
}

bool zg__fe_bytes_canonical_var(const uint8_t s[32]) {
  /* p = 0x7fff...ffed little-endian: ed ff .. ff 7f. */
  if (s[31] != 0x7f) return s[31] < 0x7f;
  for (int i = 30; i >= 1; i--) {
    if (s[i] != 0xff) return true;
  }
  return s[0] < 0xed;
}

void zg__fe_set_u64(zg__fe_t *h, uint64_t x) {
  h->v[0] = x & MASK51;
  h->v[1] = x >> 51;
  h->v[2] = h->v[3] = h->v[4] = 0;
}

void zg__fe_add(zg__fe_t *h, const zg__fe_t *f, const zg__fe_t *g) {
  for (int i = 0; i < 5; i++) h->v[i] = f->v[i] + g->v[i];
  fe_carry(h);
}

void zg__fe_sub(zg__fe_t *h, const zg__fe_t *f, const zg__fe_t *g) {
  /* Adds 4p (limbs just under 2^53) so no limb goes negative for g < 2^52. */
  h->v[0] = f->v[0] + UINT64_C(0x1fffffffffffb4) - g->v[0];
  for (int i = 1; i < 5; i++) h->v[i] = f->v[i] + UINT64_C(0x1ffffffffffffc) - g->v[i];
  fe_carry(h);
}

void zg__fe_neg(zg__fe_t *h, const zg__fe_t *f) { zg__fe_sub(h, &zg__fe_zero, f); }

/* Carries five 128-bit column sums (each below 2^112) into a tight element. */
static void fe_reduce_wide(zg__fe_t *h, fe_u128 r0, fe_u128 r1, fe_u128 r2, fe_u128 r3, fe_u128 r4) {
  r1 += r0 >> 51;
  r2 += r1 >> 51;
  r3 += r2 >> 51;
  r4 += r3 >> 51;
  fe_u128 t0 = ((fe_u128)(uint64_t)(r4 >> 51)) * 19 + ((uint64_t)r0 & MASK51);
  h->v[0] = (uint64_t)t0 & MASK51;
  h->v[1] = ((uint64_t)r1 & MASK51) + (uint64_t)(t0 >> 51);
  h->v[2] = (uint64_t)r2 & MASK51;
  h->v[3] = (uint64_t)r3 & MASK51;
  h->v[4] = (uint64_t)r4 & MASK51;
}

void zg__fe_mul(zg__fe_t *h, const zg__fe_t *f, const zg__fe_t *g) {
  const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
  const uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3], g4 = g->v[4];
  const uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
  fe_u128 r0 = (fe_u128)f0 * g0 + (fe_u128)f1 * g4_19 + (fe_u128)f2 * g3_19 + (fe_u128)f3 * g2_19 +
               (fe_u128)f4 * g1_19;
  fe_u128 r1 =
      (fe_u128)f0 * g1 + (fe_u128)f1 * g0 + (fe_u128)f2 * g4_19 + (fe_u128)f3 * g3_19 + (fe_u128)f4 * g2_19;
  fe_u128 r2 =
      (fe_u128)f0 * g2 + (fe_u128)f1 * g1 + (fe_u128)f2 * g0 + (fe_u128)f3 * g4_19 + (fe_u128)f4 * g3_19;
  fe_u128 r3 =
      (fe_u128)f0 * g3 + (fe_u128)f1 * g2 + (fe_u128)f2 * g1 + (fe_u128)f3 * g0 + (fe_u128)f4 * g4_19;
  fe_u128 r4 = (fe_u128)f0 * g4 + (fe_u128)f1 * g3 + (fe_u128)f2 * g2 + (fe_u128)f3 * g1 + (fe_u128)f4 * g0;
  fe_reduce_wide(h, r0, r1, r2, r3, r4);
}

void zg__fe_sq(zg__fe_t *h, const zg__fe_t *f) {
  const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
  const uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1, f3_38 = 38 * f3, f4_19 = 19 * f4, f4_38 = 38 * f4;
  fe_u128 r0 = (fe_u128)f0 * f0 + (fe_u128)f1_2 * f4_19 + (fe_u128)f2 * (2 * f3 * 19);
  fe_u128 r1 = (fe_u128)f0_2 * f1 + (fe_u128)f2 * f4_38 + (fe_u128)f3 * (19 * f3);
  fe_u128 r2 = (fe_u128)f0_2 * f2 + (fe_u128)f1 * f1 + (fe_u128)f3_38 * f4;
  fe_u128 r3 = (fe_u128)f0_2 * f3 + (fe_u128)f1_2 * f2 + (fe_u128)f4 * f4_19;
  fe_u128 r4 = (fe_u128)f0_2 * f4 + (fe_u128)f1_2 * f3 + (fe_u128)f2 * f2;
  fe_reduce_wide(h, r0, r1, r2, r3, r4);
}

/* h = f^(2^n). */
static void fe_sqn(zg__fe_t *h, const zg__fe_t *f, int n) {
  zg__fe_sq(h, f);
  for (int i = 1; i < n; i++) zg__fe_sq(h, h);
}

/* z2_250_0 = z^(2^250 - 1) and z11 = z^11, the common part of both chains. */
static void fe_pow_common(zg__fe_t *z2_250_0, zg__fe_t *z11, const zg__fe_t *z) {
  zg__fe_t z2, z9, t, z2_5_0, z2_10_0, z2_20_0, z2_50_0, z2_100_0;
  zg__fe_sq(&z2, z);
  fe_sqn(&t, &z2, 2);
  zg__fe_mul(&z9, &t, z);
  zg__fe_mul(z11, &z9, &z2);
  zg__fe_sq(&t, z11);
  zg__fe_mul(&z2_5_0, &t, &z9);
  fe_sqn(&t, &z2_5_0, 5);
  zg__fe_mul(&z2_10_0, &t, &z2_5_0);
  fe_sqn(&t, &z2_10_0, 10);
  zg__fe_mul(&z2_20_0, &t, &z2_10_0);
  fe_sqn(&t, &z2_20_0, 20);
  zg__fe_mul(&t, &t, &z2_20_0);
  fe_sqn(&t, &t, 10);
  zg__fe_mul(&z2_50_0, &t, &z2_10_0);
  fe_sqn(&t, &z2_50_0, 50);
  zg__fe_mul(&z2_100_0, &t, &z2_50_0);
  fe_sqn(&t, &z2_100_0, 100);
  zg__fe_mul(&t, &t, &z2_100_0);
  fe_sqn(&t, &t, 50);
  zg__fe_mul(z2_250_0, &t, &z2_50_0);
}

void zg__fe_invert(zg__fe_t *h, const zg__fe_t *f) {
  zg__fe_t a, z11;
  fe_pow_common(&a, &z11, f);
  fe_sqn(&a, &a, 5);
  zg__fe_mul(h, &a, &z11);
}

void zg__fe_pow22523(zg__fe_t *h, const zg__fe_t *f) {
  zg__fe_t a, z11;
  fe_pow_common(&a, &z11, f);
  fe_sqn(&a, &a, 2);
  zg__fe_mul(h, &a, f);
}

void zg__fe_cmov(zg__fe_t *f, const zg__fe_t *g, unsigned flag) {
  uint64_t m = (uint64_t)0 - (uint64_t)(flag & 1);
  for (int i = 0; i < 5; i++) f->v[i] ^= m & (f->v[i] ^ g->v[i]);
}

unsigned zg__fe_iszero(const zg__fe_t *f) {
  uint8_t s[32];
  zg__fe_tobytes(s, f);
  unsigned acc = 0;
  for (int i = 0; i < 32; i++) acc |= s[i];
  return ((acc - 1) >> 8) & 1;
}

unsigned zg__fe_eq(const zg__fe_t *f, const zg__fe_t *g) {
  zg__fe_t d;
  zg__fe_sub(&d, f, g);
  return zg__fe_iszero(&d);
}

unsigned zg__fe_sgn0(const zg__fe_t *f) {
  uint8_t s[32];
  zg__fe_tobytes(s, f);
  return s[0] & 1;
}

void zg__fe_from_be48(zg__fe_t *h, const uint8_t b[48]) {
  /* b = hi * 2^256 + lo with hi the first 16 bytes; 2^256 = 38 (mod p) and
   * bit 255 of lo is 2^255 = 19 (mod p). */
  uint8_t lo[32], hi[32];
  memset(hi, 0, sizeof hi);
  for (int i = 0; i < 32; i++) lo[i] = b[47 - i];
  for (int i = 0; i < 16; i++) hi[i] = b[15 - i];
  zg__fe_t l, t, c38;
  zg__fe_frombytes(&l, lo);
  l.v[0] += 19 * (uint64_t)(lo[31] >> 7);
  zg__fe_frombytes(&t, hi);
  zg__fe_set_u64(&c38, 38);
  zg__fe_mul(&t, &t, &c38);
  zg__fe_add(h, &l, &t);
}

void zg__ed25519_encode(uint8_t s[32], const zg__fe_t *x, const zg__fe_t *y) {
  zg__fe_tobytes(s, y);
  s[31] = (uint8_t)(s[31] | (zg__fe_sgn0(x) << 7));
}

/* (X : Y : Z) = 8 * (X : Y : Z), then to affine with one inversion.
 * Doubling for a = -1 (dbl-2008-hwcd): A = X^2, B = Y^2, C = 2 Z^2,
 * E = (X + Y)^2 - A - B, G = B - A, F = G - C, H = -A - B;
 * X3 = E F, Y3 = G H, Z3 = F G. F and G never vanish on this curve (d is
 * not a square), so this holds for every point, small-order ones included. */
static void mul8_proj_to_affine(zg__fe_t *x, zg__fe_t *y, zg__fe_t X, zg__fe_t Y, zg__fe_t Z) {
  zg__fe_t A, B, C, E, F, G, H, inv;
  for (int i = 0; i < 3; i++) {
    zg__fe_sq(&A, &X);
    zg__fe_sq(&B, &Y);
    zg__fe_sq(&C, &Z);
    zg__fe_add(&C, &C, &C);
    zg__fe_add(&E, &X, &Y);
    zg__fe_sq(&E, &E);
    zg__fe_sub(&E, &E, &A);
    zg__fe_sub(&E, &E, &B);
    zg__fe_sub(&G, &B, &A);
    zg__fe_sub(&F, &G, &C);
    zg__fe_add(&H, &A, &B);
    zg__fe_neg(&H, &H);
    zg__fe_mul(&X, &E, &F);
    zg__fe_mul(&Y, &G, &H);
    zg__fe_mul(&Z, &F, &G);
  }
  zg__fe_invert(&inv, &Z);
  zg__fe_mul(x, &X, &inv);
  zg__fe_mul(y, &Y, &inv);
}

void zg__ed25519_mul8(zg__fe_t *x, zg__fe_t *y) { mul8_proj_to_affine(x, y, *x, *y, zg__fe_one); }

int zg__ed25519_decode_var(zg__fe_t *x, zg__fe_t *y, const uint8_t s[32]) {
  uint8_t ys[32];
  memcpy(ys, s, 32);
  unsigned sign = ys[31] >> 7;
  ys[31] &= 0x7f;
  if (!zg__fe_bytes_canonical_var(ys)) return 1;
  zg__fe_frombytes(y, ys);
  /* x^2 = u / v with u = y^2 - 1, v = d y^2 + 1; candidate
   * x = u v^3 (u v^7)^((p - 5) / 8), as RFC 8032 section 5.1.3. */
  zg__fe_t u, v, v3, t, vx2, nu;
  zg__fe_sq(&u, y);
  zg__fe_mul(&v, &u, &zg__fe_d);
  zg__fe_sub(&u, &u, &zg__fe_one);
  zg__fe_add(&v, &v, &zg__fe_one);
  zg__fe_sq(&v3, &v);
  zg__fe_mul(&v3, &v3, &v);
  zg__fe_sq(&t, &v3);
  zg__fe_mul(&t, &t, &v);
  zg__fe_mul(&t, &t, &u); /* u v^7 */
  zg__fe_pow22523(&t, &t);
  zg__fe_mul(&t, &t, &v3);
  zg__fe_mul(x, &t, &u);
  zg__fe_sq(&vx2, x);
  zg__fe_mul(&vx2, &vx2, &v);
  zg__fe_neg(&nu, &u);
  if (zg__fe_eq(&vx2, &u)) {
    /* x is a root */
  } else if (zg__fe_eq(&vx2, &nu)) {
    zg__fe_mul(x, x, &zg__fe_sqrtm1);
  } else {
    return 2;
  }
  if (zg__fe_iszero(x) && sign) return 1;
  if (zg__fe_sgn0(x) != sign) zg__fe_neg(x, x);
  return 0;
}

/* map_to_curve_elligator2_curve25519 (RFC 9380 G.2.1), straight-line; gives
 * x = xn / xd and y (with yd = 1), plus gx1 / gxd and e3 for callers that
 * want the intermediate values. */
static void ell2_curve25519(zg__fe_t *xn, zg__fe_t *xd, zg__fe_t *y, zg__fe_t *gx1_out, zg__fe_t *gxd_out,
                            unsigned *e3_out, const zg__fe_t *u) {
  zg__fe_t tv1, tv2, tv3, x1n, gxd, gx1, y11, y12, y1, x2n, y21, y22, gx2, y2, J, ny;
  zg__fe_set_u64(&J, ELL2_J);
  zg__fe_sq(&tv1, u);
  zg__fe_add(&tv1, &tv1, &tv1);      /* 2 u^2 */
  zg__fe_add(xd, &tv1, &zg__fe_one); /* nonzero: -1/2 is not a square */
  zg__fe_neg(&x1n, &J);              /* x1 = -J / (1 + 2 u^2) */
  zg__fe_sq(&tv2, xd);
  zg__fe_mul(&gxd, &tv2, xd); /* xd^3 */
  zg__fe_mul(&gx1, &J, &tv1); /* x1n + J xd */
  zg__fe_mul(&gx1, &gx1, &x1n);
  zg__fe_add(&gx1, &gx1, &tv2);
  zg__fe_mul(&gx1, &gx1, &x1n); /* x1n^3 + J x1n^2 xd + x1n xd^2 */
  zg__fe_sq(&tv3, &gxd);
  zg__fe_sq(&tv2, &tv3);        /* gxd^4 */
  zg__fe_mul(&tv3, &tv3, &gxd); /* gxd^3 */
  zg__fe_mul(&tv3, &tv3, &gx1); /* gx1 gxd^3 */
  zg__fe_mul(&tv2, &tv2, &tv3); /* gx1 gxd^7 */
  zg__fe_pow22523(&y11, &tv2);
  zg__fe_mul(&y11, &y11, &tv3);
  zg__fe_mul(&y12, &y11, &zg__fe_sqrtm1);
  zg__fe_sq(&tv2, &y11);
  zg__fe_mul(&tv2, &tv2, &gxd);
  unsigned e1 = zg__fe_eq(&tv2, &gx1);
  y1 = y12;
  zg__fe_cmov(&y1, &y11, e1);   /* sqrt of g(x1) when it is a square */
  zg__fe_mul(&x2n, &x1n, &tv1); /* x2 = 2 u^2 x1 */
  zg__fe_mul(&y21, &y11, u);
  zg__fe_mul(&y21, &y21, &ell2_c2);
  zg__fe_mul(&y22, &y21, &zg__fe_sqrtm1);
  zg__fe_mul(&gx2, &gx1, &tv1); /* g(x2) = 2 u^2 g(x1) */
  zg__fe_sq(&tv2, &y21);
  zg__fe_mul(&tv2, &tv2, &gxd);
  unsigned e2 = zg__fe_eq(&tv2, &gx2);
  y2 = y22;
  zg__fe_cmov(&y2, &y21, e2);
  zg__fe_sq(&tv2, &y1);
  zg__fe_mul(&tv2, &tv2, &gxd);
  unsigned e3 = zg__fe_eq(&tv2, &gx1);
  *xn = x2n;
  zg__fe_cmov(xn, &x1n, e3);
  *y = y2;
  zg__fe_cmov(y, &y1, e3);
  unsigned e4 = zg__fe_sgn0(y);
  zg__fe_neg(&ny, y);
  zg__fe_cmov(y, &ny, e3 ^ e4);
  *gx1_out = gx1;
  *gxd_out = gxd;
  *e3_out = e3;
}

/* The Edwards point of G.2.2 as fractions xn / xd, yn / yd (never 0 / 0). */
static void map_ell2_frac(zg__fe_t *xn, zg__fe_t *xd, zg__fe_t *yn, zg__fe_t *yd, zg__fe_t *g1, zg__fe_t *gd,
                          unsigned *e3, const zg__fe_t *u) {
  zg__fe_t xMn, xMd, yM, den;
  ell2_curve25519(&xMn, &xMd, &yM, g1, gd, e3, u);
  /* Rational map with yMd = 1: x = c1 xM / yM, y = (xM - 1) / (xM + 1). */
  zg__fe_mul(xn, &xMn, &ell2_c1_ed);
  zg__fe_mul(xd, &xMd, &yM);
  zg__fe_sub(yn, &xMn, &xMd);
  zg__fe_add(yd, &xMn, &xMd);
  zg__fe_mul(&den, xd, yd);
  unsigned e = zg__fe_iszero(&den); /* exceptional case: the identity */
  zg__fe_cmov(xn, &zg__fe_zero, e);
  zg__fe_cmov(xd, &zg__fe_one, e);
  zg__fe_cmov(yn, &zg__fe_one, e);
  zg__fe_cmov(yd, &zg__fe_one, e);
}

void zg__ed25519_map_ell2(zg__fe_t *x, zg__fe_t *y, const zg__fe_t *u, zg__fe_t *gx1, bool *gx1_square) {
  zg__fe_t xn, xd, yn, yd, g1, gd, den, inv;
  unsigned e3;
  map_ell2_frac(&xn, &xd, &yn, &yd, &g1, &gd, &e3, u);
  /* One inversion for both coordinates: 1 / (xd yd). */
  zg__fe_mul(&den, &xd, &yd);
  zg__fe_invert(&inv, &den);
  zg__fe_mul(x, &xn, &yd);
  zg__fe_mul(x, x, &inv);
  zg__fe_mul(y, &yn, &xd);
  zg__fe_mul(y, y, &inv);
  if (gx1) {
    zg__fe_invert(&inv, &gd);
    zg__fe_mul(gx1, &g1, &inv);
  }
  if (gx1_square) *gx1_square = e3 != 0;
}

void zg__ed25519_map_ell2_mul8(zg__fe_t *x, zg__fe_t *y, const zg__fe_t *u) {
  zg__fe_t xn, xd, yn, yd, g1, gd, X, Y, Z;
  unsigned e3;
  map_ell2_frac(&xn, &xd, &yn, &yd, &g1, &gd, &e3, u);
  zg__fe_mul(&X, &xn, &yd);
  zg__fe_mul(&Y, &yn, &xd);
  zg__fe_mul(&Z, &xd, &yd);
  mul8_proj_to_affine(x, y, X, Y, Z);
}

/*
 * test_bls_field.c — BLS12-381 field arithmetic: Fp, Fr, Fp2, Fp12.
 *
 * Montgomery arithmetic is cross-checked against a deliberately slow and
 * obvious reference (schoolbook products, bit-by-bit long division) on
 * random elements; the extension fields are checked through the field
 * axioms and known structure (norms, Frobenius as the p-th power).
 */
#include <stdbool.h>
#include <string.h>

#include "crypto/bls_field.h"
#include "crypto/bls_fp12.h"
#include "zg_test.h"

/* ---------------- tiny bigint reference ---------------- */

#define BN_MAX 16
typedef struct {
  uint64_t l[BN_MAX];
  int n; /* limbs in use */
} bn_t;

static const uint8_t P_BE[48] = {0x1a, 0x01, 0x11, 0xea, 0x39, 0x7f, 0xe6, 0x9a, 0x4b, 0x1b, 0xa7, 0xb6,
                                 0x43, 0x4b, 0xac, 0xd7, 0x64, 0x77, 0x4b, 0x84, 0xf3, 0x85, 0x12, 0xbf,
                                 0x67, 0x30, 0xd2, 0xa0, 0xf6, 0xb0, 0xf6, 0x24, 0x1e, 0xab, 0xff, 0xfe,
                                 0xb1, 0x53, 0xff, 0xff, 0xb9, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xaa, 0xab};
static const uint8_t R_BE[32] = {0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8,
                                 0x08, 0x09, 0xa1, 0xd8, 0x05, 0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe,
                                 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01};

static void bn_from_be(bn_t *r, const uint8_t *in, size_t len) {
  memset(r, 0, sizeof *r);
  for (size_t i = 0; i < len; i++) {
    size_t bit = 8 * (len - 1 - i);
    r->l[bit / 64] |= (uint64_t)in[i] << (bit % 64);
  }
  r->n = BN_MAX;
}

static void bn_to_be(uint8_t *out, size_t len, const bn_t *a) {
  for (size_t i = 0; i < len; i++) {
    size_t bit = 8 * (len - 1 - i);
    out[i] = (uint8_t)(a->l[bit / 64] >> (bit % 64));
  }
}

static int bn_cmp(const bn_t *a, const bn_t *b) {
  for (int i = BN_MAX - 1; i >= 0; i--) {
    if (a->l[i] != b->l[i]) return a->l[i] < b->l[i] ? -1 : 1;
  }
  return 0;
}

static void bn_sub(bn_t *r, const bn_t *a, const bn_t *b) { /* a >= b */
  uint64_t borrow = 0;
  for (int i = 0; i < BN_MAX; i++) {
    uint64_t x = a->l[i] - b->l[i] - borrow;
    borrow = (a->l[i] < b->l[i]) || (a->l[i] == b->l[i] && borrow);
    r->l[i] = x;
  }
}

static void bn_add(bn_t *r, const bn_t *a, const bn_t *b) {
  unsigned __int128 c = 0;
  for (int i = 0; i < BN_MAX; i++) {
    c += (unsigned __int128)a->l[i] + b->l[i];
    r->l[i] = (uint64_t)c;
    c >>= 64;
  }
}

static void bn_mul(bn_t *r, const bn_t *a, const bn_t *b) { /* operands < 2^512 */
  bn_t t;
  memset(&t, 0, sizeof t);
  for (int i = 0; i < BN_MAX / 2; i++) {
    uint64_t c = 0;
    for (int j = 0; j < BN_MAX / 2; j++) {
      unsigned __int128 s = (unsigned __int128)a->l[i] * b->l[j] + t.l[i + j] + c;
      t.l[i + j] = (uint64_t)s;
      c = (uint64_t)(s >> 64);
    }
    t.l[i + BN_MAX / 2] = c;
  }
  *r = t;
}

/* r = a mod m, one bit at a time. */
static void bn_mod(bn_t *r, const bn_t *a, const bn_t *m) {
  bn_t rem;
  memset(&rem, 0, sizeof rem);
  for (int bit = 64 * BN_MAX - 1; bit >= 0; bit--) {
    for (int i = BN_MAX - 1; i > 0; i--) rem.l[i] = (rem.l[i] << 1) | (rem.l[i - 1] >> 63);
    rem.l[0] = (rem.l[0] << 1) | ((a->l[bit / 64] >> (bit % 64)) & 1);
    if (bn_cmp(&rem, m) >= 0) bn_sub(&rem, &rem, m);
  }
  *r = rem;
}

static bn_t bn_p, bn_r;

static void ref_init(void) {
  bn_from_be(&bn_p, P_BE, 48);
  bn_from_be(&bn_r, R_BE, 32);
}

/* Random canonical element as big-endian bytes plus its bigint. */
static void rand_fp_bytes(uint8_t out[48], bn_t *v) {
  bn_t t;
  zgt_rand_bytes(out, 48);
  bn_from_be(&t, out, 48);
  bn_mod(v, &t, &bn_p);
  bn_to_be(out, 48, v);
}

static zg_fp_t rand_fp(void) {
  uint8_t b[48];
  bn_t v;
  zg_fp_t a;
  rand_fp_bytes(b, &v);
  if (zg__fp_from_be48(&a, b) != ZG_OK) a = zg__fp_zero;
  return a;
}

static bn_t fp_to_bn(const zg_fp_t *a) {
  uint8_t b[48];
  bn_t v;
  zg__fp_to_be48(b, a);
  bn_from_be(&v, b, 48);
  return v;
}

/* ---------------- Fp ---------------- */

static void test_fp_against_reference(void) {
  for (long it = 0; it < zgt_iters(300); it++) {
    uint8_t ab[48], bb[48];
    bn_t av, bv, want, t;
    zg_fp_t a, b, c;
    rand_fp_bytes(ab, &av);
    rand_fp_bytes(bb, &bv);
    CHECK_OK(zg__fp_from_be48(&a, ab));
    CHECK_OK(zg__fp_from_be48(&b, bb));

    zg__fp_mul(&c, &a, &b);
    bn_mul(&t, &av, &bv);
    bn_mod(&want, &t, &bn_p);
    t = fp_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);
    zg__fp_mul_portable(&c, &a, &b);
    t = fp_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);

    zg__fp_sqr(&c, &a);
    bn_mul(&t, &av, &av);
    bn_mod(&want, &t, &bn_p);
    t = fp_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);

    zg__fp_add(&c, &a, &b);
    bn_add(&t, &av, &bv);
    bn_mod(&want, &t, &bn_p);
    t = fp_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);
    zg__fp_add_portable(&c, &a, &b);
    t = fp_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);

    zg__fp_sub(&c, &a, &b);
    bn_add(&t, &av, &bn_p);
    bn_sub(&t, &t, &bv);
    bn_mod(&want, &t, &bn_p);
    t = fp_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);
    zg__fp_sub_portable(&c, &a, &b);
    t = fp_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);

    /* The wide product and REDC agree with the Montgomery product. */
    uint64_t w[12];
    zg_fp_t d;
    zg__fp_mul_wide(w, &a, &b);
    zg__fp_redc(&d, w);
    zg__fp_mul(&c, &a, &b);
    CHECK(zg__fp_eq(&c, &d));

    /* sgn0 is the parity; lex-largest compares with (p - 1) / 2. */
    CHECK_EQ(zg__fp_sgn0(&a), av.l[0] & 1);
    bn_t half, one;
    memset(&one, 0, sizeof one);
    one.l[0] = 1;
    bn_sub(&half, &bn_p, &one);
    for (int i = 0; i < BN_MAX; i++)
      half.l[i] = (half.l[i] >> 1) | (i + 1 < BN_MAX ? half.l[i + 1] << 63 : 0);
    CHECK_EQ(zg__fp_is_lex_largest(&a), bn_cmp(&av, &half) > 0);

    /* 64-byte reduction. */
    uint8_t wide[64];
    zgt_rand_bytes(wide, sizeof wide);
    zg__fp_from_be64_reduce(&c, wide);
    bn_from_be(&t, wide, 64);
    bn_mod(&want, &t, &bn_p);
    t = fp_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);
  }
}

static void test_fp_axioms(void) {
  for (long it = 0; it < zgt_iters(200); it++) {
    zg_fp_t a = rand_fp(), b = rand_fp(), c = rand_fp(), x, y, z;
    zg__fp_mul(&x, &a, &b);
    zg__fp_mul(&x, &x, &c);
    zg__fp_mul(&y, &b, &c);
    zg__fp_mul(&y, &a, &y);
    CHECK(zg__fp_eq(&x, &y));
    zg__fp_add(&x, &b, &c);
    zg__fp_mul(&x, &a, &x);
    zg__fp_mul(&y, &a, &b);
    zg__fp_mul(&z, &a, &c);
    zg__fp_add(&y, &y, &z);
    CHECK(zg__fp_eq(&x, &y));
    zg__fp_neg(&x, &a);
    zg__fp_add(&x, &x, &a);
    CHECK(zg__fp_is_zero(&x));
    zg__fp_dbl(&x, &a);
    zg__fp_add(&y, &a, &a);
    CHECK(zg__fp_eq(&x, &y));
    /* Inverse. */
    zg__fp_inv(&x, &a);
    zg__fp_mul(&x, &x, &a);
    CHECK(zg__fp_is_zero(&a) || zg__fp_eq(&x, &zg__fp_one));
    /* Square roots of squares; a square times -1 is not a square (p = 3 mod 4). */
    zg__fp_sqr(&x, &a);
    CHECK(zg__fp_is_square(&x));
    CHECK(zg__fp_sqrt(&y, &x));
    zg__fp_neg(&z, &y);
    CHECK(zg__fp_eq(&y, &a) || zg__fp_eq(&z, &a));
    if (!zg__fp_is_zero(&a)) {
      zg__fp_neg(&x, &x);
      CHECK(!zg__fp_is_square(&x));
      CHECK(!zg__fp_sqrt(&y, &x));
    }
    /* cmov. */
    x = a;
    zg__fp_cmov(&x, &b, false);
    CHECK(zg__fp_eq(&x, &a));
    zg__fp_cmov(&x, &b, true);
    CHECK(zg__fp_eq(&x, &b));
  }
  zg_fp_t z;
  zg__fp_inv(&z, &zg__fp_zero);
  CHECK(zg__fp_is_zero(&z));
  CHECK(zg__fp_is_square(&zg__fp_zero));
  zg__fp_neg(&z, &zg__fp_zero);
  CHECK(zg__fp_is_zero(&z));
}

static void test_fp_encoding(void) {
  uint8_t b[48], out[48];
  zg_fp_t a;
  /* p, p + 1 and 2^384 - 1 are rejected; p - 1 and 0 are accepted. */
  memcpy(b, P_BE, 48);
  CHECK_ERR(zg__fp_from_be48(&a, b), ZG_EFIELD);
  CHECK(zg__fp_is_zero(&a));
  b[47]++;
  CHECK_ERR(zg__fp_from_be48(&a, b), ZG_EFIELD);
  memset(b, 0xff, 48);
  CHECK_ERR(zg__fp_from_be48(&a, b), ZG_EFIELD);
  memcpy(b, P_BE, 48);
  b[47]--;
  CHECK_OK(zg__fp_from_be48(&a, b));
  zg__fp_to_be48(out, &a);
  CHECK_MEM(out, b, 48);
  zg_fp_t m1;
  zg__fp_neg(&m1, &zg__fp_one);
  CHECK(zg__fp_eq(&a, &m1));
  CHECK(zg__fp_is_lex_largest(&a));
  memset(b, 0, 48);
  CHECK_OK(zg__fp_from_be48(&a, b));
  CHECK(zg__fp_is_zero(&a));
  CHECK(!zg__fp_is_lex_largest(&a));
  b[47] = 1;
  CHECK_OK(zg__fp_from_be48(&a, b));
  CHECK(zg__fp_eq(&a, &zg__fp_one));
  CHECK_EQ(zg__fp_sgn0(&a), 1);
  zg__fp_from_u64(&a, 1);
  CHECK(zg__fp_eq(&a, &zg__fp_one));
  zg__fp_from_u64(&a, 0x123456789abcdef0ull);
  zg__fp_to_be48(out, &a);
  memset(b, 0, 48);
  for (int i = 0; i < 8; i++) b[40 + i] = (uint8_t)(0x123456789abcdef0ull >> (56 - 8 * i));
  CHECK_MEM(out, b, 48);
  /* 64-byte reduction at the extremes: 0, 2^512 - 1, p (to 0), p * 2^128 + 1. */
  uint8_t w[64];
  bn_t wv, want, got;
  for (int c = 0; c < 4; c++) {
    memset(w, c == 1 ? 0xff : 0, 64);
    if (c == 2) memcpy(w + 16, P_BE, 48);
    if (c == 3) {
      memcpy(w, P_BE, 48);
      w[63] = 1;
    }
    zg__fp_from_be64_reduce(&a, w);
    bn_from_be(&wv, w, 64);
    bn_mod(&want, &wv, &bn_p);
    got = fp_to_bn(&a);
    CHECK(bn_cmp(&got, &want) == 0);
  }
  for (long it = 0; it < zgt_iters(100); it++) {
    bn_t v;
    rand_fp_bytes(b, &v);
    CHECK_OK(zg__fp_from_be48(&a, b));
    zg__fp_to_be48(out, &a);
    CHECK_MEM(out, b, 48);
  }
}

/* ---------------- Fr ---------------- */

static bn_t fr_to_bn(const zg_fr_t *a) {
  uint8_t b[32];
  bn_t v;
  zg_fr_to_be32(b, a);
  bn_from_be(&v, b, 32);
  return v;
}

static void rand_fr(zg_fr_t *a, bn_t *v) {
  uint8_t b[32];
  bn_t t;
  zgt_rand_bytes(b, 32);
  bn_from_be(&t, b, 32);
  bn_mod(v, &t, &bn_r);
  bn_to_be(b, 32, v);
  if (zg_fr_from_be32(a, b) != ZG_OK) zg_fr_set_zero(a);
}

static void test_fr_against_reference(void) {
  for (long it = 0; it < zgt_iters(300); it++) {
    zg_fr_t a, b, c;
    bn_t av, bv, t, want;
    rand_fr(&a, &av);
    rand_fr(&b, &bv);
    zg_fr_mul(&c, &a, &b);
    bn_mul(&t, &av, &bv);
    bn_mod(&want, &t, &bn_r);
    t = fr_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);
    zg__fr_mul_portable(&c, &a, &b);
    t = fr_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);
    zg_fr_add(&c, &a, &b);
    bn_add(&t, &av, &bv);
    bn_mod(&want, &t, &bn_r);
    t = fr_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);
    zg__fr_add_portable(&c, &a, &b);
    t = fr_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);
    zg_fr_sub(&c, &a, &b);
    bn_add(&t, &av, &bn_r);
    bn_sub(&t, &t, &bv);
    bn_mod(&want, &t, &bn_r);
    t = fr_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);
    zg__fr_sub_portable(&c, &a, &b);
    t = fr_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);
    /* Reduction of an arbitrary-length byte string. */
    uint8_t buf[70];
    size_t len = zgt_rand_below(sizeof buf + 1);
    zgt_rand_bytes(buf, len);
    zg_fr_from_be_reduce(&c, buf, len);
    bn_from_be(&t, buf, len);
    bn_mod(&want, &t, &bn_r);
    t = fr_to_bn(&c);
    CHECK(bn_cmp(&t, &want) == 0);
    /* Little-endian and limb round trips. */
    uint8_t le[32], be[32];
    zg_fr_to_le32(le, &a);
    zg_fr_to_be32(be, &a);
    for (int i = 0; i < 32; i++) CHECK_EQ(le[i], be[31 - i]);
    CHECK_OK(zg_fr_from_le32(&c, le));
    CHECK(zg_fr_eq(&c, &a));
    uint64_t limbs[4];
    zg_fr_to_u64s(limbs, &a);
    for (int i = 0; i < 4; i++) CHECK_EQ(limbs[i], av.l[i]);
    zg_fr_from_u64s(&c, limbs);
    CHECK(zg_fr_eq(&c, &a));
  }
}

static void test_fr_axioms(void) {
  zg_fr_t a, b, c, x, y, one;
  bn_t v;
  zg_fr_set_one(&one);
  CHECK(zg_fr_is_one(&one));
  for (long it = 0; it < zgt_iters(100); it++) {
    rand_fr(&a, &v);
    rand_fr(&b, &v);
    zg_fr_inv(&x, &a);
    zg_fr_mul(&x, &x, &a);
    CHECK(zg_fr_is_zero(&a) || zg_fr_is_one(&x));
    zg_fr_neg(&x, &a);
    zg_fr_add(&x, &x, &a);
    CHECK(zg_fr_is_zero(&x));
    /* a^(e1) * a^(e2) = a^(e1 + e2) with small exponents. */
    uint64_t e1[4] = {zgt_rand64() >> 2, 0, 0, 0}, e2[4] = {zgt_rand64() >> 2, 0, 0, 0};
    uint64_t e3[4] = {e1[0] + e2[0], 0, 0, 0};
    zg_fr_pow(&x, &a, e1);
    zg_fr_pow(&y, &a, e2);
    zg_fr_mul(&x, &x, &y);
    zg_fr_pow(&y, &a, e3);
    CHECK(zg_fr_eq(&x, &y));
    zg_fr_sqr(&x, &b);
    zg_fr_mul(&y, &b, &b);
    CHECK(zg_fr_eq(&x, &y));
  }
  /* Fermat: a^(r-1) = 1. */
  uint64_t rm1[4] = {0xffffffff00000000ull, 0x53bda402fffe5bfeull, 0x3339d80809a1d805ull,
                     0x73eda753299d7d48ull};
  rand_fr(&a, &v);
  zg_fr_pow(&x, &a, rm1);
  CHECK(zg_fr_is_zero(&a) || zg_fr_is_one(&x));
  zg_fr_set_zero(&c);
  zg_fr_inv(&x, &c);
  CHECK(zg_fr_is_zero(&x));
  /* Batch inversion with zeros, in place. */
  zg_fr_t in[9], out[9], scratch[9];
  for (int i = 0; i < 9; i++) rand_fr(&in[i], &v);
  zg_fr_set_zero(&in[0]);
  zg_fr_set_zero(&in[5]);
  memcpy(out, in, sizeof in);
  zg_fr_batch_inv(out, out, 9, scratch);
  for (int i = 0; i < 9; i++) {
    zg_fr_inv(&x, &in[i]);
    CHECK(zg_fr_eq(&x, &out[i]));
  }
}

static void test_fr_encoding(void) {
  uint8_t b[32];
  zg_fr_t a, m1, one;
  memcpy(b, R_BE, 32);
  CHECK_ERR(zg_fr_from_be32(&a, b), ZG_ESCALAR);
  b[31]++;
  CHECK_ERR(zg_fr_from_be32(&a, b), ZG_ESCALAR);
  memset(b, 0xff, 32);
  CHECK_ERR(zg_fr_from_be32(&a, b), ZG_ESCALAR);
  CHECK_ERR(zg_fr_from_le32(&a, b), ZG_ESCALAR);
  memcpy(b, R_BE, 32);
  b[31]--;
  CHECK_OK(zg_fr_from_be32(&a, b));
  zg_fr_set_one(&one);
  zg_fr_neg(&m1, &one);
  CHECK(zg_fr_eq(&a, &m1));
  uint8_t le[32];
  for (int i = 0; i < 32; i++) le[i] = R_BE[31 - i];
  CHECK_ERR(zg_fr_from_le32(&a, le), ZG_ESCALAR);
  zg_fr_from_u64(&a, 1);
  CHECK(zg_fr_is_one(&a));
  /* from_u64s reduces a value in [r, 2r) once; a^0 = 1; 0^e = 0. */
  uint64_t rp5[4] = {0xffffffff00000006ull, 0x53bda402fffe5bfeull, 0x3339d80809a1d805ull,
                     0x73eda753299d7d48ull};
  zg_fr_t five;
  zg_fr_from_u64s(&a, rp5);
  zg_fr_from_u64(&five, 5);
  CHECK(zg_fr_eq(&a, &five));
  uint64_t e0[4] = {0, 0, 0, 0}, e7[4] = {7, 0, 0, 0};
  zg_fr_pow(&a, &five, e0);
  CHECK(zg_fr_is_one(&a));
  zg_fr_t z;
  zg_fr_set_zero(&z);
  zg_fr_pow(&a, &z, e7);
  CHECK(zg_fr_is_zero(&a));
  zg_fr_pow(&a, &five, e7);
  zg_fr_from_u64(&m1, 78125);
  CHECK(zg_fr_eq(&a, &m1));
}

/* ---------------- Fp2 ---------------- */

static zg_fp2_t rand_fp2(void) {
  zg_fp2_t a;
  a.c0 = rand_fp();
  a.c1 = rand_fp();
  return a;
}

static void test_fp2_arith(void) {
  static const uint64_t P_LIMBS[6] = {0xb9feffffffffaaabull, 0x1eabfffeb153ffffull, 0x6730d2a0f6b0f624ull,
                                      0x64774b84f38512bfull, 0x4b1ba7b6434bacd7ull, 0x1a0111ea397fe69aull};
  for (long it = 0; it < zgt_iters(100); it++) {
    zg_fp2_t a = rand_fp2(), b = rand_fp2(), c = rand_fp2(), x, y, z;
    zg_fp_t t0, t1;
    /* mul against the 4-product schoolbook formula. */
    zg__fp2_mul(&x, &a, &b);
    zg__fp_mul(&t0, &a.c0, &b.c0);
    zg__fp_mul(&t1, &a.c1, &b.c1);
    zg__fp_sub(&y.c0, &t0, &t1);
    zg__fp_mul(&t0, &a.c0, &b.c1);
    zg__fp_mul(&t1, &a.c1, &b.c0);
    zg__fp_add(&y.c1, &t0, &t1);
    CHECK(zg__fp2_eq(&x, &y));
    zg__fp2_sqr(&x, &a);
    zg__fp2_mul(&y, &a, &a);
    CHECK(zg__fp2_eq(&x, &y));
    zg__fp2_mul_portable(&x, &a, &b);
    zg__fp2_mul(&y, &a, &b);
    CHECK(zg__fp2_eq(&x, &y));
    /* c0 = a0 b0 - a1 b1 at both signs, and the extremes p - 1. */
    zg_fp2_t m1;
    zg__fp_neg(&m1.c0, &zg__fp_one);
    m1.c1 = m1.c0;
    zg__fp2_mul(&x, &m1, &b);
    zg__fp2_mul_portable(&y, &m1, &b);
    CHECK(zg__fp2_eq(&x, &y));
    zg__fp2_mul(&x, &m1, &m1);
    zg__fp2_mul_portable(&y, &m1, &m1);
    CHECK(zg__fp2_eq(&x, &y));
    zg__fp2_sqr(&x, &m1);
    CHECK(zg__fp2_eq(&x, &y));
    zg__fp2_sqr(&x, &a);
    zg__fp2_sqr_portable(&y, &a);
    CHECK(zg__fp2_eq(&x, &y));
    x = a; /* in place */
    zg__fp2_sqr(&x, &x);
    CHECK(zg__fp2_eq(&x, &y));
    zg__fp2_mul(&x, &a, &b);
    y = a;
    zg__fp2_mul(&y, &y, &b);
    CHECK(zg__fp2_eq(&x, &y));
    y = b;
    zg__fp2_mul(&y, &a, &y);
    CHECK(zg__fp2_eq(&x, &y));
    z = b;
    z.c0 = zg__fp_zero;
    zg__fp2_mul(&x, &a, &z);
    zg__fp2_mul_portable(&y, &a, &z);
    CHECK(zg__fp2_eq(&x, &y));
    /* Associativity and distributivity. */
    zg__fp2_mul(&x, &a, &b);
    zg__fp2_mul(&x, &x, &c);
    zg__fp2_mul(&y, &b, &c);
    zg__fp2_mul(&y, &a, &y);
    CHECK(zg__fp2_eq(&x, &y));
    zg__fp2_add(&x, &b, &c);
    zg__fp2_mul(&x, &a, &x);
    zg__fp2_mul(&y, &a, &b);
    zg__fp2_mul(&z, &a, &c);
    zg__fp2_add(&y, &y, &z);
    CHECK(zg__fp2_eq(&x, &y));
    zg__fp2_sub(&x, &y, &z);
    zg__fp2_mul(&y, &a, &b);
    CHECK(zg__fp2_eq(&x, &y));
    zg__fp2_neg(&x, &a);
    zg__fp2_add(&x, &x, &a);
    CHECK(zg__fp2_is_zero(&x));
    zg__fp2_dbl(&x, &a);
    zg__fp2_add(&y, &a, &a);
    CHECK(zg__fp2_eq(&x, &y));
    /* xi = 1 + u; mul_fp; conj is the Frobenius a^p. */
    zg_fp2_t xi = {zg__fp_one, zg__fp_one};
    zg__fp2_mul_by_xi(&x, &a);
    zg__fp2_mul(&y, &a, &xi);
    CHECK(zg__fp2_eq(&x, &y));
    zg__fp2_mul_fp(&x, &a, &b.c0);
    z.c0 = b.c0;
    z.c1 = zg__fp_zero;
    zg__fp2_mul(&y, &a, &z);
    CHECK(zg__fp2_eq(&x, &y));
    if (it < 5) {
      zg__fp2_conj(&x, &a);
      zg__fp2_pow_pub(&y, &a, P_LIMBS);
      CHECK(zg__fp2_eq(&x, &y));
    }
    /* Inverse. */
    zg__fp2_inv(&x, &a);
    zg__fp2_mul(&x, &x, &a);
    CHECK(zg__fp2_eq(&x, &zg__fp2_one));
    /* cmov. */
    x = a;
    zg__fp2_cmov(&x, &b, false);
    CHECK(zg__fp2_eq(&x, &a));
    zg__fp2_cmov(&x, &b, true);
    CHECK(zg__fp2_eq(&x, &b));
  }
  zg_fp2_t z;
  zg__fp2_inv(&z, &zg__fp2_zero);
  CHECK(zg__fp2_is_zero(&z));
}

static void test_fp2_sqrt(void) {
  int nonsquares = 0;
  for (long it = 0; it < zgt_iters(40); it++) {
    zg_fp2_t a = rand_fp2(), x, y, n;
    /* Squares have roots, whose square is the input. */
    zg__fp2_sqr(&x, &a);
    CHECK(zg__fp2_is_square(&x));
    CHECK(zg__fp2_sqrt(&y, &x));
    zg__fp2_neg(&n, &y);
    CHECK(zg__fp2_eq(&y, &a) || zg__fp2_eq(&n, &a));
    /* Elements of Fp are squares in Fp2 (both a and -a). */
    x.c0 = a.c0;
    x.c1 = zg__fp_zero;
    CHECK(zg__fp2_sqrt(&y, &x));
    zg__fp2_neg(&x, &x);
    CHECK(zg__fp2_sqrt(&y, &x));
    zg__fp2_sqr(&n, &y);
    CHECK(zg__fp2_eq(&n, &x));
    /* A random element: sqrt succeeds exactly when is_square says so. */
    bool sq = zg__fp2_is_square(&a);
    CHECK_EQ(zg__fp2_sqrt(&y, &a), sq);
    if (sq) {
      zg__fp2_sqr(&n, &y);
      CHECK(zg__fp2_eq(&n, &a));
    } else {
      nonsquares++;
    }
  }
  CHECK(nonsquares > 0);
  zg_fp2_t r;
  CHECK(zg__fp2_sqrt(&r, &zg__fp2_zero));
  CHECK(zg__fp2_is_zero(&r));
  CHECK(zg__fp2_is_square(&zg__fp2_zero));
}

static void test_fp2_sign(void) {
  zg_fp2_t a;
  zg_fp_t m1, two;
  zg__fp_neg(&m1, &zg__fp_one);
  zg__fp_from_u64(&two, 2);
  /* sgn0: c0's parity unless c0 == 0, then c1's. */
  a.c0 = zg__fp_one, a.c1 = two;
  CHECK_EQ(zg__fp2_sgn0(&a), 1);
  a.c0 = two, a.c1 = zg__fp_one;
  CHECK_EQ(zg__fp2_sgn0(&a), 0);
  a.c0 = zg__fp_zero, a.c1 = zg__fp_one;
  CHECK_EQ(zg__fp2_sgn0(&a), 1);
  a.c0 = zg__fp_zero, a.c1 = two;
  CHECK_EQ(zg__fp2_sgn0(&a), 0);
  CHECK_EQ(zg__fp2_sgn0(&zg__fp2_zero), 0);
  /* lex-largest: c1 decides unless it is zero. */
  a.c0 = zg__fp_one, a.c1 = m1;
  CHECK(zg__fp2_is_lex_largest(&a));
  a.c0 = m1, a.c1 = zg__fp_one;
  CHECK(!zg__fp2_is_lex_largest(&a));
  a.c0 = m1, a.c1 = zg__fp_zero;
  CHECK(zg__fp2_is_lex_largest(&a));
  a.c0 = zg__fp_one, a.c1 = zg__fp_zero;
  CHECK(!zg__fp2_is_lex_largest(&a));
  for (long it = 0; it < zgt_iters(50); it++) {
    zg_fp2_t x = rand_fp2(), n;
    if (zg__fp2_is_zero(&x)) continue;
    zg__fp2_neg(&n, &x);
    CHECK(zg__fp2_is_lex_largest(&x) != zg__fp2_is_lex_largest(&n));
    CHECK(zg__fp2_sgn0(&x) != zg__fp2_sgn0(&n));
  }
}

/* ---------------- Fp6 / Fp12 ---------------- */

static zg_fp12_t rand_fp12(void) {
  zg_fp12_t r;
  zg_fp2_t *c = (zg_fp2_t *)&r;
  for (int i = 0; i < 6; i++) c[i] = rand_fp2();
  return r;
}

static void fp12_pow_limbs(zg_fp12_t *r, const zg_fp12_t *a, const uint64_t *e, int nlimbs) {
  zg_fp12_t acc;
  zg__fp12_one(&acc);
  for (int i = 64 * nlimbs - 1; i >= 0; i--) {
    zg__fp12_sqr(&acc, &acc);
    if ((e[i / 64] >> (i % 64)) & 1) zg__fp12_mul(&acc, &acc, a);
  }
  *r = acc;
}

static void test_fp6(void) {
  for (long it = 0; it < zgt_iters(30); it++) {
    zg_fp12_t A = rand_fp12(), B = rand_fp12();
    zg_fp6_t a = A.c0, b = B.c0, c = A.c1, x, y, z;
    zg__fp6_sqr(&x, &a);
    zg__fp6_mul(&y, &a, &a);
    CHECK(zg__fp12_eq(&(zg_fp12_t){x, x}, &(zg_fp12_t){y, y}));
    zg__fp6_mul(&x, &a, &b); /* commutative, associative, distributive */
    zg__fp6_mul(&y, &b, &a);
    CHECK(zg__fp12_eq(&(zg_fp12_t){x, x}, &(zg_fp12_t){y, y}));
    zg__fp6_mul(&x, &x, &c);
    zg__fp6_mul(&y, &b, &c);
    zg__fp6_mul(&y, &a, &y);
    CHECK(zg__fp12_eq(&(zg_fp12_t){x, x}, &(zg_fp12_t){y, y}));
    zg__fp6_add(&x, &b, &c);
    zg__fp6_mul(&x, &a, &x);
    zg__fp6_mul(&y, &a, &b);
    zg__fp6_mul(&z, &a, &c);
    zg__fp6_add(&y, &y, &z);
    CHECK(zg__fp12_eq(&(zg_fp12_t){x, x}, &(zg_fp12_t){y, y}));
    zg__fp6_sub(&x, &y, &z);
    zg__fp6_mul(&y, &a, &b);
    CHECK(zg__fp12_eq(&(zg_fp12_t){x, x}, &(zg_fp12_t){y, y}));
    /* mul_by_v is multiplication by v; v^3 = u + 1. */
    zg_fp6_t v = {zg__fp2_zero, zg__fp2_one, zg__fp2_zero};
    zg__fp6_mul_by_v(&x, &a);
    zg__fp6_mul(&y, &a, &v);
    CHECK(zg__fp12_eq(&(zg_fp12_t){x, x}, &(zg_fp12_t){y, y}));
    zg__fp6_mul(&x, &v, &v);
    zg__fp6_mul(&x, &x, &v);
    zg_fp6_t xi = {{zg__fp_one, zg__fp_one}, zg__fp2_zero, zg__fp2_zero};
    CHECK(zg__fp12_eq(&(zg_fp12_t){x, x}, &(zg_fp12_t){xi, xi}));
    /* Inverse. */
    zg__fp6_inv(&x, &a);
    zg__fp6_mul(&x, &x, &a);
    zg_fp6_t one = {zg__fp2_one, zg__fp2_zero, zg__fp2_zero};
    CHECK(zg__fp12_eq(&(zg_fp12_t){x, x}, &(zg_fp12_t){one, one}));
    zg__fp6_neg(&x, &a);
    zg__fp6_add(&x, &x, &a);
    zg_fp6_t zero = {zg__fp2_zero, zg__fp2_zero, zg__fp2_zero};
    CHECK(zg__fp12_eq(&(zg_fp12_t){x, x}, &(zg_fp12_t){zero, zero}));
  }
}

static void test_fp12(void) {
  static const uint64_t P_LIMBS[6] = {0xb9feffffffffaaabull, 0x1eabfffeb153ffffull, 0x6730d2a0f6b0f624ull,
                                      0x64774b84f38512bfull, 0x4b1ba7b6434bacd7ull, 0x1a0111ea397fe69aull};
  for (long it = 0; it < zgt_iters(10); it++) {
    zg_fp12_t a = rand_fp12(), b = rand_fp12(), c = rand_fp12(), x, y, z;
    zg__fp12_sqr(&x, &a);
    zg__fp12_mul(&y, &a, &a);
    CHECK(zg__fp12_eq(&x, &y));
    zg__fp12_mul(&x, &a, &b);
    zg__fp12_mul(&x, &x, &c);
    zg__fp12_mul(&y, &b, &c);
    zg__fp12_mul(&y, &a, &y);
    CHECK(zg__fp12_eq(&x, &y));
    zg__fp12_mul(&y, &c, &b);
    zg__fp12_mul(&y, &y, &a);
    CHECK(zg__fp12_eq(&x, &y));
    /* Inverse; w^2 = v: (w)(w) equals v. */
    zg__fp12_inv(&x, &a);
    zg__fp12_mul(&x, &x, &a);
    CHECK(zg__fp12_is_one(&x));
    zg_fp12_t w, v;
    memset(&w, 0, sizeof w);
    memset(&v, 0, sizeof v);
    w.c1.c0 = zg__fp2_one;
    v.c0.c1 = zg__fp2_one;
    zg__fp12_sqr(&x, &w);
    CHECK(zg__fp12_eq(&x, &v));
    /* Frobenius: p-th power, composition, order 12, p^6 = conjugation. */
    if (it < 2) {
      zg__fp12_frobenius(&x, &a, 1);
      fp12_pow_limbs(&y, &a, P_LIMBS, 6);
      CHECK(zg__fp12_eq(&x, &y));
    }
    zg__fp12_frobenius(&x, &a, 1);
    zg__fp12_frobenius(&x, &x, 1);
    zg__fp12_frobenius(&y, &a, 2);
    CHECK(zg__fp12_eq(&x, &y));
    zg__fp12_frobenius(&x, &x, 1);
    zg__fp12_frobenius(&y, &a, 3);
    CHECK(zg__fp12_eq(&x, &y));
    zg__fp12_frobenius(&x, &a, 6);
    zg__fp12_conj(&y, &a);
    CHECK(zg__fp12_eq(&x, &y));
    zg__fp12_frobenius(&x, &a, 12);
    CHECK(zg__fp12_eq(&x, &a));
    zg__fp12_frobenius(&x, &a, 5);
    zg__fp12_frobenius(&x, &x, 7);
    CHECK(zg__fp12_eq(&x, &a));
    /* Frobenius is multiplicative. */
    zg__fp12_mul(&z, &a, &b);
    zg__fp12_frobenius(&z, &z, 1);
    zg__fp12_frobenius(&x, &a, 1);
    zg__fp12_frobenius(&y, &b, 1);
    zg__fp12_mul(&x, &x, &y);
    CHECK(zg__fp12_eq(&x, &z));
    /* Sparse line multiplication against the full product. */
    zg_fp2_t l0 = rand_fp2(), l1 = rand_fp2(), l3 = rand_fp2();
    zg_fp12_t l;
    memset(&l, 0, sizeof l);
    l.c0.c0 = l0;
    l.c0.c1 = l1;
    l.c1.c1 = l3;
    zg__fp12_mul(&y, &a, &l);
    x = a;
    zg__fp12_mul_by_line(&x, &l0, &l1, &l3);
    CHECK(zg__fp12_eq(&x, &y));
    /* Cyclotomic subgroup: m = a^((p^6 - 1)(p^2 + 1)). */
    zg_fp12_t m;
    zg__fp12_inv(&x, &a);
    zg__fp12_conj(&m, &a);
    zg__fp12_mul(&m, &m, &x);
    zg__fp12_frobenius(&x, &m, 2);
    zg__fp12_mul(&m, &m, &x);
    zg__fp12_cyclotomic_sqr(&x, &m);
    zg__fp12_sqr(&y, &m);
    CHECK(zg__fp12_eq(&x, &y));
    zg__fp12_conj(&x, &m); /* inverse in the subgroup */
    zg__fp12_mul(&x, &x, &m);
    CHECK(zg__fp12_is_one(&x));
    if (it < 2) {
      uint64_t e = ZG__BLS_X;
      zg__fp12_cyclotomic_exp_x(&x, &m);
      fp12_pow_limbs(&y, &m, &e, 1);
      CHECK(zg__fp12_eq(&x, &y));
    }
  }
  zg_fp12_t one;
  zg__fp12_one(&one);
  CHECK(zg__fp12_is_one(&one));
}

static void test_fp_edges(void) {
  /* add/sub/mul on 0, 1, p - 1, p - 2 and (p - 1)/2 against the reference. */
  uint8_t vals[5][48];
  bn_t one, t;
  memset(vals, 0, sizeof vals);
  vals[1][47] = 1;
  memset(&one, 0, sizeof one);
  one.l[0] = 1;
  bn_sub(&t, &bn_p, &one);
  bn_to_be(vals[2], 48, &t);
  bn_sub(&t, &t, &one);
  bn_to_be(vals[3], 48, &t);
  bn_add(&t, &t, &one);
  for (int i = 0; i < BN_MAX; i++) t.l[i] = (t.l[i] >> 1) | (i + 1 < BN_MAX ? t.l[i + 1] << 63 : 0);
  bn_to_be(vals[4], 48, &t);
  for (int i = 0; i < 5; i++) {
    for (int j = 0; j < 5; j++) {
      zg_fp_t a, b, c;
      bn_t av, bv, want, got;
      CHECK_OK(zg__fp_from_be48(&a, vals[i]));
      CHECK_OK(zg__fp_from_be48(&b, vals[j]));
      bn_from_be(&av, vals[i], 48);
      bn_from_be(&bv, vals[j], 48);
      zg__fp_add(&c, &a, &b);
      bn_add(&t, &av, &bv);
      bn_mod(&want, &t, &bn_p);
      got = fp_to_bn(&c);
      CHECK(bn_cmp(&got, &want) == 0);
      zg__fp_sub(&c, &a, &b);
      bn_add(&t, &av, &bn_p);
      bn_sub(&t, &t, &bv);
      bn_mod(&want, &t, &bn_p);
      got = fp_to_bn(&c);
      CHECK(bn_cmp(&got, &want) == 0);
      zg__fp_mul(&c, &a, &b);
      bn_mul(&t, &av, &bv);
      bn_mod(&want, &t, &bn_p);
      got = fp_to_bn(&c);
      CHECK(bn_cmp(&got, &want) == 0);
      zg__fp_neg(&c, &a);
      zg__fp_add(&c, &c, &a);
      CHECK(zg__fp_is_zero(&c));
    }
    zg_fp_t a, c, d;
    CHECK_OK(zg__fp_from_be48(&a, vals[i]));
    zg__fp_sqr(&c, &a);
    zg__fp_mul_portable(&d, &a, &a);
    CHECK(zg__fp_eq(&c, &d));
  }
}

static void test_fr_edges(void) {
  /* add/sub/mul on 0, 1, r - 1, r - 2 and (r - 1)/2 against the reference. */
  uint8_t vals[5][32];
  bn_t one, t;
  memset(vals, 0, sizeof vals);
  vals[1][31] = 1;
  memset(&one, 0, sizeof one);
  one.l[0] = 1;
  bn_sub(&t, &bn_r, &one);
  bn_to_be(vals[2], 32, &t);
  bn_sub(&t, &t, &one);
  bn_to_be(vals[3], 32, &t);
  bn_add(&t, &t, &one);
  for (int i = 0; i < BN_MAX; i++) t.l[i] = (t.l[i] >> 1) | (i + 1 < BN_MAX ? t.l[i + 1] << 63 : 0);
  bn_to_be(vals[4], 32, &t);
  for (int i = 0; i < 5; i++) {
    for (int j = 0; j < 5; j++) {
      zg_fr_t a, b, c;
      bn_t av, bv, want, got;
      CHECK_OK(zg_fr_from_be32(&a, vals[i]));
      CHECK_OK(zg_fr_from_be32(&b, vals[j]));
      bn_from_be(&av, vals[i], 32);
      bn_from_be(&bv, vals[j], 32);
      zg_fr_add(&c, &a, &b);
      bn_add(&t, &av, &bv);
      bn_mod(&want, &t, &bn_r);
      got = fr_to_bn(&c);
      CHECK(bn_cmp(&got, &want) == 0);
      zg_fr_sub(&c, &a, &b);
      bn_add(&t, &av, &bn_r);
      bn_sub(&t, &t, &bv);
      bn_mod(&want, &t, &bn_r);
      got = fr_to_bn(&c);
      CHECK(bn_cmp(&got, &want) == 0);
      zg_fr_mul(&c, &a, &b);
      bn_mul(&t, &av, &bv);
      bn_mod(&want, &t, &bn_r);
      got = fr_to_bn(&c);
      CHECK(bn_cmp(&got, &want) == 0);
      zg_fr_neg(&c, &a);
      zg_fr_add(&c, &c, &a);
      CHECK(zg_fr_is_zero(&c));
    }
  }
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ref_init();
  ZGT_RUN(test_fp_against_reference);
  ZGT_RUN(test_fp_axioms);
  ZGT_RUN(test_fp_encoding);
  ZGT_RUN(test_fr_against_reference);
  ZGT_RUN(test_fr_axioms);
  ZGT_RUN(test_fr_encoding);
  ZGT_RUN(test_fp2_arith);
  ZGT_RUN(test_fp2_sqrt);
  ZGT_RUN(test_fp2_sign);
  ZGT_RUN(test_fp_edges);
  ZGT_RUN(test_fr_edges);
  ZGT_RUN(test_fp6);
  ZGT_RUN(test_fp12);
  return zgt_done();
}

/*
 * test_bls_g1g2.c — BLS12-381 groups G1 and G2: group laws on random points,
 * constant-time vs variable-time vs naive scalar multiplication, the
 * endomorphism-based subgroup tests against points outside the subgroup,
 * encodings (round trips, known encodings of k*G computed independently,
 * every malformed-input code), MSM against naive sums, and the public
 * deserialization vectors in ../shared/vectors/bls/deserialization_G{1,2}.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>

#include "crypto/bls_field.h"
#include "zg/bls12_381.h"
#include "zg_test.h"

static const uint64_t R_LIMBS[4] = {0xffffffff00000001ull, 0x53bda402fffe5bfeull, 0x3339d80809a1d805ull,
                                    0x73eda753299d7d48ull};

static void rand_fr(zg_fr_t *k) {
  uint8_t b[64];
  zgt_rand_bytes(b, sizeof b);
  zg_fr_from_be_reduce(k, b, sizeof b);
}

static void rand_g1(zg_g1_t *p) {
  zg_fr_t k;
  zg_g1_t g;
  rand_fr(&k);
  zg_g1_generator(&g);
  zg_g1_mul_var(p, &g, &k);
}

static void rand_g2(zg_g2_t *p) {
  zg_fr_t k;
  zg_g2_t g;
  rand_fr(&k);
  zg_g2_generator(&g);
  zg_g2_mul_var(p, &g, &k);
}

/* Plain double-and-add from the top bit with the public group law. */
static void naive_g1(zg_g1_t *r, const zg_g1_t *p, const zg_fr_t *k) {
  uint64_t e[4];
  zg_fr_to_u64s(e, k);
  zg_g1_set_infinity(r);
  for (int i = 255; i >= 0; i--) {
    zg_g1_dbl(r, r);
    if ((e[i / 64] >> (i % 64)) & 1) zg_g1_add(r, r, p);
  }
}

static void naive_g2(zg_g2_t *r, const zg_g2_t *p, const zg_fr_t *k) {
  uint64_t e[4];
  zg_fr_to_u64s(e, k);
  zg_g2_set_infinity(r);
  for (int i = 255; i >= 0; i--) {
    zg_g2_dbl(r, r);
    if ((e[i / 64] >> (i % 64)) & 1) zg_g2_add(r, r, p);
  }
}

/* A point of E(Fp) outside G1: the first x = i (i = 1, 2, ...) with x^3 + 4
 * a square, without clearing the cofactor. */
static void non_subgroup_g1(zg_g1_t *r, uint64_t start) {
  for (uint64_t i = start;; i++) {
    zg_fp_t x, y, rhs, four;
    zg__fp_from_u64(&x, i);
    zg__fp_from_u64(&four, 4);
    zg__fp_sqr(&rhs, &x);
    zg__fp_mul(&rhs, &rhs, &x);
    zg__fp_add(&rhs, &rhs, &four);
    if (zg__fp_sqrt(&y, &rhs)) {
      zg__g1_from_affine(r, &x, &y);
      if (!zg_g1_in_subgroup(r)) return;
    }
  }
}

static void non_subgroup_g2(zg_g2_t *r, uint64_t start) {
  for (uint64_t i = start;; i++) {
    zg_fp2_t x, y, rhs, b;
    zg__fp_from_u64(&x.c0, i);
    zg__fp_from_u64(&x.c1, 1);
    zg__fp_from_u64(&b.c0, 4);
    zg__fp_from_u64(&b.c1, 4);
    zg__fp2_sqr(&rhs, &x);
    zg__fp2_mul(&rhs, &rhs, &x);
    zg__fp2_add(&rhs, &rhs, &b);
    if (zg__fp2_sqrt(&y, &rhs)) {
      zg__g2_from_affine(r, &x, &y);
      if (!zg_g2_in_subgroup(r)) return;
    }
  }
}

static void unhex(uint8_t *out, size_t n, const char *s) {
  zg_buf_t b;
  zg_buf_init(&b);
  if (zg_hex_decode_loose(&b, s, strlen(s)) != ZG_OK || b.len != n) {
    ZGT_FAIL("bad hex in test");
    memset(out, 0, n);
  } else {
    memcpy(out, b.ptr, n);
  }
  zg_buf_clear(&b);
}

/* ---------------------------------------------------------------- G1 */

static void test_g1_generator(void) {
  zg_g1_t g, inf;
  uint8_t enc[48], want[48];
  zg_g1_generator(&g);
  CHECK(zg_g1_is_on_curve(&g));
  CHECK(zg_g1_in_subgroup(&g));
  CHECK(!zg_g1_is_infinity(&g));
  zg_g1_set_infinity(&inf);
  CHECK(zg_g1_is_infinity(&inf));
  CHECK(zg_g1_is_on_curve(&inf));
  CHECK(zg_g1_in_subgroup(&inf));
  zg_g1_serialize(enc, &g);
  unhex(want, 48, "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb");
  CHECK_MEM(enc, want, 48);
  /* Known encodings of 2G and K*G (computed with an independent bigint model). */
  zg_g1_t t;
  zg_g1_dbl(&t, &g);
  zg_g1_serialize(enc, &t);
  unhex(want, 48, "a572cbea904d67468808c8eb50a9450c9721db309128012543902d0ac358a62ae28f75bb8f1c7c42c39a8c5529bf0f4e");
  CHECK_MEM(enc, want, 48);
  uint8_t kb[32], unc[96], wunc[96];
  unhex(kb, 32, "1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef");
  zg_fr_t k;
  CHECK_OK(zg_fr_from_be32(&k, kb));
  zg_g1_mul(&t, &g, &k);
  zg_g1_serialize(enc, &t);
  unhex(want, 48, "972a59075fca0729b40b2cea5bb9685afdd219e77407e13631664c53b847cdcad45ab174a073aaa4122ad813fa094485");
  CHECK_MEM(enc, want, 48);
  zg_g1_serialize_uncompressed(unc, &t);
  unhex(wunc, 96,
        "172a59075fca0729b40b2cea5bb9685afdd219e77407e13631664c53b847cdcad45ab174a073aaa4122ad813fa094485"
        "028e53b49dfb3b48ebd12df0158912b6a5036da6204a58275b9ad64acc45e372b0dff305bb6134f9d350a89f75e65ab7");
  CHECK_MEM(unc, wunc, 96);
  zg_g1_mul_var(&t, &g, &k);
  zg_g1_serialize(enc, &t);
  CHECK_MEM(enc, want, 48);
}

static void test_g1_group_law(void) {
  long iters = zgt_iters(20);
  for (long it = 0; it < iters; it++) {
    zg_g1_t a, b, c, t1, t2, inf, na;
    rand_g1(&a);
    rand_g1(&b);
    rand_g1(&c);
    CHECK(zg_g1_is_on_curve(&a));
    zg_g1_add(&t1, &a, &b);
    zg_g1_add(&t2, &b, &a);
    CHECK(zg_g1_eq(&t1, &t2));
    zg_g1_add(&t1, &t1, &c);
    zg_g1_add(&t2, &b, &c);
    zg_g1_add(&t2, &a, &t2);
    CHECK(zg_g1_eq(&t1, &t2));
    CHECK(zg_g1_is_on_curve(&t1));
    zg_g1_neg(&na, &a);
    zg_g1_add(&t1, &a, &na);
    CHECK(zg_g1_is_infinity(&t1));
    zg_g1_sub(&t1, &a, &a);
    CHECK(zg_g1_is_infinity(&t1));
    zg_g1_dbl(&t1, &a);
    zg_g1_add(&t2, &a, &a);
    CHECK(zg_g1_eq(&t1, &t2));
    zg_g1_set_infinity(&inf);
    zg_g1_add(&t1, &a, &inf);
    CHECK(zg_g1_eq(&t1, &a));
    zg_g1_add(&t1, &inf, &a);
    CHECK(zg_g1_eq(&t1, &a));
    zg_g1_add(&t1, &inf, &inf);
    CHECK(zg_g1_is_infinity(&t1));
    CHECK(!zg_g1_eq(&a, &inf));
    CHECK(!zg_g1_eq(&a, &b));
    /* (a + b) - b == a with a non-normalized intermediate */
    zg_g1_add(&t1, &a, &b);
    zg_g1_sub(&t1, &t1, &b);
    CHECK(zg_g1_eq(&t1, &a));
    t2 = t1;
    zg_g1_normalize(&t2);
    CHECK(zg_g1_eq(&t1, &t2));
    CHECK(zg__fp_eq(&t2.z, &zg__fp_one));
  }
  zg_g1_t pts[5];
  zg_g1_t copy[5];
  for (int i = 0; i < 5; i++) rand_g1(&pts[i]);
  zg_g1_set_infinity(&pts[2]);
  memcpy(copy, pts, sizeof pts);
  zg_g1_normalize_batch(pts, 5);
  for (int i = 0; i < 5; i++) CHECK(zg_g1_eq(&pts[i], &copy[i]));
  CHECK(zg_g1_is_infinity(&pts[2]));
}

static void test_g1_mul(void) {
  long iters = zgt_iters(8);
  zg_g1_t g, p, a, b, c, t;
  zg_g1_generator(&g);
  for (long it = 0; it < iters; it++) {
    zg_fr_t k, k2, ks;
    rand_g1(&p);
    rand_fr(&k);
    rand_fr(&k2);
    zg_g1_mul(&a, &p, &k);
    zg_g1_mul_var(&b, &p, &k);
    naive_g1(&c, &p, &k);
    CHECK(zg_g1_eq(&a, &b));
    CHECK(zg_g1_eq(&a, &c));
    uint64_t e[4];
    zg_fr_to_u64s(e, &k);
    zg__g1_mul_limbs_var(&t, &p, e, 4);
    CHECK(zg_g1_eq(&a, &t));
    /* (k + k2) P = kP + k2P */
    zg_fr_add(&ks, &k, &k2);
    zg_g1_mul_var(&b, &p, &k2);
    zg_g1_add(&b, &a, &b);
    zg_g1_mul(&c, &p, &ks);
    CHECK(zg_g1_eq(&b, &c));
    zg_g1_mul_var(&c, &p, &ks);
    CHECK(zg_g1_eq(&b, &c));
    /* r P = infinity */
    zg__g1_mul_limbs_var(&t, &p, R_LIMBS, 4);
    CHECK(zg_g1_is_infinity(&t));
    /* small k */
    uint64_t s = zgt_rand64() & 0xffff;
    zg_fr_from_u64(&k, s);
    zg__g1_mul_u64_var(&a, &p, s);
    zg_g1_mul(&b, &p, &k);
    CHECK(zg_g1_eq(&a, &b));
  }
  zg_fr_t zero, one, m1;
  zg_fr_set_zero(&zero);
  zg_fr_set_one(&one);
  zg_fr_neg(&m1, &one);
  zg_g1_mul(&t, &g, &zero);
  CHECK(zg_g1_is_infinity(&t));
  zg_g1_mul_var(&t, &g, &zero);
  CHECK(zg_g1_is_infinity(&t));
  zg_g1_mul(&t, &g, &one);
  CHECK(zg_g1_eq(&t, &g));
  zg_g1_mul_var(&t, &g, &m1);
  zg_g1_neg(&a, &g);
  CHECK(zg_g1_eq(&t, &a));
  zg_g1_mul(&t, &g, &m1);
  CHECK(zg_g1_eq(&t, &a));
  zg_g1_set_infinity(&p);
  zg_g1_mul(&t, &p, &m1);
  CHECK(zg_g1_is_infinity(&t));
  zg_g1_mul_var(&t, &p, &m1);
  CHECK(zg_g1_is_infinity(&t));
}

static void test_g1_subgroup(void) {
  static const uint64_t h1[2] = {0x8c00aaab0000aaabull, 0x396c8c005555e156ull};
  for (uint64_t s = 1; s < 400; s += 97) {
    zg_g1_t p, t;
    non_subgroup_g1(&p, s);
    CHECK(zg_g1_is_on_curve(&p));
    CHECK(!zg_g1_in_subgroup(&p));
    zg__g1_mul_limbs_var(&t, &p, R_LIMBS, 4);
    CHECK(!zg_g1_is_infinity(&t));
    uint8_t enc[48], unc[96];
    zg_g1_serialize(enc, &p);
    zg_g1_serialize_uncompressed(unc, &p);
    CHECK_ERR(zg_g1_deserialize(&t, enc, 48), ZG_ESUBGROUP);
    CHECK_ERR(zg_g1_deserialize(&t, unc, 96), ZG_ESUBGROUP);
    /* clearing the cofactor lands in G1 */
    zg__g1_mul_limbs_var(&t, &p, h1, 2);
    CHECK(zg_g1_in_subgroup(&t));
    zg__g1_mul_limbs_var(&t, &t, R_LIMBS, 4);
    CHECK(zg_g1_is_infinity(&t));
  }
}

static void test_g1_encoding(void) {
  long iters = zgt_iters(20);
  uint8_t enc[48], unc[96], buf[96];
  zg_g1_t p, q;
  for (long it = 0; it < iters; it++) {
    rand_g1(&p);
    if (it & 1) zg_g1_neg(&p, &p);
    zg_g1_serialize(enc, &p);
    zg_g1_serialize_uncompressed(unc, &p);
    CHECK((enc[0] & 0x80) && !(enc[0] & 0x40));
    CHECK(!(unc[0] & 0xe0));
    CHECK_OK(zg_g1_deserialize(&q, enc, 48));
    CHECK(zg_g1_eq(&p, &q));
    CHECK_OK(zg_g1_deserialize(&q, unc, 96));
    CHECK(zg_g1_eq(&p, &q));
  }
  /* infinity */
  zg_g1_set_infinity(&p);
  zg_g1_serialize(enc, &p);
  CHECK(enc[0] == 0xc0);
  zg_g1_serialize_uncompressed(unc, &p);
  CHECK(unc[0] == 0x40);
  CHECK_OK(zg_g1_deserialize(&q, enc, 48));
  CHECK(zg_g1_is_infinity(&q));
  CHECK_OK(zg_g1_deserialize(&q, unc, 96));
  CHECK(zg_g1_is_infinity(&q));
  /* malformed: each code */
  rand_g1(&p);
  zg_g1_serialize(enc, &p);
  zg_g1_serialize_uncompressed(unc, &p);
  CHECK_ERR(zg_g1_deserialize(&q, enc, 47), ZG_EBADLEN);
  CHECK_ERR(zg_g1_deserialize(&q, enc, 0), ZG_EBADLEN);
  CHECK_ERR(zg_g1_deserialize(&q, unc, 95), ZG_EBADLEN);
  CHECK_ERR(zg_g1_deserialize(&q, NULL, 48), ZG_EBADLEN);
  memcpy(buf, enc, 48);
  buf[0] &= 0x7f; /* compressed length without C */
  CHECK_ERR(zg_g1_deserialize(&q, buf, 48), ZG_EFLAGS);
  memcpy(buf, unc, 96);
  buf[0] |= 0x80; /* uncompressed length with C */
  CHECK_ERR(zg_g1_deserialize(&q, buf, 96), ZG_EFLAGS);
  memcpy(buf, unc, 96);
  buf[0] |= 0x20; /* S on uncompressed */
  CHECK_ERR(zg_g1_deserialize(&q, buf, 96), ZG_EFLAGS);
  memset(buf, 0, 96);
  buf[0] = 0xe0; /* infinity with S */
  CHECK_ERR(zg_g1_deserialize(&q, buf, 48), ZG_EFLAGS);
  buf[0] = 0xc0;
  buf[47] = 1; /* infinity with a non-zero bit */
  CHECK_ERR(zg_g1_deserialize(&q, buf, 48), ZG_EFLAGS);
  buf[47] = 0;
  buf[0] = 0xc1;
  CHECK_ERR(zg_g1_deserialize(&q, buf, 48), ZG_EFLAGS);
  memset(buf, 0, 96);
  buf[0] = 0x40;
  buf[95] = 1;
  CHECK_ERR(zg_g1_deserialize(&q, buf, 96), ZG_EFLAGS);
  /* x >= p */
  memset(buf, 0xff, 48);
  buf[0] = 0x9f;
  CHECK_ERR(zg_g1_deserialize(&q, buf, 48), ZG_EFIELD);
  memcpy(buf, unc, 96);
  memset(buf + 48, 0xff, 48);
  CHECK_ERR(zg_g1_deserialize(&q, buf, 96), ZG_EFIELD);
  /* not on the curve: uncompressed with y changed; compressed x with no y */
  memcpy(buf, unc, 96);
  buf[95] ^= 1;
  CHECK_ERR(zg_g1_deserialize(&q, buf, 96), ZG_ENOTONCURVE);
  int found = 0;
  for (uint8_t v = 1; v < 40 && !found; v++) {
    memset(buf, 0, 48);
    buf[0] = 0x80;
    buf[47] = v;
    zg_err_t e = zg_g1_deserialize(&q, buf, 48);
    if (e == ZG_ENOTONCURVE) found = 1;
    CHECK(e == ZG_ENOTONCURVE || e == ZG_ESUBGROUP || e == ZG_OK);
  }
  CHECK(found);
  /* output is infinity on failure */
  CHECK(zg_g1_is_infinity(&q));
}

/* ---------------------------------------------------------------- G2 */

static void test_g2_generator(void) {
  zg_g2_t g, t;
  uint8_t enc[96], want[96];
  zg_g2_generator(&g);
  CHECK(zg_g2_is_on_curve(&g));
  CHECK(zg_g2_in_subgroup(&g));
  zg_g2_serialize(enc, &g);
  unhex(want, 96,
        "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
        "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8");
  CHECK_MEM(enc, want, 96);
  zg_g2_dbl(&t, &g);
  zg_g2_serialize(enc, &t);
  unhex(want, 96,
        "aa4edef9c1ed7f729f520e47730a124fd70662a904ba1074728114d1031e1572c6c886f6b57ec72a6178288c47c33577"
        "1638533957d540a9d2370f17cc7ed5863bc0b995b8825e0ee1ea1e1e4d00dbae81f14b0bf3611b78c952aacab827a053");
  CHECK_MEM(enc, want, 96);
  uint8_t kb[32];
  unhex(kb, 32, "1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef");
  zg_fr_t k;
  CHECK_OK(zg_fr_from_be32(&k, kb));
  unhex(want, 96,
        "a6c7468834785e7b83fcf140ddf26c348a16adcf0b3bc1fe5aa2daf7d32175257a8b83335486532f36786f271360e059"
        "0460179e06b1d17c1bc0dc9dbc27b107a52c9907e88e6856892cade7ce1ff7a09ec4caf0ea6c9f39a8c7057c5ba56695");
  zg_g2_mul(&t, &g, &k);
  zg_g2_serialize(enc, &t);
  CHECK_MEM(enc, want, 96);
  zg_g2_mul_var(&t, &g, &k);
  zg_g2_serialize(enc, &t);
  CHECK_MEM(enc, want, 96);
  /* psi acts as [x] on G2: psi(G) = -(|x| G) */
  zg_g2_t a, b;
  zg__g2_psi(&a, &g);
  zg__g2_mul_u64_var(&b, &g, ZG__BLS_X);
  zg_g2_neg(&b, &b);
  CHECK(zg_g2_eq(&a, &b));
}

static void test_g2_group_law(void) {
  long iters = zgt_iters(10);
  for (long it = 0; it < iters; it++) {
    zg_g2_t a, b, c, t1, t2, inf, na;
    rand_g2(&a);
    rand_g2(&b);
    rand_g2(&c);
    CHECK(zg_g2_is_on_curve(&a));
    CHECK(zg_g2_in_subgroup(&a));
    zg_g2_add(&t1, &a, &b);
    zg_g2_add(&t2, &b, &a);
    CHECK(zg_g2_eq(&t1, &t2));
    zg_g2_add(&t1, &t1, &c);
    zg_g2_add(&t2, &b, &c);
    zg_g2_add(&t2, &a, &t2);
    CHECK(zg_g2_eq(&t1, &t2));
    zg_g2_neg(&na, &a);
    zg_g2_add(&t1, &a, &na);
    CHECK(zg_g2_is_infinity(&t1));
    zg_g2_dbl(&t1, &a);
    zg_g2_add(&t2, &a, &a);
    CHECK(zg_g2_eq(&t1, &t2));
    zg_g2_set_infinity(&inf);
    zg_g2_add(&t1, &a, &inf);
    CHECK(zg_g2_eq(&t1, &a));
    zg_g2_add(&t1, &inf, &a);
    CHECK(zg_g2_eq(&t1, &a));
    zg_g2_sub(&t1, &t1, &b);
    zg_g2_add(&t1, &t1, &b);
    CHECK(zg_g2_eq(&t1, &a));
    t2 = t1;
    zg_g2_normalize(&t2);
    CHECK(zg_g2_eq(&t1, &t2));
  }
}

static void test_g2_mul(void) {
  long iters = zgt_iters(4);
  zg_g2_t p, a, b, c, t;
  for (long it = 0; it < iters; it++) {
    zg_fr_t k, k2, ks;
    rand_g2(&p);
    rand_fr(&k);
    rand_fr(&k2);
    zg_g2_mul(&a, &p, &k);
    zg_g2_mul_var(&b, &p, &k);
    naive_g2(&c, &p, &k);
    CHECK(zg_g2_eq(&a, &b));
    CHECK(zg_g2_eq(&a, &c));
    zg_fr_add(&ks, &k, &k2);
    zg_g2_mul_var(&b, &p, &k2);
    zg_g2_add(&b, &a, &b);
    zg_g2_mul_var(&c, &p, &ks);
    CHECK(zg_g2_eq(&b, &c));
    zg__g2_mul_limbs_var(&t, &p, R_LIMBS, 4);
    CHECK(zg_g2_is_infinity(&t));
  }
  zg_fr_t zero, one, m1;
  zg_fr_set_zero(&zero);
  zg_fr_set_one(&one);
  zg_fr_neg(&m1, &one);
  zg_g2_generator(&p);
  zg_g2_mul(&t, &p, &zero);
  CHECK(zg_g2_is_infinity(&t));
  zg_g2_mul_var(&t, &p, &zero);
  CHECK(zg_g2_is_infinity(&t));
  zg_g2_mul_var(&t, &p, &m1);
  zg_g2_neg(&a, &p);
  CHECK(zg_g2_eq(&t, &a));
  zg_g2_mul(&t, &p, &m1);
  CHECK(zg_g2_eq(&t, &a));
}

static void test_g2_subgroup_and_encoding(void) {
  zg_g2_t p, q, t;
  uint8_t enc[96], unc[192], buf[192];
  for (uint64_t s = 1; s < 300; s += 101) {
    non_subgroup_g2(&p, s);
    CHECK(zg_g2_is_on_curve(&p));
    CHECK(!zg_g2_in_subgroup(&p));
    zg__g2_mul_limbs_var(&t, &p, R_LIMBS, 4);
    CHECK(!zg_g2_is_infinity(&t));
    zg_g2_serialize(enc, &p);
    zg_g2_serialize_uncompressed(unc, &p);
    CHECK_ERR(zg_g2_deserialize(&q, enc, 96), ZG_ESUBGROUP);
    CHECK_ERR(zg_g2_deserialize(&q, unc, 192), ZG_ESUBGROUP);
  }
  long iters = zgt_iters(10);
  for (long it = 0; it < iters; it++) {
    rand_g2(&p);
    if (it & 1) zg_g2_neg(&p, &p);
    zg_g2_serialize(enc, &p);
    zg_g2_serialize_uncompressed(unc, &p);
    CHECK_OK(zg_g2_deserialize(&q, enc, 96));
    CHECK(zg_g2_eq(&p, &q));
    CHECK_OK(zg_g2_deserialize(&q, unc, 192));
    CHECK(zg_g2_eq(&p, &q));
  }
  zg_g2_set_infinity(&p);
  zg_g2_serialize(enc, &p);
  CHECK(enc[0] == 0xc0);
  CHECK_OK(zg_g2_deserialize(&q, enc, 96));
  CHECK(zg_g2_is_infinity(&q));
  zg_g2_serialize_uncompressed(unc, &p);
  CHECK(unc[0] == 0x40);
  CHECK_OK(zg_g2_deserialize(&q, unc, 192));
  CHECK(zg_g2_is_infinity(&q));
  rand_g2(&p);
  zg_g2_serialize(enc, &p);
  zg_g2_serialize_uncompressed(unc, &p);
  CHECK_ERR(zg_g2_deserialize(&q, enc, 95), ZG_EBADLEN);
  CHECK_ERR(zg_g2_deserialize(&q, enc, 48), ZG_EBADLEN);
  memcpy(buf, enc, 96);
  buf[0] &= 0x7f;
  CHECK_ERR(zg_g2_deserialize(&q, buf, 96), ZG_EFLAGS);
  memcpy(buf, unc, 192);
  buf[0] |= 0x20;
  CHECK_ERR(zg_g2_deserialize(&q, buf, 192), ZG_EFLAGS);
  memset(buf, 0, 192);
  buf[0] = 0xe0;
  CHECK_ERR(zg_g2_deserialize(&q, buf, 96), ZG_EFLAGS);
  /* c1 >= p, then c0 >= p */
  memcpy(buf, enc, 96);
  memset(buf, 0xff, 48);
  buf[0] = 0x9f;
  CHECK_ERR(zg_g2_deserialize(&q, buf, 96), ZG_EFIELD);
  memcpy(buf, enc, 96);
  memset(buf + 48, 0xff, 48);
  CHECK_ERR(zg_g2_deserialize(&q, buf, 96), ZG_EFIELD);
  memcpy(buf, unc, 192);
  buf[191] ^= 1;
  CHECK_ERR(zg_g2_deserialize(&q, buf, 192), ZG_ENOTONCURVE);
}

/* ---------------------------------------------------------------- MSM */

static void test_msm(void) {
  static const size_t sizes[] = {0, 1, 2, 3, 5, 17, 64, 300};
  size_t maxn = 300;
  zg_g1_t *p1 = calloc(maxn, sizeof *p1);
  zg_g2_t *p2 = calloc(maxn, sizeof *p2);
  zg_fr_t *k = calloc(maxn, sizeof *k);
  void *scratch = malloc(zg_g2_msm_scratch_size(maxn) > zg_g1_msm_scratch_size(maxn)
                             ? zg_g2_msm_scratch_size(maxn)
                             : zg_g1_msm_scratch_size(maxn));
  if (!p1 || !p2 || !k || !scratch) {
    ZGT_FAIL("out of memory");
    goto out;
  }
  for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
    size_t n = sizes[si];
    for (int mode = 0; mode < 4; mode++) {
      /* mode 0: random; 1: zero scalars and infinity points mixed in;
       * 2: repeated points and scalars (bucket collisions); 3: non-normalized
       * points and scalars with few bits. */
      zg_g1_t base1;
      zg_g2_t base2;
      rand_g1(&base1);
      rand_g2(&base2);
      for (size_t i = 0; i < n; i++) {
        rand_fr(&k[i]);
        if (mode == 2 && i % 3 != 0) {
          p1[i] = base1;
          p2[i] = base2;
          if (i % 2) k[i] = k[0];
        } else if (mode == 2 || i % 8 == 0 || n < 64 || mode != 3) {
          rand_g1(&p1[i]);
          rand_g2(&p2[i]);
        } else {
          zg_g1_add(&p1[i], &p1[i - 1], &base1); /* Z != 1 */
          zg_g2_add(&p2[i], &p2[i - 1], &base2);
          zg_fr_from_u64(&k[i], zgt_rand64() & 0xff);
        }
        if (mode == 1 && i % 4 == 1) zg_fr_set_zero(&k[i]);
        if (mode == 1 && i % 5 == 2) {
          zg_g1_set_infinity(&p1[i]);
          zg_g2_set_infinity(&p2[i]);
        }
        if (mode == 3 && i % 7 == 3) {
          zg_g1_neg(&p1[i], &p1[i - 1]); /* cancels within a bucket */
          zg_g2_neg(&p2[i], &p2[i - 1]);
          k[i] = k[i - 1];
        }
      }
      zg_g1_t want1, got1, t1;
      zg_g2_t want2, got2, t2;
      zg_g1_set_infinity(&want1);
      zg_g2_set_infinity(&want2);
      for (size_t i = 0; i < n; i++) {
        zg_g1_mul_var(&t1, &p1[i], &k[i]);
        zg_g1_add(&want1, &want1, &t1);
        if (n <= 64 || mode == 0) {
          zg_g2_mul_var(&t2, &p2[i], &k[i]);
          zg_g2_add(&want2, &want2, &t2);
        }
      }
      zg_g1_msm_var(&got1, p1, k, n, scratch);
      if (!zg_g1_eq(&got1, &want1)) ZGT_FAIL("g1 msm n=%zu mode=%d", n, mode);
      if (n <= 64 || mode == 0) {
        zg_g2_msm_var(&got2, p2, k, n, scratch);
        if (!zg_g2_eq(&got2, &want2)) ZGT_FAIL("g2 msm n=%zu mode=%d", n, mode);
      }
    }
  }
  /* All points and scalars equal: every addition lands in one bucket. */
  {
    size_t n = 300;
    zg_g1_t base, got, want;
    rand_g1(&base);
    zg_fr_t kk;
    zg_fr_from_u64(&kk, 3);
    for (size_t i = 0; i < n; i++) {
      p1[i] = base;
      k[i] = kk;
    }
    zg_g1_msm_var(&got, p1, k, n, scratch);
    zg__g1_mul_u64_var(&want, &base, 3 * n);
    CHECK(zg_g1_eq(&got, &want));
  }
out:
  free(p1);
  free(p2);
  free(k);
  free(scratch);
}

/* ---------------------------------------------------------------- vectors */

static void run_deser_dir(const char *sub, int group) {
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/bls/%s", zgt_vectors_dir(), sub);
  DIR *d = opendir(dir);
  if (!d) {
    printf("  (no vectors at %s, skipped)\n", dir);
    return;
  }
  int passed = 0, failed = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    size_t nl = strlen(de->d_name);
    if (nl < 5 || strcmp(de->d_name + nl - 5, ".json") != 0) continue;
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    json_t *input = root ? json_object_get(root, "input") : NULL;
    json_t *hex = input ? json_object_get(input, group == 1 ? "pubkey" : "signature") : NULL;
    json_t *out = root ? json_object_get(root, "output") : NULL;
    if (!json_is_string(hex) || !json_is_boolean(out)) {
      ZGT_FAIL("malformed vector %s", path);
      json_decref(root);
      continue;
    }
    const char *s = json_string_value(hex);
    zg_buf_t b;
    zg_buf_init(&b);
    bool ok;
    if (zg_hex_decode_loose(&b, s, strlen(s)) != ZG_OK) {
      ok = false; /* odd-length hex: cannot be a valid encoding */
    } else if (group == 1) {
      zg_g1_t p;
      ok = zg_g1_deserialize(&p, b.ptr, b.len) == ZG_OK;
    } else {
      zg_g2_t p;
      ok = zg_g2_deserialize(&p, b.ptr, b.len) == ZG_OK;
    }
    zg_buf_clear(&b);
    if (ok == json_is_true(out)) {
      passed++;
    } else {
      failed++;
      ZGT_FAIL("%s: got %d", path, ok);
    }
    json_decref(root);
  }
  closedir(d);
  printf("  %s: %d passed, %d failed\n", sub, passed, failed);
  CHECK(passed > 0);
}

static void test_vectors(void) {
  run_deser_dir("deserialization_G1", 1);
  run_deser_dir("deserialization_G2", 2);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_g1_generator);
  ZGT_RUN(test_g1_group_law);
  ZGT_RUN(test_g1_mul);
  ZGT_RUN(test_g1_subgroup);
  ZGT_RUN(test_g1_encoding);
  ZGT_RUN(test_g2_generator);
  ZGT_RUN(test_g2_group_law);
  ZGT_RUN(test_g2_mul);
  ZGT_RUN(test_g2_subgroup_and_encoding);
  ZGT_RUN(test_msm);
  ZGT_RUN(test_vectors);
  return zgt_done();
}

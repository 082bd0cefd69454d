/*
 * test_bls_pairing.c — the BLS12-381 pairing: non-degeneracy, order r,
 * bilinearity, inverses, multi-pairing against products of pairings, the
 * point at infinity, and independence from the Jacobian representation.
 *
 * Points are built from the standard generators with a small affine
 * double-and-add defined here, so this test depends only on the field code.
 */
#include <string.h>

#include "crypto/bls_field.h"
#include "crypto/bls_fp12.h"
#include "zg_test.h"

/* The standard generators (affine, big-endian). */
static const char *G1_X =
    "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb";
static const char *G1_Y =
    "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1";
static const char *G2_X0 =
    "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8";
static const char *G2_X1 =
    "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e";
static const char *G2_Y0 =
    "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801";
static const char *G2_Y1 =
    "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be";
/* r, little-endian limbs. */
static const uint64_t R_LIMBS[4] = {0xffffffff00000001ull, 0x53bda402fffe5bfeull, 0x3339d80809a1d805ull,
                                    0x73eda753299d7d48ull};

static zg_fp_t fp_hex(const char *hex) {
  uint8_t b[48];
  zg_fp_t r = zg__fp_zero;
  for (int i = 0; i < 48; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    b[i] = (uint8_t)v;
  }
  if (zg__fp_from_be48(&r, b) != ZG_OK) r = zg__fp_zero;
  return r;
}

/* ---- minimal affine arithmetic, infinity flagged (test helper only) ---- */
typedef struct {
  zg_fp_t x, y;
  bool inf;
} a1_t;
typedef struct {
  zg_fp2_t x, y;
  bool inf;
} a2_t;

static void a1_add(a1_t *r, const a1_t *p, const a1_t *q) {
  zg_fp_t l, t, x3, y3;
  if (p->inf) {
    *r = *q;
    return;
  }
  if (q->inf) {
    *r = *p;
    return;
  }
  if (zg__fp_eq(&p->x, &q->x)) {
    if (!zg__fp_eq(&p->y, &q->y) || zg__fp_is_zero(&p->y)) {
      r->inf = true;
      return;
    }
    zg__fp_sqr(&l, &p->x); /* 3x^2 / 2y */
    zg__fp_add(&t, &l, &l);
    zg__fp_add(&l, &t, &l);
    zg__fp_dbl(&t, &p->y);
  } else {
    zg__fp_sub(&l, &q->y, &p->y);
    zg__fp_sub(&t, &q->x, &p->x);
  }
  zg__fp_inv(&t, &t);
  zg__fp_mul(&l, &l, &t);
  zg__fp_sqr(&x3, &l);
  zg__fp_sub(&x3, &x3, &p->x);
  zg__fp_sub(&x3, &x3, &q->x);
  zg__fp_sub(&t, &p->x, &x3);
  zg__fp_mul(&y3, &l, &t);
  zg__fp_sub(&y3, &y3, &p->y);
  r->x = x3;
  r->y = y3;
  r->inf = false;
}

static void a2_add(a2_t *r, const a2_t *p, const a2_t *q) {
  zg_fp2_t l, t, x3, y3;
  if (p->inf) {
    *r = *q;
    return;
  }
  if (q->inf) {
    *r = *p;
    return;
  }
  if (zg__fp2_eq(&p->x, &q->x)) {
    if (!zg__fp2_eq(&p->y, &q->y) || zg__fp2_is_zero(&p->y)) {
      r->inf = true;
      return;
    }
    zg__fp2_sqr(&l, &p->x);
    zg__fp2_add(&t, &l, &l);
    zg__fp2_add(&l, &t, &l);
    zg__fp2_dbl(&t, &p->y);
  } else {
    zg__fp2_sub(&l, &q->y, &p->y);
    zg__fp2_sub(&t, &q->x, &p->x);
  }
  zg__fp2_inv(&t, &t);
  zg__fp2_mul(&l, &l, &t);
  zg__fp2_sqr(&x3, &l);
  zg__fp2_sub(&x3, &x3, &p->x);
  zg__fp2_sub(&x3, &x3, &q->x);
  zg__fp2_sub(&t, &p->x, &x3);
  zg__fp2_mul(&y3, &l, &t);
  zg__fp2_sub(&y3, &y3, &p->y);
  r->x = x3;
  r->y = y3;
  r->inf = false;
}

static void a1_mul(a1_t *r, const a1_t *p, uint64_t k) {
  a1_t acc = {.inf = true}, b = *p;
  for (; k; k >>= 1) {
    if (k & 1) a1_add(&acc, &acc, &b);
    a1_add(&b, &b, &b);
  }
  *r = acc;
}

static void a2_mul(a2_t *r, const a2_t *p, uint64_t k) {
  a2_t acc = {.inf = true}, b = *p;
  for (; k; k >>= 1) {
    if (k & 1) a2_add(&acc, &acc, &b);
    a2_add(&b, &b, &b);
  }
  *r = acc;
}

/* Affine -> Jacobian with a random Z (same point, different representation). */
static zg_g1_t to_g1(const a1_t *a) {
  zg_g1_t r;
  if (a->inf) {
    r.x = zg__fp_one, r.y = zg__fp_one, r.z = zg__fp_zero;
    return r;
  }
  zg_fp_t z, z2, z3;
  zg__fp_from_u64(&z, zgt_rand64() | 1);
  zg__fp_sqr(&z2, &z);
  zg__fp_mul(&z3, &z2, &z);
  zg__fp_mul(&r.x, &a->x, &z2);
  zg__fp_mul(&r.y, &a->y, &z3);
  r.z = z;
  return r;
}

static zg_g2_t to_g2(const a2_t *a) {
  zg_g2_t r;
  if (a->inf) {
    r.x = zg__fp2_one, r.y = zg__fp2_one, r.z = zg__fp2_zero;
    return r;
  }
  zg_fp2_t z, z2, z3;
  zg__fp_from_u64(&z.c0, zgt_rand64());
  zg__fp_from_u64(&z.c1, zgt_rand64() | 1);
  zg__fp2_sqr(&z2, &z);
  zg__fp2_mul(&z3, &z2, &z);
  zg__fp2_mul(&r.x, &a->x, &z2);
  zg__fp2_mul(&r.y, &a->y, &z3);
  r.z = z;
  return r;
}

static a1_t g1_gen(void) {
  a1_t g = {fp_hex(G1_X), fp_hex(G1_Y), false};
  return g;
}

static a2_t g2_gen(void) {
  a2_t g = {{fp_hex(G2_X0), fp_hex(G2_X1)}, {fp_hex(G2_Y0), fp_hex(G2_Y1)}, false};
  return g;
}

/* GT exponentiation by a plain little-endian integer (test helper). */
static void gt_pow(zg_gt_t *r, const zg_gt_t *a, const uint64_t *e, int nlimbs) {
  zg_fp12_t acc;
  zg__fp12_one(&acc);
  for (int i = 64 * nlimbs - 1; i >= 0; i--) {
    zg__fp12_sqr(&acc, &acc);
    if ((e[i / 64] >> (i % 64)) & 1) zg__fp12_mul(&acc, &acc, &a->v);
  }
  r->v = acc;
}

static void test_generators_on_curve(void) {
  a1_t p = g1_gen();
  a2_t q = g2_gen();
  zg_fp_t l, r, four;
  zg__fp_sqr(&l, &p.y);
  zg__fp_sqr(&r, &p.x);
  zg__fp_mul(&r, &r, &p.x);
  zg__fp_from_u64(&four, 4);
  zg__fp_add(&r, &r, &four);
  CHECK(zg__fp_eq(&l, &r));
  zg_fp2_t l2, r2, b2 = {four, four};
  zg__fp2_sqr(&l2, &q.y);
  zg__fp2_sqr(&r2, &q.x);
  zg__fp2_mul(&r2, &r2, &q.x);
  zg__fp2_add(&r2, &r2, &b2);
  CHECK(zg__fp2_eq(&l2, &r2));
}

static void test_nondegenerate_and_order(void) {
  a1_t p = g1_gen();
  a2_t q = g2_gen();
  zg_g1_t jp = to_g1(&p);
  zg_g2_t jq = to_g2(&q);
  zg_gt_t e, t;
  zg_pairing(&e, &jp, &jq);
  CHECK(!zg_gt_is_one(&e));
  gt_pow(&t, &e, R_LIMBS, 4);
  CHECK(zg_gt_is_one(&t));
  /* Representation independence: another Z gives the same value. */
  zg_g1_t jp2 = to_g1(&p);
  zg_g2_t jq2 = to_g2(&q);
  zg_pairing(&t, &jp2, &jq2);
  CHECK(zg_gt_eq(&e, &t));
}

static void test_bilinearity(void) {
  a1_t p = g1_gen(), ap;
  a2_t q = g2_gen(), bq, aq;
  for (long it = 0; it < zgt_iters(2); it++) {
    uint64_t a = zgt_rand64() >> 1 | 1, b = zgt_rand64() >> 1 | 1;
    a1_mul(&ap, &p, a);
    a2_mul(&bq, &q, b);
    a2_mul(&aq, &q, a);
    zg_g1_t jp = to_g1(&p), jap = to_g1(&ap);
    zg_g2_t jq = to_g2(&q), jbq = to_g2(&bq), jaq = to_g2(&aq);
    zg_gt_t e, eab, want, e1, e2;
    zg_pairing(&e, &jp, &jq);
    zg_pairing(&eab, &jap, &jbq);
    unsigned __int128 ab = (unsigned __int128)a * b;
    uint64_t ablimbs[2] = {(uint64_t)ab, (uint64_t)(ab >> 64)};
    gt_pow(&want, &e, ablimbs, 2);
    CHECK(zg_gt_eq(&eab, &want));
    /* e(aP, Q) = e(P, aQ) = e(P, Q)^a. */
    zg_pairing(&e1, &jap, &jq);
    zg_pairing(&e2, &jp, &jaq);
    CHECK(zg_gt_eq(&e1, &e2));
    gt_pow(&want, &e, &a, 1);
    CHECK(zg_gt_eq(&e1, &want));
  }
}

static void test_inverse_and_multi(void) {
  a1_t p = g1_gen(), np, p2;
  a2_t q = g2_gen(), q2;
  a1_mul(&p2, &p, 0x1234567);
  a2_mul(&q2, &q, 0x7654321);
  np = p;
  zg__fp_neg(&np.y, &p.y);
  zg_g1_t ps[3] = {to_g1(&p), to_g1(&np), to_g1(&p2)};
  zg_g2_t qs[3] = {to_g2(&q), to_g2(&q), to_g2(&q2)};
  static uint8_t scratch[8192] __attribute__((aligned(16)));
  CHECK(zg_multi_pairing_scratch_size(3) <= sizeof scratch);
  /* e(-P, Q) e(P, Q) = 1 two ways. */
  zg_gt_t e0, e1, e2, prod, multi;
  zg_pairing(&e0, &ps[0], &qs[0]);
  zg_pairing(&e1, &ps[1], &qs[1]);
  zg_pairing(&e2, &ps[2], &qs[2]);
  zg_gt_mul(&prod, &e0, &e1);
  CHECK(zg_gt_is_one(&prod));
  CHECK(zg_pairing_check(ps, qs, 2, scratch));
  CHECK(!zg_pairing_check(ps, qs, 1, scratch));
  CHECK(!zg_pairing_check(ps + 1, qs + 1, 2, scratch));
  /* Multi-pairing = product of pairings. */
  zg_multi_pairing(&multi, ps + 1, qs + 1, 2, scratch);
  zg_gt_mul(&prod, &e1, &e2);
  CHECK(zg_gt_eq(&multi, &prod));
  zg_multi_pairing(&multi, ps, qs, 3, scratch);
  CHECK(zg_gt_eq(&multi, &e2));
  zg_multi_pairing(&multi, ps, qs, 1, scratch);
  CHECK(zg_gt_eq(&multi, &e0));
}

static void test_infinity(void) {
  a1_t p = g1_gen(), inf1 = {.inf = true};
  a2_t q = g2_gen(), inf2 = {.inf = true};
  zg_g1_t ps[3] = {to_g1(&inf1), to_g1(&p), to_g1(&p)};
  zg_g2_t qs[3] = {to_g2(&q), to_g2(&inf2), to_g2(&q)};
  static uint8_t scratch[8192] __attribute__((aligned(16)));
  zg_gt_t e, want;
  zg_pairing(&e, &ps[0], &qs[0]);
  CHECK(zg_gt_is_one(&e));
  zg_pairing(&e, &ps[1], &qs[1]);
  CHECK(zg_gt_is_one(&e));
  CHECK(zg_pairing_check(ps, qs, 2, scratch));
  CHECK(zg_pairing_check(ps, qs, 0, scratch));
  CHECK(zg_pairing_check(NULL, NULL, 0, NULL));
  zg_multi_pairing(&e, ps, qs, 3, scratch);
  zg_pairing(&want, &ps[2], &qs[2]);
  CHECK(zg_gt_eq(&e, &want));
  CHECK(!zg_gt_is_one(&e));
}

/* With the curve code's generators and constant-time scalar multiplication
 * (bls_g1.c / bls_g2.c): full-size random scalars. */
static void test_with_curve_code(void) {
  zg_g1_t g1, p, ap;
  zg_g2_t g2, q, bq;
  zg_g1_generator(&g1);
  zg_g2_generator(&g2);
  p = to_g1(&(a1_t){fp_hex(G1_X), fp_hex(G1_Y), false});
  q = to_g2(&(a2_t){{fp_hex(G2_X0), fp_hex(G2_X1)}, {fp_hex(G2_Y0), fp_hex(G2_Y1)}, false});
  CHECK(zg_g1_eq(&g1, &p));
  CHECK(zg_g2_eq(&g2, &q));
  for (long it = 0; it < zgt_iters(2); it++) {
    uint8_t buf[64];
    zg_fr_t a, b, ab;
    zgt_rand_bytes(buf, sizeof buf);
    zg_fr_from_be_reduce(&a, buf, 32);
    zg_fr_from_be_reduce(&b, buf + 32, 32);
    zg_fr_mul(&ab, &a, &b);
    zg_g1_mul(&ap, &g1, &a);
    zg_g2_mul(&bq, &g2, &b);
    zg_g1_mul(&p, &g1, &ab);
    /* e(aP, bQ) = e(abP, Q), and e(aP, bQ) e(-abP, Q) = 1. */
    zg_gt_t e1, e2;
    zg_pairing(&e1, &ap, &bq);
    zg_pairing(&e2, &p, &g2);
    CHECK(zg_gt_eq(&e1, &e2));
    CHECK(!zg_gt_is_one(&e1));
    static uint8_t scratch[4096] __attribute__((aligned(16)));
    zg_g1_t ps[2] = {ap, p};
    zg_g2_t qs[2] = {bq, g2};
    zg_g1_neg(&ps[1], &ps[1]);
    CHECK(zg_pairing_check(ps, qs, 2, scratch));
    /* e(P, Q)^(ab) through GT exponentiation by the integer ab. */
    uint64_t abl[4];
    zg_fr_to_u64s(abl, &ab);
    zg_gt_t e0, want;
    zg_pairing(&e0, &g1, &g2);
    gt_pow(&want, &e0, abl, 4);
    CHECK(zg_gt_eq(&e1, &want));
  }
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_generators_on_curve);
  ZGT_RUN(test_nondegenerate_and_order);
  ZGT_RUN(test_bilinearity);
  ZGT_RUN(test_inverse_and_multi);
  ZGT_RUN(test_infinity);
  ZGT_RUN(test_with_curve_code);
  return zgt_done();
}

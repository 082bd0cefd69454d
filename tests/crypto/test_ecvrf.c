/*
 * test_ecvrf.c — ECVRF-EDWARDS25519-SHA512-{TAI,ELL2} (RFC 9381), the
 * edwards25519 hash-to-curve and field code under it.
 *
 * RFC 9381 Appendix B.3/B.4 vectors (from the shared vector folder), random
 * prove/verify round trips, every proof byte altered, wrong keys and inputs,
 * malformed encodings with their codes, the eight small-order public keys,
 * and keys / Gammas with a small-order component, where the RFC verifier's
 * exact verdict is known in advance (valid iff 8 divides c).
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>

#include "crypto/ed25519_fe.h"
#include "zg/ecvrf.h"
#include "zg/ed25519_h2c.h"
#include "zg/hash.h"
#include "zg_test.h"

static const zg_ecvrf_suite_t SUITES[2] = {ZG_ECVRF_EDWARDS25519_SHA512_TAI,
                                           ZG_ECVRF_EDWARDS25519_SHA512_ELL2};

/* Small-order points: identity, (0,-1), the two of order 4, four of order 8. */
static const char *SMALL_ORDER_HEX[8] = {
    "0x0100000000000000000000000000000000000000000000000000000000000000",
    "0xecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0x0000000000000000000000000000000000000000000000000000000000000000",
    "0x0000000000000000000000000000000000000000000000000000000000000080",
    "0x26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "0x26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "0xc7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "0xc7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
};

static void hex32(uint8_t out[32], const char *s) {
  if (zg_hex_decode(out, 32, s, strlen(s)) != ZG_OK) ZGT_FAIL("bad hex constant %s", s);
}

static bool jhex(zg_buf_t *b, json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  b->len = 0;
  if (s && s[0] == 0) return true; /* alpha "": nothing to decode (avoids NULL + 0 in bytes.c) */
  return s && zg_hex_decode_loose(b, s, strlen(s)) == ZG_OK;
}

static void check_vector(zg_ecvrf_suite_t suite, json_t *v) {
  zg_buf_t sk, pk, alpha, pi, beta, h, k, u, vv;
  zg_buf_t *all[] = {&sk, &pk, &alpha, &pi, &beta, &h, &k, &u, &vv};
  for (size_t i = 0; i < 9; i++) zg_buf_init(all[i]);
  bool parsed = jhex(&sk, v, "SK") && jhex(&pk, v, "PK") && jhex(&alpha, v, "alpha") && jhex(&pi, v, "pi") &&
                jhex(&beta, v, "beta") && jhex(&h, v, "H") && jhex(&k, v, "k") && jhex(&u, v, "U") &&
                jhex(&vv, v, "V");
  CHECK(parsed);
  if (parsed) {
    zg_ecvrf_keypair_t kp;
    zg_ecvrf_trace_t tr;
    uint8_t mypi[80], b1[64], b2[64], hh[32];
    bool ok = false;
    CHECK_OK(zg_ecvrf_keypair_from_seed(&kp, sk.ptr));
    CHECK_MEM(kp.pk, pk.ptr, 32);
    CHECK_OK(zg_ecvrf_prove_trace(mypi, &tr, suite, &kp, alpha.ptr, alpha.len));
    CHECK_MEM(mypi, pi.ptr, 80);
    CHECK_MEM(tr.h, h.ptr, 32);
    CHECK_MEM(tr.k, k.ptr, 32);
    CHECK_MEM(tr.u, u.ptr, 32);
    CHECK_MEM(tr.v, vv.ptr, 32);
    CHECK_OK(zg_ecvrf_encode_to_curve(hh, suite, kp.pk, alpha.ptr, alpha.len));
    CHECK_MEM(hh, h.ptr, 32);
    if (suite == ZG_ECVRF_EDWARDS25519_SHA512_TAI)
      CHECK_EQ(tr.tai_ctr, json_integer_value(json_object_get(v, "try_and_increment_ctr")));
    CHECK_OK(zg_ecvrf_verify(&ok, b1, suite, pk.ptr, 32, pi.ptr, 80, alpha.ptr, alpha.len));
    CHECK(ok);
    CHECK_MEM(b1, beta.ptr, 64);
    CHECK_OK(zg_ecvrf_proof_to_hash(b2, suite, pi.ptr, 80));
    CHECK_MEM(b2, beta.ptr, 64);
    /* The other suite must not accept this proof. */
    zg_ecvrf_suite_t other = suite == SUITES[0] ? SUITES[1] : SUITES[0];
    CHECK_OK(zg_ecvrf_verify(&ok, b1, other, pk.ptr, 32, pi.ptr, 80, alpha.ptr, alpha.len));
    CHECK(!ok);
    zg_ecvrf_keypair_clear(&kp);
  }
  for (size_t i = 0; i < 9; i++) zg_buf_clear(all[i]);
}

static void test_rfc9381_vectors(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/vrf/ecvrf_edwards25519_rfc9381.json", zgt_vectors_dir());
  json_error_t jerr;
  json_t *root = json_load_file(path, 0, &jerr);
  if (!root) {
    printf("  (skipped: cannot read %s)\n", path);
    return;
  }
  int n = 0;
  size_t i, j;
  json_t *s, *v;
  json_array_foreach(json_object_get(root, "suites"), i, s) {
    const char *ss = json_string_value(json_object_get(s, "suite_string"));
    zg_ecvrf_suite_t suite = ss && strcmp(ss, "03") == 0 ? SUITES[0] : SUITES[1];
    json_array_foreach(json_object_get(s, "vectors"), j, v) {
      check_vector(suite, v);
      n++;
    }
  }
  CHECK_EQ(n, 6);
  json_decref(root);
}

static void test_roundtrip_random(void) {
  long n = zgt_iters(24);
  for (long it = 0; it < n; it++) {
    zg_ecvrf_suite_t suite = SUITES[it & 1];
    uint8_t seed[32], alpha[301], pi[80], pi2[80], beta[64], beta2[64];
    size_t alen = zgt_rand_below(sizeof alpha); /* leaves room for alpha[alen] */
    zgt_rand_bytes(seed, 32);
    zgt_rand_bytes(alpha, alen);
    zg_ecvrf_keypair_t kp;
    bool ok = false;
    CHECK_OK(zg_ecvrf_keypair_from_seed(&kp, seed));
    CHECK_OK(zg_ecvrf_prove(pi, suite, &kp, alpha, alen));
    CHECK_OK(zg_ecvrf_prove(pi2, suite, &kp, alpha, alen));
    CHECK_MEM(pi, pi2, 80); /* deterministic */
    CHECK_OK(zg_ecvrf_verify(&ok, beta, suite, kp.pk, 32, pi, 80, alpha, alen));
    CHECK(ok);
    CHECK_OK(zg_ecvrf_proof_to_hash(beta2, suite, pi, 80));
    CHECK_MEM(beta, beta2, 64);
    uint8_t h[32];
    CHECK_OK(zg_ecvrf_encode_to_curve(h, suite, kp.pk, alpha, alen));
    CHECK(crypto_core_ed25519_is_valid_point(h)); /* H lies in the prime-order subgroup */
    /* Another alpha: must not verify. */
    alpha[alen] = 0x5a;
    CHECK_OK(zg_ecvrf_verify(&ok, beta2, suite, kp.pk, 32, pi, 80, alpha, alen + 1));
    CHECK(!ok);
    zg_ecvrf_keypair_clear(&kp);
  }
}

/* Every byte of the proof altered (one random bit): rejected, by verdict or
 * by a decoding error; never a crash, never "valid". */
static void test_tampered_proofs(void) {
  for (int si = 0; si < 2; si++) {
    uint8_t seed[32], pi[80], alpha[16];
    zgt_rand_bytes(seed, 32);
    zgt_rand_bytes(alpha, sizeof alpha);
    zg_ecvrf_keypair_t kp;
    CHECK_OK(zg_ecvrf_keypair_from_seed(&kp, seed));
    CHECK_OK(zg_ecvrf_prove(pi, SUITES[si], &kp, alpha, sizeof alpha));
    for (int pos = 0; pos < 80; pos++) {
      uint8_t t[80], beta[64];
      memcpy(t, pi, 80);
      t[pos] ^= (uint8_t)(1u << zgt_rand_below(8));
      bool ok = true;
      zg_err_t e = zg_ecvrf_verify(&ok, beta, SUITES[si], kp.pk, 32, t, 80, alpha, sizeof alpha);
      CHECK(!ok);
      CHECK(e == ZG_OK || e == ZG_ENONCANON || e == ZG_ENOTONCURVE || e == ZG_ESCALAR);
      uint8_t zero[64] = {0};
      CHECK_MEM(beta, zero, 64);
    }
    zg_ecvrf_keypair_clear(&kp);
  }
}

static void test_wrong_key(void) {
  for (int si = 0; si < 2; si++) {
    uint8_t s1[32], s2[32], pi[80], beta[64];
    zgt_rand_bytes(s1, 32);
    zgt_rand_bytes(s2, 32);
    zg_ecvrf_keypair_t k1, k2;
    bool ok = true;
    CHECK_OK(zg_ecvrf_keypair_from_seed(&k1, s1));
    CHECK_OK(zg_ecvrf_keypair_from_seed(&k2, s2));
    CHECK_OK(zg_ecvrf_prove(pi, SUITES[si], &k1, (const uint8_t *)"epoch 7", 7));
    CHECK_OK(zg_ecvrf_verify(&ok, beta, SUITES[si], k2.pk, 32, pi, 80, (const uint8_t *)"epoch 7", 7));
    CHECK(!ok);
    CHECK_OK(zg_ecvrf_verify(&ok, beta, SUITES[si], k1.pk, 32, pi, 80, (const uint8_t *)"epoch 7", 7));
    CHECK(ok);
    zg_ecvrf_keypair_clear(&k1);
    zg_ecvrf_keypair_clear(&k2);
  }
}

static void expect_code(const uint8_t *pk, size_t pklen, const uint8_t *pi, size_t pilen, zg_err_t want) {
  for (int si = 0; si < 2; si++) {
    bool ok = true;
    uint8_t beta[64];
    zg_err_t e = zg_ecvrf_verify(&ok, beta, SUITES[si], pk, pklen, pi, pilen, (const uint8_t *)"a", 1);
    if (e != want) ZGT_FAIL("verify -> %s, want %s", zg_errname(e), zg_errname(want));
    CHECK(!ok);
  }
}

static void test_malformed_encodings(void) {
  uint8_t seed[32] = {7}, pi[80], bad[32], t[80], beta[64];
  zg_ecvrf_keypair_t kp;
  CHECK_OK(zg_ecvrf_keypair_from_seed(&kp, seed));
  CHECK_OK(zg_ecvrf_prove(pi, ZG_ECVRF_EDWARDS25519_SHA512_ELL2, &kp, (const uint8_t *)"a", 1));
  expect_code(kp.pk, 31, pi, 80, ZG_EBADLEN);
  expect_code(kp.pk, 33, pi, 80, ZG_EBADLEN);
  expect_code(kp.pk, 32, pi, 79, ZG_EBADLEN);
  expect_code(kp.pk, 32, pi, 81, ZG_EBADLEN);
  CHECK_ERR(zg_ecvrf_proof_to_hash(beta, ZG_ECVRF_EDWARDS25519_SHA512_ELL2, pi, 79), ZG_EBADLEN);
  /* Non-canonical: y = p, y = p + 1 (sign 0 and 1), and "negative zero" x. */
  static const char *noncanon[] = {
      "0xedffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "0xedffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "0xeeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "0x0100000000000000000000000000000000000000000000000000000000000080",
      "0xecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
  };
  for (size_t i = 0; i < sizeof noncanon / sizeof noncanon[0]; i++) {
    hex32(bad, noncanon[i]);
    expect_code(bad, 32, pi, 80, ZG_ENONCANON);
    CHECK_ERR(zg_ecvrf_validate_pk(bad, 32), ZG_ENONCANON);
    memcpy(t, pi, 80);
    memcpy(t, bad, 32);
    expect_code(kp.pk, 32, t, 80, ZG_ENONCANON);
    CHECK_ERR(zg_ecvrf_proof_to_hash(beta, ZG_ECVRF_EDWARDS25519_SHA512_TAI, t, 80), ZG_ENONCANON);
  }
  /* Not on the curve: y = 2 has no x. */
  hex32(bad, "0x0200000000000000000000000000000000000000000000000000000000000000");
  expect_code(bad, 32, pi, 80, ZG_ENOTONCURVE);
  memcpy(t, pi, 80);
  memcpy(t, bad, 32);
  expect_code(kp.pk, 32, t, 80, ZG_ENOTONCURVE);
  /* s = L and s = 2^256 - 1 are rejected; s = L - 1 is well-formed. */
  memcpy(t, pi, 80);
  hex32(t + 48, "0xedd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  expect_code(kp.pk, 32, t, 80, ZG_ESCALAR);
  CHECK_ERR(zg_ecvrf_proof_to_hash(beta, ZG_ECVRF_EDWARDS25519_SHA512_ELL2, t, 80), ZG_ESCALAR);
  memset(t + 48, 0xff, 32);
  expect_code(kp.pk, 32, t, 80, ZG_ESCALAR);
  hex32(t + 48, "0xecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  expect_code(kp.pk, 32, t, 80, ZG_OK);
  /* Gamma of small order is a well-formed (wrong) proof. */
  memcpy(t, pi, 80);
  hex32(t, SMALL_ORDER_HEX[0]);
  expect_code(kp.pk, 32, t, 80, ZG_OK);
  /* API misuse. */
  bool ok = true;
  CHECK_ERR(zg_ecvrf_verify(NULL, beta, SUITES[0], kp.pk, 32, pi, 80, NULL, 0), ZG_EINVAL);
  CHECK_ERR(zg_ecvrf_verify(&ok, beta, (zg_ecvrf_suite_t)1, kp.pk, 32, pi, 80, NULL, 0), ZG_EINVAL);
  CHECK_ERR(zg_ecvrf_verify(&ok, beta, SUITES[0], kp.pk, 32, pi, 80, NULL, 3), ZG_EINVAL);
  CHECK_ERR(zg_ecvrf_prove(t, (zg_ecvrf_suite_t)5, &kp, NULL, 0), ZG_EINVAL);
  CHECK_ERR(zg_ecvrf_keypair_from_seed(NULL, seed), ZG_EINVAL);
  zg_ecvrf_keypair_clear(&kp);
}

static void test_small_order_keys(void) {
  uint8_t seed[32] = {9}, pi[80], pk[32], e[32];
  zg_ecvrf_keypair_t kp;
  CHECK_OK(zg_ecvrf_keypair_from_seed(&kp, seed));
  CHECK_OK(zg_ecvrf_prove(pi, SUITES[1], &kp, (const uint8_t *)"a", 1));
  for (int i = 0; i < 8; i++) {
    hex32(pk, SMALL_ORDER_HEX[i]);
    CHECK_OK(zg__ed25519_mul_cofactor(e, pk)); /* each really has order dividing 8 */
    CHECK_MEM(e, zg__ed25519_identity, 32);
    CHECK_ERR(zg_ecvrf_validate_pk(pk, 32), ZG_EBADKEY);
    expect_code(pk, 32, pi, 80, ZG_EBADKEY);
  }
  CHECK_OK(zg_ecvrf_validate_pk(kp.pk, 32));
  zg_ecvrf_keypair_clear(&kp);
}

/* A proof made by hand for public key Y + ty and Gamma + tg, where ty, tg
 * have small order: the RFC verifier computes U and V exactly, so the proof
 * is valid iff c*ty and c*tg are the identity, i.e. iff `div` divides c. */
static void mixed_case(const zg_ecvrf_keypair_t *kp, const char *ty_hex, const char *tg_hex, unsigned div,
                       int *seen) {
  uint8_t ty[32], tg[32], y[32], alpha[8], h[32], gamma[32], k[32], u[32], v[32], s[32],
      c[32] = {0}, cx[32], pi[80], beta[64], beta_clean[64], e[32];
  hex32(ty, ty_hex);
  hex32(tg, tg_hex);
  CHECK(crypto_core_ed25519_add(y, kp->pk, ty) == 0);
  CHECK_OK(zg_ecvrf_validate_pk(y, 32));
  zgt_rand_bytes(alpha, sizeof alpha);
  CHECK_OK(zg_ecvrf_encode_to_curve(h, SUITES[1], y, alpha, sizeof alpha));
  CHECK(crypto_scalarmult_ed25519_noclamp(gamma, kp->x, h) == 0);
  CHECK_OK(zg__ed25519_mul_cofactor(e, gamma));
  uint8_t head[2] = {0x04, 0x03}, tail = 0;
  zg_sha512_ctx_t hc;
  zg_sha512_init(&hc); /* beta of the clean Gamma, which the torsion must not change */
  zg_sha512_update(&hc, head, 2);
  zg_sha512_update(&hc, e, 32);
  zg_sha512_update(&hc, &tail, 1);
  zg_sha512_final(&hc, beta_clean);
  CHECK(crypto_core_ed25519_add(gamma, gamma, tg) == 0);
  crypto_core_ed25519_scalar_random(k);
  CHECK(crypto_scalarmult_ed25519_base_noclamp(u, k) == 0);
  CHECK(crypto_scalarmult_ed25519_noclamp(v, k, h) == 0);
  uint8_t full[64], chead[2] = {0x04, 0x02};
  zg_sha512_init(&hc);
  zg_sha512_update(&hc, chead, 2);
  zg_sha512_update(&hc, y, 32);
  zg_sha512_update(&hc, h, 32);
  zg_sha512_update(&hc, gamma, 32);
  zg_sha512_update(&hc, u, 32);
  zg_sha512_update(&hc, v, 32);
  zg_sha512_update(&hc, &tail, 1);
  zg_sha512_final(&hc, full);
  memcpy(c, full, 16);
  crypto_core_ed25519_scalar_mul(cx, c, kp->x);
  crypto_core_ed25519_scalar_add(s, k, cx);
  memcpy(pi, gamma, 32);
  memcpy(pi + 32, c, 16);
  memcpy(pi + 48, s, 32);
  bool want = (c[0] % div) == 0, ok = !want;
  CHECK_OK(zg_ecvrf_verify(&ok, beta, SUITES[1], y, 32, pi, 80, alpha, sizeof alpha));
  CHECK_EQ(ok, want);
  if (ok) CHECK_MEM(beta, beta_clean, 64);
  seen[ok ? 1 : 0]++;
}

static void test_mixed_order_points(void) {
  uint8_t seed[32];
  zgt_rand_bytes(seed, 32);
  zg_ecvrf_keypair_t kp;
  CHECK_OK(zg_ecvrf_keypair_from_seed(&kp, seed));
  int seen[2] = {0, 0};
  long n = zgt_iters(24);
  for (long i = 0; i < n; i++) {
    mixed_case(&kp, SMALL_ORDER_HEX[4], SMALL_ORDER_HEX[0], 8, seen); /* key + order 8 */
    mixed_case(&kp, SMALL_ORDER_HEX[1], SMALL_ORDER_HEX[3], 4, seen); /* key + order 2, Gamma + order 4 */
    mixed_case(&kp, SMALL_ORDER_HEX[0], SMALL_ORDER_HEX[1], 2, seen); /* Gamma + order 2 */
    mixed_case(&kp, SMALL_ORDER_HEX[0], SMALL_ORDER_HEX[7], 8, seen); /* Gamma + order 8 */
  }
  printf("  mixed-order proofs: %d valid, %d invalid (as predicted)\n", seen[1], seen[0]);
  CHECK(seen[0] > 0 && seen[1] > 0);
  zg_ecvrf_keypair_clear(&kp);
}

/* Random bytes as public key and proof: a documented code or a "no" verdict,
 * never "valid"; the key and proof checks agree with validate_pk and
 * proof_to_hash. */
static void test_random_garbage(void) {
  int codes[6] = {0};
  for (long i = 0; i < zgt_iters(3000); i++) {
    uint8_t pk[32], pi[80], beta[64];
    zgt_rand_bytes(pk, 32);
    zgt_rand_bytes(pi, 80);
    if (zgt_rand_below(2)) pi[79] &= 0x0f; /* make s < L likely */
    bool ok = true;
    zg_ecvrf_suite_t suite = SUITES[i & 1];
    zg_err_t e = zg_ecvrf_verify(&ok, beta, suite, pk, 32, pi, 80, (const uint8_t *)"g", 1);
    CHECK(!ok);
    zg_err_t ek = zg_ecvrf_validate_pk(pk, 32), ep = zg_ecvrf_proof_to_hash(beta, suite, pi, 80);
    CHECK_EQ(e, ek != ZG_OK ? ek : ep);
    switch (e) {
      case ZG_OK:
        codes[0]++;
        break;
      case ZG_ENONCANON:
        codes[1]++;
        break;
      case ZG_ENOTONCURVE:
        codes[2]++;
        break;
      case ZG_ESCALAR:
        codes[3]++;
        break;
      case ZG_EBADKEY:
        codes[4]++;
        break;
      default:
        ZGT_FAIL("unexpected code %s", zg_errname(e));
    }
  }
  printf("  random inputs: %d well-formed (rejected), %d not on curve, %d s >= L, %d non-canonical\n",
         codes[0], codes[2], codes[3], codes[1]);
  CHECK(codes[0] > 0 && codes[2] > 0 && codes[3] > 0);
}

/* ---- the field and hash-to-curve layer ---- */

static void rand_fe(zg__fe_t *f) {
  uint8_t b[32];
  zgt_rand_bytes(b, 32);
  zg__fe_frombytes(f, b);
}

static void test_field(void) {
  zg__fe_t a, b, t, m1;
  uint8_t s1[32], s2[32];
  zg__fe_neg(&m1, &zg__fe_one);
  zg__fe_sq(&t, &zg__fe_sqrtm1);
  CHECK(zg__fe_eq(&t, &m1));
  for (long i = 0; i < zgt_iters(500); i++) {
    rand_fe(&a);
    rand_fe(&b);
    zg__fe_mul(&t, &a, &b);
    zg__fe_invert(&b, &b);
    zg__fe_mul(&t, &t, &b);
    CHECK(zg__fe_eq(&t, &a));
    zg__fe_add(&t, &a, &b);
    zg__fe_sub(&t, &t, &b);
    zg__fe_tobytes(s1, &t);
    zg__fe_tobytes(s2, &a);
    CHECK_MEM(s1, s2, 32);
    CHECK(zg__fe_bytes_canonical_var(s1));
  }
  /* p + k reduces to k for every non-canonical 255-bit value. */
  for (int k = 0; k < 19; k++) {
    uint8_t pk_[32];
    memset(pk_, 0xff, 32);
    pk_[31] = 0x7f;
    pk_[0] = (uint8_t)(0xed + k);
    CHECK(!zg__fe_bytes_canonical_var(pk_));
    zg__fe_frombytes(&a, pk_);
    zg__fe_tobytes(s1, &a);
    CHECK_EQ(s1[0], k);
    CHECK_EQ(zg__fe_iszero(&a), k == 0);
  }
  /* 48-byte big-endian reduction: 2^256 = 38 and 2^255 = 19 (mod p). */
  uint8_t w[48] = {0};
  w[15] = 1;
  zg__fe_from_be48(&a, w);
  zg__fe_tobytes(s1, &a);
  CHECK(s1[0] == 38 && s1[1] == 0);
  memset(w, 0, sizeof w);
  w[16] = 0x80;
  zg__fe_from_be48(&a, w);
  zg__fe_tobytes(s1, &a);
  CHECK(s1[0] == 19 && s1[1] == 0);
}

static void test_point_codec(void) {
  for (long i = 0; i < zgt_iters(200); i++) {
    uint8_t n[32], p[32], q[32], x[32], y[32];
    crypto_core_ed25519_scalar_random(n);
    CHECK(crypto_scalarmult_ed25519_base_noclamp(p, n) == 0);
    CHECK_OK(zg_ed25519_point_to_affine(x, y, p));
    CHECK_OK(zg_ed25519_point_from_affine(q, x, y));
    CHECK_MEM(p, q, 32);
    x[0] ^= 1; /* (x', y) is off the curve */
    CHECK_ERR(zg_ed25519_point_from_affine(q, x, y), ZG_ENOTONCURVE);
  }
}

static void test_h2c_api(void) {
  uint8_t u[3][32], q[32], p[32], x[32], y[32], ub[96], dst[300], msg[200] = {0};
  zg__fe_t f;
  memset(dst, 'D', sizeof dst);
  CHECK_ERR(zg_ed25519_hash_to_field(u, 0, msg, 0, dst, 10), ZG_EINVAL);
  CHECK_ERR(zg_ed25519_hash_to_field(u, 3, msg, 0, dst, 10), ZG_EINVAL);
  CHECK_ERR(zg_ed25519_encode_to_curve(p, NULL, 5, dst, 10), ZG_EINVAL);
  /* The streamed expand_message_xmd agrees with zg_expand_message_xmd,
   * short and oversize DSTs, any message length. */
  for (long i = 0; i < zgt_iters(60); i++) {
    size_t ml = zgt_rand_below(sizeof msg + 1), dl = 1 + zgt_rand_below(sizeof dst);
    zgt_rand_bytes(msg, ml);
    CHECK_OK(zg_ed25519_hash_to_field(u, 2, msg, ml, dst, dl));
    CHECK_OK(zg_expand_message_xmd(ub, 96, ZG_XMD_SHA512, msg, ml, dst, dl));
    for (int j = 0; j < 2; j++) {
      zg__fe_from_be48(&f, ub + 48 * j);
      zg__fe_tobytes(q, &f);
      CHECK_MEM(q, u[j], 32);
      CHECK_OK(zg_ed25519_map_to_curve_ell2(q, u[j]));
      CHECK_OK(zg_ed25519_point_to_affine(x, y, q)); /* on the curve */
    }
    CHECK_OK(zg_ed25519_hash_to_curve(p, msg, ml, dst, dl));
    CHECK(crypto_core_ed25519_is_valid_point(p));
    CHECK_OK(zg_ed25519_encode_to_curve(p, msg, ml, dst, dl));
    CHECK(crypto_core_ed25519_is_valid_point(p));
  }
  /* u = 0 maps to the identity (the rational map's exceptional case). */
  memset(u[0], 0, 32);
  CHECK_OK(zg_ed25519_map_to_curve_ell2(q, u[0]));
  CHECK_MEM(q, zg__ed25519_identity, 32);
  memset(u[0], 0xff, 32);
  CHECK_ERR(zg_ed25519_map_to_curve_ell2(q, u[0]), ZG_EFIELD);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  if (sodium_init() < 0) return 1;
  ZGT_RUN(test_rfc9381_vectors);
  ZGT_RUN(test_roundtrip_random);
  ZGT_RUN(test_tampered_proofs);
  ZGT_RUN(test_wrong_key);
  ZGT_RUN(test_malformed_encodings);
  ZGT_RUN(test_small_order_keys);
  ZGT_RUN(test_mixed_order_points);
  ZGT_RUN(test_random_garbage);
  ZGT_RUN(test_field);
  ZGT_RUN(test_point_codec);
  ZGT_RUN(test_h2c_api);
  return zgt_done();
}

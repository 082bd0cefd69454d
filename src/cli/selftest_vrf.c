/* selftest_vrf.c — self-test section for ECVRF-EDWARDS25519-SHA512-ELL2
 * (RFC 9381): proves and verifies a few alphas under a fixed key, shows the
 * beta prefixes (the outputs DA quorum slots are drawn from), checks that an
 * altered proof and a wrong alpha are rejected and that a small-order public
 * key is refused, and prints timings. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "zg/bytes.h"
#include "zg/ecvrf.h"
#include "zg/log.h"

#define ELL2 ZG_ECVRF_EDWARDS25519_SHA512_ELL2

static void print_prefix(const char *label, const uint8_t *b, size_t n) {
  char hex[2 * 16 + 3];
  zg_hex_encode(hex, b, n);
  printf("   %-22s %s...\n", label, hex);
}

ZG_SELFTEST(ecvrf) {
  bool ok = true;
  uint8_t seed[32];
  for (int i = 0; i < 32; i++) seed[i] = (uint8_t)i;
  zg_ecvrf_keypair_t kp;
  ZG_ST_CHECK(ok, zg_ecvrf_keypair_from_seed(&kp, seed) == ZG_OK);
  print_prefix("fixed key pk", kp.pk, 8);
  static const char *alphas[] = {"", "epoch 1", "epoch 2 / quorum 0", "the quick brown fox"};
  uint8_t pi[80], beta[64], beta2[64];
  for (size_t i = 0; i < sizeof alphas / sizeof alphas[0]; i++) {
    const uint8_t *a = (const uint8_t *)alphas[i];
    size_t al = strlen(alphas[i]);
    bool valid = false;
    ZG_ST_CHECK(ok, zg_ecvrf_prove(pi, ELL2, &kp, a, al) == ZG_OK);
    ZG_ST_CHECK(ok, zg_ecvrf_verify(&valid, beta, ELL2, kp.pk, 32, pi, 80, a, al) == ZG_OK && valid);
    ZG_ST_CHECK(ok, zg_ecvrf_proof_to_hash(beta2, ELL2, pi, 80) == ZG_OK && memcmp(beta, beta2, 64) == 0);
    char label[40];
    snprintf(label, sizeof label, "beta(\"%.14s\")", alphas[i]);
    print_prefix(label, beta, 8);
  }
  /* An altered proof (one bit of s) and a wrong alpha must not verify. */
  bool valid = true;
  pi[60] ^= 0x10;
  ZG_ST_CHECK(ok, zg_ecvrf_verify(&valid, beta, ELL2, kp.pk, 32, pi, 80, (const uint8_t *)"x", 1) == ZG_OK);
  ZG_ST_CHECK(ok, !valid);
  pi[60] ^= 0x10;
  valid = true;
  ZG_ST_CHECK(ok, zg_ecvrf_verify(&valid, beta, ELL2, kp.pk, 32, pi, 80, (const uint8_t *)"y", 1) == ZG_OK);
  ZG_ST_CHECK(ok, !valid);
  uint8_t small[32] = {1}; /* the identity: small order */
  ZG_ST_CHECK(ok, zg_ecvrf_verify(&valid, beta, ELL2, small, 32, pi, 80, NULL, 0) == ZG_EBADKEY);
  printf("   rejected: proof with one bit of s flipped, wrong alpha, small-order public key\n");
  /* Timings. */
  int rounds = 50;
  uint8_t alpha[32] = {0};
  uint64_t t = zg_clock_ns();
  for (int i = 0; i < rounds; i++) {
    alpha[0] = (uint8_t)i;
    if (zg_ecvrf_prove(pi, ELL2, &kp, alpha, 32) != ZG_OK) ok = false;
  }
  double prove_us = (double)(zg_clock_ns() - t) / rounds / 1e3;
  t = zg_clock_ns();
  for (int i = 0; i < rounds; i++) {
    if (zg_ecvrf_verify(&valid, beta, ELL2, kp.pk, 32, pi, 80, alpha, 32) != ZG_OK || !valid) ok = false;
  }
  double verify_us = (double)(zg_clock_ns() - t) / rounds / 1e3;
  printf("   prove %.0f us, verify %.0f us (ELL2, %d rounds each)\n", prove_us, verify_us, rounds);
  zg_ecvrf_keypair_clear(&kp);
  return ok;
}

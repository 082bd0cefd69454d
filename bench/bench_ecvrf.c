/* bench_ecvrf.c — ECVRF-EDWARDS25519-SHA512-ELL2 (RFC 9381): prove, verify,
 * proof_to_hash, the ELL2 encode_to_curve, and TAI prove/verify for
 * comparison. Fixed key, 32-byte alpha. */
#include <string.h>

#include "bench.h"
#include "zg/ecvrf.h"
#include "zg/ed25519_h2c.h"

#define ELL2 ZG_ECVRF_EDWARDS25519_SHA512_ELL2
#define TAI ZG_ECVRF_EDWARDS25519_SHA512_TAI

static void setup(zg_ecvrf_keypair_t *kp, uint8_t alpha[32]) {
  uint8_t seed[32];
  memset(seed, 0x42, sizeof seed);
  memset(alpha, 0x17, 32);
  if (zg_ecvrf_keypair_from_seed(kp, seed) != ZG_OK) memset(kp, 0, sizeof *kp);
}

ZG_BENCH(ecvrf_prove) {
  zg_ecvrf_keypair_t kp;
  uint8_t alpha[32], pi[80];
  setup(&kp, alpha);
  while (zg_bench_loop(b)) {
    alpha[0]++;
    if (zg_ecvrf_prove(pi, ELL2, &kp, alpha, 32) != ZG_OK) break;
  }
  zg_ecvrf_keypair_clear(&kp);
}

ZG_BENCH(ecvrf_verify) {
  zg_ecvrf_keypair_t kp;
  uint8_t alpha[32], pi[80], beta[64];
  setup(&kp, alpha);
  if (zg_ecvrf_prove(pi, ELL2, &kp, alpha, 32) != ZG_OK) return;
  while (zg_bench_loop(b)) {
    bool ok = false;
    if (zg_ecvrf_verify(&ok, beta, ELL2, kp.pk, 32, pi, 80, alpha, 32) != ZG_OK || !ok) break;
  }
  zg_ecvrf_keypair_clear(&kp);
}

ZG_BENCH(ecvrf_proof_to_hash) {
  zg_ecvrf_keypair_t kp;
  uint8_t alpha[32], pi[80], beta[64];
  setup(&kp, alpha);
  if (zg_ecvrf_prove(pi, ELL2, &kp, alpha, 32) != ZG_OK) return;
  while (zg_bench_loop(b)) {
    if (zg_ecvrf_proof_to_hash(beta, ELL2, pi, 80) != ZG_OK) break;
  }
  zg_ecvrf_keypair_clear(&kp);
}

ZG_BENCH(ecvrf_hash_to_curve_ell2) {
  zg_ecvrf_keypair_t kp;
  uint8_t alpha[32], h[32];
  setup(&kp, alpha);
  while (zg_bench_loop(b)) {
    alpha[0]++;
    if (zg_ecvrf_encode_to_curve(h, ELL2, kp.pk, alpha, 32) != ZG_OK) break;
  }
  zg_ecvrf_keypair_clear(&kp);
}

ZG_BENCH(ecvrf_tai_prove) {
  zg_ecvrf_keypair_t kp;
  uint8_t alpha[32], pi[80];
  setup(&kp, alpha);
  while (zg_bench_loop(b)) {
    alpha[0]++;
    if (zg_ecvrf_prove(pi, TAI, &kp, alpha, 32) != ZG_OK) break;
  }
  zg_ecvrf_keypair_clear(&kp);
}

ZG_BENCH(ecvrf_tai_verify) {
  zg_ecvrf_keypair_t kp;
  uint8_t alpha[32], pi[80], beta[64];
  setup(&kp, alpha);
  if (zg_ecvrf_prove(pi, TAI, &kp, alpha, 32) != ZG_OK) return;
  while (zg_bench_loop(b)) {
    bool ok = false;
    if (zg_ecvrf_verify(&ok, beta, TAI, kp.pk, 32, pi, 80, alpha, 32) != ZG_OK || !ok) break;
  }
  zg_ecvrf_keypair_clear(&kp);
}

ZG_BENCH(ed25519_h2c_ro) {
  uint8_t msg[32], p[32];
  static const uint8_t dst[] = "QUUX-V01-CS02-with-edwards25519_XMD:SHA-512_ELL2_RO_";
  memset(msg, 3, sizeof msg);
  while (zg_bench_loop(b)) {
    msg[0]++;
    if (zg_ed25519_hash_to_curve(p, msg, sizeof msg, dst, sizeof dst - 1) != ZG_OK) break;
  }
}

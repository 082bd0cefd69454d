/* fuzz_ecvrf_verify.c — ECVRF verification of untrusted bytes.
 *
 * Input: byte 0 picks the suite (bit 0: TAI or ELL2) and, in bits 1..2,
 * whether the public key and proof lengths are taken short (to reach the
 * length checks); then pk (32 bytes), proof (80 bytes), and alpha (the rest).
 * Properties: no crash or sanitizer report; the error code is one of the
 * documented ones; a failed call reports "invalid" and a zero beta; when a
 * proof verifies, proof_to_hash gives the same beta and validate_pk accepts
 * the key; proof_to_hash agrees with verify on the proof's decoding errors. */
#include <stdlib.h>
#include <string.h>

#include "zg/ecvrf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t ZERO64[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  zg_ecvrf_suite_t suite =
      (data[0] & 1) ? ZG_ECVRF_EDWARDS25519_SHA512_ELL2 : ZG_ECVRF_EDWARDS25519_SHA512_TAI;
  size_t pk_len = (data[0] & 2) ? 31 : 32, pi_len = (data[0] & 4) ? 79 : 80;
  data++;
  size--;
  uint8_t pk[32] = {0}, pi[80] = {0};
  memcpy(pk, data, size < 32 ? size : 32);
  if (size > 32) memcpy(pi, data + 32, size - 32 < 80 ? size - 32 : 80);
  const uint8_t *alpha = size > 112 ? data + 112 : NULL;
  size_t alpha_len = size > 112 ? size - 112 : 0;

  bool valid = true;
  uint8_t beta[64], beta2[64];
  zg_err_t e = zg_ecvrf_verify(&valid, beta, suite, pk, pk_len, pi, pi_len, alpha, alpha_len);
  switch (e) {
    case ZG_OK:
    case ZG_EBADLEN:
    case ZG_ENONCANON:
    case ZG_ENOTONCURVE:
    case ZG_ESCALAR:
    case ZG_EBADKEY:
      break;
    default:
      abort();
  }
  if (e != ZG_OK && valid) abort();
  if (!valid && memcmp(beta, ZERO64, 64) != 0) abort();
  if (valid) {
    if (zg_ecvrf_proof_to_hash(beta2, suite, pi, pi_len) != ZG_OK) abort();
    if (memcmp(beta, beta2, 64) != 0) abort();
    if (zg_ecvrf_validate_pk(pk, pk_len) != ZG_OK) abort();
  }
  /* With a good key, verify's proof errors are proof_to_hash's. */
  if (zg_ecvrf_validate_pk(pk, pk_len) == ZG_OK) {
    zg_err_t e2 = zg_ecvrf_proof_to_hash(beta2, suite, pi, pi_len);
    if (e2 != ZG_OK && e2 != e) abort();
    if (e2 == ZG_OK && e != ZG_OK) abort();
  }
  return 0;
}

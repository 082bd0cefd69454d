/*
 * zg/ecvrf.h — ECVRF of RFC 9381 on edwards25519 with SHA-512:
 * ECVRF-EDWARDS25519-SHA512-ELL2 (suite 0x04, the one zg uses: the DA layer
 * draws quorum slots from beta) and ECVRF-EDWARDS25519-SHA512-TAI (0x03).
 *
 * Encodings are the RFC's: a public key is a 32-byte point encoding, a proof
 * pi is Gamma (32) || c (16, little-endian) || s (32, little-endian), beta is
 * 64 bytes. Verification always runs the RFC's validate_key (validate_key =
 * TRUE): public keys of small order are rejected. Malformed encodings are
 * errors with their own code (below); a well-formed proof that does not
 * verify is a verdict (*valid = false, ZG_OK).
 *
 * Proving is constant-time in the secret key; verification, proof_to_hash
 * and the TAI encode_to_curve are variable-time (public inputs). Nothing
 * allocates.
 */
#ifndef ZG_ECVRF_H
#define ZG_ECVRF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

#define ZG_ECVRF_SEED_LEN 32
#define ZG_ECVRF_PK_LEN 32
#define ZG_ECVRF_PROOF_LEN 80
#define ZG_ECVRF_BETA_LEN 64
#define ZG_ECVRF_POINT_LEN 32

/* The suite_string byte of each ciphersuite. */
typedef enum {
  ZG_ECVRF_EDWARDS25519_SHA512_TAI = 0x03,
  ZG_ECVRF_EDWARDS25519_SHA512_ELL2 = 0x04,
} zg_ecvrf_suite_t;

/* A key pair derived from a 32-byte secret key as in RFC 8032 section 5.1.5:
 * h = SHA-512(sk), x = clamp(h[0..31]) mod L, PK = x*B; h[32..63] keys the
 * nonce. Holds secrets: wipe it with zg_ecvrf_keypair_clear. */
typedef struct {
  uint8_t sk[32];        /* the secret key as given */
  uint8_t x[32];         /* secret scalar, reduced mod L, little-endian */
  uint8_t nonce_key[32]; /* SHA-512(sk)[32..63], RFC 9381 section 5.4.2.2 */
  uint8_t pk[32];        /* public key encoding */
} zg_ecvrf_keypair_t;

/* Derives the key pair for sk (32 bytes, borrowed). ZG_EINVAL on NULL. */
ZG_WARN_UNUSED zg_err_t zg_ecvrf_keypair_from_seed(zg_ecvrf_keypair_t *kp, const uint8_t sk[32]);
/* Wipes a key pair. */
void zg_ecvrf_keypair_clear(zg_ecvrf_keypair_t *kp);

/* ECVRF_prove: writes the 80-byte proof of alpha (alpha_len bytes, may be
 * empty) under kp. ZG_EINVAL on a NULL pointer or an unknown suite;
 * ZG_ECRYPTO only if the TAI loop runs out of counters (probability 2^-256).
 * pi is zeroed on failure. */
ZG_WARN_UNUSED zg_err_t zg_ecvrf_prove(uint8_t pi[80], zg_ecvrf_suite_t suite, const zg_ecvrf_keypair_t *kp,
                                       const uint8_t *alpha, size_t alpha_len);

/* ECVRF_verify with validate_key = TRUE. On ZG_OK, *valid tells whether the
 * proof is valid, and beta (may be NULL) receives the VRF output when it is
 * (zeroes otherwise). Errors, with *valid = false:
 *   ZG_EBADLEN      pk_len != 32 or pi_len != 80
 *   ZG_ENONCANON    the public key or Gamma encodes y >= p, or x = 0 with
 *                   the sign bit set (RFC 8032 strict decoding)
 *   ZG_ENOTONCURVE  the public key or Gamma is not a curve point
 *   ZG_ESCALAR      s >= L
 *   ZG_EBADKEY      the public key has small order (validate_key)
 *   ZG_EINVAL       NULL pointers or an unknown suite.
 * Which input was malformed is in the code's order: the public key is checked
 * before the proof. */
ZG_WARN_UNUSED zg_err_t zg_ecvrf_verify(bool *valid, uint8_t beta[64], zg_ecvrf_suite_t suite,
                                        const uint8_t *pk, size_t pk_len, const uint8_t *pi, size_t pi_len,
                                        const uint8_t *alpha, size_t alpha_len);

/* ECVRF_proof_to_hash: beta = SHA-512(suite || 0x03 || 8*Gamma || 0x00). Only
 * meaningful for a proof known to be valid (from zg_ecvrf_prove or after
 * zg_ecvrf_verify). Decoding errors as for zg_ecvrf_verify. */
ZG_WARN_UNUSED zg_err_t zg_ecvrf_proof_to_hash(uint8_t beta[64], zg_ecvrf_suite_t suite, const uint8_t *pi,
                                               size_t pi_len);

/* ECVRF_validate_key on an encoded public key: ZG_OK, or the decoding and
 * small-order codes of zg_ecvrf_verify. */
ZG_WARN_UNUSED zg_err_t zg_ecvrf_validate_pk(const uint8_t *pk, size_t pk_len);

/* ECVRF_encode_to_curve with encode_to_curve_salt = pk (32 bytes, not
 * validated here): H for alpha. ELL2 is RFC 9380 encode_to_curve with DST
 * "ECVRF_edwards25519_XMD:SHA-512_ELL2_NU_" || 0x04; TAI is try-and-increment.
 * ZG_EINVAL on NULL pointers or an unknown suite. */
ZG_WARN_UNUSED zg_err_t zg_ecvrf_encode_to_curve(uint8_t h[32], zg_ecvrf_suite_t suite, const uint8_t pk[32],
                                                 const uint8_t *alpha, size_t alpha_len);

/* Diagnostics for test vectors: the RFC 9381 intermediate values of one
 * proof. ctr is the TAI counter (-1 for ELL2). */
typedef struct {
  uint8_t h[32], k[32], u[32], v[32], gamma[32];
  int tai_ctr;
} zg_ecvrf_trace_t;

/* As zg_ecvrf_prove, and also fills *trace (k is secret: wipe the trace). */
ZG_WARN_UNUSED zg_err_t zg_ecvrf_prove_trace(uint8_t pi[80], zg_ecvrf_trace_t *trace, zg_ecvrf_suite_t suite,
                                             const zg_ecvrf_keypair_t *kp, const uint8_t *alpha,
                                             size_t alpha_len);

#endif

/*
 * zg/ed25519.h — Ed25519 signatures (RFC 8032, pure Ed25519) and X25519 key
 * agreement (RFC 7748), thin wrappers over libsodium.
 *
 * Keys are fixed-size values. An Ed25519 secret key is the 32-byte seed
 * followed by the 32-byte public key (libsodium's layout); it is a secret and
 * callers should wipe it with zg_ed25519_sk_clear. Verification follows
 * libsodium 1.0.18: canonical S (< L), public keys of small order and
 * non-canonical encodings rejected. A signature that does not verify is a
 * verdict (bool), not an error.
 *
 * Batch verification: libsodium 1.0.18 has none, and composing one from its
 * exported group operations (one full scalar multiplication per term) costs
 * more than verifying one by one, so none is offered (see bench_hash.c,
 * ed25519_verify against ed25519_scalarmult).
 */
#ifndef ZG_ED25519_H
#define ZG_ED25519_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

#define ZG_ED25519_SEED_LEN 32
#define ZG_ED25519_PK_LEN 32
#define ZG_ED25519_SIG_LEN 64
#define ZG_X25519_LEN 32

typedef struct {
  uint8_t bytes[32];
} zg_ed25519_pk_t;
typedef struct {
  uint8_t bytes[64]; /* seed || public key */
} zg_ed25519_sk_t;
typedef struct {
  uint8_t bytes[32];
} zg_x25519_pk_t;
typedef struct {
  uint8_t bytes[32];
} zg_x25519_sk_t;

/* Derives the key pair of a 32-byte seed (RFC 8032 secret key). Outputs: pk,
 * sk. ZG_EINVAL on NULL arguments. */
ZG_WARN_UNUSED zg_err_t zg_ed25519_keypair_from_seed(zg_ed25519_pk_t *pk, zg_ed25519_sk_t *sk,
                                                     const uint8_t seed[32]);
/* A fresh random key pair. ZG_ERANDOM when the random source fails. */
ZG_WARN_UNUSED zg_err_t zg_ed25519_keypair_random(zg_ed25519_pk_t *pk, zg_ed25519_sk_t *sk);
/* Copies the public key out of a secret key. */
void zg_ed25519_sk_public(zg_ed25519_pk_t *pk, const zg_ed25519_sk_t *sk);
/* Wipes a secret key. */
void zg_ed25519_sk_clear(zg_ed25519_sk_t *sk);

/* Checks that 32 bytes are a usable public key (canonical, on the curve, not of
 * small order, in the prime-order subgroup) and copies them. ZG_EBADLEN when
 * len != 32, ZG_EBADKEY otherwise. */
ZG_WARN_UNUSED zg_err_t zg_ed25519_pk_parse(zg_ed25519_pk_t *pk, const uint8_t *in, size_t len);

/* Signs msg (borrowed, any length) deterministically: sig gets 64 bytes R||S. */
ZG_WARN_UNUSED zg_err_t zg_ed25519_sign(uint8_t sig[64], const zg_ed25519_sk_t *sk, const uint8_t *msg,
                                        size_t msglen);
/* Sets *ok to whether sig is a valid signature of msg under pk. Fails only on
 * NULL arguments (ZG_EINVAL); *ok is false on every failure path. */
ZG_WARN_UNUSED zg_err_t zg_ed25519_verify(bool *ok, const uint8_t sig[64], const uint8_t *msg, size_t msglen,
                                          const zg_ed25519_pk_t *pk);

/* A fresh random X25519 key pair. ZG_ERANDOM when the random source fails. */
ZG_WARN_UNUSED zg_err_t zg_x25519_keypair(zg_x25519_pk_t *pk, zg_x25519_sk_t *sk);
/* The public key of a secret key (scalar multiplication of the base point). */
ZG_WARN_UNUSED zg_err_t zg_x25519_public(zg_x25519_pk_t *pk, const zg_x25519_sk_t *sk);
/* The raw shared secret X25519(sk, peer). ZG_EBADKEY when the result is all
 * zero (peer sent a small-order point); out is zeroed then. Hash the result
 * with both public keys before using it as a key. */
ZG_WARN_UNUSED zg_err_t zg_x25519_shared(uint8_t out[32], const zg_x25519_sk_t *sk,
                                         const zg_x25519_pk_t *peer);

#endif

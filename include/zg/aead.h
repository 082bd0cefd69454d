/*
 * zg/aead.h — authenticated encryption: ChaCha20-Poly1305, IETF variant
 * (RFC 8439: 32-byte key, 12-byte nonce, 16-byte tag), over libsodium.
 *
 * A sealed box is ciphertext || tag, exactly 16 bytes longer than the
 * plaintext. A (key, nonce) pair must never seal two different messages:
 * callers use a counter or a random nonce with a fresh key per session.
 * Open checks the tag before decrypting anything: on a forged or damaged box
 * it returns ZG_EAUTH and the output buffer holds zeros, never
 * unauthenticated plaintext.
 */
#ifndef ZG_AEAD_H
#define ZG_AEAD_H

#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

#define ZG_AEAD_KEY_LEN 32
#define ZG_AEAD_NONCE_LEN 12
#define ZG_AEAD_TAG_LEN 16

/* Encrypts and authenticates msg with the associated data ad.
 *   out:    output, outlen bytes; outlen must be msglen + ZG_AEAD_TAG_LEN
 *           (ZG_EBADLEN otherwise). out may be the same buffer as msg
 *           (in place) but must not otherwise overlap it.
 *   key, nonce: borrowed, 32 and 12 bytes.
 *   ad:     borrowed associated data (authenticated, not encrypted); may be
 *           NULL when adlen is 0.
 * ZG_EOVERFLOW when msglen exceeds the cipher's limit (2^38 - 64 bytes). */
ZG_WARN_UNUSED zg_err_t zg_aead_seal(uint8_t *out, size_t outlen, const uint8_t key[32],
                                     const uint8_t nonce[12], const uint8_t *ad, size_t adlen,
                                     const uint8_t *msg, size_t msglen);

/* Authenticates and decrypts a sealed box in (inlen bytes, tag last).
 *   out:    output, outlen bytes; outlen must be inlen - ZG_AEAD_TAG_LEN
 *           (ZG_EBADLEN otherwise). May be the same buffer as in.
 * Returns ZG_ETRUNC when inlen < 16, ZG_EAUTH when the tag does not match
 * (forged, damaged, wrong key, nonce or associated data); out is zeroed on
 * every failure. */
ZG_WARN_UNUSED zg_err_t zg_aead_open(uint8_t *out, size_t outlen, const uint8_t key[32],
                                     const uint8_t nonce[12], const uint8_t *ad, size_t adlen,
                                     const uint8_t *in, size_t inlen);

#endif

/*
 * zg/hash.h — hash functions: Keccak-256 (Ethereum's, original padding 0x01),
 * SHA-256, SHA-512 and BLAKE2b-512 (libsodium), and RFC 9380
 * expand_message_xmd over SHA-256 or SHA-512.
 *
 * One-shot functions take a borrowed input and write a fixed-size digest.
 * Streaming contexts are caller-owned values: _init, _update (any number of
 * times, any lengths), _final (which wipes the context).
 */
#ifndef ZG_HASH_H
#define ZG_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

#define ZG_KECCAK256_LEN 32
#define ZG_SHA256_LEN 32
#define ZG_SHA512_LEN 64
#define ZG_BLAKE2B512_LEN 64

/* ---- Keccak-256 (src/crypto/keccak.c) ---- */
typedef struct {
  uint64_t st[25];
  size_t pos; /* bytes absorbed into the current block, < 136 */
} zg_keccak256_ctx_t;

void zg_keccak256(uint8_t out[32], const void *in, size_t len);
void zg_keccak256_init(zg_keccak256_ctx_t *ctx);
void zg_keccak256_update(zg_keccak256_ctx_t *ctx, const void *in, size_t len);
void zg_keccak256_final(zg_keccak256_ctx_t *ctx, uint8_t out[32]);
/* keccak256(a || b) of two 32-byte values: the Merkle-node hash. */
void zg_keccak256_pair(uint8_t out[32], const uint8_t a[32], const uint8_t b[32]);
/* The Keccak-f[1600] permutation (24 rounds) on a 25-lane state. */
void zg_keccakf1600(uint64_t st[25]);

/* ---- SHA-2 and BLAKE2b (src/crypto/hash.c: SHA-256 nettle, the rest libsodium) ---- */
typedef struct {
  uint64_t opaque[16]; /* holds nettle's struct sha256_ctx (112 bytes) */
} zg_sha256_ctx_t;
typedef struct {
  uint64_t opaque[26]; /* holds libsodium's crypto_hash_sha512_state (208 bytes) */
} zg_sha512_ctx_t;

void zg_sha256(uint8_t out[32], const void *in, size_t len);
void zg_sha256_init(zg_sha256_ctx_t *ctx);
void zg_sha256_update(zg_sha256_ctx_t *ctx, const void *in, size_t len);
void zg_sha256_final(zg_sha256_ctx_t *ctx, uint8_t out[32]);
void zg_sha512(uint8_t out[64], const void *in, size_t len);
void zg_sha512_init(zg_sha512_ctx_t *ctx);
void zg_sha512_update(zg_sha512_ctx_t *ctx, const void *in, size_t len);
void zg_sha512_final(zg_sha512_ctx_t *ctx, uint8_t out[64]);
void zg_blake2b512(uint8_t out[64], const void *in, size_t len);
/* HMAC-SHA256 and HKDF-SHA256 (RFC 5869), used by BLS KeyGen. */
void zg_hmac_sha256(uint8_t out[32], const uint8_t *key, size_t keylen, const uint8_t *msg, size_t msglen);
void zg_hkdf_sha256_extract(uint8_t prk[32], const uint8_t *salt, size_t saltlen, const uint8_t *ikm, size_t ikmlen);
/* okmlen <= 255*32; ZG_EINVAL otherwise. */
ZG_WARN_UNUSED zg_err_t zg_hkdf_sha256_expand(uint8_t *okm, size_t okmlen, const uint8_t prk[32], const uint8_t *info,
                                              size_t infolen);

/* ---- expand_message_xmd (RFC 9380 section 5.3.1; src/crypto/xmd.c) ---- */
typedef enum { ZG_XMD_SHA256, ZG_XMD_SHA512 } zg_xmd_hash_t;
/* Writes outlen uniform bytes derived from msg under the domain separation
 * tag dst. A dst longer than 255 bytes is first hashed as the RFC says.
 * ZG_EINVAL when outlen exceeds 255 hash blocks or 65535 bytes, or is 0. */
ZG_WARN_UNUSED zg_err_t zg_expand_message_xmd(uint8_t *out, size_t outlen, zg_xmd_hash_t h, const uint8_t *msg,
                                              size_t msglen, const uint8_t *dst, size_t dstlen);

#endif

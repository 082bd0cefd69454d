/*
 * hash.c — SHA-256, SHA-512, BLAKE2b-512, HMAC-SHA256 and HKDF-SHA256 (zg/hash.h).
 * Thin wrappers. SHA-256 comes from nettle, whose fat build uses the SHA-NI
 * instructions when the CPU has them (~1 GB/s here against libsodium's
 * portable 0.12 GB/s; KZG's Fiat-Shamir hashes 128 KiB per blob). SHA-512,
 * BLAKE2b and HMAC come from libsodium.
 */
#include <nettle/sha2.h>
#include <sodium.h>
#include <string.h>

#include "zg/bytes.h"
#include "zg/hash.h"

_Static_assert(sizeof(zg_sha256_ctx_t) >= sizeof(struct sha256_ctx), "sha256 ctx too small");
_Static_assert(sizeof(zg_sha512_ctx_t) >= sizeof(crypto_hash_sha512_state), "sha512 ctx too small");

void zg_sha256(uint8_t out[32], const void *in, size_t len) {
  struct sha256_ctx c;
  sha256_init(&c);
  sha256_update(&c, len, in);
  sha256_digest(&c, 32, out);
  zg_memwipe(&c, sizeof c);
}
void zg_sha256_init(zg_sha256_ctx_t *ctx) { sha256_init((struct sha256_ctx *)ctx); }
void zg_sha256_update(zg_sha256_ctx_t *ctx, const void *in, size_t len) {
  sha256_update((struct sha256_ctx *)ctx, len, in);
}
void zg_sha256_final(zg_sha256_ctx_t *ctx, uint8_t out[32]) {
  sha256_digest((struct sha256_ctx *)ctx, 32, out);
  zg_memwipe(ctx, sizeof *ctx);
}

void zg_sha512(uint8_t out[64], const void *in, size_t len) { crypto_hash_sha512(out, in, len); }
void zg_sha512_init(zg_sha512_ctx_t *ctx) { crypto_hash_sha512_init((crypto_hash_sha512_state *)ctx); }
void zg_sha512_update(zg_sha512_ctx_t *ctx, const void *in, size_t len) {
  crypto_hash_sha512_update((crypto_hash_sha512_state *)ctx, in, len);
}
void zg_sha512_final(zg_sha512_ctx_t *ctx, uint8_t out[64]) {
  crypto_hash_sha512_final((crypto_hash_sha512_state *)ctx, out);
  zg_memwipe(ctx, sizeof *ctx);
}

void zg_blake2b512(uint8_t out[64], const void *in, size_t len) {
  crypto_generichash_blake2b(out, 64, in, len, NULL, 0);
}

void zg_hmac_sha256(uint8_t out[32], const uint8_t *key, size_t keylen, const uint8_t *msg, size_t msglen) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key, keylen);
  crypto_auth_hmacsha256_update(&st, msg, msglen);
  crypto_auth_hmacsha256_final(&st, out);
  zg_memwipe(&st, sizeof st);
}

void zg_hkdf_sha256_extract(uint8_t prk[32], const uint8_t *salt, size_t saltlen, const uint8_t *ikm,
                            size_t ikmlen) {
  zg_hmac_sha256(prk, salt, saltlen, ikm, ikmlen);
}

zg_err_t zg_hkdf_sha256_expand(uint8_t *okm, size_t okmlen, const uint8_t prk[32], const uint8_t *info,
                               size_t infolen) {
  if (okmlen > 255 * 32 || (!okm && okmlen)) return ZG_EINVAL;
  uint8_t t[32];
  size_t tlen = 0, done = 0;
  for (uint8_t i = 1; done < okmlen; i++) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, prk, 32);
    crypto_auth_hmacsha256_update(&st, t, tlen);
    crypto_auth_hmacsha256_update(&st, info, infolen);
    crypto_auth_hmacsha256_update(&st, &i, 1);
    crypto_auth_hmacsha256_final(&st, t);
    zg_memwipe(&st, sizeof st);
    tlen = 32;
    size_t n = okmlen - done < 32 ? okmlen - done : 32;
    memcpy(okm + done, t, n);
    done += n;
  }
  zg_memwipe(t, sizeof t);
  return ZG_OK;
}

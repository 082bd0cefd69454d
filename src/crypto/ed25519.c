/*
 * ed25519.c — Ed25519 and X25519 over libsodium (zg/ed25519.h).
 *
 * libsodium must be initialised before use; sodium_init() is idempotent and
 * thread-safe, so every entry point that needs it calls ensure_init() (a
 * cheap check after the first call). Secrets that pass through locals are
 * wiped before return.
 */
#include "zg/ed25519.h"

#include <sodium.h>
#include <string.h>

#include "zg/bytes.h"

_Static_assert(crypto_sign_ed25519_SECRETKEYBYTES == 64, "libsodium Ed25519 secret key layout");
_Static_assert(crypto_sign_ed25519_PUBLICKEYBYTES == 32, "libsodium Ed25519 public key size");
_Static_assert(crypto_scalarmult_curve25519_BYTES == 32, "libsodium X25519 size");

static zg_err_t ensure_init(void) { return sodium_init() < 0 ? ZG_ECRYPTO : ZG_OK; }

zg_err_t zg_ed25519_keypair_from_seed(zg_ed25519_pk_t *pk, zg_ed25519_sk_t *sk, const uint8_t seed[32]) {
  if (!pk || !sk || !seed) return ZG_EINVAL;
  ZG_TRY(ensure_init());
  crypto_sign_ed25519_seed_keypair(pk->bytes, sk->bytes, seed);
  return ZG_OK;
}

zg_err_t zg_ed25519_keypair_random(zg_ed25519_pk_t *pk, zg_ed25519_sk_t *sk) {
  if (!pk || !sk) return ZG_EINVAL;
  uint8_t seed[32];
  zg_err_t err = zg_random_bytes(seed, sizeof seed);
  if (err == ZG_OK) err = zg_ed25519_keypair_from_seed(pk, sk, seed);
  zg_memwipe(seed, sizeof seed);
  return err;
}

void zg_ed25519_sk_public(zg_ed25519_pk_t *pk, const zg_ed25519_sk_t *sk) {
  memcpy(pk->bytes, sk->bytes + 32, 32);
}

void zg_ed25519_sk_clear(zg_ed25519_sk_t *sk) { zg_memwipe(sk, sizeof *sk); }

zg_err_t zg_ed25519_pk_parse(zg_ed25519_pk_t *pk, const uint8_t *in, size_t len) {
  if (!pk || (!in && len)) return ZG_EINVAL;
  memset(pk, 0, sizeof *pk);
  if (len != 32) return ZG_EBADLEN;
  ZG_TRY(ensure_init());
  if (!crypto_core_ed25519_is_valid_point(in)) return ZG_EBADKEY;
  memcpy(pk->bytes, in, 32);
  return ZG_OK;
}

zg_err_t zg_ed25519_sign(uint8_t sig[64], const zg_ed25519_sk_t *sk, const uint8_t *msg, size_t msglen) {
  if (!sig || !sk || (!msg && msglen)) return ZG_EINVAL;
  ZG_TRY(ensure_init());
  if (crypto_sign_ed25519_detached(sig, NULL, msg, msglen, sk->bytes) != 0) {
    memset(sig, 0, 64);
    return ZG_ECRYPTO;
  }
  return ZG_OK;
}

zg_err_t zg_ed25519_verify(bool *ok, const uint8_t sig[64], const uint8_t *msg, size_t msglen,
                           const zg_ed25519_pk_t *pk) {
  if (ok) *ok = false;
  if (!ok || !sig || !pk || (!msg && msglen)) return ZG_EINVAL;
  ZG_TRY(ensure_init());
  *ok = crypto_sign_ed25519_verify_detached(sig, msg, msglen, pk->bytes) == 0;
  return ZG_OK;
}

zg_err_t zg_x25519_keypair(zg_x25519_pk_t *pk, zg_x25519_sk_t *sk) {
  if (!pk || !sk) return ZG_EINVAL;
  zg_err_t err = zg_random_bytes(sk->bytes, sizeof sk->bytes);
  if (err == ZG_OK) err = zg_x25519_public(pk, sk);
  if (err != ZG_OK) {
    zg_memwipe(sk, sizeof *sk);
    memset(pk, 0, sizeof *pk);
  }
  return err;
}

zg_err_t zg_x25519_public(zg_x25519_pk_t *pk, const zg_x25519_sk_t *sk) {
  if (!pk || !sk) return ZG_EINVAL;
  ZG_TRY(ensure_init());
  if (crypto_scalarmult_curve25519_base(pk->bytes, sk->bytes) != 0) {
    memset(pk, 0, sizeof *pk);
    return ZG_ECRYPTO;
  }
  return ZG_OK;
}

zg_err_t zg_x25519_shared(uint8_t out[32], const zg_x25519_sk_t *sk, const zg_x25519_pk_t *peer) {
  if (!out || !sk || !peer) return ZG_EINVAL;
  ZG_TRY(ensure_init());
  /* libsodium returns -1 exactly when the output is all zero (a small-order
   * peer point); check the bytes too, in constant time, rather than rely on it. */
  int rc = crypto_scalarmult_curve25519(out, sk->bytes, peer->bytes);
  static const uint8_t zero[32];
  if (rc != 0 || zg_ct_memeq(out, zero, 32)) {
    zg_memwipe(out, 32);
    return ZG_EBADKEY;
  }
  return ZG_OK;
}

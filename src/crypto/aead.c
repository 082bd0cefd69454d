/*
 * aead.c — ChaCha20-Poly1305 (IETF) over libsodium (zg/aead.h).
 *
 * Open uses libsodium's detached decryption, which verifies the Poly1305 tag
 * (in constant time) before it decrypts; on failure the output is zeroed
 * here as well, so no unauthenticated byte ever reaches the caller.
 */
#include "zg/aead.h"

#include <sodium.h>
#include <string.h>

#include "zg/bytes.h"

_Static_assert(crypto_aead_chacha20poly1305_ietf_KEYBYTES == ZG_AEAD_KEY_LEN, "key size");
_Static_assert(crypto_aead_chacha20poly1305_ietf_NPUBBYTES == ZG_AEAD_NONCE_LEN, "nonce size");
_Static_assert(crypto_aead_chacha20poly1305_ietf_ABYTES == ZG_AEAD_TAG_LEN, "tag size");

zg_err_t zg_aead_seal(uint8_t *out, size_t outlen, const uint8_t key[32], const uint8_t nonce[12],
                      const uint8_t *ad, size_t adlen, const uint8_t *msg, size_t msglen) {
  if (!out || !key || !nonce || (!ad && adlen) || (!msg && msglen)) return ZG_EINVAL;
  if (msglen > crypto_aead_chacha20poly1305_ietf_MESSAGEBYTES_MAX) return ZG_EOVERFLOW;
  if (outlen != msglen + ZG_AEAD_TAG_LEN) return ZG_EBADLEN;
  if (sodium_init() < 0) return ZG_ECRYPTO;
  /* The tag is written after the ciphertext; with out == msg the cipher runs in place. */
  if (crypto_aead_chacha20poly1305_ietf_encrypt_detached(out, out + msglen, NULL, msg, msglen, ad, adlen,
                                                         NULL, nonce, key) != 0) {
    zg_memwipe(out, outlen);
    return ZG_ECRYPTO;
  }
  return ZG_OK;
}

zg_err_t zg_aead_open(uint8_t *out, size_t outlen, const uint8_t key[32], const uint8_t nonce[12],
                      const uint8_t *ad, size_t adlen, const uint8_t *in, size_t inlen) {
  if ((!out && outlen) || !key || !nonce || (!ad && adlen) || !in) return ZG_EINVAL;
  if (inlen < ZG_AEAD_TAG_LEN) {
    if (out) zg_memwipe(out, outlen);
    return ZG_ETRUNC;
  }
  size_t mlen = inlen - ZG_AEAD_TAG_LEN;
  if (outlen != mlen) {
    if (out) zg_memwipe(out, outlen);
    return ZG_EBADLEN;
  }
  if (sodium_init() < 0) {
    if (out) zg_memwipe(out, outlen);
    return ZG_ECRYPTO;
  }
  /* A NULL out is only allowed for an empty message: libsodium then checks
   * the tag alone. Give it a dummy pointer so the call never sees NULL. */
  uint8_t dummy;
  uint8_t *m = out ? out : &dummy;
  if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(m, NULL, in, mlen, in + mlen, ad, adlen, nonce,
                                                         key) != 0) {
    if (out) zg_memwipe(out, outlen);
    return ZG_EAUTH;
  }
  return ZG_OK;
}

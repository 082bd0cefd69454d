/*
 * zg/bytes.h — byte slices, strict hex and base64, secure random, helpers.
 *
 * Slices are borrowed {ptr, len} views: the callee never frees them and must
 * not keep them past the call unless it documents so. Hex is 0x-prefixed and
 * strict (even length, [0-9a-fA-F] only); base64 is RFC 4648 standard alphabet
 * with mandatory, canonical padding (non-zero bits in the last symbol are
 * rejected). Random bytes come from libsodium (the kernel CSPRNG).
 */
#ifndef ZG_BYTES_H
#define ZG_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

typedef struct {
  const uint8_t *ptr;
  size_t len;
} zg_slice_t;

/* An owned, growable byte buffer; _init zeroes it, _clear frees it. */
typedef struct {
  uint8_t *ptr;
  size_t len;
  size_t cap;
} zg_buf_t;

static inline zg_slice_t zg_slice(const void *p, size_t n) {
  zg_slice_t s = {(const uint8_t *)p, n};
  return s;
}
static inline zg_slice_t zg_buf_slice(const zg_buf_t *b) { return zg_slice(b->ptr, b->len); }

void zg_buf_init(zg_buf_t *b);
/* Frees the storage (wiping it first) and re-initialises. */
void zg_buf_clear(zg_buf_t *b);
/* Ensures room for extra more bytes. ZG_ENOMEM or ZG_EOVERFLOW on failure. */
ZG_WARN_UNUSED zg_err_t zg_buf_reserve(zg_buf_t *b, size_t extra);
ZG_WARN_UNUSED zg_err_t zg_buf_append(zg_buf_t *b, const void *p, size_t n);
ZG_WARN_UNUSED zg_err_t zg_buf_push(zg_buf_t *b, uint8_t byte);

/* Constant-time equality of two n-byte regions; true when equal. */
bool zg_ct_memeq(const void *a, const void *b, size_t n);
/* Wipes memory in a way the compiler will not elide. */
void zg_memwipe(void *p, size_t n);

/* Hex. zg_hex_encode writes "0x" + 2n lowercase digits + NUL into out, which
 * must hold 2n+3 bytes. Returns the number of characters written (without NUL). */
size_t zg_hex_encode(char *out, const uint8_t *in, size_t n);
/* Decodes a 0x-prefixed hex string of length slen into exactly outlen bytes.
 * ZG_EHEX on a missing prefix, odd length or bad digit; ZG_EBADLEN when the
 * decoded size differs from outlen. */
ZG_WARN_UNUSED zg_err_t zg_hex_decode(uint8_t *out, size_t outlen, const char *s, size_t slen);
/* Decodes a 0x-prefixed hex string of any even length into buf (appends). */
ZG_WARN_UNUSED zg_err_t zg_hex_decode_buf(zg_buf_t *buf, const char *s, size_t slen);
/* Same as zg_hex_decode but the 0x prefix is optional (for vector files). */
ZG_WARN_UNUSED zg_err_t zg_hex_decode_loose(zg_buf_t *buf, const char *s, size_t slen);

/* Base64 (standard alphabet, padded). Output size for n input bytes. */
static inline size_t zg_base64_encoded_len(size_t n) { return 4 * ((n + 2) / 3); }
/* Writes the encoding plus NUL into out (zg_base64_encoded_len(n)+1 bytes);
 * returns the length without NUL. */
size_t zg_base64_encode(char *out, const uint8_t *in, size_t n);
/* Strict decoding, appended to buf. ZG_EBASE64 on any deviation. */
ZG_WARN_UNUSED zg_err_t zg_base64_decode(zg_buf_t *buf, const char *s, size_t slen);

/* Fills out with n cryptographically secure random bytes. */
ZG_WARN_UNUSED zg_err_t zg_random_bytes(void *out, size_t n);

/* Big-endian load/store. */
static inline uint64_t zg_load_be64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}
static inline void zg_store_be64(uint8_t *p, uint64_t v) {
  for (int i = 7; i >= 0; i--) { p[i] = (uint8_t)v; v >>= 8; }
}
static inline uint32_t zg_load_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void zg_store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static inline uint64_t zg_load_le64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}
static inline void zg_store_le64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) { p[i] = (uint8_t)v; v >>= 8; }
}

#endif

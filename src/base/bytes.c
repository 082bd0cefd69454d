/*
 * bytes.c — growable buffers, constant-time compare, wiping, strict hex and
 * base64, secure random (zg/bytes.h).
 */
#include "zg/bytes.h"

#include "base/base64_internal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void zg_buf_init(zg_buf_t *b) { b->ptr = NULL; b->len = 0; b->cap = 0; }

void zg_buf_clear(zg_buf_t *b) {
  if (b->ptr) {
    zg_memwipe(b->ptr, b->cap);
    free(b->ptr);
  }
  zg_buf_init(b);
}

zg_err_t zg_buf_reserve(zg_buf_t *b, size_t extra) {
  if (extra > SIZE_MAX - b->len) return ZG_EOVERFLOW;
  size_t need = b->len + extra;
  if (need <= b->cap) return ZG_OK;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) {
    if (cap > SIZE_MAX / 2) { cap = need; break; }
    cap *= 2;
  }
  uint8_t *p = realloc(b->ptr, cap);
  if (!p) return ZG_ENOMEM;
  b->ptr = p;
  b->cap = cap;
  return ZG_OK;
}

zg_err_t zg_buf_append(zg_buf_t *b, const void *p, size_t n) {
  if (n == 0) return ZG_OK;
  ZG_TRY(zg_buf_reserve(b, n));
  memcpy(b->ptr + b->len, p, n);
  b->len += n;
  return ZG_OK;
}

zg_err_t zg_buf_push(zg_buf_t *b, uint8_t byte) { return zg_buf_append(b, &byte, 1); }

bool zg_ct_memeq(const void *a, const void *b, size_t n) {
  const volatile uint8_t *x = a, *y = b;
  uint8_t d = 0;
  for (size_t i = 0; i < n; i++) d |= (uint8_t)(x[i] ^ y[i]);
  return d == 0;
}

void zg_memwipe(void *p, size_t n) { sodium_memzero(p, n); }

/* ---- hex ---- */

size_t zg_hex_encode(char *out, const uint8_t *in, size_t n) {
  static const char digits[] = "0123456789abcdef";
  out[0] = '0';
  out[1] = 'x';
  for (size_t i = 0; i < n; i++) {
    out[2 + 2 * i] = digits[in[i] >> 4];
    out[3 + 2 * i] = digits[in[i] & 15];
  }
  out[2 + 2 * n] = 0;
  return 2 + 2 * n;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static zg_err_t hex_digits(uint8_t *out, const char *s, size_t slen) {
  for (size_t i = 0; i < slen / 2; i++) {
    int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return ZG_EHEX;
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  return ZG_OK;
}

zg_err_t zg_hex_decode(uint8_t *out, size_t outlen, const char *s, size_t slen) {
  if (!s || (outlen && !out)) return ZG_EINVAL;
  if (slen < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return ZG_EHEX;
  s += 2;
  slen -= 2;
  if (slen % 2) return ZG_EHEX;
  if (slen / 2 != outlen) {
    /* Still report bad digits first: the string is malformed either way. */
    for (size_t i = 0; i < slen; i++)
      if (hexval(s[i]) < 0) return ZG_EHEX;
    return ZG_EBADLEN;
  }
  return hex_digits(out, s, slen);
}

static zg_err_t hex_to_buf(zg_buf_t *buf, const char *s, size_t slen) {
  if (slen % 2) return ZG_EHEX;
  if (slen == 0) return ZG_OK;
  ZG_TRY(zg_buf_reserve(buf, slen / 2));
  zg_err_t e = hex_digits(buf->ptr + buf->len, s, slen);
  if (e == ZG_OK) buf->len += slen / 2;
  return e;
}

zg_err_t zg_hex_decode_buf(zg_buf_t *buf, const char *s, size_t slen) {
  if (!s || slen < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return ZG_EHEX;
  return hex_to_buf(buf, s + 2, slen - 2);
}

zg_err_t zg_hex_decode_loose(zg_buf_t *buf, const char *s, size_t slen) {
  if (!s) return ZG_EHEX;
  if (slen >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s += 2;
    slen -= 2;
  }
  return hex_to_buf(buf, s, slen);
}

/* ---- base64 ---- */

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t zg_base64_encode(char *out, const uint8_t *in, size_t n) {
  size_t i = zg__base64_encode_bulk(out, in, n), o = i / 3 * 4; /* vector steps first */
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
    out[o++] = b64chars[v >> 18];
    out[o++] = b64chars[(v >> 12) & 63];
    out[o++] = b64chars[(v >> 6) & 63];
    out[o++] = b64chars[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = (uint32_t)in[i] << 16;
    out[o++] = b64chars[v >> 18];
    out[o++] = b64chars[(v >> 12) & 63];
    out[o++] = '=';
    out[o++] = '=';
  } else if (n - i == 2) {
    uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
    out[o++] = b64chars[v >> 18];
    out[o++] = b64chars[(v >> 12) & 63];
    out[o++] = b64chars[(v >> 6) & 63];
    out[o++] = '=';
  }
  out[o] = 0;
  return o;
}

/* Decoding table: the 6-bit value of each base64 symbol, 0x80 for '=', 0xff
 * for bytes outside the alphabet. One lookup per symbol, and one OR over a
 * quantum tells whether any symbol was special. */
static const uint8_t b64dec[256] = {
#define X 0xff
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, 62, X, X, X, 63, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, X, X, X, 0x80, X, X,
    X, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, X, X, X, X, X,
    X, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
#undef X
};

zg_err_t zg_base64_decode(zg_buf_t *buf, const char *s, size_t slen) {
  if (!s && slen) return ZG_EINVAL;
  if (slen % 4) return ZG_EBASE64;
  if (slen == 0) return ZG_OK;
  size_t start = buf->len;
  ZG_TRY(zg_buf_reserve(buf, slen / 4 * 3));
  const uint8_t *in = (const uint8_t *)s;
  uint8_t *out = buf->ptr + buf->len;
  /* Every quantum but the last: four alphabet symbols, no padding. */
  size_t full = slen - 4, i = 0;
  if (!zg__base64_decode_bulk(out, in, full, &i)) goto bad; /* vector steps first */
  out += i / 4 * 3;
  for (; i < full; i += 4) {
    uint8_t a = b64dec[in[i]], b = b64dec[in[i + 1]], c = b64dec[in[i + 2]], d = b64dec[in[i + 3]];
    if ((a | b | c | d) & 0x80) goto bad;
    uint32_t w = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | d;
    *out++ = (uint8_t)(w >> 16);
    *out++ = (uint8_t)(w >> 8);
    *out++ = (uint8_t)w;
  }
  /* The last quantum may end in "=" or "==" (only there, and "x=y=" is not
   * allowed); the bits that padding drops must be zero (canonical form). */
  {
    const uint8_t *q = in + full;
    uint8_t a = b64dec[q[0]], b = b64dec[q[1]], c = b64dec[q[2]], d = b64dec[q[3]];
    if ((a | b) & 0x80) goto bad;
    int pad = 0;
    if (d == 0x80) {
      pad = 1;
      d = 0;
      if (c == 0x80) {
        pad = 2;
        c = 0;
      }
    }
    if ((c | d) & 0x80) goto bad;
    uint32_t w = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | d;
    if (pad == 2 && (w & 0xffff)) goto bad;
    if (pad == 1 && (w & 0xff)) goto bad;
    *out++ = (uint8_t)(w >> 16);
    if (pad < 2) *out++ = (uint8_t)(w >> 8);
    if (pad < 1) *out++ = (uint8_t)w;
  }
  buf->len = (size_t)(out - buf->ptr);
  return ZG_OK;
bad:
  buf->len = start;
  return ZG_EBASE64;
}

/* ---- random ---- */

zg_err_t zg_random_bytes(void *out, size_t n) {
  static int inited;
  if (!inited) {
    if (sodium_init() < 0) return ZG_ERANDOM;
    inited = 1;
  }
  randombytes_buf(out, n);
  return ZG_OK;
}

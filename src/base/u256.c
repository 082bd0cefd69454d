/*
 * u256.c — 256-bit unsigned arithmetic on four little-endian 64-bit limbs
 * (zg/u256.h). Every operation that can wrap reports it; callers in the
 * chain treat a wrap as an invalid transaction, never as a value.
 */
#include "zg/u256.h"

#include <string.h>

typedef unsigned __int128 u128;

int zg_u256_cmp(const zg_u256_t *a, const zg_u256_t *b) {
  for (int i = 3; i >= 0; i--) {
    if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
  }
  return 0;
}

bool zg_u256_add(zg_u256_t *r, const zg_u256_t *a, const zg_u256_t *b) {
  uint64_t carry = 0;
  zg_u256_t t;
  for (int i = 0; i < 4; i++) {
    u128 s = (u128)a->w[i] + b->w[i] + carry;
    t.w[i] = (uint64_t)s;
    carry = (uint64_t)(s >> 64);
  }
  *r = t;
  return carry == 0;
}

bool zg_u256_sub(zg_u256_t *r, const zg_u256_t *a, const zg_u256_t *b) {
  uint64_t borrow = 0;
  zg_u256_t t;
  for (int i = 0; i < 4; i++) {
    u128 d = (u128)a->w[i] - b->w[i] - borrow;
    t.w[i] = (uint64_t)d;
    borrow = (uint64_t)(d >> 64) & 1;
  }
  *r = t;
  return borrow == 0;
}

bool zg_u256_mul_u64(zg_u256_t *r, const zg_u256_t *a, uint64_t m) {
  uint64_t carry = 0;
  zg_u256_t t;
  for (int i = 0; i < 4; i++) {
    u128 p = (u128)a->w[i] * m + carry;
    t.w[i] = (uint64_t)p;
    carry = (uint64_t)(p >> 64);
  }
  *r = t;
  return carry == 0;
}

bool zg_u256_mul(zg_u256_t *r, const zg_u256_t *a, const zg_u256_t *b) {
  uint64_t t[8] = {0};
  for (int i = 0; i < 4; i++) {
    uint64_t carry = 0;
    for (int j = 0; j < 4; j++) {
      u128 p = (u128)a->w[i] * b->w[j] + t[i + j] + carry;
      t[i + j] = (uint64_t)p;
      carry = (uint64_t)(p >> 64);
    }
    t[i + 4] = carry;
  }
  memcpy(r->w, t, sizeof r->w);
  return (t[4] | t[5] | t[6] | t[7]) == 0;
}

void zg_u256_divmod_u64(zg_u256_t *q, uint64_t *rem, const zg_u256_t *a, uint64_t d) {
  u128 rest = 0;
  zg_u256_t t;
  for (int i = 3; i >= 0; i--) {
    u128 cur = (rest << 64) | a->w[i];
    t.w[i] = (uint64_t)(cur / d);
    rest = cur % d;
  }
  *q = t;
  if (rem) *rem = (uint64_t)rest;
}

void zg_u256_to_be32(uint8_t out[32], const zg_u256_t *a) {
  for (int i = 0; i < 4; i++) {
    uint64_t w = a->w[3 - i];
    for (int k = 0; k < 8; k++) out[i * 8 + k] = (uint8_t)(w >> (56 - 8 * k));
  }
}

void zg_u256_from_be32(zg_u256_t *r, const uint8_t in[32]) {
  for (int i = 0; i < 4; i++) {
    uint64_t w = 0;
    for (int k = 0; k < 8; k++) w = (w << 8) | in[i * 8 + k];
    r->w[3 - i] = w;
  }
}

zg_err_t zg_u256_from_be(zg_u256_t *r, const uint8_t *in, size_t len) {
  while (len > 0 && in[0] == 0) {
    in++;
    len--;
  }
  if (len > 32) return ZG_ERANGE;
  uint8_t buf[32] = {0};
  if (len) memcpy(buf + 32 - len, in, len);
  zg_u256_from_be32(r, buf);
  return ZG_OK;
}

void zg_u256_to_be_min(uint8_t out[32], size_t *len, const zg_u256_t *a) {
  uint8_t buf[32];
  zg_u256_to_be32(buf, a);
  size_t skip = 0;
  while (skip < 32 && buf[skip] == 0) skip++;
  *len = 32 - skip;
  memcpy(out, buf + skip, *len);
}

void zg_u256_to_dec(char out[ZG_U256_DEC_MAX], const zg_u256_t *a) {
  char rev[ZG_U256_DEC_MAX];
  size_t n = 0;
  zg_u256_t v = *a;
  do {
    uint64_t digit;
    zg_u256_divmod_u64(&v, &digit, &v, 10);
    rev[n++] = (char)('0' + digit);
  } while (!zg_u256_is_zero(&v));
  for (size_t i = 0; i < n; i++) out[i] = rev[n - 1 - i];
  out[n] = '\0';
}

void zg_u256_to_quantity(char out[ZG_U256_HEX_MAX], const zg_u256_t *a) {
  static const char digits[] = "0123456789abcdef";
  size_t n = 0;
  out[n++] = '0';
  out[n++] = 'x';
  bool started = false;
  for (int i = 3; i >= 0; i--) {
    for (int s = 60; s >= 0; s -= 4) {
      unsigned d = (unsigned)(a->w[i] >> s) & 15;
      if (!started && d == 0) continue;
      started = true;
      out[n++] = digits[d];
    }
  }
  if (!started) out[n++] = '0';
  out[n] = '\0';
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

zg_err_t zg_u256_parse(zg_u256_t *r, const char *s, size_t len) {
  zg_u256_t v = zg_u256_from_u64(0);
  *r = v;
  if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s += 2;
    len -= 2;
    if (len == 0) return ZG_EINVAL;
    size_t i = 0;
    while (i < len && s[i] == '0') i++;
    if (len - i > 64) return ZG_ERANGE;
    for (; i < len; i++) {
      int d = hex_digit(s[i]);
      if (d < 0) return ZG_EINVAL;
      (void)zg_u256_mul_u64(&v, &v, 16); /* cannot wrap: at most 64 digits */
      v.w[0] |= (uint64_t)d;
    }
    *r = v;
    return ZG_OK;
  }
  if (len == 0) return ZG_EINVAL;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return ZG_EINVAL;
    zg_u256_t digit = zg_u256_from_u64((uint64_t)(s[i] - '0'));
    if (!zg_u256_mul_u64(&v, &v, 10) || !zg_u256_add(&v, &v, &digit)) return ZG_ERANGE;
  }
  *r = v;
  return ZG_OK;
}

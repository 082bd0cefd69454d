/*
 * zg/u256.h — unsigned 256-bit integers: account balances (wei), ABI uint256
 * values, stake amounts. Four 64-bit limbs, least significant first. Plain
 * values, no allocation; arithmetic reports overflow instead of wrapping
 * silently (the chain must never mint or lose value by wrap-around).
 */
#ifndef ZG_U256_H
#define ZG_U256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

typedef struct {
  uint64_t w[4]; /* w[0] least significant */
} zg_u256_t;

#define ZG_U256_DEC_MAX 79 /* 78 decimal digits + NUL */
#define ZG_U256_HEX_MAX 67 /* "0x" + 64 digits + NUL */

static inline zg_u256_t zg_u256_from_u64(uint64_t v) {
  zg_u256_t r = {{v, 0, 0, 0}};
  return r;
}
static inline bool zg_u256_is_zero(const zg_u256_t *a) { return (a->w[0] | a->w[1] | a->w[2] | a->w[3]) == 0; }
/* True when a fits 64 bits. */
static inline bool zg_u256_fits_u64(const zg_u256_t *a) { return (a->w[1] | a->w[2] | a->w[3]) == 0; }

/* -1, 0 or 1 as a <, ==, > b. */
int zg_u256_cmp(const zg_u256_t *a, const zg_u256_t *b);
/* r = a + b; false (r wrapped) on overflow. r may alias a or b. */
bool zg_u256_add(zg_u256_t *r, const zg_u256_t *a, const zg_u256_t *b);
/* r = a - b; false (r wrapped) when b > a. r may alias a or b. */
bool zg_u256_sub(zg_u256_t *r, const zg_u256_t *a, const zg_u256_t *b);
/* r = a * m; false on overflow. r may alias a. */
bool zg_u256_mul_u64(zg_u256_t *r, const zg_u256_t *a, uint64_t m);
/* r = a * b; false on overflow. r may alias a or b. */
bool zg_u256_mul(zg_u256_t *r, const zg_u256_t *a, const zg_u256_t *b);
/* q = a / d, *rem = a mod d (rem may be NULL); d != 0. */
void zg_u256_divmod_u64(zg_u256_t *q, uint64_t *rem, const zg_u256_t *a, uint64_t d);

/* 32-byte big-endian (ABI word, RLP after left padding). */
void zg_u256_to_be32(uint8_t out[32], const zg_u256_t *a);
void zg_u256_from_be32(zg_u256_t *r, const uint8_t in[32]);
/* Big-endian bytes without leading zeros, at most 32 (RLP integers). ZG_ERANGE
 * when len > 32 after leading zeros are skipped. */
ZG_WARN_UNUSED zg_err_t zg_u256_from_be(zg_u256_t *r, const uint8_t *in, size_t len);
/* The minimal big-endian form: out[0..*len) with no leading zero byte
 * (*len = 0 for zero), as RLP encodes integers. */
void zg_u256_to_be_min(uint8_t out[32], size_t *len, const zg_u256_t *a);

/* Decimal text ("0", no leading zeros). */
void zg_u256_to_dec(char out[ZG_U256_DEC_MAX], const zg_u256_t *a);
/* Ethereum JSON-RPC quantity: "0x0", or "0x" + hex digits without leading zeros. */
void zg_u256_to_quantity(char out[ZG_U256_HEX_MAX], const zg_u256_t *a);
/* Parses decimal digits, or "0x" + 1..64 hex digits (leading zeros allowed).
 * ZG_EINVAL on an empty string or a bad digit, ZG_ERANGE when >= 2^256. */
ZG_WARN_UNUSED zg_err_t zg_u256_parse(zg_u256_t *r, const char *s, size_t len);

#endif

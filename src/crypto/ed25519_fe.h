/*
 * ed25519_fe.h — internal: arithmetic in GF(2^255 - 19) and affine
 * edwards25519 point encoding, for the pieces libsodium does not expose
 * (RFC 9380 hash_to_field and the Elligator 2 map, strict RFC 8032 point
 * decoding).
 *
 * An element is five 51-bit limbs, little-endian. Inputs to every function
 * may have limbs up to 2^54 ("loose"); outputs of mul/sq/carry have limbs
 * below 2^52 ("tight"), and add/sub/neg outputs are loose. Only
 * zg__fe_tobytes produces the canonical value in [0, p). Everything here is
 * constant-time unless its name ends in _var.
 */
#ifndef ZG_CRYPTO_ED25519_FE_H
#define ZG_CRYPTO_ED25519_FE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

typedef struct {
  uint64_t v[5];
} zg__fe_t;

/* Constants: 0, 1, d = -121665/121666, sqrt(-1) (the root 2^((p-1)/4)). */
extern const zg__fe_t zg__fe_zero, zg__fe_one, zg__fe_d, zg__fe_sqrtm1;

/* Loads 32 little-endian bytes; bit 255 is ignored (RFC 8032 y decoding). */
void zg__fe_frombytes(zg__fe_t *h, const uint8_t s[32]);
/* Writes the canonical 32-byte little-endian encoding (value in [0, p)). */
void zg__fe_tobytes(uint8_t s[32], const zg__fe_t *h);
/* Reduces a 48-byte big-endian integer (OS2IP, as RFC 9380 hash_to_field
 * reads its L = 48 bytes) modulo p. */
void zg__fe_from_be48(zg__fe_t *h, const uint8_t b[48]);
/* True when the 32 little-endian bytes (all 256 bits) encode a value < p. */
bool zg__fe_bytes_canonical_var(const uint8_t s[32]);

void zg__fe_set_u64(zg__fe_t *h, uint64_t x);
void zg__fe_add(zg__fe_t *h, const zg__fe_t *f, const zg__fe_t *g);
void zg__fe_sub(zg__fe_t *h, const zg__fe_t *f, const zg__fe_t *g);
void zg__fe_neg(zg__fe_t *h, const zg__fe_t *f);
void zg__fe_mul(zg__fe_t *h, const zg__fe_t *f, const zg__fe_t *g);
void zg__fe_sq(zg__fe_t *h, const zg__fe_t *f);
/* h = f^(2^255 - 21) = 1/f (0 for f = 0). */
void zg__fe_invert(zg__fe_t *h, const zg__fe_t *f);
/* h = f^((p - 5) / 8) = f^(2^252 - 3). */
void zg__fe_pow22523(zg__fe_t *h, const zg__fe_t *f);
/* f = g when flag is 1, unchanged when 0 (flag must be 0 or 1). */
void zg__fe_cmov(zg__fe_t *f, const zg__fe_t *g, unsigned flag);
/* 1 when f = 0 (mod p), else 0. */
unsigned zg__fe_iszero(const zg__fe_t *f);
/* 1 when f = g (mod p), else 0. */
unsigned zg__fe_eq(const zg__fe_t *f, const zg__fe_t *g);
/* sgn0 of RFC 9380 for m = 1: the parity of the canonical value. */
unsigned zg__fe_sgn0(const zg__fe_t *f);

/*
 * Affine edwards25519 points (-x^2 + y^2 = 1 + d x^2 y^2), public values.
 * zg__ed25519_encode writes the RFC 8032 encoding (y, with the sign of x in
 * bit 255). zg__ed25519_decode_var is RFC 8032 section 5.1.3, strict: it
 * returns 0 on success, 1 when y >= p or when x = 0 with the sign bit set
 * (non-canonical), 2 when no x exists (not on the curve).
 */
void zg__ed25519_encode(uint8_t s[32], const zg__fe_t *x, const zg__fe_t *y);
/* (x, y) = 8 * (x, y): three doublings in projective coordinates (complete
 * on edwards25519, small-order points included) and one inversion. */
void zg__ed25519_mul8(zg__fe_t *x, zg__fe_t *y);
int zg__ed25519_decode_var(zg__fe_t *x, zg__fe_t *y, const uint8_t s[32]);

/*
 * The Elligator 2 map of RFC 9380 (Appendix G.2.1 for curve25519, then the
 * rational map of G.2.2 to edwards25519), constant-time: the affine point
 * (x, y) = map_to_curve_elligator2_edwards25519(u), not cofactor-cleared.
 * When gx1 / gx1_square are non-NULL they receive g(x1) = x1^3 + A x1^2 + x1
 * in affine form and whether it is a square (the RFC 9381 intermediate values).
 */
void zg__ed25519_map_ell2(zg__fe_t *x, zg__fe_t *y, const zg__fe_t *u, zg__fe_t *gx1, bool *gx1_square);
/* (x, y) = 8 * map_to_curve_elligator2_edwards25519(u): the NU encoding,
 * with the cofactor cleared before the single inversion. */
void zg__ed25519_map_ell2_mul8(zg__fe_t *x, zg__fe_t *y, const zg__fe_t *u);

/* ---- in ed25519_h2c.c ---- */

/* The identity's encoding (y = 1). */
extern const uint8_t zg__ed25519_identity[32];

/* out = 8 * p for any strictly valid encoding p (zg__ed25519_mul8).
 * ZG_ECRYPTO if p does not decode (callers pass only decoded points). */
ZG_WARN_UNUSED zg_err_t zg__ed25519_mul_cofactor(uint8_t out[32], const uint8_t p[32]);

/* encode_to_curve of edwards25519_XMD:SHA-512_ELL2_NU_ over the message
 * m1 || m2 (ECVRF hashes PK || alpha without copying them together). When u
 * is non-NULL it receives u0 (little-endian); when uniform is non-NULL it
 * receives the 48 expand_message_xmd bytes. */
ZG_WARN_UNUSED zg_err_t zg__ed25519_encode_to_curve2(uint8_t p[32], uint8_t u[32], uint8_t uniform[48],
                                                     const uint8_t *m1, size_t l1, const uint8_t *m2,
                                                     size_t l2, const uint8_t *dst, size_t dstlen);

#endif

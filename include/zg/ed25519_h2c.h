/*
 * zg/ed25519_h2c.h — hashing to edwards25519 per RFC 9380, suites
 * edwards25519_XMD:SHA-512_ELL2_NU_ (encode_to_curve) and
 * edwards25519_XMD:SHA-512_ELL2_RO_ (hash_to_curve).
 *
 * Points are 32-byte RFC 8032 encodings (y little-endian, sign of x in bit
 * 255); field elements are 32-byte little-endian canonical integers below
 * p = 2^255 - 19. The outputs of encode/hash_to_curve are cofactor-cleared
 * (multiplied by h_eff = 8), so they lie in the prime-order subgroup (or are
 * the identity, with negligible probability). All functions are constant-time
 * in msg. Nothing allocates.
 */
#ifndef ZG_ED25519_H2C_H
#define ZG_ED25519_H2C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

/* hash_to_field (RFC 9380 section 5.2) for GF(2^255 - 19), L = 48,
 * expand_message_xmd with SHA-512: writes count (1 or 2) elements u[i].
 * dst may be longer than 255 bytes (it is then hashed, as the RFC says).
 * ZG_EINVAL on a NULL pointer with a non-zero length or a bad count. */
ZG_WARN_UNUSED zg_err_t zg_ed25519_hash_to_field(uint8_t (*u)[32], size_t count, const uint8_t *msg,
                                                 size_t msglen, const uint8_t *dst, size_t dstlen);

/* map_to_curve_elligator2_edwards25519 (RFC 9380 Appendix G.2): the point Q
 * for the field element u, before cofactor clearing (it may have a small-order
 * component). ZG_EFIELD when u is not below p. */
ZG_WARN_UNUSED zg_err_t zg_ed25519_map_to_curve_ell2(uint8_t q[32], const uint8_t u[32]);

/* encode_to_curve of edwards25519_XMD:SHA-512_ELL2_NU_: P = 8 * map(u0). */
ZG_WARN_UNUSED zg_err_t zg_ed25519_encode_to_curve(uint8_t p[32], const uint8_t *msg, size_t msglen,
                                                   const uint8_t *dst, size_t dstlen);

/* hash_to_curve of edwards25519_XMD:SHA-512_ELL2_RO_: P = 8 * (map(u0) + map(u1)). */
ZG_WARN_UNUSED zg_err_t zg_ed25519_hash_to_curve(uint8_t p[32], const uint8_t *msg, size_t msglen,
                                                 const uint8_t *dst, size_t dstlen);

/* Decodes a point encoding (strict RFC 8032: y < p, on the curve, no
 * "negative zero" x) into affine coordinates, each 32-byte little-endian.
 * ZG_ENONCANON for a non-canonical encoding, ZG_ENOTONCURVE when no point has
 * this y. Either output may be NULL. Variable-time (public points). */
ZG_WARN_UNUSED zg_err_t zg_ed25519_point_to_affine(uint8_t x[32], uint8_t y[32], const uint8_t p[32]);

/* Encodes the affine point (x, y), both 32-byte little-endian below p.
 * ZG_EFIELD for a coordinate >= p, ZG_ENOTONCURVE when (x, y) is not on
 * edwards25519. */
ZG_WARN_UNUSED zg_err_t zg_ed25519_point_from_affine(uint8_t p[32], const uint8_t x[32], const uint8_t y[32]);

#endif

/*
 * zg/bls_h2c.h — RFC 9380 hashing to the BLS12-381 groups G1 and G2, suites
 * BLS12381G1_XMD:SHA-256_SSWU_{RO,NU}_ and BLS12381G2_XMD:SHA-256_SSWU_{RO,NU}_.
 *
 *   hash_to_curve (RO):   u0, u1 = hash_to_field(msg, 2)
 *                         P = clear_cofactor(map(u0) + map(u1))
 *   encode_to_curve (NU): u = hash_to_field(msg, 1); P = clear_cofactor(map(u))
 *
 * where map is the simplified SWU map to the 11-isogenous curve E1' (G1) or
 * the 3-isogenous curve E2' (G2) followed by the isogeny to E. The outputs
 * are in the prime-order subgroups. The steps are exposed one by one so the
 * RFC test vectors (u, Q0, Q1, P) can be checked.
 *
 * Messages and DSTs are borrowed for the call only. A DST longer than 255
 * bytes is hashed as the RFC says. hash_to_field and the maps are constant
 * time in their inputs (cmov, never a branch on a field element; checked by
 * tests/crypto/ctime_bls.c). Cofactor clearing, and so hash/encode_to_curve,
 * use variable-time group arithmetic: meant for public messages, as in BLS.
 */
#ifndef ZG_BLS_H2C_H
#define ZG_BLS_H2C_H

#include <stddef.h>
#include <stdint.h>

#include "zg/bls12_381.h"
#include "zg/err.h"

/* The most field elements one hash_to_field call produces. */
#define ZG_BLS_H2F_MAX 4

/* hash_to_field for Fp (m = 1, L = 64, expand_message_xmd with SHA-256):
 * writes count (1..ZG_BLS_H2F_MAX) elements to u.
 * ZG_EINVAL on a bad count or a NULL pointer with a non-zero length. */
ZG_WARN_UNUSED zg_err_t zg_bls_hash_to_field_fp(zg_fp_t *u, size_t count, const uint8_t *msg, size_t msglen,
                                                const uint8_t *dst, size_t dstlen);
/* hash_to_field for Fp2 (m = 2, L = 64): count (1..ZG_BLS_H2F_MAX) elements. */
ZG_WARN_UNUSED zg_err_t zg_bls_hash_to_field_fp2(zg_fp2_t *u, size_t count, const uint8_t *msg, size_t msglen,
                                                 const uint8_t *dst, size_t dstlen);

/* map_to_curve: simplified SWU onto E1' then the 11-isogeny to E1. The
 * result is on E1 but not yet in G1 (the RFC's Q0/Q1). */
void zg_bls_map_to_g1(zg_g1_t *r, const zg_fp_t *u);
/* map_to_curve: simplified SWU onto E2' then the 3-isogeny to E2. */
void zg_bls_map_to_g2(zg_g2_t *r, const zg_fp2_t *u);

/* clear_cofactor for E1: multiplication by h_eff = 0xd201000000010001. */
void zg_bls_clear_cofactor_g1(zg_g1_t *r, const zg_g1_t *p);
/* clear_cofactor for E2: the psi-based method of RFC 9380 appendix G.3,
 * equal to multiplication by the suite's h_eff. */
void zg_bls_clear_cofactor_g2(zg_g2_t *r, const zg_g2_t *p);

/* hash_to_curve (random oracle) into G1 / G2. ZG_EINVAL on NULL pointers
 * with non-zero lengths. */
ZG_WARN_UNUSED zg_err_t zg_bls_hash_to_g1(zg_g1_t *r, const uint8_t *msg, size_t msglen, const uint8_t *dst,
                                          size_t dstlen);
ZG_WARN_UNUSED zg_err_t zg_bls_hash_to_g2(zg_g2_t *r, const uint8_t *msg, size_t msglen, const uint8_t *dst,
                                          size_t dstlen);
/* encode_to_curve (nonuniform) into G1 / G2. */
ZG_WARN_UNUSED zg_err_t zg_bls_encode_to_g1(zg_g1_t *r, const uint8_t *msg, size_t msglen, const uint8_t *dst,
                                            size_t dstlen);
ZG_WARN_UNUSED zg_err_t zg_bls_encode_to_g2(zg_g2_t *r, const uint8_t *msg, size_t msglen, const uint8_t *dst,
                                            size_t dstlen);

#endif

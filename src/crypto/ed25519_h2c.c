/*
 * ed25519_h2c.c — RFC 9380 hashing to edwards25519: hash_to_field over
 * GF(2^255 - 19) (L = 48, expand_message_xmd with SHA-512), the Elligator 2
 * map of ed25519_fe.c, and cofactor clearing (h_eff = 8) by three doublings
 * (ed25519_fe.c; libsodium's byte-level API would decompress six times). The
 * RO suite's Q0 + Q1 is libsodium's complete addition.
 *
 * Invariants: every point handed to libsodium is an encoding we produced from
 * an on-curve affine point, or one that passed strict decoding; the message
 * only flows through SHA-512 and constant-time field code.
 */
#include "zg/ed25519_h2c.h"

#include <sodium.h>
#include <string.h>

#include "crypto/ed25519_fe.h"
#include "zg/bytes.h"
#include "zg/hash.h"

const uint8_t zg__ed25519_identity[32] = {1};

zg_err_t zg__ed25519_mul_cofactor(uint8_t out[32], const uint8_t p[32]) {
  zg__fe_t x, y;
  if (zg__ed25519_decode_var(&x, &y, p) != 0) return ZG_ECRYPTO;
  zg__ed25519_mul8(&x, &y);
  zg__ed25519_encode(out, &x, &y);
  return ZG_OK;
}

/*
 * expand_message_xmd (RFC 9380 section 5.3.1) with SHA-512 over the message
 * m1 || m2, streamed so ECVRF need not copy PK || alpha into one buffer.
 * zg_expand_message_xmd is the general one-buffer function; the h2c vector
 * files check that both agree with the RFC. outlen is 48 or 96 here.
 */
static zg_err_t xmd_sha512_2(uint8_t *out, size_t outlen, const uint8_t *m1, size_t l1, const uint8_t *m2,
                             size_t l2, const uint8_t *dst, size_t dstlen) {
  static const uint8_t zpad[128];
  static const char oversize[] = "H2C-OVERSIZE-DST-";
  uint8_t dst_hashed[64], b0[64], bi[64], in[64];
  zg_sha512_ctx_t c;
  if (outlen == 0 || outlen > 255 * 64) return ZG_EINVAL;
  if (dstlen > 255) {
    zg_sha512_init(&c);
    zg_sha512_update(&c, oversize, sizeof oversize - 1);
    zg_sha512_update(&c, dst, dstlen);
    zg_sha512_final(&c, dst_hashed);
    dst = dst_hashed;
    dstlen = 64;
  }
  uint8_t dlen = (uint8_t)dstlen;
  uint8_t lib[3] = {(uint8_t)(outlen >> 8), (uint8_t)outlen, 0};
  zg_sha512_init(&c);
  zg_sha512_update(&c, zpad, sizeof zpad);
  if (l1) zg_sha512_update(&c, m1, l1);
  if (l2) zg_sha512_update(&c, m2, l2);
  zg_sha512_update(&c, lib, 3);
  zg_sha512_update(&c, dst, dstlen);
  zg_sha512_update(&c, &dlen, 1);
  zg_sha512_final(&c, b0);
  size_t ell = (outlen + 63) / 64;
  for (size_t i = 1; i <= ell; i++) {
    for (size_t j = 0; j < 64; j++) in[j] = (uint8_t)(i == 1 ? b0[j] : (b0[j] ^ bi[j]));
    uint8_t idx = (uint8_t)i;
    zg_sha512_init(&c);
    zg_sha512_update(&c, in, 64);
    zg_sha512_update(&c, &idx, 1);
    zg_sha512_update(&c, dst, dstlen);
    zg_sha512_update(&c, &dlen, 1);
    zg_sha512_final(&c, bi);
    size_t off = (i - 1) * 64, n = outlen - off < 64 ? outlen - off : 64;
    memcpy(out + off, bi, n);
  }
  zg_memwipe(b0, sizeof b0);
  zg_memwipe(bi, sizeof bi);
  zg_memwipe(in, sizeof in);
  return ZG_OK;
}

static bool args_ok(const uint8_t *msg, size_t msglen, const uint8_t *dst, size_t dstlen) {
  return (msg || !msglen) && (dst || !dstlen);
}

/* Maps u to the encoding of the (not cofactor-cleared) Elligator 2 point. */
static void map_to_encoding(uint8_t q[32], const zg__fe_t *u) {
  zg__fe_t x, y;
  zg__ed25519_map_ell2(&x, &y, u, NULL, NULL);
  zg__ed25519_encode(q, &x, &y);
}

zg_err_t zg_ed25519_hash_to_field(uint8_t (*u)[32], size_t count, const uint8_t *msg, size_t msglen,
                                  const uint8_t *dst, size_t dstlen) {
  uint8_t ub[96];
  if (!u || count < 1 || count > 2 || !args_ok(msg, msglen, dst, dstlen)) return ZG_EINVAL;
  ZG_TRY(xmd_sha512_2(ub, 48 * count, msg, msglen, NULL, 0, dst, dstlen));
  for (size_t i = 0; i < count; i++) {
    zg__fe_t e;
    zg__fe_from_be48(&e, ub + 48 * i);
    zg__fe_tobytes(u[i], &e);
  }
  zg_memwipe(ub, sizeof ub);
  return ZG_OK;
}

zg_err_t zg_ed25519_map_to_curve_ell2(uint8_t q[32], const uint8_t u[32]) {
  if (!q || !u) return ZG_EINVAL;
  if (!zg__fe_bytes_canonical_var(u)) return ZG_EFIELD;
  zg__fe_t e;
  zg__fe_frombytes(&e, u);
  map_to_encoding(q, &e);
  return ZG_OK;
}

zg_err_t zg__ed25519_encode_to_curve2(uint8_t p[32], uint8_t u[32], uint8_t uniform[48], const uint8_t *m1,
                                      size_t l1, const uint8_t *m2, size_t l2, const uint8_t *dst,
                                      size_t dstlen) {
  uint8_t ub[48];
  zg__fe_t e;
  ZG_TRY(xmd_sha512_2(ub, sizeof ub, m1, l1, m2, l2, dst, dstlen));
  zg__fe_from_be48(&e, ub);
  if (u) zg__fe_tobytes(u, &e);
  if (uniform) memcpy(uniform, ub, sizeof ub);
  zg_memwipe(ub, sizeof ub);
  zg__fe_t x, y;
  zg__ed25519_map_ell2_mul8(&x, &y, &e);
  zg__ed25519_encode(p, &x, &y);
  return ZG_OK;
}

zg_err_t zg_ed25519_encode_to_curve(uint8_t p[32], const uint8_t *msg, size_t msglen, const uint8_t *dst,
                                    size_t dstlen) {
  if (!p || !args_ok(msg, msglen, dst, dstlen)) return ZG_EINVAL;
  return zg__ed25519_encode_to_curve2(p, NULL, NULL, msg, msglen, NULL, 0, dst, dstlen);
}

zg_err_t zg_ed25519_hash_to_curve(uint8_t p[32], const uint8_t *msg, size_t msglen, const uint8_t *dst,
                                  size_t dstlen) {
  uint8_t ub[96], q0[32], q1[32], r[32];
  zg__fe_t e0, e1;
  if (!p || !args_ok(msg, msglen, dst, dstlen)) return ZG_EINVAL;
  ZG_TRY(xmd_sha512_2(ub, sizeof ub, msg, msglen, NULL, 0, dst, dstlen));
  zg__fe_from_be48(&e0, ub);
  zg__fe_from_be48(&e1, ub + 48);
  zg_memwipe(ub, sizeof ub);
  map_to_encoding(q0, &e0);
  map_to_encoding(q1, &e1);
  if (crypto_core_ed25519_add(r, q0, q1) != 0) return ZG_ECRYPTO;
  return zg__ed25519_mul_cofactor(p, r);
}

zg_err_t zg_ed25519_point_to_affine(uint8_t x[32], uint8_t y[32], const uint8_t p[32]) {
  zg__fe_t fx, fy;
  if (!p) return ZG_EINVAL;
  int rc = zg__ed25519_decode_var(&fx, &fy, p);
  if (rc == 1) return ZG_ENONCANON;
  if (rc != 0) return ZG_ENOTONCURVE;
  if (x) zg__fe_tobytes(x, &fx);
  if (y) zg__fe_tobytes(y, &fy);
  return ZG_OK;
}

zg_err_t zg_ed25519_point_from_affine(uint8_t p[32], const uint8_t x[32], const uint8_t y[32]) {
  zg__fe_t fx, fy, x2, y2, lhs, rhs;
  if (!p || !x || !y) return ZG_EINVAL;
  if (!zg__fe_bytes_canonical_var(x) || !zg__fe_bytes_canonical_var(y)) return ZG_EFIELD;
  zg__fe_frombytes(&fx, x);
  zg__fe_frombytes(&fy, y);
  /* -x^2 + y^2 = 1 + d x^2 y^2 */
  zg__fe_sq(&x2, &fx);
  zg__fe_sq(&y2, &fy);
  zg__fe_sub(&lhs, &y2, &x2);
  zg__fe_mul(&rhs, &x2, &y2);
  zg__fe_mul(&rhs, &rhs, &zg__fe_d);
  zg__fe_add(&rhs, &rhs, &zg__fe_one);
  if (!zg__fe_eq(&lhs, &rhs)) return ZG_ENOTONCURVE;
  zg__ed25519_encode(p, &fx, &fy);
  return ZG_OK;
}

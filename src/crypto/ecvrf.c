/*
 * ecvrf.c — ECVRF-EDWARDS25519-SHA512-{TAI,ELL2} of RFC 9381.
 *
 * Group operations are libsodium's (point add/sub, constant-time scalar
 * multiplication, scalar arithmetic mod L); point decoding is our strict
 * RFC 8032 decoder (ed25519_fe.c), and hashing to the curve is ed25519_h2c.c.
 *
 * libsodium multiplies only points of the prime-order subgroup. Honest keys,
 * H and Gamma are such points, but the RFC's verifier must also compute
 * c*Y and c*Gamma exactly for a public key or Gamma with a small-order
 * component (validate_key rejects only pure small-order keys). smul_any_var
 * splits such a point P into P_L + T (P_L = 8^-1 * 8P in the subgroup, T of
 * order dividing 8) and returns c*P_L + (c mod 8)*T, so the verdict is the
 * RFC's for every input.
 *
 * Secrets (x, the nonce key, k) only meet constant-time libsodium calls and
 * SHA-512; every buffer that held them is wiped before returning.
 */
#include "zg/ecvrf.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "crypto/ed25519_fe.h"
#include "zg/bytes.h"
#include "zg/ed25519_h2c.h"
#include "zg/hash.h"

/* The group order L and 8^-1 mod L, little-endian. */
static const uint8_t L_BYTES[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                    0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                    0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};
static const uint8_t INV8[32] = {0x79, 0x2f, 0xdc, 0xe2, 0x29, 0xe5, 0x06, 0x61, 0xd0, 0xda, 0x1c,
                                 0x7d, 0xb3, 0x9d, 0xd3, 0x07, 0,    0,    0,    0,    0,    0,
                                 0,    0,    0,    0,    0,    0,    0,    0,    0,    0x06};
static const char ELL2_DST[] = "ECVRF_edwards25519_XMD:SHA-512_ELL2_NU_\x04";

static bool suite_ok(zg_ecvrf_suite_t s) {
  return s == ZG_ECVRF_EDWARDS25519_SHA512_TAI || s == ZG_ECVRF_EDWARDS25519_SHA512_ELL2;
}

static bool is_identity(const uint8_t p[32]) { return memcmp(p, zg__ed25519_identity, 32) == 0; }

/* out = identity when fail is non-zero, else out is kept; no branch. */
static void cmov_identity(uint8_t out[32], int fail) {
  uint8_t m = (uint8_t)(0 - (unsigned)(fail != 0));
  for (int i = 0; i < 32; i++) out[i] = (uint8_t)(out[i] ^ (m & (out[i] ^ zg__ed25519_identity[i])));
}

/* n * B for n < L. Constant-time in n: libsodium refuses only n = 0 (whose
 * product is the identity), and that refusal is folded in without a branch
 * here (libsodium itself tests the result after its constant-time ladder). */
static void mul_base(uint8_t out[32], const uint8_t n[32]) {
  int rc = crypto_scalarmult_ed25519_base_noclamp(out, n);
  cmov_identity(out, rc);
}

/* n * P for n < L and P (public) in the prime-order subgroup or the
 * identity. Constant-time in n, as mul_base: for such P libsodium refuses
 * only n = 0. */
static void mul_main(uint8_t out[32], const uint8_t n[32], const uint8_t p[32]) {
  if (is_identity(p)) {
    memcpy(out, zg__ed25519_identity, 32);
    return;
  }
  int rc = crypto_scalarmult_ed25519_noclamp(out, n, p);
  cmov_identity(out, rc);
}

/* n * P for any strictly decoded curve point P and n < L (public).
 * libsodium refuses exactly the points outside the prime-order subgroup (for
 * n != 0 and P != identity it cannot return the identity), so its refusal
 * sends us to the decomposition. */
static zg_err_t smul_any_var(uint8_t out[32], const uint8_t n[32], const uint8_t p[32]) {
  if (is_identity(p) || sodium_is_zero(n, 32)) {
    memcpy(out, zg__ed25519_identity, 32);
    return ZG_OK;
  }
  if (crypto_scalarmult_ed25519_noclamp(out, n, p) == 0) return ZG_OK;
  uint8_t e[32], pl[32], t[32], acc[32];
  ZG_TRY(zg__ed25519_mul_cofactor(e, p));
  if (is_identity(e)) {
    memcpy(pl, zg__ed25519_identity, 32); /* P has small order: P = T */
    memcpy(t, p, 32);
  } else {
    mul_main(pl, INV8, e);
    if (crypto_core_ed25519_sub(t, p, pl) != 0) return ZG_ECRYPTO;
  }
  mul_main(acc, n, pl);
  for (unsigned i = 0; i < (unsigned)(n[0] & 7); i++) {
    if (crypto_core_ed25519_add(acc, acc, t) != 0) return ZG_ECRYPTO;
  }
  memcpy(out, acc, 32);
  return ZG_OK;
}

/* Strict RFC 8032 string_to_point, mapped to the error codes of ecvrf.h. */
static zg_err_t decode_point(const uint8_t s[32]) {
  zg__fe_t x, y;
  int rc = zg__ed25519_decode_var(&x, &y, s);
  return rc == 0 ? ZG_OK : rc == 1 ? ZG_ENONCANON : ZG_ENOTONCURVE;
}

/* s < L for a 32-byte little-endian s (public). */
static bool scalar_canonical_var(const uint8_t s[32]) {
  for (int i = 31; i >= 0; i--) {
    if (s[i] != L_BYTES[i]) return s[i] < L_BYTES[i];
  }
  return false;
}

static zg_err_t encode_tai(uint8_t h[32], int *ctr_out, const uint8_t pk[32], const uint8_t *alpha,
                           size_t alpha_len) {
  for (int ctr = 0; ctr < 256; ctr++) {
    uint8_t head[2] = {ZG_ECVRF_EDWARDS25519_SHA512_TAI, 0x01}, tail[2] = {(uint8_t)ctr, 0x00}, hs[64];
    zg_sha512_ctx_t c;
    zg_sha512_init(&c);
    zg_sha512_update(&c, head, 2);
    zg_sha512_update(&c, pk, 32);
    if (alpha_len) zg_sha512_update(&c, alpha, alpha_len);
    zg_sha512_update(&c, tail, 2);
    zg_sha512_final(&c, hs);
    if (decode_point(hs) != ZG_OK) continue;
    ZG_TRY(zg__ed25519_mul_cofactor(h, hs));
    if (!is_identity(h)) {
      if (ctr_out) *ctr_out = ctr;
      return ZG_OK;
    }
  }
  return ZG_ECRYPTO;
}

static zg_err_t encode_to_curve(uint8_t h[32], int *ctr, zg_ecvrf_suite_t suite, const uint8_t pk[32],
                                const uint8_t *alpha, size_t alpha_len) {
  if (ctr) *ctr = -1;
  if (suite == ZG_ECVRF_EDWARDS25519_SHA512_TAI) return encode_tai(h, ctr, pk, alpha, alpha_len);
  return zg__ed25519_encode_to_curve2(h, NULL, NULL, pk, 32, alpha, alpha_len, (const uint8_t *)ELL2_DST,
                                      sizeof ELL2_DST - 1);
}

zg_err_t zg_ecvrf_encode_to_curve(uint8_t h[32], zg_ecvrf_suite_t suite, const uint8_t pk[32],
                                  const uint8_t *alpha, size_t alpha_len) {
  if (!h || !pk || (!alpha && alpha_len) || !suite_ok(suite)) return ZG_EINVAL;
  return encode_to_curve(h, NULL, suite, pk, alpha, alpha_len);
}

/* c = SHA-512(suite || 0x02 || Y || H || Gamma || U || V || 0x00)[0..15]. */
static void challenge(uint8_t c[16], zg_ecvrf_suite_t suite, const uint8_t y[32], const uint8_t h[32],
                      const uint8_t gamma[32], const uint8_t u[32], const uint8_t v[32]) {
  uint8_t head[2] = {(uint8_t)suite, 0x02}, tail = 0, out[64];
  zg_sha512_ctx_t ctx;
  zg_sha512_init(&ctx);
  zg_sha512_update(&ctx, head, 2);
  zg_sha512_update(&ctx, y, 32);
  zg_sha512_update(&ctx, h, 32);
  zg_sha512_update(&ctx, gamma, 32);
  zg_sha512_update(&ctx, u, 32);
  zg_sha512_update(&ctx, v, 32);
  zg_sha512_update(&ctx, &tail, 1);
  zg_sha512_final(&ctx, out);
  memcpy(c, out, 16);
}

zg_err_t zg_ecvrf_keypair_from_seed(zg_ecvrf_keypair_t *kp, const uint8_t sk[32]) {
  if (!kp || !sk) return ZG_EINVAL;
  uint8_t h[64], wide[64];
  memcpy(kp->sk, sk, 32);
  zg_sha512(h, sk, 32);
  h[0] &= 248;
  h[31] &= 127;
  h[31] |= 64;
  memset(wide, 0, sizeof wide);
  memcpy(wide, h, 32);
  crypto_core_ed25519_scalar_reduce(kp->x, wide);
  memcpy(kp->nonce_key, h + 32, 32);
  mul_base(kp->pk, kp->x);
  zg_memwipe(h, sizeof h);
  zg_memwipe(wide, sizeof wide);
  return ZG_OK;
}

void zg_ecvrf_keypair_clear(zg_ecvrf_keypair_t *kp) {
  if (kp) zg_memwipe(kp, sizeof *kp);
}

zg_err_t zg_ecvrf_prove_trace(uint8_t pi[80], zg_ecvrf_trace_t *tr, zg_ecvrf_suite_t suite,
                              const zg_ecvrf_keypair_t *kp, const uint8_t *alpha, size_t alpha_len) {
  if (!pi) return ZG_EINVAL;
  memset(pi, 0, 80);
  if (!kp || (!alpha && alpha_len) || !suite_ok(suite)) return ZG_EINVAL;
  uint8_t h[32], gamma[32], kstr[64], k[32], u[32], v[32], c[32], cx[32], s[32];
  zg_sha512_ctx_t ctx;
  int ctr;
  zg_err_t err = encode_to_curve(h, &ctr, suite, kp->pk, alpha, alpha_len);
  if (err != ZG_OK) goto out;
  mul_main(gamma, kp->x, h);
  /* Nonce (RFC 9381 5.4.2.2): k = SHA-512(SHA-512(SK)[32..63] || H) mod L. */
  zg_sha512_init(&ctx);
  zg_sha512_update(&ctx, kp->nonce_key, 32);
  zg_sha512_update(&ctx, h, 32);
  zg_sha512_final(&ctx, kstr);
  crypto_core_ed25519_scalar_reduce(k, kstr);
  mul_base(u, k);
  mul_main(v, k, h);
  memset(c, 0, sizeof c);
  challenge(c, suite, kp->pk, h, gamma, u, v);
  crypto_core_ed25519_scalar_mul(cx, c, kp->x);
  crypto_core_ed25519_scalar_add(s, k, cx);
  memcpy(pi, gamma, 32);
  memcpy(pi + 32, c, 16);
  memcpy(pi + 48, s, 32);
#ifdef ZG_VERIFY
  {
    /* A proof we made must verify (catches a fault in any layer below). */
    bool self_ok = false;
    if (zg_ecvrf_verify(&self_ok, NULL, suite, kp->pk, 32, pi, 80, alpha, alpha_len) != ZG_OK || !self_ok) {
      fprintf(stderr, "zg_ecvrf_prove: produced a proof that does not verify\n");
      __builtin_trap();
    }
  }
#endif
  if (tr) {
    memcpy(tr->h, h, 32);
    memcpy(tr->k, k, 32);
    memcpy(tr->u, u, 32);
    memcpy(tr->v, v, 32);
    memcpy(tr->gamma, gamma, 32);
    tr->tai_ctr = ctr;
  }
out:
  if (err != ZG_OK) memset(pi, 0, 80);
  zg_memwipe(&ctx, sizeof ctx);
  zg_memwipe(kstr, sizeof kstr);
  zg_memwipe(k, sizeof k);
  zg_memwipe(cx, sizeof cx);
  zg_memwipe(s, sizeof s);
  zg_memwipe(v, sizeof v);
  return err;
}

zg_err_t zg_ecvrf_prove(uint8_t pi[80], zg_ecvrf_suite_t suite, const zg_ecvrf_keypair_t *kp,
                        const uint8_t *alpha, size_t alpha_len) {
  return zg_ecvrf_prove_trace(pi, NULL, suite, kp, alpha, alpha_len);
}

zg_err_t zg_ecvrf_validate_pk(const uint8_t *pk, size_t pk_len) {
  uint8_t e[32];
  if (!pk) return ZG_EINVAL;
  if (pk_len != ZG_ECVRF_PK_LEN) return ZG_EBADLEN;
  ZG_TRY(decode_point(pk));
  ZG_TRY(zg__ed25519_mul_cofactor(e, pk));
  return is_identity(e) ? ZG_EBADKEY : ZG_OK;
}

/* ECVRF_decode_proof: Gamma must decode strictly, s must be below L. */
static zg_err_t decode_proof(const uint8_t *pi, size_t pi_len) {
  if (pi_len != ZG_ECVRF_PROOF_LEN) return ZG_EBADLEN;
  ZG_TRY(decode_point(pi));
  return scalar_canonical_var(pi + 48) ? ZG_OK : ZG_ESCALAR;
}

static void beta_of_gamma8(uint8_t beta[64], zg_ecvrf_suite_t suite, const uint8_t gamma8[32]) {
  uint8_t head[2] = {(uint8_t)suite, 0x03}, tail = 0;
  zg_sha512_ctx_t ctx;
  zg_sha512_init(&ctx);
  zg_sha512_update(&ctx, head, 2);
  zg_sha512_update(&ctx, gamma8, 32);
  zg_sha512_update(&ctx, &tail, 1);
  zg_sha512_final(&ctx, beta);
}

zg_err_t zg_ecvrf_proof_to_hash(uint8_t beta[64], zg_ecvrf_suite_t suite, const uint8_t *pi, size_t pi_len) {
  uint8_t g8[32];
  if (!beta) return ZG_EINVAL;
  memset(beta, 0, 64);
  if (!pi || !suite_ok(suite)) return ZG_EINVAL;
  ZG_TRY(decode_proof(pi, pi_len));
  ZG_TRY(zg__ed25519_mul_cofactor(g8, pi));
  beta_of_gamma8(beta, suite, g8);
  return ZG_OK;
}

zg_err_t zg_ecvrf_verify(bool *valid, uint8_t beta[64], zg_ecvrf_suite_t suite, const uint8_t *pk,
                         size_t pk_len, const uint8_t *pi, size_t pi_len, const uint8_t *alpha,
                         size_t alpha_len) {
  uint8_t h[32], sb[32], cy[32], sh[32], cg[32], u[32], v[32], c32[32], c2[16];
  if (!valid) return ZG_EINVAL;
  *valid = false;
  if (beta) memset(beta, 0, 64);
  if (!pk || !pi || (!alpha && alpha_len) || !suite_ok(suite)) return ZG_EINVAL;
  ZG_TRY(zg_ecvrf_validate_pk(pk, pk_len));
  ZG_TRY(decode_proof(pi, pi_len));
  const uint8_t *gamma = pi, *s = pi + 48;
  memset(c32, 0, sizeof c32);
  memcpy(c32, pi + 32, 16);
  ZG_TRY(encode_to_curve(h, NULL, suite, pk, alpha, alpha_len));
  /* U = s*B - c*Y, V = s*H - c*Gamma. */
  mul_base(sb, s);
  ZG_TRY(smul_any_var(cy, c32, pk));
  if (crypto_core_ed25519_sub(u, sb, cy) != 0) return ZG_ECRYPTO;
  mul_main(sh, s, h);
  ZG_TRY(smul_any_var(cg, c32, gamma));
  if (crypto_core_ed25519_sub(v, sh, cg) != 0) return ZG_ECRYPTO;
  challenge(c2, suite, pk, h, gamma, u, v);
  if (!zg_ct_memeq(c2, pi + 32, 16)) return ZG_OK;
  if (beta) {
    uint8_t g8[32];
    ZG_TRY(zg__ed25519_mul_cofactor(g8, gamma));
    beta_of_gamma8(beta, suite, g8);
  }
  *valid = true;
  return ZG_OK;
}

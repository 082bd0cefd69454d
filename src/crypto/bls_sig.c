/*
 * bls_sig.c — BLS signatures, ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_
 * (draft-irtf-cfrg-bls-signature, minimal-pubkey-size, proof of possession);
 * the API is zg/bls.h.
 *
 * Every check is a product of pairings compared with 1:
 *   Verify:             e(pk, H(m)) * e(-G1, sig) == 1
 *   AggregateVerify:    prod e(pk_i, H(m_i)) * e(-G1, sig) == 1
 *   batch verification: prod e(c_i pk_i, H(m_i)) * e(-G1, sum c_i sig_i) == 1
 * so each costs one multi-pairing (one final exponentiation).
 *
 * Invariants: values of zg_bls_pk_t / zg_bls_sig_t were checked when parsed
 * (or computed from a valid key), so no unchecked point reaches a pairing.
 * Secret keys only meet constant-time code (zg_fr_* parsing, zg_g1_mul,
 * zg_g2_mul, SHA-256). The few values that are derived from a secret but are
 * public by nature (a public key, a signature, "is this key zero") are
 * declassified before anything branches on them, the way libsecp256k1 does,
 * so the valgrind constant-time test (tests/crypto/ctime_bls.c) sees no
 * secret-dependent branch. Intermediate secrets are wiped.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/bls_field.h"
#include "zg/bls.h"
#include "zg/bls_h2c.h"
#include "zg/bytes.h"
#include "zg/hash.h"

/* Declassification: marks memory as defined for valgrind's memcheck (a no-op
 * outside valgrind, and when the header is missing). */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define ZG__DECLASSIFY(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#endif
#endif
#ifndef ZG__DECLASSIFY
#define ZG__DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

#define DST_SIG ((const uint8_t *)ZG_BLS_DST_SIG)
#define DST_SIG_LEN (sizeof ZG_BLS_DST_SIG - 1)
#define DST_POP ((const uint8_t *)ZG_BLS_DST_POP)
#define DST_POP_LEN (sizeof ZG_BLS_DST_POP - 1)

/* ---------------- KeyGen (HKDF-SHA256 with multi-part inputs) ---------------- */

typedef struct {
  const uint8_t *p;
  size_t n;
} part_t;

/* HMAC-SHA256(key, parts[0] || ... || parts[nparts-1]) for a key of at most
 * 64 bytes (here: a 32-byte salt or PRK), without concatenating the parts. */
static void hmac_parts(uint8_t out[32], const uint8_t *key, size_t keylen, const part_t *parts, size_t nparts) {
  uint8_t pad[64], inner[32];
  zg_sha256_ctx_t c;
  memset(pad, 0x36, sizeof pad);
  for (size_t i = 0; i < keylen; i++) pad[i] ^= key[i];
  zg_sha256_init(&c);
  zg_sha256_update(&c, pad, sizeof pad);
  for (size_t i = 0; i < nparts; i++) zg_sha256_update(&c, parts[i].p, parts[i].n);
  zg_sha256_final(&c, inner);
  for (size_t i = 0; i < sizeof pad; i++) pad[i] ^= 0x36 ^ 0x5c;
  zg_sha256_init(&c);
  zg_sha256_update(&c, pad, sizeof pad);
  zg_sha256_update(&c, inner, sizeof inner);
  zg_sha256_final(&c, out);
  zg_memwipe(pad, sizeof pad);
  zg_memwipe(inner, sizeof inner);
}

zg_err_t zg_bls_keygen(zg_bls_sk_t *sk, const uint8_t *ikm, size_t ikmlen, const uint8_t *key_info, size_t infolen) {
  static const char salt0[] = "BLS-SIG-KEYGEN-SALT-";
  static const uint8_t zero = 0, l_be[2] = {0, 48}; /* I2OSP(0, 1), I2OSP(L = 48, 2) */
  uint8_t salt[32], prk[32], okm[64];
  if (!sk) return ZG_EINVAL;
  zg_fr_set_zero(&sk->k);
  if (!ikm || ikmlen < 32 || (!key_info && infolen)) return ZG_EINVAL;
  zg_sha256(salt, salt0, sizeof salt0 - 1);
  for (;;) {
    /* PRK = HKDF-Extract(salt, IKM || I2OSP(0, 1)) */
    part_t ext[2] = {{ikm, ikmlen}, {&zero, 1}};
    hmac_parts(prk, salt, sizeof salt, ext, 2);
    /* OKM = HKDF-Expand(PRK, key_info || I2OSP(L, 2), L): T(1) || T(2), first 48 bytes. */
    uint8_t ctr = 1;
    part_t t1[3] = {{key_info, infolen}, {l_be, 2}, {&ctr, 1}};
    hmac_parts(okm, prk, sizeof prk, t1, 3);
    ctr = 2;
    part_t t2[4] = {{okm, 32}, {key_info, infolen}, {l_be, 2}, {&ctr, 1}};
    hmac_parts(okm + 32, prk, sizeof prk, t2, 4);
    zg_fr_from_be_reduce(&sk->k, okm, 48);
    bool is_zero = zg_fr_is_zero(&sk->k);
    ZG__DECLASSIFY(&is_zero, sizeof is_zero); /* only "zero or not" leaves the secret */
    if (!is_zero) break;
    zg_sha256(salt, salt, sizeof salt);
  }
  zg_memwipe(prk, sizeof prk);
  zg_memwipe(okm, sizeof okm);
  return ZG_OK;
}

/* The group order r, big-endian. */
static const uint8_t R_BE[32] = {0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8,
                                 0x08, 0x09, 0xa1, 0xd8, 0x05, 0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe,
                                 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01};

zg_err_t zg_bls_sk_parse(zg_bls_sk_t *sk, const uint8_t in[32]) {
  if (!sk) return ZG_EINVAL;
  zg_fr_set_zero(&sk->k);
  if (!in) return ZG_EINVAL;
  /* in < r, computed as the borrow of in - r without branching on in
   * (zg_fr_from_be32 may branch on its input; the key is secret). */
  uint32_t borrow = 0;
  for (int i = 31; i >= 0; i--) borrow = ((uint32_t)in[i] - R_BE[i] - borrow) >> 31;
  bool canonical = borrow != 0;
  ZG__DECLASSIFY(&canonical, sizeof canonical); /* only "valid or not" leaves the secret */
  if (!canonical) return ZG_ESCALAR;
  zg_fr_from_be_reduce(&sk->k, in, 32); /* no reduction happens: in < r */
  bool is_zero = zg_fr_is_zero(&sk->k);
  ZG__DECLASSIFY(&is_zero, sizeof is_zero);
  return is_zero ? ZG_EBADKEY : ZG_OK;
}

void zg_bls_sk_serialize(uint8_t out[32], const zg_bls_sk_t *sk) { zg_fr_to_be32(out, &sk->k); }

void zg_bls_sk_clear(zg_bls_sk_t *sk) { zg_memwipe(sk, sizeof *sk); }

void zg_bls_sk_to_pk(zg_bls_pk_t *pk, const zg_bls_sk_t *sk) {
  zg_g1_t g;
  zg_g1_generator(&g);
  zg_g1_mul(&pk->p, &g, &sk->k);
  ZG__DECLASSIFY(&pk->p, sizeof pk->p); /* a public key is public */
#ifdef ZG_VERIFY
  if (zg_g1_is_infinity(&pk->p) || !zg_g1_in_subgroup(&pk->p)) {
    fprintf(stderr, "zg_bls_sk_to_pk: key outside G1 or the identity\n");
    __builtin_trap();
  }
#endif
}

/* ---------------- encodings ---------------- */

zg_err_t zg_bls_pk_parse(zg_bls_pk_t *pk, const uint8_t *in, size_t len) {
  if (!pk) return ZG_EINVAL;
  zg_g1_set_infinity(&pk->p);
  if (!in && len) return ZG_EINVAL;
  if (len != ZG_BLS_PK_LEN) return ZG_EBADLEN;
  zg_g1_t p;
  ZG_TRY(zg_g1_deserialize(&p, in, len)); /* encoding, curve and subgroup */
  if (zg_g1_is_infinity(&p)) return ZG_EINFINITY;
  pk->p = p;
  return ZG_OK;
}

void zg_bls_pk_serialize(uint8_t out[48], const zg_bls_pk_t *pk) { zg_g1_serialize(out, &pk->p); }

bool zg_bls_key_validate(const uint8_t *in, size_t len) {
  zg_bls_pk_t pk;
  return zg_bls_pk_parse(&pk, in, len) == ZG_OK;
}

zg_err_t zg_bls_sig_parse(zg_bls_sig_t *sig, const uint8_t *in, size_t len) {
  if (!sig) return ZG_EINVAL;
  zg_g2_set_infinity(&sig->p);
  if (!in && len) return ZG_EINVAL;
  if (len != ZG_BLS_SIG_LEN) return ZG_EBADLEN;
  zg_g2_t p;
  ZG_TRY(zg_g2_deserialize(&p, in, len));
  sig->p = p;
  return ZG_OK;
}

void zg_bls_sig_serialize(uint8_t out[96], const zg_bls_sig_t *sig) { zg_g2_serialize(out, &sig->p); }

/* ---------------- signing ---------------- */

/* r = sk * hash_to_G2(msg, dst); the result is public and declassified. */
static zg_err_t sign_with_dst(zg_bls_sig_t *sig, const zg_bls_sk_t *sk, const uint8_t *msg, size_t msglen,
                              const uint8_t *dst, size_t dstlen) {
  zg_g2_t q;
  ZG_TRY(zg_bls_hash_to_g2(&q, msg, msglen, dst, dstlen));
  zg_g2_mul(&sig->p, &q, &sk->k);
  ZG__DECLASSIFY(&sig->p, sizeof sig->p);
#ifdef ZG_VERIFY
  /* Hash and signature must be in G2 (catches a fault in any layer below). */
  if (!zg_g2_in_subgroup(&q) || !zg_g2_in_subgroup(&sig->p)) {
    fprintf(stderr, "zg_bls_sign: point outside G2\n");
    __builtin_trap();
  }
#endif
  return ZG_OK;
}

zg_err_t zg_bls_sign(zg_bls_sig_t *sig, const zg_bls_sk_t *sk, const uint8_t *msg, size_t msglen) {
  if (!sig) return ZG_EINVAL;
  zg_g2_set_infinity(&sig->p);
  if (!sk || (!msg && msglen)) return ZG_EINVAL;
  return sign_with_dst(sig, sk, msg, msglen, DST_SIG, DST_SIG_LEN);
}

zg_err_t zg_bls_pop_prove(zg_bls_sig_t *proof, const zg_bls_sk_t *sk) {
  zg_bls_pk_t pk;
  uint8_t pkb[ZG_BLS_PK_LEN];
  if (!proof) return ZG_EINVAL;
  zg_g2_set_infinity(&proof->p);
  if (!sk) return ZG_EINVAL;
  zg_bls_sk_to_pk(&pk, sk);
  zg_bls_pk_serialize(pkb, &pk);
  return sign_with_dst(proof, sk, pkb, sizeof pkb, DST_POP, DST_POP_LEN);
}

zg_err_t zg_bls_aggregate(zg_bls_sig_t *out, const zg_bls_sig_t *sigs, size_t n) {
  if (!out) return ZG_EINVAL;
  zg_g2_set_infinity(&out->p);
  if (n == 0) return ZG_EEMPTY;
  if (!sigs) return ZG_EINVAL;
  zg_g2_t acc = sigs[0].p;
  for (size_t i = 1; i < n; i++) zg_g2_add(&acc, &acc, &sigs[i].p);
  out->p = acc;
  return ZG_OK;
}

/* ---------------- verification ---------------- */

/* Stack scratch for two-pair checks; when the pairing wants more than this,
 * two single pairings and a GT comparison are used instead. */
#define PAIR2_SCRATCH 4096

/* e(p1, q1) * e(p2, q2) == 1 */
static bool pairing_check2(const zg_g1_t *p1, const zg_g2_t *q1, const zg_g1_t *p2, const zg_g2_t *q2) {
  zg_g1_t ps[2] = {*p1, *p2};
  zg_g2_t qs[2] = {*q1, *q2};
  uint64_t scratch[PAIR2_SCRATCH / 8];
  if (zg_multi_pairing_scratch_size(2) <= sizeof scratch) return zg_pairing_check(ps, qs, 2, scratch);
  zg_gt_t a, b;
  zg_g1_neg(&ps[1], &ps[1]); /* e(p1, q1) == e(-p2, q2) */
  zg_pairing(&a, &ps[0], &qs[0]);
  zg_pairing(&b, &ps[1], &qs[1]);
  return zg_gt_eq(&a, &b);
}

static void neg_generator(zg_g1_t *r) {
  zg_g1_generator(r);
  zg_g1_neg(r, r);
}

/* *ok = e(pk, H(msg, dst)) == e(G1, sig) */
static zg_err_t core_verify(bool *ok, const zg_g1_t *pk, const uint8_t *msg, size_t msglen, const uint8_t *dst,
                            size_t dstlen, const zg_g2_t *sig) {
  zg_g2_t h;
  zg_g1_t ng;
  ZG_TRY(zg_bls_hash_to_g2(&h, msg, msglen, dst, dstlen));
  neg_generator(&ng);
  *ok = pairing_check2(pk, &h, &ng, sig);
  return ZG_OK;
}

zg_err_t zg_bls_verify(bool *ok, const zg_bls_pk_t *pk, const uint8_t *msg, size_t msglen, const zg_bls_sig_t *sig) {
  if (!ok) return ZG_EINVAL;
  *ok = false;
  if (!pk || !sig || (!msg && msglen)) return ZG_EINVAL;
  return core_verify(ok, &pk->p, msg, msglen, DST_SIG, DST_SIG_LEN, &sig->p);
}

zg_err_t zg_bls_pop_verify(bool *ok, const zg_bls_pk_t *pk, const zg_bls_sig_t *proof) {
  uint8_t pkb[ZG_BLS_PK_LEN];
  if (!ok) return ZG_EINVAL;
  *ok = false;
  if (!pk || !proof) return ZG_EINVAL;
  zg_bls_pk_serialize(pkb, pk);
  return core_verify(ok, &pk->p, pkb, sizeof pkb, DST_POP, DST_POP_LEN, &proof->p);
}

zg_err_t zg_bls_fast_aggregate_verify(bool *ok, const zg_bls_pk_t *pks, size_t n, const uint8_t *msg, size_t msglen,
                                      const zg_bls_sig_t *sig) {
  if (!ok) return ZG_EINVAL;
  *ok = false;
  if (n == 0) return ZG_EEMPTY;
  if (!pks || !sig || (!msg && msglen)) return ZG_EINVAL;
  zg_g1_t agg = pks[0].p;
  for (size_t i = 1; i < n; i++) zg_g1_add(&agg, &agg, &pks[i].p);
  /* CoreVerify runs KeyValidate on the aggregate key: the identity fails. */
  if (zg_g1_is_infinity(&agg)) return ZG_OK;
  return core_verify(ok, &agg, msg, msglen, DST_SIG, DST_SIG_LEN, &sig->p);
}

/* Scratch layout for n + 1 pairs: G1 points, G2 points, pairing scratch. */
size_t zg_bls_aggregate_verify_scratch_size(size_t n) {
  size_t pair = sizeof(zg_g1_t) + sizeof(zg_g2_t);
  if (n >= (SIZE_MAX / 2) / pair - 1) return SIZE_MAX;
  size_t pairs = (n + 1) * pair, mp = zg_multi_pairing_scratch_size(n + 1);
  if (mp > SIZE_MAX - pairs) return SIZE_MAX;
  return pairs + mp;
}

/* Batch scratch: the n + 1 pairs, the n coefficients, a copy of the n
 * signature points, then one region used first by the G2 MSM (sum c_i sig_i)
 * and then by the multi-pairing. */
size_t zg_bls_batch_verify_scratch_size(size_t n) {
  size_t base = zg_bls_aggregate_verify_scratch_size(n);
  if (base == SIZE_MAX || n >= SIZE_MAX / 4 / (sizeof(zg_fr_t) + sizeof(zg_g2_t))) return SIZE_MAX;
  size_t msm = zg_g2_msm_scratch_size(n), mp = zg_multi_pairing_scratch_size(n + 1);
  size_t extra = n * (sizeof(zg_fr_t) + sizeof(zg_g2_t)) + (msm > mp ? msm - mp : 0);
  return extra > SIZE_MAX - base ? SIZE_MAX : base + extra;
}

zg_err_t zg_bls_aggregate_verify(bool *ok, const zg_bls_pk_t *pks, const zg_slice_t *msgs, size_t n,
                                 const zg_bls_sig_t *sig, void *scratch) {
  if (!ok) return ZG_EINVAL;
  *ok = false;
  if (n == 0) return ZG_EEMPTY;
  if (!pks || !msgs || !sig || !scratch) return ZG_EINVAL;
  zg_g1_t *ps = (zg_g1_t *)scratch;
  zg_g2_t *qs = (zg_g2_t *)(ps + n + 1);
  void *mp = qs + n + 1;
  for (size_t i = 0; i < n; i++) {
    if (!msgs[i].ptr && msgs[i].len) return ZG_EINVAL;
    ps[i] = pks[i].p;
    ZG_TRY(zg_bls_hash_to_g2(&qs[i], msgs[i].ptr, msgs[i].len, DST_SIG, DST_SIG_LEN));
  }
  neg_generator(&ps[n]);
  qs[n] = sig->p;
  *ok = zg_pairing_check(ps, qs, n + 1, mp);
  return ZG_OK;
}

zg_err_t zg_bls_batch_verify(bool *ok, const zg_bls_pk_t *pks, const zg_slice_t *msgs, const zg_bls_sig_t *sigs,
                             size_t n, void *scratch) {
  if (!ok) return ZG_EINVAL;
  *ok = false;
  if (n == 0) return ZG_EEMPTY;
  if (!pks || !msgs || !sigs || !scratch) return ZG_EINVAL;
  zg_g1_t *ps = (zg_g1_t *)scratch;
  zg_g2_t *qs = (zg_g2_t *)(ps + n + 1);
  zg_g2_t *sp = qs + n + 1;
  zg_fr_t *cs = (zg_fr_t *)(sp + n);
  void *work = cs + n; /* the MSM's scratch, then the pairing's */
  for (size_t i = 0; i < n; i++) {
    uint64_t c;
    if (!msgs[i].ptr && msgs[i].len) return ZG_EINVAL;
    if (zg_random_bytes(&c, sizeof c) != ZG_OK) return ZG_ERANDOM;
    if (c == 0) c = 1; /* a zero coefficient would drop the triple */
    zg_fr_from_u64(&cs[i], c);
    sp[i] = sigs[i].p;
    zg__g1_mul_u64_var(&ps[i], &pks[i].p, c);
    ZG_TRY(zg_bls_hash_to_g2(&qs[i], msgs[i].ptr, msgs[i].len, DST_SIG, DST_SIG_LEN));
  }
  zg_g2_msm_var(&qs[n], sp, cs, n, work);
  neg_generator(&ps[n]);
  *ok = zg_pairing_check(ps, qs, n + 1, work);
  return ZG_OK;
}

/*
 * zg/bls.h — BLS signatures over BLS12-381, draft-irtf-cfrg-bls-signature,
 * ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ (the one Ethereum
 * uses): minimal-pubkey-size variant, public keys in G1 (48-byte compressed),
 * signatures in G2 (96-byte compressed), proof-of-possession scheme.
 *
 * Values are fixed-size types that only _parse, _keygen and the signing
 * functions fill, so a value of these types is always valid:
 *   zg_bls_sk_t   1 <= sk < r (secret; wipe it with zg_bls_sk_clear),
 *   zg_bls_pk_t   a point of G1 that is not the identity (KeyValidate holds),
 *   zg_bls_sig_t  a point of G2 (the identity is a valid encoding).
 * Verification results are verdicts in a bool output (*ok); an error code
 * means malformed input or arguments, and then *ok is false. Secret-key
 * operations (KeyGen, SkToPk, Sign, PopProve) are constant time in the key.
 *
 * Proof-of-possession rules: every public key given to a verification
 * function must have passed zg_bls_pop_verify once (callers may cache that).
 * Under this scheme AggregateVerify is the draft's CoreAggregateVerify: the
 * messages need not be distinct (the basic scheme's distinct-message rule is
 * what PoP replaces), and FastAggregateVerify is sound only with PoP.
 *
 * Nothing here allocates. The functions that take a variable number of
 * pairs take caller scratch of the size given by their _scratch_size
 * function, aligned for uint64_t (malloc'd memory is).
 */
#ifndef ZG_BLS_H
#define ZG_BLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bls12_381.h"
#include "zg/bytes.h"
#include "zg/err.h"

#define ZG_BLS_SK_LEN 32
#define ZG_BLS_PK_LEN 48
#define ZG_BLS_SIG_LEN 96
/* Domain separation tags of the ciphersuite (hash_to_point and
 * hash_pubkey_to_point). */
#define ZG_BLS_DST_SIG "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"
#define ZG_BLS_DST_POP "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"

typedef struct { zg_fr_t k; } zg_bls_sk_t;
typedef struct { zg_g1_t p; } zg_bls_pk_t;
typedef struct { zg_g2_t p; } zg_bls_sig_t;

/* ---- keys ---- */

/* KeyGen of the draft (versions 4 and later with the default salt
 * H("BLS-SIG-KEYGEN-SALT-"); the same as EIP-2333's HKDF_mod_r): HKDF-SHA256
 * over ikm || 0x00 with info key_info || I2OSP(48, 2), reduced mod r, the salt
 * re-hashed until the key is non-zero. ikm (borrowed, secret) must be at least
 * 32 bytes: ZG_EINVAL otherwise. key_info may be empty (NULL, 0). */
ZG_WARN_UNUSED zg_err_t zg_bls_keygen(zg_bls_sk_t *sk, const uint8_t *ikm, size_t ikmlen, const uint8_t *key_info,
                                      size_t infolen);
/* Parses a 32-byte big-endian secret key. ZG_ESCALAR when >= r, ZG_EBADKEY
 * when zero (a zero key cannot sign). sk is zeroed on failure. */
ZG_WARN_UNUSED zg_err_t zg_bls_sk_parse(zg_bls_sk_t *sk, const uint8_t in[32]);
/* Writes the 32-byte big-endian encoding of sk. */
void zg_bls_sk_serialize(uint8_t out[32], const zg_bls_sk_t *sk);
/* Wipes a secret key. */
void zg_bls_sk_clear(zg_bls_sk_t *sk);
/* SkToPk: pk = sk * G1. */
void zg_bls_sk_to_pk(zg_bls_pk_t *pk, const zg_bls_sk_t *sk);

/* Parses a 48-byte compressed public key and runs KeyValidate: ZG_EBADLEN,
 * the G1 decoding errors (ZG_EFLAGS, ZG_EFIELD, ZG_ENOTONCURVE,
 * ZG_ESUBGROUP), ZG_EINFINITY for the identity. */
ZG_WARN_UNUSED zg_err_t zg_bls_pk_parse(zg_bls_pk_t *pk, const uint8_t *in, size_t len);
/* Writes the 48-byte compressed encoding of pk (what zg_bls_pk_parse reads). */
void zg_bls_pk_serialize(uint8_t out[48], const zg_bls_pk_t *pk);
/* KeyValidate on bytes: true when zg_bls_pk_parse would accept them. */
bool zg_bls_key_validate(const uint8_t *in, size_t len);

/* Parses a 96-byte compressed signature (curve and subgroup checked; the
 * identity is accepted). ZG_EBADLEN or the G2 decoding errors. */
ZG_WARN_UNUSED zg_err_t zg_bls_sig_parse(zg_bls_sig_t *sig, const uint8_t *in, size_t len);
/* Writes the 96-byte compressed encoding of sig (0xc0 then zeros for the
 * identity). */
void zg_bls_sig_serialize(uint8_t out[96], const zg_bls_sig_t *sig);

/* ---- signing and verification ---- */

/* Sign: sig = sk * hash_to_G2(msg, ZG_BLS_DST_SIG). msg is borrowed. */
ZG_WARN_UNUSED zg_err_t zg_bls_sign(zg_bls_sig_t *sig, const zg_bls_sk_t *sk, const uint8_t *msg, size_t msglen);
/* Verify: *ok = e(pk, H(msg)) == e(G1, sig). */
ZG_WARN_UNUSED zg_err_t zg_bls_verify(bool *ok, const zg_bls_pk_t *pk, const uint8_t *msg, size_t msglen,
                                      const zg_bls_sig_t *sig);

/* Aggregate: the sum of n >= 1 signatures (ZG_EEMPTY when n == 0). */
ZG_WARN_UNUSED zg_err_t zg_bls_aggregate(zg_bls_sig_t *out, const zg_bls_sig_t *sigs, size_t n);

/* Scratch bytes for zg_bls_aggregate_verify / zg_bls_batch_verify of n
 * items (SIZE_MAX when n is absurdly large). */
size_t zg_bls_aggregate_verify_scratch_size(size_t n);
size_t zg_bls_batch_verify_scratch_size(size_t n);

/* AggregateVerify (PoP scheme = CoreAggregateVerify): *ok when
 * prod e(pk_i, H(msg_i)) == e(G1, sig). n >= 1 (ZG_EEMPTY otherwise); msgs[i]
 * are borrowed slices. One multi-pairing of n + 1 pairs. */
ZG_WARN_UNUSED zg_err_t zg_bls_aggregate_verify(bool *ok, const zg_bls_pk_t *pks, const zg_slice_t *msgs, size_t n,
                                                const zg_bls_sig_t *sig, void *scratch);
/* FastAggregateVerify: all n >= 1 keys signed the same msg; verifies sig
 * under the sum of the keys (false when that sum is the identity). */
ZG_WARN_UNUSED zg_err_t zg_bls_fast_aggregate_verify(bool *ok, const zg_bls_pk_t *pks, size_t n, const uint8_t *msg,
                                                     size_t msglen, const zg_bls_sig_t *sig);

/* Batch verification of n >= 1 independent (pk_i, msg_i, sig_i) triples:
 * *ok when every one would pass zg_bls_verify, up to a 2^-63 chance of
 * accepting a bad batch. Random non-zero 64-bit coefficients c_i (fresh from
 * the system CSPRNG; ZG_ERANDOM if it fails) combine the checks into one
 * multi-pairing: prod e(c_i pk_i, H(msg_i)) == e(G1, sum c_i sig_i). */
ZG_WARN_UNUSED zg_err_t zg_bls_batch_verify(bool *ok, const zg_bls_pk_t *pks, const zg_slice_t *msgs,
                                            const zg_bls_sig_t *sigs, size_t n, void *scratch);

/* ---- proof of possession ---- */

/* PopProve: proof = sk * hash_to_G2(serialize(pk), ZG_BLS_DST_POP). */
ZG_WARN_UNUSED zg_err_t zg_bls_pop_prove(zg_bls_sig_t *proof, const zg_bls_sk_t *sk);
/* PopVerify: *ok when proof is a valid proof of possession for pk. */
ZG_WARN_UNUSED zg_err_t zg_bls_pop_verify(bool *ok, const zg_bls_pk_t *pk, const zg_bls_sig_t *proof);

#endif

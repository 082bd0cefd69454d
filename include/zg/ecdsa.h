/*
 * zg/ecdsa.h — secp256k1 ECDSA as Ethereum uses it, over libsecp256k1 (0.2)
 * and its recovery module: keys, addresses (keccak256(x||y)[12:]), EIP-55
 * checksummed text, recoverable signatures (r, s, v) with low s, recovery of
 * the signer, and the EIP-191 personal_sign message hash.
 *
 * One secp256k1 context is shared by the whole process. It is created and
 * randomised (side-channel blinding) on first use under pthread_once and only
 * read afterwards, so every function here is thread-safe.
 *
 * Signatures: r and s are 32-byte big-endian integers, v is the recovery id
 * (0 or 1; 2 and 3 only when r >= n - p, never in practice). Signing is
 * deterministic (RFC 6979) and always yields s <= n/2. Inputs from peers are
 * checked with clear codes: r or s zero -> ZG_EBADSIG, r or s >= n ->
 * ZG_ESCALAR, s > n/2 (malleable high s) -> ZG_ENONCANON, v > 3 -> ZG_EBADSIG.
 * Ethereum encodings of v (27/28, EIP-155 chain_id*2+35/36) are mapped to the
 * recovery id by zg_eth_v_to_recid.
 */
#ifndef ZG_ECDSA_H
#define ZG_ECDSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

#define ZG_ETH_ADDR_LEN 20
#define ZG_ETH_ADDR_TEXT_LEN 42 /* "0x" + 40 hex digits, without the NUL */

typedef struct {
  uint8_t bytes[32]; /* big-endian scalar in [1, n-1]; a secret */
} zg_secp256k1_sk_t;
typedef struct {
  uint8_t xy[64]; /* uncompressed point x || y, big-endian, on the curve */
} zg_secp256k1_pk_t;
typedef struct {
  uint8_t bytes[20];
} zg_eth_addr_t;
typedef struct {
  uint8_t r[32], s[32];
  uint8_t v; /* recovery id 0..3 */
} zg_ecdsa_sig_t;

/* Validates 32 bytes as a secret key (1 <= k < n) and copies them.
 * ZG_EBADLEN when len != 32, ZG_EBADKEY when out of range. */
ZG_WARN_UNUSED zg_err_t zg_secp256k1_sk_parse(zg_secp256k1_sk_t *sk, const uint8_t *in, size_t len);
/* A fresh random secret key. ZG_ERANDOM when the random source fails. */
ZG_WARN_UNUSED zg_err_t zg_secp256k1_sk_generate(zg_secp256k1_sk_t *sk);
/* Wipes a secret key. */
void zg_secp256k1_sk_clear(zg_secp256k1_sk_t *sk);

/* The public key of a secret key. */
ZG_WARN_UNUSED zg_err_t zg_secp256k1_pubkey(zg_secp256k1_pk_t *pk, const zg_secp256k1_sk_t *sk);
/* Parses a public key: 64 bytes x||y, 65 bytes 0x04||x||y, or 33 bytes
 * compressed (0x02/0x03||x). ZG_EBADLEN on other lengths, ZG_ENOTONCURVE
 * when the encoding is not a point on the curve. */
ZG_WARN_UNUSED zg_err_t zg_secp256k1_pk_parse(zg_secp256k1_pk_t *pk, const uint8_t *in, size_t len);

/* The Ethereum address of a public key: keccak256(x || y)[12:32]. */
void zg_eth_address(zg_eth_addr_t *addr, const zg_secp256k1_pk_t *pk);
/* Writes the EIP-55 mixed-case checksummed form, "0x" + 40 digits + NUL
 * (43 bytes). */
void zg_eth_address_to_text(char out[43], const zg_eth_addr_t *addr);
/* Parses "0x" + 40 hex digits. All-lowercase and all-uppercase forms carry
 * no checksum and are accepted; mixed case must match EIP-55 exactly.
 * ZG_EHEX on a missing prefix or bad digit, ZG_EBADLEN on a wrong length,
 * ZG_ECHECKSUM on a checksum mismatch. */
ZG_WARN_UNUSED zg_err_t zg_eth_address_parse(zg_eth_addr_t *addr, const char *s, size_t len);

/* Signs a 32-byte message hash (RFC 6979 nonce, low s, recovery id in v). */
ZG_WARN_UNUSED zg_err_t zg_ecdsa_sign(zg_ecdsa_sig_t *sig, const zg_secp256k1_sk_t *sk,
                                      const uint8_t hash[32]);
/* Sets *ok to whether sig (r, s; v is ignored) signs hash under pk. Fails on
 * malformed r/s with the codes listed above; *ok is false on every failure. */
ZG_WARN_UNUSED zg_err_t zg_ecdsa_verify(bool *ok, const zg_ecdsa_sig_t *sig, const uint8_t hash[32],
                                        const zg_secp256k1_pk_t *pk);
/* Recovers the public key that made sig over hash. Codes as above, and
 * ZG_EBADSIG when no key fits (r is not the x of a curve point). */
ZG_WARN_UNUSED zg_err_t zg_ecdsa_recover(zg_secp256k1_pk_t *pk, const zg_ecdsa_sig_t *sig,
                                         const uint8_t hash[32]);
/* Recovers the signer's address (zg_ecdsa_recover, then zg_eth_address). */
ZG_WARN_UNUSED zg_err_t zg_ecdsa_recover_address(zg_eth_addr_t *addr, const zg_ecdsa_sig_t *sig,
                                                 const uint8_t hash[32]);

/* Reads the 65-byte r || s || v form. v may be 0..3 or 27..30. */
ZG_WARN_UNUSED zg_err_t zg_ecdsa_sig_parse65(zg_ecdsa_sig_t *sig, const uint8_t in[65]);
/* Writes r || s || (27 + v), the personal_sign / eth_sign form. */
void zg_ecdsa_sig_serialize65(uint8_t out[65], const zg_ecdsa_sig_t *sig);
/* Maps an Ethereum v to a recovery id: 0/1 (typed transactions), 27/28
 * (legacy), chain_id*2 + 35/36 (EIP-155; needs chain_id != 0).
 * ZG_EBADSIG for anything else. */
ZG_WARN_UNUSED zg_err_t zg_eth_v_to_recid(uint8_t *recid, uint64_t v, uint64_t chain_id);

/* EIP-191 version 0x45 (personal_sign): keccak256("\x19Ethereum Signed
 * Message:\n" || decimal(msglen) || msg). */
void zg_eth_personal_hash(uint8_t out[32], const uint8_t *msg, size_t msglen);

#endif

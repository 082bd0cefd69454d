/*
 * zg/tx.h — Ethereum transactions as the zg chain accepts them (layer 4,
 * src/chain/tx.c): legacy with EIP-155 replay protection (type 0), EIP-2930
 * access-list (type 1) and EIP-1559 dynamic-fee (type 2) transactions.
 * Strict RLP decoding, the transaction hash and signing hash, sender
 * recovery (secp256k1), signing, re-encoding, intrinsic gas and the
 * effective gas price; and the sender cache (tx hash -> sender) that lets a
 * node recover each sender once however many times it sees the transaction
 * (gossip, batch, proposal).
 *
 * Wire forms (the "raw" bytes, what eth_sendRawTransaction carries):
 *   type 0: rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s])
 *           v = chainId*2 + 35 + y (EIP-155)
 *   type 1: 0x01 || rlp([chainId, nonce, gasPrice, gasLimit, to, value, data,
 *                        accessList, yParity, r, s])
 *   type 2: 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas,
 *                        gasLimit, to, value, data, accessList, yParity, r, s])
 *   accessList = [[address(20), [storageKey(32), ...]], ...]
 * hash = keccak256(raw); the signing hash is keccak256 of the same envelope
 * without v, r, s (type 0: with chainId, 0, 0 in their place).
 *
 * Decoding is zero-copy: tx->raw, tx->data and tx->access_list point into the
 * caller's bytes and stay valid as long as they do. It allocates nothing and
 * is strict; each defect has its own code (zg_tx_strerror gives the text):
 *   ZG_ETOOBIG      raw larger than ZG_TX_MAX_SIZE (128 KiB)
 *   ZG_EUNSUPPORTED unknown type byte; a pre-EIP-155 legacy tx (v = 27/28):
 *                   refused, zg has no replay-unprotected path (geth, too,
 *                   refuses them over RPC unless started with a flag)
 *   ZG_ENONCANON    non-canonical RLP (zg/rlp.h) or an integer with a leading zero
 *   ZG_ETRAILING    bytes after the transaction
 *   ZG_EBADLEN      a list with the wrong number of fields; an address, key
 *                   or `to` of the wrong length
 *   ZG_ETYPE        a list where a value is expected or the reverse
 *   ZG_ETRUNC       the input ends inside an item
 *   ZG_EOVERFLOW    an integer wider than its field (nonce, gas, chain id:
 *                   64 bits, nonce < 2^64-1 per EIP-2681; fees and value:
 *                   256 bits)
 *   ZG_EBADSIG      a v that is neither 0/1 (typed) nor chainId*2+35/36
 *                   (legacy)
 *   ZG_ERANGE       r or s zero, or not below the group order n
 *   ZG_ESCALAR      s > n/2: a malleable high-s signature (EIP-2)
 *   ZG_ECHAINID     the chain id differs from the one expected
 * Contract creation (no `to`) decodes (has_to false) but zg_tx_check refuses
 * it with ZG_EUNSUPPORTED: zg has no EVM, only system contracts.
 */
#ifndef ZG_TX_H
#define ZG_TX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/ecdsa.h"
#include "zg/err.h"
#include "zg/u256.h"

#define ZG_TX_MAX_SIZE (128u * 1024u) /* largest raw transaction accepted */

enum {
  ZG_TX_LEGACY = 0,      /* EIP-155 legacy */
  ZG_TX_ACCESS_LIST = 1, /* EIP-2930 */
  ZG_TX_DYNAMIC_FEE = 2, /* EIP-1559 */
};

/* Gas model (docs/chain.md "Gas model"). */
#define ZG_TX_GAS_BASE 21000u
#define ZG_TX_GAS_DATA_ZERO 4u
#define ZG_TX_GAS_DATA_NONZERO 16u
#define ZG_TX_GAS_ACCESS_ADDRESS 2400u
#define ZG_TX_GAS_ACCESS_KEY 1900u

/* A decoded transaction. Slices borrow the decoded input. For types 0 and 1
 * max_fee and max_priority_fee both equal gas_price, and for type 2
 * gas_price equals max_fee, so fee logic can read max_fee/max_priority_fee
 * for every type. */
typedef struct {
  uint8_t type;              /* ZG_TX_LEGACY, ZG_TX_ACCESS_LIST, ZG_TX_DYNAMIC_FEE */
  uint64_t chain_id;
  uint64_t nonce;
  zg_u256_t gas_price;        /* types 0/1: gasPrice; type 2: = max_fee */
  zg_u256_t max_fee;          /* type 2: maxFeePerGas; else gas_price */
  zg_u256_t max_priority_fee; /* type 2: maxPriorityFeePerGas; else gas_price */
  uint64_t gas_limit;
  bool has_to;                /* false: contract creation (refused by zg_tx_check) */
  zg_eth_addr_t to;           /* zero when !has_to */
  zg_u256_t value;
  zg_slice_t data;            /* calldata, borrowed */
  zg_slice_t access_list;     /* whole RLP list (header included), borrowed;
                                 {NULL, 0} for type 0 */
  uint32_t access_addresses;  /* entries in the access list */
  uint32_t access_keys;       /* storage keys over all entries */
  uint64_t v;                 /* as encoded: type 0 chainId*2+35+y, else y */
  zg_ecdsa_sig_t sig;         /* r, s and the recovery id y */
  uint8_t hash[32];           /* keccak256(raw) */
  uint8_t sighash[32];        /* what the sender signed (when has_sighash) */
  zg_slice_t raw;             /* the whole envelope, borrowed */
  bool has_sighash;           /* sighash is set: always after zg_tx_decode,
                                 never after zg_tx_decode_nosighash */
  uint32_t unsigned_off;      /* the unsigned fields are raw[off, off+len): */
  uint32_t unsigned_len;      /* for a signing hash computed later */
} zg_tx_t;

/* Decodes raw[0..len) (borrowed by *tx, see above) and computes its hash and
 * signing hash. chain_id is the chain's id; 0 accepts any (tools). Codes as
 * in the file comment; *tx is zeroed on failure. Does not recover the
 * sender. */
ZG_WARN_UNUSED zg_err_t zg_tx_decode(zg_tx_t *tx, const uint8_t *raw, size_t len, uint64_t chain_id);

/* zg_tx_decode without the signing hash (tx->has_sighash false, sighash
 * zero): for callers that look the sender up in the cache first, so that
 * only a miss pays that Keccak (zg_tx_sender computes it when needed). */
ZG_WARN_UNUSED zg_err_t zg_tx_decode_nosighash(zg_tx_t *tx, const uint8_t *raw, size_t len, uint64_t chain_id);

/* Recovers the sender's address from tx->sig over the signing hash (one
 * secp256k1 public-key recovery and one keccak; the signing hash is
 * computed first when tx->has_sighash is false, which needs tx->raw still
 * valid). ZG_EBADSIG when no key fits the signature. */
ZG_WARN_UNUSED zg_err_t zg_tx_sender(zg_eth_addr_t *sender, const zg_tx_t *tx);

/* Stateless admission rules beyond decoding: ZG_EUNSUPPORTED for contract
 * creation, ZG_EGAS when gas_limit is below zg_tx_intrinsic_gas, ZG_EFEE
 * when a type 2 tx has max_priority_fee > max_fee. */
ZG_WARN_UNUSED zg_err_t zg_tx_check(const zg_tx_t *tx);

/* Intrinsic gas: 21000 + 16 per non-zero and 4 per zero calldata byte +
 * 2400 per access-list address + 1900 per storage key. A system contract's
 * method cost comes on top (zg_sc_gas; the executor adds it). */
uint64_t zg_tx_intrinsic_gas(const zg_tx_t *tx);

/* Effective gas price under base_fee: min(max_fee, base_fee +
 * max_priority_fee); *tip receives the part above base_fee (may be NULL).
 * ZG_EFEE when max_fee < base_fee (both outputs zero then). */
ZG_WARN_UNUSED zg_err_t zg_tx_effective_gas_price(zg_u256_t *price, zg_u256_t *tip, const zg_tx_t *tx,
                                                  const zg_u256_t *base_fee);

/* The most a tx can cost its sender: gas_limit * max_fee + value (what the
 * mempool checks the balance against). ZG_EOVERFLOW past 2^256. */
ZG_WARN_UNUSED zg_err_t zg_tx_max_cost(zg_u256_t *cost, const zg_tx_t *tx);

/* Signs a transaction. fields gives type, chain_id, nonce, the fee fields
 * the type uses (type 0/1: gas_price; type 2: max_fee and max_priority_fee),
 * gas_limit, has_to/to, value, data and, for types 1 and 2, access_list (a
 * whole RLP list of [address, [keys]] entries, or {NULL, 0} for an empty
 * list; it is checked like a decoded one). v, sig, hash, sighash, raw and
 * the access counts of fields are ignored. The raw envelope is appended to
 * out. chain_id must be non-zero. ZG_EINVAL on bad fields; the decode codes
 * for a malformed access list. On failure out keeps its previous length. */
ZG_WARN_UNUSED zg_err_t zg_tx_sign(zg_buf_t *out, const zg_tx_t *fields, const zg_secp256k1_sk_t *sk);

/* Appends the raw envelope of a decoded (or signed) tx, built from its
 * fields and signature: byte-identical to tx->raw for every decoded tx. */
ZG_WARN_UNUSED zg_err_t zg_tx_encode(zg_buf_t *out, const zg_tx_t *tx);

/* The lane that owns an address: addr[19] mod lanes (docs/chain.md). lanes
 * must be >= 1. */
static inline unsigned zg_tx_lane_of(const zg_eth_addr_t *addr, unsigned lanes) {
  return lanes ? (unsigned)addr->bytes[19] % lanes : 0;
}

/* A geth-like message for a code returned by the tx functions ("rlp:
 * non-canonical integer", "invalid transaction v, r, s values", "transaction
 * type not supported", ...); falls back to zg_strerror. Never NULL. */
const char *zg_tx_strerror(zg_err_t err);

/* ---- sender cache ---- */

/* A bounded, thread-safe map tx hash -> sender. The hash commits to the
 * signature and the signed fields, so a hit is as good as a recovery. When
 * full it forgets old entries (8-way buckets, round-robin replacement), so
 * size it at about twice the transactions a node holds at once (mempool
 * plus batches not yet executed): a bucket that overflows costs
 * recoveries. */
typedef struct zg_tx_cache zg_tx_cache_t;

/* Creates a cache holding at least `entries` senders (rounded up to a power
 * of two; 0 picks 65536). ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_tx_cache_create(zg_tx_cache_t **out, size_t entries);
void zg_tx_cache_destroy(zg_tx_cache_t *c);
/* Looks up a tx hash; true and *sender set on a hit. */
bool zg_tx_cache_get(zg_tx_cache_t *c, zg_eth_addr_t *sender, const uint8_t hash[32]);
/* Remembers a sender for a tx hash. */
void zg_tx_cache_put(zg_tx_cache_t *c, const uint8_t hash[32], const zg_eth_addr_t *sender);
/* Lookups and hits so far (for metrics and tests). */
void zg_tx_cache_stats(const zg_tx_cache_t *c, uint64_t *lookups, uint64_t *hits);

/* zg_tx_sender through the cache: a hit costs no recovery; a miss recovers
 * and remembers. cache may be NULL (plain recovery). *hit (may be NULL)
 * tells which happened. */
ZG_WARN_UNUSED zg_err_t zg_tx_sender_cached(zg_eth_addr_t *sender, bool *hit, const zg_tx_t *tx,
                                            zg_tx_cache_t *cache);

#endif

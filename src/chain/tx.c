/*
 * tx.c — Ethereum transactions: strict decoding, hashes, sender recovery,
 * signing and re-encoding, gas and fee arithmetic, and the sender cache
 * (zg/tx.h).
 *
 * Cost. The per-transaction CPU a validator pays is decode + hash + recover,
 * and the recovery is the floor, so the rest allocates nothing and touches
 * each byte few times: one RLP tree check, one pass over the fields, the tx
 * hash over the raw bytes, and the signing hash streamed through one Keccak
 * context from slices of the raw bytes (the unsigned fields are contiguous
 * in the envelope; only the list header, and for legacy txs the EIP-155
 * suffix chainId, 0, 0, are written afresh).
 *
 * Invariants. A zg_tx_t that zg_tx_decode returned has: 1 <= r, s < n and
 * s <= n/2; sig.v (the recovery id) 0 or 1; chain_id != 0; access counts
 * that match the access list; nonce < 2^64 - 1; and zg_tx_encode(tx) ==
 * tx->raw (canonical RLP everywhere).
 */
#include "zg/tx.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "zg/hash.h"
#include "zg/rlp.h"

/* secp256k1 group order n and n/2, big-endian. */
static const uint8_t k_order[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                    0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                                    0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
static const uint8_t k_half_order[32] = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
                                         0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

static bool is_zero32(const uint8_t a[32]) {
  uint8_t acc = 0;
  for (int i = 0; i < 32; i++) acc |= a[i];
  return acc == 0;
}

/* Public signature values: r and s in [1, n-1] (ZG_ERANGE), s <= n/2
 * (ZG_ESCALAR). Variable time is fine, nothing here is secret. */
static zg_err_t check_rs(const uint8_t r[32], const uint8_t s[32]) {
  if (is_zero32(r) || is_zero32(s)) return ZG_ERANGE;
  if (memcmp(r, k_order, 32) >= 0 || memcmp(s, k_order, 32) >= 0) return ZG_ERANGE;
  if (memcmp(s, k_half_order, 32) > 0) return ZG_ESCALAR;
  return ZG_OK;
}

/* Checks an access list item: a list of [address(20), [key(32)...]]. */
static zg_err_t access_list_check(const zg_rlp_item_t *al, uint32_t *naddr, uint32_t *nkeys) {
  zg_rlp_iter_t it;
  *naddr = *nkeys = 0;
  ZG_TRY(zg_rlp_iter_init(&it, al));
  while (!zg_rlp_iter_done(&it)) {
    zg_rlp_iter_t entry, keys;
    zg_rlp_item_t addr, key;
    ZG_TRY(zg_rlp_next_list(&it, &entry));
    ZG_TRY(zg_rlp_next(&entry, &addr));
    if (addr.kind != ZG_RLP_STRING) return ZG_ETYPE;
    if (addr.payload.len != 20) return ZG_EBADLEN;
    ZG_TRY(zg_rlp_next_list(&entry, &keys));
    if (!zg_rlp_iter_done(&entry)) return ZG_EBADLEN; /* an entry has exactly two fields */
    while (!zg_rlp_iter_done(&keys)) {
      ZG_TRY(zg_rlp_next(&keys, &key));
      if (key.kind != ZG_RLP_STRING) return ZG_ETYPE;
      if (key.payload.len != 32) return ZG_EBADLEN;
      (*nkeys)++;
    }
    (*naddr)++;
  }
  return ZG_OK;
}

static zg_err_t next_u256(zg_rlp_iter_t *it, zg_u256_t *out) {
  uint8_t be[32];
  ZG_TRY(zg_rlp_next_u256(it, be));
  zg_u256_from_be32(out, be);
  return ZG_OK;
}

/* An RLP list header for a payload of len bytes into h; returns its size. */
static size_t list_header(uint8_t h[9], size_t len) {
  if (len < 56) {
    h[0] = (uint8_t)(0xc0 + len);
    return 1;
  }
  unsigned ll = 0;
  for (size_t v = len; v; v >>= 8) ll++;
  h[0] = (uint8_t)(0xf7 + ll);
  for (unsigned i = 0; i < ll; i++) h[ll - i] = (uint8_t)(len >> (8 * i));
  return 1 + ll;
}

/* The RLP encoding of an unsigned 64-bit integer into e; returns its size. */
static size_t rlp_u64(uint8_t e[9], uint64_t v) {
  if (v == 0) {
    e[0] = 0x80;
    return 1;
  }
  if (v < 0x80) {
    e[0] = (uint8_t)v;
    return 1;
  }
  unsigned n = 0;
  for (uint64_t t = v; t; t >>= 8) n++;
  e[0] = (uint8_t)(0x80 + n);
  for (unsigned i = 0; i < n; i++) e[n - i] = (uint8_t)(v >> (8 * i));
  return 1 + n;
}

/* The fields shared by the three types after the type-specific prefix:
 * gasLimit, to, value, data. */
static zg_err_t read_common(zg_rlp_iter_t *it, zg_tx_t *tx) {
  zg_rlp_item_t to;
  ZG_TRY(zg_rlp_next_u64(it, &tx->gas_limit));
  ZG_TRY(zg_rlp_next(it, &to));
  if (to.kind != ZG_RLP_STRING) return ZG_ETYPE;
  if (to.payload.len == 20) {
    tx->has_to = true;
    memcpy(tx->to.bytes, to.payload.ptr, 20);
  } else if (to.payload.len != 0) {
    return ZG_EBADLEN;
  }
  ZG_TRY(next_u256(it, &tx->value));
  return zg_rlp_next_bytes(it, &tx->data);
}

/* Reads the fields of body (the envelope's RLP list, type byte excluded)
 * up to and including the access list; *sig_start is where v begins. */
static zg_err_t read_fields(zg_tx_t *tx, const zg_rlp_item_t *list, const uint8_t **sig_start) {
  static const size_t k_fields[3] = {9, 11, 12};
  size_t count;
  ZG_TRY(zg_rlp_list_count(&count, list));
  if (count != k_fields[tx->type]) return ZG_EBADLEN;
  zg_rlp_iter_t it;
  ZG_TRY(zg_rlp_iter_init(&it, list));
  if (tx->type != ZG_TX_LEGACY) ZG_TRY(zg_rlp_next_u64(&it, &tx->chain_id));
  ZG_TRY(zg_rlp_next_u64(&it, &tx->nonce));
  if (tx->nonce == UINT64_MAX) return ZG_EOVERFLOW; /* EIP-2681 */
  if (tx->type == ZG_TX_DYNAMIC_FEE) {
    ZG_TRY(next_u256(&it, &tx->max_priority_fee));
    ZG_TRY(next_u256(&it, &tx->max_fee));
    tx->gas_price = tx->max_fee;
  } else {
    ZG_TRY(next_u256(&it, &tx->gas_price));
    tx->max_fee = tx->max_priority_fee = tx->gas_price;
  }
  ZG_TRY(read_common(&it, tx));
  if (tx->type != ZG_TX_LEGACY) {
    zg_rlp_item_t al;
    ZG_TRY(zg_rlp_next(&it, &al));
    if (al.kind != ZG_RLP_LIST) return ZG_ETYPE;
    ZG_TRY(access_list_check(&al, &tx->access_addresses, &tx->access_keys));
    tx->access_list = al.raw;
  }
  *sig_start = it.p;
  ZG_TRY(zg_rlp_next_u64(&it, &tx->v));
  ZG_TRY(zg_rlp_next_u256(&it, tx->sig.r));
  ZG_TRY(zg_rlp_next_u256(&it, tx->sig.s));
  return zg_rlp_iter_finish(&it);
}

/* Maps v to the recovery id (and, for legacy txs, the chain id). */
static zg_err_t read_v(zg_tx_t *tx) {
  if (tx->type != ZG_TX_LEGACY) {
    if (tx->v > 1) return ZG_EBADSIG;
    tx->sig.v = (uint8_t)tx->v;
    return ZG_OK;
  }
  if (tx->v == 27 || tx->v == 28) return ZG_EUNSUPPORTED; /* pre-EIP-155: refused */
  if (tx->v < 35) return ZG_EBADSIG;
  tx->chain_id = (tx->v - 35) / 2;
  tx->sig.v = (uint8_t)((tx->v - 35) & 1);
  return ZG_OK;
}

/* keccak256 of the unsigned envelope: [type] || list(unsigned fields). The
 * unsigned fields are payload[0..fields_len) of the decoded list; a legacy
 * tx appends chainId, 0, 0 (EIP-155). */
static void signing_hash(uint8_t out[32], uint8_t type, const uint8_t *fields, size_t fields_len,
                         uint64_t chain_id) {
  uint8_t hdr[9], suffix[11];
  size_t slen = 0;
  if (type == ZG_TX_LEGACY) {
    slen = rlp_u64(suffix, chain_id);
    suffix[slen++] = 0x80;
    suffix[slen++] = 0x80;
  }
  size_t hlen = list_header(hdr, fields_len + slen);
  zg_keccak256_ctx_t k;
  zg_keccak256_init(&k);
  if (type != ZG_TX_LEGACY) zg_keccak256_update(&k, &type, 1);
  zg_keccak256_update(&k, hdr, hlen);
  zg_keccak256_update(&k, fields, fields_len);
  if (slen) zg_keccak256_update(&k, suffix, slen);
  zg_keccak256_final(&k, out);
}

static zg_err_t decode(zg_tx_t *tx, const uint8_t *raw, size_t len, uint64_t chain_id, bool want_sighash) {
  if (len > ZG_TX_MAX_SIZE) return ZG_ETOOBIG;
  if (len == 0) return ZG_ETRUNC;
  const uint8_t *body = raw;
  size_t blen = len;
  if (raw[0] >= 0xc0) {
    tx->type = ZG_TX_LEGACY;
  } else if (raw[0] == ZG_TX_ACCESS_LIST || raw[0] == ZG_TX_DYNAMIC_FEE) {
    tx->type = raw[0];
    body++;
    blen--;
  } else {
    return ZG_EUNSUPPORTED;
  }
  zg_rlp_item_t list;
  ZG_TRY(zg_rlp_decode(&list, body, blen));
  if (list.kind != ZG_RLP_LIST) return ZG_ETYPE;
  const uint8_t *sig_start;
  ZG_TRY(read_fields(tx, &list, &sig_start));
  ZG_TRY(read_v(tx));
  ZG_TRY(check_rs(tx->sig.r, tx->sig.s));
  if (tx->chain_id == 0) return ZG_ECHAINID; /* EIP-155 needs one; typed txs must name one */
  if (chain_id && tx->chain_id != chain_id) return ZG_ECHAINID;
  tx->raw = zg_slice(raw, len);
  zg_keccak256(tx->hash, raw, len);
  tx->unsigned_off = (uint32_t)(list.payload.ptr - raw); /* < 128 KiB */
  tx->unsigned_len = (uint32_t)(sig_start - list.payload.ptr);
  if (want_sighash) {
    signing_hash(tx->sighash, tx->type, list.payload.ptr, tx->unsigned_len, tx->chain_id);
    tx->has_sighash = true;
  }
  return ZG_OK;
}

static zg_err_t decode_entry(zg_tx_t *tx, const uint8_t *raw, size_t len, uint64_t chain_id, bool want_sighash) {
  if (!tx) return ZG_EINVAL;
  memset(tx, 0, sizeof *tx);
  if (!raw && len) return ZG_EINVAL;
  zg_err_t err = decode(tx, raw, len, chain_id, want_sighash);
  if (err != ZG_OK) memset(tx, 0, sizeof *tx);
  return err;
}

zg_err_t zg_tx_decode(zg_tx_t *tx, const uint8_t *raw, size_t len, uint64_t chain_id) {
  return decode_entry(tx, raw, len, chain_id, true);
}

zg_err_t zg_tx_decode_nosighash(zg_tx_t *tx, const uint8_t *raw, size_t len, uint64_t chain_id) {
  return decode_entry(tx, raw, len, chain_id, false);
}

zg_err_t zg_tx_sender(zg_eth_addr_t *sender, const zg_tx_t *tx) {
  if (!sender || !tx) return ZG_EINVAL;
  memset(sender, 0, sizeof *sender);
  if (tx->has_sighash) return zg_ecdsa_recover_address(sender, &tx->sig, tx->sighash);
  /* Deferred signing hash: the unsigned fields are still in raw. */
  if (!tx->raw.ptr || (size_t)tx->unsigned_off + tx->unsigned_len > tx->raw.len) return ZG_EINVAL;
  uint8_t h[32];
  signing_hash(h, tx->type, tx->raw.ptr + tx->unsigned_off, tx->unsigned_len, tx->chain_id);
  return zg_ecdsa_recover_address(sender, &tx->sig, h);
}

uint64_t zg_tx_intrinsic_gas(const zg_tx_t *tx) {
  size_t zeros = 0;
  const uint8_t *d = tx->data.ptr;
  for (size_t i = 0; i < tx->data.len; i++) zeros += d[i] == 0;
  uint64_t nonzero = tx->data.len - zeros;
  return ZG_TX_GAS_BASE + ZG_TX_GAS_DATA_ZERO * (uint64_t)zeros + ZG_TX_GAS_DATA_NONZERO * nonzero +
         ZG_TX_GAS_ACCESS_ADDRESS * (uint64_t)tx->access_addresses + ZG_TX_GAS_ACCESS_KEY * (uint64_t)tx->access_keys;
}

zg_err_t zg_tx_check(const zg_tx_t *tx) {
  if (!tx) return ZG_EINVAL;
  if (!tx->has_to) return ZG_EUNSUPPORTED;
  if (tx->gas_limit < zg_tx_intrinsic_gas(tx)) return ZG_EGAS;
  if (zg_u256_cmp(&tx->max_priority_fee, &tx->max_fee) > 0) return ZG_EFEE;
  return ZG_OK;
}

zg_err_t zg_tx_effective_gas_price(zg_u256_t *price, zg_u256_t *tip, const zg_tx_t *tx, const zg_u256_t *base_fee) {
  if (!price || !tx || !base_fee) return ZG_EINVAL;
  zg_u256_t room, t;
  *price = zg_u256_from_u64(0);
  if (tip) *tip = *price;
  if (!zg_u256_sub(&room, &tx->max_fee, base_fee)) return ZG_EFEE;
  t = zg_u256_cmp(&tx->max_priority_fee, &room) < 0 ? tx->max_priority_fee : room;
  (void)zg_u256_add(price, base_fee, &t); /* <= max_fee: cannot overflow */
  if (tip) *tip = t;
  return ZG_OK;
}

zg_err_t zg_tx_max_cost(zg_u256_t *cost, const zg_tx_t *tx) {
  if (!cost || !tx) return ZG_EINVAL;
  zg_u256_t c;
  *cost = zg_u256_from_u64(0);
  if (!zg_u256_mul_u64(&c, &tx->max_fee, tx->gas_limit) || !zg_u256_add(&c, &c, &tx->value)) return ZG_EOVERFLOW;
  *cost = c;
  return ZG_OK;
}

/* ---- encoding and signing ---- */

static zg_err_t put_u256(zg_rlp_writer_t *w, const zg_u256_t *v) {
  uint8_t be[32];
  zg_u256_to_be32(be, v);
  return zg_rlp_put_u256(w, be);
}

/* Writes the unsigned fields of t (inside an open list). */
static zg_err_t put_fields(zg_rlp_writer_t *w, const zg_tx_t *t) {
  if (t->type != ZG_TX_LEGACY) ZG_TRY(zg_rlp_put_u64(w, t->chain_id));
  ZG_TRY(zg_rlp_put_u64(w, t->nonce));
  if (t->type == ZG_TX_DYNAMIC_FEE) {
    ZG_TRY(put_u256(w, &t->max_priority_fee));
    ZG_TRY(put_u256(w, &t->max_fee));
  } else {
    ZG_TRY(put_u256(w, &t->gas_price));
  }
  ZG_TRY(zg_rlp_put_u64(w, t->gas_limit));
  ZG_TRY(zg_rlp_put_bytes(w, t->to.bytes, t->has_to ? 20 : 0));
  ZG_TRY(put_u256(w, &t->value));
  ZG_TRY(zg_rlp_put_bytes(w, t->data.ptr, t->data.len));
  if (t->type == ZG_TX_LEGACY) return ZG_OK;
  if (t->access_list.len == 0) {
    ZG_TRY(zg_rlp_list_begin(w));
    return zg_rlp_list_end(w);
  }
  return zg_rlp_put_raw(w, t->access_list.ptr, t->access_list.len);
}

/* Appends [type] || list(fields, tail...) where the tail is v, r, s (or the
 * EIP-155 placeholders when sig is NULL for a legacy tx, nothing for a typed
 * one). */
static zg_err_t put_envelope(zg_buf_t *out, const zg_tx_t *t, uint64_t v, const zg_ecdsa_sig_t *sig) {
  zg_rlp_writer_t w;
  zg_rlp_writer_init(&w, out);
  if (t->type != ZG_TX_LEGACY) ZG_TRY(zg_buf_push(out, t->type));
  ZG_TRY(zg_rlp_list_begin(&w));
  ZG_TRY(put_fields(&w, t));
  if (sig) {
    ZG_TRY(zg_rlp_put_u64(&w, v));
    ZG_TRY(zg_rlp_put_u256(&w, sig->r));
    ZG_TRY(zg_rlp_put_u256(&w, sig->s));
  } else if (t->type == ZG_TX_LEGACY) {
    ZG_TRY(zg_rlp_put_u64(&w, t->chain_id));
    ZG_TRY(zg_rlp_put_u64(&w, 0));
    ZG_TRY(zg_rlp_put_u64(&w, 0));
  }
  ZG_TRY(zg_rlp_list_end(&w));
  return zg_rlp_writer_finish(&w);
}

/* Checks the fields zg_tx_sign and zg_tx_encode are given. */
static zg_err_t check_fields(const zg_tx_t *t) {
  if (t->type > ZG_TX_DYNAMIC_FEE || t->chain_id == 0 || t->nonce == UINT64_MAX) return ZG_EINVAL;
  if (!t->data.ptr && t->data.len) return ZG_EINVAL;
  if (t->type == ZG_TX_LEGACY && t->chain_id > (UINT64_MAX - 36) / 2) return ZG_EINVAL;
  if (t->type == ZG_TX_LEGACY || t->access_list.len == 0) return t->access_list.len ? ZG_EINVAL : ZG_OK;
  if (!t->access_list.ptr) return ZG_EINVAL;
  zg_rlp_item_t al;
  uint32_t na, nk;
  ZG_TRY(zg_rlp_decode(&al, t->access_list.ptr, t->access_list.len));
  if (al.kind != ZG_RLP_LIST) return ZG_ETYPE;
  return access_list_check(&al, &na, &nk);
}

zg_err_t zg_tx_sign(zg_buf_t *out, const zg_tx_t *fields, const zg_secp256k1_sk_t *sk) {
  if (!out || !fields || !sk) return ZG_EINVAL;
  ZG_TRY(check_fields(fields));
  size_t start = out->len;
  uint8_t h[32];
  zg_ecdsa_sig_t sig;
  zg_err_t err = put_envelope(out, fields, 0, NULL);
  if (err != ZG_OK) goto out;
  zg_keccak256(h, out->ptr + start, out->len - start);
  out->len = start;
  err = zg_ecdsa_sign(&sig, sk, h);
  if (err != ZG_OK) goto out;
  if (sig.v > 1) { /* r >= n - p: never happens with a real key; refuse rather than encode it */
    err = ZG_ECRYPTO;
    goto out;
  }
  uint64_t v = fields->type == ZG_TX_LEGACY ? fields->chain_id * 2 + 35 + sig.v : sig.v;
  err = put_envelope(out, fields, v, &sig);
out:
  if (err != ZG_OK) out->len = start;
  return err;
}

zg_err_t zg_tx_encode(zg_buf_t *out, const zg_tx_t *tx) {
  if (!out || !tx) return ZG_EINVAL;
  ZG_TRY(check_fields(tx));
  size_t start = out->len;
  zg_err_t err = put_envelope(out, tx, tx->v, &tx->sig);
  if (err != ZG_OK) out->len = start;
  return err;
}

const char *zg_tx_strerror(zg_err_t err) {
  switch (err) {
  case ZG_ETOOBIG: return "oversized data: transaction larger than 131072 bytes";
  case ZG_EUNSUPPORTED: return "transaction type not supported (or unprotected pre-EIP-155 transaction, or contract creation)";
  case ZG_ENONCANON: return "rlp: non-canonical encoding";
  case ZG_ETRAILING: return "rlp: input contains more than one value";
  case ZG_EBADLEN: return "rlp: wrong number of fields or wrong field length";
  case ZG_ETYPE: return "rlp: expected a list or a string in its place";
  case ZG_ETRUNC: return "rlp: value size exceeds available input length";
  case ZG_EOVERFLOW: return "rlp: integer too large for its field";
  case ZG_EBADSIG: return "invalid transaction v value";
  case ZG_ERANGE: return "invalid transaction v, r, s values";
  case ZG_ESCALAR: return "invalid transaction v, r, s values: s is in the upper half of the order (malleable)";
  case ZG_ECHAINID: return "invalid chain id for signer";
  case ZG_EGAS: return "intrinsic gas too low";
  case ZG_EFEE: return "max priority fee per gas higher than max fee per gas";
  default: return zg_strerror(err);
  }
}

/* ---- sender cache ---- */

#define CACHE_WAYS 8
#define CACHE_LOCKS 64

typedef struct {
  uint8_t hash[32];
  zg_eth_addr_t addr;
  uint8_t used;
} cache_slot_t;

typedef struct {
  cache_slot_t slot[CACHE_WAYS];
  uint8_t next; /* slot to replace next */
} cache_bucket_t;

struct zg_tx_cache {
  cache_bucket_t *buckets;
  size_t mask;
  pthread_mutex_t locks[CACHE_LOCKS];
  _Atomic uint64_t lookups, hits;
};

zg_err_t zg_tx_cache_create(zg_tx_cache_t **out, size_t entries) {
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (entries == 0) entries = 65536;
  if (entries > ((size_t)1 << 30)) return ZG_EINVAL;
  size_t nb = 1;
  while (nb * CACHE_WAYS < entries) nb <<= 1;
  zg_tx_cache_t *c = calloc(1, sizeof *c);
  if (!c) return ZG_ENOMEM;
  c->buckets = calloc(nb, sizeof *c->buckets);
  if (!c->buckets) {
    free(c);
    return ZG_ENOMEM;
  }
  c->mask = nb - 1;
  for (int i = 0; i < CACHE_LOCKS; i++) pthread_mutex_init(&c->locks[i], NULL);
  atomic_init(&c->lookups, 0);
  atomic_init(&c->hits, 0);
  *out = c;
  return ZG_OK;
}

void zg_tx_cache_destroy(zg_tx_cache_t *c) {
  if (!c) return;
  for (int i = 0; i < CACHE_LOCKS; i++) pthread_mutex_destroy(&c->locks[i]);
  free(c->buckets);
  free(c);
}

/* Tx hashes are Keccak outputs, so their first bytes are uniform. */
static size_t bucket_of(const zg_tx_cache_t *c, const uint8_t hash[32]) { return (size_t)zg_load_le64(hash) & c->mask; }

bool zg_tx_cache_get(zg_tx_cache_t *c, zg_eth_addr_t *sender, const uint8_t hash[32]) {
  if (!c || !sender || !hash) return false;
  size_t b = bucket_of(c, hash);
  bool hit = false;
  atomic_fetch_add_explicit(&c->lookups, 1, memory_order_relaxed);
  pthread_mutex_lock(&c->locks[b % CACHE_LOCKS]);
  cache_bucket_t *bk = &c->buckets[b];
  for (int i = 0; i < CACHE_WAYS; i++) {
    if (bk->slot[i].used && memcmp(bk->slot[i].hash, hash, 32) == 0) {
      *sender = bk->slot[i].addr;
      hit = true;
      break;
    }
  }
  pthread_mutex_unlock(&c->locks[b % CACHE_LOCKS]);
  if (hit) atomic_fetch_add_explicit(&c->hits, 1, memory_order_relaxed);
  return hit;
}

void zg_tx_cache_put(zg_tx_cache_t *c, const uint8_t hash[32], const zg_eth_addr_t *sender) {
  if (!c || !sender || !hash) return;
  size_t b = bucket_of(c, hash);
  pthread_mutex_lock(&c->locks[b % CACHE_LOCKS]);
  cache_bucket_t *bk = &c->buckets[b];
  int at = -1;
  for (int i = 0; i < CACHE_WAYS && at < 0; i++) {
    if (bk->slot[i].used && memcmp(bk->slot[i].hash, hash, 32) == 0) at = i;
  }
  for (int i = 0; i < CACHE_WAYS && at < 0; i++) {
    if (!bk->slot[i].used) at = i;
  }
  if (at < 0) {
    at = bk->next;
    bk->next = (uint8_t)((bk->next + 1) % CACHE_WAYS);
  }
  memcpy(bk->slot[at].hash, hash, 32);
  bk->slot[at].addr = *sender;
  bk->slot[at].used = 1;
  pthread_mutex_unlock(&c->locks[b % CACHE_LOCKS]);
}

void zg_tx_cache_stats(const zg_tx_cache_t *c, uint64_t *lookups, uint64_t *hits) {
  zg_tx_cache_t *m = (zg_tx_cache_t *)c; /* atomics are read, not changed */
  if (lookups) *lookups = m ? atomic_load_explicit(&m->lookups, memory_order_relaxed) : 0;
  if (hits) *hits = m ? atomic_load_explicit(&m->hits, memory_order_relaxed) : 0;
}

zg_err_t zg_tx_sender_cached(zg_eth_addr_t *sender, bool *hit, const zg_tx_t *tx, zg_tx_cache_t *cache) {
  if (hit) *hit = false;
  if (!sender || !tx) return ZG_EINVAL;
  if (cache && zg_tx_cache_get(cache, sender, tx->hash)) {
    if (hit) *hit = true;
    return ZG_OK;
  }
  ZG_TRY(zg_tx_sender(sender, tx));
  if (cache) zg_tx_cache_put(cache, tx->hash, sender);
  return ZG_OK;
}

/*
 * zg/batch.h — transaction batches (layer 4, src/chain/batch.c;
 * docs/chain.md "Batches"). A validator packs transactions of one lane from
 * its mempool into a batch, broadcasts it, and proposals name batches by id.
 *
 * Encoding (canonical codec, zg/codec.h):
 *   batch { u8 lane, list<bytes> txs }    -- each tx the raw envelope
 *   batch id = keccak256(encoding)
 * A batch holds 1..max_txs transactions, each 1..ZG_TX_MAX_SIZE bytes, and
 * its encoding is at most max_bytes. Decoding is zero-copy: the tx slices
 * point into the encoded bytes.
 *
 * zg_batch_recover decodes every transaction and finds its sender through
 * the sender cache (zg/tx.h), so a transaction already seen by gossip or in
 * the mempool costs no second recovery. This is where a validator pays its
 * per-transaction CPU, so it allocates nothing per transaction. A defective
 * transaction inside a batch does not make the batch invalid (the batch is
 * ordered data; execution skips the tx): its entry carries the error.
 */
#ifndef ZG_BATCH_H
#define ZG_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/ecdsa.h"
#include "zg/err.h"
#include "zg/tx.h"

#define ZG_BATCH_MAX_TXS 10000u                /* default limit on transactions */
#define ZG_BATCH_MAX_BYTES (16u * 1024u * 1024u) /* default limit on the encoding */

typedef struct {
  size_t max_txs;   /* 0: ZG_BATCH_MAX_TXS */
  size_t max_bytes; /* 0: ZG_BATCH_MAX_BYTES */
} zg_batch_limits_t;

/* A decoded batch: views into the encoding. txs is storage the batch owns
 * and reuses across decodes (init once, free at the end). */
typedef struct {
  uint8_t lane;
  size_t n;
  zg_slice_t *txs; /* n views into the decoded bytes */
  size_t cap;
} zg_batch_t;

void zg_batch_init(zg_batch_t *b);
void zg_batch_free(zg_batch_t *b);

/* Appends the encoding of a batch of n raw transactions to out. ZG_EINVAL
 * for n == 0 or an empty tx, ZG_ETOOBIG for a tx above ZG_TX_MAX_SIZE. */
ZG_WARN_UNUSED zg_err_t zg_batch_encode(zg_buf_t *out, uint8_t lane, const zg_slice_t *txs, size_t n);
/* The batch id: keccak256 of the encoding. */
void zg_batch_id(uint8_t id[32], const uint8_t *enc, size_t len);

/* Decodes enc[0..len) into b (its views borrow enc). lim may be NULL
 * (defaults). ZG_ETOOBIG when len or a tx exceeds its limit, ZG_EOVERFLOW
 * for a tx count above max_txs, ZG_EEMPTY for no txs or an empty tx,
 * ZG_ETRUNC, ZG_ETRAILING, ZG_ENOMEM. b->n is 0 on failure. */
ZG_WARN_UNUSED zg_err_t zg_batch_decode(zg_batch_t *b, const uint8_t *enc, size_t len,
                                        const zg_batch_limits_t *lim);

/* One transaction of a batch after zg_batch_recover. */
typedef struct {
  zg_tx_t tx;           /* decoded (views into the batch encoding) by
                           zg_tx_decode_nosighash: the signing hash is only
                           computed, inside zg_tx_sender, on a cache miss */
  zg_eth_addr_t sender; /* valid when err == ZG_OK */
  zg_err_t err;         /* ZG_OK, a zg_tx_decode code, ZG_EBADSIG (no key
                           fits), or ZG_ELANE (sender not of the batch's lane) */
} zg_batch_tx_t;

/* Decodes every tx of b into out[0..b->n) and finds each sender through
 * cache (may be NULL). chain_id as for zg_tx_decode; lanes (K) > 0 also
 * checks that each sender is owned by b->lane. *recovered (may be NULL)
 * receives the number of public-key recoveries done (cache misses).
 * Returns ZG_OK whatever the txs hold (see each out[i].err); ZG_EINVAL on
 * bad arguments. */
ZG_WARN_UNUSED zg_err_t zg_batch_recover(zg_batch_tx_t *out, size_t *recovered, const zg_batch_t *b,
                                         uint64_t chain_id, unsigned lanes, zg_tx_cache_t *cache);

#endif

/*
 * storage_internal.h — what the storage contracts (flow.c, market.c,
 * reward.c, mine.c) share: outcome and storage helpers, ABI helpers, and
 * the internal calls between the contracts (Mine → Flow's context, Flow →
 * Reward's books, Mine → Reward's payout).
 *
 * Internal calls: the four contracts live on one lane, and the executor
 * namespaces contract storage by host->self, so one contract acts on
 * another's storage, balance and logs by running with host->self set to the
 * other's address for the duration of the call (SC_AS). Everything stays
 * inside the one call's savepoint, so a revert anywhere rolls all of it
 * back. Storage keys of the four contracts start with distinct tag bytes
 * ('F' Flow, 'M' Market, 'R' Reward, 'N' Mine) so they also coexist in a
 * test host without namespaces.
 */
#ifndef ZG_STORAGE_INTERNAL_H
#define ZG_STORAGE_INTERNAL_H

#include <jansson.h>

#include "zg/abi.h"
#include "zg/storage_contracts.h"

/* ---- outcomes ---- */

zg_sc_status_t zg__sc_revert(zg_sc_result_t *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
zg_sc_status_t zg__sc_fail(zg_sc_result_t *res, zg_err_t e);

/* Evaluates a host call; a failure ends the handler with ZG_SC_FAIL. */
#define SC_HTRY(expr)                                 \
  do {                                                \
    zg_err_t sc__e = (expr);                          \
    if (sc__e != ZG_OK) return zg__sc_fail(res, sc__e); \
  } while (0)
/* Propagates a non-OK handler status. */
#define SC_TRY(expr)                         \
  do {                                       \
    zg_sc_status_t sc__s = (expr);           \
    if (sc__s != ZG_SC_OK) return sc__s;     \
  } while (0)

/* Runs `stmt` with host->self = addr (an internal call). */
#define SC_AS(h, addr, stmt)          \
  do {                                \
    zg_eth_addr_t sc__saved = (h)->self; \
    (h)->self = (addr);               \
    stmt;                             \
    (h)->self = sc__saved;            \
  } while (0)

/* ---- storage ---- */

/* A value of exactly n bytes; *found false when absent. ZG_ECORRUPT on a
 * wrong size. */
zg_err_t zg__sc_get(zg_sc_host_t *h, const uint8_t *k, size_t kl, uint8_t *out, size_t n, bool *found);
zg_err_t zg__sc_get_u64(zg_sc_host_t *h, const uint8_t *k, size_t kl, uint64_t *out, uint64_t dflt);
zg_err_t zg__sc_put_u64(zg_sc_host_t *h, const uint8_t *k, size_t kl, uint64_t v);
zg_err_t zg__sc_get_u256(zg_sc_host_t *h, const uint8_t *k, size_t kl, zg_u256_t *out);
zg_err_t zg__sc_put_u256(zg_sc_host_t *h, const uint8_t *k, size_t kl, const zg_u256_t *v);

/* ---- ABI ---- */

/* Decodes args as tuple type `type` into *items (arena-owned). Reverts with
 * "<who>: malformed arguments" on bad calldata. */
zg_sc_status_t zg__sc_args(zg_sc_result_t *res, zg_abi_arena_t *a, const char *who, const char *type,
                           const uint8_t *args, size_t len, const zg_abi_value_t **items);
/* Sets res->ret to the encoding of vals as tuple type `type`. */
zg_sc_status_t zg__sc_ret(zg_sc_result_t *res, const char *type, const zg_abi_value_t *vals, size_t n);
/* Emits an event from host->self: topic0 = keccak(sig), nt indexed topics,
 * data = vals encoded as tuple data_type (NULL: no data). */
zg_err_t zg__sc_emit(zg_sc_host_t *h, const char *sig, const uint8_t (*topics)[32], unsigned nt,
                     const char *data_type, const zg_abi_value_t *vals, size_t n);
zg_abi_value_t zg__abi_u256(const zg_u256_t *v);
void zg__addr_topic(uint8_t t[32], const zg_eth_addr_t *a);
/* A uint256 argument as u64; false when it does not fit. */
bool zg__abi_u64(uint64_t *out, const zg_abi_value_t *v);

/* ---- genesis JSON ---- */

/* root["storage"][name] as u64 / u256 (decimal string or integer); *ok
 * false when present but malformed; absent leaves *out untouched. */
void zg__json_u64(uint64_t *out, bool *ok, const json_t *root, const char *name);
void zg__json_u256(zg_u256_t *out, bool *ok, const json_t *root, const char *name);

/* ---- Flow (flow.c) ---- */

typedef struct {
  uint64_t epoch;
  uint64_t mine_start;
  uint8_t flow_root[32];
  uint64_t flow_length;
  uint8_t block_digest[32];
  uint8_t digest[32];
} zg__mine_ctx_t;

/* Flow.makeContext() followed by getContext(), as an internal call. */
zg_sc_status_t zg__flow_make_context(zg_sc_host_t *h, zg_sc_result_t *res, zg__mine_ctx_t *ctx);
/* The context makeContext would produce now, without writing (views). */
zg_err_t zg__flow_peek_context(zg_sc_host_t *h, zg__mine_ctx_t *ctx);
/* epochRanges[digest]; *found false (and zeros) when unknown. */
zg_err_t zg__flow_epoch_range(zg_sc_host_t *h, const uint8_t digest[32], uint64_t *start, uint64_t *end,
                              bool *found);

/* ---- Market (market.c) ---- */

zg_err_t zg__market_price(zg_sc_host_t *h, zg_u256_t *price);
/* 0G's FixedPrice.chargeFee, called by Flow with `paid` in Flow's balance:
 * baseFee = price × upload is split between the padding sectors [before,
 * before + padding) and the upload sectors after them in proportion to their
 * counts; the rest of paid (a tip) goes to the upload part. Moves paid to
 * Reward and books it there. */
zg_sc_status_t zg__market_charge(zg_sc_host_t *h, zg_sc_result_t *res, uint64_t before, uint64_t upload,
                                 uint64_t padding, const zg_u256_t *paid);

/* ---- Reward (reward.c) ---- */

/* Books `amount` (already in Reward's balance) over the pricing chunks that
 * sectors [before, before + sectors) touch, pro rata, after the service fee;
 * starts the release of chunks this fill completes. */
zg_sc_status_t zg__reward_fill(zg_sc_host_t *h, zg_sc_result_t *res, uint64_t before, uint64_t sectors,
                               const zg_u256_t *amount);
/* Pays a valid PoRA on pricing chunk `chunk` to beneficiary; *paid = amount. */
zg_sc_status_t zg__reward_claim(zg_sc_host_t *h, zg_sc_result_t *res, uint64_t chunk,
                                const zg_eth_addr_t *beneficiary, const uint8_t miner_id[32], zg_u256_t *paid);

#endif

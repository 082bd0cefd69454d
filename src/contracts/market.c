/*
 * market.c — the Market system contract (0G's FixedPrice market,
 * zg/storage_contracts.h): a fixed pricePerSector set at genesis, and the
 * fee routing Flow runs on every submission (zg__market_charge): the value
 * moves from Flow to Reward, split between the alignment padding and the
 * uploaded sectors in proportion to their counts, the tip with the upload.
 *
 * Storage (Market's namespace): "Mp" pricePerSector u256 (absent: the
 * default ZG_STORAGE_DEFAULT_PRICE_PER_SECTOR).
 *
 * Invariant: Flow keeps no value — every wei sent with a submission is in
 * Reward's balance and books when the submission's call returns.
 */
#include <string.h>

#include "storage_internal.h"

static const uint8_t K_PRICE[] = "Mp";

zg_err_t zg__market_price(zg_sc_host_t *h, zg_u256_t *price) {
  uint8_t w[32];
  bool found;
  zg_err_t e;
  SC_AS(h, zg_market_address, e = zg__sc_get(h, K_PRICE, 2, w, 32, &found));
  ZG_TRY(e);
  if (found) zg_u256_from_be32(price, w);
  else ZG_TRY(zg_u256_parse(price, ZG_STORAGE_DEFAULT_PRICE_PER_SECTOR, strlen(ZG_STORAGE_DEFAULT_PRICE_PER_SECTOR)));
  return ZG_OK;
}

zg_sc_status_t zg__market_charge(zg_sc_host_t *h, zg_sc_result_t *res, uint64_t before, uint64_t upload,
                                 uint64_t padding, const zg_u256_t *paid) {
  zg_u256_t price, base, pad_part = zg_u256_from_u64(0), up_part;
  SC_HTRY(zg__market_price(h, &price));
  if (!zg_u256_mul_u64(&base, &price, upload) || zg_u256_cmp(&base, paid) > 0)
    return zg__sc_revert(res, "Market: fee too low");
  if (padding) {
    /* base × padding / (padding + upload) without overflow: divide first,
     * then add the remainder's share. */
    zg_u256_t q, t;
    uint64_t rem;
    uint64_t tot = padding + upload;
    if (tot < padding) return zg__sc_revert(res, "Market: length overflows");
    zg_u256_divmod_u64(&q, &rem, &base, tot);
    if (!zg_u256_mul_u64(&pad_part, &q, padding)) return zg__sc_revert(res, "Market: fee overflows");
    /* rem × padding / tot < padding (rem < tot, so the product fits 128 bits). */
    t = zg_u256_from_u64(rem);
    (void)zg_u256_mul_u64(&t, &t, padding);
    zg_u256_divmod_u64(&t, NULL, &t, tot);
    (void)zg_u256_add(&pad_part, &pad_part, &t);
  }
  (void)zg_u256_sub(&up_part, paid, &pad_part);
  if (!zg_u256_is_zero(paid)) SC_HTRY(h->transfer(h, &zg_reward_address, paid));
  if (padding) SC_TRY(zg__reward_fill(h, res, before, padding, &pad_part));
  SC_TRY(zg__reward_fill(h, res, before + padding, upload, &up_part));
  return ZG_SC_OK;
}

static zg_sc_status_t m_price(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  (void)args, (void)len;
  zg_u256_t p;
  SC_HTRY(zg__market_price(h, &p));
  zg_abi_value_t v = zg__abi_u256(&p);
  return zg__sc_ret(res, "(uint256)", &v, 1);
}

static zg_sc_status_t m_flow(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  (void)h, (void)args, (void)len;
  zg_abi_value_t v = zg_abi_address(zg_flow_address.bytes);
  return zg__sc_ret(res, "(address)", &v, 1);
}

static zg_sc_status_t m_reward(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  (void)h, (void)args, (void)len;
  zg_abi_value_t v = zg_abi_address(zg_reward_address.bytes);
  return zg__sc_ret(res, "(address)", &v, 1);
}

static zg_sc_status_t market_genesis(zg_sc_host_t *h, const void *genesis_json, zg_sc_result_t *res) {
  zg_u256_t p;
  bool ok = true;
  SC_HTRY(zg_u256_parse(&p, ZG_STORAGE_DEFAULT_PRICE_PER_SECTOR, strlen(ZG_STORAGE_DEFAULT_PRICE_PER_SECTOR)));
  zg__json_u256(&p, &ok, genesis_json, "pricePerSector");
  if (!ok) return zg__sc_revert(res, "Market genesis: storage.pricePerSector is not an amount in wei");
  SC_HTRY(zg__sc_put_u256(h, K_PRICE, 2, &p));
  return zg__sc_ret(res, "()", NULL, 0);
}

static const zg_sc_method_t market_methods[] = {
    {"pricePerSector()", ZG_SC_VIEW, 1000, m_price},
    {"flow()", ZG_SC_VIEW, 1000, m_flow},
    {"reward()", ZG_SC_VIEW, 1000, m_reward},
};

const zg_sc_contract_t zg_market_contract = {
    .name = "Market",
    .address = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x02}},
    .lane = ZG_STORAGE_CONTRACTS_LANE,
    .methods = market_methods,
    .n_methods = sizeof market_methods / sizeof market_methods[0],
    .genesis = market_genesis,
};

/*
 * eth_fees.c — eth_feeHistory(blockCount, newestBlock, rewardPercentiles)
 * as geth computes it: for the blockCount blocks ending at newestBlock (on
 * its lane), the base fee of each and of the next block, the gas-used
 * ratio, and per requested percentile the priority fee paid at that point
 * of the block's gas (transactions sorted by tip, weighted by gas used).
 * One block read per block (with its transactions when rewards are asked
 * for): no per-transaction receipt lookups, so the cost is bounded by
 * blockCount block reads.
 *
 * blockCount is clamped to ZG_ETH_FEE_HISTORY_MAX_BLOCKS and to the blocks
 * that exist (a lane starts at 1; block 0 counts only when the backend
 * serves it). Zero blocks give {"oldestBlock": "0x0"} as geth does.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rpc/eth_internal.h"

typedef struct {
  zg_u256_t tip;
  uint64_t gas;
} tip_t;

static int cmp_tip(const void *a, const void *b) {
  return zg_u256_cmp(&((const tip_t *)a)->tip, &((const tip_t *)b)->tip);
}

static zg_err_t refuse(zg_rpc_call_t *call, zg_err_t e) {
  if (e == ZG_ENOMEM) return e;
  if (e == ZG_EIO || e == ZG_ECORRUPT)
    return zg_rpc_fail(call, ZG_RPC_INTERNAL_ERROR, "internal error: %s", zg_strerror(e));
  return zg_rpc_fail(call, ZG_RPC_SERVER_ERROR, "%s", zg_eth_geth_message(e));
}

/* The percentiles: numbers in [0, 100], non-decreasing. */
static zg_err_t get_percentiles(zg_rpc_call_t *call, double *p, size_t *n, const json_t *v) {
  *n = 0;
  if (!v || json_is_null(v)) return ZG_OK;
  if (!json_is_array(v))
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: rewardPercentiles must be an array of numbers");
  if (json_array_size(v) > ZG_ETH_FEE_HISTORY_MAX_PERCENTILES)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: at most %u reward percentiles",
                       ZG_ETH_FEE_HISTORY_MAX_PERCENTILES);
  for (size_t i = 0; i < json_array_size(v); i++) {
    const json_t *e = json_array_get(v, i);
    if (!json_is_number(e))
      return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: rewardPercentiles must be an array of numbers");
    double x = json_number_value(e);
    if (!(x >= 0 && x <= 100))
      return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: invalid reward percentile: %g", x);
    if (i > 0 && x < p[i - 1])
      return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: invalid reward percentile: #%zu:%g > #%zu:%g",
                         i - 1, p[i - 1], i, x);
    p[i] = x;
  }
  *n = json_array_size(v);
  return ZG_OK;
}

/* The rewards of one block (read with its full transactions) at the np
 * percentiles, appended to row. A mined transaction's tip is its effective
 * gas price above the base fee; each weighs its gas used (its gas limit when
 * the backend does not say), as geth weighs by the receipts' gas. */
static zg_err_t block_rewards(zg_rpc_call_t *call, zg_arena_t *arena, const zg_eth_block_t *b, const double *p,
                              size_t np, json_t *row) {
  if (b->n_txs && !b->txs) return refuse(call, ZG_ESTATE);
  tip_t *tips = b->n_txs ? zg_arena_alloc(arena, b->n_txs * sizeof *tips) : NULL;
  if (b->n_txs && !tips) return ZG_ENOMEM;
  for (size_t i = 0; i < b->n_txs; i++) {
    const zg_eth_tx_t *t = &b->txs[i];
    tips[i].gas = t->gas_used ? t->gas_used : t->gas;
    if (!zg_u256_sub(&tips[i].tip, &t->gas_price, &b->base_fee)) tips[i].tip = zg_u256_from_u64(0);
  }
  if (b->n_txs) qsort(tips, b->n_txs, sizeof *tips, cmp_tip);
  size_t idx = 0;
  uint64_t sum = b->n_txs ? tips[0].gas : 0;
  for (size_t j = 0; j < np; j++) {
    zg_u256_t reward = zg_u256_from_u64(0);
    if (b->n_txs) {
      uint64_t threshold = (uint64_t)((double)b->gas_used * p[j] / 100.0);
      while (sum < threshold && idx + 1 < b->n_txs) sum += tips[++idx].gas;
      reward = tips[idx].tip;
    }
    if (json_array_append_new(row, zg__eth_qty_u256(&reward)) != 0) return ZG_ENOMEM;
  }
  return ZG_OK;
}

static zg_err_t get_block(zg_rpc_call_t *call, const zg_eth_backend_t *be, zg_arena_t *arena, zg_eth_block_t *b,
                          bool *found, uint32_t lane, uint64_t n, bool full) {
  memset(b, 0, sizeof *b);
  zg_err_t e = be->block_by_number(be->ctx, arena, b, lane, n, full);
  *found = e == ZG_OK;
  return e == ZG_OK || e == ZG_ENOTFOUND ? ZG_OK : refuse(call, e);
}

zg_err_t zg__eth_fee_history(zg_rpc_call_t *call, const zg_eth_backend_t *be, zg_arena_t *arena,
                             const json_t *params, json_t **result) {
  uint64_t count, head, newest = 0;
  zg__eth_ref_t ref;
  double pct[ZG_ETH_FEE_HISTORY_MAX_PERCENTILES];
  size_t np;
  ZG_TRY(zg_rpc_params_check(call, params, 2, 3));
  ZG_TRY(zg_rpc_get_u64(call, &count, zg_rpc_param(params, 0, "blockCount"), "blockCount"));
  ZG_TRY(zg__eth_get_tag(call, &ref, zg_rpc_param(params, 1, "newestBlock"), be->lanes, "newestBlock"));
  ZG_TRY(get_percentiles(call, pct, &np, zg_rpc_param(params, 2, "rewardPercentiles")));
  zg_err_t e = be->head(be->ctx, ref.lane, &head);
  if (e != ZG_OK) return refuse(call, e);
  newest = ref.kind == ZG__ETH_NUMBER ? ref.number : ref.kind == ZG__ETH_EARLIEST ? 0 : head;
  if (newest > head)
    return zg_rpc_fail(call, ZG_RPC_SERVER_ERROR, "request beyond head block: requested %" PRIu64 ", head %" PRIu64,
                       newest, head);
  if (count > ZG_ETH_FEE_HISTORY_MAX_BLOCKS) count = ZG_ETH_FEE_HISTORY_MAX_BLOCKS;
  if (count > newest + 1) count = newest + 1;
  uint64_t oldest = newest + 1 - count;
  zg_eth_block_t b;
  bool found = false;
  if (count && oldest == 0) {
    ZG_TRY(get_block(call, be, arena, &b, &found, ref.lane, 0, false));
    if (!found) oldest = 1, count--;
  }
  if (count == 0) {
    *result = json_pack("{s:s}", "oldestBlock", "0x0");
    return *result ? ZG_OK : ZG_ENOMEM;
  }
  json_t *fees = json_array(), *ratios = json_array(), *rewards = np ? json_array() : NULL;
  e = fees && ratios && (rewards || !np) ? ZG_OK : ZG_ENOMEM;
  for (uint64_t n = oldest; e == ZG_OK && n <= newest; n++) {
    e = get_block(call, be, arena, &b, &found, ref.lane, n, np > 0);
    if (e == ZG_OK && !found) e = refuse(call, ZG_ESTATE);
    if (e != ZG_OK) break;
    double ratio = b.gas_limit ? (double)b.gas_used / (double)b.gas_limit : 0.0;
    if (json_array_append_new(fees, zg__eth_qty_u256(&b.base_fee)) != 0 ||
        json_array_append_new(ratios, json_real(ratio)) != 0)
      e = ZG_ENOMEM;
    if (e == ZG_OK && np) {
      json_t *row = json_array();
      e = row ? block_rewards(call, arena, &b, pct, np, row) : ZG_ENOMEM;
      if (json_array_append_new(rewards, row) != 0 && e == ZG_OK) e = ZG_ENOMEM;
    }
  }
  /* The base fee after newest: its successor's, or the next block's to be. */
  zg_u256_t next = zg_u256_from_u64(0);
  if (e == ZG_OK && newest < head) {
    e = get_block(call, be, arena, &b, &found, ref.lane, newest + 1, false);
    if (e == ZG_OK && !found) e = refuse(call, ZG_ESTATE);
    next = b.base_fee;
  } else if (e == ZG_OK) {
    zg_eth_fees_t f;
    memset(&f, 0, sizeof f);
    e = be->fees(be->ctx, &f);
    if (e != ZG_OK) e = refuse(call, e);
    next = f.base_fee;
  }
  if (e == ZG_OK && json_array_append_new(fees, zg__eth_qty_u256(&next)) != 0) e = ZG_ENOMEM;
  if (e == ZG_OK) {
    *result = json_pack("{s:o, s:O, s:O}", "oldestBlock", zg__eth_qty(oldest), "baseFeePerGas", fees,
                        "gasUsedRatio", ratios);
    if (*result && rewards && json_object_set(*result, "reward", rewards) != 0) {
      json_decref(*result);
      *result = NULL;
    }
    if (!*result) e = ZG_ENOMEM;
  }
  json_decref(fees);
  json_decref(ratios);
  json_decref(rewards);
  return e;
}

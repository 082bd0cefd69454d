/*
 * exec.c — block execution (zg/exec.h): imports, transaction checks, value
 * transfers, fees, system-contract calls through a host over the state, and
 * the block's receipts and roots. Encoding of receipts, the bloom and the
 * Merkle roots live in exec_receipt.c; eth_call and gas estimation in
 * exec_call.c.
 *
 * Invariants:
 *  - a block is one state transaction (zg_state_block_*): any error returned
 *    aborts it, so a failed zg_exec_block leaves the lane as it was;
 *  - a dropped transaction makes no write at all (all checks precede the
 *    first write);
 *  - an included transaction's call runs under a savepoint: on revert its
 *    writes, outbox credits and logs are discarded, and only the nonce bump
 *    and the fee (written outside the savepoint) remain;
 *  - only accounts owned by the executing lane are written; a credit to any
 *    other account is routed to the outbox of its owner lane;
 *  - nothing in a block depends on other lanes' state except the outboxes of
 *    the committed heights named by the imports, so execution is a function
 *    of (state, block context, imports, transactions).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "zg/hash.h"
#include "zg/log.h"

zg_err_t zg_exec_create(zg_exec_t **out, zg_state_t *const *states, uint32_t lanes,
                        const zg_sc_registry_t *reg, uint64_t chain_id, const zg_u256_t *base_fee) {
  if (out) *out = NULL;
  if (!out || !states || lanes == 0 || lanes > ZG_STATE_MAX_LANES || !reg || !base_fee) return ZG_EINVAL;
  for (uint32_t i = 0; i < lanes; i++)
    if (!states[i] || zg_state_lane(states[i]) != i || zg_state_lanes(states[i]) != lanes) return ZG_EINVAL;
  for (size_t i = 0; i < zg_sc_count(reg); i++)
    if (zg_sc_at(reg, i)->lane >= lanes) return ZG_EINVAL;
  zg_exec_t *ex = calloc(1, sizeof *ex);
  if (!ex) return ZG_ENOMEM;
  memcpy(ex->states, states, lanes * sizeof *states);
  ex->lanes = lanes;
  ex->reg = reg;
  ex->chain_id = chain_id;
  ex->base_fee = *base_fee;
  *out = ex;
  return ZG_OK;
}

void zg_exec_destroy(zg_exec_t *ex) { free(ex); }

uint32_t zg_exec_owner_lane(const zg_exec_t *ex, const zg_eth_addr_t *addr) {
  const zg_sc_contract_t *c = zg_sc_find(ex->reg, addr);
  return c ? c->lane : (uint32_t)(addr->bytes[19] % ex->lanes);
}

uint64_t zg_exec_intrinsic_gas(const uint8_t *data, size_t len, uint32_t access_addrs, uint32_t access_keys) {
  uint64_t g =
      ZG_GAS_TX + (uint64_t)access_addrs * ZG_GAS_ACCESS_ADDR + (uint64_t)access_keys * ZG_GAS_ACCESS_KEY;
  for (size_t i = 0; i < len; i++) g += data[i] ? ZG_GAS_DATA_NONZERO : ZG_GAS_DATA_ZERO;
  return g;
}

/* A host error that is the node's fault, not the transaction's: it aborts
 * the block. */
static bool fatal(zg_err_t e) { return e == ZG_EIO || e == ZG_ENOMEM || e == ZG_EFULL || e == ZG_ECORRUPT; }

/* Credits amount to `to`: directly when this lane owns it, else through the
 * outbox of its owner lane. */
static zg_err_t route_credit(zg_exec_t *ex, zg_state_block_t *b, const zg_eth_addr_t *to,
                             const zg_u256_t *amount) {
  uint32_t lane = zg_exec_owner_lane(ex, to);
  if (lane == zg_state_lane(zg_state_block_state(b))) return zg_state_credit(b, to, amount);
  return zg_state_outbox_add(b, lane, to, amount);
}

/* ---- the block host ---- */

static zg_err_t note(bhost_t *bh, zg_err_t e) {
  if (fatal(e) && !bh->err) bh->err = e;
  return e;
}

static zg_err_t bh_sget(zg_sc_host_t *h, const uint8_t *k, size_t kl, zg_buf_t *out, bool *found) {
  bhost_t *bh = h->ctx;
  return note(bh, zg_state_sget(bh->b, &h->self, k, kl, out, found));
}
static zg_err_t bh_sput(zg_sc_host_t *h, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
  bhost_t *bh = h->ctx;
  return note(bh, zg_state_sput(bh->b, &h->self, k, kl, v, vl));
}
static zg_err_t bh_sdel(zg_sc_host_t *h, const uint8_t *k, size_t kl) {
  bhost_t *bh = h->ctx;
  return note(bh, zg_state_sdel(bh->b, &h->self, k, kl));
}
static zg_err_t bh_sscan(zg_sc_host_t *h, const uint8_t *p, size_t pl,
                         bool (*fn)(void *, const uint8_t *, size_t, const uint8_t *, size_t), void *arg) {
  bhost_t *bh = h->ctx;
  return note(bh, zg_state_sscan(bh->b, &h->self, p, pl, fn, arg));
}
/* Only accounts of this lane can be read deterministically during a block:
 * another lane's balances move concurrently (ZG_ELANE). */
static zg_err_t bh_balance(zg_sc_host_t *h, const zg_eth_addr_t *who, zg_u256_t *out) {
  bhost_t *bh = h->ctx;
  *out = zg_u256_from_u64(0);
  if (zg_exec_owner_lane(bh->ex, who) != h->lane) return ZG_ELANE;
  zg_account_t a;
  ZG_TRY(note(bh, zg_state_get_account(bh->b, who, &a)));
  *out = a.balance;
  return ZG_OK;
}
static zg_err_t bh_transfer(zg_sc_host_t *h, const zg_eth_addr_t *to, const zg_u256_t *amount) {
  bhost_t *bh = h->ctx;
  zg_err_t e = zg_state_debit(bh->b, &h->self, amount);
  if (e == ZG_EFUNDS) return ZG_ERANGE;
  if (e) return note(bh, e);
  return note(bh, route_credit(bh->ex, bh->b, to, amount));
}
static zg_err_t bh_emit(zg_sc_host_t *h, const zg_sc_log_t *log) {
  bhost_t *bh = h->ctx;
  if (!log || log->n_topics > 4 || (log->data_len && !log->data)) return ZG_EINVAL;
  if (bh->nlogs == bh->caplogs) {
    size_t cap = bh->caplogs ? 2 * bh->caplogs : 8;
    zg_exec_log_t *p = realloc(bh->logs, cap * sizeof *p);
    if (!p) return note(bh, ZG_ENOMEM);
    bh->logs = p;
    bh->caplogs = cap;
  }
  zg_exec_log_t *l = &bh->logs[bh->nlogs];
  memset(l, 0, sizeof *l);
  l->address = log->address;
  memcpy(l->topics, log->topics, sizeof l->topics);
  l->n_topics = log->n_topics;
  if (log->data_len) {
    l->data = malloc(log->data_len);
    if (!l->data) return note(bh, ZG_ENOMEM);
    memcpy(l->data, log->data, log->data_len);
    l->data_len = log->data_len;
  }
  bh->nlogs++;
  return ZG_OK;
}

void zg__exec_host_init(zg_sc_host_t *h, bhost_t *bh, const zg_block_ctx_t *ctx) {
  memset(h, 0, sizeof *h);
  h->ctx = bh;
  h->block_number = ctx->height;
  h->timestamp_ms = ctx->timestamp_ms;
  h->epoch = ctx->epoch;
  h->lane = ctx->lane;
  h->chain_id = ctx->chain_id;
  h->sget = bh_sget;
  h->sput = bh_sput;
  h->sdel = bh_sdel;
  h->sscan = bh_sscan;
  h->balance = bh_balance;
  h->transfer = bh_transfer;
  h->emit = bh_emit;
}

static void drop_logs(bhost_t *bh) {
  for (size_t i = 0; i < bh->nlogs; i++) free(bh->logs[i].data);
  bh->nlogs = 0;
}

/* ---- transactions ---- */

/* The checks that make a transaction droppable; no writes. */
static zg_err_t precheck(zg_exec_t *ex, zg_state_block_t *b, const zg_block_ctx_t *ctx,
                         const zg_exec_tx_t *tx, zg_account_t *acct, zg_err_t *drop) {
  *drop = ZG_OK;
  if (!tx->has_to) return *drop = ZG_EUNSUPPORTED, ZG_OK;
  if (!tx->has_chain_id || tx->chain_id != ex->chain_id) return *drop = ZG_ECHAINID, ZG_OK;
  if (zg_exec_owner_lane(ex, &tx->sender) != ctx->lane) return *drop = ZG_ELANE, ZG_OK;
  const zg_sc_contract_t *c = zg_sc_find(ex->reg, &tx->to);
  if (c && c->lane != ctx->lane) return *drop = ZG_ELANE, ZG_OK;
  if (tx->gas_limit < zg_exec_intrinsic_gas(tx->data, tx->data_len, tx->access_addrs, tx->access_keys))
    return *drop = ZG_EGAS, ZG_OK;
  if (zg_u256_cmp(&tx->max_fee, &ctx->base_fee) < 0 || zg_u256_cmp(&tx->max_priority, &tx->max_fee) > 0)
    return *drop = ZG_EFEE, ZG_OK;
  ZG_TRY(zg_state_get_account(b, &tx->sender, acct));
  if (acct->nonce != tx->nonce) return *drop = ZG_ENONCE, ZG_OK;
  zg_u256_t cost;
  if (!zg_u256_mul_u64(&cost, &tx->max_fee, tx->gas_limit) || !zg_u256_add(&cost, &cost, &tx->value) ||
      zg_u256_cmp(&cost, &acct->balance) > 0)
    return *drop = ZG_EFUNDS, ZG_OK;
  return ZG_OK;
}

/* Runs the value transfer and the call of an included transaction under a
 * savepoint. Sets r->status, r->reason, *gas (on top of intrinsic). */
static zg_err_t run_call(zg_exec_t *ex, zg_state_block_t *b, bhost_t *bh, const zg_block_ctx_t *ctx,
                         const zg_exec_tx_t *tx, uint64_t intrinsic, zg_exec_receipt_t *r,
                         uint64_t *gas_used) {
  const zg_sc_contract_t *c = zg_sc_find(ex->reg, &tx->to);
  *gas_used = intrinsic;
  r->status = 1;
  ZG_TRY(zg_state_savepoint(b));
  zg_err_t e = zg_state_debit(b, &tx->sender, &tx->value);
  if (!e) e = route_credit(ex, b, &tx->to, &tx->value);
  if (e == ZG_EOVERFLOW) {
    r->status = 0;
    snprintf(r->reason, sizeof r->reason, "balance overflow");
    e = ZG_OK;
  }
  if (e) goto fail;
  if (c && r->status) {
    uint64_t mgas = 0;
    if (zg_sc_gas(ex->reg, &tx->to, tx->data, tx->data_len, &mgas) == ZG_OK &&
        tx->gas_limit - intrinsic < mgas) {
      r->status = 0;
      snprintf(r->reason, sizeof r->reason, "out of gas");
      *gas_used = tx->gas_limit;
    } else {
      zg_sc_host_t h;
      zg__exec_host_init(&h, bh, ctx);
      h.caller = tx->sender;
      h.self = tx->to;
      h.value = tx->value;
      zg_sc_result_t res;
      e = zg_sc_call(ex->reg, &h, tx->data, tx->data_len, &res);
      *gas_used += res.gas;
      if (res.status != ZG_SC_OK) {
        r->status = 0;
        memcpy(r->reason, res.reason, sizeof r->reason);
      }
      zg_sc_result_free(&res);
      if (e || bh->err) {
        e = bh->err ? bh->err : e;
        goto fail;
      }
    }
  }
  if (r->status) return zg_state_release(b);
  zg_state_rollback(b);
  drop_logs(bh);
  return ZG_OK;
fail:
  zg_state_rollback(b);
  drop_logs(bh);
  return e;
}

/* A transaction to an account without code: the sender's nonce, value and
 * fee in one write, no savepoint (a nested LMDB transaction costs more than
 * the transfer). The debit cannot fail: the balance covers
 * gas_limit * max_fee + value. A credit that would overflow the recipient
 * (impossible with any real supply) reverts the value by hand. */
static zg_err_t plain_transfer(zg_exec_t *ex, zg_state_block_t *b, const zg_exec_tx_t *tx, zg_account_t *acct,
                               const zg_u256_t *price, uint64_t gas, zg_exec_receipt_t *r) {
  zg_u256_t fee;
  (void)zg_u256_mul_u64(&fee, price, gas);
  if (!zg_u256_sub(&acct->balance, &acct->balance, &fee) ||
      !zg_u256_sub(&acct->balance, &acct->balance, &tx->value))
    return ZG_ESTATE; /* precheck guarantees otherwise */
  ZG_TRY(zg_state_put_account(b, &tx->sender, acct));
  r->status = 1;
  if (zg_u256_is_zero(&tx->value)) return ZG_OK;
  zg_err_t e = route_credit(ex, b, &tx->to, &tx->value);
  if (e != ZG_EOVERFLOW) return e;
  r->status = 0;
  snprintf(r->reason, sizeof r->reason, "balance overflow");
  return zg_state_credit(b, &tx->sender, &tx->value);
}

/* Executes one transaction: dropped, or included with a receipt. */
static zg_err_t exec_tx(zg_exec_t *ex, zg_state_block_t *b, bhost_t *bh, const zg_block_ctx_t *ctx,
                        const zg_exec_tx_t *tx, zg_exec_receipt_t *r, uint64_t *cumulative) {
  zg_account_t acct;
  r->type = tx->type;
  memcpy(r->tx_hash, tx->hash, 32);
  ZG_TRY(precheck(ex, b, ctx, tx, &acct, &r->drop_reason));
  if (r->drop_reason) {
    r->dropped = true;
    return ZG_OK;
  }
  /* price = min(max_fee, base + priority); tip = price - base. */
  zg_u256_t price, tip, fee, tipped;
  if (!zg_u256_add(&price, &ctx->base_fee, &tx->max_priority) || zg_u256_cmp(&price, &tx->max_fee) > 0)
    price = tx->max_fee;
  (void)zg_u256_sub(&tip, &price, &ctx->base_fee);
  r->effective_price = price;
  uint64_t intrinsic = zg_exec_intrinsic_gas(tx->data, tx->data_len, tx->access_addrs, tx->access_keys), gas;
  acct.nonce++;
  if (!zg_sc_find(ex->reg, &tx->to)) {
    ZG_TRY(plain_transfer(ex, b, tx, &acct, &price, intrinsic, r));
    gas = intrinsic;
  } else {
    ZG_TRY(zg_state_put_account(b, &tx->sender, &acct));
    ZG_TRY(run_call(ex, b, bh, ctx, tx, intrinsic, r, &gas));
    if (gas > tx->gas_limit) gas = tx->gas_limit;
    /* The balance covers gas_limit * max_fee (checked, and a call can only
     * add to the sender's balance), so the fee debit cannot fail for funds. */
    (void)zg_u256_mul_u64(&fee, &price, gas);
    ZG_TRY(zg_state_debit(b, &tx->sender, &fee));
  }
  (void)zg_u256_mul_u64(&tipped, &tip, gas);
  if (!zg_u256_is_zero(&tipped)) ZG_TRY(route_credit(ex, b, &ctx->proposer, &tipped));
  r->gas_used = gas;
  *cumulative += gas;
  r->cumulative_gas = *cumulative;
  r->logs = bh->logs;
  r->n_logs = bh->nlogs;
  bh->logs = NULL;
  bh->nlogs = bh->caplogs = 0;
  for (size_t i = 0; i < r->n_logs; i++)
    zg_exec_bloom_add(r->bloom, r->logs[i].address.bytes, (const uint8_t(*)[32])r->logs[i].topics,
                      r->logs[i].n_topics);
  return ZG_OK;
}

/* Applies the credits of the imported heights of every other lane. */
static zg_err_t apply_imports(zg_exec_t *ex, zg_state_block_t *b, uint32_t lane, const uint64_t *imports) {
  zg_err_t e = ZG_OK;
  zg_credit_t *cr = NULL;
  for (uint32_t src = 0; src < ex->lanes && !e; src++) {
    if (src == lane) continue;
    uint64_t cur;
    if ((e = zg_state_get_import(b, src, &cur))) break;
    if (imports[src] < cur) {
      e = ZG_EINVAL;
      break;
    }
    for (uint64_t h = cur + 1; h <= imports[src] && !e; h++) {
      size_t n = 0;
      e = zg_state_outbox(ex->states[src], lane, h, &cr, &n);
      for (size_t i = 0; i < n && !e; i++) e = zg_state_credit(b, &cr[i].to, &cr[i].amount);
      free(cr);
      cr = NULL;
    }
    if (!e && imports[src] != cur) e = zg_state_set_import(b, src, imports[src]);
  }
  return e;
}

/* Transaction and receipts roots and the block bloom of an executed list. */
static zg_err_t block_roots(zg_exec_result_t *res) {
  uint8_t(*tl)[32] = malloc((res->n_included ? res->n_included : 1) * sizeof *tl);
  uint8_t(*rl)[32] = malloc((res->n_included ? res->n_included : 1) * sizeof *rl);
  zg_buf_t enc;
  zg_buf_init(&enc);
  zg_err_t e = tl && rl ? ZG_OK : ZG_ENOMEM;
  size_t k = 0;
  for (size_t i = 0; i < res->n && !e; i++) {
    const zg_exec_receipt_t *r = &res->receipts[i];
    if (r->dropped) continue;
    memcpy(tl[k], r->tx_hash, 32);
    enc.len = 0;
    e = zg_exec_receipt_encode(&enc, r);
    if (!e) zg_keccak256(rl[k], enc.ptr, enc.len);
    for (int j = 0; j < 256; j++) res->bloom[j] |= r->bloom[j];
    k++;
  }
  if (!e) e = zg_exec_merkle_root(res->tx_root, (const uint8_t(*)[32])tl, k);
  if (!e) e = zg_exec_merkle_root(res->receipts_root, (const uint8_t(*)[32])rl, k);
  zg_buf_clear(&enc);
  free(tl);
  free(rl);
  return e;
}

/* Runs the block's end hook against the block host (see zg/exec.h). */
static zg_err_t end_block(bhost_t *bh, const zg_block_ctx_t *ctx) {
  zg_sc_host_t h;
  zg__exec_host_init(&h, bh, ctx);
  zg_err_t e = ctx->end_block(ctx->end_arg, &h, ctx);
  drop_logs(bh);
  return bh->err ? bh->err : e;
}

zg_err_t zg_exec_block(zg_exec_t *ex, zg_exec_result_t *res, const zg_block_ctx_t *ctx,
                       const uint64_t *imports, const zg_exec_tx_t *txs, size_t n) {
  if (res) memset(res, 0, sizeof *res);
  if (!ex || !res || !ctx || !imports || (n && !txs) || ctx->lane >= ex->lanes) return ZG_EINVAL;
  if (ctx->chain_id != ex->chain_id) return ZG_ECHAINID;
  zg_state_block_t *b;
  ZG_TRY(zg_state_block_begin(ex->states[ctx->lane], &b, ctx->height));
  bhost_t bh = {.ex = ex, .b = b};
  uint64_t cumulative = 0;
  uint32_t log_index = 0;
  zg_err_t e = apply_imports(ex, b, ctx->lane, imports);
  if (!e && n) {
    res->receipts = calloc(n, sizeof *res->receipts);
    if (!res->receipts) e = ZG_ENOMEM;
  }
  res->n = res->receipts ? n : 0;
  for (size_t i = 0; i < n && !e; i++) {
    zg_exec_receipt_t *r = &res->receipts[i];
    e = exec_tx(ex, b, &bh, ctx, &txs[i], r, &cumulative);
    if (e || r->dropped) continue;
    r->index = (uint32_t)res->n_included++;
    for (size_t j = 0; j < r->n_logs; j++) r->logs[j].log_index = log_index++;
  }
  res->gas_used = cumulative;
  if (!e && ctx->end_block) e = end_block(&bh, ctx);
  if (!e) e = block_roots(res);
  drop_logs(&bh);
  free(bh.logs);
  if (e) {
    zg_state_block_abort(b);
    zg_exec_result_free(res);
    return e;
  }
  e = zg_state_block_commit(b, res->receipts_root, res->state);
  if (e) zg_exec_result_free(res);
  return e;
}

zg_err_t zg_exec_genesis(zg_exec_t *ex, uint32_t lane, const zg_genesis_alloc_t *alloc, size_t n,
                         const void *genesis_json, uint64_t timestamp_ms, uint8_t digest[32]) {
  if (!ex || lane >= ex->lanes || (n && !alloc)) return ZG_EINVAL;
  zg_state_block_t *b;
  ZG_TRY(zg_state_block_begin(ex->states[lane], &b, 0));
  bhost_t bh = {.ex = ex, .b = b};
  zg_err_t e = ZG_OK;
  for (size_t i = 0; i < n && !e; i++)
    if (zg_exec_owner_lane(ex, &alloc[i].addr) == lane)
      e = zg_state_credit(b, &alloc[i].addr, &alloc[i].balance);
  zg_block_ctx_t ctx = {.lane = lane, .timestamp_ms = timestamp_ms, .chain_id = ex->chain_id};
  for (size_t i = 0; i < zg_sc_count(ex->reg) && !e; i++) {
    const zg_sc_contract_t *c = zg_sc_at(ex->reg, i);
    if (c->lane != lane || !c->genesis) continue;
    zg_sc_host_t h;
    zg__exec_host_init(&h, &bh, &ctx);
    h.self = c->address;
    zg_sc_result_t r;
    zg_buf_init(&r.ret);
    r.status = ZG_SC_OK;
    r.reason[0] = 0;
    r.gas = 0;
    zg_sc_status_t st = c->genesis(&h, genesis_json, &r);
    if (bh.err)
      e = bh.err;
    else if (st == ZG_SC_FAIL)
      e = ZG_EIO;
    else if (st == ZG_SC_REVERT) {
      zg_log(ZG_LOG_ERROR, "exec", "genesis of %s reverted: %s", c->name, r.reason);
      e = ZG_EREVERT;
    }
    zg_sc_result_free(&r);
  }
  /* Genesis logs are not kept: there is no receipt to hold them. */
  drop_logs(&bh);
  free(bh.logs);
  uint8_t empty[32];
  zg_keccak256(empty, "", 0);
  if (e) {
    zg_state_block_abort(b);
    return e;
  }
  return zg_state_block_commit(b, empty, digest);
}

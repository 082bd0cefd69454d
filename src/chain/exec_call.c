/*
 * exec_call.c — eth_call and eth_estimateGas (zg/exec.h): calls against a
 * read snapshot of the contract's lane at its last executed block.
 *
 * Invariants: nothing here opens a write transaction, so RPC reads never
 * wait for (or delay) block execution; every write a handler attempts
 * fails with ZG_EPERM and the call reverts (zg_sc_call enforces it too).
 * The host's block_number is the lane's executed height; timestamp and
 * epoch are not known to the state and read as 0.
 */
#include <stdio.h>
#include <string.h>

#include "exec_internal.h"
#include "zg/abi.h"

typedef struct {
  zg_exec_t *ex;
  zg_state_view_t *v;
  uint32_t lane;
} vhost_t;

static zg_err_t vh_sget(zg_sc_host_t *h, const uint8_t *k, size_t kl, zg_buf_t *out, bool *found) {
  vhost_t *vh = h->ctx;
  return zg_state_view_sget(vh->v, &h->self, k, kl, out, found);
}
static zg_err_t vh_sput(zg_sc_host_t *h, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
  return ZG_EPERM;
}
static zg_err_t vh_sdel(zg_sc_host_t *h, const uint8_t *k, size_t kl) { return ZG_EPERM; }
static zg_err_t vh_sscan(zg_sc_host_t *h, const uint8_t *p, size_t pl,
                         bool (*fn)(void *, const uint8_t *, size_t, const uint8_t *, size_t), void *arg) {
  vhost_t *vh = h->ctx;
  return zg_state_view_sscan(vh->v, &h->self, p, pl, fn, arg);
}
static zg_err_t vh_balance(zg_sc_host_t *h, const zg_eth_addr_t *who, zg_u256_t *out) {
  vhost_t *vh = h->ctx;
  uint32_t lane = zg_exec_owner_lane(vh->ex, who);
  zg_account_t a;
  zg_err_t e = lane == vh->lane ? zg_state_view_account(vh->v, who, &a)
                                : zg_state_account(vh->ex->states[lane], who, &a);
  *out = e ? zg_u256_from_u64(0) : a.balance;
  return e;
}
static zg_err_t vh_transfer(zg_sc_host_t *h, const zg_eth_addr_t *to, const zg_u256_t *amount) {
  return ZG_EPERM;
}
static zg_err_t vh_emit(zg_sc_host_t *h, const zg_sc_log_t *log) { return ZG_EPERM; }

zg_err_t zg_exec_call(zg_exec_t *ex, zg_sc_result_t *res, const zg_eth_addr_t *from, const zg_eth_addr_t *to,
                      const zg_u256_t *value, const uint8_t *data, size_t len) {
  if (res) {
    memset(res, 0, sizeof *res);
    zg_buf_init(&res->ret);
  }
  if (!ex || !res || !to || (len && !data)) return ZG_EINVAL;
  const zg_sc_contract_t *c = zg_sc_find(ex->reg, to);
  if (!c) return ZG_OK; /* an account without code: empty return data */
  vhost_t vh = {.ex = ex, .lane = c->lane};
  ZG_TRY(zg_state_view_begin(ex->states[c->lane], &vh.v));
  zg_sc_host_t h;
  memset(&h, 0, sizeof h);
  h.ctx = &vh;
  if (from) h.caller = *from;
  h.self = *to;
  if (value) h.value = *value;
  uint64_t height = 0;
  if (zg_state_height(ex->states[c->lane], &height, NULL) != ZG_OK) height = 0;
  h.block_number = height;
  h.lane = c->lane;
  h.chain_id = ex->chain_id;
  h.read_only = true;
  h.sget = vh_sget;
  h.sput = vh_sput;
  h.sdel = vh_sdel;
  h.sscan = vh_sscan;
  h.balance = vh_balance;
  h.transfer = vh_transfer;
  h.emit = vh_emit;
  zg_err_t e = zg_sc_call(ex->reg, &h, data, len, res);
  zg_state_view_end(vh.v);
  return e;
}

zg_err_t zg_exec_estimate_gas(zg_exec_t *ex, uint64_t *gas, char *reason, const zg_eth_addr_t *from,
                              const zg_eth_addr_t *to, const zg_u256_t *value, const uint8_t *data,
                              size_t len) {
  if (gas) *gas = 0;
  if (reason) reason[0] = 0;
  if (!ex || !gas || !to || (len && !data)) return ZG_EINVAL;
  uint64_t g = zg_exec_intrinsic_gas(data, len, 0, 0);
  const zg_sc_contract_t *c = zg_sc_find(ex->reg, to);
  if (!c) {
    *gas = g;
    return ZG_OK;
  }
  const zg_sc_method_t *m = NULL;
  for (size_t i = 0; len >= 4 && i < c->n_methods && !m; i++) {
    uint8_t sel[4];
    zg_abi_selector(sel, c->methods[i].signature, strlen(c->methods[i].signature));
    if (memcmp(sel, data, 4) == 0) m = &c->methods[i];
  }
  bool paid = value && !zg_u256_is_zero(value);
  const char *why = !m                                    ? "unknown method"
                    : paid && !(m->flags & ZG_SC_PAYABLE) ? "method is not payable"
                                                          : NULL;
  if (why) {
    if (reason) snprintf(reason, 256, "%s: %s", c->name, why);
    return ZG_EREVERT;
  }
  if (m->flags & ZG_SC_VIEW) {
    zg_sc_result_t r;
    ZG_TRY(zg_exec_call(ex, &r, from, to, value, data, len));
    bool reverted = r.status != ZG_SC_OK;
    if (reverted && reason) snprintf(reason, 256, "%s", r.reason);
    zg_sc_result_free(&r);
    if (reverted) return ZG_EREVERT;
  }
  *gas = g + m->gas;
  return ZG_OK;
}

/*
 * eth.c — the Ethereum JSON-RPC methods of zg/eth_rpc.h: each handler
 * decodes its params (eth_params.c), asks the backend, and answers in
 * geth's shapes (eth_json.c) with geth's errors.
 *
 * Invariants: nothing a caller sends can abort the process or reach the
 * backend undecoded; malformed params are -32602 with a message naming the
 * parameter; unknown blocks, transactions and receipts are JSON null;
 * backend refusals are -32000 with geth's text (or the backend's own);
 * reverts of eth_call and eth_estimateGas are code 3 with
 * "execution reverted: <reason>" and the Error(string) bytes as data, which
 * ethers.js decodes. Every handler runs with an arena (the request's, or one
 * of its own when the caller gave none) that holds the backend's views until
 * the JSON is built.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpc/eth_internal.h"

/* JSON-RPC code of a reverted call (geth's, which ethers.js expects). */
#define ETH_REVERT_CODE 3

typedef struct {
  zg_rpc_call_t *call;
  const zg_eth_backend_t *be;
  zg_arena_t *arena;
} ctx_t;

typedef zg_err_t (*eth_fn)(ctx_t *c, const json_t *params, json_t **result);

static zg_err_t run(zg_rpc_call_t *call, const json_t *params, json_t **result, eth_fn fn) {
  ctx_t c = {call, call->arg, call->arena};
  zg_arena_t *own = NULL;
  *result = NULL;
  if (!c.arena) {
    own = c.arena = zg_arena_create();
    if (!own) return ZG_ENOMEM;
  }
  zg_err_t e = fn(&c, params, result);
  if (e != ZG_OK) {
    json_decref(*result);
    *result = NULL;
  }
  zg_arena_destroy(own);
  return e;
}

/* A backend refusal: -32000 with the backend's message or geth's text for
 * the code; faults of the node itself are -32603. */
static zg_err_t refuse(ctx_t *c, zg_err_t e, zg_eth_msg_t *msg) {
  if (e == ZG_ENOMEM) return e;
  if (e == ZG_EIO || e == ZG_ECORRUPT)
    return zg_rpc_fail(c->call, ZG_RPC_INTERNAL_ERROR, "internal error: %s", zg_strerror(e));
  if (msg) msg->text[sizeof msg->text - 1] = 0;
  return zg_rpc_fail(c->call, ZG_RPC_SERVER_ERROR, "%s", msg && msg->text[0] ? msg->text : zg_eth_geth_message(e));
}

static zg_err_t ok(json_t **result, json_t *v) {
  *result = v;
  return v ? ZG_OK : ZG_ENOMEM;
}

static zg_err_t head(ctx_t *c, uint32_t lane, uint64_t *h) {
  zg_err_t e = c->be->head(c->be->ctx, lane, h);
  return e == ZG_OK ? ZG_OK : refuse(c, e, NULL);
}

/* The (lane, number) a tag names; a number may be above the head. */
static zg_err_t resolve(ctx_t *c, const zg__eth_ref_t *ref, uint32_t *lane, uint64_t *number) {
  *lane = ref->lane;
  *number = ref->kind == ZG__ETH_NUMBER ? ref->number : 0;
  if (ref->kind == ZG__ETH_LATEST || ref->kind == ZG__ETH_PENDING) return head(c, ref->lane, number);
  return ZG_OK;
}

/* State queries run on the latest state only: the block named must be its
 * lane's head (docs/eth-rpc.md). */
static zg_err_t at_latest(ctx_t *c, const zg__eth_ref_t *ref) {
  if (ref->kind == ZG__ETH_LATEST || ref->kind == ZG__ETH_PENDING) return ZG_OK;
  uint32_t lane = ref->lane;
  uint64_t number = ref->kind == ZG__ETH_NUMBER ? ref->number : 0, h;
  if (ref->kind == ZG__ETH_HASH) {
    zg_eth_block_t b;
    memset(&b, 0, sizeof b);
    zg_err_t e = c->be->block_by_hash(c->be->ctx, c->arena, &b, ref->hash, false);
    if (e == ZG_ENOTFOUND) return zg_rpc_fail(c->call, ZG_RPC_SERVER_ERROR, "header for hash not found");
    if (e != ZG_OK) return refuse(c, e, NULL);
    lane = b.lane;
    number = b.number;
  }
  ZG_TRY(head(c, lane, &h));
  if (number > h) return zg_rpc_fail(c->call, ZG_RPC_SERVER_ERROR, "header not found");
  if (number < h)
    return zg_rpc_fail(c->call, ZG_RPC_SERVER_ERROR,
                       "historical state not available: this node keeps the latest state only (block 0x%" PRIx64
                       "@%" PRIu32 ", head 0x%" PRIx64 ")", number, lane, h);
  return ZG_OK;
}

/* ---- Chain identity and head ---- */

static zg_err_t m_chain_id(ctx_t *c, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(c->call, params, 0, 0));
  return ok(result, zg__eth_qty(c->be->chain_id));
}

static zg_err_t m_net_version(ctx_t *c, const json_t *params, json_t **result) {
  char s[24];
  ZG_TRY(zg_rpc_params_check(c->call, params, 0, 0));
  snprintf(s, sizeof s, "%" PRIu64, c->be->chain_id);
  return ok(result, json_string(s));
}

static zg_err_t m_client_version(ctx_t *c, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(c->call, params, 0, 0));
  const char *v = c->be->client_version ? c->be->client_version : "zg/v" ZG_VERSION_STR;
  return ok(result, json_string(v));
}

static zg_err_t m_net_listening(ctx_t *c, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(c->call, params, 0, 0));
  return ok(result, json_true());
}

static zg_err_t m_syncing(ctx_t *c, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(c->call, params, 0, 0));
  return ok(result, json_false());
}

static zg_err_t m_accounts(ctx_t *c, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(c->call, params, 0, 0));
  return ok(result, json_array());
}

static zg_err_t m_block_number(ctx_t *c, const json_t *params, json_t **result) {
  uint64_t h;
  ZG_TRY(zg_rpc_params_check(c->call, params, 0, 0));
  ZG_TRY(head(c, 0, &h));
  return ok(result, zg__eth_qty(h));
}

/* ---- Blocks ---- */

/* Fetches a block by (lane, number) or by hash; *found false when unknown. */
static zg_err_t get_block(ctx_t *c, zg_eth_block_t *b, bool *found, const uint8_t *hash, uint32_t lane,
                          uint64_t number, bool full) {
  memset(b, 0, sizeof *b);
  zg_err_t e = hash ? c->be->block_by_hash(c->be->ctx, c->arena, b, hash, full)
                    : c->be->block_by_number(c->be->ctx, c->arena, b, lane, number, full);
  *found = e == ZG_OK;
  if (e == ZG_ENOTFOUND) return ZG_OK;
  return e == ZG_OK ? ZG_OK : refuse(c, e, NULL);
}

/* The block named by params[0] (a tag, or a hash when by_hash); nargs is
 * the number of parameters the method takes (the second is "full"). */
static zg_err_t named_block(ctx_t *c, const json_t *params, bool by_hash, size_t nargs, zg_eth_block_t *b,
                            bool *found, bool *full) {
  uint8_t hash[32];
  zg__eth_ref_t ref;
  uint32_t lane = 0;
  uint64_t number = 0;
  *found = false;
  *full = false;
  ZG_TRY(zg_rpc_params_check(c->call, params, 1, nargs));
  if (by_hash) {
    ZG_TRY(zg_rpc_get_hash(c->call, hash, zg_rpc_param(params, 0, "blockHash"), "block hash"));
  } else {
    ZG_TRY(zg__eth_get_tag(c->call, &ref, zg_rpc_param(params, 0, "blockNumber"), c->be->lanes, "block number"));
    ZG_TRY(resolve(c, &ref, &lane, &number));
  }
  const json_t *fv = nargs == 2 ? zg_rpc_param(params, 1, "fullTransactions") : NULL;
  if (fv && !json_is_null(fv)) ZG_TRY(zg_rpc_get_bool(c->call, full, fv, "fullTransactions"));
  return get_block(c, b, found, by_hash ? hash : NULL, lane, number, *full);
}

static zg_err_t block_method(ctx_t *c, const json_t *params, json_t **result, bool by_hash) {
  zg_eth_block_t b;
  bool found, full;
  ZG_TRY(named_block(c, params, by_hash, 2, &b, &found, &full));
  if (!found) return ZG_OK;
  if (full && !b.txs && b.n_txs) return refuse(c, ZG_ESTATE, NULL);
  return ok(result, zg__eth_block_json(&b, full));
}

static zg_err_t m_block_by_number(ctx_t *c, const json_t *params, json_t **result) {
  return block_method(c, params, result, false);
}

static zg_err_t m_block_by_hash(ctx_t *c, const json_t *params, json_t **result) {
  return block_method(c, params, result, true);
}

static zg_err_t tx_count_method(ctx_t *c, const json_t *params, json_t **result, bool by_hash) {
  zg_eth_block_t b;
  bool found, full;
  ZG_TRY(named_block(c, params, by_hash, 1, &b, &found, &full));
  return found ? ok(result, zg__eth_qty(b.n_txs)) : ZG_OK;
}

static zg_err_t m_tx_count_by_number(ctx_t *c, const json_t *params, json_t **result) {
  return tx_count_method(c, params, result, false);
}

static zg_err_t m_tx_count_by_hash(ctx_t *c, const json_t *params, json_t **result) {
  return tx_count_method(c, params, result, true);
}

static zg_err_t tx_by_index_method(ctx_t *c, const json_t *params, json_t **result, bool by_hash) {
  uint8_t hash[32];
  zg__eth_ref_t ref;
  uint32_t lane = 0;
  uint64_t number = 0, index;
  zg_eth_block_t b;
  bool found;
  ZG_TRY(zg_rpc_params_check(c->call, params, 2, 2));
  if (by_hash) {
    ZG_TRY(zg_rpc_get_hash(c->call, hash, zg_rpc_param(params, 0, NULL), "block hash"));
  } else {
    ZG_TRY(zg__eth_get_tag(c->call, &ref, zg_rpc_param(params, 0, NULL), c->be->lanes, "block number"));
    ZG_TRY(resolve(c, &ref, &lane, &number));
  }
  ZG_TRY(zg_rpc_get_u64(c->call, &index, zg_rpc_param(params, 1, NULL), "transaction index"));
  ZG_TRY(get_block(c, &b, &found, by_hash ? hash : NULL, lane, number, true));
  if (!found || index >= b.n_txs) return ZG_OK;
  if (!b.txs) return refuse(c, ZG_ESTATE, NULL);
  return ok(result, zg__eth_tx_json(&b.txs[index]));
}

static zg_err_t m_tx_by_number_index(ctx_t *c, const json_t *params, json_t **result) {
  return tx_by_index_method(c, params, result, false);
}

static zg_err_t m_tx_by_hash_index(ctx_t *c, const json_t *params, json_t **result) {
  return tx_by_index_method(c, params, result, true);
}

/* ---- Accounts ---- */

/* Decodes (address, block) and checks the block names the latest state. */
static zg_err_t account_params(ctx_t *c, const json_t *params, zg_eth_addr_t *addr, zg__eth_ref_t *ref) {
  ZG_TRY(zg_rpc_params_check(c->call, params, 1, 2));
  ZG_TRY(zg__eth_get_addr(c->call, addr, zg_rpc_param(params, 0, "address"), "address"));
  ZG_TRY(zg__eth_get_ref(c->call, ref, zg_rpc_param(params, 1, "block"), c->be->lanes, "block"));
  return at_latest(c, ref);
}

static zg_err_t m_get_balance(ctx_t *c, const json_t *params, json_t **result) {
  zg_eth_addr_t addr;
  zg__eth_ref_t ref;
  zg_u256_t bal;
  uint64_t nonce;
  ZG_TRY(account_params(c, params, &addr, &ref));
  zg_err_t e = c->be->account(c->be->ctx, &bal, &nonce, &addr, false);
  if (e != ZG_OK) return refuse(c, e, NULL);
  return ok(result, zg__eth_qty_u256(&bal));
}

static zg_err_t m_get_tx_count(ctx_t *c, const json_t *params, json_t **result) {
  zg_eth_addr_t addr;
  zg__eth_ref_t ref;
  zg_u256_t bal;
  uint64_t nonce;
  ZG_TRY(account_params(c, params, &addr, &ref));
  zg_err_t e = c->be->account(c->be->ctx, &bal, &nonce, &addr, ref.kind == ZG__ETH_PENDING);
  if (e != ZG_OK) return refuse(c, e, NULL);
  return ok(result, zg__eth_qty(nonce));
}

static zg_err_t m_get_code(ctx_t *c, const json_t *params, json_t **result) {
  zg_eth_addr_t addr;
  zg__eth_ref_t ref;
  const uint8_t *code = NULL;
  size_t len = 0;
  ZG_TRY(account_params(c, params, &addr, &ref));
  zg_err_t e = c->be->code(c->be->ctx, c->arena, &code, &len, &addr);
  if (e != ZG_OK) return refuse(c, e, NULL);
  return ok(result, zg__eth_data(code, code ? len : 0));
}

/* ---- Fees ---- */

static zg_err_t fees(ctx_t *c, zg_eth_fees_t *f) {
  memset(f, 0, sizeof *f);
  zg_err_t e = c->be->fees(c->be->ctx, f);
  return e == ZG_OK ? ZG_OK : refuse(c, e, NULL);
}

static zg_err_t m_gas_price(ctx_t *c, const json_t *params, json_t **result) {
  zg_eth_fees_t f;
  ZG_TRY(zg_rpc_params_check(c->call, params, 0, 0));
  ZG_TRY(fees(c, &f));
  return ok(result, zg__eth_qty_u256(&f.gas_price));
}

static zg_err_t m_max_priority_fee(ctx_t *c, const json_t *params, json_t **result) {
  zg_eth_fees_t f;
  ZG_TRY(zg_rpc_params_check(c->call, params, 0, 0));
  ZG_TRY(fees(c, &f));
  return ok(result, zg__eth_qty_u256(&f.max_priority_fee));
}

/* ---- Calls and transactions ---- */

/* Solidity's Error(string) encoding of reason: selector 0x08c379a0, the
 * offset 0x20, the length, the bytes padded to 32. out holds 4 + 96 + 256. */
static size_t error_string(uint8_t *out, const char *reason) {
  size_t n = strlen(reason), padded = (n + 31) / 32 * 32;
  memset(out, 0, 4 + 64 + padded);
  memcpy(out, "\x08\xc3\x79\xa0", 4);
  out[4 + 31] = 0x20;
  zg_store_be64(out + 4 + 56, n);
  memcpy(out + 4 + 64, reason, n);
  return 4 + 64 + padded;
}

/* code 3, "execution reverted[: reason]", data = the revert payload (the
 * reason's Error(string) encoding when the backend gave a reason only). */
static zg_err_t reverted(ctx_t *c, zg_eth_call_result_t *r) {
  uint8_t enc[4 + 64 + sizeof r->reason];
  r->reason[sizeof r->reason - 1] = 0;
  if ((!r->ret || !r->ret_len) && r->reason[0]) {
    r->ret = enc;
    r->ret_len = error_string(enc, r->reason);
  }
  json_t *data = zg__eth_data(r->ret, r->ret ? r->ret_len : 0);
  if (!data) return ZG_ENOMEM;
  if (r->reason[0])
    return zg_rpc_fail_data(c->call, ETH_REVERT_CODE, data, "execution reverted: %s", r->reason);
  return zg_rpc_fail_data(c->call, ETH_REVERT_CODE, data, "execution reverted");
}

/* eth_call (estimate false) and eth_estimateGas (estimate true). Params:
 * the call object, an optional block, and optional state (and block)
 * overrides, which must be absent or null. */
static zg_err_t call_method(ctx_t *c, const json_t *params, json_t **result, bool estimate) {
  zg_eth_call_t msg;
  zg__eth_ref_t ref;
  zg_eth_call_result_t r;
  zg_eth_msg_t text;
  zg_buf_t data;
  zg_buf_init(&data);
  memset(&r, 0, sizeof r);
  memset(&text, 0, sizeof text);
  zg_err_t e = zg_rpc_params_check(c->call, params, 1, estimate ? 3 : 4);
  if (e == ZG_OK) e = zg__eth_get_call(c->call, &msg, &data, zg_rpc_param(params, 0, "transaction"), c->be->chain_id);
  if (e == ZG_OK) e = zg__eth_get_ref(c->call, &ref, zg_rpc_param(params, 1, "block"), c->be->lanes, "block");
  for (size_t i = 2; e == ZG_OK && i < 4; i++) {
    const json_t *o = zg_rpc_param(params, i, NULL);
    if (o && !json_is_null(o))
      e = zg_rpc_fail(c->call, ZG_RPC_INVALID_PARAMS, "invalid params: %s overrides are not supported",
                      i == 2 ? "state" : "block");
  }
  if (e == ZG_OK) e = at_latest(c, &ref);
  if (e == ZG_OK) {
    e = (estimate ? c->be->estimate_gas : c->be->call)(c->be->ctx, c->arena, &r, &text, &msg);
    if (e == ZG_EUNSUPPORTED && !msg.has_to && !text.text[0])
      snprintf(text.text, sizeof text.text, "contract creation is not supported (the call has no \"to\")");
    if (e != ZG_OK) e = refuse(c, e, &text);
    else if (r.reverted) e = reverted(c, &r);
    else if (estimate) e = ok(result, zg__eth_qty(r.gas_used));
    else e = ok(result, zg__eth_data(r.ret, r.ret ? r.ret_len : 0));
  }
  free(data.ptr); /* call data is public: no wipe */
  return e;
}

static zg_err_t m_call(ctx_t *c, const json_t *params, json_t **result) {
  return call_method(c, params, result, false);
}

static zg_err_t m_estimate_gas(ctx_t *c, const json_t *params, json_t **result) {
  return call_method(c, params, result, true);
}

static zg_err_t m_send_raw(ctx_t *c, const json_t *params, json_t **result) {
  uint8_t hash[32];
  zg_eth_msg_t text;
  zg_buf_t raw;
  ZG_TRY(zg_rpc_params_check(c->call, params, 1, 1));
  const json_t *v = zg_rpc_param(params, 0, "data");
  if (json_is_string(v) && json_string_length(v) > 2 + 2 * (size_t)ZG_ETH_MAX_TX_BYTES)
    return zg_rpc_fail(c->call, ZG_RPC_SERVER_ERROR, "oversized data: transactions are limited to %u bytes",
                       ZG_ETH_MAX_TX_BYTES);
  zg_buf_init(&raw);
  zg_err_t e = zg__eth_get_data(c->call, &raw, v, ZG_ETH_MAX_TX_BYTES, "raw transaction");
  if (e == ZG_OK && raw.len == 0) e = zg_rpc_fail(c->call, ZG_RPC_INVALID_PARAMS, "invalid params: empty transaction");
  if (e == ZG_OK) {
    memset(&text, 0, sizeof text);
    memset(hash, 0, sizeof hash);
    e = c->be->send_raw(c->be->ctx, hash, &text, raw.ptr, raw.len);
    e = e == ZG_OK ? ok(result, zg__eth_data(hash, 32)) : refuse(c, e, &text);
  }
  free(raw.ptr);
  return e;
}

static zg_err_t m_tx_by_hash(ctx_t *c, const json_t *params, json_t **result) {
  uint8_t hash[32];
  zg_eth_tx_t tx;
  ZG_TRY(zg_rpc_params_check(c->call, params, 1, 1));
  ZG_TRY(zg_rpc_get_hash(c->call, hash, zg_rpc_param(params, 0, "hash"), "transaction hash"));
  memset(&tx, 0, sizeof tx);
  zg_err_t e = c->be->tx_by_hash(c->be->ctx, c->arena, &tx, hash);
  if (e == ZG_ENOTFOUND) return ZG_OK;
  if (e != ZG_OK) return refuse(c, e, NULL);
  return ok(result, zg__eth_tx_json(&tx));
}

static zg_err_t m_receipt(ctx_t *c, const json_t *params, json_t **result) {
  uint8_t hash[32];
  zg_eth_receipt_t r;
  ZG_TRY(zg_rpc_params_check(c->call, params, 1, 1));
  ZG_TRY(zg_rpc_get_hash(c->call, hash, zg_rpc_param(params, 0, "hash"), "transaction hash"));
  memset(&r, 0, sizeof r);
  zg_err_t e = c->be->receipt(c->be->ctx, c->arena, &r, hash);
  if (e == ZG_ENOTFOUND) return ZG_OK;
  if (e != ZG_OK) return refuse(c, e, NULL);
  return ok(result, zg__eth_receipt_json(&r));
}

/* ---- Logs ---- */

typedef struct {
  const zg_eth_filter_t *f;
  json_t *arr;
  size_t n;
  bool over, oom;
} collect_t;

static bool collect_log(void *arg, const zg_eth_log_t *log) {
  collect_t *k = arg;
  /* The backend promised matches only; checking again keeps a sloppy
   * backend from leaking other logs into the answer. */
  if (!zg_eth_log_matches(k->f, &log->address, log->topics, log->n_topics)) return true;
  if (k->n >= ZG_ETH_LOGS_MAX_RESULTS) {
    k->over = true;
    return false;
  }
  if (json_array_append_new(k->arr, zg__eth_log_json(log)) != 0) {
    k->oom = true;
    return false;
  }
  k->n++;
  return true;
}

static zg_err_t m_get_logs(ctx_t *c, const json_t *params, json_t **result) {
  zg_eth_filter_t f;
  zg__eth_ref_t from, to;
  ZG_TRY(zg_rpc_params_check(c->call, params, 1, 1));
  ZG_TRY(zg__eth_get_filter(c->call, &f, &from, &to, c->arena, zg_rpc_param(params, 0, "filter"), c->be->lanes));
  if (!f.by_hash) {
    uint64_t h;
    uint32_t lane;
    ZG_TRY(head(c, f.lane, &h));
    ZG_TRY(resolve(c, &from, &lane, &f.from));
    ZG_TRY(resolve(c, &to, &lane, &f.to));
    if (f.from > f.to) return zg_rpc_fail(c->call, ZG_RPC_SERVER_ERROR, "invalid block range params");
    if (f.from > h) return ok(result, json_array());
    if (f.to > h) f.to = h;
    if (f.to - f.from >= ZG_ETH_LOGS_MAX_RANGE)
      return zg_rpc_fail(c->call, ZG_RPC_TOO_LARGE,
                         "block range too large: %" PRIu64 " blocks, the limit is %u; split the query",
                         f.to - f.from + 1, ZG_ETH_LOGS_MAX_RANGE);
  }
  collect_t k = {&f, json_array(), 0, false, false};
  if (!k.arr) return ZG_ENOMEM;
  zg_err_t e = c->be->logs(c->be->ctx, c->arena, &f, collect_log, &k);
  if (e == ZG_OK && k.oom) e = ZG_ENOMEM;
  else if (e == ZG_ENOTFOUND && f.by_hash) e = zg_rpc_fail(c->call, ZG_RPC_SERVER_ERROR, "unknown block");
  else if (e != ZG_OK) e = refuse(c, e, NULL);
  else if (k.over)
    e = zg_rpc_fail(c->call, ZG_RPC_TOO_LARGE,
                    "query returned more than %u results; narrow the block range or the filter",
                    ZG_ETH_LOGS_MAX_RESULTS);
  if (e != ZG_OK) {
    json_decref(k.arr);
    return e;
  }
  *result = k.arr;
  return ZG_OK;
}

static zg_err_t m_fee_history(ctx_t *c, const json_t *params, json_t **result) {
  return zg__eth_fee_history(c->call, c->be, c->arena, params, result);
}

/* ---- Registration ---- */

#define ETH_ENTRY(fn)                                                                    \
  static zg_err_t fn##_rpc(zg_rpc_call_t *call, const json_t *params, json_t **result) { \
    return run(call, params, result, fn);                                                \
  }
ETH_ENTRY(m_chain_id)
ETH_ENTRY(m_net_version)
ETH_ENTRY(m_client_version)
ETH_ENTRY(m_net_listening)
ETH_ENTRY(m_syncing)
ETH_ENTRY(m_accounts)
ETH_ENTRY(m_block_number)
ETH_ENTRY(m_block_by_number)
ETH_ENTRY(m_block_by_hash)
ETH_ENTRY(m_tx_count_by_number)
ETH_ENTRY(m_tx_count_by_hash)
ETH_ENTRY(m_tx_by_number_index)
ETH_ENTRY(m_tx_by_hash_index)
ETH_ENTRY(m_get_balance)
ETH_ENTRY(m_get_tx_count)
ETH_ENTRY(m_get_code)
ETH_ENTRY(m_gas_price)
ETH_ENTRY(m_max_priority_fee)
ETH_ENTRY(m_fee_history)
ETH_ENTRY(m_call)
ETH_ENTRY(m_estimate_gas)
ETH_ENTRY(m_send_raw)
ETH_ENTRY(m_tx_by_hash)
ETH_ENTRY(m_receipt)
ETH_ENTRY(m_get_logs)

static const struct {
  const char *name;
  zg_rpc_method_fn fn;
} METHODS[] = {
    {"eth_chainId", m_chain_id_rpc},
    {"net_version", m_net_version_rpc},
    {"web3_clientVersion", m_client_version_rpc},
    {"net_listening", m_net_listening_rpc},
    {"eth_syncing", m_syncing_rpc},
    {"eth_accounts", m_accounts_rpc},
    {"eth_blockNumber", m_block_number_rpc},
    {"eth_getBlockByNumber", m_block_by_number_rpc},
    {"eth_getBlockByHash", m_block_by_hash_rpc},
    {"eth_getBlockTransactionCountByNumber", m_tx_count_by_number_rpc},
    {"eth_getBlockTransactionCountByHash", m_tx_count_by_hash_rpc},
    {"eth_getTransactionByBlockNumberAndIndex", m_tx_by_number_index_rpc},
    {"eth_getTransactionByBlockHashAndIndex", m_tx_by_hash_index_rpc},
    {"eth_getBalance", m_get_balance_rpc},
    {"eth_getTransactionCount", m_get_tx_count_rpc},
    {"eth_getCode", m_get_code_rpc},
    {"eth_gasPrice", m_gas_price_rpc},
    {"eth_maxPriorityFeePerGas", m_max_priority_fee_rpc},
    {"eth_feeHistory", m_fee_history_rpc},
    {"eth_call", m_call_rpc},
    {"eth_estimateGas", m_estimate_gas_rpc},
    {"eth_sendRawTransaction", m_send_raw_rpc},
    {"eth_getTransactionByHash", m_tx_by_hash_rpc},
    {"eth_getTransactionReceipt", m_receipt_rpc},
    {"eth_getLogs", m_get_logs_rpc},
};

zg_err_t zg_eth_rpc_register(zg_rpc_t *rpc, const zg_eth_backend_t *be) {
  if (!rpc || !be || be->lanes < 1 || be->lanes > 16 || !be->head || !be->block_by_number || !be->block_by_hash ||
      !be->tx_by_hash || !be->receipt || !be->account || !be->code || !be->call || !be->estimate_gas ||
      !be->send_raw || !be->logs || !be->fees)
    return ZG_EINVAL;
  for (size_t i = 0; i < sizeof METHODS / sizeof METHODS[0]; i++)
    ZG_TRY(zg_rpc_register(rpc, METHODS[i].name, METHODS[i].fn, (void *)be));
  return ZG_OK;
}

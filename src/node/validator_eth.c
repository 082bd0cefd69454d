/*
 * validator_eth.c — the Ethereum JSON-RPC backend of the validator role
 * (zg/eth_rpc.h's vtable) over the block store, the lanes' states, the
 * mempools and the executor; the HTTP server on rpc.addr with POST / (JSON-
 * RPC) and GET /metrics (heights per lane, committed transactions and tx/s,
 * peers, mempool size, batches held).
 *
 * What a lane shows: blocks up to its executed height (a committed block
 * whose results are not stored yet is not shown, so every transaction of a
 * shown block has its receipt). Number 0 is the lane's genesis block.
 * Receipts and transactions come from the receipts blob that execution
 * stored (validator_exec.c), so a lookup by hash costs one index read and
 * one blob decode.
 *
 * Every function may run on several RPC threads at once: they read LMDB
 * snapshots, the thread-safe mempools and atomics only; variable parts of
 * the views are copied into the request's arena.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node/validator_internal.h"
#include "zg/hash.h"
#include "zg/log.h"

#define LOGC "validator"
#define BLOCK_GAS_LIMIT 1000000000ull /* shown as gasLimit: no block gas limit is enforced */

/* ---- receipts blob reader ---- */

typedef struct {
  zg_slice_t raw;
  zg_eth_addr_t from;
  uint8_t status;
  uint64_t gas_used, cumulative;
  zg_u256_t price;
  uint8_t bloom[256];
  zg_eth_log_t *logs; /* arena (only when read with an arena) */
  size_t n_logs;
} rcpt_t;

/* Reads one receipt; with an arena its logs are copied there. */
static zg_err_t rcpt_read(zg_codec_reader_t *r, rcpt_t *out, zg_arena_t *arena) {
  memset(out, 0, sizeof *out);
  uint8_t price[32];
  zg_codec_get_bytes(r, &out->raw, ZG_TX_MAX_SIZE);
  zg_codec_get_fixed(r, out->from.bytes, 20);
  zg_codec_get_u8(r, &out->status);
  zg_codec_get_u64(r, &out->gas_used);
  zg_codec_get_u64(r, &out->cumulative);
  zg_codec_get_fixed(r, price, 32);
  zg_u256_from_be32(&out->price, price);
  zg_codec_get_fixed(r, out->bloom, 256);
  size_t n;
  zg_codec_get_count(r, &n, 1u << 20, 24);
  if (zg_codec_reader_err(r)) return ZG_ECORRUPT;
  if (arena && n) {
    out->logs = zg_arena_alloc(arena, n * sizeof *out->logs);
    if (!out->logs) return ZG_ENOMEM;
    memset(out->logs, 0, n * sizeof *out->logs);
  }
  out->n_logs = n;
  for (size_t i = 0; i < n; i++) {
    zg_eth_addr_t a;
    size_t nt;
    zg_codec_get_fixed(r, a.bytes, 20);
    zg_codec_get_count(r, &nt, 4, 32);
    zg_slice_t topics, data;
    zg_codec_get_fixed_view(r, &topics, nt * 32);
    zg_codec_get_bytes(r, &data, SIZE_MAX);
    if (zg_codec_reader_err(r)) return ZG_ECORRUPT;
    if (!arena) continue;
    zg_eth_log_t *lg = &out->logs[i];
    lg->address = a;
    lg->n_topics = nt;
    if (nt) {
      uint8_t(*t)[32] = zg_arena_alloc(arena, nt * 32);
      if (!t) return ZG_ENOMEM;
      memcpy(t, topics.ptr, nt * 32);
      lg->topics = (const uint8_t(*)[32])t;
    }
    if (data.len) {
      uint8_t *d = zg_arena_alloc(arena, data.len);
      if (!d) return ZG_ENOMEM;
      memcpy(d, data.ptr, data.len);
      lg->data = d;
      lg->data_len = data.len;
    }
  }
  return ZG_OK;
}

/* A block as stored: engine block, execution result, receipts blob. */
typedef struct {
  zg_buf_t blk, blob;
  zg_bft_block_t b;
  zg_block_exec_t x;
  uint8_t id[32];
  zg_codec_reader_t rr; /* positioned at the first receipt */
  size_t n_rcpt;
  uint8_t bloom[256];
} sblock_t;

static void sblock_init(sblock_t *s) {
  memset(s, 0, sizeof *s);
  zg_buf_init(&s->blk);
  zg_buf_init(&s->blob);
}
static void sblock_clear(sblock_t *s) {
  zg_buf_clear(&s->blk);
  zg_buf_clear(&s->blob);
}

/* Loads executed block (lane, h >= 1). ZG_ENOTFOUND when not executed. */
static zg_err_t sblock_load(zg_validator_t *v, sblock_t *s, uint32_t lane, uint64_t h) {
  if (lane >= v->lanes || h == 0 || h > atomic_load(&v->lane[lane].executed)) return ZG_ENOTFOUND;
  ZG_TRY(zg_blockstore_get_block(v->bs, s->id, &s->blk, NULL, lane, h));
  ZG_TRY(zg_blockstore_get_exec(v->bs, &s->x, &s->blob, lane, h));
  if (zg_bft_block_decode(&s->b, s->blk.ptr, s->blk.len) != ZG_OK) return ZG_ECORRUPT;
  zg_codec_reader_init(&s->rr, s->blob.ptr, s->blob.len);
  if (s->blob.len == 0) { /* executed before a crash: no receipts kept */
    s->n_rcpt = 0;
    return ZG_OK;
  }
  zg_codec_get_fixed(&s->rr, s->bloom, 256);
  zg_codec_get_count(&s->rr, &s->n_rcpt, 1u << 24, 4);
  return zg_codec_reader_err(&s->rr) ? ZG_ECORRUPT : ZG_OK;
}

/* Steps over one receipt, counting its logs: what a lookup does for the
 * receipts before the one it wants, without copying their fields. */
static zg_err_t rcpt_skip(zg_codec_reader_t *r, uint32_t *n_logs) {
  zg_slice_t skip;
  size_t n;
  zg_codec_get_bytes(r, &skip, ZG_TX_MAX_SIZE);
  zg_codec_get_fixed_view(r, &skip, 20 + 1 + 8 + 8 + 32 + 256);
  zg_codec_get_count(r, &n, 1u << 20, 24);
  for (size_t i = 0; i < n; i++) {
    size_t nt;
    zg_codec_get_fixed_view(r, &skip, 20);
    zg_codec_get_count(r, &nt, 4, 32);
    zg_codec_get_fixed_view(r, &skip, nt * 32);
    zg_codec_get_bytes(r, &skip, SIZE_MAX);
    if (zg_codec_reader_err(r)) return ZG_ECORRUPT;
  }
  if (zg_codec_reader_err(r)) return ZG_ECORRUPT;
  *n_logs += (uint32_t)n;
  return ZG_OK;
}

/* ---- views ---- */

/* The sender is known (receipt or mempool), so the signing hash is not
 * computed. */
static zg_err_t tx_view(zg_arena_t *arena, zg_eth_tx_t *out, const zg_slice_t raw, uint64_t chain_id) {
  zg_tx_t t;
  memset(out, 0, sizeof *out);
  ZG_TRY(zg_tx_decode_nosighash(&t, raw.ptr, raw.len, chain_id));
  memcpy(out->hash, t.hash, 32);
  out->type = t.type;
  out->eip155 = t.type == ZG_TX_LEGACY;
  out->chain_id = t.chain_id;
  out->nonce = t.nonce;
  out->gas = t.gas_limit;
  out->gas_price = t.gas_price;
  out->max_fee = t.max_fee;
  out->max_priority_fee = t.max_priority_fee;
  out->has_to = t.has_to;
  out->to = t.to;
  out->value = t.value;
  if (t.data.len) {
    uint8_t *d = zg_arena_alloc(arena, t.data.len);
    if (!d) return ZG_ENOMEM;
    memcpy(d, t.data.ptr, t.data.len);
    out->input = d;
    out->input_len = t.data.len;
  }
  out->y_parity = t.sig.v;
  memcpy(out->r, t.sig.r, 32);
  memcpy(out->s, t.sig.s, 32);
  return ZG_OK;
}

static void miner_of(zg_validator_t *v, const zg_bft_block_t *b, zg_eth_addr_t *miner) {
  const zg__vset_t *s;
  memset(miner, 0, sizeof *miner);
  if (zg__v_valset(v, b->epoch, &s) == ZG_OK && b->proposer < s->set.n) *miner = s->set.members[b->proposer].operator_addr;
}

static zg_err_t genesis_view(zg_validator_t *v, zg_eth_block_t *out, uint32_t lane) {
  zg_bft_block_t gen;
  zg_bft_genesis(&gen, v->chain_id_lo, (uint8_t)lane);
  memset(out, 0, sizeof *out);
  out->lane = lane;
  zg_bft_block_id(out->hash, &gen);
  if (zg_state_block_info(v->states[lane], 0, out->state_root, out->receipts_root) != ZG_OK)
    memset(out->state_root, 0, 32);
  zg_keccak256(out->transactions_root, "", 0);
  zg_keccak256(out->receipts_root, "", 0);
  out->gas_limit = BLOCK_GAS_LIMIT;
  out->base_fee = v->base_fee;
  return ZG_OK;
}

static zg_err_t block_view(zg_validator_t *v, zg_arena_t *arena, zg_eth_block_t *out, uint32_t lane, uint64_t h,
                           bool full) {
  memset(out, 0, sizeof *out);
  if (lane >= v->lanes) return ZG_ENOTFOUND;
  if (h == 0) return genesis_view(v, out, lane);
  sblock_t s;
  sblock_init(&s);
  zg_err_t e = sblock_load(v, &s, lane, h);
  if (e) goto out;
  out->lane = lane;
  out->number = h;
  memcpy(out->hash, s.id, 32);
  memcpy(out->parent_hash, s.b.parent, 32);
  memcpy(out->state_root, s.x.state_digest, 32);
  memcpy(out->transactions_root, s.x.tx_root, 32);
  memcpy(out->receipts_root, s.x.receipts_root, 32);
  memcpy(out->logs_bloom, s.bloom, 256);
  miner_of(v, &s.b, &out->miner);
  out->timestamp_ms = s.b.timestamp_ms;
  out->gas_limit = BLOCK_GAS_LIMIT;
  out->gas_used = s.x.gas_used;
  out->base_fee = v->base_fee;
  out->size = s.blk.len;
  size_t n = s.n_rcpt;
  uint8_t(*hashes)[32] = n ? zg_arena_alloc(arena, n * 32) : NULL;
  zg_eth_tx_t *txs = (n && full) ? zg_arena_alloc(arena, n * sizeof *txs) : NULL;
  if ((n && !hashes) || (n && full && !txs)) {
    e = ZG_ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < n && !e; i++) {
    rcpt_t r;
    if ((e = rcpt_read(&s.rr, &r, NULL)) != ZG_OK) break;
    if (!full) {
      zg_keccak256(hashes[i], r.raw.ptr, r.raw.len);
      continue;
    }
    if ((e = tx_view(arena, &txs[i], r.raw, 0)) != ZG_OK) break;
    memcpy(hashes[i], txs[i].hash, 32);
    txs[i].from = r.from;
    txs[i].gas_used = r.gas_used;
    txs[i].mined = true;
    txs[i].lane = lane;
    memcpy(txs[i].block_hash, s.id, 32);
    txs[i].block_number = h;
    txs[i].tx_index = (uint32_t)i;
    if (txs[i].type == ZG_TX_DYNAMIC_FEE) txs[i].gas_price = r.price;
  }
  out->tx_hashes = (const uint8_t(*)[32])hashes;
  out->n_txs = n;
  out->txs = txs;
out:
  sblock_clear(&s);
  return e;
}

/* ---- backend functions ---- */

static zg_err_t be_head(void *ctx, uint32_t lane, uint64_t *height) {
  zg_validator_t *v = ctx;
  if (lane >= v->lanes) return ZG_EINVAL;
  *height = atomic_load(&v->lane[lane].executed);
  return ZG_OK;
}

static zg_err_t be_block_by_number(void *ctx, zg_arena_t *arena, zg_eth_block_t *out, uint32_t lane,
                                   uint64_t number, bool full) {
  return block_view(ctx, arena, out, lane, number, full);
}

static zg_err_t be_block_by_hash(void *ctx, zg_arena_t *arena, zg_eth_block_t *out, const uint8_t hash[32],
                                 bool full) {
  zg_validator_t *v = ctx;
  uint32_t lane;
  uint64_t h;
  if (zg_blockstore_find_block(v->bs, &lane, &h, hash) == ZG_OK) return block_view(v, arena, out, lane, h, full);
  for (uint32_t i = 0; i < v->lanes; i++) {
    zg_bft_block_t gen;
    uint8_t id[32];
    zg_bft_genesis(&gen, v->chain_id_lo, (uint8_t)i);
    zg_bft_block_id(id, &gen);
    if (memcmp(id, hash, 32) == 0) return genesis_view(v, out, i);
  }
  return ZG_ENOTFOUND;
}

/* find_rcpt's view of a receipts blob: steps over the receipts before idx
 * (counting their logs) and copies only receipt idx. */
typedef struct {
  uint32_t idx, log_base;
  zg_buf_t *out;
} rcpt_pick_t;

static zg_err_t rcpt_pick(void *arg, zg_slice_t blob) {
  rcpt_pick_t *p = arg;
  if (blob.len == 0) return ZG_ENOTFOUND; /* executed before a crash: no receipts kept */
  zg_codec_reader_t r;
  zg_codec_reader_init(&r, blob.ptr, blob.len);
  zg_slice_t skip;
  size_t n;
  zg_codec_get_fixed_view(&r, &skip, 256);
  zg_codec_get_count(&r, &n, 1u << 24, 4);
  if (zg_codec_reader_err(&r)) return ZG_ECORRUPT;
  if (p->idx >= n) return ZG_ENOTFOUND;
  for (uint32_t i = 0; i < p->idx; i++) ZG_TRY(rcpt_skip(&r, &p->log_base));
  size_t start = blob.len - zg_codec_reader_remaining(&r);
  uint32_t logs = 0;
  ZG_TRY(rcpt_skip(&r, &logs));
  size_t end = blob.len - zg_codec_reader_remaining(&r);
  return zg_buf_append(p->out, blob.ptr + start, end - start);
}

/* Finds the receipt of tx hash: its block's id into s->id, the receipt's
 * bytes (only those: the block's receipts blob is not copied) into s->blob,
 * read into r; *log_base counts the logs of the receipts before it. */
static zg_err_t find_rcpt(zg_validator_t *v, sblock_t *s, rcpt_t *r, uint32_t *lane, uint64_t *h, uint32_t *idx,
                          uint32_t *log_base, zg_arena_t *arena, const uint8_t hash[32]) {
  *log_base = 0;
  ZG_TRY(zg_blockstore_find_tx(v->bs, lane, h, idx, hash));
  if (*lane >= v->lanes || *h == 0 || *h > atomic_load(&v->lane[*lane].executed)) return ZG_ENOTFOUND;
  ZG_TRY(zg_blockstore_get_block(v->bs, s->id, &s->blk, NULL, *lane, *h));
  rcpt_pick_t p = {.idx = *idx, .out = &s->blob};
  ZG_TRY(zg_blockstore_view_exec(v->bs, &s->x, *lane, *h, rcpt_pick, &p));
  *log_base = p.log_base;
  zg_codec_reader_init(&s->rr, s->blob.ptr, s->blob.len);
  return rcpt_read(&s->rr, r, arena);
}

static zg_err_t be_tx_by_hash(void *ctx, zg_arena_t *arena, zg_eth_tx_t *out, const uint8_t hash[32]) {
  zg_validator_t *v = ctx;
  sblock_t s;
  sblock_init(&s);
  rcpt_t r;
  uint32_t lane, idx, base;
  uint64_t h;
  zg_err_t e = find_rcpt(v, &s, &r, &lane, &h, &idx, &base, NULL, hash);
  if (!e) {
    e = tx_view(arena, out, r.raw, 0);
    if (!e) {
      out->from = r.from;
      out->gas_used = r.gas_used;
      out->mined = true;
      out->lane = lane;
      memcpy(out->block_hash, s.id, 32);
      out->block_number = h;
      out->tx_index = idx;
      if (out->type == ZG_TX_DYNAMIC_FEE) out->gas_price = r.price;
    }
    sblock_clear(&s);
    return e;
  }
  sblock_clear(&s);
  if (e != ZG_ENOTFOUND) return e;
  /* pending: in one of the mempools */
  zg_buf_t raw;
  zg_buf_init(&raw);
  zg_eth_addr_t from;
  e = ZG_ENOTFOUND;
  for (uint32_t i = 0; i < v->lanes && e == ZG_ENOTFOUND; i++) e = zg_mempool_get(v->lane[i].pool, &raw, &from, hash);
  if (!e) e = tx_view(arena, out, zg_buf_slice(&raw), 0);
  if (!e) out->from = from;
  zg_buf_clear(&raw);
  return e;
}

static zg_err_t be_receipt(void *ctx, zg_arena_t *arena, zg_eth_receipt_t *out, const uint8_t hash[32]) {
  zg_validator_t *v = ctx;
  memset(out, 0, sizeof *out);
  sblock_t s;
  sblock_init(&s);
  rcpt_t r;
  uint32_t lane, idx, base;
  uint64_t h;
  zg_err_t e = find_rcpt(v, &s, &r, &lane, &h, &idx, &base, arena, hash);
  zg_tx_t t;
  if (!e) e = zg_tx_decode_nosighash(&t, r.raw.ptr, r.raw.len, 0) ? ZG_ECORRUPT : ZG_OK;
  if (!e) {
    memcpy(out->tx_hash, hash, 32);
    out->tx_index = idx;
    out->lane = lane;
    memcpy(out->block_hash, s.id, 32);
    out->block_number = h;
    out->from = r.from;
    out->has_to = t.has_to;
    out->to = t.to;
    out->type = t.type;
    out->success = r.status == 1;
    out->cumulative_gas_used = r.cumulative;
    out->gas_used = r.gas_used;
    out->effective_gas_price = r.price;
    memcpy(out->logs_bloom, r.bloom, 256);
    /* log_index counts the logs of the receipts before this one (base) */
    for (size_t i = 0; i < r.n_logs; i++) {
      zg_eth_log_t *lg = &r.logs[i];
      lg->lane = lane;
      lg->block_number = h;
      memcpy(lg->block_hash, s.id, 32);
      memcpy(lg->tx_hash, hash, 32);
      lg->tx_index = idx;
      lg->log_index = base + (uint32_t)i;
    }
    out->logs = r.logs;
    out->n_logs = r.n_logs;
  }
  sblock_clear(&s);
  return e;
}

static zg_err_t be_account(void *ctx, zg_u256_t *balance, uint64_t *nonce, const zg_eth_addr_t *addr,
                           bool pending) {
  zg_validator_t *v = ctx;
  zg_account_t a;
  uint32_t lane = zg_exec_owner_lane(v->exec, addr);
  ZG_TRY(zg_state_account(v->states[lane], addr, &a));
  *balance = a.balance;
  *nonce = a.nonce;
  uint64_t pn;
  if (pending && zg_mempool_pending_nonce(v->lane[lane].pool, &pn, addr) && pn > *nonce) *nonce = pn;
  return ZG_OK;
}

static zg_err_t be_code(void *ctx, zg_arena_t *arena, const uint8_t **code, size_t *len, const zg_eth_addr_t *addr) {
  zg_validator_t *v = ctx;
  if (zg_sc_find(v->reg, addr)) {
    *code = ZG_ETH_SYSCONTRACT_CODE;
    *len = ZG_ETH_SYSCONTRACT_CODE_LEN;
  } else {
    *code = NULL;
    *len = 0;
  }
  return ZG_OK;
}

static zg_err_t copy_result(zg_arena_t *arena, zg_eth_call_result_t *out, const zg_sc_result_t *res) {
  out->reverted = res->status == ZG_SC_REVERT;
  snprintf(out->reason, sizeof out->reason, "%s", res->reason);
  if (res->ret.len) {
    uint8_t *d = zg_arena_alloc(arena, res->ret.len);
    if (!d) return ZG_ENOMEM;
    memcpy(d, res->ret.ptr, res->ret.len);
    out->ret = d;
    out->ret_len = res->ret.len;
  }
  return ZG_OK;
}

static zg_err_t be_call(void *ctx, zg_arena_t *arena, zg_eth_call_result_t *out, zg_eth_msg_t *msg,
                        const zg_eth_call_t *c) {
  zg_validator_t *v = ctx;
  memset(out, 0, sizeof *out);
  if (!c->has_to) return ZG_EUNSUPPORTED;
  zg_eth_addr_t from = {{0}};
  if (c->has_from) from = c->from;
  zg_u256_t value = c->has_value ? c->value : zg_u256_from_u64(0);
  zg_sc_result_t res;
  memset(&res, 0, sizeof res);
  zg_err_t e = zg_exec_call(v->exec, &res, &from, &c->to, &value, c->data, c->data_len);
  if (!e) e = copy_result(arena, out, &res);
  zg_sc_result_free(&res);
  return e;
}

static zg_err_t be_estimate(void *ctx, zg_arena_t *arena, zg_eth_call_result_t *out, zg_eth_msg_t *msg,
                            const zg_eth_call_t *c) {
  zg_validator_t *v = ctx;
  memset(out, 0, sizeof *out);
  zg_eth_addr_t from = {{0}};
  if (c->has_from) from = c->from;
  zg_u256_t value = c->has_value ? c->value : zg_u256_from_u64(0);
  if (!c->has_to) return ZG_EUNSUPPORTED;
  uint64_t gas = 0;
  zg_err_t e = zg_exec_estimate_gas(v->exec, &gas, out->reason, &from, &c->to, &value, c->data, c->data_len);
  if (e == ZG_EREVERT) {
    out->reverted = true;
    return ZG_OK;
  }
  out->gas_used = gas;
  return e;
}

static zg_err_t be_send_raw(void *ctx, uint8_t hash[32], zg_eth_msg_t *msg, const uint8_t *raw, size_t len) {
  return zg__v_submit(ctx, hash, msg, raw, len);
}

typedef struct {
  const zg_eth_filter_t *f;
  zg_eth_log_fn fn;
  void *arg;
} logs_ctx_t;

/* Runs the filter over one executed block; false when the callback stopped. */
static zg_err_t logs_block(zg_validator_t *v, zg_arena_t *arena, logs_ctx_t *lc, uint32_t lane, uint64_t h,
                           bool *go) {
  sblock_t s;
  sblock_init(&s);
  zg_err_t e = sblock_load(v, &s, lane, h);
  uint32_t log_index = 0;
  for (size_t i = 0; !e && *go && i < s.n_rcpt; i++) {
    rcpt_t r;
    if ((e = rcpt_read(&s.rr, &r, arena)) != ZG_OK) break;
    uint8_t th[32];
    zg_keccak256(th, r.raw.ptr, r.raw.len);
    for (size_t j = 0; j < r.n_logs && *go; j++, log_index++) {
      zg_eth_log_t *lg = &r.logs[j];
      if (!zg_eth_log_matches(lc->f, &lg->address, lg->topics, lg->n_topics)) continue;
      lg->lane = lane;
      lg->block_number = h;
      memcpy(lg->block_hash, s.id, 32);
      memcpy(lg->tx_hash, th, 32);
      lg->tx_index = (uint32_t)i;
      lg->log_index = log_index;
      *go = lc->fn(lc->arg, lg);
    }
  }
  sblock_clear(&s);
  return e;
}

static zg_err_t be_logs(void *ctx, zg_arena_t *arena, const zg_eth_filter_t *f, zg_eth_log_fn fn, void *arg) {
  zg_validator_t *v = ctx;
  logs_ctx_t lc = {f, fn, arg};
  bool go = true;
  if (f->by_hash) {
    uint32_t lane;
    uint64_t h;
    ZG_TRY(zg_blockstore_find_block(v->bs, &lane, &h, f->block_hash));
    zg_err_t e = logs_block(v, arena, &lc, lane, h, &go);
    return e == ZG_ENOTFOUND ? ZG_OK : e;
  }
  if (f->lane >= v->lanes) return ZG_EINVAL;
  uint64_t top = atomic_load(&v->lane[f->lane].executed);
  uint64_t to = f->to < top ? f->to : top;
  for (uint64_t h = f->from ? f->from : 1; h <= to && go; h++) {
    /* The block bloom would let most blocks be skipped without reading the
     * receipts; the blob is read whole anyway, so just filter. */
    ZG_TRY(logs_block(v, arena, &lc, f->lane, h, &go));
  }
  return ZG_OK;
}

static zg_err_t be_fees(void *ctx, zg_eth_fees_t *out) {
  zg_validator_t *v = ctx;
  out->base_fee = v->base_fee;
  out->max_priority_fee = zg_u256_from_u64(0);
  out->gas_price = v->base_fee;
  return ZG_OK;
}

void zg__v_backend_init(zg_validator_t *v, zg_eth_backend_t *b) {
  memset(b, 0, sizeof *b);
  b->ctx = v;
  b->chain_id = v->g->chain_id;
  b->lanes = v->lanes;
  b->client_version = NULL;
  b->head = be_head;
  b->block_by_number = be_block_by_number;
  b->block_by_hash = be_block_by_hash;
  b->tx_by_hash = be_tx_by_hash;
  b->receipt = be_receipt;
  b->account = be_account;
  b->code = be_code;
  b->call = be_call;
  b->estimate_gas = be_estimate;
  b->send_raw = be_send_raw;
  b->logs = be_logs;
  b->fees = be_fees;
}

/* ---- HTTP and metrics ---- */

static void on_metrics(void *arg, const zg_http_request_t *req, zg_http_response_t *resp) {
  zg_validator_t *v = arg;
  if (v->net) {
    zg_net_stats_t ns;
    zg_net_stats(v->net, &ns);
    zg_gauge_set(v->m_peers, ns.peers_up);
  }
  size_t pool = 0;
  for (uint32_t i = 0; i < v->lanes; i++) {
    zg_mempool_stats_t ms;
    if (!v->lane[i].pool) continue;
    zg_mempool_stats(v->lane[i].pool, &ms);
    pool += ms.pending + ms.queued;
  }
  zg_gauge_set(v->m_pool, (int64_t)pool);
  /* tx/s over the interval since the previous scrape */
  pthread_mutex_lock(&v->tps_mu);
  uint64_t now = zg_clock_ns(), txs = (uint64_t)zg_metric_value(v->m_txs);
  if (v->tps_last_ns && now > v->tps_last_ns)
    zg_gauge_set(v->m_tps, (int64_t)((double)(txs - v->tps_last_txs) * 1e9 / (double)(now - v->tps_last_ns)));
  v->tps_last_ns = now;
  v->tps_last_txs = txs;
  pthread_mutex_unlock(&v->tps_mu);
  resp->content_type = "text/plain; version=0.0.4";
  if (zg_metrics_render(v->metrics, &resp->body) != ZG_OK) resp->status = 500;
}

static zg_err_t metrics_init(zg_validator_t *v) {
  zg_metrics_t *m = v->metrics;
  ZG_TRY(zg_metrics_counter(m, &v->m_txs, "zg_chain_txs_committed_total", "transactions executed in committed blocks",
                            NULL));
  ZG_TRY(zg_metrics_gauge(m, &v->m_tps, "zg_chain_tps", "committed transactions per second since the last scrape",
                          NULL));
  ZG_TRY(zg_metrics_gauge(m, &v->m_peers, "zg_net_peers", "peers connected", NULL));
  ZG_TRY(zg_metrics_gauge(m, &v->m_pool, "zg_mempool_size", "transactions in the mempools", NULL));
  ZG_TRY(zg_metrics_gauge(m, &v->m_batches, "zg_batches_held", "batches held in memory, not yet committed", NULL));
  for (uint32_t i = 0; i < v->lanes; i++) {
    char lab[32];
    snprintf(lab, sizeof lab, "lane=\"%u\"", i);
    zg__vlane_t *l = &v->lane[i];
    ZG_TRY(zg_metrics_gauge(m, &l->m_committed, "zg_chain_height", "committed height per lane", lab));
    ZG_TRY(zg_metrics_gauge(m, &l->m_executed, "zg_chain_executed_height", "executed height per lane", lab));
    ZG_TRY(zg_metrics_counter(m, &l->m_txs, "zg_chain_lane_txs_total", "transactions executed per lane", lab));
    zg_gauge_set(l->m_committed, (int64_t)atomic_load(&l->committed));
    zg_gauge_set(l->m_executed, (int64_t)atomic_load(&l->executed));
  }
  return ZG_OK;
}

zg_err_t zg__v_rpc_start(zg_validator_t *v, char *err, size_t errlen) {
  char host[64];
  uint16_t port;
  zg_err_t e = zg_http_parse_addr(host, sizeof host, &port, v->cfg.rpc_addr);
  if (e) {
    snprintf(err, errlen, "rpc.addr '%s' is not IPv4:PORT", v->cfg.rpc_addr);
    return e;
  }
  if ((e = metrics_init(v)) != ZG_OK) return e;
  zg__v_backend_init(v, &v->backend);
  zg_rpc_opts_t ro = {0, v->metrics, "zg_rpc"};
  zg_http_opts_t ho = {host, port, ZG_ETH_MAX_TX_BYTES * 8 + (1u << 20), 4, 256, 60};
  if ((e = zg_rpc_create(&v->rpc, &ro)) != ZG_OK) return e;
  if ((e = zg_eth_rpc_register(v->rpc, &v->backend)) != ZG_OK) return e;
  if ((e = zg_http_server_create(&v->http, &ho)) != ZG_OK) return e;
  if ((e = zg_rpc_attach(v->rpc, v->http, "/")) != ZG_OK) return e;
  if ((e = zg_http_server_route(v->http, "GET", "/metrics", on_metrics, v)) != ZG_OK) return e;
  if ((e = zg_http_server_start(v->http)) != ZG_OK) {
    snprintf(err, errlen, "rpc: cannot serve on %s: %s", v->cfg.rpc_addr, zg_strerror(e));
    return e;
  }
  v->rpc_port = zg_http_server_port(v->http);
  return ZG_OK;
}

void zg__v_rpc_stop(zg_validator_t *v) {
  zg_http_server_destroy(v->http);
  v->http = NULL;
  zg_rpc_destroy(v->rpc);
  v->rpc = NULL;
}

/*
 * flow.c — the Flow system contract (zg/storage_contracts.h,
 * docs/storage-contracts.md): the one global append-only log of sectors.
 * submit / batchSubmit check 0G's submission rules (zg_submission_valid),
 * take the fee (Σ 2^height × pricePerSector, the rest of msg.value is a tip),
 * append the nodes to the flow tree with 0G's alignment (zg_flow_append, the
 * same code the storage node runs), route the value to Reward through
 * Market's split, and emit 0G's Submit event. Epochs: makeContext closes
 * every epoch whose start block has passed, recording its context digest
 * and the flow range appended during it (0G's epochRanges and history).
 *
 * Storage (Flow's namespace; integers big-endian):
 *   "Ft"             the flow frontier (zg_flow_serialize); absent: a fresh flow
 *   "Fs"             submissionIndex u64
 *   'F''r' seq       flow root after submission seq
 *   "Fe"             epoch u64 | epochStartPosition u64 | context (CTX_LEN)
 *   'F''g' digest    epoch range start u64 | end u64
 *   'F''h' idx       history entry start u64 | end u64 | digest
 *   "Fn"             history length u64
 *   "Fp"             blocksPerEpoch u64 | firstBlock u64
 *
 * Invariants: the history is ordered by position and its ranges tile
 * [0, epochStartPosition); epochStartPosition <= the flow length; the
 * context's flowLength/flowRoot are those of the flow when it was made.
 */
#include <stdlib.h>
#include <string.h>

#include "storage_internal.h"
#include "zg/flow.h"
#include "zg/hash.h"

#define WHO "Flow"

static const uint8_t K_TREE[] = "Ft", K_SEQ[] = "Fs", K_EPOCH[] = "Fe", K_HLEN[] = "Fn", K_PARAMS[] = "Fp";

enum { CTX_LEN = 8 + 8 + 32 + 8 + 32 + 32, EPOCH_LEN = 16 + CTX_LEN, MAX_NODES = 4 };

/* After this many blocks a block digest is no longer available (0G: 8191). */
#define BLOCK_WINDOW 8191u

/* ---- state ---- */

typedef struct {
  uint64_t blocks_per_epoch, first_block;
  uint64_t epoch, epoch_start;
  zg__mine_ctx_t ctx;
  zg_flow_t tree;
  /* peek only: the range the pending makeContext would record */
  bool pending;
  uint64_t pend_start, pend_end;
  uint8_t pend_digest[32];
} fstate_t;

static zg_err_t params_get(zg_sc_host_t *h, uint64_t *bpe, uint64_t *first) {
  uint8_t v[16];
  bool found;
  ZG_TRY(zg__sc_get(h, K_PARAMS, 2, v, 16, &found));
  *bpe = found ? zg_load_be64(v) : ZG_STORAGE_DEFAULT_BLOCKS_PER_EPOCH;
  *first = found ? zg_load_be64(v + 8) : 0;
  if (*bpe == 0) *bpe = 1;
  return ZG_OK;
}

static zg_err_t tree_get(zg_sc_host_t *h, zg_flow_t *f) {
  zg_buf_t b;
  bool found;
  zg_buf_init(&b);
  zg_err_t e = h->sget(h, K_TREE, 2, &b, &found);
  if (e == ZG_OK) {
    if (found) e = zg_flow_deserialize(f, b.ptr, b.len) == ZG_OK ? ZG_OK : ZG_ECORRUPT;
    else zg_flow_init(f);
  }
  zg_buf_clear(&b);
  return e;
}

static zg_err_t tree_put(zg_sc_host_t *h, const zg_flow_t *f) {
  zg_buf_t b;
  zg_buf_init(&b);
  zg_err_t e = zg_flow_serialize(&b, f);
  if (e == ZG_OK) e = h->sput(h, K_TREE, 2, b.ptr, b.len);
  zg_buf_clear(&b);
  return e;
}

static void ctx_pack(uint8_t *p, const zg__mine_ctx_t *c) {
  zg_store_be64(p, c->epoch);
  zg_store_be64(p + 8, c->mine_start);
  memcpy(p + 16, c->flow_root, 32);
  zg_store_be64(p + 48, c->flow_length);
  memcpy(p + 56, c->block_digest, 32);
  memcpy(p + 88, c->digest, 32);
}

static void ctx_unpack(zg__mine_ctx_t *c, const uint8_t *p) {
  c->epoch = zg_load_be64(p);
  c->mine_start = zg_load_be64(p + 8);
  memcpy(c->flow_root, p + 16, 32);
  c->flow_length = zg_load_be64(p + 48);
  memcpy(c->block_digest, p + 56, 32);
  memcpy(c->digest, p + 88, 32);
}

/* Loads everything makeContext needs. Before any write: 0G's initial state. */
static zg_err_t state_get(zg_sc_host_t *h, fstate_t *s) {
  uint8_t v[EPOCH_LEN];
  bool found;
  memset(s, 0, sizeof *s);
  ZG_TRY(params_get(h, &s->blocks_per_epoch, &s->first_block));
  ZG_TRY(tree_get(h, &s->tree));
  ZG_TRY(zg__sc_get(h, K_EPOCH, 2, v, EPOCH_LEN, &found));
  if (found) {
    s->epoch = zg_load_be64(v);
    s->epoch_start = zg_load_be64(v + 8);
    ctx_unpack(&s->ctx, v + 16);
  } else {
    zg_flow_t fresh;
    zg_flow_init(&fresh);
    s->ctx.mine_start = s->first_block;
    zg_flow_root(&fresh, s->ctx.flow_root);
    s->ctx.flow_length = 1;
    memcpy(s->ctx.block_digest, zg_storage_empty_hash, 32);
    memcpy(s->ctx.digest, zg_storage_empty_hash, 32);
  }
  return ZG_OK;
}

static zg_err_t epoch_put(zg_sc_host_t *h, const fstate_t *s) {
  uint8_t v[EPOCH_LEN];
  zg_store_be64(v, s->epoch);
  zg_store_be64(v + 8, s->epoch_start);
  ctx_pack(v + 16, &s->ctx);
  return h->sput(h, K_EPOCH, 2, v, EPOCH_LEN);
}

static zg_err_t range_record(zg_sc_host_t *h, uint64_t start, uint64_t end, const uint8_t digest[32]) {
  uint8_t k[2 + 32], v[48];
  uint64_t n;
  k[0] = 'F';
  k[1] = 'g';
  memcpy(k + 2, digest, 32);
  zg_store_be64(v, start);
  zg_store_be64(v + 8, end);
  ZG_TRY(h->sput(h, k, 34, v, 16));
  ZG_TRY(zg__sc_get_u64(h, K_HLEN, 2, &n, 0));
  k[1] = 'h';
  zg_store_be64(k + 2, n);
  memcpy(v + 16, digest, 32);
  ZG_TRY(h->sput(h, k, 10, v, 48));
  return zg__sc_put_u64(h, K_HLEN, 2, n + 1);
}

/*
 * 0G's makeContext loop on s. With write, records ranges, stores the epoch
 * state and emits NewEpoch per epoch made; without, only s changes (and
 * s->pending tells the range the first new epoch would record). Epochs
 * whose start is more than BLOCK_WINDOW blocks old get the empty digest and
 * no range; a run of them is made in one step (one NewEpoch event) so a long
 * idle chain costs O(window / blocksPerEpoch), not O(idle blocks).
 */
static zg_err_t advance(zg_sc_host_t *h, fstate_t *s, bool write) {
  uint64_t block = h->block_number, bpe = s->blocks_per_epoch, seq = 0;
  bool changed = false;
  if (write) ZG_TRY(zg__sc_get_u64(h, K_SEQ, 2, &seq, 0));
  for (;;) {
    /* first + (epoch+1)·bpe must fit 64 bits (always, for any real chain). */
    if (s->epoch >= (UINT64_MAX - s->first_block) / bpe) break;
    uint64_t next = s->first_block + (s->epoch + 1) * bpe;
    if (next >= block) break;
    uint8_t root[32], digest[32], bd[32];
    uint64_t len = s->tree.length, new_epoch = s->epoch + 1;
    zg_flow_root(&s->tree, root);
    if (block - next > BLOCK_WINDOW) {
      memcpy(digest, zg_storage_empty_hash, 32);
      memcpy(bd, zg_storage_empty_hash, 32);
      uint64_t k = (block - BLOCK_WINDOW - 1 - s->first_block) / bpe; /* last stale epoch number */
      if (k > new_epoch) new_epoch = k;
      next = s->first_block + new_epoch * bpe;
    } else {
      zg_storage_block_digest(bd, h->chain_id, next);
      zg_storage_context_digest(digest, bd, root, len);
      if (write) {
        ZG_TRY(range_record(h, s->epoch_start, len, digest));
      } else if (!s->pending) {
        s->pending = true;
        s->pend_start = s->epoch_start;
        s->pend_end = len;
        memcpy(s->pend_digest, digest, 32);
      }
      s->epoch_start = len;
    }
    s->epoch = new_epoch;
    s->ctx.epoch = new_epoch;
    s->ctx.mine_start = next;
    memcpy(s->ctx.flow_root, root, 32);
    s->ctx.flow_length = len;
    memcpy(s->ctx.block_digest, bd, 32);
    memcpy(s->ctx.digest, digest, 32);
    changed = true;
    if (write) {
      uint8_t t[2][32];
      zg__addr_topic(t[0], &h->caller);
      memset(t[1], 0, 24);
      zg_store_be64(t[1] + 24, new_epoch);
      zg_abi_value_t ev[4] = {zg_abi_fbytes(root, 32), zg_abi_u64(seq), zg_abi_u64(len), zg_abi_fbytes(digest, 32)};
      ZG_TRY(zg__sc_emit(h, ZG_FLOW_EVENT_NEW_EPOCH, (const uint8_t(*)[32])t, 2, "(bytes32,uint256,uint256,bytes32)",
                         ev, 4));
    }
  }
  if (write && changed) ZG_TRY(epoch_put(h, s));
  return ZG_OK;
}

/* ---- internal API ---- */

zg_sc_status_t zg__flow_make_context(zg_sc_host_t *h, zg_sc_result_t *res, zg__mine_ctx_t *ctx) {
  fstate_t s;
  zg_err_t e;
  SC_AS(h, zg_flow_address, e = state_get(h, &s); if (e == ZG_OK) e = advance(h, &s, true));
  if (e != ZG_OK) return zg__sc_fail(res, e);
  *ctx = s.ctx;
  return ZG_SC_OK;
}

zg_err_t zg__flow_peek_context(zg_sc_host_t *h, zg__mine_ctx_t *ctx) {
  fstate_t s;
  zg_err_t e;
  SC_AS(h, zg_flow_address, e = state_get(h, &s); if (e == ZG_OK) e = advance(h, &s, false));
  if (e == ZG_OK) *ctx = s.ctx;
  return e;
}

zg_err_t zg__flow_epoch_range(zg_sc_host_t *h, const uint8_t digest[32], uint64_t *start, uint64_t *end,
                              bool *found) {
  uint8_t k[34], v[16];
  zg_err_t e;
  k[0] = 'F';
  k[1] = 'g';
  memcpy(k + 2, digest, 32);
  SC_AS(h, zg_flow_address, e = zg__sc_get(h, k, 34, v, 16, found));
  *start = *end = 0;
  if (e == ZG_OK && *found) {
    *start = zg_load_be64(v);
    *end = zg_load_be64(v + 8);
  }
  return e;
}

/* ---- submit ---- */

typedef struct {
  uint64_t length; /* bytes */
  zg_merkle_node_t nodes[MAX_NODES];
  size_t n;
  const zg_abi_value_t *data; /* the SubmissionData tuple value, for the event */
  uint64_t size;              /* sectors: Σ 2^h */
  zg_u256_t fee;
} sub_t;

/* Reads and validates one Submission value ((length, tags, nodes), submitter). */
static zg_sc_status_t sub_parse(zg_sc_host_t *h, zg_sc_result_t *res, sub_t *s, const zg_abi_value_t *v,
                                const zg_u256_t *price) {
  (void)h;
  const zg_abi_value_t *d = &v->u.items[0];
  const zg_abi_value_t *nodes = &d->u.items[2];
  memset(s, 0, sizeof *s);
  s->data = d;
  if (nodes->len == 0 || nodes->len > MAX_NODES || !zg__abi_u64(&s->length, &d->u.items[0]))
    return zg__sc_revert(res, "Invalid submission");
  s->n = nodes->len;
  for (size_t i = 0; i < s->n; i++) {
    uint64_t ht;
    const zg_abi_value_t *nd = nodes->u.items[i].u.items;
    if (zg_abi_get_word(s->nodes[i].root, &nd[0]) != ZG_OK || !zg__abi_u64(&ht, &nd[1]) || ht >= 64)
      return zg__sc_revert(res, "Invalid submission");
    s->nodes[i].height = (uint32_t)ht;
  }
  if (!zg_submission_valid(s->length, s->nodes, s->n)) return zg__sc_revert(res, "Invalid submission");
  s->size = zg_submission_sectors(s->nodes, s->n);
  if (zg_flow_fee(&s->fee, s->nodes, s->n, price) != ZG_OK) return zg__sc_revert(res, "Flow: fee overflows");
  return ZG_SC_OK;
}

typedef struct {
  uint64_t index, start, size;
  uint8_t digest[32];
} sub_out_t;

/* Appends one checked submission; `paid` (<= value left in Flow) goes to
 * Reward through Market's split. */
static zg_sc_status_t sub_apply(zg_sc_host_t *h, zg_sc_result_t *res, fstate_t *st, const sub_t *s,
                                const zg_u256_t *paid, sub_out_t *o) {
  zg_flow_append_t app;
  uint64_t seq;
  uint8_t root[32], k[10];
  SC_HTRY(advance(h, st, true));
  zg_err_t e = zg_flow_append(&st->tree, &app, s->nodes, s->n);
  if (e != ZG_OK) return zg__sc_revert(res, "Flow: the flow is full");
  SC_HTRY(tree_put(h, &st->tree));
  SC_HTRY(zg__sc_get_u64(h, K_SEQ, 2, &seq, 0));
  SC_HTRY(zg__sc_put_u64(h, K_SEQ, 2, seq + 1));
  zg_flow_root(&st->tree, root);
  k[0] = 'F';
  k[1] = 'r';
  zg_store_be64(k + 2, seq);
  SC_HTRY(h->sput(h, k, 10, root, 32));
  SC_TRY(zg__market_charge(h, res, app.previous_length, app.charged_length, app.padded_length, paid));
  zg_submission_digest(o->digest, s->nodes, s->n);
  o->index = seq;
  o->start = app.start_pos;
  o->size = s->size;
  uint8_t t[2][32];
  zg__addr_topic(t[0], &h->caller);
  memcpy(t[1], o->digest, 32);
  zg_abi_value_t ev[4] = {zg_abi_u64(seq), zg_abi_u64(app.start_pos), zg_abi_u64(s->size), *s->data};
  SC_HTRY(zg__sc_emit(h, ZG_FLOW_EVENT_SUBMIT, (const uint8_t(*)[32])t, 2, ZG_FLOW_EVENT_SUBMIT_DATA, ev, 4));
  return ZG_SC_OK;
}

static zg_sc_status_t launched(zg_sc_host_t *h, zg_sc_result_t *res, const fstate_t *st) {
  if (h->block_number < st->first_block) return zg__sc_revert(res, "Contract has not launched.");
  return ZG_SC_OK;
}

/* Shared by submit and batchSubmit: vals are Submission values. */
static zg_sc_status_t submit_many(zg_sc_host_t *h, zg_sc_result_t *res, const zg_abi_value_t *vals, size_t n,
                                  sub_out_t *outs) {
  fstate_t st;
  zg_u256_t price, total = zg_u256_from_u64(0), left = h->value;
  /* An empty batch would leave msg.value in Flow, which keeps nothing. */
  if (n == 0) return zg__sc_revert(res, "Flow: empty batch");
  SC_HTRY(state_get(h, &st));
  SC_TRY(launched(h, res, &st));
  SC_HTRY(zg__market_price(h, &price));
  sub_t *subs = calloc(n ? n : 1, sizeof *subs);
  if (!subs) return zg__sc_fail(res, ZG_ENOMEM);
  zg_sc_status_t r = ZG_SC_OK;
  for (size_t i = 0; i < n && r == ZG_SC_OK; i++) {
    r = sub_parse(h, res, &subs[i], &vals[i], &price);
    if (r == ZG_SC_OK && !zg_u256_add(&total, &total, &subs[i].fee)) r = zg__sc_revert(res, "Flow: fee overflows");
  }
  if (r == ZG_SC_OK && zg_u256_cmp(&total, &h->value) > 0) r = zg__sc_revert(res, "Flow: fee too low");
  for (size_t i = 0; i < n && r == ZG_SC_OK; i++) {
    /* Each pays its own fee; whatever is left over (a tip) goes with the last. */
    zg_u256_t paid = i + 1 == n ? left : subs[i].fee;
    (void)zg_u256_sub(&left, &left, &paid);
    r = sub_apply(h, res, &st, &subs[i], &paid, &outs[i]);
  }
  free(subs);
  return r;
}

static zg_sc_status_t m_submit(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  sub_out_t o;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(((uint256,bytes,(bytes32,uint256)[]),address))", args, len, &it);
  if (r == ZG_SC_OK) r = submit_many(h, res, &it[0], 1, &o);
  if (r == ZG_SC_OK) {
    zg_abi_value_t rv[4] = {zg_abi_u64(o.index), zg_abi_fbytes(o.digest, 32), zg_abi_u64(o.start),
                            zg_abi_u64(o.size)};
    r = zg__sc_ret(res, "(uint256,bytes32,uint256,uint256)", rv, 4);
  }
  zg_abi_arena_clear(&a);
  return r;
}

static zg_sc_status_t m_batch_submit(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  sub_out_t *o = NULL;
  zg_abi_value_t *rv = NULL;
  zg_abi_arena_init(&a);
  zg_sc_status_t r =
      zg__sc_args(res, &a, WHO, "(((uint256,bytes,(bytes32,uint256)[]),address)[])", args, len, &it);
  size_t n = r == ZG_SC_OK ? it[0].len : 0;
  if (r == ZG_SC_OK && (!(o = calloc(n ? n : 1, sizeof *o)) || !(rv = calloc(4 * (n ? n : 1), sizeof *rv))))
    r = zg__sc_fail(res, ZG_ENOMEM);
  if (r == ZG_SC_OK) r = submit_many(h, res, it[0].u.items, n, o);
  if (r == ZG_SC_OK) {
    for (size_t i = 0; i < n; i++) {
      rv[i] = zg_abi_u64(o[i].index);
      rv[n + i] = zg_abi_fbytes(o[i].digest, 32);
      rv[2 * n + i] = zg_abi_u64(o[i].start);
      rv[3 * n + i] = zg_abi_u64(o[i].size);
    }
    zg_abi_value_t arr[4] = {zg_abi_array(rv, n), zg_abi_array(rv + n, n), zg_abi_array(rv + 2 * n, n),
                             zg_abi_array(rv + 3 * n, n)};
    r = zg__sc_ret(res, "(uint256[],bytes32[],uint256[],uint256[])", arr, 4);
  }
  free(o);
  free(rv);
  zg_abi_arena_clear(&a);
  return r;
}

/* ---- epochs ---- */

static zg_sc_status_t ctx_ret(zg_sc_result_t *res, const zg__mine_ctx_t *c) {
  zg_abi_value_t v[6] = {zg_abi_u64(c->epoch),         zg_abi_u64(c->mine_start),
                         zg_abi_fbytes(c->flow_root, 32), zg_abi_u64(c->flow_length),
                         zg_abi_fbytes(c->block_digest, 32), zg_abi_fbytes(c->digest, 32)};
  zg_abi_value_t t = zg_abi_tuple(v, 6);
  return zg__sc_ret(res, "(" ZG_FLOW_MINE_CONTEXT_TYPE ")", &t, 1);
}

static zg_sc_status_t make_context(zg_sc_host_t *h, zg_sc_result_t *res, fstate_t *st) {
  SC_HTRY(state_get(h, st));
  SC_TRY(launched(h, res, st));
  SC_HTRY(advance(h, st, true));
  return ZG_SC_OK;
}

static zg_sc_status_t m_make_context(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  (void)args;
  (void)len;
  fstate_t st;
  SC_TRY(make_context(h, res, &st));
  return zg__sc_ret(res, "()", NULL, 0);
}

static zg_sc_status_t m_make_context_fixed(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  fstate_t st;
  zg_abi_arena_init(&a);
  /* One loop closes every due epoch, so the count only bounds 0G's loop. */
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(uint256)", args, len, &it);
  zg_abi_arena_clear(&a);
  SC_TRY(r);
  SC_TRY(make_context(h, res, &st));
  return zg__sc_ret(res, "()", NULL, 0);
}

static zg_sc_status_t m_make_context_result(zg_sc_host_t *h, const uint8_t *args, size_t len,
                                            zg_sc_result_t *res) {
  (void)args;
  (void)len;
  fstate_t st;
  SC_TRY(make_context(h, res, &st));
  return ctx_ret(res, &st.ctx);
}

static zg_sc_status_t m_get_context(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  (void)args;
  (void)len;
  fstate_t st;
  SC_HTRY(state_get(h, &st));
  return ctx_ret(res, &st.ctx);
}

static zg_sc_status_t m_get_epoch_range(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  uint8_t d[32];
  uint64_t s = 0, e = 0;
  bool found;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(bytes32)", args, len, &it);
  if (r == ZG_SC_OK && zg_abi_get_word(d, &it[0]) != ZG_OK) r = zg__sc_revert(res, WHO ": malformed arguments");
  zg_abi_arena_clear(&a);
  SC_TRY(r);
  SC_HTRY(zg__flow_epoch_range(h, d, &s, &e, &found));
  zg_abi_value_t v[2] = {zg_abi_u64(s), zg_abi_u64(e)};
  zg_abi_value_t t = zg_abi_tuple(v, 2);
  return zg__sc_ret(res, "((uint128,uint128))", &t, 1);
}

static zg_err_t history_at(zg_sc_host_t *h, uint64_t i, uint64_t *s, uint64_t *e, uint8_t d[32]) {
  uint8_t k[10], v[48];
  bool found;
  k[0] = 'F';
  k[1] = 'h';
  zg_store_be64(k + 2, i);
  ZG_TRY(zg__sc_get(h, k, 10, v, 48, &found));
  if (!found) return ZG_ECORRUPT;
  *s = zg_load_be64(v);
  *e = zg_load_be64(v + 8);
  memcpy(d, v + 16, 32);
  return ZG_OK;
}

static zg_sc_status_t range_ret(zg_sc_result_t *res, uint64_t s, uint64_t e, const uint8_t d[32]) {
  zg_abi_value_t v[3] = {zg_abi_u64(s), zg_abi_u64(e), zg_abi_fbytes(d, 32)};
  zg_abi_value_t t = zg_abi_tuple(v, 3);
  return zg__sc_ret(res, "((uint128,uint128,bytes32))", &t, 1);
}

static zg_sc_status_t m_get_history(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  uint64_t i = 0, n, s, e;
  uint8_t d[32];
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(uint256)", args, len, &it);
  bool fits = r == ZG_SC_OK && zg__abi_u64(&i, &it[0]);
  zg_abi_arena_clear(&a);
  SC_TRY(r);
  SC_HTRY(zg__sc_get_u64(h, K_HLEN, 2, &n, 0));
  if (!fits || i >= n) return zg__sc_revert(res, WHO ": history index out of range");
  SC_HTRY(history_at(h, i, &s, &e, d));
  return range_ret(res, s, e, d);
}

/* A view here (0G's runs makeContext first): the pending epoch, if one is
 * due, is searched as if it had been made, so miners get the same answer
 * from eth_call as from a transaction. */
static zg_sc_status_t m_query_context(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  uint64_t pos = 0, n, s, e;
  uint8_t d[32];
  fstate_t st;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(uint128)", args, len, &it);
  bool fits = r == ZG_SC_OK && zg__abi_u64(&pos, &it[0]);
  zg_abi_arena_clear(&a);
  SC_TRY(r);
  SC_HTRY(state_get(h, &st));
  SC_HTRY(advance(h, &st, false));
  if (!fits || pos >= st.tree.length) return zg__sc_revert(res, "Queried position exceeds upper bound");
  SC_HTRY(zg__sc_get_u64(h, K_HLEN, 2, &n, 0));
  uint64_t lo = 0, hi = n;
  while (hi > lo) {
    uint64_t mid = lo + (hi - lo) / 2;
    SC_HTRY(history_at(h, mid, &s, &e, d));
    if (pos >= e) lo = mid + 1;
    else if (pos >= s) return range_ret(res, s, e, d);
    else hi = mid;
  }
  if (st.pending && pos >= st.pend_start && pos < st.pend_end)
    return range_ret(res, st.pend_start, st.pend_end, st.pend_digest);
  return zg__sc_revert(res, "Can not find proper context");
}

/* ---- simple views ---- */

static zg_sc_status_t ret_u64(zg_sc_result_t *res, uint64_t v) {
  zg_abi_value_t x = zg_abi_u64(v);
  return zg__sc_ret(res, "(uint256)", &x, 1);
}

#define VIEW_FN(name) static zg_sc_status_t name(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res)

VIEW_FN(m_market) {
  (void)h, (void)args, (void)len;
  zg_abi_value_t x = zg_abi_address(zg_market_address.bytes);
  return zg__sc_ret(res, "(address)", &x, 1);
}

VIEW_FN(m_num_submissions) {
  (void)args, (void)len;
  uint64_t n;
  SC_HTRY(zg__sc_get_u64(h, K_SEQ, 2, &n, 0));
  return ret_u64(res, n);
}

VIEW_FN(m_epoch) {
  (void)args, (void)len;
  fstate_t st;
  SC_HTRY(state_get(h, &st));
  return ret_u64(res, st.epoch);
}

VIEW_FN(m_epoch_start) {
  (void)args, (void)len;
  fstate_t st;
  SC_HTRY(state_get(h, &st));
  return ret_u64(res, st.epoch_start);
}

VIEW_FN(m_first_block) {
  (void)args, (void)len;
  uint64_t bpe, first;
  SC_HTRY(params_get(h, &bpe, &first));
  return ret_u64(res, first);
}

VIEW_FN(m_blocks_per_epoch) {
  (void)args, (void)len;
  uint64_t bpe, first;
  SC_HTRY(params_get(h, &bpe, &first));
  return ret_u64(res, bpe);
}

VIEW_FN(m_tree) {
  (void)args, (void)len;
  zg_flow_t f;
  SC_HTRY(tree_get(h, &f));
  zg_abi_value_t v[2] = {zg_abi_u64(f.length), zg_abi_u64(0)}; /* the root is always committed here */
  return zg__sc_ret(res, "(uint256,uint256)", v, 2);
}

VIEW_FN(m_compute_root) {
  (void)args, (void)len;
  zg_flow_t f;
  uint8_t root[32];
  SC_HTRY(tree_get(h, &f));
  zg_flow_root(&f, root);
  zg_abi_value_t x = zg_abi_fbytes(root, 32);
  return zg__sc_ret(res, "(bytes32)", &x, 1);
}

VIEW_FN(m_root_by_seq) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  uint64_t seq = 0;
  uint8_t k[10], root[32];
  bool found = false;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(uint256)", args, len, &it);
  bool fits = r == ZG_SC_OK && zg__abi_u64(&seq, &it[0]);
  zg_abi_arena_clear(&a);
  SC_TRY(r);
  memset(root, 0, 32);
  if (fits) {
    k[0] = 'F';
    k[1] = 'r';
    zg_store_be64(k + 2, seq);
    SC_HTRY(zg__sc_get(h, k, 10, root, 32, &found));
    if (!found) memset(root, 0, 32);
  }
  zg_abi_value_t x = zg_abi_fbytes(root, 32);
  return zg__sc_ret(res, "(bytes32)", &x, 1);
}

/* ---- genesis ---- */

static zg_sc_status_t flow_genesis(zg_sc_host_t *h, const void *genesis_json, zg_sc_result_t *res) {
  uint64_t bpe = ZG_STORAGE_DEFAULT_BLOCKS_PER_EPOCH, first = 0;
  bool ok = true;
  zg__json_u64(&bpe, &ok, genesis_json, "blocksPerEpoch");
  zg__json_u64(&first, &ok, genesis_json, "firstBlock");
  if (!ok || bpe == 0) return zg__sc_revert(res, "Flow genesis: storage.blocksPerEpoch / firstBlock malformed");
  uint8_t v[16];
  zg_store_be64(v, bpe);
  zg_store_be64(v + 8, first);
  SC_HTRY(h->sput(h, K_PARAMS, 2, v, 16));
  fstate_t st;
  SC_HTRY(state_get(h, &st));
  SC_HTRY(epoch_put(h, &st));
  return zg__sc_ret(res, "()", NULL, 0);
}

static const zg_sc_method_t flow_methods[] = {
    {ZG_FLOW_SIG_SUBMIT, ZG_SC_PAYABLE, 120000, m_submit},
    {ZG_FLOW_SIG_BATCH_SUBMIT, ZG_SC_PAYABLE, 400000, m_batch_submit},
    {"makeContext()", 0, 40000, m_make_context},
    {"makeContextFixedTimes(uint256)", 0, 40000, m_make_context_fixed},
    {"makeContextWithResult()", 0, 40000, m_make_context_result},
    {"queryContextAtPosition(uint128)", ZG_SC_VIEW, 30000, m_query_context},
    {"getContext()", ZG_SC_VIEW, 5000, m_get_context},
    {"getEpochRange(bytes32)", ZG_SC_VIEW, 3000, m_get_epoch_range},
    {"getEpochRangeHistory(uint256)", ZG_SC_VIEW, 3000, m_get_history},
    {"getFlowRootByTxSeq(uint256)", ZG_SC_VIEW, 3000, m_root_by_seq},
    {"market()", ZG_SC_VIEW, 1000, m_market},
    {"numSubmissions()", ZG_SC_VIEW, 1000, m_num_submissions},
    {"submissionIndex()", ZG_SC_VIEW, 1000, m_num_submissions},
    {"epoch()", ZG_SC_VIEW, 1000, m_epoch},
    {"epochStartPosition()", ZG_SC_VIEW, 1000, m_epoch_start},
    {"firstBlock()", ZG_SC_VIEW, 1000, m_first_block},
    {"blocksPerEpoch()", ZG_SC_VIEW, 1000, m_blocks_per_epoch},
    {"tree()", ZG_SC_VIEW, 3000, m_tree},
    {"computeFlowRoot()", ZG_SC_VIEW, 5000, m_compute_root},
};

const zg_sc_contract_t zg_flow_contract = {
    .name = "Flow",
    .address = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x01}},
    .lane = ZG_STORAGE_CONTRACTS_LANE,
    .methods = flow_methods,
    .n_methods = sizeof flow_methods / sizeof flow_methods[0],
    .genesis = flow_genesis,
};

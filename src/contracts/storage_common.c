/*
 * storage_common.c — helpers shared by the storage contracts
 * (storage_internal.h) and the public helpers of zg/storage_contracts.h:
 * addresses, the block-digest stand-in, context and subtask digests, miner
 * ids, and the calldata of Flow.submit and Mine.submit.
 *
 * Invariant: every digest here is byte-for-byte the abi.encode /
 * abi.encodePacked form 0G's contracts hash, so a client computing it with
 * ethers gets the same value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "storage_internal.h"
#include "zg/hash.h"

const zg_eth_addr_t zg_flow_address = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x01}};
const zg_eth_addr_t zg_market_address = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x02}};
const zg_eth_addr_t zg_reward_address = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x03}};
const zg_eth_addr_t zg_mine_address = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x04}};

/* keccak256("") */
const uint8_t zg_storage_empty_hash[32] = {0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d,
                                           0xb2, 0xdc, 0xc7, 0x03, 0xc0, 0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82,
                                           0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70};

/* ---- outcomes ---- */

zg_sc_status_t zg__sc_revert(zg_sc_result_t *res, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(res->reason, sizeof res->reason, fmt, ap);
  va_end(ap);
  res->status = ZG_SC_REVERT;
  res->ret.len = 0;
  return ZG_SC_REVERT;
}

zg_sc_status_t zg__sc_fail(zg_sc_result_t *res, zg_err_t e) {
  snprintf(res->reason, sizeof res->reason, "storage contracts: host error %s", zg_errname(e));
  res->status = ZG_SC_FAIL;
  res->ret.len = 0;
  return ZG_SC_FAIL;
}

/* ---- storage ---- */

zg_err_t zg__sc_get(zg_sc_host_t *h, const uint8_t *k, size_t kl, uint8_t *out, size_t n, bool *found) {
  zg_buf_t b;
  zg_buf_init(&b);
  zg_err_t e = h->sget(h, k, kl, &b, found);
  if (e == ZG_OK && *found) {
    if (b.len != n) e = ZG_ECORRUPT;
    else if (n) memcpy(out, b.ptr, n);
  }
  zg_buf_clear(&b);
  if (e != ZG_OK) *found = false;
  return e;
}

zg_err_t zg__sc_get_u64(zg_sc_host_t *h, const uint8_t *k, size_t kl, uint64_t *out, uint64_t dflt) {
  uint8_t w[8];
  bool found;
  *out = dflt;
  ZG_TRY(zg__sc_get(h, k, kl, w, 8, &found));
  if (found) *out = zg_load_be64(w);
  return ZG_OK;
}

zg_err_t zg__sc_put_u64(zg_sc_host_t *h, const uint8_t *k, size_t kl, uint64_t v) {
  uint8_t w[8];
  zg_store_be64(w, v);
  return h->sput(h, k, kl, w, 8);
}

zg_err_t zg__sc_get_u256(zg_sc_host_t *h, const uint8_t *k, size_t kl, zg_u256_t *out) {
  uint8_t w[32];
  bool found;
  *out = zg_u256_from_u64(0);
  ZG_TRY(zg__sc_get(h, k, kl, w, 32, &found));
  if (found) zg_u256_from_be32(out, w);
  return ZG_OK;
}

zg_err_t zg__sc_put_u256(zg_sc_host_t *h, const uint8_t *k, size_t kl, const zg_u256_t *v) {
  uint8_t w[32];
  zg_u256_to_be32(w, v);
  return h->sput(h, k, kl, w, 32);
}

/* ---- ABI ---- */

zg_sc_status_t zg__sc_args(zg_sc_result_t *res, zg_abi_arena_t *a, const char *who, const char *type,
                           const uint8_t *args, size_t len, const zg_abi_value_t **items) {
  const zg_abi_type_t *t;
  zg_abi_value_t v;
  zg_err_t e = zg_abi_type_parse_str(&t, a, type);
  if (e != ZG_OK) return zg__sc_fail(res, e);
  e = zg_abi_decode(&v, a, t, args, len);
  if (e == ZG_ENOMEM) return zg__sc_fail(res, e);
  if (e != ZG_OK) return zg__sc_revert(res, "%s: malformed arguments (%s)", who, zg_errname(e));
  *items = v.u.items;
  return ZG_SC_OK;
}

zg_sc_status_t zg__sc_ret(zg_sc_result_t *res, const char *type, const zg_abi_value_t *vals, size_t n) {
  zg_abi_arena_t a;
  const zg_abi_type_t *t;
  res->ret.len = 0;
  res->status = ZG_SC_OK;
  if (n == 0) return ZG_SC_OK;
  zg_abi_arena_init(&a);
  zg_err_t e = zg_abi_type_parse_str(&t, &a, type);
  if (e == ZG_OK) e = zg_abi_encode_args(&res->ret, t, vals, n);
  zg_abi_arena_clear(&a);
  if (e != ZG_OK) return zg__sc_fail(res, e);
  return ZG_SC_OK;
}

zg_err_t zg__sc_emit(zg_sc_host_t *h, const char *sig, const uint8_t (*topics)[32], unsigned nt,
                     const char *data_type, const zg_abi_value_t *vals, size_t n) {
  zg_sc_log_t log;
  zg_abi_arena_t a;
  const zg_abi_type_t *t;
  zg_buf_t data;
  memset(&log, 0, sizeof log);
  log.address = h->self;
  zg_abi_event_topic(log.topics[0], sig, strlen(sig));
  for (unsigned i = 0; i < nt; i++) memcpy(log.topics[1 + i], topics[i], 32);
  log.n_topics = 1 + nt;
  zg_abi_arena_init(&a);
  zg_buf_init(&data);
  zg_err_t e = ZG_OK;
  if (data_type && n) {
    e = zg_abi_type_parse_str(&t, &a, data_type);
    if (e == ZG_OK) e = zg_abi_encode_args(&data, t, vals, n);
  }
  if (e == ZG_OK) {
    log.data = data.ptr;
    log.data_len = data.len;
    e = h->emit(h, &log);
  }
  zg_buf_clear(&data);
  zg_abi_arena_clear(&a);
  return e;
}

zg_abi_value_t zg__abi_u256(const zg_u256_t *v) {
  uint8_t w[32];
  zg_u256_to_be32(w, v);
  return zg_abi_uint_be(w);
}

void zg__addr_topic(uint8_t t[32], const zg_eth_addr_t *a) {
  memset(t, 0, 12);
  memcpy(t + 12, a->bytes, 20);
}

bool zg__abi_u64(uint64_t *out, const zg_abi_value_t *v) { return zg_abi_get_u64(out, v) == ZG_OK; }

/* ---- genesis JSON ---- */

static const json_t *storage_obj(const json_t *root) {
  return root && json_is_object(root) ? json_object_get(root, "storage") : NULL;
}

void zg__json_u64(uint64_t *out, bool *ok, const json_t *root, const char *name) {
  const json_t *j = json_object_get(storage_obj(root), name);
  if (!j) return;
  if (json_is_integer(j) && json_integer_value(j) >= 0) *out = (uint64_t)json_integer_value(j);
  else *ok = false;
}

void zg__json_u256(zg_u256_t *out, bool *ok, const json_t *root, const char *name) {
  const json_t *j = json_object_get(storage_obj(root), name);
  if (!j) return;
  if (json_is_integer(j) && json_integer_value(j) >= 0) *out = zg_u256_from_u64((uint64_t)json_integer_value(j));
  else if (!json_is_string(j) || zg_u256_parse(out, json_string_value(j), json_string_length(j)) != ZG_OK)
    *ok = false;
}

/* ---- public helpers ---- */

void zg_storage_block_digest(uint8_t out[32], uint64_t chain_id, uint64_t number) {
  static const char tag[] = "zg.blockdigest";
  uint8_t in[sizeof tag - 1 + 16];
  memcpy(in, tag, sizeof tag - 1);
  zg_store_be64(in + sizeof tag - 1, chain_id);
  zg_store_be64(in + sizeof tag - 1 + 8, number);
  zg_keccak256(out, in, sizeof in);
}

void zg_storage_context_digest(uint8_t out[32], const uint8_t block_digest[32], const uint8_t flow_root[32],
                               uint64_t flow_length) {
  uint8_t in[96];
  memcpy(in, block_digest, 32);
  memcpy(in + 32, flow_root, 32);
  memset(in + 64, 0, 24);
  zg_store_be64(in + 88, flow_length);
  zg_keccak256(out, in, sizeof in);
}

void zg_mine_miner_id(uint8_t out[32], const uint8_t prev_block_digest[32], const zg_eth_addr_t *sender,
                      uint64_t seed) {
  uint8_t in[32 + 20 + 8];
  memcpy(in, prev_block_digest, 32);
  memcpy(in + 32, sender->bytes, 20);
  zg_store_be64(in + 52, seed);
  zg_keccak256(out, in, sizeof in);
}

void zg_mine_subtask(uint64_t *start, uint8_t subtask_digest[32], const uint8_t ctx_digest[32],
                     const uint8_t miner_id[32], uint64_t mine_start, uint64_t n_subtasks, uint64_t interval,
                     uint64_t chain_id) {
  uint8_t in[64], h[32], bd[32];
  memcpy(in, ctx_digest, 32);
  memcpy(in + 32, miner_id, 32);
  zg_keccak256(h, in, 64);
  zg_u256_t v, q;
  uint64_t idx;
  zg_u256_from_be32(&v, h);
  zg_u256_divmod_u64(&q, &idx, &v, n_subtasks ? n_subtasks : 1);
  *start = mine_start + idx * interval;
  zg_storage_block_digest(bd, chain_id, *start);
  memcpy(in + 32, bd, 32);
  zg_keccak256(subtask_digest, in, 64);
}

zg_err_t zg_mine_answer_encode(zg_buf_t *out, const zg_mine_answer_t *a) {
  if (!out || !a || a->nproof > ZG_PORA_MAX_PROOF) return ZG_EINVAL;
  zg_abi_arena_t ar;
  zg_abi_func_t f;
  zg_abi_value_t words[ZG_PORA_SEAL_WORDS], proof[ZG_PORA_MAX_PROOF], range[4], ans[9], arg;
  for (unsigned i = 0; i < ZG_PORA_SEAL_WORDS; i++) words[i] = zg_abi_fbytes(a->sealed + 32 * i, 32);
  for (size_t i = 0; i < a->nproof; i++) proof[i] = zg_abi_fbytes(a->proof[i], 32);
  range[0] = zg_abi_u64(a->range.start);
  range[1] = zg_abi_u64(a->range.mine_length);
  range[2] = zg_abi_u64(a->range.shard_id);
  range[3] = zg_abi_u64(a->range.shard_mask);
  ans[0] = zg_abi_fbytes(a->context_digest, 32);
  ans[1] = zg_abi_fbytes(a->nonce, 32);
  ans[2] = zg_abi_fbytes(a->miner_id, 32);
  ans[3] = zg_abi_tuple(range, 4);
  ans[4] = zg_abi_u64(a->recall_position);
  ans[5] = zg_abi_u64(a->seal_offset);
  ans[6] = zg_abi_fbytes(a->sealed_context_digest, 32);
  ans[7] = zg_abi_array(words, ZG_PORA_SEAL_WORDS);
  ans[8] = zg_abi_array(proof, a->nproof);
  arg = zg_abi_tuple(ans, 9);
  zg_abi_arena_init(&ar);
  zg_err_t e = zg_abi_func_parse(&f, &ar, ZG_MINE_SIG_SUBMIT);
  if (e == ZG_OK) e = zg_abi_call_encode(out, &f, &arg, 1);
  zg_abi_arena_clear(&ar);
  return e;
}

static zg_err_t word32(uint8_t out[32], const zg_abi_value_t *v) { return zg_abi_get_word(out, v); }

zg_err_t zg_mine_answer_decode(zg_mine_answer_t *a, const uint8_t *args, size_t len) {
  if (!a || (!args && len)) return ZG_EINVAL;
  memset(a, 0, sizeof *a);
  zg_abi_arena_t ar;
  const zg_abi_type_t *t;
  zg_abi_value_t v;
  zg_abi_arena_init(&ar);
  zg_err_t e = zg_abi_type_parse_str(&t, &ar, "(" ZG_MINE_ANSWER_TYPE ")");
  if (e == ZG_OK) e = zg_abi_decode(&v, &ar, t, args, len);
  if (e != ZG_OK) goto out;
  const zg_abi_value_t *it = v.u.items[0].u.items, *rg = it[3].u.items;
  if ((e = word32(a->context_digest, &it[0])) || (e = word32(a->nonce, &it[1])) ||
      (e = word32(a->miner_id, &it[2])) || (e = zg_abi_get_u64(&a->range.start, &rg[0])) ||
      (e = zg_abi_get_u64(&a->range.mine_length, &rg[1])) || (e = zg_abi_get_u64(&a->range.shard_id, &rg[2])) ||
      (e = zg_abi_get_u64(&a->range.shard_mask, &rg[3])) || (e = zg_abi_get_u64(&a->recall_position, &it[4])) ||
      (e = zg_abi_get_u64(&a->seal_offset, &it[5])) || (e = word32(a->sealed_context_digest, &it[6])))
    goto out;
  for (unsigned i = 0; i < ZG_PORA_SEAL_WORDS; i++)
    if ((e = word32(a->sealed + 32 * i, &it[7].u.items[i]))) goto out;
  if (it[8].len > ZG_PORA_MAX_PROOF) {
    e = ZG_EBADPROOF;
    goto out;
  }
  a->nproof = it[8].len;
  for (size_t i = 0; i < a->nproof; i++)
    if ((e = word32(a->proof[i], &it[8].u.items[i]))) goto out;
out:
  zg_abi_arena_clear(&ar);
  return e;
}

zg_err_t zg_flow_submit_encode(zg_buf_t *out, uint64_t length, const uint8_t *tags, size_t tags_len,
                               const zg_merkle_node_t *nodes, size_t n, const zg_eth_addr_t *submitter) {
  if (!out || !nodes || n == 0 || n > 64 || (!tags && tags_len) || !submitter) return ZG_EINVAL;
  zg_abi_arena_t ar;
  zg_abi_func_t f;
  zg_abi_value_t nv[64], pair[64][2], data[3], sub[2], arg;
  for (size_t i = 0; i < n; i++) {
    pair[i][0] = zg_abi_fbytes(nodes[i].root, 32);
    pair[i][1] = zg_abi_u64(nodes[i].height);
    nv[i] = zg_abi_tuple(pair[i], 2);
  }
  data[0] = zg_abi_u64(length);
  data[1] = zg_abi_bytes(tags ? tags : (const uint8_t *)"", tags_len);
  data[2] = zg_abi_array(nv, n);
  sub[0] = zg_abi_tuple(data, 3);
  sub[1] = zg_abi_address(submitter->bytes);
  arg = zg_abi_tuple(sub, 2);
  zg_abi_arena_init(&ar);
  zg_err_t e = zg_abi_func_parse(&f, &ar, ZG_FLOW_SIG_SUBMIT);
  if (e == ZG_OK) e = zg_abi_call_encode(out, &f, &arg, 1);
  zg_abi_arena_clear(&ar);
  return e;
}

zg_err_t zg_flow_fee(zg_u256_t *fee, const zg_merkle_node_t *nodes, size_t n, const zg_u256_t *price) {
  *fee = zg_u256_from_u64(0);
  if (!nodes || !price) return ZG_EINVAL;
  for (size_t i = 0; i < n; i++) {
    if (nodes[i].height >= 64) return ZG_EOVERFLOW;
    zg_u256_t part;
    if (!zg_u256_mul_u64(&part, price, 1ull << nodes[i].height) || !zg_u256_add(fee, fee, &part))
      return ZG_EOVERFLOW;
  }
  return ZG_OK;
}

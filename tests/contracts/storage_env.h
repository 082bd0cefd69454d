/*
 * storage_env.h — a test world for the storage contracts (test_flow.c,
 * test_mine.c, bench_pora.c): the in-memory host of sc_memhost.h with a
 * registry of Flow, Market, Reward and Mine, calls that move msg.value and
 * roll back on revert as the executor does, and an event log without
 * sc_memhost's 512-byte data limit (Submit events are larger). Also a
 * naive model of the flow's sector bytes to build proofs from.
 */
#ifndef ZG_STORAGE_ENV_H
#define ZG_STORAGE_ENV_H

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/contracts/sc_memhost.h"
#include "zg/abi.h"
#include "zg/flow.h"
#include "zg/hash.h"
#include "zg/storage_contracts.h"

#define SE_MAX_LOGS 2048

typedef struct {
  zg_eth_addr_t address;
  uint8_t topics[4][32];
  unsigned n_topics;
  uint8_t *data;
  size_t data_len;
} se_log_t;

typedef struct {
  mh_world_t w;
  zg_sc_registry_t *reg;
  uint64_t block, ts_ms, chain_id;
  zg_eth_addr_t caller;
  se_log_t logs[SE_MAX_LOGS];
  size_t nlogs;
} se_env_t;

static inline zg_err_t se_emit(zg_sc_host_t *h, const zg_sc_log_t *log) {
  se_env_t *e = (se_env_t *)((mh_world_t *)h->ctx); /* w is the first member */
  if (h->read_only) return ZG_EPERM;
  if (e->nlogs == SE_MAX_LOGS) return ZG_EFULL;
  se_log_t *l = &e->logs[e->nlogs++];
  l->address = log->address;
  memcpy(l->topics, log->topics, sizeof l->topics);
  l->n_topics = log->n_topics;
  l->data = mh_dup(log->data ? log->data : (const uint8_t *)"", log->data_len);
  l->data_len = log->data_len;
  return ZG_OK;
}

static inline void se_drop_logs(se_env_t *e, size_t keep) {
  while (e->nlogs > keep) free(e->logs[--e->nlogs].data);
}

static inline void se_host(se_env_t *e, zg_sc_host_t *h, const zg_eth_addr_t *to) {
  mh_host_init(h, &e->w, to, e->chain_id);
  h->emit = se_emit;
  h->caller = e->caller;
  h->block_number = e->block;
  h->timestamp_ms = e->ts_ms;
}

/* Calls `to` with calldata and value (taken from the caller's balance,
 * which the test funds with se_fund). Reverts restore the world and drop
 * the call's logs. res must be freed with zg_sc_result_free. */
static inline zg_sc_status_t se_call_v(se_env_t *e, const zg_eth_addr_t *to, const zg_u256_t *value,
                                       const uint8_t *cd, size_t len, bool read_only, zg_sc_result_t *res) {
  mh_world_t snap;
  size_t nl = e->nlogs;
  mh_world_copy(&snap, &e->w);
  zg_sc_host_t h;
  se_host(e, &h, to);
  h.read_only = read_only;
  zg_u256_t zero = zg_u256_from_u64(0);
  h.value = value ? *value : zero;
  if (value && !zg_u256_is_zero(value)) {
    zg_u256_t *from = mh_acct(&e->w, &e->caller), *dst;
    if (!zg_u256_sub(from, from, value)) abort(); /* the test forgot to fund the caller */
    dst = mh_acct(&e->w, to);
    (void)zg_u256_add(dst, dst, value);
  }
  zg_err_t err = zg_sc_call(e->reg, &h, cd, len, res);
  (void)err;
  if (res->status != ZG_SC_OK) {
    mh_world_free(&e->w);
    e->w = snap;
    se_drop_logs(e, nl);
  } else {
    mh_world_free(&snap);
  }
  return res->status;
}

static inline void se_fund(se_env_t *e, const zg_eth_addr_t *who, uint64_t amount) {
  zg_u256_t *b = mh_acct(&e->w, who), a = zg_u256_from_u64(amount);
  (void)zg_u256_add(b, b, &a);
}

static inline zg_u256_t se_balance(se_env_t *e, const zg_eth_addr_t *who) { return *mh_acct(&e->w, who); }

/* Calldata of signature `sig` with args (NULL/0 for none). */
static inline void se_calldata(zg_buf_t *out, const char *sig, const zg_abi_value_t *args, size_t n) {
  zg_abi_arena_t a;
  zg_abi_func_t f;
  zg_abi_arena_init(&a);
  out->len = 0;
  if (zg_abi_func_parse(&f, &a, sig) != ZG_OK || zg_abi_call_encode(out, &f, args, n) != ZG_OK) abort();
  zg_abi_arena_clear(&a);
}

/* Runs the genesis hooks of the four contracts with JSON text (NULL: none). */
static inline bool se_init(se_env_t *e, const char *genesis) {
  memset(e, 0, sizeof *e);
  e->chain_id = 16888;
  e->block = 1;
  e->ts_ms = 1000000;
  memset(e->caller.bytes, 0, 20);
  e->caller.bytes[0] = 0xaa;
  e->caller.bytes[19] = 0x10;
  if (zg_sc_registry_new(&e->reg) != ZG_OK) return false;
  const zg_sc_contract_t *cs[4] = {&zg_flow_contract, &zg_market_contract, &zg_reward_contract, &zg_mine_contract};
  json_t *j = genesis ? json_loads(genesis, 0, NULL) : NULL;
  bool ok = true;
  for (int i = 0; i < 4 && ok; i++) {
    ok = zg_sc_register(e->reg, cs[i]) == ZG_OK;
    zg_sc_host_t h;
    se_host(e, &h, &cs[i]->address);
    zg_sc_result_t r;
    memset(&r, 0, sizeof r);
    zg_buf_init(&r.ret);
    if (ok && cs[i]->genesis) ok = cs[i]->genesis(&h, j, &r) == ZG_SC_OK;
    zg_sc_result_free(&r);
  }
  json_decref(j);
  return ok;
}

static inline void se_free(se_env_t *e) {
  se_drop_logs(e, 0);
  mh_world_free(&e->w);
  zg_sc_registry_free(e->reg);
}

/* ---- the flow's bytes, for proofs ---- */

typedef struct {
  uint8_t *data; /* sectors [0, cap) */
  uint64_t cap;
} se_flowdata_t;

/* Leaf or inner node (height, index) over the bytes; the dummy rule for sector 0. */
static inline void se_node(const se_flowdata_t *fd, uint8_t out[32], unsigned height, uint64_t index) {
  if (height == 0) {
    uint64_t s = index;
    zg_flow_leaf_hash(out, s, s < fd->cap ? fd->data + s * 256 : (const uint8_t *)"", s < fd->cap ? 256 : 0);
    return;
  }
  uint8_t l[32], r[32];
  se_node(fd, l, height - 1, 2 * index);
  se_node(fd, r, height - 1, 2 * index + 1);
  zg_keccak256_pair(out, l, r);
}

static inline zg_err_t se_fetch(void *arg, uint8_t out[32], unsigned height, uint64_t index) {
  se_node(arg, out, height, index);
  return ZG_OK;
}

#endif

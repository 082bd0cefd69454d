/*
 * exec_util.h — helpers shared by the state, exec and syscontract tests:
 * temporary directories, K lane states under one directory, addresses on a
 * chosen lane, and simple transactions.
 */
#ifndef ZG_TESTS_EXEC_UTIL_H
#define ZG_TESTS_EXEC_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zg/exec.h"
#include "zg/state.h"
#include "zg_test.h"

#define XU_CHAIN_ID 16888u

static inline void xu_mkdtemp(char *out, size_t cap, const char *tag) {
  snprintf(out, cap, "/tmp/zgt_exec_%s_XXXXXX", tag);
  if (!mkdtemp(out)) {
    perror("mkdtemp");
    exit(1);
  }
}

static inline void xu_rm_rf(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) printf("  (could not remove %s)\n", dir);
}

/* Opens lanes states at dir/laneN (no_sync unless sync). */
static inline zg_err_t xu_open_lanes(zg_state_t **st, const char *dir, uint32_t lanes, bool sync) {
  zg_state_opts_t o = {.no_sync = !sync, .map_size = (size_t)256 << 20};
  for (uint32_t i = 0; i < lanes; i++) {
    char p[600];
    snprintf(p, sizeof p, "%s/lane%u", dir, i);
    zg_err_t e = zg_state_open(&st[i], p, i, lanes, &o);
    if (e) return e;
  }
  return ZG_OK;
}

static inline void xu_close_lanes(zg_state_t **st, uint32_t lanes) {
  for (uint32_t i = 0; i < lanes; i++) zg_state_close(st[i]), st[i] = NULL;
}

/* An address made from (tag, i) whose owner lane is `lane` of `lanes`. */
static inline zg_eth_addr_t xu_addr(uint32_t tag, uint32_t i, uint32_t lane, uint32_t lanes) {
  zg_eth_addr_t a;
  memset(&a, 0, sizeof a);
  a.bytes[0] = 0xa0;
  memcpy(a.bytes + 4, &tag, 4);
  memcpy(a.bytes + 8, &i, 4);
  a.bytes[19] = (uint8_t)(lanes * (i % 8) + lane); /* mod lanes == lane */
  return a;
}

static inline zg_u256_t xu_u(uint64_t v) { return zg_u256_from_u64(v); }

static inline uint64_t xu_lo(const zg_u256_t *v) { return v->w[0]; }

/* A type-2 transfer with the given fees (wei per gas). */
static inline zg_exec_tx_t xu_transfer(const zg_eth_addr_t *from, const zg_eth_addr_t *to, uint64_t nonce,
                                       uint64_t value, uint64_t max_fee, uint64_t tip) {
  zg_exec_tx_t t;
  memset(&t, 0, sizeof t);
  t.type = 2;
  t.has_chain_id = true;
  t.chain_id = XU_CHAIN_ID;
  t.nonce = nonce;
  t.max_fee = zg_u256_from_u64(max_fee);
  t.max_priority = zg_u256_from_u64(tip);
  t.gas_limit = 21000;
  t.has_to = true;
  t.to = *to;
  t.value = zg_u256_from_u64(value);
  t.sender = *from;
  /* A unique hash per (sender, nonce) is enough for the roots. */
  memcpy(t.hash, from->bytes, 20);
  memcpy(t.hash + 20, &nonce, 8);
  return t;
}

static inline zg_block_ctx_t xu_ctx(uint32_t lane, uint64_t height, uint64_t base_fee,
                                    const zg_eth_addr_t *proposer) {
  zg_block_ctx_t c;
  memset(&c, 0, sizeof c);
  c.lane = lane;
  c.height = height;
  c.timestamp_ms = 1700000000000ull + height * 200;
  c.base_fee = zg_u256_from_u64(base_fee);
  c.chain_id = XU_CHAIN_ID;
  if (proposer) c.proposer = *proposer;
  return c;
}

static inline uint64_t xu_balance(zg_exec_t *ex, zg_state_t **st, const zg_eth_addr_t *a) {
  zg_account_t acct = {0};
  if (zg_state_account(st[zg_exec_owner_lane(ex, a)], a, &acct) != ZG_OK) return UINT64_MAX;
  return acct.balance.w[0];
}

static inline uint64_t xu_nonce(zg_exec_t *ex, zg_state_t **st, const zg_eth_addr_t *a) {
  zg_account_t acct = {0};
  if (zg_state_account(st[zg_exec_owner_lane(ex, a)], a, &acct) != ZG_OK) return UINT64_MAX;
  return acct.nonce;
}

#endif

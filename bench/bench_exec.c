/*
 * bench_exec.c — block execution cost without signature recovery: one op is
 * a block of 1000 simple transfers (distinct senders, EIP-1559 fees, tip to
 * the proposer) executed and committed by zg_exec_block; divide ns/op by
 * 1000 for the cost per transaction. Cases with fsync on each block commit
 * (as a validator runs) and without (no_sync), and one where half the
 * recipients live on another lane (outbox credits).
 *
 * State goes in a fresh directory under $ZG_BENCH_DIR (default /tmp),
 * removed after each case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "zg/exec.h"
#include "zg/log.h"

#define BX_TXS 1000
#define BX_CHAIN 16888u

typedef struct {
  char dir[300];
  uint32_t lanes;
  zg_state_t *st[2];
  zg_sc_registry_t *reg;
  zg_exec_t *ex;
  zg_eth_addr_t from[BX_TXS], to[BX_TXS];
  uint64_t height;
} bx_t;

static zg_eth_addr_t bx_addr(uint32_t tag, uint32_t i, uint32_t lane) {
  zg_eth_addr_t a;
  memset(&a, 0, sizeof a);
  a.bytes[0] = 0xb0;
  memcpy(a.bytes + 4, &tag, 4);
  memcpy(a.bytes + 8, &i, 4);
  a.bytes[19] = (uint8_t)(2 * (i % 64) + lane);
  return a;
}

static bool bx_open(bx_t *x, bool sync, bool cross) {
  const char *base = getenv("ZG_BENCH_DIR");
  memset(x, 0, sizeof *x);
  zg_log_set_level(ZG_LOG_OFF);
  x->lanes = cross ? 2 : 1;
  snprintf(x->dir, sizeof x->dir, "%s/zg_bench_exec_XXXXXX", base ? base : "/tmp");
  if (!mkdtemp(x->dir)) return false;
  zg_state_opts_t o = {.no_sync = !sync, .map_size = (size_t)1 << 30};
  for (uint32_t l = 0; l < x->lanes; l++) {
    char p[340];
    snprintf(p, sizeof p, "%s/lane%u", x->dir, l);
    if (zg_state_open(&x->st[l], p, l, x->lanes, &o)) return false;
  }
  zg_u256_t bf = zg_u256_from_u64(1000000000);
  if (zg_sc_registry_new(&x->reg) || zg_exec_create(&x->ex, x->st, x->lanes, x->reg, BX_CHAIN, &bf))
    return false;
  static zg_genesis_alloc_t alloc[BX_TXS];
  for (uint32_t i = 0; i < BX_TXS; i++) {
    x->from[i] = bx_addr(1, i, 0);
    x->to[i] = bx_addr(2, i, cross && (i & 1) ? 1 : 0);
    alloc[i].addr = x->from[i];
    alloc[i].balance = zg_u256_from_u64(UINT64_MAX);
  }
  for (uint32_t l = 0; l < x->lanes; l++)
    if (zg_exec_genesis(x->ex, l, alloc, BX_TXS, NULL, 0, NULL)) return false;
  return true;
}

static void bx_close(bx_t *x) {
  char cmd[400];
  zg_exec_destroy(x->ex);
  zg_sc_registry_free(x->reg);
  for (uint32_t l = 0; l < x->lanes; l++) zg_state_close(x->st[l]);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->dir);
  if (system(cmd) != 0) fprintf(stderr, "bench_exec: could not remove %s\n", x->dir);
}

static void bx_block(bx_t *x, zg_exec_tx_t *txs) {
  uint64_t nonce = x->height++;
  for (uint32_t i = 0; i < BX_TXS; i++) {
    zg_exec_tx_t *t = &txs[i];
    memset(t, 0, sizeof *t);
    t->type = 2;
    t->has_chain_id = true;
    t->chain_id = BX_CHAIN;
    t->nonce = nonce;
    t->max_fee = zg_u256_from_u64(2000000000);
    t->max_priority = zg_u256_from_u64(100000000);
    t->gas_limit = 21000;
    t->has_to = true;
    t->to = x->to[i];
    t->value = zg_u256_from_u64(1000 + i);
    t->sender = x->from[i];
    memcpy(t->hash, &i, 4);
    memcpy(t->hash + 4, &nonce, 8);
  }
  zg_block_ctx_t c;
  memset(&c, 0, sizeof c);
  c.lane = 0;
  c.height = x->height;
  c.base_fee = zg_u256_from_u64(1000000000);
  c.chain_id = BX_CHAIN;
  c.proposer = bx_addr(3, 0, 0);
  uint64_t imp[2] = {0, 0};
  zg_exec_result_t res;
  if (zg_exec_block(x->ex, &res, &c, imp, txs, BX_TXS) != ZG_OK || res.n_included != BX_TXS) abort();
  zg_exec_result_free(&res);
}

static void bx_run(zg_bench_t *b, bool sync, bool cross) {
  bx_t *x = calloc(1, sizeof *x);
  zg_exec_tx_t *txs = calloc(BX_TXS, sizeof *txs);
  if (!x || !txs || !bx_open(x, sync, cross)) {
    fprintf(stderr, "bench_exec: set-up failed\n");
    free(txs);
    free(x);
    return;
  }
  while (zg_bench_loop(b)) bx_block(x, txs);
  bx_close(x);
  free(txs);
  free(x);
}

/* One op = a block of 1000 transfers; ns per tx = ns/op / 1000. */
ZG_BENCH(exec_block_1000_transfers_nosync) { bx_run(b, false, false); }
ZG_BENCH(exec_block_1000_transfers_sync) { bx_run(b, true, false); }
ZG_BENCH(exec_block_1000_transfers_half_xlane_nosync) { bx_run(b, false, true); }

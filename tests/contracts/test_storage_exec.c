/*
 * test_storage_exec.c — the storage contracts over the real chain: per-lane
 * LMDB state and the executor (zg/exec.h) with a registry of Flow, Market,
 * Reward and Mine, two lanes. Genesis from genesis.json (the "storage"
 * object, Reward funded in alloc), Flow.submit as lane-0 transactions
 * (value routed to Reward across the contracts' internal calls, the Submit
 * log in the receipt, a revert rolling everything back), the owner-lane
 * rule for a lane-1 uploader, views through zg_exec_call, and miner
 * registration.
 */
#include <jansson.h>

#include "chain/exec_util.h"
#include "zg/abi.h"
#include "zg/storage_contracts.h"

#define LANES 2u

static const zg_eth_addr_t zero_from;

typedef struct {
  char dir[256];
  zg_state_t *st[LANES];
  zg_sc_registry_t *reg;
  zg_exec_t *ex;
  uint64_t height;
} chain_t;

static zg_err_t chain_open(chain_t *c, const zg_genesis_alloc_t *alloc, size_t n, const char *genesis) {
  zg_u256_t bf = xu_u(1);
  memset(c, 0, sizeof *c);
  xu_mkdtemp(c->dir, sizeof c->dir, "storage");
  ZG_TRY(xu_open_lanes(c->st, c->dir, LANES, false));
  ZG_TRY(zg_sc_registry_new(&c->reg));
  ZG_TRY(zg_sc_register(c->reg, &zg_flow_contract));
  ZG_TRY(zg_sc_register(c->reg, &zg_market_contract));
  ZG_TRY(zg_sc_register(c->reg, &zg_reward_contract));
  ZG_TRY(zg_sc_register(c->reg, &zg_mine_contract));
  ZG_TRY(zg_exec_create(&c->ex, c->st, LANES, c->reg, XU_CHAIN_ID, &bf));
  json_t *g = json_loads(genesis, 0, NULL);
  if (!g) return ZG_EJSON;
  zg_err_t e = ZG_OK;
  for (uint32_t l = 0; l < LANES && !e; l++) e = zg_exec_genesis(c->ex, l, alloc, n, g, 0, NULL);
  json_decref(g);
  return e;
}

static void chain_close(chain_t *c) {
  zg_exec_destroy(c->ex);
  zg_sc_registry_free(c->reg);
  xu_close_lanes(c->st, LANES);
  xu_rm_rf(c->dir);
}

static zg_exec_tx_t call_tx(const zg_eth_addr_t *from, const zg_eth_addr_t *to, uint64_t nonce, uint64_t value,
                            const zg_buf_t *cd) {
  zg_exec_tx_t t = xu_transfer(from, to, nonce, value, 10, 1);
  t.data = cd->ptr;
  t.data_len = cd->len;
  t.gas_limit = 2000000;
  return t;
}

static uint64_t view_u64(chain_t *c, const zg_eth_addr_t *to, const char *sig) {
  zg_buf_t cd;
  zg_sc_result_t r;
  zg_abi_arena_t a;
  zg_abi_func_t f;
  zg_buf_init(&cd);
  zg_abi_arena_init(&a);
  if (zg_abi_func_parse(&f, &a, sig) || zg_abi_call_encode(&cd, &f, NULL, 0)) abort();
  zg_abi_arena_clear(&a);
  uint64_t v = UINT64_MAX;
  CHECK_OK(zg_exec_call(c->ex, &r, &zero_from, to, NULL, cd.ptr, cd.len));
  if (r.status == ZG_SC_OK && r.ret.len >= 32) v = zg_load_be64(r.ret.ptr + 24);
  else ZGT_FAIL("%s: %s", sig, r.reason);
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
  return v;
}

/* Runs one lane block with txs at the next height of that lane. */
static void block(chain_t *c, uint32_t lane, uint64_t height, const zg_exec_tx_t *txs, size_t n,
                  zg_exec_result_t *res) {
  zg_eth_addr_t prop = xu_addr(9, 0, lane, LANES);
  zg_block_ctx_t ctx = xu_ctx(lane, height, 1, &prop);
  uint64_t imp[LANES] = {0};
  CHECK_OK(zg_exec_block(c->ex, res, &ctx, imp, txs, n));
}

static void test_submit_on_chain(void) {
  zg_eth_addr_t up = xu_addr(1, 1, 0, LANES), other = xu_addr(1, 2, 1, LANES);
  zg_genesis_alloc_t alloc[3] = {{up, xu_u(1000000000000ull)},
                                 {other, xu_u(1000000000000ull)},
                                 {zg_reward_address, xu_u(1000000)}};
  chain_t c;
  CHECK_OK(chain_open(&c, alloc, 3,
                      "{\"storage\": {\"blocksPerEpoch\": 4, \"pricePerSector\": \"1000\", \"baseReward\": \"1000\"}}"));
  CHECK_EQ(view_u64(&c, &zg_market_address, "pricePerSector()"), 1000);
  CHECK_EQ(view_u64(&c, &zg_flow_address, "blocksPerEpoch()"), 4);
  CHECK_EQ(xu_balance(c.ex, c.st, &zg_reward_address), 1000000);

  zg_merkle_node_t node = {.height = 3};
  memset(node.root, 0x5a, 32);
  zg_buf_t cd;
  zg_buf_init(&cd);
  CHECK_OK(zg_flow_submit_encode(&cd, 8 * 256, NULL, 0, &node, 1, &up));
  /* Block 1 of lane 0: a submission with its fee and a tip, one a wei short. */
  zg_exec_tx_t txs[2] = {call_tx(&up, &zg_flow_address, 0, 8 * 1000 + 3, &cd),
                         call_tx(&up, &zg_flow_address, 1, 8 * 1000 - 1, &cd)};
  zg_exec_result_t res;
  block(&c, 0, 1, txs, 2, &res);
  CHECK_EQ(res.n, 2);
  if (res.n == 2) {
    CHECK(!res.receipts[0].dropped && res.receipts[0].status == 1);
    if (res.receipts[0].status != 1) ZGT_FAIL("submit reverted: %s", res.receipts[0].reason);
    CHECK_EQ(res.receipts[0].n_logs, 1);
    if (res.receipts[0].n_logs == 1) {
      uint8_t t0[32];
      zg_abi_event_topic(t0, ZG_FLOW_EVENT_SUBMIT, strlen(ZG_FLOW_EVENT_SUBMIT));
      CHECK_MEM(res.receipts[0].logs[0].topics[0], t0, 32);
      CHECK_MEM(res.receipts[0].logs[0].address.bytes, zg_flow_address.bytes, 20);
    }
    CHECK(res.receipts[1].status == 0);
    CHECK_EQ(res.receipts[1].n_logs, 0);
  }
  zg_exec_result_free(&res);
  CHECK_EQ(xu_balance(c.ex, c.st, &zg_reward_address), 1000000 + 8003);
  CHECK_EQ(xu_balance(c.ex, c.st, &zg_flow_address), 0);
  CHECK_EQ(view_u64(&c, &zg_flow_address, "numSubmissions()"), 1);

  /* A lane-1 uploader cannot reach Flow on lane 0 (owner-lane rule). */
  zg_buf_t cd2;
  zg_buf_init(&cd2);
  CHECK_OK(zg_flow_submit_encode(&cd2, 8 * 256, NULL, 0, &node, 1, &other));
  zg_exec_tx_t t1 = call_tx(&other, &zg_flow_address, 0, 8000, &cd2);
  block(&c, 1, 1, &t1, 1, &res);
  CHECK_EQ(res.n, 1);
  if (res.n == 1) CHECK(res.receipts[0].dropped || res.receipts[0].status == 0);
  zg_exec_result_free(&res);
  CHECK_EQ(view_u64(&c, &zg_flow_address, "numSubmissions()"), 1);

  /* Miner registration on lane 0, then epochs advance with blocks. */
  zg_buf_t cd3;
  zg_buf_init(&cd3);
  {
    zg_abi_arena_t a;
    zg_abi_func_t f;
    zg_abi_value_t args[2] = {zg_abi_address(up.bytes), zg_abi_u64(1)};
    zg_abi_arena_init(&a);
    if (zg_abi_func_parse(&f, &a, ZG_MINE_SIG_REQUEST_MINER_ID) || zg_abi_call_encode(&cd3, &f, args, 2)) abort();
    zg_abi_arena_clear(&a);
  }
  zg_exec_tx_t t2 = call_tx(&up, &zg_mine_address, 2, 0, &cd3);
  block(&c, 0, 2, &t2, 1, &res);
  if (res.n == 1) {
    CHECK(res.receipts[0].status == 1);
    CHECK_EQ(res.receipts[0].n_logs, 1);
  }
  zg_exec_result_free(&res);
  for (uint64_t h = 3; h <= 7; h++) {
    block(&c, 0, h, NULL, 0, &res);
    zg_exec_result_free(&res);
  }
  zg_buf_t cd4;
  zg_buf_init(&cd4);
  {
    zg_abi_arena_t a;
    zg_abi_func_t f;
    zg_abi_arena_init(&a);
    if (zg_abi_func_parse(&f, &a, "makeContext()") || zg_abi_call_encode(&cd4, &f, NULL, 0)) abort();
    zg_abi_arena_clear(&a);
  }
  zg_exec_tx_t t3 = call_tx(&up, &zg_flow_address, 3, 0, &cd4);
  block(&c, 0, 8, &t3, 1, &res);
  if (res.n == 1) {
    CHECK(res.receipts[0].status == 1);
    CHECK(res.receipts[0].n_logs >= 1); /* NewEpoch */
  }
  zg_exec_result_free(&res);
  CHECK(view_u64(&c, &zg_flow_address, "epoch()") >= 1);
  zg_buf_clear(&cd);
  zg_buf_clear(&cd2);
  zg_buf_clear(&cd3);
  zg_buf_clear(&cd4);
  chain_close(&c);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_submit_on_chain);
  return zgt_done();
}

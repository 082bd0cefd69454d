/*
 * test_storage_exec.c — the storage contracts over the real chain: per-lane
 * LMDB state and the executor (zg/exec.h) with a registry of Flow, Market,
 * Reward and Mine, two lanes. Genesis from genesis.json (the "storage"
 * object, Reward funded in alloc), Flow.submit as lane-0 transactions
 * (value routed to Reward across the contracts' internal calls, the Submit
 * log in the receipt, a revert rolling everything back), the owner-lane
 * rule for a lane-1 uploader, views through zg_exec_call, and miner
 * registration; and the whole mining round trip on chain: data submitted,
 * sealed, mined with zg/pora.h against the worker context from eth_call,
 * the answer sent as a transaction, the reward visible in the
 * beneficiary's account balance (what eth_getBalance reads).
 */
#include <jansson.h>

#include "chain/exec_util.h"
#include "storage_env.h"
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

static void encode(zg_buf_t *out, const char *sig, const zg_abi_value_t *args, size_t n) {
  zg_abi_arena_t a;
  zg_abi_func_t f;
  zg_abi_arena_init(&a);
  out->len = 0;
  if (zg_abi_func_parse(&f, &a, sig) || zg_abi_call_encode(out, &f, args, n)) abort();
  zg_abi_arena_clear(&a);
}

typedef struct {
  const uint8_t *sealed;
} xdisk_t;

static zg_err_t xload(void *arg, uint8_t *out, bool avail[ZG_PORA_SEALS_PER_LOAD], uint64_t start) {
  (void)avail;
  if (start + 1024 > 4096) return ZG_ERANGE;
  memcpy(out, ((xdisk_t *)arg)->sealed + start * 256, ZG_PORA_LOAD_BYTES);
  return ZG_OK;
}

static void test_mine_on_chain(void) {
  zg_eth_addr_t up = xu_addr(1, 1, 0, LANES), ben = xu_addr(2, 1, 0, LANES);
  zg_genesis_alloc_t alloc[2] = {{up, xu_u(1000000000000ull)}, {zg_reward_address, xu_u(1000000)}};
  chain_t c;
  CHECK_OK(chain_open(&c, alloc, 2,
                      "{\"storage\": {\"blocksPerEpoch\": 4, \"pricePerSector\": \"1000\", \"baseReward\": "
                      "\"1000\", \"initDifficulty\": 1, \"targetMineBlocks\": 100, \"subtaskInterval\": 0}}"));
  se_flowdata_t fd = {calloc(4096, 256), 4096};
  uint8_t *sealed = malloc((size_t)4096 * 256);
  zgt_rand_bytes(fd.data + 2048 * 256, 2048 * 256);
  zg_merkle_node_t node = {.height = 11};
  se_node(&fd, node.root, 11, 1);
  zg_flow_t model;
  zg_flow_init(&model);
  CHECK_OK(zg_flow_append(&model, NULL, &node, 1));
  zg_buf_t cd;
  zg_buf_init(&cd);
  zg_exec_result_t res;
  /* Block 1: the submission. Block 2: the miner id. */
  CHECK_OK(zg_flow_submit_encode(&cd, 2048 * 256, NULL, 0, &node, 1, &up));
  zg_exec_tx_t t = call_tx(&up, &zg_flow_address, 0, 2048 * 1000, &cd);
  block(&c, 0, 1, &t, 1, &res);
  CHECK(res.n == 1 && res.receipts[0].status == 1);
  zg_exec_result_free(&res);
  zg_abi_value_t rq[2] = {zg_abi_address(ben.bytes), zg_abi_u64(42)};
  encode(&cd, ZG_MINE_SIG_REQUEST_MINER_ID, rq, 2);
  t = call_tx(&up, &zg_mine_address, 1, 0, &cd);
  block(&c, 0, 2, &t, 1, &res);
  uint8_t id[32] = {0};
  if (res.n == 1 && res.receipts[0].status == 1 && res.receipts[0].n_logs == 1)
    memcpy(id, res.receipts[0].logs[0].topics[1], 32);
  else
    ZGT_FAIL("requestMinerId failed");
  zg_exec_result_free(&res);
  /* Blocks 3..5 empty; block 6 makes epoch 1 (its range holds the data). */
  for (uint64_t h = 3; h <= 5; h++) {
    block(&c, 0, h, NULL, 0, &res);
    zg_exec_result_free(&res);
  }
  encode(&cd, "makeContext()", NULL, 0);
  t = call_tx(&up, &zg_flow_address, 2, 0, &cd);
  block(&c, 0, 6, &t, 1, &res);
  zg_exec_result_free(&res);
  /* The worker context by eth_call, as the miner polls it. */
  zg_abi_value_t idv = zg_abi_fbytes(id, 32);
  encode(&cd, ZG_MINE_SIG_WORKER_CONTEXT, &idv, 1);
  zg_sc_result_t r;
  CHECK_OK(zg_exec_call(c.ex, &r, &zero_from, &zg_mine_address, NULL, cd.ptr, cd.len));
  uint8_t digest[32] = {0}, subtask[32] = {0}, root[32];
  uint64_t flen = 0;
  zg_u256_t target = xu_u(0);
  if (r.status == ZG_SC_OK && r.ret.len == 288) {
    memcpy(root, r.ret.ptr + 64, 32);
    flen = zg_load_be64(r.ret.ptr + 96 + 24);
    memcpy(digest, r.ret.ptr + 160, 32);
    zg_u256_from_be32(&target, r.ret.ptr + 192);
    memcpy(subtask, r.ret.ptr + 224, 32);
  } else {
    ZGT_FAIL("computeWorkerContext: %s", r.reason);
  }
  zg_sc_result_free(&r);
  CHECK_EQ(flen, 4096);
  /* Seal (the data's epoch is epoch 1: its digest), mine, answer. */
  memcpy(sealed, fd.data, (size_t)4096 * 256);
  for (uint64_t s = 0; s < 4096; s += 16) zg_pora_seal(sealed + s * 256, id, digest, s);
  zg_mine_answer_t *a = calloc(1, sizeof *a);
  zg_pora_scratch_t *sc = malloc(sizeof *sc);
  xdisk_t d = {sealed};
  zg_u256_t scaled;
  zg_pora_result_t pr = {0};
  CHECK_OK(zg_pora_default_range(&a->range, flen, 0, ~0ull));
  CHECK_OK(zg_pora_scaled_target(&scaled, &target, flen, 1));
  for (uint64_t i = 0; i < 100 && !pr.hit; i++) {
    zg_store_be64(a->nonce + 24, i);
    if (zg_pora_iterate(&pr, sc, id, a->nonce, subtask, &a->range, &scaled, xload, &d) != ZG_OK) break;
  }
  CHECK(pr.hit);
  memcpy(a->context_digest, digest, 32);
  memcpy(a->miner_id, id, 32);
  memcpy(a->sealed_context_digest, digest, 32);
  a->recall_position = pr.recall_position;
  a->seal_offset = pr.seal_offset;
  memcpy(a->sealed, sealed + pr.recall_position * 256, ZG_PORA_SEAL_BYTES);
  zg_merkle_proof_t p;
  CHECK_OK(zg_flow_proof(&p, &model, 4, pr.recall_position / 16, se_fetch, &fd));
  a->nproof = p.npath;
  for (uint32_t i = 0; i < p.npath; i++) memcpy(a->proof[i], p.lemma[1 + i], 32);
  cd.len = 0;
  CHECK_OK(zg_mine_answer_encode(&cd, a));
  t = call_tx(&up, &zg_mine_address, 3, 0, &cd);
  CHECK_EQ(xu_balance(c.ex, c.st, &ben), 0);
  block(&c, 0, 7, &t, 1, &res);
  if (res.n != 1 || res.receipts[0].status != 1)
    ZGT_FAIL("Mine.submit: %s", res.n == 1 ? res.receipts[0].reason : "no receipt");
  else
    CHECK_EQ(res.receipts[0].n_logs, 2); /* DistributeReward, NewSubmission */
  zg_exec_result_free(&res);
  CHECK_EQ(xu_balance(c.ex, c.st, &ben), 1000); /* the base reward, as eth_getBalance shows it */
  CHECK_EQ(xu_balance(c.ex, c.st, &zg_reward_address), 1000000 + 2048 * 1000 - 1000);
  /* The same answer again: replay refused. */
  t = call_tx(&up, &zg_mine_address, 4, 0, &cd);
  block(&c, 0, 8, &t, 1, &res);
  CHECK(res.n == 1 && res.receipts[0].status == 0);
  zg_exec_result_free(&res);
  /* A second miner whose beneficiary lives on lane 1: paid by a cross-lane
   * credit, visible once lane 1 imports lane 0's block. Block 9 closes epoch
   * 2, so the worker context is new; the data keeps epoch 1's sealing digest. */
  zg_eth_addr_t ben1 = xu_addr(3, 1, 1, LANES);
  zg_abi_value_t rq2[2] = {zg_abi_address(ben1.bytes), zg_abi_u64(43)};
  encode(&cd, ZG_MINE_SIG_REQUEST_MINER_ID, rq2, 2);
  t = call_tx(&up, &zg_mine_address, 5, 0, &cd);
  block(&c, 0, 9, &t, 1, &res);
  uint8_t id2[32] = {0};
  if (res.n == 1 && res.receipts[0].status == 1 && res.receipts[0].n_logs == 1)
    memcpy(id2, res.receipts[0].logs[0].topics[1], 32);
  zg_exec_result_free(&res);
  idv = zg_abi_fbytes(id2, 32);
  encode(&cd, ZG_MINE_SIG_WORKER_CONTEXT, &idv, 1);
  CHECK_OK(zg_exec_call(c.ex, &r, &zero_from, &zg_mine_address, NULL, cd.ptr, cd.len));
  uint8_t digest2[32] = {0};
  if (r.status == ZG_SC_OK && r.ret.len == 288) {
    CHECK_EQ(zg_load_be64(r.ret.ptr + 24), 2);
    memcpy(digest2, r.ret.ptr + 160, 32);
    zg_u256_from_be32(&target, r.ret.ptr + 192);
    memcpy(subtask, r.ret.ptr + 224, 32);
  } else {
    ZGT_FAIL("computeWorkerContext: %s", r.reason);
  }
  zg_sc_result_free(&r);
  memcpy(sealed, fd.data, (size_t)4096 * 256);
  for (uint64_t s = 0; s < 4096; s += 16) zg_pora_seal(sealed + s * 256, id2, digest, s);
  CHECK_OK(zg_pora_scaled_target(&scaled, &target, flen, 1));
  memset(&pr, 0, sizeof pr);
  for (uint64_t i = 0; i < 100 && !pr.hit; i++) {
    zg_store_be64(a->nonce + 24, i);
    if (zg_pora_iterate(&pr, sc, id2, a->nonce, subtask, &a->range, &scaled, xload, &d) != ZG_OK) break;
  }
  CHECK(pr.hit);
  memcpy(a->context_digest, digest2, 32);
  memcpy(a->miner_id, id2, 32);
  a->recall_position = pr.recall_position;
  a->seal_offset = pr.seal_offset;
  memcpy(a->sealed, sealed + pr.recall_position * 256, ZG_PORA_SEAL_BYTES);
  CHECK_OK(zg_flow_proof(&p, &model, 4, pr.recall_position / 16, se_fetch, &fd));
  a->nproof = p.npath;
  for (uint32_t i = 0; i < p.npath; i++) memcpy(a->proof[i], p.lemma[1 + i], 32);
  cd.len = 0;
  CHECK_OK(zg_mine_answer_encode(&cd, a));
  t = call_tx(&up, &zg_mine_address, 6, 0, &cd);
  block(&c, 0, 10, &t, 1, &res);
  if (res.n != 1 || res.receipts[0].status != 1)
    ZGT_FAIL("Mine.submit (lane-1 beneficiary): %s", res.n == 1 ? res.receipts[0].reason : "no receipt");
  zg_exec_result_free(&res);
  CHECK_EQ(xu_balance(c.ex, c.st, &ben1), 0); /* not yet imported */
  {
    zg_eth_addr_t prop = xu_addr(9, 0, 1, LANES);
    zg_block_ctx_t ctx = xu_ctx(1, 1, 1, &prop);
    uint64_t imp[LANES] = {10, 0};
    CHECK_OK(zg_exec_block(c.ex, &res, &ctx, imp, NULL, 0));
    zg_exec_result_free(&res);
  }
  CHECK_EQ(xu_balance(c.ex, c.st, &ben1), 1000);
  free(a);
  free(sc);
  free(sealed);
  free(fd.data);
  zg_buf_clear(&cd);
  chain_close(&c);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_submit_on_chain);
  ZGT_RUN(test_mine_on_chain);
  return zgt_done();
}

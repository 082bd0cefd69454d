/*
 * test_mine.c — the Mine and Reward contracts: the round trip data →
 * Flow.submit → seal → mine an answer with zg/pora.h → Mine.submit accepts
 * it and Reward pays the beneficiary; miner registration; the worker
 * context; every forged answer rejected (sealed data, proof, nonce, digest,
 * sealed context, range, miner id, seal offset), replay, the subtask
 * window, the per-epoch cap; a miner that dropped the data cannot answer;
 * difficulty adjustment across epochs; Reward's linear release per pricing
 * chunk and the base-reward pool.
 */
#include "../../src/contracts/storage_internal.h"
#include "storage_env.h"
#include "zg_test.h"

static const char *GENESIS =
    "{\"storage\": {\"blocksPerEpoch\": 10, \"pricePerSector\": \"1000\", \"initDifficulty\": 2,"
    " \"targetMineBlocks\": 100, \"nSubtasks\": 1, \"subtaskInterval\": 0, \"targetSubmissions\": 2,"
    " \"maxShards\": 4, \"baseReward\": \"1000\", \"releaseSeconds\": 1000}}";

#define FLOW_SECTORS 4096u

typedef struct {
  se_env_t e;
  se_flowdata_t fd;  /* the flow's plain bytes */
  uint8_t *sealed;   /* the miner's sealed copy */
  zg_flow_t model;
  uint8_t miner_id[32];
  zg_eth_addr_t ben;
} world_t;

typedef struct {
  uint64_t epoch, mine_start, flow_length;
  uint8_t flow_root[32], digest[32], subtask[32];
  zg_u256_t target;
} wctx_t;

static zg_sc_status_t call(world_t *w, const zg_eth_addr_t *to, const char *sig, const zg_abi_value_t *args,
                           size_t n, bool ro, zg_sc_result_t *r) {
  zg_buf_t cd;
  zg_buf_init(&cd);
  se_calldata(&cd, sig, args, n);
  zg_sc_status_t s = se_call_v(&w->e, to, NULL, cd.ptr, cd.len, ro, r);
  zg_buf_clear(&cd);
  return s;
}

static void worker_ctx(world_t *w, wctx_t *c) {
  zg_sc_result_t r;
  zg_abi_value_t id = zg_abi_fbytes(w->miner_id, 32);
  memset(c, 0, sizeof *c);
  if (call(w, &zg_mine_address, ZG_MINE_SIG_WORKER_CONTEXT, &id, 1, true, &r) != ZG_SC_OK || r.ret.len != 288) {
    ZGT_FAIL("computeWorkerContext: %s", r.reason);
    zg_sc_result_free(&r);
    return;
  }
  const uint8_t *p = r.ret.ptr;
  c->epoch = zg_load_be64(p + 24);
  c->mine_start = zg_load_be64(p + 56);
  memcpy(c->flow_root, p + 64, 32);
  c->flow_length = zg_load_be64(p + 96 + 24);
  memcpy(c->digest, p + 160, 32);
  zg_u256_from_be32(&c->target, p + 192);
  memcpy(c->subtask, p + 224, 32);
  zg_sc_result_free(&r);
}

/* Seals the whole flow for the miner with the digest of the range holding each seal. */
static void seal_all(world_t *w, const uint8_t digest[32]) {
  memcpy(w->sealed, w->fd.data, (size_t)FLOW_SECTORS * 256);
  for (uint64_t s = 0; s < FLOW_SECTORS; s += 16) zg_pora_seal(w->sealed + s * 256, w->miner_id, digest, s);
}

typedef struct {
  const uint8_t *sealed;
} disk_t;

static zg_err_t load(void *arg, uint8_t *out, bool avail[ZG_PORA_SEALS_PER_LOAD], uint64_t start) {
  disk_t *d = arg;
  (void)avail;
  if (start + 1024 > FLOW_SECTORS) return ZG_ERANGE;
  memcpy(out, d->sealed + start * 256, ZG_PORA_LOAD_BYTES);
  return ZG_OK;
}

/* Mines until a hit and fills the answer (proof from the plain model). */
static void mine(world_t *w, const wctx_t *c, const uint8_t sealed_digest[32], const uint8_t *sealed,
                 zg_mine_answer_t *a, uint64_t nonce0) {
  zg_pora_scratch_t *s = malloc(sizeof *s);
  zg_pora_range_t range;
  zg_u256_t scaled;
  disk_t d = {sealed};
  memset(a, 0, sizeof *a);
  CHECK_OK(zg_pora_default_range(&range, c->flow_length, 0, ~0ull));
  CHECK_OK(zg_pora_scaled_target(&scaled, &c->target, c->flow_length, 1));
  zg_pora_result_t res = {0};
  for (uint64_t i = nonce0; i < nonce0 + 1000 && !res.hit; i++) {
    memset(a->nonce, 0, 32);
    zg_store_be64(a->nonce + 24, i);
    zg_err_t e = zg_pora_iterate(&res, s, w->miner_id, a->nonce, c->subtask, &range, &scaled, load, &d);
    if (e != ZG_OK) {
      ZGT_FAIL("zg_pora_iterate: %s", zg_errname(e));
      break;
    }
  }
  CHECK(res.hit);
  memcpy(a->context_digest, c->digest, 32);
  memcpy(a->miner_id, w->miner_id, 32);
  a->range = range;
  a->recall_position = res.recall_position;
  a->seal_offset = res.seal_offset;
  memcpy(a->sealed_context_digest, sealed_digest, 32);
  memcpy(a->sealed, sealed + res.recall_position * 256, ZG_PORA_SEAL_BYTES);
  zg_merkle_proof_t p;
  CHECK_OK(zg_flow_proof(&p, &w->model, 4, res.recall_position / 16, se_fetch, &w->fd));
  a->nproof = p.npath;
  for (uint32_t i = 0; i < p.npath; i++) memcpy(a->proof[i], p.lemma[1 + i], 32);
  free(s);
}

/* Whether nonce is itself a winning nonce for the answer a: it recalls the
 * same load and seal and its quality meets the target. The test target is
 * easy and the range small, so a flipped nonce is sometimes genuinely valid;
 * the forgery case skips such nonces. */
static bool nonce_also_wins(world_t *w, const wctx_t *c, const uint8_t *sealed, const zg_mine_answer_t *a,
                            const uint8_t nonce[32]) {
  (void)sealed;
  uint8_t range_digest[32], pad_seed[64], recall_seed[32], quality[32];
  uint8_t *pad = malloc(ZG_PORA_PAD_BYTES);
  zg_u256_t scaled;
  uint64_t load_start;
  bool wins = false;
  zg_pora_range_digest(range_digest, &a->range);
  zg_pora_pad_seed(pad_seed, w->miner_id, nonce, c->subtask, range_digest);
  if (pad) {
    zg_pora_scratchpad(pad, recall_seed, pad_seed);
    if (zg_pora_recall_position(&load_start, recall_seed, &a->range) == ZG_OK &&
        load_start + (uint64_t)a->seal_offset * 16 == a->recall_position &&
        zg_pora_scaled_target(&scaled, &c->target, c->flow_length, 1) == ZG_OK) {
      zg_pora_quality(quality, pad_seed, a->seal_offset, a->sealed, pad);
      wins = zg_pora_hit(quality, &scaled);
    }
  }
  free(pad);
  return wins;
}

static zg_sc_status_t submit_answer(world_t *w, const zg_mine_answer_t *a, zg_sc_result_t *r) {
  zg_buf_t cd;
  zg_buf_init(&cd);
  CHECK_OK(zg_mine_answer_encode(&cd, a));
  zg_sc_status_t s = se_call_v(&w->e, &zg_mine_address, NULL, cd.ptr, cd.len, false, r);
  zg_buf_clear(&cd);
  return s;
}

/* A world with 2048 data sectors at [2048, 4096), a registered miner, and
 * epoch 1 made (its range holds the data). Returns the seal digest. */
static void world_init(world_t *w, uint8_t seal_digest[32]) {
  memset(w, 0, sizeof *w);
  CHECK(se_init(&w->e, GENESIS));
  w->fd.cap = FLOW_SECTORS;
  w->fd.data = calloc(FLOW_SECTORS, 256);
  w->sealed = malloc((size_t)FLOW_SECTORS * 256);
  se_fund(&w->e, &w->e.caller, 1000000000);
  se_fund(&w->e, &zg_reward_address, 1000000); /* the base-reward pool */
  /* The file: 2048 sectors → one node of height 11, placed at 2048. */
  zgt_rand_bytes(w->fd.data + 2048 * 256, 2048 * 256);
  zg_merkle_node_t node = {.height = 11};
  se_node(&w->fd, node.root, 11, 1);
  zg_flow_init(&w->model);
  zg_flow_append_t app;
  CHECK_OK(zg_flow_append(&w->model, &app, &node, 1));
  CHECK_EQ(app.start_pos, 2048);
  zg_buf_t cd;
  zg_sc_result_t r;
  zg_buf_init(&cd);
  CHECK_OK(zg_flow_submit_encode(&cd, 2048 * 256, NULL, 0, &node, 1, &w->e.caller));
  zg_u256_t v = zg_u256_from_u64(2048 * 1000);
  w->e.block = 2;
  CHECK_EQ(se_call_v(&w->e, &zg_flow_address, &v, cd.ptr, cd.len, false, &r), ZG_SC_OK);
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
  /* Register: the id is keccak(blockDigest(n-1) ‖ sender ‖ seed). */
  memset(w->ben.bytes, 0xbe, 20);
  w->e.block = 3;
  zg_abi_value_t args[2] = {zg_abi_address(w->ben.bytes), zg_abi_u64(7)};
  CHECK_EQ(call(w, &zg_mine_address, ZG_MINE_SIG_REQUEST_MINER_ID, args, 2, false, &r), ZG_SC_OK);
  uint8_t bd[32];
  zg_storage_block_digest(bd, w->e.chain_id, 2);
  zg_mine_miner_id(w->miner_id, bd, &w->e.caller, 7);
  CHECK_MEM(r.ret.ptr, w->miner_id, 32);
  zg_sc_result_free(&r);
  CHECK_EQ(call(w, &zg_mine_address, ZG_MINE_SIG_REQUEST_MINER_ID, args, 2, false, &r), ZG_SC_REVERT);
  zg_sc_result_free(&r); /* the same id twice */
  /* Epoch 1 made at block 12; the data's sealing context is its digest. */
  w->e.block = 12;
  CHECK_EQ(call(w, &zg_flow_address, "makeContext()", NULL, 0, false, &r), ZG_SC_OK);
  zg_sc_result_free(&r);
  zg_abi_value_t pos = zg_abi_u64(3000);
  CHECK_EQ(call(w, &zg_flow_address, "queryContextAtPosition(uint128)", &pos, 1, true, &r), ZG_SC_OK);
  memcpy(seal_digest, r.ret.ptr + 64, 32);
  zg_sc_result_free(&r);
  seal_all(w, seal_digest);
}

static void world_free(world_t *w) {
  se_free(&w->e);
  free(w->fd.data);
  free(w->sealed);
}

static void test_roundtrip(void) {
  world_t w;
  uint8_t sd[32];
  world_init(&w, sd);
  wctx_t c;
  w.e.block = 13;
  worker_ctx(&w, &c);
  CHECK_EQ(c.epoch, 1);
  CHECK_EQ(c.flow_length, FLOW_SECTORS);
  CHECK_MEM(c.digest, sd, 32);
  zg_mine_answer_t *a = malloc(sizeof *a), *f = malloc(sizeof *f);
  mine(&w, &c, sd, w.sealed, a, 0);
  zg_sc_result_t r;
  zg_u256_t before = se_balance(&w.e, &w.ben);
  CHECK(zg_u256_is_zero(&before));
  /* Encoding round trip. */
  {
    zg_buf_t cd;
    zg_buf_init(&cd);
    CHECK_OK(zg_mine_answer_encode(&cd, a));
    CHECK_OK(zg_mine_answer_decode(f, cd.ptr + 4, cd.len - 4));
    CHECK(memcmp(f, a, offsetof(zg_mine_answer_t, proof)) == 0 && f->nproof == a->nproof);
    zg_buf_clear(&cd);
  }
  /* Forgeries, each alone. */
  struct {
    const char *what;
    void (*fn)(zg_mine_answer_t *);
  } forge[] = {
      {"sealed data", NULL}, {"proof", NULL}, {"nonce", NULL}, {"context", NULL}, {"sealed context", NULL},
      {"range start", NULL}, {"miner id", NULL}, {"seal offset", NULL}, {"range length", NULL},
  };
  for (size_t i = 0; i < sizeof forge / sizeof forge[0]; i++) {
    *f = *a;
    switch (i) {
      case 0: f->sealed[100] ^= 1; break;
      case 1: f->proof[f->nproof - 1][0] ^= 1; break;
      case 2:
        CHECK(nonce_also_wins(&w, &c, w.sealed, a, a->nonce)); /* the helper recognises the real one */
        for (uint8_t flip = 1; flip != 0; flip++) {
          f->nonce[0] = (uint8_t)(a->nonce[0] ^ flip);
          if (!nonce_also_wins(&w, &c, w.sealed, a, f->nonce)) break;
        }
        break;
      case 3: f->context_digest[0] ^= 1; break;
      case 4: f->sealed_context_digest[0] ^= 1; break;
      case 5: f->range.start = ZG_PORA_PRICING_SECTORS; break;
      case 6: f->miner_id[5] ^= 1; break;
      case 7: f->seal_offset = (f->seal_offset + 1) % 64; break;
      default: f->range.mine_length -= 1024; break;
    }
    CHECK_EQ(submit_answer(&w, f, &r), ZG_SC_REVERT);
    if (r.status == ZG_SC_OK) ZGT_FAIL("forged %s accepted", forge[i].what);
    zg_sc_result_free(&r);
  }
  /* The real one is accepted and pays the base reward. */
  size_t nl = w.e.nlogs;
  if (submit_answer(&w, a, &r) != ZG_SC_OK) ZGT_FAIL("answer refused: %s", r.reason);
  zg_sc_result_free(&r);
  zg_u256_t after = se_balance(&w.e, &w.ben);
  CHECK_EQ(after.w[0], 1000);
  CHECK(w.e.nlogs > nl);
  uint8_t topic[32];
  zg_abi_event_topic(topic, ZG_MINE_EVENT_NEW_SUBMISSION, strlen(ZG_MINE_EVENT_NEW_SUBMISSION));
  CHECK_MEM(w.e.logs[w.e.nlogs - 1].topics[0], topic, 32);
  CHECK_MEM(w.e.logs[w.e.nlogs - 1].topics[2], w.miner_id, 32);
  /* Replay. */
  CHECK_EQ(submit_answer(&w, a, &r), ZG_SC_REVERT);
  CHECK(strcmp(r.reason, "Answer already submitted") == 0);
  zg_sc_result_free(&r);
  /* Outside the subtask window (and past the epoch). */
  w.e.block = 200;
  mine(&w, &c, sd, w.sealed, f, 5000);
  CHECK_EQ(submit_answer(&w, f, &r), ZG_SC_REVERT);
  zg_sc_result_free(&r);
  free(a);
  free(f);
  world_free(&w);
}

static void test_dropped_data(void) {
  world_t w;
  uint8_t sd[32];
  world_init(&w, sd);
  /* The miner lost the file: it seals zeros where the data was. */
  uint8_t *fake = calloc(FLOW_SECTORS, 256);
  for (uint64_t s = 0; s < FLOW_SECTORS; s += 16) zg_pora_seal(fake + s * 256, w.miner_id, sd, s);
  wctx_t c;
  w.e.block = 13;
  worker_ctx(&w, &c);
  zg_mine_answer_t *a = malloc(sizeof *a);
  int refused = 0, tries = 0;
  for (uint64_t n0 = 0; n0 < 20000 && tries < 8; n0 += 1000) {
    mine(&w, &c, sd, fake, a, n0);
    if (a->recall_position < 2048) continue; /* the padding is zeros for everyone */
    tries++;
    zg_sc_result_t r;
    if (submit_answer(&w, a, &r) == ZG_SC_REVERT) refused++;
    zg_sc_result_free(&r);
  }
  CHECK(tries > 0);
  CHECK_EQ(refused, tries);
  free(a);
  free(fake);
  world_free(&w);
}

static void target_of(world_t *w, zg_u256_t *t) {
  zg_sc_result_t r;
  CHECK_EQ(call(w, &zg_mine_address, "poraTarget()", NULL, 0, true, &r), ZG_SC_OK);
  zg_u256_from_be32(t, r.ret.ptr);
  zg_sc_result_free(&r);
}

static void test_epochs_and_difficulty(void) {
  world_t w;
  uint8_t sd[32];
  world_init(&w, sd);
  wctx_t c;
  zg_mine_answer_t *a = malloc(sizeof *a);
  zg_sc_result_t r;
  zg_u256_t t0, t1;
  target_of(&w, &t0);
  /* Epoch 1: one answer (target 2 per epoch). */
  w.e.block = 13;
  worker_ctx(&w, &c);
  mine(&w, &c, sd, w.sealed, a, 0);
  CHECK_EQ(submit_answer(&w, a, &r), ZG_SC_OK);
  zg_sc_result_free(&r);
  /* Epoch 2: too few last epoch → the target rises (easier). The cap is 2 × 2 answers. */
  w.e.block = 23;
  worker_ctx(&w, &c);
  CHECK_EQ(c.epoch, 2);
  int ok = 0;
  for (uint64_t n0 = 100000; n0 < 100000 + 5 * 1000; n0 += 1000) {
    mine(&w, &c, sd, w.sealed, a, n0);
    zg_sc_status_t s = submit_answer(&w, a, &r);
    if (ok < 4) {
      if (s != ZG_SC_OK) ZGT_FAIL("answer %d refused: %s", ok, r.reason);
    } else {
      CHECK_EQ(s, ZG_SC_REVERT);
      CHECK(strcmp(r.reason, "Epoch has enough submissions") == 0);
    }
    ok += s == ZG_SC_OK;
    zg_sc_result_free(&r);
  }
  CHECK_EQ(ok, 4);
  target_of(&w, &t1);
  CHECK(zg_u256_cmp(&t1, &t0) > 0);
  zg_u256_t want;
  zg_pora_adjust_target(&want, &t0, 2, 1, 20, 0);
  CHECK(zg_u256_cmp(&t1, &want) == 0);
  /* The worker context reports target 0 while the epoch is full. */
  worker_ctx(&w, &c);
  CHECK(zg_u256_is_zero(&c.target));
  /* Epoch 3: 4 answers last epoch (twice the target) → harder. */
  w.e.block = 33;
  c.target = t1;
  mine(&w, &c, sd, w.sealed, a, 900000); /* mined against the stale context of epoch 2 */
  CHECK_EQ(submit_answer(&w, a, &r), ZG_SC_REVERT);
  zg_sc_result_free(&r);
  worker_ctx(&w, &c);
  mine(&w, &c, sd, w.sealed, a, 900000);
  CHECK_EQ(submit_answer(&w, a, &r), ZG_SC_OK);
  zg_sc_result_free(&r);
  zg_u256_t t2;
  target_of(&w, &t2);
  CHECK(zg_u256_cmp(&t2, &t1) < 0);
  free(a);
  world_free(&w);
}

/* Reward's locked amount of pricing chunk i. */
static uint64_t call_rewards_locked(se_env_t *e, uint64_t i) {
  zg_buf_t cd;
  zg_sc_result_t r;
  zg_abi_value_t v = zg_abi_u64(i);
  zg_buf_init(&cd);
  se_calldata(&cd, "rewards(uint256)", &v, 1);
  uint64_t out = UINT64_MAX;
  if (se_call_v(e, &zg_reward_address, NULL, cd.ptr, cd.len, true, &r) == ZG_SC_OK) out = zg_load_be64(r.ret.ptr + 24);
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
  return out;
}

static void test_reward_release(void) {
  se_env_t e;
  CHECK(se_init(&e, "{\"storage\": {\"releaseSeconds\": 1000}}"));
  zg_sc_host_t h;
  zg_sc_result_t r;
  memset(&r, 0, sizeof r);
  zg_eth_addr_t ben;
  memset(ben.bytes, 0x77, 20);
  uint8_t id[32] = {1};
  zg_u256_t amt = zg_u256_from_u64(1000000), paid;
  se_fund(&e, &zg_reward_address, 1000000);
  se_host(&e, &h, &zg_flow_address);
  /* Half a chunk: not started, pays nothing. */
  CHECK_EQ(zg__reward_fill(&h, &r, 0, ZG_PORA_PRICING_SECTORS / 2, &amt), ZG_SC_OK);
  CHECK_EQ(zg__reward_claim(&h, &r, 0, &ben, id, &paid), ZG_SC_OK);
  CHECK(zg_u256_is_zero(&paid));
  /* The second half fills it (no new value: the first fill's wei cover the test). */
  zg_u256_t z = zg_u256_from_u64(0);
  CHECK_EQ(zg__reward_fill(&h, &r, ZG_PORA_PRICING_SECTORS / 2, ZG_PORA_PRICING_SECTORS / 2, &z), ZG_SC_OK);
  e.ts_ms += 500000; /* half the release time */
  se_host(&e, &h, &zg_mine_address);
  CHECK_EQ(zg__reward_claim(&h, &r, 0, &ben, id, &paid), ZG_SC_OK);
  CHECK_EQ(paid.w[0], 250000); /* half of the released half */
  CHECK_EQ(zg__reward_claim(&h, &r, 0, &ben, id, &paid), ZG_SC_OK);
  CHECK_EQ(paid.w[0], 125000); /* half of what is left claimable */
  e.ts_ms += 10000000;         /* past the end: everything released */
  se_host(&e, &h, &zg_mine_address);
  CHECK_EQ(zg__reward_claim(&h, &r, 0, &ben, id, &paid), ZG_SC_OK);
  CHECK_EQ(paid.w[0], (1000000 - 375000) / 2);
  zg_u256_t b = se_balance(&e, &ben), rb = se_balance(&e, &zg_reward_address), sum;
  CHECK(zg_u256_add(&sum, &b, &rb));
  CHECK_EQ(sum.w[0], 1000000); /* nothing minted or lost */
  /* A fill across two chunks splits pro rata. */
  CHECK_EQ(zg__reward_fill(&h, &r, ZG_PORA_PRICING_SECTORS * 2 - 100, 400, &amt), ZG_SC_OK);
  CHECK_EQ(call_rewards_locked(&e, 1), 250000);
  CHECK_EQ(call_rewards_locked(&e, 2), 750000);
  zg_sc_result_free(&r);
  se_free(&e);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_roundtrip);
  ZGT_RUN(test_dropped_data);
  ZGT_RUN(test_epochs_and_difficulty);
  ZGT_RUN(test_reward_release);
  return zgt_done();
}

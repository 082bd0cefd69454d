/*
 * test_miner.c — the PoRA miner (zg/storage_miner.h) in one process: a real
 * storage service (log store in a temp dir) holding files submitted to the
 * in-memory Flow/Mine/Reward contracts of tests/contracts/storage_env.h,
 * which stand in for the chain behind the miner's chain ops.
 *
 * Cases: the round trip (registration persisted, loads sealed per epoch
 * context, a hit, the proof to the epoch's flow root, Mine accepts, Reward
 * pays the beneficiary, counters); forged answers built by the miner's own
 * path are rejected by Mine and counted; a node that dropped the data finds
 * nothing (no seal offered, no answer), one that holds half of a file
 * offers exactly the seals it holds; the loop's decisions (empty context,
 * behind the chain, outside the subtask window, a full epoch, an epoch that
 * changes under a hit).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/storage/miner_internal.h"
#include "../contracts/storage_env.h"
#include "../store/store_util.h"
#include "../zg_test.h"
#include "zg/merkle.h"
#include "zg/storage_miner.h"

static const char *GENESIS =
    "{\"storage\": {\"blocksPerEpoch\": 10, \"pricePerSector\": \"1000\", \"initDifficulty\": 4,"
    " \"targetMineBlocks\": 100, \"nSubtasks\": 1, \"subtaskInterval\": 0, \"targetSubmissions\": 2,"
    " \"maxShards\": 4, \"baseReward\": \"1000\", \"releaseSeconds\": 1000}}";

/* ---- the chain: the contracts in memory ---- */

typedef struct {
  se_env_t *e;
  uint64_t bump; /* added to the block number at the next head() */
  unsigned sends;
  int down;      /* head() fails this many more times (the chain's RPC is down) */
} tchain_t;

static zg_err_t t_info(void *arg, uint64_t *chain_id, zg_eth_addr_t *sender) {
  tchain_t *t = arg;
  *chain_id = t->e->chain_id;
  *sender = t->e->caller;
  return ZG_OK;
}

static zg_err_t t_head(void *arg, uint64_t *block) {
  tchain_t *t = arg;
  if (t->down > 0) {
    t->down--;
    return ZG_ECONNECT;
  }
  t->e->block += t->bump;
  t->bump = 0;
  *block = t->e->block;
  return ZG_OK;
}

/* eth_call: run, keep the answer, roll everything back. */
static zg_err_t t_call(void *arg, zg_buf_t *ret, bool *reverted, char *reason, size_t rlen, const zg_eth_addr_t *to,
                       const uint8_t *cd, size_t len) {
  tchain_t *t = arg;
  se_env_t *e = t->e;
  mh_world_t snap;
  size_t nl = e->nlogs;
  mh_world_copy(&snap, &e->w);
  zg_sc_result_t r;
  zg_sc_status_t s = se_call_v(e, to, NULL, cd, len, false, &r);
  mh_world_free(&e->w);
  e->w = snap;
  se_drop_logs(e, nl);
  ret->len = 0;
  *reverted = s != ZG_SC_OK;
  zg_err_t err = ZG_OK;
  if (*reverted) snprintf(reason, rlen, "%s", r.reason);
  else err = zg_buf_append(ret, r.ret.ptr, r.ret.len);
  zg_sc_result_free(&r);
  return err;
}

/* A transaction: the next block. */
static zg_err_t t_send(void *arg, bool *ok, uint64_t *block, char *reason, size_t rlen, const zg_eth_addr_t *to,
                       const uint8_t *cd, size_t len) {
  tchain_t *t = arg;
  t->e->block++;
  t->sends++;
  zg_sc_result_t r;
  *ok = se_call_v(t->e, to, NULL, cd, len, false, &r) == ZG_SC_OK;
  if (!*ok) snprintf(reason, rlen, "%s", r.reason);
  *block = t->e->block;
  zg_sc_result_free(&r);
  return ZG_OK;
}

/* ---- the world: chain + storage node + files ---- */

typedef struct {
  se_env_t *e;
  tchain_t chain;
  char dir[256];
  zg_storage_t *st;
  zg_eth_addr_t ben;
} world_t;

typedef struct {
  zg_buf_t roots;
} seg_roots_t;

static void on_seg(void *arg, uint64_t index, const uint8_t root[32]) {
  seg_roots_t *r = arg;
  (void)index;
  if (zg_buf_append(&r->roots, root, 32) != ZG_OK) abort();
}

/* Submits a random file of size bytes to Flow and to the node; uploads the
 * segments whose bit is set in upload_mask. Returns its start position. */
static uint64_t add_file(world_t *w, uint64_t size, uint64_t upload_mask) {
  uint8_t *data = malloc(size);
  zgt_rand_bytes(data, size);
  seg_roots_t sr;
  zg_buf_init(&sr.roots);
  zg_file_root_t fr;
  CHECK_OK(zg_file_merkle_root(&fr, data, size, on_seg, &sr));
  /* Flow.submit with its fee. */
  zg_buf_t cd;
  zg_buf_init(&cd);
  CHECK_OK(zg_flow_submit_encode(&cd, size, NULL, 0, fr.nodes, fr.layout.nnodes, &w->e->caller));
  zg_u256_t fee, price = zg_u256_from_u64(1000);
  CHECK_OK(zg_flow_fee(&fee, fr.nodes, fr.layout.nnodes, &price));
  zg_sc_result_t r;
  w->e->block++;
  CHECK_EQ(se_call_v(w->e, &zg_flow_address, &fee, cd.ptr, cd.len, false, &r), ZG_SC_OK);
  uint64_t start = r.ret.len >= 96 ? zg_load_be64(r.ret.ptr + 64 + 24) : 0;
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
  /* The node learns it (as its follower would) and gets the segments. */
  zg_storage_err_t err = {0, ""};
  zg_logstore_tx_t tx;
  CHECK_OK(zg_storage_add_entry(w->st, &tx, &err, size, fr.nodes, fr.layout.nnodes, start));
  zg_merkle_tree_t *tree = NULL;
  CHECK_OK(zg_merkle_tree_create(&tree, (const uint8_t(*)[32])sr.roots.ptr, sr.roots.len / 32));
  uint8_t *buf = malloc(ZG_SEGMENT_BYTES);
  for (uint64_t i = 0; tree && i < fr.layout.data_segments; i++) {
    if (!(upload_mask >> i & 1)) continue;
    size_t len;
    CHECK_OK(zg_segment_data_len(&len, &fr.layout, i));
    uint64_t off = i * (uint64_t)ZG_SEGMENT_BYTES;
    memset(buf, 0, len);
    memcpy(buf, data + off, size - off < len ? (size_t)(size - off) : len);
    zg_merkle_proof_t proof;
    CHECK_OK(zg_merkle_tree_proof(&proof, tree, i));
    zg_storage_segment_t s = {{0}, i, buf, len, size, &proof};
    memcpy(s.root, fr.root, 32);
    if (zg_storage_upload(w->st, &err, &s, 1, true, tx.seq) != ZG_OK) ZGT_FAIL("upload %" PRIu64 ": %s", i, err.message);
  }
  free(buf);
  free(data);
  zg_merkle_tree_destroy(tree);
  zg_buf_clear(&sr.roots);
  return start;
}

static void world_init_g(world_t *w, const char *genesis) {
  memset(w, 0, sizeof *w);
  w->e = malloc(sizeof *w->e);
  CHECK(se_init(w->e, genesis));
  se_fund(w->e, &w->e->caller, 1000000000000ull);
  se_fund(w->e, &zg_reward_address, 1000000); /* the base-reward pool */
  w->chain.e = w->e;
  memset(w->ben.bytes, 0xbe, 20);
  st_mkdtemp(w->dir, sizeof w->dir, "miner");
  zg_storage_cfg_t cfg = {w->dir, 0, 1, true, NULL};
  char msg[200];
  CHECK_OK(zg_storage_open(&w->st, &cfg, msg, sizeof msg));
}

static void world_init(world_t *w) { world_init_g(w, GENESIS); }

static void world_free(world_t *w) {
  zg_storage_close(w->st);
  st_rm_rf(w->dir);
  se_free(w->e);
  free(w->e);
}

static unsigned g_cache_loads = 4;

static zg_miner_t *miner_new(world_t *w, const char *state) {
  zg_miner_cfg_t c;
  memset(&c, 0, sizeof c);
  c.storage = w->st;
  c.chain = (zg_miner_chain_t){&w->chain, t_info, t_head, t_call, t_send, NULL};
  c.state_path = state;
  c.has_beneficiary = true;
  c.beneficiary = w->ben;
  c.has_seed = true;
  c.seed = 7;
  c.batch_nonces = 64;
  c.poll_ms = 60000; /* the tests say when the context is read again */
  c.cache_loads = g_cache_loads;
  zg_miner_t *m = NULL;
  char msg[200];
  CHECK_OK(zg_miner_create(&m, &c, msg, sizeof msg));
  return m;
}

/* Steps until an outcome other than SEARCHED (at most n steps). */
static zg_miner_outcome_t mine_until(zg_miner_t *m, int n) {
  zg_miner_outcome_t o = ZG_MINER_IDLE;
  for (int i = 0; i < n; i++) {
    zg_err_t e = zg_miner_step(m, &o);
    if (e != ZG_OK) {
      ZGT_FAIL("step: %s", zg_errname(e));
      return o;
    }
    if (o != ZG_MINER_SEARCHED) break;
  }
  return o;
}

/* ---- cases ---- */

static void test_roundtrip(void) {
  world_t w;
  world_init(&w);
  char state[300];
  snprintf(state, sizeof state, "%s/miner.json", w.dir);
  uint64_t start = add_file(&w, 2048 * 256, ~0ull); /* one node of height 11 at 2048 */
  CHECK_EQ(start, 2048);
  zg_miner_t *m = miner_new(&w, state);
  zg_miner_status_t s;
  /* Before any epoch is made, the context digest is empty: idle. */
  zg_miner_outcome_t o;
  CHECK_OK(zg_miner_step(m, &o));
  CHECK_EQ(o, ZG_MINER_IDLE);
  zg_miner_status(m, &s);
  CHECK(s.registered);
  CHECK(strstr(s.idle_reason, "empty") != NULL);
  CHECK_EQ(w.chain.sends, 1); /* requestMinerId */
  /* Epoch 1 (made as a view at block 12) holds the file. */
  w.e->block = 12;
  CHECK_OK(zg_miner_prepare(m));
  CHECK_EQ(m->ctx.epoch, 1);
  CHECK_EQ(m->ctx.flow_length, 4096);
  /* Loads: padding only at 0 and 1024 (nothing offered), all 64 seals at 2048. */
  uint8_t *load = malloc(ZG_PORA_LOAD_BYTES);
  bool avail[64];
  CHECK_OK(zg_miner_load(m, load, avail, 0));
  for (int k = 0; k < 64; k++) CHECK(!avail[k]);
  CHECK_OK(zg_miner_load(m, load, avail, 2048));
  for (int k = 0; k < 64; k++) CHECK(avail[k]);
  /* Mine until Mine accepts; Reward pays the base reward. */
  o = mine_until(m, 200);
  CHECK_EQ(o, ZG_MINER_ACCEPTED);
  zg_u256_t b = se_balance(w.e, &w.ben);
  CHECK_EQ(b.w[0], 1000);
  zg_miner_status(m, &s);
  CHECK_EQ(s.answers_accepted, 1);
  CHECK_EQ(s.answers_submitted, 1);
  CHECK_EQ(s.answers_rejected, 0);
  CHECK(s.iterations > 0);
  CHECK_EQ(s.epoch, 1);
  uint8_t id[32];
  memcpy(id, m->miner_id, 32);
  zg_miner_destroy(m);
  /* The id is persisted: a restarted miner does not register again. */
  unsigned sends = w.chain.sends;
  m = miner_new(&w, state);
  CHECK_OK(zg_miner_prepare(m));
  CHECK_EQ(w.chain.sends, sends);
  CHECK_MEM(m->miner_id, id, 32);
  zg_miner_destroy(m);
  free(load);
  world_free(&w);
}

/* Finds a hit with the miner's own loads; returns its nonce and position. */
static bool find_hit(zg_miner_t *m, uint8_t nonce[32], uint64_t *pos) {
  zg_pora_range_t range;
  zg_u256_t scaled;
  CHECK_OK(zg__miner_range(m, &range));
  CHECK_OK(zg_pora_scaled_target(&scaled, &m->ctx.target, m->ctx.flow_length, zg_pora_num_shards(&range)));
  memset(nonce, 0x33, 32);
  for (uint64_t i = 0; i < 5000; i++) {
    zg_store_be64(nonce + 24, i);
    zg_pora_result_t r;
    CHECK_OK(zg_pora_iterate(&r, m->scratch, m->miner_id, nonce, m->ctx.subtask, &range, &scaled, zg__miner_load_fn,
                             m));
    if (r.hit) {
      *pos = r.recall_position;
      return true;
    }
  }
  return false;
}

static void test_forged_rejected(void) {
  world_t w;
  world_init(&w);
  add_file(&w, 2048 * 256, ~0ull);
  zg_miner_t *m = miner_new(&w, NULL);
  w.e->block = 12;
  CHECK_OK(zg_miner_prepare(m));
  uint8_t nonce[32];
  uint64_t pos = 0;
  CHECK(find_hit(m, nonce, &pos));
  zg_mine_answer_t *a = malloc(sizeof *a), *f = malloc(sizeof *f);
  CHECK_OK(zg_miner_build_answer(m, a, nonce, pos));
  /* Wrong data, a wrong proof, a wrong seal context: each refused and counted. */
  char why[160];
  bool ok = true;
  for (int i = 0; i < 3; i++) {
    *f = *a;
    if (i == 0) f->sealed[77] ^= 1;
    if (i == 1) f->proof[0][3] ^= 1;
    if (i == 2) f->sealed_context_digest[1] ^= 1;
    CHECK_OK(zg_miner_submit(m, &ok, why, sizeof why, f));
    CHECK(!ok);
    if (ok) ZGT_FAIL("forgery %d accepted", i);
  }
  CHECK(strstr(why, "sealed context") != NULL);
  zg_miner_status_t s;
  zg_miner_status(m, &s);
  CHECK_EQ(s.answers_rejected, 3);
  CHECK_EQ(s.answers_accepted, 0);
  CHECK(strstr(s.last_error, "rejected") != NULL);
  /* The real one is accepted; its replay is not. */
  CHECK_OK(zg_miner_submit(m, &ok, why, sizeof why, a));
  if (!ok) ZGT_FAIL("real answer refused: %s", why);
  CHECK_OK(zg_miner_submit(m, &ok, why, sizeof why, a));
  CHECK(!ok);
  CHECK(strcmp(why, "Answer already submitted") == 0);
  zg_miner_status(m, &s);
  CHECK_EQ(s.answers_accepted, 1);
  CHECK_EQ(s.answers_rejected, 4);
  CHECK_EQ(s.answers_submitted, 5);
  free(a);
  free(f);
  zg_miner_destroy(m);
  world_free(&w);
}

static void test_dropped_data(void) {
  world_t w;
  world_init(&w);
  /* The node knows the entry but holds none of its segments. */
  add_file(&w, 2048 * 256, 0);
  zg_miner_t *m = miner_new(&w, NULL);
  w.e->block = 12;
  CHECK_OK(zg_miner_prepare(m));
  uint8_t *load = malloc(ZG_PORA_LOAD_BYTES);
  bool avail[64];
  CHECK_OK(zg_miner_load(m, load, avail, 2048));
  for (int k = 0; k < 64; k++) CHECK(!avail[k]);
  long steps = zgt_iters(20);
  for (long i = 0; i < steps; i++) {
    zg_miner_outcome_t o;
    CHECK_OK(zg_miner_step(m, &o));
    CHECK_EQ(o, ZG_MINER_SEARCHED);
  }
  zg_miner_status_t s;
  zg_miner_status(m, &s);
  CHECK_EQ(s.hits, 0);
  CHECK_EQ(s.answers_submitted, 0);
  CHECK(s.iterations >= (uint64_t)steps * 64);
  CHECK(s.seals_missing > 0);
  /* Building an answer from a seal it does not hold is refused. */
  zg_mine_answer_t *a = malloc(sizeof *a);
  uint8_t nonce[32] = {1};
  CHECK_EQ(zg_miner_build_answer(m, a, nonce, 2048 + 16 * 5), ZG_ENOTFOUND);
  CHECK_EQ(zg_miner_build_answer(m, a, nonce, 16), ZG_ENOTFOUND); /* padding */
  zg_u256_t b = se_balance(w.e, &w.ben);
  CHECK(zg_u256_is_zero(&b));
  free(a);
  zg_miner_destroy(m);
  /* Half a file: a 4-segment file with segments 1 and 3 dropped. Exactly
   * the held segments' seals are offered; answers come from them. */
  uint64_t start = add_file(&w, 4096 * 256, 0x5);
  CHECK_EQ(start, 4096);
  m = miner_new(&w, NULL);
  w.e->block = 22;
  CHECK_OK(zg_miner_prepare(m));
  CHECK_EQ(m->ctx.flow_length, 8192);
  for (uint64_t seg = 4; seg < 8; seg++) {
    CHECK_OK(zg_miner_load(m, load, avail, seg * 1024));
    bool held = seg == 4 || seg == 6;
    for (int k = 0; k < 64; k++) CHECK_EQ(avail[k], held);
  }
  CHECK_EQ(mine_until(m, 200), ZG_MINER_ACCEPTED);
  se_log_t *l = &w.e->logs[w.e->nlogs - 1];
  uint64_t rp = l->data_len >= 64 ? zg_load_be64(l->data + 56) : 0;
  CHECK(rp / 1024 == 4 || rp / 1024 == 6);
  zg_miner_destroy(m);
  free(load);
  world_free(&w);
}

static void test_decisions(void) {
  world_t w;
  /* A subtask window shorter than the epoch: (mineStart, mineStart + 3]. */
  world_init_g(&w, "{\"storage\": {\"blocksPerEpoch\": 10, \"pricePerSector\": \"1000\", \"initDifficulty\": 4,"
                   " \"targetMineBlocks\": 3, \"nSubtasks\": 1, \"subtaskInterval\": 0, \"baseReward\": \"1000\"}}");
  add_file(&w, 2048 * 256, ~0ull);
  zg_miner_t *m = miner_new(&w, NULL);
  zg_miner_status_t s;
  zg_miner_outcome_t o;
  w.e->block = 12;
  CHECK_OK(zg_miner_prepare(m));
  uint64_t ws = m->ctx.window_start;
  CHECK(ws >= 10 && ws < 12);
  w.e->block = ws + 4;
  CHECK_OK(zg_miner_prepare(m));
  CHECK_OK(zg_miner_step(m, &o));
  CHECK_EQ(o, ZG_MINER_IDLE);
  zg_miner_status(m, &s);
  CHECK(strstr(s.idle_reason, "window") != NULL);
  /* A node behind the chain: a submission it has not seen yet, next epoch. */
  w.e->block = 13;
  {
    zg_buf_t cd;
    zg_file_root_t fr;
    uint8_t d[300] = {9};
    CHECK_OK(zg_file_merkle_root(&fr, d, sizeof d, NULL, NULL));
    zg_buf_init(&cd);
    CHECK_OK(zg_flow_submit_encode(&cd, sizeof d, NULL, 0, fr.nodes, fr.layout.nnodes, &w.e->caller));
    zg_u256_t fee = zg_u256_from_u64(1000000);
    zg_sc_result_t r;
    CHECK_EQ(se_call_v(w.e, &zg_flow_address, &fee, cd.ptr, cd.len, false, &r), ZG_SC_OK);
    zg_sc_result_free(&r);
    zg_buf_clear(&cd);
  }
  w.e->block = 22;
  CHECK_OK(zg_miner_prepare(m));
  CHECK_OK(zg_miner_step(m, &o));
  CHECK_EQ(o, ZG_MINER_IDLE);
  zg_miner_status(m, &s);
  CHECK(strstr(s.idle_reason, "behind") != NULL);
  zg_miner_destroy(m);
  world_free(&w);

  /* An epoch that changes under a hit: the answer is dropped as stale. */
  world_init(&w);
  add_file(&w, 2048 * 256, ~0ull);
  m = miner_new(&w, NULL);
  w.e->block = 12;
  CHECK_OK(zg_miner_prepare(m));
  w.chain.bump = 10; /* the re-read after the hit lands in epoch 2 */
  CHECK_EQ(mine_until(m, 200), ZG_MINER_STALE);
  zg_miner_status(m, &s);
  CHECK_EQ(s.answers_stale, 1);
  CHECK_EQ(s.answers_submitted, 0);
  /* A full epoch (target 0): 2 x targetSubmissions answers, then idle. */
  int acc = 0;
  for (int i = 0; i < 8 && acc < 4; i++) acc += mine_until(m, 200) == ZG_MINER_ACCEPTED;
  CHECK_EQ(acc, 4);
  CHECK_OK(zg_miner_prepare(m));
  CHECK_OK(zg_miner_step(m, &o));
  CHECK_EQ(o, ZG_MINER_IDLE);
  zg_miner_status(m, &s);
  CHECK(strstr(s.idle_reason, "enough") != NULL);
  zg_miner_destroy(m);
  world_free(&w);
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
  nanosleep(&ts, NULL);
}

/* The thread: the chain down at first (errors counted, retried with a
 * backoff), then an accepted answer; miner_stop freezes the iterations,
 * start resumes; halt ends it. Waits poll up to 60 s (CI under load). */
static void test_thread(void) {
  world_t w;
  world_init(&w);
  add_file(&w, 2048 * 256, ~0ull);
  w.e->block = 12;
  w.chain.down = 3;
  zg_miner_t *m = miner_new(&w, NULL);
  zg_miner_status_t s;
  CHECK_OK(zg_miner_start(m));
  for (int i = 0; i < 6000; i++) {
    zg_miner_status(m, &s);
    if (s.answers_accepted >= 1) break;
    sleep_ms(10);
  }
  CHECK(s.running);
  CHECK(s.answers_accepted >= 1);
  CHECK(s.chain_errors >= 3);
  zg_miner_stop(m);
  sleep_ms(300);
  zg_miner_status(m, &s);
  uint64_t it = s.iterations;
  CHECK(!s.running);
  sleep_ms(300);
  zg_miner_status(m, &s);
  CHECK_EQ(s.iterations, it);
  CHECK_OK(zg_miner_start(m));
  for (int i = 0; i < 6000 && s.iterations == it; i++) {
    sleep_ms(10);
    zg_miner_status(m, &s);
  }
  CHECK(s.iterations > it);
  zg_miner_halt(m);
  CHECK_EQ(zg_miner_start(m), ZG_ECLOSED);
  zg_miner_destroy(m);
  world_free(&w);
}

/* Process CPU time: the machine is shared, wall time says little. */
static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static zg_err_t mem_load(void *arg, uint8_t *out, bool avail[ZG_PORA_SEALS_PER_LOAD], uint64_t start) {
  (void)avail, (void)start;
  memcpy(out, arg, ZG_PORA_LOAD_BYTES);
  return ZG_OK;
}

/* Figures, printed (never asserted): a load read from the log store and
 * sealed, the loop's iterations/s with and without the sealed-load cache,
 * and the pure iteration over an in-memory load, in process CPU time (per
 * core; the loop is one thread). No hit is possible
 * (difficulty 2^60). ZG_TEST_ITERS scales the counts. */
static void test_rate(void) {
  world_t w;
  world_init_g(&w, "{\"storage\": {\"blocksPerEpoch\": 10, \"pricePerSector\": \"1000\","
                   " \"initDifficulty\": 1152921504606846976, \"targetMineBlocks\": 1000}}");
  add_file(&w, 16384 * 256, ~0ull); /* h = 14 at 16384 */
  add_file(&w, 32768 * 256, ~0ull); /* h = 15 at 32768: 48 of 64 loads hold data */
  w.e->block = 12;
  long n = zgt_iters(2);
  for (int cached = 0; cached < 2; cached++) {
    g_cache_loads = cached ? 64 : 0; /* every load of the world fits */
    zg_miner_t *m = miner_new(&w, NULL);
    CHECK_OK(zg_miner_prepare(m));
    CHECK_EQ(m->ctx.flow_length, 65536);
    uint8_t *load = malloc(ZG_PORA_LOAD_BYTES);
    bool avail[64];
    if (!cached) {
      double t0 = now_s();
      for (long i = 0; i < 8 * n; i++) CHECK_OK(zg_miner_load(m, load, avail, 32768 + 1024 * (uint64_t)(i % 32)));
      printf("    miner load from the log store + seal: %.2f ms CPU per 256 KiB load\n", (now_s() - t0) * 1e3 / (8 * n));
    }
    zg_miner_outcome_t o;
    double t0 = now_s();
    for (long i = 0; i < n; i++) CHECK_OK(zg_miner_step(m, &o));
    double dt = now_s() - t0;
    zg_miner_status_t s;
    zg_miner_status(m, &s);
    printf("    miner loop%s: %" PRIu64 " iterations in %.2f s CPU = %.0f it/s (%" PRIu64 " loads)\n",
           cached ? " (all 64 sealed loads cached after first use)" : " (no cache: every load read and sealed)",
           s.iterations, dt, (double)s.iterations / dt, s.loads);
    if (cached) {
      /* Every load cached: the loop's own cost over the pure iteration. */
      zg_pora_range_t range;
      zg_u256_t scaled;
      CHECK_OK(zg__miner_range(m, &range));
      CHECK_OK(zg_pora_scaled_target(&scaled, &m->ctx.target, m->ctx.flow_length, 1));
      uint8_t nonce[32] = {0};
      zg_pora_result_t r;
      t0 = now_s();
      for (long i = 0; i < 64 * n; i++) {
        zg_store_be64(nonce + 24, (uint64_t)i);
        CHECK_OK(zg_pora_iterate(&r, m->scratch, m->miner_id, nonce, m->ctx.subtask, &range, &scaled, mem_load, load));
      }
      dt = now_s() - t0;
      printf("    pure zg_pora_iterate, in-memory load: %.0f it/s\n", (double)(64 * n) / dt);
    }
    free(load);
    zg_miner_destroy(m);
  }
  g_cache_loads = 4;
  world_free(&w);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_roundtrip);
  ZGT_RUN(test_forged_rejected);
  ZGT_RUN(test_dropped_data);
  ZGT_RUN(test_decisions);
  ZGT_RUN(test_thread);
  ZGT_RUN(test_rate);
  return zgt_done();
}

/*
 * test_mempool.c — the transaction pool (zg/mempool.h) against a small
 * in-memory state: admission checks and their geth-like messages, pending
 * and queued queues, replacement, limits and eviction, take() ordering,
 * untake/advance/remove, the sender cache, a random operation sequence
 * checked against the pool's own invariants, and concurrent adders.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "zg/mempool.h"
#include "zg/tx.h"
#include "zg_test.h"

#define NKEYS 8
#define GWEI 1000000000ull

static zg_secp256k1_sk_t g_sk[NKEYS];
static zg_eth_addr_t g_addr[NKEYS];
static uint64_t g_nonce[NKEYS];
static zg_u256_t g_balance[NKEYS];
static pthread_mutex_t g_state_lock = PTHREAD_MUTEX_INITIALIZER;

static zg_err_t state_cb(void *ctx, uint64_t *nonce, zg_u256_t *balance, const zg_eth_addr_t *addr) {
  (void)ctx;
  *nonce = 0;
  *balance = zg_u256_from_u64(0);
  pthread_mutex_lock(&g_state_lock);
  for (int i = 0; i < NKEYS; i++) {
    if (memcmp(addr->bytes, g_addr[i].bytes, 20) == 0) {
      *nonce = g_nonce[i];
      *balance = g_balance[i];
    }
  }
  pthread_mutex_unlock(&g_state_lock);
  return ZG_OK;
}

static void setup_keys(void) {
  for (int i = 0; i < NKEYS; i++) {
    uint8_t k[32];
    memset(k, 0x10 + i, 32);
    if (zg_secp256k1_sk_parse(&g_sk[i], k, 32) != ZG_OK) abort();
    zg_secp256k1_pk_t pk;
    if (zg_secp256k1_pubkey(&pk, &g_sk[i]) != ZG_OK) abort();
    zg_eth_address(&g_addr[i], &pk);
  }
}

static void reset_state(void) {
  for (int i = 0; i < NKEYS; i++) {
    g_nonce[i] = 0;
    g_balance[i] = zg_u256_from_u64(1000000ull * GWEI * 1000);
  }
}

/* A signed 1559 transfer from key k; tip and max fee in gwei. */
static void mktx(zg_buf_t *out, int k, uint64_t nonce, uint64_t tip, uint64_t max_fee) {
  zg_tx_t f;
  memset(&f, 0, sizeof f);
  f.type = ZG_TX_DYNAMIC_FEE;
  f.chain_id = 16888;
  f.nonce = nonce;
  f.max_priority_fee = zg_u256_from_u64(tip * GWEI);
  f.max_fee = zg_u256_from_u64(max_fee * GWEI);
  f.gas_limit = 21000;
  f.has_to = true;
  memset(f.to.bytes, 0x42, 20);
  f.value = zg_u256_from_u64(1);
  out->len = 0;
  if (zg_tx_sign(out, &f, &g_sk[k]) != ZG_OK) abort();
}

static zg_mempool_config_t base_config(void) {
  zg_mempool_config_t c;
  memset(&c, 0, sizeof c);
  c.chain_id = 16888;
  c.base_fee = zg_u256_from_u64(GWEI);
  c.block_gas_limit = 30000000;
  c.lane = -1;
  c.account = state_cb;
  return c;
}

static zg_err_t add(zg_mempool_t *mp, char *msg, int k, uint64_t nonce, uint64_t tip, uint64_t max_fee) {
  zg_buf_t b;
  zg_buf_init(&b);
  mktx(&b, k, nonce, tip, max_fee);
  zg_err_t e = zg_mempool_add_raw(mp, NULL, msg, b.ptr, b.len);
  zg_buf_clear(&b);
  return e;
}

static void test_admission(void) {
  reset_state();
  zg_mempool_config_t c = base_config();
  c.min_tip = zg_u256_from_u64(1);
  zg_mempool_t *mp;
  CHECK_OK(zg_mempool_create(&mp, &c));
  char msg[ZG_MEMPOOL_MSG_MAX];
  zg_buf_t b;
  zg_buf_init(&b);

  g_nonce[0] = 5;
  CHECK_ERR(add(mp, msg, 0, 3, 1, 10), ZG_ENONCE);
  CHECK(strcmp(msg, "nonce too low: next nonce 5, tx nonce 3") == 0);
  CHECK_OK(add(mp, msg, 0, 5, 1, 10));
  CHECK_ERR(add(mp, msg, 0, 5, 1, 10), ZG_EEXIST);
  CHECK(strcmp(msg, "already known") == 0);

  g_balance[1] = zg_u256_from_u64(21000ull * 10 * GWEI); /* one wei short of gas*fee + value */
  CHECK_ERR(add(mp, msg, 1, 0, 1, 10), ZG_EFUNDS);
  CHECK(strncmp(msg, "insufficient funds for gas * price + value", 42) == 0);
  g_balance[1] = zg_u256_from_u64(21000ull * 10 * GWEI + 1);
  CHECK_OK(add(mp, msg, 1, 0, 1, 10));

  /* Base fee is 1 gwei: a max fee below it is refused. */
  mktx(&b, 2, 0, 0, 0);
  CHECK_ERR(zg_mempool_add_raw(mp, NULL, msg, b.ptr, b.len), ZG_EFEE);
  CHECK(strncmp(msg, "max fee per gas less than block base fee", 40) == 0);
  /* min_tip is 1 wei: a zero tip is underpriced. */
  CHECK_ERR(add(mp, msg, 2, 0, 0, 10), ZG_EFEE);
  CHECK(strncmp(msg, "transaction underpriced", 23) == 0);
  /* Tip above max fee. */
  CHECK_ERR(add(mp, msg, 2, 0, 11, 10), ZG_EFEE);
  CHECK(strncmp(msg, "max priority fee per gas higher than max fee per gas", 50) == 0);

  /* Gas: intrinsic and block limit; chain id; creation; garbage. */
  zg_tx_t f;
  memset(&f, 0, sizeof f);
  f.type = ZG_TX_LEGACY;
  f.chain_id = 16888;
  f.gas_price = zg_u256_from_u64(2 * GWEI);
  f.gas_limit = 20000;
  f.has_to = true;
  b.len = 0;
  CHECK_OK(zg_tx_sign(&b, &f, &g_sk[3]));
  CHECK_ERR(zg_mempool_add_raw(mp, NULL, msg, b.ptr, b.len), ZG_EGAS);
  CHECK(strcmp(msg, "intrinsic gas too low: gas 20000, minimum needed 21000") == 0);
  f.gas_limit = 30000001;
  b.len = 0;
  CHECK_OK(zg_tx_sign(&b, &f, &g_sk[3]));
  CHECK_ERR(zg_mempool_add_raw(mp, NULL, msg, b.ptr, b.len), ZG_EGAS);
  CHECK(strncmp(msg, "exceeds block gas limit", 23) == 0);
  f.gas_limit = 21000;
  f.chain_id = 1;
  b.len = 0;
  CHECK_OK(zg_tx_sign(&b, &f, &g_sk[3]));
  CHECK_ERR(zg_mempool_add_raw(mp, NULL, msg, b.ptr, b.len), ZG_ECHAINID);
  CHECK(strcmp(msg, "invalid chain id for signer: have 1 want 16888") == 0);
  f.chain_id = 16888;
  f.has_to = false;
  b.len = 0;
  CHECK_OK(zg_tx_sign(&b, &f, &g_sk[3]));
  CHECK_ERR(zg_mempool_add_raw(mp, NULL, msg, b.ptr, b.len), ZG_EUNSUPPORTED);
  CHECK(strncmp(msg, "contract creation is not supported", 34) == 0);
  CHECK(zg_mempool_add_raw(mp, NULL, msg, b.ptr, 3) != ZG_OK); /* truncated */
  CHECK(msg[0] != 0);
  b.ptr[0] = 0x03;
  CHECK_ERR(zg_mempool_add_raw(mp, NULL, msg, b.ptr, b.len), ZG_EUNSUPPORTED);
  CHECK(strcmp(msg, "transaction type not supported") == 0);

  zg_mempool_stats_t st;
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.pending, 2);
  CHECK_EQ(st.queued, 0);
  CHECK_EQ(st.senders, 2);
  CHECK_EQ(st.added, 2);
  CHECK(st.refused >= 10);
  zg_mempool_destroy(mp);
  zg_buf_clear(&b);
}

static void test_queues_and_replacement(void) {
  reset_state();
  zg_mempool_config_t c = base_config();
  zg_mempool_t *mp;
  CHECK_OK(zg_mempool_create(&mp, &c));
  char msg[ZG_MEMPOOL_MSG_MAX];
  CHECK_OK(add(mp, msg, 0, 0, 2, 10));
  CHECK_OK(add(mp, msg, 0, 1, 2, 10));
  CHECK_OK(add(mp, msg, 0, 2, 2, 10));
  CHECK_OK(add(mp, msg, 0, 4, 2, 10));
  CHECK_OK(add(mp, msg, 0, 6, 2, 10));
  zg_mempool_stats_t st;
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.pending, 3);
  CHECK_EQ(st.queued, 2);
  uint64_t pn = 0;
  CHECK(zg_mempool_pending_nonce(mp, &pn, &g_addr[0]));
  CHECK_EQ(pn, 3);
  CHECK(!zg_mempool_pending_nonce(mp, &pn, &g_addr[1]));
  CHECK_OK(add(mp, msg, 0, 3, 2, 10)); /* fills the gap: 0..4 pending */
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.pending, 5);
  CHECK_EQ(st.queued, 1);

  /* Replacement: +5% refused, tip +10% alone refused, both +10% accepted. */
  CHECK_ERR(add(mp, msg, 0, 1, 2, 10 + 0), ZG_EEXIST); /* the very same tx */
  zg_buf_t b;
  zg_buf_init(&b);
  mktx(&b, 0, 1, 2, 10);
  mktx(&b, 0, 1, 2, 11);
  CHECK_ERR(zg_mempool_add_raw(mp, NULL, msg, b.ptr, b.len), ZG_EFEE); /* tip not bumped */
  CHECK(strcmp(msg, "replacement transaction underpriced") == 0);
  zg_tx_t f;
  memset(&f, 0, sizeof f);
  f.type = ZG_TX_DYNAMIC_FEE;
  f.chain_id = 16888;
  f.nonce = 1;
  f.gas_limit = 21000;
  f.has_to = true;
  memset(f.to.bytes, 0x42, 20);
  f.value = zg_u256_from_u64(1);
  f.max_fee = zg_u256_from_u64(10 * GWEI + GWEI / 2); /* +5% */
  f.max_priority_fee = zg_u256_from_u64(3 * GWEI);
  b.len = 0;
  CHECK_OK(zg_tx_sign(&b, &f, &g_sk[0]));
  CHECK_ERR(zg_mempool_add_raw(mp, NULL, msg, b.ptr, b.len), ZG_EFEE);
  f.max_fee = zg_u256_from_u64(11 * GWEI); /* +10% exactly */
  f.max_priority_fee = zg_u256_from_u64(2 * GWEI + GWEI / 5);
  b.len = 0;
  CHECK_OK(zg_tx_sign(&b, &f, &g_sk[0]));
  uint8_t h[32];
  CHECK_OK(zg_mempool_add_raw(mp, h, msg, b.ptr, b.len));
  zg_buf_t got;
  zg_buf_init(&got);
  zg_eth_addr_t who;
  CHECK_OK(zg_mempool_get(mp, &got, &who, h));
  CHECK_EQ(got.len, b.len);
  CHECK_MEM(got.ptr, b.ptr, b.len);
  CHECK_MEM(who.bytes, g_addr[0].bytes, 20);
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.replaced, 1);
  CHECK_EQ(st.pending + st.queued, 6);

  /* advance: the state moved to nonce 3; remove: nonce 4 goes, 6 stays queued. */
  zg_mempool_advance(mp, &g_addr[0], 3);
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.pending, 2); /* 3, 4 */
  CHECK_EQ(st.queued, 1);
  CHECK_ERR(zg_mempool_get(mp, NULL, NULL, h), ZG_ENOTFOUND);
  mktx(&b, 0, 4, 2, 10);
  zg_tx_t tx;
  CHECK_OK(zg_tx_decode(&tx, b.ptr, b.len, 16888));
  CHECK_OK(zg_mempool_remove(mp, tx.hash));
  CHECK_ERR(zg_mempool_remove(mp, tx.hash), ZG_ENOTFOUND);
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.pending, 1);
  CHECK_EQ(st.queued, 1);
  /* A tx below what advance() taught the pool is too low even if the state
   * callback lags. */
  CHECK_ERR(add(mp, msg, 0, 2, 5, 50), ZG_ENONCE);
  zg_mempool_advance(mp, &g_addr[0], 100);
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.pending + st.queued, 0);
  CHECK_EQ(st.senders, 0);
  CHECK_EQ(st.bytes, 0);
  zg_buf_clear(&b);
  zg_buf_clear(&got);
  zg_mempool_destroy(mp);
}

static void test_limits(void) {
  reset_state();
  zg_mempool_config_t c = base_config();
  c.max_txs = 4;
  c.max_per_sender = 3;
  zg_mempool_t *mp;
  CHECK_OK(zg_mempool_create(&mp, &c));
  char msg[ZG_MEMPOOL_MSG_MAX];
  CHECK_OK(add(mp, msg, 0, 0, 5, 10));
  CHECK_OK(add(mp, msg, 0, 1, 5, 10));
  CHECK_OK(add(mp, msg, 0, 2, 5, 10));
  CHECK_ERR(add(mp, msg, 0, 3, 5, 10), ZG_EPOOLFULL);
  CHECK(strncmp(msg, "txpool is full", 14) == 0);
  CHECK_OK(add(mp, msg, 1, 7, 9, 10)); /* queued, high tip */
  /* Full (4). A pending newcomer evicts the queued tx whatever its fee. */
  CHECK_OK(add(mp, msg, 2, 0, 1, 10));
  zg_mempool_stats_t st;
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.queued, 0);
  CHECK_EQ(st.pending, 4);
  CHECK_EQ(st.evicted, 1);
  /* All pending: a newcomer paying less than every tail is refused... */
  CHECK_ERR(add(mp, msg, 3, 0, 1, 10), ZG_EPOOLFULL);
  CHECK(strcmp(msg, "txpool is full") == 0);
  /* ...one paying more evicts the cheapest tail (sender 2, tip 1). */
  CHECK_OK(add(mp, msg, 3, 0, 3, 10));
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.evicted, 2);
  uint64_t pn;
  CHECK(!zg_mempool_pending_nonce(mp, &pn, &g_addr[2]));
  /* A queued newcomer does not evict a pending tx that pays the same. */
  CHECK_ERR(add(mp, msg, 4, 5, 3, 10), ZG_EPOOLFULL);
  zg_mempool_destroy(mp);

  /* Byte limit. */
  c.max_txs = 0;
  c.max_bytes = 300;
  CHECK_OK(zg_mempool_create(&mp, &c));
  CHECK_OK(add(mp, msg, 0, 0, 5, 10));
  CHECK_OK(add(mp, msg, 1, 0, 5, 10));
  CHECK_ERR(add(mp, msg, 2, 0, 5, 10), ZG_EPOOLFULL);
  zg_mempool_stats(mp, &st);
  CHECK(st.bytes <= 300);
  zg_mempool_destroy(mp);
}

/* A full pool evicts the needed tx plus a slack of max_txs/64 per scan
 * (one tail per sender), and keeps refusing cheap newcomers. */
static void test_bulk_eviction(void) {
  reset_state();
  zg_mempool_config_t c = base_config();
  c.max_txs = 128;
  c.max_per_sender = 32;
  zg_mempool_t *mp;
  CHECK_OK(zg_mempool_create(&mp, &c));
  char msg[ZG_MEMPOOL_MSG_MAX];
  for (int k = 0; k < NKEYS; k++)
    for (uint64_t n = 0; n < 16; n++) CHECK_OK(add(mp, msg, k, n, 5, 10));
  zg_mempool_stats_t st;
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.pending, 128);
  for (int i = 0; i < 3; i++) CHECK_ERR(add(mp, msg, 0, 16, 5, 10 + (uint64_t)i), ZG_EPOOLFULL);
  CHECK_ERR(add(mp, msg, 0, 20, 9, 10), ZG_EPOOLFULL); /* queued: evicts no pending tx */
  CHECK_OK(add(mp, msg, 0, 16, 9, 10));
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.evicted, 1 + 128 / 64);
  CHECK_EQ(st.pending, 128 - 2);
  /* The evicted are tails of three other senders, never sender 0's. */
  uint64_t pn;
  CHECK(zg_mempool_pending_nonce(mp, &pn, &g_addr[0]));
  CHECK_EQ(pn, 17);
  size_t short_senders = 0;
  for (int k = 1; k < NKEYS; k++) {
    CHECK(zg_mempool_pending_nonce(mp, &pn, &g_addr[k]));
    short_senders += pn == 15;
  }
  CHECK_EQ(short_senders, 3);
  zg_mempool_destroy(mp);
}

static void test_take(void) {
  reset_state();
  zg_mempool_config_t c = base_config();
  zg_mempool_t *mp;
  CHECK_OK(zg_mempool_create(&mp, &c));
  char msg[ZG_MEMPOOL_MSG_MAX];
  /* Sender k has 3 txs; its tips: 0 -> 1, 1 -> 5, 2 -> 3 gwei (the last
   * tx of sender 1 pays 1 only). Base fee 1, max fee 10. */
  for (uint64_t n = 0; n < 3; n++) {
    CHECK_OK(add(mp, msg, 0, n, 1, 10));
    CHECK_OK(add(mp, msg, 1, n, n == 2 ? 1 : 5, 10));
    CHECK_OK(add(mp, msg, 2, n, 3, 10));
  }
  CHECK_OK(add(mp, msg, 3, 1, 9, 10)); /* queued: never taken */
  zg_mempool_taken_t t;
  zg_mempool_taken_init(&t);
  CHECK_OK(zg_mempool_take(mp, &t, 100, 1 << 20));
  CHECK_EQ(t.n, 9);
  /* Expected order: s1 n0, s1 n1 (tip 5), s2 n0..2 (tip 3), then tip 1:
   * s0 (admitted first) n0..2, s1 n2. */
  static const int who[9] = {1, 1, 2, 2, 2, 0, 0, 0, 1};
  static const uint64_t nonce[9] = {0, 1, 0, 1, 2, 0, 1, 2, 2};
  for (size_t i = 0; i < 9 && i < t.n; i++) {
    CHECK_MEM(t.items[i].sender.bytes, g_addr[who[i]].bytes, 20);
    CHECK_EQ(t.items[i].nonce, nonce[i]);
    zg_tx_t tx;
    CHECK_OK(zg_tx_decode(&tx, t.raw.ptr + t.items[i].off, t.items[i].len, 16888));
    CHECK_MEM(tx.hash, t.items[i].hash, 32);
  }
  zg_mempool_stats_t st;
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.taken, 9);
  /* Nothing more to take; a replacement of a taken tx is refused. */
  zg_mempool_taken_reset(&t);
  CHECK_OK(zg_mempool_take(mp, &t, 100, 1 << 20));
  CHECK_EQ(t.n, 0);
  CHECK_ERR(add(mp, msg, 0, 1, 5, 50), ZG_EFEE);
  /* untake of s2 n1 also releases s2 n2; the next take hands out exactly those. */
  zg_buf_t b;
  zg_buf_init(&b);
  mktx(&b, 2, 1, 3, 10);
  zg_tx_t tx;
  CHECK_OK(zg_tx_decode(&tx, b.ptr, b.len, 16888));
  zg_mempool_untake(mp, (const uint8_t(*)[32])tx.hash, 1);
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.taken, 7);
  CHECK_OK(zg_mempool_take(mp, &t, 100, 1 << 20));
  CHECK_EQ(t.n, 2);
  if (t.n == 2) CHECK(t.items[0].nonce == 1 && t.items[1].nonce == 2);
  /* Limits: untake all, then max_txs and max_bytes. */
  zg_mempool_untake_all(mp);
  zg_mempool_taken_reset(&t);
  CHECK_OK(zg_mempool_take(mp, &t, 4, 1 << 20));
  CHECK_EQ(t.n, 4);
  zg_mempool_untake_all(mp);
  zg_mempool_taken_reset(&t);
  CHECK_OK(zg_mempool_take(mp, &t, 100, 3 * b.len + 10));
  CHECK_EQ(t.n, 3);
  CHECK(t.raw.len <= 3 * b.len + 10);
  /* Commit: sender 1 moved to 2; its taken n0, n1 leave the pool. */
  zg_mempool_advance(mp, &g_addr[1], 2);
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.taken, 1);
  CHECK_EQ(st.pending, 7);
  zg_mempool_taken_free(&t);
  zg_buf_clear(&b);
  zg_mempool_destroy(mp);
}

static void test_sender_cache_shared(void) {
  reset_state();
  zg_tx_cache_t *cache;
  CHECK_OK(zg_tx_cache_create(&cache, 1024));
  zg_mempool_config_t c = base_config();
  c.cache = cache;
  c.lanes = 2;
  c.lane = 1;
  zg_mempool_t *mp;
  CHECK_OK(zg_mempool_create(&mp, &c));
  char msg[ZG_MEMPOOL_MSG_MAX];
  int on = -1, off = -1;
  for (int k = 0; k < NKEYS; k++) {
    if (g_addr[k].bytes[19] % 2 == 1 && on < 0) on = k;
    if (g_addr[k].bytes[19] % 2 == 0 && off < 0) off = k;
  }
  CHECK(on >= 0 && off >= 0);
  if (on < 0 || off < 0) return;
  CHECK_ERR(add(mp, msg, off, 0, 1, 10), ZG_ELANE);
  CHECK(strstr(msg, "is on lane 0") != NULL);
  zg_buf_t b;
  zg_buf_init(&b);
  mktx(&b, on, 0, 1, 10);
  uint8_t h[32];
  CHECK_OK(zg_mempool_add_raw(mp, h, msg, b.ptr, b.len));
  CHECK_OK(zg_mempool_remove(mp, h));
  uint64_t lookups, hits;
  zg_tx_cache_stats(cache, &lookups, &hits);
  CHECK_EQ(hits, 0);
  CHECK_OK(zg_mempool_add_raw(mp, h, msg, b.ptr, b.len)); /* seen again: no recovery */
  zg_tx_cache_stats(cache, &lookups, &hits);
  CHECK_EQ(hits, 1);
  zg_buf_clear(&b);
  zg_mempool_destroy(mp);
  zg_tx_cache_destroy(cache);
}

/* Random operations; after each, what take() hands out is contiguous per
 * sender from its next nonce, and the totals add up. Pre-signed txs keep
 * the loop cheap. */
static void test_random_ops(void) {
  reset_state();
  enum { NS = 4, NN = 8, NF = 3 };
  static zg_buf_t pool[NS][NN][NF];
  for (int s = 0; s < NS; s++)
    for (int n = 0; n < NN; n++)
      for (int f = 0; f < NF; f++) {
        zg_buf_init(&pool[s][n][f]);
        mktx(&pool[s][n][f], s, (uint64_t)n, 1 + 2 * (uint64_t)f, 10 + 2 * (uint64_t)f);
      }
  zg_mempool_config_t c = base_config();
  c.max_txs = 12;
  c.max_per_sender = 6;
  zg_mempool_t *mp;
  CHECK_OK(zg_mempool_create(&mp, &c));
  zg_mempool_taken_t t;
  zg_mempool_taken_init(&t);
  uint64_t next_taken[NS];
  memset(next_taken, 0, sizeof next_taken);
  long iters = zgt_iters(3000), rounds = 0;
  for (long i = 0; i < iters; i++) {
    int s = (int)zgt_rand_below(NS);
    uint32_t op = zgt_rand_below(10);
    if (op < 6) {
      int n = (int)zgt_rand_below(NN), f = (int)zgt_rand_below(NF);
      zg_buf_t *b = &pool[s][n][f];
      char msg[ZG_MEMPOOL_MSG_MAX];
      zg_err_t e = zg_mempool_add_raw(mp, NULL, msg, b->ptr, b->len);
      CHECK(e == ZG_OK || e == ZG_ENONCE || e == ZG_EEXIST || e == ZG_EFEE || e == ZG_EPOOLFULL);
    } else if (op < 8) {
      zg_mempool_taken_reset(&t);
      CHECK_OK(zg_mempool_take(mp, &t, 1 + zgt_rand_below(6), 1 << 20));
      for (size_t j = 0; j < t.n; j++) {
        int k = -1;
        for (int q = 0; q < NS; q++)
          if (memcmp(t.items[j].sender.bytes, g_addr[q].bytes, 20) == 0) k = q;
        CHECK(k >= 0);
        if (k < 0) continue;
        uint64_t expect = next_taken[k] > g_nonce[k] ? next_taken[k] : g_nonce[k];
        CHECK_EQ(t.items[j].nonce, expect);
        next_taken[k] = expect + 1;
      }
    } else if (op == 8) {
      /* Commit what was taken of sender s. */
      uint64_t to = next_taken[s] > g_nonce[s] ? next_taken[s] : g_nonce[s];
      pthread_mutex_lock(&g_state_lock);
      g_nonce[s] = to;
      pthread_mutex_unlock(&g_state_lock);
      zg_mempool_advance(mp, &g_addr[s], to);
      bool all_done = true;
      for (int q = 0; q < NS; q++) all_done = all_done && g_nonce[q] >= NN;
      if (all_done) { /* every sender used up its nonces: a new round */
        zg_mempool_destroy(mp);
        CHECK_OK(zg_mempool_create(&mp, &c));
        reset_state();
        memset(next_taken, 0, sizeof next_taken);
        rounds++;
      }
    } else {
      zg_mempool_untake_all(mp);
      for (int q = 0; q < NS; q++) next_taken[q] = g_nonce[q];
    }
    zg_mempool_stats_t st;
    zg_mempool_stats(mp, &st);
    CHECK(st.pending + st.queued <= c.max_txs);
    CHECK(st.taken <= st.pending);
  }
  printf("  %ld operations, %ld rounds\n", iters, rounds);
  zg_mempool_taken_free(&t);
  zg_mempool_destroy(mp);
  for (int s = 0; s < NS; s++)
    for (int n = 0; n < NN; n++)
      for (int f = 0; f < NF; f++) zg_buf_clear(&pool[s][n][f]);
}

typedef struct {
  zg_mempool_t *mp;
  int k;
  int ok;
} adder_t;

static void *adder(void *arg) {
  adder_t *a = arg;
  zg_buf_t b;
  zg_buf_init(&b);
  for (uint64_t n = 0; n < 40; n++) {
    mktx(&b, a->k, n, 1 + n % 3, 10);
    char msg[ZG_MEMPOOL_MSG_MAX];
    if (zg_mempool_add_raw(a->mp, NULL, msg, b.ptr, b.len) == ZG_OK) a->ok++;
  }
  zg_buf_clear(&b);
  return NULL;
}

static void test_threads(void) {
  reset_state();
  zg_mempool_config_t c = base_config();
  zg_mempool_t *mp;
  CHECK_OK(zg_mempool_create(&mp, &c));
  pthread_t th[4];
  adder_t ad[4];
  for (int i = 0; i < 4; i++) {
    ad[i] = (adder_t){mp, i, 0};
    pthread_create(&th[i], NULL, adder, &ad[i]);
  }
  zg_mempool_taken_t t;
  zg_mempool_taken_init(&t);
  size_t total_taken = 0;
  for (int i = 0; i < 20; i++) {
    zg_mempool_taken_reset(&t);
    CHECK_OK(zg_mempool_take(mp, &t, 7, 1 << 20));
    total_taken += t.n;
  }
  for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
  zg_mempool_taken_reset(&t);
  CHECK_OK(zg_mempool_take(mp, &t, 1000, 1 << 20));
  total_taken += t.n;
  for (int i = 0; i < 4; i++) CHECK_EQ(ad[i].ok, 40);
  CHECK_EQ(total_taken, 160);
  zg_mempool_stats_t st;
  zg_mempool_stats(mp, &st);
  CHECK_EQ(st.pending, 160);
  CHECK_EQ(st.taken, 160);
  zg_mempool_taken_free(&t);
  zg_mempool_destroy(mp);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  setup_keys();
  ZGT_RUN(test_admission);
  ZGT_RUN(test_queues_and_replacement);
  ZGT_RUN(test_limits);
  ZGT_RUN(test_bulk_eviction);
  ZGT_RUN(test_take);
  ZGT_RUN(test_sender_cache_shared);
  ZGT_RUN(test_random_ops);
  ZGT_RUN(test_threads);
  return zgt_done();
}

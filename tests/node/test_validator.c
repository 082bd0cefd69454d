/*
 * test_validator.c — the validator role end to end, in one process: four
 * validators with two lanes on loopback ports, talking through the real
 * net, engines, batches, block store and execution. Checks that blocks are
 * committed on every lane, that signed transfers (same-lane and cross-lane)
 * submitted to different nodes are executed everywhere with identical state
 * digests, that a validator stopped and restarted catches up, and that
 * lanes cross epoch boundaries (20-block epochs).
 *
 * Ports: each node's P2P port is picked by binding port 0 and releasing it
 * (the peers' addresses must be known before start); RPC ports are
 * ephemeral. Timeouts are generous (the box is shared); nothing asserts a
 * duration.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "node_util.h"
#include "zg/log.h"
#include "zg/tx.h"
#include "zg/validator.h"
#include "zg_test.h"

#define NV 4
#define LANES 2
#define NSENDERS 4
#define TXS_PER_SENDER 10

static nu_val_t vals[NV];
static char base[256], genesis_path[400];
static char dirs[NV][400], keys_path[NV][400], listen_addr[NV][32];
static char peer_text[NV][NV][200];
static const char *peer_ptrs[NV][NV];
static zg_validator_t *nodes[NV];
static zg_secp256k1_sk_t sender_sk[NSENDERS];
static zg_eth_addr_t sender[NSENDERS], recipient[NSENDERS];

static uint16_t free_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t l = sizeof a;
  uint16_t port = 0;
  if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &l) == 0)
    port = ntohs(a.sin_port);
  if (fd >= 0) close(fd);
  return port;
}

static zg_validator_cfg_t node_cfg(unsigned i) {
  zg_validator_cfg_t c;
  memset(&c, 0, sizeof c);
  c.data_dir = dirs[i];
  c.genesis_path = genesis_path;
  c.keys_path = keys_path[i];
  c.batch_txs = 50;
  c.batch_delay_ns = 10000000;
  c.mempool_max = 20000;
  c.no_sync = true;
  c.listen = listen_addr[i];
  c.peers = peer_ptrs[i];
  c.n_peers = NV - 1;
  c.rpc_addr = "127.0.0.1:0";
  return c;
}

static bool start_node(unsigned i) {
  char err[512];
  zg_validator_cfg_t c = node_cfg(i);
  zg_err_t e = zg_validator_start(&nodes[i], err, sizeof err, &c);
  if (e) printf("  node %u: %s: %s\n", i, zg_errname(e), err);
  return e == ZG_OK;
}

static bool setup(void) {
  if (nu_tmpdir(base, sizeof base, "validator") != 0) return false;
  static char gtext[32768], ktext[1024];
  char p2p[NV][64];
  const char *p2p_ptrs[NV];
  for (unsigned i = 0; i < NV; i++) {
    if (nu_val_make(&vals[i], i) != 0) return false;
    uint16_t port = free_port();
    if (!port) return false;
    snprintf(listen_addr[i], sizeof listen_addr[i], "127.0.0.1:%u", port);
    snprintf(p2p[i], sizeof p2p[i], "127.0.0.1:%u", port);
    p2p_ptrs[i] = p2p[i];
    snprintf(dirs[i], sizeof dirs[i], "%s/v%u", base, i);
    snprintf(keys_path[i], sizeof keys_path[i], "%s/keys%u.json", base, i);
    if (nu_keys_text(ktext, sizeof ktext, &vals[i]) != 0 || nu_write_file(keys_path[i], ktext) != 0) return false;
  }
  for (unsigned i = 0; i < NV; i++) {
    unsigned k = 0;
    for (unsigned j = 0; j < NV; j++) {
      if (j == i) continue;
      char pk[67];
      zg_hex_encode(pk, vals[j].node_pk.bytes, 32);
      snprintf(peer_text[i][k], sizeof peer_text[i][k], "%s@%s", pk + 2, listen_addr[j]);
      peer_ptrs[i][k] = peer_text[i][k];
      k++;
    }
  }
  /* Senders: two owned by each lane; recipients alternate lanes so half the
   * transfers cross lanes. */
  unsigned per_lane[LANES] = {0}, n = 0;
  for (unsigned ctr = 1; n < NSENDERS && ctr < 1000; ctr++) {
    uint8_t seed[32];
    memset(seed, 0, sizeof seed);
    zg_store_be32(seed + 28, 0x5e0d0000u + ctr);
    zg_secp256k1_sk_t sk;
    zg_secp256k1_pk_t pk;
    zg_eth_addr_t a;
    if (zg_secp256k1_sk_parse(&sk, seed, 32) != ZG_OK || zg_secp256k1_pubkey(&pk, &sk) != ZG_OK) continue;
    zg_eth_address(&a, &pk);
    unsigned lane = zg_lane_of(&a, LANES);
    if (per_lane[lane] >= NSENDERS / LANES) continue;
    per_lane[lane]++;
    sender_sk[n] = sk;
    sender[n] = a;
    memset(recipient[n].bytes, 0xa0 + n, 20);
    recipient[n].bytes[19] = (uint8_t)(n % LANES == 0 ? 2 * n + 1 : 2 * n); /* lane differs from... any */
    n++;
  }
  if (n != NSENDERS) return false;
  if (nu_genesis_text(gtext, sizeof gtext, vals, NV, LANES, 20, sender, NSENDERS, p2p_ptrs) != 0) return false;
  snprintf(genesis_path, sizeof genesis_path, "%s/genesis.json", base);
  return nu_write_file(genesis_path, gtext) == 0;
}

static uint64_t min_committed(unsigned skip) {
  uint64_t m = UINT64_MAX;
  for (unsigned i = 0; i < NV; i++) {
    if (i == skip || !nodes[i]) continue;
    for (uint32_t l = 0; l < LANES; l++) {
      zg_lane_status_t st;
      if (zg_validator_lane_status(nodes[i], &st, l) != ZG_OK) return 0;
      if (st.executed < m) m = st.executed;
    }
  }
  return m == UINT64_MAX ? 0 : m;
}

/* Waits (up to secs) until every running node (but skip) has executed at
 * least h blocks on every lane. */
static bool wait_height(uint64_t h, unsigned skip, int secs) {
  for (int t = 0; t < secs * 20; t++) {
    if (min_committed(skip) >= h) return true;
    usleep(50000);
  }
  printf("  timed out waiting for height %llu (min executed %llu)\n", (unsigned long long)h,
         (unsigned long long)min_committed(skip));
  for (unsigned i = 0; i < NV; i++) {
    if (i == skip || !nodes[i]) continue;
    for (uint32_t l = 0; l < LANES; l++) {
      zg_lane_status_t st;
      if (zg_validator_lane_status(nodes[i], &st, l) == ZG_OK)
        printf("    node %u lane %u: committed %llu executed %llu epoch %llu round %llu hqc %llu voted %llu "
               "proposals %llu votes %llu timeouts %llu rejects %llu waits %llu\n",
               i, l, (unsigned long long)st.committed, (unsigned long long)st.executed,
               (unsigned long long)st.epoch, (unsigned long long)st.round, (unsigned long long)st.high_qc_round,
               (unsigned long long)st.voted_round, (unsigned long long)st.proposals,
               (unsigned long long)st.votes_sent, (unsigned long long)st.timeouts_sent,
               (unsigned long long)st.payload_rejects, (unsigned long long)st.payload_waits);
    }
  }
  return false;
}

static void test_blocks(void) {
  for (unsigned i = 0; i < NV; i++) CHECK(start_node(i));
  CHECK(wait_height(3, NV, 120));
}

static bool nonces_done(unsigned i, uint64_t want) {
  for (unsigned s = 0; s < NSENDERS; s++) {
    zg_u256_t bal;
    uint64_t nonce;
    if (zg_validator_account(nodes[i], &bal, &nonce, &sender[s]) != ZG_OK || nonce < want) return false;
  }
  return true;
}

/* Every pair of running nodes agrees on each lane's digest at the lowest
 * executed height among them. */
static void check_digests(unsigned skip) {
  uint64_t h = min_committed(skip);
  for (uint32_t l = 0; l < LANES; l++) {
    uint8_t d0[32], r0[32];
    bool have0 = false;
    for (unsigned i = 0; i < NV; i++) {
      if (i == skip || !nodes[i]) continue;
      uint8_t d[32], r[32];
      CHECK_OK(zg_validator_state_digest(nodes[i], d, r, l, h));
      if (!have0) {
        memcpy(d0, d, 32);
        memcpy(r0, r, 32);
        have0 = true;
      } else {
        CHECK_MEM(d, d0, 32);
        CHECK_MEM(r, r0, 32);
      }
    }
  }
}

static void test_transfers(void) {
  if (!nodes[0]) return;
  for (unsigned s = 0; s < NSENDERS; s++) {
    for (unsigned k = 0; k < TXS_PER_SENDER; k++) {
      zg_tx_t f;
      memset(&f, 0, sizeof f);
      f.type = k % 2 ? ZG_TX_DYNAMIC_FEE : ZG_TX_LEGACY;
      f.chain_id = 16888;
      f.nonce = k;
      f.gas_price = zg_u256_from_u64(2000000000ull);
      f.max_fee = zg_u256_from_u64(2000000000ull);
      f.max_priority_fee = zg_u256_from_u64(1000000000ull);
      f.gas_limit = 21000;
      f.has_to = true;
      f.to = recipient[(s + k) % NSENDERS];
      f.value = zg_u256_from_u64(1000 + k);
      zg_buf_t raw;
      zg_buf_init(&raw);
      CHECK_OK(zg_tx_sign(&raw, &f, &sender_sk[s]));
      uint8_t hash[32];
      char msg[256];
      /* Each sender's transactions go to one node (nonce order within a
       * node's pool); senders are spread over the nodes. */
      zg_err_t e = zg_validator_submit_tx(nodes[s % NV], hash, msg, sizeof msg, raw.ptr, raw.len);
      if (e) ZGT_FAIL("submit sender %u nonce %u: %s %s", s, k, zg_errname(e), msg);
      zg_buf_clear(&raw);
    }
  }
  bool done = false;
  for (int t = 0; t < 20 * 120 && !done; t++) {
    done = true;
    for (unsigned i = 0; i < NV && done; i++) done = nonces_done(i, TXS_PER_SENDER);
    if (!done) usleep(50000);
  }
  CHECK(done);
  /* Recipients got their value on every node, cross-lane credits included
   * once the receiving lane imported them. */
  uint64_t h = min_committed(NV);
  CHECK(wait_height(h + 3, NV, 60));
  for (unsigned r = 0; r < NSENDERS; r++) {
    zg_u256_t b0, b;
    uint64_t n0, n;
    CHECK_OK(zg_validator_account(nodes[0], &b0, &n0, &recipient[r]));
    CHECK(!zg_u256_is_zero(&b0));
    for (unsigned i = 1; i < NV; i++) {
      CHECK_OK(zg_validator_account(nodes[i], &b, &n, &recipient[r]));
      (void)n;
    }
  }
  check_digests(NV);
}

static void test_restart(void) {
  if (!nodes[NV - 1]) return;
  zg_validator_stop(nodes[NV - 1]);
  nodes[NV - 1] = NULL;
  uint64_t h = min_committed(NV - 1);
  CHECK(wait_height(h + 5, NV - 1, 120)); /* 3 of 4 keep committing */
  CHECK(start_node(NV - 1));
  uint64_t target = min_committed(NV - 1) + 2;
  CHECK(wait_height(target, NV, 180)); /* the restarted node caught up */
  check_digests(NV);
  /* With 20-block epochs the chain crossed epoch boundaries (sets from
   * Staking's snapshots) on the way. */
  CHECK(wait_height(45, NV, 180));
  check_digests(NV);
  zg_lane_status_t st;
  CHECK_OK(zg_validator_lane_status(nodes[0], &st, 0));
  CHECK(st.epoch >= 2);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  /* ZG_TEST_LOG=LEVEL shows the nodes' logs from that level on. */
  zg_log_level_t lvl = ZG_LOG_WARN;
  if (getenv("ZG_TEST_LOG") && zg_log_level_parse(&lvl, getenv("ZG_TEST_LOG")) != ZG_OK) lvl = ZG_LOG_INFO;
  zg_log_set_level(lvl);
  if (!setup()) {
    printf("setup failed\n");
    return 1;
  }
  ZGT_RUN(test_blocks);
  ZGT_RUN(test_transfers);
  ZGT_RUN(test_restart);
  for (unsigned i = 0; i < NV; i++) zg_validator_stop(nodes[i]);
  for (unsigned s = 0; s < NSENDERS; s++) zg_secp256k1_sk_clear(&sender_sk[s]);
  nu_rmrf(base);
  return zgt_done();
}

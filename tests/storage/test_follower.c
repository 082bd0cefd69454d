/*
 * test_follower.c — the chain follower (zg/storage_follower.h) against a
 * fake chain: an in-process Ethereum JSON-RPC server (eth_chainId,
 * eth_blockNumber, eth_getLogs with block range, address and topic
 * filters, eth_getBlockByNumber) whose Flow Submit logs are encoded with
 * 0G's event ABI and whose startPos values come from a reference service
 * fed the same files directly. Checks: Submit decoding and its refusals
 * (foreign topic, malformed data, gap, replay), the confirmation depth,
 * windows of max_range blocks, progress persisted and resumed after a
 * restart, a lost progress file replayed harmlessly, the polling thread,
 * the flow root equal to the reference's, and dev submissions refused.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../store/store_util.h"
#include "../zg_test.h"
#include "zg/abi.h"
#include "zg/http_server.h"
#include "zg/jsonrpc.h"
#include "zg/merkle.h"
#include "zg/storage_contracts.h"
#include "zg/storage_follower.h"
#include "zg/storage_node.h"

#define MAX_LOGS 64
#define SUBMIT_INDEXED \
  "Submit(address indexed,bytes32 indexed,uint256,uint256,uint256,(uint256,bytes,(bytes32,uint256)[]))"

typedef struct {
  uint64_t block;
  uint8_t topics[4][32];
  size_t ntopics;
  zg_buf_t data;
} fake_log_t;

/* The fake chain; the mutex guards everything (the server has threads). */
static struct {
  pthread_mutex_t mu;
  uint64_t head;
  fake_log_t logs[MAX_LOGS];
  size_t nlogs;
  unsigned getlogs_calls;
} CH = {PTHREAD_MUTEX_INITIALIZER, 0, {{0}}, 0, 0};

static uint8_t FLOW[20];

static json_t *hex_u64(uint64_t v) {
  char s[24];
  snprintf(s, sizeof s, "0x%" PRIx64, v);
  return json_string(s);
}

static json_t *hex_bytes(const uint8_t *p, size_t n) {
  char *s = malloc(2 * n + 3);
  zg_hex_encode(s, p, n);
  json_t *j = json_string(s);
  free(s);
  return j;
}

static bool parse_u64(uint64_t *out, const json_t *v) {
  const char *s = json_string_value(v);
  return s && sscanf(s, "0x%" SCNx64, out) == 1;
}

static zg_err_t m_chain_id(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  (void)call, (void)params;
  *result = hex_u64(42);
  return ZG_OK;
}

static zg_err_t m_block_number(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  (void)call, (void)params;
  pthread_mutex_lock(&CH.mu);
  *result = hex_u64(CH.head);
  pthread_mutex_unlock(&CH.mu);
  return ZG_OK;
}

static zg_err_t m_block(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  uint64_t n;
  if (!parse_u64(&n, json_array_get(params, 0))) return zg_rpc_fail(call, -32602, "bad block");
  uint8_t h[32];
  memset(h, 0xb0, 32);
  h[31] = (uint8_t)n;
  *result = json_pack("{s:o, s:o}", "number", hex_u64(n), "hash", hex_bytes(h, 32));
  return ZG_OK;
}

static zg_err_t m_get_logs(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  const json_t *f = json_array_get(params, 0);
  uint64_t from, to;
  if (!parse_u64(&from, json_object_get(f, "fromBlock")) || !parse_u64(&to, json_object_get(f, "toBlock")))
    return zg_rpc_fail(call, -32602, "bad range");
  uint8_t addr[20], topic0[32];
  const char *a = json_string_value(json_object_get(f, "address"));
  const char *t = json_string_value(json_array_get(json_object_get(f, "topics"), 0));
  if (!a || zg_hex_decode(addr, 20, a, strlen(a)) != ZG_OK || !t || zg_hex_decode(topic0, 32, t, strlen(t)) != ZG_OK)
    return zg_rpc_fail(call, -32602, "bad filter");
  json_t *arr = json_array();
  pthread_mutex_lock(&CH.mu);
  CH.getlogs_calls++;
  if (to > CH.head) to = CH.head;
  for (size_t i = 0; i < CH.nlogs && memcmp(addr, FLOW, 20) == 0; i++) {
    fake_log_t *l = &CH.logs[i];
    if (l->block < from || l->block > to || memcmp(l->topics[0], topic0, 32) != 0) continue;
    json_t *tj = json_array();
    for (size_t k = 0; k < l->ntopics; k++) json_array_append_new(tj, hex_bytes(l->topics[k], 32));
    json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:o, s:b}", "address", hex_bytes(FLOW, 20), "topics", tj,
                                         "data", hex_bytes(l->data.ptr, l->data.len), "blockNumber",
                                         hex_u64(l->block), "removed", 0));
  }
  pthread_mutex_unlock(&CH.mu);
  *result = arr;
  return ZG_OK;
}

/* ---- Submit logs ---- */

typedef struct {
  uint64_t size;
  zg_merkle_node_t nodes[ZG_SUBMISSION_MAX_NODES];
  size_t n;
} sub_t;

static void random_sub(sub_t *s, uint64_t size) {
  uint8_t *d = malloc(size);
  zgt_rand_bytes(d, size);
  zg_file_root_t fr;
  CHECK_OK(zg_file_merkle_root(&fr, d, size, NULL, NULL));
  s->size = size;
  s->n = fr.layout.nnodes;
  memcpy(s->nodes, fr.nodes, sizeof s->nodes);
  free(d);
}

/* Encodes the Submit log of s as submission index with startPos start. */
static void encode_submit(fake_log_t *l, const sub_t *s, uint64_t index, uint64_t start) {
  zg_abi_arena_t a;
  zg_abi_arena_init(&a);
  zg_abi_event_t ev;
  CHECK_OK(zg_abi_event_parse(&ev, &a, SUBMIT_INDEXED, false));
  zg_abi_value_t node_items[ZG_SUBMISSION_MAX_NODES][2], nodes[ZG_SUBMISSION_MAX_NODES];
  uint64_t sectors = 0;
  for (size_t i = 0; i < s->n; i++) {
    node_items[i][0] = zg_abi_fbytes(s->nodes[i].root, 32);
    node_items[i][1] = zg_abi_u64(s->nodes[i].height);
    nodes[i] = zg_abi_tuple(node_items[i], 2);
    sectors += 1ull << s->nodes[i].height;
  }
  zg_abi_value_t sub_items[3] = {zg_abi_u64(s->size), zg_abi_bytes("", 0), zg_abi_array(nodes, s->n)};
  uint8_t sender[20], identity[32];
  memset(sender, 0x11, 20);
  memset(identity, 0x22, 32);
  zg_abi_value_t args[6] = {zg_abi_address(sender), zg_abi_fbytes(identity, 32), zg_abi_u64(index),
                            zg_abi_u64(start),        zg_abi_u64(sectors),         zg_abi_tuple(sub_items, 3)};
  zg_buf_init(&l->data);
  CHECK_OK(zg_abi_event_encode(l->topics, &l->ntopics, &l->data, &ev, args, 6));
  zg_abi_arena_clear(&a);
}

/* Adds a submission of size bytes at block to the chain, taking startPos
 * from the reference service. */
static void chain_submit(zg_storage_t *ref, uint64_t block, uint64_t size) {
  sub_t s;
  random_sub(&s, size);
  zg_logstore_tx_t tx;
  zg_storage_err_t err;
  CHECK_OK(zg_storage_add_entry(ref, &tx, &err, s.size, s.nodes, s.n, UINT64_MAX));
  pthread_mutex_lock(&CH.mu);
  if (CH.nlogs < MAX_LOGS) {
    fake_log_t *l = &CH.logs[CH.nlogs++];
    l->block = block;
    encode_submit(l, &s, tx.seq, tx.start_pos);
  }
  pthread_mutex_unlock(&CH.mu);
}

static void set_head(uint64_t h) {
  pthread_mutex_lock(&CH.mu);
  CH.head = h;
  pthread_mutex_unlock(&CH.mu);
}

static zg_storage_t *open_store(const char *dir) {
  zg_storage_t *st = NULL;
  zg_storage_cfg_t cfg = {dir, 0, 1, true, NULL};
  char msg[256];
  CHECK_OK(zg_storage_open(&st, &cfg, msg, sizeof msg));
  return st;
}

static void check_same_flow(zg_storage_t *a, zg_storage_t *b) {
  uint8_t ra[32], rb[32];
  uint64_t la, lb;
  zg_storage_flow_context(a, ra, &la);
  zg_storage_flow_context(b, rb, &lb);
  CHECK_EQ(la, lb);
  CHECK_MEM(ra, rb, 32);
}

/* ---- tests ---- */

static void test_apply_log(void) {
  char dir[256], rdir[256];
  st_mkdtemp(dir, sizeof dir, "follow-apply");
  st_mkdtemp(rdir, sizeof rdir, "follow-apply-ref");
  zg_storage_t *st = open_store(dir), *ref = open_store(rdir);
  sub_t s[3];
  fake_log_t l[3];
  for (int i = 0; i < 3; i++) {
    random_sub(&s[i], 1 + zgt_rand_below(3u << 20));
    zg_logstore_tx_t tx;
    zg_storage_err_t err;
    CHECK_OK(zg_storage_add_entry(ref, &tx, &err, s[i].size, s[i].nodes, s[i].n, UINT64_MAX));
    encode_submit(&l[i], &s[i], tx.seq, tx.start_pos);
  }
  bool applied;
  zg_storage_err_t err;
  /* A gap: entry 1 before entry 0. */
  CHECK_EQ(zg_follower_apply_log(st, &applied, &err, (const uint8_t(*)[32])l[1].topics, l[1].ntopics, l[1].data.ptr,
                                 l[1].data.len),
           ZG_ESTATE);
  /* A foreign topic, a missing topic, and truncated data. */
  uint8_t topics[3][32];
  memcpy(topics, l[0].topics, sizeof topics);
  topics[0][0] ^= 1;
  CHECK_EQ(zg_follower_apply_log(st, &applied, &err, (const uint8_t(*)[32])topics, 3, l[0].data.ptr, l[0].data.len),
           ZG_EINVAL);
  CHECK_EQ(zg_follower_apply_log(st, &applied, &err, (const uint8_t(*)[32])l[0].topics, 2, l[0].data.ptr,
                                 l[0].data.len),
           ZG_EINVAL);
  CHECK_EQ(zg_follower_apply_log(st, &applied, &err, (const uint8_t(*)[32])l[0].topics, 3, l[0].data.ptr,
                                 l[0].data.len - 32),
           ZG_EINVAL);
  CHECK_EQ(zg_storage_next_seq(st), 0);
  /* In order, then a replay. */
  for (int i = 0; i < 3; i++) {
    CHECK_OK(zg_follower_apply_log(st, &applied, &err, (const uint8_t(*)[32])l[i].topics, l[i].ntopics,
                                   l[i].data.ptr, l[i].data.len));
    CHECK(applied);
  }
  CHECK_OK(zg_follower_apply_log(st, &applied, &err, (const uint8_t(*)[32])l[1].topics, l[1].ntopics, l[1].data.ptr,
                                 l[1].data.len));
  CHECK(!applied);
  check_same_flow(st, ref);
  /* A startPos that disagrees with the flow is refused. */
  sub_t extra;
  fake_log_t bad;
  random_sub(&extra, 1000);
  encode_submit(&bad, &extra, 3, 1);
  CHECK(zg_follower_apply_log(st, &applied, &err, (const uint8_t(*)[32])bad.topics, bad.ntopics, bad.data.ptr,
                              bad.data.len) != ZG_OK);
  CHECK_EQ(zg_storage_next_seq(st), 3);
  zg_buf_clear(&bad.data);
  for (int i = 0; i < 3; i++) zg_buf_clear(&l[i].data);
  zg_storage_close(st);
  zg_storage_close(ref);
  st_rm_rf(dir);
  st_rm_rf(rdir);
}

static zg_log_source_t *make_follower(zg_storage_t *st, const char *url, const char *state, uint64_t max_range) {
  zg_follower_cfg_t fc = {0};
  fc.rpc_url = url;
  fc.state_path = state;
  memcpy(fc.flow_address, FLOW, 20);
  fc.confirmations = 3;
  fc.max_range = max_range;
  fc.poll_ms = 20;
  zg_log_source_t *src = NULL;
  char msg[256];
  CHECK_OK(zg_follower_create(&src, st, &fc, msg, sizeof msg));
  return src;
}

static const char *g_url;

static void test_follow(void) {
  const char *url = g_url;
  char dir[256], rdir[256], state[300];
  st_mkdtemp(dir, sizeof dir, "follow");
  st_mkdtemp(rdir, sizeof rdir, "follow-ref");
  snprintf(state, sizeof state, "%s/follower.state", dir);
  zg_storage_t *st = open_store(dir), *ref = open_store(rdir);
  pthread_mutex_lock(&CH.mu);
  CH.nlogs = 0;
  pthread_mutex_unlock(&CH.mu);
  set_head(10);
  chain_submit(ref, 2, 5000);
  chain_submit(ref, 5, 300000);
  chain_submit(ref, 8, 1);
  chain_submit(ref, 9, 2u << 20);

  zg_log_source_t *src = make_follower(st, url, state, 2);
  CHECK(!strcmp(src->ops->name, "chain"));
  uint64_t n = 0, height;
  uint8_t block[32], want[32];
  zg_storage_err_t err;
  /* Head 10, 3 confirmations: blocks 0..7 only. */
  CHECK_OK(zg_follower_poll(src, &n, &err));
  CHECK_EQ(n, 2);
  CHECK_EQ(zg_storage_next_seq(st), 2);
  src->ops->progress(src, &height, block);
  CHECK_EQ(height, 7);
  memset(want, 0xb0, 32);
  want[31] = 7;
  CHECK_MEM(block, want, 32);
  CHECK_EQ(CH.getlogs_calls >= 4, 1); /* windows of 2 blocks */
  uint64_t chain_id;
  uint8_t flow[20];
  src->ops->network(src, &chain_id, flow);
  CHECK_EQ(chain_id, 42);
  CHECK_MEM(flow, FLOW, 20);
  /* Dev submissions are refused. */
  CHECK_EQ(src->ops->submit(src, NULL, &err, 1, NULL, 0), ZG_EUNSUPPORTED);
  /* Nothing new: a poll is a no-op. */
  CHECK_OK(zg_follower_poll(src, &n, &err));
  CHECK_EQ(n, 0);
  src->ops->destroy(src);

  /* Restart: the progress is resumed (block 8 onwards). */
  set_head(12);
  src = make_follower(st, url, state, 1000);
  src->ops->progress(src, &height, block);
  CHECK_EQ(height, 7);
  CHECK_OK(zg_follower_poll(src, &n, &err));
  CHECK_EQ(n, 2);
  CHECK_EQ(zg_storage_next_seq(st), 4);
  check_same_flow(st, ref);
  src->ops->destroy(src);

  /* The progress file lost: everything is read again, nothing applied twice. */
  CHECK_EQ(unlink(state), 0);
  src = make_follower(st, url, state, 3);
  CHECK_OK(zg_follower_poll(src, &n, &err));
  CHECK_EQ(n, 0);
  CHECK_EQ(zg_storage_next_seq(st), 4);
  src->ops->progress(src, &height, block);
  CHECK_EQ(height, 9);

  /* The polling thread picks up new blocks. */
  chain_submit(ref, 11, 70000);
  chain_submit(ref, 13, 9000);
  set_head(16);
  CHECK_OK(zg_follower_start(src));
  CHECK_EQ(zg_follower_start(src), ZG_ESTATE);
  for (int i = 0; i < 500 && zg_storage_next_seq(st) < 6; i++) usleep(10000);
  CHECK_EQ(zg_storage_next_seq(st), 6);
  check_same_flow(st, ref);
  src->ops->destroy(src);

  /* A corrupt progress file is reported. */
  FILE *f = fopen(state, "w");
  if (f) {
    fputs("garbage\n", f);
    fclose(f);
  }
  zg_follower_cfg_t fc = {0};
  fc.rpc_url = url;
  fc.state_path = state;
  char msg[256];
  CHECK_EQ(zg_follower_create(&src, st, &fc, msg, sizeof msg), ZG_ECORRUPT);
  CHECK(src == NULL);

  pthread_mutex_lock(&CH.mu);
  for (size_t i = 0; i < CH.nlogs; i++) zg_buf_clear(&CH.logs[i].data);
  CH.nlogs = 0;
  pthread_mutex_unlock(&CH.mu);
  zg_storage_close(st);
  zg_storage_close(ref);
  st_rm_rf(dir);
  st_rm_rf(rdir);
}

static void test_unreachable(void) {
  char dir[256];
  st_mkdtemp(dir, sizeof dir, "follow-down");
  zg_storage_t *st = open_store(dir);
  zg_follower_cfg_t fc = {0};
  fc.rpc_url = "http://127.0.0.1:1";
  fc.timeout_ms = 2000;
  zg_log_source_t *src = NULL;
  char msg[256];
  CHECK_OK(zg_follower_create(&src, st, &fc, msg, sizeof msg));
  uint64_t n = 7;
  CHECK(zg_follower_poll(src, &n, NULL) != ZG_OK);
  CHECK_EQ(n, 0);
  src->ops->destroy(src);
  fc.rpc_url = "";
  CHECK_EQ(zg_follower_create(&src, st, &fc, msg, sizeof msg), ZG_EINVAL);
  zg_storage_close(st);
  st_rm_rf(dir);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  CHECK_OK(zg_hex_decode(FLOW, 20, ZG_FLOW_ADDRESS_TEXT, strlen(ZG_FLOW_ADDRESS_TEXT)));
  zg_rpc_t *rpc = NULL;
  zg_http_server_t *srv = NULL;
  CHECK_OK(zg_rpc_create(&rpc, NULL));
  CHECK_OK(zg_rpc_register(rpc, "eth_chainId", m_chain_id, NULL));
  CHECK_OK(zg_rpc_register(rpc, "eth_blockNumber", m_block_number, NULL));
  CHECK_OK(zg_rpc_register(rpc, "eth_getLogs", m_get_logs, NULL));
  CHECK_OK(zg_rpc_register(rpc, "eth_getBlockByNumber", m_block, NULL));
  zg_http_opts_t ho = {0};
  ho.threads = 2;
  CHECK_OK(zg_http_server_create(&srv, &ho));
  CHECK_OK(zg_rpc_attach(rpc, srv, "/"));
  CHECK_OK(zg_http_server_start(srv));
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%u", zg_http_server_port(srv));
  ZGT_RUN(test_apply_log);
  g_url = url;
  ZGT_RUN(test_follow);
  ZGT_RUN(test_unreachable);
  zg_http_server_destroy(srv);
  zg_rpc_destroy(rpc);
  return zgt_done();
}

/*
 * test_flow.c — the Flow and Market contracts (and Reward's books) through
 * zg_sc_call on an in-memory host: 0G's selectors and event topics (as
 * 0G's SDK ABI has them), submit with the exact fee, a tip and too little;
 * every submission rule as a revert; the flow tree and startPos against
 * zg_flow_append on a model; batchSubmit; the Submit event decoded with
 * 0G's event signature; value routing to Reward (Flow keeps nothing) and
 * the padding/upload split; epochs: makeContext, context digests, epoch
 * ranges, queryContextAtPosition (made and pending), stale epochs skipped
 * in one step, the launch block; views.
 */
#include "storage_env.h"
#include "zg_test.h"

static const char *GENESIS = "{\"storage\": {\"blocksPerEpoch\": 10, \"pricePerSector\": \"1000\"}}";

static void check_selector(const char *sig, uint32_t want) {
  uint8_t s[4];
  zg_abi_selector(s, sig, strlen(sig));
  CHECK_EQ(zg_load_be32(s), want);
}

static void test_abi(void) {
  /* Selectors and topics as 0G's SDK (@0gfoundation/0g-ts-sdk 1.2.8) has them. */
  check_selector(ZG_FLOW_SIG_SUBMIT, 0xbc8c11f8);
  check_selector(ZG_FLOW_SIG_BATCH_SUBMIT, 0x49aa3395);
  check_selector("market()", 0x80f55605);
  check_selector("pricePerSector()", 0x61ec5082);
  check_selector("numSubmissions()", 0x77e19824);
  check_selector("getContext()", 0x127f0f07);
  check_selector("queryContextAtPosition(uint128)", 0x31bae174);
  check_selector("makeContextWithResult()", 0xb464b53e);
  check_selector("getEpochRange(bytes32)", 0x7d590708);
  uint8_t t[32], w[32];
  zg_abi_event_topic(t, ZG_FLOW_EVENT_SUBMIT, strlen(ZG_FLOW_EVENT_SUBMIT));
  CHECK_OK(zg_hex_decode(w, 32, "0x167ce04d2aa1981994d3a31695da0d785373335b1078cec239a1a3a2c7675555", 66));
  CHECK_MEM(t, w, 32);
  zg_abi_event_topic(t, ZG_FLOW_EVENT_NEW_EPOCH, strlen(ZG_FLOW_EVENT_NEW_EPOCH));
  CHECK_OK(zg_hex_decode(w, 32, "0xbc8a3fd82465d43f1709e44ed882f7e1af0147274196ef1ec009f5d52ff4e993", 66));
  CHECK_MEM(t, w, 32);
}

/* A submission of `sectors` data sectors as 0G's client splits it. */
static size_t make_nodes(zg_merkle_node_t *nodes, uint64_t *length, uint64_t bytes) {
  zg_file_layout_t l;
  if (zg_file_layout(&l, bytes) != ZG_OK) abort();
  for (uint32_t i = 0; i < l.nnodes; i++) {
    nodes[i].height = l.node_heights[i];
    zgt_rand_bytes(nodes[i].root, 32);
  }
  *length = bytes;
  return l.nnodes;
}

static zg_sc_status_t submit(se_env_t *e, const zg_merkle_node_t *nodes, size_t n, uint64_t length,
                             uint64_t value, zg_sc_result_t *res) {
  zg_buf_t cd;
  zg_buf_init(&cd);
  CHECK_OK(zg_flow_submit_encode(&cd, length, (const uint8_t *)"\x01\x02", 2, nodes, n, &e->caller));
  zg_u256_t v = zg_u256_from_u64(value);
  zg_sc_status_t s = se_call_v(e, &zg_flow_address, &v, cd.ptr, cd.len, false, res);
  zg_buf_clear(&cd);
  return s;
}

static uint64_t view_u64(se_env_t *e, const zg_eth_addr_t *to, const char *sig) {
  zg_buf_t cd;
  zg_sc_result_t r;
  zg_buf_init(&cd);
  se_calldata(&cd, sig, NULL, 0);
  CHECK_EQ(se_call_v(e, to, NULL, cd.ptr, cd.len, true, &r), ZG_SC_OK);
  uint64_t v = r.ret.len == 32 ? zg_load_be64(r.ret.ptr + 24) : UINT64_MAX;
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
  return v;
}

static void test_submit(void) {
  se_env_t e;
  CHECK(se_init(&e, GENESIS));
  se_fund(&e, &e.caller, 1000000000);
  CHECK_EQ(view_u64(&e, &zg_market_address, "pricePerSector()"), 1000);
  zg_flow_t model;
  zg_flow_init(&model);
  zg_merkle_node_t nodes[4];
  uint64_t length;
  zg_sc_result_t r;
  uint64_t sizes[] = {1, 256 * 5 + 3, 300000, 256 * 4097, 1 << 20, 77};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    size_t n = make_nodes(nodes, &length, sizes[i]);
    uint64_t sectors = zg_submission_sectors(nodes, n);
    /* One wei short: reverts, nothing changes. */
    CHECK_EQ(submit(&e, nodes, n, length, sectors * 1000 - 1, &r), ZG_SC_REVERT);
    CHECK(strstr(r.reason, "fee") != NULL);
    zg_sc_result_free(&r);
    size_t nl = e.nlogs;
    uint64_t tip = i % 2 ? 5 : 0;
    CHECK_EQ(submit(&e, nodes, n, length, sectors * 1000 + tip, &r), ZG_SC_OK);
    zg_flow_append_t app;
    CHECK_OK(zg_flow_append(&model, &app, nodes, n));
    CHECK_EQ(r.ret.len, 128);
    CHECK_EQ(zg_load_be64(r.ret.ptr + 24), i);                /* index */
    CHECK_EQ(zg_load_be64(r.ret.ptr + 64 + 24), app.start_pos); /* startPos */
    CHECK_EQ(zg_load_be64(r.ret.ptr + 96 + 24), sectors);     /* length in sectors */
    uint8_t dg[32];
    zg_submission_digest(dg, nodes, n);
    CHECK_MEM(r.ret.ptr + 32, dg, 32);
    zg_sc_result_free(&r);
    /* The Submit event, decoded with 0G's signature. */
    CHECK(e.nlogs > nl);
    se_log_t *l = &e.logs[e.nlogs - 1];
    CHECK_MEM(l->address.bytes, zg_flow_address.bytes, 20);
    zg_abi_arena_t a;
    zg_abi_event_t ev;
    zg_abi_value_t args;
    zg_abi_arena_init(&a);
    CHECK_OK(zg_abi_event_parse(&ev, &a,
                                "Submit(address indexed,bytes32 indexed,uint256,uint256,uint256,"
                                "(uint256,bytes,(bytes32,uint256)[]))",
                                false));
    CHECK_OK(zg_abi_event_decode(&args, &a, &ev, (const uint8_t(*)[32])l->topics, l->n_topics, l->data,
                                 l->data_len));
    uint8_t addr[20], id[32];
    uint64_t v;
    CHECK_OK(zg_abi_get_address(addr, &args.u.items[0]));
    CHECK_MEM(addr, e.caller.bytes, 20);
    CHECK_OK(zg_abi_get_word(id, &args.u.items[1]));
    CHECK_MEM(id, dg, 32);
    CHECK_OK(zg_abi_get_u64(&v, &args.u.items[3]));
    CHECK_EQ(v, app.start_pos);
    const zg_abi_value_t *sd = args.u.items[5].u.items;
    CHECK_OK(zg_abi_get_u64(&v, &sd[0]));
    CHECK_EQ(v, length);
    CHECK_EQ(sd[1].len, 2);
    CHECK_EQ(sd[2].len, n);
    zg_abi_arena_clear(&a);
    /* The flow root after this submission. */
    zg_buf_t cd;
    zg_buf_init(&cd);
    zg_abi_value_t seq = zg_abi_u64(i);
    se_calldata(&cd, "getFlowRootByTxSeq(uint256)", &seq, 1);
    CHECK_EQ(se_call_v(&e, &zg_flow_address, NULL, cd.ptr, cd.len, true, &r), ZG_SC_OK);
    uint8_t root[32];
    zg_flow_root(&model, root);
    CHECK_MEM(r.ret.ptr, root, 32);
    zg_sc_result_free(&r);
    zg_buf_clear(&cd);
  }
  CHECK_EQ(view_u64(&e, &zg_flow_address, "numSubmissions()"), 6);
  /* tree() length matches the model. */
  {
    zg_buf_t cd;
    zg_buf_init(&cd);
    se_calldata(&cd, "tree()", NULL, 0);
    CHECK_EQ(se_call_v(&e, &zg_flow_address, NULL, cd.ptr, cd.len, true, &r), ZG_SC_OK);
    CHECK_EQ(zg_load_be64(r.ret.ptr + 24), model.length);
    zg_sc_result_free(&r);
    zg_buf_clear(&cd);
  }
  /* Flow keeps nothing; Reward holds every wei paid. */
  zg_u256_t fb = se_balance(&e, &zg_flow_address), rb = se_balance(&e, &zg_reward_address),
            cb = se_balance(&e, &e.caller), sum;
  CHECK(zg_u256_is_zero(&fb));
  CHECK(zg_u256_add(&sum, &rb, &cb));
  CHECK_EQ(sum.w[0], 1000000000);
  se_free(&e);
}

static void test_invalid(void) {
  se_env_t e;
  CHECK(se_init(&e, GENESIS));
  se_fund(&e, &e.caller, 1000000000);
  zg_sc_result_t r;
  zg_merkle_node_t nodes[5];
  for (int i = 0; i < 5; i++) {
    zgt_rand_bytes(nodes[i].root, 32);
    nodes[i].height = 8 - i;
  }
  struct {
    size_t n;
    uint64_t length;
  } bad[] = {
      {5, 256 * 511},       /* five nodes */
      {1, 256 * 256 + 1},   /* longer than the capacity */
      {1, 256 * 240},       /* too much padding: 256 - 256/16 = 240 sectors or fewer */
      {2, 256 * 256},       /* 256+128 capacity, at most 384 - 32 = 352 sectors... 256 is too few */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK_EQ(submit(&e, nodes, bad[i].n, bad[i].length, 10000000, &r), ZG_SC_REVERT);
    CHECK(strcmp(r.reason, "Invalid submission") == 0);
    zg_sc_result_free(&r);
  }
  zg_merkle_node_t up[2] = {nodes[1], nodes[0]}; /* increasing heights */
  CHECK_EQ(submit(&e, up, 2, 256 * 380, 10000000, &r), ZG_SC_REVERT);
  zg_sc_result_free(&r);
  nodes[0].height = 70; /* height out of range */
  CHECK_EQ(submit(&e, nodes, 1, 256, 10000000, &r), ZG_SC_REVERT);
  zg_sc_result_free(&r);
  /* Truncated calldata. */
  uint8_t sel[4];
  zg_abi_selector(sel, ZG_FLOW_SIG_SUBMIT, strlen(ZG_FLOW_SIG_SUBMIT));
  CHECK_EQ(se_call_v(&e, &zg_flow_address, NULL, sel, 4, false, &r), ZG_SC_REVERT);
  zg_sc_result_free(&r);
  CHECK_EQ(view_u64(&e, &zg_flow_address, "numSubmissions()"), 0);
  CHECK_EQ(e.nlogs, 0);
  se_free(&e);
}

static void test_batch(void) {
  se_env_t e;
  CHECK(se_init(&e, GENESIS));
  se_fund(&e, &e.caller, 1000000000);
  zg_merkle_node_t n1[4], n2[4], n3[4];
  uint64_t l1, l2, l3;
  size_t c1 = make_nodes(n1, &l1, 1000), c2 = make_nodes(n2, &l2, 300000), c3 = make_nodes(n3, &l3, 5000);
  zg_abi_value_t pairs[12][2], nodes[12], data[3][3], sub[3][2], subs[3];
  const zg_merkle_node_t *ns[3] = {n1, n2, n3};
  size_t cs[3] = {c1, c2, c3}, k = 0;
  uint64_t ls[3] = {l1, l2, l3}, fee = 0;
  for (int i = 0; i < 3; i++) {
    size_t first = k;
    for (size_t j = 0; j < cs[i]; j++, k++) {
      pairs[k][0] = zg_abi_fbytes(ns[i][j].root, 32);
      pairs[k][1] = zg_abi_u64(ns[i][j].height);
      nodes[k] = zg_abi_tuple(pairs[k], 2);
    }
    data[i][0] = zg_abi_u64(ls[i]);
    data[i][1] = zg_abi_bytes("", 0);
    data[i][2] = zg_abi_array(nodes + first, cs[i]);
    sub[i][0] = zg_abi_tuple(data[i], 3);
    sub[i][1] = zg_abi_address(e.caller.bytes);
    subs[i] = zg_abi_tuple(sub[i], 2);
    fee += zg_submission_sectors(ns[i], cs[i]) * 1000;
  }
  zg_abi_value_t arg = zg_abi_array(subs, 3);
  zg_buf_t cd;
  zg_buf_init(&cd);
  se_calldata(&cd, ZG_FLOW_SIG_BATCH_SUBMIT, &arg, 1);
  zg_sc_result_t r;
  zg_u256_t v = zg_u256_from_u64(fee - 1);
  CHECK_EQ(se_call_v(&e, &zg_flow_address, &v, cd.ptr, cd.len, false, &r), ZG_SC_REVERT);
  zg_sc_result_free(&r);
  v = zg_u256_from_u64(fee + 7);
  CHECK_EQ(se_call_v(&e, &zg_flow_address, &v, cd.ptr, cd.len, false, &r), ZG_SC_OK);
  /* Four dynamic arrays of 3: head 4 words, each array 1 + 3 words. */
  CHECK_EQ(r.ret.len, 32 * (4 + 4 * 4));
  zg_flow_t model;
  zg_flow_init(&model);
  size_t off2 = zg_load_be64(r.ret.ptr + 2 * 32 + 24); /* startIndexes */
  for (int i = 0; i < 3; i++) {
    zg_flow_append_t app;
    CHECK_OK(zg_flow_append(&model, &app, ns[i], cs[i]));
    CHECK_EQ(zg_load_be64(r.ret.ptr + off2 + 32 * (1 + i) + 24), app.start_pos);
  }
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
  CHECK_EQ(view_u64(&e, &zg_flow_address, "numSubmissions()"), 3);
  zg_u256_t rb = se_balance(&e, &zg_reward_address);
  CHECK_EQ(rb.w[0], fee + 7);
  /* An empty batch reverts (its value would stay in Flow). */
  zg_abi_value_t empty = zg_abi_array(NULL, 0);
  se_calldata(&cd, ZG_FLOW_SIG_BATCH_SUBMIT, &empty, 1);
  v = zg_u256_from_u64(5);
  CHECK_EQ(se_call_v(&e, &zg_flow_address, &v, cd.ptr, cd.len, false, &r), ZG_SC_REVERT);
  CHECK(strcmp(r.reason, "Flow: empty batch") == 0);
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
  se_free(&e);
}

/* Reward's books of pricing chunk 0: (locked, claimable, distributed, start). */
static void chunk0(se_env_t *e, uint64_t out[4]) {
  zg_buf_t cd;
  zg_sc_result_t r;
  zg_buf_init(&cd);
  zg_abi_value_t i = zg_abi_u64(0);
  se_calldata(&cd, "rewards(uint256)", &i, 1);
  CHECK_EQ(se_call_v(e, &zg_reward_address, NULL, cd.ptr, cd.len, true, &r), ZG_SC_OK);
  for (int k = 0; k < 4; k++) out[k] = zg_load_be64(r.ret.ptr + 32 * k + 24);
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
}

static void test_reward_books(void) {
  se_env_t e;
  CHECK(se_init(&e, GENESIS));
  se_fund(&e, &e.caller, 1000000000);
  zg_merkle_node_t nodes[4];
  uint64_t length, c[4];
  zg_sc_result_t r;
  size_t n = make_nodes(nodes, &length, 256 * 1024); /* one node of 1024 sectors: starts at 1024 */
  CHECK_EQ(submit(&e, nodes, n, length, 1024 * 1000, &r), ZG_SC_OK);
  zg_sc_result_free(&r);
  chunk0(&e, c);
  CHECK_EQ(c[0], 1024 * 1000); /* the padding [1, 1024) and the upload share the fee, all in chunk 0 */
  CHECK_EQ(c[3], 0);           /* not started: the chunk is not full */
  se_free(&e);
}

static void ctx_of(se_env_t *e, const char *sig, uint64_t *epoch, uint64_t *len, uint8_t digest[32], bool ro) {
  zg_buf_t cd;
  zg_sc_result_t r;
  zg_buf_init(&cd);
  se_calldata(&cd, sig, NULL, 0);
  *epoch = *len = 0;
  memset(digest, 0, 32);
  if (se_call_v(e, &zg_flow_address, NULL, cd.ptr, cd.len, ro, &r) != ZG_SC_OK || r.ret.len != 192) {
    ZGT_FAIL("%s: %s", sig, r.reason);
    zg_sc_result_free(&r);
    zg_buf_clear(&cd);
    return;
  }
  *epoch = zg_load_be64(r.ret.ptr + 24);
  *len = zg_load_be64(r.ret.ptr + 96 + 24);
  memcpy(digest, r.ret.ptr + 160, 32);
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
}

static zg_sc_status_t query_pos(se_env_t *e, uint64_t pos, uint64_t *s, uint64_t *en, uint8_t d[32]) {
  zg_buf_t cd;
  zg_sc_result_t r;
  zg_buf_init(&cd);
  zg_abi_value_t p = zg_abi_u64(pos);
  se_calldata(&cd, "queryContextAtPosition(uint128)", &p, 1);
  zg_sc_status_t st = se_call_v(e, &zg_flow_address, NULL, cd.ptr, cd.len, true, &r);
  if (st == ZG_SC_OK) {
    *s = zg_load_be64(r.ret.ptr + 24);
    *en = zg_load_be64(r.ret.ptr + 56);
    memcpy(d, r.ret.ptr + 64, 32);
  }
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
  return st;
}

static void test_epochs(void) {
  se_env_t e;
  CHECK(se_init(&e, GENESIS));
  se_fund(&e, &e.caller, 1000000000);
  uint64_t ep, len, s, en;
  uint8_t d[32], d2[32], want[32], root[32], bd[32];
  ctx_of(&e, "getContext()", &ep, &len, d, true);
  CHECK_EQ(ep, 0);
  CHECK_EQ(len, 1);
  CHECK_MEM(d, zg_storage_empty_hash, 32);
  zg_merkle_node_t nodes[4];
  uint64_t length;
  zg_sc_result_t r;
  size_t n = make_nodes(nodes, &length, 256 * 2048);
  e.block = 5;
  CHECK_EQ(submit(&e, nodes, n, length, 2048 * 1000, &r), ZG_SC_OK);
  zg_sc_result_free(&r);
  zg_flow_t model;
  zg_flow_init(&model);
  CHECK_OK(zg_flow_append(&model, NULL, nodes, n));
  zg_flow_root(&model, root);
  /* Block 12: epoch 0 (blocks ..10] is over. Pending: query sees it already. */
  e.block = 12;
  CHECK_EQ(query_pos(&e, 100, &s, &en, d2), ZG_SC_OK);
  CHECK_EQ(s, 0);
  CHECK_EQ(en, model.length);
  size_t nl = e.nlogs;
  ctx_of(&e, "makeContextWithResult()", &ep, &len, d, false);
  CHECK_EQ(ep, 1);
  CHECK_EQ(len, model.length);
  zg_storage_block_digest(bd, e.chain_id, 10);
  zg_storage_context_digest(want, bd, root, model.length);
  CHECK_MEM(d, want, 32);
  CHECK_MEM(d2, want, 32);
  CHECK_EQ(e.nlogs, nl + 1); /* one NewEpoch */
  CHECK_EQ(query_pos(&e, 100, &s, &en, d2), ZG_SC_OK);
  CHECK_MEM(d2, want, 32);
  CHECK_EQ(query_pos(&e, model.length, &s, &en, d2), ZG_SC_REVERT); /* beyond the flow */
  CHECK_EQ(view_u64(&e, &zg_flow_address, "epoch()"), 1);
  CHECK_EQ(view_u64(&e, &zg_flow_address, "epochStartPosition()"), model.length);
  /* Data appended in epoch 1 is in no range until epoch 1 closes. */
  n = make_nodes(nodes, &length, 256 * 100);
  CHECK_EQ(submit(&e, nodes, n, length, 1000 * 1000, &r), ZG_SC_OK);
  zg_sc_result_free(&r);
  uint64_t l2 = view_u64(&e, &zg_flow_address, "tree()");
  (void)l2;
  CHECK_EQ(query_pos(&e, model.length + 1, &s, &en, d2), ZG_SC_REVERT);
  /* A long idle chain: the epochs older than the block window get the empty
   * digest in one step (one event); the ones inside it are made one by one. */
  e.block = 100000;
  nl = e.nlogs;
  ctx_of(&e, "makeContextWithResult()", &ep, &len, d, false);
  CHECK_EQ(ep, 9999);
  CHECK(memcmp(d, zg_storage_empty_hash, 32) != 0);
  CHECK(e.nlogs - nl <= 1 + 8191 / 10 + 1);
  CHECK(e.nlogs - nl >= 8191 / 10 - 1);
  /* The epoch right after is made with a real digest again. */
  e.block = 100000 + 11;
  ctx_of(&e, "makeContextWithResult()", &ep, &len, d, false);
  CHECK(memcmp(d, zg_storage_empty_hash, 32) != 0);
  se_free(&e);
}

static void test_launch(void) {
  se_env_t e;
  CHECK(se_init(&e, "{\"storage\": {\"firstBlock\": 100}}"));
  se_fund(&e, &e.caller, 1000000000000);
  zg_merkle_node_t nodes[4];
  uint64_t length;
  zg_sc_result_t r;
  size_t n = make_nodes(nodes, &length, 256);
  e.block = 50;
  CHECK_EQ(submit(&e, nodes, n, length, 1000000000, &r), ZG_SC_REVERT);
  CHECK(strcmp(r.reason, "Contract has not launched.") == 0);
  zg_sc_result_free(&r);
  e.block = 100;
  CHECK_EQ(submit(&e, nodes, n, length, 1000000000, &r), ZG_SC_OK);
  zg_sc_result_free(&r);
  CHECK_EQ(view_u64(&e, &zg_flow_address, "firstBlock()"), 100);
  CHECK_EQ(view_u64(&e, &zg_flow_address, "blocksPerEpoch()"), ZG_STORAGE_DEFAULT_BLOCKS_PER_EPOCH);
  se_free(&e);
  /* Malformed genesis parameters are refused. */
  CHECK(!se_init(&e, "{\"storage\": {\"blocksPerEpoch\": 0}}"));
  se_free(&e);
  CHECK(!se_init(&e, "{\"storage\": {\"pricePerSector\": \"x\"}}"));
  se_free(&e);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_abi);
  ZGT_RUN(test_submit);
  ZGT_RUN(test_invalid);
  ZGT_RUN(test_batch);
  ZGT_RUN(test_reward_books);
  ZGT_RUN(test_epochs);
  ZGT_RUN(test_launch);
  return zgt_done();
}

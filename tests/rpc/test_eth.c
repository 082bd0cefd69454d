/*
 * test_eth.c — the Ethereum JSON-RPC (zg/eth_rpc.h) through zg_rpc_handle
 * against the in-memory fake backend of eth_fake.h: every method's result
 * compared as exact JSON text (geth's key order included), null for
 * unknown objects, geth's error codes and messages, -32602 for malformed
 * params of every method, eth_getLogs filters and limits, the logs bloom
 * against go-ethereum's published vector, and random params (never a
 * crash, always an answer).
 *
 * Expected JSON is written with two shorthands expanded by expand():
 * "$hh*n;" is "0x" followed by the byte hh repeated n times, and "%hh*n;"
 * the same without the "0x".
 */
#include <jansson.h>

#include "eth_fake.h"
#include "zg/eth_rpc.h"
#include "zg/jsonrpc.h"
#include "zg_test.h"

static zg_rpc_t *RPC;

/* ---- Helpers ---- */

static char *expand(const char *t) {
  size_t cap = strlen(t) * 4 + 1024, n = 0;
  char *out = malloc(cap);
  for (const char *p = t; *p; p++) {
    if ((*p == '$' || *p == '%') && p[1] && p[2] && p[3] == '*') {
      char *end;
      unsigned long rep = strtoul(p + 4, &end, 10);
      if (*end == ';') {
        if (*p == '$') out[n++] = '0', out[n++] = 'x';
        if (n + 2 * rep + 64 > cap) {
          cap = 2 * (n + 2 * rep + 64);
          out = realloc(out, cap);
        }
        for (unsigned long i = 0; i < rep; i++) out[n++] = p[1], out[n++] = p[2];
        p = end;
        continue;
      }
    }
    if (n + 64 > cap) {
      cap *= 2;
      out = realloc(out, cap);
    }
    out[n++] = *p;
  }
  out[n] = 0;
  return out;
}

/* Runs method(params) and returns the parsed response object. */
static json_t *call(const char *method, const char *params) {
  char *p = expand(params);
  size_t len = strlen(p) + strlen(method) + 64;
  char *req = malloc(len);
  snprintf(req, len, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"%s\",\"params\":%s}", method, p);
  zg_buf_t out;
  zg_buf_init(&out);
  json_t *resp = NULL;
  if (zg_rpc_handle(RPC, &out, NULL, req, strlen(req)) == ZG_OK)
    resp = json_loadb((const char *)out.ptr, out.len, 0, NULL);
  zg_buf_clear(&out);
  free(req);
  free(p);
  return resp;
}

#define EXPECT(method, params, expected) expect_result(__LINE__, method, params, expected)
#define EXPECT_ERR(method, params, code, msg) expect_error(__LINE__, method, params, code, msg)

static void expect_result(int line, const char *method, const char *params, const char *expected) {
  json_t *resp = call(method, params);
  char *want = expand(expected);
  json_t *w = json_loads(want, JSON_DECODE_ANY, NULL);
  char *got_s = resp ? json_dumps(json_object_get(resp, "result"), JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  char *want_s = w ? json_dumps(w, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  if (!got_s || !want_s || strcmp(got_s, want_s) != 0 || json_object_get(resp, "error")) {
    char *r = resp ? json_dumps(resp, JSON_COMPACT) : NULL;
    ZGT_FAIL("line %d: %s %s\n    got  %s\n    want %s", line, method, params, r ? r : "(none)",
             want_s ? want_s : want);
    free(r);
  }
  free(got_s);
  free(want_s);
  free(want);
  json_decref(w);
  json_decref(resp);
}

/* Checks the error code and that the message contains msg (exact when msg
 * starts with '='). Returns the error object's data (borrowed from a
 * response kept in LAST). */
static json_t *LAST;

/* The string value of v, or "" when v is not a string. */
static const char *str(const json_t *v) { return json_is_string(v) ? json_string_value(v) : ""; }

static void expect_error(int line, const char *method, const char *params, int code, const char *msg) {
  json_decref(LAST);
  LAST = call(method, params);
  json_t *err = json_object_get(LAST, "error");
  const char *m = json_string_value(json_object_get(err, "message"));
  bool exact = msg[0] == '=';
  bool ok = err && json_integer_value(json_object_get(err, "code")) == code && m &&
            (exact ? strcmp(m, msg + 1) == 0 : strstr(m, msg) != NULL);
  if (!ok) {
    char *r = LAST ? json_dumps(LAST, JSON_COMPACT) : NULL;
    ZGT_FAIL("line %d: %s %s\n    got  %s\n    want code %d, message %s", line, method, params, r ? r : "(none)",
             code, msg);
    free(r);
  }
}

/* ---- Expected objects (geth's key order) ---- */

#define SC "0x%00*18;1000"
#define T1                                                                                                   \
  "{\"blockHash\":\"$b1*32;\",\"blockNumber\":\"0x1\",\"from\":\"$10*20;\",\"gas\":\"0x5208\","              \
  "\"gasPrice\":\"0x77359400\",\"hash\":\"$a1*32;\",\"input\":\"0x\",\"nonce\":\"0x0\",\"to\":\"$22*20;\","   \
  "\"transactionIndex\":\"0x0\",\"value\":\"0xde0b6b3a7640000\",\"type\":\"0x0\",\"chainId\":\"0x41f8\","    \
  "\"v\":\"0x8414\",\"r\":\"$e1*32;\",\"s\":\"0xf%5f*30;\",\"lane\":\"0x0\"}"
#define T2                                                                                                   \
  "{\"blockHash\":\"$b2*32;\",\"blockNumber\":\"0x2\",\"from\":\"$10*20;\",\"gas\":\"0xc350\","              \
  "\"gasPrice\":\"0x77359400\",\"maxFeePerGas\":\"0xb2d05e00\",\"maxPriorityFeePerGas\":\"0x3b9aca00\","     \
  "\"hash\":\"$a2*32;\",\"input\":\"0xa9059cbb\",\"nonce\":\"0x1\",\"to\":\"" SC "\","                        \
  "\"transactionIndex\":\"0x0\",\"value\":\"0x0\",\"type\":\"0x2\","                                         \
  "\"accessList\":[{\"address\":\"$33*20;\",\"storageKeys\":[\"$44*32;\"]}],\"chainId\":\"0x41f8\","         \
  "\"v\":\"0x0\",\"r\":\"$e2*32;\",\"s\":\"$12*32;\",\"yParity\":\"0x0\",\"lane\":\"0x0\"}"
#define T3                                                                                                   \
  "{\"blockHash\":\"$c1*32;\",\"blockNumber\":\"0x1\",\"from\":\"$11*20;\",\"gas\":\"0x7530\","              \
  "\"gasPrice\":\"0x77359400\",\"hash\":\"$a3*32;\",\"input\":\"0x\",\"nonce\":\"0x0\",\"to\":\"$22*20;\","   \
  "\"transactionIndex\":\"0x0\",\"value\":\"0x5\",\"type\":\"0x1\",\"accessList\":[],\"chainId\":\"0x41f8\"," \
  "\"v\":\"0x1\",\"r\":\"$e3*32;\",\"s\":\"$13*32;\",\"yParity\":\"0x1\",\"lane\":\"0x1\"}"
#define T4                                                                                                   \
  "{\"blockHash\":null,\"blockNumber\":null,\"from\":\"$11*20;\",\"gas\":\"0x5208\","                        \
  "\"gasPrice\":\"0x77359400\",\"hash\":\"$a4*32;\",\"input\":\"0x\",\"nonce\":\"0x1\",\"to\":\"$22*20;\","   \
  "\"transactionIndex\":null,\"value\":\"0x0\",\"type\":\"0x0\",\"v\":\"0x1b\",\"r\":\"$e4*32;\","           \
  "\"s\":\"$14*32;\",\"lane\":\"0x1\"}"
#define L1                                                                                                   \
  "{\"address\":\"" SC "\",\"topics\":[\"$d1*32;\",\"$d2*32;\"],\"data\":\"0x%00*31;2a\","                   \
  "\"blockNumber\":\"0x2\",\"transactionHash\":\"$a2*32;\",\"transactionIndex\":\"0x0\","                     \
  "\"blockHash\":\"$b2*32;\",\"logIndex\":\"0x0\",\"removed\":false,\"lane\":\"0x0\"}"
#define L3                                                                                                   \
  "{\"address\":\"" SC "\",\"topics\":[\"$d3*32;\"],\"data\":\"0x\",\"blockNumber\":\"0x2\","                \
  "\"transactionHash\":\"$a2*32;\",\"transactionIndex\":\"0x0\",\"blockHash\":\"$b2*32;\","                  \
  "\"logIndex\":\"0x1\",\"removed\":false,\"lane\":\"0x0\"}"
#define L2                                                                                                   \
  "{\"address\":\"$22*20;\",\"topics\":[\"$d1*32;\"],\"data\":\"0x\",\"blockNumber\":\"0x1\","               \
  "\"transactionHash\":\"$a3*32;\",\"transactionIndex\":\"0x0\",\"blockHash\":\"$c1*32;\","                  \
  "\"logIndex\":\"0x0\",\"removed\":false,\"lane\":\"0x1\"}"
#define B1_HEAD                                                                                              \
  "{\"baseFeePerGas\":\"0x3b9aca00\",\"difficulty\":\"0x0\",\"extraData\":\"0x\",\"gasLimit\":\"0x1c9c380\"," \
  "\"gasUsed\":\"0x5208\",\"hash\":\"$b1*32;\",\"lane\":\"0x0\",\"logsBloom\":\"$00*256;\","                  \
  "\"miner\":\"$99*20;\",\"mixHash\":\"$00*32;\",\"nonce\":\"0x0000000000000000\",\"number\":\"0x1\","       \
  "\"parentHash\":\"$00*32;\",\"receiptsRoot\":\"$81*32;\","                                                 \
  "\"sha3Uncles\":\"0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347\","                   \
  "\"size\":\"0x1f5\",\"stateRoot\":\"$51*32;\",\"timestamp\":\"0x6553f100\",\"totalDifficulty\":\"0x0\","
#define B1_TAIL "\"transactionsRoot\":\"$71*32;\",\"uncles\":[]}"
#define B1 B1_HEAD "\"transactions\":[\"$a1*32;\"]," B1_TAIL
#define B1_FULL B1_HEAD "\"transactions\":[" T1 "]," B1_TAIL
#define R2                                                                                                   \
  "{\"blockHash\":\"$b2*32;\",\"blockNumber\":\"0x2\",\"contractAddress\":null,"                             \
  "\"cumulativeGasUsed\":\"0xafc8\",\"effectiveGasPrice\":\"0x77359400\",\"from\":\"$10*20;\","              \
  "\"gasUsed\":\"0xafc8\",\"lane\":\"0x0\",\"logs\":[" L1 "," L3 "],\"logsBloom\":\"$0f*256;\","             \
  "\"status\":\"0x1\",\"to\":\"" SC "\",\"transactionHash\":\"$a2*32;\",\"transactionIndex\":\"0x0\","        \
  "\"type\":\"0x2\"}"
#define R3                                                                                                   \
  "{\"blockHash\":\"$c1*32;\",\"blockNumber\":\"0x1\",\"contractAddress\":null,"                             \
  "\"cumulativeGasUsed\":\"0x7530\",\"effectiveGasPrice\":\"0x77359400\",\"from\":\"$11*20;\","              \
  "\"gasUsed\":\"0x7530\",\"lane\":\"0x1\",\"logs\":[],\"logsBloom\":\"$00*256;\","                          \
  "\"status\":\"0x0\",\"to\":\"$22*20;\",\"transactionHash\":\"$a3*32;\",\"transactionIndex\":\"0x0\","       \
  "\"type\":\"0x1\"}"
/* Error(string) of "nope". */
#define NOPE_DATA "0x08c379a0%00*31;20%00*31;046e6f7065%00*28;"

/* ---- Cases ---- */

static void test_identity(void) {
  EXPECT("eth_chainId", "[]", "\"0x41f8\"");
  EXPECT("net_version", "[]", "\"16888\"");
  EXPECT("web3_clientVersion", "[]", "\"zg/v" ZG_VERSION_STR "\"");
  EXPECT("eth_blockNumber", "[]", "\"0x3\"");
  EXPECT("eth_syncing", "[]", "false");
  EXPECT("eth_accounts", "[]", "[]");
  EXPECT("net_listening", "[]", "true");
  EXPECT("eth_chainId", "{}", "\"0x41f8\""); /* named params: none needed */
}

static void test_blocks(void) {
  EXPECT("eth_getBlockByNumber", "[\"0x1\", false]", B1);
  EXPECT("eth_getBlockByNumber", "[\"0x1\"]", B1);
  EXPECT("eth_getBlockByNumber", "[\"0x1\", true]", B1_FULL);
  EXPECT("eth_getBlockByNumber", "[\"0x1@0\", false]", B1);
  EXPECT("eth_getBlockByHash", "[\"$b1*32;\", false]", B1);
  EXPECT("eth_getBlockByHash", "[\"$B1*32;\", false]", B1); /* either case */
  EXPECT("eth_getBlockByHash", "[\"$b1*32;\", true]", B1_FULL);
  EXPECT("eth_getBlockByNumber", "{\"blockNumber\":\"0x1\",\"fullTransactions\":false}", B1);
  EXPECT("eth_getBlockByNumber", "[\"0x9\", false]", "null");
  EXPECT("eth_getBlockByNumber", "[\"earliest\", false]", "null"); /* the fake has no block 0 */
  EXPECT("eth_getBlockByNumber", "[\"0x3@1\", false]", "null");
  EXPECT("eth_getBlockByHash", "[\"$77*32;\", true]", "null");
  /* Tags: latest = safe = finalized = pending = the head; the lane suffix. */
  static const char *tags[] = {"latest", "safe", "finalized", "pending"};
  for (int i = 0; i < 4; i++) {
    char p[64];
    snprintf(p, sizeof p, "[\"%s\", false]", tags[i]);
    json_t *r = call("eth_getBlockByNumber", p);
    json_t *res = json_object_get(r, "result");
    CHECK(strcmp(str(json_object_get(res, "number")), "0x3") == 0);
    json_decref(r);
    snprintf(p, sizeof p, "[\"%s@1\", false]", tags[i]);
    r = call("eth_getBlockByNumber", p);
    res = json_object_get(r, "result");
    CHECK(strcmp(str(json_object_get(res, "number")), "0x2") == 0);
    CHECK(strcmp(str(json_object_get(res, "lane")), "0x1") == 0);
    json_decref(r);
  }
  json_t *r = call("eth_getBlockByNumber", "[\"0x1@1\", true]");
  json_t *txs = json_object_get(json_object_get(r, "result"), "transactions");
  char *t3 = expand(T3);
  json_t *want = json_loads(t3, 0, NULL);
  CHECK(json_array_size(txs) == 1 && json_equal(json_array_get(txs, 0), want));
  json_decref(want);
  free(t3);
  json_decref(r);

  EXPECT("eth_getBlockTransactionCountByNumber", "[\"0x1\"]", "\"0x1\"");
  EXPECT("eth_getBlockTransactionCountByNumber", "[\"latest\"]", "\"0x0\"");
  EXPECT("eth_getBlockTransactionCountByNumber", "[\"0x7\"]", "null");
  EXPECT("eth_getBlockTransactionCountByHash", "[\"$c1*32;\"]", "\"0x1\"");
  EXPECT("eth_getBlockTransactionCountByHash", "[\"$c7*32;\"]", "null");
  EXPECT("eth_getTransactionByBlockNumberAndIndex", "[\"0x2\", \"0x0\"]", T2);
  EXPECT("eth_getTransactionByBlockNumberAndIndex", "[\"0x1@1\", \"0x0\"]", T3);
  EXPECT("eth_getTransactionByBlockNumberAndIndex", "[\"0x2\", \"0x1\"]", "null");
  EXPECT("eth_getTransactionByBlockNumberAndIndex", "[\"0x8\", \"0x0\"]", "null");
  EXPECT("eth_getTransactionByBlockHashAndIndex", "[\"$b1*32;\", \"0x0\"]", T1);
  EXPECT("eth_getTransactionByBlockHashAndIndex", "[\"$b3*32;\", \"0x0\"]", "null");
}

static void test_transactions(void) {
  EXPECT("eth_getTransactionByHash", "[\"$a1*32;\"]", T1);
  EXPECT("eth_getTransactionByHash", "[\"$a2*32;\"]", T2);
  EXPECT("eth_getTransactionByHash", "[\"$a3*32;\"]", T3);
  EXPECT("eth_getTransactionByHash", "[\"$a4*32;\"]", T4);
  EXPECT("eth_getTransactionByHash", "[\"$a9*32;\"]", "null");
  EXPECT("eth_getTransactionReceipt", "[\"$a2*32;\"]", R2);
  EXPECT("eth_getTransactionReceipt", "[\"$a3*32;\"]", R3);
  EXPECT("eth_getTransactionReceipt", "[\"$a4*32;\"]", "null"); /* pending: no receipt yet */
  EXPECT("eth_getTransactionReceipt", "[\"$a9*32;\"]", "null");
  /* The exact bytes of one answer, id and envelope included. */
  char *req = expand("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getTransactionByHash\",\"params\":[\"$a4*32;\"]}");
  char *want = expand("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" T4 "}");
  zg_buf_t out;
  zg_buf_init(&out);
  CHECK_OK(zg_rpc_handle(RPC, &out, NULL, req, strlen(req)));
  CHECK(out.len == strlen(want) && memcmp(out.ptr, want, out.len) == 0);
  zg_buf_clear(&out);
  free(req);
  free(want);
}

static void test_accounts(void) {
  EXPECT("eth_getBalance", "[\"$10*20;\", \"latest\"]", "\"0x3635c9adc5dea00000\"");
  EXPECT("eth_getBalance", "[\"$10*20;\"]", "\"0x3635c9adc5dea00000\"");
  EXPECT("eth_getBalance", "[\"$10*20;\", \"pending\"]", "\"0x3635c9adc5dea00000\"");
  EXPECT("eth_getBalance", "[\"$10*20;\", \"0x3\"]", "\"0x3635c9adc5dea00000\"");
  EXPECT("eth_getBalance", "[\"$10*20;\", \"0x2@1\"]", "\"0x3635c9adc5dea00000\"");
  EXPECT("eth_getBalance", "[\"$10*20;\", {\"blockHash\":\"$b3*32;\"}]", "\"0x3635c9adc5dea00000\"");
  EXPECT("eth_getBalance", "[\"$10*20;\", {\"blockNumber\":\"latest\"}]", "\"0x3635c9adc5dea00000\"");
  EXPECT("eth_getBalance", "{\"address\":\"$10*20;\",\"block\":\"latest\"}", "\"0x3635c9adc5dea00000\"");
  EXPECT("eth_getBalance", "[\"$22*20;\", \"latest\"]", "\"0x0\"");
  EXPECT_ERR("eth_getBalance", "[\"$10*20;\", \"0x2\"]", -32000, "historical state not available");
  EXPECT_ERR("eth_getBalance", "[\"$10*20;\", \"earliest\"]", -32000, "historical state not available");
  EXPECT_ERR("eth_getBalance", "[\"$10*20;\", \"0x4\"]", -32000, "=header not found");
  EXPECT_ERR("eth_getBalance", "[\"$10*20;\", {\"blockHash\":\"$b1*32;\"}]", -32000, "historical state");
  EXPECT_ERR("eth_getBalance", "[\"$10*20;\", {\"blockHash\":\"$bb*32;\"}]", -32000, "=header for hash not found");
  EXPECT("eth_getTransactionCount", "[\"$10*20;\", \"latest\"]", "\"0x2\"");
  EXPECT("eth_getTransactionCount", "[\"$10*20;\", \"pending\"]", "\"0x3\"");
  EXPECT("eth_getTransactionCount", "[\"$11*20;\", \"pending\"]", "\"0x0\"");
  EXPECT("eth_getCode", "[\"" SC "\", \"latest\"]", "\"0x5f5ffd\"");
  EXPECT("eth_getCode", "[\"$10*20;\", \"latest\"]", "\"0x\"");
}

static void test_fees(void) {
  EXPECT("eth_gasPrice", "[]", "\"0x77359400\"");
  EXPECT("eth_maxPriorityFeePerGas", "[]", "\"0x3b9aca00\"");
  EXPECT("eth_feeHistory", "[\"0x2\", \"latest\", [25, 75]]",
         "{\"oldestBlock\":\"0x2\",\"baseFeePerGas\":[\"0x3b9aca00\",\"0x3b9aca00\",\"0x3b9aca00\"],"
         "\"gasUsedRatio\":[0.0015,0.0],\"reward\":[[\"0x3b9aca00\",\"0x3b9aca00\"],[\"0x0\",\"0x0\"]]}");
  EXPECT("eth_feeHistory", "[10, \"0x2\"]",
         "{\"oldestBlock\":\"0x1\",\"baseFeePerGas\":[\"0x3b9aca00\",\"0x3b9aca00\",\"0x3b9aca00\"],"
         "\"gasUsedRatio\":[0.0007,0.0015]}");
  EXPECT("eth_feeHistory", "[\"0x1\", \"latest@1\", []]",
         "{\"oldestBlock\":\"0x2\",\"baseFeePerGas\":[\"0x3b9aca00\",\"0x3b9aca00\"],\"gasUsedRatio\":[0.0034]}");
  /* Three transactions: tips 0, 1 and 4 gwei over 21000 (limit: gas used
   * unknown), 60000 and 21000 gas of 102000; the percentile's gas falls in
   * the first, first, second, third, third. */
  EXPECT("eth_feeHistory", "[\"0x1\", \"0x2@1\", [0, 20, 21, 80, 100]]",
         "{\"oldestBlock\":\"0x2\",\"baseFeePerGas\":[\"0x3b9aca00\",\"0x3b9aca00\"],\"gasUsedRatio\":[0.0034],"
         "\"reward\":[[\"0x0\",\"0x0\",\"0x3b9aca00\",\"0xee6b2800\",\"0xee6b2800\"]]}");
  EXPECT("eth_feeHistory", "[\"0x0\", \"latest\"]", "{\"oldestBlock\":\"0x0\"}");
  EXPECT("eth_feeHistory", "[\"0x5\", \"earliest\"]", "{\"oldestBlock\":\"0x0\"}");
  EXPECT_ERR("eth_feeHistory", "[\"0x1\", \"0x9\"]", -32000, "=request beyond head block: requested 9, head 3");
  EXPECT_ERR("eth_feeHistory", "[\"0x1\", \"latest\", [50, 10]]", -32602, "invalid reward percentile");
  EXPECT_ERR("eth_feeHistory", "[\"0x1\", \"latest\", [101]]", -32602, "invalid reward percentile");
  EXPECT_ERR("eth_feeHistory", "[\"0x1\", \"latest\", [\"1\"]]", -32602, "rewardPercentiles");
}

static void test_call(void) {
  EXPECT("eth_call", "[{\"to\":\"" SC "\",\"data\":\"0x70a08231\"}, \"latest\"]", "\"0x%00*31;2a\"");
  EXPECT("eth_call", "[{\"to\":\"" SC "\",\"input\":\"0x70a08231\"}]", "\"0x%00*31;2a\"");
  EXPECT("eth_call", "[{\"to\":\"" SC "\",\"input\":\"0x70a08231\",\"data\":\"0x70a08231\"}]", "\"0x%00*31;2a\"");
  EXPECT("eth_call", "[{\"to\":\"$22*20;\"}, \"latest\", null]", "\"0x\"");
  EXPECT("eth_call",
         "[{\"from\":\"$10*20;\",\"to\":\"" SC "\",\"gas\":\"0x5208\",\"maxFeePerGas\":\"0x2\","
         "\"maxPriorityFeePerGas\":\"0x1\",\"value\":\"0x1\",\"nonce\":\"0x0\",\"chainId\":\"0x41f8\","
         "\"type\":\"0x2\",\"accessList\":[{\"address\":\"$33*20;\",\"storageKeys\":[\"$44*32;\"]}],"
         "\"unknownField\":1}, {\"blockNumber\":\"0x3\"}]",
         "\"0x%00*31;2a\"");
  EXPECT_ERR("eth_call", "[{\"to\":\"" SC "\",\"data\":\"0xdeadbeef\"}, \"latest\"]", 3, "=execution reverted: nope");
  char *nope = expand(NOPE_DATA);
  CHECK(strcmp(str(json_object_get(json_object_get(LAST, "error"), "data")), nope) == 0);
  EXPECT_ERR("eth_estimateGas", "[{\"to\":\"" SC "\",\"data\":\"0xdeadbeef\"}]", 3, "=execution reverted: nope");
  CHECK(strcmp(str(json_object_get(json_object_get(LAST, "error"), "data")), nope) == 0);
  free(nope);
  EXPECT("eth_estimateGas", "[{\"to\":\"" SC "\",\"data\":\"0x70a08231\"}]", "\"0x5248\"");
  EXPECT("eth_estimateGas", "[{\"from\":\"$10*20;\",\"to\":\"$22*20;\",\"value\":\"0x1\"}, \"pending\"]",
         "\"0x5208\"");
  EXPECT_ERR("eth_estimateGas", "[{\"from\":\"$11*20;\",\"to\":\"$22*20;\",\"value\":\"0x1\"}]", -32000,
             "=insufficient funds for gas * price + value");
  EXPECT_ERR("eth_estimateGas", "[{\"to\":\"" SC "\",\"data\":\"0xdeadbe00\"}]", 3, "=execution reverted: bare");
  nope = expand("0x08c379a0%00*31;20%00*31;0462617265%00*28;"); /* Error("bare"), built by the RPC layer */
  CHECK(strcmp(str(json_object_get(json_object_get(LAST, "error"), "data")), nope) == 0);
  free(nope);
  EXPECT_ERR("eth_call", "[{\"data\":\"0x00\"}]", -32000, "=contract creation is not supported (the call has no \"to\")");
  EXPECT_ERR("eth_call", "[{\"to\":\"" SC "\",\"input\":\"0x01\",\"data\":\"0x02\"}]", -32602,
             "both \"data\" and \"input\" are set and not equal");
  EXPECT_ERR("eth_call", "[{\"to\":\"" SC "\",\"gasPrice\":\"0x1\",\"maxFeePerGas\":\"0x1\"}]", -32602,
             "both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified");
  EXPECT_ERR("eth_call", "[{\"to\":\"" SC "\",\"maxFeePerGas\":\"0x1\",\"maxPriorityFeePerGas\":\"0x2\"}]", -32602,
             "maxFeePerGas is below maxPriorityFeePerGas");
  EXPECT_ERR("eth_call", "[{\"to\":\"" SC "\",\"chainId\":\"0x1\"}]", -32602,
             "chainId does not match node's (have=1, want=16888)");
  EXPECT_ERR("eth_call", "[{\"to\":\"" SC "\"}, \"latest\", {}]", -32602, "state overrides are not supported");
  EXPECT_ERR("eth_call", "[{\"to\":\"" SC "\"}, \"latest\", null, {}]", -32602, "block overrides are not supported");
  EXPECT_ERR("eth_call", "[{\"to\":\"" SC "\"}, \"0x1\"]", -32000, "historical state not available");
  EXPECT_ERR("eth_call", "[{\"to\":\"" SC "\",\"type\":\"0x3\"}]", -32602, "transaction type 3 not supported");
  EXPECT_ERR("eth_call", "[{\"to\":\"" SC "\",\"accessList\":[{\"address\":\"0x12\"}]}]", -32602, "accessList");
}

static void test_send_raw(void) {
  uint8_t h[32];
  char want[80];
  zg_keccak256(h, "\x02\xaa", 2);
  want[0] = '"';
  zg_hex_encode(want + 1, h, 32);
  strcat(want, "\"");
  EXPECT("eth_sendRawTransaction", "[\"0x02aa\"]", want);
  EXPECT_ERR("eth_sendRawTransaction", "[\"0xbb\"]", -32000, "=nonce too low: next nonce 3, tx nonce 1");
  EXPECT_ERR("eth_sendRawTransaction", "[\"0xcc\"]", -32000, "=insufficient funds for gas * price + value");
  EXPECT_ERR("eth_sendRawTransaction", "[\"0xdd\"]", -32000,
             "=sender 0x1111111111111111111111111111111111111111 is on lane 1; contract Staking lives on lane 0");
  EXPECT_ERR("eth_sendRawTransaction", "[\"0xee\"]", -32603, "internal error");
  EXPECT_ERR("eth_sendRawTransaction", "[\"0x01\"]", -32000, "=transaction could not be decoded");
  EXPECT_ERR("eth_sendRawTransaction", "[\"0x\"]", -32602, "empty transaction");
  EXPECT_ERR("eth_sendRawTransaction", "[\"0x0\"]", -32602, "raw transaction");
  /* Over the size limit: refused before decoding, as geth's "oversized data". */
  size_t n = 2 * ZG_ETH_MAX_TX_BYTES + 2;
  char *big = malloc(n + 16);
  strcpy(big, "[\"0x");
  memset(big + 4, 'a', n);
  strcpy(big + 4 + n, "\"]");
  EXPECT_ERR("eth_sendRawTransaction", big, -32000, "oversized data");
  free(big);
}

static void test_logs(void) {
  EXPECT("eth_getLogs", "[{}]", "[]"); /* latest..latest on lane 0: block 3 has none */
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"toBlock\":\"latest\"}]", "[" L1 "," L3 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"earliest\"}]", "[" L1 "," L3 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x2\",\"toBlock\":\"0x2\",\"address\":\"" SC "\"}]", "[" L1 "," L3 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"address\":[\"$22*20;\",\"" SC "\"]}]", "[" L1 "," L3 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"address\":\"$22*20;\"}]", "[]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"topics\":[[\"$d3*32;\"]]}]", "[" L3 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"topics\":[\"$d3*32;\"]}]", "[" L3 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"topics\":[null, \"$d2*32;\"]}]", "[" L1 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"topics\":[[\"$d1*32;\",\"$d3*32;\"]]}]", "[" L1 "," L3 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"topics\":[[\"$d1*32;\",null]]}]", "[" L1 "," L3 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"topics\":[[], \"$d2*32;\"]}]", "[" L1 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"topics\":[null, null, \"$d2*32;\"]}]", "[]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1@1\"}]", "[" L2 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"toBlock\":\"latest@1\"}]", "[" L2 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x1@1\",\"toBlock\":\"0x1@1\",\"topics\":[\"$d1*32;\"]}]", "[" L2 "]");
  EXPECT("eth_getLogs", "[{\"blockHash\":\"$b2*32;\"}]", "[" L1 "," L3 "]");
  EXPECT("eth_getLogs", "[{\"blockHash\":\"$c1*32;\",\"topics\":[[\"$d1*32;\"]]}]", "[" L2 "]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x9\",\"toBlock\":\"0x10\"}]", "[]");
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x2\",\"toBlock\":\"0x10\"}]", "[" L1 "," L3 "]");
  EXPECT_ERR("eth_getLogs", "[{\"blockHash\":\"$bb*32;\"}]", -32000, "=unknown block");
  EXPECT_ERR("eth_getLogs", "[{\"blockHash\":\"$b2*32;\",\"fromBlock\":\"0x1\"}]", -32602,
             "cannot specify both BlockHash and FromBlock/ToBlock");
  EXPECT_ERR("eth_getLogs", "[{\"fromBlock\":\"0x3\",\"toBlock\":\"0x2\"}]", -32000, "=invalid block range params");
  EXPECT_ERR("eth_getLogs", "[{\"fromBlock\":\"0x1@1\",\"toBlock\":\"0x2@0\"}]", -32602, "name different lanes");
  EXPECT_ERR("eth_getLogs", "[{\"fromBlock\":\"0x1@2\"}]", -32602, "names lane 2, this chain has 2 lanes");
  EXPECT_ERR("eth_getLogs", "[{\"topics\":[null,null,null,null,null]}]", -32602, "exceed max topics");
  EXPECT_ERR("eth_getLogs", "[{\"topics\":[\"0x12\"]}]", -32602, "topic");
  EXPECT_ERR("eth_getLogs", "[{\"topics\":[1]}]", -32602, "topic");
  EXPECT_ERR("eth_getLogs", "[{\"address\":5}]", -32602, "address");
  EXPECT_ERR("eth_getLogs", "[{\"address\":[\"$22*20;\", \"0x1\"]}]", -32602, "address");
  /* Limits: the block range (the backend is not asked), then the result count. */
  FAKE.head0 = 20000;
  unsigned calls = FAKE.logs_calls;
  EXPECT_ERR("eth_getLogs", "[{\"fromBlock\":\"0x1\"}]", -32005, "block range too large: 20000 blocks, the limit is 10000");
  CHECK_EQ(FAKE.logs_calls, calls);
  EXPECT("eth_getLogs", "[{\"fromBlock\":\"0x2\",\"toBlock\":\"0x2711\",\"address\":\"$22*20;\"}]", "[]");
  EXPECT_ERR("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"toBlock\":\"0x2711\"}]", -32005, "block range too large");
  FAKE.head0 = 3;
  FAKE.synth_logs = ZG_ETH_LOGS_MAX_RESULTS - 1; /* plus the real L1: exactly the limit */
  json_t *r = call("eth_getLogs", "[{\"fromBlock\":\"0x2\",\"toBlock\":\"0x2\",\"topics\":[\"$d1*32;\"]}]");
  CHECK_EQ(json_array_size(json_object_get(r, "result")), ZG_ETH_LOGS_MAX_RESULTS);
  json_decref(r);
  EXPECT_ERR("eth_getLogs", "[{\"fromBlock\":\"0x2\",\"toBlock\":\"0x2\"}]", -32005,
             "query returned more than 10000 results");
  FAKE.synth_logs = 0;
}

/* Malformed params of every method: -32602 naming the problem. */
static void test_bad_params(void) {
  static const struct {
    const char *method, *params, *msg;
  } cases[] = {
      {"eth_chainId", "[1]", "expected 0 parameters, got 1"},
      {"net_version", "[1]", "expected 0 parameters"},
      {"web3_clientVersion", "[null]", "expected 0 parameters"},
      {"eth_blockNumber", "[\"latest\"]", "expected 0 parameters"},
      {"eth_syncing", "[1]", "expected 0 parameters"},
      {"eth_accounts", "[1]", "expected 0 parameters"},
      {"net_listening", "[1]", "expected 0 parameters"},
      {"eth_gasPrice", "[1]", "expected 0 parameters"},
      {"eth_maxPriorityFeePerGas", "[1]", "expected 0 parameters"},
      {"eth_getBlockByNumber", "[]", "expected 1 to 2 parameters, got 0"},
      {"eth_getBlockByNumber", "[\"0x1\", false, 1]", "expected 1 to 2 parameters, got 3"},
      {"eth_getBlockByNumber", "[1, false]", "block number must be"},
      {"eth_getBlockByNumber", "[\"0x01\", false]", "block number must be"},
      {"eth_getBlockByNumber", "[\"0x\", false]", "block number must be"},
      {"eth_getBlockByNumber", "[\"1\", false]", "block number must be"},
      {"eth_getBlockByNumber", "[\"0x8000000000000000\", false]", "block number must be"},
      {"eth_getBlockByNumber", "[\"latest@\", false]", "lane suffix"},
      {"eth_getBlockByNumber", "[\"0x1@01\", false]", "lane suffix"},
      {"eth_getBlockByNumber", "[\"0x1@x\", false]", "lane suffix"},
      {"eth_getBlockByNumber", "[\"0x1@5\", false]", "names lane 5, this chain has 2 lanes"},
      {"eth_getBlockByNumber", "[\"0x1\", \"yes\"]", "fullTransactions must be a boolean"},
      {"eth_getBlockByNumber", "[\"Latest\", false]", "block number must be"},
      {"eth_getBlockByHash", "[\"0x12\", false]", "block hash must be a 0x-prefixed 32-byte hex hash"},
      {"eth_getBlockByHash", "[\"$b1*32;\", 0]", "fullTransactions must be a boolean"},
      {"eth_getBlockByHash", "[]", "expected 1 to 2 parameters"},
      {"eth_getBlockTransactionCountByNumber", "[\"pending\", 1]", "expected 1 parameters"},
      {"eth_getBlockTransactionCountByNumber", "[true]", "block number must be"},
      {"eth_getBlockTransactionCountByHash", "[\"$b1*31;\"]", "block hash must be"},
      {"eth_getTransactionByBlockNumberAndIndex", "[\"0x1\"]", "expected 2 parameters, got 1"},
      {"eth_getTransactionByBlockNumberAndIndex", "[\"0x1\", \"0x00\"]", "transaction index must be"},
      {"eth_getTransactionByBlockHashAndIndex", "[\"0x1\", \"0x0\"]", "block hash must be"},
      {"eth_getBalance", "[]", "expected 1 to 2 parameters, got 0"},
      {"eth_getBalance", "[\"0x1234\", \"latest\"]", "address must be a 0x-prefixed 20-byte hex address"},
      {"eth_getBalance", "[\"%10*20;\", \"latest\"]", "address must be"},
      {"eth_getBalance", "[\"0x%zz*20;\", \"latest\"]", "address must be"},
      {"eth_getBalance", "[\"$10*20;\", \"latest\", 1]", "expected 1 to 2 parameters, got 3"},
      {"eth_getBalance", "[\"$10*20;\", \"newest\"]", "block must be"},
      {"eth_getBalance", "[\"$10*20;\", {\"blockHash\":\"$b3*32;\",\"blockNumber\":\"0x3\"}]", "exactly one of"},
      {"eth_getBalance", "[\"$10*20;\", {}]", "exactly one of"},
      {"eth_getBalance", "[\"$10*20;\", {\"blockHash\":\"$b3*32;\",\"requireCanonical\":1}]", "requireCanonical"},
      {"eth_getBalance", "[\"$10*20;\", {\"blockHash\":\"0x1\"}]", "blockHash must be"},
      {"eth_getTransactionCount", "[5, \"latest\"]", "address must be"},
      {"eth_getTransactionCount", "[\"$10*20;\", 5]", "block must be"},
      {"eth_getCode", "[\"$10*19;\", \"latest\"]", "address must be"},
      {"eth_getCode", "[]", "expected 1 to 2 parameters"},
      {"eth_feeHistory", "[\"0x1\"]", "expected 2 to 3 parameters, got 1"},
      {"eth_feeHistory", "[\"x\", \"latest\"]", "blockCount must be"},
      {"eth_feeHistory", "[\"0x1\", 5]", "newestBlock must be"},
      {"eth_feeHistory", "[\"0x1\", \"latest\", {}]", "rewardPercentiles must be an array"},
      {"eth_call", "[]", "expected 1 to 4 parameters, got 0"},
      {"eth_call", "[\"0x\"]", "transaction call object must be a JSON object"},
      {"eth_call", "[{\"to\":\"0x12\"}]", "to must be a 0x-prefixed 20-byte hex address"},
      {"eth_call", "[{\"from\":1}]", "from must be"},
      {"eth_call", "[{\"gas\":\"0x0001\"}]", "gas must be"},
      {"eth_call", "[{\"gasPrice\":\"12\"}]", "gasPrice must be"},
      {"eth_call", "[{\"value\":\"0x1%00*32;\"}]", "value must be"},
      {"eth_call", "[{\"value\":-1}]", "value must be"},
      {"eth_call", "[{\"maxFeePerGas\":\"0x\"}]", "maxFeePerGas must be"},
      {"eth_call", "[{\"maxPriorityFeePerGas\":true}]", "maxPriorityFeePerGas must be"},
      {"eth_call", "[{\"nonce\":\"0xg\"}]", "nonce must be"},
      {"eth_call", "[{\"data\":\"0x123\"}]", "data must be 0x-prefixed hex data with an even number of digits"},
      {"eth_call", "[{\"input\":\"1234\"}]", "input must be"},
      {"eth_call", "[{\"accessList\":{}}]", "accessList must be an array"},
      {"eth_call", "[{\"accessList\":[{\"address\":\"$33*20;\",\"storageKeys\":[\"0x1\"]}]}]", "storage key"},
      {"eth_call", "[{}, \"0x1@9\"]", "names lane 9"},
      {"eth_estimateGas", "[]", "expected 1 to 3 parameters, got 0"},
      {"eth_estimateGas", "[{}, \"latest\", null, null]", "expected 1 to 3 parameters, got 4"},
      {"eth_estimateGas", "[[]]", "transaction call object must be"},
      {"eth_sendRawTransaction", "[]", "expected 1 parameters, got 0"},
      {"eth_sendRawTransaction", "[\"0x02\", 1]", "expected 1 parameters, got 2"},
      {"eth_sendRawTransaction", "[2]", "raw transaction must be"},
      {"eth_sendRawTransaction", "[\"02aa\"]", "raw transaction must be"},
      {"eth_getTransactionByHash", "[]", "expected 1 parameters"},
      {"eth_getTransactionByHash", "[\"$a1*33;\"]", "transaction hash must be"},
      {"eth_getTransactionReceipt", "[null]", "transaction hash must be"},
      {"eth_getLogs", "[]", "expected 1 parameters, got 0"},
      {"eth_getLogs", "[\"latest\"]", "the filter must be an object"},
      {"eth_getLogs", "[{\"fromBlock\":1}]", "fromBlock must be"},
      {"eth_getLogs", "[{\"toBlock\":\"0x01\"}]", "toBlock must be"},
      {"eth_getLogs", "[{\"blockHash\":\"0x1\"}]", "blockHash must be"},
      {"eth_getLogs", "[{\"topics\":{}}]", "topics must be an array"},
      {"eth_getLogs", "[{\"topics\":[[\"$d1*32;\", 5]]}]", "topic must be"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    expect_error(__LINE__ * 1000 + (int)i, cases[i].method, cases[i].params, -32602, cases[i].msg);
  /* Params that are neither array nor object are an invalid request. */
  EXPECT_ERR("eth_blockNumber", "\"x\"", -32600, "invalid request");
  EXPECT_ERR("eth_getStorageAt", "[]", -32601, "does not exist");
}

static void test_bloom(void) {
  /* go-ethereum core/types/bloom9_test.go, TestBloomExtensively: the bloom
   * of 100 strings hashes to this value. */
  uint8_t bloom[256] = {0}, h[32], want[32];
  for (int i = 0; i < 100; i++) {
    char s[64];
    int n = snprintf(s, sizeof s, "xxxxxxxxxx data %d yyyyyyyyyyyyyy", i);
    zg_eth_bloom_add(bloom, (const uint8_t *)s, (size_t)n);
  }
  zg_keccak256(h, bloom, 256);
  CHECK_OK(zg_hex_decode(want, 32, "0xc8d3ca65cdb4874300a9e39475508f23ed6da09fdbc487f89a2dcf50b09eb263", 66));
  CHECK_MEM(h, want, 32);
  /* A log's bloom has its address's and topics' bits (three each). */
  uint8_t lb[256] = {0}, ab[256] = {0};
  zg_eth_bloom_add_log(lb, &FAKE.sc, (const uint8_t(*)[32])FAKE.topics[0], 2);
  zg_eth_bloom_add(ab, FAKE.sc.bytes, 20);
  int bits = 0, sub = 1;
  for (int i = 0; i < 256; i++) {
    bits += __builtin_popcount(lb[i]);
    if ((ab[i] & lb[i]) != ab[i]) sub = 0;
  }
  CHECK(bits >= 3 && bits <= 9);
  CHECK(sub);
  /* The filter match on its own. */
  zg_eth_filter_t f;
  memset(&f, 0, sizeof f);
  CHECK(zg_eth_log_matches(&f, &FAKE.to, NULL, 0));
  f.n_topic_positions = 1;
  f.n_topic_options[0] = 1;
  f.topics[0] = (const uint8_t(*)[32])FAKE.topics[1];
  CHECK(!zg_eth_log_matches(&f, &FAKE.to, NULL, 0)); /* a required topic the log lacks */
  CHECK(zg_eth_log_matches(&f, &FAKE.sc, (const uint8_t(*)[32])FAKE.topics[1], 1));
  f.addresses = &FAKE.to;
  f.n_addresses = 1;
  CHECK(!zg_eth_log_matches(&f, &FAKE.sc, (const uint8_t(*)[32])FAKE.topics[1], 1));
  CHECK(strcmp(zg_eth_geth_message(ZG_ENONCE), "nonce too low") == 0);
  CHECK(strcmp(zg_eth_geth_message(ZG_EEXIST), "already known") == 0);
}

static void test_register(void) {
  zg_rpc_t *rpc = NULL;
  CHECK_OK(zg_rpc_create(&rpc, NULL));
  zg_eth_backend_t be = FAKE_BACKEND;
  be.lanes = 0;
  CHECK_ERR(zg_eth_rpc_register(rpc, &be), ZG_EINVAL);
  be.lanes = 17;
  CHECK_ERR(zg_eth_rpc_register(rpc, &be), ZG_EINVAL);
  be = FAKE_BACKEND;
  be.logs = NULL;
  CHECK_ERR(zg_eth_rpc_register(rpc, &be), ZG_EINVAL);
  CHECK_ERR(zg_eth_rpc_register(NULL, &FAKE_BACKEND), ZG_EINVAL);
  CHECK_OK(zg_eth_rpc_register(rpc, &FAKE_BACKEND));
  CHECK_ERR(zg_eth_rpc_register(rpc, &FAKE_BACKEND), ZG_EEXIST);
  /* A custom client version, and a batch mixing methods with an arena. */
  zg_rpc_destroy(rpc);
  CHECK_OK(zg_rpc_create(&rpc, NULL));
  be = FAKE_BACKEND;
  be.client_version = "zg-test/1";
  CHECK_OK(zg_eth_rpc_register(rpc, &be));
  const char *req = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"web3_clientVersion\"},"
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_getBlockByNumber\",\"params\":[\"0x1\",true]}]";
  zg_arena_t *arena = zg_arena_create();
  zg_buf_t out;
  zg_buf_init(&out);
  CHECK_OK(zg_rpc_handle(rpc, &out, arena, req, strlen(req)));
  json_t *r = json_loadb((const char *)out.ptr, out.len, 0, NULL);
  CHECK(strcmp(str(json_object_get(json_array_get(r, 0), "result")), "zg-test/1") == 0);
  CHECK(json_array_size(json_object_get(json_object_get(json_array_get(r, 1), "result"), "transactions")) == 1);
  json_decref(r);
  zg_buf_clear(&out);
  /* A reverting call as a notification: no answer, and its error data is
   * released (the sanitizer build checks for the leak). */
  req = "[{\"jsonrpc\":\"2.0\",\"method\":\"eth_call\",\"params\":[{\"to\":\"0x0000000000000000000000000000000000001000\","
        "\"data\":\"0xdeadbeef\"}]}]";
  CHECK_OK(zg_rpc_handle(rpc, &out, arena, req, strlen(req)));
  CHECK_EQ(out.len, 0);
  zg_buf_clear(&out);
  zg_arena_destroy(arena);
  zg_rpc_destroy(rpc);
}

/* Random params built from pieces that are sometimes right: every call is
 * answered with a result or an error, never a crash or a bare failure. */
static void test_random_params(void) {
  static const char *methods[] = {
      "eth_chainId", "net_version", "web3_clientVersion", "eth_blockNumber", "eth_getBlockByNumber",
      "eth_getBlockByHash", "eth_getBalance", "eth_getTransactionCount", "eth_gasPrice", "eth_maxPriorityFeePerGas",
      "eth_feeHistory", "eth_estimateGas", "eth_call", "eth_sendRawTransaction", "eth_getTransactionByHash",
      "eth_getTransactionReceipt", "eth_getLogs", "eth_getCode", "eth_getBlockTransactionCountByNumber",
      "eth_getTransactionByBlockHashAndIndex"};
  static const char *pieces[] = {
      "\"latest\"", "\"0x1\"", "\"0x2@1\"", "\"0x1@7\"", "\"pending\"", "true", "false", "null", "1", "-1", "1.5",
      "\"$b2*32;\"", "\"$a2*32;\"", "\"$10*20;\"", "\"" SC "\"", "\"0x\"", "\"0x02aa\"", "\"0xdeadbeef\"", "[]",
      "{}", "[25,50]", "{\"to\":\"" SC "\",\"data\":\"0xdeadbeef\"}", "{\"fromBlock\":\"0x1\",\"topics\":[null]}",
      "{\"blockHash\":\"$b2*32;\"}", "\"\\u0000\"", "\"0xffffffffffffffff\"", "{\"blockNumber\":\"0x3\"}"};
  long iters = zgt_iters(3000);
  for (long it = 0; it < iters; it++) {
    char params[1024] = "[";
    int n = (int)zgt_rand_below(4);
    for (int i = 0; i < n; i++) {
      if (i) strcat(params, ",");
      strcat(params, pieces[zgt_rand_below(sizeof pieces / sizeof pieces[0])]);
    }
    strcat(params, "]");
    const char *m = methods[zgt_rand_below(sizeof methods / sizeof methods[0])];
    json_t *r = call(m, params);
    bool ok = r && (json_object_get(r, "result") != NULL) != (json_object_get(r, "error") != NULL);
    if (!ok) ZGT_FAIL("%s %s: no well-formed answer", m, params);
    json_decref(r);
  }
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  fake_init();
  CHECK_OK(zg_rpc_create(&RPC, NULL));
  CHECK_OK(zg_eth_rpc_register(RPC, &FAKE_BACKEND));
  ZGT_RUN(test_identity);
  ZGT_RUN(test_blocks);
  ZGT_RUN(test_transactions);
  ZGT_RUN(test_accounts);
  ZGT_RUN(test_fees);
  ZGT_RUN(test_call);
  ZGT_RUN(test_send_raw);
  ZGT_RUN(test_logs);
  ZGT_RUN(test_bad_params);
  ZGT_RUN(test_bloom);
  ZGT_RUN(test_register);
  ZGT_RUN(test_random_params);
  json_decref(LAST);
  zg_rpc_destroy(RPC);
  return zgt_done();
}

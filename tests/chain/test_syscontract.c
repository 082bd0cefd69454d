/*
 * test_syscontract.c — the system-contract framework through a real state
 * and executor, with a test contract "Counter": a state-changing method with
 * an event, a view, a payable method, a reverting method, a view that tries
 * to write, a payout (contract -> account, also across lanes) and a storage
 * scan. Checks selectors and registration rules, dispatch, payable and
 * read-only enforcement, Error(string) reverts (state rolled back, logs
 * dropped, gas charged), eth_call and estimateGas.
 */
#include "exec_util.h"
#include "zg/abi.h"
#include "zg/hash.h"

/* ---- the Counter contract ---- */

static const zg_eth_addr_t COUNTER = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xde, 0x01}};

static zg_err_t get_n(zg_sc_host_t *h, uint8_t n[32]) {
  zg_buf_t v;
  zg_buf_init(&v);
  bool found;
  zg_err_t e = h->sget(h, (const uint8_t *)"n", 1, &v, &found);
  memset(n, 0, 32);
  if (!e && found && v.len == 32) memcpy(n, v.ptr, 32);
  zg_buf_clear(&v);
  return e;
}

static zg_sc_status_t ret_word(zg_sc_result_t *res, const uint8_t w[32]) {
  return zg_buf_append(&res->ret, w, 32) ? ZG_SC_FAIL : ZG_SC_OK;
}

static zg_sc_status_t emit_word_event(zg_sc_host_t *h, const char *sig, const zg_eth_addr_t *who,
                                      const uint8_t w[32]) {
  zg_sc_log_t lg;
  memset(&lg, 0, sizeof lg);
  lg.address = h->self;
  lg.n_topics = 2;
  zg_abi_event_topic(lg.topics[0], sig, strlen(sig));
  memcpy(lg.topics[1] + 12, who->bytes, 20);
  lg.data = w;
  lg.data_len = 32;
  return h->emit(h, &lg) ? ZG_SC_FAIL : ZG_SC_OK;
}

/* increment(uint256): n += x, emits Incremented(address indexed,uint256), returns n. */
static zg_sc_status_t m_increment(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  if (len != 32) return zg_sc_revert(res, "increment: bad arguments");
  uint8_t n[32];
  if (get_n(h, n)) return ZG_SC_FAIL;
  zg_u256_t a, x;
  zg_u256_from_be32(&a, n);
  zg_u256_from_be32(&x, args);
  if (!zg_u256_add(&a, &a, &x)) return zg_sc_revert(res, "increment: overflow");
  zg_u256_to_be32(n, &a);
  if (h->sput(h, (const uint8_t *)"n", 1, n, 32)) return ZG_SC_FAIL;
  if (emit_word_event(h, "Incremented(address,uint256)", &h->caller, n)) return ZG_SC_FAIL;
  return ret_word(res, n);
}

static zg_sc_status_t m_get(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint8_t n[32];
  if (get_n(h, n)) return ZG_SC_FAIL;
  return ret_word(res, n);
}

/* deposit(): payable; d||caller += value. */
static zg_sc_status_t m_deposit(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint8_t key[21] = {'d'}, w[32] = {0};
  memcpy(key + 1, h->caller.bytes, 20);
  zg_buf_t v;
  zg_buf_init(&v);
  bool found;
  zg_err_t e = h->sget(h, key, 21, &v, &found);
  if (!e && found && v.len == 32) memcpy(w, v.ptr, 32);
  zg_buf_clear(&v);
  if (e) return ZG_SC_FAIL;
  zg_u256_t a;
  zg_u256_from_be32(&a, w);
  if (!zg_u256_add(&a, &a, &h->value)) return zg_sc_revert(res, "deposit: overflow");
  zg_u256_to_be32(w, &a);
  if (h->sput(h, key, 21, w, 32)) return ZG_SC_FAIL;
  return emit_word_event(h, "Deposited(address,uint256)", &h->caller, w);
}

/* boom(uint256): writes, emits, then reverts. */
static zg_sc_status_t m_boom(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  if (m_increment(h, args, len, res) != ZG_SC_OK) return ZG_SC_FAIL;
  return zg_sc_revert(res, "boom: counter would be %u", (unsigned)res->ret.ptr[31]);
}

/* sneaky(): declared view, writes anyway (the framework must refuse). */
static zg_sc_status_t m_sneaky(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint8_t z[32] = {0};
  if (h->sput(h, (const uint8_t *)"n", 1, z, 32)) return ZG_SC_FAIL;
  return ZG_SC_OK;
}

/* payout(address,uint256): the contract pays from its balance. */
static zg_sc_status_t m_payout(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  zg_abi_arena_init(&a);
  const zg_abi_type_t *t;
  zg_abi_value_t v;
  zg_sc_status_t st = ZG_SC_OK;
  zg_eth_addr_t to;
  uint8_t w[32];
  if (zg_abi_type_parse_str(&t, &a, "(address,uint256)") || zg_abi_decode(&v, &a, t, args, len) ||
      zg_abi_get_address(to.bytes, &v.u.items[0]) || zg_abi_get_word(w, &v.u.items[1])) {
    st = zg_sc_revert(res, "payout: bad arguments");
    goto out;
  }
  zg_u256_t amt;
  zg_u256_from_be32(&amt, w);
  zg_err_t e = h->transfer(h, &to, &amt);
  if (e == ZG_ERANGE)
    st = zg_sc_revert(res, "payout: contract balance too small");
  else if (e)
    st = ZG_SC_FAIL;
out:
  zg_abi_arena_clear(&a);
  return st;
}

static bool count_fn(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
  (*(uint64_t *)arg)++;
  return true;
}

/* depositors(): number of accounts that deposited (a prefix scan). */
static zg_sc_status_t m_depositors(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint64_t n = 0;
  if (h->sscan(h, (const uint8_t *)"d", 1, count_fn, &n)) return ZG_SC_FAIL;
  uint8_t w[32] = {0};
  for (int i = 0; i < 8; i++) w[31 - i] = (uint8_t)(n >> (8 * i));
  return ret_word(res, w);
}

/* myBalance(): the caller's balance (same lane) and the block number. */
static zg_sc_status_t m_mybalance(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_u256_t b;
  if (h->balance(h, &h->caller, &b)) return zg_sc_revert(res, "myBalance: not readable");
  uint8_t w[32];
  zg_u256_to_be32(w, &b);
  if (ret_word(res, w)) return ZG_SC_FAIL;
  zg_u256_t bn = zg_u256_from_u64(h->block_number);
  zg_u256_to_be32(w, &bn);
  return ret_word(res, w);
}

static zg_sc_status_t counter_genesis(zg_sc_host_t *h, const void *json, zg_sc_result_t *res) {
  uint8_t n[32] = {0};
  n[31] = 7;
  return h->sput(h, (const uint8_t *)"n", 1, n, 32) ? ZG_SC_FAIL : ZG_SC_OK;
}

static const zg_sc_method_t counter_methods[] = {
    {"increment(uint256)", 0, 5000, m_increment},    {"get()", ZG_SC_VIEW, 1000, m_get},
    {"deposit()", ZG_SC_PAYABLE, 3000, m_deposit},   {"boom(uint256)", 0, 2000, m_boom},
    {"sneaky()", ZG_SC_VIEW, 100, m_sneaky},         {"payout(address,uint256)", 0, 4000, m_payout},
    {"depositors()", ZG_SC_VIEW, 500, m_depositors}, {"myBalance()", ZG_SC_VIEW, 500, m_mybalance},
};

static const zg_sc_contract_t counter = {
    .name = "Counter",
    .address = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xde, 0x01}},
    .lane = 0,
    .methods = counter_methods,
    .n_methods = sizeof counter_methods / sizeof counter_methods[0],
    .genesis = counter_genesis,
};

/* ---- helpers ---- */

typedef struct {
  char dir[256];
  zg_state_t *st[2];
  zg_sc_registry_t *reg;
  zg_exec_t *ex;
  uint64_t height;
} world_t;

static bool world_open(world_t *w, const zg_genesis_alloc_t *alloc, size_t n) {
  memset(w, 0, sizeof *w);
  xu_mkdtemp(w->dir, sizeof w->dir, "sc");
  zg_u256_t bf = xu_u(7);
  if (xu_open_lanes(w->st, w->dir, 2, false) || zg_sc_registry_new(&w->reg) ||
      zg_sc_register(w->reg, &counter) || zg_exec_create(&w->ex, w->st, 2, w->reg, XU_CHAIN_ID, &bf))
    return false;
  for (uint32_t l = 0; l < 2; l++)
    if (zg_exec_genesis(w->ex, l, alloc, n, NULL, 0, NULL)) return false;
  return true;
}

static void world_close(world_t *w) {
  zg_exec_destroy(w->ex);
  zg_sc_registry_free(w->reg);
  xu_close_lanes(w->st, 2);
  xu_rm_rf(w->dir);
}

/* calldata = selector(sig) || words. */
static size_t calldata(uint8_t *out, const char *sig, const uint8_t (*words)[32], size_t n) {
  zg_abi_selector(out, sig, strlen(sig));
  for (size_t i = 0; i < n; i++) memcpy(out + 4 + 32 * i, words[i], 32);
  return 4 + 32 * n;
}

static void word_u64(uint8_t w[32], uint64_t v) {
  memset(w, 0, 32);
  for (int i = 0; i < 8; i++) w[31 - i] = (uint8_t)(v >> (8 * i));
}

static uint64_t word_lo(const uint8_t *w) {
  uint64_t v = 0;
  for (int i = 24; i < 32; i++) v = v << 8 | w[i];
  return v;
}

/* Executes one contract call tx in lane 0's next block; copies the receipt
 * (logs are freed with res; the caller frees res). */
static zg_err_t call_tx(world_t *w, zg_exec_result_t *res, const zg_eth_addr_t *from, uint64_t nonce,
                        uint64_t value, const uint8_t *data, size_t len, uint64_t gas_limit) {
  zg_exec_tx_t t = xu_transfer(from, &COUNTER, nonce, value, 10, 1);
  t.data = data;
  t.data_len = len;
  t.gas_limit = gas_limit;
  zg_block_ctx_t c = xu_ctx(0, ++w->height, 7, NULL);
  memset(c.proposer.bytes, 0xee, 20);
  c.proposer.bytes[19] = 0x10; /* lane 0 */
  uint64_t imp[2] = {0, 0};
  return zg_exec_block(w->ex, res, &c, imp, &t, 1);
}

static uint64_t eth_call_u64(world_t *w, const char *sig) {
  uint8_t cd[4];
  calldata(cd, sig, NULL, 0);
  zg_sc_result_t r;
  zg_eth_addr_t from = xu_addr(9, 0, 0, 2);
  if (zg_exec_call(w->ex, &r, &from, &COUNTER, NULL, cd, 4) || r.status != ZG_SC_OK || r.ret.len < 32) {
    zg_sc_result_free(&r);
    return UINT64_MAX;
  }
  uint64_t v = word_lo(r.ret.ptr);
  zg_sc_result_free(&r);
  return v;
}

/* ---- cases ---- */

static zg_sc_status_t m_nop(zg_sc_host_t *h, const uint8_t *a, size_t l, zg_sc_result_t *r) {
  return ZG_SC_OK;
}

static void test_registry(void) {
  zg_sc_registry_t *r;
  CHECK_OK(zg_sc_registry_new(&r));
  CHECK_OK(zg_sc_register(r, &counter));
  CHECK_EQ(zg_sc_count(r), 1);
  CHECK(zg_sc_at(r, 0) == &counter);
  CHECK(zg_sc_find(r, &COUNTER) == &counter);
  zg_eth_addr_t other = COUNTER;
  other.bytes[0] = 1;
  CHECK(zg_sc_find(r, &other) == NULL);
  CHECK_ERR(zg_sc_register(r, &counter), ZG_EEXIST);
  /* Selectors are Solidity's: transfer(address,uint256) = 0xa9059cbb. */
  static const zg_sc_method_t erc[] = {{"transfer(address,uint256)", 0, 77, m_nop}};
  zg_sc_contract_t c2 = {.name = "T", .address = other, .methods = erc, .n_methods = 1};
  CHECK_OK(zg_sc_register(r, &c2));
  uint8_t cd[4] = {0xa9, 0x05, 0x9c, 0xbb};
  uint64_t gas = 0;
  CHECK_OK(zg_sc_gas(r, &other, cd, 4, &gas));
  CHECK_EQ(gas, 77);
  cd[3] ^= 1;
  CHECK_ERR(zg_sc_gas(r, &other, cd, 4, &gas), ZG_ENOTFOUND);
  CHECK_ERR(zg_sc_gas(r, &other, cd, 3, &gas), ZG_ENOTFOUND);
  /* Non-canonical signatures and duplicate selectors are refused. */
  static const zg_sc_method_t bad1[] = {{"f(uint)", 0, 1, m_nop}};
  static const zg_sc_method_t bad2[] = {{"f(uint256, bool)", 0, 1, m_nop}};
  static const zg_sc_method_t dup[] = {{"f(uint256)", 0, 1, m_nop}, {"f(uint256)", 0, 1, m_nop}};
  /* Two different signatures sharing a selector (a known collision):
   * 0x42966c68 = burn(uint256) = collate_propagate_storage(bytes16). */
  static const zg_sc_method_t coll[] = {{"burn(uint256)", 0, 1, m_nop},
                                        {"collate_propagate_storage(bytes16)", 0, 1, m_nop}};
  zg_sc_contract_t c3 = {.name = "B", .address = {{9}}, .methods = bad1, .n_methods = 1};
  CHECK_ERR(zg_sc_register(r, &c3), ZG_EINVAL);
  c3.methods = bad2;
  CHECK_ERR(zg_sc_register(r, &c3), ZG_EINVAL);
  c3.methods = dup;
  c3.n_methods = 2;
  CHECK_ERR(zg_sc_register(r, &c3), ZG_EEXIST);
  c3.methods = coll;
  CHECK_ERR(zg_sc_register(r, &c3), ZG_EEXIST);
  CHECK_EQ(zg_sc_count(r), 2);
  zg_sc_registry_free(r);
}

static void test_calls_through_executor(void) {
  zg_eth_addr_t u = xu_addr(8, 0, 0, 2), far = xu_addr(8, 1, 1, 2);
  zg_genesis_alloc_t alloc[2] = {{u, xu_u(100000000)}, {far, xu_u(100000000)}};
  world_t w;
  CHECK(world_open(&w, alloc, 2));
  CHECK_EQ(eth_call_u64(&w, "get()"), 7); /* set by the genesis hook */
  uint8_t cd[4 + 64], args[2][32];
  zg_exec_result_t res;
  uint64_t bal = 100000000, intrinsic;

  /* increment(5): success, event, gas = intrinsic + 5000 at price 8. */
  word_u64(args[0], 5);
  size_t n = calldata(cd, "increment(uint256)", (const uint8_t(*)[32])args, 1);
  intrinsic = zg_exec_intrinsic_gas(cd, n, 0, 0);
  CHECK_OK(call_tx(&w, &res, &u, 0, 0, cd, n, 100000));
  zg_exec_receipt_t *r = &res.receipts[0];
  CHECK(!r->dropped);
  CHECK_EQ(r->status, 1);
  CHECK_EQ(r->gas_used, intrinsic + 5000);
  CHECK_EQ(r->n_logs, 1);
  if (r->n_logs == 1) {
    uint8_t t0[32];
    zg_abi_event_topic(t0, "Incremented(address,uint256)", 28);
    CHECK_MEM(r->logs[0].topics[0], t0, 32);
    CHECK_MEM(r->logs[0].topics[1] + 12, u.bytes, 20);
    CHECK_MEM(r->logs[0].address.bytes, COUNTER.bytes, 20);
    CHECK(r->logs[0].data_len == 32 && word_lo(r->logs[0].data) == 12);
    CHECK_EQ(r->logs[0].log_index, 0);
  }
  uint8_t zero[256] = {0};
  CHECK(memcmp(res.bloom, zero, 256) != 0);
  bal -= (intrinsic + 5000) * 8;
  zg_exec_result_free(&res);
  CHECK_EQ(eth_call_u64(&w, "get()"), 12);
  CHECK_EQ(xu_balance(w.ex, w.st, &u), bal);

  /* boom(100): reverts after writing and emitting: counter unchanged, no
   * logs, nonce bumped, gas charged. */
  word_u64(args[0], 100);
  n = calldata(cd, "boom(uint256)", (const uint8_t(*)[32])args, 1);
  intrinsic = zg_exec_intrinsic_gas(cd, n, 0, 0);
  CHECK_OK(call_tx(&w, &res, &u, 1, 0, cd, n, 100000));
  r = &res.receipts[0];
  CHECK_EQ(r->status, 0);
  CHECK_EQ(r->n_logs, 0);
  CHECK_EQ(r->gas_used, intrinsic + 2000);
  CHECK(strcmp(r->reason, "boom: counter would be 112") == 0);
  CHECK(memcmp(res.bloom, zero, 256) == 0);
  bal -= (intrinsic + 2000) * 8;
  zg_exec_result_free(&res);
  CHECK_EQ(eth_call_u64(&w, "get()"), 12);
  CHECK_EQ(xu_balance(w.ex, w.st, &u), bal);
  CHECK_EQ(xu_nonce(w.ex, w.st, &u), 2);

  /* deposit() with value: the contract holds it. */
  n = calldata(cd, "deposit()", NULL, 0);
  intrinsic = zg_exec_intrinsic_gas(cd, n, 0, 0);
  CHECK_OK(call_tx(&w, &res, &u, 2, 5000000, cd, n, 100000));
  CHECK_EQ(res.receipts[0].status, 1);
  CHECK_EQ(res.receipts[0].n_logs, 1);
  bal -= 5000000 + (intrinsic + 3000) * 8;
  zg_exec_result_free(&res);
  CHECK_EQ(xu_balance(w.ex, w.st, &COUNTER), 5000000);
  CHECK_EQ(xu_balance(w.ex, w.st, &u), bal);
  CHECK_EQ(eth_call_u64(&w, "depositors()"), 1);

  /* Value to a non-payable method: reverted, value returned. */
  word_u64(args[0], 1);
  n = calldata(cd, "increment(uint256)", (const uint8_t(*)[32])args, 1);
  intrinsic = zg_exec_intrinsic_gas(cd, n, 0, 0);
  CHECK_OK(call_tx(&w, &res, &u, 3, 777, cd, n, 100000));
  CHECK_EQ(res.receipts[0].status, 0);
  CHECK(strstr(res.receipts[0].reason, "not payable") != NULL);
  bal -= (intrinsic + 5000) * 8;
  zg_exec_result_free(&res);
  CHECK_EQ(xu_balance(w.ex, w.st, &u), bal);
  CHECK_EQ(xu_balance(w.ex, w.st, &COUNTER), 5000000);

  /* sneaky() (a view that writes) in a transaction: refused, reverted. */
  n = calldata(cd, "sneaky()", NULL, 0);
  CHECK_OK(call_tx(&w, &res, &u, 4, 0, cd, n, 100000));
  CHECK_EQ(res.receipts[0].status, 0);
  CHECK(strstr(res.receipts[0].reason, "read-only") != NULL);
  bal -= (zg_exec_intrinsic_gas(cd, n, 0, 0) + 100) * 8;
  zg_exec_result_free(&res);
  CHECK_EQ(eth_call_u64(&w, "get()"), 12);

  /* Unknown selector and short calldata: reverts, intrinsic gas only. */
  uint8_t junk[4] = {1, 2, 3, 4};
  CHECK_OK(call_tx(&w, &res, &u, 5, 0, junk, 4, 100000));
  CHECK_EQ(res.receipts[0].status, 0);
  CHECK_EQ(res.receipts[0].gas_used, zg_exec_intrinsic_gas(junk, 4, 0, 0));
  CHECK(strstr(res.receipts[0].reason, "unknown method selector 0x01020304") != NULL);
  bal -= zg_exec_intrinsic_gas(junk, 4, 0, 0) * 8;
  zg_exec_result_free(&res);
  CHECK_OK(call_tx(&w, &res, &u, 6, 0, junk, 2, 100000));
  CHECK_EQ(res.receipts[0].status, 0);
  bal -= zg_exec_intrinsic_gas(junk, 2, 0, 0) * 8;
  zg_exec_result_free(&res);

  /* Out of gas: the limit covers the intrinsic gas but not the method. */
  word_u64(args[0], 1);
  n = calldata(cd, "increment(uint256)", (const uint8_t(*)[32])args, 1);
  intrinsic = zg_exec_intrinsic_gas(cd, n, 0, 0);
  CHECK_OK(call_tx(&w, &res, &u, 7, 0, cd, n, intrinsic + 4999));
  CHECK_EQ(res.receipts[0].status, 0);
  CHECK_EQ(res.receipts[0].gas_used, intrinsic + 4999);
  CHECK(strcmp(res.receipts[0].reason, "out of gas") == 0);
  bal -= (intrinsic + 4999) * 8;
  zg_exec_result_free(&res);
  CHECK_EQ(eth_call_u64(&w, "get()"), 12);
  CHECK_EQ(xu_balance(w.ex, w.st, &u), bal);

  /* payout: to an account of lane 1 goes through the outbox. */
  memset(args[0], 0, 32);
  memcpy(args[0] + 12, far.bytes, 20);
  word_u64(args[1], 1000000);
  n = calldata(cd, "payout(address,uint256)", (const uint8_t(*)[32])args, 2);
  CHECK_OK(call_tx(&w, &res, &u, 8, 0, cd, n, 100000));
  CHECK_EQ(res.receipts[0].status, 1);
  zg_exec_result_free(&res);
  CHECK_EQ(xu_balance(w.ex, w.st, &COUNTER), 4000000);
  zg_credit_t *cr = NULL;
  size_t ncr = 0;
  CHECK_OK(zg_state_outbox(w.st[0], 1, w.height, &cr, &ncr));
  CHECK(ncr >= 1 && memcmp(cr[0].to.bytes, far.bytes, 20) == 0 && xu_lo(&cr[0].amount) == 1000000);
  free(cr);
  word_u64(args[1], 999999999);
  n = calldata(cd, "payout(address,uint256)", (const uint8_t(*)[32])args, 2);
  CHECK_OK(call_tx(&w, &res, &u, 9, 0, cd, n, 100000));
  CHECK_EQ(res.receipts[0].status, 0);
  CHECK(strstr(res.receipts[0].reason, "balance too small") != NULL);
  zg_exec_result_free(&res);
  CHECK_EQ(xu_balance(w.ex, w.st, &COUNTER), 4000000);

  /* A sender of lane 1 calling the lane-0 contract is dropped. */
  zg_exec_tx_t t = xu_transfer(&far, &COUNTER, 0, 0, 10, 1);
  t.data = cd;
  t.data_len = n;
  t.gas_limit = 100000;
  zg_block_ctx_t c = xu_ctx(0, ++w.height, 7, &u);
  uint64_t imp[2] = {0, 0};
  CHECK_OK(zg_exec_block(w.ex, &res, &c, imp, &t, 1));
  CHECK(res.receipts[0].dropped && res.receipts[0].drop_reason == ZG_ELANE);
  zg_exec_result_free(&res);
  world_close(&w);
}

static void test_eth_call_and_estimate(void) {
  zg_eth_addr_t u = xu_addr(10, 0, 0, 2);
  zg_genesis_alloc_t alloc[1] = {{u, xu_u(123456)}};
  world_t w;
  CHECK(world_open(&w, alloc, 1));
  uint8_t cd[4 + 32], args[1][32];
  word_u64(args[0], 3);
  size_t n = calldata(cd, "increment(uint256)", (const uint8_t(*)[32])args, 1);
  /* eth_call of a state-changing method: reverted with Error(string). */
  zg_sc_result_t r;
  CHECK_OK(zg_exec_call(w.ex, &r, &u, &COUNTER, NULL, cd, n));
  CHECK_EQ(r.status, ZG_SC_REVERT);
  CHECK(strstr(r.reason, "read-only") != NULL);
  /* Error(string): 08c379a0, offset 32, length, text. */
  CHECK(r.ret.len >= 68 && r.ret.len % 32 == 4);
  if (r.ret.len >= 68) {
    static const uint8_t sel[4] = {0x08, 0xc3, 0x79, 0xa0};
    CHECK_MEM(r.ret.ptr, sel, 4);
    CHECK_EQ(word_lo(r.ret.ptr + 4), 32);
    uint64_t len = word_lo(r.ret.ptr + 36);
    CHECK_EQ(len, strlen(r.reason));
    CHECK(len <= r.ret.len - 68 && memcmp(r.ret.ptr + 68, r.reason, len) == 0);
    zg_abi_arena_t a;
    zg_abi_arena_init(&a);
    const zg_abi_type_t *t;
    zg_abi_value_t v;
    zg_slice_t s;
    CHECK_OK(zg_abi_type_parse_str(&t, &a, "(string)"));
    CHECK_OK(zg_abi_decode(&v, &a, t, r.ret.ptr + 4, r.ret.len - 4));
    CHECK_OK(zg_abi_get_bytes(&s, &v.u.items[0]));
    CHECK(s.len == strlen(r.reason) && memcmp(s.ptr, r.reason, s.len) == 0);
    zg_abi_arena_clear(&a);
  }
  zg_sc_result_free(&r);
  /* sneaky() by eth_call: the write is refused. */
  calldata(cd, "sneaky()", NULL, 0);
  CHECK_OK(zg_exec_call(w.ex, &r, &u, &COUNTER, NULL, cd, 4));
  CHECK_EQ(r.status, ZG_SC_REVERT);
  zg_sc_result_free(&r);
  /* myBalance() sees the caller's balance and the lane height. */
  calldata(cd, "myBalance()", NULL, 0);
  CHECK_OK(zg_exec_call(w.ex, &r, &u, &COUNTER, NULL, cd, 4));
  CHECK(r.status == ZG_SC_OK && r.ret.len == 64);
  if (r.ret.len == 64) {
    CHECK_EQ(word_lo(r.ret.ptr), 123456);
    CHECK_EQ(word_lo(r.ret.ptr + 32), 0);
  }
  zg_sc_result_free(&r);
  /* A call to an address without a contract: empty data. */
  CHECK_OK(zg_exec_call(w.ex, &r, &u, &u, NULL, cd, 4));
  CHECK(r.status == ZG_SC_OK && r.ret.len == 0);
  zg_sc_result_free(&r);
  /* Estimates: intrinsic + method gas; reverts reported. */
  uint64_t gas;
  char why[256];
  n = calldata(cd, "increment(uint256)", (const uint8_t(*)[32])args, 1);
  CHECK_OK(zg_exec_estimate_gas(w.ex, &gas, why, &u, &COUNTER, NULL, cd, n));
  CHECK_EQ(gas, zg_exec_intrinsic_gas(cd, n, 0, 0) + 5000);
  calldata(cd, "get()", NULL, 0);
  CHECK_OK(zg_exec_estimate_gas(w.ex, &gas, why, &u, &COUNTER, NULL, cd, 4));
  CHECK_EQ(gas, zg_exec_intrinsic_gas(cd, 4, 0, 0) + 1000);
  CHECK_ERR(zg_exec_estimate_gas(w.ex, &gas, why, &u, &COUNTER, NULL, cd, 3), ZG_EREVERT);
  zg_u256_t one = xu_u(1);
  CHECK_ERR(zg_exec_estimate_gas(w.ex, &gas, why, &u, &COUNTER, &one, cd, 4), ZG_EREVERT);
  CHECK(strstr(why, "not payable") != NULL);
  calldata(cd, "sneaky()", NULL, 0);
  CHECK_ERR(zg_exec_estimate_gas(w.ex, &gas, why, &u, &COUNTER, NULL, cd, 4), ZG_EREVERT);
  CHECK_OK(zg_exec_estimate_gas(w.ex, &gas, why, &u, &u, NULL, NULL, 0));
  CHECK_EQ(gas, 21000);
  world_close(&w);
}

/* The end-of-block hook writes Counter's storage inside the block. */
static zg_err_t end_hook(void *arg, zg_sc_host_t *h, const zg_block_ctx_t *ctx) {
  h->self = COUNTER;
  uint8_t n[32];
  word_u64(n, ctx->height * 1000);
  ZG_TRY(h->sput(h, (const uint8_t *)"n", 1, n, 32));
  return *(zg_err_t *)arg;
}

static void test_end_block_hook(void) {
  world_t w;
  CHECK(world_open(&w, NULL, 0));
  zg_block_ctx_t c = xu_ctx(0, 1, 7, NULL);
  zg_err_t ret = ZG_EBUSY;
  c.end_block = end_hook;
  c.end_arg = &ret;
  uint64_t imp[2] = {0, 0}, h;
  zg_exec_result_t res;
  uint8_t d0[32], d1[32];
  CHECK_OK(zg_state_height(w.st[0], &h, d0));
  CHECK_ERR(zg_exec_block(w.ex, &res, &c, imp, NULL, 0), ZG_EBUSY); /* aborted: nothing committed */
  CHECK_OK(zg_state_height(w.st[0], &h, d1));
  CHECK_EQ(h, 0);
  CHECK_EQ(eth_call_u64(&w, "get()"), 7);
  ret = ZG_OK;
  CHECK_OK(zg_exec_block(w.ex, &res, &c, imp, NULL, 0));
  zg_exec_result_free(&res);
  CHECK_EQ(eth_call_u64(&w, "get()"), 1000);
  /* The hook's write is in the digest: the same block without it differs. */
  world_t w2;
  CHECK(world_open(&w2, NULL, 0));
  c.end_block = NULL;
  zg_exec_result_t res2;
  CHECK_OK(zg_exec_block(w2.ex, &res2, &c, imp, NULL, 0));
  CHECK_OK(zg_state_height(w.st[0], &h, d0));
  CHECK(memcmp(d0, res2.state, 32) != 0);
  zg_exec_result_free(&res2);
  world_close(&w2);
  world_close(&w);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_registry);
  ZGT_RUN(test_calls_through_executor);
  ZGT_RUN(test_eth_call_and_estimate);
  ZGT_RUN(test_end_block_hook);
  return zgt_done();
}

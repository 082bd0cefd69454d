/*
 * test_staking_exec.c — Staking over the real chain: per-lane LMDB state
 * (zg/state.h) and the executor (zg/exec.h) with zg_contracts_register_all.
 * Genesis from a genesis.json text through zg_exec_genesis, transactions in
 * lane-0 blocks (delegate, undelegate, a revert, value to a non-payable
 * method), views through zg_exec_call (eth_call), and the epoch-0 set read
 * by zg_staking_get_set through a read-only host over zg_state_storage (as
 * the validator role reads it).
 */
#include <jansson.h>

#include "chain/exec_util.h"
#include "zg/abi.h"
#include "zg/bls.h"
#include "zg/ed25519.h"
#include "zg/staking.h"

#define LANES 2u
#define ONE_ZG 1000000000000000000ull

static const zg_eth_addr_t zero_from;

typedef struct {
  char dir[256];
  zg_state_t *st[LANES];
  zg_sc_registry_t *reg;
  zg_exec_t *ex;
} chain_t;

typedef struct {
  zg_eth_addr_t op;
  uint8_t nk[32], bls[48], pop[96];
} gval_t;

static void gval(gval_t *v, unsigned n) {
  uint8_t seed[32] = {0}, ikm[32] = {0};
  zg_ed25519_pk_t pk;
  zg_ed25519_sk_t sk;
  zg_bls_sk_t bsk;
  zg_bls_pk_t bpk;
  zg_bls_sig_t pop;
  seed[0] = 7;
  seed[31] = (uint8_t)n;
  ikm[0] = 9;
  ikm[31] = (uint8_t)n;
  if (zg_ed25519_keypair_from_seed(&pk, &sk, seed) || zg_bls_keygen(&bsk, ikm, 32, NULL, 0) ||
      zg_bls_pop_prove(&pop, &bsk))
    abort();
  zg_bls_sk_to_pk(&bpk, &bsk);
  memcpy(v->nk, pk.bytes, 32);
  zg_bls_pk_serialize(v->bls, &bpk);
  zg_bls_sig_serialize(v->pop, &pop);
  v->op = xu_addr(5, n, 0, LANES); /* operators on lane 0, where Staking lives */
  zg_ed25519_sk_clear(&sk);
  zg_bls_sk_clear(&bsk);
}

/* genesis.json as zg devnet writes it, with Staking funded in alloc. */
static json_t *genesis_json(const gval_t *v, size_t n, const char *staking_fund) {
  json_t *g = json_object(), *vals = json_array(), *alloc = json_object();
  char t[200];
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_object();
    zg_hex_encode(t, v[i].nk, 32);
    json_object_set_new(o, "nodeKey", json_string(t));
    zg_hex_encode(t, v[i].bls, 48);
    json_object_set_new(o, "blsKey", json_string(t));
    zg_hex_encode(t, v[i].pop, 96);
    json_object_set_new(o, "blsPop", json_string(t));
    zg_eth_address_to_text(t, &v[i].op);
    json_object_set_new(o, "operator", json_string(t));
    json_object_set_new(o, "stake", json_string(i == 0 ? "2000000000000000000000" : "1000000000000000000000"));
    json_array_append_new(vals, o);
    json_object_set_new(alloc, t, json_string("1000000000000000000000000"));
  }
  if (staking_fund) json_object_set_new(alloc, ZG_STAKING_ADDRESS_TEXT, json_string(staking_fund));
  json_object_set_new(g, "chainId", json_integer(XU_CHAIN_ID));
  json_object_set_new(g, "lanes", json_integer(LANES));
  json_object_set_new(g, "maxValidators", json_integer(64));
  json_object_set_new(g, "unbondingEpochs", json_integer(2));
  json_object_set_new(g, "validators", vals);
  json_object_set_new(g, "alloc", alloc);
  return g;
}

/* The alloc entries of a genesis JSON, as the validator role passes them. */
static size_t alloc_of(const json_t *g, zg_genesis_alloc_t *out, size_t cap) {
  const char *k;
  json_t *val;
  size_t n = 0;
  json_object_foreach((json_t *)json_object_get(g, "alloc"), k, val) {
    if (n == cap) break;
    if (zg_eth_address_parse(&out[n].addr, k, strlen(k)) ||
        zg_u256_parse(&out[n].balance, json_string_value(val), json_string_length(val)))
      abort();
    n++;
  }
  return n;
}

static zg_err_t chain_open(chain_t *c, const json_t *g) {
  zg_genesis_alloc_t alloc[16];
  size_t n = alloc_of(g, alloc, 16);
  zg_u256_t bf = xu_u(1);
  memset(c, 0, sizeof *c);
  xu_mkdtemp(c->dir, sizeof c->dir, "staking");
  ZG_TRY(xu_open_lanes(c->st, c->dir, LANES, false));
  ZG_TRY(zg_sc_registry_new(&c->reg));
  ZG_TRY(zg_contracts_register_all(c->reg));
  ZG_TRY(zg_exec_create(&c->ex, c->st, LANES, c->reg, XU_CHAIN_ID, &bf));
  for (uint32_t l = 0; l < LANES; l++) ZG_TRY(zg_exec_genesis(c->ex, l, alloc, n, g, 0, NULL));
  return ZG_OK;
}

static void chain_close(chain_t *c) {
  zg_exec_destroy(c->ex);
  zg_sc_registry_free(c->reg);
  xu_close_lanes(c->st, LANES);
  xu_rm_rf(c->dir);
}

/* A read-only host over the lane-0 state's latest snapshot (sget only: all
 * zg_staking_get_set needs). */
static zg_err_t ro_sget(zg_sc_host_t *h, const uint8_t *k, size_t kl, zg_buf_t *out, bool *found) {
  out->len = 0;
  return zg_state_storage(h->ctx, &h->self, k, kl, out, found);
}

static void ro_host(zg_sc_host_t *h, zg_state_t *st) {
  memset(h, 0, sizeof *h);
  h->ctx = st;
  h->self = zg_staking_address;
  h->read_only = true;
  h->sget = ro_sget;
}

/* calldata for sig(args) */
static void calldata(zg_buf_t *out, const char *sig, const zg_abi_value_t *args, size_t n) {
  zg_abi_arena_t a;
  zg_abi_func_t f;
  zg_abi_arena_init(&a);
  out->len = 0;
  if (zg_abi_func_parse(&f, &a, sig) || zg_abi_call_encode(out, &f, args, n)) abort();
  zg_abi_arena_clear(&a);
}

/* eth_call of a view returning one uint256. */
static uint64_t call_u256_lo(chain_t *c, const char *sig, const zg_abi_value_t *args, size_t n) {
  zg_buf_t cd;
  zg_sc_result_t r;
  zg_buf_init(&cd);
  calldata(&cd, sig, args, n);
  zg_u256_t v = xu_u(UINT64_MAX);
  CHECK_OK(zg_exec_call(c->ex, &r, &zero_from, &zg_staking_address, NULL, cd.ptr, cd.len));
  if (r.status == ZG_SC_OK && r.ret.len >= 32) zg_u256_from_be32(&v, r.ret.ptr);
  else ZGT_FAIL("%s: %s", sig, r.reason);
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
  uint64_t rem;
  zg_u256_divmod_u64(&v, &rem, &v, ONE_ZG / 1000); /* in milli-ZG */
  return v.w[0];
}

/* A lane-0 transaction calling Staking. */
static zg_exec_tx_t staking_tx(const zg_eth_addr_t *from, uint64_t nonce, uint64_t value_zg, const zg_buf_t *cd) {
  zg_exec_tx_t t = xu_transfer(from, &zg_staking_address, nonce, 0, 10, 1);
  t.value = xu_u(value_zg);
  (void)zg_u256_mul_u64(&t.value, &t.value, ONE_ZG);
  t.data = cd->ptr;
  t.data_len = cd->len;
  t.gas_limit = 1000000;
  return t;
}

/* The end-of-block hook of the lane-0 block that ends an epoch. */
static zg_err_t end_epoch_hook(void *arg, zg_sc_host_t *host, const zg_block_ctx_t *ctx) {
  host->self = zg_staking_address;
  return zg_staking_end_epoch(host, *(const uint64_t *)arg, 64);
}

static void test_genesis_and_calls(void) {
  gval_t v[3];
  for (unsigned i = 0; i < 3; i++) gval(&v[i], i + 1);
  json_t *g = genesis_json(v, 3, "4000000000000000000000");
  chain_t c;
  CHECK_OK(chain_open(&c, g));

  /* The epoch-0 set through a read host, as the validator role reads it. */
  zg_sc_host_t h;
  zg_staking_set_t set;
  ro_host(&h, c.st[0]);
  CHECK_OK(zg_staking_get_set(&h, 0, &set));
  CHECK_EQ(set.n, 3);
  if (set.n == 3) {
    CHECK_MEM(set.members[0].operator_addr.bytes, v[0].op.bytes, 20); /* 2000 ZG first */
    CHECK_MEM(set.members[0].consensus_key, v[0].nk, 32);
    CHECK_EQ(set.members[0].power, 2000ull * 1000000000ull);
    /* 1000 ZG each: ordered by address */
    CHECK(memcmp(set.members[1].operator_addr.bytes, set.members[2].operator_addr.bytes, 20) < 0);
  }
  zg_staking_set_clear(&set);
  CHECK_ERR(zg_staking_get_set(&h, 1, &set), ZG_EEPOCH);
  CHECK_EQ(call_u256_lo(&c, "totalStaked()", NULL, 0), 4000000);

  /* Block 1 of lane 0: a delegation, an undelegation, a revert, and value
   * sent to a non-payable method. */
  zg_eth_addr_t del = v[1].op; /* a funded lane-0 account */
  zg_buf_t cd[4];
  for (int i = 0; i < 4; i++) zg_buf_init(&cd[i]);
  zg_abi_value_t a_val[1] = {zg_abi_address(v[0].op.bytes)};
  calldata(&cd[0], "delegate(address)", a_val, 1);
  zg_abi_value_t a_und[2] = {zg_abi_address(v[0].op.bytes), zg_abi_u64(3 * ONE_ZG)};
  calldata(&cd[1], "undelegate(address,uint256)", a_und, 2);
  zg_abi_value_t a_big[2] = {zg_abi_address(v[0].op.bytes), zg_abi_u64(11 * ONE_ZG)};
  calldata(&cd[2], "undelegate(address,uint256)", a_big, 2);
  calldata(&cd[3], "withdraw()", NULL, 0);
  zg_exec_tx_t txs[4] = {staking_tx(&del, 0, 10, &cd[0]), staking_tx(&del, 1, 0, &cd[1]),
                         staking_tx(&del, 2, 0, &cd[2]), staking_tx(&del, 3, 1, &cd[3])};
  zg_block_ctx_t ctx = xu_ctx(0, 1, 1, &v[2].op);
  uint64_t imp[LANES] = {0};
  zg_exec_result_t res;
  CHECK_OK(zg_exec_block(c.ex, &res, &ctx, imp, txs, 4));
  CHECK_EQ(res.n, 4);
  if (res.n == 4) {
    CHECK(!res.receipts[0].dropped && res.receipts[0].status == 1);
    CHECK_EQ(res.receipts[0].n_logs, 1);
    if (res.receipts[0].n_logs == 1) {
      uint8_t t0[32];
      zg_abi_event_topic(t0, "Delegated(address,address,uint256)", 34);
      CHECK_MEM(res.receipts[0].logs[0].topics[0], t0, 32);
      CHECK_MEM(res.receipts[0].logs[0].address.bytes, zg_staking_address.bytes, 20);
    }
    CHECK(res.receipts[1].status == 1);
    CHECK(res.receipts[2].status == 0);
    CHECK(strstr(res.receipts[2].reason, "undelegate more than delegated") != NULL);
    CHECK_EQ(res.receipts[2].n_logs, 0);
    CHECK(res.receipts[3].status == 0);
    CHECK(strstr(res.receipts[3].reason, "not payable") != NULL);
  }
  zg_exec_result_free(&res);
  zg_abi_value_t q[2] = {zg_abi_address(del.bytes), zg_abi_address(v[0].op.bytes)};
  CHECK_EQ(call_u256_lo(&c, "getDelegation(address,address)", q, 2), 7000);
  CHECK_EQ(call_u256_lo(&c, "totalStaked()", NULL, 0), 4007000);
  zg_abi_value_t pa[1] = {zg_abi_address(del.bytes)};
  CHECK_EQ(call_u256_lo(&c, "pendingUnbonding(address)", pa, 1), 3000);
  /* A state-changing method through eth_call reverts. */
  {
    zg_sc_result_t r;
    CHECK_OK(zg_exec_call(c.ex, &r, &del, &zg_staking_address, NULL, cd[1].ptr, cd[1].len));
    CHECK_EQ(r.status, ZG_SC_REVERT);
    zg_sc_result_free(&r);
  }

  /* Blocks 2 and 3 end epochs 0 and 1 through the executor's end-of-block
   * hook (as the validator role runs lane 0's last block of an epoch): the
   * set of epoch 1 appears, and the entry undelegated at epoch 0 matures. */
  for (uint64_t e = 1; e <= 2; e++) {
    zg_block_ctx_t ce = xu_ctx(0, 1 + e, 1, &v[2].op);
    ce.epoch = e - 1;
    ce.end_block = end_epoch_hook;
    ce.end_arg = &e;
    CHECK_OK(zg_exec_block(c.ex, &res, &ce, imp, NULL, 0));
    zg_exec_result_free(&res);
  }
  uint64_t cur = 0;
  CHECK_OK(zg_staking_current_epoch(&h, &cur));
  CHECK_EQ(cur, 2);
  CHECK_OK(zg_staking_get_set(&h, 1, &set));
  CHECK_EQ(set.n, 3);
  if (set.n == 3) CHECK_EQ(set.members[0].power, 2007ull * 1000000000ull); /* v0 with the delegation */
  zg_staking_set_clear(&set);
  {
    zg_buf_t r2;
    zg_sc_result_t r;
    zg_buf_init(&r2);
    calldata(&r2, "pendingUnbonding(address)", pa, 1);
    CHECK_OK(zg_exec_call(c.ex, &r, &zero_from, &zg_staking_address, NULL, r2.ptr, r2.len));
    CHECK(r.status == ZG_SC_OK && r.ret.len == 64);
    if (r.ret.len == 64) {
      zg_u256_t pend, wd, three = xu_u(3);
      zg_u256_from_be32(&pend, r.ret.ptr);
      zg_u256_from_be32(&wd, r.ret.ptr + 32);
      (void)zg_u256_mul_u64(&three, &three, ONE_ZG);
      CHECK(zg_u256_is_zero(&pend));
      CHECK(zg_u256_cmp(&wd, &three) == 0);
    }
    zg_sc_result_free(&r);
    zg_buf_clear(&r2);
  }
  /* Block 4: withdraw pays the delegator. */
  zg_account_t before, after;
  CHECK_OK(zg_state_account(c.st[0], &del, &before));
  zg_exec_tx_t wtx = staking_tx(&del, 4, 0, &cd[3]);
  zg_block_ctx_t c4 = xu_ctx(0, 4, 1, &v[2].op);
  c4.epoch = 2;
  CHECK_OK(zg_exec_block(c.ex, &res, &c4, imp, &wtx, 1));
  CHECK(res.n == 1 && res.receipts[0].status == 1);
  zg_exec_result_free(&res);
  CHECK_OK(zg_state_account(c.st[0], &del, &after));
  CHECK(zg_u256_cmp(&after.balance, &before.balance) > 0); /* +3 ZG, minus a small fee */
  for (int i = 0; i < 4; i++) zg_buf_clear(&cd[i]);
  chain_close(&c);
  json_decref(g);
}

/* Without Staking funded in alloc the genesis is refused, with a reason. */
static void test_genesis_unfunded(void) {
  gval_t v[1];
  gval(&v[0], 9);
  json_t *g = genesis_json(v, 1, NULL);
  chain_t c;
  CHECK_ERR(chain_open(&c, g), ZG_EREVERT);
  chain_close(&c);
  json_decref(g);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_genesis_and_calls);
  ZGT_RUN(test_genesis_unfunded);
  return zgt_done();
}

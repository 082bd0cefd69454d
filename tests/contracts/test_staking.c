/*
 * test_staking.c — the Staking contract (zg/staking.h) through the real
 * dispatcher (zg_sc_call over zg_contracts_register_all) against a small
 * in-memory host: sorted storage, balances, logs, and rollback of every
 * write when a call reverts (the executor's contract). Covers every method,
 * every revert reason, set ordering and ties, unbonding maturity across
 * epochs, slashing, genesis (C and JSON), and random operation sequences
 * with the books' invariants checked after each step.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "zg/abi.h"
#include "zg/bft.h"
#include "zg/bls.h"
#include "zg/ed25519.h"
#include "zg/hash.h"
#include "zg/staking.h"
#include "contracts/sc_memhost.h"
#include "contracts/staking_books.h"
#include "zg/syscontract.h"
#include "zg_test.h"

/* ---- the in-memory host (contracts/sc_memhost.h) ---- */

typedef struct {
  zg_sc_host_t h;
  mh_world_t w;
  zg_sc_registry_t *reg;
} env_t;

static const zg_eth_addr_t staking_addr = {ZG_STAKING_ADDRESS_BYTES};
static const zg_eth_addr_t zero_addr = {{0}};

static void env_init(env_t *e) {
  memset(e, 0, sizeof *e);
  mh_host_init(&e->h, &e->w, &staking_addr, 16888);
  if (zg_sc_registry_new(&e->reg) != ZG_OK || zg_contracts_register_all(e->reg) != ZG_OK) abort();
}

static void env_free(env_t *e) {
  mh_world_free(&e->w);
  zg_sc_registry_free(e->reg);
}

static zg_eth_addr_t addr_n(unsigned n) {
  zg_eth_addr_t a;
  memset(&a, 0, sizeof a);
  a.bytes[0] = 0xa0;
  a.bytes[18] = (uint8_t)(n >> 8);
  a.bytes[19] = (uint8_t)n;
  return a;
}

static zg_u256_t zg_(uint64_t whole) { /* whole ZG in wei */
  zg_u256_t r = zg_u256_from_u64(whole);
  (void)zg_u256_mul_u64(&r, &r, 1000000000000000000ull);
  return r;
}

static zg_u256_t u(uint64_t v) { return zg_u256_from_u64(v); }

/* An ABI uint256 value (the word is copied into the value). */
static zg_abi_value_t abi_u256_test(zg_u256_t v) {
  uint8_t w[32];
  zg_u256_to_be32(w, &v);
  return zg_abi_uint_be(w);
}

static void fund(env_t *e, const zg_eth_addr_t *a, const zg_u256_t *v) {
  zg_u256_t *b = mh_acct(&e->w, a);
  (void)zg_u256_add(b, b, v);
}

/* ---- calls ---- */

typedef struct {
  zg_sc_result_t r;
  zg_abi_arena_t a;
  const zg_abi_value_t *out; /* decoded return values (items of the tuple) */
} call_t;

/* Calls sig with args from caller with value (moved to the contract first,
 * as the executor does); rolls every change back when the call does not
 * succeed. ret_type: the return tuple to decode (NULL: none). */
static zg_sc_status_t callv(env_t *e, call_t *c, const zg_eth_addr_t *caller, const zg_u256_t *value, bool ro,
                            const char *sig, const char *ret_type, const zg_abi_value_t *args, size_t n) {
  zg_abi_func_t f;
  zg_buf_t cd;
  mh_world_t saved;
  memset(c, 0, sizeof *c);
  zg_abi_arena_init(&c->a);
  zg_buf_init(&cd);
  if (zg_abi_func_parse(&f, &c->a, sig) != ZG_OK || zg_abi_call_encode(&cd, &f, args, n) != ZG_OK) abort();
  mh_world_copy(&saved, &e->w);
  e->h.caller = *caller;
  e->h.value = value ? *value : u(0);
  e->h.read_only = ro;
  zg_u256_t *from = mh_acct(&e->w, caller), *to = mh_acct(&e->w, &staking_addr);
  if (!zg_u256_sub(from, from, &e->h.value)) abort();
  (void)zg_u256_add(to, to, &e->h.value);
  zg_err_t err = zg_sc_call(e->reg, &e->h, cd.ptr, cd.len, &c->r);
  if (err != ZG_OK && c->r.status != ZG_SC_FAIL) ZGT_FAIL("zg_sc_call -> %s", zg_errname(err));
  if (c->r.status != ZG_SC_OK) {
    mh_world_free(&e->w);
    e->w = saved;
  } else {
    mh_world_free(&saved);
    if (ret_type) {
      const zg_abi_type_t *t;
      zg_abi_value_t v;
      if (zg_abi_type_parse_str(&t, &c->a, ret_type) != ZG_OK) abort();
      zg_err_t de = zg_abi_decode(&v, &c->a, t, c->r.ret.ptr, c->r.ret.len);
      if (de != ZG_OK) ZGT_FAIL("return of %s does not decode as %s: %s", sig, ret_type, zg_errname(de));
      else c->out = v.u.items;
    }
  }
  e->h.read_only = false;
  zg_buf_clear(&cd);
  return c->r.status;
}

static void call_done(call_t *c) {
  zg_sc_result_free(&c->r);
  zg_abi_arena_clear(&c->a);
}

/* A call expected to succeed, result discarded. */
#define CALL_OK(e, caller, value, sig, ...)                                                   \
  do {                                                                                        \
    call_t c_;                                                                                \
    zg_abi_value_t a_[] = {__VA_ARGS__};                                                      \
    if (callv(e, &c_, caller, value, false, sig, NULL, a_, sizeof a_ / sizeof a_[0]) != ZG_SC_OK) \
      ZGT_FAIL("%s reverted: %s", sig, c_.r.reason);                                           \
    call_done(&c_);                                                                           \
  } while (0)

/* A call expected to revert with a reason containing want. */
#define CALL_REVERT(e, caller, value, want, sig, ...)                                           \
  do {                                                                                          \
    call_t c_;                                                                                  \
    zg_abi_value_t a_[] = {__VA_ARGS__};                                                        \
    zg_sc_status_t s_ = callv(e, &c_, caller, value, false, sig, NULL, a_, sizeof a_ / sizeof a_[0]); \
    if (s_ != ZG_SC_REVERT) ZGT_FAIL("%s: status %d, want a revert with \"%s\"", sig, (int)s_, want);   \
    else if (!strstr(c_.r.reason, want))                                                        \
      ZGT_FAIL("%s: reason \"%s\", want \"%s\"", sig, c_.r.reason, want);                        \
    else if (c_.r.ret.len < 4 || c_.r.ret.ptr[0] != 0x08 || c_.r.ret.ptr[1] != 0xc3)            \
      ZGT_FAIL("%s: revert data is not Error(string)", sig);                                     \
    call_done(&c_);                                                                             \
  } while (0)

static const zg_abi_value_t NOARGS[1];

/* The same for methods without arguments. */
#define CALL_OK0(e, caller, value, sig)                                         \
  do {                                                                          \
    call_t c_;                                                                  \
    if (callv(e, &c_, caller, value, false, sig, NULL, NOARGS, 0) != ZG_SC_OK)  \
      ZGT_FAIL("%s reverted: %s", sig, c_.r.reason);                             \
    call_done(&c_);                                                             \
  } while (0)

#define CALL_REVERT0(e, caller, value, want, sig)                                         \
  do {                                                                                    \
    call_t c_;                                                                            \
    zg_sc_status_t s_ = callv(e, &c_, caller, value, false, sig, NULL, NOARGS, 0);        \
    if (s_ != ZG_SC_REVERT) ZGT_FAIL("%s: status %d, want a revert with \"%s\"", sig, (int)s_, want); \
    else if (!strstr(c_.r.reason, want))                                                  \
      ZGT_FAIL("%s: reason \"%s\", want \"%s\"", sig, c_.r.reason, want);                  \
    call_done(&c_);                                                                       \
  } while (0)

/* ---- views ---- */

static zg_u256_t word_u256(const zg_abi_value_t *v) {
  uint8_t w[32];
  zg_u256_t r = u(0);
  if (zg_abi_get_word(w, v) == ZG_OK) zg_u256_from_be32(&r, w);
  return r;
}

static zg_u256_t view_delegation(env_t *e, const zg_eth_addr_t *del, const zg_eth_addr_t *val) {
  call_t c;
  zg_abi_value_t a[2] = {zg_abi_address(del->bytes), zg_abi_address(val->bytes)};
  zg_u256_t r = u(0);
  if (callv(e, &c, del, NULL, true, "getDelegation(address,address)", "(uint256)", a, 2) == ZG_SC_OK && c.out)
    r = word_u256(&c.out[0]);
  call_done(&c);
  return r;
}

typedef struct {
  zg_u256_t self, total, slashed;
  bool jailed, found;
  uint64_t commission;
  uint8_t ckey[32];
} vview_t;

static vview_t view_validator(env_t *e, const zg_eth_addr_t *op) {
  call_t c;
  vview_t v;
  memset(&v, 0, sizeof v);
  zg_abi_value_t a[1] = {zg_abi_address(op->bytes)};
  if (callv(e, &c, op, NULL, true, "getValidator(address)", "(bytes32,bytes,uint16,uint256,uint256,bool,uint256)", a,
            1) == ZG_SC_OK &&
      c.out) {
    v.found = true;
    CHECK_OK(zg_abi_get_word(v.ckey, &c.out[0]));
    CHECK_OK(zg_abi_get_u64(&v.commission, &c.out[2]));
    v.self = word_u256(&c.out[3]);
    v.total = word_u256(&c.out[4]);
    CHECK_OK(zg_abi_get_bool(&v.jailed, &c.out[5]));
    v.slashed = word_u256(&c.out[6]);
  }
  call_done(&c);
  return v;
}

static void view_pending(env_t *e, const zg_eth_addr_t *del, zg_u256_t *pend, zg_u256_t *wd) {
  call_t c;
  zg_abi_value_t a[1] = {zg_abi_address(del->bytes)};
  *pend = *wd = u(0);
  if (callv(e, &c, del, NULL, true, "pendingUnbonding(address)", "(uint256,uint256)", a, 1) == ZG_SC_OK && c.out) {
    *pend = word_u256(&c.out[0]);
    *wd = word_u256(&c.out[1]);
  }
  call_done(&c);
}

static zg_u256_t view_total(env_t *e) {
  call_t c;
  zg_u256_t r = u(0);
  if (callv(e, &c, &zero_addr, NULL, true, "totalStaked()", "(uint256)", NOARGS, 0) == ZG_SC_OK && c.out)
    r = word_u256(&c.out[0]);
  call_done(&c);
  return r;
}

static bool u256_eq(const zg_u256_t *a, const zg_u256_t *b) { return zg_u256_cmp(a, b) == 0; }

#define CHECK_U256(a, b)                                                           \
  do {                                                                             \
    zg_u256_t x_ = (a), y_ = (b);                                                  \
    if (!u256_eq(&x_, &y_)) {                                                      \
      char sx_[ZG_U256_DEC_MAX], sy_[ZG_U256_DEC_MAX];                             \
      zg_u256_to_dec(sx_, &x_);                                                    \
      zg_u256_to_dec(sy_, &y_);                                                    \
      ZGT_FAIL("%s == %s (%s != %s)", #a, #b, sx_, sy_);                           \
    }                                                                              \
  } while (0)

/* ---- keys, validators, votes ---- */

typedef struct {
  zg_eth_addr_t op;
  zg_ed25519_pk_t npk;
  zg_ed25519_sk_t nsk;
  uint8_t bls[48], pop[96];
} vkeys_t;

static void vkeys(vkeys_t *k, unsigned n) {
  uint8_t seed[32], ikm[32];
  zg_bls_sk_t sk;
  zg_bls_pk_t pk;
  zg_bls_sig_t pop;
  memset(seed, 0, 32);
  seed[0] = 0x5e;
  seed[31] = (uint8_t)n;
  seed[30] = (uint8_t)(n >> 8);
  memcpy(ikm, seed, 32);
  ikm[1] = 0xb1;
  k->op = addr_n(n);
  if (zg_ed25519_keypair_from_seed(&k->npk, &k->nsk, seed) != ZG_OK || zg_bls_keygen(&sk, ikm, 32, NULL, 0) != ZG_OK ||
      zg_bls_pop_prove(&pop, &sk) != ZG_OK)
    abort();
  zg_bls_sk_to_pk(&pk, &sk);
  zg_bls_pk_serialize(k->bls, &pk);
  zg_bls_sig_serialize(k->pop, &pop);
  zg_bls_sk_clear(&sk);
}

static zg_sc_status_t do_register(env_t *e, const vkeys_t *k, const zg_u256_t *stake, uint64_t comm, char *reason) {
  call_t c;
  zg_abi_value_t a[4] = {zg_abi_fbytes(k->npk.bytes, 32), zg_abi_bytes(k->bls, 48), zg_abi_bytes(k->pop, 96),
                         zg_abi_u64(comm)};
  fund(e, &k->op, stake);
  zg_sc_status_t s =
      callv(e, &c, &k->op, stake, false, "registerValidator(bytes32,bytes,bytes,uint16)", NULL, a, 4);
  if (reason) snprintf(reason, 256, "%s", c.r.reason);
  if (s != ZG_SC_OK) {
    zg_u256_t *b = mh_acct(&e->w, &k->op); /* take the funding back */
    (void)zg_u256_sub(b, b, stake);
  }
  call_done(&c);
  return s;
}

static void must_register(env_t *e, const vkeys_t *k, const zg_u256_t *stake) {
  char why[256];
  if (do_register(e, k, stake, 500, why) != ZG_SC_OK) ZGT_FAIL("register: %s", why);
}

static void delegate(env_t *e, const zg_eth_addr_t *del, const zg_eth_addr_t *val, const zg_u256_t *amount) {
  fund(e, del, amount);
  CALL_OK(e, del, amount, "delegate(address)", zg_abi_address(val->bytes));
}

/* A vote in zg/bft.h's encoding, signed by k. */
static void make_vote(uint8_t out[121], const vkeys_t *k, uint32_t chain, uint8_t lane, uint64_t epoch, uint64_t round,
                      uint8_t block_byte, uint32_t signer) {
  uint8_t msg[63];
  zg_store_be32(out, chain);
  out[4] = lane;
  zg_store_be64(out + 5, epoch);
  zg_store_be64(out + 13, round);
  memset(out + 21, block_byte, 32);
  zg_store_be32(out + 53, signer);
  memcpy(msg, "zg/vote/v1", 10);
  memcpy(msg + 10, out, 53);
  if (zg_ed25519_sign(out + 57, &k->nsk, msg, sizeof msg) != ZG_OK) abort();
}

static void end_epoch(env_t *e, uint32_t maxv) {
  uint64_t cur;
  CHECK_OK(zg_staking_current_epoch(&e->h, &cur));
  CHECK_OK(zg_staking_end_epoch(&e->h, cur + 1, maxv));
}

/* The invariants of the books (contracts/staking_books.h). */
static void check_books(env_t *e) {
  const char *why = staking_books_check(&e->w);
  if (why) ZGT_FAIL("books: %s", why);
}

static const mh_log_t *last_log(env_t *e) { return e->w.nlogs ? &e->w.logs[e->w.nlogs - 1] : NULL; }

static void check_topic0(const mh_log_t *l, const char *sig) {
  uint8_t t[32];
  zg_abi_event_topic(t, sig, strlen(sig));
  CHECK(l != NULL);
  if (l) CHECK_MEM(l->topics[0], t, 32);
}

static void check_addr_topic(const mh_log_t *l, unsigned i, const zg_eth_addr_t *a) {
  uint8_t t[32] = {0};
  memcpy(t + 12, a->bytes, 20);
  CHECK(l && l->n_topics > i);
  if (l && l->n_topics > i) CHECK_MEM(l->topics[i], t, 32);
}

/* An environment with genesis defaults (min self-bond 1 ZG, unbonding 2). */
static void env_genesis(env_t *e, const vkeys_t *ks, const uint64_t *stakes_zg, size_t n) {
  zg_staking_genesis_t g;
  zg_staking_genesis_validator_t gv[16];
  zg_sc_result_t r;
  env_init(e);
  zg_staking_genesis_defaults(&g);
  for (size_t i = 0; i < n; i++) {
    memset(&gv[i], 0, sizeof gv[i]);
    gv[i].operator_addr = ks[i].op;
    memcpy(gv[i].consensus_key, ks[i].npk.bytes, 32);
    memcpy(gv[i].bls_pubkey, ks[i].bls, 48);
    memcpy(gv[i].bls_pop, ks[i].pop, 96);
    gv[i].stake = zg_(stakes_zg[i]);
    gv[i].commission_bps = 1000;
    fund(e, &staking_addr, &gv[i].stake);
  }
  g.validators = gv;
  g.n_validators = n;
  memset(&r, 0, sizeof r);
  zg_buf_init(&r.ret);
  zg_sc_status_t s = zg_staking_genesis_apply(&e->h, &g, &r);
  if (s != ZG_SC_OK) ZGT_FAIL("genesis: %s", r.reason);
  zg_sc_result_free(&r);
}

/* ---- cases ---- */

static void test_registry(void) {
  zg_sc_registry_t *r;
  CHECK_OK(zg_sc_registry_new(&r));
  CHECK_OK(zg_contracts_register_all(r));
  CHECK(zg_sc_count(r) >= 1); /* Staking first; other contracts follow it */
  CHECK(zg_sc_at(r, 0) == &zg_staking_contract);
  const zg_sc_contract_t *c = zg_sc_find(r, &staking_addr);
  CHECK(c == &zg_staking_contract);
  CHECK_EQ(c ? c->lane : 99, 0);
  zg_eth_addr_t parsed;
  CHECK_OK(zg_eth_address_parse(&parsed, ZG_STAKING_ADDRESS_TEXT, strlen(ZG_STAKING_ADDRESS_TEXT)));
  CHECK_MEM(parsed.bytes, staking_addr.bytes, 20);
  CHECK_MEM(zg_staking_address.bytes, staking_addr.bytes, 20);
  CHECK_ERR(zg_contracts_register_all(r), ZG_EEXIST); /* twice: duplicate address */
  uint64_t gas = 0;
  uint8_t sel[4];
  zg_abi_selector(sel, "delegate(address)", 17);
  CHECK_OK(zg_sc_gas(r, &staking_addr, sel, 4, &gas));
  CHECK(gas > 0);
  zg_sc_registry_free(r);
}

static void test_genesis(void) {
  vkeys_t k[3];
  for (unsigned i = 0; i < 3; i++) vkeys(&k[i], i + 1);
  uint64_t stakes[3] = {100, 300, 200};
  env_t e;
  env_genesis(&e, k, stakes, 3);
  zg_staking_set_t s;
  CHECK_OK(zg_staking_get_set(&e.h, 0, &s));
  CHECK_EQ(s.n, 3);
  if (s.n == 3) {
    CHECK_MEM(s.members[0].operator_addr.bytes, k[1].op.bytes, 20); /* 300 */
    CHECK_MEM(s.members[1].operator_addr.bytes, k[2].op.bytes, 20); /* 200 */
    CHECK_MEM(s.members[2].operator_addr.bytes, k[0].op.bytes, 20); /* 100 */
    CHECK_MEM(s.members[0].consensus_key, k[1].npk.bytes, 32);
    CHECK_MEM(s.members[0].bls_pubkey, k[1].bls, 48);
    CHECK_EQ(s.members[0].power, 300ull * 1000000000ull);
    CHECK_EQ(s.total_power, 600ull * 1000000000ull);
    CHECK_U256(s.total_stake, zg_(600));
  }
  zg_staking_set_clear(&s);
  CHECK_ERR(zg_staking_get_set(&e.h, 1, &s), ZG_EEPOCH);
  CHECK_EQ(s.n, 0);
  CHECK_U256(view_total(&e), zg_(600));
  vview_t v = view_validator(&e, &k[1].op);
  CHECK(v.found && !v.jailed);
  CHECK_EQ(v.commission, 1000);
  CHECK_U256(v.self, zg_(300));
  CHECK_U256(v.total, zg_(300));
  CHECK_MEM(v.ckey, k[1].npk.bytes, 32);
  check_books(&e);
  env_free(&e);

  /* Underfunded: the stake must be in Staking's balance. */
  zg_staking_genesis_t g;
  zg_staking_genesis_validator_t gv;
  zg_sc_result_t r;
  env_init(&e);
  zg_staking_genesis_defaults(&g);
  memset(&gv, 0, sizeof gv);
  gv.operator_addr = k[0].op;
  memcpy(gv.consensus_key, k[0].npk.bytes, 32);
  memcpy(gv.bls_pubkey, k[0].bls, 48);
  memcpy(gv.bls_pop, k[0].pop, 96);
  gv.stake = zg_(10);
  g.validators = &gv;
  g.n_validators = 1;
  memset(&r, 0, sizeof r);
  zg_buf_init(&r.ret);
  CHECK_EQ(zg_staking_genesis_apply(&e.h, &g, &r), ZG_SC_REVERT);
  CHECK(strstr(r.reason, "fund it in alloc") != NULL);
  /* A bad PoP (another key's) is refused at genesis too. */
  fund(&e, &staking_addr, &gv.stake);
  memcpy(gv.bls_pop, k[1].pop, 96);
  CHECK_EQ(zg_staking_genesis_apply(&e.h, &g, &r), ZG_SC_REVERT);
  CHECK(strstr(r.reason, "proof of possession") != NULL);
  g.max_validators = 0;
  CHECK_EQ(zg_staking_genesis_apply(&e.h, &g, &r), ZG_SC_REVERT);
  zg_sc_result_free(&r);
  env_free(&e);

  /* A stake under 1 gwei (allowed by a tiny minSelfBond) has no voting
   * power: registered, but not in the set. */
  env_init(&e);
  zg_staking_genesis_defaults(&g);
  g.min_self_bond = u(1);
  memcpy(gv.bls_pop, k[0].pop, 96);
  gv.stake = u(999999999);
  fund(&e, &staking_addr, &gv.stake);
  g.validators = &gv;
  g.n_validators = 1;
  memset(&r, 0, sizeof r);
  zg_buf_init(&r.ret);
  CHECK_EQ(zg_staking_genesis_apply(&e.h, &g, &r), ZG_SC_OK);
  CHECK(view_validator(&e, &k[0].op).found);
  CHECK_OK(zg_staking_get_set(&e.h, 0, &s));
  CHECK_EQ(s.n, 0);
  zg_staking_set_clear(&s);
  zg_sc_result_free(&r);
  env_free(&e);
}

/* The JSON genesis hook with genesis.json's format (docs/chain.md). */
static void test_genesis_json(void) {
  vkeys_t k[2];
  vkeys(&k[0], 11);
  vkeys(&k[1], 12);
  char op0[43], op1[43], nk0[67], nk1[67], bk0[99], bk1[99], pp0[195], pp1[195], text[2048];
  zg_eth_address_to_text(op0, &k[0].op);
  zg_eth_address_to_text(op1, &k[1].op);
  zg_hex_encode(nk0, k[0].npk.bytes, 32);
  zg_hex_encode(nk1, k[1].npk.bytes, 32);
  zg_hex_encode(bk0, k[0].bls, 48);
  zg_hex_encode(bk1, k[1].bls, 48);
  zg_hex_encode(pp0, k[0].pop, 96);
  zg_hex_encode(pp1, k[1].pop, 96);
  snprintf(text, sizeof text,
           "{\"chainId\": 16888, \"lanes\": 2, \"epochLength\": 100, \"maxValidators\": 1, \"unbondingEpochs\": 3,"
           " \"validators\": ["
           "{\"name\": \"v0\", \"nodeKey\": \"%s\", \"blsKey\": \"%s\", \"blsPop\": \"%s\", \"operator\": \"%s\","
           " \"stake\": \"1000000000000000000000\", \"p2p\": \"127.0.0.1:26656\"},"
           "{\"name\": \"v1\", \"nodeKey\": \"%s\", \"blsKey\": \"%s\", \"blsPop\": \"%s\", \"operator\": \"%s\","
           " \"stake\": \"2000000000000000000000\", \"commissionBps\": 250}],"
           " \"alloc\": {}}",
           nk0, bk0, pp0, op0, nk1, bk1, pp1, op1);
  json_error_t jerr;
  json_t *j = json_loads(text, 0, &jerr);
  CHECK(j != NULL);
  env_t e;
  env_init(&e);
  zg_u256_t need = zg_(3000);
  fund(&e, &staking_addr, &need);
  zg_sc_result_t r;
  memset(&r, 0, sizeof r);
  zg_buf_init(&r.ret);
  CHECK(zg_staking_contract.genesis != NULL);
  zg_sc_status_t s = zg_staking_contract.genesis(&e.h, j, &r);
  if (s != ZG_SC_OK) ZGT_FAIL("genesis hook: %s", r.reason);
  zg_staking_set_t set;
  CHECK_OK(zg_staking_get_set(&e.h, 0, &set));
  CHECK_EQ(set.n, 1); /* maxValidators 1 */
  if (set.n == 1) CHECK_MEM(set.members[0].operator_addr.bytes, k[1].op.bytes, 20);
  zg_staking_set_clear(&set);
  CHECK_EQ(view_validator(&e, &k[1].op).commission, 250);
  call_t c;
  if (callv(&e, &c, &zero_addr, NULL, true, "params()", "(uint64,uint256,uint16,uint16)", NOARGS, 0) == ZG_SC_OK &&
      c.out) {
    uint64_t ub = 0, sb = 0, rb = 0;
    CHECK_OK(zg_abi_get_u64(&ub, &c.out[0]));
    CHECK_OK(zg_abi_get_u64(&sb, &c.out[2]));
    CHECK_OK(zg_abi_get_u64(&rb, &c.out[3]));
    CHECK_EQ(ub, 3);
    CHECK_EQ(sb, ZG_STAKING_SLASH_BPS);
    CHECK_EQ(rb, ZG_STAKING_REPORTER_BPS);
  } else {
    ZGT_FAIL("params() failed: %s", c.r.reason);
  }
  call_done(&c);
  env_free(&e);
  json_decref(j);

  /* Malformed entries are reverts naming the field. */
  static const char *bad[] = {
      "{\"validators\": 5}",
      "{\"validators\": [{\"operator\": \"0x12\"}]}",
      "{\"maxValidators\": 0}",
      "{\"unbondingEpochs\": -1}",
      "{\"minSelfBond\": \"ten\"}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    json_t *b = json_loads(bad[i], 0, &jerr);
    env_init(&e);
    CHECK_EQ(zg_staking_contract.genesis(&e.h, b, &r), ZG_SC_REVERT);
    CHECK(strstr(r.reason, "Staking genesis") != NULL);
    env_free(&e);
    json_decref(b);
  }
  /* No JSON at all: defaults, an empty set for epoch 0. */
  env_init(&e);
  CHECK_EQ(zg_staking_contract.genesis(&e.h, NULL, &r), ZG_SC_OK);
  CHECK_OK(zg_staking_get_set(&e.h, 0, &set));
  CHECK_EQ(set.n, 0);
  zg_staking_set_clear(&set);
  env_free(&e);
  zg_sc_result_free(&r);
}

static void test_register(void) {
  vkeys_t k[4];
  for (unsigned i = 0; i < 4; i++) vkeys(&k[i], 20 + i);
  env_t e;
  env_genesis(&e, k, (uint64_t[]){100}, 1);
  char why[256];
  zg_u256_t stake = zg_(5);
  size_t logs0 = e.w.nlogs;
  CHECK_EQ(do_register(&e, &k[1], &stake, 700, why), ZG_SC_OK);
  CHECK_EQ(e.w.nlogs, logs0 + 1);
  const mh_log_t *l = last_log(&e);
  check_topic0(l, "ValidatorRegistered(address,bytes32,uint256,uint16)");
  check_addr_topic(l, 1, &k[1].op);
  if (l) CHECK_MEM(l->topics[2], k[1].npk.bytes, 32);
  vview_t v = view_validator(&e, &k[1].op);
  CHECK(v.found);
  CHECK_EQ(v.commission, 700);
  CHECK_U256(v.self, stake);
  CHECK_U256(view_total(&e), zg_(105));

  /* Every refusal, each leaving no trace. */
  size_t nkv = e.w.n;
  CHECK_EQ(do_register(&e, &k[1], &stake, 700, why), ZG_SC_REVERT); /* same operator */
  CHECK(strstr(why, "already registered") != NULL);
  vkeys_t x = k[2];
  x.npk = k[1].npk; /* another operator with k[1]'s consensus key */
  CHECK_EQ(do_register(&e, &x, &stake, 0, why), ZG_SC_REVERT);
  CHECK(strstr(why, "consensus key already registered") != NULL);
  x = k[2];
  memcpy(x.bls, k[1].bls, 48);
  memcpy(x.pop, k[1].pop, 96);
  CHECK_EQ(do_register(&e, &x, &stake, 0, why), ZG_SC_REVERT);
  CHECK(strstr(why, "BLS key already registered") != NULL);
  x = k[2];
  memcpy(x.pop, k[3].pop, 96); /* a valid signature, but for another key */
  CHECK_EQ(do_register(&e, &x, &stake, 0, why), ZG_SC_REVERT);
  CHECK(strstr(why, "invalid BLS proof of possession") != NULL);
  x = k[2];
  x.pop[5] ^= 1; /* not a G2 point any more (or not this one) */
  CHECK_EQ(do_register(&e, &x, &stake, 0, why), ZG_SC_REVERT);
  CHECK(strstr(why, "invalid BLS proof of possession") != NULL);
  x = k[2];
  memset(x.bls, 0, 48);
  x.bls[0] = 0xc0; /* the identity: KeyValidate refuses it */
  CHECK_EQ(do_register(&e, &x, &stake, 0, why), ZG_SC_REVERT);
  CHECK(strstr(why, "invalid BLS public key") != NULL);
  x = k[2];
  memset(x.npk.bytes, 0, 32); /* a small-order point */
  CHECK_EQ(do_register(&e, &x, &stake, 0, why), ZG_SC_REVERT);
  CHECK(strstr(why, "invalid consensus key") != NULL);
  zg_u256_t tiny = u(999);
  CHECK_EQ(do_register(&e, &k[2], &tiny, 0, why), ZG_SC_REVERT);
  CHECK(strstr(why, "below the minimum") != NULL);
  CHECK_EQ(do_register(&e, &k[2], &stake, 10001, why), ZG_SC_REVERT);
  CHECK(strstr(why, "commission") != NULL);
  /* A BLS key of the wrong length, through the ABI. */
  fund(&e, &k[2].op, &stake);
  CALL_REVERT(&e, &k[2].op, &stake, "invalid BLS public key", "registerValidator(bytes32,bytes,bytes,uint16)",
              zg_abi_fbytes(k[2].npk.bytes, 32), zg_abi_bytes(k[2].bls, 47), zg_abi_bytes(k[2].pop, 96),
              zg_abi_u64(0));
  /* uint16 out of range is malformed calldata (encoded as uint256 under
   * the real selector). */
  {
    zg_abi_arena_t a;
    zg_abi_func_t f;
    zg_buf_t cd;
    zg_sc_result_t r;
    zg_abi_arena_init(&a);
    zg_buf_init(&cd);
    zg_abi_value_t args[4] = {zg_abi_fbytes(k[2].npk.bytes, 32), zg_abi_bytes(k[2].bls, 48),
                              zg_abi_bytes(k[2].pop, 96), zg_abi_u64(70000)};
    CHECK_OK(zg_abi_func_parse(&f, &a, "registerValidator(bytes32,bytes,bytes,uint256)"));
    CHECK_OK(zg_abi_call_encode(&cd, &f, args, 4));
    zg_abi_selector(cd.ptr, "registerValidator(bytes32,bytes,bytes,uint16)", 45);
    e.h.caller = k[2].op;
    e.h.value = u(0);
    CHECK_OK(zg_sc_call(e.reg, &e.h, cd.ptr, cd.len, &r));
    CHECK_EQ(r.status, ZG_SC_REVERT);
    CHECK(strstr(r.reason, "malformed arguments") != NULL);
    zg_sc_result_free(&r);
    zg_buf_clear(&cd);
    zg_abi_arena_clear(&a);
  }
  CHECK_EQ(e.w.n, nkv);
  CHECK_EQ(e.w.nlogs, logs0 + 1);
  /* k[2] registers fine with its own keys afterwards. */
  CHECK_EQ(do_register(&e, &k[2], &stake, 0, why), ZG_SC_OK);
  check_books(&e);
  env_free(&e);
}

static void test_delegate(void) {
  vkeys_t k[3];
  for (unsigned i = 0; i < 3; i++) vkeys(&k[i], 30 + i);
  env_t e;
  env_genesis(&e, k, (uint64_t[]){100, 50}, 2);
  zg_eth_addr_t d1 = addr_n(900), d2 = addr_n(901);
  zg_u256_t ten = zg_(10), one = zg_(1);
  delegate(&e, &d1, &k[0].op, &ten);
  const mh_log_t *l = last_log(&e);
  check_topic0(l, "Delegated(address,address,uint256)");
  check_addr_topic(l, 1, &d1);
  check_addr_topic(l, 2, &k[0].op);
  delegate(&e, &d1, &k[0].op, &one);
  delegate(&e, &d2, &k[1].op, &one);
  CHECK_U256(view_delegation(&e, &d1, &k[0].op), zg_(11));
  CHECK_U256(view_delegation(&e, &d2, &k[1].op), zg_(1));
  CHECK_U256(view_delegation(&e, &d2, &k[0].op), u(0));
  CHECK_U256(view_validator(&e, &k[0].op).total, zg_(111));
  CHECK_U256(view_validator(&e, &k[0].op).self, zg_(100));
  CHECK_U256(view_total(&e), zg_(162));
  /* The operator adding to its own bond raises the self-bond. */
  delegate(&e, &k[1].op, &k[1].op, &one);
  CHECK_U256(view_validator(&e, &k[1].op).self, zg_(51));

  fund(&e, &d1, &ten);
  CALL_REVERT(&e, &d1, NULL, "needs a value", "delegate(address)", zg_abi_address(k[0].op.bytes));
  CALL_REVERT(&e, &d1, &one, "unknown validator", "delegate(address)", zg_abi_address(k[2].op.bytes));
  CHECK(!view_validator(&e, &k[2].op).found); /* getValidator reverts "unknown validator" */
  {
    call_t c;
    zg_abi_value_t a[1] = {zg_abi_address(k[2].op.bytes)};
    CHECK_EQ(callv(&e, &c, &d1, NULL, true, "getValidator(address)", NULL, a, 1), ZG_SC_REVERT);
    CHECK(strstr(c.r.reason, "unknown validator") != NULL);
    call_done(&c);
  }
  /* Value sent to a non-payable method: refused by the dispatcher. */
  CALL_REVERT(&e, &d1, &one, "not payable", "undelegate(address,uint256)", zg_abi_address(k[0].op.bytes),
              zg_abi_u64(1));
  CALL_REVERT0(&e, &d1, &one, "not payable", "withdraw()");
  CALL_REVERT(&e, &d1, &one, "not payable", "setCommission(uint16)", zg_abi_u64(1));
  CALL_REVERT(&e, &d1, &one, "not payable", "submitEquivocation(bytes,bytes)", zg_abi_bytes("", 0),
              zg_abi_bytes("", 0));
  /* A state-changing method in a read-only call (eth_call). */
  {
    call_t c;
    zg_abi_value_t a[1] = {zg_abi_address(k[0].op.bytes)};
    CHECK_EQ(callv(&e, &c, &d1, NULL, true, "undelegate(address,uint256)", NULL,
                   (zg_abi_value_t[]){a[0], zg_abi_u64(1)}, 2),
             ZG_SC_REVERT);
    call_done(&c);
  }
  /* The caller's value came back with each revert. */
  CHECK_U256(*mh_acct(&e.w, &d1), ten);
  check_books(&e);
  env_free(&e);
}

static void test_unbonding(void) {
  vkeys_t k[2];
  for (unsigned i = 0; i < 2; i++) vkeys(&k[i], 40 + i);
  env_t e;
  env_genesis(&e, k, (uint64_t[]){100, 100}, 2);
  zg_eth_addr_t d = addr_n(950);
  zg_u256_t ten = zg_(10), three = zg_(3), p, w;
  delegate(&e, &d, &k[0].op, &ten);
  CALL_REVERT(&e, &d, NULL, "undelegate more than delegated", "undelegate(address,uint256)",
              zg_abi_address(k[0].op.bytes), abi_u256_test(zg_(11)));
  CALL_REVERT(&e, &d, NULL, "undelegate more than delegated", "undelegate(address,uint256)",
              zg_abi_address(k[1].op.bytes), zg_abi_u64(1));
  CALL_REVERT(&e, &d, NULL, "zero", "undelegate(address,uint256)", zg_abi_address(k[0].op.bytes), zg_abi_u64(0));
  CALL_REVERT(&e, &d, NULL, "unknown validator", "undelegate(address,uint256)", zg_abi_address(d.bytes),
              zg_abi_u64(1));
  CALL_REVERT0(&e, &d, NULL, "nothing to withdraw", "withdraw()");

  /* Epoch 0: undelegate 3; matures at epoch 2 (unbonding 2). */
  CALL_OK(&e, &d, NULL, "undelegate(address,uint256)", zg_abi_address(k[0].op.bytes), abi_u256_test(three));
  const mh_log_t *l = last_log(&e);
  check_topic0(l, "Undelegated(address,address,uint256,uint64)");
  check_addr_topic(l, 1, &d);
  check_addr_topic(l, 2, &k[0].op);
  CHECK_U256(view_delegation(&e, &d, &k[0].op), zg_(7));
  CHECK_U256(view_validator(&e, &k[0].op).total, zg_(107));
  view_pending(&e, &d, &p, &w);
  CHECK_U256(p, three);
  CHECK_U256(w, u(0));
  CALL_REVERT0(&e, &d, NULL, "nothing matured yet", "withdraw()");
  end_epoch(&e, 64); /* -> 1 */
  /* A second entry at epoch 1, maturing at epoch 3. */
  CALL_OK(&e, &d, NULL, "undelegate(address,uint256)", zg_abi_address(k[0].op.bytes), abi_u256_test(zg_(1)));
  CALL_REVERT0(&e, &d, NULL, "nothing matured yet", "withdraw()");
  end_epoch(&e, 64); /* -> 2: the first entry matures */
  view_pending(&e, &d, &p, &w);
  CHECK_U256(p, zg_(1));
  CHECK_U256(w, three);
  zg_u256_t before = *mh_acct(&e.w, &d);
  {
    call_t c;
    CHECK_EQ(callv(&e, &c, &d, NULL, false, "withdraw()", "(uint256)", NOARGS, 0), ZG_SC_OK);
    if (c.out) CHECK_U256(word_u256(&c.out[0]), three);
    call_done(&c);
  }
  check_topic0(last_log(&e), "Withdrawn(address,uint256)");
  zg_u256_t after = *mh_acct(&e.w, &d), diff;
  (void)zg_u256_sub(&diff, &after, &before);
  CHECK_U256(diff, three);
  CALL_REVERT0(&e, &d, NULL, "nothing matured yet", "withdraw()");
  end_epoch(&e, 64); /* -> 3 */
  CALL_OK0(&e, &d, NULL, "withdraw()");
  view_pending(&e, &d, &p, &w);
  CHECK_U256(p, u(0));
  CHECK_U256(w, u(0));
  CALL_REVERT0(&e, &d, NULL, "nothing to withdraw", "withdraw()");

  /* The operator's self-bond: all or down to the minimum, not below. */
  zg_u256_t most = zg_(100), half = zg_(1);
  zg_u256_divmod_u64(&half, NULL, &half, 2);
  (void)zg_u256_sub(&most, &most, &half); /* leaves 0.5 ZG < 1 ZG */
  CALL_REVERT(&e, &k[1].op, NULL, "below the minimum", "undelegate(address,uint256)",
              zg_abi_address(k[1].op.bytes), abi_u256_test(most));
  CALL_OK(&e, &k[1].op, NULL, "undelegate(address,uint256)", zg_abi_address(k[1].op.bytes),
          abi_u256_test(zg_(100))); /* all of it: allowed, the validator leaves the set */
  end_epoch(&e, 64);
  zg_staking_set_t s;
  CHECK_OK(zg_staking_get_set(&e.h, 4, &s));
  CHECK_EQ(s.n, 1);
  if (s.n == 1) CHECK_MEM(s.members[0].operator_addr.bytes, k[0].op.bytes, 20);
  zg_staking_set_clear(&s);
  /* Nobody else may delegate to a validator without a self-bond. */
  zg_u256_t one = zg_(1);
  fund(&e, &d, &one);
  CALL_REVERT(&e, &d, &one, "no self-bond", "delegate(address)", zg_abi_address(k[1].op.bytes));
  check_books(&e);
  env_free(&e);
}

static void test_commission(void) {
  vkeys_t k[1];
  vkeys(&k[0], 50);
  env_t e;
  env_genesis(&e, k, (uint64_t[]){10}, 1); /* genesis commission 1000 */
  zg_eth_addr_t d = addr_n(960);
  CALL_REVERT(&e, &d, NULL, "not a validator operator", "setCommission(uint16)", zg_abi_u64(900));
  CALL_REVERT(&e, &k[0].op, NULL, "step", "setCommission(uint16)", zg_abi_u64(1501));
  CALL_REVERT(&e, &k[0].op, NULL, "above 10000", "setCommission(uint16)", zg_abi_u64(10001));
  CALL_OK(&e, &k[0].op, NULL, "setCommission(uint16)", zg_abi_u64(1500));
  const mh_log_t *l = last_log(&e);
  check_topic0(l, "CommissionChanged(address,uint16,uint16)");
  check_addr_topic(l, 1, &k[0].op);
  CHECK_EQ(view_validator(&e, &k[0].op).commission, 1500);
  CALL_REVERT(&e, &k[0].op, NULL, "already changed in epoch 0", "setCommission(uint16)", zg_abi_u64(1400));
  end_epoch(&e, 8);
  CALL_OK(&e, &k[0].op, NULL, "setCommission(uint16)", zg_abi_u64(1000));
  CHECK_EQ(view_validator(&e, &k[0].op).commission, 1000);
  env_free(&e);
}

/* Ordering by stake, ties by address, truncation, jailed and
 * under-bonded validators left out; the view agrees with the C API. */
static void test_set_ordering(void) {
  vkeys_t k[6];
  for (unsigned i = 0; i < 6; i++) vkeys(&k[i], 60 + i);
  env_t e;
  /* k0 and k1 tie at 50; k2 and k3 tie at 70 (k3 gets there by delegation). */
  env_genesis(&e, k, (uint64_t[]){50, 50, 70, 60, 20}, 5);
  zg_eth_addr_t d = addr_n(970);
  zg_u256_t ten = zg_(10);
  delegate(&e, &d, &k[3].op, &ten);
  end_epoch(&e, 4);
  zg_staking_set_t s;
  CHECK_OK(zg_staking_get_set(&e.h, 1, &s));
  CHECK_EQ(s.n, 4);
  const unsigned want[4] = {2, 3, 0, 1}; /* 70 (addr 62), 70 (addr 63), 50 (60), 50 (61) */
  for (size_t i = 0; i < s.n && i < 4; i++) CHECK_MEM(s.members[i].operator_addr.bytes, k[want[i]].op.bytes, 20);
  CHECK_EQ(s.epoch, 1);
  /* validatorSet(1) returns the same. */
  call_t c;
  zg_abi_value_t a[1] = {zg_abi_u64(1)};
  CHECK_EQ(callv(&e, &c, &d, NULL, true, "validatorSet(uint64)", "(address[],bytes32[],uint256[])", a, 1),
           ZG_SC_OK);
  if (c.out) {
    CHECK_EQ(c.out[0].len, s.n);
    for (size_t i = 0; i < c.out[0].len && i < s.n; i++) {
      uint8_t ad[20], key[32];
      CHECK_OK(zg_abi_get_address(ad, &c.out[0].u.items[i]));
      CHECK_MEM(ad, s.members[i].operator_addr.bytes, 20);
      CHECK_OK(zg_abi_get_word(key, &c.out[1].u.items[i]));
      CHECK_MEM(key, s.members[i].consensus_key, 32);
      CHECK_U256(word_u256(&c.out[2].u.items[i]), s.members[i].stake);
    }
  }
  call_done(&c);
  zg_staking_set_clear(&s);
  zg_abi_value_t a9[1] = {zg_abi_u64(9)};
  CHECK_EQ(callv(&e, &c, &d, NULL, true, "validatorSet(uint64)", NULL, a9, 1), ZG_SC_REVERT);
  CHECK(strstr(c.r.reason, "no validator set for epoch 9") != NULL);
  call_done(&c);
  /* A new registration shows up from the next snapshot. */
  zg_u256_t big = zg_(1000);
  must_register(&e, &k[5], &big);
  CHECK_OK(zg_staking_get_set(&e.h, 1, &s)); /* snapshots never change */
  CHECK_EQ(s.n, 4);
  zg_staking_set_clear(&s);
  end_epoch(&e, 3);
  CHECK_OK(zg_staking_get_set(&e.h, 2, &s));
  CHECK_EQ(s.n, 3);
  if (s.n == 3) {
    CHECK_MEM(s.members[0].operator_addr.bytes, k[5].op.bytes, 20);
    CHECK_MEM(s.members[2].operator_addr.bytes, k[3].op.bytes, 20);
  }
  zg_staking_set_clear(&s);
  uint64_t cur = 0;
  CHECK_OK(zg_staking_current_epoch(&e.h, &cur));
  CHECK_EQ(cur, 2);
  {
    call_t c2;
    CHECK_EQ(callv(&e, &c2, &d, NULL, true, "currentEpoch()", "(uint64)", NOARGS, 0), ZG_SC_OK);
    uint64_t ce = 0;
    if (c2.out) CHECK_OK(zg_abi_get_u64(&ce, &c2.out[0]));
    CHECK_EQ(ce, 2);
    call_done(&c2);
  }
  /* end_epoch refuses anything but the next epoch and bad sizes. */
  CHECK_ERR(zg_staking_end_epoch(&e.h, 2, 4), ZG_EEPOCH);
  CHECK_ERR(zg_staking_end_epoch(&e.h, 4, 4), ZG_EEPOCH);
  CHECK_ERR(zg_staking_end_epoch(&e.h, 3, 0), ZG_EINVAL);
  CHECK_ERR(zg_staking_end_epoch(&e.h, 3, ZG_STAKING_MAX_VALIDATORS_LIMIT + 1), ZG_EINVAL);
  CHECK_ERR(zg_staking_get_set(&e.h, 3, &s), ZG_EEPOCH);
  /* A host for another contract's storage is refused. */
  e.h.self = zero_addr;
  CHECK_ERR(zg_staking_end_epoch(&e.h, 3, 4), ZG_EINVAL);
  CHECK_ERR(zg_staking_get_set(&e.h, 2, &s), ZG_EINVAL);
  e.h.self = staking_addr;
  env_free(&e);
}

/* The genesis set of env_genesis: index of operator k in the set of epoch. */
static uint32_t index_of(env_t *e, uint64_t epoch, const vkeys_t *k) {
  zg_staking_set_t s;
  uint32_t r = UINT32_MAX;
  if (zg_staking_get_set(&e->h, epoch, &s) != ZG_OK) return r;
  for (size_t i = 0; i < s.n; i++)
    if (memcmp(s.members[i].operator_addr.bytes, k->op.bytes, 20) == 0) r = (uint32_t)i;
  zg_staking_set_clear(&s);
  return r;
}

#define EVIDENCE_SIG "submitEquivocation(bytes,bytes)"

static void test_equivocation(void) {
  vkeys_t k[3];
  for (unsigned i = 0; i < 3; i++) vkeys(&k[i], 70 + i);
  env_t e;
  env_genesis(&e, k, (uint64_t[]){100, 200, 300}, 3);
  zg_eth_addr_t d = addr_n(980), reporter = addr_n(981);
  zg_u256_t ten = zg_(10), four = zg_(4);
  delegate(&e, &d, &k[0].op, &ten);
  CALL_OK(&e, &d, NULL, "undelegate(address,uint256)", zg_abi_address(k[0].op.bytes), abi_u256_test(four));
  uint32_t idx = index_of(&e, 0, &k[0]);
  CHECK_EQ(idx, 2);
  uint8_t va[121], vb[121], vc[121];
  make_vote(va, &k[0], 16888, 1, 0, 7, 0xaa, idx);
  make_vote(vb, &k[0], 16888, 1, 0, 7, 0xbb, idx);
  /* The test's votes are the engine's: same bytes from zg/bft.h's encoder
   * over a signature of zg_bft_vote_message. */
  {
    zg_bft_vote_t bv;
    uint8_t msg[ZG_BFT_VOTE_MSG_LEN], enc[ZG_BFT_VOTE_LEN];
    memset(&bv, 0, sizeof bv);
    bv.chain_id = 16888;
    bv.lane = 1;
    bv.epoch = 0;
    bv.round = 7;
    memset(bv.block_id, 0xaa, 32);
    bv.signer = idx;
    zg_bft_vote_message(msg, &bv);
    CHECK_OK(zg_ed25519_sign(bv.sig, &k[0].nsk, msg, sizeof msg));
    zg_bft_vote_encode(enc, &bv);
    CHECK_MEM(enc, va, ZG_BFT_VOTE_LEN);
  }

  /* Bad evidence first. */
  CALL_REVERT(&e, &reporter, NULL, "same vote twice", EVIDENCE_SIG, zg_abi_bytes(va, 121), zg_abi_bytes(va, 121));
  make_vote(vc, &k[0], 16888, 1, 0, 8, 0xbb, idx);
  CALL_REVERT(&e, &reporter, NULL, "different rounds", EVIDENCE_SIG, zg_abi_bytes(va, 121), zg_abi_bytes(vc, 121));
  make_vote(vc, &k[0], 16888, 0, 0, 7, 0xbb, idx);
  CALL_REVERT(&e, &reporter, NULL, "different rounds", EVIDENCE_SIG, zg_abi_bytes(va, 121), zg_abi_bytes(vc, 121));
  make_vote(vc, &k[0], 16888, 1, 1, 7, 0xbb, idx);
  CALL_REVERT(&e, &reporter, NULL, "different rounds", EVIDENCE_SIG, zg_abi_bytes(va, 121), zg_abi_bytes(vc, 121));
  memcpy(vc, vb, 121);
  vc[60] ^= 0x01; /* forged: signature bytes changed */
  CALL_REVERT(&e, &reporter, NULL, "invalid signature on a vote", EVIDENCE_SIG, zg_abi_bytes(va, 121),
              zg_abi_bytes(vc, 121));
  make_vote(vc, &k[1], 16888, 1, 0, 7, 0xbb, idx); /* signed by another key under k0's index */
  CALL_REVERT(&e, &reporter, NULL, "invalid signature", EVIDENCE_SIG, zg_abi_bytes(vc, 121), zg_abi_bytes(va, 121));
  make_vote(vc, &k[0], 16888, 1, 0, 7, 0xbb, 0);
  CALL_REVERT(&e, &reporter, NULL, "different signers", EVIDENCE_SIG, zg_abi_bytes(va, 121), zg_abi_bytes(vc, 121));
  uint8_t ua[121], ub[121], uc[121], ud[121];
  make_vote(ua, &k[0], 16888, 1, 0, 7, 0xaa, 3); /* index 3 of a 3-member set */
  make_vote(ub, &k[0], 16888, 1, 0, 7, 0xbb, 3);
  CALL_REVERT(&e, &reporter, NULL, "unknown validator", EVIDENCE_SIG, zg_abi_bytes(ua, 121), zg_abi_bytes(ub, 121));
  make_vote(ua, &k[0], 16888, 1, 5, 7, 0xaa, idx); /* an epoch with no set yet */
  make_vote(ub, &k[0], 16888, 1, 5, 7, 0xbb, idx);
  CALL_REVERT(&e, &reporter, NULL, "no validator set for epoch 5", EVIDENCE_SIG, zg_abi_bytes(ua, 121),
              zg_abi_bytes(ub, 121));
  /* An epoch that has begun (the block's epoch is 3) without a snapshot
   * of its own is judged with the set carried over (see the end of this
   * test); one that has not begun has no set. */
  e.h.epoch = 3;
  /* Under another member's index the signatures do not verify. */
  make_vote(uc, &k[0], 16888, 1, 2, 7, 0xaa, (idx + 1) % 3);
  make_vote(ud, &k[0], 16888, 1, 2, 7, 0xbb, (idx + 1) % 3);
  CALL_REVERT(&e, &reporter, NULL, "invalid signature", EVIDENCE_SIG, zg_abi_bytes(uc, 121), zg_abi_bytes(ud, 121));
  make_vote(ua, &k[0], 16888, 1, 4, 7, 0xaa, idx); /* epoch 4 has not begun */
  make_vote(ub, &k[0], 16888, 1, 4, 7, 0xbb, idx);
  CALL_REVERT(&e, &reporter, NULL, "no validator set for epoch 4", EVIDENCE_SIG, zg_abi_bytes(ua, 121),
              zg_abi_bytes(ub, 121));
  e.h.epoch = 0;
  make_vote(ua, &k[0], 1, 1, 0, 7, 0xaa, idx);
  make_vote(ub, &k[0], 1, 1, 0, 7, 0xbb, idx);
  CALL_REVERT(&e, &reporter, NULL, "another chain", EVIDENCE_SIG, zg_abi_bytes(ua, 121), zg_abi_bytes(ub, 121));
  make_vote(ua, &k[0], 16888, 1, 0, 7, 0xaa, idx);
  memcpy(ub, ua, 121);
  memcpy(ub + 57, vb + 57, 64); /* same block, another (invalid) signature */
  CALL_REVERT(&e, &reporter, NULL, "same block", EVIDENCE_SIG, zg_abi_bytes(ua, 121), zg_abi_bytes(ub, 121));
  CALL_REVERT(&e, &reporter, NULL, "malformed vote A", EVIDENCE_SIG, zg_abi_bytes(va, 120), zg_abi_bytes(vb, 121));
  {
    uint8_t long_vote[122];
    memcpy(long_vote, vb, 121);
    long_vote[121] = 0;
    CALL_REVERT(&e, &reporter, NULL, "malformed vote B", EVIDENCE_SIG, zg_abi_bytes(va, 121),
                zg_abi_bytes(long_vote, 122));
  }

  /* Good evidence: 5% of self-bond (100), delegation (6) and the
   * unbonding entry (4) = 5.5 ZG; the reporter gets 10%, the rest burnt. */
  zg_u256_t burnt0 = *mh_acct(&e.w, &zero_addr), bal0 = *mh_acct(&e.w, &staking_addr);
  CALL_OK(&e, &reporter, NULL, EVIDENCE_SIG, zg_abi_bytes(va, 121), zg_abi_bytes(vb, 121));
  const mh_log_t *l = last_log(&e);
  check_topic0(l, "Slashed(address,address,uint256,uint256,uint64)");
  check_addr_topic(l, 1, &k[0].op);
  check_addr_topic(l, 2, &reporter);
  zg_u256_t cut = zg_(11), reward, burnt;
  zg_u256_divmod_u64(&cut, NULL, &cut, 2); /* 5.5 ZG */
  zg_u256_divmod_u64(&reward, NULL, &cut, 10);
  (void)zg_u256_sub(&burnt, &cut, &reward);
  CHECK_U256(*mh_acct(&e.w, &reporter), reward);
  zg_u256_t dz;
  (void)zg_u256_sub(&dz, mh_acct(&e.w, &zero_addr), &burnt0);
  CHECK_U256(dz, burnt);
  zg_u256_t dbal;
  (void)zg_u256_sub(&dbal, &bal0, mh_acct(&e.w, &staking_addr));
  CHECK_U256(dbal, cut);
  vview_t v = view_validator(&e, &k[0].op);
  CHECK(v.jailed);
  CHECK_U256(v.slashed, cut);
  CHECK_U256(v.self, zg_(95));
  zg_u256_t d_left = zg_(57); /* 6 - 0.3 = 5.7 */
  zg_u256_divmod_u64(&d_left, NULL, &d_left, 10);
  CHECK_U256(view_delegation(&e, &d, &k[0].op), d_left);
  zg_u256_t total_left = zg_(95);
  (void)zg_u256_add(&total_left, &total_left, &d_left);
  CHECK_U256(v.total, total_left);
  zg_u256_t p, w, p_left = zg_(38); /* 4 - 0.2 */
  zg_u256_divmod_u64(&p_left, NULL, &p_left, 10);
  view_pending(&e, &d, &p, &w);
  CHECK_U256(p, p_left);
  check_books(&e);

  /* The same evidence again, in either order, and new evidence against a
   * jailed validator. */
  CALL_REVERT(&e, &reporter, NULL, "evidence already submitted", EVIDENCE_SIG, zg_abi_bytes(va, 121),
              zg_abi_bytes(vb, 121));
  CALL_REVERT(&e, &reporter, NULL, "evidence already submitted", EVIDENCE_SIG, zg_abi_bytes(vb, 121),
              zg_abi_bytes(va, 121));
  make_vote(ua, &k[0], 16888, 0, 0, 9, 0x01, idx);
  make_vote(ub, &k[0], 16888, 0, 0, 9, 0x02, idx);
  CALL_REVERT(&e, &reporter, NULL, "already jailed", EVIDENCE_SIG, zg_abi_bytes(ua, 121), zg_abi_bytes(ub, 121));
  /* Jailed: no new delegations, out of the next set; delegators may leave. */
  zg_u256_t one = zg_(1);
  fund(&e, &d, &one);
  CALL_REVERT(&e, &d, &one, "jailed", "delegate(address)", zg_abi_address(k[0].op.bytes));
  end_epoch(&e, 64);
  CHECK_EQ(index_of(&e, 1, &k[0]), UINT32_MAX);
  CALL_OK(&e, &d, NULL, "undelegate(address,uint256)", zg_abi_address(k[0].op.bytes), abi_u256_test(d_left));
  /* The operator of a jailed validator may take out any part of its bond. */
  CALL_OK(&e, &k[0].op, NULL, "undelegate(address,uint256)", zg_abi_address(k[0].op.bytes), abi_u256_test(zg_(90)));
  check_books(&e);

  /* Evidence older than the unbonding window is refused. */
  uint32_t i1 = index_of(&e, 0, &k[1]);
  make_vote(ua, &k[1], 16888, 0, 0, 3, 0x01, i1);
  make_vote(ub, &k[1], 16888, 0, 0, 3, 0x02, i1);
  end_epoch(&e, 64);
  end_epoch(&e, 64); /* current 3, evidence of epoch 0, unbonding 2 */
  CALL_REVERT(&e, &reporter, NULL, "too old", EVIDENCE_SIG, zg_abi_bytes(ua, 121), zg_abi_bytes(ub, 121));
  /* ...but evidence of epoch 1 still counts. */
  make_vote(ua, &k[1], 16888, 0, 1, 3, 0x01, index_of(&e, 1, &k[1]));
  make_vote(ub, &k[1], 16888, 0, 1, 3, 0x02, index_of(&e, 1, &k[1]));
  CALL_OK(&e, &reporter, NULL, EVIDENCE_SIG, zg_abi_bytes(ua, 121), zg_abi_bytes(ub, 121));
  CHECK(view_validator(&e, &k[1].op).jailed);
  check_books(&e);

  /* Staking is at epoch 3; a block of epoch 5 carries evidence of epoch 5,
   * which has no snapshot (nobody ended epochs 3 and 4): the engine voted
   * with the set carried over from epoch 3, and so the check uses it. */
  uint32_t i2 = index_of(&e, 3, &k[2]);
  CHECK(i2 != UINT32_MAX);
  e.h.epoch = 5;
  make_vote(ua, &k[2], 16888, 0, 5, 1, 0x01, i2);
  make_vote(ub, &k[2], 16888, 0, 5, 1, 0x02, i2);
  CALL_OK(&e, &reporter, NULL, EVIDENCE_SIG, zg_abi_bytes(ua, 121), zg_abi_bytes(ub, 121));
  CHECK(view_validator(&e, &k[2].op).jailed);
  e.h.epoch = 0;
  check_books(&e);
  env_free(&e);
}

/* Random operations by random actors; after each step the books balance,
 * and the set of each epoch is sorted and only holds eligible validators. */
static void test_random(void) {
  enum { NV = 5, ND = 4 };
  vkeys_t k[NV + 1];
  for (unsigned i = 0; i <= NV; i++) vkeys(&k[i], 100 + i);
  env_t e;
  env_genesis(&e, k, (uint64_t[]){10, 20, 30}, 3);
  zg_eth_addr_t d[ND];
  for (unsigned i = 0; i < ND; i++) d[i] = addr_n(990 + i);
  long steps = zgt_iters(300);
  int failed_before = zgt__checks_failed;
  unsigned registered = 3;
  for (long s = 0; s < steps; s++) {
    unsigned op = zgt_rand_below(8);
    const zg_eth_addr_t *who = &d[zgt_rand_below(ND)];
    const vkeys_t *val = &k[zgt_rand_below(registered)];
    zg_u256_t amt = zg_(1 + zgt_rand_below(5));
    call_t c;
    switch (op) {
    case 0:
    case 1:
      fund(&e, who, &amt);
      (void)callv(&e, &c, who, &amt, false, "delegate(address)", NULL,
                  (zg_abi_value_t[]){zg_abi_address(val->op.bytes)}, 1);
      call_done(&c);
      break;
    case 2:
    case 3:
      (void)callv(&e, &c, zgt_rand_below(3) ? who : &val->op, NULL, false, "undelegate(address,uint256)", NULL,
                  (zg_abi_value_t[]){zg_abi_address(val->op.bytes), abi_u256_test(amt)}, 2);
      call_done(&c);
      break;
    case 4:
      (void)callv(&e, &c, who, NULL, false, "withdraw()", NULL, NOARGS, 0);
      call_done(&c);
      break;
    case 5:
      end_epoch(&e, 1 + zgt_rand_below(4));
      break;
    case 6:
      if (registered < NV + 1 && zgt_rand_below(4) == 0) {
        zg_u256_t st = zg_(5 + zgt_rand_below(40));
        must_register(&e, &k[registered++], &st);
      }
      break;
    case 7: {
      if (zgt_rand_below(6) != 0) break;
      uint64_t cur = 0;
      CHECK_OK(zg_staking_current_epoch(&e.h, &cur));
      uint32_t idx = index_of(&e, cur, val);
      if (idx == UINT32_MAX) break;
      uint8_t va[121], vb[121];
      make_vote(va, val, 16888, 0, cur, (uint64_t)s, 1, idx);
      make_vote(vb, val, 16888, 0, cur, (uint64_t)s, 2, idx);
      (void)callv(&e, &c, who, NULL, false, EVIDENCE_SIG, NULL,
                  (zg_abi_value_t[]){zg_abi_bytes(va, 121), zg_abi_bytes(vb, 121)}, 2);
      call_done(&c);
      break;
    }
    }
    check_books(&e);
    if (zgt__checks_failed != failed_before) {
      printf("  (random step %ld, op %u)\n", s, op);
      break;
    }
  }
  /* Every snapshot is sorted and holds only distinct members. */
  uint64_t cur = 0;
  CHECK_OK(zg_staking_current_epoch(&e.h, &cur));
  for (uint64_t ep = 0; ep <= cur; ep++) {
    zg_staking_set_t set;
    CHECK_OK(zg_staking_get_set(&e.h, ep, &set));
    for (size_t i = 1; i < set.n; i++) {
      int c = zg_u256_cmp(&set.members[i - 1].stake, &set.members[i].stake);
      CHECK(c > 0 || (c == 0 && memcmp(set.members[i - 1].operator_addr.bytes, set.members[i].operator_addr.bytes,
                                       20) < 0));
    }
    zg_staking_set_clear(&set);
  }
  env_free(&e);
}

/* The books checker is not vacuous: it catches each broken invariant. */
static void test_books_checker(void) {
  vkeys_t k[1];
  vkeys(&k[0], 130);
  env_t e;
  env_genesis(&e, k, (uint64_t[]){10}, 1);
  CHECK(staking_books_check(&e.w) == NULL);
  uint8_t w[32] = {0};
  w[31] = 1;
  CHECK_OK(e.h.sput(&e.h, (const uint8_t *)"t", 1, w, 32)); /* bonded total off by everything */
  CHECK(staking_books_check(&e.w) != NULL);
  env_free(&e);
  env_genesis(&e, k, (uint64_t[]){10}, 1);
  zg_u256_t one = u(1);
  (void)zg_u256_sub(mh_acct(&e.w, &staking_addr), mh_acct(&e.w, &staking_addr), &one); /* 1 wei short */
  CHECK(staking_books_check(&e.w) != NULL);
  env_free(&e);
}

/* Malformed calldata never aborts: every truncation of real calls, and
 * random bytes after each selector, end in a revert. */
static void test_malformed(void) {
  vkeys_t k[1];
  vkeys(&k[0], 120);
  env_t e;
  env_genesis(&e, k, (uint64_t[]){10}, 1);
  for (size_t m = 0; m < zg_staking_contract.n_methods; m++) {
    const char *sig = zg_staking_contract.methods[m].signature;
    uint8_t cd[300];
    zg_abi_selector(cd, sig, strlen(sig));
    for (int t = 0; t < 20; t++) {
      size_t n = 4 + zgt_rand_below(200);
      zgt_rand_bytes(cd + 4, n - 4);
      zg_sc_result_t r;
      e.h.caller = k[0].op;
      e.h.value = u(0);
      zg_err_t err = zg_sc_call(e.reg, &e.h, cd, n, &r);
      CHECK(err == ZG_OK);
      /* Either a revert, or (for a method without arguments given junk
       * after it) still never a host failure. */
      CHECK(r.status != ZG_SC_FAIL);
      zg_sc_result_free(&r);
    }
  }
  env_free(&e);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_registry);
  ZGT_RUN(test_genesis);
  ZGT_RUN(test_genesis_json);
  ZGT_RUN(test_register);
  ZGT_RUN(test_delegate);
  ZGT_RUN(test_unbonding);
  ZGT_RUN(test_commission);
  ZGT_RUN(test_set_ordering);
  ZGT_RUN(test_equivocation);
  ZGT_RUN(test_random);
  ZGT_RUN(test_books_checker);
  ZGT_RUN(test_malformed);
  return zgt_done();
}

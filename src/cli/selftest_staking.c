/* selftest_staking.c — self-test section for the Staking contract: a
 * 3-validator genesis on an in-memory host, a delegation and an unbonding
 * that matures over two epoch boundaries, a double-signing validator
 * slashed by evidence in the engine's vote format, and the next set without
 * it. Every call goes through the dispatcher (zg_sc_call). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "contracts/sc_memhost.h"
#include "contracts/staking_books.h"
#include "zg/abi.h"
#include "zg/bft.h"
#include "zg/bls.h"
#include "zg/ed25519.h"
#include "zg/staking.h"

#define SS_CHAIN 16888u

typedef struct {
  mh_world_t w;
  zg_sc_registry_t *reg;
} ss_env_t;

static const zg_eth_addr_t ss_staking = {ZG_STAKING_ADDRESS_BYTES};

static zg_u256_t ss_zg(uint64_t whole) {
  zg_u256_t r = zg_u256_from_u64(whole);
  (void)zg_u256_mul_u64(&r, &r, 1000000000000000000ull);
  return r;
}

/* Calls sig from caller with value (whole ZG); rolls back a revert. Returns
 * the status; the reason goes to why (256 bytes). */
static zg_sc_status_t ss_call(ss_env_t *e, const zg_eth_addr_t *caller, uint64_t value, const char *sig,
                              const zg_abi_value_t *args, size_t n, char *why) {
  zg_abi_arena_t a;
  zg_abi_func_t f;
  zg_buf_t cd;
  zg_sc_host_t h;
  zg_sc_result_t r;
  mh_world_t saved;
  zg_abi_arena_init(&a);
  zg_buf_init(&cd);
  zg_sc_status_t st = ZG_SC_FAIL;
  if (zg_abi_func_parse(&f, &a, sig) == ZG_OK && zg_abi_call_encode(&cd, &f, args, n) == ZG_OK) {
    mh_world_copy(&saved, &e->w);
    mh_host_init(&h, &e->w, &ss_staking, SS_CHAIN);
    h.caller = *caller;
    h.value = ss_zg(value);
    (void)zg_u256_add(mh_acct(&e->w, &ss_staking), mh_acct(&e->w, &ss_staking), &h.value);
    if (zg_sc_call(e->reg, &h, cd.ptr, cd.len, &r) != ZG_OK) r.status = ZG_SC_FAIL;
    st = r.status;
    snprintf(why, 256, "%s", r.reason);
    zg_sc_result_free(&r);
    if (st != ZG_SC_OK) {
      mh_world_free(&e->w);
      e->w = saved;
    } else {
      mh_world_free(&saved);
    }
  }
  zg_buf_clear(&cd);
  zg_abi_arena_clear(&a);
  return st;
}

typedef struct {
  zg_staking_genesis_validator_t gv;
  zg_ed25519_sk_t sk;
} ss_val_t;

static bool ss_genesis(ss_env_t *e, ss_val_t *v, size_t n) {
  zg_staking_genesis_validator_t gv[3];
  zg_staking_genesis_t g;
  zg_sc_host_t h;
  zg_sc_result_t r;
  memset(e, 0, sizeof *e);
  if (zg_sc_registry_new(&e->reg) || zg_contracts_register_all(e->reg)) return false;
  for (size_t i = 0; i < n; i++) {
    uint8_t seed[32] = {0x55, (uint8_t)i}, ikm[32] = {0x66, (uint8_t)i};
    zg_ed25519_pk_t pk;
    zg_bls_sk_t bsk;
    zg_bls_pk_t bpk;
    zg_bls_sig_t pop;
    memset(&v[i].gv, 0, sizeof v[i].gv);
    if (zg_ed25519_keypair_from_seed(&pk, &v[i].sk, seed) || zg_bls_keygen(&bsk, ikm, 32, NULL, 0) ||
        zg_bls_pop_prove(&pop, &bsk))
      return false;
    zg_bls_sk_to_pk(&bpk, &bsk);
    zg_bls_sk_clear(&bsk);
    memcpy(v[i].gv.consensus_key, pk.bytes, 32);
    zg_bls_pk_serialize(v[i].gv.bls_pubkey, &bpk);
    zg_bls_sig_serialize(v[i].gv.bls_pop, &pop);
    v[i].gv.operator_addr.bytes[0] = 0x5e;
    v[i].gv.operator_addr.bytes[19] = (uint8_t)i;
    v[i].gv.stake = ss_zg(100 * (i + 1));
    (void)zg_u256_add(mh_acct(&e->w, &ss_staking), mh_acct(&e->w, &ss_staking), &v[i].gv.stake);
    gv[i] = v[i].gv;
  }
  zg_staking_genesis_defaults(&g);
  g.validators = gv;
  g.n_validators = n;
  mh_host_init(&h, &e->w, &ss_staking, SS_CHAIN);
  memset(&r, 0, sizeof r);
  zg_buf_init(&r.ret);
  zg_sc_status_t st = zg_staking_genesis_apply(&h, &g, &r);
  zg_sc_result_free(&r);
  return st == ZG_SC_OK;
}

/* The set of epoch as "op:stake ..." in whole ZG, and its size. */
static size_t ss_set(ss_env_t *e, uint64_t epoch, char *out, size_t cap) {
  zg_sc_host_t h;
  zg_staking_set_t s;
  size_t n = 0, used = 0;
  out[0] = 0;
  mh_host_init(&h, &e->w, &ss_staking, SS_CHAIN);
  if (zg_staking_get_set(&h, epoch, &s) != ZG_OK) return SIZE_MAX;
  for (size_t i = 0; i < s.n && used < cap; i++)
    used += (size_t)snprintf(out + used, cap - used, "%sv%u:%llu", i ? " " : "", s.members[i].operator_addr.bytes[19],
                             (unsigned long long)(s.members[i].power / 1000000000ull));
  n = s.n;
  zg_staking_set_clear(&s);
  return n;
}

static bool ss_end_epoch(ss_env_t *e, uint64_t next) {
  zg_sc_host_t h;
  mh_host_init(&h, &e->w, &ss_staking, SS_CHAIN);
  return zg_staking_end_epoch(&h, next, 64) == ZG_OK;
}

ZG_SELFTEST(chain_staking) {
  bool ok = true;
  ss_env_t e;
  ss_val_t v[3];
  char why[256], set[256];
  zg_eth_addr_t d = {{0xd0}};
  if (!ss_genesis(&e, v, 3)) {
    printf("    FAILED: genesis\n");
    return false;
  }
  ZG_ST_CHECK(ok, ss_set(&e, 0, set, sizeof set) == 3);
  printf("   genesis: Staking at %s (lane %u), epoch 0 set [%s] (ZG)\n", ZG_STAKING_ADDRESS_TEXT, ZG_STAKING_LANE,
         set);
  const zg_eth_addr_t *v0 = &v[0].gv.operator_addr;
  zg_abi_value_t a_del[1] = {zg_abi_address(v0->bytes)};
  ZG_ST_CHECK(ok, ss_call(&e, &d, 250, "delegate(address)", a_del, 1, why) == ZG_SC_OK);
  uint8_t fifty[32];
  zg_u256_t f50 = ss_zg(50);
  zg_u256_to_be32(fifty, &f50);
  zg_abi_value_t a_und[2] = {zg_abi_address(v0->bytes), zg_abi_uint_be(fifty)};
  ZG_ST_CHECK(ok, ss_call(&e, &d, 0, "undelegate(address,uint256)", a_und, 2, why) == ZG_SC_OK);
  ZG_ST_CHECK(ok, ss_call(&e, &d, 0, "withdraw()", NULL, 0, why) == ZG_SC_REVERT);
  printf("   delegate 250 ZG to v0, undelegate 50: withdraw refused (\"%s\")\n", why);
  ZG_ST_CHECK(ok, ss_end_epoch(&e, 1) && ss_end_epoch(&e, 2));
  ZG_ST_CHECK(ok, ss_call(&e, &d, 0, "withdraw()", NULL, 0, why) == ZG_SC_OK);
  ZG_ST_CHECK(ok, ss_set(&e, 2, set, sizeof set) == 3);
  printf("   two epochs later: withdraw pays 50 ZG; epoch 2 set [%s]\n", set);
  /* v2 (the largest) signs two blocks in one round. */
  uint8_t va[ZG_BFT_VOTE_LEN], vb[ZG_BFT_VOTE_LEN], msg[ZG_BFT_VOTE_MSG_LEN];
  zg_bft_vote_t vote;
  memset(&vote, 0, sizeof vote);
  vote.chain_id = SS_CHAIN;
  vote.epoch = 2;
  vote.round = 9;
  size_t idx = 0; /* v2's index in the set of epoch 2 */
  {
    zg_sc_host_t h;
    zg_staking_set_t s;
    mh_host_init(&h, &e.w, &ss_staking, SS_CHAIN);
    if (zg_staking_get_set(&h, 2, &s) == ZG_OK) {
      for (size_t i = 0; i < s.n; i++)
        if (s.members[i].operator_addr.bytes[19] == 2) idx = i;
      zg_staking_set_clear(&s);
    }
  }
  vote.signer = (uint32_t)idx;
  for (int i = 0; i < 2; i++) {
    memset(vote.block_id, 0xb0 + i, 32);
    zg_bft_vote_message(msg, &vote);
    if (zg_ed25519_sign(vote.sig, &v[2].sk, msg, sizeof msg) != ZG_OK) ok = false;
    zg_bft_vote_encode(i ? vb : va, &vote);
  }
  zg_abi_value_t a_ev[2] = {zg_abi_bytes(va, sizeof va), zg_abi_bytes(vb, sizeof vb)};
  ZG_ST_CHECK(ok, ss_call(&e, &d, 0, "submitEquivocation(bytes,bytes)", a_ev, 2, why) == ZG_SC_OK);
  ZG_ST_CHECK(ok, ss_call(&e, &d, 0, "submitEquivocation(bytes,bytes)", a_ev, 2, why) == ZG_SC_REVERT);
  /* The reporter holds the 50 ZG withdrawn and 10% of the 15 ZG cut. */
  zg_u256_t want = ss_zg(515);
  zg_u256_divmod_u64(&want, NULL, &want, 10);
  ZG_ST_CHECK(ok, zg_u256_cmp(mh_acct(&e.w, &d), &want) == 0);
  ZG_ST_CHECK(ok, ss_end_epoch(&e, 3));
  ZG_ST_CHECK(ok, ss_set(&e, 3, set, sizeof set) == 2);
  printf("   v2 double-signs round 9: slashed 5%% (15 ZG, 1.5 to the reporter), jailed; again: \"%s\"\n", why);
  printf("   epoch 3 set [%s]\n", set);
  const char *books = staking_books_check(&e.w);
  ZG_ST_CHECK(ok, books == NULL);
  mh_world_free(&e.w);
  zg_sc_registry_free(e.reg);
  return ok;
}

/*
 * bench_staking.c — the Staking contract's costs, through zg_sc_call over
 * the in-memory host (src/contracts/sc_memhost.h), so the numbers are the
 * contract's own work, not LMDB's:
 *   staking_register        registerValidator (BLS KeyValidate + PoP pairing
 *                           check dominate), on a copy of a 1-validator world
 *   staking_delegate        delegate to an existing validator
 *   staking_evidence        submitEquivocation with a valid pair (two Ed25519
 *                           verifications, slashing 1 delegation), on a copy
 *   staking_end_epoch_64v   end_epoch over 64 validators, 1000 delegations,
 *                           maturing nothing (the set snapshot: scan + sort)
 *   staking_get_set_64v     zg_staking_get_set of a 64-member snapshot
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "contracts/sc_memhost.h"
#include "zg/abi.h"
#include "zg/bft.h"
#include "zg/bls.h"
#include "zg/ed25519.h"
#include "zg/staking.h"

#define BS_CHAIN 16888u

typedef struct {
  zg_eth_addr_t op;
  zg_ed25519_sk_t sk;
  uint8_t nk[32], bls[48], pop[96];
} bs_key_t;

static const zg_eth_addr_t bs_staking = {ZG_STAKING_ADDRESS_BYTES};

static void bs_key(bs_key_t *k, unsigned i) {
  uint8_t seed[32] = {0}, ikm[32] = {0};
  zg_ed25519_pk_t pk;
  zg_bls_sk_t bsk;
  zg_bls_pk_t bpk;
  zg_bls_sig_t pop;
  seed[0] = 0xbe;
  seed[30] = (uint8_t)(i >> 8);
  seed[31] = (uint8_t)i;
  memcpy(ikm, seed, 32);
  ikm[1] = 1;
  if (zg_ed25519_keypair_from_seed(&pk, &k->sk, seed) || zg_bls_keygen(&bsk, ikm, 32, NULL, 0) ||
      zg_bls_pop_prove(&pop, &bsk))
    abort();
  zg_bls_sk_to_pk(&bpk, &bsk);
  memcpy(k->nk, pk.bytes, 32);
  zg_bls_pk_serialize(k->bls, &bpk);
  zg_bls_sig_serialize(k->pop, &pop);
  zg_bls_sk_clear(&bsk);
  memset(&k->op, 0, sizeof k->op);
  k->op.bytes[0] = 0xbe;
  k->op.bytes[18] = (uint8_t)(i >> 8);
  k->op.bytes[19] = (uint8_t)i;
}

/* A world with genesis validators keys[0..n), 100 ZG each. */
static void bs_world(mh_world_t *w, const bs_key_t *keys, size_t n) {
  zg_staking_genesis_validator_t *gv = calloc(n, sizeof *gv);
  zg_staking_genesis_t g;
  zg_sc_host_t h;
  zg_sc_result_t r;
  if (!gv) abort();
  memset(w, 0, sizeof *w);
  zg_staking_genesis_defaults(&g);
  for (size_t i = 0; i < n; i++) {
    gv[i].operator_addr = keys[i].op;
    memcpy(gv[i].consensus_key, keys[i].nk, 32);
    memcpy(gv[i].bls_pubkey, keys[i].bls, 48);
    memcpy(gv[i].bls_pop, keys[i].pop, 96);
    gv[i].stake = zg_u256_from_u64(100);
    (void)zg_u256_mul_u64(&gv[i].stake, &gv[i].stake, 1000000000000000000ull);
    (void)zg_u256_add(mh_acct(w, &bs_staking), mh_acct(w, &bs_staking), &gv[i].stake);
  }
  g.validators = gv;
  g.n_validators = n;
  mh_host_init(&h, w, &bs_staking, BS_CHAIN);
  memset(&r, 0, sizeof r);
  zg_buf_init(&r.ret);
  if (zg_staking_genesis_apply(&h, &g, &r) != ZG_SC_OK) abort();
  zg_sc_result_free(&r);
  free(gv);
}

static zg_sc_registry_t *bs_registry(void) {
  zg_sc_registry_t *reg;
  if (zg_sc_registry_new(&reg) || zg_contracts_register_all(reg)) abort();
  return reg;
}

static void bs_calldata(zg_buf_t *out, const char *sig, const zg_abi_value_t *args, size_t n) {
  zg_abi_arena_t a;
  zg_abi_func_t f;
  zg_abi_arena_init(&a);
  if (zg_abi_func_parse(&f, &a, sig) || zg_abi_call_encode(out, &f, args, n)) abort();
  zg_abi_arena_clear(&a);
}

/* One call that must succeed. */
static void bs_call(const zg_sc_registry_t *reg, mh_world_t *w, const zg_eth_addr_t *caller, uint64_t value,
                    const zg_buf_t *cd) {
  zg_sc_host_t h;
  zg_sc_result_t r;
  mh_host_init(&h, w, &bs_staking, BS_CHAIN);
  h.caller = *caller;
  h.value = zg_u256_from_u64(value);
  (void)zg_u256_add(mh_acct(w, &bs_staking), mh_acct(w, &bs_staking), &h.value);
  if (zg_sc_call(reg, &h, cd->ptr, cd->len, &r) || r.status != ZG_SC_OK) abort();
  zg_sc_result_free(&r);
}

ZG_BENCH(staking_register) {
  bs_key_t k[2];
  mh_world_t base, w;
  zg_buf_t cd;
  zg_sc_registry_t *reg = bs_registry();
  bs_key(&k[0], 1);
  bs_key(&k[1], 2);
  bs_world(&base, k, 1);
  zg_buf_init(&cd);
  zg_abi_value_t args[4] = {zg_abi_fbytes(k[1].nk, 32), zg_abi_bytes(k[1].bls, 48), zg_abi_bytes(k[1].pop, 96),
                            zg_abi_u64(500)};
  bs_calldata(&cd, "registerValidator(bytes32,bytes,bytes,uint16)", args, 4);
  while (zg_bench_loop(b)) {
    mh_world_copy(&w, &base);
    bs_call(reg, &w, &k[1].op, 2000000000000000000ull, &cd);
    mh_world_free(&w);
  }
  zg_buf_clear(&cd);
  mh_world_free(&base);
  zg_sc_registry_free(reg);
}

ZG_BENCH(staking_delegate) {
  bs_key_t k[1];
  mh_world_t w;
  zg_buf_t cd;
  zg_eth_addr_t d = {{0xde}};
  zg_sc_registry_t *reg = bs_registry();
  bs_key(&k[0], 3);
  bs_world(&w, k, 1);
  zg_buf_init(&cd);
  zg_abi_value_t args[1] = {zg_abi_address(k[0].op.bytes)};
  bs_calldata(&cd, "delegate(address)", args, 1);
  while (zg_bench_loop(b)) bs_call(reg, &w, &d, 1000, &cd);
  zg_buf_clear(&cd);
  mh_world_free(&w);
  zg_sc_registry_free(reg);
}

ZG_BENCH(staking_evidence) {
  bs_key_t k[4];
  mh_world_t base, w;
  zg_buf_t cd;
  zg_eth_addr_t rep = {{0xee}};
  zg_sc_registry_t *reg = bs_registry();
  for (unsigned i = 0; i < 4; i++) bs_key(&k[i], 10 + i);
  bs_world(&base, k, 4);
  /* k[0] is index 0 (ties by address: the lowest) of epoch 0. */
  uint8_t va[ZG_BFT_VOTE_LEN], vb[ZG_BFT_VOTE_LEN], msg[ZG_BFT_VOTE_MSG_LEN];
  zg_bft_vote_t v;
  memset(&v, 0, sizeof v);
  v.chain_id = BS_CHAIN;
  v.round = 5;
  for (int i = 0; i < 2; i++) {
    memset(v.block_id, i + 1, 32);
    zg_bft_vote_message(msg, &v);
    if (zg_ed25519_sign(v.sig, &k[0].sk, msg, sizeof msg)) abort();
    zg_bft_vote_encode(i ? vb : va, &v);
  }
  zg_buf_init(&cd);
  zg_abi_value_t args[2] = {zg_abi_bytes(va, sizeof va), zg_abi_bytes(vb, sizeof vb)};
  bs_calldata(&cd, "submitEquivocation(bytes,bytes)", args, 2);
  while (zg_bench_loop(b)) {
    mh_world_copy(&w, &base);
    bs_call(reg, &w, &rep, 0, &cd);
    mh_world_free(&w);
  }
  zg_buf_clear(&cd);
  mh_world_free(&base);
  zg_sc_registry_free(reg);
}

/* 64 validators and 1000 delegations spread over them. */
static void bs_big_world(mh_world_t *w, const zg_sc_registry_t *reg) {
  bs_key_t *k = calloc(64, sizeof *k);
  zg_buf_t cd;
  if (!k) abort();
  for (unsigned i = 0; i < 64; i++) bs_key(&k[i], 100 + i);
  bs_world(w, k, 64);
  zg_buf_init(&cd);
  for (unsigned i = 0; i < 1000; i++) {
    zg_eth_addr_t d = {{0xdd}};
    d.bytes[18] = (uint8_t)(i >> 8);
    d.bytes[19] = (uint8_t)i;
    zg_abi_value_t args[1] = {zg_abi_address(k[i % 64].op.bytes)};
    cd.len = 0;
    bs_calldata(&cd, "delegate(address)", args, 1);
    bs_call(reg, w, &d, 1000000000000ull * (1 + i % 7), &cd);
  }
  zg_buf_clear(&cd);
  free(k);
}

ZG_BENCH(staking_end_epoch_64v) {
  mh_world_t w;
  zg_sc_host_t h;
  zg_sc_registry_t *reg = bs_registry();
  uint64_t epoch = 0;
  bs_big_world(&w, reg);
  mh_host_init(&h, &w, &bs_staking, BS_CHAIN);
  while (zg_bench_loop(b))
    if (zg_staking_end_epoch(&h, ++epoch, 64)) abort();
  mh_world_free(&w);
  zg_sc_registry_free(reg);
}

ZG_BENCH(staking_get_set_64v) {
  mh_world_t w;
  zg_sc_host_t h;
  zg_staking_set_t s;
  zg_sc_registry_t *reg = bs_registry();
  bs_big_world(&w, reg);
  mh_host_init(&h, &w, &bs_staking, BS_CHAIN);
  while (zg_bench_loop(b)) {
    if (zg_staking_get_set(&h, 0, &s) || s.n != 64) abort();
    zg_staking_set_clear(&s);
  }
  mh_world_free(&w);
  zg_sc_registry_free(reg);
}

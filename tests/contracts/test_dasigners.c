/*
 * test_dasigners.c — the DASigners contract (zg/da_contracts.h) through the
 * dispatcher over the in-memory host: registration (key, proof of
 * possession, socket, duplicates), the stake bond, opt-in rules (age, VRF
 * signature, duplicates, stake), the quorum views against the pure
 * assignment, and the VRF assignment being deterministic, verifiable and
 * different from one epoch to the next; signers registered and opted in
 * for epochs 0 and 1 by the genesis hook (da.signers).
 */
#include <jansson.h>
#include <stdio.h>

#include "da_env.h"
#include "zg/hash.h"

static void test_register(void) {
  env_t e;
  dsigner_t a, b;
  env_init(&e);
  signer_make(&a, 1);
  signer_make(&b, 2);
  zg_bls_sig_t pop;
  uint8_t popa[96], popb[96], badpk[48];
  CHECK_OK(zg_bls_pop_prove(&pop, &a.sk));
  zg_bls_sig_serialize(popa, &pop);
  CHECK_OK(zg_bls_pop_prove(&pop, &b.sk));
  zg_bls_sig_serialize(popb, &pop);
  memcpy(badpk, a.pk, 48);
  badpk[47] ^= 1;
  const char *R = ZG_DAS_REGISTER_SIGNER;
  zg_abi_value_t v[3] = {zg_abi_bytes(badpk, 48), zg_abi_bytes(popa, 96), zg_abi_string("http://a")};
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, R, v, 3, "invalid public key");
  v[0] = zg_abi_bytes(a.pk, 47);
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, R, v, 3, "invalid public key");
  v[0] = zg_abi_bytes(a.pk, 48);
  v[1] = zg_abi_bytes(popb, 96); /* b's PoP for a's key */
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, R, v, 3, "invalid proof of possession");
  v[1] = zg_abi_bytes(popa, 95);
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, R, v, 3, "invalid proof of possession");
  v[1] = zg_abi_bytes(popa, 96);
  v[2] = zg_abi_string("");
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, R, v, 3, "socket");
  char longs[300];
  memset(longs, 'x', sizeof longs - 1);
  longs[299] = 0;
  v[2] = zg_abi_string(longs);
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, R, v, 3, "socket");
  v[2] = zg_abi_string("http://a");
  expect_ok(&e, &zg_dasigners_address, &a.addr, NULL, R, v, 3);
  CHECK_EQ(e.w.nlogs, 1);
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, R, v, 3, "already registered");
  /* The same key (with its PoP) from another account. */
  expect_revert(&e, &zg_dasigners_address, &b.addr, NULL, R, v, 3, "public key already registered");
  /* getSigner / isSigner / updateSocket. */
  call_t c;
  zg_abi_value_t ad = zg_abi_address(a.addr.bytes);
  CHECK_EQ(callv(&e, &c, &zg_dasigners_address, &b.addr, NULL, ZG_DAS_GET_SIGNER, "(bytes,string,uint256,uint256)",
                 &ad, 1),
           ZG_SC_OK);
  CHECK_MEM(c.out[0].u.bytes, a.pk, 48);
  CHECK_EQ(c.out[1].len, 8);
  call_done(&c);
  zg_abi_value_t s2 = zg_abi_string("http://a2:1");
  expect_ok(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_UPDATE_SOCKET, &s2, 1);
  expect_revert(&e, &zg_dasigners_address, &b.addr, NULL, ZG_DAS_UPDATE_SOCKET, &s2, 1, "not a signer");
  CHECK_EQ(callv(&e, &c, &zg_dasigners_address, &b.addr, NULL, ZG_DAS_GET_SIGNER, "(bytes,string,uint256,uint256)",
                 &ad, 1),
           ZG_SC_OK);
  CHECK(c.out[1].len == 11 && memcmp(c.out[1].u.bytes, "http://a2:1", 11) == 0);
  call_done(&c);
  zg_abi_value_t bd = zg_abi_address(b.addr.bytes);
  CHECK_EQ(callv(&e, &c, &zg_dasigners_address, &b.addr, NULL, ZG_DAS_IS_SIGNER, "(bool)", &bd, 1), ZG_SC_OK);
  CHECK(c.out[0].u.word[31] == 0);
  call_done(&c);
  env_free(&e);
}

static void test_stake_and_opt_in(void) {
  env_t e;
  dsigner_t a, b;
  env_init(&e);
  signer_make(&a, 1);
  signer_make(&b, 2);
  signer_register(&e, &a, "http://a");
  zg_u256_t one = tokens(1);
  fund(&e, &b.addr, &one);
  expect_revert(&e, &zg_dasigners_address, &b.addr, &one, ZG_DAS_DEPOSIT, NULL, 0, "not a signer");
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_DEPOSIT, NULL, 0, "nothing deposited");
  uint8_t sig[96];
  vrf_sig(&e, &a, 1, sig);
  zg_abi_value_t sv = zg_abi_bytes(sig, 96);
  /* Registered in this epoch: too recent to opt in for the next. */
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_REGISTER_NEXT_EPOCH, &sv, 1, "too recently");
  e.h.epoch = 1;
  vrf_sig(&e, &a, 2, sig);
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_REGISTER_NEXT_EPOCH, &sv, 1, "stake below one slot");
  signer_deposit(&e, &a, 3); /* 3 tokens = 3 slots */
  /* A signature for the wrong epoch, by the wrong key, or malformed. */
  uint8_t wrong[96];
  vrf_sig(&e, &a, 3, wrong);
  zg_abi_value_t wv = zg_abi_bytes(wrong, 96);
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_REGISTER_NEXT_EPOCH, &wv, 1, "invalid VRF");
  vrf_sig(&e, &b, 2, wrong);
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_REGISTER_NEXT_EPOCH, &wv, 1, "invalid VRF");
  wv = zg_abi_bytes(sig, 95);
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_REGISTER_NEXT_EPOCH, &wv, 1, "invalid VRF");
  expect_revert(&e, &zg_dasigners_address, &b.addr, NULL, ZG_DAS_REGISTER_NEXT_EPOCH, &sv, 1, "not a signer");
  expect_ok(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_REGISTER_NEXT_EPOCH, &sv, 1);
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_REGISTER_NEXT_EPOCH, &sv, 1, "already registered");
  /* Bonded while serving the next epoch and the one after it. */
  zg_abi_value_t amt = zg_abi_u64(1);
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_WITHDRAW, &amt, 1, "bonded");
  e.h.epoch = 2;
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_WITHDRAW, &amt, 1, "bonded");
  CHECK_EQ(quorum_count(&e, 2), 1);
  CHECK_EQ(quorum_count(&e, 3), 0);
  zg_eth_addr_t q[ZG_DA_COLUMNS];
  size_t n;
  CHECK(get_quorum(&e, 2, 0, q, &n));
  CHECK_EQ(n, ZG_DA_COLUMNS);
  for (size_t j = 0; j < n; j++) CHECK_MEM(q[j].bytes, a.addr.bytes, 20);
  CHECK(!get_quorum(&e, 2, 1, q, &n));
  CHECK(!get_quorum(&e, 3, 0, q, &n));
  /* Free again in epoch 3: withdraw part, then more than the rest. */
  e.h.epoch = 3;
  zg_abi_value_t two;
  zg_u256_t t2 = tokens(2);
  uint8_t w2[32];
  zg_u256_to_be32(w2, &t2);
  two = zg_abi_uint_be(w2);
  expect_ok(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_WITHDRAW, &two, 1);
  CHECK(zg_u256_cmp(mh_acct(&e.w, &a.addr), &t2) == 0);
  expect_revert(&e, &zg_dasigners_address, &a.addr, NULL, ZG_DAS_WITHDRAW, &two, 1, "exceeds stake");
  env_free(&e);
}

/* The epoch's signers as the contract lists them (address order). */
static size_t epoch_signers(env_t *e, uint64_t epoch, zg_da_epoch_signer_t *out, size_t cap) {
  call_t c;
  zg_abi_value_t a = zg_abi_u64(epoch);
  CHECK_EQ(callv(e, &c, &zg_dasigners_address, &zg_dasigners_address, NULL, ZG_DAS_EPOCH_SIGNERS,
                 "(address[],uint256[],bytes32[])", &a, 1),
           ZG_SC_OK);
  size_t n = c.out[0].len;
  for (size_t i = 0; i < n && i < cap; i++) {
    memcpy(out[i].addr, c.out[0].u.items[i].u.word + 12, 20);
    uint64_t t;
    CHECK_OK(zg_abi_get_u64(&t, &c.out[1].u.items[i]));
    out[i].tickets = (uint32_t)t;
    memcpy(out[i].output, c.out[2].u.items[i].u.word, 32);
  }
  call_done(&c);
  return n;
}

static void test_vrf_assignment(void) {
  enum { N = 12 };
  env_t e;
  dsigner_t s[N];
  env_init(&e);
  setup_signers(&e, s, N, 40); /* 12 x 40 = 480 tickets: 3 quorums of 128 */
  CHECK_EQ(e.h.epoch, 2);
  CHECK_EQ(quorum_count(&e, 2), 3);
  /* Outputs are the unique signatures' hashes: recompute them. */
  zg_da_epoch_signer_t es[N];
  CHECK_EQ(epoch_signers(&e, 2, es, N), N);
  for (unsigned i = 0; i < N; i++) {
    uint8_t sig[96], out[32];
    e.h.epoch = 1; /* the seed of epoch 2 as the signers saw it */
    vrf_sig(&e, &s[i], 2, sig);
    e.h.epoch = 2;
    zg_da_vrf_output(out, sig);
    bool hit = false;
    for (unsigned k = 0; k < N; k++)
      if (!memcmp(es[k].addr, s[i].addr.bytes, 20)) hit = !memcmp(es[k].output, out, 32) && es[k].tickets == 40;
    CHECK(hit);
  }
  /* getQuorum matches the pure assignment; every slot owned, counts add up. */
  zg_da_ticket_t *scratch = malloc(480 * sizeof *scratch);
  unsigned held[N] = {0};
  for (uint64_t q = 0; q < 3; q++) {
    zg_eth_addr_t qa[ZG_DA_COLUMNS];
    size_t n;
    uint32_t slot[ZG_DA_COLUMNS];
    CHECK(get_quorum(&e, 2, q, qa, &n));
    CHECK_OK(zg_da_assign(slot, ZG_DA_COLUMNS, q, es, N, scratch));
    for (unsigned j = 0; j < ZG_DA_COLUMNS; j++) {
      CHECK_MEM(qa[j].bytes, es[slot[j]].addr, 20);
      held[slot[j]]++;
    }
  }
  unsigned total = 0;
  for (unsigned i = 0; i < N; i++) {
    total += held[i];
    CHECK(held[i] <= 40);
  }
  CHECK_EQ(total, 384);
  /* Deterministic: the same inputs give the same slots; a changed output
   * (another epoch) gives a different assignment. */
  uint32_t s1[ZG_DA_COLUMNS], s2[ZG_DA_COLUMNS];
  CHECK_OK(zg_da_assign(s1, ZG_DA_COLUMNS, 0, es, N, scratch));
  CHECK_OK(zg_da_assign(s2, ZG_DA_COLUMNS, 0, es, N, scratch));
  CHECK_MEM(s1, s2, sizeof s1);
  CHECK_ERR(zg_da_assign(s1, ZG_DA_COLUMNS, 3, es, N, scratch), ZG_ERANGE);
  /* Roll over: all opt in again for epoch 3; seeds and assignment change. */
  for (unsigned i = 0; i < N; i++) signer_opt_in(&e, &s[i]);
  uint8_t seed2[32], seed3[32];
  epoch_seed(&e, 2, seed2);
  epoch_seed(&e, 3, seed3);
  CHECK(memcmp(seed2, seed3, 32) != 0);
  zg_da_epoch_signer_t es3[N];
  CHECK_EQ(epoch_signers(&e, 3, es3, N), N);
  CHECK_OK(zg_da_assign(s2, ZG_DA_COLUMNS, 0, es3, N, scratch));
  CHECK(memcmp(s1, s2, sizeof s1) != 0);
  /* seed(3) is keccak over epoch 2's outputs in address order. */
  uint8_t mix[32], want[32];
  zg_keccak256_ctx_t kc;
  zg_keccak256_init(&kc);
  for (unsigned i = 0; i < N; i++) zg_keccak256_update(&kc, es[i].output, 32);
  zg_keccak256_final(&kc, mix);
  zg_da_epoch_seed(want, DA_CHAIN, 3, mix);
  CHECK_MEM(seed3, want, 32);
  free(scratch);
  env_free(&e);
}

static void test_small_epoch(void) {
  /* Fewer tickets than slots: one quorum, slots wrap over the tickets. */
  env_t e;
  dsigner_t s[3];
  env_init(&e);
  setup_signers(&e, s, 3, 2);
  CHECK_EQ(quorum_count(&e, e.h.epoch), 1);
  zg_eth_addr_t qa[ZG_DA_COLUMNS];
  size_t n;
  CHECK(get_quorum(&e, e.h.epoch, 0, qa, &n));
  unsigned held[3] = {0};
  for (size_t j = 0; j < n; j++)
    for (unsigned i = 0; i < 3; i++) held[i] += !memcmp(qa[j].bytes, s[i].addr.bytes, 20);
  CHECK(held[0] + held[1] + held[2] == ZG_DA_COLUMNS);
  for (unsigned i = 0; i < 3; i++) CHECK(held[i] >= 42 && held[i] <= 44);
  /* Params and epoch views. */
  call_t c;
  CHECK_EQ(callv(&e, &c, &zg_dasigners_address, &s[0].addr, NULL, ZG_DAS_PARAMS, "(uint256,uint256,uint256,uint256)",
                 NULL, 0),
           ZG_SC_OK);
  uint64_t v;
  CHECK_OK(zg_abi_get_u64(&v, &c.out[0]));
  CHECK_EQ(v, ZG_DA_COLUMNS);
  CHECK_OK(zg_abi_get_u64(&v, &c.out[3]));
  CHECK_EQ(v, ZG_DA_MAX_BLOB_DEFAULT);
  call_done(&c);
  CHECK_EQ(callv(&e, &c, &zg_dasigners_address, &s[0].addr, NULL, ZG_DAS_EPOCH_NUMBER, "(uint256)", NULL, 0), ZG_SC_OK);
  CHECK_OK(zg_abi_get_u64(&v, &c.out[0]));
  CHECK_EQ(v, e.h.epoch);
  call_done(&c);
  env_free(&e);
}

static void test_random_assign(void) {
  /* Random signer sets: the assignment covers each slot, respects tickets
   * and q ranges, and is a pure function of its inputs. */
  long iters = zgt_iters(50);
  for (long it = 0; it < iters; it++) {
    size_t n = 1 + zgt_rand_below(20);
    zg_da_epoch_signer_t s[20];
    for (size_t i = 0; i < n; i++) {
      memset(s[i].addr, 0, 20);
      s[i].addr[19] = (uint8_t)i;
      s[i].tickets = 1 + zgt_rand_below(64);
      zgt_rand_bytes(s[i].output, 32);
    }
    size_t t = zg_da_total_tickets(s, n);
    zg_da_ticket_t *scratch = malloc(t * sizeof *scratch);
    uint64_t qn = zg_da_quorum_count(t, ZG_DA_COLUMNS);
    CHECK(qn >= 1);
    unsigned *held = calloc(n, sizeof *held);
    for (uint64_t q = 0; q < qn; q++) {
      uint32_t slot[ZG_DA_COLUMNS];
      CHECK_OK(zg_da_assign(slot, ZG_DA_COLUMNS, q, s, n, scratch));
      for (unsigned j = 0; j < ZG_DA_COLUMNS; j++) {
        CHECK(slot[j] < n);
        held[slot[j] % n]++;
      }
    }
    if (t >= ZG_DA_COLUMNS)
      for (size_t i = 0; i < n; i++) CHECK(held[i] <= s[i].tickets);
    uint32_t slot[ZG_DA_COLUMNS];
    CHECK_ERR(zg_da_assign(slot, ZG_DA_COLUMNS, qn, s, n, scratch), ZG_ERANGE);
    free(held);
    free(scratch);
  }
  uint32_t slot[1];
  CHECK_ERR(zg_da_assign(slot, 0, 0, NULL, 0, NULL), ZG_EINVAL);
  CHECK_ERR(zg_da_assign(slot, 1, 0, NULL, 0, NULL), ZG_ERANGE);
}

/* genesis.json "da.signers" for signers s[0..n) with `whole` tokens each;
 * `bad` (< n) gets a wrong VRF signature for epoch `bad_epoch`. */
static json_t *genesis_json(const dsigner_t *s, size_t n, uint64_t whole, size_t bad, unsigned bad_epoch) {
  zg_eth_addr_t addrs[8];
  zg_bls_sk_t sks[8];
  uint8_t sigs[8][2][ZG_DA_SIG_LEN];
  for (size_t i = 0; i < n; i++) {
    addrs[i] = s[i].addr;
    sks[i] = s[i].sk;
  }
  if (zg_da_genesis_vrf(sigs, DA_CHAIN, addrs, sks, n) != ZG_OK) abort();
  if (bad < n) memcpy(sigs[bad][bad_epoch], sigs[(bad + 1) % n][bad_epoch], ZG_DA_SIG_LEN);
  json_t *arr = json_array();
  char stake[80];
  zg_u256_t st = tokens(whole);
  zg_u256_to_dec(stake, &st);
  for (size_t i = 0; i < n; i++) {
    char a[43], pk[99], pop[195], v0[195], v1[195], ep[64];
    zg_bls_sig_t pr;
    uint8_t popb[96];
    if (zg_bls_pop_prove(&pr, &s[i].sk) != ZG_OK) abort();
    zg_bls_sig_serialize(popb, &pr);
    zg_eth_address_to_text(a, &s[i].addr);
    zg_hex_encode(pk, s[i].pk, 48);
    zg_hex_encode(pop, popb, 96);
    zg_hex_encode(v0, sigs[i][0], 96);
    zg_hex_encode(v1, sigs[i][1], 96);
    snprintf(ep, sizeof ep, "http://127.0.0.1:%zu", 9100 + i);
    json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s, s]}", "address", a, "blsPublicKey", pk,
                                         "pop", pop, "endpoint", ep, "stake", stake, "vrf", v0, v1));
  }
  return json_pack("{s:{s:o}}", "da", "signers", arr);
}

static zg_sc_status_t run_genesis(env_t *e, json_t *g, char *reason, size_t rl) {
  zg_sc_result_t gr;
  memset(&gr, 0, sizeof gr);
  e->h.self = zg_dasigners_address;
  e->h.epoch = 0;
  zg_sc_status_t st = zg_dasigners_contract.genesis(&e->h, g, &gr);
  snprintf(reason, rl, "%s", gr.reason);
  zg_sc_result_free(&gr);
  json_decref(g);
  return st;
}

/* Signers registered and opted in for epochs 0 and 1 at genesis: the same
 * records, quorums and seeds as by transaction; every check applies. */
static void test_genesis_signers(void) {
  enum { N = 4 };
  dsigner_t s[N];
  char why[256];
  for (unsigned i = 0; i < N; i++) signer_make(&s[i], 40 + i);
  env_t e;
  env_init(&e);
  zg_u256_t bond = tokens(32 * N);
  fund(&e, &zg_dasigners_address, &bond);
  CHECK_EQ(run_genesis(&e, genesis_json(s, N, 32, N, 0), why, sizeof why), ZG_SC_OK);
  for (uint64_t ep = 0; ep < 2; ep++) {
    e.h.epoch = ep;
    CHECK_EQ(quorum_count(&e, ep), 1);
    zg_da_epoch_signer_t es[N];
    CHECK_EQ(epoch_signers(&e, ep, es, N), N);
    zg_eth_addr_t qa[ZG_DA_COLUMNS];
    size_t n;
    uint32_t slot[ZG_DA_COLUMNS];
    zg_da_ticket_t scratch[32 * N];
    CHECK(get_quorum(&e, ep, 0, qa, &n));
    CHECK_EQ(n, ZG_DA_COLUMNS);
    CHECK_OK(zg_da_assign(slot, ZG_DA_COLUMNS, 0, es, N, scratch));
    for (unsigned j = 0; j < ZG_DA_COLUMNS; j++) CHECK_MEM(qa[j].bytes, es[slot[j]].addr, 20);
    /* Each output is that of the signer's own signature on the view's seed. */
    for (unsigned i = 0; i < N; i++) {
      uint8_t sig[96], out[32];
      vrf_sig(&e, &s[i], ep, sig);
      zg_da_vrf_output(out, sig);
      bool hit = false;
      for (unsigned k = 0; k < N; k++)
        if (!memcmp(es[k].addr, s[i].addr.bytes, 20)) hit = !memcmp(es[k].output, out, 32) && es[k].tickets == 32;
      CHECK(hit);
    }
  }
  /* In epoch 1 a genesis signer opts in for epoch 2 by transaction. */
  e.h.epoch = 1;
  for (unsigned i = 0; i < N; i++) signer_opt_in(&e, &s[i]);
  CHECK_EQ(quorum_count(&e, 2), 1);
  /* Registered at genesis: registering again by transaction is refused. */
  zg_abi_value_t ra[3] = {zg_abi_bytes(s[0].pk, 48), zg_abi_bytes(s[0].pk, 48), zg_abi_string("http://x")};
  expect_revert(&e, &zg_dasigners_address, &s[0].addr, NULL, ZG_DAS_REGISTER_SIGNER, ra, 3, "already registered");
  env_free(&e);
  /* Unfunded bonds, a wrong VRF signature, a bad proof of possession. */
  env_init(&e);
  CHECK_EQ(run_genesis(&e, genesis_json(s, N, 32, N, 0), why, sizeof why), ZG_SC_REVERT);
  CHECK(strstr(why, "fund it in alloc") != NULL);
  env_free(&e);
  env_init(&e);
  fund(&e, &zg_dasigners_address, &bond);
  CHECK_EQ(run_genesis(&e, genesis_json(s, N, 32, 2, 1), why, sizeof why), ZG_SC_REVERT);
  CHECK(strstr(why, "signer 2 (opt in for epoch 1): DASigners: invalid VRF signature") != NULL);
  env_free(&e);
  env_init(&e);
  fund(&e, &zg_dasigners_address, &bond);
  json_t *g = genesis_json(s, N, 32, N, 0);
  json_t *s1 = json_array_get(json_object_get(json_object_get(g, "da"), "signers"), 1);
  json_object_set(s1, "pop", json_object_get(json_array_get(json_object_get(json_object_get(g, "da"), "signers"), 0),
                                             "pop"));
  CHECK_EQ(run_genesis(&e, g, why, sizeof why), ZG_SC_REVERT);
  CHECK(strstr(why, "signer 1 (register): DASigners: invalid proof of possession") != NULL);
  env_free(&e);
  env_init(&e);
  CHECK_EQ(run_genesis(&e, json_pack("{s:{s:[{s:s}]}}", "da", "signers", "address", "0x12"), why, sizeof why),
           ZG_SC_REVERT);
  env_free(&e);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_register);
  ZGT_RUN(test_stake_and_opt_in);
  ZGT_RUN(test_vrf_assignment);
  ZGT_RUN(test_small_epoch);
  ZGT_RUN(test_random_assign);
  ZGT_RUN(test_genesis_signers);
  return zgt_done();
}

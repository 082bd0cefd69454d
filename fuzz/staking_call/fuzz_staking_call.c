/* fuzz_staking_call.c — the Staking contract driven by operation sequences
 * from the fuzzer, through the real dispatcher (zg_sc_call) over an
 * in-memory host that rolls back reverted calls. Each input starts from the
 * same genesis (4 validators). Operations are structured (delegate,
 * undelegate, withdraw, setCommission, registerValidator with good keys,
 * correctly signed equivocation evidence, end of epoch) or raw calldata
 * after a real selector. A call may revert; it must never fail (a host
 * error means a broken book), crash, or leave books that do not balance. */
#include <stdlib.h>
#include <string.h>

#include "contracts/sc_memhost.h"
#include "contracts/staking_books.h"
#include "zg/abi.h"
#include "zg/bft.h"
#include "zg/bls.h"
#include "zg/ed25519.h"
#include "zg/staking.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NKEYS 6   /* validators with keys: 4 at genesis, 2 that may register */
#define NACTORS 8 /* delegators */
#define CHAIN 16888u

typedef struct {
  zg_eth_addr_t op;
  zg_ed25519_sk_t sk;
  uint8_t nk[32], bls[48], pop[96];
} fkey_t;

static fkey_t keys[NKEYS];
static zg_eth_addr_t actors[NACTORS];
static mh_world_t genesis_world;
static zg_sc_registry_t *reg;
static const zg_eth_addr_t staking = {ZG_STAKING_ADDRESS_BYTES};

static zg_u256_t zg_units(uint64_t whole) {
  zg_u256_t r = zg_u256_from_u64(whole);
  (void)zg_u256_mul_u64(&r, &r, 1000000000000000000ull);
  return r;
}

static void setup(void) {
  zg_staking_genesis_validator_t gv[4];
  zg_staking_genesis_t g;
  zg_sc_host_t h;
  zg_sc_result_t r;
  for (unsigned i = 0; i < NKEYS; i++) {
    uint8_t seed[32] = {0}, ikm[32] = {0};
    zg_ed25519_pk_t pk;
    zg_bls_sk_t bsk;
    zg_bls_pk_t bpk;
    zg_bls_sig_t pop;
    seed[0] = 0xf0;
    seed[31] = (uint8_t)i;
    ikm[0] = 0xf1;
    ikm[31] = (uint8_t)i;
    if (zg_ed25519_keypair_from_seed(&pk, &keys[i].sk, seed) || zg_bls_keygen(&bsk, ikm, 32, NULL, 0) ||
        zg_bls_pop_prove(&pop, &bsk))
      abort();
    zg_bls_sk_to_pk(&bpk, &bsk);
    memcpy(keys[i].nk, pk.bytes, 32);
    zg_bls_pk_serialize(keys[i].bls, &bpk);
    zg_bls_sig_serialize(keys[i].pop, &pop);
    memset(&keys[i].op, 0, 20);
    keys[i].op.bytes[0] = 0x0b;
    keys[i].op.bytes[19] = (uint8_t)(0x40 + i);
  }
  for (unsigned i = 0; i < NACTORS; i++) {
    memset(&actors[i], 0, 20);
    actors[i].bytes[0] = 0x0d;
    actors[i].bytes[19] = (uint8_t)i;
  }
  zg_staking_genesis_defaults(&g);
  g.max_validators = 3;
  for (unsigned i = 0; i < 4; i++) {
    memset(&gv[i], 0, sizeof gv[i]);
    gv[i].operator_addr = keys[i].op;
    memcpy(gv[i].consensus_key, keys[i].nk, 32);
    memcpy(gv[i].bls_pubkey, keys[i].bls, 48);
    memcpy(gv[i].bls_pop, keys[i].pop, 96);
    gv[i].stake = zg_units(10 + 5 * i);
    (void)zg_u256_add(mh_acct(&genesis_world, &staking), mh_acct(&genesis_world, &staking), &gv[i].stake);
  }
  g.validators = gv;
  g.n_validators = 4;
  mh_host_init(&h, &genesis_world, &staking, CHAIN);
  memset(&r, 0, sizeof r);
  zg_buf_init(&r.ret);
  if (zg_staking_genesis_apply(&h, &g, &r) != ZG_SC_OK) abort();
  zg_sc_result_free(&r);
  if (zg_sc_registry_new(&reg) || zg_contracts_register_all(reg)) abort();
}

typedef struct {
  const uint8_t *p;
  size_t n;
} in_t;

static uint8_t take(in_t *in) {
  if (!in->n) return 0;
  in->n--;
  return *in->p++;
}

/* Runs calldata from caller with value; rolls back unless it succeeds. */
static void run(mh_world_t *w, const zg_eth_addr_t *caller, const zg_u256_t *value, const uint8_t *cd, size_t n) {
  zg_sc_host_t h;
  zg_sc_result_t r;
  mh_world_t saved;
  mh_host_init(&h, w, &staking, CHAIN);
  h.caller = *caller;
  h.value = *value;
  mh_world_copy(&saved, w);
  /* The executor moves the value from the caller to the contract before
   * the call; actors here have no balances, so it comes from nowhere. */
  (void)zg_u256_add(mh_acct(w, &staking), mh_acct(w, &staking), value);
  if (zg_sc_call(reg, &h, cd, n, &r) != ZG_OK && r.status != ZG_SC_FAIL) abort();
  if (r.status == ZG_SC_FAIL) abort(); /* a host error: the books are broken */
  if (r.status != ZG_SC_OK) {
    mh_world_free(w);
    *w = saved;
  } else {
    mh_world_free(&saved);
  }
  zg_sc_result_free(&r);
}

static void call(mh_world_t *w, const zg_eth_addr_t *caller, const zg_u256_t *value, const char *sig,
                 const zg_abi_value_t *args, size_t nargs) {
  zg_abi_arena_t a;
  zg_abi_func_t f;
  zg_buf_t cd;
  zg_abi_arena_init(&a);
  zg_buf_init(&cd);
  if (zg_abi_func_parse(&f, &a, sig) || zg_abi_call_encode(&cd, &f, args, nargs)) abort();
  run(w, caller, value, cd.ptr, cd.len);
  zg_buf_clear(&cd);
  zg_abi_arena_clear(&a);
}

static const zg_eth_addr_t *validator_of(uint8_t b) { return &keys[b % NKEYS].op; }

static const zg_eth_addr_t *actor_of(uint8_t b) { return b & 0x80 ? validator_of(b) : &actors[b % NACTORS]; }

/* Two correctly signed conflicting votes of key k under index idx. */
static void equivocate(mh_world_t *w, const fkey_t *k, uint8_t idx, uint64_t epoch, uint8_t round, uint8_t lane) {
  uint8_t va[ZG_BFT_VOTE_LEN], vb[ZG_BFT_VOTE_LEN];
  zg_bft_vote_t v;
  uint8_t msg[ZG_BFT_VOTE_MSG_LEN];
  memset(&v, 0, sizeof v);
  v.chain_id = CHAIN;
  v.lane = lane;
  v.epoch = epoch;
  v.round = round;
  v.signer = idx;
  for (int i = 0; i < 2; i++) {
    memset(v.block_id, i + 1, 32);
    zg_bft_vote_message(msg, &v);
    if (zg_ed25519_sign(v.sig, &k->sk, msg, sizeof msg)) abort();
    zg_bft_vote_encode(i ? vb : va, &v);
  }
  zg_abi_value_t args[2] = {zg_abi_bytes(va, sizeof va), zg_abi_bytes(vb, sizeof vb)};
  call(w, &actors[0], &(zg_u256_t){{0}}, "submitEquivocation(bytes,bytes)", args, 2);
}

static void step(mh_world_t *w, in_t *in) {
  uint8_t op = take(in), a = take(in), b = take(in), c = take(in);
  zg_u256_t zero = zg_u256_from_u64(0), amt = zg_units(1 + c % 8);
  if (c & 0x80) amt = zg_u256_from_u64(c); /* tiny amounts too */
  switch (op % 8) {
  case 0: {
    zg_abi_value_t args[1] = {zg_abi_address(validator_of(b)->bytes)};
    call(w, actor_of(a), &amt, "delegate(address)", args, 1);
    break;
  }
  case 1: {
    uint8_t word[32];
    zg_u256_to_be32(word, &amt);
    zg_abi_value_t args[2] = {zg_abi_address(validator_of(b)->bytes), zg_abi_uint_be(word)};
    call(w, actor_of(a), &zero, "undelegate(address,uint256)", args, 2);
    break;
  }
  case 2:
    call(w, actor_of(a), &zero, "withdraw()", NULL, 0);
    break;
  case 3: {
    zg_abi_value_t args[1] = {zg_abi_u64((uint64_t)b * 40)};
    call(w, validator_of(a), &zero, "setCommission(uint16)", args, 1);
    break;
  }
  case 4: {
    const fkey_t *k = &keys[b % NKEYS];
    zg_abi_value_t args[4] = {zg_abi_fbytes(k->nk, 32), zg_abi_bytes(k->bls, 48), zg_abi_bytes(k->pop, 96),
                              zg_abi_u64(c * 10u)};
    call(w, &k->op, &amt, "registerValidator(bytes32,bytes,bytes,uint16)", args, 4);
    break;
  }
  case 5: {
    zg_sc_host_t h;
    uint64_t cur = 0;
    mh_host_init(&h, w, &staking, CHAIN);
    if (zg_staking_current_epoch(&h, &cur)) abort();
    equivocate(w, &keys[a % NKEYS], b % 4, cur - (c % 2 && cur ? 1 : 0), c, (uint8_t)(c % 3));
    break;
  }
  case 6: {
    zg_sc_host_t h;
    uint64_t cur = 0;
    mh_host_init(&h, w, &staking, CHAIN);
    if (zg_staking_current_epoch(&h, &cur) || zg_staking_end_epoch(&h, cur + 1, 1 + a % 6)) abort();
    break;
  }
  default: { /* raw arguments after a real selector */
    uint8_t cd[4 + 256];
    const zg_sc_method_t *m = &zg_staking_contract.methods[a % zg_staking_contract.n_methods];
    size_t n = b < in->n ? b : in->n;
    zg_abi_selector(cd, m->signature, strlen(m->signature));
    memcpy(cd + 4, in->p, n);
    in->p += n;
    in->n -= n;
    run(w, actor_of(c), &zero, cd, 4 + n);
    break;
  }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    setup();
    ready = 1;
  }
  mh_world_t w;
  in_t in = {data, size};
  mh_world_copy(&w, &genesis_world);
  for (int i = 0; i < 64 && in.n; i++) {
    step(&w, &in);
    if (staking_books_check(&w)) abort();
  }
  mh_world_free(&w);
  return 0;
}

/*
 * da_env.h — the test environment of DASigners and DAEntrance
 * (test_dasigners.c, test_daentrance.c): both contracts in one registry
 * over the in-memory host (contracts/sc_memhost.h), calls through the real
 * dispatcher with rollback on revert, and signers with BLS keys that
 * register, bond, opt in and sign as the signer role would.
 */
#ifndef ZG_TEST_DA_ENV_H
#define ZG_TEST_DA_ENV_H

#include <stdlib.h>
#include <string.h>

#include "contracts/sc_memhost.h"
#include "zg/abi.h"
#include "zg/bls.h"
#include "zg/da_contracts.h"
#include "zg_test.h"

#define DA_CHAIN 16888u

typedef struct {
  zg_sc_host_t h;
  mh_world_t w;
  zg_sc_registry_t *reg;
} env_t;

typedef struct {
  zg_eth_addr_t addr;
  zg_bls_sk_t sk;
  uint8_t pk[48];
} dsigner_t;

static inline zg_u256_t tokens(uint64_t whole) {
  zg_u256_t r = zg_u256_from_u64(whole);
  (void)zg_u256_mul_u64(&r, &r, 1000000000000000000ull);
  return r;
}

static inline void env_init(env_t *e) {
  memset(e, 0, sizeof *e);
  mh_host_init(&e->h, &e->w, &zg_dasigners_address, DA_CHAIN);
  if (zg_sc_registry_new(&e->reg) != ZG_OK || zg_sc_register(e->reg, &zg_dasigners_contract) != ZG_OK ||
      zg_sc_register(e->reg, &zg_daentrance_contract) != ZG_OK)
    abort();
}

static inline void env_free(env_t *e) {
  mh_world_free(&e->w);
  zg_sc_registry_free(e->reg);
}

static inline void fund(env_t *e, const zg_eth_addr_t *a, const zg_u256_t *v) {
  zg_u256_t *b = mh_acct(&e->w, a);
  (void)zg_u256_add(b, b, v);
}

typedef struct {
  zg_sc_result_t r;
  zg_abi_arena_t a;
  const zg_abi_value_t *out; /* decoded return values */
} call_t;

/* Calls sig on contract `to` from caller with value; rolls back on revert. */
static inline zg_sc_status_t callv(env_t *e, call_t *c, const zg_eth_addr_t *to, const zg_eth_addr_t *caller,
                            const zg_u256_t *value, const char *sig, const char *ret_type, const zg_abi_value_t *args,
                            size_t n) {
  zg_abi_func_t f;
  zg_buf_t cd;
  mh_world_t saved;
  memset(c, 0, sizeof *c);
  zg_abi_arena_init(&c->a);
  zg_buf_init(&cd);
  if (zg_abi_func_parse(&f, &c->a, sig) != ZG_OK || zg_abi_call_encode(&cd, &f, args, n) != ZG_OK) abort();
  mh_world_copy(&saved, &e->w);
  e->h.self = *to;
  e->h.caller = *caller;
  e->h.value = value ? *value : zg_u256_from_u64(0);
  zg_u256_t *from = mh_acct(&e->w, caller), nf;
  if (!zg_u256_sub(&nf, from, &e->h.value)) abort();
  *from = nf;
  zg_u256_t *dst = mh_acct(&e->w, to);
  (void)zg_u256_add(dst, dst, &e->h.value);
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
  zg_buf_clear(&cd);
  return c->r.status;
}

static inline void call_done(call_t *c) {
  zg_sc_result_free(&c->r);
  zg_abi_arena_clear(&c->a);
}

/* Expects a revert whose reason contains `want`. */
static inline void expect_revert(env_t *e, const zg_eth_addr_t *to, const zg_eth_addr_t *caller, const zg_u256_t *value,
                          const char *sig, const zg_abi_value_t *args, size_t n, const char *want) {
  call_t c;
  zg_sc_status_t s = callv(e, &c, to, caller, value, sig, NULL, args, n);
  if (s != ZG_SC_REVERT || !strstr(c.r.reason, want))
    ZGT_FAIL("%s: expected revert '%s', got status %d '%s'", sig, want, (int)s, c.r.reason);
  call_done(&c);
}

static inline void expect_ok(env_t *e, const zg_eth_addr_t *to, const zg_eth_addr_t *caller, const zg_u256_t *value,
                      const char *sig, const zg_abi_value_t *args, size_t n) {
  call_t c;
  zg_sc_status_t s = callv(e, &c, to, caller, value, sig, NULL, args, n);
  if (s != ZG_SC_OK) ZGT_FAIL("%s: status %d '%s'", sig, (int)s, c.r.reason);
  call_done(&c);
}

static inline void signer_make(dsigner_t *s, unsigned n) {
  uint8_t ikm[32] = {0};
  memset(s, 0, sizeof *s);
  s->addr.bytes[0] = 0xd0;
  s->addr.bytes[18] = (uint8_t)(n >> 8);
  s->addr.bytes[19] = (uint8_t)n;
  ikm[0] = (uint8_t)n;
  ikm[1] = (uint8_t)(n >> 8);
  ikm[31] = 0x5a;
  zg_bls_pk_t pk;
  if (zg_bls_keygen(&s->sk, ikm, sizeof ikm, NULL, 0) != ZG_OK) abort();
  zg_bls_sk_to_pk(&pk, &s->sk);
  zg_bls_pk_serialize(s->pk, &pk);
}

static inline void signer_register(env_t *e, const dsigner_t *s, const char *socket) {
  zg_bls_sig_t pop;
  uint8_t popb[96];
  if (zg_bls_pop_prove(&pop, &s->sk) != ZG_OK) abort();
  zg_bls_sig_serialize(popb, &pop);
  zg_abi_value_t a[3] = {zg_abi_bytes(s->pk, 48), zg_abi_bytes(popb, 96), zg_abi_string(socket)};
  expect_ok(e, &zg_dasigners_address, &s->addr, NULL, ZG_DAS_REGISTER_SIGNER, a, 3);
}

static inline void signer_deposit(env_t *e, const dsigner_t *s, uint64_t whole) {
  zg_u256_t v = tokens(whole);
  fund(e, &s->addr, &v);
  expect_ok(e, &zg_dasigners_address, &s->addr, &v, ZG_DAS_DEPOSIT, NULL, 0);
}

/* seed(E) through the view. */
static inline void epoch_seed(env_t *e, uint64_t epoch, uint8_t seed[32]) {
  call_t c;
  zg_abi_value_t a = zg_abi_u64(epoch);
  if (callv(e, &c, &zg_dasigners_address, &zg_dasigners_address, NULL, ZG_DAS_EPOCH_SEED, "(bytes32)", &a, 1) !=
      ZG_SC_OK)
    abort();
  memcpy(seed, c.out[0].u.word, 32);
  call_done(&c);
}

/* The signer's VRF signature for epoch E (as the signer role computes it). */
static inline void vrf_sig(env_t *e, const dsigner_t *s, uint64_t epoch, uint8_t out[96]) {
  uint8_t seed[32], msg[ZG_DA_VRF_MSG_LEN];
  zg_bls_sig_t sig;
  epoch_seed(e, epoch, seed);
  zg_da_vrf_message(msg, DA_CHAIN, epoch, seed);
  if (zg_bls_sign(&sig, &s->sk, msg, sizeof msg) != ZG_OK) abort();
  zg_bls_sig_serialize(out, &sig);
}

static inline void signer_opt_in(env_t *e, const dsigner_t *s) {
  uint8_t sig[96];
  vrf_sig(e, s, e->h.epoch + 1, sig);
  zg_abi_value_t a = zg_abi_bytes(sig, 96);
  expect_ok(e, &zg_dasigners_address, &s->addr, NULL, ZG_DAS_REGISTER_NEXT_EPOCH, &a, 1);
}

static inline uint64_t quorum_count(env_t *e, uint64_t epoch) {
  call_t c;
  uint64_t q = 0;
  zg_abi_value_t a = zg_abi_u64(epoch);
  if (callv(e, &c, &zg_dasigners_address, &zg_dasigners_address, NULL, ZG_DAS_QUORUM_COUNT, "(uint256)", &a, 1) !=
          ZG_SC_OK ||
      zg_abi_get_u64(&q, &c.out[0]) != ZG_OK)
    abort();
  call_done(&c);
  return q;
}

/* getQuorum(epoch, q): slot owners (addresses) into out; false on revert. */
static inline bool get_quorum(env_t *e, uint64_t epoch, uint64_t q, zg_eth_addr_t out[ZG_DA_COLUMNS], size_t *n) {
  call_t c;
  zg_abi_value_t a[2] = {zg_abi_u64(epoch), zg_abi_u64(q)};
  bool ok = callv(e, &c, &zg_dasigners_address, &zg_dasigners_address, NULL, ZG_DAS_GET_QUORUM, "(address[])", a,
                  2) == ZG_SC_OK;
  *n = 0;
  if (ok) {
    *n = c.out[0].len;
    for (size_t j = 0; j < *n && j < ZG_DA_COLUMNS; j++) memcpy(out[j].bytes, c.out[0].u.items[j].u.word + 12, 20);
  }
  call_done(&c);
  return ok;
}

/* Registers n signers at epoch `e->h.epoch`, bonds `stake` tokens each,
 * moves one epoch on and opts all in for the next; leaves the host in the
 * epoch they serve. */
static inline void setup_signers(env_t *e, dsigner_t *s, unsigned n, uint64_t stake) {
  char sock[64];
  for (unsigned i = 0; i < n; i++) {
    signer_make(&s[i], i + 1);
    snprintf(sock, sizeof sock, "http://127.0.0.1:%u", 9000 + i);
    signer_register(e, &s[i], sock);
    signer_deposit(e, &s[i], stake);
  }
  e->h.epoch++;
  for (unsigned i = 0; i < n; i++) signer_opt_in(e, &s[i]);
  e->h.epoch++;
}

#endif

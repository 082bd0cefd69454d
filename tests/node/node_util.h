/*
 * node_util.h — helpers of the validator-role tests: deterministic validator
 * keys, genesis.json and keys.json texts, temporary directories.
 *
 * Validator i's secrets are derived from i alone (seed bytes 0x11*(i+1)...),
 * so every test builds the same chain; they are test keys, never secrets.
 */
#ifndef ZG_TESTS_NODE_UTIL_H
#define ZG_TESTS_NODE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/bls.h"
#include "zg/bytes.h"
#include "zg/ecdsa.h"
#include "zg/ed25519.h"

typedef struct {
  uint8_t node_seed[32], bls_ikm[32], op_sk[32];
  zg_ed25519_pk_t node_pk;
  uint8_t bls_pk[48], bls_pop[96];
  zg_eth_addr_t op_addr;
} nu_val_t;

/* Fills v with validator i's keys. Returns 0 on success. */
static inline int nu_val_make(nu_val_t *v, unsigned i) {
  memset(v, 0, sizeof *v);
  for (int k = 0; k < 32; k++) {
    v->node_seed[k] = (uint8_t)(0x11 * (i + 1) + k);
    v->bls_ikm[k] = (uint8_t)(0x22 * (i + 1) + 3 * k);
    v->op_sk[k] = (uint8_t)(0x33 + i + k);
  }
  zg_ed25519_sk_t sk;
  zg_bls_sk_t bsk;
  zg_bls_pk_t bpk;
  zg_bls_sig_t pop;
  zg_secp256k1_sk_t osk;
  zg_secp256k1_pk_t opk;
  if (zg_ed25519_keypair_from_seed(&v->node_pk, &sk, v->node_seed) != ZG_OK) return -1;
  if (zg_bls_keygen(&bsk, v->bls_ikm, 32, NULL, 0) != ZG_OK) return -1;
  /* keys.json holds the BLS secret itself: keep its serialisation in bls_ikm. */
  zg_bls_sk_serialize(v->bls_ikm, &bsk);
  zg_bls_sk_to_pk(&bpk, &bsk);
  zg_bls_pk_serialize(v->bls_pk, &bpk);
  if (zg_bls_pop_prove(&pop, &bsk) != ZG_OK) return -1;
  zg_bls_sig_serialize(v->bls_pop, &pop);
  if (zg_secp256k1_sk_parse(&osk, v->op_sk, 32) != ZG_OK || zg_secp256k1_pubkey(&opk, &osk) != ZG_OK) return -1;
  zg_eth_address(&v->op_addr, &opk);
  return 0;
}

static inline void nu_hex(char *out, const uint8_t *p, size_t n) { zg_hex_encode(out, p, n); }

/* Writes genesis.json text for n validators (stake 1000 ether each) and the
 * given funded accounts (1e24 wei each) into buf (cap bytes). */
static inline int nu_genesis_text(char *buf, size_t cap, const nu_val_t *v, unsigned n, unsigned lanes,
                                  unsigned epoch_length, const zg_eth_addr_t *funded, unsigned nfunded,
                                  const char *const *p2p) {
  size_t o = 0;
#define NU_PUT(...)                                                             \
  do {                                                                          \
    int nu_w = snprintf(buf + o, o < cap ? cap - o : 0, __VA_ARGS__);           \
    if (nu_w < 0 || (size_t)nu_w >= cap - o) return -1;                         \
    o += (size_t)nu_w;                                                          \
  } while (0)
  NU_PUT("{\"chainId\": 16888, \"lanes\": %u, \"epochLength\": %u, \"maxValidators\": 64, "
         "\"blockTime\": \"100ms\", \"baseFeeGwei\": 1, \"unbondingEpochs\": 2, \"validators\": [",
         lanes, epoch_length);
  for (unsigned i = 0; i < n; i++) {
    char nk[67], bk[99], bp[195], op[43];
    nu_hex(nk, v[i].node_pk.bytes, 32);
    nu_hex(bk, v[i].bls_pk, 48);
    nu_hex(bp, v[i].bls_pop, 96);
    zg_eth_address_to_text(op, &v[i].op_addr);
    NU_PUT("%s{\"name\": \"v%u\", \"nodeKey\": \"%s\", \"blsKey\": \"%s\", \"blsPop\": \"%s\", "
           "\"operator\": \"%s\", \"stake\": \"1000000000000000000000\", \"p2p\": \"%s\"}",
           i ? ", " : "", i, nk, bk, bp, op, p2p ? p2p[i] : "127.0.0.1:0");
  }
  /* Staking holds the genesis stakes (1000 ether each). */
  NU_PUT("], \"alloc\": {\"0x0000000000000000000000000000000000001001\": \"%u000000000000000000000\"", n);
  for (unsigned i = 0; i < nfunded; i++) {
    char a[43];
    zg_eth_address_to_text(a, &funded[i]);
    NU_PUT(", \"%s\": \"1000000000000000000000000\"", a);
  }
  NU_PUT("}}");
#undef NU_PUT
  return 0;
}

/* keys.json text of validator v. */
static inline int nu_keys_text(char *buf, size_t cap, const nu_val_t *v) {
  char a[67], b[67], c[67];
  nu_hex(a, v->node_seed, 32);
  nu_hex(b, v->bls_ikm, 32);
  nu_hex(c, v->op_sk, 32);
  int w = snprintf(buf, cap, "{\"nodeKey\": \"%s\", \"blsKey\": \"%s\", \"operatorKey\": \"%s\"}", a, b, c);
  return (w < 0 || (size_t)w >= cap) ? -1 : 0;
}

static inline int nu_write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  size_t n = strlen(text);
  int rc = fwrite(text, 1, n, f) == n ? 0 : -1;
  return fclose(f) == 0 ? rc : -1;
}

/* A fresh directory under $TMPDIR (or /tmp); path gets at most cap bytes. */
static inline int nu_tmpdir(char *path, size_t cap, const char *tag) {
  const char *base = getenv("TMPDIR");
  snprintf(path, cap, "%s/zg_%s_XXXXXX", base ? base : "/tmp", tag);
  return mkdtemp(path) ? 0 : -1;
}

static inline void nu_rmrf(const char *path) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", path);
}

#endif

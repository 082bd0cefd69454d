/*
 * cli_devnet_da.c — the DA signers of `zg devnet up --da-signers N`
 * (devnet_da.h; docs/da-node.md "Devnet", docs/da-contracts.md "Genesis").
 *
 * Signer i is a `zg node` process of its own with only a daSigner section,
 * in DIR/da<i>/: it serves the /da/v1 endpoints on 127.0.0.1:P+i (P: the first port
 * after the validators' and storage nodes'), follows the chain through
 * validator (i mod V)'s Ethereum JSON-RPC and opts in for every epoch from 2
 * on by transaction with its own lane-0 Ethereum key. Genesis registers it
 * (BLS key, proof of possession, endpoint, bond) and opts it in for epochs 0
 * and 1 with its unique BLS signatures (zg_da_genesis_vrf), so the devnet
 * has a quorum from block 1. Bonds: ceil(128 / N) slots' worth each, so the
 * N signers fill one quorum of 128 slots.
 *
 * Invariants: secret keys live only in da<i>/bls.key and da<i>/eth.key
 * (mode 0600) and are wiped from memory after use; the state objects hold
 * public data only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/devnet.h" /* zg__devnet_block_number */
#include "cli/devnet_da.h"
#include "zg/bls.h"
#include "zg/bytes.h"
#include "zg/da_contracts.h"
#include "zg/ecdsa.h"
#include "zg/rpc_client.h"
#include "zg/u256.h"

#define FUNDS "1000000000000000000000000" /* 1,000,000 ZG in wei, as the dev accounts */

/* mkdir -p (this file keeps its own small helpers, so it builds whatever
 * cli_devnet.c exports). */
static bool mkdir_p(const char *path) {
  char tmp[1024];
  if (strlen(path) >= sizeof tmp) return false;
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return false;
    *p = '/';
  }
  return mkdir(tmp, 0755) == 0 || errno == EEXIST;
}

static bool write_json(const char *path, const json_t *j) {
  if (json_dump_file(j, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
    fprintf(stderr, "zg devnet: cannot write %s\n", path);
    return false;
  }
  return true;
}

/* A secp256k1 key whose address is owned by lane 0 of `lanes`. */
static zg_err_t gen_account(uint8_t sk_out[32], zg_eth_addr_t *addr, unsigned lanes) {
  for (int tries = 0; tries < 100000; tries++) {
    zg_secp256k1_sk_t sk;
    zg_secp256k1_pk_t pk;
    zg_err_t e = zg_secp256k1_sk_generate(&sk);
    if (e == ZG_OK) e = zg_secp256k1_pubkey(&pk, &sk);
    if (e != ZG_OK) {
      zg_secp256k1_sk_clear(&sk);
      return e;
    }
    zg_eth_address(addr, &pk);
    if (addr->bytes[19] % lanes == 0) {
      memcpy(sk_out, sk.bytes, 32);
      zg_secp256k1_sk_clear(&sk);
      return ZG_OK;
    }
    zg_secp256k1_sk_clear(&sk);
  }
  return ZG_ERANDOM;
}

typedef struct {
  zg_bls_sk_t sk;
  uint8_t pk[48], pop[96];
  uint8_t eth_sk[32];
  zg_eth_addr_t addr;
} da_key_t;

static bool write_secret(const char *path, const uint8_t *k, size_t n) {
  char hex[67];
  (void)zg_hex_encode(hex, k, n);
  json_t *j = json_string(hex);
  zg_memwipe(hex, sizeof hex);
  /* The key files hold the hex alone (what daSigner.key/ethKey read). */
  FILE *f = fopen(path, "w");
  bool ok = f && j && fchmod(fileno(f), 0600) == 0 && fprintf(f, "%s\n", json_string_value(j)) > 0;
  if (f && fclose(f) != 0) ok = false;
  if (j) zg_memwipe((char *)json_string_value(j), json_string_length(j));
  json_decref(j);
  if (!ok) fprintf(stderr, "zg devnet: cannot write %s\n", path);
  return ok;
}

static json_t *jhex(const uint8_t *p, size_t n) {
  char h[2 * 96 + 3];
  (void)zg_hex_encode(h, p, n);
  return json_string(h);
}

static zg_err_t gen_key(da_key_t *k, unsigned lanes) {
  uint8_t ikm[32];
  zg_bls_pk_t pk;
  zg_bls_sig_t pop;
  zg_err_t e = zg_random_bytes(ikm, sizeof ikm);
  if (e == ZG_OK) e = zg_bls_keygen(&k->sk, ikm, sizeof ikm, NULL, 0);
  zg_memwipe(ikm, sizeof ikm);
  if (e == ZG_OK) e = zg_bls_pop_prove(&pop, &k->sk);
  if (e != ZG_OK) return e;
  zg_bls_sk_to_pk(&pk, &k->sk);
  zg_bls_pk_serialize(k->pk, &pk);
  zg_bls_sig_serialize(k->pop, &pop);
  return gen_account(k->eth_sk, &k->addr, lanes ? lanes : 1);
}

/* Files and state object of signer i. */
static bool write_signer(json_t *out, const da_key_t *k, unsigned i, const char *dir_abs, const char *chain_rpc,
                         unsigned port, const char *stake) {
  char name[16], ndir[1024], cfgp[1100], logp[1100], pidp[1100], datap[1100], blsp[1100], ethp[1100], listen[32],
      url[64], addr[43];
  snprintf(name, sizeof name, "da%u", i);
  snprintf(ndir, sizeof ndir, "%s/%s", dir_abs, name);
  snprintf(cfgp, sizeof cfgp, "%s/config.json", ndir);
  snprintf(logp, sizeof logp, "%s/node.log", ndir);
  snprintf(pidp, sizeof pidp, "%s/node.pid", ndir);
  snprintf(datap, sizeof datap, "%s/data", ndir);
  snprintf(blsp, sizeof blsp, "%s/bls.key", ndir);
  snprintf(ethp, sizeof ethp, "%s/eth.key", ndir);
  snprintf(listen, sizeof listen, "127.0.0.1:%u", port);
  snprintf(url, sizeof url, "http://%s", listen);
  zg_eth_address_to_text(addr, &k->addr);
  if (!mkdir_p(ndir)) {
    fprintf(stderr, "zg devnet: cannot create %s\n", ndir);
    return false;
  }
  uint8_t skb[32];
  zg_bls_sk_serialize(skb, &k->sk);
  bool ok = write_secret(blsp, skb, 32) && write_secret(ethp, k->eth_sk, 32);
  zg_memwipe(skb, sizeof skb);
  json_t *cfg = json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s}}", "daSigner", "dataDir", datap, "key", blsp,
                          "listen", listen, "rpc", chain_rpc, "ethKey", ethp, "endpoint", url, "stake", stake);
  ok = ok && cfg && write_json(cfgp, cfg);
  json_decref(cfg);
  if (!ok) return false;
  json_t *node = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:[s], s:s, s:s, s:s, s:s}", "name", name, "rpc", url,
                           "endpoint", url, "address", addr, "bls_pubkey", jhex(k->pk, 48), "chain_rpc", chain_rpc,
                           "roles", "daSigner", "config", cfgp, "log", logp, "pid_file", pidp, "data_dir", datap);
  return node && json_array_append_new(out, node) == 0;
}

bool zg__devnet_da_write(json_t *out, json_t *alloc, json_t *genesis, const char *dir_abs, unsigned count,
                         uint64_t chain_id, const char *const *validator_rpc, size_t nval, unsigned base_port,
                         unsigned lanes) {
  if (count == 0) return true;
  if (count > ZG_DEVNET_MAX_DA_SIGNERS || nval == 0) return false;
  da_key_t *keys = calloc(count, sizeof *keys);
  zg_bls_sk_t *sks = calloc(count, sizeof *sks);
  zg_eth_addr_t *addrs = calloc(count, sizeof *addrs);
  uint8_t(*vrf)[2][ZG_DA_SIG_LEN] = calloc(count, sizeof *vrf);
  json_t *signers = json_array();
  bool ok = keys && sks && addrs && vrf && signers;
  /* Each signer bonds ceil(128 / N) slots' worth: N bonds fill one quorum. */
  zg_u256_t per, stake, total;
  char stake_dec[ZG_U256_DEC_MAX], total_dec[ZG_U256_DEC_MAX];
  ok = ok && zg_u256_parse(&per, ZG_DA_DEFAULT_TOKENS_PER_SLOT, strlen(ZG_DA_DEFAULT_TOKENS_PER_SLOT)) == ZG_OK &&
       zg_u256_mul_u64(&stake, &per, (ZG_DA_COLUMNS + count - 1) / count) &&
       zg_u256_mul_u64(&total, &stake, count);
  if (ok) {
    zg_u256_to_dec(stake_dec, &stake);
    zg_u256_to_dec(total_dec, &total);
  }
  for (unsigned i = 0; ok && i < count; i++) {
    ok = gen_key(&keys[i], lanes) == ZG_OK;
    sks[i] = keys[i].sk;
    addrs[i] = keys[i].addr;
  }
  ok = ok && zg_da_genesis_vrf(vrf, chain_id, addrs, sks, count) == ZG_OK;
  if (!ok) fprintf(stderr, "zg devnet: DA signer key generation failed\n");
  for (unsigned i = 0; ok && i < count; i++) {
    char addr[43], url[64];
    zg_eth_address_to_text(addr, &keys[i].addr);
    snprintf(url, sizeof url, "http://127.0.0.1:%u", base_port + i);
    json_t *s = json_pack("{s:s, s:o, s:o, s:s, s:s, s:[o, o]}", "address", addr, "blsPublicKey", jhex(keys[i].pk, 48),
                          "pop", jhex(keys[i].pop, 96), "endpoint", url, "stake", stake_dec, "vrf",
                          jhex(vrf[i][0], ZG_DA_SIG_LEN), jhex(vrf[i][1], ZG_DA_SIG_LEN));
    ok = s && json_array_append_new(signers, s) == 0;
    if (ok) json_object_set_new(alloc, addr, json_string(FUNDS));
    if (ok) ok = write_signer(out, &keys[i], i, dir_abs, validator_rpc[i % nval], base_port + i, stake_dec);
  }
  if (ok) {
    json_t *da = json_object_get(genesis, "da");
    if (!da) {
      da = json_object();
      json_object_set_new(genesis, "da", da);
    }
    json_object_set(da, "signers", signers);
    json_object_set_new(alloc, ZG_DASIGNERS_ADDRESS_TEXT, json_string(total_dec));
  }
  json_decref(signers);
  if (keys) zg_memwipe(keys, count * sizeof *keys);
  if (sks) zg_memwipe(sks, count * sizeof *sks);
  free(keys);
  free(sks);
  free(addrs);
  free(vrf);
  return ok;
}

bool zg__devnet_is_da(const json_t *node) {
  json_t *roles = json_object_get(node, "roles"), *r;
  size_t i;
  json_array_foreach(roles, i, r) if (json_is_string(r) && strcmp(json_string_value(r), "daSigner") == 0) return true;
  return false;
}

zg_err_t zg__devnet_da_status(uint64_t *height, const json_t *node, unsigned timeout_ms) {
  *height = 0;
  const char *url = json_string_value(json_object_get(node, "endpoint"));
  const char *chain = json_string_value(json_object_get(node, "chain_rpc"));
  if (!url) return ZG_EINVAL;
  zg_rpc_client_t *c = NULL;
  zg_buf_t b;
  long status = 0;
  zg_buf_init(&b);
  zg_err_t e = zg_rpc_client_create(&c, url, timeout_ms);
  if (e == ZG_OK) e = zg_rpc_client_get(c, &b, &status, "/health");
  if (e == ZG_OK && status != 200) e = ZG_EPEER;
  zg_rpc_client_destroy(c);
  zg_buf_clear(&b);
  if (e == ZG_OK && chain && zg__devnet_block_number(height, chain, timeout_ms) != ZG_OK) *height = 0;
  return e;
}

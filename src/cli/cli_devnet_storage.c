/*
 * cli_devnet_storage.c — the storage nodes of `zg devnet up --storage N
 * --shards S [--miners]` (docs/devnet.md "Storage nodes").
 *
 * Storage node j is a `zg node` process of its own (no validator section)
 * in DIR/s<j>/: it holds flow segments s with s mod S == j mod S, follows
 * the chain's Flow Submit events through validator (j mod V)'s Ethereum
 * JSON-RPC (storage.chain, docs/storage-network.md) and serves zgs_ on
 * 127.0.0.1:P+2j (P: the first port after the validators'). Its peer sync
 * (storage.p2p, docs/storage-network.md) listens on P+2j+1 with the Ed25519
 * seed of s<j>/p2p.key (hex, mode 0600) and has every other storage node
 * of the devnet as a peer. With --miners each node gets storage.miner
 * {"enabled": true, "key": K, "beneficiary": B}: K a fresh key owned by
 * lane 0 (Mine is a lane-0 contract) funded in genesis (its address is the
 * node's "miner" in devnet.json), B a fresh empty address (the node's
 * "beneficiary"), so the reward shows as B's balance. --miners also writes
 * genesis "storage" knobs that make mining visible on a devnet (4-second
 * epochs at 200 ms blocks, a low difficulty, a 1 ZG base reward per accepted
 * answer) and funds the Reward contract with 1000 ZG.
 *
 * Invariants: a config holding a miner key is written with mode 0600, as is
 * p2p.key, and the keys' text is wiped from memory after; the state objects
 * never hold secret keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/devnet.h"
#include "zg/bytes.h"
#include "zg/ed25519.h"
#include "zg/rpc_client.h"
#include "zg/storage_contracts.h"

#define FUNDS "1000000000000000000000000" /* 1,000,000 ZG in wei, as the dev accounts */

/* One node's config; key_hex (the miner key's text, or NULL) is copied into
 * it; p2p is the storage.p2p section (taken). */
static json_t *storage_config(const char *data_dir, unsigned shard, unsigned shards, const char *chain_rpc,
                              const char *rpc_addr, const char *key_hex, const char *beneficiary, json_t *p2p) {
  json_t *storage = json_pack("{s:s, s:{s:i, s:i}, s:{s:s, s:i, s:i}, s:o}", "dataDir", data_dir, "shard", "shardId",
                              shard, "numShard", shards, "chain", "rpc", chain_rpc, "confirmations", 1, "pollMs", 100,
                              "p2p", p2p);
  if (storage && key_hex)
    json_object_set_new(storage, "miner",
                        json_pack("{s:b, s:s, s:s}", "enabled", 1, "key", key_hex, "beneficiary", beneficiary));
  return json_pack("{s:o, s:{s:s}}", "storage", storage, "rpc", "addr", rpc_addr);
}

/* Writes a fresh Ed25519 seed as hex to path (mode 0600); pk_hex gets the
 * public key's hex without 0x. */
static bool write_p2p_key(char pk_hex[65], const char *path) {
  uint8_t seed[32];
  char text[67], pkt[67];
  zg_ed25519_pk_t pk;
  zg_ed25519_sk_t sk;
  bool ok = zg_random_bytes(seed, sizeof seed) == ZG_OK && zg_ed25519_keypair_from_seed(&pk, &sk, seed) == ZG_OK;
  zg_ed25519_sk_clear(&sk);
  (void)zg_hex_encode(text, seed, sizeof seed);
  zg_memwipe(seed, sizeof seed);
  int fd = ok ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
  if (fd >= 0) {
    (void)fchmod(fd, 0600);
    ok = write(fd, text + 2, 64) == 64 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
  } else {
    ok = false;
  }
  zg_memwipe(text, sizeof text);
  if (!ok) {
    fprintf(stderr, "zg devnet: cannot write %s: %s\n", path, strerror(errno));
    return false;
  }
  (void)zg_hex_encode(pkt, pk.bytes, 32);
  memcpy(pk_hex, pkt + 2, 65);
  return true;
}

/* Wipes every string of a config (the miner key among them) before it goes. */
static void wipe_strings(json_t *j) {
  const char *k;
  json_t *v;
  size_t i;
  if (json_is_string(j)) {
    zg_memwipe((char *)json_string_value(j), json_string_length(j));
  } else if (json_is_object(j)) {
    json_object_foreach(j, k, v) wipe_strings(v);
  } else if (json_is_array(j)) {
    json_array_foreach(j, i, v) wipe_strings(v);
  }
}

/* Node j's config (with its storage.p2p section p2p, taken; its public key
 * p2p_pk as hex) and its state object, appended to out. */
static bool write_node(json_t *out, json_t *alloc, const char *dir_abs, const zg__devnet_storage_opts_t *so,
                       unsigned j, const char *chain_rpc, unsigned base_port, unsigned lanes, json_t *p2p,
                       const char *p2p_pk) {
  char name[16], ndir[1024], cfgp[1100], logp[1100], pidp[1100], datap[1100], addr[32], url[64], p2p_addr[32];
  snprintf(name, sizeof name, "s%u", j);
  snprintf(ndir, sizeof ndir, "%s/%s", dir_abs, name);
  snprintf(cfgp, sizeof cfgp, "%s/config.json", ndir);
  snprintf(logp, sizeof logp, "%s/node.log", ndir);
  snprintf(pidp, sizeof pidp, "%s/node.pid", ndir);
  snprintf(datap, sizeof datap, "%s/data", ndir);
  snprintf(addr, sizeof addr, "127.0.0.1:%u", base_port + 2 * j);
  snprintf(p2p_addr, sizeof p2p_addr, "127.0.0.1:%u", base_port + 2 * j + 1);
  snprintf(url, sizeof url, "http://%s", addr);
  unsigned shard = j % so->shards;
  char key_hex[67] = "", sender[43] = "", beneficiary[43] = "";
  if (so->miners) {
    uint8_t sk[32], bsk[32];
    zg_eth_addr_t a, b;
    zg_err_t e = zg__devnet_gen_account(sk, &a, 0, lanes);
    if (e == ZG_OK) e = zg__devnet_gen_account(bsk, &b, 0, 1); /* only its address is kept */
    zg_memwipe(bsk, sizeof bsk);
    if (e != ZG_OK) {
      zg_memwipe(sk, sizeof sk);
      fprintf(stderr, "zg devnet: key generation failed\n");
      json_decref(p2p);
      return false;
    }
    (void)zg_hex_encode(key_hex, sk, 32);
    zg_memwipe(sk, sizeof sk);
    zg_eth_address_to_text(sender, &a);
    zg_eth_address_to_text(beneficiary, &b);
    json_object_set_new(alloc, sender, json_string(FUNDS));
  }
  json_t *cfg =
      storage_config(datap, shard, so->shards, chain_rpc, addr, so->miners ? key_hex : NULL, beneficiary, p2p);
  bool ok = cfg && zg__devnet_write_json(cfgp, cfg, so->miners ? 0600 : 0644);
  wipe_strings(cfg);
  json_decref(cfg);
  zg_memwipe(key_hex, sizeof key_hex);
  if (!ok) return false;
  json_t *node = json_pack("{s:s, s:s, s:s, s:s, s:[s], s:i, s:i, s:s, s:s, s:s, s:s, s:s}", "name", name, "rpc", url,
                           "p2p", p2p_addr, "p2p_key", p2p_pk, "roles", "storage", "shard", shard, "num_shard",
                           so->shards, "chain_rpc", chain_rpc, "config", cfgp, "log", logp, "pid_file", pidp,
                           "data_dir", datap);
  if (!node) return false;
  if (so->miners) {
    json_object_set_new(node, "miner", json_string(sender));
    json_object_set_new(node, "beneficiary", json_string(beneficiary));
  }
  json_array_append_new(out, node);
  return true;
}

bool zg__devnet_storage_write(json_t *out, json_t *alloc, json_t *genesis, const char *dir_abs,
                              const zg__devnet_storage_opts_t *so, const char *const *validator_rpc, size_t nval,
                              unsigned base_port, unsigned lanes) {
  if (so->miners) {
    /* docs/storage-contracts.md "Genesis"; on a devnet the 8 GiB pricing
     * chunks never fill, so the visible reward is the base reward. */
    json_object_set_new(genesis, "storage",
                        json_pack("{s:i, s:i, s:i, s:i, s:i, s:s}", "blocksPerEpoch", 20, "initDifficulty", 1000,
                                  "targetMineBlocks", 20, "nSubtasks", 1, "subtaskInterval", 0, "baseReward",
                                  "1000000000000000000"));
    json_object_set_new(alloc, ZG_REWARD_ADDRESS_TEXT, json_string("1000000000000000000000"));
  }
  /* P2P identities first: every node names all the others as peers. */
  char(*pk)[65] = calloc(so->count ? so->count : 1, sizeof *pk);
  if (!pk) return false;
  bool ok = true;
  for (unsigned j = 0; j < so->count && ok; j++) {
    char ndir[1024], keyp[1100];
    snprintf(ndir, sizeof ndir, "%s/s%u", dir_abs, j);
    snprintf(keyp, sizeof keyp, "%s/p2p.key", ndir);
    if (!zg__devnet_mkdir_p(ndir)) {
      fprintf(stderr, "zg devnet: cannot create %s\n", ndir);
      ok = false;
    }
    ok = ok && write_p2p_key(pk[j], keyp);
  }
  for (unsigned j = 0; j < so->count && ok; j++) {
    json_t *peers = json_array();
    for (unsigned k = 0; k < so->count; k++) {
      char peer[128];
      snprintf(peer, sizeof peer, "%s@127.0.0.1:%u", pk[k], base_port + 2 * k + 1);
      if (k != j) json_array_append_new(peers, json_string(peer));
    }
    char keyp[1100], listen[32];
    snprintf(keyp, sizeof keyp, "%s/s%u/p2p.key", dir_abs, j);
    snprintf(listen, sizeof listen, "127.0.0.1:%u", base_port + 2 * j + 1);
    ok = write_node(out, alloc, dir_abs, so, j, validator_rpc[j % nval], base_port, lanes,
                    json_pack("{s:s, s:s, s:o}", "listen", listen, "key", keyp, "peers", peers), pk[j]);
  }
  free(pk);
  return ok;
}

zg_err_t zg__devnet_storage_status(uint64_t *height, const json_t *node, unsigned timeout_ms) {
  *height = 0;
  const char *url = json_string_value(json_object_get(node, "rpc"));
  if (!url) return ZG_EINVAL;
  zg_rpc_client_t *c = NULL;
  zg_err_t e = zg_rpc_client_create(&c, url, timeout_ms);
  if (e != ZG_OK) return e;
  json_t *res = NULL;
  e = zg_rpc_client_call(c, &res, NULL, "zgs_getStatus", json_array());
  if (e == ZG_OK) {
    json_t *h = json_object_get(res, "logSyncHeight");
    if (json_is_integer(h) && json_integer_value(h) >= 0)
      *height = (uint64_t)json_integer_value(h);
    else
      e = ZG_EJSON;
  }
  json_decref(res);
  zg_rpc_client_destroy(c);
  return e;
}

/*
 * cli_devnet_storage.c — the storage nodes of `zg devnet up --storage N
 * --shards S [--miners]` (docs/devnet.md "Storage nodes").
 *
 * Storage node j is a `zg node` process of its own (no validator section)
 * in DIR/s<j>/: it holds flow segments s with s mod S == j mod S, follows
 * the chain's Flow Submit events through validator (j mod V)'s Ethereum
 * JSON-RPC (storage.chain, docs/storage-network.md) and serves zgs_ on
 * 127.0.0.1:P+2j (P: the first port after the validators'; P+2j+1 is kept
 * for its P2P listener). With --miners each node gets storage.miner
 * {"enabled": true, "key": K} with K a fresh key owned by lane 0 (Mine is a
 * lane-0 contract) funded in genesis; its address is the node's
 * "beneficiary" in devnet.json.
 *
 * Invariants: a config holding a miner key is written with mode 0600 and the
 * key's text is wiped from memory after; the state objects never hold keys.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/devnet.h"
#include "zg/bytes.h"
#include "zg/rpc_client.h"

#define FUNDS "1000000000000000000000000" /* 1,000,000 ZG in wei, as the dev accounts */

/* One node's config; *key_hex (the miner key's text, or NULL) is referenced
 * by the returned object. */
static json_t *storage_config(const char *data_dir, unsigned shard, unsigned shards, const char *chain_rpc,
                              const char *rpc_addr, const char *key_hex) {
  json_t *storage = json_pack("{s:s, s:{s:i, s:i}, s:{s:s, s:i, s:i}}", "dataDir", data_dir, "shard", "shardId",
                              shard, "numShard", shards, "chain", "rpc", chain_rpc, "confirmations", 1, "pollMs", 100);
  if (storage && key_hex) json_object_set_new(storage, "miner", json_pack("{s:b, s:s}", "enabled", 1, "key", key_hex));
  return json_pack("{s:o, s:{s:s}}", "storage", storage, "rpc", "addr", rpc_addr);
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

bool zg__devnet_storage_write(json_t *out, json_t *alloc, const char *dir_abs, const zg__devnet_storage_opts_t *so,
                              const char *const *validator_rpc, size_t nval, unsigned base_port, unsigned lanes) {
  for (unsigned j = 0; j < so->count; j++) {
    char name[16], ndir[1024], cfgp[1100], logp[1100], pidp[1100], datap[1100], addr[32], url[64], p2p[32];
    snprintf(name, sizeof name, "s%u", j);
    snprintf(ndir, sizeof ndir, "%s/%s", dir_abs, name);
    snprintf(cfgp, sizeof cfgp, "%s/config.json", ndir);
    snprintf(logp, sizeof logp, "%s/node.log", ndir);
    snprintf(pidp, sizeof pidp, "%s/node.pid", ndir);
    snprintf(datap, sizeof datap, "%s/data", ndir);
    snprintf(addr, sizeof addr, "127.0.0.1:%u", base_port + 2 * j);
    snprintf(p2p, sizeof p2p, "127.0.0.1:%u", base_port + 2 * j + 1);
    snprintf(url, sizeof url, "http://%s", addr);
    if (!zg__devnet_mkdir_p(ndir)) {
      fprintf(stderr, "zg devnet: cannot create %s\n", ndir);
      return false;
    }
    const char *chain_rpc = validator_rpc[j % nval];
    unsigned shard = j % so->shards;
    char key_hex[67] = "", beneficiary[43] = "";
    if (so->miners) {
      uint8_t sk[32];
      zg_eth_addr_t a;
      if (zg__devnet_gen_account(sk, &a, 0, lanes) != ZG_OK) {
        fprintf(stderr, "zg devnet: key generation failed\n");
        return false;
      }
      (void)zg_hex_encode(key_hex, sk, 32);
      zg_memwipe(sk, sizeof sk);
      zg_eth_address_to_text(beneficiary, &a);
      json_object_set_new(alloc, beneficiary, json_string(FUNDS));
    }
    json_t *cfg = storage_config(datap, shard, so->shards, chain_rpc, addr, so->miners ? key_hex : NULL);
    bool ok = cfg && zg__devnet_write_json(cfgp, cfg, so->miners ? 0600 : 0644);
    wipe_strings(cfg);
    json_decref(cfg);
    zg_memwipe(key_hex, sizeof key_hex);
    if (!ok) return false;
    json_t *node = json_pack("{s:s, s:s, s:s, s:[s], s:i, s:i, s:s, s:s, s:s, s:s, s:s}", "name", name, "rpc", url,
                             "p2p", p2p, "roles", "storage", "shard", shard, "num_shard", so->shards, "chain_rpc",
                             chain_rpc, "config", cfgp, "log", logp, "pid_file", pidp, "data_dir", datap);
    if (!node) return false;
    if (so->miners) json_object_set_new(node, "beneficiary", json_string(beneficiary));
    json_array_append_new(out, node);
  }
  return true;
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

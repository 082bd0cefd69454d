/*
 * miner_config.c — the storage node's miner from its config
 * (zg_miner_from_config in zg/storage_miner.h; docs/config.md):
 *   "storage": {"chain": {"rpc": URL}, "miner": {"enabled": true, "key": "0x.." | "PATH",
 *     "beneficiary": "0x..", "seed": N, "cpuPercent": 100, "batchNonces": 256,
 *     "pollMs": 500, "cacheLoads": 64}}
 * The key is the miner's transaction sender; by the owner-lane rule it must
 * be owned by lane 0 (the storage contracts' lane) when the chain has
 * several lanes. It is wiped from this file's buffers after use.
 */
#include <stdio.h>
#include <string.h>

#include "zg/storage_miner.h"

const char *const zg_miner_config_keys[] = {
    "storage.miner.enabled",    "storage.miner.key",         "storage.miner.beneficiary", "storage.miner.seed",
    "storage.miner.cpuPercent", "storage.miner.batchNonces", "storage.miner.pollMs",      "storage.miner.cacheLoads",
    NULL,
};

/* text is 0x + 64 hex digits, or a file whose first line is. */
static zg_err_t load_key(zg_secp256k1_sk_t *sk, const char *text) {
  char line[200] = {0};
  if (!(text[0] == '0' && (text[1] == 'x' || text[1] == 'X') && strlen(text) == 66)) {
    FILE *f = fopen(text, "r");
    if (!f) return ZG_EIO;
    bool ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    line[strcspn(line, " \r\n\t")] = '\0';
    if (!ok) return ZG_EINVAL;
    text = line;
  }
  uint8_t k[32];
  zg_err_t e = zg_hex_decode(k, 32, text, strlen(text));
  if (e == ZG_OK) e = zg_secp256k1_sk_parse(sk, k, 32);
  zg_memwipe(k, sizeof k);
  zg_memwipe(line, sizeof line);
  return e;
}

zg_err_t zg_miner_from_config(zg_miner_t **out, bool *enabled, zg_config_t *cfg, zg_storage_t *st,
                              const char *chain_rpc, const char *data_dir, char *msg, size_t msglen) {
  *out = NULL;
  *enabled = false;
  if (!zg_config_has(cfg, "storage.miner")) return ZG_OK;
  const char *key = NULL, *ben = NULL;
  uint64_t seed = 0, cpu, batch, poll, cache;
  bool has_seed = zg_config_has(cfg, "storage.miner.seed");
  zg_err_t e = zg_config_get_bool(cfg, enabled, "storage.miner.enabled", false);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &key, "storage.miner.key", NULL);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &ben, "storage.miner.beneficiary", NULL);
  if (e == ZG_OK) e = zg_config_get_u64(cfg, &seed, "storage.miner.seed", 0);
  if (e == ZG_OK) e = zg_config_get_u64_range(cfg, &cpu, "storage.miner.cpuPercent", 100, 1, 100);
  if (e == ZG_OK) e = zg_config_get_u64_range(cfg, &batch, "storage.miner.batchNonces", 256, 1, 1u << 20);
  if (e == ZG_OK) e = zg_config_get_u64_range(cfg, &poll, "storage.miner.pollMs", 500, 10, 60000);
  if (e == ZG_OK) e = zg_config_get_u64_range(cfg, &cache, "storage.miner.cacheLoads", 64, 0, 4096);
  if (e != ZG_OK) {
    snprintf(msg, msglen, "%s", zg_config_error(cfg));
    return ZG_ECONFIG;
  }
  if (!chain_rpc) {
    snprintf(msg, msglen, "storage.miner needs storage.chain.rpc (the chain it mines on)");
    return ZG_ECONFIG;
  }
  if (!key) {
    snprintf(msg, msglen, "storage.miner.key is required (0x + 64 hex digits, or a key file)");
    return ZG_ECONFIG;
  }
  zg_miner_cfg_t mc;
  memset(&mc, 0, sizeof mc);
  if (ben) {
    if (zg_eth_address_parse(&mc.beneficiary, ben, strlen(ben)) != ZG_OK) {
      snprintf(msg, msglen, "storage.miner.beneficiary '%s' is not an address", ben);
      return ZG_ECONFIG;
    }
    mc.has_beneficiary = true;
  }
  zg_secp256k1_sk_t sk;
  if (load_key(&sk, key) != ZG_OK) {
    snprintf(msg, msglen, "storage.miner.key: not a secp256k1 key (0x + 64 hex digits) nor a file holding one");
    return ZG_ECONFIG;
  }
  e = zg_miner_chain_rpc(&mc.chain, chain_rpc, &sk, 10000);
  zg_secp256k1_sk_clear(&sk);
  if (e != ZG_OK) {
    snprintf(msg, msglen, "miner chain %s: %s", chain_rpc, zg_strerror(e));
    return e;
  }
  char state[4096];
  snprintf(state, sizeof state, "%s/miner.json", data_dir);
  mc.storage = st;
  mc.state_path = state;
  mc.has_seed = has_seed;
  mc.seed = seed;
  mc.cpu_percent = (unsigned)cpu;
  mc.batch_nonces = (unsigned)batch;
  mc.poll_ms = (unsigned)poll;
  mc.cache_loads = (unsigned)cache;
  return zg_miner_create(out, &mc, msg, msglen);
}

/*
 * cli_sync.c — reads the storage.p2p section of a `zg node` config and
 * starts the peer sync service (zg/storage_sync.h). Keys (docs/config.md):
 *   storage.p2p.listen        "host:port" (default "127.0.0.1:0")
 *   storage.p2p.key           Ed25519 seed file (default dataDir/p2p.key,
 *                             generated when missing)
 *   storage.p2p.peers         ["<pk hex>@host:port", ...]
 *   storage.p2p.networkId     (default "zgs/<flow address>")
 *   storage.p2p.syncGraceMs, pollMs, maxInflight, rangeSegments, timeoutMs, banMs
 *   storage.debug.corruptSync TEST KNOB: serve corrupted ranges; refused
 *                             unless the environment has ZG_DEV_KNOBS=1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_sync.h"
#include "zg/http_server.h"
#include "zg/log.h"

const char *const zg__cli_sync_config_keys[] = {"storage.p2p.*", "storage.debug.corruptSync", NULL};

zg_err_t zg__cli_sync_start(zg_storage_sync_t **out, zg_config_t *cfg, zg_storage_t *st, const char *data_dir,
                            const char *flow_text, char *msg, size_t msglen) {
  *out = NULL;
  if (!zg_config_has(cfg, "storage.p2p")) return ZG_OK;
  const char *listen = NULL, *key = NULL, *netid = NULL;
  const char *const *peers = NULL;
  size_t npeers = 0;
  uint64_t grace, poll, inflight, range, timeout, ban;
  bool corrupt = false;
  zg_err_t e = zg_config_get_str(cfg, &listen, "storage.p2p.listen", "127.0.0.1:0");
  if (!e) e = zg_config_get_str(cfg, &key, "storage.p2p.key", NULL);
  if (!e) e = zg_config_get_str(cfg, &netid, "storage.p2p.networkId", NULL);
  if (!e) e = zg_config_get_strs(cfg, &peers, &npeers, "storage.p2p.peers");
  if (!e) e = zg_config_get_u64_range(cfg, &grace, "storage.p2p.syncGraceMs", 5000, 1, 3600000);
  if (!e) e = zg_config_get_u64_range(cfg, &poll, "storage.p2p.pollMs", 500, 10, 60000);
  if (!e) e = zg_config_get_u64_range(cfg, &inflight, "storage.p2p.maxInflight", 4, 1, 64);
  if (!e) e = zg_config_get_u64_range(cfg, &range, "storage.p2p.rangeSegments", 16, 1, ZG_SYNC_MAX_RANGE);
  if (!e) e = zg_config_get_u64_range(cfg, &timeout, "storage.p2p.timeoutMs", 10000, 100, 600000);
  if (!e) e = zg_config_get_u64_range(cfg, &ban, "storage.p2p.banMs", 600000, 1, 86400000);
  if (!e) e = zg_config_get_bool(cfg, &corrupt, "storage.debug.corruptSync", false);
  if (e) {
    snprintf(msg, msglen, "%s", zg_config_error(cfg));
    return e;
  }
  const char *dev = getenv("ZG_DEV_KNOBS");
  if (corrupt && !(dev && strcmp(dev, "1") == 0)) {
    snprintf(msg, msglen, "storage.debug.corruptSync is a test knob: set ZG_DEV_KNOBS=1 to use it");
    return ZG_ECONFIG;
  }
  char keypath[4096], id[128];
  if (!key) snprintf(keypath, sizeof keypath, "%s/p2p.key", data_dir);
  zg_ed25519_sk_t sk;
  zg_ed25519_pk_t pk;
  e = zg_storage_sync_load_key(&sk, &pk, key ? key : keypath, true);
  if (e) {
    snprintf(msg, msglen, "storage.p2p.key %s: %s", key ? key : keypath, zg_strerror(e));
    return e;
  }
  snprintf(id, sizeof id, "zgs/%s", flow_text ? flow_text : "dev");
  for (char *c = id; *c; c++)
    if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
  zg_storage_sync_cfg_t sc = {0};
  sc.listen = listen;
  sc.sk = &sk;
  sc.network_id = netid ? netid : id;
  sc.peers = peers;
  sc.npeers = npeers;
  sc.grace_ms = (uint32_t)grace;
  sc.poll_ms = (uint32_t)poll;
  sc.max_inflight = (uint32_t)inflight;
  sc.range_segments = (uint32_t)range;
  sc.timeout_ms = (uint32_t)timeout;
  sc.ban_ms = (uint32_t)ban;
  sc.debug_corrupt = corrupt;
  e = zg_storage_sync_create(out, st, &sc, msg, msglen);
  zg_memwipe(&sk, sizeof sk);
  if (e) return e;
  char host[64], hex[67];
  uint16_t port;
  if (zg_http_parse_addr(host, sizeof host, &port, listen) != ZG_OK) snprintf(host, sizeof host, "127.0.0.1");
  zg_hex_encode(hex, pk.bytes, 32);
  if (corrupt) zg_logw("node", "storage.debug.corruptSync: this node serves CORRUPTED ranges to its peers (test knob)");
  zg_logi("node", "storage peer sync: %zu peers, grace %u ms", npeers, (unsigned)grace);
  printf("storage p2p listening on %s:%u key %s\n", host, zg_storage_sync_port(*out), hex);
  fflush(stdout);
  return ZG_OK;
}

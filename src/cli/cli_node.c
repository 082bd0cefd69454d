/*
 * cli_node.c — `zg node --config FILE`: runs a node with the roles its
 * configuration enables: the storage role (log store, zgs_ JSON-RPC,
 * dev-mode submissions) when a "storage" section is present, the validator
 * role (zg/validator.h, docs/chain.md) when a "validator" section is.
 *
 * Configuration (JSON, see zg/config.h; every key may be overridden by
 * ZG_<PATH> environment variables, e.g. ZG_RPC_ADDR):
 *   {
 *     "storage": {"dataDir": "DIR", "shard": {"shardId": 0, "numShard": 1}, "noSync": false},
 *     "rpc": {"addr": "127.0.0.1:5678", "maxBodySize": "32MiB", "threads": 4, "maxConnections": 256},
 *     "devMode": true
 *   }
 * With "storage.chain": {"rpc": URL, "flowAddress": "0x...", "confirmations": 3,
 * "startBlock": 0, "pollMs": 500} the storage role follows the chain's Flow
 * Submit events (zg/storage_follower.h) instead of dev-mode submissions;
 * devMode then defaults to false and may not be true (the dev path is only
 * for a node that is its own chain). Progress is kept in dataDir/follower.state.
 * rpc.addr with port 0 binds an ephemeral port. Once serving, the node
 * prints one line "rpc listening on http://HOST:PORT" on stdout (scripts wait
 * for it). SIGINT or SIGTERM stop it gracefully: requests in progress
 * finish, the store is closed.
 *
 * With a "validator" section, rpc.addr serves the Ethereum JSON-RPC of the
 * validator role (docs/chain.md has its keys), the node also prints
 * "p2p listening on HOST:PORT", and a storage role in the same process
 * serves on storage.rpc (default 127.0.0.1:5678) instead.
 *
 * A "kv" section ({"streams": [...] | "all", "dbDir", "pollMs", "noSync"},
 * src/cli/cli_kv.h, docs/kv.md) runs the KV role beside the storage role:
 * it replays the log into dbDir (default dataDir/kv) and serves kv_ on the
 * storage RPC.
 *
 * A "storage.p2p" section ({"listen", "key", "peers", ...}, src/cli/cli_sync.c,
 * docs/config.md) starts the storage peer sync (zg/storage_sync.h), which
 * prints "storage p2p listening on HOST:PORT key 0x..".
 *
 * A "daSigner" section ({"dataDir", "key", "listen", "chainId", "noSync",
 * and to follow the chain "rpc", "ethKey", "endpoint", "stake"})
 * starts the DA signer role (docs/da-node.md), which prints "da signer
 * listening on port P pubkey 0x..".
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli/cli.h"
#include "cli/cli_kv.h"
#include "cli/cli_sync.h"
#include "zg/config.h"
#include "zg/log.h"
#include "zg/storage_contracts.h"
#include "zg/storage_follower.h"
#include "zg/storage_miner.h"
#include "zg/kv_rpc.h"
#include "zg/storage_node.h"
#include "zg/validator.h"
#include "zg/zgs_rpc.h"

static const char *const known_keys[] = {
    "storage.dataDir", "storage.shard.shardId", "storage.shard.numShard", "storage.noSync", "rpc.addr",
    "rpc.maxBodySize", "rpc.threads",           "rpc.maxConnections",     "devMode",          "storage.rpc",
    "storage.chain.rpc", "storage.chain.flowAddress", "storage.chain.confirmations", "storage.chain.startBlock",
    "storage.chain.pollMs",
    "daSigner.dataDir", "daSigner.key", "daSigner.listen", "daSigner.chainId", "daSigner.noSync",
    "daSigner.rpc", "daSigner.ethKey", "daSigner.endpoint", "daSigner.stake",
};

/* The storage keys and, when the validator section is present, the
 * validator role's keys, for the strict check. */
static zg_err_t check_known(zg_config_t *cfg, bool validator) {
  const char *keys[96];
  size_t n = 0;
  for (size_t i = 0; i < sizeof known_keys / sizeof known_keys[0]; i++) keys[n++] = known_keys[i];
  for (size_t i = 0; validator && zg_validator_config_keys[i] && n < 96; i++) keys[n++] = zg_validator_config_keys[i];
  for (size_t i = 0; zg_miner_config_keys[i] && n < 96; i++) keys[n++] = zg_miner_config_keys[i];
  for (size_t i = 0; zg__cli_sync_config_keys[i] && n < 96; i++) keys[n++] = zg__cli_sync_config_keys[i];
  for (size_t i = 0; zg__cli_kv_config_keys[i] && n < 96; i++) keys[n++] = zg__cli_kv_config_keys[i];
  return zg_config_check_known(cfg, keys, n);
}

/* The roles' extra methods and counters on the storage node's server: the
 * miner's miner_ methods, the peer sync's admin_ methods and gauges. */
typedef struct {
  zg_miner_t *miner;
  zg_storage_sync_t *sync;
  zg_kv_t *kv; /* the "kv" section (src/cli/cli_kv.h): kv_ methods */
} node_ext_t;

static zg_err_t node_rpc_ext(void *arg, zg_rpc_t *rpc, zg_metrics_t *metrics) {
  node_ext_t *x = arg;
  if (x->miner) ZG_TRY(zg_miner_rpc_register(x->miner, rpc, metrics));
  if (x->sync) ZG_TRY(zg_storage_sync_rpc_register(x->sync, rpc, metrics));
  if (x->kv) ZG_TRY(zg_kv_rpc_register(rpc, x->kv));
  return ZG_OK;
}

/* Starts the validator role and prints its endpoints. */
static zg_validator_t *start_validator(zg_config_t *cfg, const char *path) {
  char msg[512];
  zg_validator_cfg_t vc;
  zg_validator_t *v = NULL;
  const char *level = NULL;
  zg_log_level_t lvl;
  if (zg_config_get_str(cfg, &level, "log.level", NULL) == ZG_OK && level &&
      zg_log_level_parse(&lvl, level) == ZG_OK)
    zg_log_set_level(lvl);
  if (zg_validator_cfg_read(&vc, msg, sizeof msg, cfg) != ZG_OK) {
    fprintf(stderr, "zg node: %s\n", msg);
    return NULL;
  }
  if (zg_validator_start(&v, msg, sizeof msg, &vc) != ZG_OK) {
    fprintf(stderr, "zg node: %s: validator: %s\n", path, msg);
    return NULL;
  }
  char host[64], phost[64];
  uint16_t port, pport;
  if (zg_http_parse_addr(host, sizeof host, &port, vc.rpc_addr) != ZG_OK) snprintf(host, sizeof host, "127.0.0.1");
  if (zg_http_parse_addr(phost, sizeof phost, &pport, vc.listen) != ZG_OK) snprintf(phost, sizeof phost, "127.0.0.1");
  printf("rpc listening on http://%s:%u\n", host, zg_validator_rpc_port(v));
  printf("p2p listening on %s:%u\n", phost, zg_validator_p2p_port(v));
  fflush(stdout);
  return v;
}

int zg__cli_node(int argc, char **argv) {
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
      path = argv[++i];
    } else {
      return zg__cli_usage_error("node", "unknown argument '%s'", argv[i]);
    }
  }
  if (!path) return zg__cli_usage_error("node", "missing --config FILE");
#ifdef __GLIBC__
  /* Segment uploads bring ~6 MB bodies and 256 KiB buffers per request:
   * above glibc's mmap threshold each was mapped, faulted in zeroed and
   * unmapped again (a third of the node's upload CPU in the kernel). Keep
   * them in the heap, and trim the heap only above 256 MiB free. */
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
  char msg[512];
  zg_config_t *cfg = NULL;
  if (zg_config_load_file(&cfg, msg, sizeof msg, path, 0) != ZG_OK) {
    fprintf(stderr, "zg node: %s\n", msg);
    return 1;
  }
  int rc = 1;
  bool has_validator = zg_config_has(cfg, "validator");
  bool has_da = zg_config_has(cfg, "daSigner"); /* the DA signer role (docs/da-node.md) */
  bool has_storage = zg_config_has(cfg, "storage") || (!has_validator && !has_da);
  struct zg_da_signer *das = NULL;
  zg_validator_t *val = NULL;
  zg_storage_t *st = NULL;
  zg_log_source_t *src = NULL;
  zg_zgs_node_t *node = NULL;
  zg_miner_t *miner = NULL; /* storage.miner (zg/storage_miner.h) */
  zg_storage_sync_t *sync = NULL; /* storage.p2p (zg/storage_sync.h) */
  zg__cli_kv_t *kvr = NULL;       /* kv (src/cli/cli_kv.h) */
  bool mine_now = false;
  const char *dir, *addr, *chain_rpc = NULL, *flow_text = NULL;
  uint64_t confirmations = 3, start_block = 0, poll_ms = 500;
  uint64_t shard_id, num_shard, max_body, threads, max_conns;
  bool no_sync, dev;
  zg_err_t e = check_known(cfg, has_validator);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &dir, "storage.dataDir", NULL);
  if (e == ZG_OK) e = zg_config_get_u64_range(cfg, &shard_id, "storage.shard.shardId", 0, 0, 1u << 20);
  if (e == ZG_OK) e = zg_config_get_u64_range(cfg, &num_shard, "storage.shard.numShard", 1, 1, 1u << 20);
  if (e == ZG_OK) e = zg_config_get_bool(cfg, &no_sync, "storage.noSync", false);
  if (e == ZG_OK && has_validator) e = zg_config_get_str(cfg, &addr, "storage.rpc", "127.0.0.1:5678");
  if (e == ZG_OK && !has_validator) e = zg_config_get_str(cfg, &addr, "rpc.addr", "127.0.0.1:5678");
  if (e == ZG_OK) e = zg_config_get_size(cfg, &max_body, "rpc.maxBodySize", 32u << 20);
  if (e == ZG_OK) e = zg_config_get_u64_range(cfg, &threads, "rpc.threads", 4, 1, 64);
  if (e == ZG_OK) e = zg_config_get_u64_range(cfg, &max_conns, "rpc.maxConnections", 256, 1, 65536);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &chain_rpc, "storage.chain.rpc", NULL);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &flow_text, "storage.chain.flowAddress", ZG_FLOW_ADDRESS_TEXT);
  if (e == ZG_OK) e = zg_config_get_u64_range(cfg, &confirmations, "storage.chain.confirmations", 3, 0, 1000);
  if (e == ZG_OK) e = zg_config_get_u64_range(cfg, &start_block, "storage.chain.startBlock", 0, 0, UINT64_MAX);
  if (e == ZG_OK) e = zg_config_get_u64_range(cfg, &poll_ms, "storage.chain.pollMs", 500, 10, 60000);
  if (e == ZG_OK) e = zg_config_get_bool(cfg, &dev, "devMode", chain_rpc == NULL);
  if (e != ZG_OK) {
    fprintf(stderr, "zg node: %s\n", zg_config_error(cfg));
    goto out;
  }
  /* Block the stop signals before any thread starts, then wait for them here. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  if (has_validator && !(val = start_validator(cfg, path))) goto out;
  if (has_da && !(das = zg__cli_da_signer_start(cfg, path))) goto out;
  if (!has_storage) goto wait;
  if (!dir) {
    fprintf(stderr, "zg node: %s: storage.dataDir is required\n", path);
    goto out;
  }
  char host[64];
  uint16_t port;
  if (zg_http_parse_addr(host, sizeof host, &port, addr) != ZG_OK) {
    fprintf(stderr, "zg node: %s: rpc.addr '%s' is not IPv4:PORT\n", path, addr);
    goto out;
  }
  zg_storage_cfg_t scfg = {dir, (uint32_t)shard_id, (uint32_t)num_shard, no_sync, NULL};
  if (zg_storage_open(&st, &scfg, msg, sizeof msg) != ZG_OK) {
    fprintf(stderr, "zg node: %s\n", msg);
    goto out;
  }
  if (chain_rpc) {
    if (dev) {
      fprintf(stderr, "zg node: %s: devMode and storage.chain.rpc exclude each other\n", path);
      goto out;
    }
    zg_follower_cfg_t fc = {0};
    char state[4096];
    snprintf(state, sizeof state, "%s/follower.state", dir);
    fc.rpc_url = chain_rpc;
    fc.state_path = state;
    fc.confirmations = confirmations;
    fc.start_block = start_block;
    fc.poll_ms = (unsigned)poll_ms;
    if (zg_hex_decode(fc.flow_address, 20, flow_text, strlen(flow_text)) != ZG_OK) {
      fprintf(stderr, "zg node: %s: storage.chain.flowAddress '%s' is not an address\n", path, flow_text);
      goto out;
    }
    if (zg_follower_create(&src, st, &fc, msg, sizeof msg) != ZG_OK || zg_follower_start(src) != ZG_OK) {
      fprintf(stderr, "zg node: follower: %s\n", msg);
      goto out;
    }
  } else if (dev && zg_dev_source_create(&src, st) != ZG_OK) {
    goto out;
  }
  zg_http_opts_t ho = {host, port, (size_t)max_body, (unsigned)threads, (unsigned)max_conns, 60};
  if (zg_miner_from_config(&miner, &mine_now, cfg, st, chain_rpc, dir, msg, sizeof msg) != ZG_OK) {
    fprintf(stderr, "zg node: %s: %s\n", path, msg);
    goto out;
  }
  if (zg__cli_sync_start(&sync, cfg, st, dir, flow_text, msg, sizeof msg) != ZG_OK) { /* storage.p2p */
    fprintf(stderr, "zg node: %s: %s\n", path, msg);
    goto out;
  }
  if (zg__cli_kv_start(&kvr, cfg, st, dir, msg, sizeof msg) != ZG_OK) { /* kv */
    fprintf(stderr, "zg node: %s: %s\n", path, msg);
    goto out;
  }
  node_ext_t ext = {miner, sync, zg__cli_kv_state(kvr)};
  if (zg_zgs_node_start_ext(&node, st, src, &ho, node_rpc_ext, &ext, msg, sizeof msg) != ZG_OK ||
      (mine_now && zg_miner_start(miner) != ZG_OK)) {
    fprintf(stderr, "zg node: %s\n", msg);
    goto out;
  }
  zg_logi("node", "storage role: data %s, shard %u/%u%s%s", dir, (unsigned)shard_id, (unsigned)num_shard,
          dev ? ", dev-mode submissions" : "", chain_rpc ? ", following the chain" : "");
  if (chain_rpc) zg_logi("node", "chain %s, %u confirmations", chain_rpc, (unsigned)confirmations);
  printf("%srpc listening on http://%s:%u\n", has_validator ? "storage " : "", host, zg_zgs_node_port(node));
  fflush(stdout);
wait:;
  int sig = 0;
  sigwait(&set, &sig);
  zg_logi("node", "signal %d: stopping", sig);
  rc = 0;
out:
  zg__cli_da_signer_stop(das);
  zg_validator_stop(val);
  zg_miner_halt(miner); /* its thread bumps counters of the node's metrics */
  zg_zgs_node_stop(node);
  zg_miner_destroy(miner);
  zg_storage_sync_destroy(sync);
  zg__cli_kv_stop(kvr);
  if (src) src->ops->destroy(src);
  zg_storage_close(st);
  zg_config_destroy(cfg);
  return rc;
}

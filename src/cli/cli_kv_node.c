/*
 * cli_kv_node.c — the "kv" section of `zg node --config` (cli_kv.h): reads
 * the stream set, opens the KV state and starts the replay thread over the
 * storage role.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_kv.h"
#include "zg/log.h"

const char *const zg__cli_kv_config_keys[] = {"kv.streams", "kv.dbDir", "kv.pollMs", "kv.noSync", NULL};

struct zg__cli_kv {
  zg_kv_t *kv;
  zg_kv_role_t *role;
};

zg_kv_t *zg__cli_kv_state(zg__cli_kv_t *k) { return k ? k->kv : NULL; }

void zg__cli_kv_stop(zg__cli_kv_t *k) {
  if (!k) return;
  zg_kv_role_stop(k->role);
  zg_kv_close(k->kv);
  free(k);
}

zg_err_t zg__cli_kv_start(zg__cli_kv_t **out, zg_config_t *cfg, zg_storage_t *st, const char *data_dir, char *msg,
                          size_t msglen) {
  *out = NULL;
  if (!zg_config_has(cfg, "kv")) return ZG_OK;
  const char *const *list = NULL;
  const char *one = NULL, *db_dir = NULL;
  size_t n = 0;
  uint64_t poll_ms;
  bool no_sync, all = false;
  zg_err_t e = zg_config_get_strs(cfg, &list, &n, "kv.streams");
  if (e == ZG_ETYPE) {
    e = zg_config_get_str(cfg, &one, "kv.streams", NULL);
    if (e == ZG_OK && (!one || strcmp(one, "all") != 0)) e = ZG_ECONFIG;
    all = e == ZG_OK;
  }
  if (e != ZG_OK || (!all && n == 0) || n > ZG_KV_MAX_STREAMS) {
    snprintf(msg, msglen, "kv.streams: a list of 1..%u stream ids (0x + 64 hex digits) or \"all\"",
             ZG_KV_MAX_STREAMS);
    return ZG_ECONFIG;
  }
  e = zg_config_get_str(cfg, &db_dir, "kv.dbDir", NULL);
  if (e == ZG_OK) e = zg_config_get_u64_range(cfg, &poll_ms, "kv.pollMs", 200, 10, 60000);
  if (e == ZG_OK) e = zg_config_get_bool(cfg, &no_sync, "kv.noSync", false);
  if (e != ZG_OK) {
    snprintf(msg, msglen, "%s", zg_config_error(cfg));
    return e;
  }
  uint8_t(*ids)[32] = n ? calloc(n, 32) : NULL;
  if (n && !ids) return ZG_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    if (zg_hex_decode(ids[i], 32, list[i], strlen(list[i])) != ZG_OK) {
      snprintf(msg, msglen, "kv.streams[%zu]: '%s' is not 0x + 64 hex digits", i, list[i]);
      free(ids);
      return ZG_ECONFIG;
    }
  }
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", db_dir ? db_dir : "");
  if (!db_dir) snprintf(dir, sizeof dir, "%s/kv", data_dir);
  zg__cli_kv_t *k = calloc(1, sizeof *k);
  if (!k) {
    free(ids);
    return ZG_ENOMEM;
  }
  zg_kv_cfg_t kc = {dir, all, (const uint8_t(*)[32])ids, n, no_sync};
  e = zg_kv_open(&k->kv, &kc, msg, msglen);
  free(ids);
  if (e == ZG_OK) {
    e = zg_kv_role_start(&k->role, k->kv, st, (unsigned)poll_ms);
    if (e == ZG_ECONFIG) snprintf(msg, msglen, "kv: the KV role needs a storage node holding whole files (numShard 1)");
    else if (e != ZG_OK) snprintf(msg, msglen, "kv: cannot start the replay: %s", zg_strerror(e));
  }
  if (e != ZG_OK) {
    zg__cli_kv_stop(k);
    return e;
  }
  zg_logi("node", "kv role: state %s, %s", dir, all ? "all streams" : "configured streams");
  *out = k;
  return ZG_OK;
}

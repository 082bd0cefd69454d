/*
 * cli_kv.h — the KV role's section of `zg node --config` (cli_kv_node.c):
 *   "kv": {"streams": ["0x<64 hex>", ...] | "all", "dbDir": DIR, "pollMs": 200, "noSync": false}
 * dbDir defaults to <storage.dataDir>/kv. The role replays the storage
 * role's log (zg/kv.h) and its kv_ methods are served on the storage RPC.
 */
#ifndef ZG_CLI_KV_H
#define ZG_CLI_KV_H

#include "zg/config.h"
#include "zg/kv.h"
#include "zg/storage_node.h"

/* The config paths read by zg__cli_kv_start (NULL-terminated). */
extern const char *const zg__cli_kv_config_keys[];

typedef struct zg__cli_kv zg__cli_kv_t;

/* Opens the KV state and starts the replay when cfg has a "kv" section
 * (*out NULL and ZG_OK otherwise). st is borrowed until zg__cli_kv_stop.
 * msg gets a message on failure. */
ZG_WARN_UNUSED zg_err_t zg__cli_kv_start(zg__cli_kv_t **out, zg_config_t *cfg, zg_storage_t *st,
                                         const char *data_dir, char *msg, size_t msglen);
/* The state, for the kv_ methods (NULL for NULL). */
zg_kv_t *zg__cli_kv_state(zg__cli_kv_t *k);
/* Stops the replay and closes the state. NULL is fine. */
void zg__cli_kv_stop(zg__cli_kv_t *k);

#endif

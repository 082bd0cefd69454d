/*
 * cli_sync.h — the storage role's peer sync section of `zg node` configs
 * (src/cli/cli_sync.c; zg/storage_sync.h, docs/config.md "Storage peer sync").
 */
#ifndef ZG_CLI_SYNC_H
#define ZG_CLI_SYNC_H

#include "zg/config.h"
#include "zg/storage_sync.h"

/* The config paths read by zg__cli_sync_start (NULL-terminated). */
extern const char *const zg__cli_sync_config_keys[];

/* Starts the storage peer sync service for st when cfg has a storage.p2p
 * section (*out stays NULL otherwise), and prints "storage p2p listening on
 * HOST:PORT key 0x<ed25519 pk>". flow_text is the followed Flow address
 * (part of the default network id). ZG_OK, or an error with msg set. */
ZG_WARN_UNUSED zg_err_t zg__cli_sync_start(zg_storage_sync_t **out, zg_config_t *cfg, zg_storage_t *st,
                                           const char *data_dir, const char *flow_text, char *msg, size_t msglen);

#endif

/*
 * devnet.h — the devnet state shared by `zg devnet` (cli_devnet.c) and
 * `zg load` (cli_load.c): DIR/devnet.json and the node processes it names.
 */
#ifndef ZG_CLI_DEVNET_H
#define ZG_CLI_DEVNET_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#include "zg/err.h"

/* Reads DIR/devnet.json (a new reference), or prints why not and returns
 * NULL. The object holds "dir", "chain_id", "lanes", "nodes" (each "name",
 * "rpc", "p2p", "roles", "config", "log", "pid_file", "data_dir",
 * "operator", "node_key"), "accounts" (each "address", "private_key",
 * "lane") and "contracts" (name -> address). */
json_t *zg__devnet_load(const char *dir);
/* The pid of a node object of the state while that node runs, else 0. */
pid_t zg__devnet_node_pid(const json_t *node);
/* eth_blockNumber of the node at url (lane 0's height). */
ZG_WARN_UNUSED zg_err_t zg__devnet_block_number(uint64_t *height, const char *url, unsigned timeout_ms);

#endif

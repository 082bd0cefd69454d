/*
 * devnet.h — the devnet state shared by `zg devnet` (cli_devnet.c) and
 * `zg load` (cli_load.c): DIR/devnet.json and the node processes it names.
 */
#ifndef ZG_CLI_DEVNET_H
#define ZG_CLI_DEVNET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "zg/ecdsa.h"
#include "zg/err.h"

/* Reads DIR/devnet.json (a new reference), or prints why not and returns
 * NULL. The object holds "dir", "chain_id", "lanes", "nodes" (each "name",
 * "rpc", "p2p", "roles", "config", "log", "pid_file", "data_dir",
 * "operator", "node_key"), "accounts" (each "address", "private_key",
 * "lane"), "contracts" (name -> address) and, with storage nodes, "storage"
 * (each "name", "rpc" (its zgs_ JSON-RPC), "shard", "num_shard", "chain_rpc",
 * "p2p", "p2p_key", "config", "log", "pid_file", "data_dir", and when
 * mining "miner" (its sender) and "beneficiary"). */
json_t *zg__devnet_load(const char *dir);
/* The pid of a node object of the state while that node runs, else 0. */
pid_t zg__devnet_node_pid(const json_t *node);
/* eth_blockNumber of the node at url (lane 0's height). */
ZG_WARN_UNUSED zg_err_t zg__devnet_block_number(uint64_t *height, const char *url, unsigned timeout_ms);


/* Helpers shared by the parts of `zg devnet up` (cli_devnet*.c). */

/* Dumps j to path (indented, newline-terminated, fsync'd) with mode; the
 * text is wiped after. Prints why on failure. */
bool zg__devnet_write_json(const char *path, const json_t *j, mode_t mode);
/* mkdir -p; true when path is a directory after. */
bool zg__devnet_mkdir_p(const char *path);
/* A fresh secp256k1 key (sk_out, 32 bytes, the caller wipes it) whose
 * address is owned by lane (address[19] mod lanes == lane). */
ZG_WARN_UNUSED zg_err_t zg__devnet_gen_account(uint8_t sk_out[32], zg_eth_addr_t *addr, unsigned lane,
                                               unsigned lanes);

/* The storage nodes of `zg devnet up --storage N --shards S [--miners]`
 * (cli_devnet_storage.c, docs/devnet.md). */
typedef struct {
  unsigned count;  /* storage nodes (0: none) */
  unsigned shards; /* node j holds shard j mod shards */
  bool miners;     /* storage.miner on in every node, each with a funded lane-0 key */
} zg__devnet_storage_opts_t;

/* Writes DIR/s<j>/config.json and p2p.key for each storage node (zgs RPC
 * on 127.0.0.1:base_port + 2j, P2P on the next port, following validator
 * j mod nval's RPC at validator_rpc[j mod nval]) and appends its state
 * object to out; with miners, also a lane-0 key per node funded in alloc
 * (address -> wei), the Reward contract funded and genesis "storage"
 * mining knobs. */
bool zg__devnet_storage_write(json_t *out, json_t *alloc, json_t *genesis, const char *dir_abs,
                              const zg__devnet_storage_opts_t *so, const char *const *validator_rpc, size_t nval,
                              unsigned base_port, unsigned lanes);
/* Asks a storage node (a "storage" object of the state) for zgs_getStatus;
 * *height is its logSyncHeight. */
ZG_WARN_UNUSED zg_err_t zg__devnet_storage_status(uint64_t *height, const json_t *node, unsigned timeout_ms);

#endif

/*
 * devnet_da.h — the DA signers of `zg devnet up --da-signers N`
 * (cli_devnet_da.c, docs/da-node.md "Devnet"), used by cli_devnet.c.
 */
#ifndef ZG_CLI_DEVNET_DA_H
#define ZG_CLI_DEVNET_DA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

#define ZG_DEVNET_MAX_DA_SIGNERS 16

/* Writes DIR/da<i>/ (bls.key, eth.key: mode 0600; config.json: a `zg node`
 * daSigner section listening on 127.0.0.1:base_port + i and following
 * validator (i mod nval)'s RPC) for count signers, registers and opts them
 * in at genesis (genesis["da"]["signers"], bonds funded in alloc for
 * DASigners, each Ethereum key owned by lane 0 and funded), and appends
 * each signer's state object to out ("name", "rpc" = "endpoint" (its
 * HTTP URL), "address", "bls_pubkey", "chain_rpc", "roles", "config",
 * "log", "pid_file", "data_dir"). Prints why on failure. */
bool zg__devnet_da_write(json_t *out, json_t *alloc, json_t *genesis, const char *dir_abs, unsigned count,
                         uint64_t chain_id, const char *const *validator_rpc, size_t nval, unsigned base_port,
                         unsigned lanes);
/* Whether node (a "da_signers" object of the state) is a DA signer. */
bool zg__devnet_is_da(const json_t *node);
/* GET /health of a DA signer node; *height gets its chain's lane-0 height
 * (0 when the chain does not answer). */
ZG_WARN_UNUSED zg_err_t zg__devnet_da_status(uint64_t *height, const json_t *node, unsigned timeout_ms);

#endif

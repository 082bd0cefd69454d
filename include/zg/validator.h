/*
 * zg/validator.h — the validator role (layer 8, src/node/validator*.c): the
 * chain's genesis, the node's keys and configuration, the validator set of an
 * epoch, and the role itself, which wires net, the per-lane consensus
 * engines, the mempool and batches, the block store, execution and the
 * Ethereum JSON-RPC backend together (docs/chain.md is the design).
 *
 * Formats (docs/chain.md, "Genesis and node configuration"): genesis.json is
 * the same file on every node; keys.json holds the node's three secrets;
 * the node config's "validator", "net" and "rpc" sections configure the
 * role. Loaders check every field and fail with ZG_ECONFIG (or the parser's
 * code) and a message naming the file and the field.
 *
 * Ownership: a zg_genesis_t is created by zg_genesis_load and freed by
 * zg_genesis_free; everything it points to is owned by it. Keys are plain
 * values holding secrets: wipe them with zg_validator_keys_clear. A running
 * role is a zg_validator_t (zg_validator_start / zg_validator_stop).
 *
 * Threads: loaders and the valset helpers are pure and thread-safe on
 * distinct objects. The role runs its own threads (the net loop, where every
 * lane's engine lives; one execution thread per lane; the HTTP workers); the
 * query functions below may be called from any thread.
 */
#ifndef ZG_VALIDATOR_H
#define ZG_VALIDATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bls.h"
#include "zg/ecdsa.h"
#include "zg/ed25519.h"
#include "zg/err.h"
#include "zg/exec.h" /* zg_genesis_alloc_t: one funded account of genesis "alloc" */
#include "zg/u256.h"

#ifndef ZG_MAX_LANES
#define ZG_MAX_LANES 16 /* genesis "lanes" is 1..16 */
#endif
#define ZG_MAX_VALIDATORS 256 /* entries of a genesis or epoch set */

/* The owner lane of an account: addr[19] mod lanes (docs/chain.md "Lanes").
 * lanes must be >= 1. */
static inline uint32_t zg_lane_of(const zg_eth_addr_t *addr, uint32_t lanes) {
  return (uint32_t)addr->bytes[19] % lanes;
}

/* ---- Genesis ---- */

/* One validator of genesis.json. */
typedef struct {
  char name[64];
  zg_ed25519_pk_t node_key; /* transport identity and consensus key */
  uint8_t bls_key[48];      /* compressed G1 public key (checked: a valid key) */
  uint8_t bls_pop[96];      /* proof of possession (checked at load) */
  zg_eth_addr_t operator_addr;
  zg_u256_t stake;  /* wei */
  char p2p[64];     /* "HOST:PORT" (may be empty) */
} zg_genesis_validator_t;

typedef struct {
  uint64_t chain_id;
  uint32_t lanes;          /* 1..ZG_MAX_LANES */
  uint64_t epoch_length;   /* lane-0 blocks per epoch, >= 1 */
  uint32_t max_validators; /* 1..ZG_MAX_VALIDATORS */
  uint64_t block_time_ns;  /* target interval between blocks of a lane */
  uint64_t base_fee_gwei;
  uint64_t unbonding_epochs;
  zg_genesis_validator_t *validators; /* owned, n_validators entries, in file order */
  size_t n_validators;
  zg_genesis_alloc_t *alloc; /* owned, sorted by address, no duplicates */
  size_t n_alloc;
  void *json;         /* the whole file as a jansson json_t * (owned), for contract genesis hooks */
  uint8_t hash[32];   /* keccak256 of the file's bytes: nodes refuse peers with another genesis */
} zg_genesis_t;

/* Reads and checks genesis.json at path. *out is NULL on failure, and err
 * (errlen bytes, may be NULL) says what is wrong ("genesis.json:
 * validators[1].nodeKey: not a valid Ed25519 key"). ZG_EIO, ZG_EJSON,
 * ZG_ECONFIG, ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_genesis_load(zg_genesis_t **out, char *err, size_t errlen, const char *path);
/* The same over len bytes of text (borrowed for the call); name is used in
 * messages. */
ZG_WARN_UNUSED zg_err_t zg_genesis_parse(zg_genesis_t **out, char *err, size_t errlen, const char *name,
                                         const char *text, size_t len);
/* Frees a genesis. NULL is fine. */
void zg_genesis_free(zg_genesis_t *g);

/* ---- Keys ---- */

/* keys.json: {"nodeKey": "0x<32 B seed>", "blsKey": "0x<32 B>", "operatorKey": "0x<32 B>"}. Secrets. */
typedef struct {
  zg_ed25519_sk_t node_sk;
  zg_ed25519_pk_t node_pk;
  zg_bls_sk_t bls_sk;
  zg_secp256k1_sk_t operator_sk;
  zg_eth_addr_t operator_addr;
} zg_validator_keys_t;

/* Reads keys.json at path into *keys (zeroed on failure; err as above).
 * ZG_EIO, ZG_EJSON, ZG_ECONFIG. The file's bytes are wiped after parsing. */
ZG_WARN_UNUSED zg_err_t zg_validator_keys_load(zg_validator_keys_t *keys, char *err, size_t errlen,
                                               const char *path);
/* Wipes the secrets. */
void zg_validator_keys_clear(zg_validator_keys_t *keys);

/* ---- Validator sets ---- */

typedef struct {
  zg_ed25519_pk_t node_key;
  uint8_t bls_key[48];
  zg_eth_addr_t operator_addr;
  zg_u256_t stake;
  uint64_t power; /* voting power: stake in units of 10^9 wei (gwei), saturated at 2^48 */
} zg_valset_member_t;

/* The validator set of one epoch: the top max_validators by stake, ties by
 * operator address (ascending), in that order (a member's index is its
 * position). quorum is the smallest power total strictly above 2/3 of
 * total_power. */
typedef struct {
  uint64_t epoch;
  size_t n;
  zg_valset_member_t members[ZG_MAX_VALIDATORS];
  uint64_t total_power;
  uint64_t quorum;
} zg_valset_t;

/* Builds set from n candidates (any order; copied): sorts, keeps the top
 * max, computes powers and quorum. ZG_EEMPTY when no candidate has power,
 * ZG_EINVAL when max is 0 or above ZG_MAX_VALIDATORS. */
ZG_WARN_UNUSED zg_err_t zg_valset_build(zg_valset_t *set, uint64_t epoch, const zg_valset_member_t *cands,
                                        size_t n, size_t max);
/* The set of epoch 0 from genesis. */
ZG_WARN_UNUSED zg_err_t zg_valset_from_genesis(zg_valset_t *set, const zg_genesis_t *g);
/* The index of node_key in set, or -1. */
int zg_valset_find(const zg_valset_t *set, const zg_ed25519_pk_t *node_key);
/* The epoch of a lane-0 block at height h >= 1: (h - 1) / epoch_length. */
static inline uint64_t zg_epoch_of_height(uint64_t h, uint64_t epoch_length) {
  return h == 0 ? 0 : (h - 1) / epoch_length;
}

/* ---- Role configuration ---- */

/* The node config's validator, net and rpc sections (docs/chain.md).
 * Strings are borrowed from the zg_config_t they were read from. */
typedef struct {
  const char *data_dir;     /* validator.dataDir (required) */
  const char *genesis_path; /* validator.genesis (required) */
  const char *keys_path;    /* validator.keys (required) */
  uint64_t batch_txs;       /* validator.batchTxs: a batch closes at this many txs (default 2000) */
  uint64_t batch_delay_ns;  /* validator.batchDelay: ... or when its oldest tx is this old (default 20ms) */
  uint64_t mempool_max;     /* validator.mempoolMax: transactions held (default 200000) */
  bool no_sync;             /* validator.noSync: LMDB commits skip fsync (tests only) */
  const char *listen;       /* net.listen "HOST:PORT" (default "127.0.0.1:26656"; port 0: ephemeral) */
  const char *const *peers; /* net.peers: "<ed25519 pk hex>@HOST:PORT" each */
  size_t n_peers;
  const char *rpc_addr; /* rpc.addr "HOST:PORT" (default "127.0.0.1:8545"; port 0: ephemeral) */
  bool test_equivocate; /* validator.testEquivocate: test-only double signing on lane 0 (docs/chain.md) */
} zg_validator_cfg_t;

struct zg_config;
/* The dotted keys of the node config this role reads (for
 * zg_config_check_known), NULL-terminated. */
extern const char *const zg_validator_config_keys[];
/* Reads the role's settings from a loaded node config into *out (borrowing
 * its strings). ZG_ECONFIG (and the getters' codes) with the config's
 * message in err. */
ZG_WARN_UNUSED zg_err_t zg_validator_cfg_read(zg_validator_cfg_t *out, char *err, size_t errlen,
                                              struct zg_config *cfg);

/* ---- The role ---- */

typedef struct zg_validator zg_validator_t;

/* Starts the role: loads genesis and keys, opens the block store and the
 * per-lane state under data_dir (creating them from genesis on first start,
 * resuming from the stored heights afterwards), starts net, one consensus
 * engine per lane on the net thread, the execution threads and the JSON-RPC
 * server on rpc_addr. cfg is copied (its strings too). *out is NULL on
 * failure, with a message in err. */
ZG_WARN_UNUSED zg_err_t zg_validator_start(zg_validator_t **out, char *err, size_t errlen,
                                           const zg_validator_cfg_t *cfg);
/* Stops everything (RPC first, then the engines, execution, net) and frees
 * the role. NULL is fine. */
void zg_validator_stop(zg_validator_t *v);

/* The bound JSON-RPC port and P2P port (useful with port 0). */
uint16_t zg_validator_rpc_port(const zg_validator_t *v);
uint16_t zg_validator_p2p_port(const zg_validator_t *v);
/* The node's Ed25519 public key (its peer id). */
const zg_ed25519_pk_t *zg_validator_node_key(const zg_validator_t *v);

/* Progress of one lane. */
typedef struct {
  uint64_t committed; /* highest committed height */
  uint64_t executed;  /* highest executed height (<= committed) */
  uint64_t epoch;     /* epoch of the last committed block */
  uint8_t state_digest[32]; /* lane state digest after `executed` */
  /* The engine and the payload checks (diagnostics). */
  uint64_t round, high_qc_round, voted_round;
  uint64_t proposals, votes_sent, timeouts_sent;
  uint64_t payload_rejects, payload_waits; /* check_payload verdicts REJECT and NOT_YET */
} zg_lane_status_t;

/* Fills *st for lane (< the genesis lanes). ZG_EINVAL for a bad lane. */
ZG_WARN_UNUSED zg_err_t zg_validator_lane_status(zg_validator_t *v, zg_lane_status_t *st, uint32_t lane);

/* The state digest and receipts root of lane after executing height (0:
 * genesis). ZG_ENOTFOUND when not executed yet; receipts_root may be NULL. */
ZG_WARN_UNUSED zg_err_t zg_validator_state_digest(zg_validator_t *v, uint8_t digest[32], uint8_t receipts_root[32],
                                                  uint32_t lane, uint64_t height);
/* An account at the latest executed state of its owner lane. */
ZG_WARN_UNUSED zg_err_t zg_validator_account(zg_validator_t *v, zg_u256_t *balance, uint64_t *nonce,
                                             const zg_eth_addr_t *addr);

/* Submits one raw signed Ethereum transaction (what eth_sendRawTransaction
 * does): decode, sender recovery, owner-lane check, mempool. *hash is the
 * transaction hash. Refusals: ZG_ELANE (sender not on the lane of the
 * contract called), ZG_ECHAINID, ZG_ENONCE, ZG_EFUNDS, ZG_EGAS, ZG_EFEE,
 * ZG_EPOOLFULL, decoding codes; msg (msglen bytes, may be NULL) holds the
 * text the RPC answers with. */
ZG_WARN_UNUSED zg_err_t zg_validator_submit_tx(zg_validator_t *v, uint8_t hash[32], char *msg, size_t msglen,
                                               const uint8_t *raw, size_t len);

#endif

/*
 * zg/storage_follower.h — the chain follower (layer 7,
 * src/storage/follower.c): the second log-entry source of
 * zg/storage_node.h. It follows Flow's `Submit` events through the chain's
 * Ethereum JSON-RPC (eth_blockNumber, eth_getLogs filtered by the Flow
 * address and the Submit topic) and feeds each submission to the storage
 * service in submissionIndex order, so a storage node runs apart from the
 * validators as 0G's do.
 *
 * Invariants:
 *  - Only blocks at least `confirmations` below the head are read.
 *  - Entries are applied strictly in submissionIndex order: an index below
 *    the service's next seq was applied before (skipped: replays after a
 *    crash are harmless), an index above it is a gap (ZG_ESTATE; the round
 *    stops and is retried). The Submit event's startPos must equal the
 *    position the service assigns.
 *  - Progress (the next block to read and the hash of the last block read)
 *    is persisted to cfg.state_path after the entries of a range are durable
 *    in the service (write to a temporary file, fsync, rename), so a
 *    restarted node resumes where it stopped; the log store is the source of
 *    truth for which entries exist.
 *
 * Threads: zg_follower_start runs the polling loop on its own thread;
 * progress and network queries are thread-safe. zg_follower_poll (one round,
 * for tests) must not run concurrently with a started loop.
 */
#ifndef ZG_STORAGE_FOLLOWER_H
#define ZG_STORAGE_FOLLOWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"
#include "zg/storage_node.h"

typedef struct {
  const char *rpc_url;     /* the chain's eth JSON-RPC URL (copied) */
  const char *state_path;  /* progress file (copied); NULL: not persisted */
  uint8_t flow_address[20];/* the Flow contract */
  uint64_t confirmations;  /* blocks kept below the head (0G's default: 3) */
  uint64_t start_block;    /* first block to scan when there is no state */
  uint64_t max_range;      /* blocks per eth_getLogs call; 0: 1000 */
  unsigned poll_ms;        /* loop period; 0: 500 */
  unsigned timeout_ms;     /* per RPC call; 0: 10 s */
} zg_follower_cfg_t;

/* Creates the follower source for st (borrowed until destroy) and loads
 * its progress from cfg->state_path. The chain is not contacted yet.
 * ZG_EINVAL for a missing URL, ZG_ECORRUPT for an unreadable state file,
 * ZG_ENOMEM. msg (may be NULL) gets a message of msglen bytes. */
ZG_WARN_UNUSED zg_err_t zg_follower_create(zg_log_source_t **out, zg_storage_t *st, const zg_follower_cfg_t *cfg,
                                           char *msg, size_t msglen);

/* Starts the polling thread (errors of a round are logged and retried).
 * The source's destroy op stops and joins it. ZG_ESTATE when already
 * started, ZG_ENOMEM when the thread cannot start. src must come from
 * zg_follower_create. */
ZG_WARN_UNUSED zg_err_t zg_follower_start(zg_log_source_t *src);

/* Runs one round synchronously: reads the head, then the confirmed logs
 * from the next block, at most cfg.max_range blocks per call, until caught
 * up. *applied (may be NULL) gets the number of entries added. Transport
 * errors as in zg/rpc_client.h, ZG_EJSON/ZG_EINVAL for malformed answers,
 * ZG_ESTATE for a gap in submission indexes, and the service's codes when
 * it refuses an entry (err, may be NULL, says why). */
ZG_WARN_UNUSED zg_err_t zg_follower_poll(zg_log_source_t *src, uint64_t *applied, zg_storage_err_t *err);

/* The chain id (eth_chainId, 0 before the first successful round) and the
 * Flow address being followed. */
void zg_follower_network(zg_log_source_t *src, uint64_t *chain_id, uint8_t flow_address[20]);

/* Decodes one Flow Submit log (topics[0..ntopics), data[0..len)) and
 * applies it to st (see the invariants). *applied is false when the entry
 * was already present. ZG_EINVAL when the log is not a well-formed Submit
 * event, ZG_ESTATE for a gap, the service's codes otherwise. Pure with
 * respect to the network: the unit tests and replay tools call it. */
ZG_WARN_UNUSED zg_err_t zg_follower_apply_log(zg_storage_t *st, bool *applied, zg_storage_err_t *err,
                                              const uint8_t (*topics)[32], size_t ntopics, const uint8_t *data,
                                              size_t len);

#endif

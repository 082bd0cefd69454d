/*
 * zg/storage_sync.h — storage peer sync (layer 7, src/storage/sync.c,
 * src/storage/sync_msg.c): storage nodes find and fetch the segments of
 * their shard that they lack from each other, over the P2P transport of
 * zg/net.h (authenticated, encrypted links). docs/storage-network.md, "Peer
 * sync", has the protocol and the figures.
 *
 * Protocol (canonical codec, zg/codec.h; every message strictly decoded):
 *   ANNOUNCE (gossip)  "I hold every segment of my shard of tx seq N", with
 *                      the origin's key and shard config;
 *   FIND (request)     "how many segments of tx N (root R) of my shard do
 *                      you hold?" -> the answerer's shard config and count;
 *   GET (request)      "segments [a, b) of tx N that are in my shard" -> up
 *                      to ZG_SYNC_MAX_RANGE segments with their file proofs.
 *
 * Invariants:
 *  - A received segment is stored only through zg_storage_upload with the
 *    tx seq the chain follower learnt, so it is verified against the file
 *    root of the chain's Submit event and the shard rule before anything is
 *    written (the same path as an RPC upload). A range that fails
 *    verification bans the peer that served it for cfg.ban_ms; the range is
 *    fetched again from another peer.
 *  - Memory is bounded: at most cfg.max_inflight range requests of at most
 *    ZG_SYNC_MAX_RANGE segments are outstanding, and at most
 *    ZG_SYNC_MAX_PENDING files wait to be synced at a time.
 *  - Progress is the log store itself: a restarted node rescans its entries
 *    and fetches only the segments it still lacks (resumable).
 *
 * Threads: the service runs a sync thread (scan, fetch, verify, store) and
 * answers peers on the net thread; every function here is thread-safe.
 */
#ifndef ZG_STORAGE_SYNC_H
#define ZG_STORAGE_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/ed25519.h"
#include "zg/err.h"
#include "zg/storage_node.h"

/* Most segments one GET answer carries (8 MiB of data). */
#define ZG_SYNC_MAX_RANGE 32u
/* Most files waiting to be synced at a time (the rest wait their turn). */
#define ZG_SYNC_MAX_PENDING 1024u

typedef struct zg_storage_sync zg_storage_sync_t;

/* Configuration; pointers borrowed for zg_storage_sync_create only. Zero
 * numeric fields take the defaults given. */
typedef struct {
  const char *listen;          /* "host:port" (port 0: ephemeral); NULL: dial only */
  const zg_ed25519_sk_t *sk;   /* the node's P2P identity */
  const char *network_id;      /* peers of another id are refused, e.g. "zgs/<flow address>" */
  const char *const *peers;    /* "<ed25519 pk hex>@host:port" each */
  size_t npeers;
  uint32_t grace_ms;           /* wait for an upload before fetching a new entry (5000); renewed
                                  while the entry's stored segment count keeps growing */
  uint32_t poll_ms;            /* scan period for new entries (500) */
  uint32_t max_inflight;       /* concurrent range requests (4, at most 64, and at most 32 MiB
                                  of answers: 8 with 16-segment ranges, 4 with 32) */
  uint32_t range_segments;     /* segments asked per GET (16, at most ZG_SYNC_MAX_RANGE) */
  uint32_t timeout_ms;         /* per request (10000) */
  uint32_t ban_ms;             /* a peer that served a bad range is avoided this long (600000) */
  /* TEST KNOB: serve corrupted segment data to peers (one flipped byte per
   * segment), so that tests can check that a lying peer is detected. The
   * node's configuration refuses it unless ZG_DEV_KNOBS=1 is set. */
  bool debug_corrupt;
} zg_storage_sync_cfg_t;

/* Counters (monotonic since create, unless marked gauge). */
typedef struct {
  uint64_t peers_up;           /* gauge */
  uint64_t pending_files;      /* gauge: entries of this shard still lacking segments */
  uint64_t files_synced;       /* entries completed by sync */
  uint64_t segments_fetched;   /* verified and stored */
  uint64_t bytes_fetched;
  uint64_t bad_ranges;         /* answers that failed verification or decoding */
  uint64_t peers_banned;
  uint64_t requests_failed;    /* timeouts, closed links, refusals */
  uint64_t segments_served;    /* sent to peers */
  uint64_t bytes_served;
  uint64_t announces_in, announces_out;
} zg_storage_sync_stats_t;

/* Sync state of one entry (admin_getSyncStatus). */
typedef enum {
  ZG_SYNC_FILE_UNKNOWN = 0, /* no such tx here */
  ZG_SYNC_FILE_COMPLETED,   /* every segment of this node's shard is stored */
  ZG_SYNC_FILE_WAITING,     /* in its grace period (an upload may still come) */
  ZG_SYNC_FILE_SYNCING,     /* being fetched from peers */
  ZG_SYNC_FILE_NO_PEER,     /* no reachable peer holds the missing segments yet; retried */
  ZG_SYNC_FILE_QUEUED,      /* lacks segments; not examined yet */
} zg_storage_sync_file_t;

/* Returns a static name ("Completed", "Waiting", ...). */
const char *zg_storage_sync_file_name(zg_storage_sync_file_t s);

/* Starts the service for st (borrowed until destroy): the net, the sync
 * thread. Output *out. ZG_EINVAL for missing arguments, the net's codes
 * (ZG_ECONFIG bad peer/listen, ZG_ECONNECT cannot bind), ZG_ENOMEM. msg
 * (may be NULL) gets a message. */
ZG_WARN_UNUSED zg_err_t zg_storage_sync_create(zg_storage_sync_t **out, zg_storage_t *st,
                                               const zg_storage_sync_cfg_t *cfg, char *msg, size_t msglen);
/* Stops the thread, closes the links, frees everything. NULL is a no-op. */
void zg_storage_sync_destroy(zg_storage_sync_t *s);

/* The bound P2P port (0 when not listening). */
uint16_t zg_storage_sync_port(const zg_storage_sync_t *s);
/* The node's P2P public key. */
void zg_storage_sync_self(const zg_storage_sync_t *s, zg_ed25519_pk_t *pk);
/* Wakes the sync thread now (a new entry arrived). */
void zg_storage_sync_kick(zg_storage_sync_t *s);
void zg_storage_sync_stats(zg_storage_sync_t *s, zg_storage_sync_stats_t *out);
/* The state of tx seq. ZG_OK; store errors. */
ZG_WARN_UNUSED zg_err_t zg_storage_sync_file_status(zg_storage_sync_t *s, zg_storage_sync_file_t *out,
                                                    uint64_t seq);

struct zg_rpc;
struct zg_metrics;
/* Registers admin_getSyncProgress and admin_getFileSyncStatus on rpc (s
 * borrowed for the rpc's life) and the zg_storage_sync_* gauges on metrics
 * (may be NULL). src/storage/sync_rpc.c. ZG_EEXIST, ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_storage_sync_rpc_register(zg_storage_sync_t *s, struct zg_rpc *rpc,
                                                     struct zg_metrics *metrics);

/* Loads the node key from path (64 hex digits: the Ed25519 seed, optional
 * 0x, optional trailing newline); when the file is missing and generate is
 * true, makes a random key and writes it there (mode 0600). Outputs sk, pk.
 * ZG_EIO, ZG_ECONFIG for a malformed file, ZG_ENOTFOUND when missing and
 * !generate. */
ZG_WARN_UNUSED zg_err_t zg_storage_sync_load_key(zg_ed25519_sk_t *sk, zg_ed25519_pk_t *pk, const char *path,
                                                 bool generate);

#endif

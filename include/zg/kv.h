/*
 * zg/kv.h — the KV layer (services layer 7, src/kv/): the state replayed
 * from the log (kv_store.c, kv_replay.c) and the role that feeds it from a
 * storage node (kv_role.c). docs/kv.md describes the model; this follows
 * 0G's storage-kv semantics.
 *
 * State (one LMDB environment in cfg.dir):
 *  - values: for every (stream, key) each committed version (the tx seq that
 *    wrote it) and its bytes; an empty value is a deletion (skipped by the
 *    iterators, as 0G's);
 *  - ACL rows (admin, special keys, writers, special writers) by version;
 *  - the result string of every replayed KV tx ("Commit",
 *    "VersionConfliction", "TagsMismatch", "DataParseError: ...",
 *    "WritePermissionDenied: ...", "AccessControlPermissionDenied: ...");
 *  - the replay cursor: the next tx seq to look at.
 * Every tx is replayed or skipped in one durable LMDB transaction that also
 * moves the cursor, so a restart resumes exactly after the last tx done.
 *
 * Queries take a version: UINT64_MAX for the latest state, otherwise the
 * state as of that tx seq (inclusive), as 0G's kv_ RPC does.
 *
 * Limits of this implementation (docs/kv.md): stored keys are at most
 * ZG_KV_MAX_STORED_KEY bytes (a tx writing a longer key gets a
 * DataParseError result); ACL keys of any length are kept by hash.
 *
 * Threads: queries run concurrently with each other and with the replay
 * (LMDB snapshots); replay calls must come from one thread at a time.
 */
#ifndef ZG_KV_H
#define ZG_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"
#include "zg/kv_stream.h"

#define ZG_KV_MAX_STORED_KEY 479u /* LMDB's 511-byte key less the 32-byte stream id */
#define ZG_KV_LATEST UINT64_MAX   /* query version: the latest state */
#define ZG_KV_MAX_STREAMS 1024u   /* streams a node may be configured with */

typedef struct zg_kv zg_kv_t;

typedef struct {
  const char *dir;                /* LMDB environment (created when missing) */
  bool all_streams;               /* replay every stream (streams ignored) */
  const uint8_t (*streams)[32];   /* the streams to replay (copied) */
  size_t nstreams;                /* <= ZG_KV_MAX_STREAMS */
  bool no_sync;                   /* NOT crash-safe: tests and benches */
} zg_kv_cfg_t;

/* Opens the state. The configured streams are compared with the ones the
 * state was built for: a different set is ZG_ECONFIG (replaying from an
 * existing cursor with another set would give a state no 0G node has).
 * msg (may be NULL) gets a message. */
ZG_WARN_UNUSED zg_err_t zg_kv_open(zg_kv_t **out, const zg_kv_cfg_t *cfg, char *msg, size_t msglen);
/* Closes it. NULL is fine. No call may be in progress. */
void zg_kv_close(zg_kv_t *kv);

/* The next tx seq the replay will look at. */
ZG_WARN_UNUSED zg_err_t zg_kv_next_seq(zg_kv_t *kv, uint64_t *out);
/* True when a tx with these tags is one this node replays: the tags start
 * with StreamDomain, are whole 32-byte ids, and name one of its streams
 * (any stream when all_streams). */
bool zg_kv_wants(const zg_kv_t *kv, const uint8_t *tags, size_t tags_len);
/* True when the node replays stream (always with all_streams). */
bool zg_kv_holds_stream(const zg_kv_t *kv, const uint8_t stream[32]);
/* The configured streams (all_streams: those seen so far, up to cap):
 * *n gets the count, ids the first min(n, cap). */
ZG_WARN_UNUSED zg_err_t zg_kv_streams(zg_kv_t *kv, uint8_t (*ids)[32], size_t cap, size_t *n, bool *all);

/* Moves the cursor from seq to seq + count (txs that are not this node's).
 * ZG_ESTATE when seq is not the cursor. */
ZG_WARN_UNUSED zg_err_t zg_kv_skip(zg_kv_t *kv, uint64_t seq, uint64_t count);
/* Replays tx seq (the cursor; ZG_ESTATE otherwise) sent by sender with
 * these tags and file bytes data[0..len): applies 0G's rules (docs/kv.md),
 * records the result string (also copied to result[0..cap), may be NULL),
 * commits the writes and ACL changes when the result is "Commit", and
 * moves the cursor — all in one durable transaction. The verdict is data:
 * ZG_OK for every result; errors are store faults (ZG_EIO, ZG_EFULL,
 * ZG_ENOMEM), after which nothing changed. */
ZG_WARN_UNUSED zg_err_t zg_kv_replay(zg_kv_t *kv, char *result, size_t cap, uint64_t seq, const uint8_t sender[20],
                                     const uint8_t *tags, size_t tags_len, const uint8_t *data, size_t len);

/* ---- queries ---- */

/* A value as stored: version (0 when absent) and the bytes. */
typedef struct {
  bool found;    /* a version <= the asked one exists (an empty value is a deletion) */
  uint64_t version;
  zg_buf_t key;  /* iterators: the key found */
  zg_buf_t data; /* the value bytes [start, start + len) asked for */
  uint64_t size; /* the whole value's size */
} zg_kv_value_t;

void zg_kv_value_init(zg_kv_value_t *v);
void zg_kv_value_clear(zg_kv_value_t *v);

/* kv_getValue: the value of (stream, key) as of version, bytes
 * [start, start + len) of it. ZG_ERANGE when start > size. */
ZG_WARN_UNUSED zg_err_t zg_kv_get(zg_kv_t *kv, zg_kv_value_t *out, const uint8_t stream[32], const uint8_t *key,
                                  size_t key_len, uint64_t start, uint64_t len, uint64_t version);

typedef enum { ZG_KV_ITER_NEXT, ZG_KV_ITER_PREV, ZG_KV_ITER_FIRST, ZG_KV_ITER_LAST } zg_kv_iter_t;
/* kv_getNext / getPrev (from key, inclusive or not) and getFirst / getLast
 * (key ignored): the nearest non-deleted key of stream as of version.
 * out->found false when there is none. */
ZG_WARN_UNUSED zg_err_t zg_kv_iter(zg_kv_t *kv, zg_kv_value_t *out, zg_kv_iter_t dir, const uint8_t stream[32],
                                   const uint8_t *key, size_t key_len, bool inclusive, uint64_t start, uint64_t len,
                                   uint64_t version);

/* kv_getTransactionResult: *found false (ZG_OK) for a tx not replayed (yet,
 * or not a KV tx of this node). */
ZG_WARN_UNUSED zg_err_t zg_kv_tx_result(zg_kv_t *kv, bool *found, char *out, size_t cap, uint64_t seq);

/* Permission queries (0G's semantics, as of version). */
ZG_WARN_UNUSED zg_err_t zg_kv_is_new_stream(zg_kv_t *kv, bool *out, const uint8_t stream[32], uint64_t version);
ZG_WARN_UNUSED zg_err_t zg_kv_is_admin(zg_kv_t *kv, bool *out, const uint8_t account[20], const uint8_t stream[32],
                                       uint64_t version);
ZG_WARN_UNUSED zg_err_t zg_kv_is_special_key(zg_kv_t *kv, bool *out, const uint8_t stream[32], const uint8_t *key,
                                             size_t key_len, uint64_t version);
ZG_WARN_UNUSED zg_err_t zg_kv_is_writer_of_key(zg_kv_t *kv, bool *out, const uint8_t account[20],
                                               const uint8_t stream[32], const uint8_t *key, size_t key_len,
                                               uint64_t version);
ZG_WARN_UNUSED zg_err_t zg_kv_is_writer_of_stream(zg_kv_t *kv, bool *out, const uint8_t account[20],
                                                  const uint8_t stream[32], uint64_t version);
/* New stream, or admin, or (special key ? writer of key : writer of stream). */
ZG_WARN_UNUSED zg_err_t zg_kv_has_write_permission(zg_kv_t *kv, bool *out, const uint8_t account[20],
                                                   const uint8_t stream[32], const uint8_t *key, size_t key_len,
                                                   uint64_t version);

/* ---- the role: replay from a storage node's log ---- */

struct zg_storage;
typedef struct zg_kv_role zg_kv_role_t;

/* Starts a thread that replays st's entries into kv in seq order: an entry
 * with KV tags for this node waits until its file is finalized on st (it is
 * never skipped), then is read from st's log store and replayed; other
 * entries are skipped. st must hold whole files (numShard 1): ZG_ECONFIG
 * otherwise. kv and st are borrowed until zg_kv_role_stop. poll_ms 0: 200. */
ZG_WARN_UNUSED zg_err_t zg_kv_role_start(zg_kv_role_t **out, zg_kv_t *kv, struct zg_storage *st, unsigned poll_ms);
/* Runs the replay until it has nothing more to do now (for tests): *done
 * gets the txs replayed or skipped. Not with a started thread. */
ZG_WARN_UNUSED zg_err_t zg_kv_role_step(zg_kv_t *kv, struct zg_storage *st, uint64_t *done);
/* Stops and joins the thread. NULL is fine. */
void zg_kv_role_stop(zg_kv_role_t *r);

#endif

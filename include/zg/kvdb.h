/*
 * zg/kvdb.h — a thin wrapper over an LMDB environment: the ordered key-value
 * store under every index and state table of zg (the storage node's log
 * store, later the chain state).
 *
 * Model (LMDB's): one environment is a directory holding data.mdb and
 * lock.mdb; it contains named sub-databases (zg_kvdb_dbi_t); all access is in
 * transactions. Any number of read transactions run concurrently with at most
 * one write transaction (LMDB serialises writers with its own lock, so a
 * second zg_kvdb_txn_begin(write) blocks until the first ends). The
 * environment is opened with MDB_NOTLS: a read transaction is not tied to its
 * thread, but one transaction must never be used by two threads at once. A
 * write transaction must begin, be used and end on one thread.
 *
 * Durability: a commit returns once the data is on disk (fsync) unless the
 * environment was opened with no_sync (tests and benchmarks only).
 *
 * Errors: LMDB codes never leave this module. MDB_NOTFOUND -> ZG_ENOTFOUND,
 * MDB_KEYEXIST -> ZG_EEXIST, MDB_MAP_FULL / MDB_TXN_FULL / MDB_DBS_FULL /
 * ENOSPC -> ZG_EFULL, MDB_CORRUPTED / MDB_PAGE_NOTFOUND / MDB_INVALID ->
 * ZG_ECORRUPT, MDB_READERS_FULL / MDB_MAP_RESIZED -> ZG_EBUSY,
 * MDB_BAD_VALSIZE / EINVAL -> ZG_EINVAL, ENOMEM -> ZG_ENOMEM, anything else ->
 * ZG_EIO with LMDB's message logged (component "kvdb").
 *
 * Pointers: every zg_slice_t returned by a get or a cursor points into the
 * memory map and is valid only until the transaction ends (or, in a write
 * transaction, until the next write in it). Keys and values passed in are
 * borrowed for the call only. The opaque handle types are owned by the
 * caller between their begin/open and end/close.
 */
#ifndef ZG_KVDB_H
#define ZG_KVDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"

typedef struct zg_kvdb zg_kvdb_t;               /* an environment */
typedef struct zg_kvdb_txn zg_kvdb_txn_t;       /* a transaction */
typedef struct zg_kvdb_cursor zg_kvdb_cursor_t; /* a cursor in one sub-database */
typedef unsigned zg_kvdb_dbi_t;                 /* a named sub-database */

typedef struct {
  size_t map_size;      /* maximum size of the data file, bytes (virtual; 0: 1 GiB) */
  unsigned max_dbs;     /* named sub-databases allowed (0: 16) */
  unsigned max_readers; /* concurrent read transactions (0: LMDB's default, 126) */
  bool no_sync;         /* commits skip fsync: NOT crash-safe, for tests and benches */
  bool read_only;       /* open without write access */
} zg_kvdb_opts_t;

/* Opens (creating the directory and files when missing) the environment in
 * dir. opts may be NULL for the defaults. *out is NULL on failure. */
ZG_WARN_UNUSED zg_err_t zg_kvdb_open(zg_kvdb_t **out, const char *dir, const zg_kvdb_opts_t *opts);
/* Closes the environment. Every transaction and cursor must have ended. NULL
 * is ignored. */
void zg_kvdb_close(zg_kvdb_t *db);
/* Grows (or shrinks, down to the data present) the map to size bytes, the
 * remedy for ZG_EFULL from MDB_MAP_FULL. No transaction may be active in
 * this process while it runs. */
ZG_WARN_UNUSED zg_err_t zg_kvdb_set_map_size(zg_kvdb_t *db, size_t size);
/* Flushes the environment to disk (useful after no_sync commits). */
ZG_WARN_UNUSED zg_err_t zg_kvdb_sync(zg_kvdb_t *db);

/* Opens the sub-database called name, creating it when create is true
 * (ZG_ENOTFOUND when it is missing and create is false). Handles stay valid
 * until zg_kvdb_close; open each name once, at start-up, before other threads
 * use the environment. */
ZG_WARN_UNUSED zg_err_t zg_kvdb_dbi_open(zg_kvdb_t *db, zg_kvdb_dbi_t *out, const char *name, bool create);

/* Begins a transaction: a write transaction when write is true, else a read
 * snapshot. parent, when not NULL, must be a write transaction: the new one
 * is nested in it (its changes reach the parent only on commit, and aborting
 * it leaves the parent as it was). *out is NULL on failure. */
ZG_WARN_UNUSED zg_err_t zg_kvdb_txn_begin(zg_kvdb_t *db, zg_kvdb_txn_t **out, zg_kvdb_txn_t *parent,
                                          bool write);
/* Commits and ends txn (also on failure: txn is gone either way). */
ZG_WARN_UNUSED zg_err_t zg_kvdb_txn_commit(zg_kvdb_txn_t *txn);
/* Ends txn discarding its changes. NULL is ignored. */
void zg_kvdb_txn_abort(zg_kvdb_txn_t *txn);

/* Looks key up: *val is a view valid until txn ends (or its next write).
 * ZG_ENOTFOUND when absent; *val is {NULL, 0} on any failure. */
ZG_WARN_UNUSED zg_err_t zg_kvdb_get(zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi, zg_slice_t key, zg_slice_t *val);

/* Flags of zg_kvdb_put. */
#define ZG_KVDB_NOOVERWRITE 1u /* ZG_EEXIST when the key is present */
#define ZG_KVDB_APPEND 2u      /* the key sorts after every key present (fast bulk load) */

/* Stores key -> val (copied). Keys are 1..511 bytes. */
ZG_WARN_UNUSED zg_err_t zg_kvdb_put(zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi, zg_slice_t key, zg_slice_t val,
                                    unsigned flags);
/* Deletes key. ZG_ENOTFOUND when absent. */
ZG_WARN_UNUSED zg_err_t zg_kvdb_del(zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi, zg_slice_t key);
/* Deletes every key of the sub-database (it stays open). */
ZG_WARN_UNUSED zg_err_t zg_kvdb_drop(zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi);
/* Number of keys in the sub-database. */
ZG_WARN_UNUSED zg_err_t zg_kvdb_count(zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi, uint64_t *out);

/* Cursor positioning, in key order (memcmp order of the key bytes). */
typedef enum {
  ZG_KVDB_FIRST,   /* the smallest key */
  ZG_KVDB_LAST,    /* the largest key */
  ZG_KVDB_NEXT,    /* the key after the current one (FIRST on a fresh cursor) */
  ZG_KVDB_PREV,    /* the key before the current one (LAST on a fresh cursor) */
  ZG_KVDB_SEEK_GE, /* the smallest key >= *key */
  ZG_KVDB_SEEK_EQ, /* exactly *key */
  ZG_KVDB_CURRENT  /* the current key again */
} zg_kvdb_op_t;

/* Opens a cursor over dbi in txn; close it before txn ends (a write
 * transaction's cursors may also be closed right after it ends). */
ZG_WARN_UNUSED zg_err_t zg_kvdb_cursor_open(zg_kvdb_cursor_t **out, zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi);
/* Moves the cursor and returns the key and value there (views, valid as for
 * zg_kvdb_get). For the SEEK ops *key is read first. ZG_ENOTFOUND when there
 * is no such entry (past either end); key and val are {NULL, 0} then. */
ZG_WARN_UNUSED zg_err_t zg_kvdb_cursor_get(zg_kvdb_cursor_t *c, zg_slice_t *key, zg_slice_t *val,
                                           zg_kvdb_op_t op);
/* Deletes the entry under the cursor. */
ZG_WARN_UNUSED zg_err_t zg_kvdb_cursor_del(zg_kvdb_cursor_t *c);
/* Closes the cursor. NULL is ignored. */
void zg_kvdb_cursor_close(zg_kvdb_cursor_t *c);

/* Internal: translates an LMDB return code (0, MDB_* or an errno) to a
 * zg_err_t, logging the message for codes that become ZG_EIO. what names the
 * operation for the log line. Exposed for the store modules and tests. */
zg_err_t zg__kvdb_err(int rc, const char *what);

#endif

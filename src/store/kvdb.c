/*
 * kvdb.c — the LMDB environment wrapper (zg/kvdb.h).
 *
 * The opaque zg_kvdb_txn_t and zg_kvdb_cursor_t pointers are LMDB's own
 * MDB_txn and MDB_cursor pointers under another name: the wrapper adds no
 * allocation to a transaction. Only zg_kvdb_t is a struct of ours (the
 * environment plus its path for log lines).
 *
 * Invariant: every LMDB return code is passed through zg__kvdb_err before it
 * leaves this file.
 */
#include "zg/kvdb.h"

#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "zg/log.h"

struct zg_kvdb {
  MDB_env *env;
  char path[256];
};

#define TXN(t) ((MDB_txn *)(void *)(t))
#define CUR(c) ((MDB_cursor *)(void *)(c))

zg_err_t zg__kvdb_err(int rc, const char *what) {
  switch (rc) {
    case MDB_SUCCESS:
      return ZG_OK;
    case MDB_NOTFOUND:
      return ZG_ENOTFOUND;
    case MDB_KEYEXIST:
      return ZG_EEXIST;
    case MDB_MAP_FULL:
    case MDB_TXN_FULL:
    case MDB_DBS_FULL:
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
      zg_logw("kvdb", "%s: %s", what, mdb_strerror(rc));
      return ZG_EFULL;
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
      zg_loge("kvdb", "%s: %s", what, mdb_strerror(rc));
      return ZG_ECORRUPT;
    case MDB_READERS_FULL:
    case MDB_MAP_RESIZED:
      zg_logw("kvdb", "%s: %s", what, mdb_strerror(rc));
      return ZG_EBUSY;
    case MDB_BAD_VALSIZE:
    case EINVAL:
      return ZG_EINVAL;
    case ENOMEM:
      return ZG_ENOMEM;
    default:
      zg_loge("kvdb", "%s: %s (%d)", what, mdb_strerror(rc), rc);
      return ZG_EIO;
  }
}

static MDB_val to_val(zg_slice_t s) {
  MDB_val v = {s.len, (void *)(uintptr_t)s.ptr};
  return v;
}
static zg_slice_t from_val(const MDB_val *v) { return zg_slice(v->mv_data, v->mv_size); }

zg_err_t zg_kvdb_open(zg_kvdb_t **out, const char *dir, const zg_kvdb_opts_t *opts) {
  static const zg_kvdb_opts_t defaults = {0};
  zg_kvdb_t *db = NULL;
  zg_err_t err = ZG_OK;
  int rc;
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!dir || strlen(dir) >= sizeof db->path) return ZG_EINVAL;
  if (!opts) opts = &defaults;
  if (!opts->read_only && mkdir(dir, 0755) != 0 && errno != EEXIST) {
    zg_loge("kvdb", "mkdir %s: %s", dir, strerror(errno));
    return errno == ENOSPC ? ZG_EFULL : ZG_EIO;
  }
  db = calloc(1, sizeof *db);
  if (!db) return ZG_ENOMEM;
  snprintf(db->path, sizeof db->path, "%s", dir);
  if ((rc = mdb_env_create(&db->env)) != 0) {
    err = zg__kvdb_err(rc, "mdb_env_create");
    db->env = NULL;
    goto out;
  }
  if ((rc = mdb_env_set_mapsize(db->env, opts->map_size ? opts->map_size : ((size_t)1 << 30))) != 0 ||
      (rc = mdb_env_set_maxdbs(db->env, opts->max_dbs ? opts->max_dbs : 16)) != 0 ||
      (opts->max_readers && (rc = mdb_env_set_maxreaders(db->env, opts->max_readers)) != 0)) {
    err = zg__kvdb_err(rc, "mdb_env_set");
    goto out;
  }
  unsigned flags = MDB_NOTLS | (opts->no_sync ? MDB_NOSYNC : 0) | (opts->read_only ? MDB_RDONLY : 0);
  if ((rc = mdb_env_open(db->env, dir, flags, 0644)) != 0) {
    zg_logw("kvdb", "open %s failed", dir);
    err = zg__kvdb_err(rc, "mdb_env_open");
    goto out;
  }
out:
  if (err != ZG_OK) {
    if (db->env) mdb_env_close(db->env);
    free(db);
    return err;
  }
  *out = db;
  return ZG_OK;
}

void zg_kvdb_close(zg_kvdb_t *db) {
  if (!db) return;
  mdb_env_close(db->env);
  free(db);
}

zg_err_t zg_kvdb_set_map_size(zg_kvdb_t *db, size_t size) {
  if (!db || size == 0) return ZG_EINVAL;
  return zg__kvdb_err(mdb_env_set_mapsize(db->env, size), "mdb_env_set_mapsize");
}

zg_err_t zg_kvdb_sync(zg_kvdb_t *db) {
  if (!db) return ZG_EINVAL;
  return zg__kvdb_err(mdb_env_sync(db->env, 1), "mdb_env_sync");
}

zg_err_t zg_kvdb_dbi_open(zg_kvdb_t *db, zg_kvdb_dbi_t *out, const char *name, bool create) {
  MDB_txn *txn = NULL;
  MDB_dbi dbi = 0;
  int rc;
  if (!out) return ZG_EINVAL;
  *out = 0;
  if (!db || !name) return ZG_EINVAL;
  MDB_env *env = db->env;
  unsigned envflags = 0;
  (void)mdb_env_get_flags(env, &envflags);
  bool ro = (envflags & MDB_RDONLY) != 0;
  if ((rc = mdb_txn_begin(env, NULL, ro ? MDB_RDONLY : 0, &txn)) != 0)
    return zg__kvdb_err(rc, "dbi_open begin");
  if ((rc = mdb_dbi_open(txn, name, create && !ro ? MDB_CREATE : 0, &dbi)) != 0) {
    mdb_txn_abort(txn);
    return zg__kvdb_err(rc, "mdb_dbi_open");
  }
  if ((rc = mdb_txn_commit(txn)) != 0) return zg__kvdb_err(rc, "dbi_open commit");
  *out = dbi;
  return ZG_OK;
}

zg_err_t zg_kvdb_txn_begin(zg_kvdb_t *db, zg_kvdb_txn_t **out, zg_kvdb_txn_t *parent, bool write) {
  MDB_txn *txn = NULL;
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!db || (parent && !write)) return ZG_EINVAL;
  int rc = mdb_txn_begin(db->env, TXN(parent), write ? 0 : MDB_RDONLY, &txn);
  if (rc != 0) return zg__kvdb_err(rc, "mdb_txn_begin");
  *out = (zg_kvdb_txn_t *)(void *)txn;
  return ZG_OK;
}

zg_err_t zg_kvdb_txn_commit(zg_kvdb_txn_t *txn) {
  if (!txn) return ZG_EINVAL;
  return zg__kvdb_err(mdb_txn_commit(TXN(txn)), "mdb_txn_commit");
}

void zg_kvdb_txn_abort(zg_kvdb_txn_t *txn) {
  if (txn) mdb_txn_abort(TXN(txn));
}

zg_err_t zg_kvdb_get(zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi, zg_slice_t key, zg_slice_t *val) {
  MDB_val k = to_val(key), v = {0, NULL};
  if (!val) return ZG_EINVAL;
  *val = zg_slice(NULL, 0);
  if (!txn || key.len == 0) return ZG_EINVAL;
  int rc = mdb_get(TXN(txn), dbi, &k, &v);
  if (rc != 0) return zg__kvdb_err(rc, "mdb_get");
  *val = from_val(&v);
  return ZG_OK;
}

zg_err_t zg_kvdb_put(zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi, zg_slice_t key, zg_slice_t val, unsigned flags) {
  MDB_val k = to_val(key), v = to_val(val);
  if (!txn || key.len == 0 || (flags & ~(ZG_KVDB_NOOVERWRITE | ZG_KVDB_APPEND))) return ZG_EINVAL;
  unsigned f =
      ((flags & ZG_KVDB_NOOVERWRITE) ? MDB_NOOVERWRITE : 0) | ((flags & ZG_KVDB_APPEND) ? MDB_APPEND : 0);
  int rc = mdb_put(TXN(txn), dbi, &k, &v, f);
  if (rc == MDB_KEYEXIST && (flags & ZG_KVDB_APPEND) && !(flags & ZG_KVDB_NOOVERWRITE)) {
    return ZG_EINVAL; /* APPEND with a key out of order */
  }
  if (rc == EACCES) return ZG_EINVAL; /* a write in a read-only transaction */
  return zg__kvdb_err(rc, "mdb_put");
}

zg_err_t zg_kvdb_del(zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi, zg_slice_t key) {
  MDB_val k = to_val(key);
  if (!txn || key.len == 0) return ZG_EINVAL;
  int rc = mdb_del(TXN(txn), dbi, &k, NULL);
  if (rc == EACCES) return ZG_EINVAL; /* a write in a read-only transaction */
  return zg__kvdb_err(rc, "mdb_del");
}

zg_err_t zg_kvdb_drop(zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi) {
  if (!txn) return ZG_EINVAL;
  return zg__kvdb_err(mdb_drop(TXN(txn), dbi, 0), "mdb_drop");
}

zg_err_t zg_kvdb_count(zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi, uint64_t *out) {
  MDB_stat st;
  if (!out) return ZG_EINVAL;
  *out = 0;
  if (!txn) return ZG_EINVAL;
  int rc = mdb_stat(TXN(txn), dbi, &st);
  if (rc != 0) return zg__kvdb_err(rc, "mdb_stat");
  *out = st.ms_entries;
  return ZG_OK;
}

zg_err_t zg_kvdb_cursor_open(zg_kvdb_cursor_t **out, zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi) {
  MDB_cursor *c = NULL;
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!txn) return ZG_EINVAL;
  int rc = mdb_cursor_open(TXN(txn), dbi, &c);
  if (rc != 0) return zg__kvdb_err(rc, "mdb_cursor_open");
  *out = (zg_kvdb_cursor_t *)(void *)c;
  return ZG_OK;
}

zg_err_t zg_kvdb_cursor_get(zg_kvdb_cursor_t *c, zg_slice_t *key, zg_slice_t *val, zg_kvdb_op_t op) {
  MDB_val k = {0, NULL}, v = {0, NULL};
  MDB_cursor_op mop;
  if (!c || !key || !val) return ZG_EINVAL;
  switch (op) {
    case ZG_KVDB_FIRST:
      mop = MDB_FIRST;
      break;
    case ZG_KVDB_LAST:
      mop = MDB_LAST;
      break;
    case ZG_KVDB_NEXT:
      mop = MDB_NEXT;
      break;
    case ZG_KVDB_PREV:
      mop = MDB_PREV;
      break;
    case ZG_KVDB_SEEK_GE:
      mop = MDB_SET_RANGE;
      break;
    case ZG_KVDB_SEEK_EQ:
      mop = MDB_SET_KEY;
      break;
    case ZG_KVDB_CURRENT:
      mop = MDB_GET_CURRENT;
      break;
    default:
      return ZG_EINVAL;
  }
  if (op == ZG_KVDB_SEEK_GE || op == ZG_KVDB_SEEK_EQ) {
    if (key->len == 0) return ZG_EINVAL;
    k = to_val(*key);
  }
  *key = zg_slice(NULL, 0);
  *val = zg_slice(NULL, 0);
  int rc = mdb_cursor_get(CUR(c), &k, &v, mop);
  /* LMDB answers EINVAL for GET_CURRENT on an unpositioned cursor: not found. */
  if (rc == EINVAL && op == ZG_KVDB_CURRENT) rc = MDB_NOTFOUND;
  if (rc != 0) return zg__kvdb_err(rc, "mdb_cursor_get");
  *key = from_val(&k);
  *val = from_val(&v);
  return ZG_OK;
}

zg_err_t zg_kvdb_cursor_del(zg_kvdb_cursor_t *c) {
  if (!c) return ZG_EINVAL;
  return zg__kvdb_err(mdb_cursor_del(CUR(c), 0), "mdb_cursor_del");
}

void zg_kvdb_cursor_close(zg_kvdb_cursor_t *c) {
  if (c) mdb_cursor_close(CUR(c));
}

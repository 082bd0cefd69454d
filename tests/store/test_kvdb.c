/*
 * test_kvdb.c — the LMDB wrapper (zg/kvdb.h): round trips, overwrite and
 * NOOVERWRITE, delete, cursor order and seeks, nested transactions, reopen
 * after close, read snapshots isolated from a concurrent writer, error
 * translation (MAP_FULL -> ZG_EFULL, NOTFOUND, KEYEXIST, bad sizes), and a
 * random model check against a sorted in-memory table.
 */
#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "zg/kvdb.h"
#include "zg/log.h"
#include "zg_test.h"

static char g_dir[256];

static void mkdir_tmp(char *out, size_t cap, const char *tag) {
  snprintf(out, cap, "/tmp/zgt_kvdb_%s_XXXXXX", tag);
  if (!mkdtemp(out)) {
    perror("mkdtemp");
    exit(1);
  }
}

static void rm_rf(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) printf("  (could not remove %s)\n", dir);
}

static zg_slice_t S(const char *s) { return zg_slice(s, strlen(s)); }

static void test_roundtrip(void) {
  zg_kvdb_t *db = NULL;
  zg_kvdb_dbi_t a, b;
  zg_kvdb_txn_t *t = NULL;
  zg_slice_t v;
  CHECK_OK(zg_kvdb_open(&db, g_dir, NULL));
  CHECK_OK(zg_kvdb_dbi_open(db, &a, "a", true));
  CHECK_OK(zg_kvdb_dbi_open(db, &b, "b", true));
  zg_kvdb_dbi_t m;
  CHECK_ERR(zg_kvdb_dbi_open(db, &m, "missing", false), ZG_ENOTFOUND);
  CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, true));
  CHECK_OK(zg_kvdb_put(t, a, S("k1"), S("v1"), 0));
  CHECK_OK(zg_kvdb_put(t, a, S("k2"), S("value two"), 0));
  CHECK_OK(zg_kvdb_put(t, b, S("k1"), S("other db"), 0));
  CHECK_OK(zg_kvdb_put(t, a, S("empty"), zg_slice(NULL, 0), 0));
  CHECK_ERR(zg_kvdb_put(t, a, S("k1"), S("x"), ZG_KVDB_NOOVERWRITE), ZG_EEXIST);
  CHECK_ERR(zg_kvdb_put(t, a, zg_slice(NULL, 0), S("x"), 0), ZG_EINVAL);
  char big[600];
  memset(big, 'k', sizeof big);
  CHECK_ERR(zg_kvdb_put(t, a, zg_slice(big, sizeof big), S("x"), 0), ZG_EINVAL); /* key > 511 */
  CHECK_OK(zg_kvdb_get(t, a, S("k1"), &v));
  CHECK(v.len == 2 && memcmp(v.ptr, "v1", 2) == 0);
  CHECK_OK(zg_kvdb_txn_commit(t));

  CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, false));
  CHECK_OK(zg_kvdb_get(t, a, S("k2"), &v));
  CHECK(v.len == 9 && memcmp(v.ptr, "value two", 9) == 0);
  CHECK_OK(zg_kvdb_get(t, b, S("k1"), &v));
  CHECK(v.len == 8);
  CHECK_OK(zg_kvdb_get(t, a, S("empty"), &v));
  CHECK_EQ(v.len, 0);
  CHECK_ERR(zg_kvdb_get(t, a, S("nope"), &v), ZG_ENOTFOUND);
  CHECK(v.ptr == NULL && v.len == 0);
  uint64_t n;
  CHECK_OK(zg_kvdb_count(t, a, &n));
  CHECK_EQ(n, 3);
  CHECK_ERR(zg_kvdb_put(t, a, S("k3"), S("x"), 0), ZG_EINVAL); /* a read-only transaction */
  zg_kvdb_txn_abort(t);

  /* Overwrite, delete, abort discards. */
  CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, true));
  CHECK_OK(zg_kvdb_put(t, a, S("k1"), S("new"), 0));
  CHECK_OK(zg_kvdb_del(t, a, S("k2")));
  CHECK_ERR(zg_kvdb_del(t, a, S("k2")), ZG_ENOTFOUND);
  zg_kvdb_txn_abort(t);
  CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, true));
  CHECK_OK(zg_kvdb_get(t, a, S("k2"), &v));
  CHECK_OK(zg_kvdb_put(t, a, S("k1"), S("new"), 0));
  CHECK_OK(zg_kvdb_txn_commit(t));
  zg_kvdb_close(db);

  /* Reopen: the committed state is there. */
  CHECK_OK(zg_kvdb_open(&db, g_dir, NULL));
  CHECK_OK(zg_kvdb_dbi_open(db, &a, "a", false));
  CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, false));
  CHECK_OK(zg_kvdb_get(t, a, S("k1"), &v));
  CHECK(v.len == 3 && memcmp(v.ptr, "new", 3) == 0);
  zg_kvdb_txn_abort(t);
  zg_kvdb_close(db);
}

static void test_nested_and_snapshot(void) {
  zg_kvdb_t *db = NULL;
  zg_kvdb_dbi_t d;
  zg_kvdb_txn_t *t = NULL, *c = NULL, *r = NULL;
  zg_slice_t v;
  CHECK_OK(zg_kvdb_open(&db, g_dir, NULL));
  CHECK_OK(zg_kvdb_dbi_open(db, &d, "nest", true));
  CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, true));
  CHECK_OK(zg_kvdb_put(t, d, S("p"), S("parent"), 0));
  CHECK_OK(zg_kvdb_txn_begin(db, &c, t, true));
  CHECK_OK(zg_kvdb_put(c, d, S("c1"), S("child"), 0));
  zg_kvdb_txn_abort(c);
  CHECK_OK(zg_kvdb_txn_begin(db, &c, t, true));
  CHECK_OK(zg_kvdb_put(c, d, S("c2"), S("child"), 0));
  CHECK_OK(zg_kvdb_txn_commit(c));
  CHECK_ERR(zg_kvdb_txn_begin(db, &c, t, false), ZG_EINVAL); /* a read child */
  CHECK_OK(zg_kvdb_txn_commit(t));

  CHECK_OK(zg_kvdb_txn_begin(db, &r, NULL, false)); /* snapshot before the next write */
  CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, true));
  CHECK_OK(zg_kvdb_put(t, d, S("later"), S("x"), 0));
  CHECK_OK(zg_kvdb_txn_commit(t));
  CHECK_ERR(zg_kvdb_get(r, d, S("later"), &v), ZG_ENOTFOUND);
  CHECK_ERR(zg_kvdb_get(r, d, S("c1"), &v), ZG_ENOTFOUND);
  CHECK_OK(zg_kvdb_get(r, d, S("c2"), &v));
  CHECK_OK(zg_kvdb_get(r, d, S("p"), &v));
  zg_kvdb_txn_abort(r);
  CHECK_OK(zg_kvdb_txn_begin(db, &r, NULL, false));
  CHECK_OK(zg_kvdb_get(r, d, S("later"), &v));
  zg_kvdb_txn_abort(r);
  zg_kvdb_close(db);
}

/* Random model: keys of 1..3 bytes from a small alphabet, checked against a
 * table, with cursor walks in both directions and seeks. */
#define NK 512
static int g_have[NK];
static uint32_t g_val[NK];

static size_t key_of(int i, uint8_t k[3]) {
  /* 1..3 bytes; memcmp order = numeric order of (len-agnostic) bytes. */
  k[0] = (uint8_t)(i >> 3);
  if ((i & 7) == 0) return 1;
  k[1] = (uint8_t)(i & 7);
  return 2;
}

static void test_model(void) {
  zg_kvdb_t *db = NULL;
  zg_kvdb_dbi_t d;
  zg_kvdb_txn_t *t = NULL;
  zg_kvdb_cursor_t *c = NULL;
  zg_slice_t k, v;
  uint8_t kb[3];
  memset(g_have, 0, sizeof g_have);
  zg_kvdb_opts_t o = {.no_sync = true};
  CHECK_OK(zg_kvdb_open(&db, g_dir, &o));
  CHECK_OK(zg_kvdb_dbi_open(db, &d, "model", true));
  long rounds = zgt_iters(40);
  for (long round = 0; round < rounds; round++) {
    CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, true));
    for (int op = 0; op < 50; op++) {
      int i = (int)zgt_rand_below(NK);
      size_t kl = key_of(i, kb);
      if (zgt_rand_below(3) == 0) {
        zg_err_t e = zg_kvdb_del(t, d, zg_slice(kb, kl));
        CHECK_EQ(e, g_have[i] ? ZG_OK : ZG_ENOTFOUND);
        g_have[i] = 0;
      } else {
        uint32_t val = (uint32_t)zgt_rand64();
        uint8_t vb[4];
        zg_store_be32(vb, val);
        CHECK_OK(zg_kvdb_put(t, d, zg_slice(kb, kl), zg_slice(vb, 4), 0));
        g_have[i] = 1;
        g_val[i] = val;
      }
    }
    CHECK_OK(zg_kvdb_txn_commit(t));
    /* Forward walk = the table in order. */
    CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, false));
    CHECK_OK(zg_kvdb_cursor_open(&c, t, d));
    int i = 0;
    zg_err_t e = zg_kvdb_cursor_get(c, &k, &v, ZG_KVDB_FIRST);
    for (; i < NK; i++) {
      if (!g_have[i]) continue;
      size_t kl = key_of(i, kb);
      if (e != ZG_OK) break;
      CHECK(k.len == kl && memcmp(k.ptr, kb, kl) == 0);
      CHECK(v.len == 4 && zg_load_be32(v.ptr) == g_val[i]);
      e = zg_kvdb_cursor_get(c, &k, &v, ZG_KVDB_NEXT);
    }
    CHECK_EQ(i, NK);
    CHECK_EQ(e, ZG_ENOTFOUND);
    /* Backward walk. */
    e = zg_kvdb_cursor_get(c, &k, &v, ZG_KVDB_LAST);
    for (i = NK - 1; i >= 0; i--) {
      if (!g_have[i]) continue;
      size_t kl = key_of(i, kb);
      CHECK_OK(e);
      CHECK(k.len == kl && memcmp(k.ptr, kb, kl) == 0);
      e = zg_kvdb_cursor_get(c, &k, &v, ZG_KVDB_PREV);
    }
    CHECK_EQ(e, ZG_ENOTFOUND);
    /* Seeks. */
    for (int s = 0; s < 20; s++) {
      int q = (int)zgt_rand_below(NK);
      size_t kl = key_of(q, kb);
      zg_slice_t sk = zg_slice(kb, kl);
      e = zg_kvdb_cursor_get(c, &sk, &v, ZG_KVDB_SEEK_GE);
      int want = q;
      while (want < NK && !g_have[want]) want++;
      if (want == NK) {
        CHECK_EQ(e, ZG_ENOTFOUND);
      } else {
        uint8_t wb[3];
        size_t wl = key_of(want, wb);
        CHECK_OK(e);
        CHECK(sk.len == wl && memcmp(sk.ptr, wb, wl) == 0);
      }
      kl = key_of(q, kb);
      sk = zg_slice(kb, kl);
      e = zg_kvdb_cursor_get(c, &sk, &v, ZG_KVDB_SEEK_EQ);
      CHECK_EQ(e, g_have[q] ? ZG_OK : ZG_ENOTFOUND);
    }
    zg_kvdb_cursor_close(c);
    zg_kvdb_txn_abort(t);
  }
  /* Cursor delete of everything, then the table is empty. */
  CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, true));
  CHECK_OK(zg_kvdb_cursor_open(&c, t, d));
  while (zg_kvdb_cursor_get(c, &k, &v, ZG_KVDB_FIRST) == ZG_OK) CHECK_OK(zg_kvdb_cursor_del(c));
  zg_kvdb_cursor_close(c);
  uint64_t n = 1;
  CHECK_OK(zg_kvdb_count(t, d, &n));
  CHECK_EQ(n, 0);
  CHECK_OK(zg_kvdb_txn_commit(t));
  CHECK_OK(zg_kvdb_sync(db));
  zg_kvdb_close(db);
}

static void test_map_full(void) {
  char dir[256];
  zg_kvdb_t *db = NULL;
  zg_kvdb_dbi_t d;
  zg_kvdb_txn_t *t = NULL;
  mkdir_tmp(dir, sizeof dir, "full");
  zg_kvdb_opts_t o = {.map_size = 256 * 1024, .no_sync = true};
  CHECK_OK(zg_kvdb_open(&db, dir, &o));
  CHECK_OK(zg_kvdb_dbi_open(db, &d, "x", true));
  uint8_t val[1000];
  memset(val, 0xab, sizeof val);
  zg_err_t e = ZG_OK;
  int committed = 0;
  for (int i = 0; i < 1000 && e == ZG_OK; i++) {
    uint8_t k[8];
    zg_store_be64(k, (uint64_t)i);
    CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, true));
    e = zg_kvdb_put(t, d, zg_slice(k, 8), zg_slice(val, sizeof val), 0);
    if (e == ZG_OK)
      e = zg_kvdb_txn_commit(t);
    else
      zg_kvdb_txn_abort(t);
    if (e == ZG_OK) committed++;
  }
  CHECK_EQ(e, ZG_EFULL);
  CHECK(committed > 10);
  /* Everything committed before the failure is intact. */
  CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, false));
  for (int i = 0; i < committed; i++) {
    uint8_t k[8];
    zg_slice_t v;
    zg_store_be64(k, (uint64_t)i);
    CHECK_OK(zg_kvdb_get(t, d, zg_slice(k, 8), &v));
    CHECK(v.len == sizeof val && memcmp(v.ptr, val, sizeof val) == 0);
  }
  zg_kvdb_txn_abort(t);
  /* Growing the map lifts the limit. */
  CHECK_OK(zg_kvdb_set_map_size(db, 4u << 20));
  CHECK_OK(zg_kvdb_txn_begin(db, &t, NULL, true));
  uint8_t k[8];
  zg_store_be64(k, 5000);
  CHECK_OK(zg_kvdb_put(t, d, zg_slice(k, 8), zg_slice(val, sizeof val), 0));
  CHECK_OK(zg_kvdb_txn_commit(t));
  zg_kvdb_close(db);
  rm_rf(dir);
}

static void test_errors(void) {
  zg_kvdb_t *db = (zg_kvdb_t *)1;
  CHECK_ERR(zg_kvdb_open(&db, NULL, NULL), ZG_EINVAL);
  CHECK(db == NULL);
  CHECK_ERR(zg_kvdb_open(&db, "/proc/zg_no_such_dir/x", NULL), ZG_EIO);
  CHECK_EQ(zg__kvdb_err(MDB_MAP_FULL, "t"), ZG_EFULL);
  CHECK_EQ(zg__kvdb_err(MDB_NOTFOUND, "t"), ZG_ENOTFOUND);
  CHECK_EQ(zg__kvdb_err(MDB_CORRUPTED, "t"), ZG_ECORRUPT);
  CHECK_EQ(zg__kvdb_err(MDB_PAGE_NOTFOUND, "t"), ZG_ECORRUPT);
  CHECK_EQ(zg__kvdb_err(MDB_INVALID, "t"), ZG_ECORRUPT);
  CHECK_EQ(zg__kvdb_err(MDB_KEYEXIST, "t"), ZG_EEXIST);
  CHECK_EQ(zg__kvdb_err(ENOSPC, "t"), ZG_EFULL);
  CHECK_EQ(zg__kvdb_err(MDB_PANIC, "t"), ZG_EIO);
  CHECK_EQ(zg__kvdb_err(0, "t"), ZG_OK);
  /* A data file that is not LMDB's: ZG_ECORRUPT. */
  char dir[256], path[300];
  mkdir_tmp(dir, sizeof dir, "bad");
  snprintf(path, sizeof path, "%s/data.mdb", dir);
  FILE *f = fopen(path, "wb");
  for (int i = 0; i < 16384; i++) fputc(0x5a, f);
  fclose(f);
  CHECK_ERR(zg_kvdb_open(&db, dir, NULL), ZG_ECORRUPT);
  rm_rf(dir);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  zg_log_set_level(ZG_LOG_OFF);
  mkdir_tmp(g_dir, sizeof g_dir, "main");
  ZGT_RUN(test_roundtrip);
  ZGT_RUN(test_nested_and_snapshot);
  ZGT_RUN(test_model);
  ZGT_RUN(test_map_full);
  ZGT_RUN(test_errors);
  rm_rf(g_dir);
  return zgt_done();
}

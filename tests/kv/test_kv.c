/* test_kv.c — the KV state and 0G's replay rules (zg/kv.h): commits, write
 * permission, version conflicts, tags mismatch, parse errors, ACL ops and
 * their permissions, special keys, deletions, iteration, versioned queries,
 * the cursor, and a restart keeping everything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zg/kv.h"
#include "zg_test.h"

static char g_dir[256];
static uint8_t S1[32], S2[32], A[20], B[20], C[20];

static void rm_rf(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) printf("  (could not remove %s)\n", dir);
}

static zg_kv_t *open_kv(bool all, const uint8_t (*ids)[32], size_t n, zg_err_t want) {
  zg_kv_cfg_t cfg = {g_dir, all, ids, n, true};
  zg_kv_t *kv = NULL;
  char msg[256];
  zg_err_t e = zg_kv_open(&kv, &cfg, msg, sizeof msg);
  CHECK_EQ(e, want);
  if (e != ZG_OK) printf("  open: %s\n", msg);
  return kv;
}

/* A payload builder over fixed arrays. */
typedef struct {
  zg_kv_stream_t s;
  zg_kv_read_t r[4];
  zg_kv_write_t w[4];
  zg_kv_acl_t a[4];
} tx_t;

static void tx_init(tx_t *t, uint64_t version) {
  memset(t, 0, sizeof *t);
  t->s.version = version;
  t->s.reads = t->r;
  t->s.writes = t->w;
  t->s.acl = t->a;
}

static void tx_read(tx_t *t, const uint8_t *stream, const char *key) {
  zg_kv_read_t *r = &t->r[t->s.nreads++];
  memcpy(r->stream, stream, 32);
  r->key = (const uint8_t *)key;
  r->key_len = strlen(key);
}

static void tx_write(tx_t *t, const uint8_t *stream, const char *key, const char *val) {
  zg_kv_write_t *w = &t->w[t->s.nwrites++];
  memcpy(w->stream, stream, 32);
  w->key = (const uint8_t *)key;
  w->key_len = strlen(key);
  w->value = (const uint8_t *)val;
  w->value_len = strlen(val);
  if (!w->value_len) w->value = NULL;
}

static void tx_acl(tx_t *t, uint8_t op, const uint8_t *stream, const char *key, const uint8_t *account) {
  zg_kv_acl_t *a = &t->a[t->s.nacl++];
  a->op = op;
  memcpy(a->stream, stream, 32);
  if (key) {
    a->key = (const uint8_t *)key;
    a->key_len = strlen(key);
  }
  if (account) memcpy(a->account, account, 20);
}

/* Replays t as the next tx from sender with tags naming streams s1 (and s2
 * when not NULL) and checks the result starts with want. */
static void replay(zg_kv_t *kv, const tx_t *t, const uint8_t *sender, const uint8_t *s1, const uint8_t *s2,
                   const char *want) {
  zg_buf_t data, tags;
  zg_buf_init(&data);
  zg_buf_init(&tags);
  CHECK_OK(zg_kv_stream_encode(&data, &t->s));
  uint8_t ids[2][32];
  memcpy(ids[0], s1, 32);
  if (s2) memcpy(ids[1], s2, 32);
  CHECK_OK(zg_kv_tags_encode(&tags, (const uint8_t(*)[32])ids, s2 ? 2 : 1));
  uint64_t seq;
  CHECK_OK(zg_kv_next_seq(kv, &seq));
  char res[512];
  CHECK_OK(zg_kv_replay(kv, res, sizeof res, seq, sender, tags.ptr, tags.len, data.ptr, data.len));
  if (strncmp(res, want, strlen(want)) != 0) ZGT_FAIL("tx %llu: result '%s', want '%s'", (unsigned long long)seq, res, want);
  bool found;
  char back[512];
  CHECK_OK(zg_kv_tx_result(kv, &found, back, sizeof back, seq));
  CHECK(found && strcmp(back, res) == 0);
  zg_buf_clear(&data);
  zg_buf_clear(&tags);
}

static void check_value(zg_kv_t *kv, const uint8_t *stream, const char *key, const char *want, uint64_t version,
                        uint64_t at) {
  zg_kv_value_t v;
  zg_kv_value_init(&v);
  CHECK_OK(zg_kv_get(kv, &v, stream, (const uint8_t *)key, strlen(key), 0, 1u << 20, at));
  if (!want) {
    CHECK(!v.found);
  } else {
    CHECK(v.found);
    CHECK_EQ(v.version, version);
    CHECK_EQ(v.size, strlen(want));
    CHECK(v.data.len == strlen(want) && (!v.data.len || memcmp(v.data.ptr, want, v.data.len) == 0));
  }
  zg_kv_value_clear(&v);
}

static void test_rules(void) {
  zg_kv_t *kv = open_kv(false, (const uint8_t(*)[32])S1, 1, ZG_OK);
  if (!kv) return;
  tx_t t;
  bool b;
  /* 0: A writes to a new stream: commit, A becomes admin. */
  tx_init(&t, 0);
  tx_write(&t, S1, "k", "v1");
  replay(kv, &t, A, S1, NULL, "Commit");
  check_value(kv, S1, "k", "v1", 0, ZG_KV_LATEST);
  CHECK_OK(zg_kv_is_admin(kv, &b, A, S1, ZG_KV_LATEST));
  CHECK(b);
  CHECK_OK(zg_kv_is_new_stream(kv, &b, S1, ZG_KV_LATEST));
  CHECK(!b);
  /* 1: B is not a writer. */
  tx_init(&t, 0);
  tx_write(&t, S1, "k", "evil");
  replay(kv, &t, B, S1, NULL, "WritePermissionDenied");
  check_value(kv, S1, "k", "v1", 0, ZG_KV_LATEST);
  /* 2: A grants B the writer role. */
  tx_init(&t, 0);
  tx_acl(&t, ZG_KV_GRANT_WRITER, S1, NULL, B);
  replay(kv, &t, A, S1, NULL, "Commit");
  CHECK_OK(zg_kv_is_writer_of_stream(kv, &b, B, S1, ZG_KV_LATEST));
  CHECK(b);
  CHECK_OK(zg_kv_is_writer_of_stream(kv, &b, B, S1, 1)); /* as of tx 1: not yet */
  CHECK(!b);
  /* 3: B overwrites k having read version 0. */
  tx_init(&t, 0);
  tx_read(&t, S1, "k");
  tx_write(&t, S1, "k", "v2");
  replay(kv, &t, B, S1, NULL, "Commit");
  check_value(kv, S1, "k", "v2", 3, ZG_KV_LATEST);
  check_value(kv, S1, "k", "v1", 0, 2); /* the state as of tx 2 */
  /* 4: A's write based on version 0 conflicts (k is at 3 now). */
  tx_init(&t, 0);
  tx_write(&t, S1, "k", "stale");
  replay(kv, &t, A, S1, NULL, "VersionConfliction");
  /* 5: a read guard on k at version 2 conflicts too, even writing another key. */
  tx_init(&t, 2);
  tx_read(&t, S1, "k");
  tx_write(&t, S1, "other", "x");
  replay(kv, &t, A, S1, NULL, "VersionConfliction");
  check_value(kv, S1, "other", NULL, 0, ZG_KV_LATEST);
  /* 6: version 3 passes. */
  t.s.version = 3;
  replay(kv, &t, A, S1, NULL, "Commit");
  check_value(kv, S1, "other", "x", 6, ZG_KV_LATEST);
  /* 7: a write to a stream not in the tags. */
  tx_init(&t, 100);
  tx_write(&t, S2, "k", "x");
  replay(kv, &t, A, S1, NULL, "TagsMismatch");
  /* 8: a read of a stream this node does not hold. */
  tx_init(&t, 100);
  tx_read(&t, S2, "k");
  replay(kv, &t, A, S1, NULL, "TagsMismatch");
  /* 9: B (a writer, not admin) may not grant admin... */
  tx_init(&t, 100);
  tx_acl(&t, ZG_KV_GRANT_ADMIN, S1, NULL, C);
  replay(kv, &t, B, S1, NULL, "AccessControlPermissionDenied: operation: GRANT_ADMIN_ROLE");
  CHECK_OK(zg_kv_is_admin(kv, &b, C, S1, ZG_KV_LATEST));
  CHECK(!b);
  /* 10: ...but may grant the writer role. */
  tx_init(&t, 100);
  tx_acl(&t, ZG_KV_GRANT_WRITER, S1, NULL, C);
  replay(kv, &t, B, S1, NULL, "Commit");
  /* 11: special key: A makes "sp" special and C its special writer. */
  tx_init(&t, 100);
  tx_acl(&t, ZG_KV_SET_KEY_SPECIAL, S1, "sp", NULL);
  tx_acl(&t, ZG_KV_GRANT_SPECIAL_WRITER, S1, "sp", C);
  replay(kv, &t, A, S1, NULL, "Commit");
  CHECK_OK(zg_kv_is_special_key(kv, &b, S1, (const uint8_t *)"sp", 2, ZG_KV_LATEST));
  CHECK(b);
  /* 12: B, a stream writer, may not write the special key; 13: C may. */
  tx_init(&t, 100);
  tx_write(&t, S1, "sp", "b");
  replay(kv, &t, B, S1, NULL, "WritePermissionDenied");
  replay(kv, &t, C, S1, NULL, "Commit");
  CHECK_OK(zg_kv_has_write_permission(kv, &b, B, S1, (const uint8_t *)"sp", 2, ZG_KV_LATEST));
  CHECK(!b);
  CHECK_OK(zg_kv_has_write_permission(kv, &b, B, S1, (const uint8_t *)"k", 1, ZG_KV_LATEST));
  CHECK(b);
  CHECK_OK(zg_kv_is_writer_of_key(kv, &b, C, S1, (const uint8_t *)"sp", 2, ZG_KV_LATEST));
  CHECK(b);
  /* 14: garbage is a parse error (trailing bytes: the codec test). */
  {
    uint64_t seq;
    CHECK_OK(zg_kv_next_seq(kv, &seq));
    zg_buf_t tags;
    zg_buf_init(&tags);
    CHECK_OK(zg_kv_tags_encode(&tags, (const uint8_t(*)[32])S1, 1));
    char res[512];
    const uint8_t junk[5] = {1, 2, 3, 4, 5};
    CHECK_OK(zg_kv_replay(kv, res, sizeof res, seq, A, tags.ptr, tags.len, junk, sizeof junk));
    CHECK(strncmp(res, "DataParseError", 14) == 0);
    CHECK_ERR(zg_kv_replay(kv, res, sizeof res, seq, A, tags.ptr, tags.len, junk, sizeof junk), ZG_ESTATE);
    zg_buf_clear(&tags);
  }
  /* 15: B renounces its writer role: no check needed, and it is gone. */
  tx_init(&t, 100);
  tx_acl(&t, ZG_KV_RENOUNCE_WRITER, S1, NULL, NULL);
  replay(kv, &t, B, S1, NULL, "Commit");
  CHECK_OK(zg_kv_is_writer_of_stream(kv, &b, B, S1, ZG_KV_LATEST));
  CHECK(!b);
  /* 16: a tx naming a second, new stream makes its sender admin of it, but
   * the write to S1 by B is still refused: nothing of the tx commits. */
  tx_init(&t, 100);
  tx_write(&t, S2, "z", "1");
  tx_write(&t, S1, "k", "x");
  replay(kv, &t, B, S1, S2, "WritePermissionDenied");
  CHECK_OK(zg_kv_is_new_stream(kv, &b, S2, ZG_KV_LATEST));
  CHECK(b);
  /* 17: A grants admin to itself (dropped, 0G's rule) and to C in one tx. */
  tx_init(&t, 100);
  tx_acl(&t, ZG_KV_GRANT_ADMIN, S1, NULL, A);
  tx_acl(&t, ZG_KV_GRANT_ADMIN, S1, NULL, C);
  replay(kv, &t, A, S1, NULL, "Commit");
  CHECK_OK(zg_kv_is_admin(kv, &b, C, S1, ZG_KV_LATEST));
  CHECK(b);
  /* 18: A renounces admin, then cannot set keys any more (19). */
  tx_init(&t, 100);
  tx_acl(&t, ZG_KV_RENOUNCE_ADMIN, S1, NULL, NULL);
  replay(kv, &t, A, S1, NULL, "Commit");
  tx_init(&t, 100);
  tx_acl(&t, ZG_KV_SET_KEY_NORMAL, S1, "sp", NULL);
  replay(kv, &t, A, S1, NULL, "AccessControlPermissionDenied");
  CHECK_OK(zg_kv_is_admin(kv, &b, A, S1, 17)); /* before the renounce (seq 18) */
  CHECK(b);
  zg_kv_close(kv);
}

static void test_iter_and_delete(void) {
  zg_kv_t *kv = open_kv(true, NULL, 0, ZG_OK);
  if (!kv) return;
  tx_t t;
  tx_init(&t, 0);
  tx_write(&t, S1, "a", "1");
  tx_write(&t, S1, "b", "2");
  tx_write(&t, S1, "c", "3");
  replay(kv, &t, A, S1, NULL, "Commit"); /* seq 0 */
  tx_init(&t, 0);
  tx_write(&t, S2, "a", "other stream");
  replay(kv, &t, A, S2, NULL, "Commit"); /* seq 1 */
  tx_init(&t, 100);
  tx_write(&t, S1, "b", ""); /* delete b */
  tx_write(&t, S1, "c", "33");
  tx_write(&t, S1, "c", "333"); /* the last write of a key wins */
  replay(kv, &t, A, S1, NULL, "Commit"); /* seq 2 */
  zg_kv_value_t v;
  zg_kv_value_init(&v);
  /* getValue of a deleted key: found with an empty value, as 0G answers. */
  CHECK_OK(zg_kv_get(kv, &v, S1, (const uint8_t *)"b", 1, 0, 100, ZG_KV_LATEST));
  CHECK(v.found && v.version == 2 && v.size == 0);
  check_value(kv, S1, "c", "333", 2, ZG_KV_LATEST);
  /* Partial reads: [1, 1+1) of "333"; start past the end is refused. */
  CHECK_OK(zg_kv_get(kv, &v, S1, (const uint8_t *)"c", 1, 1, 1, ZG_KV_LATEST));
  CHECK(v.data.len == 1 && v.size == 3);
  CHECK_ERR(zg_kv_get(kv, &v, S1, (const uint8_t *)"c", 1, 4, 1, ZG_KV_LATEST), ZG_ERANGE);
  /* Next after a skips the deleted b. */
  CHECK_OK(zg_kv_iter(kv, &v, ZG_KV_ITER_NEXT, S1, (const uint8_t *)"a", 1, false, 0, 100, ZG_KV_LATEST));
  CHECK(v.found && v.key.len == 1 && v.key.ptr[0] == 'c');
  CHECK_OK(zg_kv_iter(kv, &v, ZG_KV_ITER_NEXT, S1, (const uint8_t *)"a", 1, true, 0, 100, ZG_KV_LATEST));
  CHECK(v.found && v.key.ptr[0] == 'a');
  /* As of seq 0, b is still there. */
  CHECK_OK(zg_kv_iter(kv, &v, ZG_KV_ITER_NEXT, S1, (const uint8_t *)"a", 1, false, 0, 100, 0));
  CHECK(v.found && v.key.ptr[0] == 'b' && v.data.len == 1 && v.data.ptr[0] == '2');
  CHECK_OK(zg_kv_iter(kv, &v, ZG_KV_ITER_PREV, S1, (const uint8_t *)"c", 1, false, 0, 100, ZG_KV_LATEST));
  CHECK(v.found && v.key.ptr[0] == 'a');
  CHECK_OK(zg_kv_iter(kv, &v, ZG_KV_ITER_PREV, S1, (const uint8_t *)"bb", 2, false, 0, 100, ZG_KV_LATEST));
  CHECK(v.found && v.key.ptr[0] == 'a');
  CHECK_OK(zg_kv_iter(kv, &v, ZG_KV_ITER_PREV, S1, (const uint8_t *)"a", 1, false, 0, 100, ZG_KV_LATEST));
  CHECK(!v.found);
  CHECK_OK(zg_kv_iter(kv, &v, ZG_KV_ITER_NEXT, S1, (const uint8_t *)"c", 1, false, 0, 100, ZG_KV_LATEST));
  CHECK(!v.found); /* S2's keys are not S1's */
  CHECK_OK(zg_kv_iter(kv, &v, ZG_KV_ITER_FIRST, S1, NULL, 0, false, 0, 100, ZG_KV_LATEST));
  CHECK(v.found && v.key.ptr[0] == 'a');
  CHECK_OK(zg_kv_iter(kv, &v, ZG_KV_ITER_LAST, S1, NULL, 0, false, 0, 100, ZG_KV_LATEST));
  CHECK(v.found && v.key.ptr[0] == 'c' && v.version == 2);
  CHECK_OK(zg_kv_iter(kv, &v, ZG_KV_ITER_LAST, S2, NULL, 0, false, 0, 100, ZG_KV_LATEST));
  CHECK(v.found && v.key.ptr[0] == 'a' && v.data.len == 12);
  /* Holding streams in "all" mode: the streams seen. */
  uint8_t ids[4][32];
  size_t n;
  bool all;
  CHECK_OK(zg_kv_streams(kv, ids, 4, &n, &all));
  CHECK(all && n == 2);
  zg_kv_value_clear(&v);
  zg_kv_close(kv);
}

static void test_cursor_restart(void) {
  zg_kv_t *kv = open_kv(false, (const uint8_t(*)[32])S1, 1, ZG_OK);
  if (!kv) return;
  uint8_t tags[64];
  memcpy(tags, zg_kv_stream_domain, 32);
  memcpy(tags + 32, S2, 32);
  CHECK(!zg_kv_wants(kv, tags, 64));
  memcpy(tags + 32, S1, 32);
  CHECK(zg_kv_wants(kv, tags, 64));
  CHECK(!zg_kv_wants(kv, tags, 63));
  CHECK_OK(zg_kv_skip(kv, 0, 3));
  CHECK_ERR(zg_kv_skip(kv, 0, 1), ZG_ESTATE);
  tx_t t;
  tx_init(&t, 0);
  tx_write(&t, S1, "persist", "yes");
  replay(kv, &t, A, S1, NULL, "Commit"); /* seq 3 */
  zg_kv_close(kv);
  /* Another stream set on the same state is refused. */
  kv = open_kv(false, (const uint8_t(*)[32])S2, 1, ZG_ECONFIG);
  CHECK(kv == NULL);
  kv = open_kv(false, (const uint8_t(*)[32])S1, 1, ZG_OK);
  if (!kv) return;
  uint64_t seq;
  CHECK_OK(zg_kv_next_seq(kv, &seq));
  CHECK_EQ(seq, 4);
  check_value(kv, S1, "persist", "yes", 3, ZG_KV_LATEST);
  bool found;
  char res[64];
  CHECK_OK(zg_kv_tx_result(kv, &found, res, sizeof res, 1));
  CHECK(!found); /* skipped txs have no result */
  zg_kv_close(kv);
}

static void fresh_dir(const char *tag) {
  if (g_dir[0]) rm_rf(g_dir);
  snprintf(g_dir, sizeof g_dir, "/tmp/zgt_kv_%s_XXXXXX", tag);
  if (!mkdtemp(g_dir)) {
    perror("mkdtemp");
    exit(1);
  }
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  memset(S1, 0x51, 32);
  memset(S2, 0x52, 32);
  memset(A, 0xaa, 20);
  memset(B, 0xbb, 20);
  memset(C, 0xcc, 20);
  fresh_dir("rules");
  ZGT_RUN(test_rules);
  fresh_dir("iter");
  ZGT_RUN(test_iter_and_delete);
  fresh_dir("cursor");
  ZGT_RUN(test_cursor_restart);
  rm_rf(g_dir);
  return zgt_done();
}

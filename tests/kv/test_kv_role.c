/* test_kv_role.c — the KV role over a real storage service (zg/kv.h,
 * zg/storage_node.h), in process: entries registered as the chain follower
 * does (sender and tags first, then the entry), segments uploaded with their
 * proofs. Checks: a KV entry waits until its file is finalized (never
 * skipped), entries without extras (dev mode) and with other tags are
 * skipped, a value spanning several segments, the cursor kept across a
 * restart of the state, the replay thread, and the numShard 1 rule. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zg/kv.h"
#include "zg/merkle.h"
#include "zg/storage_node.h"
#include "zg_test.h"

static char g_dir[256];
static uint8_t S1[32], S2[32], A[20];

static void rm_rf(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) printf("  (could not remove %s)\n", dir);
}

static void on_seg(void *arg, uint64_t index, const uint8_t root[32]) {
  (void)index;
  if (zg_buf_append(arg, root, 32) != ZG_OK) abort();
}

/* A file registered as the next entry; with tags, its extras first. */
typedef struct {
  zg_buf_t data;
  zg_file_root_t fr;
  zg_merkle_tree_t *tree;
  zg_logstore_tx_t tx;
} entry_t;

static void entry_add(zg_storage_t *st, entry_t *en, const uint8_t *stream, bool extras) {
  zg_buf_t roots, tags;
  zg_buf_init(&roots);
  zg_buf_init(&tags);
  CHECK_OK(zg_file_merkle_root(&en->fr, en->data.ptr, en->data.len, on_seg, &roots));
  CHECK_OK(zg_merkle_tree_create(&en->tree, (const uint8_t(*)[32])roots.ptr, roots.len / 32));
  if (extras) {
    CHECK_OK(zg_kv_tags_encode(&tags, (const uint8_t(*)[32])stream, 1));
    CHECK_OK(zg_storage_entry_meta_put(st, zg_storage_next_seq(st), A, tags.ptr, tags.len));
  }
  zg_storage_err_t err = {0, ""};
  CHECK_OK(zg_storage_add_entry(st, &en->tx, &err, en->data.len, en->fr.nodes, en->fr.layout.nnodes, UINT64_MAX));
  zg_buf_clear(&roots);
  zg_buf_clear(&tags);
}

static void entry_upload(zg_storage_t *st, entry_t *en) {
  uint8_t *buf = malloc(ZG_SEGMENT_BYTES);
  zg_storage_err_t err = {0, ""};
  for (uint64_t i = 0; i < en->fr.layout.data_segments; i++) {
    size_t len;
    CHECK_OK(zg_segment_data_len(&len, &en->fr.layout, i));
    uint64_t off = i * (uint64_t)ZG_SEGMENT_BYTES;
    size_t real = en->data.len - off < len ? (size_t)(en->data.len - off) : len;
    memset(buf, 0, len);
    memcpy(buf, en->data.ptr + off, real);
    zg_merkle_proof_t proof;
    CHECK_OK(zg_merkle_tree_proof(&proof, en->tree, i));
    zg_storage_segment_t s = {{0}, i, buf, len, en->data.len, &proof};
    memcpy(s.root, en->fr.root, 32);
    if (zg_storage_upload(st, &err, &s, 1, true, en->tx.seq) != ZG_OK) ZGT_FAIL("upload: %s", err.message);
  }
  free(buf);
}

static void entry_free(entry_t *en) {
  zg_merkle_tree_destroy(en->tree);
  zg_buf_clear(&en->data);
}

/* A put of key = value (value_len bytes of pattern) in stream. */
static void payload(entry_t *en, const uint8_t *stream, const char *key, size_t value_len, uint8_t pattern) {
  zg_buf_init(&en->data);
  uint8_t *v = malloc(value_len ? value_len : 1);
  for (size_t i = 0; i < value_len; i++) v[i] = (uint8_t)(pattern + i * 7);
  zg_kv_write_t w = {{0}, (const uint8_t *)key, strlen(key), value_len ? v : NULL, value_len};
  memcpy(w.stream, stream, 32);
  zg_kv_stream_t s = {0};
  s.version = UINT64_MAX;
  s.writes = &w;
  s.nwrites = 1;
  CHECK_OK(zg_kv_stream_encode(&en->data, &s));
  free(v);
}

static zg_kv_t *kv_open(void) {
  char dir[300];
  snprintf(dir, sizeof dir, "%s/kv", g_dir);
  zg_kv_cfg_t cfg = {dir, false, (const uint8_t(*)[32])S1, 1, true};
  zg_kv_t *kv = NULL;
  CHECK_OK(zg_kv_open(&kv, &cfg, NULL, 0));
  return kv;
}

static void check_result(zg_kv_t *kv, uint64_t seq, const char *want) {
  bool found;
  char res[256];
  CHECK_OK(zg_kv_tx_result(kv, &found, res, sizeof res, seq));
  if (!want) {
    CHECK(!found);
  } else if (!found || strcmp(res, want) != 0) {
    ZGT_FAIL("tx %" PRIu64 ": %s, want %s", seq, found ? res : "(none)", want);
  }
}

static void test_role(void) {
  char sdir[300];
  snprintf(sdir, sizeof sdir, "%s/storage", g_dir);
  zg_storage_cfg_t scfg = {sdir, 0, 1, true, NULL};
  zg_storage_t *st = NULL;
  char msg[256];
  CHECK_OK(zg_storage_open(&st, &scfg, msg, sizeof msg));
  zg_kv_t *kv = kv_open();
  if (!st || !kv) return;
  entry_t e0, e1, e2, e3;
  uint64_t done, seq;
  /* 0: a dev-mode entry (no extras); 1: a KV entry of another stream. */
  payload(&e0, S1, "x", 10, 1);
  entry_add(st, &e0, S1, false);
  entry_upload(st, &e0);
  payload(&e1, S2, "x", 10, 2);
  entry_add(st, &e1, S2, true);
  /* 2: a KV entry of S1 whose value spans 3 segments, not uploaded yet. */
  payload(&e2, S1, "big", 600000, 3);
  entry_add(st, &e2, S1, true);
  CHECK_OK(zg_kv_role_step(kv, st, &done));
  CHECK_EQ(done, 2); /* 0 and 1 skipped, 2 waits for its data */
  CHECK_OK(zg_kv_next_seq(kv, &seq));
  CHECK_EQ(seq, 2);
  check_result(kv, 0, NULL);
  check_result(kv, 1, NULL);
  CHECK_OK(zg_kv_role_step(kv, st, &done));
  CHECK_EQ(done, 0);
  entry_upload(st, &e2);
  CHECK_OK(zg_kv_role_step(kv, st, &done));
  CHECK_EQ(done, 1);
  check_result(kv, 2, "Commit");
  zg_kv_value_t v;
  zg_kv_value_init(&v);
  CHECK_OK(zg_kv_get(kv, &v, S1, (const uint8_t *)"big", 3, 0, 1u << 20, ZG_KV_LATEST));
  CHECK(v.found && v.version == 2 && v.size == 600000 && v.data.len == 600000);
  bool same = v.data.len == 600000;
  for (size_t i = 0; same && i < 600000; i++) same = v.data.ptr[i] == (uint8_t)(3 + i * 7);
  CHECK(same);
  /* Restart of the state: the cursor is kept, nothing is replayed again. */
  zg_kv_close(kv);
  kv = kv_open();
  CHECK_OK(zg_kv_role_step(kv, st, &done));
  CHECK_EQ(done, 0);
  /* The replay thread picks up a new entry. */
  zg_kv_role_t *role = NULL;
  CHECK_OK(zg_kv_role_start(&role, kv, st, 10));
  entry_t e4;
  payload(&e4, S1, "dev", 5, 5); /* a dev-mode entry (3) just before the KV one (4) */
  entry_add(st, &e4, S1, false);
  entry_upload(st, &e4);
  payload(&e3, S1, "small", 5, 4);
  entry_add(st, &e3, S1, true);
  entry_upload(st, &e3);
  bool found = false;
  char res[64];
  for (int i = 0; i < 6000 && !found; i++) {
    CHECK_OK(zg_kv_tx_result(kv, &found, res, sizeof res, 4));
    if (!found) usleep(10000);
  }
  zg_kv_role_stop(role);
  check_result(kv, 3, NULL);
  check_result(kv, 4, "Commit");
  zg_kv_value_clear(&v);
  entry_free(&e0);
  entry_free(&e1);
  entry_free(&e2);
  entry_free(&e3);
  entry_free(&e4);
  zg_kv_close(kv);
  zg_storage_close(st);
}

static void test_sharded_refused(void) {
  char sdir[300];
  snprintf(sdir, sizeof sdir, "%s/sharded", g_dir);
  zg_storage_cfg_t scfg = {sdir, 0, 2, true, NULL};
  zg_storage_t *st = NULL;
  CHECK_OK(zg_storage_open(&st, &scfg, NULL, 0));
  zg_kv_t *kv = kv_open();
  zg_kv_role_t *role = NULL;
  CHECK_ERR(zg_kv_role_start(&role, kv, st, 10), ZG_ECONFIG);
  CHECK(role == NULL);
  zg_kv_close(kv);
  zg_storage_close(st);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  memset(S1, 0x51, 32);
  memset(S2, 0x52, 32);
  memset(A, 0xaa, 20);
  snprintf(g_dir, sizeof g_dir, "/tmp/zgt_kv_role_XXXXXX");
  if (!mkdtemp(g_dir)) {
    perror("mkdtemp");
    return 1;
  }
  ZGT_RUN(test_role);
  ZGT_RUN(test_sharded_refused);
  rm_rf(g_dir);
  return zgt_done();
}

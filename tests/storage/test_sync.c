/*
 * test_sync.c — storage peer sync (zg/storage_sync.h) in process, over
 * loopback links of the real P2P transport: the message decoder's round
 * trips and refusals; a node that lacks every segment of a file fetches
 * them from a peer, verified, byte-identical; nodes of different shard
 * configurations fetch only their own shard's segments from whoever holds
 * them; a peer that serves corrupted ranges (the debug_corrupt knob) is
 * banned and the file still completes from an honest peer; a restarted node
 * fetches nothing it already holds; an upload in progress is not raced.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../store/store_util.h"
#include "../zg_test.h"
#include "storage/sync_internal.h"
#include "zg/merkle.h"
#include "zg/storage_node.h"
#include "zg/storage_sync.h"

/* ---- Messages ---- */

static void roundtrip(const zg__sync_msg_t *m) {
  zg_buf_t b;
  zg_buf_init(&b);
  CHECK_OK(zg__sync_msg_encode(&b, m));
  zg__sync_msg_t *d = malloc(sizeof *d);
  CHECK_OK(zg__sync_msg_decode(d, b.ptr, b.len));
  zg_buf_t b2;
  zg_buf_init(&b2);
  CHECK_OK(zg__sync_msg_encode(&b2, d));
  CHECK_EQ(b.len, b2.len);
  CHECK_MEM(b.ptr, b2.ptr, b.len);
  /* Every strict prefix is refused, and so is one trailing byte. */
  for (size_t n = 0; n < b.len; n++) CHECK(zg__sync_msg_decode(d, b.ptr, n) != ZG_OK);
  CHECK_OK(zg_buf_push(&b, 0));
  CHECK_ERR(zg__sync_msg_decode(d, b.ptr, b.len), ZG_ETRAILING);
  free(d);
  zg_buf_clear(&b);
  zg_buf_clear(&b2);
}

static void test_messages(void) {
  zg__sync_msg_t *m = calloc(1, sizeof *m);
  zg_buf_t b;
  zg_buf_init(&b);
  m->type = ZG__SYNC_ANNOUNCE;
  memset(m->u.announce.origin, 7, 32);
  m->u.announce.shard = (zg__sync_shard_t){1, 2};
  m->u.announce.seq = 9;
  m->u.announce.stamp = 123456;
  roundtrip(m);
  memset(m, 0, sizeof *m);
  m->type = ZG__SYNC_FIND;
  m->u.req.seq = 3;
  memset(m->u.req.root, 0xab, 32);
  m->u.req.shard = (zg__sync_shard_t){0, 1};
  roundtrip(m);
  m->type = ZG__SYNC_GET;
  m->u.req.first = 4, m->u.req.end = 36;
  roundtrip(m);
  memset(m, 0, sizeof *m);
  m->type = ZG__SYNC_FIND_ANSWER;
  m->u.found.shard = (zg__sync_shard_t){3, 4};
  m->u.found.has_entry = true;
  m->u.found.held = 17;
  roundtrip(m);
  memset(m, 0, sizeof *m);
  m->type = ZG__SYNC_GET_ANSWER;
  static uint8_t data[3][300], proof[3][40];
  m->u.got.nsegs = 3;
  for (size_t i = 0; i < 3; i++) {
    zgt_rand_bytes(data[i], sizeof data[i]);
    m->u.got.segs[i] = (zg__sync_seg_t){2 * i + 1, zg_slice(data[i], 300 - i), zg_slice(proof[i], 40)};
  }
  roundtrip(m);
  m->u.got.nsegs = 0;
  roundtrip(m);

  /* The encoder refuses what the decoder would. */
  m->u.got.nsegs = 2;
  m->u.got.segs[1].index = m->u.got.segs[0].index; /* not increasing */
  CHECK_ERR(zg__sync_msg_encode(&b, m), ZG_EINVAL);
  m->u.got.segs[1].index = 5;
  m->u.got.segs[1].data.len = 0;
  CHECK_ERR(zg__sync_msg_encode(&b, m), ZG_EINVAL);
  m->u.got.nsegs = ZG_SYNC_MAX_RANGE + 1;
  CHECK_ERR(zg__sync_msg_encode(&b, m), ZG_EINVAL);
  memset(m, 0, sizeof *m);
  m->type = ZG__SYNC_GET;
  m->u.req.shard = (zg__sync_shard_t){0, 3}; /* not a power of two */
  m->u.req.first = 0, m->u.req.end = 1;
  CHECK_ERR(zg__sync_msg_encode(&b, m), ZG_EINVAL);
  m->u.req.shard = (zg__sync_shard_t){2, 2}; /* id >= num */
  CHECK_ERR(zg__sync_msg_encode(&b, m), ZG_EINVAL);
  m->u.req.shard = (zg__sync_shard_t){0, 2};
  m->u.req.first = 5, m->u.req.end = 5; /* empty */
  CHECK_ERR(zg__sync_msg_encode(&b, m), ZG_EINVAL);
  m->u.req.first = 0, m->u.req.end = ZG__SYNC_MAX_SPAN + 1;
  CHECK_ERR(zg__sync_msg_encode(&b, m), ZG_EINVAL);
  m->type = ZG__SYNC_FIND_ANSWER;
  m->u.found.shard = (zg__sync_shard_t){0, 1};
  m->u.found.has_entry = false; /* holds segments of an entry it lacks */
  m->u.found.held = 3;
  CHECK_ERR(zg__sync_msg_encode(&b, m), ZG_EINVAL);
  CHECK_EQ(b.len, 0);

  /* Hand-made refusals: unknown type, bad bool, count above the limit,
   * segment above 256 KiB, empty input. */
  zg__sync_msg_t *d = calloc(1, sizeof *d);
  uint8_t bad_type[] = {9};
  CHECK_ERR(zg__sync_msg_decode(d, bad_type, 1), ZG_ETYPE);
  CHECK(zg__sync_msg_decode(d, bad_type, 0) != ZG_OK);
  uint8_t bad_bool[] = {3, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  CHECK_ERR(zg__sync_msg_decode(d, bad_bool, sizeof bad_bool), ZG_ENONCANON);
  uint8_t many[] = {5, 0, 0, 0, ZG_SYNC_MAX_RANGE + 1};
  CHECK(zg__sync_msg_decode(d, many, sizeof many) != ZG_OK);
  uint8_t big[] = {5, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x04, 0, 1, 0, 0, 0, 0};
  CHECK(zg__sync_msg_decode(d, big, sizeof big) != ZG_OK);
  free(d);
  zg_buf_clear(&b);
  free(m);
}

/* ---- Nodes over loopback ---- */

typedef struct {
  char dir[256];
  zg_storage_t *st;
  zg_storage_sync_t *sync;
  zg_ed25519_sk_t sk;
  zg_ed25519_pk_t pk;
  char addr[200]; /* "pk@127.0.0.1:port" */
} node_t;

static void node_open(node_t *n, uint32_t shard_id, uint32_t num_shard) {
  memset(n, 0, sizeof *n);
  st_mkdtemp(n->dir, sizeof n->dir, "sync");
  char msg[256] = "";
  zg_storage_cfg_t c = {n->dir, shard_id, num_shard, true, NULL};
  zg_err_t e = zg_storage_open(&n->st, &c, msg, sizeof msg);
  if (e != ZG_OK) ZGT_FAIL("open %s: %s", n->dir, msg);
  CHECK_OK(zg_ed25519_keypair_random(&n->pk, &n->sk));
}

/* Starts the sync service of n with peers (their addr strings). */
static void node_sync(node_t *n, node_t **peers, size_t np, bool corrupt, uint32_t range) {
  const char *ps[8];
  for (size_t i = 0; i < np; i++) ps[i] = peers[i]->addr;
  zg_storage_sync_cfg_t c = {0};
  c.listen = "127.0.0.1:0";
  c.sk = &n->sk;
  c.network_id = "zgs/test";
  c.peers = ps;
  c.npeers = np;
  c.grace_ms = 100;
  c.poll_ms = 50;
  c.range_segments = range;
  c.timeout_ms = 20000;
  c.debug_corrupt = corrupt;
  char msg[256] = "";
  zg_err_t e = zg_storage_sync_create(&n->sync, n->st, &c, msg, sizeof msg);
  if (e != ZG_OK) ZGT_FAIL("sync create: %s", msg);
  char hex[67];
  zg_hex_encode(hex, n->pk.bytes, 32);
  snprintf(n->addr, sizeof n->addr, "%s@127.0.0.1:%u", hex + 2, zg_storage_sync_port(n->sync));
}

static void node_close(node_t *n, bool rm) {
  zg_storage_sync_destroy(n->sync);
  n->sync = NULL;
  zg_storage_close(n->st);
  n->st = NULL;
  if (rm) st_rm_rf(n->dir);
}

typedef struct {
  uint8_t *data;
  uint64_t size;
  zg_file_root_t fr;
  zg_merkle_tree_t *tree;
} file_t;

static void on_seg(void *arg, uint64_t index, const uint8_t root[32]) {
  (void)index;
  if (zg_buf_append(arg, root, 32) != ZG_OK) abort();
}

static void file_make(file_t *f, uint64_t size) {
  f->size = size;
  f->data = malloc(size);
  zgt_rand_bytes(f->data, size);
  zg_buf_t roots;
  zg_buf_init(&roots);
  CHECK_OK(zg_file_merkle_root(&f->fr, f->data, size, on_seg, &roots));
  CHECK_OK(zg_merkle_tree_create(&f->tree, (const uint8_t(*)[32])roots.ptr, roots.len / 32));
  zg_buf_clear(&roots);
}

static void file_free(file_t *f) {
  zg_merkle_tree_destroy(f->tree);
  free(f->data);
}

/* Registers f as the next entry of st (as the chain follower would) and,
 * when upload, uploads every segment of st's shard. */
static void file_put(zg_storage_t *st, file_t *f, bool upload, zg_logstore_tx_t *tx) {
  zg_storage_err_t err = {0, ""};
  CHECK_OK(zg_storage_add_entry(st, tx, &err, f->size, f->fr.nodes, f->fr.layout.nnodes, UINT64_MAX));
  uint8_t *buf = malloc(ZG_SEGMENT_BYTES);
  for (uint64_t i = 0; upload && i < f->fr.layout.data_segments; i++) {
    if (!zg_storage_holds_flow_segment(st, tx->start_pos / ZG_SECTORS_PER_SEGMENT + i)) continue;
    size_t len;
    CHECK_OK(zg_segment_data_len(&len, &f->fr.layout, i));
    uint64_t off = i * (uint64_t)ZG_SEGMENT_BYTES;
    size_t real = f->size - off < len ? (size_t)(f->size - off) : len;
    memset(buf, 0, len);
    memcpy(buf, f->data + off, real);
    zg_merkle_proof_t proof;
    CHECK_OK(zg_merkle_tree_proof(&proof, f->tree, i));
    zg_storage_segment_t s = {{0}, i, buf, len, f->size, &proof};
    memcpy(s.root, f->fr.root, 32);
    if (zg_storage_upload(st, &err, &s, 1, true, tx->seq) != ZG_OK) ZGT_FAIL("upload %" PRIu64 ": %s", i, err.message);
  }
  free(buf);
}

/* Waits (up to 60 s) until st holds every segment of its shard of tx. */
static bool wait_final(zg_storage_t *st, const zg_logstore_tx_t *tx) {
  for (int i = 0; i < 1200; i++) {
    zg_storage_file_info_t fi;
    if (zg_storage_file_info(st, &fi, tx) == ZG_OK && fi.finalized) return true;
    usleep(50 * 1000);
  }
  zg_storage_file_info_t fi;
  if (zg_storage_file_info(st, &fi, tx) == ZG_OK)
    fprintf(stderr, "  tx %" PRIu64 ": %" PRIu64 " of %" PRIu64 " segments\n", tx->seq, fi.uploaded_segs,
            fi.shard_segs);
  return false;
}

/* Every segment of st's shard of f reads back byte-identical. */
static void check_bytes(zg_storage_t *st, const file_t *f, const zg_logstore_tx_t *tx) {
  uint8_t *buf = malloc(ZG_SEGMENT_BYTES);
  zg_merkle_proof_t *proof = malloc(sizeof *proof);
  for (uint64_t i = 0; i < f->fr.layout.data_segments; i++) {
    bool present = false;
    size_t len = 0;
    zg_storage_err_t err;
    CHECK_OK(zg_storage_segment_with_proof(st, &present, buf, ZG_SEGMENT_BYTES, &len, proof, &err, tx, i));
    bool mine = zg_storage_holds_flow_segment(st, tx->start_pos / ZG_SECTORS_PER_SEGMENT + i);
    CHECK_EQ(present, mine);
    if (!present) continue;
    uint64_t off = i * (uint64_t)ZG_SEGMENT_BYTES;
    size_t real = f->size - off < len ? (size_t)(f->size - off) : len;
    CHECK_MEM(buf, f->data + off, real);
  }
  free(proof);
  free(buf);
}

static double secs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A holds the file; B (empty, same entries) fetches it; a restart of B
 * fetches nothing more. */
static void test_two_nodes(void) {
  node_t a, b;
  file_t f;
  zg_logstore_tx_t ta, tb;
  file_make(&f, 3 * ZG_SEGMENT_BYTES + 1000 + zgt_rand_below(50000));
  node_open(&a, 0, 1);
  node_open(&b, 0, 1);
  file_put(a.st, &f, true, &ta);
  node_sync(&a, NULL, 0, false, 0);
  node_t *pa[] = {&a};
  double t0 = secs();
  file_put(b.st, &f, false, &tb);
  node_sync(&b, pa, 1, false, 2);
  CHECK(wait_final(b.st, &tb));
  printf("  two nodes: %.1f KiB synced in %.2f s\n", f.size / 1024.0, secs() - t0);
  check_bytes(b.st, &f, &tb);
  zg_storage_sync_stats_t s;
  zg_storage_sync_stats(b.sync, &s);
  CHECK_EQ(s.segments_fetched, f.fr.layout.data_segments);
  CHECK_EQ(s.bad_ranges, 0);
  zg_storage_sync_file_t fs;
  CHECK_OK(zg_storage_sync_file_status(b.sync, &fs, tb.seq));
  CHECK_EQ(fs, ZG_SYNC_FILE_COMPLETED);
  CHECK_OK(zg_storage_sync_file_status(b.sync, &fs, tb.seq + 1));
  CHECK_EQ(fs, ZG_SYNC_FILE_UNKNOWN);
  zg_storage_sync_stats(a.sync, &s);
  CHECK_EQ(s.segments_served, f.fr.layout.data_segments);

  /* Restart B: nothing is missing, nothing is fetched. */
  zg_storage_sync_destroy(b.sync);
  node_sync(&b, pa, 1, false, 2);
  usleep(600 * 1000);
  zg_storage_sync_stats(b.sync, &s);
  CHECK_EQ(s.segments_fetched, 0);
  node_close(&b, true);
  node_close(&a, true);
  file_free(&f);
}

/* Shards: A (0/2) and C (1/2) hold their halves; B (0/2) and D (0/1, all
 * segments) start empty and each gets what its shard needs, from the nodes
 * that hold it. A second file is added while every node runs (auto-sync of
 * a new entry after the grace period). */
static void test_shards(void) {
  node_t a, c, b, d;
  file_t f, g;
  zg_logstore_tx_t t;
  file_make(&f, 5 * ZG_SEGMENT_BYTES + 77);
  file_make(&g, 2 * ZG_SEGMENT_BYTES + 5);
  node_open(&a, 0, 2);
  node_open(&c, 1, 2);
  node_open(&b, 0, 2);
  node_open(&d, 0, 1);
  file_put(a.st, &f, true, &t);
  file_put(c.st, &f, true, &t);
  file_put(b.st, &f, false, &t);
  file_put(d.st, &f, false, &t);
  node_sync(&a, NULL, 0, false, 0);
  node_t *pac[] = {&a}, *pall[] = {&a, &c};
  node_sync(&c, pac, 1, false, 0);
  node_sync(&b, pall, 2, false, 0);
  node_sync(&d, pall, 2, false, 0);
  CHECK(wait_final(b.st, &t));
  CHECK(wait_final(d.st, &t));
  check_bytes(b.st, &f, &t);
  check_bytes(d.st, &f, &t);
  /* A new entry: uploaded to A and C only; B and D fetch it themselves. */
  zg_logstore_tx_t t2;
  file_put(a.st, &g, true, &t2);
  file_put(c.st, &g, true, &t2);
  file_put(b.st, &g, false, &t2);
  file_put(d.st, &g, false, &t2);
  zg_storage_sync_kick(b.sync);
  CHECK(wait_final(b.st, &t2));
  CHECK(wait_final(d.st, &t2));
  check_bytes(b.st, &g, &t2);
  check_bytes(d.st, &g, &t2);
  zg_storage_sync_stats_t s;
  zg_storage_sync_stats(b.sync, &s);
  CHECK_EQ(s.bad_ranges, 0);
  CHECK_EQ(s.files_synced, 2);
  node_close(&d, true);
  node_close(&b, true);
  node_close(&c, true);
  node_close(&a, true);
  file_free(&f);
  file_free(&g);
}

/* L serves corrupted ranges, H honest ones: B bans L and completes from H. */
static void test_liar(void) {
  node_t h, l, b;
  file_t f;
  zg_logstore_tx_t t;
  file_make(&f, 8 * ZG_SEGMENT_BYTES + 3);
  node_open(&h, 0, 1);
  node_open(&l, 0, 1);
  node_open(&b, 0, 1);
  file_put(h.st, &f, true, &t);
  file_put(l.st, &f, true, &t);
  file_put(b.st, &f, false, &t);
  node_sync(&h, NULL, 0, false, 0);
  node_sync(&l, NULL, 0, true, 0);
  node_t *peers[] = {&l, &h};
  node_sync(&b, peers, 2, false, 1); /* one segment per range: both peers get asked */
  CHECK(wait_final(b.st, &t));
  check_bytes(b.st, &f, &t);
  zg_storage_sync_stats_t s, sl;
  zg_storage_sync_stats(b.sync, &s);
  zg_storage_sync_stats(l.sync, &sl);
  printf("  liar: %" PRIu64 " bad ranges, %" PRIu64 " bans, liar served %" PRIu64 " segments\n", s.bad_ranges,
         s.peers_banned, sl.segments_served);
  /* The liar was asked at least once (round robin over both holders) and
   * never again once banned. */
  CHECK(s.bad_ranges >= 1);
  CHECK_EQ(s.peers_banned, 1);
  CHECK_EQ(sl.segments_served, s.bad_ranges);
  CHECK_EQ(s.segments_fetched, f.fr.layout.data_segments);
  node_close(&b, true);
  node_close(&l, true);
  node_close(&h, true);
  file_free(&f);
}

/* An upload in progress is not raced: B's grace (1 s) is renewed while its
 * segments keep arriving (one every 100 ms), so B fetches nothing from A. */
static void test_grace_renewed(void) {
  node_t a, b;
  file_t f;
  zg_logstore_tx_t t;
  file_make(&f, 12 * ZG_SEGMENT_BYTES);
  node_open(&a, 0, 1);
  node_open(&b, 0, 1);
  file_put(a.st, &f, true, &t);
  file_put(b.st, &f, false, &t);
  node_sync(&a, NULL, 0, false, 0);
  node_t *pa[] = {&a};
  zg_storage_sync_cfg_t c = {0};
  const char *ps[] = {a.addr};
  c.listen = "127.0.0.1:0", c.sk = &b.sk, c.network_id = "zgs/test", c.peers = ps, c.npeers = 1;
  c.grace_ms = 1000, c.poll_ms = 50;
  (void)pa;
  CHECK_OK(zg_storage_sync_create(&b.sync, b.st, &c, NULL, 0));
  uint8_t *buf = malloc(ZG_SEGMENT_BYTES);
  zg_storage_err_t err = {0, ""};
  for (uint64_t i = 0; i < f.fr.layout.data_segments; i++) {
    usleep(100 * 1000);
    zg_merkle_proof_t proof;
    CHECK_OK(zg_merkle_tree_proof(&proof, f.tree, i));
    memcpy(buf, f.data + i * (uint64_t)ZG_SEGMENT_BYTES, ZG_SEGMENT_BYTES);
    zg_storage_segment_t sg = {{0}, i, buf, ZG_SEGMENT_BYTES, f.size, &proof};
    memcpy(sg.root, f.fr.root, 32);
    CHECK_OK(zg_storage_upload(b.st, &err, &sg, 1, true, t.seq));
  }
  CHECK(wait_final(b.st, &t));
  usleep(1500 * 1000); /* the entry leaves the pending table when its grace ends */
  zg_storage_sync_stats_t s;
  zg_storage_sync_stats(b.sync, &s);
  CHECK_EQ(s.segments_fetched, 0);
  CHECK_EQ(s.pending_files, 0);
  free(buf);
  node_close(&b, true);
  node_close(&a, true);
  file_free(&f);
}

/* A request from a peer that is not a storage node (garbage) gets an error
 * answer, not a crash: exercised through the decoder on random bytes. */
static void test_random_bytes(void) {
  zg__sync_msg_t *m = malloc(sizeof *m);
  uint8_t buf[64];
  long n = zgt_iters(20000);
  for (long i = 0; i < n; i++) {
    size_t len = zgt_rand_below(sizeof buf + 1);
    zgt_rand_bytes(buf, len);
    if (len) buf[0] = (uint8_t)(1 + zgt_rand_below(5));
    zg_err_t e = zg__sync_msg_decode(m, buf, len);
    if (e == ZG_OK) {
      zg_buf_t b;
      zg_buf_init(&b);
      CHECK_OK(zg__sync_msg_encode(&b, m));
      CHECK_EQ(b.len, len);
      CHECK_MEM(b.ptr, buf, len);
      zg_buf_clear(&b);
    }
  }
  free(m);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_messages);
  ZGT_RUN(test_random_bytes);
  ZGT_RUN(test_two_nodes);
  ZGT_RUN(test_shards);
  ZGT_RUN(test_liar);
  ZGT_RUN(test_grace_renewed);
  return zgt_done();
}

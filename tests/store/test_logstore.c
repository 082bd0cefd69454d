/*
 * test_logstore.c — the storage node's log store (zg/logstore.h): tx records
 * (order, replay, conflicts), segment round trips by root and by tx,
 * duplicate roots sharing one copy of the data, files of different sizes
 * with one root, presence and finalized transitions, all-or-nothing batches,
 * flow-tree nodes and metadata, reopen, damaged data files (flipped bits, a
 * cut file) reported as ZG_ECORRUPT / ZG_ETRUNC, injected failures of the
 * Nth write / sync / index commit at every N with a reopen check of every
 * acknowledged put, a real full disk on a small tmpfs, concurrent writers
 * (group commit) with readers, and the on-disk value decoders.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "store_util.h"
#include "zg/codec.h"
#include "zg/log.h"
#include "zg/logstore.h"
#include "zg_test.h"

#define SEG ZG_LOGSTORE_SEGMENT
static uint8_t g_buf[SEG], g_want[SEG];

static void fill(uint8_t *p, size_t n, uint64_t seed) {
  uint64_t x = seed * 0x9e3779b97f4a7c15ull + 0x1234567;
  for (size_t i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    p[i] = (uint8_t)x;
  }
}

static void make_root(uint8_t root[32], uint64_t id) {
  memset(root, 0, 32);
  zg_store_be64(root, id);
  root[31] = 0xee;
}

static zg_logstore_tx_t make_tx(uint64_t seq, uint64_t root_id, uint64_t size) {
  zg_logstore_tx_t tx;
  memset(&tx, 0, sizeof tx);
  tx.seq = seq;
  make_root(tx.root, root_id);
  tx.size = size;
  tx.start_pos = 1 + seq * 4096;
  tx.nnodes = 2;
  make_root(tx.nodes[0].root, root_id * 3);
  tx.nodes[0].height = 12;
  make_root(tx.nodes[1].root, root_id * 5);
  tx.nodes[1].height = 9;
  return tx;
}

/* Segment data of (root id, index): len bytes. */
static void seg_data(uint8_t *p, size_t len, uint64_t root_id, uint64_t index) {
  fill(p, len, root_id * 100003 + index);
}

static zg_err_t put_seg(zg_logstore_t *ls, uint64_t root_id, uint64_t index, size_t len) {
  static uint8_t d[SEG];
  zg_logstore_seg_t s;
  make_root(s.root, root_id);
  s.index = index;
  seg_data(d, len, root_id, index);
  s.data = d;
  s.len = len;
  return zg_logstore_segments_put(ls, &s, 1);
}

/* Checks segment (root id, index) reads back as len bytes of its data. */
static zg_err_t check_seg(zg_logstore_t *ls, uint64_t root_id, uint64_t index, size_t len) {
  uint8_t root[32];
  size_t got = 1;
  make_root(root, root_id);
  zg_err_t e = zg_logstore_segment_get(ls, g_buf, sizeof g_buf, &got, root, index);
  if (e != ZG_OK) return e;
  seg_data(g_want, len, root_id, index);
  if (got != len || memcmp(g_buf, g_want, len) != 0)
    ZGT_FAIL("segment %llu/%llu differs (len %zu, want %zu)", (unsigned long long)root_id,
             (unsigned long long)index, got, len);
  return ZG_OK;
}

static uint8_t tx_status(zg_logstore_t *ls, uint64_t seq) {
  zg_logstore_tx_t tx;
  if (zg_logstore_tx_get(ls, &tx, seq) != ZG_OK) return 0xff;
  return tx.status;
}

static zg_logstore_opts_t fast_opts(void) {
  zg_logstore_opts_t o = {.map_size = 64u << 20};
  return o;
}

static void test_helpers(void) {
  CHECK_EQ(zg_logstore_tx_segments(0), 0);
  CHECK_EQ(zg_logstore_tx_segments(1), 1);
  CHECK_EQ(zg_logstore_tx_segments(SEG), 1);
  CHECK_EQ(zg_logstore_tx_segments(SEG + 1), 2);
  CHECK_EQ(zg_logstore_segment_len(1, 0), 256);
  CHECK_EQ(zg_logstore_segment_len(SEG + 1, 0), SEG);
  CHECK_EQ(zg_logstore_segment_len(SEG + 1, 1), 256);
  CHECK_EQ(zg_logstore_segment_len(SEG + 257, 1), 512);
  CHECK_EQ(zg_logstore_segment_len(2 * SEG, 1), SEG);
  CHECK_EQ(zg_logstore_segment_len(2 * SEG, 2), 0);
}

static void test_txs(void) {
  char dir[256];
  zg_logstore_t *ls = NULL;
  zg_logstore_opts_t o = fast_opts();
  uint64_t next = 99;
  st_mkdtemp(dir, sizeof dir, "ls_tx");
  CHECK_OK(zg_logstore_open(&ls, dir, &o));
  CHECK_OK(zg_logstore_next_seq(ls, &next));
  CHECK_EQ(next, 0);
  zg_logstore_tx_t txs[3] = {make_tx(0, 1, 1000), make_tx(1, 2, 3 * SEG), make_tx(2, 1, 1000)};
  CHECK_OK(zg_logstore_tx_put(ls, txs, 3));
  CHECK_OK(zg_logstore_next_seq(ls, &next));
  CHECK_EQ(next, 3);
  /* Replay of stored txs: a no-op. A different record: ZG_EEXIST. A gap. */
  CHECK_OK(zg_logstore_tx_put(ls, &txs[1], 1));
  zg_logstore_tx_t other = txs[1];
  other.start_pos++;
  CHECK_ERR(zg_logstore_tx_put(ls, &other, 1), ZG_EEXIST);
  zg_logstore_tx_t gap = make_tx(5, 9, 10);
  CHECK_ERR(zg_logstore_tx_put(ls, &gap, 1), ZG_ESTATE);
  /* A batch with a bad record stores nothing. */
  zg_logstore_tx_t b2[2] = {make_tx(3, 7, 10), make_tx(4, 8, 0)};
  CHECK_ERR(zg_logstore_tx_put(ls, b2, 2), ZG_EINVAL);
  b2[1] = make_tx(4, 8, 10);
  b2[1].nnodes = 5;
  CHECK_ERR(zg_logstore_tx_put(ls, b2, 2), ZG_EINVAL);
  b2[1].nnodes = 1;
  b2[1].nodes[0].height = 64;
  CHECK_ERR(zg_logstore_tx_put(ls, b2, 2), ZG_EINVAL);
  b2[1] = make_tx(6, 8, 10); /* gap inside a batch: the first is not kept either */
  CHECK_ERR(zg_logstore_tx_put(ls, b2, 2), ZG_ESTATE);
  CHECK_OK(zg_logstore_next_seq(ls, &next));
  CHECK_EQ(next, 3);

  zg_logstore_tx_t got;
  CHECK_OK(zg_logstore_tx_get(ls, &got, 1));
  CHECK(got.seq == 1 && got.size == 3 * SEG && got.start_pos == txs[1].start_pos && got.nnodes == 2);
  CHECK_MEM(got.root, txs[1].root, 32);
  CHECK_MEM(got.nodes[1].root, txs[1].nodes[1].root, 32);
  CHECK_EQ(got.nodes[0].height, 12);
  CHECK_EQ(got.status, ZG_LOGSTORE_PENDING);
  CHECK_ERR(zg_logstore_tx_get(ls, &got, 3), ZG_ENOTFOUND);

  uint64_t seqs[4];
  size_t total = 0;
  CHECK_OK(zg_logstore_txs_by_root(ls, seqs, 4, &total, txs[0].root));
  CHECK(total == 2 && seqs[0] == 0 && seqs[1] == 2);
  CHECK_OK(zg_logstore_txs_by_root(ls, seqs, 1, &total, txs[0].root));
  CHECK_EQ(total, 2);
  uint8_t unknown[32];
  make_root(unknown, 12345);
  CHECK_OK(zg_logstore_txs_by_root(ls, seqs, 4, &total, unknown));
  CHECK_EQ(total, 0);
  zg_logstore_root_info_t ri;
  CHECK_OK(zg_logstore_root_info(ls, &ri, txs[1].root));
  CHECK(ri.segments == 3 && ri.present == 0);
  CHECK_ERR(zg_logstore_root_info(ls, &ri, unknown), ZG_ENOTFOUND);
  zg_logstore_close(ls);
  st_rm_rf(dir);
}

static void test_segments_and_sharing(void) {
  char dir[256];
  zg_logstore_t *ls = NULL;
  zg_logstore_opts_t o = fast_opts();
  zg_logstore_stats_t st;
  st_mkdtemp(dir, sizeof dir, "ls_seg");
  CHECK_OK(zg_logstore_open(&ls, dir, &o));
  /* tx0: root 1, 3 segments (last 512 B). tx1: root 2, 1 segment. */
  zg_logstore_tx_t txs[2] = {make_tx(0, 1, 2 * SEG + 300), make_tx(1, 2, 256)};
  CHECK_OK(zg_logstore_tx_put(ls, txs, 2));
  CHECK_OK(put_seg(ls, 1, 0, SEG));
  CHECK_EQ(tx_status(ls, 0), ZG_LOGSTORE_PENDING);
  /* Errors: unknown root, index past the file, bad lengths. */
  CHECK_ERR(put_seg(ls, 77, 0, SEG), ZG_ENOTFOUND);
  CHECK_ERR(put_seg(ls, 1, 3, SEG), ZG_ERANGE);
  CHECK_ERR(put_seg(ls, 1, 1, 100), ZG_EINVAL);
  CHECK_ERR(put_seg(ls, 1, 1, 0), ZG_EINVAL);
  zg_logstore_seg_t big = {.index = 1, .data = g_buf, .len = SEG + 256};
  make_root(big.root, 1);
  CHECK_ERR(zg_logstore_segments_put(ls, &big, 1), ZG_EINVAL);
  /* A batch with one bad segment stores none of it. */
  static uint8_t d1[SEG], d2[SEG];
  seg_data(d1, SEG, 1, 1);
  seg_data(d2, 512, 1, 2);
  zg_logstore_seg_t batch[3] = {{.index = 1, .data = d1, .len = SEG},
                                {.index = 2, .data = d2, .len = 512},
                                {.index = 9, .data = d2, .len = 512}};
  for (int i = 0; i < 3; i++) make_root(batch[i].root, 1);
  CHECK_ERR(zg_logstore_segments_put(ls, batch, 3), ZG_ERANGE);
  bool present = true;
  CHECK_OK(zg_logstore_segment_has(ls, &present, batch[0].root, 1));
  CHECK(!present);
  CHECK_OK(zg_logstore_segments_put(ls, batch, 2));
  CHECK_EQ(tx_status(ls, 0), ZG_LOGSTORE_FINALIZED);
  CHECK_OK(zg_logstore_segment_has(ls, &present, batch[0].root, 1));
  CHECK(present);
  for (uint64_t i = 0; i < 3; i++) CHECK_OK(check_seg(ls, 1, i, i < 2 ? SEG : 512));
  uint8_t bm[2] = {0xff, 0xff};
  uint64_t cnt = 9;
  CHECK_OK(zg_logstore_segments_present(ls, bm, 2, &cnt, batch[0].root));
  CHECK(cnt == 2 && bm[0] == 0x03);
  CHECK_OK(zg_logstore_segments_present(ls, bm, 10, &cnt, batch[0].root));
  CHECK(cnt == 3 && bm[0] == 0x07 && bm[1] == 0);
  size_t len;
  CHECK_ERR(zg_logstore_segment_get(ls, g_buf, 511, &len, batch[0].root, 2), ZG_EOVERFLOW);
  uint8_t r2[32];
  make_root(r2, 2);
  CHECK_ERR(zg_logstore_segment_get(ls, g_buf, SEG, &len, r2, 0), ZG_ENOTFOUND);
  CHECK_OK(put_seg(ls, 2, 0, 256));
  CHECK_EQ(tx_status(ls, 1), ZG_LOGSTORE_FINALIZED);

  /* Duplicate root: tx2 has root 1 too; it is finalized at once and shares
   * the data (nothing is written). Putting a present segment again writes
   * nothing either. */
  zg_logstore_stats(ls, &st);
  uint64_t written = st.segments;
  zg_logstore_tx_t dup = make_tx(2, 1, 2 * SEG + 300);
  dup.start_pos = 999999;
  CHECK_OK(zg_logstore_tx_put(ls, &dup, 1));
  CHECK_EQ(tx_status(ls, 2), ZG_LOGSTORE_FINALIZED);
  CHECK_OK(put_seg(ls, 1, 0, SEG));
  zg_logstore_stats(ls, &st);
  CHECK_EQ(st.segments, written);
  CHECK_OK(zg_logstore_segment_get_by_tx(ls, g_buf, SEG, &len, 2, 2));
  seg_data(g_want, 512, 1, 2);
  CHECK(len == 512 && memcmp(g_buf, g_want, 512) == 0);
  CHECK_ERR(zg_logstore_segment_get_by_tx(ls, g_buf, SEG, &len, 2, 3), ZG_ERANGE);

  /* One root, files of different sizes (they differ only in zero padding):
   * tx3 = 256 bytes of root 5, tx4 = 2 segments of root 5. */
  zg_logstore_tx_t t3 = make_tx(3, 5, 256), t4 = make_tx(4, 5, 2 * SEG);
  CHECK_OK(zg_logstore_tx_put(ls, &t3, 1));
  CHECK_OK(zg_logstore_tx_put(ls, &t4, 1));
  static uint8_t z[SEG];
  memset(z, 0, sizeof z);
  seg_data(z, 256, 5, 0); /* the 256 real bytes; the rest are zero padding */
  zg_logstore_seg_t s50 = {.index = 0, .data = z, .len = 256};
  make_root(s50.root, 5);
  CHECK_OK(zg_logstore_segments_put(ls, &s50, 1));
  CHECK_EQ(tx_status(ls, 3), ZG_LOGSTORE_FINALIZED);
  CHECK_EQ(tx_status(ls, 4), ZG_LOGSTORE_PENDING);
  CHECK_OK(zg_logstore_segment_get_by_tx(ls, g_buf, SEG, &len, 4, 0));
  CHECK(len == SEG && memcmp(g_buf, z, SEG) == 0); /* zero-extended */
  s50.len = SEG; /* the bigger file's full segment replaces the short copy */
  CHECK_OK(zg_logstore_segments_put(ls, &s50, 1));
  zg_logstore_root_info_t ri;
  CHECK_OK(zg_logstore_root_info(ls, &ri, s50.root));
  CHECK(ri.segments == 2 && ri.present == 1);
  static uint8_t zeros[SEG]; /* segment 1 of root 5 is all padding */
  zg_logstore_seg_t s51 = {.index = 1, .data = zeros, .len = SEG};
  memcpy(s51.root, s50.root, 32);
  CHECK_OK(zg_logstore_segments_put(ls, &s51, 1));
  CHECK_EQ(tx_status(ls, 4), ZG_LOGSTORE_FINALIZED);
  CHECK_OK(zg_logstore_segment_get_by_tx(ls, g_buf, SEG, &len, 3, 0));
  CHECK(len == 256 && memcmp(g_buf, z, 256) == 0); /* cut to the small file */

  /* Flow nodes and metadata. */
  zg_logstore_flow_node_t nodes[3] = {{.height = 0, .index = 5}, {.height = 10, .index = 1}, {.height = 64}};
  for (int i = 0; i < 3; i++) memset(nodes[i].hash, 0x11 * (i + 1), 32);
  CHECK_OK(zg_logstore_flow_nodes_put(ls, nodes, 3));
  uint8_t h[32];
  CHECK_OK(zg_logstore_flow_node_get(ls, h, 10, 1));
  CHECK_MEM(h, nodes[1].hash, 32);
  CHECK_ERR(zg_logstore_flow_node_get(ls, h, 10, 2), ZG_ENOTFOUND);
  memset(h, 0, 32);
  CHECK_OK(zg_logstore_flow_node_fetch(ls, h, 0, 5));
  CHECK_MEM(h, nodes[0].hash, 32);
  nodes[0].height = 65;
  CHECK_ERR(zg_logstore_flow_nodes_put(ls, nodes, 1), ZG_EINVAL);
  CHECK_OK(zg_logstore_meta_put(ls, "sync_height", "\x00\x01", 2));
  char mv[8];
  CHECK_OK(zg_logstore_meta_get(ls, mv, sizeof mv, &len, "sync_height"));
  CHECK(len == 2 && mv[1] == 1);
  CHECK_ERR(zg_logstore_meta_get(ls, mv, 1, &len, "sync_height"), ZG_EOVERFLOW);
  CHECK_ERR(zg_logstore_meta_get(ls, mv, 8, &len, "nope"), ZG_ENOTFOUND);
  CHECK_ERR(zg_logstore_meta_put(ls, "", "x", 1), ZG_EINVAL);

  /* Reopen after a clean close: everything is there. */
  zg_logstore_close(ls);
  CHECK_OK(zg_logstore_open(&ls, dir, &o));
  for (uint64_t i = 0; i < 3; i++) CHECK_OK(check_seg(ls, 1, i, i < 2 ? SEG : 512));
  CHECK_OK(check_seg(ls, 2, 0, 256));
  for (uint64_t s = 0; s < 5; s++) CHECK_EQ(tx_status(ls, s), ZG_LOGSTORE_FINALIZED);
  CHECK_OK(zg_logstore_flow_node_get(ls, h, 64, 0));
  CHECK_MEM(h, nodes[2].hash, 32);
  uint64_t checked, bad;
  CHECK_OK(zg_logstore_verify(ls, &checked, &bad));
  CHECK(checked == 6 && bad == 0);
  zg_logstore_close(ls);
  st_rm_rf(dir);
}

/* Damaged data files: a flipped bit is ZG_ECORRUPT, a cut file ZG_ETRUNC;
 * other segments still read; verify() counts the bad ones. */
static void test_corruption(void) {
  char dir[256], path[400];
  zg_logstore_t *ls = NULL;
  zg_logstore_opts_t o = fast_opts();
  st_mkdtemp(dir, sizeof dir, "ls_bad");
  CHECK_OK(zg_logstore_open(&ls, dir, &o));
  zg_logstore_tx_t tx = make_tx(0, 1, 4 * SEG);
  CHECK_OK(zg_logstore_tx_put(ls, &tx, 1));
  for (uint64_t i = 0; i < 4; i++) CHECK_OK(put_seg(ls, 1, i, SEG));
  zg_logstore_close(ls);
  snprintf(path, sizeof path, "%s/data/00000000.zgd", dir);
  long rec = 8 + 40 + SEG;                           /* frame size of one segment record */
  st_flip(path, 16 + rec * 1 + 4 + 40 + 1000, 0x01); /* data of segment 1 */
  st_flip(path, 16 + rec * 2 + 4 + 5, 0x20);         /* header (root) of segment 2 */
  CHECK_OK(zg_logstore_open(&ls, dir, &o));
  CHECK_OK(check_seg(ls, 1, 0, SEG));
  size_t len = 9;
  uint8_t root[32];
  make_root(root, 1);
  CHECK_ERR(zg_logstore_segment_get(ls, g_buf, SEG, &len, root, 1), ZG_ECORRUPT);
  CHECK_EQ(len, 0);
  bool zero = true;
  for (size_t i = 0; i < SEG; i++) zero &= g_buf[i] == 0;
  CHECK(zero);
  CHECK_ERR(check_seg(ls, 1, 2, SEG), ZG_ECORRUPT);
  CHECK_OK(check_seg(ls, 1, 3, SEG));
  uint64_t checked, bad;
  CHECK_OK(zg_logstore_verify(ls, &checked, &bad));
  CHECK(checked == 4 && bad == 2);
  zg_logstore_close(ls);
  /* Cut the file inside segment 3: reads say ZG_ETRUNC; reopen warns only. */
  st_truncate(path, 16 + rec * 3 + 1000);
  CHECK_OK(zg_logstore_open(&ls, dir, &o));
  CHECK_ERR(check_seg(ls, 1, 3, SEG), ZG_ETRUNC);
  CHECK_OK(check_seg(ls, 1, 0, SEG));
  zg_logstore_close(ls);
  st_rm_rf(dir);
}

/* One run of puts under a fault plan; returns the number of operations the
 * plan saw (to know when N has passed the end). */
static void fault_run(const char *kind, long n, long *seen) {
  char dir[256];
  zg_logstore_t *ls = NULL;
  zg_store_fault_t fault = {0};
  if (kind[0] == 'w') fault.fail_write_at = n;
  if (kind[0] == 's') fault.fail_sync_at = n;
  if (kind[0] == 'c') fault.fail_commit_at = n;
  if (n % 3 == 0) fault.err = 5; /* EIO instead of ENOSPC */
  zg_logstore_opts_t o = fast_opts();
  o.fault = &fault;
  o.file_limit = 600 * 1024; /* rolls every 2 segments */
  st_mkdtemp(dir, sizeof dir, "ls_fault");
  CHECK_OK(zg_logstore_open(&ls, dir, &o));
  fault.commits = 0; /* count from here: the open did not commit, but be exact */
  zg_logstore_tx_t txs[2] = {make_tx(0, 1, 12 * SEG), make_tx(1, 2, 5 * SEG + 512)};
  zg_err_t e = zg_logstore_tx_put(ls, txs, 2);
  bool tx_ok = e == ZG_OK;
  if (!tx_ok) {
    CHECK(e == ZG_EFULL || e == ZG_EIO);
    CHECK_OK(zg_logstore_tx_put(ls, txs, 2)); /* the fault fired once */
  }
  /* Puts: single segments and batches of 2 or 3, over both roots. */
  static uint8_t data[3][SEG];
  bool acked[2][12] = {{false}};
  uint64_t idx[2] = {0, 0};
  int failures = 0;
  for (int step = 0; step < 10; step++) {
    int nb = 1 + step % 3;
    zg_logstore_seg_t segs[3];
    int k = 0;
    for (int j = 0; j < nb; j++) {
      int r = (step + j) % 2;
      uint64_t maxseg = r == 0 ? 12 : 6;
      if (idx[r] >= maxseg) continue;
      size_t len = (r == 1 && idx[r] == 5) ? 512 : SEG;
      make_root(segs[k].root, (uint64_t)r + 1);
      segs[k].index = idx[r]++;
      seg_data(data[k], len, (uint64_t)r + 1, segs[k].index);
      segs[k].data = data[k];
      segs[k].len = len;
      k++;
    }
    e = zg_logstore_segments_put(ls, segs, (size_t)k);
    if (e == ZG_OK) {
      for (int j = 0; j < k; j++) acked[segs[j].root[7] - 1][segs[j].index] = true;
    } else {
      failures++;
      CHECK(e == ZG_EFULL || e == ZG_EIO);
      CHECK_EQ(e, fault.err == 5 ? ZG_EIO : ZG_EFULL);
      /* All or nothing: none of the call's segments is visible. */
      for (int j = 0; j < k; j++) {
        bool p = true;
        CHECK_OK(zg_logstore_segment_has(ls, &p, segs[j].root, segs[j].index));
        CHECK(!p);
      }
    }
  }
  CHECK(failures <= 1);
  *seen = kind[0] == 'w' ? fault.writes : kind[0] == 's' ? fault.syncs : fault.commits;
  zg_logstore_close(ls);
  /* Reopen without faults: every acknowledged put is intact, nothing else. */
  CHECK_OK(zg_logstore_open(&ls, dir, NULL));
  for (int r = 0; r < 2; r++)
    for (uint64_t i = 0; i < (r == 0 ? 12u : 6u); i++) {
      size_t len = (r == 1 && i == 5) ? 512 : SEG;
      if (acked[r][i]) {
        CHECK_OK(check_seg(ls, (uint64_t)r + 1, i, len));
      } else {
        uint8_t root[32];
        bool p = true;
        make_root(root, (uint64_t)r + 1);
        CHECK_OK(zg_logstore_segment_has(ls, &p, root, i));
        CHECK(!p);
      }
    }
  uint64_t checked, bad;
  CHECK_OK(zg_logstore_verify(ls, &checked, &bad));
  CHECK_EQ(bad, 0);
  zg_logstore_close(ls);
  st_rm_rf(dir);
  (void)tx_ok;
}

static void test_fault_injection(void) {
  const char *kinds[3] = {"write", "sync", "commit"};
  for (int k = 0; k < 3; k++) {
    long n = 1, seen = 0;
    do {
      fault_run(kinds[k], n, &seen);
      n++;
    } while (n <= seen);
    printf("  fault at every %s: %ld runs\n", kinds[k], n - 1);
  }
}

/* A real full disk: an 8 MiB tmpfs holding both the index and the data. */
static void test_tmpfs_full(void) {
  char dir[256], sub[300];
  zg_logstore_t *ls = NULL;
  if (!st_mount_tmpfs(dir, sizeof dir, 8u << 20)) return;
  snprintf(sub, sizeof sub, "%s/store", dir);
  zg_logstore_opts_t o = {.map_size = 4u << 20};
  CHECK_OK(zg_logstore_open(&ls, sub, &o));
  zg_logstore_tx_t tx = make_tx(0, 1, 64 * SEG);
  CHECK_OK(zg_logstore_tx_put(ls, &tx, 1));
  uint64_t ok = 0;
  zg_err_t e = ZG_OK;
  for (uint64_t i = 0; i < 64; i++) {
    e = put_seg(ls, 1, i, SEG);
    if (e != ZG_OK) break;
    ok++;
  }
  CHECK_ERR(e, ZG_EFULL);
  CHECK(ok >= 10);
  for (uint64_t i = 0; i < ok; i++) CHECK_OK(check_seg(ls, 1, i, SEG));
  CHECK_ERR(put_seg(ls, 1, ok, SEG), ZG_EFULL); /* still full, still harmless */
  zg_logstore_close(ls);
  CHECK_OK(zg_logstore_open(&ls, sub, &o));
  for (uint64_t i = 0; i < ok; i++) CHECK_OK(check_seg(ls, 1, i, SEG));
  bool p = true;
  CHECK_OK(zg_logstore_segment_has(ls, &p, tx.root, ok));
  CHECK(!p);
  uint64_t checked, bad;
  CHECK_OK(zg_logstore_verify(ls, &checked, &bad));
  CHECK(checked == ok && bad == 0);
  CHECK_EQ(tx_status(ls, 0), ZG_LOGSTORE_PENDING);
  printf("  tmpfs 8 MiB: %llu segments stored before ZG_EFULL, all intact after reopen\n",
         (unsigned long long)ok);
  zg_logstore_close(ls);
  st_umount(dir);
}

/* Concurrent writers (distinct segments) and readers. */
typedef struct {
  zg_logstore_t *ls;
  int id;
  int errors;
} worker_t;

enum { WRITERS = 4, PER_WRITER = 12 };

static void *writer_main(void *arg) {
  worker_t *w = arg;
  uint8_t *d = malloc(SEG);
  for (int i = 0; i < PER_WRITER; i++) {
    zg_logstore_seg_t s;
    make_root(s.root, 1);
    s.index = (uint64_t)(w->id * PER_WRITER + i);
    seg_data(d, SEG, 1, s.index);
    s.data = d;
    s.len = SEG;
    if (zg_logstore_segments_put(w->ls, &s, 1) != ZG_OK) w->errors++;
  }
  free(d);
  return NULL;
}

static void *reader_main(void *arg) {
  worker_t *w = arg;
  uint8_t *d = malloc(SEG), *want = malloc(SEG), root[32];
  make_root(root, 1);
  for (int round = 0; round < 200; round++) {
    uint64_t i = (uint64_t)(round * 7) % (WRITERS * PER_WRITER);
    size_t len;
    zg_err_t e = zg_logstore_segment_get(w->ls, d, SEG, &len, root, i);
    if (e == ZG_ENOTFOUND) continue;
    seg_data(want, SEG, 1, i);
    if (e != ZG_OK || len != SEG || memcmp(d, want, SEG) != 0) w->errors++;
  }
  free(d);
  free(want);
  return NULL;
}

static void test_concurrent(void) {
  char dir[256];
  zg_logstore_t *ls = NULL;
  pthread_t th[WRITERS + 2];
  worker_t wk[WRITERS + 2];
  st_mkdtemp(dir, sizeof dir, "ls_conc");
  zg_logstore_opts_t o = fast_opts();
  CHECK_OK(zg_logstore_open(&ls, dir, &o));
  zg_logstore_tx_t tx = make_tx(0, 1, (uint64_t)WRITERS * PER_WRITER * SEG);
  CHECK_OK(zg_logstore_tx_put(ls, &tx, 1));
  for (int i = 0; i < WRITERS + 2; i++) {
    wk[i].ls = ls;
    wk[i].id = i;
    wk[i].errors = 0;
    pthread_create(&th[i], NULL, i < WRITERS ? writer_main : reader_main, &wk[i]);
  }
  for (int i = 0; i < WRITERS + 2; i++) {
    pthread_join(th[i], NULL);
    CHECK_EQ(wk[i].errors, 0);
  }
  zg_logstore_stats_t st;
  zg_logstore_stats(ls, &st);
  CHECK_EQ(st.calls, WRITERS * PER_WRITER);
  CHECK(st.groups >= 1 && st.groups <= st.calls);
  printf("  %d concurrent puts committed in %llu groups\n", WRITERS * PER_WRITER,
         (unsigned long long)st.groups);
  CHECK_EQ(tx_status(ls, 0), ZG_LOGSTORE_FINALIZED);
  for (uint64_t i = 0; i < WRITERS * PER_WRITER; i++) CHECK_OK(check_seg(ls, 1, i, SEG));
  zg_logstore_close(ls);
  st_rm_rf(dir);
}

static void test_decoders(void) {
  zg_buf_t b;
  zg_buf_init(&b);
  zg_logstore_tx_t tx = make_tx(42, 3, 12345), got;
  tx.status = ZG_LOGSTORE_FINALIZED;
  CHECK_OK(zg__logstore_tx_encode(&b, &tx));
  CHECK_OK(zg__logstore_tx_decode(&got, b.ptr, b.len));
  CHECK(memcmp(&got, &tx, sizeof tx) == 0);
  /* Every truncation and every byte change that breaks canonical form or
   * validity is ZG_ECORRUPT; none crashes. */
  for (size_t n = 0; n < b.len; n++) CHECK_ERR(zg__logstore_tx_decode(&got, b.ptr, n), ZG_ECORRUPT);
  CHECK_ERR(zg__logstore_tx_decode(&got, b.ptr, b.len + 0), ZG_OK);
  b.ptr[0] = 2; /* version */
  CHECK_ERR(zg__logstore_tx_decode(&got, b.ptr, b.len), ZG_ECORRUPT);
  b.ptr[0] = 1;
  b.ptr[b.len - 1] = 2; /* status */
  CHECK_ERR(zg__logstore_tx_decode(&got, b.ptr, b.len), ZG_ECORRUPT);
  zg_buf_clear(&b);
  tx.size = 0;
  CHECK_ERR(zg__logstore_tx_encode(&b, &tx), ZG_EINVAL);

  zg_logstore_root_info_t ri;
  uint8_t rv[17] = {1};
  zg_store_be64(rv + 1, 3);
  zg_store_be64(rv + 9, 4); /* present > segments */
  CHECK_ERR(zg__logstore_root_decode(&ri, rv, 17), ZG_ECORRUPT);
  zg_store_be64(rv + 9, 3);
  CHECK_OK(zg__logstore_root_decode(&ri, rv, 17));
  CHECK_ERR(zg__logstore_root_decode(&ri, rv, 16), ZG_ECORRUPT);

  zg_datafile_loc_t loc;
  uint8_t lv[16];
  zg_store_be32(lv, 3);
  zg_store_be64(lv + 4, 16);
  zg_store_be32(lv + 12, 40 + 256);
  CHECK_OK(zg__logstore_loc_decode(&loc, lv, 16));
  CHECK(loc.file == 3 && loc.off == 16 && loc.len == 296);
  zg_store_be32(lv + 12, 40 + 255);
  CHECK_ERR(zg__logstore_loc_decode(&loc, lv, 16), ZG_ECORRUPT);

  uint8_t rec[40 + 256], root[32];
  uint64_t index;
  zg_slice_t data;
  memset(rec, 7, sizeof rec);
  CHECK_OK(zg__logstore_segrec_decode(root, &index, &data, rec, sizeof rec));
  CHECK(data.len == 256 && data.ptr == rec + 40);
  CHECK_ERR(zg__logstore_segrec_decode(root, &index, &data, rec, 39), ZG_ECORRUPT);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  zg_log_set_level(ZG_LOG_OFF);
  ZGT_RUN(test_helpers);
  ZGT_RUN(test_decoders);
  ZGT_RUN(test_txs);
  ZGT_RUN(test_segments_and_sharing);
  ZGT_RUN(test_corruption);
  ZGT_RUN(test_fault_injection);
  ZGT_RUN(test_tmpfs_full);
  ZGT_RUN(test_concurrent);
  return zgt_done();
}

/*
 * test_sector_proof.c — zg_storage_sector_proof (zgs_getSectorProof): a
 * service fed with files of many sizes (single sectors, partial and whole
 * segments, multi-node files, files sharing a flow segment, alignment
 * gaps) proves every kind of sector it holds against its current flow
 * root; the proof's leaf is the sector's hash and it verifies
 * independently; sectors it does not hold (padding, another shard, not yet
 * uploaded, the dummy sector, beyond the flow) get a clear NOT_FOUND.
 */
#include <stdlib.h>
#include <string.h>

#include "../store/store_util.h"
#include "../zg_test.h"
#include "zg/flow.h"
#include "zg/merkle.h"
#include "zg/storage_node.h"

typedef struct {
  zg_buf_t roots;
} seg_roots_t;

static void on_seg(void *arg, uint64_t index, const uint8_t root[32]) {
  seg_roots_t *r = arg;
  (void)index;
  if (zg_buf_append(&r->roots, root, 32) != ZG_OK) abort();
}

typedef struct {
  uint8_t *data;
  uint64_t size;
  zg_logstore_tx_t tx;
} file_t;

/* Submits a random file of size bytes; uploads the segments for which
 * upload(i) says so (shard permitting). */
static void add_file(zg_storage_t *st, file_t *f, uint64_t size, bool upload_all) {
  f->size = size;
  f->data = malloc(size);
  zgt_rand_bytes(f->data, size);
  seg_roots_t sr;
  zg_buf_init(&sr.roots);
  zg_file_root_t fr;
  CHECK_OK(zg_file_merkle_root(&fr, f->data, size, on_seg, &sr));
  zg_storage_err_t err = {0, ""};
  CHECK_OK(zg_storage_add_entry(st, &f->tx, &err, size, fr.nodes, fr.layout.nnodes, UINT64_MAX));
  zg_merkle_tree_t *tree = NULL;
  CHECK_OK(zg_merkle_tree_create(&tree, (const uint8_t(*)[32])sr.roots.ptr, sr.roots.len / 32));
  uint8_t *buf = malloc(ZG_SEGMENT_BYTES);
  for (uint64_t i = 0; tree && i < fr.layout.data_segments; i++) {
    if (!zg_storage_holds_flow_segment(st, f->tx.start_pos / ZG_SECTORS_PER_SEGMENT + i)) continue;
    if (!upload_all && (i & 1)) continue; /* leave odd segments missing */
    size_t len;
    CHECK_OK(zg_segment_data_len(&len, &fr.layout, i));
    uint64_t off = i * (uint64_t)ZG_SEGMENT_BYTES;
    size_t real = size - off < len ? (size_t)(size - off) : len;
    memset(buf, 0, len);
    memcpy(buf, f->data + off, real);
    zg_merkle_proof_t proof;
    CHECK_OK(zg_merkle_tree_proof(&proof, tree, i));
    zg_storage_segment_t s = {{0}, i, buf, len, size, &proof};
    memcpy(s.root, fr.root, 32);
    zg_err_t e = zg_storage_upload(st, &err, &s, 1, true, f->tx.seq);
    if (e != ZG_OK) ZGT_FAIL("upload seg %" PRIu64 " of %" PRIu64 " bytes: %s", i, size, err.message);
  }
  free(buf);
  zg_merkle_tree_destroy(tree);
  zg_buf_clear(&sr.roots);
}

/* Checks the proof of flow sector pos, which is byte offset off of f. */
static void check_sector(zg_storage_t *st, const file_t *f, uint64_t off, bool expect) {
  uint64_t pos = f->tx.start_pos + off / ZG_SECTOR_BYTES;
  zg_merkle_proof_t p;
  uint8_t root[32], want_root[32], leaf[32];
  uint64_t len, want_len;
  zg_storage_err_t err = {0, ""};
  zg_err_t e = zg_storage_sector_proof(st, &p, root, &len, &err, pos);
  zg_storage_flow_context(st, want_root, &want_len);
  CHECK_MEM(root, want_root, 32);
  CHECK_EQ(len, want_len);
  if (!expect) {
    if (e != ZG_ENOTFOUND || err.cls != ZG_STORAGE_NOT_FOUND)
      ZGT_FAIL("sector %" PRIu64 ": want NOT_FOUND, got %s (%s)", pos, zg_errname(e), err.message);
    return;
  }
  if (e != ZG_OK) {
    ZGT_FAIL("sector %" PRIu64 " (size %" PRIu64 ", off %" PRIu64 "): %s", pos, f->size, off, err.message);
    return;
  }
  uint64_t at = off - off % ZG_SECTOR_BYTES;
  zg_flow_leaf_hash(leaf, pos, f->data + at, f->size - at < 256 ? (size_t)(f->size - at) : 256);
  CHECK_MEM(p.lemma[0], leaf, 32);
  bool ok = false;
  CHECK_OK(zg_flow_proof_verify(&ok, &p, leaf, 0, pos, want_root, want_len));
  CHECK(ok);
}

static void run(uint32_t shard_id, uint32_t num_shard) {
  char dir[256];
  st_mkdtemp(dir, sizeof dir, "sectorproof");
  zg_storage_cfg_t cfg = {dir, shard_id, num_shard, true, NULL};
  zg_storage_t *st = NULL;
  char msg[200];
  CHECK_OK(zg_storage_open(&st, &cfg, msg, sizeof msg));
  if (!st) return;
  /* Sizes: tiny files sharing segment 0, one that forces a realignment,
   * multi-node files (1.5 and 17+ segments), a padded single node. */
  static const uint64_t sizes[] = {1,       255,        257,          3000,         262144,
                                   100000,  393216,     2017 * 256,   17 * 262144 + 1000,
                                   200,     5 * 262144, 4097 * 256,   70000};
  enum { NF = sizeof sizes / sizeof sizes[0] };
  file_t files[NF];
  for (size_t i = 0; i < NF; i++) add_file(st, &files[i], sizes[i], i != 4);
  for (int round = 0; round < 2; round++) { /* the second round hits the node cache */
    for (size_t i = 0; i < NF; i++) {
      const file_t *f = &files[i];
      uint64_t segs = zg_logstore_tx_segments(f->size);
      long n = zgt_iters(6);
      for (long k = 0; k < n + 2; k++) {
        uint64_t off = k == 0 ? 0 : k == 1 ? f->size - 1 : zgt_rand64() % f->size;
        uint64_t si = off / ZG_SEGMENT_BYTES;
        bool held = zg_storage_holds_flow_segment(st, f->tx.start_pos / ZG_SECTORS_PER_SEGMENT + si) &&
                    (i != 4 || !(si & 1));
        check_sector(st, f, off, held);
      }
      /* A padding sector past the file's data segments, when there is one. */
      uint64_t ext = 0;
      for (uint32_t k = 0; k < f->tx.nnodes; k++) ext += 1ull << f->tx.nodes[k].height;
      if (ext > segs * ZG_SECTORS_PER_SEGMENT) check_sector(st, f, segs * (uint64_t)ZG_SEGMENT_BYTES, false);
    }
  }
  zg_merkle_proof_t p;
  uint8_t root[32];
  uint64_t len;
  zg_storage_err_t err = {0, ""};
  CHECK_ERR(zg_storage_sector_proof(st, &p, root, &len, &err, 0), ZG_ERANGE);
  CHECK_ERR(zg_storage_sector_proof(st, &p, root, &len, &err, len + 5), ZG_ERANGE);
  CHECK(strstr(err.message, "not a data sector") != NULL);
  for (size_t i = 0; i < NF; i++) free(files[i].data);
  zg_storage_close(st);
  /* Reopen: proofs still verify against the rebuilt flow (from the cache). */
  CHECK_OK(zg_storage_open(&st, &cfg, msg, sizeof msg));
  zg_storage_close(st);
  st_rm_rf(dir);
}

static void test_one_shard(void) { run(0, 1); }
static void test_two_shards(void) { run(1, 2); }

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_one_shard);
  ZGT_RUN(test_two_shards);
  return zgt_done();
}

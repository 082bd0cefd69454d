/*
 * test_merkle_feed.c — zg_file_merkle_update_segment (whole segments fed by
 * their roots, as zg upload does with roots hashed on several threads)
 * gives the same root, layout, submission nodes and segment-root callbacks
 * as feeding every byte with zg_file_merkle_update, for sizes around
 * segment boundaries and random sizes; and it refuses a builder that is not
 * at a segment boundary.
 */
#include "zg/merkle.h"
#include "zg_test.h"

typedef struct {
  uint8_t roots[64][32];
  uint64_t n;
} seen_t;

static void on_seg(void *arg, uint64_t index, const uint8_t root[32]) {
  seen_t *s = arg;
  if (index == s->n && s->n < 64) memcpy(s->roots[s->n], root, 32);
  s->n++;
}

static void check_size(const uint8_t *data, size_t len) {
  seen_t a = {0}, b = {0};
  zg_file_merkle_t *m = malloc(sizeof *m);
  zg_file_root_t ra, rb;
  CHECK(m != NULL);
  if (!m) return;
  zg_file_merkle_init(m, on_seg, &a);
  CHECK_OK(zg_file_merkle_update(m, data, len));
  CHECK_OK(zg_file_merkle_final(m, &ra));
  zg_file_merkle_init(m, on_seg, &b);
  size_t off = 0;
  for (; off + ZG_SEGMENT_BYTES <= len; off += ZG_SEGMENT_BYTES) {
    uint8_t root[32];
    CHECK_OK(zg_merkle_segment_root(root, data + off, ZG_SEGMENT_BYTES, 0));
    CHECK_OK(zg_file_merkle_update_segment(m, root));
  }
  CHECK_OK(zg_file_merkle_update(m, data + off, len - off));
  CHECK_OK(zg_file_merkle_final(m, &rb));
  CHECK_MEM(ra.root, rb.root, 32);
  CHECK_EQ(ra.layout.size, rb.layout.size);
  CHECK_EQ(ra.layout.padded_chunks, rb.layout.padded_chunks);
  CHECK_EQ(ra.layout.nnodes, rb.layout.nnodes);
  for (uint32_t i = 0; i < ra.layout.nnodes && i < rb.layout.nnodes; i++) {
    CHECK_MEM(ra.nodes[i].root, rb.nodes[i].root, 32);
    CHECK_EQ(ra.nodes[i].height, rb.nodes[i].height);
  }
  CHECK_EQ(a.n, b.n);
  for (uint64_t i = 0; i < a.n && i < b.n && i < 64; i++) CHECK_MEM(a.roots[i], b.roots[i], 32);
  free(m);
}

static void test_sizes(void) {
  size_t cap = 20 * (size_t)ZG_SEGMENT_BYTES + 4096;
  uint8_t *data = malloc(cap);
  CHECK(data != NULL);
  if (!data) return;
  zgt_rand_bytes(data, cap);
  const size_t S = ZG_SEGMENT_BYTES;
  size_t fixed[] = {1, 255, 256, 257, S - 1, S, S + 1, 2 * S, 3 * S - 256, 16 * S - 1, 16 * S, 16 * S + 1, 17 * S};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) check_size(data, fixed[i]);
  long iters = zgt_iters(12);
  for (long it = 0; it < iters; it++) check_size(data, 1 + zgt_rand_below((uint32_t)cap - 1));
  free(data);
}

static void test_not_at_boundary(void) {
  zg_file_merkle_t *m = malloc(sizeof *m);
  uint8_t root[32] = {0}, byte = 7;
  CHECK(m != NULL);
  if (!m) return;
  zg_file_merkle_init(m, NULL, NULL);
  CHECK_OK(zg_file_merkle_update(m, &byte, 1));
  CHECK_ERR(zg_file_merkle_update_segment(m, root), ZG_EINVAL);
  free(m);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_sizes);
  ZGT_RUN(test_not_at_boundary);
  return zgt_done();
}

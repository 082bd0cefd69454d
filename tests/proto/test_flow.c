/*
 * test_flow.c — the flow tree against a naive full-array model: aligned
 * appends (startPos, the segment-boundary rule), roots, proofs of sectors,
 * seals and segments against the current and historical roots (through a
 * store callback), range proofs, frontier persistence (round trip, corrupt
 * frontiers rejected), and the Flow contract's submission rules.
 */
#include <stdlib.h>

#include "zg/flow.h"
#include "zg/hash.h"
#include "zg_test.h"

/* The naive model: every leaf value of the flow in one array. */
typedef struct {
  uint8_t (*leaf)[32];
  uint64_t len, cap;
} model_t;

static void model_push(model_t *m, const uint8_t v[32]) {
  if (m->len == m->cap) {
    m->cap = m->cap ? 2 * m->cap : 1024;
    m->leaf = realloc(m->leaf, m->cap * 32);
  }
  memcpy(m->leaf[m->len++], v, 32);
}

/* Node (h, idx) of the tree over the first `len` leaves, zero beyond. */
static void model_node(const model_t *m, uint64_t len, unsigned h, uint64_t idx, uint8_t out[32]) {
  uint64_t n = 1ull << h, start = idx << h;
  uint8_t(*t)[32] = malloc(n * 32);
  for (uint64_t i = 0; i < n; i++)
    memcpy(t[i], start + i < len ? m->leaf[start + i] : zg_merkle_zero_hash(0), 32);
  for (; n > 1; n /= 2)
    for (uint64_t i = 0; i < n / 2; i++) zg_keccak256_pair(t[i], t[2 * i], t[2 * i + 1]);
  memcpy(out, t[0], 32);
  free(t);
}

static unsigned ceil_log2(uint64_t x) {
  unsigned h = 0;
  while ((1ull << h) < x) h++;
  return h;
}

static void model_root(const model_t *m, uint64_t len, uint8_t out[32]) {
  model_node(m, len, ceil_log2(len), 0, out);
}

static uint64_t align_up(uint64_t x, unsigned h) { return (x + (1ull << h) - 1) >> h << h; }

/* Appends nodes whose leaves are given, with the rules written plainly. */
static uint64_t model_append(model_t *m, const unsigned *heights, uint8_t (**leaves)[32], size_t n) {
  uint64_t size = 0;
  for (size_t i = 0; i < n; i++) size += 1ull << heights[i];
  uint64_t start = align_up(m->len, heights[0]);
  uint64_t target = m->len;
  if (start % 1024 != 0 && start / 1024 != (start + size - 1) / 1024) target = align_up(start, 10);
  while (m->len < target) model_push(m, zg_merkle_zero_hash(0));
  uint64_t first = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t s = align_up(m->len, heights[i]);
    if (i == 0) first = s;
    while (m->len < s) model_push(m, zg_merkle_zero_hash(0));
    for (uint64_t j = 0; j < (1ull << heights[i]); j++) model_push(m, leaves[i][j]);
  }
  return first;
}

static model_t g_model;

/* The store callback: complete subtrees from the model (any later length
 * gives the same value for a complete subtree). */
static zg_err_t fetch(void *arg, uint8_t out[32], unsigned height, uint64_t index) {
  const model_t *m = arg;
  if (((index + 1) << height) > m->len) return ZG_ENOTFOUND;
  model_node(m, m->len, height, index, out);
  return ZG_OK;
}

typedef struct {
  zg_flow_t f;
  uint8_t root[32];
} snap_t;

static void check_proofs(const zg_flow_t *f, const uint8_t root[32], int count) {
  unsigned H = zg_flow_height(f);
  for (int k = 0; k < count; k++) {
    static const unsigned hs[] = {0, 4, 10};
    unsigned h = hs[zgt_rand_below(3)];
    if (h > H) h = 0;
    uint64_t nodes = ((f->length - 1) >> h) + 1;
    uint64_t idx = zgt_rand64() % nodes;
    if (zgt_rand_below(4) == 0) idx = nodes - 1; /* the partial right edge */
    zg_merkle_proof_t p;
    CHECK_OK(zg_flow_proof(&p, f, h, idx, fetch, &g_model));
    uint8_t want[32];
    model_node(&g_model, f->length, h, idx, want);
    CHECK_MEM(p.lemma[0], want, 32);
    CHECK_EQ(p.npath, H - h);
    for (unsigned i = 0; i < p.npath; i++) {
      model_node(&g_model, f->length, h + i, (idx >> i) ^ 1, want);
      CHECK_MEM(p.lemma[i + 1], want, 32);
    }
    bool ok = false;
    CHECK_OK(zg_flow_proof_verify(&ok, &p, p.lemma[0], h, idx, root, f->length));
    CHECK(ok);
    CHECK(zg_flow_fold_siblings(p.lemma[0], (const uint8_t(*)[32])(p.lemma + 1), p.npath, idx, root));
    /* Any change is caught. */
    zg_merkle_proof_t q = p;
    q.lemma[zgt_rand_below(q.nlemma)][zgt_rand_below(32)] ^= 0x40;
    CHECK_OK(zg_flow_proof_verify(&ok, &q, p.lemma[0], h, idx, root, f->length));
    CHECK(!ok);
    if (p.npath) {
      q = p;
      q.path[zgt_rand_below(q.npath)] ^= 1;
      CHECK_OK(zg_flow_proof_verify(&ok, &q, p.lemma[0], h, idx, root, f->length));
      CHECK(!ok);
      CHECK_OK(zg_flow_proof_verify(&ok, &p, p.lemma[0], h, idx ^ 1, root, f->length));
      CHECK(!ok);
    }
    CHECK_OK(zg_flow_proof_verify(&ok, &p, p.lemma[0], h, idx, root, f->length * 2 + 1));
    CHECK(!ok); /* path length does not fit that flow length */
  }
}

static void test_flow_model(void) {
  zg_flow_t f;
  zg_flow_init(&f);
  memset(&g_model, 0, sizeof g_model);
  uint8_t zero[32] = {0}, r[32];
  model_push(&g_model, zero);
  zg_flow_root(&f, r);
  CHECK_MEM(r, zero, 32); /* one dummy leaf: the root is raw zero */
  snap_t *snaps = calloc(64, sizeof *snaps);
  int nsnaps = 0;
  long iters = zgt_iters(30);
  if (iters > 64) iters = 64;
  for (long it = 0; it < iters; it++) {
    uint64_t sectors = zgt_rand_below(10) < 7 ? 1 + zgt_rand_below(1100) : 1 + zgt_rand_below(9000);
    if (zgt_rand_below(5) == 0) sectors = 1 + zgt_rand_below(16);
    zg_file_layout_t lay;
    CHECK_OK(zg_file_layout(&lay, sectors * 256 - zgt_rand_below(256)));
    zg_merkle_node_t nodes[4];
    unsigned heights[4];
    uint8_t(*leaves[4])[32];
    for (uint32_t i = 0; i < lay.nnodes; i++) {
      heights[i] = lay.node_heights[i];
      uint64_t n = 1ull << heights[i];
      leaves[i] = malloc(n * 32);
      zgt_rand_bytes(leaves[i], n * 32);
      CHECK_OK(zg_merkle_root_of(nodes[i].root, (const uint8_t(*)[32])leaves[i], n));
      nodes[i].height = heights[i];
    }
    CHECK(zg_submission_valid(lay.size, nodes, lay.nnodes));
    uint64_t prev = f.length, planned;
    CHECK_OK(zg_flow_next_start(&f, &planned, nodes, lay.nnodes));
    uint64_t want_start = model_append(&g_model, heights, leaves, lay.nnodes);
    zg_flow_append_t res;
    CHECK_OK(zg_flow_append(&f, &res, nodes, lay.nnodes));
    CHECK_EQ(res.start_pos, want_start);
    CHECK_EQ(planned, want_start);
    CHECK_EQ(f.length, g_model.len);
    CHECK_EQ(res.previous_length, prev);
    CHECK_EQ(res.padded_length, want_start - prev);
    CHECK_EQ(res.charged_length, f.length - want_start);
    /* A file fits in one segment or starts on a segment boundary. */
    CHECK(want_start % 1024 == 0 || want_start / 1024 == (f.length - 1) / 1024);
    uint8_t want[32];
    zg_flow_root(&f, r);
    model_root(&g_model, g_model.len, want);
    CHECK_MEM(r, want, 32);
    snaps[nsnaps].f = f;
    memcpy(snaps[nsnaps++].root, r, 32);
    check_proofs(&f, r, 4);
    for (uint32_t i = 0; i < lay.nnodes; i++) free(leaves[i]);
  }
  /* Historical roots: proofs against every earlier snapshot still verify,
   * and each snapshot's root is the model's root of that prefix. */
  for (int s = 0; s < nsnaps; s++) {
    uint8_t want[32];
    model_root(&g_model, snaps[s].f.length, want);
    CHECK_MEM(snaps[s].root, want, 32);
    check_proofs(&snaps[s].f, snaps[s].root, 2);
  }
  /* Range proofs of up to 3000 sectors against the current root. */
  for (int k = 0; k < 20; k++) {
    uint64_t start = zgt_rand64() % f.length, n = 1 + zgt_rand_below(3000);
    if (start + n > f.length) n = f.length - start;
    zg_flow_range_proof_t rp;
    CHECK_OK(zg_flow_range_proof(&rp, &f, start, start + n, fetch, &g_model));
    uint8_t(*lv)[32] = malloc(n * 32);
    memcpy(lv, g_model.leaf + start, n * 32);
    bool ok = false;
    CHECK_OK(zg_flow_range_verify(&ok, &rp, lv, n, start));
    CHECK(ok);
    zg_flow_root(&f, r);
    CHECK_MEM(zg_flow_range_root(&rp), r, 32);
    memcpy(lv, g_model.leaf + start, n * 32);
    lv[zgt_rand_below((uint32_t)n)][7] ^= 1;
    CHECK_OK(zg_flow_range_verify(&ok, &rp, lv, n, start));
    CHECK(!ok);
    memcpy(lv, g_model.leaf + start, n * 32);
    CHECK_OK(zg_flow_range_verify(&ok, &rp, lv, n, start + 1));
    CHECK(!ok);
    free(lv);
  }
  /* Frontier persistence. */
  for (int s = 0; s < nsnaps; s++) {
    zg_buf_t b;
    zg_buf_init(&b);
    CHECK_OK(zg_flow_serialize(&b, &snaps[s].f));
    CHECK(b.len <= ZG_FLOW_STATE_MAX);
    zg_flow_t g;
    CHECK_OK(zg_flow_deserialize(&g, b.ptr, b.len));
    CHECK_EQ(g.length, snaps[s].f.length);
    zg_flow_root(&g, r);
    CHECK_MEM(r, snaps[s].root, 32);
    CHECK_ERR(zg_flow_deserialize(&g, b.ptr, b.len - 1), ZG_ETRUNC);
    CHECK_OK(zg_buf_push(&b, 0));
    CHECK_ERR(zg_flow_deserialize(&g, b.ptr, b.len), ZG_ETRAILING);
    b.len--;
    for (int k = 0; k < 8; k++) {
      size_t at = zgt_rand_below((uint32_t)b.len);
      uint8_t bit = (uint8_t)(1u << zgt_rand_below(8));
      b.ptr[at] ^= bit;
      CHECK(zg_flow_deserialize(&g, b.ptr, b.len) != ZG_OK);
      b.ptr[at] ^= bit;
    }
    zg_buf_clear(&b);
  }
  /* Segment roots as the store keeps them, with the dummy in segment 0. */
  uint8_t *seg = calloc(1, ZG_SEGMENT_BYTES);
  zg_flow_t small;
  zg_flow_init(&small);
  uint8_t want[32];
  memcpy(want, g_model.leaf[0], 32);
  CHECK_OK(zg_flow_segment_root(r, 0, seg, ZG_SEGMENT_BYTES));
  {
    model_t m0 = {0};
    model_push(&m0, zero);
    for (int i = 1; i < 1024; i++) model_push(&m0, zg_merkle_zero_hash(0));
    model_node(&m0, 1024, 10, 0, want);
    free(m0.leaf);
  }
  CHECK_MEM(r, want, 32);
  CHECK_OK(zg_flow_segment_root(r, 1, seg, 0));
  CHECK_MEM(r, zg_merkle_zero_hash(10), 32);
  free(seg);
  free(snaps);
  free(g_model.leaf);
  memset(&g_model, 0, sizeof g_model);
}

static void test_append_edges(void) {
  zg_flow_t f;
  zg_flow_init(&f);
  zg_merkle_node_t n[2] = {{{1}, 0}, {{2}, 64}};
  zg_flow_append_t res;
  CHECK_ERR(zg_flow_append(&f, &res, n, 0), ZG_EINVAL);
  CHECK_ERR(zg_flow_append(&f, &res, n + 1, 1), ZG_EINVAL);
  n[1].height = 62;
  CHECK_ERR(zg_flow_append(&f, &res, n + 1, 1), ZG_EOVERFLOW);
  CHECK_EQ(f.length, 1);
  /* One sector right after the dummy; then a 2-sector node aligns to 2... */
  CHECK_OK(zg_flow_append(&f, &res, n, 1));
  CHECK_EQ(res.start_pos, 1);
  CHECK_EQ(f.length, 2);
  zg_merkle_node_t h1 = {{3}, 1}, h10 = {{4}, 10}, h9 = {{5}, 9};
  CHECK_OK(zg_flow_append(&f, &res, &h1, 1));
  CHECK_EQ(res.start_pos, 2);
  /* ...a 512-sector node starting at 512 stays inside segment 0... */
  CHECK_OK(zg_flow_append(&f, &res, &h9, 1));
  CHECK_EQ(res.start_pos, 512);
  CHECK_EQ(res.padded_length, 508);
  /* ...and a whole segment goes to the next boundary. */
  CHECK_OK(zg_flow_append(&f, &res, &h10, 1));
  CHECK_EQ(res.start_pos, 1024);
  /* Two nodes (512 + 256) from 2048: fit in segment 2. From 2048+768: the
   * first node would start at 3072? No: 512-aligned start is 3072, aligned. */
  zg_merkle_node_t two[2] = {{{6}, 9}, {{7}, 8}};
  CHECK_OK(zg_flow_append(&f, &res, two, 2));
  CHECK_EQ(res.start_pos, 2048);
  CHECK_EQ(f.length, 2048 + 768);
  zg_merkle_node_t h8 = {{8}, 8};
  CHECK_OK(zg_flow_append(&f, &res, &h8, 1));
  CHECK_EQ(res.start_pos, 2048 + 768);        /* 256 sectors fit before 3072 */
  CHECK_OK(zg_flow_append(&f, &res, two, 2)); /* 768 sectors from 3072: aligned */
  CHECK_EQ(res.start_pos, 3072);
  CHECK_OK(zg_flow_append(&f, &res, two, 2)); /* from 3840: 512-aligned 4096 */
  CHECK_EQ(res.start_pos, 4096);
  zg_merkle_node_t h2[2] = {{{9}, 2}, {{10}, 0}};
  f.length = 1023; /* craft: 5 sectors from 1024? start = 1024 (aligned to 4) */
  CHECK_OK(zg_flow_next_start(&f, &res.start_pos, h2, 2));
  CHECK_EQ(res.start_pos, 1024);
  f.length = 1017; /* 4-aligned 1020, 5 sectors would cross 1024: move to 1024 */
  CHECK_OK(zg_flow_next_start(&f, &res.start_pos, h2, 2));
  CHECK_EQ(res.start_pos, 1024);
  f.length = 1013; /* 1016..1020 fits, then the 1-sector node at 1020 */
  CHECK_OK(zg_flow_next_start(&f, &res.start_pos, h2, 2));
  CHECK_EQ(res.start_pos, 1016);
}

static void test_submission_rules(void) {
  zg_merkle_node_t n[5];
  memset(n, 0, sizeof n);
  for (int i = 0; i < 5; i++) n[i].root[0] = (uint8_t)(i + 1);
  /* 4097 chunks: nodes 4096 + 512. */
  n[0].height = 12;
  n[1].height = 9;
  CHECK(zg_submission_valid(4097ull * 256, n, 2));
  CHECK(zg_submission_valid(4608ull * 256, n, 2));
  CHECK(!zg_submission_valid(4608ull * 256 + 1, n, 2)); /* above capacity */
  CHECK(!zg_submission_valid(4096ull * 256, n, 2));     /* 4096 would need one node */
  CHECK(zg_submission_valid(4096ull * 256 + 1, n, 2));
  /* Minimal padding for one node: length > 15/16 of it unless < 16 sectors. */
  n[0].height = 4;
  CHECK(zg_submission_valid(15 * 256 + 1, n, 1));
  CHECK(!zg_submission_valid(15 * 256, n, 1));
  n[0].height = 3;
  CHECK(zg_submission_valid(7 * 256 + 1, n, 1));
  CHECK(!zg_submission_valid(7 * 256, n, 1));
  n[0].height = 0;
  CHECK(zg_submission_valid(1, n, 1));
  CHECK(!zg_submission_valid(0, n, 1));
  /* Heights: strictly decreasing, spread < 4, h0 < 64. */
  n[0].height = 5;
  n[1].height = 5;
  CHECK(!zg_submission_valid(33 * 256, n, 2));
  n[1].height = 6;
  CHECK(!zg_submission_valid(33 * 256, n, 2));
  n[0].height = 6, n[1].height = 5, n[2].height = 4, n[3].height = 3;
  CHECK(zg_submission_valid(119 * 256, n, 4));
  n[3].height = 2;
  CHECK(!zg_submission_valid(116 * 256, n, 4)); /* spread 4 */
  n[0].height = 64;
  CHECK(!zg_submission_valid(1ull << 62, n, 1));
  n[0].height = 63;
  CHECK(!zg_submission_valid(UINT64_MAX, n, 1)); /* 2^56 sectors: far too few for 2^63 */
  n[0].height = 56;
  CHECK(zg_submission_valid(UINT64_MAX, n, 1)); /* no overflow at the top of uint64 */
  CHECK(!zg_submission_valid(1, NULL, 0));
  /* Every layout the builder produces is valid; the digest is keccak of the roots. */
  for (long it = 0; it < zgt_iters(5000); it++) {
    uint64_t size = 1 + (zgt_rand64() >> (zgt_rand_below(50) + 14));
    zg_file_layout_t l;
    CHECK_OK(zg_file_layout(&l, size));
    for (uint32_t i = 0; i < l.nnodes; i++) n[i].height = l.node_heights[i];
    CHECK(zg_submission_valid(size, n, l.nnodes));
    CHECK_EQ(zg_submission_sectors(n, l.nnodes), l.padded_chunks);
  }
  uint8_t cat[64], d[32], want[32];
  memcpy(cat, n[0].root, 32);
  memcpy(cat + 32, n[1].root, 32);
  zg_keccak256(want, cat, 64);
  zg_submission_digest(d, n, 2);
  CHECK_MEM(d, want, 32);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_flow_model);
  ZGT_RUN(test_append_edges);
  ZGT_RUN(test_submission_rules);
  return zgt_done();
}

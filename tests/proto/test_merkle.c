/*
 * test_merkle.c — 0G file Merkle trees: zero hashes, layout and padding
 * (the spec's 4097-chunk example), streaming builder == one shot == a naive
 * promote-odd tree, known roots computed by 0G's TypeScript SDK, segment
 * proofs (every segment of random files verifies; any change of lemma, path
 * or data fails; the rear-padding rule rejects a forged padding sibling),
 * and the JSON and SSZ proof encodings.
 */
#include <stdlib.h>

#include "proto/merkle_internal.h"
#include "zg/hash.h"
#include "zg/merkle.h"
#include "zg_test.h"

static void hex32(uint8_t out[32], const char *s) {
  if (zg_hex_decode(out, 32, s, strlen(s)) != ZG_OK) abort();
}

static void test_zero_hashes(void) {
  uint8_t want[32];
  hex32(want, "0xd397b3b043d87fcd6fad1291ff0bfd16401c274896d8c63a923727f077b8e0b5");
  CHECK_MEM(zg_merkle_zero_hash(0), want, 32);
  hex32(want, "0xf73e6947d7d1628b9976a6e40d7b278a8a16405e96324a68df45b12a51b7cfde");
  CHECK_MEM(zg_merkle_zero_hash(1), want, 32);
  hex32(want, "0xe68d02859bb6211cec64f52368b77d422de3b8eac34bf615942b814b643301b5");
  CHECK_MEM(zg_merkle_zero_hash(10), want, 32);
  hex32(want, "0xb48a92d40b61dc995ceecee4cded6415050dcece448b1e0b5e5b6a0e6981f3ef");
  CHECK_MEM(zg_merkle_zero_hash(63), want, 32);
  CHECK(zg_merkle_zero_hash(65) == NULL);
}

static void test_layout(void) {
  zg_file_layout_t l;
  CHECK_ERR(zg_file_layout(&l, 0), ZG_EINVAL);
  CHECK_OK(zg_file_layout(&l, 4097ull * 256));
  CHECK_EQ(l.chunks, 4097);
  CHECK_EQ(l.padded_chunks, 4608);
  CHECK_EQ(l.nnodes, 2);
  CHECK_EQ(l.node_heights[0], 12);
  CHECK_EQ(l.node_heights[1], 9);
  CHECK_EQ(l.segments, 5);
  CHECK_EQ(l.data_segments, 5);
  CHECK_EQ(l.last_segment_chunks, 512);
  CHECK_OK(zg_file_layout(&l, 1));
  CHECK_EQ(l.padded_chunks, 1);
  CHECK_EQ(l.nnodes, 1);
  CHECK_EQ(l.node_heights[0], 0);
  CHECK_OK(zg_file_layout(&l, 257));
  CHECK_EQ(l.padded_chunks, 2);
  CHECK_OK(zg_file_layout(&l, 5 * 256 + 1)); /* 6 chunks, p = 8 < 16: no rounding */
  CHECK_EQ(l.padded_chunks, 6);
  CHECK_EQ(l.nnodes, 2);
  CHECK_OK(zg_file_layout(&l, 17 * 256)); /* 17 chunks, p = 32, step 2 */
  CHECK_EQ(l.padded_chunks, 18);
  CHECK_OK(zg_file_layout(&l, 16385ull * 256)); /* p = 32768, step 2048 chunks */
  CHECK_EQ(l.padded_chunks, 18432);
  CHECK_EQ(l.segments, 18);
  CHECK_EQ(l.data_segments, 17);
  for (long it = 0; it < zgt_iters(20000); it++) {
    uint64_t size = 1 + (zgt_rand64() >> (zgt_rand_below(56) + 8));
    CHECK_OK(zg_file_layout(&l, size));
    uint64_t p = 1;
    while (p < l.chunks) p <<= 1;
    CHECK(l.padded_chunks >= l.chunks);
    CHECK((l.padded_chunks - l.chunks) * 16 <= p);
    CHECK(l.nnodes >= 1 && l.nnodes <= 4);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < l.nnodes; i++) {
      sum += 1ull << l.node_heights[i];
      if (i) CHECK(l.node_heights[i] < l.node_heights[i - 1]);
    }
    CHECK_EQ(sum, l.padded_chunks);
  }
}

/* Naive: all padded leaf hashes in an array, then promote-odd level by level. */
static void naive_root(uint8_t out[32], const uint8_t *data, size_t len) {
  uint64_t padded = zg_file_padded_chunks((len + 255) / 256);
  uint8_t(*h)[32] = malloc(padded * 32);
  for (uint64_t i = 0; i < padded; i++) {
    uint8_t sector[256] = {0};
    if (i * 256 < len) memcpy(sector, data + i * 256, len - i * 256 < 256 ? len - i * 256 : 256);
    zg_keccak256(h[i], sector, 256);
  }
  uint64_t n = padded;
  while (n > 1) {
    for (uint64_t i = 0; i < n / 2; i++) zg_keccak256_pair(h[i], h[2 * i], h[2 * i + 1]);
    if (n & 1) memcpy(h[n / 2], h[n - 1], 32);
    n = (n + 1) / 2;
  }
  memcpy(out, h[0], 32);
  free(h);
}

typedef struct {
  uint8_t (*roots)[32];
  uint64_t n, cap;
  bool in_order;
} segs_t;

static void on_seg(void *arg, uint64_t index, const uint8_t root[32]) {
  segs_t *s = arg;
  if (index != s->n) s->in_order = false;
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 16;
    s->roots = realloc(s->roots, s->cap * 32);
  }
  memcpy(s->roots[s->n++], root, 32);
}

static size_t random_size(void) {
  switch (zgt_rand_below(4)) {
    case 0:
      return 1 + zgt_rand_below(2048);
    case 1:
      return 1 + zgt_rand_below(300000);
    case 2:
      return 1 + zgt_rand_below(3u << 20);
    default:
      return (size_t)(1 + zgt_rand_below(40)) * 256 * 1024 + zgt_rand_below(3) * 128 - 128 + 1;
  }
}

static void test_streaming_vs_naive(void) {
  for (long it = 0; it < zgt_iters(25); it++) {
    size_t len = random_size();
    uint8_t *data = malloc(len);
    zgt_rand_bytes(data, len);
    if (zgt_rand_below(3) == 0) memset(data + len / 2, 0, len - len / 2); /* zero tails look like padding */
    zg_file_root_t one, st;
    segs_t s1 = {.in_order = true}, s2 = {.in_order = true};
    CHECK_OK(zg_file_merkle_root(&one, data, len, on_seg, &s1));
    zg_file_merkle_t *b = malloc(sizeof *b);
    zg_file_merkle_init(b, on_seg, &s2);
    for (size_t off = 0; off < len;) {
      size_t take = zgt_rand_below(4) == 0 ? zgt_rand_below(600) : zgt_rand_below(1 << 19);
      if (take > len - off) take = len - off;
      CHECK_OK(zg_file_merkle_update(b, data + off, take));
      off += take;
    }
    CHECK_OK(zg_file_merkle_final(b, &st));
    free(b);
    uint8_t naive[32];
    naive_root(naive, data, len);
    CHECK_MEM(one.root, naive, 32);
    CHECK_MEM(st.root, naive, 32);
    CHECK_EQ(one.layout.nnodes, st.layout.nnodes);
    CHECK(memcmp(one.nodes, st.nodes, sizeof one.nodes) == 0);
    uint8_t from_nodes[32];
    CHECK_OK(zg_file_root_from_nodes(from_nodes, one.nodes, one.layout.nnodes));
    CHECK_MEM(from_nodes, naive, 32);
    /* Segment roots: in order, one per segment, equal to the per-segment
     * computation, and their promote-odd tree gives the file root. */
    CHECK(s1.in_order && s2.in_order);
    CHECK_EQ(s1.n, one.layout.segments);
    CHECK_EQ(s2.n, one.layout.segments);
    CHECK(s1.n == s2.n && memcmp(s1.roots, s2.roots, s1.n * 32) == 0);
    for (uint64_t i = 0; i < s1.n && i < one.layout.data_segments; i++) {
      size_t dl;
      CHECK_OK(zg_segment_data_len(&dl, &one.layout, i));
      uint8_t *seg = calloc(1, dl);
      size_t have = len - i * ZG_SEGMENT_BYTES < dl ? len - i * ZG_SEGMENT_BYTES : dl;
      memcpy(seg, data + i * ZG_SEGMENT_BYTES, have);
      uint8_t r[32];
      size_t chunks = i + 1 == one.layout.segments ? one.layout.last_segment_chunks : 1024;
      CHECK_OK(zg_merkle_segment_root(r, seg, dl, chunks));
      CHECK_MEM(r, s1.roots[i], 32);
      free(seg);
    }
    uint8_t tree_root[32];
    CHECK_OK(zg_merkle_root_of(tree_root, (const uint8_t(*)[32])s1.roots, s1.n));
    CHECK_MEM(tree_root, naive, 32);
    free(s1.roots);
    free(s2.roots);
    free(data);
  }
  zg_file_merkle_t b;
  zg_file_root_t r;
  zg_file_merkle_init(&b, NULL, NULL);
  CHECK_ERR(zg_file_merkle_final(&b, &r), ZG_EINVAL); /* empty file */
}

/* Roots computed by 0G's own SDK (@0gfoundation/0g-ts-sdk 1.2.8,
 * ZgFile.merkleTree()) for files of bytes (7i+3) mod 251. */
static void test_sdk_known_roots(void) {
  static const struct {
    size_t size;
    const char *root;
  } kat[] = {
      {1, "0x456984731866bd0928c2a0efc98f95f88930b7fadef782801f1de640cf131a21"},
      {256, "0x2bf5afe60432124bfd6de891e1c4ba47c5b8d0d21f2b3bea7db9e4b704d88e89"},
      {257, "0xfdfa8fbe60cbcebeb7761df0c5b7c340f8bcb205bf078a3dd2490e3247a0017b"},
      {4097 * 256, "0x7649fbcaf79885489145cba12ebba91211409debd7e5ac2b7f7326fb16fa0415"},
      {300000, "0x33489cbf8b54f9f0557618b50ebef9f0a2fcbe9617f29f64924a08b173b7ea59"},
  };
  for (size_t k = 0; k < sizeof kat / sizeof kat[0]; k++) {
    uint8_t *data = malloc(kat[k].size), want[32];
    for (size_t i = 0; i < kat[k].size; i++) data[i] = (uint8_t)((i * 7 + 3) % 251);
    zg_file_root_t r;
    CHECK_OK(zg_file_merkle_root(&r, data, kat[k].size, NULL, NULL));
    hex32(want, kat[k].root);
    CHECK_MEM(r.root, want, 32);
    free(data);
  }
}

/* Builds a file, its segment-root tree, and checks every segment's proof. */
static void check_file_proofs(size_t len, bool tamper) {
  uint8_t *data = malloc(len);
  zgt_rand_bytes(data, len);
  zg_file_root_t r;
  segs_t s = {.in_order = true};
  CHECK_OK(zg_file_merkle_root(&r, data, len, on_seg, &s));
  zg_merkle_tree_t *t;
  CHECK_OK(zg_merkle_tree_create(&t, (const uint8_t(*)[32])s.roots, s.n));
  CHECK_MEM(zg_merkle_tree_root(t), r.root, 32);
  zg_merkle_proof_t *p = malloc(sizeof *p), *q = malloc(sizeof *q);
  for (uint64_t i = 0; i < r.layout.data_segments; i++) {
    size_t dl;
    CHECK_OK(zg_segment_data_len(&dl, &r.layout, i));
    uint8_t *seg = calloc(1, dl);
    size_t have = len - i * ZG_SEGMENT_BYTES < dl ? len - i * ZG_SEGMENT_BYTES : dl;
    memcpy(seg, data + i * ZG_SEGMENT_BYTES, have);
    CHECK_OK(zg_merkle_tree_proof(p, t, i));
    bool ok = false;
    CHECK_OK(zg_segment_proof_verify(&ok, p, r.root, len, i, seg, dl));
    CHECK(ok);
    CHECK_OK(zg_merkle_proof_verify(&ok, p, s.roots[i], r.root, i, s.n));
    CHECK(ok);
    if (s.n == 1) CHECK(p->nlemma == 1 && p->npath == 0);
    uint64_t pos;
    zg_merkle_proof_position(&ok, &pos, p, s.n);
    CHECK(ok && pos == i);
    /* JSON and SSZ round trips. */
    zg_buf_t js, bin;
    zg_buf_init(&js);
    zg_buf_init(&bin);
    CHECK_OK(zg_merkle_proof_to_json(&js, p));
    CHECK_OK(zg_merkle_proof_from_json(q, (const char *)js.ptr, js.len));
    CHECK(q->nlemma == p->nlemma && q->npath == p->npath && !memcmp(q->lemma, p->lemma, 32 * p->nlemma) &&
          !memcmp(q->path, p->path, p->npath));
    CHECK_OK(zg_merkle_proof_encode(&bin, p));
    CHECK_OK(zg_merkle_proof_decode(q, bin.ptr, bin.len));
    CHECK(q->nlemma == p->nlemma && !memcmp(q->lemma, p->lemma, 32 * p->nlemma) &&
          !memcmp(q->path, p->path, p->npath));
    zg_buf_clear(&js);
    zg_buf_clear(&bin);
    if (tamper) {
      /* Every single-byte change of the lemma, every path flip, a data byte. */
      for (uint32_t k = 0; k < p->nlemma; k++) {
        *q = *p;
        q->lemma[k][zgt_rand_below(32)] ^= (uint8_t)(1 + zgt_rand_below(255));
        CHECK_OK(zg_segment_proof_verify(&ok, q, r.root, len, i, seg, dl));
        CHECK(!ok);
      }
      for (uint32_t k = 0; k < p->npath; k++) {
        *q = *p;
        q->path[k] = !q->path[k];
        CHECK_OK(zg_segment_proof_verify(&ok, q, r.root, len, i, seg, dl));
        CHECK(!ok);
      }
      seg[zgt_rand_below((uint32_t)have)] ^= 0x20;
      CHECK_OK(zg_segment_proof_verify(&ok, p, r.root, len, i, seg, dl));
      CHECK(!ok);
      CHECK_ERR(zg_segment_proof_verify(&ok, p, r.root, len, r.layout.data_segments, seg, dl), ZG_ERANGE);
      CHECK_ERR(zg_segment_proof_verify(&ok, p, r.root, len, i, seg, dl - 1), ZG_EBADLEN);
    }
    free(seg);
  }
  free(p);
  free(q);
  zg_merkle_tree_destroy(t);
  free(s.roots);
  free(data);
}

static void test_segment_proofs(void) {
  static const size_t sizes[] = {
      1, 255, 256, 257, 262143, 262144, 262145, 4097 * 256, 16 * 262144 - 1, 16 * 262144 + 1};
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) check_file_proofs(sizes[k], k < 8);
  for (long it = 0; it < zgt_iters(6); it++) check_file_proofs(random_size(), true);
}

/* A file with wholly padded segments: 16385 chunks pad to 18 segments, 17
 * hold data. A proof whose padding sibling (segment 17) is not Z[10] can be
 * made to fold to a forged root; the rear-padding rule rejects it. */
static void test_rear_padding(void) {
  size_t len = 16385 * 256;
  uint8_t *data = malloc(len);
  zgt_rand_bytes(data, len);
  zg_file_root_t r;
  segs_t s = {.in_order = true};
  CHECK_OK(zg_file_merkle_root(&r, data, len, on_seg, &s));
  CHECK_EQ(s.n, 18);
  CHECK_MEM(s.roots[17], zg_merkle_zero_hash(10), 32);
  zg_merkle_tree_t *t;
  zg_merkle_proof_t p;
  bool ok;
  uint8_t *seg = data + 16 * ZG_SEGMENT_BYTES;
  size_t dl = len - 16 * ZG_SEGMENT_BYTES; /* 256 bytes: the last data segment */
  CHECK_OK(zg_merkle_tree_create(&t, (const uint8_t(*)[32])s.roots, s.n));
  CHECK_OK(zg_merkle_tree_proof(&p, t, 16));
  CHECK_OK(zg_segment_proof_verify(&ok, &p, r.root, len, 16, seg, dl));
  CHECK(ok);
  zg_merkle_tree_destroy(t);
  s.roots[17][0] ^= 1; /* forged padding segment */
  CHECK_OK(zg_merkle_tree_create(&t, (const uint8_t(*)[32])s.roots, s.n));
  CHECK_OK(zg_merkle_tree_proof(&p, t, 16));
  bool chain;
  CHECK_OK(zg_merkle_proof_verify(&chain, &p, p.lemma[0], zg_merkle_tree_root(t), 16, 18));
  CHECK(chain); /* the hash chain alone is fine... */
  CHECK_OK(zg_segment_proof_verify(&ok, &p, zg_merkle_tree_root(t), len, 16, seg, dl));
  CHECK(!ok); /* ...but the padding sibling is not Z[10] */
  zg_merkle_tree_destroy(t);
  free(s.roots);
  free(data);
}

static void test_proof_decoding(void) {
  zg_merkle_proof_t p;
  const char *good =
      "{\"lemma\":[\"0x0000000000000000000000000000000000000000000000000000000000000001\"],\"path\":[]}";
  CHECK_OK(zg_merkle_proof_from_json(&p, good, strlen(good)));
  CHECK(p.nlemma == 1 && p.npath == 0 && p.lemma[0][31] == 1);
  static const char *bad[] = {
      "",
      "[]",
      "{\"lemma\":[],\"path\":[]}",
      "{\"lemma\":[\"0x01\"],\"path\":[]}",
      "{\"lemma\":[\"0x00\",\"0x00\"],\"path\":[]}",
      "{\"lemma\":[1],\"path\":[]}",
      "{\"lemma\":[\"0x0000000000000000000000000000000000000000000000000000000000000001\"],\"path\":[1]}",
      "{\"lemma\":[\"0x0000000000000000000000000000000000000000000000000000000000000001\"],\"path\":[true]}",
      "{\"path\":[]}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    CHECK(zg_merkle_proof_from_json(&p, bad[i], strlen(bad[i])) != ZG_OK);
  uint8_t bin[8 + 64 + 2] = {8, 0, 0, 0, 8 + 32, 0, 0, 0};
  CHECK_OK(zg_merkle_proof_decode(&p, bin, 8 + 32));
  CHECK_ERR(zg_merkle_proof_decode(&p, bin, 7), ZG_ETRUNC);
  bin[4] = 8 + 64;
  bin[8 + 64] = 2;
  CHECK_ERR(zg_merkle_proof_decode(&p, bin, sizeof bin), ZG_ENONCANON);
  bin[8 + 64] = 1;
  CHECK_ERR(zg_merkle_proof_decode(&p, bin, sizeof bin), ZG_EBADPROOF);     /* 2 lemma, 2 path */
  CHECK_ERR(zg_merkle_proof_decode(&p, bin, sizeof bin - 1), ZG_EBADPROOF); /* 2 lemma, 1 path */
  bin[0] = 9;
  CHECK_ERR(zg_merkle_proof_decode(&p, bin, sizeof bin - 1), ZG_EOFFSET);
}

/* The batch hashers (4-lane Keccak when the CPU has it) equal zg_keccak256,
 * for every count (full batches and scalar tails), in place too. */
static void test_batch_hash(void) {
  printf("  batch hashing: %s\n", zg__merkle_hash_impl());
  static uint8_t in[13 * 256], out[13][32], want[32], pairs[26][32];
  for (size_t n = 0; n <= 13; n++) {
    zgt_rand_bytes(in, sizeof in);
    zg__merkle_hash_leaves(out, in, n);
    for (size_t i = 0; i < n; i++) {
      zg_keccak256(want, in + 256 * i, 256);
      CHECK_MEM(out[i], want, 32);
    }
    zgt_rand_bytes(pairs, sizeof pairs);
    uint8_t copy[26][32];
    memcpy(copy, pairs, sizeof pairs);
    zg__merkle_hash_pairs(pairs, (const uint8_t(*)[32])pairs, n); /* in place */
    for (size_t i = 0; i < n; i++) {
      zg_keccak256_pair(want, copy[2 * i], copy[2 * i + 1]);
      CHECK_MEM(pairs[i], want, 32);
    }
  }
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_zero_hashes);
  ZGT_RUN(test_batch_hash);
  ZGT_RUN(test_layout);
  ZGT_RUN(test_streaming_vs_naive);
  ZGT_RUN(test_sdk_known_roots);
  ZGT_RUN(test_segment_proofs);
  ZGT_RUN(test_rear_padding);
  ZGT_RUN(test_proof_decoding);
  return zgt_done();
}

/*
 * bench_merkle.c — the 0G Merkle layer: file roots (MB/s against the Keccak
 * bound: per 256-byte sector one 256-byte leaf hash plus about one 64-byte
 * node hash, see merkle_leaf_256 and merkle_node_64), segment roots, proof
 * verification, and flow appends.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "zg/flow.h"
#include "zg/hash.h"
#include "zg/merkle.h"

static uint8_t *filled(size_t n) {
  uint8_t *p = malloc(n);
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(i * 131 + (i >> 9));
  return p;
}

ZG_BENCH(merkle_leaf_256) {
  uint8_t in[256] = {1}, out[32];
  b->bytes_per_op = 256;
  while (zg_bench_loop(b)) {
    zg_keccak256(out, in, 256);
    in[0] = out[0];
  }
}

ZG_BENCH(merkle_node_64) {
  uint8_t a[32] = {1}, c[32] = {2};
  while (zg_bench_loop(b)) zg_keccak256_pair(a, a, c);
  ZG_BENCH_KEEP(a[0]);
}

ZG_BENCH(merkle_file_root_64mib) {
  size_t n = 64u << 20;
  uint8_t *d = filled(n);
  zg_file_root_t r;
  b->bytes_per_op = n;
  while (zg_bench_loop(b)) {
    if (zg_file_merkle_root(&r, d, n, NULL, NULL) != ZG_OK) abort();
    d[0] ^= r.root[0];
  }
  free(d);
}

ZG_BENCH(merkle_segment_root) {
  uint8_t *d = filled(ZG_SEGMENT_BYTES), out[32];
  b->bytes_per_op = ZG_SEGMENT_BYTES;
  while (zg_bench_loop(b)) {
    if (zg_merkle_segment_root(out, d, ZG_SEGMENT_BYTES, 0) != ZG_OK) abort();
    d[0] ^= out[0];
  }
  free(d);
}

/* A proof over the segment-root tree of a 10 GiB file (40,960 segments). */
ZG_BENCH(merkle_proof_verify) {
  uint64_t n = 40960;
  uint8_t(*leaves)[32] = malloc(n * 32);
  for (uint64_t i = 0; i < n; i++) memset(leaves[i], (int)(i & 0xff), 32);
  zg_merkle_tree_t *t;
  zg_merkle_proof_t p;
  if (zg_merkle_tree_create(&t, (const uint8_t(*)[32])leaves, n) != ZG_OK) abort();
  if (zg_merkle_tree_proof(&p, t, 12345) != ZG_OK) abort();
  bool ok = false;
  while (zg_bench_loop(b))
    if (zg_merkle_proof_verify(&ok, &p, leaves[12345], zg_merkle_tree_root(t), 12345, n) != ZG_OK || !ok)
      abort();
  zg_merkle_tree_destroy(t);
  free(leaves);
}

/* The node's full upload check of one 256 KiB segment (root + proof + padding rule). */
ZG_BENCH(merkle_segment_verify) {
  size_t len = 20u * ZG_SEGMENT_BYTES;
  uint8_t *d = filled(len);
  zg_file_root_t r;
  uint8_t roots[20][32];
  for (int i = 0; i < 20; i++)
    if (zg_merkle_segment_root(roots[i], d + (size_t)i * ZG_SEGMENT_BYTES, ZG_SEGMENT_BYTES, 0) != ZG_OK)
      abort();
  if (zg_file_merkle_root(&r, d, len, NULL, NULL) != ZG_OK) abort();
  zg_merkle_tree_t *t;
  zg_merkle_proof_t p;
  if (zg_merkle_tree_create(&t, (const uint8_t(*)[32])roots, 20) != ZG_OK) abort();
  if (zg_merkle_tree_proof(&p, t, 7) != ZG_OK) abort();
  bool ok = false;
  b->bytes_per_op = ZG_SEGMENT_BYTES;
  while (zg_bench_loop(b))
    if (zg_segment_proof_verify(&ok, &p, r.root, len, 7, d + 7 * ZG_SEGMENT_BYTES, ZG_SEGMENT_BYTES) !=
            ZG_OK ||
        !ok)
      abort();
  zg_merkle_tree_destroy(t);
  free(d);
}

/* One two-node submission (4096 + 512 sectors) per op. */
ZG_BENCH(flow_append) {
  zg_flow_t f;
  zg_flow_init(&f);
  zg_merkle_node_t n[2] = {{{1}, 12}, {{2}, 9}};
  zg_flow_append_t res;
  while (zg_bench_loop(b)) {
    if (f.length > (1ull << 60)) zg_flow_init(&f);
    if (zg_flow_append(&f, &res, n, 2) != ZG_OK) abort();
    n[0].root[0]++;
  }
  ZG_BENCH_KEEP(res.start_pos);
}

ZG_BENCH(flow_root) {
  zg_flow_t f;
  zg_flow_init(&f);
  zg_merkle_node_t n = {{1}, 3};
  zg_flow_append_t res;
  for (int i = 0; i < 1000; i++)
    if (zg_flow_append(&f, &res, &n, 1) != ZG_OK) abort();
  uint8_t out[32];
  while (zg_bench_loop(b)) zg_flow_root(&f, out);
  ZG_BENCH_KEEP(out[0]);
}

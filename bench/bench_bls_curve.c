/*
 * bench_bls_curve.c — BLS12-381 group benchmarks: scalar multiplication
 * (constant-time and variable-time, G1 and G2), addition, deserialization
 * with its subgroup check, and multi-scalar multiplication at the sizes KZG
 * and batch verification use. Inputs are deterministic pseudo-random
 * points (k*G for scalars from a fixed xorshift stream).
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "zg/bls12_381.h"

static uint64_t bench_state = 0x243f6a8885a308d3ull;

static void bench_fr(zg_fr_t *k) {
  uint8_t buf[64];
  for (size_t i = 0; i < sizeof buf; i++) {
    bench_state ^= bench_state << 13;
    bench_state ^= bench_state >> 7;
    bench_state ^= bench_state << 17;
    buf[i] = (uint8_t)bench_state;
  }
  zg_fr_from_be_reduce(k, buf, sizeof buf);
}

static void bench_g1_point(zg_g1_t *p) {
  zg_fr_t k;
  zg_g1_t g;
  bench_fr(&k);
  zg_g1_generator(&g);
  zg_g1_mul_var(p, &g, &k);
  zg_g1_normalize(p);
}

static void bench_g2_point(zg_g2_t *p) {
  zg_fr_t k;
  zg_g2_t g;
  bench_fr(&k);
  zg_g2_generator(&g);
  zg_g2_mul_var(p, &g, &k);
  zg_g2_normalize(p);
}

ZG_BENCH(bls_g1_mul) {
  zg_g1_t p;
  zg_fr_t k;
  bench_g1_point(&p);
  bench_fr(&k);
  while (zg_bench_loop(b)) zg_g1_mul(&p, &p, &k);
  ZG_BENCH_KEEP(p.x.l[0]);
}

ZG_BENCH(bls_g1_mul_var) {
  zg_g1_t p;
  zg_fr_t k;
  bench_g1_point(&p);
  bench_fr(&k);
  while (zg_bench_loop(b)) zg_g1_mul_var(&p, &p, &k);
  ZG_BENCH_KEEP(p.x.l[0]);
}

ZG_BENCH(bls_g2_mul) {
  zg_g2_t p;
  zg_fr_t k;
  bench_g2_point(&p);
  bench_fr(&k);
  while (zg_bench_loop(b)) zg_g2_mul(&p, &p, &k);
  ZG_BENCH_KEEP(p.x.c0.l[0]);
}

ZG_BENCH(bls_g2_mul_var) {
  zg_g2_t p;
  zg_fr_t k;
  bench_g2_point(&p);
  bench_fr(&k);
  while (zg_bench_loop(b)) zg_g2_mul_var(&p, &p, &k);
  ZG_BENCH_KEEP(p.x.c0.l[0]);
}

ZG_BENCH(bls_g1_add) {
  zg_g1_t p, q;
  bench_g1_point(&p);
  bench_g1_point(&q);
  zg_g1_dbl(&q, &q); /* Z != 1 on both sides */
  zg_g1_add(&p, &p, &q);
  while (zg_bench_loop(b)) zg_g1_add(&p, &p, &q);
  ZG_BENCH_KEEP(p.x.l[0]);
}

ZG_BENCH(bls_g2_add) {
  zg_g2_t p, q;
  bench_g2_point(&p);
  bench_g2_point(&q);
  zg_g2_dbl(&q, &q);
  zg_g2_add(&p, &p, &q);
  while (zg_bench_loop(b)) zg_g2_add(&p, &p, &q);
  ZG_BENCH_KEEP(p.x.c0.l[0]);
}

ZG_BENCH(bls_g1_deserialize) {
  zg_g1_t p;
  uint8_t enc[48];
  bench_g1_point(&p);
  zg_g1_serialize(enc, &p);
  while (zg_bench_loop(b)) {
    if (zg_g1_deserialize(&p, enc, sizeof enc) != ZG_OK) abort();
  }
  ZG_BENCH_KEEP(p.x.l[0]);
}

ZG_BENCH(bls_g2_deserialize) {
  zg_g2_t p;
  uint8_t enc[96];
  bench_g2_point(&p);
  zg_g2_serialize(enc, &p);
  while (zg_bench_loop(b)) {
    if (zg_g2_deserialize(&p, enc, sizeof enc) != ZG_OK) abort();
  }
  ZG_BENCH_KEEP(p.x.c0.l[0]);
}

ZG_BENCH(bls_g1_in_subgroup) {
  zg_g1_t p;
  bench_g1_point(&p);
  bool ok = true;
  while (zg_bench_loop(b)) ok &= zg_g1_in_subgroup(&p);
  ZG_BENCH_KEEP(ok);
}

ZG_BENCH(bls_g2_in_subgroup) {
  zg_g2_t p;
  bench_g2_point(&p);
  bool ok = true;
  while (zg_bench_loop(b)) ok &= zg_g2_in_subgroup(&p);
  ZG_BENCH_KEEP(ok);
}

/* Affine (Z = 1) points, as a KZG setup holds them, and random scalars. */
static void bench_g1_msm(zg_bench_t *b, size_t n) {
  zg_g1_t *pts = malloc(n * sizeof *pts), r;
  zg_fr_t *ks = malloc(n * sizeof *ks);
  void *scratch = malloc(zg_g1_msm_scratch_size(n));
  if (!pts || !ks || !scratch) abort();
  bench_g1_point(&pts[0]);
  for (size_t i = 1; i < n; i++) zg_g1_add(&pts[i], &pts[i - 1], &pts[0]);
  zg_g1_normalize_batch(pts, n);
  for (size_t i = 0; i < n; i++) bench_fr(&ks[i]);
  while (zg_bench_loop(b)) zg_g1_msm_var(&r, pts, ks, n, scratch);
  ZG_BENCH_KEEP(r.x.l[0]);
  free(pts);
  free(ks);
  free(scratch);
}

static void bench_g2_msm(zg_bench_t *b, size_t n) {
  zg_g2_t *pts = malloc(n * sizeof *pts), r;
  zg_fr_t *ks = malloc(n * sizeof *ks);
  void *scratch = malloc(zg_g2_msm_scratch_size(n));
  if (!pts || !ks || !scratch) abort();
  bench_g2_point(&pts[0]);
  for (size_t i = 1; i < n; i++) zg_g2_add(&pts[i], &pts[i - 1], &pts[0]);
  zg_g2_normalize_batch(pts, n);
  for (size_t i = 0; i < n; i++) bench_fr(&ks[i]);
  while (zg_bench_loop(b)) zg_g2_msm_var(&r, pts, ks, n, scratch);
  ZG_BENCH_KEEP(r.x.c0.l[0]);
  free(pts);
  free(ks);
  free(scratch);
}

ZG_BENCH(bls_g1_msm_8) { bench_g1_msm(b, 8); }
ZG_BENCH(bls_g1_msm_64) { bench_g1_msm(b, 64); }
ZG_BENCH(bls_g1_msm_4096) { bench_g1_msm(b, 4096); }
ZG_BENCH(bls_g2_msm_128) { bench_g2_msm(b, 128); }

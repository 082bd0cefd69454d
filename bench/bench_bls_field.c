/*
 * bench_bls_field.c — BLS12-381 field and pairing benchmarks: Fp, Fr, Fp2,
 * Fp12 arithmetic, the Miller loop, the final exponentiation and pairings.
 */
#include <string.h>

#include "bench.h"
#include "crypto/bls_field.h"
#include "crypto/bls_fp12.h"

static zg_fp_t bench_fp(uint64_t seed) {
  uint8_t b[64];
  zg_fp_t r;
  for (int i = 0; i < 64; i++) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    b[i] = (uint8_t)(seed >> 56);
  }
  zg__fp_from_be64_reduce(&r, b);
  return r;
}

ZG_BENCH(bls_fp_mul) {
  zg_fp_t a = bench_fp(1), c = bench_fp(2);
  while (zg_bench_loop(b)) zg__fp_mul(&a, &a, &c);
  ZG_BENCH_KEEP(a.l[0]);
}

ZG_BENCH(bls_fp_sqr) {
  zg_fp_t a = bench_fp(3);
  while (zg_bench_loop(b)) zg__fp_sqr(&a, &a);
  ZG_BENCH_KEEP(a.l[0]);
}

ZG_BENCH(bls_fp_inv) {
  zg_fp_t a = bench_fp(4);
  while (zg_bench_loop(b)) zg__fp_inv(&a, &a);
  ZG_BENCH_KEEP(a.l[0]);
}

ZG_BENCH(bls_fr_mul) {
  zg_fr_t a, c;
  zg_fr_from_u64(&a, 0x1234567890abcdefull);
  zg_fr_from_u64(&c, 0xfedcba0987654321ull);
  zg_fr_inv(&c, &c);
  while (zg_bench_loop(b)) zg_fr_mul(&a, &a, &c);
  ZG_BENCH_KEEP(a.l[0]);
}

static zg_fp2_t bench_fp2(uint64_t seed) {
  zg_fp2_t r;
  r.c0 = bench_fp(seed);
  r.c1 = bench_fp(seed + 1000);
  return r;
}

static zg_fp12_t bench_fp12(uint64_t seed) {
  zg_fp12_t r;
  zg_fp2_t *c = (zg_fp2_t *)&r;
  for (int i = 0; i < 6; i++) c[i] = bench_fp2(seed + 7 * (uint64_t)i);
  return r;
}

ZG_BENCH(bls_fp2_mul) {
  zg_fp2_t a = bench_fp2(5), c = bench_fp2(6);
  while (zg_bench_loop(b)) zg__fp2_mul(&a, &a, &c);
  ZG_BENCH_KEEP(a.c0.l[0]);
}

ZG_BENCH(bls_fp2_sqr) {
  zg_fp2_t a = bench_fp2(7);
  while (zg_bench_loop(b)) zg__fp2_sqr(&a, &a);
  ZG_BENCH_KEEP(a.c0.l[0]);
}

ZG_BENCH(bls_fp12_mul) {
  zg_fp12_t a = bench_fp12(8), c = bench_fp12(9);
  while (zg_bench_loop(b)) zg__fp12_mul(&a, &a, &c);
  ZG_BENCH_KEEP(a.c0.c0.c0.l[0]);
}

ZG_BENCH(bls_fp12_sqr) {
  zg_fp12_t a = bench_fp12(10);
  while (zg_bench_loop(b)) zg__fp12_sqr(&a, &a);
  ZG_BENCH_KEEP(a.c0.c0.c0.l[0]);
}

/* The generators, as affine points (Montgomery form computed at set-up). */
static void bench_generators(zg_g1_t *p, zg_g2_t *q) {
  static const char *hex[6] = {
      "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb",
      "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1",
      "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
      "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e",
      "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
      "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"};
  zg_fp_t v[6];
  for (int k = 0; k < 6; k++) {
    uint8_t buf[48];
    for (int i = 0; i < 48; i++) {
      unsigned x = 0;
      for (int j = 0; j < 2; j++) {
        char ch = hex[k][2 * i + j];
        x = x * 16 + (unsigned)(ch <= '9' ? ch - '0' : ch - 'a' + 10);
      }
      buf[i] = (uint8_t)x;
    }
    if (zg__fp_from_be48(&v[k], buf) != ZG_OK) v[k] = zg__fp_zero;
  }
  p->x = v[0], p->y = v[1], p->z = zg__fp_one;
  q->x.c0 = v[2], q->x.c1 = v[3], q->y.c0 = v[4], q->y.c1 = v[5], q->z = zg__fp2_one;
}

ZG_BENCH(bls_miller_loop) {
  zg_g1_t p;
  zg_g2_t q;
  zg__miller_pair_t mp;
  zg_fp12_t f;
  bench_generators(&p, &q);
  mp.p.x = p.x, mp.p.y = p.y, mp.q.x = q.x, mp.q.y = q.y;
  while (zg_bench_loop(b)) zg__bls_miller_loop(&f, &mp, 1);
  ZG_BENCH_KEEP(f.c0.c0.c0.l[0]);
}

ZG_BENCH(bls_final_exp) {
  zg_fp12_t f = bench_fp12(11);
  while (zg_bench_loop(b)) zg__bls_final_exp(&f, &f);
  ZG_BENCH_KEEP(f.c0.c0.c0.l[0]);
}

ZG_BENCH(bls_pairing) {
  zg_g1_t p;
  zg_g2_t q;
  zg_gt_t e;
  bench_generators(&p, &q);
  while (zg_bench_loop(b)) zg_pairing(&e, &p, &q);
  ZG_BENCH_KEEP(e.v.c0.c0.c0.l[0]);
}

ZG_BENCH(bls_multi_pairing_2) {
  zg_g1_t p[2];
  zg_g2_t q[2];
  zg_gt_t e;
  static uint8_t scratch[4096] __attribute__((aligned(16)));
  bench_generators(&p[0], &q[0]);
  p[1] = p[0], q[1] = q[0];
  zg__fp_neg(&p[1].y, &p[1].y);
  if (zg_multi_pairing_scratch_size(2) > sizeof scratch) return;
  while (zg_bench_loop(b)) zg_multi_pairing(&e, p, q, 2, scratch);
  ZG_BENCH_KEEP(e.v.c0.c0.c0.l[0]);
}

ZG_BENCH(bls_fp_sqrt) {
  zg_fp_t a = bench_fp(12), r;
  zg__fp_sqr(&a, &a);
  while (zg_bench_loop(b)) ZG_BENCH_KEEP(zg__fp_sqrt(&r, &a));
}

ZG_BENCH(bls_fp2_sqrt) {
  zg_fp2_t a = bench_fp2(13), r;
  zg__fp2_sqr(&a, &a);
  while (zg_bench_loop(b)) ZG_BENCH_KEEP(zg__fp2_sqrt(&r, &a));
}

ZG_BENCH(bls_fr_inv) {
  zg_fr_t a;
  zg_fr_from_u64(&a, 0x1234567890abcdefull);
  while (zg_bench_loop(b)) zg_fr_inv(&a, &a);
  ZG_BENCH_KEEP(a.l[0]);
}

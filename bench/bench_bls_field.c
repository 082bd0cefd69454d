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

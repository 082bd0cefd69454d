/*
 * bench_hash.c — hash and signature benchmarks: Keccak-256 at the sizes the
 * chain uses (32-byte words, 64-byte Merkle nodes) and in bulk, the raw
 * permutation (ours and Nettle's, to justify the choice), SHA-256, BLAKE2b,
 * and the libsodium / libsecp256k1 signature wrappers.
 */
#include <nettle/sha3.h>
#include <string.h>

#include "bench.h"
#include "zg/hash.h"

static void bench_keccak(zg_bench_t *b, size_t n) {
  static uint8_t in[1 << 20];
  uint8_t out[32];
  memset(in, 0x3c, n);
  b->bytes_per_op = n;
  while (zg_bench_loop(b)) {
    zg_keccak256(out, in, n);
    in[0] = out[0]; /* chain the calls so none can be skipped */
  }
}

ZG_BENCH(keccak256_16) { bench_keccak(b, 16); }
ZG_BENCH(keccak256_32) { bench_keccak(b, 32); }
ZG_BENCH(keccak256_64) { bench_keccak(b, 64); }
ZG_BENCH(keccak256_1k) { bench_keccak(b, 1024); }
ZG_BENCH(keccak256_16k) { bench_keccak(b, 16384); }
ZG_BENCH(keccak256_1m) { bench_keccak(b, 1 << 20); }

ZG_BENCH(keccak256_pair) {
  uint8_t a[32] = {1}, c[32] = {2};
  while (zg_bench_loop(b)) zg_keccak256_pair(a, a, c);
  ZG_BENCH_KEEP(a[0]);
}

ZG_BENCH(keccakf1600_zg) {
  uint64_t st[25] = {0};
  while (zg_bench_loop(b)) zg_keccakf1600(st);
  ZG_BENCH_KEEP(st[0]);
}

ZG_BENCH(keccakf1600_nettle) {
  struct sha3_state st;
  memset(&st, 0, sizeof st);
  while (zg_bench_loop(b)) nettle_sha3_permute(&st);
  ZG_BENCH_KEEP(st.a[0]);
}

ZG_BENCH(sha256_64) {
  uint8_t in[64] = {7}, out[32];
  while (zg_bench_loop(b)) {
    zg_sha256(out, in, sizeof in);
    in[0] = out[0];
  }
}

ZG_BENCH(sha256_1m) {
  static uint8_t in[1 << 20];
  uint8_t out[32];
  b->bytes_per_op = sizeof in;
  while (zg_bench_loop(b)) {
    zg_sha256(out, in, sizeof in);
    in[0] = out[0];
  }
}

ZG_BENCH(blake2b512_64) {
  uint8_t in[64] = {7}, out[64];
  while (zg_bench_loop(b)) {
    zg_blake2b512(out, in, sizeof in);
    in[0] = out[0];
  }
}

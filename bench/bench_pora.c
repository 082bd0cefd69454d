/*
 * bench_pora.c — PoRA costs per core (zg/pora.h): seal and unseal of 4 KiB
 * units (MB/s), the 16 KiB scratchpad, the quality of one seal, one whole
 * iteration over an in-memory load (the miner's rate without disk I/O:
 * scratchpad + 64 seal qualities), and the Mine contract's answer check
 * (unseal, Merkle fold, one scratchpad and one quality) as recomputed
 * outside the contract.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "zg/flow.h"
#include "zg/hash.h"
#include "zg/pora.h"

static const uint8_t ID[32] = {1, 2, 3}, CTX[32] = {4, 5, 6};

ZG_BENCH(pora_seal_4k) {
  uint8_t d[ZG_PORA_SEAL_BYTES];
  memset(d, 7, sizeof d);
  b->bytes_per_op = sizeof d;
  uint64_t s = 0;
  while (zg_bench_loop(b)) zg_pora_seal(d, ID, CTX, s += 16);
  ZG_BENCH_KEEP(d[0]);
}

ZG_BENCH(pora_unseal_4k) {
  uint8_t d[ZG_PORA_SEAL_BYTES];
  memset(d, 7, sizeof d);
  b->bytes_per_op = sizeof d;
  uint64_t s = 0;
  while (zg_bench_loop(b)) zg_pora_unseal(d, ID, CTX, s += 16);
  ZG_BENCH_KEEP(d[0]);
}

ZG_BENCH(pora_scratchpad_16k) {
  static uint8_t pad[ZG_PORA_PAD_BYTES];
  uint8_t seed[64] = {9}, rs[32];
  while (zg_bench_loop(b)) {
    zg_pora_scratchpad(pad, rs, seed);
    seed[0] = rs[0];
  }
}

ZG_BENCH(pora_quality_1seal) {
  static uint8_t pad[ZG_PORA_PAD_BYTES], seal[ZG_PORA_SEAL_BYTES];
  uint8_t seed[64] = {9}, q[32];
  uint32_t k = 0;
  while (zg_bench_loop(b)) {
    zg_pora_quality(q, seed, k++ & 63, seal, pad);
    seed[0] = q[0];
  }
}

static zg_err_t mem_load(void *arg, uint8_t *out, bool avail[ZG_PORA_SEALS_PER_LOAD], uint64_t start) {
  (void)avail;
  const uint8_t *disk = arg;
  memcpy(out, disk + (start % (4 * ZG_PORA_LOAD_SECTORS)) * 256, ZG_PORA_LOAD_BYTES);
  return ZG_OK;
}

/* One iteration = one nonce: what "PoRA iterations/s per core" counts. */
ZG_BENCH(pora_iteration) {
  uint8_t *disk = malloc(4 * ZG_PORA_LOAD_BYTES);
  zg_pora_scratch_t *s = malloc(sizeof *s);
  for (size_t i = 0; i < 4 * ZG_PORA_LOAD_BYTES; i++) disk[i] = (uint8_t)(i * 31);
  zg_pora_range_t r = {0, 4 * ZG_PORA_LOAD_SECTORS, 0, ~0ull};
  zg_u256_t t = zg_u256_from_u64(0);
  uint8_t nonce[32] = {0}, sub[32] = {1};
  zg_pora_result_t res;
  uint64_t i = 0;
  while (zg_bench_loop(b)) {
    zg_store_be64(nonce + 24, i++);
    if (zg_pora_iterate(&res, s, ID, nonce, sub, &r, &t, mem_load, disk) != ZG_OK) abort();
  }
  free(s);
  free(disk);
}

/* The contract-side check of one answer, minus ABI decoding and storage. */
ZG_BENCH(pora_verify_answer) {
  static uint8_t pad[ZG_PORA_PAD_BYTES];
  uint8_t seal[ZG_PORA_SEAL_BYTES], data[ZG_PORA_SEAL_BYTES], leaves[16][32], sib[30][32], root[32];
  uint8_t seed[64] = {9}, rs[32], q[32], rd[32];
  memset(seal, 3, sizeof seal);
  memset(sib, 5, sizeof sib);
  memset(root, 0, 32);
  zg_pora_range_t r = {0, 1ull << 30, 0, ~0ull};
  while (zg_bench_loop(b)) {
    memcpy(data, seal, sizeof data);
    zg_pora_unseal(data, ID, CTX, 1024);
    for (int i = 0; i < 16; i++) zg_flow_leaf_hash(leaves[i], 1024 + i, data + 256 * i, 256);
    for (int n = 16; n > 1; n /= 2)
      for (int i = 0; i < n / 2; i++) zg_keccak256_pair(leaves[i], leaves[2 * i], leaves[2 * i + 1]);
    ZG_BENCH_KEEP(zg_flow_fold_siblings(leaves[0], (const uint8_t(*)[32])sib, 30, 64, root));
    zg_pora_range_digest(rd, &r);
    zg_pora_pad_seed(seed, ID, seed, rd, rd);
    zg_pora_scratchpad(pad, rs, seed);
    zg_pora_quality(q, seed, 3, seal, pad);
    seal[0] ^= q[0];
  }
}

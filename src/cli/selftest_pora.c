/* selftest_pora.c — self-test section for PoRA (zg/pora.h): seal/unseal
 * round trips with their speed, PoRA iterations per second over an
 * in-memory load, and that a miner holding other data finds other
 * qualities than one holding the sealed flow. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "zg/bytes.h"
#include "zg/log.h"
#include "zg/pora.h"

static zg_err_t st_load(void *arg, uint8_t *out, bool avail[ZG_PORA_SEALS_PER_LOAD], uint64_t start) {
  (void)avail;
  memcpy(out, (const uint8_t *)arg + start * 256, ZG_PORA_LOAD_BYTES);
  return ZG_OK;
}

ZG_SELFTEST(pora_seal_mine) {
  bool ok = true;
  enum { LOADS = 4, SEALS = LOADS * ZG_PORA_SEALS_PER_LOAD };
  uint8_t *flow = malloc((size_t)LOADS * ZG_PORA_LOAD_BYTES), *plain = malloc((size_t)LOADS * ZG_PORA_LOAD_BYTES);
  zg_pora_scratch_t *s = malloc(sizeof *s);
  uint8_t id[32], ctx[32], sub[32], nonce[32] = {0};
  if (!flow || !plain || !s) {
    free(flow);
    free(plain);
    free(s);
    return false;
  }
  ZG_ST_CHECK(ok, zg_random_bytes(plain, (size_t)LOADS * ZG_PORA_LOAD_BYTES) == ZG_OK);
  ZG_ST_CHECK(ok, zg_random_bytes(id, 32) == ZG_OK && zg_random_bytes(ctx, 32) == ZG_OK);
  ZG_ST_CHECK(ok, zg_random_bytes(sub, 32) == ZG_OK);
  memcpy(flow, plain, (size_t)LOADS * ZG_PORA_LOAD_BYTES);
  uint64_t t = zg_clock_ns();
  for (unsigned i = 0; i < SEALS; i++) zg_pora_seal(flow + (size_t)i * ZG_PORA_SEAL_BYTES, id, ctx, 16ull * i);
  double seal_mbs = (double)SEALS * ZG_PORA_SEAL_BYTES * 1e3 / (double)(zg_clock_ns() - t);
  uint8_t seal[ZG_PORA_SEAL_BYTES];
  t = zg_clock_ns();
  for (unsigned i = 0; i < SEALS; i++) {
    memcpy(seal, flow + (size_t)i * ZG_PORA_SEAL_BYTES, sizeof seal);
    zg_pora_unseal(seal, id, ctx, 16ull * i);
    if (memcmp(seal, plain + (size_t)i * ZG_PORA_SEAL_BYTES, sizeof seal) != 0) ok = false;
  }
  double unseal_mbs = (double)SEALS * ZG_PORA_SEAL_BYTES * 1e3 / (double)(zg_clock_ns() - t);
  printf("   sealed and unsealed %u x 4 KiB: seal %.1f MB/s, unseal %.1f MB/s (one core)\n", (unsigned)SEALS,
         seal_mbs, unseal_mbs);
  zg_pora_range_t r = {0, LOADS * ZG_PORA_LOAD_SECTORS, 0, ~0ull};
  zg_u256_t target;
  zg_pora_target_from_difficulty(&target, 1);
  zg_pora_result_t a, b;
  int iters = 64;
  t = zg_clock_ns();
  for (int i = 0; i < iters; i++) {
    zg_store_be64(nonce + 24, (uint64_t)i);
    ZG_ST_CHECK(ok, zg_pora_iterate(&a, s, id, nonce, sub, &r, &target, st_load, flow) == ZG_OK);
  }
  double per_s = iters * 1e9 / (double)(zg_clock_ns() - t);
  printf("   %d PoRA iterations (scratchpad + 64 seal qualities each): %.0f iterations/s (one core)\n", iters,
         per_s);
  /* The unsealed copy yields other qualities for the same nonce. */
  ZG_ST_CHECK(ok, zg_pora_iterate(&b, s, id, nonce, sub, &r, &target, st_load, plain) == ZG_OK);
  ZG_ST_CHECK(ok, a.recall_position / ZG_PORA_LOAD_SECTORS == b.recall_position / ZG_PORA_LOAD_SECTORS);
  ZG_ST_CHECK(ok, memcmp(a.quality, b.quality, 32) != 0);
  printf("   the same nonce over unsealed data recalls the same load and scores differently\n");
  free(flow);
  free(plain);
  free(s);
  return ok;
}

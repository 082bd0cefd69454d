/*
 * test_pora.c — PoRA math (zg/pora.h): seal/unseal round trips and the
 * chained-mask definition, range digest and pad seed against their ABI
 * definitions, the scratchpad recurrence, recall positions inside the
 * shard, the mining range rules one by one, scaled targets, difficulty
 * adjustment (steady state, clamps, empty epochs, min difficulty), u256
 * division against multiplication, and a whole iteration over an in-memory
 * load.
 */
#include <stdlib.h>

#include "zg/hash.h"
#include "zg/pora.h"
#include "zg_test.h"

static void test_seal_roundtrip(void) {
  uint8_t id[32], ctx[32], data[ZG_PORA_SEAL_BYTES], orig[ZG_PORA_SEAL_BYTES];
  for (long it = 0; it < zgt_iters(50); it++) {
    zgt_rand_bytes(id, 32);
    zgt_rand_bytes(ctx, 32);
    zgt_rand_bytes(orig, sizeof orig);
    uint64_t s = zgt_rand64() & ~15ull;
    memcpy(data, orig, sizeof data);
    zg_pora_seal(data, id, ctx, s);
    CHECK(memcmp(data, orig, sizeof data) != 0);
    /* Definition: w0' = w0 ^ keccak(id ‖ ctx ‖ u256(s)); w1' = w1 ^ keccak(w0'). */
    uint8_t in[96], m[32];
    memcpy(in, id, 32);
    memcpy(in + 32, ctx, 32);
    memset(in + 64, 0, 24);
    zg_store_be64(in + 88, s);
    zg_keccak256(m, in, 96);
    for (int j = 0; j < 32; j++) CHECK_EQ(data[j], orig[j] ^ m[j]);
    zg_keccak256(m, data, 32);
    for (int j = 0; j < 32; j++) CHECK_EQ(data[32 + j], orig[32 + j] ^ m[j]);
    /* Another miner, context or position unseals to something else. */
    uint8_t other[ZG_PORA_SEAL_BYTES];
    memcpy(other, data, sizeof other);
    zg_pora_unseal(other, id, ctx, s + 16);
    CHECK(memcmp(other, orig, 32) != 0);
    zg_pora_unseal(data, id, ctx, s);
    CHECK_MEM(data, orig, sizeof data);
  }
}

static void test_digests(void) {
  zg_pora_range_t r = {1ull << 25, 3ull << 20, 5, 0xfffffffffffffff0ull};
  uint8_t d[32], in[128], e[32];
  memset(in, 0, sizeof in);
  zg_store_be64(in + 24, r.start);
  zg_store_be64(in + 56, r.mine_length);
  zg_store_be64(in + 88, r.shard_id);
  zg_store_be64(in + 120, r.shard_mask);
  zg_keccak256(e, in, 128);
  zg_pora_range_digest(d, &r);
  CHECK_MEM(d, e, 32);

  uint8_t id[32], nonce[32], sub[32], seed[64], seed2[64];
  zgt_rand_bytes(id, 32);
  zgt_rand_bytes(nonce, 32);
  zgt_rand_bytes(sub, 32);
  memcpy(in, id, 32);
  memcpy(in + 32, nonce, 32);
  memcpy(in + 64, sub, 32);
  memcpy(in + 96, d, 32);
  zg_blake2b512(seed2, in, 128);
  zg_pora_pad_seed(seed, id, nonce, sub, d);
  CHECK_MEM(seed, seed2, 64);

  /* Scratchpad recurrence, cell by cell. */
  static uint8_t pad[ZG_PORA_PAD_BYTES];
  uint8_t recall[32], x[64], rs[32];
  zg_pora_scratchpad(pad, recall, seed);
  memcpy(x, seed, 64);
  for (unsigned c = 0; c < ZG_PORA_PAD_CELLS; c++) {
    uint8_t t[64];
    zg_keccak256(t, x, 64);
    memcpy(x, t, 32);
    zg_keccak256(t + 32, x, 64);
    memcpy(x + 32, t + 32, 32);
    CHECK_MEM(pad + 64 * c, x, 64);
  }
  zg_keccak256(rs, x, 64);
  CHECK_MEM(recall, rs, 32);
}

static void test_recall(void) {
  uint8_t seed[32];
  for (long it = 0; it < zgt_iters(2000); it++) {
    zgt_rand_bytes(seed, 32);
    unsigned bits = zgt_rand_below(4);
    uint64_t shards = 1ull << bits, mask = ~(shards - 1), id = zgt_rand64() & (shards - 1);
    uint64_t loads = shards * (1 + zgt_rand_below(100));
    zg_pora_range_t r = {zgt_rand_below(4) * ZG_PORA_PRICING_SECTORS, loads * 1024, id, mask};
    uint64_t pos;
    zg_err_t e = zg_pora_recall_position(&pos, seed, &r);
    CHECK_OK(e);
    CHECK(pos >= r.start && pos < r.start + r.mine_length);
    CHECK_EQ((pos - r.start) % 1024, 0);
    CHECK_EQ(((pos - r.start) / 1024) % shards, id); /* the miner's shard only */
  }
  zg_pora_range_t r0 = {0, 1000, 0, ~0ull};
  uint64_t pos;
  CHECK_ERR(zg_pora_recall_position(&pos, seed, &r0), ZG_EINVAL);
  /* Shard bits that push past the range: 3 loads, shard id 3 of 4 (load 3 is the end). */
  zg_pora_range_t r1 = {0, 3 * 1024, 3, ~3ull};
  memset(seed, 0, 32);
  CHECK_ERR(zg_pora_recall_position(&pos, seed, &r1), ZG_ERANGE);
}

static void test_range_check(void) {
  bool ok;
  const char *why;
  uint64_t L = 5 * 1024 + 7; /* flow length: 5 full loads */
  zg_pora_range_t r = {0, 5 * 1024, 0, ~0ull};
  zg_pora_range_check(&ok, &why, &r, L, 32);
  CHECK(ok);
  zg_pora_range_t bad = r;
  bad.start = 1024;
  zg_pora_range_check(&ok, &why, &bad, L, 32);
  CHECK(!ok && strcmp(why, "Start position is not aligned") == 0);
  bad = r;
  bad.mine_length = 6 * 1024;
  zg_pora_range_check(&ok, &why, &bad, L, 32);
  CHECK(!ok && strcmp(why, "Mining range overflow") == 0);
  bad = r;
  bad.mine_length = 4 * 1024;
  zg_pora_range_check(&ok, &why, &bad, L, 32);
  CHECK(!ok && strcmp(why, "Mining range too short") == 0);
  bad = r;
  bad.shard_mask = ~1ull;
  bad.shard_id = 3;
  zg_pora_range_check(&ok, &why, &bad, L, 32);
  CHECK(!ok && strcmp(why, "Masked bits should be zero") == 0);
  bad = r;
  bad.shard_mask = ~63ull;
  zg_pora_range_check(&ok, &why, &bad, L, 32);
  CHECK(!ok && strcmp(why, "Too many shards") == 0);
  /* Beyond 8 TiB per shard the range is capped: a 2^36-sector flow, 1 shard. */
  zg_pora_range_t big = {0, ZG_PORA_MAX_MINING_SECTORS, 0, ~0ull};
  zg_pora_range_check(&ok, &why, &big, 1ull << 36, 32);
  CHECK(ok);
  big.mine_length++;
  zg_pora_range_check(&ok, &why, &big, 1ull << 36, 32);
  CHECK(!ok);
  zg_pora_range_t d;
  CHECK_OK(zg_pora_default_range(&d, L, 1, ~1ull));
  CHECK_EQ(d.mine_length, 5 * 1024);
  zg_pora_range_check(&ok, &why, &d, L, 32);
  CHECK(ok);
  CHECK_ERR(zg_pora_default_range(&d, 1000, 0, ~0ull), ZG_ERANGE);
}

static void test_target(void) {
  zg_u256_t t, s;
  zg_pora_target_from_difficulty(&t, 180000);
  /* One shard of a small flow: scale 1, the target loses its low 64 bits. */
  CHECK_OK(zg_pora_scaled_target(&s, &t, 4096, 1));
  zg_u256_t e = t;
  e.w[0] = 0;
  CHECK(zg_u256_cmp(&s, &e) == 0);
  /* Four shards: a quarter (up to rounding of the low limb). */
  CHECK_OK(zg_pora_scaled_target(&s, &t, 4096, 4));
  zg_u256_t q;
  zg_u256_divmod_u64(&q, NULL, &t, 4);
  CHECK(zg_u256_cmp(&s, &q) <= 0 && s.w[3] == q.w[3] && s.w[2] == q.w[2]);
  CHECK_ERR(zg_pora_scaled_target(&s, &t, 3, 4), ZG_EINVAL);
  uint8_t qual[32];
  memset(qual, 0, 32);
  CHECK(zg_pora_hit(qual, &s));
  memset(qual, 0xff, 32);
  CHECK(!zg_pora_hit(qual, &s));

  /* Difficulty adjustment. */
  zg_u256_t a;
  zg_pora_adjust_target(&a, &t, 10, 10, 20, 0); /* on target: unchanged up to the 16 low bits */
  zg_u256_t tt = t;
  tt.w[0] &= ~0xffffull;
  CHECK(zg_u256_cmp(&a, &tt) == 0);
  zg_pora_adjust_target(&a, &t, 10, 20, 20, 0); /* too many: target falls (harder) */
  CHECK(zg_u256_cmp(&a, &t) < 0);
  zg_pora_adjust_target(&a, &t, 10, 5, 20, 0); /* too few: rises */
  CHECK(zg_u256_cmp(&a, &t) > 0);
  zg_pora_adjust_target(&a, &t, 10, 10000, 1, 0); /* clamp at T/2 */
  zg_u256_t half;
  zg_u256_divmod_u64(&half, NULL, &t, 2);
  half.w[0] &= ~0xffffull;
  CHECK(zg_u256_cmp(&a, &half) <= 0);
  zg_pora_adjust_target(&a, &t, 10, 0, 1, 0); /* empty epoch, ratio 1: clamp at 2T */
  zg_u256_t dbl;
  CHECK(zg_u256_add(&dbl, &t, &t));
  CHECK(zg_u256_cmp(&a, &dbl) <= 0 && zg_u256_cmp(&a, &t) > 0);
  zg_u256_t mx;
  zg_pora_target_from_difficulty(&mx, 1000000);
  zg_pora_adjust_target(&a, &t, 10, 0, 1, 1000000); /* min difficulty caps the target */
  CHECK(zg_u256_cmp(&a, &mx) == 0);
  zg_u256_t all = {{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}};
  zg_pora_adjust_target(&a, &all, 10, 0, 20, 0); /* no overflow at the top */
  CHECK(a.w[3] == UINT64_MAX);
}

static void test_divmod(void) {
  for (long it = 0; it < zgt_iters(2000); it++) {
    zg_u256_t a, b, q, r, c;
    for (int i = 0; i < 4; i++) {
      a.w[i] = zgt_rand64();
      b.w[i] = zgt_rand_below(4) ? zgt_rand64() : 0;
    }
    if (zgt_rand_below(2)) b.w[3] = 0;
    if (zg_u256_is_zero(&b)) b.w[0] = 1;
    CHECK_OK(zg_pora_u256_divmod(&q, &r, &a, &b));
    CHECK(zg_u256_cmp(&r, &b) < 0);
    CHECK(zg_u256_mul(&c, &q, &b));
    CHECK(zg_u256_add(&c, &c, &r));
    CHECK(zg_u256_cmp(&c, &a) == 0);
  }
  zg_u256_t z = zg_u256_from_u64(0), one = zg_u256_from_u64(1), q;
  CHECK_ERR(zg_pora_u256_divmod(&q, NULL, &one, &z), ZG_EINVAL);
}

/* An in-memory "disk": n loads of sealed data. */
typedef struct {
  uint8_t *data;
  uint64_t sectors;
  int drop; /* seals not held */
} disk_t;

static zg_err_t disk_load(void *arg, uint8_t *out, bool avail[ZG_PORA_SEALS_PER_LOAD], uint64_t start) {
  disk_t *d = arg;
  if (start + ZG_PORA_LOAD_SECTORS > d->sectors) return ZG_ERANGE;
  memcpy(out, d->data + start * 256, ZG_PORA_LOAD_BYTES);
  for (int k = 0; k < d->drop; k++) avail[k] = false;
  return ZG_OK;
}

static void test_iterate(void) {
  disk_t d = {malloc(4 * ZG_PORA_LOAD_BYTES), 4 * 1024, 0};
  zgt_rand_bytes(d.data, 4 * ZG_PORA_LOAD_BYTES);
  zg_pora_scratch_t *s = malloc(sizeof *s);
  uint8_t id[32], nonce[32], sub[32];
  zgt_rand_bytes(id, 32);
  zgt_rand_bytes(sub, 32);
  zg_pora_range_t r = {0, 4 * 1024, 0, ~0ull};
  zg_u256_t all = {{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}}, none = zg_u256_from_u64(0);
  for (int it = 0; it < 8; it++) {
    zgt_rand_bytes(nonce, 32);
    zg_pora_result_t res;
    CHECK_OK(zg_pora_iterate(&res, s, id, nonce, sub, &r, &all, disk_load, &d));
    CHECK(res.hit);
    CHECK(res.recall_position % 16 == 0 && res.recall_position < 4 * 1024);
    /* The quality is that of the chosen seal, recomputed from scratch. */
    uint8_t rd[32], seed[64], rec[32], q[32];
    static uint8_t pad[ZG_PORA_PAD_BYTES];
    zg_pora_range_digest(rd, &r);
    zg_pora_pad_seed(seed, id, nonce, sub, rd);
    zg_pora_scratchpad(pad, rec, seed);
    zg_pora_quality(q, seed, res.seal_offset, d.data + res.recall_position * 256, pad);
    CHECK_MEM(q, res.quality, 32);
    CHECK_OK(zg_pora_iterate(&res, s, id, nonce, sub, &r, &none, disk_load, &d));
    CHECK(!res.hit);
  }
  d.drop = 64; /* a miner without the data finds nothing */
  zg_pora_result_t res;
  CHECK_OK(zg_pora_iterate(&res, s, id, nonce, sub, &r, &all, disk_load, &d));
  CHECK(!res.hit);
  free(s);
  free(d.data);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_seal_roundtrip);
  ZGT_RUN(test_digests);
  ZGT_RUN(test_recall);
  ZGT_RUN(test_range_check);
  ZGT_RUN(test_target);
  ZGT_RUN(test_divmod);
  ZGT_RUN(test_iterate);
  return zgt_done();
}

/*
 * pora.c — Proof of Random Access math (zg/pora.h): sealing, the scratchpad,
 * recall positions, seal quality, the mining range rules and the difficulty
 * adjustment. Pure functions over public data, shared by the Mine system
 * contract and the miner, so both compute exactly the same numbers.
 *
 * Invariants: every function is total over its inputs (no allocation, no
 * abort); u256 arithmetic never wraps (products that could overflow
 * saturate, which only happens for targets near 2^256 where the clamp
 * applies anyway).
 */
#include "zg/pora.h"

#include <string.h>

#include "zg/bytes.h"
#include "zg/hash.h"

/* ---- u256 helpers ---- */

static void u256_shl(zg_u256_t *r, const zg_u256_t *a, unsigned s) {
  zg_u256_t t = {{0, 0, 0, 0}};
  if (s < 256) {
    unsigned limbs = s / 64, bits = s % 64;
    for (int i = 3; i >= (int)limbs; i--) {
      uint64_t v = a->w[i - limbs] << bits;
      if (bits && i - (int)limbs - 1 >= 0) v |= a->w[i - limbs - 1] >> (64 - bits);
      t.w[i] = v;
    }
  }
  *r = t;
}

static void u256_shr(zg_u256_t *r, const zg_u256_t *a, unsigned s) {
  zg_u256_t t = {{0, 0, 0, 0}};
  if (s < 256) {
    unsigned limbs = s / 64, bits = s % 64;
    for (unsigned i = 0; i + limbs < 4; i++) {
      uint64_t v = a->w[i + limbs] >> bits;
      if (bits && i + limbs + 1 < 4) v |= a->w[i + limbs + 1] << (64 - bits);
      t.w[i] = v;
    }
  }
  *r = t;
}

static const zg_u256_t U256_MAX = {{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}};

zg_err_t zg_pora_u256_divmod(zg_u256_t *q, zg_u256_t *r, const zg_u256_t *a, const zg_u256_t *b) {
  zg_u256_t qq = {{0, 0, 0, 0}}, rr = {{0, 0, 0, 0}};
  if (q) *q = qq;
  if (r) *r = rr;
  if (!a || !b || zg_u256_is_zero(b)) return ZG_EINVAL;
  if (zg_u256_fits_u64(b)) {
    uint64_t rem;
    zg_u256_divmod_u64(&qq, &rem, a, b->w[0]);
    rr = zg_u256_from_u64(rem);
  } else {
    /* Schoolbook binary long division: 256 shift-subtract steps. */
    for (int i = 255; i >= 0; i--) {
      u256_shl(&rr, &rr, 1);
      rr.w[0] |= (a->w[i / 64] >> (i % 64)) & 1;
      if (zg_u256_cmp(&rr, b) >= 0) {
        (void)zg_u256_sub(&rr, &rr, b);
        qq.w[i / 64] |= 1ull << (i % 64);
      }
    }
  }
  if (q) *q = qq;
  if (r) *r = rr;
  return ZG_OK;
}

/* ---- sealing ---- */

static void seal_mask0(uint8_t out[32], const uint8_t miner_id[32], const uint8_t ctx[32], uint64_t start) {
  uint8_t in[96];
  memcpy(in, miner_id, 32);
  memcpy(in + 32, ctx, 32);
  memset(in + 64, 0, 24);
  zg_store_be64(in + 88, start);
  zg_keccak256(out, in, sizeof in);
}

void zg_pora_seal(uint8_t data[ZG_PORA_SEAL_BYTES], const uint8_t miner_id[32], const uint8_t ctx_digest[32],
                  uint64_t start_sector) {
  uint8_t mask[32];
  seal_mask0(mask, miner_id, ctx_digest, start_sector);
  for (unsigned i = 0; i < ZG_PORA_SEAL_WORDS; i++) {
    uint8_t *w = data + 32 * i;
    if (i > 0) zg_keccak256(mask, w - 32, 32); /* over the sealed previous word */
    for (unsigned j = 0; j < 32; j++) w[j] ^= mask[j];
  }
}

void zg_pora_unseal(uint8_t data[ZG_PORA_SEAL_BYTES], const uint8_t miner_id[32], const uint8_t ctx_digest[32],
                    uint64_t start_sector) {
  uint8_t mask[32];
  /* Back to front, so each mask is taken over a word that is still sealed. */
  for (unsigned i = ZG_PORA_SEAL_WORDS - 1; i > 0; i--) {
    uint8_t *w = data + 32 * i;
    zg_keccak256(mask, w - 32, 32);
    for (unsigned j = 0; j < 32; j++) w[j] ^= mask[j];
  }
  seal_mask0(mask, miner_id, ctx_digest, start_sector);
  for (unsigned j = 0; j < 32; j++) data[j] ^= mask[j];
}

/* ---- one iteration ---- */

void zg_pora_range_digest(uint8_t out[32], const zg_pora_range_t *r) {
  uint8_t in[128];
  memset(in, 0, sizeof in);
  zg_store_be64(in + 24, r->start);
  zg_store_be64(in + 56, r->mine_length);
  zg_store_be64(in + 88, r->shard_id);
  zg_store_be64(in + 120, r->shard_mask);
  zg_keccak256(out, in, sizeof in);
}

void zg_pora_pad_seed(uint8_t out[64], const uint8_t miner_id[32], const uint8_t nonce[32],
                      const uint8_t subtask_digest[32], const uint8_t range_digest[32]) {
  uint8_t in[128];
  memcpy(in, miner_id, 32);
  memcpy(in + 32, nonce, 32);
  memcpy(in + 64, subtask_digest, 32);
  memcpy(in + 96, range_digest, 32);
  zg_blake2b512(out, in, sizeof in);
}

void zg_pora_scratchpad(uint8_t pad[ZG_PORA_PAD_BYTES], uint8_t recall_seed[32], const uint8_t pad_seed[64]) {
  uint8_t d[64];
  memcpy(d, pad_seed, 64);
  for (unsigned c = 0; c < ZG_PORA_PAD_CELLS; c++) {
    zg_keccak256(d, d, 64);
    zg_keccak256(d + 32, d, 64);
    memcpy(pad + 64 * c, d, 64);
  }
  zg_keccak256(recall_seed, d, 64);
}

zg_err_t zg_pora_recall_position(uint64_t *pos, const uint8_t recall_seed[32], const zg_pora_range_t *r) {
  *pos = 0;
  uint64_t loads = r->mine_length / ZG_PORA_LOAD_SECTORS;
  if (loads == 0) return ZG_EINVAL;
  zg_u256_t seed, q;
  uint64_t off;
  zg_u256_from_be32(&seed, recall_seed);
  zg_u256_divmod_u64(&q, &off, &seed, loads);
  off = (off & r->shard_mask) | r->shard_id;
  /* The load must lie inside the range (0G checks off * 1024 <= mineLength,
   * which lets a load start right at the range's end; we require it inside). */
  if (off >= loads) return ZG_ERANGE;
  uint64_t p = off * ZG_PORA_LOAD_SECTORS;
  if (p > UINT64_MAX - r->start) return ZG_ERANGE;
  *pos = r->start + p;
  return ZG_OK;
}

void zg_pora_quality(uint8_t out[32], const uint8_t pad_seed[64], uint32_t seal_index,
                     const uint8_t sealed[ZG_PORA_SEAL_BYTES], const uint8_t pad[ZG_PORA_PAD_BYTES]) {
  uint8_t in[128 + ZG_PORA_SEAL_BYTES], h[64];
  memset(in, 0, 32);
  zg_store_be64(in + 24, seal_index);
  memcpy(in + 32, pad_seed, 64);
  memset(in + 96, 0, 32);
  const uint8_t *p = pad + (seal_index % ZG_PORA_SEALS_PER_PAD) * ZG_PORA_SEAL_BYTES;
  for (unsigned i = 0; i < ZG_PORA_SEAL_BYTES; i++) in[128 + i] = sealed[i] ^ p[i];
  zg_blake2b512(h, in, sizeof in);
  memcpy(out, h, 32);
}

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }

zg_err_t zg_pora_scaled_target(zg_u256_t *out, const zg_u256_t *pora_target, uint64_t flow_length,
                               uint64_t num_shards) {
  *out = zg_u256_from_u64(0);
  if (num_shards == 0 || flow_length / num_shards == 0) return ZG_EINVAL;
  zg_u256_t num = zg_u256_from_u64(min64(flow_length, ZG_PORA_MAX_MINING_SECTORS)), scale, t;
  u256_shl(&num, &num, 64);
  zg_u256_divmod_u64(&scale, NULL, &num, min64(flow_length / num_shards, ZG_PORA_MAX_MINING_SECTORS));
  ZG_TRY(zg_pora_u256_divmod(&t, NULL, pora_target, &scale));
  /* (target / scale) << 64, saturating. */
  if (t.w[3] != 0) *out = U256_MAX;
  else u256_shl(out, &t, 64);
  return ZG_OK;
}

bool zg_pora_hit(const uint8_t quality[32], const zg_u256_t *scaled_target) {
  zg_u256_t q;
  zg_u256_from_be32(&q, quality);
  return zg_u256_cmp(&q, scaled_target) <= 0;
}

uint64_t zg_pora_num_shards(const zg_pora_range_t *r) {
  unsigned n = (unsigned)__builtin_popcountll(~r->shard_mask);
  return n >= 64 ? UINT64_MAX : 1ull << n;
}

static bool fail_why(bool *ok, const char **why, const char *s) {
  *ok = false;
  if (why) *why = s;
  return false;
}

void zg_pora_range_check(bool *ok, const char **why, const zg_pora_range_t *r, uint64_t flow_length,
                         uint64_t max_shards) {
  *ok = true;
  if (why) *why = NULL;
  uint64_t max_end = flow_length / ZG_PORA_LOAD_SECTORS * ZG_PORA_LOAD_SECTORS;
  uint64_t shards = zg_pora_num_shards(r);
  if (r->start % ZG_PORA_PRICING_SECTORS != 0) {
    fail_why(ok, why, "Start position is not aligned");
    return;
  }
  if (r->mine_length > max_end || r->start > max_end - r->mine_length) {
    fail_why(ok, why, "Mining range overflow");
    return;
  }
  if (shards > max_shards || shards > (1ull << 20)) {
    fail_why(ok, why, "Too many shards");
    return;
  }
  uint64_t max_len = ZG_PORA_MAX_MINING_SECTORS * shards;
  if (r->mine_length > max_len) {
    fail_why(ok, why, "Mining range too long");
    return;
  }
  if (r->mine_length < min64(max_end, max_len)) {
    fail_why(ok, why, "Mining range too short");
    return;
  }
  if (r->mine_length < ZG_PORA_LOAD_SECTORS) {
    fail_why(ok, why, "Mining range too short");
    return;
  }
  if (r->shard_id & r->shard_mask) fail_why(ok, why, "Masked bits should be zero");
}

zg_err_t zg_pora_default_range(zg_pora_range_t *r, uint64_t flow_length, uint64_t shard_id, uint64_t shard_mask) {
  memset(r, 0, sizeof *r);
  uint64_t max_end = flow_length / ZG_PORA_LOAD_SECTORS * ZG_PORA_LOAD_SECTORS;
  if (max_end == 0) return ZG_ERANGE;
  r->shard_id = shard_id;
  r->shard_mask = shard_mask;
  uint64_t shards = zg_pora_num_shards(r);
  uint64_t max_len = shards > (1ull << 20) ? UINT64_MAX : ZG_PORA_MAX_MINING_SECTORS * shards;
  r->start = 0;
  r->mine_length = min64(max_end, max_len);
  return ZG_OK;
}

/* ---- a whole iteration ---- */

zg_err_t zg_pora_iterate(zg_pora_result_t *res, zg_pora_scratch_t *s, const uint8_t miner_id[32],
                         const uint8_t nonce[32], const uint8_t subtask_digest[32], const zg_pora_range_t *range,
                         const zg_u256_t *scaled_target, zg_pora_load_fn fn, void *arg) {
  uint8_t rd[32], seed[64], recall[32], q[32];
  uint64_t pos;
  memset(res, 0, sizeof *res);
  memset(res->quality, 0xff, 32);
  zg_pora_range_digest(rd, range);
  zg_pora_pad_seed(seed, miner_id, nonce, subtask_digest, rd);
  zg_pora_scratchpad(s->pad, recall, seed);
  ZG_TRY(zg_pora_recall_position(&pos, recall, range));
  for (unsigned k = 0; k < ZG_PORA_SEALS_PER_LOAD; k++) s->avail[k] = true;
  ZG_TRY(fn(arg, s->load, s->avail, pos));
  bool any = false;
  for (uint32_t k = 0; k < ZG_PORA_SEALS_PER_LOAD; k++) {
    if (!s->avail[k]) continue;
    zg_pora_quality(q, seed, k, s->load + (size_t)k * ZG_PORA_SEAL_BYTES, s->pad);
    if (!any || memcmp(q, res->quality, 32) < 0) {
      memcpy(res->quality, q, 32);
      res->seal_offset = k;
      any = true;
    }
  }
  res->recall_position = pos + (uint64_t)res->seal_offset * ZG_PORA_SEAL_SECTORS;
  res->hit = any && zg_pora_hit(res->quality, scaled_target);
  return ZG_OK;
}

/* ---- difficulty ---- */

void zg_pora_target_from_difficulty(zg_u256_t *out, uint64_t difficulty) {
  zg_u256_divmod_u64(out, NULL, &U256_MAX, difficulty ? difficulty : 1);
}

void zg_pora_adjust_target(zg_u256_t *out, const zg_u256_t *target, uint64_t target_submissions,
                           uint64_t actual_submissions, uint64_t adjust_ratio, uint64_t min_difficulty) {
  zg_u256_t t, expected, adj, lo, hi, cap;
  uint64_t n = adjust_ratio ? adjust_ratio : 1;
  u256_shr(&t, target, 16);
  u256_shr(&cap, &U256_MAX, 16);
  if (actual_submissions == 0) {
    expected = cap;
  } else {
    /* T < 2^240, so T × targetSubmissions overflows only for absurd targets: saturate. */
    if (!zg_u256_mul_u64(&expected, &t, target_submissions)) expected = U256_MAX;
    zg_u256_divmod_u64(&expected, NULL, &expected, actual_submissions);
  }
  /* (T × (n-1) + expected) / n, computed as T - T/n + expected/n + a rounding
   * term so nothing overflows: exact when it would not overflow in 256 bits. */
  zg_u256_t prod;
  if (zg_u256_mul_u64(&prod, &t, n - 1) && zg_u256_add(&prod, &prod, &expected)) {
    zg_u256_divmod_u64(&adj, NULL, &prod, n);
  } else {
    zg_u256_t a, b;
    uint64_t ra, rb;
    zg_u256_divmod_u64(&a, &ra, &t, n);
    zg_u256_divmod_u64(&b, &rb, &expected, n);
    (void)zg_u256_sub(&adj, &t, &a);
    (void)zg_u256_add(&adj, &adj, &b);
  }
  u256_shr(&lo, &t, 1);
  if (!zg_u256_add(&hi, &t, &t)) hi = U256_MAX;
  if (zg_u256_cmp(&adj, &hi) > 0) adj = hi;
  if (zg_u256_cmp(&adj, &lo) < 0) adj = lo;
  if (zg_u256_cmp(&adj, &cap) > 0) adj = cap;
  u256_shl(out, &adj, 16);
  if (min_difficulty) {
    zg_u256_t mx;
    zg_pora_target_from_difficulty(&mx, min_difficulty);
    if (zg_u256_cmp(out, &mx) > 0) *out = mx;
  }
}

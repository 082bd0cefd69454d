/*
 * zg/pora.h — Proof of Random Access (PoRA), 0G's storage mining puzzle
 * (layer 5, src/proto/pora.c): pure functions shared by the Mine system
 * contract (which verifies an answer) and the storage role's miner (which
 * searches for one). docs/storage-contracts.md describes the whole scheme;
 * ../shared/reference/0g-facts.md §3 has the sources.
 *
 * Units: a sector is 256 bytes, a seal 4 KiB (16 sectors, 128 words of 32
 * bytes), a load 256 KiB (1024 sectors, 64 seals), the scratchpad 16 KiB (4
 * seals' worth, 256 cells of 64 bytes). Positions are flow sector indexes.
 *
 * One iteration, for (minerId, nonce, subtaskDigest, range):
 *   rangeDigest = keccak256(abi.encode(start, mineLength, shardId, shardMask))
 *   padSeed     = Blake2b-512(minerId ‖ nonce ‖ subtaskDigest ‖ rangeDigest)
 *   scratchpad  : d = padSeed; for each of 256 cells: d[0:32] = keccak(d),
 *                 d[32:64] = keccak(d) (over the updated d); cell = d
 *   recallSeed  = keccak256(d after the last cell)
 *   recallPos   = start + (((seed mod (mineLength/1024)) & shardMask) | shardId) * 1024
 *   for each seal k of the 64 in the load at recallPos:
 *     mixed = sealed_k ⊕ scratchpad[(k mod 4) * 4 KiB, +4 KiB)
 *     quality = Blake2b-512(0^24 ‖ u64be(k) ‖ padSeed ‖ 0^32 ‖ mixed)[0:32]
 *     a hit iff quality <= (poraTarget / scaleX64) << 64, where
 *     scaleX64 = (min(flowLength, 2^35) << 64) / min(flowLength / numShards, 2^35)
 *
 * Sealing binds stored data to one miner: a seal at sector s (s % 16 == 0)
 * whose data was appended in the epoch of context digest c is
 *   w0' = w0 ⊕ keccak256(minerId ‖ c ‖ u256(s)),  w_i' = w_i ⊕ keccak256(w_{i-1}')
 * Sealing is sequential, unsealing parallel.
 *
 * Nothing here allocates; nothing is secret (all inputs are public).
 */
#ifndef ZG_PORA_H
#define ZG_PORA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"
#include "zg/u256.h"

#define ZG_PORA_SECTOR_BYTES 256u
#define ZG_PORA_SEAL_BYTES 4096u
#define ZG_PORA_SEAL_SECTORS 16u
#define ZG_PORA_SEAL_WORDS 128u
#define ZG_PORA_LOAD_SECTORS 1024u
#define ZG_PORA_LOAD_BYTES (ZG_PORA_LOAD_SECTORS * ZG_PORA_SECTOR_BYTES)
#define ZG_PORA_SEALS_PER_LOAD 64u
#define ZG_PORA_SEALS_PER_PAD 4u
#define ZG_PORA_PAD_BYTES 16384u
#define ZG_PORA_PAD_CELLS 256u /* 64-byte cells */
/* 8 GiB pricing chunk, and the maximal mining range of one shard (8 TiB). */
#define ZG_PORA_PRICING_SECTORS (1ull << 25)
#define ZG_PORA_MAX_MINING_SECTORS (1ull << 35)
/* Maximal proof length of an answer: flow height (<= 62) minus the seal height 4. */
#define ZG_PORA_MAX_PROOF 64u

/* The miner's claimed mining range (0G RecallRange). */
typedef struct {
  uint64_t start;       /* first sector, a multiple of ZG_PORA_PRICING_SECTORS */
  uint64_t mine_length; /* sectors */
  uint64_t shard_id;    /* load index bits fixed by the shard (shard_id & shard_mask == 0) */
  uint64_t shard_mask;  /* load index bits chosen by the recall seed */
} zg_pora_range_t;

/* ---- sealing ---- */

/* Seals one 4 KiB unit in place: data[4096] at flow sector start (a multiple
 * of 16), for miner_id with the context digest of the epoch that appended it. */
void zg_pora_seal(uint8_t data[ZG_PORA_SEAL_BYTES], const uint8_t miner_id[32], const uint8_t ctx_digest[32],
                  uint64_t start_sector);
/* Inverse of zg_pora_seal, in place. */
void zg_pora_unseal(uint8_t data[ZG_PORA_SEAL_BYTES], const uint8_t miner_id[32], const uint8_t ctx_digest[32],
                    uint64_t start_sector);

/* ---- one iteration ---- */

/* keccak256(abi.encode(start, mineLength, shardId, shardMask)). */
void zg_pora_range_digest(uint8_t out[32], const zg_pora_range_t *r);
/* Blake2b-512(minerId ‖ nonce ‖ subtaskDigest ‖ rangeDigest). */
void zg_pora_pad_seed(uint8_t out[64], const uint8_t miner_id[32], const uint8_t nonce[32],
                      const uint8_t subtask_digest[32], const uint8_t range_digest[32]);
/* Fills the 16 KiB scratchpad from pad_seed and returns the recall seed. */
void zg_pora_scratchpad(uint8_t pad[ZG_PORA_PAD_BYTES], uint8_t recall_seed[32], const uint8_t pad_seed[64]);
/* The first sector of the recalled load. ZG_EINVAL when mine_length < 1024
 * sectors, ZG_ERANGE when the shard bits put the load past the range (0G's
 * "Recall position out of bound"). */
ZG_WARN_UNUSED zg_err_t zg_pora_recall_position(uint64_t *pos, const uint8_t recall_seed[32],
                                                const zg_pora_range_t *r);
/* Quality of seal k (0..63) of the load: sealed[4096] is the sealed seal,
 * pad the scratchpad. out is the 256-bit big-endian quality. */
void zg_pora_quality(uint8_t out[32], const uint8_t pad_seed[64], uint32_t seal_index,
                     const uint8_t sealed[ZG_PORA_SEAL_BYTES], const uint8_t pad[ZG_PORA_PAD_BYTES]);

/* The effective target (poraTarget / scaleX64) << 64 for a flow of
 * flow_length sectors mined by a miner holding 1/num_shards of it.
 * ZG_EINVAL when num_shards is 0 or flow_length / num_shards is 0. */
ZG_WARN_UNUSED zg_err_t zg_pora_scaled_target(zg_u256_t *out, const zg_u256_t *pora_target, uint64_t flow_length,
                                              uint64_t num_shards);
/* quality <= scaled target (both big-endian words / u256). */
bool zg_pora_hit(const uint8_t quality[32], const zg_u256_t *scaled_target);

/* 2^popcount(~shard_mask). */
uint64_t zg_pora_num_shards(const zg_pora_range_t *r);
/* 0G's RecallRange.check against the flow of flow_length sectors (the
 * epoch's length): start 8 GiB-aligned, start + mineLength <= flow_length
 * rounded down to a load, mineLength <= 2^35 × numShards and >= min(that,
 * the rounded length), shardId & shardMask == 0, numShards <= max_shards.
 * *ok is the verdict, *why (may be NULL) a static reason when false. */
void zg_pora_range_check(bool *ok, const char **why, const zg_pora_range_t *r, uint64_t flow_length,
                         uint64_t max_shards);
/* The maximal valid range for a miner of shard (shard_id, shard_mask) over
 * a flow of flow_length sectors starting at sector 0 (the range a miner
 * should claim). ZG_ERANGE when the flow holds less than one load. */
ZG_WARN_UNUSED zg_err_t zg_pora_default_range(zg_pora_range_t *r, uint64_t flow_length, uint64_t shard_id,
                                              uint64_t shard_mask);

/* ---- a whole iteration, miner side ---- */

/* Reads the 64 sealed seals of the load at load_start into out (64 × 4 KiB);
 * sets avail[k] false for seals the miner does not hold sealed. */
typedef zg_err_t (*zg_pora_load_fn)(void *arg, uint8_t *out, bool avail[ZG_PORA_SEALS_PER_LOAD],
                                    uint64_t load_start);

/* What an iteration found. */
typedef struct {
  bool hit;
  uint64_t recall_position; /* load start + seal_offset * 16 (sectors) */
  uint32_t seal_offset;
  uint8_t quality[32];
} zg_pora_result_t;

/* Scratch space an iteration needs (the caller owns it; reuse across
 * iterations). */
typedef struct {
  uint8_t pad[ZG_PORA_PAD_BYTES];
  uint8_t load[ZG_PORA_LOAD_BYTES];
  bool avail[ZG_PORA_SEALS_PER_LOAD];
} zg_pora_scratch_t;

/* Runs one iteration for nonce: recall position, load via fn, the best
 * (lowest) quality over the available seals and whether it hits
 * scaled_target. Errors: those of fn and zg_pora_recall_position. */
ZG_WARN_UNUSED zg_err_t zg_pora_iterate(zg_pora_result_t *res, zg_pora_scratch_t *scratch,
                                        const uint8_t miner_id[32], const uint8_t nonce[32],
                                        const uint8_t subtask_digest[32], const zg_pora_range_t *range,
                                        const zg_u256_t *scaled_target, zg_pora_load_fn fn, void *arg);

/* ---- difficulty ---- */

/* 0G's per-epoch adjustment: T = target >> 16; expected = T × targetSubs /
 * actual (or (2^256-1) >> 16 when actual is 0); T' = (T × (ratio-1) +
 * expected) / ratio, clamped to [T/2, 2T]; result T' << 16 (saturating),
 * capped at (2^256-1)/min_difficulty when min_difficulty is non-zero. ratio
 * 0 is taken as 1. */
void zg_pora_adjust_target(zg_u256_t *out, const zg_u256_t *target, uint64_t target_submissions,
                           uint64_t actual_submissions, uint64_t adjust_ratio, uint64_t min_difficulty);
/* (2^256 - 1) / difficulty (difficulty 0 is taken as 1). */
void zg_pora_target_from_difficulty(zg_u256_t *out, uint64_t difficulty);

/* ---- u256 helpers PoRA needs (exported for the Mine and Reward contracts) ---- */

/* q = a / b, r = a mod b (either may be NULL); ZG_EINVAL when b is zero. */
ZG_WARN_UNUSED zg_err_t zg_pora_u256_divmod(zg_u256_t *q, zg_u256_t *r, const zg_u256_t *a, const zg_u256_t *b);

#endif

/*
 * zg/sim.h — deterministic simulation of the consensus engine
 * (src/chain/sim.c): N validators each running K lanes of the real engine
 * (zg/bft.h) in one process, on a virtual clock and a virtual network with
 * seeded delays, drops, duplicates, reordering, a partition that heals,
 * crash-restarts that keep only the WAL and the block store (half of them
 * only the WAL: the node restarts from genesis and syncs), and
 * equivocating byzantine validators.
 *
 * A run is a pure function of its config (seed included): the same config
 * gives the same events, the same commits and the same result, so any
 * failure reproduces with `zg sim --seed S` (plus the printed flags).
 *
 * Checks: safety (no two different blocks committed at one height of a
 * lane, by any two honest validators, ever; every commit proof verifies)
 * and liveness (every lane of every honest validator commits new blocks
 * after the last fault has healed).
 *
 * Cost model for throughput figures: each validator is one machine with one
 * CPU that serves its lanes one event at a time; handling a message costs
 * cpu_msg_us plus cpu_verify_us per signature check and cpu_sign_us per
 * signature; committing a block costs cpu_tx_us per transaction. Messages
 * leave when the CPU work that produced them is done.
 */
#ifndef ZG_SIM_H
#define ZG_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "zg/err.h"

#define ZG_SIM_MAX_NODES 64u
#define ZG_SIM_MAX_LANES 16u

typedef struct {
  uint64_t seed;
  uint32_t validators;   /* N, 1..ZG_SIM_MAX_NODES */
  uint32_t byzantine;    /* equivocating validators, kept below 1/3 of the power */
  uint32_t lanes;        /* K, 1..ZG_SIM_MAX_LANES */
  uint64_t duration_ms;  /* virtual run time; faults happen in its first half */
  uint32_t delay_min_ms, delay_max_ms; /* one-way network delay, uniform; max >= 1 (virtual time must advance) */
  uint32_t drop_permille, dup_permille; /* until the network heals (mid-run) */
  bool partition;        /* one partition of random sides, healed before the last half */
  uint32_t crashes;      /* crash-restart events */
  uint64_t epoch_len;    /* lane-0 blocks per epoch (0: a single epoch); sets change per epoch */
  uint32_t txs_per_block;
  uint32_t base_timeout_ms;
  uint32_t cpu_msg_us, cpu_verify_us, cpu_sign_us, cpu_tx_us;
  bool real_crypto;      /* Ed25519 (slow); otherwise keyed-hash stand-ins with the same flow */
  uint64_t dead_at_ms;    /* 0: none; else validator 0 crashes at this time for good (liveness is checked on the others) */
} zg_sim_config_t;

typedef struct {
  bool safe, live;
  char error[256];        /* first violation, empty when none */
  uint64_t min_height[ZG_SIM_MAX_LANES]; /* lowest committed height over honest validators */
  uint64_t blocks;        /* sum over lanes of min_height */
  uint64_t txs;           /* blocks * txs_per_block */
  double blocks_per_s, txs_per_s; /* in virtual time, over the whole run */
  uint64_t messages, dropped, evidence, restarts, syncs, timeouts;
  uint64_t virtual_ms;
  double cpu_busy;        /* mean fraction of virtual time validators' CPUs were busy */
} zg_sim_result_t;

/* Defaults: 4 validators, 1 lane, 20 s, delays 5..50 ms, no faults, no
 * transactions, timeout 400 ms, fake crypto, CPU model of a 2020s core
 * (msg 5 us, verify 50 us, sign 20 us, tx 5 us). */
void zg_sim_config_default(zg_sim_config_t *cfg, uint64_t seed);
/* Defaults plus faults drawn from the seed, over 10 s: validator count 4..7, lanes
 * 1..3, drops, duplicates, maybe a partition, crashes, byzantine
 * validators, epochs. What `zg sim --seed S` and tests/sim run. */
void zg_sim_config_random(zg_sim_config_t *cfg, uint64_t seed);
/* Runs one simulation. Fails on an invalid config (ZG_EINVAL), out of
 * memory, or an engine error; safety and liveness are verdicts in res. */
ZG_WARN_UNUSED zg_err_t zg_sim_run(zg_sim_result_t *res, const zg_sim_config_t *cfg);

#endif

/*
 * cli_sim.c — `zg sim`: runs the deterministic consensus simulation
 * (zg/sim.h) over a range of seeds, or prints the throughput figure.
 *
 *   zg sim [--seed S] [--seeds N] [flags]   seeds S..S+N-1, faults drawn from each seed
 *   zg sim --report [--lanes K] [flags]     committed blocks/s and tx/s for K = 1, 2, 4
 *   --dead-at MS: validator 0 crashes for good at MS (leader reputation scenario)
 *
 * Every failing seed is printed with the command that reproduces it. Exit
 * status: 0 all seeds safe and live, 1 a violation, 2 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "zg/sim.h"

typedef struct {
  long lanes, validators, byzantine, txs, duration, crashes, drop, delay_max, dead_at;
  int partition; /* -1 unset, 0 off, 1 on */
  bool real, quiet;
} overrides_t;

static double wall_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Process CPU time: steadier than wall time on a shared machine. */
static double cpu_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void apply(zg_sim_config_t *c, const overrides_t *o) {
  if (o->lanes > 0) c->lanes = (uint32_t)o->lanes;
  if (o->validators > 0) c->validators = (uint32_t)o->validators;
  if (o->byzantine >= 0) c->byzantine = (uint32_t)o->byzantine;
  if (o->txs >= 0) c->txs_per_block = (uint32_t)o->txs;
  if (o->duration > 0) c->duration_ms = (uint64_t)o->duration;
  if (o->crashes >= 0) c->crashes = (uint32_t)o->crashes;
  if (o->drop >= 0) c->drop_permille = (uint32_t)o->drop;
  if (o->delay_max > 0) c->delay_max_ms = (uint32_t)o->delay_max;
  if (o->partition >= 0) c->partition = o->partition == 1;
  if (o->real) c->real_crypto = true;
  if (o->dead_at > 0) c->dead_at_ms = (uint64_t)o->dead_at;
}

static void print_flags(const zg_sim_config_t *c) {
  printf("validators %u byzantine %u lanes %u drop %u%% dup %u%% delay %u..%u ms partition %s crashes %u epoch %"
         PRIu64 " txs %u",
         c->validators, c->byzantine, c->lanes, c->drop_permille / 10, c->dup_permille / 10, c->delay_min_ms,
         c->delay_max_ms, c->partition ? "yes" : "no", c->crashes, c->epoch_len, c->txs_per_block);
}

static int run_seeds(uint64_t seed, long count, const overrides_t *o) {
  long safe = 0, live = 0, bad = 0;
  uint64_t blocks = 0, evidence = 0, restarts = 0, syncs = 0;
  double t0 = wall_s();
  for (long k = 0; k < count; k++) {
    zg_sim_config_t c;
    zg_sim_config_random(&c, seed + (uint64_t)k);
    apply(&c, o);
    zg_sim_result_t r;
    zg_err_t err = zg_sim_run(&r, &c);
    if (err == ZG_OK && r.safe) safe++;
    if (err == ZG_OK && r.live) live++;
    blocks += r.blocks;
    evidence += r.evidence;
    restarts += r.restarts;
    syncs += r.syncs;
    bool ok = err == ZG_OK && r.safe && r.live;
    if (!ok) bad++;
    if (!ok || (!o->quiet && count == 1)) {
      printf("seed %" PRIu64 ": %s: ", c.seed, ok ? "ok" : "FAIL");
      print_flags(&c);
      printf("\n  %s%s%s blocks %" PRIu64 " msgs %" PRIu64 " dropped %" PRIu64 " evidence %" PRIu64 " restarts %" PRIu64
             " syncs %" PRIu64 " timeouts %" PRIu64 "\n",
             err != ZG_OK ? zg_errname(err) : "", r.error, r.error[0] ? ";" : "", r.blocks, r.messages, r.dropped,
             r.evidence, r.restarts, r.syncs, r.timeouts);
      if (!ok) printf("  reproduce: zg sim --seed %" PRIu64 "%s\n", c.seed, o->real ? " --real-crypto" : "");
    }
  }
  double dt = wall_s() - t0;
  printf("%ld seeds from %" PRIu64 ": %ld safe, %ld live, %ld failed; %" PRIu64 " blocks committed, %" PRIu64
         " evidence, %" PRIu64 " restarts, %" PRIu64 " sync requests; %.1f s\n",
         count, seed, safe, live, bad, blocks, evidence, restarts, syncs, dt);
  return bad ? 1 : 0;
}

static int report(uint64_t seed, const overrides_t *o) {
  long ks[3] = {1, 2, 4};
  int nk = 3;
  if (o->lanes > 0) ks[0] = o->lanes, nk = 1;
  printf("throughput in virtual time, each validator one machine (one CPU serving all its lanes):\n");
  fflush(stdout);
  for (int i = 0; i < nk; i++) {
    zg_sim_config_t c;
    zg_sim_config_default(&c, seed);
    c.txs_per_block = 2000;
    c.delay_min_ms = 20;
    c.delay_max_ms = 40;
    c.duration_ms = 30000;
    apply(&c, o);
    c.lanes = (uint32_t)ks[i];
    zg_sim_result_t r;
    double t0 = wall_s();
    zg_err_t err = zg_sim_run(&r, &c);
    double dt = wall_s() - t0;
    if (err != ZG_OK || !r.safe || !r.live) {
      printf("lanes %ld: FAIL %s %s\n", ks[i], zg_errname(err), r.error);
      return 1;
    }
    printf("lanes %u: %u validators, delay %u..%u ms, %u tx/block, cpu verify %u us tx %u us: %.1f blocks/s, %.0f tx/s, "
           "cpu busy %.0f%% (%.2f s wall)\n",
           c.lanes, c.validators, c.delay_min_ms, c.delay_max_ms, c.txs_per_block, c.cpu_verify_us, c.cpu_tx_us,
           r.blocks_per_s, r.txs_per_s, r.cpu_busy * 100, dt);
  }
  /* Engine throughput: no latency, no CPU model, empty payloads: wall time of
   * the real engine (fake or real signatures). */
  zg_sim_config_t c;
  zg_sim_config_default(&c, seed);
  c.delay_min_ms = c.delay_max_ms = 1;
  c.cpu_msg_us = c.cpu_verify_us = c.cpu_sign_us = c.cpu_tx_us = 0;
  c.duration_ms = 5000;
  apply(&c, o);
  c.lanes = 1;
  c.txs_per_block = 0;
  zg_sim_result_t r;
  double t0 = wall_s(), c0 = cpu_s();
  zg_err_t err = zg_sim_run(&r, &c);
  double dt = wall_s() - t0, dc = cpu_s() - c0;
  if (err != ZG_OK || !r.safe) {
    printf("engine: FAIL %s %s\n", zg_errname(err), r.error);
    return 1;
  }
  printf("engine: %u validators, 1 ms latency, no CPU model, %s signatures: %" PRIu64 " blocks committed by every "
         "validator in %.2f s CPU (%.2f s wall) = %.0f blocks per CPU second (%" PRIu64 " messages, %.0f per CPU "
         "second)\n",
         c.validators, c.real_crypto ? "Ed25519" : "stand-in", r.blocks, dc, dt, (double)r.blocks / dc, r.messages,
         (double)r.messages / dc);
  return 0;
}

static bool num(const char *s, long *out) {
  char *end;
  long v = strtol(s, &end, 0);
  if (!*s || *end || v < 0) return false;
  *out = v;
  return true;
}

int zg__cli_sim(int argc, char **argv) {
  overrides_t o = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, false, false};
  long seeds = 1, v;
  uint64_t seed = 1;
  bool rep = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    long *slot = NULL;
    if (strcmp(a, "--report") == 0) rep = true;
    else if (strcmp(a, "--real-crypto") == 0) o.real = true;
    else if (strcmp(a, "--quiet") == 0) o.quiet = true;
    else if (strcmp(a, "--partition") == 0) o.partition = 1;
    else if (strcmp(a, "--no-partition") == 0) o.partition = 0;
    else if (strcmp(a, "--seed") == 0 || strcmp(a, "--seeds") == 0 || strcmp(a, "--lanes") == 0 ||
             strcmp(a, "--validators") == 0 || strcmp(a, "--byzantine") == 0 || strcmp(a, "--txs") == 0 ||
             strcmp(a, "--duration") == 0 || strcmp(a, "--crashes") == 0 || strcmp(a, "--drop") == 0 ||
             strcmp(a, "--delay") == 0 || strcmp(a, "--dead-at") == 0) {
      if (!val || !num(val, &v)) return zg__cli_usage_error(argv[0], "%s needs a non-negative number", a);
      i++;
      if (strcmp(a, "--seed") == 0) seed = (uint64_t)strtoull(val, NULL, 0);
      else if (strcmp(a, "--seeds") == 0) seeds = v;
      else if (strcmp(a, "--lanes") == 0) slot = &o.lanes;
      else if (strcmp(a, "--validators") == 0) slot = &o.validators;
      else if (strcmp(a, "--byzantine") == 0) slot = &o.byzantine;
      else if (strcmp(a, "--txs") == 0) slot = &o.txs;
      else if (strcmp(a, "--duration") == 0) slot = &o.duration;
      else if (strcmp(a, "--crashes") == 0) slot = &o.crashes;
      else if (strcmp(a, "--drop") == 0) slot = &o.drop;
      else if (strcmp(a, "--dead-at") == 0) slot = &o.dead_at;
      else slot = &o.delay_max;
      if (slot) *slot = v;
    } else {
      return zg__cli_usage_error(argv[0], "unknown argument '%s'", a);
    }
  }
  if (o.lanes == 0 || o.lanes > (long)ZG_SIM_MAX_LANES || o.validators == 0 ||
      o.validators > (long)ZG_SIM_MAX_NODES || seeds < 1)
    return zg__cli_usage_error(argv[0], "--lanes 1..%u, --validators 1..%u, --seeds >= 1", ZG_SIM_MAX_LANES,
                               ZG_SIM_MAX_NODES);
  return rep ? report(seed, &o) : run_seeds(seed, seeds, &o);
}

/*
 * bench.h — the one benchmark harness behind `zg bench [FILTER]`.
 *
 * A case is a function registered with ZG_BENCH(name); it does its set-up,
 * then times its operation in a `while (zg_bench_loop(b))` loop. The harness
 * grows the iteration count until the loop has run for min_ns, and prints one
 * line: name, ops, ns/op, and MB/s when the case set b->bytes_per_op.
 */
#ifndef ZG_BENCH_H
#define ZG_BENCH_H

#include <stdbool.h>
#include <stdint.h>

typedef struct zg_bench {
  uint64_t ops;          /* iterations run so far in the timed loop */
  uint64_t bytes_per_op; /* set by the case for MB/s, 0 otherwise */
  uint64_t t_start, t_end, check_at, min_ns;
  bool started;
} zg_bench_t;

typedef void (*zg_bench_fn)(zg_bench_t *b);

/* Returns true while the case should run its operation once more. */
bool zg_bench_loop(zg_bench_t *b);

void zg__bench_register(const char *name, zg_bench_fn fn);
/* Runs every case whose name contains filter (all when NULL). Returns the
 * number of cases run. min_ms is the time each case runs for. With cpu set,
 * time is the process's CPU time (user + system, summed over its threads)
 * instead of wall-clock time: steadier on a shared machine, but a case that
 * uses several threads then reports their total, not its latency. */
int zg__bench_run(const char *filter, unsigned min_ms, bool cpu);
/* Lists the names of the registered cases. */
void zg__bench_list(void);

#define ZG_BENCH(name)                                                          \
  static void zg_bench_##name(zg_bench_t *b);                                   \
  __attribute__((constructor)) static void zg_bench_reg_##name(void) {          \
    zg__bench_register(#name, zg_bench_##name);                                 \
  }                                                                             \
  static void zg_bench_##name(zg_bench_t *b)

/* Keeps the compiler from discarding a computed value. */
#define ZG_BENCH_KEEP(x) __asm__ volatile("" : : "g"(x) : "memory")

#endif

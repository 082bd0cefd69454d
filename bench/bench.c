/* bench.c — registry and timing loop for the benchmark cases (bench.h). */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "zg/log.h"

static bool g_cpu;

/* The harness clock: wall (monotonic) or process CPU time. */
static uint64_t bench_now(void) {
  if (!g_cpu) return zg_clock_ns();
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define MAX_CASES 256
static struct {
  const char *name;
  zg_bench_fn fn;
} g_cases[MAX_CASES];
static int g_ncases;

void zg__bench_register(const char *name, zg_bench_fn fn) {
  if (g_ncases < MAX_CASES) {
    g_cases[g_ncases].name = name;
    g_cases[g_ncases].fn = fn;
    g_ncases++;
  }
}

bool zg_bench_loop(zg_bench_t *b) {
  if (!b->started) {
    b->started = true;
    b->ops = 0;
    b->check_at = 1;
    b->t_start = bench_now();
    return true;
  }
  b->ops++;
  if (b->ops < b->check_at) return true;
  uint64_t now = bench_now();
  uint64_t el = now - b->t_start;
  if (el >= b->min_ns) {
    b->t_end = now;
    return false;
  }
  /* Aim the next check at the remaining time, at most doubling. */
  uint64_t per = el / b->ops + 1;
  uint64_t more = (b->min_ns - el) / per + 1;
  if (more > b->ops) more = b->ops;
  b->check_at = b->ops + more;
  return true;
}

static int cmp_case(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int zg__bench_run(const char *filter, unsigned min_ms, bool cpu) {
  int run = 0;
  g_cpu = cpu;
  qsort(g_cases, (size_t)g_ncases, sizeof g_cases[0], cmp_case);
  printf("%-36s %10s %14s %10s%s\n", "name", "ops", "ns/op", "MB/s", cpu ? "   (process CPU time)" : "");
  for (int i = 0; i < g_ncases; i++) {
    if (filter && !strstr(g_cases[i].name, filter)) continue;
    zg_bench_t b;
    memset(&b, 0, sizeof b);
    b.min_ns = (uint64_t)min_ms * 1000000u;
    g_cases[i].fn(&b);
    if (!b.started || b.ops == 0) {
      printf("%-36s %10s\n", g_cases[i].name, "skipped");
      continue;
    }
    if (!b.t_end) b.t_end = bench_now();
    double ns = (double)(b.t_end - b.t_start) / (double)b.ops;
    if (b.bytes_per_op)
      printf("%-36s %10llu %14.1f %10.1f\n", g_cases[i].name, (unsigned long long)b.ops, ns,
             (double)b.bytes_per_op * 1e3 / ns);
    else
      printf("%-36s %10llu %14.1f %10s\n", g_cases[i].name, (unsigned long long)b.ops, ns, "-");
    fflush(stdout);
    run++;
  }
  return run;
}

void zg__bench_list(void) {
  qsort(g_cases, (size_t)g_ncases, sizeof g_cases[0], cmp_case);
  for (int i = 0; i < g_ncases; i++) printf("%s\n", g_cases[i].name);
}

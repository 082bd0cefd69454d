/* cli_info.c — `zg version`, `zg selftest` and `zg bench`. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cli/cli.h"
#include "zg/log.h"

int zg__cli_version(int argc, char **argv) {
  if (argc > 1) return zg__cli_usage_error(argv[0], "takes no arguments");
  printf("zg %s (libsodium %s)\n", ZG_VERSION_STR, sodium_version_string());
  return 0;
}

#define MAX_SECTIONS 64
static struct {
  const char *name;
  zg_selftest_fn fn;
} g_sections[MAX_SECTIONS];
static int g_nsections;

void zg__selftest_register(const char *name, zg_selftest_fn fn) {
  if (g_nsections < MAX_SECTIONS) {
    g_sections[g_nsections].name = name;
    g_sections[g_nsections].fn = fn;
    g_nsections++;
  }
}

static int cmp_section(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int zg__cli_selftest(int argc, char **argv) {
  if (argc > 2) return zg__cli_usage_error(argv[0], "takes at most one SECTION");
  const char *only = argc == 2 ? argv[1] : NULL;
  qsort(g_sections, (size_t)g_nsections, sizeof g_sections[0], cmp_section);
  int passed = 0, failed = 0;
  uint64_t t0 = zg_clock_ns();
  printf("zg %s self-test\n", ZG_VERSION_STR);
  for (int i = 0; i < g_nsections; i++) {
    if (only && strcmp(only, g_sections[i].name) != 0) continue;
    printf("\n== %s\n", g_sections[i].name);
    fflush(stdout);
    uint64_t t = zg_clock_ns();
    bool ok = g_sections[i].fn();
    printf("   %s in %.1f ms\n", ok ? "ok" : "FAILED", (double)(zg_clock_ns() - t) / 1e6);
    if (ok) passed++; else failed++;
  }
  if (only && passed + failed == 0) return zg__cli_usage_error(argv[0], "no section named '%s'", only);
  printf("\nselftest: %d passed, %d failed (%.1f ms)\n", passed, failed, (double)(zg_clock_ns() - t0) / 1e6);
  return failed ? 1 : 0;
}

int zg__cli_bench(int argc, char **argv) {
  const char *filter = NULL;
  unsigned ms = 300;
  bool cpu = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--cpu") == 0) {
      cpu = true;
    } else if (strcmp(argv[i], "--list") == 0) {
      zg__bench_list();
      return 0;
    } else if (strcmp(argv[i], "--ms") == 0 && i + 1 < argc) {
      char *end;
      long v = strtol(argv[++i], &end, 10);
      if (*end || v <= 0 || v > 600000) return zg__cli_usage_error(argv[0], "bad --ms value '%s'", argv[i]);
      ms = (unsigned)v;
    } else if (argv[i][0] == '-') {
      return zg__cli_usage_error(argv[0], "unknown flag '%s'", argv[i]);
    } else if (!filter) {
      filter = argv[i];
    } else {
      return zg__cli_usage_error(argv[0], "takes one FILTER");
    }
  }
  int n = zg__bench_run(filter, ms, cpu);
  if (n == 0) {
    fprintf(stderr, "zg bench: no benchmark matches '%s'\n", filter ? filter : "");
    return 1;
  }
  return 0;
}

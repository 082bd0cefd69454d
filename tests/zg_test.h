/*
 * zg_test.h — the small harness every test executable uses.
 *
 *   int main(int argc, char **argv) {
 *     zgt_init(argc, argv);        // parses --seed N, prints the seed
 *     ZGT_RUN(test_something);
 *     return zgt_done();           // prints "N passed, N failed", exit status
 *   }
 *
 * Random tests draw from zgt_rand*(), seeded from --seed or the clock, and
 * scale their loop counts with zgt_iters(n) (environment ZG_TEST_ITERS is a
 * multiplier, default 1). Vector files are found under zgt_vectors_dir():
 * $ZG_VECTORS, else the build's default (../shared/vectors beside the repo).
 */
#ifndef ZG_TEST_H
#define ZG_TEST_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zg/bytes.h"
#include "zg/err.h"

static uint64_t zgt__state;
static uint64_t zgt__seed;
static int zgt__checks_failed;
static int zgt__cases_passed, zgt__cases_failed;
static const char *zgt__case;

static inline uint64_t zgt_rand64(void) {
  /* splitmix64: good enough for tests, trivially reproducible. */
  uint64_t z = (zgt__state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static inline uint32_t zgt_rand_below(uint32_t n) { return n ? (uint32_t)(zgt_rand64() % n) : 0; }
static inline void zgt_rand_bytes(void *p, size_t n) {
  uint8_t *b = (uint8_t *)p;
  for (size_t i = 0; i < n; i++) b[i] = (uint8_t)zgt_rand64();
}

static inline long zgt_iters(long base) {
  const char *s = getenv("ZG_TEST_ITERS");
  double m = s ? atof(s) : 1.0;
  if (m <= 0) m = 1.0;
  long n = (long)(base * m);
  return n < 1 ? 1 : n;
}

static inline const char *zgt_vectors_dir(void) {
  const char *s = getenv("ZG_VECTORS");
#ifdef ZG_VECTORS_DEFAULT
  return s ? s : ZG_VECTORS_DEFAULT;
#else
  return s ? s : "../shared/vectors";
#endif
}

static inline void zgt_init(int argc, char **argv) {
  zgt__seed = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 20);
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) zgt__seed = strtoull(argv[++i], NULL, 0);
  }
  zgt__state = zgt__seed;
  printf("%s: seed %" PRIu64 " (rerun with --seed %" PRIu64 ")\n", argv[0], zgt__seed, zgt__seed);
}

#define ZGT_FAIL(...)                                                      \
  do {                                                                     \
    zgt__checks_failed++;                                                  \
    printf("  FAIL %s:%d (%s): ", __FILE__, __LINE__, zgt__case);          \
    printf(__VA_ARGS__);                                                   \
    printf("\n");                                                          \
  } while (0)

#define CHECK(cond)                                     \
  do {                                                  \
    if (!(cond)) ZGT_FAIL("%s", #cond);                 \
  } while (0)

#define CHECK_EQ(a, b)                                                                   \
  do {                                                                                   \
    unsigned long long zgt_a = (unsigned long long)(a), zgt_b = (unsigned long long)(b); \
    if (zgt_a != zgt_b) ZGT_FAIL("%s == %s (%llu != %llu)", #a, #b, zgt_a, zgt_b);       \
  } while (0)

#define CHECK_OK(expr)                                                          \
  do {                                                                          \
    zg_err_t zgt_e = (expr);                                                    \
    if (zgt_e != ZG_OK) ZGT_FAIL("%s -> %s", #expr, zg_errname(zgt_e));          \
  } while (0)

#define CHECK_ERR(expr, code)                                                            \
  do {                                                                                   \
    zg_err_t zgt_e = (expr);                                                             \
    if (zgt_e != (code)) ZGT_FAIL("%s -> %s, want %s", #expr, zg_errname(zgt_e), #code); \
  } while (0)

#define CHECK_MEM(a, b, n)                                              \
  do {                                                                  \
    if (memcmp((a), (b), (n)) != 0) ZGT_FAIL("%s == %s (%zu bytes)", #a, #b, (size_t)(n)); \
  } while (0)

#define ZGT_RUN(fn)                                  \
  do {                                               \
    int zgt_before = zgt__checks_failed;             \
    zgt__case = #fn;                                 \
    fn();                                            \
    if (zgt__checks_failed == zgt_before) {          \
      zgt__cases_passed++;                           \
    } else {                                         \
      zgt__cases_failed++;                           \
      printf("case %s FAILED\n", #fn);               \
    }                                                \
  } while (0)

static inline int zgt_done(void) {
  printf("%d passed, %d failed\n", zgt__cases_passed, zgt__cases_failed);
  return zgt__cases_failed ? 1 : 0;
}

#endif

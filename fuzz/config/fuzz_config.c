/*
 * fuzz_config.c — configuration parsing: arbitrary bytes as a config string,
 * then a fixed set of keys queried through every getter and the strict
 * check, and the raw input through the duration and size parsers. No crash,
 * no leak (everything is freed by zg_config_destroy), outputs always defined.
 */
#include <stdlib.h>
#include <string.h>

#include "zg/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {"a", "b", "a.b", "a.b.c", "rpc.addr", "rpc.port", "x", "x.y", "peers",
                                    "t", "s", "n", "", "a..b", ".a", "a."};
static const char *const known[] = {"a.b", "rpc.*", "x", "peers", "t"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint64_t v;
  if (zg_config_parse_duration_ns(&v, (const char *)data, size) != ZG_OK && v != 0) abort();
  if (zg_config_parse_size(&v, (const char *)data, size) != ZG_OK && v != 0) abort();

  char err[128];
  zg_config_t *c = NULL;
  zg_err_t e = zg_config_load_string(&c, err, sizeof err, "fuzz", (const char *)data, size, ZG_CONFIG_NO_ENV);
  if (e != ZG_OK) {
    if (c != NULL || strlen(err) >= sizeof err) abort();
    return 0;
  }
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    const char *p = paths[i], *s;
    uint64_t u;
    int64_t i64;
    bool b;
    double d;
    const char *const *arr;
    size_t n;
    if (zg_config_get_str(c, &s, p, "d") == ZG_OK && s == NULL) abort();
    if (zg_config_get_u64(c, &u, p, 7) != ZG_OK && u != 7) abort();
    /* Outputs are the default on every error, and in range on success. */
    if (zg_config_get_u64_range(c, &u, p, 1, 1, 100) == ZG_OK ? (u < 1 || u > 100) : u != 1) abort();
    if (zg_config_get_i64(c, &i64, p, -1) != ZG_OK && i64 != -1) abort();
    if (zg_config_get_bool(c, &b, p, true) != ZG_OK && !b) abort();
    if (zg_config_get_double(c, &d, p, 0.5) != ZG_OK && d != 0.5) abort();
    if (zg_config_get_duration_ns(c, &u, p, 3) != ZG_OK && u != 3) abort();
    if (zg_config_get_size(c, &u, p, 4) != ZG_OK && u != 4) abort();
    if (zg_config_get_strs(c, &arr, &n, p) == ZG_OK) {
      for (size_t k = 0; k < n; k++) {
        if (!arr[k]) abort();
      }
    } else if (arr || n) {
      abort();
    }
    (void)zg_config_has(c, p);
    if (strlen(zg_config_error(c)) >= 512) abort();
  }
  if (zg_config_check_known(c, known, sizeof known / sizeof known[0]) != ZG_OK && !zg_config_error(c)[0]) abort();
  zg_config_destroy(c);
  return 0;
}

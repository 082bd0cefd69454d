/*
 * test_config.c — configuration files (zg/config.h): good files written to a
 * temporary directory, every wrong type, strict mode with unknown keys,
 * malformed JSON with line and column, environment overrides, durations and
 * sizes with their malformed forms.
 */
#include <stdio.h>
#include <unistd.h>

#include "zg/config.h"
#include "zg_test.h"

static char g_dir[256];

/* Writes text to a new file in the temporary directory; returns its path. */
static const char *write_file(const char *name, const char *text) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) {
    ZGT_FAIL("cannot create %s", path);
    return path;
  }
  fwrite(text, 1, strlen(text), f);
  fclose(f);
  return path;
}

static const char GOOD[] =
    "{\n"
    "  \"rpc\": {\"addr\": \"127.0.0.1:8545\", \"enabled\": true, \"maxBody\": \"256KiB\"},\n"
    "  \"storage\": {\"shard\": {\"numShard\": 4, \"shardId\": 1}, \"dir\": \"data\", \"capacity\": 10737418240},\n"
    "  \"chain\": {\"blockTime\": \"500ms\", \"timeoutMs\": 3000, \"offset\": -42, \"gasPrice\": 1.5, \"ratio\": 2},\n"
    "  \"net\": {\"peers\": [\"a:1\", \"b:2\", \"c:3\"], \"empty\": [], \"seed\": null},\n"
    "  \"log\": {\"level\": \"info\"}\n"
    "}\n";

static zg_config_t *load_good(void) {
  char err[256];
  zg_config_t *c = NULL;
  CHECK_OK(zg_config_load_file(&c, err, sizeof err, write_file("good.json", GOOD), ZG_CONFIG_NO_ENV));
  return c;
}

static void test_good(void) {
  zg_config_t *c = load_good();
  if (!c) return;
  const char *s;
  uint64_t u;
  int64_t i;
  bool b;
  double d;
  CHECK_OK(zg_config_get_str(c, &s, "rpc.addr", NULL));
  CHECK(s && strcmp(s, "127.0.0.1:8545") == 0);
  CHECK_OK(zg_config_get_bool(c, &b, "rpc.enabled", false));
  CHECK(b);
  CHECK_OK(zg_config_get_size(c, &u, "rpc.maxBody", 0));
  CHECK_EQ(u, 256 * 1024);
  CHECK_OK(zg_config_get_u64(c, &u, "storage.shard.numShard", 1));
  CHECK_EQ(u, 4);
  CHECK_OK(zg_config_get_u64_range(c, &u, "storage.shard.shardId", 0, 0, 3));
  CHECK_EQ(u, 1);
  CHECK_OK(zg_config_get_size(c, &u, "storage.capacity", 0));
  CHECK_EQ(u, 10ull << 30);
  CHECK_OK(zg_config_get_duration_ns(c, &u, "chain.blockTime", 0));
  CHECK_EQ(u, 500000000ull);
  CHECK_OK(zg_config_get_duration_ns(c, &u, "chain.timeoutMs", 0));
  CHECK_EQ(u, 3000000000ull);
  CHECK_OK(zg_config_get_i64(c, &i, "chain.offset", 0));
  CHECK(i == -42);
  CHECK_OK(zg_config_get_double(c, &d, "chain.gasPrice", 0));
  CHECK(d == 1.5);
  CHECK_OK(zg_config_get_double(c, &d, "chain.ratio", 0)); /* an integer is a number */
  CHECK(d == 2.0);
  const char *const *arr;
  size_t n;
  CHECK_OK(zg_config_get_strs(c, &arr, &n, "net.peers"));
  CHECK_EQ(n, 3);
  if (n == 3) CHECK(strcmp(arr[0], "a:1") == 0 && strcmp(arr[2], "c:3") == 0);
  CHECK_OK(zg_config_get_strs(c, &arr, &n, "net.empty"));
  CHECK_EQ(n, 0);
  /* Absent keys (and null) give the default. */
  CHECK_OK(zg_config_get_str(c, &s, "net.seed", "dflt"));
  CHECK(strcmp(s, "dflt") == 0);
  CHECK_OK(zg_config_get_u64(c, &u, "storage.shard.missing", 77));
  CHECK_EQ(u, 77);
  CHECK_OK(zg_config_get_u64(c, &u, "nosuch.section.key", 78));
  CHECK_EQ(u, 78);
  CHECK_OK(zg_config_get_strs(c, &arr, &n, "net.none"));
  CHECK(arr == NULL && n == 0);
  CHECK_OK(zg_config_get_duration_ns(c, &u, "x", 5));
  CHECK_EQ(u, 5);
  CHECK(zg_config_has(c, "rpc.addr"));
  CHECK(zg_config_has(c, "storage.shard"));
  CHECK(!zg_config_has(c, "net.seed"));
  CHECK(!zg_config_has(c, "rpc.nope"));
  CHECK(strstr(zg_config_name(c), "good.json") != NULL);
  CHECK(zg_config_error(c)[0] == 0);
  zg_config_destroy(c);
}

/* Every getter against every JSON type it must refuse. */
static void test_wrong_types(void) {
  char err[256];
  zg_config_t *c = NULL;
  const char *t = "{\"s\":\"x\",\"i\":5,\"neg\":-5,\"r\":1.5,\"t\":true,\"o\":{\"k\":1},"
                  "\"a\":[1],\"sa\":[\"x\",2]}";
  CHECK_OK(zg_config_load_string(&c, err, sizeof err, "types.json", t, strlen(t), ZG_CONFIG_NO_ENV));
  if (!c) {
    ZGT_FAIL("load: %s", err);
    return;
  }
  static const char *keys[] = {"s", "i", "neg", "r", "t", "o", "a"};
  /* Which keys each getter accepts (bit per key, in the order above). */
  enum { S = 1, I = 2, NEG = 4, R = 8, T = 16 };
  const char *s;
  uint64_t u;
  int64_t i64;
  bool b;
  double d;
  const char *const *arr;
  size_t n;
  for (size_t k = 0; k < 7; k++) {
    const char *key = keys[k];
    unsigned bit = 1u << k;
    zg_err_t e = zg_config_get_str(c, &s, key, "def");
    CHECK_ERR(e, (bit & S) ? ZG_OK : ZG_ETYPE);
    if (e != ZG_OK) {
      CHECK(strcmp(s, "def") == 0); /* output is the default on error */
      const char *m = zg_config_error(c);
      if (!strstr(m, "types.json") || !strstr(m, key) || !strstr(m, "expected a string")) ZGT_FAIL("message: %s", m);
    }
    e = zg_config_get_u64(c, &u, key, 9);
    CHECK_ERR(e, (bit & I) ? ZG_OK : (bit & NEG) ? ZG_ERANGE : ZG_ETYPE);
    if (e != ZG_OK) {
      CHECK_EQ(u, 9);
      if (!strstr(zg_config_error(c), "unsigned integer")) ZGT_FAIL("message: %s", zg_config_error(c));
    }
    CHECK_ERR(zg_config_get_i64(c, &i64, key, 9), (bit & (I | NEG)) ? ZG_OK : ZG_ETYPE);
    CHECK_ERR(zg_config_get_bool(c, &b, key, false), (bit & T) ? ZG_OK : ZG_ETYPE);
    CHECK_ERR(zg_config_get_double(c, &d, key, 0), (bit & (I | NEG | R)) ? ZG_OK : ZG_ETYPE);
    e = zg_config_get_duration_ns(c, &u, key, 9);
    /* "x" is a string but not a duration: malformed, not mistyped. */
    CHECK_ERR(e, (bit & I) ? ZG_OK : (bit & NEG) ? ZG_ERANGE : (bit & S) ? ZG_ECONFIG : ZG_ETYPE);
    e = zg_config_get_size(c, &u, key, 9);
    CHECK_ERR(e, (bit & I) ? ZG_OK : (bit & NEG) ? ZG_ERANGE : (bit & S) ? ZG_ECONFIG : ZG_ETYPE);
    CHECK_ERR(zg_config_get_strs(c, &arr, &n, key), ZG_ETYPE);
    CHECK(arr == NULL && n == 0);
  }
  CHECK_ERR(zg_config_get_strs(c, &arr, &n, "a"), ZG_ETYPE);
  CHECK(strstr(zg_config_error(c), "a[0]: expected a string, got an integer") != NULL);
  CHECK_ERR(zg_config_get_strs(c, &arr, &n, "sa"), ZG_ETYPE);
  CHECK(strstr(zg_config_error(c), "sa[1]") != NULL);
  /* An intermediate key that is not an object. */
  CHECK_ERR(zg_config_get_u64(c, &u, "i.deeper", 0), ZG_ETYPE);
  CHECK(strstr(zg_config_error(c), "i: expected an object") != NULL);
  CHECK_ERR(zg_config_get_u64(c, &u, "o.k.deeper", 0), ZG_ETYPE);
  CHECK(strstr(zg_config_error(c), "o.k: expected an object") != NULL);
  /* Range-checked integers. */
  CHECK_ERR(zg_config_get_u64_range(c, &u, "i", 1, 6, 10), ZG_ERANGE);
  CHECK_EQ(u, 1);
  CHECK(strstr(zg_config_error(c), "out of range [6, 10]") != NULL);
  CHECK_OK(zg_config_get_u64_range(c, &u, "i", 1, 5, 5));
  /* Malformed paths. */
  CHECK_ERR(zg_config_get_u64(c, &u, "", 0), ZG_EINVAL);
  CHECK_ERR(zg_config_get_u64(c, &u, "o..k", 0), ZG_EINVAL);
  CHECK_ERR(zg_config_get_u64(c, &u, ".o", 0), ZG_EINVAL);
  CHECK_ERR(zg_config_get_u64(c, &u, "o.", 0), ZG_EINVAL);
  CHECK_ERR(zg_config_get_u64(c, &u, "nosuch..k", 0), ZG_EINVAL);
  /* A success clears the previous message. */
  CHECK_OK(zg_config_get_u64(c, &u, "i", 0));
  CHECK(zg_config_error(c)[0] == 0);
  zg_config_destroy(c);
}

static void test_u64_edges(void) {
  char err[256];
  zg_config_t *c = NULL;
  const char *t = "{\"max\": 9223372036854775807, \"zero\": 0, \"min\": -9223372036854775808, \"e\": 1e3, "
                  "\"f\": 3.0}";
  CHECK_OK(zg_config_load_string(&c, err, sizeof err, NULL, t, strlen(t), ZG_CONFIG_NO_ENV));
  if (!c) return;
  uint64_t u;
  int64_t i;
  CHECK_OK(zg_config_get_u64(c, &u, "max", 0));
  CHECK_EQ(u, 9223372036854775807ull);
  CHECK_OK(zg_config_get_u64(c, &u, "zero", 1));
  CHECK_EQ(u, 0);
  CHECK_ERR(zg_config_get_u64(c, &u, "min", 0), ZG_ERANGE);
  CHECK_OK(zg_config_get_i64(c, &i, "min", 0));
  CHECK(i == INT64_MIN);
  CHECK_ERR(zg_config_get_u64(c, &u, "e", 0), ZG_ETYPE); /* 1e3 is a real in JSON */
  CHECK_ERR(zg_config_get_u64(c, &u, "f", 0), ZG_ETYPE);
  CHECK(strstr(zg_config_error(c), "<string>: f: expected an unsigned integer, got a real number") != NULL);
  /* Durations in milliseconds overflow 64-bit nanoseconds. */
  CHECK_ERR(zg_config_get_duration_ns(c, &u, "max", 0), ZG_ERANGE);
  zg_config_destroy(c);
  /* Integers beyond int64 are a parse error of the file. */
  t = "{\"big\": 18446744073709551615}";
  CHECK_ERR(zg_config_load_string(&c, err, sizeof err, "big.json", t, strlen(t), 0), ZG_EJSON);
  CHECK(c == NULL);
  CHECK(strstr(err, "big.json:1:") != NULL);
}

static void test_malformed_json(void) {
  char err[256];
  zg_config_t *c = (zg_config_t *)&err; /* must be reset to NULL */
  const char *path = write_file("bad.json", "{\n  \"a\": 1,\n  \"b\": x\n}\n");
  CHECK_ERR(zg_config_load_file(&c, err, sizeof err, path, 0), ZG_EJSON);
  CHECK(c == NULL);
  /* file:line:column: text */
  char want[300];
  snprintf(want, sizeof want, "%s:3:", path);
  if (strncmp(err, want, strlen(want)) != 0) ZGT_FAIL("message: %s (want prefix %s)", err, want);
  printf("  malformed: %s\n", err);

  static const struct { const char *text; zg_err_t code; const char *needle; } cases[] = {
      {"", ZG_EJSON, "m.json:1:"},
      {"{", ZG_EJSON, "m.json:1:"},
      {"{\"a\":1,}", ZG_EJSON, "m.json:1:"},
      {"{\"a\":1}\n{}", ZG_EJSON, "m.json:2:"},       /* trailing content */
      {"{\"a\":1,\n\"a\":2}", ZG_EJSON, "m.json:2:"},  /* duplicate key */
      {"{\"a\": /* c */ 1}", ZG_EJSON, "m.json:1:"},   /* no comments */
      {"{\"a\": \"\xff\"}", ZG_EJSON, "m.json:1:"},     /* invalid UTF-8 */
      {"[1, 2]", ZG_ECONFIG, "top level must be an object"},
      {"\"str\"", ZG_EJSON, "m.json:1:"},
      {"{\"a.b\": 1}", ZG_ECONFIG, "key 'a.b'"},
      {"{\"o\": {\"\": 1}}", ZG_ECONFIG, "empty or contains '.'"},
      {"{\"o\": [{\"x.y\": 1}]}", ZG_ECONFIG, "key 'x.y'"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    c = (zg_config_t *)&err;
    zg_err_t e = zg_config_load_string(&c, err, sizeof err, "m.json", cases[k].text, strlen(cases[k].text), 0);
    if (e != cases[k].code) ZGT_FAIL("case %zu: %s -> %s", k, cases[k].text, zg_errname(e));
    CHECK(c == NULL);
    if (!strstr(err, cases[k].needle)) ZGT_FAIL("case %zu: message '%s' lacks '%s'", k, err, cases[k].needle);
  }
  /* A NUL byte inside the text is not a terminator. */
  c = (zg_config_t *)&err;
  CHECK_ERR(zg_config_load_string(&c, err, sizeof err, "nul", "{\"a\":1}\0{", 9, 0), ZG_EJSON);
  CHECK(c == NULL);
  /* Missing file; NULL error buffer is allowed. */
  char missing[300];
  snprintf(missing, sizeof missing, "%s/none.json", g_dir);
  CHECK_ERR(zg_config_load_file(&c, err, sizeof err, missing, 0), ZG_EIO);
  CHECK(strstr(err, "none.json: cannot open") != NULL);
  CHECK_ERR(zg_config_load_file(&c, NULL, 0, missing, 0), ZG_EIO);
  /* Deep nesting is refused, not recursed into without bound. */
  char deep[5 * 100 + 100 + 16];
  size_t o = 0;
  for (int k = 0; k < 100; k++) o += (size_t)snprintf(deep + o, sizeof deep - o, "{\"k\":");
  deep[o++] = '1';
  for (int k = 0; k < 100; k++) deep[o++] = '}';
  CHECK(zg_config_load_string(&c, err, sizeof err, "deep", deep, o, 0) != ZG_OK);
  CHECK(c == NULL);
}

static void test_strict(void) {
  zg_config_t *c = load_good();
  if (!c) return;
  static const char *const known[] = {"rpc.addr", "rpc.enabled", "rpc.maxBody", "storage.shard.numShard",
                                      "storage.shard.shardId", "storage.dir", "storage.capacity", "chain.*",
                                      "net.peers", "net.empty", "net.seed", "log.level"};
  CHECK_OK(zg_config_check_known(c, known, sizeof known / sizeof known[0]));
  zg_config_destroy(c);

  char err[256];
  const char *t = "{\"rpc\": {\"adr\": \"x\", \"enabled\": true}, \"storage\": {\"shard\": {\"numshard\": 2}},"
                  " \"extra\": {\"deep\": 1}, \"log\": {\"level\": {\"sub\": 1}}, \"storage2\": 5}";
  CHECK_OK(zg_config_load_string(&c, err, sizeof err, "typo.json", t, strlen(t), ZG_CONFIG_NO_ENV));
  if (!c) return;
  CHECK_ERR(zg_config_check_known(c, known, sizeof known / sizeof known[0]), ZG_ECONFIG);
  const char *m = zg_config_error(c);
  printf("  strict: %s\n", m);
  CHECK(strstr(m, "typo.json: ") == m);
  CHECK(strstr(m, "unknown key 'rpc.adr' (did you mean 'rpc.addr'?)") != NULL);
  CHECK(strstr(m, "unknown key 'storage.shard.numshard' (did you mean 'storage.shard.numShard'?)") != NULL);
  CHECK(strstr(m, "unknown key 'extra'") != NULL);
  CHECK(strstr(m, "unknown key 'storage2'") != NULL);
  CHECK(strstr(m, "rpc.enabled") == NULL);
  CHECK(strstr(m, "log.level") == NULL); /* a known path accepts any value; its getter checks */
  /* An object where a section is expected is walked; a scalar is not. */
  static const char *const k2[] = {"extra.deep"};
  CHECK_ERR(zg_config_check_known(c, k2, 1), ZG_ECONFIG);
  CHECK(strstr(zg_config_error(c), "'extra'") == NULL);
  CHECK_OK(zg_config_check_known(c, (const char *const[]){"rpc.*", "storage.*", "extra.*", "log.*", "storage2"}, 5));
  zg_config_destroy(c);
  /* An empty object against an empty list is fine. */
  CHECK_OK(zg_config_load_string(&c, err, sizeof err, "e", "{}", 2, 0));
  if (c) CHECK_OK(zg_config_check_known(c, NULL, 0));
  zg_config_destroy(c);
}

static void test_env(void) {
  char err[256];
  zg_config_t *c = NULL;
  const char *t = "{\"rpc\": {\"addr\": \"file\", \"port\": 1}, \"storage\": {\"shard\": {\"numShard\": 4}},"
                  " \"da-signer\": {\"on\": false}, \"net\": {\"peers\": [\"p\"]}}";
  CHECK_OK(zg_config_load_string(&c, err, sizeof err, "env.json", t, strlen(t), 0));
  if (!c) return;
  setenv("ZG_RPC_ADDR", "0.0.0.0:1", 1);
  setenv("ZG_RPC_PORT", "8545", 1);
  setenv("ZG_STORAGE_SHARD_NUMSHARD", "16", 1);
  setenv("ZG_DA_SIGNER_ON", "true", 1);
  setenv("ZG_CHAIN_BLOCKTIME", "2s", 1);
  setenv("ZG_CHAIN_MAXBLOCK", "1MiB", 1);
  setenv("ZG_CHAIN_OFFSET", "-7", 1);
  setenv("ZG_CHAIN_RATIO", "0.25", 1);
  setenv("ZG_NET_PEERS", "q", 1);
  const char *s;
  uint64_t u;
  int64_t i;
  bool b;
  double d;
  CHECK_OK(zg_config_get_str(c, &s, "rpc.addr", NULL));
  CHECK(strcmp(s, "0.0.0.0:1") == 0);
  setenv("ZG_RPC_ADDR", "changed", 1); /* the returned string is a copy */
  CHECK(strcmp(s, "0.0.0.0:1") == 0);
  CHECK_OK(zg_config_get_u64(c, &u, "rpc.port", 0));
  CHECK_EQ(u, 8545);
  CHECK_OK(zg_config_get_u64(c, &u, "storage.shard.numShard", 0));
  CHECK_EQ(u, 16);
  CHECK_OK(zg_config_get_bool(c, &b, "da-signer.on", false));
  CHECK(b);
  CHECK_OK(zg_config_get_duration_ns(c, &u, "chain.blockTime", 0)); /* absent from the file */
  CHECK_EQ(u, 2000000000ull);
  CHECK(zg_config_has(c, "chain.blockTime"));
  CHECK_OK(zg_config_get_size(c, &u, "chain.maxBlock", 0));
  CHECK_EQ(u, 1u << 20);
  CHECK_OK(zg_config_get_i64(c, &i, "chain.offset", 0));
  CHECK(i == -7);
  CHECK_OK(zg_config_get_double(c, &d, "chain.ratio", 0));
  CHECK(d == 0.25);
  const char *const *arr;
  size_t n;
  CHECK_OK(zg_config_get_strs(c, &arr, &n, "net.peers")); /* arrays are not overridden */
  CHECK(n == 1 && strcmp(arr[0], "p") == 0);

  /* Malformed environment values name the variable. */
  setenv("ZG_RPC_PORT", "-1", 1);
  CHECK_ERR(zg_config_get_u64(c, &u, "rpc.port", 3), ZG_ECONFIG);
  CHECK_EQ(u, 3);
  if (!strstr(zg_config_error(c), "rpc.port (from ZG_RPC_PORT='-1')")) ZGT_FAIL("%s", zg_config_error(c));
  setenv("ZG_RPC_PORT", "99999999999999999999", 1);
  CHECK_ERR(zg_config_get_u64(c, &u, "rpc.port", 3), ZG_ERANGE);
  setenv("ZG_RPC_PORT", "70000", 1);
  CHECK_ERR(zg_config_get_u64_range(c, &u, "rpc.port", 3, 1, 65535), ZG_ERANGE);
  setenv("ZG_RPC_PORT", "", 1);
  CHECK_ERR(zg_config_get_u64(c, &u, "rpc.port", 3), ZG_ECONFIG);
  setenv("ZG_RPC_PORT", " 1", 1);
  CHECK_ERR(zg_config_get_u64(c, &u, "rpc.port", 3), ZG_ECONFIG);
  setenv("ZG_DA_SIGNER_ON", "yes", 1);
  CHECK_ERR(zg_config_get_bool(c, &b, "da-signer.on", false), ZG_ECONFIG);
  setenv("ZG_CHAIN_BLOCKTIME", "2 s", 1);
  CHECK_ERR(zg_config_get_duration_ns(c, &u, "chain.blockTime", 0), ZG_ECONFIG);
  setenv("ZG_CHAIN_OFFSET", "-9223372036854775809", 1);
  CHECK_ERR(zg_config_get_i64(c, &i, "chain.offset", 0), ZG_ERANGE);
  setenv("ZG_CHAIN_OFFSET", "-9223372036854775808", 1);
  CHECK_OK(zg_config_get_i64(c, &i, "chain.offset", 0));
  CHECK(i == INT64_MIN);
  setenv("ZG_CHAIN_OFFSET", "+1", 1);
  CHECK_ERR(zg_config_get_i64(c, &i, "chain.offset", 0), ZG_ECONFIG);
  setenv("ZG_CHAIN_RATIO", "nan", 1);
  CHECK_ERR(zg_config_get_double(c, &d, "chain.ratio", 0), ZG_ERANGE);
  setenv("ZG_CHAIN_RATIO", "1.5x", 1);
  CHECK_ERR(zg_config_get_double(c, &d, "chain.ratio", 0), ZG_ECONFIG);
  zg_config_destroy(c);

  /* ZG_CONFIG_NO_ENV ignores the environment. */
  CHECK_OK(zg_config_load_string(&c, err, sizeof err, "env.json", t, strlen(t), ZG_CONFIG_NO_ENV));
  if (c) {
    CHECK_OK(zg_config_get_u64(c, &u, "storage.shard.numShard", 0));
    CHECK_EQ(u, 4);
    CHECK(!zg_config_has(c, "chain.blockTime"));
    zg_config_destroy(c);
  }
  static const char *vars[] = {"ZG_RPC_ADDR", "ZG_RPC_PORT", "ZG_STORAGE_SHARD_NUMSHARD", "ZG_DA_SIGNER_ON",
                               "ZG_CHAIN_BLOCKTIME", "ZG_CHAIN_MAXBLOCK", "ZG_CHAIN_OFFSET", "ZG_CHAIN_RATIO",
                               "ZG_NET_PEERS"};
  for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++) unsetenv(vars[k]);
}

static void test_durations(void) {
  static const struct { const char *s; uint64_t ns; } good[] = {
      {"0", 0},          {"500", 500000000ull},  {"500ms", 500000000ull}, {"3s", 3000000000ull},
      {"2m", 120000000000ull}, {"1h", 3600000000000ull}, {"250us", 250000ull}, {"7ns", 7},
      {"1h30m", 5400000000000ull}, {"1m1s1ms", 61001000000ull}, {"0s", 0}, {"007s", 7000000000ull},
      {"18446744073709551615ns", UINT64_MAX}};
  for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
    uint64_t v = 1;
    zg_err_t e = zg_config_parse_duration_ns(&v, good[k].s, strlen(good[k].s));
    if (e != ZG_OK || v != good[k].ns) ZGT_FAIL("'%s' -> %s %llu", good[k].s, zg_errname(e), (unsigned long long)v);
  }
  static const struct { const char *s; zg_err_t e; } bad[] = {
      {"", ZG_ECONFIG},   {"ms", ZG_ECONFIG},  {"5 s", ZG_ECONFIG},  {" 5s", ZG_ECONFIG}, {"5s ", ZG_ECONFIG},
      {"5S", ZG_ECONFIG}, {"5sec", ZG_ECONFIG}, {"1.5s", ZG_ECONFIG}, {"-1s", ZG_ECONFIG}, {"+1s", ZG_ECONFIG},
      {"5d", ZG_ECONFIG}, {"s5", ZG_ECONFIG},  {"1h30", ZG_ECONFIG}, {"0x10ms", ZG_ECONFIG}, {"5µs", ZG_ECONFIG},
      {"18446744073709551616ns", ZG_ERANGE}, {"18446744073709551615ms", ZG_ERANGE},
      {"18446744073709551615ns1ns", ZG_ERANGE}, {"99999999999999999999", ZG_ERANGE}};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    uint64_t v = 1;
    zg_err_t e = zg_config_parse_duration_ns(&v, bad[k].s, strlen(bad[k].s));
    if (e != bad[k].e || v != 0) ZGT_FAIL("'%s' -> %s, want %s", bad[k].s, zg_errname(e), zg_errname(bad[k].e));
  }
  /* Length-delimited: "5s" out of "5sX". */
  uint64_t v;
  CHECK_OK(zg_config_parse_duration_ns(&v, "5sX", 2));
  CHECK_EQ(v, 5000000000ull);
  CHECK_ERR(zg_config_parse_duration_ns(&v, NULL, 0), ZG_ECONFIG);
}

static void test_sizes(void) {
  static const struct { const char *s; uint64_t n; } good[] = {
      {"0", 0},        {"4096", 4096},           {"12B", 12},         {"1KB", 1000},
      {"256KiB", 262144}, {"10GiB", 10ull << 30}, {"3MB", 3000000},     {"2TiB", 2ull << 40},
      {"5TB", 5000000000000ull}, {"7MiB", 7ull << 20}, {"1GB", 1000000000ull}, {"16777215TiB", 16777215ull << 40}};
  for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
    uint64_t v = 1;
    zg_err_t e = zg_config_parse_size(&v, good[k].s, strlen(good[k].s));
    if (e != ZG_OK || v != good[k].n) ZGT_FAIL("'%s' -> %s %llu", good[k].s, zg_errname(e), (unsigned long long)v);
  }
  static const struct { const char *s; zg_err_t e; } bad[] = {
      {"", ZG_ECONFIG},      {"KiB", ZG_ECONFIG},  {"1 KiB", ZG_ECONFIG}, {"1kib", ZG_ECONFIG},
      {"1KIB", ZG_ECONFIG},  {"1K", ZG_ECONFIG},   {"1.5GiB", ZG_ECONFIG}, {"-1", ZG_ECONFIG},
      {"1KiB1B", ZG_ECONFIG}, {"1b", ZG_ECONFIG},  {"1PiB", ZG_ECONFIG},  {"16777216TiB", ZG_ERANGE},
      {"18446744073709551616", ZG_ERANGE}, {"18446744073709551615KB", ZG_ERANGE}};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    uint64_t v = 1;
    zg_err_t e = zg_config_parse_size(&v, bad[k].s, strlen(bad[k].s));
    if (e != bad[k].e || v != 0) ZGT_FAIL("'%s' -> %s, want %s", bad[k].s, zg_errname(e), zg_errname(bad[k].e));
  }
  /* Through a file: the message shows the bad string. */
  uint64_t v;
  char err[256];
  zg_config_t *c = NULL;
  const char *t = "{\"cache\": \"10 GiB\", \"t\": \"3 s\", \"neg\": -1}";
  CHECK_OK(zg_config_load_string(&c, err, sizeof err, "sz.json", t, strlen(t), ZG_CONFIG_NO_ENV));
  if (!c) return;
  CHECK_ERR(zg_config_get_size(c, &v, "cache", 5), ZG_ECONFIG);
  CHECK_EQ(v, 5);
  CHECK(strstr(zg_config_error(c), "sz.json: cache: expected a size") != NULL);
  CHECK(strstr(zg_config_error(c), "\"10 GiB\"") != NULL);
  CHECK_ERR(zg_config_get_duration_ns(c, &v, "t", 5), ZG_ECONFIG);
  CHECK(strstr(zg_config_error(c), "t: expected a duration") != NULL);
  CHECK_ERR(zg_config_get_size(c, &v, "neg", 5), ZG_ERANGE);
  CHECK_ERR(zg_config_get_duration_ns(c, &v, "neg", 5), ZG_ERANGE);
  zg_config_destroy(c);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  const char *tmp = getenv("TMPDIR");
  snprintf(g_dir, sizeof g_dir, "%s/zg_test_config.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(g_dir)) {
    printf("cannot create a temporary directory\n");
    return 1;
  }
  ZGT_RUN(test_good);
  ZGT_RUN(test_wrong_types);
  ZGT_RUN(test_u64_edges);
  ZGT_RUN(test_malformed_json);
  ZGT_RUN(test_strict);
  ZGT_RUN(test_env);
  ZGT_RUN(test_durations);
  ZGT_RUN(test_sizes);
  static const char *files[] = {"good.json", "bad.json"};
  for (size_t k = 0; k < 2; k++) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", g_dir, files[k]);
    unlink(p);
  }
  rmdir(g_dir);
  return zgt_done();
}

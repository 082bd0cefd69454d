/*
 * config.c — JSON configuration files with typed getters, environment
 * overrides and a strict known-keys check (zg/config.h, docs/config.md).
 *
 * Invariants: c->root is a JSON object whose keys (at every depth) are
 * non-empty and hold no '.', so a dotted path names at most one value and the
 * strict check can rebuild paths unambiguously; every string a getter hands
 * out is owned either by c->root or by c->owned, both freed by destroy; every
 * getter leaves its output defined (the default) on failure and its message
 * in c->err.
 */
#include "zg/config.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A block a getter handed out, freed with the config. */
typedef struct owned {
  struct owned *next;
} owned_t;

struct zg_config {
  json_t *root;
  char *name;
  unsigned flags;
  owned_t *owned;
  char err[512];
};

#define MAX_FILE (64u << 20)  /* a config file is small; refuse anything huge */
#define MAX_PATH_LEN 512      /* longest dotted path accepted */

/* ---- messages ---- */

static void set_msg(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_msg(char *dst, size_t cap, const char *fmt, ...) {
  if (!dst || cap == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(dst, cap, fmt, ap);
  va_end(ap);
}

/* Records the message of a failing getter and returns code. */
static zg_err_t fail(zg_config_t *c, zg_err_t code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static zg_err_t fail(zg_config_t *c, zg_err_t code, const char *fmt, ...) {
  int n = snprintf(c->err, sizeof c->err, "%s: ", c->name);
  if (n < 0 || (size_t)n >= sizeof c->err) return code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err + n, sizeof c->err - (size_t)n, fmt, ap);
  va_end(ap);
  return code;
}

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
  }
  return "?";
}

/* ---- loading ---- */

/* Checks every key at every depth: non-empty, no '.'. */
static zg_err_t check_keys(const json_t *v, char *err, size_t errlen, const char *name, int depth) {
  if (depth > 64) {
    set_msg(err, errlen, "%s: objects nested deeper than 64 levels", name);
    return ZG_ECONFIG;
  }
  if (json_is_object(v)) {
    const char *k;
    json_t *child;
    json_object_foreach((json_t *)v, k, child) {
      if (k[0] == 0 || strchr(k, '.')) {
        set_msg(err, errlen, "%s: key '%s' is empty or contains '.' (dots separate path segments)", name, k);
        return ZG_ECONFIG;
      }
      ZG_TRY(check_keys(child, err, errlen, name, depth + 1));
    }
  } else if (json_is_array(v)) {
    for (size_t i = 0; i < json_array_size(v); i++) ZG_TRY(check_keys(json_array_get(v, i), err, errlen, name, depth + 1));
  }
  return ZG_OK;
}

zg_err_t zg_config_load_string(zg_config_t **out, char *err, size_t errlen, const char *name, const char *text,
                               size_t len, unsigned flags) {
  *out = NULL;
  set_msg(err, errlen, "%s", "");
  if (!name) name = "<string>";
  if (!text && len) return ZG_EINVAL;
  json_error_t je;
  json_t *root = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &je);
  if (!root) {
    bool oom = json_error_code(&je) == json_error_out_of_memory;
    set_msg(err, errlen, "%s:%d:%d: %s", name, je.line, je.column, je.text);
    return oom ? ZG_ENOMEM : ZG_EJSON;
  }
  zg_err_t e = ZG_OK;
  zg_config_t *c = NULL;
  if (!json_is_object(root)) {
    set_msg(err, errlen, "%s: the top level must be an object, not %s", name, type_name(root));
    e = ZG_ECONFIG;
    goto out;
  }
  e = check_keys(root, err, errlen, name, 0);
  if (e != ZG_OK) goto out;
  c = calloc(1, sizeof *c);
  if (!c || !(c->name = strdup(name))) {
    set_msg(err, errlen, "%s: out of memory", name);
    e = ZG_ENOMEM;
    goto out;
  }
  c->root = root;
  c->flags = flags;
  root = NULL;
  *out = c;
  c = NULL;
out:
  if (root) json_decref(root);
  if (c) zg_config_destroy(c);
  return e;
}

zg_err_t zg_config_load_file(zg_config_t **out, char *err, size_t errlen, const char *path, unsigned flags) {
  *out = NULL;
  set_msg(err, errlen, "%s", "");
  if (!path) return ZG_EINVAL;
  zg_err_t e = ZG_OK;
  char *text = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) {
    set_msg(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return ZG_EIO;
  }
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      if (cap >= MAX_FILE) {
        set_msg(err, errlen, "%s: larger than %u bytes", path, MAX_FILE);
        e = ZG_ECONFIG;
        goto out;
      }
      cap = cap ? cap * 2 : 4096;
      char *t = realloc(text, cap);
      if (!t) {
        e = ZG_ENOMEM;
        goto out;
      }
      text = t;
    }
    size_t got = fread(text + len, 1, cap - len, f);
    len += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    set_msg(err, errlen, "%s: read error", path);
    e = ZG_EIO;
    goto out;
  }
  e = zg_config_load_string(out, err, errlen, path, text, len, flags);
out:
  free(text);
  fclose(f);
  return e;
}

void zg_config_destroy(zg_config_t *c) {
  if (!c) return;
  while (c->owned) {
    owned_t *o = c->owned;
    c->owned = o->next;
    free(o);
  }
  if (c->root) json_decref(c->root);
  free(c->name);
  free(c);
}

const char *zg_config_error(const zg_config_t *c) { return c->err; }
const char *zg_config_name(const zg_config_t *c) { return c->name; }

/* Allocates n bytes owned by c (freed at destroy); NULL when out of memory. */
static void *own_alloc(zg_config_t *c, size_t n) {
  if (n > SIZE_MAX - sizeof(owned_t) - 16) return NULL;
  /* The header is padded to 16 bytes so the payload stays well aligned. */
  owned_t *o = malloc(16 + n);
  if (!o) return NULL;
  o->next = c->owned;
  c->owned = o;
  return (char *)o + 16;
}

/* ---- paths and the environment ---- */

/* Finds the value at path: *v is NULL when absent or null. */
static zg_err_t lookup(zg_config_t *c, json_t **v, const char *path) {
  *v = NULL;
  size_t plen = path ? strlen(path) : 0;
  if (plen == 0 || path[0] == '.' || path[plen - 1] == '.' || strstr(path, "..")) {
    return fail(c, ZG_EINVAL, "malformed path '%s'", path ? path : "");
  }
  json_t *cur = c->root;
  const char *seg = path;
  for (;;) {
    const char *dot = strchr(seg, '.');
    size_t n = dot ? (size_t)(dot - seg) : strlen(seg);
    if (!json_is_object(cur)) {
      return fail(c, ZG_ETYPE, "%.*s: expected an object (on the way to %s), got %s", (int)(seg - 1 - path), path,
                  path, type_name(cur));
    }
    cur = json_object_getn(cur, seg, n);
    if (!cur) return ZG_OK;
    if (!dot) break;
    seg = dot + 1;
  }
  if (!json_is_null(cur)) *v = cur;
  return ZG_OK;
}

/* The environment variable overriding path, or NULL. name receives its name. */
static const char *env_for(zg_config_t *c, char *name, size_t cap, const char *path) {
  if (c->flags & ZG_CONFIG_NO_ENV) return NULL;
  size_t n = strlen(path);
  if (n + 4 > cap) return NULL;
  memcpy(name, "ZG_", 3);
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)path[i];
    name[3 + i] = isalnum(ch) ? (char)toupper(ch) : '_';
  }
  name[3 + n] = 0;
  return getenv(name);
}

bool zg_config_has(zg_config_t *c, const char *path) {
  char name[MAX_PATH_LEN + 4];
  if (!path) return false;
  if (env_for(c, name, sizeof name, path)) return true;
  json_t *v;
  char saved[sizeof c->err];
  memcpy(saved, c->err, sizeof saved);
  bool found = lookup(c, &v, path) == ZG_OK && v != NULL;
  memcpy(c->err, saved, sizeof saved); /* a query is not a failure */
  return found;
}

/* ---- scalar parsing (environment values, durations, sizes) ---- */

/* Parses decimal digits s[0..len) into *out. ZG_ECONFIG when empty or not all
 * digits, ZG_ERANGE above UINT64_MAX. */
static zg_err_t parse_digits(uint64_t *out, const char *s, size_t len) {
  *out = 0;
  if (len == 0) return ZG_ECONFIG;
  uint64_t v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return ZG_ECONFIG;
    unsigned d = (unsigned)(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return ZG_ERANGE;
    v = v * 10 + d;
  }
  *out = v;
  return ZG_OK;
}

static zg_err_t mul_add(uint64_t *acc, uint64_t v, uint64_t unit) {
  if (unit && v > UINT64_MAX / unit) return ZG_ERANGE;
  if (v * unit > UINT64_MAX - *acc) return ZG_ERANGE;
  *acc += v * unit;
  return ZG_OK;
}

zg_err_t zg_config_parse_duration_ns(uint64_t *out, const char *s, size_t len) {
  static const struct { const char *name; uint64_t ns; } units[] = {
      {"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}, {"m", 60000000000ull}, {"h", 3600000000000ull}};
  *out = 0;
  if (!s || len == 0) return ZG_ECONFIG;
  size_t i = 0;
  while (i < len && s[i] >= '0' && s[i] <= '9') i++;
  if (i == len) { /* bare digits: milliseconds */
    uint64_t ms;
    ZG_TRY(parse_digits(&ms, s, len));
    uint64_t acc = 0;
    ZG_TRY(mul_add(&acc, ms, 1000000));
    *out = acc;
    return ZG_OK;
  }
  uint64_t acc = 0;
  i = 0;
  while (i < len) {
    size_t d0 = i;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++;
    if (i == d0) return ZG_ECONFIG; /* a unit with no number, or a stray character */
    uint64_t v;
    ZG_TRY(parse_digits(&v, s + d0, i - d0));
    size_t u0 = i;
    while (i < len && ((s[i] >= 'a' && s[i] <= 'z'))) i++;
    uint64_t unit = 0;
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
      if (strlen(units[k].name) == i - u0 && memcmp(units[k].name, s + u0, i - u0) == 0) unit = units[k].ns;
    }
    if (unit == 0) return ZG_ECONFIG;
    zg_err_t e = mul_add(&acc, v, unit);
    if (e != ZG_OK) return e;
  }
  *out = acc;
  return ZG_OK;
}

zg_err_t zg_config_parse_size(uint64_t *out, const char *s, size_t len) {
  static const struct { const char *name; uint64_t mul; } units[] = {
      {"B", 1},          {"KB", 1000ull},    {"MB", 1000000ull},    {"GB", 1000000000ull}, {"TB", 1000000000000ull},
      {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30}, {"TiB", 1ull << 40}};
  *out = 0;
  if (!s || len == 0) return ZG_ECONFIG;
  size_t i = 0;
  while (i < len && s[i] >= '0' && s[i] <= '9') i++;
  if (i == 0) return ZG_ECONFIG;
  uint64_t v;
  ZG_TRY(parse_digits(&v, s, i));
  uint64_t mul = i == len ? 1 : 0;
  for (size_t k = 0; k < sizeof units / sizeof units[0] && !mul; k++) {
    if (strlen(units[k].name) == len - i && memcmp(units[k].name, s + i, len - i) == 0) mul = units[k].mul;
  }
  if (mul == 0) return ZG_ECONFIG;
  uint64_t acc = 0;
  ZG_TRY(mul_add(&acc, v, mul));
  *out = acc;
  return ZG_OK;
}

/* ---- getters ----
 * Each getter first looks for an environment override, then for the value in
 * the file. The helpers below report with the key's name and the source. */

typedef struct {
  json_t *v;        /* value from the file, or NULL */
  const char *env;  /* value from the environment, or NULL */
  char env_name[MAX_PATH_LEN + 4];
} source_t;

static zg_err_t find(zg_config_t *c, source_t *src, const char *path) {
  c->err[0] = 0;
  src->v = NULL;
  src->env = NULL;
  if (!path || !*path) return fail(c, ZG_EINVAL, "empty path");
  if (strlen(path) > MAX_PATH_LEN) return fail(c, ZG_EINVAL, "path longer than %d bytes", MAX_PATH_LEN);
  /* The file's structure is checked even when the environment overrides,
   * so a broken file is never hidden by an override. */
  ZG_TRY(lookup(c, &src->v, path));
  src->env = env_for(c, src->env_name, sizeof src->env_name, path);
  return ZG_OK;
}

static zg_err_t env_bad(zg_config_t *c, zg_err_t code, const source_t *src, const char *path, const char *what) {
  return fail(c, code, "%s (from %s='%.64s'): expected %s", path, src->env_name, src->env, what);
}

static zg_err_t json_bad(zg_config_t *c, const source_t *src, const char *path, const char *what) {
  return fail(c, ZG_ETYPE, "%s: expected %s, got %s", path, what, type_name(src->v));
}

zg_err_t zg_config_get_str(zg_config_t *c, const char **out, const char *path, const char *def) {
  source_t src;
  *out = def;
  ZG_TRY(find(c, &src, path));
  if (src.env) {
    size_t n = strlen(src.env);
    char *copy = own_alloc(c, n + 1);
    if (!copy) return fail(c, ZG_ENOMEM, "%s: out of memory", path);
    memcpy(copy, src.env, n + 1);
    *out = copy;
    return ZG_OK;
  }
  if (!src.v) return ZG_OK;
  if (!json_is_string(src.v)) return json_bad(c, &src, path, "a string");
  *out = json_string_value(src.v);
  return ZG_OK;
}

static const char *const U64_WHAT = "an unsigned integer";

zg_err_t zg_config_get_u64(zg_config_t *c, uint64_t *out, const char *path, uint64_t def) {
  return zg_config_get_u64_range(c, out, path, def, 0, UINT64_MAX);
}

zg_err_t zg_config_get_u64_range(zg_config_t *c, uint64_t *out, const char *path, uint64_t def, uint64_t min,
                                 uint64_t max) {
  source_t src;
  *out = def;
  ZG_TRY(find(c, &src, path));
  uint64_t v;
  if (src.env) {
    zg_err_t e = parse_digits(&v, src.env, strlen(src.env));
    if (e != ZG_OK) return env_bad(c, e, &src, path, U64_WHAT);
  } else if (!src.v) {
    return ZG_OK;
  } else if (json_is_integer(src.v)) {
    json_int_t i = json_integer_value(src.v);
    if (i < 0) return fail(c, ZG_ERANGE, "%s: expected %s, got %lld", path, U64_WHAT, (long long)i);
    v = (uint64_t)i;
  } else {
    return json_bad(c, &src, path, U64_WHAT);
  }
  if (v < min || v > max) {
    return fail(c, ZG_ERANGE, "%s: %llu is out of range [%llu, %llu]", path, (unsigned long long)v,
                (unsigned long long)min, (unsigned long long)max);
  }
  *out = v;
  return ZG_OK;
}

zg_err_t zg_config_get_i64(zg_config_t *c, int64_t *out, const char *path, int64_t def) {
  source_t src;
  *out = def;
  ZG_TRY(find(c, &src, path));
  if (src.env) {
    const char *s = src.env;
    bool neg = s[0] == '-';
    uint64_t m;
    zg_err_t e = parse_digits(&m, s + neg, strlen(s + neg));
    if (e == ZG_OK && m > (uint64_t)INT64_MAX + neg) e = ZG_ERANGE;
    if (e != ZG_OK) return env_bad(c, e, &src, path, "an integer");
    *out = neg ? (m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m) : (int64_t)m;
    return ZG_OK;
  }
  if (!src.v) return ZG_OK;
  if (!json_is_integer(src.v)) return json_bad(c, &src, path, "an integer");
  *out = (int64_t)json_integer_value(src.v);
  return ZG_OK;
}

zg_err_t zg_config_get_bool(zg_config_t *c, bool *out, const char *path, bool def) {
  source_t src;
  *out = def;
  ZG_TRY(find(c, &src, path));
  if (src.env) {
    if (strcmp(src.env, "true") == 0 || strcmp(src.env, "1") == 0) {
      *out = true;
    } else if (strcmp(src.env, "false") == 0 || strcmp(src.env, "0") == 0) {
      *out = false;
    } else {
      return env_bad(c, ZG_ECONFIG, &src, path, "true, false, 1 or 0");
    }
    return ZG_OK;
  }
  if (!src.v) return ZG_OK;
  if (!json_is_boolean(src.v)) return json_bad(c, &src, path, "true or false");
  *out = json_is_true(src.v);
  return ZG_OK;
}

zg_err_t zg_config_get_double(zg_config_t *c, double *out, const char *path, double def) {
  source_t src;
  *out = def;
  ZG_TRY(find(c, &src, path));
  if (src.env) {
    char *end;
    errno = 0;
    double d = strtod(src.env, &end);
    if (!src.env[0] || *end || isspace((unsigned char)src.env[0])) return env_bad(c, ZG_ECONFIG, &src, path, "a number");
    if (errno == ERANGE || !isfinite(d)) return env_bad(c, ZG_ERANGE, &src, path, "a finite number");
    *out = d;
    return ZG_OK;
  }
  if (!src.v) return ZG_OK;
  if (!json_is_number(src.v)) return json_bad(c, &src, path, "a number");
  *out = json_number_value(src.v);
  return ZG_OK;
}

/* Shared by durations (unit_ns = 1e6: numbers are milliseconds) and sizes. */
static zg_err_t get_quantity(zg_config_t *c, uint64_t *out, const char *path, uint64_t def, bool duration) {
  static const char *const dur_what = "a duration (integer milliseconds, or a string like \"500ms\", \"3s\", \"2m\")";
  static const char *const size_what = "a size (integer bytes, or a string like \"256KiB\", \"10GiB\")";
  const char *what = duration ? dur_what : size_what;
  source_t src;
  *out = def;
  ZG_TRY(find(c, &src, path));
  const char *s = NULL;
  if (src.env) {
    s = src.env;
  } else if (!src.v) {
    return ZG_OK;
  } else if (json_is_string(src.v)) {
    s = json_string_value(src.v);
  } else if (json_is_integer(src.v)) {
    json_int_t i = json_integer_value(src.v);
    if (i < 0) return fail(c, ZG_ERANGE, "%s: expected %s, got %lld", path, what, (long long)i);
    uint64_t v = 0;
    if (mul_add(&v, (uint64_t)i, duration ? 1000000 : 1) != ZG_OK) {
      return fail(c, ZG_ERANGE, "%s: %lld overflows 64 bits", path, (long long)i);
    }
    *out = v;
    return ZG_OK;
  } else {
    return json_bad(c, &src, path, what);
  }
  uint64_t v;
  size_t n = strlen(s);
  zg_err_t e = duration ? zg_config_parse_duration_ns(&v, s, n) : zg_config_parse_size(&v, s, n);
  if (e != ZG_OK) {
    if (src.env) return env_bad(c, e, &src, path, what);
    return fail(c, e, "%s: expected %s, got \"%.64s\"", path, what, s);
  }
  *out = v;
  return ZG_OK;
}

zg_err_t zg_config_get_duration_ns(zg_config_t *c, uint64_t *out, const char *path, uint64_t def) {
  return get_quantity(c, out, path, def, true);
}

zg_err_t zg_config_get_size(zg_config_t *c, uint64_t *out, const char *path, uint64_t def) {
  return get_quantity(c, out, path, def, false);
}

zg_err_t zg_config_get_strs(zg_config_t *c, const char *const **out, size_t *n, const char *path) {
  *out = NULL;
  *n = 0;
  c->err[0] = 0;
  json_t *v;
  ZG_TRY(lookup(c, &v, path));
  if (!v) return ZG_OK;
  if (!json_is_array(v)) return fail(c, ZG_ETYPE, "%s: expected an array of strings, got %s", path, type_name(v));
  size_t len = json_array_size(v);
  for (size_t i = 0; i < len; i++) {
    json_t *el = json_array_get(v, i);
    if (!json_is_string(el)) {
      return fail(c, ZG_ETYPE, "%s[%zu]: expected a string, got %s", path, i, type_name(el));
    }
  }
  const char **arr = own_alloc(c, (len ? len : 1) * sizeof *arr);
  if (!arr) return fail(c, ZG_ENOMEM, "%s: out of memory", path);
  for (size_t i = 0; i < len; i++) arr[i] = json_string_value(json_array_get(v, i));
  *out = arr;
  *n = len;
  return ZG_OK;
}

/* ---- strict mode ---- */

/* Edit distance of a and b, capped at 9 (only small distances matter). */
static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 128 || lb > 128) return 9;
  if ((la > lb ? la - lb : lb - la) > 8) return 9;
  size_t row[129];
  for (size_t j = 0; j <= lb; j++) row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb] > 9 ? 9 : row[lb];
}

typedef struct {
  const char *const *known;
  size_t n;
  char *msg;      /* message being built */
  size_t cap, len;
  int unknown;
} strict_t;

/* How path stands against the known list: 2 accepted as is, 1 an object to
 * walk into, 0 unknown. */
static int classify(const strict_t *st, const char *path, size_t plen) {
  int r = 0;
  for (size_t i = 0; i < st->n; i++) {
    const char *k = st->known[i];
    size_t kl = strlen(k);
    if (kl == plen && memcmp(k, path, plen) == 0) return 2;
    /* "P.*" accepts every key under P. */
    if (kl >= 2 && memcmp(k + kl - 2, ".*", 2) == 0 && plen > kl - 1 && memcmp(k, path, kl - 1) == 0) return 2;
    if (kl > plen && k[plen] == '.' && memcmp(k, path, plen) == 0) r = 1;
  }
  return r;
}

static void report_unknown(strict_t *st, const char *path) {
  const char *best = NULL;
  size_t bestd = 9, plen = strlen(path);
  for (size_t i = 0; i < st->n; i++) {
    size_t d = edit_distance(path, st->known[i]);
    if (d < bestd) { bestd = d; best = st->known[i]; }
  }
  bool close = best && bestd <= 1 + plen / 4;
  int w = snprintf(st->msg + st->len, st->cap - st->len, "%sunknown key '%s'%s%s%s", st->unknown ? "; " : "", path,
                   close ? " (did you mean '" : "", close ? best : "", close ? "'?)" : "");
  if (w > 0) st->len = (size_t)w >= st->cap - st->len ? st->cap - 1 : st->len + (size_t)w;
  st->unknown++;
}

static void walk_known(strict_t *st, const json_t *obj, char *path, size_t plen, size_t pcap) {
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)obj, k, v) {
    size_t kl = strlen(k), nl = plen + (plen ? 1 : 0) + kl;
    if (nl + 1 > pcap) {
      report_unknown(st, k);
      continue;
    }
    size_t o = plen;
    if (plen) path[o++] = '.';
    memcpy(path + o, k, kl + 1);
    int cl = classify(st, path, nl);
    if (cl == 2) {
      /* accepted */
    } else if (cl == 1 && json_is_object(v)) {
      walk_known(st, v, path, nl, pcap);
    } else {
      report_unknown(st, path);
    }
    path[plen] = 0;
  }
}

zg_err_t zg_config_check_known(zg_config_t *c, const char *const *known, size_t n) {
  c->err[0] = 0;
  if (!known && n) return fail(c, ZG_EINVAL, "no list of known keys");
  char body[sizeof c->err];
  char path[MAX_PATH_LEN + 1];
  strict_t st = {known, n, body, sizeof body, 0, 0};
  body[0] = 0;
  path[0] = 0;
  walk_known(&st, c->root, path, 0, sizeof path);
  if (st.unknown == 0) return ZG_OK;
  return fail(c, ZG_ECONFIG, "%s", body);
}

/*
 * json_fast.c — see json_internal.h.
 *
 * Loading: one pass over the body (8 bytes at a time inside strings) finds
 * string VALUES (not keys) of at least BLOB_MIN printable ASCII characters
 * with no escapes, such as base64 payloads; a reduced
 * body where each is replaced by a short marker string "\u0000<index>" is
 * parsed by jansson with JSON_ALLOW_NUL, and the markers in the resulting
 * tree are replaced by strings made with json_stringn_nocheck straight from
 * the body (printable ASCII: nothing to check or unescape). A body that
 * contains "\u0000" itself, or that the pre-pass cannot tokenise, or whose
 * reduced form does not parse, goes to plain json_loadb, so values and error
 * messages are jansson's in every case.
 *
 * Dumping: a compact encoder over jansson values that copies runs of plain
 * string bytes with one append (jansson's strings are valid UTF-8, so bytes
 * >= 0x80 are copied as they are, as jansson does); reals, rare here, are
 * delegated to jansson.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpc/json_internal.h"

#define BLOB_MIN 1024

typedef struct {
  size_t off, len; /* of the string content in the body */
} blob_t;

/* True when the 8 bytes of x are printable ASCII (0x20..0x7f) other than
 * '"' and '\\': string content jansson would take as it is. Exact
 * "has a byte less than / equal to" word tricks. */
static bool word_plain_ascii(uint64_t x) {
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  uint64_t q = x ^ (ones * 0x22), b = x ^ (ones * 0x5c);
  uint64_t hit = ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) | x;
  return (hit & highs) == 0;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* Skips plain bytes (as word_plain_ascii) 32 at a time from i; returns the
 * first index whose 32-byte step holds a non-plain byte, or where fewer
 * than 32 bytes remain. A signed compare with 0x20 catches both control
 * bytes and bytes >= 0x80. */
__attribute__((target("avx2"))) static size_t skip_plain_avx2(const char *s, size_t i, size_t len) {
  const __m256i quote = _mm256_set1_epi8('"'), bslash = _mm256_set1_epi8('\\'), space = _mm256_set1_epi8(0x20);
  for (; i + 32 <= len; i += 32) {
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    __m256i bad = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, bslash)),
                                  _mm256_cmpgt_epi8(space, v));
    if (_mm256_movemask_epi8(bad)) break;
  }
  return i;
}

static int g_avx2 = -1; /* -1 unknown; racing threads store the same value */

static size_t skip_plain(const char *s, size_t i, size_t len) {
  int v = __atomic_load_n(&g_avx2, __ATOMIC_RELAXED);
  if (v < 0) {
    __builtin_cpu_init();
    v = __builtin_cpu_supports("avx2") ? 1 : 0;
    __atomic_store_n(&g_avx2, v, __ATOMIC_RELAXED);
  }
  return v ? skip_plain_avx2(s, i, len) : i;
}
#else
static size_t skip_plain(const char *s, size_t i, size_t len) {
  (void)s, (void)len;
  return i;
}
#endif

/* Finds the blobs; false when the body does not tokenise as expected or
 * holds a \u0000 escape (then markers could be forged). */
static bool find_blobs(blob_t **out, size_t *n, const char *s, size_t len) {
  blob_t *b = NULL;
  size_t nb = 0, cap = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '"') continue;
    size_t start = ++i;
    bool plain = true;
    for (;;) {
      if (plain) i = skip_plain(s, i, len);
      while (plain && i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (!word_plain_ascii(w)) break;
        i += 8;
      }
      if (i >= len) goto bad; /* unterminated */
      unsigned char c = (unsigned char)s[i];
      if (c == '"') break;
      if (c == '\\') {
        if (len - i > 5 && memcmp(s + i + 1, "u0000", 5) == 0) goto bad;
        plain = false;
        i += 2;
        continue;
      }
      if (c < 0x20 || c >= 0x80) plain = false;
      i++;
    }
    size_t slen = i - start, j = i + 1;
    while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r')) j++;
    if (!plain || slen < BLOB_MIN || (j < len && s[j] == ':')) continue; /* short, escaped, or a key */
    if (nb == cap) {
      cap = cap ? 2 * cap : 64;
      blob_t *nbp = realloc(b, cap * sizeof *b);
      if (!nbp) goto bad;
      b = nbp;
    }
    b[nb++] = (blob_t){start, slen};
  }
  *out = b;
  *n = nb;
  return true;
bad:
  free(b);
  return false;
}

/* Replaces the markers in v by the blobs; false on a marker it cannot map. */
static bool put_back(json_t *v, const char *body, const blob_t *b, size_t nb);

static json_t *blob_value(const json_t *v, const char *body, const blob_t *b, size_t nb, bool *bad) {
  if (!json_is_string(v)) return NULL;
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  if (n < 2 || s[0] != '\0') return NULL;
  char *end;
  unsigned long long k = strtoull(s + 1, &end, 10);
  if ((size_t)(end - s) != n || k >= nb) {
    *bad = true;
    return NULL;
  }
  json_t *r = json_stringn_nocheck(body + b[k].off, b[k].len);
  if (!r) *bad = true;
  return r;
}

static bool put_back(json_t *v, const char *body, const blob_t *b, size_t nb) {
  bool bad = false;
  if (json_is_array(v)) {
    for (size_t i = 0; i < json_array_size(v) && !bad; i++) {
      json_t *x = json_array_get(v, i), *r = blob_value(x, body, b, nb, &bad);
      if (r) {
        if (json_array_set_new(v, i, r) != 0) bad = true;
      } else if (!bad && !put_back(x, body, b, nb)) {
        bad = true;
      }
    }
  } else if (json_is_object(v)) {
    const char *key;
    json_t *x;
    json_object_foreach(v, key, x) {
      json_t *r = blob_value(x, body, b, nb, &bad);
      if (r) {
        if (json_object_set_new(v, key, r) != 0) bad = true;
      } else if (!bad && !put_back(x, body, b, nb)) {
        bad = true;
      }
      if (bad) break;
    }
  }
  return !bad;
}

json_t *zg__json_load(const char *body, size_t len, size_t flags, json_error_t *err) {
  blob_t *b = NULL;
  size_t nb = 0;
  if (len < BLOB_MIN || !find_blobs(&b, &nb, body, len) || nb == 0) {
    free(b);
    return json_loadb(body, len, flags, err);
  }
  /* The reduced body: each blob's content becomes \u0000<k>. */
  size_t cap = len + nb * 32, o = 0, at = 0;
  char *red = malloc(cap);
  json_t *v = NULL;
  if (red) {
    for (size_t k = 0; k < nb; k++) {
      memcpy(red + o, body + at, b[k].off - at);
      o += b[k].off - at;
      o += (size_t)snprintf(red + o, 32, "\\u0000%zu", k);
      at = b[k].off + b[k].len;
    }
    memcpy(red + o, body + at, len - at);
    o += len - at;
    v = json_loadb(red, o, flags | JSON_ALLOW_NUL, NULL);
    free(red);
  }
  if (v) {
    bool bad = false;
    json_t *r = blob_value(v, body, b, nb, &bad); /* a lone string document */
    if (r || bad || !put_back(v, body, b, nb)) {
      json_decref(v);
      v = r;
    }
  }
  free(b);
  return v ? v : json_loadb(body, len, flags, err);
}

/* ---- Dumping ---- */

/* True when none of the 8 bytes of x needs escaping (< 0x20, '"', '\\'):
 * the exact "has a byte less than / equal to" word tricks. */
static bool word_plain(uint64_t x) {
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  uint64_t q = x ^ (ones * 0x22), b = x ^ (ones * 0x5c);
  uint64_t hit = ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b);
  return (hit & highs) == 0;
}

static zg_err_t dump_string(zg_buf_t *out, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  ZG_TRY(zg_buf_reserve(out, n + 2));
  ZG_TRY(zg_buf_append(out, "\"", 1));
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    while (i + 8 <= n) { /* skip plain words (base64 payloads are all plain) */
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (!word_plain(w)) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    ZG_TRY(zg_buf_append(out, s + run, i - run));
    char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
    size_t el = 2;
    switch (c) {
      case '"': esc[1] = '"'; break;
      case '\\': esc[1] = '\\'; break;
      case '\b': esc[1] = 'b'; break;
      case '\f': esc[1] = 'f'; break;
      case '\n': esc[1] = 'n'; break;
      case '\r': esc[1] = 'r'; break;
      case '\t': esc[1] = 't'; break;
      default:
        memcpy(esc + 1, "u00", 3);
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        el = 6;
    }
    ZG_TRY(zg_buf_append(out, esc, el));
    run = i + 1;
  }
  ZG_TRY(zg_buf_append(out, s + run, n - run));
  return zg_buf_append(out, "\"", 1);
}

static int real_cb(const char *buf, size_t size, void *data) {
  return zg_buf_append(data, buf, size) == ZG_OK ? 0 : -1;
}

static zg_err_t dump_value(zg_buf_t *out, const json_t *v, int depth) {
  char num[32];
  if (depth > 2048) return ZG_EINVAL; /* jansson's own nesting limit */
  switch (json_typeof(v)) {
    case JSON_OBJECT: {
      const char *key;
      json_t *x;
      bool first = true;
      ZG_TRY(zg_buf_append(out, "{", 1));
      json_object_foreach((json_t *)v, key, x) {
        if (!first) ZG_TRY(zg_buf_append(out, ",", 1));
        first = false;
        ZG_TRY(dump_string(out, key, strlen(key)));
        ZG_TRY(zg_buf_append(out, ":", 1));
        ZG_TRY(dump_value(out, x, depth + 1));
      }
      return zg_buf_append(out, "}", 1);
    }
    case JSON_ARRAY:
      ZG_TRY(zg_buf_append(out, "[", 1));
      for (size_t i = 0; i < json_array_size(v); i++) {
        if (i) ZG_TRY(zg_buf_append(out, ",", 1));
        ZG_TRY(dump_value(out, json_array_get(v, i), depth + 1));
      }
      return zg_buf_append(out, "]", 1);
    case JSON_STRING:
      return dump_string(out, json_string_value(v), json_string_length(v));
    case JSON_INTEGER: {
      int n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
      return zg_buf_append(out, num, (size_t)n);
    }
    case JSON_REAL:
      return json_dump_callback(v, real_cb, out, JSON_COMPACT | JSON_ENCODE_ANY) == 0 ? ZG_OK : ZG_ENOMEM;
    case JSON_TRUE:
      return zg_buf_append(out, "true", 4);
    case JSON_FALSE:
      return zg_buf_append(out, "false", 5);
    case JSON_NULL:
      return zg_buf_append(out, "null", 4);
  }
  return ZG_EINVAL;
}

zg_err_t zg__json_dump(zg_buf_t *out, const json_t *v) {
  if (!v) return ZG_EINVAL;
  size_t before = out->len;
  zg_err_t e = dump_value(out, v, 0);
  if (e != ZG_OK) out->len = before;
  return e;
}

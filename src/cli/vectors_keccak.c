/*
 * vectors_keccak.c — `zg vectors` handlers for Keccak-256 (Ethereum padding):
 *
 *  - keccak_kat: the Keccak team's Len/Msg/MD text KATs (ShortMsgKAT_256.txt,
 *    LongMsgKAT_256.txt). The same layout is used for FIPS-202 SHA3-256 KATs,
 *    which must not be claimed, so a file is taken when it has Len/Msg/MD
 *    triples with 32-byte digests AND either its path or its text names
 *    Keccak, or its first entry is a Keccak-256 digest (a renamed copy).
 *  - keccak_json: keccak256_vectors.json (an object whose "algorithm" or
 *    "description" names Keccak-256, with a "vectors" array of
 *    input_hex/output_hex pairs), including its "extremely_long" entry (a
 *    text repeated N times, 1 GiB), which is always run here.
 *
 * One pass or fail per entry. Bit-length messages (Len not a multiple of 8)
 * are not supported by the byte API and count as failures, never as passes.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "zg/bytes.h"
#include "zg/hash.h"

/* Case-insensitive search for needle in the first n bytes of hay. */
static bool mentions(const char *hay, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (strncasecmp(hay + i, needle, k) == 0) return true;
  return false;
}

/* If the line at p is "Key = value", returns value and its length. */
static const char *kat_value(const char *p, const char *end, const char *key, size_t *vlen) {
  size_t klen = strlen(key);
  if ((size_t)(end - p) < klen + 3 || strncmp(p, key, klen) != 0 || strncmp(p + klen, " = ", 3) != 0)
    return NULL;
  const char *v = p + klen + 3, *e = v;
  while (e < end && *e != '\n' && *e != '\r') e++;
  *vlen = (size_t)(e - v);
  return v;
}

typedef struct {
  long bits;
  zg_buf_t msg, md;
} kat_entry_t;

/* Walks the text; calls fn on each complete Len/Msg/MD entry (in order).
 * Returns the number of entries seen; stops early when fn returns false. */
static int kat_walk(const char *data, size_t len, bool (*fn)(void *arg, kat_entry_t *e), void *arg) {
  const char *end = data + len;
  kat_entry_t e = {-1, {0}, {0}};
  zg_buf_init(&e.msg);
  zg_buf_init(&e.md);
  bool have_msg = false;
  int count = 0;
  for (const char *p = data; p < end;) {
    size_t vlen;
    const char *v;
    if ((v = kat_value(p, end, "Len", &vlen))) {
      e.bits = strtol(v, NULL, 10);
      have_msg = false;
    } else if ((v = kat_value(p, end, "Msg", &vlen))) {
      e.msg.len = 0;
      have_msg = zg_hex_decode_loose(&e.msg, v, vlen) == ZG_OK;
    } else if ((v = kat_value(p, end, "MD", &vlen))) {
      e.md.len = 0;
      if (zg_hex_decode_loose(&e.md, v, vlen) != ZG_OK) e.md.len = 0;
      if (!have_msg) e.bits = -2; /* malformed: MD without Msg */
      count++;
      bool more = fn(arg, &e);
      e.bits = -1;
      have_msg = false;
      if (!more) break;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    p = nl ? nl + 1 : end;
  }
  zg_buf_clear(&e.msg);
  zg_buf_clear(&e.md);
  return count;
}

/* Checks one entry; returns NULL when it matches, else why it does not. */
static const char *kat_check(const kat_entry_t *e) {
  if (e->bits < 0) return "malformed entry";
  if (e->bits % 8) return "bit-length message not supported";
  size_t n = (size_t)e->bits / 8;
  if (n > e->msg.len) return "Msg shorter than Len";
  if (e->md.len != 32) return "MD is not 32 bytes";
  uint8_t out[32];
  zg_keccak256(out, e->msg.ptr, n);
  return memcmp(out, e->md.ptr, 32) == 0 ? NULL : "digest mismatch";
}

typedef struct {
  int entries, md32;
  bool first_matches;
} kat_probe_t;

static bool probe_fn(void *arg, kat_entry_t *e) {
  kat_probe_t *pr = arg;
  if (pr->entries == 0) pr->first_matches = kat_check(e) == NULL;
  pr->entries++;
  if (e->md.len == 32) pr->md32++;
  return true;
}

typedef struct {
  zg_vec_ctx_t *ctx;
  const char *path;
} kat_run_t;

static bool run_fn(void *arg, kat_entry_t *e) {
  kat_run_t *r = arg;
  const char *why = kat_check(e);
  if (why)
    zg__vec_fail(r->ctx, r->path, "Keccak-256 KAT Len = %ld: %s", e->bits, why);
  else
    zg__vec_pass(r->ctx);
  return true;
}

ZG_VECTOR_HANDLER(keccak_kat) {
  if (len && (data[0] == '{' || data[0] == '[')) return false;
  if (!strstr(data, "Len = ") || !strstr(data, "MD = ")) return false;
  kat_probe_t pr = {0, 0, false};
  kat_walk(data, len, probe_fn, &pr);
  if (pr.entries == 0 || pr.md32 != pr.entries) return false;
  bool named = mentions(path, strlen(path), "keccak") || mentions(data, len < 4096 ? len : 4096, "keccak");
  if (!named && !pr.first_matches) return false;
  kat_run_t r = {ctx, path};
  kat_walk(data, len, run_fn, &r);
  return true;
}

/* Decodes a hex JSON string into buf (cleared first); false when malformed. */
static bool json_hex(zg_buf_t *buf, json_t *s) {
  const char *v = json_string_value(s);
  buf->len = 0;
  /* "" is the empty input; it is not passed on because zg_hex_decode_loose
   * does pointer arithmetic on a still-NULL buffer for it (UBSan). */
  return v && (!*v || zg_hex_decode_loose(buf, v, strlen(v)) == ZG_OK);
}

/* The 1 GiB entry: text repeated `repeat` times through the streaming API. */
static void run_extremely_long(zg_vec_ctx_t *ctx, const char *path, json_t *xl) {
  const char *text = json_string_value(json_object_get(xl, "text_ascii"));
  json_int_t repeat = json_integer_value(json_object_get(xl, "repeat"));
  zg_buf_t want;
  zg_buf_init(&want);
  size_t tl = text ? strlen(text) : 0;
  if (!tl || repeat <= 0 || !json_hex(&want, json_object_get(xl, "output_hex")) || want.len != 32) {
    zg__vec_fail(ctx, path, "extremely_long: malformed entry");
    zg_buf_clear(&want);
    return;
  }
  static uint8_t chunk[1 << 16];
  size_t per = sizeof chunk / tl;
  if (per == 0) per = 1;
  zg_keccak256_ctx_t kc;
  zg_keccak256_init(&kc);
  if (tl <= sizeof chunk) {
    for (size_t i = 0; i < per; i++) memcpy(chunk + i * tl, text, tl);
    for (json_int_t left = repeat; left > 0;) {
      json_int_t k = left < (json_int_t)per ? left : (json_int_t)per;
      zg_keccak256_update(&kc, chunk, (size_t)k * tl);
      left -= k;
    }
  } else {
    for (json_int_t left = repeat; left > 0; left--) zg_keccak256_update(&kc, text, tl);
  }
  uint8_t out[32];
  zg_keccak256_final(&kc, out);
  if (memcmp(out, want.ptr, 32) == 0)
    zg__vec_pass(ctx);
  else
    zg__vec_fail(ctx, path, "extremely_long (%lld x %zu bytes): digest mismatch", (long long)repeat, tl);
  zg_buf_clear(&want);
}

ZG_VECTOR_HANDLER(keccak_json) {
  if (!mentions(data, len, "keccak") || !mentions(data, len, "output_hex")) return false;
  json_error_t jerr;
  json_t *root = json_loadb(data, len, 0, &jerr);
  if (!json_is_object(root)) {
    json_decref(root);
    return false;
  }
  const char *alg = json_string_value(json_object_get(root, "algorithm"));
  const char *desc = json_string_value(json_object_get(root, "description"));
  json_t *vecs = json_object_get(root, "vectors");
  bool keccak = (alg && mentions(alg, strlen(alg), "keccak")) ||
                (desc && mentions(desc, strlen(desc), "keccak")) || mentions(path, strlen(path), "keccak");
  if (!keccak || !json_is_array(vecs)) {
    json_decref(root);
    return false;
  }
  zg_buf_t in, want;
  zg_buf_init(&in);
  zg_buf_init(&want);
  size_t i;
  json_t *v;
  json_array_foreach(vecs, i, v) {
    const char *name = json_string_value(json_object_get(v, "name"));
    json_t *jl = json_object_get(v, "input_len_bytes");
    if (!json_hex(&in, json_object_get(v, "input_hex")) ||
        !json_hex(&want, json_object_get(v, "output_hex")) || want.len != 32 ||
        (jl && (!json_is_integer(jl) || (size_t)json_integer_value(jl) != in.len))) {
      zg__vec_fail(ctx, path, "vector %zu (%s): malformed entry", i, name ? name : "?");
      continue;
    }
    uint8_t out[32];
    zg_keccak256(out, in.ptr, in.len);
    if (memcmp(out, want.ptr, 32) == 0)
      zg__vec_pass(ctx);
    else
      zg__vec_fail(ctx, path, "vector %zu (%s): digest mismatch", i, name ? name : "?");
  }
  json_t *xl = json_object_get(root, "extremely_long");
  if (xl) run_extremely_long(ctx, path, xl);
  zg_buf_clear(&in);
  zg_buf_clear(&want);
  json_decref(root);
  return true;
}

/*
 * test_json_fast.c — the RPC layer's fast JSON paths equal jansson's:
 * zg__json_load gives json_equal values (and NULL exactly when jansson
 * fails) for random documents with long base64 values, long base64 keys,
 * escaped strings, nested containers, truncations and NUL-marker
 * look-alikes; zg__json_dump gives byte-identical JSON_COMPACT output.
 */
#include <stdlib.h>
#include <string.h>

#include "../zg_test.h"
#include "rpc/json_internal.h"

static json_t *rand_b64(size_t n) {
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char *s = malloc(n + 1);
  for (size_t i = 0; i < n; i++) s[i] = a[zgt_rand_below(64)];
  if (n >= 2 && zgt_rand_below(2)) s[n - 1] = '=';
  s[n] = 0;
  json_t *v = json_stringn(s, n);
  free(s);
  return v;
}

static json_t *rand_value(int depth) {
  switch (zgt_rand_below(depth > 3 ? 5 : 8)) {
    case 0: return rand_b64(zgt_rand_below(3) ? zgt_rand_below(3000) : 1024 + zgt_rand_below(4));
    case 1: return json_integer((json_int_t)zgt_rand64() >> zgt_rand_below(64));
    case 2: return json_string("esc \" \\ \n \t \x01 \xc3\xa9 \xe2\x82\xac / done");
    case 3: return zgt_rand_below(2) ? json_true() : json_null();
    case 4: return json_real(1.5);
    case 5: case 6: {
      json_t *o = json_object();
      for (uint32_t i = 0, n = zgt_rand_below(5); i < n; i++) {
        char key[2000];
        size_t kl = zgt_rand_below(4) ? 1 + zgt_rand_below(10) : 1100;
        for (size_t k = 0; k < kl; k++) key[k] = (char)('a' + zgt_rand_below(26));
        key[kl] = 0;
        json_object_set_new(o, key, rand_value(depth + 1));
      }
      return o;
    }
    default: {
      json_t *a = json_array();
      for (uint32_t i = 0, n = zgt_rand_below(5); i < n; i++) json_array_append_new(a, rand_value(depth + 1));
      return a;
    }
  }
}

static void check_load(const char *s, size_t n) {
  json_error_t e1, e2;
  json_t *a = json_loadb(s, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e1);
  json_t *b = zg__json_load(s, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e2);
  CHECK((a == NULL) == (b == NULL));
  if (a && b) CHECK(json_equal(a, b));
  if (!a && !b) CHECK(strcmp(e1.text, e2.text) == 0 && e1.line == e2.line && e1.column == e2.column);
  json_decref(a);
  json_decref(b);
}

static void test_random_documents(void) {
  for (long it = 0; it < zgt_iters(300); it++) {
    json_t *v = rand_value(0);
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    zg_buf_t got;
    zg_buf_init(&got);
    CHECK_OK(zg__json_dump(&got, v));
    CHECK_EQ(got.len, strlen(want));
    if (got.len == strlen(want)) CHECK_MEM(got.ptr, want, got.len);
    size_t n = strlen(want);
    check_load(want, n);
    check_load(want, zgt_rand_below((uint32_t)n + 1)); /* truncated */
    char *pretty = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);
    check_load(pretty, strlen(pretty));
    free(pretty);
    free(want);
    zg_buf_clear(&got);
    json_decref(v);
  }
}

static void test_edge_cases(void) {
  char big[3000];
  memset(big, 'A', sizeof big);
  char doc[4000];
  /* A blob value, a blob key, a duplicate key holding blobs, a NUL escape. */
  snprintf(doc, sizeof doc, "{\"data\":\"%.1500s\",\"x\":[\"%.1100s\"]}", big, big);
  check_load(doc, strlen(doc));
  snprintf(doc, sizeof doc, "{\"%.1500s\" : 1}", big);
  check_load(doc, strlen(doc));
  snprintf(doc, sizeof doc, "{\"d\":\"%.1500s\",\"d\":\"%.1100s\"}", big, big);
  check_load(doc, strlen(doc));
  snprintf(doc, sizeof doc, "[\"\\u00000\",\"%.1500s\"]", big);
  check_load(doc, strlen(doc));
  snprintf(doc, sizeof doc, "[\"%.1500s\" \"x\"]", big);
  check_load(doc, strlen(doc));
  snprintf(doc, sizeof doc, "[\"%.1500s", big);
  check_load(doc, strlen(doc));
  snprintf(doc, sizeof doc, "  \"%.1500s\"  ", big);
  check_load(doc, strlen(doc));
  /* Long plain ASCII with spaces; raw UTF-8, a raw control byte, an
   * escaped backslash before "u0000", a real \u0000 escape. */
  memset(big + 100, ' ', 50);
  snprintf(doc, sizeof doc, "{\"a\":\"%.1500s\"}", big);
  check_load(doc, strlen(doc));
  const char *inserts[] = {"\xc3\xa9", "\x01", "\\\\u0000", "\\u0000", "\xff"};
  for (size_t k = 0; k < sizeof inserts / sizeof inserts[0]; k++) {
    snprintf(doc, sizeof doc, "[\"%.1200s%s%.300s\", \"%.1100s\"]", big, inserts[k], big, big);
    check_load(doc, strlen(doc));
    /* At every offset within the 32-byte steps of the vector scan. */
    for (int at = 1090; at < 1160; at++) {
      snprintf(doc, sizeof doc, "{\"v\":\"%.*s%s%.300s\"}", at, big, inserts[k], big);
      check_load(doc, strlen(doc));
    }
  }
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_random_documents);
  ZGT_RUN(test_edge_cases);
  return zgt_done();
}

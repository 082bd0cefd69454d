/*
 * test_base64.c — the vector bulk loops of zg_base64_encode/decode
 * (src/base/base64_simd.c) against a plain reference written here: equal
 * encodings for every length up to a few vector steps and for random long
 * inputs, equal decodings, and every byte outside the alphabet rejected at
 * every position of a long string (inside vector steps, in the scalar tail
 * and in the final quantum).
 */
#include "zg/bytes.h"
#include "zg_test.h"

static const char ref_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* RFC 4648 with padding, one symbol at a time. */
static size_t ref_encode(char *out, const uint8_t *in, size_t n) {
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16;
    if (i + 1 < n) v |= (uint32_t)in[i + 1] << 8;
    if (i + 2 < n) v |= in[i + 2];
    out[o++] = ref_chars[v >> 18];
    out[o++] = ref_chars[(v >> 12) & 63];
    out[o++] = i + 1 < n ? ref_chars[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < n ? ref_chars[v & 63] : '=';
  }
  out[o] = 0;
  return o;
}

static bool in_alphabet(uint8_t c) { return c && strchr(ref_chars, c) != NULL; }

static void check_roundtrip(const uint8_t *in, size_t len, char *enc, char *want) {
  size_t n = zg_base64_encode(enc, in, len);
  size_t m = ref_encode(want, in, len);
  CHECK_EQ(n, m);
  CHECK(memcmp(enc, want, m + 1) == 0);
  zg_buf_t b;
  zg_buf_init(&b);
  CHECK_OK(zg_base64_decode(&b, enc, n));
  CHECK_EQ(b.len, len);
  if (len && b.len == len) CHECK_MEM(b.ptr, in, len);
  zg_buf_clear(&b);
}

static void test_lengths(void) {
  enum { MAX = 400 };
  uint8_t in[MAX];
  char enc[MAX / 3 * 4 + 8], want[MAX / 3 * 4 + 8];
  for (size_t len = 0; len <= MAX - 4; len++) {
    zgt_rand_bytes(in, len);
    check_roundtrip(in, len, enc, want);
    memset(in, 0xff, len); /* all-ones: every symbol '/' */
    check_roundtrip(in, len, enc, want);
  }
}

static void test_random_long(void) {
  long iters = zgt_iters(40);
  size_t cap = 300000;
  uint8_t *in = malloc(cap);
  char *enc = malloc(cap / 3 * 4 + 8), *want = malloc(cap / 3 * 4 + 8);
  CHECK(in && enc && want);
  for (long it = 0; it < iters && in && enc && want; it++) {
    size_t len = zgt_rand_below((uint32_t)cap);
    zgt_rand_bytes(in, len);
    check_roundtrip(in, len, enc, want);
  }
  free(in);
  free(enc);
  free(want);
}

/* Every non-alphabet byte at every position of a 200-symbol string fails;
 * '=' is accepted only as the final padding, which the string has none of. */
static void test_bad_symbols(void) {
  uint8_t in[150];
  char enc[204];
  zgt_rand_bytes(in, sizeof in);
  size_t n = zg_base64_encode(enc, in, sizeof in);
  CHECK_EQ(n, 200u);
  zg_buf_t b;
  zg_buf_init(&b);
  long checked = 0;
  for (size_t pos = 0; pos < n; pos++) {
    for (int c = 0; c < 256; c++) {
      if (in_alphabet((uint8_t)c)) continue;
      if (c == '=' && pos >= n - 2) continue; /* a valid padding position */
      char save = enc[pos];
      enc[pos] = (char)c;
      b.len = 0;
      CHECK_ERR(zg_base64_decode(&b, enc, n), ZG_EBASE64);
      CHECK_EQ(b.len, 0u);
      enc[pos] = save;
      checked++;
    }
  }
  CHECK_EQ(checked, 200 * 192 - 2);
  /* And every alphabet symbol at every position decodes as the reference. */
  for (size_t pos = 0; pos < n - 4; pos += 7) {
    enc[pos] = ref_chars[zgt_rand_below(64)];
    b.len = 0;
    CHECK_OK(zg_base64_decode(&b, enc, n));
    char again[204];
    zg_base64_encode(again, b.ptr, b.len);
    CHECK(memcmp(again, enc, n) == 0);
  }
  zg_buf_clear(&b);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_lengths);
  ZGT_RUN(test_random_long);
  ZGT_RUN(test_bad_symbols);
  return zgt_done();
}

/*
 * test_keccak.c — Keccak-256 (Ethereum padding) against the Keccak team's
 * KATs and the project's JSON vectors in ../shared/vectors/keccak, plus
 * streaming at random split points against one-shot, the pair helper and
 * the bare permutation.
 *
 * The 1 GiB "extremely long" JSON entry runs here only when ZG_TEST_ITERS is
 * set (to 1 or more); `zg vectors` (ctest cli/vectors) always runs it.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "zg/bytes.h"
#include "zg/hash.h"
#include "zg_test.h"

/* Reads a whole file into a NUL-terminated malloc'ed buffer, or NULL. */
static char *slurp(const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/keccak/%s", zgt_vectors_dir(), name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    printf("  cannot open %s\n", path);
    return NULL;
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) buf[n] = 0, *len = (size_t)n;
  return buf;
}

/* Returns the value after "Key = " on the line starting at p, and its length. */
static const char *kat_value(const char *p, const char *key, size_t *vlen) {
  size_t klen = strlen(key);
  if (strncmp(p, key, klen) != 0 || strncmp(p + klen, " = ", 3) != 0) return NULL;
  const char *v = p + klen + 3, *end = v;
  while (*end && *end != '\n' && *end != '\r') end++;
  *vlen = (size_t)(end - v);
  return v;
}

/* Runs every Len/Msg/MD triple of a KAT file; returns the number checked. */
static int run_kat(const char *name) {
  size_t len = 0;
  char *data = slurp(name, &len);
  CHECK(data != NULL);
  if (!data) return 0;
  int count = 0;
  long bits = -1;
  zg_buf_t msg, md;
  zg_buf_init(&msg);
  zg_buf_init(&md);
  for (const char *p = data; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
    size_t vlen;
    const char *v;
    if ((v = kat_value(p, "Len", &vlen))) {
      bits = strtol(v, NULL, 10);
    } else if ((v = kat_value(p, "Msg", &vlen))) {
      msg.len = 0;
      CHECK_OK(zg_hex_decode_loose(&msg, v, vlen));
    } else if ((v = kat_value(p, "MD", &vlen))) {
      md.len = 0;
      CHECK_OK(zg_hex_decode_loose(&md, v, vlen));
      CHECK(bits >= 0 && bits % 8 == 0 && md.len == 32);
      size_t n = bits > 0 ? (size_t)bits / 8 : 0;
      CHECK(n <= msg.len);
      if (bits < 0 || md.len != 32 || n > msg.len) break;
      uint8_t out[32];
      zg_keccak256(out, msg.ptr, n);
      if (memcmp(out, md.ptr, 32) != 0) ZGT_FAIL("%s: Len = %ld", name, bits);
      count++;
      bits = -1;
    }
  }
  zg_buf_clear(&msg);
  zg_buf_clear(&md);
  free(data);
  return count;
}

static void test_short_kat(void) { CHECK_EQ(run_kat("ShortMsgKAT_256.txt"), 256); }
static void test_long_kat(void) { CHECK_EQ(run_kat("LongMsgKAT_256.txt"), 65); }

/* Hashes text repeated `repeat` times through the streaming interface. */
static void hash_repeated(uint8_t out[32], const char *text, long long repeat) {
  zg_keccak256_ctx_t ctx;
  zg_keccak256_init(&ctx);
  size_t tl = strlen(text);
  static uint8_t chunk[1 << 16];
  size_t per = sizeof chunk / tl;
  for (size_t i = 0; i < per; i++) memcpy(chunk + i * tl, text, tl);
  while (repeat > 0) {
    long long k = repeat < (long long)per ? repeat : (long long)per;
    zg_keccak256_update(&ctx, chunk, (size_t)k * tl);
    repeat -= k;
  }
  zg_keccak256_final(&ctx, out);
}

static void test_json(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/keccak/keccak256_vectors.json", zgt_vectors_dir());
  json_error_t jerr;
  json_t *root = json_load_file(path, 0, &jerr);
  CHECK(root != NULL);
  if (!root) return;
  json_t *vecs = json_object_get(root, "vectors");
  CHECK(json_is_array(vecs) && json_array_size(vecs) >= 11);
  size_t i;
  json_t *v;
  json_array_foreach(vecs, i, v) {
    const char *in = json_string_value(json_object_get(v, "input_hex"));
    const char *md = json_string_value(json_object_get(v, "output_hex"));
    CHECK(in && md);
    if (!in || !md) continue;
    zg_buf_t b;
    zg_buf_init(&b);
    uint8_t want[32], out[32];
    if (*in) CHECK_OK(zg_hex_decode_loose(&b, in, strlen(in))); /* see vectors_keccak.c json_hex */
    CHECK_EQ(b.len, (size_t)json_integer_value(json_object_get(v, "input_len_bytes")));
    zg_buf_t w;
    zg_buf_init(&w);
    CHECK_OK(zg_hex_decode_loose(&w, md, strlen(md)));
    CHECK_EQ(w.len, 32);
    if (w.len == 32) memcpy(want, w.ptr, 32);
    zg_keccak256(out, b.ptr, b.len);
    if (w.len == 32 && memcmp(out, want, 32) != 0)
      ZGT_FAIL("%s", json_string_value(json_object_get(v, "name")));
    zg_buf_clear(&b);
    zg_buf_clear(&w);
  }
  json_t *xl = json_object_get(root, "extremely_long");
  const char *text = json_string_value(json_object_get(xl, "text_ascii"));
  const char *md = json_string_value(json_object_get(xl, "output_hex"));
  long long repeat = json_integer_value(json_object_get(xl, "repeat"));
  CHECK(text && md && repeat > 0 && strlen(text) > 0);
  if (getenv("ZG_TEST_ITERS") && atof(getenv("ZG_TEST_ITERS")) >= 1 && text && md && strlen(text) > 0) {
    uint8_t out[32];
    zg_buf_t w;
    zg_buf_init(&w);
    CHECK_OK(zg_hex_decode_loose(&w, md, strlen(md)));
    hash_repeated(out, text, repeat);
    CHECK(w.len == 32 && memcmp(out, w.ptr, 32) == 0);
    printf("  extremely long (%lld x %zu bytes) checked\n", repeat, strlen(text));
    zg_buf_clear(&w);
  } else {
    printf("  extremely long entry skipped (set ZG_TEST_ITERS=1 to run it)\n");
  }
  json_decref(root);
}

/* Well-known digests typed in, independent of the vector folder. */
static void test_known(void) {
  uint8_t out[32], want[32];
  zg_keccak256(out, "", 0);
  CHECK_OK(zg_hex_decode(want, 32, "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", 66));
  CHECK_MEM(out, want, 32);
  /* The Solidity selector source: keccak256("transfer(address,uint256)") starts a9059cbb. */
  const char *sig = "transfer(address,uint256)";
  zg_keccak256(out, sig, strlen(sig));
  CHECK(out[0] == 0xa9 && out[1] == 0x05 && out[2] == 0x9c && out[3] == 0xbb);
}

/* Streaming with random split points equals one-shot, for random lengths. */
static void test_streaming_random(void) {
  static uint8_t msg[5000];
  long n = zgt_iters(400);
  for (long it = 0; it < n; it++) {
    size_t len = zgt_rand_below(it % 4 == 0 ? sizeof msg + 1 : 600);
    zgt_rand_bytes(msg, len);
    uint8_t one[32], two[32];
    zg_keccak256(one, msg, len);
    zg_keccak256_ctx_t ctx;
    zg_keccak256_init(&ctx);
    size_t done = 0;
    while (done < len) {
      size_t step = zgt_rand_below(it % 3 == 0 ? 8 : 300);
      if (step > len - done) step = len - done;
      zg_keccak256_update(&ctx, msg + done, step);
      done += step;
    }
    zg_keccak256_update(&ctx, NULL, 0);
    zg_keccak256_final(&ctx, two);
    if (memcmp(one, two, 32) != 0) {
      ZGT_FAIL("len %zu", len);
      break;
    }
  }
}

static void test_pair(void) {
  long n = zgt_iters(200);
  for (long it = 0; it < n; it++) {
    uint8_t ab[64], one[32], two[32];
    zgt_rand_bytes(ab, 64);
    zg_keccak256(one, ab, 64);
    zg_keccak256_pair(two, ab, ab + 32);
    CHECK_MEM(one, two, 32);
  }
}

/* Keccak-f[1600] on the zero state: the first lane of the result is the
 * well-known 0xf1258f7940e1dde7 (KeccakF-1600 intermediate values). */
static void test_permutation(void) {
  uint64_t st[25] = {0};
  zg_keccakf1600(st);
  CHECK_EQ(st[0], 0xf1258f7940e1dde7ull);
  CHECK_EQ(st[24], 0xeaf1ff7b5ceca249ull);
  zg_keccakf1600(st);
  CHECK_EQ(st[0], 0x2d5c954df96ecb3cull);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_known);
  ZGT_RUN(test_permutation);
  ZGT_RUN(test_short_kat);
  ZGT_RUN(test_long_kat);
  ZGT_RUN(test_json);
  ZGT_RUN(test_streaming_random);
  ZGT_RUN(test_pair);
  return zgt_done();
}

/* test_bytes.c — hex, base64, buffers, constant-time compare, random, errors, log. */
#include <stdio.h>

#include "zg/bytes.h"
#include "zg/log.h"
#include "zg_test.h"

static void test_hex(void) {
  uint8_t out[4];
  char s[16];
  CHECK_OK(zg_hex_decode(out, 4, "0xdeadBEEF", 10));
  CHECK(out[0] == 0xde && out[3] == 0xef);
  CHECK_EQ(zg_hex_encode(s, out, 4), 10);
  CHECK(strcmp(s, "0xdeadbeef") == 0);
  CHECK_OK(zg_hex_decode(out, 0, "0x", 2));
  CHECK_ERR(zg_hex_decode(out, 4, "deadbeef", 8), ZG_EHEX);     /* no prefix */
  CHECK_ERR(zg_hex_decode(out, 4, "0xdeadbee", 9), ZG_EHEX);    /* odd */
  CHECK_ERR(zg_hex_decode(out, 4, "0xdeadbeeg", 10), ZG_EHEX);  /* bad digit */
  CHECK_ERR(zg_hex_decode(out, 4, "0xdeadbe", 8), ZG_EBADLEN);  /* short */
  CHECK_ERR(zg_hex_decode(out, 4, "0x 0adbeef", 10), ZG_EHEX);
  zg_buf_t b;
  zg_buf_init(&b);
  CHECK_OK(zg_hex_decode_buf(&b, "0x00ff", 6));
  CHECK_EQ(b.len, 2);
  CHECK_OK(zg_hex_decode_loose(&b, "abcd", 4));
  CHECK_EQ(b.len, 4);
  CHECK_ERR(zg_hex_decode_buf(&b, "abcd", 4), ZG_EHEX);
  zg_buf_clear(&b);
}

static void test_base64(void) {
  /* RFC 4648 section 10 vectors. */
  static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  static const char *enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; i++) {
    char s[16];
    size_t n = zg_base64_encode(s, (const uint8_t *)plain[i], strlen(plain[i]));
    CHECK_EQ(n, strlen(enc[i]));
    CHECK(strcmp(s, enc[i]) == 0);
    zg_buf_t b;
    zg_buf_init(&b);
    CHECK_OK(zg_base64_decode(&b, enc[i], strlen(enc[i])));
    CHECK_EQ(b.len, strlen(plain[i]));
    if (b.len) CHECK_MEM(b.ptr, plain[i], b.len);
    zg_buf_clear(&b);
  }
  static const char *bad[] = {"Zg=", "Zg", "Zh==", "Zm9=", "Z===", "=Zg=", "Zg==Zg==", "Zm9v!A==", "Zm=v"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    zg_buf_t b;
    zg_buf_init(&b);
    CHECK_ERR(zg_base64_decode(&b, bad[i], strlen(bad[i])), ZG_EBASE64);
    CHECK_EQ(b.len, 0);
    zg_buf_clear(&b);
  }
}

static void test_roundtrip_random(void) {
  long n = zgt_iters(2000);
  for (long it = 0; it < n; it++) {
    uint8_t in[300];
    size_t len = zgt_rand_below(sizeof in);
    zgt_rand_bytes(in, len);
    char hex[2 * 300 + 3], b64[404 + 1];
    zg_hex_encode(hex, in, len);
    uint8_t back[300];
    CHECK_OK(zg_hex_decode(back, len, hex, strlen(hex)));
    CHECK_MEM(back, in, len);
    zg_base64_encode(b64, in, len);
    zg_buf_t b;
    zg_buf_init(&b);
    CHECK_OK(zg_base64_decode(&b, b64, strlen(b64)));
    CHECK_EQ(b.len, len);
    if (len) CHECK_MEM(b.ptr, in, len);
    zg_buf_clear(&b);
  }
}

static void test_misc(void) {
  uint8_t a[32] = {1}, c[32] = {1};
  CHECK(zg_ct_memeq(a, c, 32));
  c[31] = 1;
  CHECK(!zg_ct_memeq(a, c, 32));
  uint8_t r1[32], r2[32];
  CHECK_OK(zg_random_bytes(r1, 32));
  CHECK_OK(zg_random_bytes(r2, 32));
  CHECK(!zg_ct_memeq(r1, r2, 32));
  CHECK(strcmp(zg_strerror(ZG_EHEX), "malformed hex string") == 0);
  CHECK(strcmp(zg_errname(ZG_ESUBGROUP), "ZG_ESUBGROUP") == 0);
  uint8_t be[8];
  zg_store_be64(be, 0x0102030405060708ull);
  CHECK(be[0] == 1 && be[7] == 8);
  CHECK_EQ(zg_load_be64(be), 0x0102030405060708ull);
}

static void test_log(void) {
  FILE *f = tmpfile();
  CHECK(f != NULL);
  if (!f) return;
  zg_log_set_output(f);
  zg_log_set_format(ZG_LOG_JSON);
  zg_logi("test", "hello \"%s\"\n", "x");
  zg_logd("test", "hidden at info level");
  zg_log_set_format(ZG_LOG_TEXT);
  zg_logw("test", "plain");
  zg_log_set_output(NULL);
  rewind(f);
  char line1[256] = {0}, line2[256] = {0}, line3[256] = {0};
  CHECK(fgets(line1, sizeof line1, f) != NULL);
  CHECK(fgets(line2, sizeof line2, f) != NULL);
  CHECK(fgets(line3, sizeof line3, f) == NULL);
  CHECK(strstr(line1, "\"level\":\"info\",\"comp\":\"test\",\"msg\":\"hello \\\"x\\\"\\u000a\"") != NULL);
  CHECK(strstr(line2, "warn  [test] plain") != NULL);
  fclose(f);
  zg_log_level_t lvl;
  CHECK_OK(zg_log_level_parse(&lvl, "debug"));
  CHECK_EQ(lvl, ZG_LOG_DEBUG);
  CHECK_ERR(zg_log_level_parse(&lvl, "loud"), ZG_EINVAL);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_hex);
  ZGT_RUN(test_base64);
  ZGT_RUN(test_roundtrip_random);
  ZGT_RUN(test_misc);
  ZGT_RUN(test_log);
  return zgt_done();
}

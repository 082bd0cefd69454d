/*
 * test_xmd.c — expand_message_xmd (RFC 9380 section 5.3.1, src/crypto/xmd.c):
 * every case of the RFC's JSON vector files (SHA-256 with a short and with an
 * oversize DST, SHA-512), the length limits and argument checks, determinism,
 * and that outputs of different lengths differ (the length is hashed into b_0,
 * so a shorter output is not a prefix of a longer one).
 */
#include <jansson.h>
#include <stdio.h>

#include "zg/hash.h"
#include "zg_test.h"

/* Runs every case of one vector file; returns the number of cases run. */
static int run_file(const char *name, zg_xmd_hash_t want_hash) {
  char path[1024];
  snprintf(path, sizeof path, "%s/hash-to-curve/%s", zgt_vectors_dir(), name);
  json_error_t jerr;
  json_t *root = json_load_file(path, 0, &jerr);
  if (!root) {
    printf("  (skipped: cannot read %s)\n", path);
    return -1;
  }
  const char *hash = json_string_value(json_object_get(root, "hash"));
  const char *dst = json_string_value(json_object_get(root, "DST"));
  CHECK(hash && dst);
  if (!hash || !dst) {
    json_decref(root);
    return 0;
  }
  zg_xmd_hash_t h = strcmp(hash, "SHA256") == 0 ? ZG_XMD_SHA256 : ZG_XMD_SHA512;
  CHECK_EQ(h, want_hash);
  int n = 0;
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(root, "tests"), i, t) {
    const char *msg = json_string_value(json_object_get(t, "msg"));
    const char *ls = json_string_value(json_object_get(t, "len_in_bytes"));
    const char *ub = json_string_value(json_object_get(t, "uniform_bytes"));
    CHECK(msg && ls && ub);
    if (!msg || !ls || !ub) continue;
    size_t len = (size_t)strtoul(ls, NULL, 0);
    zg_buf_t want;
    zg_buf_init(&want);
    CHECK_OK(zg_hex_decode_loose(&want, ub, strlen(ub)));
    CHECK_EQ(want.len, len);
    uint8_t out[1024];
    CHECK(len <= sizeof out);
    if (want.len == len && len <= sizeof out) {
      CHECK_OK(zg_expand_message_xmd(out, len, h, (const uint8_t *)msg, strlen(msg), (const uint8_t *)dst,
                                     strlen(dst)));
      CHECK_MEM(out, want.ptr, len);
    }
    zg_buf_clear(&want);
    n++;
  }
  json_decref(root);
  return n;
}

static void test_sha256_short_dst(void) {
  int n = run_file("expand_message_xmd_SHA256_38.json", ZG_XMD_SHA256);
  CHECK(n == -1 || n == 10);
}

static void test_sha256_long_dst(void) {
  int n = run_file("expand_message_xmd_SHA256_256.json", ZG_XMD_SHA256);
  CHECK(n == -1 || n == 10);
}

static void test_sha512(void) {
  int n = run_file("expand_message_xmd_SHA512_38.json", ZG_XMD_SHA512);
  CHECK(n == -1 || n == 10);
}

static void test_limits(void) {
  static uint8_t out[255 * 64 + 1];
  const uint8_t dst[] = "DST";
  CHECK_ERR(zg_expand_message_xmd(out, 0, ZG_XMD_SHA256, NULL, 0, dst, 3), ZG_EINVAL);
  CHECK_OK(zg_expand_message_xmd(out, 255 * 32, ZG_XMD_SHA256, NULL, 0, dst, 3));
  CHECK_ERR(zg_expand_message_xmd(out, 255 * 32 + 1, ZG_XMD_SHA256, NULL, 0, dst, 3), ZG_EINVAL);
  CHECK_OK(zg_expand_message_xmd(out, 255 * 64, ZG_XMD_SHA512, NULL, 0, dst, 3));
  CHECK_ERR(zg_expand_message_xmd(out, 255 * 64 + 1, ZG_XMD_SHA512, NULL, 0, dst, 3), ZG_EINVAL);
  CHECK_ERR(zg_expand_message_xmd(NULL, 32, ZG_XMD_SHA512, NULL, 0, dst, 3), ZG_EINVAL);
  CHECK_ERR(zg_expand_message_xmd(out, 32, ZG_XMD_SHA512, NULL, 5, dst, 3), ZG_EINVAL);
  CHECK_ERR(zg_expand_message_xmd(out, 32, ZG_XMD_SHA512, NULL, 0, NULL, 3), ZG_EINVAL);
  CHECK_ERR(zg_expand_message_xmd(out, 32, (zg_xmd_hash_t)7, NULL, 0, dst, 3), ZG_EINVAL);
}

/* Same inputs give the same bytes; one more output byte changes everything
 * (the length is part of b_0), and every byte of a long output is written. */
static void test_random_consistency(void) {
  for (long it = 0; it < zgt_iters(100); it++) {
    uint8_t msg[300], dst[300], a[600], b[600];
    size_t ml = zgt_rand_below(sizeof msg + 1), dl = 1 + zgt_rand_below(sizeof dst);
    size_t n = 1 + zgt_rand_below(599);
    zgt_rand_bytes(msg, ml);
    zgt_rand_bytes(dst, dl);
    zg_xmd_hash_t h = (it & 1) ? ZG_XMD_SHA512 : ZG_XMD_SHA256;
    memset(a, 0xa5, sizeof a);
    memset(b, 0x5a, sizeof b);
    CHECK_OK(zg_expand_message_xmd(a, n, h, msg, ml, dst, dl));
    CHECK_OK(zg_expand_message_xmd(b, n, h, msg, ml, dst, dl));
    CHECK_MEM(a, b, n);
    CHECK_EQ(a[n], 0xa5); /* nothing written past outlen */
    CHECK_OK(zg_expand_message_xmd(b, n + 1, h, msg, ml, dst, dl));
    CHECK(n < 4 || memcmp(a, b, n) != 0);
  }
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_sha256_short_dst);
  ZGT_RUN(test_sha256_long_dst);
  ZGT_RUN(test_sha512);
  ZGT_RUN(test_limits);
  ZGT_RUN(test_random_consistency);
  return zgt_done();
}

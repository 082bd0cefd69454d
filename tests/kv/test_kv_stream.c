/* test_kv_stream.c — 0G's StreamData codec: hand-built byte strings in 0G's
 * layout, every strictness rule, staged failures, and a random round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/hash.h"
#include "zg/kv_stream.h"
#include "zg_test.h"

static void test_domain(void) {
  uint8_t h[32];
  zg_sha256(h, "STREAM", 6);
  CHECK_MEM(h, zg_kv_stream_domain, 32);
  zg_buf_t b;
  zg_buf_init(&b);
  uint8_t ids[2][32];
  memset(ids[0], 0x11, 32);
  memset(ids[1], 0x22, 32);
  CHECK_OK(zg_kv_tags_encode(&b, (const uint8_t(*)[32])ids, 2));
  CHECK_EQ(b.len, 96);
  size_t n;
  CHECK(zg_kv_tags_parse(&n, b.ptr, b.len) && n == 2);
  CHECK(!zg_kv_tags_parse(&n, b.ptr, 95));
  CHECK(zg_kv_tags_parse(&n, b.ptr, 32) && n == 0);
  b.ptr[0] ^= 1;
  CHECK(!zg_kv_tags_parse(&n, b.ptr, b.len));
  zg_buf_clear(&b);
}

/* Appends hex text (spaces ignored) to b. */
static void hex(zg_buf_t *b, const char *s) {
  while (*s) {
    if (*s == ' ') {
      s++;
      continue;
    }
    unsigned v;
    sscanf(s, "%2x", &v);
    CHECK_OK(zg_buf_push(b, (uint8_t)v));
    s += 2;
  }
}

static void fill(zg_buf_t *b, uint8_t byte, size_t n) {
  for (size_t i = 0; i < n; i++) CHECK_OK(zg_buf_push(b, byte));
}

/* One read, two writes, three ACL ops, written out byte by byte. */
static void build_sample(zg_buf_t *b) {
  hex(b, "0000000000000007");           /* version 7 */
  hex(b, "00000001");                   /* 1 read */
  fill(b, 0xaa, 32);                    /* stream */
  hex(b, "000002 6b31");                /* key "k1" */
  hex(b, "00000002");                   /* 2 writes */
  fill(b, 0xaa, 32);                    /* stream */
  hex(b, "000001 61 0000000000000003"); /* key "a", 3 bytes */
  fill(b, 0xbb, 32);
  hex(b, "000002 6263 0000000000000000"); /* key "bc", empty value */
  hex(b, "78797a");                       /* "xyz" */
  hex(b, "00000003");                     /* 3 ACL ops */
  hex(b, "20");                           /* GrantWriter */
  fill(b, 0xaa, 32);
  fill(b, 0x01, 20);
  hex(b, "30"); /* GrantSpecialWriter key "k" + account */
  fill(b, 0xbb, 32);
  hex(b, "000001 6b");
  fill(b, 0x02, 20);
  hex(b, "22"); /* RenounceWriter: stream only */
  fill(b, 0xaa, 32);
}

static void test_layout(void) {
  zg_buf_t b;
  zg_buf_init(&b);
  build_sample(&b);
  zg_kv_stream_t s;
  CHECK_OK(zg_kv_stream_decode(&s, b.ptr, b.len));
  CHECK_EQ(s.stage, ZG_KV_STAGE_END);
  CHECK_EQ(s.version, 7);
  CHECK_EQ(s.nreads, 1);
  CHECK(s.reads[0].stream[0] == 0xaa && s.reads[0].key_len == 2 && memcmp(s.reads[0].key, "k1", 2) == 0);
  CHECK_EQ(s.nwrites, 2);
  CHECK(s.writes[0].key_len == 1 && s.writes[0].value_len == 3 && memcmp(s.writes[0].value, "xyz", 3) == 0);
  CHECK(s.writes[1].stream[0] == 0xbb && s.writes[1].value_len == 0);
  CHECK_EQ(s.nacl, 3);
  CHECK(s.acl[0].op == ZG_KV_GRANT_WRITER && s.acl[0].account[19] == 1 && s.acl[0].key_len == 0);
  CHECK(s.acl[1].op == ZG_KV_GRANT_SPECIAL_WRITER && s.acl[1].key_len == 1 && s.acl[1].account[0] == 2);
  CHECK(s.acl[2].op == ZG_KV_RENOUNCE_WRITER && s.acl[2].account[0] == 0);
  /* Re-encoding gives the same bytes. */
  zg_buf_t e;
  zg_buf_init(&e);
  CHECK_OK(zg_kv_stream_encode(&e, &s));
  CHECK_EQ(e.len, b.len);
  CHECK_MEM(e.ptr, b.ptr, b.len);
  zg_kv_stream_clear(&s);

  /* Every truncation fails, and never claims the END stage. */
  for (size_t n = 0; n < b.len; n++) {
    zg_err_t r = zg_kv_stream_decode(&s, b.ptr, n);
    CHECK(r != ZG_OK);
    CHECK(s.stage < ZG_KV_STAGE_END);
    zg_kv_stream_clear(&s);
  }
  /* A trailing byte is refused after everything was read. */
  CHECK_OK(zg_buf_push(&b, 0));
  CHECK_ERR(zg_kv_stream_decode(&s, b.ptr, b.len), ZG_ETRAILING);
  CHECK_EQ(s.stage, ZG_KV_STAGE_ACL);
  CHECK_EQ(s.nacl, 3);
  zg_kv_stream_clear(&s);
  zg_buf_clear(&e);
  zg_buf_clear(&b);
}

static void test_strict(void) {
  zg_buf_t b;
  zg_kv_stream_t s;
  /* The smallest payload: version and three empty sets. */
  zg_buf_init(&b);
  hex(&b, "0000000000000000 00000000 00000000 00000000");
  CHECK_OK(zg_kv_stream_decode(&s, b.ptr, b.len));
  CHECK(s.nreads == 0 && s.nwrites == 0 && s.nacl == 0);
  zg_kv_stream_clear(&s);
  zg_buf_clear(&b);

  /* An empty key: invalid, with the version read. */
  zg_buf_init(&b);
  hex(&b, "0000000000000001 00000001");
  fill(&b, 0, 32);
  hex(&b, "000000 00000000 00000000");
  CHECK_ERR(zg_kv_stream_decode(&s, b.ptr, b.len), ZG_EINVAL);
  CHECK_EQ(s.stage, ZG_KV_STAGE_VERSION);
  zg_kv_stream_clear(&s);
  zg_buf_clear(&b);

  /* A set count over 65536. */
  zg_buf_init(&b);
  hex(&b, "0000000000000001 00010001");
  CHECK_ERR(zg_kv_stream_decode(&s, b.ptr, b.len), ZG_EOVERFLOW);
  zg_kv_stream_clear(&s);
  zg_buf_clear(&b);

  /* A count the bytes cannot hold fails without allocating for it. */
  zg_buf_init(&b);
  hex(&b, "0000000000000001 00010000");
  CHECK_ERR(zg_kv_stream_decode(&s, b.ptr, b.len), ZG_ETRUNC);
  zg_kv_stream_clear(&s);
  zg_buf_clear(&b);

  /* A value length past the payload; the read set stays decoded. */
  zg_buf_init(&b);
  hex(&b, "0000000000000001 00000001");
  fill(&b, 5, 32);
  hex(&b, "000001 41 00000001");
  fill(&b, 5, 32);
  hex(&b, "000001 41 ffffffffffffffff 00000000");
  CHECK_ERR(zg_kv_stream_decode(&s, b.ptr, b.len), ZG_EOVERFLOW);
  CHECK_EQ(s.stage, ZG_KV_STAGE_READS);
  CHECK_EQ(s.nreads, 1);
  CHECK_EQ(s.nwrites, 0);
  zg_kv_stream_clear(&s);
  zg_buf_clear(&b);

  /* Unknown ACL op type. */
  zg_buf_init(&b);
  hex(&b, "0000000000000001 00000000 00000000 00000001 02");
  fill(&b, 0, 32);
  CHECK_ERR(zg_kv_stream_decode(&s, b.ptr, b.len), ZG_EINVAL);
  CHECK_EQ(s.stage, ZG_KV_STAGE_WRITES);
  zg_kv_stream_clear(&s);
  zg_buf_clear(&b);

  /* The encoder refuses what the decoder would. */
  zg_kv_write_t w = {{0}, (const uint8_t *)"", 0, NULL, 0};
  zg_kv_stream_t bad = {0};
  bad.writes = &w;
  bad.nwrites = 1;
  zg_buf_init(&b);
  CHECK_ERR(zg_kv_stream_encode(&b, &bad), ZG_EINVAL);
  CHECK_EQ(b.len, 0);
  w.key = (const uint8_t *)"k";
  w.key_len = 1;
  w.value_len = 4;
  CHECK_ERR(zg_kv_stream_encode(&b, &bad), ZG_EINVAL);
  zg_kv_acl_t a = {0x05, {0}, NULL, 0, {0}};
  zg_kv_stream_t bad2 = {0};
  bad2.acl = &a;
  bad2.nacl = 1;
  CHECK_ERR(zg_kv_stream_encode(&b, &bad2), ZG_EINVAL);
  zg_buf_clear(&b);
  CHECK(strcmp(zg_kv_acl_name(ZG_KV_GRANT_ADMIN), "GRANT_ADMIN_ROLE") == 0);
}

static void rand_key(uint8_t *k, size_t *n) {
  *n = 1 + zgt_rand_below(6);
  for (size_t i = 0; i < *n; i++) k[i] = (uint8_t)('a' + zgt_rand_below(4));
}

/* Random payloads encode and decode to the same content. */
static void test_roundtrip(void) {
  static const uint8_t ops[] = {0x00, 0x01, 0x10, 0x11, 0x20, 0x21, 0x22, 0x30, 0x31, 0x32};
  long iters = zgt_iters(300);
  for (long it = 0; it < iters; it++) {
    zg_kv_read_t rs[8];
    zg_kv_write_t ws[8];
    zg_kv_acl_t as[8];
    uint8_t keys[24][8], vals[8][40];
    size_t kn = 0;
    zg_kv_stream_t s = {0};
    s.version = zgt_rand64();
    s.nreads = zgt_rand_below(9);
    s.nwrites = zgt_rand_below(9);
    s.nacl = zgt_rand_below(9);
    s.reads = rs;
    s.writes = ws;
    s.acl = as;
    for (size_t i = 0; i < s.nreads; i++) {
      zgt_rand_bytes(rs[i].stream, 32);
      rand_key(keys[kn], &rs[i].key_len);
      rs[i].key = keys[kn++];
    }
    for (size_t i = 0; i < s.nwrites; i++) {
      zgt_rand_bytes(ws[i].stream, 32);
      rand_key(keys[kn], &ws[i].key_len);
      ws[i].key = keys[kn++];
      ws[i].value_len = zgt_rand_below(41);
      zgt_rand_bytes(vals[i], sizeof vals[i]);
      ws[i].value = ws[i].value_len ? vals[i] : NULL;
    }
    for (size_t i = 0; i < s.nacl; i++) {
      memset(&as[i], 0, sizeof as[i]);
      as[i].op = ops[zgt_rand_below(10)];
      zgt_rand_bytes(as[i].stream, 32);
      if (zg_kv_acl_has_key(as[i].op)) {
        rand_key(keys[kn], &as[i].key_len);
        as[i].key = keys[kn++];
      }
      if (zg_kv_acl_has_account(as[i].op)) zgt_rand_bytes(as[i].account, 20);
    }
    zg_buf_t b;
    zg_buf_init(&b);
    CHECK_OK(zg_kv_stream_encode(&b, &s));
    zg_kv_stream_t d;
    CHECK_OK(zg_kv_stream_decode(&d, b.ptr, b.len));
    CHECK(d.version == s.version && d.nreads == s.nreads && d.nwrites == s.nwrites && d.nacl == s.nacl);
    for (size_t i = 0; i < d.nreads; i++)
      CHECK(d.reads[i].key_len == rs[i].key_len && memcmp(d.reads[i].key, rs[i].key, rs[i].key_len) == 0 &&
            memcmp(d.reads[i].stream, rs[i].stream, 32) == 0);
    for (size_t i = 0; i < d.nwrites; i++)
      CHECK(d.writes[i].value_len == ws[i].value_len &&
            (ws[i].value_len == 0 || memcmp(d.writes[i].value, ws[i].value, ws[i].value_len) == 0));
    for (size_t i = 0; i < d.nacl; i++)
      CHECK(d.acl[i].op == as[i].op && memcmp(d.acl[i].account, as[i].account, 20) == 0 &&
            d.acl[i].key_len == as[i].key_len);
    /* And the bytes are canonical: re-encoding the decoded value gives them back. */
    zg_buf_t b2;
    zg_buf_init(&b2);
    CHECK_OK(zg_kv_stream_encode(&b2, &d));
    CHECK(b2.len == b.len && memcmp(b2.ptr, b.ptr, b.len) == 0);
    zg_buf_clear(&b2);
    zg_kv_stream_clear(&d);
    zg_buf_clear(&b);
  }
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_domain);
  ZGT_RUN(test_layout);
  ZGT_RUN(test_strict);
  ZGT_RUN(test_roundtrip);
  return zgt_done();
}

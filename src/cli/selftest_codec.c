/*
 * selftest_codec.c — self-test section "base_codec": random records through
 * the canonical codec, a CRC32C-framed record (and the rejection of a torn
 * frame and of a trailing byte), and a configuration file loaded from a
 * temporary directory, with what was read and how fast.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "zg/codec.h"
#include "zg/config.h"
#include "zg/log.h"

/* A vote-like record with a variable tail: u64, u32, fixed[32], fixed[64],
 * list<u64> (0..4), option<u32>, bytes (0..63). */
typedef struct {
  uint64_t height, lanes[4];
  uint32_t round, ext_round;
  uint8_t hash[32], sig[64], extra[64];
  size_t nlanes, nextra;
  bool has_ext;
} st_rec_t;

static uint64_t st_next(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void st_rec_random(st_rec_t *r, uint64_t *s) {
  memset(r, 0, sizeof *r);
  r->height = st_next(s);
  r->round = (uint32_t)st_next(s);
  for (int i = 0; i < 32; i++) r->hash[i] = (uint8_t)st_next(s);
  for (int i = 0; i < 64; i++) r->sig[i] = (uint8_t)st_next(s);
  r->nlanes = st_next(s) % 5;
  for (size_t i = 0; i < r->nlanes; i++) r->lanes[i] = st_next(s);
  r->has_ext = st_next(s) & 1;
  r->ext_round = r->has_ext ? (uint32_t)st_next(s) : 0;
  r->nextra = st_next(s) % 64;
  for (size_t i = 0; i < r->nextra; i++) r->extra[i] = (uint8_t)st_next(s);
}

static zg_err_t st_rec_encode(zg_buf_t *out, const st_rec_t *r) {
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, out);
  zg_codec_put_u64(&w, r->height);
  zg_codec_put_u32(&w, r->round);
  zg_codec_put_fixed(&w, r->hash, 32);
  zg_codec_put_fixed(&w, r->sig, 64);
  zg_codec_put_count(&w, r->nlanes);
  for (size_t i = 0; i < r->nlanes; i++) zg_codec_put_u64(&w, r->lanes[i]);
  zg_codec_put_option(&w, r->has_ext);
  if (r->has_ext) zg_codec_put_u32(&w, r->ext_round);
  zg_codec_put_bytes(&w, r->extra, r->nextra);
  return zg_codec_writer_finish(&w);
}

static zg_err_t st_rec_decode(st_rec_t *r, const uint8_t *p, size_t n) {
  zg_codec_reader_t rd;
  zg_codec_reader_init(&rd, p, n);
  memset(r, 0, sizeof *r);
  zg_codec_get_u64(&rd, &r->height);
  zg_codec_get_u32(&rd, &r->round);
  zg_codec_get_fixed(&rd, r->hash, 32);
  zg_codec_get_fixed(&rd, r->sig, 64);
  zg_codec_get_count(&rd, &r->nlanes, 4, 8);
  for (size_t i = 0; i < r->nlanes; i++) zg_codec_get_u64(&rd, &r->lanes[i]);
  zg_codec_get_option(&rd, &r->has_ext);
  if (r->has_ext) zg_codec_get_u32(&rd, &r->ext_round);
  zg_slice_t ex;
  zg_codec_get_bytes(&rd, &ex, sizeof r->extra);
  if (ex.len) memcpy(r->extra, ex.ptr, ex.len);
  r->nextra = ex.len;
  return zg_codec_reader_finish(&rd);
}

static bool st_codec_records(void) {
  bool ok = true;
  uint64_t seed;
  ZG_ST_CHECK(ok, zg_random_bytes(&seed, sizeof seed) == ZG_OK);
  const int n = 5000;
  zg_buf_t buf;
  zg_buf_init(&buf);
  size_t total = 0, minlen = SIZE_MAX, maxlen = 0;
  int mismatches = 0;
  uint64_t t_enc = 0, t_dec = 0;
  for (int i = 0; i < n; i++) {
    st_rec_t a, b;
    st_rec_random(&a, &seed);
    buf.len = 0;
    uint64_t t0 = zg_clock_ns();
    zg_err_t e = st_rec_encode(&buf, &a);
    uint64_t t1 = zg_clock_ns();
    if (e == ZG_OK) e = st_rec_decode(&b, buf.ptr, buf.len);
    t_enc += t1 - t0;
    t_dec += zg_clock_ns() - t1;
    if (e != ZG_OK || memcmp(&a, &b, sizeof a) != 0) mismatches++;
    total += buf.len;
    if (buf.len < minlen) minlen = buf.len;
    if (buf.len > maxlen) maxlen = buf.len;
  }
  ZG_ST_CHECK(ok, mismatches == 0);
  printf("   %d random vote-like records (%zu..%zu bytes, %zu total) round-tripped, %d mismatches\n", n, minlen,
         maxlen, total, mismatches);
  printf("   encode %.0f ns/record, decode %.0f ns/record\n", (double)t_enc / n, (double)t_dec / n);

  /* Strictness on one record: a cut at every offset and a trailing byte. */
  st_rec_t a, b;
  st_rec_random(&a, &seed);
  buf.len = 0;
  ZG_ST_CHECK(ok, st_rec_encode(&buf, &a) == ZG_OK);
  int cut_rejected = 0;
  for (size_t cut = 0; cut < buf.len; cut++) cut_rejected += st_rec_decode(&b, buf.ptr, cut) != ZG_OK;
  ZG_ST_CHECK(ok, (size_t)cut_rejected == buf.len);
  ZG_ST_CHECK(ok, zg_buf_push(&buf, 0) == ZG_OK);
  zg_err_t trailing = st_rec_decode(&b, buf.ptr, buf.len);
  ZG_ST_CHECK(ok, trailing == ZG_ETRAILING);
  printf("   record of %zu bytes: all %d truncations rejected; one trailing byte -> %s\n", buf.len - 1, cut_rejected,
         zg_errname(trailing));
  zg_buf_clear(&buf);
  return ok;
}

static bool st_codec_frames(void) {
  bool ok = true;
  static uint8_t payload[4096];
  ZG_ST_CHECK(ok, zg_random_bytes(payload, sizeof payload) == ZG_OK);
  zg_buf_t f;
  zg_buf_init(&f);
  ZG_ST_CHECK(ok, zg_codec_frame_append(&f, payload, 200) == ZG_OK);
  zg_slice_t p;
  size_t used;
  zg_err_t e = zg_codec_frame_parse(&p, &used, f.ptr, f.len, 1 << 20);
  ZG_ST_CHECK(ok, e == ZG_OK && p.len == 200 && memcmp(p.ptr, payload, 200) == 0);
  printf("   framed a 200-byte record: %zu bytes, crc32c 0x%08x, parsed back %s\n", f.len,
         zg_load_be32(f.ptr + f.len - 4), zg_errname(e));
  zg_err_t torn = zg_codec_frame_parse(&p, &used, f.ptr, f.len - 3, 1 << 20);
  ZG_ST_CHECK(ok, torn == ZG_ETRUNC);
  f.ptr[57] ^= 0x10;
  zg_err_t flip = zg_codec_frame_parse(&p, &used, f.ptr, f.len, 1 << 20);
  ZG_ST_CHECK(ok, flip == ZG_ECORRUPT);
  printf("   torn frame (last 3 bytes missing) -> %s; one flipped payload bit -> %s\n", zg_errname(torn),
         zg_errname(flip));
  int rounds = 2000;
  uint64_t t = zg_clock_ns();
  for (int i = 0; i < rounds; i++) {
    f.len = 0;
    if (zg_codec_frame_append(&f, payload, sizeof payload) != ZG_OK ||
        zg_codec_frame_parse(&p, &used, f.ptr, f.len, sizeof payload) != ZG_OK) {
      ok = false;
      break;
    }
  }
  double mbs = (double)rounds * sizeof payload * 1e3 / (double)(zg_clock_ns() - t);
  printf("   frame+parse of 4 KiB payloads: %.0f MB/s (crc32c 0x%08x for \"123456789\")\n", mbs,
         zg_crc32c(0, "123456789", 9));
  ZG_ST_CHECK(ok, zg_crc32c(0, "123456789", 9) == 0xE3069283u);
  zg_buf_clear(&f);
  return ok;
}

static const char st_config_text[] =
    "{\n"
    "  \"rpc\": {\"addr\": \"127.0.0.1:8545\", \"maxBody\": \"256KiB\"},\n"
    "  \"storage\": {\"shard\": {\"shardId\": 1, \"numShard\": 4}},\n"
    "  \"chain\": {\"blockTime\": \"500ms\", \"timeout\": 3000},\n"
    "  \"net\": {\"peers\": [\"10.0.0.2:30303\", \"10.0.0.3:30303\"]}\n"
    "}\n";

static bool st_config(void) {
  bool ok = true;
  const char *tmp = getenv("TMPDIR");
  char dir[256], path[300], err[256];
  snprintf(dir, sizeof dir, "%s/zg_selftest.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    printf("    FAILED: cannot create a temporary directory\n");
    return false;
  }
  snprintf(path, sizeof path, "%s/node.json", dir);
  FILE *fp = fopen(path, "w");
  ZG_ST_CHECK(ok, fp != NULL);
  if (fp) {
    fputs(st_config_text, fp);
    fclose(fp);
  }
  zg_config_t *c = NULL;
  zg_err_t e = zg_config_load_file(&c, err, sizeof err, path, ZG_CONFIG_NO_ENV);
  ZG_ST_CHECK(ok, e == ZG_OK);
  if (c) {
    static const char *const known[] = {"rpc.addr", "rpc.maxBody", "storage.shard.shardId",
                                        "storage.shard.numShard", "chain.blockTime", "chain.timeout", "net.peers"};
    const char *addr;
    uint64_t shard, nshard, body, block, timeout;
    const char *const *peers;
    size_t npeers;
    bool got = zg_config_check_known(c, known, sizeof known / sizeof known[0]) == ZG_OK &&
               zg_config_get_str(c, &addr, "rpc.addr", "") == ZG_OK &&
               zg_config_get_size(c, &body, "rpc.maxBody", 0) == ZG_OK &&
               zg_config_get_u64(c, &shard, "storage.shard.shardId", 0) == ZG_OK &&
               zg_config_get_u64(c, &nshard, "storage.shard.numShard", 1) == ZG_OK &&
               zg_config_get_duration_ns(c, &block, "chain.blockTime", 0) == ZG_OK &&
               zg_config_get_duration_ns(c, &timeout, "chain.timeout", 0) == ZG_OK &&
               zg_config_get_strs(c, &peers, &npeers, "net.peers") == ZG_OK;
    ZG_ST_CHECK(ok, got);
    if (got) {
      printf("   config %s: rpc.addr=%s rpc.maxBody=%llu B storage.shard=%llu/%llu\n", path, addr,
             (unsigned long long)body, (unsigned long long)shard, (unsigned long long)nshard);
      printf("   chain.blockTime=%llu ms chain.timeout=%llu ms net.peers=%zu (%s, ...)\n",
             (unsigned long long)(block / 1000000), (unsigned long long)(timeout / 1000000), npeers,
             npeers ? peers[0] : "-");
      ZG_ST_CHECK(ok, body == 262144 && shard == 1 && nshard == 4 && block == 500000000ull && npeers == 2);
    }
    /* A typo is reported, not ignored. */
    static const char *const known2[] = {"rpc.address", "rpc.maxBody", "storage.*", "chain.*", "net.*"};
    ZG_ST_CHECK(ok, zg_config_check_known(c, known2, 5) == ZG_ECONFIG);
    printf("   strict mode against a list expecting rpc.address: %s\n", zg_config_error(c));
    zg_config_destroy(c);
  }
  /* Malformed JSON: file, line and column. */
  fp = fopen(path, "w");
  if (fp) {
    fputs("{\n  \"rpc\": {\"addr\": 127.0.0.1}\n}\n", fp);
    fclose(fp);
  }
  e = zg_config_load_file(&c, err, sizeof err, path, 0);
  ZG_ST_CHECK(ok, e == ZG_EJSON && c == NULL);
  printf("   malformed file -> %s: %s\n", zg_errname(e), err);
  unlink(path);
  rmdir(dir);
  return ok;
}

ZG_SELFTEST(base_codec) {
  bool ok = st_codec_records();
  ok &= st_codec_frames();
  ok &= st_config();
  return ok;
}

/*
 * bench_codec.c — the canonical codec on a vote-like record, and CRC32C
 * framing of 4 KiB payloads.
 *
 * The record: u64 height, u32 round, 32-byte block hash, 20-byte validator
 * address, 64-byte signature, list of 3 u64, var bytes of 32 (an extension
 * field): 192 bytes encoded.
 */
#include <string.h>

#include "bench.h"
#include "zg/codec.h"

typedef struct {
  uint64_t height;
  uint32_t round;
  uint8_t hash[32];
  uint8_t addr[20];
  uint8_t sig[64];
  uint64_t lanes[3];
  uint8_t ext[32];
  size_t ext_len;
} vote_t;

static void vote_fill(vote_t *v) {
  memset(v, 0, sizeof *v);
  v->height = 1234567;
  v->round = 3;
  for (int i = 0; i < 32; i++) v->hash[i] = (uint8_t)(i * 7);
  for (int i = 0; i < 20; i++) v->addr[i] = (uint8_t)(i + 100);
  for (int i = 0; i < 64; i++) v->sig[i] = (uint8_t)(255 - i);
  v->lanes[0] = 1;
  v->lanes[1] = 1u << 20;
  v->lanes[2] = UINT64_MAX;
  memset(v->ext, 0x5a, sizeof v->ext);
  v->ext_len = sizeof v->ext;
}

static zg_err_t vote_encode(zg_buf_t *out, const vote_t *v) {
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, out);
  zg_codec_put_u64(&w, v->height);
  zg_codec_put_u32(&w, v->round);
  zg_codec_put_fixed(&w, v->hash, 32);
  zg_codec_put_fixed(&w, v->addr, 20);
  zg_codec_put_fixed(&w, v->sig, 64);
  zg_codec_put_count(&w, 3);
  for (int i = 0; i < 3; i++) zg_codec_put_u64(&w, v->lanes[i]);
  zg_codec_put_bytes(&w, v->ext, v->ext_len);
  return zg_codec_writer_finish(&w);
}

static zg_err_t vote_decode(vote_t *v, const uint8_t *p, size_t n) {
  zg_codec_reader_t r;
  zg_codec_reader_init(&r, p, n);
  zg_codec_get_u64(&r, &v->height);
  zg_codec_get_u32(&r, &v->round);
  zg_codec_get_fixed(&r, v->hash, 32);
  zg_codec_get_fixed(&r, v->addr, 20);
  zg_codec_get_fixed(&r, v->sig, 64);
  size_t count;
  zg_codec_get_count(&r, &count, 3, 8);
  if (count != 3) zg_codec_reader_fail(&r, ZG_EBADLEN);
  for (size_t i = 0; i < count; i++) zg_codec_get_u64(&r, &v->lanes[i]);
  zg_slice_t ext;
  zg_codec_get_bytes(&r, &ext, sizeof v->ext);
  if (ext.len) memcpy(v->ext, ext.ptr, ext.len);
  v->ext_len = ext.len;
  return zg_codec_reader_finish(&r);
}

ZG_BENCH(codec_encode_record) {
  vote_t v;
  vote_fill(&v);
  zg_buf_t buf;
  zg_buf_init(&buf);
  if (vote_encode(&buf, &v) != ZG_OK) return;
  b->bytes_per_op = buf.len;
  while (zg_bench_loop(b)) {
    buf.len = 0;
    if (vote_encode(&buf, &v) != ZG_OK) break;
    ZG_BENCH_KEEP(buf.ptr);
  }
  zg_buf_clear(&buf);
}

ZG_BENCH(codec_decode_record) {
  vote_t v, out;
  vote_fill(&v);
  zg_buf_t buf;
  zg_buf_init(&buf);
  if (vote_encode(&buf, &v) != ZG_OK) return;
  b->bytes_per_op = buf.len;
  while (zg_bench_loop(b)) {
    if (vote_decode(&out, buf.ptr, buf.len) != ZG_OK) break;
    ZG_BENCH_KEEP(out.height);
  }
  zg_buf_clear(&buf);
}

/* Frame a 4 KiB payload and parse it back (CRC computed twice). */
ZG_BENCH(codec_frame_crc_4k) {
  static uint8_t payload[4096];
  for (size_t i = 0; i < sizeof payload; i++) payload[i] = (uint8_t)(i * 31);
  zg_buf_t buf;
  zg_buf_init(&buf);
  b->bytes_per_op = sizeof payload;
  while (zg_bench_loop(b)) {
    buf.len = 0;
    zg_slice_t p;
    size_t used;
    if (zg_codec_frame_append(&buf, payload, sizeof payload) != ZG_OK ||
        zg_codec_frame_parse(&p, &used, buf.ptr, buf.len, sizeof payload) != ZG_OK) {
      break;
    }
    ZG_BENCH_KEEP(p.ptr);
  }
  zg_buf_clear(&buf);
}

/* The CRC alone: the dispatched function and the portable table path. */
ZG_BENCH(codec_crc32c_4k) {
  static uint8_t data[4096];
  memset(data, 0xa7, sizeof data);
  b->bytes_per_op = sizeof data;
  while (zg_bench_loop(b)) ZG_BENCH_KEEP(zg_crc32c(0, data, sizeof data));
}

ZG_BENCH(codec_crc32c_4k_portable) {
  static uint8_t data[4096];
  memset(data, 0xa7, sizeof data);
  b->bytes_per_op = sizeof data;
  while (zg_bench_loop(b)) ZG_BENCH_KEEP(zg__crc32c_portable(0, data, sizeof data));
}

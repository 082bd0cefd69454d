/*
 * bench_kv.c — KV layer cases (docs/kv.md): the StreamData decoder, and the
 * replay of one put (decode, version and permission checks, commit of the
 * value, result and cursor in one LMDB transaction) into a no-sync state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "zg/kv.h"

static void put_payload(zg_buf_t *out, const uint8_t stream[32], const char *key, size_t vlen) {
  uint8_t *v = calloc(1, vlen);
  zg_kv_write_t w = {{0}, (const uint8_t *)key, strlen(key), v, vlen};
  memcpy(w.stream, stream, 32);
  zg_kv_stream_t s = {0};
  s.version = UINT64_MAX;
  s.writes = &w;
  s.nwrites = 1;
  if (zg_kv_stream_encode(out, &s) != ZG_OK) abort();
  free(v);
}

ZG_BENCH(kv_stream_decode_1k) {
  uint8_t stream[32] = {1};
  zg_buf_t p;
  zg_buf_init(&p);
  put_payload(&p, stream, "some-key", 1024);
  b->bytes_per_op = p.len;
  while (zg_bench_loop(b)) {
    zg_kv_stream_t s;
    if (zg_kv_stream_decode(&s, p.ptr, p.len) != ZG_OK) abort();
    ZG_BENCH_KEEP(s.nwrites);
    zg_kv_stream_clear(&s);
  }
  zg_buf_clear(&p);
}

/* Replays puts of distinct keys (100-byte values) by one writer. */
ZG_BENCH(kv_replay_put_nosync) {
  char dir[] = "/tmp/zg-bench-kv-XXXXXX";
  if (!mkdtemp(dir)) abort();
  uint8_t stream[32] = {7}, sender[20] = {9};
  zg_kv_cfg_t cfg = {dir, false, (const uint8_t(*)[32])stream, 1, true};
  zg_kv_t *kv = NULL;
  if (zg_kv_open(&kv, &cfg, NULL, 0) != ZG_OK) abort();
  zg_buf_t tags;
  zg_buf_init(&tags);
  if (zg_kv_tags_encode(&tags, (const uint8_t(*)[32])stream, 1) != ZG_OK) abort();
  uint64_t seq = 0;
  while (zg_bench_loop(b)) {
    char key[32];
    snprintf(key, sizeof key, "key-%llu", (unsigned long long)seq);
    zg_buf_t p;
    zg_buf_init(&p);
    put_payload(&p, stream, key, 100);
    if (zg_kv_replay(kv, NULL, 0, seq, sender, tags.ptr, tags.len, p.ptr, p.len) != ZG_OK) abort();
    zg_buf_clear(&p);
    seq++;
  }
  zg_buf_clear(&tags);
  zg_kv_close(kv);
  char cmd[64];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "bench: could not remove %s\n", dir);
}

/*
 * bench_store.c — the storage node's log store on this machine's disk:
 * durable 256 KiB segment puts one per call, 16 per call, and from 4 threads
 * at once (group commit), segment reads (page-cached), and durable tx puts.
 *
 * Stores go in a fresh directory under $ZG_BENCH_DIR (default /tmp), removed
 * after each case. Every put is durable (fdatasync + synchronous LMDB
 * commit), so the figures are the disk's sync latency and bandwidth.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "zg/log.h"
#include "zg/logstore.h"

#define SEG ZG_LOGSTORE_SEGMENT

typedef struct {
  char dir[300];
  zg_logstore_t *ls;
  uint8_t root[32];
  uint8_t *data; /* 16 segments */
  uint64_t next; /* next segment index */
} bstore_t;

static bool bstore_open_opts(bstore_t *s, const zg_logstore_opts_t *o) {
  const char *base = getenv("ZG_BENCH_DIR");
  memset(s, 0, sizeof *s);
  zg_log_set_level(ZG_LOG_OFF);
  snprintf(s->dir, sizeof s->dir, "%s/zg_bench_store_XXXXXX", base ? base : "/tmp");
  if (!mkdtemp(s->dir)) return false;
  if (zg_logstore_open(&s->ls, s->dir, o) != ZG_OK) return false;
  memset(s->root, 0xab, 32);
  zg_logstore_tx_t tx = {.seq = 0, .size = ZG_LOGSTORE_MAX_SIZE, .start_pos = 1, .nnodes = 1};
  memcpy(tx.root, s->root, 32);
  tx.nodes[0].height = 40;
  if (zg_logstore_tx_put(s->ls, &tx, 1) != ZG_OK) return false;
  s->data = malloc(16 * (size_t)SEG);
  if (!s->data) return false;
  for (size_t i = 0; i < 16 * (size_t)SEG; i++) s->data[i] = (uint8_t)(i * 2654435761u >> 13);
  return true;
}

static bool bstore_open(bstore_t *s) { return bstore_open_opts(s, NULL); }

static void bstore_close(bstore_t *s) {
  char cmd[400];
  zg_logstore_close(s->ls);
  free(s->data);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
  if (system(cmd) != 0) fprintf(stderr, "bench_store: could not remove %s\n", s->dir);
}

/* Puts n segments (new indexes) in one call. */
static zg_err_t put_n(bstore_t *s, size_t n) {
  zg_logstore_seg_t segs[16];
  for (size_t i = 0; i < n; i++) {
    memcpy(segs[i].root, s->root, 32);
    segs[i].index = __atomic_fetch_add(&s->next, 1, __ATOMIC_RELAXED);
    segs[i].data = s->data + i * SEG;
    segs[i].len = SEG;
  }
  return zg_logstore_segments_put(s->ls, segs, n);
}

ZG_BENCH(store_put_segment) {
  bstore_t s;
  if (!bstore_open(&s)) return;
  b->bytes_per_op = SEG;
  while (zg_bench_loop(b))
    if (put_n(&s, 1) != ZG_OK) abort();
  bstore_close(&s);
}

/* The same without any sync: the CPU and page-cache cost of a put (CRC,
 * pwritev, LMDB), i.e. what durability adds on top. */
ZG_BENCH(store_put_segment_nosync) {
  bstore_t s;
  zg_logstore_opts_t o = {.no_sync = true};
  if (!bstore_open_opts(&s, &o)) return;
  b->bytes_per_op = SEG;
  while (zg_bench_loop(b))
    if (put_n(&s, 1) != ZG_OK) abort();
  bstore_close(&s);
}

ZG_BENCH(store_put_batch_16) {
  bstore_t s;
  if (!bstore_open(&s)) return;
  b->bytes_per_op = 16 * (uint64_t)SEG;
  while (zg_bench_loop(b))
    if (put_n(&s, 16) != ZG_OK) abort();
  bstore_close(&s);
}

static void *put4(void *arg) {
  bstore_t *s = arg;
  for (int i = 0; i < 4; i++)
    if (put_n(s, 1) != ZG_OK) abort();
  return NULL;
}

/* One op = 4 threads each putting 4 single segments: 16 calls that group
 * commit shares fsyncs among. */
ZG_BENCH(store_put_4threads_16) {
  bstore_t s;
  if (!bstore_open(&s)) return;
  b->bytes_per_op = 16 * (uint64_t)SEG;
  while (zg_bench_loop(b)) {
    pthread_t th[4];
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, put4, &s);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
  }
  bstore_close(&s);
}

ZG_BENCH(store_get_segment) {
  bstore_t s;
  if (!bstore_open(&s)) return;
  for (int i = 0; i < 4; i++)
    if (put_n(&s, 16) != ZG_OK) abort();
  uint8_t *out = malloc(SEG);
  uint64_t i = 0;
  size_t len;
  b->bytes_per_op = SEG;
  while (zg_bench_loop(b)) {
    if (zg_logstore_segment_get(s.ls, out, SEG, &len, s.root, (i++ * 7) % 64) != ZG_OK) abort();
    ZG_BENCH_KEEP(out[len - 1]);
  }
  free(out);
  bstore_close(&s);
}

ZG_BENCH(logstore_tx_put) {
  bstore_t s;
  if (!bstore_open(&s)) return;
  uint64_t seq = 1;
  while (zg_bench_loop(b)) {
    zg_logstore_tx_t tx = {.seq = seq, .size = 1 + seq * 1000, .start_pos = seq * 1024, .nnodes = 1};
    zg_store_be64(tx.root, seq++);
    tx.nodes[0].height = 10;
    memcpy(tx.nodes[0].root, tx.root, 32);
    if (zg_logstore_tx_put(s.ls, &tx, 1) != ZG_OK) abort();
  }
  bstore_close(&s);
}

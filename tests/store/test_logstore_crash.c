/*
 * test_logstore_crash.c — kill -9 at random moments (STYLE point 17).
 *
 * Each round forks a child that opens the log store (recovery runs there
 * too, so some kills land in it) and then loops: put the next tx, then put
 * its file's segments from two threads (single puts and batches, so groups
 * form), writing a record to a pipe after each acknowledged put. The parent
 * sleeps a seeded random time, kills the child with SIGKILL, reads the
 * acknowledgements, reopens the store and checks that
 *   - every acknowledged tx is there with its fields;
 *   - every acknowledged segment is there with its exact bytes;
 *   - no index entry points at bad data (zg_logstore_verify: bad == 0);
 *   - each tx is FINALIZED exactly when all its segments are present;
 *   - segments are shared: every fifth file repeats an earlier file's root.
 * The store carries over from round to round (recovery on top of recovery)
 * and is reset every 25 rounds to bound disk use. Rounds: 150 x ZG_TEST_ITERS.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store_util.h"
#include "zg/log.h"
#include "zg/logstore.h"
#include "zg_test.h"

#define SEG ZG_LOGSTORE_SEGMENT
#define MAX_SEQ 20000
#define MAX_NSEG 4

/* The workload is a pure function of seq: content id, size, data. */
static uint64_t content_of(uint64_t seq) { return seq % 5 == 4 ? seq - 3 : seq; }
static uint64_t mix(uint64_t x) {
  x ^= x >> 31;
  x *= 0x7fb5d329728ea185ull;
  x ^= x >> 27;
  x *= 0x81dadef4bc2dd44dull;
  return x ^ (x >> 33);
}
static uint64_t size_of_content(uint64_t c) {
  uint64_t nseg = 1 + mix(c) % MAX_NSEG;
  uint64_t last = 1 + mix(c + 77) % SEG;
  return (nseg - 1) * SEG + last;
}
static void root_of(uint8_t root[32], uint64_t c) {
  memset(root, 0xc3, 32);
  zg_store_be64(root, c);
}
static void data_of(uint8_t *p, size_t len, uint64_t c, uint64_t index) {
  uint64_t x = mix(c * 1315423911u + index + 1);
  for (size_t i = 0; i < len; i += 8) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    for (size_t j = 0; j < 8 && i + j < len; j++) p[i + j] = (uint8_t)(x >> (8 * j));
  }
}
static zg_logstore_tx_t tx_of(uint64_t seq) {
  zg_logstore_tx_t tx;
  memset(&tx, 0, sizeof tx);
  uint64_t c = content_of(seq);
  tx.seq = seq;
  root_of(tx.root, c);
  tx.size = size_of_content(c);
  tx.start_pos = seq * 8192 + 1;
  tx.nnodes = 1;
  root_of(tx.nodes[0].root, c ^ 0xffff);
  tx.nodes[0].height = 10;
  return tx;
}

/* ---- child ---- */

typedef struct {
  uint8_t type; /* 'T' tx, 'S' segment, 'E' error */
  uint8_t pad[7];
  uint64_t a, b;
} ack_t;

static int g_ackfd;
static zg_logstore_t *g_ls;

static void ack(uint8_t type, uint64_t a, uint64_t b) {
  ack_t r;
  memset(&r, 0, sizeof r);
  r.type = type;
  r.a = a;
  r.b = b;
  if (write(g_ackfd, &r, sizeof r) != (ssize_t)sizeof r) _exit(4);
}

typedef struct {
  uint64_t seq, parity, rng;
} job_t;

/* Puts the segments of tx seq with index parity p, in random batches. */
static void *put_half(void *arg) {
  job_t *j = arg;
  static __thread uint8_t bufs[3][SEG];
  zg_logstore_tx_t tx = tx_of(j->seq);
  uint64_t c = content_of(j->seq), nseg = zg_logstore_tx_segments(tx.size);
  uint64_t i = j->parity;
  while (i < nseg) {
    zg_logstore_seg_t segs[3];
    size_t k = 0, want = 1 + (j->rng = mix(j->rng)) % 3;
    for (; k < want && i < nseg; i += 2) {
      bool present = false;
      if (zg_logstore_segment_has(g_ls, &present, tx.root, i) != ZG_OK) ack('E', 1, 0), _exit(3);
      if (present) continue;
      size_t len = zg_logstore_segment_len(tx.size, i);
      memcpy(segs[k].root, tx.root, 32);
      segs[k].index = i;
      data_of(bufs[k], len, c, i);
      segs[k].data = bufs[k];
      segs[k].len = len;
      k++;
    }
    if (k == 0) continue;
    zg_err_t e = zg_logstore_segments_put(g_ls, segs, k);
    if (e != ZG_OK) ack('E', 2, (uint64_t)e), _exit(3);
    for (size_t m = 0; m < k; m++) ack('S', c, segs[m].index);
  }
  return NULL;
}

static void child_main(const char *dir, int fd, uint64_t rng) {
  g_ackfd = fd;
  zg_log_set_level(ZG_LOG_OFF);
  if (zg_logstore_open(&g_ls, dir, NULL) != ZG_OK) ack('E', 3, 0), _exit(3);
  uint64_t seq;
  if (zg_logstore_next_seq(g_ls, &seq) != ZG_OK) ack('E', 4, 0), _exit(3);
  for (; seq < MAX_SEQ; seq++) {
    zg_logstore_tx_t tx = tx_of(seq);
    zg_err_t e = zg_logstore_tx_put(g_ls, &tx, 1);
    if (e != ZG_OK) ack('E', 5, (uint64_t)e), _exit(3);
    ack('T', seq, 0);
    pthread_t th[2];
    job_t jobs[2] = {{seq, 0, mix(rng ^ seq)}, {seq, 1, mix(rng + seq)}};
    for (int t = 0; t < 2; t++) pthread_create(&th[t], NULL, put_half, &jobs[t]);
    for (int t = 0; t < 2; t++) pthread_join(th[t], NULL);
  }
  _exit(0);
}

/* ---- parent ---- */

static uint8_t g_tx_acked[MAX_SEQ];
static uint8_t g_seg_acked[MAX_SEQ][MAX_NSEG];
static uint8_t g_buf[SEG], g_want[SEG];

static void verify_store(const char *dir, uint64_t *ntx_out) {
  zg_logstore_t *ls = NULL;
  CHECK_OK(zg_logstore_open(&ls, dir, NULL));
  if (!ls) return;
  uint64_t next = 0;
  CHECK_OK(zg_logstore_next_seq(ls, &next));
  *ntx_out = next;
  for (uint64_t s = 0; s < MAX_SEQ; s++)
    if (g_tx_acked[s]) CHECK(s < next);
  for (uint64_t s = 0; s < next && s < MAX_SEQ; s++) {
    zg_logstore_tx_t tx, want = tx_of(s);
    CHECK_OK(zg_logstore_tx_get(ls, &tx, s));
    want.status = tx.status;
    CHECK(memcmp(&tx, &want, sizeof tx) == 0);
    uint64_t c = content_of(s), nseg = zg_logstore_tx_segments(want.size);
    bool all = true;
    for (uint64_t i = 0; i < nseg; i++) {
      bool p = false;
      CHECK_OK(zg_logstore_segment_has(ls, &p, want.root, i));
      all &= p;
      if (g_seg_acked[c][i]) CHECK(p);
      if (!p) continue;
      size_t len = 0, wl = zg_logstore_segment_len(want.size, i);
      CHECK_OK(zg_logstore_segment_get(ls, g_buf, SEG, &len, want.root, i));
      data_of(g_want, wl, c, i);
      if (len != wl || memcmp(g_buf, g_want, wl) != 0)
        ZGT_FAIL("tx %llu segment %llu differs", (unsigned long long)s, (unsigned long long)i);
    }
    CHECK_EQ(tx.status, all ? ZG_LOGSTORE_FINALIZED : ZG_LOGSTORE_PENDING);
  }
  uint64_t checked = 0, bad = 1;
  CHECK_OK(zg_logstore_verify(ls, &checked, &bad));
  CHECK_EQ(bad, 0);
  zg_logstore_close(ls);
}

static void test_kill9(void) {
  char base[256], dir[300];
  long rounds = zgt_iters(150);
  uint64_t total_acks = 0, total_tx = 0, early = 0;
  st_mkdtemp(base, sizeof base, "crash");
  snprintf(dir, sizeof dir, "%s/store", base);
  for (long round = 0; round < rounds; round++) {
    if (round % 25 == 0) {
      st_rm_rf(dir);
      memset(g_tx_acked, 0, sizeof g_tx_acked);
      memset(g_seg_acked, 0, sizeof g_seg_acked);
    }
    int pfd[2];
    if (pipe(pfd) != 0) {
      ZGT_FAIL("pipe");
      return;
    }
    uint64_t rng = zgt_rand64();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      close(pfd[0]);
      child_main(dir, pfd[1], rng);
    }
    close(pfd[1]);
    /* Mostly 5..200 ms in; sometimes right away (during open/recovery). */
    long us = zgt_rand_below(8) == 0 ? (long)zgt_rand_below(3000) : 5000 + (long)zgt_rand_below(195000);
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
      ZGT_FAIL("round %ld: child ended by itself (status %d)", round, status);
    ack_t r;
    uint64_t acks = 0;
    while (read(pfd[0], &r, sizeof r) == (ssize_t)sizeof r) {
      acks++;
      if (r.type == 'T' && r.a < MAX_SEQ)
        g_tx_acked[r.a] = 1;
      else if (r.type == 'S' && r.a < MAX_SEQ && r.b < MAX_NSEG)
        g_seg_acked[r.a][r.b] = 1;
      else
        ZGT_FAIL("round %ld: child reported %c %llu %llu", round, r.type, (unsigned long long)r.a,
                 (unsigned long long)r.b);
    }
    close(pfd[0]);
    if (acks == 0) early++;
    total_acks += acks;
    uint64_t ntx = 0;
    verify_store(dir, &ntx);
    if (round % 25 == 24 || round == rounds - 1) total_tx += ntx;
  }
  printf("  %ld kills (%llu before the first ack), %llu acknowledged puts, %llu txs checked\n", rounds,
         (unsigned long long)early, (unsigned long long)total_acks, (unsigned long long)total_tx);
  st_rm_rf(base);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  zg_log_set_level(ZG_LOG_OFF);
  ZGT_RUN(test_kill9);
  return zgt_done();
}

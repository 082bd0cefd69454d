/*
 * test_state.c — the per-lane state: accounts, credit/debit limits,
 * contract storage and prefix scans, savepoints, outboxes and imports,
 * block height rules, the exact write-set digest format of zg/state.h,
 * readers seeing only committed blocks, and crash safety: a child process
 * committing blocks with fsync is killed with SIGKILL at random moments;
 * after each kill the state reopens at some height h with exactly the
 * state (and digest) of replaying blocks 0..h.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>

#include "exec_util.h"
#include "zg/hash.h"

static zg_state_t *open1(const char *dir, bool sync) {
  zg_state_t *st = NULL;
  zg_state_opts_t o = {.no_sync = !sync, .map_size = (size_t)64 << 20};
  CHECK_OK(zg_state_open(&st, dir, 0, 1, &o));
  return st;
}

typedef struct {
  char seen[8][8];
  int n;
} collect_t;

static bool collect(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
  collect_t *c = arg;
  if (c->n < 8 && kl < 8) {
    memcpy(c->seen[c->n], k, kl);
    c->seen[c->n][kl] = 0;
  }
  c->n++;
  return true;
}

static void test_accounts_and_storage(void) {
  char dir[256];
  xu_mkdtemp(dir, sizeof dir, "acct");
  zg_state_t *st = open1(dir, false);
  if (!st) return;
  uint64_t h;
  CHECK_ERR(zg_state_height(st, &h, NULL), ZG_ENOTFOUND);
  zg_state_block_t *b, *b2;
  CHECK_ERR(zg_state_block_begin(st, &b, 1), ZG_ESTATE); /* genesis first */
  CHECK_OK(zg_state_block_begin(st, &b, 0));
  CHECK_ERR(zg_state_block_begin(st, &b2, 0), ZG_ESTATE); /* one block at a time */
  zg_eth_addr_t a = xu_addr(1, 1, 0, 1), c = xu_addr(1, 2, 0, 1);
  zg_account_t acct = {xu_u(0), 0};
  CHECK_OK(zg_state_get_account(b, &a, &acct));
  CHECK(zg_u256_is_zero(&acct.balance) && acct.nonce == 0);
  zg_u256_t v = xu_u(100), max;
  memset(&max, 0xff, sizeof max);
  CHECK_OK(zg_state_credit(b, &a, &v));
  CHECK_ERR(zg_state_credit(b, &a, &max), ZG_EOVERFLOW);
  v = xu_u(101);
  CHECK_ERR(zg_state_debit(b, &a, &v), ZG_EFUNDS);
  v = xu_u(40);
  CHECK_OK(zg_state_debit(b, &a, &v));
  CHECK_OK(zg_state_get_account(b, &a, &acct));
  CHECK_EQ(xu_lo(&acct.balance), 60);
  /* Storage: put, get, delete, scan by prefix in key order. */
  const char *keys[] = {"b2", "a", "b1", "b10", "c"};
  for (int i = 0; i < 5; i++)
    CHECK_OK(zg_state_sput(b, &c, (const uint8_t *)keys[i], strlen(keys[i]), (const uint8_t *)"v", 1));
  CHECK_OK(zg_state_sput(b, &a, (const uint8_t *)"b3", 2, (const uint8_t *)"x", 1)); /* other contract */
  CHECK_OK(zg_state_sdel(b, &c, (const uint8_t *)"c", 1));
  CHECK_OK(zg_state_sdel(b, &c, (const uint8_t *)"zz", 2)); /* absent: fine */
  CHECK_ERR(zg_state_sput(b, &c, NULL, 0, NULL, 0), ZG_EINVAL);
  zg_buf_t out;
  zg_buf_init(&out);
  bool found = true;
  CHECK_OK(zg_state_sget(b, &c, (const uint8_t *)"c", 1, &out, &found));
  CHECK(!found);
  CHECK_OK(zg_state_sget(b, &c, (const uint8_t *)"b1", 2, &out, &found));
  CHECK(found && out.len == 1 && out.ptr[0] == 'v');
  collect_t sc = {.n = 0};
  CHECK_ERR(zg_state_sscan(b, &c, (const uint8_t *)"b", 1, NULL, NULL), ZG_EINVAL);
  CHECK_OK(zg_state_sscan(b, &c, (const uint8_t *)"b", 1, collect, &sc));
  CHECK_EQ(sc.n, 3);
  CHECK(strcmp(sc.seen[0], "b1") == 0 && strcmp(sc.seen[1], "b10") == 0 && strcmp(sc.seen[2], "b2") == 0);
  /* Readers do not see the open block. */
  zg_account_t ra;
  CHECK_OK(zg_state_account(st, &a, &ra));
  CHECK(zg_u256_is_zero(&ra.balance));
  CHECK_OK(zg_state_block_commit(b, NULL, NULL));
  CHECK_OK(zg_state_account(st, &a, &ra));
  CHECK_EQ(xu_lo(&ra.balance), 60);
  CHECK_OK(zg_state_storage(st, &c, (const uint8_t *)"b2", 2, &out, &found));
  CHECK(found);
  /* Emptying an account deletes it; an aborted block leaves nothing. */
  CHECK_OK(zg_state_block_begin(st, &b, 1));
  v = xu_u(60);
  CHECK_OK(zg_state_debit(b, &a, &v));
  zg_state_block_abort(b);
  CHECK_OK(zg_state_height(st, &h, NULL));
  CHECK_EQ(h, 0);
  CHECK_OK(zg_state_account(st, &a, &ra));
  CHECK_EQ(xu_lo(&ra.balance), 60);
  zg_buf_clear(&out);
  zg_state_close(st);
  xu_rm_rf(dir);
}

/* The digest of genesis with one account, computed by hand from the format
 * in zg/state.h. */
static void test_digest_format(void) {
  char dir[256];
  xu_mkdtemp(dir, sizeof dir, "digest");
  zg_state_t *st = open1(dir, false);
  if (!st) return;
  zg_eth_addr_t a = xu_addr(2, 1, 0, 1);
  zg_state_block_t *b;
  CHECK_OK(zg_state_block_begin(st, &b, 0));
  zg_account_t acct = {xu_u(0x1234), 5};
  CHECK_OK(zg_state_put_account(b, &a, &acct));
  uint8_t d[32];
  CHECK_OK(zg_state_block_commit(b, NULL, d));
  uint8_t ent[3 + 20 + 5 + 40] = {1, 0, 20};
  memcpy(ent + 3, a.bytes, 20);
  ent[23] = 1;
  ent[27] = 40;
  zg_u256_to_be32(ent + 28, &acct.balance);
  ent[28 + 39] = 5;
  uint8_t ws[32], want[32], zero[32] = {0};
  zg_keccak256(ws, ent, sizeof ent);
  zg_keccak256_pair(want, zero, ws);
  CHECK_MEM(d, want, 32);
  /* Block 1: a write rolled back is not in the write set; a key written
   * twice counts once; a deleted key is a tombstone. */
  zg_eth_addr_t x = xu_addr(2, 2, 0, 1);
  CHECK_OK(zg_state_block_begin(st, &b, 1));
  CHECK_OK(zg_state_savepoint(b));
  CHECK_OK(zg_state_put_account(b, &x, &acct));
  CHECK_ERR(zg_state_outbox_add(b, 0, &x, &acct.balance), ZG_EINVAL); /* own lane */
  zg_state_rollback(b);
  zg_account_t z = {xu_u(0), 0};
  CHECK_OK(zg_state_put_account(b, &a, &acct));
  CHECK_OK(zg_state_put_account(b, &a, &z));
  uint8_t d1[32];
  CHECK_OK(zg_state_block_commit(b, NULL, d1));
  uint8_t tomb[3 + 20 + 5] = {1, 0, 20};
  memcpy(tomb + 3, a.bytes, 20);
  zg_keccak256(ws, tomb, sizeof tomb);
  zg_keccak256_pair(want, d, ws);
  CHECK_MEM(d1, want, 32);
  zg_account_t ra;
  CHECK_OK(zg_state_account(st, &x, &ra));
  CHECK(zg_u256_is_zero(&ra.balance));
  uint8_t info[32];
  CHECK_OK(zg_state_block_info(st, 0, info, NULL));
  CHECK_MEM(info, d, 32);
  CHECK_ERR(zg_state_block_info(st, 2, info, NULL), ZG_ENOTFOUND);
  zg_state_close(st);
  xu_rm_rf(dir);
}

static void test_savepoints_and_outbox(void) {
  char dir[256];
  xu_mkdtemp(dir, sizeof dir, "sp");
  zg_state_t *st[3] = {NULL, NULL, NULL};
  CHECK_OK(xu_open_lanes(st, dir, 3, false));
  if (!st[2]) return;
  zg_eth_addr_t a = xu_addr(3, 1, 0, 3), r1 = xu_addr(3, 2, 1, 3), r2 = xu_addr(3, 3, 2, 3);
  zg_state_block_t *b;
  CHECK_OK(zg_state_block_begin(st[0], &b, 0));
  CHECK_OK(zg_state_block_commit(b, NULL, NULL));
  CHECK_OK(zg_state_block_begin(st[0], &b, 1));
  zg_u256_t v10 = xu_u(10), v20 = xu_u(20), v30 = xu_u(30);
  CHECK_OK(zg_state_outbox_add(b, 1, &r1, &v10));
  CHECK_OK(zg_state_savepoint(b));
  CHECK_OK(zg_state_outbox_add(b, 2, &r2, &v20));
  CHECK_OK(zg_state_credit(b, &a, &v20));
  CHECK_OK(zg_state_savepoint(b));
  CHECK_OK(zg_state_outbox_add(b, 1, &r1, &v30));
  CHECK_OK(zg_state_credit(b, &a, &v30));
  zg_state_rollback(b); /* drops the 30s */
  CHECK_OK(zg_state_release(b));
  CHECK_ERR(zg_state_release(b), ZG_ESTATE);
  CHECK_OK(zg_state_set_import(b, 2, 9));
  CHECK_OK(zg_state_block_commit(b, NULL, NULL));
  zg_account_t ra;
  CHECK_OK(zg_state_account(st[0], &a, &ra));
  CHECK_EQ(xu_lo(&ra.balance), 20);
  zg_credit_t *cr = NULL;
  size_t n = 0;
  CHECK_OK(zg_state_outbox(st[0], 1, 1, &cr, &n));
  CHECK(n == 1 && xu_lo(&cr[0].amount) == 10);
  CHECK_OK(zg_state_outbox(st[0], 2, 1, &cr, &n)); /* appends */
  CHECK(n == 2 && xu_lo(&cr[1].amount) == 20 && memcmp(cr[1].to.bytes, r2.bytes, 20) == 0);
  CHECK_OK(zg_state_outbox(st[0], 1, 0, &cr, &n)); /* genesis sent nothing */
  CHECK_EQ(n, 2);
  CHECK_ERR(zg_state_outbox(st[0], 1, 2, &cr, &n), ZG_ESTATE);
  free(cr);
  uint64_t ih;
  CHECK_OK(zg_state_import_height(st[0], 2, &ih));
  CHECK_EQ(ih, 9);
  CHECK_OK(zg_state_import_height(st[0], 1, &ih));
  CHECK_EQ(ih, 0);
  /* Savepoints nest at most 8 deep. */
  CHECK_OK(zg_state_block_begin(st[0], &b, 2));
  int ok = 0;
  while (zg_state_savepoint(b) == ZG_OK && ok < 20) ok++;
  CHECK_EQ(ok, 8);
  zg_state_block_abort(b);
  xu_close_lanes(st, 3);
  xu_rm_rf(dir);
}

/* ---- crash safety ---- */

#define CRASH_ACCTS 64

/* Block h of the crash script: every account gets h more wei, the marker
 * account's nonce becomes h, storage key "last" holds h. */
static zg_err_t crash_block(zg_state_t *st, uint64_t h, uint8_t digest[32]) {
  zg_state_block_t *b;
  ZG_TRY(zg_state_block_begin(st, &b, h));
  zg_err_t e = ZG_OK;
  zg_u256_t v = xu_u(h);
  for (uint32_t i = 0; i < CRASH_ACCTS && !e; i++) {
    zg_eth_addr_t a = xu_addr(77, i, 0, 1);
    e = zg_state_credit(b, &a, &v);
  }
  zg_eth_addr_t m = xu_addr(78, 0, 0, 1);
  zg_account_t acct = {xu_u(1), h};
  if (!e) e = zg_state_put_account(b, &m, &acct);
  uint8_t w[8];
  memcpy(w, &h, 8);
  if (!e) e = zg_state_sput(b, &m, (const uint8_t *)"last", 4, w, 8);
  if (e) {
    zg_state_block_abort(b);
    return e;
  }
  return zg_state_block_commit(b, NULL, digest);
}

static void test_crash_safety(void) {
  char dir[256], ref[256];
  xu_mkdtemp(dir, sizeof dir, "crash");
  xu_mkdtemp(ref, sizeof ref, "crashref");
  int rounds = (int)zgt_iters(6);
  uint64_t last = 0;
  for (int round = 0; round < rounds; round++) {
    pid_t pid = fork();
    if (pid == 0) {
      zg_state_t *st = NULL;
      zg_state_opts_t o = {.no_sync = false, .map_size = (size_t)64 << 20};
      if (zg_state_open(&st, dir, 0, 1, &o)) _exit(2);
      uint64_t h;
      zg_err_t e = zg_state_height(st, &h, NULL);
      h = e == ZG_ENOTFOUND ? 0 : h + 1;
      for (;; h++)
        if (crash_block(st, h, NULL)) _exit(3);
    }
    struct timespec ts = {0, (long)(20 + zgt_rand_below(120)) * 1000000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    zg_state_t *st = open1(dir, false);
    if (!st) break;
    uint64_t h = 0;
    uint8_t d[32];
    zg_err_t e = zg_state_height(st, &h, d);
    if (e == ZG_ENOTFOUND) { /* killed before genesis committed */
      zg_state_close(st);
      continue;
    }
    CHECK_OK(e);
    CHECK(h + 1 >= last);
    last = h + 1;
    /* The state is exactly that of blocks 0..h. */
    zg_eth_addr_t m = xu_addr(78, 0, 0, 1);
    zg_account_t acct;
    CHECK_OK(zg_state_account(st, &m, &acct));
    CHECK_EQ(acct.nonce, h);
    for (uint32_t i = 0; i < CRASH_ACCTS; i++) {
      zg_eth_addr_t a = xu_addr(77, i, 0, 1);
      CHECK_OK(zg_state_account(st, &a, &acct));
      CHECK_EQ(xu_lo(&acct.balance), h * (h + 1) / 2);
    }
    /* And its digest equals a replay of 0..h in a fresh directory. */
    zg_state_t *rs = open1(ref, false);
    uint64_t rh = 0;
    uint8_t rd[32];
    e = zg_state_height(rs, &rh, rd);
    for (uint64_t k = e == ZG_ENOTFOUND ? 0 : rh + 1; k <= h; k++) CHECK_OK(crash_block(rs, k, rd));
    CHECK_OK(zg_state_height(rs, &rh, rd));
    CHECK_EQ(rh, h);
    CHECK_MEM(rd, d, 32);
    zg_state_close(rs);
    zg_state_close(st);
    printf("  crash round %d: killed at height %" PRIu64 ", state and digest intact\n", round, h);
  }
  xu_rm_rf(dir);
  xu_rm_rf(ref);
}

/* ---- readers during execution ---- */

typedef struct {
  zg_state_t *st;
  atomic_bool stop;
  long reads, torn, errors;
  uint64_t max_seen;
} reader_t;

/* Reads the two marker accounts in one snapshot: a block sets both to its
 * height, so a snapshot must never show them apart. */
static void *reader_main(void *arg) {
  reader_t *r = arg;
  zg_eth_addr_t a = xu_addr(90, 0, 0, 1), b = xu_addr(90, 1, 0, 1);
  while (!atomic_load(&r->stop)) {
    zg_state_view_t *v;
    if (zg_state_view_begin(r->st, &v)) {
      r->errors++;
      continue;
    }
    zg_account_t x, y;
    if (zg_state_view_account(v, &a, &x) || zg_state_view_account(v, &b, &y))
      r->errors++;
    else if (x.nonce != y.nonce)
      r->torn++;
    else if (x.nonce > r->max_seen)
      r->max_seen = x.nonce;
    zg_state_view_end(v);
    r->reads++;
  }
  return NULL;
}

static void test_readers_during_blocks(void) {
  char dir[256];
  xu_mkdtemp(dir, sizeof dir, "readers");
  zg_state_t *st = open1(dir, false);
  if (!st) return;
  reader_t r = {.st = st};
  atomic_init(&r.stop, false);
  pthread_t th;
  CHECK(pthread_create(&th, NULL, reader_main, &r) == 0);
  zg_eth_addr_t a = xu_addr(90, 0, 0, 1), b = xu_addr(90, 1, 0, 1);
  uint64_t blocks = (uint64_t)zgt_iters(300);
  for (uint64_t h = 0; h <= blocks; h++) {
    zg_state_block_t *blk;
    CHECK_OK(zg_state_block_begin(st, &blk, h));
    zg_account_t acct = {xu_u(1), h};
    CHECK_OK(zg_state_put_account(blk, &a, &acct));
    CHECK_OK(zg_state_put_account(blk, &b, &acct));
    CHECK_OK(zg_state_block_commit(blk, NULL, NULL));
  }
  atomic_store(&r.stop, true);
  pthread_join(th, NULL);
  CHECK_EQ(r.torn, 0);
  CHECK_EQ(r.errors, 0);
  CHECK(r.max_seen <= blocks);
  printf("  %ld snapshot reads during %" PRIu64 " blocks, none torn\n", r.reads, blocks);
  zg_state_close(st);
  xu_rm_rf(dir);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_accounts_and_storage);
  ZGT_RUN(test_digest_format);
  ZGT_RUN(test_savepoints_and_outbox);
  ZGT_RUN(test_readers_during_blocks);
  ZGT_RUN(test_crash_safety);
  return zgt_done();
}

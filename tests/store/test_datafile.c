/*
 * test_datafile.c — append-only data files (zg/datafile.h): round trips of
 * scattered records across file rolls and a reopen; corruption (bit flips in
 * the payload, length and CRC; a cut file; a missing file; a bad header) is
 * reported as ZG_ECORRUPT / ZG_ETRUNC with zeroed output; recover() drops a
 * torn tail and nothing before it; truncate() across files; injected ENOSPC
 * at every write of a sequence and at syncs; and a real full disk on a small
 * tmpfs (skipped with a message where mount is not allowed).
 */
#include <stdio.h>
#include <stdlib.h>

#include "store_util.h"
#include "zg/codec.h"
#include "zg/datafile.h"
#include "zg/log.h"
#include "zg_test.h"

#define MAXREC 300000

typedef struct {
  zg_datafile_loc_t loc;
  uint32_t len;
  uint64_t seed;
} rec_t;

static void fill(uint8_t *p, size_t n, uint64_t seed) {
  uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
  for (size_t i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    p[i] = (uint8_t)x;
  }
}

/* Appends a record of len bytes in up to 3 parts. */
static zg_err_t put_rec(zg_datafile_t *df, rec_t *r, uint32_t len, uint64_t seed) {
  static uint8_t buf[MAXREC];
  fill(buf, len, seed);
  size_t a = len ? zgt_rand_below(len + 1) : 0,
         b = a + (len - a ? zgt_rand_below((uint32_t)(len - a) + 1) : 0);
  zg_slice_t parts[3] = {zg_slice(buf, a), zg_slice(buf + a, b - a), zg_slice(buf + b, len - b)};
  r->len = len;
  r->seed = seed;
  return zg_datafile_append(df, &r->loc, parts, 3);
}

/* Reads r back (in 2 parts) and checks its bytes; returns the read status. */
static zg_err_t check_rec(zg_datafile_t *df, const rec_t *r) {
  static uint8_t got[MAXREC], want[MAXREC];
  size_t a = r->len / 3;
  zg_datafile_iov_t parts[2] = {{got, a}, {got + a, r->len - a}};
  zg_err_t e = zg_datafile_read(df, &r->loc, parts, 2);
  if (e != ZG_OK) {
    for (size_t i = 0; i < r->len; i++)
      if (got[i]) {
        ZGT_FAIL("output not zeroed after %s", zg_errname(e));
        break;
      }
    return e;
  }
  fill(want, r->len, r->seed);
  if (memcmp(got, want, r->len) != 0)
    ZGT_FAIL("record %u:%llu bytes differ", (unsigned)r->loc.file, (unsigned long long)r->loc.off);
  return ZG_OK;
}

static void file_path(char *out, size_t cap, const char *dir, uint32_t id) {
  snprintf(out, cap, "%s/%08u.zgd", dir, (unsigned)id);
}

static void test_roundtrip_roll(void) {
  char dir[256];
  zg_datafile_t *df = NULL;
  enum { N = 120 };
  static rec_t recs[N];
  st_mkdtemp(dir, sizeof dir, "df_rt");
  zg_datafile_opts_t o = {.file_limit = 256 * 1024};
  CHECK_OK(zg_datafile_open(&df, dir, &o));
  zg_datafile_pos_t t0 = zg_datafile_tail(df);
  CHECK(t0.file == 0 && t0.off == ZG_DATAFILE_HEADER_SIZE);
  for (int i = 0; i < N; i++) {
    /* Record 7 is empty, record 9 is bigger than the file limit. */
    uint32_t len = i == 7 ? 0 : (i == 9 ? 280000 : zgt_rand_below(70000));
    CHECK_OK(put_rec(df, &recs[i], len, (uint64_t)i + 1));
    if (i % 17 == 0) CHECK_OK(zg_datafile_sync(df));
  }
  CHECK_OK(zg_datafile_sync(df));
  CHECK(zg_datafile_tail(df).file >= 10); /* ~4 MB over 256 KiB files */
  for (int i = 0; i < N; i++) CHECK_OK(check_rec(df, &recs[i]));
  /* No record crosses a file: each ends within the limit (or alone). */
  for (int i = 0; i < N; i++)
    CHECK(recs[i].loc.off + recs[i].len + 8 <= o.file_limit || recs[i].loc.off == ZG_DATAFILE_HEADER_SIZE);
  zg_datafile_pos_t tail = zg_datafile_tail(df);
  zg_datafile_close(df);

  CHECK_OK(zg_datafile_open(&df, dir, &o));
  zg_datafile_pos_t t1 = zg_datafile_tail(df), end;
  CHECK(t1.file == tail.file && t1.off == tail.off);
  CHECK_OK(zg_datafile_recover(df, &end));
  CHECK(end.file == tail.file && end.off == tail.off);
  for (int i = 0; i < N; i++) CHECK_OK(check_rec(df, &recs[i]));
  /* Bad arguments. */
  zg_datafile_iov_t p1 = {NULL, 0};
  /* A record followed by another in the same file, so that reading one byte
   * more than its length stays inside the file and the length-field check,
   * not end-of-file, is what rejects it. */
  int k = 3;
  while (k + 1 < N && recs[k + 1].loc.file != recs[k].loc.file) k++;
  zg_datafile_loc_t bad = recs[k].loc;
  bad.len += 1;
  uint8_t tmp[MAXREC + 1];
  p1.ptr = tmp;
  p1.len = bad.len;
  CHECK_ERR(zg_datafile_read(df, &bad, &p1, 1), ZG_ECORRUPT); /* length field disagrees */
  p1.len = 1;
  CHECK_ERR(zg_datafile_read(df, &recs[3].loc, &p1, 1), recs[3].len == 1 ? ZG_OK : ZG_EINVAL);
  bad = recs[3].loc;
  bad.file = 999;
  p1.len = bad.len;
  CHECK_ERR(zg_datafile_read(df, &bad, &p1, 1), ZG_ETRUNC);

  /* Truncate back into an earlier file: later files go, reads there fail. */
  int mid = N / 2;
  zg_datafile_pos_t cut = {recs[mid].loc.file, recs[mid].loc.off};
  CHECK_OK(zg_datafile_truncate(df, &cut));
  t1 = zg_datafile_tail(df);
  CHECK(t1.file == cut.file && t1.off == cut.off);
  for (int i = 0; i < mid; i++) CHECK_OK(check_rec(df, &recs[i]));
  CHECK_ERR(check_rec(df, &recs[N - 1]), ZG_ETRUNC);
  char path[300];
  file_path(path, sizeof path, dir, cut.file + 1);
  CHECK(st_file_size(path) < 0);
  /* Appending continues after the cut. */
  CHECK_OK(put_rec(df, &recs[mid], 1000, 4242));
  CHECK_OK(zg_datafile_sync(df));
  CHECK_OK(check_rec(df, &recs[mid]));
  zg_datafile_pos_t past = {cut.file + 5, 100};
  CHECK_ERR(zg_datafile_truncate(df, &past), ZG_ETRUNC);
  past.file = cut.file;
  past.off = 3;
  CHECK_ERR(zg_datafile_truncate(df, &past), ZG_EINVAL);
  zg_datafile_close(df);
  st_rm_rf(dir);
}

static void test_corruption(void) {
  char dir[256], path[300];
  zg_datafile_t *df = NULL;
  enum { N = 12 };
  rec_t recs[N];
  st_mkdtemp(dir, sizeof dir, "df_bad");
  CHECK_OK(zg_datafile_open(&df, dir, NULL));
  for (int i = 0; i < N; i++) CHECK_OK(put_rec(df, &recs[i], 512 + 256 * (uint32_t)i, (uint64_t)i + 100));
  CHECK_OK(zg_datafile_sync(df));
  file_path(path, sizeof path, dir, 0);
  /* Flip one bit in each of: payload of 2, length field of 4, CRC of 6. */
  st_flip(path, (long)recs[2].loc.off + 4 + 100, 0x10);
  st_flip(path, (long)recs[4].loc.off + 1, 0x01);
  st_flip(path, (long)(recs[6].loc.off + 4 + recs[6].len), 0x80);
  for (int i = 0; i < N; i++) {
    zg_err_t e = check_rec(df, &recs[i]);
    CHECK_EQ(e, (i == 2 || i == 4 || i == 6) ? ZG_ECORRUPT : ZG_OK);
  }
  /* Every single-bit flip anywhere in record 8's frame is detected. */
  long base = (long)recs[8].loc.off, flen = (long)recs[8].len + 8;
  for (int k = 0; k < 40; k++) {
    long off = base + (long)zgt_rand_below((uint32_t)flen);
    uint8_t m = (uint8_t)(1u << zgt_rand_below(8));
    st_flip(path, off, m);
    CHECK_EQ(check_rec(df, &recs[8]), ZG_ECORRUPT);
    st_flip(path, off, m);
    CHECK_OK(check_rec(df, &recs[8]));
  }
  /* Cut the file in the middle of record 10: 10 and 11 are truncated. */
  st_truncate(path, (long)recs[10].loc.off + 20);
  CHECK_ERR(check_rec(df, &recs[10]), ZG_ETRUNC);
  CHECK_ERR(check_rec(df, &recs[11]), ZG_ETRUNC);
  CHECK_OK(check_rec(df, &recs[9]));
  zg_datafile_close(df);
  /* Recovery on reopen: stops at the first bad frame (record 2 here, so the
   * scan is conservative: a damaged record ends the trusted prefix). */
  CHECK_OK(zg_datafile_open(&df, dir, NULL));
  zg_datafile_pos_t end;
  CHECK_OK(zg_datafile_recover(df, &end));
  CHECK(end.file == 0 && end.off == recs[2].loc.off);
  CHECK_OK(check_rec(df, &recs[0]));
  CHECK_OK(check_rec(df, &recs[1]));
  zg_datafile_close(df);

  /* A bad header on the last file: ZG_ECORRUPT on open; a torn one is reset. */
  st_flip(path, 9, 0x04);
  df = (zg_datafile_t *)1;
  CHECK_ERR(zg_datafile_open(&df, dir, NULL), ZG_ECORRUPT);
  CHECK(df == NULL);
  st_truncate(path, 7);
  CHECK_OK(zg_datafile_open(&df, dir, NULL));
  zg_datafile_pos_t t = zg_datafile_tail(df);
  CHECK(t.file == 0 && t.off == ZG_DATAFILE_HEADER_SIZE);
  zg_datafile_close(df);
  /* A header of zeros (a power loss right after creation) is reset too. */
  st_truncate(path, 0);
  st_truncate(path, 4096);
  CHECK_OK(zg_datafile_open(&df, dir, NULL));
  t = zg_datafile_tail(df);
  CHECK(t.file == 0 && t.off == ZG_DATAFILE_HEADER_SIZE);
  zg_datafile_close(df);
  st_rm_rf(dir);
}

static void test_header_codec(void) {
  uint8_t h[16];
  uint32_t id = 1;
  zg__datafile_header_make(h, 77);
  CHECK_OK(zg__datafile_header_parse(&id, h, 16));
  CHECK_EQ(id, 77);
  CHECK_ERR(zg__datafile_header_parse(&id, h, 15), ZG_ETRUNC);
  for (int i = 0; i < 16 * 8; i++) {
    h[i / 8] ^= (uint8_t)(1u << (i % 8));
    CHECK_ERR(zg__datafile_header_parse(&id, h, 16), ZG_ECORRUPT);
    h[i / 8] ^= (uint8_t)(1u << (i % 8));
  }
}

/* Injected ENOSPC at write N (for every N over a sequence) and at sync N:
 * the failing append reports ZG_EFULL, the file is cut back, everything
 * appended before is intact, and appending works again afterwards. */
static void test_fault_injection(void) {
  enum { N = 24 };
  rec_t recs[N + 1];
  for (long fail_at = 1; fail_at <= N; fail_at++) {
    char dir[256];
    zg_datafile_t *df = NULL;
    zg_store_fault_t fault = {.fail_write_at = fail_at};
    st_mkdtemp(dir, sizeof dir, "df_fault");
    zg_datafile_opts_t o = {.file_limit = 64 * 1024, .fault = &fault};
    CHECK_OK(zg_datafile_open(&df, dir, &o));
    int ok = 0;
    for (int i = 0; i < N; i++) {
      zg_datafile_pos_t before = zg_datafile_tail(df);
      zg_err_t e =
          put_rec(df, &recs[ok], 4000 + (uint32_t)zgt_rand_below(20000), (uint64_t)(fail_at * 100 + i));
      if (i + 1 == fail_at) {
        CHECK_ERR(e, ZG_EFULL);
        zg_datafile_pos_t after = zg_datafile_tail(df);
        /* Cut back to the record start (or to the fresh file it rolled to). */
        CHECK(after.off == before.off || after.off == ZG_DATAFILE_HEADER_SIZE);
        CHECK(recs[ok].loc.len == 0 && recs[ok].loc.off == 0);
      } else {
        CHECK_OK(e);
        ok++;
      }
    }
    CHECK_OK(zg_datafile_sync(df));
    for (int i = 0; i < ok; i++) CHECK_OK(check_rec(df, &recs[i]));
    zg_datafile_pos_t tail = zg_datafile_tail(df);
    zg_datafile_close(df);
    /* The files hold exactly the good records: recovery changes nothing. */
    CHECK_OK(zg_datafile_open(&df, dir, &o));
    zg_datafile_pos_t end;
    CHECK_OK(zg_datafile_recover(df, &end));
    CHECK(end.file == tail.file && end.off == tail.off);
    for (int i = 0; i < ok; i++) CHECK_OK(check_rec(df, &recs[i]));
    zg_datafile_close(df);
    st_rm_rf(dir);
  }
  /* Sync failures: reported, with the errno mapped. */
  for (int k = 0; k < 2; k++) {
    char dir[256];
    zg_datafile_t *df = NULL;
    zg_store_fault_t fault = {.fail_sync_at = 2, .err = k ? EIO : 0};
    st_mkdtemp(dir, sizeof dir, "df_sync");
    zg_datafile_opts_t o = {.fault = &fault};
    CHECK_OK(zg_datafile_open(&df, dir, &o));
    CHECK_OK(put_rec(df, &recs[0], 1000, 1));
    CHECK_OK(zg_datafile_sync(df));
    CHECK_OK(put_rec(df, &recs[1], 1000, 2));
    CHECK_ERR(zg_datafile_sync(df), k ? ZG_EIO : ZG_EFULL);
    CHECK_OK(zg_datafile_sync(df));
    zg_datafile_close(df);
    st_rm_rf(dir);
  }
}

/* A real full disk: fill an 8 MiB tmpfs with 256 KiB records. */
static void test_tmpfs_full(void) {
  char dir[256], sub[300];
  zg_datafile_t *df = NULL;
  enum { LEN = 64 * 1024, N = 200 };
  static rec_t recs[N];
  if (!st_mount_tmpfs(dir, sizeof dir, 8u << 20)) return;
  snprintf(sub, sizeof sub, "%s/data", dir);
  zg_datafile_opts_t o = {.file_limit = 3u << 20};
  CHECK_OK(zg_datafile_open(&df, sub, &o));
  int ok = 0;
  zg_err_t e = ZG_OK;
  for (int i = 0; i < N; i++) {
    e = put_rec(df, &recs[ok], LEN, (uint64_t)i + 7);
    if (e != ZG_OK) break;
    ok++;
  }
  CHECK_ERR(e, ZG_EFULL);
  CHECK(ok > 50 && ok <= 128);
  for (int i = 0; i < ok; i++) CHECK_OK(check_rec(df, &recs[i]));
  /* Still full: a second attempt fails the same way and damages nothing. */
  rec_t extra;
  CHECK_ERR(put_rec(df, &extra, LEN, 5), ZG_EFULL);
  CHECK_OK(zg_datafile_sync(df));
  zg_datafile_pos_t tail = zg_datafile_tail(df);
  zg_datafile_close(df);
  CHECK_OK(zg_datafile_open(&df, sub, &o));
  zg_datafile_pos_t end;
  CHECK_OK(zg_datafile_recover(df, &end));
  CHECK(end.off == tail.off);
  for (int i = 0; i < ok; i++) CHECK_OK(check_rec(df, &recs[i]));
  printf("  tmpfs 8 MiB: %d records of 64 KiB stored before ZG_EFULL, all intact\n", ok);
  zg_datafile_close(df);
  st_umount(dir);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  zg_log_set_level(ZG_LOG_OFF);
  ZGT_RUN(test_header_codec);
  ZGT_RUN(test_roundtrip_roll);
  ZGT_RUN(test_corruption);
  ZGT_RUN(test_fault_injection);
  ZGT_RUN(test_tmpfs_full);
  return zgt_done();
}

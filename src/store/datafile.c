/*
 * datafile.c — append-only data files of CRC-framed records (zg/datafile.h).
 *
 * Invariants:
 *  - files cur_first..cur exist (ids are contiguous); only file cur is
 *    appended to, at offset tail, and every byte before tail in every file
 *    is a sequence of whole frames written by us (or a region a later
 *    truncate/recover removes);
 *  - fds[id - first] is -1 or an O_RDWR descriptor of file id; the table and
 *    its descriptors change only under the exclusive lock, so a reader
 *    holding the shared lock may pread from any descriptor it sees;
 *  - sync_from is the first file written since the last successful sync (all
 *    of sync_from..cur are fdatasync'ed by the next sync), dir_dirty tells
 *    whether a file was created or removed since.
 */
#include "zg/datafile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "zg/codec.h"
#include "zg/log.h"

#define MAX_PARTS 16
#define HDR ZG_DATAFILE_HEADER_SIZE
static const uint8_t MAGIC[8] = {'Z', 'G', 'D', 'F', 0, 0, 0, 1};

struct zg_datafile {
  char dir[256];
  zg_datafile_opts_t opts;
  pthread_rwlock_t lock;
  int dirfd;
  uint32_t first, cur; /* file id range present */
  int *fds;            /* fds[id - first], -1 when not open */
  size_t nfds;         /* capacity of fds */
  uint64_t tail;       /* end of data in file cur */
  uint32_t sync_from;  /* first file id with unsynced writes */
  bool dirty, dir_dirty;
};

static zg_err_t errno_to_err(int e) {
  if (e == ENOSPC
#ifdef EDQUOT
      || e == EDQUOT
#endif
  )
    return ZG_EFULL;
  if (e == ENOMEM) return ZG_ENOMEM;
  return ZG_EIO;
}

void zg__datafile_header_make(uint8_t out[16], uint32_t file_id) {
  memcpy(out, MAGIC, 8);
  zg_store_be32(out + 8, file_id);
  zg_store_be32(out + 12, zg_crc32c(0, out, 12));
}

zg_err_t zg__datafile_header_parse(uint32_t *file_id, const uint8_t *p, size_t len) {
  *file_id = 0;
  if (len < HDR) return ZG_ETRUNC;
  if (memcmp(p, MAGIC, 8) != 0 || zg_crc32c(0, p, 12) != zg_load_be32(p + 12)) return ZG_ECORRUPT;
  *file_id = zg_load_be32(p + 8);
  return ZG_OK;
}

static void file_name(char *out, size_t cap, const zg_datafile_t *df, uint32_t id) {
  snprintf(out, cap, "%s/%08u.zgd", df->dir, (unsigned)id);
}

/* Fault injection: the next write (counted) fails? */
static bool fault_write(zg_datafile_t *df) {
  zg_store_fault_t *f = df->opts.fault;
  return f && ++f->writes == f->fail_write_at;
}
static int fault_errno(const zg_datafile_t *df) { return df->opts.fault->err ? df->opts.fault->err : ENOSPC; }

static zg_err_t do_fsync(zg_datafile_t *df, int fd, bool data_only, const char *what) {
  if (df->opts.no_sync) return ZG_OK;
  int rc = data_only ? fdatasync(fd) : fsync(fd);
  if (rc != 0) {
    int e = errno;
    zg_loge("datafile", "%s %s: %s", what, df->dir, strerror(e));
    return errno_to_err(e);
  }
  return ZG_OK;
}

/* Makes sure fds has a slot for file id (exclusive lock held). */
static zg_err_t table_reserve(zg_datafile_t *df, uint32_t id) {
  size_t need = (size_t)(id - df->first) + 1;
  if (need <= df->nfds) return ZG_OK;
  size_t cap = df->nfds ? df->nfds : 8;
  while (cap < need) cap *= 2;
  int *p = realloc(df->fds, cap * sizeof *p);
  if (!p) return ZG_ENOMEM;
  for (size_t i = df->nfds; i < cap; i++) p[i] = -1;
  df->fds = p;
  df->nfds = cap;
  return ZG_OK;
}

/* Creates file id with its header, durable before anything points into it
 * (the directory entry is synced by the next zg_datafile_sync). */
static zg_err_t create_file(zg_datafile_t *df, uint32_t id, int *fd_out) {
  char path[300];
  uint8_t hdr[HDR];
  file_name(path, sizeof path, df, id);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    zg_loge("datafile", "create %s: %s", path, strerror(errno));
    return errno_to_err(errno);
  }
  zg__datafile_header_make(hdr, id);
  ssize_t w = pwrite(fd, hdr, HDR, 0);
  if (w != (ssize_t)HDR) {
    int e = w < 0 ? errno : ENOSPC;
    close(fd);
    unlink(path);
    zg_loge("datafile", "header %s: %s", path, strerror(e));
    return errno_to_err(e);
  }
  df->dir_dirty = true;
  *fd_out = fd;
  return ZG_OK;
}

static zg_err_t open_file(zg_datafile_t *df, uint32_t id, int *fd_out) {
  char path[300];
  file_name(path, sizeof path, df, id);
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? ZG_ETRUNC : errno_to_err(errno);
  *fd_out = fd;
  return ZG_OK;
}

/* Finds the range of file ids present in the directory. */
static zg_err_t scan_dir(zg_datafile_t *df, bool *any) {
  DIR *d = opendir(df->dir);
  struct dirent *e;
  *any = false;
  if (!d) return errno_to_err(errno);
  while ((e = readdir(d)) != NULL) {
    unsigned id;
    char tailc;
    if (strlen(e->d_name) != 12 || sscanf(e->d_name, "%8u.zg%c", &id, &tailc) != 2 || tailc != 'd') continue;
    if (!*any || id < df->first) df->first = id;
    if (!*any || id > df->cur) df->cur = id;
    *any = true;
  }
  closedir(d);
  return ZG_OK;
}

static zg_err_t open_last(zg_datafile_t *df) {
  uint8_t hdr[HDR];
  uint32_t id;
  int fd = -1;
  ZG_TRY(table_reserve(df, df->cur));
  ZG_TRY(open_file(df, df->cur, &fd));
  df->fds[df->cur - df->first] = fd;
  struct stat st;
  if (fstat(fd, &st) != 0) return errno_to_err(errno);
  ssize_t r = pread(fd, hdr, HDR, 0);
  static const uint8_t zero[HDR];
  if (r < (ssize_t)HDR || memcmp(hdr, zero, HDR) == 0) {
    /* Torn creation (short, or all zeros after a power loss): nothing in the
     * file was ever synced, since a sync would have made the header durable
     * too, so no record in it can be indexed. */
    zg_logw("datafile", "%s: file %u has a torn header, re-initialised", df->dir, (unsigned)df->cur);
    zg__datafile_header_make(hdr, df->cur);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, hdr, HDR, 0) != (ssize_t)HDR) return errno_to_err(errno);
    ZG_TRY(do_fsync(df, fd, false, "fsync"));
    df->tail = HDR;
    return ZG_OK;
  }
  zg_err_t err = zg__datafile_header_parse(&id, hdr, HDR);
  if (err != ZG_OK || id != df->cur) {
    zg_loge("datafile", "%s: file %u has a bad header", df->dir, (unsigned)df->cur);
    return ZG_ECORRUPT;
  }
  df->tail = (uint64_t)st.st_size;
  return ZG_OK;
}

zg_err_t zg_datafile_open(zg_datafile_t **out, const char *dir, const zg_datafile_opts_t *opts) {
  zg_datafile_t *df;
  zg_err_t err = ZG_OK;
  bool any;
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!dir || strlen(dir) >= sizeof df->dir) return ZG_EINVAL;
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) return errno_to_err(errno);
  df = calloc(1, sizeof *df);
  if (!df) return ZG_ENOMEM;
  snprintf(df->dir, sizeof df->dir, "%s", dir);
  if (opts) df->opts = *opts;
  if (!df->opts.file_limit) df->opts.file_limit = ZG_DATAFILE_DEFAULT_LIMIT;
  df->dirfd = -1;
  if (pthread_rwlock_init(&df->lock, NULL) != 0) {
    free(df);
    return ZG_ENOMEM;
  }
  df->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (df->dirfd < 0) {
    err = errno_to_err(errno);
    goto out;
  }
  if ((err = scan_dir(df, &any)) != ZG_OK) goto out;
  if (!any) {
    int fd;
    df->first = df->cur = 0;
    if ((err = table_reserve(df, 0)) != ZG_OK) goto out;
    if ((err = create_file(df, 0, &fd)) != ZG_OK) goto out;
    df->fds[0] = fd;
    df->tail = HDR;
    if ((err = do_fsync(df, fd, false, "fsync")) != ZG_OK) goto out;
    if ((err = do_fsync(df, df->dirfd, false, "fsync dir")) != ZG_OK) goto out;
    df->dir_dirty = false;
  } else if ((err = open_last(df)) != ZG_OK) {
    goto out;
  }
  df->sync_from = df->cur;
out:
  if (err != ZG_OK) {
    zg_datafile_close(df);
    return err;
  }
  *out = df;
  return ZG_OK;
}

void zg_datafile_close(zg_datafile_t *df) {
  if (!df) return;
  for (size_t i = 0; i < df->nfds; i++)
    if (df->fds[i] >= 0) close(df->fds[i]);
  if (df->dirfd >= 0) close(df->dirfd);
  free(df->fds);
  pthread_rwlock_destroy(&df->lock);
  free(df);
}

zg_datafile_pos_t zg_datafile_tail(zg_datafile_t *df) {
  zg_datafile_pos_t p = {df->cur, df->tail};
  return p;
}

/* Starts file cur+1 (exclusive lock held). */
static zg_err_t roll(zg_datafile_t *df) {
  int fd;
  if (df->cur == UINT32_MAX) return ZG_EOVERFLOW;
  ZG_TRY(table_reserve(df, df->cur + 1));
  ZG_TRY(create_file(df, df->cur + 1, &fd));
  df->cur++;
  df->fds[df->cur - df->first] = fd;
  df->tail = HDR;
  return ZG_OK;
}

/* Writes iov fully at off (pwritev may write part). */
static int pwritev_all(int fd, struct iovec *iov, int n, uint64_t off) {
  while (n > 0) {
    ssize_t w = pwritev(fd, iov, n, (off_t)off);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (w == 0) return ENOSPC;
    off += (uint64_t)w;
    while (n > 0 && (size_t)w >= iov->iov_len) {
      w -= (ssize_t)iov->iov_len;
      iov++;
      n--;
    }
    if (n > 0) {
      iov->iov_base = (uint8_t *)iov->iov_base + w;
      iov->iov_len -= (size_t)w;
    }
  }
  return 0;
}

zg_err_t zg_datafile_append(zg_datafile_t *df, zg_datafile_loc_t *loc, const zg_slice_t *parts,
                            size_t nparts) {
  struct iovec iov[MAX_PARTS + 2];
  uint8_t lenb[4], crcb[4];
  uint64_t total = 0;
  zg_err_t err = ZG_OK;
  if (!loc) return ZG_EINVAL;
  memset(loc, 0, sizeof *loc);
  if (!df || (!parts && nparts) || nparts > MAX_PARTS) return ZG_EINVAL;
  for (size_t i = 0; i < nparts; i++) {
    if (!parts[i].ptr && parts[i].len) return ZG_EINVAL;
    total += parts[i].len;
  }
  if (total > ZG_CODEC_FRAME_MAX) return ZG_EOVERFLOW;
  uint64_t frame = total + ZG_CODEC_FRAME_OVERHEAD;

  pthread_rwlock_wrlock(&df->lock);
  if (df->tail > HDR && df->tail + frame > df->opts.file_limit && (err = roll(df)) != ZG_OK) goto out;
  zg_store_be32(lenb, (uint32_t)total);
  uint32_t crc = zg_crc32c(0, lenb, 4);
  iov[0].iov_base = lenb;
  iov[0].iov_len = 4;
  for (size_t i = 0; i < nparts; i++) {
    crc = zg_crc32c(crc, parts[i].ptr, parts[i].len);
    iov[i + 1].iov_base = (void *)(uintptr_t)parts[i].ptr;
    iov[i + 1].iov_len = parts[i].len;
  }
  zg_store_be32(crcb, crc);
  iov[nparts + 1].iov_base = crcb;
  iov[nparts + 1].iov_len = 4;
  int fd = df->fds[df->cur - df->first];
  int e;
  if (fault_write(df)) {
    /* Injected: part of the record reaches the file, then the disk is full. */
    iov[0].iov_len = 4;
    e = pwritev_all(fd, iov, 1, df->tail);
    if (e == 0) e = fault_errno(df);
  } else {
    e = pwritev_all(fd, iov, (int)nparts + 2, df->tail);
  }
  if (e != 0) {
    /* Cut the partial record so the file ends on the last whole frame. */
    if (ftruncate(fd, (off_t)df->tail) != 0)
      zg_loge("datafile", "truncate after failed write: %s", strerror(errno));
    zg_logw("datafile", "append to %s: %s", df->dir, strerror(e));
    err = errno_to_err(e);
    goto out;
  }
  loc->file = df->cur;
  loc->off = df->tail;
  loc->len = (uint32_t)total;
  df->tail += frame;
  df->dirty = true;
out:
  pthread_rwlock_unlock(&df->lock);
  return err;
}

zg_err_t zg_datafile_sync(zg_datafile_t *df) {
  zg_err_t err = ZG_OK;
  if (!df) return ZG_EINVAL;
  pthread_rwlock_rdlock(&df->lock);
  if (df->dirty) {
    zg_store_fault_t *f = df->opts.fault;
    if (f && ++f->syncs == f->fail_sync_at) {
      zg_logw("datafile", "sync %s: injected failure", df->dir);
      err = errno_to_err(fault_errno(df));
      goto out;
    }
    for (uint32_t id = df->sync_from < df->first ? df->first : df->sync_from; id <= df->cur; id++) {
      int fd = df->fds[id - df->first];
      if (fd >= 0 && (err = do_fsync(df, fd, true, "fdatasync")) != ZG_OK) goto out;
    }
  }
  if (df->dir_dirty && (err = do_fsync(df, df->dirfd, false, "fsync dir")) != ZG_OK) goto out;
out:
  pthread_rwlock_unlock(&df->lock);
  if (err == ZG_OK) {
    /* Only the appender changes these, and it is the caller of sync. */
    df->dirty = df->dir_dirty = false;
    df->sync_from = df->cur;
  }
  return err;
}

/* Returns a descriptor for file id with the shared lock held on success
 * (the caller unlocks). */
static zg_err_t reader_fd(zg_datafile_t *df, uint32_t id, int *fd) {
  for (;;) {
    pthread_rwlock_rdlock(&df->lock);
    if (id < df->first || id > df->cur) {
      pthread_rwlock_unlock(&df->lock);
      return ZG_ETRUNC;
    }
    if (id - df->first < df->nfds && df->fds[id - df->first] >= 0) {
      *fd = df->fds[id - df->first];
      return ZG_OK;
    }
    pthread_rwlock_unlock(&df->lock);
    pthread_rwlock_wrlock(&df->lock);
    zg_err_t err = ZG_OK;
    if (id >= df->first && id <= df->cur && (err = table_reserve(df, id)) == ZG_OK &&
        df->fds[id - df->first] < 0) {
      int nfd;
      if ((err = open_file(df, id, &nfd)) == ZG_OK) df->fds[id - df->first] = nfd;
    }
    pthread_rwlock_unlock(&df->lock);
    if (err != ZG_OK) return err;
  }
}

static void zero_parts(const zg_datafile_iov_t *parts, size_t nparts) {
  for (size_t i = 0; i < nparts; i++)
    if (parts[i].ptr) memset(parts[i].ptr, 0, parts[i].len);
}

zg_err_t zg_datafile_read(zg_datafile_t *df, const zg_datafile_loc_t *loc, const zg_datafile_iov_t *parts,
                          size_t nparts) {
  struct iovec iov[MAX_PARTS + 2];
  uint8_t lenb[4], crcb[4];
  uint64_t total = 0;
  int fd;
  if (!parts && nparts) return ZG_EINVAL;
  if (!df || !loc || nparts > MAX_PARTS) {
    zero_parts(parts, nparts);
    return ZG_EINVAL;
  }
  for (size_t i = 0; i < nparts; i++) total += parts[i].len;
  if (total != loc->len || loc->off < HDR) {
    zero_parts(parts, nparts);
    return ZG_EINVAL;
  }
  zg_err_t err = reader_fd(df, loc->file, &fd);
  if (err != ZG_OK) {
    zero_parts(parts, nparts);
    return err;
  }
  iov[0].iov_base = lenb;
  iov[0].iov_len = 4;
  for (size_t i = 0; i < nparts; i++) {
    iov[i + 1].iov_base = parts[i].ptr;
    iov[i + 1].iov_len = parts[i].len;
  }
  iov[nparts + 1].iov_base = crcb;
  iov[nparts + 1].iov_len = 4;
  uint64_t want = total + ZG_CODEC_FRAME_OVERHEAD, got = 0;
  /* preadv may return short on signals; loop until EOF or complete. */
  struct iovec *v = iov;
  int n = (int)nparts + 2;
  while (got < want) {
    ssize_t r = preadv(fd, v, n, (off_t)(loc->off + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      err = errno_to_err(errno);
      break;
    }
    if (r == 0) {
      err = ZG_ETRUNC;
      break;
    }
    got += (uint64_t)r;
    while (n > 0 && (size_t)r >= v->iov_len) {
      r -= (ssize_t)v->iov_len;
      v++;
      n--;
    }
    if (n > 0) {
      v->iov_base = (uint8_t *)v->iov_base + r;
      v->iov_len -= (size_t)r;
    }
  }
  pthread_rwlock_unlock(&df->lock);
  if (err == ZG_OK && zg_load_be32(lenb) != loc->len) err = ZG_ECORRUPT;
  if (err == ZG_OK) {
    uint32_t crc = zg_crc32c(0, lenb, 4);
    for (size_t i = 0; i < nparts; i++) crc = zg_crc32c(crc, parts[i].ptr, parts[i].len);
    if (crc != zg_load_be32(crcb)) err = ZG_ECORRUPT;
  }
  if (err != ZG_OK) {
    zero_parts(parts, nparts);
    if (err == ZG_ECORRUPT || err == ZG_ETRUNC)
      zg_logw("datafile", "%s: record at %u:%llu (%u bytes): %s", df->dir, (unsigned)loc->file,
              (unsigned long long)loc->off, (unsigned)loc->len, zg_strerror(err));
  }
  return err;
}

/* Removes files after keep (exclusive lock held). */
static zg_err_t drop_files_after(zg_datafile_t *df, uint32_t keep) {
  char path[300];
  while (df->cur > keep) {
    size_t i = df->cur - df->first;
    if (i < df->nfds && df->fds[i] >= 0) {
      close(df->fds[i]);
      df->fds[i] = -1;
    }
    file_name(path, sizeof path, df, df->cur);
    if (unlink(path) != 0 && errno != ENOENT) return errno_to_err(errno);
    df->cur--;
    df->dir_dirty = true;
  }
  return ZG_OK;
}

zg_err_t zg_datafile_truncate(zg_datafile_t *df, const zg_datafile_pos_t *pos) {
  zg_err_t err = ZG_OK;
  if (!df || !pos || pos->off < HDR) return ZG_EINVAL;
  pthread_rwlock_wrlock(&df->lock);
  if (pos->file < df->first || pos->file > df->cur) {
    err = pos->file > df->cur ? ZG_ETRUNC : ZG_EINVAL;
    goto out;
  }
  if ((err = drop_files_after(df, pos->file)) != ZG_OK) goto out;
  int fd;
  if ((err = table_reserve(df, pos->file)) != ZG_OK) goto out;
  if (df->fds[pos->file - df->first] < 0) {
    if ((err = open_file(df, pos->file, &fd)) != ZG_OK) goto out;
    df->fds[pos->file - df->first] = fd;
  }
  fd = df->fds[pos->file - df->first];
  struct stat st;
  if (fstat(fd, &st) != 0) {
    err = errno_to_err(errno);
    goto out;
  }
  uint64_t size = (uint64_t)st.st_size;
  if (size > pos->off && ftruncate(fd, (off_t)pos->off) != 0) {
    err = errno_to_err(errno);
    goto out;
  }
  df->tail = size < pos->off ? size : pos->off;
  if (df->sync_from > df->cur) df->sync_from = df->cur;
  if ((err = do_fsync(df, fd, false, "fsync")) != ZG_OK) goto out;
  if (df->dir_dirty) {
    if ((err = do_fsync(df, df->dirfd, false, "fsync dir")) != ZG_OK) goto out;
    df->dir_dirty = false;
  }
  if (size < pos->off) {
    zg_logw("datafile", "%s: file %u holds %llu bytes, expected %llu", df->dir, (unsigned)pos->file,
            (unsigned long long)size, (unsigned long long)pos->off);
    err = ZG_ETRUNC;
  }
out:
  pthread_rwlock_unlock(&df->lock);
  return err;
}

/* Reads exactly n bytes at off into p through a small window; false at EOF
 * or error. */
static bool read_exact(int fd, uint8_t *p, size_t n, uint64_t off) {
  while (n) {
    ssize_t r = pread(fd, p, n, (off_t)off);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= (size_t)r;
    off += (uint64_t)r;
  }
  return true;
}

zg_err_t zg_datafile_recover(zg_datafile_t *df, zg_datafile_pos_t *end) {
  enum { WIN = 64 * 1024 };
  uint8_t *buf = NULL;
  zg_err_t err;
  if (!end) return ZG_EINVAL;
  end->file = 0;
  end->off = 0;
  if (!df) return ZG_EINVAL;
  buf = malloc(WIN);
  if (!buf) return ZG_ENOMEM;
  int fd = df->fds[df->cur - df->first];
  struct stat st;
  if (fstat(fd, &st) != 0) {
    free(buf);
    return errno_to_err(errno);
  }
  uint64_t size = (uint64_t)st.st_size, off = HDR;
  for (;;) {
    uint8_t lenb[4], crcb[4];
    if (off + 8 > size || !read_exact(fd, lenb, 4, off)) break;
    uint64_t n = zg_load_be32(lenb);
    if (off + 8 + n > size) break; /* torn */
    uint32_t crc = zg_crc32c(0, lenb, 4);
    uint64_t done = 0;
    bool ok = true;
    while (done < n && ok) {
      size_t k = n - done < WIN ? (size_t)(n - done) : WIN;
      ok = read_exact(fd, buf, k, off + 4 + done);
      if (ok) crc = zg_crc32c(crc, buf, k);
      done += k;
    }
    if (!ok || !read_exact(fd, crcb, 4, off + 4 + n) || crc != zg_load_be32(crcb)) break;
    off += 8 + n;
  }
  free(buf);
  if (off < size)
    zg_logw("datafile", "%s: dropping %llu bytes after the last whole record of file %u", df->dir,
            (unsigned long long)(size - off), (unsigned)df->cur);
  zg_datafile_pos_t p = {df->cur, off};
  err = zg_datafile_truncate(df, &p);
  if (err == ZG_OK) *end = p;
  return err;
}

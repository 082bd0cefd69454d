/*
 * store_util.h — helpers shared by the store tests: temporary directories,
 * a small tmpfs for real full-disk tests (skipped with a message where mount
 * is not permitted), file surgery (bit flips, truncation).
 */
#ifndef ZG_TESTS_STORE_UTIL_H
#define ZG_TESTS_STORE_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static inline void st_mkdtemp(char *out, size_t cap, const char *tag) {
  snprintf(out, cap, "/tmp/zgt_store_%s_XXXXXX", tag);
  if (!mkdtemp(out)) {
    perror("mkdtemp");
    exit(1);
  }
}

static inline void st_rm_rf(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) printf("  (could not remove %s)\n", dir);
}

/* Mounts a tmpfs of size bytes on a new directory; false (with a message)
 * when this process may not mount. */
static inline bool st_mount_tmpfs(char *dir, size_t cap, size_t size) {
  char opt[64];
  st_mkdtemp(dir, cap, "tmpfs");
  snprintf(opt, sizeof opt, "size=%zu", size);
  if (mount("tmpfs", dir, "tmpfs", 0, opt) != 0) {
    printf("  SKIP tmpfs part: cannot mount a tmpfs here (%s); the fault-injection tests cover ENOSPC\n",
           strerror(errno));
    rmdir(dir);
    return false;
  }
  return true;
}

static inline void st_umount(const char *dir) {
  if (umount(dir) != 0) printf("  (umount %s: %s)\n", dir, strerror(errno));
  rmdir(dir);
}

/* XORs mask into the byte at off of path. */
static inline void st_flip(const char *path, long off, uint8_t mask) {
  int fd = open(path, O_RDWR);
  uint8_t b = 0;
  if (fd < 0 || pread(fd, &b, 1, off) != 1) {
    printf("  (flip %s@%ld failed)\n", path, off);
    if (fd >= 0) close(fd);
    return;
  }
  b ^= mask;
  if (pwrite(fd, &b, 1, off) != 1) printf("  (flip write failed)\n");
  close(fd);
}

static inline long st_file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static inline void st_truncate(const char *path, long size) {
  if (truncate(path, size) != 0) printf("  (truncate %s failed)\n", path);
}

#endif

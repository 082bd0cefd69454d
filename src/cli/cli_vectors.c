/*
 * cli_vectors.c — `zg vectors DIR`: walks DIR recursively in sorted order,
 * offers each file to the registered handlers (vectors_*.c), prints one line
 * per failing case and ends with "N passed, N failed, N skipped".
 * Exit status 1 when any case failed, 2 on usage errors.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

#define MAX_HANDLERS 64
static struct {
  const char *name;
  zg_vec_handler_fn fn;
} g_handlers[MAX_HANDLERS];
static int g_nhandlers;

void zg__vec_register(const char *name, zg_vec_handler_fn fn) {
  if (g_nhandlers < MAX_HANDLERS) {
    g_handlers[g_nhandlers].name = name;
    g_handlers[g_nhandlers].fn = fn;
    g_nhandlers++;
  }
}

void zg__vec_pass(zg_vec_ctx_t *ctx) { ctx->passed++; }

void zg__vec_fail(zg_vec_ctx_t *ctx, const char *path, const char *fmt, ...) {
  va_list ap;
  ctx->failed++;
  printf("FAIL %s: ", path);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  fflush(stdout);
}

/* Reads a whole file, NUL-terminated. Returns NULL on failure. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n + 65536 + 1 > cap) {
      cap = (n + 65536 + 1) * 2;
      char *p = realloc(buf, cap);
      if (!p) { free(buf); fclose(f); return NULL; }
      buf = p;
    }
    size_t r = fread(buf + n, 1, 65536, f);
    n += r;
    if (r < 65536) break;
  }
  int err = ferror(f);
  fclose(f);
  if (err) { free(buf); return NULL; }
  buf[n] = 0;
  *len = n;
  return buf;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void run_file(zg_vec_ctx_t *ctx, const char *path) {
  size_t len = 0;
  char *data = read_file(path, &len);
  if (!data) {
    zg__vec_fail(ctx, path, "cannot read file");
    return;
  }
  bool known = false;
  for (int i = 0; i < g_nhandlers && !known; i++) known = g_handlers[i].fn(ctx, path, data, len);
  if (!known) ctx->skipped_files++;
  free(data);
}

static void walk(zg_vec_ctx_t *ctx, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    zg__vec_fail(ctx, dir, "cannot open directory");
    return;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char **p = realloc(names, cap * sizeof *names);
      if (!p) break;
      names = p;
    }
    names[n] = strdup(e->d_name);
    if (names[n]) n++;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    size_t plen = strlen(dir) + strlen(names[i]) + 2;
    char *p = malloc(plen);
    if (p) {
      snprintf(p, plen, "%s/%s", dir, names[i]);
      struct stat st;
      if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) walk(ctx, p);
      else if (S_ISREG(st.st_mode)) run_file(ctx, p);
      free(p);
    }
    free(names[i]);
  }
  free(names);
}

int zg__cli_vectors(int argc, char **argv) {
  zg_vec_ctx_t ctx;
  memset(&ctx, 0, sizeof ctx);
  const char *dir = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--setup") == 0 && i + 1 < argc) ctx.setup_path = argv[++i];
    else if (argv[i][0] == '-') return zg__cli_usage_error(argv[0], "unknown flag '%s'", argv[i]);
    else if (!dir) dir = argv[i];
    else return zg__cli_usage_error(argv[0], "takes one DIR");
  }
  if (!dir) return zg__cli_usage_error(argv[0], "missing DIR");
  struct stat st;
  if (stat(dir, &st) != 0) {
    fprintf(stderr, "zg vectors: cannot open '%s'\n", dir);
    return 1;
  }
  ctx.root = dir;
  if (S_ISDIR(st.st_mode)) walk(&ctx, dir);
  else run_file(&ctx, dir);
  printf("%d passed, %d failed, %d skipped\n", ctx.passed, ctx.failed, ctx.skipped_files);
  return ctx.failed ? 1 : 0;
}

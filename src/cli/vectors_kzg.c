/*
 * vectors_kzg.c — `zg vectors` handler for the c-kzg-4844 test format:
 * <kind>/kzg-mainnet/<case>/data.yaml, a YAML file {input: {...}, output:
 * ...}, one case per file. The kind is the directory name three levels up
 * (all 12 kinds of the format are recognised; the EIP-7594 ones answer
 * "not handled" until the cell API is wired into kzg_case.c, so they count
 * as skipped files). The case logic lives in kzg_case.c, shared with
 * tests/crypto/test_kzg.c.
 *
 * The trusted setup is `zg vectors --setup FILE`, or else the first
 * kzg-setup/trusted_setup.txt found walking up from the case's directory.
 * It is loaded once per run (and again only if a different file is named)
 * and freed at exit.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/kzg_case.h"
#include "cli/yaml_lite.h"
#include "zg/kzg.h"

static struct {
  char *path;              /* the setup file the cache holds (or failed on) */
  zg_kzg_settings_t *s;    /* NULL when loading failed */
  char msg[256];           /* why it failed */
  bool atexit_set;
} g_setup;

static void free_setup(void) {
  zg_kzg_settings_destroy(g_setup.s);
  free(g_setup.path);
  g_setup.s = NULL;
  g_setup.path = NULL;
}

/* Copies the n-th last path component (n = 0: the file name) into out. */
static bool component(char *out, size_t cap, const char *path, int n) {
  const char *end = path + strlen(path);
  for (int i = 0; i <= n; i++) {
    const char *start = end;
    while (start > path && start[-1] != '/') start--;
    if (i == n) {
      size_t len = (size_t)(end - start);
      if (len == 0 || len >= cap) return false;
      memcpy(out, start, len);
      out[len] = 0;
      return true;
    }
    if (start == path) return false;
    end = start - 1;
  }
  return false;
}

/* Walks up from the directory of path looking for kzg-setup/trusted_setup.txt;
 * returns a malloc'd path or NULL. */
static char *find_setup(const char *path) {
  static const char rel[] = "kzg-setup/trusted_setup.txt";
  size_t len = strlen(path);
  char *dir = malloc(len + sizeof rel + 2);
  if (!dir) return NULL;
  memcpy(dir, path, len + 1);
  for (;;) {
    char *slash = strrchr(dir, '/');
    if (!slash) {
      /* A relative path's first component: try the working directory. */
      struct stat st;
      if (stat(rel, &st) == 0 && S_ISREG(st.st_mode)) {
        memcpy(dir, rel, sizeof rel);
        return dir;
      }
      break;
    }
    slash[1] = 0;
    size_t dl = strlen(dir);
    memcpy(dir + dl, rel, sizeof rel);
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISREG(st.st_mode)) return dir;
    *slash = 0; /* drop this level */
    if (slash == dir) break;
  }
  free(dir);
  return NULL;
}

/* The settings for a case at path, loading them if needed; NULL with a
 * reason in *why when they cannot be had. */
static const zg_kzg_settings_t *settings_for(zg_vec_ctx_t *ctx, const char *path, const char **why) {
  char *want = ctx->setup_path ? strdup(ctx->setup_path) : find_setup(path);
  if (!want) {
    *why = "no kzg-setup/trusted_setup.txt above the vector directory (use --setup FILE)";
    return NULL;
  }
  if (g_setup.path && strcmp(g_setup.path, want) == 0) {
    free(want);
    *why = g_setup.msg;
    return g_setup.s;
  }
  free_setup();
  if (!g_setup.atexit_set) g_setup.atexit_set = atexit(free_setup) == 0;
  g_setup.path = want;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  zg_err_t e = zg_kzg_settings_load_file(&g_setup.s, want, NULL, g_setup.msg, sizeof g_setup.msg);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (e != ZG_OK) {
    if (!g_setup.msg[0]) snprintf(g_setup.msg, sizeof g_setup.msg, "%s", zg_strerror(e));
  } else {
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    fprintf(stderr, "kzg: loaded trusted setup %s in %.0f ms\n", want, ms);
  }
  *why = g_setup.msg;
  return g_setup.s;
}

ZG_VECTOR_HANDLER(kzg_4844) {
  char file[64], preset[64], kind[96];
  if (!component(file, sizeof file, path, 0) || strcmp(file, "data.yaml") != 0) return false;
  if (!component(preset, sizeof preset, path, 2) || strcmp(preset, "kzg-mainnet") != 0) return false;
  if (!component(kind, sizeof kind, path, 3) || !zg__kzg_case_kind_known(kind)) return false;
  if (!zg__kzg_case_kind_runs(kind)) return false; /* EIP-7594: counted as skipped */

  zg_yaml_node_t *doc = NULL;
  char why[512];
  if (zg__yaml_parse(&doc, data, len, why, sizeof why) != ZG_OK) {
    zg__vec_fail(ctx, path, "YAML: %s", why);
    return true;
  }
  const char *setup_why = NULL;
  const zg_kzg_settings_t *s = settings_for(ctx, path, &setup_why);
  bool handled = true;
  if (!s) {
    zg__vec_fail(ctx, path, "trusted setup: %s", setup_why);
  } else {
    switch (zg__kzg_case_run(s, kind, doc, why, sizeof why)) {
      case ZG_KZG_CASE_PASS: zg__vec_pass(ctx); break;
      case ZG_KZG_CASE_FAIL: zg__vec_fail(ctx, path, "%s: %s", kind, why); break;
      case ZG_KZG_CASE_UNSUPPORTED: handled = false; break;
    }
  }
  zg__yaml_free(doc);
  return handled;
}

/*
 * cli.h — shared pieces of the `zg` program: verb entry points, the usage
 * text, and the self-test registry.
 *
 * Each verb group lives in its own file (cli_<group>.c) and exposes
 * `int zg__cli_<verb>(int argc, char **argv)`, where argv[0] is the verb.
 * Exit statuses: 0 success, 1 the work failed, 2 usage error.
 */
#ifndef ZG_CLI_H
#define ZG_CLI_H

#include <stdbool.h>
#include <stdio.h>

int zg__cli_version(int argc, char **argv);
int zg__cli_selftest(int argc, char **argv);
int zg__cli_bench(int argc, char **argv);
int zg__cli_vectors(int argc, char **argv);
int zg__cli_root(int argc, char **argv); /* cli_storage.c */
int zg__cli_node(int argc, char **argv);     /* cli_node.c */
int zg__cli_upload(int argc, char **argv);   /* cli_transfer.c */
int zg__cli_download(int argc, char **argv); /* cli_transfer.c */
int zg__cli_sim(int argc, char **argv);      /* cli_sim.c */
int zg__cli_devnet(int argc, char **argv);   /* cli_devnet.c */
int zg__cli_load(int argc, char **argv);     /* cli_load.c */
int zg__cli_da(int argc, char **argv);       /* cli_da.c */
int zg__cli_da_server(int argc, char **argv); /* cli_da.c */
int zg__cli_kv(int argc, char **argv);        /* cli_kv.c */
/* The "daSigner" role of `zg node` (cli_da.c): starts a signer from the
 * config's daSigner section (dataDir, key, listen, chainId, noSync), or
 * prints why not and returns NULL; stop frees it (NULL is fine). */
struct zg_config;
struct zg_da_signer;
struct zg_da_signer *zg__cli_da_signer_start(struct zg_config *cfg, const char *path);
void zg__cli_da_signer_stop(struct zg_da_signer *s);

/* Prints the program's usage to f. */
void zg__cli_usage(FILE *f);
/* Reports a usage error for verb: message, then usage; returns 2. */
int zg__cli_usage_error(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Self-test sections: `zg selftest` runs every registered section in name
 * order. A section prints what it did (with figures) to stdout and returns
 * true when every check held.
 */
typedef bool (*zg_selftest_fn)(void);
void zg__selftest_register(const char *name, zg_selftest_fn fn);

#define ZG_SELFTEST(name)                                                       \
  static bool zg_selftest_##name(void);                                         \
  __attribute__((constructor)) static void zg_selftest_reg_##name(void) {       \
    zg__selftest_register(#name, zg_selftest_##name);                           \
  }                                                                             \
  static bool zg_selftest_##name(void)

/* Helpers for self-test sections. */
#define ZG_ST_CHECK(ok, cond)                                                   \
  do {                                                                          \
    if (!(cond)) {                                                              \
      printf("    FAILED: %s (%s:%d)\n", #cond, __FILE__, __LINE__);            \
      (ok) = false;                                                             \
    }                                                                           \
  } while (0)

#endif

/*
 * Vector-file handlers for `zg vectors DIR`. A handler looks at a file's path
 * and content; when it recognises the format it runs every case in it,
 * calling zg__vec_pass / zg__vec_fail once per case, and returns true. It
 * returns false for files it does not know (they are counted as skipped).
 */
typedef struct zg_vec_ctx {
  const char *setup_path; /* --setup FILE, or NULL for the default */
  const char *root;       /* the DIR given on the command line */
  int passed, failed, skipped_files;
} zg_vec_ctx_t;

typedef bool (*zg_vec_handler_fn)(zg_vec_ctx_t *ctx, const char *path, const char *data, size_t len);
void zg__vec_register(const char *name, zg_vec_handler_fn fn);
void zg__vec_pass(zg_vec_ctx_t *ctx);
void zg__vec_fail(zg_vec_ctx_t *ctx, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define ZG_VECTOR_HANDLER(name)                                                 \
  static bool zg_vec_##name(zg_vec_ctx_t *ctx, const char *path, const char *data, size_t len); \
  __attribute__((constructor)) static void zg_vec_reg_##name(void) {            \
    zg__vec_register(#name, zg_vec_##name);                                     \
  }                                                                             \
  static bool zg_vec_##name(zg_vec_ctx_t *ctx, const char *path, const char *data, size_t len)

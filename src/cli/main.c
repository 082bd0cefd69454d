/*
 * main.c — the `zg` program: global flags, verb dispatch, usage.
 * Unknown verbs and bad flags print a clear error and the usage, status 2.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "zg/log.h"

typedef struct {
  const char *name;
  int (*fn)(int argc, char **argv);
  const char *args;
  const char *help;
} verb_t;

static const verb_t g_verbs[] = {
    {"version", zg__cli_version, "", "print the version and the libraries zg was built with"},
    {"selftest", zg__cli_selftest, "[SECTION]", "exercise every capability and print what was done, with figures"},
    {"bench", zg__cli_bench, "[--list] [--ms N] [--cpu] [FILTER]", "run the benchmarks whose name contains FILTER"},
    {"vectors", zg__cli_vectors, "[--setup FILE] DIR", "run every known public test-vector file under DIR"},
    {"root", zg__cli_root, "[--json] [--proof SEG] FILE", "print a file's 0G storage root (or a segment proof)"},
    {"node", zg__cli_node, "--config FILE", "run a node (storage role: log store, zgs_ JSON-RPC, /metrics)"},
    {"upload", zg__cli_upload, "FILE --node URL[,URL..] [--jobs N] [--json]", "upload a file to storage nodes"},
    {"download", zg__cli_download, "ROOT OUT --node URL[,URL..] [--jobs N] [--json]",
     "download and verify a file from storage nodes"},
    {"devnet", zg__cli_devnet, "up|status|down|start|stop --dir DIR [...]",
     "run a local chain of validator processes (docs/devnet.md)"},
    {"sim", zg__cli_sim, "[--seed S] [--seeds N] [--report] [...]",
     "deterministic consensus simulation: safety/liveness over seeds, or the lanes throughput figure"},
    {"load", zg__cli_load, "--dir DIR|--rpc URL.. [--txs N] [--rate R]",
     "send signed transfers to a chain and print tx/s, commit latency and CPU per tx"},
    {"da", zg__cli_da, "signer|keygen|put|get|sample [...]",
     "DA: run a signer, disperse a file for a certificate, retrieve a blob (docs/da-node.md)"},
    {"da-server", zg__cli_da_server, "--quorum QFILE [--listen ADDR]",
     "OP Stack alt-DA server: POST /put -> commitment, GET /get/<hex> -> data (docs/da-node.md)"},
    {"kv", zg__cli_kv, "put|get|grant-writer|result STREAM [...] --node URL [--chain RPC --key K]",
     "KV streams on the storage log: write through Flow.submit, read from a KV node (docs/kv.md)"},
};
#define NVERBS (sizeof g_verbs / sizeof g_verbs[0])

void zg__cli_usage(FILE *f) {
  fprintf(f,
          "usage: zg [--log-level LEVEL] [--log-json] VERB [ARGS]\n"
          "\n"
          "zg is a decentralized data and AI operating system: chain, storage, DA and compute.\n"
          "\n"
          "verbs:\n");
  for (size_t i = 0; i < NVERBS; i++) {
    char head[64];
    snprintf(head, sizeof head, "%s %s", g_verbs[i].name, g_verbs[i].args);
    fprintf(f, "  %-34s %s\n", head, g_verbs[i].help);
  }
  fprintf(f,
          "\nglobal flags:\n"
          "  --log-level LEVEL                  trace, debug, info (default), warn, error, off\n"
          "  --log-json                         log JSON lines instead of text\n"
          "  -h, --help                         print this help\n");
}

int zg__cli_usage_error(const char *verb, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "zg%s%s: ", verb ? " " : "", verb ? verb : "");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n\n");
  zg__cli_usage(stderr);
  return 2;
}

int main(int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      zg__cli_usage(stdout);
      return 0;
    } else if (strcmp(argv[i], "--log-json") == 0) {
      zg_log_set_format(ZG_LOG_JSON);
    } else if (strcmp(argv[i], "--log-level") == 0 && i + 1 < argc) {
      zg_log_level_t lvl;
      if (zg_log_level_parse(&lvl, argv[++i]) != ZG_OK)
        return zg__cli_usage_error(NULL, "unknown log level '%s'", argv[i]);
      zg_log_set_level(lvl);
    } else {
      return zg__cli_usage_error(NULL, "unknown flag '%s'", argv[i]);
    }
  }
  if (i >= argc) return zg__cli_usage_error(NULL, "missing verb");
  if (strcmp(argv[i], "help") == 0) {
    zg__cli_usage(stdout);
    return 0;
  }
  for (size_t v = 0; v < NVERBS; v++)
    if (strcmp(argv[i], g_verbs[v].name) == 0) return g_verbs[v].fn(argc - i, argv + i);
  return zg__cli_usage_error(NULL, "unknown verb '%s'", argv[i]);
}

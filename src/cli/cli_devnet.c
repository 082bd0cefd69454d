/*
 * cli_devnet.c — `zg devnet up|status|down|start|stop`: a local chain of N
 * validator processes on loopback, with optional storage nodes following it
 * (cli_devnet_storage.c), see docs/devnet.md.
 *
 *   zg devnet up --validators N --lanes K --dir DIR [--base-port P] [--json]
 *                [--accounts M] [--chain-id ID] [--epoch-length E]
 *                [--block-time T] [--timeout SECONDS] [--no-start] [--set KEY=VALUE]...
 *                [--storage N [--shards S] [--miners]] [--da-signers N]
 *   zg devnet status --dir DIR [--json]
 *   zg devnet down --dir DIR [--grace SECONDS]
 *   zg devnet start --dir DIR [--node NAME] [--timeout SECONDS]
 *   zg devnet stop --dir DIR --node NAME [--kill] [--grace SECONDS]
 *
 * `up` writes a new chain into DIR: genesis.json (docs/chain.md), for each
 * validator v<i>/keys.json (mode 0600) and v<i>/config.json, accounts.json
 * (mode 0600: M funded dev accounts per lane, each owned by its lane, with
 * their private keys) and devnet.json (what `status --json` prints, without
 * the live fields). It then starts every node as `zg node --config` in its
 * own session (stdout/stderr appended to v<i>/node.log, pid in
 * v<i>/node.pid) and waits until every node answers eth_blockNumber with a
 * height >= 1; then the storage nodes (s<j>/, "storage" in devnet.json),
 * until each answers zgs_getStatus. A node that exits or a timeout stops the
 * devnet and names the log to read. status/down/start/stop manage validators
 * and storage nodes alike.
 *
 * Invariants: a pid file names a process only while that process runs this
 * node's config (checked through /proc/PID/cmdline, so a recycled pid is
 * never signalled); `up` refuses a DIR where any node of a previous devnet
 * still runs; the secret keys written to disk live only in files of mode
 * 0600 and are wiped from memory after use.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/devnet.h"
#include "cli/devnet_da.h"
#include "zg/bls.h"
#include "zg/bytes.h"
#include "zg/ecdsa.h"
#include "zg/ed25519.h"
#include "zg/rpc_client.h"
#include "zg/config.h"
#include "zg/staking.h"
#include "zg/storage_contracts.h"
#include "zg/u256.h"
#include "zg/validator.h"

#define MAX_VALIDATORS 64
#define MAX_STORAGE 32
#define MAX_NODES 64 /* validators + storage nodes */
#define MAX_LANES 16
#define MAX_ACCOUNTS_PER_LANE 256
#define DEFAULT_BASE_PORT 26656
#define VALIDATOR_STAKE "1000000000000000000000" /* 1000 ZG in wei */

/* ---- small helpers ---- */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static void hex_of(char *out, const uint8_t *p, size_t n) { (void)zg_hex_encode(out, p, n); }

/* Writes text to path with the given mode (truncating), fsync'd. */
static bool write_file(const char *path, const char *text, mode_t mode) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    fprintf(stderr, "zg devnet: cannot write %s: %s\n", path, strerror(errno));
    return false;
  }
  (void)fchmod(fd, mode); /* an existing file keeps its old mode otherwise */
  size_t len = strlen(text), off = 0;
  bool ok = true;
  while (off < len) {
    ssize_t w = write(fd, text + off, len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      ok = false;
      break;
    }
    off += (size_t)w;
  }
  if (ok && fsync(fd) != 0) ok = false;
  if (close(fd) != 0) ok = false;
  if (!ok) fprintf(stderr, "zg devnet: cannot write %s: %s\n", path, strerror(errno));
  return ok;
}

/* Dumps j to path (indented), mode as given; the dump is wiped after. */
bool zg__devnet_write_json(const char *path, const json_t *j, mode_t mode) {
  char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  if (!text) {
    fprintf(stderr, "zg devnet: out of memory\n");
    return false;
  }
  size_t n = strlen(text);
  char *withnl = malloc(n + 2);
  bool ok = false;
  if (withnl) {
    memcpy(withnl, text, n);
    withnl[n] = '\n';
    withnl[n + 1] = 0;
    ok = write_file(path, withnl, mode);
    zg_memwipe(withnl, n + 2);
    free(withnl);
  }
  zg_memwipe(text, n);
  free(text);
  return ok;
}

bool zg__devnet_mkdir_p(const char *path) {
  char tmp[1024];
  if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) return false;
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return false;
    *p = '/';
  }
  return mkdir(tmp, 0755) == 0 || errno == EEXIST;
}

/* Removes a directory tree (the node data dirs of an old devnet). */
static void rm_rf(const char *path) {
  pid_t pid = fork();
  if (pid == 0) {
    execlp("rm", "rm", "-rf", "--", path, (char *)NULL);
    _exit(127);
  }
  if (pid > 0) {
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
  }
}

/* True when a TCP port on 127.0.0.1 can be bound now. */
static bool port_free(unsigned port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
  close(fd);
  return ok;
}

/* ---- the state file and node processes (also used by zg load) ---- */

json_t *zg__devnet_load(const char *dir) {
  char path[1024];
  snprintf(path, sizeof path, "%s/devnet.json", dir);
  json_error_t jerr;
  json_t *j = json_load_file(path, 0, &jerr);
  if (!j) {
    if (access(path, F_OK) != 0)
      fprintf(stderr, "zg: no devnet in %s (%s missing; start one with zg devnet up --dir %s)\n", dir, path, dir);
    else
      fprintf(stderr, "zg: %s:%d: %s\n", path, jerr.line, jerr.text);
    return NULL;
  }
  if (!json_is_array(json_object_get(j, "nodes")) || !json_is_array(json_object_get(j, "accounts"))) {
    fprintf(stderr, "zg: %s: not a devnet state file (nodes, accounts)\n", path);
    json_decref(j);
    return NULL;
  }
  return j;
}

/* The config path of node (devnet.json's "config"). */
static const char *node_str(const json_t *node, const char *key) {
  const char *s = json_string_value(json_object_get(node, key));
  return s ? s : "";
}

/* Reads the pid file; 0 when absent or malformed. */
static pid_t read_pid(const char *pidfile) {
  FILE *f = fopen(pidfile, "r");
  if (!f) return 0;
  long v = 0;
  if (fscanf(f, "%ld", &v) != 1) v = 0;
  fclose(f);
  return v > 0 ? (pid_t)v : 0;
}

/* True when pid runs and is not a zombie, and its command line names cfg. */
static bool pid_is_node(pid_t pid, const char *cfg) {
  if (pid <= 0 || kill(pid, 0) != 0) return false;
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f) return false;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  const char *rp = strrchr(buf, ')');
  if (!rp || rp[1] != ' ' || rp[2] == 'Z' || rp[2] == 'X') return false;
  snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
  f = fopen(path, "r");
  if (!f) return false;
  n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  for (size_t i = 0; i < n; i++)
    if (buf[i] == 0) buf[i] = ' ';
  return strstr(buf, cfg) != NULL;
}

pid_t zg__devnet_node_pid(const json_t *node) {
  pid_t pid = read_pid(node_str(node, "pid_file"));
  return pid_is_node(pid, node_str(node, "config")) ? pid : 0;
}

/* Prints the last lines of a log file to stderr. */
static void tail_log(const char *path, int lines) {
  FILE *f = fopen(path, "r");
  if (!f) return;
  static char buf[16384];
  if (fseek(f, 0, SEEK_END) == 0) {
    long sz = ftell(f);
    (void)fseek(f, sz > (long)sizeof buf - 1 ? sz - (long)sizeof buf + 1 : 0, SEEK_SET);
  }
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  const char *p = buf + n;
  int seen = 0;
  while (p > buf) {
    if (p[-1] == '\n' && p != buf + n && ++seen > lines) break;
    p--;
  }
  fprintf(stderr, "---- last lines of %s ----\n%s%s----\n", path, p, n && buf[n - 1] != '\n' ? "\n" : "");
}

/* Starts one node in its own session; returns its pid or -1. */
static pid_t spawn_node(const json_t *node) {
  char exe[1024];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) {
    fprintf(stderr, "zg devnet: cannot find the zg program (/proc/self/exe): %s\n", strerror(errno));
    return -1;
  }
  exe[n] = 0;
  const char *cfg = node_str(node, "config"), *log = node_str(node, "log");
  int logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (logfd < 0) {
    fprintf(stderr, "zg devnet: cannot open %s: %s\n", log, strerror(errno));
    return -1;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "zg devnet: fork: %s\n", strerror(errno));
    close(logfd);
    return -1;
  }
  if (pid == 0) {
    /* The child: a new session (no terminal, not in the caller's process
     * group, so ^C in the shell and the caller's exit leave it alone). */
    (void)setsid();
    int nullfd = open("/dev/null", O_RDONLY);
    if (nullfd >= 0) dup2(nullfd, 0);
    dup2(logfd, 1);
    dup2(logfd, 2);
    for (int fd = 3; fd < 1024; fd++) close(fd);
    signal(SIGPIPE, SIG_DFL);
    execl(exe, exe, "node", "--config", cfg, (char *)NULL);
    dprintf(2, "zg devnet: exec %s: %s\n", exe, strerror(errno));
    _exit(127);
  }
  close(logfd);
  char pidtext[32];
  snprintf(pidtext, sizeof pidtext, "%d\n", (int)pid);
  if (!write_file(node_str(node, "pid_file"), pidtext, 0644)) {
    kill(pid, SIGKILL);
    return -1;
  }
  return pid;
}

/* Stops pid (a node of cfg): SIGTERM (or SIGKILL when hard), then SIGKILL
 * after grace seconds. Returns true once it is gone. */
static bool stop_pid(pid_t pid, const char *cfg, double grace, bool hard) {
  if (!pid_is_node(pid, cfg)) return true;
  kill(pid, hard ? SIGKILL : SIGTERM);
  double t0 = now_s();
  bool killed = hard;
  for (;;) {
    int st;
    (void)waitpid(pid, &st, WNOHANG); /* reaps our own children (up's failure path) */
    if (!pid_is_node(pid, cfg)) return true;
    if (!killed && now_s() - t0 > grace) {
      fprintf(stderr, "zg devnet: pid %d did not stop within %.0f s of SIGTERM; sending SIGKILL\n", (int)pid, grace);
      kill(pid, SIGKILL);
      killed = true;
    }
    if (now_s() - t0 > grace + 10) return false;
    sleep_ms(50);
  }
}

static uint64_t parse_quantity(const json_t *v, bool *ok) {
  const char *s = json_string_value(v);
  *ok = false;
  if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2]) return 0;
  char *end;
  errno = 0;
  unsigned long long q = strtoull(s + 2, &end, 16);
  if (*end || errno) return 0;
  *ok = true;
  return (uint64_t)q;
}

zg_err_t zg__devnet_block_number(uint64_t *height, const char *url, unsigned timeout_ms) {
  *height = 0;
  zg_rpc_client_t *c = NULL;
  zg_err_t e = zg_rpc_client_create(&c, url, timeout_ms);
  if (e != ZG_OK) return e;
  json_t *res = NULL;
  e = zg_rpc_client_call(c, &res, NULL, "eth_blockNumber", json_array());
  if (e == ZG_OK) {
    bool ok;
    *height = parse_quantity(res, &ok);
    if (!ok) e = ZG_EJSON;
  }
  json_decref(res);
  zg_rpc_client_destroy(c);
  return e;
}

/* Every node of the state: the validators, then the storage nodes (a new
 * array holding references to the state's objects). */
static json_t *all_nodes(const json_t *state) {
  json_t *all = json_array();
  (void)json_array_extend(all, json_object_get(state, "nodes"));
  json_t *st = json_object_get(state, "storage");
  if (json_is_array(st)) (void)json_array_extend(all, st);
  json_t *da = json_object_get(state, "da_signers"); /* cli_devnet_da.c */
  if (json_is_array(da)) (void)json_array_extend(all, da);
  return all;
}

static bool is_storage(const json_t *node) { return json_object_get(node, "shard") != NULL; }

/* A node's height: lane 0's for a validator, the last chain block its
 * follower has read (zgs_getStatus logSyncHeight) for a storage node. */
static zg_err_t node_height(uint64_t *h, const json_t *node, unsigned timeout_ms) {
  if (is_storage(node)) return zg__devnet_storage_status(h, node, timeout_ms);
  if (zg__devnet_is_da(node)) return zg__devnet_da_status(h, node, timeout_ms);
  return zg__devnet_block_number(h, node_str(node, "rpc"), timeout_ms);
}

/* ---- key and file generation ---- */

typedef struct {
  char name[16];
  unsigned p2p_port, rpc_port;
  uint8_t node_seed[32], bls_sk[32], op_sk[32];
  zg_ed25519_pk_t node_pk;
  uint8_t bls_pk[48], bls_pop[96];
  zg_eth_addr_t op_addr;
} val_t;

typedef struct {
  unsigned n, lanes, accounts_per_lane, base_port;
  uint64_t chain_id, epoch_length;
  const char *block_time, *dir;
  double timeout;
  bool json, no_start;
  const char *sets[32]; /* --set validator.KEY=VALUE, written into every config */
  size_t nsets;
  zg__devnet_storage_opts_t storage; /* --storage N --shards S --miners */
  unsigned da_signers;               /* --da-signers N (cli_devnet_da.c) */
} up_opts_t;

/* A secp256k1 key whose address is owned by lane (addr[19] mod lanes). */
zg_err_t zg__devnet_gen_account(uint8_t sk_out[32], zg_eth_addr_t *addr, unsigned lane, unsigned lanes) {
  for (int tries = 0; tries < 100000; tries++) {
    zg_secp256k1_sk_t sk;
    zg_secp256k1_pk_t pk;
    zg_err_t e = zg_secp256k1_sk_generate(&sk);
    if (e == ZG_OK) e = zg_secp256k1_pubkey(&pk, &sk);
    if (e != ZG_OK) {
      zg_secp256k1_sk_clear(&sk);
      return e;
    }
    zg_eth_address(addr, &pk);
    if (addr->bytes[19] % lanes == lane) {
      memcpy(sk_out, sk.bytes, 32);
      zg_secp256k1_sk_clear(&sk);
      return ZG_OK;
    }
    zg_secp256k1_sk_clear(&sk);
  }
  return ZG_ERANDOM;
}

static zg_err_t gen_validator(val_t *v, unsigned lanes) {
  zg_ed25519_sk_t esk;
  zg_bls_sk_t bsk;
  zg_bls_pk_t bpk;
  zg_bls_sig_t pop;
  uint8_t ikm[32];
  zg_err_t e = zg_random_bytes(v->node_seed, 32);
  if (e == ZG_OK) e = zg_ed25519_keypair_from_seed(&v->node_pk, &esk, v->node_seed);
  if (e == ZG_OK) e = zg_random_bytes(ikm, sizeof ikm);
  if (e == ZG_OK) e = zg_bls_keygen(&bsk, ikm, sizeof ikm, NULL, 0);
  if (e == ZG_OK) {
    zg_bls_sk_serialize(v->bls_sk, &bsk);
    zg_bls_sk_to_pk(&bpk, &bsk);
    zg_bls_pk_serialize(v->bls_pk, &bpk);
    e = zg_bls_pop_prove(&pop, &bsk);
  }
  if (e == ZG_OK) {
    zg_bls_sig_serialize(v->bls_pop, &pop);
    /* The operator account owns the Staking entry, so it lives on lane 0. */
    e = zg__devnet_gen_account(v->op_sk, &v->op_addr, 0, lanes);
  }
  zg_ed25519_sk_clear(&esk);
  zg_bls_sk_clear(&bsk);
  zg_memwipe(ikm, sizeof ikm);
  return e;
}

static json_t *jhex(const uint8_t *p, size_t n) {
  char buf[2 * 96 + 3];
  hex_of(buf, p, n);
  return json_string(buf);
}

static json_t *jaddr(const zg_eth_addr_t *a) {
  char t[43];
  zg_eth_address_to_text(t, a);
  return json_string(t);
}

/* A --set value: JSON when it parses as JSON (numbers, true, "str"), else a
 * plain string. */
static json_t *set_value(const char *v) {
  json_t *j = json_loads(v, JSON_DECODE_ANY, NULL);
  return j ? j : json_string(v);
}

/* The system contracts: name -> address (zg/staking.h; later contracts
 * add their line here). */
static json_t *contracts_json(void) {
  json_t *o = json_object();
  json_object_set_new(o, "Staking", json_string(ZG_STAKING_ADDRESS_TEXT));
  json_object_set_new(o, "Flow", json_string(ZG_FLOW_ADDRESS_TEXT));
  json_object_set_new(o, "Market", json_string(ZG_MARKET_ADDRESS_TEXT));
  json_object_set_new(o, "Reward", json_string(ZG_REWARD_ADDRESS_TEXT));
  json_object_set_new(o, "Mine", json_string(ZG_MINE_ADDRESS_TEXT));
  return o;
}

/* Picks the base port: the given one (all ports must be free), or the first
 * of a few candidates whose 2n ports are all free. */
static bool pick_ports(up_opts_t *o, bool given) {
  for (unsigned attempt = 0; attempt < 64; attempt++) {
    unsigned base = o->base_port + attempt * 2 * MAX_VALIDATORS;
    unsigned nports = 2 * (o->n + o->storage.count) + o->da_signers;
    if (base + nports >= 65536) break;
    unsigned busy = 0;
    for (unsigned p = base; p < base + nports && !busy; p++)
      if (!port_free(p)) busy = p;
    if (!busy) {
      o->base_port = base;
      return true;
    }
    if (given) {
      fprintf(stderr, "zg devnet: port %u (from --base-port %u) is in use; choose another --base-port\n", busy,
              o->base_port);
      return false;
    }
  }
  fprintf(stderr, "zg devnet: found no %u free loopback ports from %u on; pass --base-port\n",
          2 * (o->n + o->storage.count), o->base_port);
  return false;
}

/* Builds genesis, keys, configs, accounts and the state object. */
static json_t *write_devnet(const up_opts_t *o, val_t *vals) {
  char path[1024], dir_abs[900];
  char *real = realpath(o->dir, NULL);
  if (!real || strlen(real) >= sizeof dir_abs) {
    fprintf(stderr, "zg devnet: %s: %s\n", o->dir, real ? "path too long" : strerror(errno));
    free(real);
    return NULL;
  }
  memcpy(dir_abs, real, strlen(real) + 1);
  free(real);
  json_t *genesis = json_object(), *jvals = json_array(), *alloc = json_object();
  json_t *state = json_object(), *nodes = json_array(), *accounts = json_array(), *storage = json_array();
  json_t *da = json_array();
  bool ok = true;
  /* Validators. */
  for (unsigned i = 0; i < o->n && ok; i++) {
    val_t *v = &vals[i];
    snprintf(v->name, sizeof v->name, "v%u", i);
    v->p2p_port = o->base_port + 2 * i;
    v->rpc_port = o->base_port + 2 * i + 1;
    if (gen_validator(v, o->lanes) != ZG_OK) {
      fprintf(stderr, "zg devnet: key generation failed\n");
      ok = false;
      break;
    }
    char p2p[32];
    snprintf(p2p, sizeof p2p, "127.0.0.1:%u", v->p2p_port);
    json_array_append_new(
        jvals, json_pack("{s:s, s:o, s:o, s:o, s:o, s:s, s:s}", "name", v->name, "nodeKey", jhex(v->node_pk.bytes, 32),
                         "blsKey", jhex(v->bls_pk, 48), "blsPop", jhex(v->bls_pop, 96), "operator",
                         jaddr(&v->op_addr), "stake", VALIDATOR_STAKE, "p2p", p2p));
    char t[43];
    zg_eth_address_to_text(t, &v->op_addr);
    json_object_set_new(alloc, t, json_string("1000000000000000000000000"));
  }
  /* Dev accounts: M per lane, each owned by its lane. */
  for (unsigned lane = 0; lane < o->lanes && ok; lane++) {
    for (unsigned k = 0; k < o->accounts_per_lane; k++) {
      uint8_t sk[32];
      zg_eth_addr_t a;
      if (zg__devnet_gen_account(sk, &a, lane, o->lanes) != ZG_OK) {
        fprintf(stderr, "zg devnet: key generation failed\n");
        ok = false;
        break;
      }
      char t[43];
      zg_eth_address_to_text(t, &a);
      json_object_set_new(alloc, t, json_string("1000000000000000000000000"));
      json_array_append_new(accounts,
                            json_pack("{s:s, s:o, s:i}", "address", t, "private_key", jhex(sk, 32), "lane", lane));
      zg_memwipe(sk, sizeof sk);
    }
  }
  /* Storage nodes (before genesis: miner keys are funded in alloc). */
  if (ok && o->storage.count) {
    char urls[MAX_VALIDATORS][48];
    const char *rpcs[MAX_VALIDATORS];
    for (unsigned i = 0; i < o->n; i++) {
      snprintf(urls[i], sizeof urls[i], "http://127.0.0.1:%u", vals[i].rpc_port);
      rpcs[i] = urls[i];
    }
    ok = zg__devnet_storage_write(storage, alloc, genesis, dir_abs, &o->storage, rpcs, o->n,
                                  o->base_port + 2 * o->n, o->lanes);
  }
  /* DA signers (before genesis: registered and opted in there). */
  if (ok && o->da_signers) {
    char urls[MAX_VALIDATORS][48];
    const char *rpcs[MAX_VALIDATORS];
    for (unsigned i = 0; i < o->n; i++) {
      snprintf(urls[i], sizeof urls[i], "http://127.0.0.1:%u", vals[i].rpc_port);
      rpcs[i] = urls[i];
    }
    ok = zg__devnet_da_write(da, alloc, genesis, dir_abs, o->da_signers, o->chain_id, rpcs, o->n,
                             o->base_port + 2 * (o->n + o->storage.count), o->lanes);
  }
  if (!ok) goto out;
  /* Genesis creates no value outside alloc: Staking's balance must hold the
   * validators' stakes (docs/staking.md "Genesis"). */
  {
    zg_u256_t stake, total;
    char dec[ZG_U256_DEC_MAX];
    if (zg_u256_parse(&stake, VALIDATOR_STAKE, strlen(VALIDATOR_STAKE)) != ZG_OK ||
        !zg_u256_mul_u64(&total, &stake, o->n)) {
      ok = false;
      goto out;
    }
    zg_u256_to_dec(dec, &total);
    json_object_set_new(alloc, ZG_STAKING_ADDRESS_TEXT, json_string(dec));
  }
  json_object_set_new(genesis, "chainId", json_integer((json_int_t)o->chain_id));
  json_object_set_new(genesis, "lanes", json_integer(o->lanes));
  json_object_set_new(genesis, "epochLength", json_integer((json_int_t)o->epoch_length));
  json_object_set_new(genesis, "maxValidators", json_integer(64));
  json_object_set_new(genesis, "blockTime", json_string(o->block_time));
  json_object_set_new(genesis, "baseFeeGwei", json_integer(1));
  json_object_set_new(genesis, "unbondingEpochs", json_integer(2));
  json_object_set_new(genesis, "validators", json_incref(jvals));
  json_object_set_new(genesis, "alloc", json_incref(alloc));
  snprintf(path, sizeof path, "%s/genesis.json", dir_abs);
  ok = zg__devnet_write_json(path, genesis, 0644);
  /* Per node: keys, config, and its entry in the state file. */
  for (unsigned i = 0; i < o->n && ok; i++) {
    val_t *v = &vals[i];
    char ndir[1024], cfgp[1100], keysp[1100], logp[1100], pidp[1100], datap[1100], rpc[64], p2p[32];
    snprintf(ndir, sizeof ndir, "%s/%s", dir_abs, v->name);
    snprintf(cfgp, sizeof cfgp, "%s/config.json", ndir);
    snprintf(keysp, sizeof keysp, "%s/keys.json", ndir);
    snprintf(logp, sizeof logp, "%s/node.log", ndir);
    snprintf(pidp, sizeof pidp, "%s/node.pid", ndir);
    snprintf(datap, sizeof datap, "%s/data", ndir);
    snprintf(rpc, sizeof rpc, "127.0.0.1:%u", v->rpc_port);
    snprintf(p2p, sizeof p2p, "127.0.0.1:%u", v->p2p_port);
    if (!zg__devnet_mkdir_p(ndir)) {
      fprintf(stderr, "zg devnet: cannot create %s: %s\n", ndir, strerror(errno));
      ok = false;
      break;
    }
    json_t *keys = json_pack("{s:o, s:o, s:o}", "nodeKey", jhex(v->node_seed, 32), "blsKey", jhex(v->bls_sk, 32),
                             "operatorKey", jhex(v->op_sk, 32));
    ok = zg__devnet_write_json(keysp, keys, 0600);
    /* jansson keeps copies of the hex strings: wipe them before freeing. */
    const char *kk;
    json_t *kv;
    json_object_foreach(keys, kk, kv) zg_memwipe((char *)json_string_value(kv), json_string_length(kv));
    json_decref(keys);
    json_t *peers = json_array();
    for (unsigned j = 0; j < o->n; j++) {
      if (j == i) continue;
      char hex[67], peer[128];
      hex_of(hex, vals[j].node_pk.bytes, 32);
      snprintf(peer, sizeof peer, "%s@127.0.0.1:%u", hex + 2, vals[j].p2p_port);
      json_array_append_new(peers, json_string(peer));
    }
    json_t *vsec = json_pack("{s:s, s:s, s:s, s:i, s:s, s:i, s:b}", "dataDir", datap, "genesis", path, "keys", keysp,
                             "batchTxs", 2000, "batchDelay", "20ms", "mempoolMax", 200000, "noSync", 0);
    for (size_t s = 0; s < o->nsets; s++) {
      const char *eq = strchr(o->sets[s], '=');
      char key[128];
      snprintf(key, sizeof key, "%.*s", (int)(eq - o->sets[s]), o->sets[s]);
      json_object_set_new(vsec, key, set_value(eq + 1));
    }
    json_t *cfg = json_pack("{s:o, s:{s:s, s:o}, s:{s:s}, s:{s:s}}", "validator", vsec, "net", "listen", p2p,
                            "peers", peers, "rpc", "addr", rpc, "log", "level", "info");
    if (ok) ok = zg__devnet_write_json(cfgp, cfg, 0644);
    json_decref(cfg);
    char url[80];
    snprintf(url, sizeof url, "http://%s", rpc);
    json_array_append_new(nodes, json_pack("{s:s, s:s, s:s, s:[s], s:s, s:s, s:s, s:s, s:o, s:o}", "name", v->name,
                                           "rpc", url, "p2p", p2p, "roles", "validator", "config", cfgp, "log", logp,
                                           "pid_file", pidp, "data_dir", datap, "operator", jaddr(&v->op_addr),
                                           "node_key", jhex(v->node_pk.bytes, 32)));
  }
  if (!ok) goto out;
  json_object_set_new(state, "dir", json_string(dir_abs));
  json_object_set_new(state, "chain_id", json_integer((json_int_t)o->chain_id));
  json_object_set_new(state, "lanes", json_integer(o->lanes));
  json_object_set_new(state, "nodes", json_incref(nodes));
  json_object_set_new(state, "accounts", json_incref(accounts));
  json_object_set_new(state, "contracts", contracts_json());
  if (json_array_size(storage)) json_object_set_new(state, "storage", json_incref(storage));
  if (json_array_size(da)) json_object_set_new(state, "da_signers", json_incref(da));
  snprintf(path, sizeof path, "%s/accounts.json", dir_abs);
  ok = zg__devnet_write_json(path, accounts, 0600);
  snprintf(path, sizeof path, "%s/devnet.json", dir_abs);
  if (ok) ok = zg__devnet_write_json(path, state, 0600);
out:
  json_decref(genesis);
  json_decref(jvals);
  json_decref(alloc);
  json_decref(nodes);
  json_decref(accounts);
  json_decref(storage);
  json_decref(da);
  if (!ok) {
    json_decref(state);
    return NULL;
  }
  return state;
}

/* Loads what write_devnet wrote through the validator role's own readers
 * (genesis, keys, config), so a format drift shows here, naming the file,
 * rather than as a node that exits. */
static bool self_check(const json_t *state) {
  char err[512], path[1024];
  snprintf(path, sizeof path, "%s/genesis.json", json_string_value(json_object_get(state, "dir")));
  zg_genesis_t *g = NULL;
  if (zg_genesis_load(&g, err, sizeof err, path) != ZG_OK) {
    fprintf(stderr, "zg devnet: the genesis written does not load: %s\n", err);
    return false;
  }
  zg_genesis_free(g);
  size_t i;
  json_t *node;
  json_array_foreach(json_object_get(state, "nodes"), i, node) {
    zg_validator_keys_t keys;
    char kpath[1100];
    const char *cfgp = node_str(node, "config");
    const char *slash = strrchr(cfgp, '/');
    /* keys.json sits next to config.json. */
    snprintf(kpath, sizeof kpath, "%.*skeys.json", slash ? (int)(slash - cfgp + 1) : 0, cfgp);
    zg_err_t e = zg_validator_keys_load(&keys, err, sizeof err, kpath);
    zg_validator_keys_clear(&keys);
    if (e != ZG_OK) {
      fprintf(stderr, "zg devnet: the keys written do not load: %s\n", err);
      return false;
    }
    zg_config_t *cfg = NULL;
    zg_validator_cfg_t vc;
    e = zg_config_load_file(&cfg, err, sizeof err, cfgp, ZG_CONFIG_NO_ENV);
    if (e == ZG_OK) e = zg_validator_cfg_read(&vc, err, sizeof err, cfg);
    zg_config_destroy(cfg);
    if (e != ZG_OK) {
      fprintf(stderr, "zg devnet: the config written does not load: %s\n", err);
      return false;
    }
  }
  return true;
}

/* ---- waiting and printing ---- */

/* Waits until every node of nodes in want[] runs and answers: a validator
 * eth_blockNumber >= min_height, a storage node zgs_getStatus. On failure
 * names the node and prints its log's tail. */
static bool wait_nodes(const json_t *nodes, const bool *want, uint64_t min_height, double timeout) {
  size_t n = json_array_size(nodes);
  double t0 = now_s();
  bool done[MAX_NODES] = {0};
  for (;;) {
    size_t left = 0;
    for (size_t i = 0; i < n; i++) {
      if (!want[i] || done[i]) continue;
      json_t *node = json_array_get(nodes, i);
      pid_t pid = read_pid(node_str(node, "pid_file"));
      int st;
      pid_t w = pid > 0 ? waitpid(pid, &st, WNOHANG) : -1;
      if (w == pid) {
        fprintf(stderr, "zg devnet: node %s (pid %d) exited with %s %d before it was up; see %s\n",
                node_str(node, "name"), (int)pid, WIFEXITED(st) ? "status" : "signal",
                WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), node_str(node, "log"));
        tail_log(node_str(node, "log"), 15);
        return false;
      }
      /* Our own child (w == 0) runs, whether or not it has reached exec
       * yet (until then its cmdline is ours); others are checked by pid. */
      if (w != 0 && !pid_is_node(pid, node_str(node, "config"))) {
        fprintf(stderr, "zg devnet: node %s is not running; see %s\n", node_str(node, "name"), node_str(node, "log"));
        tail_log(node_str(node, "log"), 15);
        return false;
      }
      uint64_t h;
      if (node_height(&h, node, 2000) == ZG_OK && (is_storage(node) || zg__devnet_is_da(node) || h >= min_height))
        done[i] = true;
      else
        left++;
    }
    if (!left) return true;
    if (now_s() - t0 > timeout) {
      for (size_t i = 0; i < n; i++) {
        if (!want[i] || done[i]) continue;
        json_t *node = json_array_get(nodes, i);
        uint64_t h = 0;
        zg_err_t e = node_height(&h, node, 2000);
        if (is_storage(node))
          fprintf(stderr, "zg devnet: storage node %s does not answer zgs_getStatus within %.0f s (%s); see %s\n",
                  node_str(node, "name"), timeout, zg_strerror(e), node_str(node, "log"));
        else
          fprintf(stderr, "zg devnet: node %s has not committed block %" PRIu64 " within %.0f s (%s%s); see %s\n",
                  node_str(node, "name"), min_height, timeout, e == ZG_OK ? "height " : "eth_blockNumber: ",
                  e == ZG_OK ? "below" : zg_strerror(e), node_str(node, "log"));
        tail_log(node_str(node, "log"), 15);
      }
      return false;
    }
    sleep_ms(200);
  }
}

/* state + live fields (pid, running, height) as printed by up and status. */
static json_t *live_view(const json_t *state) {
  json_t *v = json_deep_copy(state);
  json_t *nodes = all_nodes(v);
  size_t i;
  json_t *node;
  json_array_foreach(nodes, i, node) {
    pid_t pid = zg__devnet_node_pid(node);
    json_object_set_new(node, "pid", pid ? json_integer(pid) : json_null());
    json_object_set_new(node, "running", json_boolean(pid != 0));
    uint64_t h;
    if (pid && node_height(&h, node, 2000) == ZG_OK)
      json_object_set_new(node, "height", json_integer((json_int_t)h));
    else
      json_object_set_new(node, "height", json_null());
  }
  json_decref(nodes);
  return v;
}

static void print_text(const json_t *view, bool with_keys) {
  json_t *nodes = json_object_get(view, "nodes"), *node;
  size_t i;
  printf("devnet %s: chain id %" JSON_INTEGER_FORMAT ", %" JSON_INTEGER_FORMAT " lanes, %zu validators\n",
         json_string_value(json_object_get(view, "dir")), json_integer_value(json_object_get(view, "chain_id")),
         json_integer_value(json_object_get(view, "lanes")), json_array_size(nodes));
  json_array_foreach(nodes, i, node) {
    json_t *pid = json_object_get(node, "pid"), *h = json_object_get(node, "height");
    char ptxt[32] = "stopped", htxt[32] = "-";
    if (json_is_integer(pid)) snprintf(ptxt, sizeof ptxt, "pid %" JSON_INTEGER_FORMAT, json_integer_value(pid));
    if (json_is_integer(h)) snprintf(htxt, sizeof htxt, "%" JSON_INTEGER_FORMAT, json_integer_value(h));
    printf("  %-4s %-12s height %-6s rpc %s  p2p %s  log %s\n", node_str(node, "name"), ptxt, htxt,
           node_str(node, "rpc"), node_str(node, "p2p"), node_str(node, "log"));
  }
  json_t *storage = json_object_get(view, "storage");
  if (json_array_size(storage)) printf("storage nodes (zgs_ JSON-RPC; height = last chain block read):\n");
  json_array_foreach(storage, i, node) {
    json_t *pid = json_object_get(node, "pid"), *h = json_object_get(node, "height");
    char ptxt[32] = "stopped", htxt[32] = "-";
    if (json_is_integer(pid)) snprintf(ptxt, sizeof ptxt, "pid %" JSON_INTEGER_FORMAT, json_integer_value(pid));
    if (json_is_integer(h)) snprintf(htxt, sizeof htxt, "%" JSON_INTEGER_FORMAT, json_integer_value(h));
    printf("  %-4s %-12s height %-6s rpc %s  shard %" JSON_INTEGER_FORMAT "/%" JSON_INTEGER_FORMAT
           "  chain %s%s%s  log %s\n",
           node_str(node, "name"), ptxt, htxt, node_str(node, "rpc"), json_integer_value(json_object_get(node, "shard")),
           json_integer_value(json_object_get(node, "num_shard")), node_str(node, "chain_rpc"),
           json_object_get(node, "beneficiary") ? "  beneficiary " : "", node_str(node, "beneficiary"), node_str(node, "log"));
  }
  json_t *das = json_object_get(view, "da_signers");
  if (json_array_size(das)) printf("DA signers (registered and opted in at genesis; height = its chain's):\n");
  json_array_foreach(das, i, node) {
    json_t *pid = json_object_get(node, "pid");
    char ptxt[32] = "stopped";
    if (json_is_integer(pid)) snprintf(ptxt, sizeof ptxt, "pid %" JSON_INTEGER_FORMAT, json_integer_value(pid));
    printf("  %-4s %-12s endpoint %s  address %s  chain %s  log %s\n", node_str(node, "name"), ptxt,
           node_str(node, "endpoint"), node_str(node, "address"), node_str(node, "chain_rpc"), node_str(node, "log"));
  }
  const char *name;
  json_t *addr;
  printf("contracts:\n");
  json_object_foreach(json_object_get(view, "contracts"), name, addr)
    printf("  %-10s %s\n", name, json_string_value(addr));
  json_t *accts = json_object_get(view, "accounts"), *a;
  printf("dev accounts (1000000 ZG each; keys for this devnet only):\n");
  json_array_foreach(accts, i, a) {
    if (with_keys)
      printf("  %s lane %" JSON_INTEGER_FORMAT " key %s\n", node_str(a, "address"),
             json_integer_value(json_object_get(a, "lane")), node_str(a, "private_key"));
    else
      printf("  %s lane %" JSON_INTEGER_FORMAT "\n", node_str(a, "address"),
             json_integer_value(json_object_get(a, "lane")));
  }
}

static void print_json(const json_t *view) {
  char *s = json_dumps(view, JSON_PRESERVE_ORDER | JSON_COMPACT);
  if (s) {
    puts(s);
    free(s);
  }
}

/* Stops the running nodes of nodes[from, to); true when all are gone.
 * SIGTERM to all of them first, so they shut down in parallel within one
 * grace period. */
static bool stop_set(const json_t *nodes, size_t from, size_t to, double grace) {
  json_t *node;
  size_t i;
  pid_t pids[MAX_NODES] = {0};
  json_array_foreach(nodes, i, node) {
    if (i >= MAX_NODES) break;
    if (i < from || i >= to) continue;
    pids[i] = zg__devnet_node_pid(node);
    if (pids[i]) kill(pids[i], SIGTERM);
  }
  bool ok = true;
  double t0 = now_s();
  json_array_foreach(nodes, i, node) {
    if (i >= MAX_NODES) break;
    double left = grace - (now_s() - t0);
    if (pids[i] && !stop_pid(pids[i], node_str(node, "config"), left > 0.1 ? left : 0.1, false)) {
      fprintf(stderr, "zg devnet: %s (pid %d) would not stop\n", node_str(node, "name"), (int)pids[i]);
      ok = false;
    }
    if (pids[i] && !zg__devnet_node_pid(node)) unlink(node_str(node, "pid_file"));
  }
  return ok;
}

/* Stops every running node of state; true when all are gone. The nodes that
 * follow the chain (storage, DA signers) go first: a miner or follower whose
 * chain is gone may sit in an RPC timeout before it sees its signal. */
static bool stop_all(const json_t *state, double grace) {
  json_t *nodes = all_nodes(state); /* the validators first */
  size_t nval = json_array_size(json_object_get(state, "nodes"));
  bool ok = stop_set(nodes, nval, json_array_size(nodes), grace);
  ok = stop_set(nodes, 0, nval, grace) && ok;
  json_decref(nodes);
  return ok;
}

/* ---- verbs ---- */

static bool parse_uint(const char *s, unsigned long long max, unsigned long long *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (!*s || *end || errno || v > max || s[0] == '-') return false;
  *out = v;
  return true;
}

static bool parse_seconds(const char *s, double *out) {
  char *end;
  double v = strtod(s, &end);
  if (!*s || *end || !(v > 0) || v > 86400) return false;
  *out = v;
  return true;
}

/* Refuses when a node of the devnet in dir runs. */
static bool check_not_running(const char *dir) {
  char path[1024];
  snprintf(path, sizeof path, "%s/devnet.json", dir);
  if (access(path, F_OK) != 0) return true;
  json_t *old = zg__devnet_load(dir);
  if (!old) return false; /* unreadable state: do not overwrite blindly */
  json_t *node, *nodes = all_nodes(old);
  size_t i;
  bool ok = true;
  json_array_foreach(nodes, i, node) {
    pid_t pid = zg__devnet_node_pid(node);
    if (pid) {
      fprintf(stderr,
              "zg devnet: a devnet is already running in %s (%s, pid %d); stop it first with "
              "zg devnet down --dir %s\n",
              dir, node_str(node, "name"), (int)pid, dir);
      ok = false;
      break;
    }
  }
  if (ok) /* a stopped devnet: up makes a new chain, so the old nodes' dirs go */
    json_array_foreach(nodes, i, node) {
      const char *cfg = node_str(node, "config");
      const char *slash = strrchr(cfg, '/');
      if (slash && slash > cfg) {
        char ndir[1024];
        snprintf(ndir, sizeof ndir, "%.*s", (int)(slash - cfg), cfg);
        rm_rf(ndir);
      }
    }
  json_decref(nodes);
  json_decref(old);
  return ok;
}

static int devnet_up(int argc, char **argv) {
  up_opts_t o = {.n = 4, .lanes = 1, .accounts_per_lane = 8, .base_port = DEFAULT_BASE_PORT, .chain_id = 16888,
                 .epoch_length = 100, .block_time = "200ms", .timeout = 120};
  bool port_given = false;
  unsigned long long v;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--json") == 0) {
      o.json = true;
    } else if (strcmp(a, "--no-start") == 0) {
      o.no_start = true;
    } else if (strcmp(a, "--miners") == 0) {
      o.storage.miners = true;
    } else if (!val) {
      return zg__cli_usage_error("devnet", "unknown argument '%s' (or missing value)", a);
    } else if (strcmp(a, "--validators") == 0) {
      if (!parse_uint(val, MAX_VALIDATORS, &v) || v < 1)
        return zg__cli_usage_error("devnet", "--validators wants 1..%d", MAX_VALIDATORS);
      o.n = (unsigned)v, i++;
    } else if (strcmp(a, "--da-signers") == 0) {
      if (!parse_uint(val, ZG_DEVNET_MAX_DA_SIGNERS, &v))
        return zg__cli_usage_error("devnet", "--da-signers wants 0..%d", ZG_DEVNET_MAX_DA_SIGNERS);
      o.da_signers = (unsigned)v, i++;
    } else if (strcmp(a, "--storage") == 0) {
      if (!parse_uint(val, MAX_STORAGE, &v)) return zg__cli_usage_error("devnet", "--storage wants 0..%d", MAX_STORAGE);
      o.storage.count = (unsigned)v, i++;
    } else if (strcmp(a, "--shards") == 0) {
      if (!parse_uint(val, MAX_STORAGE, &v) || v < 1)
        return zg__cli_usage_error("devnet", "--shards wants 1..%d", MAX_STORAGE);
      o.storage.shards = (unsigned)v, i++;
    } else if (strcmp(a, "--lanes") == 0) {
      if (!parse_uint(val, MAX_LANES, &v) || v < 1)
        return zg__cli_usage_error("devnet", "--lanes wants 1..%d", MAX_LANES);
      o.lanes = (unsigned)v, i++;
    } else if (strcmp(a, "--accounts") == 0) {
      if (!parse_uint(val, MAX_ACCOUNTS_PER_LANE, &v) || v < 1)
        return zg__cli_usage_error("devnet", "--accounts (per lane) wants 1..%d", MAX_ACCOUNTS_PER_LANE);
      o.accounts_per_lane = (unsigned)v, i++;
    } else if (strcmp(a, "--base-port") == 0) {
      if (!parse_uint(val, 65000, &v) || v < 1024) return zg__cli_usage_error("devnet", "--base-port wants 1024..65000");
      o.base_port = (unsigned)v, port_given = true, i++;
    } else if (strcmp(a, "--chain-id") == 0) {
      if (!parse_uint(val, (1ull << 53) - 1, &v) || v < 1) return zg__cli_usage_error("devnet", "bad --chain-id");
      o.chain_id = v, i++;
    } else if (strcmp(a, "--epoch-length") == 0) {
      if (!parse_uint(val, 1u << 30, &v) || v < 1) return zg__cli_usage_error("devnet", "bad --epoch-length");
      o.epoch_length = v, i++;
    } else if (strcmp(a, "--block-time") == 0) {
      o.block_time = val, i++;
    } else if (strcmp(a, "--timeout") == 0) {
      if (!parse_seconds(val, &o.timeout)) return zg__cli_usage_error("devnet", "--timeout wants seconds > 0");
      i++;
    } else if (strcmp(a, "--dir") == 0) {
      o.dir = val, i++;
    } else if (strcmp(a, "--set") == 0) {
      if (!strchr(val, '=') || strchr(val, '=') == val || o.nsets == sizeof o.sets / sizeof o.sets[0])
        return zg__cli_usage_error("devnet", "--set wants KEY=VALUE (a key of the validator section)");
      o.sets[o.nsets++] = val, i++;
    } else {
      return zg__cli_usage_error("devnet", "unknown argument '%s'", a);
    }
  }
  if (!o.dir) return zg__cli_usage_error("devnet", "up: missing --dir DIR");
  if (!o.storage.shards) o.storage.shards = 1;
  if (o.storage.shards > 1 && o.storage.shards > o.storage.count)
    return zg__cli_usage_error("devnet", "--shards %u wants at least as many --storage nodes", o.storage.shards);
  if (o.storage.miners && !o.storage.count) return zg__cli_usage_error("devnet", "--miners wants --storage N");
  if (o.n + o.storage.count + o.da_signers > MAX_NODES)
    return zg__cli_usage_error("devnet", "at most %d nodes (validators + storage)", MAX_NODES);
  if (!zg__devnet_mkdir_p(o.dir)) {
    fprintf(stderr, "zg devnet: cannot create %s: %s\n", o.dir, strerror(errno));
    return 1;
  }
  if (!check_not_running(o.dir)) return 1;
  if (!pick_ports(&o, port_given)) return 1;
  val_t *vals = calloc(o.n, sizeof *vals);
  if (!vals) return 1;
  json_t *state = write_devnet(&o, vals);
  zg_memwipe(vals, o.n * sizeof *vals);
  free(vals);
  if (!state) return 1;
  int rc = 1;
  json_t *view = NULL;
  pid_t spawned[MAX_NODES];
  size_t nspawned = 0;
  if (!self_check(state)) goto out;
  if (!o.no_start) {
    size_t i;
    json_t *node;
    bool want[MAX_NODES];
    json_array_foreach(json_object_get(state, "nodes"), i, node) {
      want[i] = true;
      if ((spawned[nspawned] = spawn_node(node)) < 0) goto fail;
      nspawned++;
    }
    if (!o.json) fprintf(stderr, "zg devnet: started %u validators; waiting for the first block...\n", o.n);
    if (!wait_nodes(json_object_get(state, "nodes"), want, 1, o.timeout)) goto fail;
    /* Storage nodes once the chain runs (their followers would retry, but
     * a node that cannot start is reported sooner this way). */
    json_t *storage = json_object_get(state, "storage");
    json_array_foreach(storage, i, node) {
      want[i] = true;
      if ((spawned[nspawned] = spawn_node(node)) < 0) goto fail;
      nspawned++;
    }
    if (json_array_size(storage)) {
      if (!o.json)
        fprintf(stderr, "zg devnet: started %u storage nodes (%u shards%s); waiting for them to answer...\n",
                o.storage.count, o.storage.shards, o.storage.miners ? ", mining" : "");
      if (!wait_nodes(storage, want, 0, o.timeout)) goto fail;
    }
    json_t *das = json_object_get(state, "da_signers");
    json_array_foreach(das, i, node) {
      want[i] = true;
      if ((spawned[nspawned] = spawn_node(node)) < 0) goto fail;
      nspawned++;
    }
    if (json_array_size(das)) {
      if (!o.json) fprintf(stderr, "zg devnet: started %u DA signers; waiting for them to answer...\n", o.da_signers);
      if (!wait_nodes(das, want, 0, o.timeout)) goto fail;
    }
  }
  view = live_view(state);
  if (o.json)
    print_json(view);
  else {
    print_text(view, true);
    printf("stop with: zg devnet down --dir %s\n", o.dir);
  }
  rc = 0;
  goto out;
fail:
  /* Our children, by pid: one may not have reached exec yet, so the
   * cmdline check of stop_all would not know it. */
  fprintf(stderr, "zg devnet: stopping the nodes that started\n");
  for (size_t k = 0; k < nspawned; k++) kill(spawned[k], SIGTERM);
  for (size_t k = 0; k < nspawned; k++) {
    double t0 = now_s();
    int st;
    while (waitpid(spawned[k], &st, WNOHANG) == 0) {
      if (now_s() - t0 > 5) {
        kill(spawned[k], SIGKILL);
        (void)waitpid(spawned[k], &st, 0);
        break;
      }
      sleep_ms(50);
    }
  }
  {
    size_t i;
    json_t *node, *nodes = all_nodes(state);
    json_array_foreach(nodes, i, node) unlink(node_str(node, "pid_file"));
    json_decref(nodes);
  }
out:
  json_decref(view);
  json_decref(state);
  return rc;
}

static int devnet_status(const char *dir, bool json) {
  json_t *state = zg__devnet_load(dir);
  if (!state) return 1;
  json_t *view = live_view(state);
  if (json)
    print_json(view);
  else
    print_text(view, false);
  json_decref(view);
  json_decref(state);
  return 0;
}

/* The index of node name in nodes (all_nodes), or -1 (with an error). */
static long find_node(const json_t *nodes, const char *name) {
  size_t i;
  json_t *node;
  json_array_foreach(nodes, i, node) if (strcmp(node_str(node, "name"), name) == 0) return (long)i;
  fprintf(stderr, "zg devnet: no node named '%s' in this devnet\n", name);
  return -1;
}

static int devnet_start(const char *dir, const char *name, double timeout) {
  json_t *state = zg__devnet_load(dir);
  if (!state) return 1;
  json_t *nodes = all_nodes(state), *node;
  bool want[MAX_NODES] = {0};
  int rc = 1;
  size_t i;
  long only = name ? find_node(nodes, name) : -1;
  if (name && only < 0) goto out;
  json_array_foreach(nodes, i, node) {
    if (i >= MAX_NODES || (only >= 0 && (long)i != only)) continue;
    if (zg__devnet_node_pid(node)) {
      if (name) fprintf(stderr, "zg devnet: %s is already running\n", name);
      continue;
    }
    if (spawn_node(node) < 0) goto out;
    want[i] = true;
  }
  /* A restarted node is up once it answers and (a validator) has a block
   * (its own store or caught up); whether it keeps up is the caller's
   * question. */
  if (!wait_nodes(nodes, want, 1, timeout)) goto out;
  rc = 0;
out:
  json_decref(nodes);
  json_decref(state);
  return rc;
}

static int devnet_stop(const char *dir, const char *name, bool hard, double grace) {
  json_t *state = zg__devnet_load(dir);
  if (!state) return 1;
  int rc = 1;
  json_t *nodes = all_nodes(state);
  long i = find_node(nodes, name);
  if (i >= 0) {
    json_t *node = json_array_get(nodes, (size_t)i);
    pid_t pid = zg__devnet_node_pid(node);
    if (!pid) {
      fprintf(stderr, "zg devnet: %s is not running\n", name);
      rc = 0;
    } else if (stop_pid(pid, node_str(node, "config"), grace, hard)) {
      unlink(node_str(node, "pid_file"));
      rc = 0;
    }
  }
  json_decref(nodes);
  json_decref(state);
  return rc;
}

/* `zg devnet --help` and `zg devnet up --help`. */
static int devnet_help(void) {
  printf("usage:\n"
         "  zg devnet up --dir DIR [--validators N (4)] [--lanes K (1)] [--accounts M per lane (8)]\n"
         "               [--base-port P] [--chain-id ID (16888)] [--epoch-length E (100)] [--block-time T (200ms)]\n"
         "               [--timeout SECONDS (120)] [--no-start] [--set KEY=VALUE]... [--json]\n"
         "               [--storage N (0)] [--shards S (1)] [--miners] [--da-signers N (0)]\n"
         "  zg devnet status --dir DIR [--json]\n"
         "  zg devnet down --dir DIR [--grace SECONDS]\n"
         "  zg devnet start --dir DIR [--node NAME] [--timeout SECONDS]\n"
         "  zg devnet stop --dir DIR --node NAME [--kill] [--grace SECONDS]\n"
         "--storage N: N storage nodes s0..s<N-1> following the chain, node j on shard j mod S;\n"
         "--miners: each storage node mines with a funded lane-0 key (its beneficiary in --json).\n"
         "--da-signers N: N DA signer nodes following the chain (docs/da-node.md).\n"
         "see docs/devnet.md\n");
  return 0;
}

int zg__cli_devnet(int argc, char **argv) {
  if (argc < 2) return zg__cli_usage_error("devnet", "missing subcommand (up, status, down, start, stop)");
  const char *sub = argv[1];
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return devnet_help();
  if (strcmp(sub, "up") == 0) return devnet_up(argc, argv);
  const char *dir = NULL, *name = NULL;
  bool json = false, hard = false;
  double grace = 10, timeout = 120;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--json") == 0) {
      json = true;
    } else if (strcmp(a, "--kill") == 0) {
      hard = true;
    } else if (strcmp(a, "--dir") == 0 && val) {
      dir = val, i++;
    } else if (strcmp(a, "--node") == 0 && val) {
      name = val, i++;
    } else if (strcmp(a, "--grace") == 0 && val) {
      if (!parse_seconds(val, &grace)) return zg__cli_usage_error("devnet", "--grace wants seconds > 0");
      i++;
    } else if (strcmp(a, "--timeout") == 0 && val) {
      if (!parse_seconds(val, &timeout)) return zg__cli_usage_error("devnet", "--timeout wants seconds > 0");
      i++;
    } else {
      return zg__cli_usage_error("devnet", "unknown argument '%s'", a);
    }
  }
  if (!dir) return zg__cli_usage_error("devnet", "%s: missing --dir DIR", sub);
  if (strcmp(sub, "status") == 0) return devnet_status(dir, json);
  if (strcmp(sub, "start") == 0) return devnet_start(dir, name, timeout);
  if (strcmp(sub, "stop") == 0) {
    if (!name) return zg__cli_usage_error("devnet", "stop: missing --node NAME (zg devnet down stops all)");
    return devnet_stop(dir, name, hard, grace);
  }
  if (strcmp(sub, "down") == 0) {
    json_t *state = zg__devnet_load(dir);
    if (!state) return 1;
    bool ok = stop_all(state, grace);
    json_decref(state);
    if (ok && !json) printf("devnet %s stopped\n", dir);
    return ok ? 0 : 1;
  }
  return zg__cli_usage_error("devnet", "unknown subcommand '%s' (up, status, down, start, stop)", sub);
}

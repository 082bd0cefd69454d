/*
 * cli_transfer.c — `zg upload` and `zg download`: files to and from storage
 * nodes over their zgs_ JSON-RPC.
 *
 *   zg upload FILE --node URL[,URL...] [--jobs N] [--json]
 *             [--chain URL (--key 0xHEX | --key-file PATH)]
 *   zg download ROOT OUT --node URL[,URL...] [--jobs N] [--json]
 *
 * upload: streams FILE once through the file-root builder (keeping only the
 * segment roots: 32 bytes per 256 KiB) and builds the segment-root tree for
 * proofs; asks each node for its shard config and whether it knows the file;
 * submits the entry: with --chain, through the chain (Flow.submit signed
 * with the funded key, value = Market.pricePerSector() x the nodes' sectors,
 * sent with eth_sendRawTransaction; the nodes, which follow the chain, then
 * learn it from the Submit event and are polled until they all know it);
 * without --chain, the DEV-ONLY path: admin_submitLogEntry on every node
 * that does not know it (nodes acting as their own chain; all nodes must
 * agree on txSeq and startPos). Then it uploads, in
 * batches of 4 segments on N worker threads, each segment to the nodes whose
 * shard holds it, skipping segments a node already has (probed with a
 * one-chunk zgs_downloadSegmentByTxSeq when the node reports some), so an
 * interrupted upload resumes. Memory: N x 4 segments plus the root list.
 *
 * download: reads the file info, fetches every segment with its proof from
 * a node whose shard holds it, verifies the proof against ROOT before
 * writing it at its offset, and strips the padding. A node that serves a
 * bad proof or bad data is skipped for the rest of the run. Progress is kept
 * in OUT.zgpart (root, size, a bitmap of written segments, synced after the
 * data), so a rerun resumes a partial OUT; the sidecar is removed at the end.
 *
 * Progress: a bar (bytes, MB/s, ETA) on a terminal, plain lines otherwise,
 * on stderr. Results on stdout ("root 0x... txSeq N", or JSON with --json).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "zg/log.h"
#include "zg/jsonrpc.h"
#include "zg/merkle.h"
#include "zg/rpc_client.h"
#include "zg/abi.h"
#include "zg/storage_contracts.h"
#include "zg/tx.h"

#define MAX_NODES 16
#define BATCH 16
#define TIMEOUT_MS 120000

typedef struct {
  char url[256];
  uint32_t shard_id, num_shard;
  _Atomic bool bad;
  _Atomic uint32_t batch_cap; /* segments per request; lowered when the node says a body is too large */
} node_t;

static int parse_nodes(const char *verb, node_t *nodes, size_t *n, const char *list) {
  *n = 0;
  const char *p = list;
  while (*p) {
    const char *c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    if (len == 0 || len >= sizeof nodes[0].url) return zg__cli_usage_error(verb, "bad node URL in '%s'", list);
    if (*n == MAX_NODES) return zg__cli_usage_error(verb, "at most %d nodes", MAX_NODES);
    memcpy(nodes[*n].url, p, len);
    nodes[*n].url[len] = '\0';
    (*n)++;
    p += len + (c ? 1 : 0);
  }
  return *n ? 0 : zg__cli_usage_error(verb, "--node needs at least one URL");
}

/* One call with a fresh client (start-up calls); prints failures. */
static zg_err_t call_once(const node_t *nd, json_t **res, const char *method, json_t *params) {
  zg_rpc_client_t *c;
  zg_rpc_error_t re;
  zg_err_t e = zg_rpc_client_create(&c, nd->url, TIMEOUT_MS);
  if (e != ZG_OK) {
    json_decref(params);
    return e;
  }
  e = zg_rpc_client_call(c, res, &re, method, params);
  if (e != ZG_OK) fprintf(stderr, "zg: %s %s: %s\n", nd->url, method, re.message);
  zg_rpc_client_destroy(c);
  return e;
}

/* Reads every node's shard. A node that cannot be reached is marked bad
 * (it holds nothing for this run: its replicas serve instead); at least one
 * node must answer. */
static zg_err_t shard_configs(node_t *nodes, size_t n) {
  size_t up = 0;
  for (size_t i = 0; i < n; i++) {
    json_t *r = NULL;
    zg_err_t e = call_once(&nodes[i], &r, "zgs_getShardConfig", json_array());
    if (e == ZG_EIO || e == ZG_ETIMEOUT) {
      fprintf(stderr, "zg: %s is down; going on with the others\n", nodes[i].url);
      atomic_store(&nodes[i].bad, true);
      nodes[i].shard_id = UINT32_MAX;
      nodes[i].num_shard = 1;
      continue;
    }
    if (e != ZG_OK) return e;
    up++;
    json_int_t id = json_integer_value(json_object_get(r, "shardId"));
    json_int_t num = json_integer_value(json_object_get(r, "numShard"));
    json_decref(r);
    if (num <= 0 || (num & (num - 1)) || id < 0 || id >= num) {
      fprintf(stderr, "zg: %s: bad shard config\n", nodes[i].url);
      return ZG_EJSON;
    }
    nodes[i].shard_id = (uint32_t)id;
    nodes[i].num_shard = (uint32_t)num;
  }
  return up ? ZG_OK : ZG_EIO;
}

static bool holds(const node_t *nd, uint64_t flow_seg) { return flow_seg % nd->num_shard == nd->shard_id; }

/* ---- Progress ---- */

typedef struct {
  const char *what;
  uint64_t total;
  _Atomic uint64_t done;
  uint64_t t0, last;
  bool tty;
  pthread_mutex_t mu;
} progress_t;

static void progress_init(progress_t *p, const char *what, uint64_t total) {
  memset(p, 0, sizeof *p);
  p->what = what;
  p->total = total;
  p->t0 = p->last = zg_clock_ns();
  p->tty = isatty(2);
  pthread_mutex_init(&p->mu, NULL);
}

static void progress_print(progress_t *p, bool final) {
  uint64_t now = zg_clock_ns(), done = atomic_load(&p->done);
  double secs = (double)(now - p->t0) / 1e9, mbs = secs > 0 ? (double)done / 1e6 / secs : 0;
  double pct = p->total ? 100.0 * (double)done / (double)p->total : 100;
  double eta = mbs > 0 ? (double)(p->total - done) / 1e6 / mbs : 0;
  if (p->tty) {
    char bar[31];
    int fill = (int)(pct * 30 / 100);
    for (int i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r%s [%s] %5.1f%% %.1f/%.1f MB %.1f MB/s ETA %.0fs   %s", p->what, bar, pct, (double)done / 1e6,
            (double)p->total / 1e6, mbs, eta, final ? "\n" : "");
  } else {
    fprintf(stderr, "%s: %.1f%% %" PRIu64 "/%" PRIu64 " bytes %.1f MB/s ETA %.0fs\n", p->what, pct, done, p->total,
            mbs, eta);
  }
  fflush(stderr);
}

static void progress_add(progress_t *p, uint64_t n) {
  atomic_fetch_add(&p->done, n);
  uint64_t now = zg_clock_ns();
  uint64_t every = p->tty ? 200000000ull : 2000000000ull;
  if (now - p->last < every) return;
  pthread_mutex_lock(&p->mu);
  if (now - p->last >= every) {
    p->last = now;
    progress_print(p, false);
  }
  pthread_mutex_unlock(&p->mu);
}

/* ---- Upload ---- */

typedef struct {
  zg_buf_t roots;
  zg_err_t err;
} roots_t;

static void on_segment(void *arg, uint64_t index, const uint8_t root[32]) {
  roots_t *r = arg;
  if (r->err == ZG_OK) r->err = zg_buf_append(&r->roots, root, 32);
}

/* Segment roots of the file's whole segments, hashed on several threads:
 * each claims ROOT_STEP segments at a time, preads them into its own buffer
 * and writes their roots at their index. */
#define ROOT_STEP 4

typedef struct {
  int fd;
  uint64_t nfull; /* whole 256 KiB segments */
  uint8_t (*roots)[32];
  _Atomic uint64_t next;
  _Atomic int err;
} root_pool_t;

static void *root_worker(void *arg) {
  root_pool_t *p = arg;
  uint8_t *buf = malloc((size_t)ROOT_STEP * ZG_SEGMENT_BYTES);
  if (!buf) atomic_store(&p->err, ZG_ENOMEM);
  while (buf && atomic_load(&p->err) == ZG_OK) {
    uint64_t first = atomic_fetch_add(&p->next, ROOT_STEP);
    if (first >= p->nfull) break;
    uint64_t n = p->nfull - first < ROOT_STEP ? p->nfull - first : ROOT_STEP;
    size_t want = (size_t)n * ZG_SEGMENT_BYTES, got = 0;
    while (got < want) {
      ssize_t r = pread(p->fd, buf + got, want - got, (off_t)(first * ZG_SEGMENT_BYTES + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      got += (size_t)r;
    }
    if (got < want) {
      atomic_store(&p->err, ZG_EIO);
      break;
    }
    for (uint64_t k = 0; k < n; k++)
      if (zg_merkle_segment_root(p->roots[first + k], buf + k * ZG_SEGMENT_BYTES, ZG_SEGMENT_BYTES, 0) != ZG_OK)
        atomic_store(&p->err, ZG_EINVAL);
  }
  free(buf);
  return NULL;
}

/* The file root and every segment root. The whole segments are hashed on up
 * to `threads` threads (segment roots are independent), then fed in order to
 * the streaming builder by their roots, and the tail (under one segment) as
 * bytes: the same result as streaming every byte through the builder. */
static zg_err_t file_roots(int fd, unsigned threads, zg_file_root_t *out, roots_t *roots) {
  struct stat stt;
  if (fstat(fd, &stt) != 0 || stt.st_size < 0) return ZG_EIO;
  uint64_t size = (uint64_t)stt.st_size;
  root_pool_t pool = {.fd = fd, .nfull = size / ZG_SEGMENT_BYTES};
  zg_file_merkle_t *b = malloc(sizeof *b);
  uint8_t *tail = malloc(ZG_SEGMENT_BYTES);
  pool.roots = malloc((size_t)(pool.nfull ? pool.nfull : 1) * 32);
  zg_err_t e = ZG_ENOMEM;
  if (!b || !tail || !pool.roots) goto out;
  atomic_init(&pool.next, 0);
  atomic_init(&pool.err, ZG_OK);
  pthread_t th[16];
  unsigned nth = 0;
  if (threads > 16) threads = 16;
  for (unsigned k = 1; k < threads && pool.nfull > k * ROOT_STEP; k++)
    if (pthread_create(&th[nth], NULL, root_worker, &pool) == 0) nth++;
  root_worker(&pool); /* this thread takes its share too */
  for (unsigned k = 0; k < nth; k++) pthread_join(th[k], NULL);
  if ((e = (zg_err_t)atomic_load(&pool.err)) != ZG_OK) goto out;
  zg_file_merkle_init(b, on_segment, roots);
  for (uint64_t i = 0; i < pool.nfull && e == ZG_OK; i++) e = zg_file_merkle_update_segment(b, pool.roots[i]);
  size_t rest = (size_t)(size - pool.nfull * ZG_SEGMENT_BYTES), got = 0;
  while (e == ZG_OK && got < rest) {
    ssize_t r = pread(fd, tail + got, rest - got, (off_t)(pool.nfull * ZG_SEGMENT_BYTES + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) e = ZG_EIO;
    else got += (size_t)r;
  }
  if (e == ZG_OK) e = zg_file_merkle_update(b, tail, rest);
  if (e == ZG_OK) e = zg_file_merkle_final(b, out);
  if (e == ZG_OK) e = roots->err;
out:
  free(pool.roots);
  free(tail);
  free(b);
  return e;
}

typedef struct {
  uint32_t node;
  uint32_t n;
  uint64_t seg[BATCH];
} job_t;

typedef struct {
  int fd;
  const zg_file_root_t *fr;
  const zg_merkle_tree_t *tree;
  node_t *nodes;
  size_t nnodes;
  uint64_t seq;
  job_t *jobs;
  size_t njobs;
  _Atomic size_t next;
  _Atomic int failed;
  progress_t prog;
} upload_t;

/* Appends the printf-formatted text to b. */
static zg_err_t buf_printf(zg_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static zg_err_t buf_printf(zg_buf_t *b, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof tmp) return ZG_EINVAL;
  return zg_buf_append(b, tmp, (size_t)n);
}

/* Appends {"root":..,"data":"<base64>","index":..,"proof":..,"fileSize":..}
 * for segment i: read from the file into buf, encoded straight into body. */
static zg_err_t segment_json(upload_t *u, zg_buf_t *body, uint64_t i, const char *roothex, uint8_t *buf,
                             zg_merkle_proof_t *proof, uint64_t *real_out) {
  size_t len;
  ZG_TRY(zg_segment_data_len(&len, &u->fr->layout, i));
  uint64_t off = i * (uint64_t)ZG_SEGMENT_BYTES;
  size_t real = u->fr->layout.size - off < len ? (size_t)(u->fr->layout.size - off) : len;
  if (real < len) memset(buf + real, 0, len - real);
  for (size_t got = 0; got < real;) {
    ssize_t r = pread(u->fd, buf + got, real - got, (off_t)(off + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return ZG_EIO;
    got += (size_t)r;
  }
  ZG_TRY(zg_merkle_tree_proof(proof, u->tree, i));
  ZG_TRY(buf_printf(body, "{\"root\":\"%s\",\"data\":\"", roothex));
  size_t n64 = zg_base64_encoded_len(len);
  ZG_TRY(zg_buf_reserve(body, n64 + 1));
  body->len += zg_base64_encode((char *)body->ptr + body->len, buf, len);
  ZG_TRY(buf_printf(body, "\",\"index\":%" PRIu64 ",\"proof\":", i));
  ZG_TRY(zg_merkle_proof_to_json(body, proof));
  ZG_TRY(buf_printf(body, ",\"fileSize\":%" PRIu64 "}", u->fr->layout.size));
  *real_out = real;
  return ZG_OK;
}

/* Sends segments seg[0..n) of job j as zgs_uploadSegmentsByTxSeq calls of
 * at most the node's batch_cap segments. The request is written straight
 * into body (reused across calls: no jansson values, no per-call allocation
 * once it has grown to a batch). A node whose body limit is below a batch
 * answers ZG_RPC_TOO_LARGE: the batch is split in halves and the node's cap
 * lowered for the rest of the run. */
static zg_err_t upload_segs(upload_t *u, zg_rpc_client_t *c, const job_t *j, const uint64_t *seg, uint32_t n,
                            zg_buf_t *body, uint8_t *buf, zg_merkle_proof_t *proof) {
  node_t *nd = &u->nodes[j->node];
  uint32_t cap = atomic_load(&nd->batch_cap);
  if (cap == 0) cap = 1;
  if (n > cap) {
    for (uint32_t k = 0; k < n; k += cap)
      ZG_TRY(upload_segs(u, c, j, seg + k, n - k < cap ? n - k : cap, body, buf, proof));
    return ZG_OK;
  }
  uint64_t bytes = 0;
  char hex[67];
  zg_hex_encode(hex, u->fr->root, 32);
  body->len = 0;
  zg_err_t e = buf_printf(body, "{\"jsonrpc\":\"2.0\",\"id\":%" PRIu64 ",\"method\":\"zgs_uploadSegmentsByTxSeq\",\"params\":[[",
                          seg[0]);
  for (uint32_t k = 0; k < n && e == ZG_OK; k++) {
    uint64_t real = 0;
    if (k) e = zg_buf_push(body, ',');
    if (e == ZG_OK) e = segment_json(u, body, seg[k], hex, buf, proof, &real);
    bytes += real;
  }
  if (e == ZG_OK) e = buf_printf(body, "],%" PRIu64 "]}", u->seq);
  if (e != ZG_OK) return e;
  json_t *res = NULL;
  zg_rpc_error_t re;
  for (int attempt = 0; attempt < 3; attempt++) {
    e = zg_rpc_client_call_body(c, &res, &re, body->ptr, body->len);
    json_decref(res);
    if (e == ZG_OK || re.code != 0) break; /* a JSON-RPC refusal is final; transport errors retry */
  }
  if (e != ZG_OK && re.code == ZG_RPC_TOO_LARGE && n > 1) {
    uint32_t half = n / 2, cur = atomic_load(&nd->batch_cap);
    while (cur > half && !atomic_compare_exchange_weak(&nd->batch_cap, &cur, half)) {
    }
    ZG_TRY(upload_segs(u, c, j, seg, half, body, buf, proof));
    return upload_segs(u, c, j, seg + half, n - half, body, buf, proof);
  }
  if (e != ZG_OK) {
    fprintf(stderr, "\nzg upload: %s refused segments %" PRIu64 "..: %s\n", nd->url, seg[0], re.message);
    return e;
  }
  progress_add(&u->prog, bytes);
  return ZG_OK;
}

static zg_err_t upload_job(upload_t *u, zg_rpc_client_t *c, const job_t *j, zg_buf_t *body, uint8_t *buf,
                           zg_merkle_proof_t *proof) {
  return upload_segs(u, c, j, j->seg, j->n, body, buf, proof);
}

static void *upload_worker(void *arg) {
  upload_t *u = arg;
  zg_rpc_client_t *clients[MAX_NODES] = {0};
  uint8_t *buf = malloc(ZG_SEGMENT_BYTES);
  zg_merkle_proof_t *proof = malloc(sizeof *proof);
  zg_buf_t body;
  zg_buf_init(&body);
  if (!buf || !proof) atomic_store(&u->failed, 1);
  for (size_t i = 0; i < u->nnodes && buf && proof; i++)
    if (zg_rpc_client_create(&clients[i], u->nodes[i].url, TIMEOUT_MS) != ZG_OK) atomic_store(&u->failed, 1);
  while (!atomic_load(&u->failed)) {
    size_t k = atomic_fetch_add(&u->next, 1);
    if (k >= u->njobs) break;
    node_t *nd = &u->nodes[u->jobs[k].node];
    if (atomic_load(&nd->bad)) continue;
    if (upload_job(u, clients[u->jobs[k].node], &u->jobs[k], &body, buf, proof) != ZG_OK) {
      /* The node's replicas still get their segments; whether every
       * segment reached a live holder is checked after the run. */
      if (!atomic_exchange(&nd->bad, true))
        fprintf(stderr, "\nzg upload: %s failed; going on with its replicas\n", nd->url);
    }
  }
  for (size_t i = 0; i < u->nnodes; i++) zg_rpc_client_destroy(clients[i]);
  free(body.ptr); /* public file bytes: no wipe */
  free(buf);
  free(proof);
  return NULL;
}

/* ---- Submission through the chain (--chain) ---- */

/* One eth_ call on the chain; *res is a new reference. */
static zg_err_t chain_call(zg_rpc_client_t *c, json_t **res, const char *method, json_t *params) {
  zg_rpc_error_t re;
  zg_err_t e = zg_rpc_client_call(c, res, &re, method, params);
  if (e != ZG_OK) fprintf(stderr, "zg upload: chain %s: %s\n", method, re.message);
  return e;
}

static zg_err_t chain_u256(zg_rpc_client_t *c, zg_u256_t *out, const char *method, json_t *params) {
  json_t *r = NULL;
  zg_err_t e = chain_call(c, &r, method, params);
  const char *s = json_string_value(r);
  if (e == ZG_OK) e = s ? zg_u256_parse(out, s, strlen(s)) : ZG_EJSON;
  json_decref(r);
  return e;
}

static zg_err_t chain_u64(zg_rpc_client_t *c, uint64_t *out, const char *method, json_t *params) {
  zg_u256_t v;
  ZG_TRY(chain_u256(c, &v, method, params));
  uint8_t be[32];
  zg_u256_to_be32(be, &v);
  for (int i = 0; i < 24; i++)
    if (be[i]) return ZG_ERANGE;
  *out = zg_load_be64(be + 24);
  return ZG_OK;
}

/* Reads the key from text (0x + 64 hex digits) or from the first line of a file. */
static zg_err_t load_key(zg_secp256k1_sk_t *sk, const char *text, const char *file) {
  char line[200] = {0};
  if (file) {
    FILE *f = fopen(file, "r");
    if (!f) return ZG_EIO;
    bool ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    if (!ok) return ZG_EINVAL;
    line[strcspn(line, " \r\n\t")] = '\0';
    text = line;
  }
  uint8_t k[32];
  zg_err_t e = text ? zg_hex_decode(k, 32, text, strlen(text)) : ZG_EINVAL;
  if (e == ZG_OK) e = zg_secp256k1_sk_parse(sk, k, 32);
  zg_memwipe(k, sizeof k);
  zg_memwipe(line, sizeof line);
  return e;
}

/* The submissionIndex of the Flow Submit log among a receipt's logs (the
 * first word of its data). */
static zg_err_t submit_index(uint64_t *out, const json_t *logs) {
  uint8_t topic[32];
  char want[67];
  zg_abi_event_topic(topic, ZG_FLOW_EVENT_SUBMIT, strlen(ZG_FLOW_EVENT_SUBMIT));
  zg_hex_encode(want, topic, 32);
  size_t i;
  const json_t *l;
  json_array_foreach(logs, i, l) {
    const char *t0 = json_string_value(json_array_get(json_object_get(l, "topics"), 0));
    const char *data = json_string_value(json_object_get(l, "data"));
    uint8_t w[32];
    if (!t0 || strcasecmp(t0, want) != 0 || !data || strlen(data) < 66 || zg_hex_decode(w, 32, data, 66) != ZG_OK)
      continue;
    *out = zg_load_be64(w + 24);
    return ZG_OK;
  }
  return ZG_ENOTFOUND;
}

/* Sends Flow.submit for fr from the key's account with the market fee and
 * waits (up to 120 s) for its receipt; a reverted submission is an error. */
static zg_err_t chain_submit(const char *url, const zg_secp256k1_sk_t *sk, const zg_file_root_t *fr,
                             const zg_buf_t *tags, uint64_t *sub_seq) {
  zg_rpc_client_t *c = NULL;
  zg_buf_t cd, raw;
  zg_buf_init(&cd);
  zg_buf_init(&raw);
  zg_secp256k1_pk_t pk;
  zg_eth_addr_t from;
  char from_text[43], market[] = ZG_MARKET_ADDRESS_TEXT, flow[] = ZG_FLOW_ADDRESS_TEXT;
  zg_err_t e = zg_rpc_client_create(&c, url, 30000);
  if (e == ZG_OK) e = zg_secp256k1_pubkey(&pk, sk);
  if (e != ZG_OK) goto out;
  zg_eth_address(&from, &pk);
  zg_eth_address_to_text(from_text, &from);
  /* The market's price, the nonce, the chain id and the gas price. */
  uint8_t sel[4];
  char selhex[11];
  zg_abi_selector(sel, "pricePerSector()", strlen("pricePerSector()"));
  zg_hex_encode(selhex, sel, 4);
  zg_u256_t price, fee, gas_price;
  uint64_t nonce, chain_id;
  e = chain_u256(c, &price, "eth_call", json_pack("[{s:s, s:s}, s]", "to", market, "data", selhex, "latest"));
  if (e == ZG_OK) e = zg_flow_fee(&fee, fr->nodes, fr->layout.nnodes, &price);
  if (e == ZG_OK) e = chain_u64(c, &nonce, "eth_getTransactionCount", json_pack("[s, s]", from_text, "pending"));
  if (e == ZG_OK) e = chain_u64(c, &chain_id, "eth_chainId", json_array());
  if (e == ZG_OK) e = chain_u256(c, &gas_price, "eth_gasPrice", json_array());
  if (e == ZG_OK) e = zg_flow_submit_encode(&cd, fr->layout.size, tags ? tags->ptr : NULL, tags ? tags->len : 0, fr->nodes,
                                              fr->layout.nnodes, &from);
  if (e != ZG_OK) goto out;
  zg_tx_t f;
  memset(&f, 0, sizeof f);
  f.type = ZG_TX_LEGACY;
  f.chain_id = chain_id;
  f.nonce = nonce;
  f.gas_price = gas_price;
  f.max_fee = gas_price;
  f.max_priority_fee = gas_price;
  f.has_to = true;
  e = zg_hex_decode(f.to.bytes, 20, flow, strlen(flow));
  f.value = fee;
  f.data = (zg_slice_t){cd.ptr, cd.len};
  /* Ask the chain for the gas; 2M when it cannot estimate. */
  f.gas_limit = 2000000;
  {
    char *cdhex = malloc(2 * cd.len + 3);
    char feeq[ZG_U256_HEX_MAX];
    uint64_t est;
    if (!cdhex) {
      e = ZG_ENOMEM;
      goto out;
    }
    zg_hex_encode(cdhex, cd.ptr, cd.len);
    zg_u256_to_quantity(feeq, &fee);
    json_t *call = json_pack("[{s:s, s:s, s:s, s:s}]", "from", from_text, "to", flow, "value", feeq, "data", cdhex);
    zg_rpc_error_t re;
    json_t *r = NULL;
    if (zg_rpc_client_call(c, &r, &re, "eth_estimateGas", call) == ZG_OK && json_is_string(r)) {
      zg_u256_t g;
      const char *gs = json_string_value(r);
      if (zg_u256_parse(&g, gs, strlen(gs)) == ZG_OK) {
        uint8_t be[32];
        zg_u256_to_be32(be, &g);
        est = zg_load_be64(be + 24);
        if (est > 0 && est < 100000000) f.gas_limit = est + est / 4;
      }
    }
    json_decref(r);
    free(cdhex);
  }
  if (e == ZG_OK) e = zg_tx_sign(&raw, &f, sk);
  if (e != ZG_OK) goto out;
  char *rawhex = malloc(2 * raw.len + 3);
  if (!rawhex) {
    e = ZG_ENOMEM;
    goto out;
  }
  zg_hex_encode(rawhex, raw.ptr, raw.len);
  json_t *r = NULL;
  e = chain_call(c, &r, "eth_sendRawTransaction", json_pack("[s]", rawhex));
  free(rawhex);
  char txh[80] = {0};
  if (e == ZG_OK && json_is_string(r)) snprintf(txh, sizeof txh, "%s", json_string_value(r));
  json_decref(r);
  if (e != ZG_OK) goto out;
  char feed[ZG_U256_DEC_MAX];
  zg_u256_to_dec(feed, &fee);
  fprintf(stderr, "zg upload: Flow.submit %s from %s (fee %s neuron)\n", txh, from_text, feed);
  e = ZG_ETIMEOUT;
  for (int i = 0; i < 1200; i++) {
    r = NULL;
    if (chain_call(c, &r, "eth_getTransactionReceipt", json_pack("[s]", txh)) == ZG_OK && json_is_object(r)) {
      const char *st = json_string_value(json_object_get(r, "status"));
      e = st && strcmp(st, "0x1") == 0 ? ZG_OK : ZG_EREVERT;
      if (e != ZG_OK) fprintf(stderr, "zg upload: Flow.submit %s reverted\n", txh);
      if (e == ZG_OK && sub_seq) e = submit_index(sub_seq, json_object_get(r, "logs"));
      json_decref(r);
      break;
    }
    json_decref(r);
    usleep(100000);
  }
out:
  zg_buf_clear(&cd);
  zg_buf_clear(&raw);
  zg_rpc_client_destroy(c);
  return e;
}

/* With a chain: waits (up to 120 s) until every node has learnt the entry
 * from the chain. */
static zg_err_t wait_known(node_t *nodes, size_t n, const char *hex, uint64_t size) {
  for (size_t i = 0; i < n; i++) {
    if (atomic_load(&nodes[i].bad)) continue;
    bool known = false;
    for (int k = 0; k < 1200 && !known; k++) {
      json_t *r = NULL;
      ZG_TRY(call_once(&nodes[i], &r, "zgs_getFileInfo", json_pack("[s]", hex)));
      json_t *tx = json_object_get(r, "tx");
      known = tx && (uint64_t)json_integer_value(json_object_get(tx, "size")) == size;
      json_decref(r);
      if (!known) usleep(100000);
    }
    if (!known) {
      fprintf(stderr, "zg upload: %s has not seen the submission after 120 s (does it follow this chain?)\n",
              nodes[i].url);
      return ZG_ETIMEOUT;
    }
  }
  return ZG_OK;
}

/* Waits (up to 120 s) until every live node knows tx sub; sets seq and
 * start from it. */
static zg_err_t wait_seq(node_t *nodes, size_t n, uint64_t sub, uint64_t *seq, uint64_t *start) {
  for (size_t i = 0; i < n; i++) {
    json_t *tx = NULL;
    for (int k = 0; k < 1200 && !atomic_load(&nodes[i].bad); k++) {
      json_t *r = NULL;
      ZG_TRY(call_once(&nodes[i], &r, "zgs_getFileInfoByTxSeq", json_pack("[I]", (json_int_t)sub)));
      tx = json_object_get(r, "tx");
      if (tx) *start = (uint64_t)json_integer_value(json_object_get(tx, "startEntryIndex"));
      json_decref(r);
      if (tx) break;
      usleep(100000);
    }
    if (!tx && !atomic_load(&nodes[i].bad)) return ZG_ETIMEOUT;
  }
  *seq = sub;
  return ZG_OK;
}

/* Makes every node know the entry; sets seq and start. With chain (NULL:
 * the dev-only path) the entry is submitted there when the first node does
 * not know it yet. */
static zg_err_t ensure_entry(node_t *nodes, size_t n, const zg_file_root_t *fr, uint64_t *seq, uint64_t *start,
                             bool *finalized, uint64_t *uploaded, const char *chain, const zg_secp256k1_sk_t *sk,
                             const zg_buf_t *tags) {
  uint64_t sub = UINT64_MAX;
  char hex[67];
  zg_hex_encode(hex, fr->root, 32);
  size_t first = 0;
  while (first + 1 < n && atomic_load(&nodes[first].bad)) first++;
  if (chain) {
    json_t *r = NULL;
    ZG_TRY(call_once(&nodes[first], &r, "zgs_getFileInfo", json_pack("[s]", hex)));
    json_t *tx = json_object_get(r, "tx");
    bool known = tx && (uint64_t)json_integer_value(json_object_get(tx, "size")) == fr->layout.size;
    json_decref(r);
    /* A tagged submission (a KV write) is a new log entry even for bytes
     * the log already holds: submit it always and use its own seq. */
    if (!known || tags) ZG_TRY(chain_submit(chain, sk, fr, tags, tags ? &sub : NULL));
    ZG_TRY(wait_known(nodes, n, hex, fr->layout.size));
  }
  for (size_t i = 0; i < n; i++) {
    if (atomic_load(&nodes[i].bad)) {
      finalized[i] = true; /* nothing to send it */
      uploaded[i] = 0;
      continue;
    }
    json_t *r = NULL;
    ZG_TRY(call_once(&nodes[i], &r, "zgs_getFileInfo", json_pack("[s]", hex)));
    uint64_t s, p;
    json_t *tx = json_object_get(r, "tx");
    if (tx && (uint64_t)json_integer_value(json_object_get(tx, "size")) == fr->layout.size) {
      s = (uint64_t)json_integer_value(json_object_get(tx, "seq"));
      p = (uint64_t)json_integer_value(json_object_get(tx, "startEntryIndex"));
      finalized[i] = json_is_true(json_object_get(r, "finalized"));
      uploaded[i] = (uint64_t)json_integer_value(json_object_get(r, "uploadedSegNum"));
      json_decref(r);
    } else {
      json_decref(r);
      json_t *nodesj = json_array();
      for (uint32_t k = 0; k < fr->layout.nnodes; k++) {
        char nh[67];
        zg_hex_encode(nh, fr->nodes[k].root, 32);
        json_array_append_new(nodesj, json_pack("{s:s, s:i}", "root", nh, "height", (int)fr->nodes[k].height));
      }
      r = NULL;
      ZG_TRY(call_once(&nodes[i], &r, "admin_submitLogEntry",
                       json_pack("[{s:I, s:o}]", "size", (json_int_t)fr->layout.size, "nodes", nodesj)));
      s = (uint64_t)json_integer_value(json_object_get(r, "txSeq"));
      p = (uint64_t)json_integer_value(json_object_get(r, "startPos"));
      finalized[i] = false;
      uploaded[i] = 0;
      json_decref(r);
    }
    if (i > first && (s != *seq || p != *start)) {
      fprintf(stderr,
              "zg upload: nodes disagree on the log entry (%s: txSeq %" PRIu64 " startPos %" PRIu64 ", %s: txSeq %" PRIu64
              " startPos %" PRIu64 "); in dev mode give every node the same submissions\n",
              nodes[0].url, *seq, *start, nodes[i].url, s, p);
      return ZG_ESTATE;
    }
    *seq = s;
    *start = p;
  }
  return sub == UINT64_MAX ? ZG_OK : wait_seq(nodes, n, sub, seq, start);
}

/* True when node nd already has segment i of tx seq (a one-chunk read). */
static bool has_segment(zg_rpc_client_t *c, uint64_t seq, uint64_t i) {
  json_t *r = NULL;
  zg_err_t e = zg_rpc_client_call(c, &r, NULL, "zgs_downloadSegmentByTxSeq",
                                  json_pack("[I, I, I]", (json_int_t)seq, (json_int_t)(i * ZG_SECTORS_PER_SEGMENT),
                                            (json_int_t)(i * ZG_SECTORS_PER_SEGMENT + 1)));
  bool has = e == ZG_OK && json_is_string(r);
  json_decref(r);
  return has;
}

static int job_cmp(const void *a, const void *b) {
  const job_t *x = a, *y = b;
  if (x->seg[0] != y->seg[0]) return x->seg[0] < y->seg[0] ? -1 : 1;
  return x->node < y->node ? -1 : x->node > y->node;
}

static zg_err_t plan_jobs(upload_t *u, uint64_t start, const bool *finalized, const uint64_t *uploaded,
                          uint64_t *skipped) {
  uint64_t d = u->fr->layout.data_segments, s0 = start / ZG_SECTORS_PER_SEGMENT;
  *skipped = 0;
  u->jobs = calloc(d * u->nnodes / 1 + 1, sizeof *u->jobs);
  if (!u->jobs) return ZG_ENOMEM;
  for (size_t ni = 0; ni < u->nnodes; ni++) {
    zg_rpc_client_t *c = NULL;
    if (uploaded[ni] && !finalized[ni]) ZG_TRY(zg_rpc_client_create(&c, u->nodes[ni].url, TIMEOUT_MS));
    job_t *j = NULL;
    for (uint64_t i = 0; i < d; i++) {
      if (!holds(&u->nodes[ni], s0 + i)) continue;
      if (finalized[ni] || (c && has_segment(c, u->seq, i))) {
        (*skipped)++;
        continue;
      }
      if (!j || j->n == BATCH) {
        j = &u->jobs[u->njobs++];
        j->node = (uint32_t)ni;
      }
      j->seg[j->n++] = i;
    }
    zg_rpc_client_destroy(c);
  }
  for (uint64_t i = 0; i < d; i++) {
    bool any = false;
    for (size_t ni = 0; ni < u->nnodes; ni++) any |= holds(&u->nodes[ni], s0 + i);
    if (!any) {
      fprintf(stderr, "zg upload: no given node holds the shard of segment %" PRIu64 "\n", i);
      return ZG_ERANGE;
    }
  }
  /* Jobs were planned node by node; in file order instead, the workers keep
   * every node busy at once rather than one node after the other. */
  qsort(u->jobs, u->njobs, sizeof *u->jobs, job_cmp);
  return ZG_OK;
}

static int parse_common(const char *verb, int argc, char **argv, const char **pos, int npos, const char **nodes,
                        unsigned *jobs, bool *json) {
  int got = 0;
  *nodes = NULL;
  *jobs = 4;
  *json = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--node") == 0 && i + 1 < argc) {
      *nodes = argv[++i];
    } else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) {
      char *end;
      unsigned long v = strtoul(argv[++i], &end, 10);
      if (*end || v == 0 || v > 64) return zg__cli_usage_error(verb, "--jobs takes 1..64");
      *jobs = (unsigned)v;
    } else if (strcmp(argv[i], "--json") == 0) {
      *json = true;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      return zg__cli_usage_error(verb, "unknown flag '%s'", argv[i]);
    } else if (got < npos) {
      pos[got++] = argv[i];
    } else {
      return zg__cli_usage_error(verb, "unexpected argument '%s'", argv[i]);
    }
  }
  if (got < npos) return zg__cli_usage_error(verb, "missing arguments");
  if (!*nodes) return zg__cli_usage_error(verb, "missing --node URL[,URL...]");
  return 0;
}

/* Threads for the file-root pass: the online CPUs, at most 8. */
static unsigned hash_threads(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

int zg__cli_upload(int argc, char **argv) {
  const char *pos[1], *nodelist, *chain = NULL, *key = NULL, *key_file = NULL, *tags_hex = NULL;
  unsigned jobs;
  bool json;
  /* Take the chain flags out; the rest is common with download. */
  char *rest[256];
  int nrest = 0;
  for (int i = 0; i < argc && nrest < 256; i++) {
    if (i > 0 && i + 1 < argc && strcmp(argv[i], "--chain") == 0) {
      chain = argv[++i];
    } else if (i > 0 && i + 1 < argc && strcmp(argv[i], "--key") == 0) {
      key = argv[++i];
    } else if (i > 0 && i + 1 < argc && strcmp(argv[i], "--tags") == 0) {
      tags_hex = argv[++i];
    } else if (i > 0 && i + 1 < argc && strcmp(argv[i], "--key-file") == 0) {
      key_file = argv[++i];
    } else {
      rest[nrest++] = argv[i];
    }
  }
  int rc = parse_common("upload", nrest, rest, pos, 1, &nodelist, &jobs, &json);
  if (rc) return rc;
  zg_secp256k1_sk_t sk;
  memset(&sk, 0, sizeof sk);
  if ((key || key_file || tags_hex) && !chain)
    return zg__cli_usage_error("upload", "--key/--key-file/--tags need --chain URL");
  /* --tags 0x..: the submission's tags (a KV write's StreamDomain ‖ stream ids, docs/kv.md). */
  zg_buf_t tags;
  zg_buf_init(&tags);
  if (tags_hex && (zg_hex_decode_buf(&tags, tags_hex, strlen(tags_hex)) != ZG_OK || tags.len == 0)) {
    zg_buf_clear(&tags);
    return zg__cli_usage_error("upload", "--tags takes 0x + hex bytes");
  }
  if (chain && load_key(&sk, key, key_file) != ZG_OK)
    return zg__cli_usage_error("upload", "--chain needs --key 0x<64 hex> or --key-file PATH holding one");
  node_t nodes[MAX_NODES];
  size_t nn;
  memset(nodes, 0, sizeof nodes);
  if ((rc = parse_nodes("upload", nodes, &nn, nodelist))) return rc;
  for (size_t k = 0; k < nn; k++) atomic_init(&nodes[k].batch_cap, BATCH);
  int fd = open(pos[0], O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "zg upload: %s: %s\n", pos[0], strerror(errno));
    return 1;
  }
  rc = 1;
  roots_t roots = {{0}, ZG_OK};
  zg_file_root_t fr;
  zg_merkle_tree_t *tree = NULL;
  upload_t *u = calloc(1, sizeof *u);
  uint64_t t0 = zg_clock_ns();
  zg_err_t e = u ? file_roots(fd, hash_threads(), &fr, &roots) : ZG_ENOMEM;
  if (e != ZG_OK) {
    fprintf(stderr, "zg upload: %s: %s\n", pos[0], e == ZG_EINVAL ? "empty files cannot be stored" : zg_strerror(e));
    goto out;
  }
  e = zg_merkle_tree_create(&tree, (const uint8_t (*)[32])roots.roots.ptr, fr.layout.segments);
  if (e == ZG_OK) e = shard_configs(nodes, nn);
  bool finalized[MAX_NODES];
  uint64_t uploaded[MAX_NODES], start = 0, skipped = 0;
  *u = (upload_t){.fd = fd, .fr = &fr, .tree = tree, .nodes = nodes, .nnodes = nn};
  if (e == ZG_OK) e = ensure_entry(nodes, nn, &fr, &u->seq, &start, finalized, uploaded, chain, &sk,
                                   tags.len ? &tags : NULL);
  if (e == ZG_OK) e = plan_jobs(u, start, finalized, uploaded, &skipped);
  if (e != ZG_OK) goto out;
  uint64_t total = 0;
  for (size_t k = 0; k < u->njobs; k++)
    for (uint32_t m = 0; m < u->jobs[k].n; m++) {
      uint64_t off = u->jobs[k].seg[m] * (uint64_t)ZG_SEGMENT_BYTES, rem = fr.layout.size - off;
      total += rem < ZG_SEGMENT_BYTES ? rem : ZG_SEGMENT_BYTES;
    }
  progress_init(&u->prog, "upload", total);
  pthread_t th[64];
  unsigned nth = jobs;
  for (unsigned k = 0; k < nth; k++) pthread_create(&th[k], NULL, upload_worker, u);
  for (unsigned k = 0; k < nth; k++) pthread_join(th[k], NULL);
  if (atomic_load(&u->failed)) goto out;
  for (uint64_t i = 0; i < fr.layout.data_segments; i++) {
    bool live = false;
    for (size_t k = 0; k < nn && !live; k++)
      live = !atomic_load(&nodes[k].bad) && holds(&nodes[k], start / ZG_SECTORS_PER_SEGMENT + i);
    if (!live) {
      fprintf(stderr, "zg upload: segment %" PRIu64 " reached no live node of its shard\n", i);
      goto out;
    }
  }
  progress_print(&u->prog, true);
  double secs = (double)(zg_clock_ns() - t0) / 1e9;
  char hex[67];
  zg_hex_encode(hex, fr.root, 32);
  if (json)
    printf("{\"root\":\"%s\",\"txSeq\":%" PRIu64 ",\"size\":%" PRIu64 ",\"segments\":%" PRIu64
           ",\"uploadedBytes\":%" PRIu64 ",\"skippedSegments\":%" PRIu64 ",\"seconds\":%.3f}\n",
           hex, u->seq, fr.layout.size, fr.layout.data_segments, total, skipped, secs);
  else
    printf("root %s txSeq %" PRIu64 " (%" PRIu64 " bytes, %" PRIu64 " segments, %" PRIu64 " skipped, %.2f s)\n", hex,
           u->seq, fr.layout.size, fr.layout.data_segments, skipped, secs);
  rc = 0;
out:
  if (rc && e != ZG_OK) fprintf(stderr, "zg upload: failed: %s\n", zg_strerror(e));
  else if (rc) fprintf(stderr, "zg upload: failed\n");
  if (u) free(u->jobs);
  free(u);
  zg_merkle_tree_destroy(tree);
  free(roots.roots.ptr);
  close(fd);
  zg_buf_clear(&tags);
  zg_memwipe(&sk, sizeof sk);
  return rc;
}

/* ---- Download ---- */

typedef struct {
  int fd, side;
  uint8_t root[32];
  char roothex[67];
  zg_file_layout_t lay;
  uint64_t s0; /* first flow segment */
  node_t *nodes;
  size_t nnodes;
  uint8_t *bitmap;
  size_t bitmap_len;
  uint64_t since_sync;
  pthread_mutex_t mu;
  _Atomic uint64_t next;
  _Atomic int failed;
  progress_t prog;
} download_t;

#define SIDE_MAGIC "ZGDL1\n"
#define SIDE_HDR (6 + 32 + 8)

static zg_err_t side_sync(download_t *d) {
  if (fdatasync(d->fd) != 0) return ZG_EIO;
  if (pwrite(d->side, d->bitmap, d->bitmap_len, SIDE_HDR) != (ssize_t)d->bitmap_len || fdatasync(d->side) != 0)
    return ZG_EIO;
  return ZG_OK;
}

/* Fetches and verifies segment i from node nd. *ok false: try another node. */
static zg_err_t fetch_segment(download_t *d, zg_rpc_client_t *c, node_t *nd, uint64_t i, zg_buf_t *data,
                              zg_merkle_proof_t *proof, bool *ok) {
  *ok = false;
  json_t *r = NULL;
  zg_rpc_error_t re;
  zg_err_t e = zg_rpc_client_call(c, &r, &re, "zgs_downloadSegmentWithProof",
                                  json_pack("[s, I]", d->roothex, (json_int_t)i));
  if (e != ZG_OK || !json_is_object(r)) {
    json_decref(r);
    return ZG_OK; /* not there, or the node failed: the caller tries another */
  }
  data->len = 0;
  const json_t *dj = json_object_get(r, "data");
  bool good = json_is_string(dj) &&
              zg_base64_decode(data, json_string_value(dj), json_string_length(dj)) == ZG_OK &&
              json_integer_value(json_object_get(r, "index")) == (json_int_t)i &&
              zg_merkle_proof_from_jsonv(proof, json_object_get(r, "proof")) == ZG_OK;
  json_decref(r);
  bool verified = false;
  if (good && data->len <= ZG_SEGMENT_BYTES &&
      zg_segment_proof_verify(&verified, proof, d->root, d->lay.size, i, data->ptr, data->len) != ZG_OK)
    verified = false;
  if (!verified) {
    atomic_store(&nd->bad, true);
    fprintf(stderr, "\nzg download: %s served a bad segment %" PRIu64 " (proof or data does not verify); skipping "
                    "this node\n", nd->url, i);
    return ZG_OK;
  }
  *ok = true;
  return ZG_OK;
}

static void *download_worker(void *arg) {
  download_t *d = arg;
  zg_rpc_client_t *clients[MAX_NODES] = {0};
  zg_merkle_proof_t *proof = malloc(sizeof *proof);
  zg_buf_t data;
  zg_buf_init(&data);
  if (!proof) atomic_store(&d->failed, 1);
  for (size_t k = 0; k < d->nnodes && proof; k++)
    if (zg_rpc_client_create(&clients[k], d->nodes[k].url, TIMEOUT_MS) != ZG_OK) atomic_store(&d->failed, 1);
  while (!atomic_load(&d->failed)) {
    uint64_t i = atomic_fetch_add(&d->next, 1);
    if (i >= d->lay.data_segments) break;
    uint64_t off = i * (uint64_t)ZG_SEGMENT_BYTES, rem = d->lay.size - off;
    size_t real = rem < ZG_SEGMENT_BYTES ? (size_t)rem : ZG_SEGMENT_BYTES;
    if (d->bitmap[i / 8] & (1u << (i % 8))) continue; /* done in an earlier run */
    bool ok = false;
    for (size_t k = 0; k < d->nnodes && !ok; k++) {
      node_t *nd = &d->nodes[k];
      if (atomic_load(&nd->bad) || !holds(nd, d->s0 + i)) continue;
      if (fetch_segment(d, clients[k], nd, i, &data, proof, &ok) != ZG_OK) break;
    }
    if (!ok) {
      fprintf(stderr, "\nzg download: no node served a valid segment %" PRIu64 "\n", i);
      atomic_store(&d->failed, 1);
      break;
    }
    if (pwrite(d->fd, data.ptr, real, (off_t)off) != (ssize_t)real) {
      fprintf(stderr, "\nzg download: write: %s\n", strerror(errno));
      atomic_store(&d->failed, 1);
      break;
    }
    pthread_mutex_lock(&d->mu);
    d->bitmap[i / 8] |= (uint8_t)(1u << (i % 8));
    if (++d->since_sync >= 64) {
      d->since_sync = 0;
      if (side_sync(d) != ZG_OK) atomic_store(&d->failed, 1);
    }
    pthread_mutex_unlock(&d->mu);
    progress_add(&d->prog, real);
  }
  for (size_t k = 0; k < d->nnodes; k++) zg_rpc_client_destroy(clients[k]);
  free(data.ptr);
  free(proof);
  return NULL;
}

/* Opens OUT and its sidecar; loads the bitmap of a matching earlier run. */
static zg_err_t open_out(download_t *d, const char *out, uint64_t *resumed) {
  char side[4096];
  snprintf(side, sizeof side, "%s.zgpart", out);
  *resumed = 0;
  d->bitmap_len = (size_t)((d->lay.data_segments + 7) / 8);
  d->bitmap = calloc(d->bitmap_len ? d->bitmap_len : 1, 1);
  if (!d->bitmap) return ZG_ENOMEM;
  uint8_t hdr[SIDE_HDR];
  memcpy(hdr, SIDE_MAGIC, 6);
  memcpy(hdr + 6, d->root, 32);
  zg_store_be64(hdr + 38, d->lay.size);
  d->side = open(side, O_RDWR | O_CREAT, 0644);
  if (d->side < 0) return ZG_EIO;
  uint8_t got[SIDE_HDR];
  bool resume = pread(d->side, got, SIDE_HDR, 0) == SIDE_HDR && memcmp(got, hdr, SIDE_HDR) == 0 &&
                pread(d->side, d->bitmap, d->bitmap_len, SIDE_HDR) == (ssize_t)d->bitmap_len;
  d->fd = open(out, O_RDWR | O_CREAT | (resume ? 0 : O_TRUNC), 0644);
  if (d->fd < 0) return ZG_EIO;
  if (!resume) {
    memset(d->bitmap, 0, d->bitmap_len);
    if (ftruncate(d->side, 0) != 0 || pwrite(d->side, hdr, SIDE_HDR, 0) != SIDE_HDR) return ZG_EIO;
    ZG_TRY(side_sync(d));
  }
  for (uint64_t i = 0; i < d->lay.data_segments; i++)
    if (d->bitmap[i / 8] & (1u << (i % 8))) (*resumed)++;
  return ZG_OK;
}

int zg__cli_download(int argc, char **argv) {
  const char *pos[2], *nodelist;
  unsigned jobs;
  bool json;
  int rc = parse_common("download", argc, argv, pos, 2, &nodelist, &jobs, &json);
  if (rc) return rc;
  download_t *d = calloc(1, sizeof *d);
  if (!d) return 1;
  d->fd = d->side = -1;
  node_t nodes[MAX_NODES];
  size_t nn;
  memset(nodes, 0, sizeof nodes);
  if ((rc = parse_nodes("download", nodes, &nn, nodelist))) {
    free(d);
    return rc;
  }
  rc = 1;
  if (strlen(pos[0]) != 66 || zg_hex_decode(d->root, 32, pos[0], 66) != ZG_OK) {
    free(d);
    return zg__cli_usage_error("download", "ROOT must be 0x + 64 hex digits");
  }
  zg_hex_encode(d->roothex, d->root, 32);
  pthread_mutex_init(&d->mu, NULL);
  d->nodes = nodes;
  d->nnodes = nn;
  uint64_t t0 = zg_clock_ns(), size = 0, start = 0, resumed = 0;
  zg_err_t e = shard_configs(nodes, nn);
  bool found = false;
  for (size_t k = 0; k < nn && e == ZG_OK && !found; k++) {
    json_t *r = NULL;
    if (atomic_load(&nodes[k].bad)) continue;
    e = call_once(&nodes[k], &r, "zgs_getFileInfo", json_pack("[s]", d->roothex));
    json_t *tx = json_object_get(r, "tx");
    if (tx) {
      found = true;
      size = (uint64_t)json_integer_value(json_object_get(tx, "size"));
      start = (uint64_t)json_integer_value(json_object_get(tx, "startEntryIndex"));
    }
    json_decref(r);
  }
  if (e == ZG_OK && !found) {
    fprintf(stderr, "zg download: no node knows root %s\n", d->roothex);
    goto out;
  }
  if (e == ZG_OK) e = zg_file_layout(&d->lay, size);
  d->s0 = start / ZG_SECTORS_PER_SEGMENT;
  if (e == ZG_OK) e = open_out(d, pos[1], &resumed);
  if (e != ZG_OK) {
    fprintf(stderr, "zg download: %s\n", zg_strerror(e));
    goto out;
  }
  uint64_t remaining = size;
  for (uint64_t i = 0; i < d->lay.data_segments; i++)
    if (d->bitmap[i / 8] & (1u << (i % 8)))
      remaining -= (size - i * (uint64_t)ZG_SEGMENT_BYTES) < ZG_SEGMENT_BYTES ? size - i * (uint64_t)ZG_SEGMENT_BYTES
                                                                               : ZG_SEGMENT_BYTES;
  progress_init(&d->prog, "download", remaining);
  pthread_t th[64];
  for (unsigned k = 0; k < jobs; k++) pthread_create(&th[k], NULL, download_worker, d);
  for (unsigned k = 0; k < jobs; k++) pthread_join(th[k], NULL);
  if (atomic_load(&d->failed)) goto out;
  progress_print(&d->prog, true);
  if (ftruncate(d->fd, (off_t)size) != 0 || fsync(d->fd) != 0) {
    fprintf(stderr, "zg download: %s: %s\n", pos[1], strerror(errno));
    goto out;
  }
  char side[4096];
  snprintf(side, sizeof side, "%s.zgpart", pos[1]);
  unlink(side);
  double secs = (double)(zg_clock_ns() - t0) / 1e9;
  if (json)
    printf("{\"root\":\"%s\",\"size\":%" PRIu64 ",\"segments\":%" PRIu64 ",\"resumedSegments\":%" PRIu64
           ",\"seconds\":%.3f}\n",
           d->roothex, size, d->lay.data_segments, resumed, secs);
  else
    printf("downloaded %s to %s (%" PRIu64 " bytes, %" PRIu64 " segments verified, %" PRIu64 " resumed, %.2f s)\n",
           d->roothex, pos[1], size, d->lay.data_segments - resumed, resumed, secs);
  rc = 0;
out:
  if (d->fd >= 0) close(d->fd);
  if (d->side >= 0) close(d->side);
  free(d->bitmap);
  pthread_mutex_destroy(&d->mu);
  free(d);
  return rc;
}

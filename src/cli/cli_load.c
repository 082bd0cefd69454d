/*
 * cli_load.c — `zg load`: a load generator for the chain's Ethereum
 * JSON-RPC, and the figures of issue 6 (docs/devnet.md "Figures").
 *
 *   zg load (--dir DIR | --rpc URL[,URL..] --keys FILE [--pids PID,..] [--lane-count K])
 *           [--txs N] [--rate R] [--lanes L[,L..]] [--batch B] [--timeout S]
 *           [--delegate WEI] [--json]
 *
 * Senders are the dev accounts (DIR/devnet.json, or a keys file: the
 * accounts.json format, or an array of hex private keys), restricted to the
 * owner lanes given by --lanes. Each sender is pinned to one node (sender i
 * -> node i mod nodes), so its nonces reach one mempool in order; the nodes
 * and the lanes therefore all get a share. Every transaction is a legacy
 * EIP-155 transfer of 1 wei to the next dev account (half of them cross-lane
 * with two lanes), signed up front with zg_tx_sign, so signing is not part
 * of the measurement.
 *
 * One thread per node sends its transactions in JSON-RPC batches of B
 * eth_sendRawTransaction calls, paced to the global --rate (0: as fast as
 * the node takes them). A refusal that says the pool is full is retried
 * after a pause; any other refusal is counted and printed (the sender's
 * later nonces then cannot commit, and the run says so). The main thread
 * polls each sender's committed nonce (eth_getTransactionCount "latest") on
 * its node every 20 ms: a transaction is committed when its sender's nonce
 * passes it (the nonce moves when the block that holds it has executed, at
 * the moment its receipt becomes visible), and its latency is that moment
 * minus the moment its batch was sent. Afterwards every receipt is fetched
 * and its status checked (outside the timed window).
 *
 * Figures: committed tx/s over [first send, last commit]; latency p50/p99;
 * CPU time of each validator process over the same window (from
 * /proc/PID/stat), per committed transaction; the CPU cost of one secp256k1
 * public-key recovery, measured right after in this process (~1 s of
 * zg_ecdsa_recover); and the box's CPU bound, cores / (validators x mean CPU
 * per tx), with the measured rate as a fraction of it.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/devnet.h"
#include "zg/bytes.h"
#include "zg/ecdsa.h"
#include "zg/hash.h"
#include "zg/rpc_client.h"
#include "zg/staking.h"
#include "zg/tx.h"
#include "zg/u256.h"

#define MAX_NODES 64
#define MAX_SENDERS 4096
#define POLL_MS 20

typedef struct {
  zg_secp256k1_sk_t sk;
  zg_eth_addr_t addr;
  char text[43];
  unsigned lane, node;
  uint64_t nonce0;     /* pending nonce before the run */
  uint64_t committed;  /* latest committed nonce seen */
  size_t first, count; /* its txs: tx[first + k*stride]... see tx_of */
  zg_u256_t bal0, bal1;
} sender_t;

typedef struct {
  char *raw;              /* "0x..." hex of the signed envelope */
  uint8_t hash[32];
  uint32_t sender;
  uint64_t nonce;
  double sent, commit;    /* seconds since the run's start; 0: not yet */
  _Atomic int state;      /* 0 pending, 1 accepted, 2 refused */
} ltx_t;

typedef struct {
  char url[256];
  pid_t pid;              /* the validator process, 0 when unknown */
  char name[32];
  uint64_t cpu0, cpu1;    /* clock ticks */
  size_t *txs;            /* indices of the txs this node sends, in order */
  size_t ntxs;
  pthread_t thread;
} lnode_t;

typedef struct {
  sender_t *senders;
  size_t nsenders;
  ltx_t *txs;
  size_t ntxs;
  lnode_t nodes[MAX_NODES];
  size_t nnodes;
  double rate, t0, timeout;
  unsigned batch, lanes;
  uint64_t chain_id;
  zg_u256_t gas_price;
  _Atomic size_t refused, sent_count;
  _Atomic bool stop;
  pthread_mutex_t print_mu;
  unsigned printed_errors;
} load_t;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s) {
  if (s <= 0) return;
  struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* utime + stime of pid in clock ticks; 0 when unreadable. */
static uint64_t proc_cpu_ticks(pid_t pid) {
  if (pid <= 0) return 0;
  char path[64], buf[2048];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  const char *p = strrchr(buf, ')');
  if (!p) return 0;
  /* Fields after the command: state(3) ... utime(14) stime(15). */
  unsigned long long ut = 0, st = 0;
  if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2) return 0;
  return ut + st;
}

static uint64_t quantity(const json_t *v, bool *ok) {
  const char *s = json_string_value(v);
  *ok = false;
  if (!s || strncmp(s, "0x", 2) != 0 || !s[2] || strlen(s) > 18) return 0;
  char *end;
  unsigned long long q = strtoull(s + 2, &end, 16);
  if (*end) return 0;
  *ok = true;
  return q;
}

/* One JSON-RPC call; prints the failure (what and where) and returns NULL. */
static json_t *call(zg_rpc_client_t *c, const char *method, json_t *params) {
  json_t *res = NULL;
  zg_rpc_error_t rerr;
  zg_err_t e = zg_rpc_client_call(c, &res, &rerr, method, params);
  if (e != ZG_OK) {
    fprintf(stderr, "zg load: %s on %s: %s\n", method, zg_rpc_client_url(c),
            rerr.message[0] ? rerr.message : zg_strerror(e));
    return NULL;
  }
  return res;
}

/* Posts a JSON array of requests; returns the response array indexed by id
 * (a new array of n entries, json null where missing), or NULL. */
static json_t *post_batch(zg_rpc_client_t *c, json_t *reqs) {
  char *body = json_dumps(reqs, JSON_COMPACT);
  if (!body) return NULL;
  zg_buf_t out;
  zg_buf_init(&out);
  long status = 0;
  json_t *res = NULL;
  zg_err_t e = zg_rpc_client_post(c, &out, &status, body, strlen(body));
  free(body);
  if (e == ZG_OK) {
    json_t *arr = json_loadb((const char *)out.ptr, out.len, 0, NULL);
    size_t n = json_array_size(reqs);
    if (json_is_array(arr)) {
      res = json_array();
      for (size_t i = 0; i < n; i++) json_array_append_new(res, json_null());
      size_t i;
      json_t *r;
      json_array_foreach(arr, i, r) {
        json_int_t id = json_integer_value(json_object_get(r, "id"));
        if (id >= 0 && (size_t)id < n) json_array_set(res, (size_t)id, r);
      }
    }
    json_decref(arr);
  }
  zg_buf_clear(&out);
  return res;
}

static json_t *req(size_t id, const char *method, json_t *params) {
  return json_pack("{s:s, s:I, s:s, s:o}", "jsonrpc", "2.0", "id", (json_int_t)id, "method", method, "params",
                   params);
}

/* ---- setup ---- */

static bool add_sender(load_t *L, const char *hexkey, int lane_hint) {
  if (L->nsenders == MAX_SENDERS) return true;
  sender_t *s = &L->senders[L->nsenders];
  uint8_t k[32];
  zg_secp256k1_pk_t pk;
  if (!hexkey || zg_hex_decode(k, 32, hexkey, strlen(hexkey)) != ZG_OK || zg_secp256k1_sk_parse(&s->sk, k, 32) != ZG_OK ||
      zg_secp256k1_pubkey(&pk, &s->sk) != ZG_OK) {
    zg_memwipe(k, sizeof k);
    fprintf(stderr, "zg load: a private key is not 0x + 64 hex digits of a valid secp256k1 key\n");
    return false;
  }
  zg_memwipe(k, sizeof k);
  zg_eth_address(&s->addr, &pk);
  zg_eth_address_to_text(s->text, &s->addr);
  s->lane = lane_hint >= 0 ? (unsigned)lane_hint : zg_tx_lane_of(&s->addr, L->lanes);
  L->nsenders++;
  return true;
}

/* accounts.json ([{"address", "private_key", "lane"}]) or ["0x<key>", ...]. */
static bool load_keys(load_t *L, const json_t *arr) {
  size_t i;
  json_t *a;
  json_array_foreach(arr, i, a) {
    if (json_is_string(a)) {
      if (!add_sender(L, json_string_value(a), -1)) return false;
    } else {
      json_t *lane = json_object_get(a, "lane");
      if (!add_sender(L, json_string_value(json_object_get(a, "private_key")),
                      json_is_integer(lane) ? (int)json_integer_value(lane) : -1))
        return false;
    }
  }
  return true;
}

static bool parse_list(const char *list, char out[][256], size_t max, size_t *n) {
  *n = 0;
  const char *p = list;
  while (*p) {
    const char *c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    if (len == 0 || len >= 256 || *n == max) return false;
    memcpy(out[*n], p, len);
    out[*n][len] = 0;
    (*n)++;
    p += len + (c ? 1 : 0);
  }
  return *n > 0;
}

/* Reads chain id, gas price, nonces and balances; signs every tx. */
static bool prepare(load_t *L, const bool *lane_on, size_t ntx) {
  zg_rpc_client_t *c = NULL;
  bool ok = false;
  if (zg_rpc_client_create(&c, L->nodes[0].url, 30000) != ZG_OK) return false;
  json_t *r = call(c, "eth_chainId", json_array());
  bool qok;
  uint64_t cid = quantity(r, &qok);
  json_decref(r);
  if (!qok) goto out;
  if (L->chain_id && cid != L->chain_id) {
    fprintf(stderr, "zg load: %s serves chain id %" PRIu64 ", the devnet says %" PRIu64 "\n", L->nodes[0].url, cid,
            L->chain_id);
    goto out;
  }
  L->chain_id = cid;
  r = call(c, "eth_gasPrice", json_array());
  if (!r || zg_u256_parse(&L->gas_price, json_string_value(r), json_string_length(r)) != ZG_OK) {
    if (r) fprintf(stderr, "zg load: eth_gasPrice answered something that is not a quantity\n");
    json_decref(r);
    goto out;
  }
  json_decref(r);
  /* Keep only the senders of the chosen lanes; pin each to a node. */
  size_t kept = 0;
  for (size_t i = 0; i < L->nsenders; i++) {
    if (L->senders[i].lane >= 16 || !lane_on[L->senders[i].lane]) {
      zg_secp256k1_sk_clear(&L->senders[i].sk);
      continue;
    }
    L->senders[kept] = L->senders[i];
    L->senders[kept].node = (unsigned)(kept % L->nnodes);
    kept++;
  }
  L->nsenders = kept;
  if (!kept) {
    fprintf(stderr, "zg load: no sender account on the chosen lanes\n");
    goto out;
  }
  /* Nonces (pending: the pool's view) and balances, per sender on its node. */
  for (size_t i = 0; i < L->nsenders; i++) {
    sender_t *s = &L->senders[i];
    zg_rpc_client_t *cs = NULL;
    if (zg_rpc_client_create(&cs, L->nodes[s->node].url, 30000) != ZG_OK) goto out;
    r = call(cs, "eth_getTransactionCount", json_pack("[s,s]", s->text, "pending"));
    zg_rpc_client_destroy(cs);
    s->nonce0 = quantity(r, &qok);
    json_decref(r);
    if (!qok) goto out;
    s->committed = s->nonce0;
    r = call(c, "eth_getBalance", json_pack("[s,s]", s->text, "latest"));
    zg_err_t e = r ? zg_u256_parse(&s->bal0, json_string_value(r), json_string_length(r)) : ZG_EJSON;
    json_decref(r);
    if (e != ZG_OK) goto out;
  }
  /* Sign: tx j from sender j mod S, to the next sender's address. */
  L->txs = calloc(ntx, sizeof *L->txs);
  if (!L->txs) goto out;
  L->ntxs = ntx;
  zg_buf_t raw;
  zg_buf_init(&raw);
  for (size_t j = 0; j < ntx; j++) {
    uint32_t si = (uint32_t)(j % L->nsenders);
    sender_t *s = &L->senders[si];
    zg_tx_t f;
    memset(&f, 0, sizeof f);
    f.type = ZG_TX_LEGACY;
    f.chain_id = L->chain_id;
    f.nonce = s->nonce0 + s->count;
    f.gas_price = L->gas_price;
    f.gas_limit = ZG_TX_GAS_BASE;
    f.has_to = true;
    f.to = L->senders[(si + 1) % L->nsenders].addr;
    f.value = zg_u256_from_u64(1);
    raw.len = 0;
    zg_err_t e = zg_tx_sign(&raw, &f, &s->sk);
    if (e != ZG_OK) {
      fprintf(stderr, "zg load: zg_tx_sign: %s\n", zg_tx_strerror(e));
      zg_buf_clear(&raw);
      goto out;
    }
    ltx_t *t = &L->txs[j];
    t->raw = malloc(2 * raw.len + 3);
    if (!t->raw) {
      zg_buf_clear(&raw);
      goto out;
    }
    zg_hex_encode(t->raw, raw.ptr, raw.len);
    zg_keccak256(t->hash, raw.ptr, raw.len);
    t->sender = si;
    t->nonce = f.nonce;
    s->count++;
  }
  zg_buf_clear(&raw);
  /* Each node's send list, in tx order (so nonces go out in order). */
  for (size_t k = 0; k < L->nnodes; k++) {
    L->nodes[k].txs = malloc((ntx + 1) * sizeof(size_t));
    if (!L->nodes[k].txs) goto out;
  }
  for (size_t j = 0; j < ntx; j++) {
    lnode_t *nd = &L->nodes[L->senders[L->txs[j].sender].node];
    nd->txs[nd->ntxs++] = j;
  }
  ok = true;
out:
  zg_rpc_client_destroy(c);
  return ok;
}

/* ---- sending ---- */

static void report_refusal(load_t *L, const ltx_t *t, const char *msg) {
  pthread_mutex_lock(&L->print_mu);
  if (L->printed_errors++ < 5)
    fprintf(stderr, "zg load: refused: %s nonce %" PRIu64 ": %s\n", L->senders[t->sender].text, t->nonce, msg);
  pthread_mutex_unlock(&L->print_mu);
}

static bool is_full(const char *msg) {
  return strstr(msg, "full") || strstr(msg, "busy") || strstr(msg, "try again");
}

/* Sends this node's transactions in order, in batches of the still-pending
 * ones. Every entry of an answer is judged on its own: a pool that is full
 * leaves that entry pending (sent again after a pause) while later entries
 * of the same batch may have got in; "nonce too low" for an entry sent
 * before means an earlier attempt got in (these accounts have no other
 * sender). */
static void *send_thread(void *arg) {
  load_t *L = ((void **)arg)[0];
  lnode_t *nd = ((void **)arg)[1];
  zg_rpc_client_t *c = NULL;
  if (zg_rpc_client_create(&c, nd->url, 60000) != ZG_OK) return NULL;
  double per_node_rate = L->rate > 0 ? L->rate / (double)L->nnodes : 0;
  size_t i = 0, settled = 0;
  unsigned full_retries = 0;
  size_t pick[100];
  bool *tried = calloc(nd->ntxs + 1, sizeof *tried);
  while (tried && !atomic_load(&L->stop)) {
    while (i < nd->ntxs && atomic_load(&L->txs[nd->txs[i]].state) != 0) i++;
    if (i >= nd->ntxs) break;
    size_t n = 0;
    for (size_t k = i; k < nd->ntxs && n < L->batch; k++)
      if (atomic_load(&L->txs[nd->txs[k]].state) == 0) pick[n++] = k;
    if (per_node_rate > 0) sleep_s(L->t0 + (double)(settled + n) / per_node_rate - now_s());
    json_t *reqs = json_array();
    for (size_t k = 0; k < n; k++)
      json_array_append_new(reqs, req(k, "eth_sendRawTransaction", json_pack("[s]", L->txs[nd->txs[pick[k]]].raw)));
    double t = now_s() - L->t0;
    for (size_t k = 0; k < n; k++) L->txs[nd->txs[pick[k]]].sent = t;
    json_t *res = post_batch(c, reqs);
    json_decref(reqs);
    if (!res) {
      pthread_mutex_lock(&L->print_mu);
      fprintf(stderr, "zg load: batch to %s failed (no JSON-RPC answer); retrying\n", nd->url);
      pthread_mutex_unlock(&L->print_mu);
      sleep_s(0.5);
      continue;
    }
    bool full = false;
    for (size_t k = 0; k < n; k++) {
      ltx_t *tx = &L->txs[nd->txs[pick[k]]];
      json_t *r = json_array_get(res, k), *err = json_object_get(r, "error");
      const char *msg = err ? json_string_value(json_object_get(err, "message")) : NULL;
      if (err && !msg) msg = "error without a message";
      if (!r || json_is_null(r)) msg = "no answer";
      int st = 1;
      if (msg) {
        if (is_full(msg)) {
          full = true;
          st = 0;
        } else if (!strstr(msg, "already known") && !(tried[pick[k]] && strstr(msg, "nonce too low"))) {
          st = 2;
          atomic_fetch_add(&L->refused, 1);
          report_refusal(L, tx, msg);
        }
      }
      tried[pick[k]] = true;
      if (st) {
        atomic_store(&tx->state, st);
        settled++;
        atomic_fetch_add(&L->sent_count, 1);
      }
    }
    json_decref(res);
    if (full) {
      if (++full_retries % 50 == 1) {
        pthread_mutex_lock(&L->print_mu);
        fprintf(stderr, "zg load: %s: pool full, backing off\n", nd->url);
        pthread_mutex_unlock(&L->print_mu);
      }
      sleep_s(0.05);
    }
  }
  free(tried);
  zg_rpc_client_destroy(c);
  return NULL;
}

/* Polls committed nonces until every accepted tx committed or the timeout.
 * Returns the time of the last commit seen. */
static double track_commits(load_t *L) {
  zg_rpc_client_t *cl[MAX_NODES] = {0};
  for (size_t k = 0; k < L->nnodes; k++)
    if (zg_rpc_client_create(&cl[k], L->nodes[k].url, 30000) != ZG_OK) return 0;
  double last = 0, last_progress = now_s();
  size_t committed = 0;
  for (;;) {
    sleep_s(POLL_MS / 1000.0);
    bool sending_done = atomic_load(&L->sent_count) + 0 >= L->ntxs;
    for (size_t k = 0; k < L->nnodes; k++) {
      json_t *reqs = json_array();
      size_t idx[MAX_SENDERS], m = 0;
      for (size_t i = 0; i < L->nsenders; i++) {
        sender_t *s = &L->senders[i];
        if (s->node != k || s->committed >= s->nonce0 + s->count) continue;
        json_array_append_new(reqs, req(m, "eth_getTransactionCount", json_pack("[s,s]", s->text, "latest")));
        idx[m++] = i;
        if (m == 100) break; /* the server's batch limit; the rest next round */
      }
      if (!m) {
        json_decref(reqs);
        continue;
      }
      json_t *res = post_batch(cl[k], reqs);
      json_decref(reqs);
      double t = now_s() - L->t0;
      for (size_t q = 0; q < m && res; q++) {
        bool ok;
        uint64_t n = quantity(json_object_get(json_array_get(res, q), "result"), &ok);
        sender_t *s = &L->senders[idx[q]];
        if (!ok || n <= s->committed) continue;
        /* Txs of s are j = idx + S*c for c = 0..count-1, nonce nonce0 + c. */
        uint64_t hi = n < s->nonce0 + s->count ? n : s->nonce0 + s->count;
        for (uint64_t nonce = s->committed; nonce < hi; nonce++) {
          size_t j = idx[q] + L->nsenders * (size_t)(nonce - s->nonce0);
          if (nonce < s->nonce0 || j >= L->ntxs) continue;
          L->txs[j].commit = t > L->txs[j].sent ? t : L->txs[j].sent;
          committed++;
        }
        s->committed = n;
        last = t;
        last_progress = now_s();
      }
      json_decref(res);
    }
    size_t refused = atomic_load(&L->refused);
    if (sending_done && committed + refused >= L->ntxs) break;
    /* A refused tx blocks its sender's later nonces: once sending is over,
     * stop waiting for them after a short quiet spell. */
    if (sending_done && refused && now_s() - last_progress > 5) break;
    if (now_s() - last_progress > L->timeout) {
      fprintf(stderr, "zg load: no commit for %.0f s; giving up with %zu of %zu committed\n", L->timeout, committed,
              L->ntxs);
      break;
    }
  }
  for (size_t k = 0; k < L->nnodes; k++) zg_rpc_client_destroy(cl[k]);
  return last;
}

/* Fetches every committed tx's receipt; counts status 1 and the blocks per
 * lane that held them. */
static void check_receipts(load_t *L, size_t *ok_out, size_t *failed_out, size_t *missing_out) {
  *ok_out = *failed_out = *missing_out = 0;
  zg_rpc_client_t *c = NULL;
  if (zg_rpc_client_create(&c, L->nodes[0].url, 60000) != ZG_OK) return;
  for (size_t j = 0; j < L->ntxs;) {
    json_t *reqs = json_array();
    size_t m = 0;
    for (; j < L->ntxs && m < 100; j++) {
      if (L->txs[j].commit <= 0) continue;
      char h[67];
      zg_hex_encode(h, L->txs[j].hash, 32);
      json_array_append_new(reqs, req(m++, "eth_getTransactionReceipt", json_pack("[s]", h)));
    }
    json_t *res = m ? post_batch(c, reqs) : NULL;
    json_decref(reqs);
    for (size_t q = 0; q < m; q++) {
      json_t *r = json_object_get(json_array_get(res, q), "result");
      const char *st = json_string_value(json_object_get(r, "status"));
      if (!json_is_object(r))
        (*missing_out)++;
      else if (st && strcmp(st, "0x1") == 0)
        (*ok_out)++;
      else
        (*failed_out)++;
    }
    json_decref(res);
  }
  zg_rpc_client_destroy(c);
}

/* CPU seconds of one secp256k1 public-key recovery, ~1 s of this thread. */
static double recovery_cost(void) {
  zg_secp256k1_sk_t sk;
  zg_secp256k1_pk_t pk;
  zg_ecdsa_sig_t sig;
  uint8_t h[32];
  zg_keccak256(h, "zg load: recovery", 17);
  if (zg_secp256k1_sk_generate(&sk) != ZG_OK || zg_ecdsa_sign(&sig, &sk, h) != ZG_OK) return 0;
  zg_secp256k1_sk_clear(&sk);
  struct timespec a, b;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
  size_t n = 0, good = 0;
  double spent = 0;
  while (spent < 1.0) {
    for (int k = 0; k < 64; k++) {
      h[0] = (uint8_t)n; /* a fresh message each time: no caching anywhere */
      sig.v &= 1;
      good += zg_ecdsa_recover(&pk, &sig, h) == ZG_OK;
      n++;
    }
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
    spent = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  }
  return good ? spent / (double)n : 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* ---- Staking: one delegate call ---- */

static void abi_selector(uint8_t out[4], const char *sig) {
  uint8_t h[32];
  zg_keccak256(h, sig, strlen(sig));
  memcpy(out, h, 4);
}

/* Waits for a receipt; returns its status (true: 0x1). */
static bool wait_receipt(zg_rpc_client_t *c, const char *hash, double timeout, json_t **receipt) {
  double t0 = now_s();
  while (now_s() - t0 < timeout) {
    json_t *r = call(c, "eth_getTransactionReceipt", json_pack("[s]", hash));
    if (json_is_object(r)) {
      const char *st = json_string_value(json_object_get(r, "status"));
      bool ok = st && strcmp(st, "0x1") == 0;
      if (receipt)
        *receipt = r;
      else
        json_decref(r);
      return ok;
    }
    json_decref(r);
    sleep_s(0.1);
  }
  fprintf(stderr, "zg load: no receipt for %s within %.0f s\n", hash, timeout);
  return false;
}

/* Staking.getValidator(op).totalStake as decimal text into out. */
static bool staking_total(zg_rpc_client_t *c, const char *op, char out[ZG_U256_DEC_MAX]) {
  uint8_t data[36] = {0};
  zg_eth_addr_t a;
  if (zg_eth_address_parse(&a, op, strlen(op)) != ZG_OK) return false;
  abi_selector(data, "getValidator(address)");
  memcpy(data + 4 + 12, a.bytes, 20);
  char hex[2 * 36 + 3];
  zg_hex_encode(hex, data, sizeof data);
  json_t *r = call(c, "eth_call", json_pack("[{s:s, s:s}, s]", "to", ZG_STAKING_ADDRESS_TEXT, "data", hex, "latest"));
  zg_buf_t ret;
  zg_buf_init(&ret);
  bool ok = r && zg_hex_decode_buf(&ret, json_string_value(r), json_string_length(r)) == ZG_OK && ret.len >= 7 * 32;
  if (ok) {
    zg_u256_t v;
    zg_u256_from_be32(&v, ret.ptr + 4 * 32); /* word 4: totalStake */
    zg_u256_to_dec(out, &v);
  }
  zg_buf_clear(&ret);
  json_decref(r);
  return ok;
}

/* delegate(operator) with amount wei from the first lane-0 sender. */
static bool staking_delegate(load_t *L, const char *op, const char *amount, json_t *out) {
  sender_t *s = NULL;
  for (size_t i = 0; i < L->nsenders && !s; i++)
    if (L->senders[i].lane == ZG_STAKING_LANE) s = &L->senders[i];
  if (!s) {
    fprintf(stderr, "zg load: --delegate needs a sender on lane %u (Staking's lane)\n", ZG_STAKING_LANE);
    return false;
  }
  zg_rpc_client_t *c = NULL;
  if (zg_rpc_client_create(&c, L->nodes[s->node].url, 30000) != ZG_OK) return false;
  bool ok = false;
  char before[ZG_U256_DEC_MAX] = "?", after[ZG_U256_DEC_MAX] = "?";
  zg_buf_t raw;
  zg_buf_init(&raw);
  json_t *r = call(c, "eth_getTransactionCount", json_pack("[s,s]", s->text, "pending"));
  bool qok;
  uint64_t nonce = quantity(r, &qok);
  json_decref(r);
  zg_tx_t f;
  memset(&f, 0, sizeof f);
  uint8_t data[36] = {0};
  zg_eth_addr_t opa;
  if (!qok || zg_eth_address_parse(&opa, op, strlen(op)) != ZG_OK ||
      zg_u256_parse(&f.value, amount, strlen(amount)) != ZG_OK) {
    fprintf(stderr, "zg load: --delegate: bad amount or operator\n");
    goto out;
  }
  (void)staking_total(c, op, before);
  abi_selector(data, "delegate(address)");
  memcpy(data + 4 + 12, opa.bytes, 20);
  f.type = ZG_TX_DYNAMIC_FEE;
  f.chain_id = L->chain_id;
  f.nonce = nonce;
  f.max_fee = L->gas_price;
  (void)zg_u256_mul_u64(&f.max_fee, &L->gas_price, 2);
  f.max_priority_fee = zg_u256_from_u64(0);
  f.gas_limit = 200000;
  f.has_to = true;
  zg_eth_addr_t staking = {ZG_STAKING_ADDRESS_BYTES};
  f.to = staking;
  f.data = zg_slice(data, sizeof data);
  zg_err_t e = zg_tx_sign(&raw, &f, &s->sk);
  if (e != ZG_OK) {
    fprintf(stderr, "zg load: zg_tx_sign: %s\n", zg_tx_strerror(e));
    goto out;
  }
  char *hex = malloc(2 * raw.len + 3);
  if (!hex) goto out;
  zg_hex_encode(hex, raw.ptr, raw.len);
  r = call(c, "eth_sendRawTransaction", json_pack("[s]", hex));
  free(hex);
  if (!json_is_string(r)) {
    json_decref(r);
    goto out;
  }
  char txhash[67];
  snprintf(txhash, sizeof txhash, "%s", json_string_value(r));
  json_decref(r);
  json_t *receipt = NULL;
  ok = wait_receipt(c, txhash, L->timeout, &receipt);
  (void)staking_total(c, op, after);
  json_object_set_new(out, "tx", json_string(txhash));
  json_object_set_new(out, "from", json_string(s->text));
  json_object_set_new(out, "validator", json_string(op));
  json_object_set_new(out, "amount", json_string(amount));
  json_object_set_new(out, "status", json_boolean(ok));
  json_object_set_new(out, "total_stake_before", json_string(before));
  json_object_set_new(out, "total_stake_after", json_string(after));
  json_object_set_new(out, "logs", json_integer((json_int_t)json_array_size(json_object_get(receipt, "logs"))));
  json_decref(receipt);
  if (!ok) fprintf(stderr, "zg load: Staking.delegate %s failed (receipt status not 0x1)\n", txhash);
out:
  zg_buf_clear(&raw);
  zg_rpc_client_destroy(c);
  return ok;
}

/* ---- the verb ---- */

static double pct(const double *sorted, size_t n, double p) {
  if (!n) return 0;
  size_t i = (size_t)ceil(p * (double)n) - 1;
  if (i >= n) i = n - 1;
  return sorted[i];
}

static void sum_balances(load_t *L, zg_rpc_client_t *c, bool after, zg_u256_t *per_lane) {
  for (unsigned l = 0; l < 16; l++) per_lane[l] = zg_u256_from_u64(0);
  for (size_t i = 0; i < L->nsenders; i++) {
    sender_t *s = &L->senders[i];
    if (after) {
      json_t *r = call(c, "eth_getBalance", json_pack("[s,s]", s->text, "latest"));
      if (!r || zg_u256_parse(&s->bal1, json_string_value(r), json_string_length(r)) != ZG_OK)
        s->bal1 = zg_u256_from_u64(0);
      json_decref(r);
    }
    (void)zg_u256_add(&per_lane[s->lane % 16], &per_lane[s->lane % 16], after ? &s->bal1 : &s->bal0);
  }
}

int zg__cli_load(int argc, char **argv) {
  const char *dir = NULL, *rpcs = NULL, *keys = NULL, *pids = NULL, *lanes_arg = NULL, *delegate = NULL;
  unsigned long long ntx = 1000, batch = 50, lane_count = 0;
  double rate = 0, timeout = 60;
  bool json = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    char *end = NULL;
    if (strcmp(a, "--json") == 0) {
      json = true;
      continue;
    }
    if (!v) return zg__cli_usage_error("load", "unknown argument '%s' (or missing value)", a);
    i++;
    if (strcmp(a, "--dir") == 0) dir = v;
    else if (strcmp(a, "--rpc") == 0) rpcs = v;
    else if (strcmp(a, "--keys") == 0) keys = v;
    else if (strcmp(a, "--pids") == 0) pids = v;
    else if (strcmp(a, "--lanes") == 0) lanes_arg = v;
    else if (strcmp(a, "--delegate") == 0) delegate = v;
    else if (strcmp(a, "--txs") == 0) {
      ntx = strtoull(v, &end, 10);
      if (*end || ntx > 10000000) return zg__cli_usage_error("load", "--txs wants 0..10000000");
    } else if (strcmp(a, "--batch") == 0) {
      batch = strtoull(v, &end, 10);
      if (*end || batch < 1 || batch > 100) return zg__cli_usage_error("load", "--batch wants 1..100");
    } else if (strcmp(a, "--lane-count") == 0) {
      lane_count = strtoull(v, &end, 10);
      if (*end || lane_count < 1 || lane_count > 16) return zg__cli_usage_error("load", "--lane-count wants 1..16");
    } else if (strcmp(a, "--rate") == 0) {
      rate = strtod(v, &end);
      if (*end || rate < 0) return zg__cli_usage_error("load", "--rate wants tx/s >= 0 (0: unlimited)");
    } else if (strcmp(a, "--timeout") == 0) {
      timeout = strtod(v, &end);
      if (*end || !(timeout > 0)) return zg__cli_usage_error("load", "--timeout wants seconds > 0");
    } else
      return zg__cli_usage_error("load", "unknown argument '%s'", a);
  }
  if (!dir && (!rpcs || !keys)) return zg__cli_usage_error("load", "give --dir DIR, or --rpc URL[,URL..] and --keys FILE");
  load_t *L = calloc(1, sizeof *L);
  if (!L) return 1;
  pthread_mutex_init(&L->print_mu, NULL);
  L->senders = calloc(MAX_SENDERS, sizeof *L->senders);
  L->batch = (unsigned)batch;
  L->rate = rate;
  L->timeout = timeout;
  L->lanes = lane_count ? (unsigned)lane_count : 1;
  int rc = 1;
  json_t *state = NULL, *keyfile = NULL, *out = json_object(), *deleg = NULL;
  const char *first_operator = NULL;
  if (!L->senders) goto done;
  if (dir) {
    state = zg__devnet_load(dir);
    if (!state) goto done;
    L->chain_id = (uint64_t)json_integer_value(json_object_get(state, "chain_id"));
    if (!lane_count) L->lanes = (unsigned)json_integer_value(json_object_get(state, "lanes"));
    size_t i;
    json_t *node;
    json_array_foreach(json_object_get(state, "nodes"), i, node) {
      if (L->nnodes == MAX_NODES) break;
      lnode_t *nd = &L->nodes[L->nnodes++];
      snprintf(nd->url, sizeof nd->url, "%s", json_string_value(json_object_get(node, "rpc")));
      snprintf(nd->name, sizeof nd->name, "%s", json_string_value(json_object_get(node, "name")));
      nd->pid = zg__devnet_node_pid(node);
      if (!nd->pid) {
        fprintf(stderr, "zg load: %s of the devnet is not running; left out\n", nd->name);
        L->nnodes--;
      }
      if (!first_operator) first_operator = json_string_value(json_object_get(node, "operator"));
    }
    if (!load_keys(L, json_object_get(state, "accounts"))) goto done;
  }
  if (rpcs) {
    char urls[MAX_NODES][256];
    size_t n;
    if (!parse_list(rpcs, urls, MAX_NODES, &n)) {
      rc = zg__cli_usage_error("load", "--rpc wants URL[,URL..]");
      goto done;
    }
    L->nnodes = n;
    for (size_t k = 0; k < n; k++) {
      memset(&L->nodes[k], 0, sizeof L->nodes[k]);
      snprintf(L->nodes[k].url, sizeof L->nodes[k].url, "%s", urls[k]);
      snprintf(L->nodes[k].name, sizeof L->nodes[k].name, "node%zu", k);
    }
  }
  if (pids) {
    char list[MAX_NODES][256];
    size_t n;
    if (!parse_list(pids, list, MAX_NODES, &n) || n != L->nnodes) {
      rc = zg__cli_usage_error("load", "--pids wants one pid per --rpc URL");
      goto done;
    }
    for (size_t k = 0; k < n; k++) L->nodes[k].pid = (pid_t)atoi(list[k]);
  }
  if (keys) {
    json_error_t jerr;
    keyfile = json_load_file(keys, 0, &jerr);
    if (!json_is_array(keyfile)) {
      fprintf(stderr, "zg load: %s: %s\n", keys, keyfile ? "not a JSON array of accounts or keys" : jerr.text);
      goto done;
    }
    L->nsenders = 0;
    if (!load_keys(L, keyfile)) goto done;
  }
  if (!L->nnodes) {
    fprintf(stderr, "zg load: no node to send to\n");
    goto done;
  }
  bool lane_on[16] = {0};
  if (lanes_arg) {
    for (const char *p = lanes_arg; *p;) {
      char *end;
      unsigned long l = strtoul(p, &end, 10);
      if (end == p || l >= L->lanes || (*end && *end != ',')) {
        rc = zg__cli_usage_error("load", "--lanes wants lane numbers below %u, comma-separated", L->lanes);
        goto done;
      }
      lane_on[l] = true;
      p = *end ? end + 1 : end;
    }
  } else {
    for (unsigned l = 0; l < 16; l++) lane_on[l] = true;
  }
  if (!prepare(L, lane_on, (size_t)ntx)) goto done;
  zg_rpc_client_t *c0 = NULL;
  if (zg_rpc_client_create(&c0, L->nodes[0].url, 30000) != ZG_OK) goto done;
  zg_u256_t bal0[16], bal1[16];
  sum_balances(L, c0, false, bal0);
  uint64_t h0 = 0, h1 = 0;
  if (zg__devnet_block_number(&h0, L->nodes[0].url, 5000) != ZG_OK) h0 = 0;
  unsigned lanes_used = 0;
  bool has_sender[16] = {0};
  for (size_t i = 0; i < L->nsenders; i++) has_sender[L->senders[i].lane % 16] = true;
  for (unsigned l = 0; l < 16; l++) lanes_used += has_sender[l];
  if (!json)
    fprintf(stderr, "zg load: %zu transfers from %zu senders on %u lane(s) over %zu node(s), rate %s\n", L->ntxs,
            L->nsenders, lanes_used, L->nnodes, rate > 0 ? "limited" : "unlimited");
  /* The timed window. */
  for (size_t k = 0; k < L->nnodes; k++) L->nodes[k].cpu0 = proc_cpu_ticks(L->nodes[k].pid);
  L->t0 = now_s();
  void *args[MAX_NODES][2];
  for (size_t k = 0; k < L->nnodes; k++) {
    args[k][0] = L;
    args[k][1] = &L->nodes[k];
    if (pthread_create(&L->nodes[k].thread, NULL, send_thread, args[k]) != 0) {
      fprintf(stderr, "zg load: cannot start a thread\n");
      atomic_store(&L->stop, true);
      for (size_t q = 0; q < k; q++) pthread_join(L->nodes[q].thread, NULL);
      zg_rpc_client_destroy(c0);
      goto done;
    }
  }
  double last = L->ntxs ? track_commits(L) : 0;
  for (size_t k = 0; k < L->nnodes; k++) L->nodes[k].cpu1 = proc_cpu_ticks(L->nodes[k].pid);
  atomic_store(&L->stop, true);
  for (size_t k = 0; k < L->nnodes; k++) pthread_join(L->nodes[k].thread, NULL);
  /* Figures. */
  size_t committed = 0;
  double *lat = malloc((L->ntxs + 1) * sizeof *lat);
  for (size_t j = 0; j < L->ntxs && lat; j++)
    if (L->txs[j].commit > 0) lat[committed++] = L->txs[j].commit - L->txs[j].sent;
  if (lat) qsort(lat, committed, sizeof *lat, cmp_double);
  double tps = last > 0 ? (double)committed / last : 0;
  size_t rok, rfail, rmiss;
  check_receipts(L, &rok, &rfail, &rmiss);
  if (zg__devnet_block_number(&h1, L->nodes[0].url, 5000) != ZG_OK) h1 = 0;
  sum_balances(L, c0, true, bal1);
  if (delegate && first_operator) {
    deleg = json_object();
    if (!staking_delegate(L, first_operator, delegate, deleg)) rc = 1;
  } else if (delegate) {
    fprintf(stderr, "zg load: --delegate needs --dir (the validators' operators)\n");
  }
  zg_rpc_client_destroy(c0);
  double rec = recovery_cost();
  long hz = sysconf(_SC_CLK_TCK);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  double cpu_sum = 0;
  size_t cpu_n = 0;
  json_t *jcpu = json_array();
  for (size_t k = 0; k < L->nnodes; k++) {
    lnode_t *nd = &L->nodes[k];
    if (!nd->pid || !nd->cpu1 || !committed) continue;
    double us = (double)(nd->cpu1 - nd->cpu0) / (double)hz * 1e6 / (double)committed;
    cpu_sum += us;
    cpu_n++;
    json_array_append_new(jcpu, json_pack("{s:s, s:i, s:f}", "name", nd->name, "pid", (int)nd->pid, "cpu_us_per_tx", us));
  }
  double cpu_mean = cpu_n ? cpu_sum / (double)cpu_n : 0;
  double bound = cpu_mean > 0 ? (double)cores * 1e6 / ((double)cpu_n * cpu_mean) : 0;
  json_object_set_new(out, "txs", json_integer((json_int_t)L->ntxs));
  json_object_set_new(out, "senders", json_integer((json_int_t)L->nsenders));
  json_object_set_new(out, "lanes", json_integer(lanes_used));
  json_object_set_new(out, "nodes", json_integer((json_int_t)L->nnodes));
  json_object_set_new(out, "committed", json_integer((json_int_t)committed));
  json_object_set_new(out, "refused", json_integer((json_int_t)atomic_load(&L->refused)));
  json_object_set_new(out, "receipts_ok", json_integer((json_int_t)rok));
  json_object_set_new(out, "receipts_failed", json_integer((json_int_t)rfail));
  json_object_set_new(out, "receipts_missing", json_integer((json_int_t)rmiss));
  json_object_set_new(out, "seconds", json_real(last));
  json_object_set_new(out, "tx_per_s", json_real(tps));
  json_object_set_new(out, "latency_p50_ms", json_real(lat ? pct(lat, committed, 0.5) * 1e3 : 0));
  json_object_set_new(out, "latency_p99_ms", json_real(lat ? pct(lat, committed, 0.99) * 1e3 : 0));
  json_object_set_new(out, "height_before", json_integer((json_int_t)h0));
  json_object_set_new(out, "height_after", json_integer((json_int_t)h1));
  json_object_set_new(out, "validator_cpu", jcpu);
  json_object_set_new(out, "cpu_us_per_tx_mean", json_real(cpu_mean));
  json_object_set_new(out, "recovery_us", json_real(rec * 1e6));
  json_object_set_new(out, "cpu_per_tx_in_recoveries", json_real(rec > 0 ? cpu_mean / (rec * 1e6) : 0));
  json_object_set_new(out, "cores", json_integer(cores));
  json_object_set_new(out, "cpu_bound_tx_per_s", json_real(bound));
  json_object_set_new(out, "ratio_to_bound", json_real(bound > 0 ? tps / bound : 0));
  json_t *jb = json_array();
  for (unsigned l = 0; l < L->lanes && l < 16; l++) {
    char b0[ZG_U256_DEC_MAX], b1[ZG_U256_DEC_MAX];
    zg_u256_to_dec(b0, &bal0[l]);
    zg_u256_to_dec(b1, &bal1[l]);
    json_array_append_new(jb, json_pack("{s:i, s:s, s:s}", "lane", l, "before", b0, "after", b1));
  }
  json_object_set_new(out, "sender_balances_wei", jb);
  if (deleg) json_object_set(out, "delegate", deleg);
  if (json) {
    char *s = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s) puts(s);
    free(s);
  } else {
    printf("load: %zu transfers, %zu senders, %u lane(s), %zu node(s); height %" PRIu64 " -> %" PRIu64 "\n",
           L->ntxs, L->nsenders, lanes_used, L->nnodes, h0, h1);
    printf("committed %zu/%zu in %.2f s: %.0f tx/s; commit latency p50 %.0f ms, p99 %.0f ms; refused %zu; "
           "receipts: %zu ok, %zu failed, %zu missing\n",
           committed, L->ntxs, last, tps, lat ? pct(lat, committed, 0.5) * 1e3 : 0,
           lat ? pct(lat, committed, 0.99) * 1e3 : 0, atomic_load(&L->refused), rok, rfail, rmiss);
    size_t i;
    json_t *e;
    json_array_foreach(jcpu, i, e)
      printf("  %-6s pid %-7d CPU %.1f us/tx\n", json_string_value(json_object_get(e, "name")),
             (int)json_integer_value(json_object_get(e, "pid")),
             json_real_value(json_object_get(e, "cpu_us_per_tx")));
    if (cpu_n) {
      printf("validator CPU per tx (mean of %zu): %.1f us = %.2fx one secp256k1 recovery (%.1f us, this run)\n",
             cpu_n, cpu_mean, rec > 0 ? cpu_mean / (rec * 1e6) : 0, rec * 1e6);
      printf("CPU bound: %ld cores / (%zu x %.1f us) = %.0f tx/s; measured %.0f tx/s = %.2fx the bound\n", cores,
             cpu_n, cpu_mean, bound, tps, bound > 0 ? tps / bound : 0);
    } else {
      printf("secp256k1 recovery: %.1f us (no validator pids: no CPU figures)\n", rec * 1e6);
    }
    json_array_foreach(jb, i, e)
      printf("  lane %" JSON_INTEGER_FORMAT " senders' balance: %s -> %s wei\n",
             json_integer_value(json_object_get(e, "lane")), json_string_value(json_object_get(e, "before")),
             json_string_value(json_object_get(e, "after")));
    if (deleg)
      printf("Staking.delegate(%s) %s wei from %s: %s; validator total stake %s -> %s wei\n",
             json_string_value(json_object_get(deleg, "validator")), delegate,
             json_string_value(json_object_get(deleg, "from")),
             json_is_true(json_object_get(deleg, "status")) ? "ok" : "FAILED",
             json_string_value(json_object_get(deleg, "total_stake_before")),
             json_string_value(json_object_get(deleg, "total_stake_after")));
  }
  free(lat);
  if (committed == L->ntxs && !rfail && !rmiss && (!deleg || json_is_true(json_object_get(deleg, "status")))) rc = 0;
  if (committed < L->ntxs && !json) fprintf(stderr, "zg load: %zu transactions did not commit\n", L->ntxs - committed);
done:
  if (L->txs)
    for (size_t j = 0; j < L->ntxs; j++) free(L->txs[j].raw);
  free(L->txs);
  for (size_t k = 0; k < MAX_NODES; k++) free(L->nodes[k].txs);
  if (L->senders)
    for (size_t i = 0; i < MAX_SENDERS; i++) zg_secp256k1_sk_clear(&L->senders[i].sk);
  free(L->senders);
  pthread_mutex_destroy(&L->print_mu);
  free(L);
  json_decref(deleg);
  json_decref(out);
  json_decref(state);
  json_decref(keyfile);
  return rc;
}

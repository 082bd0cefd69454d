/*
 * follower.c — the chain follower (zg/storage_follower.h): a log-entry
 * source that reads Flow `Submit` events through eth_getLogs and applies
 * them to the storage service in submissionIndex order.
 *
 * A round: eth_chainId (once), eth_blockNumber, then for each window of at
 * most max_range confirmed blocks starting at next_block: eth_getLogs
 * {address: Flow, topics: [Submit]}, each log applied in (block, logIndex)
 * order as the chain returns them, then the window's last block hash
 * (eth_getBlockByNumber) and the persisted progress. Because an entry whose
 * submissionIndex is below the service's next seq is skipped, replaying a
 * window after a crash between "entries durable" and "progress persisted"
 * is harmless.
 *
 * The progress file is text: "zg-follower 1 <next_block> <0x hash>\n",
 * replaced atomically (tmp + fsync + rename).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zg/abi.h"
#include "zg/log.h"
#include "zg/rpc_client.h"
#include "zg/storage_contracts.h"
#include "zg/storage_follower.h"

#define COMP "follower"

typedef struct {
  zg_log_source_t base; /* first: the source is cast back to the follower */
  zg_follower_cfg_t cfg;
  char *url;
  char *state_path;
  zg_rpc_client_t *rpc;
  pthread_mutex_t mu; /* guards the progress fields and chain_id */
  uint64_t next_block;
  uint8_t last_hash[32];
  uint64_t chain_id;
  pthread_t thread;
  bool started;
  pthread_mutex_t stop_mu;
  pthread_cond_t stop_cv;
  bool stop;
} follower_t;

/* ---- Submit decoding ---- */

zg_err_t zg_follower_apply_log(zg_storage_t *st, bool *applied, zg_storage_err_t *err, const uint8_t (*topics)[32],
                               size_t ntopics, const uint8_t *data, size_t len) {
  zg_storage_err_t scratch;
  if (!err) err = &scratch;
  memset(err, 0, sizeof *err);
  *applied = false;
  uint8_t topic0[32];
  zg_abi_event_topic(topic0, ZG_FLOW_EVENT_SUBMIT, strlen(ZG_FLOW_EVENT_SUBMIT));
  if (ntopics != 3 || memcmp(topics[0], topic0, 32) != 0) {
    err->cls = ZG_STORAGE_BAD_PARAMS;
    snprintf(err->message, sizeof err->message, "not a Flow Submit log");
    return ZG_EINVAL;
  }
  zg_abi_arena_t arena;
  zg_abi_arena_init(&arena);
  const zg_abi_type_t *t;
  zg_abi_value_t v;
  zg_merkle_node_t nodes[ZG_SUBMISSION_MAX_NODES];
  uint64_t index = 0, start = 0, sectors = 0, size = 0;
  size_t n = 0;
  zg_err_t e = zg_abi_type_parse_str(&t, &arena, ZG_FLOW_EVENT_SUBMIT_DATA);
  if (e == ZG_OK) e = zg_abi_decode(&v, &arena, t, data, len);
  if (e != ZG_OK) goto bad;
  /* (submissionIndex, startPos, length, (length, tags, nodes[])) */
  const zg_abi_value_t *f = v.u.items, *sub = &f[3];
  if (zg_abi_get_u64(&index, &f[0]) != ZG_OK || zg_abi_get_u64(&start, &f[1]) != ZG_OK ||
      zg_abi_get_u64(&sectors, &f[2]) != ZG_OK || zg_abi_get_u64(&size, &sub->u.items[0]) != ZG_OK)
    goto bad;
  const zg_abi_value_t *arr = &sub->u.items[2];
  n = arr->len;
  if (n == 0 || n > ZG_SUBMISSION_MAX_NODES) goto bad;
  for (size_t i = 0; i < n; i++) {
    uint64_t h;
    const zg_abi_value_t *nd = arr->u.items[i].u.items;
    if (zg_abi_get_word(nodes[i].root, &nd[0]) != ZG_OK || zg_abi_get_u64(&h, &nd[1]) != ZG_OK ||
        h >= ZG_SUBMISSION_MAX_HEIGHT)
      goto bad;
    nodes[i].height = (uint32_t)h;
  }
  zg_slice_t tags;
  if (zg_abi_get_bytes(&tags, &sub->u.items[1]) != ZG_OK) goto bad;

  uint64_t next = zg_storage_next_seq(st);
  if (index < next) { /* applied in an earlier round */
    zg_abi_arena_clear(&arena);
    return ZG_OK;
  }
  if (index > next) {
    zg_abi_arena_clear(&arena);
    err->cls = ZG_STORAGE_BAD_PARAMS;
    snprintf(err->message, sizeof err->message, "submission %" PRIu64 " arrived while %" PRIu64 " is next", index,
             next);
    return ZG_ESTATE;
  }
  /* The sender (topic 1) and the tags, for the KV role: stored before the
   * entry, so an entry never exists without them. */
  e = zg_storage_entry_meta_put(st, index, topics[1] + 12, tags.ptr, tags.len);
  zg_abi_arena_clear(&arena);
  if (e != ZG_OK) {
    err->cls = ZG_STORAGE_INTERNAL;
    snprintf(err->message, sizeof err->message, "entry extras of %" PRIu64 ": %s", index, zg_strerror(e));
    return e;
  }
  e = zg_storage_add_entry(st, NULL, err, size, nodes, n, start);
  if (e == ZG_OK) *applied = true;
  return e;
bad:
  zg_abi_arena_clear(&arena);
  err->cls = ZG_STORAGE_BAD_PARAMS;
  snprintf(err->message, sizeof err->message, "malformed Submit log data");
  return ZG_EINVAL;
}

/* ---- progress file ---- */

static zg_err_t state_load(follower_t *fw) {
  if (!fw->state_path) return ZG_OK;
  FILE *f = fopen(fw->state_path, "r");
  if (!f) return ZG_OK; /* first start */
  char hex[80] = {0};
  uint64_t next = 0;
  int ver = 0;
  int got = fscanf(f, "zg-follower %d %" SCNu64 " %66s", &ver, &next, hex);
  fclose(f);
  if (got != 3 || ver != 1 || zg_hex_decode(fw->last_hash, 32, hex, strlen(hex)) != ZG_OK) return ZG_ECORRUPT;
  fw->next_block = next;
  return ZG_OK;
}

static zg_err_t state_save(follower_t *fw, uint64_t next, const uint8_t hash[32]) {
  if (!fw->state_path) return ZG_OK;
  size_t n = strlen(fw->state_path);
  char *tmp = malloc(n + 5);
  if (!tmp) return ZG_ENOMEM;
  memcpy(tmp, fw->state_path, n);
  memcpy(tmp + n, ".tmp", 5);
  char hex[67];
  zg_hex_encode(hex, hash, 32);
  zg_err_t e = ZG_EIO;
  FILE *f = fopen(tmp, "w");
  if (f) {
    bool ok = fprintf(f, "zg-follower 1 %" PRIu64 " %s\n", next, hex) > 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = (fclose(f) == 0) && ok;
    if (ok && rename(tmp, fw->state_path) == 0) e = ZG_OK;
  }
  free(tmp);
  return e;
}

/* ---- JSON helpers ---- */

static zg_err_t json_u64_hex(uint64_t *out, const json_t *v) {
  const char *s = json_string_value(v);
  if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2] || strlen(s) > 18) return ZG_EJSON;
  uint64_t x = 0;
  for (const char *p = s + 2; *p; p++) {
    int d = (*p >= '0' && *p <= '9') ? *p - '0' : (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10
                                               : (*p >= 'A' && *p <= 'F') ? *p - 'A' + 10 : -1;
    if (d < 0) return ZG_EJSON;
    x = x << 4 | (uint64_t)d;
  }
  *out = x;
  return ZG_OK;
}

static json_t *hex_u64(uint64_t v) {
  char s[24];
  snprintf(s, sizeof s, "0x%" PRIx64, v);
  return json_string(s);
}

static zg_err_t call_u64(follower_t *fw, uint64_t *out, const char *method) {
  json_t *r = NULL;
  zg_rpc_error_t rerr;
  zg_err_t e = zg_rpc_client_call(fw->rpc, &r, &rerr, method, json_array());
  if (e == ZG_OK) e = json_u64_hex(out, r);
  json_decref(r);
  return e;
}

static zg_err_t block_hash(follower_t *fw, uint8_t out[32], uint64_t number) {
  json_t *r = NULL;
  zg_rpc_error_t rerr;
  zg_err_t e = zg_rpc_client_call(fw->rpc, &r, &rerr, "eth_getBlockByNumber", json_pack("[o, b]", hex_u64(number), 0));
  if (e != ZG_OK) return e;
  const char *h = json_string_value(json_object_get(r, "hash"));
  e = h ? zg_hex_decode(out, 32, h, strlen(h)) : ZG_EJSON;
  json_decref(r);
  return e;
}

/* Applies the logs of blocks [from, to]. */
static zg_err_t apply_window(follower_t *fw, uint64_t *applied, zg_storage_err_t *err, uint64_t from, uint64_t to) {
  char addr[43], topic_hex[67];
  uint8_t topic0[32];
  zg_hex_encode(addr, fw->cfg.flow_address, 20);
  zg_abi_event_topic(topic0, ZG_FLOW_EVENT_SUBMIT, strlen(ZG_FLOW_EVENT_SUBMIT));
  zg_hex_encode(topic_hex, topic0, 32);
  json_t *filter = json_pack("[{s:o, s:o, s:s, s:[s]}]", "fromBlock", hex_u64(from), "toBlock", hex_u64(to),
                             "address", addr, "topics", topic_hex);
  if (!filter) return ZG_ENOMEM;
  json_t *logs = NULL;
  zg_rpc_error_t rerr;
  zg_err_t e = zg_rpc_client_call(fw->rpc, &logs, &rerr, "eth_getLogs", filter);
  if (e != ZG_OK) {
    zg_log(ZG_LOG_WARN, COMP, "eth_getLogs [%" PRIu64 ", %" PRIu64 "]: %s %s", from, to, zg_strerror(e),
           rerr.message);
    return e;
  }
  if (!json_is_array(logs)) {
    json_decref(logs);
    return ZG_EJSON;
  }
  zg_buf_t data;
  zg_buf_init(&data);
  size_t i;
  json_t *lg;
  json_array_foreach(logs, i, lg) {
    json_t *tj = json_object_get(lg, "topics");
    const char *dj = json_string_value(json_object_get(lg, "data"));
    uint8_t topics[ZG_ABI_MAX_TOPICS][32];
    size_t nt = json_array_size(tj);
    if (json_is_true(json_object_get(lg, "removed"))) continue;
    if (!dj || !json_is_array(tj) || nt > ZG_ABI_MAX_TOPICS) {
      e = ZG_EJSON;
      break;
    }
    for (size_t k = 0; k < nt && e == ZG_OK; k++) {
      const char *s = json_string_value(json_array_get(tj, k));
      e = s ? zg_hex_decode(topics[k], 32, s, strlen(s)) : ZG_EJSON;
    }
    data.len = 0;
    if (e == ZG_OK) e = zg_hex_decode_buf(&data, dj, strlen(dj));
    bool done = false;
    if (e == ZG_OK) e = zg_follower_apply_log(fw->base.storage, &done, err, (const uint8_t(*)[32])topics, nt,
                                              data.ptr, data.len);
    if (e != ZG_OK) break;
    if (done) ++*applied;
  }
  zg_buf_clear(&data);
  json_decref(logs);
  return e;
}

zg_err_t zg_follower_poll(zg_log_source_t *src, uint64_t *applied, zg_storage_err_t *err) {
  follower_t *fw = (follower_t *)src;
  uint64_t count = 0;
  zg_storage_err_t scratch;
  if (!err) err = &scratch;
  memset(err, 0, sizeof *err);
  if (applied) *applied = 0;
  zg_err_t e = ZG_OK;
  if (fw->chain_id == 0) {
    uint64_t id = 0;
    if ((e = call_u64(fw, &id, "eth_chainId")) != ZG_OK) return e;
    pthread_mutex_lock(&fw->mu);
    fw->chain_id = id;
    pthread_mutex_unlock(&fw->mu);
  }
  uint64_t head;
  if ((e = call_u64(fw, &head, "eth_blockNumber")) != ZG_OK) return e;
  if (head < fw->cfg.confirmations) return ZG_OK;
  uint64_t safe = head - fw->cfg.confirmations;
  while (fw->next_block <= safe) {
    uint64_t from = fw->next_block, to = safe;
    if (to - from >= fw->cfg.max_range) to = from + fw->cfg.max_range - 1;
    uint64_t n = 0;
    e = apply_window(fw, &n, err, from, to);
    count += n;
    if (e != ZG_OK) break;
    uint8_t hash[32];
    if ((e = block_hash(fw, hash, to)) != ZG_OK) break;
    if ((e = state_save(fw, to + 1, hash)) != ZG_OK) break;
    pthread_mutex_lock(&fw->mu);
    fw->next_block = to + 1;
    memcpy(fw->last_hash, hash, 32);
    pthread_mutex_unlock(&fw->mu);
  }
  if (applied) *applied = count;
  return e;
}

/* ---- thread ---- */

static void *loop(void *arg) {
  follower_t *fw = arg;
  pthread_mutex_lock(&fw->stop_mu);
  while (!fw->stop) {
    pthread_mutex_unlock(&fw->stop_mu);
    uint64_t n = 0;
    zg_storage_err_t err;
    zg_err_t e = zg_follower_poll(&fw->base, &n, &err);
    if (e != ZG_OK)
      zg_log(ZG_LOG_WARN, COMP, "round failed: %s %s", zg_strerror(e), err.message);
    else if (n)
      zg_log(ZG_LOG_INFO, COMP, "%" PRIu64 " entries, next block %" PRIu64, n, fw->next_block);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t ns = (uint64_t)ts.tv_nsec + (uint64_t)fw->cfg.poll_ms * 1000000u;
    ts.tv_sec += (time_t)(ns / 1000000000u);
    ts.tv_nsec = (long)(ns % 1000000000u);
    pthread_mutex_lock(&fw->stop_mu);
    if (!fw->stop) pthread_cond_timedwait(&fw->stop_cv, &fw->stop_mu, &ts);
  }
  pthread_mutex_unlock(&fw->stop_mu);
  return NULL;
}

zg_err_t zg_follower_start(zg_log_source_t *src) {
  follower_t *fw = (follower_t *)src;
  if (fw->started) return ZG_ESTATE;
  if (pthread_create(&fw->thread, NULL, loop, fw) != 0) return ZG_ENOMEM;
  fw->started = true;
  return ZG_OK;
}

/* ---- source ops ---- */

static zg_err_t fw_submit(zg_log_source_t *src, zg_logstore_tx_t *out, zg_storage_err_t *err, uint64_t size,
                          const zg_merkle_node_t *nodes, size_t n) {
  (void)src, (void)out, (void)size, (void)nodes, (void)n;
  err->cls = ZG_STORAGE_BAD_PARAMS;
  snprintf(err->message, sizeof err->message, "this node follows the chain: submit through Flow.submit");
  return ZG_EUNSUPPORTED;
}

static void fw_progress(zg_log_source_t *src, uint64_t *height, uint8_t block[32]) {
  follower_t *fw = (follower_t *)src;
  pthread_mutex_lock(&fw->mu);
  *height = fw->next_block ? fw->next_block - 1 : 0;
  memcpy(block, fw->last_hash, 32);
  pthread_mutex_unlock(&fw->mu);
}

void zg_follower_network(zg_log_source_t *src, uint64_t *chain_id, uint8_t flow_address[20]) {
  follower_t *fw = (follower_t *)src;
  pthread_mutex_lock(&fw->mu);
  *chain_id = fw->chain_id;
  pthread_mutex_unlock(&fw->mu);
  memcpy(flow_address, fw->cfg.flow_address, 20);
}

static void fw_destroy(zg_log_source_t *src) {
  follower_t *fw = (follower_t *)src;
  if (!fw) return;
  if (fw->started) {
    pthread_mutex_lock(&fw->stop_mu);
    fw->stop = true;
    pthread_cond_signal(&fw->stop_cv);
    pthread_mutex_unlock(&fw->stop_mu);
    pthread_join(fw->thread, NULL);
  }
  zg_rpc_client_destroy(fw->rpc);
  pthread_mutex_destroy(&fw->mu);
  pthread_mutex_destroy(&fw->stop_mu);
  pthread_cond_destroy(&fw->stop_cv);
  free(fw->url);
  free(fw->state_path);
  free(fw);
}

static const zg_log_source_ops_t follower_ops = {"chain", fw_submit, fw_progress, fw_destroy, zg_follower_network};

zg_err_t zg_follower_create(zg_log_source_t **out, zg_storage_t *st, const zg_follower_cfg_t *cfg, char *msg,
                            size_t msglen) {
  *out = NULL;
  if (msg && msglen) msg[0] = '\0';
  if (!st || !cfg || !cfg->rpc_url || !*cfg->rpc_url) {
    if (msg) snprintf(msg, msglen, "the follower needs the chain's RPC URL");
    return ZG_EINVAL;
  }
  follower_t *fw = calloc(1, sizeof *fw);
  if (!fw) return ZG_ENOMEM;
  fw->base.ops = &follower_ops;
  fw->base.storage = st;
  fw->cfg = *cfg;
  if (!fw->cfg.max_range) fw->cfg.max_range = 1000;
  if (!fw->cfg.poll_ms) fw->cfg.poll_ms = 500;
  fw->next_block = cfg->start_block;
  pthread_mutex_init(&fw->mu, NULL);
  pthread_mutex_init(&fw->stop_mu, NULL);
  pthread_cond_init(&fw->stop_cv, NULL);
  fw->url = strdup(cfg->rpc_url);
  fw->state_path = cfg->state_path ? strdup(cfg->state_path) : NULL;
  fw->cfg.rpc_url = fw->url;
  fw->cfg.state_path = fw->state_path;
  zg_err_t e = ZG_ENOMEM;
  if (!fw->url || (cfg->state_path && !fw->state_path)) goto fail;
  if ((e = zg_rpc_client_create(&fw->rpc, fw->url, cfg->timeout_ms ? cfg->timeout_ms : 10000)) != ZG_OK) goto fail;
  if ((e = state_load(fw)) != ZG_OK) {
    if (msg) snprintf(msg, msglen, "unreadable follower state %s", fw->state_path);
    goto fail;
  }
  *out = &fw->base;
  return ZG_OK;
fail:
  fw_destroy(&fw->base);
  return e;
}

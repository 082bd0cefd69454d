/*
 * miner.c — the PoRA mining loop (zg/storage_miner.h): registration with a
 * persisted miner id, the worker context and the decisions that gate
 * mining (target, empty digest, subtask window, node behind), batches of
 * nonces under a CPU share, answers offered to Mine, counters, the thread.
 *
 * Invariants:
 *  - the seed is persisted before requestMinerId is sent, the id after its
 *    receipt: a restart never registers twice by accident (a lost id after a
 *    crash between the two costs a new registration with a new seed);
 *  - an answer is sent only for the context it was mined in: the worker
 *    context is read again after a hit and a changed digest drops it;
 *  - answers_submitted = accepted + rejected + answers whose transaction
 *    failed in transport (counted in chain_errors).
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "miner_internal.h"
#include "zg/abi.h"
#include "zg/log.h"

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void zg__miner_count(zg_miner_t *m, uint64_t *field, _Atomic(zg_metric_t *) *metric, uint64_t n) {
  pthread_mutex_lock(&m->mu);
  *field += n;
  zg_metric_t *c = metric ? atomic_load(metric) : NULL;
  if (c) zg_counter_add(c, n); /* under mu: registration adds the counts before it exactly once */
  pthread_mutex_unlock(&m->mu);
}

void zg__miner_error(zg_miner_t *m, const char *fmt, ...) {
  char msg[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  pthread_mutex_lock(&m->mu);
  snprintf(m->st.last_error, sizeof m->st.last_error, "%s", msg);
  pthread_mutex_unlock(&m->mu);
  zg_logw("miner", "%s", msg);
}

static void set_idle(zg_miner_t *m, const char *why) {
  pthread_mutex_lock(&m->mu);
  snprintf(m->st.idle_reason, sizeof m->st.idle_reason, "%s", why);
  pthread_mutex_unlock(&m->mu);
}

/* ---- persisted state: {"seed": N, "minerId": "0x.."} ---- */

static zg_err_t state_load(zg_miner_t *m, char *msg, size_t msglen) {
  if (!m->state_path) return ZG_OK;
  json_error_t je;
  json_t *j = json_load_file(m->state_path, 0, &je);
  if (!j) {
    if (access(m->state_path, F_OK) != 0 && errno == ENOENT) return ZG_OK;
    if (msg) snprintf(msg, msglen, "miner state %s: %s", m->state_path, je.text);
    return ZG_ECORRUPT;
  }
  zg_err_t e = ZG_OK;
  json_t *seed = json_object_get(j, "seed"), *id = json_object_get(j, "minerId");
  if (json_is_integer(seed)) {
    m->seed = (uint64_t)json_integer_value(seed);
    m->have_seed = true;
  }
  if (id) {
    const char *s = json_string_value(id);
    if (!s || zg_hex_decode(m->miner_id, 32, s, strlen(s)) != ZG_OK) e = ZG_ECORRUPT;
    else m->registered = true;
  }
  if (e == ZG_OK && m->registered && !m->have_seed) e = ZG_ECORRUPT;
  if (e != ZG_OK && msg) snprintf(msg, msglen, "miner state %s: malformed", m->state_path);
  json_decref(j);
  return e;
}

static zg_err_t state_save(zg_miner_t *m) {
  if (!m->state_path) return ZG_OK;
  char tmp[4200], hex[67];
  json_t *j = json_pack("{s:I}", "seed", (json_int_t)m->seed);
  if (!j) return ZG_ENOMEM;
  if (m->registered) {
    zg_hex_encode(hex, m->miner_id, 32);
    json_object_set_new(j, "minerId", json_string(hex));
  }
  snprintf(tmp, sizeof tmp, "%s.tmp", m->state_path);
  zg_err_t e = ZG_OK;
  FILE *f = fopen(tmp, "w");
  if (!f || json_dumpf(j, f, JSON_COMPACT) != 0 || fputc('\n', f) == EOF || fflush(f) != 0 ||
      fsync(fileno(f)) != 0)
    e = ZG_EIO;
  if (f && fclose(f) != 0) e = ZG_EIO;
  if (e == ZG_OK && rename(tmp, m->state_path) != 0) e = ZG_EIO;
  json_decref(j);
  return e;
}

/* ---- lifecycle ---- */

zg_err_t zg_miner_create(zg_miner_t **out, const zg_miner_cfg_t *cfg, char *msg, size_t msglen) {
  *out = NULL;
  if (!cfg || !cfg->storage || !cfg->chain.info || !cfg->chain.head || !cfg->chain.call || !cfg->chain.send ||
      cfg->cpu_percent > 100) {
    if (msg) snprintf(msg, msglen, "miner: storage, chain and cpuPercent 1..100 are required");
    if (cfg && cfg->chain.destroy) cfg->chain.destroy(cfg->chain.arg);
    return ZG_EINVAL;
  }
  zg_miner_t *m = calloc(1, sizeof *m);
  if (!m) {
    if (cfg->chain.destroy) cfg->chain.destroy(cfg->chain.arg);
    return ZG_ENOMEM;
  }
  m->cfg = *cfg;
  if (!m->cfg.cpu_percent) m->cfg.cpu_percent = 100;
  if (!m->cfg.batch_nonces) m->cfg.batch_nonces = 256;
  if (!m->cfg.poll_ms) m->cfg.poll_ms = 500;
  if (m->cfg.cache_loads > 4096) m->cfg.cache_loads = 4096;
  m->cfg.state_path = NULL;
  pthread_mutex_init(&m->mu, NULL);
  pthread_cond_init(&m->cv, NULL);
  atomic_init(&m->running, false);
  atomic_init(&m->c_iter, NULL);
  atomic_init(&m->c_sub, NULL);
  atomic_init(&m->c_acc, NULL);
  atomic_init(&m->c_rej, NULL);
  zg_err_t e = ZG_OK;
  m->scratch = malloc(sizeof *m->scratch);
  m->plain = malloc(ZG_PORA_LOAD_BYTES);
  m->segbuf = malloc(ZG_PORA_LOAD_BYTES);
  m->cache = calloc(m->cfg.cache_loads ? m->cfg.cache_loads : 1, sizeof *m->cache);
  if (cfg->state_path && !(m->state_path = strdup(cfg->state_path))) e = ZG_ENOMEM;
  if (!m->scratch || !m->plain || !m->segbuf || !m->cache) e = ZG_ENOMEM;
  for (unsigned i = 0; e == ZG_OK && i < m->cfg.cache_loads; i++) {
    m->cache[i].load_start = UINT64_MAX;
    if (!(m->cache[i].sealed = malloc(ZG_PORA_LOAD_BYTES))) e = ZG_ENOMEM;
  }
  if (e == ZG_OK) e = zg_random_bytes(m->nonce, 24);
  if (e == ZG_OK) e = state_load(m, msg, msglen);
  if (e == ZG_OK && !m->have_seed) {
    m->seed = cfg->seed;
    if (!cfg->has_seed && zg_random_bytes(&m->seed, sizeof m->seed) != ZG_OK) e = ZG_ERANDOM;
  }
  if (e != ZG_OK) {
    if (e == ZG_ENOMEM && msg) snprintf(msg, msglen, "miner: out of memory");
    zg_miner_destroy(m);
    return e;
  }
  memcpy(m->st.miner_id, m->miner_id, 32);
  m->st.registered = m->registered;
  snprintf(m->st.idle_reason, sizeof m->st.idle_reason, "not started");
  *out = m;
  return ZG_OK;
}

static void *thread_main(void *arg);

zg_err_t zg_miner_start(zg_miner_t *m) {
  pthread_mutex_lock(&m->mu);
  zg_err_t e = ZG_OK;
  if (m->quit) e = ZG_ECLOSED; /* halted */
  else if (!m->thread_started) {
    if (pthread_create(&m->thread, NULL, thread_main, m) != 0) e = ZG_ENOMEM;
    else m->thread_started = true;
  }
  if (e == ZG_OK) {
    atomic_store(&m->running, true);
    m->st.running = true;
    pthread_cond_broadcast(&m->cv);
  }
  pthread_mutex_unlock(&m->mu);
  return e;
}

void zg_miner_stop(zg_miner_t *m) {
  pthread_mutex_lock(&m->mu);
  atomic_store(&m->running, false);
  m->st.running = false;
  snprintf(m->st.idle_reason, sizeof m->st.idle_reason, "stopped");
  pthread_cond_broadcast(&m->cv);
  pthread_mutex_unlock(&m->mu);
}

void zg_miner_halt(zg_miner_t *m) {
  if (!m) return;
  pthread_mutex_lock(&m->mu);
  m->quit = true;
  atomic_store(&m->running, false);
  m->st.running = false;
  pthread_cond_broadcast(&m->cv);
  bool join = m->thread_started && !m->joined;
  m->joined = true;
  pthread_mutex_unlock(&m->mu);
  if (join) pthread_join(m->thread, NULL);
}

void zg_miner_destroy(zg_miner_t *m) {
  if (!m) return;
  zg_miner_halt(m);
  if (m->cfg.chain.destroy) m->cfg.chain.destroy(m->cfg.chain.arg);
  for (unsigned i = 0; m->cache && i < m->cfg.cache_loads; i++) free(m->cache[i].sealed);
  free(m->cache);
  free(m->scratch);
  free(m->plain);
  free(m->segbuf);
  free(m->state_path);
  pthread_cond_destroy(&m->cv);
  pthread_mutex_destroy(&m->mu);
  zg_memwipe(m, sizeof *m);
  free(m);
}

void zg_miner_status(zg_miner_t *m, zg_miner_status_t *out) {
  pthread_mutex_lock(&m->mu);
  *out = m->st;
  pthread_mutex_unlock(&m->mu);
}

/* ---- chain helpers ---- */

/* eth_call of a view sig of contract `to` with one bytes32 argument or none; the return data in ret. */
static zg_err_t view_at(zg_miner_t *m, zg_buf_t *ret, const zg_eth_addr_t *to, const char *sig, const uint8_t *arg32) {
  uint8_t cd[4 + 32];
  char why[160];
  bool reverted = false;
  zg_abi_selector(cd, sig, strlen(sig));
  if (arg32) memcpy(cd + 4, arg32, 32);
  ZG_TRY(m->cfg.chain.call(m->cfg.chain.arg, ret, &reverted, why, sizeof why, to, cd, arg32 ? sizeof cd : 4));
  if (reverted) {
    zg__miner_error(m, "%s reverted: %s", sig, why);
    return ZG_EREVERT;
  }
  return ZG_OK;
}

static zg_err_t mine_view(zg_miner_t *m, zg_buf_t *ret, const char *sig, const uint8_t *arg32) {
  return view_at(m, ret, &zg_mine_address, sig, arg32);
}

static zg_err_t view_u64(zg_miner_t *m, uint64_t *out, const zg_eth_addr_t *to, const char *sig) {
  zg_buf_t r;
  zg_buf_init(&r);
  zg_err_t e = view_at(m, &r, to, sig, NULL);
  if (e == ZG_OK && r.len != 32) e = ZG_EJSON;
  if (e == ZG_OK) *out = zg_load_be64(r.ptr + 24);
  zg_buf_clear(&r);
  return e;
}

static zg_err_t ensure_info(zg_miner_t *m) {
  if (m->have_info) return ZG_OK;
  ZG_TRY(m->cfg.chain.info(m->cfg.chain.arg, &m->chain_id, &m->sender));
  m->beneficiary = m->cfg.has_beneficiary ? m->cfg.beneficiary : m->sender;
  ZG_TRY(view_u64(m, &m->n_subtasks, &zg_mine_address, "nSubtasks()"));
  ZG_TRY(view_u64(m, &m->interval, &zg_mine_address, "subtaskInterval()"));
  ZG_TRY(view_u64(m, &m->target_mine_blocks, &zg_mine_address, "targetMineBlocks()"));
  ZG_TRY(view_u64(m, &m->first_block, &zg_flow_address, "firstBlock()"));
  ZG_TRY(view_u64(m, &m->blocks_per_epoch, &zg_flow_address, "blocksPerEpoch()"));
  m->have_info = true;
  pthread_mutex_lock(&m->mu);
  m->st.sender = m->sender;
  m->st.beneficiary = m->beneficiary;
  pthread_mutex_unlock(&m->mu);
  return ZG_OK;
}

/* requestMinerId(beneficiary, seed) once; the id from the receipt's block. */
static zg_err_t ensure_registered(zg_miner_t *m) {
  if (m->registered) return ZG_OK;
  m->have_seed = true;
  ZG_TRY(state_save(m));
  zg_abi_arena_t ar;
  zg_abi_func_t f;
  zg_buf_t cd;
  zg_abi_arena_init(&ar);
  zg_buf_init(&cd);
  zg_abi_value_t args[2] = {zg_abi_address(m->beneficiary.bytes), zg_abi_u64(m->seed)};
  zg_err_t e = zg_abi_func_parse(&f, &ar, ZG_MINE_SIG_REQUEST_MINER_ID);
  if (e == ZG_OK) e = zg_abi_call_encode(&cd, &f, args, 2);
  bool ok = false;
  uint64_t block = 0;
  char why[160] = "";
  if (e == ZG_OK) e = m->cfg.chain.send(m->cfg.chain.arg, &ok, &block, why, sizeof why, &zg_mine_address, cd.ptr, cd.len);
  zg_buf_clear(&cd);
  zg_abi_arena_clear(&ar);
  if (e == ZG_OK && !ok) {
    /* "MinerId has registered": this seed was used in this block before; take another. */
    zg__miner_error(m, "requestMinerId reverted: %s", why);
    if (zg_random_bytes(&m->seed, sizeof m->seed) == ZG_OK) (void)state_save(m);
    return ZG_EREVERT;
  }
  if (e != ZG_OK) {
    zg__miner_error(m, "requestMinerId: %s%s%s", zg_strerror(e), why[0] ? ": " : "", why);
    return e;
  }
  uint8_t bd[32], id[32];
  zg_storage_block_digest(bd, m->chain_id, block ? block - 1 : 0);
  zg_mine_miner_id(id, bd, &m->sender, m->seed);
  /* The beneficiary Mine recorded under the id proves the id right. */
  zg_buf_t r;
  zg_buf_init(&r);
  e = mine_view(m, &r, "beneficiaries(bytes32)", id);
  if (e == ZG_OK && (r.len != 32 || memcmp(r.ptr + 12, m->beneficiary.bytes, 20) != 0)) e = ZG_ESTATE;
  zg_buf_clear(&r);
  if (e != ZG_OK) {
    zg__miner_error(m, "miner id of block %" PRIu64 " not found in Mine: %s", block, zg_strerror(e));
    return e;
  }
  memcpy(m->miner_id, id, 32);
  m->registered = true;
  e = state_save(m);
  char hex[67];
  zg_hex_encode(hex, id, 32);
  zg_logi("miner", "registered miner id %s (block %" PRIu64 ", seed %" PRIu64 ")", hex, block, m->seed);
  pthread_mutex_lock(&m->mu);
  m->st.registered = true;
  memcpy(m->st.miner_id, id, 32);
  pthread_mutex_unlock(&m->mu);
  return e;
}

/* Reads the worker context into *c. */
static zg_err_t read_context(zg_miner_t *m, zg__miner_ctx_t *c) {
  zg_buf_t r;
  zg_buf_init(&r);
  memset(c, 0, sizeof *c);
  zg_err_t e = mine_view(m, &r, ZG_MINE_SIG_WORKER_CONTEXT, m->miner_id);
  if (e == ZG_OK && r.len != 288) e = ZG_EJSON;
  if (e == ZG_OK) {
    const uint8_t *p = r.ptr;
    c->epoch = zg_load_be64(p + 24);
    c->mine_start = zg_load_be64(p + 56);
    memcpy(c->flow_root, p + 64, 32);
    c->flow_length = zg_load_be64(p + 120);
    memcpy(c->block_digest, p + 128, 32);
    memcpy(c->digest, p + 160, 32);
    zg_u256_from_be32(&c->target, p + 192);
    memcpy(c->subtask, p + 224, 32);
    c->max_shards = zg_load_be64(p + 280);
    uint8_t sub[32];
    zg_mine_subtask(&c->window_start, sub, c->digest, m->miner_id, c->mine_start, m->n_subtasks, m->interval,
                    m->chain_id);
    c->valid = true;
  }
  zg_buf_clear(&r);
  return e;
}

static zg_err_t refresh_context(zg_miner_t *m, bool force) {
  uint64_t t = now_ms();
  if (!force && m->ctx.valid && t - m->ctx_ms < m->cfg.poll_ms) return ZG_OK;
  zg__miner_ctx_t c;
  ZG_TRY(m->cfg.chain.head(m->cfg.chain.arg, &m->head));
  ZG_TRY(read_context(m, &c));
  if (!m->ctx.valid || memcmp(c.digest, m->ctx.digest, 32) != 0)
    zg_logi("miner", "epoch %" PRIu64 ": flow length %" PRIu64 ", window (%" PRIu64 ", %" PRIu64 "]", c.epoch,
            c.flow_length, c.window_start, c.window_start + m->target_mine_blocks);
  m->ctx = c;
  m->ctx_ms = t;
  pthread_mutex_lock(&m->mu);
  m->st.epoch = c.epoch;
  m->st.flow_length = c.flow_length;
  pthread_mutex_unlock(&m->mu);
  return ZG_OK;
}

/* Why nothing can be mined now (NULL: mine). */
static const char *idle_reason(zg_miner_t *m) {
  static const uint8_t zero[32];
  const zg__miner_ctx_t *c = &m->ctx;
  if (memcmp(c->digest, zg_storage_empty_hash, 32) == 0 || memcmp(c->digest, zero, 32) == 0)
    return "no epoch to mine yet (empty context digest)";
  if (zg_u256_is_zero(&c->target)) return "the epoch has enough submissions";
  uint64_t next = m->head + 1;
  if (next <= c->window_start || next - c->window_start > m->target_mine_blocks)
    return "outside the subtask window";
  /* The epoch's last block is firstBlock + (epoch+1)·blocksPerEpoch; an
   * answer landing after it is refused, so the last blocks are not mined. */
  uint64_t end = m->first_block + (c->epoch + 1) * m->blocks_per_epoch;
  if (m->blocks_per_epoch > ZG__MINER_END_MARGIN && next + ZG__MINER_END_MARGIN > end)
    return "the epoch ends before an answer could land";
  uint8_t root[32];
  uint64_t len;
  zg_storage_flow_context(m->cfg.storage, root, &len);
  if (len < c->flow_length) return "this node's flow is behind the context";
  zg_pora_range_t r;
  if (zg__miner_range(m, &r) != ZG_OK) return "the flow holds less than one load";
  if (zg_pora_num_shards(&r) > c->max_shards) return "more shards than Mine's maxShards";
  return NULL;
}

/* ---- answers ---- */

/* A revert without a reason (a receipt has none): the likely one from the
 * chain as it is now. */
static void diagnose(zg_miner_t *m, char *why, size_t len, const zg_mine_answer_t *a, uint64_t block) {
  const char *guess = "no reason given by the chain";
  zg__miner_ctx_t saved = m->ctx;
  if (refresh_context(m, true) == ZG_OK) {
    if (memcmp(m->ctx.digest, a->context_digest, 32) != 0) guess = "likely the epoch changed before inclusion";
    else if (zg_u256_is_zero(&m->ctx.target)) guess = "likely Epoch has enough submissions";
    else if (idle_reason(m)) guess = "likely Not in the subtask window";
  } else {
    m->ctx = saved;
  }
  snprintf(why, len, "reverted in block %" PRIu64 " (%s)", block, guess);
}

zg_err_t zg_miner_submit(zg_miner_t *m, bool *accepted, char *reason, size_t rlen, const zg_mine_answer_t *a) {
  *accepted = false;
  if (reason && rlen) reason[0] = '\0';
  zg_buf_t cd;
  zg_buf_init(&cd);
  ZG_TRY(zg_mine_answer_encode(&cd, a));
  zg__miner_count(m, &m->st.answers_submitted, &m->c_sub, 1);
  char why[160] = "";
  bool reverted = false, ok = false;
  uint64_t block = 0;
  zg_buf_t ret;
  zg_buf_init(&ret);
  /* Simulate first: a revert reason is only visible through eth_call (when
   * the chain can run a state-changing method there). */
  zg_err_t e = ZG_OK;
  if (!m->no_simulate) {
    e = m->cfg.chain.call(m->cfg.chain.arg, &ret, &reverted, why, sizeof why, &zg_mine_address, cd.ptr, cd.len);
    if (e == ZG_EUNSUPPORTED) {
      m->no_simulate = true;
      e = ZG_OK;
    }
  }
  zg_buf_clear(&ret);
  if (e == ZG_OK && !reverted) {
    e = m->cfg.chain.send(m->cfg.chain.arg, &ok, &block, why, sizeof why, &zg_mine_address, cd.ptr, cd.len);
    if (e == ZG_OK && !ok) diagnose(m, why, sizeof why, a, block);
  }
  zg_buf_clear(&cd);
  if (e != ZG_OK) {
    zg__miner_count(m, &m->st.chain_errors, NULL, 1);
    zg__miner_error(m, "Mine.submit: %s%s%s", zg_strerror(e), why[0] ? ": " : "", why);
    return e;
  }
  *accepted = ok;
  if (ok) {
    zg__miner_count(m, &m->st.answers_accepted, &m->c_acc, 1);
    zg_logi("miner", "answer accepted in block %" PRIu64 " (epoch %" PRIu64 ", recall position %" PRIu64 ")", block,
            m->ctx.epoch, a->recall_position);
  } else {
    zg__miner_count(m, &m->st.answers_rejected, &m->c_rej, 1);
    zg__miner_error(m, "answer rejected by Mine: %s", why);
  }
  if (reason && rlen) snprintf(reason, rlen, "%s", why);
  return ZG_OK;
}

/* A hit: build, check the epoch, submit. */
static zg_err_t on_hit(zg_miner_t *m, zg_miner_outcome_t *out, const uint8_t nonce[32], uint64_t pos) {
  zg_mine_answer_t *a = malloc(sizeof *a);
  if (!a) return ZG_ENOMEM;
  zg__miner_count(m, &m->st.hits, NULL, 1);
  zg_err_t e = zg_miner_build_answer(m, a, nonce, pos);
  if (e != ZG_OK) {
    zg__miner_error(m, "hit at %" PRIu64 " but no answer: %s", pos, zg_strerror(e));
    free(a);
    *out = ZG_MINER_SEARCHED;
    return e == ZG_ESTATE || e == ZG_ENOTFOUND ? ZG_OK : e;
  }
  uint8_t digest[32];
  memcpy(digest, m->ctx.digest, 32);
  e = refresh_context(m, true);
  if (e == ZG_OK && (memcmp(digest, m->ctx.digest, 32) != 0 || idle_reason(m))) {
    zg__miner_count(m, &m->st.answers_stale, NULL, 1);
    zg_logi("miner", "hit at %" PRIu64 " dropped: the epoch changed or the window closed", pos);
    *out = ZG_MINER_STALE;
  } else if (e == ZG_OK) {
    bool accepted;
    e = zg_miner_submit(m, &accepted, NULL, 0, a);
    if (e == ZG_OK) *out = accepted ? ZG_MINER_ACCEPTED : ZG_MINER_REJECTED;
  }
  free(a);
  return e;
}

/* One round; threaded: stop between nonces when miner_stop is called. */
static zg_err_t step(zg_miner_t *m, zg_miner_outcome_t *out, bool threaded) {
  *out = ZG_MINER_IDLE;
  ZG_TRY(ensure_info(m));
  ZG_TRY(ensure_registered(m));
  ZG_TRY(refresh_context(m, false));
  const char *why = idle_reason(m);
  if (why) {
    set_idle(m, why);
    return ZG_OK;
  }
  set_idle(m, "");
  zg_pora_range_t range;
  zg_u256_t scaled;
  ZG_TRY(zg__miner_range(m, &range));
  ZG_TRY(zg_pora_scaled_target(&scaled, &m->ctx.target, m->ctx.flow_length, zg_pora_num_shards(&range)));
  *out = ZG_MINER_SEARCHED;
  double t0 = now_s();
  uint64_t n = 0;
  zg_err_t e = ZG_OK;
  for (unsigned i = 0; i < m->cfg.batch_nonces; i++) {
    if (threaded && !atomic_load(&m->running)) break;
    uint64_t ctr = zg_load_be64(m->nonce + 24) + 1;
    zg_store_be64(m->nonce + 24, ctr);
    zg_pora_result_t res;
    e = zg_pora_iterate(&res, m->scratch, m->miner_id, m->nonce, m->ctx.subtask, &range, &scaled, zg__miner_load_fn,
                        m);
    if (e != ZG_OK) break;
    n++;
    if (res.hit) {
      double dt = now_s() - t0;
      zg__miner_count(m, &m->st.iterations, &m->c_iter, n);
      if (dt > 0) {
        pthread_mutex_lock(&m->mu);
        m->st.iter_per_sec = (double)n / dt;
        pthread_mutex_unlock(&m->mu);
      }
      return on_hit(m, out, m->nonce, res.recall_position);
    }
  }
  double dt = now_s() - t0;
  zg__miner_count(m, &m->st.iterations, &m->c_iter, n);
  pthread_mutex_lock(&m->mu);
  if (dt > 0 && n > 0) m->st.iter_per_sec = (double)n / dt;
  pthread_mutex_unlock(&m->mu);
  return e;
}

zg_err_t zg_miner_step(zg_miner_t *m, zg_miner_outcome_t *out) { return step(m, out, false); }

zg_err_t zg_miner_prepare(zg_miner_t *m) {
  ZG_TRY(ensure_info(m));
  ZG_TRY(ensure_registered(m));
  return refresh_context(m, true);
}

/* ---- the thread ---- */

/* Sleeps ms or until stopped / destroyed. */
static void nap(zg_miner_t *m, uint64_t ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += (time_t)(ms / 1000);
  ts.tv_nsec += (long)(ms % 1000) * 1000000;
  if (ts.tv_nsec >= 1000000000) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000;
  }
  pthread_mutex_lock(&m->mu);
  if (!m->quit && atomic_load(&m->running)) pthread_cond_timedwait(&m->cv, &m->mu, &ts);
  pthread_mutex_unlock(&m->mu);
}

static void *thread_main(void *arg) {
  zg_miner_t *m = arg;
  uint64_t backoff = 0;
  for (;;) {
    pthread_mutex_lock(&m->mu);
    while (!m->quit && !atomic_load(&m->running)) pthread_cond_wait(&m->cv, &m->mu);
    bool quit = m->quit;
    pthread_mutex_unlock(&m->mu);
    if (quit) break;
    zg_miner_outcome_t o;
    double t0 = now_s();
    zg_err_t e = step(m, &o, true);
    double busy = now_s() - t0;
    if (e != ZG_OK) {
      backoff = backoff ? (backoff * 2 > 10000 ? 10000 : backoff * 2) : 200;
      zg__miner_count(m, &m->st.chain_errors, NULL, 1);
      zg__miner_error(m, "step: %s (retry in %" PRIu64 " ms)", zg_strerror(e), backoff);
      nap(m, backoff);
      continue;
    }
    backoff = 0;
    if (o == ZG_MINER_IDLE) {
      nap(m, m->cfg.poll_ms / 2 + 1);
    } else if (m->cfg.cpu_percent < 100) {
      /* busy / (busy + sleep) = cpuPercent / 100 */
      double sleep = busy * (100.0 - m->cfg.cpu_percent) / m->cfg.cpu_percent;
      nap(m, (uint64_t)(sleep * 1000.0) + 1);
    }
  }
  return NULL;
}

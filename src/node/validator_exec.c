/*
 * validator_exec.c — execution after ordering: one thread per lane runs the
 * lane's committed blocks in height order (batches from the block store,
 * senders through the shared cache, imports applied by the executor),
 * stores receipts, logs and roots in the block store and releases the
 * mempool's nonces; plus genesis and the validator set of each epoch.
 *
 * Invariants: a lane's executed height only grows, by one per stored
 * result; the state's executed height is committed first (zg_exec_block),
 * the block store's result second, so after a crash the block store may lag
 * the state by one block, which zg__v_exec_init fills with a result without
 * receipts (the state is never executed twice). A block whose batches or
 * imports are not available yet is retried, never skipped.
 *
 * Epochs: lane 0's last block of each epoch (height e * epochLength) ends
 * with zg_staking_end_epoch (an end-of-block hook of the executor), which
 * snapshots the set of epoch e; that set is readable once lane 0 has
 * executed that height. Where Staking has no snapshot of an epoch the
 * previous epoch's set carries over, the same on every node.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "node/validator_internal.h"
#include "zg/hash.h"
#include "zg/log.h"
#include "zg/staking.h"

#define LOGC "validator"

/* ---- validator sets ---- */

typedef struct {
  zg_state_view_t *view;
} rhost_t;

static zg_err_t rh_sget(zg_sc_host_t *h, const uint8_t *k, size_t kl, zg_buf_t *out, bool *found) {
  rhost_t *r = h->ctx;
  return zg_state_view_sget(r->view, &h->self, k, kl, out, found);
}
static zg_err_t rh_sput(zg_sc_host_t *h, const uint8_t *k, size_t kl, const uint8_t *val, size_t vl) {
  return ZG_EPERM;
}
static zg_err_t rh_sdel(zg_sc_host_t *h, const uint8_t *k, size_t kl) { return ZG_EPERM; }
static zg_err_t rh_sscan(zg_sc_host_t *h, const uint8_t *p, size_t pl,
                         bool (*fn)(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl),
                         void *arg) {
  rhost_t *r = h->ctx;
  return zg_state_view_sscan(r->view, &h->self, p, pl, fn, arg);
}
static zg_err_t rh_balance(zg_sc_host_t *h, const zg_eth_addr_t *who, zg_u256_t *out) {
  rhost_t *r = h->ctx;
  zg_account_t a;
  ZG_TRY(zg_state_view_account(r->view, who, &a));
  *out = a.balance;
  return ZG_OK;
}
static zg_err_t rh_transfer(zg_sc_host_t *h, const zg_eth_addr_t *to, const zg_u256_t *amount) { return ZG_EPERM; }
static zg_err_t rh_emit(zg_sc_host_t *h, const zg_sc_log_t *log) { return ZG_EPERM; }

/* Staking's snapshot of epoch, read from lane 0's last committed state. */
static zg_err_t staking_set(zg_validator_t *v, uint64_t epoch, zg_valset_t *out) {
  rhost_t r = {NULL};
  ZG_TRY(zg_state_view_begin(v->states[0], &r.view));
  zg_sc_host_t h;
  memset(&h, 0, sizeof h);
  h.ctx = &r;
  memcpy(h.self.bytes, zg_staking_address.bytes, 20);
  h.lane = 0;
  h.chain_id = v->g->chain_id;
  h.read_only = true;
  h.sget = rh_sget;
  h.sput = rh_sput;
  h.sdel = rh_sdel;
  h.sscan = rh_sscan;
  h.balance = rh_balance;
  h.transfer = rh_transfer;
  h.emit = rh_emit;
  zg_staking_set_t s;
  zg_staking_set_init(&s);
  zg_err_t e = zg_staking_get_set(&h, epoch, &s);
  zg_state_view_end(r.view);
  if (e) {
    zg_staking_set_clear(&s);
    return e;
  }
  zg_valset_member_t *c = calloc(s.n ? s.n : 1, sizeof *c);
  if (!c) {
    zg_staking_set_clear(&s);
    return ZG_ENOMEM;
  }
  for (size_t i = 0; i < s.n; i++) {
    memcpy(c[i].node_key.bytes, s.members[i].consensus_key, 32);
    memcpy(c[i].bls_key, s.members[i].bls_pubkey, 48);
    c[i].operator_addr = s.members[i].operator_addr;
    c[i].stake = s.members[i].stake;
  }
  e = zg_valset_build(out, epoch, c, s.n, v->g->max_validators);
  free(c);
  zg_staking_set_clear(&s);
  return e;
}

/* Called with vs_mu held. */
static zg_err_t valset_locked(zg_validator_t *v, uint64_t epoch, const zg__vset_t **out, unsigned depth) {
  for (zg__vset_t *s = v->vsets; s; s = s->next) {
    if (s->set.epoch == epoch) {
      *out = s;
      return ZG_OK;
    }
  }
  zg__vset_t *s = calloc(1, sizeof *s);
  if (!s) return ZG_ENOMEM;
  zg_err_t e;
  if (epoch == 0) {
    e = zg_valset_from_genesis(&s->set, v->g);
  } else {
    uint64_t need = epoch * v->g->epoch_length;
    if (atomic_load(&v->lane[0].executed) < need) {
      free(s);
      return ZG_EEPOCH;
    }
    e = staking_set(v, epoch, &s->set);
    if (e == ZG_EEPOCH || e == ZG_EEMPTY) {
      /* No snapshot of this epoch: the previous set carries over. */
      const zg__vset_t *prev;
      e = depth > 4096 ? ZG_EEPOCH : valset_locked(v, epoch - 1, &prev, depth + 1);
      if (!e) {
        s->set = prev->set;
        s->set.epoch = epoch;
      }
    }
  }
  if (e) {
    free(s);
    return e;
  }
  for (size_t i = 0; i < s->set.n; i++) {
    s->bv[i].pk = s->set.members[i].node_key;
    s->bv[i].power = s->set.members[i].power;
  }
  s->next = v->vsets;
  v->vsets = s;
  *out = s;
  return ZG_OK;
}

zg_err_t zg__v_valset(zg_validator_t *v, uint64_t epoch, const zg__vset_t **out) {
  pthread_mutex_lock(&v->vs_mu);
  zg_err_t e = valset_locked(v, epoch, out, 0);
  pthread_mutex_unlock(&v->vs_mu);
  return e;
}

void zg__v_valsets_free(zg_validator_t *v) {
  while (v->vsets) {
    zg__vset_t *s = v->vsets;
    v->vsets = s->next;
    free(s);
  }
}

/* ---- genesis and restart ---- */

zg_err_t zg__v_exec_init(zg_validator_t *v) {
  for (uint32_t i = 0; i < v->lanes; i++) {
    uint64_t hs;
    uint8_t d[32];
    zg_err_t e = zg_state_height(v->states[i], &hs, d);
    if (e == ZG_ENOTFOUND) {
      e = zg_exec_genesis(v->exec, i, v->g->alloc, v->g->n_alloc, v->g->json, 0, d);
      if (e) {
        zg_loge(LOGC, "lane %u: genesis: %s", i, zg_strerror(e));
        return e;
      }
      hs = 0;
    } else if (e) {
      return e;
    }
    /* The block store may lag the state by the block executed at a crash. */
    uint64_t c, x;
    ZG_TRY(zg_blockstore_heights(v->bs, i, &c, &x));
    for (uint64_t h = x + 1; h <= hs && h <= c; h++) {
      zg_block_exec_t r;
      memset(&r, 0, sizeof r);
      r.lane = i;
      r.height = h;
      ZG_TRY(zg_state_block_info(v->states[i], h, r.state_digest, r.receipts_root));
      zg_logw(LOGC, "lane %u: block %llu was executed before a crash; its receipts are not available", i,
              (unsigned long long)h);
      ZG_TRY(zg_blockstore_put_exec(v->bs, &r));
    }
    if (hs > c) {
      zg_loge(LOGC, "lane %u: state executed %llu blocks but only %llu are committed", i, (unsigned long long)hs,
              (unsigned long long)c);
      return ZG_ECORRUPT;
    }
  }
  return ZG_OK;
}

/* ---- receipts blob ---- */

static zg_err_t receipts_encode(zg_buf_t *out, const zg_exec_result_t *res, const zg_exec_tx_t *txs,
                                const zg_slice_t *raws) {
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, out);
  zg_codec_put_fixed(&w, res->bloom, 256);
  zg_codec_put_count(&w, res->n_included);
  for (size_t i = 0; i < res->n; i++) {
    const zg_exec_receipt_t *r = &res->receipts[i];
    if (r->dropped) continue;
    uint8_t price[32];
    zg_u256_to_be32(price, &r->effective_price);
    zg_codec_put_bytes(&w, raws[i].ptr, raws[i].len);
    zg_codec_put_fixed(&w, txs[i].sender.bytes, 20);
    zg_codec_put_u8(&w, r->status);
    zg_codec_put_u64(&w, r->gas_used);
    zg_codec_put_u64(&w, r->cumulative_gas);
    zg_codec_put_fixed(&w, price, 32);
    zg_codec_put_fixed(&w, r->bloom, 256);
    zg_codec_put_count(&w, r->n_logs);
    for (size_t j = 0; j < r->n_logs; j++) {
      const zg_exec_log_t *lg = &r->logs[j];
      zg_codec_put_fixed(&w, lg->address.bytes, 20);
      zg_codec_put_count(&w, lg->n_topics);
      for (unsigned t = 0; t < lg->n_topics; t++) zg_codec_put_fixed(&w, lg->topics[t], 32);
      zg_codec_put_bytes(&w, lg->data, lg->data_len);
    }
  }
  return zg_codec_writer_finish(&w);
}

/* ---- one block ---- */

typedef struct {
  zg_buf_t blk, bodies, receipts, hashes;
  size_t *offs;
  size_t cap_offs;
  zg_batch_t batch;
  zg_batch_tx_t *btx;
  size_t cap_btx;
  zg_exec_tx_t *txs;
  zg_slice_t *raws;
  size_t cap_txs, n_txs;
  uint64_t fetch_height;
  uint64_t fetch_ms;
} xscratch_t;

static uint64_t mono_ms(void) { return zg_clock_ns() / 1000000u; }

static zg_err_t grow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return ZG_OK;
  size_t n = *cap ? *cap : 64;
  while (n < need) n *= 2;
  void *q = realloc(*p, n * elem);
  if (!q) return ZG_ENOMEM;
  *p = q;
  *cap = n;
  return ZG_OK;
}

/* Loads the block's batches into x->bodies; ZG_EAGAIN (after asking the
 * net to fetch) when one is missing. */
static zg_err_t load_batches(zg__vlane_t *l, xscratch_t *x, const zg_block_payload_t *p, uint64_t h) {
  x->bodies.len = 0;
  ZG_TRY(grow((void **)&x->offs, &x->cap_offs, (size_t)p->n_batches + 1, sizeof *x->offs));
  uint64_t now = mono_ms();
  bool fetch = x->fetch_height != h || now - x->fetch_ms > 1000;
  bool missing = false;
  for (uint32_t i = 0; i < p->n_batches; i++) {
    x->offs[i] = x->bodies.len;
    zg_err_t e = zg_blockstore_get_batch(l->v->bs, &x->bodies, p->batches + 32 * i);
    if (e == ZG_ENOTFOUND) {
      missing = true;
      if (fetch) zg__v_fetch_batch(l->v, p->batches + 32 * i, ZG_NET_PEER_NONE);
      continue;
    }
    if (e) return e;
  }
  x->offs[p->n_batches] = x->bodies.len;
  if (!missing) return ZG_OK;
  if (fetch) {
    x->fetch_height = h;
    x->fetch_ms = now;
  }
  return ZG_EAGAIN;
}

/* Decodes the batches and recovers senders (through the cache) into x->txs. */
static zg_err_t decode_txs(zg__vlane_t *l, xscratch_t *x, uint32_t n_batches) {
  zg_validator_t *v = l->v;
  x->n_txs = 0;
  for (uint32_t i = 0; i < n_batches; i++) {
    const uint8_t *body = x->bodies.ptr + x->offs[i];
    size_t len = x->offs[i + 1] - x->offs[i];
    if (zg_batch_decode(&x->batch, body, len, NULL) != ZG_OK) continue; /* garbage: ordered, but nothing to run */
    ZG_TRY(grow((void **)&x->btx, &x->cap_btx, x->batch.n, sizeof *x->btx));
    ZG_TRY(zg_batch_recover(x->btx, NULL, &x->batch, v->g->chain_id, 0, v->cache));
    ZG_TRY(grow((void **)&x->txs, &x->cap_txs, x->n_txs + x->batch.n, sizeof *x->txs));
    size_t cap2 = x->cap_txs;
    void *r = realloc(x->raws, cap2 * sizeof *x->raws);
    if (!r) return ZG_ENOMEM;
    x->raws = r;
    for (size_t j = 0; j < x->batch.n; j++) {
      const zg_batch_tx_t *bt = &x->btx[j];
      if (bt->err != ZG_OK) continue;
      const zg_tx_t *t = &bt->tx;
      zg_exec_tx_t *et = &x->txs[x->n_txs];
      memset(et, 0, sizeof *et);
      et->type = t->type;
      et->has_chain_id = true;
      et->chain_id = t->chain_id;
      et->nonce = t->nonce;
      et->max_fee = t->max_fee;
      et->max_priority = t->max_priority_fee;
      et->gas_limit = t->gas_limit;
      et->has_to = t->has_to;
      et->to = t->to;
      et->value = t->value;
      et->data = t->data.ptr;
      et->data_len = t->data.len;
      et->access_addrs = t->access_addresses;
      et->access_keys = t->access_keys;
      memcpy(et->hash, t->hash, 32);
      et->sender = bt->sender;
      x->raws[x->n_txs] = t->raw;
      x->n_txs++;
    }
  }
  return ZG_OK;
}

/* End-of-block hook of lane 0's last block of each epoch: Staking moves
 * matured unbondings and snapshots the next epoch's set, inside the block
 * (its writes are in the block's write set). A chain whose Staking missed
 * earlier epochs (state written by a build without this hook) keeps its
 * last snapshot: every node decides the same from the same state. */
static zg_err_t end_epoch_hook(void *arg, zg_sc_host_t *host, const zg_block_ctx_t *ctx) {
  zg_validator_t *v = arg;
  uint64_t next = ctx->height / v->g->epoch_length, cur = 0;
  memcpy(host->self.bytes, zg_staking_address.bytes, 20);
  ZG_TRY(zg_staking_current_epoch(host, &cur));
  if (cur + 1 != next) {
    zg_logw(LOGC, "Staking is at epoch %llu, not %llu: no snapshot for epoch %llu", (unsigned long long)cur,
            (unsigned long long)(next - 1), (unsigned long long)next);
    return ZG_OK;
  }
  return zg_staking_end_epoch(host, next, v->g->max_validators);
}

/* Executes block h of lane l. ZG_EAGAIN when it must wait (batches,
 * imports, the epoch's set). */
static zg_err_t exec_one(zg__vlane_t *l, xscratch_t *x, uint64_t h) {
  zg_validator_t *v = l->v;
  x->blk.len = 0;
  ZG_TRY(zg_blockstore_get_block(v->bs, NULL, &x->blk, NULL, l->id, h));
  zg_bft_block_t b;
  zg_block_payload_t p;
  ZG_TRY(zg_bft_block_decode(&b, x->blk.ptr, x->blk.len));
  ZG_TRY(zg_block_payload_decode(&p, b.payload.ptr, b.payload.len));
  if (p.n_imports != v->lanes) return ZG_ECORRUPT;
  ZG_TRY(load_batches(l, x, &p, h));
  const zg__vset_t *set;
  zg_err_t e = zg__v_valset(v, b.epoch, &set);
  if (e == ZG_EEPOCH) return ZG_EAGAIN;
  if (e) return e;
  ZG_TRY(decode_txs(l, x, p.n_batches));
  zg_block_ctx_t ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.lane = l->id;
  ctx.height = h;
  ctx.epoch = b.epoch;
  ctx.timestamp_ms = b.timestamp_ms;
  if (b.proposer < set->set.n) ctx.proposer = set->set.members[b.proposer].operator_addr;
  ctx.base_fee = v->base_fee;
  ctx.chain_id = v->g->chain_id;
  if (l->id == 0 && h % v->g->epoch_length == 0) {
    ctx.end_block = end_epoch_hook;
    ctx.end_arg = v;
  }
  uint64_t imports[ZG_MAX_LANES];
  memcpy(imports, p.imports, sizeof imports);
  uint64_t own;
  if (zg_state_import_height(l->state, l->id, &own) == ZG_OK) imports[l->id] = own;
  zg_exec_result_t res;
  e = zg_exec_block(v->exec, &res, &ctx, imports, x->txs, x->n_txs);
  if (e == ZG_ESTATE) return ZG_EAGAIN; /* a source lane has not executed what we import */
  if (e) return e;
  x->receipts.len = 0;
  x->hashes.len = 0;
  e = receipts_encode(&x->receipts, &res, x->txs, x->raws);
  for (size_t i = 0; !e && i < res.n; i++)
    if (!res.receipts[i].dropped) e = zg_buf_append(&x->hashes, res.receipts[i].tx_hash, 32);
  if (!e) {
    zg_block_exec_t r = {.lane = l->id,
                         .height = h,
                         .gas_used = res.gas_used,
                         .n_txs = res.n_included,
                         .receipts = zg_buf_slice(&x->receipts),
                         .tx_hashes = x->hashes.ptr,
                         .n_tx_hashes = res.n_included};
    memcpy(r.state_digest, res.state, 32);
    memcpy(r.receipts_root, res.receipts_root, 32);
    memcpy(r.tx_root, res.tx_root, 32);
    e = zg_blockstore_put_exec(v->bs, &r);
  }
  if (!e) {
    /* The pool lets go of what ran (and of what can never run). */
    for (size_t i = 0; i < res.n; i++) {
      if (!res.receipts[i].dropped) {
        zg_mempool_advance(l->pool, &x->txs[i].sender, x->txs[i].nonce + 1);
      } else if (zg_mempool_remove(l->pool, x->txs[i].hash) != ZG_OK) {
        /* not ours */
      }
    }
    atomic_store(&l->executed, h);
    zg_gauge_set(l->m_executed, (int64_t)h);
    zg_counter_add(v->m_txs, res.n_included);
    zg_counter_add(l->m_txs, res.n_included);
  }
  zg_exec_result_free(&res);
  return e;
}

static void wait_ms(zg__vlane_t *l, unsigned ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += (long)(ms % 1000) * 1000000L;
  ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000L;
  ts.tv_nsec %= 1000000000L;
  pthread_mutex_lock(&l->mu);
  if (!l->stop) pthread_cond_timedwait(&l->cv, &l->mu, &ts);
  pthread_mutex_unlock(&l->mu);
}

static void *exec_main(void *arg) {
  zg__vlane_t *l = arg;
  xscratch_t x;
  memset(&x, 0, sizeof x);
  zg_buf_init(&x.blk);
  zg_buf_init(&x.bodies);
  zg_buf_init(&x.receipts);
  zg_buf_init(&x.hashes);
  zg_batch_init(&x.batch);
  for (;;) {
    pthread_mutex_lock(&l->mu);
    while (!l->stop && atomic_load(&l->executed) >= atomic_load(&l->committed)) pthread_cond_wait(&l->cv, &l->mu);
    bool stop = l->stop;
    pthread_mutex_unlock(&l->mu);
    if (stop) break;
    uint64_t h = atomic_load(&l->executed) + 1;
    zg_err_t e = exec_one(l, &x, h);
    if (e == ZG_EAGAIN) {
      wait_ms(l, 5);
    } else if (e) {
      zg_loge(LOGC, "lane %u: executing block %llu: %s (retrying)", l->id, (unsigned long long)h, zg_strerror(e));
      wait_ms(l, 1000);
    } else {
      /* Lanes importing from this one may have waited for it. */
      for (uint32_t m = 0; m < l->v->lanes; m++)
        if (m != l->id) zg__v_exec_wake(&l->v->lane[m]);
    }
  }
  zg_buf_clear(&x.blk);
  zg_buf_clear(&x.bodies);
  zg_buf_clear(&x.receipts);
  zg_buf_clear(&x.hashes);
  zg_batch_free(&x.batch);
  free(x.offs);
  free(x.btx);
  free(x.txs);
  free(x.raws);
  return NULL;
}

void zg__v_exec_wake(zg__vlane_t *l) {
  pthread_mutex_lock(&l->mu);
  pthread_cond_signal(&l->cv);
  pthread_mutex_unlock(&l->mu);
}

zg_err_t zg__v_exec_start(zg_validator_t *v) {
  for (uint32_t i = 0; i < v->lanes; i++) {
    zg__vlane_t *l = &v->lane[i];
    l->stop = false;
    if (pthread_create(&l->thread, NULL, exec_main, l) != 0) return ZG_ENOMEM;
    l->thread_started = true;
  }
  return ZG_OK;
}

void zg__v_exec_stop(zg_validator_t *v) {
  for (uint32_t i = 0; i < ZG_MAX_LANES; i++) {
    zg__vlane_t *l = &v->lane[i];
    if (!l->thread_started) continue;
    pthread_mutex_lock(&l->mu);
    l->stop = true;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->thread, NULL);
    l->thread_started = false;
  }
}

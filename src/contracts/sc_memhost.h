/*
 * sc_memhost.h — an in-memory zg_sc_host_t (zg/syscontract.h) for tests,
 * benchmarks and fuzz targets of system contracts: storage as one sorted
 * array (so sscan is in key order, as over LMDB), balances, and the newest
 * MH_MAX_LOGS logs. Header-only and internal (not part of libzg's API).
 *
 * The world is the host's ctx. Rolling back a reverted call is the caller's
 * job, as with the executor: mh_world_copy before the call, and on a
 * revert mh_world_free the current world and put the copy back. Allocation
 * failures abort (test code).
 */
#ifndef ZG_SC_MEMHOST_H
#define ZG_SC_MEMHOST_H

#include <stdlib.h>
#include <string.h>

#include "zg/syscontract.h"

#define MH_MAX_LOGS 64

typedef struct {
  uint8_t *k, *v;
  size_t kl, vl;
} mh_kv_t;

typedef struct {
  zg_eth_addr_t a;
  zg_u256_t bal;
} mh_acct_t;

typedef struct {
  uint8_t topics[4][32];
  unsigned n_topics;
  uint8_t data[512];
  size_t data_len;
} mh_log_t;

typedef struct {
  mh_kv_t *kv; /* sorted by key */
  size_t n, cap;
  mh_acct_t *acct;
  size_t nacct, acap;
  mh_log_t logs[MH_MAX_LOGS]; /* oldest first */
  size_t nlogs;
} mh_world_t;

static inline void *mh_xalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) abort();
  return p;
}

static inline uint8_t *mh_dup(const uint8_t *p, size_t n) {
  uint8_t *d = mh_xalloc(n);
  if (n) memcpy(d, p, n);
  return d;
}

static inline int mh_kcmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl) {
  size_t m = al < bl ? al : bl;
  int c = m ? memcmp(a, b, m) : 0;
  if (c) return c;
  return al < bl ? -1 : al > bl ? 1 : 0;
}

/* Index of key, or of where it would go (*found false). */
static inline size_t mh_find(const mh_world_t *w, const uint8_t *k, size_t kl, bool *found) {
  size_t lo = 0, hi = w->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = mh_kcmp(w->kv[mid].k, w->kv[mid].kl, k, kl);
    if (c == 0) {
      *found = true;
      return mid;
    }
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  *found = false;
  return lo;
}

static inline zg_err_t mh_sget(zg_sc_host_t *h, const uint8_t *k, size_t kl, zg_buf_t *out, bool *found) {
  mh_world_t *w = h->ctx;
  size_t i = mh_find(w, k, kl, found);
  out->len = 0;
  if (!*found) return ZG_OK;
  return zg_buf_append(out, w->kv[i].v, w->kv[i].vl);
}

static inline zg_err_t mh_sput(zg_sc_host_t *h, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
  if (h->read_only) return ZG_EPERM;
  mh_world_t *w = h->ctx;
  bool found;
  size_t i = mh_find(w, k, kl, &found);
  if (found) {
    free(w->kv[i].v);
    w->kv[i].v = mh_dup(v, vl);
    w->kv[i].vl = vl;
    return ZG_OK;
  }
  if (w->n == w->cap) {
    w->cap = w->cap ? 2 * w->cap : 64;
    w->kv = realloc(w->kv, w->cap * sizeof *w->kv);
    if (!w->kv) abort();
  }
  memmove(w->kv + i + 1, w->kv + i, (w->n - i) * sizeof *w->kv);
  w->kv[i] = (mh_kv_t){mh_dup(k, kl), mh_dup(v, vl), kl, vl};
  w->n++;
  return ZG_OK;
}

static inline zg_err_t mh_sdel(zg_sc_host_t *h, const uint8_t *k, size_t kl) {
  if (h->read_only) return ZG_EPERM;
  mh_world_t *w = h->ctx;
  bool found;
  size_t i = mh_find(w, k, kl, &found);
  if (!found) return ZG_OK;
  free(w->kv[i].k);
  free(w->kv[i].v);
  memmove(w->kv + i, w->kv + i + 1, (w->n - i - 1) * sizeof *w->kv);
  w->n--;
  return ZG_OK;
}

static inline zg_err_t mh_sscan(zg_sc_host_t *h, const uint8_t *prefix, size_t plen,
                                bool (*fn)(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl),
                                void *arg) {
  mh_world_t *w = h->ctx;
  bool found;
  for (size_t i = mh_find(w, prefix, plen, &found); i < w->n; i++) {
    if (w->kv[i].kl < plen || memcmp(w->kv[i].k, prefix, plen) != 0) break;
    if (!fn(arg, w->kv[i].k, w->kv[i].kl, w->kv[i].v, w->kv[i].vl)) break;
  }
  return ZG_OK;
}

/* The balance of a (created at zero when new). */
static inline zg_u256_t *mh_acct(mh_world_t *w, const zg_eth_addr_t *a) {
  for (size_t i = 0; i < w->nacct; i++)
    if (memcmp(w->acct[i].a.bytes, a->bytes, 20) == 0) return &w->acct[i].bal;
  if (w->nacct == w->acap) {
    w->acap = w->acap ? 2 * w->acap : 16;
    w->acct = realloc(w->acct, w->acap * sizeof *w->acct);
    if (!w->acct) abort();
  }
  w->acct[w->nacct].a = *a;
  w->acct[w->nacct].bal = zg_u256_from_u64(0);
  return &w->acct[w->nacct++].bal;
}

static inline zg_err_t mh_balance(zg_sc_host_t *h, const zg_eth_addr_t *who, zg_u256_t *out) {
  *out = *mh_acct(h->ctx, who);
  return ZG_OK;
}

static inline zg_err_t mh_transfer(zg_sc_host_t *h, const zg_eth_addr_t *to, const zg_u256_t *amount) {
  if (h->read_only) return ZG_EPERM;
  mh_world_t *w = h->ctx;
  zg_u256_t *from = mh_acct(w, &h->self), nf;
  if (!zg_u256_sub(&nf, from, amount)) return ZG_ERANGE;
  *from = nf;
  zg_u256_t *dst = mh_acct(w, to);
  if (!zg_u256_add(dst, dst, amount)) return ZG_EOVERFLOW;
  return ZG_OK;
}

static inline zg_err_t mh_emit(zg_sc_host_t *h, const zg_sc_log_t *log) {
  if (h->read_only) return ZG_EPERM;
  mh_world_t *w = h->ctx;
  if (log->data_len > sizeof w->logs[0].data) return ZG_EFULL;
  if (w->nlogs == MH_MAX_LOGS) { /* keep the newest: drop the oldest */
    memmove(w->logs, w->logs + 1, (MH_MAX_LOGS - 1) * sizeof w->logs[0]);
    w->nlogs--;
  }
  mh_log_t *l = &w->logs[w->nlogs++];
  memcpy(l->topics, log->topics, sizeof l->topics);
  l->n_topics = log->n_topics;
  if (log->data_len) memcpy(l->data, log->data, log->data_len);
  l->data_len = log->data_len;
  return ZG_OK;
}

/* A deep copy of src into dst (for rollback). */
static inline void mh_world_copy(mh_world_t *dst, const mh_world_t *src) {
  *dst = *src;
  dst->kv = mh_xalloc((src->cap ? src->cap : 1) * sizeof *dst->kv);
  for (size_t i = 0; i < src->n; i++)
    dst->kv[i] = (mh_kv_t){mh_dup(src->kv[i].k, src->kv[i].kl), mh_dup(src->kv[i].v, src->kv[i].vl), src->kv[i].kl,
                           src->kv[i].vl};
  dst->acct = mh_xalloc((src->acap ? src->acap : 1) * sizeof *dst->acct);
  if (src->nacct) memcpy(dst->acct, src->acct, src->nacct * sizeof *dst->acct);
}

static inline void mh_world_free(mh_world_t *w) {
  for (size_t i = 0; i < w->n; i++) {
    free(w->kv[i].k);
    free(w->kv[i].v);
  }
  free(w->kv);
  free(w->acct);
  memset(w, 0, sizeof *w);
}

/* A host over w (borrowed) for the contract at self. */
static inline void mh_host_init(zg_sc_host_t *h, mh_world_t *w, const zg_eth_addr_t *self, uint64_t chain_id) {
  memset(h, 0, sizeof *h);
  h->ctx = w;
  h->self = *self;
  h->chain_id = chain_id;
  h->sget = mh_sget;
  h->sput = mh_sput;
  h->sdel = mh_sdel;
  h->sscan = mh_sscan;
  h->balance = mh_balance;
  h->transfer = mh_transfer;
  h->emit = mh_emit;
}

#endif

/*
 * mempool.c — the transaction pool (zg/mempool.h).
 *
 * Layout. Every pooled tx is one allocation (mp_tx_t with its raw bytes
 * behind it), chained in a hash table by tx hash. Every sender with a pooled
 * tx has an mp_account_t, chained in a hash table by address, holding its
 * txs sorted by nonce in a growable array.
 *
 * Invariants (checked by check_account under ZG_VERIFY):
 *   - an account's txs have strictly increasing nonces, all >= a->base (the
 *     account's next nonce as last learnt from the state or advance());
 *   - a->npending is the length of the prefix with nonces base, base+1, ...;
 *     the rest is queued;
 *   - taken txs are a prefix of the pending ones (a->ntaken <= a->npending):
 *     take() hands out in nonce order and untake() releases a tx together
 *     with every later taken one of its sender;
 *   - the pool's totals (count, bytes, pending, taken) are the sums over the
 *     accounts: each change to an account subtracts its share, edits, and
 *     adds it back (unstat/restat);
 *   - an account is on the ready list (which take() walks instead of every
 *     account) exactly when ntaken < npending; restat and take keep it so;
 *   - an account with no tx is freed.
 * Decoding, sender recovery and the state callback run without the lock;
 * everything after them runs under one mutex.
 */
#include "zg/mempool.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct mp_account mp_account_t;

typedef struct mp_tx {
  struct mp_tx *hnext; /* hash-table chain */
  mp_account_t *acct;
  uint8_t hash[32];
  uint64_t nonce;
  zg_u256_t max_fee, tip; /* max fee and max priority fee per gas */
  zg_u256_t eff_tip;      /* tip paid under the base fee: the ordering key */
  uint64_t seq;           /* admission order: ties in take() */
  bool taken;
  size_t len;
  uint8_t raw[]; /* len bytes */
} mp_tx_t;

struct mp_account {
  mp_account_t *hnext;
  zg_eth_addr_t addr;
  uint64_t base;  /* the account's next nonce */
  mp_tx_t **txs;  /* sorted by nonce */
  size_t n, cap;
  size_t npending, ntaken;
  size_t cursor;  /* take(): next index to hand out during one call */
  mp_account_t *rnext, *rprev; /* ready list: accounts with ntaken < npending */
  bool ready;
};

struct zg_mempool {
  zg_mempool_config_t cfg;
  zg_tx_cache_t *own_cache;
  pthread_mutex_t lock;
  mp_tx_t **tx_tab; /* buckets, by hash */
  size_t tx_mask;
  mp_account_t **acct_tab; /* buckets, by address */
  size_t acct_mask;
  size_t count, bytes, pending, taken, senders;
  uint64_t seq, added, replaced, evicted, refused;
  /* make_room's last scan: valid while gen == scan_gen (gen counts every
   * change to an account); the cheapest queued and pending tails it saw. */
  uint64_t gen, scan_gen;
  const mp_tx_t *scan_min_queued, *scan_min_pending;
  mp_account_t *ready; /* head of the ready list; take() looks only there */
  size_t nready;
};

static void setmsg(char *msg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void setmsg(char *msg, const char *fmt, ...) {
  if (!msg) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, ZG_MEMPOOL_MSG_MAX, fmt, ap);
  va_end(ap);
}

/* ---- hash tables ---- */

static size_t tx_bucket(const zg_mempool_t *mp, const uint8_t hash[32]) { return (size_t)zg_load_le64(hash) & mp->tx_mask; }

static size_t acct_bucket(const zg_mempool_t *mp, const zg_eth_addr_t *a) {
  /* Addresses are Keccak outputs too; mix two words anyway in case a test
   * uses structured ones. */
  uint64_t h = zg_load_le64(a->bytes) ^ (zg_load_le64(a->bytes + 12) * 0x9e3779b97f4a7c15ull);
  return (size_t)(h ^ (h >> 29)) & mp->acct_mask;
}

static mp_tx_t *tx_find(const zg_mempool_t *mp, const uint8_t hash[32]) {
  for (mp_tx_t *t = mp->tx_tab[tx_bucket(mp, hash)]; t; t = t->hnext)
    if (memcmp(t->hash, hash, 32) == 0) return t;
  return NULL;
}

static void tx_unlink(zg_mempool_t *mp, mp_tx_t *t) {
  mp_tx_t **pp = &mp->tx_tab[tx_bucket(mp, t->hash)];
  while (*pp != t) pp = &(*pp)->hnext;
  *pp = t->hnext;
}

/* Grows a bucket array to twice its size when the load passes 1. */
static void tx_link(zg_mempool_t *mp, mp_tx_t *t) {
  if (mp->count + 1 > mp->tx_mask + 1) {
    size_t nsize = (mp->tx_mask + 1) * 2;
    mp_tx_t **nt = calloc(nsize, sizeof *nt);
    if (nt) { /* on ENOMEM keep the old, fuller table: still correct */
      size_t old = mp->tx_mask + 1;
      mp_tx_t **ot = mp->tx_tab;
      mp->tx_tab = nt;
      mp->tx_mask = nsize - 1;
      for (size_t i = 0; i < old; i++) {
        for (mp_tx_t *x = ot[i], *next; x; x = next) {
          next = x->hnext;
          size_t b = tx_bucket(mp, x->hash);
          x->hnext = nt[b];
          nt[b] = x;
        }
      }
      free(ot);
    }
  }
  size_t b = tx_bucket(mp, t->hash);
  t->hnext = mp->tx_tab[b];
  mp->tx_tab[b] = t;
}

static mp_account_t *acct_find(const zg_mempool_t *mp, const zg_eth_addr_t *addr) {
  for (mp_account_t *a = mp->acct_tab[acct_bucket(mp, addr)]; a; a = a->hnext)
    if (memcmp(a->addr.bytes, addr->bytes, 20) == 0) return a;
  return NULL;
}

static void acct_link(zg_mempool_t *mp, mp_account_t *a) {
  if (mp->senders + 1 > mp->acct_mask + 1) {
    size_t nsize = (mp->acct_mask + 1) * 2;
    mp_account_t **nt = calloc(nsize, sizeof *nt);
    if (nt) {
      size_t old = mp->acct_mask + 1;
      mp_account_t **ot = mp->acct_tab;
      mp->acct_tab = nt;
      mp->acct_mask = nsize - 1;
      for (size_t i = 0; i < old; i++) {
        for (mp_account_t *x = ot[i], *next; x; x = next) {
          next = x->hnext;
          size_t b = acct_bucket(mp, &x->addr);
          x->hnext = nt[b];
          nt[b] = x;
        }
      }
      free(ot);
    }
  }
  size_t b = acct_bucket(mp, &a->addr);
  a->hnext = mp->acct_tab[b];
  mp->acct_tab[b] = a;
  mp->senders++;
}

/* Keeps a on the ready list exactly when it has a pending tx not taken. */
static void ready_update(zg_mempool_t *mp, mp_account_t *a) {
  bool want = a->ntaken < a->npending;
  if (want == a->ready) return;
  if (want) {
    a->rprev = NULL;
    a->rnext = mp->ready;
    if (mp->ready) mp->ready->rprev = a;
    mp->ready = a;
    mp->nready++;
  } else {
    if (a->rprev) a->rprev->rnext = a->rnext;
    else mp->ready = a->rnext;
    if (a->rnext) a->rnext->rprev = a->rprev;
    a->rnext = a->rprev = NULL;
    mp->nready--;
  }
  a->ready = want;
}

static void acct_free(zg_mempool_t *mp, mp_account_t *a) {
  a->npending = a->ntaken = 0;
  ready_update(mp, a);
  mp_account_t **pp = &mp->acct_tab[acct_bucket(mp, &a->addr)];
  while (*pp != a) pp = &(*pp)->hnext;
  *pp = a->hnext;
  mp->senders--;
  free(a->txs);
  free(a);
}

/* ---- per-account bookkeeping ---- */

static void unstat(zg_mempool_t *mp, const mp_account_t *a) {
  mp->pending -= a->npending;
  mp->taken -= a->ntaken;
}

/* Recomputes npending and ntaken and adds the account's share back. */
static void restat(zg_mempool_t *mp, mp_account_t *a) {
  size_t p = 0, k = 0;
  while (p < a->n && a->txs[p]->nonce == a->base + p) p++;
  while (k < p && a->txs[k]->taken) k++;
  a->npending = p;
  a->ntaken = k;
  mp->pending += p;
  mp->taken += k;
  mp->gen++;
  ready_update(mp, a);
#ifdef ZG_VERIFY
  for (size_t i = 0; i < a->n; i++) {
    if (i && a->txs[i]->nonce <= a->txs[i - 1]->nonce) abort();
    if (a->txs[i]->nonce < a->base) abort();
    if (a->txs[i]->taken != (i < k)) abort();
  }
#endif
}

static void tx_drop(zg_mempool_t *mp, mp_tx_t *t) {
  mp->gen++; /* a scan's pointers may name t */
  tx_unlink(mp, t);
  mp->count--;
  mp->bytes -= t->len;
  free(t);
}

/* Removes txs[i] from its account (the caller unstat/restats). */
static void acct_remove_at(zg_mempool_t *mp, mp_account_t *a, size_t i) {
  tx_drop(mp, a->txs[i]);
  memmove(&a->txs[i], &a->txs[i + 1], (a->n - i - 1) * sizeof *a->txs);
  a->n--;
}

/* Drops the account's txs below nonce and moves its base up to it. */
static void acct_advance(zg_mempool_t *mp, mp_account_t *a, uint64_t nonce) {
  if (nonce <= a->base) return;
  size_t k = 0;
  while (k < a->n && a->txs[k]->nonce < nonce) tx_drop(mp, a->txs[k++]);
  memmove(a->txs, a->txs + k, (a->n - k) * sizeof *a->txs);
  a->n -= k;
  a->base = nonce;
}

/* ---- lifecycle ---- */

zg_err_t zg_mempool_create(zg_mempool_t **out, const zg_mempool_config_t *cfg) {
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!cfg || !cfg->account || cfg->chain_id == 0) return ZG_EINVAL;
  if (cfg->lane >= 0 && (cfg->lanes == 0 || (unsigned)cfg->lane >= cfg->lanes)) return ZG_EINVAL;
  zg_mempool_t *mp = calloc(1, sizeof *mp);
  if (!mp) return ZG_ENOMEM;
  mp->cfg = *cfg;
  if (!mp->cfg.max_txs) mp->cfg.max_txs = 200000;
  if (!mp->cfg.max_bytes) mp->cfg.max_bytes = (size_t)256 << 20;
  if (!mp->cfg.max_per_sender) mp->cfg.max_per_sender = 256;
  mp->tx_mask = 1023;
  mp->acct_mask = 1023;
  mp->gen = 1; /* scan_gen 0: no scan yet */
  mp->tx_tab = calloc(mp->tx_mask + 1, sizeof *mp->tx_tab);
  mp->acct_tab = calloc(mp->acct_mask + 1, sizeof *mp->acct_tab);
  zg_err_t err = (mp->tx_tab && mp->acct_tab) ? ZG_OK : ZG_ENOMEM;
  if (err == ZG_OK && !mp->cfg.cache) {
    err = zg_tx_cache_create(&mp->own_cache, 2 * mp->cfg.max_txs);
    mp->cfg.cache = mp->own_cache;
  }
  if (err != ZG_OK) {
    free(mp->tx_tab);
    free(mp->acct_tab);
    free(mp);
    return err;
  }
  pthread_mutex_init(&mp->lock, NULL);
  *out = mp;
  return ZG_OK;
}

void zg_mempool_destroy(zg_mempool_t *mp) {
  if (!mp) return;
  for (size_t i = 0; i <= mp->acct_mask; i++) {
    for (mp_account_t *a = mp->acct_tab[i], *next; a; a = next) {
      next = a->hnext;
      for (size_t j = 0; j < a->n; j++) free(a->txs[j]);
      free(a->txs);
      free(a);
    }
  }
  free(mp->acct_tab);
  free(mp->tx_tab);
  zg_tx_cache_destroy(mp->own_cache);
  pthread_mutex_destroy(&mp->lock);
  free(mp);
}

/* ---- admission ---- */

static void addr_text(char out[43], const zg_eth_addr_t *a) { zg_eth_address_to_text(out, a); }

/* Rules that need neither the sender nor the state. */
static zg_err_t check_stateless(zg_mempool_t *mp, char *msg, const zg_tx_t *tx, zg_u256_t *eff_tip) {
  const zg_mempool_config_t *c = &mp->cfg;
  char a[ZG_U256_DEC_MAX], b[ZG_U256_DEC_MAX];
  if (tx->raw.len > ZG_TX_MAX_SIZE) {
    setmsg(msg, "oversized data: transaction size %zu, limit %u", tx->raw.len, ZG_TX_MAX_SIZE);
    return ZG_ETOOBIG;
  }
  if (tx->chain_id != c->chain_id) {
    setmsg(msg, "invalid chain id for signer: have %" PRIu64 " want %" PRIu64, tx->chain_id, c->chain_id);
    return ZG_ECHAINID;
  }
  if (!tx->has_to) {
    setmsg(msg, "contract creation is not supported: zg has no EVM, only system contracts");
    return ZG_EUNSUPPORTED;
  }
  uint64_t need = zg_tx_intrinsic_gas(tx);
  if (tx->gas_limit < need) {
    setmsg(msg, "intrinsic gas too low: gas %" PRIu64 ", minimum needed %" PRIu64, tx->gas_limit, need);
    return ZG_EGAS;
  }
  if (c->block_gas_limit && tx->gas_limit > c->block_gas_limit) {
    setmsg(msg, "exceeds block gas limit: gas %" PRIu64 ", block gas limit %" PRIu64, tx->gas_limit,
           c->block_gas_limit);
    return ZG_EGAS;
  }
  if (zg_u256_cmp(&tx->max_priority_fee, &tx->max_fee) > 0) {
    zg_u256_to_dec(a, &tx->max_priority_fee);
    zg_u256_to_dec(b, &tx->max_fee);
    setmsg(msg, "max priority fee per gas higher than max fee per gas: maxPriorityFeePerGas: %s, maxFeePerGas: %s",
           a, b);
    return ZG_EFEE;
  }
  zg_u256_t price;
  if (zg_tx_effective_gas_price(&price, eff_tip, tx, &c->base_fee) != ZG_OK) {
    zg_u256_to_dec(a, &tx->max_fee);
    zg_u256_to_dec(b, &c->base_fee);
    setmsg(msg, "max fee per gas less than block base fee: maxFeePerGas: %s, baseFee: %s", a, b);
    return ZG_EFEE;
  }
  if (zg_u256_cmp(&tx->max_priority_fee, &c->min_tip) < 0) {
    zg_u256_to_dec(a, &tx->max_priority_fee);
    zg_u256_to_dec(b, &c->min_tip);
    setmsg(msg, "transaction underpriced: gas tip cap %s, minimum needed %s", a, b);
    return ZG_EFEE;
  }
  return ZG_OK;
}

/* Rules against the account's state (nonce, balance), outside the lock. */
static zg_err_t check_state(zg_mempool_t *mp, char *msg, uint64_t *state_nonce, const zg_tx_t *tx,
                            const zg_eth_addr_t *sender) {
  zg_u256_t balance, cost;
  zg_err_t err = mp->cfg.account(mp->cfg.account_ctx, state_nonce, &balance, sender);
  if (err != ZG_OK) {
    setmsg(msg, "state lookup failed: %s", zg_strerror(err));
    return err;
  }
  if (tx->nonce < *state_nonce) {
    setmsg(msg, "nonce too low: next nonce %" PRIu64 ", tx nonce %" PRIu64, *state_nonce, tx->nonce);
    return ZG_ENONCE;
  }
  if (zg_tx_max_cost(&cost, tx) != ZG_OK || zg_u256_cmp(&balance, &cost) < 0) {
    char a[43], have[ZG_U256_DEC_MAX], want[ZG_U256_DEC_MAX] = "2^256 or more";
    addr_text(a, sender);
    zg_u256_to_dec(have, &balance);
    if (zg_tx_max_cost(&cost, tx) == ZG_OK) zg_u256_to_dec(want, &cost);
    setmsg(msg, "insufficient funds for gas * price + value: address %s have %s want %s", a, have, want);
    return ZG_EFUNDS;
  }
  return ZG_OK;
}

/* new >= old + old/10 and new > old (geth's 10% price bump). */
static bool bumped(const zg_u256_t *nw, const zg_u256_t *old) {
  zg_u256_t tenth, thr;
  zg_u256_divmod_u64(&tenth, NULL, old, 10);
  if (!zg_u256_add(&thr, old, &tenth)) return false;
  return zg_u256_cmp(nw, old) > 0 && zg_u256_cmp(nw, &thr) >= 0;
}

/* Lowest eff_tip first; among equals the later admitted (so older txs
 * survive). */
static bool cheaper(const mp_tx_t *a, const mp_tx_t *b) {
  int c = zg_u256_cmp(&a->eff_tip, &b->eff_tip);
  return c < 0 || (c == 0 && a->seq > b->seq);
}

typedef struct {
  mp_tx_t *t;
  bool queued;
} victim_t;

/* Eviction order: queued tails before pending ones, then the cheapest. */
static int victim_cmp(const void *x, const void *y) {
  const victim_t *a = x, *b = y;
  if (a->queued != b->queued) return a->queued ? -1 : 1;
  if (cheaper(a->t, b->t)) return -1;
  return cheaper(b->t, a->t) ? 1 : 0;
}

/* True when the last scan, if no mutation happened since, proves that
 * nothing may be evicted for nw: refuses a flood of cheap txs at a full
 * pool in O(1) instead of a scan each. */
static bool scan_says_no(const zg_mempool_t *mp, const mp_tx_t *nw, bool nw_pending) {
  if (mp->scan_gen != mp->gen) return false;
  if (mp->scan_min_queued && (nw_pending || cheaper(mp->scan_min_queued, nw))) return false;
  if (mp->scan_min_pending && nw_pending && cheaper(mp->scan_min_pending, nw)) return false;
  return true;
}

/* Makes room for `more` txs (0 or 1) and `len` more bytes for nw, whose
 * placement is pending or queued, by evicting sender tails (never the
 * newcomer's own sender, never a taken tx): queued tails first (any of them
 * when nw is pending, else only cheaper ones), then, for a pending nw only,
 * pending tails cheaper than nw. One scan collects every eligible tail and evicts, cheapest first,
 * what is needed plus a slack of max_txs/64, so that a pool kept full by
 * load pays one scan per slack, not per tx. False when nothing may be
 * evicted. */
static bool make_room(zg_mempool_t *mp, const mp_account_t *self, size_t more, size_t len, const mp_tx_t *nw,
                      bool nw_pending) {
#define ROOM_OK (mp->count + more <= mp->cfg.max_txs && mp->bytes + len <= mp->cfg.max_bytes)
  while (!ROOM_OK) {
    if (scan_says_no(mp, nw, nw_pending)) return false;
    victim_t *v = malloc(mp->senders * sizeof *v);
    if (!v) return false;
    size_t nv = 0;
    mp_tx_t *min_q = NULL, *min_p = NULL;
    for (size_t i = 0; i <= mp->acct_mask; i++) {
      for (mp_account_t *a = mp->acct_tab[i]; a; a = a->hnext) {
        if (a == self || a->n == 0 || a->n == a->ntaken) continue;
        mp_tx_t *tail = a->txs[a->n - 1];
        bool queued = a->n > a->npending;
        mp_tx_t **m = queued ? &min_q : &min_p;
        if (!*m || cheaper(tail, *m)) *m = tail;
        /* A future (queued) newcomer never churns pending txs. */
        if (queued ? (nw_pending || cheaper(tail, nw)) : (nw_pending && cheaper(tail, nw)))
          v[nv++] = (victim_t){tail, queued};
      }
    }
    mp->scan_gen = mp->gen;
    mp->scan_min_queued = min_q;
    mp->scan_min_pending = min_p;
    if (nv == 0) {
      free(v);
      return false;
    }
    qsort(v, nv, sizeof *v, victim_cmp);
    size_t slack = mp->cfg.max_txs / 64, extra = 0;
    for (size_t i = 0; i < nv; i++) {
      if (ROOM_OK && extra++ == slack) break;
      mp_account_t *a = v[i].t->acct;
      unstat(mp, a);
      acct_remove_at(mp, a, a->n - 1);
      restat(mp, a);
      mp->evicted++;
      if (a->n == 0) acct_free(mp, a);
    }
    free(v);
  }
  return true;
#undef ROOM_OK
}

/* Index of the first tx of a with nonce >= nonce. */
static size_t lower_bound(const mp_account_t *a, uint64_t nonce) {
  size_t lo = 0, hi = a->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (a->txs[mid]->nonce < nonce) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* The locked part of add(): placement, replacement, limits. Takes
 * ownership of t (frees it on failure). */
static zg_err_t insert_locked(zg_mempool_t *mp, char *msg, mp_tx_t *t, const zg_eth_addr_t *sender,
                              uint64_t state_nonce) {
  if (tx_find(mp, t->hash)) {
    setmsg(msg, "already known");
    free(t);
    return ZG_EEXIST;
  }
  mp_account_t *a = acct_find(mp, sender);
  if (!a) {
    a = calloc(1, sizeof *a);
    if (!a) goto nomem;
    a->addr = *sender;
    a->base = state_nonce;
    acct_link(mp, a);
  }
  unstat(mp, a);
  acct_advance(mp, a, state_nonce);
  zg_err_t err = ZG_OK;
  if (t->nonce < a->base) { /* the pool learnt of a later commit than the state did */
    setmsg(msg, "nonce too low: next nonce %" PRIu64 ", tx nonce %" PRIu64, a->base, t->nonce);
    err = ZG_ENONCE;
    goto fail;
  }
  size_t i = lower_bound(a, t->nonce);
  if (i < a->n && a->txs[i]->nonce == t->nonce) {
    mp_tx_t *old = a->txs[i];
    if (old->taken) {
      setmsg(msg, "replacement transaction underpriced: nonce %" PRIu64 " is already in a batch", t->nonce);
      err = ZG_EFEE;
      goto fail;
    }
    if (!bumped(&t->max_fee, &old->max_fee) || !bumped(&t->tip, &old->tip)) {
      setmsg(msg, "replacement transaction underpriced");
      err = ZG_EFEE;
      goto fail;
    }
    if (t->len > old->len && !make_room(mp, a, 0, t->len - old->len, t, true)) {
      setmsg(msg, "txpool is full");
      err = ZG_EPOOLFULL;
      goto fail;
    }
    t->acct = a;
    tx_drop(mp, old);
    a->txs[i] = t;
    tx_link(mp, t);
    mp->count++;
    mp->bytes += t->len;
    mp->replaced++;
    restat(mp, a);
    return ZG_OK;
  }
  if (a->n >= mp->cfg.max_per_sender) {
    setmsg(msg, "txpool is full: account limit of %zu transactions reached", mp->cfg.max_per_sender);
    err = ZG_EPOOLFULL;
    goto fail;
  }
  size_t p = 0; /* a->npending is stale after acct_advance */
  while (p < a->n && a->txs[p]->nonce == a->base + p) p++;
  if (!make_room(mp, a, 1, t->len, t, t->nonce == a->base + p)) {
    setmsg(msg, "txpool is full");
    err = ZG_EPOOLFULL;
    goto fail;
  }
  if (a->n == a->cap) {
    size_t ncap = a->cap ? a->cap * 2 : 4;
    mp_tx_t **nt = realloc(a->txs, ncap * sizeof *nt);
    if (!nt) {
      err = ZG_ENOMEM;
      goto fail;
    }
    a->txs = nt;
    a->cap = ncap;
  }
  memmove(&a->txs[i + 1], &a->txs[i], (a->n - i) * sizeof *a->txs);
  a->txs[i] = t;
  a->n++;
  t->acct = a;
  tx_link(mp, t);
  mp->count++;
  mp->bytes += t->len;
  mp->added++;
  restat(mp, a);
  return ZG_OK;
fail:
  restat(mp, a);
  if (a->n == 0) acct_free(mp, a);
  free(t);
  if (err == ZG_ENOMEM) setmsg(msg, "out of memory");
  return err;
nomem:
  free(t);
  setmsg(msg, "out of memory");
  return ZG_ENOMEM;
}

zg_err_t zg_mempool_add(zg_mempool_t *mp, char *msg, const zg_tx_t *tx, const zg_eth_addr_t *sender) {
  if (msg) msg[0] = 0;
  if (!mp || !tx || !tx->raw.ptr) return ZG_EINVAL;
  zg_u256_t eff_tip;
  zg_eth_addr_t from;
  uint64_t state_nonce = 0;
  zg_err_t err = check_stateless(mp, msg, tx, &eff_tip);
  if (err == ZG_OK && !sender) {
    err = zg_tx_sender_cached(&from, NULL, tx, mp->cfg.cache);
    if (err != ZG_OK) setmsg(msg, "invalid sender: %s", zg_tx_strerror(err));
    sender = &from;
  }
  if (err == ZG_OK && mp->cfg.lane >= 0 && zg_tx_lane_of(sender, mp->cfg.lanes) != (unsigned)mp->cfg.lane) {
    char a[43];
    addr_text(a, sender);
    setmsg(msg, "sender %s is on lane %u; this node's pool serves lane %d", a, zg_tx_lane_of(sender, mp->cfg.lanes),
           mp->cfg.lane);
    err = ZG_ELANE;
  }
  if (err == ZG_OK) err = check_state(mp, msg, &state_nonce, tx, sender);
  mp_tx_t *t = NULL;
  if (err == ZG_OK) {
    t = malloc(sizeof *t + tx->raw.len);
    if (!t) {
      setmsg(msg, "out of memory");
      err = ZG_ENOMEM;
    }
  }
  if (err != ZG_OK) {
    pthread_mutex_lock(&mp->lock);
    mp->refused++;
    pthread_mutex_unlock(&mp->lock);
    return err;
  }
  memset(t, 0, sizeof *t);
  memcpy(t->hash, tx->hash, 32);
  t->nonce = tx->nonce;
  t->max_fee = tx->max_fee;
  t->tip = tx->max_priority_fee;
  t->eff_tip = eff_tip;
  t->len = tx->raw.len;
  memcpy(t->raw, tx->raw.ptr, tx->raw.len);
  pthread_mutex_lock(&mp->lock);
  t->seq = mp->seq++;
  err = insert_locked(mp, msg, t, sender, state_nonce);
  if (err != ZG_OK) mp->refused++;
  pthread_mutex_unlock(&mp->lock);
  return err;
}

zg_err_t zg_mempool_add_raw(zg_mempool_t *mp, uint8_t hash[32], char *msg, const uint8_t *raw, size_t len) {
  if (msg) msg[0] = 0;
  if (hash) memset(hash, 0, 32);
  if (!mp || (!raw && len)) return ZG_EINVAL;
  if (len > ZG_TX_MAX_SIZE) {
    setmsg(msg, "oversized data: transaction size %zu, limit %u", len, ZG_TX_MAX_SIZE);
    return ZG_ETOOBIG;
  }
  zg_tx_t tx;
  /* The chain id is checked with its own message; the signing hash only on
   * a sender-cache miss. */
  zg_err_t err = zg_tx_decode_nosighash(&tx, raw, len, 0);
  if (err == ZG_EUNSUPPORTED && raw[0] >= 0xc0) {
    setmsg(msg, "only replay-protected (EIP-155) transactions allowed");
    return err;
  }
  if (err == ZG_EUNSUPPORTED) {
    setmsg(msg, "transaction type not supported");
    return err;
  }
  if (err != ZG_OK) {
    setmsg(msg, "%s", zg_tx_strerror(err));
    return err;
  }
  if (hash) memcpy(hash, tx.hash, 32);
  return zg_mempool_add(mp, msg, &tx, NULL);
}

/* ---- take ---- */

void zg_mempool_taken_init(zg_mempool_taken_t *t) {
  memset(t, 0, sizeof *t);
  zg_buf_init(&t->raw);
}

void zg_mempool_taken_reset(zg_mempool_taken_t *t) {
  t->n = 0;
  t->raw.len = 0;
}

void zg_mempool_taken_free(zg_mempool_taken_t *t) {
  free(t->items);
  zg_buf_clear(&t->raw);
  zg_mempool_taken_init(t);
}

/* Max-heap of accounts by their next tx (a->txs[a->cursor]). */
static bool heap_before(const mp_account_t *a, const mp_account_t *b) {
  const mp_tx_t *x = a->txs[a->cursor], *y = b->txs[b->cursor];
  int c = zg_u256_cmp(&x->eff_tip, &y->eff_tip);
  return c > 0 || (c == 0 && x->seq < y->seq);
}

static void heap_down(mp_account_t **h, size_t n, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < n && heap_before(h[l], h[m])) m = l;
    if (r < n && heap_before(h[r], h[m])) m = r;
    if (m == i) return;
    mp_account_t *t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
}

zg_err_t zg_mempool_take(zg_mempool_t *mp, zg_mempool_taken_t *out, size_t max_txs, size_t max_bytes) {
  if (!mp || !out) return ZG_EINVAL;
  zg_err_t err = ZG_OK;
  size_t n0 = out->n, raw0 = out->raw.len;
  pthread_mutex_lock(&mp->lock);
  mp_account_t **heap = NULL;
  size_t hn = 0;
  if (max_txs && mp->nready) {
    heap = malloc(mp->nready * sizeof *heap);
    if (!heap) {
      err = ZG_ENOMEM;
      goto out;
    }
    for (mp_account_t *a = mp->ready; a; a = a->rnext) {
      a->cursor = a->ntaken;
      heap[hn++] = a;
    }
    for (size_t i = hn / 2; i-- > 0;) heap_down(heap, hn, i);
  }
  size_t taken = 0, bytes = 0;
  while (hn && taken < max_txs) {
    mp_account_t *a = heap[0];
    mp_tx_t *t = a->txs[a->cursor];
    if (t->len > max_bytes - bytes) { /* does not fit: skip this sender */
      heap[0] = heap[--hn];
      heap_down(heap, hn, 0);
      continue;
    }
    if (out->n == out->cap) {
      size_t ncap = out->cap ? out->cap * 2 : 64;
      zg_mempool_entry_t *ni = realloc(out->items, ncap * sizeof *ni);
      if (!ni) {
        err = ZG_ENOMEM;
        goto out;
      }
      out->items = ni;
      out->cap = ncap;
    }
    zg_mempool_entry_t *e = &out->items[out->n];
    e->off = out->raw.len;
    if ((err = zg_buf_append(&out->raw, t->raw, t->len)) != ZG_OK) goto out;
    memcpy(e->hash, t->hash, 32);
    e->sender = a->addr;
    e->nonce = t->nonce;
    e->len = t->len;
    out->n++;
    taken++;
    bytes += t->len;
    a->cursor++;
    if (a->cursor == a->npending) heap[0] = heap[--hn];
    heap_down(heap, hn, 0);
  }
  /* Success: mark what was handed out. */
  for (size_t i = n0; i < out->n; i++) {
    mp_tx_t *t = tx_find(mp, out->items[i].hash);
    t->taken = true;
    mp_account_t *a = t->acct;
    a->ntaken++;
    mp->taken++;
    ready_update(mp, a);
  }
  mp->gen++;
out:
  if (err != ZG_OK) {
    out->n = n0;
    out->raw.len = raw0;
  }
  pthread_mutex_unlock(&mp->lock);
  free(heap);
  return err;
}

/* Releases t and every later taken tx of its sender. */
static void untake_locked(zg_mempool_t *mp, mp_tx_t *t) {
  if (!t->taken) return;
  mp_account_t *a = t->acct;
  unstat(mp, a);
  for (size_t i = lower_bound(a, t->nonce); i < a->n && a->txs[i]->taken; i++) a->txs[i]->taken = false;
  restat(mp, a);
}

void zg_mempool_untake(zg_mempool_t *mp, const uint8_t (*hashes)[32], size_t n) {
  if (!mp || (!hashes && n)) return;
  pthread_mutex_lock(&mp->lock);
  for (size_t i = 0; i < n; i++) {
    mp_tx_t *t = tx_find(mp, hashes[i]);
    if (t) untake_locked(mp, t);
  }
  pthread_mutex_unlock(&mp->lock);
}

void zg_mempool_untake_all(zg_mempool_t *mp) {
  if (!mp) return;
  pthread_mutex_lock(&mp->lock);
  for (size_t i = 0; i <= mp->acct_mask; i++) {
    for (mp_account_t *a = mp->acct_tab[i]; a; a = a->hnext) {
      if (a->ntaken) untake_locked(mp, a->txs[0]);
    }
  }
  pthread_mutex_unlock(&mp->lock);
}

/* ---- commit, removal, queries ---- */

void zg_mempool_advance(zg_mempool_t *mp, const zg_eth_addr_t *sender, uint64_t nonce) {
  if (!mp || !sender) return;
  pthread_mutex_lock(&mp->lock);
  mp_account_t *a = acct_find(mp, sender);
  if (a) {
    unstat(mp, a);
    acct_advance(mp, a, nonce);
    restat(mp, a);
    if (a->n == 0) acct_free(mp, a);
  }
  pthread_mutex_unlock(&mp->lock);
}

zg_err_t zg_mempool_remove(zg_mempool_t *mp, const uint8_t hash[32]) {
  if (!mp || !hash) return ZG_EINVAL;
  zg_err_t err = ZG_ENOTFOUND;
  pthread_mutex_lock(&mp->lock);
  mp_tx_t *t = tx_find(mp, hash);
  if (t) {
    mp_account_t *a = t->acct;
    unstat(mp, a);
    size_t i = lower_bound(a, t->nonce);
    /* Later taken txs can no longer run in order: release them too. */
    for (size_t j = i + 1; j < a->n && a->txs[j]->taken; j++) a->txs[j]->taken = false;
    acct_remove_at(mp, a, i);
    restat(mp, a);
    if (a->n == 0) acct_free(mp, a);
    err = ZG_OK;
  }
  pthread_mutex_unlock(&mp->lock);
  return err;
}

zg_err_t zg_mempool_get(zg_mempool_t *mp, zg_buf_t *raw, zg_eth_addr_t *sender, const uint8_t hash[32]) {
  if (!mp || !hash) return ZG_EINVAL;
  zg_err_t err = ZG_ENOTFOUND;
  pthread_mutex_lock(&mp->lock);
  mp_tx_t *t = tx_find(mp, hash);
  if (t) {
    err = raw ? zg_buf_append(raw, t->raw, t->len) : ZG_OK;
    if (sender) *sender = t->acct->addr;
  }
  pthread_mutex_unlock(&mp->lock);
  return err;
}

bool zg_mempool_pending_nonce(zg_mempool_t *mp, uint64_t *nonce, const zg_eth_addr_t *sender) {
  if (!mp || !nonce || !sender) return false;
  pthread_mutex_lock(&mp->lock);
  mp_account_t *a = acct_find(mp, sender);
  if (a) *nonce = a->base + a->npending;
  pthread_mutex_unlock(&mp->lock);
  return a != NULL;
}

void zg_mempool_stats(zg_mempool_t *mp, zg_mempool_stats_t *st) {
  if (!st) return;
  memset(st, 0, sizeof *st);
  if (!mp) return;
  pthread_mutex_lock(&mp->lock);
  st->pending = mp->pending;
  st->queued = mp->count - mp->pending;
  st->taken = mp->taken;
  st->senders = mp->senders;
  st->bytes = mp->bytes;
  st->added = mp->added;
  st->replaced = mp->replaced;
  st->evicted = mp->evicted;
  st->refused = mp->refused;
  pthread_mutex_unlock(&mp->lock);
}

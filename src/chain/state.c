/*
 * state.c — the per-lane chain state over LMDB (zg/state.h).
 *
 * Invariants:
 *  - every write inside a block goes through a function of this file that
 *    logs (table, key) into b->touched; the write set at commit is built from
 *    that log, so a write that bypassed it would break the digest;
 *  - savepoint i records the length of the touched log and of the outbox at
 *    level i, so a rollback forgets exactly the writes it discards;
 *  - the executed height, its digest and the block's changes are written in
 *    the one root write transaction that zg_state_block_commit commits.
 */
#include "zg/state.h"

#include <stdlib.h>
#include <string.h>

#include "zg/hash.h"
#include "zg/kvdb.h"

enum { T_ACCT = 1, T_STORE = 2, T_OUTBOX = 3, T_META = 4 };
#define MAX_DEPTH 8
#define ACCT_LEN 40

struct zg_state {
  zg_kvdb_t *db;
  zg_kvdb_dbi_t acct, store, outbox, meta, blocks;
  uint32_t lane, lanes;
  bool in_block;
};

typedef struct {
  uint32_t dst;
  zg_credit_t c;
} ob_entry_t;

struct zg_state_block {
  zg_state_t *st;
  uint64_t height;
  zg_kvdb_txn_t *txn[MAX_DEPTH + 1]; /* txn[0] is the root write transaction */
  unsigned depth;
  zg_buf_t touched; /* table(1) klen(2) key, appended per write */
  size_t tmark[MAX_DEPTH + 1];
  ob_entry_t *ob;
  size_t nob, cap;
  size_t omark[MAX_DEPTH + 1];
};

struct zg_state_view {
  zg_state_t *st;
  zg_kvdb_txn_t *txn;
};

static void be64(uint8_t out[8], uint64_t v) {
  for (int i = 7; i >= 0; i--, v >>= 8) out[i] = (uint8_t)v;
}
static uint64_t rd64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = v << 8 | p[i];
  return v;
}

zg_err_t zg_state_open(zg_state_t **out, const char *dir, uint32_t lane, uint32_t lanes,
                       const zg_state_opts_t *opts) {
  if (out) *out = NULL;
  if (!out || !dir || lanes == 0 || lanes > ZG_STATE_MAX_LANES || lane >= lanes) return ZG_EINVAL;
  zg_state_t *st = calloc(1, sizeof *st);
  if (!st) return ZG_ENOMEM;
  st->lane = lane;
  st->lanes = lanes;
  zg_kvdb_opts_t ko = {0};
  ko.map_size = opts && opts->map_size ? opts->map_size : (size_t)1 << 30;
  ko.max_dbs = 8;
  ko.no_sync = opts ? opts->no_sync : false;
  zg_err_t e = zg_kvdb_open(&st->db, dir, &ko);
  if (e) goto fail;
  if ((e = zg_kvdb_dbi_open(st->db, &st->acct, "acct", true)) ||
      (e = zg_kvdb_dbi_open(st->db, &st->store, "store", true)) ||
      (e = zg_kvdb_dbi_open(st->db, &st->outbox, "outbox", true)) ||
      (e = zg_kvdb_dbi_open(st->db, &st->meta, "meta", true)) ||
      (e = zg_kvdb_dbi_open(st->db, &st->blocks, "blocks", true)))
    goto fail;
  *out = st;
  return ZG_OK;
fail:
  zg_kvdb_close(st->db);
  free(st);
  return e;
}

void zg_state_close(zg_state_t *st) {
  if (!st) return;
  zg_kvdb_close(st->db);
  free(st);
}

uint32_t zg_state_lane(const zg_state_t *st) { return st->lane; }
uint32_t zg_state_lanes(const zg_state_t *st) { return st->lanes; }

/* ---- encodings ---- */

static void acct_encode(uint8_t out[ACCT_LEN], const zg_account_t *a) {
  zg_u256_to_be32(out, &a->balance);
  be64(out + 32, a->nonce);
}

static zg_err_t acct_decode(zg_account_t *a, zg_slice_t v) {
  if (v.len != ACCT_LEN) return ZG_ECORRUPT;
  zg_u256_from_be32(&a->balance, v.ptr);
  a->nonce = rd64(v.ptr + 32);
  return ZG_OK;
}

static zg_err_t read_account(zg_state_t *st, zg_kvdb_txn_t *txn, const zg_eth_addr_t *addr,
                             zg_account_t *out) {
  memset(out, 0, sizeof *out);
  zg_slice_t v;
  zg_err_t e = zg_kvdb_get(txn, st->acct, zg_slice(addr->bytes, 20), &v);
  if (e == ZG_ENOTFOUND) return ZG_OK;
  if (e) return e;
  return acct_decode(out, v);
}

/* contract(20) || key: the storage table's key. */
static zg_err_t skey(uint8_t out[20 + ZG_STATE_MAX_SKEY], const zg_eth_addr_t *c, const uint8_t *key,
                     size_t klen) {
  if (klen == 0 || klen > ZG_STATE_MAX_SKEY || !key) return ZG_EINVAL;
  memcpy(out, c->bytes, 20);
  memcpy(out + 20, key, klen);
  return ZG_OK;
}

static zg_err_t read_sget(zg_state_t *st, zg_kvdb_txn_t *txn, const zg_eth_addr_t *c, const uint8_t *key,
                          size_t klen, zg_buf_t *out, bool *found) {
  *found = false;
  uint8_t k[20 + ZG_STATE_MAX_SKEY];
  ZG_TRY(skey(k, c, key, klen));
  zg_slice_t v;
  zg_err_t e = zg_kvdb_get(txn, st->store, zg_slice(k, 20 + klen), &v);
  if (e == ZG_ENOTFOUND) return ZG_OK;
  if (e) return e;
  out->len = 0;
  ZG_TRY(zg_buf_append(out, v.ptr, v.len));
  *found = true;
  return ZG_OK;
}

typedef bool (*scan_fn)(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl);

static zg_err_t read_scan(zg_state_t *st, zg_kvdb_txn_t *txn, const zg_eth_addr_t *c, const uint8_t *prefix,
                          size_t plen, scan_fn fn, void *arg) {
  if (plen > ZG_STATE_MAX_SKEY || (plen && !prefix) || !fn) return ZG_EINVAL;
  uint8_t k[20 + ZG_STATE_MAX_SKEY];
  memcpy(k, c->bytes, 20);
  if (plen) memcpy(k + 20, prefix, plen);
  zg_kvdb_cursor_t *cur;
  ZG_TRY(zg_kvdb_cursor_open(&cur, txn, st->store));
  zg_slice_t key = zg_slice(k, 20 + plen), val;
  zg_err_t e = zg_kvdb_cursor_get(cur, &key, &val, ZG_KVDB_SEEK_GE);
  while (e == ZG_OK) {
    if (key.len < 20 + plen || memcmp(key.ptr, k, 20 + plen) != 0) break;
    if (!fn(arg, key.ptr + 20, key.len - 20, val.ptr, val.len)) break;
    e = zg_kvdb_cursor_get(cur, &key, &val, ZG_KVDB_NEXT);
  }
  zg_kvdb_cursor_close(cur);
  return e == ZG_ENOTFOUND ? ZG_OK : e;
}

static zg_err_t read_height(zg_state_t *st, zg_kvdb_txn_t *txn, uint64_t *height, uint8_t digest[32]) {
  zg_slice_t v;
  ZG_TRY(zg_kvdb_get(txn, st->meta, zg_slice("height", 6), &v));
  if (v.len != 8) return ZG_ECORRUPT;
  *height = rd64(v.ptr);
  if (digest) {
    ZG_TRY(zg_kvdb_get(txn, st->meta, zg_slice("digest", 6), &v));
    if (v.len != 32) return ZG_ECORRUPT;
    memcpy(digest, v.ptr, 32);
  }
  return ZG_OK;
}

static zg_err_t read_import(zg_state_t *st, zg_kvdb_txn_t *txn, uint32_t src, uint64_t *out) {
  uint8_t k[4] = {'i', 'm', 'p', (uint8_t)src};
  zg_slice_t v;
  *out = 0;
  zg_err_t e = zg_kvdb_get(txn, st->meta, zg_slice(k, 4), &v);
  if (e == ZG_ENOTFOUND) return ZG_OK;
  if (e) return e;
  if (v.len != 8) return ZG_ECORRUPT;
  *out = rd64(v.ptr);
  return ZG_OK;
}

/* ---- reads at the last committed block ---- */

zg_err_t zg_state_height(zg_state_t *st, uint64_t *height, uint8_t digest[32]) {
  if (!st || !height) return ZG_EINVAL;
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(st->db, &t, NULL, false));
  zg_err_t e = read_height(st, t, height, digest);
  zg_kvdb_txn_abort(t);
  return e;
}

zg_err_t zg_state_block_info(zg_state_t *st, uint64_t height, uint8_t digest[32], uint8_t receipts_root[32]) {
  if (!st) return ZG_EINVAL;
  uint8_t k[8];
  be64(k, height);
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(st->db, &t, NULL, false));
  zg_slice_t v;
  zg_err_t e = zg_kvdb_get(t, st->blocks, zg_slice(k, 8), &v);
  if (!e && v.len != 64) e = ZG_ECORRUPT;
  if (!e) {
    if (digest) memcpy(digest, v.ptr, 32);
    if (receipts_root) memcpy(receipts_root, v.ptr + 32, 32);
  }
  zg_kvdb_txn_abort(t);
  return e;
}

zg_err_t zg_state_account(zg_state_t *st, const zg_eth_addr_t *addr, zg_account_t *out) {
  if (!st || !addr || !out) return ZG_EINVAL;
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(st->db, &t, NULL, false));
  zg_err_t e = read_account(st, t, addr, out);
  zg_kvdb_txn_abort(t);
  return e;
}

zg_err_t zg_state_storage(zg_state_t *st, const zg_eth_addr_t *contract, const uint8_t *key, size_t klen,
                          zg_buf_t *out, bool *found) {
  if (!st || !contract || !out || !found) return ZG_EINVAL;
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(st->db, &t, NULL, false));
  zg_err_t e = read_sget(st, t, contract, key, klen, out, found);
  zg_kvdb_txn_abort(t);
  return e;
}

zg_err_t zg_state_outbox(zg_state_t *st, uint32_t dst, uint64_t height, zg_credit_t **out, size_t *n) {
  if (!st || !out || !n || dst >= st->lanes) return ZG_EINVAL;
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(st->db, &t, NULL, false));
  uint64_t h;
  zg_err_t e = read_height(st, t, &h, NULL);
  if (e == ZG_ENOTFOUND || (!e && h < height)) e = ZG_ESTATE;
  if (e) goto out;
  uint8_t k[9];
  k[0] = (uint8_t)dst;
  be64(k + 1, height);
  zg_slice_t v;
  e = zg_kvdb_get(t, st->outbox, zg_slice(k, 9), &v);
  if (e == ZG_ENOTFOUND) {
    e = ZG_OK;
    goto out;
  }
  if (e) goto out;
  if (v.len % 52) {
    e = ZG_ECORRUPT;
    goto out;
  }
  size_t m = v.len / 52;
  zg_credit_t *arr = realloc(*out, (*n + m) * sizeof *arr);
  if (!arr) {
    e = ZG_ENOMEM;
    goto out;
  }
  *out = arr;
  for (size_t i = 0; i < m; i++) {
    memcpy(arr[*n + i].to.bytes, v.ptr + 52 * i, 20);
    zg_u256_from_be32(&arr[*n + i].amount, v.ptr + 52 * i + 20);
  }
  *n += m;
out:
  zg_kvdb_txn_abort(t);
  return e;
}

zg_err_t zg_state_import_height(zg_state_t *st, uint32_t src, uint64_t *out) {
  if (!st || !out || src >= st->lanes) return ZG_EINVAL;
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(st->db, &t, NULL, false));
  zg_err_t e = read_import(st, t, src, out);
  zg_kvdb_txn_abort(t);
  return e;
}

/* ---- blocks ---- */

static zg_kvdb_txn_t *cur(zg_state_block_t *b) { return b->txn[b->depth]; }

static zg_err_t touch(zg_state_block_t *b, uint8_t table, const uint8_t *key, size_t klen) {
  uint8_t h[3] = {table, (uint8_t)(klen >> 8), (uint8_t)klen};
  ZG_TRY(zg_buf_append(&b->touched, h, 3));
  return zg_buf_append(&b->touched, key, klen);
}

zg_err_t zg_state_block_begin(zg_state_t *st, zg_state_block_t **out, uint64_t height) {
  if (out) *out = NULL;
  if (!st || !out) return ZG_EINVAL;
  if (st->in_block) return ZG_ESTATE;
  zg_state_block_t *b = calloc(1, sizeof *b);
  if (!b) return ZG_ENOMEM;
  zg_err_t e = zg_kvdb_txn_begin(st->db, &b->txn[0], NULL, true);
  if (e) {
    free(b);
    return e;
  }
  uint64_t h;
  e = read_height(st, b->txn[0], &h, NULL);
  if (e == ZG_ENOTFOUND)
    e = height == 0 ? ZG_OK : ZG_ESTATE;
  else if (!e && h + 1 != height)
    e = ZG_ESTATE;
  if (e) {
    zg_kvdb_txn_abort(b->txn[0]);
    free(b);
    return e;
  }
  b->st = st;
  b->height = height;
  zg_buf_init(&b->touched);
  st->in_block = true;
  *out = b;
  return ZG_OK;
}

uint64_t zg_state_block_height(const zg_state_block_t *b) { return b->height; }
zg_state_t *zg_state_block_state(zg_state_block_t *b) { return b->st; }

void zg_state_block_abort(zg_state_block_t *b) {
  if (!b) return;
  while (b->depth > 0) zg_kvdb_txn_abort(b->txn[b->depth--]);
  zg_kvdb_txn_abort(b->txn[0]);
  b->st->in_block = false;
  zg_buf_clear(&b->touched);
  free(b->ob);
  free(b);
}

zg_err_t zg_state_savepoint(zg_state_block_t *b) {
  if (!b) return ZG_EINVAL;
  if (b->depth >= MAX_DEPTH) return ZG_EOVERFLOW;
  zg_kvdb_txn_t *t;
  ZG_TRY(zg_kvdb_txn_begin(b->st->db, &t, cur(b), true));
  b->depth++;
  b->txn[b->depth] = t;
  b->tmark[b->depth] = b->touched.len;
  b->omark[b->depth] = b->nob;
  return ZG_OK;
}

zg_err_t zg_state_release(zg_state_block_t *b) {
  if (!b || b->depth == 0) return ZG_ESTATE;
  zg_kvdb_txn_t *t = b->txn[b->depth--];
  zg_err_t e = zg_kvdb_txn_commit(t);
  if (e) {
    /* The child's changes are lost: forget their keys too. */
    b->touched.len = b->tmark[b->depth + 1];
    b->nob = b->omark[b->depth + 1];
  }
  return e;
}

void zg_state_rollback(zg_state_block_t *b) {
  if (!b || b->depth == 0) return;
  zg_kvdb_txn_abort(b->txn[b->depth]);
  b->touched.len = b->tmark[b->depth];
  b->nob = b->omark[b->depth];
  b->depth--;
}

zg_err_t zg_state_get_account(zg_state_block_t *b, const zg_eth_addr_t *addr, zg_account_t *out) {
  if (!b || !addr || !out) return ZG_EINVAL;
  return read_account(b->st, cur(b), addr, out);
}

zg_err_t zg_state_put_account(zg_state_block_t *b, const zg_eth_addr_t *addr, const zg_account_t *acct) {
  if (!b || !addr || !acct) return ZG_EINVAL;
  ZG_TRY(touch(b, T_ACCT, addr->bytes, 20));
  if (zg_u256_is_zero(&acct->balance) && acct->nonce == 0) {
    zg_err_t e = zg_kvdb_del(cur(b), b->st->acct, zg_slice(addr->bytes, 20));
    return e == ZG_ENOTFOUND ? ZG_OK : e;
  }
  uint8_t v[ACCT_LEN];
  acct_encode(v, acct);
  return zg_kvdb_put(cur(b), b->st->acct, zg_slice(addr->bytes, 20), zg_slice(v, ACCT_LEN), 0);
}

zg_err_t zg_state_credit(zg_state_block_t *b, const zg_eth_addr_t *addr, const zg_u256_t *amount) {
  if (!amount) return ZG_EINVAL;
  zg_account_t a;
  ZG_TRY(zg_state_get_account(b, addr, &a));
  if (zg_u256_is_zero(amount)) return ZG_OK;
  if (!zg_u256_add(&a.balance, &a.balance, amount)) return ZG_EOVERFLOW;
  return zg_state_put_account(b, addr, &a);
}

zg_err_t zg_state_debit(zg_state_block_t *b, const zg_eth_addr_t *addr, const zg_u256_t *amount) {
  if (!amount) return ZG_EINVAL;
  zg_account_t a;
  ZG_TRY(zg_state_get_account(b, addr, &a));
  if (zg_u256_is_zero(amount)) return ZG_OK;
  if (!zg_u256_sub(&a.balance, &a.balance, amount)) return ZG_EFUNDS;
  return zg_state_put_account(b, addr, &a);
}

zg_err_t zg_state_sget(zg_state_block_t *b, const zg_eth_addr_t *contract, const uint8_t *key, size_t klen,
                       zg_buf_t *out, bool *found) {
  if (!b || !contract || !out || !found) return ZG_EINVAL;
  return read_sget(b->st, cur(b), contract, key, klen, out, found);
}

zg_err_t zg_state_sput(zg_state_block_t *b, const zg_eth_addr_t *contract, const uint8_t *key, size_t klen,
                       const uint8_t *val, size_t vlen) {
  if (!b || !contract || (vlen && !val)) return ZG_EINVAL;
  uint8_t k[20 + ZG_STATE_MAX_SKEY];
  ZG_TRY(skey(k, contract, key, klen));
  ZG_TRY(touch(b, T_STORE, k, 20 + klen));
  return zg_kvdb_put(cur(b), b->st->store, zg_slice(k, 20 + klen), zg_slice(val, vlen), 0);
}

zg_err_t zg_state_sdel(zg_state_block_t *b, const zg_eth_addr_t *contract, const uint8_t *key, size_t klen) {
  if (!b || !contract) return ZG_EINVAL;
  uint8_t k[20 + ZG_STATE_MAX_SKEY];
  ZG_TRY(skey(k, contract, key, klen));
  ZG_TRY(touch(b, T_STORE, k, 20 + klen));
  zg_err_t e = zg_kvdb_del(cur(b), b->st->store, zg_slice(k, 20 + klen));
  return e == ZG_ENOTFOUND ? ZG_OK : e;
}

zg_err_t zg_state_sscan(zg_state_block_t *b, const zg_eth_addr_t *contract, const uint8_t *prefix,
                        size_t plen, scan_fn fn, void *arg) {
  if (!b || !contract) return ZG_EINVAL;
  return read_scan(b->st, cur(b), contract, prefix, plen, fn, arg);
}

zg_err_t zg_state_outbox_add(zg_state_block_t *b, uint32_t dst, const zg_eth_addr_t *to,
                             const zg_u256_t *amount) {
  if (!b || !to || !amount || dst >= b->st->lanes || dst == b->st->lane) return ZG_EINVAL;
  if (zg_u256_is_zero(amount)) return ZG_OK;
  if (b->nob == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 64;
    ob_entry_t *p = realloc(b->ob, cap * sizeof *p);
    if (!p) return ZG_ENOMEM;
    b->ob = p;
    b->cap = cap;
  }
  b->ob[b->nob].dst = dst;
  b->ob[b->nob].c.to = *to;
  b->ob[b->nob].c.amount = *amount;
  b->nob++;
  return ZG_OK;
}

zg_err_t zg_state_get_import(zg_state_block_t *b, uint32_t src, uint64_t *out) {
  if (!b || !out || src >= b->st->lanes) return ZG_EINVAL;
  return read_import(b->st, cur(b), src, out);
}

zg_err_t zg_state_set_import(zg_state_block_t *b, uint32_t src, uint64_t height) {
  if (!b || src >= b->st->lanes) return ZG_EINVAL;
  uint8_t k[4] = {'i', 'm', 'p', (uint8_t)src}, v[8];
  be64(v, height);
  ZG_TRY(touch(b, T_META, k, 4));
  return zg_kvdb_put(cur(b), b->st->meta, zg_slice(k, 4), zg_slice(v, 8), 0);
}

/* Writes the block's outboxes: one value per destination lane, credits in
 * the order they were made. */
static zg_err_t write_outboxes(zg_state_block_t *b) {
  if (b->nob == 0) return ZG_OK;
  zg_buf_t v;
  zg_buf_init(&v);
  zg_err_t e = ZG_OK;
  for (uint32_t dst = 0; dst < b->st->lanes && !e; dst++) {
    v.len = 0;
    for (size_t i = 0; i < b->nob && !e; i++) {
      if (b->ob[i].dst != dst) continue;
      uint8_t rec[52];
      memcpy(rec, b->ob[i].c.to.bytes, 20);
      zg_u256_to_be32(rec + 20, &b->ob[i].c.amount);
      e = zg_buf_append(&v, rec, 52);
    }
    if (e || v.len == 0) continue;
    uint8_t k[9];
    k[0] = (uint8_t)dst;
    be64(k + 1, b->height);
    e = touch(b, T_OUTBOX, k, 9);
    if (!e) e = zg_kvdb_put(b->txn[0], b->st->outbox, zg_slice(k, 9), zg_buf_slice(&v), 0);
  }
  zg_buf_clear(&v);
  return e;
}

static int cmp_touched(const void *pa, const void *pb) {
  const uint8_t *a = *(const uint8_t *const *)pa, *b = *(const uint8_t *const *)pb;
  if (a[0] != b[0]) return a[0] < b[0] ? -1 : 1;
  size_t la = (size_t)a[1] << 8 | a[2], lb = (size_t)b[1] << 8 | b[2];
  int c = memcmp(a + 3, b + 3, la < lb ? la : lb);
  if (c) return c;
  return la < lb ? -1 : la > lb;
}

static zg_kvdb_dbi_t table_dbi(const zg_state_t *st, uint8_t table) {
  switch (table) {
    case T_ACCT:
      return st->acct;
    case T_STORE:
      return st->store;
    case T_OUTBOX:
      return st->outbox;
    default:
      return st->meta;
  }
}

/* keccak256 of the block's write set (see zg/state.h). */
static zg_err_t write_set_hash(zg_state_block_t *b, uint8_t out[32]) {
  size_t n = 0;
  for (size_t off = 0; off < b->touched.len; n++)
    off += 3 + ((size_t)b->touched.ptr[off + 1] << 8 | b->touched.ptr[off + 2]);
  const uint8_t **ents = malloc((n ? n : 1) * sizeof *ents);
  if (!ents) return ZG_ENOMEM;
  size_t i = 0;
  for (size_t off = 0; off < b->touched.len; i++) {
    ents[i] = b->touched.ptr + off;
    off += 3 + ((size_t)b->touched.ptr[off + 1] << 8 | b->touched.ptr[off + 2]);
  }
  qsort(ents, n, sizeof *ents, cmp_touched);
  zg_keccak256_ctx_t kc;
  zg_keccak256_init(&kc);
  zg_err_t e = ZG_OK;
  for (i = 0; i < n && !e; i++) {
    if (i > 0 && cmp_touched(&ents[i - 1], &ents[i]) == 0) continue;
    const uint8_t *t = ents[i];
    size_t klen = (size_t)t[1] << 8 | t[2];
    zg_slice_t v;
    e = zg_kvdb_get(b->txn[0], table_dbi(b->st, t[0]), zg_slice(t + 3, klen), &v);
    uint8_t hdr[5] = {0};
    zg_keccak256_update(&kc, t, 3 + klen);
    if (e == ZG_ENOTFOUND) {
      e = ZG_OK;
      zg_keccak256_update(&kc, hdr, 5);
      continue;
    }
    if (e) break;
    hdr[0] = 1;
    hdr[1] = (uint8_t)(v.len >> 24);
    hdr[2] = (uint8_t)(v.len >> 16);
    hdr[3] = (uint8_t)(v.len >> 8);
    hdr[4] = (uint8_t)v.len;
    zg_keccak256_update(&kc, hdr, 5);
    zg_keccak256_update(&kc, v.ptr, v.len);
  }
  zg_keccak256_final(&kc, out);
  free(ents);
  return e;
}

zg_err_t zg_state_block_commit(zg_state_block_t *b, const uint8_t receipts_root[32], uint8_t digest[32]) {
  if (!b) return ZG_EINVAL;
  zg_state_t *st = b->st;
  zg_err_t e = b->depth ? ZG_ESTATE : ZG_OK;
  uint8_t prev[32] = {0}, ws[32], d[32], hv[8], info[64] = {0};
  uint64_t h;
  if (!e) e = write_outboxes(b);
  if (!e && b->height > 0) e = read_height(st, b->txn[0], &h, prev);
  if (!e) e = write_set_hash(b, ws);
  if (e) goto fail;
  zg_keccak256_pair(d, prev, ws);
  be64(hv, b->height);
  memcpy(info, d, 32);
  if (receipts_root) memcpy(info + 32, receipts_root, 32);
  if ((e = zg_kvdb_put(b->txn[0], st->meta, zg_slice("height", 6), zg_slice(hv, 8), 0)) ||
      (e = zg_kvdb_put(b->txn[0], st->meta, zg_slice("digest", 6), zg_slice(d, 32), 0)) ||
      (e = zg_kvdb_put(b->txn[0], st->blocks, zg_slice(hv, 8), zg_slice(info, 64), 0)))
    goto fail;
  e = zg_kvdb_txn_commit(b->txn[0]);
  b->txn[0] = NULL;
  if (!e && digest) memcpy(digest, d, 32);
  st->in_block = false;
  zg_buf_clear(&b->touched);
  free(b->ob);
  free(b);
  return e;
fail:
  zg_state_block_abort(b);
  return e;
}

/* ---- views ---- */

zg_err_t zg_state_view_begin(zg_state_t *st, zg_state_view_t **out) {
  if (out) *out = NULL;
  if (!st || !out) return ZG_EINVAL;
  zg_state_view_t *v = calloc(1, sizeof *v);
  if (!v) return ZG_ENOMEM;
  zg_err_t e = zg_kvdb_txn_begin(st->db, &v->txn, NULL, false);
  if (e) {
    free(v);
    return e;
  }
  v->st = st;
  *out = v;
  return ZG_OK;
}

void zg_state_view_end(zg_state_view_t *v) {
  if (!v) return;
  zg_kvdb_txn_abort(v->txn);
  free(v);
}

zg_err_t zg_state_view_account(zg_state_view_t *v, const zg_eth_addr_t *addr, zg_account_t *out) {
  if (!v || !addr || !out) return ZG_EINVAL;
  return read_account(v->st, v->txn, addr, out);
}

zg_err_t zg_state_view_sget(zg_state_view_t *v, const zg_eth_addr_t *contract, const uint8_t *key,
                            size_t klen, zg_buf_t *out, bool *found) {
  if (!v || !contract || !out || !found) return ZG_EINVAL;
  return read_sget(v->st, v->txn, contract, key, klen, out, found);
}

zg_err_t zg_state_view_sscan(zg_state_view_t *v, const zg_eth_addr_t *contract, const uint8_t *prefix,
                             size_t plen, scan_fn fn, void *arg) {
  if (!v || !contract) return ZG_EINVAL;
  return read_scan(v->st, v->txn, contract, prefix, plen, fn, arg);
}

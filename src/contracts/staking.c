/*
 * staking.c — the Staking system contract (zg/staking.h, docs/staking.md).
 *
 * Everything lives in the contract's own storage, reached through the host
 * (zg/syscontract.h). Keys start with one tag byte; integers are big-endian so
 * that key order is numeric order:
 *
 *   "p"                      params: unbondingEpochs u64 | minSelfBond u256 | maxValidators u32
 *   "e"                      current epoch u64 (absent: 0)
 *   "t"                      bonded total u256
 *   "n"                      next unbonding sequence number u64
 *   'V' op                   validator record (vrec_t, VREC_LEN bytes)
 *   'K' consensusKey         operator (uniqueness of the Ed25519 key)
 *   'B' blsPubkey            operator (uniqueness of the BLS key)
 *   'D' validator delegator  bonded amount u256 (absent: 0; the self-bond is D[op][op])
 *   'U' validator delegator seq   matureEpoch u64 | amount u256 (an unbonding entry)
 *   'Q' matureEpoch seq      validator | delegator (the maturity queue over 'U')
 *   'A' delegator            sum of the delegator's unbonding entries u256
 *   'W' delegator            matured, withdrawable amount u256
 *   'S' epoch                validator-set snapshot (see snapshot_take)
 *   'X' evidenceId           1 (evidence already used)
 *
 * Invariants: a validator's total is the sum of its 'D' entries; "t" is the
 * sum of every total; A[d] is the sum of d's 'U' entries; the contract's
 * balance is at least "t" + every 'U' + every 'W' (slashing sends funds out
 * of the contract while lowering those amounts by the same sum).
 *
 * Handlers never clean up on a revert: the host rolls back every write of a
 * reverted call. Scans collect what they find first and write afterwards,
 * so a host is never asked to write under an open cursor.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/abi.h"
#include "zg/bft.h"
#include "zg/bls.h"
#include "zg/ed25519.h"
#include "zg/hash.h"
#include "zg/staking.h"

const zg_eth_addr_t zg_staking_address = {ZG_STAKING_ADDRESS_BYTES};

/* ---- outcomes ---- */

/* A revert with a printf-style reason (zg_sc_revert's behaviour; the
 * dispatcher, zg_sc_call, encodes it as Error(string) in res->ret). */
static zg_sc_status_t revert(zg_sc_result_t *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static zg_sc_status_t revert(zg_sc_result_t *res, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(res->reason, sizeof res->reason, fmt, ap);
  va_end(ap);
  res->status = ZG_SC_REVERT;
  res->ret.len = 0;
  return ZG_SC_REVERT;
}

/* A host error: the executor stops the block (not the caller's fault). */
static zg_sc_status_t host_fail(zg_sc_result_t *res, zg_err_t e) {
  snprintf(res->reason, sizeof res->reason, "Staking: host error %s", zg_errname(e));
  res->status = ZG_SC_FAIL;
  res->ret.len = 0;
  return ZG_SC_FAIL;
}

/* Evaluates a host call; a failure ends the handler with ZG_SC_FAIL. */
#define HTRY(expr)                                  \
  do {                                              \
    zg_err_t st__e = (expr);                        \
    if (st__e != ZG_OK) return host_fail(res, st__e); \
  } while (0)

/* ---- storage helpers ---- */

enum { KEY_MAX = 1 + 20 + 20 + 8 };

static zg_err_t get_fixed(zg_sc_host_t *h, const uint8_t *k, size_t kl, uint8_t *out, size_t n, bool *found) {
  zg_buf_t b;
  zg_buf_init(&b);
  zg_err_t e = h->sget(h, k, kl, &b, found);
  if (e == ZG_OK && *found) {
    if (b.len != n) e = ZG_ECORRUPT;
    else memcpy(out, b.ptr, n);
  }
  zg_buf_clear(&b);
  if (e != ZG_OK) *found = false;
  return e;
}

/* A u256 value; zero when absent. */
static zg_err_t get_u256(zg_sc_host_t *h, const uint8_t *k, size_t kl, zg_u256_t *out) {
  uint8_t w[32];
  bool found;
  *out = zg_u256_from_u64(0);
  ZG_TRY(get_fixed(h, k, kl, w, 32, &found));
  if (found) zg_u256_from_be32(out, w);
  return ZG_OK;
}

/* Stores a u256; a zero value deletes the key (absent reads as zero). */
static zg_err_t put_u256(zg_sc_host_t *h, const uint8_t *k, size_t kl, const zg_u256_t *v) {
  if (zg_u256_is_zero(v)) return h->sdel(h, k, kl);
  uint8_t w[32];
  zg_u256_to_be32(w, v);
  return h->sput(h, k, kl, w, 32);
}

static zg_err_t get_u64(zg_sc_host_t *h, const uint8_t *k, size_t kl, uint64_t *out) {
  uint8_t w[8];
  bool found;
  *out = 0;
  ZG_TRY(get_fixed(h, k, kl, w, 8, &found));
  if (found) *out = zg_load_be64(w);
  return ZG_OK;
}

static zg_err_t put_u64(zg_sc_host_t *h, const uint8_t *k, size_t kl, uint64_t v) {
  uint8_t w[8];
  zg_store_be64(w, v);
  return h->sput(h, k, kl, w, 8);
}

/* Adds (sub false) or subtracts delta at a u256 key; ZG_ECORRUPT when the
 * stored books would wrap (a broken invariant, never a caller's fault). */
static zg_err_t add_u256(zg_sc_host_t *h, const uint8_t *k, size_t kl, const zg_u256_t *delta, bool sub) {
  zg_u256_t v;
  ZG_TRY(get_u256(h, k, kl, &v));
  bool ok = sub ? zg_u256_sub(&v, &v, delta) : zg_u256_add(&v, &v, delta);
  if (!ok) return ZG_ECORRUPT;
  return put_u256(h, k, kl, &v);
}

static size_t key1(uint8_t *k, uint8_t tag, const void *a, size_t an) {
  k[0] = tag;
  memcpy(k + 1, a, an);
  return 1 + an;
}

static size_t key2(uint8_t *k, uint8_t tag, const void *a, size_t an, const void *b, size_t bn) {
  k[0] = tag;
  memcpy(k + 1, a, an);
  memcpy(k + 1 + an, b, bn);
  return 1 + an + bn;
}

static const uint8_t K_PARAMS[] = "p", K_EPOCH[] = "e", K_TOTAL[] = "t", K_SEQ[] = "n";

/* ---- parameters ---- */

typedef struct {
  uint64_t unbonding_epochs;
  zg_u256_t min_self_bond;
  uint32_t max_validators;
} params_t;

enum { PARAMS_LEN = 8 + 32 + 4 };

static zg_err_t params_get(zg_sc_host_t *h, params_t *p) {
  uint8_t v[PARAMS_LEN];
  bool found;
  ZG_TRY(get_fixed(h, K_PARAMS, 1, v, PARAMS_LEN, &found));
  if (!found) {
    /* Before genesis ran (a test host): the documented defaults. */
    p->unbonding_epochs = ZG_STAKING_DEFAULT_UNBONDING_EPOCHS;
    ZG_TRY(zg_u256_parse(&p->min_self_bond, ZG_STAKING_DEFAULT_MIN_SELF_BOND,
                         strlen(ZG_STAKING_DEFAULT_MIN_SELF_BOND)));
    p->max_validators = ZG_STAKING_DEFAULT_MAX_VALIDATORS;
    return ZG_OK;
  }
  p->unbonding_epochs = zg_load_be64(v);
  zg_u256_from_be32(&p->min_self_bond, v + 8);
  p->max_validators = zg_load_be32(v + 40);
  return ZG_OK;
}

static zg_err_t params_put(zg_sc_host_t *h, const params_t *p) {
  uint8_t v[PARAMS_LEN];
  zg_store_be64(v, p->unbonding_epochs);
  zg_u256_to_be32(v + 8, &p->min_self_bond);
  zg_store_be32(v + 40, p->max_validators);
  return h->sput(h, K_PARAMS, 1, v, PARAMS_LEN);
}

/* ---- validator records ---- */

typedef struct {
  uint8_t ckey[32];
  uint8_t bls[48];
  uint16_t commission;
  bool jailed;
  uint64_t comm_epoch; /* epoch of the last commission change; UINT64_MAX: never */
  zg_u256_t total;
  zg_u256_t slashed;
} vrec_t;

enum { VREC_LEN = 32 + 48 + 2 + 1 + 8 + 32 + 32 };

static zg_err_t vrec_get(zg_sc_host_t *h, const zg_eth_addr_t *op, vrec_t *r, bool *found) {
  uint8_t k[KEY_MAX], v[VREC_LEN];
  size_t kl = key1(k, 'V', op->bytes, 20);
  memset(r, 0, sizeof *r);
  ZG_TRY(get_fixed(h, k, kl, v, VREC_LEN, found));
  if (!*found) return ZG_OK;
  memcpy(r->ckey, v, 32);
  memcpy(r->bls, v + 32, 48);
  r->commission = (uint16_t)((v[80] << 8) | v[81]);
  if (v[82] > 1) return ZG_ECORRUPT;
  r->jailed = v[82] == 1;
  r->comm_epoch = zg_load_be64(v + 83);
  zg_u256_from_be32(&r->total, v + 91);
  zg_u256_from_be32(&r->slashed, v + 123);
  return ZG_OK;
}

static zg_err_t vrec_put(zg_sc_host_t *h, const zg_eth_addr_t *op, const vrec_t *r) {
  uint8_t k[KEY_MAX], v[VREC_LEN];
  size_t kl = key1(k, 'V', op->bytes, 20);
  memcpy(v, r->ckey, 32);
  memcpy(v + 32, r->bls, 48);
  v[80] = (uint8_t)(r->commission >> 8);
  v[81] = (uint8_t)r->commission;
  v[82] = r->jailed ? 1 : 0;
  zg_store_be64(v + 83, r->comm_epoch);
  zg_u256_to_be32(v + 91, &r->total);
  zg_u256_to_be32(v + 123, &r->slashed);
  return h->sput(h, k, kl, v, VREC_LEN);
}

static size_t deleg_key(uint8_t *k, const zg_eth_addr_t *val, const zg_eth_addr_t *del) {
  return key2(k, 'D', val->bytes, 20, del->bytes, 20);
}

static zg_err_t deleg_get(zg_sc_host_t *h, const zg_eth_addr_t *val, const zg_eth_addr_t *del, zg_u256_t *out) {
  uint8_t k[KEY_MAX];
  size_t kl = deleg_key(k, val, del);
  return get_u256(h, k, kl, out);
}

/* Adds or removes amount from the delegation, the validator's total (in r,
 * written back) and the bonded total. */
static zg_err_t bond_change(zg_sc_host_t *h, const zg_eth_addr_t *val, vrec_t *r, const zg_eth_addr_t *del,
                            const zg_u256_t *amount, bool sub) {
  uint8_t k[KEY_MAX];
  size_t kl = deleg_key(k, val, del);
  ZG_TRY(add_u256(h, k, kl, amount, sub));
  bool ok = sub ? zg_u256_sub(&r->total, &r->total, amount) : zg_u256_add(&r->total, &r->total, amount);
  if (!ok) return ZG_ECORRUPT;
  ZG_TRY(vrec_put(h, val, r));
  return add_u256(h, K_TOTAL, 1, amount, sub);
}

/* ---- ordered scans ---- */

/* The entries under a prefix, copied out of the scan: each is
 * u16 klen | key | u32 vlen | value, appended to buf. */
typedef struct {
  zg_buf_t buf;
  size_t n;
  const uint8_t *bound; /* stop at the first key above bound (NULL: none) */
  size_t bound_len;
  zg_err_t err;
} kvlist_t;

static bool kvlist_add(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
  kvlist_t *l = arg;
  if (l->bound) {
    size_t m = kl < l->bound_len ? kl : l->bound_len;
    int c = memcmp(k, l->bound, m);
    if (c > 0 || (c == 0 && kl > l->bound_len)) return false;
  }
  uint8_t hdr[6];
  if (kl > 0xffff || vl > 0xffffffffu) {
    l->err = ZG_ECORRUPT;
    return false;
  }
  hdr[0] = (uint8_t)(kl >> 8);
  hdr[1] = (uint8_t)kl;
  zg_store_be32(hdr + 2, (uint32_t)vl);
  zg_err_t e = zg_buf_append(&l->buf, hdr, 2);
  if (e == ZG_OK) e = zg_buf_append(&l->buf, k, kl);
  if (e == ZG_OK) e = zg_buf_append(&l->buf, hdr + 2, 4);
  if (e == ZG_OK) e = zg_buf_append(&l->buf, v, vl);
  if (e != ZG_OK) {
    l->err = e;
    return false;
  }
  l->n++;
  return true;
}

/* Scans the keys under prefix (up to bound, when not NULL) into l; free
 * l->buf with zg_buf_clear afterwards, also on failure. */
static zg_err_t kvlist_scan(kvlist_t *l, zg_sc_host_t *h, const uint8_t *prefix, size_t plen, const uint8_t *bound,
                            size_t bound_len) {
  zg_buf_init(&l->buf);
  l->bound = bound;
  l->bound_len = bound_len;
  l->n = 0;
  l->err = ZG_OK;
  zg_err_t e = h->sscan(h, prefix, plen, kvlist_add, l);
  return e != ZG_OK ? e : l->err;
}

/* Iterates: *pos starts at 0; false at the end. */
static bool kvlist_next(const kvlist_t *l, size_t *pos, zg_slice_t *k, zg_slice_t *v) {
  if (*pos >= l->buf.len) return false;
  const uint8_t *p = l->buf.ptr + *pos;
  size_t kl = ((size_t)p[0] << 8) | p[1];
  size_t vl = zg_load_be32(p + 2 + kl);
  *k = zg_slice(p + 2, kl);
  *v = zg_slice(p + 6 + kl, vl);
  *pos += 6 + kl + vl;
  return true;
}

/* ---- arithmetic ---- */

/* floor(a * bps / 10000) without overflow. */
static zg_u256_t bps_of(const zg_u256_t *a, uint64_t bps) {
  zg_u256_t q, r;
  uint64_t rem;
  zg_u256_divmod_u64(&q, &rem, a, 10000);
  (void)zg_u256_mul_u64(&r, &q, bps); /* q * bps <= a: cannot overflow for bps <= 10000 */
  zg_u256_t frac = zg_u256_from_u64(rem * bps / 10000);
  (void)zg_u256_add(&r, &r, &frac);
  return r;
}

static uint64_t power_of(const zg_u256_t *stake) {
  zg_u256_t q;
  zg_u256_divmod_u64(&q, NULL, stake, ZG_STAKING_POWER_UNIT);
  if (!zg_u256_fits_u64(&q) || q.w[0] > ZG_STAKING_POWER_MAX) return ZG_STAKING_POWER_MAX;
  return q.w[0];
}

/* ---- ABI helpers ---- */

/* Decodes args as the tuple type `type`; the items are in the arena. */
static zg_sc_status_t args_decode(zg_sc_result_t *res, zg_abi_arena_t *a, const char *type, const uint8_t *args,
                                  size_t len, const zg_abi_value_t **items) {
  const zg_abi_type_t *t;
  zg_abi_value_t v;
  zg_err_t e = zg_abi_type_parse_str(&t, a, type);
  if (e != ZG_OK) return host_fail(res, e);
  e = zg_abi_decode(&v, a, t, args, len);
  if (e == ZG_ENOMEM) return host_fail(res, e);
  if (e != ZG_OK) return revert(res, "Staking: malformed arguments for %s (%s)", type, zg_errname(e));
  *items = v.u.items;
  return ZG_SC_OK;
}

/* Sets the return data to the encoding of values (tuple type `type`). */
static zg_sc_status_t ret_encode(zg_sc_result_t *res, const char *type, const zg_abi_value_t *vals, size_t n) {
  zg_abi_arena_t a;
  const zg_abi_type_t *t;
  res->ret.len = 0;
  res->status = ZG_SC_OK;
  if (n == 0) return ZG_SC_OK; /* no return values: empty return data ("()" is not an ABI type) */
  zg_abi_arena_init(&a);
  zg_err_t e = zg_abi_type_parse_str(&t, &a, type);
  if (e == ZG_OK) e = zg_abi_encode_args(&res->ret, t, vals, n);
  zg_abi_arena_clear(&a);
  if (e != ZG_OK) return host_fail(res, e);
  res->status = ZG_SC_OK;
  return ZG_SC_OK;
}

static zg_abi_value_t abi_u256(const zg_u256_t *v) {
  uint8_t w[32];
  zg_u256_to_be32(w, v);
  return zg_abi_uint_be(w);
}

static void addr_topic(uint8_t t[32], const zg_eth_addr_t *a) {
  memset(t, 0, 12);
  memcpy(t + 12, a->bytes, 20);
}

/* Emits an event: topic 0 = keccak(sig), then the given indexed topics, and
 * the data tuple (type data_type) of vals. */
static zg_err_t emit_event(zg_sc_host_t *h, const char *sig, const uint8_t (*topics)[32], unsigned nt,
                           const char *data_type, const zg_abi_value_t *vals, size_t n) {
  zg_sc_log_t log;
  zg_abi_arena_t a;
  const zg_abi_type_t *t;
  zg_buf_t data;
  memset(&log, 0, sizeof log);
  log.address = h->self;
  zg_abi_event_topic(log.topics[0], sig, strlen(sig));
  for (unsigned i = 0; i < nt; i++) memcpy(log.topics[1 + i], topics[i], 32);
  log.n_topics = 1 + nt;
  zg_abi_arena_init(&a);
  zg_buf_init(&data);
  zg_err_t e = zg_abi_type_parse_str(&t, &a, data_type);
  if (e == ZG_OK) e = zg_abi_encode_args(&data, t, vals, n);
  if (e == ZG_OK) {
    log.data = data.ptr;
    log.data_len = data.len;
    e = h->emit(h, &log);
  }
  zg_buf_clear(&data);
  zg_abi_arena_clear(&a);
  return e;
}

static bool addr_eq(const zg_eth_addr_t *a, const zg_eth_addr_t *b) { return memcmp(a->bytes, b->bytes, 20) == 0; }

static void u256_dec(char out[ZG_U256_DEC_MAX], const zg_u256_t *v) { zg_u256_to_dec(out, v); }


static void addr_text(char out[43], const zg_eth_addr_t *a) { zg_eth_address_to_text(out, a); }

/* Is there a value at key? */
static zg_err_t key_present(zg_sc_host_t *h, const uint8_t *k, size_t kl, bool *present) {
  zg_buf_t b;
  zg_buf_init(&b);
  zg_err_t e = h->sget(h, k, kl, &b, present);
  zg_buf_clear(&b);
  if (e != ZG_OK) *present = false;
  return e;
}

static zg_err_t epoch_get(zg_sc_host_t *h, uint64_t *e) { return get_u64(h, K_EPOCH, 1, e); }

/* ---- registration (shared by registerValidator and genesis) ---- */

typedef struct {
  const zg_eth_addr_t *op;
  const uint8_t *ckey; /* 32 bytes */
  zg_slice_t bls, pop; /* as given: lengths are checked here */
  uint64_t commission;
  const zg_u256_t *stake;
} newval_t;

/* The cheap checks of a registration (no cryptography). *why is left empty
 * when it may proceed, else holds the revert reason. Fails only on host
 * errors. */
static zg_err_t newval_check_books(zg_sc_host_t *h, const newval_t *nv, const params_t *p, char *why, size_t wl) {
  uint8_t k[KEY_MAX];
  bool taken;
  char t[43], d1[ZG_U256_DEC_MAX], d2[ZG_U256_DEC_MAX];
  if (nv->commission > ZG_STAKING_MAX_COMMISSION_BPS) {
    snprintf(why, wl, "Staking: commission %llu bps above %u", (unsigned long long)nv->commission,
             ZG_STAKING_MAX_COMMISSION_BPS);
    return ZG_OK;
  }
  if (zg_u256_cmp(nv->stake, &p->min_self_bond) < 0) {
    u256_dec(d1, nv->stake);
    u256_dec(d2, &p->min_self_bond);
    snprintf(why, wl, "Staking: self-bond %s wei below the minimum %s wei", d1, d2);
    return ZG_OK;
  }
  ZG_TRY(key_present(h, k, key1(k, 'V', nv->op->bytes, 20), &taken));
  if (taken) {
    addr_text(t, nv->op);
    snprintf(why, wl, "Staking: operator %s already registered", t);
    return ZG_OK;
  }
  ZG_TRY(key_present(h, k, key1(k, 'K', nv->ckey, 32), &taken));
  if (taken) {
    snprintf(why, wl, "Staking: consensus key already registered");
    return ZG_OK;
  }
  if (nv->bls.len == ZG_BLS_PK_LEN) {
    ZG_TRY(key_present(h, k, key1(k, 'B', nv->bls.ptr, ZG_BLS_PK_LEN), &taken));
    if (taken) {
      snprintf(why, wl, "Staking: BLS key already registered");
      return ZG_OK;
    }
  }
  return ZG_OK;
}

/* The key checks: a usable Ed25519 key, a valid BLS key (KeyValidate) and
 * its proof of possession (one pairing check). Sets why on failure. */
static zg_err_t newval_check_keys(const newval_t *nv, char *why, size_t wl) {
  zg_ed25519_pk_t epk;
  zg_bls_pk_t pk;
  zg_bls_sig_t pop;
  zg_err_t e;
  bool ok = false;
  if (zg_ed25519_pk_parse(&epk, nv->ckey, 32) != ZG_OK) {
    snprintf(why, wl, "Staking: invalid consensus key (not a usable Ed25519 public key)");
    return ZG_OK;
  }
  if ((e = zg_bls_pk_parse(&pk, nv->bls.ptr, nv->bls.len)) != ZG_OK) {
    snprintf(why, wl, "Staking: invalid BLS public key (%s)", zg_errname(e));
    return ZG_OK;
  }
  if ((e = zg_bls_sig_parse(&pop, nv->pop.ptr, nv->pop.len)) != ZG_OK) {
    snprintf(why, wl, "Staking: invalid BLS proof of possession (%s)", zg_errname(e));
    return ZG_OK;
  }
  e = zg_bls_pop_verify(&ok, &pk, &pop);
  if (e != ZG_OK || !ok) snprintf(why, wl, "Staking: invalid BLS proof of possession (does not verify)");
  return ZG_OK;
}

/* Writes a new validator: record, key indexes, self-bond. The stake is
 * already in the contract's balance. */
static zg_err_t newval_create(zg_sc_host_t *h, const newval_t *nv) {
  uint8_t k[KEY_MAX];
  vrec_t r;
  memset(&r, 0, sizeof r);
  memcpy(r.ckey, nv->ckey, 32);
  memcpy(r.bls, nv->bls.ptr, ZG_BLS_PK_LEN);
  r.commission = (uint16_t)nv->commission;
  r.comm_epoch = UINT64_MAX;
  ZG_TRY(h->sput(h, k, key1(k, 'K', nv->ckey, 32), nv->op->bytes, 20));
  ZG_TRY(h->sput(h, k, key1(k, 'B', nv->bls.ptr, ZG_BLS_PK_LEN), nv->op->bytes, 20));
  return bond_change(h, nv->op, &r, nv->op, nv->stake, false);
}

/* The three checks in order; *why empty when all pass. */
static zg_err_t newval_check(zg_sc_host_t *h, const newval_t *nv, const params_t *p, char *why, size_t wl) {
  why[0] = 0;
  ZG_TRY(newval_check_books(h, nv, p, why, wl));
  if (why[0]) return ZG_OK;
  return newval_check_keys(nv, why, wl);
}

/* ---- methods ---- */

/* Runs an arena-using handler body and frees the arena afterwards. */
#define WITH_ARENA(name, body_fn)                                                                  \
  static zg_sc_status_t name(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) { \
    zg_abi_arena_t a;                                                                              \
    zg_abi_arena_init(&a);                                                                         \
    zg_sc_status_t st = body_fn(h, &a, args, len, res);                                            \
    zg_abi_arena_clear(&a);                                                                        \
    return st;                                                                                     \
  }

static zg_sc_status_t register_body(zg_sc_host_t *h, zg_abi_arena_t *a, const uint8_t *args, size_t len,
                                    zg_sc_result_t *res) {
  const zg_abi_value_t *it;
  uint8_t ckey[32];
  newval_t nv;
  params_t p;
  char why[256];
  zg_sc_status_t st = args_decode(res, a, "(bytes32,bytes,bytes,uint16)", args, len, &it);
  if (st != ZG_SC_OK) return st;
  memset(&nv, 0, sizeof nv);
  if (zg_abi_get_word(ckey, &it[0]) != ZG_OK || zg_abi_get_bytes(&nv.bls, &it[1]) != ZG_OK ||
      zg_abi_get_bytes(&nv.pop, &it[2]) != ZG_OK || zg_abi_get_u64(&nv.commission, &it[3]) != ZG_OK)
    return revert(res, "Staking: malformed arguments");
  nv.op = &h->caller;
  nv.ckey = ckey;
  nv.stake = &h->value;
  HTRY(params_get(h, &p));
  HTRY(newval_check(h, &nv, &p, why, sizeof why));
  if (why[0]) return revert(res, "%s", why);
  HTRY(newval_create(h, &nv));
  uint8_t topics[2][32];
  addr_topic(topics[0], nv.op);
  memcpy(topics[1], ckey, 32);
  zg_abi_value_t ev[2] = {abi_u256(nv.stake), zg_abi_u64(nv.commission)};
  HTRY(emit_event(h, "ValidatorRegistered(address,bytes32,uint256,uint16)", topics, 2, "(uint256,uint16)", ev, 2));
  return ret_encode(res, "()", NULL, 0);
}
WITH_ARENA(m_register, register_body)

/* Reads the validator at op into r or reverts "unknown validator". */
static zg_sc_status_t need_validator(zg_sc_host_t *h, zg_sc_result_t *res, const zg_eth_addr_t *op, vrec_t *r) {
  bool found;
  char t[43];
  HTRY(vrec_get(h, op, r, &found));
  if (found) return ZG_SC_OK;
  addr_text(t, op);
  return revert(res, "Staking: unknown validator %s", t);
}

static zg_sc_status_t delegate_body(zg_sc_host_t *h, zg_abi_arena_t *a, const uint8_t *args, size_t len,
                                    zg_sc_result_t *res) {
  const zg_abi_value_t *it;
  zg_eth_addr_t val;
  vrec_t r;
  char t[43];
  zg_sc_status_t st = args_decode(res, a, "(address)", args, len, &it);
  if (st != ZG_SC_OK) return st;
  if (zg_abi_get_address(val.bytes, &it[0]) != ZG_OK) return revert(res, "Staking: malformed arguments");
  if (zg_u256_is_zero(&h->value)) return revert(res, "Staking: delegate needs a value");
  if ((st = need_validator(h, res, &val, &r)) != ZG_SC_OK) return st;
  addr_text(t, &val);
  if (r.jailed) return revert(res, "Staking: validator %s is jailed", t);
  if (!addr_eq(&val, &h->caller)) {
    zg_u256_t self;
    HTRY(deleg_get(h, &val, &val, &self));
    if (zg_u256_is_zero(&self)) return revert(res, "Staking: validator %s has no self-bond", t);
  }
  HTRY(bond_change(h, &val, &r, &h->caller, &h->value, false));
  uint8_t topics[2][32];
  addr_topic(topics[0], &h->caller);
  addr_topic(topics[1], &val);
  zg_abi_value_t ev[1] = {abi_u256(&h->value)};
  HTRY(emit_event(h, "Delegated(address,address,uint256)", topics, 2, "(uint256)", ev, 1));
  return ret_encode(res, "()", NULL, 0);
}
WITH_ARENA(m_delegate, delegate_body)

/* Queues an unbonding entry of amount from (val, del) maturing at mature. */
static zg_err_t unbond_queue(zg_sc_host_t *h, const zg_eth_addr_t *val, const zg_eth_addr_t *del,
                             const zg_u256_t *amount, uint64_t mature) {
  uint8_t k[KEY_MAX], v[40], seqb[8];
  uint64_t seq;
  ZG_TRY(get_u64(h, K_SEQ, 1, &seq));
  ZG_TRY(put_u64(h, K_SEQ, 1, seq + 1));
  zg_store_be64(seqb, seq);
  /* 'U' val del seq -> mature | amount */
  k[0] = 'U';
  memcpy(k + 1, val->bytes, 20);
  memcpy(k + 21, del->bytes, 20);
  memcpy(k + 41, seqb, 8);
  zg_store_be64(v, mature);
  zg_u256_to_be32(v + 8, amount);
  ZG_TRY(h->sput(h, k, 49, v, 40));
  /* 'Q' mature seq -> val del */
  k[0] = 'Q';
  zg_store_be64(k + 1, mature);
  memcpy(k + 9, seqb, 8);
  memcpy(v, val->bytes, 20);
  memcpy(v + 20, del->bytes, 20);
  ZG_TRY(h->sput(h, k, 17, v, 40));
  return add_u256(h, k, key1(k, 'A', del->bytes, 20), amount, false);
}

static zg_sc_status_t undelegate_body(zg_sc_host_t *h, zg_abi_arena_t *a, const uint8_t *args, size_t len,
                                      zg_sc_result_t *res) {
  const zg_abi_value_t *it;
  zg_eth_addr_t val;
  uint8_t w[32];
  zg_u256_t amount, have, rest;
  vrec_t r;
  params_t p;
  uint64_t epoch;
  char d1[ZG_U256_DEC_MAX], d2[ZG_U256_DEC_MAX];
  zg_sc_status_t st = args_decode(res, a, "(address,uint256)", args, len, &it);
  if (st != ZG_SC_OK) return st;
  if (zg_abi_get_address(val.bytes, &it[0]) != ZG_OK || zg_abi_get_word(w, &it[1]) != ZG_OK)
    return revert(res, "Staking: malformed arguments");
  zg_u256_from_be32(&amount, w);
  if (zg_u256_is_zero(&amount)) return revert(res, "Staking: undelegate of zero");
  if ((st = need_validator(h, res, &val, &r)) != ZG_SC_OK) return st;
  HTRY(deleg_get(h, &val, &h->caller, &have));
  if (zg_u256_cmp(&amount, &have) > 0) {
    u256_dec(d1, &amount);
    u256_dec(d2, &have);
    return revert(res, "Staking: undelegate more than delegated (%s wei asked, %s wei delegated)", d1, d2);
  }
  HTRY(params_get(h, &p));
  (void)zg_u256_sub(&rest, &have, &amount);
  if (addr_eq(&val, &h->caller) && !r.jailed && !zg_u256_is_zero(&rest) &&
      zg_u256_cmp(&rest, &p.min_self_bond) < 0) {
    u256_dec(d2, &p.min_self_bond);
    return revert(res, "Staking: self-bond would fall below the minimum %s wei (undelegate all of it to leave)", d2);
  }
  HTRY(bond_change(h, &val, &r, &h->caller, &amount, true));
  HTRY(epoch_get(h, &epoch));
  uint64_t mature = epoch + p.unbonding_epochs;
  if (mature < epoch) mature = UINT64_MAX;
  uint8_t k[KEY_MAX];
  if (p.unbonding_epochs == 0) HTRY(add_u256(h, k, key1(k, 'W', h->caller.bytes, 20), &amount, false));
  else HTRY(unbond_queue(h, &val, &h->caller, &amount, mature));
  uint8_t topics[2][32];
  addr_topic(topics[0], &h->caller);
  addr_topic(topics[1], &val);
  zg_abi_value_t ev[2] = {abi_u256(&amount), zg_abi_u64(mature)};
  HTRY(emit_event(h, "Undelegated(address,address,uint256,uint64)", topics, 2, "(uint256,uint64)", ev, 2));
  return ret_encode(res, "()", NULL, 0);
}
WITH_ARENA(m_undelegate, undelegate_body)

static zg_sc_status_t m_withdraw(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint8_t kw[KEY_MAX], ka[KEY_MAX];
  size_t kwl = key1(kw, 'W', h->caller.bytes, 20), kal = key1(ka, 'A', h->caller.bytes, 20);
  zg_u256_t paid, pending;
  char d[ZG_U256_DEC_MAX];
  if (len != 0) return revert(res, "Staking: withdraw takes no arguments");
  HTRY(get_u256(h, kw, kwl, &paid));
  if (zg_u256_is_zero(&paid)) {
    HTRY(get_u256(h, ka, kal, &pending));
    if (zg_u256_is_zero(&pending)) return revert(res, "Staking: nothing to withdraw");
    u256_dec(d, &pending);
    return revert(res, "Staking: nothing matured yet (%s wei still unbonding)", d);
  }
  HTRY(h->sdel(h, kw, kwl));
  HTRY(h->transfer(h, &h->caller, &paid));
  uint8_t topics[1][32];
  addr_topic(topics[0], &h->caller);
  zg_abi_value_t ev[1] = {abi_u256(&paid)};
  HTRY(emit_event(h, "Withdrawn(address,uint256)", topics, 1, "(uint256)", ev, 1));
  return ret_encode(res, "(uint256)", ev, 1);
}

static zg_sc_status_t set_commission_body(zg_sc_host_t *h, zg_abi_arena_t *a, const uint8_t *args, size_t len,
                                          zg_sc_result_t *res) {
  const zg_abi_value_t *it;
  uint64_t bps, epoch;
  vrec_t r;
  zg_sc_status_t st = args_decode(res, a, "(uint16)", args, len, &it);
  if (st != ZG_SC_OK) return st;
  if (zg_abi_get_u64(&bps, &it[0]) != ZG_OK) return revert(res, "Staking: malformed arguments");
  bool found;
  HTRY(vrec_get(h, &h->caller, &r, &found));
  if (!found) return revert(res, "Staking: caller is not a validator operator");
  if (bps > ZG_STAKING_MAX_COMMISSION_BPS)
    return revert(res, "Staking: commission %llu bps above %u", (unsigned long long)bps,
                  ZG_STAKING_MAX_COMMISSION_BPS);
  uint64_t step = bps > r.commission ? bps - r.commission : r.commission - bps;
  if (step > ZG_STAKING_MAX_COMMISSION_STEP_BPS)
    return revert(res, "Staking: commission change of %llu bps above the %u bps step", (unsigned long long)step,
                  ZG_STAKING_MAX_COMMISSION_STEP_BPS);
  HTRY(epoch_get(h, &epoch));
  if (r.comm_epoch == epoch) return revert(res, "Staking: commission already changed in epoch %llu",
                                           (unsigned long long)epoch);
  uint16_t old = r.commission;
  r.commission = (uint16_t)bps;
  r.comm_epoch = epoch;
  HTRY(vrec_put(h, &h->caller, &r));
  uint8_t topics[1][32];
  addr_topic(topics[0], &h->caller);
  zg_abi_value_t ev[2] = {zg_abi_u64(old), zg_abi_u64(bps)};
  HTRY(emit_event(h, "CommissionChanged(address,uint16,uint16)", topics, 1, "(uint16,uint16)", ev, 2));
  return ret_encode(res, "()", NULL, 0);
}
WITH_ARENA(m_set_commission, set_commission_body)

/* ---- validator-set snapshots ---- */

/* 'S' epoch -> u32 n | n x (operator 20 | consensusKey 32 | blsPubkey 48 | stake 32), sorted. */
enum { MEMBER_LEN = 20 + 32 + 48 + 32 };

static int member_cmp(const void *pa, const void *pb) {
  const zg_staking_member_t *a = pa, *b = pb;
  int c = zg_u256_cmp(&b->stake, &a->stake); /* higher stake first */
  if (c != 0) return c;
  return memcmp(a->operator_addr.bytes, b->operator_addr.bytes, 20);
}

/* The candidates of a new set: validators not jailed whose self-bond is at
 * least the minimum, unsorted, in *out (malloc'd; *n of them). */
static zg_err_t candidates(zg_sc_host_t *h, const params_t *p, zg_staking_member_t **out, size_t *n) {
  kvlist_t l;
  const uint8_t pre[1] = {'V'};
  zg_slice_t k, v;
  size_t pos = 0;
  *out = NULL;
  *n = 0;
  zg_err_t e = kvlist_scan(&l, h, pre, 1, NULL, 0);
  zg_staking_member_t *m = NULL;
  if (e == ZG_OK && l.n > 0 && !(m = calloc(l.n, sizeof *m))) e = ZG_ENOMEM;
  while (e == ZG_OK && kvlist_next(&l, &pos, &k, &v)) {
    zg_eth_addr_t op;
    vrec_t r;
    bool found;
    zg_u256_t self;
    if (k.len != 21) {
      e = ZG_ECORRUPT;
      break;
    }
    memcpy(op.bytes, k.ptr + 1, 20);
    if ((e = vrec_get(h, &op, &r, &found)) != ZG_OK) break;
    if (r.jailed) continue;
    if ((e = deleg_get(h, &op, &op, &self)) != ZG_OK) break;
    if (zg_u256_is_zero(&self) || zg_u256_cmp(&self, &p->min_self_bond) < 0) continue;
    /* The engine refuses members without voting power (stake under 1 gwei,
     * possible only with a tiny genesis minSelfBond). */
    if (power_of(&r.total) == 0) continue;
    zg_staking_member_t *x = &m[(*n)++];
    x->operator_addr = op;
    memcpy(x->consensus_key, r.ckey, 32);
    memcpy(x->bls_pubkey, r.bls, 48);
    x->stake = r.total;
  }
  zg_buf_clear(&l.buf);
  if (e != ZG_OK) {
    free(m);
    *n = 0;
    return e;
  }
  *out = m;
  return ZG_OK;
}

/* Snapshots the set of epoch from the current books. */
static zg_err_t snapshot_take(zg_sc_host_t *h, uint64_t epoch, uint32_t max_validators) {
  params_t p;
  zg_staking_member_t *m;
  size_t n;
  zg_buf_t b;
  uint8_t k[9], hdr[4];
  ZG_TRY(params_get(h, &p));
  ZG_TRY(candidates(h, &p, &m, &n));
  if (n > 1) qsort(m, n, sizeof *m, member_cmp);
  if (n > max_validators) n = max_validators;
  zg_buf_init(&b);
  zg_store_be32(hdr, (uint32_t)n);
  zg_err_t e = zg_buf_reserve(&b, 4 + n * MEMBER_LEN);
  if (e == ZG_OK) e = zg_buf_append(&b, hdr, 4);
  for (size_t i = 0; e == ZG_OK && i < n; i++) {
    uint8_t rec[MEMBER_LEN];
    memcpy(rec, m[i].operator_addr.bytes, 20);
    memcpy(rec + 20, m[i].consensus_key, 32);
    memcpy(rec + 52, m[i].bls_pubkey, 48);
    zg_u256_to_be32(rec + 100, &m[i].stake);
    e = zg_buf_append(&b, rec, MEMBER_LEN);
  }
  k[0] = 'S';
  zg_store_be64(k + 1, epoch);
  if (e == ZG_OK) e = h->sput(h, k, 9, b.ptr, b.len);
  zg_buf_clear(&b);
  free(m);
  return e;
}

void zg_staking_set_init(zg_staking_set_t *s) { memset(s, 0, sizeof *s); }

void zg_staking_set_clear(zg_staking_set_t *s) {
  if (!s) return;
  free(s->members);
  memset(s, 0, sizeof *s);
}

/* Decodes a snapshot value into out (initialised by the caller). */
static zg_err_t snapshot_decode(zg_staking_set_t *out, const uint8_t *v, size_t vl) {
  if (vl < 4) return ZG_ECORRUPT;
  size_t n = zg_load_be32(v);
  if (n > ZG_STAKING_MAX_VALIDATORS_LIMIT || vl != 4 + n * MEMBER_LEN) return ZG_ECORRUPT;
  if (n > 0 && !(out->members = calloc(n, sizeof *out->members))) return ZG_ENOMEM;
  out->n = n;
  for (size_t i = 0; i < n; i++) {
    const uint8_t *rec = v + 4 + i * MEMBER_LEN;
    zg_staking_member_t *x = &out->members[i];
    memcpy(x->operator_addr.bytes, rec, 20);
    memcpy(x->consensus_key, rec + 20, 32);
    memcpy(x->bls_pubkey, rec + 52, 48);
    zg_u256_from_be32(&x->stake, rec + 100);
    x->power = power_of(&x->stake);
    if (!zg_u256_add(&out->total_stake, &out->total_stake, &x->stake)) return ZG_ECORRUPT;
    out->total_power += x->power; /* at most 256 * 2^48 */
  }
  return ZG_OK;
}

zg_err_t zg_staking_get_set(zg_sc_host_t *host, uint64_t epoch, zg_staking_set_t *out) {
  if (!out) return ZG_EINVAL;
  zg_staking_set_init(out);
  if (!host || !addr_eq(&host->self, &zg_staking_address)) return ZG_EINVAL;
  uint8_t k[9];
  zg_buf_t b;
  bool found;
  k[0] = 'S';
  zg_store_be64(k + 1, epoch);
  zg_buf_init(&b);
  zg_err_t e = host->sget(host, k, 9, &b, &found);
  if (e == ZG_OK && !found) e = ZG_EEPOCH;
  if (e == ZG_OK) {
    out->epoch = epoch;
    e = snapshot_decode(out, b.ptr, b.len);
  }
  zg_buf_clear(&b);
  if (e != ZG_OK) zg_staking_set_clear(out);
  return e;
}

zg_err_t zg_staking_current_epoch(zg_sc_host_t *host, uint64_t *epoch) {
  if (!epoch) return ZG_EINVAL;
  *epoch = 0;
  if (!host) return ZG_EINVAL;
  return epoch_get(host, epoch);
}

/* ---- epoch transitions ---- */

/* Moves every unbonding entry maturing at or before epoch to 'W'. */
static zg_err_t mature_until(zg_sc_host_t *h, uint64_t epoch) {
  kvlist_t l;
  uint8_t bound[17], pre[1] = {'Q'};
  zg_slice_t k, v;
  size_t pos = 0;
  bound[0] = 'Q';
  zg_store_be64(bound + 1, epoch);
  memset(bound + 9, 0xff, 8);
  zg_err_t e = kvlist_scan(&l, h, pre, 1, bound, sizeof bound);
  while (e == ZG_OK && kvlist_next(&l, &pos, &k, &v)) {
    uint8_t uk[49], uv[40], wk[KEY_MAX], ak[KEY_MAX];
    bool found;
    zg_u256_t amount;
    if (k.len != 17 || v.len != 40) {
      e = ZG_ECORRUPT;
      break;
    }
    uk[0] = 'U';
    memcpy(uk + 1, v.ptr, 40);       /* val | del */
    memcpy(uk + 41, k.ptr + 9, 8);   /* seq */
    if ((e = get_fixed(h, uk, 49, uv, 40, &found)) != ZG_OK) break;
    if (!found) {
      e = ZG_ECORRUPT;
      break;
    }
    zg_u256_from_be32(&amount, uv + 8);
    const uint8_t *del = v.ptr + 20;
    if ((e = h->sdel(h, uk, 49)) != ZG_OK || (e = h->sdel(h, k.ptr, k.len)) != ZG_OK) break;
    if ((e = add_u256(h, ak, key1(ak, 'A', del, 20), &amount, true)) != ZG_OK) break;
    e = add_u256(h, wk, key1(wk, 'W', del, 20), &amount, false);
  }
  zg_buf_clear(&l.buf);
  return e;
}

zg_err_t zg_staking_end_epoch(zg_sc_host_t *host, uint64_t next_epoch, uint32_t max_validators) {
  uint64_t cur;
  if (!host || max_validators == 0 || max_validators > ZG_STAKING_MAX_VALIDATORS_LIMIT ||
      !addr_eq(&host->self, &zg_staking_address))
    return ZG_EINVAL;
  ZG_TRY(epoch_get(host, &cur));
  if (cur == UINT64_MAX || next_epoch != cur + 1) return ZG_EEPOCH;
  ZG_TRY(mature_until(host, next_epoch));
  ZG_TRY(snapshot_take(host, next_epoch, max_validators));
  return put_u64(host, K_EPOCH, 1, next_epoch);
}

/* ---- views ---- */

static zg_sc_status_t get_validator_body(zg_sc_host_t *h, zg_abi_arena_t *a, const uint8_t *args, size_t len,
                                         zg_sc_result_t *res) {
  const zg_abi_value_t *it;
  zg_eth_addr_t op;
  vrec_t r;
  zg_u256_t self;
  zg_sc_status_t st = args_decode(res, a, "(address)", args, len, &it);
  if (st != ZG_SC_OK) return st;
  if (zg_abi_get_address(op.bytes, &it[0]) != ZG_OK) return revert(res, "Staking: malformed arguments");
  if ((st = need_validator(h, res, &op, &r)) != ZG_SC_OK) return st;
  HTRY(deleg_get(h, &op, &op, &self));
  zg_abi_value_t out[7] = {zg_abi_fbytes(r.ckey, 32), zg_abi_bytes(r.bls, 48), zg_abi_u64(r.commission),
                           abi_u256(&self),          abi_u256(&r.total),    zg_abi_bool(r.jailed),
                           abi_u256(&r.slashed)};
  return ret_encode(res, "(bytes32,bytes,uint16,uint256,uint256,bool,uint256)", out, 7);
}
WITH_ARENA(m_get_validator, get_validator_body)

static zg_sc_status_t get_delegation_body(zg_sc_host_t *h, zg_abi_arena_t *a, const uint8_t *args, size_t len,
                                          zg_sc_result_t *res) {
  const zg_abi_value_t *it;
  zg_eth_addr_t del, val;
  zg_u256_t amount;
  zg_sc_status_t st = args_decode(res, a, "(address,address)", args, len, &it);
  if (st != ZG_SC_OK) return st;
  if (zg_abi_get_address(del.bytes, &it[0]) != ZG_OK || zg_abi_get_address(val.bytes, &it[1]) != ZG_OK)
    return revert(res, "Staking: malformed arguments");
  HTRY(deleg_get(h, &val, &del, &amount));
  zg_abi_value_t out[1] = {abi_u256(&amount)};
  return ret_encode(res, "(uint256)", out, 1);
}
WITH_ARENA(m_get_delegation, get_delegation_body)

static zg_sc_status_t validator_set_body(zg_sc_host_t *h, zg_abi_arena_t *a, const uint8_t *args, size_t len,
                                         zg_sc_result_t *res) {
  const zg_abi_value_t *it;
  uint64_t epoch;
  zg_staking_set_t set;
  zg_sc_status_t st = args_decode(res, a, "(uint64)", args, len, &it);
  if (st != ZG_SC_OK) return st;
  if (zg_abi_get_u64(&epoch, &it[0]) != ZG_OK) return revert(res, "Staking: malformed arguments");
  zg_err_t e = zg_staking_get_set(h, epoch, &set);
  if (e == ZG_EEPOCH) return revert(res, "Staking: no validator set for epoch %llu", (unsigned long long)epoch);
  if (e != ZG_OK) return host_fail(res, e);
  size_t n = set.n ? set.n : 1;
  zg_abi_value_t *vals = zg_abi_arena_alloc(a, 3 * n * sizeof *vals);
  if (!vals) {
    zg_staking_set_clear(&set);
    return host_fail(res, ZG_ENOMEM);
  }
  zg_abi_value_t *ops = vals, *keys = vals + n, *pows = vals + 2 * n;
  for (size_t i = 0; i < set.n; i++) {
    ops[i] = zg_abi_address(set.members[i].operator_addr.bytes);
    keys[i] = zg_abi_fbytes(set.members[i].consensus_key, 32);
    pows[i] = abi_u256(&set.members[i].stake);
  }
  zg_abi_value_t out[3] = {zg_abi_array(ops, set.n), zg_abi_array(keys, set.n), zg_abi_array(pows, set.n)};
  st = ret_encode(res, "(address[],bytes32[],uint256[])", out, 3);
  zg_staking_set_clear(&set);
  return st;
}
WITH_ARENA(m_validator_set, validator_set_body)

static zg_sc_status_t m_current_epoch(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint64_t e;
  if (len != 0) return revert(res, "Staking: currentEpoch takes no arguments");
  HTRY(epoch_get(h, &e));
  zg_abi_value_t out[1] = {zg_abi_u64(e)};
  return ret_encode(res, "(uint64)", out, 1);
}

static zg_sc_status_t m_total_staked(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_u256_t t;
  if (len != 0) return revert(res, "Staking: totalStaked takes no arguments");
  HTRY(get_u256(h, K_TOTAL, 1, &t));
  zg_abi_value_t out[1] = {abi_u256(&t)};
  return ret_encode(res, "(uint256)", out, 1);
}

static zg_sc_status_t pending_body(zg_sc_host_t *h, zg_abi_arena_t *a, const uint8_t *args, size_t len,
                                   zg_sc_result_t *res) {
  const zg_abi_value_t *it;
  zg_eth_addr_t del;
  zg_u256_t pend, wd;
  uint8_t k[KEY_MAX];
  zg_sc_status_t st = args_decode(res, a, "(address)", args, len, &it);
  if (st != ZG_SC_OK) return st;
  if (zg_abi_get_address(del.bytes, &it[0]) != ZG_OK) return revert(res, "Staking: malformed arguments");
  HTRY(get_u256(h, k, key1(k, 'A', del.bytes, 20), &pend));
  HTRY(get_u256(h, k, key1(k, 'W', del.bytes, 20), &wd));
  zg_abi_value_t out[2] = {abi_u256(&pend), abi_u256(&wd)};
  return ret_encode(res, "(uint256,uint256)", out, 2);
}
WITH_ARENA(m_pending, pending_body)

static zg_sc_status_t m_params(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  params_t p;
  if (len != 0) return revert(res, "Staking: params takes no arguments");
  HTRY(params_get(h, &p));
  zg_abi_value_t out[4] = {zg_abi_u64(p.unbonding_epochs), abi_u256(&p.min_self_bond),
                           zg_abi_u64(ZG_STAKING_SLASH_BPS), zg_abi_u64(ZG_STAKING_REPORTER_BPS)};
  return ret_encode(res, "(uint64,uint256,uint16,uint16)", out, 4);
}

/* ---- equivocation evidence ---- */

/* What verified evidence proves. */
typedef struct {
  uint64_t epoch;
  zg_eth_addr_t offender;
  uint8_t id[32]; /* one per (signer key, lane, epoch, round) */
} proof_t;

/* The reason two decoded votes cannot be evidence, or NULL. */
static const char *votes_mismatch(const zg_bft_vote_t *a, const zg_bft_vote_t *b, uint64_t chain_id) {
  if (a->chain_id != (uint32_t)chain_id || b->chain_id != (uint32_t)chain_id) return "vote of another chain";
  if (a->lane != b->lane || a->epoch != b->epoch || a->round != b->round)
    return "votes of different rounds are no equivocation";
  if (a->signer != b->signer) return "votes of different signers";
  if (memcmp(a->block_id, b->block_id, 32) == 0) return "both votes are for the same block";
  return NULL;
}

/* Runs the engine's check over the snapshot set; *guilty is its verdict. */
static zg_err_t engine_check(bool *guilty, const zg_staking_set_t *set, zg_slice_t a, zg_slice_t b) {
  zg_bft_validator_t *v = calloc(set->n ? set->n : 1, sizeof *v);
  zg_bft_valset_t vs = {v, (uint32_t)set->n};
  uint32_t signer;
  *guilty = false;
  if (!v) return ZG_ENOMEM;
  for (size_t i = 0; i < set->n; i++) {
    memcpy(v[i].pk.bytes, set->members[i].consensus_key, 32);
    v[i].power = set->members[i].power;
  }
  zg_err_t e = zg_bft_check_equivocation(guilty, &signer, &vs, a.ptr, a.len, b.ptr, b.len);
  free(v);
  return e;
}

static void evidence_id(uint8_t id[32], const uint8_t ckey[32], const zg_bft_vote_t *v) {
  zg_keccak256_ctx_t kc;
  uint8_t tail[17];
  tail[0] = v->lane;
  zg_store_be64(tail + 1, v->epoch);
  zg_store_be64(tail + 9, v->round);
  zg_keccak256_init(&kc);
  zg_keccak256_update(&kc, "zg/evidence/v1", 14);
  zg_keccak256_update(&kc, ckey, 32);
  zg_keccak256_update(&kc, tail, sizeof tail);
  zg_keccak256_final(&kc, id);
}

/* The set the engine voted with in epoch: its snapshot, or, for an epoch
 * that has begun (at most the block's or Staking's epoch) but has no
 * non-empty snapshot, the latest non-empty one before it, the set the
 * validator role carries over (src/node/validator_exec.c). ZG_EEPOCH when
 * there is none. */
static zg_err_t voting_set(zg_sc_host_t *h, uint64_t epoch, zg_staking_set_t *set) {
  uint64_t cur;
  ZG_TRY(epoch_get(h, &cur));
  if (epoch > cur && epoch > h->epoch) return zg_staking_get_set(h, epoch, set);
  for (uint64_t e = epoch, steps = 0; steps < 4096; e--, steps++) {
    zg_err_t err = zg_staking_get_set(h, e, set);
    if (err == ZG_OK && set->n > 0) return ZG_OK;
    zg_staking_set_clear(set);
    if (err != ZG_OK && err != ZG_EEPOCH) return err;
    if (e == 0) break;
  }
  return ZG_EEPOCH;
}

/* Checks that a and b (zg/bft.h vote encodings) are two validly signed,
 * conflicting votes of one member of their epoch's set: the cheap checks
 * here (one reason each), the verdict from zg_bft_check_equivocation. *why
 * is empty on success, else the revert reason. Fails only on host errors. */
static zg_err_t evidence_verify(zg_sc_host_t *h, zg_slice_t a, zg_slice_t b, proof_t *pf, char *why, size_t wl) {
  zg_bft_vote_t va, vb;
  zg_staking_set_t set;
  zg_err_t e;
  const char *m;
  bool guilty = false;
  why[0] = 0;
  if ((e = zg_bft_vote_decode(&va, a.ptr, a.len)) != ZG_OK) {
    snprintf(why, wl, "Staking: malformed vote A (%s)", zg_errname(e));
    return ZG_OK;
  }
  if ((e = zg_bft_vote_decode(&vb, b.ptr, b.len)) != ZG_OK) {
    snprintf(why, wl, "Staking: malformed vote B (%s)", zg_errname(e));
    return ZG_OK;
  }
  if (a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0) {
    snprintf(why, wl, "Staking: the same vote twice is no equivocation");
    return ZG_OK;
  }
  if ((m = votes_mismatch(&va, &vb, h->chain_id)) != NULL) {
    snprintf(why, wl, "Staking: %s", m);
    return ZG_OK;
  }
  e = voting_set(h, va.epoch, &set);
  if (e == ZG_EEPOCH) {
    snprintf(why, wl, "Staking: no validator set for epoch %llu", (unsigned long long)va.epoch);
    return ZG_OK;
  }
  ZG_TRY(e);
  if (va.signer >= set.n) {
    snprintf(why, wl, "Staking: unknown validator (index %u, epoch %llu has %zu)", va.signer,
             (unsigned long long)va.epoch, set.n);
    goto out;
  }
  if ((e = engine_check(&guilty, &set, a, b)) == ZG_ENOMEM) goto out;
  if (e != ZG_OK || !guilty) {
    snprintf(why, wl, "Staking: invalid signature on a vote");
    e = ZG_OK;
    goto out;
  }
  pf->epoch = va.epoch;
  pf->offender = set.members[va.signer].operator_addr;
  evidence_id(pf->id, set.members[va.signer].consensus_key, &va);
out:
  zg_staking_set_clear(&set);
  return e;
}

/* Cuts bps of every delegation and unbonding entry of val; *cut gets the
 * sum. Updates the books (totals, A[delegator]) and r (written back). */
static zg_err_t slash_books(zg_sc_host_t *h, const zg_eth_addr_t *val, vrec_t *r, zg_u256_t *cut) {
  kvlist_t l;
  uint8_t pre[21];
  zg_slice_t k, v;
  size_t pos = 0;
  zg_u256_t bonded = zg_u256_from_u64(0);
  *cut = bonded;
  key1(pre, 'D', val->bytes, 20);
  zg_err_t e = kvlist_scan(&l, h, pre, 21, NULL, 0);
  while (e == ZG_OK && kvlist_next(&l, &pos, &k, &v)) {
    zg_u256_t amount, c;
    if (v.len != 32) {
      e = ZG_ECORRUPT;
      break;
    }
    zg_u256_from_be32(&amount, v.ptr);
    c = bps_of(&amount, ZG_STAKING_SLASH_BPS);
    (void)zg_u256_sub(&amount, &amount, &c);
    (void)zg_u256_add(&bonded, &bonded, &c);
    e = put_u256(h, k.ptr, k.len, &amount);
  }
  zg_buf_clear(&l.buf);
  ZG_TRY(e);
  if (!zg_u256_sub(&r->total, &r->total, &bonded)) return ZG_ECORRUPT;
  ZG_TRY(add_u256(h, K_TOTAL, 1, &bonded, true));
  *cut = bonded;
  pre[0] = 'U';
  pos = 0;
  e = kvlist_scan(&l, h, pre, 21, NULL, 0);
  while (e == ZG_OK && kvlist_next(&l, &pos, &k, &v)) {
    zg_u256_t amount, c;
    uint8_t nv[40], ak[KEY_MAX];
    if (k.len != 49 || v.len != 40) {
      e = ZG_ECORRUPT;
      break;
    }
    zg_u256_from_be32(&amount, v.ptr + 8);
    c = bps_of(&amount, ZG_STAKING_SLASH_BPS);
    (void)zg_u256_sub(&amount, &amount, &c);
    (void)zg_u256_add(cut, cut, &c);
    memcpy(nv, v.ptr, 8);
    zg_u256_to_be32(nv + 8, &amount);
    if ((e = h->sput(h, k.ptr, k.len, nv, 40)) != ZG_OK) break;
    e = add_u256(h, ak, key1(ak, 'A', k.ptr + 21, 20), &c, true);
  }
  zg_buf_clear(&l.buf);
  ZG_TRY(e);
  if (!zg_u256_add(&r->slashed, &r->slashed, cut)) return ZG_ECORRUPT;
  r->jailed = true;
  return vrec_put(h, val, r);
}

static zg_sc_status_t equivocation_body(zg_sc_host_t *h, zg_abi_arena_t *a, const uint8_t *args, size_t len,
                                        zg_sc_result_t *res) {
  const zg_abi_value_t *it;
  zg_slice_t va, vb;
  proof_t pf;
  char why[256], t[43];
  vrec_t r;
  params_t p;
  uint64_t cur;
  zg_sc_status_t st = args_decode(res, a, "(bytes,bytes)", args, len, &it);
  if (st != ZG_SC_OK) return st;
  if (zg_abi_get_bytes(&va, &it[0]) != ZG_OK || zg_abi_get_bytes(&vb, &it[1]) != ZG_OK)
    return revert(res, "Staking: malformed arguments");
  HTRY(evidence_verify(h, va, vb, &pf, why, sizeof why));
  if (why[0]) return revert(res, "%s", why);
  uint8_t xk[33];
  bool used;
  HTRY(key_present(h, xk, key1(xk, 'X', pf.id, 32), &used));
  if (used) return revert(res, "Staking: evidence already submitted");
  HTRY(params_get(h, &p));
  HTRY(epoch_get(h, &cur));
  if (pf.epoch < cur && cur - pf.epoch > p.unbonding_epochs)
    return revert(res, "Staking: evidence of epoch %llu is too old (current %llu, unbonding %llu epochs)",
                  (unsigned long long)pf.epoch, (unsigned long long)cur, (unsigned long long)p.unbonding_epochs);
  if ((st = need_validator(h, res, &pf.offender, &r)) != ZG_SC_OK) return st;
  addr_text(t, &pf.offender);
  if (r.jailed) return revert(res, "Staking: validator %s is already jailed", t);
  zg_u256_t cut, reward, burn;
  static const zg_eth_addr_t burn_addr = {{0}};
  HTRY(h->sput(h, xk, 33, (const uint8_t *)"\1", 1));
  HTRY(slash_books(h, &pf.offender, &r, &cut));
  reward = bps_of(&cut, ZG_STAKING_REPORTER_BPS);
  (void)zg_u256_sub(&burn, &cut, &reward);
  if (!zg_u256_is_zero(&reward)) HTRY(h->transfer(h, &h->caller, &reward));
  if (!zg_u256_is_zero(&burn)) HTRY(h->transfer(h, &burn_addr, &burn));
  uint8_t topics[2][32];
  addr_topic(topics[0], &pf.offender);
  addr_topic(topics[1], &h->caller);
  zg_abi_value_t ev[3] = {abi_u256(&cut), abi_u256(&reward), zg_abi_u64(pf.epoch)};
  HTRY(emit_event(h, "Slashed(address,address,uint256,uint256,uint64)", topics, 2, "(uint256,uint256,uint64)", ev,
                  3));
  return ret_encode(res, "()", NULL, 0);
}
WITH_ARENA(m_equivocation, equivocation_body)

/* ---- genesis ---- */

void zg_staking_genesis_defaults(zg_staking_genesis_t *g) {
  memset(g, 0, sizeof *g);
  g->unbonding_epochs = ZG_STAKING_DEFAULT_UNBONDING_EPOCHS;
  if (zg_u256_parse(&g->min_self_bond, ZG_STAKING_DEFAULT_MIN_SELF_BOND, strlen(ZG_STAKING_DEFAULT_MIN_SELF_BOND)) !=
      ZG_OK)
    g->min_self_bond = zg_u256_from_u64(0); /* unreachable: the constant parses */
  g->max_validators = ZG_STAKING_DEFAULT_MAX_VALIDATORS;
}

zg_sc_status_t zg_staking_genesis_apply(zg_sc_host_t *host, const zg_staking_genesis_t *g, zg_sc_result_t *res) {
  zg_sc_host_t *h = host;
  params_t p;
  zg_u256_t sum = zg_u256_from_u64(0), bal;
  char why[256], d1[ZG_U256_DEC_MAX], d2[ZG_U256_DEC_MAX];
  if (!h || !g || !res || (g->n_validators && !g->validators)) return ZG_SC_FAIL;
  if (g->max_validators == 0 || g->max_validators > ZG_STAKING_MAX_VALIDATORS_LIMIT)
    return revert(res, "Staking genesis: maxValidators %u not in 1..%u", g->max_validators,
                  ZG_STAKING_MAX_VALIDATORS_LIMIT);
  p.unbonding_epochs = g->unbonding_epochs;
  p.min_self_bond = g->min_self_bond;
  p.max_validators = g->max_validators;
  HTRY(params_put(h, &p));
  for (size_t i = 0; i < g->n_validators; i++)
    if (!zg_u256_add(&sum, &sum, &g->validators[i].stake)) return revert(res, "Staking genesis: stake overflows");
  HTRY(h->balance(h, &h->self, &bal));
  if (zg_u256_cmp(&bal, &sum) < 0) {
    u256_dec(d1, &bal);
    u256_dec(d2, &sum);
    return revert(res,
                  "Staking genesis: balance of %s is %s wei, below the validators' stake %s wei (fund it in alloc)",
                  ZG_STAKING_ADDRESS_TEXT, d1, d2);
  }
  for (size_t i = 0; i < g->n_validators; i++) {
    const zg_staking_genesis_validator_t *gv = &g->validators[i];
    newval_t nv = {&gv->operator_addr, gv->consensus_key, zg_slice(gv->bls_pubkey, 48), zg_slice(gv->bls_pop, 96),
                   gv->commission_bps, &gv->stake};
    HTRY(newval_check(h, &nv, &p, why, sizeof why));
    if (why[0]) return revert(res, "genesis validator %zu: %s", i, why);
    HTRY(newval_create(h, &nv));
  }
  HTRY(put_u64(h, K_EPOCH, 1, 0));
  HTRY(snapshot_take(h, 0, g->max_validators));
  return ret_encode(res, "()", NULL, 0);
}

/* A JSON integer or a decimal/0x string as a u256. */
static bool json_u256(zg_u256_t *out, const json_t *j) {
  if (json_is_integer(j) && json_integer_value(j) >= 0) {
    *out = zg_u256_from_u64((uint64_t)json_integer_value(j));
    return true;
  }
  if (!json_is_string(j)) return false;
  return zg_u256_parse(out, json_string_value(j), json_string_length(j)) == ZG_OK;
}

static bool json_hex(uint8_t *out, size_t n, const json_t *j) {
  return json_is_string(j) && zg_hex_decode(out, n, json_string_value(j), json_string_length(j)) == ZG_OK;
}

/* Reads one "validators" entry; *why set when malformed. */
static void genesis_entry(zg_staking_genesis_validator_t *v, const json_t *o, char *why, size_t wl) {
  const json_t *op = json_object_get(o, "operator"), *cb = json_object_get(o, "commissionBps");
  memset(v, 0, sizeof *v);
  why[0] = 0;
  if (!json_is_object(o)) snprintf(why, wl, "not an object");
  else if (!json_is_string(op) || zg_eth_address_parse(&v->operator_addr, json_string_value(op),
                                                        json_string_length(op)) != ZG_OK)
    snprintf(why, wl, "\"operator\" is not an address");
  else if (!json_hex(v->consensus_key, 32, json_object_get(o, "nodeKey")))
    snprintf(why, wl, "\"nodeKey\" is not 32 bytes of hex");
  else if (!json_hex(v->bls_pubkey, 48, json_object_get(o, "blsKey")))
    snprintf(why, wl, "\"blsKey\" is not 48 bytes of hex");
  else if (!json_hex(v->bls_pop, 96, json_object_get(o, "blsPop")))
    snprintf(why, wl, "\"blsPop\" is not 96 bytes of hex");
  else if (!json_u256(&v->stake, json_object_get(o, "stake")))
    snprintf(why, wl, "\"stake\" is not an amount in wei");
  else if (cb && (!json_is_integer(cb) || json_integer_value(cb) < 0 ||
                  json_integer_value(cb) > (json_int_t)ZG_STAKING_MAX_COMMISSION_BPS))
    snprintf(why, wl, "\"commissionBps\" is not in 0..%u", ZG_STAKING_MAX_COMMISSION_BPS);
  else if (cb)
    v->commission_bps = (uint16_t)json_integer_value(cb);
}

/* Reads the parameters of genesis.json; *why set when malformed. */
static void genesis_params(zg_staking_genesis_t *g, const json_t *root, char *why, size_t wl) {
  const json_t *ub = json_object_get(root, "unbondingEpochs"), *mv = json_object_get(root, "maxValidators"),
               *ms = json_object_get(root, "minSelfBond");
  why[0] = 0;
  if (ub && (!json_is_integer(ub) || json_integer_value(ub) < 0))
    snprintf(why, wl, "\"unbondingEpochs\" is not a non-negative integer");
  else if (mv && (!json_is_integer(mv) || json_integer_value(mv) < 1 ||
                  json_integer_value(mv) > (json_int_t)ZG_STAKING_MAX_VALIDATORS_LIMIT))
    snprintf(why, wl, "\"maxValidators\" is not in 1..%u", ZG_STAKING_MAX_VALIDATORS_LIMIT);
  else if (ms && !json_u256(&g->min_self_bond, ms))
    snprintf(why, wl, "\"minSelfBond\" is not an amount in wei");
  if (why[0]) return;
  if (ub) g->unbonding_epochs = (uint64_t)json_integer_value(ub);
  if (mv) g->max_validators = (uint32_t)json_integer_value(mv);
}

/* The contract's genesis hook: genesis.json (a json_t *) to
 * zg_staking_genesis_apply. NULL JSON: defaults, no validators. */
static zg_sc_status_t staking_genesis(zg_sc_host_t *h, const void *genesis_json, zg_sc_result_t *res) {
  const json_t *root = genesis_json;
  zg_staking_genesis_t g;
  char why[160];
  zg_staking_genesis_defaults(&g);
  if (root && !json_is_object(root)) return revert(res, "Staking genesis: not a JSON object");
  const json_t *vals = root ? json_object_get(root, "validators") : NULL;
  if (root) {
    genesis_params(&g, root, why, sizeof why);
    if (why[0]) return revert(res, "Staking genesis: %s", why);
  }
  if (vals && !json_is_array(vals)) return revert(res, "Staking genesis: \"validators\" is not an array");
  size_t n = vals ? json_array_size(vals) : 0;
  zg_staking_genesis_validator_t *v = NULL;
  if (n > 0 && !(v = calloc(n, sizeof *v))) return host_fail(res, ZG_ENOMEM);
  for (size_t i = 0; i < n; i++) {
    genesis_entry(&v[i], json_array_get(vals, i), why, sizeof why);
    if (why[0]) {
      free(v);
      return revert(res, "Staking genesis: validators[%zu]: %s", i, why);
    }
  }
  g.validators = v;
  g.n_validators = n;
  zg_sc_status_t st = zg_staking_genesis_apply(h, &g, res);
  free(v);
  return st;
}

/* ---- the contract ---- */

static const zg_sc_method_t staking_methods[] = {
    {"registerValidator(bytes32,bytes,bytes,uint16)", ZG_SC_PAYABLE, 250000, m_register},
    {"delegate(address)", ZG_SC_PAYABLE, 40000, m_delegate},
    {"undelegate(address,uint256)", 0, 60000, m_undelegate},
    {"withdraw()", 0, 30000, m_withdraw},
    {"setCommission(uint16)", 0, 20000, m_set_commission},
    {"submitEquivocation(bytes,bytes)", 0, 150000, m_equivocation},
    {"getValidator(address)", ZG_SC_VIEW, 5000, m_get_validator},
    {"getDelegation(address,address)", ZG_SC_VIEW, 3000, m_get_delegation},
    {"validatorSet(uint64)", ZG_SC_VIEW, 20000, m_validator_set},
    {"currentEpoch()", ZG_SC_VIEW, 1000, m_current_epoch},
    {"totalStaked()", ZG_SC_VIEW, 1000, m_total_staked},
    {"pendingUnbonding(address)", ZG_SC_VIEW, 3000, m_pending},
    {"params()", ZG_SC_VIEW, 1000, m_params},
};

const zg_sc_contract_t zg_staking_contract = {
    "Staking",
    {ZG_STAKING_ADDRESS_BYTES},
    ZG_STAKING_LANE,
    staking_methods,
    sizeof staking_methods / sizeof staking_methods[0],
    staking_genesis,
};

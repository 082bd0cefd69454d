/*
 * syscontract.c — the native system-contract framework (zg/syscontract.h):
 * a registry of contracts with their method selectors, and dispatch of
 * ABI calldata to the C handlers.
 *
 * Invariants:
 *  - every registered signature is canonical (it re-formats to itself), so
 *    its selector is the one Solidity and ethers.js compute;
 *  - selectors are unique within a contract, addresses unique in a registry;
 *  - a view method, and any method in a read-only call, runs against a copy
 *    of the host whose writes fail with ZG_EPERM; a refused write turns the
 *    call into a revert whatever the handler returned, so read-only
 *    enforcement does not rely on handlers checking errors;
 *  - a reverted call's return data is exactly Error(string) of its reason.
 */
#include "zg/syscontract.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/abi.h"

typedef struct {
  const zg_sc_contract_t *c;
  uint8_t (*sel)[4]; /* c->n_methods selectors */
} entry_t;

struct zg_sc_registry {
  entry_t *e;
  size_t n, cap;
};

zg_err_t zg_sc_registry_new(zg_sc_registry_t **out) {
  if (!out) return ZG_EINVAL;
  *out = calloc(1, sizeof **out);
  return *out ? ZG_OK : ZG_ENOMEM;
}

void zg_sc_registry_free(zg_sc_registry_t *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n; i++) free(r->e[i].sel);
  free(r->e);
  free(r);
}

/* Parses sig and checks that it is canonical. */
static zg_err_t check_signature(const char *sig) {
  if (!sig) return ZG_EINVAL;
  zg_abi_arena_t a;
  zg_abi_arena_init(&a);
  zg_buf_t b;
  zg_buf_init(&b);
  zg_slice_t name;
  const zg_abi_type_t *args;
  size_t len = strlen(sig);
  zg_err_t e = zg_abi_sig_parse(&name, &args, NULL, &a, sig, len);
  if (!e) e = zg_abi_sig_format(&b, name, args);
  if (!e && (b.len != len || memcmp(b.ptr, sig, len) != 0)) e = ZG_EINVAL;
  if (e && e != ZG_ENOMEM) e = ZG_EINVAL;
  zg_buf_clear(&b);
  zg_abi_arena_clear(&a);
  return e;
}

zg_err_t zg_sc_register(zg_sc_registry_t *r, const zg_sc_contract_t *c) {
  if (!r || !c || (c->n_methods && !c->methods)) return ZG_EINVAL;
  if (zg_sc_find(r, &c->address)) return ZG_EEXIST;
  uint8_t(*sel)[4] = malloc((c->n_methods ? c->n_methods : 1) * sizeof *sel);
  if (!sel) return ZG_ENOMEM;
  zg_err_t e = ZG_OK;
  for (size_t i = 0; i < c->n_methods && !e; i++) {
    if (!c->methods[i].fn) e = ZG_EINVAL;
    if (!e) e = check_signature(c->methods[i].signature);
    if (e) break;
    zg_abi_selector(sel[i], c->methods[i].signature, strlen(c->methods[i].signature));
    for (size_t j = 0; j < i; j++)
      if (memcmp(sel[j], sel[i], 4) == 0) e = ZG_EEXIST;
  }
  if (!e && r->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 8;
    entry_t *p = realloc(r->e, cap * sizeof *p);
    if (!p)
      e = ZG_ENOMEM;
    else {
      r->e = p;
      r->cap = cap;
    }
  }
  if (e) {
    free(sel);
    return e;
  }
  r->e[r->n].c = c;
  r->e[r->n].sel = sel;
  r->n++;
  return ZG_OK;
}

static const entry_t *find_entry(const zg_sc_registry_t *r, const zg_eth_addr_t *addr) {
  if (!r || !addr) return NULL;
  for (size_t i = 0; i < r->n; i++)
    if (memcmp(r->e[i].c->address.bytes, addr->bytes, 20) == 0) return &r->e[i];
  return NULL;
}

const zg_sc_contract_t *zg_sc_find(const zg_sc_registry_t *r, const zg_eth_addr_t *addr) {
  const entry_t *e = find_entry(r, addr);
  return e ? e->c : NULL;
}

size_t zg_sc_count(const zg_sc_registry_t *r) { return r ? r->n : 0; }

const zg_sc_contract_t *zg_sc_at(const zg_sc_registry_t *r, size_t i) {
  return r && i < r->n ? r->e[i].c : NULL;
}

static const zg_sc_method_t *find_method(const entry_t *en, const uint8_t *calldata, size_t len) {
  if (len < 4) return NULL;
  for (size_t i = 0; i < en->c->n_methods; i++)
    if (memcmp(en->sel[i], calldata, 4) == 0) return &en->c->methods[i];
  return NULL;
}

void zg_sc_result_free(zg_sc_result_t *r) {
  if (r) zg_buf_clear(&r->ret);
}

zg_sc_status_t zg_sc_revert(zg_sc_result_t *res, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(res->reason, sizeof res->reason, fmt, ap);
  va_end(ap);
  res->status = ZG_SC_REVERT;
  return ZG_SC_REVERT;
}

/* Error(string): 0x08c379a0 || offset 0x20 || length || bytes padded to 32. */
static zg_err_t encode_error(zg_buf_t *out, const char *reason) {
  static const uint8_t sel[4] = {0x08, 0xc3, 0x79, 0xa0};
  size_t n = strlen(reason);
  uint8_t w[32] = {0};
  out->len = 0;
  ZG_TRY(zg_buf_append(out, sel, 4));
  w[31] = 0x20;
  ZG_TRY(zg_buf_append(out, w, 32));
  memset(w, 0, 32);
  for (int i = 0; i < 8; i++) w[31 - i] = (uint8_t)((uint64_t)n >> (8 * i));
  ZG_TRY(zg_buf_append(out, w, 32));
  ZG_TRY(zg_buf_append(out, reason, n));
  memset(w, 0, 32);
  return zg_buf_append(out, w, (32 - n % 32) % 32);
}

/* The read-only host: the caller's host with its writes replaced. */
typedef struct {
  zg_sc_host_t h; /* first: handlers get &ro.h */
  bool refused;
} ro_host_t;

static zg_err_t ro_sput(zg_sc_host_t *h, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
  ((ro_host_t *)(void *)h)->refused = true;
  return ZG_EPERM;
}
static zg_err_t ro_sdel(zg_sc_host_t *h, const uint8_t *k, size_t kl) {
  ((ro_host_t *)(void *)h)->refused = true;
  return ZG_EPERM;
}
static zg_err_t ro_transfer(zg_sc_host_t *h, const zg_eth_addr_t *to, const zg_u256_t *amount) {
  ((ro_host_t *)(void *)h)->refused = true;
  return ZG_EPERM;
}
static zg_err_t ro_emit(zg_sc_host_t *h, const zg_sc_log_t *log) {
  ((ro_host_t *)(void *)h)->refused = true;
  return ZG_EPERM;
}

zg_err_t zg_sc_call(const zg_sc_registry_t *r, zg_sc_host_t *host, const uint8_t *calldata, size_t len,
                    zg_sc_result_t *res) {
  if (!res) return ZG_EINVAL;
  zg_buf_init(&res->ret);
  res->status = ZG_SC_OK;
  res->reason[0] = 0;
  res->gas = 0;
  if (!r || !host || (len && !calldata)) return ZG_EINVAL;
  const entry_t *en = find_entry(r, &host->self);
  const zg_sc_method_t *m = en ? find_method(en, calldata, len) : NULL;
  if (!en)
    zg_sc_revert(res, "no system contract at this address");
  else if (len < 4)
    zg_sc_revert(res, "%s: calldata shorter than a selector", en->c->name);
  else if (!m)
    zg_sc_revert(res, "%s: unknown method selector 0x%02x%02x%02x%02x", en->c->name, calldata[0], calldata[1],
                 calldata[2], calldata[3]);
  else {
    res->gas = m->gas;
    bool view = (m->flags & ZG_SC_VIEW) != 0;
    if (!zg_u256_is_zero(&host->value) && !(m->flags & ZG_SC_PAYABLE))
      zg_sc_revert(res, "%s: method %s is not payable", en->c->name, m->signature);
    else if (host->read_only && !view)
      zg_sc_revert(res, "%s: method %s changes state: not allowed in a read-only call", en->c->name,
                   m->signature);
    else if (view || host->read_only) {
      ro_host_t ro = {*host, false};
      ro.h.read_only = true;
      ro.h.sput = ro_sput;
      ro.h.sdel = ro_sdel;
      ro.h.transfer = ro_transfer;
      ro.h.emit = ro_emit;
      res->status = m->fn(&ro.h, calldata + 4, len - 4, res);
      if (ro.refused) zg_sc_revert(res, "%s: write attempted in a read-only call", en->c->name);
    } else {
      res->status = m->fn(host, calldata + 4, len - 4, res);
    }
  }
  if (res->status == ZG_SC_FAIL) {
    res->ret.len = 0;
    return ZG_EIO;
  }
  if (res->status == ZG_SC_REVERT) {
    if (!res->reason[0]) snprintf(res->reason, sizeof res->reason, "reverted");
    if (encode_error(&res->ret, res->reason)) {
      res->status = ZG_SC_FAIL;
      return ZG_ENOMEM;
    }
  }
  return ZG_OK;
}

zg_err_t zg_sc_gas(const zg_sc_registry_t *r, const zg_eth_addr_t *addr, const uint8_t *calldata, size_t len,
                   uint64_t *gas) {
  if (!gas) return ZG_EINVAL;
  *gas = 0;
  const entry_t *en = find_entry(r, addr);
  const zg_sc_method_t *m = en ? find_method(en, calldata, len) : NULL;
  if (!m) return ZG_ENOTFOUND;
  *gas = m->gas;
  return ZG_OK;
}

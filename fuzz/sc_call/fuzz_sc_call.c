/*
 * fuzz_sc_call.c — system-contract dispatch (zg_sc_call) of every contract
 * compiled into the build (zg_contracts_register_all) on arbitrary calldata,
 * as eth_call and eth_sendRawTransaction deliver it from anyone, against an
 * in-memory host whose storage persists across the calls of one input.
 *
 * Input: a sequence of records
 *   flags(1)   bit 0 read-only, bit 1 value 10^18, bit 2 raw selector,
 *              bits 3..7 the caller (one of 32 addresses)
 *   method(1)  index of the method whose selector starts the calldata
 *              (unless bit 2: the args begin with 4 selector bytes of their own)
 *   len(2, BE) then len argument bytes (cut at the end of the input)
 * Checks: no crash or sanitizer report; every outcome is OK, REVERT or FAIL;
 * a revert's return data is exactly Error(string) of its reason; a
 * read-only call changes no storage and emits nothing; logs have at most 4
 * topics and come from the contract's address.
 */
#include <stdlib.h>
#include <string.h>

#include "zg/abi.h"
#include "zg/syscontract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- a tiny ordered in-memory store ---- */

typedef struct {
  uint8_t *k, *v;
  size_t kl, vl;
} ent_t;

typedef struct {
  ent_t *e;
  size_t n, cap;
  unsigned writes, logs;
} mem_t;

static int kcmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl) {
  int c = memcmp(a, b, al < bl ? al : bl);
  return c ? c : (al < bl ? -1 : al > bl);
}

/* Index of the first entry >= key. */
static size_t lower(const mem_t *m, const uint8_t *k, size_t kl) {
  size_t lo = 0, hi = m->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (kcmp(m->e[mid].k, m->e[mid].kl, k, kl) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static zg_err_t m_get(zg_sc_host_t *h, const uint8_t *k, size_t kl, zg_buf_t *out, bool *found) {
  mem_t *m = h->ctx;
  size_t i = lower(m, k, kl);
  *found = i < m->n && kcmp(m->e[i].k, m->e[i].kl, k, kl) == 0;
  if (!*found) return ZG_OK;
  out->len = 0;
  return zg_buf_append(out, m->e[i].v, m->e[i].vl);
}

static zg_err_t m_put(zg_sc_host_t *h, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
  mem_t *m = h->ctx;
  if (kl == 0 || kl > 480) return ZG_EINVAL;
  m->writes++;
  size_t i = lower(m, k, kl);
  uint8_t *nv = malloc(vl ? vl : 1);
  if (!nv) return ZG_ENOMEM;
  if (vl) memcpy(nv, v, vl);
  if (i < m->n && kcmp(m->e[i].k, m->e[i].kl, k, kl) == 0) {
    free(m->e[i].v);
    m->e[i].v = nv;
    m->e[i].vl = vl;
    return ZG_OK;
  }
  if (m->n == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 16;
    ent_t *p = realloc(m->e, cap * sizeof *p);
    if (!p) {
      free(nv);
      return ZG_ENOMEM;
    }
    m->e = p;
    m->cap = cap;
  }
  uint8_t *nk = malloc(kl);
  if (!nk) {
    free(nv);
    return ZG_ENOMEM;
  }
  memcpy(nk, k, kl);
  memmove(&m->e[i + 1], &m->e[i], (m->n - i) * sizeof *m->e);
  m->e[i] = (ent_t){nk, nv, kl, vl};
  m->n++;
  return ZG_OK;
}

static zg_err_t m_del(zg_sc_host_t *h, const uint8_t *k, size_t kl) {
  mem_t *m = h->ctx;
  m->writes++;
  size_t i = lower(m, k, kl);
  if (i >= m->n || kcmp(m->e[i].k, m->e[i].kl, k, kl) != 0) return ZG_OK;
  free(m->e[i].k);
  free(m->e[i].v);
  memmove(&m->e[i], &m->e[i + 1], (m->n - i - 1) * sizeof *m->e);
  m->n--;
  return ZG_OK;
}

static zg_err_t m_scan(zg_sc_host_t *h, const uint8_t *p, size_t pl,
                       bool (*fn)(void *, const uint8_t *, size_t, const uint8_t *, size_t), void *arg) {
  mem_t *m = h->ctx;
  for (size_t i = lower(m, p, pl); i < m->n; i++) {
    if (m->e[i].kl < pl || memcmp(m->e[i].k, p, pl) != 0) break;
    if (!fn(arg, m->e[i].k, m->e[i].kl, m->e[i].v, m->e[i].vl)) break;
  }
  return ZG_OK;
}

static zg_err_t m_balance(zg_sc_host_t *h, const zg_eth_addr_t *who, zg_u256_t *out) {
  *out = zg_u256_from_u64(UINT64_MAX);
  return ZG_OK;
}

static zg_err_t m_transfer(zg_sc_host_t *h, const zg_eth_addr_t *to, const zg_u256_t *amount) {
  ((mem_t *)h->ctx)->writes++;
  return ZG_OK;
}

static zg_err_t m_emit(zg_sc_host_t *h, const zg_sc_log_t *log) {
  if (log->n_topics > 4 || memcmp(log->address.bytes, h->self.bytes, 20) != 0) abort();
  if (log->data_len && !log->data) abort();
  ((mem_t *)h->ctx)->logs++;
  return ZG_OK;
}

static void mem_free(mem_t *m) {
  for (size_t i = 0; i < m->n; i++) free(m->e[i].k), free(m->e[i].v);
  free(m->e);
}

/* A deep copy of the store: the state before a call, restored if it
 * reverts (as the executor's nested transaction would). */
static void mem_copy(mem_t *dst, const mem_t *src) {
  memset(dst, 0, sizeof *dst);
  dst->e = malloc((src->n ? src->n : 1) * sizeof *dst->e);
  if (!dst->e) abort();
  for (size_t i = 0; i < src->n; i++) {
    ent_t *d = &dst->e[i];
    const ent_t *x = &src->e[i];
    d->k = malloc(x->kl);
    d->v = malloc(x->vl ? x->vl : 1);
    if (!d->k || !d->v) abort();
    memcpy(d->k, x->k, x->kl);
    if (x->vl) memcpy(d->v, x->v, x->vl);
    d->kl = x->kl;
    d->vl = x->vl;
  }
  dst->n = dst->cap = src->n;
  dst->writes = src->writes;
  dst->logs = src->logs;
}

/* A revert's data must be Error(string) of the reason. */
static void check_revert(const zg_sc_result_t *r) {
  zg_abi_arena_t a;
  zg_abi_arena_init(&a);
  const zg_abi_type_t *t;
  zg_abi_value_t v;
  zg_slice_t s;
  static const uint8_t sel[4] = {0x08, 0xc3, 0x79, 0xa0};
  if (r->ret.len < 4 || memcmp(r->ret.ptr, sel, 4) != 0) abort();
  if (zg_abi_type_parse_str(&t, &a, "(string)") || zg_abi_decode(&v, &a, t, r->ret.ptr + 4, r->ret.len - 4) ||
      zg_abi_get_bytes(&s, &v.u.items[0]))
    abort();
  if (s.len != strlen(r->reason) || memcmp(s.ptr, r->reason, s.len) != 0) abort();
  zg_abi_arena_clear(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static zg_sc_registry_t *reg;
  if (!reg && (zg_sc_registry_new(&reg) || zg_contracts_register_all(reg))) abort();
  if (zg_sc_count(reg) == 0) return 0;
  mem_t m = {0};
  zg_buf_t cd;
  zg_buf_init(&cd);
  for (unsigned call = 0; size >= 4 && call < 16; call++) {
    uint8_t flags = data[0], mi = data[1];
    size_t len = (size_t)data[2] << 8 | data[3];
    data += 4, size -= 4;
    if (len > size) len = size;
    const zg_sc_contract_t *c = zg_sc_at(reg, call % zg_sc_count(reg));
    cd.len = 0;
    if (!(flags & 4) && c->n_methods) {
      const char *sig = c->methods[mi % c->n_methods].signature;
      uint8_t sel[4];
      zg_abi_selector(sel, sig, strlen(sig));
      if (zg_buf_append(&cd, sel, 4)) abort();
    }
    if (len && zg_buf_append(&cd, data, len)) abort();
    data += len, size -= len;
    zg_sc_host_t h;
    memset(&h, 0, sizeof h);
    h.ctx = &m;
    memset(h.caller.bytes, 0xca, 20);
    h.caller.bytes[19] = (uint8_t)(flags >> 3);
    h.self = c->address;
    if (flags & 2) h.value = zg_u256_from_u64(1000000000000000000ull);
    h.block_number = 100 + call;
    h.epoch = call;
    h.lane = c->lane;
    h.chain_id = 16888;
    h.read_only = (flags & 1) != 0;
    h.sget = m_get, h.sput = m_put, h.sdel = m_del, h.sscan = m_scan;
    h.balance = m_balance, h.transfer = m_transfer, h.emit = m_emit;
    unsigned w0 = m.writes, l0 = m.logs;
    mem_t saved;
    mem_copy(&saved, &m);
    zg_sc_result_t r;
    zg_err_t e = zg_sc_call(reg, &h, cd.ptr, cd.len, &r);
    if (r.status != ZG_SC_OK && r.status != ZG_SC_REVERT && r.status != ZG_SC_FAIL) abort();
    if ((e != ZG_OK) != (r.status == ZG_SC_FAIL)) abort();
    if (r.status == ZG_SC_REVERT) check_revert(&r);
    if (h.read_only && (m.writes != w0 || m.logs != l0)) abort();
    if (r.status != ZG_SC_OK) {
      mem_free(&m);
      m = saved;
    } else {
      mem_free(&saved);
    }
    zg_sc_result_free(&r);
  }
  zg_buf_clear(&cd);
  mem_free(&m);
  return 0;
}

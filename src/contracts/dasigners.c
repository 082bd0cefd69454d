/*
 * dasigners.c — the DASigners system contract (zg/da_contracts.h,
 * docs/da-contracts.md): signer registration with a BLS12-381 key and its
 * proof of possession, endpoint updates, a stake bond held by the contract,
 * per-epoch opt-in with a unique BLS signature as VRF, and the quorum views
 * derived from it. Also the pure helpers of zg/da_contracts.h (seed, VRF
 * message and output, slot assignment), so the contract and the signer role
 * compute the same quorums.
 *
 * Storage (DASigners' namespace, keys start with 'D'):
 *   "Dp"                 params (genesis; absent = defaults)
 *   'D''s' addr          pubkey (48) | regEpoch u64 | stake u256 | socket
 *   'D''k' keccak(pk)    addr (20): a key belongs to one signer
 *   'D''e' be64 E addr   tickets u32 | vrf output (32): opted in for E
 *   'D''n' be64 E        u64 number of signers of E
 *
 * Invariants: an opt-in for E exists only for a signer registered in an
 * epoch <= E-2 whose VRF signature verified on vrf message(E); a signer's
 * stake is withdrawable only when it serves neither the current nor the next
 * epoch; DASigners' balance >= the sum of stakes.
 */
#include <stdlib.h>
#include <string.h>

#include "da_internal.h"
#include "zg/bls.h"
#include "zg/hash.h"

#define WHO "DASigners"

const zg_eth_addr_t zg_dasigners_address = {ZG_DASIGNERS_ADDRESS_BYTES};

static const uint8_t K_PARAMS[] = "Dp";

enum { SIGNER_FIXED = 48 + 8 + 32, PARAMS_LEN = 8 + 32 + 8 + 8 + 32 + 8, OPT_LEN = 4 + 32 };

/* ---- pure helpers ---- */

const char *zg_da_status_name(unsigned status) {
  static const char *const names[] = {"none", "queued", "dispersing", "certified", "failed"};
  return status < 5 ? names[status] : "unknown";
}

void zg_da_epoch_seed(uint8_t out[32], uint64_t chain_id, uint64_t epoch, const uint8_t mix[32]) {
  uint8_t b[13 + 8 + 8 + 32];
  memcpy(b, "zg-da-seed-v1", 13);
  zg_store_be64(b + 13, chain_id);
  zg_store_be64(b + 21, epoch);
  memcpy(b + 29, mix, 32);
  zg_keccak256(out, b, sizeof b);
}

void zg_da_vrf_message(uint8_t out[ZG_DA_VRF_MSG_LEN], uint64_t chain_id, uint64_t epoch, const uint8_t seed[32]) {
  memcpy(out, "zg-da-vrf-v1", 12);
  zg_store_be64(out + 12, chain_id);
  zg_store_be64(out + 20, epoch);
  memcpy(out + 28, seed, 32);
}

void zg_da_vrf_output(uint8_t out[32], const uint8_t sig[ZG_DA_SIG_LEN]) {
  zg_keccak256_ctx_t c;
  zg_keccak256_init(&c);
  zg_keccak256_update(&c, "zg-da-vrf-out-v1", 16);
  zg_keccak256_update(&c, sig, ZG_DA_SIG_LEN);
  zg_keccak256_final(&c, out);
}

size_t zg_da_total_tickets(const zg_da_epoch_signer_t *signers, size_t n) {
  size_t t = 0;
  for (size_t i = 0; i < n; i++) t += signers[i].tickets;
  return t;
}

uint64_t zg_da_quorum_count(size_t total_tickets, unsigned slots_per_quorum) {
  if (total_tickets == 0 || slots_per_quorum == 0) return 0;
  return total_tickets < slots_per_quorum ? 1 : total_tickets / slots_per_quorum;
}

/* Ticket order: score, then (signers are in address order) signer, then k. */
static int ticket_cmp(const void *pa, const void *pb) {
  const zg_da_ticket_t *a = pa, *b = pb;
  int c = memcmp(a->score, b->score, 32);
  if (c) return c;
  if (a->signer != b->signer) return a->signer < b->signer ? -1 : 1;
  return a->k < b->k ? -1 : a->k > b->k;
}

zg_err_t zg_da_assign(uint32_t *slot_signer, unsigned slots_per_quorum, uint64_t q,
                      const zg_da_epoch_signer_t *signers, size_t n, zg_da_ticket_t *scratch) {
  if (!slot_signer || !slots_per_quorum || (n && (!signers || !scratch))) return ZG_EINVAL;
  size_t t = 0;
  for (size_t i = 0; i < n; i++) {
    if (n > UINT32_MAX) return ZG_EINVAL;
    for (uint32_t k = 0; k < signers[i].tickets; k++, t++) {
      uint8_t b[36];
      memcpy(b, signers[i].output, 32);
      zg_store_be32(b + 32, k);
      zg_keccak256(scratch[t].score, b, sizeof b);
      scratch[t].signer = (uint32_t)i;
      scratch[t].k = k;
    }
  }
  if (q >= zg_da_quorum_count(t, slots_per_quorum)) return ZG_ERANGE;
  qsort(scratch, t, sizeof *scratch, ticket_cmp);
  for (unsigned j = 0; j < slots_per_quorum; j++)
    slot_signer[j] = scratch[(q * slots_per_quorum + j) % t].signer;
  return ZG_OK;
}

static zg_err_t vrf_sign(uint8_t out[ZG_DA_SIG_LEN], const zg_bls_sk_t *sk, uint64_t chain_id, uint64_t epoch,
                         const uint8_t mix[32]) {
  uint8_t seed[32], msg[ZG_DA_VRF_MSG_LEN];
  zg_bls_sig_t sig;
  zg_da_epoch_seed(seed, chain_id, epoch, mix);
  zg_da_vrf_message(msg, chain_id, epoch, seed);
  ZG_TRY(zg_bls_sign(&sig, sk, msg, sizeof msg));
  zg_bls_sig_serialize(out, &sig);
  return ZG_OK;
}

zg_err_t zg_da_genesis_vrf(uint8_t (*sigs)[2][ZG_DA_SIG_LEN], uint64_t chain_id, const zg_eth_addr_t *addrs,
                           const zg_bls_sk_t *sks, size_t n) {
  static const uint8_t zeros[32];
  if (!sigs || (n && (!addrs || !sks))) return ZG_EINVAL;
  for (size_t i = 0; i < n; i++) ZG_TRY(vrf_sign(sigs[i][0], &sks[i], chain_id, 0, zeros));
  /* mix(0): the epoch-0 outputs in address order (selection, no scratch). */
  zg_keccak256_ctx_t c;
  uint8_t mix[32], out[32];
  const uint8_t *last = NULL;
  zg_keccak256_init(&c);
  for (size_t k = 0; k < n; k++) {
    size_t best = n;
    for (size_t i = 0; i < n; i++) {
      if (last && memcmp(addrs[i].bytes, last, 20) <= 0) continue;
      if (best == n || memcmp(addrs[i].bytes, addrs[best].bytes, 20) < 0) best = i;
    }
    if (best == n) return ZG_EINVAL; /* duplicate addresses */
    zg_da_vrf_output(out, sigs[best][0]);
    zg_keccak256_update(&c, out, 32);
    last = addrs[best].bytes;
  }
  zg_keccak256_final(&c, mix);
  if (n == 0) memset(mix, 0, 32);
  for (size_t i = 0; i < n; i++) ZG_TRY(vrf_sign(sigs[i][1], &sks[i], chain_id, 1, mix));
  return ZG_OK;
}

/* ---- storage ---- */

zg_err_t zg__da_params(zg_sc_host_t *h, zg__da_params_t *p) {
  uint8_t v[PARAMS_LEN];
  bool found;
  zg_err_t e;
  memset(p, 0, sizeof *p);
  SC_AS(h, zg_dasigners_address, e = zg__sc_get(h, K_PARAMS, 2, v, PARAMS_LEN, &found));
  ZG_TRY(e);
  if (found) {
    p->slots_per_quorum = zg_load_be64(v);
    zg_u256_from_be32(&p->tokens_per_slot, v + 8);
    p->max_slots_per_signer = zg_load_be64(v + 40);
    p->max_blob = zg_load_be64(v + 48);
    zg_u256_from_be32(&p->blob_fee, v + 56);
    p->certify_window = zg_load_be64(v + 88);
  } else {
    p->slots_per_quorum = ZG_DA_DEFAULT_SLOTS_PER_QUORUM;
    ZG_TRY(zg_u256_parse(&p->tokens_per_slot, ZG_DA_DEFAULT_TOKENS_PER_SLOT, strlen(ZG_DA_DEFAULT_TOKENS_PER_SLOT)));
    p->max_slots_per_signer = ZG_DA_DEFAULT_MAX_SLOTS_PER_SIGNER;
    p->max_blob = ZG_DA_MAX_BLOB_DEFAULT;
    ZG_TRY(zg_u256_parse(&p->blob_fee, ZG_DA_DEFAULT_BLOB_FEE, strlen(ZG_DA_DEFAULT_BLOB_FEE)));
    p->certify_window = ZG_DA_DEFAULT_CERTIFY_WINDOW;
  }
  return ZG_OK;
}

typedef struct {
  uint8_t pk[48];
  uint64_t reg_epoch;
  zg_u256_t stake;
  char socket[ZG_DA_SOCKET_MAX + 1];
} signer_t;

static size_t signer_key(uint8_t k[22], const uint8_t addr[20]) {
  k[0] = 'D';
  k[1] = 's';
  memcpy(k + 2, addr, 20);
  return 22;
}

static zg_err_t signer_get(zg_sc_host_t *h, const uint8_t addr[20], signer_t *s, bool *found) {
  uint8_t k[22];
  zg_buf_t b;
  zg_buf_init(&b);
  memset(s, 0, sizeof *s);
  zg_err_t e = h->sget(h, k, signer_key(k, addr), &b, found);
  if (e == ZG_OK && *found) {
    if (b.len < SIGNER_FIXED || b.len > SIGNER_FIXED + ZG_DA_SOCKET_MAX) {
      e = ZG_ECORRUPT;
    } else {
      memcpy(s->pk, b.ptr, 48);
      s->reg_epoch = zg_load_be64(b.ptr + 48);
      zg_u256_from_be32(&s->stake, b.ptr + 56);
      memcpy(s->socket, b.ptr + SIGNER_FIXED, b.len - SIGNER_FIXED);
    }
  }
  zg_buf_clear(&b);
  return e;
}

static zg_err_t signer_put(zg_sc_host_t *h, const uint8_t addr[20], const signer_t *s) {
  uint8_t k[22], v[SIGNER_FIXED + ZG_DA_SOCKET_MAX];
  size_t sl = strlen(s->socket);
  memcpy(v, s->pk, 48);
  zg_store_be64(v + 48, s->reg_epoch);
  zg_u256_to_be32(v + 56, &s->stake);
  memcpy(v + SIGNER_FIXED, s->socket, sl);
  return h->sput(h, k, signer_key(k, addr), v, SIGNER_FIXED + sl);
}

zg_err_t zg__da_signer_pk(zg_sc_host_t *h, const uint8_t addr[20], uint8_t pk[48], bool *found) {
  signer_t s;
  zg_err_t e;
  SC_AS(h, zg_dasigners_address, e = signer_get(h, addr, &s, found));
  if (e == ZG_OK && *found) memcpy(pk, s.pk, 48);
  return e;
}

static size_t opt_key(uint8_t k[30], uint64_t epoch, const uint8_t addr[20]) {
  k[0] = 'D';
  k[1] = 'e';
  zg_store_be64(k + 2, epoch);
  if (addr) memcpy(k + 10, addr, 20);
  return addr ? 30 : 10;
}

static size_t count_key(uint8_t k[10], uint64_t epoch) {
  k[0] = 'D';
  k[1] = 'n';
  zg_store_be64(k + 2, epoch);
  return 10;
}

typedef struct {
  zg_da_epoch_signer_t *v;
  size_t n, cap;
  zg_err_t err;
} collect_t;

static bool collect_fn(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
  collect_t *c = arg;
  if (kl != 30 || vl != OPT_LEN) {
    c->err = ZG_ECORRUPT;
    return false;
  }
  if (c->n == c->cap) {
    size_t nc = c->cap ? 2 * c->cap : 16;
    zg_da_epoch_signer_t *nv = realloc(c->v, nc * sizeof *nv);
    if (!nv) {
      c->err = ZG_ENOMEM;
      return false;
    }
    c->v = nv;
    c->cap = nc;
  }
  zg_da_epoch_signer_t *s = &c->v[c->n++];
  memcpy(s->addr, k + 10, 20);
  s->tickets = zg_load_be32(v);
  memcpy(s->output, v + 4, 32);
  return true;
}

zg_err_t zg__da_epoch_signers(zg_sc_host_t *h, uint64_t epoch, zg_da_epoch_signer_t **out, size_t *n) {
  uint8_t k[30];
  collect_t c = {0};
  zg_err_t e;
  *out = NULL;
  *n = 0;
  size_t kl = opt_key(k, epoch, NULL);
  SC_AS(h, zg_dasigners_address, e = h->sscan(h, k, kl, collect_fn, &c));
  if (e == ZG_OK) e = c.err;
  if (e != ZG_OK) {
    free(c.v);
    return e;
  }
  *out = c.v;
  *n = c.n;
  return ZG_OK;
}

/* seed(E) from epoch E-1's signers. */
static zg_err_t seed_of(zg_sc_host_t *h, uint64_t epoch, uint8_t seed[32]) {
  uint8_t mix[32] = {0};
  if (epoch > 0) {
    zg_da_epoch_signer_t *s;
    size_t n;
    ZG_TRY(zg__da_epoch_signers(h, epoch - 1, &s, &n));
    if (n) {
      zg_keccak256_ctx_t c;
      zg_keccak256_init(&c);
      for (size_t i = 0; i < n; i++) zg_keccak256_update(&c, s[i].output, 32);
      zg_keccak256_final(&c, mix);
    }
    free(s);
  }
  zg_da_epoch_seed(seed, h->chain_id, epoch, mix);
  return ZG_OK;
}

static zg_err_t opted_in(zg_sc_host_t *h, uint64_t epoch, const uint8_t addr[20], bool *found) {
  uint8_t k[30];
  zg_buf_t b;
  zg_buf_init(&b);
  zg_err_t e = h->sget(h, k, opt_key(k, epoch, addr), &b, found);
  zg_buf_clear(&b);
  return e;
}

/* ---- methods ---- */

static zg_sc_status_t socket_arg(zg_sc_result_t *res, const zg_abi_value_t *v, char out[ZG_DA_SOCKET_MAX + 1]) {
  if (v->len == 0 || v->len > ZG_DA_SOCKET_MAX) return zg__sc_revert(res, WHO ": socket must be 1..256 bytes");
  if (memchr(v->u.bytes, 0, v->len)) return zg__sc_revert(res, WHO ": socket contains NUL");
  memcpy(out, v->u.bytes, v->len);
  out[v->len] = 0;
  return ZG_SC_OK;
}

/* The checks and writes of a registration of `who` (registerSigner and
 * genesis): key and proof of possession, endpoint, one key per signer. The
 * signer is registered in h->epoch with `stake`. */
static zg_sc_status_t register_as(zg_sc_host_t *h, zg_sc_result_t *res, const uint8_t who[20], const uint8_t *pkb,
                                  size_t pkl, const uint8_t *popb, size_t popl, const zg_abi_value_t *sock,
                                  const zg_u256_t *stake) {
  signer_t s;
  bool found, ok;
  SC_HTRY(signer_get(h, who, &s, &found));
  if (found) return zg__sc_revert(res, WHO ": already registered");
  zg_bls_pk_t pk;
  zg_bls_sig_t pop;
  if (pkl != 48 || zg_bls_pk_parse(&pk, pkb, pkl) != ZG_OK) return zg__sc_revert(res, WHO ": invalid public key");
  if (zg_bls_sig_parse(&pop, popb, popl) != ZG_OK) return zg__sc_revert(res, WHO ": invalid proof of possession");
  SC_HTRY(zg_bls_pop_verify(&ok, &pk, &pop));
  if (!ok) return zg__sc_revert(res, WHO ": invalid proof of possession");
  SC_TRY(socket_arg(res, sock, s.socket));
  uint8_t kk[34];
  kk[0] = 'D';
  kk[1] = 'k';
  zg_keccak256(kk + 2, pkb, 48);
  uint8_t owner[20];
  SC_HTRY(zg__sc_get(h, kk, sizeof kk, owner, 20, &found));
  if (found) return zg__sc_revert(res, WHO ": public key already registered");
  SC_HTRY(h->sput(h, kk, sizeof kk, who, 20));
  memcpy(s.pk, pkb, 48);
  s.reg_epoch = h->epoch;
  s.stake = *stake;
  SC_HTRY(signer_put(h, who, &s));
  uint8_t t[1][32];
  zg_eth_addr_t wa;
  memcpy(wa.bytes, who, 20);
  zg__addr_topic(t[0], &wa);
  zg_abi_value_t ev[2] = {zg_abi_bytes(s.pk, 48), zg_abi_string(s.socket)};
  SC_HTRY(zg__sc_emit(h, ZG_DAS_EV_NEW_SIGNER, (const uint8_t(*)[32])t, 1, "(bytes,string)", ev, 2));
  return ZG_SC_OK;
}

static zg_sc_status_t register_inner(zg_sc_host_t *h, zg_sc_result_t *res, const zg_abi_value_t *it) {
  zg_u256_t zero = zg_u256_from_u64(0);
  SC_TRY(register_as(h, res, h->caller.bytes, it[0].u.bytes, it[0].len, it[1].u.bytes, it[1].len, &it[2], &zero));
  return zg__sc_ret(res, "()", NULL, 0);
}

static zg_sc_status_t m_register(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(bytes,bytes,string)", args, len, &it);
  if (r == ZG_SC_OK) r = register_inner(h, res, it);
  zg_abi_arena_clear(&a);
  return r;
}

static zg_sc_status_t m_update_socket(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  signer_t s;
  bool found = false;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(string)", args, len, &it);
  if (r == ZG_SC_OK && signer_get(h, h->caller.bytes, &s, &found) != ZG_OK) r = zg__sc_fail(res, ZG_EIO);
  if (r == ZG_SC_OK && !found) r = zg__sc_revert(res, WHO ": not a signer");
  if (r == ZG_SC_OK) r = socket_arg(res, &it[0], s.socket);
  if (r == ZG_SC_OK && signer_put(h, h->caller.bytes, &s) != ZG_OK) r = zg__sc_fail(res, ZG_EIO);
  if (r == ZG_SC_OK) {
    uint8_t t[1][32];
    zg__addr_topic(t[0], &h->caller);
    zg_abi_value_t ev = zg_abi_string(s.socket);
    if (zg__sc_emit(h, ZG_DAS_EV_SOCKET_UPDATED, (const uint8_t(*)[32])t, 1, "(string)", &ev, 1) != ZG_OK)
      r = zg__sc_fail(res, ZG_EIO);
  }
  if (r == ZG_SC_OK) r = zg__sc_ret(res, "()", NULL, 0);
  zg_abi_arena_clear(&a);
  return r;
}

static zg_sc_status_t m_deposit(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  (void)args, (void)len;
  signer_t s;
  bool found;
  SC_HTRY(signer_get(h, h->caller.bytes, &s, &found));
  if (!found) return zg__sc_revert(res, WHO ": not a signer");
  if (zg_u256_is_zero(&h->value)) return zg__sc_revert(res, WHO ": nothing deposited");
  if (!zg_u256_add(&s.stake, &s.stake, &h->value)) return zg__sc_revert(res, WHO ": stake overflows");
  SC_HTRY(signer_put(h, h->caller.bytes, &s));
  return zg__sc_ret(res, "()", NULL, 0);
}

static zg_sc_status_t m_withdraw(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(uint256)", args, len, &it);
  zg_u256_t amt = zg_u256_from_u64(0);
  if (r == ZG_SC_OK) zg_u256_from_be32(&amt, it[0].u.word);
  zg_abi_arena_clear(&a);
  SC_TRY(r);
  signer_t s;
  bool found, now, next;
  SC_HTRY(signer_get(h, h->caller.bytes, &s, &found));
  if (!found) return zg__sc_revert(res, WHO ": not a signer");
  SC_HTRY(opted_in(h, h->epoch, h->caller.bytes, &now));
  SC_HTRY(opted_in(h, h->epoch + 1, h->caller.bytes, &next));
  if (now || next) return zg__sc_revert(res, WHO ": stake is bonded (serving this or the next epoch)");
  if (!zg_u256_sub(&s.stake, &s.stake, &amt)) return zg__sc_revert(res, WHO ": amount exceeds stake");
  SC_HTRY(signer_put(h, h->caller.bytes, &s));
  if (!zg_u256_is_zero(&amt)) SC_HTRY(h->transfer(h, &h->caller, &amt));
  return zg__sc_ret(res, "()", NULL, 0);
}

/* The opt-in of `who` for epoch e with VRF signature sig (registerNextEpoch
 * and genesis): tickets from the stake, the epoch's signer cap, the VRF
 * signature on vrf message(e) under the registered key. The caller checked
 * the registration age. */
static zg_sc_status_t opt_in_as(zg_sc_host_t *h, zg_sc_result_t *res, const uint8_t who[20], const signer_t *s,
                                uint64_t e, const uint8_t *sigb, size_t sigl) {
  bool found, ok;
  zg__da_params_t p;
  SC_HTRY(zg__da_params(h, &p));
  SC_HTRY(opted_in(h, e, who, &found));
  if (found) return zg__sc_revert(res, WHO ": already registered for the next epoch");
  /* tickets = min(stake / tokensPerSlot, maxSlotsPerSigner): at most
   * maxSlotsPerSigner (<= 4096) subtractions once the cap is excluded. */
  zg_u256_t per = p.tokens_per_slot, cap, rest = s->stake;
  uint64_t tickets = 0;
  if (zg_u256_is_zero(&per) || !zg_u256_mul_u64(&cap, &per, p.max_slots_per_signer) ||
      zg_u256_cmp(&s->stake, &cap) >= 0) {
    tickets = p.max_slots_per_signer;
  } else {
    while (zg_u256_cmp(&rest, &per) >= 0) {
      (void)zg_u256_sub(&rest, &rest, &per);
      tickets++;
    }
  }
  if (tickets == 0) return zg__sc_revert(res, WHO ": stake below one slot");
  uint8_t ck[10];
  uint64_t cnt;
  SC_HTRY(zg__sc_get_u64(h, ck, count_key(ck, e), &cnt, 0));
  if (cnt >= ZG_DA_MAX_SIGNERS_PER_EPOCH) return zg__sc_revert(res, WHO ": epoch is full");
  zg_bls_pk_t pk;
  zg_bls_sig_t sig;
  if (zg_bls_pk_parse(&pk, s->pk, 48) != ZG_OK) return zg__sc_fail(res, ZG_ECORRUPT);
  if (zg_bls_sig_parse(&sig, sigb, sigl) != ZG_OK) return zg__sc_revert(res, WHO ": invalid VRF signature");
  uint8_t seed[32], msg[ZG_DA_VRF_MSG_LEN], out[32];
  SC_HTRY(seed_of(h, e, seed));
  zg_da_vrf_message(msg, h->chain_id, e, seed);
  SC_HTRY(zg_bls_verify(&ok, &pk, msg, sizeof msg, &sig));
  if (!ok) return zg__sc_revert(res, WHO ": invalid VRF signature");
  zg_da_vrf_output(out, sigb);
  uint8_t k[30], v[OPT_LEN];
  zg_store_be32(v, (uint32_t)tickets);
  memcpy(v + 4, out, 32);
  SC_HTRY(h->sput(h, k, opt_key(k, e, who), v, OPT_LEN));
  SC_HTRY(zg__sc_put_u64(h, ck, 10, cnt + 1));
  uint8_t t[2][32];
  zg_eth_addr_t wa;
  memcpy(wa.bytes, who, 20);
  zg__addr_topic(t[0], &wa);
  zg_abi_value_t ew = zg_abi_u64(e);
  memcpy(t[1], ew.u.word, 32);
  zg_abi_value_t ev[2] = {zg_abi_u64(tickets), zg_abi_fbytes(out, 32)};
  SC_HTRY(zg__sc_emit(h, ZG_DAS_EV_OPT_IN, (const uint8_t(*)[32])t, 2, "(uint256,bytes32)", ev, 2));
  return ZG_SC_OK;
}

static zg_sc_status_t opt_in_inner(zg_sc_host_t *h, zg_sc_result_t *res, const zg_abi_value_t *sigv) {
  signer_t s;
  bool found;
  SC_HTRY(signer_get(h, h->caller.bytes, &s, &found));
  if (!found) return zg__sc_revert(res, WHO ": not a signer");
  if (s.reg_epoch >= h->epoch) return zg__sc_revert(res, WHO ": registered too recently (wait one epoch)");
  SC_TRY(opt_in_as(h, res, h->caller.bytes, &s, h->epoch + 1, sigv->u.bytes, sigv->len));
  return zg__sc_ret(res, "()", NULL, 0);
}

static zg_sc_status_t m_register_next(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(bytes)", args, len, &it);
  if (r == ZG_SC_OK) r = opt_in_inner(h, res, &it[0]);
  zg_abi_arena_clear(&a);
  return r;
}

static zg_sc_status_t m_epoch_number(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  (void)args, (void)len;
  zg_abi_value_t v = zg_abi_u64(h->epoch);
  return zg__sc_ret(res, "(uint256)", &v, 1);
}

static zg_sc_status_t m_params(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  (void)args, (void)len;
  zg__da_params_t p;
  SC_HTRY(zg__da_params(h, &p));
  zg_abi_value_t v[4] = {zg_abi_u64(p.slots_per_quorum), zg__abi_u256(&p.tokens_per_slot),
                         zg_abi_u64(p.max_slots_per_signer), zg_abi_u64(p.max_blob)};
  return zg__sc_ret(res, "(uint256,uint256,uint256,uint256)", v, 4);
}

static zg_sc_status_t addr_arg(zg_sc_result_t *res, const uint8_t *args, size_t len, uint8_t addr[20]) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(address)", args, len, &it);
  if (r == ZG_SC_OK) memcpy(addr, it[0].u.word + 12, 20);
  zg_abi_arena_clear(&a);
  return r;
}

static zg_sc_status_t m_is_signer(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint8_t addr[20];
  signer_t s;
  bool found;
  SC_TRY(addr_arg(res, args, len, addr));
  SC_HTRY(signer_get(h, addr, &s, &found));
  zg_abi_value_t v = zg_abi_bool(found);
  return zg__sc_ret(res, "(bool)", &v, 1);
}

static zg_sc_status_t m_get_signer(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint8_t addr[20];
  signer_t s;
  bool found;
  SC_TRY(addr_arg(res, args, len, addr));
  SC_HTRY(signer_get(h, addr, &s, &found));
  if (!found) return zg__sc_revert(res, WHO ": not a signer");
  zg_abi_value_t v[4] = {zg_abi_bytes(s.pk, 48), zg_abi_string(s.socket), zg__abi_u256(&s.stake),
                         zg_abi_u64(s.reg_epoch)};
  return zg__sc_ret(res, "(bytes,string,uint256,uint256)", v, 4);
}

static zg_sc_status_t u64_args(zg_sc_result_t *res, const char *type, const uint8_t *args, size_t len, uint64_t *out,
                               size_t n) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, type, args, len, &it);
  for (size_t i = 0; r == ZG_SC_OK && i < n; i++)
    if (!zg__abi_u64(&out[i], &it[i])) r = zg__sc_revert(res, WHO ": argument out of range");
  zg_abi_arena_clear(&a);
  return r;
}

static zg_sc_status_t m_epoch_seed(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint64_t e;
  uint8_t seed[32];
  SC_TRY(u64_args(res, "(uint256)", args, len, &e, 1));
  SC_HTRY(seed_of(h, e, seed));
  zg_abi_value_t v = zg_abi_fbytes(seed, 32);
  return zg__sc_ret(res, "(bytes32)", &v, 1);
}

static zg_sc_status_t m_quorum_count(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint64_t e;
  zg__da_params_t p;
  zg_da_epoch_signer_t *s;
  size_t n;
  SC_TRY(u64_args(res, "(uint256)", args, len, &e, 1));
  SC_HTRY(zg__da_params(h, &p));
  SC_HTRY(zg__da_epoch_signers(h, e, &s, &n));
  uint64_t q = zg_da_quorum_count(zg_da_total_tickets(s, n), (unsigned)p.slots_per_quorum);
  free(s);
  zg_abi_value_t v = zg_abi_u64(q);
  return zg__sc_ret(res, "(uint256)", &v, 1);
}

static zg_sc_status_t m_get_quorum(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint64_t eq[2];
  zg__da_params_t p;
  zg_da_epoch_signer_t *s;
  size_t n;
  SC_TRY(u64_args(res, "(uint256,uint256)", args, len, eq, 2));
  SC_HTRY(zg__da_params(h, &p));
  SC_HTRY(zg__da_epoch_signers(h, eq[0], &s, &n));
  size_t t = zg_da_total_tickets(s, n);
  zg_da_ticket_t *scratch = malloc((t ? t : 1) * sizeof *scratch);
  uint32_t slot[ZG_DA_COLUMNS];
  zg_abi_value_t v[ZG_DA_COLUMNS];
  zg_sc_status_t r = ZG_SC_OK;
  if (!scratch) r = zg__sc_fail(res, ZG_ENOMEM);
  zg_err_t e = r == ZG_SC_OK ? zg_da_assign(slot, (unsigned)p.slots_per_quorum, eq[1], s, n, scratch) : ZG_OK;
  if (r == ZG_SC_OK && e == ZG_ERANGE) r = zg__sc_revert(res, WHO ": no such quorum");
  else if (r == ZG_SC_OK && e != ZG_OK) r = zg__sc_fail(res, e);
  if (r == ZG_SC_OK) {
    for (unsigned j = 0; j < p.slots_per_quorum; j++) v[j] = zg_abi_address(s[slot[j]].addr);
    zg_abi_value_t arr = zg_abi_array(v, p.slots_per_quorum);
    r = zg__sc_ret(res, "(address[])", &arr, 1);
  }
  free(scratch);
  free(s);
  return r;
}

static zg_sc_status_t m_epoch_signers(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint64_t e;
  zg_da_epoch_signer_t *s;
  size_t n;
  SC_TRY(u64_args(res, "(uint256)", args, len, &e, 1));
  SC_HTRY(zg__da_epoch_signers(h, e, &s, &n));
  zg_abi_value_t *v = malloc((3 * n + 1) * sizeof *v);
  if (!v) {
    free(s);
    return zg__sc_fail(res, ZG_ENOMEM);
  }
  for (size_t i = 0; i < n; i++) {
    v[i] = zg_abi_address(s[i].addr);
    v[n + i] = zg_abi_u64(s[i].tickets);
    v[2 * n + i] = zg_abi_fbytes(s[i].output, 32);
  }
  zg_abi_value_t arr[3] = {zg_abi_array(v, n), zg_abi_array(v + n, n), zg_abi_array(v + 2 * n, n)};
  zg_sc_status_t r = zg__sc_ret(res, "(address[],uint256[],bytes32[])", arr, 3);
  free(v);
  free(s);
  return r;
}

/* ---- genesis: root["da"] parameters (all optional) and signers ---- */

/* Hex text of exactly n bytes into out; false when absent or malformed. */
static bool json_hex(uint8_t *out, size_t n, const json_t *o, const char *name) {
  const char *t = json_string_value(json_object_get(o, name));
  return t && zg_hex_decode(out, n, t, strlen(t)) == ZG_OK;
}

/* Prefixes a revert reason with the genesis signer it concerns. */
static zg_sc_status_t genesis_revert(zg_sc_result_t *res, size_t i, const char *what) {
  char why[sizeof res->reason];
  memcpy(why, res->reason, sizeof why);
  return zg__sc_revert(res, "DASigners genesis: signer %zu (%s): %.180s", i, what, why);
}

/* root["da"]["signers"]: each {address, blsPublicKey, pop, endpoint, stake,
 * vrf: [sig for epoch 0, sig for epoch 1]} is registered in epoch 0 with
 * its stake bond (DASigners' alloc must hold the sum) and opted in for
 * epochs 0 and 1 with every check registerSigner and registerNextEpoch
 * make, except the registration age (nobody could register before
 * genesis). Epoch 0's opt-ins all land before epoch 1's, since seed(1)
 * mixes epoch 0's outputs. */
static zg_sc_status_t genesis_signers(zg_sc_host_t *h, zg_sc_result_t *res, const json_t *arr) {
  size_t n = json_array_size(arr);
  if (!json_is_array(arr) || n > ZG_DA_MAX_SIGNERS_PER_EPOCH)
    return zg__sc_revert(res, "DASigners genesis: da.signers must be an array of at most 1024");
  zg_u256_t sum = zg_u256_from_u64(0), bal;
  for (size_t i = 0; i < n; i++) {
    const json_t *o = json_array_get(arr, i);
    uint8_t addr[20], pk[48], pop[96];
    const char *ep = json_string_value(json_object_get(o, "endpoint"));
    const char *st = json_string_value(json_object_get(o, "stake"));
    zg_u256_t stake;
    if (!json_hex(addr, 20, o, "address") || !json_hex(pk, 48, o, "blsPublicKey") || !json_hex(pop, 96, o, "pop") ||
        !ep || !st || zg_u256_parse(&stake, st, strlen(st)) != ZG_OK ||
        json_array_size(json_object_get(o, "vrf")) != 2)
      return zg__sc_revert(res, "DASigners genesis: signer %zu needs address, blsPublicKey, pop, endpoint, stake, "
                                "vrf [2 signatures]", i);
    zg_abi_value_t sock = zg_abi_string(ep);
    zg_sc_status_t r = register_as(h, res, addr, pk, 48, pop, 96, &sock, &stake);
    if (r == ZG_SC_REVERT) return genesis_revert(res, i, "register");
    if (r != ZG_SC_OK) return r;
    if (!zg_u256_add(&sum, &sum, &stake)) return zg__sc_revert(res, "DASigners genesis: stakes overflow");
  }
  SC_HTRY(h->balance(h, &h->self, &bal));
  if (zg_u256_cmp(&bal, &sum) < 0)
    return zg__sc_revert(res, "DASigners genesis: balance below the signers' stakes (fund it in alloc)");
  for (uint64_t e = 0; e < 2; e++) {
    for (size_t i = 0; i < n; i++) {
      const json_t *o = json_array_get(arr, i);
      const char *vt = json_string_value(json_array_get(json_object_get(o, "vrf"), e));
      uint8_t addr[20], sig[ZG_DA_SIG_LEN];
      signer_t s;
      bool found;
      if (!json_hex(addr, 20, o, "address") || !vt || zg_hex_decode(sig, sizeof sig, vt, strlen(vt)) != ZG_OK)
        return zg__sc_revert(res, "DASigners genesis: signer %zu: vrf[%u] is not a 96-byte signature", i,
                             (unsigned)e);
      SC_HTRY(signer_get(h, addr, &s, &found));
      if (!found) return zg__sc_fail(res, ZG_ECORRUPT);
      zg_sc_status_t r = opt_in_as(h, res, addr, &s, e, sig, sizeof sig);
      if (r == ZG_SC_REVERT) return genesis_revert(res, i, e == 0 ? "opt in for epoch 0" : "opt in for epoch 1");
      if (r != ZG_SC_OK) return r;
    }
  }
  return ZG_SC_OK;
}



static zg_sc_status_t das_genesis(zg_sc_host_t *h, const void *genesis_json, zg_sc_result_t *res) {
  zg__da_params_t p;
  SC_HTRY(zg__da_params(h, &p));
  const json_t *da = genesis_json ? json_object_get(genesis_json, "da") : NULL;
  if (!da) return zg__sc_ret(res, "()", NULL, 0);
  /* zg__json_* read root["storage"][name]: wrap "da" under that name. */
  json_t *root = json_object();
  if (!root) return zg__sc_fail(res, ZG_ENOMEM);
  bool ok = json_object_set(root, "storage", (json_t *)da) == 0;
  zg__json_u64(&p.slots_per_quorum, &ok, root, "slotsPerQuorum");
  zg__json_u256(&p.tokens_per_slot, &ok, root, "tokensPerSlot");
  zg__json_u64(&p.max_slots_per_signer, &ok, root, "maxSlotsPerSigner");
  zg__json_u64(&p.max_blob, &ok, root, "maxBlobSize");
  zg__json_u256(&p.blob_fee, &ok, root, "blobFee");
  zg__json_u64(&p.certify_window, &ok, root, "certifyWindowEpochs");
  json_decref(root);
  if (!ok || p.slots_per_quorum == 0 || p.slots_per_quorum > ZG_DA_COLUMNS || p.max_slots_per_signer == 0 ||
      p.max_slots_per_signer > 4096 || p.max_blob == 0 || p.certify_window == 0)
    return zg__sc_revert(res, "DASigners genesis: da parameters malformed");
  uint8_t v[PARAMS_LEN];
  zg_store_be64(v, p.slots_per_quorum);
  zg_u256_to_be32(v + 8, &p.tokens_per_slot);
  zg_store_be64(v + 40, p.max_slots_per_signer);
  zg_store_be64(v + 48, p.max_blob);
  zg_u256_to_be32(v + 56, &p.blob_fee);
  zg_store_be64(v + 88, p.certify_window);
  SC_HTRY(h->sput(h, K_PARAMS, 2, v, PARAMS_LEN));
  const json_t *signers = json_object_get(da, "signers");
  if (signers) SC_TRY(genesis_signers(h, res, signers));
  return zg__sc_ret(res, "()", NULL, 0);
}

static const zg_sc_method_t das_methods[] = {
    {ZG_DAS_REGISTER_SIGNER, 0, 150000, m_register},
    {ZG_DAS_UPDATE_SOCKET, 0, 20000, m_update_socket},
    {ZG_DAS_DEPOSIT, ZG_SC_PAYABLE, 20000, m_deposit},
    {ZG_DAS_WITHDRAW, 0, 30000, m_withdraw},
    {ZG_DAS_REGISTER_NEXT_EPOCH, 0, 150000, m_register_next},
    {ZG_DAS_EPOCH_NUMBER, ZG_SC_VIEW, 1000, m_epoch_number},
    {ZG_DAS_PARAMS, ZG_SC_VIEW, 2000, m_params},
    {ZG_DAS_IS_SIGNER, ZG_SC_VIEW, 2000, m_is_signer},
    {ZG_DAS_GET_SIGNER, ZG_SC_VIEW, 3000, m_get_signer},
    {ZG_DAS_EPOCH_SEED, ZG_SC_VIEW, 20000, m_epoch_seed},
    {ZG_DAS_QUORUM_COUNT, ZG_SC_VIEW, 20000, m_quorum_count},
    {ZG_DAS_GET_QUORUM, ZG_SC_VIEW, 100000, m_get_quorum},
    {ZG_DAS_EPOCH_SIGNERS, ZG_SC_VIEW, 20000, m_epoch_signers},
};

const zg_sc_contract_t zg_dasigners_contract = {
    .name = "DASigners",
    .address = {ZG_DASIGNERS_ADDRESS_BYTES},
    .lane = ZG_DA_CONTRACTS_LANE,
    .methods = das_methods,
    .n_methods = sizeof das_methods / sizeof das_methods[0],
    .genesis = das_genesis,
};

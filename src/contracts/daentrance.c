/*
 * daentrance.c — the DAEntrance system contract (zg/da_contracts.h,
 * docs/da-contracts.md): blobs are registered by their digest with a fee,
 * then certified by a certificate whose signers hold >= 2/3 of a quorum's
 * slots in DASigners' slot assignment and whose aggregate BLS signature over
 * the sign digest (zg/da_blob.h) verifies against the sum of their keys.
 *
 * Storage (DAEntrance's namespace, keys start with 'E'):
 *   "En"               u64 blobs registered (ids are 1..n)
 *   'E''b' be64 id     digest (32) | submitEpoch u64 | status u8 | certEpoch u64 | quorum u64
 *   'E''d' digest      id u64 (the latest id of that digest)
 *   'E''c' be64 id     certificate wire form (zg_da_cert_encode)
 *
 * Invariants: a stored status is QUEUED, DISPERSING, CERTIFIED or FAILED;
 * CERTIFIED and FAILED are final; a QUEUED/DISPERSING blob is reported
 * FAILED ("expired") once the epoch passes submitEpoch + certifyWindow; a
 * digest has at most one blob that is not FAILED. Fees stay in DAEntrance's
 * balance (paying signers from them is not built yet).
 */
#include <stdlib.h>
#include <string.h>

#include "da_internal.h"
#include "zg/bls.h"

#define WHO "DAEntrance"

const zg_eth_addr_t zg_daentrance_address = {ZG_DAENTRANCE_ADDRESS_BYTES};

static const uint8_t K_COUNT[] = "En";

enum { BLOB_LEN = 32 + 8 + 1 + 8 + 8, MAX_BATCH = 64 };

typedef struct {
  uint8_t digest[32];
  uint64_t submit_epoch;
  uint8_t status;
  uint64_t cert_epoch, quorum;
} blob_t;

static size_t id_key(uint8_t k[10], uint8_t tag, uint64_t id) {
  k[0] = 'E';
  k[1] = tag;
  zg_store_be64(k + 2, id);
  return 10;
}

static size_t digest_key(uint8_t k[34], const uint8_t d[32]) {
  k[0] = 'E';
  k[1] = 'd';
  memcpy(k + 2, d, 32);
  return 34;
}

static zg_err_t blob_get(zg_sc_host_t *h, uint64_t id, blob_t *b, bool *found) {
  uint8_t k[10], v[BLOB_LEN];
  memset(b, 0, sizeof *b);
  ZG_TRY(zg__sc_get(h, k, id_key(k, 'b', id), v, BLOB_LEN, found));
  if (*found) {
    memcpy(b->digest, v, 32);
    b->submit_epoch = zg_load_be64(v + 32);
    b->status = v[40];
    b->cert_epoch = zg_load_be64(v + 41);
    b->quorum = zg_load_be64(v + 49);
  }
  return ZG_OK;
}

static zg_err_t blob_put(zg_sc_host_t *h, uint64_t id, const blob_t *b) {
  uint8_t k[10], v[BLOB_LEN];
  memcpy(v, b->digest, 32);
  zg_store_be64(v + 32, b->submit_epoch);
  v[40] = b->status;
  zg_store_be64(v + 41, b->cert_epoch);
  zg_store_be64(v + 49, b->quorum);
  return h->sput(h, k, id_key(k, 'b', id), v, BLOB_LEN);
}

/* The status as of now: an open blob past its window has failed. */
static unsigned effective_status(const zg_sc_host_t *h, const blob_t *b, const zg__da_params_t *p) {
  bool open = b->status == ZG_DA_STATUS_QUEUED || b->status == ZG_DA_STATUS_DISPERSING;
  if (open && h->epoch > b->submit_epoch + p->certify_window) return ZG_DA_STATUS_FAILED;
  return b->status;
}

static zg_err_t quorums_now(zg_sc_host_t *h, const zg__da_params_t *p, uint64_t *q) {
  zg_da_epoch_signer_t *s;
  size_t n;
  ZG_TRY(zg__da_epoch_signers(h, h->epoch, &s, &n));
  *q = zg_da_quorum_count(zg_da_total_tickets(s, n), (unsigned)p->slots_per_quorum);
  free(s);
  return ZG_OK;
}

/* ---- submitOriginalData ---- */

static zg_sc_status_t submit_inner(zg_sc_host_t *h, zg_sc_result_t *res, const zg_abi_value_t *arr, uint64_t *ids) {
  zg__da_params_t p;
  SC_HTRY(zg__da_params(h, &p));
  size_t n = arr->len;
  if (n == 0 || n > MAX_BATCH) return zg__sc_revert(res, WHO ": 1..64 blobs per call");
  zg_u256_t fee;
  if (!zg_u256_mul_u64(&fee, &p.blob_fee, n) || zg_u256_cmp(&h->value, &fee) < 0)
    return zg__sc_revert(res, WHO ": fee too low");
  uint64_t quorums, count;
  SC_HTRY(quorums_now(h, &p, &quorums));
  SC_HTRY(zg__sc_get_u64(h, K_COUNT, 2, &count, 0));
  for (size_t i = 0; i < n; i++) {
    const uint8_t *d = arr->u.items[i].u.word;
    uint8_t dk[34], w[8];
    bool found;
    SC_HTRY(zg__sc_get(h, dk, digest_key(dk, d), w, 8, &found));
    if (found) {
      blob_t old;
      SC_HTRY(blob_get(h, zg_load_be64(w), &old, &found));
      if (found && effective_status(h, &old, &p) != ZG_DA_STATUS_FAILED)
        return zg__sc_revert(res, WHO ": blob already submitted");
    }
    blob_t b = {.submit_epoch = h->epoch,
                .status = quorums ? ZG_DA_STATUS_DISPERSING : ZG_DA_STATUS_QUEUED};
    memcpy(b.digest, d, 32);
    ids[i] = ++count;
    SC_HTRY(blob_put(h, ids[i], &b));
    zg_store_be64(w, ids[i]);
    SC_HTRY(h->sput(h, dk, 34, w, 8));
    uint8_t t[1][32];
    zg_abi_value_t idv = zg_abi_u64(ids[i]);
    memcpy(t[0], idv.u.word, 32);
    zg_abi_value_t ev[2] = {zg_abi_fbytes(d, 32), zg_abi_u64(h->epoch)};
    SC_HTRY(zg__sc_emit(h, ZG_DAE_EV_DATA_UPLOAD, (const uint8_t(*)[32])t, 1, "(bytes32,uint256)", ev, 2));
  }
  SC_HTRY(zg__sc_put_u64(h, K_COUNT, 2, count));
  return ZG_SC_OK;
}

static zg_sc_status_t m_submit(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  uint64_t ids[MAX_BATCH];
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(bytes32[])", args, len, &it);
  size_t n = r == ZG_SC_OK ? it[0].len : 0;
  if (r == ZG_SC_OK) r = submit_inner(h, res, &it[0], ids);
  zg_abi_arena_clear(&a);
  if (r != ZG_SC_OK) return r;
  zg_abi_value_t v[MAX_BATCH];
  for (size_t i = 0; i < n; i++) v[i] = zg_abi_u64(ids[i]);
  zg_abi_value_t arr = zg_abi_array(v, n);
  return zg__sc_ret(res, "(uint256[])", &arr, 1);
}

/* ---- submitCertificate ---- */

/* Checks the bitmap against quorum q of the certificate's epoch and the
 * aggregate signature against the distinct signers' keys. */
static zg_sc_status_t verify_cert(zg_sc_host_t *h, zg_sc_result_t *res, const zg__da_params_t *p,
                                  const zg_da_cert_t *c) {
  unsigned S = (unsigned)p->slots_per_quorum;
  for (unsigned j = S; j < ZG_DA_COLUMNS; j++)
    if (zg_da_bitmap_get(c->bitmap, j)) return zg__sc_revert(res, WHO ": bitmap sets slots outside the quorum");
  unsigned set = zg_da_bitmap_count(c->bitmap);
  if (3 * set < 2 * S) return zg__sc_revert(res, WHO ": signers hold less than 2/3 of the quorum's slots");
  zg_bls_sig_t sig;
  if (zg_bls_sig_parse(&sig, c->sig, ZG_DA_SIG_LEN) != ZG_OK)
    return zg__sc_revert(res, WHO ": invalid aggregate signature");
  zg_da_epoch_signer_t *s;
  size_t n;
  SC_HTRY(zg__da_epoch_signers(h, c->epoch, &s, &n));
  size_t t = zg_da_total_tickets(s, n);
  zg_da_ticket_t *scratch = malloc((t ? t : 1) * sizeof *scratch);
  zg_bls_pk_t *pks = malloc(ZG_DA_COLUMNS * sizeof *pks);
  bool *used = calloc(n ? n : 1, 1);
  uint32_t slot[ZG_DA_COLUMNS];
  size_t npk = 0;
  bool ok = false;
  zg_sc_status_t r = ZG_SC_OK;
  zg_err_t e;
  if (!scratch || !pks || !used) {
    r = zg__sc_fail(res, ZG_ENOMEM);
    goto out;
  }
  e = zg_da_assign(slot, S, c->quorum_id, s, n, scratch);
  if (e == ZG_ERANGE) {
    r = zg__sc_revert(res, WHO ": no such quorum");
    goto out;
  }
  if (e != ZG_OK) {
    r = zg__sc_fail(res, e);
    goto out;
  }
  for (unsigned j = 0; j < S; j++) {
    if (!zg_da_bitmap_get(c->bitmap, j) || used[slot[j]]) continue;
    used[slot[j]] = true;
    uint8_t pkb[48];
    bool found;
    e = zg__da_signer_pk(h, s[slot[j]].addr, pkb, &found);
    if (e == ZG_OK && !found) e = ZG_ECORRUPT;
    if (e == ZG_OK) e = zg_bls_pk_parse(&pks[npk], pkb, 48);
    if (e != ZG_OK) {
      r = zg__sc_fail(res, e);
      goto out;
    }
    npk++;
  }
  uint8_t msg[32];
  zg_da_sign_digest(msg, h->chain_id, c->blob_digest, c->epoch, c->quorum_id);
  e = zg_bls_fast_aggregate_verify(&ok, pks, npk, msg, sizeof msg, &sig);
  if (e != ZG_OK) r = zg__sc_fail(res, e);
  else if (!ok) r = zg__sc_revert(res, WHO ": invalid aggregate signature");
out:
  free(used);
  free(pks);
  free(scratch);
  free(s);
  return r;
}

/* Every check of submitCertificate (shared with the checkCertificate view):
 * *c, *id and *b get the certificate, the blob id and its record. */
static zg_sc_status_t cert_check(zg_sc_host_t *h, zg_sc_result_t *res, const zg_abi_value_t *certv, zg_da_cert_t *cp,
                                 uint64_t *idp, blob_t *bp) {
  zg_da_cert_t c;
  zg__da_params_t p;
  if (zg_da_cert_parse(&c, certv->u.bytes, certv->len) != ZG_OK)
    return zg__sc_revert(res, WHO ": malformed certificate");
  SC_HTRY(zg__da_params(h, &p));
  uint8_t dk[34], w[8];
  bool found;
  SC_HTRY(zg__sc_get(h, dk, digest_key(dk, c.blob_digest), w, 8, &found));
  if (!found) return zg__sc_revert(res, WHO ": unknown blob");
  uint64_t id = zg_load_be64(w);
  blob_t b;
  SC_HTRY(blob_get(h, id, &b, &found));
  if (!found) return zg__sc_fail(res, ZG_ECORRUPT);
  unsigned st = effective_status(h, &b, &p);
  if (st == ZG_DA_STATUS_CERTIFIED) return zg__sc_revert(res, WHO ": already certified");
  if (st == ZG_DA_STATUS_FAILED) return zg__sc_revert(res, WHO ": blob expired");
  if (c.epoch > h->epoch || c.epoch + 1 < h->epoch || c.epoch < b.submit_epoch)
    return zg__sc_revert(res, WHO ": certificate epoch out of range");
  SC_TRY(verify_cert(h, res, &p, &c));
  *cp = c;
  *idp = id;
  *bp = b;
  return ZG_SC_OK;
}

static zg_sc_status_t certify_inner(zg_sc_host_t *h, zg_sc_result_t *res, const zg_abi_value_t *certv) {
  zg_da_cert_t c;
  uint64_t id;
  blob_t b;
  SC_TRY(cert_check(h, res, certv, &c, &id, &b));
  b.status = ZG_DA_STATUS_CERTIFIED;
  b.cert_epoch = c.epoch;
  b.quorum = c.quorum_id;
  SC_HTRY(blob_put(h, id, &b));
  uint8_t ck[10];
  SC_HTRY(h->sput(h, ck, id_key(ck, 'c', id), certv->u.bytes, certv->len));
  uint8_t t[1][32];
  zg_abi_value_t idv = zg_abi_u64(id);
  memcpy(t[0], idv.u.word, 32);
  zg_abi_value_t ev[3] = {zg_abi_fbytes(c.blob_digest, 32), zg_abi_u64(c.epoch), zg_abi_u64(c.quorum_id)};
  SC_HTRY(zg__sc_emit(h, ZG_DAE_EV_CERTIFIED, (const uint8_t(*)[32])t, 1, "(bytes32,uint256,uint256)", ev, 3));
  zg_abi_value_t rv = zg_abi_u64(id);
  return zg__sc_ret(res, "(uint256)", &rv, 1);
}

/* checkCertificate(bytes) view: reverts with submitCertificate's reason when
 * the certificate would be refused now, else returns the blob id. */
static zg_sc_status_t m_check_cert(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  zg_da_cert_t c;
  uint64_t id = 0;
  blob_t b;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(bytes)", args, len, &it);
  if (r == ZG_SC_OK) r = cert_check(h, res, &it[0], &c, &id, &b);
  zg_abi_arena_clear(&a);
  if (r != ZG_SC_OK) return r;
  zg_abi_value_t rv = zg_abi_u64(id);
  return zg__sc_ret(res, "(uint256)", &rv, 1);
}

static zg_sc_status_t m_certify(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(bytes)", args, len, &it);
  if (r == ZG_SC_OK) r = certify_inner(h, res, &it[0]);
  zg_abi_arena_clear(&a);
  return r;
}

/* ---- views and markExpired ---- */

static zg_sc_status_t id_arg(zg_sc_result_t *res, const uint8_t *args, size_t len, uint64_t *id) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(uint256)", args, len, &it);
  if (r == ZG_SC_OK && !zg__abi_u64(id, &it[0])) *id = 0; /* no such blob */
  zg_abi_arena_clear(&a);
  return r;
}

static zg_sc_status_t m_mark_expired(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint64_t id;
  blob_t b;
  bool found;
  zg__da_params_t p;
  SC_TRY(id_arg(res, args, len, &id));
  SC_HTRY(zg__da_params(h, &p));
  SC_HTRY(blob_get(h, id, &b, &found));
  if (!found) return zg__sc_revert(res, WHO ": unknown blob");
  if (b.status == ZG_DA_STATUS_FAILED || effective_status(h, &b, &p) != ZG_DA_STATUS_FAILED)
    return zg__sc_revert(res, WHO ": not expired");
  b.status = ZG_DA_STATUS_FAILED;
  SC_HTRY(blob_put(h, id, &b));
  return zg__sc_ret(res, "()", NULL, 0);
}

static zg_sc_status_t m_get_status(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint64_t id;
  blob_t b;
  bool found;
  zg__da_params_t p;
  SC_TRY(id_arg(res, args, len, &id));
  SC_HTRY(zg__da_params(h, &p));
  SC_HTRY(blob_get(h, id, &b, &found));
  unsigned st = found ? effective_status(h, &b, &p) : ZG_DA_STATUS_NONE;
  uint64_t ep = b.status == ZG_DA_STATUS_CERTIFIED ? b.cert_epoch : b.submit_epoch;
  zg_abi_value_t v[4] = {zg_abi_u64(st), zg_abi_fbytes(b.digest, 32), zg_abi_u64(ep),
                         zg_abi_string(st == ZG_DA_STATUS_FAILED ? "expired" : "")};
  return zg__sc_ret(res, "(uint8,bytes32,uint256,string)", v, 4);
}

static zg_sc_status_t m_get_certificate(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  uint64_t id;
  uint8_t k[10], c[ZG_DA_CERT_WIRE_LEN];
  bool found;
  SC_TRY(id_arg(res, args, len, &id));
  SC_HTRY(zg__sc_get(h, k, id_key(k, 'c', id), c, sizeof c, &found));
  if (!found) return zg__sc_revert(res, WHO ": not certified");
  zg_abi_value_t v = zg_abi_bytes(c, sizeof c);
  return zg__sc_ret(res, "(bytes)", &v, 1);
}

static zg_sc_status_t m_blob_id(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  uint8_t dk[34], w[8] = {0};
  bool found = false;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(bytes32)", args, len, &it);
  if (r == ZG_SC_OK && zg__sc_get(h, dk, digest_key(dk, it[0].u.word), w, 8, &found) != ZG_OK)
    r = zg__sc_fail(res, ZG_EIO);
  zg_abi_arena_clear(&a);
  SC_TRY(r);
  zg_abi_value_t v = zg_abi_u64(found ? zg_load_be64(w) : 0);
  return zg__sc_ret(res, "(uint256)", &v, 1);
}

static zg_sc_status_t m_blob_fee(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  (void)args, (void)len;
  zg__da_params_t p;
  SC_HTRY(zg__da_params(h, &p));
  zg_abi_value_t v = zg__abi_u256(&p.blob_fee);
  return zg__sc_ret(res, "(uint256)", &v, 1);
}

static const zg_sc_method_t dae_methods[] = {
    {ZG_DAE_SUBMIT_ORIGINAL_DATA, ZG_SC_PAYABLE, 50000, m_submit},
    {ZG_DAE_SUBMIT_CERTIFICATE, 0, 300000, m_certify},
    {ZG_DAE_MARK_EXPIRED, 0, 10000, m_mark_expired},
    {ZG_DAE_BLOB_ID, ZG_SC_VIEW, 2000, m_blob_id},
    {ZG_DAE_GET_STATUS, ZG_SC_VIEW, 3000, m_get_status},
    {ZG_DAE_GET_CERTIFICATE, ZG_SC_VIEW, 3000, m_get_certificate},
    {ZG_DAE_BLOB_FEE, ZG_SC_VIEW, 1000, m_blob_fee},
    {ZG_DAE_CHECK_CERTIFICATE, ZG_SC_VIEW, 300000, m_check_cert},
};

const zg_sc_contract_t zg_daentrance_contract = {
    .name = "DAEntrance",
    .address = {ZG_DAENTRANCE_ADDRESS_BYTES},
    .lane = ZG_DA_CONTRACTS_LANE,
    .methods = dae_methods,
    .n_methods = sizeof dae_methods / sizeof dae_methods[0],
};

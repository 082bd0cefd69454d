/*
 * client.c — DA dispersal and retrieval against signer roles
 * (zg/da_client.h): one thread per signer, each with its own HTTP client;
 * every answer judged on its own so one bad signer cannot spoil the rest.
 *
 * Invariants: a signature enters the aggregate only after it verified
 * under that signer's registered key; a column enters decoding only after
 * its signer's header hashed to the requested blob digest and its cells
 * verified against the row commitments.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/bls.h"
#include "zg/da_client.h"
#include "zg/da_signer.h"
#include "zg/rpc_client.h"

const char *zg_da_peer_status_str(zg_da_peer_status_t st) {
  switch (st) {
  case ZG_DA_PEER_OK: return "ok";
  case ZG_DA_PEER_DOWN: return "down";
  case ZG_DA_PEER_REFUSED: return "refused";
  case ZG_DA_PEER_BADSIG: return "bad-signature";
  case ZG_DA_PEER_CORRUPT: return "corrupt";
  case ZG_DA_PEER_NOSLOTS: return "no-slots";
  }
  return "?";
}

/* POSTs body to url+path; *st gets DOWN/REFUSED unless a 200 came back. */
static zg_da_peer_status_t post(zg_buf_t *resp, const char *url, const char *path, const zg_buf_t *body,
                                unsigned timeout_ms) {
  char full[512];
  zg_rpc_client_t *c = NULL;
  long status = 0;
  if (snprintf(full, sizeof full, "%s%s", url, path) >= (int)sizeof full) return ZG_DA_PEER_DOWN;
  if (zg_rpc_client_create(&c, full, timeout_ms ? timeout_ms : 60000)) return ZG_DA_PEER_DOWN;
  zg_err_t err = zg_rpc_client_post(c, resp, &status, body->ptr, body->len);
  zg_rpc_client_destroy(c);
  if (err || status >= 500 || status == 0) return ZG_DA_PEER_DOWN;
  if (status != 200) return ZG_DA_PEER_REFUSED;
  return ZG_DA_PEER_OK;
}

/* ---- Dispersal ---- */

typedef struct {
  const zg_da_encoded_t *e;
  const zg_da_peer_t *peer;
  const zg_da_disperse_opts_t *opts;
  const uint8_t *msg; /* the sign digest */
  zg_da_peer_status_t st;
  zg_bls_sig_t sig;
  zg_bls_pk_t pk;
} disp_job_t;

static zg_da_peer_status_t disperse_one(disp_job_t *j) {
  size_t rows = j->e->rows;
  zg_da_column_t cols[ZG_DA_COLUMNS];
  size_t n = 0;
  uint8_t *buf = NULL;
  zg_buf_t body, resp;
  zg_da_peer_status_t st = ZG_DA_PEER_DOWN;
  bool ok = false;
  zg_buf_init(&body);
  zg_buf_init(&resp);
  for (unsigned c = 0; c < ZG_DA_COLUMNS; c++) n += zg_da_bitmap_get(j->peer->slots, c);
  if (n == 0) return ZG_DA_PEER_NOSLOTS;
  if (zg_bls_pk_parse(&j->pk, j->peer->pubkey, 48)) return ZG_DA_PEER_BADSIG;
  buf = malloc(n * rows * (ZG_DA_CELL_BYTES + ZG_DA_PROOF_LEN));
  if (!buf) goto out;
  n = 0;
  for (unsigned c = 0; c < ZG_DA_COLUMNS; c++) {
    if (!zg_da_bitmap_get(j->peer->slots, c)) continue;
    uint8_t *cells = buf + n * rows * (ZG_DA_CELL_BYTES + ZG_DA_PROOF_LEN);
    uint8_t *proofs = cells + rows * ZG_DA_CELL_BYTES;
    if (zg_da_extract_column(j->e, c, cells, proofs)) goto out;
    cols[n] = (zg_da_column_t){c, cells, rows * ZG_DA_CELL_BYTES, proofs, rows * ZG_DA_PROOF_LEN};
    n++;
  }
  zg_da_header_t h = zg_da_encoded_header(j->e);
  if (zg_da_store_req_encode(&body, &h, j->opts->epoch, j->opts->quorum_id, cols, n)) goto out;
  free(buf);
  buf = NULL;
  st = post(&resp, j->peer->url, "/da/v1/store", &body, j->opts->timeout_ms);
  if (st != ZG_DA_PEER_OK) goto out;
  st = ZG_DA_PEER_BADSIG;
  if (resp.len != ZG_DA_SIG_LEN + 48 || zg_bls_sig_parse(&j->sig, resp.ptr, ZG_DA_SIG_LEN)) goto out;
  if (zg_bls_verify(&ok, &j->pk, j->msg, 32, &j->sig) || !ok) goto out;
  st = ZG_DA_PEER_OK;
out:
  free(buf);
  zg_buf_clear(&body);
  zg_buf_clear(&resp);
  return st;
}

static void *disperse_thread(void *arg) {
  disp_job_t *j = arg;
  j->st = disperse_one(j);
  return NULL;
}

zg_err_t zg_da_disperse(const zg_da_ctx_t *ctx, zg_da_disperse_result_t *res, zg_da_peer_status_t *status,
                        const zg_da_encoded_t *e, const zg_da_peer_t *peers, size_t n,
                        const zg_da_disperse_opts_t *opts) {
  zg_err_t err = ZG_OK;
  disp_job_t *jobs = NULL;
  pthread_t *th = NULL;
  zg_bls_sig_t *sigs = NULL;
  zg_bls_pk_t *pks = NULL;
  uint8_t msg[32], seen[ZG_DA_BITMAP_LEN] = {0};
  size_t good = 0;
  if (res) memset(res, 0, sizeof *res);
  if (!ctx || !res || !e || !peers || n == 0 || !opts) return ZG_EINVAL;
  for (size_t i = 0; i < n; i++) {
    if (!peers[i].url) return ZG_EINVAL;
    for (unsigned b = 0; b < ZG_DA_BITMAP_LEN; b++) {
      if (seen[b] & peers[i].slots[b]) return ZG_EINVAL;
      seen[b] |= peers[i].slots[b];
    }
  }
  zg_da_header_t h = zg_da_encoded_header(e);
  err = zg_da_blob_digest(res->cert.blob_digest, &h);
  if (err) return err;
  res->cert.epoch = opts->epoch;
  res->cert.quorum_id = opts->quorum_id;
  zg_da_sign_digest(msg, opts->chain_id, res->cert.blob_digest, opts->epoch, opts->quorum_id);
  jobs = calloc(n, sizeof *jobs);
  th = calloc(n, sizeof *th);
  sigs = calloc(n, sizeof *sigs);
  pks = calloc(n, sizeof *pks);
  if (!jobs || !th || !sigs || !pks) {
    err = ZG_ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    jobs[i] = (disp_job_t){.e = e, .peer = &peers[i], .opts = opts, .msg = msg, .st = ZG_DA_PEER_DOWN};
    if (pthread_create(&th[i], NULL, disperse_thread, &jobs[i])) disperse_thread(&jobs[i]), th[i] = 0;
  }
  for (size_t i = 0; i < n; i++)
    if (th[i]) pthread_join(th[i], NULL);
  for (size_t i = 0; i < n; i++) {
    if (status) status[i] = jobs[i].st;
    if (jobs[i].st != ZG_DA_PEER_OK) continue;
    sigs[good] = jobs[i].sig;
    pks[good] = jobs[i].pk;
    good++;
    for (unsigned c = 0; c < ZG_DA_COLUMNS; c++)
      if (zg_da_bitmap_get(peers[i].slots, c)) zg_da_bitmap_set(res->cert.bitmap, c);
  }
  res->signed_slots = zg_da_bitmap_count(res->cert.bitmap);
  if (good > 0) {
    zg_bls_sig_t agg;
    bool ok = false;
    err = zg_bls_aggregate(&agg, sigs, good);
    if (!err) err = zg_bls_fast_aggregate_verify(&ok, pks, good, msg, 32, &agg);
    if (err) goto out;
    zg_bls_sig_serialize(res->cert.sig, &agg);
    res->certified = ok && res->signed_slots * 3 >= ZG_DA_COLUMNS * 2;
  }
out:
  free(jobs);
  free(th);
  free(sigs);
  free(pks);
  return err;
}

/* ---- Retrieval ---- */

typedef struct {
  const zg_da_ctx_t *ctx;
  const zg_da_peer_t *peer;
  const uint8_t *digest;
  unsigned timeout_ms;
  zg_da_peer_status_t st;
  zg_buf_t resp;           /* owns the bytes r points into */
  zg_da_cells_resp_t r;
} get_job_t;

static zg_da_peer_status_t retrieve_one(get_job_t *j) {
  zg_buf_t body;
  uint8_t t[4], d[32];
  uint32_t n = 0;
  bool ok = false;
  zg_da_peer_status_t st = ZG_DA_PEER_DOWN;
  zg_buf_init(&body);
  for (unsigned c = 0; c < ZG_DA_COLUMNS; c++) n += zg_da_bitmap_get(j->peer->slots, c);
  if (n == 0) return ZG_DA_PEER_NOSLOTS;
  zg_store_be32(t, n);
  if (zg_buf_append(&body, j->digest, 32) || zg_buf_append(&body, t, 4)) goto out;
  for (uint32_t c = 0; c < ZG_DA_COLUMNS; c++) {
    if (!zg_da_bitmap_get(j->peer->slots, c)) continue;
    zg_store_be32(t, c);
    if (zg_buf_append(&body, t, 4)) goto out;
  }
  st = post(&j->resp, j->peer->url, "/da/v1/cells", &body, j->timeout_ms);
  if (st != ZG_DA_PEER_OK) goto out;
  st = ZG_DA_PEER_CORRUPT;
  if (zg_da_cells_resp_parse(&j->r, j->resp.ptr, j->resp.len, NULL)) goto out;
  if (zg_da_blob_digest(d, &j->r.header) || memcmp(d, j->digest, 32) != 0) goto out;
  for (size_t i = 0; i < j->r.n; i++)
    if (!zg_da_bitmap_get(j->peer->slots, j->r.cols[i].index)) goto out;
  if (j->r.n > 0 && (zg_da_verify_columns(j->ctx, &ok, &j->r.header, j->r.cols, j->r.n) || !ok)) goto out;
  st = ZG_DA_PEER_OK;
out:
  if (st != ZG_DA_PEER_OK) j->r.n = 0;
  zg_buf_clear(&body);
  return st;
}

static void *retrieve_thread(void *arg) {
  get_job_t *j = arg;
  j->st = retrieve_one(j);
  return NULL;
}

/* Runs one fetch job per peer in parallel; *jobs_out (n entries) is the
 * caller's to free with free_jobs. */
static zg_err_t fetch_all(get_job_t **jobs_out, const zg_da_ctx_t *ctx, const uint8_t blob_digest[32],
                          const zg_da_peer_t *peers, size_t n, unsigned timeout_ms) {
  get_job_t *jobs = calloc(n, sizeof *jobs);
  pthread_t *th = calloc(n, sizeof *th);
  *jobs_out = NULL;
  if (!jobs || !th) {
    free(jobs);
    free(th);
    return ZG_ENOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    jobs[i].ctx = ctx;
    jobs[i].peer = &peers[i];
    jobs[i].digest = blob_digest;
    jobs[i].timeout_ms = timeout_ms;
    zg_buf_init(&jobs[i].resp);
    if (!peers[i].url) {
      jobs[i].st = ZG_DA_PEER_NOSLOTS;
      continue;
    }
    if (pthread_create(&th[i], NULL, retrieve_thread, &jobs[i])) retrieve_thread(&jobs[i]), th[i] = 0;
  }
  for (size_t i = 0; i < n; i++)
    if (th[i]) pthread_join(th[i], NULL);
  free(th);
  *jobs_out = jobs;
  return ZG_OK;
}

static void free_jobs(get_job_t *jobs, size_t n) {
  if (jobs)
    for (size_t i = 0; i < n; i++) zg_buf_clear(&jobs[i].resp);
  free(jobs);
}

zg_err_t zg_da_retrieve(const zg_da_ctx_t *ctx, zg_buf_t *out, zg_da_retrieve_stats_t *stats,
                        zg_da_peer_status_t *status, const uint8_t blob_digest[32], const zg_da_peer_t *peers,
                        size_t n, unsigned timeout_ms) {
  zg_err_t err = ZG_OK;
  get_job_t *jobs = NULL;
  zg_da_column_t cols[ZG_DA_COLUMNS];
  const zg_da_header_t *h = NULL;
  bool have[ZG_DA_COLUMNS] = {false};
  size_t m = 0;
  if (stats) memset(stats, 0, sizeof *stats);
  if (!ctx || !out || !blob_digest || !peers || n == 0) return ZG_EINVAL;
  err = fetch_all(&jobs, ctx, blob_digest, peers, n, timeout_ms);
  if (err) goto out;
  for (size_t i = 0; i < n; i++) {
    if (status) status[i] = jobs[i].st;
    if (jobs[i].st != ZG_DA_PEER_OK) continue;
    if (!h && jobs[i].r.n) h = &jobs[i].r.header;
    for (size_t k = 0; k < jobs[i].r.n; k++) {
      uint32_t c = jobs[i].r.cols[k].index;
      if (have[c]) continue;
      have[c] = true;
      cols[m++] = jobs[i].r.cols[k];
    }
  }
  if (stats) stats->columns_ok = (unsigned)m;
  if (m < ZG_DA_MIN_COLUMNS || !h) {
    err = ZG_ETOOFEW;
    goto out;
  }
  bool sys = true;
  for (unsigned c = 0; c < ZG_DA_MIN_COLUMNS; c++) sys = sys && have[c];
  if (stats) stats->systematic = sys;
  if (h->payload_len > SIZE_MAX - out->len) {
    err = ZG_EOVERFLOW;
    goto out;
  }
  err = zg_buf_reserve(out, (size_t)h->payload_len);
  if (!err) err = zg_da_decode_to(ctx, out->ptr + out->len, h, cols, m);
  if (!err) out->len += (size_t)h->payload_len;
out:
  free_jobs(jobs, n);
  return err;
}

/* splitmix64: the sampler's column draw (not secret, reproducible). */
static uint64_t mix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

zg_err_t zg_da_sample(const zg_da_ctx_t *ctx, unsigned *verified, double *confidence, zg_da_peer_status_t *status,
                      const uint8_t blob_digest[32], const zg_da_peer_t *peers, size_t n, unsigned samples,
                      uint64_t seed, unsigned timeout_ms) {
  uint8_t pick[ZG_DA_BITMAP_LEN] = {0};
  uint32_t order[ZG_DA_COLUMNS];
  zg_da_peer_t *sub = NULL;
  get_job_t *jobs = NULL;
  unsigned got = 0, asked = 0;
  zg_err_t err;
  if (verified) *verified = 0;
  if (confidence) *confidence = 0;
  if (!ctx || !verified || !confidence || !blob_digest || !peers || n == 0 || samples == 0 ||
      samples > ZG_DA_COLUMNS)
    return ZG_EINVAL;
  for (uint32_t i = 0; i < ZG_DA_COLUMNS; i++) order[i] = i;
  for (uint32_t i = 0; i < samples; i++) { /* partial Fisher-Yates */
    uint32_t j = i + (uint32_t)(mix64(&seed) % (ZG_DA_COLUMNS - i)), t = order[i];
    order[i] = order[j];
    order[j] = t;
    zg_da_bitmap_set(pick, order[i]);
  }
  sub = calloc(n, sizeof *sub);
  if (!sub) return ZG_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    sub[i] = peers[i];
    for (unsigned b = 0; b < ZG_DA_BITMAP_LEN; b++) sub[i].slots[b] &= pick[b];
    asked += zg_da_bitmap_count(sub[i].slots);
  }
  err = fetch_all(&jobs, ctx, blob_digest, sub, n, timeout_ms);
  if (err) goto out;
  for (size_t i = 0; i < n; i++) {
    if (status) status[i] = jobs[i].st;
    if (jobs[i].st == ZG_DA_PEER_OK) got += (unsigned)jobs[i].r.n;
  }
  *verified = got;
  if (got == samples && asked == samples) {
    double pass = 1.0; /* C(63, k) / C(128, k) */
    for (unsigned i = 0; i < samples; i++) pass *= (double)(ZG_DA_MIN_COLUMNS - 1 - (int)i) / (ZG_DA_COLUMNS - i);
    *confidence = 1.0 - (pass > 0 ? pass : 0);
  }
out:
  free_jobs(jobs, n);
  free(sub);
  return err;
}

/*
 * signer_http.c — the DA signer's HTTP endpoints (zg/da_signer.h):
 * POST /da/v1/store, POST /da/v1/cells, GET /health, GET /metrics, on
 * zg/http_server.h. Bodies are binary and capped (a 32 MiB blob's 128
 * columns fit); nothing a client sends aborts the process: malformed
 * bodies get 400, unverifiable columns 422.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signer_internal.h"
#include "zg/log.h"

#define MAX_BODY ((size_t)96 << 20)

void zg__da_signer_count(zg_da_signer_t *s, int k) { atomic_fetch_add(&s->metrics[k], 1); }

void zg__da_signer_stop(zg_da_signer_t *s) {
  if (!s->http) return;
  zg_http_server_destroy(s->http);
  s->http = NULL;
}

static void text(zg_http_response_t *resp, int status, const char *msg) {
  resp->status = status;
  resp->content_type = "text/plain";
  if (zg_buf_append(&resp->body, msg, strlen(msg))) resp->status = 500;
}

static void h_store(void *arg, const zg_http_request_t *req, zg_http_response_t *resp) {
  zg_da_signer_t *s = arg;
  zg_da_store_req_t *r = zg_arena_alloc(req->arena, sizeof *r);
  uint8_t sig[ZG_DA_SIG_LEN];
  bool accepted = false;
  if (req->oversized) return text(resp, 413, "body too large");
  if (!r) return text(resp, 500, "out of memory");
  zg_err_t err = zg_da_store_req_parse(r, req->body, req->body_len, NULL);
  if (err || r->n == 0) {
    zg__da_signer_count(s, ZG__DA_M_MALFORMED);
    return text(resp, 400, err ? zg_strerror(err) : "no columns");
  }
  err = zg_da_signer_store(s, &accepted, sig, &r->header, r->epoch, r->quorum_id, r->cols, r->n);
  if (err) {
    zg__da_signer_count(s, ZG__DA_M_ERRORS);
    return text(resp, err == ZG_EIO || err == ZG_EFULL || err == ZG_ENOMEM ? 500 : 422, zg_strerror(err));
  }
  if (!accepted) return text(resp, 422, "columns do not verify or are not this signer's");
  resp->content_type = "application/octet-stream";
  if (zg_buf_append(&resp->body, sig, sizeof sig) || zg_buf_append(&resp->body, s->pk_bytes, 48))
    return text(resp, 500, "out of memory");
}

static zg_err_t append_cells(zg_da_signer_t *s, zg_buf_t *out, const uint8_t *digest, const uint8_t *idx,
                             uint32_t n) {
  zg_buf_t hdr, col;
  zg_buf_init(&hdr);
  zg_buf_init(&col);
  zg_err_t err = zg_da_signer_header(s, &hdr, digest);
  uint8_t t[4];
  size_t count_at = 0;
  uint32_t m = 0;
  if (err) goto out;
  zg_store_be32(t, (uint32_t)hdr.len);
  err = zg_buf_append(out, t, 4);
  if (!err) err = zg_buf_append(out, hdr.ptr, hdr.len);
  count_at = out->len;
  if (!err) err = zg_buf_append(out, t, 4); /* patched below */
  for (uint32_t i = 0; !err && i < n; i++) {
    uint32_t c = zg_load_be32(idx + 4 * (size_t)i);
    col.len = 0;
    if (c >= ZG_DA_COLUMNS) continue;
    err = zg_da_signer_column(s, &col, digest, c);
    if (err == ZG_ENOTFOUND) {
      err = ZG_OK;
      continue;
    }
    zg_store_be32(t, c);
    if (!err) err = zg_buf_append(out, t, 4);
    if (!err) err = zg_buf_append(out, col.ptr, col.len);
    if (!err && s->test_corrupt && col.len) out->ptr[out->len - col.len] ^= 1;
    m++;
  }
  if (!err) zg_store_be32(out->ptr + count_at, m);
out:
  zg_buf_clear(&hdr);
  zg_buf_clear(&col);
  return err;
}

static void h_cells(void *arg, const zg_http_request_t *req, zg_http_response_t *resp) {
  zg_da_signer_t *s = arg;
  if (req->oversized) return text(resp, 413, "body too large");
  if (req->body_len < 36) return text(resp, 400, "truncated");
  uint32_t n = zg_load_be32(req->body + 32);
  if (n > ZG_DA_COLUMNS || req->body_len != 36 + 4 * (size_t)n) return text(resp, 400, "bad column list");
  zg_err_t err = append_cells(s, &resp->body, req->body, req->body + 36, n);
  if (err == ZG_ENOTFOUND) {
    resp->body.len = 0;
    return text(resp, 404, "blob unknown");
  }
  if (err) {
    resp->body.len = 0;
    return text(resp, 500, zg_strerror(err));
  }
  resp->content_type = "application/octet-stream";
  zg__da_signer_count(s, ZG__DA_M_SERVED);
}

static void h_health(void *arg, const zg_http_request_t *req, zg_http_response_t *resp) {
  (void)arg;
  (void)req;
  text(resp, 200, "ok");
}

static void h_metrics(void *arg, const zg_http_request_t *req, zg_http_response_t *resp) {
  zg_da_signer_t *s = arg;
  char b[512];
  (void)req;
  snprintf(b, sizeof b,
           "zg_da_signer_stored %lu\nzg_da_signer_refused %lu\nzg_da_signer_malformed %lu\n"
           "zg_da_signer_served %lu\nzg_da_signer_errors %lu\n",
           atomic_load(&s->metrics[ZG__DA_M_STORED]), atomic_load(&s->metrics[ZG__DA_M_REFUSED]),
           atomic_load(&s->metrics[ZG__DA_M_MALFORMED]), atomic_load(&s->metrics[ZG__DA_M_SERVED]),
           atomic_load(&s->metrics[ZG__DA_M_ERRORS]));
  text(resp, 200, b);
}

zg_err_t zg_da_signer_serve(zg_da_signer_t *s, const char *addr, uint16_t *port) {
  char host[64];
  zg_http_opts_t o = {0};
  zg_err_t err;
  if (port) *port = 0;
  if (!s || !addr) return ZG_EINVAL;
  if (s->http) return ZG_ESTATE;
  /* Fault injection for process tests (tests/da/da_faults.sh): a signer
   * that serves corrupt cells, which clients must detect and exclude. */
  const char *tc = getenv("ZG_DA_SIGNER_TEST_CORRUPT");
  s->test_corrupt = tc && strcmp(tc, "1") == 0;
  err = zg_http_parse_addr(host, sizeof host, &o.port, addr);
  if (err) return err;
  o.host = host;
  o.max_body = MAX_BODY;
  o.threads = 4;
  err = zg_http_server_create(&s->http, &o);
  if (err) return err;
  err = zg_http_server_route(s->http, "POST", "/da/v1/store", h_store, s);
  if (!err) err = zg_http_server_route(s->http, "POST", "/da/v1/cells", h_cells, s);
  if (!err) err = zg_http_server_route(s->http, "GET", "/health", h_health, s);
  if (!err) err = zg_http_server_route(s->http, "GET", "/metrics", h_metrics, s);
  if (!err) err = zg_http_server_start(s->http);
  if (err) {
    zg__da_signer_stop(s);
    return err;
  }
  if (port) *port = zg_http_server_port(s->http);
  return ZG_OK;
}

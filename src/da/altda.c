/*
 * altda.c — the OP Stack alt-DA server (zg/da_client.h): POST /put
 * disperses the preimage as one blob and answers the generic commitment
 * 0x01 || ZG_ALTDA_LAYER_BYTE || certificate; GET /get/<hex> retrieves and
 * verifies the blob named by the certificate's blob digest. On
 * libmicrohttpd directly, because /get/<hex> needs a path parameter and
 * zg/http_server.h routes exact paths.
 *
 * Invariants: /put answers 200 only with a certified blob (the spec: a DA
 * server must fail when it could not store, so the batcher retries); the
 * bytes /get returns were decoded from columns whose cells verified against
 * the commitments the digest names. Bodies are capped (413 beyond).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/da_client.h"
#include "zg/http_server.h"

struct zg_da_altda {
  struct MHD_Daemon *d;
  zg_da_altda_opts_t o;
  atomic_ulong puts, put_fail, gets, get_fail;
};

typedef struct {
  zg_buf_t body;
  bool too_big;
} req_t;

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type, zg_buf_t *body) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(body->len, body->ptr, body->ptr ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
  if (!r) {
    zg_buf_clear(body);
    return MHD_NO;
  }
  body->ptr = NULL; /* MHD frees it */
  body->len = body->cap = 0;
  MHD_add_response_header(r, "Content-Type", type);
  enum MHD_Result ret = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result text(struct MHD_Connection *c, unsigned status, const char *msg) {
  zg_buf_t b;
  zg_buf_init(&b);
  if (zg_buf_append(&b, msg, strlen(msg))) return MHD_NO;
  return reply(c, status, "text/plain", &b);
}

static enum MHD_Result do_put(zg_da_altda_t *a, struct MHD_Connection *c, const req_t *r) {
  zg_da_encoded_t e = {0};
  zg_da_disperse_result_t res;
  zg_buf_t out;
  atomic_fetch_add(&a->puts, 1);
  zg_err_t err = zg_da_encode(a->o.ctx, &e, r->body.ptr, r->body.len);
  if (!err) err = zg_da_disperse(a->o.ctx, &res, NULL, &e, a->o.peers, a->o.n, &a->o.disperse);
  zg_da_encoded_free(&e);
  bool accepted = true;
  if (!err && res.certified && a->o.commit) err = a->o.commit(a->o.commit_user, &accepted, &res.cert);
  if (!err && !accepted) res.certified = false;
  if (err || !res.certified) {
    atomic_fetch_add(&a->put_fail, 1);
    return text(c, err == ZG_ETOOBIG ? 413 : 503, err ? zg_strerror(err) : "blob not certified");
  }
  zg_buf_init(&out);
  if (zg_buf_reserve(&out, ZG_ALTDA_COMMITMENT_LEN)) return MHD_NO;
  out.ptr[0] = ZG_ALTDA_COMMITMENT_TYPE;
  out.ptr[1] = ZG_ALTDA_LAYER_BYTE;
  zg_da_cert_encode(out.ptr + 2, &res.cert);
  out.len = ZG_ALTDA_COMMITMENT_LEN;
  return reply(c, 200, "application/octet-stream", &out);
}

static enum MHD_Result do_get(zg_da_altda_t *a, struct MHD_Connection *c, const char *hex) {
  uint8_t cm[ZG_ALTDA_COMMITMENT_LEN];
  char full[2 * ZG_ALTDA_COMMITMENT_LEN + 3];
  zg_da_cert_t cert;
  zg_buf_t out;
  atomic_fetch_add(&a->gets, 1);
  if (strncmp(hex, "0x", 2) == 0) hex += 2;
  if (strlen(hex) != 2 * ZG_ALTDA_COMMITMENT_LEN) return text(c, 400, "not a zg alt-DA commitment (length)");
  snprintf(full, sizeof full, "0x%s", hex);
  if (zg_hex_decode(cm, sizeof cm, full, strlen(full)) || cm[0] != ZG_ALTDA_COMMITMENT_TYPE ||
      cm[1] != ZG_ALTDA_LAYER_BYTE || zg_da_cert_parse(&cert, cm + 2, ZG_DA_CERT_WIRE_LEN))
    return text(c, 400, "not a zg alt-DA commitment");
  zg_buf_init(&out);
  zg_err_t err = zg_da_retrieve(a->o.ctx, &out, NULL, NULL, cert.blob_digest, a->o.peers, a->o.n,
                                a->o.disperse.timeout_ms);
  if (err) {
    zg_buf_clear(&out);
    atomic_fetch_add(&a->get_fail, 1);
    return text(c, 404, zg_strerror(err));
  }
  return reply(c, 200, "application/octet-stream", &out);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *upload, size_t *upload_size, void **con_cls) {
  zg_da_altda_t *a = cls;
  req_t *r = *con_cls;
  (void)version;
  if (!r) {
    r = calloc(1, sizeof *r);
    if (!r) return MHD_NO;
    zg_buf_init(&r->body);
    *con_cls = r;
    return MHD_YES;
  }
  if (*upload_size) {
    if (!r->too_big && r->body.len + *upload_size <= a->o.max_body) {
      if (zg_buf_append(&r->body, upload, *upload_size)) r->too_big = true;
    } else {
      r->too_big = true;
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (strcmp(method, "POST") == 0 && strcmp(url, "/put") == 0) {
    if (r->too_big) return text(c, 413, "body above the max blob size");
    return do_put(a, c, r);
  }
  if (strcmp(method, "GET") == 0 && strncmp(url, "/get/", 5) == 0) return do_get(a, c, url + 5);
  if (strcmp(method, "GET") == 0 && strcmp(url, "/health") == 0) return text(c, 200, "ok");
  if (strcmp(method, "GET") == 0 && strcmp(url, "/metrics") == 0) {
    char b[256];
    snprintf(b, sizeof b, "zg_altda_puts %lu\nzg_altda_put_failures %lu\nzg_altda_gets %lu\nzg_altda_get_failures %lu\n",
             atomic_load(&a->puts), atomic_load(&a->put_fail), atomic_load(&a->gets), atomic_load(&a->get_fail));
    return text(c, 200, b);
  }
  return text(c, 404, "unknown endpoint");
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
  req_t *r = *con_cls;
  (void)cls;
  (void)c;
  (void)toe;
  if (!r) return;
  zg_buf_clear(&r->body);
  free(r);
  *con_cls = NULL;
}

zg_err_t zg_da_altda_start(zg_da_altda_t **out, uint16_t *port, const char *addr, const zg_da_altda_opts_t *opts) {
  char host[64];
  uint16_t p = 0;
  struct sockaddr_in sa;
  if (out) *out = NULL;
  if (port) *port = 0;
  if (!out || !addr || !opts || !opts->ctx || !opts->peers || opts->n == 0) return ZG_EINVAL;
  if (zg_http_parse_addr(host, sizeof host, &p, addr)) return ZG_EINVAL;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(p);
  if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &sa.sin_addr) != 1) return ZG_EINVAL;
  zg_da_altda_t *a = calloc(1, sizeof *a);
  if (!a) return ZG_ENOMEM;
  a->o = *opts;
  if (!a->o.max_body) a->o.max_body = (size_t)zg_da_ctx_max_blob(opts->ctx);
  a->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, p, NULL, NULL, handler, a,
                          MHD_OPTION_NOTIFY_COMPLETED, completed, a, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                          MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)600, MHD_OPTION_END);
  if (!a->d) {
    free(a);
    return ZG_EIO;
  }
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(a->d, MHD_DAEMON_INFO_BIND_PORT);
  if (port) *port = di ? di->port : p;
  *out = a;
  return ZG_OK;
}

void zg_da_altda_stop(zg_da_altda_t *a) {
  if (!a) return;
  MHD_stop_daemon(a->d);
  free(a);
}

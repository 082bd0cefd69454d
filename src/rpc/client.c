/*
 * client.c — the JSON-RPC client of zg/rpc_client.h on libcurl's easy
 * interface. One CURL handle per client keeps the connection alive between
 * calls; curl_global_init runs once per process (pthread_once). Responses
 * are read into a growing buffer capped at 64 MiB so a misbehaving server
 * cannot exhaust the client's memory.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpc/json_internal.h"
#include "zg/rpc_client.h"

#define MAX_RESPONSE (64u << 20)

struct zg_rpc_client {
  CURL *curl;
  struct curl_slist *headers;
  char *url;
  unsigned timeout_ms;
  _Atomic uint64_t next_id;
};

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static void global_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

zg_err_t zg_rpc_client_create(zg_rpc_client_t **out, const char *url, unsigned timeout_ms) {
  *out = NULL;
  if (!url || !*url) return ZG_EINVAL;
  pthread_once(&g_once, global_init);
  zg_rpc_client_t *c = calloc(1, sizeof *c);
  if (!c) return ZG_ENOMEM;
  c->url = strdup(url);
  c->curl = curl_easy_init();
  c->headers = curl_slist_append(NULL, "Content-Type: application/json");
  /* No "Expect: 100-continue" round trip before large bodies. */
  if (c->headers) c->headers = curl_slist_append(c->headers, "Expect:");
  if (!c->url || !c->curl || !c->headers) {
    zg_rpc_client_destroy(c);
    return ZG_ENOMEM;
  }
  /* Drop a trailing slash so that "/metrics" joins cleanly. */
  size_t n = strlen(c->url);
  if (n > 1 && c->url[n - 1] == '/') c->url[n - 1] = '\0';
  c->timeout_ms = timeout_ms ? timeout_ms : 30000;
  c->next_id = 1;
  *out = c;
  return ZG_OK;
}

void zg_rpc_client_destroy(zg_rpc_client_t *c) {
  if (!c) return;
  if (c->curl) curl_easy_cleanup(c->curl);
  curl_slist_free_all(c->headers);
  free(c->url);
  free(c);
}

const char *zg_rpc_client_url(const zg_rpc_client_t *c) { return c ? c->url : ""; }

static size_t write_cb(char *p, size_t size, size_t nmemb, void *arg) {
  zg_buf_t *b = arg;
  size_t n = size * nmemb;
  if (b->len + n > MAX_RESPONSE || zg_buf_append(b, p, n) != ZG_OK) return 0; /* aborts the transfer */
  return n;
}

static zg_err_t perform(zg_rpc_client_t *c, zg_buf_t *out, long *status, const char *url, const void *body,
                        size_t len, bool post) {
  *status = 0;
  CURL *h = c->curl;
  curl_easy_reset(h);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)(c->timeout_ms < 10000 ? c->timeout_ms : 10000));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
  curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
  if (post) {
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
  }
  CURLcode rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
  if (rc == CURLE_OPERATION_TIMEDOUT) return ZG_ETIMEOUT;
  if (rc == CURLE_OUT_OF_MEMORY) return ZG_ENOMEM;
  if (rc != CURLE_OK) return ZG_EIO;
  return ZG_OK;
}

zg_err_t zg_rpc_client_post(zg_rpc_client_t *c, zg_buf_t *out, long *status, const void *body, size_t len) {
  return perform(c, out, status, c->url, body, len, true);
}

zg_err_t zg_rpc_client_get(zg_rpc_client_t *c, zg_buf_t *out, long *status, const char *path) {
  size_t n = strlen(c->url) + strlen(path) + 1;
  char *url = malloc(n);
  if (!url) return ZG_ENOMEM;
  snprintf(url, n, "%s%s", c->url, path);
  zg_err_t e = perform(c, out, status, url, NULL, 0, false);
  free(url);
  return e;
}

static void set_err(zg_rpc_error_t *rerr, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(zg_rpc_error_t *rerr, int code, const char *fmt, ...) {
  if (!rerr) return;
  rerr->code = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(rerr->message, sizeof rerr->message, fmt, ap);
  va_end(ap);
}

zg_err_t zg_rpc_client_call(zg_rpc_client_t *c, json_t **result, zg_rpc_error_t *rerr, const char *method,
                            json_t *params) {
  *result = NULL;
  if (rerr) rerr->code = 0, rerr->message[0] = '\0';
  uint64_t id = atomic_fetch_add(&c->next_id, 1);
  json_t *req = json_pack("{s:s, s:I, s:s, s:o*}", "jsonrpc", "2.0", "id", (json_int_t)id, "method", method,
                          "params", params);
  if (!req) return ZG_ENOMEM;
  zg_buf_t body;
  zg_buf_init(&body);
  zg_err_t e = zg__json_dump(&body, req);
  json_decref(req);
  if (e != ZG_OK) {
    zg_buf_clear(&body);
    return ZG_ENOMEM;
  }
  e = zg_rpc_client_call_body(c, result, rerr, body.ptr, body.len);
  free(body.ptr); /* public request bytes: no wipe needed */
  return e;
}

zg_err_t zg_rpc_client_call_body(zg_rpc_client_t *c, json_t **result, zg_rpc_error_t *rerr, const void *body,
                                 size_t len) {
  *result = NULL;
  if (rerr) rerr->code = 0, rerr->message[0] = '\0';
  zg_buf_t resp;
  zg_buf_init(&resp);
  long status = 0;
  zg_err_t e = zg_rpc_client_post(c, &resp, &status, body, len);
  json_t *r = NULL;
  if (e != ZG_OK) {
    set_err(rerr, 0, "request to %s %s", c->url, e == ZG_ETIMEOUT ? "timed out" : "failed");
    goto out;
  }
  r = zg__json_load((const char *)resp.ptr, resp.len, 0, NULL);
  const json_t *err = json_object_get(r, "error"), *res = json_object_get(r, "result");
  if (json_is_object(err)) {
    const json_t *code = json_object_get(err, "code"), *msg = json_object_get(err, "message");
    set_err(rerr, json_is_integer(code) ? (int)json_integer_value(code) : ZG_EINVAL, "%s",
            json_is_string(msg) ? json_string_value(msg) : "(no message)");
    e = ZG_EINVAL;
    goto out;
  }
  if (status != 200) {
    set_err(rerr, 0, "HTTP status %ld from %s", status, c->url);
    e = ZG_EIO;
    goto out;
  }
  if (!res) {
    set_err(rerr, 0, "malformed JSON-RPC response from %s", c->url);
    e = ZG_EJSON;
    goto out;
  }
  *result = json_incref((json_t *)res);
out:
  json_decref(r);
  zg_buf_clear(&resp);
  return e;
}

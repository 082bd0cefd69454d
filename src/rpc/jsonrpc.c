/*
 * jsonrpc.c — the JSON-RPC 2.0 core of zg/jsonrpc.h.
 *
 * Decoding follows the specification's section 4-6 strictly: a request is an
 * object with "jsonrpc":"2.0", a string "method", optional "params" (array
 * or object) and optional "id" (string, number or null; absent makes it a
 * notification, which gets no response even on error). A batch is a
 * non-empty array of at most max_batch requests, answered by an array of the
 * non-notification responses. Unparseable text is -32700 with id null.
 * Duplicate object keys are a parse error (jansson's JSON_REJECT_DUPLICATES):
 * a request that can be read two ways is refused rather than guessed.
 *
 * The method table is sorted at registration and searched by bsearch.
 * Bodies are parsed and responses encoded through json_fast.c, which gives
 * jansson's exact results but moves multi-MB base64 payloads with memcpy.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpc/json_internal.h"
#include "zg/jsonrpc.h"
#include "zg/log.h"

typedef struct {
  char *name;
  zg_rpc_method_fn fn;
  void *arg;
  zg_metric_t *calls, *errors, *latency;
} method_t;

struct zg_rpc {
  method_t *methods;
  size_t n, cap;
  size_t max_batch;
  zg_metrics_t *metrics;
  char prefix[64];
  zg_metric_t *unknown_calls, *parse_errors;
};

static zg_err_t metric_names(zg_rpc_t *rpc, method_t *m, const char *label_name) {
  if (!rpc->metrics) return ZG_OK;
  char name[128], labels[160];
  snprintf(labels, sizeof labels, "method=\"%s\"", label_name);
  snprintf(name, sizeof name, "%s_requests_total", rpc->prefix);
  ZG_TRY(zg_metrics_counter(rpc->metrics, &m->calls, name, "JSON-RPC calls by method", labels));
  snprintf(name, sizeof name, "%s_errors_total", rpc->prefix);
  ZG_TRY(zg_metrics_counter(rpc->metrics, &m->errors, name, "JSON-RPC calls answered with an error", labels));
  snprintf(name, sizeof name, "%s_latency_seconds", rpc->prefix);
  return zg_metrics_histogram(rpc->metrics, &m->latency, name, "JSON-RPC call latency", labels,
                              zg_metrics_latency_buckets, zg_metrics_latency_nbuckets);
}

zg_err_t zg_rpc_create(zg_rpc_t **out, const zg_rpc_opts_t *opts) {
  *out = NULL;
  zg_rpc_t *rpc = calloc(1, sizeof *rpc);
  if (!rpc) return ZG_ENOMEM;
  rpc->max_batch = opts && opts->max_batch ? opts->max_batch : 100;
  rpc->metrics = opts ? opts->metrics : NULL;
  snprintf(rpc->prefix, sizeof rpc->prefix, "%s", opts && opts->prefix ? opts->prefix : "zg_rpc");
  if (rpc->metrics) {
    method_t tmp = {0};
    char name[128];
    snprintf(name, sizeof name, "%s_malformed_total", rpc->prefix);
    if (metric_names(rpc, &tmp, "(unknown)") != ZG_OK ||
        zg_metrics_counter(rpc->metrics, &rpc->parse_errors, name, "malformed JSON-RPC requests", NULL) != ZG_OK) {
      free(rpc);
      return ZG_EINVAL;
    }
    rpc->unknown_calls = tmp.errors;
  }
  *out = rpc;
  return ZG_OK;
}

void zg_rpc_destroy(zg_rpc_t *rpc) {
  if (!rpc) return;
  for (size_t i = 0; i < rpc->n; i++) free(rpc->methods[i].name);
  free(rpc->methods);
  free(rpc);
}

static int cmp_name(const void *key, const void *elem) {
  return strcmp((const char *)key, ((const method_t *)elem)->name);
}

zg_err_t zg_rpc_register(zg_rpc_t *rpc, const char *name, zg_rpc_method_fn fn, void *arg) {
  if (!rpc || !name || !*name || !fn || strlen(name) > 100) return ZG_EINVAL;
  size_t pos = 0;
  while (pos < rpc->n && strcmp(rpc->methods[pos].name, name) < 0) pos++;
  if (pos < rpc->n && strcmp(rpc->methods[pos].name, name) == 0) return ZG_EEXIST;
  if (rpc->n == rpc->cap) {
    size_t cap = rpc->cap ? rpc->cap * 2 : 32;
    method_t *m = realloc(rpc->methods, cap * sizeof *m);
    if (!m) return ZG_ENOMEM;
    rpc->methods = m;
    rpc->cap = cap;
  }
  method_t m = {strdup(name), fn, arg, NULL, NULL, NULL};
  if (!m.name) return ZG_ENOMEM;
  zg_err_t e = metric_names(rpc, &m, name);
  if (e != ZG_OK) {
    free(m.name);
    return e;
  }
  memmove(rpc->methods + pos + 1, rpc->methods + pos, (rpc->n - pos) * sizeof *rpc->methods);
  rpc->methods[pos] = m;
  rpc->n++;
  return ZG_OK;
}

zg_err_t zg_rpc_fail(zg_rpc_call_t *call, int code, const char *fmt, ...) {
  if (call) {
    call->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(call->message, sizeof call->message, fmt, ap);
    va_end(ap);
  }
  return ZG_EINVAL;
}

zg_err_t zg_rpc_fail_data(zg_rpc_call_t *call, int code, json_t *data, const char *fmt, ...) {
  if (!call) {
    json_decref(data);
    return ZG_EINVAL;
  }
  call->code = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(call->message, sizeof call->message, fmt, ap);
  va_end(ap);
  json_decref(call->data);
  call->data = data;
  return ZG_EINVAL;
}

/* ---- Responses ---- */

static zg_err_t dump(zg_buf_t *out, const json_t *v) {
  zg_err_t e = zg__json_dump(out, v);
  return e == ZG_EINVAL ? ZG_ENOMEM : e;
}

/* {"jsonrpc":"2.0","id":id,"error":{...}}; id borrowed (NULL: null).
 * Messages may quote the caller's bytes (a parse error echoes the bad token),
 * which need not be valid UTF-8: they are reduced to printable ASCII here, so
 * building the error object can never fail on them. */
static json_t *error_obj(const json_t *id, int code, const char *message) {
  char clean[512];
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)(message ? message : ""); *p && n + 1 < sizeof clean; p++)
    clean[n++] = (*p >= 0x20 && *p < 0x7f) ? (char)*p : '?';
  clean[n] = 0;
  return json_pack("{s:s, s:O?, s:{s:i, s:s}}", "jsonrpc", "2.0", "id", id, "error", "code", code, "message",
                   clean);
}

zg_err_t zg_rpc_error_response(zg_buf_t *out, int code, const char *message) {
  json_t *r = error_obj(NULL, code, message);
  if (!r) return ZG_ENOMEM;
  zg_err_t e = dump(out, r);
  json_decref(r);
  return e;
}

static int code_for(zg_err_t e) {
  switch (e) {
  case ZG_EINVAL: case ZG_ETYPE: case ZG_EHEX: case ZG_EBASE64: case ZG_EBADLEN: case ZG_EOVERFLOW:
  case ZG_ENONCANON: case ZG_EJSON: case ZG_ETRUNC: case ZG_ETRAILING:
    return ZG_RPC_INVALID_PARAMS;
  case ZG_ENOTFOUND:
    return ZG_RPC_NOT_FOUND;
  case ZG_EBADPROOF:
    return ZG_RPC_BAD_PROOF;
  case ZG_EFULL:
    return ZG_RPC_STORAGE_FULL;
  case ZG_ENOMEM: case ZG_EIO: case ZG_ECORRUPT:
    return ZG_RPC_INTERNAL_ERROR;
  default:
    return ZG_RPC_SERVER_ERROR;
  }
}

/* Runs one request object; returns a new response (NULL for a notification
 * or on allocation failure, which *oom reports). */
static json_t *run_one(zg_rpc_t *rpc, zg_arena_t *arena, const json_t *req, bool *oom) {
  const json_t *id = json_object_get(req, "id");
  bool notification = json_is_object(req) && id == NULL;
  bool bad_id = id && !json_is_string(id) && !json_is_number(id) && !json_is_null(id);
  if (bad_id) id = NULL;
  const json_t *ver = json_object_get(req, "jsonrpc"), *meth = json_object_get(req, "method");
  const json_t *params = json_object_get(req, "params");
  json_t *resp = NULL;
  if (bad_id || !json_is_object(req) || !json_is_string(ver) || strcmp(json_string_value(ver), "2.0") != 0 ||
      !json_is_string(meth) || (params && !json_is_array(params) && !json_is_object(params))) {
    zg_counter_add(rpc->parse_errors, 1);
    if (notification) return NULL; /* still a notification: no answer */
    resp = error_obj(id, ZG_RPC_INVALID_REQUEST, "invalid request: need {\"jsonrpc\":\"2.0\", \"method\": string, "
                                                 "\"params\": array or object, \"id\"}");
    if (!resp) *oom = true;
    return resp;
  }
  const char *name = json_string_value(meth);
  method_t *m = rpc->n ? bsearch(name, rpc->methods, rpc->n, sizeof *m, cmp_name) : NULL;
  if (!m) {
    zg_counter_add(rpc->unknown_calls, 1);
    if (notification) return NULL;
    char msg[200];
    snprintf(msg, sizeof msg, "the method %.120s does not exist/is not available", name);
    resp = error_obj(id, ZG_RPC_METHOD_NOT_FOUND, msg);
    if (!resp) *oom = true;
    return resp;
  }
  zg_rpc_call_t call = {m->arg, m->name, arena, 0, "", NULL};
  json_t *result = NULL;
  uint64_t t0 = zg_clock_ns();
  zg_err_t e = m->fn(&call, params, &result);
  zg_histogram_observe(m->latency, (double)(zg_clock_ns() - t0) / 1e9);
  zg_counter_add(m->calls, 1);
  if (e != ZG_OK) {
    json_decref(result);
    zg_counter_add(m->errors, 1);
    if (e == ZG_ENOMEM) *oom = true;
    if (notification) {
      json_decref(call.data);
      return NULL;
    }
    int code = call.code ? call.code : code_for(e);
    const char *msg = call.message[0] ? call.message : zg_strerror(e);
    zg_logd("rpc", "%s failed: %d %s", m->name, code, msg);
    resp = error_obj(id, code, msg);
    if (resp && call.data && json_object_set(json_object_get(resp, "error"), "data", call.data) != 0) {
      json_decref(resp);
      resp = NULL;
    }
  } else {
    if (notification) {
      json_decref(result);
      return NULL;
    }
    resp = json_pack("{s:s, s:O?, s:o}", "jsonrpc", "2.0", "id", id, "result", result ? result : json_null());
  }
  json_decref(call.data);
  if (!resp) *oom = true;
  return resp;
}

zg_err_t zg_rpc_handle(zg_rpc_t *rpc, zg_buf_t *out, zg_arena_t *arena, const char *body, size_t len) {
  json_error_t jerr;
  json_t *req = zg__json_load(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
  if (!req) {
    zg_counter_add(rpc->parse_errors, 1);
    char msg[220];
    snprintf(msg, sizeof msg, "parse error: %.160s at line %d column %d", jerr.text, jerr.line, jerr.column);
    return zg_rpc_error_response(out, ZG_RPC_PARSE_ERROR, msg);
  }
  bool oom = false;
  zg_err_t e = ZG_OK;
  if (json_is_array(req)) {
    size_t n = json_array_size(req);
    if (n == 0) {
      e = zg_rpc_error_response(out, ZG_RPC_INVALID_REQUEST, "invalid request: empty batch");
    } else if (n > rpc->max_batch) {
      char msg[96];
      snprintf(msg, sizeof msg, "batch of %zu requests exceeds the limit of %zu", n, rpc->max_batch);
      e = zg_rpc_error_response(out, ZG_RPC_TOO_LARGE, msg);
    } else {
      json_t *arr = json_array();
      if (!arr) oom = true;
      for (size_t i = 0; i < n && !oom; i++) {
        json_t *r = run_one(rpc, arena, json_array_get(req, i), &oom);
        if (r && json_array_append_new(arr, r) != 0) oom = true;
      }
      if (!oom && json_array_size(arr)) e = dump(out, arr);
      json_decref(arr);
    }
  } else {
    json_t *r = run_one(rpc, arena, req, &oom);
    if (r && !oom) e = dump(out, r);
    json_decref(r);
  }
  json_decref(req);
  return oom ? ZG_ENOMEM : e;
}

/* ---- HTTP glue ---- */

static void http_cb(void *arg, const zg_http_request_t *req, zg_http_response_t *resp) {
  zg_rpc_t *rpc = arg;
  resp->content_type = "application/json";
  if (req->oversized) {
    if (zg_rpc_error_response(&resp->body, ZG_RPC_TOO_LARGE, "request body exceeds the server's size limit") !=
        ZG_OK)
      resp->status = 500;
    return;
  }
  zg_err_t e = zg_rpc_handle(rpc, &resp->body, req->arena, (const char *)req->body, req->body_len);
  if (e != ZG_OK) {
    zg_buf_clear(&resp->body);
    resp->status = 500;
    if (zg_rpc_error_response(&resp->body, ZG_RPC_INTERNAL_ERROR, zg_strerror(e)) != ZG_OK)
      zg_buf_clear(&resp->body);
    return;
  }
  if (resp->body.len == 0) resp->status = 204;
}

zg_err_t zg_rpc_attach(zg_rpc_t *rpc, zg_http_server_t *server, const char *path) {
  return zg_http_server_route(server, "POST", path, http_cb, rpc);
}

/* ---- Parameters ---- */

const json_t *zg_rpc_param(const json_t *params, size_t i, const char *name) {
  if (json_is_array(params)) return json_array_get(params, i);
  if (json_is_object(params) && name) return json_object_get(params, name);
  return NULL;
}

zg_err_t zg_rpc_params_check(zg_rpc_call_t *call, const json_t *params, size_t min, size_t max) {
  size_t n = json_is_array(params) ? json_array_size(params) : 0;
  if (params && !json_is_array(params) && !json_is_object(params))
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: expected an array");
  if (json_is_array(params) && (n < min || n > max)) {
    if (min == max)
      return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: expected %zu parameters, got %zu", min, n);
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: expected %zu to %zu parameters, got %zu", min,
                       max, n);
  }
  if (!params && min > 0)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: expected %zu parameters, got none", min);
  return ZG_OK;
}

zg_err_t zg_rpc_get_hash(zg_rpc_call_t *call, uint8_t out[32], const json_t *v, const char *what) {
  memset(out, 0, 32);
  if (!json_is_string(v) || json_string_length(v) != 66 ||
      zg_hex_decode(out, 32, json_string_value(v), 66) != ZG_OK) {
    memset(out, 0, 32);
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: %s must be a 0x-prefixed 32-byte hex hash",
                       what);
  }
  return ZG_OK;
}

zg_err_t zg_rpc_get_u64(zg_rpc_call_t *call, uint64_t *out, const json_t *v, const char *what) {
  *out = 0;
  if (json_is_integer(v) && json_integer_value(v) >= 0) {
    *out = (uint64_t)json_integer_value(v);
    return ZG_OK;
  }
  if (json_is_string(v)) {
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    bool ok = n >= 3 && n <= 18 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && !(s[2] == '0' && n > 3);
    uint64_t x = 0;
    for (size_t i = 2; ok && i < n; i++) {
      char c = s[i];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) ok = false;
      x = (x << 4) | (uint64_t)(d & 15);
    }
    if (ok) {
      *out = x;
      return ZG_OK;
    }
  }
  return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS,
                     "invalid params: %s must be a non-negative integer or a 0x-hex quantity", what);
}

zg_err_t zg_rpc_get_bool(zg_rpc_call_t *call, bool *out, const json_t *v, const char *what) {
  *out = false;
  if (!json_is_boolean(v)) return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: %s must be a boolean", what);
  *out = json_is_true(v);
  return ZG_OK;
}

zg_err_t zg_rpc_get_base64(zg_rpc_call_t *call, zg_buf_t *out, const json_t *v, size_t max, const char *what) {
  if (!json_is_string(v)) return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: %s must be a base64 string", what);
  size_t n = json_string_length(v);
  if (n / 4 * 3 > max + 2)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: %s exceeds %zu bytes", what, max);
  size_t before = out->len;
  zg_err_t e = zg_base64_decode(out, json_string_value(v), n);
  if (e == ZG_ENOMEM) return e;
  if (e != ZG_OK) {
    out->len = before;
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: %s is not canonical padded base64", what);
  }
  if (out->len - before > max) {
    out->len = before;
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: %s exceeds %zu bytes", what, max);
  }
  return ZG_OK;
}

json_t *zg_rpc_hash_json(const uint8_t h[32]) {
  char hex[67];
  zg_hex_encode(hex, h, 32);
  return json_string(hex);
}

json_t *zg_rpc_base64_json(const uint8_t *p, size_t n) {
  char *s = malloc(zg_base64_encoded_len(n) + 1);
  if (!s) return NULL;
  size_t len = zg_base64_encode(s, p, n);
  json_t *v = json_stringn_nocheck(s, len);
  free(s);
  return v;
}

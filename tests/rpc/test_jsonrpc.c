/*
 * test_jsonrpc.c — the JSON-RPC core (decoding, batches, notifications,
 * error codes, parameter decoders), the per-request arena, and the HTTP
 * server end to end: a server on 127.0.0.1:0 (ephemeral port) driven with
 * the libcurl client, including oversized bodies, 404/405, /metrics and
 * concurrent callers.
 */
#include <pthread.h>

#include "zg/http_server.h"
#include "zg/jsonrpc.h"
#include "zg/metrics.h"
#include "zg/rpc_client.h"
#include "zg_test.h"

/* ---- Methods used by the tests ---- */

static zg_err_t m_echo(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  *result = params ? json_deep_copy(params) : NULL;
  return ZG_OK;
}

/* add(a, b) with quantities; named {a, b} too. */
static zg_err_t m_add(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  uint64_t a, b;
  ZG_TRY(zg_rpc_params_check(call, params, 2, 2));
  ZG_TRY(zg_rpc_get_u64(call, &a, zg_rpc_param(params, 0, "a"), "a"));
  ZG_TRY(zg_rpc_get_u64(call, &b, zg_rpc_param(params, 1, "b"), "b"));
  *result = json_integer((json_int_t)(a + b));
  return ZG_OK;
}

static zg_err_t m_fail(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  return zg_rpc_fail(call, ZG_RPC_NOT_FOUND, "file %s not found", "0x00");
}

static zg_err_t m_raw_err(zg_rpc_call_t *call, const json_t *params, json_t **result) { return ZG_EFULL; }

static zg_err_t m_arena(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  char *p = zg_arena_alloc(call->arena, 100000);
  if (!p) return ZG_ENOMEM;
  memset(p, 'x', 100000);
  *result = json_integer((json_int_t)zg_arena_used(call->arena));
  return ZG_OK;
}

static zg_rpc_t *make_rpc(zg_metrics_t *m, size_t max_batch) {
  zg_rpc_t *rpc = NULL;
  zg_rpc_opts_t o = {max_batch, m, NULL};
  CHECK_OK(zg_rpc_create(&rpc, &o));
  CHECK_OK(zg_rpc_register(rpc, "echo", m_echo, NULL));
  CHECK_OK(zg_rpc_register(rpc, "add", m_add, NULL));
  CHECK_OK(zg_rpc_register(rpc, "fail", m_fail, NULL));
  CHECK_OK(zg_rpc_register(rpc, "rawerr", m_raw_err, NULL));
  CHECK_OK(zg_rpc_register(rpc, "arena", m_arena, NULL));
  CHECK_ERR(zg_rpc_register(rpc, "add", m_add, NULL), ZG_EEXIST);
  CHECK_ERR(zg_rpc_register(rpc, "", m_add, NULL), ZG_EINVAL);
  return rpc;
}

/* Runs body through the core and parses the answer (NULL when empty). */
static json_t *handle(zg_rpc_t *rpc, const char *body) {
  zg_buf_t out;
  zg_buf_init(&out);
  zg_arena_t *a = zg_arena_create();
  CHECK_OK(zg_rpc_handle(rpc, &out, a, body, strlen(body)));
  zg_arena_destroy(a);
  json_t *v = out.len ? json_loadb((const char *)out.ptr, out.len, 0, NULL) : NULL;
  if (out.len) CHECK(v != NULL);
  zg_buf_clear(&out);
  return v;
}

static int err_code(const json_t *r) {
  return (int)json_integer_value(json_object_get(json_object_get(r, "error"), "code"));
}

static void test_single_calls(void) {
  zg_rpc_t *rpc = make_rpc(NULL, 0);
  json_t *r = handle(rpc, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"add\",\"params\":[2,\"0x28\"]}");
  CHECK_EQ(json_integer_value(json_object_get(r, "result")), 42);
  CHECK_EQ(json_integer_value(json_object_get(r, "id")), 7);
  CHECK(json_object_get(r, "error") == NULL);
  json_decref(r);
  r = handle(rpc, "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2}}");
  CHECK_EQ(json_integer_value(json_object_get(r, "result")), 3);
  CHECK(strcmp(json_string_value(json_object_get(r, "id")), "x") == 0);
  json_decref(r);
  /* A method returning no result gives "result": null; id null is an id. */
  r = handle(rpc, "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"echo\"}");
  CHECK(json_is_null(json_object_get(r, "result")));
  CHECK(json_is_null(json_object_get(r, "id")));
  json_decref(r);
  /* Notifications get nothing, even when they fail. */
  CHECK(handle(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2]}") == NULL);
  CHECK(handle(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}") == NULL);
  CHECK(handle(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1]}") == NULL);
  zg_rpc_destroy(rpc);
}

static void test_errors(void) {
  zg_rpc_t *rpc = make_rpc(NULL, 0);
  static const struct {
    const char *body;
    int code;
  } cases[] = {
      {"{", ZG_RPC_PARSE_ERROR},
      {"", ZG_RPC_PARSE_ERROR},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"id\":2}", ZG_RPC_PARSE_ERROR}, /* duplicate key */
      {"[1,2", ZG_RPC_PARSE_ERROR},
      {"\"\\\xc2\xa3", ZG_RPC_PARSE_ERROR}, /* the error echoes invalid UTF-8 (found by fuzzing) */
      {"{\"a\xff\":1}", ZG_RPC_PARSE_ERROR},
      {"42", ZG_RPC_INVALID_REQUEST},
      {"[]", ZG_RPC_INVALID_REQUEST},
      {"{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"echo\"}", ZG_RPC_INVALID_REQUEST},
      {"{\"id\":1,\"method\":\"echo\"}", ZG_RPC_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", ZG_RPC_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":\"x\"}", ZG_RPC_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"echo\"}", ZG_RPC_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"}", ZG_RPC_METHOD_NOT_FOUND},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":[1]}", ZG_RPC_INVALID_PARAMS},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":[1,-2]}", ZG_RPC_INVALID_PARAMS},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":[1,\"0x012\"]}", ZG_RPC_INVALID_PARAMS},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":[1,1.5]}", ZG_RPC_INVALID_PARAMS},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"fail\"}", ZG_RPC_NOT_FOUND},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rawerr\"}", ZG_RPC_STORAGE_FULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_t *r = handle(rpc, cases[i].body);
    if (err_code(r) != cases[i].code) ZGT_FAIL("case %zu: code %d, want %d", i, err_code(r), cases[i].code);
    const char *msg = json_string_value(json_object_get(json_object_get(r, "error"), "message"));
    CHECK(msg && *msg);
    CHECK(strcmp(json_string_value(json_object_get(r, "jsonrpc")), "2.0") == 0);
    json_decref(r);
  }
  json_t *r = handle(rpc, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"fail\"}");
  CHECK(strcmp(json_string_value(json_object_get(json_object_get(r, "error"), "message")), "file 0x00 not found") == 0);
  json_decref(r);
  zg_rpc_destroy(rpc);
}

static void test_batch(void) {
  zg_rpc_t *rpc = make_rpc(NULL, 3);
  json_t *r = handle(rpc, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":[1,2]},"
                          "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2]},"
                          "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"nope\"}]");
  CHECK(json_is_array(r));
  CHECK_EQ(json_array_size(r), 2);
  CHECK_EQ(json_integer_value(json_object_get(json_array_get(r, 0), "result")), 3);
  CHECK_EQ(err_code(json_array_get(r, 1)), ZG_RPC_METHOD_NOT_FOUND);
  json_decref(r);
  /* Invalid members answer individually; a batch of notifications gets nothing. */
  r = handle(rpc, "[1, {\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":[true]}]");
  CHECK_EQ(json_array_size(r), 2);
  CHECK_EQ(err_code(json_array_get(r, 0)), ZG_RPC_INVALID_REQUEST);
  CHECK(json_is_true(json_array_get(json_object_get(json_array_get(r, 1), "result"), 0)));
  json_decref(r);
  CHECK(handle(rpc, "[{\"jsonrpc\":\"2.0\",\"method\":\"echo\"},{\"jsonrpc\":\"2.0\",\"method\":\"echo\"}]") == NULL);
  r = handle(rpc, "[1,2,3,4]");
  CHECK_EQ(err_code(r), ZG_RPC_TOO_LARGE);
  json_decref(r);
  zg_rpc_destroy(rpc);
}

static void test_params(void) {
  zg_rpc_call_t call = {0};
  uint8_t h[32];
  uint64_t u;
  bool b;
  json_t *v = json_string("0x00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF");
  CHECK_OK(zg_rpc_get_hash(&call, h, v, "root"));
  CHECK_EQ(h[31], 0xff);
  json_decref(v);
  const char *bad_hashes[] = {"0x00", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00",
                              "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeefg"};
  for (size_t i = 0; i < 3; i++) {
    v = json_string(bad_hashes[i]);
    CHECK_ERR(zg_rpc_get_hash(&call, h, v, "root"), ZG_EINVAL);
    CHECK_EQ(call.code, ZG_RPC_INVALID_PARAMS);
    CHECK(strstr(call.message, "root") != NULL);
    json_decref(v);
  }
  CHECK_ERR(zg_rpc_get_hash(NULL, h, NULL, "root"), ZG_EINVAL);
  static const struct {
    const char *json;
    bool ok;
    uint64_t val;
  } q[] = {{"0", true, 0},           {"123", true, 123},          {"\"0x0\"", true, 0},
           {"\"0x1f\"", true, 31},   {"\"0XFF\"", true, 255},     {"\"0xffffffffffffffff\"", true, UINT64_MAX},
           {"\"0x\"", false, 0},     {"\"0x01\"", false, 0},      {"\"0x1ffffffffffffffff\"", false, 0},
           {"\"12\"", false, 0},     {"-1", false, 0},            {"1.0", false, 0},
           {"true", false, 0},       {"\"0xg\"", false, 0},       {"null", false, 0}};
  for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
    v = json_loads(q[i].json, JSON_DECODE_ANY, NULL);
    zg_err_t e = zg_rpc_get_u64(&call, &u, v, "n");
    if ((e == ZG_OK) != q[i].ok || (q[i].ok && u != q[i].val)) ZGT_FAIL("quantity %s", q[i].json);
    json_decref(v);
  }
  CHECK_OK(zg_rpc_get_bool(&call, &b, json_true(), "b"));
  CHECK(b);
  v = json_integer(1);
  CHECK_ERR(zg_rpc_get_bool(&call, &b, v, "b"), ZG_EINVAL);
  json_decref(v);
  zg_buf_t buf;
  zg_buf_init(&buf);
  v = json_string("aGVsbG8=");
  CHECK_OK(zg_rpc_get_base64(&call, &buf, v, 5, "data"));
  CHECK(buf.len == 5 && memcmp(buf.ptr, "hello", 5) == 0);
  buf.len = 0;
  CHECK_ERR(zg_rpc_get_base64(&call, &buf, v, 4, "data"), ZG_EINVAL);
  CHECK_EQ(buf.len, 0);
  json_decref(v);
  v = json_string("aGVsbG8");
  CHECK_ERR(zg_rpc_get_base64(&call, &buf, v, 100, "data"), ZG_EINVAL);
  json_decref(v);
  zg_buf_clear(&buf);
  /* Positional and named lookup. */
  json_t *arr = json_pack("[i,i]", 1, 2), *obj = json_pack("{s:i}", "x", 3);
  CHECK_EQ(json_integer_value(zg_rpc_param(arr, 1, "x")), 2);
  CHECK(zg_rpc_param(arr, 2, "x") == NULL);
  CHECK_EQ(json_integer_value(zg_rpc_param(obj, 0, "x")), 3);
  CHECK(zg_rpc_param(obj, 0, NULL) == NULL);
  CHECK_ERR(zg_rpc_params_check(&call, arr, 0, 1), ZG_EINVAL);
  CHECK_OK(zg_rpc_params_check(&call, NULL, 0, 1));
  CHECK_ERR(zg_rpc_params_check(&call, NULL, 1, 1), ZG_EINVAL);
  json_decref(arr);
  json_decref(obj);
}

static void test_arena(void) {
  zg_arena_t *a = zg_arena_create();
  CHECK(zg_arena_alloc(a, 0) == NULL);
  uint8_t *p[200];
  for (int i = 0; i < 200; i++) {
    size_t n = 1 + zgt_rand_below(i % 10 == 0 ? 100000 : 1000);
    p[i] = zg_arena_alloc(a, n);
    CHECK(p[i] != NULL && ((uintptr_t)p[i] & 15) == 0);
    memset(p[i], i, n); /* ASan catches overlaps or overruns */
  }
  CHECK(zg_arena_used(a) > 0);
  zg_arena_destroy(a);
  zg_arena_destroy(NULL);
}

static void test_metrics(void) {
  zg_metrics_t *m;
  zg_metric_t *c, *c2, *g, *h, *x;
  CHECK_OK(zg_metrics_create(&m));
  CHECK_OK(zg_metrics_counter(m, &c, "zg_test_total", "a counter", "method=\"a\""));
  CHECK_OK(zg_metrics_counter(m, &c2, "zg_test_total", "a counter", "method=\"b\""));
  CHECK_OK(zg_metrics_counter(m, &x, "zg_test_total", "a counter", "method=\"a\""));
  CHECK(x == c);
  CHECK_OK(zg_metrics_gauge(m, &g, "zg_bytes", "stored bytes", NULL));
  const double bounds[] = {0.5, 1, 2.5};
  CHECK_OK(zg_metrics_histogram(m, &h, "zg_lat_seconds", "latency", NULL, bounds, 3));
  CHECK_ERR(zg_metrics_gauge(m, &x, "zg_test_total", "a counter", NULL), ZG_ETYPE);
  CHECK_ERR(zg_metrics_histogram(m, &x, "zg_lat_seconds", "latency", "a=\"1\"", bounds, 2), ZG_ETYPE);
  CHECK_ERR(zg_metrics_counter(m, &x, "9bad", "x", NULL), ZG_EINVAL);
  CHECK_ERR(zg_metrics_counter(m, &x, "ok", "x", "a=b"), ZG_EINVAL);
  CHECK_ERR(zg_metrics_counter(m, &x, "ok", "x", "a=\"b\","), ZG_EINVAL);
  CHECK_ERR(zg_metrics_counter(m, &x, "ok", "two\nlines", NULL), ZG_EINVAL);
  const double unsorted[] = {1, 1};
  CHECK_ERR(zg_metrics_histogram(m, &x, "h2", "x", NULL, unsorted, 2), ZG_EINVAL);
  zg_counter_add(c, 3);
  zg_counter_add(NULL, 3);
  zg_gauge_set(g, 100);
  zg_gauge_add(g, -1);
  zg_histogram_observe(h, 0.25);
  zg_histogram_observe(h, 1);
  zg_histogram_observe(h, 7);
  CHECK_EQ(zg_metric_value(c), 3);
  CHECK_EQ(zg_metric_value(g), 99);
  CHECK_EQ(zg_metric_value(h), 3);
  zg_buf_t out;
  zg_buf_init(&out);
  CHECK_OK(zg_metrics_render(m, &out));
  CHECK_OK(zg_buf_push(&out, 0));
  const char *want = "# HELP zg_test_total a counter\n"
                     "# TYPE zg_test_total counter\n"
                     "zg_test_total{method=\"a\"} 3\n"
                     "zg_test_total{method=\"b\"} 0\n"
                     "# HELP zg_bytes stored bytes\n"
                     "# TYPE zg_bytes gauge\n"
                     "zg_bytes 99\n"
                     "# HELP zg_lat_seconds latency\n"
                     "# TYPE zg_lat_seconds histogram\n"
                     "zg_lat_seconds_bucket{le=\"0.5\"} 1\n"
                     "zg_lat_seconds_bucket{le=\"1\"} 2\n"
                     "zg_lat_seconds_bucket{le=\"2.5\"} 2\n"
                     "zg_lat_seconds_bucket{le=\"+Inf\"} 3\n"
                     "zg_lat_seconds_sum 8.25\n"
                     "zg_lat_seconds_count 3\n";
  if (strcmp((const char *)out.ptr, want) != 0) ZGT_FAIL("render:\n%s", (const char *)out.ptr);
  zg_buf_clear(&out);
  zg_metrics_destroy(m);
}

typedef struct {
  zg_metric_t *c, *h;
} hammer_t;

static void *hammer(void *arg) {
  hammer_t *t = arg;
  for (int i = 0; i < 20000; i++) {
    zg_counter_add(t->c, 1);
    zg_histogram_observe(t->h, 1.0);
  }
  return NULL;
}

static void test_metrics_threads(void) {
  zg_metrics_t *m;
  hammer_t t;
  const double bounds[] = {0.5, 2};
  CHECK_OK(zg_metrics_create(&m));
  CHECK_OK(zg_metrics_counter(m, &t.c, "n_total", "n", NULL));
  CHECK_OK(zg_metrics_histogram(m, &t.h, "h", "h", NULL, bounds, 2));
  pthread_t th[4];
  for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, hammer, &t);
  for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
  CHECK_EQ(zg_metric_value(t.c), 80000);
  CHECK_EQ(zg_metric_value(t.h), 80000);
  zg_buf_t out;
  zg_buf_init(&out);
  CHECK_OK(zg_metrics_render(m, &out));
  CHECK_OK(zg_buf_push(&out, 0));
  CHECK(strstr((const char *)out.ptr, "h_sum 80000\n") != NULL);
  zg_buf_clear(&out);
  zg_metrics_destroy(m);
}

/* ---- HTTP end to end ---- */

typedef struct {
  zg_metrics_t *metrics;
} site_t;

static void metrics_route(void *arg, const zg_http_request_t *req, zg_http_response_t *resp) {
  site_t *s = arg;
  resp->content_type = "text/plain; version=0.0.4";
  if (zg_metrics_render(s->metrics, &resp->body) != ZG_OK) resp->status = 500;
}

static void health_route(void *arg, const zg_http_request_t *req, zg_http_response_t *resp) {
  resp->content_type = "text/plain";
  if (zg_buf_append(&resp->body, "ok\n", 3) != ZG_OK) resp->status = 500;
}

typedef struct {
  const char *url;
  int ok;
} caller_t;

static void *caller(void *arg) {
  caller_t *c = arg;
  zg_rpc_client_t *cl;
  if (zg_rpc_client_create(&cl, c->url, 10000) != ZG_OK) return NULL;
  for (int i = 0; i < 50; i++) {
    json_t *r = NULL;
    if (zg_rpc_client_call(cl, &r, NULL, "add", json_pack("[i,i]", i, 1)) == ZG_OK &&
        json_integer_value(r) == i + 1)
      c->ok++;
    json_decref(r);
  }
  zg_rpc_client_destroy(cl);
  return NULL;
}

static void test_http(void) {
  zg_metrics_t *m;
  CHECK_OK(zg_metrics_create(&m));
  site_t site = {m};
  zg_rpc_t *rpc = make_rpc(m, 0);
  zg_http_server_t *srv;
  zg_http_opts_t o = {"127.0.0.1", 0, 4096, 2, 64, 10};
  CHECK_OK(zg_http_server_create(&srv, &o));
  CHECK_OK(zg_rpc_attach(rpc, srv, "/"));
  CHECK_OK(zg_http_server_route(srv, "GET", "/metrics", metrics_route, &site));
  CHECK_OK(zg_http_server_route(srv, "GET", "/health", health_route, &site));
  CHECK_ERR(zg_http_server_route(srv, "GET", "/health", health_route, &site), ZG_EEXIST);
  CHECK_OK(zg_http_server_start(srv));
  CHECK_ERR(zg_http_server_route(srv, "GET", "/x", health_route, &site), ZG_ESTATE);
  uint16_t port = zg_http_server_port(srv);
  CHECK(port != 0);
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%u", port);
  printf("  server on %s\n", url);

  zg_rpc_client_t *cl;
  CHECK_OK(zg_rpc_client_create(&cl, url, 10000));
  json_t *r = NULL;
  zg_rpc_error_t re;
  CHECK_OK(zg_rpc_client_call(cl, &r, &re, "add", json_pack("[i,s]", 40, "0x2")));
  CHECK_EQ(json_integer_value(r), 42);
  json_decref(r);
  CHECK_ERR(zg_rpc_client_call(cl, &r, &re, "nope", NULL), ZG_EINVAL);
  CHECK_EQ(re.code, ZG_RPC_METHOD_NOT_FOUND);
  CHECK(r == NULL);
  CHECK_OK(zg_rpc_client_call(cl, &r, &re, "arena", NULL));
  CHECK(json_integer_value(r) >= 100000);
  json_decref(r);

  zg_buf_t out;
  zg_buf_init(&out);
  long status;
  /* Malformed JSON over HTTP: 200 with a parse error. */
  CHECK_OK(zg_rpc_client_post(cl, &out, &status, "{oops", 5));
  CHECK_EQ(status, 200);
  r = json_loadb((const char *)out.ptr, out.len, 0, NULL);
  CHECK_EQ(err_code(r), ZG_RPC_PARSE_ERROR);
  json_decref(r);
  /* Oversized: 413 with a JSON-RPC error, the server keeps serving. */
  size_t big = 100000;
  char *body = malloc(big);
  memset(body, ' ', big);
  out.len = 0;
  CHECK_OK(zg_rpc_client_post(cl, &out, &status, body, big));
  CHECK_EQ(status, 413);
  r = json_loadb((const char *)out.ptr, out.len, 0, NULL);
  CHECK_EQ(err_code(r), ZG_RPC_TOO_LARGE);
  json_decref(r);
  body[big - 1] = '\0';
  CHECK_ERR(zg_rpc_client_call(cl, &r, &re, "echo", json_pack("[s]", body)), ZG_EINVAL);
  free(body);
  CHECK_EQ(re.code, ZG_RPC_TOO_LARGE);
  /* Only notifications: 204 and no body. */
  out.len = 0;
  const char *note = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\"}";
  CHECK_OK(zg_rpc_client_post(cl, &out, &status, note, strlen(note)));
  CHECK_EQ(status, 204);
  CHECK_EQ(out.len, 0);
  /* Routes. */
  out.len = 0;
  CHECK_OK(zg_rpc_client_get(cl, &out, &status, "/health"));
  CHECK(status == 200 && out.len == 3 && memcmp(out.ptr, "ok\n", 3) == 0);
  CHECK_OK(zg_rpc_client_get(cl, &out, &status, "/nothing"));
  CHECK_EQ(status, 404);
  CHECK_OK(zg_rpc_client_get(cl, &out, &status, "/"));
  CHECK_EQ(status, 405);

  /* Concurrent callers on their own connections. */
  pthread_t th[4];
  caller_t cs[4];
  for (int i = 0; i < 4; i++) {
    cs[i] = (caller_t){url, 0};
    pthread_create(&th[i], NULL, caller, &cs[i]);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    CHECK_EQ(cs[i].ok, 50);
  }
  out.len = 0;
  CHECK_OK(zg_rpc_client_get(cl, &out, &status, "/metrics"));
  CHECK_EQ(status, 200);
  CHECK_OK(zg_buf_push(&out, 0));
  CHECK(strstr((const char *)out.ptr, "zg_rpc_requests_total{method=\"add\"} 201\n") != NULL);
  CHECK(strstr((const char *)out.ptr, "zg_rpc_errors_total{method=\"(unknown)\"} 1\n") != NULL);
  CHECK(strstr((const char *)out.ptr, "zg_rpc_latency_seconds_count{method=\"add\"} 201\n") != NULL);
  zg_buf_clear(&out);
  zg_rpc_client_destroy(cl);

  zg_http_server_stop(srv);
  zg_http_server_stop(srv);
  /* Stopped: connections are refused. */
  CHECK_OK(zg_rpc_client_create(&cl, url, 2000));
  CHECK(zg_rpc_client_call(cl, &r, &re, "echo", NULL) != ZG_OK);
  zg_rpc_client_destroy(cl);
  zg_http_server_destroy(srv);
  zg_rpc_destroy(rpc);
  zg_metrics_destroy(m);
}

static void test_addr(void) {
  char host[64];
  uint16_t port;
  CHECK_OK(zg_http_parse_addr(host, sizeof host, &port, "127.0.0.1:5678"));
  CHECK(strcmp(host, "127.0.0.1") == 0 && port == 5678);
  CHECK_OK(zg_http_parse_addr(host, sizeof host, &port, "localhost:0"));
  CHECK_ERR(zg_http_parse_addr(host, sizeof host, &port, "127.0.0.1"), ZG_EINVAL);
  CHECK_ERR(zg_http_parse_addr(host, sizeof host, &port, "127.0.0.1:70000"), ZG_EINVAL);
  CHECK_ERR(zg_http_parse_addr(host, sizeof host, &port, "example.com:80"), ZG_EINVAL);
  CHECK_ERR(zg_http_parse_addr(host, sizeof host, &port, ":80"), ZG_EINVAL);
  CHECK_ERR(zg_http_parse_addr(host, sizeof host, &port, "1.2.3.4:-1"), ZG_EINVAL);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_single_calls);
  ZGT_RUN(test_errors);
  ZGT_RUN(test_batch);
  ZGT_RUN(test_params);
  ZGT_RUN(test_arena);
  ZGT_RUN(test_metrics);
  ZGT_RUN(test_metrics_threads);
  ZGT_RUN(test_http);
  ZGT_RUN(test_addr);
  return zgt_done();
}

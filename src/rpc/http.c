/*
 * http.c — the HTTP server of zg/http_server.h on libmicrohttpd, and the
 * per-request arena.
 *
 * Request life: MHD calls access_cb first with *con_cls NULL (headers read):
 * we look the route up and, when Content-Length exceeds max_body, answer at
 * once (MHD then closes the connection without reading the body). Further
 * calls deliver the body in pieces, appended to a buffer that never exceeds
 * max_body (a chunked body that grows past it is dropped and the request
 * marked oversized). The last call (upload size 0) runs the handler and
 * queues its response, whose body storage MHD frees. completed_cb frees the
 * request state, arena included, on every path (also aborted connections).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "zg/http_server.h"
#include "zg/log.h"

/* ---- Arena ---- */

typedef struct arena_block {
  struct arena_block *next;
  size_t cap, used;
  _Alignas(16) uint8_t data[];
} arena_block_t;

struct zg_arena {
  arena_block_t *head;
  size_t total;
};

#define ARENA_BLOCK 16384u

zg_arena_t *zg_arena_create(void) { return calloc(1, sizeof(zg_arena_t)); }

void zg_arena_destroy(zg_arena_t *a) {
  if (!a) return;
  for (arena_block_t *b = a->head, *n; b; b = n) {
    n = b->next;
    free(b);
  }
  free(a);
}

void *zg_arena_alloc(zg_arena_t *a, size_t n) {
  if (!a || n == 0 || n > SIZE_MAX / 2) return NULL;
  size_t need = (n + 15) & ~(size_t)15;
  arena_block_t *b = a->head;
  if (!b || b->cap - b->used < need) {
    size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;
    b = malloc(sizeof *b + cap);
    if (!b) return NULL;
    b->cap = cap;
    b->used = 0;
    if (a->head && need > ARENA_BLOCK) {
      /* A big one-off block goes behind the current one, which keeps its room. */
      b->next = a->head->next;
      a->head->next = b;
    } else {
      b->next = a->head;
      a->head = b;
    }
  }
  void *p = b->data + b->used;
  b->used += need;
  a->total += n;
  return p;
}

size_t zg_arena_used(const zg_arena_t *a) { return a ? a->total : 0; }

/* ---- Server ---- */

#define MAX_ROUTES 32

typedef struct {
  const char *method, *path;
  zg_http_handler_fn fn;
  void *arg;
} route_t;

struct zg_http_server {
  zg_http_opts_t opts;
  char host[64];
  route_t routes[MAX_ROUTES];
  size_t nroutes;
  struct MHD_Daemon *daemon;
  uint16_t port;
  bool started;
};

typedef struct {
  const route_t *route; /* NULL: no route (404/405 answered at the end) */
  bool method_mismatch;
  bool oversized;
  bool answered; /* a response was queued early */
  zg_buf_t body;
  zg_arena_t *arena;
} req_state_t;

zg_err_t zg_http_server_create(zg_http_server_t **out, const zg_http_opts_t *opts) {
  *out = NULL;
  zg_http_server_t *s = calloc(1, sizeof *s);
  if (!s) return ZG_ENOMEM;
  if (opts) s->opts = *opts;
  snprintf(s->host, sizeof s->host, "%s", s->opts.host ? s->opts.host : "127.0.0.1");
  s->opts.host = s->host;
  if (!s->opts.max_body) s->opts.max_body = 32u << 20;
  if (!s->opts.threads) s->opts.threads = 4;
  if (!s->opts.max_conns) s->opts.max_conns = 256;
  if (!s->opts.timeout_s) s->opts.timeout_s = 60;
  *out = s;
  return ZG_OK;
}

zg_err_t zg_http_server_route(zg_http_server_t *s, const char *method, const char *path, zg_http_handler_fn fn,
                              void *arg) {
  if (!s || !method || !path || !fn) return ZG_EINVAL;
  if (s->started) return ZG_ESTATE;
  for (size_t i = 0; i < s->nroutes; i++)
    if (strcmp(s->routes[i].method, method) == 0 && strcmp(s->routes[i].path, path) == 0) return ZG_EEXIST;
  if (s->nroutes == MAX_ROUTES) return ZG_EOVERFLOW;
  s->routes[s->nroutes++] = (route_t){method, path, fn, arg};
  return ZG_OK;
}

static void free_buf_cb(void *p) { free(p); }

/* Queues a response holding resp's body (ownership moves to MHD). */
static enum MHD_Result send_response(struct MHD_Connection *conn, zg_http_response_t *resp) {
  struct MHD_Response *r;
  if (resp->body.len) {
    r = MHD_create_response_from_buffer_with_free_callback(resp->body.len, resp->body.ptr, free_buf_cb);
    if (r) zg_buf_init(&resp->body); /* MHD owns the storage now */
  } else {
    r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  }
  zg_buf_clear(&resp->body);
  if (!r) return MHD_NO;
  if (resp->content_type) MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
  enum MHD_Result ret = MHD_queue_response(conn, (unsigned)resp->status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result send_text(struct MHD_Connection *conn, int status, const char *text) {
  zg_http_response_t resp = {status, "text/plain; charset=utf-8", {0}};
  if (zg_buf_append(&resp.body, text, strlen(text)) != ZG_OK) return MHD_NO;
  return send_response(conn, &resp);
}

static enum MHD_Result run_handler(struct MHD_Connection *conn, req_state_t *st, const char *method,
                                   const char *url) {
  zg_http_request_t req = {method, url, st->body.len ? st->body.ptr : NULL, st->body.len, st->oversized,
                           st->arena};
  zg_http_response_t resp = {st->oversized ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_OK, "application/json", {0}};
  st->route->fn(st->route->arg, &req, &resp);
  st->answered = true;
  return send_response(conn, &resp);
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                 const char *version, const char *upload_data, size_t *upload_data_size,
                                 void **con_cls) {
  zg_http_server_t *s = cls;
  req_state_t *st = *con_cls;
  if (!st) {
    st = calloc(1, sizeof *st);
    if (!st) return MHD_NO;
    *con_cls = st;
    for (size_t i = 0; i < s->nroutes; i++) {
      if (strcmp(s->routes[i].path, url) != 0) continue;
      if (strcmp(s->routes[i].method, method) == 0) {
        st->route = &s->routes[i];
        break;
      }
      st->method_mismatch = true;
    }
    if (st->route) {
      st->arena = zg_arena_create();
      if (!st->arena) return MHD_NO;
      const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
      if (cl) {
        char *end;
        unsigned long long n = strtoull(cl, &end, 10);
        if (*end != '\0' || n > s->opts.max_body) {
          /* Answer before reading the body; MHD closes the connection after. */
          st->oversized = true;
          return run_handler(conn, st, method, url);
        }
        if (n && zg_buf_reserve(&st->body, (size_t)n) != ZG_OK) return MHD_NO;
      }
    }
    return MHD_YES;
  }
  if (*upload_data_size) {
    size_t n = *upload_data_size;
    *upload_data_size = 0;
    if (st->answered || !st->route || st->oversized) return MHD_YES; /* discarded */
    if (n > s->opts.max_body - st->body.len) {
      st->oversized = true;
      zg_buf_clear(&st->body);
      return MHD_YES;
    }
    if (zg_buf_append(&st->body, upload_data, n) != ZG_OK) return MHD_NO;
    return MHD_YES;
  }
  if (st->answered) return MHD_YES;
  if (!st->route) {
    st->answered = true;
    if (st->method_mismatch) return send_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
    return send_text(conn, MHD_HTTP_NOT_FOUND, "not found\n");
  }
  return run_handler(conn, st, method, url);
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  req_state_t *st = *con_cls;
  if (!st) return;
  /* Bulk bodies (segment uploads: megabytes of public file data) are freed
   * without the wipe, which cost ~4% of a node's upload CPU; small ones,
   * where a request could carry something private, are still wiped. */
  if (st->body.len > (64u << 10)) free(st->body.ptr);
  else zg_buf_clear(&st->body);
  zg_arena_destroy(st->arena);
  free(st);
  *con_cls = NULL;
}

/* Every accepted connection gets TCP_NODELAY: a response leaves as soon as
 * it is written (headers and body may go in separate writes, and Nagle plus
 * the client's delayed ACK would otherwise stall each response ~40 ms). */
static void conn_cb(void *cls, struct MHD_Connection *conn, void **socket_context,
                    enum MHD_ConnectionNotificationCode toe) {
  if (toe != MHD_CONNECTION_NOTIFY_STARTED) return;
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
  int one = 1;
  if (ci) (void)setsockopt(ci->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void mhd_log(void *cls, const char *fmt, va_list ap) {
  char msg[256];
  vsnprintf(msg, sizeof msg, fmt, ap);
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r')) msg[--n] = '\0';
  zg_logd("http", "%s", msg);
}

zg_err_t zg_http_server_start(zg_http_server_t *s) {
  if (!s) return ZG_EINVAL;
  if (s->started) return ZG_ESTATE;
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(s->opts.port);
  const char *host = strcmp(s->host, "localhost") == 0 ? "127.0.0.1" : s->host;
  if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) return ZG_EINVAL;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
  s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, access_cb, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                               MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->opts.threads, MHD_OPTION_CONNECTION_LIMIT,
                               (unsigned)s->opts.max_conns, MHD_OPTION_CONNECTION_TIMEOUT,
                               (unsigned)s->opts.timeout_s, MHD_OPTION_NOTIFY_COMPLETED, completed_cb, s,
                               MHD_OPTION_NOTIFY_CONNECTION, conn_cb, s,
                               MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_LISTENING_ADDRESS_REUSE,
                               (unsigned)1, MHD_OPTION_END);
  if (!s->daemon) return ZG_EIO;
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  s->port = info ? info->port : s->opts.port;
  s->started = true;
  return ZG_OK;
}

uint16_t zg_http_server_port(const zg_http_server_t *s) { return s ? s->port : 0; }

void zg_http_server_stop(zg_http_server_t *s) {
  if (!s || !s->daemon) return;
  MHD_stop_daemon(s->daemon); /* joins the threads; requests in progress complete first */
  s->daemon = NULL;
}

void zg_http_server_destroy(zg_http_server_t *s) {
  if (!s) return;
  zg_http_server_stop(s);
  free(s);
}

zg_err_t zg_http_parse_addr(char *host, size_t hostcap, uint16_t *port, const char *addr) {
  if (!host || !hostcap || !port || !addr) return ZG_EINVAL;
  host[0] = '\0';
  *port = 0;
  const char *colon = strrchr(addr, ':');
  if (!colon || colon == addr || (size_t)(colon - addr) >= hostcap || !colon[1]) return ZG_EINVAL;
  char *end;
  unsigned long p = strtoul(colon + 1, &end, 10);
  if (*end || p > 65535 || colon[1] < '0' || colon[1] > '9') return ZG_EINVAL;
  memcpy(host, addr, (size_t)(colon - addr));
  host[colon - addr] = '\0';
  struct in_addr ia;
  if (strcmp(host, "localhost") != 0 && inet_pton(AF_INET, host, &ia) != 1) {
    host[0] = '\0';
    return ZG_EINVAL;
  }
  *port = (uint16_t)p;
  return ZG_OK;
}

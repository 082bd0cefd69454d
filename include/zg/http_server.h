/*
 * zg/http_server.h — a small HTTP/1.1 server on libmicrohttpd for the node's
 * JSON-RPC, /metrics and /health endpoints (layer 8, src/rpc/http.c).
 *
 * Model: a fixed route table (method + exact path -> handler) set up before
 * zg_http_server_start; requests run on libmicrohttpd's internal thread pool
 * (opts.threads threads, each polling its share of the connections), so a
 * handler may block (on the store's fsync) without stopping the others, and
 * handlers must be thread-safe.
 *
 * Bodies: a request body is buffered whole, but never beyond opts.max_body.
 * A request that declares a larger Content-Length is answered at once
 * without reading the body; a chunked body that grows past the limit is
 * discarded as it arrives. Either way the route's handler is called with
 * req->oversized set and a 413 status preset, so it can answer in its own
 * format (the JSON-RPC layer answers with a JSON-RPC error).
 *
 * Memory: each request owns an arena (zg_arena_t) for scratch that lives
 * until the response is sent; the handler's response body is a zg_buf_t
 * whose storage is handed to libmicrohttpd (no copy).
 *
 * Stop: zg_http_server_stop stops accepting, lets the requests in progress
 * finish, and joins the threads.
 */
#ifndef ZG_HTTP_SERVER_H
#define ZG_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"

/* ---- Per-request arena ---- */

/* A bump allocator freed in one go. Not thread-safe (one request, one thread). */
typedef struct zg_arena zg_arena_t;

/* Creates an empty arena. NULL on allocation failure. */
zg_arena_t *zg_arena_create(void);
/* Frees every block the arena handed out, and the arena. NULL is fine. */
void zg_arena_destroy(zg_arena_t *a);
/* n bytes aligned to 16, valid until the arena is destroyed; NULL when out of
 * memory or n is 0. */
void *zg_arena_alloc(zg_arena_t *a, size_t n);
/* Bytes handed out so far (for tests and metrics). */
size_t zg_arena_used(const zg_arena_t *a);

/* ---- Server ---- */

typedef struct {
  const char *method;  /* "GET", "POST", ... */
  const char *path;    /* URL path without the query, e.g. "/" */
  const uint8_t *body; /* the body (NULL when empty or oversized); borrowed for the call */
  size_t body_len;
  bool oversized;      /* the body exceeded max_body and was not read */
  zg_arena_t *arena;   /* scratch for the handler, freed after the response */
} zg_http_request_t;

typedef struct {
  int status;               /* preset to 200 (413 when oversized) */
  const char *content_type; /* a static string; preset to "application/json" */
  zg_buf_t body;            /* empty; the handler fills it, the server frees it */
} zg_http_response_t;

/* A route handler. arg is the pointer given at zg_http_server_route. */
typedef void (*zg_http_handler_fn)(void *arg, const zg_http_request_t *req, zg_http_response_t *resp);

typedef struct {
  const char *host;   /* IPv4 address to bind (NULL: "127.0.0.1") */
  uint16_t port;      /* 0: an ephemeral port, see zg_http_server_port */
  size_t max_body;    /* bytes (0: 32 MiB) */
  unsigned threads;   /* worker threads (0: 4) */
  unsigned max_conns; /* concurrent connections (0: 256) */
  unsigned timeout_s; /* idle connection timeout (0: 60) */
} zg_http_opts_t;

typedef struct zg_http_server zg_http_server_t;

/* Creates a stopped server with the given options (copied; may be NULL).
 * ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_http_server_create(zg_http_server_t **out, const zg_http_opts_t *opts);
/* Adds a route: requests whose method and path match exactly go to fn. Only
 * before start. ZG_EINVAL for NULL arguments, ZG_ESTATE after start,
 * ZG_EEXIST for a duplicate, ZG_EOVERFLOW past 32 routes. Strings are
 * borrowed for the life of the server. */
ZG_WARN_UNUSED zg_err_t zg_http_server_route(zg_http_server_t *s, const char *method, const char *path,
                                             zg_http_handler_fn fn, void *arg);
/* Binds and starts serving. ZG_EINVAL for a host that is not an IPv4
 * address, ZG_EIO when the address cannot be bound, ZG_ESTATE when started. */
ZG_WARN_UNUSED zg_err_t zg_http_server_start(zg_http_server_t *s);
/* The bound port (after start; the ephemeral one when opts.port was 0). */
uint16_t zg_http_server_port(const zg_http_server_t *s);
/* Stops: no new connections, requests in progress finish, threads joined.
 * Idempotent. */
void zg_http_server_stop(zg_http_server_t *s);
/* Stops if needed and frees the server. NULL is fine. */
void zg_http_server_destroy(zg_http_server_t *s);

/* Parses "HOST:PORT" (IPv4 dotted quad or "localhost") into host (a
 * NUL-terminated copy, hostcap bytes) and port. ZG_EINVAL when malformed. */
ZG_WARN_UNUSED zg_err_t zg_http_parse_addr(char *host, size_t hostcap, uint16_t *port, const char *addr);

#endif

/*
 * zg/jsonrpc.h — JSON-RPC 2.0 server core on jansson (src/rpc/jsonrpc.c):
 * a method table, request decoding (single, batch, notifications), the
 * standard error codes, and strict parameter decoders in Ethereum's and 0G's
 * conventions (hashes 0x + 64 hex digits, quantities as JSON numbers or
 * 0x-hex strings, bytes as base64).
 *
 * A method handler gets the call's context, the params (an array for
 * positional or an object for named parameters, NULL when absent) and
 * returns a zg_err_t; on success *result is a new reference (NULL means JSON
 * null). On failure it may call zg_rpc_fail to choose the JSON-RPC code and
 * message; otherwise the code is derived from the zg_err_t (parameter-type
 * errors give -32602, the others -32000 with zg_strerror's text, memory and
 * I/O faults -32603).
 *
 * zg_rpc_handle is transport-free (the HTTP glue, tests and the fuzz target
 * call it). Threads: after the last registration the table is read-only and
 * zg_rpc_handle may run on many threads at once; handlers must be
 * thread-safe.
 */
#ifndef ZG_JSONRPC_H
#define ZG_JSONRPC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"
#include "zg/http_server.h"
#include "zg/metrics.h"

/* Standard codes (JSON-RPC 2.0 section 5.1). */
#define ZG_RPC_PARSE_ERROR (-32700)
#define ZG_RPC_INVALID_REQUEST (-32600)
#define ZG_RPC_METHOD_NOT_FOUND (-32601)
#define ZG_RPC_INVALID_PARAMS (-32602)
#define ZG_RPC_INTERNAL_ERROR (-32603)
/* Application codes (the -32000..-32099 server range). */
#define ZG_RPC_SERVER_ERROR (-32000) /* the call was understood and refused */
#define ZG_RPC_NOT_FOUND (-32001)    /* the file, tx or segment is unknown */
#define ZG_RPC_BAD_PROOF (-32002)    /* a proof or data failed verification */
#define ZG_RPC_WRONG_SHARD (-32003)  /* a segment this node's shard does not hold */
#define ZG_RPC_STORAGE_FULL (-32004) /* no space left */
#define ZG_RPC_TOO_LARGE (-32005)    /* request body or batch over the limit */

typedef struct zg_rpc zg_rpc_t;

/* One call in progress. */
typedef struct {
  void *arg;          /* the method's registration argument */
  const char *method; /* the method name */
  zg_arena_t *arena;  /* the request's arena (may be NULL outside HTTP) */
  int code;           /* 0, or the code chosen by zg_rpc_fail */
  char message[256];
  json_t *data;       /* NULL, or the error's "data" member (owned; set by zg_rpc_fail_data) */
} zg_rpc_call_t;

typedef zg_err_t (*zg_rpc_method_fn)(zg_rpc_call_t *call, const json_t *params, json_t **result);

typedef struct {
  size_t max_batch;      /* requests per batch (0: 100) */
  zg_metrics_t *metrics; /* NULL: no metrics; borrowed for the life of the rpc */
  const char *prefix;    /* metric name prefix (NULL: "zg_rpc") */
} zg_rpc_opts_t;

/* Creates an empty method table. opts may be NULL. ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_rpc_create(zg_rpc_t **out, const zg_rpc_opts_t *opts);
/* Frees the table. NULL is fine. */
void zg_rpc_destroy(zg_rpc_t *rpc);
/* Registers name -> fn (name copied; arg borrowed). ZG_EEXIST for a
 * duplicate, ZG_EINVAL for an empty name or NULL fn, ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_rpc_register(zg_rpc_t *rpc, const char *name, zg_rpc_method_fn fn, void *arg);

/*
 * Handles one request body of len bytes: parses it, runs the method(s) and
 * appends the response JSON to out. out is left empty when there is nothing
 * to answer (only notifications). Malformed input is answered with the
 * standard error responses; the function itself fails only with ZG_ENOMEM.
 * arena (may be NULL) is handed to the handlers.
 */
ZG_WARN_UNUSED zg_err_t zg_rpc_handle(zg_rpc_t *rpc, zg_buf_t *out, zg_arena_t *arena, const char *body,
                                      size_t len);

/* Appends an error response {"jsonrpc":"2.0","id":null,"error":{code,message}}. */
ZG_WARN_UNUSED zg_err_t zg_rpc_error_response(zg_buf_t *out, int code, const char *message);

/* Routes POST path of server to rpc (oversized bodies get HTTP 413 with a
 * ZG_RPC_TOO_LARGE error; an all-notification request gets 204). */
ZG_WARN_UNUSED zg_err_t zg_rpc_attach(zg_rpc_t *rpc, zg_http_server_t *server, const char *path);

/* Sets the call's error code and message (printf format); returns ZG_EINVAL
 * so that a handler can `return zg_rpc_fail(...)`. */
zg_err_t zg_rpc_fail(zg_rpc_call_t *call, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* As zg_rpc_fail, and the error object gets "data": data (a new reference
 * that the call takes over, also on failure; NULL: no data member). Used for
 * geth's execution-reverted errors, whose data is the revert payload. */
zg_err_t zg_rpc_fail_data(zg_rpc_call_t *call, int code, json_t *data, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- Parameter decoding ----
 * Each decoder fails with ZG_EINVAL after recording an invalid-params message
 * naming `what` in call (call may be NULL). */

/* The parameter at position i of an array, or member name of an object
 * (name may be NULL); NULL when absent. Borrowed from params. */
const json_t *zg_rpc_param(const json_t *params, size_t i, const char *name);
/* Checks params is absent, an array or an object, with between min and max
 * positional entries (objects are not counted). */
ZG_WARN_UNUSED zg_err_t zg_rpc_params_check(zg_rpc_call_t *call, const json_t *params, size_t min, size_t max);
/* A 32-byte hash: "0x" + 64 hex digits, either case. */
ZG_WARN_UNUSED zg_err_t zg_rpc_get_hash(zg_rpc_call_t *call, uint8_t out[32], const json_t *v, const char *what);
/* An unsigned 64-bit quantity: a JSON integer >= 0, or a string "0x" + 1..16
 * hex digits without leading zeros (Ethereum's QUANTITY; "0x0" is zero). */
ZG_WARN_UNUSED zg_err_t zg_rpc_get_u64(zg_rpc_call_t *call, uint64_t *out, const json_t *v, const char *what);
/* JSON true or false. */
ZG_WARN_UNUSED zg_err_t zg_rpc_get_bool(zg_rpc_call_t *call, bool *out, const json_t *v, const char *what);
/* Standard padded base64 of at most max bytes, appended to out. */
ZG_WARN_UNUSED zg_err_t zg_rpc_get_base64(zg_rpc_call_t *call, zg_buf_t *out, const json_t *v, size_t max,
                                          const char *what);

/* Encoders for results: new references, NULL on allocation failure. */
json_t *zg_rpc_hash_json(const uint8_t h[32]);
json_t *zg_rpc_base64_json(const uint8_t *p, size_t n);

#endif

/*
 * zg/rpc_client.h — a JSON-RPC 2.0 client over HTTP on libcurl
 * (src/rpc/client.c), used by the CLI verbs and the tests.
 *
 * One client talks to one URL over one kept-alive connection; it is not
 * thread-safe (give each thread its own client). Every call has a total
 * timeout; curl's codes are translated here: ZG_ETIMEOUT for a timeout,
 * ZG_EIO for connection failures and HTTP errors without a JSON-RPC body,
 * ZG_EJSON for a response that is not a JSON-RPC response.
 */
#ifndef ZG_RPC_CLIENT_H
#define ZG_RPC_CLIENT_H

#include <jansson.h>
#include <stddef.h>

#include "zg/bytes.h"
#include "zg/err.h"

typedef struct zg_rpc_client zg_rpc_client_t;

/* A JSON-RPC error the server answered with. */
typedef struct {
  int code; /* 0 when the failure was not a JSON-RPC error */
  char message[256];
} zg_rpc_error_t;

/* Creates a client for url ("http://127.0.0.1:5678", copied) with a per-call
 * timeout in milliseconds (0: 30 s). ZG_EINVAL for an empty url, ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_rpc_client_create(zg_rpc_client_t **out, const char *url, unsigned timeout_ms);
/* Frees the client. NULL is fine. */
void zg_rpc_client_destroy(zg_rpc_client_t *c);
/* The URL the client talks to (borrowed). */
const char *zg_rpc_client_url(const zg_rpc_client_t *c);

/*
 * Calls method with params (an array or object; the reference is STOLEN,
 * NULL for none). On success *result is a new reference to the result
 * (json null included). When the server answers with a JSON-RPC error the
 * call returns ZG_EINVAL and rerr (may be NULL) holds its code and message;
 * on transport failures rerr->code is 0 and the message says what failed.
 */
ZG_WARN_UNUSED zg_err_t zg_rpc_client_call(zg_rpc_client_t *c, json_t **result, zg_rpc_error_t *rerr,
                                           const char *method, json_t *params);

/*
 * Like zg_rpc_client_call, but posts a request the caller has already
 * encoded (body, len: a complete JSON-RPC request object, borrowed for the
 * call). For hot paths that write their requests straight into a reused
 * buffer (zg upload's segment batches) instead of building jansson values.
 */
ZG_WARN_UNUSED zg_err_t zg_rpc_client_call_body(zg_rpc_client_t *c, json_t **result, zg_rpc_error_t *rerr,
                                                const void *body, size_t len);

/* Posts len raw bytes and appends the response body to out; *status gets
 * the HTTP status. For tests of malformed requests. */
ZG_WARN_UNUSED zg_err_t zg_rpc_client_post(zg_rpc_client_t *c, zg_buf_t *out, long *status, const void *body,
                                           size_t len);

/* GETs path (e.g. "/metrics") relative to the client's URL into out. */
ZG_WARN_UNUSED zg_err_t zg_rpc_client_get(zg_rpc_client_t *c, zg_buf_t *out, long *status, const char *path);

#endif

/* fuzz_jsonrpc_request.c — JSON-RPC request decoding (zg_rpc_handle) with a
 * method table that exercises every parameter decoder: no crash, no leak,
 * and every non-empty answer is valid JSON. */
#include <stdlib.h>
#include <string.h>

#include "zg/jsonrpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zg_err_t m_all(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  uint8_t h[32];
  uint64_t u;
  bool b;
  zg_buf_t buf;
  ZG_TRY(zg_rpc_params_check(call, params, 1, 4));
  ZG_TRY(zg_rpc_get_hash(call, h, zg_rpc_param(params, 0, "root"), "root"));
  if (zg_rpc_param(params, 1, "n")) ZG_TRY(zg_rpc_get_u64(call, &u, zg_rpc_param(params, 1, "n"), "n"));
  if (zg_rpc_param(params, 2, "b")) ZG_TRY(zg_rpc_get_bool(call, &b, zg_rpc_param(params, 2, "b"), "b"));
  zg_buf_init(&buf);
  zg_err_t e = ZG_OK;
  if (zg_rpc_param(params, 3, "data")) e = zg_rpc_get_base64(call, &buf, zg_rpc_param(params, 3, "data"), 1024, "data");
  if (e == ZG_OK) *result = zg_rpc_base64_json(buf.ptr, buf.len);
  zg_buf_clear(&buf);
  return e;
}

static zg_err_t m_echo(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  *result = params ? json_deep_copy(params) : NULL;
  return ZG_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static zg_rpc_t *rpc;
  if (!rpc) {
    zg_rpc_opts_t o = {8, NULL, NULL};
    if (zg_rpc_create(&rpc, &o) != ZG_OK || zg_rpc_register(rpc, "all", m_all, NULL) != ZG_OK ||
        zg_rpc_register(rpc, "echo", m_echo, NULL) != ZG_OK)
      abort();
  }
  zg_buf_t out;
  zg_buf_init(&out);
  zg_arena_t *a = zg_arena_create();
  if (zg_rpc_handle(rpc, &out, a, (const char *)data, size) != ZG_OK) abort();
  if (out.len) {
    json_t *v = json_loadb((const char *)out.ptr, out.len, 0, NULL);
    if (!v) abort();
    json_decref(v);
  }
  zg_arena_destroy(a);
  zg_buf_clear(&out);
  return 0;
}

/* fuzz_eth_rpc.c — the Ethereum JSON-RPC methods (zg/eth_rpc.h) through
 * zg_rpc_handle against the in-memory backend of tests/rpc/eth_fake.h:
 * block tags with lane suffixes, call objects, log filters, fee history and
 * raw transactions from untrusted bytes. No crash, no leak, every answer is
 * valid JSON, and every single request gets a result or an error. */
#include <stdlib.h>
#include <string.h>

#include "../../tests/rpc/eth_fake.h"
#include "zg/jsonrpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static zg_rpc_t *rpc;
  if (!rpc) {
    zg_rpc_opts_t o = {8, NULL, NULL};
    fake_init();
    if (zg_rpc_create(&rpc, &o) != ZG_OK || zg_eth_rpc_register(rpc, &FAKE_BACKEND) != ZG_OK) abort();
  }
  zg_buf_t out;
  zg_buf_init(&out);
  zg_arena_t *a = (size & 1) ? zg_arena_create() : NULL; /* with and without a request arena */
  if (zg_rpc_handle(rpc, &out, a, (const char *)data, size) != ZG_OK) abort();
  if (out.len) {
    json_t *v = json_loadb((const char *)out.ptr, out.len, 0, NULL);
    if (!v) abort();
    if (json_is_object(v) && !json_object_get(v, "result") == !json_object_get(v, "error")) abort();
    json_decref(v);
  }
  zg_arena_destroy(a);
  zg_buf_clear(&out);
  return 0;
}

/* fuzz_kv_stream.c — the StreamData decoder (zg/kv_stream.h) on arbitrary
 * bytes: no crash or leak, a failure never claims the END stage, and every
 * accepted payload re-encodes to exactly its bytes (one encoding per value). */
#include <stdlib.h>
#include <string.h>

#include "zg/kv_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  zg_kv_stream_t s;
  zg_err_t e = zg_kv_stream_decode(&s, data, size);
  if (e != ZG_OK && s.stage == ZG_KV_STAGE_END) abort();
  if (e == ZG_OK) {
    zg_buf_t b;
    zg_buf_init(&b);
    if (zg_kv_stream_encode(&b, &s) != ZG_OK) abort();
    if (b.len != size || (size && memcmp(b.ptr, data, size) != 0)) abort();
    zg_buf_clear(&b);
  }
  zg_kv_stream_clear(&s);
  return 0;
}

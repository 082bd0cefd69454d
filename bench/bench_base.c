/* bench_base.c — base-layer benchmarks: hex and base64 over 4 KiB. */
#include <string.h>

#include "bench.h"
#include "zg/bytes.h"

ZG_BENCH(base_hex_encode_4k) {
  static uint8_t in[4096];
  static char out[2 * 4096 + 3];
  memset(in, 0xa5, sizeof in);
  b->bytes_per_op = sizeof in;
  while (zg_bench_loop(b)) ZG_BENCH_KEEP(zg_hex_encode(out, in, sizeof in));
}

ZG_BENCH(base_base64_decode_4k) {
  static uint8_t in[4096];
  static char enc[4 * ((4096 + 2) / 3) + 1];
  memset(in, 0x5a, sizeof in);
  size_t n = zg_base64_encode(enc, in, sizeof in);
  zg_buf_t buf;
  zg_buf_init(&buf);
  b->bytes_per_op = sizeof in;
  while (zg_bench_loop(b)) {
    buf.len = 0;
    if (zg_base64_decode(&buf, enc, n) != ZG_OK) break;
  }
  zg_buf_clear(&buf);
}

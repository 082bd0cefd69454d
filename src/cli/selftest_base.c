/* selftest_base.c — self-test section for the base layer: hex and base64. */
#include <string.h>

#include "cli/cli.h"
#include "zg/bytes.h"
#include "zg/log.h"

ZG_SELFTEST(base_hex_base64) {
  bool ok = true;
  uint8_t data[4096];
  ZG_ST_CHECK(ok, zg_random_bytes(data, sizeof data) == ZG_OK);
  static char hex[2 * 4096 + 3], b64[4 * ((4096 + 2) / 3) + 1];
  uint64_t t = zg_clock_ns();
  int rounds = 200;
  for (int i = 0; i < rounds; i++) {
    zg_hex_encode(hex, data, sizeof data);
    uint8_t back[4096];
    if (zg_hex_decode(back, sizeof back, hex, strlen(hex)) != ZG_OK || memcmp(back, data, sizeof data)) ok = false;
  }
  double hex_mbs = (double)rounds * sizeof data * 1e3 / (double)(zg_clock_ns() - t);
  t = zg_clock_ns();
  for (int i = 0; i < rounds; i++) {
    size_t n = zg_base64_encode(b64, data, sizeof data);
    zg_buf_t b;
    zg_buf_init(&b);
    if (zg_base64_decode(&b, b64, n) != ZG_OK || b.len != sizeof data || memcmp(b.ptr, data, b.len)) ok = false;
    zg_buf_clear(&b);
  }
  double b64_mbs = (double)rounds * sizeof data * 1e3 / (double)(zg_clock_ns() - t);
  printf("   hex round trips: %d x 4 KiB random bytes, %.0f MB/s\n", rounds, hex_mbs);
  printf("   base64 round trips: %d x 4 KiB random bytes, %.0f MB/s\n", rounds, b64_mbs);
  zg_buf_t b;
  zg_buf_init(&b);
  ZG_ST_CHECK(ok, zg_base64_decode(&b, "Zh==", 4) == ZG_EBASE64);
  ZG_ST_CHECK(ok, zg_hex_decode(data, 2, "0x0g00", 6) == ZG_EHEX);
  zg_buf_clear(&b);
  printf("   rejected non-canonical base64 'Zh==' and bad hex digit '0x0g00'\n");
  return ok;
}

/* fuzz_hex_base64.c — strict hex and base64 decoders: no crash, and every
 * accepted input re-encodes to itself (canonical forms only). */
#include <stdlib.h>
#include <string.h>

#include "zg/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  zg_buf_t b;
  zg_buf_init(&b);
  if (zg_base64_decode(&b, s, size) == ZG_OK) {
    char *enc = malloc(zg_base64_encoded_len(b.len) + 1);
    size_t n = zg_base64_encode(enc, b.ptr, b.len);
    if (n != size || memcmp(enc, s, n) != 0) abort();
    free(enc);
  }
  zg_buf_clear(&b);
  if (zg_hex_decode_buf(&b, s, size) == ZG_OK) {
    if (b.len != (size - 2) / 2) abort();
    uint8_t *out = malloc(b.len + 1);
    if (zg_hex_decode(out, b.len, s, size) != ZG_OK) abort();
    if (b.len && memcmp(out, b.ptr, b.len) != 0) abort();
    free(out);
  }
  zg_buf_clear(&b);
  return 0;
}

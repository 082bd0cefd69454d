/* fuzz_da_blob.c — the DA blob header and certificate parsers (untrusted
 * bytes from peers and RPC callers): no crash, an accepted header is
 * consistent (rows match the length, the length fits the limit) and
 * re-encodes to the input byte for byte, its digest is computable, and an
 * accepted certificate re-encodes to the input. The first byte picks a
 * small max blob size half of the time so the limit path is exercised. */
#include <stdlib.h>
#include <string.h>

#include "zg/da_blob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  zg_da_params_t p = {(data[0] & 1) ? 0 : (uint64_t)data[0] << 12};
  const uint8_t *in = data + 1;
  size_t n = size - 1;
  zg_da_header_t h;
  if (zg_da_header_parse(&h, in, n, &p) == ZG_OK) {
    if (h.rows != zg_da_rows_for_len(h.payload_len) || h.payload_len > zg_da_max_blob(&p)) abort();
    if (zg_da_header_check(&h, &p) != ZG_OK) abort();
    uint8_t *out = malloc(n);
    size_t w = 0;
    if (zg_da_header_encode(out, n, &w, &h) != ZG_OK || w != n || memcmp(out, in, n) != 0) abort();
    free(out);
    uint8_t d[32];
    if (zg_da_blob_digest(d, &h) != ZG_OK) abort();
  }
  zg_da_cert_t c;
  if (zg_da_cert_parse(&c, in, n) == ZG_OK) {
    uint8_t out[ZG_DA_CERT_WIRE_LEN];
    zg_da_cert_encode(out, &c);
    if (memcmp(out, in, n) != 0) abort();
    if (zg_da_bitmap_count(c.bitmap) > ZG_DA_COLUMNS) abort();
  }
  return 0;
}

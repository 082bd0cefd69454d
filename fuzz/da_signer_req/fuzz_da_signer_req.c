/* fuzz_da_signer_req.c — the DA signer's request/answer decoders
 * (zg_da_store_req_parse, zg_da_cells_resp_parse, zg/da_signer.h): no
 * crash, and every accepted store request re-encodes to the same bytes
 * (one wire form per request). */
#include <stdlib.h>
#include <string.h>

#include "zg/da_signer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static zg_da_store_req_t r;
  static zg_da_cells_resp_t c;
  if (zg_da_store_req_parse(&r, data, size, NULL) == ZG_OK) {
    zg_buf_t b;
    zg_buf_init(&b);
    if (zg_da_store_req_encode(&b, &r.header, r.epoch, r.quorum_id, r.cols, r.n) != ZG_OK) abort();
    if (b.len != size || memcmp(b.ptr, data, size) != 0) abort();
    zg_buf_clear(&b);
  }
  if (zg_da_cells_resp_parse(&c, data, size, NULL) == ZG_OK && c.n > ZG_DA_COLUMNS) abort();
  return 0;
}

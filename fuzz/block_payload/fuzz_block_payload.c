/* fuzz_block_payload.c — the validator's block payload decoder (zg/blockstore.h),
 * which reads what a proposer put in a consensus block: no crash, no read past
 * the input, and every accepted payload re-encodes to the same bytes. */
#include <stdlib.h>
#include <string.h>

#include "zg/blockstore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  zg_block_payload_t p;
  if (zg_block_payload_decode(&p, data, size) != ZG_OK) return 0;
  zg_buf_t b;
  zg_buf_init(&b);
  if (zg_block_payload_encode(&b, &p) != ZG_OK) abort();
  if (b.len != size || memcmp(b.ptr, data, size) != 0) abort();
  zg_buf_clear(&b);
  return 0;
}

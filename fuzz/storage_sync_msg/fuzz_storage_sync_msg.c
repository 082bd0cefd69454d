/* fuzz_storage_sync_msg.c — the storage sync message decoder (peer bytes,
 * src/storage/sync_msg.c): no crash, every accepted input re-encodes to
 * itself, and the proofs a GET answer carries go through the strict proof
 * decoder the sync thread uses. */
#include <stdlib.h>
#include <string.h>

#include "storage/sync_internal.h"
#include "zg/merkle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static zg__sync_msg_t m;
  if (zg__sync_msg_decode(&m, data, size) != ZG_OK) return 0;
  zg_buf_t b;
  zg_buf_init(&b);
  if (zg__sync_msg_encode(&b, &m) != ZG_OK || b.len != size || memcmp(b.ptr, data, size) != 0) abort();
  zg_buf_clear(&b);
  if (m.type == ZG__SYNC_GET_ANSWER) {
    static zg_merkle_proof_t p;
    for (size_t i = 0; i < m.u.got.nsegs; i++)
      if (zg_merkle_proof_decode(&p, m.u.got.segs[i].proof.ptr, m.u.got.segs[i].proof.len) == ZG_OK &&
          p.nlemma > ZG_MERKLE_MAX_PATH + 2)
        abort();
  }
  return 0;
}

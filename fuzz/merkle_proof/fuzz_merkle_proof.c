/* fuzz_merkle_proof.c — decoders of untrusted Merkle proofs and flow state:
 * FileProof JSON and SSZ, then every verifier on the decoded proof (file,
 * segment with the rear-padding rule, flow, range); serialized flow
 * frontiers. Never crashes; accepted proofs re-encode to an equal proof. */
#include <stdlib.h>
#include <string.h>

#include "zg/flow.h"
#include "zg/merkle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(const zg_merkle_proof_t *a, const zg_merkle_proof_t *b) {
  if (a->nlemma != b->nlemma || a->npath != b->npath || memcmp(a->lemma, b->lemma, 32 * (size_t)a->nlemma) ||
      memcmp(a->path, b->path, a->npath * sizeof a->path[0]))
    abort();
}

static void verify_all(const zg_merkle_proof_t *p, uint64_t knob) {
  bool ok;
  uint8_t seg[512] = {0};
  uint64_t nleaves = 1 + (knob & 0xffff), file_size = 1 + (knob >> 16) % (64ull << 20);
  (void)zg_merkle_proof_verify(&ok, p, p->lemma[0], p->lemma[p->nlemma ? p->nlemma - 1 : 0], knob % nleaves,
                               nleaves);
  zg_file_layout_t lay;
  if (zg_file_layout(&lay, file_size) == ZG_OK) {
    uint64_t idx = (knob >> 8) % lay.data_segments;
    size_t len;
    if (zg_segment_data_len(&len, &lay, idx) == ZG_OK && len <= sizeof seg)
      (void)zg_segment_proof_verify(&ok, p, p->lemma[p->nlemma ? p->nlemma - 1 : 0], file_size, idx, seg,
                                    len);
  }
  (void)zg_flow_proof_verify(&ok, p, p->lemma[0], (unsigned)(knob % 12), knob >> 20,
                             p->lemma[p->nlemma ? p->nlemma - 1 : 0], 1 + (knob >> 4));
  zg_flow_range_proof_t rp;
  rp.left = *p;
  rp.right = *p;
  uint8_t leaves[3][32];
  memcpy(leaves[0], p->lemma[0], 32);
  memcpy(leaves[1], p->lemma[0], 32);
  memcpy(leaves[2], p->lemma[0], 32);
  (void)zg_flow_range_verify(&ok, &rp, leaves, 1 + knob % 3, knob >> 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 9) return 0;
  uint64_t knob = 0;
  memcpy(&knob, data + 1, 8);
  const uint8_t *in = data + 9;
  size_t n = size - 9;
  zg_merkle_proof_t *p = malloc(sizeof *p), *q = malloc(sizeof *q);
  zg_buf_t b;
  zg_buf_init(&b);
  switch (data[0] % 3) {
    case 0:
      if (zg_merkle_proof_from_json(p, (const char *)in, n) == ZG_OK) {
        if (zg_merkle_proof_to_json(&b, p) != ZG_OK) abort();
        if (zg_merkle_proof_from_json(q, (const char *)b.ptr, b.len) != ZG_OK) abort();
        same(p, q);
        verify_all(p, knob);
      }
      break;
    case 1:
      if (zg_merkle_proof_decode(p, in, n) == ZG_OK) {
        if (zg_merkle_proof_encode(&b, p) != ZG_OK) abort();
        if (b.len != n || memcmp(b.ptr, in, n) != 0) abort(); /* canonical */
        verify_all(p, knob);
      }
      break;
    default: {
      zg_flow_t f;
      if (zg_flow_deserialize(&f, in, n) == ZG_OK) {
        if (zg_flow_serialize(&b, &f) != ZG_OK || b.len != n || memcmp(b.ptr, in, n) != 0) abort();
        uint8_t root[32];
        zg_flow_root(&f, root);
        zg_merkle_node_t node = {{0}, (uint32_t)(knob % 20)};
        zg_flow_append_t res;
        (void)zg_flow_append(&f, &res, &node, 1);
      }
      break;
    }
  }
  zg_buf_clear(&b);
  free(p);
  free(q);
  return 0;
}

/* selftest_merkle.c — self-test section for the 0G-compatible Merkle layer:
 * file roots of generated files (with MB/s), a segment proof verified and a
 * tampered one rejected, and flow appends with their startPos. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "proto/merkle_internal.h"
#include "zg/flow.h"
#include "zg/log.h"
#include "zg/merkle.h"

typedef struct {
  uint8_t roots[64][32];
  uint64_t n;
} st_segs_t;

static void st_on_seg(void *arg, uint64_t index, const uint8_t root[32]) {
  st_segs_t *s = arg;
  if (index < 64) memcpy(s->roots[index], root, 32);
  s->n = index + 1;
}

static void fill(uint8_t *p, size_t n, uint32_t seed) {
  uint32_t x = seed | 1;
  for (size_t i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    p[i] = (uint8_t)x;
  }
}

ZG_SELFTEST(storage_merkle) {
  bool ok = true;
  static const size_t sizes[] = {1000, (1u << 20) + 1, 4097 * 256, 16u << 20};
  uint8_t *buf = malloc(16u << 20);
  zg_file_root_t roots[4];
  if (!buf) return false;
  for (size_t k = 0; k < 4; k++) {
    fill(buf, sizes[k], (uint32_t)k + 7);
    uint64_t t = zg_clock_ns();
    ZG_ST_CHECK(ok, zg_file_merkle_root(&roots[k], buf, sizes[k], NULL, NULL) == ZG_OK);
    double ms = (double)(zg_clock_ns() - t) / 1e6;
    char hex[67];
    zg_hex_encode(hex, roots[k].root, 32);
    printf("   file of %zu bytes: root %s, %" PRIu64 " chunks padded to %" PRIu64 ", %u node(s) [", sizes[k],
           hex, roots[k].layout.chunks, roots[k].layout.padded_chunks, roots[k].layout.nnodes);
    for (uint32_t i = 0; i < roots[k].layout.nnodes; i++)
      printf("%s2^%u", i ? " + " : "", roots[k].nodes[i].height);
    printf("], %.1f ms, %.0f MB/s\n", ms, (double)sizes[k] / 1e3 / (ms > 0 ? ms : 1e-3));
  }
  printf("   leaf and node hashing: %s Keccak\n", zg__merkle_hash_impl());
  ZG_ST_CHECK(ok,
              roots[2].layout.nnodes == 2 && roots[2].nodes[0].height == 12 && roots[2].nodes[1].height == 9);

  /* A segment proof over a 5-segment file (4097 chunks pad to 4608). */
  size_t len = 4097 * 256;
  st_segs_t segs = {.n = 0};
  zg_file_root_t r;
  fill(buf, len, 9);
  ZG_ST_CHECK(ok, zg_file_merkle_root(&r, buf, len, st_on_seg, &segs) == ZG_OK);
  zg_merkle_tree_t *t = NULL;
  zg_merkle_proof_t p;
  bool v = false;
  zg_buf_t js;
  zg_buf_init(&js);
  if (zg_merkle_tree_create(&t, (const uint8_t(*)[32])segs.roots, segs.n) == ZG_OK &&
      zg_merkle_tree_proof(&p, t, 2) == ZG_OK && zg_merkle_proof_to_json(&js, &p) == ZG_OK) {
    ZG_ST_CHECK(ok, zg_segment_proof_verify(&v, &p, r.root, len, 2, buf + 2 * ZG_SEGMENT_BYTES,
                                            ZG_SEGMENT_BYTES) == ZG_OK &&
                        v);
    printf("   segment 2 of %" PRIu64 ": proof with %u siblings verified (%zu bytes of 0G FileProof JSON)\n",
           segs.n, p.npath, js.len);
    p.lemma[1][5] ^= 1;
    ZG_ST_CHECK(ok, zg_segment_proof_verify(&v, &p, r.root, len, 2, buf + 2 * ZG_SEGMENT_BYTES,
                                            ZG_SEGMENT_BYTES) == ZG_OK &&
                        !v);
    printf("   the same proof with one sibling bit flipped: rejected\n");
  } else {
    ok = false;
  }
  zg_buf_clear(&js);
  zg_merkle_tree_destroy(t);

  /* Flow appends: the files above, in order, with 0G's alignment. */
  zg_flow_t f;
  zg_flow_init(&f);
  for (size_t k = 0; k < 4; k++) {
    zg_flow_append_t res;
    ZG_ST_CHECK(ok, zg_submission_valid(roots[k].layout.size, roots[k].nodes, roots[k].layout.nnodes));
    ZG_ST_CHECK(ok, zg_flow_append(&f, &res, roots[k].nodes, roots[k].layout.nnodes) == ZG_OK);
    ZG_ST_CHECK(ok, res.start_pos % ZG_SECTORS_PER_SEGMENT == 0 ||
                        res.start_pos / ZG_SECTORS_PER_SEGMENT == (f.length - 1) / ZG_SECTORS_PER_SEGMENT);
    uint8_t root[32];
    char hex[67];
    zg_flow_root(&f, root);
    zg_hex_encode(hex, root, 32);
    printf("   flow append of file %zu: startPos %" PRIu64 " (%" PRIu64
           " sectors of alignment padding), length %" PRIu64 ", root %.18s...\n",
           k, res.start_pos, res.padded_length, f.length, hex);
  }
  zg_buf_t st;
  zg_buf_init(&st);
  zg_flow_t g;
  ZG_ST_CHECK(ok, zg_flow_serialize(&st, &f) == ZG_OK && zg_flow_deserialize(&g, st.ptr, st.len) == ZG_OK &&
                      g.length == f.length);
  printf("   flow frontier persisted in %zu bytes and restored\n", st.len);
  zg_buf_clear(&st);
  free(buf);
  return ok;
}

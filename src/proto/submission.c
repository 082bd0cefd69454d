/*
 * submission.c — the Flow contract's submission rules (zg/flow.h): valid(),
 * size() and the identity digest, as 0G's Submission.sol computes them.
 *
 * Lengths are bytes in a uint64 here (uint256 on chain). The capacity checks
 * compare sector counts (ceil(length/256) against capacities), which is
 * equivalent to the contract's byte comparisons and cannot overflow even for
 * heights up to 63.
 */
#include <string.h>

#include "zg/flow.h"
#include "zg/hash.h"

uint64_t zg_submission_sectors(const zg_merkle_node_t *nodes, size_t n) {
  uint64_t s = 0;
  for (size_t i = 0; i < n; i++) {
    if (nodes[i].height >= 64) return UINT64_MAX;
    uint64_t add = 1ull << nodes[i].height;
    if (s > UINT64_MAX - add) return UINT64_MAX;
    s += add;
  }
  return s;
}

bool zg_submission_valid(uint64_t length, const zg_merkle_node_t *nodes, size_t n) {
  if (n == 0 || !nodes) return false;
  uint32_t h0 = nodes[0].height, hl = nodes[n - 1].height;
  if (hl > h0 || h0 - hl >= ZG_SUBMISSION_MAX_NODES) return false; /* Solidity reverts on underflow */
  if (h0 >= ZG_SUBMISSION_MAX_HEIGHT) return false;
  for (size_t i = 0; i + 1 < n; i++)
    if (nodes[i + 1].height >= nodes[i].height) return false;
  /* Heights are now strictly decreasing within 4 of h0 < 64: at most 4
   * nodes and a capacity below 2^64. */
  uint64_t cap = zg_submission_sectors(nodes, n);
  uint64_t sectors = length / ZG_SECTOR_BYTES + (length % ZG_SECTOR_BYTES != 0);
  if (sectors > cap) return false; /* length > cap*256 */
  uint64_t last;
  if (cap < 16)
    last = cap - 1;
  else if (n == 1)
    last = cap - (cap >> 4);
  else
    last = cap - (1ull << (h0 - 3));
  return sectors > last; /* length > last*256 */
}

void zg_submission_digest(uint8_t out[32], const zg_merkle_node_t *nodes, size_t n) {
  zg_keccak256_ctx_t c;
  zg_keccak256_init(&c);
  for (size_t i = 0; i < n; i++) zg_keccak256_update(&c, nodes[i].root, 32);
  zg_keccak256_final(&c, out);
}

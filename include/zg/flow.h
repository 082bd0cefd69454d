/*
 * zg/flow.h — 0G's flow: the one global append-only log of 256-byte sectors
 * and its incremental Keccak Merkle tree, plus the Flow contract's
 * submission rules (layer 5, pure functions shared by the Flow and Mine
 * system contracts and the storage node).
 *
 * The flow tree over `length` sectors has height H = ceil(log2(length)) and
 * 2^H leaf positions: sector 0 is a dummy leaf whose value is raw 0x00..00
 * (the tree starts with length 1), stored sector s (s > 0) has leaf
 * keccak256(sector), and every position at or beyond `length` — and every
 * alignment gap a submission skipped — is a zero sector, Z[0] =
 * keccak256(256 zero bytes). An empty aligned subtree of height h is Z[h]
 * (zg_merkle_zero_hash). This is exactly the root 0G's FlowTreeLib commits.
 *
 * Appending a submission (FlowTreeLib.pad + insertNode): with size = sum of
 * 2^h_i sectors and start = nextAlign(length, h_0), if start is not
 * segment-aligned and [start, start+size) crosses a 1024-sector boundary,
 * length first moves to the next multiple of 1024; then each node i goes at
 * nextAlign(length, h_i) and length = that + 2^h_i. So a file fits in one
 * segment or starts on a segment boundary.
 *
 * State: the frontier (zg_flow_t) is O(log n): for every set bit h of
 * length, the root of the last complete aligned 2^h block. A copy of it at
 * any length is enough, together with the complete subtree roots the log
 * store keeps, to prove sectors against the root of that length: a
 * historical proof needs the frontier snapshot of its length (2,056 bytes as
 * a struct, 8 + 32*popcount(length) + 13 bytes serialized, typically under
 * 1 KiB), e.g. one per submission or per epoch.
 */
#ifndef ZG_FLOW_H
#define ZG_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"
#include "zg/merkle.h"

/* Flow lengths are kept at or below 2^62 sectors (1 EiB). */
#define ZG_FLOW_MAX_LENGTH (1ull << 62)

/* The frontier of the flow tree. A plain value: copy it to snapshot. */
typedef struct {
  uint64_t length;        /* sectors, >= 1 (sector 0 is the dummy) */
  uint8_t branch[64][32]; /* branch[h] is meaningful iff bit h of length is set */
} zg_flow_t;

/* What one append did (Flow._insertNodeList's numbers). */
typedef struct {
  uint64_t start_pos;       /* flow sector of the first node: the Submit event's startPos */
  uint64_t previous_length; /* length before the append */
  uint64_t padded_length;   /* sectors skipped for alignment: start_pos - previous_length */
  uint64_t charged_length;  /* length after - start_pos (node sectors plus inner gaps) */
} zg_flow_append_t;

/* A fresh flow: length 1, the dummy sector 0. */
void zg_flow_init(zg_flow_t *f);
/* H = ceil(log2(length)). */
unsigned zg_flow_height(const zg_flow_t *f);
/* The flow root (FlowTreeLib.root() after commitRoot). */
void zg_flow_root(const zg_flow_t *f, uint8_t out[32]);

/* Appends a submission's nodes (root, height) in order with 0G's alignment
 * rules; *res (may be NULL) tells where they went. ZG_EINVAL for n = 0 or a
 * height >= 64, ZG_EOVERFLOW past ZG_FLOW_MAX_LENGTH (f is unchanged on
 * failure). Validity of the submission itself is zg_submission_valid's job. */
ZG_WARN_UNUSED zg_err_t zg_flow_append(zg_flow_t *f, zg_flow_append_t *res, const zg_merkle_node_t *nodes,
                                       size_t n);

/* The startPos an append of these nodes would get, without appending. */
ZG_WARN_UNUSED zg_err_t zg_flow_next_start(const zg_flow_t *f, uint64_t *start_pos,
                                           const zg_merkle_node_t *nodes, size_t n);

/* Leaf value of flow sector pos: raw zero for the dummy sector 0, otherwise
 * keccak256 of the sector (len <= 256, zero-padded). */
void zg_flow_leaf_hash(uint8_t out[32], uint64_t pos, const uint8_t *sector, size_t len);

/* Root of flow segment `seg` (aligned 1024 sectors) from its bytes (len <=
 * 256 KiB; missing sectors are zero), with the dummy rule for segment 0. */
ZG_WARN_UNUSED zg_err_t zg_flow_segment_root(uint8_t out[32], uint64_t seg, const uint8_t *data, size_t len);

/*
 * The store interface for proofs: fetch the root of the complete aligned
 * subtree at (height, index), i.e. sectors [index << height, (index+1) <<
 * height), all below the flow length the proof is made for. Complete
 * subtrees never change as the flow grows, so one store serves proofs
 * against every historical length. The log store typically keeps segment
 * roots (height 10) and the tree above them, and recomputes lower nodes from
 * sector data. Return ZG_ENOTFOUND when unknown.
 */
typedef zg_err_t (*zg_flow_node_fn)(void *arg, uint8_t out[32], unsigned height, uint64_t index);

/* Value of node (height, index) in the tree of f: Z[height] beyond length,
 * computed from the frontier when it straddles length or is a frontier
 * entry, fetched otherwise (ZG_ENOTFOUND when fetch is NULL). */
ZG_WARN_UNUSED zg_err_t zg_flow_node(const zg_flow_t *f, uint8_t out[32], unsigned height, uint64_t index,
                                     zg_flow_node_fn fetch, void *arg);

/*
 * Proof of node (height, index) — height 0 a sector, 4 a seal, 10 a segment
 * — against the root of f (which may be a historical snapshot): lemma =
 * [node, siblings bottom-up, root], path[i] true when the node at level
 * height+i is a left child; nlemma = npath + 2 always (0G FlowProof), npath =
 * H - height. ZG_ERANGE when the node starts at or beyond length or height > H.
 */
ZG_WARN_UNUSED zg_err_t zg_flow_proof(zg_merkle_proof_t *out, const zg_flow_t *f, unsigned height,
                                      uint64_t index, zg_flow_node_fn fetch, void *arg);

/* Verifies a flow proof of `node` at (height, index) against `root` of a
 * flow of `flow_length` sectors (path length must be H - height). *ok is the
 * verdict; ZG_EBADPROOF when nlemma != npath + 2. */
ZG_WARN_UNUSED zg_err_t zg_flow_proof_verify(bool *ok, const zg_merkle_proof_t *p, const uint8_t node[32],
                                             unsigned height, uint64_t index, const uint8_t root[32],
                                             uint64_t flow_length);

/* The Mine contract's check: fold node with n siblings (bottom-up) using
 * the bits of index (bit i set: sibling on the left) and compare to root. */
bool zg_flow_fold_siblings(const uint8_t node[32], const uint8_t (*siblings)[32], size_t n, uint64_t index,
                           const uint8_t root[32]);

/* A range proof of sectors [start, end): the proofs of the first and last
 * sector (0G RangeProof {left_proof, right_proof}). */
typedef struct {
  zg_merkle_proof_t left, right;
} zg_flow_range_proof_t;

ZG_WARN_UNUSED zg_err_t zg_flow_range_proof(zg_flow_range_proof_t *out, const zg_flow_t *f, uint64_t start,
                                            uint64_t end, zg_flow_node_fn fetch, void *arg);
/* Verifies leaf hashes leaves[0..n) at flow positions [start, start+n)
 * against the proof's root (compare that root with a trusted flow root
 * yourself: zg_flow_range_root). leaves is used as scratch and overwritten.
 * *ok is the verdict; ZG_EBADPROOF for malformed proofs, ZG_EINVAL for n 0. */
ZG_WARN_UNUSED zg_err_t zg_flow_range_verify(bool *ok, const zg_flow_range_proof_t *p, uint8_t (*leaves)[32],
                                             size_t n, uint64_t start);
/* The root a range proof claims (its left proof's last lemma entry). */
const uint8_t *zg_flow_range_root(const zg_flow_range_proof_t *p);

/* ---- Frontier persistence ---- */

/* Largest serialized frontier. */
#define ZG_FLOW_STATE_MAX (4 + 1 + 8 + 64 * 32 + 8)
/* Appends the compact form: "ZGFL", version 1, length u64be, the branch
 * entries of the set bits of length (low to high), then the first 8 bytes
 * of keccak256 of all the preceding bytes. */
ZG_WARN_UNUSED zg_err_t zg_flow_serialize(zg_buf_t *out, const zg_flow_t *f);
/* Restores a frontier. ZG_ETRUNC / ZG_ETRAILING for wrong sizes,
 * ZG_ECORRUPT for a bad magic, version or checksum, ZG_ERANGE for length 0
 * or above ZG_FLOW_MAX_LENGTH. f is zeroed on failure. */
ZG_WARN_UNUSED zg_err_t zg_flow_deserialize(zg_flow_t *f, const uint8_t *in, size_t len);

/* ---- Submission rules (0G Submission.sol) ---- */

/*
 * Flow.submit's valid(): n >= 1; h_0 - h_last < 4 (h_last <= h_0); h_0 < 64;
 * heights strictly decreasing; length (bytes) <= capacity*256 with capacity
 * = sum 2^h_i; and length > lastCapacity*256 with lastCapacity = capacity-1
 * when capacity < 16, capacity - capacity/16 for one node, else capacity -
 * 2^(h_0-3) (the minimal-padding rule).
 */
bool zg_submission_valid(uint64_t length, const zg_merkle_node_t *nodes, size_t n);
/* size(): sum of 2^h_i sectors (saturates at UINT64_MAX). */
uint64_t zg_submission_sectors(const zg_merkle_node_t *nodes, size_t n);
/* The identity digest keccak256(abi.encodePacked(roots)). */
void zg_submission_digest(uint8_t out[32], const zg_merkle_node_t *nodes, size_t n);

#endif

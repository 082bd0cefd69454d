/*
 * zg/merkle.h — 0G-compatible file Merkle trees: storage constants, the file
 * layout (chunks, flow padding, submission nodes), a streaming file-root
 * builder, segment roots, and segment proofs in 0G's FileProof shape.
 *
 * Everything here is a pure function of its inputs (layer 5, src/proto): the
 * same bytes give the same root as 0G's clients and nodes, and our proofs
 * verify in 0G's verifiers (docs/storage-merkle.md lists the rules and the
 * 0G facts they follow).
 *
 * Trees: a leaf is keccak256 of one 256-byte sector (the last one
 * zero-padded); a parent is keccak256(left || right). The file tree is the
 * "promote-the-odd-node" tree over the flow-padded chunk hashes: at each
 * level nodes pair from the left and a lone last node moves up unchanged.
 * That tree is the right fold of its power-of-two peaks, which are exactly
 * the submission nodes.
 *
 * Hashes are 32-byte arrays. Nothing here allocates except the functions
 * named _create (freed by _destroy) and the JSON encoders (documented).
 */
#ifndef ZG_MERKLE_H
#define ZG_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"

/* ---- Storage constants (0G ZgsSpec) ---- */
#define ZG_SECTOR_BYTES 256u /* Merkle leaf, flow address unit ("chunk", "entry") */
#define ZG_SEAL_BYTES 4096u  /* sealing unit, PoRA answer */
#define ZG_SECTORS_PER_SEAL 16u
#define ZG_SEGMENT_BYTES (256u * 1024u) /* upload/sync/shard/mining unit ("load") */
#define ZG_SECTORS_PER_SEGMENT 1024u
#define ZG_SEGMENT_HEIGHT 10u         /* log2(ZG_SECTORS_PER_SEGMENT) */
#define ZG_PRICING_BYTES (8ull << 30) /* reward pricing chunk, 8 GiB */
#define ZG_SECTORS_PER_PRICING (1ull << 25)
#define ZG_MAX_MINING_SECTORS (1ull << 35) /* 8 TiB per shard */
#define ZG_SUBMISSION_MAX_NODES 4u
#define ZG_SUBMISSION_MAX_HEIGHT 64u /* node heights must be < 64 */
/* Largest file size the layout accepts: 2^56 bytes (2^48 chunks). */
#define ZG_FILE_MAX_BYTES (1ull << 56)

/* Longest proof path we represent: a tree of height 64. */
#define ZG_MERKLE_MAX_PATH 64u

/* A submission node: the root of a full tree over 2^height sectors. */
typedef struct {
  uint8_t root[32];
  uint32_t height;
} zg_merkle_node_t;

/* Z[h]: the root of a full tree of height h over zero sectors. Z[0] =
 * keccak256(256 zero bytes) = 0xd397b3b0...b8e0b5, Z[h+1] = H(Z[h] || Z[h]).
 * Returns a pointer to a static 32-byte value for h <= 64, NULL otherwise. */
const uint8_t *zg_merkle_zero_hash(unsigned h);

/* keccak256 of one sector: len <= 256 bytes, zero-padded to 256. */
void zg_merkle_leaf_hash(uint8_t out[32], const uint8_t *sector, size_t len);

/* ---- File layout (0G core/flow.go, shared_types compute_padded_chunk_size) ---- */
typedef struct {
  uint64_t size;                /* bytes, >= 1 */
  uint64_t chunks;              /* ceil(size / 256) */
  uint64_t padded_chunks;       /* after flow padding (overhead <= 1/16) */
  uint64_t segments;            /* ceil(padded_chunks / 1024): leaves of the segment-root tree */
  uint64_t data_segments;       /* ceil(size / 256 KiB): segments holding file bytes */
  uint32_t last_segment_chunks; /* padded chunks in the last segment, 1..1024 */
  uint32_t nnodes;              /* submission nodes, 1..4 */
  uint32_t node_heights[ZG_SUBMISSION_MAX_NODES]; /* strictly decreasing */
} zg_file_layout_t;

/* Fills *out for a file of size bytes. ZG_EINVAL for size 0 or above
 * ZG_FILE_MAX_BYTES. */
ZG_WARN_UNUSED zg_err_t zg_file_layout(zg_file_layout_t *out, uint64_t size);

/* Padded chunk count for a chunk count (>= 1): next power of two p; when
 * chunks < p, rounded up to a multiple of max(1, p/16). */
uint64_t zg_file_padded_chunks(uint64_t chunks);

/* The file root from its submission nodes: H(n0, H(n1, ... H(n_{k-2}, n_{k-1}))).
 * n >= 1 (ZG_EINVAL otherwise). */
ZG_WARN_UNUSED zg_err_t zg_file_root_from_nodes(uint8_t out[32], const zg_merkle_node_t *nodes, size_t n);

/* ---- Streaming file-root builder ---- */

/* Called once per segment, in order, with the segment's root (over its
 * padded chunks; the last segment's tree has last_segment_chunks leaves). */
typedef void (*zg_segment_root_fn)(void *arg, uint64_t index, const uint8_t root[32]);

/* The result of a file-root computation. */
typedef struct {
  uint8_t root[32];
  zg_file_layout_t layout;
  zg_merkle_node_t nodes[ZG_SUBMISSION_MAX_NODES]; /* layout.nnodes of them */
} zg_file_root_t;

/*
 * A caller-embedded builder (about 34 KiB: the leaf hashes of one segment,
 * one partial sector, and one peak per level above the segment). Feed bytes
 * in any chunking with _update, then _final. State is O(log n) plus one
 * segment, so a file of any size streams through it.
 */
typedef struct {
  uint64_t size;      /* bytes fed so far */
  uint64_t leaves;    /* complete leaves hashed (including those folded into peaks) */
  uint32_t buffered;  /* bytes in partial[] */
  uint32_t nseg;      /* leaf hashes in seg[] (leaves of the current segment) */
  uint64_t peak_mask; /* bit h (>= 10) set when peaks[h] holds a full subtree root */
  zg_segment_root_fn on_segment;
  void *arg;
  uint8_t partial[ZG_SECTOR_BYTES];
  uint8_t peaks[64][32];
  uint8_t seg[ZG_SECTORS_PER_SEGMENT][32];
} zg_file_merkle_t;

/* Starts a builder. on_segment may be NULL; arg is passed to it (borrowed
 * until _final returns). */
void zg_file_merkle_init(zg_file_merkle_t *b, zg_segment_root_fn on_segment, void *arg);
/* Feeds len bytes. ZG_EOVERFLOW when the total would exceed ZG_FILE_MAX_BYTES. */
ZG_WARN_UNUSED zg_err_t zg_file_merkle_update(zg_file_merkle_t *b, const void *data, size_t len);
/* Feeds one whole 256 KiB segment by its root, as computed elsewhere with
 * zg_merkle_segment_root(root, data, ZG_SEGMENT_BYTES, 0) (on other threads:
 * segment roots are independent); the same as feeding its bytes with
 * _update. The builder must be at a segment boundary (every byte fed so far
 * forms whole segments): ZG_EINVAL otherwise; ZG_EOVERFLOW past
 * ZG_FILE_MAX_BYTES. */
ZG_WARN_UNUSED zg_err_t zg_file_merkle_update_segment(zg_file_merkle_t *b, const uint8_t root[32]);
/* Applies the flow padding and writes the root, layout and nodes. ZG_EINVAL
 * when no byte was fed (0G rejects empty files). The builder must be
 * re-initialised before reuse. */
ZG_WARN_UNUSED zg_err_t zg_file_merkle_final(zg_file_merkle_t *b, zg_file_root_t *out);

/* One shot over a buffer (the builder lives on the stack). */
ZG_WARN_UNUSED zg_err_t zg_file_merkle_root(zg_file_root_t *out, const void *data, size_t len,
                                            zg_segment_root_fn on_segment, void *arg);

/*
 * A segment root as 0G's node computes it: leaves are the 256-byte chunks of
 * data (the last zero-padded), then ZERO leaves (Z[0]) appended up to
 * `chunks` leaves; the root is the promote-odd tree over them. chunks = 0
 * means ceil(len/256). ZG_EINVAL when len is 0 or above 256 KiB, or chunks
 * is below ceil(len/256) or above 1024.
 */
ZG_WARN_UNUSED zg_err_t zg_merkle_segment_root(uint8_t out[32], const uint8_t *data, size_t len,
                                               size_t chunks);

/* Root of the promote-odd tree over n >= 1 leaf hashes (ZG_EINVAL for n 0). */
ZG_WARN_UNUSED zg_err_t zg_merkle_root_of(uint8_t out[32], const uint8_t (*leaves)[32], uint64_t n);

/* ---- Proofs (0G FileProof / FlowProof: {lemma, path}) ---- */

/*
 * lemma = [leaf, sibling_0, ..., sibling_{k-1}, root]; path[i] is true when
 * the node at level i (bottom-up, counting only levels that have a sibling)
 * is a LEFT child. 0G's file proofs of a one-leaf tree are lemma = [root],
 * path = []; otherwise nlemma = npath + 2.
 */
typedef struct {
  uint32_t npath;
  uint32_t nlemma;
  bool path[ZG_MERKLE_MAX_PATH];
  uint8_t lemma[ZG_MERKLE_MAX_PATH + 2][32];
} zg_merkle_proof_t;

/* A full promote-odd tree over n leaf hashes, kept for O(log n) proofs.
 * Memory: about 2n hashes (64 bytes per leaf). Library-allocated. */
typedef struct zg_merkle_tree zg_merkle_tree_t;

/* Builds the tree over n >= 1 leaves (copied). ZG_EINVAL for n 0 or more
 * than 2^40 leaves, ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_merkle_tree_create(zg_merkle_tree_t **out, const uint8_t (*leaves)[32],
                                              uint64_t n);
void zg_merkle_tree_destroy(zg_merkle_tree_t *t);
/* The root (borrowed, valid until _destroy) and the leaf count. */
const uint8_t *zg_merkle_tree_root(const zg_merkle_tree_t *t);
uint64_t zg_merkle_tree_leaves(const zg_merkle_tree_t *t);
/* The proof of leaf index, in 0G's shape. ZG_ERANGE when index >= leaves. */
ZG_WARN_UNUSED zg_err_t zg_merkle_tree_proof(zg_merkle_proof_t *out, const zg_merkle_tree_t *t,
                                             uint64_t index);

/*
 * The leaf position a proof claims in a promote-odd tree of nleaves leaves,
 * as 0G recomputes it (walking the path from the top, the left subtree holds
 * nextPow2(n)/2 leaves). *ok is false when the path is too long or too short
 * for the tree.
 */
void zg_merkle_proof_position(bool *ok, uint64_t *position, const zg_merkle_proof_t *p, uint64_t nleaves);

/*
 * Verifies a proof of `leaf` at `position` in a promote-odd tree of nleaves
 * leaves under `root`: shape, leaf, root, recomputed position and the hash
 * chain. *ok tells the verdict. ZG_EBADPROOF when the proof is malformed
 * (nlemma is neither 1 with an empty path nor npath + 2).
 */
ZG_WARN_UNUSED zg_err_t zg_merkle_proof_verify(bool *ok, const zg_merkle_proof_t *p, const uint8_t leaf[32],
                                               const uint8_t root[32], uint64_t position, uint64_t nleaves);

/*
 * Verifies a segment as a 0G node does for zgs_uploadSegment: data is the
 * segment's bytes (262144 of them except in the last data segment, whose
 * real bytes are zero-padded to a 256-byte boundary), index its segment
 * index, file_size the file's size. The segment root is recomputed (with
 * ZERO leaves up to the padded chunk count), the proof checked at `index`
 * over the file's segment-root tree, and every sibling lying wholly in the
 * rear padding must equal Z[its height] (0G validate_rear_padding).
 * ZG_ERANGE when index is not a data segment, ZG_EBADLEN when data has the
 * wrong length, ZG_EINVAL for file_size 0, ZG_EBADPROOF for a malformed proof.
 */
ZG_WARN_UNUSED zg_err_t zg_segment_proof_verify(bool *ok, const zg_merkle_proof_t *p,
                                                const uint8_t file_root[32], uint64_t file_size,
                                                uint64_t index, const uint8_t *data, size_t len);

/* Byte length of a data segment as uploaded (see above). ZG_ERANGE when
 * index >= data_segments. */
ZG_WARN_UNUSED zg_err_t zg_segment_data_len(size_t *out, const zg_file_layout_t *layout, uint64_t index);

/* ---- Proof encodings ---- */

/* JSON in 0G's shape: {"lemma":["0x..",...],"path":[true,...]}, lowercase
 * hex. _to_json appends the text to out (no NUL). */
ZG_WARN_UNUSED zg_err_t zg_merkle_proof_to_json(zg_buf_t *out, const zg_merkle_proof_t *p);
/* Parses JSON text of len bytes. ZG_EJSON for bad JSON or shape, ZG_EHEX for
 * a bad hash, ZG_EBADPROOF when the lemma/path lengths do not fit, ZG_EOVERFLOW
 * for paths longer than 64. */
ZG_WARN_UNUSED zg_err_t zg_merkle_proof_from_json(zg_merkle_proof_t *out, const char *s, size_t len);

/* The same with jansson values (struct json_t is jansson's json_t). _to_jsonv
 * returns a new reference in *out; _from_jsonv borrows v. */
struct json_t;
ZG_WARN_UNUSED zg_err_t zg_merkle_proof_to_jsonv(struct json_t **out, const zg_merkle_proof_t *p);
ZG_WARN_UNUSED zg_err_t zg_merkle_proof_from_jsonv(zg_merkle_proof_t *out, const struct json_t *v);

/*
 * Binary form: the SSZ encoding of 0G's derived container {lemma:
 * List[Bytes32], path: List[bool]}: u32le offset of lemma (8), u32le offset
 * of path (8 + 32*nlemma), the lemma hashes, one byte (0 or 1) per path
 * flag. _encode appends to out.
 */
ZG_WARN_UNUSED zg_err_t zg_merkle_proof_encode(zg_buf_t *out, const zg_merkle_proof_t *p);
/* Strict decoding: ZG_ETRUNC, ZG_EOFFSET (offsets wrong), ZG_ENONCANON (a bool
 * byte not 0/1), ZG_EOVERFLOW (path > 64), ZG_EBADPROOF (lengths do not fit). */
ZG_WARN_UNUSED zg_err_t zg_merkle_proof_decode(zg_merkle_proof_t *out, const uint8_t *in, size_t len);

#endif

/*
 * flow.c — 0G's flow tree (zg/flow.h): the frontier, appends with 0G's
 * alignment rules, the root, node values and proofs (current or historical,
 * with a store callback for complete subtrees), range proofs, and the
 * frontier's persistent form.
 *
 * Invariant: for every set bit h of f->length, branch[h] is the root of the
 * complete aligned block of 2^h sectors ending at (length >> h) << h, i.e.
 * the node (h, (length >> h) - 1). Appending an aligned subtree of height k
 * (length a multiple of 2^k) is a binary-counter increment at bit k whose
 * carries hash branch entries with the new node. Skipped sectors are
 * appended as zero subtrees (Z[k] blocks), which is what FlowTreeLib's
 * commit of an unset position amounts to.
 */
#include "zg/flow.h"

#include <string.h>

#include "zg/hash.h"

void zg_flow_init(zg_flow_t *f) {
  memset(f, 0, sizeof *f);
  f->length = 1; /* branch[0] = raw 0x00..00, the dummy sector */
}

static unsigned ceil_log2(uint64_t x) { return x <= 1 ? 0 : 64 - (unsigned)__builtin_clzll(x - 1); }

unsigned zg_flow_height(const zg_flow_t *f) { return ceil_log2(f->length); }

/* The node at level h containing position f->length (the first empty slot),
 * built from the frontier: left siblings from branch[], right ones zero. */
static void open_node(const zg_flow_t *f, unsigned h, uint8_t out[32]) {
  uint8_t node[32];
  memcpy(node, zg_merkle_zero_hash(0), 32);
  for (unsigned i = 0; i < h; i++) {
    if ((f->length >> i) & 1)
      zg_keccak256_pair(node, f->branch[i], node);
    else
      zg_keccak256_pair(node, node, zg_merkle_zero_hash(i));
  }
  memcpy(out, node, 32);
}

void zg_flow_root(const zg_flow_t *f, uint8_t out[32]) {
  unsigned H = zg_flow_height(f);
  if (f->length == 1ull << H)
    memcpy(out, f->branch[H], 32);
  else
    open_node(f, H, out);
}

/* Adds the aligned subtree root v of height k at position length. */
static void insert_at(zg_flow_t *f, unsigned k, const uint8_t v[32]) {
  uint8_t node[32];
  memcpy(node, v, 32);
  unsigned h = k;
  while ((f->length >> h) & 1) {
    zg_keccak256_pair(node, f->branch[h], node);
    h++;
  }
  memcpy(f->branch[h], node, 32);
  f->length += 1ull << k;
}

/* Appends zero sectors up to position `to` as maximal aligned zero blocks. */
static void pad_to(zg_flow_t *f, uint64_t to) {
  while (f->length < to) {
    unsigned k = (unsigned)__builtin_ctzll(f->length);
    unsigned room = 63 - (unsigned)__builtin_clzll(to - f->length);
    if (room < k) k = room;
    insert_at(f, k, zg_merkle_zero_hash(k));
  }
}

static uint64_t next_align(uint64_t len, unsigned h) {
  if (len == 0) return 0;
  return (((len - 1) >> h) + 1) << h;
}

/* Computes where each node goes; fails without touching f. */
static zg_err_t plan(const zg_flow_t *f, uint64_t starts[], const zg_merkle_node_t *nodes, size_t n) {
  if (n == 0 || !nodes) return ZG_EINVAL;
  uint64_t size = 0;
  for (size_t i = 0; i < n; i++) {
    if (nodes[i].height >= 62) return nodes[i].height >= 64 ? ZG_EINVAL : ZG_EOVERFLOW;
    size += 1ull << nodes[i].height;
    if (size > ZG_FLOW_MAX_LENGTH) return ZG_EOVERFLOW;
  }
  uint64_t len = f->length;
  uint64_t start = next_align(len, nodes[0].height);
  if (start > ZG_FLOW_MAX_LENGTH) return ZG_EOVERFLOW;
  if (start % ZG_SECTORS_PER_SEGMENT != 0 &&
      start / ZG_SECTORS_PER_SEGMENT != (start + size - 1) / ZG_SECTORS_PER_SEGMENT)
    len = start + ZG_SECTORS_PER_SEGMENT - start % ZG_SECTORS_PER_SEGMENT;
  for (size_t i = 0; i < n; i++) {
    starts[i] = next_align(len, nodes[i].height);
    if (starts[i] > ZG_FLOW_MAX_LENGTH - (1ull << nodes[i].height)) return ZG_EOVERFLOW;
    len = starts[i] + (1ull << nodes[i].height);
  }
  return ZG_OK;
}

zg_err_t zg_flow_next_start(const zg_flow_t *f, uint64_t *start_pos, const zg_merkle_node_t *nodes,
                            size_t n) {
  uint64_t starts[ZG_SUBMISSION_MAX_NODES];
  *start_pos = 0;
  if (n > ZG_SUBMISSION_MAX_NODES) return ZG_EINVAL;
  ZG_TRY(plan(f, starts, nodes, n));
  *start_pos = starts[0];
  return ZG_OK;
}

zg_err_t zg_flow_append(zg_flow_t *f, zg_flow_append_t *res, const zg_merkle_node_t *nodes, size_t n) {
  uint64_t starts[ZG_SUBMISSION_MAX_NODES];
  if (res) memset(res, 0, sizeof *res);
  if (n > ZG_SUBMISSION_MAX_NODES) return ZG_EINVAL;
  ZG_TRY(plan(f, starts, nodes, n));
  uint64_t prev = f->length;
  for (size_t i = 0; i < n; i++) {
    pad_to(f, starts[i]);
    insert_at(f, nodes[i].height, nodes[i].root);
  }
  if (res) {
    res->start_pos = starts[0];
    res->previous_length = prev;
    res->padded_length = starts[0] - prev;
    res->charged_length = f->length - starts[0];
  }
  return ZG_OK;
}

void zg_flow_leaf_hash(uint8_t out[32], uint64_t pos, const uint8_t *sector, size_t len) {
  if (pos == 0) {
    memset(out, 0, 32);
    return;
  }
  zg_merkle_leaf_hash(out, sector, len);
}

zg_err_t zg_flow_segment_root(uint8_t out[32], uint64_t seg, const uint8_t *data, size_t len) {
  if (len > ZG_SEGMENT_BYTES || (len && !data)) return ZG_EINVAL;
  uint8_t h[ZG_SECTORS_PER_SEGMENT][32]; /* 32 KiB of stack */
  for (size_t i = 0; i < ZG_SECTORS_PER_SEGMENT; i++) {
    size_t off = i * ZG_SECTOR_BYTES;
    uint64_t pos = seg * ZG_SECTORS_PER_SEGMENT + i;
    if (off < len)
      zg_flow_leaf_hash(h[i], pos, data + off, len - off);
    else if (pos == 0)
      memset(h[i], 0, 32);
    else
      memcpy(h[i], zg_merkle_zero_hash(0), 32);
  }
  return zg_merkle_root_of(out, (const uint8_t(*)[32])h, ZG_SECTORS_PER_SEGMENT);
}

/* ---- Node values and proofs ---- */

zg_err_t zg_flow_node(const zg_flow_t *f, uint8_t out[32], unsigned height, uint64_t index,
                      zg_flow_node_fn fetch, void *arg) {
  memset(out, 0, 32);
  if (height > 63) return ZG_EINVAL;
  uint64_t first = f->length >> height; /* index of the node holding position length */
  if (index > first || (index == first && (f->length & ((1ull << height) - 1)) == 0)) {
    memcpy(out, zg_merkle_zero_hash(height), 32); /* wholly beyond length */
    return ZG_OK;
  }
  if (index == first) {
    open_node(f, height, out); /* straddles length */
    return ZG_OK;
  }
  if (index + 1 == first && (first & 1)) {
    memcpy(out, f->branch[height], 32);
    return ZG_OK;
  }
  if (!fetch) return ZG_ENOTFOUND;
  return fetch(arg, out, height, index);
}

zg_err_t zg_flow_proof(zg_merkle_proof_t *out, const zg_flow_t *f, unsigned height, uint64_t index,
                       zg_flow_node_fn fetch, void *arg) {
  memset(out, 0, sizeof *out);
  unsigned H = zg_flow_height(f);
  if (height > H || index >= ((f->length - 1) >> height) + 1) return ZG_ERANGE;
  zg_err_t e = zg_flow_node(f, out->lemma[0], height, index, fetch, arg);
  for (unsigned lvl = height; e == ZG_OK && lvl < H; lvl++) {
    uint64_t i = index >> (lvl - height);
    out->path[out->npath] = (i & 1) == 0;
    e = zg_flow_node(f, out->lemma[out->npath + 1], lvl, i ^ 1, fetch, arg);
    out->npath++;
  }
  if (e != ZG_OK) {
    memset(out, 0, sizeof *out);
    return e;
  }
  zg_flow_root(f, out->lemma[out->npath + 1]);
  out->nlemma = out->npath + 2;
  return ZG_OK;
}

static bool fold_ok(const zg_merkle_proof_t *p) {
  uint8_t h[32];
  memcpy(h, p->lemma[0], 32);
  for (uint32_t i = 0; i < p->npath; i++) {
    if (p->path[i])
      zg_keccak256_pair(h, h, p->lemma[i + 1]);
    else
      zg_keccak256_pair(h, p->lemma[i + 1], h);
  }
  return memcmp(h, p->lemma[p->nlemma - 1], 32) == 0;
}

static bool flow_shape_ok(const zg_merkle_proof_t *p) {
  return p->npath <= ZG_MERKLE_MAX_PATH && p->nlemma == p->npath + 2;
}

/* 0G Proof::position: bit i set when the node at level i is a right child. */
static uint64_t flow_position(const zg_merkle_proof_t *p) {
  uint64_t pos = 0;
  for (uint32_t i = 0; i < p->npath && i < 64; i++)
    if (!p->path[i]) pos |= 1ull << i;
  return pos;
}

zg_err_t zg_flow_proof_verify(bool *ok, const zg_merkle_proof_t *p, const uint8_t node[32], unsigned height,
                              uint64_t index, const uint8_t root[32], uint64_t flow_length) {
  *ok = false;
  if (!flow_shape_ok(p)) return ZG_EBADPROOF;
  if (flow_length == 0 || flow_length > ZG_FLOW_MAX_LENGTH) return ZG_EINVAL;
  unsigned H = ceil_log2(flow_length);
  if (height > H || p->npath != H - height) return ZG_OK;
  if (p->npath < 64 && index >> p->npath) return ZG_OK;
  if (flow_position(p) != index) return ZG_OK;
  if (memcmp(p->lemma[0], node, 32) != 0 || memcmp(p->lemma[p->nlemma - 1], root, 32) != 0) return ZG_OK;
  *ok = fold_ok(p);
  return ZG_OK;
}

bool zg_flow_fold_siblings(const uint8_t node[32], const uint8_t (*siblings)[32], size_t n, uint64_t index,
                           const uint8_t root[32]) {
  uint8_t h[32];
  memcpy(h, node, 32);
  for (size_t i = 0; i < n; i++) {
    if (i < 64 && (index >> i) & 1)
      zg_keccak256_pair(h, siblings[i], h);
    else
      zg_keccak256_pair(h, h, siblings[i]);
  }
  return memcmp(h, root, 32) == 0;
}

/* ---- Range proofs ---- */

zg_err_t zg_flow_range_proof(zg_flow_range_proof_t *out, const zg_flow_t *f, uint64_t start, uint64_t end,
                             zg_flow_node_fn fetch, void *arg) {
  memset(out, 0, sizeof *out);
  if (start >= end) return ZG_EINVAL;
  zg_err_t e = zg_flow_proof(&out->left, f, 0, start, fetch, arg);
  if (e == ZG_OK) e = zg_flow_proof(&out->right, f, 0, end - 1, fetch, arg);
  if (e != ZG_OK) memset(out, 0, sizeof *out);
  return e;
}

const uint8_t *zg_flow_range_root(const zg_flow_range_proof_t *p) {
  return p->left.nlemma ? p->left.lemma[p->left.nlemma - 1] : NULL;
}

zg_err_t zg_flow_range_verify(bool *ok, const zg_flow_range_proof_t *p, uint8_t (*leaves)[32], size_t n,
                              uint64_t start) {
  *ok = false;
  if (!flow_shape_ok(&p->left) || !flow_shape_ok(&p->right)) return ZG_EBADPROOF;
  if (n == 0 || !leaves) return ZG_EINVAL;
  const zg_merkle_proof_t *l = &p->left, *r = &p->right;
  if (!fold_ok(l) || !fold_ok(r) || l->npath != r->npath) return ZG_OK;
  if (memcmp(l->lemma[l->nlemma - 1], r->lemma[r->nlemma - 1], 32) != 0) return ZG_OK;
  if (memcmp(l->lemma[0], leaves[0], 32) != 0 || memcmp(r->lemma[0], leaves[n - 1], 32) != 0) return ZG_OK;
  if (l->npath < 64 && (start >> l->npath || (start + n - 1) >> l->npath)) return ZG_OK;
  if (flow_position(l) != start || flow_position(r) != start + n - 1) return ZG_OK;
  /* Rebuild the range level by level: the outer siblings come from the proofs. */
  size_t m = n;
  for (uint32_t lvl = 0; lvl < l->npath; lvl++) {
    size_t out_n = 0, i = 0;
    uint8_t t[32];
    if (!l->path[lvl]) {
      zg_keccak256_pair(t, l->lemma[lvl + 1], leaves[0]);
      memcpy(leaves[out_n++], t, 32);
      i = 1;
    }
    for (; i + 1 < m; i += 2) {
      zg_keccak256_pair(t, leaves[i], leaves[i + 1]);
      memcpy(leaves[out_n++], t, 32);
    }
    if (i < m) {
      if (!r->path[lvl]) return ZG_OK;
      zg_keccak256_pair(t, leaves[i], r->lemma[lvl + 1]);
      memcpy(leaves[out_n++], t, 32);
    }
    m = out_n;
  }
  *ok = m == 1 && memcmp(leaves[0], l->lemma[l->nlemma - 1], 32) == 0;
  return ZG_OK;
}

/* ---- Persistence ---- */

static const uint8_t g_magic[4] = {'Z', 'G', 'F', 'L'};

zg_err_t zg_flow_serialize(zg_buf_t *out, const zg_flow_t *f) {
  if (f->length == 0 || f->length > ZG_FLOW_MAX_LENGTH) return ZG_ERANGE;
  uint8_t buf[ZG_FLOW_STATE_MAX];
  size_t n = 0;
  memcpy(buf, g_magic, 4);
  buf[4] = 1;
  zg_store_be64(buf + 5, f->length);
  n = 13;
  for (unsigned h = 0; h < 64; h++) {
    if (!((f->length >> h) & 1)) continue;
    memcpy(buf + n, f->branch[h], 32);
    n += 32;
  }
  uint8_t sum[32];
  zg_keccak256(sum, buf, n);
  memcpy(buf + n, sum, 8);
  n += 8;
  return zg_buf_append(out, buf, n);
}

zg_err_t zg_flow_deserialize(zg_flow_t *f, const uint8_t *in, size_t len) {
  memset(f, 0, sizeof *f);
  if (len < 13 + 8 || !in) return ZG_ETRUNC;
  if (memcmp(in, g_magic, 4) != 0 || in[4] != 1) return ZG_ECORRUPT;
  uint64_t length = zg_load_be64(in + 5);
  size_t want = 13 + 32 * (size_t)__builtin_popcountll(length) + 8;
  if (len < want) return ZG_ETRUNC;
  if (len > want) return ZG_ETRAILING;
  uint8_t sum[32];
  zg_keccak256(sum, in, want - 8);
  if (memcmp(sum, in + want - 8, 8) != 0) return ZG_ECORRUPT;
  if (length == 0 || length > ZG_FLOW_MAX_LENGTH) return ZG_ERANGE;
  size_t off = 13;
  for (unsigned h = 0; h < 64; h++) {
    if (!((length >> h) & 1)) continue;
    memcpy(f->branch[h], in + off, 32);
    off += 32;
  }
  f->length = length;
  return ZG_OK;
}

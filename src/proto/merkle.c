/*
 * merkle.c — 0G file Merkle trees (zg/merkle.h): zero-subtree hashes, the
 * file layout (chunks, flow padding, submission nodes), the streaming
 * file-root builder and segment roots.
 *
 * Invariants of the builder: `leaves` counts the 256-byte leaves hashed so
 * far; the current segment's leaf hashes are seg[0 .. nseg) with nseg =
 * leaves mod 1024 (a full segment is reduced to its root at once); every
 * complete 1024-leaf segment has been folded into peaks[], a binary counter
 * over segments: bit h of peak_mask (h >= 10) is set iff bit h of the
 * number of leaves in complete segments is set, and peaks[h] is the root of
 * that aligned 2^h-leaf block. So the file tree, being the promote-odd tree,
 * is the right fold of the peaks (high to low), which are the submission
 * nodes once the flow padding has been appended.
 */
#include "zg/merkle.h"

#include <pthread.h>
#include <string.h>

#include "proto/merkle_internal.h"
#include "zg/hash.h"

static uint8_t g_zero[65][32];
static pthread_once_t g_zero_once = PTHREAD_ONCE_INIT;

static void zero_init(void) {
  uint8_t sector[ZG_SECTOR_BYTES] = {0};
  zg_keccak256(g_zero[0], sector, sizeof sector);
  for (unsigned h = 0; h < 64; h++) zg_keccak256_pair(g_zero[h + 1], g_zero[h], g_zero[h]);
}

const uint8_t *zg_merkle_zero_hash(unsigned h) {
  if (h > 64) return NULL;
  pthread_once(&g_zero_once, zero_init);
  return g_zero[h];
}

void zg_merkle_leaf_hash(uint8_t out[32], const uint8_t *sector, size_t len) {
  if (len >= ZG_SECTOR_BYTES) {
    zg_keccak256(out, sector, ZG_SECTOR_BYTES);
    return;
  }
  uint8_t buf[ZG_SECTOR_BYTES] = {0};
  if (len) memcpy(buf, sector, len);
  zg_keccak256(out, buf, sizeof buf);
}

/* ---- Layout ---- */

static uint64_t next_pow2(uint64_t x) {
  if (x <= 1) return 1;
  return 1ull << (64 - __builtin_clzll(x - 1));
}

uint64_t zg_file_padded_chunks(uint64_t chunks) {
  uint64_t p = next_pow2(chunks);
  if (p == chunks) return chunks;
  uint64_t m = p >= 16 ? p / 16 : 1;
  return (chunks + m - 1) / m * m;
}

zg_err_t zg_file_layout(zg_file_layout_t *out, uint64_t size) {
  memset(out, 0, sizeof *out);
  if (size == 0 || size > ZG_FILE_MAX_BYTES) return ZG_EINVAL;
  out->size = size;
  out->chunks = (size + ZG_SECTOR_BYTES - 1) / ZG_SECTOR_BYTES;
  out->padded_chunks = zg_file_padded_chunks(out->chunks);
  out->segments = (out->padded_chunks + ZG_SECTORS_PER_SEGMENT - 1) / ZG_SECTORS_PER_SEGMENT;
  out->data_segments = (size + ZG_SEGMENT_BYTES - 1) / ZG_SEGMENT_BYTES;
  out->last_segment_chunks = (uint32_t)(out->padded_chunks - (out->segments - 1) * ZG_SECTORS_PER_SEGMENT);
  for (int h = 63; h >= 0; h--) {
    if (!((out->padded_chunks >> h) & 1)) continue;
    if (out->nnodes == ZG_SUBMISSION_MAX_NODES) return ZG_EINVAL; /* cannot happen: padding bounds it */
    out->node_heights[out->nnodes++] = (uint32_t)h;
  }
  return ZG_OK;
}

zg_err_t zg_file_root_from_nodes(uint8_t out[32], const zg_merkle_node_t *nodes, size_t n) {
  if (n == 0 || !nodes) return ZG_EINVAL;
  uint8_t acc[32];
  memcpy(acc, nodes[n - 1].root, 32);
  for (size_t i = n - 1; i-- > 0;) zg_keccak256_pair(acc, nodes[i].root, acc);
  memcpy(out, acc, 32);
  return ZG_OK;
}

/* ---- Tree reductions ---- */

/* Replaces h[0] by the root of the full tree over h[0 .. 2^height). */
static void reduce_full(uint8_t (*h)[32], unsigned height) {
  for (size_t n = (size_t)1 << height; n > 1; n >>= 1)
    zg__merkle_hash_pairs(h, (const uint8_t(*)[32])h, n / 2);
}

/* Promote-odd root of h[0 .. n), n >= 1, destroying h. */
static void reduce_promote_odd(uint8_t out[32], uint8_t (*h)[32], size_t n) {
  while (n > 1) {
    zg__merkle_hash_pairs(h, (const uint8_t(*)[32])h, n / 2);
    if (n & 1) memmove(h[n / 2], h[n - 1], 32);
    n = (n + 1) / 2;
  }
  memcpy(out, h[0], 32);
}

/* Promote-odd root of n >= 1 borrowed leaves: the left part is the largest
 * power of two below n (a full tree), the right part recurses. */
static void root_range(uint8_t out[32], const uint8_t (*l)[32], uint64_t n) {
  if (n == 1) {
    memcpy(out, l[0], 32);
    return;
  }
  uint64_t left = next_pow2(n) >> 1;
  uint8_t a[32], b[32];
  root_range(a, l, left);
  root_range(b, l + left, n - left);
  zg_keccak256_pair(out, a, b);
}

zg_err_t zg_merkle_root_of(uint8_t out[32], const uint8_t (*leaves)[32], uint64_t n) {
  if (n == 0 || !leaves) return ZG_EINVAL;
  root_range(out, leaves, n);
  return ZG_OK;
}

zg_err_t zg_merkle_segment_root(uint8_t out[32], const uint8_t *data, size_t len, size_t chunks) {
  size_t have = (len + ZG_SECTOR_BYTES - 1) / ZG_SECTOR_BYTES;
  if (len == 0 || len > ZG_SEGMENT_BYTES || !data) return ZG_EINVAL;
  if (chunks == 0) chunks = have;
  if (chunks < have || chunks > ZG_SECTORS_PER_SEGMENT) return ZG_EINVAL;
  uint8_t h[ZG_SECTORS_PER_SEGMENT][32]; /* 32 KiB of stack */
  size_t full = len / ZG_SECTOR_BYTES;
  zg__merkle_hash_leaves(h, data, full);
  if (full < have) zg_merkle_leaf_hash(h[full], data + full * ZG_SECTOR_BYTES, len - full * ZG_SECTOR_BYTES);
  const uint8_t *z = zg_merkle_zero_hash(0);
  for (size_t i = have; i < chunks; i++) memcpy(h[i], z, 32);
  reduce_promote_odd(out, h, chunks);
  return ZG_OK;
}

/* ---- Streaming builder ---- */

void zg_file_merkle_init(zg_file_merkle_t *b, zg_segment_root_fn on_segment, void *arg) {
  b->size = 0;
  b->leaves = 0;
  b->buffered = 0;
  b->nseg = 0;
  b->peak_mask = 0;
  b->on_segment = on_segment;
  b->arg = arg;
}

/* Adds the root of a complete aligned 2^h-leaf block (h >= 10) to the
 * binary counter of peaks, merging equal heights. */
static void push_peak(zg_file_merkle_t *b, unsigned h, const uint8_t root[32]) {
  uint8_t v[32];
  memcpy(v, root, 32);
  while (h < 63 && (b->peak_mask >> h) & 1) {
    zg_keccak256_pair(v, b->peaks[h], v);
    b->peak_mask &= ~(1ull << h);
    h++;
  }
  memcpy(b->peaks[h], v, 32);
  b->peak_mask |= 1ull << h;
}

/* seg[] holds 1024 leaf hashes: emit its root and fold it into the peaks. */
static void flush_segment(zg_file_merkle_t *b) {
  reduce_full(b->seg, ZG_SEGMENT_HEIGHT);
  uint64_t index = b->leaves / ZG_SECTORS_PER_SEGMENT - 1;
  if (b->on_segment) b->on_segment(b->arg, index, b->seg[0]);
  push_peak(b, ZG_SEGMENT_HEIGHT, b->seg[0]);
  b->nseg = 0;
}

static void push_leaf_hashed(zg_file_merkle_t *b) {
  b->leaves++;
  if (++b->nseg == ZG_SECTORS_PER_SEGMENT) flush_segment(b);
}

zg_err_t zg_file_merkle_update(zg_file_merkle_t *b, const void *data, size_t len) {
  const uint8_t *p = data;
  if (len == 0) return ZG_OK;
  if (!p) return ZG_EINVAL;
  if (len > ZG_FILE_MAX_BYTES - b->size) return ZG_EOVERFLOW;
  b->size += len;
  if (b->buffered) {
    size_t take = ZG_SECTOR_BYTES - b->buffered;
    if (take > len) take = len;
    memcpy(b->partial + b->buffered, p, take);
    b->buffered += (uint32_t)take;
    p += take;
    len -= take;
    if (b->buffered < ZG_SECTOR_BYTES) return ZG_OK;
    zg_keccak256(b->seg[b->nseg], b->partial, ZG_SECTOR_BYTES);
    b->buffered = 0;
    push_leaf_hashed(b);
  }
  while (len >= ZG_SECTOR_BYTES) {
    /* Whole sectors straight from the caller's buffer, up to the segment's end. */
    size_t k = len / ZG_SECTOR_BYTES, room = ZG_SECTORS_PER_SEGMENT - b->nseg;
    if (k > room) k = room;
    zg__merkle_hash_leaves(b->seg + b->nseg, p, k);
    b->leaves += k;
    b->nseg += (uint32_t)k;
    if (b->nseg == ZG_SECTORS_PER_SEGMENT) flush_segment(b);
    p += k * ZG_SECTOR_BYTES;
    len -= k * ZG_SECTOR_BYTES;
  }
  if (len) {
    memcpy(b->partial, p, len);
    b->buffered = (uint32_t)len;
  }
  return ZG_OK;
}

zg_err_t zg_file_merkle_update_segment(zg_file_merkle_t *b, const uint8_t root[32]) {
  if (!root || b->buffered || b->nseg) return ZG_EINVAL;
  if (ZG_SEGMENT_BYTES > ZG_FILE_MAX_BYTES - b->size) return ZG_EOVERFLOW;
  b->size += ZG_SEGMENT_BYTES;
  b->leaves += ZG_SECTORS_PER_SEGMENT;
  uint64_t index = b->leaves / ZG_SECTORS_PER_SEGMENT - 1;
  if (b->on_segment) b->on_segment(b->arg, index, root);
  push_peak(b, ZG_SEGMENT_HEIGHT, root);
  return ZG_OK;
}

zg_err_t zg_file_merkle_final(zg_file_merkle_t *b, zg_file_root_t *out) {
  memset(out, 0, sizeof *out);
  ZG_TRY(zg_file_layout(&out->layout, b->size));
  const zg_file_layout_t *lay = &out->layout;
  if (b->buffered) {
    memset(b->partial + b->buffered, 0, ZG_SECTOR_BYTES - b->buffered);
    zg_keccak256(b->seg[b->nseg], b->partial, ZG_SECTOR_BYTES);
    b->buffered = 0;
    push_leaf_hashed(b);
  }
  /* Flow padding: zero leaves up to padded_chunks; whole zero segments are
   * Z[10] at once (they exist only when the padding exceeds a segment). */
  const uint8_t *z0 = zg_merkle_zero_hash(0), *zseg = zg_merkle_zero_hash(ZG_SEGMENT_HEIGHT);
  while (b->leaves < lay->padded_chunks) {
    if (b->nseg == 0 && lay->padded_chunks - b->leaves >= ZG_SECTORS_PER_SEGMENT) {
      b->leaves += ZG_SECTORS_PER_SEGMENT;
      if (b->on_segment) b->on_segment(b->arg, b->leaves / ZG_SECTORS_PER_SEGMENT - 1, zseg);
      push_peak(b, ZG_SEGMENT_HEIGHT, zseg);
      continue;
    }
    memcpy(b->seg[b->nseg], z0, 32);
    push_leaf_hashed(b);
  }
  /* Peaks: the high ones (whole segments), then those of a partial last segment. */
  unsigned n = 0;
  for (int h = 63; h >= (int)ZG_SEGMENT_HEIGHT; h--) {
    if (!((b->peak_mask >> h) & 1)) continue;
    if (n == ZG_SUBMISSION_MAX_NODES) return ZG_ESTATE;
    memcpy(out->nodes[n].root, b->peaks[h], 32);
    out->nodes[n++].height = (uint32_t)h;
  }
  if (b->nseg) {
    size_t off = 0;
    unsigned first = n;
    for (int h = ZG_SEGMENT_HEIGHT - 1; h >= 0; h--) {
      if (!((b->nseg >> h) & 1)) continue;
      if (n == ZG_SUBMISSION_MAX_NODES) return ZG_ESTATE;
      reduce_full(b->seg + off, (unsigned)h);
      memcpy(out->nodes[n].root, b->seg[off], 32);
      out->nodes[n++].height = (uint32_t)h;
      off += (size_t)1 << h;
    }
    uint8_t seg_root[32];
    ZG_TRY(zg_file_root_from_nodes(seg_root, out->nodes + first, n - first));
    if (b->on_segment) b->on_segment(b->arg, b->leaves / ZG_SECTORS_PER_SEGMENT, seg_root);
    b->nseg = 0;
  }
  if (n != lay->nnodes) return ZG_ESTATE;
  for (unsigned i = 0; i < n; i++)
    if (out->nodes[i].height != lay->node_heights[i]) return ZG_ESTATE;
  return zg_file_root_from_nodes(out->root, out->nodes, n);
}

zg_err_t zg_file_merkle_root(zg_file_root_t *out, const void *data, size_t len, zg_segment_root_fn on_segment,
                             void *arg) {
  zg_file_merkle_t b;
  zg_file_merkle_init(&b, on_segment, arg);
  zg_err_t e = zg_file_merkle_update(&b, data, len);
  if (e != ZG_OK) {
    memset(out, 0, sizeof *out);
    return e;
  }
  return zg_file_merkle_final(&b, out);
}

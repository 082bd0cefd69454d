/*
 * merkle_proof.c — proofs over promote-odd trees in 0G's FileProof shape
 * (zg/merkle.h): the kept tree and proof generation, position recomputation,
 * verification, the segment check a 0G node runs on upload (with the rear
 * padding rule), and the JSON and SSZ encodings.
 *
 * Invariants: a zg_merkle_tree_t stores every level of the promote-odd tree
 * bottom-up; level k+1 has ceil(len_k / 2) nodes, the last being a copy of
 * level k's last node when len_k is odd. A proof lists only the levels where
 * the node has a sibling, so its path is shorter than the tree height for
 * leaves on the promoted right edge — exactly as 0G's clients produce them.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "proto/merkle_internal.h"
#include "zg/hash.h"
#include "zg/merkle.h"

struct zg_merkle_tree {
  uint64_t nleaves;
  unsigned nlevels;
  uint64_t off[66]; /* first node of each level in h[] */
  uint64_t len[66];
  uint8_t (*h)[32];
};

static uint64_t next_pow2(uint64_t x) {
  if (x <= 1) return 1;
  return 1ull << (64 - __builtin_clzll(x - 1));
}

static unsigned log2_exact(uint64_t x) { return (unsigned)__builtin_ctzll(x); }

zg_err_t zg_merkle_tree_create(zg_merkle_tree_t **out, const uint8_t (*leaves)[32], uint64_t n) {
  *out = NULL;
  if (n == 0 || n > (1ull << 40) || !leaves) return ZG_EINVAL;
  zg_merkle_tree_t *t = calloc(1, sizeof *t);
  if (!t) return ZG_ENOMEM;
  uint64_t total = 0, m = n;
  for (;;) {
    t->off[t->nlevels] = total;
    t->len[t->nlevels++] = m;
    total += m;
    if (m == 1) break;
    m = (m + 1) / 2;
  }
  t->h = malloc((size_t)total * 32);
  if (!t->h) {
    free(t);
    return ZG_ENOMEM;
  }
  t->nleaves = n;
  memcpy(t->h, leaves, (size_t)n * 32);
  for (unsigned k = 0; k + 1 < t->nlevels; k++) {
    uint8_t(*a)[32] = t->h + t->off[k], (*p)[32] = t->h + t->off[k + 1];
    uint64_t len = t->len[k];
    zg__merkle_hash_pairs(p, (const uint8_t(*)[32])a, (size_t)(len / 2));
    if (len & 1) memcpy(p[len / 2], a[len - 1], 32);
  }
  *out = t;
  return ZG_OK;
}

void zg_merkle_tree_destroy(zg_merkle_tree_t *t) {
  if (!t) return;
  free(t->h);
  free(t);
}

const uint8_t *zg_merkle_tree_root(const zg_merkle_tree_t *t) { return t->h[t->off[t->nlevels - 1]]; }
uint64_t zg_merkle_tree_leaves(const zg_merkle_tree_t *t) { return t->nleaves; }

zg_err_t zg_merkle_tree_proof(zg_merkle_proof_t *out, const zg_merkle_tree_t *t, uint64_t index) {
  memset(out, 0, sizeof *out);
  if (index >= t->nleaves) return ZG_ERANGE;
  memcpy(out->lemma[0], t->h[index], 32);
  uint64_t i = index;
  for (unsigned k = 0; k + 1 < t->nlevels; k++, i >>= 1) {
    const uint8_t(*a)[32] = (const uint8_t(*)[32])(t->h + t->off[k]);
    if (i & 1) {
      memcpy(out->lemma[out->npath + 1], a[i - 1], 32);
      out->path[out->npath++] = false;
    } else if (i + 1 < t->len[k]) {
      memcpy(out->lemma[out->npath + 1], a[i + 1], 32);
      out->path[out->npath++] = true;
    } /* else: the lone last node is promoted, no sibling at this level */
  }
  if (out->npath == 0) {
    out->nlemma = 1; /* one-leaf tree: lemma = [root] */
  } else {
    memcpy(out->lemma[out->npath + 1], zg_merkle_tree_root(t), 32);
    out->nlemma = out->npath + 2;
  }
  return ZG_OK;
}

void zg_merkle_proof_position(bool *ok, uint64_t *position, const zg_merkle_proof_t *p, uint64_t nleaves) {
  uint64_t left = nleaves, pos = 0;
  *ok = false;
  *position = 0;
  if (nleaves == 0 || p->npath > ZG_MERKLE_MAX_PATH) return;
  for (uint32_t j = p->npath; j-- > 0;) {
    if (left <= 1) return; /* path too long for the tree */
    uint64_t sub = next_pow2(left) >> 1;
    if (!p->path[j]) {
      pos += sub;
      left -= sub;
    } else {
      left = sub;
    }
  }
  if (left != 1) return; /* path too short */
  *ok = true;
  *position = pos;
}

static bool proof_shape_ok(const zg_merkle_proof_t *p) {
  if (p->npath > ZG_MERKLE_MAX_PATH) return false;
  if (p->npath == 0) return p->nlemma == 1;
  return p->nlemma == p->npath + 2;
}

/* Folds the lemma from the leaf up; true when it reaches the lemma's root. */
static bool chain_ok(const zg_merkle_proof_t *p) {
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

zg_err_t zg_merkle_proof_verify(bool *ok, const zg_merkle_proof_t *p, const uint8_t leaf[32],
                                const uint8_t root[32], uint64_t position, uint64_t nleaves) {
  *ok = false;
  if (!proof_shape_ok(p)) return ZG_EBADPROOF;
  bool pos_ok;
  uint64_t pos;
  zg_merkle_proof_position(&pos_ok, &pos, p, nleaves);
  if (!pos_ok || pos != position) return ZG_OK;
  if (memcmp(p->lemma[0], leaf, 32) != 0) return ZG_OK;
  if (memcmp(p->lemma[p->nlemma - 1], root, 32) != 0) return ZG_OK;
  *ok = chain_ok(p);
  return ZG_OK;
}

zg_err_t zg_segment_data_len(size_t *out, const zg_file_layout_t *lay, uint64_t index) {
  *out = 0;
  if (index >= lay->data_segments) return ZG_ERANGE;
  if (index + 1 < lay->data_segments) {
    *out = ZG_SEGMENT_BYTES;
  } else {
    uint64_t rest = lay->size - index * ZG_SEGMENT_BYTES; /* 1 .. 256 KiB */
    *out = (size_t)((rest + ZG_SECTOR_BYTES - 1) / ZG_SECTOR_BYTES * ZG_SECTOR_BYTES);
  }
  return ZG_OK;
}

/* 0G's rear-padding rule: walking the path from the top, a right sibling
 * whose range starts at or beyond the last data segment must be Z[height]. */
static bool rear_padding_ok(const zg_merkle_proof_t *p, const zg_file_layout_t *lay) {
  uint64_t left = lay->segments, pos = 0;
  for (uint32_t i = 0; i < p->npath; i++) {
    bool is_left = p->path[p->npath - 1 - i];
    uint64_t sub = next_pow2(left) >> 1;
    if (!is_left) {
      pos += sub;
      left -= sub;
      continue;
    }
    left = sub;
    if (pos + sub >= lay->data_segments) {
      unsigned depth = log2_exact(sub) + ZG_SEGMENT_HEIGHT;
      const uint8_t *z = zg_merkle_zero_hash(depth);
      if (!z || memcmp(p->lemma[p->nlemma - 2 - i], z, 32) != 0) return false;
    }
  }
  return true;
}

zg_err_t zg_segment_proof_verify(bool *ok, const zg_merkle_proof_t *p, const uint8_t file_root[32],
                                 uint64_t file_size, uint64_t index, const uint8_t *data, size_t len) {
  *ok = false;
  zg_file_layout_t lay;
  ZG_TRY(zg_file_layout(&lay, file_size));
  size_t want;
  ZG_TRY(zg_segment_data_len(&want, &lay, index));
  if (len != want || !data) return ZG_EBADLEN;
  if (!proof_shape_ok(p)) return ZG_EBADPROOF;
  size_t chunks = index + 1 == lay.segments ? lay.last_segment_chunks : ZG_SECTORS_PER_SEGMENT;
  uint8_t seg_root[32];
  ZG_TRY(zg_merkle_segment_root(seg_root, data, len, chunks));
  bool v;
  ZG_TRY(zg_merkle_proof_verify(&v, p, seg_root, file_root, index, lay.segments));
  if (!v) return ZG_OK;
  *ok = rear_padding_ok(p, &lay);
  return ZG_OK;
}

/* ---- JSON ---- */

zg_err_t zg_merkle_proof_to_jsonv(json_t **out, const zg_merkle_proof_t *p) {
  *out = NULL;
  if (!proof_shape_ok(p)) return ZG_EBADPROOF;
  json_t *o = json_object(), *lemma = json_array(), *path = json_array();
  zg_err_t e = ZG_ENOMEM;
  if (!o || !lemma || !path) goto out;
  for (uint32_t i = 0; i < p->nlemma; i++) {
    char hex[67];
    zg_hex_encode(hex, p->lemma[i], 32);
    if (json_array_append_new(lemma, json_string(hex)) != 0) goto out;
  }
  for (uint32_t i = 0; i < p->npath; i++)
    if (json_array_append_new(path, json_boolean(p->path[i])) != 0) goto out;
  if (json_object_set_new(o, "lemma", lemma) != 0) {
    lemma = NULL;
    goto out;
  }
  lemma = NULL;
  if (json_object_set_new(o, "path", path) != 0) {
    path = NULL;
    goto out;
  }
  path = NULL;
  *out = o;
  o = NULL;
  e = ZG_OK;
out:
  json_decref(o);
  json_decref(lemma);
  json_decref(path);
  return e;
}

zg_err_t zg_merkle_proof_to_json(zg_buf_t *out, const zg_merkle_proof_t *p) {
  json_t *v;
  ZG_TRY(zg_merkle_proof_to_jsonv(&v, p));
  char *s = json_dumps(v, JSON_COMPACT);
  json_decref(v);
  if (!s) return ZG_ENOMEM;
  zg_err_t e = zg_buf_append(out, s, strlen(s));
  free(s);
  return e;
}

zg_err_t zg_merkle_proof_from_jsonv(zg_merkle_proof_t *out, const json_t *v) {
  memset(out, 0, sizeof *out);
  if (!json_is_object(v)) return ZG_EJSON;
  const json_t *lemma = json_object_get(v, "lemma"), *path = json_object_get(v, "path");
  if (!json_is_array(lemma) || !json_is_array(path)) return ZG_EJSON;
  size_t nl = json_array_size(lemma), np = json_array_size(path);
  if (np > ZG_MERKLE_MAX_PATH || nl > ZG_MERKLE_MAX_PATH + 2) return ZG_EOVERFLOW;
  for (size_t i = 0; i < nl; i++) {
    const json_t *s = json_array_get(lemma, i);
    if (!json_is_string(s)) return ZG_EJSON;
    zg_err_t e = zg_hex_decode(out->lemma[i], 32, json_string_value(s), json_string_length(s));
    if (e != ZG_OK) {
      memset(out, 0, sizeof *out);
      return e == ZG_EBADLEN ? ZG_EHEX : e;
    }
  }
  for (size_t i = 0; i < np; i++) {
    const json_t *b = json_array_get(path, i);
    if (!json_is_boolean(b)) {
      memset(out, 0, sizeof *out);
      return ZG_EJSON;
    }
    out->path[i] = json_is_true(b);
  }
  out->nlemma = (uint32_t)nl;
  out->npath = (uint32_t)np;
  if (!proof_shape_ok(out)) {
    memset(out, 0, sizeof *out);
    return ZG_EBADPROOF;
  }
  return ZG_OK;
}

zg_err_t zg_merkle_proof_from_json(zg_merkle_proof_t *out, const char *s, size_t len) {
  memset(out, 0, sizeof *out);
  if (!s) return ZG_EINVAL;
  json_error_t err;
  json_t *v = json_loadb(s, len, JSON_REJECT_DUPLICATES, &err);
  if (!v) return ZG_EJSON;
  zg_err_t e = zg_merkle_proof_from_jsonv(out, v);
  json_decref(v);
  return e;
}

/* ---- SSZ ---- */

static void put_u32le(uint8_t p[4], uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_u32le(const uint8_t p[4]) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

zg_err_t zg_merkle_proof_encode(zg_buf_t *out, const zg_merkle_proof_t *p) {
  if (!proof_shape_ok(p)) return ZG_EBADPROOF;
  uint8_t head[8];
  put_u32le(head, 8);
  put_u32le(head + 4, 8 + 32 * p->nlemma);
  ZG_TRY(zg_buf_reserve(out, 8 + 32 * (size_t)p->nlemma + p->npath));
  ZG_TRY(zg_buf_append(out, head, 8));
  ZG_TRY(zg_buf_append(out, p->lemma, 32 * (size_t)p->nlemma));
  for (uint32_t i = 0; i < p->npath; i++) ZG_TRY(zg_buf_push(out, p->path[i] ? 1 : 0));
  return ZG_OK;
}

zg_err_t zg_merkle_proof_decode(zg_merkle_proof_t *out, const uint8_t *in, size_t len) {
  memset(out, 0, sizeof *out);
  if (len < 8 || !in) return ZG_ETRUNC;
  uint32_t o1 = get_u32le(in), o2 = get_u32le(in + 4);
  if (o1 != 8 || o2 < o1 || o2 > len || (o2 - o1) % 32 != 0) return ZG_EOFFSET;
  size_t nl = (o2 - o1) / 32, np = len - o2;
  if (np > ZG_MERKLE_MAX_PATH || nl > ZG_MERKLE_MAX_PATH + 2) return ZG_EOVERFLOW;
  for (size_t i = 0; i < np; i++) {
    if (in[o2 + i] > 1) {
      memset(out, 0, sizeof *out);
      return ZG_ENONCANON;
    }
    out->path[i] = in[o2 + i] == 1;
  }
  if (nl) memcpy(out->lemma, in + o1, nl * 32);
  out->nlemma = (uint32_t)nl;
  out->npath = (uint32_t)np;
  if (!proof_shape_ok(out)) {
    memset(out, 0, sizeof *out);
    return ZG_EBADPROOF;
  }
  return ZG_OK;
}

/*
 * bench_storage.c — the per-segment steps of a `zg upload` (docs/storage-node.md):
 * on the client, base64 of a 256 KiB segment; on the node, the JSON load of
 * a 16-segment zgs_uploadSegmentsByTxSeq body (long strings lifted out by
 * json_fast), base64 decode of a segment, and the proof check of a segment
 * against its file root (segment root recomputed, 4-lane Keccak). MB/s are
 * of segment bytes (not of base64 text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "rpc/json_internal.h"
#include "zg/bytes.h"
#include "zg/merkle.h"

static uint8_t *seg_data(size_t n) {
  uint8_t *d = malloc(n);
  if (!d) abort();
  for (size_t i = 0; i < n; i++) d[i] = (uint8_t)(i * 2654435761u >> 13);
  return d;
}

ZG_BENCH(storage_b64_encode_segment) {
  uint8_t *d = seg_data(ZG_SEGMENT_BYTES);
  char *out = malloc(zg_base64_encoded_len(ZG_SEGMENT_BYTES) + 1);
  if (!out) abort();
  b->bytes_per_op = ZG_SEGMENT_BYTES;
  while (zg_bench_loop(b)) ZG_BENCH_KEEP(zg_base64_encode(out, d, ZG_SEGMENT_BYTES));
  free(out);
  free(d);
}

ZG_BENCH(storage_b64_decode_segment) {
  uint8_t *d = seg_data(ZG_SEGMENT_BYTES);
  char *enc = malloc(zg_base64_encoded_len(ZG_SEGMENT_BYTES) + 1);
  if (!enc) abort();
  size_t n = zg_base64_encode(enc, d, ZG_SEGMENT_BYTES);
  zg_buf_t buf;
  zg_buf_init(&buf);
  b->bytes_per_op = ZG_SEGMENT_BYTES;
  while (zg_bench_loop(b)) {
    buf.len = 0;
    if (zg_base64_decode(&buf, enc, n) != ZG_OK) abort();
  }
  free(buf.ptr);
  free(enc);
  free(d);
}

/* The proof check a node runs per uploaded segment (segment 5 of 16). */
ZG_BENCH(storage_segment_verify) {
  size_t size = 16 * (size_t)ZG_SEGMENT_BYTES;
  uint8_t *d = seg_data(size), roots[16][32];
  for (int i = 0; i < 16; i++)
    if (zg_merkle_segment_root(roots[i], d + (size_t)i * ZG_SEGMENT_BYTES, ZG_SEGMENT_BYTES, 0) != ZG_OK) abort();
  zg_merkle_tree_t *t = NULL;
  zg_merkle_proof_t *p = malloc(sizeof *p);
  if (!p || zg_merkle_tree_create(&t, (const uint8_t (*)[32])roots, 16) != ZG_OK) abort();
  if (zg_merkle_tree_proof(p, t, 5) != ZG_OK) abort();
  b->bytes_per_op = ZG_SEGMENT_BYTES;
  while (zg_bench_loop(b)) {
    bool ok = false;
    if (zg_segment_proof_verify(&ok, p, zg_merkle_tree_root(t), size, 5, d + 5 * (size_t)ZG_SEGMENT_BYTES,
                                ZG_SEGMENT_BYTES) != ZG_OK ||
        !ok)
      abort();
  }
  zg_merkle_tree_destroy(t);
  free(p);
  free(d);
}

/* zg__json_load of a 16-segment upload body as the CLI writes it. */
ZG_BENCH(storage_upload_body_load_16) {
  uint8_t *d = seg_data(ZG_SEGMENT_BYTES);
  zg_buf_t body;
  zg_buf_init(&body);
  const char *head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zgs_uploadSegmentsByTxSeq\",\"params\":[[";
  if (zg_buf_append(&body, head, strlen(head)) != ZG_OK) abort();
  for (int i = 0; i < 16; i++) {
    char pre[160], post[160];
    int n1 = snprintf(pre, sizeof pre, "%s{\"root\":\"0x%064d\",\"data\":\"", i ? "," : "", 0);
    int n2 = snprintf(post, sizeof post,
                      "\",\"index\":%d,\"proof\":{\"lemma\":[\"0x%064d\"],\"path\":[]},\"fileSize\":4194304}", i, 0);
    if (zg_buf_append(&body, pre, (size_t)n1) != ZG_OK) abort();
    if (zg_buf_reserve(&body, zg_base64_encoded_len(ZG_SEGMENT_BYTES) + 1) != ZG_OK) abort();
    body.len += zg_base64_encode((char *)body.ptr + body.len, d, ZG_SEGMENT_BYTES);
    if (zg_buf_append(&body, post, (size_t)n2) != ZG_OK) abort();
  }
  if (zg_buf_append(&body, "],0]}", 5) != ZG_OK) abort();
  b->bytes_per_op = 16 * (uint64_t)ZG_SEGMENT_BYTES;
  while (zg_bench_loop(b)) {
    json_t *v = zg__json_load((const char *)body.ptr, body.len, 0, NULL);
    if (!v) abort();
    json_decref(v);
  }
  free(body.ptr);
  free(d);
}

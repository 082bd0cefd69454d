/*
 * zgs.c — the storage node's JSON-RPC methods (zg/zgs_rpc.h) in 0G's JSON
 * shapes, and the HTTP node that serves them with /metrics and /health.
 *
 * Every handler decodes its params strictly (zg_rpc_get_*), calls the
 * storage service, and maps the service's refusal class to a JSON-RPC code
 * with the service's message. Segment payloads are decoded into heap buffers
 * freed before the handler returns; proofs and segment arrays live in the
 * request arena.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "zg/log.h"
#include "zg/metrics.h"
#include "zg/zgs_rpc.h"

#define MAX_UPLOAD_SEGMENTS 64

typedef struct {
  zg_storage_t *st;
  zg_log_source_t *src;
} zgs_ctx_t;

static zg_err_t refuse(zg_rpc_call_t *call, zg_err_t e, const zg_storage_err_t *err) {
  static const int codes[] = {ZG_RPC_SERVER_ERROR,  ZG_RPC_INVALID_PARAMS, ZG_RPC_NOT_FOUND,    ZG_RPC_BAD_PROOF,
                              ZG_RPC_WRONG_SHARD, ZG_RPC_STORAGE_FULL, ZG_RPC_INTERNAL_ERROR};
  if (e == ZG_ENOMEM) return e;
  int code = err->cls <= ZG_STORAGE_INTERNAL ? codes[err->cls] : ZG_RPC_SERVER_ERROR;
  zg_rpc_fail(call, code, "%s", err->message[0] ? err->message : zg_strerror(e));
  return e == ZG_OK ? ZG_EINVAL : e;
}

/* ---- JSON shapes ---- */

static json_t *tx_json(const zg_logstore_tx_t *tx) {
  json_t *nodes = json_array();
  for (uint32_t i = 0; nodes && i < tx->nnodes; i++)
    json_array_append_new(nodes, json_pack("[I, o]", (json_int_t)tx->nodes[i].height + 1,
                                           zg_rpc_hash_json(tx->nodes[i].root)));
  return json_pack("{s:[], s:s, s:o, s:o, s:I, s:I, s:I}", "streamIds", "data", "", "dataMerkleRoot",
                   zg_rpc_hash_json(tx->root), "merkleNodes", nodes, "startEntryIndex", (json_int_t)tx->start_pos,
                   "size", (json_int_t)tx->size, "seq", (json_int_t)tx->seq);
}

static json_t *file_info_json(const zg_storage_file_info_t *fi) {
  return json_pack("{s:o, s:b, s:b, s:I, s:b}", "tx", tx_json(&fi->tx), "finalized", fi->finalized, "isCached", 0,
                   "uploadedSegNum", (json_int_t)fi->uploaded_segs, "pruned", 0);
}

static json_t *segment_json(const zg_logstore_tx_t *tx, uint64_t index, const uint8_t *data, size_t len,
                            const zg_merkle_proof_t *proof) {
  json_t *pj = NULL;
  if (zg_merkle_proof_to_jsonv(&pj, proof) != ZG_OK) return NULL;
  return json_pack("{s:o, s:o, s:I, s:o, s:I}", "root", zg_rpc_hash_json(tx->root), "data",
                   zg_rpc_base64_json(data, len), "index", (json_int_t)index, "proof", pj, "fileSize",
                   (json_int_t)tx->size);
}

/* ---- Status and config ---- */

static zg_err_t m_get_status(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  zgs_ctx_t *c = call->arg;
  uint64_t height = 0;
  uint8_t block[32] = {0};
  uint64_t chain_id = 0;
  uint8_t flow[20] = {0};
  char flow_hex[43];
  if (c->src) c->src->ops->progress(c->src, &height, block);
  if (c->src && c->src->ops->network) c->src->ops->network(c->src, &chain_id, flow);
  zg_hex_encode(flow_hex, flow, 20);
  *result = json_pack("{s:i, s:I, s:o, s:I, s:{s:I, s:s, s:{s:i, s:i, s:i}}}", "connectedPeers", 0, "logSyncHeight",
                      (json_int_t)height, "logSyncBlock", zg_rpc_hash_json(block), "nextTxSeq",
                      (json_int_t)zg_storage_next_seq(c->st), "networkIdentity", "chainId", (json_int_t)chain_id,
                      "flowAddress", flow_hex, "p2pProtocolVersion", "major", 0, "minor", 4, "build", 0);
  return *result ? ZG_OK : ZG_ENOMEM;
}

static zg_err_t m_get_shard_config(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  zgs_ctx_t *c = call->arg;
  uint32_t id, num;
  zg_storage_shard(c->st, &id, &num);
  *result = json_pack("{s:i, s:i}", "shardId", (int)id, "numShard", (int)num);
  return *result ? ZG_OK : ZG_ENOMEM;
}

static zg_err_t m_get_flow_context(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  zgs_ctx_t *c = call->arg;
  uint8_t root[32];
  uint64_t len;
  zg_storage_flow_context(c->st, root, &len);
  *result = json_pack("[o, I]", zg_rpc_hash_json(root), (json_int_t)len);
  return *result ? ZG_OK : ZG_ENOMEM;
}

/* zgs_getSectorProof(sectorIndex[, flowRoot]) -> FlowProof {lemma, path}
 * against the current flow root (a different flowRoot is refused: this
 * node keeps no historical frontiers). */
static zg_err_t m_get_sector_proof(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  zgs_ctx_t *c = call->arg;
  uint64_t sector, length;
  uint8_t want[32], root[32];
  ZG_TRY(zg_rpc_params_check(call, params, 1, 2));
  ZG_TRY(zg_rpc_get_u64(call, &sector, zg_rpc_param(params, 0, "sectorIndex"), "sectorIndex"));
  const json_t *fr = zg_rpc_param(params, 1, "flowRoot");
  bool has_root = fr && !json_is_null(fr);
  if (has_root) ZG_TRY(zg_rpc_get_hash(call, want, fr, "flowRoot"));
  zg_merkle_proof_t *proof = zg_arena_alloc(call->arena, sizeof *proof);
  if (!proof) return ZG_ENOMEM;
  zg_storage_err_t err = {0, ""};
  zg_err_t e = zg_storage_sector_proof(c->st, proof, root, &length, &err, sector);
  if (e != ZG_OK) return refuse(call, e, &err);
  if (has_root && memcmp(want, root, 32) != 0)
    return zg_rpc_fail(call, ZG_RPC_NOT_FOUND,
                       "flowRoot is not the current flow root (length %" PRIu64 "); historical roots are not kept",
                       length);
  return zg_merkle_proof_to_jsonv(result, proof);
}

/* ---- Uploads ---- */

static zg_err_t parse_segment(zg_rpc_call_t *call, zg_storage_segment_t *s, zg_buf_t *data, zg_merkle_proof_t *proof,
                              const json_t *v, size_t i) {
  char what[48];
  if (!json_is_object(v))
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: segment %zu must be a SegmentWithProof object", i);
  snprintf(what, sizeof what, "segment %zu root", i);
  ZG_TRY(zg_rpc_get_hash(call, s->root, json_object_get(v, "root"), what));
  snprintf(what, sizeof what, "segment %zu index", i);
  ZG_TRY(zg_rpc_get_u64(call, &s->index, json_object_get(v, "index"), what));
  snprintf(what, sizeof what, "segment %zu fileSize", i);
  ZG_TRY(zg_rpc_get_u64(call, &s->file_size, json_object_get(v, "fileSize"), what));
  snprintf(what, sizeof what, "segment %zu data", i);
  ZG_TRY(zg_rpc_get_base64(call, data, json_object_get(v, "data"), ZG_SEGMENT_BYTES, what));
  /* The ~350 KB base64 text is no longer needed: drop it from the request
   * tree now (nothing reads it again) so a batch holds one copy of each
   * segment, not two. */
  json_object_del((json_t *)v, "data");
  zg_err_t e = zg_merkle_proof_from_jsonv(proof, json_object_get(v, "proof"));
  if (e != ZG_OK)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: segment %zu proof is malformed (%s)", i,
                       zg_strerror(e));
  s->data = data->ptr;
  s->len = data->len;
  s->proof = proof;
  return ZG_OK;
}

static zg_err_t upload(zg_rpc_call_t *call, const json_t *list, size_t n, bool has_seq, uint64_t seq,
                       json_t **result) {
  zgs_ctx_t *c = call->arg;
  if (n == 0 || n > MAX_UPLOAD_SEGMENTS)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: between 1 and %d segments per call",
                       MAX_UPLOAD_SEGMENTS);
  zg_storage_segment_t *segs = zg_arena_alloc(call->arena, n * sizeof *segs);
  zg_merkle_proof_t *proofs = zg_arena_alloc(call->arena, n * sizeof *proofs);
  zg_buf_t *bufs = zg_arena_alloc(call->arena, n * sizeof *bufs);
  if (!segs || !proofs || !bufs) return ZG_ENOMEM;
  for (size_t i = 0; i < n; i++) zg_buf_init(&bufs[i]);
  zg_err_t e = ZG_OK;
  for (size_t i = 0; i < n && e == ZG_OK; i++)
    e = parse_segment(call, &segs[i], &bufs[i], &proofs[i], list ? json_array_get(list, i) : NULL, i);
  if (e == ZG_OK) {
    zg_storage_err_t err = {0, ""};
    e = zg_storage_upload(c->st, &err, segs, n, has_seq, seq);
    if (e != ZG_OK) e = refuse(call, e, &err);
  }
  for (size_t i = 0; i < n; i++) {
    /* Segment data is public: skip zg_buf_clear's wipe. */
    free(bufs[i].ptr);
  }
  *result = NULL;
  return e;
}

static zg_err_t m_upload_segment(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(call, params, 1, 1));
  json_t *one = json_pack("[O]", zg_rpc_param(params, 0, "segment"));
  if (!one) return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: expected a SegmentWithProof");
  zg_err_t e = upload(call, one, 1, false, 0, result);
  json_decref(one);
  return e;
}

static zg_err_t m_upload_segment_by_seq(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  uint64_t seq;
  ZG_TRY(zg_rpc_params_check(call, params, 2, 2));
  ZG_TRY(zg_rpc_get_u64(call, &seq, zg_rpc_param(params, 1, "txSeq"), "txSeq"));
  json_t *one = json_pack("[O]", zg_rpc_param(params, 0, "segment"));
  if (!one) return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: expected a SegmentWithProof");
  zg_err_t e = upload(call, one, 1, true, seq, result);
  json_decref(one);
  return e;
}

static zg_err_t m_upload_segments(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(call, params, 1, 1));
  const json_t *list = zg_rpc_param(params, 0, "segments");
  if (!json_is_array(list)) return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: segments must be an array");
  return upload(call, list, json_array_size(list), false, 0, result);
}

static zg_err_t m_upload_segments_by_seq(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  uint64_t seq;
  ZG_TRY(zg_rpc_params_check(call, params, 2, 2));
  const json_t *list = zg_rpc_param(params, 0, "segments");
  if (!json_is_array(list)) return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: segments must be an array");
  ZG_TRY(zg_rpc_get_u64(call, &seq, zg_rpc_param(params, 1, "txSeq"), "txSeq"));
  return upload(call, list, json_array_size(list), true, seq, result);
}

/* ---- Downloads ---- */

/* Finds the tx from param 0: a root (by_seq false) or a tx seq. */
static zg_err_t tx_param(zg_rpc_call_t *call, zg_logstore_tx_t *tx, const json_t *params, bool by_seq) {
  zgs_ctx_t *c = call->arg;
  zg_storage_err_t err = {0, ""};
  zg_err_t e;
  if (by_seq) {
    uint64_t seq;
    ZG_TRY(zg_rpc_get_u64(call, &seq, zg_rpc_param(params, 0, "txSeq"), "txSeq"));
    e = zg_storage_find_tx(c->st, tx, &err, NULL, true, seq);
  } else {
    uint8_t root[32];
    ZG_TRY(zg_rpc_get_hash(call, root, zg_rpc_param(params, 0, "root"), "root"));
    e = zg_storage_find_tx(c->st, tx, &err, root, false, 0);
  }
  return e == ZG_OK ? ZG_OK : refuse(call, e, &err);
}

static zg_err_t download(zg_rpc_call_t *call, const json_t *params, json_t **result, bool by_seq) {
  zgs_ctx_t *c = call->arg;
  zg_logstore_tx_t tx;
  uint64_t start, end;
  ZG_TRY(zg_rpc_params_check(call, params, 3, 3));
  ZG_TRY(tx_param(call, &tx, params, by_seq));
  ZG_TRY(zg_rpc_get_u64(call, &start, zg_rpc_param(params, 1, "startIndex"), "startIndex"));
  ZG_TRY(zg_rpc_get_u64(call, &end, zg_rpc_param(params, 2, "endIndex"), "endIndex"));
  uint8_t *buf = zg_arena_alloc(call->arena, ZG_SEGMENT_BYTES);
  if (!buf) return ZG_ENOMEM;
  bool present;
  size_t len;
  zg_storage_err_t err = {0, ""};
  zg_err_t e = zg_storage_read_chunks(c->st, &present, buf, ZG_SEGMENT_BYTES, &len, &err, &tx, start, end);
  if (e != ZG_OK) return refuse(call, e, &err);
  *result = present ? zg_rpc_base64_json(buf, len) : NULL;
  return present && !*result ? ZG_ENOMEM : ZG_OK;
}

static zg_err_t m_download_segment(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  return download(call, params, result, false);
}

static zg_err_t m_download_segment_by_seq(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  return download(call, params, result, true);
}

static zg_err_t download_proof(zg_rpc_call_t *call, const json_t *params, json_t **result, bool by_seq) {
  zgs_ctx_t *c = call->arg;
  zg_logstore_tx_t tx;
  uint64_t index;
  ZG_TRY(zg_rpc_params_check(call, params, 2, 2));
  ZG_TRY(tx_param(call, &tx, params, by_seq));
  ZG_TRY(zg_rpc_get_u64(call, &index, zg_rpc_param(params, 1, "index"), "index"));
  uint8_t *buf = zg_arena_alloc(call->arena, ZG_SEGMENT_BYTES);
  zg_merkle_proof_t *proof = zg_arena_alloc(call->arena, sizeof *proof);
  if (!buf || !proof) return ZG_ENOMEM;
  bool present;
  size_t len;
  zg_storage_err_t err = {0, ""};
  zg_err_t e = zg_storage_segment_with_proof(c->st, &present, buf, ZG_SEGMENT_BYTES, &len, proof, &err, &tx, index);
  if (e != ZG_OK) return refuse(call, e, &err);
  if (!present) {
    *result = NULL;
    return ZG_OK;
  }
  *result = segment_json(&tx, index, buf, len, proof);
  return *result ? ZG_OK : ZG_ENOMEM;
}

static zg_err_t m_download_proof(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  return download_proof(call, params, result, false);
}

static zg_err_t m_download_proof_by_seq(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  return download_proof(call, params, result, true);
}

/* ---- File info ---- */

/* File info, or a null result for an unknown file (0G's Option). */
static zg_err_t file_info(zg_rpc_call_t *call, const json_t *params, json_t **result, bool by_seq, bool finalized_only) {
  zgs_ctx_t *c = call->arg;
  zg_logstore_tx_t tx;
  zg_err_t e = tx_param(call, &tx, params, by_seq);
  if (e != ZG_OK) {
    if (call->code != ZG_RPC_NOT_FOUND) return e;
    call->code = 0, call->message[0] = '\0';
    *result = NULL;
    return ZG_OK;
  }
  zg_storage_file_info_t fi;
  e = zg_storage_file_info(c->st, &fi, &tx);
  if (e != ZG_OK) return e;
  *result = finalized_only ? json_boolean(fi.finalized) : file_info_json(&fi);
  return *result ? ZG_OK : ZG_ENOMEM;
}

static zg_err_t m_get_file_info(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(call, params, 1, 2));
  return file_info(call, params, result, false, false);
}

static zg_err_t m_get_file_info_by_seq(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(call, params, 1, 1));
  return file_info(call, params, result, true, false);
}

static zg_err_t m_check_finalized(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(call, params, 1, 1));
  const json_t *v = zg_rpc_param(params, 0, "txSeqOrRoot");
  bool by_root = json_is_string(v) && json_string_length(v) == 66;
  return file_info(call, params, result, !by_root, true);
}

static zg_err_t m_sync_status(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(call, params, 1, 1));
  json_t *fin = NULL;
  ZG_TRY(file_info(call, params, &fin, true, true));
  *result = json_string(!fin ? "unknown" : json_is_true(fin) ? "Completed" : "Idle");
  json_decref(fin);
  return *result ? ZG_OK : ZG_ENOMEM;
}

static zg_err_t m_file_location(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  zgs_ctx_t *c = call->arg;
  ZG_TRY(zg_rpc_params_check(call, params, 1, 2));
  json_t *fi = NULL;
  ZG_TRY(file_info(call, params, &fi, true, false));
  if (!fi) return ZG_OK;
  uint32_t id, num;
  zg_storage_shard(c->st, &id, &num);
  bool have = json_integer_value(json_object_get(fi, "uploadedSegNum")) > 0;
  json_decref(fi);
  /* Without a peer network a node only knows about itself. */
  *result = have ? json_pack("[{s:s, s:{s:i, s:i}}]", "ip", "127.0.0.1", "shardConfig", "shardId", (int)id, "numShard",
                             (int)num)
                 : json_array();
  return *result ? ZG_OK : ZG_ENOMEM;
}

/* ---- Dev-mode submission ---- */

static zg_err_t m_submit(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  zgs_ctx_t *c = call->arg;
  ZG_TRY(zg_rpc_params_check(call, params, 1, 1));
  const json_t *sub = zg_rpc_param(params, 0, "submission");
  if (!json_is_object(sub))
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: expected {size, nodes:[{root, height}]}");
  uint64_t size;
  ZG_TRY(zg_rpc_get_u64(call, &size, json_object_get(sub, "size"), "size"));
  const json_t *nodes = json_object_get(sub, "nodes");
  size_t n = json_array_size(nodes);
  if (!json_is_array(nodes) || n == 0 || n > ZG_SUBMISSION_MAX_NODES)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: nodes must be an array of 1 to 4 {root, height}");
  zg_merkle_node_t mn[ZG_SUBMISSION_MAX_NODES];
  for (size_t i = 0; i < n; i++) {
    uint64_t h;
    ZG_TRY(zg_rpc_get_hash(call, mn[i].root, json_object_get(json_array_get(nodes, i), "root"), "node root"));
    ZG_TRY(zg_rpc_get_u64(call, &h, json_object_get(json_array_get(nodes, i), "height"), "node height"));
    if (h >= ZG_SUBMISSION_MAX_HEIGHT)
      return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: node height %" PRIu64 " >= 64", h);
    mn[i].height = (uint32_t)h;
  }
  if (!c->src) return zg_rpc_fail(call, ZG_RPC_SERVER_ERROR, "this node has no submission source");
  zg_logstore_tx_t tx;
  zg_storage_err_t err = {0, ""};
  zg_err_t e = c->src->ops->submit(c->src, &tx, &err, size, mn, n);
  if (e == ZG_EUNSUPPORTED)
    return zg_rpc_fail(call, ZG_RPC_SERVER_ERROR, "the %s log source takes submissions from the chain only",
                       c->src->ops->name);
  if (e != ZG_OK) return refuse(call, e, &err);
  *result = json_pack("{s:I, s:o, s:I}", "txSeq", (json_int_t)tx.seq, "root", zg_rpc_hash_json(tx.root), "startPos",
                      (json_int_t)tx.start_pos);
  return *result ? ZG_OK : ZG_ENOMEM;
}

static zg_err_t register_methods(zg_rpc_t *rpc, zgs_ctx_t *c) {
  static const struct {
    const char *name;
    zg_rpc_method_fn fn;
  } methods[] = {
      {"zgs_getStatus", m_get_status},
      {"zgs_getShardConfig", m_get_shard_config},
      {"zgs_getFlowContext", m_get_flow_context},
      {"zgs_getSectorProof", m_get_sector_proof},
      {"zgs_uploadSegment", m_upload_segment},
      {"zgs_uploadSegmentByTxSeq", m_upload_segment_by_seq},
      {"zgs_uploadSegments", m_upload_segments},
      {"zgs_uploadSegmentsByTxSeq", m_upload_segments_by_seq},
      {"zgs_downloadSegment", m_download_segment},
      {"zgs_downloadSegmentByTxSeq", m_download_segment_by_seq},
      {"zgs_downloadSegmentWithProof", m_download_proof},
      {"zgs_downloadSegmentWithProofByTxSeq", m_download_proof_by_seq},
      {"zgs_getFileInfo", m_get_file_info},
      {"zgs_getFileInfoByTxSeq", m_get_file_info_by_seq},
      {"zgs_checkFileFinalized", m_check_finalized},
      {"admin_getSyncStatus", m_sync_status},
      {"admin_getFileLocation", m_file_location},
      {"admin_submitLogEntry", m_submit},
  };
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
    ZG_TRY(zg_rpc_register(rpc, methods[i].name, methods[i].fn, c));
  return ZG_OK;
}

/* ---- The HTTP node ---- */

struct zg_zgs_node {
  zg_storage_t *st;
  zgs_ctx_t ctx; /* the methods' argument */
  zg_metrics_t *metrics;
  zg_rpc_t *rpc;
  zg_http_server_t *http;
  zg_metric_t *g_bytes, *g_segs, *g_uploads, *g_rejects, *g_dl, *g_dl_bytes, *g_entries, *g_flow;
};

static void metrics_route(void *arg, const zg_http_request_t *req, zg_http_response_t *resp) {
  zg_zgs_node_t *n = arg;
  zg_storage_stats_t s;
  zg_storage_stats(n->st, &s);
  zg_gauge_set(n->g_bytes, (int64_t)s.stored_bytes);
  zg_gauge_set(n->g_segs, (int64_t)s.stored_segments);
  zg_gauge_set(n->g_uploads, (int64_t)s.uploaded_segments);
  zg_gauge_set(n->g_rejects, (int64_t)s.rejected_segments);
  zg_gauge_set(n->g_dl, (int64_t)s.downloaded_segments);
  zg_gauge_set(n->g_dl_bytes, (int64_t)s.downloaded_bytes);
  zg_gauge_set(n->g_entries, (int64_t)s.entries);
  zg_gauge_set(n->g_flow, (int64_t)s.flow_length);
  resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
  if (zg_metrics_render(n->metrics, &resp->body) != ZG_OK) resp->status = 500;
}

static void health_route(void *arg, const zg_http_request_t *req, zg_http_response_t *resp) {
  resp->content_type = "text/plain; charset=utf-8";
  if (zg_buf_append(&resp->body, "ok\n", 3) != ZG_OK) resp->status = 500;
}

/* Counters exposed as gauges set at scrape time from the service's atomics
 * (the service, layer 7, does not know the metrics registry). */
static zg_err_t node_metrics(zg_zgs_node_t *n) {
  static const struct {
    size_t off;
    const char *name, *help;
  } g[] = {
      {offsetof(zg_zgs_node_t, g_bytes), "zg_storage_stored_bytes_total", "segment bytes stored since start"},
      {offsetof(zg_zgs_node_t, g_segs), "zg_storage_stored_segments_total", "segments stored since start"},
      {offsetof(zg_zgs_node_t, g_uploads), "zg_storage_uploaded_segments_total", "segments accepted by uploads"},
      {offsetof(zg_zgs_node_t, g_rejects), "zg_storage_rejected_segments_total", "segments refused by uploads"},
      {offsetof(zg_zgs_node_t, g_dl), "zg_storage_downloaded_segments_total", "segments served with proofs"},
      {offsetof(zg_zgs_node_t, g_dl_bytes), "zg_storage_downloaded_bytes_total", "bytes served by downloads"},
      {offsetof(zg_zgs_node_t, g_entries), "zg_storage_log_entries", "log entries (txs) known"},
      {offsetof(zg_zgs_node_t, g_flow), "zg_storage_flow_length_sectors", "flow length in sectors"},
  };
  for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
    ZG_TRY(zg_metrics_gauge(n->metrics, (zg_metric_t **)((char *)n + g[i].off), g[i].name, g[i].help, NULL));
  return ZG_OK;
}

zg_err_t zg_zgs_node_start(zg_zgs_node_t **out, zg_storage_t *st, zg_log_source_t *src, const zg_http_opts_t *http,
                           char *msg, size_t msglen) {
  return zg_zgs_node_start_ext(out, st, src, http, NULL, NULL, msg, msglen);
}

zg_err_t zg_zgs_node_start_ext(zg_zgs_node_t **out, zg_storage_t *st, zg_log_source_t *src,
                               const zg_http_opts_t *http, zg_zgs_extend_fn ext, void *ext_arg, char *msg,
                               size_t msglen) {
  *out = NULL;
  zg_zgs_node_t *n = calloc(1, sizeof *n);
  if (!n) return ZG_ENOMEM;
  n->st = st;
  zg_err_t e = zg_metrics_create(&n->metrics);
  zg_rpc_opts_t ro = {100, n->metrics, "zg_rpc"};
  if (e == ZG_OK) e = node_metrics(n);
  if (e == ZG_OK) e = zg_rpc_create(&n->rpc, &ro);
  n->ctx = (zgs_ctx_t){st, src};
  if (e == ZG_OK) e = register_methods(n->rpc, &n->ctx);
  if (e == ZG_OK && ext) e = ext(ext_arg, n->rpc, n->metrics);
  if (e == ZG_OK) e = zg_http_server_create(&n->http, http);
  if (e == ZG_OK) e = zg_rpc_attach(n->rpc, n->http, "/");
  if (e == ZG_OK) e = zg_http_server_route(n->http, "GET", "/metrics", metrics_route, n);
  if (e == ZG_OK) e = zg_http_server_route(n->http, "GET", "/health", health_route, n);
  if (e == ZG_OK) {
    e = zg_http_server_start(n->http);
    if (e != ZG_OK && msg)
      snprintf(msg, msglen, "cannot listen on %s:%u", http && http->host ? http->host : "127.0.0.1",
               http ? http->port : 0);
  } else if (msg) {
    snprintf(msg, msglen, "node set-up: %s", zg_strerror(e));
  }
  if (e != ZG_OK) {
    zg_zgs_node_stop(n);
    return e;
  }
  *out = n;
  return ZG_OK;
}

uint16_t zg_zgs_node_port(const zg_zgs_node_t *n) { return n ? zg_http_server_port(n->http) : 0; }

void zg_zgs_node_stop(zg_zgs_node_t *n) {
  if (!n) return;
  zg_http_server_destroy(n->http);
  zg_rpc_destroy(n->rpc);
  zg_metrics_destroy(n->metrics);
  free(n);
}

/*
 * zg/zgs_rpc.h — the storage node's RPC face (layer 8, src/rpc/zgs.c): 0G's
 * zgs_ methods with their JSON shapes, the admin_ basics, the dev-mode
 * admin_submitLogEntry, GET /metrics and GET /health, on one HTTP server.
 *
 * Methods (params positional, as 0G's clients send them):
 *   zgs_getStatus, zgs_getShardConfig, zgs_getFlowContext,
 *   zgs_uploadSegment(seg), zgs_uploadSegmentByTxSeq(seg, txSeq),
 *   zgs_uploadSegments([seg]), zgs_uploadSegmentsByTxSeq([seg], txSeq),
 *   zgs_downloadSegment(root, startChunk, endChunk),
 *   zgs_downloadSegmentByTxSeq(txSeq, startChunk, endChunk),
 *   zgs_downloadSegmentWithProof(root, index),
 *   zgs_downloadSegmentWithProofByTxSeq(txSeq, index),
 *   zgs_getFileInfo(root[, needAvailable]), zgs_getFileInfoByTxSeq(txSeq),
 *   zgs_checkFileFinalized(txSeq | root), zgs_getSectorProof(sector[, flowRoot]),
 *   admin_getSyncStatus(txSeq), admin_getFileLocation(txSeq[, allShards]),
 *   admin_submitLogEntry({size, nodes:[{root, height}]}) -> {txSeq, root, startPos}
 * where seg is SegmentWithProof {root, data (base64), index, proof {lemma,
 * path}, fileSize}.
 */
#ifndef ZG_ZGS_RPC_H
#define ZG_ZGS_RPC_H

#include <stdint.h>

#include "zg/err.h"
#include "zg/http_server.h"
#include "zg/jsonrpc.h"
#include "zg/storage_node.h"

typedef struct zg_zgs_node zg_zgs_node_t;

/* Starts an HTTP JSON-RPC server for st on http (POST / JSON-RPC, GET
 * /metrics, GET /health). st and src (NULL: no submission path) are
 * borrowed until _stop. msg gets a
 * message on failure. */
ZG_WARN_UNUSED zg_err_t zg_zgs_node_start(zg_zgs_node_t **out, zg_storage_t *st, zg_log_source_t *src,
                                          const zg_http_opts_t *http, char *msg, size_t msglen);
/* Registers a role's extra methods and metrics on the node's server before
 * it starts serving (the miner's miner_ methods, zg/storage_miner.h). */
typedef zg_err_t (*zg_zgs_extend_fn)(void *arg, zg_rpc_t *rpc, zg_metrics_t *metrics);
/* zg_zgs_node_start, then ext(ext_arg, ...) when ext is not NULL. */
ZG_WARN_UNUSED zg_err_t zg_zgs_node_start_ext(zg_zgs_node_t **out, zg_storage_t *st, zg_log_source_t *src,
                                              const zg_http_opts_t *http, zg_zgs_extend_fn ext, void *ext_arg,
                                              char *msg, size_t msglen);
/* The bound port. */
uint16_t zg_zgs_node_port(const zg_zgs_node_t *n);
/* Stops serving (requests in progress finish) and frees the node. NULL is fine. */
void zg_zgs_node_stop(zg_zgs_node_t *n);

#endif

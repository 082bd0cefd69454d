/*
 * zg/kv_rpc.h — the KV role's kv_ JSON-RPC methods (node layer,
 * src/rpc/kv_rpc.c), in 0G's shapes, registered on the storage node's
 * server (same port as zgs_):
 *   kv_getStatus -> true
 *   kv_getValue(streamId, key, startIndex, len[, version]) -> {version, data, size}
 *   kv_getNext / kv_getPrev(streamId, key, startIndex, len, inclusive[, version])
 *   kv_getFirst / kv_getLast(streamId, startIndex, len[, version])
 *       -> {version, key, data, size} or null
 *   kv_getTransactionResult(txSeq) -> "Commit" | ... | null
 *   kv_getHoldingStreamIds -> ["0x..."]
 *   kv_hasWritePermission(account, streamId, key[, version]), kv_isAdmin(account,
 *   streamId[, version]), kv_isSpecialKey(streamId, key[, version]),
 *   kv_isWriterOfKey(account, streamId, key[, version]),
 *   kv_isWriterOfStream(account, streamId[, version]) -> bool
 * Keys and data are base64; stream ids 0x + 64 hex; accounts 0x + 40 hex;
 * len at most ZG_KV_RPC_MAX_LEN.
 */
#ifndef ZG_KV_RPC_H
#define ZG_KV_RPC_H

#include "zg/jsonrpc.h"
#include "zg/kv.h"
#include "zg/metrics.h"

#define ZG_KV_RPC_MAX_LEN ((uint64_t)1 << 20)

/* Registers the kv_ methods on rpc (before it serves); kv borrowed for the
 * life of rpc. ZG_EEXIST / ZG_ENOMEM as zg_rpc_register. */
ZG_WARN_UNUSED zg_err_t zg_kv_rpc_register(zg_rpc_t *rpc, zg_kv_t *kv);
/* The same in the shape of the storage node's extension hook (arg is the
 * zg_kv_t *; metrics unused). */
ZG_WARN_UNUSED zg_err_t zg_kv_rpc_extend(void *arg, zg_rpc_t *rpc, zg_metrics_t *metrics);

#endif

/*
 * sync_rpc.c — the peer sync's JSON-RPC methods and /metrics gauges on the
 * storage node's server (zg_storage_sync_rpc_register, zg/storage_sync.h):
 *   admin_getSyncProgress()         -> {nodeKey, p2pPort, peersUp, pendingFiles,
 *                                       filesSynced, segmentsFetched, bytesFetched,
 *                                       badRanges, peersBanned, requestsFailed,
 *                                       segmentsServed, bytesServed}
 *   admin_getFileSyncStatus(txSeq)  -> "Completed" | "Waiting" | "Syncing" |
 *                                       "NoPeer" | "Queued" | "Unknown"
 * Gauges (set by the sync thread): zg_storage_sync_{peers_up, pending_files,
 * files_synced_total, segments_fetched_total, bytes_fetched_total,
 * bad_ranges_total, peers_banned_total, requests_failed_total,
 * segments_served_total, bytes_served_total}.
 */
#include <string.h>

#include "storage/sync_internal.h"
#include "zg/jsonrpc.h"
#include "zg/metrics.h"

static zg_err_t m_progress(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(call, params, 0, 0));
  zg_storage_sync_t *s = call->arg;
  zg_storage_sync_stats_t st;
  zg_storage_sync_stats(s, &st);
  zg_ed25519_pk_t pk;
  char hex[67];
  zg_storage_sync_self(s, &pk);
  zg_hex_encode(hex, pk.bytes, 32);
  json_t *o = json_object();
  if (!o) return ZG_ENOMEM;
  json_object_set_new(o, "nodeKey", json_string(hex));
  json_object_set_new(o, "p2pPort", json_integer(zg_storage_sync_port(s)));
  const struct {
    const char *k;
    uint64_t v;
  } u[] = {{"peersUp", st.peers_up},           {"pendingFiles", st.pending_files},
           {"filesSynced", st.files_synced},   {"segmentsFetched", st.segments_fetched},
           {"bytesFetched", st.bytes_fetched}, {"badRanges", st.bad_ranges},
           {"peersBanned", st.peers_banned},   {"requestsFailed", st.requests_failed},
           {"segmentsServed", st.segments_served}, {"bytesServed", st.bytes_served}};
  for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) json_object_set_new(o, u[i].k, json_integer((json_int_t)u[i].v));
  *result = o;
  return ZG_OK;
}

static zg_err_t m_file(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(call, params, 1, 1));
  uint64_t seq;
  ZG_TRY(zg_rpc_get_u64(call, &seq, zg_rpc_param(params, 0, "txSeq"), "txSeq"));
  zg_storage_sync_file_t f;
  ZG_TRY(zg_storage_sync_file_status(call->arg, &f, seq));
  *result = json_string(zg_storage_sync_file_name(f));
  return *result ? ZG_OK : ZG_ENOMEM;
}

zg_err_t zg_storage_sync_rpc_register(zg_storage_sync_t *s, zg_rpc_t *rpc, zg_metrics_t *metrics) {
  if (!s || !rpc) return ZG_EINVAL;
  ZG_TRY(zg_rpc_register(rpc, "admin_getSyncProgress", m_progress, s));
  ZG_TRY(zg_rpc_register(rpc, "admin_getFileSyncStatus", m_file, s));
  if (!metrics) return ZG_OK;
  static const struct {
    const char *name, *help;
  } g[ZG__SYNC_M_COUNT] = {
      {"zg_storage_sync_peers_up", "storage sync peers with an open link"},
      {"zg_storage_sync_pending_files", "entries of this shard still lacking segments"},
      {"zg_storage_sync_files_synced_total", "entries completed from peers"},
      {"zg_storage_sync_segments_fetched_total", "segments fetched from peers, verified and stored"},
      {"zg_storage_sync_bytes_fetched_total", "segment bytes fetched from peers"},
      {"zg_storage_sync_bad_ranges_total", "peer answers that failed verification or decoding"},
      {"zg_storage_sync_peers_banned_total", "peers banned for serving a bad range"},
      {"zg_storage_sync_requests_failed_total", "sync requests that timed out, failed or came back empty"},
      {"zg_storage_sync_segments_served_total", "segments served to peers"},
      {"zg_storage_sync_bytes_served_total", "segment bytes served to peers"},
  };
  zg_metric_t *m[ZG__SYNC_M_COUNT];
  for (size_t i = 0; i < ZG__SYNC_M_COUNT; i++) ZG_TRY(zg_metrics_gauge(metrics, &m[i], g[i].name, g[i].help, NULL));
  zg__sync_attach_metrics(s, m);
  return ZG_OK;
}

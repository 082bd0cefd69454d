/*
 * kv_rpc.c — the kv_ JSON-RPC methods (zg/kv_rpc.h) over the KV state.
 *
 * Every handler decodes its positional params strictly, runs one query (a
 * read snapshot of the state, concurrent with the replay), and answers in
 * 0G's JSON shapes. Key and value buffers are freed before returning.
 */
#include <string.h>

#include "zg/kv_rpc.h"

/* An account: "0x" + 40 hex digits. */
static zg_err_t get_account(zg_rpc_call_t *call, uint8_t out[20], const json_t *v) {
  const char *s = json_is_string(v) ? json_string_value(v) : NULL;
  if (!s || zg_hex_decode(out, 20, s, strlen(s)) != ZG_OK)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "account: expected 0x + 40 hex digits"), ZG_EINVAL;
  return ZG_OK;
}

/* A non-empty base64 key. */
static zg_err_t get_key(zg_rpc_call_t *call, zg_buf_t *out, const json_t *v) {
  ZG_TRY(zg_rpc_get_base64(call, out, v, (size_t)1 << 24, "key"));
  if (out->len == 0) return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "key is empty"), ZG_EINVAL;
  return ZG_OK;
}

/* The optional version at position i (absent or null: latest). */
static zg_err_t get_version(zg_rpc_call_t *call, uint64_t *out, const json_t *params, size_t i) {
  const json_t *v = zg_rpc_param(params, i, "version");
  *out = ZG_KV_LATEST;
  if (!v || json_is_null(v)) return ZG_OK;
  return zg_rpc_get_u64(call, out, v, "version");
}

static zg_err_t get_len(zg_rpc_call_t *call, uint64_t *start, uint64_t *len, const json_t *params, size_t i) {
  ZG_TRY(zg_rpc_get_u64(call, start, zg_rpc_param(params, i, "startIndex"), "startIndex"));
  ZG_TRY(zg_rpc_get_u64(call, len, zg_rpc_param(params, i + 1, "len"), "len"));
  if (*len > ZG_KV_RPC_MAX_LEN) return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "query length too large"), ZG_EINVAL;
  return ZG_OK;
}

static zg_err_t query_fail(zg_rpc_call_t *call, zg_err_t e) {
  if (e == ZG_ERANGE) return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "start index is greater than value length"), e;
  return e;
}

static json_t *value_json(const zg_kv_value_t *v, bool with_key) {
  if (with_key)
    return json_pack("{s:I, s:o, s:o, s:I}", "version", (json_int_t)v->version, "key",
                     zg_rpc_base64_json(v->key.ptr, v->key.len), "data", zg_rpc_base64_json(v->data.ptr, v->data.len),
                     "size", (json_int_t)v->size);
  return json_pack("{s:I, s:o, s:I}", "version", (json_int_t)v->version, "data",
                   zg_rpc_base64_json(v->data.ptr, v->data.len), "size", (json_int_t)v->size);
}

static zg_err_t m_status(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  *result = json_true();
  return ZG_OK;
}

static zg_err_t m_get_value(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  zg_kv_t *kv = call->arg;
  uint8_t stream[32];
  uint64_t start, len, version;
  zg_buf_t key;
  zg_kv_value_t v;
  zg_buf_init(&key);
  zg_kv_value_init(&v);
  zg_err_t e = zg_rpc_params_check(call, params, 4, 5);
  if (e == ZG_OK) e = zg_rpc_get_hash(call, stream, zg_rpc_param(params, 0, "streamId"), "streamId");
  if (e == ZG_OK) e = get_key(call, &key, zg_rpc_param(params, 1, "key"));
  if (e == ZG_OK) e = get_len(call, &start, &len, params, 2);
  if (e == ZG_OK) e = get_version(call, &version, params, 4);
  if (e == ZG_OK) e = query_fail(call, zg_kv_get(kv, &v, stream, key.ptr, key.len, start, len, version));
  if (e == ZG_OK) {
    if (!v.found) v.version = 0; /* 0G answers {version: 0, data: "", size: 0} for a missing key */
    *result = value_json(&v, false);
    if (!*result) e = ZG_ENOMEM;
  }
  zg_buf_clear(&key);
  zg_kv_value_clear(&v);
  return e;
}

static zg_err_t iter(zg_rpc_call_t *call, const json_t *params, json_t **result, zg_kv_iter_t dir) {
  zg_kv_t *kv = call->arg;
  bool keyed = dir == ZG_KV_ITER_NEXT || dir == ZG_KV_ITER_PREV;
  size_t first = keyed ? 2 : 1, nmin = keyed ? 5 : 3;
  uint8_t stream[32];
  uint64_t start, len, version;
  bool inclusive = false;
  zg_buf_t key;
  zg_kv_value_t v;
  zg_buf_init(&key);
  zg_kv_value_init(&v);
  zg_err_t e = zg_rpc_params_check(call, params, nmin, nmin + 1);
  if (e == ZG_OK) e = zg_rpc_get_hash(call, stream, zg_rpc_param(params, 0, "streamId"), "streamId");
  if (e == ZG_OK && keyed) e = get_key(call, &key, zg_rpc_param(params, 1, "key"));
  if (e == ZG_OK) e = get_len(call, &start, &len, params, first);
  if (e == ZG_OK && keyed) e = zg_rpc_get_bool(call, &inclusive, zg_rpc_param(params, 4, "inclusive"), "inclusive");
  if (e == ZG_OK) e = get_version(call, &version, params, nmin);
  if (e == ZG_OK)
    e = query_fail(call, zg_kv_iter(kv, &v, dir, stream, key.ptr, key.len, inclusive, start, len, version));
  if (e == ZG_OK) {
    *result = v.found ? value_json(&v, true) : NULL;
    if (v.found && !*result) e = ZG_ENOMEM;
  }
  zg_buf_clear(&key);
  zg_kv_value_clear(&v);
  return e;
}

static zg_err_t m_next(zg_rpc_call_t *c, const json_t *p, json_t **r) { return iter(c, p, r, ZG_KV_ITER_NEXT); }
static zg_err_t m_prev(zg_rpc_call_t *c, const json_t *p, json_t **r) { return iter(c, p, r, ZG_KV_ITER_PREV); }
static zg_err_t m_first(zg_rpc_call_t *c, const json_t *p, json_t **r) { return iter(c, p, r, ZG_KV_ITER_FIRST); }
static zg_err_t m_last(zg_rpc_call_t *c, const json_t *p, json_t **r) { return iter(c, p, r, ZG_KV_ITER_LAST); }

static zg_err_t m_tx_result(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  uint64_t seq;
  bool found;
  char res[512];
  ZG_TRY(zg_rpc_params_check(call, params, 1, 1));
  ZG_TRY(zg_rpc_get_u64(call, &seq, zg_rpc_param(params, 0, "txSeq"), "txSeq"));
  ZG_TRY(zg_kv_tx_result(call->arg, &found, res, sizeof res, seq));
  *result = found ? json_string(res) : NULL;
  return found && !*result ? ZG_ENOMEM : ZG_OK;
}

static zg_err_t m_holding(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  uint8_t ids[ZG_KV_MAX_STREAMS][32];
  size_t n;
  bool all;
  ZG_TRY(zg_kv_streams(call->arg, ids, ZG_KV_MAX_STREAMS, &n, &all));
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < n && i < ZG_KV_MAX_STREAMS; i++) json_array_append_new(arr, zg_rpc_hash_json(ids[i]));
  *result = arr;
  return arr ? ZG_OK : ZG_ENOMEM;
}

/* The permission queries share one decoder: which params each takes. */
typedef enum { P_WRITE, P_ADMIN, P_SPECIAL, P_WRITER_KEY, P_WRITER_STREAM } perm_t;

static zg_err_t perm(zg_rpc_call_t *call, const json_t *params, json_t **result, perm_t what) {
  zg_kv_t *kv = call->arg;
  bool has_account = what != P_SPECIAL;
  bool has_key = what == P_WRITE || what == P_SPECIAL || what == P_WRITER_KEY;
  size_t n = (has_account ? 1 : 0) + 1 + (has_key ? 1 : 0), i = 0;
  uint8_t account[20] = {0}, stream[32];
  uint64_t version;
  bool out = false;
  zg_buf_t key;
  zg_buf_init(&key);
  zg_err_t e = zg_rpc_params_check(call, params, n, n + 1);
  if (e == ZG_OK && has_account) e = get_account(call, account, zg_rpc_param(params, i++, "account"));
  if (e == ZG_OK) e = zg_rpc_get_hash(call, stream, zg_rpc_param(params, i++, "streamId"), "streamId");
  if (e == ZG_OK && has_key) e = get_key(call, &key, zg_rpc_param(params, i++, "key"));
  if (e == ZG_OK) e = get_version(call, &version, params, n);
  if (e == ZG_OK) {
    switch (what) {
      case P_WRITE: e = zg_kv_has_write_permission(kv, &out, account, stream, key.ptr, key.len, version); break;
      case P_ADMIN: e = zg_kv_is_admin(kv, &out, account, stream, version); break;
      case P_SPECIAL: e = zg_kv_is_special_key(kv, &out, stream, key.ptr, key.len, version); break;
      case P_WRITER_KEY: e = zg_kv_is_writer_of_key(kv, &out, account, stream, key.ptr, key.len, version); break;
      case P_WRITER_STREAM: e = zg_kv_is_writer_of_stream(kv, &out, account, stream, version); break;
    }
  }
  zg_buf_clear(&key);
  if (e == ZG_OK) *result = json_boolean(out);
  return e;
}

static zg_err_t m_has_write(zg_rpc_call_t *c, const json_t *p, json_t **r) { return perm(c, p, r, P_WRITE); }
static zg_err_t m_is_admin(zg_rpc_call_t *c, const json_t *p, json_t **r) { return perm(c, p, r, P_ADMIN); }
static zg_err_t m_is_special(zg_rpc_call_t *c, const json_t *p, json_t **r) { return perm(c, p, r, P_SPECIAL); }
static zg_err_t m_writer_key(zg_rpc_call_t *c, const json_t *p, json_t **r) { return perm(c, p, r, P_WRITER_KEY); }
static zg_err_t m_writer_stream(zg_rpc_call_t *c, const json_t *p, json_t **r) {
  return perm(c, p, r, P_WRITER_STREAM);
}

zg_err_t zg_kv_rpc_register(zg_rpc_t *rpc, zg_kv_t *kv) {
  static const struct {
    const char *name;
    zg_rpc_method_fn fn;
  } methods[] = {
      {"kv_getStatus", m_status},
      {"kv_getValue", m_get_value},
      {"kv_getNext", m_next},
      {"kv_getPrev", m_prev},
      {"kv_getFirst", m_first},
      {"kv_getLast", m_last},
      {"kv_getTransactionResult", m_tx_result},
      {"kv_getHoldingStreamIds", m_holding},
      {"kv_hasWritePermission", m_has_write},
      {"kv_isAdmin", m_is_admin},
      /* 0G's TypeScript SDK (StorageKv.isAdmin, 1.2.x) sends this spelling. */
      {"kv_IsAdmin", m_is_admin},
      {"kv_isSpecialKey", m_is_special},
      {"kv_isWriterOfKey", m_writer_key},
      {"kv_isWriterOfStream", m_writer_stream},
  };
  if (!rpc || !kv) return ZG_EINVAL;
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
    ZG_TRY(zg_rpc_register(rpc, methods[i].name, methods[i].fn, kv));
  return ZG_OK;
}

zg_err_t zg_kv_rpc_extend(void *arg, zg_rpc_t *rpc, zg_metrics_t *metrics) { return zg_kv_rpc_register(rpc, arg); }

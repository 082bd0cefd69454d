/*
 * kv_internal.h — shared internals of src/kv: the state handle and the
 * transaction-level lookups used by both the queries (kv_store.c) and the
 * replay (kv_replay.c).
 *
 * LMDB layout (sub-databases):
 *   keys     stream[32] ‖ key            -> u64be latest version
 *   vals     sha256(stream ‖ key) ‖ u64be version -> value bytes
 *   acl      cat[1] ‖ stream[32] ‖ keyhash[32] ‖ account[20] ‖ u64be version -> op[1]
 *            (cat = op & 0xf0; keyhash zero for ops without a key, account
 *            zero for SetKey ops; one row per (cat, stream, key, account) per tx)
 *   streams  stream[32] -> u64be first version with an ACL row (not new after it)
 *   results  u64be seq -> result text
 *   meta     "cursor" -> u64be next seq; "streams" -> u8 all ‖ sorted ids
 */
#ifndef ZG_KV_INTERNAL_H
#define ZG_KV_INTERNAL_H

#include "zg/kv.h"
#include "zg/kvdb.h"

#define ZG_KV_ACL_KEY 93u /* 1 + 32 + 32 + 20 + 8 */

struct zg_kv {
  zg_kvdb_t *db;
  zg_kvdb_dbi_t keys, vals, acl, streams, results, meta;
  bool all;
  uint8_t (*ids)[32]; /* sorted */
  size_t nids;
};

/* sha256(stream ‖ key). */
void zg__kv_value_hash(uint8_t out[32], const uint8_t stream[32], const uint8_t *key, size_t key_len);
/* The newest version <= v of the (prefix ‖ u64be version) rows of dbi:
 * *found, *ver and *val (a view valid as for zg_kvdb_get; may be NULL). */
ZG_WARN_UNUSED zg_err_t zg__kv_latest_le(zg_kvdb_txn_t *txn, zg_kvdb_dbi_t dbi, bool *found, uint64_t *ver,
                                         zg_slice_t *val, const uint8_t *prefix, size_t plen, uint64_t v);
/* The ACL row prefix (85 bytes) of (cat, stream, keyhash or NULL, account or NULL). */
void zg__kv_acl_prefix(uint8_t out[85], uint8_t cat, const uint8_t stream[32], const uint8_t *keyhash,
                       const uint8_t *account);
/* The latest ACL op <= v for the prefix: *op gets it, 0xff when none. */
ZG_WARN_UNUSED zg_err_t zg__kv_acl_op(zg_kvdb_txn_t *txn, zg_kv_t *kv, uint8_t *op, const uint8_t prefix[85],
                                      uint64_t v);

/* Transaction-level permission checks (the public ones wrap these). */
ZG_WARN_UNUSED zg_err_t zg__kv_new_stream(zg_kvdb_txn_t *txn, zg_kv_t *kv, bool *out, const uint8_t stream[32],
                                          uint64_t v);
ZG_WARN_UNUSED zg_err_t zg__kv_admin(zg_kvdb_txn_t *txn, zg_kv_t *kv, bool *out, const uint8_t account[20],
                                     const uint8_t stream[32], uint64_t v);
ZG_WARN_UNUSED zg_err_t zg__kv_writer_of_key(zg_kvdb_txn_t *txn, zg_kv_t *kv, bool *out, const uint8_t account[20],
                                             const uint8_t stream[32], const uint8_t keyhash[32], uint64_t v);
ZG_WARN_UNUSED zg_err_t zg__kv_writer_of_stream(zg_kvdb_txn_t *txn, zg_kv_t *kv, bool *out,
                                                const uint8_t account[20], const uint8_t stream[32], uint64_t v);
ZG_WARN_UNUSED zg_err_t zg__kv_write_permission(zg_kvdb_txn_t *txn, zg_kv_t *kv, bool *out,
                                                const uint8_t account[20], const uint8_t stream[32],
                                                const uint8_t keyhash[32], uint64_t v);
/* The latest version of (stream, key) <= v, 0 when none. */
ZG_WARN_UNUSED zg_err_t zg__kv_latest_version(zg_kvdb_txn_t *txn, zg_kv_t *kv, uint64_t *out,
                                              const uint8_t stream[32], const uint8_t *key, size_t key_len,
                                              uint64_t v);
/* Reads / writes the cursor inside txn. */
ZG_WARN_UNUSED zg_err_t zg__kv_cursor_get(zg_kvdb_txn_t *txn, zg_kv_t *kv, uint64_t *out);
ZG_WARN_UNUSED zg_err_t zg__kv_cursor_put(zg_kvdb_txn_t *txn, zg_kv_t *kv, uint64_t next);

void zg__kv_be64(uint8_t out[8], uint64_t v);
uint64_t zg__kv_rd64(const uint8_t *p);

#endif

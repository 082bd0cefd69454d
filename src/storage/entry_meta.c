/*
 * entry_meta.c — the per-entry extras of chain submissions (sender, tags;
 * zg/storage_node.h), stored as log-store metadata named "txm/<seq>".
 *
 * Value layout: u8 format (1: tags kept, 2: tags too long, not kept) |
 * sender[20] | tags (format 1 only). Puts are idempotent: the follower may
 * put the same seq again after a crash, with the same values.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "zg/storage_node.h"

zg_err_t zg_storage_entry_meta_put(zg_storage_t *st, uint64_t seq, const uint8_t sender[20], const uint8_t *tags,
                                   size_t tags_len) {
  if (!st || !sender || (tags_len && !tags)) return ZG_EINVAL;
  uint8_t val[1 + 20 + ZG_STORAGE_MAX_TAGS];
  bool keep = tags_len <= ZG_STORAGE_MAX_TAGS;
  val[0] = keep ? 1 : 2;
  memcpy(val + 1, sender, 20);
  if (keep && tags_len) memcpy(val + 21, tags, tags_len);
  char name[40];
  snprintf(name, sizeof name, "txm/%" PRIu64, seq);
  return zg_logstore_meta_put(zg_storage_logstore(st), name, val, 21 + (keep ? tags_len : 0));
}

zg_err_t zg_storage_entry_meta_get(zg_storage_t *st, uint8_t sender[20], uint8_t *tags, size_t cap,
                                   size_t *tags_len, bool *kept, uint64_t seq) {
  *tags_len = 0;
  *kept = false;
  memset(sender, 0, 20);
  uint8_t val[1 + 20 + ZG_STORAGE_MAX_TAGS];
  size_t len = 0;
  char name[40];
  snprintf(name, sizeof name, "txm/%" PRIu64, seq);
  ZG_TRY(zg_logstore_meta_get(zg_storage_logstore(st), val, sizeof val, &len, name));
  if (len < 21 || (val[0] != 1 && val[0] != 2) || (val[0] == 2 && len != 21)) return ZG_ECORRUPT;
  if (len - 21 > cap) return ZG_EOVERFLOW;
  memcpy(sender, val + 1, 20);
  *kept = val[0] == 1;
  memcpy(tags, val + 21, len - 21);
  *tags_len = len - 21;
  return ZG_OK;
}

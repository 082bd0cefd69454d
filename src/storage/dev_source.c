/*
 * dev_source.c — the dev-mode log-entry source (zg/storage_node.h): until
 * the chain exists, a node accepts submissions directly (admin_submitLogEntry)
 * and acts as its own chain: entries are appended in arrival order. This is
 * the only place where submissions enter without a chain; the chain
 * follower will implement the same zg_log_source_ops_t.
 */
#include <stdlib.h>
#include <string.h>

#include "zg/storage_node.h"

static zg_err_t dev_submit(zg_log_source_t *src, zg_logstore_tx_t *out, zg_storage_err_t *err, uint64_t size,
                           const zg_merkle_node_t *nodes, size_t n) {
  return zg_storage_add_entry(src->storage, out, err, size, nodes, n, UINT64_MAX);
}

static void dev_progress(zg_log_source_t *src, uint64_t *height, uint8_t block[32]) {
  /* The node is its own chain: one "block" per entry. */
  *height = zg_storage_next_seq(src->storage);
  memset(block, 0, 32);
}

static void dev_destroy(zg_log_source_t *src) { free(src); }

static const zg_log_source_ops_t dev_ops = {"dev", dev_submit, dev_progress, dev_destroy, NULL};

zg_err_t zg_dev_source_create(zg_log_source_t **out, zg_storage_t *st) {
  *out = calloc(1, sizeof **out);
  if (!*out) return ZG_ENOMEM;
  (*out)->ops = &dev_ops;
  (*out)->storage = st;
  return ZG_OK;
}

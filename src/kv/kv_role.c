/*
 * kv_role.c — the KV role (zg/kv.h): replays a storage node's log entries
 * into the KV state in seq order.
 *
 * For the entry at the cursor: its sender and tags come from the storage
 * service's entry extras (zg_storage_entry_meta_get; entries without them —
 * dev-mode submissions — and entries whose tags are not this node's are
 * skipped); a KV entry waits until its file is finalized on this node (it is
 * never skipped, as 0G's replayer waits for DataUnavailable entries), then
 * its bytes are read from the log store and replayed. The cursor is moved by
 * the KV state itself in the same transaction as the result, so a crash at
 * any point replays nothing twice and skips nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zg/kv.h"
#include "zg/log.h"
#include "zg/storage_node.h"

#define COMP "kv"
#define MAX_KV_TX ((uint64_t)256 << 20) /* bytes of one KV tx read into memory */

struct zg_kv_role {
  zg_kv_t *kv;
  zg_storage_t *st;
  unsigned poll_ms;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool stop;
};

/* Reads the whole file of tx into *out. *ready false when a part is not
 * stored (yet). */
static zg_err_t read_file(zg_storage_t *st, uint8_t **out, bool *ready, const zg_logstore_tx_t *tx) {
  *out = NULL;
  *ready = false;
  uint64_t chunks = (tx->size + 255) / 256;
  uint8_t *buf = malloc((size_t)chunks * 256 + 1);
  if (!buf) return ZG_ENOMEM;
  for (uint64_t c = 0; c < chunks; c += 1024) {
    uint64_t end = c + 1024 < chunks ? c + 1024 : chunks;
    bool present;
    size_t len;
    zg_storage_err_t err;
    zg_err_t e = zg_storage_read_chunks(st, &present, buf + c * 256, (size_t)(end - c) * 256, &len, &err, tx, c, end);
    if (e != ZG_OK || !present) {
      free(buf);
      return e;
    }
  }
  *ready = true;
  *out = buf;
  return ZG_OK;
}

/* Skips run entries from seq in one commit (a log of many non-KV entries
 * costs one sync per batch, not per entry). */
static zg_err_t flush_skips(zg_kv_t *kv, uint64_t seq, uint64_t *run, uint64_t *done) {
  if (!*run) return ZG_OK;
  ZG_TRY(zg_kv_skip(kv, seq, *run));
  if (done) *done += *run;
  *run = 0;
  return ZG_OK;
}

/* Handles the entry at seq: *skip true when it is not this node's (the
 * caller skips it, batched), *progressed false when it must wait. */
static zg_err_t one(zg_kv_t *kv, zg_storage_t *st, bool *skip, bool *progressed, uint64_t seq, uint64_t first,
                    uint64_t *run, uint64_t *done) {
  *progressed = false;
  *skip = false;
  uint8_t sender[20], tags[ZG_STORAGE_MAX_TAGS];
  size_t tags_len;
  bool kept;
  zg_err_t e = zg_storage_entry_meta_get(st, sender, tags, sizeof tags, &tags_len, &kept, seq);
  if (e == ZG_ENOTFOUND || (e == ZG_OK && (!kept || !zg_kv_wants(kv, tags, tags_len)))) {
    if (e == ZG_OK && !kept) zg_logw(COMP, "tx %" PRIu64 ": tags too long to be kept, skipped", seq);
    *skip = true;
    return ZG_OK;
  }
  if (e != ZG_OK) return e;
  ZG_TRY(flush_skips(kv, first, run, done)); /* the cursor must reach seq first */
  zg_logstore_tx_t tx;
  zg_storage_file_info_t fi;
  zg_storage_err_t err;
  ZG_TRY(zg_storage_find_tx(st, &tx, &err, NULL, true, seq));
  ZG_TRY(zg_storage_file_info(st, &fi, &tx));
  if (!fi.finalized) return ZG_OK; /* wait for the data */
  uint8_t *data = NULL;
  bool ready = true;
  size_t len = 0;
  if (tx.size <= MAX_KV_TX) {
    ZG_TRY(read_file(st, &data, &ready, &tx));
    len = (size_t)tx.size;
  } else {
    zg_logw(COMP, "tx %" PRIu64 ": %" PRIu64 " bytes, over the %" PRIu64 " a KV tx may have", seq, tx.size,
            MAX_KV_TX);
  }
  if (!ready) return ZG_OK;
  char res[256];
  e = zg_kv_replay(kv, res, sizeof res, seq, sender, tags, tags_len, data, len);
  free(data);
  if (e == ZG_OK) {
    zg_logi(COMP, "tx %" PRIu64 ": %s", seq, res);
    *progressed = true;
  }
  return e;
}

zg_err_t zg_kv_role_step(zg_kv_t *kv, zg_storage_t *st, uint64_t *done) {
  if (done) *done = 0;
  uint64_t seq, run = 0;
  ZG_TRY(zg_kv_next_seq(kv, &seq));
  for (;;) {
    uint64_t at = seq + run;
    if (at >= zg_storage_next_seq(st) || run == 4096) {
      ZG_TRY(flush_skips(kv, seq, &run, done));
      if (at >= zg_storage_next_seq(st)) return ZG_OK;
      seq = at;
      continue;
    }
    bool skip, progressed;
    zg_err_t e = one(kv, st, &skip, &progressed, at, seq, &run, done);
    if (e == ZG_OK && skip) {
      run++;
      continue;
    }
    ZG_TRY(flush_skips(kv, seq, &run, done));
    if (e != ZG_OK) return e;
    if (!progressed) return ZG_OK;
    if (done) (*done)++;
    seq = at + 1;
  }
}

static void *role_main(void *arg) {
  zg_kv_role_t *r = arg;
  zg_err_t last = ZG_OK;
  pthread_mutex_lock(&r->mu);
  while (!r->stop) {
    pthread_mutex_unlock(&r->mu);
    zg_err_t e = zg_kv_role_step(r->kv, r->st, NULL);
    if (e != ZG_OK && e != last) zg_logw(COMP, "replay: %s (retrying)", zg_strerror(e));
    last = e;
    pthread_mutex_lock(&r->mu);
    if (r->stop) break;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += (long)(r->poll_ms % 1000) * 1000000L;
    ts.tv_sec += r->poll_ms / 1000 + ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    pthread_cond_timedwait(&r->cv, &r->mu, &ts);
  }
  pthread_mutex_unlock(&r->mu);
  return NULL;
}

zg_err_t zg_kv_role_start(zg_kv_role_t **out, zg_kv_t *kv, zg_storage_t *st, unsigned poll_ms) {
  *out = NULL;
  if (!kv || !st) return ZG_EINVAL;
  uint32_t shard_id, num_shard;
  zg_storage_shard(st, &shard_id, &num_shard);
  if (num_shard != 1) return ZG_ECONFIG; /* the KV role reads whole files */
  zg_kv_role_t *r = calloc(1, sizeof *r);
  if (!r) return ZG_ENOMEM;
  r->kv = kv;
  r->st = st;
  r->poll_ms = poll_ms ? poll_ms : 200;
  pthread_mutex_init(&r->mu, NULL);
  pthread_cond_init(&r->cv, NULL);
  if (pthread_create(&r->thread, NULL, role_main, r) != 0) {
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r);
    return ZG_ENOMEM;
  }
  *out = r;
  return ZG_OK;
}

void zg_kv_role_stop(zg_kv_role_t *r) {
  if (!r) return;
  pthread_mutex_lock(&r->mu);
  r->stop = true;
  pthread_cond_signal(&r->cv);
  pthread_mutex_unlock(&r->mu);
  pthread_join(r->thread, NULL);
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->cv);
  free(r);
}

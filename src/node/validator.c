/*
 * validator.c — the validator role (zg/validator.h): start and stop, the net
 * callbacks, one consensus engine per lane on the net thread with its io
 * (timers, signing, WAL, payloads, commits), the batch builder and the batch
 * map, and transaction intake.
 *
 * Transaction flow (docs/chain.md "Batches"): eth_sendRawTransaction decodes
 * the transaction, recovers its sender once (the sender cache remembers it),
 * applies the owner-lane rule and admits it to the mempool of the sender's
 * lane. Raw transactions are NOT gossiped: each validator batches its own
 * mempool (batchTxs transactions or batchDelay, whichever first) and
 * broadcasts the batch; proposals carry only batch ids. A voter that lacks a
 * named batch fetches it from the proposer (channel 3) and answers NOT_YET
 * until it arrives. A transaction sent to a validator that crashes before
 * batching it is lost (clients resubmit, as with any mempool).
 *
 * Invariants: every engine call and every touch of the batch map, the
 * waiters and the recent ring happens on the net thread (io callbacks run
 * there; other threads go through zg_net_post). A committed block is in the
 * block store before the engine's commit callback returns; its execution
 * follows on the lane's execution thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "node/validator_internal.h"
#include "zg/config.h"
#include "zg/hash.h"
#include "zg/log.h"
#include "zg/staking.h"

#define LOGC "validator"

static uint64_t wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- batch map (net thread) ---- */

static unsigned bucket_of(const uint8_t id[32]) { return (unsigned)(zg_load_be32(id) % ZG__V_BUCKETS); }

static zg__vbatch_t *batch_find(zg_validator_t *v, const uint8_t id[32]) {
  for (zg__vbatch_t *b = v->buckets[bucket_of(id)]; b; b = b->next)
    if (memcmp(b->id, id, 32) == 0) return b;
  return NULL;
}

/* Adds a batch (copied) unless present or the map is full. */
static zg__vbatch_t *batch_add(zg_validator_t *v, const uint8_t id[32], uint8_t lane, const uint8_t *body,
                               size_t len) {
  zg__vbatch_t *b = batch_find(v, id);
  if (b) return b;
  if (v->n_batches >= ZG__V_MAX_BATCHES || v->batch_bytes + len > ZG__V_MAX_BATCH_BYTES) return NULL;
  b = malloc(sizeof *b + len);
  if (!b) return NULL;
  memcpy(b->id, id, 32);
  b->lane = lane;
  b->seq = ++v->batch_seq;
  b->inflight_height = 0;
  b->len = len;
  memcpy(b->body, body, len);
  unsigned k = bucket_of(id);
  b->next = v->buckets[k];
  v->buckets[k] = b;
  v->n_batches++;
  v->batch_bytes += len;
  zg_gauge_set(v->m_batches, (int64_t)v->n_batches);
  return b;
}

static void batch_del(zg_validator_t *v, const uint8_t id[32]) {
  for (zg__vbatch_t **p = &v->buckets[bucket_of(id)]; *p; p = &(*p)->next) {
    if (memcmp((*p)->id, id, 32) == 0) {
      zg__vbatch_t *b = *p;
      *p = b->next;
      v->batch_bytes -= b->len;
      free(b);
      v->n_batches--;
      zg_gauge_set(v->m_batches, (int64_t)v->n_batches);
      return;
    }
  }
}

static void batches_free(zg_validator_t *v) {
  for (unsigned k = 0; k < ZG__V_BUCKETS; k++) {
    while (v->buckets[k]) {
      zg__vbatch_t *b = v->buckets[k];
      v->buckets[k] = b->next;
      free(b);
    }
  }
  v->n_batches = 0;
  v->batch_bytes = 0;
}

/* Whether batch id is held (in memory or already stored). */
static bool batch_have(zg_validator_t *v, const uint8_t id[32]) {
  if (batch_find(v, id)) return true;
  zg_buf_t tmp;
  zg_buf_init(&tmp);
  bool ok = zg_blockstore_get_batch(v->bs, &tmp, id) == ZG_OK;
  zg_buf_clear(&tmp);
  return ok;
}

/* ---- sending (net thread) ---- */

static void send_lane_msg(zg_validator_t *v, zg_net_peer_t peer, bool all, uint32_t lane, const uint8_t *msg,
                          size_t len) {
  v->scratch.len = 0;
  if (zg_buf_push(&v->scratch, (uint8_t)lane) || zg_buf_append(&v->scratch, msg, len)) return;
  zg_err_t e = all ? zg_net_broadcast(v->net, ZG__VCH_BFT, v->scratch.ptr, v->scratch.len)
                   : zg_net_send(v->net, peer, ZG__VCH_BFT, v->scratch.ptr, v->scratch.len);
  if (e != ZG_OK && e != ZG_ECLOSED) zg_logd(LOGC, "lane %u: send: %s", lane, zg_strerror(e));
}

static uint64_t io_now_ms(void *ctx) {
  (void)ctx;
  return wall_ms();
}

static void io_broadcast(void *ctx, const uint8_t *msg, size_t len) {
  zg__vlane_t *l = ctx;
  send_lane_msg(l->v, 0, true, l->id, msg, len);
}

typedef struct {
  zg__vlane_t *l;
  size_t len;
  uint8_t msg[];
} self_msg_t;

static void self_msg_cb(void *arg) {
  self_msg_t *m = arg;
  if (m->l->bft && !atomic_load(&m->l->v->stopping)) {
    zg_err_t e = zg_bft_on_message(m->l->bft, ZG_NET_PEER_NONE, m->msg, m->len);
    if (e) zg_loge(LOGC, "lane %u: engine stopped: %s", m->l->id, zg_strerror(e));
  }
  free(m);
}

/* Test only (validator.testEquivocate): after a lane-0 vote, sends the same
 * leader a second vote of this node for another block of the same round,
 * validly signed, so the leader holds slashable evidence. */
static void equivocate(zg__vlane_t *l, zg_net_peer_t p, const uint8_t *msg, size_t len) {
  zg_bft_msg_t m;
  if (len < ZG_BFT_VOTE_LEN || zg_bft_msg_decode(&m, msg, len) != ZG_OK || m.type != ZG_BFT_MSG_VOTE) return;
  zg_bft_vote_t v2 = m.vote;
  v2.block_id[0] ^= 0xff;
  uint8_t vm[ZG_BFT_VOTE_MSG_LEN];
  zg_bft_vote_message(vm, &v2);
  if (zg_ed25519_sign(v2.sig, &l->v->keys.node_sk, vm, sizeof vm) != ZG_OK) return;
  uint8_t *copy = malloc(len);
  if (!copy) return;
  memcpy(copy, msg, len);
  zg_bft_vote_encode(copy + len - ZG_BFT_VOTE_LEN, &v2);
  zg_logw(LOGC, "lane 0: test equivocation: second vote in round %llu", (unsigned long long)v2.round);
  send_lane_msg(l->v, p, false, l->id, copy, len);
  free(copy);
}

static void io_send_validator(void *ctx, const zg_ed25519_pk_t *to, const uint8_t *msg, size_t len) {
  zg__vlane_t *l = ctx;
  zg_net_peer_t p;
  if (memcmp(to->bytes, l->v->keys.node_pk.bytes, 32) == 0) {
    /* A message to ourselves (we lead the next round): delivered from the
     * loop, since callbacks may not re-enter the engine. */
    self_msg_t *m = malloc(sizeof *m + len);
    if (!m) return;
    m->l = l;
    m->len = len;
    memcpy(m->msg, msg, len);
    if (zg_net_post(l->v->net, self_msg_cb, m) != ZG_OK) free(m);
    return;
  }
  if (zg_net_peer_find(l->v->net, &p, to) != ZG_OK) return;
  send_lane_msg(l->v, p, false, l->id, msg, len);
  if (l->v->cfg.test_equivocate && l->id == 0) equivocate(l, p, msg, len);
}

static void io_send_peer(void *ctx, uint32_t peer, const uint8_t *msg, size_t len) {
  zg__vlane_t *l = ctx;
  send_lane_msg(l->v, peer, false, l->id, msg, len);
}

static void io_set_timer(void *ctx, uint64_t at_ms) {
  zg__vlane_t *l = ctx;
  uint64_t now = wall_ms();
  zg_net_timer_start(l->timer, at_ms > now ? at_ms - now : 0, 0);
}

static void on_lane_timer(void *arg) {
  zg__vlane_t *l = arg;
  if (!l->bft) return;
  zg_err_t e = zg_bft_on_timer(l->bft, wall_ms());
  if (e) zg_loge(LOGC, "lane %u: engine stopped on timer: %s", l->id, zg_strerror(e));
}

static zg_err_t io_sign(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[64]) {
  zg__vlane_t *l = ctx;
  return zg_ed25519_sign(sig, &l->v->keys.node_sk, msg, len);
}

/* The WAL holds one record: written to a temporary file, synced, renamed
 * over the previous one (rename is atomic, so a crash leaves the old or the
 * new record, never a torn one). */
static zg_err_t io_wal_write(void *ctx, const uint8_t *rec, size_t len) {
  zg__vlane_t *l = ctx;
  char tmp[600];
  snprintf(tmp, sizeof tmp, "%s.tmp", l->wal_path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ZG_EIO;
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(fd, rec + off, len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      close(fd);
      return ZG_EIO;
    }
    off += (size_t)w;
  }
  if ((!l->v->cfg.no_sync && fdatasync(fd) != 0) || close(fd) != 0) return ZG_EIO;
  if (rename(tmp, l->wal_path) != 0) return ZG_EIO;
  return ZG_OK;
}

static zg_err_t io_valset(void *ctx, uint64_t epoch, zg_bft_valset_t *out) {
  zg__vlane_t *l = ctx;
  const zg__vset_t *s;
  ZG_TRY(zg__v_valset(l->v, epoch, &s));
  out->v = s->bv;
  out->n = (uint32_t)s->set.n;
  return ZG_OK;
}

static zg_err_t io_load_committed(void *ctx, uint64_t height, zg_buf_t *block, zg_buf_t *proof) {
  zg__vlane_t *l = ctx;
  return zg_blockstore_get_block(l->v->bs, NULL, block, proof, l->id, height);
}

/* ---- payloads (net thread) ---- */

/* The epoch a block of lane at height with these imports belongs to. */
static uint64_t block_epoch(zg_validator_t *v, uint32_t lane, uint64_t height, const uint64_t *imports) {
  uint64_t h0 = lane == 0 ? height : imports[0];
  return zg_epoch_of_height(h0, v->g->epoch_length);
}

static void recent_put(zg__vlane_t *l, const uint8_t id[32], const uint64_t *imports, uint64_t ts) {
  unsigned k = l->recent_pos++ % ZG__V_RECENT;
  memcpy(l->recent[k].id, id, 32);
  memcpy(l->recent[k].imports, imports, sizeof l->recent[k].imports);
  l->recent[k].timestamp_ms = ts;
}

/* The timestamp of a recently checked block, or 0. */
static uint64_t recent_ts(zg__vlane_t *l, const uint8_t id[32]) {
  for (unsigned i = 0; i < ZG__V_RECENT; i++)
    if (memcmp(l->recent[i].id, id, 32) == 0) return l->recent[i].timestamp_ms;
  return 0;
}

static void on_pace_timer(void *arg) {
  zg__vlane_t *l = arg;
  if (!l->bft) return;
  uint8_t id[32];
  memcpy(id, l->pace_id, 32);
  zg_err_t e = zg_bft_payload_ready(l->bft, id);
  if (e) zg_loge(LOGC, "lane %u: payload_ready: %s", l->id, zg_strerror(e));
}

/* The imports of block id of lane l (a recent proposal, the committed tip,
 * or the lane's genesis); false when unknown. */
static bool imports_of(zg__vlane_t *l, const uint8_t id[32], uint64_t out[ZG_MAX_LANES]) {
  for (unsigned i = 0; i < ZG__V_RECENT; i++) {
    if (memcmp(l->recent[i].id, id, 32) == 0) {
      memcpy(out, l->recent[i].imports, sizeof l->recent[i].imports);
      return true;
    }
  }
  uint32_t lane;
  uint64_t h;
  if (zg_blockstore_find_block(l->v->bs, &lane, &h, id) == ZG_OK && lane == l->id) {
    zg_buf_t blk;
    zg_buf_init(&blk);
    zg_bft_block_t b;
    zg_block_payload_t p;
    bool ok = zg_blockstore_get_block(l->v->bs, NULL, &blk, NULL, lane, h) == ZG_OK &&
              zg_bft_block_decode(&b, blk.ptr, blk.len) == ZG_OK &&
              zg_block_payload_decode(&p, b.payload.ptr, b.payload.len) == ZG_OK;
    if (ok) memcpy(out, p.imports, sizeof p.imports);
    zg_buf_clear(&blk);
    return ok;
  }
  zg_bft_block_t gen;
  uint8_t gid[32];
  zg_bft_genesis(&gen, l->v->chain_id_lo, (uint8_t)l->id);
  zg_bft_block_id(gid, &gen);
  if (memcmp(gid, id, 32) == 0) {
    memset(out, 0, sizeof(uint64_t) * ZG_MAX_LANES);
    return true;
  }
  return false;
}

static zg_err_t io_make_payload(void *ctx, uint64_t height, const zg_bft_block_t *parent, uint64_t *epoch,
                                zg_buf_t *payload) {
  zg__vlane_t *l = ctx;
  zg_validator_t *v = l->v;
  zg_block_payload_t p;
  memset(&p, 0, sizeof p);
  p.n_imports = v->lanes;
  uint64_t pimp[ZG_MAX_LANES];
  zg_block_payload_t pp;
  if (parent->payload.len && zg_block_payload_decode(&pp, parent->payload.ptr, parent->payload.len) == ZG_OK) {
    memcpy(pimp, pp.imports, sizeof pimp);
  } else {
    uint8_t pid[32];
    zg_bft_block_id(pid, parent);
    if (!imports_of(l, pid, pimp)) memcpy(pimp, l->last_imports, sizeof pimp);
  }
  for (uint32_t m = 0; m < v->lanes; m++) {
    if (m == l->id) continue;
    uint64_t c = atomic_load(&v->lane[m].committed);
    p.imports[m] = c > pimp[m] ? c : pimp[m];
  }
  *epoch = block_epoch(v, l->id, height, p.imports);
  /* Batches of this lane not committed and not named by a proposal that may
   * be an ancestor (heights committed+1 .. height-1), oldest first. */
  uint64_t committed = atomic_load(&l->committed);
  static const size_t max = ZG__V_BLOCK_BATCHES;
  uint8_t *ids = malloc(max * 32);
  zg__vbatch_t **pick = malloc(max * sizeof *pick);
  size_t n = 0;
  if (!ids || !pick) {
    free(ids);
    free(pick);
    return ZG_ENOMEM;
  }
  for (unsigned k = 0; k < ZG__V_BUCKETS; k++) {
    for (zg__vbatch_t *b = v->buckets[k]; b; b = b->next) {
      if (b->lane != l->id) continue;
      if (b->inflight_height > committed && b->inflight_height < height) continue;
      if (n < max) {
        pick[n++] = b;
      } else {
        /* keep the oldest max */
        size_t newest = 0;
        for (size_t i = 1; i < n; i++)
          if (pick[i]->seq > pick[newest]->seq) newest = i;
        if (b->seq < pick[newest]->seq) pick[newest] = b;
      }
    }
  }
  /* order by arrival (insertion sort: n is small) */
  for (size_t i = 1; i < n; i++) {
    zg__vbatch_t *x = pick[i];
    size_t j = i;
    while (j > 0 && pick[j - 1]->seq > x->seq) {
      pick[j] = pick[j - 1];
      j--;
    }
    pick[j] = x;
  }
  for (size_t i = 0; i < n; i++) {
    memcpy(ids + 32 * i, pick[i]->id, 32);
    pick[i]->inflight_height = height;
  }
  p.n_batches = (uint32_t)n;
  p.batches = n ? ids : NULL;
  uint64_t eh = 0;
  uint8_t digest[32] = {0}, rroot[32] = {0};
  if (zg_state_height(l->state, &eh, digest) == ZG_OK && eh > 0 &&
      zg_state_block_info(l->state, eh, digest, rroot) == ZG_OK) {
    p.exec_height = eh < height ? eh : height - 1;
    if (p.exec_height != eh) {
      p.exec_height = 0;
      memset(digest, 0, 32);
      memset(rroot, 0, 32);
    }
  }
  memcpy(p.exec_state, digest, 32);
  memcpy(p.exec_receipts, rroot, 32);
  zg_err_t e = zg_block_payload_encode(payload, &p);
  free(ids);
  free(pick);
  return e;
}

/* What a payload still lacks: 0 when complete; else fetches missing
 * batches from `from` (once, when fetch is true) and returns how many
 * things are missing. Sets *bad when the payload can never be accepted. */
static unsigned payload_missing(zg__vlane_t *l, const zg_block_payload_t *p, bool fetch, zg_net_peer_t from) {
  zg_validator_t *v = l->v;
  unsigned missing = 0;
  for (uint32_t m = 0; m < v->lanes; m++)
    if (m != l->id && p->imports[m] > atomic_load(&v->lane[m].committed)) missing++;
  for (uint32_t i = 0; i < p->n_batches; i++) {
    if (batch_have(v, p->batches + 32 * i)) continue;
    missing++;
    if (fetch) zg__v_fetch_batch(v, p->batches + 32 * i, from);
  }
  return missing;
}

static void waiter_add(zg_validator_t *v, uint32_t lane, const uint8_t id[32], const zg_slice_t payload) {
  zg__vwaiter_t *w = NULL;
  for (unsigned i = 0; i < ZG__V_WAITERS; i++) {
    if (v->waiters[i].used && v->waiters[i].lane == lane && memcmp(v->waiters[i].block_id, id, 32) == 0) return;
    if (!v->waiters[i].used && !w) w = &v->waiters[i];
  }
  if (!w) {
    /* full: replace the one closest to its deadline */
    w = &v->waiters[0];
    for (unsigned i = 1; i < ZG__V_WAITERS; i++)
      if (v->waiters[i].deadline_ms < w->deadline_ms) w = &v->waiters[i];
  }
  w->payload.len = 0;
  if (zg_buf_append(&w->payload, payload.ptr, payload.len) != ZG_OK) return;
  w->used = true;
  w->lane = lane;
  memcpy(w->block_id, id, 32);
  w->deadline_ms = wall_ms() + 60000;
}

/* Re-checks every waiting proposal; tells the engine about complete ones. */
static void waiters_check(zg_validator_t *v) {
  uint64_t now = wall_ms();
  for (unsigned i = 0; i < ZG__V_WAITERS; i++) {
    zg__vwaiter_t *w = &v->waiters[i];
    if (!w->used) continue;
    zg_block_payload_t p;
    zg__vlane_t *l = &v->lane[w->lane];
    if (w->deadline_ms < now || zg_block_payload_decode(&p, w->payload.ptr, w->payload.len) != ZG_OK) {
      w->used = false;
      continue;
    }
    if (payload_missing(l, &p, false, ZG_NET_PEER_NONE) != 0) continue;
    w->used = false;
    uint8_t id[32];
    memcpy(id, w->block_id, 32);
    zg_logd(LOGC, "lane %u: a waiting proposal is complete", l->id);
    zg_err_t e = zg_bft_payload_ready(l->bft, id);
    if (e) zg_loge(LOGC, "lane %u: payload_ready: %s", l->id, zg_strerror(e));
  }
}

static void waiters_check_cb(void *arg) { waiters_check(arg); }

static zg_bft_payload_verdict_t reject(zg__vlane_t *l, const zg_bft_block_t *b, const char *why) {
  atomic_fetch_add(&l->rejects, 1);
  zg_logw(LOGC, "lane %u: refusing the proposal for height %llu round %llu: %s", l->id,
          (unsigned long long)b->height, (unsigned long long)b->round, why);
  return ZG_BFT_PAYLOAD_REJECT;
}

static zg_bft_payload_verdict_t io_check_payload(void *ctx, const zg_bft_block_t *b) {
  zg__vlane_t *l = ctx;
  zg_validator_t *v = l->v;
  if (b->kind == ZG_BFT_BLOCK_BOUNDARY) return b->payload.len == 0 ? ZG_BFT_PAYLOAD_ACCEPT : ZG_BFT_PAYLOAD_REJECT;
  zg_block_payload_t p;
  if (zg_block_payload_decode(&p, b->payload.ptr, b->payload.len) != ZG_OK || p.n_imports != v->lanes ||
      p.n_batches > ZG__V_BLOCK_BATCHES || b->height == 0 || p.exec_height >= b->height)
    return reject(l, b, "malformed payload");
  if (b->epoch != block_epoch(v, l->id, b->height, p.imports)) return reject(l, b, "wrong epoch");
  uint64_t pimp[ZG_MAX_LANES];
  if (imports_of(l, b->parent, pimp)) {
    for (uint32_t m = 0; m < v->lanes; m++)
      if (m != l->id && p.imports[m] < pimp[m]) return reject(l, b, "imports below the parent's");
  }
  /* Divergence check: a voter that executed the height the proposer reports
   * compares digests. */
  if (p.exec_height > 0 && p.exec_height <= atomic_load(&l->executed)) {
    uint8_t d[32], r[32];
    if (zg_state_block_info(l->state, p.exec_height, d, r) == ZG_OK &&
        (memcmp(d, p.exec_state, 32) != 0 || memcmp(r, p.exec_receipts, 32) != 0)) {
      zg_loge(LOGC, "lane %u: DIVERGENCE: proposer of height %llu reports another state or receipts root at "
                    "height %llu than this node computed; refusing to vote",
              l->id, (unsigned long long)b->height, (unsigned long long)p.exec_height);
      return reject(l, b, "diverged state");
    }
  }
  uint8_t id[32];
  zg_bft_block_id(id, b);
  recent_put(l, id, p.imports, b->timestamp_ms);
  /* The proposer (by key) is where missing batches come from. */
  zg_net_peer_t from = ZG_NET_PEER_NONE;
  const zg__vset_t *s;
  if (zg__v_valset(v, b->epoch, &s) == ZG_OK && b->proposer < s->set.n)
    if (zg_net_peer_find(v->net, &from, &s->set.members[b->proposer].node_key) != ZG_OK) from = ZG_NET_PEER_NONE;
  for (uint32_t i = 0; i < p.n_batches; i++) {
    zg__vbatch_t *bt = batch_find(v, p.batches + 32 * i);
    if (bt) bt->inflight_height = b->height;
  }
  unsigned missing = payload_missing(l, &p, true, from);
  if (missing == 0) {
    /* Pacing: a block without batches gets this node's vote no sooner than
     * one block time after its parent, so an idle lane makes blocks at the
     * genesis blockTime instead of as fast as votes travel (each block
     * costs signatures and fsyncs on every node). Blocks with batches are
     * voted at once. */
    uint64_t bt = v->g->block_time_ns / 1000000u, pts = recent_ts(l, b->parent), now = wall_ms();
    if (p.n_batches == 0 && bt && pts && now < pts + bt && l->pace_timer) {
      memcpy(l->pace_id, id, 32);
      zg_net_timer_start(l->pace_timer, pts + bt - now, 0);
      atomic_fetch_add(&l->paced, 1);
      return ZG_BFT_PAYLOAD_NOT_YET;
    }
    return ZG_BFT_PAYLOAD_ACCEPT;
  }
  zg_logd(LOGC, "lane %u: proposal for height %llu round %llu waits for %u batches or imports", l->id,
          (unsigned long long)b->height, (unsigned long long)b->round, missing);
  waiter_add(v, l->id, id, b->payload);
  atomic_fetch_add(&l->waits, 1);
  return ZG_BFT_PAYLOAD_NOT_YET;
}

static zg_err_t io_commit(void *ctx, const zg_bft_block_t *b, const uint8_t *proof, size_t proof_len) {
  zg__vlane_t *l = ctx;
  zg_validator_t *v = l->v;
  zg_block_payload_t p;
  zg_err_t e = zg_block_payload_decode(&p, b->payload.ptr, b->payload.len);
  if (e) {
    zg_loge(LOGC, "lane %u: committed block %llu has a malformed payload", l->id, (unsigned long long)b->height);
    return e;
  }
  zg_buf_t enc;
  zg_buf_init(&enc);
  zg_slice_t *bodies = calloc(p.n_batches ? p.n_batches : 1, sizeof *bodies);
  uint8_t *ids = malloc(p.n_batches ? 32u * p.n_batches : 1);
  if (!bodies || !ids) {
    e = ZG_ENOMEM;
    goto out;
  }
  size_t n = 0;
  for (uint32_t i = 0; i < p.n_batches; i++) {
    zg__vbatch_t *bt = batch_find(v, p.batches + 32 * i);
    if (!bt) continue; /* stored already, or fetched later by execution */
    memcpy(ids + 32 * n, bt->id, 32);
    bodies[n++] = zg_slice(bt->body, bt->len);
  }
  if ((e = zg_bft_block_encode(&enc, b)) != ZG_OK) goto out;
  zg_block_commit_t c = {.lane = l->id,
                         .height = b->height,
                         .block = zg_buf_slice(&enc),
                         .proof = zg_slice(proof, proof_len),
                         .batch_bodies = bodies,
                         .batch_ids = ids,
                         .n_batches = n};
  zg_bft_block_id(c.id, b);
  e = zg_blockstore_commit(v->bs, &c);
  if (e == ZG_EEXIST) { /* a replay of a stored block (after a restart): nothing moves */
    e = ZG_OK;
    goto out;
  }
  if (e) {
    zg_loge(LOGC, "lane %u: storing committed block %llu: %s", l->id, (unsigned long long)b->height,
            zg_strerror(e));
    goto out;
  }
  for (size_t i = 0; i < n; i++) batch_del(v, ids + 32 * i);
  memcpy(l->last_imports, p.imports, sizeof l->last_imports);
  atomic_store(&l->epoch, b->epoch);
  atomic_store(&l->committed, b->height);
  zg_gauge_set(l->m_committed, (int64_t)b->height);
  zg__v_exec_wake(l);
  /* Other lanes' proposals may have waited for this height. */
  if (zg_net_post(v->net, waiters_check_cb, v) != ZG_OK) zg_logd(LOGC, "post: net stopping");
  /* Missing batches: fetch them now so execution finds them. */
  for (uint32_t i = 0; i < p.n_batches; i++)
    if (!batch_have(v, p.batches + 32 * i)) zg__v_fetch_batch(v, p.batches + 32 * i, ZG_NET_PEER_NONE);
out:
  zg_buf_clear(&enc);
  free(bodies);
  free(ids);
  return e;
}

/* Staking's submitEquivocation(bytes,bytes) from the operator account. */
static void io_on_evidence(void *ctx, const uint8_t *vote_a, const uint8_t *vote_b) {
  zg__vlane_t *l = ctx;
  zg_validator_t *v = l->v;
  zg_logw(LOGC, "lane %u: equivocation evidence: submitting it to Staking", l->id);
  if (zg_lane_of(&v->keys.operator_addr, v->lanes) != ZG_STAKING_LANE) {
    zg_logw(LOGC, "operator account is not on lane %u: cannot call Staking, evidence not submitted",
            ZG_STAKING_LANE);
    return;
  }
  uint8_t sel[32];
  const char *sig = "submitEquivocation(bytes,bytes)";
  zg_keccak256(sel, sig, strlen(sig));
  /* selector, two offsets, then each bytes: length word and data padded to 32 */
  const size_t pad = (ZG_BFT_VOTE_LEN + 31) / 32 * 32;
  uint8_t data[4 + 64 + 2 * (32 + 128)];
  _Static_assert((ZG_BFT_VOTE_LEN + 31) / 32 * 32 <= 128, "vote fits the buffer");
  memset(data, 0, sizeof data);
  memcpy(data, sel, 4);
  uint8_t *w = data + 4;
  w[31] = 0x40;
  zg_store_be64(w + 56, 0x40 + 32 + pad);
  w += 64;
  zg_store_be64(w + 24, ZG_BFT_VOTE_LEN);
  memcpy(w + 32, vote_a, ZG_BFT_VOTE_LEN);
  w += 32 + pad;
  zg_store_be64(w + 24, ZG_BFT_VOTE_LEN);
  memcpy(w + 32, vote_b, ZG_BFT_VOTE_LEN);
  size_t dlen = 4 + 64 + 2 * (32 + pad);
  zg_tx_t f;
  memset(&f, 0, sizeof f);
  f.type = ZG_TX_DYNAMIC_FEE;
  f.chain_id = v->g->chain_id;
  zg_account_t acct;
  if (zg_state_account(v->states[0], &v->keys.operator_addr, &acct) != ZG_OK) return;
  f.nonce = acct.nonce;
  uint64_t pn;
  if (zg_mempool_pending_nonce(v->lane[0].pool, &pn, &v->keys.operator_addr) && pn > f.nonce) f.nonce = pn;
  zg_u256_mul_u64(&f.max_fee, &v->base_fee, 2);
  f.max_priority_fee = zg_u256_from_u64(0);
  f.has_to = true;
  memcpy(f.to.bytes, zg_staking_address.bytes, 20);
  f.data = zg_slice(data, dlen);
  uint64_t gas = 0;
  char reason[256];
  if (zg_exec_estimate_gas(v->exec, &gas, reason, &v->keys.operator_addr, &f.to, &f.value, data, dlen) != ZG_OK)
    gas = 1000000;
  f.gas_limit = gas + gas / 2;
  zg_buf_t raw;
  zg_buf_init(&raw);
  uint8_t hash[32];
  zg_eth_msg_t msg = {{0}};
  zg_err_t e = zg_tx_sign(&raw, &f, &v->keys.operator_sk);
  if (!e) e = zg__v_submit(v, hash, &msg, raw.ptr, raw.len);
  if (e) zg_logw(LOGC, "evidence transaction refused: %s %s", zg_strerror(e), msg.text);
  zg_buf_clear(&raw);
}

/* ---- net callbacks (net thread) ---- */

static void on_message(void *arg, zg_net_peer_t peer, uint8_t channel, const uint8_t *data, size_t len) {
  zg_validator_t *v = arg;
  if (channel == ZG__VCH_BFT) {
    if (len < 1 || data[0] >= v->lanes) return;
    zg__vlane_t *l = &v->lane[data[0]];
    if (!l->bft) return;
    zg_err_t e = zg_bft_on_message(l->bft, peer, data + 1, len - 1);
    if (e) zg_loge(LOGC, "lane %u: engine stopped: %s", l->id, zg_strerror(e));
  } else if (channel == ZG__VCH_BATCH) {
    if (len < 2 || len > ZG_BATCH_MAX_BYTES || data[0] >= v->lanes) return;
    uint8_t id[32];
    zg_batch_id(id, data, len);
    if (!batch_find(v, id)) {
      batch_add(v, id, data[0], data, len);
      waiters_check(v);
    }
  }
}

/* A peer asks for a batch: answer from memory or the block store. */
static void on_request(void *arg, zg_net_responder_t r, const uint8_t *data, size_t len) {
  zg_validator_t *v = arg;
  zg_err_t e;
  if (r.channel != ZG__VCH_FETCH || len != 32) {
    e = zg_net_respond(v->net, &r, ZG_EUNSUPPORTED, NULL, 0);
  } else {
    zg__vbatch_t *b = batch_find(v, data);
    if (b) {
      e = zg_net_respond(v->net, &r, ZG_OK, b->body, b->len);
    } else {
      zg_buf_t tmp;
      zg_buf_init(&tmp);
      zg_err_t g = zg_blockstore_get_batch(v->bs, &tmp, data);
      e = zg_net_respond(v->net, &r, g, tmp.ptr, tmp.len);
      zg_buf_clear(&tmp);
    }
  }
  if (e) zg_logd(LOGC, "respond: %s", zg_strerror(e));
}

static void on_peer(void *arg, zg_net_peer_t peer, bool up) {
  zg_validator_t *v = arg;
  zg_gauge_add(v->m_peers, up ? 1 : -1);
}

typedef struct {
  zg_validator_t *v;
  uint8_t id[32];
  zg_net_peer_t tried; /* the peer asked, to try the others after a failure */
  unsigned attempts;
} fetch_t;

static void fetch_send(fetch_t *f);

static void on_fetched(void *arg, zg_err_t err, const uint8_t *data, size_t len) {
  fetch_t *f = arg;
  zg_validator_t *v = f->v;
  uint8_t id[32];
  if (err == ZG_OK && len >= 2 && len <= ZG_BATCH_MAX_BYTES && data[0] < v->lanes) {
    zg_batch_id(id, data, len);
    if (memcmp(id, f->id, 32) == 0) {
      /* A batch a committed block names goes straight to the store, where
       * execution looks; any other waits in memory for its block. */
      zg_err_t e = zg_blockstore_put_batch(v->bs, id, zg_slice(data, len));
      if (e) zg_logw(LOGC, "storing fetched batch: %s", zg_strerror(e));
      batch_add(v, id, data[0], data, len);
      waiters_check(v);
      free(f);
      return;
    }
  }
  if (atomic_load(&v->stopping) || ++f->attempts >= 2 * zg_net_peer_count(v->net) + 2) {
    free(f);
    return;
  }
  f->tried = f->tried == ZG_NET_PEER_NONE ? 0 : f->tried + 1;
  fetch_send(f);
}

static void fetch_send(fetch_t *f) {
  zg_validator_t *v = f->v;
  size_t n = zg_net_peer_count(v->net);
  for (size_t k = 0; k < n; k++) {
    zg_net_peer_t p = (zg_net_peer_t)((f->tried == ZG_NET_PEER_NONE ? 0 : f->tried) + k) % (zg_net_peer_t)n;
    if (!zg_net_peer_up(v->net, p)) continue;
    f->tried = p;
    if (zg_net_request(v->net, p, ZG__VCH_FETCH, f->id, 32, 2000, on_fetched, f) == ZG_OK) return;
  }
  free(f);
}

typedef struct {
  zg_validator_t *v;
  uint8_t id[32];
  zg_net_peer_t peer;
} fetch_req_t;

static void fetch_post_cb(void *arg) {
  fetch_req_t *r = arg;
  zg_validator_t *v = r->v;
  zg__vbatch_t *b = batch_find(v, r->id);
  if (b) {
    /* Held in memory (it arrived after its block was committed): execution
     * looks in the block store, so put it there. */
    zg_err_t e = zg_blockstore_put_batch(v->bs, b->id, zg_slice(b->body, b->len));
    if (e) zg_logw(LOGC, "storing a held batch: %s", zg_strerror(e));
    free(r);
    return;
  }
  fetch_t *f = calloc(1, sizeof *f);
  if (f) {
    f->v = v;
    memcpy(f->id, r->id, 32);
    f->tried = r->peer;
    fetch_send(f);
  }
  free(r);
}

void zg__v_fetch_batch(zg_validator_t *v, const uint8_t id[32], zg_net_peer_t peer) {
  fetch_req_t *r = malloc(sizeof *r);
  if (!r) return;
  r->v = v;
  memcpy(r->id, id, 32);
  r->peer = peer;
  if (zg_net_post(v->net, fetch_post_cb, r) != ZG_OK) free(r);
}

/* ---- batch builder (net thread) ---- */

static void build_batch(zg__vlane_t *l) {
  zg_validator_t *v = l->v;
  for (int rounds = 0; rounds < 8; rounds++) {
    zg_mempool_taken_reset(&l->taken);
    if (zg_mempool_take(l->pool, &l->taken, (size_t)v->cfg.batch_txs, ZG_BATCH_MAX_BYTES - 65536) != ZG_OK) return;
    if (l->taken.n == 0) return;
    atomic_store(&l->adds, 0);
    zg_slice_t *txs = malloc(l->taken.n * sizeof *txs);
    if (!txs) return;
    for (size_t i = 0; i < l->taken.n; i++)
      txs[i] = zg_slice(l->taken.raw.ptr + l->taken.items[i].off, l->taken.items[i].len);
    zg_buf_t enc;
    zg_buf_init(&enc);
    zg_err_t e = zg_batch_encode(&enc, (uint8_t)l->id, txs, l->taken.n);
    free(txs);
    uint8_t id[32];
    if (!e) {
      zg_batch_id(id, enc.ptr, enc.len);
      if (!batch_add(v, id, (uint8_t)l->id, enc.ptr, enc.len)) e = ZG_EFULL;
    }
    if (!e) e = zg_net_broadcast(v->net, ZG__VCH_BATCH, enc.ptr, enc.len);
    if (e && e != ZG_ECLOSED) zg_logw(LOGC, "lane %u: batch of %zu txs: %s", l->id, l->taken.n, zg_strerror(e));
    bool full = l->taken.n >= v->cfg.batch_txs;
    if (e == ZG_EFULL || e == ZG_ENOMEM) {
      /* give the transactions back: another batch will carry them */
      for (size_t i = 0; i < l->taken.n; i++) zg_mempool_untake(l->pool, &l->taken.items[i].hash, 1);
    }
    zg_buf_clear(&enc);
    if (e || !full) return;
  }
}

static void on_batch_timer(void *arg) { build_batch(arg); }

static void build_now_cb(void *arg) { build_batch(arg); }

/* ---- transaction intake (any thread) ---- */

static zg_err_t account_cb(void *ctx, uint64_t *nonce, zg_u256_t *balance, const zg_eth_addr_t *addr) {
  zg_validator_t *v = ctx;
  zg_account_t a;
  ZG_TRY(zg_state_account(v->states[zg_exec_owner_lane(v->exec, addr)], addr, &a));
  *nonce = a.nonce;
  *balance = a.balance;
  return ZG_OK;
}

zg_err_t zg__v_submit(zg_validator_t *v, uint8_t hash[32], zg_eth_msg_t *msg, const uint8_t *raw, size_t len) {
  zg_tx_t tx;
  zg_eth_addr_t sender;
  char text[ZG_MEMPOOL_MSG_MAX] = "";
  if (msg) msg->text[0] = 0;
  zg_err_t e = zg_tx_decode(&tx, raw, len, v->g->chain_id);
  if (e) {
    if (msg) snprintf(msg->text, sizeof msg->text, "%s", zg_tx_strerror(e));
    return e;
  }
  memcpy(hash, tx.hash, 32);
  if ((e = zg_tx_sender_cached(&sender, NULL, &tx, v->cache)) != ZG_OK) {
    if (msg) snprintf(msg->text, sizeof msg->text, "%s", zg_tx_strerror(e));
    return e;
  }
  uint32_t lane = zg_lane_of(&sender, v->lanes);
  const zg_sc_contract_t *c = tx.has_to ? zg_sc_find(v->reg, &tx.to) : NULL;
  if (c && c->lane != lane) {
    if (msg) {
      char a[43];
      zg_eth_address_to_text(a, &sender);
      snprintf(msg->text, sizeof msg->text, "sender %s is on lane %u; contract %s lives on lane %u", a, lane,
               c->name, c->lane);
    }
    return ZG_ELANE;
  }
  zg__vlane_t *l = &v->lane[lane];
  e = zg_mempool_add(l->pool, text, &tx, &sender);
  if (e) {
    if (msg) snprintf(msg->text, sizeof msg->text, "%s", text);
    return e;
  }
  if (atomic_fetch_add(&l->adds, 1) + 1 == v->cfg.batch_txs && v->net)
    if (zg_net_post(v->net, build_now_cb, l) != ZG_OK) zg_logd(LOGC, "post: net stopping");
  return ZG_OK;
}

zg_err_t zg_validator_submit_tx(zg_validator_t *v, uint8_t hash[32], char *msg, size_t msglen, const uint8_t *raw,
                                size_t len) {
  if (!v || !hash || (!raw && len)) return ZG_EINVAL;
  memset(hash, 0, 32);
  zg_eth_msg_t m;
  zg_err_t e = zg__v_submit(v, hash, &m, raw, len);
  if (msg && msglen) snprintf(msg, msglen, "%s", e ? m.text : "");
  return e;
}

/* ---- start and stop ---- */

static char *read_small_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = malloc(ZG_BFT_MAX_MSG);
  size_t n = buf ? fread(buf, 1, ZG_BFT_MAX_MSG, f) : 0;
  fclose(f);
  *len = n;
  if (buf && n == 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

/* Net thread: timers and engines of every lane, then a signal to start(). */
typedef struct {
  zg_validator_t *v;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool done;
  zg_err_t err;
} sync_t;

static void sync_done(sync_t *s, zg_err_t e) {
  pthread_mutex_lock(&s->mu);
  s->err = e;
  s->done = true;
  pthread_cond_signal(&s->cv);
  pthread_mutex_unlock(&s->mu);
}

static zg_err_t sync_run(zg_validator_t *v, void (*fn)(void *)) {
  sync_t s = {v, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, ZG_OK};
  ZG_TRY(zg_net_post(v->net, fn, &s));
  pthread_mutex_lock(&s.mu);
  while (!s.done) pthread_cond_wait(&s.cv, &s.mu);
  pthread_mutex_unlock(&s.mu);
  return s.err;
}

static const zg_bft_io_t lane_io = {
    .now_ms = io_now_ms,
    .broadcast = io_broadcast,
    .send_validator = io_send_validator,
    .send_peer = io_send_peer,
    .set_timer = io_set_timer,
    .make_payload = io_make_payload,
    .check_payload = io_check_payload,
    .commit = io_commit,
    .valset = io_valset,
    .sign = io_sign,
    .verify = NULL,
    .wal_write = io_wal_write,
    .on_evidence = io_on_evidence,
    .load_committed = io_load_committed,
};

static zg_err_t lane_engine_start(zg__vlane_t *l) {
  zg_validator_t *v = l->v;
  zg_bft_config_t bc;
  zg_bft_config_default(&bc, v->chain_id_lo, (uint8_t)l->id, &v->keys.node_pk);
  uint64_t bt_ms = v->g->block_time_ns / 1000000u;
  if (bt_ms * 5 > bc.base_timeout_ms) bc.base_timeout_ms = (uint32_t)(bt_ms * 5 < 60000 ? bt_ms * 5 : 60000);
  ZG_TRY(zg_bft_create(&l->bft, &bc, &lane_io, l));
  ZG_TRY(zg_net_timer_create(v->net, &l->timer, on_lane_timer, l));
  ZG_TRY(zg_net_timer_create(v->net, &l->batch_timer, on_batch_timer, l));
  ZG_TRY(zg_net_timer_create(v->net, &l->pace_timer, on_pace_timer, l));
  zg_buf_t root;
  zg_buf_init(&root);
  uint64_t h = atomic_load(&l->committed);
  zg_err_t e = ZG_OK;
  if (h > 0) {
    e = zg_blockstore_get_block(v->bs, NULL, &root, NULL, l->id, h);
  } else {
    zg_bft_block_t gen;
    zg_bft_genesis(&gen, v->chain_id_lo, (uint8_t)l->id);
    e = zg_bft_block_encode(&root, &gen);
  }
  size_t wlen = 0;
  char *wal = e ? NULL : read_small_file(l->wal_path, &wlen);
  if (!e) e = zg_bft_start(l->bft, root.ptr, root.len, (const uint8_t *)wal, wlen);
  free(wal);
  zg_buf_clear(&root);
  if (e) return e;
  uint64_t d = v->cfg.batch_delay_ns / 1000000u;
  zg_net_timer_start(l->batch_timer, d ? d : 1, d ? d : 1);
  return ZG_OK;
}

static void engines_start_cb(void *arg) {
  sync_t *s = arg;
  zg_validator_t *v = s->v;
  zg_err_t e = ZG_OK;
  for (uint32_t i = 0; i < v->lanes && !e; i++) {
    e = lane_engine_start(&v->lane[i]);
    if (e) zg_loge(LOGC, "lane %u: engine start: %s", i, zg_strerror(e));
  }
  sync_done(s, e);
}

static void engines_stop_cb(void *arg) {
  sync_t *s = arg;
  zg_validator_t *v = s->v;
  for (uint32_t i = 0; i < v->lanes; i++) {
    zg__vlane_t *l = &v->lane[i];
    if (l->timer) zg_net_timer_destroy(l->timer);
    if (l->batch_timer) zg_net_timer_destroy(l->batch_timer);
    if (l->pace_timer) zg_net_timer_destroy(l->pace_timer);
    l->timer = l->batch_timer = l->pace_timer = NULL;
    zg_bft_destroy(l->bft);
    l->bft = NULL;
  }
  batches_free(v);
  sync_done(s, ZG_OK);
}

static zg_err_t copy_cfg(zg_validator_t *v, const zg_validator_cfg_t *cfg) {
  v->cfg = *cfg;
  const char *strs[] = {cfg->data_dir, cfg->genesis_path, cfg->keys_path, cfg->listen, cfg->rpc_addr};
  size_t total = 0;
  for (size_t i = 0; i < 5; i++) total += strs[i] ? strlen(strs[i]) + 1 : 0;
  for (size_t i = 0; i < cfg->n_peers; i++) total += strlen(cfg->peers[i]) + 1;
  v->cfg_strings = malloc(total + 1);
  v->peers = calloc(cfg->n_peers + 1, sizeof *v->peers);
  if (!v->cfg_strings || !v->peers) return ZG_ENOMEM;
  char *p = v->cfg_strings;
  const char **dst[] = {&v->cfg.data_dir, &v->cfg.genesis_path, &v->cfg.keys_path, &v->cfg.listen,
                        &v->cfg.rpc_addr};
  for (size_t i = 0; i < 5; i++) {
    if (!strs[i]) continue;
    strcpy(p, strs[i]);
    *dst[i] = p;
    p += strlen(p) + 1;
  }
  for (size_t i = 0; i < cfg->n_peers; i++) {
    strcpy(p, cfg->peers[i]);
    v->peers[i] = p;
    p += strlen(p) + 1;
  }
  v->cfg.peers = v->peers;
  return ZG_OK;
}

static zg_err_t mkdir_p(const char *dir) {
  char tmp[512];
  if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp) return ZG_EINVAL;
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST) return ZG_EIO;
    *p = '/';
  }
  if (mkdir(tmp, 0700) != 0 && errno != EEXIST) return ZG_EIO;
  return ZG_OK;
}

static zg_err_t open_storage(zg_validator_t *v, char *err, size_t errlen) {
  char path[600];
  zg_err_t e = mkdir_p(v->cfg.data_dir);
  if (e) {
    snprintf(err, errlen, "cannot create %s: %s", v->cfg.data_dir, strerror(errno));
    return e;
  }
  snprintf(path, sizeof path, "%s/blocks", v->cfg.data_dir);
  if ((e = mkdir_p(path)) != ZG_OK || (e = zg_blockstore_open(&v->bs, path, v->lanes, v->cfg.no_sync)) != ZG_OK) {
    snprintf(err, errlen, "block store %s: %s", path, zg_strerror(e));
    return e;
  }
  zg_state_opts_t so = {(size_t)16 << 30, v->cfg.no_sync};
  for (uint32_t i = 0; i < v->lanes; i++) {
    snprintf(path, sizeof path, "%s/state%u", v->cfg.data_dir, i);
    if ((e = mkdir_p(path)) != ZG_OK || (e = zg_state_open(&v->states[i], path, i, v->lanes, &so)) != ZG_OK) {
      snprintf(err, errlen, "state %s: %s", path, zg_strerror(e));
      return e;
    }
    snprintf(v->lane[i].wal_path, sizeof v->lane[i].wal_path, "%s/wal%u", v->cfg.data_dir, i);
    v->lane[i].state = v->states[i];
  }
  if ((e = zg_sc_registry_new(&v->reg)) != ZG_OK || (e = zg_contracts_register_all(v->reg)) != ZG_OK) {
    snprintf(err, errlen, "system contracts: %s", zg_strerror(e));
    return e;
  }
  if ((e = zg_exec_create(&v->exec, v->states, v->lanes, v->reg, v->g->chain_id, &v->base_fee)) != ZG_OK) {
    snprintf(err, errlen, "executor: %s", zg_strerror(e));
    return e;
  }
  return ZG_OK;
}

static zg_err_t open_lanes(zg_validator_t *v, char *err, size_t errlen) {
  zg_err_t e = zg_tx_cache_create(&v->cache, (size_t)(v->cfg.mempool_max * 2 > 65536 ? v->cfg.mempool_max * 2 : 65536));
  if (e) return e;
  for (uint32_t i = 0; i < v->lanes; i++) {
    zg__vlane_t *l = &v->lane[i];
    uint64_t c, x;
    if ((e = zg_blockstore_heights(v->bs, i, &c, &x)) != ZG_OK) {
      snprintf(err, errlen, "block store: %s", zg_strerror(e));
      return e;
    }
    atomic_store(&l->committed, c);
    atomic_store(&l->executed, x);
    if (c > 0) {
      zg_buf_t blk;
      zg_buf_init(&blk);
      zg_bft_block_t b;
      zg_block_payload_t p;
      if (zg_blockstore_get_block(v->bs, NULL, &blk, NULL, i, c) == ZG_OK &&
          zg_bft_block_decode(&b, blk.ptr, blk.len) == ZG_OK &&
          zg_block_payload_decode(&p, b.payload.ptr, b.payload.len) == ZG_OK) {
        memcpy(l->last_imports, p.imports, sizeof l->last_imports);
        atomic_store(&l->epoch, b.epoch);
      }
      zg_buf_clear(&blk);
    }
    zg_mempool_config_t mc;
    memset(&mc, 0, sizeof mc);
    mc.chain_id = v->g->chain_id;
    mc.base_fee = v->base_fee;
    mc.max_txs = (size_t)(v->cfg.mempool_max / v->lanes + 1);
    /* A sender may have many transactions in flight (load generators, exchanges). */
    mc.max_per_sender = 16384;
    mc.lanes = v->lanes;
    mc.lane = (int)i;
    mc.cache = v->cache;
    mc.account = account_cb;
    mc.account_ctx = v;
    if ((e = zg_mempool_create(&l->pool, &mc)) != ZG_OK) {
      snprintf(err, errlen, "mempool: %s", zg_strerror(e));
      return e;
    }
    zg_mempool_taken_init(&l->taken);
  }
  return ZG_OK;
}

static zg_err_t open_net(zg_validator_t *v, char *err, size_t errlen) {
  zg_net_config_t nc;
  zg_net_config_default(&nc);
  char netid[96];
  char gh[67];
  zg_hex_encode(gh, v->g->hash, 32);
  snprintf(netid, sizeof netid, "zg/%llu/%.18s", (unsigned long long)v->g->chain_id, gh);
  nc.listen = v->cfg.listen;
  nc.sk = &v->keys.node_sk;
  nc.network_id = (const uint8_t *)netid;
  nc.network_id_len = strlen(netid);
  nc.peers = v->cfg.peers;
  nc.npeers = v->cfg.n_peers;
  nc.accept_unknown = true; /* observers and RPC-only nodes may follow */
  nc.cb.on_message = on_message;
  nc.cb.on_request = on_request;
  nc.cb.on_peer = on_peer;
  nc.cb.arg = v;
  zg_err_t e = zg_net_create(&v->net, &nc);
  if (e) {
    snprintf(err, errlen, "net on %s: %s", v->cfg.listen, zg_strerror(e));
    return e;
  }
  v->p2p_port = zg_net_listen_port(v->net);
  return ZG_OK;
}

zg_err_t zg_validator_start(zg_validator_t **out, char *err, size_t errlen, const zg_validator_cfg_t *cfg) {
  char dummy[8];
  if (!err || !errlen) {
    err = dummy;
    errlen = sizeof dummy;
  }
  err[0] = 0;
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!cfg || !cfg->data_dir || !cfg->genesis_path || !cfg->keys_path || !cfg->listen || !cfg->rpc_addr ||
      cfg->batch_txs == 0)
    return ZG_EINVAL;
  /* A peer that closes its end makes a write raise SIGPIPE, which would
   * kill the node: the role's sockets report EPIPE instead (libuv leaves
   * this to the application). */
  signal(SIGPIPE, SIG_IGN);
  zg_validator_t *v = calloc(1, sizeof *v);
  if (!v) return ZG_ENOMEM;
  pthread_mutex_init(&v->vs_mu, NULL);
  pthread_mutex_init(&v->tps_mu, NULL);
  pthread_mutex_init(&v->status_mu, NULL);
  for (uint32_t i = 0; i < ZG_MAX_LANES; i++) {
    v->lane[i].v = v;
    v->lane[i].id = i;
    pthread_mutex_init(&v->lane[i].mu, NULL);
    pthread_cond_init(&v->lane[i].cv, NULL);
  }
  zg_buf_init(&v->scratch);
  for (unsigned i = 0; i < ZG__V_WAITERS; i++) zg_buf_init(&v->waiters[i].payload);
  zg_err_t e = copy_cfg(v, cfg);
  if (!e) e = zg_genesis_load(&v->g, err, errlen, v->cfg.genesis_path);
  if (!e) e = zg_validator_keys_load(&v->keys, err, errlen, v->cfg.keys_path);
  if (e) goto fail;
  v->lanes = v->g->lanes;
  v->chain_id_lo = (uint32_t)v->g->chain_id;
  v->base_fee = zg_u256_from_u64(v->g->base_fee_gwei);
  if (!zg_u256_mul_u64(&v->base_fee, &v->base_fee, 1000000000ull)) {
    e = ZG_EOVERFLOW;
    goto fail;
  }
  if ((e = zg_metrics_create(&v->metrics)) != ZG_OK) goto fail;
  if ((e = open_storage(v, err, errlen)) != ZG_OK) goto fail;
  if ((e = zg__v_exec_init(v)) != ZG_OK) {
    snprintf(err, errlen, "genesis: %s", zg_strerror(e));
    goto fail;
  }
  if ((e = open_lanes(v, err, errlen)) != ZG_OK) goto fail;
  if ((e = zg__v_rpc_start(v, err, errlen)) != ZG_OK) goto fail; /* metrics first: the net reports peers */
  if ((e = open_net(v, err, errlen)) != ZG_OK) goto fail;
  if ((e = zg__v_exec_start(v)) != ZG_OK) {
    snprintf(err, errlen, "execution threads: %s", zg_strerror(e));
    goto fail;
  }
  if ((e = sync_run(v, engines_start_cb)) != ZG_OK) {
    snprintf(err, errlen, "consensus engines: %s", zg_strerror(e));
    goto fail;
  }
  zg_valset_t set0;
  if (zg_valset_from_genesis(&set0, v->g) == ZG_OK && zg_valset_find(&set0, &v->keys.node_pk) < 0)
    zg_logw(LOGC, "this node's key is not in the genesis validator set: following as an observer");
  zg_logi(LOGC, "validator role: chain %llu, %u lanes, data %s, p2p port %u, rpc port %u",
          (unsigned long long)v->g->chain_id, v->lanes, v->cfg.data_dir, v->p2p_port, v->rpc_port);
  *out = v;
  return ZG_OK;
fail:
  if (!err[0]) snprintf(err, errlen, "%s", zg_strerror(e));
  zg_validator_stop(v);
  return e;
}

void zg_validator_stop(zg_validator_t *v) {
  if (!v) return;
  atomic_store(&v->stopping, true);
  zg__v_rpc_stop(v);
  if (v->net && sync_run(v, engines_stop_cb) != ZG_OK) zg_logw(LOGC, "engines not stopped on the net thread");
  zg__v_exec_stop(v);
  zg_net_destroy(v->net);
  batches_free(v);
  for (uint32_t i = 0; i < ZG_MAX_LANES; i++) {
    zg__vlane_t *l = &v->lane[i];
    zg_mempool_destroy(l->pool);
    zg_mempool_taken_free(&l->taken);
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
  }
  zg_tx_cache_destroy(v->cache);
  zg_exec_destroy(v->exec);
  for (uint32_t i = 0; i < ZG_MAX_LANES; i++) zg_state_close(v->states[i]);
  zg_sc_registry_free(v->reg);
  zg_blockstore_close(v->bs);
  zg__v_valsets_free(v);
  zg_metrics_destroy(v->metrics);
  for (unsigned i = 0; i < ZG__V_WAITERS; i++) zg_buf_clear(&v->waiters[i].payload);
  zg_buf_clear(&v->scratch);
  zg_genesis_free(v->g);
  zg_validator_keys_clear(&v->keys);
  pthread_mutex_destroy(&v->vs_mu);
  pthread_mutex_destroy(&v->tps_mu);
  pthread_mutex_destroy(&v->status_mu);
  free(v->cfg_strings);
  free(v->peers);
  free(v);
}

uint16_t zg_validator_rpc_port(const zg_validator_t *v) { return v ? v->rpc_port : 0; }
uint16_t zg_validator_p2p_port(const zg_validator_t *v) { return v ? v->p2p_port : 0; }
const zg_ed25519_pk_t *zg_validator_node_key(const zg_validator_t *v) { return v ? &v->keys.node_pk : NULL; }

typedef struct {
  zg__vlane_t *l;
  zg_bft_status_t st;
} status_req_t;

static void status_cb(void *arg) {
  sync_t *s = arg;
  status_req_t *r = s->v->status_req;
  if (r->l->bft) zg_bft_status(r->l->bft, &r->st);
  sync_done(s, ZG_OK);
}

zg_err_t zg_validator_lane_status(zg_validator_t *v, zg_lane_status_t *st, uint32_t lane) {
  if (!v || !st || lane >= v->lanes) return ZG_EINVAL;
  memset(st, 0, sizeof *st);
  zg__vlane_t *l = &v->lane[lane];
  st->committed = atomic_load(&l->committed);
  st->executed = atomic_load(&l->executed);
  st->epoch = atomic_load(&l->epoch);
  uint64_t h;
  if (zg_state_height(l->state, &h, st->state_digest) != ZG_OK) memset(st->state_digest, 0, 32);
  st->payload_rejects = atomic_load(&l->rejects);
  st->payload_waits = atomic_load(&l->waits);
  /* The engine lives on the net thread: read its status there. */
  status_req_t r = {l, {0}};
  pthread_mutex_lock(&v->status_mu);
  v->status_req = &r;
  zg_err_t e = v->net && !atomic_load(&v->stopping) ? sync_run(v, status_cb) : ZG_ESTATE;
  v->status_req = NULL;
  pthread_mutex_unlock(&v->status_mu);
  if (e == ZG_OK) {
    st->round = r.st.round;
    st->high_qc_round = r.st.high_qc_round;
    st->voted_round = r.st.voted_round;
    st->proposals = r.st.proposals;
    st->votes_sent = r.st.votes_sent;
    st->timeouts_sent = r.st.timeouts_sent;
  }
  return ZG_OK;
}

zg_err_t zg_validator_state_digest(zg_validator_t *v, uint8_t digest[32], uint8_t receipts_root[32], uint32_t lane,
                                   uint64_t height) {
  if (!v || !digest || lane >= v->lanes) return ZG_EINVAL;
  uint8_t r[32];
  return zg_state_block_info(v->states[lane], height, digest, receipts_root ? receipts_root : r);
}

zg_err_t zg_validator_account(zg_validator_t *v, zg_u256_t *balance, uint64_t *nonce, const zg_eth_addr_t *addr) {
  if (!v || !balance || !nonce || !addr) return ZG_EINVAL;
  zg_account_t a;
  ZG_TRY(zg_state_account(v->states[zg_exec_owner_lane(v->exec, addr)], addr, &a));
  *balance = a.balance;
  *nonce = a.nonce;
  return ZG_OK;
}

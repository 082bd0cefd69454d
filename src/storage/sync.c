/*
 * sync.c — storage peer sync (zg/storage_sync.h): a sync thread that finds
 * the entries of this node's shard that lack segments, asks peers which of
 * them hold those segments (FIND), fetches them range by range (GET),
 * verifies and stores them through zg_storage_upload, and announces the
 * entries it completes; and the answers to peers' FIND and GET on the net
 * thread.
 *
 * Invariants:
 *  - Nothing a peer sends is stored before zg_storage_upload verified it
 *    against the tx record the chain follower wrote (the requester's own
 *    record: an answer never names the root or the file size); a verdict of
 *    a bad proof or a malformed answer bans that peer for cfg.ban_ms.
 *  - At most cfg.max_inflight requests are outstanding (each answer at most
 *    ZG_SYNC_MAX_RANGE segments), at most ZG_SYNC_MAX_PENDING entries are
 *    tracked; every request's completion is waited for before the sync thread
 *    moves on or exits, so no completion outlives the state it writes to.
 *  - s->mu guards the peer table, the pending table, the completion list and
 *    the flags; no store or network call is made while holding it.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "storage/sync_internal.h"
#include "zg/log.h"
#include "zg/merkle.h"
#include "zg/metrics.h"
#include "zg/net.h"

#define LOGC "sync"
#define MAX_PEERS 256u
#define MAX_QUEUE 160u /* ranges waiting to be (re)issued for one file */

typedef struct {
  uint64_t banned_until; /* ms, 0: not banned */
  bool known;            /* shard learnt from an announce or a FIND answer */
  zg__sync_shard_t shard;
} peer_t;

typedef struct {
  uint64_t seq;
  uint64_t first_seen, next_try; /* ms */
  uint64_t seen_segs;            /* segments stored when last examined */
  uint32_t fails;
  zg_storage_sync_file_t state;
} pend_t;

typedef enum { REQ_FIND, REQ_GET } req_kind_t;

typedef struct req {
  struct zg_storage_sync *s;
  struct req *next; /* completion list */
  req_kind_t kind;
  zg_net_peer_t peer;
  uint64_t first, end; /* GET range */
  uint32_t attempts;
  zg_err_t err;
  uint8_t *data; /* the answer, owned */
  size_t len;
} req_t;

typedef struct {
  uint64_t first, end;
  uint32_t attempts;
  zg_net_peer_t last_peer;
} range_t;

struct zg_storage_sync {
  zg_storage_t *st;
  zg_storage_sync_cfg_t cfg; /* numbers only; pointers cleared */
  zg__sync_shard_t shard;
  zg_net_t *net;
  uint8_t self[32];
  pthread_t thread;
  bool started;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool stopping, kicked;
  peer_t peers[MAX_PEERS];
  pend_t *pend;
  size_t npend;
  uint64_t scan_next; /* next seq to examine */
  uint64_t active_seq; /* being synced, UINT64_MAX: none */
  req_t *done;
  zg_metric_t *gauges[ZG__SYNC_M_COUNT]; /* NULL until attached */
  _Atomic uint64_t peers_up, files_synced, segs_fetched, bytes_fetched, bad_ranges, banned, req_failed,
      segs_served, bytes_served, ann_in, ann_out;
};

static void publish(zg_storage_sync_t *s);

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const char *zg_storage_sync_file_name(zg_storage_sync_file_t st) {
  switch (st) {
  case ZG_SYNC_FILE_COMPLETED: return "Completed";
  case ZG_SYNC_FILE_WAITING: return "Waiting";
  case ZG_SYNC_FILE_SYNCING: return "Syncing";
  case ZG_SYNC_FILE_NO_PEER: return "NoPeer";
  case ZG_SYNC_FILE_QUEUED: return "Queued";
  case ZG_SYNC_FILE_UNKNOWN: break;
  }
  return "Unknown";
}

/* First segment index >= from of a file starting at flow segment s0 that
 * lies in shard sh. */
static uint64_t shard_first(uint64_t s0, const zg__sync_shard_t *sh, uint64_t from) {
  uint64_t n = sh->num_shard;
  return from + (sh->shard_id + n - (s0 + from) % n) % n;
}

static bool in_shard(uint64_t s0, const zg__sync_shard_t *sh, uint64_t index) {
  return (s0 + index) % sh->num_shard == sh->shard_id;
}

/* ---- Answering peers (net thread) ---- */

static void respond(zg_storage_sync_t *s, const zg_net_responder_t *r, zg_err_t status, const zg_buf_t *b) {
  zg_err_t e = zg_net_respond(s->net, r, status, b ? b->ptr : NULL, b ? b->len : 0);
  /* Over the peer's send queue: say so (a few bytes) rather than let the
   * requester wait for its timeout; it asks again. */
  if (e == ZG_EAGAIN && b && b->len) e = zg_net_respond(s->net, r, ZG_EAGAIN, NULL, 0);
  if (e != ZG_OK) zg_logd(LOGC, "answer to peer %u: %s", (unsigned)r->peer, zg_strerror(e));
}

/* FIND: the answerer's shard and how many of the requester's segments of
 * the tx it holds (a hint, counted over at most 4096 candidates; GET
 * answers are what counts). */
static zg_err_t serve_find(zg_storage_sync_t *s, zg_buf_t *out, const zg__sync_msg_t *q) {
  zg__sync_msg_t a;
  memset(&a, 0, sizeof a);
  a.type = ZG__SYNC_FIND_ANSWER;
  a.u.found.shard = s->shard;
  zg_logstore_tx_t tx;
  if (zg_storage_find_tx(s->st, &tx, NULL, NULL, true, q->u.req.seq) == ZG_OK &&
      memcmp(tx.root, q->u.req.root, 32) == 0) {
    a.u.found.has_entry = true;
    uint64_t d = zg_logstore_tx_segments(tx.size), s0 = tx.start_pos / ZG_SECTORS_PER_SEGMENT;
    unsigned looked = 0;
    for (uint64_t i = shard_first(s0, &q->u.req.shard, 0); i < d && looked < 4096; i += q->u.req.shard.num_shard) {
      bool present = false;
      if (!in_shard(s0, &s->shard, i)) continue;
      looked++;
      ZG_TRY(zg_storage_segment_present(s->st, &present, &tx, i));
      a.u.found.held += present;
    }
  }
  return zg__sync_msg_encode(out, &a);
}

/* GET: the requester's segments of [first, end) held here, at most
 * ZG_SYNC_MAX_RANGE, each with its stored proof. */
static zg_err_t serve_get(zg_storage_sync_t *s, zg_buf_t *out, const zg__sync_msg_t *q) {
  zg_logstore_tx_t tx;
  zg_storage_err_t err;
  if (zg_storage_find_tx(s->st, &tx, &err, NULL, true, q->u.req.seq) != ZG_OK ||
      memcmp(tx.root, q->u.req.root, 32) != 0)
    return ZG_ENOTFOUND;
  uint64_t d = zg_logstore_tx_segments(tx.size), s0 = tx.start_pos / ZG_SECTORS_PER_SEGMENT;
  uint64_t end = q->u.req.end < d ? q->u.req.end : d;
  zg__sync_msg_t *a = calloc(1, sizeof *a);
  uint8_t *data = malloc((size_t)ZG_SYNC_MAX_RANGE * ZG_SEGMENT_BYTES);
  zg_merkle_proof_t *proof = malloc(sizeof *proof);
  zg_buf_t proofs;
  size_t poff[ZG_SYNC_MAX_RANGE];
  zg_buf_init(&proofs);
  zg_err_t e = a && data && proof ? ZG_OK : ZG_ENOMEM;
  if (e) goto out;
  a->type = ZG__SYNC_GET_ANSWER;
  for (uint64_t i = shard_first(s0, &q->u.req.shard, q->u.req.first);
       e == ZG_OK && i < end && a->u.got.nsegs < ZG_SYNC_MAX_RANGE; i += q->u.req.shard.num_shard) {
    if (!in_shard(s0, &s->shard, i)) continue;
    bool present = false;
    size_t len = 0;
    uint8_t *at = data + a->u.got.nsegs * (size_t)ZG_SEGMENT_BYTES;
    e = zg_storage_segment_with_proof(s->st, &present, at, ZG_SEGMENT_BYTES, &len, proof, &err, &tx, i);
    if (e != ZG_OK || !present) continue;
    if (s->cfg.debug_corrupt) at[len / 2] ^= 0x01; /* the test knob */
    poff[a->u.got.nsegs] = proofs.len;
    e = zg_merkle_proof_encode(&proofs, proof);
    zg__sync_seg_t *sg = &a->u.got.segs[a->u.got.nsegs++];
    sg->index = i;
    sg->data = zg_slice(at, len);
    sg->proof.len = proofs.len - poff[a->u.got.nsegs - 1];
  }
  if (e) goto out;
  /* The proof views point into proofs only now that it stops growing. */
  uint64_t bytes = 0;
  for (size_t k = 0; k < a->u.got.nsegs; k++) {
    a->u.got.segs[k].proof.ptr = proofs.ptr + poff[k];
    bytes += a->u.got.segs[k].data.len;
  }
  e = zg__sync_msg_encode(out, a);
  if (e == ZG_OK) {
    atomic_fetch_add(&s->segs_served, a->u.got.nsegs);
    atomic_fetch_add(&s->bytes_served, bytes);
  }
out:
  zg_buf_clear(&proofs);
  free(proof);
  free(data);
  free(a);
  return e;
}

static void on_request(void *arg, zg_net_responder_t r, const uint8_t *p, size_t len) {
  zg_storage_sync_t *s = arg;
  zg__sync_msg_t *q = malloc(sizeof *q);
  zg_buf_t out;
  zg_buf_init(&out);
  zg_err_t e = q ? zg__sync_msg_decode(q, p, len) : ZG_ENOMEM;
  if (e == ZG_OK && q->type == ZG__SYNC_FIND)
    e = serve_find(s, &out, q);
  else if (e == ZG_OK && q->type == ZG__SYNC_GET)
    e = serve_get(s, &out, q);
  else if (e == ZG_OK)
    e = ZG_EPROTO;
  if (e != ZG_OK && e != ZG_ENOTFOUND) zg_logd(LOGC, "request of peer %u refused: %s", (unsigned)r.peer, zg_strerror(e));
  respond(s, &r, e, e == ZG_OK ? &out : NULL);
  zg_buf_clear(&out);
  free(q);
}

static void on_message(void *arg, zg_net_peer_t from, uint8_t channel, const uint8_t *p, size_t len) {
  zg_storage_sync_t *s = arg;
  zg__sync_msg_t *m = malloc(sizeof *m);
  if (!m) return;
  if (channel != ZG__SYNC_CH_GOSSIP || zg__sync_msg_decode(m, p, len) != ZG_OK || m->type != ZG__SYNC_ANNOUNCE) {
    zg_logd(LOGC, "peer %u: malformed gossip ignored", (unsigned)from);
    free(m);
    return;
  }
  atomic_fetch_add(&s->ann_in, 1);
  zg_net_peer_t origin;
  zg_ed25519_pk_t pk;
  memcpy(pk.bytes, m->u.announce.origin, 32);
  bool known = zg_net_peer_find(s->net, &origin, &pk) == ZG_OK && origin < MAX_PEERS;
  pthread_mutex_lock(&s->mu);
  if (known) {
    s->peers[origin].known = true;
    s->peers[origin].shard = m->u.announce.shard;
  }
  /* Someone completed an entry this node waits for: retry it now (the grace
   * period still applies). */
  for (size_t i = 0; i < s->npend; i++)
    if (s->pend[i].seq == m->u.announce.seq && s->pend[i].state == ZG_SYNC_FILE_NO_PEER) {
      s->pend[i].next_try = 0;
      s->kicked = true;
      pthread_cond_signal(&s->cv);
    }
  pthread_mutex_unlock(&s->mu);
  free(m);
}

static void on_peer(void *arg, zg_net_peer_t peer, bool up) {
  zg_storage_sync_t *s = arg;
  if (up)
    atomic_fetch_add(&s->peers_up, 1);
  else
    atomic_fetch_sub(&s->peers_up, 1);
  zg_logd(LOGC, "peer %u %s", (unsigned)peer, up ? "up" : "down");
  if (up) zg_storage_sync_kick(s);
}

/* ---- Requests (sync thread) and their completions (net thread) ---- */

static void on_answer(void *arg, zg_err_t err, const uint8_t *p, size_t len) {
  req_t *r = arg;
  zg_storage_sync_t *s = r->s;
  r->err = err;
  if (err == ZG_OK && len) {
    r->data = malloc(len);
    if (r->data) {
      memcpy(r->data, p, len);
      r->len = len;
    } else {
      r->err = ZG_ENOMEM;
    }
  }
  pthread_mutex_lock(&s->mu);
  r->next = s->done;
  s->done = r;
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
}

static void req_free(req_t *r) {
  if (!r) return;
  free(r->data);
  free(r);
}

/* Sends q to peer; on success the completion comes through s->done. */
static zg_err_t send_req(zg_storage_sync_t *s, req_t *r, const zg__sync_msg_t *q) {
  zg_buf_t b;
  zg_buf_init(&b);
  zg_err_t e = zg__sync_msg_encode(&b, q);
  if (e == ZG_OK) e = zg_net_request(s->net, r->peer, ZG__SYNC_CH_REQ, b.ptr, b.len, s->cfg.timeout_ms, on_answer, r);
  zg_buf_clear(&b);
  return e;
}

/* Waits for one completion (the request timeout bounds the wait). */
static req_t *wait_done(zg_storage_sync_t *s) {
  pthread_mutex_lock(&s->mu);
  while (!s->done) pthread_cond_wait(&s->cv, &s->mu);
  req_t *r = s->done;
  s->done = r->next;
  pthread_mutex_unlock(&s->mu);
  return r;
}

static bool stopping(zg_storage_sync_t *s) {
  pthread_mutex_lock(&s->mu);
  bool v = s->stopping;
  pthread_mutex_unlock(&s->mu);
  return v;
}

static bool usable(zg_storage_sync_t *s, zg_net_peer_t p, uint64_t now) {
  if (p >= MAX_PEERS || !zg_net_peer_up(s->net, p)) return false;
  pthread_mutex_lock(&s->mu);
  bool ok = s->peers[p].banned_until <= now;
  pthread_mutex_unlock(&s->mu);
  return ok;
}

static void ban(zg_storage_sync_t *s, zg_net_peer_t p, const zg_logstore_tx_t *tx, const range_t *rg,
                const char *why) {
  char hex[67] = "?";
  zg_ed25519_pk_t pk;
  if (zg_net_peer_key(s->net, &pk, p) == ZG_OK) zg_hex_encode(hex, pk.bytes, 32);
  uint64_t now = now_ms();
  bool fresh = false;
  atomic_fetch_add(&s->bad_ranges, 1);
  pthread_mutex_lock(&s->mu);
  if (p < MAX_PEERS) {
    fresh = s->peers[p].banned_until <= now; /* answers in flight may follow the first bad one */
    s->peers[p].banned_until = now + s->cfg.ban_ms;
  }
  pthread_mutex_unlock(&s->mu);
  if (fresh) atomic_fetch_add(&s->banned, 1);
  zg_logw(LOGC,
          "peer %.18s.. served a bad range of tx %" PRIu64 " segments [%" PRIu64 ", %" PRIu64 "): %s; banned for %u s, "
          "refetching elsewhere",
          hex, tx->seq, rg->first, rg->end, why, (unsigned)(s->cfg.ban_ms / 1000));
}

/* FIND to every usable peer; marks in cand[] those that hold some of our
 * segments of tx. Returns how many do. */
static size_t find_holders(zg_storage_sync_t *s, bool *cand, const zg_logstore_tx_t *tx) {
  size_t npeers = zg_net_peer_count(s->net), sent = 0, n = 0;
  uint64_t now = now_ms();
  zg__sync_msg_t q;
  memset(&q, 0, sizeof q);
  q.type = ZG__SYNC_FIND;
  q.u.req.seq = tx->seq;
  memcpy(q.u.req.root, tx->root, 32);
  q.u.req.shard = s->shard;
  for (zg_net_peer_t p = 0; p < npeers && p < MAX_PEERS; p++) {
    cand[p] = false;
    if (!usable(s, p, now)) continue;
    req_t *r = calloc(1, sizeof *r);
    if (!r) break;
    *r = (req_t){.s = s, .kind = REQ_FIND, .peer = p};
    if (send_req(s, r, &q) != ZG_OK) {
      free(r);
      continue;
    }
    sent++;
  }
  for (; sent > 0; sent--) {
    req_t *r = wait_done(s);
    zg__sync_msg_t a;
    if (r->err == ZG_OK && zg__sync_msg_decode(&a, r->data, r->len) == ZG_OK && a.type == ZG__SYNC_FIND_ANSWER) {
      pthread_mutex_lock(&s->mu);
      s->peers[r->peer].known = true;
      s->peers[r->peer].shard = a.u.found.shard;
      pthread_mutex_unlock(&s->mu);
      if (a.u.found.held > 0) cand[r->peer] = true, n++;
    } else if (r->err != ZG_OK) {
      atomic_fetch_add(&s->req_failed, 1);
    }
    req_free(r);
  }
  return n;
}

/* Narrows rg to its first and last missing segment of our shard; false when
 * none is missing. */
static zg_err_t narrow(zg_storage_sync_t *s, bool *any, range_t *rg, const zg_logstore_tx_t *tx, uint64_t s0) {
  uint64_t lo = UINT64_MAX, hi = 0;
  for (uint64_t i = shard_first(s0, &s->shard, rg->first); i < rg->end; i += s->shard.num_shard) {
    bool present;
    ZG_TRY(zg_storage_segment_present(s->st, &present, tx, i));
    if (present) continue;
    if (lo == UINT64_MAX) lo = i;
    hi = i + 1;
  }
  *any = lo != UINT64_MAX;
  if (*any) rg->first = lo, rg->end = hi;
  return ZG_OK;
}

/* Checks and stores a GET answer. *bad tells the peer lied (the range is
 * to be fetched elsewhere); *stored counts the segments written. Store
 * failures other than a verdict are returned. */
static zg_err_t take_answer(zg_storage_sync_t *s, bool *bad, size_t *stored, const char **why, const req_t *r,
                            const zg_logstore_tx_t *tx, uint64_t s0) {
  *bad = false;
  *stored = 0;
  zg__sync_msg_t *a = malloc(sizeof *a);
  zg_merkle_proof_t *proofs = malloc(ZG_SYNC_MAX_RANGE * sizeof *proofs);
  zg_storage_segment_t *segs = malloc(ZG_SYNC_MAX_RANGE * sizeof *segs);
  zg_err_t e = a && proofs && segs ? ZG_OK : ZG_ENOMEM;
  if (e) goto out;
  if (zg__sync_msg_decode(a, r->data, r->len) != ZG_OK || a->type != ZG__SYNC_GET_ANSWER) {
    *bad = true, *why = "malformed answer";
    goto out;
  }
  for (size_t i = 0; i < a->u.got.nsegs; i++) {
    const zg__sync_seg_t *g = &a->u.got.segs[i];
    if (g->index < r->first || g->index >= r->end || !in_shard(s0, &s->shard, g->index) ||
        zg_merkle_proof_decode(&proofs[i], g->proof.ptr, g->proof.len) != ZG_OK) {
      *bad = true, *why = "segment outside the range asked, or a malformed proof";
      goto out;
    }
    segs[i] = (zg_storage_segment_t){{0}, g->index, g->data.ptr, g->data.len, tx->size, &proofs[i]};
    memcpy(segs[i].root, tx->root, 32);
  }
  if (a->u.got.nsegs == 0) goto out;
  zg_storage_err_t err = {0, ""};
  e = zg_storage_upload(s->st, &err, segs, a->u.got.nsegs, true, tx->seq);
  if (e != ZG_OK && (err.cls == ZG_STORAGE_BAD_PROOF || err.cls == ZG_STORAGE_BAD_PARAMS ||
                     err.cls == ZG_STORAGE_WRONG_SHARD)) {
    *bad = true, *why = "a segment fails verification against the chain's file root";
    e = ZG_OK;
    goto out;
  }
  if (e != ZG_OK) {
    zg_loge(LOGC, "storing synced segments of tx %" PRIu64 ": %s", tx->seq, err.message);
    goto out;
  }
  uint64_t bytes = 0;
  for (size_t i = 0; i < a->u.got.nsegs; i++) bytes += segs[i].len;
  atomic_fetch_add(&s->segs_fetched, a->u.got.nsegs);
  atomic_fetch_add(&s->bytes_fetched, bytes);
  *stored = a->u.got.nsegs;
out:
  free(segs);
  free(proofs);
  free(a);
  return e;
}

/* Picks a usable candidate for a range, after `after` in round-robin order,
 * avoiding `avoid` when another exists. */
static zg_net_peer_t pick(zg_storage_sync_t *s, const bool *cand, size_t npeers, zg_net_peer_t after,
                          zg_net_peer_t avoid) {
  uint64_t now = now_ms();
  zg_net_peer_t fallback = ZG_NET_PEER_NONE;
  for (size_t k = 1; k <= npeers; k++) {
    zg_net_peer_t p = (zg_net_peer_t)((after + k) % npeers);
    if (!cand[p] || !usable(s, p, now)) continue;
    if (p != avoid) return p;
    fallback = p;
  }
  return fallback;
}

/* Fetches the missing segments of our shard of tx. *complete tells whether
 * none is missing at the end. */
static zg_err_t sync_file(zg_storage_sync_t *s, bool *complete, const zg_logstore_tx_t *tx) {
  *complete = false;
  bool *cand = calloc(MAX_PEERS, sizeof *cand);
  range_t *queue = calloc(MAX_QUEUE, sizeof *queue);
  zg_err_t e = cand && queue ? ZG_OK : ZG_ENOMEM;
  size_t nq = 0, inflight = 0, ncand = 0, npeers = 0;
  uint64_t d = zg_logstore_tx_segments(tx->size), s0 = tx->start_pos / ZG_SECTORS_PER_SEGMENT;
  uint64_t span = (uint64_t)s->cfg.range_segments * s->shard.num_shard;
  uint64_t gen = shard_first(s0, &s->shard, 0); /* next range to generate starts here */
  zg_net_peer_t rr = 0;
  bool failed = false;
  if (e) goto out;
  ncand = find_holders(s, cand, tx);
  npeers = zg_net_peer_count(s->net);
  if (npeers > MAX_PEERS) npeers = MAX_PEERS;
  if (ncand == 0) goto out;
  while (e == ZG_OK) {
    /* Fill the slots. */
    while (!failed && inflight < s->cfg.max_inflight && !stopping(s)) {
      range_t rg;
      if (nq > 0) {
        rg = queue[--nq];
      } else if (gen < d) {
        rg = (range_t){gen, gen + span < d ? gen + span : d, 0, ZG_NET_PEER_NONE};
        gen += span;
      } else {
        break;
      }
      bool any;
      e = narrow(s, &any, &rg, tx, s0);
      if (e) break;
      if (!any) continue;
      zg_net_peer_t p = pick(s, cand, npeers, rr, rg.last_peer);
      if (p == ZG_NET_PEER_NONE || rg.attempts > 2 * ncand + 2) {
        failed = true; /* no one left to ask: retried later */
        break;
      }
      rr = p;
      req_t *r = calloc(1, sizeof *r);
      if (!r) {
        e = ZG_ENOMEM;
        break;
      }
      *r = (req_t){.s = s, .kind = REQ_GET, .peer = p, .first = rg.first, .end = rg.end, .attempts = rg.attempts};
      zg__sync_msg_t q;
      memset(&q, 0, sizeof q);
      q.type = ZG__SYNC_GET;
      q.u.req.seq = tx->seq;
      memcpy(q.u.req.root, tx->root, 32);
      q.u.req.shard = s->shard;
      q.u.req.first = rg.first;
      q.u.req.end = rg.end;
      if (send_req(s, r, &q) != ZG_OK) {
        free(r);
        atomic_fetch_add(&s->req_failed, 1);
        rg.attempts++, rg.last_peer = p;
        if (nq < MAX_QUEUE) queue[nq++] = rg;
        if (inflight == 0) failed = rg.attempts > 2 * ncand + 2;
        continue;
      }
      inflight++;
    }
    if (inflight == 0) break;
    req_t *r = wait_done(s);
    inflight--;
    range_t rg = {r->first, r->end, r->attempts + 1, r->peer};
    bool bad = false, retry = false;
    size_t stored = 0;
    const char *why = "";
    if (r->err != ZG_OK) {
      atomic_fetch_add(&s->req_failed, 1);
      zg_logd(LOGC, "GET tx %" PRIu64 " [%" PRIu64 ", %" PRIu64 ") from peer %u: %s", tx->seq, r->first, r->end,
              (unsigned)r->peer, zg_strerror(r->err));
      retry = true;
    } else {
      zg_err_t te = take_answer(s, &bad, &stored, &why, r, tx, s0);
      if (te != ZG_OK && e == ZG_OK) e = te;
      if (bad) ban(s, r->peer, tx, &rg, why);
      /* A short answer (the peer lacks some) or a bad one: ask again; narrow()
       * drops what is now stored. */
      retry = bad || stored < s->cfg.range_segments;
      if (!bad && stored == 0) atomic_fetch_add(&s->req_failed, 1);
      if (stored > 0) rg.attempts = 0;
    }
    req_free(r);
    publish(s);
    if (retry && nq < MAX_QUEUE) queue[nq++] = rg;
  }
  /* Drain: every completion is awaited before the state goes away. */
  for (; inflight > 0; inflight--) req_free(wait_done(s));
out:
  if (e == ZG_OK && cand) {
    zg_storage_file_info_t fi;
    e = zg_storage_file_info(s->st, &fi, tx);
    *complete = e == ZG_OK && fi.finalized;
  }
  free(queue);
  free(cand);
  return e;
}

/* ---- The sync thread ---- */

void zg__sync_attach_metrics(zg_storage_sync_t *s, zg_metric_t *const *g) {
  pthread_mutex_lock(&s->mu);
  for (size_t i = 0; i < ZG__SYNC_M_COUNT; i++) s->gauges[i] = g[i];
  pthread_mutex_unlock(&s->mu);
}

static void publish(zg_storage_sync_t *s) {
  zg_storage_sync_stats_t st;
  zg_storage_sync_stats(s, &st);
  const uint64_t v[ZG__SYNC_M_COUNT] = {st.peers_up,         st.pending_files,   st.files_synced,
                                        st.segments_fetched, st.bytes_fetched,   st.bad_ranges,
                                        st.peers_banned,     st.requests_failed, st.segments_served,
                                        st.bytes_served};
  pthread_mutex_lock(&s->mu);
  for (size_t i = 0; i < ZG__SYNC_M_COUNT; i++)
    if (s->gauges[i]) zg_gauge_set(s->gauges[i], (int64_t)v[i]);
  pthread_mutex_unlock(&s->mu);
}

static void announce(zg_storage_sync_t *s, uint64_t seq) {
  zg__sync_msg_t m;
  memset(&m, 0, sizeof m);
  m.type = ZG__SYNC_ANNOUNCE;
  memcpy(m.u.announce.origin, s->self, 32);
  m.u.announce.shard = s->shard;
  m.u.announce.seq = seq;
  m.u.announce.stamp = now_ms();
  zg_buf_t b;
  zg_buf_init(&b);
  if (zg__sync_msg_encode(&b, &m) == ZG_OK && zg_net_gossip(s->net, ZG__SYNC_CH_GOSSIP, b.ptr, b.len) == ZG_OK)
    atomic_fetch_add(&s->ann_out, 1);
  zg_buf_clear(&b);
}

/* Examines the entries added since the last scan: those of our shard that
 * lack segments wait their grace period in the pending table. */
static zg_err_t scan(zg_storage_sync_t *s) {
  uint64_t next = zg_storage_next_seq(s->st);
  for (;;) {
    pthread_mutex_lock(&s->mu);
    bool room = s->npend < ZG_SYNC_MAX_PENDING && s->scan_next < next && !s->stopping;
    uint64_t seq = s->scan_next;
    pthread_mutex_unlock(&s->mu);
    if (!room) return ZG_OK;
    zg_logstore_tx_t tx;
    zg_storage_file_info_t fi;
    ZG_TRY(zg_storage_find_tx(s->st, &tx, NULL, NULL, true, seq));
    ZG_TRY(zg_storage_file_info(s->st, &fi, &tx));
    uint64_t now = now_ms();
    pthread_mutex_lock(&s->mu);
    if (!fi.finalized && fi.shard_segs > 0)
      s->pend[s->npend++] = (pend_t){seq, now, now + s->cfg.grace_ms, fi.uploaded_segs, 0, ZG_SYNC_FILE_WAITING};
    s->scan_next = seq + 1;
    pthread_mutex_unlock(&s->mu);
    if (fi.finalized && fi.shard_segs > 0) announce(s, seq);
  }
}

/* Index of the pending entry due first, or SIZE_MAX. */
static size_t next_due(zg_storage_sync_t *s, uint64_t now) {
  size_t best = SIZE_MAX;
  for (size_t i = 0; i < s->npend; i++)
    if (s->pend[i].next_try <= now && (best == SIZE_MAX || s->pend[i].next_try < s->pend[best].next_try)) best = i;
  return best;
}

/* An entry in its grace period whose upload is progressing (more segments
 * stored than when last examined) gets another grace period: an uploader
 * at work is not raced by peers. */
static bool still_uploading(zg_storage_sync_t *s, size_t i, const zg_storage_file_info_t *fi) {
  bool busy = false;
  pthread_mutex_lock(&s->mu);
  pend_t *p = &s->pend[i];
  if (p->fails == 0 && !fi->finalized && fi->uploaded_segs > p->seen_segs) {
    p->seen_segs = fi->uploaded_segs;
    p->next_try = now_ms() + s->cfg.grace_ms;
    p->state = ZG_SYNC_FILE_WAITING;
    busy = true;
  }
  s->active_seq = UINT64_MAX;
  pthread_mutex_unlock(&s->mu);
  return busy;
}

static void run_due(zg_storage_sync_t *s) {
  for (;;) {
    pthread_mutex_lock(&s->mu);
    size_t i = s->stopping ? SIZE_MAX : next_due(s, now_ms());
    uint64_t seq = i != SIZE_MAX ? s->pend[i].seq : 0;
    if (i != SIZE_MAX) s->pend[i].state = ZG_SYNC_FILE_SYNCING, s->active_seq = seq;
    pthread_mutex_unlock(&s->mu);
    if (i == SIZE_MAX) return;
    zg_logstore_tx_t tx;
    zg_storage_file_info_t fi;
    bool complete = false;
    uint64_t t0 = now_ms(), before = atomic_load(&s->bytes_fetched);
    zg_err_t e = zg_storage_find_tx(s->st, &tx, NULL, NULL, true, seq);
    if (e == ZG_OK) e = zg_storage_file_info(s->st, &fi, &tx);
    if (e == ZG_OK && still_uploading(s, i, &fi)) continue;
    if (e == ZG_OK && fi.finalized)
      complete = true; /* uploaded meanwhile */
    else if (e == ZG_OK)
      e = sync_file(s, &complete, &tx);
    uint64_t t1 = now_ms(), got = atomic_load(&s->bytes_fetched) - before;
    pthread_mutex_lock(&s->mu);
    s->active_seq = UINT64_MAX;
    /* The table only shrinks here, on this thread: i still names seq. */
    if (complete) {
      s->pend[i] = s->pend[--s->npend];
    } else {
      pend_t *p = &s->pend[i];
      p->fails++;
      p->state = ZG_SYNC_FILE_NO_PEER;
      uint64_t backoff = 1000ull << (p->fails < 5 ? p->fails : 5);
      p->next_try = now_ms() + backoff;
    }
    pthread_mutex_unlock(&s->mu);
    if (complete) {
      atomic_fetch_add(&s->files_synced, got > 0);
      if (got > 0)
        zg_logi(LOGC, "tx %" PRIu64 ": synced %.1f MiB from peers in %.2f s (%.1f MB/s)", seq, got / 1048576.0,
                (t1 - t0) / 1000.0, (t1 > t0 ? got / 1e3 / (double)(t1 - t0) : 0.0));
      announce(s, seq);
    } else if (e != ZG_OK) {
      zg_logw(LOGC, "tx %" PRIu64 ": sync failed: %s; retried later", seq, zg_strerror(e));
    } else {
      zg_logd(LOGC, "tx %" PRIu64 ": no peer holds the missing segments yet; retried later", seq);
    }
  }
}

static void *sync_main(void *arg) {
  zg_storage_sync_t *s = arg;
  for (;;) {
    pthread_mutex_lock(&s->mu);
    if (!s->stopping && !s->kicked) {
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      uint64_t ns = (uint64_t)ts.tv_nsec + (uint64_t)s->cfg.poll_ms * 1000000u;
      ts.tv_sec += (time_t)(ns / 1000000000u);
      ts.tv_nsec = (long)(ns % 1000000000u);
      pthread_cond_timedwait(&s->cv, &s->mu, &ts);
    }
    s->kicked = false;
    bool stop = s->stopping;
    pthread_mutex_unlock(&s->mu);
    if (stop) break;
    zg_err_t e = scan(s);
    if (e != ZG_OK) zg_logw(LOGC, "scanning the log entries: %s", zg_strerror(e));
    run_due(s);
    publish(s);
  }
  return NULL;
}

/* ---- Life cycle and queries ---- */

zg_err_t zg_storage_sync_create(zg_storage_sync_t **out, zg_storage_t *st, const zg_storage_sync_cfg_t *cfg, char *msg,
                                size_t msglen) {
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!st || !cfg || !cfg->sk || !cfg->network_id) return ZG_EINVAL;
  zg_storage_sync_t *s = calloc(1, sizeof *s);
  if (!s) return ZG_ENOMEM;
  s->st = st;
  s->cfg = *cfg;
  s->cfg.listen = NULL, s->cfg.sk = NULL, s->cfg.network_id = NULL, s->cfg.peers = NULL;
#define DEF(f, v) if (s->cfg.f == 0) s->cfg.f = (v)
  DEF(grace_ms, 5000);
  DEF(poll_ms, 500);
  DEF(max_inflight, 4);
  DEF(range_segments, 16);
  DEF(timeout_ms, 10000);
  DEF(ban_ms, 600000);
#undef DEF
  if (s->cfg.max_inflight > 64) s->cfg.max_inflight = 64;
  if (s->cfg.range_segments > ZG_SYNC_MAX_RANGE) s->cfg.range_segments = ZG_SYNC_MAX_RANGE;
  /* Answers in flight from one peer stay well under its 64 MiB send queue
   * limit (zg/net.h), or the last ones would be refused. */
  uint32_t cap = (uint32_t)(((size_t)32 << 20) / ((size_t)s->cfg.range_segments * ZG_SEGMENT_BYTES));
  if (s->cfg.max_inflight > cap) s->cfg.max_inflight = cap ? cap : 1;
  zg_storage_shard(st, &s->shard.shard_id, &s->shard.num_shard);
  s->active_seq = UINT64_MAX;
  memcpy(s->self, cfg->sk->bytes + 32, 32);
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->cv, NULL);
  s->pend = calloc(ZG_SYNC_MAX_PENDING, sizeof *s->pend);
  if (!s->pend) {
    zg_storage_sync_destroy(s);
    return ZG_ENOMEM;
  }
  zg_net_config_t nc;
  zg_net_config_default(&nc);
  nc.listen = cfg->listen;
  nc.sk = cfg->sk;
  nc.network_id = (const uint8_t *)cfg->network_id;
  nc.network_id_len = strlen(cfg->network_id);
  nc.peers = cfg->peers;
  nc.npeers = cfg->npeers;
  nc.accept_unknown = true; /* a wiped node may come back with a new key */
  nc.max_peers = MAX_PEERS;
  nc.cb = (zg_net_callbacks_t){on_message, on_request, on_peer, s};
  zg_err_t e = zg_net_create(&s->net, &nc);
  if (e != ZG_OK) {
    if (msg) snprintf(msg, msglen, "storage p2p on %s: %s", cfg->listen ? cfg->listen : "(no listen)", zg_strerror(e));
    zg_storage_sync_destroy(s);
    return e;
  }
  if (pthread_create(&s->thread, NULL, sync_main, s) != 0) {
    if (msg) snprintf(msg, msglen, "storage sync: cannot start its thread");
    zg_storage_sync_destroy(s);
    return ZG_ENOMEM;
  }
  s->started = true;
  *out = s;
  return ZG_OK;
}

void zg_storage_sync_destroy(zg_storage_sync_t *s) {
  if (!s) return;
  pthread_mutex_lock(&s->mu);
  s->stopping = true;
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
  if (s->started) {
    /* Dropping the links completes outstanding requests (ZG_ECLOSED) so the
     * sync thread's drain ends promptly. */
    size_t n = zg_net_peer_count(s->net);
    for (zg_net_peer_t p = 0; p < n; p++)
      if (zg_net_peer_up(s->net, p) && zg_net_drop_peer(s->net, p) != ZG_OK) zg_logd(LOGC, "drop %u", (unsigned)p);
    pthread_join(s->thread, NULL);
  }
  zg_net_destroy(s->net);
  while (s->done) {
    req_t *r = s->done;
    s->done = r->next;
    req_free(r);
  }
  free(s->pend);
  pthread_cond_destroy(&s->cv);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

uint16_t zg_storage_sync_port(const zg_storage_sync_t *s) { return s ? zg_net_listen_port(s->net) : 0; }

void zg_storage_sync_self(const zg_storage_sync_t *s, zg_ed25519_pk_t *pk) { memcpy(pk->bytes, s->self, 32); }

void zg_storage_sync_kick(zg_storage_sync_t *s) {
  if (!s) return;
  pthread_mutex_lock(&s->mu);
  s->kicked = true;
  pthread_cond_signal(&s->cv);
  pthread_mutex_unlock(&s->mu);
}

void zg_storage_sync_stats(zg_storage_sync_t *s, zg_storage_sync_stats_t *o) {
  memset(o, 0, sizeof *o);
  o->peers_up = atomic_load(&s->peers_up);
  o->files_synced = atomic_load(&s->files_synced);
  o->segments_fetched = atomic_load(&s->segs_fetched);
  o->bytes_fetched = atomic_load(&s->bytes_fetched);
  o->bad_ranges = atomic_load(&s->bad_ranges);
  o->peers_banned = atomic_load(&s->banned);
  o->requests_failed = atomic_load(&s->req_failed);
  o->segments_served = atomic_load(&s->segs_served);
  o->bytes_served = atomic_load(&s->bytes_served);
  o->announces_in = atomic_load(&s->ann_in);
  o->announces_out = atomic_load(&s->ann_out);
  pthread_mutex_lock(&s->mu);
  o->pending_files = s->npend + (zg_storage_next_seq(s->st) - s->scan_next);
  pthread_mutex_unlock(&s->mu);
}

zg_err_t zg_storage_sync_file_status(zg_storage_sync_t *s, zg_storage_sync_file_t *out, uint64_t seq) {
  *out = ZG_SYNC_FILE_UNKNOWN;
  zg_logstore_tx_t tx;
  zg_storage_file_info_t fi;
  zg_err_t e = zg_storage_find_tx(s->st, &tx, NULL, NULL, true, seq);
  if (e == ZG_ENOTFOUND) return ZG_OK;
  ZG_TRY(e);
  ZG_TRY(zg_storage_file_info(s->st, &fi, &tx));
  if (fi.finalized) {
    *out = ZG_SYNC_FILE_COMPLETED;
    return ZG_OK;
  }
  *out = ZG_SYNC_FILE_QUEUED;
  pthread_mutex_lock(&s->mu);
  for (size_t i = 0; i < s->npend; i++)
    if (s->pend[i].seq == seq) *out = s->pend[i].state;
  pthread_mutex_unlock(&s->mu);
  return ZG_OK;
}

zg_err_t zg_storage_sync_load_key(zg_ed25519_sk_t *sk, zg_ed25519_pk_t *pk, const char *path, bool generate) {
  if (!sk || !pk || !path) return ZG_EINVAL;
  uint8_t seed[32];
  char text[160];
  zg_err_t e = ZG_OK;
  FILE *f = fopen(path, "r");
  if (!f) {
    if (errno != ENOENT) return ZG_EIO;
    if (!generate) return ZG_ENOTFOUND;
    ZG_TRY(zg_random_bytes(seed, 32));
    char hex[67];
    zg_hex_encode(hex, seed, 32);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      e = ZG_EIO;
      goto out;
    }
    hex[66] = '\n';
    bool ok = write(fd, hex, 67) == 67 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    zg_memwipe(hex, sizeof hex);
    if (!ok) {
      e = ZG_EIO;
      goto out;
    }
  } else {
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' ')) n--;
    const char *h = text;
    if (n >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) h += 2, n -= 2;
    char pre[67] = "0x";
    if (n != 64) {
      e = ZG_ECONFIG;
      goto out;
    }
    memcpy(pre + 2, h, 64);
    e = zg_hex_decode(seed, 32, pre, 66);
    zg_memwipe(pre, sizeof pre);
    if (e != ZG_OK) {
      e = ZG_ECONFIG;
      goto out;
    }
  }
  e = zg_ed25519_keypair_from_seed(pk, sk, seed);
out:
  zg_memwipe(seed, sizeof seed);
  zg_memwipe(text, sizeof text);
  return e;
}

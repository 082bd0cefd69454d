/*
 * sim.c — the deterministic simulation of zg/sim.h: real consensus engines
 * (zg/bft.h) driven by a virtual clock, a virtual network and a per-node CPU
 * model, with seeded faults.
 *
 * Invariants: the only randomness is the splitmix64 stream seeded from the
 * config, and events are ordered by (time, sequence number), so a run is a
 * pure function of its config. Time is kept in microseconds; the engines see
 * milliseconds. A crashed node loses everything but its WAL and block store
 * (what a real node keeps on disk); messages in flight to it are lost.
 *
 * The simulated app follows docs/chain.md: a lane-0 block at height h has
 * epoch (h-1)/epoch_len; a block of another lane imports a committed lane-0
 * height and takes that height's epoch; a voter that has not committed the
 * imported height answers NOT_YET and calls payload_ready once it has. The
 * validator set of epoch e is known once lane 0 has committed e*epoch_len.
 */
#include "zg/sim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/bft_internal.h"
#include "zg/bft.h"
#include "zg/hash.h"

#define CHAIN_ID 16888u
#define PAYLOAD_LEN 24u

enum { EV_MSG = 1, EV_TIMER, EV_READY, EV_CRASH, EV_RESTART, EV_SNAPSHOT };

typedef struct {
  uint64_t t, seq, gen, tgen;
  uint8_t kind, lane;
  uint32_t node, from;
  uint8_t *msg;
  size_t len;
} ev_t;

typedef struct {
  zg_buf_t block, proof;
} stored_t;

typedef struct sim sim_t;

typedef struct {
  sim_t *sim;
  uint32_t node;
  uint8_t lane;
} lane_ctx_t;

typedef struct {
  bool up, byz;
  zg_ed25519_pk_t pk;
  zg_ed25519_sk_t sk;
  uint64_t busy_until, busy_total, gen;
  zg_bft_t *eng[ZG_SIM_MAX_LANES];
  lane_ctx_t ctx[ZG_SIM_MAX_LANES];
  zg_buf_t wal[ZG_SIM_MAX_LANES];
  stored_t *store[ZG_SIM_MAX_LANES];
  size_t nstore[ZG_SIM_MAX_LANES];
  uint64_t timer_gen[ZG_SIM_MAX_LANES];
  bool pending[ZG_SIM_MAX_LANES];
  uint8_t pending_id[ZG_SIM_MAX_LANES][32];
  uint64_t syncs, timeouts;
} snode_t;

typedef struct {
  uint32_t to;
  uint8_t lane;
  zg_buf_t msg;
} out_t;

struct sim {
  zg_sim_config_t cfg;
  zg_sim_result_t *res;
  uint64_t rng;
  snode_t nodes[ZG_SIM_MAX_NODES];
  ev_t *heap;
  size_t nheap, capheap;
  uint64_t seq, now;
  /* the event being processed */
  uint32_t cur;
  uint64_t verifies, signs, extra_us;
  out_t *out;
  size_t nout, capout;
  /* first committed id per lane and height */
  uint8_t (*canon[ZG_SIM_MAX_LANES])[32];
  size_t ncanon[ZG_SIM_MAX_LANES];
  zg_bft_validator_t vsbuf[ZG_SIM_MAX_NODES];
  uint64_t part_from, part_to, heal_at;
  uint8_t side[ZG_SIM_MAX_NODES];
  uint64_t snap[ZG_SIM_MAX_LANES];
  zg_err_t fatal;
};

static uint64_t rnd(sim_t *s) {
  uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static uint64_t rnd_below(sim_t *s, uint64_t n) { return n ? rnd(s) % n : 0; }

static void fail(sim_t *s, bool safety, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(sim_t *s, bool safety, const char *fmt, ...) {
  if (safety) s->res->safe = false;
  else s->res->live = false;
  if (s->res->error[0]) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->res->error, sizeof s->res->error, fmt, ap);
  va_end(ap);
}

/* ---- event heap ---- */

static bool ev_less(const ev_t *a, const ev_t *b) { return a->t < b->t || (a->t == b->t && a->seq < b->seq); }

static void push(sim_t *s, ev_t ev) {
  if (s->nheap == s->capheap) {
    size_t cap = s->capheap ? s->capheap * 2 : 1024;
    ev_t *h = realloc(s->heap, sizeof *h * cap);
    if (!h) {
      s->fatal = ZG_ENOMEM;
      free(ev.msg);
      return;
    }
    s->heap = h;
    s->capheap = cap;
  }
  ev.seq = s->seq++;
  size_t i = s->nheap++;
  while (i > 0 && ev_less(&ev, &s->heap[(i - 1) / 2])) {
    s->heap[i] = s->heap[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  s->heap[i] = ev;
}

static ev_t pop(sim_t *s) {
  ev_t top = s->heap[0], last = s->heap[--s->nheap];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= s->nheap) break;
    if (c + 1 < s->nheap && ev_less(&s->heap[c + 1], &s->heap[c])) c++;
    if (!ev_less(&s->heap[c], &last)) break;
    s->heap[i] = s->heap[c];
    i = c;
  }
  if (s->nheap) s->heap[i] = last;
  return top;
}

/* ---- the app: epochs, validator sets, payloads ---- */

static uint64_t epoch_of(const sim_t *s, uint64_t h0) {
  return (s->cfg.epoch_len == 0 || h0 == 0) ? 0 : (h0 - 1) / s->cfg.epoch_len;
}

/* Members of epoch e, in order: all validators rotated by e; with 5 or more
 * validators, odd epochs leave one honest validator out. */
static uint32_t make_set(sim_t *s, uint64_t e) {
  uint32_t n = s->cfg.validators, k = 0, honest = n - s->cfg.byzantine;
  int64_t out = (n >= 5 && (e & 1)) ? (int64_t)(e % honest) : -1;
  for (uint32_t j = 0; j < n; j++) {
    uint32_t i = (uint32_t)((j + e) % n);
    if ((int64_t)i == out) continue;
    s->vsbuf[k].pk = s->nodes[i].pk;
    s->vsbuf[k].power = s->nodes[i].byz ? 1 : 1 + (i % 2); /* honest 1 or 2, byzantine 1 */
    k++;
  }
  return k;
}

static lane_ctx_t *lc(void *ctx) { return ctx; }
static snode_t *nd(void *ctx) { return &lc(ctx)->sim->nodes[lc(ctx)->node]; }

static uint64_t io_now(void *ctx) { return lc(ctx)->sim->now / 1000; }

static void queue_out(sim_t *s, uint32_t to, uint8_t lane, const uint8_t *msg, size_t len) {
  if (s->nout == s->capout) {
    size_t cap = s->capout ? s->capout * 2 : 64;
    out_t *o = realloc(s->out, sizeof *o * cap);
    if (!o) {
      s->fatal = ZG_ENOMEM;
      return;
    }
    s->out = o;
    s->capout = cap;
  }
  out_t *o = &s->out[s->nout];
  zg_buf_init(&o->msg);
  if (zg_buf_append(&o->msg, msg, len) != ZG_OK) {
    s->fatal = ZG_ENOMEM;
    return;
  }
  o->to = to;
  o->lane = lane;
  s->nout++;
}

static void io_broadcast(void *ctx, const uint8_t *msg, size_t len) {
  sim_t *s = lc(ctx)->sim;
  for (uint32_t j = 0; j < s->cfg.validators; j++)
    if (j != lc(ctx)->node) queue_out(s, j, lc(ctx)->lane, msg, len);
}

static void io_send_validator(void *ctx, const zg_ed25519_pk_t *to, const uint8_t *msg, size_t len) {
  sim_t *s = lc(ctx)->sim;
  for (uint32_t j = 0; j < s->cfg.validators; j++)
    if (memcmp(s->nodes[j].pk.bytes, to->bytes, 32) == 0) queue_out(s, j, lc(ctx)->lane, msg, len);
}

static void io_send_peer(void *ctx, uint32_t peer, const uint8_t *msg, size_t len) {
  sim_t *s = lc(ctx)->sim;
  if (peer < s->cfg.validators) queue_out(s, peer, lc(ctx)->lane, msg, len);
}

static void io_set_timer(void *ctx, uint64_t at_ms) {
  sim_t *s = lc(ctx)->sim;
  snode_t *n = nd(ctx);
  uint8_t l = lc(ctx)->lane;
  ev_t ev = {.kind = EV_TIMER, .node = lc(ctx)->node, .lane = l, .gen = n->gen, .tgen = ++n->timer_gen[l]};
  ev.t = at_ms * 1000 > s->now ? at_ms * 1000 : s->now;
  push(s, ev);
}

static zg_err_t io_make_payload(void *ctx, uint64_t height, const zg_bft_block_t *parent, uint64_t *epoch,
                                zg_buf_t *payload) {
  sim_t *s = lc(ctx)->sim;
  snode_t *n = nd(ctx);
  uint64_t imports = 0;
  if (lc(ctx)->lane == 0) {
    *epoch = epoch_of(s, height);
  } else {
    imports = n->nstore[0];
    uint64_t cap = s->cfg.epoch_len ? (parent->epoch + 2) * s->cfg.epoch_len : imports;
    if (imports > cap) imports = cap;
    *epoch = epoch_of(s, imports);
    if (*epoch < parent->epoch) return ZG_EAGAIN; /* we have not committed far enough on lane 0 */
  }
  uint8_t p[PAYLOAD_LEN];
  zg_store_be64(p, imports);
  zg_store_be32(p + 8, s->cfg.txs_per_block);
  zg_store_be32(p + 12, lc(ctx)->node);
  zg_store_be64(p + 16, height);
  return zg_buf_append(payload, p, sizeof p);
}

static zg_bft_payload_verdict_t not_yet(void *ctx, const zg_bft_block_t *b) {
  snode_t *n = nd(ctx);
  uint8_t l = lc(ctx)->lane;
  n->pending[l] = true;
  zg_bft_block_id(n->pending_id[l], b);
  return ZG_BFT_PAYLOAD_NOT_YET;
}

static zg_bft_payload_verdict_t io_check_payload(void *ctx, const zg_bft_block_t *b) {
  sim_t *s = lc(ctx)->sim;
  snode_t *n = nd(ctx);
  uint64_t c0 = n->nstore[0];
  bool lane0 = lc(ctx)->lane == 0;
  if (b->kind == ZG_BFT_BLOCK_BOUNDARY) {
    if (!s->cfg.epoch_len) return ZG_BFT_PAYLOAD_REJECT;
    if (lane0) return epoch_of(s, b->height + 1) > b->epoch ? ZG_BFT_PAYLOAD_ACCEPT : ZG_BFT_PAYLOAD_REJECT;
    return epoch_of(s, c0) > b->epoch ? ZG_BFT_PAYLOAD_ACCEPT : not_yet(ctx, b);
  }
  if (b->payload.len != PAYLOAD_LEN) return ZG_BFT_PAYLOAD_REJECT;
  uint64_t imports = zg_load_be64(b->payload.ptr);
  if (lane0) return imports == 0 && b->epoch == epoch_of(s, b->height) ? ZG_BFT_PAYLOAD_ACCEPT : ZG_BFT_PAYLOAD_REJECT;
  if (imports > c0) return not_yet(ctx, b);
  return b->epoch == epoch_of(s, imports) ? ZG_BFT_PAYLOAD_ACCEPT : ZG_BFT_PAYLOAD_REJECT;
}

static bool io_verify(void *ctx, const zg_ed25519_pk_t *pk, const uint8_t *msg, size_t len, const uint8_t sig[64]);

static zg_err_t io_valset(void *ctx, uint64_t epoch, zg_bft_valset_t *out) {
  sim_t *s = lc(ctx)->sim;
  if (epoch > 0 && (!s->cfg.epoch_len || nd(ctx)->nstore[0] < epoch * s->cfg.epoch_len)) return ZG_EEPOCH;
  out->n = make_set(s, epoch);
  out->v = s->vsbuf;
  return ZG_OK;
}

static zg_err_t io_commit(void *ctx, const zg_bft_block_t *b, const uint8_t *proof, size_t proof_len) {
  sim_t *s = lc(ctx)->sim;
  snode_t *n = nd(ctx);
  uint8_t l = lc(ctx)->lane;
  if (b->height != n->nstore[l] + 1) {
    fail(s, true, "node %u lane %u committed height %llu after %zu", lc(ctx)->node, l,
         (unsigned long long)b->height, n->nstore[l]);
    return ZG_OK;
  }
  /* The commit proof must convince a light client. */
  uint64_t pe;
  zg_bft_valset_t vs;
  bool ok = false;
  if (zg_bft_commit_proof_epoch(&pe, proof, proof_len) == ZG_OK && io_valset(ctx, pe, &vs) == ZG_OK) {
    uint64_t v0 = s->verifies; /* the check is the simulator's, not the node's CPU */
    if (zg__bft_verify_commit_with(&ok, &vs, b, proof, proof_len, io_verify, ctx) != ZG_OK) ok = false;
    s->verifies = v0;
  }
  if (!ok)
    fail(s, true, "node %u lane %u height %llu: commit proof does not verify", lc(ctx)->node, l,
         (unsigned long long)b->height);
  uint8_t id[32];
  zg_bft_block_id(id, b);
  if (b->height <= s->ncanon[l]) {
    if (memcmp(s->canon[l][b->height - 1], id, 32) != 0)
      fail(s, true, "SAFETY: node %u lane %u height %llu committed a different block", lc(ctx)->node, l,
           (unsigned long long)b->height);
  } else {
    uint8_t(*c)[32] = realloc(s->canon[l], 32 * (size_t)b->height);
    if (!c) return ZG_ENOMEM;
    s->canon[l] = c;
    memcpy(c[b->height - 1], id, 32);
    s->ncanon[l] = b->height;
  }
  stored_t *st = realloc(n->store[l], sizeof *st * (n->nstore[l] + 1));
  if (!st) return ZG_ENOMEM;
  n->store[l] = st;
  st += n->nstore[l];
  zg_buf_init(&st->block);
  zg_buf_init(&st->proof);
  ZG_TRY(zg_bft_block_encode(&st->block, b));
  ZG_TRY(zg_buf_append(&st->proof, proof, proof_len));
  n->nstore[l]++;
  if (b->payload.len == PAYLOAD_LEN) s->extra_us += (uint64_t)zg_load_be32(b->payload.ptr + 8) * s->cfg.cpu_tx_us;
  if (l == 0)
    for (uint8_t k = 1; k < s->cfg.lanes; k++)
      if (n->pending[k]) push(s, (ev_t){.t = s->now, .kind = EV_READY, .node = lc(ctx)->node, .lane = k, .gen = n->gen});
  return ZG_OK;
}

/* The stand-in signature: a keyed 64-bit mix of pk and msg, repeated. Not
 * a signature (anyone can compute it), but no simulated validator forges
 * another's, so it exercises the same checks at a fraction of the cost. */
static void fake_sig(uint8_t sig[64], const zg_ed25519_pk_t *pk, const uint8_t *msg, size_t len) {
  uint64_t h = 0x243f6a8885a308d3ull ^ len;
  for (int i = 0; i < 32; i += 8) h = (h ^ zg_load_be64(pk->bytes + i)) * 0x100000001b3ull, h ^= h >> 29;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) h = (h ^ zg_load_be64(msg + i)) * 0x100000001b3ull, h ^= h >> 29;
  for (; i < len; i++) h = (h ^ msg[i]) * 0x100000001b3ull;
  for (int k = 0; k < 8; k++) {
    h ^= h >> 31;
    h *= 0x9e3779b97f4a7c15ull;
    zg_store_be64(sig + 8 * k, h);
  }
}

static zg_err_t sim_sign(sim_t *s, snode_t *n, const uint8_t *msg, size_t len, uint8_t sig[64]) {
  s->signs++;
  if (s->cfg.real_crypto) return zg_ed25519_sign(sig, &n->sk, msg, len);
  fake_sig(sig, &n->pk, msg, len);
  return ZG_OK;
}

static zg_err_t io_sign(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[64]) {
  return sim_sign(lc(ctx)->sim, nd(ctx), msg, len, sig);
}

static bool io_verify(void *ctx, const zg_ed25519_pk_t *pk, const uint8_t *msg, size_t len, const uint8_t sig[64]) {
  sim_t *s = lc(ctx)->sim;
  s->verifies++;
  if (s->cfg.real_crypto) {
    bool ok = false;
    return zg_ed25519_verify(&ok, sig, msg, len, pk) == ZG_OK && ok;
  }
  uint8_t want[64];
  fake_sig(want, pk, msg, len);
  return memcmp(want, sig, 64) == 0;
}

static zg_err_t io_wal_write(void *ctx, const uint8_t *rec, size_t len) {
  zg_buf_t *w = &nd(ctx)->wal[lc(ctx)->lane];
  w->len = 0;
  return zg_buf_append(w, rec, len);
}

static void io_on_evidence(void *ctx, const uint8_t *a, const uint8_t *b) {
  sim_t *s = lc(ctx)->sim;
  s->res->evidence++;
  zg_bft_vote_t va;
  if (zg_bft_vote_decode(&va, a, ZG_BFT_VOTE_LEN) != ZG_OK) {
    fail(s, true, "evidence with a malformed vote");
    return;
  }
  uint32_t n = make_set(s, va.epoch);
  uint32_t who = UINT32_MAX;
  for (uint32_t i = 0; i < s->cfg.validators; i++)
    if (va.signer < n && memcmp(s->nodes[i].pk.bytes, s->vsbuf[va.signer].pk.bytes, 32) == 0) who = i;
  if (who == UINT32_MAX || !s->nodes[who].byz)
    fail(s, true, "evidence against honest validator %u", who);
  if (s->cfg.real_crypto) {
    zg_bft_valset_t vs = {s->vsbuf, n};
    bool guilty = false;
    uint32_t signer;
    if (zg_bft_check_equivocation(&guilty, &signer, &vs, a, ZG_BFT_VOTE_LEN, b, ZG_BFT_VOTE_LEN) != ZG_OK || !guilty)
      fail(s, true, "evidence does not pass zg_bft_check_equivocation");
  }
}

static zg_err_t io_load_committed(void *ctx, uint64_t height, zg_buf_t *block, zg_buf_t *proof) {
  snode_t *n = nd(ctx);
  uint8_t l = lc(ctx)->lane;
  if (height == 0 || height > n->nstore[l]) return ZG_ENOTFOUND;
  const stored_t *st = &n->store[l][height - 1];
  ZG_TRY(zg_buf_append(block, st->block.ptr, st->block.len));
  return zg_buf_append(proof, st->proof.ptr, st->proof.len);
}

static const zg_bft_io_t sim_io = {
    .now_ms = io_now,
    .broadcast = io_broadcast,
    .send_validator = io_send_validator,
    .send_peer = io_send_peer,
    .set_timer = io_set_timer,
    .make_payload = io_make_payload,
    .check_payload = io_check_payload,
    .commit = io_commit,
    .valset = io_valset,
    .sign = io_sign,
    .verify = io_verify,
    .wal_write = io_wal_write,
    .on_evidence = io_on_evidence,
    .load_committed = io_load_committed,
};

/* ---- byzantine behaviour ---- */

/* A byzantine node votes for every proposal it receives (the engine also
 * votes for the first): double votes whenever its leader equivocates. */
static void byz_vote_all(sim_t *s, uint32_t i, uint8_t lane, const uint8_t *msg, size_t len) {
  zg_bft_msg_t m;
  if (zg_bft_msg_decode(&m, msg, len) != ZG_OK || m.type != ZG_BFT_MSG_PROPOSAL) return;
  uint32_t n = make_set(s, m.block.epoch);
  int64_t idx = -1;
  for (uint32_t k = 0; k < n; k++)
    if (memcmp(s->vsbuf[k].pk.bytes, s->nodes[i].pk.bytes, 32) == 0) idx = k;
  if (idx < 0) return;
  zg_bft_vote_t v = {.chain_id = m.chain_id, .lane = m.lane, .epoch = m.block.epoch, .round = m.block.round};
  zg_bft_block_id(v.block_id, &m.block);
  v.signer = (uint32_t)idx;
  uint8_t vm[ZG_BFT_VOTE_MSG_LEN], enc[1 + 4 + 1 + ZG_BFT_VOTE_LEN];
  zg_bft_vote_message(vm, &v);
  if (sim_sign(s, &s->nodes[i], vm, sizeof vm, v.sig) != ZG_OK) return;
  enc[0] = ZG_BFT_MSG_VOTE;
  zg_store_be32(enc + 1, m.chain_id);
  enc[5] = m.lane;
  zg_bft_vote_encode(enc + 6, &v);
  for (uint32_t j = 0; j < s->cfg.validators; j++)
    if (j != i) queue_out(s, j, lane, enc, sizeof enc);
}

/* A byzantine leader sends odd-numbered nodes a second, conflicting
 * proposal for the same round. Returns true when msg was replaced. */
static bool byz_equivocate(sim_t *s, uint32_t i, zg_buf_t *msg) {
  zg_bft_msg_t m;
  if (zg_bft_msg_decode(&m, msg->ptr, msg->len) != ZG_OK || m.type != ZG_BFT_MSG_PROPOSAL ||
      m.block.payload.len != PAYLOAD_LEN)
    return false;
  uint8_t pl[PAYLOAD_LEN];
  memcpy(pl, m.block.payload.ptr, PAYLOAD_LEN);
  pl[PAYLOAD_LEN - 9] ^= 0x80; /* the proposer field: still a valid payload */
  zg_bft_block_t b = m.block;
  b.payload = zg_slice(pl, sizeof pl);
  zg_bft_block_seal(&b);
  uint8_t id[32], pm[ZG__BFT_PROPOSAL_MSG_LEN], sig[64];
  zg_bft_block_id(id, &b);
  zg__bft_proposal_message(pm, m.chain_id, m.lane, id);
  if (sim_sign(s, &s->nodes[i], pm, sizeof pm, sig) != ZG_OK) return false;
  zg_buf_t blk, out;
  zg_buf_init(&blk);
  zg_buf_init(&out);
  bool ok = zg_bft_block_encode(&blk, &b) == ZG_OK &&
            zg__bft_encode_proposal(&out, blk.ptr, blk.len, m.qc_bytes.ptr, m.qc_bytes.len, m.tc_bytes.ptr,
                                    m.tc_bytes.len, sig, m.chain_id, m.lane) == ZG_OK;
  zg_buf_clear(&blk);
  if (ok) {
    zg_buf_clear(msg);
    *msg = out;
  } else {
    zg_buf_clear(&out);
  }
  return ok;
}

/* ---- network and CPU ---- */

static bool cut(const sim_t *s, uint32_t a, uint32_t b, uint64_t t) {
  return s->cfg.partition && t >= s->part_from && t < s->part_to && s->side[a] != s->side[b];
}

static void deliver(sim_t *s, uint32_t from, uint32_t to, uint8_t lane, const uint8_t *msg, size_t len, uint64_t t) {
  s->res->messages++;
  bool faulty = t < s->heal_at; /* drops and duplicates stop when the network heals */
  if (cut(s, from, to, t) || (faulty && rnd_below(s, 1000) < s->cfg.drop_permille)) {
    s->res->dropped++;
    return;
  }
  int copies = faulty && rnd_below(s, 1000) < s->cfg.dup_permille ? 2 : 1;
  for (int c = 0; c < copies; c++) {
    uint64_t span = (uint64_t)(s->cfg.delay_max_ms - s->cfg.delay_min_ms) * 1000;
    ev_t ev = {.kind = EV_MSG, .node = to, .from = from, .lane = lane, .gen = s->nodes[to].gen};
    ev.t = t + (uint64_t)s->cfg.delay_min_ms * 1000 + rnd_below(s, span + 1);
    ev.msg = malloc(len ? len : 1);
    if (!ev.msg) {
      s->fatal = ZG_ENOMEM;
      return;
    }
    memcpy(ev.msg, msg, len);
    ev.len = len;
    push(s, ev);
  }
}

static void begin(sim_t *s, uint32_t i) {
  s->cur = i;
  s->verifies = s->signs = s->extra_us = 0;
  s->nout = 0;
}

/* Charges the CPU work of the event and sends what it produced. */
static void finish(sim_t *s, uint32_t i) {
  snode_t *n = &s->nodes[i];
  uint64_t cost = s->cfg.cpu_msg_us + s->verifies * s->cfg.cpu_verify_us + s->signs * s->cfg.cpu_sign_us +
                  s->extra_us;
  uint64_t end = s->now + cost;
  n->busy_until = end;
  n->busy_total += cost;
  bool voted_variant = false;
  for (size_t k = 0; k < s->nout; k++) { /* nout may grow: byz_vote_all queues more */
    out_t *o = &s->out[k];
    if (n->byz && (o->to & 1) && o->msg.len && o->msg.ptr[0] == ZG_BFT_MSG_PROPOSAL && byz_equivocate(s, i, &o->msg) &&
        !voted_variant) {
      /* and vote for the second variant too: evidence for the next leader */
      voted_variant = true;
      zg_buf_t copy = o->msg;
      uint8_t lane = o->lane;
      zg_buf_init(&o->msg);
      if (zg_buf_append(&o->msg, copy.ptr, copy.len) != ZG_OK) s->fatal = ZG_ENOMEM;
      byz_vote_all(s, i, lane, copy.ptr, copy.len);
      zg_buf_clear(&copy);
      o = &s->out[k];
    }
    deliver(s, i, o->to, o->lane, o->msg.ptr, o->msg.len, end);
    zg_buf_clear(&o->msg);
  }
  s->nout = 0;
}

static zg_err_t start_node(sim_t *s, uint32_t i) {
  snode_t *n = &s->nodes[i];
  for (uint8_t l = 0; l < s->cfg.lanes; l++) {
    zg_bft_config_t c;
    zg_bft_config_default(&c, CHAIN_ID, l, &n->pk);
    c.base_timeout_ms = s->cfg.base_timeout_ms;
    c.max_backoff_exp = 2;
    n->ctx[l] = (lane_ctx_t){s, i, l};
    ZG_TRY(zg_bft_create(&n->eng[l], &c, &sim_io, &n->ctx[l]));
    zg_buf_t root;
    zg_buf_init(&root);
    zg_err_t err;
    if (n->nstore[l]) {
      err = zg_buf_append(&root, n->store[l][n->nstore[l] - 1].block.ptr, n->store[l][n->nstore[l] - 1].block.len);
    } else {
      zg_bft_block_t g;
      zg_bft_genesis(&g, CHAIN_ID, l);
      err = zg_bft_block_encode(&root, &g);
    }
    if (err == ZG_OK) err = zg_bft_start(n->eng[l], root.ptr, root.len, n->wal[l].ptr, n->wal[l].len);
    zg_buf_clear(&root);
    ZG_TRY(err);
  }
  n->up = true;
  return ZG_OK;
}

static void stop_node(sim_t *s, uint32_t i) {
  snode_t *n = &s->nodes[i];
  for (uint8_t l = 0; l < s->cfg.lanes; l++) {
    if (!n->eng[l]) continue;
    zg_bft_status_t st;
    zg_bft_status(n->eng[l], &st);
    n->syncs += st.syncs;
    n->timeouts += st.timeouts_sent;
    zg_bft_destroy(n->eng[l]);
    n->eng[l] = NULL;
    n->pending[l] = false;
  }
  n->up = false;
  n->gen++;
}

static zg_err_t run_event(sim_t *s, ev_t *ev) {
  snode_t *n = &s->nodes[ev->node];
  switch (ev->kind) {
  case EV_SNAPSHOT:
    for (uint8_t l = 0; l < s->cfg.lanes; l++)
      for (uint32_t i = 0; i < s->cfg.validators; i++)
        if (!s->nodes[i].byz && s->nodes[i].nstore[l] > s->snap[l]) s->snap[l] = s->nodes[i].nstore[l];
    return ZG_OK;
  case EV_CRASH:
    if (n->up) stop_node(s, ev->node);
    if (ev->tgen) /* the disk lost the block store (not the WAL) */
      for (uint8_t l = 0; l < s->cfg.lanes; l++) {
        for (size_t h = 0; h < n->nstore[l]; h++) zg_buf_clear(&n->store[l][h].block), zg_buf_clear(&n->store[l][h].proof);
        n->nstore[l] = 0;
      }
    return ZG_OK;
  case EV_RESTART:
    if (n->up) return ZG_OK;
    s->res->restarts++;
    begin(s, ev->node);
    n->busy_until = s->now;
    {
      zg_err_t err = start_node(s, ev->node);
      finish(s, ev->node);
      return err;
    }
  default:
    break;
  }
  if (!n->up || ev->gen != n->gen) return ZG_OK;
  if (ev->kind == EV_TIMER && ev->tgen != n->timer_gen[ev->lane]) return ZG_OK;
  if (s->now < n->busy_until) { /* the CPU is busy: wait */
    ev_t again = *ev;
    again.t = n->busy_until;
    ev->msg = NULL;
    push(s, again);
    return ZG_OK;
  }
  zg_bft_t *e = n->eng[ev->lane];
  zg_err_t err = ZG_OK;
  begin(s, ev->node);
  if (ev->kind == EV_MSG) {
    if (n->byz) byz_vote_all(s, ev->node, ev->lane, ev->msg, ev->len);
    err = zg_bft_on_message(e, ev->from, ev->msg, ev->len);
  } else if (ev->kind == EV_TIMER) {
    err = zg_bft_on_timer(e, s->now / 1000);
  } else if (ev->kind == EV_READY && n->pending[ev->lane]) {
    n->pending[ev->lane] = false;
    err = zg_bft_payload_ready(e, n->pending_id[ev->lane]);
  }
  finish(s, ev->node);
  return err;
}

/* ---- configs ---- */

void zg_sim_config_default(zg_sim_config_t *c, uint64_t seed) {
  memset(c, 0, sizeof *c);
  c->seed = seed;
  c->validators = 4;
  c->lanes = 1;
  c->duration_ms = 20000;
  c->delay_min_ms = 5;
  c->delay_max_ms = 50;
  c->base_timeout_ms = 400;
  c->cpu_msg_us = 5;
  c->cpu_verify_us = 50;
  c->cpu_sign_us = 20;
  c->cpu_tx_us = 5;
}

void zg_sim_config_random(zg_sim_config_t *c, uint64_t seed) {
  zg_sim_config_default(c, seed);
  sim_t tmp = {.rng = seed ^ 0x5eed5eed5eedull};
  sim_t *s = &tmp;
  c->duration_ms = 10000;
  c->validators = 4 + (uint32_t)rnd_below(s, 4);
  c->lanes = 1 + (uint32_t)rnd_below(s, 3);
  c->drop_permille = (uint32_t)rnd_below(s, 4) * 50; /* 0..15% */
  c->dup_permille = (uint32_t)rnd_below(s, 3) * 50;
  c->delay_max_ms = 10 + (uint32_t)rnd_below(s, 100);
  c->partition = rnd_below(s, 2) == 1;
  c->crashes = (uint32_t)rnd_below(s, 3);
  uint32_t nmin = c->validators >= 5 ? c->validators - 1 : c->validators;
  c->byzantine = (uint32_t)rnd_below(s, (nmin - 1) / 3 + 1);
  c->epoch_len = rnd_below(s, 2) ? 5 + rnd_below(s, 20) : 0;
  c->txs_per_block = (uint32_t)rnd_below(s, 100);
}

/* ---- the run ---- */

static zg_err_t setup(sim_t *s) {
  const zg_sim_config_t *c = &s->cfg;
  s->rng = c->seed;
  for (uint32_t i = 0; i < c->validators; i++) {
    snode_t *n = &s->nodes[i];
    uint8_t seed[32];
    for (int k = 0; k < 4; k++) zg_store_be64(seed + 8 * k, rnd(s));
    if (c->real_crypto) {
      ZG_TRY(zg_ed25519_keypair_from_seed(&n->pk, &n->sk, seed));
    } else {
      zg_keccak256(n->pk.bytes, seed, 32);
    }
    n->byz = false;
  }
  /* Byzantine: the highest indices, which keeps them out of the left-out slot
   * of make_set; power checked below. */
  for (uint32_t b = 0; b < c->byzantine; b++) s->nodes[c->validators - 1 - b].byz = true;
  for (uint64_t e = 0; e < 2 * (uint64_t)c->validators; e++) {
    uint32_t n = make_set(s, e);
    uint64_t total = 0, bad = 0;
    for (uint32_t k = 0; k < n; k++) {
      total += s->vsbuf[k].power;
      for (uint32_t i = 0; i < c->validators; i++)
        if (s->nodes[i].byz && memcmp(s->nodes[i].pk.bytes, s->vsbuf[k].pk.bytes, 32) == 0) bad += s->vsbuf[k].power;
    }
    if (bad * 3 >= total) return ZG_EINVAL;
  }
  uint64_t dur = c->duration_ms * 1000;
  s->heal_at = dur / 2;
  if (c->partition) {
    s->part_from = dur / 10 + rnd_below(s, dur / 5);
    s->part_to = s->part_from + rnd_below(s, dur / 5) + 1;
    for (uint32_t i = 0; i < c->validators; i++) s->side[i] = (uint8_t)rnd_below(s, 2);
  }
  for (uint32_t k = 0; k < c->crashes; k++) {
    uint32_t i = (uint32_t)rnd_below(s, c->validators);
    uint64_t at = dur / 10 + rnd_below(s, dur / 4);
    uint64_t back = at + 200000 + rnd_below(s, 3000000);
    if (back > s->heal_at) back = s->heal_at;
    /* half the crashes also lose the block store: the node restarts from
     * genesis with only its WAL and syncs every committed block */
    push(s, (ev_t){.t = at, .kind = EV_CRASH, .node = i, .tgen = rnd_below(s, 2)});
    push(s, (ev_t){.t = back, .kind = EV_RESTART, .node = i});
  }
  if (c->dead_at_ms) push(s, (ev_t){.t = c->dead_at_ms * 1000, .kind = EV_CRASH, .node = 0, .tgen = 0});
  push(s, (ev_t){.t = s->heal_at + (uint64_t)c->base_timeout_ms * 1000, .kind = EV_SNAPSHOT});
  for (uint32_t i = 0; i < c->validators; i++) {
    begin(s, i);
    zg_err_t err = start_node(s, i);
    finish(s, i);
    ZG_TRY(err);
  }
  return ZG_OK;
}

static void results(sim_t *s) {
  const zg_sim_config_t *c = &s->cfg;
  zg_sim_result_t *r = s->res;
  r->virtual_ms = c->duration_ms;
  uint64_t busy = 0;
  for (uint32_t i = 0; i < c->validators; i++) {
    snode_t *n = &s->nodes[i];
    busy += n->busy_total;
    r->syncs += n->syncs;
    r->timeouts += n->timeouts;
  }
  r->cpu_busy = (double)busy / ((double)c->validators * (double)c->duration_ms * 1000.0);
  for (uint8_t l = 0; l < c->lanes; l++) {
    uint64_t lo = UINT64_MAX;
    for (uint32_t i = 0; i < c->validators; i++)
      if (!s->nodes[i].byz && !(i == 0 && c->dead_at_ms) && s->nodes[i].nstore[l] < lo) lo = s->nodes[i].nstore[l];
    r->min_height[l] = lo;
    r->blocks += lo;
    if (lo <= s->snap[l]) {
      char hs[96] = "", *p = hs;
      for (uint32_t i = 0; i < c->validators && p < hs + sizeof hs - 12; i++)
        p += snprintf(p, 12, " %zu", s->nodes[i].nstore[l]);
      fail(s, false, "LIVENESS: lane %u stuck: lowest honest height %llu, highest at heal %llu (heights%s)", l,
           (unsigned long long)lo, (unsigned long long)s->snap[l], hs);
    }
  }
  r->txs = r->blocks * c->txs_per_block;
  r->blocks_per_s = (double)r->blocks * 1000.0 / (double)c->duration_ms;
  r->txs_per_s = (double)r->txs * 1000.0 / (double)c->duration_ms;
}

zg_err_t zg_sim_run(zg_sim_result_t *res, const zg_sim_config_t *cfg) {
  if (!res) return ZG_EINVAL;
  memset(res, 0, sizeof *res);
  res->safe = res->live = true;
  if (!cfg || cfg->validators == 0 || cfg->validators > ZG_SIM_MAX_NODES || cfg->lanes == 0 ||
      cfg->lanes > ZG_SIM_MAX_LANES || cfg->delay_max_ms < cfg->delay_min_ms || cfg->delay_max_ms == 0 ||
      cfg->base_timeout_ms == 0 ||
      cfg->duration_ms == 0 || cfg->byzantine >= cfg->validators)
    return ZG_EINVAL;
  sim_t *s = calloc(1, sizeof *s);
  if (!s) return ZG_ENOMEM;
  s->cfg = *cfg;
  s->res = res;
  zg_err_t err = setup(s);
  uint64_t end = cfg->duration_ms * 1000;
  while (err == ZG_OK && s->fatal == ZG_OK && s->nheap && s->heap[0].t <= end && res->safe) {
    ev_t ev = pop(s);
    s->now = ev.t;
    err = run_event(s, &ev);
    free(ev.msg);
  }
  if (err == ZG_OK) err = s->fatal;
  if (err != ZG_OK && !res->error[0])
    snprintf(res->error, sizeof res->error, "engine error %s at %llu ms", zg_errname(err),
             (unsigned long long)(s->now / 1000));
  for (uint32_t i = 0; i < cfg->validators; i++)
    if (s->nodes[i].up) stop_node(s, i);
  if (err == ZG_OK && res->safe) results(s);
  /* free everything */
  for (size_t k = 0; k < s->nheap; k++) free(s->heap[k].msg);
  free(s->heap);
  for (size_t k = 0; k < s->capout && k < s->nout; k++) zg_buf_clear(&s->out[k].msg);
  free(s->out);
  for (uint32_t i = 0; i < cfg->validators; i++) {
    snode_t *n = &s->nodes[i];
    zg_ed25519_sk_clear(&n->sk);
    for (uint8_t l = 0; l < cfg->lanes; l++) {
      for (size_t h = 0; h < n->nstore[l]; h++) zg_buf_clear(&n->store[l][h].block), zg_buf_clear(&n->store[l][h].proof);
      free(n->store[l]);
      zg_buf_clear(&n->wal[l]);
    }
  }
  for (uint8_t l = 0; l < cfg->lanes; l++) free(s->canon[l]);
  free(s);
  return err;
}

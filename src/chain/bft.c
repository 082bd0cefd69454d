/*
 * bft.c — the consensus engine of one lane: Jolteon (2-chain HotStuff with
 * timeout certificates), its pacemaker, write-ahead log and block sync.
 * docs/consensus.md gives the protocol and the safety argument; this file
 * follows its rule names.
 *
 * Invariants:
 *  - Every node of the block tree except the root has its parent in the tree
 *    and a round above the root's; the root is the last committed block.
 *  - voted_round only grows, and the WAL record holding it (and the high QC,
 *    and the last timeout) is durable before any vote or timeout that
 *    depends on it leaves the engine: after a restart the engine never signs
 *    a vote for a round it voted or timed out in before.
 *  - Blocks are passed to io->commit in height order, once per height.
 *  - Nothing a peer sends can abort: every message is decoded with the
 *    canonical codec and checked (signatures, quorum, round rules) before it
 *    changes any state; invalid messages are dropped.
 *  - Messages the engine sends to itself go through a queue drained at the
 *    end of each entry point, so handlers never re-enter.
 */
#include <stdlib.h>
#include <string.h>

#include "chain/bft_internal.h"
#include "zg/hash.h"

#define MAX_NODES 4096
#define MAX_STASH 64
#define MAX_REQS 32
#define MAX_LATE_VOTES 64
#define SYNC_BATCH 16 /* committed blocks sent per COMMIT_REQ */
#define QC_CACHE 64
#define VS_CACHE 4
#define WAL_VERSION 1
/* Committed normal blocks remembered for leader reputation: the window plus
 * the blocks of the excluded rounds (at most one per round). */
#define HIST_MAX (ZG_BFT_REP_WINDOW + ZG_BFT_REP_GAP + 8u)

typedef struct {
  uint64_t epoch, round;
  uint32_t proposer;
} hist_t;

typedef struct node {
  uint8_t id[32];
  zg_buf_t bytes;   /* full block encoding; b's views point into it */
  zg_bft_block_t b;
  zg_buf_t justify; /* QC of the parent (empty for a root without one) */
  struct node *parent;
  bool safe;        /* the proposal met the voting rule's QC/TC condition */
  bool dead;        /* marked by prune */
} node_t;

typedef struct {
  uint64_t epoch;
  zg_bft_validator_t *v;
  uint32_t n;
  uint64_t total;
  int64_t self; /* our index, -1 when not a member */
  uint64_t used;
  uint64_t leader_round; /* cache of the last leader computed */
  uint32_t leader;
} vs_entry_t;

typedef struct {
  uint64_t epoch, round;
  uint8_t block_id[32];
  uint8_t bitmap[32];
  uint64_t power;
  bool formed;
  uint8_t *sigs; /* n * 64, by signer index */
} vcol_t;

typedef struct {
  uint64_t epoch, round;
  uint8_t seen[32];
  uint64_t power;
  bool formed;
  zg_buf_t entries; /* ZG__BFT_TC_ENTRY_LEN each */
  size_t count;
  zg_buf_t high_qc;
  uint64_t high_qc_round;
} tcol_t;

typedef struct {
  zg_buf_t msg;
  uint32_t from;
  uint8_t id[32]; /* the block the message carries */
} stash_t;

struct zg_bft {
  zg_bft_config_t cfg;
  const zg_bft_io_t *io;
  void *ctx;
  bool started, failed;
  uint8_t gen_id[32];

  node_t **nodes;
  size_t nnodes;
  node_t *root;
  uint64_t committed_height;

  /* safety state, persisted in the WAL */
  uint64_t round, voted_round, timeout_round;
  zg_buf_t high_qc, timeout_qc;
  zg_bft_qc_t hqc; /* views into high_qc */

  zg_buf_t last_tc;
  uint64_t last_tc_round;
  uint64_t deadline;
  bool proposed;
  bool pending;
  uint8_t pending_id[32];

  vcol_t *vcols;
  size_t nvcols;
  tcol_t *tcols;
  size_t ntcols;
  vs_entry_t vs[VS_CACHE];
  uint64_t vs_clock;
  uint8_t qc_cache[QC_CACHE][40];
  size_t qc_cache_next;

  uint8_t reqs[MAX_REQS][32];
  size_t nreqs, reqs_next;
  stash_t stash[MAX_STASH];
  size_t nstash;
  uint64_t sync_height, sync_at;
  bool vs_missing; /* a message named an epoch whose set we do not know yet */
  /* votes of an epoch whose set we learn at the next commit */
  zg_bft_vote_t late_votes[MAX_LATE_VOTES];
  size_t nlate;

  /* committed normal blocks, oldest first (ring), for leader reputation */
  hist_t hist[HIST_MAX];
  size_t nhist, hist_next;

  zg_buf_t selfq; /* queued messages to self: u32 len || bytes */
  zg_buf_t scratch;
  zg_bft_status_t st;
};

static zg_err_t handle(zg_bft_t *e, uint32_t from, const uint8_t *msg, size_t len);

/* ---- small helpers ---- */

static uint64_t now_ms(zg_bft_t *e) { return e->io->now_ms(e->ctx); }

static bool verify_cb(void *ctx, const zg_ed25519_pk_t *pk, const uint8_t *msg, size_t len, const uint8_t sig[64]) {
  zg_bft_t *e = ctx;
  return e->io->verify(e->ctx, pk, msg, len, sig);
}
#define VERIFY_FN(e) ((e)->io->verify ? verify_cb : NULL)

/* The validator set of epoch, cached; NULL when the app does not know it. */
static vs_entry_t *get_vs(zg_bft_t *e, uint64_t epoch) {
  vs_entry_t *slot = &e->vs[0];
  for (int i = 0; i < VS_CACHE; i++) {
    if (e->vs[i].v && e->vs[i].epoch == epoch) {
      e->vs[i].used = ++e->vs_clock;
      return &e->vs[i];
    }
    if (!e->vs[i].v || e->vs[i].used < slot->used) slot = &e->vs[i];
  }
  zg_bft_valset_t vs;
  uint64_t total;
  if (e->io->valset(e->ctx, epoch, &vs) != ZG_OK || zg_bft_valset_total(&total, &vs) != ZG_OK) {
    e->vs_missing = true;
    return NULL;
  }
  zg_bft_validator_t *v = malloc(sizeof *v * vs.n);
  if (!v) return NULL;
  memcpy(v, vs.v, sizeof *v * vs.n);
  free(slot->v);
  slot->v = v;
  slot->n = vs.n;
  slot->epoch = epoch;
  slot->total = total;
  slot->self = -1;
  slot->leader_round = UINT64_MAX;
  for (uint32_t i = 0; i < vs.n; i++)
    if (memcmp(v[i].pk.bytes, e->cfg.self.bytes, 32) == 0) slot->self = i;
  slot->used = ++e->vs_clock;
  return slot;
}

static zg_bft_valset_t as_valset(const vs_entry_t *s) {
  zg_bft_valset_t vs = {s->v, s->n};
  return vs;
}

/* Remembers a committed normal block for leader reputation; cached leaders
 * may change, so the caches are dropped. */
static void hist_add(zg_bft_t *e, const zg_bft_block_t *b) {
  if (b->kind != ZG_BFT_BLOCK_NORMAL || b->height == 0) return;
  e->hist[e->hist_next] = (hist_t){.epoch = b->epoch, .round = b->round, .proposer = b->proposer};
  e->hist_next = (e->hist_next + 1) % HIST_MAX;
  if (e->nhist < HIST_MAX) e->nhist++;
  for (int i = 0; i < VS_CACHE; i++) e->vs[i].leader_round = UINT64_MAX;
}

/* The leader of round in s's epoch (docs/consensus.md, "Leader"): the
 * proposers of the last ZG_BFT_REP_WINDOW committed normal blocks of the
 * epoch with round <= round - ZG_BFT_REP_GAP are active and drawn 16 times
 * as often per unit of power; with fewer such blocks, the plain draw. */
static uint32_t leader_of(zg_bft_t *e, vs_entry_t *s, uint64_t round) {
  if (s->leader_round == round) return s->leader;
  zg_bft_valset_t vs = as_valset(s);
  uint8_t active[32] = {0};
  uint32_t found = 0;
  for (size_t k = 0; k < e->nhist && found < ZG_BFT_REP_WINDOW; k++) {
    const hist_t *h = &e->hist[(e->hist_next + HIST_MAX - 1 - k) % HIST_MAX];
    if (h->epoch != s->epoch || h->round > round || round - h->round < ZG_BFT_REP_GAP) continue;
    if (h->proposer < s->n) active[h->proposer >> 3] |= (uint8_t)(1u << (h->proposer & 7));
    found++;
  }
  if (found == ZG_BFT_REP_WINDOW)
    s->leader = zg_bft_leader_weighted(&vs, e->cfg.chain_id, e->cfg.lane, s->epoch, round, active);
  else
    s->leader = zg_bft_leader(&vs, e->cfg.chain_id, e->cfg.lane, s->epoch, round);
  s->leader_round = round;
  return s->leader;
}

static node_t *find(zg_bft_t *e, const uint8_t id[32]) {
  for (size_t i = 0; i < e->nnodes; i++)
    if (memcmp(e->nodes[i]->id, id, 32) == 0) return e->nodes[i];
  return NULL;
}

static void node_free(node_t *n) {
  if (!n) return;
  zg_buf_clear(&n->bytes);
  zg_buf_clear(&n->justify);
  free(n);
}

/* Makes a node from a block encoding (copied) and its justify QC. */
static zg_err_t node_new(node_t **out, const uint8_t *p, size_t len, const uint8_t *qc, size_t qc_len) {
  *out = NULL;
  node_t *n = calloc(1, sizeof *n);
  if (!n) return ZG_ENOMEM;
  zg_err_t err = zg_buf_append(&n->bytes, p, len);
  if (err == ZG_OK && qc_len) err = zg_buf_append(&n->justify, qc, qc_len);
  if (err == ZG_OK) err = zg_bft_block_decode(&n->b, n->bytes.ptr, n->bytes.len);
  if (err != ZG_OK) {
    node_free(n);
    return err;
  }
  zg_bft_block_id(n->id, &n->b);
  *out = n;
  return ZG_OK;
}

static zg_err_t tree_add(zg_bft_t *e, node_t *n) {
  if (e->nnodes >= MAX_NODES) return ZG_EFULL;
  node_t **p = realloc(e->nodes, sizeof *p * (e->nnodes + 1));
  if (!p) return ZG_ENOMEM;
  e->nodes = p;
  e->nodes[e->nnodes++] = n;
  return ZG_OK;
}

/* Keeps the root and its descendants above its round; frees the rest. */
static void prune(zg_bft_t *e) {
  /* Mark first, free after: a dropped node may be another one's parent. */
  for (size_t i = 0; i < e->nnodes; i++) {
    node_t *q = e->nodes[i];
    while (q && q != e->root && q->b.round > e->root->b.round) q = q->parent;
    e->nodes[i]->dead = q != e->root;
  }
  size_t k = 0;
  for (size_t i = 0; i < e->nnodes; i++) {
    if (e->nodes[i]->dead) node_free(e->nodes[i]);
    else e->nodes[k++] = e->nodes[i];
  }
  e->nnodes = k;
  e->root->parent = NULL;
}

static void qc_cache_put(zg_bft_t *e, const zg_bft_qc_t *qc) {
  uint8_t *c = e->qc_cache[e->qc_cache_next++ % QC_CACHE];
  memcpy(c, qc->block_id, 32);
  zg_store_be64(c + 32, qc->round);
}

static bool qc_cache_has(zg_bft_t *e, const zg_bft_qc_t *qc) {
  for (size_t i = 0; i < QC_CACHE; i++)
    if (zg_load_be64(e->qc_cache[i] + 32) == qc->round && memcmp(e->qc_cache[i], qc->block_id, 32) == 0) return true;
  return false;
}

/* Whether qc is a valid QC of this lane (the genesis QC included). A QC with
 * the same block and round as one verified before is not checked again:
 * only a quorum can make one, so its signer set does not matter. */
static bool qc_valid(zg_bft_t *e, const zg_bft_qc_t *qc) {
  if (qc->chain_id != e->cfg.chain_id || qc->lane != e->cfg.lane) return false;
  if (qc->round == 0) return qc->epoch == 0 && qc->nsig == 0 && memcmp(qc->block_id, e->gen_id, 32) == 0;
  if (qc_cache_has(e, qc)) return true;
  vs_entry_t *s = get_vs(e, qc->epoch);
  if (!s) return false;
  zg_bft_valset_t vs = as_valset(s);
  bool ok = false;
  if (zg__bft_verify_qc_with(&ok, &vs, qc, VERIFY_FN(e), e) != ZG_OK || !ok) return false;
  qc_cache_put(e, qc);
  return true;
}

static zg_err_t send_self(zg_bft_t *e, const uint8_t *msg, size_t len) {
  uint8_t l[4];
  zg_store_be32(l, (uint32_t)len);
  ZG_TRY(zg_buf_append(&e->selfq, l, 4));
  return zg_buf_append(&e->selfq, msg, len);
}

static zg_err_t wal_write(zg_bft_t *e) {
  zg_buf_t rec;
  zg_buf_init(&rec);
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, &rec);
  zg_codec_put_u8(&w, WAL_VERSION);
  zg_codec_put_u64(&w, e->voted_round);
  zg_codec_put_u64(&w, e->timeout_round);
  zg_codec_put_bytes(&w, e->high_qc.ptr, e->high_qc.len);
  zg_codec_put_bytes(&w, e->timeout_qc.ptr, e->timeout_qc.len);
  zg_err_t err = zg_codec_writer_finish(&w);
  if (err == ZG_OK) err = e->io->wal_write(e->ctx, rec.ptr, rec.len);
  zg_buf_clear(&rec);
  return err;
}

static zg_err_t set_high_qc(zg_bft_t *e, const uint8_t *p, size_t len) {
  e->high_qc.len = 0;
  ZG_TRY(zg_buf_append(&e->high_qc, p, len));
  return zg_bft_qc_decode(&e->hqc, e->high_qc.ptr, e->high_qc.len);
}

static uint64_t timeout_len(zg_bft_t *e) {
  uint64_t k = e->round > e->hqc.round + 1 ? e->round - e->hqc.round - 1 : 0;
  if (k > e->cfg.max_backoff_exp) k = e->cfg.max_backoff_exp;
  uint64_t t = e->cfg.base_timeout_ms;
  while (k--) t += t / 2; /* x1.5 per round without a QC */
  return t;
}

static void arm_timer(zg_bft_t *e) {
  e->deadline = now_ms(e) + timeout_len(e);
  e->io->set_timer(e->ctx, e->deadline);
}

static bool requested(zg_bft_t *e, const uint8_t id[32]) {
  for (size_t i = 0; i < e->nreqs; i++)
    if (memcmp(e->reqs[i], id, 32) == 0) return true;
  return false;
}

/* Asks peer `from` (or everyone when from is UINT32_MAX) for block id. */
static zg_err_t request_block(zg_bft_t *e, uint32_t from, const uint8_t id[32]) {
  if (requested(e, id)) return ZG_OK;
  memcpy(e->reqs[e->reqs_next++ % MAX_REQS], id, 32);
  if (e->nreqs < MAX_REQS) e->nreqs++;
  e->scratch.len = 0;
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, &e->scratch);
  zg__bft_put_hdr(&w, ZG_BFT_MSG_BLOCK_REQ, e->cfg.chain_id, e->cfg.lane);
  zg_codec_put_fixed(&w, id, 32);
  ZG_TRY(zg_codec_writer_finish(&w));
  if (from == UINT32_MAX)
    e->io->broadcast(e->ctx, e->scratch.ptr, e->scratch.len);
  else
    e->io->send_peer(e->ctx, from, e->scratch.ptr, e->scratch.len);
  e->st.syncs++;
  return ZG_OK;
}

/* Asks peer `from` for the committed block above ours (sync by height). */
static zg_err_t request_commit(zg_bft_t *e, uint32_t from) {
  uint64_t h = e->committed_height + 1, now = now_ms(e);
  /* One batch in flight: [h, sync_height] was asked for at sync_at. */
  if (h <= e->sync_height && now < e->sync_at + e->cfg.base_timeout_ms) return ZG_OK;
  e->sync_height = h + SYNC_BATCH - 1;
  e->sync_at = now;
  e->scratch.len = 0;
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, &e->scratch);
  zg__bft_put_hdr(&w, ZG_BFT_MSG_COMMIT_REQ, e->cfg.chain_id, e->cfg.lane);
  zg_codec_put_u64(&w, h);
  ZG_TRY(zg_codec_writer_finish(&w));
  if (from == UINT32_MAX)
    e->io->broadcast(e->ctx, e->scratch.ptr, e->scratch.len);
  else
    e->io->send_peer(e->ctx, from, e->scratch.ptr, e->scratch.len);
  e->st.syncs++;
  return ZG_OK;
}

static zg_err_t on_vote(zg_bft_t *e, const zg_bft_vote_t *v);

/* Re-handles the votes kept for an unknown epoch (after a commit). */
static zg_err_t retry_late_votes(zg_bft_t *e) {
  if (e->nlate == 0) return ZG_OK;
  zg_bft_vote_t *vs = malloc(sizeof *vs * e->nlate);
  if (!vs) return ZG_ENOMEM;
  size_t n = e->nlate;
  memcpy(vs, e->late_votes, sizeof *vs * n);
  e->nlate = 0;
  zg_err_t err = ZG_OK;
  for (size_t i = 0; i < n && err == ZG_OK; i++) err = on_vote(e, &vs[i]);
  free(vs);
  return err;
}

/* Fetches the missing parent of b by id; when b is more than one height
 * above our committed chain, the parent may be committed (and pruned from
 * the peers' trees), so also sync by height. */
static zg_err_t fetch_parent(zg_bft_t *e, uint32_t from, const zg_bft_block_t *b) {
  if (b->height > e->committed_height + 1) ZG_TRY(request_commit(e, from));
  return request_block(e, from, b->parent);
}

/* ---- commit ---- */

/* Commits x (and its uncommitted ancestors), certified by the 2-chain x <- c
 * with qc over c. */
static zg_err_t commit_chain(zg_bft_t *e, node_t *x, node_t *c, const uint8_t *qc, size_t qc_len) {
  size_t m = 0;
  for (node_t *q = x; q && q != e->root; q = q->parent) m++;
  node_t **path = malloc(sizeof *path * (m + 1));
  if (!path) return ZG_ENOMEM;
  size_t i = m;
  node_t *q = x;
  for (; q && q != e->root; q = q->parent) path[--i] = q;
  if (q != e->root) { /* does not extend our committed chain: cannot happen with an honest quorum */
    free(path);
    return ZG_OK;
  }
  path[m] = c;
  zg_err_t err = ZG_OK;
  zg_buf_t proof;
  zg_buf_init(&proof);
  for (i = 0; i < m && err == ZG_OK; i++) {
    node_t *y = path[i];
    if (y->b.kind != ZG_BFT_BLOCK_NORMAL) continue;
    proof.len = 0;
    zg_codec_writer_t w;
    zg_codec_writer_init(&w, &proof);
    zg_codec_put_count(&w, m - i);
    for (size_t j = i + 1; j <= m; j++) {
      size_t mark;
      zg_codec_put_nested_begin(&w, &mark);
      if (w.err == ZG_OK) w.err = zg_bft_header_encode(&proof, &path[j]->b);
      zg_codec_put_nested_end(&w, mark);
    }
    zg_codec_put_bytes(&w, qc, qc_len);
    err = zg_codec_writer_finish(&w);
#ifdef ZG_VERIFY
    if (err == ZG_OK && y->b.height != e->committed_height + 1) abort();
#endif
    if (err == ZG_OK) err = e->io->commit(e->ctx, &y->b, proof.ptr, proof.len);
    if (err == ZG_OK) e->committed_height = y->b.height, hist_add(e, &y->b);
  }
  zg_buf_clear(&proof);
  free(path);
  if (err != ZG_OK) {
    e->failed = true;
    return err;
  }
  e->root = x;
  prune(e);
  return retry_late_votes(e);
}

/* The 2-chain rule on a QC: if it certifies c whose parent x is one round
 * below in the same epoch, x is committed. */
static zg_err_t try_commit(zg_bft_t *e, const zg_bft_qc_t *qc, const uint8_t *qc_bytes, size_t qc_len) {
  node_t *c = find(e, qc->block_id);
  if (!c || !c->parent) return ZG_OK;
  node_t *x = c->parent;
  if (c->b.round != x->b.round + 1 || c->b.epoch != x->b.epoch || x->b.round <= e->root->b.round) return ZG_OK;
  return commit_chain(e, x, c, qc_bytes, qc_len);
}

/* ---- rounds, proposals, votes ---- */

static zg_err_t maybe_propose(zg_bft_t *e);

static zg_err_t enter_round(zg_bft_t *e, uint64_t r) {
  if (r <= e->round) return ZG_OK;
  e->round = r;
  e->proposed = false;
  e->pending = false;
  arm_timer(e);
  /* Drop collectors that can no longer matter. */
  size_t k = 0;
  for (size_t i = 0; i < e->nvcols; i++) {
    if (e->vcols[i].round + 2 >= r) e->vcols[k++] = e->vcols[i];
    else free(e->vcols[i].sigs);
  }
  e->nvcols = k;
  k = 0;
  for (size_t i = 0; i < e->ntcols; i++) {
    if (e->tcols[i].round + 1 >= r) e->tcols[k++] = e->tcols[i];
    else zg_buf_clear(&e->tcols[i].entries), zg_buf_clear(&e->tcols[i].high_qc);
  }
  e->ntcols = k;
  return maybe_propose(e);
}

/* Takes a QC seen anywhere: validity, high QC, commit rule, round. Sets *ok. */
static zg_err_t take_qc(zg_bft_t *e, bool *ok, const zg_bft_qc_t *qc, const uint8_t *p, size_t len) {
  *ok = qc_valid(e, qc);
  if (!*ok) return ZG_OK;
  if (qc->round > e->hqc.round) ZG_TRY(set_high_qc(e, p, len));
  ZG_TRY(try_commit(e, qc, p, len));
  return enter_round(e, qc->round + 1);
}

/* Takes a TC seen in a proposal or a timeout: validity, its high QC, round. */
static zg_err_t take_tc(zg_bft_t *e, bool *ok, zg__bft_tc_t *tc, const uint8_t *p, size_t len) {
  *ok = false;
  vs_entry_t *ts;
  if (zg__bft_tc_parse(tc, p, len) != ZG_OK || !(ts = get_vs(e, tc->epoch))) return ZG_OK;
  zg_bft_valset_t vs = as_valset(ts);
  if (zg__bft_verify_tc(ok, &vs, e->cfg.chain_id, e->cfg.lane, tc, e->gen_id, VERIFY_FN(e), e) != ZG_OK || !*ok) {
    *ok = false;
    return ZG_OK;
  }
  ZG_TRY(take_qc(e, ok, &tc->high_qc, tc->high_qc_bytes.ptr, tc->high_qc_bytes.len));
  if (!*ok) return ZG_OK;
  if (tc->round > e->last_tc_round || e->last_tc.len == 0) {
    e->last_tc.len = 0;
    ZG_TRY(zg_buf_append(&e->last_tc, p, len));
    e->last_tc_round = tc->round;
  }
  return enter_round(e, tc->round + 1);
}

/* Whether the last normal block at or below n is committed. */
static bool epoch_closed(zg_bft_t *e, node_t *n) {
  while (n && n != e->root && n->b.kind == ZG_BFT_BLOCK_BOUNDARY) n = n->parent;
  return n == e->root;
}

static zg_err_t maybe_propose(zg_bft_t *e) {
  if (e->proposed || e->failed) return ZG_OK;
  vs_entry_t *s = get_vs(e, e->hqc.epoch);
  if (!s || s->self < 0 || leader_of(e, s, e->round) != (uint32_t)s->self) return ZG_OK;
  node_t *p = find(e, e->hqc.block_id);
  if (!p) return request_block(e, UINT32_MAX, e->hqc.block_id);
  e->proposed = true;
  zg_buf_t payload;
  zg_buf_init(&payload);
  uint64_t epoch = p->b.epoch;
  zg_err_t err = e->io->make_payload(e->ctx, p->b.height + 1, &p->b, &epoch, &payload);
  if (err != ZG_OK) { /* the app has nothing to propose on: skip the round */
    err = ZG_OK;
    goto out;
  }
  zg_bft_block_t b = {.chain_id = e->cfg.chain_id, .lane = e->cfg.lane, .kind = ZG_BFT_BLOCK_NORMAL};
  b.epoch = epoch;
  b.height = p->b.height + 1;
  b.round = e->round;
  memcpy(b.parent, p->id, 32);
  b.timestamp_ms = now_ms(e) > p->b.timestamp_ms ? now_ms(e) : p->b.timestamp_ms;
  b.proposer = (uint32_t)s->self;
  b.payload = zg_buf_slice(&payload);
  if (epoch == p->b.epoch + 1 && !epoch_closed(e, p)) {
    /* The app moved to the next epoch but the last block of this one is not
     * committed yet: close the epoch with a boundary block. */
    b.kind = ZG_BFT_BLOCK_BOUNDARY;
    b.epoch = p->b.epoch;
    b.height = p->b.height;
    b.payload = zg_slice(NULL, 0);
  } else if (epoch != p->b.epoch && epoch != p->b.epoch + 1) {
    goto out; /* the app broke the epoch rule: skip the round */
  }
  zg_bft_block_seal(&b);
  zg_buf_t blk;
  zg_buf_init(&blk);
  uint8_t id[32], m[ZG__BFT_PROPOSAL_MSG_LEN], sig[64];
  zg_bft_block_id(id, &b);
  zg__bft_proposal_message(m, e->cfg.chain_id, e->cfg.lane, id);
  err = zg_bft_block_encode(&blk, &b);
  if (err == ZG_OK) err = e->io->sign(e->ctx, m, sizeof m, sig);
  bool tc = e->last_tc_round + 1 == e->round && e->last_tc.len > 0;
  e->scratch.len = 0;
  if (err == ZG_OK)
    err = zg__bft_encode_proposal(&e->scratch, blk.ptr, blk.len, e->high_qc.ptr, e->high_qc.len,
                                  tc ? e->last_tc.ptr : NULL, tc ? e->last_tc.len : 0, sig, e->cfg.chain_id,
                                  e->cfg.lane);
  zg_buf_clear(&blk);
  if (err == ZG_OK) {
    e->io->broadcast(e->ctx, e->scratch.ptr, e->scratch.len);
    err = send_self(e, e->scratch.ptr, e->scratch.len);
    e->st.proposals++;
  }
out:
  zg_buf_clear(&payload);
  return err;
}

static zg_err_t do_vote(zg_bft_t *e, node_t *n) {
  vs_entry_t *s = get_vs(e, n->b.epoch);
  if (!s || s->self < 0) return ZG_OK;
  e->voted_round = n->b.round;
  e->pending = false;
  ZG_TRY(wal_write(e));
  zg_bft_vote_t v = {.chain_id = e->cfg.chain_id, .lane = e->cfg.lane, .epoch = n->b.epoch, .round = n->b.round};
  memcpy(v.block_id, n->id, 32);
  v.signer = (uint32_t)s->self;
  uint8_t m[ZG_BFT_VOTE_MSG_LEN];
  zg_bft_vote_message(m, &v);
  ZG_TRY(e->io->sign(e->ctx, m, sizeof m, v.sig));
  e->scratch.len = 0;
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, &e->scratch);
  zg__bft_put_hdr(&w, ZG_BFT_MSG_VOTE, e->cfg.chain_id, e->cfg.lane);
  uint8_t enc[ZG_BFT_VOTE_LEN];
  zg_bft_vote_encode(enc, &v);
  zg_codec_put_fixed(&w, enc, sizeof enc);
  ZG_TRY(zg_codec_writer_finish(&w));
  e->st.votes_sent++;
  uint32_t l = leader_of(e, s, n->b.round + 1);
  if ((int64_t)l == s->self) return send_self(e, e->scratch.ptr, e->scratch.len);
  e->io->send_validator(e->ctx, &s->v[l].pk, e->scratch.ptr, e->scratch.len);
  return ZG_OK;
}

/* The voting rule, then the app's payload check. */
static zg_err_t try_vote(zg_bft_t *e, node_t *n) {
  if (!n->safe || n->b.round != e->round || n->b.round <= e->voted_round || e->failed) return ZG_OK;
  zg_bft_payload_verdict_t v = e->io->check_payload(e->ctx, &n->b);
  if (v == ZG_BFT_PAYLOAD_NOT_YET) {
    e->pending = true;
    memcpy(e->pending_id, n->id, 32);
    return ZG_OK;
  }
  if (v != ZG_BFT_PAYLOAD_ACCEPT) return ZG_OK;
  return do_vote(e, n);
}

/* Structural checks of a block against its parent (epoch and height rules). */
static bool extends_ok(zg_bft_t *e, const zg_bft_block_t *b, node_t *p) {
  if (b->chain_id != e->cfg.chain_id || b->lane != e->cfg.lane || b->round <= p->b.round ||
      b->timestamp_ms < p->b.timestamp_ms)
    return false;
  if (b->kind == ZG_BFT_BLOCK_BOUNDARY) return b->epoch == p->b.epoch && b->height == p->b.height;
  if (b->height != p->b.height + 1) return false;
  if (b->epoch == p->b.epoch) return true;
  return b->epoch == p->b.epoch + 1 && epoch_closed(e, p);
}

/* Inserts a checked block under its parent (already in the tree). */
static zg_err_t insert(zg_bft_t *e, node_t **out, const zg_bft_msg_t *m, node_t *p) {
  node_t *n;
  ZG_TRY(node_new(&n, m->block_bytes.ptr, m->block_bytes.len, m->qc_bytes.ptr, m->qc_bytes.len));
  n->parent = p;
  zg_err_t err = tree_add(e, n);
  if (err != ZG_OK) {
    node_free(n);
    return err == ZG_EFULL ? ZG_OK : err;
  }
  *out = n;
  /* A QC for this block may have come before it. */
  if (memcmp(e->hqc.block_id, n->id, 32) == 0) ZG_TRY(try_commit(e, &e->hqc, e->high_qc.ptr, e->high_qc.len));
  return ZG_OK;
}

static zg_err_t retry_stash(zg_bft_t *e);
static zg_err_t on_block_resp(zg_bft_t *e, uint32_t from, const zg_bft_msg_t *m, const uint8_t *raw, size_t rawlen,
                              bool stashed);

/* Keeps a proposal or block response whose parent is missing until the
 * parent arrives (one copy per block; the oldest goes when full). */
static void stash(zg_bft_t *e, uint32_t from, const uint8_t *msg, size_t len, const zg_bft_block_t *b) {
  uint8_t id[32];
  zg_bft_block_id(id, b);
  for (size_t i = 0; i < e->nstash; i++)
    if (memcmp(e->stash[i].id, id, 32) == 0) return;
  if (e->nstash == MAX_STASH) {
    zg_buf_clear(&e->stash[0].msg);
    memmove(&e->stash[0], &e->stash[1], sizeof e->stash[0] * (MAX_STASH - 1));
    e->nstash--;
  }
  stash_t *s = &e->stash[e->nstash];
  zg_buf_init(&s->msg);
  if (zg_buf_append(&s->msg, msg, len) != ZG_OK) return;
  s->from = from;
  memcpy(s->id, id, 32);
  e->nstash++;
}

static zg_err_t on_proposal(zg_bft_t *e, uint32_t from, const zg_bft_msg_t *m, const uint8_t *raw, size_t rawlen) {
  const zg_bft_block_t *b = &m->block;
  bool ok;
  uint8_t id[32];
  zg_bft_block_id(id, b);
  if (find(e, id) || b->round <= e->root->b.round) return ZG_OK;
  /* The justify QC certifies the parent. */
  if (memcmp(m->qc.block_id, b->parent, 32) != 0 || m->qc.round >= b->round) return ZG_OK;
  ZG_TRY(take_qc(e, &ok, &m->qc, m->qc_bytes.ptr, m->qc_bytes.len));
  if (!ok) return ZG_OK;
  bool safe = m->qc.round + 1 == b->round;
  if (m->tc_bytes.len) {
    zg__bft_tc_t tc;
    ZG_TRY(take_tc(e, &ok, &tc, m->tc_bytes.ptr, m->tc_bytes.len));
    if (!ok) return ZG_OK;
    if (tc.round + 1 == b->round && m->qc.round >= tc.high_qc.round) safe = true;
  }
  /* The proposer is the leader of the round in the epoch of the QC it
   * extends; it signed the proposal. */
  vs_entry_t *s = get_vs(e, m->qc.epoch);
  if (!s || b->proposer >= s->n) return ZG_OK;
  uint8_t pm[ZG__BFT_PROPOSAL_MSG_LEN];
  zg__bft_proposal_message(pm, e->cfg.chain_id, e->cfg.lane, id);
  if (!zg__bft_sig_ok(VERIFY_FN(e), e, &s->v[b->proposer].pk, pm, sizeof pm, m->sig)) return ZG_OK;
  /* A missing parent is fetched before the leader check: a validator that
   * is behind has a stale committed history, hence maybe another leader for
   * the round; the proposal is checked again when it leaves the stash. */
  node_t *p = find(e, b->parent);
  if (!p) {
    if (b->height > e->committed_height + e->cfg.sync_window) return request_commit(e, from);
    stash(e, from, raw, rawlen, b);
    return fetch_parent(e, from, b);
  }
  if (leader_of(e, s, b->round) != b->proposer) return ZG_OK;
  if (b->round > e->round || !extends_ok(e, b, p)) return ZG_OK;
  /* An equivocating leader gets at most two blocks of a round into the tree
   * (a certified third one is fetched by id if ever needed). */
  size_t same = 0;
  for (size_t i = 0; i < e->nnodes; i++) same += e->nodes[i]->b.round == b->round;
  if (same >= 2) return ZG_OK;
  node_t *n = NULL;
  ZG_TRY(insert(e, &n, m, p));
  if (!n) return ZG_OK;
  n->safe = safe;
  ZG_TRY(try_vote(e, n));
  ZG_TRY(maybe_propose(e));
  return retry_stash(e);
}

static zg_err_t retry_stash(zg_bft_t *e) {
  /* Re-handle stashed messages that can go on now: proposals and block
   * responses whose parent has arrived, the committed block just above ours. */
  for (size_t i = 0; i < e->nstash;) {
    zg_bft_msg_t m;
    bool drop, run;
    if (zg_bft_msg_decode(&m, e->stash[i].msg.ptr, e->stash[i].msg.len) != ZG_OK) {
      drop = true, run = false;
    } else if (m.type == ZG_BFT_MSG_COMMIT_RESP) {
      drop = m.height <= e->committed_height;
      run = m.height == e->committed_height + 1;
    } else {
      drop = m.block.round <= e->root->b.round;
      run = !drop && find(e, m.block.parent);
    }
    if (drop || run) {
      stash_t s = e->stash[i];
      memmove(&e->stash[i], &e->stash[i + 1], sizeof s * (e->nstash - i - 1));
      e->nstash--;
      zg_err_t err = ZG_OK;
      if (run && m.type != ZG_BFT_MSG_BLOCK_RESP) err = handle(e, s.from, s.msg.ptr, s.msg.len);
      if (run && m.type == ZG_BFT_MSG_BLOCK_RESP) err = on_block_resp(e, s.from, &m, s.msg.ptr, s.msg.len, true);
      zg_buf_clear(&s.msg);
      ZG_TRY(err);
      i = 0;
      continue;
    }
    i++;
  }
  return ZG_OK;
}

/* Records an equivocation: signer voted other_id with other_sig in the same
 * epoch and round as v. */
static void evidence(zg_bft_t *e, const zg_bft_vote_t *v, const uint8_t other_id[32], const uint8_t other_sig[64]) {
  if (!e->io->on_evidence) return;
  zg_bft_vote_t o = *v;
  memcpy(o.block_id, other_id, 32);
  memcpy(o.sig, other_sig, 64);
  uint8_t a[ZG_BFT_VOTE_LEN], b[ZG_BFT_VOTE_LEN];
  zg_bft_vote_encode(a, &o);
  zg_bft_vote_encode(b, v);
  e->io->on_evidence(e->ctx, a, b);
}

static zg_err_t on_vote(zg_bft_t *e, const zg_bft_vote_t *v) {
  if (v->chain_id != e->cfg.chain_id || v->lane != e->cfg.lane || v->round + 1 < e->round) return ZG_OK;
  vs_entry_t *s = get_vs(e, v->epoch);
  if (!s && e->vs_missing && e->nlate < MAX_LATE_VOTES) {
    /* The first votes of a new epoch can come before the commit that makes
     * its set known here: keep them for retry_late_votes. */
    e->late_votes[e->nlate++] = *v;
    e->vs_missing = false;
    return ZG_OK;
  }
  if (!s || v->signer >= s->n || s->self < 0 || leader_of(e, s, v->round + 1) != (uint32_t)s->self) return ZG_OK;
  vcol_t *c = NULL;
  for (size_t i = 0; i < e->nvcols; i++) {
    vcol_t *x = &e->vcols[i];
    if (x->epoch != v->epoch || x->round != v->round) continue;
    if (memcmp(x->block_id, v->block_id, 32) == 0) {
      c = x;
      if (zg__bft_bit(x->bitmap, v->signer)) return ZG_OK; /* duplicate */
    }
  }
  uint8_t m[ZG_BFT_VOTE_MSG_LEN];
  zg_bft_vote_message(m, v);
  if (!zg__bft_sig_ok(VERIFY_FN(e), e, &s->v[v->signer].pk, m, sizeof m, v->sig)) return ZG_OK;
  for (size_t i = 0; i < e->nvcols; i++) {
    vcol_t *x = &e->vcols[i];
    if (x->epoch == v->epoch && x->round == v->round && memcmp(x->block_id, v->block_id, 32) != 0 &&
        zg__bft_bit(x->bitmap, v->signer))
      evidence(e, v, x->block_id, x->sigs + (size_t)v->signer * 64);
  }
  if (!c) {
    if (e->nvcols >= 64) return ZG_OK;
    vcol_t *p = realloc(e->vcols, sizeof *p * (e->nvcols + 1));
    if (!p) return ZG_ENOMEM;
    e->vcols = p;
    c = &e->vcols[e->nvcols];
    memset(c, 0, sizeof *c);
    c->sigs = calloc(s->n, 64);
    if (!c->sigs) return ZG_ENOMEM;
    e->nvcols++;
    c->epoch = v->epoch;
    c->round = v->round;
    memcpy(c->block_id, v->block_id, 32);
  }
  c->bitmap[v->signer >> 3] |= (uint8_t)(1u << (v->signer & 7));
  memcpy(c->sigs + (size_t)v->signer * 64, v->sig, 64);
  c->power += s->v[v->signer].power;
  if (c->formed || !zg_bft_is_quorum(c->power, s->total)) return ZG_OK;
  c->formed = true;
  /* Form the QC: signatures in signer order. */
  zg_buf_t sigs, qcb;
  zg_buf_init(&sigs);
  zg_buf_init(&qcb);
  zg_bft_qc_t qc = {.chain_id = v->chain_id, .lane = v->lane, .epoch = v->epoch, .round = v->round};
  memcpy(qc.block_id, c->block_id, 32);
  memcpy(qc.bitmap, c->bitmap, 32);
  zg_err_t err = ZG_OK;
  for (uint32_t i = 0; i < s->n && err == ZG_OK; i++)
    if (zg__bft_bit(c->bitmap, i)) err = zg_buf_append(&sigs, c->sigs + (size_t)i * 64, 64), qc.nsig++;
  qc.sigs = sigs.ptr;
  if (err == ZG_OK) err = zg_bft_qc_encode(&qcb, &qc);
  if (err == ZG_OK) {
    e->st.qcs_formed++;
    qc_cache_put(e, &qc);
    zg_bft_qc_t dq;
    bool ok;
    err = zg_bft_qc_decode(&dq, qcb.ptr, qcb.len);
    if (err == ZG_OK) err = take_qc(e, &ok, &dq, qcb.ptr, qcb.len);
  }
  zg_buf_clear(&sigs);
  zg_buf_clear(&qcb);
  return err;
}

/* Signs (or re-sends) our timeout for the current round. */
static zg_err_t local_timeout(zg_bft_t *e) {
  if (e->timeout_round != e->round) {
    e->timeout_round = e->round;
    e->timeout_qc.len = 0;
    ZG_TRY(zg_buf_append(&e->timeout_qc, e->high_qc.ptr, e->high_qc.len));
    if (e->voted_round < e->round) e->voted_round = e->round;
    ZG_TRY(wal_write(e));
  }
  zg_bft_qc_t q;
  ZG_TRY(zg_bft_qc_decode(&q, e->timeout_qc.ptr, e->timeout_qc.len));
  vs_entry_t *s = get_vs(e, q.epoch);
  if (!s || s->self < 0) return ZG_OK;
  uint8_t m[ZG__BFT_TIMEOUT_MSG_LEN], sig[64];
  zg__bft_timeout_message(m, e->cfg.chain_id, e->cfg.lane, q.epoch, e->round, q.round);
  ZG_TRY(e->io->sign(e->ctx, m, sizeof m, sig));
  e->scratch.len = 0;
  bool tc = e->last_tc_round + 1 == e->round && e->last_tc.len > 0;
  ZG_TRY(zg__bft_encode_timeout(&e->scratch, e->cfg.chain_id, e->cfg.lane, q.epoch, e->round, (uint32_t)s->self,
                                e->timeout_qc.ptr, e->timeout_qc.len, sig, tc ? e->last_tc.ptr : NULL,
                                tc ? e->last_tc.len : 0));
  e->st.timeouts_sent++;
  e->io->broadcast(e->ctx, e->scratch.ptr, e->scratch.len);
  return send_self(e, e->scratch.ptr, e->scratch.len);
}

static zg_err_t form_tc(zg_bft_t *e, tcol_t *c) {
  zg_buf_t tc;
  zg_buf_init(&tc);
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, &tc);
  zg_codec_put_u64(&w, c->epoch);
  zg_codec_put_u64(&w, c->round);
  zg_codec_put_count(&w, c->count);
  zg_codec_put_fixed(&w, c->entries.ptr, c->entries.len);
  zg_codec_put_bytes(&w, c->high_qc.ptr, c->high_qc.len);
  zg_err_t err = zg_codec_writer_finish(&w);
  if (err == ZG_OK) {
    e->st.tcs_formed++;
    e->last_tc.len = 0;
    err = zg_buf_append(&e->last_tc, tc.ptr, tc.len);
    e->last_tc_round = c->round;
  }
  zg_buf_clear(&tc);
  if (err == ZG_OK) err = enter_round(e, c->round + 1);
  return err;
}

/* Tells a peer stuck in a past round how we left it: our high QC and the TC
 * that moved us to our round, if any. */
static zg_err_t send_sync_info(zg_bft_t *e, uint32_t to) {
  e->scratch.len = 0;
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, &e->scratch);
  zg__bft_put_hdr(&w, ZG_BFT_MSG_SYNC_INFO, e->cfg.chain_id, e->cfg.lane);
  zg_codec_put_bytes(&w, e->high_qc.ptr, e->high_qc.len);
  bool tc = e->last_tc.len > 0 && e->last_tc_round > e->hqc.round;
  zg_codec_put_option(&w, tc);
  if (tc) zg_codec_put_bytes(&w, e->last_tc.ptr, e->last_tc.len);
  ZG_TRY(zg_codec_writer_finish(&w));
  e->io->send_peer(e->ctx, to, e->scratch.ptr, e->scratch.len);
  return ZG_OK;
}

static zg_err_t on_sync_info(zg_bft_t *e, const zg_bft_msg_t *m) {
  bool ok;
  ZG_TRY(take_qc(e, &ok, &m->qc, m->qc_bytes.ptr, m->qc_bytes.len));
  if (!m->tc_bytes.len) return ZG_OK;
  zg__bft_tc_t tc;
  return take_tc(e, &ok, &tc, m->tc_bytes.ptr, m->tc_bytes.len);
}

static zg_err_t on_timeout(zg_bft_t *e, uint32_t from, const zg_bft_msg_t *m) {
  bool ok;
  if (m->qc.epoch != m->epoch || m->qc.round >= m->round) return ZG_OK;
  ZG_TRY(take_qc(e, &ok, &m->qc, m->qc_bytes.ptr, m->qc_bytes.len));
  if (!ok) return ZG_OK;
  if (m->tc_bytes.len && m->round > e->round) { /* catch up with the sender's round */
    zg__bft_tc_t tc;
    ZG_TRY(take_tc(e, &ok, &tc, m->tc_bytes.ptr, m->tc_bytes.len));
  }
  if (m->round < e->round) return from == UINT32_MAX ? ZG_OK : send_sync_info(e, from);
  vs_entry_t *s = get_vs(e, m->epoch);
  if (!s || m->signer >= s->n) return ZG_OK;
  tcol_t *c = NULL;
  for (size_t i = 0; i < e->ntcols && !c; i++)
    if (e->tcols[i].epoch == m->epoch && e->tcols[i].round == m->round) c = &e->tcols[i];
  if (c && zg__bft_bit(c->seen, m->signer)) return ZG_OK;
  uint8_t tm[ZG__BFT_TIMEOUT_MSG_LEN];
  zg__bft_timeout_message(tm, e->cfg.chain_id, e->cfg.lane, m->epoch, m->round, m->qc.round);
  if (!zg__bft_sig_ok(VERIFY_FN(e), e, &s->v[m->signer].pk, tm, sizeof tm, m->sig)) return ZG_OK;
  if (!c) {
    if (e->ntcols >= 32) return ZG_OK;
    tcol_t *p = realloc(e->tcols, sizeof *p * (e->ntcols + 1));
    if (!p) return ZG_ENOMEM;
    e->tcols = p;
    c = &e->tcols[e->ntcols++];
    memset(c, 0, sizeof *c);
    c->epoch = m->epoch;
    c->round = m->round;
  }
  uint8_t ent[ZG__BFT_TC_ENTRY_LEN];
  zg_store_be32(ent, m->signer);
  zg_store_be64(ent + 4, m->qc.round);
  memcpy(ent + 12, m->sig, 64);
  ZG_TRY(zg_buf_append(&c->entries, ent, sizeof ent));
  c->count++;
  c->seen[m->signer >> 3] |= (uint8_t)(1u << (m->signer & 7));
  c->power += s->v[m->signer].power;
  if (c->high_qc.len == 0 || m->qc.round > c->high_qc_round) {
    c->high_qc.len = 0;
    ZG_TRY(zg_buf_append(&c->high_qc, m->qc_bytes.ptr, m->qc_bytes.len));
    c->high_qc_round = m->qc.round;
  }
  if (!c->formed && zg_bft_is_quorum(c->power, s->total)) {
    c->formed = true;
    return form_tc(e, c);
  }
  /* f+1 timed out: at least one honest validator did, so join them. */
  if (m->round == e->round && e->timeout_round != e->round && (unsigned __int128)c->power * 3 > s->total)
    return local_timeout(e);
  return ZG_OK;
}

/* ---- sync ---- */

static zg_err_t on_block_req(zg_bft_t *e, uint32_t from, const uint8_t id[32]) {
  node_t *n = find(e, id);
  if (!n || n->justify.len == 0) return ZG_OK;
  e->scratch.len = 0;
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, &e->scratch);
  zg__bft_put_hdr(&w, ZG_BFT_MSG_BLOCK_RESP, e->cfg.chain_id, e->cfg.lane);
  zg_codec_put_bytes(&w, n->bytes.ptr, n->bytes.len);
  zg_codec_put_bytes(&w, n->justify.ptr, n->justify.len);
  ZG_TRY(zg_codec_writer_finish(&w));
  e->io->send_peer(e->ctx, from, e->scratch.ptr, e->scratch.len);
  return ZG_OK;
}

static zg_err_t on_block_resp(zg_bft_t *e, uint32_t from, const zg_bft_msg_t *m, const uint8_t *raw, size_t rawlen,
                              bool stashed) {
  uint8_t id[32];
  zg_bft_block_id(id, &m->block);
  if ((!stashed && !requested(e, id)) || find(e, id) || m->block.round <= e->root->b.round) return ZG_OK;
  if (m->block.height > e->committed_height + e->cfg.sync_window) return request_commit(e, from);
  if (memcmp(m->qc.block_id, m->block.parent, 32) != 0 || m->qc.round >= m->block.round) return ZG_OK;
  bool ok;
  ZG_TRY(take_qc(e, &ok, &m->qc, m->qc_bytes.ptr, m->qc_bytes.len));
  if (!ok) return ZG_OK;
  node_t *p = find(e, m->block.parent);
  if (!p) {
    stash(e, from, raw, rawlen, &m->block);
    return fetch_parent(e, from, &m->block);
  }
  if (!extends_ok(e, &m->block, p)) return ZG_OK;
  node_t *n = NULL;
  ZG_TRY(insert(e, &n, m, p));
  /* The block is certified (we asked for it because of a QC), so it was
   * voted valid by a quorum: no payload check, no vote (its round is past). */
  ZG_TRY(maybe_propose(e));
  return retry_stash(e);
}

static zg_err_t send_committed(zg_bft_t *e, uint32_t from, uint64_t height);

static zg_err_t on_commit_req(zg_bft_t *e, uint32_t from, uint64_t height) {
  zg_err_t err = ZG_OK;
  for (uint64_t h = height; h < height + SYNC_BATCH && h > 0 && h <= e->committed_height && err == ZG_OK; h++)
    err = send_committed(e, from, h);
  return err;
}

/* Sends the committed block at height with its proof to peer `to`. */
static zg_err_t send_committed(zg_bft_t *e, uint32_t from, uint64_t height) {
  zg_buf_t blk, proof;
  zg_buf_init(&blk);
  zg_buf_init(&proof);
  zg_err_t err = e->io->load_committed(e->ctx, height, &blk, &proof);
  if (err == ZG_OK) {
    e->scratch.len = 0;
    zg_codec_writer_t w;
    zg_codec_writer_init(&w, &e->scratch);
    zg__bft_put_hdr(&w, ZG_BFT_MSG_COMMIT_RESP, e->cfg.chain_id, e->cfg.lane);
    zg_codec_put_u64(&w, height);
    zg_codec_put_bytes(&w, blk.ptr, blk.len);
    zg_codec_put_bytes(&w, proof.ptr, proof.len);
    err = zg_codec_writer_finish(&w);
    if (err == ZG_OK) e->io->send_peer(e->ctx, from, e->scratch.ptr, e->scratch.len);
  }
  zg_buf_clear(&blk);
  zg_buf_clear(&proof);
  return err == ZG_ENOTFOUND ? ZG_OK : err;
}

static zg_err_t on_commit_resp(zg_bft_t *e, uint32_t from, const zg_bft_msg_t *m, const uint8_t *raw,
                               size_t rawlen) {
  const zg_bft_block_t *b = &m->block;
  if (m->height > e->committed_height + 1 && m->height <= e->committed_height + 2 * SYNC_BATCH) {
    stash(e, from, raw, rawlen, b); /* a later block of the batch came first */
    return ZG_OK;
  }
  if (m->height != e->committed_height + 1 || b->height != m->height || b->kind != ZG_BFT_BLOCK_NORMAL ||
      b->chain_id != e->cfg.chain_id || b->lane != e->cfg.lane || b->round <= e->root->b.round)
    return ZG_OK;
  uint64_t epoch;
  if (zg_bft_commit_proof_epoch(&epoch, m->proof.ptr, m->proof.len) != ZG_OK) return ZG_OK;
  vs_entry_t *s = get_vs(e, epoch);
  if (!s) return ZG_OK;
  zg_bft_valset_t vs = as_valset(s);
  bool ok = false;
  if (zg__bft_verify_commit_with(&ok, &vs, b, m->proof.ptr, m->proof.len, VERIFY_FN(e), e) != ZG_OK || !ok)
    return ZG_OK;
  node_t *n;
  uint8_t id[32];
  zg_bft_block_id(id, b);
  if (!(n = find(e, id))) {
    ZG_TRY(node_new(&n, m->block_bytes.ptr, m->block_bytes.len, NULL, 0));
    zg_err_t err = tree_add(e, n);
    if (err != ZG_OK) {
      node_free(n);
      return err == ZG_EFULL ? ZG_OK : err;
    }
  }
  zg_err_t err = e->io->commit(e->ctx, b, m->proof.ptr, m->proof.len);
  if (err != ZG_OK) {
    e->failed = true;
    return err;
  }
  e->committed_height = b->height;
  hist_add(e, b);
  e->root = n;
  prune(e);
  /* Take the rest of the batch, then ask for more while the peer has more. */
  ZG_TRY(retry_late_votes(e));
  ZG_TRY(retry_stash(e));
  return request_commit(e, from);
}

/* ---- entry points ---- */

static zg_err_t dispatch(zg_bft_t *e, uint32_t from, const zg_bft_msg_t *m, const uint8_t *msg, size_t len);

/* Handles one message. One that names an epoch we cannot check yet means we
 * are behind: sync committed blocks (they bring the epoch's set). */
static zg_err_t handle(zg_bft_t *e, uint32_t from, const uint8_t *msg, size_t len) {
  zg_bft_msg_t m;
  if (zg_bft_msg_decode(&m, msg, len) != ZG_OK) return ZG_OK;
  e->vs_missing = false;
  ZG_TRY(dispatch(e, from, &m, msg, len));
  if (e->vs_missing && from != UINT32_MAX && m.type != ZG_BFT_MSG_COMMIT_RESP) return request_commit(e, from);
  return ZG_OK;
}

static zg_err_t dispatch(zg_bft_t *e, uint32_t from, const zg_bft_msg_t *mp, const uint8_t *msg, size_t len) {
  zg_bft_msg_t m = *mp;
  if (m.chain_id != e->cfg.chain_id || m.lane != e->cfg.lane) return ZG_OK;
  switch (m.type) {
  case ZG_BFT_MSG_PROPOSAL:
    return on_proposal(e, from, &m, msg, len);
  case ZG_BFT_MSG_VOTE:
    return on_vote(e, &m.vote);
  case ZG_BFT_MSG_TIMEOUT:
    return on_timeout(e, from, &m);
  case ZG_BFT_MSG_SYNC_INFO:
    return on_sync_info(e, &m);
  case ZG_BFT_MSG_BLOCK_REQ:
    return from == UINT32_MAX ? ZG_OK : on_block_req(e, from, m.block_id);
  case ZG_BFT_MSG_BLOCK_RESP:
    return on_block_resp(e, from, &m, msg, len, false);
  case ZG_BFT_MSG_COMMIT_REQ:
    return from == UINT32_MAX ? ZG_OK : on_commit_req(e, from, m.height);
  case ZG_BFT_MSG_COMMIT_RESP:
    return on_commit_resp(e, from, &m, msg, len);
  default:
    return ZG_OK;
  }
}

/* Handles the messages the engine sent itself, in order. */
static zg_err_t drain(zg_bft_t *e) {
  zg_buf_t q;
  while (e->selfq.len > 0) {
    q = e->selfq;
    zg_buf_init(&e->selfq);
    zg_err_t err = ZG_OK;
    for (size_t off = 0; off + 4 <= q.len && err == ZG_OK;) {
      uint32_t l = zg_load_be32(q.ptr + off);
      err = handle(e, UINT32_MAX, q.ptr + off + 4, l);
      off += 4 + (size_t)l;
    }
    zg_buf_clear(&q);
    if (err != ZG_OK) return err;
  }
  return ZG_OK;
}

void zg_bft_config_default(zg_bft_config_t *cfg, uint32_t chain_id, uint8_t lane, const zg_ed25519_pk_t *self) {
  memset(cfg, 0, sizeof *cfg);
  cfg->chain_id = chain_id;
  cfg->lane = lane;
  if (self) cfg->self = *self;
  cfg->base_timeout_ms = 1000;
  cfg->max_backoff_exp = 6;
  cfg->sync_window = 32;
}

zg_err_t zg_bft_create(zg_bft_t **out, const zg_bft_config_t *cfg, const zg_bft_io_t *io, void *ctx) {
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!cfg || !io || !io->now_ms || !io->broadcast || !io->send_validator || !io->send_peer || !io->set_timer ||
      !io->make_payload || !io->check_payload || !io->commit || !io->valset || !io->sign || !io->wal_write ||
      !io->load_committed || cfg->base_timeout_ms == 0 || cfg->max_backoff_exp > 20)
    return ZG_EINVAL;
  zg_bft_t *e = calloc(1, sizeof *e);
  if (!e) return ZG_ENOMEM;
  e->cfg = *cfg;
  e->io = io;
  e->ctx = ctx;
  zg_bft_block_t g;
  zg_bft_genesis(&g, cfg->chain_id, cfg->lane);
  zg_bft_block_id(e->gen_id, &g);
  *out = e;
  return ZG_OK;
}

void zg_bft_destroy(zg_bft_t *e) {
  if (!e) return;
  for (size_t i = 0; i < e->nnodes; i++) node_free(e->nodes[i]);
  free(e->nodes);
  for (size_t i = 0; i < e->nvcols; i++) free(e->vcols[i].sigs);
  free(e->vcols);
  for (size_t i = 0; i < e->ntcols; i++) zg_buf_clear(&e->tcols[i].entries), zg_buf_clear(&e->tcols[i].high_qc);
  free(e->tcols);
  for (int i = 0; i < VS_CACHE; i++) free(e->vs[i].v);
  for (size_t i = 0; i < e->nstash; i++) zg_buf_clear(&e->stash[i].msg);
  zg_buf_clear(&e->high_qc);
  zg_buf_clear(&e->timeout_qc);
  zg_buf_clear(&e->last_tc);
  zg_buf_clear(&e->selfq);
  zg_buf_clear(&e->scratch);
  free(e);
}

static zg_err_t load_wal(zg_bft_t *e, const uint8_t *wal, size_t len) {
  zg_codec_reader_t r;
  zg_codec_reader_init(&r, wal, len);
  uint8_t ver;
  zg_slice_t hq, tq;
  zg_codec_get_u8(&r, &ver);
  zg_codec_get_u64(&r, &e->voted_round);
  zg_codec_get_u64(&r, &e->timeout_round);
  zg_codec_get_bytes(&r, &hq, (size_t)ZG_BFT_MAX_VALIDATORS * 64 + 256);
  zg_codec_get_bytes(&r, &tq, (size_t)ZG_BFT_MAX_VALIDATORS * 64 + 256);
  if (zg_codec_reader_finish(&r) != ZG_OK || ver != WAL_VERSION) return ZG_ECORRUPT;
  zg_bft_qc_t q;
  if (zg_bft_qc_decode(&q, hq.ptr, hq.len) != ZG_OK || q.chain_id != e->cfg.chain_id || q.lane != e->cfg.lane)
    return ZG_ECORRUPT;
  if (tq.len && zg_bft_qc_decode(&q, tq.ptr, tq.len) != ZG_OK) return ZG_ECORRUPT;
  ZG_TRY(set_high_qc(e, hq.ptr, hq.len));
  return zg_buf_append(&e->timeout_qc, tq.ptr, tq.len);
}

zg_err_t zg_bft_start(zg_bft_t *e, const uint8_t *root, size_t root_len, const uint8_t *wal, size_t wal_len) {
  if (!e || !root || e->started) return ZG_EINVAL;
  node_t *n;
  ZG_TRY(node_new(&n, root, root_len, NULL, 0));
  if (n->b.chain_id != e->cfg.chain_id || n->b.lane != e->cfg.lane || tree_add(e, n) != ZG_OK) {
    node_free(n);
    return ZG_EINVAL;
  }
  e->root = n;
  e->committed_height = n->b.height;
  /* Leader reputation: the last committed blocks from the app's store. */
  if (e->io->load_committed && n->b.height > 0) {
    uint64_t h0 = n->b.height > HIST_MAX ? n->b.height - HIST_MAX + 1 : 1;
    zg_buf_t bb, pb;
    zg_buf_init(&bb);
    zg_buf_init(&pb);
    for (uint64_t h = h0; h < n->b.height; h++) {
      zg_bft_block_t hb;
      bb.len = pb.len = 0;
      if (e->io->load_committed(e->ctx, h, &bb, &pb) == ZG_OK && zg_bft_block_decode(&hb, bb.ptr, bb.len) == ZG_OK &&
          hb.height == h)
        hist_add(e, &hb);
    }
    zg_buf_clear(&bb);
    zg_buf_clear(&pb);
    hist_add(e, &n->b);
  }
  if (wal && wal_len) {
    ZG_TRY(load_wal(e, wal, wal_len));
  } else {
    zg_bft_qc_t g = {.chain_id = e->cfg.chain_id, .lane = e->cfg.lane};
    memcpy(g.block_id, e->gen_id, 32);
    zg_buf_t b;
    zg_buf_init(&b);
    zg_err_t err = zg_bft_qc_encode(&b, &g);
    if (err == ZG_OK) err = set_high_qc(e, b.ptr, b.len);
    zg_buf_clear(&b);
    ZG_TRY(err);
  }
  e->started = true;
  uint64_t r = e->hqc.round + 1;
  if (e->voted_round > r) r = e->voted_round;
  if (n->b.round + 1 > r) r = n->b.round + 1;
  e->round = r - 1;
  ZG_TRY(enter_round(e, r));
  return drain(e);
}

zg_err_t zg_bft_on_message(zg_bft_t *e, uint32_t from, const uint8_t *msg, size_t len) {
  if (!e || (!msg && len)) return ZG_EINVAL;
  if (!e->started || e->failed) return ZG_ESTATE;
  ZG_TRY(handle(e, from, msg, len));
  return drain(e);
}

zg_err_t zg_bft_on_timer(zg_bft_t *e, uint64_t now) {
  if (!e) return ZG_EINVAL;
  if (!e->started || e->failed) return ZG_ESTATE;
  if (now < e->deadline) {
    e->io->set_timer(e->ctx, e->deadline);
    return ZG_OK;
  }
  e->nreqs = e->reqs_next = 0; /* let block requests be retried */
  e->sync_at = 0;
  ZG_TRY(local_timeout(e));
  ZG_TRY(maybe_propose(e));
  e->deadline = now + timeout_len(e);
  e->io->set_timer(e->ctx, e->deadline);
  return drain(e);
}

zg_err_t zg_bft_payload_ready(zg_bft_t *e, const uint8_t block_id[32]) {
  if (!e || !block_id) return ZG_EINVAL;
  if (!e->started || e->failed) return ZG_ESTATE;
  if (!e->pending || memcmp(e->pending_id, block_id, 32) != 0) return ZG_OK;
  node_t *n = find(e, block_id);
  if (n) ZG_TRY(try_vote(e, n));
  return drain(e);
}

void zg_bft_status(const zg_bft_t *e, zg_bft_status_t *st) {
  *st = e->st;
  st->round = e->round;
  st->voted_round = e->voted_round;
  st->high_qc_round = e->hqc.round;
  st->committed_height = e->committed_height;
  st->committed_round = e->root ? e->root->b.round : 0;
  st->epoch = e->hqc.epoch;
}

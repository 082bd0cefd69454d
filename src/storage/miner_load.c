/*
 * miner_load.c — what the miner reads and proves (zg/storage_miner.h): the
 * recalled 256 KiB loads from the local log store, sealed per 4 KiB seal
 * with the context digest of the epoch that appended it, and the Merkle
 * proof of a winning seal against the epoch's flow root.
 *
 * Invariants:
 *  - a seal is offered to zg_pora_iterate (avail[k] true) only when it holds
 *    at least one file sector and this node stores every file sector in it
 *    (padding is zeros, but a seal of padding alone is never mined), and
 *    the chain knows the context digest of the epoch holding its last
 *    sector (Mine checks rangeStart < pos + 16 <= rangeEnd);
 *  - flow positions below a closed epoch's length never change, nor do the
 *    context digests of closed epochs: a sealed load with no missing seal is
 *    cached for good (cfg.cache_loads entries, LRU);
 *  - a proof is returned only after it folds to the context's flow root.
 *
 * Proofs against a past flow length L: the frontier at L is rebuilt by
 * replaying the tx records (kept and extended while L grows); the siblings
 * that are complete subtrees below L are the same in today's flow, so they
 * come from the service's sector proof of a file sector of the seal
 * (zg_storage_sector_proof), and the seal's own root from its plain bytes.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "miner_internal.h"
#include "zg/abi.h"
#include "zg/hash.h"
#include "zg/log.h"
#include "zg/logstore.h"

#define SECTORS ZG_PORA_LOAD_SECTORS

zg_err_t zg__miner_range(zg_miner_t *m, zg_pora_range_t *r) {
  uint32_t shard_id, num_shard;
  zg_storage_shard(m->cfg.storage, &shard_id, &num_shard);
  return zg_pora_default_range(r, m->ctx.flow_length, shard_id, ~(uint64_t)(num_shard - 1));
}

/* ---- epoch contexts ---- */

zg_err_t zg__miner_context_at(zg_miner_t *m, uint8_t digest[32], bool *found, uint64_t pos) {
  *found = false;
  for (size_t i = 0; i < m->nranges; i++) {
    const zg__miner_range_t *r = &m->ranges[i];
    if (pos >= r->start && pos < r->end) {
      memcpy(digest, r->digest, 32);
      *found = true;
      return ZG_OK;
    }
  }
  uint8_t cd[4 + 32];
  zg_abi_selector(cd, "queryContextAtPosition(uint128)", strlen("queryContextAtPosition(uint128)"));
  memset(cd + 4, 0, 32);
  zg_store_be64(cd + 4 + 24, pos);
  zg_buf_t ret;
  zg_buf_init(&ret);
  bool reverted = false;
  char why[128];
  zg_err_t e = m->cfg.chain.call(m->cfg.chain.arg, &ret, &reverted, why, sizeof why, &zg_flow_address, cd, sizeof cd);
  if (e == ZG_OK && !reverted) {
    if (ret.len != 96) {
      e = ZG_EJSON;
    } else {
      zg__miner_range_t *r = &m->ranges[m->next_range];
      r->start = zg_load_be64(ret.ptr + 24);
      r->end = zg_load_be64(ret.ptr + 56);
      memcpy(r->digest, ret.ptr + 64, 32);
      m->next_range = (m->next_range + 1) % ZG__MINER_RANGES;
      if (m->nranges < ZG__MINER_RANGES) m->nranges++;
      if (pos >= r->start && pos < r->end) {
        memcpy(digest, r->digest, 32);
        *found = true;
      }
    }
  }
  zg_buf_clear(&ret);
  return e;
}

/* ---- plain loads ---- */

/* The last tx with start_pos <= pos among the first ntx (*found false if none). */
static zg_err_t tx_at(zg_logstore_t *ls, zg_logstore_tx_t *tx, bool *found, uint64_t ntx, uint64_t pos) {
  uint64_t lo = 0, hi = ntx;
  *found = false;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    ZG_TRY(zg_logstore_tx_get(ls, tx, mid));
    if (tx->start_pos <= pos) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) return ZG_OK;
  *found = true;
  return zg_logstore_tx_get(ls, tx, lo - 1);
}

/* Reads the plain sectors of the load at a into m->plain (zeros where no
 * file data is); is_data[i] marks file sectors, held[i] the ones stored. */
static zg_err_t read_plain(zg_miner_t *m, uint64_t a, bool is_data[SECTORS], bool held[SECTORS]) {
  zg_logstore_t *ls = zg_storage_logstore(m->cfg.storage);
  uint64_t ntx = zg_storage_next_seq(m->cfg.storage);
  memset(m->plain, 0, ZG_PORA_LOAD_BYTES);
  memset(is_data, 0, SECTORS);
  memset(held, 0, SECTORS);
  zg_logstore_tx_t tx;
  bool found;
  ZG_TRY(tx_at(ls, &tx, &found, ntx, a));
  uint64_t seq = found ? tx.seq : 0;
  if (!found && ntx > 0) ZG_TRY(zg_logstore_tx_get(ls, &tx, 0));
  for (; seq < ntx; seq++) {
    if (seq != tx.seq) ZG_TRY(zg_logstore_tx_get(ls, &tx, seq));
    if (tx.start_pos >= a + SECTORS) break;
    uint64_t s = tx.start_pos, end = s + (tx.size + ZG_LOGSTORE_SECTOR - 1) / ZG_LOGSTORE_SECTOR;
    uint64_t lo = s > a ? s : a, hi = end < a + SECTORS ? end : a + SECTORS;
    if (lo >= hi) continue;
    /* A file fits in one flow segment or starts on one: the overlap is in
     * one file segment. */
    uint64_t fs = (lo - s) / SECTORS;
    for (uint64_t p = lo; p < hi; p++) is_data[p - a] = true;
    size_t len = 0;
    zg_err_t e = zg_logstore_segment_get_by_tx(ls, m->segbuf, ZG_PORA_LOAD_BYTES, &len, tx.seq, fs);
    if (e == ZG_ENOTFOUND) continue; /* not held: the seals stay unavailable */
    ZG_TRY(e);
    size_t off = (size_t)(lo - s - fs * SECTORS) * ZG_LOGSTORE_SECTOR, n = (size_t)(hi - lo) * ZG_LOGSTORE_SECTOR;
    if (off + n > len) return ZG_ECORRUPT;
    memcpy(m->plain + (lo - a) * ZG_LOGSTORE_SECTOR, m->segbuf + off, n);
    for (uint64_t p = lo; p < hi; p++) held[p - a] = true;
  }
  return ZG_OK;
}

/* Seal k of a load holds file data and all of it is here: *mined; *missing
 * when some of its file data is not held. */
static void seal_state(bool *mined, bool *missing, const bool *is_data, const bool *held, unsigned k) {
  bool any = false;
  *missing = false;
  for (unsigned i = k * ZG_PORA_SEAL_SECTORS; i < (k + 1) * ZG_PORA_SEAL_SECTORS; i++) {
    any |= is_data[i];
    if (is_data[i] && !held[i]) *missing = true;
  }
  *mined = any && !*missing;
}

static zg__miner_cached_t *cache_find(zg_miner_t *m, uint64_t a) {
  for (unsigned i = 0; i < m->cfg.cache_loads; i++)
    if (m->cache[i].load_start == a) {
      m->cache[i].used = ++m->clock;
      return &m->cache[i];
    }
  return NULL;
}

static void cache_put(zg_miner_t *m, uint64_t a, const uint8_t *sealed, const bool *avail) {
  if (m->cfg.cache_loads == 0) return;
  zg__miner_cached_t *v = &m->cache[0];
  for (unsigned i = 1; i < m->cfg.cache_loads; i++)
    if (m->cache[i].used < v->used) v = &m->cache[i];
  v->load_start = a;
  v->used = ++m->clock;
  memcpy(v->sealed, sealed, ZG_PORA_LOAD_BYTES);
  memcpy(v->avail, avail, sizeof v->avail);
}

zg_err_t zg_miner_load(zg_miner_t *m, uint8_t *out, bool avail[ZG_PORA_SEALS_PER_LOAD], uint64_t a) {
  if (!m->ctx.valid || a % SECTORS != 0 || a + SECTORS > m->ctx.flow_length) return ZG_EINVAL;
  zg__miner_cached_t *c = cache_find(m, a);
  if (c) {
    memcpy(out, c->sealed, ZG_PORA_LOAD_BYTES);
    memcpy(avail, c->avail, sizeof c->avail);
    pthread_mutex_lock(&m->mu);
    m->st.loads++;
    pthread_mutex_unlock(&m->mu);
    return ZG_OK;
  }
  bool is_data[SECTORS], held[SECTORS], complete = true;
  uint64_t missing_seals = 0;
  ZG_TRY(read_plain(m, a, is_data, held));
  memcpy(out, m->plain, ZG_PORA_LOAD_BYTES);
  for (unsigned k = 0; k < ZG_PORA_SEALS_PER_LOAD; k++) {
    bool mined, missing;
    seal_state(&mined, &missing, is_data, held, k);
    avail[k] = false;
    if (missing) {
      missing_seals++;
      complete = false;
    }
    if (!mined) continue;
    uint64_t pos = a + (uint64_t)k * ZG_PORA_SEAL_SECTORS;
    uint8_t digest[32];
    bool found;
    ZG_TRY(zg__miner_context_at(m, digest, &found, pos + ZG_PORA_SEAL_SECTORS - 1));
    if (!found) {
      complete = false;
      continue;
    }
    zg_pora_seal(out + (size_t)k * ZG_PORA_SEAL_BYTES, m->miner_id, digest, pos);
    avail[k] = true;
  }
  if (complete) cache_put(m, a, out, avail);
  pthread_mutex_lock(&m->mu);
  m->st.loads++;
  m->st.seals_missing += missing_seals;
  pthread_mutex_unlock(&m->mu);
  return ZG_OK;
}

zg_err_t zg__miner_load_fn(void *arg, uint8_t *out, bool avail[ZG_PORA_SEALS_PER_LOAD], uint64_t load_start) {
  return zg_miner_load(arg, out, avail, load_start);
}

/* ---- proofs ---- */

/* The frontier at the context's flow length, by replaying tx records. */
static zg_err_t ensure_snapshot(zg_miner_t *m) {
  uint64_t want = m->ctx.flow_length;
  if (m->have_snap && m->snap.length == want) return ZG_OK;
  if (!m->have_snap || m->snap.length > want) {
    zg_flow_init(&m->snap);
    m->snap_seq = 0;
    m->have_snap = true;
  }
  zg_logstore_t *ls = zg_storage_logstore(m->cfg.storage);
  uint64_t ntx = zg_storage_next_seq(m->cfg.storage);
  while (m->snap.length < want) {
    if (m->snap_seq >= ntx) return ZG_ESTATE; /* this node is behind the chain */
    zg_logstore_tx_t tx;
    zg_merkle_node_t nodes[ZG_LOGSTORE_MAX_NODES];
    ZG_TRY(zg_logstore_tx_get(ls, &tx, m->snap_seq));
    for (uint32_t i = 0; i < tx.nnodes; i++) {
      memcpy(nodes[i].root, tx.nodes[i].root, 32);
      nodes[i].height = tx.nodes[i].height;
    }
    zg_flow_t next = m->snap;
    ZG_TRY(zg_flow_append(&next, NULL, nodes, tx.nnodes));
    if (next.length > want) {
      m->have_snap = false;
      return ZG_ESTATE; /* the context's length is not at a submission boundary of this node's log */
    }
    m->snap = next;
    m->snap_seq++;
  }
  return ZG_OK;
}

typedef struct {
  uint64_t seal;    /* seal index (height-4 node index) */
  uint8_t root4[32];
  const zg_merkle_proof_t *sp; /* today's proof of a file sector of the seal */
} proof_fetch_t;

static zg_err_t proof_fetch(void *arg, uint8_t out[32], unsigned h, uint64_t idx) {
  const proof_fetch_t *f = arg;
  if (h == 4 && idx == f->seal) {
    memcpy(out, f->root4, 32);
    return ZG_OK;
  }
  if (h >= 4 && h < f->sp->npath && idx == ((f->seal >> (h - 4)) ^ 1)) {
    memcpy(out, f->sp->lemma[1 + h], 32);
    return ZG_OK;
  }
  return ZG_ENOTFOUND;
}

zg_err_t zg_miner_build_answer(zg_miner_t *m, zg_mine_answer_t *a, const uint8_t nonce[32], uint64_t pos) {
  memset(a, 0, sizeof *a);
  if (!m->ctx.valid || pos % ZG_PORA_SEAL_SECTORS != 0 || pos >= m->ctx.flow_length) return ZG_EINVAL;
  uint64_t load = pos / SECTORS * SECTORS;
  unsigned k = (unsigned)((pos - load) / ZG_PORA_SEAL_SECTORS);
  bool is_data[SECTORS], held[SECTORS], mined, missing, found;
  ZG_TRY(read_plain(m, load, is_data, held));
  seal_state(&mined, &missing, is_data, held, k);
  if (!mined) return ZG_ENOTFOUND;
  const uint8_t *plain = m->plain + (size_t)k * ZG_PORA_SEAL_BYTES;
  uint8_t digest[32];
  ZG_TRY(zg__miner_context_at(m, digest, &found, pos + ZG_PORA_SEAL_SECTORS - 1));
  if (!found) return ZG_ENOTFOUND;
  /* The seal's own root, from its plain sectors. */
  proof_fetch_t f;
  uint8_t leaves[ZG_PORA_SEAL_SECTORS][32];
  for (unsigned i = 0; i < ZG_PORA_SEAL_SECTORS; i++)
    zg_flow_leaf_hash(leaves[i], pos + i, plain + (size_t)i * ZG_LOGSTORE_SECTOR, ZG_LOGSTORE_SECTOR);
  for (unsigned n = ZG_PORA_SEAL_SECTORS; n > 1; n /= 2)
    for (unsigned i = 0; i < n / 2; i++) zg_keccak256_pair(leaves[i], leaves[2 * i], leaves[2 * i + 1]);
  memcpy(f.root4, leaves[0], 32);
  f.seal = pos / ZG_PORA_SEAL_SECTORS;
  /* Today's proof of one of its file sectors gives the siblings. */
  uint64_t sector = pos;
  while (!is_data[sector - load] || sector == 0) sector++;
  zg_merkle_proof_t *sp = malloc(sizeof *sp), *p = malloc(sizeof *p);
  zg_storage_err_t err = {0, ""};
  uint8_t root_now[32];
  uint64_t len_now;
  zg_err_t e = sp && p ? ZG_OK : ZG_ENOMEM;
  if (e == ZG_OK) e = ensure_snapshot(m);
  if (e == ZG_OK) {
    e = zg_storage_sector_proof(m->cfg.storage, sp, root_now, &len_now, &err, sector);
    if (e != ZG_OK) zg_logw("miner", "sector proof of %" PRIu64 ": %s", sector, err.message);
  }
  if (e == ZG_OK) {
    f.sp = sp;
    e = zg_flow_proof(p, &m->snap, 4, f.seal, proof_fetch, &f);
  }
  if (e == ZG_OK && (p->npath > ZG_PORA_MAX_PROOF || zg_flow_height(&m->snap) != p->npath + 4)) e = ZG_EBADPROOF;
  if (e == ZG_OK) {
    a->nproof = p->npath;
    for (uint32_t i = 0; i < p->npath; i++) memcpy(a->proof[i], p->lemma[1 + i], 32);
    if (!zg_flow_fold_siblings(f.root4, (const uint8_t(*)[32])a->proof, a->nproof, f.seal, m->ctx.flow_root))
      e = ZG_EBADPROOF;
  }
  if (e == ZG_OK) e = zg__miner_range(m, &a->range);
  free(sp);
  free(p);
  if (e != ZG_OK) {
    memset(a, 0, sizeof *a);
    return e;
  }
  memcpy(a->context_digest, m->ctx.digest, 32);
  memcpy(a->nonce, nonce, 32);
  memcpy(a->miner_id, m->miner_id, 32);
  a->recall_position = pos;
  a->seal_offset = k;
  memcpy(a->sealed_context_digest, digest, 32);
  memcpy(a->sealed, plain, ZG_PORA_SEAL_BYTES);
  zg_pora_seal(a->sealed, m->miner_id, digest, pos);
  return ZG_OK;
}

/*
 * bft_codec.c — wire formats of the consensus engine (blocks, headers, votes,
 * QCs, TCs, commit proofs, messages; zg/bft.h has the layouts) and the pure
 * checks a light client or a contract runs: QC, commit proof, equivocation,
 * leader election.
 *
 * Invariants: every decoder goes through the canonical codec, so a value has
 * one encoding and hostile bytes can only produce an error; decoded views
 * point into the caller's bytes; nothing here allocates except the output
 * buffers of the encoders.
 */
#include <stdlib.h>
#include <string.h>

#include "chain/bft_internal.h"
#include "zg/hash.h"

/* ---- blocks ---- */

void zg_bft_block_seal(zg_bft_block_t *b) { zg_keccak256(b->payload_hash, b->payload.ptr, b->payload.len); }

static void put_block_fields(zg_codec_writer_t *w, const zg_bft_block_t *b, bool header) {
  zg_codec_put_u32(w, b->chain_id);
  zg_codec_put_u8(w, b->lane);
  zg_codec_put_u8(w, b->kind);
  zg_codec_put_u64(w, b->epoch);
  zg_codec_put_u64(w, b->height);
  zg_codec_put_u64(w, b->round);
  zg_codec_put_fixed(w, b->parent, 32);
  zg_codec_put_u64(w, b->timestamp_ms);
  zg_codec_put_u32(w, b->proposer);
  if (header)
    zg_codec_put_fixed(w, b->payload_hash, 32);
  else
    zg_codec_put_bytes(w, b->payload.ptr, b->payload.len);
}

zg_err_t zg_bft_block_encode(zg_buf_t *out, const zg_bft_block_t *b) {
  if (!out || !b || b->payload.len > ZG_BFT_MAX_PAYLOAD) return ZG_EINVAL;
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, out);
  put_block_fields(&w, b, false);
  return zg_codec_writer_finish(&w);
}

zg_err_t zg_bft_header_encode(zg_buf_t *out, const zg_bft_block_t *b) {
  if (!out || !b) return ZG_EINVAL;
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, out);
  put_block_fields(&w, b, true);
  return zg_codec_writer_finish(&w);
}

static zg_err_t get_block_fields(zg_codec_reader_t *r, zg_bft_block_t *b, bool header) {
  memset(b, 0, sizeof *b);
  zg_codec_get_u32(r, &b->chain_id);
  zg_codec_get_u8(r, &b->lane);
  zg_codec_get_u8(r, &b->kind);
  zg_codec_get_u64(r, &b->epoch);
  zg_codec_get_u64(r, &b->height);
  zg_codec_get_u64(r, &b->round);
  zg_codec_get_fixed(r, b->parent, 32);
  zg_codec_get_u64(r, &b->timestamp_ms);
  zg_codec_get_u32(r, &b->proposer);
  if (header) {
    zg_codec_get_fixed(r, b->payload_hash, 32);
  } else {
    zg_codec_get_bytes(r, &b->payload, ZG_BFT_MAX_PAYLOAD);
  }
  if (zg_codec_reader_err(r) == ZG_OK && b->kind > ZG_BFT_BLOCK_BOUNDARY) zg_codec_reader_fail(r, ZG_EPROTO);
  if (zg_codec_reader_err(r) == ZG_OK && b->kind == ZG_BFT_BLOCK_BOUNDARY && !header && b->payload.len != 0)
    zg_codec_reader_fail(r, ZG_EPROTO);
  return zg_codec_reader_err(r);
}

static zg_err_t block_decode(zg_bft_block_t *b, const uint8_t *p, size_t len, bool header) {
  zg_codec_reader_t r;
  zg_codec_reader_init(&r, p, len);
  (void)get_block_fields(&r, b, header);
  zg_err_t e = zg_codec_reader_finish(&r);
  if (e != ZG_OK) {
    memset(b, 0, sizeof *b);
    return e;
  }
  if (!header) zg_bft_block_seal(b);
  return ZG_OK;
}

zg_err_t zg_bft_block_decode(zg_bft_block_t *b, const uint8_t *p, size_t len) {
  if (!b || (!p && len)) return ZG_EINVAL;
  return block_decode(b, p, len, false);
}

zg_err_t zg_bft_header_decode(zg_bft_block_t *b, const uint8_t *p, size_t len) {
  if (!b || (!p && len)) return ZG_EINVAL;
  return block_decode(b, p, len, true);
}

void zg_bft_block_id(uint8_t id[32], const zg_bft_block_t *b) {
  /* The header is 4+1+1+8+8+8+32+8+4+32 = 106 bytes: encode on the stack. */
  uint8_t h[106], *q = h;
  zg_store_be32(q, b->chain_id), q += 4;
  *q++ = b->lane;
  *q++ = b->kind;
  zg_store_be64(q, b->epoch), q += 8;
  zg_store_be64(q, b->height), q += 8;
  zg_store_be64(q, b->round), q += 8;
  memcpy(q, b->parent, 32), q += 32;
  zg_store_be64(q, b->timestamp_ms), q += 8;
  zg_store_be32(q, b->proposer), q += 4;
  memcpy(q, b->payload_hash, 32), q += 32;
#ifdef ZG_VERIFY
  if (q != h + sizeof h) abort();
#endif
  zg_keccak256(id, h, sizeof h);
}

void zg_bft_genesis(zg_bft_block_t *b, uint32_t chain_id, uint8_t lane) {
  memset(b, 0, sizeof *b);
  b->chain_id = chain_id;
  b->lane = lane;
  zg_bft_block_seal(b);
}

/* ---- votes ---- */

void zg_bft_vote_encode(uint8_t out[ZG_BFT_VOTE_LEN], const zg_bft_vote_t *v) {
  uint8_t *q = out;
  zg_store_be32(q, v->chain_id), q += 4;
  *q++ = v->lane;
  zg_store_be64(q, v->epoch), q += 8;
  zg_store_be64(q, v->round), q += 8;
  memcpy(q, v->block_id, 32), q += 32;
  zg_store_be32(q, v->signer), q += 4;
  memcpy(q, v->sig, 64);
}

zg_err_t zg_bft_vote_decode(zg_bft_vote_t *v, const uint8_t *p, size_t len) {
  if (!v || (!p && len)) return ZG_EINVAL;
  memset(v, 0, sizeof *v);
  if (len < ZG_BFT_VOTE_LEN) return ZG_ETRUNC;
  if (len > ZG_BFT_VOTE_LEN) return ZG_ETRAILING;
  v->chain_id = zg_load_be32(p), p += 4;
  v->lane = *p++;
  v->epoch = zg_load_be64(p), p += 8;
  v->round = zg_load_be64(p), p += 8;
  memcpy(v->block_id, p, 32), p += 32;
  v->signer = zg_load_be32(p), p += 4;
  memcpy(v->sig, p, 64);
  return ZG_OK;
}

void zg_bft_vote_message(uint8_t out[ZG_BFT_VOTE_MSG_LEN], const zg_bft_vote_t *v) {
  uint8_t *q = out;
  memcpy(q, "zg/vote/v1", 10), q += 10;
  zg_store_be32(q, v->chain_id), q += 4;
  *q++ = v->lane;
  zg_store_be64(q, v->epoch), q += 8;
  zg_store_be64(q, v->round), q += 8;
  memcpy(q, v->block_id, 32);
}

void zg__bft_timeout_message(uint8_t out[ZG__BFT_TIMEOUT_MSG_LEN], uint32_t chain_id, uint8_t lane, uint64_t epoch,
                             uint64_t round, uint64_t high_qc_round) {
  uint8_t *q = out;
  memcpy(q, "zg/timeout/v1", 13), q += 13;
  zg_store_be32(q, chain_id), q += 4;
  *q++ = lane;
  zg_store_be64(q, epoch), q += 8;
  zg_store_be64(q, round), q += 8;
  zg_store_be64(q, high_qc_round);
}

void zg__bft_proposal_message(uint8_t out[ZG__BFT_PROPOSAL_MSG_LEN], uint32_t chain_id, uint8_t lane,
                              const uint8_t block_id[32]) {
  uint8_t *q = out;
  memcpy(q, "zg/proposal/v1", 14), q += 14;
  zg_store_be32(q, chain_id), q += 4;
  *q++ = lane;
  memcpy(q, block_id, 32);
}

bool zg__bft_sig_ok(zg__bft_verify_fn fn, void *ctx, const zg_ed25519_pk_t *pk, const uint8_t *msg, size_t len,
                    const uint8_t sig[64]) {
  if (fn) return fn(ctx, pk, msg, len, sig);
  bool ok = false;
  if (zg_ed25519_verify(&ok, sig, msg, len, pk) != ZG_OK) return false;
  return ok;
}

/* ---- QCs ---- */

static unsigned popcount256(const uint8_t bm[32]) {
  unsigned n = 0;
  for (int i = 0; i < 32; i++) n += (unsigned)__builtin_popcount(bm[i]);
  return n;
}

zg_err_t zg_bft_qc_encode(zg_buf_t *out, const zg_bft_qc_t *qc) {
  if (!out || !qc || qc->nsig != popcount256(qc->bitmap)) return ZG_EINVAL;
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, out);
  zg_codec_put_u32(&w, qc->chain_id);
  zg_codec_put_u8(&w, qc->lane);
  zg_codec_put_u64(&w, qc->epoch);
  zg_codec_put_u64(&w, qc->round);
  zg_codec_put_fixed(&w, qc->block_id, 32);
  zg_codec_put_fixed(&w, qc->bitmap, 32);
  zg_codec_put_bytes(&w, qc->sigs, (size_t)qc->nsig * 64);
  return zg_codec_writer_finish(&w);
}

static zg_err_t get_qc(zg_codec_reader_t *r, zg_bft_qc_t *qc) {
  memset(qc, 0, sizeof *qc);
  zg_slice_t s;
  zg_codec_get_u32(r, &qc->chain_id);
  zg_codec_get_u8(r, &qc->lane);
  zg_codec_get_u64(r, &qc->epoch);
  zg_codec_get_u64(r, &qc->round);
  zg_codec_get_fixed(r, qc->block_id, 32);
  zg_codec_get_fixed(r, qc->bitmap, 32);
  zg_codec_get_bytes(r, &s, (size_t)ZG_BFT_MAX_VALIDATORS * 64);
  if (zg_codec_reader_err(r) != ZG_OK) return zg_codec_reader_err(r);
  qc->nsig = popcount256(qc->bitmap);
  if (s.len != (size_t)qc->nsig * 64) return zg_codec_reader_fail(r, ZG_EPROTO);
  qc->sigs = s.ptr;
  return ZG_OK;
}

zg_err_t zg_bft_qc_decode(zg_bft_qc_t *qc, const uint8_t *p, size_t len) {
  if (!qc || (!p && len)) return ZG_EINVAL;
  zg_codec_reader_t r;
  zg_codec_reader_init(&r, p, len);
  (void)get_qc(&r, qc);
  zg_err_t e = zg_codec_reader_finish(&r);
  if (e != ZG_OK) memset(qc, 0, sizeof *qc);
  return e;
}

/* ---- verification ---- */

bool zg_bft_is_quorum(uint64_t signed_power, uint64_t total) {
  return (unsigned __int128)signed_power * 3 > (unsigned __int128)total * 2;
}

zg_err_t zg_bft_valset_total(uint64_t *total, const zg_bft_valset_t *vs) {
  if (!total) return ZG_EINVAL;
  *total = 0;
  if (!vs || !vs->v || vs->n == 0 || vs->n > ZG_BFT_MAX_VALIDATORS) return ZG_EINVAL;
  uint64_t t = 0;
  for (uint32_t i = 0; i < vs->n; i++) {
    if (vs->v[i].power == 0) return ZG_EINVAL;
    if (t + vs->v[i].power < t) return ZG_EOVERFLOW;
    t += vs->v[i].power;
  }
  *total = t;
  return ZG_OK;
}

uint32_t zg_bft_leader(const zg_bft_valset_t *vs, uint32_t chain_id, uint8_t lane, uint64_t epoch, uint64_t round) {
  uint64_t total;
  if (zg_bft_valset_total(&total, vs) != ZG_OK) return 0;
  uint8_t m[12 + 4 + 1 + 8 + 8], h[32], *q = m;
  memcpy(q, "zg/leader/v1", 12), q += 12;
  zg_store_be32(q, chain_id), q += 4;
  *q++ = lane;
  zg_store_be64(q, epoch), q += 8;
  zg_store_be64(q, round);
  zg_keccak256(h, m, sizeof m);
  /* 128 random bits reduced mod total: the bias is below 2^-64. */
  unsigned __int128 x = ((unsigned __int128)zg_load_be64(h) << 64) | zg_load_be64(h + 8);
  uint64_t pick = (uint64_t)(x % total);
  for (uint32_t i = 0; i < vs->n; i++) {
    if (pick < vs->v[i].power) return i;
    pick -= vs->v[i].power;
  }
  return vs->n - 1; /* not reached */
}

uint32_t zg_bft_leader_weighted(const zg_bft_valset_t *vs, uint32_t chain_id, uint8_t lane, uint64_t epoch,
                                uint64_t round, const uint8_t active[32]) {
  uint64_t total;
  if (zg_bft_valset_total(&total, vs) != ZG_OK) return 0;
  unsigned __int128 wtotal = 0;
  for (uint32_t i = 0; i < vs->n; i++)
    wtotal += (unsigned __int128)vs->v[i].power * (zg__bft_bit(active, i) ? ZG_BFT_ACTIVE_WEIGHT : 1u);
  uint8_t m[12 + 4 + 1 + 8 + 8], h[32], *q = m;
  memcpy(q, "zg/leader/v2", 12), q += 12;
  zg_store_be32(q, chain_id), q += 4;
  *q++ = lane;
  zg_store_be64(q, epoch), q += 8;
  zg_store_be64(q, round);
  zg_keccak256(h, m, sizeof m);
  /* 128 random bits reduced mod the weighted total (< 2^72): bias below 2^-56. */
  unsigned __int128 x = ((unsigned __int128)zg_load_be64(h) << 64) | zg_load_be64(h + 8);
  unsigned __int128 pick = x % wtotal;
  for (uint32_t i = 0; i < vs->n; i++) {
    unsigned __int128 w = (unsigned __int128)vs->v[i].power * (zg__bft_bit(active, i) ? ZG_BFT_ACTIVE_WEIGHT : 1u);
    if (pick < w) return i;
    pick -= w;
  }
  return vs->n - 1; /* not reached */
}

zg_err_t zg__bft_verify_qc_with(bool *ok, const zg_bft_valset_t *vs, const zg_bft_qc_t *qc, zg__bft_verify_fn fn,
                                void *ctx) {
  if (!ok) return ZG_EINVAL;
  *ok = false;
  if (!qc) return ZG_EINVAL;
  uint64_t total;
  ZG_TRY(zg_bft_valset_total(&total, vs));
  if (qc->nsig != popcount256(qc->bitmap)) return ZG_OK;
  uint8_t msg[ZG_BFT_VOTE_MSG_LEN];
  zg_bft_vote_t v = {.chain_id = qc->chain_id, .lane = qc->lane, .epoch = qc->epoch, .round = qc->round};
  memcpy(v.block_id, qc->block_id, 32);
  zg_bft_vote_message(msg, &v);
  uint64_t power = 0;
  for (uint32_t i = 0; i < ZG_BFT_MAX_VALIDATORS; i++)
    if (zg__bft_bit(qc->bitmap, i)) {
      if (i >= vs->n) return ZG_OK;
      power += vs->v[i].power;
    }
  if (!zg_bft_is_quorum(power, total)) return ZG_OK;
  uint32_t k = 0;
  for (uint32_t i = 0; i < vs->n; i++) {
    if (!zg__bft_bit(qc->bitmap, i)) continue;
    if (!zg__bft_sig_ok(fn, ctx, &vs->v[i].pk, msg, sizeof msg, qc->sigs + (size_t)k * 64)) return ZG_OK;
    k++;
  }
  *ok = true;
  return ZG_OK;
}

zg_err_t zg_bft_verify_qc(bool *ok, const zg_bft_valset_t *vs, const zg_bft_qc_t *qc) {
  return zg__bft_verify_qc_with(ok, vs, qc, NULL, NULL);
}

/* The parts of a commit proof: count headers in hdrs (a reader positioned on
 * the list), then the QC. Parsed in two passes to avoid allocation. */
static zg_err_t proof_qc(zg_bft_qc_t *qc, size_t *count, const uint8_t *proof, size_t len) {
  zg_codec_reader_t r, sub;
  zg_codec_reader_init(&r, proof, len);
  zg_codec_get_count(&r, count, 64, 4);
  for (size_t i = 0; i < *count && zg_codec_reader_err(&r) == ZG_OK; i++) zg_codec_get_nested(&r, &sub, 256);
  zg_codec_get_nested(&r, &sub, (size_t)ZG_BFT_MAX_VALIDATORS * 64 + 256);
  ZG_TRY(zg_codec_reader_finish(&r));
  return zg_bft_qc_decode(qc, sub.p, sub.len);
}

zg_err_t zg_bft_commit_proof_epoch(uint64_t *epoch, const uint8_t *proof, size_t len) {
  if (!epoch || (!proof && len)) return ZG_EINVAL;
  *epoch = 0;
  zg_bft_qc_t qc;
  size_t count;
  ZG_TRY(proof_qc(&qc, &count, proof, len));
  *epoch = qc.epoch;
  return ZG_OK;
}

zg_err_t zg__bft_verify_commit_with(bool *ok, const zg_bft_valset_t *vs, const zg_bft_block_t *block,
                                    const uint8_t *proof, size_t len, zg__bft_verify_fn fn, void *ctx) {
  if (!ok) return ZG_EINVAL;
  *ok = false;
  if (!block || (!proof && len)) return ZG_EINVAL;
  zg_bft_qc_t qc;
  size_t count;
  ZG_TRY(proof_qc(&qc, &count, proof, len));
  if (count == 0) return ZG_OK;
  zg_codec_reader_t r, sub;
  zg_codec_reader_init(&r, proof, len);
  zg_codec_get_count(&r, &count, 64, 4);
  zg_bft_block_t prev = *block, cur;
  uint8_t prev_id[32], cur_id[32];
  zg_bft_block_id(prev_id, &prev);
  for (size_t i = 0; i < count; i++) {
    zg_codec_get_nested(&r, &sub, 256);
    ZG_TRY(zg_codec_reader_err(&r));
    ZG_TRY(zg_bft_header_decode(&cur, sub.p, sub.len));
    if (memcmp(cur.parent, prev_id, 32) != 0 || cur.round <= prev.round || cur.chain_id != block->chain_id ||
        cur.lane != block->lane)
      return ZG_OK;
    zg_bft_block_id(cur_id, &cur);
    if (i + 1 < count) {
      prev = cur;
      memcpy(prev_id, cur_id, 32);
    }
  }
  /* cur is C, prev is X: the 2-chain rule and the QC over C. */
  if (cur.round != prev.round + 1 || cur.epoch != prev.epoch) return ZG_OK;
  if (qc.chain_id != cur.chain_id || qc.lane != cur.lane || qc.epoch != cur.epoch || qc.round != cur.round ||
      memcmp(qc.block_id, cur_id, 32) != 0)
    return ZG_OK;
  return zg__bft_verify_qc_with(ok, vs, &qc, fn, ctx);
}

zg_err_t zg_bft_verify_commit(bool *ok, const zg_bft_valset_t *vs, const zg_bft_block_t *block, const uint8_t *proof,
                              size_t len) {
  return zg__bft_verify_commit_with(ok, vs, block, proof, len, NULL, NULL);
}

zg_err_t zg_bft_check_equivocation(bool *guilty, uint32_t *signer, const zg_bft_valset_t *vs, const uint8_t *vote_a,
                                   size_t alen, const uint8_t *vote_b, size_t blen) {
  if (!guilty || !signer) return ZG_EINVAL;
  *guilty = false;
  *signer = 0;
  zg_bft_vote_t a, b;
  uint64_t total;
  ZG_TRY(zg_bft_valset_total(&total, vs));
  ZG_TRY(zg_bft_vote_decode(&a, vote_a, alen));
  ZG_TRY(zg_bft_vote_decode(&b, vote_b, blen));
  if (a.chain_id != b.chain_id || a.lane != b.lane || a.epoch != b.epoch || a.round != b.round ||
      a.signer != b.signer || a.signer >= vs->n || memcmp(a.block_id, b.block_id, 32) == 0)
    return ZG_OK;
  uint8_t ma[ZG_BFT_VOTE_MSG_LEN], mb[ZG_BFT_VOTE_MSG_LEN];
  zg_bft_vote_message(ma, &a);
  zg_bft_vote_message(mb, &b);
  const zg_ed25519_pk_t *pk = &vs->v[a.signer].pk;
  if (!zg__bft_sig_ok(NULL, NULL, pk, ma, sizeof ma, a.sig) || !zg__bft_sig_ok(NULL, NULL, pk, mb, sizeof mb, b.sig))
    return ZG_OK;
  *guilty = true;
  *signer = a.signer;
  return ZG_OK;
}

/* ---- timeout certificates ---- */

zg_err_t zg__bft_tc_parse(zg__bft_tc_t *tc, const uint8_t *p, size_t len) {
  memset(tc, 0, sizeof *tc);
  zg_codec_reader_t r, sub;
  zg_codec_reader_init(&r, p, len);
  zg_codec_get_u64(&r, &tc->epoch);
  zg_codec_get_u64(&r, &tc->round);
  zg_codec_get_count(&r, &tc->count, ZG_BFT_MAX_VALIDATORS, ZG__BFT_TC_ENTRY_LEN);
  zg_codec_get_fixed_view(&r, &tc->entries, tc->count * ZG__BFT_TC_ENTRY_LEN);
  zg_codec_get_nested(&r, &sub, (size_t)ZG_BFT_MAX_VALIDATORS * 64 + 256);
  zg_err_t e = zg_codec_reader_finish(&r);
  if (e == ZG_OK) e = zg_bft_qc_decode(&tc->high_qc, sub.p, sub.len);
  if (e == ZG_OK && tc->count == 0) e = ZG_EPROTO;
  if (e != ZG_OK) {
    memset(tc, 0, sizeof *tc);
    return e;
  }
  tc->high_qc_bytes = zg_slice(sub.p, sub.len);
  return ZG_OK;
}

zg_err_t zg_bft_tc_decode(uint64_t *epoch, uint64_t *round, zg_bft_qc_t *high_qc, const uint8_t *p, size_t len) {
  if (!epoch || !round || !high_qc || (!p && len)) return ZG_EINVAL;
  zg__bft_tc_t tc;
  zg_err_t e = zg__bft_tc_parse(&tc, p, len);
  *epoch = tc.epoch;
  *round = tc.round;
  *high_qc = tc.high_qc;
  return e;
}

zg_err_t zg__bft_verify_tc(bool *ok, const zg_bft_valset_t *vs, uint32_t chain_id, uint8_t lane,
                           const zg__bft_tc_t *tc, const uint8_t gen_id[32], zg__bft_verify_fn fn, void *ctx) {
  *ok = false;
  uint64_t total, power = 0, max_hqr = 0;
  ZG_TRY(zg_bft_valset_total(&total, vs));
  uint8_t seen[32] = {0};
  for (size_t i = 0; i < tc->count; i++) {
    const uint8_t *ent = tc->entries.ptr + i * ZG__BFT_TC_ENTRY_LEN;
    uint32_t s = zg_load_be32(ent);
    uint64_t hqr = zg_load_be64(ent + 4);
    if (s >= vs->n || zg__bft_bit(seen, s) || hqr >= tc->round) return ZG_OK;
    seen[s >> 3] |= (uint8_t)(1u << (s & 7));
    power += vs->v[s].power;
    if (hqr > max_hqr) max_hqr = hqr;
  }
  if (!zg_bft_is_quorum(power, total)) return ZG_OK;
  const zg_bft_qc_t *q = &tc->high_qc;
  if (q->round != max_hqr || q->chain_id != chain_id || q->lane != lane) return ZG_OK;
  for (size_t i = 0; i < tc->count; i++) {
    const uint8_t *ent = tc->entries.ptr + i * ZG__BFT_TC_ENTRY_LEN;
    uint8_t m[ZG__BFT_TIMEOUT_MSG_LEN];
    zg__bft_timeout_message(m, chain_id, lane, tc->epoch, tc->round, zg_load_be64(ent + 4));
    if (!zg__bft_sig_ok(fn, ctx, &vs->v[zg_load_be32(ent)].pk, m, sizeof m, ent + 12)) return ZG_OK;
  }
  *ok = true;
  (void)gen_id; /* the high QC itself is checked by the caller, which knows its epoch's set */
  return ZG_OK;
}

/* ---- messages ---- */

void zg__bft_put_hdr(zg_codec_writer_t *w, uint8_t type, uint32_t chain_id, uint8_t lane) {
  zg_codec_put_u8(w, type);
  zg_codec_put_u32(w, chain_id);
  zg_codec_put_u8(w, lane);
}

zg_err_t zg__bft_encode_proposal(zg_buf_t *out, const uint8_t *block, size_t block_len, const uint8_t *qc,
                                 size_t qc_len, const uint8_t *tc, size_t tc_len, const uint8_t sig[64],
                                 uint32_t chain_id, uint8_t lane) {
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, out);
  zg__bft_put_hdr(&w, ZG_BFT_MSG_PROPOSAL, chain_id, lane);
  zg_codec_put_bytes(&w, block, block_len);
  zg_codec_put_bytes(&w, qc, qc_len);
  zg_codec_put_option(&w, tc_len > 0);
  if (tc_len > 0) zg_codec_put_bytes(&w, tc, tc_len);
  zg_codec_put_fixed(&w, sig, 64);
  return zg_codec_writer_finish(&w);
}

zg_err_t zg__bft_encode_timeout(zg_buf_t *out, uint32_t chain_id, uint8_t lane, uint64_t epoch, uint64_t round,
                                uint32_t signer, const uint8_t *qc, size_t qc_len, const uint8_t sig[64],
                                const uint8_t *tc, size_t tc_len) {
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, out);
  zg__bft_put_hdr(&w, ZG_BFT_MSG_TIMEOUT, chain_id, lane);
  zg_codec_put_u64(&w, epoch);
  zg_codec_put_u64(&w, round);
  zg_codec_put_u32(&w, signer);
  zg_codec_put_bytes(&w, qc, qc_len);
  zg_codec_put_fixed(&w, sig, 64);
  zg_codec_put_option(&w, tc_len > 0);
  if (tc_len > 0) zg_codec_put_bytes(&w, tc, tc_len);
  return zg_codec_writer_finish(&w);
}

#define QC_LIMIT ((size_t)ZG_BFT_MAX_VALIDATORS * 64 + 256)
#define TC_LIMIT ((size_t)ZG_BFT_MAX_VALIDATORS * (ZG__BFT_TC_ENTRY_LEN + 64) + 512)

/* Reads a nested QC into m->qc / m->qc_bytes. */
static void get_msg_qc(zg_codec_reader_t *r, zg_bft_msg_t *m) {
  zg_codec_reader_t sub;
  if (zg_codec_get_nested(r, &sub, QC_LIMIT) != ZG_OK) return;
  m->qc_bytes = zg_slice(sub.p, sub.len);
  zg_err_t e = zg_bft_qc_decode(&m->qc, sub.p, sub.len);
  if (e != ZG_OK) zg_codec_reader_fail(r, e);
}

static void get_msg_block(zg_codec_reader_t *r, zg_bft_msg_t *m) {
  zg_codec_reader_t sub;
  if (zg_codec_get_nested(r, &sub, ZG_BFT_MAX_PAYLOAD + 256) != ZG_OK) return;
  m->block_bytes = zg_slice(sub.p, sub.len);
  zg_err_t e = zg_bft_block_decode(&m->block, sub.p, sub.len);
  if (e != ZG_OK) zg_codec_reader_fail(r, e);
}

/* Reads an optional TC into m->tc_bytes (empty when absent). */
static void get_msg_tc(zg_codec_reader_t *r, zg_bft_msg_t *m) {
  bool present = false;
  zg_codec_get_option(r, &present);
  if (!present) return;
  zg_codec_get_bytes(r, &m->tc_bytes, TC_LIMIT);
  if (zg_codec_reader_err(r) == ZG_OK && m->tc_bytes.len == 0) zg_codec_reader_fail(r, ZG_EPROTO);
}

zg_err_t zg_bft_msg_decode(zg_bft_msg_t *m, const uint8_t *p, size_t len) {
  if (!m || (!p && len)) return ZG_EINVAL;
  memset(m, 0, sizeof *m);
  zg_codec_reader_t r;
  zg_codec_reader_init(&r, p, len);
  zg_codec_get_u8(&r, &m->type);
  zg_codec_get_u32(&r, &m->chain_id);
  zg_codec_get_u8(&r, &m->lane);
  zg_slice_t s;
  switch (zg_codec_reader_err(&r) == ZG_OK ? m->type : 0) {
  case 0:
    break;
  case ZG_BFT_MSG_PROPOSAL:
    get_msg_block(&r, m);
    get_msg_qc(&r, m);
    get_msg_tc(&r, m);
    zg_codec_get_fixed(&r, m->sig, 64);
    break;
  case ZG_BFT_MSG_VOTE:
    zg_codec_get_fixed_view(&r, &s, ZG_BFT_VOTE_LEN);
    if (zg_codec_reader_err(&r) == ZG_OK && zg_bft_vote_decode(&m->vote, s.ptr, s.len) != ZG_OK)
      zg_codec_reader_fail(&r, ZG_EPROTO);
    break;
  case ZG_BFT_MSG_TIMEOUT:
    zg_codec_get_u64(&r, &m->epoch);
    zg_codec_get_u64(&r, &m->round);
    zg_codec_get_u32(&r, &m->signer);
    get_msg_qc(&r, m);
    zg_codec_get_fixed(&r, m->sig, 64);
    get_msg_tc(&r, m);
    break;
  case ZG_BFT_MSG_BLOCK_REQ:
    zg_codec_get_fixed(&r, m->block_id, 32);
    break;
  case ZG_BFT_MSG_BLOCK_RESP:
    get_msg_block(&r, m);
    get_msg_qc(&r, m);
    break;
  case ZG_BFT_MSG_COMMIT_REQ:
    zg_codec_get_u64(&r, &m->height);
    break;
  case ZG_BFT_MSG_SYNC_INFO:
    get_msg_qc(&r, m);
    get_msg_tc(&r, m);
    break;
  case ZG_BFT_MSG_COMMIT_RESP:
    zg_codec_get_u64(&r, &m->height);
    get_msg_block(&r, m);
    zg_codec_get_bytes(&r, &m->proof, 64 * 300 + QC_LIMIT);
    break;
  default:
    zg_codec_reader_fail(&r, ZG_EPROTO);
  }
  zg_err_t e = zg_codec_reader_finish(&r);
  if (e != ZG_OK) memset(m, 0, sizeof *m);
  return e;
}

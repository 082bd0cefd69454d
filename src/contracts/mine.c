/*
 * mine.c — the Mine system contract (0G's PoraMine, zg/storage_contracts.h,
 * docs/storage-contracts.md): miner registration and PoRA answer
 * verification with the pure code of zg/pora.h, so the contract checks
 * exactly what the miner computed.
 *
 * submit(answer), in order: registered miner id; Flow's makeContext (a new
 * epoch adjusts the target from the last epoch's submission count); the
 * miner's subtask window; context digest, submission cap, mining range and
 * the seal's epoch range; unseal, leaf-hash the 16 sectors, fold the
 * Merkle proof to the epoch's flow root; recompute the PoRA (pad seed,
 * scratchpad, recall position, quality against the target scaled by
 * shards); anti-replay on the quality; Reward pays the beneficiary; event.
 *
 * Storage (Mine's namespace):
 *   "Np"            params: targetMineBlocks | targetSubmissions | targetSubmissionsNext |
 *                   adjustRatio | maxShards | nSubtasks | subtaskInterval | minDifficulty (u64 each)
 *   "Ns"            lastMinedEpoch u64 | currentSubmissions u64 | poraTarget u256
 *   'N''b' minerId  beneficiary (20)
 *   'N''x' quality  1 (an answer already paid)
 *
 * Invariant: currentSubmissions < 2 × targetSubmissions after every accepted
 * answer of the epoch lastMinedEpoch.
 */
#include <stdlib.h>
#include <string.h>

#include "storage_internal.h"
#include "zg/flow.h"
#include "zg/hash.h"

#define WHO "Mine"

static const uint8_t K_PARAMS[] = "Np", K_STATE[] = "Ns";

enum { NPARAMS = 8, PARAMS_LEN = 8 * NPARAMS, STATE_LEN = 16 + 32 };

typedef struct {
  uint64_t target_mine_blocks, target_subs, target_subs_next, adjust_ratio, max_shards, n_subtasks, interval,
      min_difficulty;
} mparams_t;

typedef struct {
  uint64_t last_epoch, current;
  zg_u256_t target;
} mstate_t;

static zg_err_t params_get(zg_sc_host_t *h, mparams_t *p) {
  uint8_t v[PARAMS_LEN];
  bool found;
  ZG_TRY(zg__sc_get(h, K_PARAMS, 2, v, PARAMS_LEN, &found));
  if (!found) {
    *p = (mparams_t){ZG_STORAGE_DEFAULT_TARGET_MINE_BLOCKS, ZG_STORAGE_DEFAULT_TARGET_SUBMISSIONS,
                     ZG_STORAGE_DEFAULT_TARGET_SUBMISSIONS, ZG_STORAGE_DEFAULT_ADJUST_RATIO,
                     ZG_STORAGE_DEFAULT_MAX_SHARDS, ZG_STORAGE_DEFAULT_N_SUBTASKS,
                     ZG_STORAGE_DEFAULT_SUBTASK_INTERVAL, 0};
    return ZG_OK;
  }
  uint64_t *f[NPARAMS] = {&p->target_mine_blocks, &p->target_subs, &p->target_subs_next, &p->adjust_ratio,
                          &p->max_shards, &p->n_subtasks, &p->interval, &p->min_difficulty};
  for (unsigned i = 0; i < NPARAMS; i++) *f[i] = zg_load_be64(v + 8 * i);
  return ZG_OK;
}

static zg_err_t params_put(zg_sc_host_t *h, const mparams_t *p) {
  uint8_t v[PARAMS_LEN];
  const uint64_t f[NPARAMS] = {p->target_mine_blocks, p->target_subs, p->target_subs_next, p->adjust_ratio,
                               p->max_shards, p->n_subtasks, p->interval, p->min_difficulty};
  for (unsigned i = 0; i < NPARAMS; i++) zg_store_be64(v + 8 * i, f[i]);
  return h->sput(h, K_PARAMS, 2, v, PARAMS_LEN);
}

static zg_err_t state_get(zg_sc_host_t *h, mstate_t *s) {
  uint8_t v[STATE_LEN];
  bool found;
  memset(s, 0, sizeof *s);
  ZG_TRY(zg__sc_get(h, K_STATE, 2, v, STATE_LEN, &found));
  if (!found) {
    zg_pora_target_from_difficulty(&s->target, ZG_STORAGE_DEFAULT_INIT_DIFFICULTY);
    return ZG_OK;
  }
  s->last_epoch = zg_load_be64(v);
  s->current = zg_load_be64(v + 8);
  zg_u256_from_be32(&s->target, v + 16);
  return ZG_OK;
}

static zg_err_t state_put(zg_sc_host_t *h, const mstate_t *s) {
  uint8_t v[STATE_LEN];
  zg_store_be64(v, s->last_epoch);
  zg_store_be64(v + 8, s->current);
  zg_u256_to_be32(v + 16, &s->target);
  return h->sput(h, K_STATE, 2, v, STATE_LEN);
}

static zg_err_t beneficiary_get(zg_sc_host_t *h, const uint8_t id[32], zg_eth_addr_t *b, bool *found) {
  uint8_t k[34];
  k[0] = 'N';
  k[1] = 'b';
  memcpy(k + 2, id, 32);
  return zg__sc_get(h, k, 34, b->bytes, 20, found);
}

static zg_err_t beneficiary_put(zg_sc_host_t *h, const uint8_t id[32], const zg_eth_addr_t *b) {
  uint8_t k[34];
  k[0] = 'N';
  k[1] = 'b';
  memcpy(k + 2, id, 32);
  return h->sput(h, k, 34, b->bytes, 20);
}

/* The epoch bookkeeping for context epoch `epoch` (0G: on the first
 * submission of a new epoch, adjust from the last epoch's count). */
static void epoch_roll(mstate_t *s, mparams_t *p, uint64_t epoch) {
  if (epoch > s->last_epoch && s->last_epoch > 0) {
    zg_pora_adjust_target(&s->target, &s->target, p->target_subs, s->current, p->adjust_ratio, p->min_difficulty);
    s->current = 0;
    p->target_subs = p->target_subs_next;
  }
}

/* ---- submit ---- */

/* Checks the data part of an answer: unseal, leaf hashes, Merkle fold to
 * the epoch's flow root. */
static bool data_ok(const zg_mine_answer_t *a, const zg__mine_ctx_t *ctx) {
  uint8_t data[ZG_PORA_SEAL_BYTES], leaves[ZG_PORA_SEAL_SECTORS][32];
  memcpy(data, a->sealed, sizeof data);
  zg_pora_unseal(data, a->miner_id, a->sealed_context_digest, a->recall_position);
  for (unsigned i = 0; i < ZG_PORA_SEAL_SECTORS; i++)
    zg_flow_leaf_hash(leaves[i], a->recall_position + i, data + 256 * i, 256);
  for (unsigned n = ZG_PORA_SEAL_SECTORS; n > 1; n /= 2)
    for (unsigned i = 0; i < n / 2; i++) zg_keccak256_pair(leaves[i], leaves[2 * i], leaves[2 * i + 1]);
  zg_flow_t f = {.length = ctx->flow_length};
  unsigned hgt = zg_flow_height(&f);
  if (hgt < 4 || a->nproof != hgt - 4) return false;
  return zg_flow_fold_siblings(leaves[0], (const uint8_t(*)[32])a->proof, a->nproof,
                               a->recall_position / ZG_PORA_SEAL_SECTORS, ctx->flow_root);
}

/* Recomputes the PoRA: recall position and quality; sets quality. */
static const char *pora_check(uint8_t pad[ZG_PORA_PAD_BYTES], const zg_mine_answer_t *a, const uint8_t subtask[32],
                              const zg_u256_t *target, uint64_t flow_length, uint8_t quality[32]) {
  uint8_t rd[32], seed[64], recall[32];
  uint64_t pos;
  zg_u256_t scaled;
  zg_pora_range_digest(rd, &a->range);
  zg_pora_pad_seed(seed, a->miner_id, a->nonce, subtask, rd);
  zg_pora_scratchpad(pad, recall, seed);
  if (zg_pora_recall_position(&pos, recall, &a->range) != ZG_OK) return "Recall position out of bound";
  if (pos + a->seal_offset * ZG_PORA_SEAL_SECTORS != a->recall_position) return "Incorrect recall position";
  zg_pora_quality(quality, seed, (uint32_t)a->seal_offset, a->sealed, pad);
  if (zg_pora_scaled_target(&scaled, target, flow_length, zg_pora_num_shards(&a->range)) != ZG_OK)
    return "Do not reach target quality";
  if (!zg_pora_hit(quality, &scaled)) return "Do not reach target quality";
  return NULL;
}

static zg_sc_status_t submit_checked(zg_sc_host_t *h, zg_sc_result_t *res, const zg_mine_answer_t *a,
                                     uint8_t pad[ZG_PORA_PAD_BYTES]) {
  static const uint8_t zero[32];
  zg_eth_addr_t ben;
  bool found;
  mparams_t p;
  mstate_t s;
  zg__mine_ctx_t ctx;
  if (memcmp(a->miner_id, zero, 32) == 0) return zg__sc_revert(res, "MinerId cannot be zero");
  SC_HTRY(beneficiary_get(h, a->miner_id, &ben, &found));
  if (!found) return zg__sc_revert(res, "MinerId does not registered");
  SC_TRY(zg__flow_make_context(h, res, &ctx));
  SC_HTRY(params_get(h, &p));
  SC_HTRY(state_get(h, &s));
  epoch_roll(&s, &p, ctx.epoch);

  uint64_t start;
  uint8_t subtask[32];
  zg_mine_subtask(&start, subtask, ctx.digest, a->miner_id, ctx.mine_start, p.n_subtasks, p.interval, h->chain_id);
  if (h->block_number <= start || h->block_number - start > p.target_mine_blocks)
    return zg__sc_revert(res, "Not in the subtask window");
  if (memcmp(a->context_digest, ctx.digest, 32) != 0) return zg__sc_revert(res, "Inconsistent mining digest");
  if (memcmp(ctx.digest, zg_storage_empty_hash, 32) == 0) return zg__sc_revert(res, "Empty digest can not mine");
  if (s.current >= 2 * p.target_subs) return zg__sc_revert(res, "Epoch has enough submissions");
  bool ok;
  const char *why;
  zg_pora_range_check(&ok, &why, &a->range, ctx.flow_length, p.max_shards);
  if (!ok) return zg__sc_revert(res, "%s", why);
  if (a->seal_offset >= ZG_PORA_SEALS_PER_LOAD || a->recall_position % ZG_PORA_SEAL_SECTORS != 0)
    return zg__sc_revert(res, "Incorrect recall position");
  uint64_t rs, re;
  SC_HTRY(zg__flow_epoch_range(h, a->sealed_context_digest, &rs, &re, &found));
  uint64_t rend = a->recall_position + ZG_PORA_SEAL_SECTORS;
  if (!found || !(rs < rend && rend <= re)) return zg__sc_revert(res, "Invalid sealed context digest");
  if (!data_ok(a, &ctx)) return zg__sc_revert(res, "Inconsistent merkle root");
  uint8_t quality[32];
  if ((why = pora_check(pad, a, subtask, &s.target, ctx.flow_length, quality))) return zg__sc_revert(res, "%s", why);

  uint8_t k[34];
  k[0] = 'N';
  k[1] = 'x';
  memcpy(k + 2, quality, 32);
  uint8_t one = 1, dummy;
  SC_HTRY(zg__sc_get(h, k, 34, &dummy, 1, &found));
  if (found) return zg__sc_revert(res, "Answer already submitted");
  SC_HTRY(h->sput(h, k, 34, &one, 1));

  zg_u256_t paid;
  SC_TRY(zg__reward_claim(h, res, a->recall_position / ZG_PORA_PRICING_SECTORS, &ben, a->miner_id, &paid));
  uint8_t t[2][32];
  memset(t[0], 0, 24);
  zg_store_be64(t[0] + 24, ctx.epoch);
  memcpy(t[1], a->miner_id, 32);
  zg_abi_value_t ev[2] = {zg_abi_u64(s.current), zg_abi_u64(a->recall_position)};
  SC_HTRY(zg__sc_emit(h, ZG_MINE_EVENT_NEW_SUBMISSION, (const uint8_t(*)[32])t, 2, "(uint256,uint256)", ev, 2));
  s.last_epoch = ctx.epoch;
  s.current++;
  SC_HTRY(state_put(h, &s));
  SC_HTRY(params_put(h, &p));
  return zg__sc_ret(res, "()", NULL, 0);
}

static zg_sc_status_t m_submit(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  /* The answer (4.6 KiB) and the scratchpad (16 KiB) live on the heap. */
  zg_mine_answer_t *a = malloc(sizeof *a);
  uint8_t *pad = malloc(ZG_PORA_PAD_BYTES);
  if (!a || !pad) {
    free(a);
    free(pad);
    return zg__sc_fail(res, ZG_ENOMEM);
  }
  zg_err_t e = zg_mine_answer_decode(a, args, len);
  zg_sc_status_t r;
  if (e == ZG_ENOMEM) r = zg__sc_fail(res, e);
  else if (e != ZG_OK) r = zg__sc_revert(res, WHO ": malformed answer (%s)", zg_errname(e));
  else r = submit_checked(h, res, a, pad);
  free(pad);
  free(a);
  return r;
}

/* ---- registration ---- */

static zg_sc_status_t m_request_id(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  zg_eth_addr_t ben, old;
  uint64_t seed = 0;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(address,uint64)", args, len, &it);
  if (r == ZG_SC_OK && (zg_abi_get_address(ben.bytes, &it[0]) != ZG_OK || zg_abi_get_u64(&seed, &it[1]) != ZG_OK))
    r = zg__sc_revert(res, WHO ": malformed arguments");
  zg_abi_arena_clear(&a);
  SC_TRY(r);
  uint8_t bd[32], id[32];
  bool found;
  zg_storage_block_digest(bd, h->chain_id, h->block_number ? h->block_number - 1 : 0);
  zg_mine_miner_id(id, bd, &h->caller, seed);
  SC_HTRY(beneficiary_get(h, id, &old, &found));
  if (found) return zg__sc_revert(res, "MinerId has registered");
  SC_HTRY(beneficiary_put(h, id, &ben));
  uint8_t t[2][32];
  memcpy(t[0], id, 32);
  zg__addr_topic(t[1], &ben);
  SC_HTRY(zg__sc_emit(h, ZG_MINE_EVENT_NEW_MINER_ID, (const uint8_t(*)[32])t, 2, NULL, NULL, 0));
  zg_abi_value_t rv = zg_abi_fbytes(id, 32);
  return zg__sc_ret(res, "(bytes32)", &rv, 1);
}

static zg_sc_status_t m_transfer_beneficial(zg_sc_host_t *h, const uint8_t *args, size_t len,
                                            zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  zg_eth_addr_t to, cur;
  uint8_t id[32];
  bool found;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(address,bytes32)", args, len, &it);
  if (r == ZG_SC_OK && (zg_abi_get_address(to.bytes, &it[0]) != ZG_OK || zg_abi_get_word(id, &it[1]) != ZG_OK))
    r = zg__sc_revert(res, WHO ": malformed arguments");
  zg_abi_arena_clear(&a);
  SC_TRY(r);
  SC_HTRY(beneficiary_get(h, id, &cur, &found));
  if (!found || memcmp(cur.bytes, h->caller.bytes, 20) != 0) return zg__sc_revert(res, "Sender does not own minerId");
  SC_HTRY(beneficiary_put(h, id, &to));
  uint8_t t[3][32];
  memcpy(t[0], id, 32);
  zg__addr_topic(t[1], &h->caller);
  zg__addr_topic(t[2], &to);
  SC_HTRY(zg__sc_emit(h, "UpdateMinerId(bytes32,address,address)", (const uint8_t(*)[32])t, 3, NULL, NULL, 0));
  return zg__sc_ret(res, "()", NULL, 0);
}

/* ---- views ---- */

static zg_sc_status_t m_beneficiaries(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  uint8_t id[32];
  zg_eth_addr_t b;
  bool found = false;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(bytes32)", args, len, &it);
  if (r == ZG_SC_OK && zg_abi_get_word(id, &it[0]) != ZG_OK) r = zg__sc_revert(res, WHO ": malformed arguments");
  zg_abi_arena_clear(&a);
  SC_TRY(r);
  SC_HTRY(beneficiary_get(h, id, &b, &found));
  if (!found) memset(b.bytes, 0, 20);
  zg_abi_value_t v = zg_abi_address(b.bytes);
  return zg__sc_ret(res, "(address)", &v, 1);
}

/* The worker context as a submission in this block would see it. */
static zg_sc_status_t m_worker_context(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  uint8_t id[32], subtask[32];
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(bytes32)", args, len, &it);
  if (r == ZG_SC_OK && zg_abi_get_word(id, &it[0]) != ZG_OK) r = zg__sc_revert(res, WHO ": malformed arguments");
  zg_abi_arena_clear(&a);
  SC_TRY(r);
  zg__mine_ctx_t c;
  mparams_t p;
  mstate_t s;
  uint64_t start;
  SC_HTRY(zg__flow_peek_context(h, &c));
  SC_HTRY(params_get(h, &p));
  SC_HTRY(state_get(h, &s));
  epoch_roll(&s, &p, c.epoch);
  zg_mine_subtask(&start, subtask, c.digest, id, c.mine_start, p.n_subtasks, p.interval, h->chain_id);
  zg_u256_t target = s.current >= 2 * p.target_subs ? zg_u256_from_u64(0) : s.target;
  zg_abi_value_t cv[6] = {zg_abi_u64(c.epoch),         zg_abi_u64(c.mine_start),
                          zg_abi_fbytes(c.flow_root, 32), zg_abi_u64(c.flow_length),
                          zg_abi_fbytes(c.block_digest, 32), zg_abi_fbytes(c.digest, 32)};
  zg_abi_value_t wv[4] = {zg_abi_tuple(cv, 6), zg__abi_u256(&target), zg_abi_fbytes(subtask, 32),
                          zg_abi_u64(p.max_shards)};
  zg_abi_value_t w = zg_abi_tuple(wv, 4);
  return zg__sc_ret(res, "(" ZG_MINE_WORKER_CONTEXT_TYPE ")", &w, 1);
}

static zg_sc_status_t ret_u64(zg_sc_result_t *res, uint64_t v) {
  zg_abi_value_t x = zg_abi_u64(v);
  return zg__sc_ret(res, "(uint256)", &x, 1);
}

#define VIEW_FN(name) static zg_sc_status_t name(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res)
#define PARAM_VIEW(name, field)          \
  VIEW_FN(name) {                        \
    (void)args, (void)len;               \
    mparams_t p;                         \
    SC_HTRY(params_get(h, &p));          \
    return ret_u64(res, p.field);        \
  }

PARAM_VIEW(m_target_mine_blocks, target_mine_blocks)
PARAM_VIEW(m_target_submissions, target_subs)
PARAM_VIEW(m_max_shards, max_shards)
PARAM_VIEW(m_n_subtasks, n_subtasks)
PARAM_VIEW(m_subtask_interval, interval)
PARAM_VIEW(m_adjust_ratio, adjust_ratio)

VIEW_FN(m_pora_target) {
  (void)args, (void)len;
  mstate_t s;
  SC_HTRY(state_get(h, &s));
  zg_abi_value_t v = zg__abi_u256(&s.target);
  return zg__sc_ret(res, "(uint256)", &v, 1);
}

VIEW_FN(m_current_submissions) {
  (void)args, (void)len;
  mstate_t s;
  SC_HTRY(state_get(h, &s));
  return ret_u64(res, s.current);
}

VIEW_FN(m_last_mined_epoch) {
  (void)args, (void)len;
  mstate_t s;
  SC_HTRY(state_get(h, &s));
  return ret_u64(res, s.last_epoch);
}

VIEW_FN(m_flow) {
  (void)h, (void)args, (void)len;
  zg_abi_value_t v = zg_abi_address(zg_flow_address.bytes);
  return zg__sc_ret(res, "(address)", &v, 1);
}

VIEW_FN(m_reward) {
  (void)h, (void)args, (void)len;
  zg_abi_value_t v = zg_abi_address(zg_reward_address.bytes);
  return zg__sc_ret(res, "(address)", &v, 1);
}

/* ---- genesis ---- */

static zg_sc_status_t mine_genesis(zg_sc_host_t *h, const void *genesis_json, zg_sc_result_t *res) {
  mparams_t p;
  mstate_t s;
  bool ok = true;
  uint64_t diff = ZG_STORAGE_DEFAULT_INIT_DIFFICULTY;
  SC_HTRY(params_get(h, &p));
  SC_HTRY(state_get(h, &s));
  zg__json_u64(&p.target_mine_blocks, &ok, genesis_json, "targetMineBlocks");
  zg__json_u64(&p.target_subs, &ok, genesis_json, "targetSubmissions");
  zg__json_u64(&p.adjust_ratio, &ok, genesis_json, "difficultyAdjustRatio");
  zg__json_u64(&p.max_shards, &ok, genesis_json, "maxShards");
  zg__json_u64(&p.n_subtasks, &ok, genesis_json, "nSubtasks");
  zg__json_u64(&p.interval, &ok, genesis_json, "subtaskInterval");
  zg__json_u64(&p.min_difficulty, &ok, genesis_json, "minDifficulty");
  zg__json_u64(&diff, &ok, genesis_json, "initDifficulty");
  p.target_subs_next = p.target_subs;
  if (!ok || diff == 0 || p.target_subs == 0 || p.adjust_ratio == 0 || p.n_subtasks == 0 || p.max_shards == 0 ||
      (p.max_shards & (p.max_shards - 1)) != 0 || p.target_subs > UINT64_MAX / 2)
    return zg__sc_revert(res, "Mine genesis: storage mining parameters malformed (initDifficulty, targetSubmissions, "
                              "difficultyAdjustRatio, nSubtasks > 0; maxShards a power of 2)");
  zg_pora_target_from_difficulty(&s.target, diff);
  SC_HTRY(params_put(h, &p));
  SC_HTRY(state_put(h, &s));
  return zg__sc_ret(res, "()", NULL, 0);
}

static const zg_sc_method_t mine_methods[] = {
    {ZG_MINE_SIG_SUBMIT, 0, 400000, m_submit},
    {ZG_MINE_SIG_REQUEST_MINER_ID, 0, 30000, m_request_id},
    {"transferBeneficial(address,bytes32)", 0, 20000, m_transfer_beneficial},
    {"beneficiaries(bytes32)", ZG_SC_VIEW, 2000, m_beneficiaries},
    {ZG_MINE_SIG_WORKER_CONTEXT, ZG_SC_VIEW, 20000, m_worker_context},
    {"poraTarget()", ZG_SC_VIEW, 1000, m_pora_target},
    {"currentSubmissions()", ZG_SC_VIEW, 1000, m_current_submissions},
    {"lastMinedEpoch()", ZG_SC_VIEW, 1000, m_last_mined_epoch},
    {"targetMineBlocks()", ZG_SC_VIEW, 1000, m_target_mine_blocks},
    {"targetSubmissions()", ZG_SC_VIEW, 1000, m_target_submissions},
    {"difficultyAdjustRatio()", ZG_SC_VIEW, 1000, m_adjust_ratio},
    {"maxShards()", ZG_SC_VIEW, 1000, m_max_shards},
    {"nSubtasks()", ZG_SC_VIEW, 1000, m_n_subtasks},
    {"subtaskInterval()", ZG_SC_VIEW, 1000, m_subtask_interval},
    {"flow()", ZG_SC_VIEW, 1000, m_flow},
    {"reward()", ZG_SC_VIEW, 1000, m_reward},
};

const zg_sc_contract_t zg_mine_contract = {
    .name = "Mine",
    .address = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x04}},
    .lane = ZG_STORAGE_CONTRACTS_LANE,
    .methods = mine_methods,
    .n_methods = sizeof mine_methods / sizeof mine_methods[0],
    .genesis = mine_genesis,
};

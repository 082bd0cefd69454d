/*
 * reward.c — the Reward system contract (0G's ChunkLinearReward,
 * zg/storage_contracts.h): storage fees are booked per 8 GiB pricing chunk
 * (2^25 sectors) and released linearly over releaseSeconds from the moment
 * the chunk is completely filled; each valid PoRA answer hitting a chunk
 * moves what has been released so far into the chunk's claimable amount and
 * pays half of the claimable to the miner's beneficiary, plus baseReward
 * from the pool (any value Reward holds beyond its books: genesis alloc,
 * donate(), plain transfers).
 *
 * Storage (Reward's namespace):
 *   "Rp"            releaseMs u64 | baseReward u256 | serviceFeeRateBps u64 | treasury (20)
 *   'R''c' chunk    total u256 | released u256 | claimable u256 | distributed u256 | startMs u64
 *   "Ro"            owed u256: Σ (total - distributed) over all chunks
 *
 * Invariants: released <= total; claimable + distributed == released;
 * Reward's balance >= owed (every booked wei arrived with a submission).
 * Fills larger than MAX_FILL_CHUNKS chunks (256 TiB) revert.
 */
#include <string.h>

#include "storage_internal.h"

#define WHO "Reward"

static const uint8_t K_PARAMS[] = "Rp", K_OWED[] = "Ro";

enum { PARAMS_LEN = 8 + 32 + 8 + 20, CHUNK_LEN = 4 * 32 + 8, MAX_FILL_CHUNKS = 1u << 15 };

typedef struct {
  uint64_t release_ms;
  zg_u256_t base_reward;
  uint64_t fee_bps;
  zg_eth_addr_t treasury;
} rparams_t;

typedef struct {
  zg_u256_t total, released, claimable, distributed;
  uint64_t start_ms;
} chunk_t;

static zg_err_t params_get(zg_sc_host_t *h, rparams_t *p) {
  uint8_t v[PARAMS_LEN];
  bool found;
  memset(p, 0, sizeof *p);
  ZG_TRY(zg__sc_get(h, K_PARAMS, 2, v, PARAMS_LEN, &found));
  if (!found) {
    p->release_ms = ZG_STORAGE_DEFAULT_RELEASE_SECONDS * 1000;
    return ZG_OK;
  }
  p->release_ms = zg_load_be64(v);
  zg_u256_from_be32(&p->base_reward, v + 8);
  p->fee_bps = zg_load_be64(v + 40);
  memcpy(p->treasury.bytes, v + 48, 20);
  if (p->release_ms == 0) p->release_ms = 1;
  return ZG_OK;
}

static size_t chunk_key(uint8_t k[10], uint64_t i) {
  k[0] = 'R';
  k[1] = 'c';
  zg_store_be64(k + 2, i);
  return 10;
}

static zg_err_t chunk_get(zg_sc_host_t *h, uint64_t i, chunk_t *c) {
  uint8_t k[10], v[CHUNK_LEN];
  bool found;
  memset(c, 0, sizeof *c);
  ZG_TRY(zg__sc_get(h, k, chunk_key(k, i), v, CHUNK_LEN, &found));
  if (!found) return ZG_OK;
  zg_u256_from_be32(&c->total, v);
  zg_u256_from_be32(&c->released, v + 32);
  zg_u256_from_be32(&c->claimable, v + 64);
  zg_u256_from_be32(&c->distributed, v + 96);
  c->start_ms = zg_load_be64(v + 128);
  return ZG_OK;
}

static zg_err_t chunk_put(zg_sc_host_t *h, uint64_t i, const chunk_t *c) {
  uint8_t k[10], v[CHUNK_LEN];
  zg_u256_to_be32(v, &c->total);
  zg_u256_to_be32(v + 32, &c->released);
  zg_u256_to_be32(v + 64, &c->claimable);
  zg_u256_to_be32(v + 96, &c->distributed);
  zg_store_be64(v + 128, c->start_ms);
  return h->sput(h, k, chunk_key(k, i), v, CHUNK_LEN);
}

/* a × num / den for num <= den (no overflow: a = q·den + r). */
static zg_u256_t mul_frac(const zg_u256_t *a, uint64_t num, uint64_t den) {
  zg_u256_t q, t, out;
  uint64_t r;
  zg_u256_divmod_u64(&q, &r, a, den);
  (void)zg_u256_mul_u64(&out, &q, num);
  t = zg_u256_from_u64(r);
  (void)zg_u256_mul_u64(&t, &t, num);
  zg_u256_divmod_u64(&t, NULL, &t, den);
  (void)zg_u256_add(&out, &out, &t);
  return out;
}

static zg_err_t owed_add(zg_sc_host_t *h, const zg_u256_t *d, bool sub) {
  zg_u256_t o;
  ZG_TRY(zg__sc_get_u256(h, K_OWED, 2, &o));
  if (!(sub ? zg_u256_sub(&o, &o, d) : zg_u256_add(&o, &o, d))) return ZG_ECORRUPT;
  return zg__sc_put_u256(h, K_OWED, 2, &o);
}

static zg_sc_status_t fill_inner(zg_sc_host_t *h, zg_sc_result_t *res, uint64_t before, uint64_t sectors,
                                 const zg_u256_t *amount) {
  rparams_t p;
  zg_u256_t rem = *amount;
  SC_HTRY(params_get(h, &p));
  if (sectors == 0) return ZG_SC_OK;
  uint64_t end = before + sectors;
  if (end < before) return zg__sc_revert(res, WHO ": length overflows");
  uint64_t c0 = before / ZG_PORA_PRICING_SECTORS, c1 = (end - 1) / ZG_PORA_PRICING_SECTORS;
  if (c1 - c0 >= MAX_FILL_CHUNKS) return zg__sc_revert(res, WHO ": submission spans too many pricing chunks");
  if (p.fee_bps) {
    zg_u256_t fee = mul_frac(amount, p.fee_bps > 10000 ? 10000 : p.fee_bps, 10000);
    if (!zg_u256_is_zero(&fee)) {
      SC_HTRY(h->transfer(h, &p.treasury, &fee));
      (void)zg_u256_sub(&rem, &rem, &fee);
    }
  }
  zg_u256_t left = rem;
  SC_HTRY(owed_add(h, &rem, false));
  for (uint64_t c = c0; c <= c1; c++) {
    uint64_t cs = c * ZG_PORA_PRICING_SECTORS, ce = cs + ZG_PORA_PRICING_SECTORS;
    uint64_t lo = before > cs ? before : cs, hi = end < ce ? end : ce;
    zg_u256_t share = c == c1 ? left : mul_frac(&rem, hi - lo, sectors);
    (void)zg_u256_sub(&left, &left, &share);
    chunk_t ch;
    SC_HTRY(chunk_get(h, c, &ch));
    if (!zg_u256_add(&ch.total, &ch.total, &share)) return zg__sc_revert(res, WHO ": reward overflows");
    /* A chunk starts releasing once the flow has filled it completely. */
    if (end >= ce && ch.start_ms == 0) ch.start_ms = h->timestamp_ms ? h->timestamp_ms : 1;
    SC_HTRY(chunk_put(h, c, &ch));
  }
  return ZG_SC_OK;
}

zg_sc_status_t zg__reward_fill(zg_sc_host_t *h, zg_sc_result_t *res, uint64_t before, uint64_t sectors,
                               const zg_u256_t *amount) {
  zg_sc_status_t r;
  SC_AS(h, zg_reward_address, r = fill_inner(h, res, before, sectors, amount));
  return r;
}

static zg_sc_status_t claim_inner(zg_sc_host_t *h, zg_sc_result_t *res, uint64_t chunk,
                                  const zg_eth_addr_t *beneficiary, const uint8_t miner_id[32], zg_u256_t *paid) {
  rparams_t p;
  chunk_t ch;
  zg_u256_t payout = zg_u256_from_u64(0), base = zg_u256_from_u64(0), owed, bal;
  *paid = payout;
  SC_HTRY(params_get(h, &p));
  SC_HTRY(chunk_get(h, chunk, &ch));
  if (ch.start_ms) {
    uint64_t now = h->timestamp_ms > ch.start_ms ? h->timestamp_ms : ch.start_ms;
    uint64_t el = now - ch.start_ms > p.release_ms ? p.release_ms : now - ch.start_ms;
    zg_u256_t rel = mul_frac(&ch.total, el, p.release_ms), delta;
    if (zg_u256_cmp(&rel, &ch.released) > 0) {
      (void)zg_u256_sub(&delta, &rel, &ch.released);
      (void)zg_u256_add(&ch.claimable, &ch.claimable, &delta);
      ch.released = rel;
    }
    zg_u256_divmod_u64(&payout, NULL, &ch.claimable, 2);
    (void)zg_u256_sub(&ch.claimable, &ch.claimable, &payout);
    (void)zg_u256_add(&ch.distributed, &ch.distributed, &payout);
    SC_HTRY(chunk_put(h, chunk, &ch));
    SC_HTRY(owed_add(h, &payout, true));
  }
  /* Base reward from the pool: whatever Reward holds beyond its books. */
  SC_HTRY(zg__sc_get_u256(h, K_OWED, 2, &owed));
  SC_HTRY(h->balance(h, &h->self, &bal));
  zg_u256_t pool;
  if (zg_u256_sub(&pool, &bal, &owed) && zg_u256_sub(&pool, &pool, &payout)) {
    base = zg_u256_cmp(&p.base_reward, &pool) <= 0 ? p.base_reward : pool;
  }
  zg_u256_t total;
  (void)zg_u256_add(&total, &payout, &base);
  if (!zg_u256_is_zero(&total)) SC_HTRY(h->transfer(h, beneficiary, &total));
  uint8_t t[3][32];
  memset(t[0], 0, 24);
  zg_store_be64(t[0] + 24, chunk);
  zg__addr_topic(t[1], beneficiary);
  memcpy(t[2], miner_id, 32);
  zg_abi_value_t ev = zg__abi_u256(&total);
  SC_HTRY(zg__sc_emit(h, "DistributeReward(uint256,address,bytes32,uint256)", (const uint8_t(*)[32])t, 3,
                      "(uint256)", &ev, 1));
  *paid = total;
  return ZG_SC_OK;
}

zg_sc_status_t zg__reward_claim(zg_sc_host_t *h, zg_sc_result_t *res, uint64_t chunk,
                                const zg_eth_addr_t *beneficiary, const uint8_t miner_id[32], zg_u256_t *paid) {
  zg_sc_status_t r;
  SC_AS(h, zg_reward_address, r = claim_inner(h, res, chunk, beneficiary, miner_id, paid));
  return r;
}

/* ---- methods ---- */

static zg_sc_status_t m_rewards(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  zg_abi_arena_t a;
  const zg_abi_value_t *it;
  uint64_t i = 0;
  chunk_t ch;
  zg_abi_arena_init(&a);
  zg_sc_status_t r = zg__sc_args(res, &a, WHO, "(uint256)", args, len, &it);
  bool fits = r == ZG_SC_OK && zg__abi_u64(&i, &it[0]);
  zg_abi_arena_clear(&a);
  SC_TRY(r);
  memset(&ch, 0, sizeof ch);
  if (fits) SC_HTRY(chunk_get(h, i, &ch));
  zg_u256_t locked;
  (void)zg_u256_sub(&locked, &ch.total, &ch.released);
  zg_abi_value_t v[4] = {zg__abi_u256(&locked), zg__abi_u256(&ch.claimable), zg__abi_u256(&ch.distributed),
                         zg_abi_u64(ch.start_ms / 1000)};
  return zg__sc_ret(res, "(uint256,uint256,uint256,uint256)", v, 4);
}

static zg_sc_status_t m_base_reward(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  (void)args, (void)len;
  rparams_t p;
  SC_HTRY(params_get(h, &p));
  zg_abi_value_t v = zg__abi_u256(&p.base_reward);
  return zg__sc_ret(res, "(uint256)", &v, 1);
}

static zg_sc_status_t m_release_seconds(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  (void)args, (void)len;
  rparams_t p;
  SC_HTRY(params_get(h, &p));
  zg_abi_value_t v = zg_abi_u64(p.release_ms / 1000);
  return zg__sc_ret(res, "(uint256)", &v, 1);
}

static zg_sc_status_t m_donate(zg_sc_host_t *h, const uint8_t *args, size_t len, zg_sc_result_t *res) {
  (void)h, (void)args, (void)len;
  return zg__sc_ret(res, "()", NULL, 0); /* the value is already in the pool */
}

static zg_sc_status_t reward_genesis(zg_sc_host_t *h, const void *genesis_json, zg_sc_result_t *res) {
  rparams_t p;
  uint64_t rel_s = ZG_STORAGE_DEFAULT_RELEASE_SECONDS;
  bool ok = true;
  memset(&p, 0, sizeof p);
  zg__json_u64(&rel_s, &ok, genesis_json, "releaseSeconds");
  zg__json_u256(&p.base_reward, &ok, genesis_json, "baseReward");
  zg__json_u64(&p.fee_bps, &ok, genesis_json, "serviceFeeRateBps");
  const json_t *st = genesis_json && json_is_object((const json_t *)genesis_json)
                         ? json_object_get(genesis_json, "storage")
                         : NULL;
  const json_t *tr = json_object_get(st, "treasury");
  if (tr && (!json_is_string(tr) || zg_eth_address_parse(&p.treasury, json_string_value(tr),
                                                         json_string_length(tr)) != ZG_OK))
    ok = false;
  if (!ok || rel_s == 0 || rel_s > UINT64_MAX / 1000 || p.fee_bps > 10000)
    return zg__sc_revert(res, "Reward genesis: storage.releaseSeconds / baseReward / serviceFeeRateBps / "
                              "treasury malformed");
  if (p.fee_bps && !tr) return zg__sc_revert(res, "Reward genesis: serviceFeeRateBps needs a treasury");
  uint8_t v[PARAMS_LEN];
  zg_store_be64(v, rel_s * 1000);
  zg_u256_to_be32(v + 8, &p.base_reward);
  zg_store_be64(v + 40, p.fee_bps);
  memcpy(v + 48, p.treasury.bytes, 20);
  SC_HTRY(h->sput(h, K_PARAMS, 2, v, PARAMS_LEN));
  return zg__sc_ret(res, "()", NULL, 0);
}

static const zg_sc_method_t reward_methods[] = {
    {"rewards(uint256)", ZG_SC_VIEW, 3000, m_rewards},
    {"baseReward()", ZG_SC_VIEW, 1000, m_base_reward},
    {"releaseSeconds()", ZG_SC_VIEW, 1000, m_release_seconds},
    {"donate()", ZG_SC_PAYABLE, 5000, m_donate},
};

const zg_sc_contract_t zg_reward_contract = {
    .name = "Reward",
    .address = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x03}},
    .lane = ZG_STORAGE_CONTRACTS_LANE,
    .methods = reward_methods,
    .n_methods = sizeof reward_methods / sizeof reward_methods[0],
    .genesis = reward_genesis,
};

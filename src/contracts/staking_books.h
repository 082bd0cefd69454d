/*
 * staking_books.h — the invariants of Staking's books, checked from the raw
 * storage of an in-memory host (sc_memhost.h) by the tests and the fuzz
 * target. Internal, header-only; it knows the storage layout of staking.c
 * (docs/staking.md, "Storage layout").
 */
#ifndef ZG_STAKING_BOOKS_H
#define ZG_STAKING_BOOKS_H

#include "contracts/sc_memhost.h"
#include "zg/staking.h"

/* Sums the u256 values of the 41-byte 'D' keys of validator op. */
static inline zg_u256_t staking_books_deleg_sum(const mh_world_t *w, const uint8_t op[20]) {
  zg_u256_t s = zg_u256_from_u64(0), d;
  for (size_t j = 0; j < w->n; j++)
    if (w->kv[j].k[0] == 'D' && w->kv[j].kl == 41 && w->kv[j].vl == 32 && memcmp(w->kv[j].k + 1, op, 20) == 0) {
      zg_u256_from_be32(&d, w->kv[j].v);
      (void)zg_u256_add(&s, &s, &d);
    }
  return s;
}

/* NULL when the books balance, else which invariant fails: every
 * validator's total is the sum of its delegations, "t" the sum of all
 * delegations, the 'A' sums match the 'U' entries, and Staking's balance
 * covers bonded + unbonding + withdrawable. */
static inline const char *staking_books_check(mh_world_t *w) {
  const zg_eth_addr_t self = {ZG_STAKING_ADDRESS_BYTES};
  zg_u256_t bonded = zg_u256_from_u64(0), unb = bonded, wd = bonded, t = bonded, asum = bonded, v;
  for (size_t i = 0; i < w->n; i++) {
    const mh_kv_t *x = &w->kv[i];
    if (x->k[0] == 'D' && x->vl == 32) {
      zg_u256_from_be32(&v, x->v);
      (void)zg_u256_add(&bonded, &bonded, &v);
    } else if (x->k[0] == 'U' && x->vl == 40) {
      zg_u256_from_be32(&v, x->v + 8);
      (void)zg_u256_add(&unb, &unb, &v);
    } else if (x->k[0] == 'W' && x->vl == 32) {
      zg_u256_from_be32(&v, x->v);
      (void)zg_u256_add(&wd, &wd, &v);
    } else if (x->k[0] == 'A' && x->vl == 32) {
      zg_u256_from_be32(&v, x->v);
      (void)zg_u256_add(&asum, &asum, &v);
    } else if (x->k[0] == 't' && x->kl == 1 && x->vl == 32) {
      zg_u256_from_be32(&t, x->v);
    } else if (x->k[0] == 'V' && x->kl == 21) {
      zg_u256_t tot, s = staking_books_deleg_sum(w, x->k + 1);
      zg_u256_from_be32(&tot, x->v + 91); /* the record's totalStake */
      if (zg_u256_cmp(&tot, &s) != 0) return "a validator's total is not the sum of its delegations";
    }
  }
  if (zg_u256_cmp(&t, &bonded) != 0) return "the bonded total is not the sum of the delegations";
  if (zg_u256_cmp(&asum, &unb) != 0) return "the unbonding sums do not match the entries";
  zg_u256_t need = bonded, bal = *mh_acct(w, &self);
  (void)zg_u256_add(&need, &need, &unb);
  (void)zg_u256_add(&need, &need, &wd);
  if (zg_u256_cmp(&bal, &need) < 0) return "Staking's balance does not cover its books";
  return NULL;
}

#endif

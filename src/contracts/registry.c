/*
 * registry.c — the system contracts compiled into this build
 * (zg_contracts_register_all, declared in zg/syscontract.h). Each contract
 * lives in its own src/contracts/<name>.c and exports its descriptor; adding
 * one is a line here. Registration order is part of consensus only through
 * the genesis hooks, which run in this order: keep it stable (append).
 */
#include "zg/da_contracts.h"
#include "zg/staking.h"
#include "zg/storage_contracts.h"
#include "zg/syscontract.h"

zg_err_t zg_contracts_register_all(zg_sc_registry_t *r) {
  if (!r) return ZG_EINVAL;
  ZG_TRY(zg_sc_register(r, &zg_staking_contract));
  ZG_TRY(zg_sc_register(r, &zg_flow_contract));
  ZG_TRY(zg_sc_register(r, &zg_market_contract));
  ZG_TRY(zg_sc_register(r, &zg_reward_contract));
  ZG_TRY(zg_sc_register(r, &zg_mine_contract));
  ZG_TRY(zg_sc_register(r, &zg_dasigners_contract));
  ZG_TRY(zg_sc_register(r, &zg_daentrance_contract));
  return ZG_OK;
}

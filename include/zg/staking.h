/*
 * zg/staking.h — the Staking system contract (src/contracts/staking.c):
 * validators, delegation, unbonding, per-epoch validator sets and slashing
 * of double-signers. docs/staking.md is the full description (storage
 * layout, economics, selectors); docs/chain.md says where it fits.
 *
 * Staking lives at ZG_STAKING_ADDRESS on lane 0 and is called with Solidity
 * ABI calldata through zg/syscontract.h. Its ABI (canonical signatures; an
 * ethers.js human-readable ABI can use them verbatim with "function "/"event "
 * in front and the return types shown here):
 *
 *   registerValidator(bytes32 consensusKey, bytes blsPubkey, bytes blsPop, uint16 commissionBps) payable
 *   delegate(address validator) payable
 *   undelegate(address validator, uint256 amount)
 *   withdraw() returns (uint256 paid)
 *   setCommission(uint16 commissionBps)
 *   submitEquivocation(bytes voteA, bytes voteB)
 *   getValidator(address operator) view returns (bytes32 consensusKey, bytes blsPubkey, uint16 commissionBps,
 *       uint256 selfStake, uint256 totalStake, bool jailed, uint256 slashedTotal)
 *   getDelegation(address delegator, address validator) view returns (uint256)
 *   validatorSet(uint64 epoch) view returns (address[] operators, bytes32[] consensusKeys, uint256[] powers)
 *   currentEpoch() view returns (uint64)
 *   totalStaked() view returns (uint256)
 *   pendingUnbonding(address delegator) view returns (uint256 unbonding, uint256 withdrawable)
 *   params() view returns (uint64 unbondingEpochs, uint256 minSelfBond, uint16 slashBps, uint16 reporterBps)
 *
 *   event ValidatorRegistered(address indexed operator, bytes32 indexed consensusKey, uint256 selfStake,
 *       uint16 commissionBps)
 *   event Delegated(address indexed delegator, address indexed validator, uint256 amount)
 *   event Undelegated(address indexed delegator, address indexed validator, uint256 amount, uint64 maturesAtEpoch)
 *   event Withdrawn(address indexed delegator, uint256 amount)
 *   event CommissionChanged(address indexed operator, uint16 oldBps, uint16 newBps)
 *   event Slashed(address indexed operator, address indexed reporter, uint256 amount, uint256 reward,
 *       uint64 epoch)
 *
 * Invariants (checked by the tests after every step): the contract's balance
 * is at least the bonded total + every unbonding entry + every matured,
 * not-yet-withdrawn amount; a validator's total stake is the sum of its
 * delegations (the self-bond is the operator's delegation to itself).
 *
 * Determinism: every method and the epoch API read and write only the
 * contract's storage through the host, iterate in key order, and use
 * integer arithmetic, so every node computes the same result.
 */
#ifndef ZG_STAKING_H
#define ZG_STAKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/ecdsa.h"
#include "zg/err.h"
#include "zg/syscontract.h"
#include "zg/u256.h"

/* 0x0000000000000000000000000000000000001001, on lane 0. */
#define ZG_STAKING_ADDRESS_BYTES {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x01}
#define ZG_STAKING_ADDRESS_TEXT "0x0000000000000000000000000000000000001001"
#define ZG_STAKING_LANE 0u

/* Defaults of the genesis parameters (genesis.json keys in parentheses). */
#define ZG_STAKING_DEFAULT_UNBONDING_EPOCHS 2u            /* "unbondingEpochs" */
#define ZG_STAKING_DEFAULT_MIN_SELF_BOND "1000000000000000000" /* "minSelfBond": 1 ZG, in wei */
#define ZG_STAKING_DEFAULT_MAX_VALIDATORS 64u             /* "maxValidators" */

/* Fixed rules. */
#define ZG_STAKING_MAX_COMMISSION_BPS 10000u /* 100% */
#define ZG_STAKING_MAX_COMMISSION_STEP_BPS 500u /* per setCommission, at most once per epoch */
#define ZG_STAKING_SLASH_BPS 500u            /* 5% of the validator's stake per equivocation */
#define ZG_STAKING_REPORTER_BPS 1000u        /* 10% of the slashed amount goes to the submitter */
#define ZG_STAKING_MAX_VALIDATORS_LIMIT 256u /* most members a snapshot may hold (ZG_BFT_MAX_VALIDATORS) */
/* Power of a member: its stake in gwei (stake / 10^9), saturating at
 * ZG_STAKING_POWER_MAX (2^48, as zg/validator.h's zg_valset_member_t); a u64
 * voting weight for the consensus engine whose sum over 256 members cannot
 * overflow. */
#define ZG_STAKING_POWER_UNIT 1000000000ull
#define ZG_STAKING_POWER_MAX (1ull << 48)

/* The Staking contract descriptor (address, lane, methods, genesis hook), as
 * zg_contracts_register_all registers it. */
extern const zg_sc_contract_t zg_staking_contract;
/* Its address as a value. */
extern const zg_eth_addr_t zg_staking_address;

/* One member of an epoch's validator set. */
typedef struct {
  zg_eth_addr_t operator_addr; /* the validator's operator account */
  uint8_t consensus_key[32];   /* Ed25519 node key: transport identity and vote key */
  uint8_t bls_pubkey[48];      /* BLS12-381 G1 key, compressed, proven by PoP at registration */
  zg_u256_t stake;             /* bonded stake in wei at the snapshot */
  uint64_t power;              /* stake / ZG_STAKING_POWER_UNIT, saturating at ZG_STAKING_POWER_MAX */
} zg_staking_member_t;

/* An epoch's validator set: members sorted by stake, highest first, ties by
 * operator address ascending (the index of a member is its index in the
 * set). Owned by the caller: zg_staking_set_clear frees members. */
typedef struct {
  uint64_t epoch;
  size_t n;
  zg_staking_member_t *members; /* heap array of n (NULL when n == 0) */
  zg_u256_t total_stake;
  uint64_t total_power; /* sum of powers */
} zg_staking_set_t;

void zg_staking_set_init(zg_staking_set_t *s);
void zg_staking_set_clear(zg_staking_set_t *s);

/* Ends the current epoch: moves every unbonding entry maturing at or before
 * next_epoch to its delegator's withdrawable amount, snapshots the set of
 * next_epoch (the top max_validators non-jailed validators with a self-bond
 * of at least the minimum and a power of at least 1, by total stake, ties by
 * address) and makes
 * next_epoch the current epoch. host->self must be the Staking address; the
 * validator role calls it inside lane 0's last block of each epoch (after
 * the block's transactions), so its writes are in that block's write set.
 * ZG_EEPOCH when next_epoch is not the current epoch + 1, ZG_EINVAL when
 * max_validators is 0 or above ZG_STAKING_MAX_VALIDATORS_LIMIT or host->self
 * is not ZG_STAKING_ADDRESS, host errors
 * otherwise (then the caller must discard the block's writes). */
ZG_WARN_UNUSED zg_err_t zg_staking_end_epoch(zg_sc_host_t *host, uint64_t next_epoch, uint32_t max_validators);

/* Reads the snapshot of epoch into out (initialised here; clear it after).
 * Only host->sget and host->self are used, so a read-only host over the
 * state's latest snapshot (zg_state_storage) is enough. ZG_EEPOCH when no snapshot of that epoch
 * exists (not reached yet), ZG_ECORRUPT on a malformed record, ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_staking_get_set(zg_sc_host_t *host, uint64_t epoch, zg_staking_set_t *out);

/* The current epoch as Staking knows it (0 before any end_epoch). */
ZG_WARN_UNUSED zg_err_t zg_staking_current_epoch(zg_sc_host_t *host, uint64_t *epoch);

/* ---- genesis ---- */

/* One genesis validator (genesis.json "validators" entry). */
typedef struct {
  zg_eth_addr_t operator_addr;
  uint8_t consensus_key[32];
  uint8_t bls_pubkey[48];
  uint8_t bls_pop[96];
  zg_u256_t stake; /* self-bond */
  uint16_t commission_bps;
} zg_staking_genesis_validator_t;

typedef struct {
  uint64_t unbonding_epochs;
  zg_u256_t min_self_bond;
  uint32_t max_validators;
  const zg_staking_genesis_validator_t *validators; /* borrowed for the call */
  size_t n_validators;
} zg_staking_genesis_t;

/* Fills g with the defaults above and no validators. */
void zg_staking_genesis_defaults(zg_staking_genesis_t *g);

/* Initialises the contract's storage: parameters, the genesis validators
 * (each checked like registerValidator: valid keys and PoP, stake at least
 * the minimum, no duplicate operator or key) and the snapshot of epoch 0.
 * The validators' stake must already be in Staking's balance (genesis.json
 * "alloc" funds ZG_STAKING_ADDRESS with at least the sum of the stakes, see
 * docs/staking.md). Reverts (res) with the reason on a bad entry; returns
 * ZG_SC_FAIL on a host error. The contract's genesis hook parses the JSON
 * and calls this. */
zg_sc_status_t zg_staking_genesis_apply(zg_sc_host_t *host, const zg_staking_genesis_t *g, zg_sc_result_t *res);

#endif

/*
 * zg/storage_contracts.h — the storage network's system contracts (issue 7):
 * Flow, Market, Reward and Mine (src/contracts/{flow,market,reward,mine}.c,
 * docs/storage-contracts.md). Their addresses, lanes, ABIs (0G's, so that
 * 0G's SDK and miner talk to them unchanged), genesis parameters, and the C
 * helpers a client, a chain follower or a miner needs to build calls and
 * recompute what the contracts compute.
 *
 * Lane: all four live on lane 0 (a contract's lane is fixed in its
 * descriptor, and the contracts read each other's storage within one
 * execution, which only one lane's state allows). By the owner-lane rule
 * (docs/chain.md) a submission or a PoRA answer must therefore come from an
 * account owned by lane 0 (addr[19] mod lanes == 0); with lanes = 1 any
 * account works. Rewards paid to a beneficiary of another lane travel as a
 * cross-lane credit.
 *
 * Block hashes: the system-contract host gives no access to block hashes,
 * so wherever 0G uses blockhash(n) these contracts use the stand-in
 * zg_storage_block_digest(chainId, n) (documented as a known difference:
 * subtask seeds are predictable in advance).
 */
#ifndef ZG_STORAGE_CONTRACTS_H
#define ZG_STORAGE_CONTRACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/ecdsa.h"
#include "zg/err.h"
#include "zg/merkle.h"
#include "zg/pora.h"
#include "zg/syscontract.h"
#include "zg/u256.h"

/* ---- addresses (all on lane 0) ---- */

#define ZG_FLOW_ADDRESS_TEXT "0x0000000000000000000000000000000000002001"
#define ZG_MARKET_ADDRESS_TEXT "0x0000000000000000000000000000000000002002"
#define ZG_REWARD_ADDRESS_TEXT "0x0000000000000000000000000000000000002003"
#define ZG_MINE_ADDRESS_TEXT "0x0000000000000000000000000000000000002004"
#define ZG_STORAGE_CONTRACTS_LANE 0u

extern const zg_eth_addr_t zg_flow_address;
extern const zg_eth_addr_t zg_market_address;
extern const zg_eth_addr_t zg_reward_address;
extern const zg_eth_addr_t zg_mine_address;

extern const zg_sc_contract_t zg_flow_contract;
extern const zg_sc_contract_t zg_market_contract;
extern const zg_sc_contract_t zg_reward_contract;
extern const zg_sc_contract_t zg_mine_contract;

/* ---- ABIs (canonical signatures; selectors are keccak of these) ---- */

/* Flow: 0G's Submission = (SubmissionData data, address submitter),
 * SubmissionData = (uint256 length, bytes tags, (bytes32 root, uint256 height)[] nodes). */
#define ZG_FLOW_SIG_SUBMIT "submit(((uint256,bytes,(bytes32,uint256)[]),address))"
#define ZG_FLOW_SIG_BATCH_SUBMIT "batchSubmit(((uint256,bytes,(bytes32,uint256)[]),address)[])"
/* Submit(address indexed sender, bytes32 indexed identity, uint256
 * submissionIndex, uint256 startPos, uint256 length, SubmissionData) — the
 * data tuple of the event carries SubmissionData only. */
#define ZG_FLOW_EVENT_SUBMIT "Submit(address,bytes32,uint256,uint256,uint256,(uint256,bytes,(bytes32,uint256)[]))"
#define ZG_FLOW_EVENT_SUBMIT_DATA "(uint256,uint256,uint256,(uint256,bytes,(bytes32,uint256)[]))"
/* NewEpoch(address indexed sender, uint256 indexed index, bytes32
 * startMerkleRoot, uint256 submissionIndex, uint256 flowLength, bytes32 context). */
#define ZG_FLOW_EVENT_NEW_EPOCH "NewEpoch(address,uint256,bytes32,uint256,uint256,bytes32)"
/* MineContext = (epoch, mineStart, flowRoot, flowLength, blockDigest, digest). */
#define ZG_FLOW_MINE_CONTEXT_TYPE "(uint256,uint256,bytes32,uint256,bytes32,bytes32)"

/* Mine: PoraAnswer = (contextDigest, nonce, minerId, RecallRange, recallPosition,
 * sealOffset, sealedContextDigest, bytes32[128] sealedData, bytes32[] merkleProof),
 * RecallRange = (uint256 start, uint256 mineLength, uint64 shardId, uint64 shardMask). */
#define ZG_MINE_ANSWER_TYPE \
  "(bytes32,bytes32,bytes32,(uint256,uint256,uint64,uint64),uint256,uint256,bytes32,bytes32[128],bytes32[])"
#define ZG_MINE_SIG_SUBMIT                                                                                    \
  "submit((bytes32,bytes32,bytes32,(uint256,uint256,uint64,uint64),uint256,uint256,bytes32,bytes32[128]," \
  "bytes32[]))"
#define ZG_MINE_SIG_REQUEST_MINER_ID "requestMinerId(address,uint64)"
#define ZG_MINE_SIG_WORKER_CONTEXT "computeWorkerContext(bytes32)"
/* WorkerContext = (MineContext context, uint256 poraTarget, bytes32 subtaskDigest, uint64 maxShards). */
#define ZG_MINE_WORKER_CONTEXT_TYPE "((uint256,uint256,bytes32,uint256,bytes32,bytes32),uint256,bytes32,uint64)"
#define ZG_MINE_EVENT_NEW_MINER_ID "NewMinerId(bytes32,address)"
#define ZG_MINE_EVENT_NEW_SUBMISSION "NewSubmission(uint256,bytes32,uint256,uint256)"

/* ---- genesis parameters ---- */

/* Genesis JSON: an optional "storage" object, every field optional:
 *   {"blocksPerEpoch": 200, "firstBlock": 1, "pricePerSector": "<dec>",
 *    "initDifficulty": 180000, "minDifficulty": 0, "targetMineBlocks": 100,
 *    "targetSubmissions": 10, "maxShards": 32, "nSubtasks": 1,
 *    "subtaskInterval": 100, "difficultyAdjustRatio": 20,
 *    "releaseSeconds": 8035200, "baseReward": "<dec>", "serviceFeeRateBps": 0,
 *    "treasury": "0x…"}
 * The defaults below are 0G's testnet "standard" numbers where they exist. */
#define ZG_STORAGE_DEFAULT_BLOCKS_PER_EPOCH 200u
#define ZG_STORAGE_DEFAULT_PRICE_PER_SECTOR "1000000000" /* neuron per sector */
#define ZG_STORAGE_DEFAULT_INIT_DIFFICULTY 180000u
#define ZG_STORAGE_DEFAULT_TARGET_MINE_BLOCKS 100u
#define ZG_STORAGE_DEFAULT_TARGET_SUBMISSIONS 10u
#define ZG_STORAGE_DEFAULT_MAX_SHARDS 32u
#define ZG_STORAGE_DEFAULT_N_SUBTASKS 1u
#define ZG_STORAGE_DEFAULT_SUBTASK_INTERVAL 100u
#define ZG_STORAGE_DEFAULT_ADJUST_RATIO 20u
#define ZG_STORAGE_DEFAULT_RELEASE_SECONDS (3ull * 31 * 86400)

/* The context digest of an epoch that was never made in time, and of the
 * initial context: keccak256("") (0G's EMPTY_HASH). */
extern const uint8_t zg_storage_empty_hash[32];

/* ---- helpers shared with clients, followers and miners ---- */

/* Stand-in for blockhash(n): keccak256("zg.blockdigest" ‖ u64be(chainId) ‖ u64be(n)). */
void zg_storage_block_digest(uint8_t out[32], uint64_t chain_id, uint64_t number);
/* contextDigest = keccak256(abi.encode(blockDigest, flowRoot, flowLength)). */
void zg_storage_context_digest(uint8_t out[32], const uint8_t block_digest[32], const uint8_t flow_root[32],
                               uint64_t flow_length);
/* minerId = keccak256(abi.encodePacked(blockDigest(n-1), sender, uint64 seed)). */
void zg_mine_miner_id(uint8_t out[32], const uint8_t prev_block_digest[32], const zg_eth_addr_t *sender,
                      uint64_t seed);
/* The miner's subtask: idx = keccak(abi.encode(ctxDigest, minerId)) mod
 * n_subtasks, start = mine_start + idx × interval (its window is (start,
 * start + targetMineBlocks]), subtaskDigest = keccak(abi.encode(ctxDigest,
 * blockDigest(start))). */
void zg_mine_subtask(uint64_t *start, uint8_t subtask_digest[32], const uint8_t ctx_digest[32],
                     const uint8_t miner_id[32], uint64_t mine_start, uint64_t n_subtasks, uint64_t interval,
                     uint64_t chain_id);

/* A PoRA answer as Mine.submit takes it. */
typedef struct {
  uint8_t context_digest[32];
  uint8_t nonce[32];
  uint8_t miner_id[32];
  zg_pora_range_t range;
  uint64_t recall_position;
  uint64_t seal_offset;
  uint8_t sealed_context_digest[32];
  uint8_t sealed[ZG_PORA_SEAL_BYTES];
  uint8_t proof[ZG_PORA_MAX_PROOF][32]; /* flow siblings from the seal (height 4) up */
  size_t nproof;
} zg_mine_answer_t;

/* Appends the calldata of Mine.submit(answer) (selector included). */
ZG_WARN_UNUSED zg_err_t zg_mine_answer_encode(zg_buf_t *out, const zg_mine_answer_t *a);
/* Decodes Mine.submit's arguments (after the selector). ZG_EBADPROOF for a
 * proof longer than ZG_PORA_MAX_PROOF; the ABI decoder's errors otherwise. */
ZG_WARN_UNUSED zg_err_t zg_mine_answer_decode(zg_mine_answer_t *a, const uint8_t *args, size_t len);

/* Appends the calldata of Flow.submit(((length, tags, nodes), submitter)). */
ZG_WARN_UNUSED zg_err_t zg_flow_submit_encode(zg_buf_t *out, uint64_t length, const uint8_t *tags, size_t tags_len,
                                              const zg_merkle_node_t *nodes, size_t n,
                                              const zg_eth_addr_t *submitter);
/* The fee Flow.submit requires: sum of 2^height × pricePerSector. */
ZG_WARN_UNUSED zg_err_t zg_flow_fee(zg_u256_t *fee, const zg_merkle_node_t *nodes, size_t n,
                                    const zg_u256_t *price_per_sector);

#endif

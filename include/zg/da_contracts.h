/*
 * zg/da_contracts.h — the DA system contracts DASigners and DAEntrance
 * (src/contracts/dasigners.c, daentrance.c; docs/da-contracts.md), and the
 * pure helpers the signer role and `zg da put` share with them: the VRF
 * message and output, the epoch seed, and the slot assignment.
 *
 * Both contracts live on lane 0 (ZG_DA_CONTRACTS_LANE): DAEntrance reads
 * DASigners' quorums inside the same call, which one lane's state allows.
 * By the owner-lane rule (docs/chain.md) their callers are accounts owned by
 * lane 0; with lanes = 1 any account works.
 *
 * DASigners. A signer registers once (BLS12-381 public key in G1, 48 bytes,
 * with its proof of possession, 96 bytes, and an endpoint URL), bonds stake
 * by deposit() (value held by DASigners; stake is NOT the Staking validator
 * stake: contract storage is private per contract, and a separate bond lets
 * non-validators serve DA), and opts in for the next epoch with
 * registerNextEpoch(vrfSig). Slots: tickets = min(stake / tokensPerSlot,
 * maxSlotsPerSigner), at least one to opt in.
 *
 * Slot assignment (the "VRF"): unique BLS signatures. For epoch E the
 * message is
 *   vrf message(E) = "zg-da-vrf-v1" || be64 chain_id || be64 E || seed(E)
 *   seed(E)        = keccak256("zg-da-seed-v1" || be64 chain_id || be64 E ||
 *                              mix(E - 1))          (seed(0): mix = zeros)
 *   mix(X)         = keccak256(output_1 || ... || output_n) over epoch X's
 *                    signers in address order (32 zero bytes when none)
 *   output         = keccak256("zg-da-vrf-out-v1" || compressed signature)
 * A BLS signature is unique for (key, message): the contract checks it
 * against the registered key, so the signer has exactly one output per
 * epoch. seed(E) is fixed when epoch E-1's signer set closes (at the start
 * of E-1), and a signer may opt in for E only if it registered in an epoch
 * <= E-2, so its key was chosen before the seed was known: no key grinding.
 * Ticket k of a signer with output y scores keccak256(y || be32 k); the
 * epoch's T tickets sorted by score (ties: address, k) fill the quorums in
 * order: Q = max(1, T / S) quorums of S = slotsPerQuorum slots, slot j of
 * quorum q = ticket (q S + j) mod T. Left-over tickets (T mod S) sit out
 * the epoch. The only influence left is withholding: a signer may decline to
 * opt in, which changes the next seed (one bit per withholding signer,
 * each costing an epoch of its fees); docs/da-contracts.md discusses it.
 *
 * DAEntrance. submitOriginalData(bytes32[] digests) payable, fee = blobFee
 * per blob (the excess is a tip): each digest (zg/da_blob.h blob digest)
 * gets a blob id (1, 2, ...) and status DISPERSING, or QUEUED when the
 * current epoch has no quorum. submitCertificate(bytes cert) takes a
 * certificate in zg_da_cert_encode's wire form: accepted when the blob is
 * DISPERSING/QUEUED, cert epoch is the current or previous epoch and not
 * before the blob's submission epoch, the quorum exists, the bitmap sets
 * only slots < S, the set slots are >= 2/3 of S (3 set >= 2 S), and one
 * FastAggregateVerify of the aggregate signature over the sign digest
 * (zg/da_blob.h) against the sum of the distinct signers' keys of the set
 * slots holds. A blob not certified within certifyWindowEpochs epochs of its
 * submission is FAILED ("expired"); any call of markExpired(id) records it,
 * and getStatus reports it lazily.
 */
#ifndef ZG_DA_CONTRACTS_H
#define ZG_DA_CONTRACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bls.h"
#include "zg/da_blob.h"
#include "zg/err.h"
#include "zg/syscontract.h"

/* ---- addresses (lane 0) ---- */
#define ZG_DASIGNERS_ADDRESS_BYTES {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x30, 0x01}
#define ZG_DASIGNERS_ADDRESS_TEXT "0x0000000000000000000000000000000000003001"
#define ZG_DAENTRANCE_ADDRESS_BYTES {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x30, 0x02}
#define ZG_DAENTRANCE_ADDRESS_TEXT "0x0000000000000000000000000000000000003002"
#define ZG_DA_CONTRACTS_LANE 0u

extern const zg_eth_addr_t zg_dasigners_address;
extern const zg_eth_addr_t zg_daentrance_address;
extern const zg_sc_contract_t zg_dasigners_contract;
extern const zg_sc_contract_t zg_daentrance_contract;

/* ---- ABIs (canonical signatures; returns in comments) ---- */
/* DASigners */
#define ZG_DAS_REGISTER_SIGNER "registerSigner(bytes,bytes,string)"  /* pubkey 48, pop 96, socket */
#define ZG_DAS_UPDATE_SOCKET "updateSocket(string)"
#define ZG_DAS_DEPOSIT "deposit()"                                   /* payable: adds to the bond */
#define ZG_DAS_WITHDRAW "withdraw(uint256)"                          /* not while serving E or E+1 */
#define ZG_DAS_REGISTER_NEXT_EPOCH "registerNextEpoch(bytes)"        /* vrf signature (96) for E+1 */
#define ZG_DAS_EPOCH_NUMBER "epochNumber()"                          /* -> uint256 */
#define ZG_DAS_PARAMS "params()" /* -> (slotsPerQuorum, tokensPerSlot, maxSlotsPerSigner, maxBlobSize) */
#define ZG_DAS_IS_SIGNER "isSigner(address)"                         /* -> bool */
#define ZG_DAS_GET_SIGNER "getSigner(address)" /* -> (bytes pubkey, string socket, uint256 stake, uint256 regEpoch) */
#define ZG_DAS_EPOCH_SEED "epochSeed(uint256)"                       /* -> bytes32 */
#define ZG_DAS_QUORUM_COUNT "quorumCount(uint256)"                   /* -> uint256 */
#define ZG_DAS_GET_QUORUM "getQuorum(uint256,uint256)"               /* -> address[] (one per slot) */
#define ZG_DAS_EPOCH_SIGNERS "epochSigners(uint256)" /* -> (address[] signers, uint256[] tickets, bytes32[] outputs) */
/* DAEntrance */
#define ZG_DAE_SUBMIT_ORIGINAL_DATA "submitOriginalData(bytes32[])"  /* payable -> uint256[] blob ids */
#define ZG_DAE_SUBMIT_CERTIFICATE "submitCertificate(bytes)"         /* cert wire form (zg/da_blob.h) */
#define ZG_DAE_MARK_EXPIRED "markExpired(uint256)"
#define ZG_DAE_BLOB_ID "blobId(bytes32)"                             /* -> uint256 (0: unknown) */
#define ZG_DAE_GET_STATUS "getStatus(uint256)" /* -> (uint8 status, bytes32 digest, uint256 epoch, string reason) */
#define ZG_DAE_GET_CERTIFICATE "getCertificate(uint256)"             /* -> bytes (wire form) */
#define ZG_DAE_BLOB_FEE "blobFee()"                                  /* -> uint256 */
#define ZG_DAE_CHECK_CERTIFICATE "checkCertificate(bytes)" /* view: submitCertificate's checks -> blob id, or its revert */
/* Events */
#define ZG_DAS_EV_NEW_SIGNER "NewSigner(address,bytes,string)"       /* signer indexed */
#define ZG_DAS_EV_SOCKET_UPDATED "SocketUpdated(address,string)"     /* signer indexed */
#define ZG_DAS_EV_OPT_IN "SignerOptIn(address,uint256,uint256,bytes32)" /* signer, epoch indexed; tickets, output */
#define ZG_DAE_EV_DATA_UPLOAD "DataUpload(uint256,bytes32,uint256)"  /* id indexed; digest, epoch */
#define ZG_DAE_EV_CERTIFIED "BlobCertified(uint256,bytes32,uint256,uint256)" /* id indexed; digest, epoch, quorum */

/* ---- defaults ---- */
#define ZG_DA_DEFAULT_SLOTS_PER_QUORUM ZG_DA_COLUMNS /* one slot per column of the extended row */
#define ZG_DA_DEFAULT_TOKENS_PER_SLOT "1000000000000000000" /* 1 token (18 decimals) per slot */
#define ZG_DA_DEFAULT_MAX_SLOTS_PER_SIGNER 128u
#define ZG_DA_DEFAULT_BLOB_FEE "1000000000000"            /* 1e12 wei per blob */
#define ZG_DA_DEFAULT_CERTIFY_WINDOW 2u                   /* epochs */
#define ZG_DA_MAX_SIGNERS_PER_EPOCH 1024u
#define ZG_DA_SOCKET_MAX 256u                             /* bytes of an endpoint URL */

/* Blob status (getStatus). */
typedef enum {
  ZG_DA_STATUS_NONE = 0,
  ZG_DA_STATUS_QUEUED = 1,     /* recorded; the current epoch had no quorum */
  ZG_DA_STATUS_DISPERSING = 2, /* recorded; waiting for a certificate */
  ZG_DA_STATUS_CERTIFIED = 3,
  ZG_DA_STATUS_FAILED = 4,     /* reason: "expired" */
} zg_da_status_t;

/* Text of a status ("none", "queued", "dispersing", "certified", "failed"). */
const char *zg_da_status_name(unsigned status);

/* ---- pure helpers (no allocation, no I/O) ---- */
#define ZG_DA_VRF_MSG_LEN (12 + 8 + 8 + 32)

/* seed(E) from chain_id, E and mix(E-1) (32 bytes). */
void zg_da_epoch_seed(uint8_t out[32], uint64_t chain_id, uint64_t epoch, const uint8_t mix[32]);
/* The message a signer BLS-signs to opt in for epoch `epoch`. */
void zg_da_vrf_message(uint8_t out[ZG_DA_VRF_MSG_LEN], uint64_t chain_id, uint64_t epoch, const uint8_t seed[32]);
/* The VRF output of a (verified) compressed signature. */
void zg_da_vrf_output(uint8_t out[32], const uint8_t sig[ZG_DA_SIG_LEN]);

/* One opted-in signer of an epoch as the assignment sees it. */
typedef struct {
  uint8_t addr[20];
  uint32_t tickets; /* >= 1 */
  uint8_t output[32];
} zg_da_epoch_signer_t;

/* One ticket (scratch entry of zg_da_assign). */
typedef struct {
  uint8_t score[32];
  uint32_t signer; /* index into the signers array */
  uint32_t k;
} zg_da_ticket_t;

/* Total tickets of n signers (the scratch entries zg_da_assign needs). */
size_t zg_da_total_tickets(const zg_da_epoch_signer_t *signers, size_t n);
/* Number of quorums for T tickets and S slots per quorum (0 when T == 0). */
uint64_t zg_da_quorum_count(size_t total_tickets, unsigned slots_per_quorum);
/* Slot owners of quorum q: slot_signer[j] (j < S) = index into signers.
 * signers must be in address order (as the contract lists them); scratch
 * has zg_da_total_tickets entries. ZG_EINVAL on bad arguments, ZG_ERANGE
 * when q >= the quorum count. */
ZG_WARN_UNUSED zg_err_t zg_da_assign(uint32_t *slot_signer, unsigned slots_per_quorum, uint64_t q,
                                     const zg_da_epoch_signer_t *signers, size_t n, zg_da_ticket_t *scratch);

/* The VRF signatures a genesis signer publishes in genesis.json
 * ("da.signers[i].vrf": epoch 0, epoch 1): signs vrf message(0) with
 * seed(0), then vrf message(1) with seed(1), which mixes the epoch-0
 * outputs of all n signers in address order. addrs[i] and sks[i] belong to
 * signer i; sigs[i][e] gets its compressed signature for epoch e. No
 * allocation (O(n^2) ordering). ZG_EINVAL on bad arguments. */
ZG_WARN_UNUSED zg_err_t zg_da_genesis_vrf(uint8_t (*sigs)[2][ZG_DA_SIG_LEN], uint64_t chain_id,
                                          const zg_eth_addr_t *addrs, const zg_bls_sk_t *sks, size_t n);

#endif

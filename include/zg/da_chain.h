/*
 * zg/da_chain.h — the DA clients' view of the chain (src/da/chain.c): the
 * DASigners and DAEntrance contracts (zg/da_contracts.h) read through
 * eth_call and written through signed transactions over the Ethereum
 * JSON-RPC client (zg/rpc_client.h).
 *
 * Quorums: zg_da_chain_quorum reads getQuorum(epoch, q) (the owner of each
 * of the 128 slots) and each distinct owner's getSigner (BLS key, endpoint)
 * into the peer list zg_da_disperse / zg_da_retrieve take; slot j is
 * column j. Transactions: zg_da_chain_send signs an EIP-155 legacy
 * transaction at eth_gasPrice from the key's account, sends it and waits
 * for the receipt; a reverted transaction is a verdict (ok false, reason
 * set), not an error. Receipts carry no reason and eth_call runs only
 * views, so a failed submitCertificate's reason comes from its view twin
 * checkCertificate (run at eth_call's epoch, which the chain reports as 0:
 * exact while the chain is in epoch 0). Nothing here is thread-safe: one client per thread.
 */
#ifndef ZG_DA_CHAIN_H
#define ZG_DA_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/abi.h"
#include "zg/da_client.h"
#include "zg/da_contracts.h"
#include "zg/ecdsa.h"
#include "zg/err.h"
#include "zg/rpc_client.h"
#include "zg/u256.h"

/* A quorum as read from DASigners: its signers (one peer per distinct
 * slot owner), their addresses and endpoints. */
typedef struct {
  uint64_t chain_id, epoch, quorum_id;
  size_t n;
  zg_da_peer_t peers[ZG_DA_COLUMNS];
  zg_eth_addr_t addrs[ZG_DA_COLUMNS];
  char urls[ZG_DA_COLUMNS][ZG_DA_SOCKET_MAX + 1];
} zg_da_quorum_t;

/* The chain's epoch (DASigners.epochNumber, at the latest block). */
ZG_WARN_UNUSED zg_err_t zg_da_chain_epoch(zg_rpc_client_t *c, uint64_t *epoch, char *msg, size_t ml);

/* Reads quorum quorum_id of epoch into *q (chain id from eth_chainId).
 * ZG_ERANGE when the epoch has no such quorum; RPC and decoding errors;
 * msg (ml bytes) says what failed. */
ZG_WARN_UNUSED zg_err_t zg_da_chain_quorum(zg_rpc_client_t *c, zg_da_quorum_t *q, uint64_t epoch, uint64_t quorum_id,
                                           char *msg, size_t ml);

/* Number of quorums of epoch (0: none). */
ZG_WARN_UNUSED zg_err_t zg_da_chain_quorum_count(zg_rpc_client_t *c, uint64_t *count, uint64_t epoch, char *msg,
                                                 size_t ml);

/* Calls the view `sig` on `to` with args and decodes its return as
 * ret_type into *out (values in arena a). A revert is ZG_EREVERT with the
 * reason in msg. */
ZG_WARN_UNUSED zg_err_t zg_da_chain_view(zg_rpc_client_t *c, const zg_abi_value_t **out, zg_abi_arena_t *a,
                                         const zg_eth_addr_t *to, const char *sig, const zg_abi_value_t *args,
                                         size_t n, const char *ret_type, char *msg, size_t ml);

/* The outcome of one transaction. */
typedef struct {
  bool ok;            /* receipt status 1 */
  char hash[67];      /* 0x + 64 hex */
  char reason[256];   /* revert reason when !ok */
  uint64_t block;     /* the receipt's block number */
} zg_da_tx_result_t;

/* Sends to.sig(args) with value (NULL: 0) from sk's account and waits up to
 * timeout_ms for its receipt. *nonce: in/out, UINT64_MAX to ask the chain
 * ("pending"); it is advanced when the transaction was sent. */
ZG_WARN_UNUSED zg_err_t zg_da_chain_send(zg_rpc_client_t *c, zg_da_tx_result_t *r, uint64_t *nonce,
                                         const zg_secp256k1_sk_t *sk, const zg_eth_addr_t *to, const zg_u256_t *value,
                                         const char *sig, const zg_abi_value_t *args, size_t n, unsigned timeout_ms);

/* A blob's record on DAEntrance (getStatus, blobId). */
typedef struct {
  uint64_t id;          /* 0: unknown */
  unsigned status;      /* zg_da_status_t */
  uint8_t digest[32];
  uint64_t epoch;       /* submission epoch */
  char reason[64];      /* "expired" for FAILED */
} zg_da_blob_status_t;

/* The record of blob id (id != 0) or of the latest id of digest (id == 0,
 * digest given). st->id == 0 when the chain does not know it. */
ZG_WARN_UNUSED zg_err_t zg_da_chain_blob(zg_rpc_client_t *c, zg_da_blob_status_t *st, uint64_t id,
                                         const uint8_t digest[32], char *msg, size_t ml);

/* The accepted certificate of blob id (wire form decoded). ZG_ENOTFOUND
 * when it has none. */
ZG_WARN_UNUSED zg_err_t zg_da_chain_certificate(zg_rpc_client_t *c, zg_da_cert_t *cert, uint64_t id, char *msg,
                                                size_t ml);

/* ---- the signer's chain duties (src/da/chain.c) ----
 * One step of a signer following the chain: registers (registerSigner +
 * deposit(stake)) when not registered, then opts in for the next epoch
 * (registerNextEpoch with its unique BLS signature on vrf message(E+1))
 * when not opted in yet and old enough. *did says what it sent (text, ""
 * when nothing). */
ZG_WARN_UNUSED zg_err_t zg_da_chain_signer_step(zg_rpc_client_t *c, char *did, size_t dl,
                                                const zg_bls_sk_t *bls, const zg_secp256k1_sk_t *eth,
                                                const char *endpoint, const zg_u256_t *stake);

#endif

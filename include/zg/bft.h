/*
 * zg/bft.h — the consensus engine of one lane (src/chain/bft*.c): Jolteon,
 * i.e. 2-chain HotStuff with a quadratic view change (timeout certificates),
 * tolerating f byzantine validators out of 3f+1 by voting power.
 * docs/consensus.md holds the protocol and its safety and liveness argument.
 *
 * The engine is a pure, deterministic state machine: no threads, no clock,
 * no sockets, no randomness. Inputs are zg_bft_start, zg_bft_on_message,
 * zg_bft_on_timer and zg_bft_payload_ready; everything else goes through the
 * io callbacks (zg_bft_io_t), which the engine calls synchronously from
 * inside those entry points. A node runs one engine per lane; the engine is
 * not thread-safe (one thread drives it).
 *
 * This header also holds the wire formats (canonical codec, docs/codec.md),
 * and the pure checks a light client or a contract needs: QC and commit-proof
 * verification, and double-sign (equivocation) evidence.
 *
 * Formats (all integers big-endian, see zg/codec.h):
 *
 *   block  = u32 chain_id, u8 lane, u8 kind, u64 epoch, u64 height, u64 round,
 *            b32 parent, u64 timestamp_ms, u32 proposer, bytes payload
 *   header = the same fields with b32 keccak256(payload) in place of payload
 *   block id = keccak256(header)  (so a header alone proves a block's id)
 *
 *   vote   = u32 chain_id, u8 lane, u64 epoch, u64 round, b32 block_id,
 *            u32 signer, b64 signature                    (ZG_BFT_VOTE_LEN bytes)
 *   signed vote message = "zg/vote/v1" || u32 chain_id || u8 lane || u64 epoch
 *            || u64 round || b32 block_id                 (ZG_BFT_VOTE_MSG_LEN bytes)
 *
 *   qc     = u32 chain_id, u8 lane, u64 epoch, u64 round, b32 block_id,
 *            b32 signer bitmap (bit i = byte i/8, mask 1 << (i%8)),
 *            bytes signatures (64 bytes per set bit, in index order)
 *
 *   commit proof = list<nested header> chain, nested qc
 *            chain[0] is the committed block's child, each next header the
 *            child of the previous; the last header C is certified by qc and
 *            its parent X (chain[k-2], or the block itself when k = 1) has
 *            round(C) = round(X) + 1 and epoch(C) = epoch(X): the 2-chain rule.
 *
 * Signer indices are positions in the validator set of the named epoch, as
 * returned by the app's valset callback; the set is at most
 * ZG_BFT_MAX_VALIDATORS validators and its total power must fit in a u64.
 */
#ifndef ZG_BFT_H
#define ZG_BFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/ed25519.h"
#include "zg/err.h"

#define ZG_BFT_MAX_VALIDATORS 256u
/* Largest payload a block may carry (the app puts batch digests there). */
#define ZG_BFT_MAX_PAYLOAD (1u << 20)
/* Largest encoded engine message (a proposal with a payload, QC and TC). */
#define ZG_BFT_MAX_MSG (ZG_BFT_MAX_PAYLOAD + 64u * 1024u)
#define ZG_BFT_VOTE_LEN 121u
#define ZG_BFT_VOTE_MSG_LEN 63u

/* Block kinds. A boundary block closes an epoch: it has the parent's epoch
 * and height, an empty payload, and is never passed to commit (see
 * docs/consensus.md, "Epochs"). */
enum { ZG_BFT_BLOCK_NORMAL = 0, ZG_BFT_BLOCK_BOUNDARY = 1 };

typedef struct {
  zg_ed25519_pk_t pk; /* the validator's Ed25519 node key */
  uint64_t power;     /* voting power, > 0 */
} zg_bft_validator_t;

/* A validator set: n validators (borrowed array). */
typedef struct {
  const zg_bft_validator_t *v;
  uint32_t n;
} zg_bft_valset_t;

typedef struct {
  uint32_t chain_id;
  uint8_t lane;
  uint8_t kind; /* ZG_BFT_BLOCK_* */
  uint64_t epoch, height, round;
  uint8_t parent[32];
  uint64_t timestamp_ms;
  uint32_t proposer;        /* index of the proposer (see docs/consensus.md) */
  zg_slice_t payload;       /* borrowed; empty when decoded from a header */
  uint8_t payload_hash[32]; /* keccak256(payload): set by the decoders and zg_bft_block_seal */
} zg_bft_block_t;

typedef struct {
  uint32_t chain_id;
  uint8_t lane;
  uint64_t epoch, round;
  uint8_t block_id[32];
  uint32_t signer;
  uint8_t sig[64];
} zg_bft_vote_t;

typedef struct {
  uint32_t chain_id;
  uint8_t lane;
  uint64_t epoch, round;
  uint8_t block_id[32];
  uint8_t bitmap[32];
  uint32_t nsig;       /* number of set bits = number of signatures */
  const uint8_t *sigs; /* borrowed view: nsig * 64 bytes, in signer order */
} zg_bft_qc_t;

/* ---- encodings ---- */

/* Sets b->payload_hash from b->payload. Call before zg_bft_block_id or the
 * encoders on a block built by hand. */
void zg_bft_block_seal(zg_bft_block_t *b);
/* Appends the full block encoding to out. ZG_EINVAL for a payload above
 * ZG_BFT_MAX_PAYLOAD; ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_bft_block_encode(zg_buf_t *out, const zg_bft_block_t *b);
/* Appends the header encoding (payload replaced by its hash) to out. */
ZG_WARN_UNUSED zg_err_t zg_bft_header_encode(zg_buf_t *out, const zg_bft_block_t *b);
/* Decodes a full block; b->payload is a view into p, payload_hash is
 * computed. Codec errors (ZG_ETRUNC, ZG_ETRAILING, ZG_EOVERFLOW...), or
 * ZG_EPROTO for an unknown kind. */
ZG_WARN_UNUSED zg_err_t zg_bft_block_decode(zg_bft_block_t *b, const uint8_t *p, size_t len);
/* Decodes a header; b->payload is empty. */
ZG_WARN_UNUSED zg_err_t zg_bft_header_decode(zg_bft_block_t *b, const uint8_t *p, size_t len);
/* The block id: keccak256 of the header encoding (uses b->payload_hash). */
void zg_bft_block_id(uint8_t id[32], const zg_bft_block_t *b);
/* The genesis block of a lane: height 0, round 0, epoch 0, zero parent,
 * empty payload. Its id anchors the lane. */
void zg_bft_genesis(zg_bft_block_t *b, uint32_t chain_id, uint8_t lane);

/* The vote encoding (ZG_BFT_VOTE_LEN bytes), as submitted in evidence. */
void zg_bft_vote_encode(uint8_t out[ZG_BFT_VOTE_LEN], const zg_bft_vote_t *v);
ZG_WARN_UNUSED zg_err_t zg_bft_vote_decode(zg_bft_vote_t *v, const uint8_t *p, size_t len);
/* The bytes a validator signs for a vote (the signature field is ignored). */
void zg_bft_vote_message(uint8_t out[ZG_BFT_VOTE_MSG_LEN], const zg_bft_vote_t *v);

ZG_WARN_UNUSED zg_err_t zg_bft_qc_encode(zg_buf_t *out, const zg_bft_qc_t *qc);
/* Decodes a QC; qc->sigs is a view into p. ZG_EPROTO when the signature bytes
 * do not match the bitmap's population count. */
ZG_WARN_UNUSED zg_err_t zg_bft_qc_decode(zg_bft_qc_t *qc, const uint8_t *p, size_t len);

/* ---- verification (light clients, contracts) ---- */

/* Whether power signed is a quorum of total: strictly more than 2/3. */
bool zg_bft_is_quorum(uint64_t signed_power, uint64_t total);
/* The total power of a set. ZG_EOVERFLOW when it exceeds a u64, ZG_EINVAL
 * for an empty set, more than ZG_BFT_MAX_VALIDATORS or a zero power. */
ZG_WARN_UNUSED zg_err_t zg_bft_valset_total(uint64_t *total, const zg_bft_valset_t *vs);
/* Leader of (epoch, round) in vs, drawn with probability proportional to
 * power from keccak256("zg/leader/v1" || chain_id || lane || epoch || round).
 * Returns its index (0 for an invalid set). */
uint32_t zg_bft_leader(const zg_bft_valset_t *vs, uint32_t chain_id, uint8_t lane, uint64_t epoch, uint64_t round);
/* Leader reputation (docs/consensus.md, "Leader"): weight of an active
 * validator's power against an inactive one's. */
#define ZG_BFT_ACTIVE_WEIGHT 16u
/* Committed normal blocks in the reputation window, and the rounds excluded
 * below the round being led (blocks of rounds > round - ZG_BFT_REP_GAP are
 * not used, so validators a few commits apart still agree). */
#define ZG_BFT_REP_WINDOW 24u
#define ZG_BFT_REP_GAP 8u
/* Leader of (epoch, round) drawn with probability proportional to power
 * times ZG_BFT_ACTIVE_WEIGHT for the validators whose bit is set in active
 * (bit i = byte i/8, mask 1 << (i%8)), times 1 for the others, from
 * keccak256("zg/leader/v2" || chain_id || lane || epoch || round). Returns
 * its index (0 for an invalid set). */
uint32_t zg_bft_leader_weighted(const zg_bft_valset_t *vs, uint32_t chain_id, uint8_t lane, uint64_t epoch,
                                uint64_t round, const uint8_t active[32]);

/* Sets *ok when qc carries valid Ed25519 signatures of distinct members of
 * vs (the set of qc->epoch) holding a quorum of its power. Fails only on an
 * invalid set (ZG_EINVAL, ZG_EOVERFLOW); a bad QC is *ok = false. */
ZG_WARN_UNUSED zg_err_t zg_bft_verify_qc(bool *ok, const zg_bft_valset_t *vs, const zg_bft_qc_t *qc);
/* The epoch whose validator set certifies a commit proof (the epoch of its
 * QC); a light client fetches that set, then calls zg_bft_verify_commit.
 * Codec errors on a malformed proof. */
ZG_WARN_UNUSED zg_err_t zg_bft_commit_proof_epoch(uint64_t *epoch, const uint8_t *proof, size_t len);
/* Sets *ok when proof shows block committed: the header chain links to
 * block, its last two headers satisfy the 2-chain rule, and the QC over the
 * last one verifies under vs (the set of the proof's epoch). Codec errors on
 * a malformed proof; a proof that does not hold is *ok = false. */
ZG_WARN_UNUSED zg_err_t zg_bft_verify_commit(bool *ok, const zg_bft_valset_t *vs, const zg_bft_block_t *block,
                                             const uint8_t *proof, size_t len);
/* Double-sign evidence: sets *guilty when vote_a and vote_b are validly
 * signed votes of the same signer for the same chain, lane, epoch and round
 * but different blocks, and *signer to the signer's index. vs is the set of
 * the votes' epoch. Codec errors when either vote is malformed; a pair that
 * does not prove anything is *guilty = false. */
ZG_WARN_UNUSED zg_err_t zg_bft_check_equivocation(bool *guilty, uint32_t *signer, const zg_bft_valset_t *vs,
                                                  const uint8_t *vote_a, size_t alen, const uint8_t *vote_b,
                                                  size_t blen);

/* ---- messages ---- */

/* Message types (first byte of every engine message; then u32 chain_id,
 * u8 lane; docs/consensus.md lists the bodies). */
enum {
  ZG_BFT_MSG_PROPOSAL = 1,
  ZG_BFT_MSG_VOTE = 2,
  ZG_BFT_MSG_TIMEOUT = 3,
  ZG_BFT_MSG_BLOCK_REQ = 4,
  ZG_BFT_MSG_BLOCK_RESP = 5,
  ZG_BFT_MSG_COMMIT_REQ = 6,
  ZG_BFT_MSG_COMMIT_RESP = 7,
  ZG_BFT_MSG_SYNC_INFO = 8, /* high QC and last TC, sent to a peer whose timeout is for a past round */
};

/* A decoded message; every slice is a view into the decoded bytes. */
typedef struct {
  uint8_t type;
  uint32_t chain_id;
  uint8_t lane;
  /* PROPOSAL, BLOCK_RESP, COMMIT_RESP */
  zg_bft_block_t block;
  zg_slice_t block_bytes;
  /* PROPOSAL, BLOCK_RESP: the QC of block.parent; TIMEOUT, SYNC_INFO: the high QC */
  zg_bft_qc_t qc;
  zg_slice_t qc_bytes;
  /* PROPOSAL, TIMEOUT, SYNC_INFO: optional timeout certificate (tc_bytes.len == 0 when
   * absent); a timeout carries the TC that moved its sender to its round */
  zg_slice_t tc_bytes;
  /* PROPOSAL: proposer's signature; TIMEOUT: signer's signature */
  uint8_t sig[64];
  /* VOTE */
  zg_bft_vote_t vote;
  /* TIMEOUT */
  uint64_t epoch, round;
  uint32_t signer;
  /* BLOCK_REQ */
  uint8_t block_id[32];
  /* COMMIT_REQ, COMMIT_RESP */
  uint64_t height;
  /* COMMIT_RESP */
  zg_slice_t proof;
} zg_bft_msg_t;

/* Decodes any engine message (no signature checks). Codec errors or
 * ZG_EPROTO for an unknown type. Never aborts on hostile bytes. */
ZG_WARN_UNUSED zg_err_t zg_bft_msg_decode(zg_bft_msg_t *m, const uint8_t *p, size_t len);
/* Decodes a timeout certificate (the tc_bytes of a proposal): its epoch,
 * round, and the high QC it carries. ZG_EPROTO when inconsistent. */
ZG_WARN_UNUSED zg_err_t zg_bft_tc_decode(uint64_t *epoch, uint64_t *round, zg_bft_qc_t *high_qc, const uint8_t *p,
                                         size_t len);

/* ---- the engine ---- */

/* Verdicts of check_payload. */
typedef enum {
  ZG_BFT_PAYLOAD_ACCEPT = 0,
  ZG_BFT_PAYLOAD_REJECT = 1,
  ZG_BFT_PAYLOAD_NOT_YET = 2, /* the app lacks data; it calls zg_bft_payload_ready later */
} zg_bft_payload_verdict_t;

/*
 * The engine's view of the world. ctx is passed back to every callback.
 * Pointers given to callbacks are borrowed for the duration of the call.
 * Callbacks must not call back into the engine (queue the work instead).
 */
typedef struct {
  /* The app's clock in milliseconds (virtual in the simulation). */
  uint64_t (*now_ms)(void *ctx);
  /* Network: best effort, never fails. broadcast reaches every validator
   * except this node; send_validator one validator by key; send_peer the
   * peer a message came from (the `from` of zg_bft_on_message). */
  void (*broadcast)(void *ctx, const uint8_t *msg, size_t len);
  void (*send_validator)(void *ctx, const zg_ed25519_pk_t *to, const uint8_t *msg, size_t len);
  void (*send_peer)(void *ctx, uint32_t peer, const uint8_t *msg, size_t len);
  /* Asks for one call of zg_bft_on_timer at (or after) at_ms; replaces the
   * previous request. */
  void (*set_timer)(void *ctx, uint64_t at_ms);
  /* Leader: the payload of a new block at height with the given parent
   * (append to payload) and that block's epoch (*epoch). An error skips the
   * proposal for this round. */
  zg_err_t (*make_payload)(void *ctx, uint64_t height, const zg_bft_block_t *parent, uint64_t *epoch,
                           zg_buf_t *payload);
  /* Voter: whether block's payload (and epoch, for its height) is valid.
   * Called for boundary blocks too. */
  zg_bft_payload_verdict_t (*check_payload)(void *ctx, const zg_bft_block_t *block);
  /* A committed normal block with its commit proof, in height order,
   * exactly once per height (boundary blocks are not passed). An error
   * stops the engine (zg_bft_* then returns ZG_ESTATE). */
  zg_err_t (*commit)(void *ctx, const zg_bft_block_t *block, const uint8_t *proof, size_t proof_len);
  /* The validator set of epoch (the array must stay valid until the next
   * valset call of this engine); ZG_EEPOCH when not known yet. */
  zg_err_t (*valset)(void *ctx, uint64_t epoch, zg_bft_valset_t *out);
  /* Signs msg with this node's Ed25519 key. */
  zg_err_t (*sign)(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[64]);
  /* Optional (NULL = Ed25519): signature verification, so the simulation
   * can model crypto cost. Returns true when valid. */
  bool (*verify)(void *ctx, const zg_ed25519_pk_t *pk, const uint8_t *msg, size_t len, const uint8_t sig[64]);
  /* Persists one WAL record; durable on return. Only the latest record
   * matters: it holds the whole safety state (replace the previous one). */
  zg_err_t (*wal_write)(void *ctx, const uint8_t *rec, size_t len);
  /* Optional: a validator signed two votes for one round (both encodings,
   * ZG_BFT_VOTE_LEN bytes each), for the Staking contract's slashing. */
  void (*on_evidence)(void *ctx, const uint8_t *vote_a, const uint8_t *vote_b);
  /* The committed normal block at height and its commit proof (append to
   * block and proof), for peers that sync. ZG_ENOTFOUND when unknown. */
  zg_err_t (*load_committed)(void *ctx, uint64_t height, zg_buf_t *block, zg_buf_t *proof);
} zg_bft_io_t;

typedef struct {
  uint32_t chain_id;
  uint8_t lane;
  zg_ed25519_pk_t self;      /* this node's key (may be outside every set: observer) */
  uint32_t base_timeout_ms;  /* round timeout before backoff (e.g. 1000) */
  uint32_t max_backoff_exp;  /* timeout = base * 1.5^min(rounds without QC, this) */
  uint32_t sync_window;      /* a block more than this above the committed height is synced by height */
} zg_bft_config_t;

typedef struct zg_bft zg_bft_t;

/* Fills cfg with defaults (timeout 1000 ms, backoff 6, window 32). */
void zg_bft_config_default(zg_bft_config_t *cfg, uint32_t chain_id, uint8_t lane, const zg_ed25519_pk_t *self);
/* Allocates an engine (*out; io and ctx borrowed for its lifetime).
 * ZG_ENOMEM, ZG_EINVAL. */
ZG_WARN_UNUSED zg_err_t zg_bft_create(zg_bft_t **out, const zg_bft_config_t *cfg, const zg_bft_io_t *io, void *ctx);
void zg_bft_destroy(zg_bft_t *e);
/* Starts (or restarts) the engine. root: the encoding of the last committed
 * block (the genesis block when none, zg_bft_genesis + zg_bft_block_encode);
 * wal: the last record given to wal_write, or NULL/0 on a fresh start.
 * ZG_ECORRUPT for a WAL record that does not parse. */
ZG_WARN_UNUSED zg_err_t zg_bft_start(zg_bft_t *e, const uint8_t *root, size_t root_len, const uint8_t *wal,
                                     size_t wal_len);
/* A message from peer `from` (opaque to the engine, echoed to send_peer;
 * UINT32_MAX = no peer to answer, e.g. a message the node looped back).
 * Malformed or invalid messages are dropped (ZG_OK): a peer cannot make the
 * engine fail. Errors are the app's (commit, wal_write, sign) or ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_bft_on_message(zg_bft_t *e, uint32_t from, const uint8_t *msg, size_t len);
/* The timer asked for by set_timer fired (now_ms from the app's clock). */
ZG_WARN_UNUSED zg_err_t zg_bft_on_timer(zg_bft_t *e, uint64_t now_ms);
/* The app now holds what check_payload answered NOT_YET for. */
ZG_WARN_UNUSED zg_err_t zg_bft_payload_ready(zg_bft_t *e, const uint8_t block_id[32]);

/* Read-only state, for metrics and tests. */
typedef struct {
  uint64_t round;            /* current round */
  uint64_t voted_round;      /* highest round voted or timed out in */
  uint64_t high_qc_round;    /* round of the highest QC known */
  uint64_t committed_height; /* height of the last committed normal block */
  uint64_t committed_round;  /* round of the last committed block */
  uint64_t epoch;            /* epoch of the highest QC */
  uint64_t proposals, votes_sent, timeouts_sent, qcs_formed, tcs_formed, syncs;
} zg_bft_status_t;
void zg_bft_status(const zg_bft_t *e, zg_bft_status_t *st);

#endif

/*
 * bft_internal.h — pieces shared by the engine's files (bft_codec.c, bft.c,
 * bft_sync.c): signing domains, signed-message builders, verification with a
 * pluggable verifier, timeout-certificate layout, message encoders.
 */
#ifndef ZG_BFT_INTERNAL_H
#define ZG_BFT_INTERNAL_H

#include "zg/bft.h"
#include "zg/codec.h"

/* Signed messages: domain || u32 chain_id || u8 lane || fields. */
#define ZG__BFT_TIMEOUT_MSG_LEN 42u  /* "zg/timeout/v1" || chain || lane || epoch || round || high_qc_round */
#define ZG__BFT_PROPOSAL_MSG_LEN 51u /* "zg/proposal/v1" || chain || lane || block_id */
/* One TC entry: u32 signer, u64 high_qc_round, b64 signature. */
#define ZG__BFT_TC_ENTRY_LEN 76u

typedef bool (*zg__bft_verify_fn)(void *ctx, const zg_ed25519_pk_t *pk, const uint8_t *msg, size_t len,
                                  const uint8_t sig[64]);

void zg__bft_timeout_message(uint8_t out[ZG__BFT_TIMEOUT_MSG_LEN], uint32_t chain_id, uint8_t lane, uint64_t epoch,
                             uint64_t round, uint64_t high_qc_round);
void zg__bft_proposal_message(uint8_t out[ZG__BFT_PROPOSAL_MSG_LEN], uint32_t chain_id, uint8_t lane,
                              const uint8_t block_id[32]);
/* Signature check through fn (NULL: Ed25519). */
bool zg__bft_sig_ok(zg__bft_verify_fn fn, void *ctx, const zg_ed25519_pk_t *pk, const uint8_t *msg, size_t len,
                    const uint8_t sig[64]);
/* zg_bft_verify_qc with a pluggable verifier. */
ZG_WARN_UNUSED zg_err_t zg__bft_verify_qc_with(bool *ok, const zg_bft_valset_t *vs, const zg_bft_qc_t *qc,
                                               zg__bft_verify_fn fn, void *ctx);
/* A TC split into its parts: entries is count * ZG__BFT_TC_ENTRY_LEN bytes. */
typedef struct {
  uint64_t epoch, round;
  zg_slice_t entries;
  size_t count;
  zg_bft_qc_t high_qc;
  zg_slice_t high_qc_bytes;
} zg__bft_tc_t;
ZG_WARN_UNUSED zg_err_t zg__bft_tc_parse(zg__bft_tc_t *tc, const uint8_t *p, size_t len);
/* Verifies a TC: distinct signers of vs with a quorum, valid timeout
 * signatures, high QC round = the largest entry round, high QC valid (or the
 * genesis QC when its round is 0 and gen_id matches). */
ZG_WARN_UNUSED zg_err_t zg__bft_verify_tc(bool *ok, const zg_bft_valset_t *vs, uint32_t chain_id, uint8_t lane,
                                          const zg__bft_tc_t *tc, const uint8_t gen_id[32], zg__bft_verify_fn fn,
                                          void *ctx);
/* zg_bft_verify_commit with a pluggable verifier. */
ZG_WARN_UNUSED zg_err_t zg__bft_verify_commit_with(bool *ok, const zg_bft_valset_t *vs, const zg_bft_block_t *block,
                                                   const uint8_t *proof, size_t len, zg__bft_verify_fn fn,
                                                   void *ctx);

/* Message encoders (append to out). */
void zg__bft_put_hdr(zg_codec_writer_t *w, uint8_t type, uint32_t chain_id, uint8_t lane);
ZG_WARN_UNUSED zg_err_t zg__bft_encode_proposal(zg_buf_t *out, const uint8_t *block, size_t block_len,
                                                const uint8_t *qc, size_t qc_len, const uint8_t *tc, size_t tc_len,
                                                const uint8_t sig[64], uint32_t chain_id, uint8_t lane);
ZG_WARN_UNUSED zg_err_t zg__bft_encode_timeout(zg_buf_t *out, uint32_t chain_id, uint8_t lane, uint64_t epoch,
                                               uint64_t round, uint32_t signer, const uint8_t *qc, size_t qc_len,
                                               const uint8_t sig[64], const uint8_t *tc, size_t tc_len);

static inline unsigned zg__bft_bit(const uint8_t bitmap[32], uint32_t i) { return (bitmap[i >> 3] >> (i & 7)) & 1u; }

#endif

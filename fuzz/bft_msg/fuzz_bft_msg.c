/* fuzz_bft_msg.c — the consensus engine's decoders of untrusted bytes
 * (zg_bft_msg_decode and the nested block, QC, TC, vote and commit-proof
 * decoders): no crash, every accepted part re-encodes to the same bytes
 * (canonical forms only), and the whole message fed to a running engine
 * (one validator of a 4-validator set) is dropped or handled without error. */
#include <stdlib.h>
#include <string.h>

#include "chain/bft_internal.h"
#include "zg/bft.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zg_bft_validator_t g_vals[4];

static uint64_t f_now(void *c) { return 1000; }
static void f_bcast(void *c, const uint8_t *m, size_t n) {}
static void f_sendv(void *c, const zg_ed25519_pk_t *to, const uint8_t *m, size_t n) {}
static void f_sendp(void *c, uint32_t p, const uint8_t *m, size_t n) {}
static void f_timer(void *c, uint64_t at) {}
static zg_err_t f_make(void *c, uint64_t h, const zg_bft_block_t *p, uint64_t *e, zg_buf_t *pl) {
  *e = p->epoch;
  return ZG_OK;
}
static zg_bft_payload_verdict_t f_check(void *c, const zg_bft_block_t *b) { return ZG_BFT_PAYLOAD_ACCEPT; }
static zg_err_t f_commit(void *c, const zg_bft_block_t *b, const uint8_t *p, size_t n) { return ZG_OK; }
static zg_err_t f_valset(void *c, uint64_t e, zg_bft_valset_t *out) {
  out->v = g_vals;
  out->n = 4;
  return e < 2 ? ZG_OK : ZG_EEPOCH;
}
static zg_err_t f_sign(void *c, const uint8_t *m, size_t n, uint8_t sig[64]) {
  memset(sig, 0, 64);
  return ZG_OK;
}
/* Signatures "verify" when their first byte is 1, so the fuzzer can reach
 * the handlers behind the signature checks. */
static bool f_verify(void *c, const zg_ed25519_pk_t *pk, const uint8_t *m, size_t n, const uint8_t sig[64]) {
  return sig[0] == 1;
}
static zg_err_t f_wal(void *c, const uint8_t *r, size_t n) { return ZG_OK; }
static zg_err_t f_load(void *c, uint64_t h, zg_buf_t *b, zg_buf_t *p) { return ZG_ENOTFOUND; }

static const zg_bft_io_t f_io = {f_now, f_bcast, f_sendv, f_sendp, f_timer, f_make, f_check, f_commit,
                                 f_valset, f_sign, f_verify, f_wal, NULL, f_load};

static void same(const zg_buf_t *b, zg_slice_t s) {
  if (b->len != s.len || (s.len && memcmp(b->ptr, s.ptr, s.len) != 0)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  zg_bft_msg_t m;
  zg_buf_t b;
  zg_buf_init(&b);
  if (zg_bft_msg_decode(&m, data, size) == ZG_OK) {
    if (m.block_bytes.len) {
      if (zg_bft_block_encode(&b, &m.block) != ZG_OK) abort();
      same(&b, m.block_bytes);
      b.len = 0;
    }
    if (m.qc_bytes.len) {
      if (zg_bft_qc_encode(&b, &m.qc) != ZG_OK) abort();
      same(&b, m.qc_bytes);
      b.len = 0;
    }
    if (m.tc_bytes.len) {
      uint64_t e, r;
      zg_bft_qc_t q;
      (void)!zg_bft_tc_decode(&e, &r, &q, m.tc_bytes.ptr, m.tc_bytes.len);
    }
    if (m.type == ZG_BFT_MSG_VOTE) {
      uint8_t v[ZG_BFT_VOTE_LEN];
      zg_bft_vote_encode(v, &m.vote);
      if (memcmp(v, data + 6, ZG_BFT_VOTE_LEN) != 0) abort();
    }
    if (m.proof.len) {
      uint64_t e;
      bool ok;
      zg_bft_valset_t vs = {g_vals, 4};
      if (zg_bft_commit_proof_epoch(&e, m.proof.ptr, m.proof.len) == ZG_OK)
        (void)!zg__bft_verify_commit_with(&ok, &vs, &m.block, m.proof.ptr, m.proof.len, f_verify, NULL);
    }
  }
  zg_buf_clear(&b);

  /* The same bytes into a fresh engine. */
  for (int i = 0; i < 4; i++) {
    memset(g_vals[i].pk.bytes, i + 1, 32);
    g_vals[i].power = 1 + (uint64_t)(i % 2);
  }
  zg_bft_config_t cfg;
  zg_bft_config_default(&cfg, m.chain_id, m.lane, &g_vals[0].pk);
  zg_bft_t *e;
  if (zg_bft_create(&e, &cfg, &f_io, NULL) != ZG_OK) abort();
  zg_bft_block_t g;
  zg_bft_genesis(&g, cfg.chain_id, cfg.lane);
  zg_buf_init(&b);
  if (zg_bft_block_encode(&b, &g) != ZG_OK || zg_bft_start(e, b.ptr, b.len, NULL, 0) != ZG_OK) abort();
  if (zg_bft_on_message(e, 1, data, size) != ZG_OK) abort();
  zg_bft_destroy(e);
  zg_buf_clear(&b);
  return 0;
}

/* fuzz_pora_answer.c — the Mine contract's decoder of untrusted PoRA
 * answers (zg_mine_answer_decode) and the checks that follow it: accepted
 * calldata re-encodes to bytes that decode to the same answer; the pure
 * PoRA functions run on every decoded field (range rules, recall position,
 * unseal, scaled target) without crashing; and the whole Mine.submit
 * dispatch runs on the raw bytes against an in-memory world holding a flow
 * and a registered miner (every outcome must be OK or a revert, never a
 * host failure or a crash). */
#include <stdlib.h>
#include <string.h>

#include "contracts/sc_memhost.h"
#include "zg/abi.h"
#include "zg/pora.h"
#include "zg/storage_contracts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void pure_checks(const zg_mine_answer_t *a) {
  bool ok;
  const char *why;
  uint64_t pos;
  uint8_t seal[ZG_PORA_SEAL_BYTES];
  zg_pora_range_check(&ok, &why, &a->range, a->recall_position, 1 + (a->seal_offset & 63));
  (void)zg_pora_recall_position(&pos, a->nonce, &a->range);
  memcpy(seal, a->sealed, sizeof seal);
  zg_pora_unseal(seal, a->miner_id, a->sealed_context_digest, a->recall_position);
  zg_pora_seal(seal, a->miner_id, a->sealed_context_digest, a->recall_position);
  if (memcmp(seal, a->sealed, sizeof seal) != 0) abort();
  zg_u256_t t, s;
  zg_u256_from_be32(&t, a->context_digest);
  (void)zg_pora_scaled_target(&s, &t, a->range.mine_length, zg_pora_num_shards(&a->range));
  zg_pora_adjust_target(&s, &t, a->seal_offset, a->recall_position, a->range.shard_id, a->range.start);
}

static void run_contract(const uint8_t *args, size_t len) {
  static zg_sc_registry_t *reg;
  if (!reg) {
    if (zg_sc_registry_new(&reg) != ZG_OK || zg_sc_register(reg, &zg_flow_contract) != ZG_OK ||
        zg_sc_register(reg, &zg_market_contract) != ZG_OK || zg_sc_register(reg, &zg_reward_contract) != ZG_OK ||
        zg_sc_register(reg, &zg_mine_contract) != ZG_OK)
      abort();
  }
  mh_world_t w;
  memset(&w, 0, sizeof w);
  zg_sc_host_t h;
  zg_buf_t cd;
  zg_sc_result_t r;
  zg_buf_init(&cd);
  uint8_t sel[4];
  zg_abi_selector(sel, ZG_MINE_SIG_SUBMIT, strlen(ZG_MINE_SIG_SUBMIT));
  if (zg_buf_append(&cd, sel, 4) != ZG_OK || zg_buf_append(&cd, args, len) != ZG_OK) abort();
  mh_host_init(&h, &w, &zg_mine_address, 16888);
  h.block_number = 15;
  h.timestamp_ms = 1000;
  memset(h.caller.bytes, 0xaa, 20);
  /* A registered miner whose id the input may name: requestMinerId(caller, seed 0). */
  zg_buf_t reqcd;
  zg_buf_init(&reqcd);
  zg_abi_arena_t a;
  zg_abi_func_t f;
  zg_abi_arena_init(&a);
  zg_abi_value_t rargs[2] = {zg_abi_address(h.caller.bytes), zg_abi_u64(0)};
  if (zg_abi_func_parse(&f, &a, ZG_MINE_SIG_REQUEST_MINER_ID) != ZG_OK ||
      zg_abi_call_encode(&reqcd, &f, rargs, 2) != ZG_OK)
    abort();
  zg_abi_arena_clear(&a);
  if (zg_sc_call(reg, &h, reqcd.ptr, reqcd.len, &r) != ZG_OK || r.status != ZG_SC_OK) abort();
  zg_sc_result_free(&r);
  zg_buf_clear(&reqcd);
  zg_err_t e = zg_sc_call(reg, &h, cd.ptr, cd.len, &r);
  if (e != ZG_OK || r.status == ZG_SC_FAIL) abort();
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
  mh_world_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  zg_mine_answer_t *a = malloc(sizeof *a), *b = malloc(sizeof *b);
  if (!a || !b) abort();
  if (zg_mine_answer_decode(a, data, size) == ZG_OK) {
    zg_buf_t enc;
    zg_buf_init(&enc);
    if (zg_mine_answer_encode(&enc, a) != ZG_OK) abort();
    if (zg_mine_answer_decode(b, enc.ptr + 4, enc.len - 4) != ZG_OK) abort();
    if (memcmp(a, b, offsetof(zg_mine_answer_t, proof)) != 0 || a->nproof != b->nproof ||
        memcmp(a->proof, b->proof, a->nproof * 32) != 0)
      abort();
    zg_buf_clear(&enc);
    pure_checks(a);
  }
  run_contract(data, size);
  free(a);
  free(b);
  return 0;
}

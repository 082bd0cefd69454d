/*
 * eth_fake.h — an in-memory zg_eth_backend_t for the Ethereum JSON-RPC
 * tests and the fuzz target: two lanes (heads 3 and 2), four transactions
 * (legacy EIP-155, EIP-1559 and EIP-2930 mined, one legacy pending), their
 * receipts and three logs, one funded account, a system contract whose
 * calls return a word or revert with Error("nope"), three transactions with
 * different tips in lane 1's block 2 (fee history), and send_raw outcomes
 * chosen by the first byte of the raw transaction.
 *
 * Values are byte patterns so that expected JSON stays readable: block
 * (lane 0, n) has hash bN..., lane 1 cN...; transaction i has hash ai...;
 * addresses: A0 = 0x10.. (lane 0), A1 = 0x11.. (lane 1), TO = 0x22..,
 * SC = 0x00..1000 (the system contract), MINER = 0x99...
 * Header-only (static functions): included by one test and one fuzz file.
 */
#ifndef ZG_TESTS_ETH_FAKE_H
#define ZG_TESTS_ETH_FAKE_H

#include <string.h>

#include "zg/eth_rpc.h"
#include "zg/hash.h"

#define FAKE_GWEI 1000000000ull

typedef struct {
  zg_eth_block_t blocks[5]; /* lane 0: 1..3, lane 1: 1..2 */
  uint8_t block_txs[5][3][32];
  zg_eth_tx_t txs[7];
  zg_eth_receipt_t receipts[3];
  zg_eth_log_t logs[3]; /* L1, L3 of tx 2 (lane 0, block 2), L2 of tx 3 (lane 1, block 1) */
  uint8_t topics[3][2][32];
  uint8_t log_data[32];
  zg_eth_access_t access;
  uint8_t access_key[1][32];
  uint8_t t2_input[4];
  zg_eth_addr_t a0, a1, to, sc, miner;
  /* Knobs of the limit tests. */
  uint64_t head0; /* lane 0 head (3) */
  size_t synth_logs; /* > 0: logs() reports this many copies of L1 */
  unsigned logs_calls;
} fake_t;

static fake_t FAKE;

static void fake_fill(void *p, uint8_t b, size_t n) { memset(p, b, n); }

static void fake_block(zg_eth_block_t *b, uint32_t lane, uint64_t n, uint8_t tag, uint8_t parent_tag,
                       uint64_t gas_used, const uint8_t (*txh)[32], size_t ntx) {
  memset(b, 0, sizeof *b);
  b->lane = lane;
  b->number = n;
  fake_fill(b->hash, tag, 32);
  if (parent_tag) fake_fill(b->parent_hash, parent_tag, 32);
  fake_fill(b->state_root, (uint8_t)(0x50 + n + 8 * lane), 32);
  fake_fill(b->transactions_root, (uint8_t)(0x70 + n + 8 * lane), 32);
  fake_fill(b->receipts_root, (uint8_t)(0x80 + n + 8 * lane), 32);
  if (gas_used == 45000) fake_fill(b->logs_bloom, 0x0f, 256);
  b->miner = FAKE.miner;
  b->timestamp_ms = 1700000000000ull + 500 * n;
  b->gas_limit = 30000000;
  b->gas_used = gas_used;
  b->base_fee = zg_u256_from_u64(FAKE_GWEI);
  b->size = 500 + n;
  b->tx_hashes = txh;
  b->n_txs = ntx;
}

static void fake_init(void) {
  fake_t *f = &FAKE;
  memset(f, 0, sizeof *f);
  f->head0 = 3;
  fake_fill(f->a0.bytes, 0x10, 20);
  fake_fill(f->a1.bytes, 0x11, 20);
  fake_fill(f->to.bytes, 0x22, 20);
  f->sc.bytes[18] = 0x10;
  fake_fill(f->miner.bytes, 0x99, 20);

  /* Transactions. */
  zg_eth_tx_t *t = &f->txs[0]; /* T1: legacy EIP-155, lane 0 block 1 */
  fake_fill(t->hash, 0xa1, 32);
  t->type = ZG_ETH_TX_LEGACY;
  t->eip155 = true;
  t->chain_id = 16888;
  t->gas = 21000;
  t->gas_price = zg_u256_from_u64(2 * FAKE_GWEI);
  t->has_to = true;
  t->to = f->to;
  t->value = zg_u256_from_u64(1000000000000000000ull);
  t->y_parity = 1;
  fake_fill(t->r, 0xe1, 32);
  fake_fill(t->s + 2, 0x5f, 30);
  t->s[1] = 0x0f; /* s = 0x0f5f5f...: the quantity drops the leading zero byte */
  t->from = f->a0;
  t->mined = true;
  fake_fill(t->block_hash, 0xb1, 32);
  t->block_number = 1;

  t = &f->txs[1]; /* T2: EIP-1559 to the system contract, lane 0 block 2 */
  fake_fill(t->hash, 0xa2, 32);
  t->type = ZG_ETH_TX_DYNAMIC_FEE;
  t->chain_id = 16888;
  t->nonce = 1;
  t->gas = 50000;
  t->gas_price = zg_u256_from_u64(2 * FAKE_GWEI);
  t->max_fee = zg_u256_from_u64(3 * FAKE_GWEI);
  t->max_priority_fee = zg_u256_from_u64(FAKE_GWEI);
  t->has_to = true;
  t->to = f->sc;
  memcpy(f->t2_input, "\xa9\x05\x9c\xbb", 4);
  t->input = f->t2_input;
  t->input_len = 4;
  fake_fill(f->access.address.bytes, 0x33, 20);
  fake_fill(f->access_key[0], 0x44, 32);
  f->access.keys = (const uint8_t(*)[32])f->access_key;
  f->access.n_keys = 1;
  t->access_list = &f->access;
  t->n_access = 1;
  fake_fill(t->r, 0xe2, 32);
  fake_fill(t->s, 0x12, 32);
  t->from = f->a0;
  t->mined = true;
  fake_fill(t->block_hash, 0xb2, 32);
  t->block_number = 2;

  t = &f->txs[2]; /* T3: EIP-2930, lane 1 block 1, reverted */
  fake_fill(t->hash, 0xa3, 32);
  t->type = ZG_ETH_TX_ACCESS_LIST;
  t->chain_id = 16888;
  t->gas = 30000;
  t->gas_price = zg_u256_from_u64(2 * FAKE_GWEI);
  t->has_to = true;
  t->to = f->to;
  t->value = zg_u256_from_u64(5);
  t->y_parity = 1;
  fake_fill(t->r, 0xe3, 32);
  fake_fill(t->s, 0x13, 32);
  t->from = f->a1;
  t->mined = true;
  t->lane = 1;
  fake_fill(t->block_hash, 0xc1, 32);
  t->block_number = 1;

  t = &f->txs[3]; /* T4: legacy without chain id, pending on lane 1 */
  fake_fill(t->hash, 0xa4, 32);
  t->nonce = 1;
  t->gas = 21000;
  t->gas_price = zg_u256_from_u64(2 * FAKE_GWEI);
  t->has_to = true;
  t->to = f->to;
  fake_fill(t->r, 0xe4, 32);
  fake_fill(t->s, 0x14, 32);
  t->from = f->a1;
  t->lane = 1;

  /* T5..T7: lane 1 block 2, tips 4, 1 and 0 gwei over a base fee of 1 gwei. */
  static const uint64_t prices[3] = {5, 2, 1}, gas[3] = {21000, 100000, 21000}, used[3] = {21000, 60000, 0};
  for (int i = 0; i < 3; i++) {
    t = &f->txs[4 + i];
    fake_fill(t->hash, (uint8_t)(0xa5 + i), 32);
    t->type = i == 1 ? ZG_ETH_TX_DYNAMIC_FEE : ZG_ETH_TX_LEGACY;
    t->chain_id = 16888;
    t->eip155 = true;
    t->nonce = (uint64_t)i;
    t->gas = gas[i];
    t->gas_used = used[i];
    t->gas_price = zg_u256_from_u64(prices[i] * FAKE_GWEI);
    t->max_fee = zg_u256_from_u64(3 * FAKE_GWEI);
    t->max_priority_fee = zg_u256_from_u64(FAKE_GWEI);
    t->from = f->a1;
    t->mined = true;
    t->lane = 1;
    fake_fill(t->block_hash, 0xc2, 32);
    t->block_number = 2;
    t->tx_index = (uint32_t)i;
  }

  /* Logs. */
  f->log_data[31] = 0x2a;
  fake_fill(f->topics[0][0], 0xd1, 32);
  fake_fill(f->topics[0][1], 0xd2, 32);
  fake_fill(f->topics[1][0], 0xd3, 32);
  fake_fill(f->topics[2][0], 0xd1, 32);
  zg_eth_log_t *l = &f->logs[0];
  l->address = f->sc;
  l->topics = (const uint8_t(*)[32])f->topics[0];
  l->n_topics = 2;
  l->data = f->log_data;
  l->data_len = 32;
  l->block_number = 2;
  fake_fill(l->block_hash, 0xb2, 32);
  fake_fill(l->tx_hash, 0xa2, 32);
  l = &f->logs[1];
  l->address = f->sc;
  l->topics = (const uint8_t(*)[32])f->topics[1];
  l->n_topics = 1;
  l->block_number = 2;
  fake_fill(l->block_hash, 0xb2, 32);
  fake_fill(l->tx_hash, 0xa2, 32);
  l->log_index = 1;
  l = &f->logs[2];
  l->address = f->to;
  l->topics = (const uint8_t(*)[32])f->topics[2];
  l->n_topics = 1;
  l->lane = 1;
  l->block_number = 1;
  fake_fill(l->block_hash, 0xc1, 32);
  fake_fill(l->tx_hash, 0xa3, 32);

  /* Receipts. */
  for (int i = 0; i < 3; i++) {
    zg_eth_receipt_t *r = &f->receipts[i];
    t = &f->txs[i];
    memcpy(r->tx_hash, t->hash, 32);
    memcpy(r->block_hash, t->block_hash, 32);
    r->block_number = t->block_number;
    r->lane = t->lane;
    r->from = t->from;
    r->has_to = true;
    r->to = t->to;
    r->type = t->type;
    r->success = i != 2;
    r->effective_gas_price = zg_u256_from_u64(2 * FAKE_GWEI);
  }
  f->receipts[0].cumulative_gas_used = f->receipts[0].gas_used = 21000;
  f->receipts[1].cumulative_gas_used = f->receipts[1].gas_used = 45000;
  fake_fill(f->receipts[1].logs_bloom, 0x0f, 256);
  f->receipts[1].logs = &f->logs[0];
  f->receipts[1].n_logs = 2;
  f->receipts[2].cumulative_gas_used = f->receipts[2].gas_used = 30000;

  /* Blocks. */
  for (int i = 0; i < 4; i++) fake_fill(f->block_txs[i][0], (uint8_t)(0xa1 + (i == 1 ? 1 : i == 3 ? 2 : 0)), 32);
  fake_block(&f->blocks[0], 0, 1, 0xb1, 0, 21000, (const uint8_t(*)[32])f->block_txs[0], 1);
  fake_block(&f->blocks[1], 0, 2, 0xb2, 0xb1, 45000, (const uint8_t(*)[32])f->block_txs[1], 1);
  fake_block(&f->blocks[2], 0, 3, 0xb3, 0xb2, 0, NULL, 0);
  fake_block(&f->blocks[3], 1, 1, 0xc1, 0, 30000, (const uint8_t(*)[32])f->block_txs[3], 1);
  for (int i = 0; i < 3; i++) fake_fill(f->block_txs[4][i], (uint8_t)(0xa5 + i), 32);
  fake_block(&f->blocks[4], 1, 2, 0xc2, 0xc1, 102000, (const uint8_t(*)[32])f->block_txs[4], 3);
}

static const zg_eth_tx_t *fake_tx(const uint8_t h[32]) {
  for (int i = 0; i < 7; i++)
    if (memcmp(FAKE.txs[i].hash, h, 32) == 0) return &FAKE.txs[i];
  return NULL;
}

static zg_err_t fake_head(void *ctx, uint32_t lane, uint64_t *h) {
  *h = lane == 0 ? FAKE.head0 : 2;
  return ZG_OK;
}

static zg_err_t fake_fill_block(zg_arena_t *arena, zg_eth_block_t *out, const zg_eth_block_t *b, bool full) {
  *out = *b;
  if (!full || !b->n_txs) return ZG_OK;
  zg_eth_tx_t *txs = zg_arena_alloc(arena, b->n_txs * sizeof *txs);
  if (!txs) return ZG_ENOMEM;
  for (size_t i = 0; i < b->n_txs; i++) txs[i] = *fake_tx(b->tx_hashes[i]);
  out->txs = txs;
  return ZG_OK;
}

static zg_err_t fake_block_by_number(void *ctx, zg_arena_t *arena, zg_eth_block_t *out, uint32_t lane, uint64_t n,
                                     bool full) {
  for (int i = 0; i < 5; i++)
    if (FAKE.blocks[i].lane == lane && FAKE.blocks[i].number == n) return fake_fill_block(arena, out, &FAKE.blocks[i], full);
  return ZG_ENOTFOUND;
}

static zg_err_t fake_block_by_hash(void *ctx, zg_arena_t *arena, zg_eth_block_t *out, const uint8_t h[32], bool full) {
  for (int i = 0; i < 5; i++)
    if (memcmp(FAKE.blocks[i].hash, h, 32) == 0) return fake_fill_block(arena, out, &FAKE.blocks[i], full);
  return ZG_ENOTFOUND;
}

static zg_err_t fake_tx_by_hash(void *ctx, zg_arena_t *arena, zg_eth_tx_t *out, const uint8_t h[32]) {
  const zg_eth_tx_t *t = fake_tx(h);
  if (!t) return ZG_ENOTFOUND;
  *out = *t;
  return ZG_OK;
}

static zg_err_t fake_receipt(void *ctx, zg_arena_t *arena, zg_eth_receipt_t *out, const uint8_t h[32]) {
  for (int i = 0; i < 3; i++)
    if (memcmp(FAKE.receipts[i].tx_hash, h, 32) == 0) {
      *out = FAKE.receipts[i];
      return ZG_OK;
    }
  return ZG_ENOTFOUND;
}

static zg_err_t fake_account(void *ctx, zg_u256_t *bal, uint64_t *nonce, const zg_eth_addr_t *a, bool pending) {
  *bal = zg_u256_from_u64(0);
  *nonce = 0;
  if (memcmp(a->bytes, FAKE.a0.bytes, 20) == 0) {
    zg_u256_t v = zg_u256_from_u64(1000000000000000000ull);
    (void)zg_u256_mul_u64(bal, &v, 1000); /* 1000 ether */
    *nonce = pending ? 3 : 2;
  }
  return ZG_OK;
}

static zg_err_t fake_code(void *ctx, zg_arena_t *arena, const uint8_t **code, size_t *len, const zg_eth_addr_t *a) {
  bool sc = memcmp(a->bytes, FAKE.sc.bytes, 20) == 0;
  *code = sc ? ZG_ETH_SYSCONTRACT_CODE : NULL;
  *len = sc ? ZG_ETH_SYSCONTRACT_CODE_LEN : 0;
  return ZG_OK;
}

/* Calls to SC: selector 0xdeadbeef reverts with Error("nope"), anything
 * else returns the word 42. Value from an empty account: insufficient funds. */
static zg_err_t fake_run(zg_arena_t *arena, zg_eth_call_result_t *out, zg_eth_msg_t *msg, const zg_eth_call_t *c) {
  memset(out, 0, sizeof *out);
  if (c->has_value && !zg_u256_is_zero(&c->value) && (!c->has_from || memcmp(c->from.bytes, FAKE.a0.bytes, 20) != 0))
    return ZG_EFUNDS;
  if (!c->has_to) return ZG_EUNSUPPORTED;
  if (c->data_len >= 4 && memcmp(c->data, "\xde\xad\xbe\x00", 4) == 0) {
    out->reverted = true; /* a reason without return data */
    strcpy(out->reason, "bare");
    return ZG_OK;
  }
  if (c->data_len >= 4 && memcmp(c->data, "\xde\xad\xbe\xef", 4) == 0) {
    uint8_t *r = zg_arena_alloc(arena, 100);
    if (!r) return ZG_ENOMEM;
    memset(r, 0, 100);
    memcpy(r, "\x08\xc3\x79\xa0", 4);
    r[35] = 0x20;
    r[67] = 4;
    memcpy(r + 68, "nope", 4);
    out->reverted = true;
    out->ret = r;
    out->ret_len = 100;
    strcpy(out->reason, "nope");
    return ZG_OK;
  }
  if (memcmp(c->to.bytes, FAKE.sc.bytes, 20) == 0) {
    uint8_t *r = zg_arena_alloc(arena, 32);
    if (!r) return ZG_ENOMEM;
    memset(r, 0, 32);
    r[31] = 42;
    out->ret = r;
    out->ret_len = 32;
  }
  uint64_t gas = 21000;
  for (size_t i = 0; i < c->data_len; i++) gas += c->data[i] ? 16 : 4;
  out->gas_used = gas;
  return ZG_OK;
}

static zg_err_t fake_call(void *ctx, zg_arena_t *arena, zg_eth_call_result_t *out, zg_eth_msg_t *msg,
                          const zg_eth_call_t *c) {
  return fake_run(arena, out, msg, c);
}

static zg_err_t fake_estimate(void *ctx, zg_arena_t *arena, zg_eth_call_result_t *out, zg_eth_msg_t *msg,
                              const zg_eth_call_t *c) {
  return fake_run(arena, out, msg, c);
}

/* First byte: 0x02 admitted; 0xbb nonce too low (with message); 0xcc
 * insufficient funds (geth's default text); 0xdd wrong lane; 0xee a node
 * fault; anything else undecodable. */
static zg_err_t fake_send_raw(void *ctx, uint8_t hash[32], zg_eth_msg_t *msg, const uint8_t *raw, size_t len) {
  switch (raw[0]) {
  case 0x02: zg_keccak256(hash, raw, len); return ZG_OK;
  case 0xbb: strcpy(msg->text, "nonce too low: next nonce 3, tx nonce 1"); return ZG_ENONCE;
  case 0xcc: return ZG_EFUNDS;
  case 0xdd:
    strcpy(msg->text, "sender 0x1111111111111111111111111111111111111111 is on lane 1; contract Staking lives on lane 0");
    return ZG_ELANE;
  case 0xee: return ZG_EIO;
  default: return ZG_ETRUNC;
  }
}

static zg_err_t fake_logs(void *ctx, zg_arena_t *arena, const zg_eth_filter_t *f, zg_eth_log_fn fn, void *arg) {
  FAKE.logs_calls++;
  if (f->by_hash) {
    zg_eth_block_t b;
    if (fake_block_by_hash(ctx, arena, &b, f->block_hash, false) != ZG_OK) return ZG_ENOTFOUND;
  }
  for (size_t i = 0; i < FAKE.synth_logs; i++)
    if (!fn(arg, &FAKE.logs[0])) return ZG_OK;
  for (int i = 0; i < 3; i++) {
    const zg_eth_log_t *l = &FAKE.logs[i];
    bool in = f->by_hash ? memcmp(l->block_hash, f->block_hash, 32) == 0
                         : l->lane == f->lane && l->block_number >= f->from && l->block_number <= f->to;
    if (in && zg_eth_log_matches(f, &l->address, l->topics, l->n_topics) && !fn(arg, l)) break;
  }
  return ZG_OK;
}

static zg_err_t fake_fees(void *ctx, zg_eth_fees_t *out) {
  out->base_fee = zg_u256_from_u64(FAKE_GWEI);
  out->gas_price = zg_u256_from_u64(2 * FAKE_GWEI);
  out->max_priority_fee = zg_u256_from_u64(FAKE_GWEI);
  return ZG_OK;
}

static const zg_eth_backend_t FAKE_BACKEND = {
    NULL,          16888,         2,         NULL,          fake_head,     fake_block_by_number,
    fake_block_by_hash, fake_tx_by_hash, fake_receipt, fake_account, fake_code, fake_call,
    fake_estimate, fake_send_raw, fake_logs, fake_fees,
};

#endif

/*
 * test_batch.c — transaction batches (zg/batch.h): encode/decode round trip
 * and id, every limit and defect, decode + recovery with the sender cache
 * (a second pass recovers nothing), defective txs inside a batch, the lane
 * rule, and random byte mutations of an encoding.
 */
#include <stdlib.h>
#include <string.h>

#include "zg/batch.h"
#include "zg/hash.h"
#include "zg_test.h"

#define NKEYS 4

static zg_secp256k1_sk_t g_sk[NKEYS];
static zg_eth_addr_t g_addr[NKEYS];

static void setup_keys(void) {
  for (int i = 0; i < NKEYS; i++) {
    uint8_t k[32];
    memset(k, 0x31 + i, 32);
    if (zg_secp256k1_sk_parse(&g_sk[i], k, 32) != ZG_OK) abort();
    zg_secp256k1_pk_t pk;
    if (zg_secp256k1_pubkey(&pk, &g_sk[i]) != ZG_OK) abort();
    zg_eth_address(&g_addr[i], &pk);
  }
}

/* n signed txs (random types) from keys i % NKEYS, concatenated in *all;
 * views in txs[]. */
static void make_txs(zg_buf_t *all, zg_slice_t *txs, size_t n) {
  size_t *off = malloc(n * sizeof *off);
  all->len = 0;
  for (size_t i = 0; i < n; i++) {
    zg_tx_t f;
    memset(&f, 0, sizeof f);
    f.type = (uint8_t)(i % 3);
    f.chain_id = 16888;
    f.nonce = i;
    f.gas_price = f.max_fee = zg_u256_from_u64(2000000000);
    f.max_priority_fee = zg_u256_from_u64(1000000000);
    f.gas_limit = 21000 + 16 * (i % 7);
    f.has_to = true;
    zgt_rand_bytes(f.to.bytes, 20);
    f.value = zg_u256_from_u64(zgt_rand64());
    uint8_t data[7];
    zgt_rand_bytes(data, sizeof data);
    f.data = zg_slice(data, i % 7);
    off[i] = all->len;
    if (zg_tx_sign(all, &f, &g_sk[i % NKEYS]) != ZG_OK) abort();
  }
  for (size_t i = 0; i < n; i++) txs[i] = zg_slice(all->ptr + off[i], (i + 1 < n ? off[i + 1] : all->len) - off[i]);
  free(off);
}

static void test_roundtrip(void) {
  zg_buf_t all, enc, enc2;
  zg_buf_init(&all);
  zg_buf_init(&enc);
  zg_buf_init(&enc2);
  zg_slice_t txs[40];
  make_txs(&all, txs, 40);
  CHECK_OK(zg_batch_encode(&enc, 3, txs, 40));
  uint8_t id[32], h[32];
  zg_batch_id(id, enc.ptr, enc.len);
  zg_keccak256(h, enc.ptr, enc.len);
  CHECK_MEM(id, h, 32);
  /* Layout: u8 lane, u32 count, then u32 length + bytes per tx. */
  CHECK_EQ(enc.ptr[0], 3);
  CHECK_EQ(zg_load_be32(enc.ptr + 1), 40);
  CHECK_EQ(zg_load_be32(enc.ptr + 5), txs[0].len);
  zg_batch_t b;
  zg_batch_init(&b);
  CHECK_OK(zg_batch_decode(&b, enc.ptr, enc.len, NULL));
  CHECK_EQ(b.lane, 3);
  CHECK_EQ(b.n, 40);
  for (size_t i = 0; i < b.n && i < 40; i++) {
    CHECK_EQ(b.txs[i].len, txs[i].len);
    CHECK_MEM(b.txs[i].ptr, txs[i].ptr, txs[i].len);
  }
  CHECK_OK(zg_batch_encode(&enc2, b.lane, b.txs, b.n));
  CHECK_EQ(enc2.len, enc.len);
  CHECK_MEM(enc2.ptr, enc.ptr, enc.len);
  /* The storage is reused by a smaller batch. */
  enc2.len = 0;
  CHECK_OK(zg_batch_encode(&enc2, 0, txs, 1));
  CHECK_OK(zg_batch_decode(&b, enc2.ptr, enc2.len, NULL));
  CHECK_EQ(b.n, 1);
  CHECK_EQ(b.cap, 40);
  zg_batch_free(&b);
  zg_buf_clear(&all);
  zg_buf_clear(&enc);
  zg_buf_clear(&enc2);
}

static void test_limits(void) {
  zg_buf_t all, enc, bad;
  zg_buf_init(&all);
  zg_buf_init(&enc);
  zg_buf_init(&bad);
  zg_slice_t txs[10];
  make_txs(&all, txs, 10);
  CHECK_OK(zg_batch_encode(&enc, 1, txs, 10));
  zg_batch_t b;
  zg_batch_init(&b);
  zg_batch_limits_t lim = {9, 0};
  CHECK_ERR(zg_batch_decode(&b, enc.ptr, enc.len, &lim), ZG_EOVERFLOW);
  CHECK_EQ(b.n, 0);
  lim = (zg_batch_limits_t){10, enc.len - 1};
  CHECK_ERR(zg_batch_decode(&b, enc.ptr, enc.len, &lim), ZG_ETOOBIG);
  lim.max_bytes = enc.len;
  CHECK_OK(zg_batch_decode(&b, enc.ptr, enc.len, &lim));
  /* Trailing and truncated. */
  CHECK_OK(zg_buf_append(&bad, enc.ptr, enc.len));
  CHECK_OK(zg_buf_push(&bad, 0));
  CHECK_ERR(zg_batch_decode(&b, bad.ptr, bad.len, NULL), ZG_ETRAILING);
  CHECK_ERR(zg_batch_decode(&b, enc.ptr, enc.len - 1, NULL), ZG_ETRUNC);
  CHECK_ERR(zg_batch_decode(&b, enc.ptr, 3, NULL), ZG_ETRUNC);
  CHECK_ERR(zg_batch_decode(&b, enc.ptr, 0, NULL), ZG_ETRUNC);
  /* Empty batch, empty tx, a tx above 128 KiB. */
  static const uint8_t empty[5] = {1, 0, 0, 0, 0};
  CHECK_ERR(zg_batch_decode(&b, empty, 5, NULL), ZG_EEMPTY);
  static const uint8_t empty_tx[10] = {1, 0, 0, 0, 1, 0, 0, 0, 0, 0};
  CHECK_ERR(zg_batch_decode(&b, empty_tx, 9, NULL), ZG_EOVERFLOW); /* count 1 needs >= 5 more bytes */
  CHECK_ERR(zg_batch_decode(&b, empty_tx, 10, NULL), ZG_EEMPTY);
  bad.len = 0;
  CHECK_OK(zg_buf_append(&bad, "\x01\x00\x00\x00\x01\x00\x02\x00\x01\x00", 10));
  CHECK_ERR(zg_batch_decode(&b, bad.ptr, bad.len, NULL), ZG_ETOOBIG);
  CHECK_ERR(zg_batch_encode(&enc, 0, txs, 0), ZG_EINVAL);
  zg_slice_t e = zg_slice("", 0);
  CHECK_ERR(zg_batch_encode(&enc, 0, &e, 1), ZG_EINVAL);
  zg_buf_t big;
  zg_buf_init(&big);
  CHECK_OK(zg_buf_reserve(&big, ZG_TX_MAX_SIZE + 1));
  memset(big.ptr, 0x02, ZG_TX_MAX_SIZE + 1);
  zg_slice_t bs = zg_slice(big.ptr, ZG_TX_MAX_SIZE + 1);
  CHECK_ERR(zg_batch_encode(&enc, 0, &bs, 1), ZG_ETOOBIG);
  zg_buf_clear(&big);
  zg_batch_free(&b);
  zg_buf_clear(&all);
  zg_buf_clear(&enc);
  zg_buf_clear(&bad);
}

static void test_recover(void) {
  enum { N = 60 };
  zg_buf_t all, enc;
  zg_buf_init(&all);
  zg_buf_init(&enc);
  zg_slice_t txs[N + 2];
  make_txs(&all, txs, N);
  /* Two defective txs: garbage, and a good tx of another chain. */
  static const uint8_t garbage[3] = {0x02, 0xc1, 0x80};
  txs[N] = zg_slice(garbage, sizeof garbage);
  zg_buf_t other;
  zg_buf_init(&other);
  zg_tx_t f;
  memset(&f, 0, sizeof f);
  f.type = ZG_TX_DYNAMIC_FEE;
  f.chain_id = 1;
  f.gas_limit = 21000;
  f.has_to = true;
  CHECK_OK(zg_tx_sign(&other, &f, &g_sk[0]));
  txs[N + 1] = zg_buf_slice(&other);
  CHECK_OK(zg_batch_encode(&enc, 0, txs, N + 2));
  zg_batch_t b;
  zg_batch_init(&b);
  CHECK_OK(zg_batch_decode(&b, enc.ptr, enc.len, NULL));
  zg_tx_cache_t *cache;
  CHECK_OK(zg_tx_cache_create(&cache, 1024));
  zg_batch_tx_t *out = calloc(N + 2, sizeof *out);
  size_t rec = 99;
  CHECK_OK(zg_batch_recover(out, &rec, &b, 16888, 0, cache));
  CHECK_EQ(rec, N);
  for (size_t i = 0; i < N; i++) {
    CHECK_OK(out[i].err);
    CHECK_MEM(out[i].sender.bytes, g_addr[i % NKEYS].bytes, 20);
    CHECK_EQ(out[i].tx.nonce, i);
  }
  CHECK_ERR(out[N].err, ZG_EBADLEN);
  CHECK_ERR(out[N + 1].err, ZG_ECHAINID);
  /* Seen before: no recovery at all. */
  CHECK_OK(zg_batch_recover(out, &rec, &b, 16888, 0, cache));
  CHECK_EQ(rec, 0);
  for (size_t i = 0; i < N; i++) {
    CHECK_MEM(out[i].sender.bytes, g_addr[i % NKEYS].bytes, 20);
    CHECK(!out[i].tx.has_sighash); /* decoded without it, and a hit does not need it */
  }
  /* Lanes: with K = 2 only senders with an even last byte belong to lane 0. */
  CHECK_OK(zg_batch_recover(out, &rec, &b, 16888, 2, cache));
  for (size_t i = 0; i < N; i++) {
    bool mine = g_addr[i % NKEYS].bytes[19] % 2 == 0;
    CHECK_ERR(out[i].err, mine ? ZG_OK : ZG_ELANE);
  }
  /* Without a cache every tx is recovered. */
  CHECK_OK(zg_batch_recover(out, &rec, &b, 16888, 0, NULL));
  CHECK_EQ(rec, N);
  free(out);
  zg_tx_cache_destroy(cache);
  zg_batch_free(&b);
  zg_buf_clear(&other);
  zg_buf_clear(&all);
  zg_buf_clear(&enc);
}

/* Random mutations: never a crash; what decodes re-encodes identically. */
static void test_mutations(void) {
  zg_buf_t all, enc, m, re;
  zg_buf_init(&all);
  zg_buf_init(&enc);
  zg_buf_init(&m);
  zg_buf_init(&re);
  zg_slice_t txs[5];
  make_txs(&all, txs, 5);
  CHECK_OK(zg_batch_encode(&enc, 2, txs, 5));
  zg_batch_t b;
  zg_batch_init(&b);
  zg_batch_tx_t out[5];
  long n = zgt_iters(3000), ok = 0;
  for (long i = 0; i < n; i++) {
    m.len = 0;
    CHECK_OK(zg_buf_append(&m, enc.ptr, enc.len));
    int flips = 1 + (int)zgt_rand_below(3);
    for (int j = 0; j < flips; j++) m.ptr[zgt_rand_below((uint32_t)m.len)] ^= (uint8_t)(1 + zgt_rand_below(255));
    if (zgt_rand_below(4) == 0) m.len = zgt_rand_below((uint32_t)m.len + 1);
    if (zg_batch_decode(&b, m.ptr, m.len, NULL) != ZG_OK) continue;
    ok++;
    CHECK(b.n <= 5);
    re.len = 0;
    CHECK_OK(zg_batch_encode(&re, b.lane, b.txs, b.n));
    CHECK_EQ(re.len, m.len);
    CHECK_MEM(re.ptr, m.ptr, m.len);
    if (b.n <= 5) CHECK_OK(zg_batch_recover(out, NULL, &b, 16888, 0, NULL));
  }
  printf("  %ld mutated batches, %ld still decoded\n", n, ok);
  zg_batch_free(&b);
  zg_buf_clear(&all);
  zg_buf_clear(&enc);
  zg_buf_clear(&m);
  zg_buf_clear(&re);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  setup_keys();
  ZGT_RUN(test_roundtrip);
  ZGT_RUN(test_limits);
  ZGT_RUN(test_recover);
  ZGT_RUN(test_mutations);
  return zgt_done();
}

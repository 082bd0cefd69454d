/*
 * selftest_tx.c — self-test section for Ethereum transactions, batches and
 * the mempool (zg selftest chain_tx): the EIP-155 worked example, sign and
 * decode round trips of the three types, a 500-tx batch decoded and
 * recovered cold and then through the sender cache, the mempool admitting
 * and handing out the same txs, and the figure issue 6 asks about: CPU of
 * decode + hash + sender recovery over one secp256k1 public-key recovery,
 * timed interleaved so that machine load affects both alike. Timings are
 * printed, never checked.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "zg/batch.h"
#include "zg/mempool.h"
#include "zg/tx.h"

static double thread_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static zg_tx_t transfer(uint8_t type, uint64_t nonce) {
  zg_tx_t f;
  memset(&f, 0, sizeof f);
  f.type = type;
  f.chain_id = 16888;
  f.nonce = nonce;
  f.gas_price = f.max_fee = zg_u256_from_u64(2000000000);
  f.max_priority_fee = zg_u256_from_u64(1000000000);
  f.gas_limit = 21000;
  f.has_to = true;
  memset(f.to.bytes, 0x5a, 20);
  f.value = zg_u256_from_u64(1000000000000000000ull);
  return f;
}

static zg_secp256k1_sk_t key_n(uint32_t i) {
  uint8_t k[32];
  memset(k, 0x11, 32);
  zg_store_be32(k + 28, i + 1);
  zg_secp256k1_sk_t sk;
  if (zg_secp256k1_sk_parse(&sk, k, 32) != ZG_OK) memset(&sk, 0, sizeof sk);
  return sk;
}

static bool eip155_example(void) {
  bool ok = true;
  zg_buf_t raw;
  zg_buf_init(&raw);
  static const char hex[] = "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a0"
                            "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b"
                            "3800ccf555c9f3dc64214b297fb1966a3b6d83";
  zg_tx_t tx;
  zg_eth_addr_t who;
  char text[43] = "";
  ZG_ST_CHECK(ok, zg_hex_decode_buf(&raw, hex, strlen(hex)) == ZG_OK);
  ZG_ST_CHECK(ok, zg_tx_decode(&tx, raw.ptr, raw.len, 1) == ZG_OK);
  ZG_ST_CHECK(ok, zg_tx_sender(&who, &tx) == ZG_OK);
  zg_eth_address_to_text(text, &who);
  ZG_ST_CHECK(ok, strcmp(text, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F") == 0);
  ZG_ST_CHECK(ok, zg_tx_decode(&tx, raw.ptr, raw.len, 16888) == ZG_ECHAINID);
  printf("   EIP-155 example: sender %s, refused on chain 16888 (%s)\n", text, zg_tx_strerror(ZG_ECHAINID));
  zg_buf_clear(&raw);
  return ok;
}

static zg_err_t rich(void *ctx, uint64_t *nonce, zg_u256_t *balance, const zg_eth_addr_t *addr) {
  (void)ctx;
  (void)addr;
  *nonce = 0;
  *balance = zg_u256_from_u64(UINT64_MAX);
  return ZG_OK;
}

/* 500 txs (100 senders x 5 nonces) through a batch and a mempool. */
static bool batch_and_pool(void) {
  enum { S = 100, K = 5, N = S * K };
  bool ok = true;
  zg_buf_t all, enc;
  zg_buf_init(&all);
  zg_buf_init(&enc);
  size_t *off = malloc((N + 1) * sizeof *off);
  zg_slice_t *txs = malloc(N * sizeof *txs);
  zg_batch_tx_t *out = malloc(N * sizeof *out);
  zg_batch_t b;
  zg_batch_init(&b);
  zg_tx_cache_t *cache = NULL;
  zg_mempool_t *mp = NULL;
  zg_mempool_taken_t taken;
  zg_mempool_taken_init(&taken);
  if (!off || !txs || !out || zg_tx_cache_create(&cache, 4 * N) != ZG_OK) {
    ok = false;
    goto out;
  }
  for (uint32_t i = 0; i < N; i++) {
    zg_tx_t f = transfer((uint8_t)(i % 3), i / S);
    zg_secp256k1_sk_t sk = key_n(i % S);
    off[i] = all.len;
    ZG_ST_CHECK(ok, zg_tx_sign(&all, &f, &sk) == ZG_OK);
    zg_secp256k1_sk_clear(&sk);
  }
  off[N] = all.len;
  for (size_t i = 0; i < N; i++) txs[i] = zg_slice(all.ptr + off[i], off[i + 1] - off[i]);
  ZG_ST_CHECK(ok, zg_batch_encode(&enc, 0, txs, N) == ZG_OK);
  ZG_ST_CHECK(ok, zg_batch_decode(&b, enc.ptr, enc.len, NULL) == ZG_OK && b.n == N);
  size_t cold = 0, warm = 0;
  double t0 = thread_ns();
  ZG_ST_CHECK(ok, zg_batch_recover(out, &cold, &b, 16888, 0, cache) == ZG_OK);
  double t1 = thread_ns();
  ZG_ST_CHECK(ok, zg_batch_recover(out, &warm, &b, 16888, 0, cache) == ZG_OK);
  double t2 = thread_ns();
  for (size_t i = 0; i < N && ok; i++) ZG_ST_CHECK(ok, out[i].err == ZG_OK);
  ZG_ST_CHECK(ok, cold == N && warm == 0);
  printf("   batch of %d txs (%zu bytes): decode + recover %.1f us/tx cold (%zu recoveries), %.2f us/tx cached (%zu)\n",
         N, enc.len, (t1 - t0) / N / 1e3, cold, (t2 - t1) / N / 1e3, warm);

  zg_mempool_config_t c;
  memset(&c, 0, sizeof c);
  c.chain_id = 16888;
  c.base_fee = zg_u256_from_u64(1000000000);
  c.lane = -1;
  c.cache = cache;
  c.account = rich;
  ZG_ST_CHECK(ok, zg_mempool_create(&mp, &c) == ZG_OK);
  if (!mp) goto out;
  for (size_t i = N; i-- > 0;) ZG_ST_CHECK(ok, zg_mempool_add(mp, NULL, &out[i].tx, NULL) == ZG_OK); /* reverse order */
  ZG_ST_CHECK(ok, zg_mempool_take(mp, &taken, N, SIZE_MAX) == ZG_OK && taken.n == N);
  uint64_t next[S] = {0};
  for (size_t i = 0; i < taken.n && ok; i++) {
    size_t s = 0;
    while (s < S && memcmp(taken.items[i].sender.bytes, out[s].sender.bytes, 20) != 0) s++;
    ZG_ST_CHECK(ok, s < S && taken.items[i].nonce == next[s]);
    if (s < S) next[s]++;
  }
  uint64_t lookups, hits;
  zg_tx_cache_stats(cache, &lookups, &hits);
  printf("   mempool: %d txs added in reverse nonce order, all taken in nonce order per sender; cache %llu of %llu hits\n",
         N, (unsigned long long)hits, (unsigned long long)lookups);
out:
  zg_mempool_taken_free(&taken);
  zg_mempool_destroy(mp);
  zg_tx_cache_destroy(cache);
  zg_batch_free(&b);
  free(out);
  free(txs);
  free(off);
  zg_buf_clear(&all);
  zg_buf_clear(&enc);
  return ok;
}

/* The figure: (decode + hashes + recovery + address) / recovery. */
static bool cost_ratio(void) {
  bool ok = true;
  for (uint8_t type = 0; type <= 2; type += 2) {
    zg_tx_t f = transfer(type, 7), tx;
    zg_secp256k1_sk_t sk = key_n(0);
    zg_buf_t raw;
    zg_buf_init(&raw);
    ZG_ST_CHECK(ok, zg_tx_sign(&raw, &f, &sk) == ZG_OK);
    ZG_ST_CHECK(ok, zg_tx_decode(&tx, raw.ptr, raw.len, 16888) == ZG_OK);
    zg_secp256k1_sk_clear(&sk);
    double rec = 0, full = 0;
    int n = 300;
    for (int i = 0; i < n && ok; i++) {
      zg_secp256k1_pk_t pk;
      zg_tx_t t;
      zg_eth_addr_t who;
      double t0 = thread_ns();
      ZG_ST_CHECK(ok, zg_ecdsa_recover(&pk, &tx.sig, tx.sighash) == ZG_OK);
      double t1 = thread_ns();
      ZG_ST_CHECK(ok, zg_tx_decode(&t, raw.ptr, raw.len, 16888) == ZG_OK && zg_tx_sender(&who, &t) == ZG_OK);
      double t2 = thread_ns();
      rec += t1 - t0;
      full += t2 - t1;
    }
    printf("   %s transfer (%zu bytes): recovery %.1f us, decode + hashes + recovery + address %.1f us: ratio %.3f "
           "(issue 6 bound 1.5)\n",
           type ? "EIP-1559" : "legacy", raw.len, rec / n / 1e3, full / n / 1e3, full / rec);
    zg_buf_clear(&raw);
  }
  return ok;
}

ZG_SELFTEST(chain_tx) {
  bool ok = eip155_example();
  ok = batch_and_pool() && ok;
  ok = cost_ratio() && ok;
  return ok;
}

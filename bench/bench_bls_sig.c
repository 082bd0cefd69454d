/* bench_bls_sig.c — BLS signature benchmarks (ciphersuite
 * BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_): hash to G2, KeyGen, Sign,
 * Verify, FastAggregateVerify over 128 keys, AggregateVerify and batch
 * verification over 16 triples. bench/blst_compare.js times the same
 * operations with blst. */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "zg/bls.h"
#include "zg/bls_h2c.h"

static const uint8_t MSG[32] = "benchmark message of 32 bytes..!";

static void key(zg_bls_sk_t *sk, zg_bls_pk_t *pk, unsigned i) {
  uint8_t ikm[32];
  memset(ikm, 0x5a, sizeof ikm);
  ikm[0] = (uint8_t)i;
  ikm[1] = (uint8_t)(i >> 8);
  if (zg_bls_keygen(sk, ikm, sizeof ikm, NULL, 0) != ZG_OK) abort();
  zg_bls_sk_to_pk(pk, sk);
}

ZG_BENCH(bls_hash_to_g2) {
  zg_g2_t p;
  const uint8_t *dst = (const uint8_t *)ZG_BLS_DST_SIG;
  while (zg_bench_loop(b)) {
    if (zg_bls_hash_to_g2(&p, MSG, sizeof MSG, dst, sizeof ZG_BLS_DST_SIG - 1) != ZG_OK) break;
    ZG_BENCH_KEEP(p.x.c0.l[0]);
  }
}

ZG_BENCH(bls_keygen) {
  zg_bls_sk_t sk;
  uint8_t ikm[32] = {1};
  while (zg_bench_loop(b)) {
    if (zg_bls_keygen(&sk, ikm, sizeof ikm, NULL, 0) != ZG_OK) break;
    ikm[0]++;
  }
  zg_bls_sk_clear(&sk);
}

ZG_BENCH(bls_sk_to_pk) {
  zg_bls_sk_t sk;
  zg_bls_pk_t pk;
  key(&sk, &pk, 1);
  while (zg_bench_loop(b)) {
    zg_bls_sk_to_pk(&pk, &sk);
    ZG_BENCH_KEEP(pk.p.x.l[0]);
  }
  zg_bls_sk_clear(&sk);
}

ZG_BENCH(bls_sign) {
  zg_bls_sk_t sk;
  zg_bls_pk_t pk;
  zg_bls_sig_t sig;
  key(&sk, &pk, 1);
  while (zg_bench_loop(b))
    if (zg_bls_sign(&sig, &sk, MSG, sizeof MSG) != ZG_OK) break;
  zg_bls_sk_clear(&sk);
}

ZG_BENCH(bls_verify) {
  zg_bls_sk_t sk;
  zg_bls_pk_t pk;
  zg_bls_sig_t sig;
  bool ok = false;
  key(&sk, &pk, 1);
  if (zg_bls_sign(&sig, &sk, MSG, sizeof MSG) != ZG_OK) return;
  while (zg_bench_loop(b))
    if (zg_bls_verify(&ok, &pk, MSG, sizeof MSG, &sig) != ZG_OK || !ok) break;
  zg_bls_sk_clear(&sk);
}

ZG_BENCH(bls_pk_parse) {
  zg_bls_sk_t sk;
  zg_bls_pk_t pk;
  uint8_t enc[48];
  key(&sk, &pk, 1);
  zg_bls_pk_serialize(enc, &pk);
  while (zg_bench_loop(b))
    if (zg_bls_pk_parse(&pk, enc, sizeof enc) != ZG_OK) break;
  zg_bls_sk_clear(&sk);
}

ZG_BENCH(bls_sig_parse) {
  zg_bls_sk_t sk;
  zg_bls_pk_t pk;
  zg_bls_sig_t sig;
  uint8_t enc[96];
  key(&sk, &pk, 1);
  if (zg_bls_sign(&sig, &sk, MSG, sizeof MSG) != ZG_OK) return;
  zg_bls_sig_serialize(enc, &sig);
  while (zg_bench_loop(b))
    if (zg_bls_sig_parse(&sig, enc, sizeof enc) != ZG_OK) break;
  zg_bls_sk_clear(&sk);
}

ZG_BENCH(bls_fast_aggregate_verify_128) {
  enum { N = 128 };
  zg_bls_pk_t *pks = malloc(N * sizeof *pks);
  zg_bls_sig_t *sigs = malloc(N * sizeof *sigs), agg;
  bool ok = false;
  if (!pks || !sigs) goto out;
  for (unsigned i = 0; i < N; i++) {
    zg_bls_sk_t sk;
    key(&sk, &pks[i], i);
    if (zg_bls_sign(&sigs[i], &sk, MSG, sizeof MSG) != ZG_OK) goto out;
    zg_bls_sk_clear(&sk);
  }
  if (zg_bls_aggregate(&agg, sigs, N) != ZG_OK) goto out;
  while (zg_bench_loop(b))
    if (zg_bls_fast_aggregate_verify(&ok, pks, N, MSG, sizeof MSG, &agg) != ZG_OK || !ok) break;
out:
  free(pks);
  free(sigs);
}

/* 16 keys, 16 distinct messages, their signatures and scratch. */
typedef struct {
  zg_bls_pk_t pks[16];
  zg_bls_sig_t sigs[16], agg;
  uint8_t msgs[16][32];
  zg_slice_t sl[16];
  void *scratch;
} set16_t;

static bool set16(set16_t *s) {
  for (unsigned i = 0; i < 16; i++) {
    zg_bls_sk_t sk;
    key(&sk, &s->pks[i], 1000 + i);
    memcpy(s->msgs[i], MSG, 32);
    s->msgs[i][0] = (uint8_t)i;
    s->sl[i] = zg_slice(s->msgs[i], 32);
    if (zg_bls_sign(&s->sigs[i], &sk, s->msgs[i], 32) != ZG_OK) return false;
    zg_bls_sk_clear(&sk);
  }
  size_t n = zg_bls_aggregate_verify_scratch_size(16), m = zg_bls_batch_verify_scratch_size(16);
  s->scratch = malloc(n > m ? n : m);
  return s->scratch && zg_bls_aggregate(&s->agg, s->sigs, 16) == ZG_OK;
}

ZG_BENCH(bls_aggregate_verify_16) {
  static set16_t s;
  bool ok = false;
  if (set16(&s)) {
    while (zg_bench_loop(b))
      if (zg_bls_aggregate_verify(&ok, s.pks, s.sl, 16, &s.agg, s.scratch) != ZG_OK || !ok) break;
  }
  free(s.scratch);
}

ZG_BENCH(bls_batch_verify_16) {
  static set16_t s;
  bool ok = false;
  if (set16(&s)) {
    while (zg_bench_loop(b))
      if (zg_bls_batch_verify(&ok, s.pks, s.sl, s.sigs, 16, s.scratch) != ZG_OK || !ok) break;
  }
  free(s.scratch);
}

/* selftest_bls.c — self-test section for BLS signatures: 64 fresh keys (with
 * proofs of possession), a signature from each on one message, individual
 * verification, aggregation, FastAggregateVerify, and the same with a wrong
 * message, which must fail. Prints counts and timings. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "zg/bls.h"
#include "zg/log.h"

#define NKEYS 64

static double ms_since(uint64_t t0) { return (double)(zg_clock_ns() - t0) / 1e6; }

ZG_SELFTEST(bls_signatures) {
  bool ok = true, v = false;
  zg_bls_sk_t *sk = malloc(NKEYS * sizeof *sk);
  zg_bls_pk_t *pk = malloc(NKEYS * sizeof *pk);
  zg_bls_sig_t *sig = malloc(NKEYS * sizeof *sig), agg, pop;
  static const uint8_t msg[] = "zg selftest: one message, 64 signers";
  if (!sk || !pk || !sig) {
    printf("    FAILED: out of memory\n");
    ok = false;
    goto out;
  }
  uint64_t t = zg_clock_ns();
  for (int i = 0; i < NKEYS; i++) {
    uint8_t ikm[32];
    ZG_ST_CHECK(ok, zg_random_bytes(ikm, sizeof ikm) == ZG_OK);
    ZG_ST_CHECK(ok, zg_bls_keygen(&sk[i], ikm, sizeof ikm, NULL, 0) == ZG_OK);
    zg_bls_sk_to_pk(&pk[i], &sk[i]);
    zg_memwipe(ikm, sizeof ikm);
  }
  double t_keys = ms_since(t);
  t = zg_clock_ns();
  int pops = 0;
  for (int i = 0; i < 4; i++) {
    ZG_ST_CHECK(ok, zg_bls_pop_prove(&pop, &sk[i]) == ZG_OK);
    ZG_ST_CHECK(ok, zg_bls_pop_verify(&v, &pk[i], &pop) == ZG_OK && v);
    pops += v;
  }
  double t_pop = ms_since(t);
  t = zg_clock_ns();
  for (int i = 0; i < NKEYS; i++) ZG_ST_CHECK(ok, zg_bls_sign(&sig[i], &sk[i], msg, sizeof msg - 1) == ZG_OK);
  double t_sign = ms_since(t);
  t = zg_clock_ns();
  int verified = 0;
  for (int i = 0; i < 8; i++) {
    v = false;
    ZG_ST_CHECK(ok, zg_bls_verify(&v, &pk[i], msg, sizeof msg - 1, &sig[i]) == ZG_OK && v);
    verified += v;
  }
  double t_verify = ms_since(t);
  t = zg_clock_ns();
  ZG_ST_CHECK(ok, zg_bls_aggregate(&agg, sig, NKEYS) == ZG_OK);
  v = false;
  ZG_ST_CHECK(ok, zg_bls_fast_aggregate_verify(&v, pk, NKEYS, msg, sizeof msg - 1, &agg) == ZG_OK && v);
  double t_fav = ms_since(t);
  bool fav_ok = v;
  v = true;
  ZG_ST_CHECK(ok, zg_bls_fast_aggregate_verify(&v, pk, NKEYS, msg, sizeof msg - 2, &agg) == ZG_OK && !v);
  bool wrong_rejected = !v;
  printf("   %d keys generated (KeyGen + SkToPk) in %.1f ms; %d proofs of possession made and checked in %.1f ms\n",
         NKEYS, t_keys, pops, t_pop);
  printf("   %d signatures in %.1f ms (%.2f ms each); %d verified one by one in %.1f ms (%.2f ms each)\n", NKEYS,
         t_sign, t_sign / NKEYS, verified, t_verify, t_verify / 8);
  printf("   aggregate of %d signatures + FastAggregateVerify: %s in %.1f ms; wrong message %s\n", NKEYS,
         fav_ok ? "valid" : "INVALID", t_fav, wrong_rejected ? "rejected" : "ACCEPTED");
out:
  for (int i = 0; sk && i < NKEYS; i++) zg_bls_sk_clear(&sk[i]);
  free(sk);
  free(pk);
  free(sig);
  return ok;
}

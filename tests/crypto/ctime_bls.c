/*
 * ctime_bls.c — constant-time test for the BLS secret-key paths, in the style
 * of libsecp256k1's ctime_tests: secret inputs are marked undefined with
 * valgrind's client requests, so memcheck reports any branch or memory index
 * that depends on them ("Conditional jump or move depends on uninitialised
 * value(s)"). Run it under
 *   valgrind --error-exitcode=1 --track-origins=yes build/crypto_ctime_bls
 * (ctest does, in non-sanitizer builds). Outputs that are public by nature
 * (public keys, signatures, "was the key valid") are declassified by the
 * library itself, or re-marked defined here before the test looks at them.
 *
 * Covered: KeyGen, sk parse/serialize, SkToPk, Sign, PopProve, the
 * constant-time zg_g1_mul / zg_g2_mul with a secret scalar, and the
 * hash-to-curve maps (SSWU + isogeny) with a secret field element.
 */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "zg/bls.h"
#include "zg/bls_h2c.h"
#include "zg/bytes.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static int run(int round) {
  uint8_t ikm[32], skb[32], msg[32];
  zg_bls_sk_t sk, sk2;
  zg_bls_pk_t pk;
  zg_bls_sig_t sig, proof;
  zg_err_t e;
  for (int i = 0; i < 32; i++) {
    ikm[i] = (uint8_t)(i * 7 + round + 1);
    msg[i] = (uint8_t)i;
  }
  if (zg_random_bytes(ikm, 16) != ZG_OK) return 1;

  /* KeyGen: the IKM is secret. */
  SECRET(ikm, sizeof ikm);
  e = zg_bls_keygen(&sk, ikm, sizeof ikm, (const uint8_t *)"ctime", 5);
  PUBLIC(&e, sizeof e);
  if (e != ZG_OK) return 1;

  /* Secret key encoding round trip. */
  zg_bls_sk_serialize(skb, &sk);
  e = zg_bls_sk_parse(&sk2, skb);
  PUBLIC(&e, sizeof e);
  if (e != ZG_OK) return 1;

  /* SkToPk, Sign, PopProve with the secret key. */
  zg_bls_sk_to_pk(&pk, &sk2);
  e = zg_bls_sign(&sig, &sk2, msg, sizeof msg);
  PUBLIC(&e, sizeof e);
  if (e != ZG_OK) return 1;
  e = zg_bls_pop_prove(&proof, &sk2);
  PUBLIC(&e, sizeof e);
  if (e != ZG_OK) return 1;

  /* The group multiplications directly, with a secret scalar. */
  zg_g1_t g1, r1;
  zg_g2_t g2, r2;
  zg_fr_t k;
  uint8_t kb[48];
  memcpy(kb, ikm, 32);
  memcpy(kb + 32, ikm, 16);
  zg_fr_from_be_reduce(&k, kb, sizeof kb);
  zg_g1_generator(&g1);
  zg_g2_generator(&g2);
  zg_g1_mul(&r1, &g1, &k);
  zg_g2_mul(&r2, &g2, &k);
  PUBLIC(&r1, sizeof r1);
  PUBLIC(&r2, sizeof r2);

  /* The SSWU + isogeny maps are constant time in the field element too
   * (hash_to_field output is public in BLS, but the maps promise it). */
  zg_fp_t u1;
  zg_fp2_t u2;
  zg_g1_t m1;
  zg_g2_t m2;
  if (zg_bls_hash_to_field_fp(&u1, 1, msg, sizeof msg, (const uint8_t *)"ct", 2) != ZG_OK) return 1;
  if (zg_bls_hash_to_field_fp2(&u2, 1, msg, sizeof msg, (const uint8_t *)"ct", 2) != ZG_OK) return 1;
  SECRET(&u1, sizeof u1);
  SECRET(&u2, sizeof u2);
  zg_bls_map_to_g1(&m1, &u1);
  zg_bls_map_to_g2(&m2, &u2);
  PUBLIC(&m1, sizeof m1);
  PUBLIC(&m2, sizeof m2);
  if (!zg_g1_is_on_curve(&m1) || !zg_g2_is_on_curve(&m2)) return 1;

  /* From here on everything is public: check the results. */
  PUBLIC(&sk2, sizeof sk2);
  PUBLIC(&k, sizeof k);
  bool ok = false;
  e = zg_bls_verify(&ok, &pk, msg, sizeof msg, &sig);
  if (e != ZG_OK || !ok) return 1;
  e = zg_bls_pop_verify(&ok, &pk, &proof);
  if (e != ZG_OK || !ok) return 1;
  zg_g1_t r1b;
  zg_g1_mul_var(&r1b, &g1, &k);
  if (!zg_g1_eq(&r1, &r1b)) return 1;
  zg_bls_sk_clear(&sk);
  zg_bls_sk_clear(&sk2);
  return 0;
}

int main(void) {
  if (!RUNNING_ON_VALGRIND) {
    fprintf(stderr, "ctime_bls: not running under valgrind; the checks are inert (run: valgrind "
                    "--error-exitcode=1 --track-origins=yes %s)\n",
            "crypto_ctime_bls");
  }
  for (int round = 0; round < 2; round++) {
    if (run(round) != 0) {
      fprintf(stderr, "ctime_bls: wrong result in round %d\n", round);
      return 1;
    }
  }
  printf("ctime_bls: KeyGen, sk parse, SkToPk, Sign, PopProve, g1_mul, g2_mul, map_to_g1/g2 ran%s\n",
         RUNNING_ON_VALGRIND ? " under memcheck (any secret-dependent branch is reported above)" : "");
  return 0;
}

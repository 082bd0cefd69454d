/*
 * ctime_bls_field.c — constant-time test for the BLS12-381 field arithmetic
 * (Fp, Fp2, Fr), in the style of libsecp256k1's ctime_tests: the inputs are
 * marked undefined with valgrind's client requests, so memcheck reports any
 * branch or memory index that depends on them. Results are only declassified
 * (marked defined) where a caller would legitimately look at them. Run under
 *   valgrind --error-exitcode=1 --track-origins=yes build/crypto_ctime_bls_field
 * (ctest does, in non-sanitizer builds). Under valgrind, cpuid may hide ADX,
 * in which case the portable C paths are the ones checked.
 */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "crypto/bls_field.h"
#include "crypto/bls_fp12.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static volatile uint64_t sink;

static void keep(const void *p, size_t n) {
  const uint8_t *b = (const uint8_t *)p;
  uint8_t acc = 0;
  for (size_t i = 0; i < n; i++) acc ^= b[i];
  PUBLIC(&acc, 1);
  sink += acc;
}

static void fp_ops(const uint8_t seed[64]) {
  zg_fp_t a, b, r;
  uint8_t out[48];
  zg__fp_from_be64_reduce(&a, seed);
  zg__fp_from_u64(&b, 0x1234567);
  zg__fp_mul(&b, &b, &a);
  zg__fp_add(&r, &a, &b);
  zg__fp_sub(&r, &r, &b);
  zg__fp_neg(&r, &r);
  zg__fp_dbl(&r, &r);
  zg__fp_sqr(&r, &r);
  zg__fp_mul_portable(&r, &r, &a);
  zg__fp_add_portable(&r, &r, &a);
  zg__fp_sub_portable(&r, &r, &a);
  zg__fp_inv(&r, &r);
  bool sq = zg__fp_is_square(&r);
  bool ok = zg__fp_sqrt(&b, &r);
  int s = zg__fp_sgn0(&b);
  bool lex = zg__fp_is_lex_largest(&b);
  bool z = zg__fp_is_zero(&b), e = zg__fp_eq(&a, &b);
  zg__fp_cmov(&a, &b, ok);
  zg__fp_to_be48(out, &a);
  keep(&sq, sizeof sq);
  keep(&ok, sizeof ok);
  keep(&s, sizeof s);
  keep(&lex, sizeof lex);
  keep(&z, sizeof z);
  keep(&e, sizeof e);
  keep(out, sizeof out);
  uint64_t w[12];
  zg__fp_mul_wide(w, &a, &r);
  zg__fp_redc(&a, w);
  keep(&a, sizeof a);
}

static void fp2_ops(const uint8_t seed[64]) {
  zg_fp2_t a, b, r;
  zg__fp_from_be64_reduce(&a.c0, seed);
  zg__fp_sqr(&a.c1, &a.c0);
  zg__fp2_sqr(&b, &a);
  zg__fp2_mul(&r, &a, &b);
  zg__fp2_add(&r, &r, &a);
  zg__fp2_sub(&r, &r, &b);
  zg__fp2_neg(&r, &r);
  zg__fp2_dbl(&r, &r);
  zg__fp2_mul_fp(&r, &r, &a.c0);
  zg__fp2_mul_by_xi(&r, &r);
  zg__fp2_conj(&r, &r);
  zg__fp2_inv(&r, &r);
  bool sq = zg__fp2_is_square(&r);
  bool ok = zg__fp2_sqrt(&b, &r);
  int s = zg__fp2_sgn0(&b);
  bool lex = zg__fp2_is_lex_largest(&b);
  bool z = zg__fp2_is_zero(&b), e = zg__fp2_eq(&a, &b);
  zg__fp2_cmov(&a, &b, ok);
  keep(&sq, sizeof sq);
  keep(&ok, sizeof ok);
  keep(&s, sizeof s);
  keep(&lex, sizeof lex);
  keep(&z, sizeof z);
  keep(&e, sizeof e);
  keep(&a, sizeof a);
}

static void fp12_ops(const uint8_t seed[64]) {
  zg_fp12_t a, b;
  zg_fp2_t *c = (zg_fp2_t *)&a;
  zg__fp_from_be64_reduce(&c[0].c0, seed);
  for (int i = 1; i < 12; i++) zg__fp_sqr(&((zg_fp_t *)&a)[i], &((zg_fp_t *)&a)[i - 1]);
  zg__fp12_sqr(&b, &a);
  zg__fp12_mul(&b, &b, &a);
  zg__fp12_mul_by_line(&b, &c[0], &c[1], &c[2]);
  zg__fp12_frobenius(&b, &b, 1);
  zg__fp12_inv(&b, &b);
  zg__fp12_conj(&b, &b);
  zg__fp12_cyclotomic_sqr(&b, &b);
  zg__fp12_cyclotomic_exp_x(&b, &b);
  zg__bls_final_exp(&b, &b);
  bool one = zg__fp12_is_one(&b), eq = zg__fp12_eq(&a, &b);
  keep(&one, sizeof one);
  keep(&eq, sizeof eq);
  keep(&b, sizeof b);
}

static void fr_ops(const uint8_t seed[64]) {
  zg_fr_t a, b, r, in[3], out[3], scratch[3];
  uint8_t out32[32];
  uint64_t limbs[4];
  zg_fr_from_be_reduce(&a, seed, 64);
  zg_fr_from_be_reduce(&b, seed + 7, 33);
  zg_fr_mul(&r, &a, &b);
  zg_fr_sqr(&r, &r);
  zg_fr_add(&r, &r, &a);
  zg_fr_sub(&r, &r, &b);
  zg_fr_neg(&r, &r);
  zg_fr_inv(&r, &r);
  zg_fr_to_u64s(limbs, &b);
  zg_fr_pow(&r, &r, limbs); /* secret exponent */
  zg_fr_from_u64s(&b, limbs);
  in[0] = a, in[1] = r;
  zg_fr_set_zero(&in[2]);
  zg_fr_batch_inv(out, in, 3, scratch);
  bool z = zg_fr_is_zero(&r), o = zg_fr_is_one(&r), e = zg_fr_eq(&a, &b);
  zg_fr_to_be32(out32, &out[1]);
  keep(&z, sizeof z);
  keep(&o, sizeof o);
  keep(&e, sizeof e);
  keep(out32, sizeof out32);
  zg_fr_to_le32(out32, &out[0]);
  keep(out32, sizeof out32);
}

int main(void) {
  uint8_t seed[64];
  for (int round = 0; round < 2; round++) {
    for (int i = 0; i < 64; i++) seed[i] = (uint8_t)(i * 29 + round * 7 + 3);
    SECRET(seed, sizeof seed);
    fp_ops(seed);
    fp2_ops(seed);
    fp12_ops(seed);
    fr_ops(seed);
  }
  printf("ctime_bls_field: Fp, Fp2, Fp12, Fr: no secret-dependent branch seen\n");
  return 0;
}

/* selftest_bls_field.c — self-test section for the BLS12-381 scalar field and
 * the pairing: Fr inversion (single and batch), pairing non-degeneracy,
 * bilinearity (e(2P, Q) = e(P, 2Q) = e(P, Q)^2, e(aP, bQ) = e(abP, Q)), and
 * a 4-pair check prod e(P_i, Q_i) = 1 that includes an infinity. Prints the
 * time per pairing. */
#include <string.h>

#include "cli/cli.h"
#include "zg/bls12_381.h"
#include "zg/bytes.h"
#include "zg/log.h"

static double ms_since(uint64_t t0) { return (double)(zg_clock_ns() - t0) / 1e6; }

ZG_SELFTEST(bls_pairing) {
  bool ok = true;
  uint8_t buf[64];
  zg_fr_t a, b, ab, t, in[4], out[4], scratch_fr[4];
  ZG_ST_CHECK(ok, zg_random_bytes(buf, sizeof buf) == ZG_OK);
  zg_fr_from_be_reduce(&a, buf, 32);
  zg_fr_from_be_reduce(&b, buf + 32, 32);
  zg_fr_mul(&ab, &a, &b);

  /* Fr inverses. */
  zg_fr_inv(&t, &a);
  zg_fr_mul(&t, &t, &a);
  ZG_ST_CHECK(ok, zg_fr_is_zero(&a) || zg_fr_is_one(&t));
  in[0] = a, in[1] = b, in[2] = ab;
  zg_fr_set_zero(&in[3]);
  zg_fr_batch_inv(out, in, 4, scratch_fr);
  for (int i = 0; i < 4; i++) {
    zg_fr_inv(&t, &in[i]);
    ZG_ST_CHECK(ok, zg_fr_eq(&t, &out[i]));
  }

  /* Pairings. */
  zg_g1_t p, p2, ap, abp, nsum, inf;
  zg_g2_t q, q2, bq;
  zg_gt_t e, e2, x, y;
  zg_g1_generator(&p);
  zg_g2_generator(&q);
  zg_g1_dbl(&p2, &p);
  zg_g2_dbl(&q2, &q);
  uint64_t t0 = zg_clock_ns();
  zg_pairing(&e, &p, &q);
  double t_pair = ms_since(t0);
  ZG_ST_CHECK(ok, !zg_gt_is_one(&e));
  zg_gt_mul(&e2, &e, &e);
  zg_pairing(&x, &p2, &q);
  zg_pairing(&y, &p, &q2);
  ZG_ST_CHECK(ok, zg_gt_eq(&x, &y));
  ZG_ST_CHECK(ok, zg_gt_eq(&x, &e2));
  zg_g1_mul_var(&ap, &p, &a);
  zg_g2_mul_var(&bq, &q, &b);
  zg_g1_mul_var(&abp, &p, &ab);
  zg_pairing(&x, &ap, &bq);
  zg_pairing(&y, &abp, &q);
  ZG_ST_CHECK(ok, zg_gt_eq(&x, &y));

  /* One check over five pairs: e(aP, bQ) e(-abP, Q) e(P, Q) e(-P, Q) e(inf, Q) = 1. */
  static uint8_t scratch[8192] __attribute__((aligned(16)));
  zg_g1_neg(&nsum, &abp);
  zg_g1_set_infinity(&inf);
  zg_g1_t ps[5] = {ap, nsum, p, p, inf};
  zg_g2_t qs[5] = {bq, q, q, q, q};
  zg_g1_neg(&ps[3], &p);
  ZG_ST_CHECK(ok, zg_multi_pairing_scratch_size(5) <= sizeof scratch);
  t0 = zg_clock_ns();
  bool check = zg_pairing_check(ps, qs, 5, scratch);
  double t_multi = ms_since(t0);
  ZG_ST_CHECK(ok, check);
  ps[3] = p; /* now the product is e(P, Q)^2 */
  ZG_ST_CHECK(ok, !zg_pairing_check(ps, qs, 5, scratch));

  printf("   pairing %.2f ms, 5-pair check %.2f ms\n", t_pair, t_multi);
  return ok;
}

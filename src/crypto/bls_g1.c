/*
 * bls_g1.c — the group G1 of BLS12-381: E(Fp): y^2 = x^3 + 4, prime-order
 * subgroup of order r. The Jacobian group law, constant-time scalar
 * multiplication and the ZCash/IETF encodings come from bls_curve_impl.h;
 * this file adds what is specific to G1: the generator, the GLV
 * endomorphism phi(x, y) = (beta*x, y), the GLV + wNAF variable-time
 * multiplication, and Scott's subgroup test phi(P) == -x^2 P.
 *
 * phi acts on G1 as multiplication by -x^2 mod r (beta below is the cube
 * root of unity that makes it so; the test suite checks it on random
 * points). Because r = z^2 - z + 1 with z = x^2, a scalar splits as
 * k = k0 + k1*z with k0, k1 < 2^128, and k*P = k0*P - k1*phi(P).
 */
#include <string.h>

#include "crypto/bls_curve.h"
#include "crypto/bls_field.h"

/* Field adapter for the template. */
#define FE zg_fp_t
#define PT zg_g1_t
#define FE_add zg__fp_add
#define FE_sub zg__fp_sub
#define FE_dbl zg__fp_dbl
#define FE_neg zg__fp_neg
#define FE_mul zg__fp_mul
#define FE_sqr zg__fp_sqr
#define FE_inv zg__fp_inv
#define FE_cmov zg__fp_cmov
#define FE_is_zero zg__fp_is_zero
#define FE_eq zg__fp_eq
#define FE_sqrt zg__fp_sqrt
#define FE_lex_largest zg__fp_is_lex_largest
#define FE_from_bytes zg__fp_from_be48
#define FE_to_bytes zg__fp_to_be48
#define FE_BYTES 48
#define FE_ONE zg__fp_one
#define FE_ZERO zg__fp_zero
#define FE_B g1_b
#define PUB(n) zg_g1_##n
#define INT(n) zg__g1_##n
#define LOC(n) g1_##n

/* b = 4, Montgomery form. */
static const zg_fp_t g1_b = {{0xaa270000000cfff3ull, 0x53cc0032fc34000aull, 0x478fe97a6b0a807full,
                              0xb1d37ebee6ba24d7ull, 0x8ec9733bbf78ab2full, 0x09d645513d83de7eull}};

#include "crypto/bls_curve_impl.h"

/* The standard generator (x = 0x17f1d3a7..., y = 0x08b3f481...), Montgomery form. */
static const zg_fp_t g1_gen_x = {{0x5cb38790fd530c16ull, 0x7817fc679976fff5ull, 0x154f95c7143ba1c1ull,
                                  0xf0ae6acdf3d0e747ull, 0xedce6ecc21dbf440ull, 0x120177419e0bfb75ull}};
static const zg_fp_t g1_gen_y = {{0xbaac93d50ce72271ull, 0x8c22631a7918fd8eull, 0xdd595f13570725ceull,
                                  0x51ac582950405194ull, 0x0e1c8c3fad0059c0ull, 0x0bbc3efc5008a26aull}};
/* beta = 0x5f19672f...fffefffe, a primitive cube root of unity in Fp with
 * phi(P) = -x^2 P on G1; Montgomery form. */
const zg_fp_t zg__g1_beta = {{0x30f1361b798a64e8ull, 0xf3b8ddab7ece5a2aull, 0x16a8ca3ac61577f7ull,
                                 0xc26a2ff874fd029bull, 0x3636b76660701c6eull, 0x051ba4ab241b6160ull}};

void zg_g1_generator(zg_g1_t *r) { zg__g1_from_affine(r, &g1_gen_x, &g1_gen_y); }

/* phi(X, Y, Z) = (beta*X, Y, Z): x = X/Z^2 scales by beta. */
static void g1_phi(zg_g1_t *r, const zg_g1_t *p) {
  zg__fp_mul(&r->x, &p->x, &zg__g1_beta);
  r->y = p->y;
  r->z = p->z;
}

/* Scott (ePrint 2021/1130): on E(Fp), P is in G1 iff phi(P) == -x^2 P. */
bool zg_g1_in_subgroup(const zg_g1_t *p) {
  zg_g1_t t, f;
  if (zg_g1_is_infinity(p)) return true;
  zg__g1_mul_u64_var(&t, p, ZG__BLS_X);
  zg__g1_mul_u64_var(&t, &t, ZG__BLS_X);
  zg_g1_neg(&t, &t);
  g1_phi(&f, p);
  return zg_g1_eq(&f, &t);
}

/* q = a / d over n limbs; returns a mod d. */
static uint64_t g1_divmod_u64(uint64_t *q, const uint64_t *a, size_t n, uint64_t d) {
  unsigned __int128 rem = 0;
  for (size_t i = n; i-- > 0;) {
    unsigned __int128 cur = (rem << 64) | a[i];
    q[i] = (uint64_t)(cur / d);
    rem = cur % d;
  }
  return (uint64_t)rem;
}

/* Splits k (< r) into k = k0 + k1*x^2 with k0 < x^2 and k1 < x^2 by two
 * divisions by |x|: k = (q*|x| + r2)*|x| + r1. */
void zg__g1_glv_split(uint64_t k0[2], uint64_t k1[2], const uint64_t k[4]) {
  uint64_t q[4];
  uint64_t r1 = g1_divmod_u64(q, k, 4, ZG__BLS_X);
  uint64_t r2 = g1_divmod_u64(q, q, 4, ZG__BLS_X);
  unsigned __int128 lo = (unsigned __int128)r2 * ZG__BLS_X + r1;
  k0[0] = (uint64_t)lo;
  k0[1] = (uint64_t)(lo >> 64);
  k1[0] = q[0];
  k1[1] = q[1];
}

#define G1_GLV_W 5
#define G1_GLV_TBL (1 << (G1_GLV_W - 2))

/* GLV: k*P = k0*P + k1*Q with Q = -phi(P) = x^2 P, both halves in width-5
 * NAF over shared doublings; the odd-multiple tables are made affine with
 * one inversion so every addition is mixed. Requires P in G1 (true of
 * every parsed or hashed point); other points fall back to plain wNAF when
 * the table shows it, and the result is then unspecified but defined. */
void zg_g1_mul_var(zg_g1_t *r, const zg_g1_t *p, const zg_fr_t *k) {
  uint64_t e[4], k0[2], k1[2];
  zg_g1_t tbl[G1_GLV_TBL], p2, acc;
  zg_fp_t qx[G1_GLV_TBL], qy[G1_GLV_TBL];
  int8_t n0[129], n1[129];
  zg_fr_to_u64s(e, k);
  if (zg_g1_is_infinity(p)) {
    zg_g1_set_infinity(r);
    return;
  }
  tbl[0] = *p;
  zg_g1_dbl(&p2, p);
  for (int i = 1; i < G1_GLV_TBL; i++) zg__g1_add_var(&tbl[i], &tbl[i - 1], &p2);
  for (int i = 0; i < G1_GLV_TBL; i++) {
    if (zg_g1_is_infinity(&tbl[i])) {
      zg__g1_mul_limbs_var(r, p, e, 4);
      return;
    }
  }
  zg_g1_normalize_batch(tbl, G1_GLV_TBL);
  for (int i = 0; i < G1_GLV_TBL; i++) {
    zg__fp_mul(&qx[i], &tbl[i].x, &zg__g1_beta);
    zg__fp_neg(&qy[i], &tbl[i].y);
  }
  zg__g1_glv_split(k0, k1, e);
  size_t t0 = g1_wnaf(n0, k0, 2, 128, G1_GLV_W);
  size_t t1 = g1_wnaf(n1, k1, 2, 128, G1_GLV_W);
  size_t top = t0 > t1 ? t0 : t1;
  zg_g1_set_infinity(&acc);
  for (size_t i = top; i-- > 0;) {
    if (!zg_g1_is_infinity(&acc)) zg_g1_dbl(&acc, &acc);
    int d = n0[i];
    zg_fp_t ny;
    if (d > 0) {
      zg__g1_madd_var(&acc, &acc, &tbl[(d - 1) / 2].x, &tbl[(d - 1) / 2].y);
    } else if (d < 0) {
      zg__fp_neg(&ny, &tbl[(-d - 1) / 2].y);
      zg__g1_madd_var(&acc, &acc, &tbl[(-d - 1) / 2].x, &ny);
    }
    d = n1[i];
    if (d > 0) {
      zg__g1_madd_var(&acc, &acc, &qx[(d - 1) / 2], &qy[(d - 1) / 2]);
    } else if (d < 0) {
      zg__fp_neg(&ny, &qy[(-d - 1) / 2]);
      zg__g1_madd_var(&acc, &acc, &qx[(-d - 1) / 2], &ny);
    }
  }
  *r = acc;
}

/*
 * bls_g2.c — the group G2 of BLS12-381: the sextic twist E'(Fp2):
 * y^2 = x^3 + 4(u + 1), prime-order subgroup of order r. The group law,
 * constant-time multiplication and encodings come from bls_curve_impl.h
 * (coordinates serialize as c1 || c0); this file adds the generator, the
 * endomorphism psi (untwist-Frobenius-twist), the psi-based subgroup test
 * psi(P) == [x]P and a GLS variable-time multiplication.
 *
 * On G2, psi acts as multiplication by p = x mod r, with the curve parameter
 * x = -|x| negative. Writing k (< r < |x|^4) in base |x| as a0 + a1|x| +
 * a2|x|^2 + a3|x|^3 gives k*P = a0 P - a1 psi(P) + a2 psi^2(P) - a3 psi^3(P)
 * with 64-bit a_i, so the multiplication needs only 64 doublings.
 */
#include <string.h>

#include "crypto/bls_curve.h"
#include "crypto/bls_field.h"

static zg_err_t g2_fe_from_bytes(zg_fp2_t *r, const uint8_t in[96]) {
  ZG_TRY(zg__fp_from_be48(&r->c1, in));
  return zg__fp_from_be48(&r->c0, in + 48);
}

static void g2_fe_to_bytes(uint8_t out[96], const zg_fp2_t *a) {
  zg__fp_to_be48(out, &a->c1);
  zg__fp_to_be48(out + 48, &a->c0);
}

/* Field adapter for the template. */
#define FE zg_fp2_t
#define PT zg_g2_t
#define FE_add zg__fp2_add
#define FE_sub zg__fp2_sub
#define FE_dbl zg__fp2_dbl
#define FE_neg zg__fp2_neg
#define FE_mul zg__fp2_mul
#define FE_sqr zg__fp2_sqr
#define FE_inv zg__fp2_inv
#define FE_cmov zg__fp2_cmov
#define FE_is_zero zg__fp2_is_zero
#define FE_eq zg__fp2_eq
#define FE_sqrt zg__fp2_sqrt
#define FE_lex_largest zg__fp2_is_lex_largest
#define FE_from_bytes g2_fe_from_bytes
#define FE_to_bytes g2_fe_to_bytes
#define FE_BYTES 96
#define FE_ONE zg__fp2_one
#define FE_ZERO zg__fp2_zero
#define FE_B g2_b
#define PUB(n) zg_g2_##n
#define INT(n) zg__g2_##n
#define LOC(n) g2_##n

/* b' = 4(u + 1) = 4 + 4u, Montgomery form. */
static const zg_fp2_t g2_b = {
    {{0xaa270000000cfff3ull, 0x53cc0032fc34000aull, 0x478fe97a6b0a807full, 0xb1d37ebee6ba24d7ull,
      0x8ec9733bbf78ab2full, 0x09d645513d83de7eull}},
    {{0xaa270000000cfff3ull, 0x53cc0032fc34000aull, 0x478fe97a6b0a807full, 0xb1d37ebee6ba24d7ull,
      0x8ec9733bbf78ab2full, 0x09d645513d83de7eull}}};

#include "crypto/bls_curve_impl.h"

/* The standard generator, Montgomery form:
 * x = 0x024aa2b2... + 0x13e02b60... u, y = 0x0ce5d527... + 0x0606c4a0... u. */
static const zg_fp2_t g2_gen_x = {
    {{0xf5f28fa202940a10ull, 0xb3f5fb2687b4961aull, 0xa1a893b53e2ae580ull, 0x9894999d1a3caee9ull,
      0x6f67b7631863366bull, 0x058191924350bcd7ull}},
    {{0xa5a9c0759e23f606ull, 0xaaa0c59dbccd60c3ull, 0x3bb17e18e2867806ull, 0x1b1ab6cc8541b367ull,
      0xc2b6ed0ef2158547ull, 0x11922a097360edf3ull}}};
static const zg_fp2_t g2_gen_y = {
    {{0x4c730af860494c4aull, 0x597cfa1f5e369c5aull, 0xe7e6856caa0a635aull, 0xbbefb5e96e0d495full,
      0x07d3a975f0ef25a2ull, 0x0083fd8e7e80dae5ull}},
    {{0xadc0fc92df64b05dull, 0x18aa270a2b1461dcull, 0x86adac6a3be4eba0ull, 0x79495c4ec93da33aull,
      0xe7175850a43ccaedull, 0x0b2bc2a163de1bf2ull}}};
/* psi(x, y) = (conj(x) * c1, conj(y) * c2) with c1 = 1/(1+u)^((p-1)/3) and
 * c2 = 1/(1+u)^((p-1)/2) (RFC 9380 appendix G.3), Montgomery form. */
static const zg_fp2_t g2_psi_c1 = {
    {{0, 0, 0, 0, 0, 0}},
    {{0x890dc9e4867545c3ull, 0x2af322533285a5d5ull, 0x50880866309b7e2cull, 0xa20d1b8c7e881024ull,
      0x14e4f04fe2db9068ull, 0x14e56d3f1564853aull}}};
static const zg_fp2_t g2_psi_c2 = {
    {{0x3e2f585da55c9ad1ull, 0x4294213d86c18183ull, 0x382844c88b623732ull, 0x92ad2afd19103e18ull,
      0x1d794e4fac7cf0b9ull, 0x0bd592fc7d825ec8ull}},
    {{0x7bcfa7a25aa30fdaull, 0xdc17dec12a927e7cull, 0x2f088dd86b4ebef1ull, 0xd1ca2087da74d4a7ull,
      0x2da2596696cebc1dull, 0x0e2b7eedbbfd87d2ull}}};

void zg_g2_generator(zg_g2_t *r) { zg__g2_from_affine(r, &g2_gen_x, &g2_gen_y); }

/* On Jacobian coordinates: x = X/Z^2, so conj(x)*c1 = conj(X)*c1 / conj(Z)^2,
 * and likewise for y: psi(X, Y, Z) = (conj(X) c1, conj(Y) c2, conj(Z)). */
void zg__g2_psi(zg_g2_t *r, const zg_g2_t *p) {
  zg_fp2_t t;
  zg__fp2_conj(&t, &p->x);
  zg__fp2_mul(&r->x, &t, &g2_psi_c1);
  zg__fp2_conj(&t, &p->y);
  zg__fp2_mul(&r->y, &t, &g2_psi_c2);
  zg__fp2_conj(&r->z, &p->z);
}

/* P on E' is in G2 iff psi(P) == [x]P (Scott, ePrint 2021/1130), with x
 * negative: [x]P = -(|x| P). */
bool zg_g2_in_subgroup(const zg_g2_t *p) {
  zg_g2_t t, f;
  if (zg_g2_is_infinity(p)) return true;
  zg__g2_mul_u64_var(&t, p, ZG__BLS_X);
  zg_g2_neg(&t, &t);
  zg__g2_psi(&f, p);
  return zg_g2_eq(&f, &t);
}

/* Writes k (< r < |x|^4) in base |x|: k = a0 + a1|x| + a2|x|^2 + a3|x|^3. */
void zg__g2_gls_split(uint64_t a[4], const uint64_t k[4]) {
  uint64_t e[4];
  memcpy(e, k, sizeof e);
  for (int j = 0; j < 4; j++) {
    unsigned __int128 rem = 0;
    for (size_t i = 4; i-- > 0;) {
      unsigned __int128 cur = (rem << 64) | e[i];
      e[i] = (uint64_t)(cur / ZG__BLS_X);
      rem = cur % ZG__BLS_X;
    }
    a[j] = (uint64_t)rem;
  }
}

#define G2_GLS_W 4
#define G2_GLS_TBL (1 << (G2_GLS_W - 2))

/* GLS: k = a0 + a1|x| + a2|x|^2 + a3|x|^3, k*P = sum (-1)^i a_i psi^i(P).
 * Odd multiples of P are made affine (one inversion); psi maps affine
 * points to affine points, so the other three tables cost 2 multiplications
 * per entry and every addition is mixed. Requires P in G2 (true of every
 * parsed or hashed point); otherwise the result is unspecified but defined. */
void zg_g2_mul_var(zg_g2_t *r, const zg_g2_t *p, const zg_fr_t *k) {
  uint64_t e[4], a[4];
  zg_g2_t tbl[4][G2_GLS_TBL], p2, acc;
  int8_t naf[4][65];
  size_t top = 0;
  zg_fr_to_u64s(e, k);
  if (zg_g2_is_infinity(p)) {
    zg_g2_set_infinity(r);
    return;
  }
  tbl[0][0] = *p;
  zg_g2_dbl(&p2, p);
  for (int i = 1; i < G2_GLS_TBL; i++) zg__g2_add_var(&tbl[0][i], &tbl[0][i - 1], &p2);
  for (int i = 0; i < G2_GLS_TBL; i++) {
    if (zg_g2_is_infinity(&tbl[0][i])) {
      zg__g2_mul_limbs_var(r, p, e, 4);
      return;
    }
  }
  zg_g2_normalize_batch(tbl[0], G2_GLS_TBL);
  for (int j = 1; j < 4; j++) {
    for (int i = 0; i < G2_GLS_TBL; i++) zg__g2_psi(&tbl[j][i], &tbl[j - 1][i]);
  }
  /* Odd powers of psi enter with a minus sign. */
  for (int i = 0; i < G2_GLS_TBL; i++) {
    zg_g2_neg(&tbl[1][i], &tbl[1][i]);
    zg_g2_neg(&tbl[3][i], &tbl[3][i]);
  }
  zg__g2_gls_split(a, e);
  for (int j = 0; j < 4; j++) {
    size_t t = g2_wnaf(naf[j], &a[j], 1, 64, G2_GLS_W);
    if (t > top) top = t;
  }
  zg_g2_set_infinity(&acc);
  for (size_t i = top; i-- > 0;) {
    if (!zg_g2_is_infinity(&acc)) zg_g2_dbl(&acc, &acc);
    for (int j = 0; j < 4; j++) {
      int d = naf[j][i];
      if (d == 0) continue;
      const zg_g2_t *q = &tbl[j][(d > 0 ? d : -d) / 2];
      zg_fp2_t ny;
      if (d > 0) {
        zg__g2_madd_var(&acc, &acc, &q->x, &q->y);
      } else {
        zg__fp2_neg(&ny, &q->y);
        zg__g2_madd_var(&acc, &acc, &q->x, &ny);
      }
    }
  }
  *r = acc;
}

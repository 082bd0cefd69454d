/*
 * bls_curve_impl.h — the group law, scalar multiplication and encodings of a
 * short Weierstrass curve y^2 = x^3 + b (a = 0) in Jacobian coordinates,
 * written once over an abstract field and instantiated twice: by bls_g1.c
 * over Fp and by bls_g2.c over Fp2. Not a header in the usual sense: it
 * defines functions, and only those two files include it, each exactly once.
 *
 * The includer defines before including:
 *   FE, PT                  field element and point types (PT has x, y, z)
 *   FE_add/sub/dbl/neg/mul/sqr/inv/cmov/is_zero/eq(...), FE_ONE, FE_ZERO
 *   FE_B                    the curve constant b (an FE lvalue)
 *   FE_sqrt, FE_lex_largest, FE_BYTES, FE_from_bytes, FE_to_bytes
 *   PUB(name)               public name (zg_g1_##name)
 *   INT(name)               internal non-static name (zg__g1_##name)
 *   LOC(name)               file-local name (g1_##name)
 *
 * Invariants: a point is (X, Y, Z) with affine x = X/Z^2, y = Y/Z^3; Z = 0 is
 * the point at infinity, whose canonical form (set_infinity, normalize) is
 * all zeros, so a zeroed struct is infinity. Functions without _var run in
 * time independent of their field values and scalars; the _var helpers
 * branch on them and serve public data only.
 */

#include <string.h>

#include "crypto/bls_curve.h"
#include "zg/bytes.h"

/* ---------------------------------------------------------------- basics */

void PUB(set_infinity)(PT *r) { memset(r, 0, sizeof(*r)); }

bool PUB(is_infinity)(const PT *p) { return FE_is_zero(&p->z); }

void INT(from_affine)(PT *r, const FE *x, const FE *y) {
  r->x = *x;
  r->y = *y;
  r->z = FE_ONE;
}

/* r = c ? a : r over the whole struct, without a data-dependent branch. */
static void LOC(cmov)(PT *r, const PT *a, bool c) {
  FE_cmov(&r->x, &a->x, c);
  FE_cmov(&r->y, &a->y, c);
  FE_cmov(&r->z, &a->z, c);
}

void PUB(neg)(PT *r, const PT *a) {
  r->x = a->x;
  FE_neg(&r->y, &a->y);
  r->z = a->z;
}

/* Equality of the affine points, cross-multiplied (no inversion):
 * X1*Z2^2 == X2*Z1^2 and Y1*Z2^3 == Y2*Z1^3, with both-infinity equal. */
bool PUB(eq)(const PT *a, const PT *b) {
  FE z1z1, z2z2, u1, u2, s1, s2;
  FE_sqr(&z1z1, &a->z);
  FE_sqr(&z2z2, &b->z);
  FE_mul(&u1, &a->x, &z2z2);
  FE_mul(&u2, &b->x, &z1z1);
  FE_mul(&s1, &a->y, &z2z2);
  FE_mul(&s1, &s1, &b->z);
  FE_mul(&s2, &b->y, &z1z1);
  FE_mul(&s2, &s2, &a->z);
  bool ainf = FE_is_zero(&a->z), binf = FE_is_zero(&b->z);
  bool ex = FE_eq(&u1, &u2), ey = FE_eq(&s1, &s2);
  bool same = ex & ey;
  return (ainf & binf) | (!ainf & !binf & same);
}

/* Y^2 == X^3 + b*Z^6; infinity counts as on the curve. */
bool PUB(is_on_curve)(const PT *p) {
  FE y2, x3, z2, z6;
  FE_sqr(&y2, &p->y);
  FE_sqr(&x3, &p->x);
  FE_mul(&x3, &x3, &p->x);
  FE_sqr(&z2, &p->z);
  FE_mul(&z6, &z2, &p->z);
  FE_sqr(&z6, &z6);
  FE_mul(&z6, &z6, &FE_B);
  FE_add(&x3, &x3, &z6);
  bool inf = FE_is_zero(&p->z), on = FE_eq(&y2, &x3);
  return inf | on;
}

/* ---------------------------------------------------------------- group law */

/* Doubling, dbl-2009-l (a = 0): 2M + 5S. Infinity maps to infinity (Z3 = 0),
 * and so does a point with Y = 0. Aliasing r == a is fine. */
void PUB(dbl)(PT *r, const PT *a) {
  FE A, B, C, D, E, F, t, x3, y3, z3;
  FE_sqr(&A, &a->x);
  FE_sqr(&B, &a->y);
  FE_sqr(&C, &B);
  FE_add(&t, &a->x, &B);
  FE_sqr(&t, &t);
  FE_sub(&t, &t, &A);
  FE_sub(&t, &t, &C);
  FE_dbl(&D, &t);
  FE_dbl(&E, &A);
  FE_add(&E, &E, &A);
  FE_sqr(&F, &E);
  FE_mul(&z3, &a->y, &a->z);
  FE_dbl(&z3, &z3);
  FE_dbl(&t, &D);
  FE_sub(&x3, &F, &t);
  FE_sub(&t, &D, &x3);
  FE_mul(&y3, &E, &t);
  FE_dbl(&C, &C);
  FE_dbl(&C, &C);
  FE_dbl(&C, &C);
  FE_sub(&y3, &y3, &C);
  r->x = x3;
  r->y = y3;
  r->z = z3;
}

/* General addition, add-2007-bl: 11M + 5S. Correct when neither input is
 * infinity and a != +-b. Reports whether H = U2 - U1 and R = S2 - S1 were
 * zero: H = 0 and R = 0 means a == b (the caller doubles instead); H = 0
 * alone means a == -b, and the output then already has Z = 0. */
static void LOC(add_raw)(PT *r, const PT *a, const PT *b, bool *h_zero, bool *r_zero) {
  FE z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t, x3, y3, z3;
  FE_sqr(&z1z1, &a->z);
  FE_sqr(&z2z2, &b->z);
  FE_mul(&u1, &a->x, &z2z2);
  FE_mul(&u2, &b->x, &z1z1);
  FE_mul(&s1, &a->y, &b->z);
  FE_mul(&s1, &s1, &z2z2);
  FE_mul(&s2, &b->y, &a->z);
  FE_mul(&s2, &s2, &z1z1);
  FE_sub(&h, &u2, &u1);
  FE_sub(&rr, &s2, &s1);
  *h_zero = FE_is_zero(&h);
  *r_zero = FE_is_zero(&rr);
  FE_dbl(&rr, &rr);
  FE_dbl(&i, &h);
  FE_sqr(&i, &i);
  FE_mul(&j, &h, &i);
  FE_mul(&v, &u1, &i);
  FE_sqr(&x3, &rr);
  FE_sub(&x3, &x3, &j);
  FE_sub(&x3, &x3, &v);
  FE_sub(&x3, &x3, &v);
  FE_sub(&t, &v, &x3);
  FE_mul(&y3, &rr, &t);
  FE_mul(&t, &s1, &j);
  FE_dbl(&t, &t);
  FE_sub(&y3, &y3, &t);
  FE_add(&z3, &a->z, &b->z);
  FE_sqr(&z3, &z3);
  FE_sub(&z3, &z3, &z1z1);
  FE_sub(&z3, &z3, &z2z2);
  FE_mul(&z3, &z3, &h);
  r->x = x3;
  r->y = y3;
  r->z = z3;
}

/* Complete, constant-time addition: computes the general sum and the double
 * of a, then selects without branches (a == b doubles, a == -b gives
 * infinity through Z3 = H * ... = 0, an infinite input returns the other). */
void PUB(add)(PT *r, const PT *a, const PT *b) {
  PT sum, d;
  bool h0, r0;
  bool ainf = FE_is_zero(&a->z), binf = FE_is_zero(&b->z);
  LOC(add_raw)(&sum, a, b, &h0, &r0);
  PUB(dbl)(&d, a);
  LOC(cmov)(&sum, &d, h0 & r0 & !ainf & !binf);
  LOC(cmov)(&sum, b, ainf);
  LOC(cmov)(&sum, a, binf);
  *r = sum;
}

void PUB(sub)(PT *r, const PT *a, const PT *b) {
  PT nb;
  PUB(neg)(&nb, b);
  PUB(add)(r, a, &nb);
}

/* Variable-time complete addition for public points. */
void INT(add_var)(PT *r, const PT *a, const PT *b) {
  if (FE_is_zero(&a->z)) {
    *r = *b;
    return;
  }
  if (FE_is_zero(&b->z)) {
    *r = *a;
    return;
  }
  bool h0, r0;
  PT s;
  LOC(add_raw)(&s, a, b, &h0, &r0);
  if (h0) {
    if (r0)
      PUB(dbl)(r, a);
    else
      PUB(set_infinity)(r);
    return;
  }
  *r = s;
}

/* Variable-time mixed addition r = a + (bx, by), madd-2007-bl: 7M + 4S.
 * (bx, by) is an affine point (never infinity); a is Jacobian. */
void INT(madd_var)(PT *r, const PT *a, const FE *bx, const FE *by) {
  if (FE_is_zero(&a->z)) {
    INT(from_affine)(r, bx, by);
    return;
  }
  FE z1z1, u2, s2, h, hh, i, j, rr, v, t, x3, y3, z3;
  FE_sqr(&z1z1, &a->z);
  FE_mul(&u2, bx, &z1z1);
  FE_mul(&s2, by, &a->z);
  FE_mul(&s2, &s2, &z1z1);
  FE_sub(&h, &u2, &a->x);
  FE_sub(&rr, &s2, &a->y);
  if (FE_is_zero(&h)) {
    if (FE_is_zero(&rr))
      PUB(dbl)(r, a);
    else
      PUB(set_infinity)(r);
    return;
  }
  FE_sqr(&hh, &h);
  FE_dbl(&i, &hh);
  FE_dbl(&i, &i);
  FE_mul(&j, &h, &i);
  FE_dbl(&rr, &rr);
  FE_mul(&v, &a->x, &i);
  FE_sqr(&x3, &rr);
  FE_sub(&x3, &x3, &j);
  FE_sub(&x3, &x3, &v);
  FE_sub(&x3, &x3, &v);
  FE_sub(&t, &v, &x3);
  FE_mul(&y3, &rr, &t);
  FE_mul(&t, &a->y, &j);
  FE_dbl(&t, &t);
  FE_sub(&y3, &y3, &t);
  FE_add(&z3, &a->z, &h);
  FE_sqr(&z3, &z3);
  FE_sub(&z3, &z3, &z1z1);
  FE_sub(&z3, &z3, &hh);
  r->x = x3;
  r->y = y3;
  r->z = z3;
}

/* ---------------------------------------------------------------- normalization */

void PUB(normalize)(PT *p) {
  FE zi, zi2, zi3;
  bool inf = FE_is_zero(&p->z);
  FE_inv(&zi, &p->z); /* inv(0) = 0, so infinity becomes (0, 0, 0) */
  FE_sqr(&zi2, &zi);
  FE_mul(&zi3, &zi2, &zi);
  FE_mul(&p->x, &p->x, &zi2);
  FE_mul(&p->y, &p->y, &zi3);
  p->z = FE_ONE;
  FE_cmov(&p->z, &FE_ZERO, inf);
}

/* Points per inversion in normalize_batch: the prefix products live on the
 * stack (the API takes no scratch), so batches larger than this pay one
 * inversion per chunk, which is negligible next to 3 multiplications per
 * point. */
#define LOC_NORM_CHUNK 128

static void LOC(normalize_chunk)(PT *p, size_t n) {
  FE acc[LOC_NORM_CHUNK];
  FE prod = FE_ONE, inv, zi, zi2, t;
  for (size_t i = 0; i < n; i++) {
    acc[i] = prod;
    if (!FE_is_zero(&p[i].z)) FE_mul(&prod, &prod, &p[i].z);
  }
  FE_inv(&inv, &prod);
  for (size_t i = n; i-- > 0;) {
    if (FE_is_zero(&p[i].z)) {
      PUB(set_infinity)(&p[i]);
      continue;
    }
    FE_mul(&zi, &inv, &acc[i]);
    FE_mul(&inv, &inv, &p[i].z);
    FE_sqr(&zi2, &zi);
    FE_mul(&t, &zi2, &zi);
    FE_mul(&p[i].x, &p[i].x, &zi2);
    FE_mul(&p[i].y, &p[i].y, &t);
    p[i].z = FE_ONE;
  }
}

/* Which points are infinity is treated as public; the coordinates are
 * handled in constant time per point. */
void PUB(normalize_batch)(PT *p, size_t n) {
  while (n > 0) {
    size_t m = n < LOC_NORM_CHUNK ? n : LOC_NORM_CHUNK;
    LOC(normalize_chunk)(p, m);
    p += m;
    n -= m;
  }
}

/* ---------------------------------------------------------------- scalar multiplication */

/* r = tbl[idx] reading every entry (no secret-dependent memory index). */
static void LOC(ct_lookup)(PT *r, const PT *tbl, size_t n, uint64_t idx) {
  const size_t nw = sizeof(PT) / sizeof(uint64_t);
  uint64_t out[sizeof(PT) / sizeof(uint64_t)];
  memset(out, 0, sizeof(out));
  for (size_t i = 0; i < n; i++) {
    uint64_t diff = (uint64_t)i ^ idx;
    uint64_t mask = ((diff | (0 - diff)) >> 63) - 1; /* all ones iff i == idx */
    const uint64_t *src = (const uint64_t *)(const void *)&tbl[i];
    for (size_t w = 0; w < nw; w++) out[w] |= src[w] & mask;
  }
  memcpy(r, out, sizeof(*r));
  zg_memwipe(out, sizeof(out));
}

/* k*P with a 4-bit fixed window: 252 doublings and 64 complete additions of
 * a table entry fetched by a constant-time scan. Every step is independent
 * of k, including leading zero windows (complete addition handles them). */
void PUB(mul)(PT *r, const PT *p, const zg_fr_t *k) {
  uint64_t e[4];
  PT tbl[16], acc, t;
  zg_fr_to_u64s(e, k);
  PUB(set_infinity)(&tbl[0]);
  tbl[1] = *p;
  for (int i = 2; i < 16; i++) {
    if (i % 2 == 0)
      PUB(dbl)(&tbl[i], &tbl[i / 2]);
    else
      PUB(add)(&tbl[i], &tbl[i - 1], p);
  }
  PUB(set_infinity)(&acc);
  for (int w = 63; w >= 0; w--) {
    if (w != 63) {
      PUB(dbl)(&acc, &acc);
      PUB(dbl)(&acc, &acc);
      PUB(dbl)(&acc, &acc);
      PUB(dbl)(&acc, &acc);
    }
    uint64_t d = (e[w / 16] >> (4 * (w % 16))) & 15;
    LOC(ct_lookup)(&t, tbl, 16, d);
    PUB(add)(&acc, &acc, &t);
  }
  *r = acc;
  zg_memwipe(e, sizeof(e));
  zg_memwipe(tbl, sizeof(tbl));
  zg_memwipe(&t, sizeof(t));
}

/* Bits [pos, pos + n) of the little-endian limbs k (zero beyond nbits). */
static uint32_t LOC(get_bits)(const uint64_t *k, size_t nlimbs, size_t pos, unsigned n) {
  uint32_t v = 0;
  for (unsigned i = 0; i < n; i++) {
    size_t b = pos + i;
    if (b / 64 < nlimbs) v |= (uint32_t)((k[b / 64] >> (b % 64)) & 1) << i;
  }
  return v;
}

/* Width-w NAF of the nbits-bit integer k into naf[0..nbits] (nbits + 1
 * digits: the extra one absorbs the final carry). Digits are zero or odd
 * with |d| < 2^(w-1). Returns the number of digits up to the highest
 * non-zero one (0 when k == 0). */
static size_t LOC(wnaf)(int8_t *naf, const uint64_t *k, size_t nlimbs, size_t nbits, unsigned w) {
  size_t len = nbits + 1, top = 0;
  uint32_t carry = 0;
  memset(naf, 0, len);
  for (size_t bit = 0; bit < len;) {
    if (LOC(get_bits)(k, nlimbs, bit, 1) == carry) {
      bit++;
      continue;
    }
    unsigned now = w;
    if (now > len - bit) now = (unsigned)(len - bit);
    int32_t word = (int32_t)(LOC(get_bits)(k, nlimbs, bit, now) + carry);
    carry = ((uint32_t)word >> (w - 1)) & 1;
    word -= (int32_t)(carry << w);
    naf[bit] = (int8_t)word;
    top = bit + 1;
    bit += now;
  }
  return top;
}

/* Applies a wNAF digit d (odd multiples tbl[i] = (2i+1)P, Jacobian). */
static void LOC(add_digit_var)(PT *acc, const PT *tbl, int d) {
  PT t;
  if (d > 0) {
    INT(add_var)(acc, acc, &tbl[(d - 1) / 2]);
  } else if (d < 0) {
    PUB(neg)(&t, &tbl[(-d - 1) / 2]);
    INT(add_var)(acc, acc, &t);
  }
}

/* Largest scalar mul_limbs_var recodes on the stack; longer ones fall back
 * to plain double-and-add. */
#define LOC_MAX_NAF_LIMBS 16

void INT(mul_limbs_var)(PT *r, const PT *p, const uint64_t *k, size_t nlimbs) {
  size_t nbits = 0;
  for (size_t i = nlimbs; i-- > 0;) {
    if (k[i]) {
      nbits = 64 * i + 64 - (size_t)__builtin_clzll(k[i]);
      break;
    }
  }
  PT acc;
  PUB(set_infinity)(&acc);
  if (nbits == 0 || PUB(is_infinity)(p)) {
    *r = acc;
    return;
  }
  if (nlimbs > LOC_MAX_NAF_LIMBS) {
    for (size_t i = nbits; i-- > 0;) {
      PUB(dbl)(&acc, &acc);
      if ((k[i / 64] >> (i % 64)) & 1) INT(add_var)(&acc, &acc, p);
    }
    *r = acc;
    return;
  }
  /* Window 2 (plain NAF, no table) for short or sparse scalars such as the
   * curve parameter; wider windows pay for their table on long ones. */
  unsigned w = nbits <= 64 ? 2 : (nbits <= 192 ? 4 : 5);
  int8_t naf[LOC_MAX_NAF_LIMBS * 64 + 1];
  PT tbl[8], p2;
  size_t top = LOC(wnaf)(naf, k, nlimbs, nbits, w);
  tbl[0] = *p;
  size_t ntbl = (size_t)1 << (w - 2);
  if (ntbl > 1) {
    PUB(dbl)(&p2, p);
    for (size_t i = 1; i < ntbl; i++) INT(add_var)(&tbl[i], &tbl[i - 1], &p2);
  }
  for (size_t i = top; i-- > 0;) {
    if (!PUB(is_infinity)(&acc)) PUB(dbl)(&acc, &acc);
    LOC(add_digit_var)(&acc, tbl, naf[i]);
  }
  *r = acc;
}

void INT(mul_u64_var)(PT *r, const PT *p, uint64_t k) { INT(mul_limbs_var)(r, p, &k, 1); }

/* ---------------------------------------------------------------- encodings */

#define LOC_FLAG_C 0x80u
#define LOC_FLAG_I 0x40u
#define LOC_FLAG_S 0x20u

/* Compressed: x with C set, S = y lexicographically largest; infinity is
 * C|I followed by zeros. */
void PUB(serialize)(uint8_t out[FE_BYTES], const PT *p) {
  PT a = *p;
  PUB(normalize)(&a);
  if (PUB(is_infinity)(&a)) {
    memset(out, 0, FE_BYTES);
    out[0] = LOC_FLAG_C | LOC_FLAG_I;
    return;
  }
  FE_to_bytes(out, &a.x);
  out[0] |= LOC_FLAG_C;
  if (FE_lex_largest(&a.y)) out[0] |= LOC_FLAG_S;
}

/* Uncompressed: x || y with no flag set; infinity is I followed by zeros. */
void PUB(serialize_uncompressed)(uint8_t out[2 * FE_BYTES], const PT *p) {
  PT a = *p;
  PUB(normalize)(&a);
  if (PUB(is_infinity)(&a)) {
    memset(out, 0, 2 * FE_BYTES);
    out[0] = LOC_FLAG_I;
    return;
  }
  FE_to_bytes(out, &a.x);
  FE_to_bytes(out + FE_BYTES, &a.y);
}

/* Checks in order: length, flags, canonical coordinates, curve equation (or
 * the existence of y), subgroup. *r is infinity on every failure. */
zg_err_t PUB(deserialize)(PT *r, const uint8_t *in, size_t len) {
  PUB(set_infinity)(r);
  if (in == NULL || (len != FE_BYTES && len != 2 * FE_BYTES)) return ZG_EBADLEN;
  bool compressed = (in[0] & LOC_FLAG_C) != 0;
  bool infinity = (in[0] & LOC_FLAG_I) != 0;
  bool sign = (in[0] & LOC_FLAG_S) != 0;
  if (compressed != (len == FE_BYTES)) return ZG_EFLAGS;
  if (infinity) {
    if (sign || (in[0] & 0x1f) != 0) return ZG_EFLAGS;
    for (size_t i = 1; i < len; i++)
      if (in[i] != 0) return ZG_EFLAGS;
    return ZG_OK;
  }
  if (!compressed && sign) return ZG_EFLAGS;
  uint8_t buf[FE_BYTES];
  memcpy(buf, in, FE_BYTES);
  buf[0] &= 0x1f;
  FE x, y;
  ZG_TRY(FE_from_bytes(&x, buf));
  if (compressed) {
    FE rhs;
    FE_sqr(&rhs, &x);
    FE_mul(&rhs, &rhs, &x);
    FE_add(&rhs, &rhs, &FE_B);
    if (!FE_sqrt(&y, &rhs)) return ZG_ENOTONCURVE;
    if (FE_lex_largest(&y) != sign) FE_neg(&y, &y);
  } else {
    ZG_TRY(FE_from_bytes(&y, in + FE_BYTES));
  }
  PT p;
  INT(from_affine)(&p, &x, &y);
  if (!PUB(is_on_curve)(&p)) return ZG_ENOTONCURVE;
  if (!PUB(in_subgroup)(&p)) return ZG_ESUBGROUP;
  *r = p;
  return ZG_OK;
}

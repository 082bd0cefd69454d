/*
 * bls_g1_aff.c — batched affine additions in G1 (Montgomery's trick): many
 * independent sums out_k = a_k + b_k share one field inversion, so each
 * costs about 5 multiplications and 1 squaring instead of the 7M + 4S of a
 * mixed Jacobian addition. The fixed-base MSMs of FK20 (kzg_cells.c) are
 * built on it.
 *
 * Points are zg__g1_aff_t with (0, 0) standing for infinity: (0, 0) is not
 * on y^2 = x^3 + 4, so no real point is mistaken for it. Every case is
 * handled: an infinite operand, a doubling (a == b) and a cancellation
 * (a == -b).
 *
 * Invariants: within one batch no output is an input of another entry (an
 * entry may write over its own inputs); the inputs are read again in the
 * backward pass, so they must not change between push and flush.
 * Variable time: for public points only.
 */
#include <string.h>

#include "crypto/bls_curve.h"
#include "crypto/kzg_internal.h"

enum { K_ADD, K_DBL, K_A, K_B, K_INF };

bool zg__g1_aff_is_inf(const zg__g1_aff_t *p) { return zg__fp_is_zero(&p->x) && zg__fp_is_zero(&p->y); }

void zg__g1_aff_set_inf(zg__g1_aff_t *p) { memset(p, 0, sizeof *p); }

void zg__g1_aff_batch_init(zg__g1_aff_batch_t *B) { B->n = 0; }

/* Applies every pending entry with one inversion. */
void zg__g1_aff_batch_flush(zg__g1_aff_batch_t *B) {
  size_t n = B->n;
  if (n == 0) return;
  zg_fp_t acc = zg__fp_one, inv, t, lambda, x3, y3, num;
  /* Forward: the case of each entry, its denominator and prefix products. */
  for (size_t k = 0; k < n; k++) {
    const zg__g1_aff_t *a = B->a[k], *b = B->b[k];
    uint8_t kind;
    if (zg__g1_aff_is_inf(a))
      kind = K_B;
    else if (zg__g1_aff_is_inf(b))
      kind = K_A;
    else if (!zg__fp_eq(&a->x, &b->x))
      kind = K_ADD;
    else
      kind = zg__fp_eq(&a->y, &b->y) ? K_DBL : K_INF;
    B->kind[k] = kind;
    if (kind == K_ADD)
      zg__fp_sub(&B->den[k], &b->x, &a->x);
    else if (kind == K_DBL)
      zg__fp_dbl(&B->den[k], &a->y); /* y != 0: G1 has no point of order 2 */
    else
      B->den[k] = zg__fp_one;
    B->pre[k] = acc;
    zg__fp_mul(&acc, &acc, &B->den[k]);
  }
  zg__fp_inv(&inv, &acc);
  /* Backward: 1/den[k] = inv * pre[k], then inv *= den[k]. */
  for (size_t k = n; k-- > 0;) {
    const zg__g1_aff_t *a = B->a[k], *b = B->b[k];
    zg__g1_aff_t *o = B->out[k];
    switch (B->kind[k]) {
      case K_A:
        *o = *a;
        continue;
      case K_B:
        *o = *b;
        continue;
      case K_INF:
        zg__g1_aff_set_inf(o);
        continue;
      default:
        break;
    }
    zg__fp_mul(&t, &inv, &B->pre[k]);
    zg__fp_mul(&inv, &inv, &B->den[k]);
    if (B->kind[k] == K_ADD) {
      zg__fp_sub(&num, &b->y, &a->y);
    } else {
      zg__fp_sqr(&num, &a->x); /* 3 x^2 */
      zg__fp_dbl(&lambda, &num);
      zg__fp_add(&num, &num, &lambda);
    }
    zg__fp_mul(&lambda, &num, &t);
    zg__fp_sqr(&x3, &lambda);
    zg__fp_sub(&x3, &x3, &a->x);
    zg__fp_sub(&x3, &x3, &b->x); /* b->x == a->x when doubling */
    zg__fp_sub(&t, &a->x, &x3);
    zg__fp_mul(&y3, &t, &lambda);
    zg__fp_sub(&y3, &y3, &a->y);
    o->x = x3;
    o->y = y3;
  }
  B->n = 0;
}

void zg__g1_aff_batch_push(zg__g1_aff_batch_t *B, zg__g1_aff_t *out, const zg__g1_aff_t *a,
                           const zg__g1_aff_t *b) {
  B->out[B->n] = out;
  B->a[B->n] = a;
  B->b[B->n] = b;
  if (++B->n == ZG__G1_AFF_BATCH) zg__g1_aff_batch_flush(B);
}

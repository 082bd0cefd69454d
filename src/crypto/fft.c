/*
 * fft.c — roots of unity of Fr, bit-reversal permutation, and in-place
 * radix-2 FFTs over Fr and G1 (see zg/fft.h for the definitions).
 *
 * The transforms are iterative decimation-in-time: permute the input into
 * bit-reversed order, then run log2(m) layers of butterflies
 * (u, v) -> (u + w v, u - w v), taking twiddles from the domain's power
 * table with stride n/m. The inverse uses w^-i = w^(n-i), i.e. the same
 * table read backwards, then scales by 1/m. Every function checks m against
 * the domain before touching the data, so a rejected call leaves it as is.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/bls_curve.h"
#include "zg/fft.h"

/* r - 1 as plain little-endian limbs. */
static const uint64_t R_MINUS_1[4] = {0xffffffff00000000ull, 0x53bda402fffe5bfeull, 0x3339d80809a1d805ull,
                                      0x73eda753299d7d48ull};

zg_err_t zg_fr_root_of_unity(zg_fr_t *w, unsigned log2n) {
  if (log2n > ZG_FR_TWO_ADICITY) return ZG_EINVAL;
  uint64_t e[4];
  memcpy(e, R_MINUS_1, sizeof e);
  /* e = (r - 1) >> log2n; exact since 2^32 divides r - 1. */
  for (unsigned k = 0; k < log2n; k++) {
    for (int i = 0; i < 3; i++) e[i] = (e[i] >> 1) | (e[i + 1] << 63);
    e[3] >>= 1;
  }
  zg_fr_t g;
  zg_fr_from_u64(&g, ZG_FR_PRIMITIVE_ROOT);
  zg_fr_pow(w, &g, e);
  return ZG_OK;
}

uint32_t zg_reverse_bits(uint32_t i, unsigned log2n) {
  if (log2n == 0) return 0;
  i = ((i >> 1) & 0x55555555u) | ((i & 0x55555555u) << 1);
  i = ((i >> 2) & 0x33333333u) | ((i & 0x33333333u) << 2);
  i = ((i >> 4) & 0x0f0f0f0fu) | ((i & 0x0f0f0f0fu) << 4);
  i = ((i >> 8) & 0x00ff00ffu) | ((i & 0x00ff00ffu) << 8);
  i = (i >> 16) | (i << 16);
  return i >> (32 - log2n);
}

static bool is_pow2(size_t n) { return n != 0 && (n & (n - 1)) == 0; }

static unsigned log2_exact(size_t n) {
  unsigned k = 0;
  while (((size_t)1 << k) < n) k++;
  return k;
}

static void swap_bytes(uint8_t *a, uint8_t *b, size_t len) {
  uint8_t tmp[64];
  while (len) {
    size_t c = len < sizeof tmp ? len : sizeof tmp;
    memcpy(tmp, a, c);
    memcpy(a, b, c);
    memcpy(b, tmp, c);
    a += c;
    b += c;
    len -= c;
  }
}

zg_err_t zg_bit_reversal_permute(void *data, size_t n, size_t elem_size) {
  if (!data || !is_pow2(n) || n > ((size_t)1 << 31) || elem_size == 0) return ZG_EINVAL;
  unsigned lg = log2_exact(n);
  uint8_t *p = data;
  for (size_t i = 0; i < n; i++) {
    size_t j = zg_reverse_bits((uint32_t)i, lg);
    if (i < j) swap_bytes(p + i * elem_size, p + j * elem_size, elem_size);
  }
  return ZG_OK;
}

zg_err_t zg_fft_domain_create(zg_fft_domain_t **out, size_t n) {
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!is_pow2(n) || n > ((size_t)1 << ZG_FFT_MAX_LOG2)) return ZG_EINVAL;
  zg_fft_domain_t *d = calloc(1, sizeof *d);
  if (!d) return ZG_ENOMEM;
  d->roots = malloc((n + 1) * sizeof *d->roots);
  if (!d->roots) {
    free(d);
    return ZG_ENOMEM;
  }
  d->n = n;
  d->log2n = log2_exact(n);
  zg_fr_t w;
  zg_err_t e = zg_fr_root_of_unity(&w, d->log2n);
  (void)e; /* log2n <= ZG_FFT_MAX_LOG2 < 32 */
  zg_fr_set_one(&d->roots[0]);
  for (size_t i = 1; i <= n; i++) zg_fr_mul(&d->roots[i], &d->roots[i - 1], &w);
  *out = d;
  return ZG_OK;
}

void zg_fft_domain_destroy(zg_fft_domain_t *dom) {
  if (!dom) return;
  free(dom->roots);
  free(dom);
}

static bool size_ok(const zg_fft_domain_t *dom, const void *a, size_t m) {
  return dom && a && is_pow2(m) && m <= dom->n;
}

/* Butterflies over bit-reversed input; inverse reads the twiddles backwards. */
static void fr_transform(const zg_fft_domain_t *dom, zg_fr_t *a, size_t m, bool inverse) {
  zg_err_t e = zg_bit_reversal_permute(a, m, sizeof *a);
  (void)e; /* m was checked by the caller */
  for (size_t half = 1; half < m; half <<= 1) {
    size_t stride = dom->n / (half << 1);
    for (size_t blk = 0; blk < m; blk += half << 1) {
      zg_fr_t *x = a + blk, *y = a + blk + half;
      zg_fr_t t = y[0];
      zg_fr_sub(&y[0], &x[0], &t);
      zg_fr_add(&x[0], &x[0], &t);
      for (size_t j = 1; j < half; j++) {
        size_t k = j * stride;
        const zg_fr_t *w = &dom->roots[inverse ? dom->n - k : k];
        zg_fr_mul(&t, &y[j], w);
        zg_fr_sub(&y[j], &x[j], &t);
        zg_fr_add(&x[j], &x[j], &t);
      }
    }
  }
  if (inverse && m > 1) {
    zg_fr_t inv_m;
    zg_fr_from_u64(&inv_m, m);
    zg_fr_inv(&inv_m, &inv_m);
    for (size_t i = 0; i < m; i++) zg_fr_mul(&a[i], &a[i], &inv_m);
  }
}

/* a[i] *= s^i. */
static void scale_by_powers(zg_fr_t *a, size_t m, const zg_fr_t *s) {
  zg_fr_t p = *s;
  for (size_t i = 1; i < m; i++) {
    zg_fr_mul(&a[i], &a[i], &p);
    zg_fr_mul(&p, &p, s);
  }
}

zg_err_t zg_fft_fr(const zg_fft_domain_t *dom, zg_fr_t *a, size_t m) {
  if (!size_ok(dom, a, m)) return ZG_EINVAL;
  fr_transform(dom, a, m, false);
  return ZG_OK;
}

zg_err_t zg_ifft_fr(const zg_fft_domain_t *dom, zg_fr_t *a, size_t m) {
  if (!size_ok(dom, a, m)) return ZG_EINVAL;
  fr_transform(dom, a, m, true);
  return ZG_OK;
}

zg_err_t zg_coset_fft_fr(const zg_fft_domain_t *dom, zg_fr_t *a, size_t m) {
  if (!size_ok(dom, a, m)) return ZG_EINVAL;
  zg_fr_t s;
  zg_fr_from_u64(&s, ZG_FR_PRIMITIVE_ROOT);
  scale_by_powers(a, m, &s);
  fr_transform(dom, a, m, false);
  return ZG_OK;
}

zg_err_t zg_coset_ifft_fr(const zg_fft_domain_t *dom, zg_fr_t *a, size_t m) {
  if (!size_ok(dom, a, m)) return ZG_EINVAL;
  fr_transform(dom, a, m, true);
  zg_fr_t s;
  zg_fr_from_u64(&s, ZG_FR_PRIMITIVE_ROOT);
  zg_fr_inv(&s, &s);
  scale_by_powers(a, m, &s);
  return ZG_OK;
}

/* The G1 version of fr_transform; twiddle multiplications are public. */
static void g1_transform(const zg_fft_domain_t *dom, zg_g1_t *a, size_t m, bool inverse) {
  zg_err_t e = zg_bit_reversal_permute(a, m, sizeof *a);
  (void)e;
  zg_g1_t t, neg;
  for (size_t half = 1; half < m; half <<= 1) {
    size_t stride = dom->n / (half << 1);
    for (size_t blk = 0; blk < m; blk += half << 1) {
      zg_g1_t *x = a + blk, *y = a + blk + half;
      for (size_t j = 0; j < half; j++) {
        size_t k = j * stride;
        if (k == 0)
          t = y[j];
        else
          zg_g1_mul_var(&t, &y[j], &dom->roots[inverse ? dom->n - k : k]);
        zg_g1_neg(&neg, &t);
        zg__g1_add_var(&y[j], &x[j], &neg);
        zg__g1_add_var(&x[j], &x[j], &t);
      }
    }
  }
  if (inverse && m > 1) {
    zg_fr_t inv_m;
    zg_fr_from_u64(&inv_m, m);
    zg_fr_inv(&inv_m, &inv_m);
    for (size_t i = 0; i < m; i++) zg_g1_mul_var(&a[i], &a[i], &inv_m);
  }
}

zg_err_t zg_fft_g1(const zg_fft_domain_t *dom, zg_g1_t *a, size_t m) {
  if (!size_ok(dom, a, m)) return ZG_EINVAL;
  g1_transform(dom, a, m, false);
  return ZG_OK;
}

zg_err_t zg_ifft_g1(const zg_fft_domain_t *dom, zg_g1_t *a, size_t m) {
  if (!size_ok(dom, a, m)) return ZG_EINVAL;
  g1_transform(dom, a, m, true);
  return ZG_OK;
}

/*
 * test_fft.c — roots of unity, bit reversal and the FFTs of zg/fft.h:
 * transforms against naive O(n^2) evaluation at random sizes, inverse and
 * coset round trips up to 2^16, the G1 transform against naive sums, and
 * argument checks.
 */
#include <stdlib.h>

#include "zg/fft.h"
#include "zg_test.h"

static zg_fft_domain_t *g_dom; /* 2^16 */

static void rand_fr(zg_fr_t *a) {
  uint8_t b[64];
  zgt_rand_bytes(b, sizeof b);
  zg_fr_from_be_reduce(a, b, sizeof b);
}

static void test_roots(void) {
  zg_fr_t w, t;
  /* The primitive 2^32-th root of 7, as big-endian hex (well known constant). */
  uint8_t want[32], got[32];
  CHECK_OK(zg_hex_decode(want, 32, "0x16a2a19edfe81f20d09b681922c813b4b63683508c2280b93829971f439f0d2b", 66));
  CHECK_OK(zg_fr_root_of_unity(&w, 32));
  zg_fr_to_be32(got, &w);
  CHECK_MEM(got, want, 32);
  CHECK_ERR(zg_fr_root_of_unity(&w, 33), ZG_EINVAL);
  for (unsigned k = 0; k <= 32; k++) {
    CHECK_OK(zg_fr_root_of_unity(&w, k));
    t = w;
    for (unsigned i = 0; i < k; i++) {
      if (i == k - 1) CHECK(!zg_fr_is_one(&t)); /* order exactly 2^k */
      zg_fr_sqr(&t, &t);
    }
    CHECK(zg_fr_is_one(&t));
  }
  /* The domain's table: roots[n] = 1 and roots[1] the primitive root. */
  CHECK(zg_fr_is_one(&g_dom->roots[g_dom->n]));
  CHECK_OK(zg_fr_root_of_unity(&w, 16));
  CHECK(zg_fr_eq(&w, &g_dom->roots[1]));
}

static void test_bit_reversal(void) {
  CHECK_EQ(zg_reverse_bits(1, 12), 2048);
  CHECK_EQ(zg_reverse_bits(6, 3), 3);
  CHECK_EQ(zg_reverse_bits(0, 0), 0);
  CHECK_EQ(zg_reverse_bits(1, 32), 0x80000000u);
  uint32_t v[64];
  for (uint32_t i = 0; i < 64; i++) v[i] = i;
  CHECK_OK(zg_bit_reversal_permute(v, 64, sizeof v[0]));
  for (uint32_t i = 0; i < 64; i++) CHECK_EQ(v[i], zg_reverse_bits(i, 6));
  CHECK_OK(zg_bit_reversal_permute(v, 64, sizeof v[0]));
  for (uint32_t i = 0; i < 64; i++) CHECK_EQ(v[i], i);
  CHECK_ERR(zg_bit_reversal_permute(v, 48, sizeof v[0]), ZG_EINVAL);
  CHECK_ERR(zg_bit_reversal_permute(v, 0, sizeof v[0]), ZG_EINVAL);
  CHECK_ERR(zg_bit_reversal_permute(v, 4, 0), ZG_EINVAL);
  /* Elements larger than the internal swap buffer. */
  zg_g1_t pts[4];
  for (int i = 0; i < 4; i++) {
    zg_g1_generator(&pts[i]);
    zg_g1_t g;
    zg_g1_generator(&g);
    for (int j = 0; j < i; j++) zg_g1_add(&pts[i], &pts[i], &g);
  }
  zg_g1_t copy[4];
  memcpy(copy, pts, sizeof pts);
  CHECK_OK(zg_bit_reversal_permute(pts, 4, sizeof pts[0]));
  CHECK(zg_g1_eq(&pts[1], &copy[2]) && zg_g1_eq(&pts[2], &copy[1]) && zg_g1_eq(&pts[3], &copy[3]));
}

/* out[i] = sum_j a[j] * (shift * w_m^i)^j. */
static void naive_eval(zg_fr_t *out, const zg_fr_t *a, size_t m, const zg_fr_t *shift) {
  zg_fr_t w;
  unsigned lg = 0;
  while (((size_t)1 << lg) < m) lg++;
  CHECK_OK(zg_fr_root_of_unity(&w, lg));
  zg_fr_t x = *shift;
  for (size_t i = 0; i < m; i++) {
    zg_fr_t acc, p;
    zg_fr_set_zero(&acc);
    zg_fr_set_one(&p);
    for (size_t j = 0; j < m; j++) {
      zg_fr_t t;
      zg_fr_mul(&t, &a[j], &p);
      zg_fr_add(&acc, &acc, &t);
      zg_fr_mul(&p, &p, &x);
    }
    out[i] = acc;
    zg_fr_mul(&x, &x, &w);
  }
}

static bool fr_vec_eq(const zg_fr_t *a, const zg_fr_t *b, size_t m) {
  for (size_t i = 0; i < m; i++)
    if (!zg_fr_eq(&a[i], &b[i])) return false;
  return true;
}

static void test_fft_vs_naive(void) {
  zg_fr_t one, seven;
  zg_fr_set_one(&one);
  zg_fr_from_u64(&seven, 7);
  long iters = zgt_iters(12);
  for (long it = 0; it < iters; it++) {
    size_t m = (size_t)1 << zgt_rand_below(9); /* 1 .. 256 */
    zg_fr_t *a = malloc(m * sizeof *a), *b = malloc(m * sizeof *b), *want = malloc(m * sizeof *want);
    for (size_t i = 0; i < m; i++) rand_fr(&a[i]);
    memcpy(b, a, m * sizeof *a);
    naive_eval(want, a, m, &one);
    CHECK_OK(zg_fft_fr(g_dom, b, m));
    if (!fr_vec_eq(b, want, m)) ZGT_FAIL("fft != naive at m=%zu", m);
    CHECK_OK(zg_ifft_fr(g_dom, b, m));
    if (!fr_vec_eq(b, a, m)) ZGT_FAIL("ifft(fft) != id at m=%zu", m);
    memcpy(b, a, m * sizeof *a);
    naive_eval(want, a, m, &seven);
    CHECK_OK(zg_coset_fft_fr(g_dom, b, m));
    if (!fr_vec_eq(b, want, m)) ZGT_FAIL("coset fft != naive at m=%zu", m);
    CHECK_OK(zg_coset_ifft_fr(g_dom, b, m));
    if (!fr_vec_eq(b, a, m)) ZGT_FAIL("coset round trip at m=%zu", m);
    free(a);
    free(b);
    free(want);
  }
}

static void test_round_trips_large(void) {
  size_t sizes[] = {1024, 4096, 8192, 65536};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    size_t m = sizes[s];
    zg_fr_t *a = malloc(m * sizeof *a), *b = malloc(m * sizeof *b);
    for (size_t i = 0; i < m; i++) rand_fr(&a[i]);
    memcpy(b, a, m * sizeof *a);
    CHECK_OK(zg_fft_fr(g_dom, b, m));
    /* Spot-check one output against direct evaluation (Horner) at w^i. */
    size_t i = zgt_rand_below((uint32_t)m);
    zg_fr_t x = g_dom->roots[i * (g_dom->n / m)], acc;
    zg_fr_set_zero(&acc);
    for (size_t j = m; j-- > 0;) {
      zg_fr_mul(&acc, &acc, &x);
      zg_fr_add(&acc, &acc, &a[j]);
    }
    CHECK(zg_fr_eq(&acc, &b[i]));
    CHECK_OK(zg_ifft_fr(g_dom, b, m));
    if (!fr_vec_eq(a, b, m)) ZGT_FAIL("round trip at m=%zu", m);
    CHECK_OK(zg_coset_ifft_fr(g_dom, b, m));
    CHECK_OK(zg_coset_fft_fr(g_dom, b, m));
    if (!fr_vec_eq(a, b, m)) ZGT_FAIL("coset round trip at m=%zu", m);
    free(a);
    free(b);
  }
}

static void test_g1_fft(void) {
  size_t m = 8;
  zg_g1_t g, pts[8], want[8];
  zg_fr_t k[8];
  zg_g1_generator(&g);
  for (size_t i = 0; i < m; i++) {
    rand_fr(&k[i]);
    zg_g1_mul_var(&pts[i], &g, &k[i]);
  }
  /* The G1 FFT of k_i * G is the Fr FFT of k, times G. */
  zg_fr_t kf[8];
  memcpy(kf, k, sizeof k);
  CHECK_OK(zg_fft_fr(g_dom, kf, m));
  for (size_t i = 0; i < m; i++) zg_g1_mul_var(&want[i], &g, &kf[i]);
  CHECK_OK(zg_fft_g1(g_dom, pts, m));
  for (size_t i = 0; i < m; i++) CHECK(zg_g1_eq(&pts[i], &want[i]));
  CHECK_OK(zg_ifft_g1(g_dom, pts, m));
  for (size_t i = 0; i < m; i++) {
    zg_g1_mul_var(&want[i], &g, &k[i]);
    CHECK(zg_g1_eq(&pts[i], &want[i]));
  }
}

static void test_args(void) {
  zg_fr_t a[4];
  memset(a, 0, sizeof a);
  CHECK_ERR(zg_fft_fr(g_dom, a, 3), ZG_EINVAL);
  CHECK_ERR(zg_fft_fr(g_dom, a, 0), ZG_EINVAL);
  CHECK_ERR(zg_ifft_fr(NULL, a, 4), ZG_EINVAL);
  CHECK_ERR(zg_fft_fr(g_dom, a, g_dom->n * 2), ZG_EINVAL);
  zg_fft_domain_t *d = NULL;
  CHECK_ERR(zg_fft_domain_create(&d, 12), ZG_EINVAL);
  CHECK(d == NULL);
  CHECK_OK(zg_fft_domain_create(&d, 1));
  CHECK_OK(zg_fft_fr(d, a, 1));
  CHECK_ERR(zg_fft_fr(d, a, 2), ZG_EINVAL);
  zg_fft_domain_destroy(d);
  zg_fft_domain_destroy(NULL);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  if (zg_fft_domain_create(&g_dom, 65536) != ZG_OK) {
    printf("cannot create the FFT domain\n");
    return 1;
  }
  ZGT_RUN(test_roots);
  ZGT_RUN(test_bit_reversal);
  ZGT_RUN(test_fft_vs_naive);
  ZGT_RUN(test_round_trips_large);
  ZGT_RUN(test_g1_fft);
  ZGT_RUN(test_args);
  zg_fft_domain_destroy(g_dom);
  return zgt_done();
}

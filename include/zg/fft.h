/*
 * zg/fft.h — roots of unity and radix-2 FFTs over the BLS12-381 scalar field
 * Fr, plus the same transform over G1 points (used by FK20 multi-proofs).
 *
 * r - 1 = 2^32 * odd, so Fr holds roots of unity of every order 2^k with
 * k <= 32. Following EIP-4844, every root is derived from the primitive
 * root 7 (a generator of Fr*): the primitive 2^k-th root is 7^((r-1)/2^k).
 * The same 7 is the coset shift of the coset transforms (it is not a 2^k-th
 * root of unity, so 7*<w> is disjoint from <w>).
 *
 * A domain is the table of powers of one primitive n-th root w (n a power
 * of two). It serves every transform of size m <= n that divides n, using
 * w^(n/m). Transforms run in place, natural order in and out:
 *
 *   fft:       a[i] <- sum_j a[j] * w_m^(i*j)           (coefficients -> values)
 *   ifft:      the inverse (values -> coefficients), including the 1/m factor
 *   coset_fft: a[i] <- sum_j a[j] * (7 * w_m^i)^j        (values on the coset 7<w_m>)
 *   coset_ifft: its inverse
 *
 * Nothing here allocates except zg_fft_domain_create. Domains are read-only
 * after creation and may be shared between threads. All functions are
 * variable time: they are meant for public data (blobs, commitments).
 */
#ifndef ZG_FFT_H
#define ZG_FFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bls12_381.h"
#include "zg/err.h"

/* The 2-adicity of r - 1: the largest k with a primitive 2^k-th root in Fr. */
#define ZG_FR_TWO_ADICITY 32
/* The primitive root of Fr* that all roots of unity and coset shifts come from. */
#define ZG_FR_PRIMITIVE_ROOT 7
/* Largest domain zg_fft_domain_create accepts (2^24 elements, 1 GiB of roots). */
#define ZG_FFT_MAX_LOG2 24

typedef struct {
  size_t n;        /* domain size, a power of two >= 1 */
  unsigned log2n;  /* n = 2^log2n */
  zg_fr_t *roots;  /* n + 1 entries: roots[i] = w^i; roots[n] = 1; owned */
} zg_fft_domain_t;

/* Sets *w to the primitive 2^log2n-th root of unity 7^((r-1)/2^log2n).
 * ZG_EINVAL when log2n > 32. */
ZG_WARN_UNUSED zg_err_t zg_fr_root_of_unity(zg_fr_t *w, unsigned log2n);

/* Reverses the low log2n bits of i (log2n <= 32; higher bits of i must be 0). */
uint32_t zg_reverse_bits(uint32_t i, unsigned log2n);

/* Permutes n elements of elem_size bytes each into bit-reversed order, in
 * place (the permutation is an involution). ZG_EINVAL unless n is a power of
 * two (n = 0 is rejected too) below 2^32 and elem_size > 0. */
ZG_WARN_UNUSED zg_err_t zg_bit_reversal_permute(void *data, size_t n, size_t elem_size);

/* Allocates a domain of size n (a power of two, 1 <= n <= 2^ZG_FFT_MAX_LOG2)
 * into *out. ZG_EINVAL for a bad n, ZG_ENOMEM. Free with _destroy. */
ZG_WARN_UNUSED zg_err_t zg_fft_domain_create(zg_fft_domain_t **out, size_t n);
/* Frees a domain from _create; NULL is a no-op. */
void zg_fft_domain_destroy(zg_fft_domain_t *dom);

/* In-place transforms of m elements, m a power of two with 1 <= m <= dom->n.
 * ZG_EINVAL otherwise (a is then unchanged). See the header comment for the
 * exact definitions. */
ZG_WARN_UNUSED zg_err_t zg_fft_fr(const zg_fft_domain_t *dom, zg_fr_t *a, size_t m);
ZG_WARN_UNUSED zg_err_t zg_ifft_fr(const zg_fft_domain_t *dom, zg_fr_t *a, size_t m);
ZG_WARN_UNUSED zg_err_t zg_coset_fft_fr(const zg_fft_domain_t *dom, zg_fr_t *a, size_t m);
ZG_WARN_UNUSED zg_err_t zg_coset_ifft_fr(const zg_fft_domain_t *dom, zg_fr_t *a, size_t m);

/* The same transforms over G1 (the "exponent" is the Fr vector): a[i] <-
 * sum_j w_m^(i*j) * a[j]. Points may be in any representation; outputs are
 * Jacobian, not normalized. */
ZG_WARN_UNUSED zg_err_t zg_fft_g1(const zg_fft_domain_t *dom, zg_g1_t *a, size_t m);
ZG_WARN_UNUSED zg_err_t zg_ifft_g1(const zg_fft_domain_t *dom, zg_g1_t *a, size_t m);

#endif

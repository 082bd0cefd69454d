/*
 * rs_internal.h — pieces shared by the Reed–Solomon code of the DA layer
 * (rs.c) and the EIP-7594 cells (kzg_cells.c). Not a public API.
 *
 * Codewords here are always the evaluations of a polynomial p of degree
 * < 4096 on an FFT domain of N = 2^k >= 8192 points, in bit-reversed order,
 * cut into cells of 64 elements: cell c holds p at w_N^reverse_bits(64c + j)
 * for j < 64. In that order the codeword splits into blocks of 4096
 * elements: block b is p on the coset s_b * <w4096>, s_b = w_N^rev(b) (rev
 * over log2(N/4096) bits), again bit-reversed; block 0 (s_0 = 1) is the data
 * itself (systematic code). EIP-7594 is the case N = 8192, two blocks.
 */
#ifndef ZG_CRYPTO_RS_INTERNAL_H
#define ZG_CRYPTO_RS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "zg/bls12_381.h"
#include "zg/bytes.h"
#include "zg/err.h"
#include "zg/fft.h"

#define ZG__RS_K 4096   /* data elements per row / degree bound */
#define ZG__RS_CELL 64  /* elements per cell */

/* Raw limb transfer. The transforms of a codeword are linear over Fr, so
 * feeding them the plain integers as if they were Montgomery
 * representations (value x R^-1) yields outputs scaled by the same R^-1,
 * whose limbs are then the plain results: no conversion in or out. Only for
 * values < r, and only where every later step is linear (or rescales by R,
 * as FK20 does). */
static inline void zg__fr_load_raw(zg_fr_t *r, const uint8_t b[32]) {
  for (int j = 0; j < 4; j++) r->l[j] = zg_load_be64(b + 24 - 8 * j);
}
static inline void zg__fr_store_raw(uint8_t b[32], const zg_fr_t *a) {
  for (int j = 0; j < 4; j++) zg_store_be64(b + 24 - 8 * j, a->l[j]);
}
/* The same load, ZG_EFIELD (and *r zero) unless the value is < r. */
static inline zg_err_t zg__fr_load_raw_checked(zg_fr_t *r, const uint8_t b[32]) {
  static const uint64_t mod[4] = {0xffffffff00000001ull, 0x53bda402fffe5bfeull, 0x3339d80809a1d805ull,
                                  0x73eda753299d7d48ull};
  zg__fr_load_raw(r, b);
  for (int j = 3; j >= 0; j--) {
    if (r->l[j] < mod[j]) return ZG_OK;
    if (r->l[j] > mod[j]) break;
  }
  r->l[0] = r->l[1] = r->l[2] = r->l[3] = 0;
  return ZG_EFIELD;
}

/* ---- a minimal parallel for (pthreads; rs.c) ----
 * Calls fn(arg, begin, end, worker) on contiguous chunks covering [0, n),
 * worker < threads identifying the chunk's thread (the caller is worker 0).
 * threads <= 1 (or n <= 1) runs everything on the calling thread; when a
 * thread cannot be created its chunk runs on the caller, so the call always
 * completes. Chunks are assigned deterministically, results never depend on
 * the thread count. */
typedef void (*zg__par_fn)(void *arg, size_t begin, size_t end, unsigned worker);
void zg__par_for(unsigned threads, size_t n, zg__par_fn fn, void *arg);

/* Block b (0 <= b < N/4096) of the codeword of the polynomial with the 4096
 * coefficients coeffs: out[q] = p(s_b * w4096^rev12(q)), q < 4096. dom must
 * have at least N points; out must not alias coeffs. */
void zg__rs_eval_block(const zg_fft_domain_t *dom, size_t N, size_t b, const zg_fr_t *coeffs, zg_fr_t *out);

/* Erasure decoding by the vanishing-polynomial method (consensus-specs
 * recover_polynomialcoeff, generalised to N points): io holds N codeword
 * elements in bit-reversed order, zero where missing; present[c] says
 * whether cell c (N / 64 cells) was received. On return io holds the N
 * coefficients of the polynomial whose first 4096 are p's (the caller
 * truncates). The caller guarantees at least 64 present cells, so the
 * vanishing polynomial has degree <= N - 4096. tmp: N + 2 * (N / 64)
 * elements. dom must have at least N points. */
size_t zg__rs_recover_tmp_elems(size_t N);
/* fwd[i] = 7^i / N and inv[i] = 7^-i / N for i < N: the scalings of the
 * recovery's transforms, computed once per context. */
void zg__rs_recover_tables(zg_fr_t *fwd, zg_fr_t *inv, size_t N);
void zg__rs_recover_coeffs(const zg_fft_domain_t *dom, size_t N, zg_fr_t *io, const bool *present, zg_fr_t *tmp,
                           const zg_fr_t *fwd, const zg_fr_t *inv);

/* The 4096 bit-reversed evaluations in natural-order coefficients: an
 * inverse FFT of 4096 after un-permuting. In place. */
void zg__rs_evals_to_coeffs(const zg_fft_domain_t *dom, zg_fr_t *a);

#endif

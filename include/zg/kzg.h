/*
 * zg/kzg.h — KZG polynomial commitments over BLS12-381 with the Ethereum
 * ceremony's trusted setup: the EIP-4844 blob API (consensus-specs
 * deneb/polynomial-commitments.md), byte-exact with the spec.
 *
 * One settings object holds the loaded setup (4096 G1 points in Lagrange
 * form, stored bit-reversed as the spec requires; 65 G2 points and 4096 G1
 * points in monomial form), the FFT domain of the extended blob (8192
 * elements) and optional precomputed tables. Every KZG function takes it;
 * the EIP-7594 cell functions build on the same object. It is read-only
 * after loading and may be shared by any number of threads.
 *
 * Memory: loading allocates the settings (explicitly: _load/_destroy). The
 * blob functions allocate nothing: they take caller scratch of
 * zg_kzg_scratch_size(settings, nblobs) bytes (any alignment), which may be
 * reused between calls but not shared by concurrent calls.
 *
 * Inputs are raw bytes as in the spec, each with its length:
 *   wrong length                               -> ZG_EBADLEN
 *   blob element or z / y >= the field order   -> ZG_ESCALAR
 *   commitment / proof not a valid G1 point    -> the deserializer's code
 *       (ZG_EFLAGS, ZG_EFIELD, ZG_ENOTONCURVE, ZG_ESUBGROUP); the point at
 *       infinity (0xc0 00..00) is valid, as the spec says.
 * Verification results are the bool *ok output (false for a proof that does
 * not verify); an error means the input was malformed, and then *ok is
 * false too. Outputs are written on every path (zeros on failure).
 * Everything here handles public data and is variable time.
 */
#ifndef ZG_KZG_H
#define ZG_KZG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"

#define ZG_KZG_FIELD_ELEMENTS_PER_BLOB 4096
#define ZG_KZG_FIELD_ELEMENTS_PER_EXT_BLOB 8192
#define ZG_KZG_BYTES_PER_FIELD_ELEMENT 32
#define ZG_KZG_BYTES_PER_BLOB (32 * 4096)
#define ZG_KZG_BYTES_PER_COMMITMENT 48
#define ZG_KZG_BYTES_PER_PROOF 48
#define ZG_KZG_SETUP_G2_LENGTH 65

typedef struct zg_kzg_settings zg_kzg_settings_t;

/* Loading options; a zeroed struct (or NULL) means the defaults. */
typedef struct {
  /* Threads that decompress and check the setup's points: 0 = one per
   * online CPU (at most 8), 1 = the calling thread only. */
  unsigned threads;
  /* Memory granted to fixed-base tables over the 4096 Lagrange points,
   * which speed up commitments and proofs: 0 = none (the generic MSM),
   * 1 = 2 MB, 2 = 4 MB, 3 = 8 MB (fastest; larger values mean 3). The
   * tables cost extra load time to build; zg_kzg_precompute_bytes gives
   * the exact size. Results are the same bytes at every level. */
  unsigned precompute;
} zg_kzg_load_opts_t;

/* Bytes of table memory a precompute level costs (0 for level 0). */
size_t zg_kzg_precompute_bytes(unsigned level);

/*
 * Loads the Ethereum text format: a line "4096", a line "65", then 4096 G1
 * points in Lagrange form (48-byte compressed, hex without 0x), 65 G2 points
 * in monomial form (96-byte compressed) and 4096 G1 points in monomial form,
 * separated by white space. Every point is decompressed and checked (curve
 * and subgroup). On failure returns ZG_ESETUP (bad format, counts or
 * points), ZG_EIO (cannot read the file) or ZG_ENOMEM, sets *out to NULL and
 * writes a one-line reason into msg (msglen bytes, may be NULL/0).
 *   out:  receives the settings, owned by the caller (free with _destroy)
 *   opts: borrowed for the call; NULL for defaults
 */
ZG_WARN_UNUSED zg_err_t zg_kzg_settings_load_file(zg_kzg_settings_t **out, const char *path,
                                                  const zg_kzg_load_opts_t *opts, char *msg, size_t msglen);
/* The same from the file's text (len bytes, need not be NUL-terminated). */
ZG_WARN_UNUSED zg_err_t zg_kzg_settings_load_text(zg_kzg_settings_t **out, const char *text, size_t len,
                                                  const zg_kzg_load_opts_t *opts, char *msg, size_t msglen);
/* Frees settings from a _load function; NULL is a no-op. */
void zg_kzg_settings_destroy(zg_kzg_settings_t *s);

/* Scratch bytes the functions below need for up to nblobs blobs (nblobs is
 * the batch size for the batch verifier, 1 for the others). */
size_t zg_kzg_scratch_size(const zg_kzg_settings_t *s, size_t nblobs);

/* ---------------- EIP-4844 ---------------- */

/* commitment = sum_i blob[i] * L_i(tau) G1 (blob_to_kzg_commitment). */
ZG_WARN_UNUSED zg_err_t zg_kzg_blob_to_commitment(const zg_kzg_settings_t *s, uint8_t commitment[48],
                                                  const uint8_t *blob, size_t blob_len, void *scratch);

/* Proof that the blob's polynomial p has p(z) = y (compute_kzg_proof); z may
 * lie in the evaluation domain. */
ZG_WARN_UNUSED zg_err_t zg_kzg_compute_proof(const zg_kzg_settings_t *s, uint8_t proof[48], uint8_t y[32],
                                             const uint8_t *blob, size_t blob_len, const uint8_t *z, size_t z_len,
                                             void *scratch);

/* The proof at the Fiat–Shamir challenge of (blob, commitment)
 * (compute_blob_kzg_proof). The commitment is validated but not checked
 * against the blob. */
ZG_WARN_UNUSED zg_err_t zg_kzg_compute_blob_proof(const zg_kzg_settings_t *s, uint8_t proof[48], const uint8_t *blob,
                                                  size_t blob_len, const uint8_t *commitment, size_t commitment_len,
                                                  void *scratch);

/* *ok = whether proof shows that the committed polynomial has p(z) = y
 * (verify_kzg_proof). Needs no scratch. */
ZG_WARN_UNUSED zg_err_t zg_kzg_verify_proof(const zg_kzg_settings_t *s, bool *ok, const uint8_t *commitment,
                                            size_t commitment_len, const uint8_t *z, size_t z_len, const uint8_t *y,
                                            size_t y_len, const uint8_t *proof, size_t proof_len);

/* *ok = whether proof opens commitment at the blob's challenge to the blob's
 * value there (verify_blob_kzg_proof). */
ZG_WARN_UNUSED zg_err_t zg_kzg_verify_blob_proof(const zg_kzg_settings_t *s, bool *ok, const uint8_t *blob,
                                                 size_t blob_len, const uint8_t *commitment, size_t commitment_len,
                                                 const uint8_t *proof, size_t proof_len, void *scratch);

/* All n (blob, commitment, proof) triples at once with the spec's random
 * linear combination (verify_blob_kzg_proof_batch); n = 0 verifies. The
 * three arrays have n borrowed slices each. scratch:
 * zg_kzg_scratch_size(s, n). */
ZG_WARN_UNUSED zg_err_t zg_kzg_verify_blob_proof_batch(const zg_kzg_settings_t *s, bool *ok, const zg_slice_t *blobs,
                                                       const zg_slice_t *commitments, const zg_slice_t *proofs,
                                                       size_t n, void *scratch);

/* The spec's internal Fiat–Shamir challenge of (blob, commitment), as 32
 * big-endian bytes (compute_challenge; exposed for the test vectors). The
 * commitment bytes are hashed as given but must be a valid point. */
ZG_WARN_UNUSED zg_err_t zg_kzg_compute_challenge(uint8_t challenge[32], const uint8_t *blob, size_t blob_len,
                                                 const uint8_t *commitment, size_t commitment_len);

#endif

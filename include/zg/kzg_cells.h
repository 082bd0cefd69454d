/*
 * zg/kzg_cells.h — EIP-7594 (PeerDAS) cells and cell proofs over the KZG
 * setup of zg/kzg.h, byte-exact with consensus-specs
 * fulu/polynomial-commitments-sampling.md.
 *
 * A blob (4096 field elements, the evaluations of a polynomial p of degree
 * < 4096 at the 4096th roots of unity in bit-reversed order) is extended to
 * 8192 evaluations at the 8192nd roots of unity, again in bit-reversed
 * order, and cut into 128 cells of 64 consecutive elements. Cell i holds
 * p on the coset h_i * <w64> (in bit-reversed order within the coset), where
 * h_i = w8192^reverse_bits(i, 7); the first 64 cells are the blob itself.
 * A cell proof is the commitment to p(X) / (X^64 - h_i^64).
 *
 * A cells context (zg_kzg_cells_t) borrows the loaded settings and adds the
 * FK20 tables: for each of the 64 offsets c inside a cell, the FFT of size
 * 128 over G1 of the Toeplitz column [tau^(64 j + c)] (8192 points), each
 * with its 2^(8j) multiples for fixed-base MSMs (about 20 MB with the
 * GLV-mapped x coordinates), plus the same for tau^0..63 G1 and small field
 * tables (about 1 MB). Building it takes about 3 s of CPU (split over
 * opts.threads). Each call's scratch is ~6.3 MB with one thread. It is read-only after
 * creation and may be shared by threads; the thread-count knob says how
 * many threads ONE call may use.
 *
 * Memory: _create/_destroy allocate the context; every other function
 * allocates nothing and takes caller scratch of
 * zg_kzg_cells_scratch_size(ctx, n) bytes (n = the largest number of cells
 * passed to the batch verifier; 128 suffices for the other functions). The
 * scratch may be reused between calls, not shared by concurrent calls.
 *
 * Inputs are raw bytes with their lengths. Errors:
 *   a blob or cell of the wrong size, commitment/proof not 48 bytes
 *                                             -> ZG_EBADLEN
 *   a field element >= r (blob or cell)        -> ZG_EFIELD
 *   commitment / proof not a valid G1 point    -> the deserializer's code
 *       (ZG_EFLAGS, ZG_EFIELD, ZG_ENOTONCURVE, ZG_ESUBGROUP); infinity is valid
 *   cell index >= 128                          -> ZG_ERANGE
 *   the same cell index twice (recovery)       -> ZG_EDUPLICATE
 *   cell indices not in ascending order (recovery, as the spec asserts
 *       cell_indices == sorted(cell_indices))  -> ZG_ENONCANON
 *   fewer than 64 cells to recover from        -> ZG_ETOOFEW
 *   arrays of different lengths, NULL pointers -> ZG_EINVAL
 * A proof that does not verify is not an error: *ok = false. Outputs are
 * written on every path (zeros on failure) and must not overlap the inputs. Public data only: everything is
 * variable time.
 */
#ifndef ZG_KZG_CELLS_H
#define ZG_KZG_CELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"
#include "zg/kzg.h"

#define ZG_KZG_FIELD_ELEMENTS_PER_CELL 64
#define ZG_KZG_CELLS_PER_EXT_BLOB 128
#define ZG_KZG_BYTES_PER_CELL (32 * 64)
/* Bytes of all 128 cells of a blob, and of their 128 proofs. */
#define ZG_KZG_BYTES_PER_EXT_BLOB (ZG_KZG_BYTES_PER_CELL * ZG_KZG_CELLS_PER_EXT_BLOB)
#define ZG_KZG_BYTES_PER_CELL_PROOFS (48 * ZG_KZG_CELLS_PER_EXT_BLOB)

typedef struct zg_kzg_cells zg_kzg_cells_t;

/* Options of a cells context; a zeroed struct (or NULL) means defaults. */
typedef struct {
  /* Threads one call may use (FK20, recovery): 0 or 1 = the calling thread
   * only (the default), n >= 2 = the caller plus n - 1 pthreads. This is
   * also the most that zg_kzg_cells_set_threads can set later (the scratch
   * size depends on it). */
  unsigned threads;
} zg_kzg_cells_opts_t;

/* Builds a cells context over loaded settings. s is borrowed and must
 * outlive the context.
 * ZG_EINVAL for NULL arguments, ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_kzg_cells_create(zg_kzg_cells_t **out, const zg_kzg_settings_t *s,
                                            const zg_kzg_cells_opts_t *opts);
/* Frees a context; NULL is a no-op. */
void zg_kzg_cells_destroy(zg_kzg_cells_t *ctx);
/* Changes the thread count (same meaning as opts.threads), clamped to the
 * count given at creation. Not to be called while another thread uses the
 * context. */
void zg_kzg_cells_set_threads(zg_kzg_cells_t *ctx, unsigned threads);

/* Scratch bytes any function below needs, for batches of up to max_cells
 * cells (at least 128 is assumed). */
size_t zg_kzg_cells_scratch_size(const zg_kzg_cells_t *ctx, size_t max_cells);

/* The 128 cells of a blob without proofs (compute_cells): one inverse FFT of
 * 4096 and one coset FFT of 4096. cells: ZG_KZG_BYTES_PER_EXT_BLOB bytes. */
ZG_WARN_UNUSED zg_err_t zg_kzg_compute_cells(const zg_kzg_cells_t *ctx, uint8_t *cells, const uint8_t *blob,
                                             size_t blob_len, void *scratch);

/* Cells and their proofs (compute_cells_and_kzg_proofs), proofs by FK20.
 * cells may be NULL when only the proofs are wanted.
 *   cells:  ZG_KZG_BYTES_PER_EXT_BLOB bytes (cell i at i * 2048), or NULL
 *   proofs: ZG_KZG_BYTES_PER_CELL_PROOFS bytes (proof i at i * 48) */
ZG_WARN_UNUSED zg_err_t zg_kzg_compute_cells_and_proofs(const zg_kzg_cells_t *ctx, uint8_t *cells, uint8_t *proofs,
                                                        const uint8_t *blob, size_t blob_len, void *scratch);

/* The same, plus the blob's KZG commitment (equal to blob_to_kzg_commitment)
 * at no extra MSM: the FK20 tables carry one more Toeplitz diagonal, so the
 * commitment falls out of the same G1 FFT. Any output may be NULL (not all).
 *   commitment: 48 bytes, or NULL */
ZG_WARN_UNUSED zg_err_t zg_kzg_compute_cells_proofs_commitment(const zg_kzg_cells_t *ctx, uint8_t *cells,
                                                               uint8_t *proofs, uint8_t *commitment,
                                                               const uint8_t *blob, size_t blob_len,
                                                               void *scratch);

/* *ok = whether every (commitments[k], cell_indices[k], cells[k], proofs[k])
 * holds (verify_cell_kzg_proof_batch): one pairing check over a random
 * linear combination; equal commitments are merged. All four arrays must
 * have the same length (n_* arguments), n = 0 verifies. */
ZG_WARN_UNUSED zg_err_t zg_kzg_verify_cell_proof_batch(const zg_kzg_cells_t *ctx, bool *ok,
                                                       const zg_slice_t *commitments, size_t n_commitments,
                                                       const uint64_t *cell_indices, size_t n_indices,
                                                       const zg_slice_t *cells, size_t n_cells,
                                                       const zg_slice_t *proofs, size_t n_proofs, void *scratch);

/* The spec's internal Fiat–Shamir challenge of the batch verifier, as 32
 * big-endian bytes (compute_verify_cell_kzg_proof_batch_challenge; exposed
 * for the test vectors). commitments are the deduplicated ones (48 bytes
 * each, hashed as given); commitment_indices index them; every coset_evals
 * entry is one cell (64 elements of 32 bytes, each < r). */
ZG_WARN_UNUSED zg_err_t zg_kzg_compute_cell_batch_challenge(uint8_t challenge[32], const zg_slice_t *commitments,
                                                            size_t n_commitments, const uint64_t *commitment_indices,
                                                            const uint64_t *cell_indices,
                                                            const zg_slice_t *coset_evals, const zg_slice_t *proofs,
                                                            size_t n);

/* All 128 cells and proofs from any >= 64 of them
 * (recover_cells_and_kzg_proofs). cell_indices must be strictly ascending.
 *   cells_out:  ZG_KZG_BYTES_PER_EXT_BLOB bytes, or NULL
 *   proofs_out: ZG_KZG_BYTES_PER_CELL_PROOFS bytes, or NULL (then no FK20 runs:
 *               recovery of the cells only) */
ZG_WARN_UNUSED zg_err_t zg_kzg_recover_cells_and_proofs(const zg_kzg_cells_t *ctx, uint8_t *cells_out,
                                                        uint8_t *proofs_out, const uint64_t *cell_indices,
                                                        size_t n_indices, const zg_slice_t *cells, size_t n_cells,
                                                        void *scratch);

/* Recovery of the cells only: the same as above with proofs_out = NULL. */
ZG_WARN_UNUSED zg_err_t zg_kzg_recover_cells(const zg_kzg_cells_t *ctx, uint8_t *cells_out,
                                             const uint64_t *cell_indices, size_t n_indices, const zg_slice_t *cells,
                                             size_t n_cells, void *scratch);

#endif

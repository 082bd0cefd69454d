/*
 * zg/da_encoder.h — DA blob encoding (blob -> rows -> RS-extended cells +
 * KZG cell proofs), column extraction, verification of a signer's columns,
 * and decoding from any sufficient set of columns. Layout and digests:
 * zg/da_blob.h; the cells: zg/kzg_cells.h (EIP-7594).
 *
 * A context (zg_da_ctx_t) holds the KZG settings and the cells tables
 * (about 14 MiB, 1-3 s to build): build it once per process, ideally with
 * zg_da_ctx_shared(), and share it between threads (read-only). The thread
 * count of a context is how many threads ONE call may use; calls on the
 * same context may run concurrently.
 *
 * Encoded blob memory (zg_da_encoded_t, library-allocated): cells are row
 * major, cell (r, c) at ((r * 128) + c) * 2048; proofs at
 * ((r * 128) + c) * 48; commitments at r * 48. A column is carried as
 * zg_da_column_t: cell r of the column at r * 2048, its proof at r * 48.
 *
 * Errors: ZG_EINVAL (NULL, bad arguments), ZG_ETOOBIG (payload above the
 * context's max blob), ZG_ENOMEM, ZG_ERANGE (column index >= 128),
 * ZG_EDUPLICATE (a column twice), ZG_EBADLEN (column of the wrong length),
 * ZG_EFIELD / point codes (non-canonical cell element, invalid commitment
 * or proof), ZG_ETOOFEW (fewer than 64 columns), ZG_ECORRUPT / ZG_EPADDING
 * (decoded rows are not a well-formed stream), ZG_ESETUP / ZG_EIO (setup
 * file). A cell proof that does not verify is a verdict (*ok = false).
 */
#ifndef ZG_DA_ENCODER_H
#define ZG_DA_ENCODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/da_blob.h"
#include "zg/err.h"
#include "zg/kzg.h"

typedef struct zg_da_ctx zg_da_ctx_t;

typedef struct {
  unsigned threads;  /* threads one call may use: 0/1 = the caller only */
  uint64_t max_blob; /* 0 = ZG_DA_MAX_BLOB_DEFAULT */
} zg_da_opts_t;

/* Builds a context over loaded settings (borrowed; must outlive the
 * context). */
ZG_WARN_UNUSED zg_err_t zg_da_ctx_create(zg_da_ctx_t **out, const zg_kzg_settings_t *s, const zg_da_opts_t *opts);
/* Frees a context built by zg_da_ctx_create; NULL is a no-op. */
void zg_da_ctx_destroy(zg_da_ctx_t *ctx);
/* The process-wide context: the first call loads setup_path (NULL =
 * $ZG_KZG_SETUP, else the vectors' trusted_setup.txt) and builds the
 * tables with opts; later calls return the same context whatever their
 * arguments. Thread-safe. Never destroy it. msg (may be NULL) gets a
 * reason on a setup error. */
ZG_WARN_UNUSED zg_err_t zg_da_ctx_shared(const zg_da_ctx_t **out, const char *setup_path, const zg_da_opts_t *opts,
                                         char *msg, size_t msg_cap);
/* The context's max blob size and thread count. */
uint64_t zg_da_ctx_max_blob(const zg_da_ctx_t *ctx);
unsigned zg_da_ctx_threads(const zg_da_ctx_t *ctx);

/* An encoded blob. All arrays are owned (zg_da_encoded_free). */
typedef struct {
  uint64_t payload_len;
  uint32_t rows;
  uint8_t *commitments; /* rows x 48 */
  uint8_t *cells;       /* rows x 128 x 2048 */
  uint8_t *proofs;      /* rows x 128 x 48 */
} zg_da_encoded_t;

/* Encodes a payload: commitments, cells and proofs of every row, rows in
 * parallel on the context's threads. data/len borrowed. *out is zeroed on
 * failure. */
ZG_WARN_UNUSED zg_err_t zg_da_encode(const zg_da_ctx_t *ctx, zg_da_encoded_t *out, const uint8_t *data, uint64_t len);
/* Frees the arrays of an encoded blob and zeroes it. */
void zg_da_encoded_free(zg_da_encoded_t *e);
/* The header of an encoded blob (commitments borrowed from e). */
zg_da_header_t zg_da_encoded_header(const zg_da_encoded_t *e);

/* One column of a blob: rows cells and rows proofs (borrowed). The lengths
 * are checked against the header (ZG_EBADLEN), so a column from a peer can
 * be passed as received. */
typedef struct {
  uint32_t index;        /* 0..127 */
  const uint8_t *cells;  /* rows x 2048 */
  size_t cells_len;
  const uint8_t *proofs; /* rows x 48; ignored (may be NULL) when decoding */
  size_t proofs_len;
} zg_da_column_t;

/* Copies column col of e into cells (rows x 2048) and proofs (rows x 48,
 * may be NULL). */
ZG_WARN_UNUSED zg_err_t zg_da_extract_column(const zg_da_encoded_t *e, uint32_t col, uint8_t *cells, uint8_t *proofs);

/* *ok = whether every cell of the n columns verifies against the header's
 * row commitments: cell proofs checked by random linear combination, one
 * multi-pairing per thread (n x rows cells). The header is checked first.
 * Columns must be distinct. */
ZG_WARN_UNUSED zg_err_t zg_da_verify_columns(const zg_da_ctx_t *ctx, bool *ok, const zg_da_header_t *h,
                                             const zg_da_column_t *cols, size_t n);

/* Receives the next len payload bytes in order (valid during the call). */
typedef zg_err_t (*zg_da_bytes_fn)(void *user, const uint8_t *data, size_t len);

/* Decodes the payload from n >= 64 distinct columns (proofs ignored: verify
 * first) of a blob with header h, emitting it in order. When columns 0..63
 * are all present the rows are read off them (no field arithmetic beyond a
 * canonical check); otherwise every row is recovered, rows in parallel. */
ZG_WARN_UNUSED zg_err_t zg_da_decode(const zg_da_ctx_t *ctx, const zg_da_header_t *h, const zg_da_column_t *cols,
                                     size_t n, zg_da_bytes_fn emit, void *user);
/* The same into a buffer: out has room for h->payload_len bytes. */
ZG_WARN_UNUSED zg_err_t zg_da_decode_to(const zg_da_ctx_t *ctx, uint8_t *out, const zg_da_header_t *h,
                                        const zg_da_column_t *cols, size_t n);

#endif

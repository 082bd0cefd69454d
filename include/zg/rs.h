/*
 * zg/rs.h — Reed–Solomon coding of DA blobs over the BLS12-381 scalar field
 * (docs/da-blob-layout.md has the exact layout).
 *
 * A payload of L bytes becomes the byte stream header(8) || payload || zero
 * padding, the header being L as a big-endian u64. The stream is cut into
 * rows of 4096 field elements; each element carries 31 stream bytes as
 * 0x00 || 31 bytes (big-endian, so always < r). A row is read as an EIP-4844
 * blob: the evaluations, in bit-reversed order, of a polynomial p of degree
 * < 4096 on the 4096th roots of unity. The row is extended to rate 1/R
 * (R = rate_inv: 2 by default, 3 or 4) by evaluating p on R * 4096 points
 * of the domain of N = 8192 (R = 2) or 16384 (R = 3, 4) roots of unity in
 * bit-reversed order, cut into 64 * R cells of 64 elements (2048 bytes):
 * for R = 2 this is exactly the EIP-7594 cell layout (zg/kzg_cells.h), and
 * for R = 3, 4 its first 128 cells are the same cells again. Cells 0..63
 * are the row itself (systematic code). Column j of a blob is cell j of
 * every row, row after row: the unit of dispersal. Any 64 distinct columns
 * (1/R of them) decode every row.
 *
 * Streaming: an encoder is fed the payload in pieces of any size and emits
 * each extended row through a callback as soon as it is complete (holding
 * at most one batch of rows); a decoder is fed columns in any order and,
 * once it has enough, emits the payload through a callback row by row.
 * With threads >= 2 rows are extended/decoded in parallel batches; the
 * output is identical for every thread count.
 *
 * Errors: ZG_EINVAL (bad options, NULL), ZG_ERANGE (column index >= 64 R),
 * ZG_EDUPLICATE (column given twice), ZG_EBADLEN (column of the wrong
 * length), ZG_EFIELD (column element >= r), ZG_ETOOFEW (fewer than 64
 * columns), ZG_EOVERFLOW (more payload than announced), ZG_ESTATE (finish
 * before the whole payload was written, use after finish), ZG_ECORRUPT /
 * ZG_EPADDING (decoded rows do not hold a well-formed stream: bad header,
 * element >= 2^248, non-zero padding), ZG_ENOMEM, and whatever a callback
 * returns (which stops the work).
 */
#ifndef ZG_RS_H
#define ZG_RS_H

#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

#define ZG_RS_ROW_ELEMS 4096                          /* field elements per row */
#define ZG_RS_ELEM_PAYLOAD 31                         /* stream bytes per element */
#define ZG_RS_ROW_BYTES (ZG_RS_ROW_ELEMS * ZG_RS_ELEM_PAYLOAD) /* 126976 stream bytes per row */
#define ZG_RS_HEADER_LEN 8                            /* big-endian u64 payload length */
#define ZG_RS_CELL_ELEMS 64
#define ZG_RS_CELL_BYTES 2048                         /* one cell: 64 elements of 32 bytes */
#define ZG_RS_MIN_COLUMNS 64                          /* columns needed to decode */
#define ZG_RS_MAX_PAYLOAD ((uint64_t)1 << 40)         /* largest payload accepted (1 TiB) */

/* Options; a zeroed struct (or NULL) means rate 1/2, single-threaded. */
typedef struct {
  unsigned rate_inv; /* R: 0 or 2 = rate 1/2, 3 = rate 1/3, 4 = rate 1/4 */
  unsigned threads;  /* 0 or 1 = the calling thread only; n = n threads */
} zg_rs_opts_t;

/* Rows of the stream for an L-byte payload: max(1, ceil((8 + L) / 126976)). */
uint64_t zg_rs_rows_for_len(uint64_t payload_len);
/* Columns (cells per extended row) at rate 1/R: 64 R; 0 for an invalid R. */
size_t zg_rs_columns(unsigned rate_inv);

/* Receives extended row `row` (columns(R) cells of 2048 bytes, cell j at
 * j * 2048); the bytes are valid during the call only. */
typedef zg_err_t (*zg_rs_row_fn)(void *user, uint64_t row, const uint8_t *ext_row, size_t len);
/* Receives the next len payload bytes (in order); valid during the call. */
typedef zg_err_t (*zg_rs_bytes_fn)(void *user, const uint8_t *data, size_t len);

typedef struct zg_rs_encoder zg_rs_encoder_t;
typedef struct zg_rs_decoder zg_rs_decoder_t;

/* An encoder for a payload of exactly payload_len bytes (<= ZG_RS_MAX_PAYLOAD,
 * else ZG_EOVERFLOW). emit/user are borrowed until _destroy. */
ZG_WARN_UNUSED zg_err_t zg_rs_encoder_create(zg_rs_encoder_t **out, const zg_rs_opts_t *opts, uint64_t payload_len,
                                             zg_rs_row_fn emit, void *user);
/* Feeds the next len payload bytes; emits every row this completes. */
ZG_WARN_UNUSED zg_err_t zg_rs_encoder_write(zg_rs_encoder_t *enc, const uint8_t *data, size_t len);
/* Pads and emits the remaining rows; ZG_ESTATE when fewer than payload_len
 * bytes were written. */
ZG_WARN_UNUSED zg_err_t zg_rs_encoder_finish(zg_rs_encoder_t *enc);
void zg_rs_encoder_destroy(zg_rs_encoder_t *enc);

/* A decoder for a blob of nrows rows (1 <= nrows <= rows_for_len(MAX)). */
ZG_WARN_UNUSED zg_err_t zg_rs_decoder_create(zg_rs_decoder_t **out, const zg_rs_opts_t *opts, uint64_t nrows);
/* Adds column col: nrows cells of 2048 bytes (len = nrows * 2048). The
 * bytes are copied (as field elements) and may be freed after the call. */
ZG_WARN_UNUSED zg_err_t zg_rs_decoder_add_column(zg_rs_decoder_t *dec, size_t col, const uint8_t *data, size_t len);
/* Number of distinct columns added so far. */
size_t zg_rs_decoder_columns(const zg_rs_decoder_t *dec);
/* Decodes every row and emits the payload in order (ZG_ETOOFEW below 64
 * columns, before emitting anything). May be called again (same output). */
ZG_WARN_UNUSED zg_err_t zg_rs_decoder_finish(zg_rs_decoder_t *dec, zg_rs_bytes_fn emit, void *user);
void zg_rs_decoder_destroy(zg_rs_decoder_t *dec);

#endif

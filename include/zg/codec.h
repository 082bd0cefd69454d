/*
 * zg/codec.h — the canonical binary codec of every zg wire and disk record
 * (P2P messages, consensus votes and blocks, the write-ahead log, store
 * records), and the CRC32C-checked frame used for records on disk.
 *
 * Format (docs/codec.md is the normative description):
 *   u8/u16/u32/u64/i64  fixed width, big-endian (i64 two's complement)
 *   bool                one byte, 0x00 or 0x01
 *   fixed bytes         exactly n bytes, no prefix (n known from the schema)
 *   var bytes           u32 length, then that many bytes
 *   list                u32 count, then count elements
 *   option              one byte tag 0x00 (absent) or 0x01 (present, value follows)
 * Every value has exactly one encoding: the reader rejects anything else, so
 * decode(x) succeeding implies encode(decode(x)) == x.
 *
 * Both the writer and the reader have sticky errors: after the first failure
 * every further call fails with the same code and does nothing (the reader
 * zeroes its outputs), so an encoder or decoder may process a whole record and
 * check once, at zg_codec_writer_finish / zg_codec_reader_finish. For that
 * reason the put/get functions are not marked warn-unused; the _finish
 * functions are. The per-call return value is the sticky error, for callers
 * that want to stop early.
 *
 * Ownership: the writer borrows its zg_buf_t for its lifetime and appends to
 * it; the reader borrows its input, and every byte view it returns points into
 * that input (valid as long as the input is).
 */
#ifndef ZG_CODEC_H
#define ZG_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"

/* ---- writer ---- */

typedef struct {
  zg_buf_t *buf;   /* borrowed: appended to */
  size_t start;    /* buf->len when the writer was initialised */
  zg_err_t err;    /* first error, sticky */
} zg_codec_writer_t;

/* Starts appending to buf (borrowed until the writer is finished). */
void zg_codec_writer_init(zg_codec_writer_t *w, zg_buf_t *buf);
/* Returns the first error of the writer (ZG_OK if none). On error the buffer
 * is cut back to its length at init, so no partial record is left behind. */
ZG_WARN_UNUSED zg_err_t zg_codec_writer_finish(zg_codec_writer_t *w);

zg_err_t zg_codec_put_u8(zg_codec_writer_t *w, uint8_t v);
zg_err_t zg_codec_put_u16(zg_codec_writer_t *w, uint16_t v);
zg_err_t zg_codec_put_u32(zg_codec_writer_t *w, uint32_t v);
zg_err_t zg_codec_put_u64(zg_codec_writer_t *w, uint64_t v);
zg_err_t zg_codec_put_i64(zg_codec_writer_t *w, int64_t v);
zg_err_t zg_codec_put_bool(zg_codec_writer_t *w, bool v);
/* n bytes with no prefix (hashes, keys, signatures). */
zg_err_t zg_codec_put_fixed(zg_codec_writer_t *w, const void *p, size_t n);
/* A u32 length and n bytes; ZG_EOVERFLOW when n > UINT32_MAX. */
zg_err_t zg_codec_put_bytes(zg_codec_writer_t *w, const void *p, size_t n);
/* A list header: the u32 count; the caller then writes count elements.
 * ZG_EOVERFLOW when count > UINT32_MAX. */
zg_err_t zg_codec_put_count(zg_codec_writer_t *w, size_t count);
/* An option tag; when present is true the caller then writes the value. */
zg_err_t zg_codec_put_option(zg_codec_writer_t *w, bool present);

/* Nested var bytes whose length is not known in advance: _begin writes a
 * placeholder length and stores its position in *mark; the caller writes the
 * contents; _end patches the length (ZG_EOVERFLOW above UINT32_MAX). */
zg_err_t zg_codec_put_nested_begin(zg_codec_writer_t *w, size_t *mark);
zg_err_t zg_codec_put_nested_end(zg_codec_writer_t *w, size_t mark);

/* ---- reader ---- */

typedef struct {
  const uint8_t *p; /* borrowed input */
  size_t len;       /* input length */
  size_t pos;       /* bytes consumed */
  zg_err_t err;     /* first error, sticky */
} zg_codec_reader_t;

/* Starts reading len bytes at p (borrowed; views returned point into it). */
void zg_codec_reader_init(zg_codec_reader_t *r, const uint8_t *p, size_t len);
/* Ends a record: returns the sticky error if any, else ZG_ETRAILING when
 * input remains (which then becomes the sticky error), else ZG_OK. */
ZG_WARN_UNUSED zg_err_t zg_codec_reader_finish(zg_codec_reader_t *r);
/* Bytes not yet consumed (0 once the reader has failed). */
size_t zg_codec_reader_remaining(const zg_codec_reader_t *r);
/* The sticky error so far, without the trailing-bytes check. */
static inline zg_err_t zg_codec_reader_err(const zg_codec_reader_t *r) { return r->err; }
/* Makes err the reader's sticky error (if it has none yet), for decoders that
 * find a semantic fault (an unknown enum value, say) mid-record. Returns the
 * sticky error. */
zg_err_t zg_codec_reader_fail(zg_codec_reader_t *r, zg_err_t err);

/* Fixed-width integers and bool. ZG_ETRUNC when the input ends early;
 * ZG_ENONCANON for a bool byte other than 0 or 1. *out is 0/false on error. */
zg_err_t zg_codec_get_u8(zg_codec_reader_t *r, uint8_t *out);
zg_err_t zg_codec_get_u16(zg_codec_reader_t *r, uint16_t *out);
zg_err_t zg_codec_get_u32(zg_codec_reader_t *r, uint32_t *out);
zg_err_t zg_codec_get_u64(zg_codec_reader_t *r, uint64_t *out);
zg_err_t zg_codec_get_i64(zg_codec_reader_t *r, int64_t *out);
zg_err_t zg_codec_get_bool(zg_codec_reader_t *r, bool *out);
/* n bytes with no prefix, copied to out (zeroed on error). ZG_ETRUNC. */
zg_err_t zg_codec_get_fixed(zg_codec_reader_t *r, void *out, size_t n);
/* n bytes with no prefix, as a view into the input ({NULL, 0} on error). */
zg_err_t zg_codec_get_fixed_view(zg_codec_reader_t *r, zg_slice_t *out, size_t n);
/* Var bytes as a view into the input ({NULL, 0} on error). ZG_ETRUNC when the
 * length prefix is cut; ZG_EOVERFLOW when the length exceeds limit or the
 * bytes remaining. */
zg_err_t zg_codec_get_bytes(zg_codec_reader_t *r, zg_slice_t *out, size_t limit);
/* A list header. ZG_ETRUNC when the count is cut; ZG_EOVERFLOW when the count
 * exceeds limit, or count * min_elem exceeds the bytes remaining (min_elem is
 * the smallest encoding of one element: 8 for a u64, 4 for var bytes...; 0
 * checks the limit only). So a hostile count never leads the caller into a
 * large allocation. *count is 0 on error. */
zg_err_t zg_codec_get_count(zg_codec_reader_t *r, size_t *count, size_t limit, size_t min_elem);
/* An option tag: *present tells whether a value follows. ZG_ENONCANON for a
 * tag other than 0 or 1; ZG_ETRUNC. */
zg_err_t zg_codec_get_option(zg_codec_reader_t *r, bool *present);
/* Var bytes read as a nested record: *sub is a new reader over them (already
 * failed with r's error when r fails). Same errors as zg_codec_get_bytes. */
zg_err_t zg_codec_get_nested(zg_codec_reader_t *r, zg_codec_reader_t *sub, size_t limit);

/* ---- CRC32C and record frames (disk) ---- */

/* CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, init and final xor
 * 0xFFFFFFFF). crc is the value returned for the preceding bytes (0 to
 * start), so a long input can be fed in pieces. crc32c("123456789") is
 * 0xE3069283. */
uint32_t zg_crc32c(uint32_t crc, const void *p, size_t n);
/* Internal: the same function on the portable table path only (the public
 * one may use the CPU's crc32 instruction), for tests and benchmarks. */
uint32_t zg__crc32c_portable(uint32_t crc, const void *p, size_t n);

/* A frame: u32 payload length L, L payload bytes, u32 CRC32C over the length
 * field and the payload (all big-endian). */
#define ZG_CODEC_FRAME_OVERHEAD 8u
/* Largest payload a frame may carry. */
#define ZG_CODEC_FRAME_MAX ((size_t)UINT32_MAX - ZG_CODEC_FRAME_OVERHEAD)

/* Appends one frame holding n payload bytes to out. ZG_EOVERFLOW when n >
 * ZG_CODEC_FRAME_MAX; ZG_ENOMEM. out is unchanged on error. */
ZG_WARN_UNUSED zg_err_t zg_codec_frame_append(zg_buf_t *out, const void *payload, size_t n);
/* Parses the frame at the start of in[0..len): *payload is a view into in and
 * *consumed the frame's total size, so a caller can walk a file of frames.
 * ZG_ETRUNC when in ends inside the frame (a torn write at the end of a log);
 * ZG_ECORRUPT when the length exceeds max_payload or the CRC does not match.
 * On error *payload is {NULL, 0} and *consumed 0. */
ZG_WARN_UNUSED zg_err_t zg_codec_frame_parse(zg_slice_t *payload, size_t *consumed, const uint8_t *in, size_t len,
                                             size_t max_payload);

#endif

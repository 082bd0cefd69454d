/*
 * zg/rlp.h — Recursive Length Prefix (Ethereum yellow paper, appendix B).
 *
 * RLP is the wire form of Ethereum transactions, receipts and logs. An item
 * is either a byte string or a list of items:
 *
 *   string, 1 byte < 0x80        the byte itself
 *   string, 0..55 bytes          0x80+len, bytes
 *   string, >= 56 bytes          0xb7+len(len), len (big-endian, minimal), bytes
 *   list, payload 0..55 bytes    0xc0+len, payload
 *   list, payload >= 56 bytes    0xf7+len(len), len, payload
 *
 * Writer. zg_rlp_writer_t appends items to a caller-owned zg_buf_t. A list is
 * opened with zg_rlp_list_begin, filled with items, and closed with
 * zg_rlp_list_end. The writer reserves one header byte when the list opens;
 * when it closes and the payload turned out to be 56 bytes or longer, the
 * payload is moved right by the size of the length field (one memmove per
 * long list) and the long header is written in place. This keeps encoding
 * single-pass with no size pre-computation; the cost is O(payload) per long
 * list, which is negligible for transactions and receipts. Integers are
 * written minimal big-endian (no leading zero bytes; zero is the empty
 * string 0x80).
 *
 * Reader. Decoding is zero-copy: zg_rlp_item_t borrows the caller's input
 * and stays valid as long as that input does. zg_rlp_decode checks the whole
 * tree (every nested header, up to ZG_RLP_MAX_DEPTH levels) before it
 * returns, and rejects every non-canonical form:
 *   ZG_ETRUNC     a length runs past the end of its input or its enclosing list,
 *                 or a list has fewer elements than the reader asks for;
 *   ZG_ETRAILING  bytes after the top item, or elements left in a list the
 *                 reader declared finished (zg_rlp_iter_finish);
 *   ZG_ENONCANON  a single byte < 0x80 wrapped as 0x81 xx, a length < 56 in
 *                 the long form, a long-form length with leading zero bytes,
 *                 an integer with leading zero bytes;
 *   ZG_EOVERFLOW  a length that does not fit size_t, an integer wider than
 *                 its destination, lists nested deeper than ZG_RLP_MAX_DEPTH;
 *   ZG_ETYPE      a list where a string is expected or the reverse;
 *   ZG_EBADLEN    a fixed-size field (an address, a hash) of the wrong length.
 * Reading a list is iteration: zg_rlp_iter_init, then zg_rlp_next* for each
 * element (each helper reads and checks one element and advances only on
 * success), then zg_rlp_iter_finish to insist that nothing is left.
 */
#ifndef ZG_RLP_H
#define ZG_RLP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"

/* Deepest list nesting the reader accepts and the writer can hold open. */
#define ZG_RLP_MAX_DEPTH 64

/* ---- writer ---- */

typedef struct {
  zg_buf_t *out;                   /* borrowed: items are appended to it */
  size_t open[ZG_RLP_MAX_DEPTH];   /* payload start offset of each open list */
  unsigned depth;                  /* number of open lists */
} zg_rlp_writer_t;

/* Starts a writer that appends to out (which keeps its current content).
 * out is borrowed for the writer's lifetime. After any error the writer and
 * the bytes it appended are unspecified: clear or truncate out. */
void zg_rlp_writer_init(zg_rlp_writer_t *w, zg_buf_t *out);
/* Checks that every list was closed. ZG_ESTATE otherwise. */
ZG_WARN_UNUSED zg_err_t zg_rlp_writer_finish(const zg_rlp_writer_t *w);

/* Appends the byte string p[0..n) (p may be NULL when n is 0). */
ZG_WARN_UNUSED zg_err_t zg_rlp_put_bytes(zg_rlp_writer_t *w, const void *p, size_t n);
/* Appends a NUL-terminated string's bytes (without the NUL). */
ZG_WARN_UNUSED zg_err_t zg_rlp_put_str(zg_rlp_writer_t *w, const char *s);
/* Appends an unsigned integer, minimal big-endian (0 is the empty string). */
ZG_WARN_UNUSED zg_err_t zg_rlp_put_u64(zg_rlp_writer_t *w, uint64_t v);
/* Appends the unsigned big-endian integer be[0..n), dropping leading zeros. */
ZG_WARN_UNUSED zg_err_t zg_rlp_put_uint(zg_rlp_writer_t *w, const uint8_t *be, size_t n);
/* Appends a 256-bit unsigned big-endian integer (minimal form). */
ZG_WARN_UNUSED zg_err_t zg_rlp_put_u256(zg_rlp_writer_t *w, const uint8_t be[32]);
/* Appends already-encoded RLP verbatim (one or more whole items; the caller
 * vouches for it, e.g. the raw form of an item it decoded). */
ZG_WARN_UNUSED zg_err_t zg_rlp_put_raw(zg_rlp_writer_t *w, const void *p, size_t n);
/* Opens a list; ZG_EOVERFLOW beyond ZG_RLP_MAX_DEPTH open lists. */
ZG_WARN_UNUSED zg_err_t zg_rlp_list_begin(zg_rlp_writer_t *w);
/* Closes the innermost open list; ZG_ESTATE when none is open. */
ZG_WARN_UNUSED zg_err_t zg_rlp_list_end(zg_rlp_writer_t *w);

/* ---- reader ---- */

typedef enum { ZG_RLP_STRING = 0, ZG_RLP_LIST = 1 } zg_rlp_kind_t;

/* One decoded item. Both slices borrow the decoded input. */
typedef struct {
  zg_rlp_kind_t kind;
  zg_slice_t payload; /* string bytes, or the list's concatenated elements */
  zg_slice_t raw;     /* the whole encoding, header included */
} zg_rlp_item_t;

/* Position inside a list payload; borrows the decoded input. */
typedef struct {
  const uint8_t *p;
  size_t left;
} zg_rlp_iter_t;

/* Decodes in[0..len) as exactly one item and checks its whole tree.
 * ZG_ETRAILING when bytes follow the item; see the file comment for the rest.
 * *out is zeroed on failure. */
ZG_WARN_UNUSED zg_err_t zg_rlp_decode(zg_rlp_item_t *out, const uint8_t *in, size_t len);
/* Decodes and checks the first item of in[0..len) and sets *used to its
 * encoded size; whatever follows is left to the caller (streams of items). */
ZG_WARN_UNUSED zg_err_t zg_rlp_decode_prefix(zg_rlp_item_t *out, size_t *used, const uint8_t *in, size_t len);

/* Item accessors: the whole payload must be the value. ZG_ETYPE on a list. */
ZG_WARN_UNUSED zg_err_t zg_rlp_item_bytes(zg_slice_t *out, const zg_rlp_item_t *it);
/* Exactly len bytes (ZG_EBADLEN otherwise). */
ZG_WARN_UNUSED zg_err_t zg_rlp_item_fixed(uint8_t *out, size_t len, const zg_rlp_item_t *it);
/* A canonical integer (no leading zero) that fits 64 bits. */
ZG_WARN_UNUSED zg_err_t zg_rlp_item_u64(uint64_t *out, const zg_rlp_item_t *it);
/* A canonical integer of at most outlen bytes, written big-endian and
 * left-padded with zeros into out[0..outlen). */
ZG_WARN_UNUSED zg_err_t zg_rlp_item_uint(uint8_t *out, size_t outlen, const zg_rlp_item_t *it);
/* Counts the elements of a list item (ZG_ETYPE for a string). */
ZG_WARN_UNUSED zg_err_t zg_rlp_list_count(size_t *out, const zg_rlp_item_t *list);

/* Starts iterating the elements of a list item (ZG_ETYPE for a string). */
ZG_WARN_UNUSED zg_err_t zg_rlp_iter_init(zg_rlp_iter_t *it, const zg_rlp_item_t *list);
/* True when no element is left. */
static inline bool zg_rlp_iter_done(const zg_rlp_iter_t *it) { return it->left == 0; }
/* ZG_ETRAILING when elements are left: call after reading the last field. */
ZG_WARN_UNUSED zg_err_t zg_rlp_iter_finish(const zg_rlp_iter_t *it);

/* Each next_* reads one element, checks it, and advances only on success.
 * ZG_ETRUNC when the list has no element left. */
ZG_WARN_UNUSED zg_err_t zg_rlp_next(zg_rlp_iter_t *it, zg_rlp_item_t *out);
ZG_WARN_UNUSED zg_err_t zg_rlp_next_list(zg_rlp_iter_t *it, zg_rlp_iter_t *sub);
ZG_WARN_UNUSED zg_err_t zg_rlp_next_bytes(zg_rlp_iter_t *it, zg_slice_t *out);
ZG_WARN_UNUSED zg_err_t zg_rlp_next_fixed(zg_rlp_iter_t *it, uint8_t *out, size_t len);
ZG_WARN_UNUSED zg_err_t zg_rlp_next_u64(zg_rlp_iter_t *it, uint64_t *out);
ZG_WARN_UNUSED zg_err_t zg_rlp_next_uint(zg_rlp_iter_t *it, uint8_t *out, size_t outlen);
static inline ZG_WARN_UNUSED zg_err_t zg_rlp_next_u256(zg_rlp_iter_t *it, uint8_t out[32]) { return zg_rlp_next_uint(it, out, 32); }

#endif

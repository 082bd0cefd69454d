/*
 * zg/abi.h — the Solidity contract ABI (ethereum/solidity docs/abi-spec.rst).
 *
 * System contracts are called with ABI calldata and emit ABI-encoded logs;
 * this module turns typed C values into those bytes and back.
 *
 * Types. A type is parsed once from its canonical string ("uint256",
 * "bytes32", "(uint256,bytes,(bytes32,uint256)[])", "string[2][]") into a
 * zg_abi_type_t tree that lives in an arena. Only canonical spellings are
 * accepted (uint256, not uint); fixed/ufixed/function are not supported, nor
 * are the zero-sized types "()" and T[0], which Solidity cannot declare and
 * which would let a tiny input announce a huge number of elements.
 *
 * Values. zg_abi_value_t is a tagged union. Every value type (uintN, intN,
 * address, bool, bytesN) is held as the 32-byte word the ABI puts on the
 * wire: integers big-endian two's complement, so uint256/int256 round-trip
 * exactly; an address right-aligned; bytesN left-aligned. bytes and string
 * point at their content; arrays and tuples at their elements. Building
 * values for encoding needs no allocation: the constructors below return
 * values by copy and borrow what they point at:
 *
 *   zg_abi_value_t nums[3] = {zg_abi_u64(1), zg_abi_u64(2), zg_abi_u64(3)};
 *   zg_abi_value_t args[3] = {zg_abi_bytes("dave", 4), zg_abi_bool(true), zg_abi_array(nums, 3)};
 *   ZG_TRY(zg_abi_encode_args(&buf, sam_args, args, 3)); // sam_args parsed from "(bytes,bool,uint256[])"
 *
 * Encoding checks the value against the type: ZG_ETYPE when the shapes
 * differ (kind, tuple arity, static array length, bytesN width), ZG_ERANGE
 * when a number does not fit (uint8 from 256, a negative int64 for a uint,
 * a bool word other than 0/1). On failure the output buffer is restored to
 * its length at the call.
 *
 * Decoding is strict: only the exact bytes the encoder would produce are
 * accepted ("strict encoding mode" of the spec), so every accepted input
 * re-encodes to itself.
 *   ZG_ETRUNC     data ends inside a head or a length word, or a length or
 *                 element count announces more bytes than are left;
 *   ZG_ETRAILING  bytes after the encoding;
 *   ZG_EOFFSET    an offset beyond the data, into the head it belongs to, or
 *                 wider than 64 bits;
 *   ZG_ENONCANON  an offset that is in range but not where the strict
 *                 encoding puts the tail (gaps, overlaps, reordering), a
 *                 bool whose last byte is neither 0 nor 1;
 *   ZG_EPADDING   non-zero high bits of uintN/address/bool, intN bits that are not
 *                 the sign extension, non-zero bits after bytesN, or after the
 *                 content of bytes/string in their last word;
 *   ZG_EOVERFLOW  a length or element count wider than 64 bits or above
 *                 ZG_ABI_MAX_ELEMS, a type nested deeper than ZG_ABI_MAX_DEPTH.
 * Every element count is checked against the data it needs before anything
 * is allocated, so a hostile length never causes a large allocation.
 * Decoded values and their bytes live in the arena passed to the call; the
 * caller frees them all at once with zg_abi_arena_clear (STYLE point 13).
 * string contents are not checked for UTF-8 (the spec does not require it).
 */
#ifndef ZG_ABI_H
#define ZG_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"

/* Deepest nesting of arrays and tuples in a type. */
#define ZG_ABI_MAX_DEPTH 32
/* Most elements in one array (static or dynamic) and fields in one tuple. */
#define ZG_ABI_MAX_ELEMS (1u << 20)
/* Longest type string or signature accepted. */
#define ZG_ABI_MAX_TYPE_STR 4096

/* ---- arena ---- */

/* A bump allocator: blocks are chained and freed together. The struct is
 * caller-owned (_init/_clear); what it hands out lives until _clear. */
typedef struct zg_abi_arena {
  struct zg__abi_block *head; /* newest block first */
  size_t total;               /* bytes held in all blocks */
} zg_abi_arena_t;

void zg_abi_arena_init(zg_abi_arena_t *a);
/* Frees every block; the arena can be used again. */
void zg_abi_arena_clear(zg_abi_arena_t *a);
/* n bytes, 16-byte aligned, zeroed. NULL when out of memory or n is absurd. */
void *zg_abi_arena_alloc(zg_abi_arena_t *a, size_t n);

/* ---- types ---- */

typedef enum {
  ZG_ABI_UINT,    /* uintN: bits in size */
  ZG_ABI_INT,     /* intN: bits in size */
  ZG_ABI_ADDRESS, /* 20 bytes, as uint160 */
  ZG_ABI_BOOL,
  ZG_ABI_FBYTES, /* bytesN: N in size */
  ZG_ABI_BYTES,
  ZG_ABI_STRING,
  ZG_ABI_ARRAY,  /* T[k]: k in count (as a value kind: any array) */
  ZG_ABI_DARRAY, /* T[]: never a value kind */
  ZG_ABI_TUPLE   /* (T1,...,Tn): n in count */
} zg_abi_kind_t;

typedef struct zg_abi_type {
  zg_abi_kind_t kind;
  unsigned size;                    /* UINT/INT: bits (8..256); FBYTES: bytes (1..32) */
  size_t count;                     /* ARRAY: k; TUPLE: number of fields */
  const struct zg_abi_type *elem;   /* ARRAY/DARRAY: element type */
  const struct zg_abi_type *fields; /* TUPLE: count fields */
  bool dynamic;                     /* per the spec's definition */
  size_t head;                      /* bytes in the enclosing head: 32 if dynamic, else the static size */
  unsigned depth;                   /* nesting levels below this type (0 for a value type) */
} zg_abi_type_t;

/* Parses the canonical type string s[0..len) into a tree allocated in a.
 * ZG_EINVAL for a malformed or non-canonical string, ZG_EUNSUPPORTED for
 * fixed/ufixed/function and zero-sized types, ZG_EOVERFLOW past the limits. */
ZG_WARN_UNUSED zg_err_t zg_abi_type_parse(const zg_abi_type_t **out, zg_abi_arena_t *a, const char *s, size_t len);
/* Same for a NUL-terminated string. */
ZG_WARN_UNUSED zg_err_t zg_abi_type_parse_str(const zg_abi_type_t **out, zg_abi_arena_t *a, const char *s);
/* A tuple type made of the fields i of tuple t whose bit i is set in mask
 * (t has at most 64 fields; the result may be the empty tuple). Allocated in
 * a; the field types are shared with t. */
ZG_WARN_UNUSED zg_err_t zg_abi_tuple_select(const zg_abi_type_t **out, zg_abi_arena_t *a, const zg_abi_type_t *t,
                                            uint64_t mask);
/* Appends the canonical string of t to out (no NUL). */
ZG_WARN_UNUSED zg_err_t zg_abi_type_format(zg_buf_t *out, const zg_abi_type_t *t);

/* ---- values ---- */

typedef struct zg_abi_value {
  zg_abi_kind_t kind; /* ARRAY for both T[k] and T[] */
  size_t len;         /* FBYTES: N; BYTES/STRING: bytes; ARRAY/TUPLE: elements */
  union {
    uint8_t word[32];                   /* UINT/INT/ADDRESS/BOOL/FBYTES */
    const uint8_t *bytes;               /* BYTES/STRING (borrowed, or in the decode arena) */
    const struct zg_abi_value *items;   /* ARRAY/TUPLE */
  } u;
} zg_abi_value_t;

/* Constructors. Integer values of either kind are accepted by every
 * integer type as long as the number fits it (checked at encoding). */
zg_abi_value_t zg_abi_u64(uint64_t v);
zg_abi_value_t zg_abi_i64(int64_t v);
/* An unsigned 256-bit big-endian number. */
zg_abi_value_t zg_abi_uint_be(const uint8_t be[32]);
/* A signed 256-bit two's complement big-endian number. */
zg_abi_value_t zg_abi_int_be(const uint8_t be[32]);
zg_abi_value_t zg_abi_bool(bool v);
zg_abi_value_t zg_abi_address(const uint8_t addr[20]);
/* bytesN from n <= 32 bytes (n is checked against the type's N). */
zg_abi_value_t zg_abi_fbytes(const void *p, size_t n);
/* bytes / string: borrow p[0..n) until the value is encoded. */
zg_abi_value_t zg_abi_bytes(const void *p, size_t n);
zg_abi_value_t zg_abi_string(const char *s);
zg_abi_value_t zg_abi_string_n(const char *s, size_t n);
/* Arrays (static or dynamic) and tuples: borrow items[0..n). */
zg_abi_value_t zg_abi_array(const zg_abi_value_t *items, size_t n);
zg_abi_value_t zg_abi_tuple(const zg_abi_value_t *items, size_t n);

/* Accessors for decoded values. ZG_ETYPE on a kind mismatch, ZG_ERANGE when
 * the number does not fit the C type. */
ZG_WARN_UNUSED zg_err_t zg_abi_get_u64(uint64_t *out, const zg_abi_value_t *v);
ZG_WARN_UNUSED zg_err_t zg_abi_get_i64(int64_t *out, const zg_abi_value_t *v);
ZG_WARN_UNUSED zg_err_t zg_abi_get_bool(bool *out, const zg_abi_value_t *v);
ZG_WARN_UNUSED zg_err_t zg_abi_get_address(uint8_t out[20], const zg_abi_value_t *v);
/* The 32-byte word of any value type (integers, address, bool, bytesN). */
ZG_WARN_UNUSED zg_err_t zg_abi_get_word(uint8_t out[32], const zg_abi_value_t *v);
/* bytes/string content, borrowed from v. */
ZG_WARN_UNUSED zg_err_t zg_abi_get_bytes(zg_slice_t *out, const zg_abi_value_t *v);
/* Deep equality of two value trees (kinds, lengths, words, contents). */
bool zg_abi_value_eq(const zg_abi_value_t *a, const zg_abi_value_t *b);

/* ---- encoding and decoding ---- */

/* Appends enc(v) for type t (the spec's enc: a tuple is its heads then tails,
 * a top-level dynamic type is not preceded by an offset). */
ZG_WARN_UNUSED zg_err_t zg_abi_encode(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *v);
/* Appends the encoding of the tuple (args[0], ..., args[n-1]) of tuple type t:
 * what follows a selector in calldata, or a function's return data. */
ZG_WARN_UNUSED zg_err_t zg_abi_encode_args(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *args,
                                           size_t n);
/* Decodes data[0..len) as exactly one enc(v) of type t (strict, see above).
 * *out and everything it points at is allocated in a. */
ZG_WARN_UNUSED zg_err_t zg_abi_decode(zg_abi_value_t *out, zg_abi_arena_t *a, const zg_abi_type_t *t,
                                      const uint8_t *data, size_t len);

/* abi.encodePacked of the tuple value v of tuple type t: value types without
 * padding (intN sign-truncated to N/8 bytes), bytes/string raw, arrays of
 * value types as their 32-byte padded elements. Nested arrays, tuples and
 * arrays of dynamic types: ZG_EUNSUPPORTED (Solidity rejects them too). */
ZG_WARN_UNUSED zg_err_t zg_abi_encode_packed(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *v);
/* The in-place encoding hashed into the topic of an indexed event argument
 * of a non-value type: bytes/string raw; arrays and tuples the concatenation
 * of their elements, each padded to 32 bytes, with no lengths or offsets. */
ZG_WARN_UNUSED zg_err_t zg_abi_encode_indexed(zg_buf_t *out, const zg_abi_type_t *t, const zg_abi_value_t *v);
/* True when an indexed argument of type t is stored as its word directly
 * (value types); false when its topic is the Keccak hash of the in-place
 * encoding. */
static inline bool zg_abi_type_is_value(const zg_abi_type_t *t) { return t->kind <= ZG_ABI_FBYTES; }

/* ---- signatures ---- */

/* Splits "name(T1,T2,...)" into its name and its argument tuple type. An
 * event's arguments may carry " indexed" after their type ("Submit(address
 * indexed,uint256)"); bit i of *indexed is set for such an argument i (up to
 * 64 arguments). indexed may be NULL, and then " indexed" is rejected.
 * *name borrows sig. ZG_EINVAL for a malformed signature. */
ZG_WARN_UNUSED zg_err_t zg_abi_sig_parse(zg_slice_t *name, const zg_abi_type_t **args, uint64_t *indexed,
                                         zg_abi_arena_t *a, const char *sig, size_t len);
/* Appends the canonical signature name(T1,...,Tn) (no " indexed", no NUL). */
ZG_WARN_UNUSED zg_err_t zg_abi_sig_format(zg_buf_t *out, zg_slice_t name, const zg_abi_type_t *args);

/* =======================================================================
 * Keccak-dependent part (src/crypto/abi_sig.c, crypto layer): function
 * selectors, event topics and log encoding. The base layer never calls these.
 * ======================================================================= */

/* A function: its argument tuple type and selector. */
typedef struct {
  zg_slice_t name;            /* borrows the signature string */
  const zg_abi_type_t *args;  /* tuple type, in the arena given to _parse */
  uint8_t selector[4];
} zg_abi_func_t;

/* An event: argument tuple type, which arguments are indexed, topic 0. */
typedef struct {
  zg_slice_t name;
  const zg_abi_type_t *args;
  uint64_t indexed; /* bit i set: argument i goes to a topic */
  const zg_abi_type_t *data_args; /* tuple of the non-indexed arguments */
  bool anonymous;   /* no topic 0 */
  uint8_t topic0[32];
} zg_abi_event_t;

#define ZG_ABI_MAX_TOPICS 4

/* The first 4 bytes of keccak256(sig); sig is used as given (canonical). */
void zg_abi_selector(uint8_t out[4], const char *sig, size_t len);
/* keccak256(sig): an event's topic 0. */
void zg_abi_event_topic(uint8_t out[32], const char *sig, size_t len);

/* Parses "name(T1,...)" (NUL-terminated), computing the selector from the
 * canonical signature. The signature string must outlive f. */
ZG_WARN_UNUSED zg_err_t zg_abi_func_parse(zg_abi_func_t *f, zg_abi_arena_t *a, const char *sig);
/* Appends selector || enc(args). */
ZG_WARN_UNUSED zg_err_t zg_abi_call_encode(zg_buf_t *out, const zg_abi_func_t *f, const zg_abi_value_t *args,
                                           size_t n);
/* The selector of calldata; ZG_ETRUNC when shorter than 4 bytes. */
ZG_WARN_UNUSED zg_err_t zg_abi_call_selector(uint8_t out[4], const uint8_t *data, size_t len);
/* Checks the selector (ZG_EINVAL on mismatch) and decodes the arguments into
 * *args (a TUPLE value) in the arena. */
ZG_WARN_UNUSED zg_err_t zg_abi_call_decode(zg_abi_value_t *args, zg_abi_arena_t *a, const zg_abi_func_t *f,
                                           const uint8_t *data, size_t len);

/* Parses "Name(T1 indexed,T2,...)" (NUL-terminated); at most 3 indexed
 * arguments (4 when anonymous). */
ZG_WARN_UNUSED zg_err_t zg_abi_event_parse(zg_abi_event_t *ev, zg_abi_arena_t *a, const char *sig, bool anonymous);
/* Encodes a log: topics[0..*ntopics) (topic 0, then each indexed argument as
 * its word, or the keccak of its in-place encoding for non-value types) and
 * data (appended: the non-indexed arguments as a tuple). */
ZG_WARN_UNUSED zg_err_t zg_abi_event_encode(uint8_t topics[ZG_ABI_MAX_TOPICS][32], size_t *ntopics, zg_buf_t *data,
                                            const zg_abi_event_t *ev, const zg_abi_value_t *args, size_t n);
/* Decodes a log back into args (a TUPLE value with one element per event
 * argument, in the arena). Indexed value-type arguments are decoded from
 * their topic with the same strict checks; an indexed non-value argument
 * cannot be recovered and comes back as a bytes32 (FBYTES, len 32) holding
 * its topic. ZG_EINVAL when topic 0 or the topic count does not match. */
ZG_WARN_UNUSED zg_err_t zg_abi_event_decode(zg_abi_value_t *args, zg_abi_arena_t *a, const zg_abi_event_t *ev,
                                            const uint8_t (*topics)[32], size_t ntopics, const uint8_t *data,
                                            size_t len);

#endif

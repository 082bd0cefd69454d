/*
 * zg/kv_stream.h — 0G's KV payload ("StreamData") codec (layer 7,
 * src/kv/kv_stream.c), pure: no I/O, no global state. docs/kv.md has the
 * layout and the replay rules that consume it.
 *
 * A KV write is an ordinary log submission whose tags are
 * StreamDomain ‖ streamId_1 ‖ … ‖ streamId_k (32 bytes each, StreamDomain =
 * sha256("STREAM")) and whose file bytes are, all integers big-endian:
 *
 *   u64 version
 *   u32 nReads,  nReads  × {streamId[32], u24 keyLen, key}
 *   u32 nWrites, nWrites × {streamId[32], u24 keyLen, key, u64 dataLen}
 *   the write values, concatenated in write order
 *   u32 nACL,    nACL    × {u8 type, streamId[32], [u24 keyLen, key], [address[20]]}
 *
 * Invariants of the decoder (strict): every length is checked against the
 * bytes left before anything is read; keys are 1..2^24-1 bytes; each set
 * holds at most ZG_KV_MAX_SET entries; the ACL op type is one of the ten
 * known ones and carries exactly its fields; the sum of the value lengths
 * cannot overflow; bytes left after the ACL set are refused (0G's replayer
 * ignores them; a payload built by any 0G client has none). The decoded
 * struct borrows the input bytes (keys and values point into them).
 *
 * Decoding is staged as 0G's replayer reads it (version, reads, writes,
 * ACL ops, end): on failure `stage` says how far decoding got and the sets
 * decoded before the failure stay filled, so the replayer can apply 0G's
 * checks in 0G's order (a read-set conflict is reported before a malformed
 * write set).
 */
#ifndef ZG_KV_STREAM_H
#define ZG_KV_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"

#define ZG_KV_MAX_SET 65536u              /* entries per set (0G's MAX_SIZE_LEN) */
#define ZG_KV_MAX_KEY ((size_t)0xffffff) /* u24 key length */

/* sha256("STREAM"): the first tag of every KV submission. */
extern const uint8_t zg_kv_stream_domain[32];

/* ACL op types (the type byte). */
enum {
  ZG_KV_GRANT_ADMIN = 0x00,             /* + address */
  ZG_KV_RENOUNCE_ADMIN = 0x01,          /* (sender) */
  ZG_KV_SET_KEY_SPECIAL = 0x10,         /* + key */
  ZG_KV_SET_KEY_NORMAL = 0x11,          /* + key */
  ZG_KV_GRANT_WRITER = 0x20,            /* + address */
  ZG_KV_REVOKE_WRITER = 0x21,           /* + address */
  ZG_KV_RENOUNCE_WRITER = 0x22,         /* (sender) */
  ZG_KV_GRANT_SPECIAL_WRITER = 0x30,    /* + key + address */
  ZG_KV_REVOKE_SPECIAL_WRITER = 0x31,   /* + key + address */
  ZG_KV_RENOUNCE_SPECIAL_WRITER = 0x32, /* + key (sender) */
};

typedef struct {
  uint8_t stream[32];
  const uint8_t *key; /* borrowed from the decoded input (or the caller's, to encode) */
  size_t key_len;     /* 1..ZG_KV_MAX_KEY */
} zg_kv_read_t;

typedef struct {
  uint8_t stream[32];
  const uint8_t *key;
  size_t key_len;
  const uint8_t *value; /* value_len bytes (NULL allowed when 0) */
  uint64_t value_len;
} zg_kv_write_t;

typedef struct {
  uint8_t op; /* ZG_KV_GRANT_ADMIN.. */
  uint8_t stream[32];
  const uint8_t *key; /* NULL / 0 for ops without a key */
  size_t key_len;
  uint8_t account[20]; /* zero for ops without an address */
} zg_kv_acl_t;

/* How far decoding got: the last part read completely. */
typedef enum {
  ZG_KV_STAGE_NONE = 0, /* not even the version */
  ZG_KV_STAGE_VERSION,  /* version read */
  ZG_KV_STAGE_READS,    /* read set read */
  ZG_KV_STAGE_WRITES,   /* write set and values read */
  ZG_KV_STAGE_ACL,      /* ACL set read (only trailing bytes can fail now) */
  ZG_KV_STAGE_END,      /* everything, nothing left over */
} zg_kv_stage_t;

typedef struct {
  uint64_t version;
  zg_kv_read_t *reads; /* owned arrays (zg_kv_stream_clear frees them) */
  size_t nreads;
  zg_kv_write_t *writes;
  size_t nwrites;
  zg_kv_acl_t *acl;
  size_t nacl;
  zg_kv_stage_t stage;
} zg_kv_stream_t;

/* True when an ACL op of this type carries a key / an address. */
bool zg_kv_acl_has_key(uint8_t op);
bool zg_kv_acl_has_account(uint8_t op);
/* True for the ten known op types. */
bool zg_kv_acl_known(uint8_t op);
/* 0G's name of an op type ("GrantAdminRole"...), "Unknown" otherwise. */
const char *zg_kv_acl_name(uint8_t op);

/* Decodes p[0..len) into *out (views into p, which must outlive *out).
 * ZG_OK only for a complete, strict payload (stage END). Failures:
 * ZG_ETRUNC (a length runs past the end), ZG_EOVERFLOW (a set over
 * ZG_KV_MAX_SET, value lengths past the payload), ZG_EINVAL (an empty key,
 * an unknown ACL type), ZG_ETRAILING (bytes after the ACL set), ZG_ENOMEM.
 * On failure out->stage and the sets before it stay filled (see above);
 * call zg_kv_stream_clear either way. */
ZG_WARN_UNUSED zg_err_t zg_kv_stream_decode(zg_kv_stream_t *out, const uint8_t *p, size_t len);
/* Frees the arrays of s and zeroes it. NULL is fine. */
void zg_kv_stream_clear(zg_kv_stream_t *s);

/* Appends the encoding of s (its version and sets; stage is ignored) to
 * out. ZG_EINVAL for a key of 0 or > ZG_KV_MAX_KEY bytes, a set over
 * ZG_KV_MAX_SET, an unknown op, a NULL value with a non-zero length;
 * ZG_ENOMEM. out keeps what it held before on failure (its length). */
ZG_WARN_UNUSED zg_err_t zg_kv_stream_encode(zg_buf_t *out, const zg_kv_stream_t *s);

/* Builds the tags of a KV submission: StreamDomain ‖ streams[0..n), into
 * out (appended). */
ZG_WARN_UNUSED zg_err_t zg_kv_tags_encode(zg_buf_t *out, const uint8_t (*streams)[32], size_t n);
/* True when tags start with StreamDomain and are a whole number of 32-byte
 * ids after it; *n gets the number of stream ids (tags + 32 points at the
 * first). */
bool zg_kv_tags_parse(size_t *n, const uint8_t *tags, size_t len);

#endif

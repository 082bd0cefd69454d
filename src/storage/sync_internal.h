/*
 * sync_internal.h — the storage sync wire messages (src/storage/sync_msg.c),
 * shared by the service (sync.c), its tests and the fuzzer.
 *
 * Every message starts with a u8 type; the rest follows the canonical codec
 * (zg/codec.h). The decoder is strict: unknown types, shard configs that are
 * not a power of two with shardId < numShard, empty or oversized ranges,
 * more than ZG_SYNC_MAX_RANGE segments, segments above 256 KiB, proofs above
 * their bound, indexes outside the request's range or out of order, and
 * trailing bytes are all refused, so decode(x) succeeding implies
 * encode(decode(x)) == x. Views point into the decoded input.
 */
#ifndef ZG_STORAGE_SYNC_INTERNAL_H
#define ZG_STORAGE_SYNC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/storage_sync.h"

#define ZG__SYNC_CH_GOSSIP 1 /* ANNOUNCE */
#define ZG__SYNC_CH_REQ 2    /* FIND, GET and their answers */

/* Widest GET range, in segment indexes (a range lists a shard's segments
 * among up to this many file segments). */
#define ZG__SYNC_MAX_SPAN 65536u
/* Largest encoded file proof carried (SSZ form: 8 + 66*32 + 64). */
#define ZG__SYNC_MAX_PROOF 2200u
#define ZG__SYNC_MAX_SHARDS (1u << 20)

typedef enum {
  ZG__SYNC_ANNOUNCE = 1,
  ZG__SYNC_FIND = 2,
  ZG__SYNC_FIND_ANSWER = 3,
  ZG__SYNC_GET = 4,
  ZG__SYNC_GET_ANSWER = 5,
} zg__sync_type_t;

typedef struct {
  uint32_t shard_id, num_shard;
} zg__sync_shard_t;

typedef struct {
  uint64_t index;
  zg_slice_t data;  /* view */
  zg_slice_t proof; /* view: zg_merkle_proof_encode form */
} zg__sync_seg_t;

typedef struct {
  zg__sync_type_t type;
  union {
    struct { /* ANNOUNCE */
      uint8_t origin[32];
      zg__sync_shard_t shard;
      uint64_t seq;   /* the tx completed */
      uint64_t stamp; /* the origin's clock (ms): the same news told again is new gossip */
    } announce;
    struct { /* FIND and GET */
      uint64_t seq;
      uint8_t root[32];
      zg__sync_shard_t shard; /* the requester's */
      uint64_t first, end;    /* GET only: segment indexes [first, end) */
    } req;
    struct { /* FIND_ANSWER */
      zg__sync_shard_t shard; /* the answerer's */
      bool has_entry;
      uint64_t held; /* segments of the requester's shard the answerer holds */
    } found;
    struct { /* GET_ANSWER */
      size_t nsegs;
      zg__sync_seg_t segs[ZG_SYNC_MAX_RANGE];
    } got;
  } u;
} zg__sync_msg_t;

/* The /metrics gauges of the service (zg_storage_sync_rpc_register), set
 * by the sync thread from its counters after every answer and every scan. */
typedef enum {
  ZG__SYNC_M_PEERS,
  ZG__SYNC_M_PENDING,
  ZG__SYNC_M_FILES,
  ZG__SYNC_M_SEGS,
  ZG__SYNC_M_BYTES,
  ZG__SYNC_M_BAD,
  ZG__SYNC_M_BANNED,
  ZG__SYNC_M_FAILED,
  ZG__SYNC_M_SERVED_SEGS,
  ZG__SYNC_M_SERVED_BYTES,
  ZG__SYNC_M_COUNT
} zg__sync_metric_t;

struct zg_metric;
/* Hands the gauges (borrowed for the service's life) to the sync thread. */
void zg__sync_attach_metrics(zg_storage_sync_t *s, struct zg_metric *const *g);

/* Appends the encoding of m to out. ZG_EINVAL for a message the decoder
 * would refuse (so nothing malformed is ever sent), ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg__sync_msg_encode(zg_buf_t *out, const zg__sync_msg_t *m);
/* Decodes one message of len bytes (views into p). ZG_ETYPE for an unknown
 * type, ZG_EINVAL for a rule above, the codec's codes (ZG_ETRUNC,
 * ZG_ETRAILING, ZG_EOVERFLOW, ZG_ENONCANON) otherwise. *m is zeroed on error. */
ZG_WARN_UNUSED zg_err_t zg__sync_msg_decode(zg__sync_msg_t *m, const uint8_t *p, size_t len);

#endif

/*
 * logstore_internal.h — what the log store's source files share: record
 * sizes, encoders of the fixed-size values, and the store struct.
 */
#ifndef ZG_LOGSTORE_INTERNAL_H
#define ZG_LOGSTORE_INTERNAL_H

#include <pthread.h>

#include "zg/datafile.h"
#include "zg/kvdb.h"
#include "zg/logstore.h"

#define ZG__ROOTREC_LEN 17 /* u8 version | u64 segments | u64 present */
#define ZG__LOCREC_LEN 16  /* u32 file | u64 offset | u32 payload length */
#define ZG__SEGHDR_LEN 40  /* root | u64 index, before the data in a record */

/* A waiting zg_logstore_segments_put call (lives on its caller's stack). */
typedef struct zg__ls_req {
  const zg_logstore_seg_t *segs; /* borrowed from the caller, who waits */
  size_t n;
  zg_err_t err;
  bool done;
  struct zg__ls_req *next;
} zg__ls_req_t;

struct zg_logstore {
  zg_kvdb_t *db;
  zg_kvdb_dbi_t dbi_tx, dbi_root_tx, dbi_root, dbi_seg, dbi_flow, dbi_meta;
  zg_datafile_t *df;
  zg_logstore_opts_t opts;
  /* Group commit queue. */
  pthread_mutex_t qlock;
  pthread_cond_t qcond;
  zg__ls_req_t *qhead, **qtail;
  bool leader; /* a thread is running a group */
  zg_logstore_stats_t stats;
};

bool zg__logstore_tx_valid(const zg_logstore_tx_t *tx);
void zg__logstore_root_encode(uint8_t out[ZG__ROOTREC_LEN], const zg_logstore_root_info_t *ri);
void zg__logstore_loc_encode(uint8_t out[ZG__LOCREC_LEN], const zg_datafile_loc_t *loc);
void zg__logstore_seghdr_encode(uint8_t out[ZG__SEGHDR_LEN], const uint8_t root[32], uint64_t index);

/* Keys. */
static inline void zg__ls_key_seq(uint8_t k[8], uint64_t seq) { zg_store_be64(k, seq); }
static inline void zg__ls_key_root_u64(uint8_t k[40], const uint8_t root[32], uint64_t v) {
  for (int i = 0; i < 32; i++) k[i] = root[i];
  zg_store_be64(k + 32, v);
}

/* Updates the status of every pending tx of root that is now complete
 * (logstore.c). */
zg_err_t zg__logstore_finalize_root(zg_logstore_t *ls, zg_kvdb_txn_t *txn, const uint8_t root[32],
                                    const zg_logstore_root_info_t *ri);
/* Commits a write transaction of the index (txn is gone afterwards),
 * counting it for fault injection (logstore.c). */
zg_err_t zg__logstore_commit(zg_logstore_t *ls, zg_kvdb_txn_t *txn);

#endif

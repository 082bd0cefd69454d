/*
 * signer_internal.h — the DA signer's private state shared by signer.c
 * (verify, store, sign, wire forms) and signer_http.c (HTTP endpoints and
 * counters). Not a public header.
 */
#ifndef ZG_DA_SIGNER_INTERNAL_H
#define ZG_DA_SIGNER_INTERNAL_H

#include <stdatomic.h>

#include "zg/da_signer.h"
#include "zg/http_server.h"
#include "zg/kvdb.h"

enum { ZG__DA_M_STORED, ZG__DA_M_REFUSED, ZG__DA_M_MALFORMED, ZG__DA_M_SERVED, ZG__DA_M_ERRORS, ZG__DA_M_N };

struct zg_da_signer {
  zg_bls_sk_t sk; /* secret; wiped at close */
  zg_bls_pk_t pk;
  uint8_t pk_bytes[48];
  uint64_t chain_id;
  const zg_da_ctx_t *ctx;
  zg_da_slot_fn slot_ok;
  void *slot_user;
  zg_kvdb_t *db;
  zg_kvdb_dbi_t dbi_hdr, dbi_col;
  zg_http_server_t *http;
  atomic_ulong metrics[ZG__DA_M_N];
  bool test_corrupt; /* fault injection: serve every column with its first cell byte flipped */
};

/* Counts one event of kind k (ZG__DA_M_*). */
void zg__da_signer_count(zg_da_signer_t *s, int k);
/* Stops and frees the HTTP server if started. */
void zg__da_signer_stop(zg_da_signer_t *s);
/* Appends be32 hlen || header wire. */
zg_err_t zg__da_put_header(zg_buf_t *out, const zg_da_header_t *h);
/* Appends be32 index || cells || proofs. */
zg_err_t zg__da_put_column(zg_buf_t *out, uint32_t index, const uint8_t *cells, size_t cells_len,
                           const uint8_t *proofs, size_t proofs_len);

#endif

/*
 * zg/da_signer.h — the DA signer role (src/da/signer.c, signer_http.c):
 * receives a blob's columns, verifies every cell proof against the row
 * commitments (batched, zg_da_verify_columns), stores them durably in LMDB
 * under its data dir, and only then BLS-signs the sign digest (blob digest,
 * epoch, quorum id; zg/da_blob.h); serves the stored cells back by
 * (blob digest, columns). Also the binary wire forms of its two HTTP
 * requests, shared with the client (zg/da_client.h).
 *
 * Invariants: a signature is returned only after the commit that holds
 * every column of the request returned (fsync unless no_sync); a request
 * whose cells or proofs do not verify is refused with *accepted = false and
 * nothing stored; the secret key is copied at open and wiped at close.
 * Storing the same (blob, column) again is idempotent (first copy kept).
 *
 * Slots: which columns a signer may hold is decided by the chain (the
 * DASigners quorum of the epoch). opts.slot_ok, when set, is asked for each
 * column of a request; NULL accepts every column (tests, and until the
 * DASigners views are wired in).
 *
 * LMDB layout: sub-database "hdr": blob digest (32) -> header wire form;
 * "col": blob digest || be32 column -> cells (rows x 2048) || proofs
 * (rows x 48).
 *
 * HTTP (zg_da_signer_serve), binary bodies, integers big-endian:
 *   POST /da/v1/store  body: be64 epoch || be64 quorum_id || be32 hlen ||
 *                      header wire (hlen) || be32 n || n x (be32 column ||
 *                      cells rows x 2048 || proofs rows x 48)
 *                      200: signature (96) || signer public key (48);
 *                      422: proofs do not verify / column refused (text);
 *                      400: malformed (text); 500: store failed (text).
 *   POST /da/v1/cells  body: blob digest (32) || be32 n || n x be32 column
 *                      200: be32 hlen || header wire || be32 m ||
 *                      m x (be32 column || cells || proofs) for the m <= n
 *                      requested columns this signer holds; 404: blob unknown.
 *   GET  /health       200 "ok";  GET /metrics  counters (text).
 *
 * Errors: ZG_EINVAL (arguments), ZG_ETRUNC / ZG_ETRAILING / ZG_EBADLEN /
 * ZG_ERANGE / ZG_EDUPLICATE (malformed request bytes), ZG_ENOTFOUND (blob or
 * column not held), kvdb codes (ZG_EIO, ZG_EFULL, ...), ZG_ENOMEM.
 */
#ifndef ZG_DA_SIGNER_H
#define ZG_DA_SIGNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bls.h"
#include "zg/bytes.h"
#include "zg/da_blob.h"
#include "zg/da_encoder.h"
#include "zg/err.h"

typedef struct zg_da_signer zg_da_signer_t;

/* Whether this signer holds slot `column` of quorum_id in epoch. */
typedef bool (*zg_da_slot_fn)(void *user, uint64_t epoch, uint64_t quorum_id, uint32_t column);

typedef struct {
  const char *data_dir;    /* LMDB environment directory (created) */
  const zg_bls_sk_t *sk;   /* signing key, copied */
  uint64_t chain_id;       /* bound into every signature */
  const zg_da_ctx_t *ctx;  /* encoder context for verification (borrowed) */
  size_t map_size;         /* LMDB map bytes (0: 64 GiB, virtual) */
  bool no_sync;            /* tests/benches only: commits skip fsync */
  zg_da_slot_fn slot_ok;   /* NULL: any column */
  void *slot_user;
} zg_da_signer_opts_t;

/* Opens a signer over opts->data_dir. *out is NULL on failure. */
ZG_WARN_UNUSED zg_err_t zg_da_signer_open(zg_da_signer_t **out, const zg_da_signer_opts_t *opts);
/* Stops serving (if started), closes the store, wipes the key. NULL ok. */
void zg_da_signer_close(zg_da_signer_t *s);
/* The signer's public key (48 bytes compressed G1). */
void zg_da_signer_pubkey(const zg_da_signer_t *s, uint8_t out[48]);

/* Verifies and stores n columns of the blob with header h, then signs the
 * sign digest for (blob, epoch, quorum_id). *accepted = false (sig zeroed)
 * when a cell proof fails or a column is refused by slot_ok: a verdict, not
 * an error. Thread-safe. */
ZG_WARN_UNUSED zg_err_t zg_da_signer_store(zg_da_signer_t *s, bool *accepted, uint8_t sig[ZG_DA_SIG_LEN],
                                           const zg_da_header_t *h, uint64_t epoch, uint64_t quorum_id,
                                           const zg_da_column_t *cols, size_t n);

/* Appends the stored header wire form of blob_digest to out.
 * ZG_ENOTFOUND when the blob is unknown. */
ZG_WARN_UNUSED zg_err_t zg_da_signer_header(zg_da_signer_t *s, zg_buf_t *out, const uint8_t blob_digest[32]);
/* Appends column `column` of blob_digest (cells || proofs, rows x 2096
 * bytes) to out. ZG_ENOTFOUND when not held. */
ZG_WARN_UNUSED zg_err_t zg_da_signer_column(zg_da_signer_t *s, zg_buf_t *out, const uint8_t blob_digest[32],
                                            uint32_t column);

/* Starts the HTTP endpoints above on addr ("HOST:PORT", port 0 =
 * ephemeral); *port gets the bound port (may be NULL). Fault injection for
 * process tests: with ZG_DA_SIGNER_TEST_CORRUPT=1 in the environment the
 * signer serves every column with its first cell byte flipped. */
ZG_WARN_UNUSED zg_err_t zg_da_signer_serve(zg_da_signer_t *s, const char *addr, uint16_t *port);

/* ---- Wire forms (shared with the client) ---- */

/* Appends a /da/v1/store body. */
ZG_WARN_UNUSED zg_err_t zg_da_store_req_encode(zg_buf_t *out, const zg_da_header_t *h, uint64_t epoch,
                                               uint64_t quorum_id, const zg_da_column_t *cols, size_t n);

/* A parsed /da/v1/store body; pointers borrow the request bytes. */
typedef struct {
  uint64_t epoch;
  uint64_t quorum_id;
  zg_da_header_t header;
  size_t n;
  zg_da_column_t cols[ZG_DA_COLUMNS];
} zg_da_store_req_t;

/* Parses a /da/v1/store body from untrusted bytes (header checked under
 * params p, may be NULL; columns distinct and sized to the header). */
ZG_WARN_UNUSED zg_err_t zg_da_store_req_parse(zg_da_store_req_t *r, const uint8_t *in, size_t len,
                                              const zg_da_params_t *p);

/* A parsed /da/v1/cells answer (the same column framing). */
typedef struct {
  zg_da_header_t header;
  size_t n;
  zg_da_column_t cols[ZG_DA_COLUMNS];
} zg_da_cells_resp_t;

/* Parses a /da/v1/cells answer from untrusted bytes. */
ZG_WARN_UNUSED zg_err_t zg_da_cells_resp_parse(zg_da_cells_resp_t *r, const uint8_t *in, size_t len,
                                               const zg_da_params_t *p);

#endif

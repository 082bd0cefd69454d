/*
 * zg/da_client.h — DA dispersal and retrieval against signer roles over
 * HTTP (src/da/client.c; wire forms in zg/da_signer.h).
 *
 * Dispersal: each signer gets its columns in one POST /da/v1/store, all
 * signers in parallel (one thread each); each answer's signature is checked
 * on its own against the signer's expected public key over the sign digest,
 * so a signer that is down, refuses, or returns an invalid signature is
 * excluded and reported (zg_da_peer_status_t) without spoiling the others.
 * The good signatures are aggregated into a certificate (zg/da_blob.h)
 * whose bitmap holds the slots of the signers that signed; the aggregate is
 * checked once (FastAggregateVerify over the signers' keys) before it is
 * returned. `certified` says whether the signed slots reach 2/3 of the 128
 * (the rule DAEntrance applies); the chain submission is the caller's.
 *
 * Retrieval: every signer is asked for its columns in parallel; a signer's
 * answer is checked against the blob digest (its header must hash to it)
 * and its cells against the row commitments (batched proofs); a signer whose
 * header or cells fail is excluded and reported. The payload is decoded
 * from the verified columns (systematic fast path when 0..63 are present).
 *
 * Threads: the calls start and join their own threads; the context is
 * shared read-only. Memory: results are caller-owned; nothing is retained.
 */
#ifndef ZG_DA_CLIENT_H
#define ZG_DA_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/da_blob.h"
#include "zg/da_encoder.h"
#include "zg/err.h"

/* One signer of the quorum: where it listens and which slots it holds. */
typedef struct {
  const char *url;                   /* "http://HOST:PORT" (borrowed) */
  uint8_t pubkey[48];                /* its registered BLS key */
  uint8_t slots[ZG_DA_BITMAP_LEN];   /* its columns (bit j = column j) */
} zg_da_peer_t;

/* What happened with one signer. */
typedef enum {
  ZG_DA_PEER_OK = 0,
  ZG_DA_PEER_DOWN,      /* no answer (connection failed, timeout, 5xx) */
  ZG_DA_PEER_REFUSED,   /* answered with an error status (4xx) */
  ZG_DA_PEER_BADSIG,    /* dispersal: signature malformed or not valid */
  ZG_DA_PEER_CORRUPT,   /* retrieval: header or cells do not verify, or malformed answer */
  ZG_DA_PEER_NOSLOTS    /* holds no slot: not contacted */
} zg_da_peer_status_t;

/* A status's name ("ok", "down", ...). */
const char *zg_da_peer_status_str(zg_da_peer_status_t st);

typedef struct {
  uint64_t chain_id;
  uint64_t epoch;
  uint64_t quorum_id;
  unsigned timeout_ms; /* per request (0: 60 s) */
} zg_da_disperse_opts_t;

typedef struct {
  zg_da_cert_t cert;     /* bitmap + aggregate of the good signers */
  unsigned signed_slots; /* set bits of cert.bitmap */
  bool certified;        /* signed_slots * 3 >= 128 * 2 and the aggregate verified */
} zg_da_disperse_result_t;

/* Disperses an encoded blob to n signers; status (n entries, may be NULL)
 * gets each signer's outcome. ZG_EINVAL for bad arguments or overlapping
 * slots. A quorum that did not reach 2/3 is a verdict (certified false). */
ZG_WARN_UNUSED zg_err_t zg_da_disperse(const zg_da_ctx_t *ctx, zg_da_disperse_result_t *res,
                                       zg_da_peer_status_t *status, const zg_da_encoded_t *e,
                                       const zg_da_peer_t *peers, size_t n, const zg_da_disperse_opts_t *opts);

typedef struct {
  unsigned columns_ok;   /* verified columns available */
  bool systematic;       /* decoded from columns 0..63 without recovery */
} zg_da_retrieve_stats_t;

/* Retrieves blob_digest's payload from n signers into out (appended).
 * ZG_ETOOFEW when fewer than 64 verified columns came back. status and
 * stats may be NULL. */
ZG_WARN_UNUSED zg_err_t zg_da_retrieve(const zg_da_ctx_t *ctx, zg_buf_t *out, zg_da_retrieve_stats_t *stats,
                                       zg_da_peer_status_t *status, const uint8_t blob_digest[32],
                                       const zg_da_peer_t *peers, size_t n, unsigned timeout_ms);

/* Light-client sampling: `samples` distinct random columns (drawn from
 * seed) are asked from their holders and each is verified (header against
 * blob_digest, every cell proof of the column). *verified gets the columns
 * that came back valid; *confidence = 1 - C(63, k) / C(128, k) when all
 * k = samples verified (the chance that a blob missing more than 64
 * columns, hence unrecoverable, passes), 0 when any sample failed. status
 * (n entries) may be NULL. A failed sample is a verdict, not an error. */
ZG_WARN_UNUSED zg_err_t zg_da_sample(const zg_da_ctx_t *ctx, unsigned *verified, double *confidence,
                                     zg_da_peer_status_t *status, const uint8_t blob_digest[32],
                                     const zg_da_peer_t *peers, size_t n, unsigned samples, uint64_t seed,
                                     unsigned timeout_ms);

/* ---- OP Stack alt-DA server (src/da/altda.c) ----
 *
 * The alt-DA specification's DA server (ethereum-optimism/specs,
 * experimental/alt-da.md) over this client:
 *   POST /put           body: the preimage -> 200, body: the commitment
 *                       bytes; 503 when the blob was not certified
 *   GET  /get/<hex>     (0x optional) -> 200 the preimage; 404 unknown or
 *                       not retrievable; 400 not a zg commitment
 *   GET  /health -> "ok";  GET /metrics -> counters (text)
 * Commitment: the spec's generic ("da-service") type,
 *   0x01 || da_layer_byte (ZG_ALTDA_LAYER_BYTE) || certificate wire form
 * (zg_da_cert_encode; its first 32 bytes are the blob digest), so a holder
 * of the commitment can check the certificate without the server. */
#define ZG_ALTDA_COMMITMENT_TYPE 0x01
#define ZG_ALTDA_LAYER_BYTE 0x5a /* not apportioned by the spec; chosen < 127 */
#define ZG_ALTDA_COMMITMENT_LEN (2 + ZG_DA_CERT_WIRE_LEN)

typedef struct zg_da_altda zg_da_altda_t;

typedef struct {
  const zg_da_ctx_t *ctx;       /* borrowed for the server's life */
  const zg_da_peer_t *peers;    /* borrowed for the server's life */
  size_t n;
  zg_da_disperse_opts_t disperse;
  size_t max_body;              /* 0: the max blob size */
  /* Chain mode (may be NULL): called with each certificate the quorum
   * formed, before /put answers; the blob is committed only when it
   * returns ZG_OK and *accepted (e.g. submitOriginalData +
   * submitCertificate accepted on chain), else /put answers 503. Called
   * from the server's threads: the callee serialises what it must. */
  zg_err_t (*commit)(void *user, bool *accepted, const zg_da_cert_t *cert);
  void *commit_user;
} zg_da_altda_opts_t;

/* Starts the server on addr ("HOST:PORT", port 0 = ephemeral); *port gets
 * the bound port (may be NULL). */
ZG_WARN_UNUSED zg_err_t zg_da_altda_start(zg_da_altda_t **out, uint16_t *port, const char *addr,
                                          const zg_da_altda_opts_t *opts);
/* Stops (requests in progress finish) and frees. NULL is fine. */
void zg_da_altda_stop(zg_da_altda_t *a);

#endif

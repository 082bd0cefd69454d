/*
 * zg/da_blob.h — the DA blob's layout, its header (row commitments and
 * sizes), and the digests that signers sign and contracts check. Pure
 * functions: no allocation, no KZG, no I/O, so system contracts
 * (DASigners, DAEntrance), the signer role and the client all share them.
 * docs/da.md ("Encoding") has the byte-exact definitions; the row layout is
 * docs/da-blob-layout.md at rate 1/2 (the EIP-7594 cell layout).
 *
 * A blob of L bytes (0 <= L <= the max blob size) becomes rows of 4096
 * field elements (zg/rs.h): stream = be64(L) || payload || zeros, 31
 * stream bytes per element. Each row is RS-extended to 128 cells of 2048
 * bytes with one KZG cell proof each; column j (cell j of every row) goes
 * to quorum slot j.
 *
 * Max blob size: ZG_DA_MAX_BLOB_DEFAULT (32 MiB) unless a chain sets its own
 * (zg_da_params_t); inputs above it are refused with ZG_ETOOBIG before any
 * work. zg does not split: a client with more data disperses several
 * blobs (each its own header, digest and certificate).
 *
 * Header (the blob's identity, what DAEntrance records):
 *   payload_len, rows (= zg_rs_rows_for_len(payload_len)), rate_inv (2),
 *   and rows commitments of 48 bytes (compressed G1, row order).
 * Serialized ("wire"):
 *   u8 version (1) || u8 rate_inv || be64 payload_len || be32 rows ||
 *   rows x 48 bytes of commitments                 (14 + 48 rows bytes)
 * Digests (keccak256; "||" concatenates; integers big-endian):
 *   commitments_root = keccak256(commitment_0 || ... || commitment_{rows-1})
 *   blob digest      = keccak256("zg-da-blob-v1" || u8 rate_inv ||
 *                                 be64 payload_len || be32 rows || commitments_root)
 *   sign digest      = keccak256("zg-da-sign-v1" || be64 chain_id ||
 *                                 blob digest || be64 epoch || be64 quorum_id)
 *   certificate digest = keccak256("zg-da-cert-v1" || sign digest ||
 *                                 signer bitmap (16 bytes) || aggregate signature (96))
 * The blob digest needs only commitments_root, so a contract can keep
 * 32 bytes instead of the commitments. The sign digest is the message a
 * signer BLS-signs; it binds the chain, so a signature never replays on
 * another chain, epoch or quorum.
 *
 * Errors: ZG_EINVAL (NULL, bad arguments), ZG_ETOOBIG (payload above the
 * max blob size), ZG_ETRUNC / ZG_ETRAILING / ZG_EBADLEN (wire length),
 * ZG_EUNSUPPORTED (unknown version or rate), ZG_ECORRUPT (rows do not match
 * payload_len). Commitments are not parsed as points here: the encoder's
 * verifiers reject invalid points (zg/da_encoder.h).
 */
#ifndef ZG_DA_BLOB_H
#define ZG_DA_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

#define ZG_DA_MAX_BLOB_DEFAULT ((uint64_t)32 << 20)   /* 32 MiB */
#define ZG_DA_RATE_INV 2                              /* rate 1/2 (EIP-7594 cells) */
#define ZG_DA_COLUMNS 128                             /* cells per extended row = quorum slots */
#define ZG_DA_MIN_COLUMNS 64                          /* any 64 columns decode the blob */
#define ZG_DA_ROW_ELEMS 4096
#define ZG_DA_ROW_PAYLOAD 126976                      /* stream bytes per row (4096 x 31) */
#define ZG_DA_ROW_BLOB_BYTES 131072                   /* a row as an EIP-4844 blob (4096 x 32) */
#define ZG_DA_CELL_BYTES 2048
#define ZG_DA_COMMITMENT_LEN 48
#define ZG_DA_PROOF_LEN 48
#define ZG_DA_SIG_LEN 96                              /* BLS aggregate signature (G2, zg/bls.h) */
#define ZG_DA_BITMAP_LEN (ZG_DA_COLUMNS / 8)          /* one bit per slot, LSB first in each byte */
#define ZG_DA_HEADER_FIXED 14                         /* wire header bytes before the commitments */
#define ZG_DA_HEADER_VERSION 1

/* Chain parameters of DA (a zeroed struct means the defaults). */
typedef struct {
  uint64_t max_blob; /* largest payload in bytes; 0 = ZG_DA_MAX_BLOB_DEFAULT */
} zg_da_params_t;

/* The max blob size in force under p (NULL or 0 = the default). */
uint64_t zg_da_max_blob(const zg_da_params_t *p);
/* Rows of a payload of len bytes (max(1, ceil((8 + len) / 126976))). */
uint32_t zg_da_rows_for_len(uint64_t len);
/* ZG_OK when a payload of len bytes may be dispersed under p, ZG_ETOOBIG
 * otherwise: the early check every entry point makes. */
ZG_WARN_UNUSED zg_err_t zg_da_check_len(const zg_da_params_t *p, uint64_t len);

/* Writes row `row` of the blob's stream as an EIP-4844 blob (4096
 * big-endian 32-byte elements 0x00 || 31 bytes): out is
 * ZG_DA_ROW_BLOB_BYTES bytes; data/len is the whole payload (borrowed).
 * ZG_ERANGE when row >= zg_da_rows_for_len(len). */
ZG_WARN_UNUSED zg_err_t zg_da_row_blob(uint8_t *out, const uint8_t *data, uint64_t len, uint32_t row);

/* A blob header. commitments is borrowed (rows x 48 bytes). */
typedef struct {
  uint64_t payload_len;
  uint32_t rows;
  uint8_t rate_inv;
  const uint8_t *commitments;
} zg_da_header_t;

/* Checks a header's sizes (rate, rows vs payload_len, max blob under p). */
ZG_WARN_UNUSED zg_err_t zg_da_header_check(const zg_da_header_t *h, const zg_da_params_t *p);
/* Bytes of the wire form of a header of `rows` rows. */
size_t zg_da_header_wire_len(uint32_t rows);
/* Writes the wire form: out has cap >= zg_da_header_wire_len(h->rows)
 * bytes; *written gets the length. */
ZG_WARN_UNUSED zg_err_t zg_da_header_encode(uint8_t *out, size_t cap, size_t *written, const zg_da_header_t *h);
/* Parses a wire header from untrusted bytes (exactly len bytes) and checks
 * it under p. h->commitments points into in (borrowed as long as in). */
ZG_WARN_UNUSED zg_err_t zg_da_header_parse(zg_da_header_t *h, const uint8_t *in, size_t len,
                                           const zg_da_params_t *p);

/* keccak256 of the concatenated commitments (rows x 48 bytes). */
void zg_da_commitments_root(uint8_t out[32], const uint8_t *commitments, uint32_t rows);
/* The blob digest from the sizes and commitments_root. */
void zg_da_blob_digest_from_root(uint8_t out[32], uint8_t rate_inv, uint64_t payload_len, uint32_t rows,
                                 const uint8_t commitments_root[32]);
/* The blob digest of a header. Rate and rows are checked first
 * (ZG_EINVAL, ZG_EUNSUPPORTED, ZG_ECORRUPT), the max blob size is not: a
 * digest names a blob whatever the limit in force. out is zeroed on error. */
ZG_WARN_UNUSED zg_err_t zg_da_blob_digest(uint8_t out[32], const zg_da_header_t *h);
/* The message a signer signs for (chain, blob, epoch, quorum). */
void zg_da_sign_digest(uint8_t out[32], uint64_t chain_id, const uint8_t blob_digest[32], uint64_t epoch,
                       uint64_t quorum_id);

/* A certificate: the signed (blob, epoch, quorum), which slots signed, and
 * the aggregate signature of their signers. */
typedef struct {
  uint8_t blob_digest[32];
  uint64_t epoch;
  uint64_t quorum_id;
  uint8_t bitmap[ZG_DA_BITMAP_LEN]; /* bit j (byte j/8, bit j%8) = slot j signed */
  uint8_t sig[ZG_DA_SIG_LEN];
} zg_da_cert_t;

#define ZG_DA_CERT_WIRE_LEN (32 + 8 + 8 + ZG_DA_BITMAP_LEN + ZG_DA_SIG_LEN)

/* The certificate's identity digest under chain_id. */
void zg_da_cert_digest(uint8_t out[32], uint64_t chain_id, const zg_da_cert_t *c);
/* Wire form: blob_digest || be64 epoch || be64 quorum_id || bitmap || sig
 * (ZG_DA_CERT_WIRE_LEN bytes). */
void zg_da_cert_encode(uint8_t out[ZG_DA_CERT_WIRE_LEN], const zg_da_cert_t *c);
/* Parses exactly ZG_DA_CERT_WIRE_LEN bytes (ZG_EBADLEN otherwise); the
 * signature is not parsed as a point here. */
ZG_WARN_UNUSED zg_err_t zg_da_cert_parse(zg_da_cert_t *c, const uint8_t *in, size_t len);
/* Whether slot j is set in a bitmap; the number of set slots. */
bool zg_da_bitmap_get(const uint8_t bitmap[ZG_DA_BITMAP_LEN], unsigned j);
void zg_da_bitmap_set(uint8_t bitmap[ZG_DA_BITMAP_LEN], unsigned j);
unsigned zg_da_bitmap_count(const uint8_t bitmap[ZG_DA_BITMAP_LEN]);

#endif

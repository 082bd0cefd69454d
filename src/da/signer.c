/*
 * signer.c — the DA signer role's core (zg/da_signer.h): verify a request's
 * columns against the row commitments, store them in LMDB, sign the sign
 * digest only after the commit returned; read columns back; and the binary
 * wire forms of /da/v1/store and /da/v1/cells.
 *
 * Invariants: nothing is stored for a request that does not verify; a
 * signature is produced after the write transaction holding every column
 * committed (fsync unless no_sync); the secret key lives only in s->sk and
 * is wiped at close.
 */
#include <stdlib.h>
#include <string.h>

#include "signer_internal.h"
#include "zg/kvdb.h"

#define COL_BYTES (ZG_DA_CELL_BYTES + ZG_DA_PROOF_LEN)

zg_err_t zg_da_signer_open(zg_da_signer_t **out, const zg_da_signer_opts_t *opts) {
  zg_err_t err = ZG_OK;
  zg_da_signer_t *s = NULL;
  if (out) *out = NULL;
  if (!out || !opts || !opts->data_dir || !opts->sk || !opts->ctx) return ZG_EINVAL;
  s = calloc(1, sizeof *s);
  if (!s) return ZG_ENOMEM;
  s->sk = *opts->sk;
  zg_bls_sk_to_pk(&s->pk, &s->sk);
  zg_bls_pk_serialize(s->pk_bytes, &s->pk);
  s->chain_id = opts->chain_id;
  s->ctx = opts->ctx;
  s->slot_ok = opts->slot_ok;
  s->slot_user = opts->slot_user;
  zg_kvdb_opts_t ko = {0};
  ko.map_size = opts->map_size ? opts->map_size : ((size_t)64 << 30);
  ko.no_sync = opts->no_sync;
  err = zg_kvdb_open(&s->db, opts->data_dir, &ko);
  if (err) goto out;
  err = zg_kvdb_dbi_open(s->db, &s->dbi_hdr, "hdr", true);
  if (err) goto out;
  err = zg_kvdb_dbi_open(s->db, &s->dbi_col, "col", true);
  if (err) goto out;
  *out = s;
  s = NULL;
out:
  zg_da_signer_close(s);
  return err;
}

void zg_da_signer_close(zg_da_signer_t *s) {
  if (!s) return;
  zg__da_signer_stop(s);
  zg_kvdb_close(s->db);
  zg_bls_sk_clear(&s->sk);
  free(s);
}

void zg_da_signer_pubkey(const zg_da_signer_t *s, uint8_t out[48]) { memcpy(out, s->pk_bytes, 48); }

static void col_key(uint8_t key[36], const uint8_t digest[32], uint32_t column) {
  memcpy(key, digest, 32);
  zg_store_be32(key + 32, column);
}

/* Writes the header and every column in one transaction; returns after the
 * commit (durable unless no_sync). */
static zg_err_t store_columns(zg_da_signer_t *s, const uint8_t digest[32], const zg_da_header_t *h,
                              const zg_da_column_t *cols, size_t n) {
  zg_err_t err;
  zg_kvdb_txn_t *txn = NULL;
  uint8_t *val = NULL;
  uint8_t hdr[ZG_DA_HEADER_FIXED + 48 * 1024];
  size_t hlen = 0;
  size_t rows = h->rows;
  if (zg_da_header_wire_len(h->rows) > sizeof hdr) return ZG_ETOOBIG;
  err = zg_da_header_encode(hdr, sizeof hdr, &hlen, h);
  if (err) return err;
  val = malloc(rows * COL_BYTES);
  if (!val) return ZG_ENOMEM;
  err = zg_kvdb_txn_begin(s->db, &txn, NULL, true);
  if (err) goto out;
  err = zg_kvdb_put(txn, s->dbi_hdr, zg_slice(digest, 32), zg_slice(hdr, hlen), ZG_KVDB_NOOVERWRITE);
  if (err == ZG_EEXIST) err = ZG_OK;
  if (err) goto out;
  for (size_t i = 0; i < n; i++) {
    uint8_t key[36];
    col_key(key, digest, cols[i].index);
    memcpy(val, cols[i].cells, rows * ZG_DA_CELL_BYTES);
    memcpy(val + rows * ZG_DA_CELL_BYTES, cols[i].proofs, rows * ZG_DA_PROOF_LEN);
    err = zg_kvdb_put(txn, s->dbi_col, zg_slice(key, 36), zg_slice(val, rows * COL_BYTES), ZG_KVDB_NOOVERWRITE);
    if (err == ZG_EEXIST) err = ZG_OK;
    if (err) goto out;
  }
  err = zg_kvdb_txn_commit(txn);
  txn = NULL;
out:
  zg_kvdb_txn_abort(txn);
  free(val);
  return err;
}

zg_err_t zg_da_signer_store(zg_da_signer_t *s, bool *accepted, uint8_t sig[ZG_DA_SIG_LEN], const zg_da_header_t *h,
                            uint64_t epoch, uint64_t quorum_id, const zg_da_column_t *cols, size_t n) {
  zg_err_t err;
  bool ok = false;
  uint8_t digest[32], msg[32];
  zg_bls_sig_t bsig;
  if (accepted) *accepted = false;
  if (sig) memset(sig, 0, ZG_DA_SIG_LEN);
  if (!s || !accepted || !sig || !h || (!cols && n) || n == 0 || n > ZG_DA_COLUMNS) return ZG_EINVAL;
  err = zg_da_blob_digest(digest, h);
  if (err) return err;
  for (size_t i = 0; i < n; i++) {
    if (cols[i].index >= ZG_DA_COLUMNS) return ZG_ERANGE;
    if (s->slot_ok && !s->slot_ok(s->slot_user, epoch, quorum_id, cols[i].index)) {
      zg__da_signer_count(s, ZG__DA_M_REFUSED);
      return ZG_OK;
    }
  }
  err = zg_da_verify_columns(s->ctx, &ok, h, cols, n);
  if (err) return err;
  if (!ok) {
    zg__da_signer_count(s, ZG__DA_M_REFUSED);
    return ZG_OK;
  }
  err = store_columns(s, digest, h, cols, n);
  if (err) return err;
  zg_da_sign_digest(msg, s->chain_id, digest, epoch, quorum_id);
  err = zg_bls_sign(&bsig, &s->sk, msg, 32);
  if (err) return err;
  zg_bls_sig_serialize(sig, &bsig);
  *accepted = true;
  zg__da_signer_count(s, ZG__DA_M_STORED);
  return ZG_OK;
}

static zg_err_t get_value(zg_da_signer_t *s, zg_buf_t *out, zg_kvdb_dbi_t dbi, zg_slice_t key) {
  zg_kvdb_txn_t *txn = NULL;
  zg_slice_t v;
  zg_err_t err = zg_kvdb_txn_begin(s->db, &txn, NULL, false);
  if (err) return err;
  err = zg_kvdb_get(txn, dbi, key, &v);
  if (!err) err = zg_buf_append(out, v.ptr, v.len);
  zg_kvdb_txn_abort(txn);
  return err;
}

zg_err_t zg_da_signer_header(zg_da_signer_t *s, zg_buf_t *out, const uint8_t blob_digest[32]) {
  if (!s || !out || !blob_digest) return ZG_EINVAL;
  return get_value(s, out, s->dbi_hdr, zg_slice(blob_digest, 32));
}

zg_err_t zg_da_signer_column(zg_da_signer_t *s, zg_buf_t *out, const uint8_t blob_digest[32], uint32_t column) {
  uint8_t key[36];
  if (!s || !out || !blob_digest || column >= ZG_DA_COLUMNS) return ZG_EINVAL;
  col_key(key, blob_digest, column);
  return get_value(s, out, s->dbi_col, zg_slice(key, 36));
}

/* ---- Wire forms ---- */

static zg_err_t put_be32(zg_buf_t *b, uint32_t v) {
  uint8_t t[4];
  zg_store_be32(t, v);
  return zg_buf_append(b, t, 4);
}

static zg_err_t put_be64(zg_buf_t *b, uint64_t v) {
  uint8_t t[8];
  zg_store_be64(t, v);
  return zg_buf_append(b, t, 8);
}

zg_err_t zg__da_put_header(zg_buf_t *out, const zg_da_header_t *h) {
  size_t hlen = zg_da_header_wire_len(h->rows), w = 0;
  zg_err_t err = put_be32(out, (uint32_t)hlen);
  if (!err) err = zg_buf_reserve(out, hlen);
  if (!err) err = zg_da_header_encode(out->ptr + out->len, hlen, &w, h);
  if (!err) out->len += w;
  return err;
}

zg_err_t zg__da_put_column(zg_buf_t *out, uint32_t index, const uint8_t *cells, size_t cells_len,
                           const uint8_t *proofs, size_t proofs_len) {
  zg_err_t err = put_be32(out, index);
  if (!err) err = zg_buf_append(out, cells, cells_len);
  if (!err) err = zg_buf_append(out, proofs, proofs_len);
  return err;
}

zg_err_t zg_da_store_req_encode(zg_buf_t *out, const zg_da_header_t *h, uint64_t epoch, uint64_t quorum_id,
                                const zg_da_column_t *cols, size_t n) {
  zg_err_t err;
  if (!out || !h || (!cols && n) || n > ZG_DA_COLUMNS) return ZG_EINVAL;
  size_t rows = h->rows;
  for (size_t i = 0; i < n; i++)
    if (cols[i].cells_len != rows * ZG_DA_CELL_BYTES || cols[i].proofs_len != rows * ZG_DA_PROOF_LEN ||
        !cols[i].cells || !cols[i].proofs)
      return ZG_EBADLEN;
  err = zg_buf_reserve(out, 24 + zg_da_header_wire_len(h->rows) + n * (4 + rows * COL_BYTES));
  if (!err) err = put_be64(out, epoch);
  if (!err) err = put_be64(out, quorum_id);
  if (!err) err = zg__da_put_header(out, h);
  if (!err) err = put_be32(out, (uint32_t)n);
  for (size_t i = 0; !err && i < n; i++)
    err = zg__da_put_column(out, cols[i].index, cols[i].cells, cols[i].cells_len, cols[i].proofs, cols[i].proofs_len);
  return err;
}

/* Reads be32 hlen || header || be32 n || n framed columns from in[*pos..len). */
static zg_err_t parse_header_cols(zg_da_header_t *h, size_t *n_out, zg_da_column_t *cols, const uint8_t *in,
                                  size_t len, size_t pos, const zg_da_params_t *p) {
  zg_err_t err;
  bool seen[ZG_DA_COLUMNS] = {false};
  if (len - pos < 4) return ZG_ETRUNC;
  size_t hlen = zg_load_be32(in + pos);
  pos += 4;
  if (len - pos < hlen) return ZG_ETRUNC;
  err = zg_da_header_parse(h, in + pos, hlen, p);
  if (err) return err;
  pos += hlen;
  if (len - pos < 4) return ZG_ETRUNC;
  uint32_t n = zg_load_be32(in + pos);
  pos += 4;
  if (n > ZG_DA_COLUMNS) return ZG_ERANGE;
  size_t rows = h->rows;
  for (uint32_t i = 0; i < n; i++) {
    if (len - pos < 4) return ZG_ETRUNC;
    uint32_t idx = zg_load_be32(in + pos);
    pos += 4;
    if (idx >= ZG_DA_COLUMNS) return ZG_ERANGE;
    if (seen[idx]) return ZG_EDUPLICATE;
    seen[idx] = true;
    if ((len - pos) / COL_BYTES < rows) return ZG_ETRUNC;
    cols[i].index = idx;
    cols[i].cells = in + pos;
    cols[i].cells_len = rows * ZG_DA_CELL_BYTES;
    pos += rows * ZG_DA_CELL_BYTES;
    cols[i].proofs = in + pos;
    cols[i].proofs_len = rows * ZG_DA_PROOF_LEN;
    pos += rows * ZG_DA_PROOF_LEN;
  }
  if (pos != len) return ZG_ETRAILING;
  *n_out = n;
  return ZG_OK;
}

zg_err_t zg_da_store_req_parse(zg_da_store_req_t *r, const uint8_t *in, size_t len, const zg_da_params_t *p) {
  if (!r || (!in && len)) return ZG_EINVAL;
  memset(r, 0, sizeof *r);
  if (len < 16) return ZG_ETRUNC;
  r->epoch = zg_load_be64(in);
  r->quorum_id = zg_load_be64(in + 8);
  zg_err_t err = parse_header_cols(&r->header, &r->n, r->cols, in, len, 16, p);
  if (err) memset(r, 0, sizeof *r);
  return err;
}

zg_err_t zg_da_cells_resp_parse(zg_da_cells_resp_t *r, const uint8_t *in, size_t len, const zg_da_params_t *p) {
  if (!r || (!in && len)) return ZG_EINVAL;
  memset(r, 0, sizeof *r);
  zg_err_t err = parse_header_cols(&r->header, &r->n, r->cols, in, len, 0, p);
  if (err) memset(r, 0, sizeof *r);
  return err;
}

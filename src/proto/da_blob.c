/*
 * da_blob.c — DA blob layout, header wire form and digests (zg/da_blob.h).
 *
 * Pure functions over caller memory: nothing here allocates, parses curve
 * points or fails on data a peer controls except with a status code. The
 * byte layouts are those of the header comment in zg/da_blob.h and
 * docs/da.md; changing any of them changes every blob digest.
 */
#include "zg/da_blob.h"

#include <string.h>

#include "zg/hash.h"

static void put_be64(uint8_t *p, uint64_t v) {
  for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}
static void put_be32(uint8_t *p, uint32_t v) {
  for (int i = 3; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}
static uint64_t get_be64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}
static uint32_t get_be32(const uint8_t *p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) v = (v << 8) | p[i];
  return v;
}

uint64_t zg_da_max_blob(const zg_da_params_t *p) {
  return (p && p->max_blob) ? p->max_blob : ZG_DA_MAX_BLOB_DEFAULT;
}

uint32_t zg_da_rows_for_len(uint64_t len) {
  /* Callers bound len by the max blob first; saturate rather than wrap for
   * absurd lengths so a bad header can never look consistent. */
  if (len > ((uint64_t)1 << 40)) return UINT32_MAX;
  uint64_t rows = (8 + len + ZG_DA_ROW_PAYLOAD - 1) / ZG_DA_ROW_PAYLOAD;
  return rows ? (uint32_t)rows : 1;
}

zg_err_t zg_da_check_len(const zg_da_params_t *p, uint64_t len) {
  return len > zg_da_max_blob(p) ? ZG_ETOOBIG : ZG_OK;
}

zg_err_t zg_da_row_blob(uint8_t *out, const uint8_t *data, uint64_t len, uint32_t row) {
  if (!out || (!data && len)) return ZG_EINVAL;
  if (row >= zg_da_rows_for_len(len)) return ZG_ERANGE;
  /* The stream is be64(len) || data || zeros; row covers stream bytes
   * [row * 126976, (row + 1) * 126976). Copy the data part of each 31-byte
   * piece with one memcpy per contiguous run. */
  uint8_t hdr[8];
  put_be64(hdr, len);
  uint64_t s0 = (uint64_t)row * ZG_DA_ROW_PAYLOAD;
  for (size_t j = 0; j < ZG_DA_ROW_ELEMS; j++) {
    uint8_t *e = out + 32 * j;
    e[0] = 0;
    uint64_t s = s0 + 31 * j; /* stream offset of the piece */
    size_t k = 0;
    while (k < 31 && s + k < 8) {
      e[1 + k] = hdr[s + k];
      k++;
    }
    uint64_t d = s + k - 8; /* data offset of the next byte */
    if (k < 31 && d < len) {
      size_t n = 31 - k;
      if (len - d < n) n = (size_t)(len - d);
      memcpy(e + 1 + k, data + d, n);
      k += n;
    }
    if (k < 31) memset(e + 1 + k, 0, 31 - k);
  }
  return ZG_OK;
}

static zg_err_t header_sizes(const zg_da_header_t *h) {
  if (!h) return ZG_EINVAL;
  if (h->rate_inv != ZG_DA_RATE_INV) return ZG_EUNSUPPORTED;
  if (h->payload_len > ((uint64_t)1 << 40) || h->rows != zg_da_rows_for_len(h->payload_len)) return ZG_ECORRUPT;
  if (!h->commitments) return ZG_EINVAL;
  return ZG_OK;
}

zg_err_t zg_da_header_check(const zg_da_header_t *h, const zg_da_params_t *p) {
  zg_err_t e = header_sizes(h);
  if (e != ZG_OK) return e;
  return zg_da_check_len(p, h->payload_len);
}

size_t zg_da_header_wire_len(uint32_t rows) { return ZG_DA_HEADER_FIXED + (size_t)rows * ZG_DA_COMMITMENT_LEN; }

zg_err_t zg_da_header_encode(uint8_t *out, size_t cap, size_t *written, const zg_da_header_t *h) {
  if (written) *written = 0;
  if (!out || !written) return ZG_EINVAL;
  zg_err_t e = header_sizes(h);
  if (e != ZG_OK) return e;
  size_t n = zg_da_header_wire_len(h->rows);
  if (cap < n) return ZG_EBADLEN;
  out[0] = ZG_DA_HEADER_VERSION;
  out[1] = h->rate_inv;
  put_be64(out + 2, h->payload_len);
  put_be32(out + 10, h->rows);
  memcpy(out + ZG_DA_HEADER_FIXED, h->commitments, (size_t)h->rows * ZG_DA_COMMITMENT_LEN);
  *written = n;
  return ZG_OK;
}

zg_err_t zg_da_header_parse(zg_da_header_t *h, const uint8_t *in, size_t len, const zg_da_params_t *p) {
  if (!h) return ZG_EINVAL;
  memset(h, 0, sizeof *h);
  if (!in && len) return ZG_EINVAL;
  if (len < ZG_DA_HEADER_FIXED) return ZG_ETRUNC;
  if (in[0] != ZG_DA_HEADER_VERSION) return ZG_EUNSUPPORTED;
  zg_da_header_t t = {get_be64(in + 2), get_be32(in + 10), in[1], in + ZG_DA_HEADER_FIXED};
  if (t.rate_inv != ZG_DA_RATE_INV) return ZG_EUNSUPPORTED;
  /* Size check before the length check so a huge claimed payload is
   * reported as such, and rows is known sane before it sizes anything. */
  zg_err_t e = zg_da_check_len(p, t.payload_len);
  if (e != ZG_OK) return e;
  if (t.rows != zg_da_rows_for_len(t.payload_len)) return ZG_ECORRUPT;
  size_t want = zg_da_header_wire_len(t.rows);
  if (len < want) return ZG_ETRUNC;
  if (len > want) return ZG_ETRAILING;
  *h = t;
  return ZG_OK;
}

void zg_da_commitments_root(uint8_t out[32], const uint8_t *commitments, uint32_t rows) {
  zg_keccak256(out, commitments, (size_t)rows * ZG_DA_COMMITMENT_LEN);
}

void zg_da_blob_digest_from_root(uint8_t out[32], uint8_t rate_inv, uint64_t payload_len, uint32_t rows,
                                 const uint8_t commitments_root[32]) {
  static const char tag[] = "zg-da-blob-v1";
  uint8_t buf[sizeof tag - 1 + 1 + 8 + 4 + 32];
  size_t o = sizeof tag - 1;
  memcpy(buf, tag, o);
  buf[o++] = rate_inv;
  put_be64(buf + o, payload_len);
  o += 8;
  put_be32(buf + o, rows);
  o += 4;
  memcpy(buf + o, commitments_root, 32);
  zg_keccak256(out, buf, sizeof buf);
}

zg_err_t zg_da_blob_digest(uint8_t out[32], const zg_da_header_t *h) {
  if (!out) return ZG_EINVAL;
  memset(out, 0, 32);
  zg_err_t e = header_sizes(h);
  if (e != ZG_OK) return e;
  uint8_t root[32];
  zg_da_commitments_root(root, h->commitments, h->rows);
  zg_da_blob_digest_from_root(out, h->rate_inv, h->payload_len, h->rows, root);
  return ZG_OK;
}

void zg_da_sign_digest(uint8_t out[32], uint64_t chain_id, const uint8_t blob_digest[32], uint64_t epoch,
                       uint64_t quorum_id) {
  static const char tag[] = "zg-da-sign-v1";
  uint8_t buf[sizeof tag - 1 + 8 + 32 + 8 + 8];
  size_t o = sizeof tag - 1;
  memcpy(buf, tag, o);
  put_be64(buf + o, chain_id);
  o += 8;
  memcpy(buf + o, blob_digest, 32);
  o += 32;
  put_be64(buf + o, epoch);
  o += 8;
  put_be64(buf + o, quorum_id);
  zg_keccak256(out, buf, sizeof buf);
}

void zg_da_cert_digest(uint8_t out[32], uint64_t chain_id, const zg_da_cert_t *c) {
  static const char tag[] = "zg-da-cert-v1";
  uint8_t buf[sizeof tag - 1 + 32 + ZG_DA_BITMAP_LEN + ZG_DA_SIG_LEN];
  size_t o = sizeof tag - 1;
  memcpy(buf, tag, o);
  zg_da_sign_digest(buf + o, chain_id, c->blob_digest, c->epoch, c->quorum_id);
  o += 32;
  memcpy(buf + o, c->bitmap, ZG_DA_BITMAP_LEN);
  o += ZG_DA_BITMAP_LEN;
  memcpy(buf + o, c->sig, ZG_DA_SIG_LEN);
  zg_keccak256(out, buf, sizeof buf);
}

void zg_da_cert_encode(uint8_t out[ZG_DA_CERT_WIRE_LEN], const zg_da_cert_t *c) {
  memcpy(out, c->blob_digest, 32);
  put_be64(out + 32, c->epoch);
  put_be64(out + 40, c->quorum_id);
  memcpy(out + 48, c->bitmap, ZG_DA_BITMAP_LEN);
  memcpy(out + 48 + ZG_DA_BITMAP_LEN, c->sig, ZG_DA_SIG_LEN);
}

zg_err_t zg_da_cert_parse(zg_da_cert_t *c, const uint8_t *in, size_t len) {
  if (!c) return ZG_EINVAL;
  memset(c, 0, sizeof *c);
  if (!in && len) return ZG_EINVAL;
  if (len != ZG_DA_CERT_WIRE_LEN) return ZG_EBADLEN;
  memcpy(c->blob_digest, in, 32);
  c->epoch = get_be64(in + 32);
  c->quorum_id = get_be64(in + 40);
  memcpy(c->bitmap, in + 48, ZG_DA_BITMAP_LEN);
  memcpy(c->sig, in + 48 + ZG_DA_BITMAP_LEN, ZG_DA_SIG_LEN);
  return ZG_OK;
}

bool zg_da_bitmap_get(const uint8_t bitmap[ZG_DA_BITMAP_LEN], unsigned j) {
  return j < ZG_DA_COLUMNS && ((bitmap[j / 8] >> (j % 8)) & 1);
}

void zg_da_bitmap_set(uint8_t bitmap[ZG_DA_BITMAP_LEN], unsigned j) {
  if (j < ZG_DA_COLUMNS) bitmap[j / 8] |= (uint8_t)(1u << (j % 8));
}

unsigned zg_da_bitmap_count(const uint8_t bitmap[ZG_DA_BITMAP_LEN]) {
  unsigned n = 0;
  for (unsigned i = 0; i < ZG_DA_BITMAP_LEN; i++) n += (unsigned)__builtin_popcount(bitmap[i]);
  return n;
}

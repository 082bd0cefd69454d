/*
 * net_wire.c — the pure protocol pieces of net_internal.h: hello, key
 * schedule, AUTH, records, envelopes, gossip ids and the seen-set.
 *
 * Key schedule (docs/net.md):
 *   h    = SHA-256("zg-net/1 transcript" || u8 len(netid) || netid || eph_dialer || eph_listener)
 *   prk  = HKDF-Extract(salt = h, ikm = X25519(eph_sk, peer_eph))
 *   keys = HKDF-Expand(prk, "zg-net/1 keys", 64): dialer->listener || listener->dialer
 *   AUTH signature = Ed25519(static sk, "zg-net/1 auth" || role || h), role 'D' or 'L'.
 * The signature binds the signer's static key to both ephemeral keys of this
 * very session and to its role, so it can be neither replayed on another
 * session nor reflected back to its sender. The dialer sends its AUTH first;
 * the listener sends its own once it has accepted the dialer's (net.c).
 */
#include <stdlib.h>
#include <string.h>

#include "net/net_internal.h"
#include "zg/aead.h"
#include "zg/bytes.h"
#include "zg/hash.h"

static const char TRANSCRIPT_LABEL[] = "zg-net/1 transcript";
static const char KEYS_LABEL[] = "zg-net/1 keys";
static const char AUTH_LABEL[] = "zg-net/1 auth";

void zg__net_nettag(uint8_t tag[8], const uint8_t *netid, size_t len) {
  zg_sha256_ctx_t c;
  uint8_t d[32];
  zg_sha256_init(&c);
  zg_sha256_update(&c, "zg-net/1 network", 16);
  zg_sha256_update(&c, netid, len);
  zg_sha256_final(&c, d);
  memcpy(tag, d, 8);
}

void zg__net_hello_encode(uint8_t out[ZG__NET_HELLO_LEN], const uint8_t tag[8], const zg_x25519_pk_t *eph) {
  memcpy(out, ZG__NET_MAGIC, 4);
  memcpy(out + 4, tag, 8);
  memcpy(out + 12, eph->bytes, 32);
}

zg_err_t zg__net_hello_decode(zg__net_hello_t *h, const uint8_t *p, size_t n) {
  memset(h, 0, sizeof *h);
  if (n != ZG__NET_HELLO_LEN) return ZG_EBADLEN;
  if (memcmp(p, ZG__NET_MAGIC, 4) != 0) return ZG_EPROTO;
  memcpy(h->nettag, p + 4, 8);
  memcpy(h->eph.bytes, p + 12, 32);
  return ZG_OK;
}

void zg__net_session_clear(zg__net_session_t *s) { zg_memwipe(s, sizeof *s); }

zg_err_t zg__net_session_derive(zg__net_session_t *s, bool dialer, const zg_x25519_sk_t *eph_sk,
                                const zg_x25519_pk_t *eph_pk, const zg_x25519_pk_t *peer_eph,
                                const uint8_t *netid, size_t netid_len) {
  uint8_t dh[32], prk[32], okm[64];
  zg_err_t err = ZG_OK;
  memset(s, 0, sizeof *s);
  if (netid_len > 255) return ZG_EINVAL;
  err = zg_x25519_shared(dh, eph_sk, peer_eph);
  if (err != ZG_OK) goto out;
  const zg_x25519_pk_t *ed = dialer ? eph_pk : peer_eph, *el = dialer ? peer_eph : eph_pk;
  uint8_t nl = (uint8_t)netid_len;
  zg_sha256_ctx_t c;
  zg_sha256_init(&c);
  zg_sha256_update(&c, TRANSCRIPT_LABEL, sizeof TRANSCRIPT_LABEL - 1);
  zg_sha256_update(&c, &nl, 1);
  zg_sha256_update(&c, netid, netid_len);
  zg_sha256_update(&c, ed->bytes, 32);
  zg_sha256_update(&c, el->bytes, 32);
  zg_sha256_final(&c, s->h);
  zg_hkdf_sha256_extract(prk, s->h, 32, dh, 32);
  err = zg_hkdf_sha256_expand(okm, 64, prk, (const uint8_t *)KEYS_LABEL, sizeof KEYS_LABEL - 1);
  if (err != ZG_OK) goto out;
  memcpy(s->tx.key, dialer ? okm : okm + 32, 32);
  memcpy(s->rx.key, dialer ? okm + 32 : okm, 32);
  s->dialer = dialer;
out:
  if (err != ZG_OK) zg__net_session_clear(s);
  zg_memwipe(dh, sizeof dh);
  zg_memwipe(prk, sizeof prk);
  zg_memwipe(okm, sizeof okm);
  return err;
}

/* The signed message of a role: label || role || h. */
static void auth_message(uint8_t msg[sizeof AUTH_LABEL - 1 + 1 + 32], bool dialer, const uint8_t h[32]) {
  memcpy(msg, AUTH_LABEL, sizeof AUTH_LABEL - 1);
  msg[sizeof AUTH_LABEL - 1] = dialer ? 'D' : 'L';
  memcpy(msg + sizeof AUTH_LABEL, h, 32);
}

zg_err_t zg__net_auth_encode(uint8_t out[ZG__NET_AUTH_LEN], const zg__net_session_t *s, const zg_ed25519_sk_t *sk) {
  uint8_t msg[sizeof AUTH_LABEL - 1 + 1 + 32];
  zg_ed25519_pk_t pk;
  auth_message(msg, s->dialer, s->h);
  zg_ed25519_sk_public(&pk, sk);
  out[0] = ZG__NET_T_AUTH;
  memcpy(out + 1, pk.bytes, 32);
  return zg_ed25519_sign(out + 33, sk, msg, sizeof msg);
}

zg_err_t zg__net_auth_decode(zg_ed25519_pk_t *pk, bool *ok, const zg__net_session_t *s, const uint8_t *p, size_t n) {
  uint8_t msg[sizeof AUTH_LABEL - 1 + 1 + 32];
  *ok = false;
  memset(pk, 0, sizeof *pk);
  if (n != ZG__NET_AUTH_LEN || p[0] != ZG__NET_T_AUTH) return ZG_EPROTO;
  ZG_TRY(zg_ed25519_pk_parse(pk, p + 1, 32));
  auth_message(msg, !s->dialer, s->h);
  return zg_ed25519_verify(ok, p + 33, msg, sizeof msg, pk);
}

static void record_nonce(uint8_t nonce[12], uint64_t ctr) {
  memset(nonce, 0, 4);
  zg_store_be64(nonce + 4, ctr);
}

zg_err_t zg__net_record_seal(zg__net_cipher_t *c, uint8_t *rec, size_t ptlen) {
  uint8_t nonce[12];
  if (ptlen > UINT32_MAX - ZG__NET_TAG_LEN) return ZG_EOVERFLOW;
  zg_store_be32(rec, (uint32_t)(ptlen + ZG__NET_TAG_LEN));
  record_nonce(nonce, c->ctr);
  ZG_TRY(zg_aead_seal(rec + 4, ptlen + ZG__NET_TAG_LEN, c->key, nonce, rec, 4, rec + 4, ptlen));
  c->ctr++;
  return ZG_OK;
}

zg_err_t zg__net_record_peek(size_t *total, const uint8_t *p, size_t n, size_t max_ct) {
  *total = 0;
  if (n < ZG__NET_LEN_HDR) return ZG_OK;
  uint32_t l = zg_load_be32(p);
  if (l > max_ct) return ZG_ETOOBIG;
  if (l < ZG__NET_TAG_LEN + 1) return ZG_EPROTO;
  if (n - ZG__NET_LEN_HDR < l) return ZG_OK;
  *total = ZG__NET_LEN_HDR + (size_t)l;
  return ZG_OK;
}

zg_err_t zg__net_record_open(zg__net_cipher_t *c, uint8_t *rec, size_t total) {
  uint8_t nonce[12];
  if (total < ZG__NET_REC_OVERHEAD) return ZG_ETRUNC;
  if (zg_load_be32(rec) != total - ZG__NET_LEN_HDR) return ZG_EPROTO;
  record_nonce(nonce, c->ctr);
  ZG_TRY(zg_aead_open(rec + 4, total - ZG__NET_REC_OVERHEAD, c->key, nonce, rec, 4, rec + 4, total - 4));
  c->ctr++;
  return ZG_OK;
}

size_t zg__net_msg_hdr_len(uint8_t type) {
  switch (type) {
    case ZG__NET_T_AUTH: return 1;
    case ZG__NET_T_MSG:
    case ZG__NET_T_GOSSIP: return 2;
    case ZG__NET_T_REQ: return 10;
    case ZG__NET_T_RESP: return 12;
    case ZG__NET_T_PING:
    case ZG__NET_T_PONG: return 9;
    default: return 0;
  }
}

size_t zg__net_msg_encode_hdr(uint8_t *out, const zg__net_msg_t *m) {
  size_t n = zg__net_msg_hdr_len(m->type);
  out[0] = m->type;
  switch (m->type) {
    case ZG__NET_T_MSG:
    case ZG__NET_T_GOSSIP: out[1] = m->channel; break;
    case ZG__NET_T_REQ:
      out[1] = m->channel;
      zg_store_be64(out + 2, m->id);
      break;
    case ZG__NET_T_RESP:
      out[1] = m->channel;
      zg_store_be64(out + 2, m->id);
      out[10] = (uint8_t)(m->status >> 8);
      out[11] = (uint8_t)m->status;
      break;
    case ZG__NET_T_PING:
    case ZG__NET_T_PONG: zg_store_be64(out + 1, m->id); break;
    default: break;
  }
  return n;
}

zg_err_t zg__net_msg_decode(zg__net_msg_t *m, const uint8_t *p, size_t n) {
  memset(m, 0, sizeof *m);
  if (n < 1) return ZG_EPROTO;
  size_t hl = zg__net_msg_hdr_len(p[0]);
  if (hl == 0 || n < hl) return ZG_EPROTO;
  m->type = p[0];
  switch (m->type) {
    case ZG__NET_T_RESP:
      m->status = (uint16_t)(((unsigned)p[10] << 8) | p[11]);
      /* fall through */
    case ZG__NET_T_REQ: m->id = zg_load_be64(p + 2); /* fall through */
    case ZG__NET_T_MSG:
    case ZG__NET_T_GOSSIP:
      m->channel = p[1];
      if (m->channel == 0) return ZG_EPROTO;
      break;
    case ZG__NET_T_PING:
    case ZG__NET_T_PONG:
      m->id = zg_load_be64(p + 1);
      if (n != hl) return ZG_EPROTO;
      break;
    default: break;
  }
  m->body = p + hl;
  m->body_len = n - hl;
  return ZG_OK;
}

/* ---- gossip ---- */

void zg__net_gossip_id(uint8_t id[16], uint8_t channel, const uint8_t *data, size_t len) {
  static const uint8_t zero[16];
  zg_sha256_ctx_t c;
  uint8_t d[32];
  zg_sha256_init(&c);
  zg_sha256_update(&c, &channel, 1);
  zg_sha256_update(&c, data, len);
  zg_sha256_final(&c, d);
  memcpy(id, d, 16);
  if (memcmp(id, zero, 16) == 0) id[0] = 1;
}

zg_err_t zg__net_seen_init(zg__net_seen_t *s, size_t limit) {
  memset(s, 0, sizeof *s);
  if (limit == 0 || limit > (1u << 24)) return ZG_EINVAL;
  size_t cap = 16;
  while (cap < 2 * limit) cap *= 2;
  s->cap = cap;
  s->limit = limit;
  s->slot[0] = calloc(cap, 16);
  s->slot[1] = calloc(cap, 16);
  return s->slot[0] && s->slot[1] ? ZG_OK : ZG_ENOMEM;
}

void zg__net_seen_free(zg__net_seen_t *s) {
  free(s->slot[0]);
  free(s->slot[1]);
  memset(s, 0, sizeof *s);
}

/* Looks id up in generation g; on a miss *pos (when asked) is the free slot
 * where it would go. Tables are at most half full, so a free slot exists. */
static bool seen_in(const zg__net_seen_t *s, int g, const uint8_t id[16], size_t *pos) {
  static const uint8_t zero[16];
  size_t i = (size_t)zg_load_le64(id) & (s->cap - 1);
  for (;;) {
    if (memcmp(s->slot[g][i], id, 16) == 0) return true;
    if (memcmp(s->slot[g][i], zero, 16) == 0) {
      if (pos) *pos = i;
      return false;
    }
    i = (i + 1) & (s->cap - 1);
  }
}

bool zg__net_seen_check_add(zg__net_seen_t *s, const uint8_t id[16]) {
  size_t pos = 0;
  if (seen_in(s, 1 - s->cur, id, NULL) || seen_in(s, s->cur, id, &pos)) return true;
  if (s->count[s->cur] >= s->limit) {
    s->cur = 1 - s->cur;
    memset(s->slot[s->cur], 0, s->cap * 16);
    s->count[s->cur] = 0;
    (void)seen_in(s, s->cur, id, &pos);
  }
  memcpy(s->slot[s->cur][pos], id, 16);
  s->count[s->cur]++;
  return false;
}

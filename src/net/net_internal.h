/*
 * net_internal.h — the pure parts of the zg P2P protocol (net_wire.c): the
 * handshake messages and key schedule, the encrypted record layer and the
 * message envelope. No sockets, no allocation: the libuv code (net.c), the
 * tests, the fuzz targets and the blocking test client (net_client.c) all
 * call these on byte buffers. docs/net.md describes the wire format.
 *
 * Invariants: a record's nonce is its direction's counter, so each (key,
 * nonce) seals one record only; every decoder checks lengths before reading
 * and fails with a status (never aborts) on anything a peer can send.
 */
#ifndef ZG_NET_INTERNAL_H
#define ZG_NET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/ed25519.h"
#include "zg/err.h"

#define ZG__NET_MAGIC "ZGN1"
#define ZG__NET_HELLO_LEN 44   /* magic 4 | network tag 8 | X25519 ephemeral key 32 */
#define ZG__NET_LEN_HDR 4      /* u32 big-endian ciphertext length before each record */
#define ZG__NET_TAG_LEN 16
#define ZG__NET_REC_OVERHEAD (ZG__NET_LEN_HDR + ZG__NET_TAG_LEN)
#define ZG__NET_AUTH_LEN 97    /* type | Ed25519 key 32 | signature 64 */
#define ZG__NET_HS_MAX_CT 256  /* largest record accepted before authentication */
#define ZG__NET_MSG_MAX_HDR 12 /* largest envelope header (RESP) */

/* Envelope types (first plaintext byte of a record). */
enum {
  ZG__NET_T_AUTH = 1,   /* handshake: static key and signature (first record only) */
  ZG__NET_T_MSG = 2,    /* channel | body */
  ZG__NET_T_GOSSIP = 3, /* channel | body */
  ZG__NET_T_REQ = 4,    /* channel | id u64 | body */
  ZG__NET_T_RESP = 5,   /* channel | id u64 | status u16 | body */
  ZG__NET_T_PING = 6,   /* nonce u64 */
  ZG__NET_T_PONG = 7    /* nonce u64 */
};

/* One direction of a session: its key and next record counter. */
typedef struct {
  uint8_t key[32];
  uint64_t ctr;
} zg__net_cipher_t;

typedef struct {
  zg__net_cipher_t tx, rx;
  uint8_t h[32]; /* transcript hash: network id and both ephemeral keys */
  bool dialer;   /* this side opened the TCP connection */
} zg__net_session_t;

typedef struct {
  uint8_t nettag[8];
  zg_x25519_pk_t eph;
} zg__net_hello_t;

typedef struct {
  uint8_t type, channel;
  uint16_t status;     /* RESP only */
  uint64_t id;         /* REQ/RESP request id, PING/PONG nonce */
  const uint8_t *body; /* borrowed from the decoded buffer */
  size_t body_len;
} zg__net_msg_t;

/* The 8-byte tag of a network id sent in the hello (SHA-256, truncated). */
void zg__net_nettag(uint8_t tag[8], const uint8_t *netid, size_t len);
void zg__net_hello_encode(uint8_t out[ZG__NET_HELLO_LEN], const uint8_t tag[8], const zg_x25519_pk_t *eph);
/* ZG_EBADLEN when n != 44, ZG_EPROTO on a wrong magic. */
ZG_WARN_UNUSED zg_err_t zg__net_hello_decode(zg__net_hello_t *h, const uint8_t *p, size_t n);

/* Derives the session of one side: transcript hash and the two directional
 * keys, from our ephemeral secret and both ephemeral public keys. ZG_EBADKEY
 * when the peer's key gives an all-zero secret (small order); the session is
 * wiped on failure. Wipe a session with zg__net_session_clear. */
ZG_WARN_UNUSED zg_err_t zg__net_session_derive(zg__net_session_t *s, bool dialer, const zg_x25519_sk_t *eph_sk,
                                               const zg_x25519_pk_t *eph_pk, const zg_x25519_pk_t *peer_eph,
                                               const uint8_t *netid, size_t netid_len);
void zg__net_session_clear(zg__net_session_t *s);

/* The AUTH plaintext of this side: type, our static key, our signature over
 * the transcript and our role. */
ZG_WARN_UNUSED zg_err_t zg__net_auth_encode(uint8_t out[ZG__NET_AUTH_LEN], const zg__net_session_t *s,
                                            const zg_ed25519_sk_t *sk);
/* Checks the peer's AUTH plaintext: *pk its key, *ok whether its signature
 * holds for the peer's role. ZG_EPROTO on a wrong length or type, ZG_EBADKEY
 * on an invalid key (then *ok is false). */
ZG_WARN_UNUSED zg_err_t zg__net_auth_decode(zg_ed25519_pk_t *pk, bool *ok, const zg__net_session_t *s,
                                            const uint8_t *p, size_t n);

/* Records: u32 BE ciphertext length L | ChaCha20-Poly1305 ciphertext+tag (L
 * bytes), nonce = 0^4 || counter (u64 BE), associated data = the length.
 * _seal: rec holds ptlen + 20 bytes with the plaintext at rec + 4; seals in
 * place. ZG_EOVERFLOW when ptlen + 16 does not fit the length field. */
ZG_WARN_UNUSED zg_err_t zg__net_record_seal(zg__net_cipher_t *c, uint8_t *rec, size_t ptlen);
/* Looks at buffered stream bytes: *total = 0 when the record is not complete
 * yet, else its full size (header included). ZG_ETOOBIG when the ciphertext
 * length exceeds max_ct, ZG_EPROTO when it is below 17 (no plaintext). */
ZG_WARN_UNUSED zg_err_t zg__net_record_peek(size_t *total, const uint8_t *p, size_t n, size_t max_ct);
/* Opens a complete record of total bytes in place: the plaintext (total - 20
 * bytes) is left at rec + 4. ZG_EAUTH on a forged, damaged or replayed record
 * (the counter advances only on success), ZG_ETRUNC when total < 20. */
ZG_WARN_UNUSED zg_err_t zg__net_record_open(zg__net_cipher_t *c, uint8_t *rec, size_t total);

/* Envelope header size of a type (0 for an unknown type). */
size_t zg__net_msg_hdr_len(uint8_t type);
/* Writes the header of m (zg__net_msg_hdr_len(m->type) bytes); the body is
 * the caller's to place after it. Returns the header length. */
size_t zg__net_msg_encode_hdr(uint8_t *out, const zg__net_msg_t *m);
/* Decodes an envelope. ZG_EPROTO on an unknown type, a short header,
 * channel 0, or a body where none belongs (PING/PONG). */
ZG_WARN_UNUSED zg_err_t zg__net_msg_decode(zg__net_msg_t *m, const uint8_t *p, size_t n);

/* Gossip: the id of a message, SHA-256(channel || body) truncated to 16
 * bytes (never all-zero: that marks an empty slot of the seen-set). */
void zg__net_gossip_id(uint8_t id[16], uint8_t channel, const uint8_t *data, size_t len);

/* The gossip seen-set: two generations of open-addressing tables of ids;
 * when the current one holds `limit` ids, the older one is emptied and
 * becomes current. It thus remembers between limit and 2 * limit of the most
 * recent ids, in 2 * 16 * 2^ceil(log2(2 * limit)) bytes allocated at init. */
typedef struct {
  uint8_t (*slot[2])[16];
  size_t count[2], cap, limit;
  int cur;
} zg__net_seen_t;

/* ZG_ENOMEM (the set can still be freed), ZG_EINVAL when limit is 0 or
 * above 2^24. */
ZG_WARN_UNUSED zg_err_t zg__net_seen_init(zg__net_seen_t *s, size_t limit);
void zg__net_seen_free(zg__net_seen_t *s);
/* Returns true when id was already in the set; otherwise adds it. */
bool zg__net_seen_check_add(zg__net_seen_t *s, const uint8_t id[16]);

/*
 * A blocking client that speaks the protocol over a plain socket (the dialer
 * role), for tests, benchmarks and diagnostics: it lets a test misbehave on
 * purpose (raw bytes, oversized frames, never reading). net_client.c.
 */
typedef struct {
  int fd;
  zg__net_session_t s;
  zg_ed25519_pk_t peer_pk; /* the server's key, after the handshake */
  uint8_t *buf;            /* receive buffer (owned) */
  size_t len, cap, max_ct;
  uint8_t *pt;             /* plaintext of the last record received (owned) */
  size_t ptcap;
} zg__net_client_t;

/* Connects to host:port (numeric IPv4 or IPv6) without any handshake.
 * ZG_ECONNECT on failure. */
ZG_WARN_UNUSED zg_err_t zg__net_client_dial(zg__net_client_t *c, const char *host, uint16_t port);
/* Runs the handshake as dialer with our key sk on network netid; times out
 * after timeout_ms (ZG_ETIMEOUT). ZG_ECLOSED when the server hangs up,
 * ZG_EAUTH / ZG_EPROTO on a bad answer. */
ZG_WARN_UNUSED zg_err_t zg__net_client_handshake(zg__net_client_t *c, const zg_ed25519_sk_t *sk,
                                                 const uint8_t *netid, size_t netid_len, uint32_t timeout_ms);
/* Writes raw bytes. ZG_ECLOSED when the peer has closed. */
ZG_WARN_UNUSED zg_err_t zg__net_client_write(zg__net_client_t *c, const void *p, size_t n);
/* Seals and writes one message (header of m, then body). */
ZG_WARN_UNUSED zg_err_t zg__net_client_send(zg__net_client_t *c, const zg__net_msg_t *m, const uint8_t *body,
                                            size_t len);
/* Reads one record and decodes it into *m (body borrowed from the client's
 * buffer until the next call). ZG_ETIMEOUT, ZG_ECLOSED, ZG_EAUTH, ZG_EPROTO. */
ZG_WARN_UNUSED zg_err_t zg__net_client_recv(zg__net_client_t *c, zg__net_msg_t *m, uint32_t timeout_ms);
/* Waits until the server closes the connection: ZG_OK when it did,
 * ZG_ETIMEOUT otherwise. Discards anything received meanwhile. */
ZG_WARN_UNUSED zg_err_t zg__net_client_wait_closed(zg__net_client_t *c, uint32_t timeout_ms);
void zg__net_client_close(zg__net_client_t *c);

#endif

/*
 * net_client.c — a blocking, single-connection speaker of the zg P2P
 * protocol over a plain socket (net_internal.h). Not used by the node: it
 * exists so that tests and benchmarks can act as a peer that misbehaves on
 * purpose, and so that the handshake can be exercised without a libuv loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_internal.h"
#include "zg/bytes.h"
#include "zg/log.h"

zg_err_t zg__net_client_dial(zg__net_client_t *c, const char *host, uint16_t port) {
  struct sockaddr_storage ss;
  socklen_t sl;
  memset(c, 0, sizeof *c);
  c->fd = -1;
  c->max_ct = (16u << 20) + ZG__NET_MSG_MAX_HDR + ZG__NET_TAG_LEN;
  memset(&ss, 0, sizeof ss);
  struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
  struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
  if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons(port);
    sl = sizeof *a4;
  } else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons(port);
    sl = sizeof *a6;
  } else {
    return ZG_EINVAL;
  }
  c->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (c->fd < 0) return ZG_ECONNECT;
  if (connect(c->fd, (struct sockaddr *)&ss, sl) != 0) {
    close(c->fd);
    c->fd = -1;
    return ZG_ECONNECT;
  }
  int one = 1;
  (void)setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return ZG_OK;
}

void zg__net_client_close(zg__net_client_t *c) {
  if (c->fd >= 0) close(c->fd);
  c->fd = -1;
  free(c->buf);
  free(c->pt);
  c->buf = c->pt = NULL;
  c->ptcap = 0;
  c->len = c->cap = 0;
  zg__net_session_clear(&c->s);
}

zg_err_t zg__net_client_write(zg__net_client_t *c, const void *p, size_t n) {
  const uint8_t *b = p;
  while (n) {
    ssize_t w = send(c->fd, b, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return ZG_ECLOSED;
    b += w;
    n -= (size_t)w;
  }
  return ZG_OK;
}

/* Reads more bytes into the buffer (at least one). */
static zg_err_t fill(zg__net_client_t *c, uint32_t timeout_ms) {
  struct pollfd pf = {.fd = c->fd, .events = POLLIN};
  int r;
  do r = poll(&pf, 1, (int)timeout_ms); while (r < 0 && errno == EINTR);
  if (r == 0) return ZG_ETIMEOUT;
  if (r < 0) return ZG_EIO;
  if (c->cap - c->len < 65536) {
    size_t cap = c->cap ? c->cap * 2 : 131072;
    uint8_t *nb = realloc(c->buf, cap);
    if (!nb) return ZG_ENOMEM;
    c->buf = nb;
    c->cap = cap;
  }
  ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
  if (n <= 0) return ZG_ECLOSED;
  c->len += (size_t)n;
  return ZG_OK;
}

static zg_err_t read_exact(zg__net_client_t *c, uint8_t *out, size_t n, uint32_t timeout_ms) {
  while (c->len < n) ZG_TRY(fill(c, timeout_ms));
  memcpy(out, c->buf, n);
  memmove(c->buf, c->buf + n, c->len - n);
  c->len -= n;
  return ZG_OK;
}

/* Reads and opens one record at the start of the buffer; *consumed is its
 * size (plaintext at buf + 4). */
static zg_err_t read_record(zg__net_client_t *c, uint32_t timeout_ms, size_t *consumed) {
  size_t total;
  for (;;) {
    ZG_TRY(zg__net_record_peek(&total, c->buf, c->len, c->max_ct));
    if (total) break;
    ZG_TRY(fill(c, timeout_ms));
  }
  ZG_TRY(zg__net_record_open(&c->s.rx, c->buf, total));
  *consumed = total;
  return ZG_OK;
}

zg_err_t zg__net_client_handshake(zg__net_client_t *c, const zg_ed25519_sk_t *sk, const uint8_t *netid,
                                  size_t netid_len, uint32_t timeout_ms) {
  zg_x25519_pk_t epk;
  zg_x25519_sk_t esk;
  uint8_t hello[ZG__NET_HELLO_LEN], tag[8], rec[ZG__NET_AUTH_LEN + ZG__NET_REC_OVERHEAD];
  zg__net_hello_t h;
  zg_err_t err;
  size_t used;
  bool ok;
  ZG_TRY(zg_x25519_keypair(&epk, &esk));
  zg__net_nettag(tag, netid, netid_len);
  zg__net_hello_encode(hello, tag, &epk);
  if ((err = zg__net_client_write(c, hello, sizeof hello)) != ZG_OK) goto out;
  if ((err = read_exact(c, hello, sizeof hello, timeout_ms)) != ZG_OK) goto out;
  if ((err = zg__net_hello_decode(&h, hello, sizeof hello)) != ZG_OK) goto out;
  if ((err = zg__net_session_derive(&c->s, true, &esk, &epk, &h.eph, netid, netid_len)) != ZG_OK) goto out;
  if ((err = zg__net_auth_encode(rec + 4, &c->s, sk)) != ZG_OK) goto out;
  if ((err = zg__net_record_seal(&c->s.tx, rec, ZG__NET_AUTH_LEN)) != ZG_OK) goto out;
  if ((err = zg__net_client_write(c, rec, sizeof rec)) != ZG_OK) goto out;
  if ((err = read_record(c, timeout_ms, &used)) != ZG_OK) goto out;
  err = zg__net_auth_decode(&c->peer_pk, &ok, &c->s, c->buf + 4, used - ZG__NET_REC_OVERHEAD);
  memmove(c->buf, c->buf + used, c->len - used);
  c->len -= used;
  if (err == ZG_OK && !ok) err = ZG_EAUTH;
out:
  zg_memwipe(&esk, sizeof esk);
  return err;
}

zg_err_t zg__net_client_send(zg__net_client_t *c, const zg__net_msg_t *m, const uint8_t *body, size_t len) {
  size_t hl = zg__net_msg_hdr_len(m->type);
  uint8_t *rec = malloc(ZG__NET_REC_OVERHEAD + hl + len);
  if (!rec) return ZG_ENOMEM;
  zg__net_msg_encode_hdr(rec + 4, m);
  if (len) memcpy(rec + 4 + hl, body, len);
  zg_err_t err = zg__net_record_seal(&c->s.tx, rec, hl + len);
  if (err == ZG_OK) err = zg__net_client_write(c, rec, ZG__NET_REC_OVERHEAD + hl + len);
  free(rec);
  return err;
}

zg_err_t zg__net_client_recv(zg__net_client_t *c, zg__net_msg_t *m, uint32_t timeout_ms) {
  size_t used;
  memset(m, 0, sizeof *m);
  ZG_TRY(read_record(c, timeout_ms, &used));
  size_t pl = used - ZG__NET_REC_OVERHEAD;
  if (pl > c->ptcap) {
    uint8_t *np = realloc(c->pt, pl);
    if (!np) return ZG_ENOMEM;
    c->pt = np;
    c->ptcap = pl;
  }
  memcpy(c->pt, c->buf + 4, pl);
  memmove(c->buf, c->buf + used, c->len - used);
  c->len -= used;
  return zg__net_msg_decode(m, c->pt, pl);
}

zg_err_t zg__net_client_wait_closed(zg__net_client_t *c, uint32_t timeout_ms) {
  uint64_t end = zg_clock_ns() + (uint64_t)timeout_ms * 1000000u;
  for (;;) {
    uint64_t now = zg_clock_ns();
    if (now >= end) return ZG_ETIMEOUT;
    zg_err_t err = fill(c, (uint32_t)((end - now) / 1000000u) + 1);
    if (err == ZG_ECLOSED) return ZG_OK;
    if (err == ZG_ETIMEOUT) return ZG_ETIMEOUT;
    if (err != ZG_OK) return ZG_OK; /* reset by peer */
    c->len = 0;
  }
}

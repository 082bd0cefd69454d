/*
 * net.c — the libuv side of zg/net.h: one loop on one thread, the listener,
 * outbound dials with backoff, connections through hello -> AUTH -> open,
 * per-peer send accounting, gossip de-duplication, requests with deadlines,
 * the command queue that carries calls from other threads, app timers.
 *
 * Threads and ownership:
 * - net->mu guards the command queue, the peer table array (grown only by the
 *   net thread), and each peer's public state (up, conn_gen, queued). Other
 *   threads touch peers only under it; the net thread reads without it and
 *   writes with it.
 * - Everything else (connections, peer links, requests, seen-set, timers) is
 *   owned by the net thread; no other thread reads it.
 * - A peer's queued byte count is raised by the API call that accepts a
 *   message (so back-pressure holds across threads) and lowered when its
 *   write completes or is discarded: it returns to zero once the link idles.
 * Connections are freed in their libuv close callback only, so a connection
 * being dropped stays valid while the loop that received its bytes unwinds.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <uv.h>

#include "net/net_internal.h"
#include "zg/bytes.h"
#include "zg/log.h"
#include "zg/net.h"

#define TICK_MS 50
#define MAX_PENDING_INBOUND 64
#define READ_CHUNK 65536
#define SHRINK_ABOVE (1u << 20)
#define BATCH_MAX (256u << 10) /* records sealed in one callback are written together up to this */

typedef struct net_conn conn_t;
typedef struct net_peer peer_t;

enum { ST_CONNECTING, ST_HELLO, ST_AUTH, ST_OPEN };

struct net_peer {
  zg_net_peer_t idx;
  zg_ed25519_pk_t pk;
  bool has_addr; /* static peer: dialled, has a redial timer */
  struct sockaddr_storage addr;
  uv_timer_t redial;
  uint32_t backoff_ms;
  conn_t *conn;    /* the open link (net thread) */
  conn_t *dialing; /* our outbound attempt in progress (net thread) */
  /* under net->mu */
  bool up;
  uint64_t conn_gen;
  size_t queued;
};

struct net_conn {
  uv_tcp_t tcp;
  uv_connect_t connect_req;
  zg_net_t *net;
  peer_t *peer; /* dial target, or the authenticated peer */
  conn_t *next, *prev;
  int state;
  bool dialer, closing;
  zg_x25519_sk_t eph_sk;
  zg_x25519_pk_t eph_pk;
  zg__net_session_t s;
  zg_buf_t in;
  size_t in_off, want;
  struct wreq *batch; /* records sealed while the net is corked, not yet written */
  conn_t *flush_next;
  bool in_flush;
  uint64_t gen, started_ms, last_rx_ms, ping_ms;
};

typedef struct wreq {
  uv_write_t req;
  peer_t *peer;     /* whose queued count holds `accounted` (may be NULL) */
  size_t accounted;
  size_t len, cap;  /* bytes used / allocated in data */
  uint8_t data[];
} wreq_t;

typedef struct net_req {
  struct net_req *next;
  uint64_t id, deadline;
  zg_net_peer_t peer;
  zg_net_response_fn cb;
  void *arg;
} req_t;

struct zg_net_timer {
  uv_timer_t t;
  zg_net_t *net;
  void (*fn)(void *arg);
  void *arg;
  zg_net_timer_t *next, *prev;
};

enum { CMD_SEND, CMD_BROADCAST, CMD_GOSSIP, CMD_REQUEST, CMD_RESPOND, CMD_DROP, CMD_POST, CMD_ADDR };

typedef struct cmd {
  struct cmd *next;
  size_t cap; /* bytes allocated in data */
  int kind;
  zg_net_peer_t peer;
  uint8_t channel;
  uint16_t status;
  uint32_t timeout_ms;
  uint64_t conn_gen, id;
  size_t accounted;
  zg_net_response_fn rcb;
  void (*fn)(void *arg);
  void *arg;
  size_t len;
  uint8_t data[];
} cmd_t;

/* A few freed buffers kept for reuse: a message-sized malloc and free per
 * message made fresh pages fault in on every copy (perf: page faults were the
 * top cost of 64 KiB sends). */
#define POOL_SLOTS 16
#define POOL_MAX_CAP (1u << 20)
typedef struct {
  void *p[POOL_SLOTS];
  size_t cap[POOL_SLOTS];
  int n;
} pool_t;


struct zg_net {
  uv_loop_t loop;
  uv_tcp_t listener;
  uv_async_t wake;
  uv_timer_t tick;
  uv_thread_t thread;
  uv_mutex_t mu;
  bool listening;
  uint16_t port;
  /* Peer table: max_peers slots allocated up front (never moved); entries are
   * appended under mu and published by the store to npeers, so the net thread
   * reads the table without the lock. */
  peer_t **peers;
  _Atomic size_t npeers;
  /* under mu */
  cmd_t *q_head, *q_tail;
  bool stopping;
  /* configuration */
  zg_ed25519_sk_t sk;
  zg_ed25519_pk_t pk;
  uint8_t netid[255], nettag[8];
  size_t netid_len, max_msg, max_ct, queue_limit, max_peers;
  bool accept_unknown;
  uint32_t backoff_min, backoff_max, hs_timeout, ping_interval, idle_timeout;
  zg_net_callbacks_t cb;
  /* net thread */
  conn_t *conns;
  size_t pending_inbound;
  req_t *reqs;
  uint64_t next_req_id, rng;
  zg_net_timer_t *timers;
  zg__net_seen_t seen;
  bool shutting_down;
  int cork;        /* > 0: conn_send gathers records per link (see net_uncork) */
  pool_t wpool;    /* write buffers (net thread) */
  pool_t cpool;    /* command buffers (under mu) */
  conn_t *flush;   /* links with a batch to write */
  /* counters */
  _Atomic uint64_t bytes_in, bytes_out, msgs_in, msgs_out, handshakes, gossip_dup, sends_dropped, req_timeouts;
  _Atomic uint64_t drops[ZG_NET_DROP_COUNT];
};

static _Thread_local zg_net_t *tl_net; /* the net whose thread this is */

#define ST_ADD(net, field, n) atomic_fetch_add_explicit(&(net)->field, (uint64_t)(n), memory_order_relaxed)

static void conn_drop(conn_t *c, zg_net_drop_t reason, const char *why);
static void schedule_dial(peer_t *p);

/* ---------------------------------------------------------------- helpers */

const char *zg_net_drop_name(zg_net_drop_t reason) {
  static const char *const names[ZG_NET_DROP_COUNT] = {"closed",  "proto",     "toobig",  "auth",  "network",
                                                       "unknown", "wrongkey", "duplicate", "timeout", "local"};
  return (unsigned)reason < ZG_NET_DROP_COUNT ? names[reason] : "?";
}

static uint64_t rng_next(zg_net_t *net) {
  uint64_t x = net->rng;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return net->rng = x;
}

static void short_key(char out[17], const zg_ed25519_pk_t *pk) {
  static const char d[] = "0123456789abcdef";
  for (int i = 0; i < 8; i++) {
    out[2 * i] = d[pk->bytes[i] >> 4];
    out[2 * i + 1] = d[pk->bytes[i] & 15];
  }
  out[16] = 0;
}

/* Takes a buffer of at least need bytes from the pool, or allocates one;
 * *cap gets its size. NULL when out of memory. */
static void *pool_get(pool_t *pl, size_t need, size_t *cap) {
  for (int i = pl->n - 1; i >= 0; i--) {
    if (pl->cap[i] < need) continue;
    void *p = pl->p[i];
    *cap = pl->cap[i];
    pl->n--;
    pl->p[i] = pl->p[pl->n];
    pl->cap[i] = pl->cap[pl->n];
    return p;
  }
  *cap = need;
  return malloc(need);
}

static void pool_put(pool_t *pl, void *p, size_t cap) {
  if (!p) return;
  if (pl->n < POOL_SLOTS && cap <= POOL_MAX_CAP) {
    pl->p[pl->n] = p;
    pl->cap[pl->n++] = cap;
    return;
  }
  free(p);
}

static void pool_free(pool_t *pl) {
  while (pl->n > 0) free(pl->p[--pl->n]);
}

/* A write buffer with room for n data bytes (net thread). */
static struct wreq *wbuf_get(zg_net_t *net, size_t n) {
  size_t cap;
  struct wreq *w = pool_get(&net->wpool, sizeof(struct wreq) + n, &cap);
  if (!w) return NULL;
  w->cap = cap - sizeof(struct wreq);
  w->len = 0;
  w->accounted = 0;
  w->peer = NULL;
  return w;
}

static void wbuf_put(zg_net_t *net, struct wreq *w) {
  if (w) pool_put(&net->wpool, w, sizeof *w + w->cap);
}

static void unaccount(zg_net_t *net, peer_t *p, size_t n) {
  if (!p || n == 0) return;
  uv_mutex_lock(&net->mu);
  p->queued -= n;
  uv_mutex_unlock(&net->mu);
}

/* Reserves n bytes of p's queue unless it is over the limit (net thread). */
static bool account_if_room(zg_net_t *net, peer_t *p, size_t n) {
  bool ok;
  uv_mutex_lock(&net->mu);
  ok = p->queued == 0 || p->queued + n <= net->queue_limit;
  if (ok) p->queued += n;
  uv_mutex_unlock(&net->mu);
  return ok;
}

/* ---------------------------------------------------------------- writing */

static void on_write(uv_write_t *req, int status) {
  wreq_t *w = (wreq_t *)req;
  conn_t *c = req->handle->data;
  unaccount(c->net, w->peer, w->accounted);
  wbuf_put(c->net, w);
  if (status < 0 && status != UV_ECANCELED) conn_drop(c, ZG_NET_DROP_CLOSED, uv_strerror(status));
}

/* Queues bytes already laid out in w->data (w->len bytes). Takes w. */
static void conn_write(conn_t *c, wreq_t *w) {
  uv_buf_t b = uv_buf_init((char *)w->data, (unsigned)w->len);
  w->peer = c->peer; /* set by now whenever w->accounted is non-zero */
  if (c->closing) {
    unaccount(c->net, w->peer, w->accounted);
    wbuf_put(c->net, w);
    return;
  }
  int r = uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_write);
  if (r < 0) {
    unaccount(c->net, w->peer, w->accounted);
    wbuf_put(c->net, w);
    conn_drop(c, ZG_NET_DROP_CLOSED, uv_strerror(r));
    return;
  }
  ST_ADD(c->net, bytes_out, w->len);
}

/* Writes the link's pending batch, if any. */
static void conn_flush(conn_t *c) {
  wreq_t *w = c->batch;
  c->batch = NULL;
  if (w) conn_write(c, w);
}

/* Corking: while the net thread is inside one of its callbacks (a read, the
 * command queue, the tick), records for a link are sealed into one buffer
 * and written with one uv_write when the outermost callback ends; many
 * small messages then cost one system call. Records keep their order. */
static void net_cork(zg_net_t *net) { net->cork++; }

static void net_uncork(zg_net_t *net) {
  if (net->cork > 1) {
    net->cork--;
    return;
  }
  /* Still corked while flushing: a callback run by a failing write (peer
   * down) that sends joins a batch, flushed by this same loop. */
  while (net->flush) {
    conn_t *c = net->flush;
    net->flush = c->flush_next;
    c->flush_next = NULL;
    c->in_flush = false;
    conn_flush(c);
  }
  net->cork = 0;
}

/* Room for rl more bytes in c's batch. False when out of memory. */
static bool batch_reserve(conn_t *c, size_t rl) {
  zg_net_t *net = c->net;
  if (c->batch && c->batch->len + rl > BATCH_MAX) conn_flush(c);
  if (c->batch && c->batch->len + rl <= c->batch->cap) return true;
  size_t have = c->batch ? c->batch->len : 0, cap = c->batch ? 2 * c->batch->cap : 16384;
  while (cap < have + rl) cap *= 2;
  wreq_t *w = wbuf_get(net, cap);
  if (!w) return false;
  if (c->batch) {
    memcpy(w->data, c->batch->data, c->batch->len);
    w->len = c->batch->len;
    w->accounted = c->batch->accounted;
    wbuf_put(net, c->batch);
  } else if (!c->in_flush) {
    c->in_flush = true;
    c->flush_next = net->flush;
    net->flush = c;
  }
  c->batch = w;
  return true;
}

/* Seals one envelope (header of m, then body) as a record and writes it (or
 * adds it to the link's batch when corked); `accounted` bytes of the peer's
 * queue are released when the write completes. */
static void conn_send(conn_t *c, const zg__net_msg_t *m, const uint8_t *body, size_t len, size_t accounted) {
  zg_net_t *net = c->net;
  size_t hl = zg__net_msg_hdr_len(m->type), rl = ZG__NET_REC_OVERHEAD + hl + len;
  wreq_t *w;
  uint8_t *rec;
  bool batched = net->cork > 0 && rl <= BATCH_MAX / 4 && !c->closing;
  if (batched) {
    if (!batch_reserve(c, rl)) goto oom;
    w = c->batch;
    rec = w->data + w->len;
  } else {
    conn_flush(c); /* what was sealed before goes first */
    w = wbuf_get(net, rl);
    if (!w) goto oom;
    rec = w->data;
  }
  zg__net_msg_encode_hdr(rec + ZG__NET_LEN_HDR, m);
  if (len) memcpy(rec + ZG__NET_LEN_HDR + hl, body, len);
  if (zg__net_record_seal(&c->s.tx, rec, hl + len) != ZG_OK) {
    /* cannot happen below the length limit; the record is not counted */
    unaccount(net, c->peer, accounted);
    if (!batched) wbuf_put(net, w);
    conn_drop(c, ZG_NET_DROP_LOCAL, "seal failed");
    return;
  }
  w->len += rl;
  w->accounted += accounted;
  if (m->type != ZG__NET_T_AUTH && m->type != ZG__NET_T_PING && m->type != ZG__NET_T_PONG) ST_ADD(net, msgs_out, 1);
  if (!batched) conn_write(c, w);
  return;
oom:
  unaccount(net, c->peer, accounted);
  conn_drop(c, ZG_NET_DROP_LOCAL, "out of memory");
}

/* ---------------------------------------------------------------- requests */

static void req_complete(zg_net_t *net, req_t *r, zg_err_t err, const uint8_t *data, size_t len) {
  if (err == ZG_ETIMEOUT) ST_ADD(net, req_timeouts, 1);
  r->cb(r->arg, err, data, len);
  free(r);
}

/* Completes every pending request to peer (or all when p is NULL) with err. */
static void reqs_fail(zg_net_t *net, const peer_t *p, zg_err_t err) {
  req_t *done = NULL, **pp = &net->reqs;
  while (*pp) {
    req_t *r = *pp;
    if (!p || r->peer == p->idx) {
      *pp = r->next;
      r->next = done;
      done = r;
    } else {
      pp = &r->next;
    }
  }
  while (done) {
    req_t *r = done;
    done = r->next;
    req_complete(net, r, err, NULL, 0);
  }
}

static void reqs_expire(zg_net_t *net, uint64_t now) {
  req_t *done = NULL, **pp = &net->reqs;
  while (*pp) {
    req_t *r = *pp;
    if (r->deadline <= now) {
      *pp = r->next;
      r->next = done;
      done = r;
    } else {
      pp = &r->next;
    }
  }
  while (done) {
    req_t *r = done;
    done = r->next;
    req_complete(net, r, ZG_ETIMEOUT, NULL, 0);
  }
}

static zg_err_t status_from_wire(uint16_t s) {
  if (s == 0) return ZG_OK;
  if (strcmp(zg_errname((zg_err_t)s), "ZG_E?") == 0) return ZG_EPROTO;
  return (zg_err_t)s;
}

/* ---------------------------------------------------------------- connections */

static void on_conn_closed(uv_handle_t *h) {
  conn_t *c = h->data;
  zg_net_t *net = c->net;
  if (c->prev) c->prev->next = c->next; else net->conns = c->next;
  if (c->next) c->next->prev = c->prev;
  if (c->batch) { /* flushed before the loop turns; kept for safety */
    unaccount(net, c->peer, c->batch->accounted);
    wbuf_put(net, c->batch);
  }
  zg_buf_clear(&c->in);
  zg__net_session_clear(&c->s);
  zg_memwipe(&c->eph_sk, sizeof c->eph_sk);
  free(c);
}

static conn_t *conn_new(zg_net_t *net) {
  conn_t *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  if (uv_tcp_init(&net->loop, &c->tcp) != 0) {
    free(c);
    return NULL;
  }
  c->net = net;
  c->tcp.data = c;
  c->connect_req.data = c;
  zg_buf_init(&c->in);
  c->next = net->conns;
  if (net->conns) net->conns->prev = c;
  net->conns = c;
  c->started_ms = uv_now(&net->loop);
  return c;
}

static void conn_drop(conn_t *c, zg_net_drop_t reason, const char *why) {
  zg_net_t *net = c->net;
  peer_t *p = c->peer;
  char who[17] = "inbound";
  if (c->closing) return;
  c->closing = true;
  if (p) short_key(who, &p->pk);
  if (reason == ZG_NET_DROP_CLOSED || reason == ZG_NET_DROP_DUPLICATE || reason == ZG_NET_DROP_LOCAL)
    zg_logd("net", "link %s dropped: %s (%s)", who, zg_net_drop_name(reason), why);
  else
    zg_logw("net", "link %s dropped: %s (%s)", who, zg_net_drop_name(reason), why);
  ST_ADD(net, drops[reason], 1);
  if (!c->dialer && c->state != ST_OPEN) net->pending_inbound--;
  /* Callbacks first, then the socket: when the peer sees the link close, this
   * side has already reported it. */
  if (p && p->dialing == c) p->dialing = NULL;
  if (p && p->conn == c) {
    p->conn = NULL;
    uv_mutex_lock(&net->mu);
    p->up = false;
    uv_mutex_unlock(&net->mu);
    reqs_fail(net, p, ZG_ECLOSED);
    if (net->cb.on_peer) net->cb.on_peer(net->cb.arg, p->idx, false);
  }
  uv_read_stop((uv_stream_t *)&c->tcp);
  uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
  if (p) schedule_dial(p);
}

/* The link authenticated as p: resolve a duplicate, then bring p up. */
static void conn_open(conn_t *c, peer_t *p) {
  zg_net_t *net = c->net;
  if (p->dialing == c) p->dialing = NULL;
  if (!c->dialer) net->pending_inbound--;
  c->peer = p;
  c->state = ST_OPEN;
  c->last_rx_ms = c->ping_ms = uv_now(&net->loop);
  if (p->conn) {
    conn_t *old = p->conn;
    /* Keep the link dialled by the smaller key: both ends decide alike. When
     * the same side dialled both, it gave up on the old one: keep the new. */
    bool keep_new = true;
    if (old->dialer != c->dialer) {
      const zg_ed25519_pk_t *dn = c->dialer ? &net->pk : &p->pk, *dold = old->dialer ? &net->pk : &p->pk;
      keep_new = memcmp(dn->bytes, dold->bytes, 32) < 0;
    }
    if (!keep_new) {
      conn_drop(c, ZG_NET_DROP_DUPLICATE, "already linked");
      return;
    }
    conn_drop(old, ZG_NET_DROP_DUPLICATE, "replaced by a newer link");
    if (c->closing) return; /* a callback dropped this peer meanwhile */
  }
  p->conn = c;
  p->backoff_ms = net->backoff_min;
  uv_mutex_lock(&net->mu);
  p->up = true;
  c->gen = ++p->conn_gen;
  uv_mutex_unlock(&net->mu);
  ST_ADD(net, handshakes, 1);
  char who[17];
  short_key(who, &p->pk);
  zg_logd("net", "link %s up (%s)", who, c->dialer ? "dialled" : "accepted");
  if (net->cb.on_peer) net->cb.on_peer(net->cb.arg, p->idx, true);
}

/* Finds a peer by key (net thread, or any thread holding mu). */
static peer_t *peer_lookup(zg_net_t *net, const zg_ed25519_pk_t *pk) {
  for (size_t i = 0; i < net->npeers; i++)
    if (memcmp(net->peers[i]->pk.bytes, pk->bytes, 32) == 0) return net->peers[i];
  return NULL;
}

/* Appends a peer (without address) for key pk; the caller holds mu and has
 * checked that pk is not in the table. NULL when full or out of memory. */
static peer_t *peer_append_locked(zg_net_t *net, const zg_ed25519_pk_t *pk) {
  size_t n = net->npeers;
  if (n >= net->max_peers) return NULL;
  peer_t *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->pk = *pk;
  p->backoff_ms = net->backoff_min;
  p->idx = (zg_net_peer_t)n;
  net->peers[n] = p;
  net->npeers = n + 1; /* publishes the entry */
  return p;
}

/* Appends an accepted unknown peer (net thread). NULL when full. */
static peer_t *peer_add_unknown(zg_net_t *net, const zg_ed25519_pk_t *pk) {
  uv_mutex_lock(&net->mu);
  peer_t *p = peer_lookup(net, pk); /* added by zg_net_add_peer meanwhile? */
  if (!p) p = peer_append_locked(net, pk);
  uv_mutex_unlock(&net->mu);
  return p;
}

/* Sends our AUTH record. */
static void send_auth(conn_t *c) {
  uint8_t auth[ZG__NET_AUTH_LEN];
  if (zg__net_auth_encode(auth, &c->s, &c->net->sk) != ZG_OK) {
    conn_drop(c, ZG_NET_DROP_LOCAL, "signing failed");
    return;
  }
  zg__net_msg_t m = {.type = ZG__NET_T_AUTH};
  conn_send(c, &m, auth + 1, ZG__NET_AUTH_LEN - 1, 0);
}

/* The peer's hello: check the network, derive the session keys. The dialer
 * then authenticates first; the listener answers only once it has checked
 * the dialer (so a refused dialer never sees the listener as up, and the
 * listener's identity is not shown to peers it refuses). */
static void handle_hello(conn_t *c, const uint8_t *p) {
  zg_net_t *net = c->net;
  zg__net_hello_t h;
  if (zg__net_hello_decode(&h, p, ZG__NET_HELLO_LEN) != ZG_OK) {
    conn_drop(c, ZG_NET_DROP_PROTO, "bad hello");
    return;
  }
  if (memcmp(h.nettag, net->nettag, 8) != 0) {
    conn_drop(c, ZG_NET_DROP_NETWORK, "other network id");
    return;
  }
  zg_err_t err = zg__net_session_derive(&c->s, c->dialer, &c->eph_sk, &c->eph_pk, &h.eph, net->netid, net->netid_len);
  zg_memwipe(&c->eph_sk, sizeof c->eph_sk);
  if (err != ZG_OK) {
    conn_drop(c, ZG_NET_DROP_PROTO, "bad ephemeral key");
    return;
  }
  c->state = ST_AUTH;
  if (c->dialer) send_auth(c);
}

static void handle_auth(conn_t *c, const uint8_t *pt, size_t n) {
  zg_net_t *net = c->net;
  zg_ed25519_pk_t pk;
  bool ok = false;
  zg_err_t err = zg__net_auth_decode(&pk, &ok, &c->s, pt, n);
  if (err != ZG_OK) {
    conn_drop(c, err == ZG_EPROTO ? ZG_NET_DROP_PROTO : ZG_NET_DROP_AUTH, "bad auth message");
    return;
  }
  if (!ok) {
    conn_drop(c, ZG_NET_DROP_AUTH, "bad handshake signature");
    return;
  }
  if (memcmp(pk.bytes, net->pk.bytes, 32) == 0) {
    conn_drop(c, ZG_NET_DROP_WRONGKEY, "connected to itself");
    return;
  }
  if (c->dialer) {
    if (memcmp(pk.bytes, c->peer->pk.bytes, 32) != 0) {
      conn_drop(c, ZG_NET_DROP_WRONGKEY, "dialled peer has another key");
      return;
    }
    conn_open(c, c->peer);
    return;
  }
  peer_t *p = peer_lookup(net, &pk);
  if (!p && net->accept_unknown) p = peer_add_unknown(net, &pk);
  if (!p) {
    conn_drop(c, ZG_NET_DROP_UNKNOWN, net->accept_unknown ? "peer table full" : "unknown peer key");
    return;
  }
  send_auth(c);
  if (!c->closing) conn_open(c, p);
}

/* Sends to every open link but `except`, skipping full queues. */
static void fan_out(zg_net_t *net, const peer_t *except, const zg__net_msg_t *m, const uint8_t *data, size_t len) {
  for (size_t i = 0; i < net->npeers; i++) {
    peer_t *p = net->peers[i];
    if (p == except || !p->conn || p->conn->closing) continue;
    if (!account_if_room(net, p, len)) {
      ST_ADD(net, sends_dropped, 1);
      continue;
    }
    conn_send(p->conn, m, data, len, len);
  }
}

static void do_gossip(zg_net_t *net, const peer_t *from, uint8_t channel, const uint8_t *data, size_t len) {
  uint8_t id[16];
  zg__net_gossip_id(id, channel, data, len);
  if (zg__net_seen_check_add(&net->seen, id)) {
    ST_ADD(net, gossip_dup, 1);
    return;
  }
  if (from && net->cb.on_message) net->cb.on_message(net->cb.arg, from->idx, channel, data, len);
  zg__net_msg_t m = {.type = ZG__NET_T_GOSSIP, .channel = channel};
  fan_out(net, from, &m, data, len);
}

static void do_respond(zg_net_t *net, peer_t *p, uint8_t channel, uint64_t gen, uint64_t id, uint16_t status,
                       const uint8_t *data, size_t len, size_t accounted) {
  if (!p->conn || p->conn->closing || p->conn->gen != gen) {
    unaccount(net, p, accounted);
    return;
  }
  zg__net_msg_t m = {.type = ZG__NET_T_RESP, .channel = channel, .id = id, .status = status};
  conn_send(p->conn, &m, data, len, accounted);
}

/* One authenticated record of an open link. */
static void handle_message(conn_t *c, const uint8_t *pt, size_t n) {
  zg_net_t *net = c->net;
  peer_t *p = c->peer;
  zg__net_msg_t m;
  if (zg__net_msg_decode(&m, pt, n) != ZG_OK || m.type == ZG__NET_T_AUTH) {
    conn_drop(c, ZG_NET_DROP_PROTO, "malformed message");
    return;
  }
  if (m.body_len > net->max_msg) {
    conn_drop(c, ZG_NET_DROP_TOOBIG, "message over the limit");
    return;
  }
  if (m.type != ZG__NET_T_PING && m.type != ZG__NET_T_PONG) ST_ADD(net, msgs_in, 1);
  switch (m.type) {
    case ZG__NET_T_MSG:
      if (net->cb.on_message) net->cb.on_message(net->cb.arg, p->idx, m.channel, m.body, m.body_len);
      break;
    case ZG__NET_T_GOSSIP: do_gossip(net, p, m.channel, m.body, m.body_len); break;
    case ZG__NET_T_REQ: {
      zg_net_responder_t r = {.peer = p->idx, .channel = m.channel, .conn = c->gen, .id = m.id};
      if (net->cb.on_request) {
        net->cb.on_request(net->cb.arg, r, m.body, m.body_len);
      } else {
        do_respond(net, p, m.channel, c->gen, m.id, ZG_EUNSUPPORTED, NULL, 0, 0);
      }
      break;
    }
    case ZG__NET_T_RESP: {
      req_t **pp = &net->reqs;
      while (*pp && !((*pp)->id == m.id && (*pp)->peer == p->idx)) pp = &(*pp)->next;
      if (*pp) { /* a late answer to a request that timed out is ignored */
        req_t *r = *pp;
        *pp = r->next;
        req_complete(net, r, status_from_wire(m.status), m.body, m.body_len);
      }
      break;
    }
    case ZG__NET_T_PING: {
      zg__net_msg_t pong = {.type = ZG__NET_T_PONG, .id = m.id};
      conn_send(c, &pong, NULL, 0, 0);
      break;
    }
    default: break; /* PONG: its arrival already refreshed last_rx */
  }
}

/* Consumes the complete hello and records buffered in c->in. */
static void conn_process(conn_t *c) {
  zg_net_t *net = c->net;
  while (!c->closing) {
    uint8_t *p = c->in.ptr + c->in_off;
    size_t n = c->in.len - c->in_off, total;
    c->want = 0;
    if (c->state == ST_HELLO) {
      if (n < ZG__NET_HELLO_LEN) break;
      c->in_off += ZG__NET_HELLO_LEN;
      handle_hello(c, p);
      continue;
    }
    zg_err_t err = zg__net_record_peek(&total, p, n, c->state == ST_OPEN ? net->max_ct : ZG__NET_HS_MAX_CT);
    if (err != ZG_OK) {
      conn_drop(c, err == ZG_ETOOBIG ? ZG_NET_DROP_TOOBIG : ZG_NET_DROP_PROTO,
                err == ZG_ETOOBIG ? "frame over the limit" : "empty frame");
      break;
    }
    if (total == 0) {
      if (n >= ZG__NET_LEN_HDR) c->want = ZG__NET_LEN_HDR + zg_load_be32(p);
      break;
    }
    if (zg__net_record_open(&c->s.rx, p, total) != ZG_OK) {
      conn_drop(c, ZG_NET_DROP_AUTH, "record fails authentication");
      break;
    }
    c->in_off += total;
    c->last_rx_ms = uv_now(&net->loop);
    if (c->state == ST_AUTH)
      handle_auth(c, p + ZG__NET_LEN_HDR, total - ZG__NET_REC_OVERHEAD);
    else
      handle_message(c, p + ZG__NET_LEN_HDR, total - ZG__NET_REC_OVERHEAD);
  }
  if (c->in_off == c->in.len) {
    c->in.len = c->in_off = 0;
    if (c->in.cap > SHRINK_ABOVE && !c->closing) zg_buf_clear(&c->in);
  }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  conn_t *c = h->data;
  size_t need = READ_CHUNK;
  if (c->in_off > 0) {
    memmove(c->in.ptr, c->in.ptr + c->in_off, c->in.len - c->in_off);
    c->in.len -= c->in_off;
    c->in_off = 0;
  }
  if (c->want > c->in.len && c->want - c->in.len > need) need = c->want - c->in.len;
  if (zg_buf_reserve(&c->in, need) != ZG_OK) {
    *buf = uv_buf_init(NULL, 0);
    return;
  }
  *buf = uv_buf_init((char *)c->in.ptr + c->in.len, (unsigned)(c->in.cap - c->in.len));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  conn_t *c = s->data;
  if (c->closing) return;
  if (nread < 0) {
    conn_drop(c, nread == UV_ENOBUFS ? ZG_NET_DROP_LOCAL : ZG_NET_DROP_CLOSED,
              nread == UV_EOF ? "end of stream" : uv_strerror((int)nread));
    return;
  }
  if (nread == 0) return;
  c->in.len += (size_t)nread;
  ST_ADD(c->net, bytes_in, nread);
  net_cork(c->net);
  conn_process(c);
  net_uncork(c->net);
}

/* TCP is up: send our hello, start reading. */
static void conn_start(conn_t *c) {
  zg_net_t *net = c->net;
  wreq_t *w = wbuf_get(net, ZG__NET_HELLO_LEN);
  c->state = ST_HELLO;
  c->started_ms = uv_now(&net->loop);
  if (!w || zg_x25519_keypair(&c->eph_pk, &c->eph_sk) != ZG_OK) {
    wbuf_put(net, w);
    conn_drop(c, ZG_NET_DROP_LOCAL, "no memory or randomness");
    return;
  }
  uv_tcp_nodelay(&c->tcp, 1);
  w->len = ZG__NET_HELLO_LEN;
  zg__net_hello_encode(w->data, net->nettag, &c->eph_pk);
  conn_write(c, w);
  if (!c->closing && uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0)
    conn_drop(c, ZG_NET_DROP_CLOSED, "cannot read");
}

static void on_connect(uv_connect_t *req, int status) {
  conn_t *c = req->data;
  if (status == UV_ECANCELED || c->closing) return;
  if (status < 0) {
    conn_drop(c, ZG_NET_DROP_CLOSED, uv_strerror(status));
    return;
  }
  conn_start(c);
}

static void dial(peer_t *p, zg_net_t *net) {
  conn_t *c = conn_new(net);
  if (!c) {
    schedule_dial(p);
    return;
  }
  c->dialer = true;
  c->peer = p;
  c->state = ST_CONNECTING;
  p->dialing = c;
  int r = uv_tcp_connect(&c->connect_req, &c->tcp, (const struct sockaddr *)&p->addr, on_connect);
  if (r < 0) conn_drop(c, ZG_NET_DROP_CLOSED, uv_strerror(r));
}

static void on_redial(uv_timer_t *t) {
  peer_t *p = t->data;
  zg_net_t *net = t->loop->data;
  if (!net->shutting_down && !p->conn && !p->dialing) dial(p, net);
}

static void schedule_dial(peer_t *p) {
  zg_net_t *net = tl_net;
  if (!p->has_addr || !net || net->shutting_down || p->conn || p->dialing) return;
  if (uv_is_active((uv_handle_t *)&p->redial)) return;
  uint64_t delay = p->backoff_ms + rng_next(net) % (p->backoff_ms / 2 + 1);
  p->backoff_ms = p->backoff_ms >= net->backoff_max / 2 ? net->backoff_max : 2 * p->backoff_ms;
  uv_timer_start(&p->redial, on_redial, delay, 0);
}

static void on_connection(uv_stream_t *server, int status) {
  zg_net_t *net = server->data;
  if (status < 0 || net->shutting_down) return;
  conn_t *c = conn_new(net);
  if (!c) return;
  c->closing = true; /* until accepted: a failed accept closes it quietly */
  if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 || net->pending_inbound >= MAX_PENDING_INBOUND) {
    uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
    return;
  }
  c->closing = false;
  net->pending_inbound++;
  conn_start(c);
}

/* ---------------------------------------------------------------- tick */

static void on_tick(uv_timer_t *t) {
  zg_net_t *net = t->data;
  uint64_t now = uv_now(&net->loop);
  net_cork(net);
  for (conn_t *c = net->conns; c; c = c->next) {
    if (c->closing) continue;
    if (c->state != ST_OPEN) {
      if (now - c->started_ms > net->hs_timeout)
        conn_drop(c, ZG_NET_DROP_TIMEOUT, "handshake timeout");
      continue;
    }
    uint64_t idle = now - c->last_rx_ms;
    if (idle > net->idle_timeout) {
      conn_drop(c, ZG_NET_DROP_TIMEOUT, "idle timeout");
    } else if (idle > net->ping_interval && now - c->ping_ms > net->ping_interval) {
      zg__net_msg_t m = {.type = ZG__NET_T_PING, .id = now};
      c->ping_ms = now;
      conn_send(c, &m, NULL, 0, 0);
    }
  }
  reqs_expire(net, now);
  net_uncork(net);
}

/* ---------------------------------------------------------------- commands */

/* Carries out one command on the net thread; data is borrowed. */
static void exec_cmd(zg_net_t *net, const cmd_t *k, const uint8_t *data) {
  peer_t *p = k->kind == CMD_SEND || k->kind == CMD_REQUEST || k->kind == CMD_RESPOND || k->kind == CMD_DROP
                  ? net->peers[k->peer]
                  : NULL;
  switch (k->kind) {
    case CMD_SEND: {
      zg__net_msg_t m = {.type = ZG__NET_T_MSG, .channel = k->channel};
      if (p->conn && !p->conn->closing) conn_send(p->conn, &m, data, k->len, k->accounted);
      else unaccount(net, p, k->accounted);
      break;
    }
    case CMD_BROADCAST: {
      zg__net_msg_t m = {.type = ZG__NET_T_MSG, .channel = k->channel};
      fan_out(net, NULL, &m, data, k->len);
      break;
    }
    case CMD_GOSSIP: do_gossip(net, NULL, k->channel, data, k->len); break;
    case CMD_REQUEST: {
      req_t *r = malloc(sizeof *r);
      if (!r || !p->conn || p->conn->closing) {
        unaccount(net, p, k->accounted);
        free(r);
        k->rcb(k->arg, ZG_ECLOSED, NULL, 0);
        break;
      }
      r->id = ++net->next_req_id;
      r->deadline = uv_now(&net->loop) + k->timeout_ms;
      r->peer = p->idx;
      r->cb = k->rcb;
      r->arg = k->arg;
      r->next = net->reqs;
      net->reqs = r;
      zg__net_msg_t m = {.type = ZG__NET_T_REQ, .channel = k->channel, .id = r->id};
      conn_send(p->conn, &m, data, k->len, k->accounted);
      break;
    }
    case CMD_RESPOND:
      do_respond(net, p, k->channel, k->conn_gen, k->id, k->status, data, k->len, k->accounted);
      break;
    case CMD_DROP:
      if (p->conn) conn_drop(p->conn, ZG_NET_DROP_LOCAL, "dropped by the application");
      if (p->dialing) conn_drop(p->dialing, ZG_NET_DROP_LOCAL, "dropped by the application");
      break;
    case CMD_POST: k->fn(k->arg); break;
    case CMD_ADDR:
      p = net->peers[k->peer];
      if (p->has_addr || net->shutting_down || uv_timer_init(&net->loop, &p->redial) != 0) break;
      memcpy(&p->addr, data, sizeof p->addr);
      p->redial.data = p;
      p->has_addr = true;
      if (!p->conn && !p->dialing) uv_timer_start(&p->redial, on_redial, 0, 0);
      break;
    default: break;
  }
}

static void drain_queue(zg_net_t *net) {
  for (;;) {
    uv_mutex_lock(&net->mu);
    cmd_t *k = net->q_head;
    net->q_head = net->q_tail = NULL;
    uv_mutex_unlock(&net->mu);
    if (!k) return;
    net_cork(net);
    while (k) {
      cmd_t *next = k->next;
      exec_cmd(net, k, k->data);
      uv_mutex_lock(&net->mu);
      pool_put(&net->cpool, k, sizeof *k + k->cap);
      uv_mutex_unlock(&net->mu);
      k = next;
    }
    net_uncork(net);
  }
}

static void close_quietly(uv_handle_t *h) {
  if (!uv_is_closing(h)) uv_close(h, NULL);
}

static void on_timer_closed(uv_handle_t *h) { free(h->data); }

static void shutdown_loop(zg_net_t *net) {
  net->shutting_down = true;
  for (conn_t *c = net->conns; c; c = c->next) conn_drop(c, ZG_NET_DROP_LOCAL, "shutting down");
  reqs_fail(net, NULL, ZG_ECLOSED);
  while (net->timers) zg_net_timer_destroy(net->timers);
  for (size_t i = 0; i < net->npeers; i++)
    if (net->peers[i]->has_addr) close_quietly((uv_handle_t *)&net->peers[i]->redial);
  if (net->listening) close_quietly((uv_handle_t *)&net->listener);
  close_quietly((uv_handle_t *)&net->tick);
  close_quietly((uv_handle_t *)&net->wake);
}

static void on_wake(uv_async_t *a) {
  zg_net_t *net = a->data;
  drain_queue(net);
  uv_mutex_lock(&net->mu);
  bool stop = net->stopping;
  uv_mutex_unlock(&net->mu);
  if (stop && !net->shutting_down) {
    drain_queue(net);
    shutdown_loop(net);
  }
}

static void net_thread(void *arg) {
  zg_net_t *net = arg;
  tl_net = net;
  uv_run(&net->loop, UV_RUN_DEFAULT);
  tl_net = NULL;
}

/* Queues a command (or runs it at once on the net thread). The caller has
 * checked the arguments; `account` bytes are reserved on the peer. */
static zg_err_t submit(zg_net_t *net, cmd_t *proto, const uint8_t *data, size_t len, bool need_up, bool account,
                       uint64_t gen) {
  peer_t *p = NULL;
  uv_mutex_lock(&net->mu);
  if (net->stopping) goto closed;
  if (need_up) {
    if (proto->peer >= net->npeers) {
      uv_mutex_unlock(&net->mu);
      return ZG_EINVAL;
    }
    p = net->peers[proto->peer];
    if (!p->up || (gen && p->conn_gen != gen)) goto closed;
    if (account) {
      if (p->queued > 0 && p->queued + len > net->queue_limit) {
        uv_mutex_unlock(&net->mu);
        return ZG_EAGAIN;
      }
      p->queued += len;
      proto->accounted = len;
    }
  }
  uv_mutex_unlock(&net->mu);
  if (tl_net == net) {
    proto->len = len;
    net_cork(net);
    exec_cmd(net, proto, data);
    net_uncork(net);
    return ZG_OK;
  }
  size_t cap;
  uv_mutex_lock(&net->mu);
  cmd_t *k = pool_get(&net->cpool, sizeof *k + len, &cap);
  uv_mutex_unlock(&net->mu);
  if (!k) {
    unaccount(net, p, proto->accounted);
    return ZG_ENOMEM;
  }
  *k = *proto;
  k->next = NULL;
  k->cap = cap - sizeof *k;
  k->len = len;
  if (len) memcpy(k->data, data, len);
  uv_mutex_lock(&net->mu);
  if (net->stopping) { /* destroy began meanwhile: the queue may be drained already */
    uv_mutex_unlock(&net->mu);
    unaccount(net, p, k->accounted);
    free(k);
    return ZG_ECLOSED;
  }
  if (net->q_tail) net->q_tail->next = k; else net->q_head = k;
  net->q_tail = k;
  uv_mutex_unlock(&net->mu);
  uv_async_send(&net->wake);
  return ZG_OK;
closed:
  uv_mutex_unlock(&net->mu);
  return ZG_ECLOSED;
}

/* ---------------------------------------------------------------- public API */

void zg_net_config_default(zg_net_config_t *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->max_peers = 256;
  cfg->max_msg = ZG_NET_DEFAULT_MAX_MSG;
  cfg->send_queue_limit = 64u << 20;
  cfg->backoff_min_ms = 100;
  cfg->backoff_max_ms = 10000;
  cfg->handshake_timeout_ms = 5000;
  cfg->ping_interval_ms = 5000;
  cfg->idle_timeout_ms = 30000;
  cfg->gossip_seen = 65536;
}

static zg_err_t split_host_port(char *host, size_t hostcap, uint16_t *port, const char *s, size_t n) {
  const char *colon = NULL;
  for (size_t i = n; i > 0; i--)
    if (s[i - 1] == ':') {
      colon = s + i - 1;
      break;
    }
  if (!colon) return ZG_ECONFIG;
  size_t hl = (size_t)(colon - s);
  const char *h = s;
  if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
    h++;
    hl -= 2;
  }
  if (hl == 0 || hl >= hostcap) return ZG_ECONFIG;
  memcpy(host, h, hl);
  host[hl] = 0;
  const char *ps = colon + 1;
  size_t pl = n - (size_t)(ps - s);
  if (pl == 0 || pl > 5) return ZG_ECONFIG;
  unsigned v = 0;
  for (size_t i = 0; i < pl; i++) {
    if (ps[i] < '0' || ps[i] > '9') return ZG_ECONFIG;
    v = v * 10 + (unsigned)(ps[i] - '0');
  }
  if (v > 65535) return ZG_ECONFIG;
  *port = (uint16_t)v;
  return ZG_OK;
}

zg_err_t zg_net_peer_parse(zg_ed25519_pk_t *pk, char *host, size_t hostcap, uint16_t *port, const char *s) {
  if (!pk || !host || !port || !s || hostcap == 0) return ZG_EINVAL;
  memset(pk, 0, sizeof *pk);
  host[0] = 0;
  *port = 0;
  const char *at = strchr(s, '@');
  size_t kl = at ? (size_t)(at - s) : strlen(s);
  const char *k = s;
  char hex[67] = "0x";
  if (kl >= 2 && k[0] == '0' && (k[1] == 'x' || k[1] == 'X')) {
    k += 2;
    kl -= 2;
  }
  if (kl != 64) return ZG_ECONFIG;
  memcpy(hex + 2, k, 64);
  uint8_t raw[32];
  if (zg_hex_decode(raw, 32, hex, 66) != ZG_OK) return ZG_ECONFIG;
  if (at) ZG_TRY(split_host_port(host, hostcap, port, at + 1, strlen(at + 1)));
  return zg_ed25519_pk_parse(pk, raw, 32);
}

static zg_err_t resolve(struct sockaddr_storage *out, const char *host, uint16_t port) {
  struct addrinfo hints, *res = NULL;
  char ps[8];
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  snprintf(ps, sizeof ps, "%u", (unsigned)port);
  if (getaddrinfo(host, ps, &hints, &res) != 0 || !res) return ZG_ECONFIG;
  memset(out, 0, sizeof *out);
  memcpy(out, res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  return ZG_OK;
}

static void free_net(zg_net_t *net) {
  for (size_t i = 0; i < net->npeers; i++) free(net->peers[i]);
  free(net->peers);
  zg__net_seen_free(&net->seen);
  pool_free(&net->wpool);
  pool_free(&net->cpool);
  zg_ed25519_sk_clear(&net->sk);
  free(net);
}

/* Closes the embedded handles of a loop that never ran (create failed). */
static void walk_close(uv_handle_t *h, void *arg) { close_quietly(h); }

static zg_err_t create_peers(zg_net_t *net, const zg_net_config_t *cfg) {
  net->peers = calloc(net->max_peers, sizeof *net->peers);
  if (!net->peers) return ZG_ENOMEM;
  for (size_t i = 0; i < cfg->npeers; i++) {
    char host[256];
    uint16_t port;
    zg_ed25519_pk_t pk;
    if (!cfg->peers[i]) return ZG_EINVAL;
    zg_err_t err = zg_net_peer_parse(&pk, host, sizeof host, &port, cfg->peers[i]);
    if (err != ZG_OK) {
      zg_loge("net", "bad peer '%s': %s", cfg->peers[i], zg_strerror(err));
      return ZG_ECONFIG;
    }
    if (memcmp(pk.bytes, net->pk.bytes, 32) == 0) continue; /* a shared list naming this node too */
    if (peer_lookup(net, &pk)) {
      zg_loge("net", "peer '%s' is listed twice", cfg->peers[i]);
      return ZG_ECONFIG;
    }
    peer_t *p = peer_append_locked(net, &pk); /* no other thread yet */
    if (!p) return ZG_ENOMEM;
    if (host[0] == 0) continue; /* key only: accepted inbound, never dialled */
    if (resolve(&p->addr, host, port) != ZG_OK) {
      zg_loge("net", "cannot resolve peer address '%s'", cfg->peers[i]);
      return ZG_ECONFIG;
    }
    if (uv_timer_init(&net->loop, &p->redial) != 0) return ZG_ENOMEM;
    p->redial.data = p;
    p->has_addr = true;
  }
  return ZG_OK;
}

static zg_err_t create_listener(zg_net_t *net, const char *listen) {
  char host[256];
  uint16_t port;
  struct sockaddr_storage ss;
  int r, len = sizeof ss;
  ZG_TRY(split_host_port(host, sizeof host, &port, listen, strlen(listen)));
  ZG_TRY(resolve(&ss, host, port));
  if (uv_tcp_init(&net->loop, &net->listener) != 0) return ZG_ENOMEM;
  net->listener.data = net;
  net->listening = true;
  r = uv_tcp_bind(&net->listener, (const struct sockaddr *)&ss, 0);
  if (r == 0) r = uv_listen((uv_stream_t *)&net->listener, 128, on_connection);
  if (r == 0) r = uv_tcp_getsockname(&net->listener, (struct sockaddr *)&ss, &len);
  if (r != 0) {
    zg_loge("net", "cannot listen on %s: %s", listen, uv_strerror(r));
    return ZG_ECONNECT;
  }
  net->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                             : ((struct sockaddr_in *)&ss)->sin_port);
  return ZG_OK;
}

zg_err_t zg_net_create(zg_net_t **out, const zg_net_config_t *cfg) {
  zg_err_t err;
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!cfg || !cfg->sk || (cfg->network_id_len && !cfg->network_id) || cfg->network_id_len > 255 ||
      (cfg->npeers && !cfg->peers) || cfg->max_msg == 0 || cfg->max_msg > (1u << 30) || cfg->gossip_seen == 0 ||
      cfg->gossip_seen > (1u << 24) ||
      cfg->max_peers == 0 || cfg->npeers > cfg->max_peers || cfg->backoff_min_ms == 0 || cfg->backoff_max_ms < cfg->backoff_min_ms)
    return ZG_EINVAL;
  zg_net_t *net = calloc(1, sizeof *net);
  if (!net) return ZG_ENOMEM;
  net->sk = *cfg->sk;
  zg_ed25519_sk_public(&net->pk, &net->sk);
  if (cfg->network_id_len) memcpy(net->netid, cfg->network_id, cfg->network_id_len);
  net->netid_len = cfg->network_id_len;
  zg__net_nettag(net->nettag, net->netid, net->netid_len);
  net->max_msg = cfg->max_msg;
  net->max_ct = cfg->max_msg + ZG__NET_MSG_MAX_HDR + ZG__NET_TAG_LEN;
  net->queue_limit = cfg->send_queue_limit;
  net->max_peers = cfg->max_peers;
  net->accept_unknown = cfg->accept_unknown;
  net->backoff_min = cfg->backoff_min_ms;
  net->backoff_max = cfg->backoff_max_ms;
  net->hs_timeout = cfg->handshake_timeout_ms;
  net->ping_interval = cfg->ping_interval_ms;
  net->idle_timeout = cfg->idle_timeout_ms;
  net->cb = cfg->cb;
  if (zg_random_bytes(&net->rng, sizeof net->rng) != ZG_OK) net->rng = zg_clock_ns();
  net->rng |= 1;
  if (zg__net_seen_init(&net->seen, cfg->gossip_seen) != ZG_OK) {
    free_net(net);
    return ZG_ENOMEM;
  }
  if (uv_loop_init(&net->loop) != 0) {
    free_net(net);
    return ZG_ENOMEM;
  }
  net->loop.data = net;
  if (uv_mutex_init(&net->mu) != 0) {
    uv_loop_close(&net->loop);
    free_net(net);
    return ZG_ENOMEM;
  }
  err = ZG_ENOMEM;
  if (uv_async_init(&net->loop, &net->wake, on_wake) != 0) goto fail;
  net->wake.data = net;
  if (uv_timer_init(&net->loop, &net->tick) != 0) goto fail;
  net->tick.data = net;
  uv_timer_start(&net->tick, on_tick, TICK_MS, TICK_MS);
  if ((err = create_peers(net, cfg)) != ZG_OK) goto fail;
  if (cfg->listen && (err = create_listener(net, cfg->listen)) != ZG_OK) goto fail;
  for (size_t i = 0; i < net->npeers; i++)
    if (net->peers[i]->has_addr)
      uv_timer_start(&net->peers[i]->redial, on_redial, rng_next(net) % (net->backoff_min + 1), 0);
  err = ZG_ENOMEM;
  if (uv_thread_create(&net->thread, net_thread, net) != 0) goto fail;
  *out = net;
  return ZG_OK;
fail:
  uv_walk(&net->loop, walk_close, NULL);
  uv_run(&net->loop, UV_RUN_DEFAULT);
  (void)uv_loop_close(&net->loop);
  uv_mutex_destroy(&net->mu);
  free_net(net);
  return err;
}

void zg_net_destroy(zg_net_t *net) {
  if (!net) return;
  if (tl_net == net) { /* joining its own thread would hang */
    zg_loge("net", "zg_net_destroy called on the net thread; ignored");
    return;
  }
  uv_mutex_lock(&net->mu);
  net->stopping = true;
  uv_mutex_unlock(&net->mu);
  uv_async_send(&net->wake);
  uv_thread_join(&net->thread);
  uv_walk(&net->loop, walk_close, NULL); /* nothing should remain; be safe */
  uv_run(&net->loop, UV_RUN_DEFAULT);
  (void)uv_loop_close(&net->loop);
  uv_mutex_destroy(&net->mu);
  free_net(net);
}

uint16_t zg_net_listen_port(const zg_net_t *net) { return net ? net->port : 0; }

void zg_net_self(const zg_net_t *net, zg_ed25519_pk_t *pk) {
  if (net) *pk = net->pk; else memset(pk, 0, sizeof *pk);
}

zg_err_t zg_net_peer_find(zg_net_t *net, zg_net_peer_t *peer, const zg_ed25519_pk_t *pk) {
  if (!net || !peer || !pk) return ZG_EINVAL;
  uv_mutex_lock(&net->mu);
  peer_t *p = peer_lookup(net, pk);
  *peer = p ? p->idx : ZG_NET_PEER_NONE;
  uv_mutex_unlock(&net->mu);
  return p ? ZG_OK : ZG_ENOTFOUND;
}

zg_err_t zg_net_peer_key(zg_net_t *net, zg_ed25519_pk_t *pk, zg_net_peer_t peer) {
  if (!net || !pk) return ZG_EINVAL;
  zg_err_t err = ZG_ENOTFOUND;
  memset(pk, 0, sizeof *pk);
  uv_mutex_lock(&net->mu);
  if (peer < net->npeers) {
    *pk = net->peers[peer]->pk;
    err = ZG_OK;
  }
  uv_mutex_unlock(&net->mu);
  return err;
}

bool zg_net_peer_up(zg_net_t *net, zg_net_peer_t peer) {
  bool up = false;
  if (!net) return false;
  uv_mutex_lock(&net->mu);
  if (peer < net->npeers) up = net->peers[peer]->up;
  uv_mutex_unlock(&net->mu);
  return up;
}

size_t zg_net_peer_count(zg_net_t *net) {
  if (!net) return 0;
  uv_mutex_lock(&net->mu);
  size_t n = net->npeers;
  uv_mutex_unlock(&net->mu);
  return n;
}

static zg_err_t check_msg(const zg_net_t *net, uint8_t channel, const uint8_t *data, size_t len) {
  if (!net || channel == 0 || (len && !data)) return ZG_EINVAL;
  return len > net->max_msg ? ZG_ETOOBIG : ZG_OK;
}

zg_err_t zg_net_send(zg_net_t *net, zg_net_peer_t peer, uint8_t channel, const uint8_t *data, size_t len) {
  ZG_TRY(check_msg(net, channel, data, len));
  cmd_t k = {.kind = CMD_SEND, .peer = peer, .channel = channel};
  return submit(net, &k, data, len, true, true, 0);
}

zg_err_t zg_net_broadcast(zg_net_t *net, uint8_t channel, const uint8_t *data, size_t len) {
  ZG_TRY(check_msg(net, channel, data, len));
  cmd_t k = {.kind = CMD_BROADCAST, .channel = channel};
  return submit(net, &k, data, len, false, false, 0);
}

zg_err_t zg_net_gossip(zg_net_t *net, uint8_t channel, const uint8_t *data, size_t len) {
  ZG_TRY(check_msg(net, channel, data, len));
  cmd_t k = {.kind = CMD_GOSSIP, .channel = channel};
  return submit(net, &k, data, len, false, false, 0);
}

zg_err_t zg_net_request(zg_net_t *net, zg_net_peer_t peer, uint8_t channel, const uint8_t *data, size_t len,
                        uint32_t timeout_ms, zg_net_response_fn cb, void *arg) {
  ZG_TRY(check_msg(net, channel, data, len));
  if (!cb || timeout_ms == 0) return ZG_EINVAL;
  cmd_t k = {.kind = CMD_REQUEST, .peer = peer, .channel = channel, .timeout_ms = timeout_ms, .rcb = cb, .arg = arg};
  return submit(net, &k, data, len, true, true, 0);
}

zg_err_t zg_net_respond(zg_net_t *net, const zg_net_responder_t *r, zg_err_t status, const uint8_t *data,
                        size_t len) {
  if (!r) return ZG_EINVAL;
  ZG_TRY(check_msg(net, r->channel, data, len));
  if ((unsigned)status > 0xffff || r->conn == 0) return ZG_EINVAL;
  cmd_t k = {.kind = CMD_RESPOND, .peer = r->peer, .channel = r->channel, .status = (uint16_t)status,
             .conn_gen = r->conn, .id = r->id};
  return submit(net, &k, data, len, true, true, r->conn);
}

zg_err_t zg_net_add_peer(zg_net_t *net, zg_net_peer_t *peer, const char *s) {
  char host[256];
  uint16_t port;
  zg_ed25519_pk_t pk;
  struct sockaddr_storage addr;
  if (!peer) return ZG_EINVAL;
  *peer = ZG_NET_PEER_NONE;
  if (!net || !s) return ZG_EINVAL;
  ZG_TRY(zg_net_peer_parse(&pk, host, sizeof host, &port, s));
  if (memcmp(pk.bytes, net->pk.bytes, 32) == 0) return ZG_ECONFIG;
  if (host[0] && resolve(&addr, host, port) != ZG_OK) return ZG_ECONFIG;
  uv_mutex_lock(&net->mu);
  if (net->stopping) {
    uv_mutex_unlock(&net->mu);
    return ZG_ECLOSED;
  }
  peer_t *p = peer_lookup(net, &pk);
  bool existed = p != NULL;
  if (!p) p = peer_append_locked(net, &pk);
  uv_mutex_unlock(&net->mu);
  if (!p) return ZG_EFULL;
  *peer = p->idx;
  if (!host[0]) return existed ? ZG_EEXIST : ZG_OK;
  /* The net thread gives it the address (when it has none) and dials. */
  cmd_t k = {.kind = CMD_ADDR, .peer = p->idx};
  zg_err_t err = submit(net, &k, (const uint8_t *)&addr, sizeof addr, false, false, 0);
  if (err != ZG_OK) return err;
  return existed ? ZG_EEXIST : ZG_OK;
}

zg_err_t zg_net_drop_peer(zg_net_t *net, zg_net_peer_t peer) {
  if (!net) return ZG_EINVAL;
  uv_mutex_lock(&net->mu);
  bool ok = peer < net->npeers;
  uv_mutex_unlock(&net->mu);
  if (!ok) return ZG_EINVAL;
  cmd_t k = {.kind = CMD_DROP, .peer = peer};
  zg_err_t err = submit(net, &k, NULL, 0, false, false, 0);
  return err;
}

zg_err_t zg_net_post(zg_net_t *net, void (*fn)(void *arg), void *arg) {
  if (!net || !fn) return ZG_EINVAL;
  cmd_t k = {.kind = CMD_POST, .fn = fn, .arg = arg};
  return submit(net, &k, NULL, 0, false, false, 0);
}

static void on_app_timer(uv_timer_t *t) {
  zg_net_timer_t *x = t->data;
  x->fn(x->arg);
}

zg_err_t zg_net_timer_create(zg_net_t *net, zg_net_timer_t **out, void (*fn)(void *arg), void *arg) {
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!net || !fn || tl_net != net || net->shutting_down) return ZG_EINVAL;
  zg_net_timer_t *t = calloc(1, sizeof *t);
  if (!t) return ZG_ENOMEM;
  if (uv_timer_init(&net->loop, &t->t) != 0) {
    free(t);
    return ZG_ENOMEM;
  }
  t->t.data = t;
  t->net = net;
  t->fn = fn;
  t->arg = arg;
  t->next = net->timers;
  if (net->timers) net->timers->prev = t;
  net->timers = t;
  *out = t;
  return ZG_OK;
}

void zg_net_timer_start(zg_net_timer_t *t, uint64_t timeout_ms, uint64_t repeat_ms) {
  if (t) uv_timer_start(&t->t, on_app_timer, timeout_ms, repeat_ms);
}

void zg_net_timer_stop(zg_net_timer_t *t) {
  if (t) uv_timer_stop(&t->t);
}

void zg_net_timer_destroy(zg_net_timer_t *t) {
  if (!t) return;
  zg_net_t *net = t->net;
  if (t->prev) t->prev->next = t->next; else net->timers = t->next;
  if (t->next) t->next->prev = t->prev;
  uv_close((uv_handle_t *)&t->t, on_timer_closed);
}

uint64_t zg_net_now_ms(zg_net_t *net) { return uv_now(&net->loop); }

void zg_net_stats(zg_net_t *net, zg_net_stats_t *out) {
  memset(out, 0, sizeof *out);
  if (!net) return;
  uv_mutex_lock(&net->mu);
  for (size_t i = 0; i < net->npeers; i++) out->peers_up += net->peers[i]->up;
  uv_mutex_unlock(&net->mu);
#define LD(f) atomic_load_explicit(&net->f, memory_order_relaxed)
  out->bytes_in = LD(bytes_in);
  out->bytes_out = LD(bytes_out);
  out->msgs_in = LD(msgs_in);
  out->msgs_out = LD(msgs_out);
  out->handshakes = LD(handshakes);
  out->gossip_dup = LD(gossip_dup);
  out->sends_dropped = LD(sends_dropped);
  out->requests_timed_out = LD(req_timeouts);
  for (int i = 0; i < ZG_NET_DROP_COUNT; i++) out->drops[i] = LD(drops[i]);
#undef LD
}

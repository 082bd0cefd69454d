/*
 * zg/net.h — layer 3, the P2P transport: authenticated, encrypted TCP links
 * between nodes identified by Ed25519 keys; direct messages, broadcast,
 * de-duplicated gossip and request/response (docs/net.md has the wire format).
 *
 * Threading. A zg_net_t runs its own libuv loop on its own thread (the "net
 * thread"). Every callback to the application (on_message, on_request,
 * on_peer, request completions, posted functions, timers) runs on that
 * thread, one at a time, so code that lives there (the consensus engine)
 * needs no locks. The functions marked "any thread" may be called from any
 * thread, including from inside those callbacks; the timer functions are
 * net-thread only (reach them through zg_net_post from elsewhere).
 *
 * Peers. A peer is named by its 32-byte Ed25519 public key and, for speed, by
 * a small index into the peer table (zg_net_peer_t). Indexes are stable for
 * the life of the zg_net_t: the static peers of the config come first, in
 * config order (0, 1, ...; the node's own key, when listed, is skipped);
 * peers added later (zg_net_add_peer, accepted unknown inbound) are appended.
 * A peer is "up" while one authenticated connection to it is open.
 *
 * Delivery. Messages on one connection arrive in order, at most once, intact
 * or not at all; nothing is retransmitted across reconnections (the transport
 * is best-effort: protocols above it re-request what they miss). Channels are
 * 1..255 (channel 0 is reserved: a peer that uses it is dropped).
 *
 * Misbehaving peers. Any malformed, oversized or unauthenticated frame drops
 * that peer (with a logged reason and a counter in zg_net_stats_t), never the
 * node; nothing a peer sends can abort the process.
 */
#ifndef ZG_NET_H
#define ZG_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/ed25519.h"
#include "zg/err.h"

typedef struct zg_net zg_net_t;
typedef struct zg_net_timer zg_net_timer_t;
/* Index of a peer in the peer table. */
typedef uint32_t zg_net_peer_t;

#define ZG_NET_PEER_NONE UINT32_MAX
#define ZG_NET_DEFAULT_MAX_MSG (16u << 20)

/* Why a connection was dropped (zg_net_stats_t.drops[reason]). */
typedef enum {
  ZG_NET_DROP_CLOSED,    /* end of stream or socket error */
  ZG_NET_DROP_PROTO,     /* malformed handshake, frame or message */
  ZG_NET_DROP_TOOBIG,    /* frame length above the limit */
  ZG_NET_DROP_AUTH,      /* record that fails authentication, bad signature */
  ZG_NET_DROP_NETWORK,   /* peer of another network id */
  ZG_NET_DROP_UNKNOWN,   /* unknown inbound peer refused, or peer table full */
  ZG_NET_DROP_WRONGKEY,  /* dialled peer answered with another key (or our own) */
  ZG_NET_DROP_DUPLICATE, /* second connection to a peer (the other is kept) */
  ZG_NET_DROP_TIMEOUT,   /* handshake or idle timeout */
  ZG_NET_DROP_LOCAL,     /* zg_net_drop_peer or shutdown */
  ZG_NET_DROP_COUNT
} zg_net_drop_t;

/* Returns a static name for a drop reason ("proto", "toobig", ...). */
const char *zg_net_drop_name(zg_net_drop_t reason);

/* Identifies a request received by on_request so that it can be answered. A
 * plain value: copy it anywhere, answer from any thread with zg_net_respond. */
typedef struct {
  zg_net_peer_t peer;
  uint8_t channel;
  uint64_t conn; /* connection generation: a reply never crosses to a newer link */
  uint64_t id;   /* the requester's request id */
} zg_net_responder_t;

/* Application callbacks; all run on the net thread. Data pointers are borrowed
 * for the duration of the call only. */
typedef struct {
  /* A direct, broadcast or gossip message from peer on channel. */
  void (*on_message)(void *arg, zg_net_peer_t peer, uint8_t channel, const uint8_t *data, size_t len);
  /* A request; answer it exactly once with zg_net_respond (now or later, any
   * thread), or not at all and let the requester time out. When NULL, every
   * request is answered with ZG_EUNSUPPORTED. */
  void (*on_request)(void *arg, zg_net_responder_t r, const uint8_t *data, size_t len);
  /* A peer came up (first authenticated link) or went down. */
  void (*on_peer)(void *arg, zg_net_peer_t peer, bool up);
  void *arg;
} zg_net_callbacks_t;

/* Configuration. Fill with zg_net_config_default, then set the fields. Every
 * pointer is borrowed for the duration of zg_net_create only (the net copies
 * what it keeps, and never keeps the caller's secret key storage). */
typedef struct {
  /* "host:port" to listen on ("127.0.0.1:0" picks an ephemeral port, see
   * zg_net_listen_port); NULL to not listen (dial-only node). */
  const char *listen;
  /* The node's identity (Ed25519 seed || public key). */
  const zg_ed25519_sk_t *sk;
  /* Network id (e.g. the chain id as text): mixed into the handshake; peers
   * of another network are refused. At most 255 bytes. */
  const uint8_t *network_id;
  size_t network_id_len;
  /* Static peers, each "<ed25519 pk hex>@host:port" (hex with or without 0x;
   * host a name or an IPv4 literal or a bracketed IPv6 literal); the net keeps
   * dialling them with backoff. Resolved once, in zg_net_create. A bare
   * "<ed25519 pk hex>" names a known peer that is accepted but never dialled.
   * The node's own key may appear (it is skipped); a key listed twice is a
   * configuration error. */
  const char *const *peers;
  size_t npeers;
  /* Accept inbound connections from keys not in peers (default false). */
  bool accept_unknown;
  /* Peer table capacity, static peers included (default 256). */
  size_t max_peers;
  /* Largest message body, in bytes (default 16 MiB). */
  size_t max_msg;
  /* Per-peer send queue limit in bytes (default 64 MiB): zg_net_send, _request
   * and _respond return ZG_EAGAIN while a peer's queue is above it; broadcast
   * and gossip skip that peer and count it (stats.sends_dropped). */
  size_t send_queue_limit;
  /* Reconnect backoff: first delay, doubling to max, plus up to 50% jitter
   * (defaults 100 ms, 10 s). */
  uint32_t backoff_min_ms, backoff_max_ms;
  /* A connection that has not authenticated by then is dropped (5 s). */
  uint32_t handshake_timeout_ms;
  /* A ping is sent after ping_interval_ms without traffic from the peer
   * (default 5 s); the peer is dropped after idle_timeout_ms (default 30 s). */
  uint32_t ping_interval_ms, idle_timeout_ms;
  /* Gossip de-duplication: remembers between gossip_seen and 2*gossip_seen
   * recent message ids (default 65536). */
  size_t gossip_seen;
  zg_net_callbacks_t cb;
} zg_net_config_t;

/* Traffic counters (cumulative, since zg_net_create). */
typedef struct {
  uint32_t peers_up;                        /* peers with an open link now */
  uint64_t bytes_in, bytes_out;             /* TCP payload bytes */
  uint64_t msgs_in, msgs_out;               /* application messages (all kinds) */
  uint64_t handshakes;                      /* links that authenticated */
  uint64_t gossip_dup;                      /* gossip messages already seen */
  uint64_t sends_dropped;                   /* broadcast/gossip copies skipped: queue full */
  uint64_t requests_timed_out;
  uint64_t drops[ZG_NET_DROP_COUNT];        /* connections dropped, by reason */
} zg_net_stats_t;

/* Sets every field to its default (no listen address, no key, no peers). */
void zg_net_config_default(zg_net_config_t *cfg);

/* Parses "<ed25519 pk hex>@host:port" or a bare "<ed25519 pk hex>". Outputs:
 * pk, host (NUL-terminated, at most hostcap-1 characters, brackets of an IPv6
 * literal removed; empty for a bare key), port (0 for a bare key).
 * ZG_EINVAL on NULL arguments, ZG_ECONFIG on any malformed part, ZG_EBADKEY on
 * a key that is not a valid Ed25519 point. */
ZG_WARN_UNUSED zg_err_t zg_net_peer_parse(zg_ed25519_pk_t *pk, char *host, size_t hostcap, uint16_t *port,
                                          const char *s);

/* Creates a net: resolves the peers, binds the listener, starts the net thread
 * and begins dialling. Output: *out (destroy with zg_net_destroy).
 * ZG_EINVAL on missing key/arguments, ZG_ECONFIG on a bad listen address or
 * peer string, ZG_ECONNECT when the listen address cannot be bound,
 * ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_net_create(zg_net_t **out, const zg_net_config_t *cfg);

/* Stops the net thread and frees everything. Work queued before the call
 * (sends, posts) is carried out first; then every link is closed (on_peer
 * reports each one down) and every pending request completes with
 * ZG_ECLOSED; calls made by those callbacks fail with ZG_ECLOSED. Must not be
 * called from the net thread (it would be ignored, with an error logged), nor
 * race with any other call on the same net from another thread. NULL is a
 * no-op. */
void zg_net_destroy(zg_net_t *net);

/* The bound listen port (useful with port 0), or 0 when not listening. */
uint16_t zg_net_listen_port(const zg_net_t *net);
/* The node's own public key. */
void zg_net_self(const zg_net_t *net, zg_ed25519_pk_t *pk);

/* Any thread. Peer lookups: the index of a key (ZG_ENOTFOUND when not in the
 * table), the key of an index (ZG_ENOTFOUND when out of range), whether a peer
 * is up now. */
ZG_WARN_UNUSED zg_err_t zg_net_peer_find(zg_net_t *net, zg_net_peer_t *peer, const zg_ed25519_pk_t *pk);
ZG_WARN_UNUSED zg_err_t zg_net_peer_key(zg_net_t *net, zg_ed25519_pk_t *pk, zg_net_peer_t peer);
bool zg_net_peer_up(zg_net_t *net, zg_net_peer_t peer);
/* Number of entries in the peer table (up or not). */
size_t zg_net_peer_count(zg_net_t *net);

/* Any thread. Sends data (borrowed; copied before return) to one peer on
 * channel. ZG_ECLOSED when the peer is not up (or the net is stopping),
 * ZG_EAGAIN when its send queue is over the limit (back-pressure: retry
 * later), ZG_ETOOBIG above max_msg, ZG_EINVAL on channel 0 or a bad index. */
ZG_WARN_UNUSED zg_err_t zg_net_send(zg_net_t *net, zg_net_peer_t peer, uint8_t channel, const uint8_t *data,
                                    size_t len);
/* Any thread. Sends data to every peer that is up; peers over their queue
 * limit are skipped and counted. Errors as zg_net_send (never ZG_EAGAIN). */
ZG_WARN_UNUSED zg_err_t zg_net_broadcast(zg_net_t *net, uint8_t channel, const uint8_t *data, size_t len);
/* Any thread. Floods data to the whole network: every node delivers it once
 * (on_message) and forwards it once to its other peers. Messages are
 * de-duplicated by SHA-256(channel || data) against a bounded seen-set, so
 * the same bytes gossiped again while remembered go nowhere. The originator
 * does not deliver its own message. */
ZG_WARN_UNUSED zg_err_t zg_net_gossip(zg_net_t *net, uint8_t channel, const uint8_t *data, size_t len);

/* Completion of a request: err is ZG_OK with the response (borrowed for the
 * call), ZG_ETIMEOUT, ZG_ECLOSED (link lost or net destroyed), or the status
 * the responder sent (for example ZG_EUNSUPPORTED). Runs on the net thread. */
typedef void (*zg_net_response_fn)(void *arg, zg_err_t err, const uint8_t *data, size_t len);

/* Any thread. Sends a request; cb is called exactly once, on the net thread,
 * unless this function returns an error (then never). Errors as zg_net_send;
 * timeout_ms must be > 0. */
ZG_WARN_UNUSED zg_err_t zg_net_request(zg_net_t *net, zg_net_peer_t peer, uint8_t channel, const uint8_t *data,
                                       size_t len, uint32_t timeout_ms, zg_net_response_fn cb, void *arg);
/* Any thread. Answers a request received by on_request, with status ZG_OK
 * and data (borrowed, copied) or an error status (data then usually empty).
 * ZG_ECLOSED when the requester's link is gone, ZG_EAGAIN over the queue
 * limit, ZG_ETOOBIG above max_msg. */
ZG_WARN_UNUSED zg_err_t zg_net_respond(zg_net_t *net, const zg_net_responder_t *r, zg_err_t status,
                                       const uint8_t *data, size_t len);

/* Any thread. Adds a peer to the table at runtime (for example a validator
 * that joined): s as in zg_net_config_t.peers; a peer with an address is
 * dialled (with backoff) from now on. Host names are resolved on the calling
 * thread. Output *peer: its index. ZG_EEXIST when the key is already in the
 * table (*peer is its index; an address is added when it had none),
 * ZG_EFULL when the table is full, ZG_ECONFIG on a malformed string, an
 * unresolvable host or the node's own key, ZG_EBADKEY on an invalid key,
 * ZG_ECLOSED when the net is stopping. */
ZG_WARN_UNUSED zg_err_t zg_net_add_peer(zg_net_t *net, zg_net_peer_t *peer, const char *s);

/* Any thread. Closes the link to peer (reason ZG_NET_DROP_LOCAL); a static
 * peer is dialled again after the backoff. ZG_EINVAL on a bad index. */
ZG_WARN_UNUSED zg_err_t zg_net_drop_peer(zg_net_t *net, zg_net_peer_t peer);

/* Any thread. Runs fn(arg) on the net thread, in the order posted.
 * ZG_ECLOSED when the net is stopping (fn then never runs). */
ZG_WARN_UNUSED zg_err_t zg_net_post(zg_net_t *net, void (*fn)(void *arg), void *arg);

/* Net thread only. Loop timers for code that lives on the net thread.
 * _create: output *out, calling fn(arg) on expiry; the timer starts stopped.
 * _start: fires after timeout_ms, then every repeat_ms when repeat_ms > 0
 *         (restarts it when already running).
 * _stop:  no further calls until started again.
 * _destroy: stops and frees it (the memory goes on the loop's next turn).
 * Timers still alive at zg_net_destroy are freed by it. */
ZG_WARN_UNUSED zg_err_t zg_net_timer_create(zg_net_t *net, zg_net_timer_t **out, void (*fn)(void *arg), void *arg);
void zg_net_timer_start(zg_net_timer_t *t, uint64_t timeout_ms, uint64_t repeat_ms);
void zg_net_timer_stop(zg_net_timer_t *t);
void zg_net_timer_destroy(zg_net_timer_t *t);
/* Net thread only: the loop's clock in milliseconds (monotonic). */
uint64_t zg_net_now_ms(zg_net_t *net);

/* Any thread. A snapshot of the counters. */
void zg_net_stats(zg_net_t *net, zg_net_stats_t *out);

#endif

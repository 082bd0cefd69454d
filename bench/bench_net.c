/* bench_net.c — the P2P transport: one-way messages between two nodes over
 * loopback (256 B and 64 KiB bodies, sent from the bench thread through the
 * cross-thread queue, each one sealed, written, read, opened and delivered),
 * handshakes over loopback with the blocking client, and the handshake's
 * CPU cost alone. The send cases stop the clock when the last message is
 * accepted; the send queue limit is 1 MiB so that at most a few MB (queue
 * plus socket buffers) are still in flight then. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "net/net_internal.h"
#include "zg/bytes.h"
#include "zg/log.h"
#include "zg/net.h"

typedef struct {
  zg_net_t *net;
  zg_ed25519_pk_t pk;
  zg_ed25519_sk_t sk;
  _Atomic uint64_t got;
} bnode_t;

static void bn_on_message(void *arg, zg_net_peer_t peer, uint8_t ch, const uint8_t *data, size_t len) {
  bnode_t *n = arg;
  atomic_fetch_add_explicit(&n->got, 1, memory_order_relaxed);
}

/* Starts n on an ephemeral port; with `to`, it dials `to` (and knows it). */
static bool bn_start(bnode_t *n, bnode_t *to, bool accept_unknown) {
  zg_net_config_t cfg;
  char peer[160], hex[67];
  const char *peers[1] = {peer};
  if (zg_ed25519_keypair_random(&n->pk, &n->sk) != ZG_OK) return false;
  zg_net_config_default(&cfg);
  cfg.listen = "127.0.0.1:0";
  cfg.sk = &n->sk;
  cfg.network_id = (const uint8_t *)"bench";
  cfg.network_id_len = 5;
  cfg.accept_unknown = accept_unknown;
  cfg.send_queue_limit = 1u << 20;
  cfg.cb.on_message = bn_on_message;
  cfg.cb.arg = n;
  if (to) {
    zg_hex_encode(hex, to->pk.bytes, 32);
    snprintf(peer, sizeof peer, "%s@127.0.0.1:%u", hex, (unsigned)zg_net_listen_port(to->net));
    cfg.peers = peers;
    cfg.npeers = 1;
  }
  return zg_net_create(&n->net, &cfg) == ZG_OK;
}

static void bench_send(zg_bench_t *b, size_t len) {
  bnode_t a = {0}, r = {0};
  zg_log_level_t lvl = zg_log_get_level();
  zg_log_set_level(ZG_LOG_ERROR);
  uint8_t *msg = calloc(1, len);
  if (!msg || !bn_start(&r, NULL, true) || !bn_start(&a, &r, false)) {
    fprintf(stderr, "bench_net: cannot start nodes\n");
    goto out;
  }
  for (int i = 0; i < 5000 && !zg_net_peer_up(a.net, 0); i++) usleep(1000);
  uint64_t sent = 0;
  b->bytes_per_op = len;
  while (zg_bench_loop(b)) {
    zg_err_t e;
    /* queue full: sleep rather than spin, so that --cpu counts the transport */
    while ((e = zg_net_send(a.net, 0, 1, msg, len)) == ZG_EAGAIN) usleep(20);
    if (e != ZG_OK) {
      fprintf(stderr, "bench_net: send: %s\n", zg_strerror(e));
      break;
    }
    sent++;
  }
  for (int i = 0; i < 60000 && atomic_load(&r.got) < sent; i++) usleep(1000);
out:
  zg_net_destroy(a.net);
  zg_net_destroy(r.net);
  zg_ed25519_sk_clear(&a.sk);
  zg_ed25519_sk_clear(&r.sk);
  free(msg);
  zg_log_set_level(lvl);
}

ZG_BENCH(net_send_256) { bench_send(b, 256); }
ZG_BENCH(net_send_64k) { bench_send(b, 65536); }

/* One complete handshake over loopback per op: connect, hello, keys, AUTH
 * both ways, close. */
ZG_BENCH(net_handshake_tcp) {
  bnode_t srv = {0};
  zg_ed25519_pk_t pk;
  zg_ed25519_sk_t sk;
  zg_log_level_t lvl = zg_log_get_level();
  zg_log_set_level(ZG_LOG_ERROR);
  if (!bn_start(&srv, NULL, true) || zg_ed25519_keypair_random(&pk, &sk) != ZG_OK) {
    fprintf(stderr, "bench_net: cannot start node\n");
    goto out;
  }
  uint16_t port = zg_net_listen_port(srv.net);
  while (zg_bench_loop(b)) {
    zg__net_client_t c;
    zg_err_t e = zg__net_client_dial(&c, "127.0.0.1", port);
    if (e == ZG_OK) e = zg__net_client_handshake(&c, &sk, (const uint8_t *)"bench", 5, 10000);
    zg__net_client_close(&c);
    if (e != ZG_OK) {
      fprintf(stderr, "bench_net: handshake: %s\n", zg_strerror(e));
      break;
    }
  }
out:
  zg_net_destroy(srv.net);
  zg_ed25519_sk_clear(&srv.sk);
  zg_ed25519_sk_clear(&sk);
  zg_log_set_level(lvl);
}

/* The CPU of one handshake, both sides, no sockets: two ephemeral key pairs,
 * two key schedules, two signatures, two verifications. */
ZG_BENCH(net_handshake_cpu) {
  zg_ed25519_pk_t pk1, pk2, got;
  zg_ed25519_sk_t sk1, sk2;
  if (zg_ed25519_keypair_random(&pk1, &sk1) != ZG_OK || zg_ed25519_keypair_random(&pk2, &sk2) != ZG_OK) return;
  bool ok = true;
  while (zg_bench_loop(b)) {
    zg_x25519_pk_t e1, e2;
    zg_x25519_sk_t s1, s2;
    zg__net_session_t d, l;
    uint8_t a1[ZG__NET_AUTH_LEN], a2[ZG__NET_AUTH_LEN];
    bool v1 = false, v2 = false;
    zg_err_t e = zg_x25519_keypair(&e1, &s1);
    if (e == ZG_OK) e = zg_x25519_keypair(&e2, &s2);
    if (e == ZG_OK) e = zg__net_session_derive(&d, true, &s1, &e1, &e2, (const uint8_t *)"bench", 5);
    if (e == ZG_OK) e = zg__net_session_derive(&l, false, &s2, &e2, &e1, (const uint8_t *)"bench", 5);
    if (e == ZG_OK) e = zg__net_auth_encode(a1, &d, &sk1);
    if (e == ZG_OK) e = zg__net_auth_encode(a2, &l, &sk2);
    if (e == ZG_OK) e = zg__net_auth_decode(&got, &v1, &l, a1, sizeof a1);
    if (e == ZG_OK) e = zg__net_auth_decode(&got, &v2, &d, a2, sizeof a2);
    ok &= e == ZG_OK && v1 && v2;
  }
  if (!ok) fprintf(stderr, "bench_net: handshake_cpu failed\n");
  zg_ed25519_sk_clear(&sk1);
  zg_ed25519_sk_clear(&sk2);
}

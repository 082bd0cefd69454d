/* test_net.c — zg_net_t nodes in one process on 127.0.0.1 ephemeral ports:
 * handshake and messages both ways, refused peers (wrong network, unknown
 * key, wrong key), gossip on a line and a mesh, request/response and
 * timeouts, reconnection after a restart, malformed frames from a raw
 * socket, back-pressure, posts and timers. Waits poll with generous limits;
 * nothing asserts on timings. */
#include <pthread.h>
#include <unistd.h>

#include "net/net_internal.h"
#include "zg/log.h"
#include "zg/net.h"
#include "zg_test.h"

#define WAIT_MS 20000
#define NETID "zg-test"

/* Polls cond every 2 ms for up to ms milliseconds; evaluates to cond. */
#define WAIT_FOR(cond, ms)                                                          \
  ({                                                                                \
    for (int zw_ = 0; !(cond) && zw_ < (ms) / 2; zw_++) usleep(2000);              \
    (cond);                                                                         \
  })

typedef struct {
  zg_net_t *net;
  zg_ed25519_pk_t pk;
  zg_ed25519_sk_t sk;
  pthread_mutex_t mu;
  int count[256];           /* messages received per channel */
  uint8_t *last[256];       /* last body per channel */
  size_t last_len[256];
  zg_net_peer_t last_from[256];
  int ups, downs;
  zg_net_responder_t held; /* a request kept for an answer from the test thread */
  bool have_held;
} node_t;

static void on_message(void *arg, zg_net_peer_t peer, uint8_t ch, const uint8_t *data, size_t len) {
  node_t *n = arg;
  pthread_mutex_lock(&n->mu);
  n->count[ch]++;
  free(n->last[ch]);
  n->last[ch] = malloc(len + 1);
  if (len) memcpy(n->last[ch], data, len);
  n->last_len[ch] = len;
  n->last_from[ch] = peer;
  pthread_mutex_unlock(&n->mu);
}

/* Channel 5: echo with a prefix; 6: never answered; 7: refused; 8: held. */
static void on_request(void *arg, zg_net_responder_t r, const uint8_t *data, size_t len) {
  node_t *n = arg;
  if (r.channel == 5) {
    uint8_t *out = malloc(len + 5);
    memcpy(out, "echo:", 5);
    if (len) memcpy(out + 5, data, len);
    if (zg_net_respond(n->net, &r, ZG_OK, out, len + 5) != ZG_OK) printf("  respond failed\n");
    free(out);
  } else if (r.channel == 7) {
    if (zg_net_respond(n->net, &r, ZG_EUNSUPPORTED, NULL, 0) != ZG_OK) printf("  respond failed\n");
  } else if (r.channel == 8) {
    pthread_mutex_lock(&n->mu);
    n->held = r;
    n->have_held = true;
    pthread_mutex_unlock(&n->mu);
  }
}

static void on_peer(void *arg, zg_net_peer_t peer, bool up) {
  node_t *n = arg;
  pthread_mutex_lock(&n->mu);
  if (up) n->ups++; else n->downs++;
  pthread_mutex_unlock(&n->mu);
}

static int count_of(node_t *n, uint8_t ch) {
  pthread_mutex_lock(&n->mu);
  int c = n->count[ch];
  pthread_mutex_unlock(&n->mu);
  return c;
}

static void node_keys(node_t *n) {
  uint8_t seed[32];
  memset(n, 0, sizeof *n);
  pthread_mutex_init(&n->mu, NULL);
  zgt_rand_bytes(seed, 32);
  CHECK_OK(zg_ed25519_keypair_from_seed(&n->pk, &n->sk, seed));
}

/* "<pk>@127.0.0.1:port", or the bare key when port is 0. */
static char *peer_str(const node_t *n, uint16_t port) {
  char *s = malloc(128);
  char hex[67];
  zg_hex_encode(hex, n->pk.bytes, 32);
  if (port) snprintf(s, 128, "%s@127.0.0.1:%u", hex + 2, (unsigned)port);
  else snprintf(s, 128, "%s", hex);
  return s;
}

typedef struct {
  const char *netid;
  bool accept_unknown;
  size_t queue_limit;
  uint32_t idle_ms, ping_ms, hs_ms;
  size_t max_msg;
  uint16_t port;
} opts_t;

/* Starts n listening on 127.0.0.1 (opts port or ephemeral) with the given
 * peers: peers[i] dialled at ports[i], or key-only when ports[i] is 0. */
static zg_err_t node_start(node_t *n, const opts_t *o, node_t **peers, const uint16_t *ports, size_t np) {
  zg_net_config_t cfg;
  char listen[64], *ps[8];
  zg_net_config_default(&cfg);
  snprintf(listen, sizeof listen, "127.0.0.1:%u", o ? o->port : 0);
  cfg.listen = listen;
  cfg.sk = &n->sk;
  const char *netid = o && o->netid ? o->netid : NETID;
  cfg.network_id = (const uint8_t *)netid;
  cfg.network_id_len = strlen(netid);
  for (size_t i = 0; i < np; i++) ps[i] = peer_str(peers[i], ports[i]);
  cfg.peers = (const char *const *)ps;
  cfg.npeers = np;
  cfg.accept_unknown = o && o->accept_unknown;
  if (o && o->queue_limit) cfg.send_queue_limit = o->queue_limit;
  if (o && o->idle_ms) cfg.idle_timeout_ms = o->idle_ms;
  if (o && o->ping_ms) cfg.ping_interval_ms = o->ping_ms;
  if (o && o->hs_ms) cfg.handshake_timeout_ms = o->hs_ms;
  if (o && o->max_msg) cfg.max_msg = o->max_msg;
  cfg.backoff_min_ms = 20;
  cfg.backoff_max_ms = 500;
  cfg.cb.on_message = on_message;
  cfg.cb.on_request = on_request;
  cfg.cb.on_peer = on_peer;
  cfg.cb.arg = n;
  zg_err_t err = zg_net_create(&n->net, &cfg);
  for (size_t i = 0; i < np; i++) free(ps[i]);
  return err;
}

static void node_stop(node_t *n) {
  zg_net_destroy(n->net);
  n->net = NULL;
}

static void node_free(node_t *n) {
  if (n->net) node_stop(n);
  for (int i = 0; i < 256; i++) free(n->last[i]);
  pthread_mutex_destroy(&n->mu);
  zg_ed25519_sk_clear(&n->sk);
}

static zg_net_peer_t peer_of(node_t *n, const node_t *other) {
  zg_net_peer_t p = ZG_NET_PEER_NONE;
  if (zg_net_peer_find(n->net, &p, &other->pk) != ZG_OK) return ZG_NET_PEER_NONE;
  return p;
}

static bool linked(node_t *a, node_t *b) {
  zg_net_peer_t pa = peer_of(a, b), pb = peer_of(b, a);
  return pa != ZG_NET_PEER_NONE && pb != ZG_NET_PEER_NONE && zg_net_peer_up(a->net, pa) &&
         zg_net_peer_up(b->net, pb);
}

static uint64_t drops(node_t *n, zg_net_drop_t r) {
  zg_net_stats_t st;
  zg_net_stats(n->net, &st);
  return st.drops[r];
}

/* ------------------------------------------------------------------ cases */

static void test_messages(void) {
  node_t a, b;
  node_keys(&a);
  node_keys(&b);
  node_t *pa[] = {&a, &b}, *pb[] = {&a}; /* a's list names a too: skipped */
  uint16_t zero[] = {0, 0};
  CHECK_OK(node_start(&a, NULL, pa, zero, 2));
  uint16_t porta[] = {zg_net_listen_port(a.net)};
  CHECK(porta[0] != 0);
  CHECK_OK(node_start(&b, NULL, pb, porta, 1));
  CHECK(WAIT_FOR(linked(&a, &b), WAIT_MS));
  CHECK_EQ(zg_net_peer_count(a.net), 1);
  zg_net_peer_t ab = peer_of(&a, &b), ba = peer_of(&b, &a);
  CHECK_EQ(ab, 0);
  CHECK_EQ(ba, 0);
  zg_ed25519_pk_t k;
  CHECK_OK(zg_net_peer_key(a.net, &k, ab));
  CHECK_MEM(k.bytes, b.pk.bytes, 32);
  CHECK_ERR(zg_net_peer_key(a.net, &k, 5), ZG_ENOTFOUND);
  /* both ways, small and large */
  CHECK_OK(zg_net_send(a.net, ab, 1, (const uint8_t *)"from a", 6));
  CHECK_OK(zg_net_send(b.net, ba, 2, (const uint8_t *)"from b", 6));
  size_t big = 3u << 20;
  uint8_t *buf = malloc(big);
  zgt_rand_bytes(buf, big);
  CHECK_OK(zg_net_send(a.net, ab, 3, buf, big));
  CHECK_OK(zg_net_send(b.net, ba, 4, NULL, 0));
  CHECK(WAIT_FOR(count_of(&b, 1) == 1 && count_of(&a, 2) == 1 && count_of(&b, 3) == 1 && count_of(&a, 4) == 1,
                 WAIT_MS));
  pthread_mutex_lock(&b.mu);
  CHECK_EQ(b.last_len[1], 6);
  CHECK(b.last[1] && memcmp(b.last[1], "from a", 6) == 0);
  CHECK_EQ(b.last_len[3], big);
  CHECK(b.last[3] && memcmp(b.last[3], buf, big) == 0);
  CHECK_EQ(b.last_from[1], ba);
  pthread_mutex_unlock(&b.mu);
  pthread_mutex_lock(&a.mu);
  CHECK(a.last[2] && memcmp(a.last[2], "from b", 6) == 0);
  CHECK_EQ(a.last_len[4], 0);
  pthread_mutex_unlock(&a.mu);
  /* many in a row arrive in order and complete */
  for (int i = 0; i < 1000; i++) {
    uint8_t m[4];
    zg_store_be32(m, (uint32_t)i);
    zg_err_t e;
    while ((e = zg_net_send(a.net, ab, 9, m, 4)) == ZG_EAGAIN) usleep(1000);
    CHECK_OK(e);
  }
  CHECK(WAIT_FOR(count_of(&b, 9) == 1000, WAIT_MS));
  pthread_mutex_lock(&b.mu);
  CHECK(b.last[9] && zg_load_be32(b.last[9]) == 999);
  pthread_mutex_unlock(&b.mu);
  /* argument checks */
  CHECK_ERR(zg_net_send(a.net, ab, 0, buf, 1), ZG_EINVAL);
  CHECK_ERR(zg_net_send(a.net, 7, 1, buf, 1), ZG_EINVAL);
  CHECK_ERR(zg_net_send(a.net, ab, 1, buf, ZG_NET_DEFAULT_MAX_MSG + 1), ZG_ETOOBIG);
  zg_net_stats_t st;
  zg_net_stats(a.net, &st);
  CHECK_EQ(st.peers_up, 1);
  CHECK(st.handshakes >= 1);
  CHECK(st.msgs_out >= 1002);
  CHECK(st.bytes_out > big);
  free(buf);
  node_free(&b);
  CHECK(WAIT_FOR(!zg_net_peer_up(a.net, ab), WAIT_MS));
  CHECK_ERR(zg_net_send(a.net, ab, 1, (const uint8_t *)"x", 1), ZG_ECLOSED);
  node_free(&a);
}

static void test_refused(void) {
  node_t a, wrongnet, unknown, wrongkey, b, open_node;
  node_keys(&a);
  node_keys(&wrongnet);
  node_keys(&unknown);
  node_keys(&wrongkey);
  node_keys(&b);
  node_keys(&open_node);
  /* a knows wrongnet and b (keys only); unknown is not in its list */
  node_t *pa[] = {&wrongnet, &b};
  uint16_t zeros[] = {0, 0};
  CHECK_OK(node_start(&a, NULL, pa, zeros, 2));
  uint16_t porta[] = {zg_net_listen_port(a.net)};
  node_t *to_a[] = {&a};
  opts_t other = {.netid = "another-net"};
  CHECK_OK(node_start(&wrongnet, &other, to_a, porta, 1));
  CHECK_OK(node_start(&unknown, NULL, to_a, porta, 1));
  CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_NETWORK) >= 1 && drops(&a, ZG_NET_DROP_UNKNOWN) >= 1, WAIT_MS));
  /* and they keep being refused: nobody up */
  CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_UNKNOWN) >= 3, WAIT_MS));
  zg_net_stats_t st;
  zg_net_stats(a.net, &st);
  CHECK_EQ(st.peers_up, 0);
  zg_net_stats(wrongnet.net, &st);
  CHECK_EQ(st.peers_up, 0);
  zg_net_stats(unknown.net, &st);
  CHECK_EQ(st.peers_up, 0);
  CHECK_EQ(zg_net_peer_count(a.net), 2);
  /* once a adds unknown's key at runtime, unknown's redials get in */
  zg_net_peer_t pu;
  char *us = peer_str(&unknown, 0);
  CHECK_OK(zg_net_add_peer(a.net, &pu, us));
  CHECK_EQ(pu, 2);
  CHECK_ERR(zg_net_add_peer(a.net, &pu, us), ZG_EEXIST);
  CHECK_EQ(pu, 2);
  free(us);
  CHECK(WAIT_FOR(linked(&a, &unknown), WAIT_MS));
  /* and a peer added with an address is dialled: b knows a by key only */
  node_t *b_knows[] = {&a};
  uint16_t z1[] = {0};
  CHECK_OK(node_start(&b, NULL, b_knows, z1, 1));
  zg_net_peer_t pbb;
  char *bs = peer_str(&b, zg_net_listen_port(b.net));
  CHECK_ERR(zg_net_add_peer(a.net, &pbb, bs), ZG_EEXIST); /* in a's list, now with an address */
  CHECK_EQ(pbb, 1);
  free(bs);
  CHECK(WAIT_FOR(linked(&a, &b), WAIT_MS));
  char *self = peer_str(&a, 1);
  CHECK_ERR(zg_net_add_peer(a.net, &pbb, self), ZG_ECONFIG);
  free(self);
  zg_net_stats(a.net, &st);
  CHECK_EQ(st.peers_up, 2);
  /* a node that accepts unknown keys takes `unknown` in */
  opts_t acc = {.accept_unknown = true};
  CHECK_OK(node_start(&open_node, &acc, NULL, NULL, 0));
  node_stop(&unknown);
  uint16_t porto[] = {zg_net_listen_port(open_node.net)};
  node_t *to_o[] = {&open_node};
  CHECK_OK(node_start(&unknown, NULL, to_o, porto, 1));
  CHECK(WAIT_FOR(linked(&open_node, &unknown), WAIT_MS));
  CHECK_EQ(zg_net_peer_count(open_node.net), 1);
  /* wrongkey dials open_node's address believing it is b: the listener
   * accepts and shows its key, the dialer refuses it */
  node_t *to_b[] = {&b};
  CHECK_OK(node_start(&wrongkey, NULL, to_b, porto, 1));
  CHECK(WAIT_FOR(drops(&wrongkey, ZG_NET_DROP_WRONGKEY) >= 2, WAIT_MS));
  zg_net_stats(wrongkey.net, &st);
  CHECK_EQ(st.peers_up, 0);
  node_free(&wrongnet);
  node_free(&unknown);
  node_free(&wrongkey);
  node_free(&open_node);
  node_free(&b);
  node_free(&a);
}

/* Gossips on channel 3 from n and waits for every node in all[] but n to
 * have delivered `want` messages on that channel. */
static void test_gossip_line(void) {
  node_t a, b, c;
  node_keys(&a);
  node_keys(&b);
  node_keys(&c);
  node_t *pa[] = {&b};
  uint16_t z1[] = {0};
  CHECK_OK(node_start(&a, NULL, pa, z1, 1));
  node_t *pb[] = {&a, &c};
  uint16_t portsb[] = {zg_net_listen_port(a.net), 0};
  CHECK_OK(node_start(&b, NULL, pb, portsb, 2));
  node_t *pc[] = {&b};
  uint16_t portsc[] = {zg_net_listen_port(b.net)};
  CHECK_OK(node_start(&c, NULL, pc, portsc, 1));
  CHECK(WAIT_FOR(linked(&a, &b) && linked(&b, &c), WAIT_MS));
  CHECK(!linked(&a, &c) || true);
  CHECK_OK(zg_net_gossip(a.net, 3, (const uint8_t *)"rumour", 6));
  CHECK(WAIT_FOR(count_of(&b, 3) == 1 && count_of(&c, 3) == 1, WAIT_MS));
  pthread_mutex_lock(&c.mu);
  CHECK(c.last[3] && c.last_len[3] == 6 && memcmp(c.last[3], "rumour", 6) == 0);
  CHECK_EQ(c.last_from[3], peer_of(&c, &b));
  pthread_mutex_unlock(&c.mu);
  /* the same bytes again, from the origin and from the far end: suppressed */
  CHECK_OK(zg_net_gossip(a.net, 3, (const uint8_t *)"rumour", 6));
  CHECK_OK(zg_net_gossip(c.net, 3, (const uint8_t *)"rumour", 6));
  /* same bytes on another channel are another message */
  CHECK_OK(zg_net_gossip(c.net, 4, (const uint8_t *)"rumour", 6));
  CHECK(WAIT_FOR(count_of(&a, 4) == 1 && count_of(&b, 4) == 1, WAIT_MS));
  /* a barrier message from a, after the repeats, reaches c: the repeats had
   * their chance to arrive (links are ordered) */
  CHECK_OK(zg_net_gossip(a.net, 3, (const uint8_t *)"barrier", 7));
  CHECK_OK(zg_net_gossip(c.net, 4, (const uint8_t *)"barrier", 7));
  CHECK(WAIT_FOR(count_of(&c, 3) == 2 && count_of(&a, 4) == 2, WAIT_MS));
  CHECK_EQ(count_of(&a, 3), 0);
  CHECK_EQ(count_of(&b, 3), 2);
  CHECK_EQ(count_of(&c, 3), 2);
  CHECK_EQ(count_of(&c, 4), 0);
  zg_net_stats_t st;
  zg_net_stats(a.net, &st);
  CHECK(st.gossip_dup >= 1);
  node_free(&c);
  node_free(&b);
  node_free(&a);
}

static void test_gossip_mesh(void) {
  enum { N = 4 };
  node_t n[N];
  for (int i = 0; i < N; i++) node_keys(&n[i]);
  /* node i dials every j < i; knows j > i by key */
  for (int i = 0; i < N; i++) {
    node_t *ps[N];
    uint16_t ports[N];
    size_t np = 0;
    for (int j = 0; j < N; j++) {
      if (j == i) continue;
      ps[np] = &n[j];
      ports[np++] = j < i ? zg_net_listen_port(n[j].net) : 0;
    }
    CHECK_OK(node_start(&n[i], NULL, ps, ports, np));
  }
  for (int i = 0; i < N; i++)
    for (int j = i + 1; j < N; j++) CHECK(WAIT_FOR(linked(&n[i], &n[j]), WAIT_MS));
  for (int k = 0; k < 20; k++) {
    uint8_t m[8];
    zg_store_be64(m, (uint64_t)k);
    CHECK_OK(zg_net_gossip(n[k % N].net, 10, m, 8));
  }
  /* each node delivers every message but its own: 20 - 5 = 15 */
  for (int i = 0; i < N; i++) CHECK(WAIT_FOR(count_of(&n[i], 10) == 15, WAIT_MS));
  /* barrier: one more from each, then the counts must not have grown past it */
  for (int i = 0; i < N; i++) CHECK_OK(zg_net_gossip(n[i].net, 11, (const uint8_t *)&i, sizeof i));
  for (int i = 0; i < N; i++) CHECK(WAIT_FOR(count_of(&n[i], 11) == N - 1, WAIT_MS));
  uint64_t dups = 0;
  for (int i = 0; i < N; i++) {
    CHECK_EQ(count_of(&n[i], 10), 15);
    zg_net_stats_t st;
    zg_net_stats(n[i].net, &st);
    dups += st.gossip_dup;
  }
  /* in a full mesh of 4 every message reaches each node up to 3 times */
  CHECK(dups > 0);
  printf("  mesh of %d: %llu duplicate gossip copies suppressed\n", N, (unsigned long long)dups);
  for (int i = N - 1; i >= 0; i--) node_free(&n[i]);
}

typedef struct {
  pthread_mutex_t mu;
  int calls;
  zg_err_t err;
  uint8_t data[64];
  size_t len;
} resp_t;

static void on_response(void *arg, zg_err_t err, const uint8_t *data, size_t len) {
  resp_t *r = arg;
  pthread_mutex_lock(&r->mu);
  r->calls++;
  r->err = err;
  r->len = len;
  if (len <= sizeof r->data && len) memcpy(r->data, data, len);
  pthread_mutex_unlock(&r->mu);
}

static int calls_of(resp_t *r) {
  pthread_mutex_lock(&r->mu);
  int c = r->calls;
  pthread_mutex_unlock(&r->mu);
  return c;
}

static void test_request(void) {
  node_t a, b;
  node_keys(&a);
  node_keys(&b);
  node_t *pa[] = {&b}, *pb[] = {&a};
  uint16_t zero[] = {0};
  CHECK_OK(node_start(&a, NULL, pa, zero, 1));
  uint16_t porta[] = {zg_net_listen_port(a.net)};
  CHECK_OK(node_start(&b, NULL, pb, porta, 1));
  CHECK(WAIT_FOR(linked(&a, &b), WAIT_MS));
  zg_net_peer_t ab = peer_of(&a, &b);
  resp_t r[5];
  for (int i = 0; i < 5; i++) {
    memset(&r[i], 0, sizeof r[i]);
    pthread_mutex_init(&r[i].mu, NULL);
  }
  CHECK_OK(zg_net_request(a.net, ab, 5, (const uint8_t *)"ping", 4, 60000, on_response, &r[0]));
  CHECK_OK(zg_net_request(a.net, ab, 6, (const uint8_t *)"lost", 4, 200, on_response, &r[1]));
  CHECK_OK(zg_net_request(a.net, ab, 7, (const uint8_t *)"nope", 4, 60000, on_response, &r[2]));
  CHECK_OK(zg_net_request(a.net, ab, 8, (const uint8_t *)"held", 4, 60000, on_response, &r[3]));
  CHECK(WAIT_FOR(calls_of(&r[0]) == 1 && calls_of(&r[1]) == 1 && calls_of(&r[2]) == 1, WAIT_MS));
  CHECK_EQ(r[0].err, ZG_OK);
  CHECK_EQ(r[0].len, 9);
  CHECK(memcmp(r[0].data, "echo:ping", 9) == 0);
  CHECK_EQ(r[1].err, ZG_ETIMEOUT);
  CHECK_EQ(r[2].err, ZG_EUNSUPPORTED);
  /* answered from this (non-net) thread */
  CHECK(WAIT_FOR(({
                   pthread_mutex_lock(&b.mu);
                   bool h = b.have_held;
                   pthread_mutex_unlock(&b.mu);
                   h;
                 }),
                 WAIT_MS));
  pthread_mutex_lock(&b.mu);
  zg_net_responder_t held = b.held;
  pthread_mutex_unlock(&b.mu);
  CHECK_OK(zg_net_respond(b.net, &held, ZG_OK, (const uint8_t *)"later", 5));
  CHECK(WAIT_FOR(calls_of(&r[3]) == 1, WAIT_MS));
  CHECK_EQ(r[3].err, ZG_OK);
  CHECK(r[3].len == 5 && memcmp(r[3].data, "later", 5) == 0);
  /* pending when the responder goes away: ZG_ECLOSED, once */
  CHECK_OK(zg_net_request(a.net, ab, 6, (const uint8_t *)"gone", 4, 60000, on_response, &r[4]));
  usleep(20000);
  node_stop(&b);
  CHECK(WAIT_FOR(calls_of(&r[4]) == 1, WAIT_MS));
  CHECK_EQ(r[4].err, ZG_ECLOSED);
  /* a request to a peer that is down fails at once, without a callback */
  CHECK_ERR(zg_net_request(a.net, ab, 5, NULL, 0, 1000, on_response, &r[4]), ZG_ECLOSED);
  usleep(50000);
  for (int i = 0; i < 5; i++) CHECK_EQ(calls_of(&r[i]), 1);
  zg_net_stats_t st;
  zg_net_stats(a.net, &st);
  CHECK_EQ(st.requests_timed_out, 1);
  node_free(&a);
  for (int i = 0; i < 5; i++) CHECK_EQ(r[i].calls, 1);
  for (int i = 0; i < 5; i++) pthread_mutex_destroy(&r[i].mu);
  node_free(&b);
}

static void test_reconnect(void) {
  node_t a, b;
  node_keys(&a);
  node_keys(&b);
  node_t *pb[] = {&a}, *pa[] = {&b};
  uint16_t zero[] = {0};
  CHECK_OK(node_start(&b, NULL, pb, zero, 1));
  uint16_t portb = zg_net_listen_port(b.net);
  uint16_t ports[] = {portb};
  CHECK_OK(node_start(&a, NULL, pa, ports, 1));
  CHECK(WAIT_FOR(linked(&a, &b), WAIT_MS));
  zg_net_peer_t ab = peer_of(&a, &b);
  for (int round = 0; round < 2; round++) {
    node_stop(&b);
    CHECK(WAIT_FOR(!zg_net_peer_up(a.net, ab), WAIT_MS));
    /* a keeps dialling (refused) with backoff while b is away */
    uint64_t before = drops(&a, ZG_NET_DROP_CLOSED);
    CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_CLOSED) >= before + 2, WAIT_MS));
    opts_t same = {.port = portb};
    zg_err_t e = ZG_ECONNECT;
    for (int i = 0; i < 100 && (e = node_start(&b, &same, pb, zero, 1)) == ZG_ECONNECT; i++) usleep(50000);
    CHECK_OK(e);
    if (e != ZG_OK) break;
    CHECK(WAIT_FOR(linked(&a, &b), WAIT_MS));
    CHECK_OK(zg_net_send(a.net, ab, 1, (const uint8_t *)"again", 5));
    CHECK(WAIT_FOR(count_of(&b, 1) == round + 1, WAIT_MS));
  }
  /* the application can drop a link; a static peer comes back */
  CHECK_OK(zg_net_drop_peer(a.net, ab));
  CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_LOCAL) >= 1, WAIT_MS));
  CHECK(WAIT_FOR(linked(&a, &b), WAIT_MS));
  node_free(&a);
  node_free(&b);
}

/* Both ends dial each other at once: the two links that may authenticate are
 * resolved alike on both sides (the one dialled by the smaller key stays),
 * so the pair settles on one link instead of closing both. Repeated with
 * fresh keys, since which key is smaller decides the path. */
static void test_both_dial(void) {
  for (int round = 0; round < 4; round++) {
    node_t a, b;
    node_keys(&a);
    node_keys(&b);
    node_t *pa[] = {&b}, *pb[] = {&a};
    uint16_t zero[] = {0};
    CHECK_OK(node_start(&a, NULL, pa, zero, 1));
    CHECK_OK(node_start(&b, NULL, pb, zero, 1));
    char *sa = peer_str(&a, zg_net_listen_port(a.net)), *sb = peer_str(&b, zg_net_listen_port(b.net));
    zg_net_peer_t p;
    CHECK_ERR(zg_net_add_peer(a.net, &p, sb), ZG_EEXIST);
    CHECK_ERR(zg_net_add_peer(b.net, &p, sa), ZG_EEXIST);
    free(sa);
    free(sb);
    /* a probe each way, resent until it arrives: delivery needs a link that
     * both ends kept */
    for (int k = 1; k <= 2; k++) {
      bool ok = false;
      for (int i = 0; i < 200 && !ok; i++) {
        if (linked(&a, &b)) {
          /* may fail with ZG_ECLOSED if a link is being replaced: resent */
          zg_err_t e1 = zg_net_send(a.net, peer_of(&a, &b), 1, (const uint8_t *)"p", 1);
          zg_err_t e2 = zg_net_send(b.net, peer_of(&b, &a), 1, (const uint8_t *)"q", 1);
          (void)e1;
          (void)e2;
        }
        ok = WAIT_FOR(count_of(&a, 1) >= k && count_of(&b, 1) >= k, 100);
      }
      CHECK(ok);
    }
    CHECK(linked(&a, &b));
    node_free(&a);
    node_free(&b);
  }
}

/* A raw client to node n (which accepts unknown keys) after a handshake. */
static zg_err_t raw_client(zg__net_client_t *c, node_t *n, const zg_ed25519_sk_t *sk) {
  ZG_TRY(zg__net_client_dial(c, "127.0.0.1", zg_net_listen_port(n->net)));
  return zg__net_client_handshake(c, sk, (const uint8_t *)NETID, strlen(NETID), WAIT_MS);
}

static void test_bad_frames(void) {
  node_t a, b, x;
  node_keys(&a);
  node_keys(&b);
  node_keys(&x); /* the raw client's identity */
  opts_t acc = {.accept_unknown = true};
  node_t *pa[] = {&b};
  uint16_t zero[] = {0};
  CHECK_OK(node_start(&a, &acc, pa, zero, 1));
  uint16_t porta[] = {zg_net_listen_port(a.net)};
  node_t *pb[] = {&a};
  CHECK_OK(node_start(&b, NULL, pb, porta, 1));
  CHECK(WAIT_FOR(linked(&a, &b), WAIT_MS));
  zg__net_client_t c;
  uint8_t junk[300];
  zgt_rand_bytes(junk, sizeof junk);
  /* 1. garbage instead of a hello */
  CHECK_OK(zg__net_client_dial(&c, "127.0.0.1", porta[0]));
  CHECK_OK(zg__net_client_write(&c, junk, 44));
  CHECK_OK(zg__net_client_wait_closed(&c, WAIT_MS));
  zg__net_client_close(&c);
  CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_PROTO) == 1, WAIT_MS));
  /* 2. a well-behaved client works: its message is delivered */
  CHECK_OK(raw_client(&c, &a, &x.sk));
  CHECK_MEM(c.peer_pk.bytes, a.pk.bytes, 32);
  zg__net_msg_t m = {.type = ZG__NET_T_MSG, .channel = 9};
  CHECK_OK(zg__net_client_send(&c, &m, (const uint8_t *)"raw hi", 6));
  CHECK(WAIT_FOR(count_of(&a, 9) == 1, WAIT_MS));
  /* ... and an oversized frame header drops it */
  uint8_t hdr[4] = {0x7f, 0xff, 0xff, 0xf0};
  CHECK_OK(zg__net_client_write(&c, hdr, 4));
  CHECK_OK(zg__net_client_wait_closed(&c, WAIT_MS));
  zg__net_client_close(&c);
  CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_TOOBIG) == 1, WAIT_MS));
  /* 3. a record with a valid length but garbage content */
  CHECK_OK(raw_client(&c, &a, &x.sk));
  uint8_t rec[104];
  memcpy(rec + 4, junk, 100);
  zg_store_be32(rec, 100);
  CHECK_OK(zg__net_client_write(&c, rec, sizeof rec));
  CHECK_OK(zg__net_client_wait_closed(&c, WAIT_MS));
  zg__net_client_close(&c);
  CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_AUTH) == 1, WAIT_MS));
  /* 4. authentic records that are malformed: channel 0, unknown type, a
   * second AUTH, a PING with a body */
  const uint8_t bad_types[] = {ZG__NET_T_MSG, 99, ZG__NET_T_AUTH, ZG__NET_T_PING};
  for (size_t i = 0; i < sizeof bad_types; i++) {
    CHECK_OK(raw_client(&c, &a, &x.sk));
    uint8_t pt[16] = {bad_types[i], 0};
    uint8_t *r2 = malloc(sizeof pt + ZG__NET_REC_OVERHEAD);
    memcpy(r2 + 4, pt, sizeof pt);
    CHECK_OK(zg__net_record_seal(&c.s.tx, r2, sizeof pt));
    CHECK_OK(zg__net_client_write(&c, r2, sizeof pt + ZG__NET_REC_OVERHEAD));
    free(r2);
    CHECK_OK(zg__net_client_wait_closed(&c, WAIT_MS));
    zg__net_client_close(&c);
    CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_PROTO) == 2 + i, WAIT_MS));
  }
  /* 5. during the handshake: a record longer than the handshake limit */
  CHECK_OK(zg__net_client_dial(&c, "127.0.0.1", porta[0]));
  uint8_t hello[ZG__NET_HELLO_LEN], tag[8];
  zg_x25519_pk_t ep;
  zg_x25519_sk_t es;
  CHECK_OK(zg_x25519_keypair(&ep, &es));
  zg__net_nettag(tag, (const uint8_t *)NETID, strlen(NETID));
  zg__net_hello_encode(hello, tag, &ep);
  CHECK_OK(zg__net_client_write(&c, hello, sizeof hello));
  zg_store_be32(hdr, 100000);
  CHECK_OK(zg__net_client_write(&c, hdr, 4));
  CHECK_OK(zg__net_client_wait_closed(&c, WAIT_MS));
  zg__net_client_close(&c);
  CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_TOOBIG) == 2, WAIT_MS));
  /* 6. random streams of every length up to a few hundred bytes */
  long iters = zgt_iters(20);
  for (long i = 0; i < iters; i++) {
    CHECK_OK(zg__net_client_dial(&c, "127.0.0.1", porta[0]));
    size_t n = 1 + zgt_rand_below(sizeof junk);
    zgt_rand_bytes(junk, n);
    if (i % 2) memcpy(junk, "ZGN1", 4);
    zg_err_t we = zg__net_client_write(&c, junk, n); /* the node may hang up first */
    (void)we;
    zg__net_client_close(&c);
  }
  /* through all this the good link stayed up and works */
  CHECK(linked(&a, &b));
  CHECK_OK(zg_net_send(a.net, peer_of(&a, &b), 1, (const uint8_t *)"still here", 10));
  CHECK(WAIT_FOR(count_of(&b, 1) == 1, WAIT_MS));
  pthread_mutex_lock(&b.mu);
  CHECK_EQ(b.downs, 0);
  pthread_mutex_unlock(&b.mu);
  node_free(&b);
  node_free(&a);
  node_free(&x);
}

/* max_msg: refused locally, and a peer sending more is dropped, whether the
 * frame itself is over the limit or only the body inside it. */
static void test_limits(void) {
  node_t a, x;
  node_keys(&a);
  node_keys(&x);
  opts_t o = {.accept_unknown = true, .max_msg = 1000};
  CHECK_OK(node_start(&a, &o, NULL, NULL, 0));
  uint8_t body[1100] = {0};
  zg__net_client_t c;
  CHECK_OK(raw_client(&c, &a, &x.sk));
  CHECK(WAIT_FOR(zg_net_peer_up(a.net, 0), WAIT_MS));
  CHECK_ERR(zg_net_send(a.net, 0, 1, body, 1001), ZG_ETOOBIG);
  CHECK_ERR(zg_net_gossip(a.net, 1, body, 1001), ZG_ETOOBIG);
  CHECK_OK(zg_net_send(a.net, 0, 1, body, 1000));
  zg__net_msg_t m;
  CHECK_OK(zg__net_client_recv(&c, &m, WAIT_MS));
  CHECK_EQ(m.body_len, 1000);
  zg__net_msg_t out = {.type = ZG__NET_T_MSG, .channel = 2};
  CHECK_OK(zg__net_client_send(&c, &out, body, 1000));
  CHECK(WAIT_FOR(count_of(&a, 2) == 1, WAIT_MS));
  CHECK_OK(zg__net_client_send(&c, &out, body, 1001)); /* frame fits, body does not */
  CHECK_OK(zg__net_client_wait_closed(&c, WAIT_MS));
  zg__net_client_close(&c);
  CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_TOOBIG) == 1, WAIT_MS));
  CHECK_OK(raw_client(&c, &a, &x.sk));
  CHECK_OK(zg__net_client_send(&c, &out, body, 1100)); /* frame over the limit */
  CHECK_OK(zg__net_client_wait_closed(&c, WAIT_MS));
  zg__net_client_close(&c);
  CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_TOOBIG) == 2, WAIT_MS));
  CHECK_EQ(count_of(&a, 2), 1);
  node_free(&a);
  node_free(&x);
}

static void test_backpressure(void) {
  node_t a, x;
  node_keys(&a);
  node_keys(&x);
  opts_t o = {.accept_unknown = true, .queue_limit = 256u << 10, .idle_ms = 600000};
  CHECK_OK(node_start(&a, &o, NULL, NULL, 0));
  zg__net_client_t c;
  CHECK_OK(raw_client(&c, &a, &x.sk));
  CHECK(WAIT_FOR(zg_net_peer_count(a.net) == 1 && zg_net_peer_up(a.net, 0), WAIT_MS));
  /* the client never reads: sends succeed until the kernel buffers and the
   * queue are full, then ZG_EAGAIN, and it stays so */
  uint8_t *msg = calloc(1, 65536);
  size_t sent = 0;
  int again = 0;
  for (int i = 0; i < 20000 && again < 100; i++) {
    zg_err_t e = zg_net_send(a.net, 0, 1, msg, 65536);
    if (e == ZG_OK) {
      sent += 65536;
      again = 0;
    } else {
      CHECK_ERR(e, ZG_EAGAIN);
      if (e != ZG_EAGAIN) break;
      again++;
      usleep(2000);
    }
  }
  CHECK(again >= 100);
  printf("  back-pressure after %zu KiB accepted\n", sent >> 10);
  /* gossip skips the full peer and counts it */
  CHECK_OK(zg_net_gossip(a.net, 2, msg, 65536));
  zg_net_stats_t st;
  CHECK(WAIT_FOR((zg_net_stats(a.net, &st), st.sends_dropped >= 1), WAIT_MS));
  zg__net_client_close(&c);
  CHECK(WAIT_FOR(!zg_net_peer_up(a.net, 0), WAIT_MS));
  free(msg);
  node_free(&a);
  node_free(&x);
}

/* Pings keep quiet links alive; a peer that neither talks nor answers is
 * dropped, and so is a connection that never completes its handshake. */
static void test_liveness(void) {
  node_t a, b, x;
  node_keys(&a);
  node_keys(&b);
  node_keys(&x);
  /* idle 1.5 s: generous for a stalled, loaded machine, still ~70 ping periods */
  opts_t o = {.accept_unknown = true, .ping_ms = 20, .idle_ms = 1500, .hs_ms = 1500};
  node_t *pa[] = {&b};
  uint16_t zero[] = {0};
  CHECK_OK(node_start(&a, &o, pa, zero, 1));
  uint16_t porta[] = {zg_net_listen_port(a.net)};
  node_t *pb[] = {&a};
  CHECK_OK(node_start(&b, &o, pb, porta, 1));
  CHECK(WAIT_FOR(linked(&a, &b), WAIT_MS));
  /* silent client: connects, never sends a byte */
  zg__net_client_t c;
  CHECK_OK(zg__net_client_dial(&c, "127.0.0.1", porta[0]));
  CHECK_OK(zg__net_client_wait_closed(&c, WAIT_MS));
  zg__net_client_close(&c);
  CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_TIMEOUT) == 1, WAIT_MS));
  /* mute client: handshakes, then never answers a ping */
  CHECK_OK(raw_client(&c, &a, &x.sk));
  zg__net_msg_t m;
  CHECK_OK(zg__net_client_recv(&c, &m, WAIT_MS));
  CHECK_EQ(m.type, ZG__NET_T_PING);
  CHECK_OK(zg__net_client_wait_closed(&c, WAIT_MS));
  zg__net_client_close(&c);
  CHECK(WAIT_FOR(drops(&a, ZG_NET_DROP_TIMEOUT) == 2, WAIT_MS));
  /* meanwhile a and b, silent too, kept their link by pings (many idle
   * periods have passed: a drop would have been counted) */
  CHECK(linked(&a, &b));
  CHECK_EQ(drops(&b, ZG_NET_DROP_TIMEOUT), 0);
  pthread_mutex_lock(&b.mu);
  CHECK_EQ(b.downs, 0);
  pthread_mutex_unlock(&b.mu);
  /* the mute client only (its counter is bumped before on_peer runs) */
  CHECK(WAIT_FOR(({
                   pthread_mutex_lock(&a.mu);
                   int d = a.downs;
                   pthread_mutex_unlock(&a.mu);
                   d == 1;
                 }),
                 WAIT_MS));
  node_free(&b);
  node_free(&a);
  node_free(&x);
}

typedef struct {
  zg_net_t *net;
  zg_net_timer_t *t;
  _Atomic int fired, posted;
} timer_ctx_t;

static void on_tick(void *arg) {
  timer_ctx_t *tc = arg;
  if (++tc->fired == 3) zg_net_timer_destroy(tc->t);
}

static void on_post(void *arg) {
  timer_ctx_t *tc = arg;
  tc->posted++;
  if (zg_net_timer_create(tc->net, &tc->t, on_tick, tc) == ZG_OK) zg_net_timer_start(tc->t, 5, 5);
}

static void test_post_timer(void) {
  node_t a;
  node_keys(&a);
  CHECK_OK(node_start(&a, NULL, NULL, NULL, 0));
  timer_ctx_t tc = {.net = a.net};
  zg_net_timer_t *t;
  CHECK_ERR(zg_net_timer_create(a.net, &t, on_tick, &tc), ZG_EINVAL); /* not the net thread */
  CHECK_OK(zg_net_post(a.net, on_post, &tc));
  CHECK(WAIT_FOR(tc.fired == 3, WAIT_MS));
  usleep(30000);
  CHECK_EQ(tc.fired, 3);
  CHECK_EQ(tc.posted, 1);
  node_free(&a);
  CHECK_ERR(zg_net_post(NULL, on_post, &tc), ZG_EINVAL);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  /* ZG_NET_LOG=debug|info|... shows the transport's log; quiet by default */
  zg_log_level_t lvl = ZG_LOG_ERROR;
  if (getenv("ZG_NET_LOG") && zg_log_level_parse(&lvl, getenv("ZG_NET_LOG")) != ZG_OK) lvl = ZG_LOG_INFO;
  zg_log_set_level(lvl);
  ZGT_RUN(test_messages);
  ZGT_RUN(test_refused);
  ZGT_RUN(test_gossip_line);
  ZGT_RUN(test_gossip_mesh);
  ZGT_RUN(test_request);
  ZGT_RUN(test_reconnect);
  ZGT_RUN(test_both_dial);
  ZGT_RUN(test_bad_frames);
  ZGT_RUN(test_limits);
  ZGT_RUN(test_backpressure);
  ZGT_RUN(test_liveness);
  ZGT_RUN(test_post_timer);
  return zgt_done();
}

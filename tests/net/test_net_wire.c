/* test_net_wire.c — the pure protocol pieces (net_internal.h): handshake key
 * schedule and AUTH, records (round trip, tamper, replay, limits), envelopes,
 * peer string parsing. */
#include "net/net_internal.h"
#include "zg/net.h"
#include "zg_test.h"

static const uint8_t NETID[] = "zg-test-net";

/* Both sides of a handshake over memory. */
static void handshake(zg__net_session_t *d, zg__net_session_t *l, zg_ed25519_sk_t *dsk, zg_ed25519_sk_t *lsk,
                      const uint8_t *netd, size_t netdl, const uint8_t *netl, size_t netll) {
  zg_x25519_pk_t dp, lp;
  zg_x25519_sk_t ds, ls;
  CHECK_OK(zg_x25519_keypair(&dp, &ds));
  CHECK_OK(zg_x25519_keypair(&lp, &ls));
  CHECK_OK(zg__net_session_derive(d, true, &ds, &dp, &lp, netd, netdl));
  CHECK_OK(zg__net_session_derive(l, false, &ls, &lp, &dp, netl, netll));
  (void)dsk;
  (void)lsk;
}

static void keys(zg_ed25519_pk_t *pk, zg_ed25519_sk_t *sk) {
  uint8_t seed[32];
  zgt_rand_bytes(seed, 32);
  CHECK_OK(zg_ed25519_keypair_from_seed(pk, sk, seed));
}

static void test_handshake(void) {
  zg__net_session_t d, l;
  zg_ed25519_pk_t dpk, lpk, got;
  zg_ed25519_sk_t dsk, lsk;
  uint8_t auth[ZG__NET_AUTH_LEN];
  bool ok;
  keys(&dpk, &dsk);
  keys(&lpk, &lsk);
  handshake(&d, &l, &dsk, &lsk, NETID, sizeof NETID - 1, NETID, sizeof NETID - 1);
  CHECK_MEM(d.h, l.h, 32);
  CHECK_MEM(d.tx.key, l.rx.key, 32);
  CHECK_MEM(d.rx.key, l.tx.key, 32);
  CHECK(memcmp(d.tx.key, d.rx.key, 32) != 0);
  /* AUTH both ways */
  CHECK_OK(zg__net_auth_encode(auth, &d, &dsk));
  CHECK_OK(zg__net_auth_decode(&got, &ok, &l, auth, sizeof auth));
  CHECK(ok);
  CHECK_MEM(got.bytes, dpk.bytes, 32);
  /* reflected to its sender: the role differs, the signature fails */
  CHECK_OK(zg__net_auth_decode(&got, &ok, &d, auth, sizeof auth));
  CHECK(!ok);
  CHECK_OK(zg__net_auth_encode(auth, &l, &lsk));
  CHECK_OK(zg__net_auth_decode(&got, &ok, &d, auth, sizeof auth));
  CHECK(ok);
  CHECK_MEM(got.bytes, lpk.bytes, 32);
  /* a flipped bit anywhere in the signature or key */
  for (int i = 0; i < 20; i++) {
    uint8_t bad[ZG__NET_AUTH_LEN];
    memcpy(bad, auth, sizeof bad);
    bad[1 + zgt_rand_below(96)] ^= (uint8_t)(1u << zgt_rand_below(8));
    zg_err_t e = zg__net_auth_decode(&got, &ok, &d, bad, sizeof bad);
    CHECK(e != ZG_OK || !ok);
  }
  CHECK_ERR(zg__net_auth_decode(&got, &ok, &d, auth, sizeof auth - 1), ZG_EPROTO);
  auth[0] = ZG__NET_T_MSG;
  CHECK_ERR(zg__net_auth_decode(&got, &ok, &d, auth, sizeof auth), ZG_EPROTO);
  /* a session of another network derives other keys and transcript */
  zg__net_session_t d2, l2;
  handshake(&d2, &l2, &dsk, &lsk, NETID, sizeof NETID - 1, (const uint8_t *)"other", 5);
  CHECK(memcmp(d2.h, l2.h, 32) != 0);
  CHECK(memcmp(d2.tx.key, l2.rx.key, 32) != 0);
  /* a small-order ephemeral key is refused */
  zg_x25519_pk_t zero = {{0}}, ep;
  zg_x25519_sk_t es;
  CHECK_OK(zg_x25519_keypair(&ep, &es));
  CHECK_ERR(zg__net_session_derive(&d2, true, &es, &ep, &zero, NETID, 3), ZG_EBADKEY);
  /* hello */
  uint8_t hello[ZG__NET_HELLO_LEN], tag[8];
  zg__net_hello_t h;
  zg__net_nettag(tag, NETID, sizeof NETID - 1);
  zg__net_hello_encode(hello, tag, &ep);
  CHECK_OK(zg__net_hello_decode(&h, hello, sizeof hello));
  CHECK_MEM(h.nettag, tag, 8);
  CHECK_MEM(h.eph.bytes, ep.bytes, 32);
  CHECK_ERR(zg__net_hello_decode(&h, hello, 43), ZG_EBADLEN);
  hello[0] = 'X';
  CHECK_ERR(zg__net_hello_decode(&h, hello, sizeof hello), ZG_EPROTO);
  zg_ed25519_sk_clear(&dsk);
  zg_ed25519_sk_clear(&lsk);
}

static void test_records(void) {
  zg__net_session_t d, l;
  zg_ed25519_sk_t s1, s2;
  handshake(&d, &l, &s1, &s2, NETID, 3, NETID, 3);
  long iters = zgt_iters(200);
  for (long it = 0; it < iters; it++) {
    size_t n = 1 + zgt_rand_below(3000);
    uint8_t *pt = malloc(n), *rec = malloc(n + ZG__NET_REC_OVERHEAD), *copy = malloc(n + ZG__NET_REC_OVERHEAD);
    size_t total;
    zgt_rand_bytes(pt, n);
    memcpy(rec + 4, pt, n);
    CHECK_OK(zg__net_record_seal(&d.tx, rec, n));
    memcpy(copy, rec, n + ZG__NET_REC_OVERHEAD);
    /* partial input asks for more; complete input gives the size */
    CHECK_OK(zg__net_record_peek(&total, rec, zgt_rand_below((uint32_t)n + 20), 1u << 20));
    CHECK_EQ(total, 0);
    CHECK_OK(zg__net_record_peek(&total, rec, n + ZG__NET_REC_OVERHEAD, 1u << 20));
    CHECK_EQ(total, n + ZG__NET_REC_OVERHEAD);
    CHECK_ERR(zg__net_record_peek(&total, rec, 4, n + 15), ZG_ETOOBIG);
    if (it % 3 == 0) {
      /* tamper with one byte: refused, counter unchanged */
      uint64_t ctr = l.rx.ctr;
      copy[zgt_rand_below((uint32_t)(n + ZG__NET_REC_OVERHEAD))] ^= 0x20;
      zg_err_t e = zg__net_record_open(&l.rx, copy, n + ZG__NET_REC_OVERHEAD);
      CHECK(e == ZG_EAUTH || e == ZG_EPROTO);
      CHECK_EQ(l.rx.ctr, ctr);
    }
    CHECK_OK(zg__net_record_open(&l.rx, rec, n + ZG__NET_REC_OVERHEAD));
    CHECK_MEM(rec + 4, pt, n);
    /* replaying it fails: the counter moved on */
    if (it % 5 == 0) {
      memcpy(rec + 4, pt, n);
      zg__net_cipher_t again = d.tx;
      again.ctr--;
      CHECK_OK(zg__net_record_seal(&again, rec, n));
      CHECK_ERR(zg__net_record_open(&l.rx, rec, n + ZG__NET_REC_OVERHEAD), ZG_EAUTH);
    }
    free(pt);
    free(rec);
    free(copy);
  }
  uint8_t small[20] = {0, 0, 0, 16};
  size_t total;
  CHECK_ERR(zg__net_record_peek(&total, small, sizeof small, 100), ZG_EPROTO);
  CHECK_ERR(zg__net_record_open(&l.rx, small, 19), ZG_ETRUNC);
  zg__net_session_clear(&d);
  zg__net_session_clear(&l);
}

static void test_envelope(void) {
  uint8_t buf[64];
  zg__net_msg_t m, out;
  const uint8_t types[] = {ZG__NET_T_MSG, ZG__NET_T_GOSSIP, ZG__NET_T_REQ, ZG__NET_T_RESP, ZG__NET_T_PING,
                           ZG__NET_T_PONG};
  for (size_t i = 0; i < sizeof types; i++) {
    memset(&m, 0, sizeof m);
    m.type = types[i];
    m.channel = 7;
    m.id = 0x0102030405060708ull;
    m.status = 0xabcd;
    size_t hl = zg__net_msg_encode_hdr(buf, &m);
    CHECK_EQ(hl, zg__net_msg_hdr_len(m.type));
    bool has_body = m.type != ZG__NET_T_PING && m.type != ZG__NET_T_PONG;
    size_t bl = has_body ? 5 : 0;
    memcpy(buf + hl, "hello", bl);
    CHECK_OK(zg__net_msg_decode(&out, buf, hl + bl));
    CHECK_EQ(out.type, m.type);
    CHECK_EQ(out.body_len, bl);
    if (m.type != ZG__NET_T_PING && m.type != ZG__NET_T_PONG) CHECK_EQ(out.channel, 7);
    if (m.type >= ZG__NET_T_REQ) CHECK_EQ(out.id, m.id);
    if (m.type == ZG__NET_T_RESP) CHECK_EQ(out.status, 0xabcd);
    CHECK_ERR(zg__net_msg_decode(&out, buf, hl - 1), ZG_EPROTO);
    if (!has_body) CHECK_ERR(zg__net_msg_decode(&out, buf, hl + 1), ZG_EPROTO);
    if (has_body) {
      buf[1] = 0;
      CHECK_ERR(zg__net_msg_decode(&out, buf, hl + bl), ZG_EPROTO);
    }
  }
  buf[0] = 0;
  CHECK_ERR(zg__net_msg_decode(&out, buf, 10), ZG_EPROTO);
  buf[0] = 99;
  CHECK_ERR(zg__net_msg_decode(&out, buf, 10), ZG_EPROTO);
  CHECK_ERR(zg__net_msg_decode(&out, buf, 0), ZG_EPROTO);
}

static void test_peer_parse(void) {
  zg_ed25519_pk_t pk, want;
  zg_ed25519_sk_t sk;
  char host[64], s[200], hex[67];
  uint16_t port;
  keys(&want, &sk);
  zg_hex_encode(hex, want.bytes, 32);
  snprintf(s, sizeof s, "%s@127.0.0.1:26656", hex);
  CHECK_OK(zg_net_peer_parse(&pk, host, sizeof host, &port, s));
  CHECK_MEM(pk.bytes, want.bytes, 32);
  CHECK(strcmp(host, "127.0.0.1") == 0);
  CHECK_EQ(port, 26656);
  snprintf(s, sizeof s, "%s@[::1]:1", hex + 2);
  CHECK_OK(zg_net_peer_parse(&pk, host, sizeof host, &port, s));
  CHECK(strcmp(host, "::1") == 0);
  CHECK_EQ(port, 1);
  CHECK_OK(zg_net_peer_parse(&pk, host, sizeof host, &port, hex));
  CHECK_EQ(host[0], 0);
  CHECK_EQ(port, 0);
  /* each: whether the key comes first, then the rest of the string */
  const struct {
    bool key;
    const char *rest;
  } bad[] = {{false, "@1.2.3.4:5"}, {false, "zz@1:2"}, {false, ""},      {true, "@"},       {true, "@host"},
             {true, "@host:"},      {true, "@host:65536"}, {true, "@:80"}, {true, "@host:8x"}, {true, "1@h:1"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    snprintf(s, sizeof s, "%s%s", bad[i].key ? hex : "", bad[i].rest);
    CHECK_ERR(zg_net_peer_parse(&pk, host, sizeof host, &port, s), ZG_ECONFIG);
  }
  /* not a curve point (y = 2 does not decompress) */
  snprintf(s, sizeof s, "0x02%062x@h:1", 0);
  CHECK(zg_net_peer_parse(&pk, host, sizeof host, &port, s) != ZG_OK);
  zg_ed25519_sk_clear(&sk);
}

/* The seen-set remembers at least `limit` recent ids, forgets old ones, and
 * never reports an id it was not given. */
static void test_seen(void) {
  zg__net_seen_t s;
  const size_t limit = 100;
  CHECK_ERR(zg__net_seen_init(&s, 0), ZG_EINVAL);
  CHECK_OK(zg__net_seen_init(&s, limit));
  uint8_t id[16];
  long n = zgt_iters(2000);
  for (long i = 0; i < n; i++) {
    zg__net_gossip_id(id, 1, (const uint8_t *)&i, sizeof i);
    CHECK(!zg__net_seen_check_add(&s, id));
    CHECK(zg__net_seen_check_add(&s, id));
    /* the last `limit` ids are all still known */
    if (i % 97 == 0) {
      for (long j = i >= (long)limit ? i - (long)limit + 1 : 0; j <= i; j++) {
        zg__net_gossip_id(id, 1, (const uint8_t *)&j, sizeof j);
        if (!zg__net_seen_check_add(&s, id)) {
          ZGT_FAIL("id %ld forgotten at %ld", j, i);
          break;
        }
      }
    }
  }
  /* very old ones are gone (re-adding one says "new") */
  long old = 0;
  zg__net_gossip_id(id, 1, (const uint8_t *)&old, sizeof old);
  CHECK(!zg__net_seen_check_add(&s, id));
  /* same bytes on another channel: another id */
  uint8_t a[16], b[16];
  zg__net_gossip_id(a, 1, (const uint8_t *)"x", 1);
  zg__net_gossip_id(b, 2, (const uint8_t *)"x", 1);
  CHECK(memcmp(a, b, 16) != 0);
  CHECK(s.count[0] <= limit && s.count[1] <= limit);
  zg__net_seen_free(&s);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_handshake);
  ZGT_RUN(test_records);
  ZGT_RUN(test_envelope);
  ZGT_RUN(test_peer_parse);
  ZGT_RUN(test_seen);
  return zgt_done();
}

/*
 * test_daentrance.c — the DAEntrance contract (zg/da_contracts.h) with
 * DASigners over the in-memory host: submitOriginalData (fee, batch
 * limits, duplicates, queued vs dispersing), certificates accepted at
 * exactly 2/3 of the slots and rejected below it, forged and mismatched
 * aggregates, bitmap bits outside the quorum, wrong epoch/quorum/blob,
 * duplicates, expiry (lazy status and markExpired, resubmission after
 * failure), and the events.
 */
#include <jansson.h>
#include <stdio.h>

#include "da_env.h"
#include "zg/hash.h"

enum { N = 8 }; /* 8 signers x 16 tickets = 128 tickets: one quorum, no wrap */

typedef struct {
  env_t e;
  dsigner_t s[N];
  zg_eth_addr_t user;
  zg_da_epoch_signer_t es[N];
  uint32_t slot[ZG_DA_COLUMNS];
} world_t;

static void world_init(world_t *w) {
  env_init(&w->e);
  setup_signers(&w->e, w->s, N, 16);
  memset(&w->user, 0, sizeof w->user);
  w->user.bytes[0] = 0xee;
  zg_u256_t v = tokens(100);
  fund(&w->e, &w->user, &v);
  /* The slot owners of quorum 0 of the serving epoch, via the C helpers on
   * the contract's storage (what the signer role reads over RPC). */
  call_t c;
  zg_abi_value_t a = zg_abi_u64(w->e.h.epoch);
  if (callv(&w->e, &c, &zg_dasigners_address, &w->user, NULL, ZG_DAS_EPOCH_SIGNERS, "(address[],uint256[],bytes32[])",
            &a, 1) != ZG_SC_OK || c.out[0].len != N)
    abort();
  for (size_t i = 0; i < N; i++) {
    memcpy(w->es[i].addr, c.out[0].u.items[i].u.word + 12, 20);
    w->es[i].tickets = 16;
    memcpy(w->es[i].output, c.out[2].u.items[i].u.word, 32);
  }
  call_done(&c);
  zg_da_ticket_t scratch[128];
  if (zg_da_assign(w->slot, ZG_DA_COLUMNS, 0, w->es, N, scratch) != ZG_OK) abort();
}

static const dsigner_t *by_addr(const world_t *w, const uint8_t addr[20]) {
  for (unsigned i = 0; i < N; i++)
    if (!memcmp(w->s[i].addr.bytes, addr, 20)) return &w->s[i];
  abort();
}

static void digest_n(uint8_t d[32], unsigned n) {
  uint8_t b[4] = {(uint8_t)n, (uint8_t)(n >> 8), 0xda, 0x7a};
  zg_keccak256(d, b, 4);
}

static uint64_t submit(world_t *w, const uint8_t d[32]) {
  call_t c;
  zg_abi_value_t item = zg_abi_fbytes(d, 32), arr = zg_abi_array(&item, 1);
  zg_u256_t fee = zg_u256_from_u64(1000000000000ull);
  uint64_t id = 0;
  if (callv(&w->e, &c, &zg_daentrance_address, &w->user, &fee, ZG_DAE_SUBMIT_ORIGINAL_DATA, "(uint256[])", &arr,
            1) != ZG_SC_OK)
    ZGT_FAIL("submit: %s", c.r.reason);
  else if (zg_abi_get_u64(&id, &c.out[0].u.items[0]) != ZG_OK)
    abort();
  call_done(&c);
  return id;
}

static unsigned status_of(world_t *w, uint64_t id, char reason[32]) {
  call_t c;
  uint64_t st = 99;
  zg_abi_value_t a = zg_abi_u64(id);
  if (callv(&w->e, &c, &zg_daentrance_address, &w->user, NULL, ZG_DAE_GET_STATUS, "(uint8,bytes32,uint256,string)",
            &a, 1) != ZG_SC_OK ||
      zg_abi_get_u64(&st, &c.out[0]) != ZG_OK)
    abort();
  if (reason) snprintf(reason, 32, "%.*s", (int)c.out[3].len, (const char *)c.out[3].u.bytes);
  call_done(&c);
  return (unsigned)st;
}

/* A certificate over slots j where take(j) is true, signed once per
 * distinct signer (forge: one signer signs another message). */
static void make_cert(world_t *w, zg_da_cert_t *c, const uint8_t d[32], uint64_t epoch, uint64_t q, unsigned nslots,
                      bool forge) {
  memset(c, 0, sizeof *c);
  memcpy(c->blob_digest, d, 32);
  c->epoch = epoch;
  c->quorum_id = q;
  bool used[N] = {false};
  zg_bls_sig_t sigs[N];
  size_t ns = 0;
  uint8_t msg[32];
  zg_da_sign_digest(msg, DA_CHAIN, d, epoch, q);
  for (unsigned j = 0; j < nslots; j++) {
    zg_da_bitmap_set(c->bitmap, j);
    unsigned i = w->slot[j];
    if (used[i]) continue;
    used[i] = true;
    const dsigner_t *s = by_addr(w, w->es[i].addr);
    uint8_t m2[32];
    memcpy(m2, msg, 32);
    if (forge && ns == 0) m2[0] ^= 1;
    if (zg_bls_sign(&sigs[ns++], &s->sk, m2, 32) != ZG_OK) abort();
  }
  /* Signers that hold no set slot must not be in the aggregate: the
   * contract sums only the keys of set slots. */
  zg_bls_sig_t agg;
  if (zg_bls_aggregate(&agg, sigs, ns) != ZG_OK) abort();
  zg_bls_sig_serialize(c->sig, &agg);
}

/* The checkCertificate view agrees with submitCertificate: same revert
 * reason, or success with the blob id; and it writes nothing. */
static zg_sc_status_t send_cert(world_t *w, const zg_da_cert_t *c, call_t *out) {
  uint8_t wire[ZG_DA_CERT_WIRE_LEN];
  zg_da_cert_encode(wire, c);
  zg_abi_value_t a = zg_abi_bytes(wire, sizeof wire);
  call_t chk;
  zg_sc_status_t cs = callv(&w->e, &chk, &zg_daentrance_address, &w->user, NULL, ZG_DAE_CHECK_CERTIFICATE, NULL, &a, 1);
  zg_sc_status_t ss = callv(&w->e, out, &zg_daentrance_address, &w->user, NULL, ZG_DAE_SUBMIT_CERTIFICATE, "(uint256)", &a, 1);
  CHECK_EQ(cs, ss);
  if (cs == ZG_SC_REVERT) CHECK(strcmp(chk.r.reason, out->r.reason) == 0);
  call_done(&chk);
  return ss;
}

static void cert_revert(world_t *w, const zg_da_cert_t *c, const char *want) {
  uint8_t wire[ZG_DA_CERT_WIRE_LEN];
  zg_da_cert_encode(wire, c);
  zg_abi_value_t a = zg_abi_bytes(wire, sizeof wire);
  expect_revert(&w->e, &zg_daentrance_address, &w->user, NULL, ZG_DAE_CHECK_CERTIFICATE, &a, 1, want);
  expect_revert(&w->e, &zg_daentrance_address, &w->user, NULL, ZG_DAE_SUBMIT_CERTIFICATE, &a, 1, want);
}

/* Slots needed for 2/3 of 128: 3 x 86 = 258 >= 256; 85 is short. */
enum { TWO_THIRDS = 86 };

static void test_submit(void) {
  world_t w;
  world_init(&w);
  uint8_t d[3][32];
  for (unsigned i = 0; i < 3; i++) digest_n(d[i], i);
  zg_abi_value_t items[3] = {zg_abi_fbytes(d[0], 32), zg_abi_fbytes(d[1], 32), zg_abi_fbytes(d[2], 32)};
  zg_abi_value_t arr = zg_abi_array(items, 2);
  zg_u256_t low = zg_u256_from_u64(2000000000000ull - 1), ok = zg_u256_from_u64(2000000000000ull);
  const char *S = ZG_DAE_SUBMIT_ORIGINAL_DATA;
  expect_revert(&w.e, &zg_daentrance_address, &w.user, &low, S, &arr, 1, "fee too low");
  zg_abi_value_t empty = zg_abi_array(items, 0);
  expect_revert(&w.e, &zg_daentrance_address, &w.user, &ok, S, &empty, 1, "1..64");
  zg_abi_value_t dup[2] = {items[0], items[0]}, darr = zg_abi_array(dup, 2);
  expect_revert(&w.e, &zg_daentrance_address, &w.user, &ok, S, &darr, 1, "already submitted");
  call_t c;
  size_t logs0 = w.e.w.nlogs;
  CHECK_EQ(callv(&w.e, &c, &zg_daentrance_address, &w.user, &ok, S, "(uint256[])", &arr, 1), ZG_SC_OK);
  CHECK_EQ(c.out[0].len, 2);
  uint64_t id0, id1;
  CHECK_OK(zg_abi_get_u64(&id0, &c.out[0].u.items[0]));
  CHECK_OK(zg_abi_get_u64(&id1, &c.out[0].u.items[1]));
  CHECK(id0 == 1 && id1 == 2);
  call_done(&c);
  CHECK_EQ(w.e.w.nlogs, logs0 + 2);
  CHECK_EQ(status_of(&w, 1, NULL), ZG_DA_STATUS_DISPERSING);
  CHECK_EQ(status_of(&w, 3, NULL), ZG_DA_STATUS_NONE);
  zg_abi_value_t one = zg_abi_array(items, 1);
  expect_revert(&w.e, &zg_daentrance_address, &w.user, &ok, S, &one, 1, "already submitted");
  /* blobId and blobFee views. */
  CHECK_EQ(callv(&w.e, &c, &zg_daentrance_address, &w.user, NULL, ZG_DAE_BLOB_ID, "(uint256)", &items[1], 1),
           ZG_SC_OK);
  uint64_t v;
  CHECK_OK(zg_abi_get_u64(&v, &c.out[0]));
  CHECK_EQ(v, 2);
  call_done(&c);
  /* An epoch without signers: queued. */
  w.e.h.epoch += 5;
  zg_abi_value_t third = zg_abi_array(items + 2, 1);
  CHECK_EQ(callv(&w.e, &c, &zg_daentrance_address, &w.user, &ok, S, "(uint256[])", &third, 1), ZG_SC_OK);
  call_done(&c);
  CHECK_EQ(status_of(&w, 3, NULL), ZG_DA_STATUS_QUEUED);
  env_free(&w.e);
}

static void test_certificate(void) {
  world_t w;
  world_init(&w);
  uint64_t E = w.e.h.epoch;
  uint8_t d[32], other[32];
  digest_n(d, 7);
  digest_n(other, 8);
  zg_da_cert_t c;
  /* Unknown blob. */
  make_cert(&w, &c, d, E, 0, ZG_DA_COLUMNS, false);
  cert_revert(&w, &c, "unknown blob");
  uint64_t id = submit(&w, d);
  /* Below 2/3 of the slots. */
  make_cert(&w, &c, d, E, 0, TWO_THIRDS - 1, false);
  cert_revert(&w, &c, "less than 2/3");
  /* A forged aggregate: one signer signed another message. */
  make_cert(&w, &c, d, E, 0, ZG_DA_COLUMNS, true);
  cert_revert(&w, &c, "invalid aggregate signature");
  /* Random bytes as the signature, and the signature of another blob. */
  make_cert(&w, &c, d, E, 0, ZG_DA_COLUMNS, false);
  zg_da_cert_t bad = c;
  memset(bad.sig, 0x42, sizeof bad.sig);
  cert_revert(&w, &bad, "invalid aggregate signature");
  make_cert(&w, &bad, other, E, 0, ZG_DA_COLUMNS, false);
  memcpy(bad.blob_digest, d, 32);
  cert_revert(&w, &bad, "invalid aggregate signature");
  /* A bitmap claiming more slots than the signature covers. */
  make_cert(&w, &bad, d, E, 0, TWO_THIRDS, false);
  for (unsigned j = TWO_THIRDS; j < ZG_DA_COLUMNS; j++) zg_da_bitmap_set(bad.bitmap, j);
  bool extra = false; /* only forged if some added slot belongs to a signer not already in */
  for (unsigned j = TWO_THIRDS; j < ZG_DA_COLUMNS && !extra; j++) {
    bool seen = false;
    for (unsigned k = 0; k < TWO_THIRDS; k++) seen |= w.slot[k] == w.slot[j];
    extra = !seen;
  }
  if (extra) cert_revert(&w, &bad, "invalid aggregate signature");
  /* Wrong quorum, epochs out of range, malformed. */
  make_cert(&w, &bad, d, E, 1, ZG_DA_COLUMNS, false);
  cert_revert(&w, &bad, "no such quorum");
  make_cert(&w, &bad, d, E + 1, 0, ZG_DA_COLUMNS, false);
  cert_revert(&w, &bad, "epoch out of range");
  make_cert(&w, &bad, d, E - 1, 0, ZG_DA_COLUMNS, false);
  cert_revert(&w, &bad, "epoch out of range"); /* before the blob was submitted */
  zg_abi_value_t shortc = zg_abi_bytes(c.sig, 10);
  expect_revert(&w.e, &zg_daentrance_address, &w.user, NULL, ZG_DAE_SUBMIT_CERTIFICATE, &shortc, 1, "malformed");
  /* Exactly 2/3 of the slots: accepted; then a duplicate. */
  make_cert(&w, &c, d, E, 0, TWO_THIRDS, false);
  call_t r;
  size_t logs0 = w.e.w.nlogs;
  CHECK_EQ(send_cert(&w, &c, &r), ZG_SC_OK);
  uint64_t got;
  CHECK_OK(zg_abi_get_u64(&got, &r.out[0]));
  CHECK_EQ(got, id);
  call_done(&r);
  CHECK_EQ(w.e.w.nlogs, logs0 + 1);
  CHECK_EQ(status_of(&w, id, NULL), ZG_DA_STATUS_CERTIFIED);
  cert_revert(&w, &c, "already certified");
  /* getCertificate returns the wire form. */
  zg_abi_value_t ida = zg_abi_u64(id);
  CHECK_EQ(callv(&w.e, &r, &zg_daentrance_address, &w.user, NULL, ZG_DAE_GET_CERTIFICATE, "(bytes)", &ida, 1),
           ZG_SC_OK);
  uint8_t wire[ZG_DA_CERT_WIRE_LEN];
  zg_da_cert_encode(wire, &c);
  CHECK_EQ(r.out[0].len, sizeof wire);
  CHECK_MEM(r.out[0].u.bytes, wire, sizeof wire);
  call_done(&r);
  /* The same blob cannot be submitted again once certified. */
  zg_abi_value_t item = zg_abi_fbytes(d, 32), arr = zg_abi_array(&item, 1);
  zg_u256_t fee = zg_u256_from_u64(1000000000000ull);
  expect_revert(&w.e, &zg_daentrance_address, &w.user, &fee, ZG_DAE_SUBMIT_ORIGINAL_DATA, &arr, 1,
                "already submitted");
  env_free(&w.e);
}

static void test_bits_outside_quorum(void) {
  world_t w;
  world_init(&w);
  /* Slots per quorum below 128 through genesis parameters. */
  json_t *g = json_pack("{s:{s:i}}", "da", "slotsPerQuorum", 96);
  zg_sc_result_t gr;
  memset(&gr, 0, sizeof gr);
  w.e.h.self = zg_dasigners_address;
  CHECK_EQ(zg_dasigners_contract.genesis(&w.e.h, g, &gr), ZG_SC_OK);
  zg_sc_result_free(&gr);
  json_decref(g);
  uint8_t d[32];
  digest_n(d, 9);
  submit(&w, d);
  zg_da_ticket_t scratch[128];
  CHECK_OK(zg_da_assign(w.slot, 96, 0, w.es, N, scratch));
  zg_da_cert_t c;
  make_cert(&w, &c, d, w.e.h.epoch, 0, 96, false);
  zg_da_bitmap_set(c.bitmap, 100);
  cert_revert(&w, &c, "outside the quorum");
  make_cert(&w, &c, d, w.e.h.epoch, 0, 64, false); /* 3 x 64 = 192 >= 2 x 96 */
  call_t r;
  CHECK_EQ(send_cert(&w, &c, &r), ZG_SC_OK);
  call_done(&r);
  /* Malformed genesis parameters revert. */
  g = json_pack("{s:{s:i}}", "da", "slotsPerQuorum", 129);
  memset(&gr, 0, sizeof gr);
  CHECK_EQ(zg_dasigners_contract.genesis(&w.e.h, g, &gr), ZG_SC_REVERT);
  zg_sc_result_free(&gr);
  json_decref(g);
  env_free(&w.e);
}

static void test_expiry_and_rollover(void) {
  world_t w;
  world_init(&w);
  uint64_t E = w.e.h.epoch;
  uint8_t d[32];
  digest_n(d, 11);
  uint64_t id = submit(&w, d);
  /* Signers opt in again for E+1; a certificate of epoch E still counts
   * during E+1 (one epoch of lag), not during E+2. */
  for (unsigned i = 0; i < N; i++) signer_opt_in(&w.e, &w.s[i]);
  zg_abi_value_t ida = zg_abi_u64(id);
  expect_revert(&w.e, &zg_daentrance_address, &w.user, NULL, ZG_DAE_MARK_EXPIRED, &ida, 1, "not expired");
  w.e.h.epoch = E + 2;
  zg_da_cert_t c;
  make_cert(&w, &c, d, E, 0, ZG_DA_COLUMNS, false);
  cert_revert(&w, &c, "epoch out of range");
  w.e.h.epoch = E + 3; /* past the window of 2 epochs */
  char reason[32];
  CHECK_EQ(status_of(&w, id, reason), ZG_DA_STATUS_FAILED);
  CHECK(strcmp(reason, "expired") == 0);
  cert_revert(&w, &c, "blob expired");
  expect_ok(&w.e, &zg_daentrance_address, &w.user, NULL, ZG_DAE_MARK_EXPIRED, &ida, 1);
  expect_revert(&w.e, &zg_daentrance_address, &w.user, NULL, ZG_DAE_MARK_EXPIRED, &ida, 1, "not expired");
  /* A failed blob may be submitted again: new id. */
  uint64_t id2 = submit(&w, d);
  CHECK(id2 == id + 1);
  CHECK_EQ(status_of(&w, id, NULL), ZG_DA_STATUS_FAILED);
  env_free(&w.e);
}

static void test_names(void) {
  CHECK(strcmp(zg_da_status_name(ZG_DA_STATUS_CERTIFIED), "certified") == 0);
  CHECK(strcmp(zg_da_status_name(9), "unknown") == 0);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_submit);
  ZGT_RUN(test_certificate);
  ZGT_RUN(test_bits_outside_quorum);
  ZGT_RUN(test_expiry_and_rollover);
  ZGT_RUN(test_names);
  return zgt_done();
}

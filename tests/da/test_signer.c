/*
 * test_signer.c — the DA signer role and the dispersal/retrieval client
 * (zg/da_signer.h, zg/da_client.h) on loopback: wire forms and their
 * refusals, verify-store-sign with durability across reopen, refusal of
 * bad cells with nothing stored, and four HTTP signers holding 32 slots
 * each: certificate formed with all up and with one down (1/4 of the
 * slots), not with two down; a signer with the wrong key is excluded as
 * bad-signature; retrieval byte-identical from all (systematic) and from
 * half of the columns (recovery); a signer serving corrupt cells excluded;
 * sampling; the alt-DA server's /put and /get round trip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/bls.h"
#include "zg/da_client.h"
#include "zg/da_signer.h"
#include "zg/http_server.h"
#include "zg/rpc_client.h"
#include "zg_test.h"

#define CHAIN 4242
#define NSIG 4

static zg_kzg_settings_t *g_s;
static zg_da_ctx_t *g_ctx;
static char g_tmp[256];

typedef struct {
  uint8_t *data;
  size_t len;
  zg_da_encoded_t e;
  uint8_t digest[32];
} blob_t;

static void blob_make(blob_t *b, size_t len) {
  b->len = len;
  b->data = malloc(len ? len : 1);
  zgt_rand_bytes(b->data, len);
  memset(&b->e, 0, sizeof b->e);
  CHECK_OK(zg_da_encode(g_ctx, &b->e, b->data, len));
  zg_da_header_t h = zg_da_encoded_header(&b->e);
  CHECK_OK(zg_da_blob_digest(b->digest, &h));
}

static void blob_free(blob_t *b) {
  zg_da_encoded_free(&b->e);
  free(b->data);
}

static void keygen(zg_bls_sk_t *sk, unsigned i) {
  uint8_t ikm[32] = {0};
  ikm[0] = (uint8_t)i;
  ikm[1] = 0x5a;
  CHECK_OK(zg_bls_keygen(sk, ikm, 32, NULL, 0));
}

static zg_da_signer_t *signer_open(unsigned i, const zg_bls_sk_t *sk) {
  char dir[400];
  zg_da_signer_t *s = NULL;
  snprintf(dir, sizeof dir, "%s/s%u", g_tmp, i);
  zg_da_signer_opts_t o = {.data_dir = dir, .sk = sk, .chain_id = CHAIN, .ctx = g_ctx, .map_size = (size_t)1 << 30};
  CHECK_OK(zg_da_signer_open(&s, &o));
  return s;
}

/* Columns [first, first+n) of b, pointing into per-call buffers in store. */
static void columns(const blob_t *b, zg_da_column_t *cols, uint8_t *store, unsigned first, unsigned n) {
  size_t rows = b->e.rows, per = rows * (ZG_DA_CELL_BYTES + ZG_DA_PROOF_LEN);
  for (unsigned i = 0; i < n; i++) {
    uint8_t *c = store + i * per, *p = c + rows * ZG_DA_CELL_BYTES;
    CHECK_OK(zg_da_extract_column(&b->e, first + i, c, p));
    cols[i] = (zg_da_column_t){first + i, c, rows * ZG_DA_CELL_BYTES, p, rows * ZG_DA_PROOF_LEN};
  }
}

static void test_wire(void) {
  blob_t b;
  blob_make(&b, 200000); /* 2 rows */
  zg_da_column_t cols[3];
  uint8_t *store = malloc(3 * b.e.rows * (ZG_DA_CELL_BYTES + ZG_DA_PROOF_LEN));
  columns(&b, cols, store, 5, 3);
  zg_da_header_t h = zg_da_encoded_header(&b.e);
  zg_buf_t w;
  zg_buf_init(&w);
  CHECK_OK(zg_da_store_req_encode(&w, &h, 7, 9, cols, 3));
  zg_da_store_req_t *r = malloc(sizeof *r);
  CHECK_OK(zg_da_store_req_parse(r, w.ptr, w.len, NULL));
  CHECK_EQ(r->epoch, 7);
  CHECK_EQ(r->quorum_id, 9);
  CHECK_EQ(r->n, 3);
  CHECK_EQ(r->header.rows, b.e.rows);
  for (size_t i = 0; i < 3; i++) {
    CHECK_EQ(r->cols[i].index, 5 + i);
    CHECK_MEM(r->cols[i].cells, cols[i].cells, cols[i].cells_len);
    CHECK_MEM(r->cols[i].proofs, cols[i].proofs, cols[i].proofs_len);
  }
  /* Every strict prefix is refused; so is a trailing byte. */
  for (size_t cut = 0; cut < w.len; cut += 1 + zgt_rand_below(997))
    CHECK(zg_da_store_req_parse(r, w.ptr, cut, NULL) != ZG_OK);
  CHECK_OK(zg_buf_push(&w, 0));
  CHECK_ERR(zg_da_store_req_parse(r, w.ptr, w.len, NULL), ZG_ETRAILING);
  w.len--;
  /* A duplicated column index and an index past 127. */
  size_t first_col = 16 + 4 + zg_da_header_wire_len(b.e.rows) + 4;
  size_t stride = 4 + b.e.rows * (ZG_DA_CELL_BYTES + ZG_DA_PROOF_LEN);
  zg_store_be32(w.ptr + first_col + stride, 5);
  CHECK_ERR(zg_da_store_req_parse(r, w.ptr, w.len, NULL), ZG_EDUPLICATE);
  zg_store_be32(w.ptr + first_col + stride, 128);
  CHECK_ERR(zg_da_store_req_parse(r, w.ptr, w.len, NULL), ZG_ERANGE);
  /* Random bytes never crash the parser. */
  for (long it = 0; it < zgt_iters(2000); it++) {
    size_t at = zgt_rand_below((uint32_t)w.len);
    w.ptr[at] ^= (uint8_t)(1 + zgt_rand_below(255));
    zg_err_t e = zg_da_store_req_parse(r, w.ptr, w.len, NULL);
    (void)e;
  }
  free(r);
  zg_buf_clear(&w);
  free(store);
  blob_free(&b);
}

static void test_store_sign(void) {
  zg_bls_sk_t sk;
  keygen(&sk, 100);
  blob_t b;
  blob_make(&b, 5000);
  zg_da_column_t cols[4];
  uint8_t *store = malloc(4 * b.e.rows * (ZG_DA_CELL_BYTES + ZG_DA_PROOF_LEN));
  columns(&b, cols, store, 60, 4);
  zg_da_header_t h = zg_da_encoded_header(&b.e);
  zg_da_signer_t *s = signer_open(100, &sk);
  uint8_t sig[96], msg[32], pkb[48];
  bool acc = false, ok = false;
  /* A flipped cell byte: refused, nothing stored. */
  store[100] ^= 1;
  CHECK_OK(zg_da_signer_store(s, &acc, sig, &h, 3, 1, cols, 4));
  CHECK(!acc);
  zg_buf_t got;
  zg_buf_init(&got);
  CHECK_ERR(zg_da_signer_column(s, &got, b.digest, 60), ZG_ENOTFOUND);
  CHECK_ERR(zg_da_signer_header(s, &got, b.digest), ZG_ENOTFOUND);
  store[100] ^= 1;
  CHECK_OK(zg_da_signer_store(s, &acc, sig, &h, 3, 1, cols, 4));
  CHECK(acc);
  zg_da_signer_pubkey(s, pkb);
  zg_bls_pk_t pk;
  zg_bls_sig_t bs;
  CHECK_OK(zg_bls_pk_parse(&pk, pkb, 48));
  CHECK_OK(zg_bls_sig_parse(&bs, sig, 96));
  zg_da_sign_digest(msg, CHAIN, b.digest, 3, 1);
  CHECK_OK(zg_bls_verify(&ok, &pk, msg, 32, &bs));
  CHECK(ok);
  zg_da_sign_digest(msg, CHAIN + 1, b.digest, 3, 1);
  CHECK_OK(zg_bls_verify(&ok, &pk, msg, 32, &bs));
  CHECK(!ok);
  /* Durable: closed and reopened, the columns come back byte-identical. */
  zg_da_signer_close(s);
  s = signer_open(100, &sk);
  for (unsigned i = 0; i < 4; i++) {
    got.len = 0;
    CHECK_OK(zg_da_signer_column(s, &got, b.digest, 60 + i));
    CHECK_EQ(got.len, cols[i].cells_len + cols[i].proofs_len);
    CHECK_MEM(got.ptr, cols[i].cells, cols[i].cells_len);
    CHECK_MEM(got.ptr + cols[i].cells_len, cols[i].proofs, cols[i].proofs_len);
  }
  CHECK_ERR(zg_da_signer_column(s, &got, b.digest, 64), ZG_ENOTFOUND);
  got.len = 0;
  CHECK_OK(zg_da_signer_header(s, &got, b.digest));
  CHECK_EQ(got.len, zg_da_header_wire_len(b.e.rows));
  zg_da_signer_close(s);
  zg_buf_clear(&got);
  zg_bls_sk_clear(&sk);
  free(store);
  blob_free(&b);
}

/* ---- Four HTTP signers ---- */

typedef struct {
  zg_da_signer_t *s[NSIG];
  zg_bls_sk_t sk[NSIG];
  char url[NSIG][64];
  zg_da_peer_t peers[NSIG];
} net_t;

static void net_up(net_t *n, unsigned base) {
  for (unsigned i = 0; i < NSIG; i++) {
    uint16_t port = 0;
    keygen(&n->sk[i], base + i);
    n->s[i] = signer_open(base + i, &n->sk[i]);
    CHECK_OK(zg_da_signer_serve(n->s[i], "127.0.0.1:0", &port));
    snprintf(n->url[i], sizeof n->url[i], "http://127.0.0.1:%u", port);
    memset(&n->peers[i], 0, sizeof n->peers[i]);
    n->peers[i].url = n->url[i];
    zg_da_signer_pubkey(n->s[i], n->peers[i].pubkey);
    for (unsigned c = 32 * i; c < 32 * (i + 1); c++) zg_da_bitmap_set(n->peers[i].slots, c);
  }
}

static void net_down(net_t *n, unsigned i) {
  zg_da_signer_close(n->s[i]);
  n->s[i] = NULL;
}

static void net_free(net_t *n) {
  for (unsigned i = 0; i < NSIG; i++) {
    net_down(n, i);
    zg_bls_sk_clear(&n->sk[i]);
  }
}

static void check_cert(const zg_da_disperse_result_t *r, const blob_t *b, const net_t *n, const bool *in) {
  zg_bls_pk_t pks[NSIG];
  size_t k = 0;
  uint8_t msg[32];
  bool ok = false;
  zg_bls_sig_t sig;
  CHECK_MEM(r->cert.blob_digest, b->digest, 32);
  for (unsigned i = 0; i < NSIG; i++)
    if (in[i]) CHECK_OK(zg_bls_pk_parse(&pks[k++], n->peers[i].pubkey, 48));
  zg_da_sign_digest(msg, CHAIN, b->digest, r->cert.epoch, r->cert.quorum_id);
  CHECK_OK(zg_bls_sig_parse(&sig, r->cert.sig, 96));
  CHECK_OK(zg_bls_fast_aggregate_verify(&ok, pks, k, msg, 32, &sig));
  CHECK(ok);
  CHECK_EQ(r->signed_slots, 32 * k);
}

static void test_disperse_retrieve(void) {
  net_t n;
  net_up(&n, 10);
  blob_t b;
  blob_make(&b, 300000); /* 3 rows */
  zg_da_disperse_opts_t o = {.chain_id = CHAIN, .epoch = 5, .quorum_id = 2, .timeout_ms = 30000};
  zg_da_disperse_result_t r;
  zg_da_peer_status_t st[NSIG];
  CHECK_OK(zg_da_disperse(g_ctx, &r, st, &b.e, n.peers, NSIG, &o));
  for (unsigned i = 0; i < NSIG; i++) CHECK_EQ(st[i], ZG_DA_PEER_OK);
  CHECK(r.certified);
  bool all[NSIG] = {true, true, true, true};
  check_cert(&r, &b, &n, all);

  zg_buf_t out;
  zg_buf_init(&out);
  zg_da_retrieve_stats_t rs;
  CHECK_OK(zg_da_retrieve(g_ctx, &out, &rs, st, b.digest, n.peers, NSIG, 30000));
  CHECK_EQ(out.len, b.len);
  CHECK_MEM(out.ptr, b.data, b.len);
  CHECK(rs.systematic);
  CHECK_EQ(rs.columns_ok, 128);

  /* Sampling: 20 columns all verify, confidence 1 - C(63,20)/C(128,20). */
  unsigned ver = 0;
  double conf = 0;
  CHECK_OK(zg_da_sample(g_ctx, &ver, &conf, st, b.digest, n.peers, NSIG, 20, zgt_rand64(), 30000));
  CHECK_EQ(ver, 20);
  CHECK(conf > 0.999999 && conf < 1.0);
  CHECK_OK(zg_da_sample(g_ctx, &ver, &conf, st, b.digest, n.peers, NSIG, 1, zgt_rand64(), 30000));
  CHECK(conf > 0.5 && conf < 0.51); /* 1 - 63/128 */
  CHECK_ERR(zg_da_sample(g_ctx, &ver, &conf, st, b.digest, n.peers, NSIG, 129, 1, 30000), ZG_EINVAL);

  /* Half of the columns' holders down (0..31 and 64..95): recovery. */
  net_down(&n, 0);
  net_down(&n, 2);
  out.len = 0;
  CHECK_OK(zg_da_retrieve(g_ctx, &out, &rs, st, b.digest, n.peers, NSIG, 30000));
  CHECK_EQ(st[0], ZG_DA_PEER_DOWN);
  CHECK_EQ(st[1], ZG_DA_PEER_OK);
  CHECK_EQ(out.len, b.len);
  CHECK_MEM(out.ptr, b.data, b.len);
  CHECK(!rs.systematic);
  CHECK_EQ(rs.columns_ok, 64);
  /* Sampling every column now finds half missing: no confidence. */
  CHECK_OK(zg_da_sample(g_ctx, &ver, &conf, st, b.digest, n.peers, NSIG, 128, zgt_rand64(), 30000));
  CHECK_EQ(ver, 64);
  CHECK(conf == 0);

  /* Three down: too few columns. */
  net_down(&n, 1);
  out.len = 0;
  CHECK_ERR(zg_da_retrieve(g_ctx, &out, &rs, st, b.digest, n.peers, NSIG, 30000), ZG_ETOOFEW);
  zg_buf_clear(&out);
  net_free(&n);
  blob_free(&b);
}

static void test_faults_dispersal(void) {
  net_t n;
  net_up(&n, 20);
  blob_t b;
  blob_make(&b, 1000);
  zg_da_disperse_opts_t o = {.chain_id = CHAIN, .epoch = 6, .quorum_id = 0, .timeout_ms = 30000};
  zg_da_disperse_result_t r;
  zg_da_peer_status_t st[NSIG];
  /* One signer (1/4 of the slots) down: certified by the other three. */
  net_down(&n, 3);
  CHECK_OK(zg_da_disperse(g_ctx, &r, st, &b.e, n.peers, NSIG, &o));
  CHECK_EQ(st[3], ZG_DA_PEER_DOWN);
  CHECK(r.certified);
  bool three[NSIG] = {true, true, true, false};
  check_cert(&r, &b, &n, three);
  CHECK(!zg_da_bitmap_get(r.cert.bitmap, 100));
  /* A signer registered under another key signs with its own: excluded as a
   * bad signature; with one down as well, 2/4 < 2/3 is not certified. */
  zg_bls_sk_t other;
  uint8_t pk_saved[48];
  keygen(&other, 99);
  zg_bls_pk_t opk;
  zg_bls_sk_to_pk(&opk, &other);
  memcpy(pk_saved, n.peers[1].pubkey, 48);
  zg_bls_pk_serialize(n.peers[1].pubkey, &opk);
  CHECK_OK(zg_da_disperse(g_ctx, &r, st, &b.e, n.peers, NSIG, &o));
  CHECK_EQ(st[1], ZG_DA_PEER_BADSIG);
  CHECK_EQ(st[0], ZG_DA_PEER_OK);
  CHECK(!r.certified);
  CHECK_EQ(r.signed_slots, 64);
  memcpy(n.peers[1].pubkey, pk_saved, 48);
  /* Overlapping slots are a caller error. */
  zg_da_bitmap_set(n.peers[0].slots, 40);
  CHECK_ERR(zg_da_disperse(g_ctx, &r, st, &b.e, n.peers, NSIG, &o), ZG_EINVAL);
  zg_bls_sk_clear(&other);
  net_free(&n);
  blob_free(&b);
}

/* A fake signer serving one blob's columns with one cell byte flipped. */
typedef struct {
  zg_buf_t body;
} fake_t;

static void fake_cells(void *arg, const zg_http_request_t *req, zg_http_response_t *resp) {
  fake_t *f = arg;
  (void)req;
  resp->content_type = "application/octet-stream";
  if (zg_buf_append(&resp->body, f->body.ptr, f->body.len)) resp->status = 500;
}

static void test_faults_corrupt_cells(void) {
  net_t n;
  net_up(&n, 30);
  blob_t b;
  blob_make(&b, 140000); /* 2 rows */
  zg_da_disperse_opts_t o = {.chain_id = CHAIN, .epoch = 1, .quorum_id = 0, .timeout_ms = 30000};
  zg_da_disperse_result_t r;
  zg_da_peer_status_t st[NSIG];
  CHECK_OK(zg_da_disperse(g_ctx, &r, st, &b.e, n.peers, NSIG, &o));
  CHECK(r.certified);
  /* Signer 0 is replaced by a server answering with its 32 columns, one cell
   * byte changed (the cells answer is the store body without its first 16
   * bytes). */
  fake_t f;
  zg_buf_t w;
  zg_buf_init(&w);
  zg_buf_init(&f.body);
  zg_da_column_t cols[32];
  uint8_t *store = malloc(32 * b.e.rows * (ZG_DA_CELL_BYTES + ZG_DA_PROOF_LEN));
  columns(&b, cols, store, 0, 32);
  store[7 * b.e.rows * (ZG_DA_CELL_BYTES + ZG_DA_PROOF_LEN) + 33] ^= 0x10;
  zg_da_header_t h = zg_da_encoded_header(&b.e);
  CHECK_OK(zg_da_store_req_encode(&w, &h, 0, 0, cols, 32));
  CHECK_OK(zg_buf_append(&f.body, w.ptr + 16, w.len - 16));
  zg_http_server_t *srv = NULL;
  zg_http_opts_t ho = {0};
  CHECK_OK(zg_http_server_create(&srv, &ho));
  CHECK_OK(zg_http_server_route(srv, "POST", "/da/v1/cells", fake_cells, &f));
  CHECK_OK(zg_http_server_start(srv));
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%u", zg_http_server_port(srv));
  n.peers[0].url = url;
  zg_buf_t out;
  zg_buf_init(&out);
  zg_da_retrieve_stats_t rs;
  CHECK_OK(zg_da_retrieve(g_ctx, &out, &rs, st, b.digest, n.peers, NSIG, 30000));
  CHECK_EQ(st[0], ZG_DA_PEER_CORRUPT);
  CHECK_EQ(st[1], ZG_DA_PEER_OK);
  CHECK_EQ(rs.columns_ok, 96);
  CHECK_EQ(out.len, b.len);
  CHECK_MEM(out.ptr, b.data, b.len);
  /* A header of another blob is corrupt too. */
  blob_t b2;
  blob_make(&b2, 140000);
  zg_da_header_t h2 = zg_da_encoded_header(&b2.e);
  f.body.len = 0;
  w.len = 0;
  columns(&b, cols, store, 0, 32);
  CHECK_OK(zg_da_store_req_encode(&w, &h2, 0, 0, cols, 32));
  CHECK_OK(zg_buf_append(&f.body, w.ptr + 16, w.len - 16));
  out.len = 0;
  CHECK_OK(zg_da_retrieve(g_ctx, &out, &rs, st, b.digest, n.peers, NSIG, 30000));
  CHECK_EQ(st[0], ZG_DA_PEER_CORRUPT);
  CHECK_MEM(out.ptr, b.data, b.len);
  zg_http_server_destroy(srv);
  zg_buf_clear(&out);
  zg_buf_clear(&w);
  zg_buf_clear(&f.body);
  free(store);
  net_free(&n);
  blob_free(&b);
  blob_free(&b2);
}

/* Malformed bodies get 400, an unknown blob 404, and the signer keeps serving. */
static void test_http_refusals(void) {
  net_t n;
  net_up(&n, 50);
  char url[128];
  zg_rpc_client_t *c = NULL;
  zg_buf_t out;
  long status = 0;
  uint8_t junk[300];
  zg_buf_init(&out);
  zgt_rand_bytes(junk, sizeof junk);
  snprintf(url, sizeof url, "%s/da/v1/store", n.url[0]);
  CHECK_OK(zg_rpc_client_create(&c, url, 30000));
  CHECK_OK(zg_rpc_client_post(c, &out, &status, junk, sizeof junk));
  CHECK_EQ(status, 400);
  zg_rpc_client_destroy(c);
  snprintf(url, sizeof url, "%s/da/v1/cells", n.url[0]);
  CHECK_OK(zg_rpc_client_create(&c, url, 30000));
  out.len = 0;
  CHECK_OK(zg_rpc_client_post(c, &out, &status, junk, 37)); /* count does not match the length */
  CHECK_EQ(status, 400);
  uint8_t q[40] = {0};
  zg_store_be32(q + 32, 1);
  zg_store_be32(q + 36, 3);
  out.len = 0;
  CHECK_OK(zg_rpc_client_post(c, &out, &status, q, sizeof q));
  CHECK_EQ(status, 404);
  zg_rpc_client_destroy(c);
  CHECK_OK(zg_rpc_client_create(&c, n.url[0], 30000));
  out.len = 0;
  CHECK_OK(zg_rpc_client_get(c, &out, &status, "/metrics"));
  CHECK_EQ(status, 200);
  CHECK_OK(zg_buf_push(&out, 0));
  CHECK(strstr((const char *)out.ptr, "zg_da_signer_malformed 1") != NULL);
  out.len = 0;
  CHECK_OK(zg_rpc_client_get(c, &out, &status, "/health"));
  CHECK_EQ(status, 200);
  zg_rpc_client_destroy(c);
  zg_buf_clear(&out);
  net_free(&n);
}

static void test_altda(void) {
  net_t n;
  net_up(&n, 40);
  zg_da_altda_t *a = NULL;
  uint16_t port = 0;
  zg_da_altda_opts_t o = {.ctx = g_ctx, .peers = n.peers, .n = NSIG,
                          .disperse = {.chain_id = CHAIN, .epoch = 2, .quorum_id = 0, .timeout_ms = 30000}};
  CHECK_OK(zg_da_altda_start(&a, &port, "127.0.0.1:0", &o));
  char url[128], path[2 * ZG_ALTDA_COMMITMENT_LEN + 16];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/put", port);
  zg_rpc_client_t *c = NULL;
  CHECK_OK(zg_rpc_client_create(&c, url, 60000));
  uint8_t data[5000];
  zgt_rand_bytes(data, sizeof data);
  zg_buf_t cm, back;
  zg_buf_init(&cm);
  zg_buf_init(&back);
  long status = 0;
  CHECK_OK(zg_rpc_client_post(c, &cm, &status, data, sizeof data));
  CHECK_EQ(status, 200);
  CHECK_EQ(cm.len, ZG_ALTDA_COMMITMENT_LEN);
  if (cm.len == ZG_ALTDA_COMMITMENT_LEN) {
    CHECK(cm.ptr[0] == 0x01 && cm.ptr[1] == ZG_ALTDA_LAYER_BYTE);
    zg_da_cert_t cert;
    CHECK_OK(zg_da_cert_parse(&cert, cm.ptr + 2, ZG_DA_CERT_WIRE_LEN));
    CHECK_EQ(zg_da_bitmap_count(cert.bitmap), 128);
    memcpy(path, "/get/", 5);
    zg_hex_encode(path + 5, cm.ptr, cm.len);
    snprintf(url, sizeof url, "http://127.0.0.1:%u", port);
    zg_rpc_client_t *g = NULL;
    CHECK_OK(zg_rpc_client_create(&g, url, 60000));
    CHECK_OK(zg_rpc_client_get(g, &back, &status, path));
    CHECK_EQ(status, 200);
    CHECK_EQ(back.len, sizeof data);
    CHECK_MEM(back.ptr, data, sizeof data);
    /* Another blob digest in an otherwise valid commitment: 404. */
    path[5 + 2 + 2 * 2] = path[5 + 2 + 2 * 2] == '0' ? '1' : '0';
    back.len = 0;
    CHECK_OK(zg_rpc_client_get(g, &back, &status, path));
    CHECK_EQ(status, 404);
    back.len = 0;
    CHECK_OK(zg_rpc_client_get(g, &back, &status, "/get/0x0102"));
    CHECK_EQ(status, 400);
    zg_rpc_client_destroy(g);
  }
  /* Two signers down: not certified, 503 so the batcher retries. */
  net_down(&n, 0);
  net_down(&n, 1);
  cm.len = 0;
  CHECK_OK(zg_rpc_client_post(c, &cm, &status, data, sizeof data));
  CHECK_EQ(status, 503);
  zg_rpc_client_destroy(c);
  zg_da_altda_stop(a);
  zg_buf_clear(&cm);
  zg_buf_clear(&back);
  net_free(&n);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  char path[1024], msg[256], cmd[400];
  snprintf(path, sizeof path, "%s/kzg-setup/trusted_setup.txt", zgt_vectors_dir());
  if (zg_kzg_settings_load_file(&g_s, path, NULL, msg, sizeof msg) != ZG_OK) {
    printf("skip: %s\n", msg);
    return 77;
  }
  zg_da_opts_t o = {2, 0};
  if (zg_da_ctx_create(&g_ctx, g_s, &o) != ZG_OK) return 1;
  snprintf(g_tmp, sizeof g_tmp, "/tmp/zg_test_signer.XXXXXX");
  if (!mkdtemp(g_tmp)) return 1;
  ZGT_RUN(test_wire);
  ZGT_RUN(test_store_sign);
  ZGT_RUN(test_disperse_retrieve);
  ZGT_RUN(test_faults_dispersal);
  ZGT_RUN(test_faults_corrupt_cells);
  ZGT_RUN(test_http_refusals);
  ZGT_RUN(test_altda);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_tmp);
  if (system(cmd) != 0) printf("note: could not remove %s\n", g_tmp);
  zg_da_ctx_destroy(g_ctx);
  zg_kzg_settings_destroy(g_s);
  return zgt_done();
}

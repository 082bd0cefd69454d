/*
 * cli_da.c — the DA verbs: `zg da signer` (run a signer role),
 * `zg da keygen`, `zg da put`, `zg da get`, `zg da sample`, `zg da status`,
 * `zg da cert-submit` (zg/da_signer.h, zg/da_client.h, zg/da_chain.h), and
 * `zg da-server` (the OP Stack alt-DA server).
 *
 * With --rpc URL the quorum (signers, keys, endpoints, slots), the epoch and
 * the blob records come from DASigners / DAEntrance, and --key (an Ethereum
 * key) pays submitOriginalData and submits the certificate. As a dev/test
 * option the quorum may instead come from a JSON quorum file (no chain):
 *   {"chainId": 4242, "epoch": 1, "quorumId": 0,
 *    "signers": [{"url": "http://127.0.0.1:7001", "pubkey": "0x..(48 bytes)",
 *                 "slots": [0, 31]}, ...]}
 * where "slots" is an inclusive column range. Exit statuses: 0 done, 1 the
 * work failed (not certified, blob not retrievable), 2 usage error.
 */
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "zg/bls.h"
#include "zg/config.h"
#include "zg/da_chain.h"
#include "zg/da_client.h"
#include "zg/da_signer.h"

typedef zg_da_quorum_t quorum_t;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int load_quorum(quorum_t *q, const char *path) {
  json_error_t je;
  json_t *root = json_load_file(path, 0, &je), *sg;
  int rc = 1;
  memset(q, 0, sizeof *q);
  if (!root) {
    fprintf(stderr, "zg da: %s:%d: %s\n", path, je.line, je.text);
    return 1;
  }
  q->chain_id = (uint64_t)json_integer_value(json_object_get(root, "chainId"));
  q->epoch = (uint64_t)json_integer_value(json_object_get(root, "epoch"));
  q->quorum_id = (uint64_t)json_integer_value(json_object_get(root, "quorumId"));
  sg = json_object_get(root, "signers");
  if (!json_is_array(sg) || json_array_size(sg) == 0 || json_array_size(sg) > ZG_DA_COLUMNS) {
    fprintf(stderr, "zg da: %s: \"signers\" must be a non-empty array\n", path);
    goto out;
  }
  for (size_t i = 0; i < json_array_size(sg); i++) {
    json_t *s = json_array_get(sg, i), *sl = json_object_get(s, "slots");
    const char *url = json_string_value(json_object_get(s, "url"));
    const char *pk = json_string_value(json_object_get(s, "pubkey"));
    if (!url || !pk || strlen(url) >= sizeof q->urls[i] || zg_hex_decode(q->peers[i].pubkey, 48, pk, strlen(pk)) ||
        !json_is_array(sl) || json_array_size(sl) != 2) {
      fprintf(stderr, "zg da: %s: signer %zu needs \"url\", \"pubkey\" (48-byte hex), \"slots\" [first, last]\n",
              path, i);
      goto out;
    }
    json_int_t a = json_integer_value(json_array_get(sl, 0)), b = json_integer_value(json_array_get(sl, 1));
    if (a < 0 || b < a || b >= ZG_DA_COLUMNS) {
      fprintf(stderr, "zg da: %s: signer %zu: slots out of 0..127\n", path, i);
      goto out;
    }
    for (json_int_t c = a; c <= b; c++) zg_da_bitmap_set(q->peers[i].slots, (unsigned)c);
    snprintf(q->urls[i], sizeof q->urls[i], "%s", url);
    q->peers[i].url = q->urls[i];
  }
  q->n = json_array_size(sg);
  rc = 0;
out:
  json_decref(root);
  return rc;
}

static zg_err_t read_file(const char *path, zg_buf_t *out) {
  FILE *f = fopen(path, "rb");
  uint8_t tmp[65536];
  size_t got;
  zg_err_t err = ZG_OK;
  if (!f) return ZG_EIO;
  while (!err && (got = fread(tmp, 1, sizeof tmp, f)) > 0) err = zg_buf_append(out, tmp, got);
  if (!err && ferror(f)) err = ZG_EIO;
  fclose(f);
  return err;
}

static int get_ctx(const zg_da_ctx_t **ctx) {
  char msg[256] = "";
  zg_da_opts_t o = {2, 0};
  const char *path = getenv("ZG_KZG_SETUP"); /* else the build's vectors dir, whatever the cwd */
#ifdef ZG_VECTORS_DEFAULT
  if (!path) path = ZG_VECTORS_DEFAULT "/kzg-setup/trusted_setup.txt";
#endif
  if (zg_da_ctx_shared(ctx, path, &o, msg, sizeof msg) != ZG_OK) {
    fprintf(stderr, "zg da: KZG setup: %s\n", msg);
    return 1;
  }
  return 0;
}

/* A 32-byte BLS secret from "0x.." hex, or from a file holding that hex. */
static int parse_key(zg_bls_sk_t *sk, const char *arg) {
  uint8_t b[32];
  char text[128] = "";
  const char *s = arg;
  if (strncmp(arg, "0x", 2) != 0) {
    FILE *f = fopen(arg, "r");
    if (!f || !fgets(text, sizeof text, f)) {
      if (f) fclose(f);
      fprintf(stderr, "zg da: cannot read key file %s\n", arg);
      return 1;
    }
    fclose(f);
    text[strcspn(text, " \r\n")] = 0;
    s = text;
  }
  int rc = zg_hex_decode(b, 32, s, strlen(s)) || zg_bls_sk_parse(sk, b) ? 1 : 0;
  zg_memwipe(b, sizeof b);
  zg_memwipe(text, sizeof text);
  if (rc) fprintf(stderr, "zg da: the key must be 32 bytes of hex (a BLS12-381 secret)\n");
  return rc;
}

static int da_keygen(int argc, char **argv) {
  uint8_t ikm[32] = {0}, skb[32], pkb[48];
  char skh[80], pkh[112];
  zg_bls_sk_t sk;
  zg_bls_pk_t pk;
  if (argc == 3 && strcmp(argv[1], "--seed") == 0) {
    snprintf((char *)ikm, sizeof ikm, "zg-da-dev-%s", argv[2]);
  } else if (argc != 1) {
    return zg__cli_usage_error("da", "keygen [--seed S]");
  } else {
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f || fread(ikm, 1, 32, f) != 32) return 1;
    fclose(f);
  }
  if (zg_bls_keygen(&sk, ikm, 32, NULL, 0)) return 1;
  zg_bls_sk_serialize(skb, &sk);
  zg_bls_sk_to_pk(&pk, &sk);
  zg_bls_pk_serialize(pkb, &pk);
  zg_hex_encode(skh, skb, 32);
  zg_hex_encode(pkh, pkb, 48);
  printf("{\"secret\": \"%s\", \"pubkey\": \"%s\"}\n", skh, pkh);
  zg_memwipe(skb, sizeof skb);
  zg_memwipe(skh, sizeof skh);
  zg_memwipe(ikm, sizeof ikm);
  zg_bls_sk_clear(&sk);
  return 0;
}

static void print_status(const quorum_t *q, const zg_da_peer_status_t *st) {
  for (size_t i = 0; i < q->n; i++)
    if (st[i] != ZG_DA_PEER_OK)
      fprintf(stderr, "zg da: signer %zu (%s): %s, excluded\n", i, q->urls[i], zg_da_peer_status_str(st[i]));
}

/* An Ethereum key from "0x.." hex or a file holding it. */
static int parse_eth_key(zg_secp256k1_sk_t *sk, const char *arg) {
  uint8_t b[32];
  char text[128] = "";
  const char *s = arg;
  if (strncmp(arg, "0x", 2) != 0) {
    FILE *f = fopen(arg, "r");
    if (!f || !fgets(text, sizeof text, f)) {
      if (f) fclose(f);
      fprintf(stderr, "zg da: cannot read key file %s\n", arg);
      return 1;
    }
    fclose(f);
    text[strcspn(text, " \r\n")] = 0;
    s = text;
  }
  int rc = zg_hex_decode(b, 32, s, strlen(s)) || zg_secp256k1_sk_parse(sk, b, 32) ? 1 : 0;
  zg_memwipe(b, sizeof b);
  zg_memwipe(text, sizeof text);
  if (rc) fprintf(stderr, "zg da: --key must be 32 bytes of hex (a secp256k1 secret) or a file holding it\n");
  return rc;
}

static int open_rpc(zg_rpc_client_t **c, const char *url) {
  if (zg_rpc_client_create(c, url, 30000) != ZG_OK) {
    fprintf(stderr, "zg da: cannot use RPC URL %s\n", url);
    return 1;
  }
  return 0;
}

/* The current epoch's quorum for a blob: quorum digest[31] mod count. */
static int chain_quorum_now(zg_rpc_client_t *c, quorum_t *q, const uint8_t digest[32]) {
  char msg[256] = "";
  uint64_t epoch, count;
  zg_err_t e = zg_da_chain_epoch(c, &epoch, msg, sizeof msg);
  if (e == ZG_OK) e = zg_da_chain_quorum_count(c, &count, epoch, msg, sizeof msg);
  if (e == ZG_OK && count == 0) {
    fprintf(stderr, "zg da: epoch %llu has no DA quorum (no signer opted in)\n", (unsigned long long)epoch);
    return 1;
  }
  if (e == ZG_OK) e = zg_da_chain_quorum(c, q, epoch, digest[31] % count, msg, sizeof msg);
  if (e != ZG_OK) {
    fprintf(stderr, "zg da: reading the quorum from the chain: %s (%s)\n", msg, zg_strerror(e));
    return 1;
  }
  return 0;
}

/* Sends DAEntrance.submitCertificate(cert) and prints the verdict. */
static int submit_cert(zg_rpc_client_t *c, const zg_secp256k1_sk_t *sk, uint64_t *nonce, const zg_da_cert_t *cert) {
  static const zg_eth_addr_t dae = {ZG_DAENTRANCE_ADDRESS_BYTES};
  uint8_t cw[ZG_DA_CERT_WIRE_LEN];
  zg_da_tx_result_t r;
  zg_da_cert_encode(cw, cert);
  zg_abi_value_t a = zg_abi_bytes(cw, sizeof cw);
  zg_err_t e = zg_da_chain_send(c, &r, nonce, sk, &dae, NULL, ZG_DAE_SUBMIT_CERTIFICATE, &a, 1, 60000);
  if (e != ZG_OK) {
    fprintf(stderr, "zg da: submitCertificate: %s (%s)\n", zg_strerror(e), r.reason);
    return 1;
  }
  if (!r.ok) {
    printf("certificate rejected on chain: tx %s block %llu: %s\n", r.hash, (unsigned long long)r.block, r.reason);
    return 1;
  }
  printf("certificate accepted on chain: tx %s block %llu\n", r.hash, (unsigned long long)r.block);
  return 0;
}

static void print_cert(const zg_da_cert_t *cert) {
  uint8_t cw[ZG_DA_CERT_WIRE_LEN];
  char hex[2 * ZG_DA_CERT_WIRE_LEN + 3];
  zg_da_cert_encode(cw, cert);
  zg_hex_encode(hex, cw, sizeof cw);
  printf("certificate %s\n", hex);
}

typedef struct {
  const char *file, *qpath, *rpc, *key;
  bool submit_anyway;
} put_args_t;

/* Chain path of put: register (fee), disperse, certificate on chain. */
static int put_chain(const zg_da_ctx_t *ctx, const put_args_t *pa, const zg_da_encoded_t *enc, size_t len,
                     double t_enc) {
  static const zg_eth_addr_t dae = {ZG_DAENTRANCE_ADDRESS_BYTES};
  zg_rpc_client_t *c = NULL;
  zg_secp256k1_sk_t sk;
  quorum_t *q = malloc(sizeof *q);
  zg_da_peer_status_t st[ZG_DA_COLUMNS];
  zg_da_disperse_result_t r;
  zg_da_tx_result_t tx;
  char msg[256] = "", hex[67];
  uint64_t nonce = UINT64_MAX;
  int rc = 1;
  uint8_t digest[32];
  zg_da_header_t hdr = zg_da_encoded_header(enc);
  if (!q || zg_da_blob_digest(digest, &hdr) != ZG_OK || parse_eth_key(&sk, pa->key) || open_rpc(&c, pa->rpc))
    goto out;
  double t0 = now_s();
  if (chain_quorum_now(c, q, digest)) goto out;
  /* Register the blob (fee = blobFee) unless the chain knows it already. */
  zg_da_blob_status_t bs;
  zg_err_t e = zg_da_chain_blob(c, &bs, 0, digest, msg, sizeof msg);
  if (e == ZG_OK && (bs.id == 0 || bs.status == ZG_DA_STATUS_FAILED)) {
    zg_abi_arena_t a;
    const zg_abi_value_t *o;
    zg_u256_t fee;
    uint8_t w[32];
    zg_abi_arena_init(&a);
    e = zg_da_chain_view(c, &o, &a, &dae, ZG_DAE_BLOB_FEE, NULL, 0, "(uint256)", msg, sizeof msg);
    if (e == ZG_OK) e = zg_abi_get_word(w, &o[0]);
    zg_abi_arena_clear(&a);
    zg_u256_from_be32(&fee, w);
    zg_abi_value_t d = zg_abi_fbytes(digest, 32), arr = zg_abi_array(&d, 1);
    if (e == ZG_OK) e = zg_da_chain_send(c, &tx, &nonce, &sk, &dae, &fee, ZG_DAE_SUBMIT_ORIGINAL_DATA, &arr, 1, 60000);
    if (e == ZG_OK && !tx.ok) {
      fprintf(stderr, "zg da put: submitOriginalData reverted: %s\n", tx.reason);
      goto out;
    }
    if (e == ZG_OK) e = zg_da_chain_blob(c, &bs, 0, digest, msg, sizeof msg);
  }
  if (e != ZG_OK) {
    fprintf(stderr, "zg da put: registering the blob on DAEntrance: %s (%s)\n", zg_strerror(e), msg);
    goto out;
  }
  double t1 = now_s();
  zg_hex_encode(hex, digest, 32);
  printf("blob %s id %llu (%s), epoch %llu quorum %llu, %zu signers\n", hex, (unsigned long long)bs.id,
         zg_da_status_name(bs.status), (unsigned long long)q->epoch, (unsigned long long)q->quorum_id, q->n);
  fflush(stdout);
  if (bs.status == ZG_DA_STATUS_CERTIFIED) {
    printf("already certified\n");
    rc = 0;
    goto out;
  }
  zg_da_disperse_opts_t o = {q->chain_id, q->epoch, q->quorum_id, 0};
  e = zg_da_disperse(ctx, &r, st, enc, q->peers, q->n, &o);
  double t2 = now_s();
  if (e != ZG_OK) {
    fprintf(stderr, "zg da put: %s\n", zg_strerror(e));
    goto out;
  }
  print_status(q, st);
  print_cert(&r.cert);
  printf("signed slots %u/%u, %s\n", r.signed_slots, ZG_DA_COLUMNS, r.certified ? "certified" : "NOT certified");
  if (!r.certified && !pa->submit_anyway) goto out;
  rc = submit_cert(c, &sk, &nonce, &r.cert);
  double t3 = now_s();
  printf("encode %.3f s (%.2f MB/s), register %.3f s, dispersal %.3f s, certificate tx %.3f s; "
         "dispersal to certificate %.3f s, total %.3f s (%.2f MB/s)\n",
         t_enc, (double)len / 1e6 / t_enc, t1 - t0, t2 - t1, t3 - t2, t3 - t1, t_enc + t3 - t0,
         (double)len / 1e6 / (t_enc + t3 - t0));
  if (rc == 0 && zg_da_chain_blob(c, &bs, bs.id, NULL, msg, sizeof msg) == ZG_OK)
    printf("status %s\n", zg_da_status_name(bs.status));
out:
  zg_secp256k1_sk_clear(&sk);
  zg_rpc_client_destroy(c);
  free(q);
  return rc;
}

static int da_put(int argc, char **argv) {
  put_args_t pa = {0};
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quorum") == 0 && i + 1 < argc) pa.qpath = argv[++i];
    else if (strcmp(argv[i], "--rpc") == 0 && i + 1 < argc) pa.rpc = argv[++i];
    else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) pa.key = argv[++i];
    else if (strcmp(argv[i], "--submit-anyway") == 0) pa.submit_anyway = true;
    else if (argv[i][0] != '-' && !pa.file) pa.file = argv[i];
    else return zg__cli_usage_error("da", "put: unknown argument '%s'", argv[i]);
  }
  if (!pa.file || (!pa.qpath && (!pa.rpc || !pa.key)))
    return zg__cli_usage_error("da", "put FILE --rpc URL --key KEY [--submit-anyway] | put FILE --quorum QFILE");
  quorum_t *q = malloc(sizeof *q);
  zg_buf_t data;
  zg_da_encoded_t e = {0};
  const zg_da_ctx_t *ctx;
  zg_da_disperse_result_t r;
  zg_da_peer_status_t st[ZG_DA_COLUMNS];
  char hex[67];
  int rc = 1;
  zg_buf_init(&data);
  if (!q || (pa.qpath && load_quorum(q, pa.qpath)) || get_ctx(&ctx)) goto out;
  zg_err_t err = read_file(pa.file, &data);
  if (err) {
    fprintf(stderr, "zg da put: cannot read %s\n", pa.file);
    goto out;
  }
  if (zg_da_check_len(NULL, data.len)) {
    fprintf(stderr, "zg da put: %zu bytes is above the max blob size (%llu bytes); split the data\n", data.len,
            (unsigned long long)zg_da_max_blob(NULL));
    goto out;
  }
  double t0 = now_s();
  err = zg_da_encode(ctx, &e, data.ptr, data.len);
  double t1 = now_s();
  if (err) {
    fprintf(stderr, "zg da put: %s\n", zg_strerror(err));
    goto out;
  }
  if (!pa.qpath) {
    rc = put_chain(ctx, &pa, &e, data.len, t1 - t0);
    goto out;
  }
  zg_da_disperse_opts_t o = {q->chain_id, q->epoch, q->quorum_id, 0};
  err = zg_da_disperse(ctx, &r, st, &e, q->peers, q->n, &o);
  double t2 = now_s();
  if (err) {
    fprintf(stderr, "zg da put: %s\n", zg_strerror(err));
    goto out;
  }
  print_status(q, st);
  zg_hex_encode(hex, r.cert.blob_digest, 32);
  printf("blob %s\n", hex);
  print_cert(&r.cert);
  printf("signed slots %u/%u, %s; encode %.3f s (%.2f MB/s), dispersal %.3f s, total %.3f s\n", r.signed_slots,
         ZG_DA_COLUMNS, r.certified ? "certified" : "NOT certified", t1 - t0, (double)data.len / 1e6 / (t1 - t0),
         t2 - t1, t2 - t0);
  rc = r.certified ? 0 : 1;
out:
  zg_da_encoded_free(&e);
  zg_buf_clear(&data);
  free(q);
  return rc;
}

/* BLOB_ID: "0x" + 32-byte digest, or a decimal DAEntrance id (chain). */
static int parse_blob_id(uint8_t digest[32], uint64_t *id, const char *s) {
  *id = 0;
  if (strncmp(s, "0x", 2) == 0) return zg_hex_decode(digest, 32, s, strlen(s)) ? 1 : 0;
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (!*s || *end || v == 0) return 1;
  *id = v;
  return 0;
}

/* The quorum that certified a blob on chain (its certificate's epoch and
 * quorum); digest gets the blob digest. */
static int chain_quorum_of(const char *rpc, quorum_t *q, uint8_t digest[32], uint64_t id) {
  zg_rpc_client_t *c = NULL;
  zg_da_blob_status_t bs;
  zg_da_cert_t cert;
  char msg[256] = "";
  int rc = 1;
  if (open_rpc(&c, rpc)) return 1;
  zg_err_t e = zg_da_chain_blob(c, &bs, id, id ? NULL : digest, msg, sizeof msg);
  if (e == ZG_OK && bs.id == 0) {
    fprintf(stderr, "zg da: the chain does not know this blob\n");
    goto out;
  }
  if (e == ZG_OK && bs.status != ZG_DA_STATUS_CERTIFIED) {
    fprintf(stderr, "zg da: blob %llu is %s, not certified\n", (unsigned long long)bs.id,
            zg_da_status_name(bs.status));
    goto out;
  }
  if (e == ZG_OK) e = zg_da_chain_certificate(c, &cert, bs.id, msg, sizeof msg);
  if (e == ZG_OK) e = zg_da_chain_quorum(c, q, cert.epoch, cert.quorum_id, msg, sizeof msg);
  if (e != ZG_OK) {
    fprintf(stderr, "zg da: reading the blob's quorum from the chain: %s (%s)\n", msg, zg_strerror(e));
    goto out;
  }
  memcpy(digest, bs.digest, 32);
  rc = 0;
out:
  zg_rpc_client_destroy(c);
  return rc;
}

static int da_get(int argc, char **argv) {
  const char *id = NULL, *outp = NULL, *qpath = NULL, *rpc = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quorum") == 0 && i + 1 < argc) qpath = argv[++i];
    else if (strcmp(argv[i], "--rpc") == 0 && i + 1 < argc) rpc = argv[++i];
    else if (argv[i][0] != '-' && !id) id = argv[i];
    else if (argv[i][0] != '-' && !outp) outp = argv[i];
    else return zg__cli_usage_error("da", "get: unknown argument '%s'", argv[i]);
  }
  if (!id || !outp || (!qpath && !rpc)) return zg__cli_usage_error("da", "get BLOB_ID OUT --rpc URL | --quorum QFILE");
  uint8_t digest[32];
  uint64_t num;
  if (parse_blob_id(digest, &num, id) || (num && !rpc))
    return zg__cli_usage_error("da", "BLOB_ID is 32 bytes of 0x hex (or a DAEntrance id with --rpc)");
  quorum_t *q = malloc(sizeof *q);
  const zg_da_ctx_t *ctx;
  zg_buf_t out;
  zg_da_peer_status_t st[ZG_DA_COLUMNS];
  zg_da_retrieve_stats_t rs;
  int rc = 1;
  zg_buf_init(&out);
  if (!q || (qpath ? load_quorum(q, qpath) : chain_quorum_of(rpc, q, digest, num)) || get_ctx(&ctx)) goto out;
  double t0 = now_s();
  zg_err_t err = zg_da_retrieve(ctx, &out, &rs, st, digest, q->peers, q->n, 0);
  double t1 = now_s();
  print_status(q, st);
  if (err) {
    fprintf(stderr, "zg da get: %s (%u verified columns)\n", zg_strerror(err), rs.columns_ok);
    goto out;
  }
  FILE *f = fopen(outp, "wb");
  if (!f || fwrite(out.ptr, 1, out.len, f) != out.len || fclose(f) != 0) {
    fprintf(stderr, "zg da get: cannot write %s\n", outp);
    goto out;
  }
  printf("retrieved %zu bytes from %u columns (%s) in %.3f s (%.2f MB/s)\n", out.len, rs.columns_ok,
         rs.systematic ? "systematic" : "recovered", t1 - t0, (double)out.len / 1e6 / (t1 - t0));
  rc = 0;
out:
  zg_buf_clear(&out);
  free(q);
  return rc;
}

static int da_sample(int argc, char **argv) {
  const char *id = NULL, *qpath = NULL, *rpc = NULL;
  unsigned samples = 16;
  uint64_t seed = (uint64_t)time(NULL);
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quorum") == 0 && i + 1 < argc) qpath = argv[++i];
    else if (strcmp(argv[i], "--rpc") == 0 && i + 1 < argc) rpc = argv[++i];
    else if (strcmp(argv[i], "--samples") == 0 && i + 1 < argc) samples = (unsigned)strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
    else if (argv[i][0] != '-' && !id) id = argv[i];
    else return zg__cli_usage_error("da", "sample: unknown argument '%s'", argv[i]);
  }
  uint8_t digest[32];
  uint64_t num;
  if (!id || (!qpath && !rpc) || samples == 0 || samples > ZG_DA_COLUMNS)
    return zg__cli_usage_error("da", "sample BLOB_ID --rpc URL | --quorum QFILE [--samples 1..128] [--seed S]");
  if (parse_blob_id(digest, &num, id) || (num && !rpc))
    return zg__cli_usage_error("da", "BLOB_ID is 32 bytes of 0x hex (or a DAEntrance id with --rpc)");
  quorum_t *q = malloc(sizeof *q);
  const zg_da_ctx_t *ctx;
  zg_da_peer_status_t st[ZG_DA_COLUMNS];
  unsigned ver = 0;
  double conf = 0;
  int rc = 1;
  if (!q || (qpath ? load_quorum(q, qpath) : chain_quorum_of(rpc, q, digest, num)) || get_ctx(&ctx)) goto out;
  zg_err_t err = zg_da_sample(ctx, &ver, &conf, st, digest, q->peers, q->n, samples, seed, 0);
  if (err) {
    fprintf(stderr, "zg da sample: %s\n", zg_strerror(err));
    goto out;
  }
  print_status(q, st);
  printf("sampled %u columns (seed %llu): %u verified, confidence %.12f\n", samples, (unsigned long long)seed, ver,
         conf);
  rc = ver == samples ? 0 : 1;
out:
  free(q);
  return rc;
}

/* zg da status BLOB_ID --rpc URL: DAEntrance's record (and certificate). */
static int da_status(int argc, char **argv) {
  const char *id = NULL, *rpc = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--rpc") == 0 && i + 1 < argc) rpc = argv[++i];
    else if (argv[i][0] != '-' && !id) id = argv[i];
    else return zg__cli_usage_error("da", "status: unknown argument '%s'", argv[i]);
  }
  uint8_t digest[32];
  uint64_t num;
  if (!id || !rpc || parse_blob_id(digest, &num, id))
    return zg__cli_usage_error("da", "status BLOB_ID --rpc URL (BLOB_ID: 0x digest or DAEntrance id)");
  zg_rpc_client_t *c = NULL;
  zg_da_blob_status_t bs;
  zg_da_cert_t cert;
  char msg[256] = "", hex[67];
  if (open_rpc(&c, rpc)) return 1;
  zg_err_t e = zg_da_chain_blob(c, &bs, num, num ? NULL : digest, msg, sizeof msg);
  int rc = 1;
  if (e != ZG_OK) {
    fprintf(stderr, "zg da status: %s (%s)\n", zg_strerror(e), msg);
  } else if (bs.id == 0) {
    printf("status none (unknown to DAEntrance)\n");
  } else {
    zg_hex_encode(hex, bs.digest, 32);
    printf("blob %s id %llu status %s epoch %llu%s%s\n", hex, (unsigned long long)bs.id,
           zg_da_status_name(bs.status), (unsigned long long)bs.epoch, bs.reason[0] ? " reason " : "", bs.reason);
    if (bs.status == ZG_DA_STATUS_CERTIFIED && zg_da_chain_certificate(c, &cert, bs.id, msg, sizeof msg) == ZG_OK) {
      printf("quorum epoch %llu id %llu, %u slots signed\n", (unsigned long long)cert.epoch,
             (unsigned long long)cert.quorum_id, zg_da_bitmap_count(cert.bitmap));
      print_cert(&cert);
    }
    rc = 0;
  }
  zg_rpc_client_destroy(c);
  return rc;
}

/* zg da cert-submit CERT_HEX --rpc URL --key KEY: submits a certificate as
 * given (tests: under-quorum or forged certificates are refused on chain). */
static int da_cert_submit(int argc, char **argv) {
  const char *ch = NULL, *rpc = NULL, *key = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--rpc") == 0 && i + 1 < argc) rpc = argv[++i];
    else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) key = argv[++i];
    else if (argv[i][0] != '-' && !ch) ch = argv[i];
    else return zg__cli_usage_error("da", "cert-submit: unknown argument '%s'", argv[i]);
  }
  uint8_t cw[ZG_DA_CERT_WIRE_LEN];
  zg_da_cert_t cert;
  if (!ch || !rpc || !key || zg_hex_decode(cw, sizeof cw, ch, strlen(ch)) || zg_da_cert_parse(&cert, cw, sizeof cw))
    return zg__cli_usage_error("da", "cert-submit CERT_HEX (160-byte wire form) --rpc URL --key KEY");
  zg_rpc_client_t *c = NULL;
  zg_secp256k1_sk_t sk;
  uint64_t nonce = UINT64_MAX;
  if (parse_eth_key(&sk, key)) return 1;
  int rc = open_rpc(&c, rpc) ? 1 : submit_cert(c, &sk, &nonce, &cert);
  zg_secp256k1_sk_clear(&sk);
  zg_rpc_client_destroy(c);
  return rc;
}

/* ---- the signer role: store, serve, and follow the chain ---- */

/* What a signer process runs with (zg da signer flags or the zg node
 * "daSigner" section). */
typedef struct {
  const char *dir, *key, *listen, *rpc, *eth_key, *endpoint, *stake;
  uint64_t chain_id;
  bool no_sync;
} signer_cfg_t;

/* The chain follower of this process's signer (one signer per process):
 * registers and opts in every epoch (zg_da_chain_signer_step, once a
 * second), and answers slot_ok from getQuorum (cached per epoch/quorum). */
typedef struct {
  char rpc[512], endpoint[ZG_DA_SOCKET_MAX + 1];
  bool duties; /* an Ethereum key was given: register and opt in */
  zg_bls_sk_t bls;
  zg_secp256k1_sk_t eth;
  zg_u256_t stake;
  uint8_t pk[48];
  pthread_t th;
  bool running, stop;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  /* slot cache */
  uint64_t c_epoch[8], c_quorum[8];
  uint8_t c_slots[8][ZG_DA_BITMAP_LEN];
  bool c_valid[8];
  unsigned c_next;
} follower_t;

static follower_t g_follow = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void *follow_main(void *arg) {
  follower_t *f = arg;
  char did[300], last[300] = "";
  pthread_mutex_lock(&f->mu);
  while (!f->stop) {
    pthread_mutex_unlock(&f->mu);
    zg_rpc_client_t *c = NULL;
    zg_err_t e = zg_rpc_client_create(&c, f->rpc, 10000);
    did[0] = 0;
    if (e == ZG_OK) e = zg_da_chain_signer_step(c, did, sizeof did, &f->bls, &f->eth, f->endpoint, &f->stake);
    zg_rpc_client_destroy(c);
    /* Report what was done, and each new failure once. */
    if (e == ZG_OK && did[0]) printf("da signer: %s\n", did);
    if (e != ZG_OK && strcmp(did, last) != 0) printf("da signer: chain: %s (%s)\n", zg_strerror(e), did);
    snprintf(last, sizeof last, "%s", e == ZG_OK ? "" : did);
    fflush(stdout);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 1;
    pthread_mutex_lock(&f->mu);
    if (!f->stop) pthread_cond_timedwait(&f->cv, &f->mu, &ts);
  }
  pthread_mutex_unlock(&f->mu);
  return NULL;
}

/* slot_ok: column is one of this signer's slots of (epoch, quorum) on the
 * chain. A chain that cannot be read refuses (the client retries another
 * time or goes without this signer). */
static bool follow_slot_ok(void *user, uint64_t epoch, uint64_t quorum_id, uint32_t column) {
  follower_t *f = user;
  bool hit = false, ok = false;
  pthread_mutex_lock(&f->mu);
  for (unsigned i = 0; i < 8 && !hit; i++)
    if (f->c_valid[i] && f->c_epoch[i] == epoch && f->c_quorum[i] == quorum_id) {
      hit = true;
      ok = zg_da_bitmap_get(f->c_slots[i], column);
    }
  pthread_mutex_unlock(&f->mu);
  if (hit) return ok;
  zg_da_quorum_t *q = malloc(sizeof *q);
  zg_rpc_client_t *c = NULL;
  char msg[256];
  uint8_t mine[ZG_DA_BITMAP_LEN] = {0};
  zg_err_t e = q ? zg_rpc_client_create(&c, f->rpc, 10000) : ZG_ENOMEM;
  if (e == ZG_OK) e = zg_da_chain_quorum(c, q, epoch, quorum_id, msg, sizeof msg);
  zg_rpc_client_destroy(c);
  if (e != ZG_OK) {
    printf("da signer: slots of epoch %llu quorum %llu: %s (%s)\n", (unsigned long long)epoch,
           (unsigned long long)quorum_id, zg_strerror(e), e == ZG_ERANGE ? "no such quorum" : msg);
    fflush(stdout);
  }
  if (e == ZG_OK || e == ZG_ERANGE) {
    for (size_t i = 0; e == ZG_OK && i < q->n; i++)
      if (memcmp(q->peers[i].pubkey, f->pk, 48) == 0) memcpy(mine, q->peers[i].slots, sizeof mine);
    pthread_mutex_lock(&f->mu);
    unsigned k = f->c_next++ % 8;
    f->c_epoch[k] = epoch;
    f->c_quorum[k] = quorum_id;
    memcpy(f->c_slots[k], mine, sizeof mine);
    f->c_valid[k] = true;
    pthread_mutex_unlock(&f->mu);
    ok = zg_da_bitmap_get(mine, column);
  }
  free(q);
  return ok;
}

static void follow_stop(void) {
  follower_t *f = &g_follow;
  if (f->running) {
    pthread_mutex_lock(&f->mu);
    f->stop = true;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->th, NULL);
    f->running = false;
  }
  zg_bls_sk_clear(&f->bls);
  zg_secp256k1_sk_clear(&f->eth);
}

/* Opens and serves the signer of cfg; with cfg->rpc, follows the chain. */
static zg_da_signer_t *signer_start(const signer_cfg_t *cfg, const char *who) {
  const zg_da_ctx_t *ctx;
  zg_bls_sk_t sk;
  zg_da_signer_t *s = NULL;
  follower_t *f = &g_follow;
  uint16_t port = 0;
  uint8_t pkb[48];
  char pkh[112];
  uint64_t chain_id = cfg->chain_id;
  if (get_ctx(&ctx) || parse_key(&sk, cfg->key)) return NULL;
  zg_da_signer_opts_t o = {.data_dir = cfg->dir, .sk = &sk, .chain_id = chain_id, .ctx = ctx, .no_sync = cfg->no_sync};
  if (cfg->rpc) {
    zg_bls_pk_t pk;
    zg_rpc_client_t *c = NULL;
    json_t *r = NULL;
    zg_rpc_error_t re;
    snprintf(f->rpc, sizeof f->rpc, "%s", cfg->rpc);
    f->bls = sk;
    zg_bls_sk_to_pk(&pk, &sk);
    zg_bls_pk_serialize(f->pk, &pk);
    f->duties = cfg->eth_key != NULL;
    if (f->duties) {
      const char *st = cfg->stake ? cfg->stake : "32000000000000000000";
      if (!cfg->endpoint || strlen(cfg->endpoint) > ZG_DA_SOCKET_MAX || parse_eth_key(&f->eth, cfg->eth_key) ||
          zg_u256_parse(&f->stake, st, strlen(st)) != ZG_OK) {
        fprintf(stderr, "%s: with an Ethereum key the signer needs its endpoint URL (and a decimal stake)\n", who);
        goto fail;
      }
      snprintf(f->endpoint, sizeof f->endpoint, "%s", cfg->endpoint);
    }
    /* The chain id every signature binds: the chain's own. */
    if (!chain_id) {
      zg_err_t e = zg_rpc_client_create(&c, cfg->rpc, 10000);
      for (int i = 0; e == ZG_OK && i < 600; i++) { /* the chain may still be starting: up to 60 s */
        json_decref(r);
        r = NULL;
        if (zg_rpc_client_call(c, &r, &re, "eth_chainId", json_array()) == ZG_OK) break;
        usleep(100000);
      }
      zg_u256_t v;
      uint8_t be[32];
      if (e == ZG_OK) e = json_is_string(r) ? zg_u256_parse(&v, json_string_value(r), json_string_length(r)) : ZG_EJSON;
      json_decref(r);
      zg_rpc_client_destroy(c);
      if (e != ZG_OK) {
        fprintf(stderr, "%s: cannot read the chain id from %s\n", who, cfg->rpc);
        goto fail;
      }
      zg_u256_to_be32(be, &v);
      chain_id = o.chain_id = zg_load_be64(be + 24);
    }
    o.slot_ok = follow_slot_ok;
    o.slot_user = f;
  }
  zg_err_t err = zg_da_signer_open(&s, &o);
  zg_bls_sk_clear(&sk);
  if (!err) err = zg_da_signer_serve(s, cfg->listen, &port);
  if (err) {
    fprintf(stderr, "%s: %s\n", who, zg_strerror(err));
    zg_da_signer_close(s);
    follow_stop();
    return NULL;
  }
  zg_da_signer_pubkey(s, pkb);
  zg_hex_encode(pkh, pkb, 48);
  printf("da signer listening on port %u pubkey %s chain %llu\n", port, pkh, (unsigned long long)chain_id);
  fflush(stdout);
  if (cfg->rpc && f->duties) {
    f->stop = false;
    if (pthread_create(&f->th, NULL, follow_main, f) == 0) f->running = true;
  }
  return s;
fail:
  zg_bls_sk_clear(&sk);
  follow_stop();
  return NULL;
}

static int da_signer(int argc, char **argv) {
  signer_cfg_t cfg = {.listen = "127.0.0.1:0"};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--no-sync") == 0) {
      cfg.no_sync = true;
      continue;
    }
    if (!v) return zg__cli_usage_error("da", "signer: %s wants a value", a);
    i++;
    if (strcmp(a, "--listen") == 0) cfg.listen = v;
    else if (strcmp(a, "--dir") == 0) cfg.dir = v;
    else if (strcmp(a, "--key") == 0) cfg.key = v;
    else if (strcmp(a, "--chain-id") == 0) cfg.chain_id = strtoull(v, NULL, 10);
    else if (strcmp(a, "--rpc") == 0) cfg.rpc = v;
    else if (strcmp(a, "--eth-key") == 0) cfg.eth_key = v;
    else if (strcmp(a, "--endpoint") == 0) cfg.endpoint = v;
    else if (strcmp(a, "--stake") == 0) cfg.stake = v;
    else return zg__cli_usage_error("da", "signer: unknown argument '%s'", a);
  }
  if (!cfg.dir || !cfg.key)
    return zg__cli_usage_error("da", "signer --dir DIR --key BLSKEY [--listen ADDR] [--rpc URL [--eth-key KEY "
                                     "--endpoint URL [--stake WEI]]] [--chain-id N] [--no-sync]");
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  zg_da_signer_t *s = signer_start(&cfg, "zg da signer");
  if (!s) return 1;
  int sig = 0;
  sigwait(&set, &sig);
  follow_stop();
  zg_da_signer_close(s);
  return 0;
}

struct zg_da_signer *zg__cli_da_signer_start(struct zg_config *cfg, const char *path) {
  signer_cfg_t c = {0};
  zg_err_t e = zg_config_get_str(cfg, &c.dir, "daSigner.dataDir", NULL);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &c.key, "daSigner.key", NULL);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &c.listen, "daSigner.listen", "127.0.0.1:0");
  if (e == ZG_OK) e = zg_config_get_u64(cfg, &c.chain_id, "daSigner.chainId", 0);
  if (e == ZG_OK) e = zg_config_get_bool(cfg, &c.no_sync, "daSigner.noSync", false);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &c.rpc, "daSigner.rpc", NULL);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &c.eth_key, "daSigner.ethKey", NULL);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &c.endpoint, "daSigner.endpoint", NULL);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &c.stake, "daSigner.stake", NULL);
  if (e != ZG_OK) {
    fprintf(stderr, "zg node: %s\n", zg_config_error(cfg));
    return NULL;
  }
  if (!c.dir || !c.key) {
    fprintf(stderr, "zg node: %s: daSigner.dataDir and daSigner.key are required\n", path);
    return NULL;
  }
  return signer_start(&c, "zg node: daSigner");
}

void zg__cli_da_signer_stop(struct zg_da_signer *s) {
  follow_stop();
  zg_da_signer_close(s);
}

/* The alt-DA server's chain side: registers each certified blob and submits
 * its certificate (one transaction at a time: one nonce sequence). */
typedef struct {
  pthread_mutex_t mu;
  zg_rpc_client_t *c;
  zg_secp256k1_sk_t sk;
  uint64_t nonce;
} altda_chain_t;

static zg_err_t altda_commit(void *user, bool *accepted, const zg_da_cert_t *cert) {
  static const zg_eth_addr_t dae = {ZG_DAENTRANCE_ADDRESS_BYTES};
  altda_chain_t *ac = user;
  zg_da_blob_status_t bs;
  zg_da_tx_result_t tx;
  char msg[256] = "";
  *accepted = false;
  pthread_mutex_lock(&ac->mu);
  zg_err_t e = zg_da_chain_blob(ac->c, &bs, 0, cert->blob_digest, msg, sizeof msg);
  if (e == ZG_OK && (bs.id == 0 || bs.status == ZG_DA_STATUS_FAILED)) {
    zg_abi_arena_t a;
    const zg_abi_value_t *o;
    uint8_t w[32];
    zg_u256_t fee;
    zg_abi_arena_init(&a);
    e = zg_da_chain_view(ac->c, &o, &a, &dae, ZG_DAE_BLOB_FEE, NULL, 0, "(uint256)", msg, sizeof msg);
    if (e == ZG_OK) e = zg_abi_get_word(w, &o[0]);
    zg_abi_arena_clear(&a);
    zg_u256_from_be32(&fee, w);
    zg_abi_value_t d = zg_abi_fbytes(cert->blob_digest, 32), arr = zg_abi_array(&d, 1);
    if (e == ZG_OK)
      e = zg_da_chain_send(ac->c, &tx, &ac->nonce, &ac->sk, &dae, &fee, ZG_DAE_SUBMIT_ORIGINAL_DATA, &arr, 1, 60000);
    if (e == ZG_OK && !tx.ok) e = ZG_EREVERT;
  }
  if (e == ZG_OK && bs.status == ZG_DA_STATUS_CERTIFIED) {
    *accepted = true;
  } else if (e == ZG_OK) {
    uint8_t cw[ZG_DA_CERT_WIRE_LEN];
    zg_da_cert_encode(cw, cert);
    zg_abi_value_t arg = zg_abi_bytes(cw, sizeof cw);
    e = zg_da_chain_send(ac->c, &tx, &ac->nonce, &ac->sk, &dae, NULL, ZG_DAE_SUBMIT_CERTIFICATE, &arg, 1, 60000);
    if (e == ZG_OK) *accepted = tx.ok;
    if (e == ZG_OK && !tx.ok) fprintf(stderr, "zg da-server: certificate rejected on chain: %s\n", tx.reason);
  }
  if (e != ZG_OK) {
    fprintf(stderr, "zg da-server: chain: %s %s\n", zg_strerror(e), msg);
    ac->nonce = UINT64_MAX; /* ask the chain again next time */
  }
  pthread_mutex_unlock(&ac->mu);
  return e;
}

int zg__cli_da_server(int argc, char **argv) {
  const char *listen = "127.0.0.1:3100", *qpath = NULL, *rpc = NULL, *key = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) listen = argv[++i];
    else if (strcmp(argv[i], "--quorum") == 0 && i + 1 < argc) qpath = argv[++i];
    else if (strcmp(argv[i], "--rpc") == 0 && i + 1 < argc) rpc = argv[++i];
    else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) key = argv[++i];
    else return zg__cli_usage_error("da-server", "unknown argument '%s'", argv[i]);
  }
  if (!qpath && (!rpc || !key))
    return zg__cli_usage_error("da-server", "--rpc URL --key KEY (chain) or --quorum QFILE (dev) is required");
  quorum_t *q = malloc(sizeof *q);
  const zg_da_ctx_t *ctx;
  zg_da_altda_t *a = NULL;
  altda_chain_t ac = {.mu = PTHREAD_MUTEX_INITIALIZER, .nonce = UINT64_MAX};
  uint16_t port = 0;
  int rc = 1;
  memset(&ac.sk, 0, sizeof ac.sk);
  if (!q || get_ctx(&ctx)) goto out;
  if (qpath && load_quorum(q, qpath)) goto out;
  if (!qpath) {
    /* The current epoch's quorum 0, read once at start (restart the
     * server when the epoch's quorum changes). */
    static const uint8_t zero[32];
    if (parse_eth_key(&ac.sk, key) || open_rpc(&ac.c, rpc) || chain_quorum_now(ac.c, q, zero)) goto out;
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  zg_da_altda_opts_t o = {.ctx = ctx, .peers = q->peers, .n = q->n,
                          .disperse = {q->chain_id, q->epoch, q->quorum_id, 0},
                          .commit = qpath ? NULL : altda_commit, .commit_user = &ac};
  zg_err_t err = zg_da_altda_start(&a, &port, listen, &o);
  if (err) {
    fprintf(stderr, "zg da-server: cannot listen on %s: %s\n", listen, zg_strerror(err));
    goto out;
  }
  printf("da-server listening on port %u%s\n", port, qpath ? "" : " (certificates on chain)");
  fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  rc = 0;
out:
  zg_da_altda_stop(a);
  zg_rpc_client_destroy(ac.c);
  zg_secp256k1_sk_clear(&ac.sk);
  free(q);
  return rc;
}

int zg__cli_da(int argc, char **argv) {
  if (argc < 2) return zg__cli_usage_error("da", "a sub-verb is required: signer|keygen|put|get|sample|status|cert-submit");
  if (strcmp(argv[1], "signer") == 0) return da_signer(argc - 1, argv + 1);
  if (strcmp(argv[1], "keygen") == 0) return da_keygen(argc - 1, argv + 1);
  if (strcmp(argv[1], "put") == 0) return da_put(argc - 1, argv + 1);
  if (strcmp(argv[1], "get") == 0) return da_get(argc - 1, argv + 1);
  if (strcmp(argv[1], "sample") == 0) return da_sample(argc - 1, argv + 1);
  if (strcmp(argv[1], "status") == 0) return da_status(argc - 1, argv + 1);
  if (strcmp(argv[1], "cert-submit") == 0) return da_cert_submit(argc - 1, argv + 1);
  return zg__cli_usage_error("da", "unknown sub-verb '%s'", argv[1]);
}

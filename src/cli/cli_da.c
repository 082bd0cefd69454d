/*
 * cli_da.c — the DA verbs: `zg da signer` (run a signer role),
 * `zg da keygen`, `zg da put`, `zg da get`, `zg da sample` (zg/da_signer.h,
 * zg/da_client.h), and `zg da-server` (the OP Stack alt-DA server).
 *
 * Until the DASigners views are wired in, the quorum (signer URLs, keys,
 * slots) and the (chain id, epoch, quorum id) come from a JSON quorum file:
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

#include "cli.h"
#include "zg/bls.h"
#include "zg/config.h"
#include "zg/da_client.h"
#include "zg/da_signer.h"

typedef struct {
  uint64_t chain_id, epoch, quorum_id;
  size_t n;
  zg_da_peer_t peers[ZG_DA_COLUMNS];
  char urls[ZG_DA_COLUMNS][256];
} quorum_t;

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

static int da_signer(int argc, char **argv) {
  const char *listen = "127.0.0.1:0", *dir = NULL, *key = NULL;
  uint64_t chain_id = 0;
  bool no_sync = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) listen = argv[++i];
    else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) dir = argv[++i];
    else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) key = argv[++i];
    else if (strcmp(argv[i], "--chain-id") == 0 && i + 1 < argc) chain_id = strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--no-sync") == 0) no_sync = true;
    else return zg__cli_usage_error("da", "signer: unknown argument '%s'", argv[i]);
  }
  if (!dir || !key) return zg__cli_usage_error("da", "signer needs --dir DIR and --key KEY");
  const zg_da_ctx_t *ctx;
  zg_bls_sk_t sk;
  zg_da_signer_t *s = NULL;
  uint16_t port = 0;
  uint8_t pkb[48];
  char pkh[112];
  int rc = 1;
  if (get_ctx(&ctx) || parse_key(&sk, key)) return 1;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  zg_da_signer_opts_t o = {.data_dir = dir, .sk = &sk, .chain_id = chain_id, .ctx = ctx, .no_sync = no_sync};
  zg_err_t err = zg_da_signer_open(&s, &o);
  zg_bls_sk_clear(&sk);
  if (!err) err = zg_da_signer_serve(s, listen, &port);
  if (err) {
    fprintf(stderr, "zg da signer: %s\n", zg_strerror(err));
    goto out;
  }
  zg_da_signer_pubkey(s, pkb);
  zg_hex_encode(pkh, pkb, 48);
  printf("da signer listening on port %u pubkey %s\n", port, pkh);
  fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  rc = 0;
out:
  zg_da_signer_close(s);
  return rc;
}

static void print_status(const quorum_t *q, const zg_da_peer_status_t *st) {
  for (size_t i = 0; i < q->n; i++)
    if (st[i] != ZG_DA_PEER_OK)
      fprintf(stderr, "zg da: signer %zu (%s): %s, excluded\n", i, q->urls[i], zg_da_peer_status_str(st[i]));
}

static int da_put(int argc, char **argv) {
  const char *file = NULL, *qpath = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quorum") == 0 && i + 1 < argc) qpath = argv[++i];
    else if (argv[i][0] != '-' && !file) file = argv[i];
    else return zg__cli_usage_error("da", "put: unknown argument '%s'", argv[i]);
  }
  if (!file || !qpath) return zg__cli_usage_error("da", "put FILE --quorum QFILE");
  quorum_t *q = malloc(sizeof *q);
  zg_buf_t data;
  zg_da_encoded_t e = {0};
  const zg_da_ctx_t *ctx;
  zg_da_disperse_result_t r;
  zg_da_peer_status_t st[ZG_DA_COLUMNS];
  uint8_t cw[ZG_DA_CERT_WIRE_LEN];
  char hex[2 * ZG_DA_CERT_WIRE_LEN + 3];
  int rc = 1;
  zg_buf_init(&data);
  if (!q || load_quorum(q, qpath) || get_ctx(&ctx)) goto out;
  zg_err_t err = read_file(file, &data);
  if (err) {
    fprintf(stderr, "zg da put: cannot read %s\n", file);
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
  zg_da_disperse_opts_t o = {q->chain_id, q->epoch, q->quorum_id, 0};
  if (!err) err = zg_da_disperse(ctx, &r, st, &e, q->peers, q->n, &o);
  double t2 = now_s();
  if (err) {
    fprintf(stderr, "zg da put: %s\n", zg_strerror(err));
    goto out;
  }
  print_status(q, st);
  zg_hex_encode(hex, r.cert.blob_digest, 32);
  printf("blob %s\n", hex);
  zg_da_cert_encode(cw, &r.cert);
  zg_hex_encode(hex, cw, sizeof cw);
  printf("certificate %s\n", hex);
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

static int da_get(int argc, char **argv) {
  const char *id = NULL, *outp = NULL, *qpath = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quorum") == 0 && i + 1 < argc) qpath = argv[++i];
    else if (argv[i][0] != '-' && !id) id = argv[i];
    else if (argv[i][0] != '-' && !outp) outp = argv[i];
    else return zg__cli_usage_error("da", "get: unknown argument '%s'", argv[i]);
  }
  if (!id || !outp || !qpath) return zg__cli_usage_error("da", "get BLOB_ID OUT --quorum QFILE");
  uint8_t digest[32];
  if (zg_hex_decode(digest, 32, id, strlen(id))) return zg__cli_usage_error("da", "BLOB_ID is 32 bytes of 0x hex");
  quorum_t *q = malloc(sizeof *q);
  const zg_da_ctx_t *ctx;
  zg_buf_t out;
  zg_da_peer_status_t st[ZG_DA_COLUMNS];
  zg_da_retrieve_stats_t rs;
  int rc = 1;
  zg_buf_init(&out);
  if (!q || load_quorum(q, qpath) || get_ctx(&ctx)) goto out;
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
  const char *id = NULL, *qpath = NULL;
  unsigned samples = 16;
  uint64_t seed = (uint64_t)time(NULL);
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quorum") == 0 && i + 1 < argc) qpath = argv[++i];
    else if (strcmp(argv[i], "--samples") == 0 && i + 1 < argc) samples = (unsigned)strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
    else if (argv[i][0] != '-' && !id) id = argv[i];
    else return zg__cli_usage_error("da", "sample: unknown argument '%s'", argv[i]);
  }
  uint8_t digest[32];
  if (!id || !qpath || samples == 0 || samples > ZG_DA_COLUMNS)
    return zg__cli_usage_error("da", "sample BLOB_ID --quorum QFILE [--samples 1..128] [--seed S]");
  if (zg_hex_decode(digest, 32, id, strlen(id))) return zg__cli_usage_error("da", "BLOB_ID is 32 bytes of 0x hex");
  quorum_t *q = malloc(sizeof *q);
  const zg_da_ctx_t *ctx;
  zg_da_peer_status_t st[ZG_DA_COLUMNS];
  unsigned ver = 0;
  double conf = 0;
  int rc = 1;
  if (!q || load_quorum(q, qpath) || get_ctx(&ctx)) goto out;
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

struct zg_da_signer *zg__cli_da_signer_start(struct zg_config *cfg, const char *path) {
  const char *dir = NULL, *key = NULL, *listen = NULL;
  uint64_t chain_id = 0;
  bool no_sync = false;
  const zg_da_ctx_t *ctx;
  zg_bls_sk_t sk;
  zg_da_signer_t *s = NULL;
  uint16_t port = 0;
  uint8_t pkb[48];
  char pkh[112];
  zg_err_t e = zg_config_get_str(cfg, &dir, "daSigner.dataDir", NULL);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &key, "daSigner.key", NULL);
  if (e == ZG_OK) e = zg_config_get_str(cfg, &listen, "daSigner.listen", "127.0.0.1:0");
  if (e == ZG_OK) e = zg_config_get_u64(cfg, &chain_id, "daSigner.chainId", 0);
  if (e == ZG_OK) e = zg_config_get_bool(cfg, &no_sync, "daSigner.noSync", false);
  if (e != ZG_OK) {
    fprintf(stderr, "zg node: %s\n", zg_config_error(cfg));
    return NULL;
  }
  if (!dir || !key) {
    fprintf(stderr, "zg node: %s: daSigner.dataDir and daSigner.key are required\n", path);
    return NULL;
  }
  if (get_ctx(&ctx) || parse_key(&sk, key)) return NULL;
  zg_da_signer_opts_t o = {.data_dir = dir, .sk = &sk, .chain_id = chain_id, .ctx = ctx, .no_sync = no_sync};
  e = zg_da_signer_open(&s, &o);
  zg_bls_sk_clear(&sk);
  if (!e) e = zg_da_signer_serve(s, listen, &port);
  if (e) {
    fprintf(stderr, "zg node: daSigner: %s\n", zg_strerror(e));
    zg_da_signer_close(s);
    return NULL;
  }
  zg_da_signer_pubkey(s, pkb);
  zg_hex_encode(pkh, pkb, 48);
  printf("da signer listening on port %u pubkey %s\n", port, pkh);
  fflush(stdout);
  return s;
}

void zg__cli_da_signer_stop(struct zg_da_signer *s) { zg_da_signer_close(s); }

int zg__cli_da_server(int argc, char **argv) {
  const char *listen = "127.0.0.1:3100", *qpath = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) listen = argv[++i];
    else if (strcmp(argv[i], "--quorum") == 0 && i + 1 < argc) qpath = argv[++i];
    else return zg__cli_usage_error("da-server", "unknown argument '%s'", argv[i]);
  }
  if (!qpath) return zg__cli_usage_error("da-server", "--quorum QFILE is required (chain mode: not yet)");
  quorum_t *q = malloc(sizeof *q);
  const zg_da_ctx_t *ctx;
  zg_da_altda_t *a = NULL;
  uint16_t port = 0;
  int rc = 1;
  if (!q || load_quorum(q, qpath) || get_ctx(&ctx)) goto out;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  zg_da_altda_opts_t o = {.ctx = ctx, .peers = q->peers, .n = q->n,
                          .disperse = {q->chain_id, q->epoch, q->quorum_id, 0}};
  zg_err_t err = zg_da_altda_start(&a, &port, listen, &o);
  if (err) {
    fprintf(stderr, "zg da-server: cannot listen on %s: %s\n", listen, zg_strerror(err));
    goto out;
  }
  printf("da-server listening on port %u\n", port);
  fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  rc = 0;
out:
  zg_da_altda_stop(a);
  free(q);
  return rc;
}

int zg__cli_da(int argc, char **argv) {
  if (argc < 2) return zg__cli_usage_error("da", "a sub-verb is required: signer|keygen|put|get|sample");
  if (strcmp(argv[1], "signer") == 0) return da_signer(argc - 1, argv + 1);
  if (strcmp(argv[1], "keygen") == 0) return da_keygen(argc - 1, argv + 1);
  if (strcmp(argv[1], "put") == 0) return da_put(argc - 1, argv + 1);
  if (strcmp(argv[1], "get") == 0) return da_get(argc - 1, argv + 1);
  if (strcmp(argv[1], "sample") == 0) return da_sample(argc - 1, argv + 1);
  return zg__cli_usage_error("da", "unknown sub-verb '%s'", argv[1]);
}

/*
 * cli_kv.c — `zg kv put|get|grant-writer|result` (docs/kv.md).
 *
 * A write (put, grant-writer) builds 0G's StreamData payload
 * (zg/kv_stream.h) into a temporary file and sends it through `zg upload`'s
 * own code path (zg__cli_upload with --tags StreamDomain ‖ stream and
 * --json, its stdout captured), so the submission, the market fee and the
 * segment upload are exactly those of a file upload. It then waits for the
 * KV node's verdict (kv_getTransactionResult) and exits 0 only on "Commit".
 * A read (get) asks kv_getValue in 256 KiB pieces (0G's maxQuerySize).
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "zg/kv_stream.h"
#include "zg/rpc_client.h"

#define KV_CHUNK ((uint64_t)256 << 10)
#define KV_MAX_READS 64

typedef struct {
  const char *node, *chain, *key, *key_file;
  uint64_t version; /* UINT64_MAX: no read-version guard */
  const char *reads[KV_MAX_READS];
  size_t nreads;
  bool json, no_wait, has_version;
  uint64_t at; /* get: the version to read at */
} kv_opts_t;

/* Parses the flags; positionals go to pos (npos wanted). */
static int parse(const char *verb, kv_opts_t *o, int argc, char **argv, const char **pos, int npos) {
  memset(o, 0, sizeof *o);
  o->version = UINT64_MAX;
  o->at = UINT64_MAX;
  int got = 0;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    bool more = i + 1 < argc;
    if (strcmp(a, "--node") == 0 && more) {
      o->node = argv[++i];
    } else if (strcmp(a, "--chain") == 0 && more) {
      o->chain = argv[++i];
    } else if (strcmp(a, "--key") == 0 && more) {
      o->key = argv[++i];
    } else if (strcmp(a, "--key-file") == 0 && more) {
      o->key_file = argv[++i];
    } else if ((strcmp(a, "--version") == 0 || strcmp(a, "--at") == 0) && more) {
      char *end;
      errno = 0;
      unsigned long long v = strtoull(argv[++i], &end, 10);
      if (*end || errno) return zg__cli_usage_error(verb, "%s takes a number", a);
      if (a[2] == 'v') {
        o->version = v;
        o->has_version = true;
      } else {
        o->at = v;
      }
    } else if (strcmp(a, "--read") == 0 && more) {
      if (o->nreads == KV_MAX_READS) return zg__cli_usage_error(verb, "at most %d --read keys", KV_MAX_READS);
      o->reads[o->nreads++] = argv[++i];
    } else if (strcmp(a, "--json") == 0) {
      o->json = true;
    } else if (strcmp(a, "--no-wait") == 0) {
      o->no_wait = true;
    } else if (a[0] == '-' && a[1]) {
      return zg__cli_usage_error(verb, "unknown flag '%s'", a);
    } else if (got < npos) {
      pos[got++] = a;
    } else {
      return zg__cli_usage_error(verb, "unexpected argument '%s'", a);
    }
  }
  if (got < npos) return zg__cli_usage_error(verb, "missing arguments");
  if (!o->node) return zg__cli_usage_error(verb, "missing --node URL");
  return 0;
}

static int stream_arg(const char *verb, uint8_t out[32], const char *s) {
  if (zg_hex_decode(out, 32, s, strlen(s)) != ZG_OK)
    return zg__cli_usage_error(verb, "STREAM must be 0x + 64 hex digits");
  return 0;
}

/* The first node of a comma-separated list (the KV node to ask). */
static void first_node(char *out, size_t cap, const char *list) {
  size_t n = strcspn(list, ",");
  if (n >= cap) n = cap - 1;
  memcpy(out, list, n);
  out[n] = 0;
}

/* Runs zg__cli_upload on payload with the stream's tags; *seq gets the tx. */
static int submit(const char *verb, const kv_opts_t *o, const zg_buf_t *payload, const uint8_t stream[32],
                  uint64_t *seq) {
  char path[] = "/tmp/zg-kv-XXXXXX", out_path[] = "/tmp/zg-kv-out-XXXXXX";
  int fd = mkstemp(path), ofd = mkstemp(out_path), rc = 1;
  zg_buf_t tags;
  zg_buf_init(&tags);
  char *tags_hex = NULL;
  if (fd < 0 || ofd < 0) {
    fprintf(stderr, "zg kv %s: cannot create a temporary file: %s\n", verb, strerror(errno));
    goto out;
  }
  if (write(fd, payload->ptr, payload->len) != (ssize_t)payload->len || zg_kv_tags_encode(&tags, (const uint8_t(*)[32])stream, 1) != ZG_OK) {
    fprintf(stderr, "zg kv %s: cannot write the payload\n", verb);
    goto out;
  }
  tags_hex = malloc(2 * tags.len + 3);
  if (!tags_hex) goto out;
  zg_hex_encode(tags_hex, tags.ptr, tags.len);
  char *argv[16];
  int argc = 0;
  argv[argc++] = "upload";
  argv[argc++] = path;
  argv[argc++] = "--node";
  argv[argc++] = (char *)o->node;
  argv[argc++] = "--chain";
  argv[argc++] = (char *)o->chain;
  argv[argc++] = o->key ? "--key" : "--key-file";
  argv[argc++] = (char *)(o->key ? o->key : o->key_file);
  argv[argc++] = "--tags";
  argv[argc++] = tags_hex;
  argv[argc++] = "--json";
  argv[argc] = NULL;
  /* zg upload prints its JSON line on stdout: capture it. */
  fflush(stdout);
  int saved = dup(STDOUT_FILENO);
  dup2(ofd, STDOUT_FILENO);
  int urc = zg__cli_upload(argc, argv);
  fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  if (urc != 0) {
    rc = urc;
    goto out;
  }
  json_error_t je;
  json_t *j = json_load_file(out_path, 0, &je);
  json_t *s = json_object_get(j, "txSeq");
  if (!json_is_integer(s)) {
    fprintf(stderr, "zg kv %s: the upload did not report its txSeq\n", verb);
    json_decref(j);
    goto out;
  }
  *seq = (uint64_t)json_integer_value(s);
  json_decref(j);
  rc = 0;
out:
  if (fd >= 0) close(fd), unlink(path);
  if (ofd >= 0) close(ofd), unlink(out_path);
  free(tags_hex);
  zg_buf_clear(&tags);
  return rc;
}

/* Polls kv_getTransactionResult(seq) for up to 120 s; prints it. Returns 0
 * for "Commit", 3 for another verdict, 1 when none came. */
static int wait_result(const char *verb, const kv_opts_t *o, uint64_t seq) {
  char url[512];
  first_node(url, sizeof url, o->node);
  zg_rpc_client_t *c = NULL;
  if (zg_rpc_client_create(&c, url, 10000) != ZG_OK) return 1;
  int rc = 1;
  for (int i = 0; i < 1200; i++) {
    json_t *r = NULL;
    zg_err_t e = zg_rpc_client_call(c, &r, NULL, "kv_getTransactionResult", json_pack("[I]", (json_int_t)seq));
    if (e == ZG_OK && json_is_string(r)) {
      const char *res = json_string_value(r);
      if (o->json)
        printf("{\"txSeq\":%" PRIu64 ",\"result\":\"%s\"}\n", seq, res);
      else
        printf("txSeq %" PRIu64 ": %s\n", seq, res);
      rc = strcmp(res, "Commit") == 0 ? 0 : 3;
      json_decref(r);
      break;
    }
    json_decref(r);
    usleep(100000);
  }
  if (rc == 1) fprintf(stderr, "zg kv %s: no result for txSeq %" PRIu64 " from %s after 120 s\n", verb, seq, url);
  zg_rpc_client_destroy(c);
  return rc;
}

/* Encodes s, submits it and waits for the verdict. */
static int write_tx(const char *verb, const kv_opts_t *o, const zg_kv_stream_t *s, const uint8_t stream[32]) {
  if (!o->chain || (!o->key && !o->key_file))
    return zg__cli_usage_error(verb, "a write needs --chain URL and --key 0x.. (or --key-file PATH)");
  zg_buf_t payload;
  zg_buf_init(&payload);
  uint64_t seq = 0;
  int rc = 1;
  if (zg_kv_stream_encode(&payload, s) != ZG_OK) {
    fprintf(stderr, "zg kv %s: cannot encode the payload (key of 1..16777215 bytes?)\n", verb);
  } else {
    rc = submit(verb, o, &payload, stream, &seq);
    if (rc == 0 && o->no_wait) {
      printf(o->json ? "{\"txSeq\":%" PRIu64 "}\n" : "txSeq %" PRIu64 "\n", seq);
    } else if (rc == 0) {
      rc = wait_result(verb, o, seq);
    }
  }
  zg_buf_clear(&payload);
  return rc;
}

static int kv_put(int argc, char **argv) {
  const char *pos[3];
  kv_opts_t o;
  uint8_t stream[32];
  int rc = parse("kv put", &o, argc, argv, pos, 3);
  if (rc || (rc = stream_arg("kv put", stream, pos[0]))) return rc;
  zg_kv_read_t reads[KV_MAX_READS];
  zg_kv_write_t w;
  zg_kv_stream_t s = {0};
  s.version = o.version;
  for (size_t i = 0; i < o.nreads; i++) {
    memcpy(reads[i].stream, stream, 32);
    reads[i].key = (const uint8_t *)o.reads[i];
    reads[i].key_len = strlen(o.reads[i]);
  }
  s.reads = reads;
  s.nreads = o.nreads;
  memcpy(w.stream, stream, 32);
  w.key = (const uint8_t *)pos[1];
  w.key_len = strlen(pos[1]);
  w.value = (const uint8_t *)pos[2];
  w.value_len = strlen(pos[2]);
  if (!w.value_len) w.value = NULL;
  s.writes = &w;
  s.nwrites = 1;
  return write_tx("put", &o, &s, stream);
}

static int kv_grant_writer(int argc, char **argv) {
  const char *pos[2];
  kv_opts_t o;
  uint8_t stream[32];
  int rc = parse("kv grant-writer", &o, argc, argv, pos, 2);
  if (rc || (rc = stream_arg("kv grant-writer", stream, pos[0]))) return rc;
  zg_kv_acl_t a;
  memset(&a, 0, sizeof a);
  a.op = ZG_KV_GRANT_WRITER;
  memcpy(a.stream, stream, 32);
  if (zg_hex_decode(a.account, 20, pos[1], strlen(pos[1])) != ZG_OK)
    return zg__cli_usage_error("kv grant-writer", "ADDR must be 0x + 40 hex digits");
  zg_kv_stream_t s = {0};
  s.version = o.version;
  s.acl = &a;
  s.nacl = 1;
  return write_tx("grant-writer", &o, &s, stream);
}

static int kv_get(int argc, char **argv) {
  const char *pos[2];
  kv_opts_t o;
  uint8_t stream[32];
  int rc = parse("kv get", &o, argc, argv, pos, 2);
  if (rc || (rc = stream_arg("kv get", stream, pos[0]))) return rc;
  if (!pos[1][0]) return zg__cli_usage_error("kv get", "KEY is empty");
  char url[512], shex[67];
  first_node(url, sizeof url, o.node);
  zg_hex_encode(shex, stream, 32);
  char *kb64 = malloc(zg_base64_encoded_len(strlen(pos[1])) + 1);
  zg_rpc_client_t *c = NULL;
  zg_buf_t val;
  zg_buf_init(&val);
  uint64_t version = 0, size = 0;
  rc = 1;
  if (!kb64 || zg_rpc_client_create(&c, url, 30000) != ZG_OK) goto out;
  zg_base64_encode(kb64, (const uint8_t *)pos[1], strlen(pos[1]));
  for (uint64_t off = 0;;) {
    json_t *params = json_pack("[s, s, I, I]", shex, kb64, (json_int_t)off, (json_int_t)KV_CHUNK);
    if (params && o.at != UINT64_MAX) json_array_append_new(params, json_integer((json_int_t)o.at));
    json_t *r = NULL;
    zg_rpc_error_t re;
    if (zg_rpc_client_call(c, &r, &re, "kv_getValue", params) != ZG_OK) {
      fprintf(stderr, "zg kv get: %s: %s\n", url, re.message);
      goto out;
    }
    const char *data = json_string_value(json_object_get(r, "data"));
    size = (uint64_t)json_integer_value(json_object_get(r, "size"));
    version = (uint64_t)json_integer_value(json_object_get(r, "version"));
    size_t before = val.len;
    zg_err_t e = data ? zg_base64_decode(&val, data, strlen(data)) : ZG_EJSON;
    json_decref(r);
    if (e != ZG_OK) {
      fprintf(stderr, "zg kv get: malformed answer from %s\n", url);
      goto out;
    }
    off += val.len - before;
    if (off >= size || val.len == before) break;
  }
  if (version == 0 && size == 0 && val.len == 0) {
    /* 0G's answer for a key never written (version 0 is also the first tx:
     * a value written there has a size, or is a deletion). */
    if (o.json) printf("{\"found\":false}\n");
    else fprintf(stderr, "zg kv get: no value\n");
    rc = o.json ? 0 : 1;
    goto out;
  }
  if (o.json) {
    char *b64 = malloc(zg_base64_encoded_len(val.len) + 1);
    if (!b64) goto out;
    zg_base64_encode(b64, val.ptr, val.len);
    printf("{\"found\":true,\"version\":%" PRIu64 ",\"size\":%" PRIu64 ",\"value\":\"%s\"}\n", version, size, b64);
    free(b64);
  } else {
    fwrite(val.ptr, 1, val.len, stdout);
    printf("\n");
  }
  rc = 0;
out:
  free(kb64);
  zg_buf_clear(&val);
  zg_rpc_client_destroy(c);
  return rc;
}

static int kv_result(int argc, char **argv) {
  const char *pos[1];
  kv_opts_t o;
  int rc = parse("kv result", &o, argc, argv, pos, 1);
  if (rc) return rc;
  char *end;
  uint64_t seq = strtoull(pos[0], &end, 10);
  if (*end) return zg__cli_usage_error("kv result", "TXSEQ is a number");
  return wait_result("result", &o, seq);
}

int zg__cli_kv(int argc, char **argv) {
  const char *sub = argc > 1 ? argv[1] : "";
  if (strcmp(sub, "put") == 0) return kv_put(argc, argv);
  if (strcmp(sub, "get") == 0) return kv_get(argc, argv);
  if (strcmp(sub, "grant-writer") == 0) return kv_grant_writer(argc, argv);
  if (strcmp(sub, "result") == 0) return kv_result(argc, argv);
  return zg__cli_usage_error("kv",
                             "usage: zg kv put STREAM KEY VALUE --node URL[,URL..] --chain RPC --key K "
                             "[--version V] [--read KEY].. [--no-wait] [--json] | get STREAM KEY --node URL "
                             "[--at V] [--json] | grant-writer STREAM ADDR --node URL --chain RPC --key K | "
                             "result TXSEQ --node URL");
}

/*
 * selftest_storage_node.c — `zg selftest storage_node`: starts a storage
 * node in-process on 127.0.0.1 (ephemeral port, temp data dir), uploads a
 * few MiB with `zg upload`'s code path, downloads them with `zg download`'s
 * (every proof verified), byte-compares, checks that a tampered proof is
 * refused, and prints what it did with figures.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "zg/log.h"
#include "zg/rpc_client.h"
#include "zg/storage_node.h"
#include "zg/zgs_rpc.h"

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw) { return remove(p); }

static bool write_random(const char *path, size_t n) {
  FILE *f = fopen(path, "wb");
  uint8_t *buf = malloc(n);
  bool ok = f && buf && zg_random_bytes(buf, n) == ZG_OK && fwrite(buf, 1, n, f) == n;
  if (f) ok = (fclose(f) == 0) && ok;
  free(buf);
  return ok;
}

static bool same_files(const char *a, const char *b) {
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  bool same = fa && fb;
  while (same) {
    int ca = fgetc(fa), cb = fgetc(fb);
    if (ca != cb) same = false;
    if (ca == EOF) break;
  }
  if (fa) fclose(fa);
  if (fb) fclose(fb);
  return same;
}

/* Posts a segment whose proof has one sibling changed; true when refused
 * with the bad-proof code. */
static bool tampered_refused(const char *url, const char *file) {
  zg_rpc_client_t *c = NULL;
  uint8_t data[1024] = {0}; /* 1000 file bytes, zero-padded to a sector boundary as uploaded */
  FILE *f = fopen(file, "rb");
  bool ok = false;
  if (!f || fread(data, 1, 1000, f) != 1000) goto out;
  zg_merkle_proof_t p;
  zg_file_root_t r;
  uint8_t leaves[1][32];
  if (zg_file_merkle_root(&r, data, 1000, NULL, NULL) != ZG_OK) goto out;
  /* A one-segment file: the proof is lemma = [root]; claim a two-leaf path. */
  memset(&p, 0, sizeof p);
  memcpy(leaves[0], r.root, 32);
  p.nlemma = 3;
  p.npath = 1;
  p.path[0] = true;
  memcpy(p.lemma[0], r.root, 32);
  memset(p.lemma[1], 0x11, 32);
  memcpy(p.lemma[2], r.root, 32);
  json_t *pj = NULL, *res = NULL;
  if (zg_merkle_proof_to_jsonv(&pj, &p) != ZG_OK || zg_rpc_client_create(&c, url, 10000) != ZG_OK) goto out;
  zg_rpc_error_t re;
  /* The entry is unknown to the node: submit it first, then the bad segment. */
  json_t *nodes = json_array();
  json_array_append_new(nodes, json_pack("{s:o, s:i}", "root", zg_rpc_hash_json(r.nodes[0].root), "height",
                                         (int)r.nodes[0].height));
  if (zg_rpc_client_call(c, &res, &re, "admin_submitLogEntry", json_pack("[{s:i, s:o}]", "size", 1000, "nodes", nodes)) !=
      ZG_OK) {
    json_decref(pj);
    goto out;
  }
  json_decref(res);
  zg_err_t e = zg_rpc_client_call(c, &res, &re, "zgs_uploadSegment",
                                  json_pack("[{s:o, s:o, s:i, s:o, s:i}]", "root", zg_rpc_hash_json(r.root), "data",
                                            zg_rpc_base64_json(data, sizeof data), "index", 0, "proof", pj,
                                            "fileSize", 1000));
  json_decref(res);
  ok = e == ZG_EINVAL && re.code == ZG_RPC_BAD_PROOF;
  printf("    tampered proof -> %d \"%s\"\n", re.code, re.message);
out:
  if (f) fclose(f);
  zg_rpc_client_destroy(c);
  return ok;
}

ZG_SELFTEST(storage_node) {
  bool ok = true;
  char dir[] = "/tmp/zg_selftest_node.XXXXXX";
  if (!mkdtemp(dir)) {
    printf("    FAILED: mkdtemp\n");
    return false;
  }
  char data[4200], file[4200], out[4200], url[64];
  snprintf(data, sizeof data, "%s/data", dir);
  snprintf(file, sizeof file, "%s/in.bin", dir);
  snprintf(out, sizeof out, "%s/out.bin", dir);
  zg_storage_t *st = NULL;
  zg_log_source_t *src = NULL;
  zg_zgs_node_t *node = NULL;
  char msg[256];
  zg_storage_cfg_t cfg = {data, 0, 1, false, NULL};
  zg_http_opts_t ho = {"127.0.0.1", 0, 32u << 20, 4, 64, 30};
  zg_log_level_t lvl = zg_log_get_level();
  ZG_ST_CHECK(ok, zg_storage_open(&st, &cfg, msg, sizeof msg) == ZG_OK);
  ZG_ST_CHECK(ok, st && zg_dev_source_create(&src, st) == ZG_OK);
  ZG_ST_CHECK(ok, src && zg_zgs_node_start(&node, st, src, &ho, msg, sizeof msg) == ZG_OK);
  if (!ok) goto out;
  snprintf(url, sizeof url, "http://127.0.0.1:%u", zg_zgs_node_port(node));
  printf("    node on %s (shard 0/1, data in %s)\n", url, data);
  size_t size = (5u << 20) + 123;
  ZG_ST_CHECK(ok, write_random(file, size));
  char *up[] = {"upload", file, "--node", url, NULL};
  char *down[] = {"download", NULL, out, "--node", url, NULL};
  zg_log_set_level(ZG_LOG_WARN);
  uint64_t t0 = zg_clock_ns();
  printf("    ");
  fflush(stdout);
  ZG_ST_CHECK(ok, zg__cli_upload(4, up) == 0);
  uint64_t t1 = zg_clock_ns();
  zg_file_root_t r;
  FILE *f = fopen(file, "rb");
  uint8_t *buf = malloc(size);
  bool rd = f && buf && fread(buf, 1, size, f) == size;
  if (f) fclose(f);
  ZG_ST_CHECK(ok, rd && zg_file_merkle_root(&r, buf, size, NULL, NULL) == ZG_OK);
  free(buf);
  char root[67];
  zg_hex_encode(root, r.root, 32);
  down[1] = root;
  printf("    ");
  fflush(stdout);
  ZG_ST_CHECK(ok, zg__cli_download(5, down) == 0);
  uint64_t t2 = zg_clock_ns();
  ZG_ST_CHECK(ok, same_files(file, out));
  printf("    %zu bytes: upload %.1f MB/s, download %.1f MB/s (with fsync, loopback), byte-identical: %s\n", size,
         (double)size / 1e6 / ((double)(t1 - t0) / 1e9), (double)size / 1e6 / ((double)(t2 - t1) / 1e9),
         same_files(file, out) ? "yes" : "NO");
  ZG_ST_CHECK(ok, tampered_refused(url, file));
  zg_storage_stats_t s;
  zg_storage_stats(st, &s);
  printf("    node: %" PRIu64 " segments stored (%" PRIu64 " bytes), %" PRIu64 " refused, %" PRIu64 " served\n",
         s.stored_segments, s.stored_bytes, s.rejected_segments, s.downloaded_segments);
  ZG_ST_CHECK(ok, s.rejected_segments == 1);
out:
  zg_log_set_level(lvl);
  zg_zgs_node_stop(node);
  if (src) src->ops->destroy(src);
  zg_storage_close(st);
  nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
  return ok;
}

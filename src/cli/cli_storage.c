/*
 * cli_storage.c — storage verbs of the `zg` program.
 *
 *   zg root [--json] [--proof SEGMENT] FILE
 *
 * `root` streams FILE ("-" for standard input) in 1 MiB reads through the 0G-compatible file-root
 * builder and prints the root as 0x-hex; --json prints {root, size, chunks,
 * paddedChunks, nodes:[{root,height}], segments}; --proof N prints the
 * 0G FileProof ({lemma, path}) of segment N instead, together with the
 * segment's root (the JSON a zgs_uploadSegment carries as "proof").
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "zg/bytes.h"
#include "zg/merkle.h"

#define READ_BLOCK (1u << 20)

typedef struct {
  zg_buf_t roots; /* segment roots, 32 bytes each, when collecting */
  zg_err_t err;
} seg_collect_t;

static void collect_segment(void *arg, uint64_t index, const uint8_t root[32]) {
  seg_collect_t *c = arg;
  (void)index;
  if (c->err == ZG_OK) c->err = zg_buf_append(&c->roots, root, 32);
}

/* Streams the file at path through the builder. */
static zg_err_t root_of_file(const char *path, zg_file_root_t *out, seg_collect_t *collect) {
  bool is_stdin = strcmp(path, "-") == 0;
  int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
  if (fd < 0) return ZG_EIO;
  zg_file_merkle_t *b = malloc(sizeof *b);
  uint8_t *buf = malloc(READ_BLOCK);
  zg_err_t e = ZG_ENOMEM;
  if (!b || !buf) goto out;
  zg_file_merkle_init(b, collect ? collect_segment : NULL, collect);
  for (;;) {
    ssize_t n = read(fd, buf, READ_BLOCK);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      e = ZG_EIO;
      goto out;
    }
    if (n == 0) break;
    e = zg_file_merkle_update(b, buf, (size_t)n);
    if (e != ZG_OK) goto out;
  }
  e = zg_file_merkle_final(b, out);
  if (e == ZG_OK && collect && collect->err != ZG_OK) e = collect->err;
out:
  if (!is_stdin) close(fd);
  free(buf);
  free(b);
  return e;
}

static void print_json(const zg_file_root_t *r) {
  char hex[67];
  json_t *o = json_object(), *nodes = json_array();
  zg_hex_encode(hex, r->root, 32);
  json_object_set_new(o, "root", json_string(hex));
  json_object_set_new(o, "size", json_integer((json_int_t)r->layout.size));
  json_object_set_new(o, "chunks", json_integer((json_int_t)r->layout.chunks));
  json_object_set_new(o, "paddedChunks", json_integer((json_int_t)r->layout.padded_chunks));
  for (uint32_t i = 0; i < r->layout.nnodes; i++) {
    json_t *n = json_object();
    zg_hex_encode(hex, r->nodes[i].root, 32);
    json_object_set_new(n, "root", json_string(hex));
    json_object_set_new(n, "height", json_integer(r->nodes[i].height));
    json_array_append_new(nodes, n);
  }
  json_object_set_new(o, "nodes", nodes);
  json_object_set_new(o, "segments", json_integer((json_int_t)r->layout.segments));
  char *s = json_dumps(o, JSON_COMPACT);
  if (s) printf("%s\n", s);
  free(s);
  json_decref(o);
}

static int print_proof(const zg_file_root_t *r, seg_collect_t *c, uint64_t index) {
  if (index >= r->layout.segments) {
    fprintf(stderr, "zg root: segment %" PRIu64 " out of range (the file has %" PRIu64 ")\n", index,
            r->layout.segments);
    return 1;
  }
  zg_merkle_tree_t *t = NULL;
  zg_merkle_proof_t *p = malloc(sizeof *p);
  zg_buf_t js;
  zg_buf_init(&js);
  int rc = 1;
  zg_err_t e =
      p ? zg_merkle_tree_create(&t, (const uint8_t(*)[32])c->roots.ptr, r->layout.segments) : ZG_ENOMEM;
  if (e == ZG_OK) e = zg_merkle_tree_proof(p, t, index);
  if (e == ZG_OK) e = zg_merkle_proof_to_json(&js, p);
  if (e != ZG_OK) {
    fprintf(stderr, "zg root: proof: %s\n", zg_strerror(e));
    goto out;
  }
  char root_hex[67], seg_hex[67];
  zg_hex_encode(root_hex, r->root, 32);
  zg_hex_encode(seg_hex, c->roots.ptr + index * 32, 32);
  printf("{\"root\":\"%s\",\"index\":%" PRIu64 ",\"segments\":%" PRIu64
         ",\"segmentRoot\":\"%s\",\"proof\":%.*s}\n",
         root_hex, index, r->layout.segments, seg_hex, (int)js.len, (const char *)js.ptr);
  rc = 0;
out:
  zg_buf_clear(&js);
  zg_merkle_tree_destroy(t);
  free(p);
  return rc;
}

int zg__cli_root(int argc, char **argv) {
  bool json = false, want_proof = false;
  uint64_t proof_index = 0;
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) {
      json = true;
    } else if (strcmp(argv[i], "--proof") == 0 && i + 1 < argc) {
      char *end;
      errno = 0;
      unsigned long long v = strtoull(argv[++i], &end, 10);
      if (errno || *end || argv[i][0] == '\0' || argv[i][0] == '-')
        return zg__cli_usage_error("root", "bad segment index '%s'", argv[i]);
      proof_index = v;
      want_proof = true;
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      return zg__cli_usage_error("root", "unknown flag '%s'", argv[i]);
    } else if (!path) {
      path = argv[i];
    } else {
      return zg__cli_usage_error("root", "more than one FILE");
    }
  }
  if (!path) return zg__cli_usage_error("root", "missing FILE");
  seg_collect_t c = {.err = ZG_OK};
  zg_buf_init(&c.roots);
  zg_file_root_t r;
  zg_err_t e = root_of_file(path, &r, want_proof ? &c : NULL);
  int rc = 0;
  if (e != ZG_OK) {
    fprintf(stderr, "zg root: %s: %s\n", path,
            e == ZG_EINVAL ? "empty file (0G rejects empty files)"
            : e == ZG_EIO  ? strerror(errno)
                           : zg_strerror(e));
    rc = 1;
  } else if (want_proof) {
    rc = print_proof(&r, &c, proof_index);
  } else if (json) {
    print_json(&r);
  } else {
    char hex[67];
    zg_hex_encode(hex, r.root, 32);
    printf("%s\n", hex);
  }
  zg_buf_clear(&c.roots);
  return rc;
}

/*
 * test_kzg.c — EIP-4844 KZG: every EIP-4844 case of the shared c-kzg-4844
 * vectors (through the same case runner as `zg vectors`), trusted-setup
 * loading errors, malformed inputs with their codes, random commit / prove /
 * verify round trips (z outside and inside the domain), wrong y, tampered
 * blobs, batch verification with one bad proof, precomputed tables giving
 * the same bytes, and the YAML-subset parser the runner uses.
 *
 * Skips (exit 77) when the trusted setup is not in the vectors folder.
 */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "zg/fft.h"
#include "zg/kzg.h"
#include "zg_test.h"

/* The runner's code, compiled into this test (it lives in the CLI). */
#include "cli/kzg_case.c"
#include "cli/kzg_cells_case.c"
#include "cli/yaml_lite.c"

#define BLOB ZG_KZG_BYTES_PER_BLOB

static zg_kzg_settings_t *g_s;
static void *g_scratch;
static char *g_setup_text;
static size_t g_setup_len;

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) {
    buf[n] = 0;
    *len = (size_t)n;
  }
  return buf;
}

static void rand_blob(uint8_t *blob) {
  zgt_rand_bytes(blob, BLOB);
  for (size_t i = 0; i < BLOB; i += 32) blob[i] &= 0x3f; /* < 2^254 < r */
}

static void rand_scalar(uint8_t out[32]) {
  zgt_rand_bytes(out, 32);
  out[0] &= 0x3f;
}

/* ---------------------------------------------------------------- vectors */

static void run_kind(const char *kind, int *passed, int *failed) {
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/kzg-4844/%s/kzg-mainnet", zgt_vectors_dir(), kind);
  DIR *d = opendir(dir);
  if (!d) {
    ZGT_FAIL("cannot open %s", dir);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char path[1400];
    snprintf(path, sizeof path, "%s/%s/data.yaml", dir, e->d_name);
    size_t len = 0;
    char *text = read_all(path, &len);
    if (!text) continue;
    zg_yaml_node_t *doc = NULL;
    char why[512];
    if (zg__yaml_parse(&doc, text, len, why, sizeof why) != ZG_OK) {
      ZGT_FAIL("%s: YAML: %s", path, why);
      (*failed)++;
    } else if (zg__kzg_case_run(g_s, kind, doc, why, sizeof why) == ZG_KZG_CASE_PASS) {
      (*passed)++;
    } else {
      ZGT_FAIL("%s: %s", path, why);
      (*failed)++;
    }
    zg__yaml_free(doc);
    free(text);
  }
  closedir(d);
}

static void test_vectors_4844(void) {
  static const char *const kinds[] = {"blob_to_kzg_commitment", "compute_kzg_proof", "compute_blob_kzg_proof",
                                      "verify_kzg_proof", "verify_blob_kzg_proof", "verify_blob_kzg_proof_batch",
                                      "compute_challenge"};
  int passed = 0, failed = 0;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    int p0 = passed;
    run_kind(kinds[i], &passed, &failed);
    if (passed == p0) ZGT_FAIL("no passing case of kind %s", kinds[i]);
  }
  printf("  EIP-4844 vectors: %d passed, %d failed\n", passed, failed);
  CHECK_EQ(failed, 0);
}

/* ---------------------------------------------------------------- setup */

static zg_err_t load_mutated(size_t at, const char *with, size_t cut, char *msg, size_t msglen) {
  /* text[0..at) + with + text[at+cut..] */
  size_t wl = strlen(with);
  char *t = malloc(g_setup_len + wl + 1);
  memcpy(t, g_setup_text, at);
  memcpy(t + at, with, wl);
  memcpy(t + at + wl, g_setup_text + at + cut, g_setup_len - at - cut);
  zg_kzg_settings_t *s = (zg_kzg_settings_t *)0x1;
  zg_err_t e = zg_kzg_settings_load_text(&s, t, g_setup_len - cut + wl, NULL, msg, msglen);
  if (e != ZG_OK) CHECK(s == NULL);
  zg_kzg_settings_destroy(s);
  free(t);
  return e;
}

static void test_setup_errors(void) {
  char msg[256];
  zg_kzg_settings_t *s = NULL;
  CHECK_ERR(zg_kzg_settings_load_file(&s, "/nonexistent/trusted_setup.txt", NULL, msg, sizeof msg), ZG_EIO);
  CHECK(s == NULL && msg[0]);
  CHECK_ERR(zg_kzg_settings_load_text(&s, "", 0, NULL, msg, sizeof msg), ZG_ESETUP);
  printf("  empty: %s\n", msg);
  /* Offsets in the real file: counts on lines 1-2, first G1 point on line 3. */
  const char *first = strchr(strchr(g_setup_text, '\n') + 1, '\n') + 1;
  size_t p0 = (size_t)(first - g_setup_text);
  CHECK_ERR(load_mutated(0, "4095", 4, msg, sizeof msg), ZG_ESETUP); /* wrong G1 count */
  printf("  wrong count: %s\n", msg);
  CHECK_ERR(load_mutated(5, "64", 2, msg, sizeof msg), ZG_ESETUP); /* wrong G2 count */
  CHECK_ERR(load_mutated(p0 + 10, "zz", 2, msg, sizeof msg), ZG_ESETUP); /* bad hex */
  printf("  bad hex: %s\n", msg);
  CHECK(strstr(msg, "line 3") != NULL);
  CHECK_ERR(load_mutated(p0 + 10, "", 2, msg, sizeof msg), ZG_ESETUP); /* short point */
  /* x = 0 with the compressed flag: 0 + 4 = 4 is not a square mod p? Use a
   * flag error instead, which is certain: the infinity bit with a non-zero x. */
  CHECK_ERR(load_mutated(p0, "e", 1, msg, sizeof msg), ZG_ESETUP);
  printf("  invalid point: %s\n", msg);
  /* Truncated: cut the text in the middle of the G2 points. */
  zg_kzg_settings_t *t = (zg_kzg_settings_t *)0x1;
  CHECK_ERR(zg_kzg_settings_load_text(&t, g_setup_text, g_setup_len / 2, NULL, msg, sizeof msg), ZG_ESETUP);
  CHECK(t == NULL);
  printf("  truncated: %s\n", msg);
  CHECK_ERR(load_mutated(g_setup_len, "\nabcd\n", 0, msg, sizeof msg), ZG_ESETUP); /* trailing data */
  printf("  trailing: %s\n", msg);
  CHECK_ERR(zg_kzg_settings_load_text(NULL, g_setup_text, g_setup_len, NULL, NULL, 0), ZG_EINVAL);
}

/* Two bad points: the message names the first one whatever the number of
 * threads (each worker stops early, the lowest index wins). */
static void test_setup_threads(void) {
  /* Token k (0-based over the points) starts on line k + 3. */
  size_t bad[2] = {4096 + 65 + 3000, 4096 + 10}; /* a G1 monomial and a G2 point */
  char *t = malloc(g_setup_len + 1);
  memcpy(t, g_setup_text, g_setup_len);
  for (int b = 0; b < 2; b++) {
    size_t line = 0;
    char *p = t;
    while (line < bad[b] + 2) {
      p = strchr(p, '\n') + 1;
      line++;
    }
    p[5] = 'x'; /* bad hex digit */
  }
  char m1[256], m4[256];
  zg_kzg_load_opts_t o1 = {1, 0}, o4 = {4, 0};
  zg_kzg_settings_t *s = NULL;
  CHECK_ERR(zg_kzg_settings_load_text(&s, t, g_setup_len, &o1, m1, sizeof m1), ZG_ESETUP);
  CHECK_ERR(zg_kzg_settings_load_text(&s, t, g_setup_len, &o4, m4, sizeof m4), ZG_ESETUP);
  CHECK(strcmp(m1, m4) == 0);
  CHECK(strstr(m1, "G2 monomial point 10") != NULL);
  printf("  two bad points, 1 and 4 threads: %s\n", m4);
  free(t);
  /* The thread count does not change what is loaded. */
  uint8_t *blob = malloc(BLOB), c1[48], c2[48];
  rand_blob(blob);
  CHECK_OK(zg_kzg_settings_load_text(&s, g_setup_text, g_setup_len, &o4, m4, sizeof m4));
  if (s) {
    void *scratch = malloc(zg_kzg_scratch_size(s, 1));
    CHECK_OK(zg_kzg_blob_to_commitment(g_s, c1, blob, BLOB, g_scratch));
    CHECK_OK(zg_kzg_blob_to_commitment(s, c2, blob, BLOB, scratch));
    CHECK_MEM(c1, c2, 48);
    free(scratch);
    zg_kzg_settings_destroy(s);
  }
  free(blob);
}

/* ---------------------------------------------------------------- API */

static void test_round_trips(void) {
  uint8_t *blob = malloc(BLOB);
  long iters = zgt_iters(2);
  for (long it = 0; it < iters; it++) {
    rand_blob(blob);
    uint8_t c[48], proof[48], y[32], z[32], bproof[48];
    bool ok = false;
    CHECK_OK(zg_kzg_blob_to_commitment(g_s, c, blob, BLOB, g_scratch));
    rand_scalar(z);
    CHECK_OK(zg_kzg_compute_proof(g_s, proof, y, blob, BLOB, z, 32, g_scratch));
    CHECK_OK(zg_kzg_verify_proof(g_s, &ok, c, 48, z, 32, y, 32, proof, 48));
    CHECK(ok);
    /* A wrong y is rejected (a verdict, not an error). */
    uint8_t y2[32];
    memcpy(y2, y, 32);
    y2[31] ^= 1;
    CHECK_OK(zg_kzg_verify_proof(g_s, &ok, c, 48, z, 32, y2, 32, proof, 48));
    CHECK(!ok);
    /* The blob proof verifies; a tampered blob does not. */
    CHECK_OK(zg_kzg_compute_blob_proof(g_s, bproof, blob, BLOB, c, 48, g_scratch));
    CHECK_OK(zg_kzg_verify_blob_proof(g_s, &ok, blob, BLOB, c, 48, bproof, 48, g_scratch));
    CHECK(ok);
    blob[32 * zgt_rand_below(4096) + 31] ^= 1;
    CHECK_OK(zg_kzg_verify_blob_proof(g_s, &ok, blob, BLOB, c, 48, bproof, 48, g_scratch));
    CHECK(!ok);
  }
  free(blob);
}

/* z equal to a root of unity: y is the blob's element at that position. */
static void test_z_in_domain(void) {
  uint8_t *blob = malloc(BLOB);
  rand_blob(blob);
  uint8_t c[48], proof[48], y[32], z[32];
  bool ok = false;
  CHECK_OK(zg_kzg_blob_to_commitment(g_s, c, blob, BLOB, g_scratch));
  uint32_t i = zgt_rand_below(4096);
  zg_fr_t w;
  CHECK_OK(zg_fr_root_of_unity(&w, 12));
  zg_fr_t x;
  zg_fr_set_one(&x);
  for (uint32_t k = 0; k < zg_reverse_bits(i, 12); k++) zg_fr_mul(&x, &x, &w);
  zg_fr_to_be32(z, &x);
  CHECK_OK(zg_kzg_compute_proof(g_s, proof, y, blob, BLOB, z, 32, g_scratch));
  CHECK_MEM(y, blob + 32 * i, 32);
  CHECK_OK(zg_kzg_verify_proof(g_s, &ok, c, 48, z, 32, y, 32, proof, 48));
  CHECK(ok);
  free(blob);
}

static void test_batch(void) {
  enum { NB = 4 };
  uint8_t *blobs = malloc((size_t)NB * BLOB);
  uint8_t c[NB][48], p[NB][48];
  zg_slice_t bs[NB], cs[NB], ps[NB];
  for (int i = 0; i < NB; i++) {
    rand_blob(blobs + (size_t)i * BLOB);
    CHECK_OK(zg_kzg_blob_to_commitment(g_s, c[i], blobs + (size_t)i * BLOB, BLOB, g_scratch));
    CHECK_OK(zg_kzg_compute_blob_proof(g_s, p[i], blobs + (size_t)i * BLOB, BLOB, c[i], 48, g_scratch));
    bs[i] = zg_slice(blobs + (size_t)i * BLOB, BLOB);
    cs[i] = zg_slice(c[i], 48);
    ps[i] = zg_slice(p[i], 48);
  }
  void *scratch = malloc(zg_kzg_scratch_size(g_s, NB));
  bool ok = false;
  CHECK_OK(zg_kzg_verify_blob_proof_batch(g_s, &ok, bs, cs, ps, NB, scratch));
  CHECK(ok);
  CHECK_OK(zg_kzg_verify_blob_proof_batch(g_s, &ok, NULL, NULL, NULL, 0, scratch));
  CHECK(ok);
  /* One valid proof of another blob among the good ones. */
  ps[2] = zg_slice(p[1], 48);
  CHECK_OK(zg_kzg_verify_blob_proof_batch(g_s, &ok, bs, cs, ps, NB, scratch));
  CHECK(!ok);
  ps[2] = zg_slice(p[2], 48);
  /* Swapped commitments. */
  cs[0] = zg_slice(c[3], 48);
  cs[3] = zg_slice(c[0], 48);
  CHECK_OK(zg_kzg_verify_blob_proof_batch(g_s, &ok, bs, cs, ps, NB, scratch));
  CHECK(!ok);
  cs[0] = zg_slice(c[0], 48);
  cs[3] = zg_slice(c[3], 48);
  /* A malformed entry is an error, and *ok stays false. */
  cs[1] = zg_slice(c[1], 47);
  ok = true;
  CHECK_ERR(zg_kzg_verify_blob_proof_batch(g_s, &ok, bs, cs, ps, NB, scratch), ZG_EBADLEN);
  CHECK(!ok);
  cs[1] = zg_slice(c[1], 48);
  CHECK_ERR(zg_kzg_verify_blob_proof_batch(g_s, &ok, NULL, cs, ps, NB, scratch), ZG_EINVAL);
  /* The single-entry path agrees with the single verifier. */
  CHECK_OK(zg_kzg_verify_blob_proof_batch(g_s, &ok, bs + 1, cs + 1, ps + 1, 1, scratch));
  CHECK(ok);
  free(scratch);
  free(blobs);
}

static void test_malformed(void) {
  uint8_t *blob = calloc(1, BLOB);
  uint8_t c[48], proof[48], y[32], z[32] = {0}, ch[32];
  bool ok = true;
  CHECK_OK(zg_kzg_blob_to_commitment(g_s, c, blob, BLOB, g_scratch));
  CHECK(c[0] == 0xc0); /* the zero blob commits to infinity */
  /* Non-canonical element: r itself. */
  static const uint8_t r_be[32] = {0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8,
                                   0x08, 0x09, 0xa1, 0xd8, 0x05, 0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe,
                                   0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01};
  memcpy(blob + 32 * 77, r_be, 32);
  memset(c, 0xaa, sizeof c);
  CHECK_ERR(zg_kzg_blob_to_commitment(g_s, c, blob, BLOB, g_scratch), ZG_ESCALAR);
  CHECK(c[0] == 0 && c[47] == 0); /* outputs zeroed on failure */
  CHECK_ERR(zg_kzg_compute_proof(g_s, proof, y, blob, BLOB, z, 32, g_scratch), ZG_ESCALAR);
  memset(blob + 32 * 77, 0, 32);
  /* Wrong lengths. */
  CHECK_ERR(zg_kzg_blob_to_commitment(g_s, c, blob, BLOB - 1, g_scratch), ZG_EBADLEN);
  CHECK_ERR(zg_kzg_compute_proof(g_s, proof, y, blob, BLOB, z, 31, g_scratch), ZG_EBADLEN);
  uint8_t inf[48] = {0xc0};
  CHECK_ERR(zg_kzg_verify_proof(g_s, &ok, inf, 47, z, 32, z, 32, inf, 48), ZG_EBADLEN);
  CHECK(!ok);
  CHECK_ERR(zg_kzg_verify_proof(g_s, &ok, inf, 48, z, 32, z, 33, inf, 48), ZG_EBADLEN);
  CHECK_ERR(zg_kzg_compute_challenge(ch, blob, BLOB, inf, 96), ZG_EBADLEN);
  /* z and y >= r. */
  CHECK_ERR(zg_kzg_verify_proof(g_s, &ok, inf, 48, r_be, 32, z, 32, inf, 48), ZG_ESCALAR);
  CHECK_ERR(zg_kzg_verify_proof(g_s, &ok, inf, 48, z, 32, r_be, 32, inf, 48), ZG_ESCALAR);
  /* Invalid points: bad flags, x >= p, not on the curve. */
  uint8_t bad[48];
  memcpy(bad, inf, 48);
  bad[47] = 1; /* infinity flag with a non-zero x */
  CHECK_ERR(zg_kzg_verify_proof(g_s, &ok, bad, 48, z, 32, z, 32, inf, 48), ZG_EFLAGS);
  memset(bad, 0xff, 48);
  bad[0] = 0x9f; /* compressed, x = 2^381 - 1 > p */
  CHECK_ERR(zg_kzg_compute_blob_proof(g_s, proof, blob, BLOB, bad, 48, g_scratch), ZG_EFIELD);
  memset(bad, 0, 48);
  bad[0] = 0x80; /* compressed x = 0: y^2 = 4 has a root, so try x = 1..: y^2 = 5 */
  bad[47] = 1;
  zg_err_t e = zg_kzg_verify_blob_proof(g_s, &ok, blob, BLOB, inf, 48, bad, 48, g_scratch);
  CHECK(e == ZG_ENOTONCURVE || e == ZG_ESUBGROUP);
  CHECK(!ok);
  /* Infinity commitment and proof of the zero blob verify. */
  CHECK_OK(zg_kzg_verify_blob_proof(g_s, &ok, blob, BLOB, inf, 48, inf, 48, g_scratch));
  CHECK(ok);
  /* Bad arguments. */
  CHECK_ERR(zg_kzg_blob_to_commitment(NULL, c, blob, BLOB, g_scratch), ZG_EINVAL);
  CHECK_ERR(zg_kzg_blob_to_commitment(g_s, c, blob, BLOB, NULL), ZG_EINVAL);
  CHECK_ERR(zg_kzg_verify_proof(g_s, NULL, inf, 48, z, 32, z, 32, inf, 48), ZG_EINVAL);
  free(blob);
}

/* Settings with fixed-base tables give the same bytes, at every level. */
static void check_level(unsigned level) {
  zg_kzg_load_opts_t opts = {0, level};
  zg_kzg_settings_t *s = NULL;
  char msg[200];
  CHECK_OK(zg_kzg_settings_load_text(&s, g_setup_text, g_setup_len, &opts, msg, sizeof msg));
  if (!s) return;
  void *scratch = malloc(zg_kzg_scratch_size(s, 1));
  uint8_t *blob = malloc(BLOB);
  rand_blob(blob);
  uint8_t c1[48], c2[48], p1[48], p2[48], y1[32], y2[32], z[32];
  rand_scalar(z);
  CHECK_OK(zg_kzg_blob_to_commitment(g_s, c1, blob, BLOB, g_scratch));
  CHECK_OK(zg_kzg_blob_to_commitment(s, c2, blob, BLOB, scratch));
  CHECK_MEM(c1, c2, 48);
  CHECK_OK(zg_kzg_compute_proof(g_s, p1, y1, blob, BLOB, z, 32, g_scratch));
  CHECK_OK(zg_kzg_compute_proof(s, p2, y2, blob, BLOB, z, 32, scratch));
  CHECK_MEM(p1, p2, 48);
  CHECK_MEM(y1, y2, 32);
  /* Edge scalars: zero, one, r - 1 (digits at the window limits), and one
   * value repeated (every point in the same buckets: doublings, queueing). */
  static const uint8_t rm1[32] = {0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8,
                                  0x08, 0x09, 0xa1, 0xd8, 0x05, 0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe,
                                  0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00};
  for (int variant = 0; variant < 2; variant++) {
    memset(blob, 0, BLOB);
    for (size_t i = 0; i < BLOB; i += 32 * 3) blob[i + 31] = 1;
    for (size_t i = 32; i < BLOB; i += 32 * 3) memcpy(blob + i, variant ? z : rm1, 32);
    CHECK_OK(zg_kzg_blob_to_commitment(g_s, c1, blob, BLOB, g_scratch));
    CHECK_OK(zg_kzg_blob_to_commitment(s, c2, blob, BLOB, scratch));
    CHECK_MEM(c1, c2, 48);
  }
  printf("  precompute level %u: %zu bytes of tables, same bytes as without\n", level,
         zg_kzg_precompute_bytes(level));
  free(blob);
  free(scratch);
  zg_kzg_settings_destroy(s);
}

static void test_precompute(void) {
  for (unsigned level = 1; level <= 3; level++) check_level(level);
  CHECK_EQ(zg_kzg_precompute_bytes(0), 0);
  CHECK_EQ(zg_kzg_precompute_bytes(99), zg_kzg_precompute_bytes(3)); /* clamped */
}

/* ---------------------------------------------------------------- YAML */

static zg_err_t yparse(zg_yaml_node_t **n, const char *text) {
  char msg[200];
  zg_err_t e = zg__yaml_parse(n, text, strlen(text), msg, sizeof msg);
  if (e != ZG_OK && getenv("ZG_TEST_VERBOSE")) printf("    yaml: %s\n", msg);
  return e;
}

static void test_yaml(void) {
  zg_yaml_node_t *n = NULL;
  CHECK_OK(yparse(&n, "input:\n  a: '0x01'\n  b: [1, 2,\n    3]\n  c: []\noutput:\n- - 'x'\n  - \"y\"\n- null\n"));
  const zg_yaml_node_t *in = zg__yaml_get(n, "input"), *out = zg__yaml_get(n, "output");
  CHECK(in && in->type == ZG_YAML_MAP && in->n == 3);
  CHECK(zg__yaml_get(in, "a") && strcmp(zg__yaml_get(in, "a")->str, "0x01") == 0);
  CHECK(zg__yaml_get(in, "b")->type == ZG_YAML_SEQ && zg__yaml_get(in, "b")->n == 3);
  CHECK(strcmp(zg__yaml_get(in, "b")->items[2]->str, "3") == 0);
  CHECK(zg__yaml_get(in, "c")->type == ZG_YAML_SEQ && zg__yaml_get(in, "c")->n == 0);
  CHECK(out && out->type == ZG_YAML_SEQ && out->n == 2);
  CHECK(out->items[0]->type == ZG_YAML_SEQ && out->items[0]->n == 2);
  CHECK(strcmp(out->items[0]->items[1]->str, "y") == 0);
  CHECK(out->items[1]->type == ZG_YAML_NULL);
  zg__yaml_free(n);

  CHECK_OK(yparse(&n, "---\n# comment\nk: true # trailing\nm:\n  - x: 1\n    y: 'it''s'\nz: ~\n...\n"));
  CHECK(zg__yaml_get(n, "k")->type == ZG_YAML_BOOL && zg__yaml_get(n, "k")->b);
  CHECK(zg__yaml_get(n, "z")->type == ZG_YAML_NULL);
  const zg_yaml_node_t *m = zg__yaml_get(n, "m");
  CHECK(m && m->type == ZG_YAML_SEQ && m->n == 1 && m->items[0]->type == ZG_YAML_MAP);
  CHECK(strcmp(zg__yaml_get(m->items[0], "y")->str, "it's") == 0);
  zg__yaml_free(n);

  CHECK_OK(yparse(&n, "output: false\r\n"));
  CHECK(zg__yaml_get(n, "output")->type == ZG_YAML_BOOL && !zg__yaml_get(n, "output")->b);
  zg__yaml_free(n);
  CHECK_OK(yparse(&n, "a: 'long\n  folded'\nb: {x: 1, y: [2]}\n"));
  CHECK(strcmp(zg__yaml_get(n, "a")->str, "long folded") == 0);
  CHECK(zg__yaml_get(zg__yaml_get(n, "b"), "y")->n == 1);
  zg__yaml_free(n);
  CHECK_OK(yparse(&n, ""));
  CHECK(n && n->type == ZG_YAML_NULL);
  zg__yaml_free(n);

  /* Rejected: duplicate keys, bad indentation, tabs, anchors, unterminated
   * strings and flows, trailing junk, two documents, block scalars. */
  static const char *const bad[] = {"a: 1\na: 2\n",     "a:\n  b: 1\n c: 2\n", "a:\n\tb: 1\n",
                                    "a: &x 1\n",        "a: 'abc\n",           "a: [1, 2\n",
                                    "a: 'x' y\n",       "a: 1\n---\nb: 2\n",   "a: |\n  text\n",
                                    "- a\nb: 1\n",      "a: b: c\n",           "a: [1,, 2]\n",
                                    "a: 1\n  - 2\n",    "a: \"\\q\"\n"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    n = (zg_yaml_node_t *)0x1;
    zg_err_t e = yparse(&n, bad[i]);
    if (e != ZG_EINVAL) ZGT_FAIL("accepted bad YAML #%zu: %s", i, bad[i]);
    CHECK(n == NULL);
    if (e == ZG_OK) zg__yaml_free(n);
  }
  /* Deep nesting is refused, not a stack overflow. */
  char deep[400];
  memset(deep, '[', 300);
  deep[300] = 0;
  n = NULL;
  CHECK_ERR(yparse(&n, deep), ZG_EINVAL);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  char path[1024];
  snprintf(path, sizeof path, "%s/kzg-setup/trusted_setup.txt", zgt_vectors_dir());
  g_setup_text = read_all(path, &g_setup_len);
  if (!g_setup_text) {
    printf("skipped: no trusted setup at %s\n", path);
    return 77;
  }
  char msg[256];
  if (zg_kzg_settings_load_text(&g_s, g_setup_text, g_setup_len, NULL, msg, sizeof msg) != ZG_OK) {
    printf("cannot load the trusted setup: %s\n", msg);
    return 1;
  }
  g_scratch = malloc(zg_kzg_scratch_size(g_s, 1));
  ZGT_RUN(test_yaml);
  ZGT_RUN(test_vectors_4844);
  ZGT_RUN(test_setup_errors);
  ZGT_RUN(test_setup_threads);
  ZGT_RUN(test_round_trips);
  ZGT_RUN(test_z_in_domain);
  ZGT_RUN(test_batch);
  ZGT_RUN(test_malformed);
  ZGT_RUN(test_precompute);
  free(g_scratch);
  zg_kzg_settings_destroy(g_s);
  free(g_setup_text);
  return zgt_done();
}

/* fuzz_kzg_parse.c — the EIP-4844 parsers of untrusted bytes: commitments,
 * proofs, field elements and blobs, through the public KZG functions.
 *
 * Input: byte 0 picks the operation (bits 0..1) and shortens one input by a
 * byte (bit 2) to reach the length checks; the rest is commitment (48 bytes),
 * z (32), y (32), proof (48), then blob material, which is tiled to a full
 * blob (so non-canonical elements appear wherever the input puts them).
 *   0: verify_kzg_proof   1: verify_blob_kzg_proof   2: compute_challenge
 *   3: compute_kzg_proof when bits 3..7 are zero (an MSM: kept rare)
 * Properties: no crash or sanitizer report; errors are the documented codes;
 * on an error the verdict is false; a commitment that a function accepts
 * re-serializes to the same 48 bytes (only canonical encodings pass).
 *
 * The trusted setup is loaded once from $ZG_KZG_SETUP, else from the shared
 * vectors folder beside the repository (found from this file's path). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/bls12_381.h"
#include "zg/kzg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static zg_kzg_settings_t *g_s;
static void *g_scratch;
static uint8_t *g_blob;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char path[1024];
  const char *env = getenv("ZG_KZG_SETUP");
  if (env) {
    snprintf(path, sizeof path, "%s", env);
  } else {
    snprintf(path, sizeof path, "%s", __FILE__);
    char *slash = strrchr(path, '/');
    if (slash) *slash = 0;
    strncat(path, "/../../../shared/vectors/kzg-setup/trusted_setup.txt", sizeof path - strlen(path) - 1);
  }
  char msg[256];
  if (zg_kzg_settings_load_file(&g_s, path, NULL, msg, sizeof msg) != ZG_OK) {
    fprintf(stderr, "fuzz_kzg_parse: cannot load %s: %s\n", path, msg);
    abort();
  }
  g_scratch = malloc(zg_kzg_scratch_size(g_s, 1));
  g_blob = malloc(ZG_KZG_BYTES_PER_BLOB);
  if (!g_scratch || !g_blob) abort();
  return 0;
}

static bool documented(zg_err_t e) {
  return e == ZG_OK || e == ZG_EBADLEN || e == ZG_ESCALAR || e == ZG_EFLAGS || e == ZG_EFIELD ||
         e == ZG_ENOTONCURVE || e == ZG_ESUBGROUP;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint8_t op = data[0];
  data++;
  size--;
  uint8_t c[48] = {0}, z[32] = {0}, y[32] = {0}, pi[48] = {0};
  size_t off = 0;
#define TAKE(buf)                                                   \
  do {                                                              \
    size_t k = size - off < sizeof buf ? size - off : sizeof buf;   \
    memcpy(buf, data + off, k);                                     \
    off += k;                                                       \
  } while (0)
  TAKE(c);
  TAKE(z);
  TAKE(y);
  TAKE(pi);
#undef TAKE
  size_t clen = 48, zlen = 32, plen = 48, blen = ZG_KZG_BYTES_PER_BLOB;
  if (op & 4) {
    switch ((op >> 3) & 3) {
      case 0: clen--; break;
      case 1: zlen--; break;
      case 2: plen--; break;
      default: blen--; break;
    }
  }
  /* Tile the remaining bytes (or zeros) over the blob. */
  memset(g_blob, 0, ZG_KZG_BYTES_PER_BLOB);
  if (size > off)
    for (size_t i = 0; i < ZG_KZG_BYTES_PER_BLOB; i++) g_blob[i] = data[off + i % (size - off)];

  bool ok = true;
  zg_err_t e;
  uint8_t out[48], yo[32];
  switch (op & 3) {
    case 0: e = zg_kzg_verify_proof(g_s, &ok, c, clen, z, zlen, y, 32, pi, plen); break;
    case 1: e = zg_kzg_verify_blob_proof(g_s, &ok, g_blob, blen, c, clen, pi, plen, g_scratch); break;
    case 2:
      ok = false;
      e = zg_kzg_compute_challenge(out, g_blob, blen, c, clen);
      break;
    default:
      ok = false;
      if (op >> 3) return 0;
      e = zg_kzg_compute_proof(g_s, out, yo, g_blob, blen, z, zlen, g_scratch);
      break;
  }
  if (!documented(e)) abort();
  if (e != ZG_OK && ok) abort();
  if (e == ZG_OK && (op & 3) != 3) {
    /* Every accepted commitment is canonical. */
    zg_g1_t p;
    if (zg_g1_deserialize(&p, c, 48) != ZG_OK) abort();
    uint8_t again[48];
    zg_g1_serialize(again, &p);
    if (memcmp(again, c, 48) != 0) abort();
  }
  return 0;
}

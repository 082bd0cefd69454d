/* selftest_kzg.c — self-test section kzg_4844: loads the Ethereum trusted
 * setup ($ZG_KZG_SETUP, else the shared vectors folder the build knows),
 * commits to a random blob, proves and verifies an opening at a random
 * point, proves and verifies the blob proof, and checks that a tampered
 * proof and a wrong value are rejected. Prints each step's time. When the
 * setup file is absent the section says so and passes. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "zg/bytes.h"
#include "zg/kzg.h"
#include "zg/log.h"

static double ms_since(uint64_t t0) { return (double)(zg_clock_ns() - t0) / 1e6; }

static const char *kzg_setup_path(void) {
  const char *p = getenv("ZG_KZG_SETUP");
  if (p) return p;
#ifdef ZG_VECTORS_DEFAULT
  return ZG_VECTORS_DEFAULT "/kzg-setup/trusted_setup.txt";
#else
  return "../shared/vectors/kzg-setup/trusted_setup.txt";
#endif
}

ZG_SELFTEST(kzg_4844) {
  bool ok = true, v = false;
  const char *path = kzg_setup_path();
  struct stat st;
  if (stat(path, &st) != 0) {
    printf("   skipped: no trusted setup at %s (set ZG_KZG_SETUP)\n", path);
    return true;
  }
  zg_kzg_settings_t *s = NULL;
  uint8_t *blob = malloc(ZG_KZG_BYTES_PER_BLOB);
  void *scratch = NULL;
  char msg[256];
  uint64_t t = zg_clock_ns();
  zg_err_t e = zg_kzg_settings_load_file(&s, path, NULL, msg, sizeof msg);
  double t_load = ms_since(t);
  if (e != ZG_OK || !blob) {
    printf("    FAILED: loading %s: %s\n", path, e != ZG_OK ? msg : "out of memory");
    ok = false;
    goto out;
  }
  printf("   trusted setup loaded and checked (4096 + 4096 G1, 65 G2 points) in %.0f ms\n", t_load);
  scratch = malloc(zg_kzg_scratch_size(s, 1));
  ZG_ST_CHECK(ok, scratch != NULL);
  if (!scratch) goto out;

  /* A random blob of canonical elements (top two bits of each cleared). */
  ZG_ST_CHECK(ok, zg_random_bytes(blob, ZG_KZG_BYTES_PER_BLOB) == ZG_OK);
  for (size_t i = 0; i < ZG_KZG_BYTES_PER_BLOB; i += 32) blob[i] &= 0x3f;
  uint8_t c[48], proof[48], y[32], z[32], bproof[48];
  ZG_ST_CHECK(ok, zg_random_bytes(z, sizeof z) == ZG_OK);
  z[0] &= 0x3f;

  t = zg_clock_ns();
  ZG_ST_CHECK(ok, zg_kzg_blob_to_commitment(s, c, blob, ZG_KZG_BYTES_PER_BLOB, scratch) == ZG_OK);
  double t_commit = ms_since(t);
  t = zg_clock_ns();
  ZG_ST_CHECK(ok, zg_kzg_compute_proof(s, proof, y, blob, ZG_KZG_BYTES_PER_BLOB, z, 32, scratch) == ZG_OK);
  double t_prove = ms_since(t);
  t = zg_clock_ns();
  ZG_ST_CHECK(ok, zg_kzg_verify_proof(s, &v, c, 48, z, 32, y, 32, proof, 48) == ZG_OK && v);
  double t_verify = ms_since(t);
  t = zg_clock_ns();
  ZG_ST_CHECK(ok, zg_kzg_compute_blob_proof(s, bproof, blob, ZG_KZG_BYTES_PER_BLOB, c, 48, scratch) == ZG_OK);
  double t_bprove = ms_since(t);
  t = zg_clock_ns();
  v = false;
  ZG_ST_CHECK(ok, zg_kzg_verify_blob_proof(s, &v, blob, ZG_KZG_BYTES_PER_BLOB, c, 48, bproof, 48, scratch) == ZG_OK &&
                      v);
  double t_bverify = ms_since(t);

  char hex[2 * 48 + 3];
  zg_hex_encode(hex, c, 48);
  printf("   commitment of a random blob: %.18s... in %.1f ms\n", hex, t_commit);
  printf("   opening proof at a random z: %.1f ms, verified in %.2f ms\n", t_prove, t_verify);
  printf("   blob proof: %.1f ms, verified in %.2f ms\n", t_bprove, t_bverify);

  /* Tampering: the blob proof used as the opening at z (a valid point, the
   * wrong proof), and a wrong y, must both be rejected as verdicts. */
  v = true;
  ZG_ST_CHECK(ok, zg_kzg_verify_proof(s, &v, c, 48, z, 32, y, 32, bproof, 48) == ZG_OK && !v);
  bool rejected_proof = !v;
  y[31] ^= 1;
  v = true;
  ZG_ST_CHECK(ok, zg_kzg_verify_proof(s, &v, c, 48, z, 32, y, 32, proof, 48) == ZG_OK && !v);
  bool rejected_y = !v;
  /* A flipped byte in a proof is malformed (or wrong), never accepted. */
  proof[10] ^= 0x40;
  v = true;
  e = zg_kzg_verify_proof(s, &v, c, 48, z, 32, y, 32, proof, 48);
  ZG_ST_CHECK(ok, !v);
  printf("   rejected: a proof for another point (%s), a wrong y (%s), a corrupted proof (%s)\n",
         rejected_proof ? "yes" : "NO", rejected_y ? "yes" : "NO", e != ZG_OK ? zg_errname(e) : "verdict false");
out:
  free(scratch);
  free(blob);
  zg_kzg_settings_destroy(s);
  return ok;
}

/*
 * bench_kzg.c — FFT over Fr at the blob sizes (4096 for EIP-4844, 8192 for
 * the EIP-7594 extension) and the EIP-4844 KZG functions with the Ethereum
 * trusted setup ($ZG_KZG_SETUP, else ../shared/vectors/kzg-setup/
 * trusted_setup.txt). Blobs hold pseudo-random elements below 2^254 from a
 * fixed xorshift stream, like bench/ckzg_compare.js, which times c-kzg on
 * the same cases. The _pre cases use the settings loaded with fixed-base
 * tables (precompute level ZG_KZG_BENCH_PRECOMPUTE, default 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "zg/fft.h"
#include "zg/kzg.h"

static uint64_t bench_state = 0x13198a2e03707344ull;

/* Process CPU time: on a machine shared with other jobs, the KZG cases also
 * print CPU ns/op (to stderr), which is steadier than wall time. */
static uint64_t cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void report_cpu(const char *name, uint64_t c0, const zg_bench_t *b) {
  if (b->ops) fprintf(stderr, "  %-38s cpu %14.1f ns/op\n", name, (double)(cpu_ns() - c0) / (double)b->ops);
}

static void bench_rand_fr(zg_fr_t *k) {
  uint8_t buf[64];
  for (size_t i = 0; i < sizeof buf; i++) {
    bench_state ^= bench_state << 13;
    bench_state ^= bench_state >> 7;
    bench_state ^= bench_state << 17;
    buf[i] = (uint8_t)bench_state;
  }
  zg_fr_from_be_reduce(k, buf, sizeof buf);
}

static void bench_fft(zg_bench_t *b, size_t n) {
  zg_fft_domain_t *dom = NULL;
  zg_fr_t *a = malloc(n * sizeof *a);
  if (!a || zg_fft_domain_create(&dom, n) != ZG_OK) {
    free(a);
    return;
  }
  for (size_t i = 0; i < n; i++) bench_rand_fr(&a[i]);
  while (zg_bench_loop(b)) {
    zg_err_t e = zg_fft_fr(dom, a, n);
    ZG_BENCH_KEEP(e);
  }
  zg_fft_domain_destroy(dom);
  free(a);
}

ZG_BENCH(fft_4096) { bench_fft(b, 4096); }
ZG_BENCH(fft_8192) { bench_fft(b, 8192); }

/* ---------------------------------------------------------------- KZG */

static const char *setup_path(void) {
  const char *p = getenv("ZG_KZG_SETUP");
#ifdef ZG_VECTORS_DEFAULT
  return p ? p : ZG_VECTORS_DEFAULT "/kzg-setup/trusted_setup.txt";
#else
  return p ? p : "../shared/vectors/kzg-setup/trusted_setup.txt";
#endif
}

static uint8_t bench_byte(void) {
  bench_state ^= bench_state << 13;
  bench_state ^= bench_state >> 7;
  bench_state ^= bench_state << 17;
  return (uint8_t)bench_state;
}

static void bench_blob(uint8_t *blob) {
  for (size_t i = 0; i < ZG_KZG_BYTES_PER_BLOB; i++) blob[i] = bench_byte();
  for (size_t i = 0; i < ZG_KZG_BYTES_PER_BLOB; i += 32) blob[i] &= 0x3f;
}

#define BATCH 16

/* Settings (plain and with tables) and a prepared batch, made once. */
static struct {
  zg_kzg_settings_t *s[2];
  bool tried[2];
  uint8_t *blobs; /* BATCH blobs */
  uint8_t com[BATCH][48], proof[BATCH][48], z[32], y[32], zproof[48];
  void *scratch;
} K;

static void bench_kzg_free(void) {
  zg_kzg_settings_destroy(K.s[0]);
  zg_kzg_settings_destroy(K.s[1]);
  free(K.blobs);
  free(K.scratch);
}

static zg_kzg_settings_t *bench_settings(int pre) {
  if (K.tried[pre]) return K.s[pre];
  K.tried[pre] = true;
  zg_kzg_load_opts_t opts = {0, 0};
  if (pre) {
    const char *lv = getenv("ZG_KZG_BENCH_PRECOMPUTE");
    opts.precompute = lv ? (unsigned)atoi(lv) : 3;
  }
  char msg[200];
  if (zg_kzg_settings_load_file(&K.s[pre], setup_path(), &opts, msg, sizeof msg) != ZG_OK) {
    fprintf(stderr, "bench_kzg: cannot load %s: %s\n", setup_path(), msg);
    return NULL;
  }
  if (!K.blobs) {
    atexit(bench_kzg_free);
    K.blobs = malloc((size_t)BATCH * ZG_KZG_BYTES_PER_BLOB);
    K.scratch = malloc(zg_kzg_scratch_size(K.s[pre], BATCH) + (1u << 20));
    if (!K.blobs || !K.scratch) return NULL;
    for (int i = 0; i < BATCH; i++) {
      uint8_t *blob = K.blobs + (size_t)i * ZG_KZG_BYTES_PER_BLOB;
      bench_blob(blob);
      if (zg_kzg_blob_to_commitment(K.s[pre], K.com[i], blob, ZG_KZG_BYTES_PER_BLOB, K.scratch) != ZG_OK ||
          zg_kzg_compute_blob_proof(K.s[pre], K.proof[i], blob, ZG_KZG_BYTES_PER_BLOB, K.com[i], 48, K.scratch) !=
              ZG_OK)
        return NULL;
    }
    for (int i = 0; i < 32; i++) K.z[i] = bench_byte();
    K.z[0] &= 0x3f;
    if (zg_kzg_compute_proof(K.s[pre], K.zproof, K.y, K.blobs, ZG_KZG_BYTES_PER_BLOB, K.z, 32, K.scratch) != ZG_OK)
      return NULL;
  }
  return K.s[pre];
}

ZG_BENCH(kzg_load_trusted_setup) {
  uint64_t c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_kzg_settings_t *s = NULL;
    if (zg_kzg_settings_load_file(&s, setup_path(), NULL, NULL, 0) != ZG_OK) return;
    zg_kzg_settings_destroy(s);
  }
  report_cpu("kzg_load_trusted_setup (all threads)", c0, b);
}

ZG_BENCH(kzg_load_trusted_setup_1thread) {
  zg_kzg_load_opts_t opts = {1, 0};
  uint64_t c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_kzg_settings_t *s = NULL;
    if (zg_kzg_settings_load_file(&s, setup_path(), &opts, NULL, 0) != ZG_OK) return;
    zg_kzg_settings_destroy(s);
  }
  report_cpu("kzg_load_trusted_setup_1thread", c0, b);
}

static void bench_commit(zg_bench_t *b, int pre, const char *name) {
  zg_kzg_settings_t *s = bench_settings(pre);
  if (!s) return;
  uint8_t c[48];
  uint64_t c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_err_t e = zg_kzg_blob_to_commitment(s, c, K.blobs, ZG_KZG_BYTES_PER_BLOB, K.scratch);
    ZG_BENCH_KEEP(e);
  }
  report_cpu(name, c0, b);
}

static void bench_proof(zg_bench_t *b, int pre, const char *name) {
  zg_kzg_settings_t *s = bench_settings(pre);
  if (!s) return;
  uint8_t p[48], y[32];
  uint64_t c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_err_t e = zg_kzg_compute_proof(s, p, y, K.blobs, ZG_KZG_BYTES_PER_BLOB, K.z, 32, K.scratch);
    ZG_BENCH_KEEP(e);
  }
  report_cpu(name, c0, b);
}

static void bench_blob_proof(zg_bench_t *b, int pre, const char *name) {
  zg_kzg_settings_t *s = bench_settings(pre);
  if (!s) return;
  uint8_t p[48];
  uint64_t c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_err_t e = zg_kzg_compute_blob_proof(s, p, K.blobs, ZG_KZG_BYTES_PER_BLOB, K.com[0], 48, K.scratch);
    ZG_BENCH_KEEP(e);
  }
  report_cpu(name, c0, b);
}

ZG_BENCH(kzg_blob_to_commitment) { bench_commit(b, 0, "kzg_blob_to_commitment"); }
ZG_BENCH(kzg_compute_kzg_proof) { bench_proof(b, 0, "kzg_compute_kzg_proof"); }
ZG_BENCH(kzg_compute_blob_proof) { bench_blob_proof(b, 0, "kzg_compute_blob_proof"); }
ZG_BENCH(kzg_blob_to_commitment_pre) { bench_commit(b, 1, "kzg_blob_to_commitment_pre"); }
ZG_BENCH(kzg_compute_kzg_proof_pre) { bench_proof(b, 1, "kzg_compute_kzg_proof_pre"); }
ZG_BENCH(kzg_compute_blob_proof_pre) { bench_blob_proof(b, 1, "kzg_compute_blob_proof_pre"); }

ZG_BENCH(kzg_verify_kzg_proof) {
  zg_kzg_settings_t *s = bench_settings(0);
  if (!s) return;
  bool ok = false;
  uint64_t c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_err_t e = zg_kzg_verify_proof(s, &ok, K.com[0], 48, K.z, 32, K.y, 32, K.zproof, 48);
    ZG_BENCH_KEEP(e);
  }
  report_cpu("kzg_verify_kzg_proof", c0, b);
  if (!ok) fprintf(stderr, "bench_kzg: proof rejected\n");
}

ZG_BENCH(kzg_verify_blob_proof) {
  zg_kzg_settings_t *s = bench_settings(0);
  if (!s) return;
  bool ok = false;
  uint64_t c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_err_t e = zg_kzg_verify_blob_proof(s, &ok, K.blobs, ZG_KZG_BYTES_PER_BLOB, K.com[0], 48, K.proof[0], 48,
                                          K.scratch);
    ZG_BENCH_KEEP(e);
  }
  report_cpu("kzg_verify_blob_proof", c0, b);
  if (!ok) fprintf(stderr, "bench_kzg: blob proof rejected\n");
}

ZG_BENCH(kzg_verify_blob_proof_batch_16) {
  zg_kzg_settings_t *s = bench_settings(0);
  if (!s) return;
  zg_slice_t blobs[BATCH], cs[BATCH], ps[BATCH];
  for (int i = 0; i < BATCH; i++) {
    blobs[i] = zg_slice(K.blobs + (size_t)i * ZG_KZG_BYTES_PER_BLOB, ZG_KZG_BYTES_PER_BLOB);
    cs[i] = zg_slice(K.com[i], 48);
    ps[i] = zg_slice(K.proof[i], 48);
  }
  bool ok = false;
  uint64_t c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_err_t e = zg_kzg_verify_blob_proof_batch(s, &ok, blobs, cs, ps, BATCH, K.scratch);
    ZG_BENCH_KEEP(e);
  }
  report_cpu("kzg_verify_blob_proof_batch_16", c0, b);
  if (!ok) fprintf(stderr, "bench_kzg: batch rejected\n");
}

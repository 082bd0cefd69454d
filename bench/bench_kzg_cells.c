/*
 * bench_kzg_cells.c — EIP-7594 cells and the DA Reed–Solomon coder:
 *   kzg_compute_cells, kzg_compute_cells_and_proofs (_t2: two threads),
 *   kzg_verify_cell_batch_128 (the 128 cells of one blob), kzg_recover_cells_50
 *   (cells only, from 64 random cells), kzg_recover_cells_and_proofs_50,
 *   da_rs_encode_32mib / da_rs_decode_32mib (rate 1/2; decode from 64 random
 *   columns; _t2: two threads).
 * The machine these run on is often shared, so every case also prints the
 * process CPU time per operation to stderr ("cpu ns/op": the sum over all
 * threads, so for _t2 cases it is the total work, not the latency).
 * bench/ckzg_cells_compare.js times c-kzg on the same operations.
 * Setup: $ZG_KZG_SETUP, else ../shared/vectors/kzg-setup/trusted_setup.txt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "zg/kzg.h"
#include "zg/kzg_cells.h"
#include "zg/rs.h"

static uint64_t cells_rng = 0x9e3779b97f4a7c15ull;
static uint8_t rnd8(void) {
  cells_rng ^= cells_rng << 13;
  cells_rng ^= cells_rng >> 7;
  cells_rng ^= cells_rng << 17;
  return (uint8_t)cells_rng;
}

static uint64_t cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void report_cpu(const char *name, uint64_t c0, const zg_bench_t *b) {
  if (b->ops) fprintf(stderr, "  %-38s cpu %14.1f ns/op\n", name, (double)(cpu_ns() - c0) / (double)b->ops);
}

static const char *cells_setup_path(void) {
  const char *p = getenv("ZG_KZG_SETUP");
#ifdef ZG_VECTORS_DEFAULT
  return p ? p : ZG_VECTORS_DEFAULT "/kzg-setup/trusted_setup.txt";
#else
  return p ? p : "../shared/vectors/kzg-setup/trusted_setup.txt";
#endif
}

static struct {
  bool tried;
  zg_kzg_settings_t *s;
  zg_kzg_cells_t *ctx;
  void *scratch;
  uint8_t *blob, *cells, *proofs, *out_cells, *out_proofs;
  uint8_t commitment[48];
} C;

static void cells_free(void) {
  zg_kzg_cells_destroy(C.ctx);
  zg_kzg_settings_destroy(C.s);
  free(C.scratch);
  free(C.blob);
  free(C.cells);
  free(C.proofs);
  free(C.out_cells);
  free(C.out_proofs);
}

static bool cells_ready(unsigned threads) {
  if (!C.tried) {
    C.tried = true;
    char msg[200];
    if (zg_kzg_settings_load_file(&C.s, cells_setup_path(), NULL, msg, sizeof msg) != ZG_OK) {
      fprintf(stderr, "bench_kzg_cells: cannot load %s: %s\n", cells_setup_path(), msg);
      return false;
    }
    zg_kzg_cells_opts_t o = {2};
    if (zg_kzg_cells_create(&C.ctx, C.s, &o) != ZG_OK) return false;
    atexit(cells_free);
    C.scratch = malloc(zg_kzg_cells_scratch_size(C.ctx, 128));
    C.blob = malloc(ZG_KZG_BYTES_PER_BLOB);
    C.cells = malloc(ZG_KZG_BYTES_PER_EXT_BLOB);
    C.out_cells = malloc(ZG_KZG_BYTES_PER_EXT_BLOB);
    C.proofs = malloc(ZG_KZG_BYTES_PER_CELL_PROOFS);
    C.out_proofs = malloc(ZG_KZG_BYTES_PER_CELL_PROOFS);
    void *ks = malloc(zg_kzg_scratch_size(C.s, 1));
    if (!C.scratch || !C.blob || !C.cells || !C.out_cells || !C.proofs || !C.out_proofs || !ks) return false;
    for (size_t i = 0; i < ZG_KZG_BYTES_PER_BLOB; i++) C.blob[i] = rnd8();
    for (size_t i = 0; i < ZG_KZG_BYTES_PER_BLOB; i += 32) C.blob[i] &= 0x3f;
    bool ok = zg_kzg_compute_cells_and_proofs(C.ctx, C.cells, C.proofs, C.blob, ZG_KZG_BYTES_PER_BLOB, C.scratch) ==
                  ZG_OK &&
              zg_kzg_blob_to_commitment(C.s, C.commitment, C.blob, ZG_KZG_BYTES_PER_BLOB, ks) == ZG_OK;
    free(ks);
    if (!ok) {
      zg_kzg_cells_destroy(C.ctx);
      C.ctx = NULL;
    }
  }
  if (!C.ctx) return false;
  zg_kzg_cells_set_threads(C.ctx, threads);
  return true;
}

ZG_BENCH(kzg_compute_cells) {
  if (!cells_ready(1)) return;
  uint64_t c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_err_t e = zg_kzg_compute_cells(C.ctx, C.out_cells, C.blob, ZG_KZG_BYTES_PER_BLOB, C.scratch);
    ZG_BENCH_KEEP(e);
  }
  report_cpu("kzg_compute_cells", c0, b);
}

static void bench_cells_proofs(zg_bench_t *b, unsigned threads, const char *name) {
  if (!cells_ready(threads)) return;
  uint64_t c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_err_t e = zg_kzg_compute_cells_and_proofs(C.ctx, C.out_cells, C.out_proofs, C.blob, ZG_KZG_BYTES_PER_BLOB,
                                                 C.scratch);
    ZG_BENCH_KEEP(e);
  }
  report_cpu(name, c0, b);
  zg_kzg_cells_set_threads(C.ctx, 1);
}

ZG_BENCH(kzg_compute_cells_and_proofs) { bench_cells_proofs(b, 1, "kzg_compute_cells_and_proofs"); }
ZG_BENCH(kzg_compute_cells_and_proofs_t2) { bench_cells_proofs(b, 2, "kzg_compute_cells_and_proofs_t2"); }

ZG_BENCH(kzg_verify_cell_batch_128) {
  if (!cells_ready(1)) return;
  zg_slice_t cs[128], ce[128], ps[128];
  uint64_t idx[128];
  for (size_t k = 0; k < 128; k++) {
    cs[k] = zg_slice(C.commitment, 48);
    ce[k] = zg_slice(C.cells + k * ZG_KZG_BYTES_PER_CELL, ZG_KZG_BYTES_PER_CELL);
    ps[k] = zg_slice(C.proofs + k * 48, 48);
    idx[k] = k;
  }
  uint64_t c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    bool ok = false;
    zg_err_t e = zg_kzg_verify_cell_proof_batch(C.ctx, &ok, cs, 128, idx, 128, ce, 128, ps, 128, C.scratch);
    ZG_BENCH_KEEP(e);
    ZG_BENCH_KEEP(ok);
  }
  report_cpu("kzg_verify_cell_batch_128", c0, b);
}

/* A fixed random half of the cells (sorted indices). */
static size_t half_cells(uint64_t *idx, zg_slice_t *sl) {
  bool pick[128] = {false};
  uint64_t st = 12345;
  for (int got = 0; got < 64;) {
    st = st * 6364136223846793005ull + 1442695040888963407ull;
    unsigned i = (unsigned)(st >> 57);
    if (!pick[i]) pick[i] = true, got++;
  }
  size_t n = 0;
  for (uint64_t i = 0; i < 128; i++)
    if (pick[i]) {
      idx[n] = i;
      sl[n++] = zg_slice(C.cells + i * ZG_KZG_BYTES_PER_CELL, ZG_KZG_BYTES_PER_CELL);
    }
  return n;
}

static void bench_recover(zg_bench_t *b, bool proofs, const char *name) {
  if (!cells_ready(1)) return;
  uint64_t idx[128];
  zg_slice_t sl[128];
  size_t n = half_cells(idx, sl);
  uint64_t c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_err_t e = zg_kzg_recover_cells_and_proofs(C.ctx, C.out_cells, proofs ? C.out_proofs : NULL, idx, n, sl, n,
                                                 C.scratch);
    ZG_BENCH_KEEP(e);
  }
  report_cpu(name, c0, b);
}

ZG_BENCH(kzg_recover_cells_50) { bench_recover(b, false, "kzg_recover_cells_50"); }
ZG_BENCH(kzg_recover_cells_and_proofs_50) { bench_recover(b, true, "kzg_recover_cells_and_proofs_50"); }

/* ---------------------------------------------------------------- DA RS */

#define DA_LEN ((size_t)32 << 20)

static zg_err_t count_row(void *user, uint64_t row, const uint8_t *ext, size_t len) {
  (void)row;
  *(uint64_t *)user += ext[len - 1];
  return ZG_OK;
}

static struct {
  uint8_t *payload;
  uint8_t *cols; /* 128 columns of rows * 2048 bytes, kept only for 64 random ones */
  uint64_t rows;
  bool col_have[128];
} D;

static void da_free(void) {
  free(D.payload);
  free(D.cols);
}

static bool da_payload(void) {
  if (D.payload) return true;
  D.payload = malloc(DA_LEN);
  if (!D.payload) return false;
  atexit(da_free);
  for (size_t i = 0; i < DA_LEN; i++) D.payload[i] = rnd8();
  return true;
}

static void bench_encode(zg_bench_t *b, unsigned threads, const char *name) {
  if (!da_payload()) return;
  zg_rs_opts_t o = {2, threads};
  b->bytes_per_op = DA_LEN;
  uint64_t sink = 0, c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_rs_encoder_t *enc = NULL;
    if (zg_rs_encoder_create(&enc, &o, DA_LEN, count_row, &sink) != ZG_OK) return;
    zg_err_t e = zg_rs_encoder_write(enc, D.payload, DA_LEN);
    if (e == ZG_OK) e = zg_rs_encoder_finish(enc);
    zg_rs_encoder_destroy(enc);
    ZG_BENCH_KEEP(e);
  }
  ZG_BENCH_KEEP(sink);
  report_cpu(name, c0, b);
}

ZG_BENCH(da_rs_encode_32mib) { bench_encode(b, 1, "da_rs_encode_32mib"); }
ZG_BENCH(da_rs_encode_32mib_t2) { bench_encode(b, 2, "da_rs_encode_32mib_t2"); }

static zg_err_t keep_cols(void *user, uint64_t row, const uint8_t *ext, size_t len) {
  (void)user;
  (void)len;
  for (size_t c = 0; c < 128; c++)
    if (D.col_have[c])
      memcpy(D.cols + (c * D.rows + row) * ZG_RS_CELL_BYTES, ext + c * ZG_RS_CELL_BYTES, ZG_RS_CELL_BYTES);
  return ZG_OK;
}

static bool da_columns(void) {
  if (D.cols) return true;
  if (!da_payload()) return false;
  D.rows = zg_rs_rows_for_len(DA_LEN);
  D.cols = malloc((size_t)128 * D.rows * ZG_RS_CELL_BYTES);
  if (!D.cols) return false;
  uint64_t st = 777;
  for (int got = 0; got < 64;) {
    st = st * 6364136223846793005ull + 1442695040888963407ull;
    unsigned i = (unsigned)(st >> 57);
    if (!D.col_have[i]) D.col_have[i] = true, got++;
  }
  zg_rs_opts_t o = {2, 2};
  zg_rs_encoder_t *enc = NULL;
  if (zg_rs_encoder_create(&enc, &o, DA_LEN, keep_cols, NULL) != ZG_OK) return false;
  zg_err_t e = zg_rs_encoder_write(enc, D.payload, DA_LEN);
  if (e == ZG_OK) e = zg_rs_encoder_finish(enc);
  zg_rs_encoder_destroy(enc);
  return e == ZG_OK;
}

static zg_err_t count_bytes(void *user, const uint8_t *p, size_t len) {
  *(uint64_t *)user += p[0] + len;
  return ZG_OK;
}

static void bench_decode(zg_bench_t *b, unsigned threads, const char *name) {
  if (!da_columns()) return;
  zg_rs_opts_t o = {2, threads};
  b->bytes_per_op = DA_LEN;
  uint64_t sink = 0, c0 = cpu_ns();
  while (zg_bench_loop(b)) {
    zg_rs_decoder_t *dec = NULL;
    if (zg_rs_decoder_create(&dec, &o, D.rows) != ZG_OK) return;
    zg_err_t e = ZG_OK;
    for (size_t c = 0; c < 128 && e == ZG_OK; c++)
      if (D.col_have[c])
        e = zg_rs_decoder_add_column(dec, c, D.cols + c * D.rows * ZG_RS_CELL_BYTES, D.rows * ZG_RS_CELL_BYTES);
    if (e == ZG_OK) e = zg_rs_decoder_finish(dec, count_bytes, &sink);
    zg_rs_decoder_destroy(dec);
    ZG_BENCH_KEEP(e);
  }
  ZG_BENCH_KEEP(sink);
  report_cpu(name, c0, b);
}

ZG_BENCH(da_rs_decode_32mib) { bench_decode(b, 1, "da_rs_decode_32mib"); }
ZG_BENCH(da_rs_decode_32mib_t2) { bench_decode(b, 2, "da_rs_decode_32mib_t2"); }

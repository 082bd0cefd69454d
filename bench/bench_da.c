/*
 * bench_da.c — DA blob encoding, signer verification and retrieval
 * (zg/da_encoder.h):
 *   da_encode_32mib, da_encode_32mib_t2   a 32 MiB blob (265 rows): commitments,
 *                                         cells and cell proofs, 1 and 2 threads
 *                                         (MB/s of payload)
 *   da_encode_row                         one row (126976 payload bytes), 1 thread
 *   da_verify_cols32, da_verify_cols32_t2 a signer's 32 columns of an 8-row blob,
 *                                         every cell proof (MB/s of column bytes)
 *   da_decode_all, da_decode_half(_t2)    retrieval of an 8-row blob from all 128
 *                                         columns (systematic path) and from 64
 *                                         random columns (recovery; MB/s of payload)
 *   da_blob_digest_32mib                  the header digest of a 32 MiB blob
 * Each case also prints its process CPU time per operation to stderr (for
 * _t2 cases the sum over both threads). The 32 MiB cases take minutes of CPU:
 * run them by name. Setup: $ZG_KZG_SETUP, else the vectors' trusted setup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "zg/da_encoder.h"

static uint64_t da_cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void da_report_cpu(const char *name, uint64_t c0, const zg_bench_t *b) {
  if (b->ops) fprintf(stderr, "  %-38s cpu %14.1f ns/op\n", name, (double)(da_cpu_ns() - c0) / (double)b->ops);
}

static const char *da_setup_path(void) {
  const char *p = getenv("ZG_KZG_SETUP");
#ifdef ZG_VECTORS_DEFAULT
  return p ? p : ZG_VECTORS_DEFAULT "/kzg-setup/trusted_setup.txt";
#else
  return p ? p : "../shared/vectors/kzg-setup/trusted_setup.txt";
#endif
}

#define DA_SMALL_ROWS 8

static struct {
  bool tried;
  const zg_da_ctx_t *shared; /* 2 threads, owns the settings */
  zg_da_ctx_t *one;          /* 1 thread over the same settings */
  zg_kzg_settings_t *s1;
  uint8_t *data;             /* DA_SMALL_ROWS rows of payload */
  uint64_t len;
  zg_da_encoded_t e;
  zg_da_column_t col[ZG_DA_COLUMNS];
  uint8_t *cells, *proofs;
} D;

static bool da_ready(void) {
  if (D.tried) return D.shared != NULL;
  D.tried = true;
  char msg[200];
  zg_da_opts_t o2 = {2, 0}, o1 = {1, 0};
  if (zg_da_ctx_shared(&D.shared, da_setup_path(), &o2, msg, sizeof msg) != ZG_OK) {
    fprintf(stderr, "bench_da: cannot load %s: %s\n", da_setup_path(), msg);
    D.shared = NULL;
    return false;
  }
  zg_kzg_load_opts_t lo = {0, 3};
  if (zg_kzg_settings_load_file(&D.s1, da_setup_path(), &lo, msg, sizeof msg) != ZG_OK ||
      zg_da_ctx_create(&D.one, D.s1, &o1) != ZG_OK) {
    D.shared = NULL;
    return false;
  }
  D.len = (uint64_t)DA_SMALL_ROWS * ZG_DA_ROW_PAYLOAD - 8;
  D.data = malloc(D.len);
  for (uint64_t i = 0; i < D.len; i++) D.data[i] = (uint8_t)(i * 2654435761u >> 13);
  if (zg_da_encode(D.shared, &D.e, D.data, D.len) != ZG_OK) {
    D.shared = NULL;
    return false;
  }
  size_t cl = (size_t)D.e.rows * ZG_DA_CELL_BYTES, pl = (size_t)D.e.rows * ZG_DA_PROOF_LEN;
  D.cells = malloc(ZG_DA_COLUMNS * cl);
  D.proofs = malloc(ZG_DA_COLUMNS * pl);
  for (uint32_t j = 0; j < ZG_DA_COLUMNS; j++) {
    if (zg_da_extract_column(&D.e, j, D.cells + j * cl, D.proofs + j * pl) != ZG_OK) abort();
    D.col[j] = (zg_da_column_t){j, D.cells + j * cl, cl, D.proofs + j * pl, pl};
  }
  return true;
}

static void da_encode_case(zg_bench_t *b, const zg_da_ctx_t *ctx, uint64_t len, const char *name) {
  uint8_t *data = malloc(len);
  for (uint64_t i = 0; i < len; i++) data[i] = (uint8_t)(i * 2654435761u >> 11);
  b->bytes_per_op = len;
  uint64_t c0 = da_cpu_ns();
  while (zg_bench_loop(b)) {
    zg_da_encoded_t e;
    if (zg_da_encode(ctx, &e, data, len) != ZG_OK) abort();
    zg_da_encoded_free(&e);
  }
  da_report_cpu(name, c0, b);
  free(data);
}

ZG_BENCH(da_encode_row) {
  if (!da_ready()) return;
  da_encode_case(b, D.one, ZG_DA_ROW_PAYLOAD - 8, "da_encode_row");
}

ZG_BENCH(da_encode_32mib) {
  if (!da_ready()) return;
  da_encode_case(b, D.one, ZG_DA_MAX_BLOB_DEFAULT, "da_encode_32mib");
}

ZG_BENCH(da_encode_32mib_t2) {
  if (!da_ready()) return;
  da_encode_case(b, D.shared, ZG_DA_MAX_BLOB_DEFAULT, "da_encode_32mib_t2");
}

/* A signer holding 32 of the 128 columns (quarter of the slots). */
static void da_verify_case(zg_bench_t *b, const zg_da_ctx_t *ctx, const char *name) {
  zg_da_column_t sel[32];
  for (size_t i = 0; i < 32; i++) sel[i] = D.col[4 * i + 1];
  zg_da_header_t h = zg_da_encoded_header(&D.e);
  b->bytes_per_op = 32ull * D.e.rows * ZG_DA_CELL_BYTES;
  uint64_t c0 = da_cpu_ns();
  while (zg_bench_loop(b)) {
    bool ok = false;
    if (zg_da_verify_columns(ctx, &ok, &h, sel, 32) != ZG_OK || !ok) abort();
  }
  da_report_cpu(name, c0, b);
}

ZG_BENCH(da_verify_cols32) {
  if (!da_ready()) return;
  da_verify_case(b, D.one, "da_verify_cols32");
}

ZG_BENCH(da_verify_cols32_t2) {
  if (!da_ready()) return;
  da_verify_case(b, D.shared, "da_verify_cols32_t2");
}

static zg_err_t da_sink(void *user, const uint8_t *data, size_t len) {
  (void)data;
  *(uint64_t *)user += len;
  return ZG_OK;
}

static void da_decode_case(zg_bench_t *b, const zg_da_ctx_t *ctx, bool half, const char *name) {
  zg_da_column_t sel[ZG_DA_COLUMNS];
  size_t n = 0;
  /* Half: 64 columns, 32 systematic and 32 parity, so recovery must run. */
  for (uint32_t j = 0; j < ZG_DA_COLUMNS; j++)
    if (!half || (j % 4 == 0 || j % 4 == 3)) sel[n++] = D.col[j];
  zg_da_header_t h = zg_da_encoded_header(&D.e);
  b->bytes_per_op = D.len;
  uint64_t c0 = da_cpu_ns();
  while (zg_bench_loop(b)) {
    uint64_t got = 0;
    if (zg_da_decode(ctx, &h, sel, n, da_sink, &got) != ZG_OK || got != D.len) abort();
  }
  da_report_cpu(name, c0, b);
}

ZG_BENCH(da_decode_all) {
  if (!da_ready()) return;
  da_decode_case(b, D.one, false, "da_decode_all");
}

ZG_BENCH(da_decode_half) {
  if (!da_ready()) return;
  da_decode_case(b, D.one, true, "da_decode_half");
}

ZG_BENCH(da_decode_half_t2) {
  if (!da_ready()) return;
  da_decode_case(b, D.shared, true, "da_decode_half_t2");
}

ZG_BENCH(da_blob_digest_32mib) {
  uint32_t rows = zg_da_rows_for_len(ZG_DA_MAX_BLOB_DEFAULT);
  uint8_t *com = calloc(rows, ZG_DA_COMMITMENT_LEN), d[32];
  zg_da_header_t h = {ZG_DA_MAX_BLOB_DEFAULT, rows, ZG_DA_RATE_INV, com};
  while (zg_bench_loop(b)) {
    if (zg_da_blob_digest(d, &h) != ZG_OK) abort();
    ZG_BENCH_KEEP(d[0]);
  }
  free(com);
}

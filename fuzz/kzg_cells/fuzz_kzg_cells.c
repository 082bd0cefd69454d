/* fuzz_kzg_cells.c — the untrusted-input parsers of the EIP-7594 cell API
 * and the DA Reed–Solomon column decoder. The first input byte picks the
 * target:
 *   0: verify_cell_kzg_proof_batch — up to 3 (commitment, index, cell, proof)
 *      tuples cut from the input (cell bytes cycled from the input tail, top
 *      byte of each element optionally cleared so parsing gets past ZG_EFIELD);
 *   1: recover — a list of cell indices from the input; cells are the real
 *      cells of a fixed blob or fuzz bytes. With real cells and a valid index
 *      set the result must be the original cells;
 *   2: RS decoder — columns (index, real/fuzzed data, length) of a fixed 2-row
 *      blob at rate 1/2 or 1/3; when every column added was real and there
 *      were >= 64 the payload must come back exactly;
 *   3: the batch challenge with fuzzed counts and indices.
 * Never a crash, leak or sanitizer report; every failure is a zg_err_t.
 * Needs the trusted setup: $ZG_KZG_SETUP, else ../shared/vectors/kzg-setup/
 * trusted_setup.txt (relative to the working directory). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/kzg.h"
#include "zg/kzg_cells.h"
#include "zg/rs.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zg_kzg_settings_t *g_s;
static zg_kzg_cells_t *g_ctx;
static void *g_scr;
static uint8_t g_blob[ZG_KZG_BYTES_PER_BLOB], g_cells[ZG_KZG_BYTES_PER_EXT_BLOB], g_out[ZG_KZG_BYTES_PER_EXT_BLOB];

#define RS_LEN 200000 /* two rows */
static uint8_t g_payload[RS_LEN];
static uint8_t *g_ext[2]; /* rate 1/2 and 1/3 extended rows, 2 rows each */

static zg_err_t keep_row(void *user, uint64_t row, const uint8_t *ext, size_t len) {
  memcpy((uint8_t *)user + row * len, ext, len);
  return ZG_OK;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *p = getenv("ZG_KZG_SETUP");
  char msg[200];
  if (zg_kzg_settings_load_file(&g_s, p ? p : "../shared/vectors/kzg-setup/trusted_setup.txt", NULL, msg,
                                sizeof msg) != ZG_OK ||
      zg_kzg_cells_create(&g_ctx, g_s, NULL) != ZG_OK) {
    fprintf(stderr, "fuzz_kzg_cells: no trusted setup (%s); set ZG_KZG_SETUP\n", msg);
    abort();
  }
  g_scr = malloc(zg_kzg_cells_scratch_size(g_ctx, 128));
  for (size_t i = 0; i < sizeof g_blob; i++) g_blob[i] = (uint8_t)(i * 131 + 7);
  for (size_t i = 0; i < sizeof g_blob; i += 32) g_blob[i] = 0;
  if (zg_kzg_compute_cells(g_ctx, g_cells, g_blob, sizeof g_blob, g_scr) != ZG_OK) abort();
  for (size_t i = 0; i < RS_LEN; i++) g_payload[i] = (uint8_t)(i * 17 + 3);
  for (unsigned r = 2; r <= 3; r++) {
    zg_rs_opts_t o = {r, 1};
    g_ext[r - 2] = malloc(2 * zg_rs_columns(r) * ZG_RS_CELL_BYTES);
    zg_rs_encoder_t *enc = NULL;
    if (zg_rs_encoder_create(&enc, &o, RS_LEN, keep_row, g_ext[r - 2]) != ZG_OK ||
        zg_rs_encoder_write(enc, g_payload, RS_LEN) != ZG_OK || zg_rs_encoder_finish(enc) != ZG_OK)
      abort();
    zg_rs_encoder_destroy(enc);
  }
  return 0;
}

/* A cursor over the input. */
typedef struct {
  const uint8_t *p;
  size_t n;
} cur_t;

static uint8_t take8(cur_t *c) {
  if (!c->n) return 0;
  c->n--;
  return *c->p++;
}

static const uint8_t *take(cur_t *c, size_t len, uint8_t *buf) {
  for (size_t i = 0; i < len; i++) buf[i] = take8(c);
  return buf;
}

/* Fills len bytes cyclically from the input tail (zeros if empty). */
static void fill(uint8_t *out, size_t len, const cur_t *c, bool clear_top) {
  for (size_t i = 0; i < len; i++) out[i] = c->n ? c->p[i % c->n] : 0;
  if (clear_top)
    for (size_t i = 0; i < len; i += 32) out[i] = 0;
}

static void fuzz_verify(cur_t *c) {
  uint8_t flags = take8(c);
  size_t n = flags % 4;
  static uint8_t cm[3][48], pr[3][48], cells[3][2049];
  zg_slice_t cs[3], ce[3], ps[3];
  uint64_t idx[3];
  for (size_t k = 0; k < n; k++) {
    take(c, 48, cm[k]);
    take(c, 48, pr[k]);
    if (flags & 0x40) memcpy(cm[k], (uint8_t[48]){0xc0}, 48);
    idx[k] = take8(c);
    size_t len = (flags & 0x10) && k == 0 ? 2047 + (take8(c) & 2) : 2048;
    fill(cells[k], len, c, flags & 0x20);
    cs[k] = zg_slice(cm[k], 48);
    ce[k] = zg_slice(cells[k], len);
    ps[k] = zg_slice(pr[k], 48);
  }
  bool ok = true;
  size_t np = (flags & 0x80) && n ? n - 1 : n;
  zg_err_t e = zg_kzg_verify_cell_proof_batch(g_ctx, &ok, cs, n, idx, n, ce, n, ps, np, g_scr);
  if (e != ZG_OK && ok) abort();
}

static void fuzz_recover(cur_t *c) {
  uint8_t flags = take8(c);
  size_t n = take8(c) % 130;
  uint64_t idx[130];
  zg_slice_t sl[130];
  static uint8_t junk[2048];
  fill(junk, sizeof junk, c, flags & 1);
  bool real = (flags & 2) != 0, sorted_unique = true;
  for (size_t k = 0; k < n; k++) {
    idx[k] = (flags & 4) ? take8(c) : (uint64_t)(take8(c) & 127);
    if (k && idx[k] <= idx[k - 1]) sorted_unique = false;
    size_t len = (flags & 8) && k == 3 ? 100 : 2048;
    sl[k] = real && idx[k] < 128 ? zg_slice(g_cells + idx[k] * 2048, len) : zg_slice(junk, len);
  }
  zg_err_t e = zg_kzg_recover_cells(g_ctx, g_out, idx, n, sl, n, g_scr);
  bool should = real && sorted_unique && n >= 64 && !(flags & 8 && n > 3);
  for (size_t k = 0; k < n && should; k++) should = idx[k] < 128;
  if (should && (e != ZG_OK || memcmp(g_out, g_cells, sizeof g_cells) != 0)) abort();
}

typedef struct {
  uint8_t buf[RS_LEN];
  size_t len;
} out_t;

static zg_err_t collect(void *user, const uint8_t *p, size_t len) {
  out_t *o = user;
  if (o->len + len > RS_LEN) return ZG_EOVERFLOW;
  memcpy(o->buf + o->len, p, len);
  o->len += len;
  return ZG_OK;
}

static void fuzz_rs(cur_t *c) {
  uint8_t flags = take8(c);
  unsigned rate = 2 + (flags & 1);
  zg_rs_opts_t o = {rate, 1};
  size_t ncols = zg_rs_columns(rate), rows = 2;
  zg_rs_decoder_t *dec = NULL;
  if (zg_rs_decoder_create(&dec, &o, rows) != ZG_OK) abort();
  static uint8_t col[2 * 2048 + 1];
  bool all_real = true;
  size_t added = 0, steps = take8(c);
  for (size_t s = 0; s < steps && c->n; s++) {
    uint8_t j = take8(c), m = take8(c);
    size_t len = (m & 3) == 3 ? 4095 : 4096;
    if (m & 4) {
      fill(col, len, c, m & 8);
    } else if (j < ncols) {
      for (size_t r = 0; r < rows; r++)
        memcpy(col + r * 2048, g_ext[rate - 2] + (r * ncols + j) * 2048, 2048);
    }
    zg_err_t e = zg_rs_decoder_add_column(dec, j, col, len);
    if (e == ZG_OK) {
      added++;
      if ((m & 4) || len != 4096) all_real = false;
    }
  }
  static out_t out;
  out.len = 0;
  zg_err_t e = zg_rs_decoder_finish(dec, collect, &out);
  if (added < 64 && e != ZG_ETOOFEW) abort();
  if (all_real && added >= 64 && (e != ZG_OK || out.len != RS_LEN || memcmp(out.buf, g_payload, RS_LEN) != 0))
    abort();
  zg_rs_decoder_destroy(dec);
}

static void fuzz_challenge(cur_t *c) {
  size_t nc = take8(c) % 3, n = take8(c) % 3;
  static uint8_t cm[2][48], pr[2][48], ev[2][2048];
  zg_slice_t cs[2], es[2], ps[2];
  uint64_t ci[2], xi[2];
  for (size_t i = 0; i < nc && i < 2; i++) cs[i] = zg_slice(take(c, 48, cm[i]), 48);
  for (size_t k = 0; k < n && k < 2; k++) {
    ci[k] = take8(c) % 4;
    xi[k] = take8(c);
    fill(ev[k], 2048, c, true);
    es[k] = zg_slice(ev[k], 2048);
    ps[k] = zg_slice(take(c, 48, pr[k]), 48);
  }
  uint8_t out[32];
  zg_err_t e = zg_kzg_compute_cell_batch_challenge(out, cs, nc > 2 ? 2 : nc, ci, xi, es, ps, n > 2 ? 2 : n);
  (void)e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cur_t c = {data, size};
  switch (take8(&c) % 4) {
    case 0: fuzz_verify(&c); break;
    case 1: fuzz_recover(&c); break;
    case 2: fuzz_rs(&c); break;
    default: fuzz_challenge(&c); break;
  }
  return 0;
}

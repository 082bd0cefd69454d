/*
 * encoder.c — DA blob encoding, column verification and decoding
 * (zg/da_encoder.h) over the EIP-7594 cells of zg/kzg_cells.h.
 *
 * Threads: every call splits its rows (encode, decode) or its cells
 * (verify) over up to ctx->threads workers — the caller plus pthreads — that
 * take work items from an atomic counter, each with its own KZG scratch.
 * The cells context is built single-threaded so its calls never spawn
 * threads themselves; parallelism is across rows, which scales better than
 * inside one FK20 (no per-layer barriers).
 *
 * Invariants: outputs do not depend on the thread count; every error of a
 * worker stops the others at their next item and the first one is returned;
 * decode emits the payload in order and checks the stream header and the
 * zero padding as it goes (docs/da-blob-layout.md section 1).
 */
#include "zg/da_encoder.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/kzg_cells.h"

struct zg_da_ctx {
  const zg_kzg_settings_t *s;
  zg_kzg_settings_t *owned_s; /* set for the shared context */
  zg_kzg_cells_t *cells;
  unsigned threads;
  uint64_t max_blob;
};

/* ---------------- a tiny parallel-for ---------------- */

typedef zg_err_t (*item_fn)(void *arg, void *scratch, size_t item);

typedef struct {
  item_fn fn;
  void *arg;
  size_t n;
  atomic_size_t next;
  atomic_int err;
  uint8_t *scratch; /* threads x scratch_len */
  size_t scratch_len;
} par_t;

typedef struct {
  par_t *p;
  unsigned id;
} par_worker_t;

static void *par_main(void *a) {
  par_worker_t *w = a;
  par_t *p = w->p;
  void *scratch = p->scratch ? p->scratch + (size_t)w->id * p->scratch_len : NULL;
  for (;;) {
    if (atomic_load_explicit(&p->err, memory_order_relaxed) != ZG_OK) break;
    size_t i = atomic_fetch_add(&p->next, 1);
    if (i >= p->n) break;
    zg_err_t e = p->fn(p->arg, scratch, i);
    if (e != ZG_OK) {
      int z = ZG_OK;
      atomic_compare_exchange_strong(&p->err, &z, (int)e);
    }
  }
  return NULL;
}

/* Runs fn(arg, scratch_of_worker, i) for i < n on up to `threads` workers,
 * each with scratch_len bytes of its own scratch. */
static zg_err_t par_run(unsigned threads, size_t n, size_t scratch_len, item_fn fn, void *arg) {
  if (n == 0) return ZG_OK;
  if (threads < 1) threads = 1;
  if (threads > n) threads = (unsigned)n;
  par_t p = {.fn = fn, .arg = arg, .n = n, .scratch_len = scratch_len};
  atomic_init(&p.next, 0);
  atomic_init(&p.err, ZG_OK);
  if (scratch_len && !(p.scratch = malloc(threads * scratch_len))) return ZG_ENOMEM;
  pthread_t tid[64];
  par_worker_t w[64];
  if (threads > 64) threads = 64;
  unsigned started = 0;
  for (unsigned t = 1; t < threads; t++) {
    w[t] = (par_worker_t){&p, t};
    if (pthread_create(&tid[started + 1], NULL, par_main, &w[t]) != 0) break;
    started++;
  }
  /* Workers that failed to start only leave their scratch unused. */
  w[0] = (par_worker_t){&p, 0};
  par_main(&w[0]);
  for (unsigned t = 1; t <= started; t++) pthread_join(tid[t], NULL);
  free(p.scratch);
  return (zg_err_t)atomic_load(&p.err);
}

/* ---------------- contexts ---------------- */

static zg_err_t ctx_init(zg_da_ctx_t *c, const zg_kzg_settings_t *s, const zg_da_opts_t *opts) {
  c->s = s;
  c->threads = (opts && opts->threads) ? opts->threads : 1;
  if (c->threads > 64) c->threads = 64;
  c->max_blob = (opts && opts->max_blob) ? opts->max_blob : ZG_DA_MAX_BLOB_DEFAULT;
  zg_kzg_cells_opts_t co = {1};
  return zg_kzg_cells_create(&c->cells, s, &co);
}

zg_err_t zg_da_ctx_create(zg_da_ctx_t **out, const zg_kzg_settings_t *s, const zg_da_opts_t *opts) {
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!s) return ZG_EINVAL;
  zg_da_ctx_t *c = calloc(1, sizeof *c);
  if (!c) return ZG_ENOMEM;
  zg_err_t e = ctx_init(c, s, opts);
  if (e != ZG_OK) {
    free(c);
    return e;
  }
  *out = c;
  return ZG_OK;
}

void zg_da_ctx_destroy(zg_da_ctx_t *ctx) {
  if (!ctx) return;
  zg_kzg_cells_destroy(ctx->cells);
  zg_kzg_settings_destroy(ctx->owned_s);
  free(ctx);
}

static pthread_mutex_t shared_mu = PTHREAD_MUTEX_INITIALIZER;
static zg_da_ctx_t *shared_ctx;

zg_err_t zg_da_ctx_shared(const zg_da_ctx_t **out, const char *setup_path, const zg_da_opts_t *opts, char *msg,
                          size_t msg_cap) {
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (msg && msg_cap) msg[0] = 0;
  zg_err_t e = ZG_OK;
  pthread_mutex_lock(&shared_mu);
  if (!shared_ctx) {
    const char *path = setup_path ? setup_path : getenv("ZG_KZG_SETUP");
#ifdef ZG_VECTORS_DEFAULT
    if (!path) path = ZG_VECTORS_DEFAULT "/kzg-setup/trusted_setup.txt";
#else
    if (!path) path = "../shared/vectors/kzg-setup/trusted_setup.txt";
#endif
    zg_da_ctx_t *c = calloc(1, sizeof *c);
    zg_kzg_load_opts_t lo = {0, 3}; /* 8 MB of fixed-base tables: commitments ~1.5x faster */
    if (!c) {
      e = ZG_ENOMEM;
    } else if ((e = zg_kzg_settings_load_file(&c->owned_s, path, &lo, msg, msg_cap)) != ZG_OK ||
               (e = ctx_init(c, c->owned_s, opts)) != ZG_OK) {
      zg_da_ctx_destroy(c);
    } else {
      shared_ctx = c;
    }
  }
  *out = shared_ctx;
  pthread_mutex_unlock(&shared_mu);
  return e;
}

uint64_t zg_da_ctx_max_blob(const zg_da_ctx_t *ctx) { return ctx ? ctx->max_blob : 0; }
unsigned zg_da_ctx_threads(const zg_da_ctx_t *ctx) { return ctx ? ctx->threads : 0; }

static size_t ctx_scratch(const zg_da_ctx_t *ctx, size_t max_cells) {
  size_t a = zg_kzg_cells_scratch_size(ctx->cells, max_cells);
  size_t b = zg_kzg_scratch_size(ctx->s, 1);
  return (a > b ? a : b) + ZG_DA_ROW_BLOB_BYTES;
}

/* ---------------- encoding ---------------- */

typedef struct {
  const zg_da_ctx_t *ctx;
  zg_da_encoded_t *e;
  const uint8_t *data;
} enc_job_t;

/* One row: the row's blob bytes (at the end of the scratch), its
 * commitment, and its 128 cells and proofs written in place. */
static zg_err_t enc_row(void *arg, void *scratch, size_t r) {
  enc_job_t *j = arg;
  size_t kz = ctx_scratch(j->ctx, 128) - ZG_DA_ROW_BLOB_BYTES;
  uint8_t *blob = (uint8_t *)scratch + kz;
  zg_err_t e = zg_da_row_blob(blob, j->data, j->e->payload_len, (uint32_t)r);
  /* The commitment comes out of FK20's G1 FFT (kzg_cells.h): no MSM of its own. */
  if (e == ZG_OK)
    e = zg_kzg_compute_cells_proofs_commitment(j->ctx->cells, j->e->cells + r * ZG_DA_COLUMNS * ZG_DA_CELL_BYTES,
                                               j->e->proofs + r * ZG_DA_COLUMNS * ZG_DA_PROOF_LEN,
                                               j->e->commitments + r * ZG_DA_COMMITMENT_LEN, blob,
                                               ZG_DA_ROW_BLOB_BYTES, scratch);
  return e;
}

void zg_da_encoded_free(zg_da_encoded_t *e) {
  if (!e) return;
  free(e->commitments);
  free(e->cells);
  free(e->proofs);
  memset(e, 0, sizeof *e);
}

zg_err_t zg_da_encode(const zg_da_ctx_t *ctx, zg_da_encoded_t *out, const uint8_t *data, uint64_t len) {
  if (!out) return ZG_EINVAL;
  memset(out, 0, sizeof *out);
  if (!ctx || (!data && len)) return ZG_EINVAL;
  zg_da_params_t p = {ctx->max_blob};
  zg_err_t e = zg_da_check_len(&p, len);
  if (e != ZG_OK) return e;
  out->payload_len = len;
  out->rows = zg_da_rows_for_len(len);
  size_t rows = out->rows;
  out->commitments = malloc(rows * ZG_DA_COMMITMENT_LEN);
  out->cells = malloc(rows * ZG_DA_COLUMNS * ZG_DA_CELL_BYTES);
  out->proofs = malloc(rows * ZG_DA_COLUMNS * ZG_DA_PROOF_LEN);
  if (!out->commitments || !out->cells || !out->proofs) {
    e = ZG_ENOMEM;
    goto out;
  }
  enc_job_t j = {ctx, out, data};
  e = par_run(ctx->threads, rows, ctx_scratch(ctx, 128), enc_row, &j);
out:
  if (e != ZG_OK) zg_da_encoded_free(out);
  return e;
}

zg_da_header_t zg_da_encoded_header(const zg_da_encoded_t *e) {
  zg_da_header_t h = {e->payload_len, e->rows, ZG_DA_RATE_INV, e->commitments};
  return h;
}

zg_err_t zg_da_extract_column(const zg_da_encoded_t *e, uint32_t col, uint8_t *cells, uint8_t *proofs) {
  if (!e || !cells || !e->cells) return ZG_EINVAL;
  if (col >= ZG_DA_COLUMNS) return ZG_ERANGE;
  for (size_t r = 0; r < e->rows; r++) {
    size_t k = r * ZG_DA_COLUMNS + col;
    memcpy(cells + r * ZG_DA_CELL_BYTES, e->cells + k * ZG_DA_CELL_BYTES, ZG_DA_CELL_BYTES);
    if (proofs) memcpy(proofs + r * ZG_DA_PROOF_LEN, e->proofs + k * ZG_DA_PROOF_LEN, ZG_DA_PROOF_LEN);
  }
  return ZG_OK;
}

/* ---------------- column checks ---------------- */

/* Index range, duplicates and lengths of n columns of a blob of `rows`
 * rows; proofs only when want_proofs. */
static zg_err_t check_columns(const zg_da_column_t *cols, size_t n, uint32_t rows, bool want_proofs) {
  uint8_t seen[ZG_DA_COLUMNS] = {0};
  if (n && !cols) return ZG_EINVAL;
  for (size_t i = 0; i < n; i++) {
    const zg_da_column_t *c = &cols[i];
    if (c->index >= ZG_DA_COLUMNS) return ZG_ERANGE;
    if (seen[c->index]++) return ZG_EDUPLICATE;
    if (!c->cells) return ZG_EINVAL;
    if (c->cells_len != (size_t)rows * ZG_DA_CELL_BYTES) return ZG_EBADLEN;
    if (want_proofs) {
      if (!c->proofs) return ZG_EINVAL;
      if (c->proofs_len != (size_t)rows * ZG_DA_PROOF_LEN) return ZG_EBADLEN;
    }
  }
  return ZG_OK;
}

/* ---------------- verification ---------------- */

/* Cells per batch: large enough that the one pairing per batch is noise
 * (a cell costs ~0.3 ms in the batch, the pairing ~2 ms), small enough
 * that two threads get balanced work. */
#define VERIFY_CHUNK 1024

typedef struct {
  const zg_da_ctx_t *ctx;
  const zg_da_header_t *h;
  const zg_da_column_t *cols;
  size_t n_cells; /* n columns x rows */
  atomic_bool bad;
} ver_job_t;

static zg_err_t ver_chunk(void *arg, void *scratch, size_t chunk) {
  ver_job_t *j = arg;
  size_t k0 = chunk * VERIFY_CHUNK, m = j->n_cells - k0;
  if (m > VERIFY_CHUNK) m = VERIFY_CHUNK;
  /* The slices live in the scratch after the KZG part. */
  size_t kz = zg_kzg_cells_scratch_size(j->ctx->cells, VERIFY_CHUNK);
  zg_slice_t *com = (zg_slice_t *)((uint8_t *)scratch + ((kz + 15) & ~(size_t)15));
  zg_slice_t *cel = com + VERIFY_CHUNK, *prf = cel + VERIFY_CHUNK;
  uint64_t *idx = (uint64_t *)(prf + VERIFY_CHUNK);
  uint32_t rows = j->h->rows;
  for (size_t i = 0; i < m; i++) {
    size_t k = k0 + i, c = k / rows, r = k % rows;
    com[i] = zg_slice(j->h->commitments + r * ZG_DA_COMMITMENT_LEN, ZG_DA_COMMITMENT_LEN);
    cel[i] = zg_slice(j->cols[c].cells + r * ZG_DA_CELL_BYTES, ZG_DA_CELL_BYTES);
    prf[i] = zg_slice(j->cols[c].proofs + r * ZG_DA_PROOF_LEN, ZG_DA_PROOF_LEN);
    idx[i] = j->cols[c].index;
  }
  bool ok = false;
  zg_err_t e = zg_kzg_verify_cell_proof_batch(j->ctx->cells, &ok, com, m, idx, m, cel, m, prf, m, scratch);
  if (e == ZG_OK && !ok) atomic_store(&j->bad, true);
  return e;
}

zg_err_t zg_da_verify_columns(const zg_da_ctx_t *ctx, bool *ok, const zg_da_header_t *h, const zg_da_column_t *cols,
                              size_t n) {
  if (!ok) return ZG_EINVAL;
  *ok = false;
  if (!ctx) return ZG_EINVAL;
  zg_da_params_t p = {ctx->max_blob};
  zg_err_t e = zg_da_header_check(h, &p);
  if (e != ZG_OK) return e;
  if ((e = check_columns(cols, n, h->rows, true)) != ZG_OK) return e;
  ver_job_t j = {.ctx = ctx, .h = h, .cols = cols, .n_cells = n * h->rows};
  atomic_init(&j.bad, false);
  size_t kz = (zg_kzg_cells_scratch_size(ctx->cells, VERIFY_CHUNK) + 15) & ~(size_t)15;
  size_t scr = kz + VERIFY_CHUNK * (3 * sizeof(zg_slice_t) + sizeof(uint64_t));
  size_t chunks = (j.n_cells + VERIFY_CHUNK - 1) / VERIFY_CHUNK;
  e = par_run(ctx->threads, chunks, scr, ver_chunk, &j);
  if (e == ZG_OK) *ok = !atomic_load(&j.bad);
  return e;
}

/* ---------------- decoding ---------------- */

/* Rows decoded per round before they are emitted in order. */
#define DEC_BATCH_PER_THREAD 4

typedef struct {
  const zg_da_ctx_t *ctx;
  const zg_da_column_t *sorted[ZG_DA_COLUMNS];
  size_t n;
  bool systematic;   /* columns 0..63 present: sorted[0..63] are they */
  size_t row0;       /* first row of the round */
  uint8_t *rowbuf;   /* batch x 131072 (row as EIP-4844 blob) */
  uint8_t *cellsbuf; /* batch x 128 cells, for recovery */
} dec_job_t;

static zg_err_t dec_row(void *arg, void *scratch, size_t i) {
  dec_job_t *j = arg;
  size_t r = j->row0 + i;
  uint8_t *row = j->rowbuf + i * ZG_DA_ROW_BLOB_BYTES;
  if (j->systematic) {
    for (size_t c = 0; c < 64; c++)
      memcpy(row + c * ZG_DA_CELL_BYTES, j->sorted[c]->cells + r * ZG_DA_CELL_BYTES, ZG_DA_CELL_BYTES);
    return ZG_OK;
  }
  zg_slice_t cells[ZG_DA_COLUMNS];
  uint64_t idx[ZG_DA_COLUMNS];
  for (size_t c = 0; c < j->n; c++) {
    cells[c] = zg_slice(j->sorted[c]->cells + r * ZG_DA_CELL_BYTES, ZG_DA_CELL_BYTES);
    idx[c] = j->sorted[c]->index;
  }
  uint8_t *all = j->cellsbuf + i * ZG_DA_COLUMNS * ZG_DA_CELL_BYTES;
  zg_err_t e = zg_kzg_recover_cells(j->ctx->cells, all, idx, j->n, cells, j->n, scratch);
  if (e == ZG_OK) memcpy(row, all, ZG_DA_ROW_BLOB_BYTES);
  return e;
}

/* Emits the payload part of row r (as an EIP-4844 blob) and checks its
 * element bytes, the header (row 0) and the padding. */
static zg_err_t emit_row(const zg_da_header_t *h, size_t r, const uint8_t *row, uint8_t *stream, zg_da_bytes_fn emit,
                         void *user) {
  for (size_t k = 0; k < ZG_DA_ROW_ELEMS; k++) {
    if (row[32 * k] != 0) return ZG_ECORRUPT;
    memcpy(stream + 31 * k, row + 32 * k + 1, 31);
  }
  uint64_t s0 = (uint64_t)r * ZG_DA_ROW_PAYLOAD, skip = 0;
  if (r == 0) {
    uint64_t L = 0;
    for (int b = 0; b < 8; b++) L = (L << 8) | stream[b];
    if (L != h->payload_len) return ZG_ECORRUPT;
    skip = 8;
  }
  /* Payload bytes of this row: stream [max(s0, 8), min(s0 + 126976, 8 + L)). */
  uint64_t end = 8 + h->payload_len, row_end = s0 + ZG_DA_ROW_PAYLOAD;
  uint64_t a = s0 + skip, b = end < row_end ? end : row_end;
  if (b > a) {
    zg_err_t e = emit(user, stream + (a - s0), (size_t)(b - a));
    if (e != ZG_OK) return e;
  }
  for (uint64_t t = (b > a ? b : a); t < row_end; t++)
    if (stream[t - s0]) return ZG_EPADDING;
  return ZG_OK;
}

static int col_cmp(const void *a, const void *b) {
  uint32_t x = (*(const zg_da_column_t *const *)a)->index, y = (*(const zg_da_column_t *const *)b)->index;
  return (x > y) - (x < y);
}

zg_err_t zg_da_decode(const zg_da_ctx_t *ctx, const zg_da_header_t *h, const zg_da_column_t *cols, size_t n,
                      zg_da_bytes_fn emit, void *user) {
  if (!ctx || !emit) return ZG_EINVAL;
  zg_da_params_t p = {ctx->max_blob};
  zg_err_t e = zg_da_header_check(h, &p);
  if (e != ZG_OK) return e;
  if ((e = check_columns(cols, n, h->rows, false)) != ZG_OK) return e;
  if (n < ZG_DA_MIN_COLUMNS) return ZG_ETOOFEW;
  dec_job_t j = {.ctx = ctx, .n = n};
  for (size_t i = 0; i < n; i++) j.sorted[i] = &cols[i];
  qsort(j.sorted, n, sizeof j.sorted[0], col_cmp);
  j.systematic = j.sorted[63]->index == 63; /* distinct and sorted: 0..63 all there */
  size_t batch = (size_t)ctx->threads * DEC_BATCH_PER_THREAD;
  if (batch > h->rows) batch = h->rows;
  uint8_t *stream = malloc(ZG_DA_ROW_PAYLOAD);
  j.rowbuf = malloc(batch * ZG_DA_ROW_BLOB_BYTES);
  if (!j.systematic) j.cellsbuf = malloc(batch * ZG_DA_COLUMNS * ZG_DA_CELL_BYTES);
  if (!stream || !j.rowbuf || (!j.systematic && !j.cellsbuf)) {
    e = ZG_ENOMEM;
    goto out;
  }
  size_t scr = j.systematic ? 0 : zg_kzg_cells_scratch_size(ctx->cells, 128);
  for (j.row0 = 0; j.row0 < h->rows; j.row0 += batch) {
    size_t m = h->rows - j.row0 < batch ? h->rows - j.row0 : batch;
    /* The systematic path is memory copies: threads would only add cost. */
    if ((e = par_run(j.systematic ? 1 : ctx->threads, m, scr, dec_row, &j)) != ZG_OK) goto out;
    for (size_t i = 0; i < m; i++)
      if ((e = emit_row(h, j.row0 + i, j.rowbuf + i * ZG_DA_ROW_BLOB_BYTES, stream, emit, user)) != ZG_OK)
        goto out;
  }
out:
  free(stream);
  free(j.rowbuf);
  free(j.cellsbuf);
  return e;
}

typedef struct {
  uint8_t *out;
  size_t off;
} to_buf_t;

static zg_err_t to_buf(void *user, const uint8_t *data, size_t len) {
  to_buf_t *t = user;
  memcpy(t->out + t->off, data, len);
  t->off += len;
  return ZG_OK;
}

zg_err_t zg_da_decode_to(const zg_da_ctx_t *ctx, uint8_t *out, const zg_da_header_t *h, const zg_da_column_t *cols,
                         size_t n) {
  if (!out && h && h->payload_len) return ZG_EINVAL;
  to_buf_t t = {out, 0};
  return zg_da_decode(ctx, h, cols, n, to_buf, &t);
}

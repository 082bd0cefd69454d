/*
 * rs.c — Reed–Solomon coding of DA blobs (zg/rs.h, docs/da-blob-layout.md)
 * and the erasure-decoding core it shares with the EIP-7594 cells
 * (rs_internal.h).
 *
 * Invariants: a codeword is the bit-reversed evaluation of a polynomial of
 * degree < 4096 on N = 8192 or 16384 roots of unity; block 0 (the first
 * 4096 elements) is the data row itself, so encoding costs one inverse FFT
 * of 4096 plus one coset FFT of 4096 per parity block, and decoding from
 * the 64 data columns is a copy. Decoding from any other set of >= 64
 * columns runs the vanishing-polynomial recovery (three FFTs of N).
 * Results never depend on the thread count: rows are independent and are
 * emitted in order.
 */
#include "zg/rs.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/rs_internal.h"
#include "zg/bytes.h"
#include "zg/fft.h"

/* ------------------------------------------------------------------ */
/* parallel for                                                        */

#define PAR_MAX_THREADS 64

typedef struct {
  zg__par_fn fn;
  void *arg;
  size_t begin, end;
  unsigned worker;
} par_job_t;

static void *par_main(void *p) {
  par_job_t *j = p;
  j->fn(j->arg, j->begin, j->end, j->worker);
  return NULL;
}

void zg__par_for(unsigned threads, size_t n, zg__par_fn fn, void *arg) {
  if (n == 0) return;
  if (threads > PAR_MAX_THREADS) threads = PAR_MAX_THREADS;
  if (threads > n) threads = (unsigned)n;
  if (threads <= 1) {
    fn(arg, 0, n, 0);
    return;
  }
  par_job_t jobs[PAR_MAX_THREADS];
  pthread_t tid[PAR_MAX_THREADS];
  bool started[PAR_MAX_THREADS];
  for (unsigned w = 0; w < threads; w++) {
    jobs[w].fn = fn;
    jobs[w].arg = arg;
    jobs[w].begin = n * w / threads;
    jobs[w].end = n * (w + 1) / threads;
    jobs[w].worker = w;
    started[w] = false;
  }
  for (unsigned w = 1; w < threads; w++) started[w] = pthread_create(&tid[w], NULL, par_main, &jobs[w]) == 0;
  par_main(&jobs[0]);
  for (unsigned w = 1; w < threads; w++) {
    if (started[w])
      pthread_join(tid[w], NULL);
    else
      par_main(&jobs[w]); /* could not start a thread: do its share here */
  }
}

/* ------------------------------------------------------------------ */
/* codeword core                                                       */

static unsigned log2_pow2(size_t n) {
  unsigned k = 0;
  while (((size_t)1 << k) < n) k++;
  return k;
}

/* a[i] *= s^i for i < m. */
static void scale_powers(zg_fr_t *a, size_t m, const zg_fr_t *s) {
  zg_fr_t p = *s;
  for (size_t i = 1; i < m; i++) {
    zg_fr_mul(&a[i], &a[i], &p);
    zg_fr_mul(&p, &p, s);
  }
}

/* The transforms below only fail for sizes that are not powers of two or
 * exceed the domain; every size here is checked by construction. */
static void fft_ok(zg_err_t e) { (void)e; }

void zg__rs_eval_block(const zg_fft_domain_t *dom, size_t N, size_t b, const zg_fr_t *coeffs, zg_fr_t *out) {
  memcpy(out, coeffs, ZG__RS_K * sizeof *out);
  if (b != 0) {
    unsigned L = log2_pow2(N / ZG__RS_K);
    const zg_fr_t *s = &dom->roots[(dom->n / N) * zg_reverse_bits((uint32_t)b, L)];
    scale_powers(out, ZG__RS_K, s);
  }
  fft_ok(zg_fft_fr(dom, out, ZG__RS_K));
  fft_ok(zg_bit_reversal_permute(out, ZG__RS_K, sizeof *out));
}

void zg__rs_evals_to_coeffs(const zg_fft_domain_t *dom, zg_fr_t *a) {
  fft_ok(zg_bit_reversal_permute(a, ZG__RS_K, sizeof *a));
  fft_ok(zg_ifft_fr(dom, a, ZG__RS_K));
}

size_t zg__rs_recover_tmp_elems(size_t N) { return N + 2 * (N / ZG__RS_CELL); }

void zg__rs_recover_tables(zg_fr_t *fwd, zg_fr_t *inv, size_t N) {
  zg_fr_t s7, s7i, p, q;
  zg_fr_from_u64(&s7, ZG_FR_PRIMITIVE_ROOT);
  zg_fr_inv(&s7i, &s7);
  zg_fr_from_u64(&p, N);
  zg_fr_inv(&p, &p);
  q = p;
  for (size_t i = 0; i < N; i++) {
    fwd[i] = p;
    inv[i] = q;
    zg_fr_mul(&p, &p, &s7);
    zg_fr_mul(&q, &q, &s7i);
  }
}

void zg__rs_recover_coeffs(const zg_fft_domain_t *dom, size_t N, zg_fr_t *io, const bool *present, zg_fr_t *tmp,
                           const zg_fr_t *fwd, const zg_fr_t *inv) {
  size_t C = N / ZG__RS_CELL;
  unsigned logC = log2_pow2(C);
  size_t missing = 0;
  for (size_t c = 0; c < C; c++) missing += !present[c];
  fft_ok(zg_bit_reversal_permute(io, N, sizeof *io));
  if (missing == 0) {
    /* Z = 1: the spec's steps reduce to one inverse FFT. */
    fft_ok(zg_ifft_fr(dom, io, N));
    return;
  }
  zg_fr_t *zs = tmp + N, *zc = tmp + N + C;
  /* Z_s(X) = prod over missing cells m of (X - w_C^rev(m)): Z(X) = Z_s(X^64)
   * vanishes on every point of every missing cell. */
  memset(zs, 0, C * sizeof *zs);
  zg_fr_set_one(&zs[0]);
  size_t deg = 0;
  for (size_t m = 0; m < C; m++) {
    if (present[m]) continue;
    const zg_fr_t *x = &dom->roots[(dom->n / C) * zg_reverse_bits((uint32_t)m, logC)];
    zg_fr_t t;
    for (size_t i = deg + 1; i >= 1; i--) {
      zg_fr_mul(&t, &zs[i], x);
      zg_fr_sub(&zs[i], &zs[i - 1], &t);
    }
    zg_fr_mul(&t, &zs[0], x);
    zg_fr_neg(&zs[0], &t);
    deg++;
  }
  /* Z on the N-domain: Z(w_N^k) = Z_s(w_C^(k mod C)). */
  memcpy(zc, zs, C * sizeof *zc);
  fft_ok(zg_fft_fr(dom, zc, C));
  for (size_t k = 0; k < N; k++) zg_fr_mul(&io[k], &io[k], &zc[k & (C - 1)]);
  /* 1 / Z on the coset: Z(7 w_N^k) = Z_s(7^64 w_C^k), never zero there. */
  zg_fr_t s7, s64;
  zg_fr_from_u64(&s7, ZG_FR_PRIMITIVE_ROOT);
  const uint64_t e64[4] = {ZG__RS_CELL, 0, 0, 0};
  zg_fr_pow(&s64, &s7, e64);
  memcpy(zc, zs, C * sizeof *zc);
  scale_powers(zc, C, &s64);
  fft_ok(zg_fft_fr(dom, zc, C));
  zg_fr_batch_inv(zc, zc, C, tmp);
  /* (E Z) -> coefficients of (P Z) -> values on the coset 7 <w_N>. An inverse
   * FFT is the forward one read at -i, times 1/N; that and the coset shift
   * 7^i are the table fwd. */
  fft_ok(zg_fft_fr(dom, io, N));
  for (size_t i = 0; i < N; i++) zg_fr_mul(&tmp[i], &io[(N - i) & (N - 1)], &fwd[i]);
  fft_ok(zg_fft_fr(dom, tmp, N));
  /* Divide by Z, back to coefficients (inverse coset FFT: table inv). */
  for (size_t k = 0; k < N; k++) zg_fr_mul(&tmp[k], &tmp[k], &zc[k & (C - 1)]);
  fft_ok(zg_fft_fr(dom, tmp, N));
  for (size_t i = 0; i < N; i++) zg_fr_mul(&io[i], &tmp[(N - i) & (N - 1)], &inv[i]);
}

/* ------------------------------------------------------------------ */
/* layout                                                              */

uint64_t zg_rs_rows_for_len(uint64_t payload_len) {
  if (payload_len > ZG_RS_MAX_PAYLOAD) payload_len = ZG_RS_MAX_PAYLOAD;
  uint64_t rows = (ZG_RS_HEADER_LEN + payload_len + ZG_RS_ROW_BYTES - 1) / ZG_RS_ROW_BYTES;
  return rows ? rows : 1;
}

size_t zg_rs_columns(unsigned rate_inv) {
  if (rate_inv == 0) rate_inv = 2;
  if (rate_inv < 2 || rate_inv > 4) return 0;
  return (size_t)ZG_RS_MIN_COLUMNS * rate_inv;
}

/* Resolves options into (R, N, threads); ZG_EINVAL for a bad rate. */
static zg_err_t resolve_opts(const zg_rs_opts_t *opts, unsigned *R, size_t *N, unsigned *threads) {
  unsigned r = opts ? opts->rate_inv : 0, t = opts ? opts->threads : 0;
  if (r == 0) r = 2;
  if (r < 2 || r > 4) return ZG_EINVAL;
  *R = r;
  *N = r == 2 ? 8192 : 16384;
  *threads = t == 0 ? 1 : (t > PAR_MAX_THREADS ? PAR_MAX_THREADS : t);
  return ZG_OK;
}

/* ------------------------------------------------------------------ */
/* encoder                                                             */

struct zg_rs_encoder {
  unsigned R, threads;
  size_t N, ncols, ext_len, batch_rows;
  uint64_t payload_len, written, nrows, next_row;
  bool finished;
  zg_rs_row_fn emit;
  void *user;
  zg_fft_domain_t *dom;
  uint8_t *stream; /* batch_rows * ZG_RS_ROW_BYTES */
  size_t filled;   /* stream bytes in the current batch */
  uint8_t *ext;    /* batch_rows * ext_len */
  zg_fr_t *work;   /* threads * 2 * 4096 */
  zg_fr_t *tw;     /* (R - 1) * 4096: tw[(b-1) 4096 + i] = s_b^i / 4096 */
};

/* One row (raw limbs, see rs_internal.h): elements from the stream straight
 * into bit-reversed positions,
 * a forward FFT (the inverse FFT is the forward one read backwards, its 1/n
 * folded into enc->tw), then per parity block the coset scaling and an FFT,
 * written back in bit-reversed order. */
static void encode_rows(void *arg, size_t begin, size_t end, unsigned worker) {
  zg_rs_encoder_t *enc = arg;
  zg_fr_t *f = enc->work + (size_t)worker * 2 * ZG__RS_K, *blk = f + ZG__RS_K;
  uint8_t e[32] = {0};
  for (size_t r = begin; r < end; r++) {
    uint8_t *ext = enc->ext + r * enc->ext_len;
    const uint8_t *src = enc->stream + r * ZG_RS_ROW_BYTES;
    for (size_t i = 0; i < ZG__RS_K; i++) {
      memcpy(e + 1, src + ZG_RS_ELEM_PAYLOAD * i, ZG_RS_ELEM_PAYLOAD);
      memcpy(ext + 32 * i, e, 32);
      zg__fr_load_raw(&f[zg_reverse_bits((uint32_t)i, 12)], e);
    }
    fft_ok(zg_fft_fr(enc->dom, f, ZG__RS_K)); /* n * coefficients, index-reversed */
    for (size_t b = 1; b < enc->R; b++) {
      const zg_fr_t *tw = enc->tw + (b - 1) * ZG__RS_K;
      for (size_t i = 0; i < ZG__RS_K; i++) zg_fr_mul(&blk[i], &f[(ZG__RS_K - i) & (ZG__RS_K - 1)], &tw[i]);
      fft_ok(zg_fft_fr(enc->dom, blk, ZG__RS_K));
      uint8_t *o = ext + b * ZG__RS_K * 32;
      for (size_t q = 0; q < ZG__RS_K; q++) zg__fr_store_raw(o + 32 * q, &blk[zg_reverse_bits((uint32_t)q, 12)]);
    }
  }
}

/* Extends and emits the first rows of the batch buffer. */
static zg_err_t encoder_flush(zg_rs_encoder_t *enc, size_t rows) {
  zg__par_for(enc->threads, rows, encode_rows, enc);
  for (size_t r = 0; r < rows; r++) {
    ZG_TRY(enc->emit(enc->user, enc->next_row, enc->ext + r * enc->ext_len, enc->ext_len));
    enc->next_row++;
  }
  enc->filled = 0;
  return ZG_OK;
}

zg_err_t zg_rs_encoder_create(zg_rs_encoder_t **out, const zg_rs_opts_t *opts, uint64_t payload_len,
                              zg_rs_row_fn emit, void *user) {
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!emit) return ZG_EINVAL;
  if (payload_len > ZG_RS_MAX_PAYLOAD) return ZG_EOVERFLOW;
  zg_rs_encoder_t *enc = calloc(1, sizeof *enc);
  if (!enc) return ZG_ENOMEM;
  zg_err_t err = resolve_opts(opts, &enc->R, &enc->N, &enc->threads);
  if (err != ZG_OK) goto fail;
  enc->ncols = zg_rs_columns(enc->R);
  enc->ext_len = enc->ncols * ZG_RS_CELL_BYTES;
  enc->batch_rows = enc->threads > 1 ? 2 * (size_t)enc->threads : 1;
  enc->payload_len = payload_len;
  enc->nrows = zg_rs_rows_for_len(payload_len);
  enc->emit = emit;
  enc->user = user;
  err = zg_fft_domain_create(&enc->dom, enc->N);
  if (err != ZG_OK) goto fail;
  enc->stream = malloc(enc->batch_rows * ZG_RS_ROW_BYTES);
  enc->ext = malloc(enc->batch_rows * enc->ext_len);
  enc->work = malloc((size_t)enc->threads * 2 * ZG__RS_K * sizeof(zg_fr_t));
  enc->tw = malloc((enc->R - 1) * ZG__RS_K * sizeof(zg_fr_t));
  if (!enc->stream || !enc->ext || !enc->work || !enc->tw) {
    err = ZG_ENOMEM;
    goto fail;
  }
  for (size_t b = 1; b < enc->R; b++) {
    zg_fr_t p, sh, *tw = enc->tw + (b - 1) * ZG__RS_K;
    unsigned L = log2_pow2(enc->N / ZG__RS_K);
    sh = enc->dom->roots[zg_reverse_bits((uint32_t)b, L)];
    zg_fr_from_u64(&p, ZG__RS_K);
    zg_fr_inv(&p, &p);
    for (size_t i = 0; i < ZG__RS_K; i++) {
      tw[i] = p;
      zg_fr_mul(&p, &p, &sh);
    }
  }
  zg_store_be64(enc->stream, payload_len);
  enc->filled = ZG_RS_HEADER_LEN;
  *out = enc;
  return ZG_OK;
fail:
  zg_rs_encoder_destroy(enc);
  return err;
}

zg_err_t zg_rs_encoder_write(zg_rs_encoder_t *enc, const uint8_t *data, size_t len) {
  if (!enc || (!data && len)) return ZG_EINVAL;
  if (enc->finished) return ZG_ESTATE;
  if (len > enc->payload_len - enc->written) return ZG_EOVERFLOW;
  size_t cap = enc->batch_rows * ZG_RS_ROW_BYTES;
  while (len > 0) {
    size_t n = cap - enc->filled;
    if (n > len) n = len;
    memcpy(enc->stream + enc->filled, data, n);
    enc->filled += n;
    enc->written += n;
    data += n;
    len -= n;
    if (enc->filled == cap) ZG_TRY(encoder_flush(enc, enc->batch_rows));
  }
  return ZG_OK;
}

zg_err_t zg_rs_encoder_finish(zg_rs_encoder_t *enc) {
  if (!enc) return ZG_EINVAL;
  if (enc->finished || enc->written != enc->payload_len) return ZG_ESTATE;
  enc->finished = true;
  size_t rows = (enc->filled + ZG_RS_ROW_BYTES - 1) / ZG_RS_ROW_BYTES;
  if (enc->next_row + rows < enc->nrows) rows = (size_t)(enc->nrows - enc->next_row);
  memset(enc->stream + enc->filled, 0, rows * ZG_RS_ROW_BYTES - enc->filled);
  if (rows) ZG_TRY(encoder_flush(enc, rows));
  return ZG_OK;
}

void zg_rs_encoder_destroy(zg_rs_encoder_t *enc) {
  if (!enc) return;
  zg_fft_domain_destroy(enc->dom);
  free(enc->stream);
  free(enc->ext);
  free(enc->work);
  free(enc->tw);
  free(enc);
}

/* ------------------------------------------------------------------ */
/* decoder                                                             */

struct zg_rs_decoder {
  unsigned R, threads;
  size_t N, ncols, batch_rows, have;
  uint64_t nrows;
  zg_fft_domain_t *dom;
  zg_fr_t **cols;  /* ncols pointers, nrows * 64 elements each, NULL if absent */
  zg_fr_t *tw;     /* 2 N: the recovery tables (zg__rs_recover_tables) */
  bool *present;   /* N / 64 flags: the columns, then never-sent cells */
  zg_fr_t *work;   /* threads * (N + recover tmp) */
  uint8_t *stream; /* batch_rows * ZG_RS_ROW_BYTES */
  zg_err_t *row_err;
  uint64_t batch_first;
};

zg_err_t zg_rs_decoder_create(zg_rs_decoder_t **out, const zg_rs_opts_t *opts, uint64_t nrows) {
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (nrows == 0 || nrows > zg_rs_rows_for_len(ZG_RS_MAX_PAYLOAD)) return ZG_EINVAL;
  zg_rs_decoder_t *dec = calloc(1, sizeof *dec);
  if (!dec) return ZG_ENOMEM;
  zg_err_t err = resolve_opts(opts, &dec->R, &dec->N, &dec->threads);
  if (err != ZG_OK) goto fail;
  dec->ncols = zg_rs_columns(dec->R);
  dec->nrows = nrows;
  dec->batch_rows = dec->threads > 1 ? 2 * (size_t)dec->threads : 1;
  err = zg_fft_domain_create(&dec->dom, dec->N);
  if (err != ZG_OK) goto fail;
  size_t per = dec->N + zg__rs_recover_tmp_elems(dec->N);
  dec->cols = calloc(dec->ncols, sizeof *dec->cols);
  dec->present = calloc(dec->N / ZG__RS_CELL, sizeof *dec->present);
  dec->work = malloc((size_t)dec->threads * per * sizeof(zg_fr_t));
  dec->stream = malloc(dec->batch_rows * ZG_RS_ROW_BYTES);
  dec->row_err = calloc(dec->batch_rows, sizeof *dec->row_err);
  dec->tw = malloc(2 * dec->N * sizeof *dec->tw);
  if (!dec->cols || !dec->present || !dec->work || !dec->stream || !dec->row_err || !dec->tw) {
    err = ZG_ENOMEM;
    goto fail;
  }
  zg__rs_recover_tables(dec->tw, dec->tw + dec->N, dec->N);
  *out = dec;
  return ZG_OK;
fail:
  zg_rs_decoder_destroy(dec);
  return err;
}

zg_err_t zg_rs_decoder_add_column(zg_rs_decoder_t *dec, size_t col, const uint8_t *data, size_t len) {
  if (!dec || (!data && len)) return ZG_EINVAL;
  if (col >= dec->ncols) return ZG_ERANGE;
  if (dec->cols[col]) return ZG_EDUPLICATE;
  if (len / ZG_RS_CELL_BYTES != dec->nrows || len % ZG_RS_CELL_BYTES != 0) return ZG_EBADLEN;
  size_t n = (size_t)dec->nrows * ZG_RS_CELL_ELEMS;
  zg_fr_t *c = malloc(n * sizeof *c);
  if (!c) return ZG_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    if (zg_fr_from_be32(&c[i], data + 32 * i) != ZG_OK) {
      free(c);
      return ZG_EFIELD;
    }
    zg__fr_load_raw(&c[i], data + 32 * i); /* decoding is linear: see rs_internal.h */
  }
  dec->cols[col] = c;
  dec->present[col] = true;
  dec->have++;
  return ZG_OK;
}

size_t zg_rs_decoder_columns(const zg_rs_decoder_t *dec) { return dec ? dec->have : 0; }

/* Writes the 4096 row elements (bit-reversed evaluation order = data order,
 * raw limbs as loaded by add_column) as stream bytes; ZG_ECORRUPT for an
 * element >= 2^248. */
static zg_err_t elems_to_stream(uint8_t *stream, const zg_fr_t *fr) {
  uint8_t e[32];
  for (size_t i = 0; i < ZG__RS_K; i++) {
    zg__fr_store_raw(e, &fr[i]);
    if (e[0] != 0) return ZG_ECORRUPT;
    memcpy(stream + ZG_RS_ELEM_PAYLOAD * i, e + 1, ZG_RS_ELEM_PAYLOAD);
  }
  return ZG_OK;
}

static void decode_rows(void *arg, size_t begin, size_t end, unsigned worker) {
  zg_rs_decoder_t *dec = arg;
  size_t per = dec->N + zg__rs_recover_tmp_elems(dec->N);
  zg_fr_t *io = dec->work + (size_t)worker * per, *tmp = io + dec->N;
  bool systematic = true;
  for (size_t c = 0; c < ZG__RS_K / ZG__RS_CELL; c++) systematic &= dec->present[c];
  for (size_t i = begin; i < end; i++) {
    uint64_t row = dec->batch_first + i;
    if (systematic) {
      for (size_t c = 0; c < ZG__RS_K / ZG__RS_CELL; c++)
        memcpy(io + c * ZG__RS_CELL, dec->cols[c] + row * ZG__RS_CELL, ZG__RS_CELL * sizeof *io);
    } else {
      memset(io, 0, dec->N * sizeof *io);
      for (size_t c = 0; c < dec->ncols; c++)
        if (dec->cols[c]) memcpy(io + c * ZG__RS_CELL, dec->cols[c] + row * ZG__RS_CELL, ZG__RS_CELL * sizeof *io);
      zg__rs_recover_coeffs(dec->dom, dec->N, io, dec->present, tmp, dec->tw, dec->tw + dec->N);
      memcpy(tmp, io, ZG__RS_K * sizeof *io);
      zg__rs_eval_block(dec->dom, dec->N, 0, tmp, io);
    }
    dec->row_err[i] = elems_to_stream(dec->stream + i * ZG_RS_ROW_BYTES, io);
  }
}

static bool all_zero(const uint8_t *p, size_t n) {
  uint8_t acc = 0;
  for (size_t i = 0; i < n; i++) acc |= p[i];
  return acc == 0;
}

zg_err_t zg_rs_decoder_finish(zg_rs_decoder_t *dec, zg_rs_bytes_fn emit, void *user) {
  if (!dec || !emit) return ZG_EINVAL;
  if (dec->have < ZG_RS_MIN_COLUMNS) return ZG_ETOOFEW;
  uint64_t payload_len = 0, pos = 0; /* pos: payload bytes emitted */
  for (uint64_t first = 0; first < dec->nrows; first += dec->batch_rows) {
    size_t rows = dec->nrows - first < dec->batch_rows ? (size_t)(dec->nrows - first) : dec->batch_rows;
    dec->batch_first = first;
    zg__par_for(dec->threads, rows, decode_rows, dec);
    for (size_t i = 0; i < rows; i++) {
      ZG_TRY(dec->row_err[i]);
      const uint8_t *s = dec->stream + i * ZG_RS_ROW_BYTES;
      size_t off = 0;
      if (first + i == 0) {
        for (int k = 0; k < 8; k++) payload_len = payload_len << 8 | s[k];
        if (payload_len > ZG_RS_MAX_PAYLOAD || zg_rs_rows_for_len(payload_len) != dec->nrows) return ZG_ECORRUPT;
        off = ZG_RS_HEADER_LEN;
      }
      size_t n = ZG_RS_ROW_BYTES - off;
      if (n > payload_len - pos) n = (size_t)(payload_len - pos);
      if (!all_zero(s + off + n, ZG_RS_ROW_BYTES - off - n)) return ZG_EPADDING;
      if (n) ZG_TRY(emit(user, s + off, n));
      pos += n;
    }
  }
  return ZG_OK;
}

void zg_rs_decoder_destroy(zg_rs_decoder_t *dec) {
  if (!dec) return;
  if (dec->cols)
    for (size_t c = 0; c < dec->ncols; c++) free(dec->cols[c]);
  free(dec->cols);
  free(dec->present);
  free(dec->work);
  free(dec->stream);
  free(dec->row_err);
  free(dec->tw);
  zg_fft_domain_destroy(dec->dom);
  free(dec);
}

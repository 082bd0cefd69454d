/*
 * kzg_cells.c — EIP-7594 cells, FK20 cell proofs, the batched cell-proof
 * verifier and recovery (zg/kzg_cells.h), byte-exact with consensus-specs
 * fulu/polynomial-commitments-sampling.md.
 *
 * FK20 in brief (p = sum f_i X^i, cells of l = 64 points, k = 4096 / l = 64):
 * the proof of the coset with shift h is [q(tau)] for q = p / (X^l - h^l),
 * and [q(tau)] = sum_{u < k-1} t^u H_u with t = h^l and
 *   H_u = sum_{c < l} sum_{j} f_{(j+u+1) l + c} [tau^(j l + c)].
 * For each offset c that is a Toeplitz product, i.e. a circular convolution
 * of size 2k = 128 of x_c = (f_c, f_{l+c}, ...) with the fixed column
 * y_c[128 - d] = [tau^((d-1) l + c)] (d = 1..k; d = k only feeds output
 * 127, which becomes the commitment). So: FFT each x_c (field),
 * multiply pointwise by the precomputed FFT of y_c and sum over c (128 MSMs
 * of 64 points), inverse FFT over G1, keep H_0..H_63, and evaluate
 * H(T) = sum H_u T^u at t_i = h_i^64 = w128^rev7(i) with one more G1 FFT.
 * The 1/128 of the inverse FFT is folded into the field side.
 *
 * The 128 MSMs run over fixed points, so the context keeps each point's
 * 2^(8j) multiples and beta * x of each (20 MB): an MSM is then about 2200
 * additions into 128 buckets (GLV halves via the free endomorphism), all
 * affine with shared inversions (bls_g1_aff.c): ~5M + 1S each. The G1 FFTs
 * use precomputed twiddle recodings and one inversion per layer.
 * docs/kzg.md has the figures.
 *
 * Invariants: ctx->fb holds FFT_128(y_c)[w] and its 2^(8j) multiples; inputs are
 * checked before any arithmetic; outputs are zeroed on every failure.
 */
#include "zg/kzg_cells.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/bls_curve.h"
#include "crypto/kzg_internal.h"
#include "crypto/rs_internal.h"
#include "zg/fft.h"
#include "zg/hash.h"

#define N_BLOB ZG_KZG_FIELD_ELEMENTS_PER_BLOB  /* 4096 */
#define N_EXT ZG_KZG_FIELD_ELEMENTS_PER_EXT_BLOB /* 8192 */
#define CELL ZG_KZG_FIELD_ELEMENTS_PER_CELL    /* 64 */
#define NCELLS ZG_KZG_CELLS_PER_EXT_BLOB       /* 128 */
#define FK_K (N_BLOB / CELL)                   /* 64 rows of the Toeplitz matrices */
#define FK_M (2 * FK_K)                        /* 128: circulant size */

static const char CELL_BATCH_DOMAIN[16] = {'R', 'C', 'K', 'Z', 'G', 'C', 'B', 'A',
                                           'T', 'C', 'H', '_', '_', 'V', '1', '_'};

struct zg_kzg_cells {
  const zg_kzg_settings_t *s;
  unsigned threads, max_threads; /* 1 <= threads <= max_threads (scratch is sized for max) */
  /* Fixed-base tables of the FK20 points: for point (w, c) and window
   * j < FB_WIN, fb[((w * CELL) + c) * FB_WIN + j] = 2^(8 j) * FFT_128(y_c)[w]
   * (affine; (0, 0) for infinity, which is not on the curve). */
  zg__g1_aff_t *fb;
  zg_fp_t *fb_bx; /* beta * x of every fb entry: the second GLV half's points */
  zg_fr_t *rec_tw; /* 2 * N_EXT: recovery tables (zg__rs_recover_tables) */
  zg__g1_aff_t *mono_fb; /* the same window tables for tau^0..tau^63 G1 (RLI of the verifier) */
  zg_fr_t *interp_tw;    /* NCELLS * CELL: [i * 64 + m] = h_i^-m * R / 64, R = 2^256 mod r */
  /* The G1 FFT's twiddles w128^(+-t), t < 64, recoded once: GLV halves in
   * width-5 NAF ([0]: forward, [1]: inverse). */
  struct tw_naf {
    int8_t n0[129], n1[129];
    uint8_t top;
  } tw[2][FK_M / 2];
};

/* FK20 MSMs use 8-bit signed windows over the two 128-bit GLV halves of
 * each scalar: 17 digits per half (16 windows and the final carry) summed
 * into 128 shared buckets, with no doublings at all. */
#define FB_WIN 17
#define FB_BKT 128

static void fft_ok(zg_err_t e) { (void)e; } /* sizes here are valid by construction */

/* ---------------- scratch ---------------- */

typedef struct {
  uint8_t *p;   /* NULL: only measuring */
  size_t used;
} bump_t;

static void *bump(bump_t *b, size_t n) {
  size_t off = b->used;
  b->used += (n + 63) & ~(size_t)63;
  return b->p ? b->p + off : NULL;
}

static bump_t bump_start(void *scratch) {
  bump_t b = {NULL, 0};
  if (scratch) {
    uintptr_t a = (uintptr_t)scratch;
    b.p = (uint8_t *)((a + 63) & ~(uintptr_t)63);
  }
  return b;
}

static unsigned nthreads(const zg_kzg_cells_t *ctx) { return ctx->threads ? ctx->threads : 1; }

/* ---------------- G1 FFT of size 128 (no 1/m scaling) ---------------- */

/* Width-5 NAF digits are odd with |d| <= 15: 8 odd multiples per point. */
#define FFT_TBL 8

/* Width-5 NAF of a 128-bit value into naf[0..128]; returns the number of
 * digits up to the highest non-zero one. */
static size_t naf128(int8_t naf[129], const uint64_t k[2]) {
  uint64_t v[3] = {k[0], k[1], 0};
  size_t top = 0;
  memset(naf, 0, 129);
  for (size_t bit = 0; bit < 129;) {
    if (!((v[bit / 64] >> (bit % 64)) & 1)) {
      bit++;
      continue;
    }
    /* the low 5 bits from bit on, then subtract the digit */
    uint64_t w = v[bit / 64] >> (bit % 64);
    if (bit % 64 > 59 && bit / 64 < 2) w |= v[bit / 64 + 1] << (64 - bit % 64);
    int d = (int)(w & 31);
    if (d > 16) d -= 32;
    naf[bit] = (int8_t)d;
    top = bit + 1;
    /* v -= d << bit (d odd, so bits [bit, bit + 5) become 0) */
    uint64_t add[3] = {0, 0, 0}, carry = 0;
    if (d < 0) {
      uint64_t m = (uint64_t)(-d);
      add[bit / 64] = m << (bit % 64);
      if (bit % 64 && bit / 64 < 2) add[bit / 64 + 1] = m >> (64 - bit % 64);
      for (int l = 0; l < 3; l++) {
        unsigned __int128 t = (unsigned __int128)v[l] + add[l] + carry;
        v[l] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
      }
    } else {
      uint64_t m = (uint64_t)d;
      add[bit / 64] = m << (bit % 64);
      if (bit % 64 && bit / 64 < 2) add[bit / 64 + 1] = m >> (64 - bit % 64);
      for (int l = 0; l < 3; l++) {
        unsigned __int128 t = (unsigned __int128)v[l] - add[l] - carry;
        v[l] = (uint64_t)t;
        carry = (uint64_t)(t >> 64) & 1;
      }
    }
    bit += 5;
  }
  return top;
}

static void tw_setup(zg_kzg_cells_t *ctx) {
  const zg_fft_domain_t *dom = ctx->s->domain;
  for (size_t inv = 0; inv < 2; inv++) {
    for (size_t t = 0; t < FK_M / 2; t++) {
      uint64_t e[4], k0[2], k1[2];
      size_t k = t * (dom->n / FK_M);
      zg_fr_to_u64s(e, &dom->roots[inv && k ? dom->n - k : k]);
      zg__g1_glv_split(k0, k1, e);
      struct tw_naf *T = &ctx->tw[inv][t];
      size_t t0 = naf128(T->n0, k0), t1 = naf128(T->n1, k1);
      T->top = (uint8_t)(t0 > t1 ? t0 : t1);
    }
  }
}

typedef struct {
  const zg_kzg_cells_t *ctx;
  zg_g1_t *a, *tbl; /* tbl: FFT_TBL points per butterfly */
  size_t half;
  bool inverse;
} fft_layer_t;

/* Butterflies [begin, end) of one layer of the size-128 G1 FFT: the odd
 * multiples y, 3y, ..., 15y of every butterfly's point are made affine with
 * one inversion for the whole range, then t * y runs the twiddle's
 * precomputed NAF over mixed additions (GLV halves, shared doublings). */
static void fft_layer(void *arg, size_t begin, size_t end, unsigned worker) {
  (void)worker;
  const fft_layer_t *L = arg;
  size_t half = L->half, step = (FK_M / 2) / half;
  for (size_t b = begin; b < end; b++) {
    size_t j = b % half;
    zg_g1_t *y = L->a + (b / half) * 2 * half + j + half, *T = L->tbl + FFT_TBL * b;
    if (j == 0 || zg_g1_is_infinity(y)) {
      for (int i = 0; i < FFT_TBL; i++) zg_g1_set_infinity(&T[i]);
      continue;
    }
    zg_g1_t y2;
    T[0] = *y;
    zg_g1_dbl(&y2, y);
    for (int i = 1; i < FFT_TBL; i++) zg__g1_add_var(&T[i], &T[i - 1], &y2);
  }
  zg_g1_normalize_batch(L->tbl + FFT_TBL * begin, FFT_TBL * (end - begin));
  for (size_t b = begin; b < end; b++) {
    size_t j = b % half;
    zg_g1_t *x = L->a + (b / half) * 2 * half + j, *y = x + half, t, neg;
    const zg_g1_t *T = L->tbl + FFT_TBL * b;
    if (j == 0 || zg_g1_is_infinity(y)) {
      t = *y;
    } else {
      const struct tw_naf *N = &L->ctx->tw[L->inverse][j * step];
      zg_fp_t qx[FFT_TBL], qy[FFT_TBL], ny;
      for (int i = 0; i < FFT_TBL; i++) {
        zg__fp_mul(&qx[i], &T[i].x, &zg__g1_beta);
        zg__fp_neg(&qy[i], &T[i].y);
      }
      zg_g1_set_infinity(&t);
      for (size_t i = N->top; i-- > 0;) {
        if (!zg_g1_is_infinity(&t)) zg_g1_dbl(&t, &t);
        int d = N->n0[i];
        if (d > 0) {
          zg__g1_madd_var(&t, &t, &T[(d - 1) / 2].x, &T[(d - 1) / 2].y);
        } else if (d < 0) {
          zg__fp_neg(&ny, &T[(-d - 1) / 2].y);
          zg__g1_madd_var(&t, &t, &T[(-d - 1) / 2].x, &ny);
        }
        d = N->n1[i];
        if (d > 0) {
          zg__g1_madd_var(&t, &t, &qx[(d - 1) / 2], &qy[(d - 1) / 2]);
        } else if (d < 0) {
          zg__fp_neg(&ny, &qy[(-d - 1) / 2]);
          zg__g1_madd_var(&t, &t, &qx[(-d - 1) / 2], &ny);
        }
      }
    }
    zg_g1_neg(&neg, &t);
    zg__g1_add_var(y, x, &neg);
    zg__g1_add_var(x, x, &t);
  }
}

/* a[i] <- sum_j a[j] w128^(+-ij), natural order in and out; the
 * butterflies of a layer are split over threads. tbl: FFT_TBL * 64 points
 * of scratch. */
static void fk_fft(const zg_kzg_cells_t *ctx, zg_g1_t *a, bool inverse, zg_g1_t *tbl, unsigned threads) {
  fft_ok(zg_bit_reversal_permute(a, FK_M, sizeof *a));
  fft_layer_t L = {ctx, a, tbl, 1, inverse};
  for (L.half = 1; L.half < FK_M; L.half <<= 1) zg__par_for(L.half >= 4 ? threads : 1, FK_M / 2, fft_layer, &L);
}

/* ---------------- context ---------------- */

typedef struct {
  zg_kzg_cells_t *ctx;
  zg_g1_t *tmp; /* threads * FK_M */
  zg_g1_t *fk;  /* FK_M * CELL: [w * CELL + c] */
  const zg_g1_t *src; /* points whose window tables fb_setup_points builds */
  zg__g1_aff_t *dst;  /* FB_WIN entries per point */
} fk_setup_t;

/* Points of setup scratch per worker: a column and its FFT tables, or a
 * group of window tables. */
#define FB_GROUP 32
#define SETUP_TMP (FK_M + FFT_TBL * FK_M / 2 > FB_GROUP * FB_WIN ? FK_M + FFT_TBL * FK_M / 2 : FB_GROUP * FB_WIN)

static void fk_setup_cols(void *arg, size_t begin, size_t end, unsigned worker) {
  fk_setup_t *S = arg;
  const zg_kzg_settings_t *s = S->ctx->s;
  zg_g1_t *y = S->tmp + (size_t)worker * SETUP_TMP, *tbl = y + FK_M;
  for (size_t c = begin; c < end; c++) {
    for (size_t i = 0; i < FK_M; i++) zg_g1_set_infinity(&y[i]);
    /* d = FK_K too: y[64] only meets x[u + 64] = 0 in outputs u < 64, and
     * it completes output 127 into the commitment sum_i f_i [tau^i]. */
    for (size_t d = 1; d <= FK_K; d++) y[FK_M - d] = s->g1_monomial[(d - 1) * CELL + c];
    fk_fft(S->ctx, y, false, tbl, 1);
    for (size_t w = 0; w < FK_M; w++) S->fk[w * CELL + c] = y[w];
  }
}

/* Window multiples of the points [begin, end) of S->src, made affine in
 * groups of FB_GROUP points (one inversion per group). */
static void fb_setup_points(void *arg, size_t begin, size_t end, unsigned worker) {
  fk_setup_t *S = arg;
  zg_g1_t *t = S->tmp + (size_t)worker * SETUP_TMP;
  for (size_t g = begin; g < end; g += FB_GROUP) {
    size_t n = end - g < FB_GROUP ? end - g : FB_GROUP;
    for (size_t i = 0; i < n; i++) {
      zg_g1_t *u = t + i * FB_WIN;
      u[0] = S->src[g + i];
      for (size_t j = 1; j < FB_WIN; j++) {
        u[j] = u[j - 1];
        for (int d = 0; d < 8; d++) zg_g1_dbl(&u[j], &u[j]);
      }
    }
    zg_g1_normalize_batch(t, n * FB_WIN); /* infinity becomes (0, 0, 0) */
    for (size_t i = 0; i < n * FB_WIN; i++) {
      S->dst[g * FB_WIN + i].x = t[i].x;
      S->dst[g * FB_WIN + i].y = t[i].y;
    }
  }
}

zg_err_t zg_kzg_cells_create(zg_kzg_cells_t **out, const zg_kzg_settings_t *s, const zg_kzg_cells_opts_t *opts) {
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!s || !s->g1_monomial || !s->g2_monomial || !s->domain || s->domain->n < N_EXT) return ZG_EINVAL;
  zg_kzg_cells_t *ctx = calloc(1, sizeof *ctx);
  if (!ctx) return ZG_ENOMEM;
  ctx->s = s;
  ctx->max_threads = 64;
  zg_kzg_cells_set_threads(ctx, opts ? opts->threads : 0);
  ctx->max_threads = ctx->threads;
  ctx->fb = malloc((size_t)FK_M * CELL * FB_WIN * sizeof *ctx->fb);
  ctx->fb_bx = malloc((size_t)FK_M * CELL * FB_WIN * sizeof *ctx->fb_bx);
  ctx->rec_tw = malloc(2 * (size_t)N_EXT * sizeof *ctx->rec_tw);
  ctx->mono_fb = malloc((size_t)CELL * FB_WIN * sizeof *ctx->mono_fb);
  ctx->interp_tw = malloc((size_t)NCELLS * CELL * sizeof *ctx->interp_tw);
  fk_setup_t S = {ctx, malloc((size_t)nthreads(ctx) * SETUP_TMP * sizeof(zg_g1_t)),
                  malloc((size_t)FK_M * CELL * sizeof(zg_g1_t)), NULL, NULL};
  if (!ctx->fb || !ctx->fb_bx || !ctx->rec_tw || !ctx->mono_fb || !ctx->interp_tw || !S.tmp || !S.fk) {
    free(S.tmp);
    free(S.fk);
    zg_kzg_cells_destroy(ctx);
    return ZG_ENOMEM;
  }
  zg__rs_recover_tables(ctx->rec_tw, ctx->rec_tw + N_EXT, N_EXT);
  {
    zg_fr_t base, two;
    const uint64_t e256[4] = {256, 0, 0, 0};
    zg_fr_from_u64(&two, 2);
    zg_fr_pow(&base, &two, e256);
    zg_fr_from_u64(&two, CELL);
    zg_fr_inv(&two, &two);
    zg_fr_mul(&base, &base, &two); /* R / 64 */
    for (size_t i = 0; i < NCELLS; i++) {
      const zg_fr_t *hinv = &s->domain->roots[N_EXT - zg_reverse_bits((uint32_t)i, 7)];
      zg_fr_t p = base;
      for (size_t m = 0; m < CELL; m++) {
        ctx->interp_tw[i * CELL + m] = p;
        zg_fr_mul(&p, &p, hinv);
      }
    }
  }
  tw_setup(ctx);
  zg__par_for(nthreads(ctx), CELL, fk_setup_cols, &S);
  S.src = S.fk;
  S.dst = ctx->fb;
  zg__par_for(nthreads(ctx), (size_t)FK_M * CELL, fb_setup_points, &S);
  for (size_t i = 0; i < (size_t)FK_M * CELL * FB_WIN; i++) zg__fp_mul(&ctx->fb_bx[i], &ctx->fb[i].x, &zg__g1_beta);
  S.src = s->g1_monomial;
  S.dst = ctx->mono_fb;
  zg__par_for(nthreads(ctx), CELL, fb_setup_points, &S);
  free(S.tmp);
  free(S.fk);
  *out = ctx;
  return ZG_OK;
}

void zg_kzg_cells_destroy(zg_kzg_cells_t *ctx) {
  if (!ctx) return;
  free(ctx->fb);
  free(ctx->fb_bx);
  free(ctx->rec_tw);
  free(ctx->mono_fb);
  free(ctx->interp_tw);
  free(ctx);
}

void zg_kzg_cells_set_threads(zg_kzg_cells_t *ctx, unsigned threads) {
  if (ctx) ctx->threads = threads > ctx->max_threads ? ctx->max_threads : (threads ? threads : 1);
}

/* ---------------- scratch layouts ---------------- */

/* FK20 MSMs accumulate FK_G of the 128 products at a time: every table
 * point they add is copied (signed, GLV-mapped) into pts[] grouped by bucket,
 * then each bucket's list is summed as a binary tree of batched affine
 * additions (no bucket conflicts to manage: the pairs of a round are
 * disjoint). */
#define FK_G 16
#define FK_TERMS ((size_t)FK_G * CELL * 2 * FB_WIN)

typedef struct {
  int16_t *dig;     /* FK_TERMS: signed digits, [m][c][half][j] */
  uint32_t *start;  /* FK_G * FB_BKT + 1 */
  uint32_t *fill;   /* FK_G * FB_BKT */
  zg__g1_aff_t *pts; /* FK_TERMS */
  zg__g1_aff_batch_t *batch;
} fk_work_t;

typedef struct {
  zg_fr_t *scal;     /* FK_M * CELL */
  zg_g1_t *h;        /* FK_M */
  zg__g1_aff_t *bk;  /* FK_M * FB_BKT bucket sums */
  zg__g1_aff_t *run; /* 2 * FK_M: running sums (two buffers) */
  zg__g1_aff_t *acc; /* FK_M */
  zg_g1_t *ftbl;     /* FFT_TBL * FK_M / 2: the G1 FFT's tables */
  fk_work_t work[64]; /* max_threads used */
} fk_scratch_t;

static void fk_layout(const zg_kzg_cells_t *ctx, bump_t *b, fk_scratch_t *f) {
  f->scal = bump(b, (size_t)FK_M * CELL * sizeof(zg_fr_t));
  f->h = bump(b, FK_M * sizeof(zg_g1_t));
  f->bk = bump(b, (size_t)FK_M * FB_BKT * sizeof(zg__g1_aff_t));
  f->run = bump(b, 2 * FK_M * sizeof(zg__g1_aff_t));
  f->acc = bump(b, FK_M * sizeof(zg__g1_aff_t));
  f->ftbl = bump(b, FFT_TBL * (FK_M / 2) * sizeof(zg_g1_t));
  for (unsigned t = 0; t < ctx->max_threads; t++) {
    fk_work_t *W = &f->work[t];
    W->dig = bump(b, FK_TERMS * sizeof(int16_t));
    W->start = bump(b, ((size_t)FK_G * FB_BKT + 1) * sizeof(uint32_t));
    W->fill = bump(b, (size_t)FK_G * FB_BKT * sizeof(uint32_t));
    W->pts = bump(b, FK_TERMS * sizeof(zg__g1_aff_t));
    W->batch = bump(b, sizeof(zg__g1_aff_batch_t));
  }
}

typedef struct {
  zg_fr_t *io, *tmp, *blk;
  fk_scratch_t fk;
} rec_scratch_t;

static void rec_layout(const zg_kzg_cells_t *ctx, bump_t *b, rec_scratch_t *r) {
  r->io = bump(b, N_EXT * sizeof(zg_fr_t));
  r->tmp = bump(b, zg__rs_recover_tmp_elems(N_EXT) * sizeof(zg_fr_t));
  r->blk = bump(b, N_BLOB * sizeof(zg_fr_t));
  fk_layout(ctx, b, &r->fk);
}

typedef struct {
  size_t *order;    /* n: indices sorted by commitment bytes */
  size_t *uid;      /* n: unique-commitment id of each cell */
  zg_slice_t *uniq; /* n: the deduplicated commitments, first-seen order */
  zg_fr_t *rpow;    /* n */
  zg_err_t *perr;   /* n: parse status of each item */
  zg_fr_t *sc;      /* 2n */
  zg_g1_t *pts;     /* 2n */
  zg_g1_t *bkt;     /* FB_BKT buckets */
  zg_fr_t *agg;     /* NCELLS * CELL */
  zg_fr_t *sum;     /* CELL */
  uint8_t *msm;     /* msm scratch of 2n */
  uint8_t *pair;    /* pairing scratch of 2 */
} ver_scratch_t;

static void ver_layout(bump_t *b, size_t n, ver_scratch_t *v) {
  v->order = bump(b, n * sizeof(size_t));
  v->uid = bump(b, n * sizeof(size_t));
  v->uniq = bump(b, n * sizeof(zg_slice_t));
  v->rpow = bump(b, n * sizeof(zg_fr_t));
  v->perr = bump(b, n * sizeof(zg_err_t));
  v->sc = bump(b, 2 * n * sizeof(zg_fr_t));
  v->pts = bump(b, 2 * n * sizeof(zg_g1_t));
  v->bkt = bump(b, FB_BKT * sizeof(zg_g1_t));
  v->agg = bump(b, (size_t)NCELLS * CELL * sizeof(zg_fr_t));
  v->sum = bump(b, CELL * sizeof(zg_fr_t));
  v->msm = bump(b, zg_g1_msm_scratch_size(2 * n));
  v->pair = bump(b, zg_multi_pairing_scratch_size(2));
}

size_t zg_kzg_cells_scratch_size(const zg_kzg_cells_t *ctx, size_t max_cells) {
  if (!ctx) return 0;
  if (max_cells < NCELLS) max_cells = NCELLS;
  bump_t b1 = {NULL, 0}, b2 = {NULL, 0};
  rec_scratch_t r;
  ver_scratch_t v;
  rec_layout(ctx, &b1, &r);
  ver_layout(&b2, max_cells, &v);
  return (b1.used > b2.used ? b1.used : b2.used) + 64;
}

/* ---------------- helpers ---------------- */

/* Loads n big-endian field elements as raw limbs (rs_internal.h): the
 * compute and recovery paths are linear up to FK20, which rescales by R.
 * ZG_EFIELD when one is >= r. */
static zg_err_t parse_elems(zg_fr_t *out, const uint8_t *in, size_t n) {
  for (size_t i = 0; i < n; i++) ZG_TRY(zg__fr_load_raw_checked(&out[i], in + 32 * i));
  return ZG_OK;
}

/* Checks n big-endian field elements without keeping them. */
static zg_err_t check_elems(const uint8_t *in, size_t n) {
  zg_fr_t t;
  for (size_t i = 0; i < n; i++) ZG_TRY(zg__fr_load_raw_checked(&t, in + 32 * i));
  return ZG_OK;
}

static void write_elems(uint8_t *out, const zg_fr_t *a, size_t n) {
  for (size_t i = 0; i < n; i++) zg__fr_store_raw(out + 32 * i, &a[i]);
}

/* ---------------- FK20 ---------------- */

typedef struct {
  const zg_kzg_cells_t *ctx;
  fk_scratch_t *f;
} fk_job_t;

/* Signed 8-bit digits of a 128-bit value: 16 windows in [-127, 128] and the
 * final carry. */
static void digits128(int d[FB_WIN], const uint64_t k[2]) {
  int carry = 0;
  for (int j = 0; j < 16; j++) {
    int v = (int)((k[j / 8] >> (8 * (j % 8))) & 0xff) + carry;
    carry = v > 128;
    d[j] = carry ? v - 256 : v;
  }
  d[16] = carry;
}

/* bkt[|d| - 1] += sign(d) * (x, y). */
static void bucket_add(zg_g1_t *bkt, int d, const zg_fp_t *x, const zg_fp_t *y) {
  if (d > 0) {
    zg__g1_madd_var(&bkt[d - 1], &bkt[d - 1], x, y);
  } else if (d < 0) {
    zg_fp_t ny;
    zg__fp_neg(&ny, y);
    zg__g1_madd_var(&bkt[-d - 1], &bkt[-d - 1], x, &ny);
  }
}

/* r = sum_c scal[c] * P_c over n points given by their window tables
 * (FB_WIN entries each). k * P = k0 * P + k1 * x^2 P and
 * x^2 P = -phi(P) = (beta x, -y). */
static void table_msm(zg_g1_t *r, const zg__g1_aff_t *tab, const zg_fr_t *scal, size_t n, zg_g1_t *bkt) {
  for (size_t i = 0; i < FB_BKT; i++) zg_g1_set_infinity(&bkt[i]);
  for (size_t c = 0; c < n; c++) {
    const zg__g1_aff_t *T = tab + c * FB_WIN;
    if (zg__fp_is_zero(&T[0].x) && zg__fp_is_zero(&T[0].y)) continue; /* infinity */
    uint64_t k[4], k0[2], k1[2];
    int d0[FB_WIN], d1[FB_WIN];
    zg_fr_to_u64s(k, &scal[c]);
    zg__g1_glv_split(k0, k1, k);
    digits128(d0, k0);
    digits128(d1, k1);
    for (size_t j = 0; j < FB_WIN; j++) {
      bucket_add(bkt, d0[j], &T[j].x, &T[j].y);
      if (d1[j]) {
        zg_fp_t bx, ny;
        zg__fp_mul(&bx, &T[j].x, &zg__g1_beta);
        zg__fp_neg(&ny, &T[j].y);
        bucket_add(bkt, d1[j], &bx, &ny);
      }
    }
  }
  zg_g1_t run, acc;
  zg_g1_set_infinity(&run);
  zg_g1_set_infinity(&acc);
  for (size_t i = FB_BKT; i-- > 0;) {
    zg__g1_add_var(&run, &run, &bkt[i]);
    zg__g1_add_var(&acc, &acc, &run);
  }
  *r = acc;
}

/* Bucket sums of the products [w0, w0 + g) into f->bk. */
static void fk_group(const zg_kzg_cells_t *ctx, fk_scratch_t *f, fk_work_t *W, size_t w0, size_t g) {
  size_t nb = g * FB_BKT;
  memset(W->fill, 0, nb * sizeof *W->fill);
  /* Digits and bucket sizes. */
  for (size_t m = 0; m < g; m++) {
    for (size_t c = 0; c < CELL; c++) {
      int16_t *d = W->dig + (m * CELL + c) * 2 * FB_WIN;
      const zg__g1_aff_t *T = ctx->fb + ((w0 + m) * CELL + c) * FB_WIN;
      if (zg__g1_aff_is_inf(&T[0])) {
        memset(d, 0, 2 * FB_WIN * sizeof *d);
        continue;
      }
      uint64_t k[4], k0[2], k1[2];
      int d0[FB_WIN], d1[FB_WIN];
      zg_fr_to_u64s(k, &f->scal[(w0 + m) * CELL + c]);
      zg__g1_glv_split(k0, k1, k);
      digits128(d0, k0);
      digits128(d1, k1);
      for (size_t j = 0; j < FB_WIN; j++) {
        d[j] = (int16_t)d0[j];
        d[FB_WIN + j] = (int16_t)d1[j];
      }
      for (size_t j = 0; j < 2 * FB_WIN; j++)
        if (d[j]) W->fill[m * FB_BKT + (size_t)(d[j] < 0 ? -d[j] : d[j]) - 1]++;
    }
  }
  W->start[0] = 0;
  for (size_t b = 0; b < nb; b++) {
    W->start[b + 1] = W->start[b] + W->fill[b];
    W->fill[b] = W->start[b];
  }
  /* Terms grouped by bucket: T[j] for the first GLV half, (beta x, -y)
   * = x^2 T[j] for the second; negated for a negative digit. */
  for (size_t m = 0; m < g; m++) {
    for (size_t c = 0; c < CELL; c++) {
      const int16_t *d = W->dig + (m * CELL + c) * 2 * FB_WIN;
      const zg__g1_aff_t *T = ctx->fb + ((w0 + m) * CELL + c) * FB_WIN;
      const zg_fp_t *BX = ctx->fb_bx + ((w0 + m) * CELL + c) * FB_WIN;
      for (size_t h = 0; h < 2; h++) {
        for (size_t j = 0; j < FB_WIN; j++) {
          int v = d[h * FB_WIN + j];
          if (!v) continue;
          zg__g1_aff_t *p = &W->pts[W->fill[m * FB_BKT + (size_t)(v < 0 ? -v : v) - 1]++];
          p->x = h ? BX[j] : T[j].x;
          if ((v < 0) != (h == 1))
            zg__fp_neg(&p->y, &T[j].y);
          else
            p->y = T[j].y;
        }
      }
    }
  }
  /* Each bucket's list summed pairwise, rounds of disjoint pairs. */
  zg__g1_aff_batch_init(W->batch);
  for (size_t step = 1;; step <<= 1) {
    bool any = false;
    for (size_t b = 0; b < nb; b++) {
      zg__g1_aff_t *p = W->pts + W->start[b];
      size_t n = W->start[b + 1] - W->start[b];
      for (size_t i = 0; i + step < n; i += 2 * step) {
        zg__g1_aff_batch_push(W->batch, &p[i], &p[i], &p[i + step]);
        any = true;
      }
    }
    zg__g1_aff_batch_flush(W->batch);
    if (!any) break;
  }
  for (size_t b = 0; b < nb; b++) {
    zg__g1_aff_t *o = &f->bk[w0 * FB_BKT + b];
    if (W->start[b + 1] > W->start[b])
      *o = W->pts[W->start[b]];
    else
      zg__g1_aff_set_inf(o);
  }
}

/* h[w] = sum_i (i + 1) bk[w][i] for w in [begin, end): running sums from
 * the top bucket down, the products side by side in each batch. */
static void fk_reduce(fk_scratch_t *f, fk_work_t *W, size_t begin, size_t end) {
  zg__g1_aff_t *cur = f->run + begin, *nxt = f->run + FK_M + begin, *acc = f->acc + begin;
  size_t n = end - begin;
  for (size_t w = 0; w < n; w++) {
    zg__g1_aff_set_inf(&cur[w]);
    zg__g1_aff_set_inf(&acc[w]);
  }
  zg__g1_aff_batch_init(W->batch);
  for (size_t i = FB_BKT; i-- > 0;) {
    for (size_t w = 0; w < n; w++) {
      zg__g1_aff_batch_push(W->batch, &nxt[w], &cur[w], &f->bk[(begin + w) * FB_BKT + i]);
      zg__g1_aff_batch_push(W->batch, &acc[w], &acc[w], &cur[w]);
    }
    zg__g1_aff_batch_flush(W->batch);
    zg__g1_aff_t *t = cur;
    cur = nxt;
    nxt = t;
  }
  for (size_t w = 0; w < n; w++) zg__g1_aff_batch_push(W->batch, &acc[w], &acc[w], &cur[w]);
  zg__g1_aff_batch_flush(W->batch);
  for (size_t w = 0; w < n; w++) {
    if (zg__g1_aff_is_inf(&acc[w]))
      zg_g1_set_infinity(&f->h[begin + w]);
    else
      zg__g1_from_affine(&f->h[begin + w], &acc[w].x, &acc[w].y);
  }
}

static void fk_msms(void *arg, size_t begin, size_t end, unsigned worker) {
  fk_job_t *J = arg;
  fk_work_t *W = &J->f->work[worker];
  for (size_t w = begin; w < end; w += FK_G) fk_group(J->ctx, J->f, W, w, end - w < FK_G ? end - w : FK_G);
  fk_reduce(J->f, W, begin, end);
}

/* zg_g1_serialize of a point already normalized (Z = 1, or infinity), without
 * its inversion: the compressed form is x with C set and S = y
 * lexicographically largest; infinity is C | I and zeros. */
static void serialize_normalized(uint8_t out[48], const zg_g1_t *p) {
  if (zg_g1_is_infinity(p)) {
    memset(out, 0, 48);
    out[0] = 0xc0;
    return;
  }
  zg__fp_to_be48(out, &p->x);
  out[0] |= 0x80;
  if (zg__fp_is_lex_largest(&p->y)) out[0] |= 0x20;
}

/* The 128 cell proofs of the polynomial with the 4096 coefficients f. */
static void fk20_proofs(const zg_kzg_cells_t *ctx, uint8_t *proofs, uint8_t *commitment, const zg_fr_t *f,
                        fk_scratch_t *fs) {
  const zg_fft_domain_t *dom = ctx->s->domain;
  /* f is in raw limbs (value f R^-1): scale by R / 128, R = 2^256 mod r. */
  zg_fr_t x[FK_M], inv_m, rr, two;
  const uint64_t e256[4] = {256, 0, 0, 0};
  zg_fr_from_u64(&two, 2);
  zg_fr_pow(&rr, &two, e256);
  zg_fr_from_u64(&inv_m, FK_M);
  zg_fr_inv(&inv_m, &inv_m);
  zg_fr_mul(&inv_m, &inv_m, &rr);
  for (size_t c = 0; c < CELL; c++) {
    for (size_t i = 0; i < FK_K; i++) x[i] = f[i * CELL + c];
    memset(x + FK_K, 0, (FK_M - FK_K) * sizeof *x);
    fft_ok(zg_fft_fr(dom, x, FK_M));
    for (size_t w = 0; w < FK_M; w++) zg_fr_mul(&fs->scal[w * CELL + c], &x[w], &inv_m);
  }
  fk_job_t J = {ctx, fs};
  zg__par_for(nthreads(ctx), FK_M, fk_msms, &J);
  fk_fft(ctx, fs->h, true, fs->ftbl, nthreads(ctx));
  if (commitment) zg_g1_serialize(commitment, &fs->h[FK_M - 1]);
  for (size_t u = FK_K; u < FK_M; u++) zg_g1_set_infinity(&fs->h[u]);
  fk_fft(ctx, fs->h, false, fs->ftbl, nthreads(ctx));
  zg_g1_normalize_batch(fs->h, FK_M);
  for (size_t i = 0; i < NCELLS; i++) serialize_normalized(proofs + 48 * i, &fs->h[zg_reverse_bits((uint32_t)i, 7)]);
}

/* Cells 0..127 of the polynomial with coefficients f (4096). blk: 4096. */
static void cells_from_coeffs(const zg_kzg_cells_t *ctx, uint8_t *cells, const zg_fr_t *f, zg_fr_t *blk,
                              bool skip_block0) {
  for (size_t b = skip_block0 ? 1 : 0; b < N_EXT / N_BLOB; b++) {
    zg__rs_eval_block(ctx->s->domain, N_EXT, b, f, blk);
    write_elems(cells + b * N_BLOB * 32, blk, N_BLOB);
  }
}

/* ---------------- compute ---------------- */

zg_err_t zg_kzg_compute_cells_proofs_commitment(const zg_kzg_cells_t *ctx, uint8_t *cells, uint8_t *proofs,
                                                 uint8_t *commitment, const uint8_t *blob, size_t blob_len,
                                                 void *scratch) {
  if (cells) memset(cells, 0, ZG_KZG_BYTES_PER_EXT_BLOB);
  if (proofs) memset(proofs, 0, ZG_KZG_BYTES_PER_CELL_PROOFS);
  if (commitment) memset(commitment, 0, 48);
  if (!ctx || !blob || !scratch || (!cells && !proofs && !commitment)) return ZG_EINVAL;
  if (blob_len != ZG_KZG_BYTES_PER_BLOB) return ZG_EBADLEN;
  bump_t b = bump_start(scratch);
  rec_scratch_t r;
  rec_layout(ctx, &b, &r);
  zg_err_t err = parse_elems(r.io, blob, N_BLOB);
  if (err != ZG_OK) return err;
  zg__rs_evals_to_coeffs(ctx->s->domain, r.io);
  if (cells) {
    memcpy(cells, blob, ZG_KZG_BYTES_PER_BLOB); /* block 0 is the blob itself */
    cells_from_coeffs(ctx, cells, r.io, r.blk, true);
  }
  if (proofs || commitment) {
    uint8_t tmp[ZG_KZG_BYTES_PER_CELL_PROOFS];
    fk20_proofs(ctx, proofs ? proofs : tmp, commitment, r.io, &r.fk);
  }
  return ZG_OK;
}

zg_err_t zg_kzg_compute_cells_and_proofs(const zg_kzg_cells_t *ctx, uint8_t *cells, uint8_t *proofs,
                                         const uint8_t *blob, size_t blob_len, void *scratch) {
  if (cells) memset(cells, 0, ZG_KZG_BYTES_PER_EXT_BLOB);
  if (proofs) memset(proofs, 0, ZG_KZG_BYTES_PER_CELL_PROOFS);
  if (!cells && !proofs) return ZG_EINVAL;
  return zg_kzg_compute_cells_proofs_commitment(ctx, cells, proofs, NULL, blob, blob_len, scratch);
}

zg_err_t zg_kzg_compute_cells(const zg_kzg_cells_t *ctx, uint8_t *cells, const uint8_t *blob, size_t blob_len,
                              void *scratch) {
  if (!cells) return ZG_EINVAL;
  return zg_kzg_compute_cells_and_proofs(ctx, cells, NULL, blob, blob_len, scratch);
}

/* ---------------- recovery ---------------- */

zg_err_t zg_kzg_recover_cells_and_proofs(const zg_kzg_cells_t *ctx, uint8_t *cells_out, uint8_t *proofs_out,
                                         const uint64_t *cell_indices, size_t n_indices, const zg_slice_t *cells,
                                         size_t n_cells, void *scratch) {
  if (cells_out) memset(cells_out, 0, ZG_KZG_BYTES_PER_EXT_BLOB);
  if (proofs_out) memset(proofs_out, 0, ZG_KZG_BYTES_PER_CELL_PROOFS);
  if (!ctx || !scratch || (!cells_out && !proofs_out)) return ZG_EINVAL;
  if (n_indices != n_cells) return ZG_EINVAL;
  if (n_cells && (!cell_indices || !cells)) return ZG_EINVAL;
  bool present[NCELLS] = {false};
  for (size_t k = 0; k < n_cells; k++)
    if (cell_indices[k] >= NCELLS) return ZG_ERANGE;
  for (size_t k = 0; k < n_cells; k++) {
    if (present[cell_indices[k]]) return ZG_EDUPLICATE;
    present[cell_indices[k]] = true;
  }
  for (size_t k = 1; k < n_cells; k++)
    if (cell_indices[k] < cell_indices[k - 1]) return ZG_ENONCANON;
  if (n_cells < NCELLS / 2) return ZG_ETOOFEW;
  for (size_t k = 0; k < n_cells; k++)
    if (cells[k].len != ZG_KZG_BYTES_PER_CELL || !cells[k].ptr) return ZG_EBADLEN;
  bump_t b = bump_start(scratch);
  rec_scratch_t r;
  rec_layout(ctx, &b, &r);
  memset(r.io, 0, N_EXT * sizeof *r.io);
  for (size_t k = 0; k < n_cells; k++) {
    zg_err_t err = parse_elems(r.io + cell_indices[k] * CELL, cells[k].ptr, CELL);
    if (err != ZG_OK) return err;
  }
  zg__rs_recover_coeffs(ctx->s->domain, N_EXT, r.io, present, r.tmp, ctx->rec_tw, ctx->rec_tw + N_EXT);
  if (cells_out) cells_from_coeffs(ctx, cells_out, r.io, r.blk, false);
  if (proofs_out) fk20_proofs(ctx, proofs_out, NULL, r.io, &r.fk);
  return ZG_OK;
}

zg_err_t zg_kzg_recover_cells(const zg_kzg_cells_t *ctx, uint8_t *cells_out, const uint64_t *cell_indices,
                              size_t n_indices, const zg_slice_t *cells, size_t n_cells, void *scratch) {
  if (!cells_out) return ZG_EINVAL;
  return zg_kzg_recover_cells_and_proofs(ctx, cells_out, NULL, cell_indices, n_indices, cells, n_cells, scratch);
}

/* ---------------- verification ---------------- */

static void hash_u64(zg_sha256_ctx_t *h, uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (56 - 8 * i));
  zg_sha256_update(h, b, 8);
}

/* The Fiat–Shamir challenge over inputs already checked for length,
 * range and (cells) canonical elements. */
static void batch_challenge(zg_fr_t *r, const zg_slice_t *commitments, size_t n_commitments,
                            const size_t *commitment_idx_sz, const uint64_t *commitment_idx_u64,
                            const uint64_t *cell_indices, const zg_slice_t *cells, const zg_slice_t *proofs,
                            size_t n) {
  zg_sha256_ctx_t h;
  uint8_t d[32];
  zg_sha256_init(&h);
  zg_sha256_update(&h, CELL_BATCH_DOMAIN, sizeof CELL_BATCH_DOMAIN);
  hash_u64(&h, N_BLOB);
  hash_u64(&h, CELL);
  hash_u64(&h, n_commitments);
  hash_u64(&h, n);
  for (size_t i = 0; i < n_commitments; i++) zg_sha256_update(&h, commitments[i].ptr, 48);
  for (size_t k = 0; k < n; k++) {
    hash_u64(&h, commitment_idx_sz ? (uint64_t)commitment_idx_sz[k] : commitment_idx_u64[k]);
    hash_u64(&h, cell_indices[k]);
    zg_sha256_update(&h, cells[k].ptr, ZG_KZG_BYTES_PER_CELL);
    zg_sha256_update(&h, proofs[k].ptr, 48);
  }
  zg_sha256_final(&h, d);
  zg_fr_from_be_reduce(r, d, 32);
}

zg_err_t zg_kzg_compute_cell_batch_challenge(uint8_t challenge[32], const zg_slice_t *commitments,
                                             size_t n_commitments, const uint64_t *commitment_indices,
                                             const uint64_t *cell_indices, const zg_slice_t *coset_evals,
                                             const zg_slice_t *proofs, size_t n) {
  if (!challenge) return ZG_EINVAL;
  memset(challenge, 0, 32);
  if ((n_commitments && !commitments) || (n && (!commitment_indices || !cell_indices || !coset_evals || !proofs)))
    return ZG_EINVAL;
  for (size_t i = 0; i < n_commitments; i++)
    if (commitments[i].len != 48 || !commitments[i].ptr) return ZG_EBADLEN;
  for (size_t k = 0; k < n; k++) {
    if (commitment_indices[k] >= n_commitments || cell_indices[k] >= NCELLS) return ZG_ERANGE;
    if (coset_evals[k].len != ZG_KZG_BYTES_PER_CELL || !coset_evals[k].ptr) return ZG_EBADLEN;
    if (proofs[k].len != 48 || !proofs[k].ptr) return ZG_EBADLEN;
    ZG_TRY(check_elems(coset_evals[k].ptr, CELL));
  }
  zg_fr_t r;
  batch_challenge(&r, commitments, n_commitments, NULL, commitment_indices, cell_indices, coset_evals, proofs, n);
  zg_fr_to_be32(challenge, &r);
  return ZG_OK;
}

/* Proof points and cell values of items [begin, end), errors per item
 * (the verifier reports the first in input order). */
typedef struct {
  zg_g1_t *pp;
  const zg_slice_t *proofs, *cells;
  zg_err_t *err;
} parse_job_t;

static void parse_items(void *arg, size_t begin, size_t end, unsigned worker) {
  (void)worker;
  parse_job_t *P = arg;
  for (size_t k = begin; k < end; k++) {
    P->err[k] = zg_g1_deserialize(&P->pp[k], P->proofs[k].ptr, 48);
    if (P->err[k] == ZG_OK) P->err[k] = check_elems(P->cells[k].ptr, CELL);
  }
}

static int cmp_commit(const void *a, const void *b) {
  const zg_slice_t *x = a, *y = b;
  int c = memcmp(x->ptr, y->ptr, 48);
  if (c) return c;
  return x->len < y->len ? -1 : x->len > y->len; /* len holds the original index here */
}

/* uid[k] = index of commitment k among the distinct ones, numbered in order
 * of first appearance; uniq[] receives them. Returns their number. */
static size_t dedup_commitments(const zg_slice_t *commitments, size_t n, size_t *uid, zg_slice_t *uniq,
                                size_t *first) {
  /* Sort (ptr, original index) pairs, kept in uniq[] as scratch. */
  for (size_t k = 0; k < n; k++) uniq[k] = zg_slice(commitments[k].ptr, k);
  qsort(uniq, n, sizeof *uniq, cmp_commit);
  for (size_t g = 0; g < n;) {
    size_t e = g + 1;
    while (e < n && memcmp(uniq[e].ptr, uniq[g].ptr, 48) == 0) e++;
    for (size_t t = g; t < e; t++) first[uniq[t].len] = uniq[g].len; /* smallest index of the group */
    g = e;
  }
  size_t u = 0;
  for (size_t k = 0; k < n; k++) {
    if (first[k] == k) {
      uid[k] = u;
      uniq[u++] = zg_slice(commitments[k].ptr, 48);
    } else {
      uid[k] = uid[first[k]];
    }
  }
  return u;
}

zg_err_t zg_kzg_verify_cell_proof_batch(const zg_kzg_cells_t *ctx, bool *ok, const zg_slice_t *commitments,
                                        size_t n_commitments, const uint64_t *cell_indices, size_t n_indices,
                                        const zg_slice_t *cells, size_t n_cells, const zg_slice_t *proofs,
                                        size_t n_proofs, void *scratch) {
  if (!ok) return ZG_EINVAL;
  *ok = false;
  if (!ctx || !scratch) return ZG_EINVAL;
  if (n_commitments != n_indices || n_indices != n_cells || n_cells != n_proofs) return ZG_EINVAL;
  size_t n = n_cells;
  if (n && (!commitments || !cell_indices || !cells || !proofs)) return ZG_EINVAL;
  for (size_t k = 0; k < n; k++) {
    if (commitments[k].len != 48 || !commitments[k].ptr) return ZG_EBADLEN;
    if (cell_indices[k] >= NCELLS) return ZG_ERANGE;
    if (cells[k].len != ZG_KZG_BYTES_PER_CELL || !cells[k].ptr) return ZG_EBADLEN;
    if (proofs[k].len != 48 || !proofs[k].ptr) return ZG_EBADLEN;
  }
  if (n == 0) {
    *ok = true;
    return ZG_OK;
  }
  const zg_kzg_settings_t *s = ctx->s;
  bump_t b = bump_start(scratch);
  ver_scratch_t v;
  ver_layout(&b, n, &v);

  /* Parse: distinct commitments, proofs, cells (values checked only). */
  size_t u = dedup_commitments(commitments, n, v.uid, v.uniq, v.order);
  zg_g1_t *pc = v.pts, *pp = v.pts + u;
  zg_fr_t *sc = v.sc, *sp = v.sc + u;
  for (size_t i = 0; i < u; i++) ZG_TRY(zg_g1_deserialize(&pc[i], v.uniq[i].ptr, 48));
  parse_job_t P = {pp, proofs, cells, v.perr};
  zg__par_for(nthreads(ctx), n, parse_items, &P);
  for (size_t k = 0; k < n; k++) ZG_TRY(v.perr[k]);

  /* r and its powers. */
  zg_fr_t r;
  batch_challenge(&r, v.uniq, u, v.uid, NULL, cell_indices, cells, proofs, n);
  zg_fr_set_one(&v.rpow[0]);
  for (size_t k = 1; k < n; k++) zg_fr_mul(&v.rpow[k], &v.rpow[k - 1], &r);

  /* Weights of the commitments (RLC) and of the proofs in RLP:
   * r^k * h_k^64 with h_k^64 = w128^rev7(i). Sum of r^k * cell evals per
   * cell index, for RLI. */
  bool used[NCELLS] = {false};
  for (size_t i = 0; i < u; i++) zg_fr_set_zero(&sc[i]);
  memset(v.agg, 0, (size_t)NCELLS * CELL * sizeof *v.agg);
  for (size_t k = 0; k < n; k++) {
    size_t ci = (size_t)cell_indices[k];
    zg_fr_add(&sc[v.uid[k]], &sc[v.uid[k]], &v.rpow[k]);
    const zg_fr_t *h64 = &s->domain->roots[(N_EXT / NCELLS) * zg_reverse_bits((uint32_t)ci, 7)];
    zg_fr_mul(&sp[k], &v.rpow[k], h64);
    used[ci] = true;
    zg_fr_t y;
    for (size_t j = 0; j < CELL; j++) {
      zg__fr_load_raw(&y, cells[k].ptr + 32 * j); /* raw limbs: rescaled by R below */
      zg_fr_mul(&y, &y, &v.rpow[k]);
      zg_fr_add(&v.agg[ci * CELL + j], &v.agg[ci * CELL + j], &y);
    }
  }
  /* RLI: the aggregated interpolation polynomial. Cell i holds values at
   * h_i * w64^rev6(j); the inverse FFT of the naturally ordered values gives
   * the coefficients of I(h_i X), so coefficient m is divided by h_i^m. The
   * inverse FFT is the forward one read at -m; its 1/64, h_i^-m and the R
   * that undoes the raw loads are ctx->interp_tw. */
  memset(v.sum, 0, CELL * sizeof *v.sum);
  for (size_t i = 0; i < NCELLS; i++) {
    if (!used[i]) continue;
    zg_fr_t t[CELL], c;
    for (size_t j = 0; j < CELL; j++) t[j] = v.agg[i * CELL + zg_reverse_bits((uint32_t)j, 6)];
    fft_ok(zg_fft_fr(s->domain, t, CELL));
    const zg_fr_t *tw = ctx->interp_tw + i * CELL;
    for (size_t m = 0; m < CELL; m++) {
      zg_fr_mul(&c, &t[(CELL - m) & (CELL - 1)], &tw[m]);
      zg_fr_add(&v.sum[m], &v.sum[m], &c);
    }
  }

  /* RL = RLC + RLP (one MSM) - RLI (fixed-base tables); LL = sum r^k proofs[k]. */
  zg_g1_t g1s[2], rlcp, rli;
  zg_g2_t g2s[2];
  zg_g1_msm_var(&rlcp, v.pts, v.sc, u + n, v.msm);
  table_msm(&rli, ctx->mono_fb, v.sum, CELL, v.bkt);
  zg_g1_neg(&rlcp, &rlcp);
  zg__g1_add_var(&g1s[1], &rli, &rlcp); /* -RL */
  zg_g1_msm_var(&g1s[0], pp, v.rpow, n, v.msm);
  g2s[0] = s->g2_monomial[CELL];
  g2s[1] = s->g2_monomial[0];
  *ok = zg_pairing_check(g1s, g2s, 2, v.pair);
  return ZG_OK;
}

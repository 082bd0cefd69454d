/*
 * kzg_fb.c — multi-scalar multiplication over the 4096 Lagrange points of
 * the trusted setup (commitments and proofs): the generic variable-base MSM,
 * or fixed-base tables when the settings were loaded with a precompute
 * level.
 *
 * Fixed-base method. Scalars are recoded into W signed digits of c bits
 * (d in [-2^(c-1), 2^(c-1)], W c >= 256). The table keeps, for each point P_i
 * and each j < Wt = W / s, the affine point T[i][j] = 2^(c s j) P_i. Then
 *
 *   k_i P_i = sum_{t < s} 2^(c t) sum_j d_i,(j s + t) T[i][j],
 *
 * so the MSM is s passes (s = 1 when the memory allows: no doublings at
 * all) of one bucket accumulation each, over n Wt table points with c-bit
 * digits, combined by c doublings between passes. Each pass adds every
 * table point into bucket |d| (negated when d < 0) in affine coordinates
 * with batched inversions (about 6 field multiplications per addition); an
 * addition whose bucket already has one pending in the batch waits in a
 * small queue for the next batch. A pass ends with the running-sum bucket
 * reduction (two additions per bucket).
 *
 * The levels trade memory for speed (sizes for 4096 points):
 *   1: c = 13, s = 4, Wt = 5  (2.0 MB)
 *   2: c = 13, s = 2, Wt = 10 (3.9 MB)
 *   3: c = 13, s = 1, Wt = 20 (7.9 MB)
 * Variable time: the scalars are public (blob data).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/bls_curve.h"
#include "crypto/kzg_internal.h"

#define NPTS ZG__KZG_N
#define MAX_LEVEL 3
#define BATCH 1024u
#define QUEUE 1024u

static const struct {
  unsigned c, s;
} LEVELS[MAX_LEVEL + 1] = {{0, 0}, {13, 4}, {13, 2}, {13, 1}};

static unsigned windows(unsigned c) { return (256 + c - 1) / c; }
static unsigned tables(unsigned c, unsigned s) { return (windows(c) + s - 1) / s; }

size_t zg_kzg_precompute_bytes(unsigned level) {
  if (level == 0) return 0;
  if (level > MAX_LEVEL) level = MAX_LEVEL;
  return (size_t)NPTS * tables(LEVELS[level].c, LEVELS[level].s) * sizeof(zg__g1_aff_t);
}

/* ---------------------------------------------------------------- tables */

typedef struct {
  zg_kzg_settings_t *s;
  size_t begin, end;
} build_job_t;

/* Rows [begin, end): T[i][0] = P_i, T[i][j] = 2^(c s) T[i][j-1]. */
static void *build_rows(void *arg) {
  build_job_t *jb = arg;
  zg_kzg_settings_t *s = jb->s;
  unsigned wt = s->fb_windows, step = s->fb_bits * LEVELS[s->precompute].s;
  zg_g1_t row[32];
  for (size_t i = jb->begin; i < jb->end; i++) {
    row[0] = s->g1_lagrange_brp[i];
    for (unsigned j = 1; j < wt; j++) {
      row[j] = row[j - 1];
      for (unsigned k = 0; k < step; k++) zg_g1_dbl(&row[j], &row[j]);
    }
    zg_g1_normalize_batch(row, wt);
    for (unsigned j = 0; j < wt; j++) {
      s->fb_table[i * wt + j].x = row[j].x;
      s->fb_table[i * wt + j].y = row[j].y;
    }
  }
  return NULL;
}

zg_err_t zg__kzg_precompute(zg_kzg_settings_t *s, unsigned threads) {
  if (s->precompute > MAX_LEVEL) s->precompute = MAX_LEVEL;
  unsigned c = LEVELS[s->precompute].c, sp = LEVELS[s->precompute].s;
  s->fb_bits = c;
  s->fb_windows = tables(c, sp);
  s->fb_table = malloc(zg_kzg_precompute_bytes(s->precompute));
  if (!s->fb_table) return ZG_ENOMEM;
  /* Infinity cannot be stored affinely; the ceremony has none, and a setup
   * with one simply runs without tables. */
  for (size_t i = 0; i < NPTS; i++) {
    if (zg_g1_is_infinity(&s->g1_lagrange_brp[i])) {
      free(s->fb_table);
      s->fb_table = NULL;
      s->precompute = 0;
      return ZG_OK;
    }
  }
  if (threads < 1) threads = 1;
  if (threads > 8) threads = 8;
  pthread_t th[8];
  build_job_t jobs[8];
  bool started[8] = {false};
  for (unsigned t = 0; t < threads; t++) {
    jobs[t].s = s;
    jobs[t].begin = (size_t)NPTS * t / threads;
    jobs[t].end = (size_t)NPTS * (t + 1) / threads;
  }
  for (unsigned t = 1; t < threads; t++) started[t] = pthread_create(&th[t], NULL, build_rows, &jobs[t]) == 0;
  build_rows(&jobs[0]);
  for (unsigned t = 1; t < threads; t++) {
    if (started[t])
      pthread_join(th[t], NULL);
    else
      build_rows(&jobs[t]);
  }
  return ZG_OK;
}

/* ---------------------------------------------------------------- MSM */

typedef struct {
  uint32_t pt;  /* index into the table */
  uint32_t bkt; /* bucket index (|digit| - 1) */
  uint8_t neg;
} item_t;

/* Scratch of one fixed-base MSM. */
typedef struct {
  int16_t *dig;        /* NPTS * W digits */
  zg__g1_aff_t *bkt;   /* 2^(c-1) buckets */
  uint8_t *full;       /* bucket holds a point */
  uint32_t *stamp;     /* batch number that has a pending addition on the bucket */
  item_t *batch, *queue;
  zg_fp_t *den, *pre;  /* BATCH each */
  size_t nbatch, nqueue;
  uint32_t epoch;
} fb_t;

static size_t al64(size_t n) { return (n + 63) & ~(size_t)63; }

static size_t fb_bytes(unsigned c) {
  size_t nb = (size_t)1 << (c - 1);
  return 64 + al64((size_t)NPTS * windows(c) * sizeof(int16_t)) + al64(nb * sizeof(zg__g1_aff_t)) + al64(nb) +
         al64(nb * sizeof(uint32_t)) + al64((BATCH + QUEUE) * sizeof(item_t)) + 2 * al64(BATCH * sizeof(zg_fp_t));
}

static void fb_layout(fb_t *F, void *scratch, unsigned c) {
  size_t nb = (size_t)1 << (c - 1);
  uintptr_t p = ((uintptr_t)scratch + 63) & ~(uintptr_t)63;
  F->dig = (int16_t *)p;
  p += al64((size_t)NPTS * windows(c) * sizeof(int16_t));
  F->bkt = (zg__g1_aff_t *)p;
  p += al64(nb * sizeof(zg__g1_aff_t));
  F->full = (uint8_t *)p;
  p += al64(nb);
  F->stamp = (uint32_t *)p;
  p += al64(nb * sizeof(uint32_t));
  F->batch = (item_t *)p;
  F->queue = F->batch + BATCH;
  p += al64((BATCH + QUEUE) * sizeof(item_t));
  F->den = (zg_fp_t *)p;
  p += al64(BATCH * sizeof(zg_fp_t));
  F->pre = (zg_fp_t *)p;
}

size_t zg__kzg_lagrange_msm_scratch_size(const zg_kzg_settings_t *s) {
  size_t a = zg_g1_msm_scratch_size(NPTS);
  size_t b = s && s->fb_table ? fb_bytes(s->fb_bits) : 0;
  return a > b ? a : b;
}

/* Signed c-bit digits of k (< 2^255): W digits, sum d_w 2^(c w) = k. */
static void recode(int16_t *d, const zg_fr_t *k, unsigned c, unsigned W) {
  uint64_t v[5];
  zg_fr_to_u64s(v, k);
  v[4] = 0;
  int carry = 0;
  uint32_t half = 1u << (c - 1), mask = (1u << c) - 1;
  for (unsigned w = 0; w < W; w++) {
    unsigned bit = w * c, limb = bit / 64, sh = bit % 64;
    uint64_t x = v[limb] >> sh;
    if (sh + c > 64 && limb < 4) x |= v[limb + 1] << (64 - sh);
    int32_t digit = (int32_t)(x & mask) + carry;
    carry = digit > (int32_t)half;
    if (carry) digit -= (int32_t)(1u << c);
    d[w] = (int16_t)digit;
  }
}

/* Applies the batch: bucket += point for every item, with one inversion. */
static void flush(fb_t *F, const zg__g1_aff_t *tab) {
  size_t n = F->nbatch;
  if (n == 0) return;
  zg_fp_t acc = zg__fp_one, inv, t, lambda, x3, y;
  for (size_t k = 0; k < n; k++) {
    const item_t *it = &F->batch[k];
    zg__fp_sub(&F->den[k], &tab[it->pt].x, &F->bkt[it->bkt].x);
    F->pre[k] = acc;
    zg__fp_mul(&acc, &acc, &F->den[k]);
  }
  zg__fp_inv(&inv, &acc);
  for (size_t k = n; k-- > 0;) {
    const item_t *it = &F->batch[k];
    zg__g1_aff_t *b = &F->bkt[it->bkt];
    const zg__g1_aff_t *p = &tab[it->pt];
    zg__fp_mul(&t, &inv, &F->pre[k]); /* 1 / den[k] */
    zg__fp_mul(&inv, &inv, &F->den[k]);
    y = p->y;
    if (it->neg) zg__fp_neg(&y, &y);
    zg__fp_sub(&lambda, &y, &b->y);
    zg__fp_mul(&lambda, &lambda, &t);
    zg__fp_sqr(&x3, &lambda);
    zg__fp_sub(&x3, &x3, &b->x);
    zg__fp_sub(&x3, &x3, &p->x);
    zg__fp_sub(&t, &b->x, &x3);
    zg__fp_mul(&t, &t, &lambda);
    zg__fp_sub(&b->y, &t, &b->y);
    b->x = x3;
  }
  F->nbatch = 0;
  F->epoch++;
}

/* Puts one addition in the batch, or applies it at once when the bucket is
 * empty or the addition is a doubling or cancels. False when the bucket has
 * an addition pending (the caller queues it). */
static bool submit(fb_t *F, const zg__g1_aff_t *tab, const item_t *it) {
  if (F->stamp[it->bkt] == F->epoch) return false;
  zg__g1_aff_t *b = &F->bkt[it->bkt];
  const zg__g1_aff_t *p = &tab[it->pt];
  if (!F->full[it->bkt]) {
    b->x = p->x;
    b->y = p->y;
    if (it->neg) zg__fp_neg(&b->y, &b->y);
    F->full[it->bkt] = 1;
    return true;
  }
  if (zg__fp_eq(&b->x, &p->x)) {
    zg_fp_t y = p->y;
    if (it->neg) zg__fp_neg(&y, &y);
    if (!zg__fp_eq(&y, &b->y)) {
      F->full[it->bkt] = 0; /* P + (-P) */
      return true;
    }
    zg_g1_t j; /* doubling: rare enough for a Jacobian round trip */
    zg__g1_from_affine(&j, &b->x, &b->y);
    zg_g1_dbl(&j, &j);
    zg_g1_normalize(&j);
    b->x = j.x;
    b->y = j.y;
    return true;
  }
  F->stamp[it->bkt] = F->epoch;
  F->batch[F->nbatch++] = *it;
  if (F->nbatch == BATCH) flush(F, tab);
  return true;
}

/* One pass: sum over table points of digit (j s + t) times T[i][j]. */
static void pass(fb_t *F, const zg_kzg_settings_t *s, zg_g1_t *r, unsigned t) {
  unsigned c = s->fb_bits, W = windows(c), sp = LEVELS[s->precompute].s, wt = s->fb_windows;
  size_t nb = (size_t)1 << (c - 1);
  const zg__g1_aff_t *tab = s->fb_table;
  memset(F->full, 0, nb);
  memset(F->stamp, 0xff, nb * sizeof *F->stamp);
  F->epoch = 0;
  F->nbatch = F->nqueue = 0;
  for (size_t i = 0; i < NPTS; i++) {
    const int16_t *d = F->dig + i * W;
    for (unsigned j = 0; j < wt; j++) {
      unsigned w = j * sp + t;
      if (w >= W || d[w] == 0) continue;
      item_t it = {(uint32_t)(i * wt + j), (uint32_t)(d[w] < 0 ? -d[w] : d[w]) - 1, d[w] < 0};
      if (submit(F, tab, &it)) continue;
      if (F->nqueue == QUEUE) {
        flush(F, tab);
        size_t q = 0;
        for (size_t k = 0; k < F->nqueue; k++)
          if (!submit(F, tab, &F->queue[k])) F->queue[q++] = F->queue[k];
        F->nqueue = q;
      }
      if (!submit(F, tab, &it)) F->queue[F->nqueue++] = it;
    }
  }
  while (F->nqueue || F->nbatch) {
    flush(F, tab);
    size_t q = 0;
    for (size_t k = 0; k < F->nqueue; k++)
      if (!submit(F, tab, &F->queue[k])) F->queue[q++] = F->queue[k];
    F->nqueue = q;
  }
  /* sum_b (b + 1) B_b by running sums from the top bucket down. */
  zg_g1_t run, sum;
  zg_g1_set_infinity(&run);
  zg_g1_set_infinity(&sum);
  for (size_t b = nb; b-- > 0;) {
    if (F->full[b]) zg__g1_madd_var(&run, &run, &F->bkt[b].x, &F->bkt[b].y);
    zg__g1_add_var(&sum, &sum, &run);
  }
  *r = sum;
}

void zg__kzg_lagrange_msm(const zg_kzg_settings_t *s, zg_g1_t *r, const zg_fr_t *scalars, void *scratch) {
  if (!s->fb_table) {
    zg_g1_msm_var(r, s->g1_lagrange_brp, scalars, NPTS, scratch);
    return;
  }
  fb_t F;
  unsigned c = s->fb_bits, W = windows(c), sp = LEVELS[s->precompute].s;
  fb_layout(&F, scratch, c);
  for (size_t i = 0; i < NPTS; i++) recode(F.dig + i * W, &scalars[i], c, W);
  zg_g1_t acc, part;
  zg_g1_set_infinity(&acc);
  for (unsigned t = sp; t-- > 0;) {
    for (unsigned k = 0; k < c && !zg_g1_is_infinity(&acc); k++) zg_g1_dbl(&acc, &acc);
    pass(&F, s, &part, t);
    zg__g1_add_var(&acc, &acc, &part);
  }
  *r = acc;
}

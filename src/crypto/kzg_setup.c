/*
 * kzg_setup.c — loading the Ethereum KZG trusted setup (text format) into a
 * zg_kzg_settings_t, and the optional fixed-base precomputation.
 *
 * The text is tokenized once on the calling thread (white-space separated
 * tokens: the two counts, then 4096 + 65 + 4096 hex points). Decompressing
 * and checking the 8257 points is what costs (a square root and a subgroup
 * test each), so that part is split into contiguous ranges over worker
 * threads; each worker records its first failure and the lowest failing
 * index wins, so the error message does not depend on the thread count.
 * After the checks, the Lagrange points are put in bit-reversed order as
 * the spec requires and everything is normalized to Z = 1.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/kzg_internal.h"

#define NG1 ZG__KZG_N
#define NG2 ZG_KZG_SETUP_G2_LENGTH
#define NPOINTS (2 * NG1 + NG2)
#define MAX_THREADS 8

/* Writes a formatted reason into msg (if any) and returns code. */
static zg_err_t fail(char *msg, size_t msglen, zg_err_t code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static zg_err_t fail(char *msg, size_t msglen, zg_err_t code, const char *fmt, ...) {
  if (msg && msglen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
  }
  return code;
}

/* ---------------------------------------------------------------- tokens */

typedef struct {
  const char *p;
  size_t len;
} token_t;

static bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

/* 1-based line number of position pos in text. */
static size_t line_of(const char *text, const char *pos) {
  size_t line = 1;
  for (const char *c = text; c < pos; c++) line += *c == '\n';
  return line;
}

/* Splits text into up to max tokens; returns the count found (max + 1 when
 * there are more). */
static size_t tokenize(token_t *tok, size_t max, const char *text, size_t len) {
  size_t n = 0, i = 0;
  while (i < len) {
    while (i < len && is_space(text[i])) i++;
    if (i == len) break;
    size_t start = i;
    while (i < len && !is_space(text[i])) i++;
    if (n == max) return max + 1;
    tok[n].p = text + start;
    tok[n].len = i - start;
    n++;
  }
  return n;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes exactly 2*n hex digits (no prefix); false on a bad digit. */
static bool unhex(uint8_t *out, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
    if ((hi | lo) < 0) return false;
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  return true;
}

/* ---------------------------------------------------------------- points */

/* The point with global index k: [0, NG1) Lagrange G1, [NG1, NG1 + NG2) G2,
 * then monomial G1. */
typedef struct {
  const token_t *tok; /* the NPOINTS point tokens */
  zg_kzg_settings_t *s;
  size_t begin, end;
  atomic_size_t *first_bad; /* lowest failing index over all jobs, shared */
  size_t bad;     /* first failing index, or NPOINTS */
  zg_err_t code;  /* its code: ZG_EHEX for bad hex, ZG_EBADLEN, else the deserializer's */
} job_t;

static zg_err_t load_point(zg_kzg_settings_t *s, const token_t *t, size_t k) {
  uint8_t buf[ZG_G2_COMPRESSED_LEN];
  bool g2 = k >= NG1 && k < NG1 + NG2;
  size_t blen = g2 ? ZG_G2_COMPRESSED_LEN : ZG_G1_COMPRESSED_LEN;
  if (t->len != 2 * blen) return ZG_EBADLEN;
  if (!unhex(buf, t->p, blen)) return ZG_EHEX;
  if (g2) return zg_g2_deserialize(&s->g2_monomial[k - NG1], buf, blen);
  zg_g1_t *dst = k < NG1 ? &s->g1_lagrange_brp[k] : &s->g1_monomial[k - NG1 - NG2];
  return zg_g1_deserialize(dst, buf, blen);
}

static void *run_job(void *arg) {
  job_t *j = arg;
  for (size_t k = j->begin; k < j->end; k++) {
    /* A failure below k decides the result: no need to go on. */
    if (atomic_load_explicit(j->first_bad, memory_order_relaxed) < k) break;
    zg_err_t e = load_point(j->s, &j->tok[k], k);
    if (e != ZG_OK) {
      j->bad = k;
      j->code = e;
      size_t cur = atomic_load(j->first_bad);
      while (k < cur && !atomic_compare_exchange_weak(j->first_bad, &cur, k)) {
      }
      break;
    }
  }
  return NULL;
}

static unsigned pick_threads(const zg_kzg_load_opts_t *opts) {
  unsigned t = opts ? opts->threads : 0;
  if (t == 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    t = n > 0 ? (unsigned)n : 1;
  }
  return t > MAX_THREADS ? MAX_THREADS : t;
}

/* Decompresses all points with nthreads workers (the caller is one of
 * them); returns the job that holds the lowest failure, or NULL. */
static const job_t *load_points(job_t *jobs, unsigned nthreads, zg_kzg_settings_t *s, const token_t *tok) {
  pthread_t th[MAX_THREADS];
  bool started[MAX_THREADS] = {false};
  atomic_size_t first_bad;
  atomic_init(&first_bad, (size_t)NPOINTS);
  for (unsigned i = 0; i < nthreads; i++) {
    jobs[i].first_bad = &first_bad;
    jobs[i].tok = tok;
    jobs[i].s = s;
    jobs[i].begin = (size_t)NPOINTS * i / nthreads;
    jobs[i].end = (size_t)NPOINTS * (i + 1) / nthreads;
    jobs[i].bad = NPOINTS;
    jobs[i].code = ZG_OK;
  }
  for (unsigned i = 1; i < nthreads; i++) started[i] = pthread_create(&th[i], NULL, run_job, &jobs[i]) == 0;
  run_job(&jobs[0]);
  for (unsigned i = 1; i < nthreads; i++) {
    if (started[i])
      pthread_join(th[i], NULL);
    else
      run_job(&jobs[i]); /* no thread: do its share here */
  }
  const job_t *worst = NULL;
  for (unsigned i = 0; i < nthreads; i++)
    if (jobs[i].code != ZG_OK && (!worst || jobs[i].bad < worst->bad)) worst = &jobs[i];
  return worst;
}

static const char *point_name(size_t k, size_t *idx) {
  if (k < NG1) {
    *idx = k;
    return "G1 Lagrange";
  }
  if (k < NG1 + NG2) {
    *idx = k - NG1;
    return "G2 monomial";
  }
  *idx = k - NG1 - NG2;
  return "G1 monomial";
}

/* ---------------------------------------------------------------- settings */

void zg_kzg_settings_destroy(zg_kzg_settings_t *s) {
  if (!s) return;
  free(s->g1_lagrange_brp);
  free(s->g1_monomial);
  free(s->g2_monomial);
  free(s->roots_brp);
  free(s->fb_table);
  zg_fft_domain_destroy(s->domain);
  free(s);
}

static zg_err_t alloc_settings(zg_kzg_settings_t **out) {
  zg_kzg_settings_t *s = calloc(1, sizeof *s);
  if (!s) return ZG_ENOMEM;
  s->g1_lagrange_brp = malloc(NG1 * sizeof *s->g1_lagrange_brp);
  s->g1_monomial = malloc(NG1 * sizeof *s->g1_monomial);
  s->g2_monomial = malloc(NG2 * sizeof *s->g2_monomial);
  s->roots_brp = malloc(NG1 * sizeof *s->roots_brp);
  zg_err_t e = zg_fft_domain_create(&s->domain, ZG_KZG_FIELD_ELEMENTS_PER_EXT_BLOB);
  if (e != ZG_OK || !s->g1_lagrange_brp || !s->g1_monomial || !s->g2_monomial || !s->roots_brp) {
    zg_kzg_settings_destroy(s);
    return ZG_ENOMEM;
  }
  *out = s;
  return ZG_OK;
}

/* Parses a decimal count token; false unless it is exactly want. */
static bool count_is(const token_t *t, unsigned long want) {
  if (t->len == 0 || t->len > 9) return false;
  unsigned long v = 0;
  for (size_t i = 0; i < t->len; i++) {
    if (t->p[i] < '0' || t->p[i] > '9') return false;
    v = v * 10 + (unsigned long)(t->p[i] - '0');
  }
  return v == want;
}

/* Bit-reversal, roots, normalization: everything after the points parsed. */
static zg_err_t finish(zg_kzg_settings_t *s, const zg_kzg_load_opts_t *opts, unsigned threads) {
  ZG_TRY(zg_bit_reversal_permute(s->g1_lagrange_brp, NG1, sizeof *s->g1_lagrange_brp));
  zg_g1_normalize_batch(s->g1_lagrange_brp, NG1);
  zg_g1_normalize_batch(s->g1_monomial, NG1);
  zg_g2_normalize_batch(s->g2_monomial, NG2);
  for (uint32_t i = 0; i < NG1; i++) s->roots_brp[i] = s->domain->roots[2 * zg_reverse_bits(i, 12)];
  s->precompute = opts ? opts->precompute : 0;
  if (s->precompute) ZG_TRY(zg__kzg_precompute(s, threads));
  return ZG_OK;
}

zg_err_t zg_kzg_settings_load_text(zg_kzg_settings_t **out, const char *text, size_t len,
                                   const zg_kzg_load_opts_t *opts, char *msg, size_t msglen) {
  if (msg && msglen) msg[0] = 0;
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!text && len) return ZG_EINVAL;
  zg_err_t err = ZG_OK;
  zg_kzg_settings_t *s = NULL;
  job_t jobs[MAX_THREADS];
  token_t *tok = malloc((NPOINTS + 3) * sizeof *tok);
  if (!tok) return fail(msg, msglen, ZG_ENOMEM, "out of memory");
  size_t ntok = tokenize(tok, NPOINTS + 3, text, len); /* one extra to see trailing data */
  if (ntok < 2) {
    err = fail(msg, msglen, ZG_ESETUP, "truncated: missing the point counts");
    goto out;
  }
  if (!count_is(&tok[0], NG1) || !count_is(&tok[1], NG2)) {
    err = fail(msg, msglen, ZG_ESETUP, "line %zu: expected the counts %d and %d, got '%.*s' and '%.*s'",
               line_of(text, tok[0].p), NG1, NG2, (int)(tok[0].len > 20 ? 20 : tok[0].len), tok[0].p,
               (int)(tok[1].len > 20 ? 20 : tok[1].len), tok[1].p);
    goto out;
  }
  if (ntok < NPOINTS + 2) {
    size_t idx;
    const char *what = point_name(ntok - 2, &idx);
    err = fail(msg, msglen, ZG_ESETUP, "truncated: %zu points of %d, first missing: %s point %zu", ntok - 2,
               NPOINTS, what, idx);
    goto out;
  }
  if (ntok > NPOINTS + 2) {
    err = fail(msg, msglen, ZG_ESETUP, "line %zu: unexpected data after the last point",
               line_of(text, tok[NPOINTS + 2].p));
    goto out;
  }
  err = alloc_settings(&s);
  if (err != ZG_OK) {
    err = fail(msg, msglen, err, "out of memory");
    goto out;
  }
  unsigned nthreads = pick_threads(opts);
  const job_t *bad = load_points(jobs, nthreads, s, tok + 2);
  if (bad) {
    size_t idx;
    const char *what = point_name(bad->bad, &idx);
    const char *why = bad->code == ZG_EHEX     ? "bad hex digit"
                      : bad->code == ZG_EBADLEN ? "wrong length"
                                                : zg_strerror(bad->code);
    err = fail(msg, msglen, ZG_ESETUP, "line %zu: %s point %zu: %s", line_of(text, tok[2 + bad->bad].p), what,
               idx, why);
    goto out;
  }
  err = finish(s, opts, nthreads);
  if (err != ZG_OK) {
    err = fail(msg, msglen, err, "precomputation failed: %s", zg_strerror(err));
    goto out;
  }
  *out = s;
  s = NULL;
out:
  zg_kzg_settings_destroy(s);
  free(tok);
  return err;
}

zg_err_t zg_kzg_settings_load_file(zg_kzg_settings_t **out, const char *path, const zg_kzg_load_opts_t *opts,
                                   char *msg, size_t msglen) {
  if (msg && msglen) msg[0] = 0;
  if (!out) return ZG_EINVAL;
  *out = NULL;
  if (!path) return ZG_EINVAL;
  FILE *f = fopen(path, "rb");
  if (!f) return fail(msg, msglen, ZG_EIO, "cannot open %s", path);
  char *buf = NULL;
  size_t n = 0, cap = 0;
  zg_err_t err = ZG_OK;
  for (;;) {
    if (cap - n < 65536) {
      cap = cap ? cap * 2 : 1 << 20;
      if (cap > ((size_t)64 << 20)) { /* the real file is 0.8 MB */
        err = fail(msg, msglen, ZG_ESETUP, "%s: file too large", path);
        break;
      }
      char *p = realloc(buf, cap);
      if (!p) {
        err = fail(msg, msglen, ZG_ENOMEM, "out of memory");
        break;
      }
      buf = p;
    }
    size_t r = fread(buf + n, 1, cap - n, f);
    n += r;
    if (r == 0) {
      if (ferror(f)) err = fail(msg, msglen, ZG_EIO, "cannot read %s", path);
      break;
    }
  }
  fclose(f);
  if (err == ZG_OK) err = zg_kzg_settings_load_text(out, buf, n, opts, msg, msglen);
  free(buf);
  return err;
}

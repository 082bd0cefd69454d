/*
 * metrics.c — the registry of zg/metrics.h.
 *
 * Layout: families (name, help, type, bounds) in registration order, each
 * with a list of series; a series holds atomics only, so updates never lock.
 * A histogram's sum is a double kept in an atomic 64-bit word updated with
 * compare-and-swap. Rendering reads each atomic once (a scrape is not a
 * snapshot across series, as in every Prometheus client).
 */
#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/metrics.h"

typedef enum { KIND_COUNTER, KIND_GAUGE, KIND_HISTOGRAM } kind_t;

struct zg_metric {
  struct zg_metric *next; /* next series of the family */
  kind_t kind;
  char *labels; /* NULL or "k=\"v\"" */
  _Atomic int64_t value;  /* counter, gauge; histogram: count */
  _Atomic uint64_t sum_bits;
  size_t nb;
  _Atomic uint64_t buckets[ZG_METRICS_MAX_BUCKETS]; /* non-cumulative counts per bound */
  const double *bounds; /* the family's */
};

typedef struct family {
  struct family *next;
  char *name, *help;
  kind_t kind;
  size_t nb;
  double bounds[ZG_METRICS_MAX_BUCKETS];
  zg_metric_t *series, **tail;
} family_t;

struct zg_metrics {
  pthread_mutex_t mu;
  family_t *head, **tail;
};

const double zg_metrics_latency_buckets[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10, 30};
const size_t zg_metrics_latency_nbuckets = sizeof zg_metrics_latency_buckets / sizeof(double);

zg_err_t zg_metrics_create(zg_metrics_t **out) {
  *out = calloc(1, sizeof **out);
  if (!*out) return ZG_ENOMEM;
  pthread_mutex_init(&(*out)->mu, NULL);
  (*out)->tail = &(*out)->head;
  return ZG_OK;
}

void zg_metrics_destroy(zg_metrics_t *m) {
  if (!m) return;
  for (family_t *f = m->head, *fn; f; f = fn) {
    fn = f->next;
    for (zg_metric_t *s = f->series, *sn; s; s = sn) {
      sn = s->next;
      free(s->labels);
      free(s);
    }
    free(f->name);
    free(f->help);
    free(f);
  }
  pthread_mutex_destroy(&m->mu);
  free(m);
}

static bool name_ok(const char *s) {
  if (!s || !*s) return false;
  for (const char *p = s; *p; p++) {
    char c = *p;
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(p != s && c >= '0' && c <= '9')) return false;
  }
  return true;
}

/* k="v"(,k="v")*: label names are identifiers, values have no raw quote,
 * newline or unescaped backslash. */
static bool labels_ok(const char *s) {
  if (!s) return true;
  const char *p = s;
  for (;;) {
    const char *k = p;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' || (p != k && *p >= '0' && *p <= '9'))
      p++;
    if (p == k || *p++ != '=' || *p++ != '"') return false;
    while (*p && *p != '"' && *p != '\n') {
      if (*p == '\\') {
        p++;
        if (*p != '\\' && *p != '"' && *p != 'n') return false;
      }
      p++;
    }
    if (*p++ != '"') return false;
    if (*p == '\0') return true;
    if (*p++ != ',') return false;
  }
}

static zg_err_t reg(zg_metrics_t *m, zg_metric_t **out, kind_t kind, const char *name, const char *help,
                    const char *labels, const double *bounds, size_t nb) {
  *out = NULL;
  if (!m || !name_ok(name) || !help || strchr(help, '\n') || !labels_ok(labels)) return ZG_EINVAL;
  if (kind == KIND_HISTOGRAM) {
    if (!bounds || nb == 0 || nb > ZG_METRICS_MAX_BUCKETS) return ZG_EINVAL;
    for (size_t i = 0; i < nb; i++)
      if (!isfinite(bounds[i]) || (i && bounds[i] <= bounds[i - 1])) return ZG_EINVAL;
  }
  zg_err_t e = ZG_OK;
  pthread_mutex_lock(&m->mu);
  family_t *f = m->head;
  while (f && strcmp(f->name, name) != 0) f = f->next;
  if (f) {
    if (f->kind != kind || (kind == KIND_HISTOGRAM && (f->nb != nb || memcmp(f->bounds, bounds, nb * sizeof(double)))))
      e = ZG_ETYPE;
  } else {
    f = calloc(1, sizeof *f);
    if (f) {
      f->name = strdup(name);
      f->help = strdup(help);
    }
    if (!f || !f->name || !f->help) {
      if (f) free(f->name), free(f->help), free(f);
      e = ZG_ENOMEM;
    } else {
      f->kind = kind;
      f->nb = nb;
      if (nb) memcpy(f->bounds, bounds, nb * sizeof(double));
      f->tail = &f->series;
      *m->tail = f;
      m->tail = &f->next;
    }
  }
  if (e != ZG_OK) goto out;
  zg_metric_t *s = f->series;
  while (s && !((!s->labels && !labels) || (s->labels && labels && strcmp(s->labels, labels) == 0))) s = s->next;
  if (!s) {
    s = calloc(1, sizeof *s);
    if (!s || (labels && !(s->labels = strdup(labels)))) {
      free(s);
      e = ZG_ENOMEM;
      goto out;
    }
    s->kind = kind;
    s->nb = nb;
    s->bounds = f->bounds;
    *f->tail = s;
    f->tail = &s->next;
  }
  *out = s;
out:
  pthread_mutex_unlock(&m->mu);
  return e;
}

zg_err_t zg_metrics_counter(zg_metrics_t *m, zg_metric_t **out, const char *name, const char *help,
                            const char *labels) {
  return reg(m, out, KIND_COUNTER, name, help, labels, NULL, 0);
}

zg_err_t zg_metrics_gauge(zg_metrics_t *m, zg_metric_t **out, const char *name, const char *help,
                          const char *labels) {
  return reg(m, out, KIND_GAUGE, name, help, labels, NULL, 0);
}

zg_err_t zg_metrics_histogram(zg_metrics_t *m, zg_metric_t **out, const char *name, const char *help,
                              const char *labels, const double *bounds, size_t nb) {
  return reg(m, out, KIND_HISTOGRAM, name, help, labels, bounds, nb);
}

void zg_counter_add(zg_metric_t *c, uint64_t n) {
  if (c) atomic_fetch_add_explicit(&c->value, (int64_t)n, memory_order_relaxed);
}

void zg_gauge_set(zg_metric_t *g, int64_t v) {
  if (g) atomic_store_explicit(&g->value, v, memory_order_relaxed);
}

void zg_gauge_add(zg_metric_t *g, int64_t d) {
  if (g) atomic_fetch_add_explicit(&g->value, d, memory_order_relaxed);
}

void zg_histogram_observe(zg_metric_t *h, double v) {
  if (!h || isnan(v)) return;
  size_t i = 0;
  while (i < h->nb && v > h->bounds[i]) i++;
  if (i < h->nb) atomic_fetch_add_explicit(&h->buckets[i], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&h->value, 1, memory_order_relaxed);
  uint64_t old = atomic_load_explicit(&h->sum_bits, memory_order_relaxed), nw;
  do {
    double d;
    memcpy(&d, &old, sizeof d);
    d += v;
    memcpy(&nw, &d, sizeof nw);
  } while (!atomic_compare_exchange_weak_explicit(&h->sum_bits, &old, nw, memory_order_relaxed,
                                                  memory_order_relaxed));
}

int64_t zg_metric_value(const zg_metric_t *x) {
  return x ? atomic_load_explicit(&((zg_metric_t *)x)->value, memory_order_relaxed) : 0;
}

static zg_err_t appendf(zg_buf_t *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static zg_err_t appendf(zg_buf_t *out, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return ZG_EINVAL;
  if ((size_t)n < sizeof tmp) return zg_buf_append(out, tmp, (size_t)n);
  /* Long label sets: format again into the buffer itself. */
  ZG_TRY(zg_buf_reserve(out, (size_t)n + 1));
  va_start(ap, fmt);
  vsnprintf((char *)out->ptr + out->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  out->len += (size_t)n;
  return ZG_OK;
}

/* A double as Prometheus prints it: +Inf, or the shortest round-trip form. */
static void fmt_double(char *s, size_t cap, double v) {
  if (isinf(v)) {
    snprintf(s, cap, v > 0 ? "+Inf" : "-Inf");
    return;
  }
  if (v == floor(v) && fabs(v) < 9007199254740992.0) {
    snprintf(s, cap, "%.0f", v);
    return;
  }
  snprintf(s, cap, "%.17g", v);
  for (int prec = 1; prec < 17; prec++) {
    char t[40];
    snprintf(t, sizeof t, "%.*g", prec, v);
    if (strtod(t, NULL) == v) {
      snprintf(s, cap, "%s", t);
      return;
    }
  }
}

static zg_err_t render_series(zg_buf_t *out, const family_t *f, zg_metric_t *s) {
  const char *l = s->labels;
  if (f->kind != KIND_HISTOGRAM) {
    int64_t v = atomic_load_explicit(&s->value, memory_order_relaxed);
    return l ? appendf(out, "%s{%s} %lld\n", f->name, l, (long long)v)
             : appendf(out, "%s %lld\n", f->name, (long long)v);
  }
  uint64_t cum = 0;
  char b[48];
  for (size_t i = 0; i < f->nb; i++) {
    cum += atomic_load_explicit(&s->buckets[i], memory_order_relaxed);
    fmt_double(b, sizeof b, f->bounds[i]);
    ZG_TRY(appendf(out, "%s_bucket{%s%sle=\"%s\"} %llu\n", f->name, l ? l : "", l ? "," : "", b,
                   (unsigned long long)cum));
  }
  int64_t count = atomic_load_explicit(&s->value, memory_order_relaxed);
  if ((uint64_t)count < cum) count = (int64_t)cum; /* a racing observe: keep +Inf >= every bucket */
  ZG_TRY(appendf(out, "%s_bucket{%s%sle=\"+Inf\"} %lld\n", f->name, l ? l : "", l ? "," : "", (long long)count));
  uint64_t bits = atomic_load_explicit(&s->sum_bits, memory_order_relaxed);
  double sum;
  memcpy(&sum, &bits, sizeof sum);
  fmt_double(b, sizeof b, sum);
  if (l) {
    ZG_TRY(appendf(out, "%s_sum{%s} %s\n", f->name, l, b));
    return appendf(out, "%s_count{%s} %lld\n", f->name, l, (long long)count);
  }
  ZG_TRY(appendf(out, "%s_sum %s\n", f->name, b));
  return appendf(out, "%s_count %lld\n", f->name, (long long)count);
}

zg_err_t zg_metrics_render(zg_metrics_t *m, zg_buf_t *out) {
  static const char *const types[] = {"counter", "gauge", "histogram"};
  if (!m || !out) return ZG_EINVAL;
  zg_err_t e = ZG_OK;
  pthread_mutex_lock(&m->mu);
  for (family_t *f = m->head; f && e == ZG_OK; f = f->next) {
    e = appendf(out, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help, f->name, types[f->kind]);
    for (zg_metric_t *s = f->series; s && e == ZG_OK; s = s->next) e = render_series(out, f, s);
  }
  pthread_mutex_unlock(&m->mu);
  return e;
}

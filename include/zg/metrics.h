/*
 * zg/metrics.h — a small metrics registry (counters, gauges, histograms with
 * fixed buckets) rendered in the Prometheus text exposition format 0.0.4
 * (src/rpc/metrics.c).
 *
 * A metric is a (name, labels) series: labels is either NULL or a fixed
 * label set in Prometheus syntax without braces, e.g. `method="zgs_getStatus"`.
 * Series with the same name form one family and must share its type and
 * help text (the first registration sets them). Registration is idempotent:
 * registering an existing (name, labels) returns the same metric, so hot
 * paths can look per-method series up lazily.
 *
 * Threads: updates are lock-free atomics; registration and rendering take
 * the registry's mutex. Metric pointers stay valid until the registry is
 * destroyed.
 */
#ifndef ZG_METRICS_H
#define ZG_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"

typedef struct zg_metrics zg_metrics_t;
typedef struct zg_metric zg_metric_t;

#define ZG_METRICS_MAX_BUCKETS 24

/* Default latency buckets in seconds: 100 us .. 30 s. */
extern const double zg_metrics_latency_buckets[];
extern const size_t zg_metrics_latency_nbuckets;

/* Creates an empty registry. ZG_ENOMEM. */
ZG_WARN_UNUSED zg_err_t zg_metrics_create(zg_metrics_t **out);
/* Frees the registry and every metric in it. NULL is fine. */
void zg_metrics_destroy(zg_metrics_t *m);

/*
 * Registers (or finds) a series. name: [a-zA-Z_:][a-zA-Z0-9_:]*; help: one
 * line of text; labels: NULL or `k="v",k2="v2"` (copied). For a histogram,
 * bounds are nb (1..ZG_METRICS_MAX_BUCKETS) strictly increasing upper bounds
 * (+Inf is implicit). *out is borrowed from m. ZG_EINVAL for a bad name,
 * labels or bounds; ZG_ETYPE when the family exists with another type or
 * other bounds; ZG_ENOMEM.
 */
ZG_WARN_UNUSED zg_err_t zg_metrics_counter(zg_metrics_t *m, zg_metric_t **out, const char *name, const char *help,
                                           const char *labels);
ZG_WARN_UNUSED zg_err_t zg_metrics_gauge(zg_metrics_t *m, zg_metric_t **out, const char *name, const char *help,
                                         const char *labels);
ZG_WARN_UNUSED zg_err_t zg_metrics_histogram(zg_metrics_t *m, zg_metric_t **out, const char *name,
                                             const char *help, const char *labels, const double *bounds,
                                             size_t nb);

/* Updates; each is a no-op on NULL (so an optional metric needs no check). */
void zg_counter_add(zg_metric_t *c, uint64_t n);
void zg_gauge_set(zg_metric_t *g, int64_t v);
void zg_gauge_add(zg_metric_t *g, int64_t d);
/* Records one observation v (seconds, bytes, ...). NaN is ignored. */
void zg_histogram_observe(zg_metric_t *h, double v);

/* Current value of a counter or gauge (a histogram's count). 0 for NULL. */
int64_t zg_metric_value(const zg_metric_t *x);

/* Appends the whole registry in the text exposition format, families in
 * registration order, series in registration order within a family. */
ZG_WARN_UNUSED zg_err_t zg_metrics_render(zg_metrics_t *m, zg_buf_t *out);

#endif

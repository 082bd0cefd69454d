/*
 * zg/log.h — levelled logging with monotonic timestamps and component tags.
 *
 * Lines go to stderr (or a FILE set with zg_log_set_output), one per call, as
 * text ("  12.345678 INFO  [chain] message") or JSON lines
 * ({"t":12.345678,"level":"info","comp":"chain","msg":"..."}). The timestamp
 * is seconds since the process first logged, from CLOCK_MONOTONIC. Calls are
 * thread-safe (each line is written with one locked fputs).
 */
#ifndef ZG_LOG_H
#define ZG_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "zg/err.h"

typedef enum { ZG_LOG_TRACE, ZG_LOG_DEBUG, ZG_LOG_INFO, ZG_LOG_WARN, ZG_LOG_ERROR, ZG_LOG_OFF } zg_log_level_t;
typedef enum { ZG_LOG_TEXT, ZG_LOG_JSON } zg_log_format_t;

void zg_log_set_level(zg_log_level_t level);
zg_log_level_t zg_log_get_level(void);
void zg_log_set_format(zg_log_format_t fmt);
/* Borrowed: f must stay open while logging goes on. NULL restores stderr. */
void zg_log_set_output(FILE *f);
/* Parses "trace|debug|info|warn|error|off". ZG_EINVAL on anything else. */
ZG_WARN_UNUSED zg_err_t zg_log_level_parse(zg_log_level_t *out, const char *s);

#if defined(__GNUC__) || defined(__clang__)
#define ZG__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ZG__PRINTF(a, b)
#endif
void zg_log(zg_log_level_t level, const char *comp, const char *fmt, ...) ZG__PRINTF(3, 4);

#define ZG_LOG_ENABLED(lvl) ((lvl) >= zg_log_get_level())
#define zg_logd(comp, ...) do { if (ZG_LOG_ENABLED(ZG_LOG_DEBUG)) zg_log(ZG_LOG_DEBUG, comp, __VA_ARGS__); } while (0)
#define zg_logi(comp, ...) zg_log(ZG_LOG_INFO, comp, __VA_ARGS__)
#define zg_logw(comp, ...) zg_log(ZG_LOG_WARN, comp, __VA_ARGS__)
#define zg_loge(comp, ...) zg_log(ZG_LOG_ERROR, comp, __VA_ARGS__)

/* Monotonic clock in nanoseconds (CLOCK_MONOTONIC). */
uint64_t zg_clock_ns(void);

#endif

/*
 * log.c — levelled text/JSON logging with monotonic timestamps (zg/log.h).
 * Each line is formatted into a local buffer and written with one fputs under
 * the stream lock, so concurrent threads never interleave within a line.
 */
#include "zg/log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

static zg_log_level_t g_level = ZG_LOG_INFO;
static zg_log_format_t g_format = ZG_LOG_TEXT;
static FILE *g_out;
static uint64_t g_t0;

static const char *const level_names[] = {"trace", "debug", "info", "warn", "error", "off"};

void zg_log_set_level(zg_log_level_t level) { g_level = level; }
zg_log_level_t zg_log_get_level(void) { return g_level; }
void zg_log_set_format(zg_log_format_t fmt) { g_format = fmt; }
void zg_log_set_output(FILE *f) { g_out = f; }

zg_err_t zg_log_level_parse(zg_log_level_t *out, const char *s) {
  for (int i = 0; i <= ZG_LOG_OFF; i++) {
    if (s && strcmp(s, level_names[i]) == 0) {
      *out = (zg_log_level_t)i;
      return ZG_OK;
    }
  }
  return ZG_EINVAL;
}

uint64_t zg_clock_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Appends s to the JSON line with the escapes JSON requires. */
static size_t json_escape(char *dst, size_t cap, const char *s) {
  size_t o = 0;
  for (; *s && o + 7 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      dst[o++] = '\\';
      dst[o++] = (char)c;
    } else if (c < 0x20) {
      o += (size_t)snprintf(dst + o, cap - o, "\\u%04x", c);
    } else {
      dst[o++] = (char)c;
    }
  }
  dst[o] = 0;
  return o;
}

void zg_log(zg_log_level_t level, const char *comp, const char *fmt, ...) {
  if (level < g_level || level >= ZG_LOG_OFF) return;
  uint64_t now = zg_clock_ns();
  if (!g_t0) g_t0 = now;
  double t = (double)(now - g_t0) / 1e9;
  char msg[2048], line[4608];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (g_format == ZG_LOG_JSON) {
    char esc[4200];
    json_escape(esc, sizeof esc, msg);
    snprintf(line, sizeof line, "{\"t\":%.6f,\"level\":\"%s\",\"comp\":\"%s\",\"msg\":\"%s\"}\n", t,
             level_names[level], comp ? comp : "", esc);
  } else {
    snprintf(line, sizeof line, "%12.6f %-5s [%s] %s\n", t, level_names[level], comp ? comp : "-", msg);
  }
  FILE *f = g_out ? g_out : stderr;
  flockfile(f);
  fputs(line, f);
  fflush(f);
  funlockfile(f);
}

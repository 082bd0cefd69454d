/*
 * zg/config.h — configuration files: JSON objects read through typed getters
 * by dotted path ("rpc.addr", "storage.shard.numShard"), with defaults,
 * environment overrides and a strict check against the known keys.
 *
 * Why JSON: jansson is already the JSON library of the RPC layer, so one
 * parser serves both; it is strict (duplicate keys are rejected here, invalid
 * UTF-8 too) and configuration files need no comments. docs/config.md is the
 * user-facing description (format, example, every rule).
 *
 * Rules in short:
 *   - the file is one JSON object; a key may not be empty or contain '.';
 *     a JSON null means "absent" (the getter's default applies);
 *   - a missing key gives the default and ZG_OK; a value of the wrong JSON
 *     type is ZG_ETYPE; a malformed string (a bad duration, size or
 *     environment value) is ZG_ECONFIG; a number outside the type's range is
 *     ZG_ERANGE. On any error the output is set to the default and the
 *     message (naming the file, the key and what was expected) is kept in
 *     the config, see zg_config_error();
 *   - environment: for a scalar getter on path P, the variable ZG_<P> (P
 *     upper-cased, every character that is not a letter or digit turned into
 *     '_': "rpc.addr" -> ZG_RPC_ADDR) overrides the file when it is set, and
 *     is parsed as the getter's type. String arrays are not overridable.
 *
 * Threads: a config is read at start-up; getters record their last error and
 * may allocate (strings from the environment, arrays), so a config must not
 * be used by two threads at once.
 */
#ifndef ZG_CONFIG_H
#define ZG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/err.h"

typedef struct zg_config zg_config_t;

/* Load flags. */
#define ZG_CONFIG_NO_ENV 1u /* ignore ZG_* environment overrides */

/* Reads and parses the JSON file at path. On success *out is a new config
 * (free it with zg_config_destroy). On failure *out is NULL and, when err is
 * not NULL, a message of at most errlen-1 bytes is written to err, e.g.
 * "node.json:3:15: string or '}' expected near 'x'" (file:line:column).
 * ZG_EIO when the file cannot be read; ZG_EJSON on malformed JSON; ZG_ECONFIG
 * when the top level is not an object or a key is empty or holds a '.';
 * ZG_ENOMEM. flags: 0 or ZG_CONFIG_NO_ENV. */
ZG_WARN_UNUSED zg_err_t zg_config_load_file(zg_config_t **out, char *err, size_t errlen, const char *path,
                                            unsigned flags);
/* Same as zg_config_load_file over len bytes of text (borrowed for the call
 * only); name is used in messages (a file name, or "<string>" when NULL). */
ZG_WARN_UNUSED zg_err_t zg_config_load_string(zg_config_t **out, char *err, size_t errlen, const char *name,
                                              const char *text, size_t len, unsigned flags);
/* Frees the config and everything getters returned from it. NULL is fine. */
void zg_config_destroy(zg_config_t *c);

/* The message of the last failed getter or check ("" when none); valid until
 * the next call on c. */
const char *zg_config_error(const zg_config_t *c);
/* The name given at load (the file path). */
const char *zg_config_name(const zg_config_t *c);
/* True when path is set to a non-null value in the file, or overridden by the
 * environment. */
bool zg_config_has(zg_config_t *c, const char *path);

/* Typed getters. Each sets *out to the value at path, or to def when the key
 * is absent (ZG_OK), and to def on error. Paths are dot-separated keys
 * (ZG_EINVAL for an empty path or segment). An intermediate key that is not
 * an object is ZG_ETYPE. */

/* A JSON string. *out is borrowed from c (valid until zg_config_destroy). */
ZG_WARN_UNUSED zg_err_t zg_config_get_str(zg_config_t *c, const char **out, const char *path, const char *def);
/* A JSON integer >= 0 (negative: ZG_ERANGE; a real such as 1.5 or 1e3, or any
 * other type: ZG_ETYPE). JSON integers are limited to int64 by the parser. */
ZG_WARN_UNUSED zg_err_t zg_config_get_u64(zg_config_t *c, uint64_t *out, const char *path, uint64_t def);
/* As zg_config_get_u64, and ZG_ERANGE unless min <= value <= max. */
ZG_WARN_UNUSED zg_err_t zg_config_get_u64_range(zg_config_t *c, uint64_t *out, const char *path, uint64_t def,
                                                uint64_t min, uint64_t max);
/* A JSON integer. */
ZG_WARN_UNUSED zg_err_t zg_config_get_i64(zg_config_t *c, int64_t *out, const char *path, int64_t def);
/* JSON true or false (not 0/1 or strings). */
ZG_WARN_UNUSED zg_err_t zg_config_get_bool(zg_config_t *c, bool *out, const char *path, bool def);
/* A JSON number (integer or real). */
ZG_WARN_UNUSED zg_err_t zg_config_get_double(zg_config_t *c, double *out, const char *path, double def);
/* A duration in nanoseconds: a JSON integer of milliseconds, or a string of
 * one or more <digits><unit> groups, unit ns|us|ms|s|m|h ("500ms", "3s",
 * "1h30m"), or of bare digits (milliseconds). */
ZG_WARN_UNUSED zg_err_t zg_config_get_duration_ns(zg_config_t *c, uint64_t *out, const char *path, uint64_t def);
/* A size in bytes: a JSON integer, or a string <digits>[unit], unit B, KB,
 * MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024). */
ZG_WARN_UNUSED zg_err_t zg_config_get_size(zg_config_t *c, uint64_t *out, const char *path, uint64_t def);
/* A JSON array of strings. *out is an array of *n borrowed strings owned by
 * c ({NULL, 0} when absent or on error). An element of another type is
 * ZG_ETYPE naming it ("net.peers[2]"). */
ZG_WARN_UNUSED zg_err_t zg_config_get_strs(zg_config_t *c, const char *const **out, size_t *n, const char *path);

/* Strict mode: reports every key of the file that is not one of the n known
 * dotted paths. A known path accepts any value at that key (its getter checks
 * the type); the objects on the way to a known path are walked; a known entry
 * "P.*" accepts any key under P. ZG_ECONFIG when something is unknown, with a
 * message listing the keys (and the nearest known path when one is close,
 * for typos); ZG_OK otherwise. */
ZG_WARN_UNUSED zg_err_t zg_config_check_known(zg_config_t *c, const char *const *known, size_t n);

/* The parsers behind the duration and size getters, for command-line flags:
 * s is len bytes (not NUL-terminated). ZG_ECONFIG when malformed, ZG_ERANGE
 * on overflow of 64 bits; *out is 0 on error. */
ZG_WARN_UNUSED zg_err_t zg_config_parse_duration_ns(uint64_t *out, const char *s, size_t len);
ZG_WARN_UNUSED zg_err_t zg_config_parse_size(uint64_t *out, const char *s, size_t len);

#endif

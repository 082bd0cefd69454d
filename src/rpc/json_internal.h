/*
 * json_internal.h — fast JSON encoding and decoding for the RPC layer
 * (src/rpc/json_fast.c). Segment payloads travel as ~350 KB base64 strings,
 * and jansson's parser and dumper handle strings one byte at a time with
 * UTF-8 checks: they were most of the node's and the CLI's CPU time during
 * uploads. These two functions give exactly jansson's results (same values,
 * same errors) and move long base64 strings with memcpy.
 */
#ifndef ZG_RPC_JSON_INTERNAL_H
#define ZG_RPC_JSON_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "zg/bytes.h"
#include "zg/err.h"

/* Appends the compact encoding of v (jansson's JSON_COMPACT output, keys in
 * insertion order) to out. ZG_ENOMEM, ZG_EINVAL for a value jansson cannot
 * encode either. */
ZG_WARN_UNUSED zg_err_t zg__json_dump(zg_buf_t *out, const json_t *v);

/* json_loadb(body, len, flags, err) with long string values (>= 1024
 * printable ASCII characters without escapes: base64 payloads) lifted out
 * before parsing and put back as strings afterwards. Returns the value or NULL (err filled as jansson does). */
json_t *zg__json_load(const char *body, size_t len, size_t flags, json_error_t *err);

#endif

/*
 * abi_sig.c — the Keccak-dependent part of the Solidity ABI (zg/abi.h):
 * function selectors, calldata, event topics and log encoding/decoding.
 *
 * It lives in the crypto layer because the base layer may not include
 * hash.h; everything type- and value-related is delegated to base/abi.c.
 * Selectors and topics are always computed over the canonical signature
 * re-formatted from the parsed types, never over the caller's spelling, so
 * " indexed" markers and the like cannot leak into a hash.
 */
#include <string.h>

#include "zg/abi.h"
#include "zg/hash.h"

void zg_abi_selector(uint8_t out[4], const char *sig, size_t len) {
  uint8_t h[32];
  zg_keccak256(h, sig, len);
  memcpy(out, h, 4);
}

void zg_abi_event_topic(uint8_t out[32], const char *sig, size_t len) { zg_keccak256(out, sig, len); }

/* keccak256 of the canonical signature name(args). */
static zg_err_t sig_hash(uint8_t out[32], zg_slice_t name, const zg_abi_type_t *args) {
  zg_buf_t b;
  zg_buf_init(&b);
  zg_err_t e = zg_abi_sig_format(&b, name, args);
  if (e == ZG_OK) zg_keccak256(out, b.ptr, b.len);
  zg_buf_clear(&b);
  return e;
}

zg_err_t zg_abi_func_parse(zg_abi_func_t *f, zg_abi_arena_t *a, const char *sig) {
  if (!f || !a || !sig) return ZG_EINVAL;
  memset(f, 0, sizeof *f);
  ZG_TRY(zg_abi_sig_parse(&f->name, &f->args, NULL, a, sig, strlen(sig)));
  uint8_t h[32];
  ZG_TRY(sig_hash(h, f->name, f->args));
  memcpy(f->selector, h, 4);
  return ZG_OK;
}

zg_err_t zg_abi_call_encode(zg_buf_t *out, const zg_abi_func_t *f, const zg_abi_value_t *args, size_t n) {
  if (!out || !f || !f->args) return ZG_EINVAL;
  size_t start = out->len;
  ZG_TRY(zg_buf_append(out, f->selector, 4));
  zg_err_t e = zg_abi_encode_args(out, f->args, args, n);
  if (e != ZG_OK) out->len = start;
  return e;
}

zg_err_t zg_abi_call_selector(uint8_t out[4], const uint8_t *data, size_t len) {
  if (!out || (!data && len)) return ZG_EINVAL;
  if (len < 4) return ZG_ETRUNC;
  memcpy(out, data, 4);
  return ZG_OK;
}

zg_err_t zg_abi_call_decode(zg_abi_value_t *args, zg_abi_arena_t *a, const zg_abi_func_t *f, const uint8_t *data,
                            size_t len) {
  if (!args || !a || !f || !f->args || (!data && len)) return ZG_EINVAL;
  memset(args, 0, sizeof *args);
  if (len < 4) return ZG_ETRUNC;
  if (memcmp(data, f->selector, 4) != 0) return ZG_EINVAL;
  return zg_abi_decode(args, a, f->args, data + 4, len - 4);
}

static unsigned popcount64(uint64_t x) {
  unsigned n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

zg_err_t zg_abi_event_parse(zg_abi_event_t *ev, zg_abi_arena_t *a, const char *sig, bool anonymous) {
  if (!ev || !a || !sig) return ZG_EINVAL;
  memset(ev, 0, sizeof *ev);
  zg_slice_t name;
  const zg_abi_type_t *args;
  uint64_t indexed;
  ZG_TRY(zg_abi_sig_parse(&name, &args, &indexed, a, sig, strlen(sig)));
  if (args->count > 64) return ZG_EOVERFLOW;
  if (popcount64(indexed) > (anonymous ? 4u : 3u)) return ZG_EINVAL;
  uint64_t all = args->count == 64 ? ~(uint64_t)0 : (((uint64_t)1 << args->count) - 1);
  const zg_abi_type_t *data_args;
  ZG_TRY(zg_abi_tuple_select(&data_args, a, args, all & ~indexed));
  ZG_TRY(sig_hash(ev->topic0, name, args));
  ev->name = name;
  ev->args = args;
  ev->indexed = indexed;
  ev->data_args = data_args;
  ev->anonymous = anonymous;
  return ZG_OK;
}

/* The topic of one indexed argument: its word for a value type, the keccak
 * of its in-place encoding otherwise. */
static zg_err_t indexed_topic(uint8_t out[32], const zg_abi_type_t *t, const zg_abi_value_t *v) {
  zg_buf_t b;
  zg_buf_init(&b);
  zg_err_t e;
  if (zg_abi_type_is_value(t)) {
    e = zg_abi_encode(&b, t, v);
    if (e == ZG_OK) memcpy(out, b.ptr, 32);
  } else {
    e = zg_abi_encode_indexed(&b, t, v);
    if (e == ZG_OK) zg_keccak256(out, b.ptr, b.len);
  }
  zg_buf_clear(&b);
  return e;
}

zg_err_t zg_abi_event_encode(uint8_t topics[ZG_ABI_MAX_TOPICS][32], size_t *ntopics, zg_buf_t *data,
                             const zg_abi_event_t *ev, const zg_abi_value_t *args, size_t n) {
  if (!topics || !ntopics || !data || !ev || !ev->args || (!args && n)) return ZG_EINVAL;
  *ntopics = 0;
  if (n != ev->args->count) return ZG_ETYPE;
  if (n > 64) return ZG_EOVERFLOW; /* zg_abi_event_parse never builds such an event */
  zg_abi_value_t rest[64];
  size_t nt = 0, nr = 0;
  if (!ev->anonymous) memcpy(topics[nt++], ev->topic0, 32);
  for (size_t k = 0; k < n; k++) {
    if (ev->indexed >> k & 1) {
      if (nt >= ZG_ABI_MAX_TOPICS) return ZG_EINVAL;
      ZG_TRY(indexed_topic(topics[nt++], &ev->args->fields[k], &args[k]));
    } else {
      rest[nr++] = args[k];
    }
  }
  ZG_TRY(zg_abi_encode_args(data, ev->data_args, rest, nr));
  *ntopics = nt;
  return ZG_OK;
}

zg_err_t zg_abi_event_decode(zg_abi_value_t *args, zg_abi_arena_t *a, const zg_abi_event_t *ev,
                             const uint8_t (*topics)[32], size_t ntopics, const uint8_t *data, size_t len) {
  if (!args || !a || !ev || !ev->args || (!topics && ntopics) || (!data && len)) return ZG_EINVAL;
  memset(args, 0, sizeof *args);
  size_t first = ev->anonymous ? 0 : 1;
  if (ntopics != first + popcount64(ev->indexed)) return ZG_EINVAL;
  if (!ev->anonymous && memcmp(topics[0], ev->topic0, 32) != 0) return ZG_EINVAL;
  zg_abi_value_t rest;
  ZG_TRY(zg_abi_decode(&rest, a, ev->data_args, data, len));
  size_t n = ev->args->count;
  zg_abi_value_t *items = zg_abi_arena_alloc(a, (n ? n : 1) * sizeof *items);
  if (!items) return ZG_ENOMEM;
  size_t ti = first, ri = 0;
  for (size_t k = 0; k < n; k++) {
    const zg_abi_type_t *t = &ev->args->fields[k];
    if (!(ev->indexed >> k & 1)) {
      items[k] = rest.u.items[ri++];
    } else if (zg_abi_type_is_value(t)) {
      ZG_TRY(zg_abi_decode(&items[k], a, t, topics[ti++], 32));
    } else {
      items[k] = zg_abi_fbytes(topics[ti++], 32);
    }
  }
  *args = zg_abi_tuple(items, n);
  return ZG_OK;
}

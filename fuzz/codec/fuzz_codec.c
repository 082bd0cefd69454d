/*
 * fuzz_codec.c — the canonical codec reader and the record-frame parser.
 *
 * The first input byte picks a record schema (a field sequence drawn from an
 * LCG seeded with it); the rest is decoded against it. Each decoded value is
 * written straight back through a writer, so when the reader accepts the
 * input, the re-encoding must equal it byte for byte (canonical form). The
 * whole input is also walked as a sequence of frames; every accepted frame
 * must re-frame identically. Never crashes, never reads out of bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "zg/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { K_U8, K_U16, K_U32, K_U64, K_I64, K_BOOL, K_FIXED32, K_BYTES, K_LIST_U64, K_LIST_BYTES, K_OPT_U32, K_NESTED,
       K_COUNT };

/* Decodes one field of kind k from r and writes it to w. */
static void field(zg_codec_reader_t *r, zg_codec_writer_t *w, int k) {
  switch (k) {
    case K_U8: { uint8_t v; zg_codec_get_u8(r, &v); zg_codec_put_u8(w, v); break; }
    case K_U16: { uint16_t v; zg_codec_get_u16(r, &v); zg_codec_put_u16(w, v); break; }
    case K_U32: { uint32_t v; zg_codec_get_u32(r, &v); zg_codec_put_u32(w, v); break; }
    case K_U64: { uint64_t v; zg_codec_get_u64(r, &v); zg_codec_put_u64(w, v); break; }
    case K_I64: { int64_t v; zg_codec_get_i64(r, &v); zg_codec_put_i64(w, v); break; }
    case K_BOOL: { bool v; zg_codec_get_bool(r, &v); zg_codec_put_bool(w, v); break; }
    case K_FIXED32: {
      uint8_t h[32];
      zg_codec_get_fixed(r, h, 32);
      zg_codec_put_fixed(w, h, 32);
      break;
    }
    case K_BYTES: {
      zg_slice_t s;
      zg_codec_get_bytes(r, &s, 64);
      zg_codec_put_bytes(w, s.ptr, s.len);
      break;
    }
    case K_LIST_U64: {
      size_t n;
      zg_codec_get_count(r, &n, 16, 8);
      zg_codec_put_count(w, n);
      for (size_t i = 0; i < n; i++) field(r, w, K_U64);
      break;
    }
    case K_LIST_BYTES: {
      size_t n;
      zg_codec_get_count(r, &n, 8, 4);
      zg_codec_put_count(w, n);
      for (size_t i = 0; i < n; i++) field(r, w, K_BYTES);
      break;
    }
    case K_OPT_U32: {
      bool present;
      zg_codec_get_option(r, &present);
      zg_codec_put_option(w, present);
      if (present) field(r, w, K_U32);
      break;
    }
    case K_NESTED: {
      zg_codec_reader_t sub;
      size_t mark;
      zg_codec_get_nested(r, &sub, 2 + 4 + 64);
      zg_codec_put_nested_begin(w, &mark);
      field(&sub, w, K_U16);
      field(&sub, w, K_BYTES);
      zg_err_t e = zg_codec_reader_finish(&sub);
      if (e != ZG_OK) zg_codec_reader_fail(r, e);
      zg_codec_put_nested_end(w, mark);
      break;
    }
  }
}

static void fuzz_record(const uint8_t *data, size_t size) {
  if (size == 0) return;
  uint8_t b = data[0];
  const uint8_t *in = data + 1;
  size_t len = size - 1;
  zg_buf_t out;
  zg_buf_init(&out);
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, &out);
  zg_codec_reader_t r;
  zg_codec_reader_init(&r, in, len);
  uint32_t s = b;
  int nfields = 1 + b % 8;
  for (int i = 0; i < nfields; i++) {
    s = s * 1103515245u + 12345u;
    field(&r, &w, (int)((s >> 16) % K_COUNT));
  }
  zg_err_t re = zg_codec_reader_finish(&r);
  zg_err_t we = zg_codec_writer_finish(&w);
  if (re == ZG_OK) {
    if (we != ZG_OK || out.len != len || (len && memcmp(out.ptr, in, len) != 0)) abort();
  } else {
    if (re != ZG_ETRUNC && re != ZG_ETRAILING && re != ZG_ENONCANON && re != ZG_EOVERFLOW) abort();
    if (zg_codec_reader_remaining(&r) != 0) abort();
  }
  zg_buf_clear(&out);
}

static void fuzz_frames(const uint8_t *data, size_t size) {
  size_t off = 0;
  zg_buf_t out;
  zg_buf_init(&out);
  while (off < size) {
    zg_slice_t p;
    size_t used;
    zg_err_t e = zg_codec_frame_parse(&p, &used, data + off, size - off, 1 << 16);
    if (e != ZG_OK) {
      if (e != ZG_ETRUNC && e != ZG_ECORRUPT) abort();
      if (p.ptr || used) abort();
      break;
    }
    out.len = 0;
    if (zg_codec_frame_append(&out, p.ptr, p.len) != ZG_OK) abort();
    if (out.len != used || memcmp(out.ptr, data + off, used) != 0) abort();
    off += used;
  }
  zg_buf_clear(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_record(data, size);
  fuzz_frames(data, size);
  return 0;
}

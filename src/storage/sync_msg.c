/*
 * sync_msg.c — encoder and strict decoder of the storage sync messages
 * (sync_internal.h has the shapes and the rules). The encoder refuses what
 * the decoder refuses, so a node never sends a message its peers would drop.
 */
#include <string.h>

#include "storage/sync_internal.h"
#include "zg/codec.h"
#include "zg/merkle.h"

static bool shard_ok(const zg__sync_shard_t *s) {
  return s->num_shard >= 1 && s->num_shard <= ZG__SYNC_MAX_SHARDS && (s->num_shard & (s->num_shard - 1)) == 0 &&
         s->shard_id < s->num_shard;
}

/* The rules of sync_internal.h, on a decoded or to-be-encoded message. */
static bool msg_ok(const zg__sync_msg_t *m) {
  switch (m->type) {
  case ZG__SYNC_ANNOUNCE:
    return shard_ok(&m->u.announce.shard);
  case ZG__SYNC_FIND:
    return shard_ok(&m->u.req.shard);
  case ZG__SYNC_GET:
    return shard_ok(&m->u.req.shard) && m->u.req.first < m->u.req.end &&
           m->u.req.end - m->u.req.first <= ZG__SYNC_MAX_SPAN;
  case ZG__SYNC_FIND_ANSWER:
    return shard_ok(&m->u.found.shard) && (m->u.found.has_entry || m->u.found.held == 0);
  case ZG__SYNC_GET_ANSWER:
    if (m->u.got.nsegs > ZG_SYNC_MAX_RANGE) return false;
    for (size_t i = 0; i < m->u.got.nsegs; i++) {
      const zg__sync_seg_t *s = &m->u.got.segs[i];
      if (i > 0 && s->index <= m->u.got.segs[i - 1].index) return false;
      if (s->data.len == 0 || s->data.len > ZG_SEGMENT_BYTES || s->proof.len > ZG__SYNC_MAX_PROOF) return false;
    }
    return true;
  }
  return false;
}

static void put_shard(zg_codec_writer_t *w, const zg__sync_shard_t *s) {
  zg_codec_put_u32(w, s->shard_id);
  zg_codec_put_u32(w, s->num_shard);
}

static void get_shard(zg_codec_reader_t *r, zg__sync_shard_t *s) {
  zg_codec_get_u32(r, &s->shard_id);
  zg_codec_get_u32(r, &s->num_shard);
}

zg_err_t zg__sync_msg_encode(zg_buf_t *out, const zg__sync_msg_t *m) {
  if (!out || !m || !msg_ok(m)) return ZG_EINVAL;
  zg_codec_writer_t w;
  zg_codec_writer_init(&w, out);
  zg_codec_put_u8(&w, (uint8_t)m->type);
  switch (m->type) {
  case ZG__SYNC_ANNOUNCE:
    zg_codec_put_fixed(&w, m->u.announce.origin, 32);
    put_shard(&w, &m->u.announce.shard);
    zg_codec_put_u64(&w, m->u.announce.seq);
    zg_codec_put_u64(&w, m->u.announce.stamp);
    break;
  case ZG__SYNC_FIND:
  case ZG__SYNC_GET:
    zg_codec_put_u64(&w, m->u.req.seq);
    zg_codec_put_fixed(&w, m->u.req.root, 32);
    put_shard(&w, &m->u.req.shard);
    if (m->type == ZG__SYNC_GET) {
      zg_codec_put_u64(&w, m->u.req.first);
      zg_codec_put_u64(&w, m->u.req.end);
    }
    break;
  case ZG__SYNC_FIND_ANSWER:
    put_shard(&w, &m->u.found.shard);
    zg_codec_put_bool(&w, m->u.found.has_entry);
    zg_codec_put_u64(&w, m->u.found.held);
    break;
  case ZG__SYNC_GET_ANSWER:
    zg_codec_put_count(&w, m->u.got.nsegs);
    for (size_t i = 0; i < m->u.got.nsegs; i++) {
      const zg__sync_seg_t *s = &m->u.got.segs[i];
      zg_codec_put_u64(&w, s->index);
      zg_codec_put_bytes(&w, s->data.ptr, s->data.len);
      zg_codec_put_bytes(&w, s->proof.ptr, s->proof.len);
    }
    break;
  }
  return zg_codec_writer_finish(&w);
}

zg_err_t zg__sync_msg_decode(zg__sync_msg_t *m, const uint8_t *p, size_t len) {
  memset(m, 0, sizeof *m);
  zg_codec_reader_t r;
  zg_codec_reader_init(&r, p, len);
  uint8_t type = 0;
  zg_codec_get_u8(&r, &type);
  m->type = (zg__sync_type_t)type;
  switch (type) {
  case ZG__SYNC_ANNOUNCE:
    zg_codec_get_fixed(&r, m->u.announce.origin, 32);
    get_shard(&r, &m->u.announce.shard);
    zg_codec_get_u64(&r, &m->u.announce.seq);
    zg_codec_get_u64(&r, &m->u.announce.stamp);
    break;
  case ZG__SYNC_FIND:
  case ZG__SYNC_GET:
    zg_codec_get_u64(&r, &m->u.req.seq);
    zg_codec_get_fixed(&r, m->u.req.root, 32);
    get_shard(&r, &m->u.req.shard);
    if (type == ZG__SYNC_GET) {
      zg_codec_get_u64(&r, &m->u.req.first);
      zg_codec_get_u64(&r, &m->u.req.end);
    }
    break;
  case ZG__SYNC_FIND_ANSWER:
    get_shard(&r, &m->u.found.shard);
    zg_codec_get_bool(&r, &m->u.found.has_entry);
    zg_codec_get_u64(&r, &m->u.found.held);
    break;
  case ZG__SYNC_GET_ANSWER: {
    size_t n = 0;
    /* smallest segment: u64 index, two u32 lengths, one data byte */
    zg_codec_get_count(&r, &n, ZG_SYNC_MAX_RANGE, 17);
    m->u.got.nsegs = n;
    for (size_t i = 0; i < n; i++) {
      zg__sync_seg_t *s = &m->u.got.segs[i];
      zg_codec_get_u64(&r, &s->index);
      zg_codec_get_bytes(&r, &s->data, ZG_SEGMENT_BYTES);
      zg_codec_get_bytes(&r, &s->proof, ZG__SYNC_MAX_PROOF);
    }
    break;
  }
  default:
    if (zg_codec_reader_err(&r) == ZG_OK) zg_codec_reader_fail(&r, ZG_ETYPE);
    break;
  }
  zg_err_t e = zg_codec_reader_finish(&r);
  if (e == ZG_OK && !msg_ok(m)) e = ZG_EINVAL;
  if (e != ZG_OK) memset(m, 0, sizeof *m);
  return e;
}

/*
 * bench_abi.c — the Ethereum codecs on the chain's hot paths.
 *
 * rlp_*_tx: a signed legacy (EIP-155) transaction carrying 68 bytes of
 * ERC-20 transfer calldata: nonce, gas price, gas, to, value, data, v, r, s
 * (178 bytes encoded). The decoder reads every field with the strict typed
 * helpers, as the mempool does.
 * abi_*_submission: calldata of Flow's submit((uint256,bytes,(bytes32,uint256)[]))
 * with 32 bytes of tags and 8 nodes (a typical multi-node file), one arena
 * per decode, cleared each time, as a request handler would.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "zg/abi.h"
#include "zg/rlp.h"

typedef struct {
  uint64_t nonce, gas, v;
  uint8_t gas_price[32], to[20], value[32], r[32], s[32];
  uint8_t data[68];
} bench_tx_t;

static void tx_fill(bench_tx_t *t) {
  memset(t, 0, sizeof *t);
  t->nonce = 9;
  t->gas = 60000;
  t->v = 37;
  zg_store_be64(t->gas_price + 24, 20000000000ull);
  memset(t->to, 0x35, 20);
  for (int i = 0; i < 68; i++) t->data[i] = (uint8_t)(i * 13);
  for (int i = 0; i < 32; i++) {
    t->r[i] = (uint8_t)(0x80 + i);
    t->s[i] = (uint8_t)(0x40 + i);
  }
}

static zg_err_t tx_encode(zg_buf_t *out, const bench_tx_t *t) {
  zg_rlp_writer_t w;
  zg_rlp_writer_init(&w, out);
  ZG_TRY(zg_rlp_list_begin(&w));
  ZG_TRY(zg_rlp_put_u64(&w, t->nonce));
  ZG_TRY(zg_rlp_put_u256(&w, t->gas_price));
  ZG_TRY(zg_rlp_put_u64(&w, t->gas));
  ZG_TRY(zg_rlp_put_bytes(&w, t->to, 20));
  ZG_TRY(zg_rlp_put_u256(&w, t->value));
  ZG_TRY(zg_rlp_put_bytes(&w, t->data, sizeof t->data));
  ZG_TRY(zg_rlp_put_u64(&w, t->v));
  ZG_TRY(zg_rlp_put_u256(&w, t->r));
  ZG_TRY(zg_rlp_put_u256(&w, t->s));
  ZG_TRY(zg_rlp_list_end(&w));
  return zg_rlp_writer_finish(&w);
}

static zg_err_t tx_decode(bench_tx_t *t, const uint8_t *in, size_t len) {
  zg_rlp_item_t top;
  zg_rlp_iter_t it;
  zg_slice_t data;
  ZG_TRY(zg_rlp_decode(&top, in, len));
  ZG_TRY(zg_rlp_iter_init(&it, &top));
  ZG_TRY(zg_rlp_next_u64(&it, &t->nonce));
  ZG_TRY(zg_rlp_next_u256(&it, t->gas_price));
  ZG_TRY(zg_rlp_next_u64(&it, &t->gas));
  ZG_TRY(zg_rlp_next_fixed(&it, t->to, 20));
  ZG_TRY(zg_rlp_next_u256(&it, t->value));
  ZG_TRY(zg_rlp_next_bytes(&it, &data));
  if (data.len != sizeof t->data) return ZG_EBADLEN;
  memcpy(t->data, data.ptr, data.len);
  ZG_TRY(zg_rlp_next_u64(&it, &t->v));
  ZG_TRY(zg_rlp_next_u256(&it, t->r));
  ZG_TRY(zg_rlp_next_u256(&it, t->s));
  return zg_rlp_iter_finish(&it);
}

ZG_BENCH(rlp_encode_tx) {
  bench_tx_t t;
  tx_fill(&t);
  zg_buf_t buf;
  zg_buf_init(&buf);
  if (tx_encode(&buf, &t) != ZG_OK) printf("rlp_encode_tx: encoding failed\n");
  b->bytes_per_op = buf.len;
  while (zg_bench_loop(b)) {
    buf.len = 0;
    if (tx_encode(&buf, &t) != ZG_OK) break;
    ZG_BENCH_KEEP(buf.ptr);
  }
  zg_buf_clear(&buf);
}

ZG_BENCH(rlp_decode_tx) {
  bench_tx_t t, out;
  tx_fill(&t);
  zg_buf_t buf;
  zg_buf_init(&buf);
  if (tx_encode(&buf, &t) != ZG_OK || tx_decode(&out, buf.ptr, buf.len) != ZG_OK)
    printf("rlp_decode_tx: set-up failed\n");
  b->bytes_per_op = buf.len;
  while (zg_bench_loop(b)) {
    if (tx_decode(&out, buf.ptr, buf.len) != ZG_OK) break;
    ZG_BENCH_KEEP(out.nonce);
  }
  zg_buf_clear(&buf);
}

/* The submission's parts, kept alive for the values that borrow them. */
typedef struct {
  zg_abi_arena_t arena;
  zg_abi_func_t fn;
  uint8_t tags[32], roots[8][32];
  zg_abi_value_t node_fields[8][2], nodes[8], sub_fields[3], arg;
} bench_sub_t;

static zg_err_t sub_init(bench_sub_t *s) {
  memset(s, 0, sizeof *s);
  zg_abi_arena_init(&s->arena);
  ZG_TRY(zg_abi_func_parse(&s->fn, &s->arena, "submit((uint256,bytes,(bytes32,uint256)[]))"));
  memset(s->tags, 0x7a, sizeof s->tags);
  for (int i = 0; i < 8; i++) {
    memset(s->roots[i], 0x11 * (i + 1), 32);
    s->node_fields[i][0] = zg_abi_fbytes(s->roots[i], 32);
    s->node_fields[i][1] = zg_abi_u64((uint64_t)(10 - i));
    s->nodes[i] = zg_abi_tuple(s->node_fields[i], 2);
  }
  s->sub_fields[0] = zg_abi_u64(1u << 20);
  s->sub_fields[1] = zg_abi_bytes(s->tags, sizeof s->tags);
  s->sub_fields[2] = zg_abi_array(s->nodes, 8);
  s->arg = zg_abi_tuple(s->sub_fields, 3);
  return ZG_OK;
}

ZG_BENCH(abi_encode_submission) {
  static bench_sub_t s;
  zg_buf_t buf;
  zg_buf_init(&buf);
  if (sub_init(&s) != ZG_OK || zg_abi_call_encode(&buf, &s.fn, &s.arg, 1) != ZG_OK)
    printf("abi_encode_submission: set-up failed\n");
  b->bytes_per_op = buf.len;
  while (zg_bench_loop(b)) {
    buf.len = 0;
    if (zg_abi_call_encode(&buf, &s.fn, &s.arg, 1) != ZG_OK) break;
    ZG_BENCH_KEEP(buf.ptr);
  }
  zg_buf_clear(&buf);
  zg_abi_arena_clear(&s.arena);
}

ZG_BENCH(abi_decode_submission) {
  static bench_sub_t s;
  zg_buf_t buf;
  zg_buf_init(&buf);
  if (sub_init(&s) != ZG_OK || zg_abi_call_encode(&buf, &s.fn, &s.arg, 1) != ZG_OK)
    printf("abi_decode_submission: set-up failed\n");
  b->bytes_per_op = buf.len;
  while (zg_bench_loop(b)) {
    zg_abi_arena_t a;
    zg_abi_arena_init(&a);
    zg_abi_value_t v;
    zg_err_t e = zg_abi_call_decode(&v, &a, &s.fn, buf.ptr, buf.len);
    ZG_BENCH_KEEP(v.len);
    zg_abi_arena_clear(&a);
    if (e != ZG_OK) break;
  }
  zg_buf_clear(&buf);
  zg_abi_arena_clear(&s.arena);
}

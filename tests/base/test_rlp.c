/* test_rlp.c — RLP: yellow-paper / wiki examples, the EIP-155 signed
 * transaction, every malformed form, and random round trips. */
#include <stdio.h>

#include "zg/rlp.h"
#include "zg_test.h"

/* Decodes a hex literal into b (replacing its content). */
static void hex(zg_buf_t *b, const char *s) {
  b->len = 0;
  CHECK_OK(zg_hex_decode_buf(b, s, strlen(s)));
}

/* Re-encodes a decoded item through the writer, element by element. */
static zg_err_t reencode(zg_rlp_writer_t *w, const zg_rlp_item_t *it) {
  if (it->kind == ZG_RLP_STRING) return zg_rlp_put_bytes(w, it->payload.ptr, it->payload.len);
  ZG_TRY(zg_rlp_list_begin(w));
  zg_rlp_iter_t i;
  ZG_TRY(zg_rlp_iter_init(&i, it));
  while (!zg_rlp_iter_done(&i)) {
    zg_rlp_item_t e;
    ZG_TRY(zg_rlp_next(&i, &e));
    ZG_TRY(reencode(w, &e));
  }
  return zg_rlp_list_end(w);
}

/* Decodes enc, checks it re-encodes to itself, returns the decode status. */
static zg_err_t roundtrip(const uint8_t *enc, size_t n) {
  zg_rlp_item_t it;
  zg_err_t e = zg_rlp_decode(&it, enc, n);
  if (e != ZG_OK) return e;
  zg_buf_t b;
  zg_buf_init(&b);
  zg_rlp_writer_t w;
  zg_rlp_writer_init(&w, &b);
  CHECK_OK(reencode(&w, &it));
  CHECK_OK(zg_rlp_writer_finish(&w));
  CHECK_EQ(b.len, n);
  if (b.len == n && n) CHECK_MEM(b.ptr, enc, n);
  zg_buf_clear(&b);
  return ZG_OK;
}

static void test_examples(void) {
  zg_buf_t b, want;
  zg_buf_init(&b);
  zg_buf_init(&want);
  zg_rlp_writer_t w;

  /* "dog" */
  zg_rlp_writer_init(&w, &b);
  CHECK_OK(zg_rlp_put_str(&w, "dog"));
  hex(&want, "0x83646f67");
  CHECK(b.len == want.len && memcmp(b.ptr, want.ptr, b.len) == 0);
  CHECK_OK(roundtrip(want.ptr, want.len));

  /* ["cat", "dog"] */
  b.len = 0;
  CHECK_OK(zg_rlp_list_begin(&w));
  CHECK_OK(zg_rlp_put_str(&w, "cat"));
  CHECK_OK(zg_rlp_put_str(&w, "dog"));
  CHECK_OK(zg_rlp_list_end(&w));
  CHECK_OK(zg_rlp_writer_finish(&w));
  hex(&want, "0xc88363617483646f67");
  CHECK(b.len == want.len && memcmp(b.ptr, want.ptr, b.len) == 0);
  CHECK_OK(roundtrip(want.ptr, want.len));

  /* empty string, empty list, integer 0, byte 0x00, 0x0f, 1024 */
  b.len = 0;
  CHECK_OK(zg_rlp_put_str(&w, ""));
  CHECK_OK(zg_rlp_list_begin(&w));
  CHECK_OK(zg_rlp_list_end(&w));
  CHECK_OK(zg_rlp_put_u64(&w, 0));
  CHECK_OK(zg_rlp_put_bytes(&w, "\x00", 1));
  CHECK_OK(zg_rlp_put_u64(&w, 15));
  CHECK_OK(zg_rlp_put_u64(&w, 1024));
  hex(&want, "0x80c08000" "0f" "820400");
  CHECK(b.len == want.len && memcmp(b.ptr, want.ptr, b.len) == 0);

  /* The set-theoretical representation of three: [ [], [[]], [ [], [[]] ] ] */
  b.len = 0;
  CHECK_OK(zg_rlp_list_begin(&w));
  CHECK_OK(zg_rlp_list_begin(&w));
  CHECK_OK(zg_rlp_list_end(&w));
  CHECK_OK(zg_rlp_list_begin(&w));
  CHECK_OK(zg_rlp_list_begin(&w));
  CHECK_OK(zg_rlp_list_end(&w));
  CHECK_OK(zg_rlp_list_end(&w));
  CHECK_OK(zg_rlp_list_begin(&w));
  CHECK_OK(zg_rlp_list_begin(&w));
  CHECK_OK(zg_rlp_list_end(&w));
  CHECK_OK(zg_rlp_list_begin(&w));
  CHECK_OK(zg_rlp_list_begin(&w));
  CHECK_OK(zg_rlp_list_end(&w));
  CHECK_OK(zg_rlp_list_end(&w));
  CHECK_OK(zg_rlp_list_end(&w));
  CHECK_OK(zg_rlp_list_end(&w));
  CHECK_OK(zg_rlp_writer_finish(&w));
  hex(&want, "0xc7c0c1c0c3c0c1c0");
  CHECK(b.len == want.len && memcmp(b.ptr, want.ptr, b.len) == 0);
  CHECK_OK(roundtrip(want.ptr, want.len));

  /* 56 bytes: the first string in the long form. */
  const char *lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
  CHECK_EQ(strlen(lorem), 56);
  b.len = 0;
  CHECK_OK(zg_rlp_put_str(&w, lorem));
  CHECK_EQ(b.len, 58);
  CHECK(b.ptr[0] == 0xb8 && b.ptr[1] == 0x38);
  CHECK_MEM(b.ptr + 2, lorem, 56);
  CHECK_OK(roundtrip(b.ptr, b.len));
  zg_rlp_item_t it;
  CHECK_OK(zg_rlp_decode(&it, b.ptr, b.len));
  CHECK(it.kind == ZG_RLP_STRING && it.payload.len == 56 && it.raw.len == 58);

  /* A list whose payload is exactly 55 then 56 bytes. */
  for (size_t n = 54; n <= 55; n++) {
    uint8_t s[55];
    memset(s, 'x', n);
    b.len = 0;
    CHECK_OK(zg_rlp_list_begin(&w));
    CHECK_OK(zg_rlp_put_bytes(&w, s, n));
    CHECK_OK(zg_rlp_list_end(&w));
    CHECK_EQ(b.ptr[0], n == 54 ? 0xf7 : 0xf8);
    if (n == 55) CHECK_EQ(b.ptr[1], 56);
    CHECK_OK(roundtrip(b.ptr, b.len));
  }

  /* Integers: 0x80 boundary, u256, leading zeros dropped by put_uint. */
  b.len = 0;
  CHECK_OK(zg_rlp_put_u64(&w, 0x7f));
  CHECK_OK(zg_rlp_put_u64(&w, 0x80));
  CHECK_OK(zg_rlp_put_u64(&w, UINT64_MAX));
  uint8_t u256[32] = {0};
  u256[31] = 1;
  CHECK_OK(zg_rlp_put_u256(&w, u256));
  hex(&want, "0x7f8180" "88ffffffffffffffff" "01");
  CHECK(b.len == want.len && memcmp(b.ptr, want.ptr, b.len) == 0);
  zg_buf_clear(&b);
  zg_buf_clear(&want);
}

/* EIP-155's example transaction: signing data and the signed tx. */
static const char *EIP155_SIGNING = "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080";
static const char *EIP155_SIGNED =
    "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195"
    "fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";

static void test_eip155(void) {
  zg_buf_t tx, out, want;
  zg_buf_init(&tx);
  zg_buf_init(&out);
  zg_buf_init(&want);
  hex(&tx, EIP155_SIGNED);
  zg_rlp_item_t top;
  CHECK_OK(zg_rlp_decode(&top, tx.ptr, tx.len));
  size_t count = 0;
  CHECK_OK(zg_rlp_list_count(&count, &top));
  CHECK_EQ(count, 9);
  zg_rlp_iter_t it;
  CHECK_OK(zg_rlp_iter_init(&it, &top));
  uint64_t nonce = 0, gas = 0, v = 0;
  uint8_t gas_price[32], to[20], value[32], r[32], s[32];
  zg_slice_t data = {0};
  CHECK_OK(zg_rlp_next_u64(&it, &nonce));
  CHECK_OK(zg_rlp_next_u256(&it, gas_price));
  CHECK_OK(zg_rlp_next_u64(&it, &gas));
  CHECK_OK(zg_rlp_next_fixed(&it, to, 20));
  CHECK_OK(zg_rlp_next_u256(&it, value));
  CHECK_OK(zg_rlp_next_bytes(&it, &data));
  CHECK_OK(zg_rlp_next_u64(&it, &v));
  CHECK_OK(zg_rlp_next_u256(&it, r));
  CHECK_OK(zg_rlp_next_u256(&it, s));
  CHECK_OK(zg_rlp_iter_finish(&it));
  CHECK_EQ(nonce, 9);
  CHECK_EQ(zg_load_be64(gas_price + 24), 20000000000ull);
  CHECK_EQ(gas, 21000);
  CHECK(to[0] == 0x35 && to[19] == 0x35);
  CHECK_EQ(zg_load_be64(value + 24), 1000000000000000000ull);
  CHECK_EQ(data.len, 0);
  CHECK_EQ(v, 37);
  CHECK(r[0] == 0x28 && s[31] == 0x83);
  /* Past the end: a missing field is a truncated list. */
  uint64_t extra;
  CHECK_ERR(zg_rlp_next_u64(&it, &extra), ZG_ETRUNC);

  /* Re-encode field by field. */
  zg_rlp_writer_t w;
  zg_rlp_writer_init(&w, &out);
  CHECK_OK(zg_rlp_list_begin(&w));
  CHECK_OK(zg_rlp_put_u64(&w, nonce));
  CHECK_OK(zg_rlp_put_u256(&w, gas_price));
  CHECK_OK(zg_rlp_put_u64(&w, gas));
  CHECK_OK(zg_rlp_put_bytes(&w, to, 20));
  CHECK_OK(zg_rlp_put_u256(&w, value));
  CHECK_OK(zg_rlp_put_bytes(&w, data.ptr, data.len));
  CHECK_OK(zg_rlp_put_u64(&w, v));
  CHECK_OK(zg_rlp_put_u256(&w, r));
  CHECK_OK(zg_rlp_put_u256(&w, s));
  CHECK_OK(zg_rlp_list_end(&w));
  CHECK_OK(zg_rlp_writer_finish(&w));
  CHECK(out.len == tx.len && memcmp(out.ptr, tx.ptr, tx.len) == 0);
  CHECK_OK(roundtrip(tx.ptr, tx.len));

  /* The EIP-155 signing payload: v = chain id 1, r = s = 0. */
  out.len = 0;
  CHECK_OK(zg_rlp_list_begin(&w));
  CHECK_OK(zg_rlp_put_u64(&w, nonce));
  CHECK_OK(zg_rlp_put_u256(&w, gas_price));
  CHECK_OK(zg_rlp_put_u64(&w, gas));
  CHECK_OK(zg_rlp_put_bytes(&w, to, 20));
  CHECK_OK(zg_rlp_put_u256(&w, value));
  CHECK_OK(zg_rlp_put_bytes(&w, NULL, 0));
  CHECK_OK(zg_rlp_put_u64(&w, 1));
  CHECK_OK(zg_rlp_put_u64(&w, 0));
  CHECK_OK(zg_rlp_put_u64(&w, 0));
  CHECK_OK(zg_rlp_list_end(&w));
  hex(&want, EIP155_SIGNING);
  CHECK(out.len == want.len && memcmp(out.ptr, want.ptr, want.len) == 0);

  /* Every strict prefix is truncated; any suffix is trailing. */
  for (size_t n = 0; n < tx.len; n++) {
    zg_rlp_item_t x;
    CHECK_ERR(zg_rlp_decode(&x, tx.ptr, n), ZG_ETRUNC);
  }
  CHECK_OK(zg_buf_push(&tx, 0x80));
  CHECK_ERR(zg_rlp_decode(&top, tx.ptr, tx.len), ZG_ETRAILING);
  size_t used = 0;
  CHECK_OK(zg_rlp_decode_prefix(&top, &used, tx.ptr, tx.len));
  CHECK_EQ(used, tx.len - 1);
  zg_buf_clear(&tx);
  zg_buf_clear(&out);
  zg_buf_clear(&want);
}

static zg_err_t decode_hex(const char *h) {
  zg_buf_t b;
  zg_buf_init(&b);
  /* Reserve first: zg_hex_decode_buf("0x") on an empty buffer trips UBSan
   * (NULL + 0 in bytes.c). */
  zg_err_t e = zg_buf_reserve(&b, 1);
  if (e == ZG_OK) e = zg_hex_decode_buf(&b, h, strlen(h));
  if (e == ZG_OK) {
    zg_rlp_item_t it;
    e = zg_rlp_decode(&it, b.ptr, b.len);
  }
  zg_buf_clear(&b);
  return e;
}

static void test_malformed(void) {
  CHECK_ERR(decode_hex("0x"), ZG_ETRUNC);
  CHECK_ERR(decode_hex("0x8100"), ZG_ENONCANON);      /* single byte wrapped */
  CHECK_ERR(decode_hex("0x817f"), ZG_ENONCANON);
  CHECK_OK(decode_hex("0x8180"));
  CHECK_ERR(decode_hex("0xb80568656c6c6f"), ZG_ENONCANON); /* short string in long form */
  CHECK_ERR(decode_hex("0xf802c0c0"), ZG_ENONCANON);       /* short list in long form */
  CHECK_ERR(decode_hex("0xb90038"), ZG_ENONCANON);         /* length with a leading zero */
  CHECK_ERR(decode_hex("0xf90038"), ZG_ENONCANON);
  CHECK_ERR(decode_hex("0x83646f"), ZG_ETRUNC);
  CHECK_ERR(decode_hex("0x83646f6700"), ZG_ETRAILING);
  CHECK_ERR(decode_hex("0xc0c0"), ZG_ETRAILING);
  CHECK_ERR(decode_hex("0xc7836361748364"), ZG_ETRUNC);    /* list shorter than its header says */
  CHECK_ERR(decode_hex("0xc783636174826f"), ZG_ETRUNC);    /* last element runs past the list */
  CHECK_ERR(decode_hex("0xc58363617483646f67"), ZG_ETRUNC); /* element crosses the list end */
  CHECK_ERR(decode_hex("0xb8"), ZG_ETRUNC);
  CHECK_ERR(decode_hex("0xbfffffffffffffffff"), ZG_ETRUNC); /* 2^64-1 bytes announced */
  CHECK_ERR(decode_hex("0xbf01"), ZG_ETRUNC);
  CHECK_ERR(decode_hex("0xc28100"), ZG_ENONCANON);         /* nested non-canonical */
  CHECK_ERR(decode_hex("0xc3c28100"), ZG_ENONCANON);

  /* The invalid cases of ethereum/tests RLPTests/invalidRLPTest.json. */
  static const struct {
    const char *hex;
    zg_err_t want;
  } eth[] = {
      {"0xbf0f000000000000021111", ZG_ETRUNC},
      {"0xff0f000000000000021111", ZG_ETRUNC},
      {"0xf80180", ZG_ENONCANON},
      {"0xf80100", ZG_ENONCANON},
      {"0xb9002100dc2b275d0f74e8a53e6f4ec61b27f24278820be3f82ea2110e582081b0565df0", ZG_ENONCANON},
      {"0xf861f83eb9002100dc2b275d0f74e8a53e6f4ec61b27f24278820be3f82ea2110e582081b0565df027b90015002d5ef8325ae4d03"
       "4df55d4b58d0dfba64d61ddd17be00000b9001a00dae30907045a2f66fa36f2bb8aa9029cbb0b8a7b3b5c435ab331",
       ZG_OK /* any error */},
      {"0x8100", ZG_ENONCANON},
      {"0x8101", ZG_ENONCANON},
      {"0x817F", ZG_ENONCANON},
      {"0xb90040000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30"
       "3132333435363738393a3b3c3d3e3f",
       ZG_ENONCANON},
      {"0xb800", ZG_ENONCANON},
      {"0xfb00000040000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e"
       "2f303132333435363738393a3b3c3d3e3f",
       ZG_ENONCANON},
      {"0xf800", ZG_ENONCANON},
      {"0xb81000112233445566778899aabbccddeeff", ZG_ENONCANON},
      {"0xb801ff", ZG_ENONCANON},
      {"0xf810000102030405060708090a0b0c0d0e0f", ZG_ENONCANON},
      {"0xf803112233", ZG_ENONCANON},
  };
  for (size_t k = 0; k < sizeof eth / sizeof eth[0]; k++) {
    zg_err_t e = decode_hex(eth[k].hex);
    if (e == ZG_OK || (eth[k].want != ZG_OK && e != eth[k].want))
      ZGT_FAIL("invalidRLPTest case %zu -> %s, want %s", k, zg_errname(e), zg_errname(eth[k].want));
  }

  /* Integers. */
  zg_buf_t b;
  zg_buf_init(&b);
  zg_rlp_item_t it;
  uint64_t v = 1;
  uint8_t w[32];
  hex(&b, "0x820001");
  CHECK_OK(zg_rlp_decode(&it, b.ptr, b.len));
  CHECK_ERR(zg_rlp_item_u64(&v, &it), ZG_ENONCANON);
  CHECK_EQ(v, 0);
  hex(&b, "0x00"); /* zero must be 0x80, not the byte 0x00 */
  CHECK_OK(zg_rlp_decode(&it, b.ptr, b.len));
  CHECK_ERR(zg_rlp_item_u64(&v, &it), ZG_ENONCANON);
  hex(&b, "0x89010000000000000000");
  CHECK_OK(zg_rlp_decode(&it, b.ptr, b.len));
  CHECK_ERR(zg_rlp_item_u64(&v, &it), ZG_EOVERFLOW);
  CHECK_OK(zg_rlp_item_uint(w, 32, &it));
  CHECK(w[22] == 0 && w[23] == 1 && w[24] == 0);
  hex(&b, "0x80");
  CHECK_OK(zg_rlp_decode(&it, b.ptr, b.len));
  CHECK_OK(zg_rlp_item_u64(&v, &it));
  CHECK_EQ(v, 0);
  /* 33-byte integer does not fit 256 bits. */
  b.len = 0;
  CHECK_OK(zg_buf_push(&b, 0xa1));
  for (int i = 0; i < 33; i++) CHECK_OK(zg_buf_push(&b, 0xff));
  CHECK_OK(zg_rlp_decode(&it, b.ptr, b.len));
  CHECK_ERR(zg_rlp_item_uint(w, 32, &it), ZG_EOVERFLOW);

  /* Types and fixed sizes. */
  hex(&b, "0xc3c08080");
  CHECK_OK(zg_rlp_decode(&it, b.ptr, b.len));
  zg_rlp_iter_t i;
  zg_slice_t sl;
  CHECK_ERR(zg_rlp_item_bytes(&sl, &it), ZG_ETYPE);
  CHECK_ERR(zg_rlp_item_u64(&v, &it), ZG_ETYPE);
  CHECK_OK(zg_rlp_iter_init(&i, &it));
  CHECK_ERR(zg_rlp_next_u64(&i, &v), ZG_ETYPE); /* element 0 is a list: not consumed */
  zg_rlp_iter_t sub;
  CHECK_OK(zg_rlp_next_list(&i, &sub));
  CHECK(zg_rlp_iter_done(&sub));
  CHECK_ERR(zg_rlp_iter_finish(&i), ZG_ETRAILING);
  CHECK_ERR(zg_rlp_next_list(&i, &sub), ZG_ETYPE);
  uint8_t addr[20];
  hex(&b, "0xc3823535");
  CHECK_OK(zg_rlp_decode(&it, b.ptr, b.len));
  CHECK_OK(zg_rlp_iter_init(&i, &it));
  CHECK_ERR(zg_rlp_next_fixed(&i, addr, 20), ZG_EBADLEN);
  hex(&b, "0x83646f67");
  CHECK_OK(zg_rlp_decode(&it, b.ptr, b.len));
  CHECK_ERR(zg_rlp_iter_init(&i, &it), ZG_ETYPE);
  size_t n;
  CHECK_ERR(zg_rlp_list_count(&n, &it), ZG_ETYPE);

  /* Depth: ZG_RLP_MAX_DEPTH nested lists decode, one more does not. */
  for (int extra = 0; extra <= 1; extra++) {
    b.len = 0;
    zg_rlp_writer_t wr;
    zg_rlp_writer_init(&wr, &b);
    for (int k = 0; k < ZG_RLP_MAX_DEPTH; k++) CHECK_OK(zg_rlp_list_begin(&wr));
    CHECK_ERR(zg_rlp_list_begin(&wr), ZG_EOVERFLOW);
    CHECK_ERR(zg_rlp_writer_finish(&wr), ZG_ESTATE);
    for (int k = 0; k < ZG_RLP_MAX_DEPTH; k++) CHECK_OK(zg_rlp_list_end(&wr));
    CHECK_ERR(zg_rlp_list_end(&wr), ZG_ESTATE);
    if (extra) {
      /* Wrap once more by hand: 0xf8 len. */
      size_t inner = b.len;
      zg_buf_t o;
      zg_buf_init(&o);
      CHECK_OK(zg_buf_push(&o, 0xf8));
      CHECK_OK(zg_buf_push(&o, (uint8_t)inner));
      CHECK_OK(zg_buf_append(&o, b.ptr, b.len));
      CHECK_ERR(zg_rlp_decode(&it, o.ptr, o.len), ZG_EOVERFLOW);
      zg_buf_clear(&o);
    } else {
      CHECK_OK(roundtrip(b.ptr, b.len));
    }
  }
  /* A hostile deep nest: 100000 levels, each claiming the rest. */
  b.len = 0;
  for (int k = 0; k < 100000; k++) CHECK_OK(zg_buf_push(&b, 0xc1));
  CHECK_ERR(zg_rlp_decode(&it, b.ptr, b.len), ZG_ETRUNC);
  zg_buf_clear(&b);
}

/* ---- random trees ---- */

/* Reference encoder, two-pass and independent of the writer. */
static size_t ref_header(uint8_t *h, uint8_t base, size_t len) {
  if (len < 56) { h[0] = (uint8_t)(base + len); return 1; }
  size_t ll = 0;
  for (size_t t = len; t; t >>= 8) ll++;
  h[0] = (uint8_t)(base + 55 + ll);
  for (size_t k = 0; k < ll; k++) h[ll - k] = (uint8_t)(len >> (8 * k));
  return 1 + ll;
}

/* Writes a random item to the writer and its reference encoding to ref. */
static void random_item(zg_rlp_writer_t *w, zg_buf_t *ref, int depth) {
  uint32_t r = zgt_rand_below(10);
  if (depth < 6 && r < 3) {
    CHECK_OK(zg_rlp_list_begin(w));
    zg_buf_t payload;
    zg_buf_init(&payload);
    uint32_t n = zgt_rand_below(r == 0 ? 40 : 5);
    for (uint32_t k = 0; k < n; k++) random_item(w, &payload, depth + 1);
    CHECK_OK(zg_rlp_list_end(w));
    uint8_t h[9];
    CHECK_OK(zg_buf_append(ref, h, ref_header(h, 0xc0, payload.len)));
    CHECK_OK(zg_buf_append(ref, payload.ptr, payload.len));
    zg_buf_clear(&payload);
    return;
  }
  uint8_t s[300] = {0};
  size_t n = r < 6 ? zgt_rand_below(3) : zgt_rand_below(sizeof s);
  zgt_rand_bytes(s, n);
  if (zgt_rand_below(2)) for (size_t k = 0; k < n; k++) s[k] &= 0x7f;
  CHECK_OK(zg_rlp_put_bytes(w, s, n));
  uint8_t h[9];
  if (n == 1 && s[0] < 0x80) {
    CHECK_OK(zg_buf_push(ref, s[0]));
  } else {
    CHECK_OK(zg_buf_append(ref, h, ref_header(h, 0x80, n)));
    CHECK_OK(zg_buf_append(ref, s, n));
  }
}

static void test_random(void) {
  long iters = zgt_iters(2000);
  zg_buf_t b, ref;
  zg_buf_init(&b);
  zg_buf_init(&ref);
  long mutants = 0, accepted = 0;
  for (long k = 0; k < iters; k++) {
    b.len = 0;
    ref.len = 0;
    zg_rlp_writer_t w;
    zg_rlp_writer_init(&w, &b);
    random_item(&w, &ref, 0);
    CHECK_OK(zg_rlp_writer_finish(&w));
    CHECK_EQ(b.len, ref.len);
    if (b.len == ref.len) CHECK_MEM(b.ptr, ref.ptr, b.len);
    CHECK_OK(roundtrip(b.ptr, b.len));
    /* Mutants: whatever is accepted must be canonical (re-encodes to itself). */
    for (int m = 0; m < 4 && b.len; m++) {
      size_t at = zgt_rand_below((uint32_t)b.len);
      uint8_t old = b.ptr[at];
      b.ptr[at] = (uint8_t)zgt_rand64();
      size_t n = zgt_rand_below(4) == 0 ? zgt_rand_below((uint32_t)b.len + 1) : b.len;
      mutants++;
      if (roundtrip(b.ptr, n) == ZG_OK) accepted++;
      b.ptr[at] = old;
    }
  }
  printf("  %ld random trees, %ld mutants (%ld still valid)\n", iters, mutants, accepted);
  zg_buf_clear(&b);
  zg_buf_clear(&ref);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_examples);
  ZGT_RUN(test_eip155);
  ZGT_RUN(test_malformed);
  ZGT_RUN(test_random);
  return zgt_done();
}

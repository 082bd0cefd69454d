/*
 * test_tx.c — Ethereum transactions (zg/tx.h): the EIP-155 worked example,
 * sign/decode/encode round trips of all three types with random fields,
 * one check per decoding defect (each its own code), gas and fee
 * arithmetic, and the sender cache. ethers.js interop is in
 * tests/interop/eth_tx.sh.
 */
#include <stdlib.h>
#include <string.h>

#include "zg/hash.h"
#include "zg/rlp.h"
#include "zg/tx.h"
#include "zg_test.h"

static zg_buf_t hexbuf(const char *h) {
  zg_buf_t b;
  zg_buf_init(&b);
  if (zg_hex_decode_buf(&b, h, strlen(h)) != ZG_OK) abort();
  return b;
}

static zg_secp256k1_sk_t key_of(uint8_t fill) {
  uint8_t k[32];
  memset(k, fill, 32);
  zg_secp256k1_sk_t sk;
  if (zg_secp256k1_sk_parse(&sk, k, 32) != ZG_OK) abort();
  return sk;
}

static zg_eth_addr_t addr_of(const zg_secp256k1_sk_t *sk) {
  zg_secp256k1_pk_t pk;
  zg_eth_addr_t a;
  if (zg_secp256k1_pubkey(&pk, sk) != ZG_OK) abort();
  zg_eth_address(&a, &pk);
  return a;
}

/* The example of EIP-155 itself. */
static void test_eip155_example(void) {
  zg_buf_t raw = hexbuf("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000"
                        "8025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761a"
                        "ecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
  zg_buf_t sighash = hexbuf("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
  zg_tx_t tx;
  CHECK_OK(zg_tx_decode(&tx, raw.ptr, raw.len, 1));
  CHECK_EQ(tx.type, ZG_TX_LEGACY);
  CHECK_EQ(tx.chain_id, 1);
  CHECK_EQ(tx.nonce, 9);
  CHECK_EQ(tx.gas_price.w[0], 20000000000ull);
  CHECK_EQ(tx.gas_limit, 21000);
  CHECK_EQ(tx.value.w[0], 1000000000000000000ull);
  CHECK_EQ(tx.v, 37);
  CHECK_EQ(tx.sig.v, 0);
  CHECK(tx.has_to && tx.to.bytes[0] == 0x35 && tx.to.bytes[19] == 0x35);
  CHECK_EQ(tx.data.len, 0);
  CHECK_MEM(tx.sighash, sighash.ptr, 32);
  uint8_t h[32];
  zg_keccak256(h, raw.ptr, raw.len);
  CHECK_MEM(tx.hash, h, 32);

  zg_secp256k1_sk_t sk = key_of(0x46);
  zg_eth_addr_t want = addr_of(&sk), got;
  CHECK_OK(zg_tx_sender(&got, &tx));
  CHECK_MEM(got.bytes, want.bytes, 20);
  char text[43];
  zg_eth_address_to_text(text, &got);
  CHECK(strcmp(text, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F") == 0);

  zg_buf_t again;
  zg_buf_init(&again);
  CHECK_OK(zg_tx_sign(&again, &tx, &sk));
  CHECK_EQ(again.len, raw.len);
  CHECK_MEM(again.ptr, raw.ptr, raw.len);
  again.len = 0;
  CHECK_OK(zg_tx_encode(&again, &tx));
  CHECK_MEM(again.ptr, raw.ptr, raw.len);
  CHECK_EQ(zg_tx_intrinsic_gas(&tx), 21000);
  CHECK_OK(zg_tx_check(&tx));
  /* Another chain refuses it; chain id 0 accepts any. */
  CHECK_ERR(zg_tx_decode(&tx, raw.ptr, raw.len, 16888), ZG_ECHAINID);
  CHECK_OK(zg_tx_decode(&tx, raw.ptr, raw.len, 0));
  zg_buf_clear(&again);
  zg_buf_clear(&raw);
  zg_buf_clear(&sighash);
}

/* A random access list of up to 3 entries with up to 3 keys each. */
static void random_access_list(zg_buf_t *out, uint32_t *na, uint32_t *nk) {
  zg_rlp_writer_t w;
  zg_rlp_writer_init(&w, out);
  *na = zgt_rand_below(4);
  *nk = 0;
  CHECK_OK(zg_rlp_list_begin(&w));
  for (uint32_t i = 0; i < *na; i++) {
    uint8_t a[20], k[32];
    zgt_rand_bytes(a, 20);
    CHECK_OK(zg_rlp_list_begin(&w));
    CHECK_OK(zg_rlp_put_bytes(&w, a, 20));
    CHECK_OK(zg_rlp_list_begin(&w));
    uint32_t keys = zgt_rand_below(4);
    for (uint32_t j = 0; j < keys; j++) {
      zgt_rand_bytes(k, 32);
      if (zgt_rand_below(3) == 0) memset(k, 0, 32);
      CHECK_OK(zg_rlp_put_bytes(&w, k, 32));
    }
    *nk += keys;
    CHECK_OK(zg_rlp_list_end(&w));
    CHECK_OK(zg_rlp_list_end(&w));
  }
  CHECK_OK(zg_rlp_list_end(&w));
}

static zg_u256_t random_u256(void) {
  zg_u256_t v = zg_u256_from_u64(0);
  switch (zgt_rand_below(4)) {
  case 0: break;
  case 1: v.w[0] = zgt_rand64() >> zgt_rand_below(64); break;
  case 2: v.w[0] = zgt_rand64(); v.w[1] = zgt_rand64(); break;
  default: for (int i = 0; i < 4; i++) v.w[i] = zgt_rand64(); break;
  }
  return v;
}

/* Random fields of a random type; data and the access list live in bufs. */
static zg_tx_t random_fields(zg_buf_t *data, zg_buf_t *al, uint32_t *na, uint32_t *nk) {
  zg_tx_t t;
  memset(&t, 0, sizeof t);
  t.type = (uint8_t)zgt_rand_below(3);
  t.chain_id = zgt_rand_below(2) ? 16888 : 1 + (zgt_rand64() >> (1 + zgt_rand_below(63)));
  t.nonce = zgt_rand_below(2) ? zgt_rand_below(300) : zgt_rand64() >> 1;
  t.gas_price = random_u256();
  t.max_fee = random_u256();
  t.max_priority_fee = random_u256();
  t.gas_limit = zgt_rand_below(2) ? 21000 : zgt_rand64() >> zgt_rand_below(64);
  t.has_to = zgt_rand_below(8) != 0;
  if (t.has_to) zgt_rand_bytes(t.to.bytes, 20);
  t.value = random_u256();
  data->len = 0;
  size_t dlen = zgt_rand_below(3) == 0 ? 0 : zgt_rand_below(zgt_rand_below(4) == 0 ? 3000 : 70);
  CHECK_OK(zg_buf_reserve(data, dlen + 1));
  zgt_rand_bytes(data->ptr, dlen);
  for (size_t i = 0; i < dlen; i++) if (zgt_rand_below(3) == 0) data->ptr[i] = 0;
  data->len = dlen;
  t.data = zg_slice(data->ptr, dlen);
  al->len = 0;
  *na = *nk = 0;
  if (t.type != ZG_TX_LEGACY && zgt_rand_below(2)) {
    random_access_list(al, na, nk);
    t.access_list = zg_buf_slice(al);
  }
  return t;
}

static void test_roundtrip_random(void) {
  zg_buf_t data, al, raw, enc;
  zg_buf_init(&data);
  zg_buf_init(&al);
  zg_buf_init(&raw);
  zg_buf_init(&enc);
  long n = zgt_iters(300);
  for (long i = 0; i < n; i++) {
    uint32_t na, nk;
    zg_tx_t f = random_fields(&data, &al, &na, &nk);
    uint8_t kb[32];
    zgt_rand_bytes(kb, 32);
    kb[0] &= 0x7f;
    kb[31] |= 1;
    zg_secp256k1_sk_t sk;
    CHECK_OK(zg_secp256k1_sk_parse(&sk, kb, 32));
    raw.len = 0;
    CHECK_OK(zg_tx_sign(&raw, &f, &sk));
    zg_tx_t tx;
    CHECK_OK(zg_tx_decode(&tx, raw.ptr, raw.len, f.chain_id));
    CHECK_EQ(tx.type, f.type);
    CHECK_EQ(tx.nonce, f.nonce);
    CHECK_EQ(tx.gas_limit, f.gas_limit);
    CHECK_EQ(tx.has_to, f.has_to);
    CHECK_MEM(tx.to.bytes, f.to.bytes, 20);
    CHECK(zg_u256_cmp(&tx.value, &f.value) == 0);
    if (f.type == ZG_TX_DYNAMIC_FEE) {
      CHECK(zg_u256_cmp(&tx.max_fee, &f.max_fee) == 0);
      CHECK(zg_u256_cmp(&tx.max_priority_fee, &f.max_priority_fee) == 0);
    } else {
      CHECK(zg_u256_cmp(&tx.max_fee, &f.gas_price) == 0);
      CHECK(zg_u256_cmp(&tx.gas_price, &f.gas_price) == 0);
    }
    CHECK_EQ(tx.data.len, f.data.len);
    if (f.data.len) CHECK_MEM(tx.data.ptr, f.data.ptr, f.data.len);
    CHECK_EQ(tx.access_addresses, na);
    CHECK_EQ(tx.access_keys, nk);
    zg_eth_addr_t want = addr_of(&sk), got;
    CHECK_OK(zg_tx_sender(&got, &tx));
    CHECK_MEM(got.bytes, want.bytes, 20);
    CHECK(tx.has_sighash);
    /* Without the signing hash: same tx, hash computed on demand. */
    zg_tx_t lazy;
    static const uint8_t zero[32];
    CHECK_OK(zg_tx_decode_nosighash(&lazy, raw.ptr, raw.len, f.chain_id));
    CHECK(!lazy.has_sighash);
    CHECK_MEM(lazy.sighash, zero, 32);
    CHECK_MEM(lazy.hash, tx.hash, 32);
    memset(&got, 0, sizeof got);
    CHECK_OK(zg_tx_sender(&got, &lazy));
    CHECK_MEM(got.bytes, want.bytes, 20);
    enc.len = 0;
    CHECK_OK(zg_tx_encode(&enc, &tx));
    CHECK_EQ(enc.len, raw.len);
    CHECK_MEM(enc.ptr, raw.ptr, raw.len);
    /* Intrinsic gas by the rule. */
    uint64_t g = 21000 + 2400ull * na + 1900ull * nk;
    for (size_t j = 0; j < f.data.len; j++) g += f.data.ptr[j] ? 16 : 4;
    CHECK_EQ(zg_tx_intrinsic_gas(&tx), g);
    zg_secp256k1_sk_clear(&sk);
  }
  zg_buf_clear(&data);
  zg_buf_clear(&al);
  zg_buf_clear(&raw);
  zg_buf_clear(&enc);
}

/* A signed 1559 tx (or legacy) with small fields, for the defect tests. */
static void signed_tx(zg_buf_t *raw, uint8_t type) {
  zg_tx_t f;
  memset(&f, 0, sizeof f);
  f.type = type;
  f.chain_id = 16888;
  f.nonce = 5;
  f.gas_price = f.max_fee = zg_u256_from_u64(2000000000);
  f.max_priority_fee = zg_u256_from_u64(1000000000);
  f.gas_limit = 21000;
  f.has_to = true;
  memset(f.to.bytes, 0x11, 20);
  f.value = zg_u256_from_u64(12345);
  zg_secp256k1_sk_t sk = key_of(0x07);
  raw->len = 0;
  CHECK_OK(zg_tx_sign(raw, &f, &sk));
}

/* Rebuilds raw with list element idx replaced by repl (dropped when repl
 * is NULL); extra, when given, is appended as a further element. */
static void rebuild(zg_buf_t *out, const zg_buf_t *raw, size_t idx, const char *repl_hex, const char *extra_hex) {
  size_t off = raw->ptr[0] < 0xc0 ? 1 : 0;
  zg_rlp_item_t list, e;
  CHECK_OK(zg_rlp_decode(&list, raw->ptr + off, raw->len - off));
  zg_rlp_iter_t it;
  CHECK_OK(zg_rlp_iter_init(&it, &list));
  out->len = 0;
  if (off) CHECK_OK(zg_buf_push(out, raw->ptr[0]));
  zg_rlp_writer_t w;
  zg_rlp_writer_init(&w, out);
  CHECK_OK(zg_rlp_list_begin(&w));
  for (size_t i = 0; !zg_rlp_iter_done(&it); i++) {
    CHECK_OK(zg_rlp_next(&it, &e));
    if (i != idx) {
      CHECK_OK(zg_rlp_put_raw(&w, e.raw.ptr, e.raw.len));
    } else if (repl_hex) {
      zg_buf_t r = hexbuf(repl_hex);
      CHECK_OK(zg_rlp_put_raw(&w, r.ptr, r.len));
      zg_buf_clear(&r);
    }
  }
  if (extra_hex) {
    zg_buf_t r = hexbuf(extra_hex);
    CHECK_OK(zg_rlp_put_raw(&w, r.ptr, r.len));
    zg_buf_clear(&r);
  }
  CHECK_OK(zg_rlp_list_end(&w));
}

static zg_err_t dec(const zg_buf_t *b) {
  zg_tx_t tx;
  return zg_tx_decode(&tx, b->ptr, b->len, 16888);
}

static void test_defects(void) {
  zg_buf_t raw, bad;
  zg_buf_init(&raw);
  zg_buf_init(&bad);
  signed_tx(&raw, ZG_TX_DYNAMIC_FEE);
  CHECK_OK(dec(&raw));
  /* The rebuild helper itself is faithful. */
  rebuild(&bad, &raw, 99, NULL, NULL);
  CHECK_EQ(bad.len, raw.len);
  CHECK_MEM(bad.ptr, raw.ptr, raw.len);

  /* Size, type, trailing bytes, truncation. */
  CHECK_OK(zg_buf_append(&bad, "\x00", 1));
  CHECK_ERR(dec(&bad), ZG_ETRAILING);
  bad.len = raw.len - 1;
  CHECK_ERR(dec(&bad), ZG_ETRUNC);
  bad.len = 0;
  CHECK_ERR(dec(&bad), ZG_ETRUNC);
  memcpy(bad.ptr, raw.ptr, raw.len);
  bad.len = raw.len;
  bad.ptr[0] = 0x03;
  CHECK_ERR(dec(&bad), ZG_EUNSUPPORTED);
  bad.ptr[0] = 0x00;
  CHECK_ERR(dec(&bad), ZG_EUNSUPPORTED);
  bad.ptr[0] = 0x7f;
  CHECK_ERR(dec(&bad), ZG_EUNSUPPORTED);
  zg_buf_t big;
  zg_buf_init(&big);
  CHECK_OK(zg_buf_reserve(&big, ZG_TX_MAX_SIZE + 1));
  memset(big.ptr, 0, ZG_TX_MAX_SIZE + 1);
  big.ptr[0] = 0x02;
  big.len = ZG_TX_MAX_SIZE + 1;
  CHECK_ERR(dec(&big), ZG_ETOOBIG);
  zg_buf_clear(&big);
  /* Field counts: one missing, one extra. */
  rebuild(&bad, &raw, 8, NULL, NULL);
  CHECK_ERR(dec(&bad), ZG_EBADLEN);
  rebuild(&bad, &raw, 99, NULL, "0x80");
  CHECK_ERR(dec(&bad), ZG_EBADLEN);
  /* Non-canonical integer (leading zero), and non-canonical RLP header. */
  rebuild(&bad, &raw, 1, "0x820005", NULL); /* nonce 5 as 00 05 */
  CHECK_ERR(dec(&bad), ZG_ENONCANON);
  rebuild(&bad, &raw, 1, "0x8105", NULL); /* single byte < 0x80 wrapped */
  CHECK_ERR(dec(&bad), ZG_ENONCANON);
  /* Oversized integers: a 9-byte nonce, a 33-byte value, nonce 2^64-1. */
  rebuild(&bad, &raw, 1, "0x89010000000000000000", NULL);
  CHECK_ERR(dec(&bad), ZG_EOVERFLOW);
  rebuild(&bad, &raw, 6, "0xa1010000000000000000000000000000000000000000000000000000000000000000", NULL);
  CHECK_ERR(dec(&bad), ZG_EOVERFLOW);
  rebuild(&bad, &raw, 1, "0x88ffffffffffffffff", NULL);
  CHECK_ERR(dec(&bad), ZG_EOVERFLOW);
  /* Wrong types and lengths: `to` of 19 bytes, data as a list, an access
   * list entry with a 19-byte address, a 31-byte key, a third field. */
  rebuild(&bad, &raw, 5, "0x9311111111111111111111111111111111111111", NULL);
  CHECK_ERR(dec(&bad), ZG_EBADLEN);
  rebuild(&bad, &raw, 7, "0xc0", NULL);
  CHECK_ERR(dec(&bad), ZG_ETYPE);
  rebuild(&bad, &raw, 8, "0xd6d5931111111111111111111111111111111111111111c0", NULL);
  CHECK_ERR(dec(&bad), ZG_EBADLEN);
  rebuild(&bad, &raw, 8, "0xf7f6941111111111111111111111111111111111111111e09f"
                         "00000000000000000000000000000000000000000000000000000000000000", NULL);
  CHECK_ERR(dec(&bad), ZG_EBADLEN);
  rebuild(&bad, &raw, 8, "0xd8d7941111111111111111111111111111111111111111c080", NULL);
  CHECK_ERR(dec(&bad), ZG_EBADLEN);
  rebuild(&bad, &raw, 8, "0x80", NULL);
  CHECK_ERR(dec(&bad), ZG_ETYPE);
  /* Bad v: yParity 2. Chain id: another one, and zero. */
  rebuild(&bad, &raw, 9, "0x02", NULL);
  CHECK_ERR(dec(&bad), ZG_EBADSIG);
  rebuild(&bad, &raw, 0, "0x01", NULL);
  CHECK_ERR(dec(&bad), ZG_ECHAINID);
  rebuild(&bad, &raw, 0, "0x80", NULL);
  CHECK_ERR(dec(&bad), ZG_ECHAINID);
  /* r zero, s >= n, high s. */
  rebuild(&bad, &raw, 10, "0x80", NULL);
  CHECK_ERR(dec(&bad), ZG_ERANGE);
  rebuild(&bad, &raw, 11, "0xa0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", NULL);
  CHECK_ERR(dec(&bad), ZG_ERANGE);
  {
    zg_tx_t tx;
    CHECK_OK(zg_tx_decode(&tx, raw.ptr, raw.len, 16888));
    zg_u256_t n, s, hs;
    zg_buf_t nb = hexbuf("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    zg_u256_from_be32(&n, nb.ptr);
    zg_u256_from_be32(&s, tx.sig.s);
    CHECK(zg_u256_sub(&hs, &n, &s));
    zg_tx_t m = tx;
    zg_u256_to_be32(m.sig.s, &hs);
    m.v ^= 1;
    m.sig.v ^= 1;
    zg_buf_t hi;
    zg_buf_init(&hi);
    CHECK_OK(zg_tx_encode(&hi, &m));
    CHECK_ERR(dec(&hi), ZG_ESCALAR);
    zg_buf_clear(&hi);
    zg_buf_clear(&nb);
  }
  /* Legacy: pre-EIP-155 v = 27 refused, v = 30 bad, v of another chain. */
  signed_tx(&raw, ZG_TX_LEGACY);
  CHECK_OK(dec(&raw));
  rebuild(&bad, &raw, 6, "0x1b", NULL);
  CHECK_ERR(dec(&bad), ZG_EUNSUPPORTED);
  rebuild(&bad, &raw, 6, "0x1e", NULL);
  CHECK_ERR(dec(&bad), ZG_EBADSIG);
  rebuild(&bad, &raw, 6, "0x25", NULL); /* 37: chain 1 */
  CHECK_ERR(dec(&bad), ZG_ECHAINID);
  CHECK(strstr(zg_tx_strerror(ZG_ESCALAR), "v, r, s") != NULL);
  CHECK(strcmp(zg_tx_strerror(ZG_ENOMEM), zg_strerror(ZG_ENOMEM)) == 0);
  zg_buf_clear(&raw);
  zg_buf_clear(&bad);
}

/* Random mutations of valid txs: never a crash; whatever decodes
 * re-encodes to exactly its bytes. */
static void test_mutations(void) {
  zg_buf_t data, al, raw, enc;
  zg_buf_init(&data);
  zg_buf_init(&al);
  zg_buf_init(&raw);
  zg_buf_init(&enc);
  zg_secp256k1_sk_t sk = key_of(0x21);
  long n = zgt_iters(2000), ok = 0;
  for (long i = 0; i < n; i++) {
    uint32_t na, nk;
    zg_tx_t f = random_fields(&data, &al, &na, &nk);
    raw.len = 0;
    CHECK_OK(zg_tx_sign(&raw, &f, &sk));
    int flips = 1 + (int)zgt_rand_below(3);
    for (int j = 0; j < flips; j++) raw.ptr[zgt_rand_below((uint32_t)raw.len)] ^= (uint8_t)(1 + zgt_rand_below(255));
    if (zgt_rand_below(4) == 0) raw.len = zgt_rand_below((uint32_t)raw.len + 1);
    zg_tx_t tx;
    if (zg_tx_decode(&tx, raw.ptr, raw.len, 0) != ZG_OK) continue;
    ok++;
    enc.len = 0;
    CHECK_OK(zg_tx_encode(&enc, &tx));
    CHECK_EQ(enc.len, raw.len);
    CHECK_MEM(enc.ptr, raw.ptr, raw.len);
    zg_eth_addr_t a;
    (void)!zg_tx_sender(&a, &tx);
  }
  printf("  %ld mutated txs, %ld still decoded\n", n, ok);
  zg_buf_clear(&data);
  zg_buf_clear(&al);
  zg_buf_clear(&raw);
  zg_buf_clear(&enc);
}

static void test_gas_and_fees(void) {
  zg_buf_t raw;
  zg_buf_init(&raw);
  signed_tx(&raw, ZG_TX_DYNAMIC_FEE); /* max fee 2 gwei, tip 1 gwei */
  zg_tx_t tx;
  CHECK_OK(zg_tx_decode(&tx, raw.ptr, raw.len, 16888));
  zg_u256_t base = zg_u256_from_u64(500000000), price, tip;
  CHECK_OK(zg_tx_effective_gas_price(&price, &tip, &tx, &base));
  CHECK_EQ(price.w[0], 1500000000ull);
  CHECK_EQ(tip.w[0], 1000000000ull);
  base = zg_u256_from_u64(1500000000);
  CHECK_OK(zg_tx_effective_gas_price(&price, &tip, &tx, &base));
  CHECK_EQ(price.w[0], 2000000000ull); /* capped by max fee */
  CHECK_EQ(tip.w[0], 500000000ull);
  base = zg_u256_from_u64(2000000001);
  CHECK_ERR(zg_tx_effective_gas_price(&price, &tip, &tx, &base), ZG_EFEE);
  CHECK(zg_u256_is_zero(&price) && zg_u256_is_zero(&tip));
  zg_u256_t cost;
  CHECK_OK(zg_tx_max_cost(&cost, &tx));
  CHECK_EQ(cost.w[0], 21000ull * 2000000000ull + 12345);
  CHECK_OK(zg_tx_check(&tx));

  zg_tx_t m = tx;
  m.gas_limit = 20999;
  CHECK_ERR(zg_tx_check(&m), ZG_EGAS);
  m = tx;
  m.max_priority_fee = zg_u256_from_u64(3000000000);
  CHECK_ERR(zg_tx_check(&m), ZG_EFEE);
  m = tx;
  m.has_to = false;
  CHECK_ERR(zg_tx_check(&m), ZG_EUNSUPPORTED);
  m = tx;
  m.max_fee.w[3] = 1ull << 63;
  CHECK_ERR(zg_tx_max_cost(&cost, &m), ZG_EOVERFLOW);
  /* Contract creation decodes (it is zg_tx_check that refuses it). */
  zg_tx_t f = tx;
  f.has_to = false;
  f.access_list = zg_slice(NULL, 0);
  zg_secp256k1_sk_t sk = key_of(0x07);
  raw.len = 0;
  CHECK_OK(zg_tx_sign(&raw, &f, &sk));
  CHECK_OK(zg_tx_decode(&tx, raw.ptr, raw.len, 16888));
  CHECK(!tx.has_to);
  CHECK_ERR(zg_tx_check(&tx), ZG_EUNSUPPORTED);
  /* Bad signing fields. */
  f.chain_id = 0;
  CHECK_ERR(zg_tx_sign(&raw, &f, &sk), ZG_EINVAL);
  f.chain_id = 1;
  f.type = 3;
  CHECK_ERR(zg_tx_sign(&raw, &f, &sk), ZG_EINVAL);
  f.type = ZG_TX_ACCESS_LIST;
  f.access_list = zg_slice("\x80", 1);
  CHECK_ERR(zg_tx_sign(&raw, &f, &sk), ZG_ETYPE);
  zg_buf_clear(&raw);
}

static void test_sender_cache(void) {
  zg_tx_cache_t *c;
  CHECK_OK(zg_tx_cache_create(&c, 64));
  zg_buf_t raw;
  zg_buf_init(&raw);
  signed_tx(&raw, ZG_TX_ACCESS_LIST);
  zg_tx_t tx;
  CHECK_OK(zg_tx_decode(&tx, raw.ptr, raw.len, 16888));
  zg_eth_addr_t a1, a2;
  bool hit = true;
  CHECK_OK(zg_tx_sender_cached(&a1, &hit, &tx, c));
  CHECK(!hit);
  CHECK_OK(zg_tx_sender_cached(&a2, &hit, &tx, c));
  CHECK(hit);
  CHECK_MEM(a1.bytes, a2.bytes, 20);
  uint64_t lookups, hits;
  zg_tx_cache_stats(c, &lookups, &hits);
  CHECK_EQ(lookups, 2);
  CHECK_EQ(hits, 1);
  /* Bounded: after many more entries than it holds, old ones are gone, the
   * last one is there. */
  uint8_t h[32];
  zg_eth_addr_t s;
  memset(&s, 0xab, sizeof s);
  for (int i = 0; i < 1000; i++) {
    zgt_rand_bytes(h, 32);
    zg_tx_cache_put(c, h, &s);
  }
  zg_eth_addr_t out;
  CHECK(zg_tx_cache_get(c, &out, h));
  CHECK_MEM(out.bytes, s.bytes, 20);
  size_t present = 0;
  uint8_t probe[32];
  for (int i = 0; i < 1000; i++) {
    zgt_rand_bytes(probe, 32);
    present += zg_tx_cache_get(c, &out, probe);
  }
  CHECK_EQ(present, 0);
  zg_tx_cache_destroy(c);
  zg_buf_clear(&raw);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_eip155_example);
  ZGT_RUN(test_roundtrip_random);
  ZGT_RUN(test_defects);
  ZGT_RUN(test_mutations);
  ZGT_RUN(test_gas_and_fees);
  ZGT_RUN(test_sender_cache);
  return zgt_done();
}

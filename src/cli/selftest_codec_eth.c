/*
 * selftest_codec_eth.c — self-test section "base_rlp_abi": the Ethereum
 * codecs against published bytes. RLP: the EIP-155 example transaction is
 * decoded field by field and re-encoded byte-identically. ABI: the Solidity
 * spec's sam("dave", true, [1,2,3]) call is encoded and compared with the
 * spec's 292 bytes (selector included), decoded back, and a corrupted copy
 * (an offset pointing into the head) is rejected. Prints timings.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "zg/abi.h"
#include "zg/bytes.h"
#include "zg/log.h"
#include "zg/rlp.h"

static const char EIP155_TX[] =
    "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195"
    "fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";

static const char SAM_CALL[] =
    "0xa5643bf2"
    "0000000000000000000000000000000000000000000000000000000000000060"
    "0000000000000000000000000000000000000000000000000000000000000001"
    "00000000000000000000000000000000000000000000000000000000000000a0"
    "0000000000000000000000000000000000000000000000000000000000000004"
    "6461766500000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000003"
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000000000000000000000000000000000000000000002"
    "0000000000000000000000000000000000000000000000000000000000000003";

/* Decodes the EIP-155 transaction's nine fields and writes them back. */
static zg_err_t tx_roundtrip(zg_buf_t *out, uint64_t *nonce, uint64_t *v, const zg_buf_t *tx) {
  zg_rlp_item_t top;
  zg_rlp_iter_t it;
  uint64_t gas;
  uint8_t gas_price[32], to[20], value[32], r[32], s[32];
  zg_slice_t data;
  ZG_TRY(zg_rlp_decode(&top, tx->ptr, tx->len));
  ZG_TRY(zg_rlp_iter_init(&it, &top));
  ZG_TRY(zg_rlp_next_u64(&it, nonce));
  ZG_TRY(zg_rlp_next_u256(&it, gas_price));
  ZG_TRY(zg_rlp_next_u64(&it, &gas));
  ZG_TRY(zg_rlp_next_fixed(&it, to, 20));
  ZG_TRY(zg_rlp_next_u256(&it, value));
  ZG_TRY(zg_rlp_next_bytes(&it, &data));
  ZG_TRY(zg_rlp_next_u64(&it, v));
  ZG_TRY(zg_rlp_next_u256(&it, r));
  ZG_TRY(zg_rlp_next_u256(&it, s));
  ZG_TRY(zg_rlp_iter_finish(&it));
  zg_rlp_writer_t w;
  out->len = 0;
  zg_rlp_writer_init(&w, out);
  ZG_TRY(zg_rlp_list_begin(&w));
  ZG_TRY(zg_rlp_put_u64(&w, *nonce));
  ZG_TRY(zg_rlp_put_u256(&w, gas_price));
  ZG_TRY(zg_rlp_put_u64(&w, gas));
  ZG_TRY(zg_rlp_put_bytes(&w, to, 20));
  ZG_TRY(zg_rlp_put_u256(&w, value));
  ZG_TRY(zg_rlp_put_bytes(&w, data.ptr, data.len));
  ZG_TRY(zg_rlp_put_u64(&w, *v));
  ZG_TRY(zg_rlp_put_u256(&w, r));
  ZG_TRY(zg_rlp_put_u256(&w, s));
  ZG_TRY(zg_rlp_list_end(&w));
  return zg_rlp_writer_finish(&w);
}

ZG_SELFTEST(base_rlp_abi) {
  bool ok = true;
  zg_buf_t tx, out, want;
  zg_buf_init(&tx);
  zg_buf_init(&out);
  zg_buf_init(&want);
  zg_abi_arena_t types;
  zg_abi_arena_init(&types);

  /* RLP */
  ZG_ST_CHECK(ok, zg_hex_decode_buf(&tx, EIP155_TX, strlen(EIP155_TX)) == ZG_OK);
  uint64_t nonce = 0, v = 0;
  ZG_ST_CHECK(ok, tx_roundtrip(&out, &nonce, &v, &tx) == ZG_OK);
  ZG_ST_CHECK(ok, out.len == tx.len && memcmp(out.ptr, tx.ptr, tx.len) == 0);
  ZG_ST_CHECK(ok, nonce == 9 && v == 37);
  int rounds = 20000;
  uint64_t t0 = zg_clock_ns();
  for (int i = 0; i < rounds; i++)
    if (tx_roundtrip(&out, &nonce, &v, &tx) != ZG_OK) ok = false;
  double rlp_ns = (double)(zg_clock_ns() - t0) / rounds;
  printf("   RLP: EIP-155 example tx (%zu bytes, nonce %llu, v %llu) decoded and re-encoded byte-identically,"
         " %.0f ns per round trip\n",
         tx.len, (unsigned long long)nonce, (unsigned long long)v, rlp_ns);
  zg_rlp_item_t item;
  const uint8_t wrapped[] = {0x81, 0x05};
  ZG_ST_CHECK(ok, zg_rlp_decode(&item, wrapped, sizeof wrapped) == ZG_ENONCANON);
  printf("   RLP: rejected 0x8105 (a single byte < 0x80 wrapped) with ZG_ENONCANON\n");

  /* ABI */
  zg_abi_func_t sam;
  ZG_ST_CHECK(ok, zg_abi_func_parse(&sam, &types, "sam(bytes,bool,uint256[])") == ZG_OK);
  ZG_ST_CHECK(ok, zg_hex_decode_buf(&want, SAM_CALL, strlen(SAM_CALL)) == ZG_OK);
  zg_abi_value_t nums[3] = {zg_abi_u64(1), zg_abi_u64(2), zg_abi_u64(3)};
  zg_abi_value_t args[3] = {zg_abi_bytes("dave", 4), zg_abi_bool(true), zg_abi_array(nums, 3)};
  out.len = 0;
  ZG_ST_CHECK(ok, sam.args && zg_abi_call_encode(&out, &sam, args, 3) == ZG_OK);
  ZG_ST_CHECK(ok, out.len == want.len && memcmp(out.ptr, want.ptr, want.len) == 0);
  zg_abi_arena_t a;
  zg_abi_arena_init(&a);
  zg_abi_value_t dec;
  zg_abi_value_t tuple = zg_abi_tuple(args, 3);
  ZG_ST_CHECK(ok, sam.args && zg_abi_call_decode(&dec, &a, &sam, want.ptr, want.len) == ZG_OK);
  ZG_ST_CHECK(ok, zg_abi_value_eq(&dec, &tuple));
  zg_abi_arena_clear(&a);
  t0 = zg_clock_ns();
  for (int i = 0; i < rounds && sam.args; i++) {
    out.len = 0;
    if (zg_abi_call_encode(&out, &sam, args, 3) != ZG_OK) ok = false;
    if (zg_abi_call_decode(&dec, &a, &sam, out.ptr, out.len) != ZG_OK) ok = false;
    zg_abi_arena_clear(&a);
  }
  double abi_ns = (double)(zg_clock_ns() - t0) / rounds;
  printf("   ABI: sam(\"dave\",true,[1,2,3]) = selector 0x%02x%02x%02x%02x + %zu bytes, equal to the spec's;"
         " decoded back; %.0f ns per encode+decode\n",
         sam.selector[0], sam.selector[1], sam.selector[2], sam.selector[3], want.len - 4, abi_ns);
  want.ptr[4 + 31] = 0x20; /* the bytes offset now points into the head */
  ZG_ST_CHECK(ok, sam.args && zg_abi_call_decode(&dec, &a, &sam, want.ptr, want.len) == ZG_EOFFSET);
  zg_abi_arena_clear(&a);
  printf("   ABI: rejected the same call with its first offset pointing into the head (ZG_EOFFSET)\n");

  zg_abi_arena_clear(&types);
  zg_buf_clear(&tx);
  zg_buf_clear(&out);
  zg_buf_clear(&want);
  return ok;
}

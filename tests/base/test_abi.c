/* test_abi.c — Solidity ABI: the spec's worked examples byte-exact (with
 * selectors), events and encodePacked, integer ranges, strict decoding of
 * every malformed form, limits, and random type trees round-tripped. */
#include <stdio.h>

#include "zg/abi.h"
#include "zg_test.h"

static zg_abi_arena_t A;

static const zg_abi_type_t *T(const char *s) {
  const zg_abi_type_t *t = NULL;
  zg_err_t e = zg_abi_type_parse_str(&t, &A, s);
  if (e != ZG_OK) ZGT_FAIL("parse %s -> %s", s, zg_errname(e));
  return t;
}

/* Hex with optional whitespace, for the spec's multi-line examples. */
static void unhex(zg_buf_t *b, const char *s) {
  char clean[8192];
  size_t n = 0;
  for (; *s && n + 1 < sizeof clean; s++)
    if (*s != ' ' && *s != '\n') clean[n++] = *s;
  b->len = 0;
  CHECK_OK(zg_buf_reserve(b, 1));
  CHECK_OK(zg_hex_decode_buf(b, clean, n));
}

static bool buf_eq(const zg_buf_t *a, const zg_buf_t *b) {
  return a->len == b->len && (a->len == 0 || memcmp(a->ptr, b->ptr, a->len) == 0);
}

/* Encodes a call, compares with the expected hex, decodes it back, compares
 * values, and re-encodes the decoded values. */
static void check_call(const char *sig, const char *sel_hex, const zg_abi_value_t *args, size_t n,
                       const char *want_hex) {
  zg_abi_func_t f;
  CHECK_OK(zg_abi_func_parse(&f, &A, sig));
  uint8_t sel[4];
  CHECK_OK(zg_hex_decode(sel, 4, sel_hex, strlen(sel_hex)));
  if (memcmp(sel, f.selector, 4) != 0) ZGT_FAIL("selector of %s", sig);
  zg_buf_t got, want, again;
  zg_buf_init(&got);
  zg_buf_init(&want);
  zg_buf_init(&again);
  unhex(&want, want_hex);
  CHECK_OK(zg_abi_call_encode(&got, &f, args, n));
  if (!buf_eq(&got, &want)) ZGT_FAIL("encoding of %s (%zu vs %zu bytes)", sig, got.len, want.len);
  zg_abi_value_t dec;
  CHECK_OK(zg_abi_call_decode(&dec, &A, &f, want.ptr, want.len));
  zg_abi_value_t tuple = zg_abi_tuple(args, n);
  CHECK(zg_abi_value_eq(&dec, &tuple));
  CHECK_OK(zg_abi_call_encode(&again, &f, dec.u.items, dec.len));
  CHECK(buf_eq(&again, &want));
  uint8_t s2[4];
  CHECK_OK(zg_abi_call_selector(s2, want.ptr, want.len));
  CHECK_MEM(s2, sel, 4);
  /* Wrong selector, short calldata. */
  want.ptr[0] ^= 1;
  CHECK_ERR(zg_abi_call_decode(&dec, &A, &f, want.ptr, want.len), ZG_EINVAL);
  CHECK_ERR(zg_abi_call_decode(&dec, &A, &f, want.ptr, 3), ZG_ETRUNC);
  zg_buf_clear(&got);
  zg_buf_clear(&want);
  zg_buf_clear(&again);
}

static const char *SAM_HEX =
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

static void test_spec_examples(void) {
  /* baz(uint32,bool) with 69, true */
  zg_abi_value_t baz[2] = {zg_abi_u64(69), zg_abi_bool(true)};
  check_call("baz(uint32,bool)", "0xcdcd77c0", baz, 2,
             "0xcdcd77c0"
             "0000000000000000000000000000000000000000000000000000000000000045"
             "0000000000000000000000000000000000000000000000000000000000000001");
  /* bar(bytes3[2]) with ["abc", "def"] */
  zg_abi_value_t b3[2] = {zg_abi_fbytes("abc", 3), zg_abi_fbytes("def", 3)};
  zg_abi_value_t bar[1] = {zg_abi_array(b3, 2)};
  check_call("bar(bytes3[2])", "0xfce353f6", bar, 1,
             "0xfce353f6"
             "6162630000000000000000000000000000000000000000000000000000000000"
             "6465660000000000000000000000000000000000000000000000000000000000");
  /* sam(bytes,bool,uint256[]) with "dave", true, [1,2,3] */
  zg_abi_value_t nums[3] = {zg_abi_u64(1), zg_abi_u64(2), zg_abi_u64(3)};
  zg_abi_value_t sam[3] = {zg_abi_bytes("dave", 4), zg_abi_bool(true), zg_abi_array(nums, 3)};
  check_call("sam(bytes,bool,uint256[])", "0xa5643bf2", sam, 3, SAM_HEX);
  /* f(uint256,uint32[],bytes10,bytes) with 0x123, [0x456, 0x789], "1234567890", "Hello, world!" */
  zg_abi_value_t u32s[2] = {zg_abi_u64(0x456), zg_abi_u64(0x789)};
  zg_abi_value_t fa[4] = {zg_abi_u64(0x123), zg_abi_array(u32s, 2), zg_abi_fbytes("1234567890", 10),
                          zg_abi_bytes("Hello, world!", 13)};
  check_call("f(uint256,uint32[],bytes10,bytes)", "0x8be65246", fa, 4,
             "0x8be65246"
             "0000000000000000000000000000000000000000000000000000000000000123"
             "0000000000000000000000000000000000000000000000000000000000000080"
             "3132333435363738393000000000000000000000000000000000000000000000"
             "00000000000000000000000000000000000000000000000000000000000000e0"
             "0000000000000000000000000000000000000000000000000000000000000002"
             "0000000000000000000000000000000000000000000000000000000000000456"
             "0000000000000000000000000000000000000000000000000000000000000789"
             "000000000000000000000000000000000000000000000000000000000000000d"
             "48656c6c6f2c20776f726c642100000000000000000000000000000000000000");
  /* g(uint256[][],string[]) with [[1,2],[3]], ["one","two","three"] */
  zg_abi_value_t one_two[2] = {zg_abi_u64(1), zg_abi_u64(2)}, three[1] = {zg_abi_u64(3)};
  zg_abi_value_t outer[2] = {zg_abi_array(one_two, 2), zg_abi_array(three, 1)};
  zg_abi_value_t strs[3] = {zg_abi_string("one"), zg_abi_string("two"), zg_abi_string("three")};
  zg_abi_value_t ga[2] = {zg_abi_array(outer, 2), zg_abi_array(strs, 3)};
  check_call("g(uint256[][],string[])", "0x2289b18c", ga, 2,
             "0x2289b18c"
             "0000000000000000000000000000000000000000000000000000000000000040"
             "0000000000000000000000000000000000000000000000000000000000000140"
             "0000000000000000000000000000000000000000000000000000000000000002"
             "0000000000000000000000000000000000000000000000000000000000000040"
             "00000000000000000000000000000000000000000000000000000000000000a0"
             "0000000000000000000000000000000000000000000000000000000000000002"
             "0000000000000000000000000000000000000000000000000000000000000001"
             "0000000000000000000000000000000000000000000000000000000000000002"
             "0000000000000000000000000000000000000000000000000000000000000001"
             "0000000000000000000000000000000000000000000000000000000000000003"
             "0000000000000000000000000000000000000000000000000000000000000003"
             "0000000000000000000000000000000000000000000000000000000000000060"
             "00000000000000000000000000000000000000000000000000000000000000a0"
             "00000000000000000000000000000000000000000000000000000000000000e0"
             "0000000000000000000000000000000000000000000000000000000000000003"
             "6f6e650000000000000000000000000000000000000000000000000000000000"
             "0000000000000000000000000000000000000000000000000000000000000003"
             "74776f0000000000000000000000000000000000000000000000000000000000"
             "0000000000000000000000000000000000000000000000000000000000000005"
             "7468726565000000000000000000000000000000000000000000000000000000");
  /* Well-known selectors: ERC-20 transfer, a no-argument function. */
  uint8_t sel[4];
  zg_abi_selector(sel, "transfer(address,uint256)", 25);
  CHECK(sel[0] == 0xa9 && sel[1] == 0x05 && sel[2] == 0x9c && sel[3] == 0xbb);
  zg_abi_func_t f;
  CHECK_OK(zg_abi_func_parse(&f, &A, "totalSupply()"));
  CHECK(f.selector[0] == 0x18 && f.selector[1] == 0x16 && f.selector[2] == 0x0d && f.selector[3] == 0xdd);
  CHECK_EQ(f.args->count, 0);
  zg_buf_t b;
  zg_buf_init(&b);
  CHECK_OK(zg_abi_call_encode(&b, &f, NULL, 0));
  CHECK_EQ(b.len, 4);
  zg_abi_value_t v;
  CHECK_OK(zg_abi_call_decode(&v, &A, &f, b.ptr, b.len));
  CHECK_EQ(v.len, 0);
  zg_buf_clear(&b);
}

static void test_events(void) {
  /* ERC-20 Transfer(address indexed from, address indexed to, uint256 value). */
  zg_abi_event_t ev;
  CHECK_OK(zg_abi_event_parse(&ev, &A, "Transfer(address indexed,address indexed,uint256)", false));
  zg_buf_t want, data;
  zg_buf_init(&want);
  zg_buf_init(&data);
  unhex(&want, "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  CHECK_MEM(ev.topic0, want.ptr, 32);
  CHECK_EQ(ev.indexed, 3);
  uint8_t from[20], to[20];
  memset(from, 0x11, 20);
  memset(to, 0x22, 20);
  zg_abi_value_t args[3] = {zg_abi_address(from), zg_abi_address(to), zg_abi_u64(1000)};
  uint8_t topics[ZG_ABI_MAX_TOPICS][32];
  size_t nt = 0;
  CHECK_OK(zg_abi_event_encode(topics, &nt, &data, &ev, args, 3));
  CHECK_EQ(nt, 3);
  CHECK(topics[1][11] == 0 && topics[1][12] == 0x11 && topics[2][31] == 0x22);
  CHECK_EQ(data.len, 32);
  CHECK_EQ(data.ptr[30] << 8 | data.ptr[31], 1000);
  zg_abi_value_t back;
  CHECK_OK(zg_abi_event_decode(&back, &A, &ev, (const uint8_t(*)[32])topics, nt, data.ptr, data.len));
  zg_abi_value_t tuple = zg_abi_tuple(args, 3);
  CHECK(zg_abi_value_eq(&back, &tuple));
  CHECK_ERR(zg_abi_event_decode(&back, &A, &ev, (const uint8_t(*)[32])topics, 2, data.ptr, data.len), ZG_EINVAL);
  topics[1][0] = 1; /* dirty address padding in a topic */
  CHECK_ERR(zg_abi_event_decode(&back, &A, &ev, (const uint8_t(*)[32])topics, nt, data.ptr, data.len), ZG_EPADDING);
  topics[0][0] ^= 1;
  CHECK_ERR(zg_abi_event_decode(&back, &A, &ev, (const uint8_t(*)[32])topics, nt, data.ptr, data.len), ZG_EINVAL);

  /* The spec's Event(uint256 indexed a, bytes32 b): topic0 over the canonical
   * signature, the indexed uint as its word, the bytes32 in the data. */
  CHECK_OK(zg_abi_event_parse(&ev, &A, "Event(uint256 indexed,bytes32)", false));
  uint8_t t0[32];
  zg_abi_event_topic(t0, "Event(uint256,bytes32)", 22);
  CHECK_MEM(ev.topic0, t0, 32);
  const char *b = "\x12\x34\x56\x78\x90\x12\x34\x56\x78\x90\x12\x34\x56\x78\x90\x12";
  zg_abi_value_t ea[2] = {zg_abi_u64(7), zg_abi_fbytes(b, 16)};
  CHECK_ERR(zg_abi_event_encode(topics, &nt, &data, &ev, ea, 2), ZG_ETYPE); /* bytes16 is not bytes32 */
  uint8_t b32[32] = {0};
  memcpy(b32, b, 16);
  ea[1] = zg_abi_fbytes(b32, 32);
  data.len = 0;
  CHECK_OK(zg_abi_event_encode(topics, &nt, &data, &ev, ea, 2));
  CHECK_EQ(nt, 2);
  CHECK_EQ(topics[1][31], 7);
  CHECK_EQ(data.len, 32);
  CHECK_MEM(data.ptr, b32, 32);

  /* Indexed dynamic arguments are hashed: a string raw, an array and a
   * tuple as their padded in-place encodings. */
  CHECK_OK(zg_abi_event_parse(&ev, &A, "Log(string indexed,uint16[] indexed,(bytes,uint8) indexed,bool)", false));
  zg_abi_value_t arr[2] = {zg_abi_u64(1), zg_abi_u64(2)};
  zg_abi_value_t tup[2] = {zg_abi_bytes("ab", 2), zg_abi_u64(9)};
  zg_abi_value_t la[4] = {zg_abi_string("Hello"), zg_abi_array(arr, 2), zg_abi_tuple(tup, 2), zg_abi_bool(false)};
  data.len = 0;
  CHECK_OK(zg_abi_event_encode(topics, &nt, &data, &ev, la, 4));
  CHECK_EQ(nt, 4);
  uint8_t h[32];
  zg_abi_event_topic(h, "Hello", 5); /* keccak of the raw string */
  CHECK_MEM(topics[1], h, 32);
  zg_buf_t ip;
  zg_buf_init(&ip);
  CHECK_OK(zg_abi_encode_indexed(&ip, &ev.args->fields[1], &la[1]));
  unhex(&want, "0x0000000000000000000000000000000000000000000000000000000000000001"
               "0000000000000000000000000000000000000000000000000000000000000002");
  CHECK(buf_eq(&ip, &want));
  ip.len = 0;
  CHECK_OK(zg_abi_encode_indexed(&ip, &ev.args->fields[2], &la[2]));
  unhex(&want, "0x6162000000000000000000000000000000000000000000000000000000000000"
               "0000000000000000000000000000000000000000000000000000000000000009");
  CHECK(buf_eq(&ip, &want));
  zg_abi_event_topic(h, (const char *)ip.ptr, ip.len);
  CHECK_MEM(topics[3], h, 32);
  CHECK_OK(zg_abi_event_decode(&back, &A, &ev, (const uint8_t(*)[32])topics, nt, data.ptr, data.len));
  CHECK(back.u.items[0].kind == ZG_ABI_FBYTES && back.u.items[0].len == 32);
  CHECK_MEM(back.u.items[0].u.word, topics[1], 32);
  CHECK(back.u.items[3].kind == ZG_ABI_BOOL);
  /* Too many indexed arguments. */
  CHECK_ERR(zg_abi_event_parse(&ev, &A, "X(uint8 indexed,uint8 indexed,uint8 indexed,uint8 indexed)", false),
            ZG_EINVAL);
  CHECK_OK(zg_abi_event_parse(&ev, &A, "X(uint8 indexed,uint8 indexed,uint8 indexed,uint8 indexed)", true));
  /* All arguments indexed: empty data, anonymous: no topic 0. */
  zg_buf_t empty;
  zg_buf_init(&empty);
  zg_abi_value_t four[4] = {zg_abi_u64(1), zg_abi_u64(2), zg_abi_u64(3), zg_abi_u64(4)};
  CHECK_OK(zg_abi_event_encode(topics, &nt, &empty, &ev, four, 4));
  CHECK_EQ(nt, 4);
  CHECK_EQ(empty.len, 0);
  CHECK_EQ(topics[3][31], 4);
  CHECK_OK(zg_abi_event_decode(&back, &A, &ev, (const uint8_t(*)[32])topics, nt, NULL, 0));
  zg_abi_value_t four_t = zg_abi_tuple(four, 4);
  CHECK(zg_abi_value_eq(&back, &four_t));
  /* An empty dynamic array into an empty buffer. */
  zg_abi_value_t none = zg_abi_array(NULL, 0);
  CHECK_OK(zg_abi_encode(&empty, T("uint8[]"), &none));
  CHECK_EQ(empty.len, 32);
  zg_buf_clear(&empty);
  zg_buf_clear(&ip);
  zg_buf_clear(&want);
  zg_buf_clear(&data);
}

static void test_packed(void) {
  zg_buf_t got, want;
  zg_buf_init(&got);
  zg_buf_init(&want);
  zg_abi_value_t v[4] = {zg_abi_i64(-1), zg_abi_fbytes("\x42", 1), zg_abi_u64(3), zg_abi_string("Hello, world!")};
  zg_abi_value_t tv = zg_abi_tuple(v, 4);
  CHECK_OK(zg_abi_encode_packed(&got, T("(int16,bytes1,uint16,string)"), &tv));
  unhex(&want, "0xffff42000348656c6c6f2c20776f726c6421");
  CHECK(buf_eq(&got, &want));
  /* abi.encodePacked(uint16(0x12)) == hex"0012" */
  got.len = 0;
  zg_abi_value_t u = zg_abi_u64(0x12);
  CHECK_OK(zg_abi_encode_packed(&got, T("uint16"), &u));
  unhex(&want, "0x0012");
  CHECK(buf_eq(&got, &want));
  /* Flow: keccak256(abi.encodePacked(bytes32[] roots)) hashes the roots back to back. */
  uint8_t r1[32], r2[32];
  memset(r1, 0xaa, 32);
  memset(r2, 0xbb, 32);
  zg_abi_value_t roots[2] = {zg_abi_fbytes(r1, 32), zg_abi_fbytes(r2, 32)};
  zg_abi_value_t ra = zg_abi_array(roots, 2);
  got.len = 0;
  CHECK_OK(zg_abi_encode_packed(&got, T("bytes32[]"), &ra));
  CHECK_EQ(got.len, 64);
  CHECK(got.ptr[0] == 0xaa && got.ptr[63] == 0xbb);
  /* Array of small ints: elements padded. Address and bool unpadded. */
  zg_abi_value_t small[2] = {zg_abi_u64(1), zg_abi_u64(2)};
  uint8_t addr[20];
  memset(addr, 0x5a, 20);
  zg_abi_value_t mix[3] = {zg_abi_array(small, 2), zg_abi_address(addr), zg_abi_bool(true)};
  zg_abi_value_t mt = zg_abi_tuple(mix, 3);
  got.len = 0;
  CHECK_OK(zg_abi_encode_packed(&got, T("(uint8[],address,bool)"), &mt));
  CHECK_EQ(got.len, 64 + 20 + 1);
  CHECK(got.ptr[31] == 1 && got.ptr[63] == 2 && got.ptr[64] == 0x5a && got.ptr[84] == 1);
  /* Unsupported: nested arrays, structs. */
  got.len = 0;
  zg_abi_value_t nested = zg_abi_array(&ra, 1);
  CHECK_ERR(zg_abi_encode_packed(&got, T("bytes32[][]"), &nested), ZG_EUNSUPPORTED);
  zg_abi_value_t st = zg_abi_tuple(&mt, 1);
  CHECK_ERR(zg_abi_encode_packed(&got, T("((uint8[],address,bool))"), &st), ZG_EUNSUPPORTED);
  CHECK_EQ(got.len, 0);
  zg_buf_clear(&got);
  zg_buf_clear(&want);
}

static void test_types(void) {
  static const char *good[] = {"uint256", "int8", "address", "bool", "bytes32", "bytes", "string", "uint256[]",
                               "bytes3[2]", "(uint256,bytes)[]", "((uint8,(bool,string[])[2])[],address)[3][]",
                               "uint8", "int256", "bytes1", "string[][4]"};
  zg_buf_t b;
  zg_buf_init(&b);
  for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
    const zg_abi_type_t *t = T(good[k]);
    if (!t) continue;
    b.len = 0;
    CHECK_OK(zg_abi_type_format(&b, t));
    if (b.len != strlen(good[k]) || memcmp(b.ptr, good[k], b.len)) ZGT_FAIL("format of %s", good[k]);
  }
  CHECK(!T("bytes3[2]")->dynamic && T("bytes3[2]")->head == 64);
  CHECK(T("(uint256,bytes)[]")->dynamic);
  CHECK(T("string[2]")->dynamic && T("string[2]")->head == 32);
  CHECK_EQ(T("(uint256,(bool,address)[3])")->head, 32 + 3 * 64);
  struct {
    const char *s;
    zg_err_t e;
  } bad[] = {
      {"uint", ZG_EINVAL},        {"int", ZG_EINVAL},          {"uint7", ZG_EINVAL},
      {"uint264", ZG_EINVAL},     {"uint0", ZG_EINVAL},        {"uint08", ZG_EINVAL},
      {"bytes0", ZG_EINVAL},      {"bytes33", ZG_EINVAL},      {"bytes01", ZG_EINVAL},
      {"uint256[01]", ZG_EINVAL}, {"uint256[0]", ZG_EUNSUPPORTED}, {"()", ZG_EUNSUPPORTED},
      {"(uint256", ZG_EINVAL},    {"uint256]", ZG_EINVAL},     {"(uint256,)", ZG_EINVAL},
      {"(,uint256)", ZG_EINVAL},  {"fixed128x18", ZG_EUNSUPPORTED}, {"function", ZG_EUNSUPPORTED},
      {" uint256", ZG_EINVAL},    {"uint256 ", ZG_EINVAL},     {"address[", ZG_EINVAL},
      {"Uint256", ZG_EINVAL},     {"", ZG_EINVAL},             {"uint256[2000000]", ZG_EOVERFLOW},
      {"uint256[1000000][1000]", ZG_EOVERFLOW}, {"uint256[-1]", ZG_EINVAL}, {"uint256[9999999999]", ZG_EOVERFLOW},
      {"(uint256))", ZG_EINVAL},  {"bool[]x", ZG_EINVAL},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    const zg_abi_type_t *t;
    zg_err_t e = zg_abi_type_parse_str(&t, &A, bad[k].s);
    if (e != bad[k].e) ZGT_FAIL("parse \"%s\" -> %s, want %s", bad[k].s, zg_errname(e), zg_errname(bad[k].e));
  }
  /* Depth: ZG_ABI_MAX_DEPTH levels parse, one more does not (tuples and arrays). */
  for (int extra = 0; extra <= 1; extra++) {
    char s[400];
    size_t n = 0;
    int levels = ZG_ABI_MAX_DEPTH + extra;
    for (int k = 0; k < levels; k++) s[n++] = '(';
    memcpy(s + n, "bool", 4);
    n += 4;
    for (int k = 0; k < levels; k++) s[n++] = ')';
    s[n] = 0;
    const zg_abi_type_t *t;
    CHECK_ERR(zg_abi_type_parse_str(&t, &A, s), extra ? ZG_EOVERFLOW : ZG_OK);
    n = 0;
    memcpy(s, "bool", 4);
    n = 4;
    for (int k = 0; k < levels; k++) { s[n++] = '['; s[n++] = ']'; }
    s[n] = 0;
    CHECK_ERR(zg_abi_type_parse_str(&t, &A, s), extra ? ZG_EOVERFLOW : ZG_OK);
  }
  /* A hostile nest far beyond the limit fails fast, without deep recursion. */
  char deep[4000];
  memset(deep, '(', sizeof deep - 1);
  deep[sizeof deep - 1] = 0;
  const zg_abi_type_t *t;
  CHECK(zg_abi_type_parse_str(&t, &A, deep) != ZG_OK);
  /* Signatures. */
  zg_slice_t name;
  const zg_abi_type_t *args;
  uint64_t idx;
  CHECK_OK(zg_abi_sig_parse(&name, &args, &idx, &A, "Submit(address indexed,bytes32)", 31));
  CHECK(name.len == 6 && memcmp(name.ptr, "Submit", 6) == 0 && idx == 1 && args->count == 2);
  CHECK_ERR(zg_abi_sig_parse(&name, &args, NULL, &A, "f(uint256 indexed)", 18), ZG_EINVAL);
  CHECK_ERR(zg_abi_sig_parse(&name, &args, NULL, &A, "(uint256)", 9), ZG_EINVAL);
  CHECK_ERR(zg_abi_sig_parse(&name, &args, NULL, &A, "1f(uint256)", 11), ZG_EINVAL);
  CHECK_ERR(zg_abi_sig_parse(&name, &args, NULL, &A, "f(uint256)x", 11), ZG_EINVAL);
  CHECK_ERR(zg_abi_sig_parse(&name, &args, NULL, &A, "f(uint)", 7), ZG_EINVAL);
  CHECK_ERR(zg_abi_sig_parse(&name, &args, NULL, &A, "f(uint256,)", 11), ZG_EINVAL);
  zg_buf_clear(&b);
}

static void test_integers(void) {
  zg_buf_t b;
  zg_buf_init(&b);
  zg_abi_value_t v, d;
  /* int8 -1, -128, 127; out of range both ways. */
  v = zg_abi_i64(-1);
  CHECK_OK(zg_abi_encode(&b, T("int8"), &v));
  CHECK(b.len == 32 && b.ptr[0] == 0xff && b.ptr[31] == 0xff);
  CHECK_OK(zg_abi_decode(&d, &A, T("int8"), b.ptr, b.len));
  int64_t i;
  CHECK_OK(zg_abi_get_i64(&i, &d));
  CHECK_EQ(i, -1);
  uint64_t u;
  CHECK_ERR(zg_abi_get_u64(&u, &d), ZG_ERANGE);
  b.len = 0;
  v = zg_abi_i64(-128);
  CHECK_OK(zg_abi_encode(&b, T("int8"), &v));
  CHECK(b.ptr[30] == 0xff && b.ptr[31] == 0x80);
  v = zg_abi_i64(-129);
  CHECK_ERR(zg_abi_encode(&b, T("int8"), &v), ZG_ERANGE);
  v = zg_abi_u64(128);
  CHECK_ERR(zg_abi_encode(&b, T("int8"), &v), ZG_ERANGE);
  v = zg_abi_u64(127);
  CHECK_OK(zg_abi_encode(&b, T("int8"), &v));
  v = zg_abi_i64(-1);
  CHECK_ERR(zg_abi_encode(&b, T("uint8"), &v), ZG_ERANGE);
  CHECK_ERR(zg_abi_encode(&b, T("uint256"), &v), ZG_ERANGE);
  v = zg_abi_u64(256);
  CHECK_ERR(zg_abi_encode(&b, T("uint8"), &v), ZG_ERANGE);
  v = zg_abi_i64(5);
  CHECK_OK(zg_abi_encode(&b, T("uint8"), &v)); /* a non-negative int fits */
  CHECK_EQ(b.len, 96);
  /* int256 min and uint256 max round trip exactly. */
  uint8_t w[32], ones[32];
  memset(w, 0, 32);
  w[0] = 0x80;
  memset(ones, 0xff, 32);
  zg_abi_value_t two[2] = {zg_abi_int_be(w), zg_abi_uint_be(ones)};
  zg_abi_value_t tv = zg_abi_tuple(two, 2);
  b.len = 0;
  CHECK_OK(zg_abi_encode(&b, T("(int256,uint256)"), &tv));
  CHECK(b.ptr[0] == 0x80 && b.ptr[1] == 0 && b.ptr[32] == 0xff && b.ptr[63] == 0xff);
  CHECK_OK(zg_abi_decode(&d, &A, T("(int256,uint256)"), b.ptr, b.len));
  CHECK(zg_abi_value_eq(&d, &tv));
  /* A uint256 with the top bit set is not an int256. */
  CHECK_ERR(zg_abi_encode(&b, T("int256"), &two[1]), ZG_ERANGE);
  /* Kinds. */
  v = zg_abi_bool(true);
  CHECK_ERR(zg_abi_encode(&b, T("uint8"), &v), ZG_ETYPE);
  v = zg_abi_u64(1);
  CHECK_ERR(zg_abi_encode(&b, T("bool"), &v), ZG_ETYPE);
  CHECK_ERR(zg_abi_encode(&b, T("address"), &v), ZG_ETYPE);
  CHECK_ERR(zg_abi_encode(&b, T("string"), &v), ZG_ETYPE);
  zg_abi_value_t arr[2] = {zg_abi_u64(1), zg_abi_u64(2)};
  v = zg_abi_array(arr, 2);
  CHECK_ERR(zg_abi_encode(&b, T("uint8[3]"), &v), ZG_ETYPE);
  CHECK_ERR(zg_abi_encode(&b, T("(uint8,uint8,uint8)"), &v), ZG_ETYPE);
  size_t before = b.len;
  arr[1] = zg_abi_u64(300); /* fails after part of the output is written */
  CHECK_ERR(zg_abi_encode(&b, T("uint8[]"), &v), ZG_ERANGE);
  CHECK_EQ(b.len, before);
  /* int64 extremes through the accessors. */
  b.len = 0;
  v = zg_abi_i64(INT64_MIN);
  CHECK_OK(zg_abi_encode(&b, T("int64"), &v));
  CHECK_OK(zg_abi_decode(&d, &A, T("int64"), b.ptr, b.len));
  CHECK_OK(zg_abi_get_i64(&i, &d));
  CHECK(i == INT64_MIN);
  zg_buf_clear(&b);
}

static void test_bytes_lengths(void) {
  static const size_t lens[] = {0, 1, 31, 32, 33, 64, 65};
  uint8_t src[65];
  for (size_t k = 0; k < sizeof src; k++) src[k] = (uint8_t)(k + 1);
  zg_buf_t b;
  zg_buf_init(&b);
  for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
    size_t n = lens[k];
    zg_abi_value_t v = zg_abi_bytes(src, n);
    b.len = 0;
    CHECK_OK(zg_abi_encode(&b, T("bytes"), &v));
    CHECK_EQ(b.len, 32 + (n + 31) / 32 * 32);
    CHECK_EQ(b.ptr[31], n);
    zg_abi_value_t d;
    CHECK_OK(zg_abi_decode(&d, &A, T("bytes"), b.ptr, b.len));
    CHECK(zg_abi_value_eq(&d, &v));
    /* Dirty padding after the content. */
    if (n % 32) {
      b.ptr[b.len - 1] = 1;
      CHECK_ERR(zg_abi_decode(&d, &A, T("bytes"), b.ptr, b.len), ZG_EPADDING);
    }
    /* In a tuple, as a string. */
    zg_abi_value_t pair[2] = {zg_abi_string_n((const char *)src, n), zg_abi_u64(n)};
    zg_abi_value_t tv = zg_abi_tuple(pair, 2);
    b.len = 0;
    CHECK_OK(zg_abi_encode(&b, T("(string,uint64)"), &tv));
    CHECK_EQ(b.len, 96 + (n + 31) / 32 * 32);
    CHECK_OK(zg_abi_decode(&d, &A, T("(string,uint64)"), b.ptr, b.len));
    CHECK(zg_abi_value_eq(&d, &tv));
  }
  zg_buf_clear(&b);
}

/* Decodes hex data against a type string and returns the status. */
static zg_err_t dec_hex(const char *type, const zg_buf_t *data) {
  zg_abi_value_t v;
  return zg_abi_decode(&v, &A, T(type), data->ptr, data->len);
}

/* The sam example's argument block (without the selector). */
static void sam_args(zg_buf_t *b) {
  unhex(b, SAM_HEX);
  memmove(b->ptr, b->ptr + 4, b->len - 4);
  b->len -= 4;
}

static void word_set(zg_buf_t *b, size_t word, size_t byte, uint8_t val) { b->ptr[32 * word + byte] = val; }

static void test_malformed(void) {
  zg_buf_t b;
  zg_buf_init(&b);
  const char *sam = "(bytes,bool,uint256[])";
  /* The sam example without its selector. */
  sam_args(&b);
  CHECK_OK(dec_hex(sam, &b));
  word_set(&b, 0, 30, 0x10); /* offset 0x1060: beyond the data */
  CHECK_ERR(dec_hex(sam, &b), ZG_EOFFSET);
  sam_args(&b);
  word_set(&b, 0, 31, 0x20); /* into the head */
  CHECK_ERR(dec_hex(sam, &b), ZG_EOFFSET);
  sam_args(&b);
  word_set(&b, 0, 31, 0xa0); /* in range, but not where the tail must be */
  CHECK_ERR(dec_hex(sam, &b), ZG_ENONCANON);
  sam_args(&b);
  word_set(&b, 2, 31, 0xc0); /* second tail leaves a gap */
  CHECK_ERR(dec_hex(sam, &b), ZG_ENONCANON);
  sam_args(&b);
  word_set(&b, 0, 0, 0x01); /* 256-bit offset */
  CHECK_ERR(dec_hex(sam, &b), ZG_EOFFSET);
  sam_args(&b);
  word_set(&b, 1, 31, 0x02); /* bool 2 */
  CHECK_ERR(dec_hex(sam, &b), ZG_ENONCANON);
  sam_args(&b);
  word_set(&b, 1, 0, 0x01); /* bool high bits */
  CHECK_ERR(dec_hex(sam, &b), ZG_EPADDING);
  sam_args(&b);
  word_set(&b, 4, 31, 0x65); /* "dave" padding */
  CHECK_ERR(dec_hex(sam, &b), ZG_EPADDING);
  sam_args(&b);
  memset(b.ptr + 3 * 32 + 24, 0xff, 8); /* bytes length 2^64-1 */
  CHECK_ERR(dec_hex(sam, &b), ZG_ETRUNC);
  sam_args(&b);
  word_set(&b, 3, 0, 0x01); /* bytes length wider than 64 bits */
  CHECK_ERR(dec_hex(sam, &b), ZG_EOVERFLOW);
  sam_args(&b);
  word_set(&b, 5, 27, 0x01); /* array count 2^32+3: above the element limit */
  CHECK_ERR(dec_hex(sam, &b), ZG_EOVERFLOW);
  sam_args(&b);
  word_set(&b, 5, 31, 0x04); /* array count one more than the data holds */
  CHECK_ERR(dec_hex(sam, &b), ZG_ETRUNC);
  sam_args(&b);
  word_set(&b, 5, 29, 0x10); /* array count 0x100003: over the limit */
  CHECK_ERR(dec_hex(sam, &b), ZG_EOVERFLOW);
  sam_args(&b);
  word_set(&b, 5, 29, 0x01); /* array count 0x10003: fits the limit, not the data */
  CHECK_ERR(dec_hex(sam, &b), ZG_ETRUNC);
  sam_args(&b);
  CHECK_OK(zg_buf_push(&b, 0));
  CHECK_ERR(dec_hex(sam, &b), ZG_ETRAILING);
  sam_args(&b);
  for (size_t n = 0; n < b.len; n++) {
    zg_abi_value_t v;
    zg_err_t e = zg_abi_decode(&v, &A, T(sam), b.ptr, n);
    if (e == ZG_OK) ZGT_FAIL("prefix of %zu bytes accepted", n);
  }
  /* Dirty padding of each value type. */
  b.len = 0;
  CHECK_OK(zg_buf_reserve(&b, 32));
  memset(b.ptr, 0, 32);
  b.len = 32;
  b.ptr[0] = 1;
  CHECK_ERR(dec_hex("uint32", &b), ZG_EPADDING);
  CHECK_ERR(dec_hex("address", &b), ZG_EPADDING);
  CHECK_ERR(dec_hex("uint248", &b), ZG_EPADDING);
  CHECK_OK(dec_hex("uint256", &b));
  CHECK_ERR(dec_hex("bytes31", &b), ZG_OK);
  b.ptr[0] = 0;
  b.ptr[11] = 1;
  CHECK_ERR(dec_hex("address", &b), ZG_EPADDING);
  b.ptr[11] = 0;
  b.ptr[12] = 1;
  CHECK_OK(dec_hex("address", &b));
  b.ptr[12] = 0;
  b.ptr[31] = 0x80; /* 128 as int8: not sign-extended */
  CHECK_ERR(dec_hex("int8", &b), ZG_EPADDING);
  CHECK_OK(dec_hex("int16", &b));
  memset(b.ptr, 0xff, 31);
  b.ptr[31] = 0x7f; /* ff..ff7f as int8: wrong sign extension */
  CHECK_ERR(dec_hex("int8", &b), ZG_EPADDING);
  b.ptr[31] = 0x80;
  CHECK_OK(dec_hex("int8", &b));
  memset(b.ptr, 0, 32);
  b.ptr[3] = 1; /* bytes3 with a fourth byte */
  CHECK_ERR(dec_hex("bytes3", &b), ZG_EPADDING);
  CHECK_OK(dec_hex("bytes4", &b));
  CHECK_ERR(dec_hex("bytes32[1]", &b), ZG_OK);
  b.len = 31;
  CHECK_ERR(dec_hex("bytes4", &b), ZG_ETRUNC);
  CHECK_ERR(dec_hex("bytes", &b), ZG_ETRUNC);
  b.len = 0;
  CHECK_ERR(dec_hex("(uint8,uint8)", &b), ZG_ETRUNC);

  /* Too-deep nesting in decoding, with a hand-built type beyond the parser's
   * limit: uint8[][]...[] 40 levels, data [[[...[]...]]]. */
  zg_abi_type_t chain[41];
  memset(chain, 0, sizeof chain);
  chain[0].kind = ZG_ABI_UINT;
  chain[0].size = 8;
  chain[0].head = 32;
  for (int k = 1; k <= 40; k++) {
    chain[k].kind = ZG_ABI_DARRAY;
    chain[k].elem = &chain[k - 1];
    chain[k].dynamic = true;
    chain[k].head = 32;
    chain[k].depth = (unsigned)k;
  }
  b.len = 0;
  for (int k = 0; k < 39; k++) {
    uint8_t wd[32] = {0};
    wd[31] = 1;
    CHECK_OK(zg_buf_append(&b, wd, 32));
    wd[31] = 0x20;
    CHECK_OK(zg_buf_append(&b, wd, 32));
  }
  uint8_t zero[32] = {0};
  CHECK_OK(zg_buf_append(&b, zero, 32));
  zg_abi_value_t v;
  CHECK_ERR(zg_abi_decode(&v, &A, &chain[40], b.ptr, b.len), ZG_EOVERFLOW);
  zg_buf_clear(&b);
}

/* ---- random type trees ---- */

static void rand_type(zg_buf_t *s, int depth) {
  uint32_t r = zgt_rand_below(depth < 3 ? 10 : 8);
  char tmp[32];
  switch (r) {
    case 0: snprintf(tmp, sizeof tmp, "uint%u", 8 * (1 + zgt_rand_below(32))); break;
    case 1: snprintf(tmp, sizeof tmp, "int%u", 8 * (1 + zgt_rand_below(32))); break;
    case 2: snprintf(tmp, sizeof tmp, "address"); break;
    case 3: snprintf(tmp, sizeof tmp, "bool"); break;
    case 4: snprintf(tmp, sizeof tmp, "bytes%u", 1 + zgt_rand_below(32)); break;
    case 5: snprintf(tmp, sizeof tmp, "bytes"); break;
    case 6: snprintf(tmp, sizeof tmp, "string"); break;
    case 7: snprintf(tmp, sizeof tmp, "uint256"); break;
    default: {
      CHECK_OK(zg_buf_push(s, '('));
      uint32_t n = 1 + zgt_rand_below(4);
      for (uint32_t k = 0; k < n; k++) {
        if (k) CHECK_OK(zg_buf_push(s, ','));
        rand_type(s, depth + 1);
      }
      CHECK_OK(zg_buf_push(s, ')'));
      tmp[0] = 0;
    }
  }
  CHECK_OK(zg_buf_append(s, tmp, strlen(tmp)));
  while (depth < 4 && zgt_rand_below(4) == 0) {
    if (zgt_rand_below(2)) snprintf(tmp, sizeof tmp, "[]");
    else snprintf(tmp, sizeof tmp, "[%u]", 1 + zgt_rand_below(3));
    CHECK_OK(zg_buf_append(s, tmp, strlen(tmp)));
    depth++;
  }
}

static zg_abi_value_t rand_value(const zg_abi_type_t *t) {
  zg_abi_value_t v;
  memset(&v, 0, sizeof v);
  v.kind = t->kind == ZG_ABI_DARRAY ? ZG_ABI_ARRAY : t->kind;
  switch (t->kind) {
    case ZG_ABI_UINT:
    case ZG_ABI_INT: {
      size_t w = t->size / 8;
      zgt_rand_bytes(v.u.word + 32 - w, w);
      if (zgt_rand_below(3) == 0) memset(v.u.word + 32 - w, 0, w - 1);
      if (t->kind == ZG_ABI_INT && (v.u.word[32 - w] & 0x80)) memset(v.u.word, 0xff, 32 - w);
      break;
    }
    case ZG_ABI_ADDRESS: zgt_rand_bytes(v.u.word + 12, 20); break;
    case ZG_ABI_BOOL: v.u.word[31] = (uint8_t)zgt_rand_below(2); break;
    case ZG_ABI_FBYTES:
      v.len = t->size;
      zgt_rand_bytes(v.u.word, t->size);
      break;
    case ZG_ABI_BYTES:
    case ZG_ABI_STRING: {
      v.len = zgt_rand_below(4) == 0 ? 0 : zgt_rand_below(80);
      uint8_t *p = zg_abi_arena_alloc(&A, v.len + 1);
      if (p) zgt_rand_bytes(p, v.len);
      v.u.bytes = p;
      break;
    }
    default: {
      size_t n = t->kind == ZG_ABI_DARRAY ? zgt_rand_below(4) : t->count;
      zg_abi_value_t *items = zg_abi_arena_alloc(&A, (n + 1) * sizeof *items);
      if (!items) break;
      for (size_t k = 0; k < n; k++) items[k] = rand_value(t->kind == ZG_ABI_TUPLE ? &t->fields[k] : t->elem);
      v.len = n;
      v.u.items = items;
    }
  }
  return v;
}

static void test_random(void) {
  long iters = zgt_iters(1500);
  zg_buf_t s, enc, again;
  zg_buf_init(&s);
  zg_buf_init(&enc);
  zg_buf_init(&again);
  long mutants = 0, accepted = 0;
  for (long it = 0; it < iters; it++) {
    zg_abi_arena_clear(&A);
    s.len = 0;
    rand_type(&s, 0);
    const zg_abi_type_t *t;
    zg_err_t e = zg_abi_type_parse(&t, &A, (const char *)s.ptr, s.len);
    if (e != ZG_OK) {
      ZGT_FAIL("random type %.*s -> %s", (int)s.len, (const char *)s.ptr, zg_errname(e));
      continue;
    }
    zg_buf_t f;
    zg_buf_init(&f);
    CHECK_OK(zg_abi_type_format(&f, t));
    CHECK(buf_eq(&f, &s));
    zg_buf_clear(&f);
    zg_abi_value_t v = rand_value(t);
    enc.len = 0;
    CHECK_OK(zg_abi_encode(&enc, t, &v));
    CHECK_EQ(enc.len % 32, 0);
    if (!t->dynamic) CHECK_EQ(enc.len, t->head);
    zg_abi_value_t d;
    CHECK_OK(zg_abi_decode(&d, &A, t, enc.ptr, enc.len));
    if (!zg_abi_value_eq(&d, &v)) ZGT_FAIL("value mismatch for %.*s", (int)s.len, (const char *)s.ptr);
    again.len = 0;
    CHECK_OK(zg_abi_encode(&again, t, &d));
    CHECK(buf_eq(&again, &enc));
    /* Mutants: accepted only if canonical. */
    for (int m = 0; m < 6 && enc.len; m++) {
      size_t at = zgt_rand_below((uint32_t)enc.len);
      uint8_t old = enc.ptr[at];
      enc.ptr[at] = zgt_rand_below(2) ? (uint8_t)zgt_rand64() : (uint8_t)(old ^ (1u << zgt_rand_below(8)));
      size_t n = zgt_rand_below(5) == 0 ? zgt_rand_below((uint32_t)enc.len + 1) : enc.len;
      mutants++;
      if (zg_abi_decode(&d, &A, t, enc.ptr, n) == ZG_OK) {
        accepted++;
        again.len = 0;
        CHECK_OK(zg_abi_encode(&again, t, &d));
        if (again.len != n || memcmp(again.ptr, enc.ptr, n) != 0)
          ZGT_FAIL("accepted non-canonical mutant of %.*s", (int)s.len, (const char *)s.ptr);
      }
      enc.ptr[at] = old;
    }
  }
  printf("  %ld random type trees, %ld mutants (%ld still valid)\n", iters, mutants, accepted);
  zg_buf_clear(&s);
  zg_buf_clear(&enc);
  zg_buf_clear(&again);
}

static void test_arena(void) {
  zg_abi_arena_t a;
  zg_abi_arena_init(&a);
  uint8_t *p = zg_abi_arena_alloc(&a, 10);
  uint8_t *q = zg_abi_arena_alloc(&a, 100000);
  CHECK(p && q && ((uintptr_t)p % 16) == 0 && ((uintptr_t)q % 16) == 0);
  CHECK(p[9] == 0 && q[99999] == 0);
  CHECK(zg_abi_arena_alloc(&a, SIZE_MAX) == NULL);
  zg_abi_arena_clear(&a);
  CHECK(a.head == NULL && a.total == 0);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  zg_abi_arena_init(&A);
  ZGT_RUN(test_types);
  ZGT_RUN(test_spec_examples);
  ZGT_RUN(test_events);
  ZGT_RUN(test_packed);
  ZGT_RUN(test_integers);
  ZGT_RUN(test_bytes_lengths);
  ZGT_RUN(test_malformed);
  ZGT_RUN(test_random);
  ZGT_RUN(test_arena);
  zg_abi_arena_clear(&A);
  return zgt_done();
}

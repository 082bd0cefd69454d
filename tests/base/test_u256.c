/*
 * test_u256.c — 256-bit arithmetic: carries across limbs, overflow reports,
 * text forms, and random identities checked against each other.
 */
#include <string.h>

#include "zg/u256.h"
#include "../zg_test.h"

static zg_u256_t rand_u256(void) {
  zg_u256_t r;
  for (int i = 0; i < 4; i++) r.w[i] = zgt_rand64();
  return r;
}

static void test_text(void) {
  zg_u256_t v;
  char dec[ZG_U256_DEC_MAX], hex[ZG_U256_HEX_MAX];
  const char *max_dec = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  CHECK_OK(zg_u256_parse(&v, max_dec, strlen(max_dec)));
  CHECK(v.w[0] == UINT64_MAX && v.w[3] == UINT64_MAX);
  zg_u256_to_dec(dec, &v);
  CHECK(strcmp(dec, max_dec) == 0);
  zg_u256_to_quantity(hex, &v);
  CHECK(strlen(hex) == 66);
  const char *over = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
  CHECK(zg_u256_parse(&v, over, strlen(over)) == ZG_ERANGE);
  CHECK_OK(zg_u256_parse(&v, "0x0", 3));
  zg_u256_to_quantity(hex, &v);
  CHECK(strcmp(hex, "0x0") == 0);
  zg_u256_to_dec(dec, &v);
  CHECK(strcmp(dec, "0") == 0);
  CHECK_OK(zg_u256_parse(&v, "0x00DE0B6B3A7640000", 19));
  zg_u256_to_dec(dec, &v);
  CHECK(strcmp(dec, "1000000000000000000") == 0);
  zg_u256_to_quantity(hex, &v);
  CHECK(strcmp(hex, "0xde0b6b3a7640000") == 0);
  CHECK(zg_u256_parse(&v, "", 0) == ZG_EINVAL);
  CHECK(zg_u256_parse(&v, "0x", 2) == ZG_EINVAL);
  CHECK(zg_u256_parse(&v, "12a", 3) == ZG_EINVAL);
  CHECK(zg_u256_parse(&v, "-1", 2) == ZG_EINVAL);
}

static void test_carries(void) {
  zg_u256_t a = {{UINT64_MAX, UINT64_MAX, UINT64_MAX, 0}}, one = zg_u256_from_u64(1), r;
  CHECK(zg_u256_add(&r, &a, &one));
  CHECK(r.w[0] == 0 && r.w[1] == 0 && r.w[2] == 0 && r.w[3] == 1);
  CHECK(zg_u256_sub(&r, &r, &one));
  CHECK(zg_u256_cmp(&r, &a) == 0);
  zg_u256_t max = {{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}};
  CHECK(!zg_u256_add(&r, &max, &one));
  zg_u256_t zero = zg_u256_from_u64(0);
  CHECK(!zg_u256_sub(&r, &zero, &one));
  CHECK(!zg_u256_mul_u64(&r, &max, 2));
  CHECK(!zg_u256_mul(&r, &max, &max));
  uint8_t be[32], min[32];
  size_t n;
  zg_u256_to_be_min(min, &n, &zero);
  CHECK(n == 0);
  zg_u256_t v = zg_u256_from_u64(0x1234);
  zg_u256_to_be_min(min, &n, &v);
  CHECK(n == 2 && min[0] == 0x12 && min[1] == 0x34);
  uint8_t big[33] = {0};
  big[0] = 0;
  big[1] = 1;
  CHECK_OK(zg_u256_from_be(&r, big, 33)); /* leading zero skipped */
  big[0] = 1;
  CHECK(zg_u256_from_be(&r, big, 33) == ZG_ERANGE);
  zg_u256_to_be32(be, &max);
  for (int i = 0; i < 32; i++) CHECK(be[i] == 0xff);
}

static void test_random(void) {
  for (long it = 0; it < zgt_iters(2000); it++) {
    zg_u256_t a = rand_u256(), b = rand_u256(), s, d, back;
    bool no_wrap = zg_u256_add(&s, &a, &b);
    CHECK(zg_u256_sub(&back, &s, &b) == no_wrap);
    CHECK(zg_u256_cmp(&back, &a) == 0);
    (void)zg_u256_sub(&d, &a, &b);
    (void)zg_u256_add(&back, &d, &b);
    CHECK(zg_u256_cmp(&back, &a) == 0);
    uint64_t m = zgt_rand64() | 1, rem;
    zg_u256_t small = a;
    small.w[3] = 0;
    zg_u256_t p, q;
    CHECK(zg_u256_mul_u64(&p, &small, m >> 1 | 1));
    zg_u256_divmod_u64(&q, &rem, &p, m >> 1 | 1);
    CHECK(rem == 0 && zg_u256_cmp(&q, &small) == 0);
    zg_u256_t mb = zg_u256_from_u64(m >> 1 | 1), p2;
    CHECK(zg_u256_mul(&p2, &small, &mb));
    CHECK(zg_u256_cmp(&p2, &p) == 0);
    char dec[ZG_U256_DEC_MAX], hex[ZG_U256_HEX_MAX];
    zg_u256_t rt;
    zg_u256_to_dec(dec, &a);
    CHECK_OK(zg_u256_parse(&rt, dec, strlen(dec)));
    CHECK(zg_u256_cmp(&rt, &a) == 0);
    zg_u256_to_quantity(hex, &a);
    CHECK_OK(zg_u256_parse(&rt, hex, strlen(hex)));
    CHECK(zg_u256_cmp(&rt, &a) == 0);
    uint8_t be[32];
    zg_u256_to_be32(be, &a);
    zg_u256_from_be32(&rt, be);
    CHECK(zg_u256_cmp(&rt, &a) == 0);
  }
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_text);
  ZGT_RUN(test_carries);
  ZGT_RUN(test_random);
  return zgt_done();
}

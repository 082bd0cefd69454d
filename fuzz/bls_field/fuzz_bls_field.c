/* fuzz_bls_field.c — BLS12-381 field encodings and arithmetic kernels.
 *
 * Parsing: a 48-byte Fp and a 32-byte Fr (big- and little-endian) are either
 * rejected as >= the modulus or re-encode to exactly the input bytes.
 * Arithmetic: the x86-64 kernels (zg__fp_mul, _sqr, _add, _sub, Fp2 mul and
 * sqr, Fr mul/add/sub) must agree with the portable C paths on every input
 * the fuzzer builds; elsewhere both sides are the same code. */
#include <stdlib.h>
#include <string.h>

#include "crypto/bls_field.h"
#include "crypto/bls_fp12.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t P_BE[48] = {0x1a, 0x01, 0x11, 0xea, 0x39, 0x7f, 0xe6, 0x9a, 0x4b, 0x1b, 0xa7, 0xb6,
                                 0x43, 0x4b, 0xac, 0xd7, 0x64, 0x77, 0x4b, 0x84, 0xf3, 0x85, 0x12, 0xbf,
                                 0x67, 0x30, 0xd2, 0xa0, 0xf6, 0xb0, 0xf6, 0x24, 0x1e, 0xab, 0xff, 0xfe,
                                 0xb1, 0x53, 0xff, 0xff, 0xb9, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xaa, 0xab};
static const uint8_t R_BE[32] = {0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8,
                                 0x08, 0x09, 0xa1, 0xd8, 0x05, 0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe,
                                 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01};

/* Element k of the input: 64 bytes (zero-padded) reduced mod p. */
static void fp_at(zg_fp_t *r, const uint8_t *data, size_t size, size_t k) {
  uint8_t b[64] = {0};
  for (size_t i = 0; i < 64 && 64 * k + i < size; i++) b[i] = data[64 * k + i];
  zg__fp_from_be64_reduce(r, b);
}

static void check_parse(const uint8_t *data, size_t size) {
  uint8_t in[48] = {0}, out[48];
  memcpy(in, data, size < 48 ? size : 48);
  zg_fp_t a;
  zg_err_t e = zg__fp_from_be48(&a, in);
  if ((e == ZG_OK) != (memcmp(in, P_BE, 48) < 0)) abort();
  if (e == ZG_OK) {
    zg__fp_to_be48(out, &a);
    if (memcmp(in, out, 48) != 0) abort();
  }
  uint8_t s[32], le[32], o[32];
  memcpy(s, in, 32);
  for (int i = 0; i < 32; i++) le[i] = s[31 - i];
  zg_fr_t x, y;
  e = zg_fr_from_be32(&x, s);
  if ((e == ZG_OK) != (memcmp(s, R_BE, 32) < 0)) abort();
  if ((zg_fr_from_le32(&y, le) == ZG_OK) != (e == ZG_OK)) abort();
  if (e == ZG_OK) {
    zg_fr_to_be32(o, &x);
    if (memcmp(o, s, 32) != 0) abort();
    if (!zg_fr_eq(&x, &y)) abort();
  }
}

static void check_arith(const uint8_t *data, size_t size) {
  zg_fp_t a, b, c, d;
  fp_at(&a, data, size, 0);
  fp_at(&b, data, size, 1);
  zg__fp_mul(&c, &a, &b);
  zg__fp_mul_portable(&d, &a, &b);
  if (!zg__fp_eq(&c, &d)) abort();
  zg__fp_sqr(&c, &a);
  zg__fp_mul_portable(&d, &a, &a);
  if (!zg__fp_eq(&c, &d)) abort();
  zg__fp_add(&c, &a, &b);
  zg__fp_add_portable(&d, &a, &b);
  if (!zg__fp_eq(&c, &d)) abort();
  zg__fp_sub(&c, &a, &b);
  zg__fp_sub_portable(&d, &a, &b);
  if (!zg__fp_eq(&c, &d)) abort();

  zg_fp2_t x = {a, b}, y, u, v;
  fp_at(&y.c0, data, size, 2);
  fp_at(&y.c1, data, size, 3);
  zg__fp2_mul(&u, &x, &y);
  zg__fp2_mul_portable(&v, &x, &y);
  if (!zg__fp2_eq(&u, &v)) abort();
  zg__fp2_sqr(&u, &y);
  zg__fp2_sqr_portable(&v, &y);
  if (!zg__fp2_eq(&u, &v)) abort();

  zg_fr_t r, s, t, w;
  zg_fr_from_be_reduce(&r, data, size < 32 ? size : 32);
  zg_fr_from_be_reduce(&s, data + (size < 32 ? size : 32), size < 32 ? 0 : (size - 32 < 32 ? size - 32 : 32));
  zg_fr_mul(&t, &r, &s);
  zg__fr_mul_portable(&w, &r, &s);
  if (!zg_fr_eq(&t, &w)) abort();
  zg_fr_add(&t, &r, &s);
  zg__fr_add_portable(&w, &r, &s);
  if (!zg_fr_eq(&t, &w)) abort();
  zg_fr_sub(&t, &r, &s);
  zg__fr_sub_portable(&w, &r, &s);
  if (!zg_fr_eq(&t, &w)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  check_parse(data, size);
  check_arith(data, size);
  return 0;
}

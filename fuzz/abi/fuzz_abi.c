/* fuzz_abi.c — the strict ABI decoder on arbitrary bytes, against a few
 * fixed types (the first input byte picks one) or a type string taken from
 * the input itself (first byte 0xff: "TYPE\n" then the data). Checks: no
 * crash; a type string that parses formats back to itself; accepted data
 * re-encodes to exactly the same bytes; the arena is freed at once. */
#include <stdlib.h>
#include <string.h>

#include "zg/abi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const TYPES[] = {
    "(bytes,bool,uint256[])",                  /* the spec's sam() */
    "(uint256,uint32[],bytes10,bytes)",        /* the spec's f() */
    "(uint256[][],string[])",                  /* the spec's g() */
    "(uint256,bytes,(bytes32,uint256)[])",     /* a Flow submission */
    "(int8,int256,address,bytes3[2],bool)",    /* padding rules, all static */
    "((string,uint16)[2][],bytes32)",          /* dynamic static-size arrays */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  zg_abi_arena_t a;
  zg_abi_arena_init(&a);
  const zg_abi_type_t *t = NULL;
  const uint8_t *body = data + 1;
  size_t blen = size - 1;
  if (data[0] == 0xff) {
    const uint8_t *nl = memchr(body, '\n', blen);
    if (!nl) goto out;
    size_t tlen = (size_t)(nl - body);
    if (zg_abi_type_parse(&t, &a, (const char *)body, tlen) != ZG_OK) goto out;
    zg_buf_t f;
    zg_buf_init(&f);
    if (zg_abi_type_format(&f, t) != ZG_OK || f.len != tlen || memcmp(f.ptr, body, tlen) != 0) abort();
    zg_buf_clear(&f);
    body += tlen + 1;
    blen -= tlen + 1;
  } else {
    const char *s = TYPES[data[0] % (sizeof TYPES / sizeof TYPES[0])];
    if (zg_abi_type_parse_str(&t, &a, s) != ZG_OK) abort();
  }
  zg_abi_value_t v;
  if (zg_abi_decode(&v, &a, t, body, blen) == ZG_OK) {
    zg_buf_t b;
    zg_buf_init(&b);
    if (zg_abi_encode(&b, t, &v) != ZG_OK) abort();
    if (b.len != blen || (blen && memcmp(b.ptr, body, blen) != 0)) abort();
    zg_buf_clear(&b);
  }
out:
  zg_abi_arena_clear(&a);
  return 0;
}

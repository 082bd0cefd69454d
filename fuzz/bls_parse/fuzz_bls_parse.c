/*
 * fuzz_bls_parse.c — the BLS12-381 point decoders and the BLS key and
 * signature parsers on untrusted bytes. No crash, no sanitizer report, and:
 *  - every accepted encoding re-serializes to exactly the input bytes (the
 *    ZCash encoding is canonical: one encoding per point);
 *  - an accepted point is on the curve and in its subgroup;
 *  - zg_bls_pk_parse accepts exactly the 48-byte G1 encodings that decode to
 *    a non-identity point, zg_bls_sig_parse exactly the 96-byte G2 ones.
 * The whole input and its 48/96/192-byte prefixes are tried, so every
 * decoder sees inputs of its own length.
 */
#include <stdlib.h>
#include <string.h>

#include "zg/bls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_g1(const uint8_t *in, size_t n) {
  zg_g1_t p;
  zg_bls_pk_t pk;
  uint8_t out[96];
  bool ok = zg_g1_deserialize(&p, in, n) == ZG_OK;
  if (ok) {
    if (n != 48 && n != 96) abort();
    if (!zg_g1_is_on_curve(&p) || !zg_g1_in_subgroup(&p)) abort();
    if (n == 48) zg_g1_serialize(out, &p);
    else zg_g1_serialize_uncompressed(out, &p);
    if (memcmp(out, in, n) != 0) abort();
  }
  bool pk_ok = zg_bls_pk_parse(&pk, in, n) == ZG_OK;
  if (pk_ok != (ok && n == 48 && !zg_g1_is_infinity(&p))) abort();
  if (pk_ok) {
    zg_bls_pk_serialize(out, &pk);
    if (memcmp(out, in, 48) != 0) abort();
    if (!zg_bls_key_validate(in, n)) abort();
  }
}

static void check_g2(const uint8_t *in, size_t n) {
  zg_g2_t p;
  zg_bls_sig_t sig;
  uint8_t out[192];
  bool ok = zg_g2_deserialize(&p, in, n) == ZG_OK;
  if (ok) {
    if (n != 96 && n != 192) abort();
    if (!zg_g2_is_on_curve(&p) || !zg_g2_in_subgroup(&p)) abort();
    if (n == 96) zg_g2_serialize(out, &p);
    else zg_g2_serialize_uncompressed(out, &p);
    if (memcmp(out, in, n) != 0) abort();
  }
  bool sig_ok = zg_bls_sig_parse(&sig, in, n) == ZG_OK;
  if (sig_ok != (ok && n == 96)) abort();
  if (sig_ok) {
    zg_bls_sig_serialize(out, &sig);
    if (memcmp(out, in, 96) != 0) abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const size_t lens[] = {48, 96, 192};
  check_g1(data, size);
  check_g2(data, size);
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
    if (size > lens[i]) {
      check_g1(data, lens[i]);
      check_g2(data, lens[i]);
    }
  }
  return 0;
}

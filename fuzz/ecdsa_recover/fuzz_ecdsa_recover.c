/*
 * fuzz_ecdsa_recover.c — ECDSA recovery from untrusted bytes: the first 65
 * bytes are a signature r || s || v, the next 32 the message hash (short
 * inputs are zero-padded). Never crashes; whenever recovery succeeds the
 * recovered key must parse as a curve point and verify the same (r, s) over
 * the same hash. The public-key and address parsers get the raw bytes too.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "zg/ecdsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t in[97] = {0};
  memcpy(in, data, size < sizeof in ? size : sizeof in);
  zg_ecdsa_sig_t sig;
  if (zg_ecdsa_sig_parse65(&sig, in) == ZG_OK) {
    zg_secp256k1_pk_t pk, again;
    if (zg_ecdsa_recover(&pk, &sig, in + 65) == ZG_OK) {
      bool ok = false;
      if (zg_secp256k1_pk_parse(&again, pk.xy, 64) != ZG_OK) abort();
      if (zg_ecdsa_verify(&ok, &sig, in + 65, &pk) != ZG_OK || !ok) abort();
      zg_eth_addr_t a1, a2;
      if (zg_ecdsa_recover_address(&a1, &sig, in + 65) != ZG_OK) abort();
      zg_eth_address(&a2, &pk);
      if (memcmp(a1.bytes, a2.bytes, 20) != 0) abort();
    }
  }
  /* Raw recovery ids outside 0..3 must be refused, not crash. */
  sig.v = in[64];
  memcpy(sig.r, in, 32);
  memcpy(sig.s, in + 32, 32);
  zg_secp256k1_pk_t pk;
  (void)zg_ecdsa_recover(&pk, &sig, in + 65);
  (void)zg_secp256k1_pk_parse(&pk, data, size);
  zg_eth_addr_t addr;
  if (zg_eth_address_parse(&addr, (const char *)data, size) == ZG_OK) {
    char text[43];
    zg_eth_address_to_text(text, &addr);
    if (strncasecmp(text, (const char *)data, 42) != 0) abort();
  }
  return 0;
}

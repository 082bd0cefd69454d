/*
 * selftest_crypto.c — `zg selftest` section crypto_hash_sig: Keccak-256
 * throughput on 1 MiB, an Ethereum address from a fixed key (checked against
 * the known value), an ECDSA signature made and recovered, Ed25519
 * sign/verify, and an AEAD seal/open with a forged tag rejected.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "zg/aead.h"
#include "zg/bytes.h"
#include "zg/ecdsa.h"
#include "zg/ed25519.h"
#include "zg/hash.h"
#include "zg/log.h"

static bool keccak_figures(void) {
  bool ok = true;
  uint8_t d[32], want[32];
  zg_keccak256(d, "", 0);
  ZG_ST_CHECK(
      ok, zg_hex_decode(want, 32, "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", 66) ==
              ZG_OK);
  ZG_ST_CHECK(ok, memcmp(d, want, 32) == 0);
  size_t n = 1 << 20;
  uint8_t *buf = malloc(n);
  if (!buf) return false;
  memset(buf, 0x61, n);
  int rounds = 16;
  zg_keccak256(d, buf, n); /* warm-up: page faults and caches */
  uint64_t t = zg_clock_ns();
  for (int i = 0; i < rounds; i++) {
    zg_keccak256(d, buf, n);
    buf[0] = d[0];
  }
  double mbs = (double)rounds * (double)n * 1e3 / (double)(zg_clock_ns() - t);
  free(buf);
  char hex[67];
  zg_hex_encode(hex, want, 32);
  printf("   keccak256(\"\") = %s\n", hex);
  printf("   keccak256 of 1 MiB: %d rounds, %.0f MB/s\n", rounds, mbs);
  return ok;
}

static bool ecdsa_figures(void) {
  bool ok = true;
  uint8_t key[32] = {0}, hash[32];
  key[31] = 1;
  zg_secp256k1_sk_t sk;
  zg_secp256k1_pk_t pk;
  zg_eth_addr_t addr, raddr;
  zg_ecdsa_sig_t sig;
  char text[43], rtext[43];
  ZG_ST_CHECK(ok, zg_secp256k1_sk_parse(&sk, key, 32) == ZG_OK);
  ZG_ST_CHECK(ok, zg_secp256k1_pubkey(&pk, &sk) == ZG_OK);
  zg_eth_address(&addr, &pk);
  zg_eth_address_to_text(text, &addr);
  ZG_ST_CHECK(ok, strcmp(text, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf") == 0);
  printf("   address of secret key 1: %s (EIP-55, matches the known value)\n", text);
  const char *msg = "zg selftest";
  zg_eth_personal_hash(hash, (const uint8_t *)msg, strlen(msg));
  ZG_ST_CHECK(ok, zg_ecdsa_sign(&sig, &sk, hash) == ZG_OK);
  ZG_ST_CHECK(ok, zg_ecdsa_recover_address(&raddr, &sig, hash) == ZG_OK);
  zg_eth_address_to_text(rtext, &raddr);
  ZG_ST_CHECK(ok, memcmp(raddr.bytes, addr.bytes, 20) == 0);
  uint8_t s65[65];
  char s65hex[2 * 65 + 3];
  zg_ecdsa_sig_serialize65(s65, &sig);
  zg_hex_encode(s65hex, s65, 65);
  printf("   personal_sign(\"%s\") = %.20s... v=%u, recovered signer %s\n", msg, s65hex, s65[64], rtext);
  zg_secp256k1_sk_clear(&sk);
  return ok;
}

static bool ed25519_aead_figures(void) {
  bool ok = true, verdict = false;
  uint8_t seed[32], sig[64];
  memset(seed, 7, 32);
  zg_ed25519_pk_t pk;
  zg_ed25519_sk_t sk;
  const uint8_t *m = (const uint8_t *)"zg ed25519";
  ZG_ST_CHECK(ok, zg_ed25519_keypair_from_seed(&pk, &sk, seed) == ZG_OK);
  ZG_ST_CHECK(ok, zg_ed25519_sign(sig, &sk, m, 10) == ZG_OK);
  ZG_ST_CHECK(ok, zg_ed25519_verify(&verdict, sig, m, 10, &pk) == ZG_OK && verdict);
  sig[5] ^= 1;
  ZG_ST_CHECK(ok, zg_ed25519_verify(&verdict, sig, m, 10, &pk) == ZG_OK && !verdict);
  printf("   ed25519: signed and verified a message; a flipped signature bit was rejected\n");
  zg_ed25519_sk_clear(&sk);

  uint8_t key[32], nonce[12] = {0}, box[16 + 16], back[16];
  const uint8_t *pt = (const uint8_t *)"sixteen byte msg";
  ZG_ST_CHECK(ok, zg_random_bytes(key, 32) == ZG_OK);
  ZG_ST_CHECK(ok, zg_aead_seal(box, sizeof box, key, nonce, NULL, 0, pt, 16) == ZG_OK);
  ZG_ST_CHECK(ok, zg_aead_open(back, sizeof back, key, nonce, NULL, 0, box, sizeof box) == ZG_OK);
  ZG_ST_CHECK(ok, memcmp(back, pt, 16) == 0);
  box[sizeof box - 1] ^= 1;
  zg_err_t e = zg_aead_open(back, sizeof back, key, nonce, NULL, 0, box, sizeof box);
  ZG_ST_CHECK(ok, e == ZG_EAUTH);
  static const uint8_t zero[16];
  ZG_ST_CHECK(ok, memcmp(back, zero, 16) == 0);
  printf("   chacha20-poly1305: sealed and opened 16 bytes; forged tag rejected (%s), output zeroed\n",
         zg_errname(e));
  zg_memwipe(key, sizeof key);
  return ok;
}

ZG_SELFTEST(crypto_hash_sig) {
  bool ok = keccak_figures();
  ok = ecdsa_figures() && ok;
  ok = ed25519_aead_figures() && ok;
  return ok;
}

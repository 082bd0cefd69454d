/*
 * bench_hash.c — hash and signature benchmarks: Keccak-256 at the sizes the
 * chain uses (32-byte words, 64-byte Merkle nodes) and in bulk, the raw
 * permutation (ours and Nettle's, to justify the choice), SHA-256, BLAKE2b,
 * and the libsodium / libsecp256k1 signature wrappers.
 */
#include <nettle/sha3.h>
#include <sodium.h>
#include <string.h>

#include "bench.h"
#include "zg/ecdsa.h"
#include "zg/ed25519.h"
#include "zg/hash.h"

static void bench_keccak(zg_bench_t *b, size_t n) {
  static uint8_t in[1 << 20];
  uint8_t out[32];
  memset(in, 0x3c, n);
  b->bytes_per_op = n;
  while (zg_bench_loop(b)) {
    zg_keccak256(out, in, n);
    in[0] = out[0]; /* chain the calls so none can be skipped */
  }
}

ZG_BENCH(keccak256_16) { bench_keccak(b, 16); }
ZG_BENCH(keccak256_32) { bench_keccak(b, 32); }
ZG_BENCH(keccak256_64) { bench_keccak(b, 64); }
ZG_BENCH(keccak256_1k) { bench_keccak(b, 1024); }
ZG_BENCH(keccak256_16k) { bench_keccak(b, 16384); }
ZG_BENCH(keccak256_1m) { bench_keccak(b, 1 << 20); }

ZG_BENCH(keccak256_pair) {
  uint8_t a[32] = {1}, c[32] = {2};
  while (zg_bench_loop(b)) zg_keccak256_pair(a, a, c);
  ZG_BENCH_KEEP(a[0]);
}

ZG_BENCH(keccakf1600_zg) {
  uint64_t st[25] = {0};
  while (zg_bench_loop(b)) zg_keccakf1600(st);
  ZG_BENCH_KEEP(st[0]);
}

ZG_BENCH(keccakf1600_nettle) {
  struct sha3_state st;
  memset(&st, 0, sizeof st);
  while (zg_bench_loop(b)) nettle_sha3_permute(&st);
  ZG_BENCH_KEEP(st.a[0]);
}

ZG_BENCH(sha256_64) {
  uint8_t in[64] = {7}, out[32];
  while (zg_bench_loop(b)) {
    zg_sha256(out, in, sizeof in);
    in[0] = out[0];
  }
}

ZG_BENCH(sha256_1m) {
  static uint8_t in[1 << 20];
  uint8_t out[32];
  b->bytes_per_op = sizeof in;
  while (zg_bench_loop(b)) {
    zg_sha256(out, in, sizeof in);
    in[0] = out[0];
  }
}

ZG_BENCH(blake2b512_64) {
  uint8_t in[64] = {7}, out[64];
  while (zg_bench_loop(b)) {
    zg_blake2b512(out, in, sizeof in);
    in[0] = out[0];
  }
}

/* ---- signatures and key agreement ---- */

ZG_BENCH(ed25519_sign) {
  zg_ed25519_pk_t pk;
  zg_ed25519_sk_t sk;
  uint8_t seed[32] = {1}, msg[64] = {2}, sig[64];
  if (zg_ed25519_keypair_from_seed(&pk, &sk, seed) != ZG_OK) return;
  while (zg_bench_loop(b)) {
    if (zg_ed25519_sign(sig, &sk, msg, sizeof msg) != ZG_OK) break;
    msg[0] = sig[0];
  }
}

ZG_BENCH(ed25519_verify) {
  zg_ed25519_pk_t pk;
  zg_ed25519_sk_t sk;
  uint8_t seed[32] = {1}, msg[64] = {2}, sig[64];
  bool ok = false;
  if (zg_ed25519_keypair_from_seed(&pk, &sk, seed) != ZG_OK ||
      zg_ed25519_sign(sig, &sk, msg, sizeof msg) != ZG_OK)
    return;
  while (zg_bench_loop(b))
    if (zg_ed25519_verify(&ok, sig, msg, sizeof msg, &pk) != ZG_OK || !ok) break;
}

/* One variable-base Ed25519 scalar multiplication, the building block a batch
 * verifier made from libsodium's exported operations would need (two per
 * signature): compare with ed25519_verify to see why none is built. */
ZG_BENCH(ed25519_scalarmult) {
  uint8_t p[32], n[32] = {9}, q[32];
  if (sodium_init() < 0) return;
  crypto_core_ed25519_random(p);
  while (zg_bench_loop(b)) {
    if (crypto_scalarmult_ed25519_noclamp(q, n, p) != 0) break;
    n[0] = q[0] & 0x7f;
  }
}

ZG_BENCH(x25519) {
  zg_x25519_pk_t pk, peer;
  zg_x25519_sk_t sk, sk2;
  uint8_t out[32];
  if (zg_x25519_keypair(&pk, &sk) != ZG_OK || zg_x25519_keypair(&peer, &sk2) != ZG_OK) return;
  while (zg_bench_loop(b))
    if (zg_x25519_shared(out, &sk, &peer) != ZG_OK) break;
}

ZG_BENCH(secp256k1_sign) {
  zg_secp256k1_sk_t sk;
  zg_ecdsa_sig_t sig;
  uint8_t key[32], hash[32] = {3};
  memset(key, 0x46, 32);
  if (zg_secp256k1_sk_parse(&sk, key, 32) != ZG_OK) return;
  while (zg_bench_loop(b)) {
    if (zg_ecdsa_sign(&sig, &sk, hash) != ZG_OK) break;
    hash[0] = sig.r[0];
  }
}

ZG_BENCH(secp256k1_recover) {
  zg_secp256k1_sk_t sk;
  zg_ecdsa_sig_t sig;
  zg_eth_addr_t addr;
  uint8_t key[32], hash[32] = {3};
  memset(key, 0x46, 32);
  if (zg_secp256k1_sk_parse(&sk, key, 32) != ZG_OK || zg_ecdsa_sign(&sig, &sk, hash) != ZG_OK) return;
  while (zg_bench_loop(b))
    if (zg_ecdsa_recover_address(&addr, &sig, hash) != ZG_OK) break;
}

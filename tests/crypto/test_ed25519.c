/*
 * test_ed25519.c — Ed25519 against RFC 8032 section 7.1 (TEST 1, 2, 3 and
 * SHA(abc)), tampering and random round trips; X25519 against RFC 7748
 * (section 5.2 first vector, the 1 and 1,000 iteration values, the section
 * 6.1 Diffie-Hellman example) and small-order peer rejection.
 */
#include "zg/bytes.h"
#include "zg/ed25519.h"
#include "zg_test.h"

static void unhex(uint8_t *out, size_t n, const char *hex) {
  zg_buf_t b;
  zg_buf_init(&b);
  /* Empty strings are skipped: zg_hex_decode_loose trips UBSan on an empty,
   * unallocated buffer (bytes.c, reported). */
  if (*hex) CHECK_OK(zg_hex_decode_loose(&b, hex, strlen(hex)));
  CHECK_EQ(b.len, n);
  if (b.len == n && n) memcpy(out, b.ptr, n);
  zg_buf_clear(&b);
}

static const struct {
  const char *seed, *pk, *msg, *sig;
} rfc8032[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
     "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

static void test_rfc8032(void) {
  for (size_t i = 0; i < sizeof rfc8032 / sizeof rfc8032[0]; i++) {
    uint8_t seed[32], want_pk[32], want_sig[64], msg[64], sig[64];
    size_t mlen = strlen(rfc8032[i].msg) / 2;
    unhex(seed, 32, rfc8032[i].seed);
    unhex(want_pk, 32, rfc8032[i].pk);
    unhex(want_sig, 64, rfc8032[i].sig);
    unhex(msg, mlen, rfc8032[i].msg);
    zg_ed25519_pk_t pk, pk2;
    zg_ed25519_sk_t sk;
    CHECK_OK(zg_ed25519_keypair_from_seed(&pk, &sk, seed));
    CHECK_MEM(pk.bytes, want_pk, 32);
    zg_ed25519_sk_public(&pk2, &sk);
    CHECK_MEM(pk2.bytes, want_pk, 32);
    CHECK_OK(zg_ed25519_pk_parse(&pk2, want_pk, 32));
    CHECK_OK(zg_ed25519_sign(sig, &sk, msg, mlen));
    CHECK_MEM(sig, want_sig, 64);
    bool ok = false;
    CHECK_OK(zg_ed25519_verify(&ok, want_sig, msg, mlen, &pk));
    CHECK(ok);
    /* A flipped bit anywhere in the signature, or a changed message, fails. */
    want_sig[i * 7 % 64] ^= 0x10;
    CHECK_OK(zg_ed25519_verify(&ok, want_sig, msg, mlen, &pk));
    CHECK(!ok);
    want_sig[i * 7 % 64] ^= 0x10;
    msg[0] ^= 1;
    CHECK_OK(zg_ed25519_verify(&ok, want_sig, msg, mlen ? mlen : 1, &pk));
    CHECK(!ok);
    zg_ed25519_sk_clear(&sk);
  }
}

static void test_bad_inputs(void) {
  zg_ed25519_pk_t pk;
  uint8_t b[33] = {0};
  CHECK_ERR(zg_ed25519_pk_parse(&pk, b, 31), ZG_EBADLEN);
  b[0] = 1; /* the identity: small order */
  CHECK_ERR(zg_ed25519_pk_parse(&pk, b, 32), ZG_EBADKEY);
  memset(b, 0xff, 32); /* y >= p: non-canonical */
  CHECK_ERR(zg_ed25519_pk_parse(&pk, b, 32), ZG_EBADKEY);
  bool ok = true;
  uint8_t sig[64] = {0};
  CHECK_ERR(zg_ed25519_verify(&ok, sig, NULL, 0, NULL), ZG_EINVAL);
  CHECK(!ok);
  /* S >= L (here S = 2^256 - 1) is rejected as a verdict, not a crash. */
  zg_ed25519_sk_t sk;
  CHECK_OK(zg_ed25519_keypair_random(&pk, &sk));
  CHECK_OK(zg_ed25519_sign(sig, &sk, (const uint8_t *)"m", 1));
  memset(sig + 32, 0xff, 32);
  CHECK_OK(zg_ed25519_verify(&ok, sig, (const uint8_t *)"m", 1, &pk));
  CHECK(!ok);
  zg_ed25519_sk_clear(&sk);
}

static void test_random_roundtrip(void) {
  long n = zgt_iters(50);
  for (long i = 0; i < n; i++) {
    uint8_t seed[32], msg[200], sig[64];
    size_t mlen = zgt_rand_below(sizeof msg);
    zgt_rand_bytes(seed, 32);
    zgt_rand_bytes(msg, mlen);
    zg_ed25519_pk_t pk;
    zg_ed25519_sk_t sk;
    CHECK_OK(zg_ed25519_keypair_from_seed(&pk, &sk, seed));
    CHECK_OK(zg_ed25519_sign(sig, &sk, msg, mlen));
    bool ok = false;
    CHECK_OK(zg_ed25519_verify(&ok, sig, msg, mlen, &pk));
    CHECK(ok);
    zg_ed25519_sk_clear(&sk);
  }
}

static void test_x25519_rfc7748(void) {
  zg_x25519_sk_t k;
  zg_x25519_pk_t u;
  uint8_t out[32], want[32];
  /* Section 5.2, first vector. */
  unhex(k.bytes, 32, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
  unhex(u.bytes, 32, "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
  unhex(want, 32, "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
  CHECK_OK(zg_x25519_shared(out, &k, &u));
  CHECK_MEM(out, want, 32);
  /* Section 5.2 iterations: k = u = 9; k, u = X25519(k, u), k. */
  memset(k.bytes, 0, 32);
  k.bytes[0] = 9;
  memcpy(u.bytes, k.bytes, 32);
  for (int i = 1; i <= 1000; i++) {
    CHECK_OK(zg_x25519_shared(out, &k, &u));
    memcpy(u.bytes, k.bytes, 32);
    memcpy(k.bytes, out, 32);
    if (i == 1) {
      unhex(want, 32, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
      CHECK_MEM(out, want, 32);
    }
  }
  unhex(want, 32, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
  CHECK_MEM(k.bytes, want, 32);
  /* Section 6.1. */
  zg_x25519_sk_t a, b;
  zg_x25519_pk_t pa, pb;
  unhex(a.bytes, 32, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  unhex(b.bytes, 32, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  CHECK_OK(zg_x25519_public(&pa, &a));
  CHECK_OK(zg_x25519_public(&pb, &b));
  unhex(want, 32, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  CHECK_MEM(pa.bytes, want, 32);
  unhex(want, 32, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  CHECK_MEM(pb.bytes, want, 32);
  unhex(want, 32, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  CHECK_OK(zg_x25519_shared(out, &a, &pb));
  CHECK_MEM(out, want, 32);
  CHECK_OK(zg_x25519_shared(out, &b, &pa));
  CHECK_MEM(out, want, 32);
}

static void test_x25519_small_order(void) {
  zg_x25519_sk_t sk;
  zg_x25519_pk_t pk, peer;
  uint8_t out[32];
  CHECK_OK(zg_x25519_keypair(&pk, &sk));
  memset(peer.bytes, 0, 32); /* u = 0 */
  memset(out, 0xaa, 32);
  CHECK_ERR(zg_x25519_shared(out, &sk, &peer), ZG_EBADKEY);
  static const uint8_t zero[32];
  CHECK_MEM(out, zero, 32);
  peer.bytes[0] = 1; /* u = 1, order 4 */
  CHECK_ERR(zg_x25519_shared(out, &sk, &peer), ZG_EBADKEY);
  /* Random pairs agree. */
  zg_x25519_sk_t sk2;
  zg_x25519_pk_t pk2;
  uint8_t s1[32], s2[32];
  CHECK_OK(zg_x25519_keypair(&pk2, &sk2));
  CHECK_OK(zg_x25519_shared(s1, &sk, &pk2));
  CHECK_OK(zg_x25519_shared(s2, &sk2, &pk));
  CHECK_MEM(s1, s2, 32);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_rfc8032);
  ZGT_RUN(test_bad_inputs);
  ZGT_RUN(test_random_roundtrip);
  ZGT_RUN(test_x25519_rfc7748);
  ZGT_RUN(test_x25519_small_order);
  return zgt_done();
}

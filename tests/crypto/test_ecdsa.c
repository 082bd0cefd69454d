/*
 * test_ecdsa.c — secp256k1 ECDSA the Ethereum way: the address of secret key
 * 1, EIP-55's published checksum examples, an EIP-191 personal_sign hash
 * (alloy's documented "hello_world" example), the EIP-155 example
 * transaction (signing data -> signing hash -> (v, r, s) with key 0x46..46,
 * and recovery from it), rejection codes for malformed and high-s
 * signatures, key parsing, and random sign/verify/recover round trips.
 */
#include "zg/bytes.h"
#include "zg/ecdsa.h"
#include "zg/hash.h"
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

static void test_key_one(void) {
  uint8_t one[32] = {0};
  one[31] = 1;
  zg_secp256k1_sk_t sk;
  zg_secp256k1_pk_t pk;
  zg_eth_addr_t addr;
  char text[43];
  CHECK_OK(zg_secp256k1_sk_parse(&sk, one, 32));
  CHECK_OK(zg_secp256k1_pubkey(&pk, &sk));
  uint8_t g[64]; /* the generator G */
  unhex(g, 64,
        "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
        "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
  CHECK_MEM(pk.xy, g, 64);
  zg_eth_address(&addr, &pk);
  zg_eth_address_to_text(text, &addr);
  CHECK(strcmp(text, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf") == 0);
  zg_secp256k1_sk_clear(&sk);
}

static void test_eip55(void) {
  static const char *const good[] = {
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
      "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
      "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
      "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
  };
  for (size_t i = 0; i < 4; i++) {
    zg_eth_addr_t a;
    char text[43];
    CHECK_OK(zg_eth_address_parse(&a, good[i], 42));
    zg_eth_address_to_text(text, &a);
    CHECK(strcmp(text, good[i]) == 0);
    /* Changing the case of one letter breaks the checksum. */
    char bad[43];
    memcpy(bad, good[i], 43);
    for (int k = 2; k < 42; k++) {
      if (bad[k] >= 'a' && bad[k] <= 'f') {
        bad[k] = (char)(bad[k] - 32);
        break;
      }
    }
    CHECK_ERR(zg_eth_address_parse(&a, bad, 42), ZG_ECHECKSUM);
  }
  /* Single-case forms carry no checksum and parse. */
  zg_eth_addr_t a, b;
  CHECK_OK(zg_eth_address_parse(&a, "0x52908400098527886E0F7030069857D2E4169EE7", 42));
  CHECK_OK(zg_eth_address_parse(&b, "0x52908400098527886e0f7030069857d2e4169ee7", 42));
  CHECK_MEM(a.bytes, b.bytes, 20);
  char text[43];
  zg_eth_address_to_text(text, &a);
  CHECK(strcmp(text, "0x52908400098527886E0F7030069857D2E4169EE7") == 0); /* EIP-55 "all caps" example */
  CHECK_OK(zg_eth_address_parse(&a, "0xde709f2102306220921060314715629080e2fb77", 42));
  zg_eth_address_to_text(text, &a);
  CHECK(strcmp(text, "0xde709f2102306220921060314715629080e2fb77") == 0); /* EIP-55 "all lower" example */
  CHECK_ERR(zg_eth_address_parse(&a, "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", 40), ZG_EHEX);
  CHECK_ERR(zg_eth_address_parse(&a, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", 41), ZG_EBADLEN);
  CHECK_ERR(zg_eth_address_parse(&a, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", 42), ZG_EHEX);
}

static void test_eip191(void) {
  uint8_t h[32], want[32];
  zg_eth_personal_hash(h, (const uint8_t *)"hello_world", 11);
  unhex(want, 32, "d52de6e039c023a7c77752126e4d9d99e2a7dacea3d19e97e9c2ebcb3ecf1c00");
  CHECK_MEM(h, want, 32);
  /* Same as hashing the full prefixed message by hand. */
  const char *full =
      "\x19"
      "Ethereum Signed Message:\n11hello_world";
  zg_keccak256(want, full, strlen(full));
  CHECK_MEM(h, want, 32);
}

/* EIP-155's example: nonce 9, gas price 20 gwei, gas 21000, to 0x35..35,
 * value 1 ether, chain id 1, signed with 0x46..46. */
static void test_eip155(void) {
  uint8_t data[45], hash[32], want[32], key[32];
  unhex(data, 45,
        "ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080");
  zg_keccak256(hash, data, sizeof data);
  unhex(want, 32, "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
  CHECK_MEM(hash, want, 32);
  memset(key, 0x46, 32);
  zg_secp256k1_sk_t sk;
  zg_ecdsa_sig_t sig, given;
  CHECK_OK(zg_secp256k1_sk_parse(&sk, key, 32));
  CHECK_OK(zg_ecdsa_sign(&sig, &sk, hash));
  unhex(given.r, 32, "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276");
  unhex(given.s, 32, "67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
  CHECK_OK(zg_eth_v_to_recid(&given.v, 37, 1));
  CHECK_EQ(given.v, 0);
  CHECK_MEM(sig.r, given.r, 32);
  CHECK_MEM(sig.s, given.s, 32);
  CHECK_EQ(sig.v, given.v);
  /* Recovery gives the signer's address. */
  zg_secp256k1_pk_t pk, rpk;
  zg_eth_addr_t addr, raddr;
  CHECK_OK(zg_secp256k1_pubkey(&pk, &sk));
  zg_eth_address(&addr, &pk);
  CHECK_OK(zg_ecdsa_recover(&rpk, &given, hash));
  CHECK_MEM(rpk.xy, pk.xy, 64);
  CHECK_OK(zg_ecdsa_recover_address(&raddr, &given, hash));
  CHECK_MEM(raddr.bytes, addr.bytes, 20);
  char text[43];
  zg_eth_address_to_text(text, &raddr);
  CHECK(strcmp(text, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F") == 0);
  bool ok = false;
  CHECK_OK(zg_ecdsa_verify(&ok, &given, hash, &pk));
  CHECK(ok);
  uint8_t v;
  CHECK_ERR(zg_eth_v_to_recid(&v, 37, 2), ZG_EBADSIG);
  CHECK_ERR(zg_eth_v_to_recid(&v, 29, 0), ZG_EBADSIG);
  CHECK_OK(zg_eth_v_to_recid(&v, 28, 0));
  CHECK_EQ(v, 1);
  zg_secp256k1_sk_clear(&sk);
}

static void test_rejections(void) {
  uint8_t hash[32], n[32];
  zgt_rand_bytes(hash, 32);
  unhex(n, 32, "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  zg_secp256k1_sk_t sk;
  zg_secp256k1_pk_t pk;
  zg_ecdsa_sig_t sig, bad;
  CHECK_OK(zg_secp256k1_sk_generate(&sk));
  CHECK_OK(zg_secp256k1_pubkey(&pk, &sk));
  CHECK_OK(zg_ecdsa_sign(&sig, &sk, hash));
  /* High s: s' = n - s recovers a valid key for v ^ 1 in raw ECDSA, but is malleable. */
  bad = sig;
  int borrow = 0;
  for (int i = 31; i >= 0; i--) {
    int d = n[i] - sig.s[i] - borrow;
    borrow = d < 0;
    bad.s[i] = (uint8_t)(d + (borrow ? 256 : 0));
  }
  bad.v ^= 1;
  zg_secp256k1_pk_t out;
  bool ok = true;
  CHECK_ERR(zg_ecdsa_recover(&out, &bad, hash), ZG_ENONCANON);
  CHECK_ERR(zg_ecdsa_verify(&ok, &bad, hash, &pk), ZG_ENONCANON);
  CHECK(!ok);
  bad = sig;
  memset(bad.r, 0, 32);
  CHECK_ERR(zg_ecdsa_recover(&out, &bad, hash), ZG_EBADSIG);
  bad = sig;
  memset(bad.s, 0, 32);
  CHECK_ERR(zg_ecdsa_recover(&out, &bad, hash), ZG_EBADSIG);
  bad = sig;
  memcpy(bad.r, n, 32);
  CHECK_ERR(zg_ecdsa_recover(&out, &bad, hash), ZG_ESCALAR);
  memset(bad.r, 0xff, 32);
  CHECK_ERR(zg_ecdsa_recover(&out, &bad, hash), ZG_ESCALAR);
  bad = sig;
  bad.v = 4;
  CHECK_ERR(zg_ecdsa_recover(&out, &bad, hash), ZG_EBADSIG);
  uint8_t b65[65];
  zg_ecdsa_sig_serialize65(b65, &sig);
  CHECK_EQ(b65[64], 27 + sig.v);
  CHECK_OK(zg_ecdsa_sig_parse65(&bad, b65));
  CHECK_MEM(&bad.r, sig.r, 32);
  CHECK_EQ(bad.v, sig.v);
  b65[64] = 31;
  CHECK_ERR(zg_ecdsa_sig_parse65(&bad, b65), ZG_EBADSIG);
  /* Small r values: x^3 + 7 is a non-residue for some of them, so no point has
   * that x; recovery must then report ZG_EBADSIG (and never crash). */
  for (int x = 1; x < 20; x++) {
    bad = sig;
    memset(bad.r, 0, 32);
    bad.r[31] = (uint8_t)x;
    zg_err_t e = zg_ecdsa_recover(&out, &bad, hash);
    CHECK(e == ZG_OK || e == ZG_EBADSIG);
  }
  /* Keys. */
  uint8_t k[33] = {0};
  CHECK_ERR(zg_secp256k1_sk_parse(&sk, k, 32), ZG_EBADKEY);
  CHECK_ERR(zg_secp256k1_sk_parse(&sk, n, 32), ZG_EBADKEY);
  CHECK_ERR(zg_secp256k1_sk_parse(&sk, k, 31), ZG_EBADLEN);
  uint8_t pk65[65];
  pk65[0] = 4;
  memcpy(pk65 + 1, pk.xy, 64);
  CHECK_OK(zg_secp256k1_pk_parse(&out, pk65, 65));
  CHECK_MEM(out.xy, pk.xy, 64);
  uint8_t pk33[33];
  pk33[0] = (uint8_t)(2 + (pk.xy[63] & 1));
  memcpy(pk33 + 1, pk.xy, 32);
  CHECK_OK(zg_secp256k1_pk_parse(&out, pk33, 33));
  CHECK_MEM(out.xy, pk.xy, 64);
  pk65[64] ^= 1;
  CHECK_ERR(zg_secp256k1_pk_parse(&out, pk65, 65), ZG_ENOTONCURVE);
  CHECK_ERR(zg_secp256k1_pk_parse(&out, pk65 + 1, 64), ZG_ENOTONCURVE);
  CHECK_ERR(zg_secp256k1_pk_parse(&out, pk65, 40), ZG_EBADLEN);
  zg_secp256k1_sk_clear(&sk);
}

static void test_random_roundtrip(void) {
  long iters = zgt_iters(50);
  for (long i = 0; i < iters; i++) {
    uint8_t key[32], hash[32];
    zgt_rand_bytes(key, 32);
    zgt_rand_bytes(hash, 32);
    zg_secp256k1_sk_t sk;
    if (zg_secp256k1_sk_parse(&sk, key, 32) != ZG_OK) continue;
    zg_secp256k1_pk_t pk, rpk;
    zg_ecdsa_sig_t sig;
    CHECK_OK(zg_secp256k1_pubkey(&pk, &sk));
    CHECK_OK(zg_ecdsa_sign(&sig, &sk, hash));
    CHECK(sig.v <= 1);
    bool ok = false;
    CHECK_OK(zg_ecdsa_verify(&ok, &sig, hash, &pk));
    CHECK(ok);
    CHECK_OK(zg_ecdsa_recover(&rpk, &sig, hash));
    CHECK_MEM(rpk.xy, pk.xy, 64);
    hash[0] ^= 1;
    CHECK_OK(zg_ecdsa_verify(&ok, &sig, hash, &pk));
    CHECK(!ok);
    CHECK_OK(zg_ecdsa_recover(&rpk, &sig, hash)); /* some other key */
    CHECK(memcmp(rpk.xy, pk.xy, 64) != 0);
    zg_secp256k1_sk_clear(&sk);
  }
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_key_one);
  ZGT_RUN(test_eip55);
  ZGT_RUN(test_eip191);
  ZGT_RUN(test_eip155);
  ZGT_RUN(test_rejections);
  ZGT_RUN(test_random_roundtrip);
  return zgt_done();
}

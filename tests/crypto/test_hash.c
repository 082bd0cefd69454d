/*
 * test_hash.c — the libsodium-backed hashes of src/crypto/hash.c: SHA-256 and
 * SHA-512 (FIPS 180 examples, streaming equals one-shot), HMAC-SHA256
 * (RFC 4231 test cases 1-4, 6, 7), HKDF-SHA256 (RFC 5869 test case 1 and the
 * output limit), BLAKE2b-512 of "" and "abc" (RFC 7693 appendix A).
 */
#include "zg/bytes.h"
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

static void test_sha256(void) {
  static const struct {
    const char *msg, *md;
  } v[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  for (size_t i = 0; i < 3; i++) {
    uint8_t out[32], want[32];
    unhex(want, 32, v[i].md);
    zg_sha256(out, v[i].msg, strlen(v[i].msg));
    CHECK_MEM(out, want, 32);
  }
}

static void test_sha512(void) {
  uint8_t out[64], want[64];
  unhex(want, 64,
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  zg_sha512(out, "abc", 3);
  CHECK_MEM(out, want, 64);
  unhex(want, 64,
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
        "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  zg_sha512(out, "", 0);
  CHECK_MEM(out, want, 64);
}

static void test_streaming(void) {
  static uint8_t msg[3000];
  long n = zgt_iters(100);
  for (long it = 0; it < n; it++) {
    size_t len = zgt_rand_below(sizeof msg + 1);
    zgt_rand_bytes(msg, len);
    uint8_t a[64], b[64];
    zg_sha256_ctx_t c2;
    zg_sha512_ctx_t c5;
    zg_sha256_init(&c2);
    zg_sha512_init(&c5);
    for (size_t done = 0; done < len;) {
      size_t step = zgt_rand_below(200);
      if (step > len - done) step = len - done;
      zg_sha256_update(&c2, msg + done, step);
      zg_sha512_update(&c5, msg + done, step);
      done += step;
    }
    zg_sha256_final(&c2, a);
    zg_sha256(b, msg, len);
    CHECK_MEM(a, b, 32);
    zg_sha512_final(&c5, a);
    zg_sha512(b, msg, len);
    CHECK_MEM(a, b, 64);
  }
}

static void test_hmac_rfc4231(void) {
  uint8_t key[131], data[160], out[32], want[32];
  /* Test case 1. */
  memset(key, 0x0b, 20);
  zg_hmac_sha256(out, key, 20, (const uint8_t *)"Hi There", 8);
  unhex(want, 32, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK_MEM(out, want, 32);
  /* Test case 2. */
  const char *d2 = "what do ya want for nothing?";
  zg_hmac_sha256(out, (const uint8_t *)"Jefe", 4, (const uint8_t *)d2, strlen(d2));
  unhex(want, 32, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK_MEM(out, want, 32);
  /* Test case 3. */
  memset(key, 0xaa, 20);
  memset(data, 0xdd, 50);
  zg_hmac_sha256(out, key, 20, data, 50);
  unhex(want, 32, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  CHECK_MEM(out, want, 32);
  /* Test case 4. */
  for (int i = 0; i < 25; i++) key[i] = (uint8_t)(i + 1);
  memset(data, 0xcd, 50);
  zg_hmac_sha256(out, key, 25, data, 50);
  unhex(want, 32, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  CHECK_MEM(out, want, 32);
  /* Test case 6: a key longer than the block is hashed first. */
  memset(key, 0xaa, 131);
  const char *d6 = "Test Using Larger Than Block-Size Key - Hash Key First";
  zg_hmac_sha256(out, key, 131, (const uint8_t *)d6, strlen(d6));
  unhex(want, 32, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK_MEM(out, want, 32);
  /* Test case 7. */
  const char *d7 =
      "This is a test using a larger than block-size key and a larger than block-size data. The key needs to "
      "be "
      "hashed before being used by the HMAC algorithm.";
  zg_hmac_sha256(out, key, 131, (const uint8_t *)d7, strlen(d7));
  unhex(want, 32, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  CHECK_MEM(out, want, 32);
}

static void test_hkdf_rfc5869(void) {
  uint8_t ikm[22], salt[13], info[10], prk[32], okm[42], want_prk[32], want_okm[42];
  memset(ikm, 0x0b, sizeof ikm);
  for (int i = 0; i < 13; i++) salt[i] = (uint8_t)i;
  for (int i = 0; i < 10; i++) info[i] = (uint8_t)(0xf0 + i);
  zg_hkdf_sha256_extract(prk, salt, sizeof salt, ikm, sizeof ikm);
  unhex(want_prk, 32, "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  CHECK_MEM(prk, want_prk, 32);
  CHECK_OK(zg_hkdf_sha256_expand(okm, sizeof okm, prk, info, sizeof info));
  unhex(want_okm, 42, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  CHECK_MEM(okm, want_okm, 42);
  /* A shorter output is a prefix of a longer one. */
  uint8_t part[10];
  CHECK_OK(zg_hkdf_sha256_expand(part, sizeof part, prk, info, sizeof info));
  CHECK_MEM(part, want_okm, 10);
  static uint8_t big[255 * 32 + 1];
  CHECK_OK(zg_hkdf_sha256_expand(big, 255 * 32, prk, info, sizeof info));
  CHECK_MEM(big, want_okm, 42);
  CHECK_ERR(zg_hkdf_sha256_expand(big, sizeof big, prk, info, sizeof info), ZG_EINVAL);
}

static void test_blake2b(void) {
  uint8_t out[64], want[64];
  zg_blake2b512(out, "", 0);
  unhex(want, 64,
        "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
        "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce");
  CHECK_MEM(out, want, 64);
  zg_blake2b512(out, "abc", 3);
  unhex(want, 64,
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
        "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
  CHECK_MEM(out, want, 64);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_sha256);
  ZGT_RUN(test_sha512);
  ZGT_RUN(test_streaming);
  ZGT_RUN(test_hmac_rfc4231);
  ZGT_RUN(test_hkdf_rfc5869);
  ZGT_RUN(test_blake2b);
  return zgt_done();
}

/*
 * test_aead.c — ChaCha20-Poly1305 (IETF) against the RFC 8439 section 2.8.2
 * example, forged-tag rejection (output zeroed, never plaintext), length
 * checks, in-place operation and random round trips.
 */
#include "zg/aead.h"
#include "zg/bytes.h"
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

static const char *k_plain =
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen "
    "would be it.";

static void rfc_inputs(uint8_t key[32], uint8_t nonce[12], uint8_t ad[12], uint8_t want[130]) {
  unhex(key, 32, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  unhex(nonce, 12, "070000004041424344454647");
  unhex(ad, 12, "50515253c0c1c2c3c4c5c6c7");
  unhex(want, 130,
        "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
        "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
        "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
        "3ff4def08e4b7a9de576d26586cec64b6116"
        "1ae10b594f09e26a7e902ecbd0600691");
}

static void test_rfc8439(void) {
  uint8_t key[32], nonce[12], ad[12], want[130], box[130], back[114];
  size_t n = strlen(k_plain);
  CHECK_EQ(n, 114);
  rfc_inputs(key, nonce, ad, want);
  CHECK_OK(zg_aead_seal(box, sizeof box, key, nonce, ad, sizeof ad, (const uint8_t *)k_plain, n));
  CHECK_MEM(box, want, 130);
  CHECK_OK(zg_aead_open(back, sizeof back, key, nonce, ad, sizeof ad, box, sizeof box));
  CHECK_MEM(back, k_plain, n);
}

static void test_forgery(void) {
  uint8_t key[32], nonce[12], ad[12], want[130], box[130], back[114];
  static const uint8_t zero[114];
  rfc_inputs(key, nonce, ad, want);
  /* Flip each byte in turn (ciphertext and tag): always rejected, output zero. */
  for (size_t i = 0; i < sizeof box; i++) {
    memcpy(box, want, sizeof box);
    box[i] ^= 0x01;
    memset(back, 0x55, sizeof back);
    CHECK_ERR(zg_aead_open(back, sizeof back, key, nonce, ad, sizeof ad, box, sizeof box), ZG_EAUTH);
    CHECK_MEM(back, zero, sizeof back);
  }
  /* Wrong associated data, nonce or key. */
  ad[0] ^= 1;
  CHECK_ERR(zg_aead_open(back, sizeof back, key, nonce, ad, sizeof ad, want, sizeof want), ZG_EAUTH);
  ad[0] ^= 1;
  nonce[11] ^= 1;
  CHECK_ERR(zg_aead_open(back, sizeof back, key, nonce, ad, sizeof ad, want, sizeof want), ZG_EAUTH);
  nonce[11] ^= 1;
  key[31] ^= 1;
  CHECK_ERR(zg_aead_open(back, sizeof back, key, nonce, ad, sizeof ad, want, sizeof want), ZG_EAUTH);
  key[31] ^= 1;
  CHECK_ERR(zg_aead_open(back, sizeof back, key, nonce, NULL, 0, want, sizeof want), ZG_EAUTH);
  CHECK_MEM(back, zero, sizeof back);
  /* In-place open of a forged box leaves zeros, not plaintext, in the buffer. */
  memcpy(box, want, sizeof box);
  box[129] ^= 0x80;
  CHECK_ERR(zg_aead_open(box, 114, key, nonce, ad, sizeof ad, box, sizeof box), ZG_EAUTH);
  CHECK_MEM(box, zero, 114);
}

static void test_lengths(void) {
  uint8_t key[32] = {1}, nonce[12] = {2}, box[40], out[40];
  CHECK_ERR(zg_aead_seal(box, 20, key, nonce, NULL, 0, (const uint8_t *)"hello", 5), ZG_EBADLEN);
  CHECK_ERR(zg_aead_open(out, 0, key, nonce, NULL, 0, box, 15), ZG_ETRUNC);
  /* The empty message: the box is just a tag. */
  CHECK_OK(zg_aead_seal(box, 16, key, nonce, NULL, 0, NULL, 0));
  CHECK_OK(zg_aead_open(NULL, 0, key, nonce, NULL, 0, box, 16));
  box[0] ^= 1;
  CHECK_ERR(zg_aead_open(NULL, 0, key, nonce, NULL, 0, box, 16), ZG_EAUTH);
  CHECK_OK(zg_aead_seal(box, 21, key, nonce, NULL, 0, (const uint8_t *)"hello", 5));
  CHECK_ERR(zg_aead_open(out, 6, key, nonce, NULL, 0, box, 21), ZG_EBADLEN);
}

static void test_random_inplace(void) {
  long n = zgt_iters(200);
  for (long it = 0; it < n; it++) {
    uint8_t key[32], nonce[12], ad[40], msg[300], buf[316];
    size_t mlen = zgt_rand_below(300), adlen = zgt_rand_below(40);
    zgt_rand_bytes(key, 32);
    zgt_rand_bytes(nonce, 12);
    zgt_rand_bytes(ad, adlen);
    zgt_rand_bytes(msg, mlen);
    memcpy(buf, msg, mlen);
    CHECK_OK(zg_aead_seal(buf, mlen + 16, key, nonce, ad, adlen, buf, mlen));
    CHECK_OK(zg_aead_open(buf, mlen, key, nonce, ad, adlen, buf, mlen + 16));
    if (mlen) CHECK_MEM(buf, msg, mlen);
  }
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_rfc8439);
  ZGT_RUN(test_forgery);
  ZGT_RUN(test_lengths);
  ZGT_RUN(test_random_inplace);
  return zgt_done();
}

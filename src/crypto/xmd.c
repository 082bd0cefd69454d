/*
 * xmd.c — expand_message_xmd of RFC 9380 section 5.3.1, over SHA-256 (BLS12-381
 * suites) or SHA-512 (edwards25519 suites, ECVRF).
 *
 *   b_0 = H(Z_pad || msg || I2OSP(len, 2) || 0x00 || DST')
 *   b_1 = H(b_0 || 0x01 || DST')
 *   b_i = H((b_0 XOR b_{i-1}) || I2OSP(i, 1) || DST')
 * with DST' = DST || I2OSP(len(DST), 1), and an oversize DST (> 255 bytes)
 * replaced by H("H2C-OVERSIZE-DST-" || DST).
 */
#include <string.h>

#include "zg/bytes.h"
#include "zg/hash.h"

typedef union {
  zg_sha256_ctx_t s256;
  zg_sha512_ctx_t s512;
} xmd_ctx_t;

static void h_init(xmd_ctx_t *c, zg_xmd_hash_t h) {
  if (h == ZG_XMD_SHA256) zg_sha256_init(&c->s256); else zg_sha512_init(&c->s512);
}
static void h_update(xmd_ctx_t *c, zg_xmd_hash_t h, const void *p, size_t n) {
  if (h == ZG_XMD_SHA256) zg_sha256_update(&c->s256, p, n); else zg_sha512_update(&c->s512, p, n);
}
static void h_final(xmd_ctx_t *c, zg_xmd_hash_t h, uint8_t *out) {
  if (h == ZG_XMD_SHA256) zg_sha256_final(&c->s256, out); else zg_sha512_final(&c->s512, out);
}

zg_err_t zg_expand_message_xmd(uint8_t *out, size_t outlen, zg_xmd_hash_t h, const uint8_t *msg, size_t msglen,
                               const uint8_t *dst, size_t dstlen) {
  size_t b_in_bytes = h == ZG_XMD_SHA256 ? 32 : 64;  /* output size of H */
  size_t r_in_bytes = h == ZG_XMD_SHA256 ? 64 : 128; /* input block size of H */
  if (h != ZG_XMD_SHA256 && h != ZG_XMD_SHA512) return ZG_EINVAL;
  if (!out || outlen == 0 || outlen > 65535 || (!msg && msglen) || (!dst && dstlen)) return ZG_EINVAL;
  size_t ell = (outlen + b_in_bytes - 1) / b_in_bytes;
  if (ell > 255) return ZG_EINVAL;

  uint8_t dst_hashed[64];
  if (dstlen > 255) {
    static const char prefix[] = "H2C-OVERSIZE-DST-";
    xmd_ctx_t c;
    h_init(&c, h);
    h_update(&c, h, prefix, sizeof prefix - 1);
    h_update(&c, h, dst, dstlen);
    h_final(&c, h, dst_hashed);
    dst = dst_hashed;
    dstlen = b_in_bytes;
  }
  uint8_t dst_len_byte = (uint8_t)dstlen;

  static const uint8_t zpad[128];
  uint8_t lib[3] = {(uint8_t)(outlen >> 8), (uint8_t)outlen, 0};
  uint8_t b0[64], bi[64];
  xmd_ctx_t c;
  h_init(&c, h);
  h_update(&c, h, zpad, r_in_bytes);
  h_update(&c, h, msg, msglen);
  h_update(&c, h, lib, 3);
  h_update(&c, h, dst, dstlen);
  h_update(&c, h, &dst_len_byte, 1);
  h_final(&c, h, b0);

  for (size_t i = 1; i <= ell; i++) {
    uint8_t in[64];
    if (i == 1) {
      memcpy(in, b0, b_in_bytes);
    } else {
      for (size_t j = 0; j < b_in_bytes; j++) in[j] = (uint8_t)(b0[j] ^ bi[j]);
    }
    uint8_t idx = (uint8_t)i;
    h_init(&c, h);
    h_update(&c, h, in, b_in_bytes);
    h_update(&c, h, &idx, 1);
    h_update(&c, h, dst, dstlen);
    h_update(&c, h, &dst_len_byte, 1);
    h_final(&c, h, bi);
    size_t off = (i - 1) * b_in_bytes;
    size_t n = outlen - off < b_in_bytes ? outlen - off : b_in_bytes;
    memcpy(out + off, bi, n);
  }
  zg_memwipe(b0, sizeof b0);
  zg_memwipe(bi, sizeof bi);
  return ZG_OK;
}

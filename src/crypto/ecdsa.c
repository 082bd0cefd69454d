/*
 * ecdsa.c — Ethereum-style secp256k1 ECDSA over libsecp256k1 (zg/ecdsa.h).
 *
 * The shared context is created once (pthread_once), randomised with 32
 * bytes from the CSPRNG for blinding, and never modified again; libsecp256k1
 * documents a context as safe for concurrent use by any number of threads
 * once only const operations are applied to it. Its illegal-argument
 * callback aborts, so every argument is validated here first and no peer
 * input can reach it.
 *
 * r and s checks are plain big-endian comparisons: signatures are public, so
 * they need not be constant-time. Secret keys only go to libsecp256k1, which
 * is constant-time on them.
 */
#include "zg/ecdsa.h"

#include <pthread.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <stdio.h>
#include <string.h>

#include "zg/bytes.h"
#include "zg/hash.h"

static secp256k1_context *g_ctx;
static zg_err_t g_ctx_err = ZG_OK;
static pthread_once_t g_ctx_once = PTHREAD_ONCE_INIT;

static void ctx_create(void) {
  secp256k1_context *c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  if (!c) {
    g_ctx_err = ZG_ENOMEM;
    return;
  }
  uint8_t seed[32];
  zg_err_t err = zg_random_bytes(seed, sizeof seed);
  if (err == ZG_OK && !secp256k1_context_randomize(c, seed)) err = ZG_ECRYPTO;
  zg_memwipe(seed, sizeof seed);
  if (err != ZG_OK) {
    secp256k1_context_destroy(c);
    g_ctx_err = err;
    return;
  }
  g_ctx = c;
}

/* The shared context, or NULL with *err set when it could not be made. */
static const secp256k1_context *get_ctx(zg_err_t *err) {
  pthread_once(&g_ctx_once, ctx_create);
  *err = g_ctx ? ZG_OK : (g_ctx_err != ZG_OK ? g_ctx_err : ZG_ECRYPTO);
  return g_ctx;
}

/* The group order n and n/2, big-endian. */
static const uint8_t k_order[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                    0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                                    0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
static const uint8_t k_half_order[32] = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
                                         0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};
static const uint8_t k_zero[32];

/* Range checks on a signature's r and s (public values). */
static zg_err_t check_rs(const zg_ecdsa_sig_t *sig) {
  if (memcmp(sig->r, k_zero, 32) == 0 || memcmp(sig->s, k_zero, 32) == 0) return ZG_EBADSIG;
  if (memcmp(sig->r, k_order, 32) >= 0 || memcmp(sig->s, k_order, 32) >= 0) return ZG_ESCALAR;
  if (memcmp(sig->s, k_half_order, 32) > 0) return ZG_ENONCANON;
  return ZG_OK;
}

zg_err_t zg_secp256k1_sk_parse(zg_secp256k1_sk_t *sk, const uint8_t *in, size_t len) {
  if (!sk || (!in && len)) return ZG_EINVAL;
  memset(sk, 0, sizeof *sk);
  if (len != 32) return ZG_EBADLEN;
  zg_err_t err;
  const secp256k1_context *ctx = get_ctx(&err);
  if (!ctx) return err;
  if (!secp256k1_ec_seckey_verify(ctx, in)) return ZG_EBADKEY;
  memcpy(sk->bytes, in, 32);
  return ZG_OK;
}

zg_err_t zg_secp256k1_sk_generate(zg_secp256k1_sk_t *sk) {
  if (!sk) return ZG_EINVAL;
  uint8_t buf[32];
  zg_err_t err = ZG_EBADKEY;
  /* A random 32-byte string is out of range with probability ~2^-128. */
  for (int tries = 0; tries < 8 && err == ZG_EBADKEY; tries++) {
    err = zg_random_bytes(buf, sizeof buf);
    if (err == ZG_OK) err = zg_secp256k1_sk_parse(sk, buf, sizeof buf);
  }
  zg_memwipe(buf, sizeof buf);
  return err;
}

void zg_secp256k1_sk_clear(zg_secp256k1_sk_t *sk) { zg_memwipe(sk, sizeof *sk); }

/* Writes the 64-byte x||y of a libsecp256k1 public key. */
static void pk_store(const secp256k1_context *ctx, zg_secp256k1_pk_t *pk, const secp256k1_pubkey *p) {
  uint8_t out[65];
  size_t n = sizeof out;
  secp256k1_ec_pubkey_serialize(ctx, out, &n, p, SECP256K1_EC_UNCOMPRESSED);
  memcpy(pk->xy, out + 1, 64);
}

/* Loads x||y into a libsecp256k1 public key; false when not on the curve. */
static bool pk_load(const secp256k1_context *ctx, secp256k1_pubkey *p, const uint8_t xy[64]) {
  uint8_t in[65];
  in[0] = 0x04;
  memcpy(in + 1, xy, 64);
  return secp256k1_ec_pubkey_parse(ctx, p, in, sizeof in) == 1;
}

zg_err_t zg_secp256k1_pubkey(zg_secp256k1_pk_t *pk, const zg_secp256k1_sk_t *sk) {
  if (!pk || !sk) return ZG_EINVAL;
  memset(pk, 0, sizeof *pk);
  zg_err_t err;
  const secp256k1_context *ctx = get_ctx(&err);
  if (!ctx) return err;
  secp256k1_pubkey p;
  if (!secp256k1_ec_pubkey_create(ctx, &p, sk->bytes)) return ZG_EBADKEY;
  pk_store(ctx, pk, &p);
  return ZG_OK;
}

zg_err_t zg_secp256k1_pk_parse(zg_secp256k1_pk_t *pk, const uint8_t *in, size_t len) {
  if (!pk || (!in && len)) return ZG_EINVAL;
  memset(pk, 0, sizeof *pk);
  zg_err_t err;
  const secp256k1_context *ctx = get_ctx(&err);
  if (!ctx) return err;
  secp256k1_pubkey p;
  bool ok;
  if (len == 64)
    ok = pk_load(ctx, &p, in);
  else if (len == 65 && in[0] == 0x04)
    ok = secp256k1_ec_pubkey_parse(ctx, &p, in, len) == 1;
  else if (len == 33 && (in[0] == 0x02 || in[0] == 0x03))
    ok = secp256k1_ec_pubkey_parse(ctx, &p, in, len) == 1;
  else if (len == 65 || len == 33)
    ok = false; /* wrong prefix (incl. hybrid 0x06/0x07) */
  else
    return ZG_EBADLEN;
  if (!ok) return ZG_ENOTONCURVE;
  pk_store(ctx, pk, &p);
  return ZG_OK;
}

void zg_eth_address(zg_eth_addr_t *addr, const zg_secp256k1_pk_t *pk) {
  uint8_t h[32];
  zg_keccak256(h, pk->xy, 64);
  memcpy(addr->bytes, h + 12, 20);
}

/* Writes the 40 EIP-55 digits of addr (no prefix, no NUL). */
static void eip55_digits(char out[40], const zg_eth_addr_t *addr) {
  static const char hexd[] = "0123456789abcdef";
  for (int i = 0; i < 20; i++) {
    out[2 * i] = hexd[addr->bytes[i] >> 4];
    out[2 * i + 1] = hexd[addr->bytes[i] & 15];
  }
  uint8_t h[32];
  zg_keccak256(h, out, 40);
  for (int i = 0; i < 40; i++) {
    unsigned nib = (i & 1) ? (h[i / 2] & 15u) : (h[i / 2] >> 4);
    if (out[i] >= 'a' && nib >= 8) out[i] = (char)(out[i] - 'a' + 'A');
  }
}

void zg_eth_address_to_text(char out[43], const zg_eth_addr_t *addr) {
  out[0] = '0';
  out[1] = 'x';
  eip55_digits(out + 2, addr);
  out[42] = 0;
}

static int hex_val(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

zg_err_t zg_eth_address_parse(zg_eth_addr_t *addr, const char *s, size_t len) {
  if (!addr || (!s && len)) return ZG_EINVAL;
  memset(addr, 0, sizeof *addr);
  if (len < 2 || s[0] != '0' || s[1] != 'x') return ZG_EHEX;
  bool lower = false, upper = false;
  for (size_t i = 2; i < len; i++) {
    if (hex_val(s[i]) < 0) return ZG_EHEX;
    lower |= s[i] >= 'a' && s[i] <= 'f';
    upper |= s[i] >= 'A' && s[i] <= 'F';
  }
  if (len != ZG_ETH_ADDR_TEXT_LEN) return ZG_EBADLEN;
  zg_eth_addr_t a;
  for (int i = 0; i < 20; i++) a.bytes[i] = (uint8_t)(hex_val(s[2 + 2 * i]) << 4 | hex_val(s[3 + 2 * i]));
  if (lower && upper) {
    char want[40];
    eip55_digits(want, &a);
    if (memcmp(want, s + 2, 40) != 0) return ZG_ECHECKSUM;
  }
  *addr = a;
  return ZG_OK;
}

zg_err_t zg_ecdsa_sign(zg_ecdsa_sig_t *sig, const zg_secp256k1_sk_t *sk, const uint8_t hash[32]) {
  if (!sig || !sk || !hash) return ZG_EINVAL;
  memset(sig, 0, sizeof *sig);
  zg_err_t err;
  const secp256k1_context *ctx = get_ctx(&err);
  if (!ctx) return err;
  secp256k1_ecdsa_recoverable_signature rs;
  if (!secp256k1_ecdsa_sign_recoverable(ctx, &rs, hash, sk->bytes, NULL, NULL)) return ZG_EBADKEY;
  uint8_t rs64[64];
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, rs64, &recid, &rs);
  memcpy(sig->r, rs64, 32);
  memcpy(sig->s, rs64 + 32, 32);
  sig->v = (uint8_t)recid;
#ifdef ZG_VERIFY
  if (check_rs(sig) != ZG_OK || recid < 0 || recid > 3) {
    fprintf(stderr, "zg_ecdsa_sign: libsecp256k1 returned a non-canonical signature\n");
    __builtin_trap();
  }
#endif
  return ZG_OK;
}

zg_err_t zg_ecdsa_verify(bool *ok, const zg_ecdsa_sig_t *sig, const uint8_t hash[32],
                         const zg_secp256k1_pk_t *pk) {
  if (ok) *ok = false;
  if (!ok || !sig || !hash || !pk) return ZG_EINVAL;
  ZG_TRY(check_rs(sig));
  zg_err_t err;
  const secp256k1_context *ctx = get_ctx(&err);
  if (!ctx) return err;
  uint8_t rs64[64];
  memcpy(rs64, sig->r, 32);
  memcpy(rs64 + 32, sig->s, 32);
  secp256k1_ecdsa_signature es;
  if (!secp256k1_ecdsa_signature_parse_compact(ctx, &es, rs64)) return ZG_ESCALAR;
  secp256k1_pubkey p;
  if (!pk_load(ctx, &p, pk->xy)) return ZG_ENOTONCURVE;
  *ok = secp256k1_ecdsa_verify(ctx, &es, hash, &p) == 1;
  return ZG_OK;
}

zg_err_t zg_ecdsa_recover(zg_secp256k1_pk_t *pk, const zg_ecdsa_sig_t *sig, const uint8_t hash[32]) {
  if (!pk || !sig || !hash) return ZG_EINVAL;
  memset(pk, 0, sizeof *pk);
  if (sig->v > 3) return ZG_EBADSIG;
  ZG_TRY(check_rs(sig));
  zg_err_t err;
  const secp256k1_context *ctx = get_ctx(&err);
  if (!ctx) return err;
  uint8_t rs64[64];
  memcpy(rs64, sig->r, 32);
  memcpy(rs64 + 32, sig->s, 32);
  secp256k1_ecdsa_recoverable_signature rs;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs, rs64, sig->v)) return ZG_ESCALAR;
  secp256k1_pubkey p;
  if (!secp256k1_ecdsa_recover(ctx, &p, &rs, hash)) return ZG_EBADSIG;
  pk_store(ctx, pk, &p);
  return ZG_OK;
}

zg_err_t zg_ecdsa_recover_address(zg_eth_addr_t *addr, const zg_ecdsa_sig_t *sig, const uint8_t hash[32]) {
  if (!addr) return ZG_EINVAL;
  memset(addr, 0, sizeof *addr);
  zg_secp256k1_pk_t pk;
  ZG_TRY(zg_ecdsa_recover(&pk, sig, hash));
  zg_eth_address(addr, &pk);
  return ZG_OK;
}

zg_err_t zg_ecdsa_sig_parse65(zg_ecdsa_sig_t *sig, const uint8_t in[65]) {
  if (!sig || !in) return ZG_EINVAL;
  memset(sig, 0, sizeof *sig);
  uint8_t v = in[64];
  if (v >= 27 && v <= 30) v = (uint8_t)(v - 27);
  if (v > 3) return ZG_EBADSIG;
  memcpy(sig->r, in, 32);
  memcpy(sig->s, in + 32, 32);
  sig->v = v;
  return ZG_OK;
}

void zg_ecdsa_sig_serialize65(uint8_t out[65], const zg_ecdsa_sig_t *sig) {
  memcpy(out, sig->r, 32);
  memcpy(out + 32, sig->s, 32);
  out[64] = (uint8_t)(27 + sig->v);
}

zg_err_t zg_eth_v_to_recid(uint8_t *recid, uint64_t v, uint64_t chain_id) {
  if (!recid) return ZG_EINVAL;
  *recid = 0;
  if (v <= 1) {
    *recid = (uint8_t)v;
    return ZG_OK;
  }
  if (v == 27 || v == 28) {
    *recid = (uint8_t)(v - 27);
    return ZG_OK;
  }
  if (chain_id != 0 && chain_id <= (UINT64_MAX - 36) / 2) {
    uint64_t base = chain_id * 2 + 35;
    if (v == base || v == base + 1) {
      *recid = (uint8_t)(v - base);
      return ZG_OK;
    }
  }
  return ZG_EBADSIG;
}

void zg_eth_personal_hash(uint8_t out[32], const uint8_t *msg, size_t msglen) {
  static const char prefix[] =
      "\x19"
      "Ethereum Signed Message:\n";
  char num[24];
  int n = snprintf(num, sizeof num, "%zu", msglen);
  zg_keccak256_ctx_t kc;
  zg_keccak256_init(&kc);
  zg_keccak256_update(&kc, prefix, sizeof prefix - 1);
  zg_keccak256_update(&kc, num, (size_t)n);
  if (msglen) zg_keccak256_update(&kc, msg, msglen);
  zg_keccak256_final(&kc, out);
}

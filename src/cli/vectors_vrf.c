/*
 * vectors_vrf.c — `zg vectors` handlers for the ECVRF and edwards25519
 * hash-to-curve work. Files are recognised by content, not by name:
 *
 *  - ecvrf_json: an object with a "suites" array whose entries name an
 *    ECVRF-EDWARDS25519-SHA512-{TAI,ELL2} suite (by "suite" or
 *    "suite_string" 03/04) and carry "vectors" of SK/PK/alpha/pi/beta, with
 *    optional intermediates (x, H, k_string, k, U, V, the TAI counter, the
 *    ELL2 uniform bytes, u, gx1 and its squareness). Each vector is one case:
 *    key derivation, prove (pi and every given intermediate), verify, beta,
 *    proof_to_hash, and the rejection of the proof with c altered.
 *  - ed25519_h2c_json: RFC 9380 vector files whose "ciphersuite" is
 *    edwards25519_XMD:SHA-512_ELL2_{NU,RO}_ (u, Q or Q0/Q1, P per message).
 *    Files of other suites (BLS12-381) are left to their own handler.
 *  - xmd_json: RFC 9380 expand_message_xmd files ("name" expand_message_xmd,
 *    "hash" SHA256 or SHA512): uniform_bytes from zg_expand_message_xmd, and
 *    DST_prime (which shows the long-DST hashing) for each case.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "crypto/ed25519_fe.h"
#include "zg/bytes.h"
#include "zg/ecvrf.h"
#include "zg/ed25519_h2c.h"
#include "zg/hash.h"

/* A case's first mismatch, reported once through zg__vec_fail. */
typedef struct {
  char why[200];
  bool bad;
} vcase_t;

static void vc_fail(vcase_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vc_fail(vcase_t *c, const char *fmt, ...) {
  if (c->bad) return;
  c->bad = true;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->why, sizeof c->why, fmt, ap);
  va_end(ap);
}

static void vc_end(zg_vec_ctx_t *ctx, const char *path, vcase_t *c, const char *name) {
  if (c->bad)
    zg__vec_fail(ctx, path, "%s: %s", name, c->why);
  else
    zg__vec_pass(ctx);
}

static bool has(const char *data, size_t len, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= len; i++)
    if (memcmp(data + i, needle, k) == 0) return true;
  return false;
}

/* Decodes a hex JSON string (0x optional) into buf; false when absent or bad. */
static bool jhex(zg_buf_t *buf, json_t *obj, const char *key) {
  const char *v = json_string_value(json_object_get(obj, key));
  buf->len = 0;
  /* An empty string is the empty byte string (alpha ""); zg_hex_decode_loose
   * would do pointer arithmetic on the still-NULL buffer (UBSan). */
  if (v && (strcmp(v, "") == 0 || strcmp(v, "0x") == 0)) return true;
  return v && zg_hex_decode_loose(buf, v, strlen(v)) == ZG_OK;
}

/* Compares an optional hex field with got (n bytes); notes a mismatch. */
static void check_opt(vcase_t *c, json_t *v, const char *key, const uint8_t *got, size_t n) {
  if (!json_object_get(v, key)) return;
  zg_buf_t b;
  zg_buf_init(&b);
  if (!jhex(&b, v, key) || b.len != n)
    vc_fail(c, "%s: malformed field", key);
  else if (memcmp(b.ptr, got, n) != 0)
    vc_fail(c, "%s mismatch", key);
  zg_buf_clear(&b);
}

/* ---- ECVRF ---- */

static int vrf_suite_of(json_t *s) {
  const char *name = json_string_value(json_object_get(s, "suite"));
  const char *ss = json_string_value(json_object_get(s, "suite_string"));
  if (ss && (strcmp(ss, "03") == 0 || strcmp(ss, "0x03") == 0)) return ZG_ECVRF_EDWARDS25519_SHA512_TAI;
  if (ss && (strcmp(ss, "04") == 0 || strcmp(ss, "0x04") == 0)) return ZG_ECVRF_EDWARDS25519_SHA512_ELL2;
  if (name && strcmp(name, "ECVRF-EDWARDS25519-SHA512-TAI") == 0) return ZG_ECVRF_EDWARDS25519_SHA512_TAI;
  if (name && strcmp(name, "ECVRF-EDWARDS25519-SHA512-ELL2") == 0) return ZG_ECVRF_EDWARDS25519_SHA512_ELL2;
  return 0;
}

/* The ELL2 intermediates: uniform bytes, u, g(x1) and whether it is square. */
static void vrf_check_ell2(vcase_t *c, json_t *v, const uint8_t pk[32], const uint8_t *alpha, size_t alen) {
  static const char dst[] = "ECVRF_edwards25519_XMD:SHA-512_ELL2_NU_\x04";
  uint8_t h[32], u[32], ub[48], gx1b[32];
  if (zg__ed25519_encode_to_curve2(h, u, ub, pk, 32, alpha, alen, (const uint8_t *)dst, sizeof dst - 1) !=
      ZG_OK) {
    vc_fail(c, "encode_to_curve failed");
    return;
  }
  check_opt(c, v, "elligator2_uniform_bytes", ub, 48);
  check_opt(c, v, "elligator2_u", u, 32);
  zg__fe_t fu, x, y, gx1;
  bool sq;
  zg__fe_frombytes(&fu, u);
  zg__ed25519_map_ell2(&x, &y, &fu, &gx1, &sq);
  zg__fe_tobytes(gx1b, &gx1);
  check_opt(c, v, "elligator2_gx1", gx1b, 32);
  json_t *js = json_object_get(v, "elligator2_gx1_is_square");
  if (js && (!json_is_boolean(js) || json_is_true(js) != sq)) vc_fail(c, "elligator2_gx1_is_square mismatch");
}

static void vrf_case(vcase_t *c, int suite, json_t *v) {
  zg_buf_t sk, pk, alpha, pi, beta, xb;
  zg_buf_init(&sk), zg_buf_init(&pk), zg_buf_init(&alpha), zg_buf_init(&pi), zg_buf_init(&beta),
      zg_buf_init(&xb);
  zg_ecvrf_keypair_t kp;
  zg_ecvrf_trace_t tr;
  memset(&kp, 0, sizeof kp);
  memset(&tr, 0, sizeof tr);
  if (!jhex(&sk, v, "SK") || sk.len != 32 || !jhex(&pk, v, "PK") || !jhex(&alpha, v, "alpha") ||
      !jhex(&pi, v, "pi") || !jhex(&beta, v, "beta") || beta.len != 64) {
    vc_fail(c, "malformed entry");
    goto out;
  }
  if (zg_ecvrf_keypair_from_seed(&kp, sk.ptr) != ZG_OK) {
    vc_fail(c, "keypair failed");
    goto out;
  }
  if (pk.len != 32 || memcmp(kp.pk, pk.ptr, 32) != 0) vc_fail(c, "PK mismatch");
  if (json_object_get(v, "x")) {
    uint8_t wide[64] = {0}, xr[32];
    if (!jhex(&xb, v, "x") || xb.len != 32)
      vc_fail(c, "x: malformed field");
    else {
      memcpy(wide, xb.ptr, 32); /* the RFC prints x unreduced: compare mod L */
      crypto_core_ed25519_scalar_reduce(xr, wide);
      if (memcmp(xr, kp.x, 32) != 0) vc_fail(c, "x mismatch");
    }
  }
  uint8_t mypi[80], mybeta[64], beta2[64];
  if (zg_ecvrf_prove_trace(mypi, &tr, (zg_ecvrf_suite_t)suite, &kp, alpha.ptr, alpha.len) != ZG_OK) {
    vc_fail(c, "prove failed");
    goto out;
  }
  check_opt(c, v, "H", tr.h, 32);
  check_opt(c, v, "k", tr.k, 32);
  check_opt(c, v, "U", tr.u, 32);
  check_opt(c, v, "V", tr.v, 32);
  if (json_object_get(v, "k_string")) {
    uint8_t ks[64];
    zg_sha512_ctx_t hc;
    zg_sha512_init(&hc);
    zg_sha512_update(&hc, kp.nonce_key, 32);
    zg_sha512_update(&hc, tr.h, 32);
    zg_sha512_final(&hc, ks);
    check_opt(c, v, "k_string", ks, 64);
  }
  json_t *jc = json_object_get(v, "try_and_increment_ctr");
  if (jc && (!json_is_integer(jc) || json_integer_value(jc) != tr.tai_ctr))
    vc_fail(c, "TAI counter mismatch");
  if (suite == ZG_ECVRF_EDWARDS25519_SHA512_ELL2) vrf_check_ell2(c, v, kp.pk, alpha.ptr, alpha.len);
  if (pi.len != 80 || memcmp(mypi, pi.ptr, 80) != 0) vc_fail(c, "pi mismatch");
  /* Verify the file's proof (not ours), under the file's public key. */
  bool ok = false;
  zg_err_t e = zg_ecvrf_verify(&ok, mybeta, (zg_ecvrf_suite_t)suite, pk.ptr, pk.len, pi.ptr, pi.len,
                               alpha.ptr, alpha.len);
  if (e != ZG_OK || !ok)
    vc_fail(c, "verify rejected the proof (%s)", zg_errname(e));
  else if (memcmp(mybeta, beta.ptr, 64) != 0)
    vc_fail(c, "beta mismatch");
  if (zg_ecvrf_proof_to_hash(beta2, (zg_ecvrf_suite_t)suite, pi.ptr, pi.len) != ZG_OK ||
      memcmp(beta2, beta.ptr, 64) != 0)
    vc_fail(c, "proof_to_hash mismatch");
  if (pi.len == 80) {
    pi.ptr[40] ^= 0x01; /* a wrong challenge must not verify */
    e = zg_ecvrf_verify(&ok, NULL, (zg_ecvrf_suite_t)suite, pk.ptr, pk.len, pi.ptr, pi.len, alpha.ptr,
                        alpha.len);
    if (e != ZG_OK || ok) vc_fail(c, "altered proof accepted");
  }
out:
  zg_ecvrf_keypair_clear(&kp);
  zg_memwipe(&tr, sizeof tr);
  zg_buf_clear(&sk), zg_buf_clear(&pk), zg_buf_clear(&alpha), zg_buf_clear(&pi), zg_buf_clear(&beta),
      zg_buf_clear(&xb);
}

ZG_VECTOR_HANDLER(ecvrf_json) {
  if (!has(data, len, "\"suites\"") || !has(data, len, "EDWARDS25519")) return false;
  json_error_t jerr;
  json_t *root = json_loadb(data, len, 0, &jerr);
  json_t *suites = json_object_get(root, "suites");
  size_t i, j;
  json_t *s, *v;
  bool any = false;
  json_array_foreach(suites, i, s) any = any || vrf_suite_of(s) != 0;
  if (!any) {
    json_decref(root);
    return false;
  }
  json_array_foreach(suites, i, s) {
    int suite = vrf_suite_of(s);
    json_t *vecs = json_object_get(s, "vectors");
    if (!suite) continue; /* zg uses the edwards25519 suites only; P-256 files are skipped */
    json_array_foreach(vecs, j, v) {
      const char *name = json_string_value(json_object_get(v, "name"));
      char label[96];
      snprintf(label, sizeof label, "suite %02x vector %zu (%s)", suite, j, name ? name : "?");
      vcase_t c = {{0}, false};
      vrf_case(&c, suite, v);
      vc_end(ctx, path, &c, label);
    }
  }
  json_decref(root);
  return true;
}

/* ---- RFC 9380 edwards25519 hash-to-curve ---- */

/* Reads {"x": "0x..", "y": "0x.."} (big-endian) as a point encoding. */
static bool jpoint(uint8_t enc[32], json_t *pt) {
  uint8_t xy[2][32];
  const char *keys[2] = {"x", "y"};
  zg_buf_t b;
  zg_buf_init(&b);
  bool ok = true;
  for (int k = 0; k < 2 && ok; k++) {
    ok = jhex(&b, pt, keys[k]) && b.len == 32;
    for (size_t i = 0; ok && i < 32; i++) xy[k][i] = b.ptr[31 - i];
  }
  zg_buf_clear(&b);
  return ok && zg_ed25519_point_from_affine(enc, xy[0], xy[1]) == ZG_OK;
}

static void h2c_case(vcase_t *c, json_t *v, bool ro, const char *dst) {
  const char *msg = json_string_value(json_object_get(v, "msg"));
  json_t *ju = json_object_get(v, "u");
  size_t count = ro ? 2 : 1;
  if (!msg || json_array_size(ju) != count) {
    vc_fail(c, "malformed entry");
    return;
  }
  uint8_t u[2][32], q[32], want[32], p[32];
  size_t mlen = strlen(msg), dlen = strlen(dst);
  if (zg_ed25519_hash_to_field(u, count, (const uint8_t *)msg, mlen, (const uint8_t *)dst, dlen) != ZG_OK) {
    vc_fail(c, "hash_to_field failed");
    return;
  }
  zg_buf_t b;
  zg_buf_init(&b);
  for (size_t i = 0; i < count; i++) {
    const char *s = json_string_value(json_array_get(ju, i));
    bool same = s && zg_hex_decode_loose(&b, s, strlen(s)) == ZG_OK && b.len == 32;
    for (size_t k = 0; same && k < 32; k++) same = b.ptr[k] == u[i][31 - k];
    if (!same) vc_fail(c, "u[%zu] mismatch", i);
    b.len = 0;
    const char *qkey = ro ? (i ? "Q1" : "Q0") : "Q";
    if (!json_object_get(v, qkey)) continue;
    if (!jpoint(want, json_object_get(v, qkey)))
      vc_fail(c, "%s: malformed or not on the curve", qkey);
    else if (zg_ed25519_map_to_curve_ell2(q, u[i]) != ZG_OK || memcmp(q, want, 32) != 0)
      vc_fail(c, "%s mismatch", qkey);
  }
  zg_buf_clear(&b);
  zg_err_t e = ro ? zg_ed25519_hash_to_curve(p, (const uint8_t *)msg, mlen, (const uint8_t *)dst, dlen)
                  : zg_ed25519_encode_to_curve(p, (const uint8_t *)msg, mlen, (const uint8_t *)dst, dlen);
  if (!jpoint(want, json_object_get(v, "P")))
    vc_fail(c, "P: malformed or not on the curve");
  else if (e != ZG_OK || memcmp(p, want, 32) != 0)
    vc_fail(c, "P mismatch");
}

ZG_VECTOR_HANDLER(ed25519_h2c_json) {
  if (!has(data, len, "\"ciphersuite\"") || !has(data, len, "edwards25519")) return false;
  json_error_t jerr;
  json_t *root = json_loadb(data, len, 0, &jerr);
  const char *cs = json_string_value(json_object_get(root, "ciphersuite"));
  const char *dst = json_string_value(json_object_get(root, "dst"));
  json_t *vecs = json_object_get(root, "vectors");
  bool nu = cs && strcmp(cs, "edwards25519_XMD:SHA-512_ELL2_NU_") == 0;
  bool ro = cs && strcmp(cs, "edwards25519_XMD:SHA-512_ELL2_RO_") == 0;
  if ((!nu && !ro) || !dst || !json_is_array(vecs)) {
    json_decref(root);
    return false;
  }
  size_t i;
  json_t *v;
  json_array_foreach(vecs, i, v) {
    char label[64];
    snprintf(label, sizeof label, "%s vector %zu", ro ? "RO" : "NU", i);
    vcase_t c = {{0}, false};
    h2c_case(&c, v, ro, dst);
    vc_end(ctx, path, &c, label);
  }
  json_decref(root);
  return true;
}

/* ---- expand_message_xmd ---- */

static void xmd_case(vcase_t *c, json_t *t, zg_xmd_hash_t h, const char *dst) {
  const char *msg = json_string_value(json_object_get(t, "msg"));
  const char *lstr = json_string_value(json_object_get(t, "len_in_bytes"));
  json_t *jl = json_object_get(t, "len_in_bytes");
  long n = lstr ? strtol(lstr, NULL, 0) : json_is_integer(jl) ? (long)json_integer_value(jl) : -1;
  zg_buf_t want;
  zg_buf_init(&want);
  if (!msg || n <= 0 || n > 65535 || !jhex(&want, t, "uniform_bytes") || want.len != (size_t)n) {
    vc_fail(c, "malformed entry");
    zg_buf_clear(&want);
    return;
  }
  uint8_t *out = malloc((size_t)n);
  size_t dlen = strlen(dst);
  if (!out || zg_expand_message_xmd(out, (size_t)n, h, (const uint8_t *)msg, strlen(msg),
                                    (const uint8_t *)dst, dlen) != ZG_OK)
    vc_fail(c, "expand_message_xmd failed");
  else if (memcmp(out, want.ptr, (size_t)n) != 0)
    vc_fail(c, "uniform_bytes mismatch");
  free(out);
  /* DST_prime = DST || len, or H("H2C-OVERSIZE-DST-" || DST) || len. */
  uint8_t dp[256];
  size_t dplen;
  if (dlen > 255) {
    static const char pre[] = "H2C-OVERSIZE-DST-";
    size_t hl = h == ZG_XMD_SHA256 ? 32 : 64;
    uint8_t tmp[sizeof pre - 1 + 1024];
    if (dlen <= 1024) {
      memcpy(tmp, pre, sizeof pre - 1);
      memcpy(tmp + sizeof pre - 1, dst, dlen);
      if (h == ZG_XMD_SHA256)
        zg_sha256(dp, tmp, sizeof pre - 1 + dlen);
      else
        zg_sha512(dp, tmp, sizeof pre - 1 + dlen);
    }
    dp[hl] = (uint8_t)hl;
    dplen = hl + 1;
  } else {
    memcpy(dp, dst, dlen);
    dp[dlen] = (uint8_t)dlen;
    dplen = dlen + 1;
  }
  if (json_object_get(t, "DST_prime") && dlen <= 1024) check_opt(c, t, "DST_prime", dp, dplen);
  zg_buf_clear(&want);
}

ZG_VECTOR_HANDLER(xmd_json) {
  if (!has(data, len, "expand_message_xmd")) return false;
  json_error_t jerr;
  json_t *root = json_loadb(data, len, 0, &jerr);
  const char *name = json_string_value(json_object_get(root, "name"));
  const char *hash = json_string_value(json_object_get(root, "hash"));
  const char *dst = json_string_value(json_object_get(root, "DST"));
  json_t *tests = json_object_get(root, "tests");
  int h = !hash                             ? -1
          : strcasecmp(hash, "SHA256") == 0 ? ZG_XMD_SHA256
          : strcasecmp(hash, "SHA512") == 0 ? ZG_XMD_SHA512
                                            : -1;
  if (!name || strcmp(name, "expand_message_xmd") != 0 || h < 0 || !dst || !json_is_array(tests)) {
    json_decref(root);
    return false;
  }
  size_t i;
  json_t *t;
  json_array_foreach(tests, i, t) {
    char label[64];
    snprintf(label, sizeof label, "%s case %zu", hash, i);
    vcase_t c = {{0}, false};
    xmd_case(&c, t, (zg_xmd_hash_t)h, dst);
    vc_end(ctx, path, &c, label);
  }
  json_decref(root);
  return true;
}

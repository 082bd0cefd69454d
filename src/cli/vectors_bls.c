/*
 * vectors_bls.c — `zg vectors` handlers for BLS12-381 hashing and BLS
 * signatures:
 *
 *  - bls_h2c: RFC 9380 suite files (the draft repository's poc/vectors) for
 *    BLS12381G1_XMD:SHA-256_SSWU_{RO,NU}_ and BLS12381G2_..., recognised by
 *    their "ciphersuite" field (or, without it, by "curve" = "BLS12-381 G1/G2"
 *    with an SSWU map, XMD/sha256 expansion and "randomOracle"), never by the
 *    file name. Per vector: u[] against hash_to_field, Q0/Q1 (or Q) against
 *    map_to_curve, P against hash_to_curve / encode_to_curve.
 *  - bls_eth: the Ethereum bls12-381-tests JSON files ({"input", "output"}).
 *    The kind comes from the parent directory when it is one of the known
 *    kinds (sign, verify, aggregate, fast_aggregate_verify, aggregate_verify,
 *    batch_verify, deserialization_G1, deserialization_G2, hash_to_G2), else
 *    from the shape of "input". One case per file. Semantics follow the
 *    suite: output null / false means the operation must fail or reject, and
 *    any undecodable input counts as a rejection; deserialization inputs are
 *    bare hex; hash_to_G2 uses the RFC 9380 QUUX test DST.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "crypto/bls_field.h"
#include "zg/bls.h"
#include "zg/bls_h2c.h"
#include "zg/bytes.h"

/* ---------------- small helpers ---------------- */

/* The last directory component of path (before the file name). */
static void parent_dir(char *out, size_t cap, const char *path) {
  const char *end = strrchr(path, '/');
  out[0] = 0;
  if (!end) return;
  const char *start = end;
  while (start > path && start[-1] != '/') start--;
  size_t n = (size_t)(end - start);
  if (n >= cap) n = cap - 1;
  memcpy(out, start, n);
  out[n] = 0;
}

/* The file name part of path. */
static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* Decodes a JSON hex string (0x optional) into buf (reset first). */
static bool json_hex(zg_buf_t *buf, const json_t *v) {
  buf->len = 0;
  if (!json_is_string(v)) return false;
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  if (n == 0 || (n == 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))) return true; /* empty */
  return zg_hex_decode_loose(buf, s, n) == ZG_OK;
}

/* Parses a big-endian hex integer (0x optional, at most 48 bytes) < p. */
static bool parse_fp(zg_fp_t *r, const char *s, size_t n) {
  zg_buf_t b;
  uint8_t be[48] = {0};
  bool ok = false;
  zg_buf_init(&b);
  if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2, n -= 2;
  char tmp[2 * 48 + 1];
  if (n == 0 || n > 2 * 48) goto out;
  /* Left-pad odd-length hex with a zero digit. */
  size_t off = n % 2;
  tmp[0] = '0';
  memcpy(tmp + off, s, n);
  if (zg_hex_decode_loose(&b, tmp, n + off) != ZG_OK || b.len > 48) goto out;
  memcpy(be + 48 - b.len, b.ptr, b.len);
  ok = zg__fp_from_be48(r, be) == ZG_OK;
out:
  zg_buf_clear(&b);
  return ok;
}

/* "0x<c0>,0x<c1>" -> Fp2. */
static bool parse_fp2(zg_fp2_t *r, const char *s) {
  const char *comma = strchr(s, ',');
  if (!comma) return false;
  const char *c1 = comma + 1;
  while (*c1 == ' ') c1++;
  return parse_fp(&r->c0, s, (size_t)(comma - s)) && parse_fp(&r->c1, c1, strlen(c1));
}

static bool g1_matches(const zg_g1_t *p, const json_t *obj) {
  const json_t *x = json_object_get(obj, "x"), *y = json_object_get(obj, "y");
  zg_fp_t ex, ey;
  if (!json_is_string(x) || !json_is_string(y)) return false;
  if (!parse_fp(&ex, json_string_value(x), json_string_length(x))) return false;
  if (!parse_fp(&ey, json_string_value(y), json_string_length(y))) return false;
  zg_g1_t q = *p;
  if (zg_g1_is_infinity(&q)) return false;
  zg_g1_normalize(&q);
  return zg__fp_eq(&q.x, &ex) && zg__fp_eq(&q.y, &ey);
}

static bool g2_matches(const zg_g2_t *p, const json_t *obj) {
  const json_t *x = json_object_get(obj, "x"), *y = json_object_get(obj, "y");
  zg_fp2_t ex, ey;
  if (!json_is_string(x) || !json_is_string(y)) return false;
  if (!parse_fp2(&ex, json_string_value(x)) || !parse_fp2(&ey, json_string_value(y))) return false;
  zg_g2_t q = *p;
  if (zg_g2_is_infinity(&q)) return false;
  zg_g2_normalize(&q);
  return zg__fp2_eq(&q.x, &ex) && zg__fp2_eq(&q.y, &ey);
}

/* ---------------- RFC 9380 suite files ---------------- */

typedef struct {
  int group; /* 1 or 2 */
  bool ro;
} h2c_suite_t;

/* Recognises a BLS12-381 SSWU suite file; false for anything else. */
static bool h2c_detect(h2c_suite_t *s, const json_t *root) {
  const char *cs = json_string_value(json_object_get(root, "ciphersuite"));
  if (cs) {
    static const struct {
      const char *id;
      int group;
      bool ro;
    } ids[] = {{"BLS12381G1_XMD:SHA-256_SSWU_RO_", 1, true},
               {"BLS12381G1_XMD:SHA-256_SSWU_NU_", 1, false},
               {"BLS12381G2_XMD:SHA-256_SSWU_RO_", 2, true},
               {"BLS12381G2_XMD:SHA-256_SSWU_NU_", 2, false}};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
      if (strcmp(cs, ids[i].id) == 0) {
        s->group = ids[i].group;
        s->ro = ids[i].ro;
        return true;
      }
    }
    return false;
  }
  const char *curve = json_string_value(json_object_get(root, "curve"));
  const char *hash = json_string_value(json_object_get(root, "hash"));
  const char *expand = json_string_value(json_object_get(root, "expand"));
  const char *map = json_string_value(json_object_get(json_object_get(root, "map"), "name"));
  const json_t *ro = json_object_get(root, "randomOracle");
  if (!curve || !hash || !expand || !map || !json_is_boolean(ro)) return false;
  if (strcmp(hash, "sha256") != 0 || strcmp(expand, "XMD") != 0 || strcmp(map, "SSWU") != 0) return false;
  if (strcmp(curve, "BLS12-381 G1") == 0) s->group = 1;
  else if (strcmp(curve, "BLS12-381 G2") == 0) s->group = 2;
  else return false;
  s->ro = json_is_true(ro);
  return true;
}

/* Runs one vector; returns NULL when it passes, else what went wrong. */
static const char *h2c_case(const h2c_suite_t *s, const json_t *v, const uint8_t *dst, size_t dstlen) {
  const json_t *jmsg = json_object_get(v, "msg"), *ju = json_object_get(v, "u");
  if (!json_is_string(jmsg) || !json_is_array(ju)) return "malformed vector (msg, u)";
  const uint8_t *msg = (const uint8_t *)json_string_value(jmsg);
  size_t msglen = json_string_length(jmsg), count = s->ro ? 2 : 1;
  if (json_array_size(ju) != count) return "wrong number of u values";
  const char *qnames[2] = {s->ro ? "Q0" : "Q", "Q1"};
  if (s->group == 1) {
    zg_fp_t u[2], e;
    zg_g1_t q[2], p;
    if (zg_bls_hash_to_field_fp(u, count, msg, msglen, dst, dstlen) != ZG_OK) return "hash_to_field failed";
    for (size_t i = 0; i < count; i++) {
      const json_t *js = json_array_get(ju, i);
      if (!json_is_string(js) || !parse_fp(&e, json_string_value(js), json_string_length(js))) return "bad u value";
      if (!zg__fp_eq(&u[i], &e)) return i ? "u[1] differs" : "u[0] differs";
      zg_bls_map_to_g1(&q[i], &u[i]);
      const json_t *jq = json_object_get(v, qnames[i]);
      if (jq && !g1_matches(&q[i], jq)) return i ? "Q1 differs" : "Q0/Q differs";
    }
    zg_err_t err = s->ro ? zg_bls_hash_to_g1(&p, msg, msglen, dst, dstlen)
                         : zg_bls_encode_to_g1(&p, msg, msglen, dst, dstlen);
    if (err != ZG_OK) return "hash failed";
    if (!zg_g1_in_subgroup(&p)) return "P not in G1";
    if (!g1_matches(&p, json_object_get(v, "P"))) return "P differs";
  } else {
    zg_fp2_t u[2], e;
    zg_g2_t q[2], p;
    if (zg_bls_hash_to_field_fp2(u, count, msg, msglen, dst, dstlen) != ZG_OK) return "hash_to_field failed";
    for (size_t i = 0; i < count; i++) {
      const json_t *js = json_array_get(ju, i);
      if (!json_is_string(js) || !parse_fp2(&e, json_string_value(js))) return "bad u value";
      if (!zg__fp2_eq(&u[i], &e)) return i ? "u[1] differs" : "u[0] differs";
      zg_bls_map_to_g2(&q[i], &u[i]);
      const json_t *jq = json_object_get(v, qnames[i]);
      if (jq && !g2_matches(&q[i], jq)) return i ? "Q1 differs" : "Q0/Q differs";
    }
    zg_err_t err = s->ro ? zg_bls_hash_to_g2(&p, msg, msglen, dst, dstlen)
                         : zg_bls_encode_to_g2(&p, msg, msglen, dst, dstlen);
    if (err != ZG_OK) return "hash failed";
    if (!zg_g2_in_subgroup(&p)) return "P not in G2";
    if (!g2_matches(&p, json_object_get(v, "P"))) return "P differs";
  }
  return NULL;
}

ZG_VECTOR_HANDLER(bls_h2c) {
  json_error_t jerr;
  if (len == 0 || data[0] != '{') {
    /* Skip leading whitespace cheaply; JSON objects only. */
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t')) i++;
    if (i == len || data[i] != '{') return false;
  }
  json_t *root = json_loadb(data, len, 0, &jerr);
  if (!json_is_object(root)) {
    json_decref(root);
    return false;
  }
  h2c_suite_t s;
  if (!h2c_detect(&s, root)) {
    json_decref(root);
    return false;
  }
  const json_t *jdst = json_object_get(root, "dst"), *vecs = json_object_get(root, "vectors");
  if (!json_is_string(jdst) || !json_is_array(vecs)) {
    zg__vec_fail(ctx, path, "suite file without dst or vectors");
    json_decref(root);
    return true;
  }
  const uint8_t *dst = (const uint8_t *)json_string_value(jdst);
  size_t dstlen = json_string_length(jdst);
  for (size_t i = 0; i < json_array_size(vecs); i++) {
    const json_t *v = json_array_get(vecs, i);
    const char *why = h2c_case(&s, v, dst, dstlen);
    if (!why) {
      zg__vec_pass(ctx);
    } else {
      const char *m = json_string_value(json_object_get(v, "msg"));
      zg__vec_fail(ctx, path, "vector %zu (msg \"%.40s%s\"): %s", i, m ? m : "?", m && strlen(m) > 40 ? "..." : "",
                   why);
    }
  }
  json_decref(root);
  return true;
}

/* ---------------- Ethereum bls12-381-tests ---------------- */

typedef enum {
  K_NONE,
  K_SIGN,
  K_VERIFY,
  K_AGGREGATE,
  K_FAST_AGGREGATE_VERIFY,
  K_AGGREGATE_VERIFY,
  K_BATCH_VERIFY,
  K_DESER_G1,
  K_DESER_G2,
  K_HASH_TO_G2
} eth_kind_t;

static const struct {
  const char *dir;
  eth_kind_t kind;
} g_kinds[] = {{"sign", K_SIGN},
               {"verify", K_VERIFY},
               {"aggregate", K_AGGREGATE},
               {"fast_aggregate_verify", K_FAST_AGGREGATE_VERIFY},
               {"aggregate_verify", K_AGGREGATE_VERIFY},
               {"batch_verify", K_BATCH_VERIFY},
               {"deserialization_G1", K_DESER_G1},
               {"deserialization_G2", K_DESER_G2},
               {"hash_to_G2", K_HASH_TO_G2}};

static const char *kind_name(eth_kind_t k) {
  for (size_t i = 0; i < sizeof g_kinds / sizeof g_kinds[0]; i++)
    if (g_kinds[i].kind == k) return g_kinds[i].dir;
  return "bls";
}

static bool has(const json_t *o, const char *k) { return json_object_get(o, k) != NULL; }

/* The kind implied by the shape of the input (K_NONE when it fits none). */
static eth_kind_t shape_kind(const json_t *in, const json_t *out) {
  if (json_is_array(in)) return (json_is_string(out) || json_is_null(out)) ? K_AGGREGATE : K_NONE;
  if (!json_is_object(in)) return K_NONE;
  size_t n = json_object_size(in);
  if (n == 2 && has(in, "privkey") && has(in, "message")) return K_SIGN;
  if (n == 3 && has(in, "pubkey") && has(in, "message") && has(in, "signature")) return K_VERIFY;
  if (n == 3 && has(in, "pubkeys") && has(in, "message") && has(in, "signature")) return K_FAST_AGGREGATE_VERIFY;
  if (n == 3 && has(in, "pubkeys") && has(in, "messages") && has(in, "signature")) return K_AGGREGATE_VERIFY;
  if (n == 3 && has(in, "pubkeys") && has(in, "messages") && has(in, "signatures")) return K_BATCH_VERIFY;
  if (n == 1 && has(in, "pubkey")) return K_DESER_G1;
  if (n == 1 && has(in, "signature")) return K_DESER_G2;
  if (n == 1 && has(in, "msg") && json_is_object(out)) return K_HASH_TO_G2;
  return K_NONE;
}

/* Decoding helpers: false means "the input does not decode", which the
 * suite treats as a rejection. */
static bool get_pk(zg_bls_pk_t *pk, zg_buf_t *b, const json_t *v) {
  return json_hex(b, v) && zg_bls_pk_parse(pk, b->ptr, b->len) == ZG_OK;
}
static bool get_sig(zg_bls_sig_t *sig, zg_buf_t *b, const json_t *v) {
  return json_hex(b, v) && zg_bls_sig_parse(sig, b->ptr, b->len) == ZG_OK;
}

/* Decodes an array of pubkeys into a malloc'd array; false on any failure
 * (including a non-array). *n is the count. */
static bool get_pks(zg_bls_pk_t **pks, size_t *n, zg_buf_t *b, const json_t *arr) {
  *pks = NULL;
  *n = 0;
  if (!json_is_array(arr)) return false;
  size_t k = json_array_size(arr);
  *pks = calloc(k ? k : 1, sizeof **pks);
  if (!*pks) return false;
  for (size_t i = 0; i < k; i++)
    if (!get_pk(&(*pks)[i], b, json_array_get(arr, i))) return false;
  *n = k;
  return true;
}

/* Messages as slices into a buffer array the caller frees with free_msgs. */
static bool get_msgs(zg_slice_t **msgs, zg_buf_t **bufs, size_t *n, const json_t *arr) {
  *msgs = NULL;
  *bufs = NULL;
  *n = 0;
  if (!json_is_array(arr)) return false;
  size_t k = json_array_size(arr);
  *msgs = calloc(k ? k : 1, sizeof **msgs);
  *bufs = calloc(k ? k : 1, sizeof **bufs);
  if (!*msgs || !*bufs) return false;
  *n = k;
  for (size_t i = 0; i < k; i++) {
    zg_buf_init(&(*bufs)[i]);
    if (!json_hex(&(*bufs)[i], json_array_get(arr, i))) return false;
    (*msgs)[i] = zg_buf_slice(&(*bufs)[i]);
  }
  return true;
}

static void free_msgs(zg_slice_t *msgs, zg_buf_t *bufs, size_t n) {
  for (size_t i = 0; bufs && i < n; i++) zg_buf_clear(&bufs[i]);
  free(bufs);
  free(msgs);
}

/* Runs a verification kind; returns the verdict (false on any decoding or
 * argument failure). */
static bool eth_verdict(eth_kind_t kind, const json_t *in) {
  zg_buf_t b;
  zg_buf_init(&b);
  bool ok = false;
  zg_bls_pk_t pk, *pks = NULL;
  zg_bls_sig_t sig, *sigs = NULL;
  zg_slice_t *msgs = NULL;
  zg_buf_t *bufs = NULL;
  void *scratch = NULL;
  size_t npk = 0, nmsg = 0;
  if (kind == K_VERIFY) {
    zg_buf_t m;
    zg_buf_init(&m);
    if (get_pk(&pk, &b, json_object_get(in, "pubkey")) && get_sig(&sig, &b, json_object_get(in, "signature")) &&
        json_hex(&m, json_object_get(in, "message")) &&
        zg_bls_verify(&ok, &pk, m.ptr ? m.ptr : (const uint8_t *)"", m.len, &sig) != ZG_OK)
      ok = false;
    zg_buf_clear(&m);
  } else if (kind == K_FAST_AGGREGATE_VERIFY) {
    zg_buf_t m;
    zg_buf_init(&m);
    if (get_pks(&pks, &npk, &b, json_object_get(in, "pubkeys")) &&
        get_sig(&sig, &b, json_object_get(in, "signature")) && json_hex(&m, json_object_get(in, "message")) &&
        zg_bls_fast_aggregate_verify(&ok, pks, npk, m.ptr ? m.ptr : (const uint8_t *)"", m.len, &sig) != ZG_OK)
      ok = false;
    zg_buf_clear(&m);
  } else if (kind == K_AGGREGATE_VERIFY) {
    if (get_pks(&pks, &npk, &b, json_object_get(in, "pubkeys")) &&
        get_msgs(&msgs, &bufs, &nmsg, json_object_get(in, "messages")) && npk == nmsg &&
        get_sig(&sig, &b, json_object_get(in, "signature")) && npk > 0 &&
        (scratch = malloc(zg_bls_aggregate_verify_scratch_size(npk))) != NULL &&
        zg_bls_aggregate_verify(&ok, pks, msgs, npk, &sig, scratch) != ZG_OK)
      ok = false;
  } else if (kind == K_BATCH_VERIFY) {
    const json_t *js = json_object_get(in, "signatures");
    size_t ns = json_array_size(js);
    bool dec = get_pks(&pks, &npk, &b, json_object_get(in, "pubkeys")) &&
               get_msgs(&msgs, &bufs, &nmsg, json_object_get(in, "messages")) && json_is_array(js) &&
               npk == nmsg && npk == ns && npk > 0 && (sigs = calloc(ns, sizeof *sigs)) != NULL;
    for (size_t i = 0; dec && i < ns; i++) dec = get_sig(&sigs[i], &b, json_array_get(js, i));
    if (dec && (scratch = malloc(zg_bls_batch_verify_scratch_size(npk))) != NULL &&
        zg_bls_batch_verify(&ok, pks, msgs, sigs, npk, scratch) != ZG_OK)
      ok = false;
  }
  free(scratch);
  free(pks);
  free(sigs);
  free_msgs(msgs, bufs, nmsg);
  zg_buf_clear(&b);
  return ok;
}

/* Runs one file's case; NULL when it passes. */
static const char *eth_case(eth_kind_t kind, const json_t *in, const json_t *out) {
  zg_buf_t b, m;
  const char *why = NULL;
  zg_buf_init(&b);
  zg_buf_init(&m);
  switch (kind) {
  case K_SIGN: {
    zg_bls_sk_t sk;
    zg_bls_sig_t sig;
    uint8_t got[96];
    bool done = json_hex(&b, json_object_get(in, "privkey")) && b.len == 32 && zg_bls_sk_parse(&sk, b.ptr) == ZG_OK &&
                json_hex(&m, json_object_get(in, "message")) &&
                zg_bls_sign(&sig, &sk, m.ptr ? m.ptr : (const uint8_t *)"", m.len) == ZG_OK;
    zg_bls_sk_clear(&sk);
    if (json_is_null(out)) {
      if (done) why = "signing succeeded, expected failure";
    } else if (!done) {
      why = "signing failed";
    } else {
      zg_bls_sig_serialize(got, &sig);
      if (!json_hex(&b, out) || b.len != 96 || memcmp(b.ptr, got, 96) != 0) why = "signature differs";
    }
    break;
  }
  case K_AGGREGATE: {
    size_t n = json_array_size(in);
    zg_bls_sig_t *sigs = calloc(n ? n : 1, sizeof *sigs), agg;
    bool done = sigs != NULL;
    for (size_t i = 0; done && i < n; i++) done = get_sig(&sigs[i], &b, json_array_get(in, i));
    done = done && zg_bls_aggregate(&agg, sigs, n) == ZG_OK;
    free(sigs);
    if (json_is_null(out)) {
      if (done) why = "aggregation succeeded, expected failure";
    } else if (!done) {
      why = "aggregation failed";
    } else {
      uint8_t got[96];
      zg_bls_sig_serialize(got, &agg);
      if (!json_hex(&b, out) || b.len != 96 || memcmp(b.ptr, got, 96) != 0) why = "aggregate differs";
    }
    break;
  }
  case K_VERIFY:
  case K_FAST_AGGREGATE_VERIFY:
  case K_AGGREGATE_VERIFY:
  case K_BATCH_VERIFY:
    if (!json_is_boolean(out)) why = "output is not a boolean";
    else if (eth_verdict(kind, in) != json_is_true(out)) why = json_is_true(out) ? "rejected a valid case" : "accepted an invalid case";
    break;
  case K_DESER_G1:
  case K_DESER_G2: {
    bool g1 = kind == K_DESER_G1;
    const json_t *v = json_object_get(in, g1 ? "pubkey" : "signature");
    bool accepted = false;
    if (json_hex(&b, v) && b.len == (g1 ? 48u : 96u)) {
      if (g1) {
        zg_g1_t p;
        accepted = zg_g1_deserialize(&p, b.ptr, b.len) == ZG_OK;
      } else {
        zg_g2_t p;
        accepted = zg_g2_deserialize(&p, b.ptr, b.len) == ZG_OK;
      }
    }
    if (!json_is_boolean(out)) why = "output is not a boolean";
    else if (accepted != json_is_true(out)) why = accepted ? "accepted an invalid encoding" : "rejected a valid encoding";
    break;
  }
  case K_HASH_TO_G2: {
    static const char dst[] = "QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_";
    const json_t *jmsg = json_object_get(in, "msg");
    zg_g2_t p;
    if (!json_is_string(jmsg)) why = "msg is not a string";
    else if (zg_bls_hash_to_g2(&p, (const uint8_t *)json_string_value(jmsg), json_string_length(jmsg),
                               (const uint8_t *)dst, sizeof dst - 1) != ZG_OK)
      why = "hash failed";
    else if (!g2_matches(&p, out)) why = "point differs";
    break;
  }
  default:
    why = "unknown kind";
  }
  zg_buf_clear(&b);
  zg_buf_clear(&m);
  return why;
}

ZG_VECTOR_HANDLER(bls_eth) {
  json_error_t jerr;
  size_t i = 0;
  while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t')) i++;
  if (i == len || data[i] != '{') return false;
  json_t *root = json_loadb(data, len, 0, &jerr);
  const json_t *in = json_object_get(root, "input"), *out = json_object_get(root, "output");
  if (!json_is_object(root) || json_object_size(root) != 2 || !in || !out) {
    json_decref(root);
    return false;
  }
  char dir[64];
  parent_dir(dir, sizeof dir, path);
  eth_kind_t by_dir = K_NONE, by_shape = shape_kind(in, out);
  for (size_t k = 0; k < sizeof g_kinds / sizeof g_kinds[0]; k++)
    if (strcmp(dir, g_kinds[k].dir) == 0) by_dir = g_kinds[k].kind;
  if (by_shape == K_NONE && by_dir == K_NONE) {
    json_decref(root);
    return false;
  }
  const char *why;
  eth_kind_t kind = by_dir != K_NONE ? by_dir : by_shape;
  if (by_dir != K_NONE && by_shape != K_NONE && by_dir != by_shape) why = "input does not have the shape of its kind";
  else why = eth_case(kind, in, out);
  if (why) zg__vec_fail(ctx, path, "%s case %s: %s", kind_name(kind), base_name(path), why);
  else zg__vec_pass(ctx);
  json_decref(root);
  return true;
}

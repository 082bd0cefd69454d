/* test_bls_h2c.c — RFC 9380 hashing to BLS12-381 G1/G2: the suite vector
 * files (u values, Q0/Q1 or Q, P) for RO and NU, the cofactor clearing
 * against plain multiplication by h_eff, the map's exceptional input, and
 * argument errors. */
#include <jansson.h>

#include "crypto/bls_field.h"
#include "zg/bls_h2c.h"
#include "zg_test.h"

/* Big-endian hex (0x optional, up to 96 digits) -> Fp. */
static bool parse_fp(zg_fp_t *r, const char *s, size_t n) {
  uint8_t be[48] = {0};
  if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2, n -= 2;
  if (n == 0 || n > 96 || n % 2) return false;
  zg_buf_t b;
  zg_buf_init(&b);
  bool ok = zg_hex_decode_loose(&b, s, n) == ZG_OK;
  if (ok) memcpy(be + 48 - b.len, b.ptr, b.len);
  zg_buf_clear(&b);
  return ok && zg__fp_from_be48(r, be) == ZG_OK;
}

static bool parse_fp2(zg_fp2_t *r, const char *s) {
  const char *comma = strchr(s, ',');
  return comma && parse_fp(&r->c0, s, (size_t)(comma - s)) && parse_fp(&r->c1, comma + 1, strlen(comma + 1));
}

static bool g1_is(const zg_g1_t *p, const json_t *o) {
  zg_fp_t x, y;
  const char *xs = json_string_value(json_object_get(o, "x")), *ys = json_string_value(json_object_get(o, "y"));
  if (!xs || !ys || !parse_fp(&x, xs, strlen(xs)) || !parse_fp(&y, ys, strlen(ys))) return false;
  zg_g1_t q = *p;
  zg_g1_normalize(&q);
  return !zg_g1_is_infinity(&q) && zg__fp_eq(&q.x, &x) && zg__fp_eq(&q.y, &y);
}

static bool g2_is(const zg_g2_t *p, const json_t *o) {
  zg_fp2_t x, y;
  const char *xs = json_string_value(json_object_get(o, "x")), *ys = json_string_value(json_object_get(o, "y"));
  if (!xs || !ys || !parse_fp2(&x, xs) || !parse_fp2(&y, ys)) return false;
  zg_g2_t q = *p;
  zg_g2_normalize(&q);
  return !zg_g2_is_infinity(&q) && zg__fp2_eq(&q.x, &x) && zg__fp2_eq(&q.y, &y);
}

/* Runs one suite file; returns the number of vectors checked (-1 when the
 * file is missing, which skips). */
static int run_suite(const char *file, int group, bool ro) {
  char path[1024];
  snprintf(path, sizeof path, "%s/hash-to-curve/%s", zgt_vectors_dir(), file);
  json_error_t jerr;
  json_t *root = json_load_file(path, 0, &jerr);
  if (!root) {
    printf("  (skipping %s: %s)\n", path, jerr.text);
    return -1;
  }
  const char *dst = json_string_value(json_object_get(root, "dst"));
  const json_t *vecs = json_object_get(root, "vectors");
  CHECK(dst != NULL && json_array_size(vecs) > 0);
  int n = 0;
  for (size_t i = 0; dst && i < json_array_size(vecs); i++) {
    const json_t *v = json_array_get(vecs, i), *ju = json_object_get(v, "u");
    const char *msg = json_string_value(json_object_get(v, "msg"));
    size_t count = ro ? 2 : 1;
    CHECK(msg && json_array_size(ju) == count);
    if (!msg || json_array_size(ju) != count) continue;
    const uint8_t *m = (const uint8_t *)msg, *d = (const uint8_t *)dst;
    const char *qn[2] = {ro ? "Q0" : "Q", "Q1"};
    if (group == 1) {
      zg_fp_t u[2], e;
      zg_g1_t q[2], p;
      CHECK_OK(zg_bls_hash_to_field_fp(u, count, m, strlen(msg), d, strlen(dst)));
      for (size_t k = 0; k < count; k++) {
        const char *us = json_string_value(json_array_get(ju, k));
        CHECK(us && parse_fp(&e, us, strlen(us)) && zg__fp_eq(&e, &u[k]));
        zg_bls_map_to_g1(&q[k], &u[k]);
        CHECK(zg_g1_is_on_curve(&q[k]));
        CHECK(g1_is(&q[k], json_object_get(v, qn[k])));
      }
      if (ro) CHECK_OK(zg_bls_hash_to_g1(&p, m, strlen(msg), d, strlen(dst)));
      else CHECK_OK(zg_bls_encode_to_g1(&p, m, strlen(msg), d, strlen(dst)));
      CHECK(zg_g1_in_subgroup(&p));
      CHECK(g1_is(&p, json_object_get(v, "P")));
    } else {
      zg_fp2_t u[2], e;
      zg_g2_t q[2], p;
      CHECK_OK(zg_bls_hash_to_field_fp2(u, count, m, strlen(msg), d, strlen(dst)));
      for (size_t k = 0; k < count; k++) {
        const char *us = json_string_value(json_array_get(ju, k));
        CHECK(us && parse_fp2(&e, us) && zg__fp2_eq(&e, &u[k]));
        zg_bls_map_to_g2(&q[k], &u[k]);
        CHECK(zg_g2_is_on_curve(&q[k]));
        CHECK(g2_is(&q[k], json_object_get(v, qn[k])));
      }
      if (ro) CHECK_OK(zg_bls_hash_to_g2(&p, m, strlen(msg), d, strlen(dst)));
      else CHECK_OK(zg_bls_encode_to_g2(&p, m, strlen(msg), d, strlen(dst)));
      CHECK(zg_g2_in_subgroup(&p));
      CHECK(g2_is(&p, json_object_get(v, "P")));
    }
    n++;
  }
  json_decref(root);
  return n;
}

static void test_g1_ro(void) { CHECK(run_suite("BLS12381G1_XMD-SHA-256_SSWU_RO_.json", 1, true) != 0); }
static void test_g1_nu(void) { CHECK(run_suite("BLS12381G1_XMD-SHA-256_SSWU_NU_.json", 1, false) != 0); }
static void test_g2_ro(void) { CHECK(run_suite("BLS12381G2_XMD-SHA-256_SSWU_RO_.json", 2, true) != 0); }
static void test_g2_nu(void) { CHECK(run_suite("BLS12381G2_XMD-SHA-256_SSWU_NU_.json", 2, false) != 0); }

/* h_eff of the G2 suites (RFC 9380 section 8.8.2), little-endian limbs. */
static const uint64_t G2_HEFF[10] = {
    0xe8020005aaa95551ull, 0x59894c0adebbf6b4ull, 0xe954cbc06689f6a3ull, 0x2ec0ec69d7477c1aull,
    0x6d82bf015d1212b0ull, 0x329c2f178731db95ull, 0x9986ff031508ffe1ull, 0x88e2a8e9145ad768ull,
    0x584c6a0ea91b3528ull, 0x0bc69f08f2ee75b3ull};

/* The psi-based clearing equals multiplication by h_eff, and lands in G2,
 * for random points of E2 (outputs of the map, generally outside G2). */
static void test_clear_cofactor(void) {
  long iters = zgt_iters(8);
  for (long i = 0; i < iters; i++) {
    uint8_t msg[32];
    zgt_rand_bytes(msg, sizeof msg);
    zg_fp2_t u;
    zg_fp_t u1;
    zg_g2_t q, a, b;
    zg_g1_t p, c, d;
    CHECK_OK(zg_bls_hash_to_field_fp2(&u, 1, msg, sizeof msg, (const uint8_t *)"T", 1));
    zg_bls_map_to_g2(&q, &u);
    zg_bls_clear_cofactor_g2(&a, &q);
    zg__g2_mul_limbs_var(&b, &q, G2_HEFF, 10);
    CHECK(zg_g2_eq(&a, &b));
    CHECK(zg_g2_in_subgroup(&a));
    CHECK_OK(zg_bls_hash_to_field_fp(&u1, 1, msg, sizeof msg, (const uint8_t *)"T", 1));
    zg_bls_map_to_g1(&p, &u1);
    CHECK(zg_g1_is_on_curve(&p));
    zg_bls_clear_cofactor_g1(&c, &p);
    zg__g1_mul_u64_var(&d, &p, 0xd201000000010001ull);
    CHECK(zg_g1_eq(&c, &d));
    CHECK(zg_g1_in_subgroup(&c));
  }
}

/* u = 0 takes the map's exceptional branch (x1 = B / (Z A)). */
static void test_exceptional_u(void) {
  zg_fp_t u0 = zg__fp_zero;
  zg_fp2_t u2 = zg__fp2_zero;
  zg_g1_t p;
  zg_g2_t q;
  zg_bls_map_to_g1(&p, &u0);
  zg_bls_map_to_g2(&q, &u2);
  CHECK(zg_g1_is_on_curve(&p) && !zg_g1_is_infinity(&p));
  CHECK(zg_g2_is_on_curve(&q) && !zg_g2_is_infinity(&q));
}

static void test_args(void) {
  zg_fp_t u[ZG_BLS_H2F_MAX + 1];
  zg_fp2_t u2[ZG_BLS_H2F_MAX + 1];
  zg_g1_t p;
  zg_g2_t q;
  const uint8_t *d = (const uint8_t *)"DST";
  CHECK_ERR(zg_bls_hash_to_field_fp(u, 0, NULL, 0, d, 3), ZG_EINVAL);
  CHECK_ERR(zg_bls_hash_to_field_fp(u, ZG_BLS_H2F_MAX + 1, NULL, 0, d, 3), ZG_EINVAL);
  CHECK_ERR(zg_bls_hash_to_field_fp2(u2, 0, NULL, 0, d, 3), ZG_EINVAL);
  CHECK_ERR(zg_bls_hash_to_field_fp(u, 1, NULL, 5, d, 3), ZG_EINVAL);
  CHECK_ERR(zg_bls_hash_to_g1(&p, NULL, 1, d, 3), ZG_EINVAL);
  CHECK_ERR(zg_bls_hash_to_g2(&q, (const uint8_t *)"m", 1, NULL, 3), ZG_EINVAL);
  CHECK_ERR(zg_bls_hash_to_g2(NULL, NULL, 0, d, 3), ZG_EINVAL);
  CHECK_OK(zg_bls_hash_to_field_fp(u, ZG_BLS_H2F_MAX, NULL, 0, d, 3));
  CHECK_OK(zg_bls_hash_to_field_fp2(u2, ZG_BLS_H2F_MAX, NULL, 0, d, 3));
  /* An empty message and an oversize (> 255 bytes) DST are fine. */
  uint8_t big[300];
  memset(big, 'D', sizeof big);
  CHECK_OK(zg_bls_hash_to_g2(&q, NULL, 0, big, sizeof big));
  CHECK(zg_g2_in_subgroup(&q));
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_g1_ro);
  ZGT_RUN(test_g1_nu);
  ZGT_RUN(test_g2_ro);
  ZGT_RUN(test_g2_nu);
  ZGT_RUN(test_clear_cofactor);
  ZGT_RUN(test_exceptional_u);
  ZGT_RUN(test_args);
  return zgt_done();
}

/* test_bls_sig.c — BLS signatures (BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_):
 * KeyGen (EIP-2333 master-key values, determinism), sign/verify round trips
 * and rejections, aggregation, AggregateVerify, FastAggregateVerify, batch
 * verification (one bad signature among many), proofs of possession,
 * malformed encodings of every kind with their error codes, and the sign /
 * verify files of the Ethereum suite when the vectors folder is present. */
#include <dirent.h>
#include <jansson.h>

#include "zg/bls.h"
#include "zg/bls_h2c.h"
#include "zg_test.h"

static void rand_key(zg_bls_sk_t *sk, zg_bls_pk_t *pk) {
  uint8_t ikm[32];
  zgt_rand_bytes(ikm, sizeof ikm);
  CHECK_OK(zg_bls_keygen(sk, ikm, sizeof ikm, NULL, 0));
  zg_bls_sk_to_pk(pk, sk);
}

static void hexbytes(uint8_t *out, size_t n, const char *hex) {
  zg_buf_t b;
  zg_buf_init(&b);
  CHECK_OK(zg_hex_decode_loose(&b, hex, strlen(hex)));
  CHECK_EQ(b.len, n);
  if (b.len == n) memcpy(out, b.ptr, n);
  zg_buf_clear(&b);
}

/* EIP-2333 derive_master_SK(seed) is exactly this KeyGen with empty key_info. */
static void test_keygen(void) {
  static const struct {
    const char *seed, *sk;
  } v[] = {
      {"c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81"
       "b2f001698e7463b04",
       "0d7359d57963ab8fbbde1852dcf553fedbc31f464d80ee7d40ae683122b45070"},
      {"3141592653589793238462643383279502884197169399375105820974944592",
       "41c9e07822b092a93fd6797396338c3ada4170cc81829fdfce6b5d34bd5e7ec7"},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    uint8_t seed[64], want[32], got[32];
    size_t n = strlen(v[i].seed) / 2;
    zg_bls_sk_t sk;
    hexbytes(seed, n, v[i].seed);
    hexbytes(want, 32, v[i].sk);
    CHECK_OK(zg_bls_keygen(&sk, seed, n, NULL, 0));
    zg_bls_sk_serialize(got, &sk);
    CHECK_MEM(got, want, 32);
    zg_bls_sk_clear(&sk);
  }
  /* IKM = 0x00..0x1f without and with key_info "info", and what that key
   * signs: values produced by blst (SecretKey.fromKeygen / sign). */
  {
    uint8_t ikm0[32], want[96], got[96];
    zg_bls_sk_t k0;
    zg_bls_pk_t p0;
    zg_bls_sig_t sg;
    for (int i = 0; i < 32; i++) ikm0[i] = (uint8_t)i;
    CHECK_OK(zg_bls_keygen(&k0, ikm0, sizeof ikm0, NULL, 0));
    zg_bls_sk_serialize(got, &k0);
    hexbytes(want, 32, "23360db7e337b0a32b264e06bc11c1b474d16f55665373de1ce93cf15ddb3456");
    CHECK_MEM(got, want, 32);
    zg_bls_sk_to_pk(&p0, &k0);
    zg_bls_pk_serialize(got, &p0);
    hexbytes(want, 48, "9112a0386a2340714ba0c6d2df235377a8679c3899d03e6ef04dba7a50ef49e5a1dc93105e9374e93ed301b63487e17c");
    CHECK_MEM(got, want, 48);
    CHECK_OK(zg_bls_sign(&sg, &k0, (const uint8_t *)"abc", 3));
    zg_bls_sig_serialize(got, &sg);
    hexbytes(want, 96,
             "8aa7045c01536c9a17aeb42fcebb2e77c64317a930d180ac501c12587c8229fd0ba5cf392328f0fe0fd347e6013da748"
             "0457006f3ba2f8988dacad37493cb527658e5d0ca11f4cf5fc610b177df2eafda790aefa8c435726a960a0c7f56cab4b");
    CHECK_MEM(got, want, 96);
    CHECK_OK(zg_bls_keygen(&k0, ikm0, sizeof ikm0, (const uint8_t *)"info", 4));
    zg_bls_sk_serialize(got, &k0);
    hexbytes(want, 32, "4f73ca10a24bd1989a6ca6a99e5f1b795f4118c0f61ebf2a84b10f33c950e602");
    CHECK_MEM(got, want, 32);
    zg_bls_sk_clear(&k0);
  }
  /* Deterministic; key_info separates keys; short IKM refused. */
  uint8_t ikm[40], a[32], b[32];
  zg_bls_sk_t s1, s2;
  zgt_rand_bytes(ikm, sizeof ikm);
  CHECK_OK(zg_bls_keygen(&s1, ikm, sizeof ikm, NULL, 0));
  CHECK_OK(zg_bls_keygen(&s2, ikm, sizeof ikm, NULL, 0));
  zg_bls_sk_serialize(a, &s1);
  zg_bls_sk_serialize(b, &s2);
  CHECK_MEM(a, b, 32);
  CHECK_OK(zg_bls_keygen(&s2, ikm, sizeof ikm, (const uint8_t *)"info", 4));
  zg_bls_sk_serialize(b, &s2);
  CHECK(memcmp(a, b, 32) != 0);
  CHECK_ERR(zg_bls_keygen(&s2, ikm, 31, NULL, 0), ZG_EINVAL);
  CHECK_ERR(zg_bls_keygen(&s2, NULL, 32, NULL, 0), ZG_EINVAL);
  CHECK_ERR(zg_bls_keygen(NULL, ikm, 32, NULL, 0), ZG_EINVAL);
  /* Round trip through the encoding. */
  CHECK_OK(zg_bls_sk_parse(&s2, a));
  zg_bls_sk_serialize(b, &s2);
  CHECK_MEM(a, b, 32);
}

static void test_sign_verify(void) {
  long iters = zgt_iters(6);
  for (long i = 0; i < iters; i++) {
    zg_bls_sk_t sk, sk2;
    zg_bls_pk_t pk, pk2, pkp;
    zg_bls_sig_t sig, sigp;
    uint8_t msg[48], pkb[48], sigb[96], pkb2[48], sigb2[96];
    size_t mlen = zgt_rand_below(sizeof msg + 1);
    bool ok;
    rand_key(&sk, &pk);
    rand_key(&sk2, &pk2);
    zgt_rand_bytes(msg, sizeof msg);
    CHECK_OK(zg_bls_sign(&sig, &sk, msg, mlen));
    CHECK_OK(zg_bls_verify(&ok, &pk, msg, mlen, &sig));
    CHECK(ok);
    /* Serialization round trips. */
    zg_bls_pk_serialize(pkb, &pk);
    zg_bls_sig_serialize(sigb, &sig);
    CHECK_OK(zg_bls_pk_parse(&pkp, pkb, sizeof pkb));
    CHECK_OK(zg_bls_sig_parse(&sigp, sigb, sizeof sigb));
    zg_bls_pk_serialize(pkb2, &pkp);
    zg_bls_sig_serialize(sigb2, &sigp);
    CHECK_MEM(pkb, pkb2, 48);
    CHECK_MEM(sigb, sigb2, 96);
    CHECK(zg_bls_key_validate(pkb, sizeof pkb));
    CHECK_OK(zg_bls_verify(&ok, &pkp, msg, mlen, &sigp));
    CHECK(ok);
    /* Signing is deterministic. */
    CHECK_OK(zg_bls_sign(&sigp, &sk, msg, mlen));
    zg_bls_sig_serialize(sigb2, &sigp);
    CHECK_MEM(sigb, sigb2, 96);
    /* Wrong message, wrong key, other signer's signature. */
    msg[0] ^= 1;
    CHECK_OK(zg_bls_verify(&ok, &pk, msg, mlen ? mlen : 1, &sig));
    CHECK(!ok);
    msg[0] ^= 1;
    CHECK_OK(zg_bls_verify(&ok, &pk2, msg, mlen, &sig));
    CHECK(!ok);
    CHECK_OK(zg_bls_sign(&sigp, &sk2, msg, mlen));
    CHECK_OK(zg_bls_verify(&ok, &pk, msg, mlen, &sigp));
    CHECK(!ok);
    zg_bls_sk_clear(&sk);
    zg_bls_sk_clear(&sk2);
  }
}

/* The identity signature never verifies under a valid key. */
static void test_infinity_signature(void) {
  uint8_t inf[96] = {0xc0};
  zg_bls_sig_t sig;
  zg_bls_sk_t sk;
  zg_bls_pk_t pk;
  bool ok = true;
  rand_key(&sk, &pk);
  CHECK_OK(zg_bls_sig_parse(&sig, inf, sizeof inf));
  CHECK_OK(zg_bls_verify(&ok, &pk, (const uint8_t *)"abc", 3, &sig));
  CHECK(!ok);
  uint8_t pkinf[48] = {0xc0};
  zg_bls_pk_t pk2;
  CHECK_ERR(zg_bls_pk_parse(&pk2, pkinf, sizeof pkinf), ZG_EINFINITY);
  CHECK(!zg_bls_key_validate(pkinf, sizeof pkinf));
}

#define NAGG 8

static void test_aggregate(void) {
  zg_bls_sk_t sk[NAGG];
  zg_bls_pk_t pk[NAGG];
  zg_bls_sig_t sig[NAGG], agg;
  uint8_t msgs[NAGG][32], common[32] = "the same message for everyone";
  zg_slice_t sl[NAGG];
  bool ok;
  void *scratch = malloc(zg_bls_aggregate_verify_scratch_size(NAGG));
  CHECK(scratch != NULL);
  if (!scratch) return;
  /* Same message: FastAggregateVerify. */
  for (int i = 0; i < NAGG; i++) {
    rand_key(&sk[i], &pk[i]);
    CHECK_OK(zg_bls_sign(&sig[i], &sk[i], common, sizeof common));
  }
  CHECK_OK(zg_bls_aggregate(&agg, sig, NAGG));
  CHECK_OK(zg_bls_fast_aggregate_verify(&ok, pk, NAGG, common, sizeof common, &agg));
  CHECK(ok);
  CHECK_OK(zg_bls_fast_aggregate_verify(&ok, pk, NAGG - 1, common, sizeof common, &agg)); /* a key missing */
  CHECK(!ok);
  CHECK_OK(zg_bls_fast_aggregate_verify(&ok, pk, NAGG, common, sizeof common - 1, &agg)); /* other message */
  CHECK(!ok);
  CHECK_OK(zg_bls_aggregate(&agg, sig, NAGG - 1)); /* a signature missing */
  CHECK_OK(zg_bls_fast_aggregate_verify(&ok, pk, NAGG, common, sizeof common, &agg));
  CHECK(!ok);
  /* The same messages through AggregateVerify (PoP: repeats allowed). */
  for (int i = 0; i < NAGG; i++) sl[i] = zg_slice(common, sizeof common);
  CHECK_OK(zg_bls_aggregate(&agg, sig, NAGG));
  CHECK_OK(zg_bls_aggregate_verify(&ok, pk, sl, NAGG, &agg, scratch));
  CHECK(ok);
  /* Distinct messages: AggregateVerify. */
  for (int i = 0; i < NAGG; i++) {
    zgt_rand_bytes(msgs[i], sizeof msgs[i]);
    sl[i] = zg_slice(msgs[i], sizeof msgs[i]);
    CHECK_OK(zg_bls_sign(&sig[i], &sk[i], msgs[i], sizeof msgs[i]));
  }
  CHECK_OK(zg_bls_aggregate(&agg, sig, NAGG));
  CHECK_OK(zg_bls_aggregate_verify(&ok, pk, sl, NAGG, &agg, scratch));
  CHECK(ok);
  zg_slice_t t = sl[0];
  sl[0] = sl[1];
  sl[1] = t; /* messages swapped between two signers */
  CHECK_OK(zg_bls_aggregate_verify(&ok, pk, sl, NAGG, &agg, scratch));
  CHECK(!ok);
  sl[1] = sl[0];
  sl[0] = t;
  CHECK_OK(zg_bls_aggregate_verify(&ok, pk, sl, NAGG - 1, &agg, scratch));
  CHECK(!ok);
  /* Empty inputs are malformed. */
  ok = true;
  CHECK_ERR(zg_bls_aggregate(&agg, sig, 0), ZG_EEMPTY);
  CHECK_ERR(zg_bls_fast_aggregate_verify(&ok, pk, 0, common, sizeof common, &agg), ZG_EEMPTY);
  CHECK(!ok);
  ok = true;
  CHECK_ERR(zg_bls_aggregate_verify(&ok, pk, sl, 0, &agg, scratch), ZG_EEMPTY);
  CHECK(!ok);
  /* Keys that sum to the identity: pk and -pk (flip the sign flag). */
  uint8_t b[48];
  zg_bls_pk_t pair[2];
  zg_bls_sig_t inf;
  uint8_t infb[96] = {0xc0};
  zg_bls_pk_serialize(b, &pk[0]);
  b[0] ^= 0x20;
  pair[0] = pk[0];
  CHECK_OK(zg_bls_pk_parse(&pair[1], b, sizeof b));
  CHECK_OK(zg_bls_sig_parse(&inf, infb, sizeof infb));
  CHECK_OK(zg_bls_fast_aggregate_verify(&ok, pair, 2, common, sizeof common, &inf));
  CHECK(!ok);
  for (int i = 0; i < NAGG; i++) zg_bls_sk_clear(&sk[i]);
  free(scratch);
}

#define NBATCH 16

static void test_batch_verify(void) {
  zg_bls_sk_t sk[NBATCH];
  zg_bls_pk_t pk[NBATCH];
  zg_bls_sig_t sig[NBATCH];
  uint8_t msgs[NBATCH][24];
  zg_slice_t sl[NBATCH];
  bool ok;
  void *scratch = malloc(zg_bls_batch_verify_scratch_size(NBATCH));
  CHECK(scratch != NULL);
  if (!scratch) return;
  for (int i = 0; i < NBATCH; i++) {
    rand_key(&sk[i], &pk[i]);
    zgt_rand_bytes(msgs[i], sizeof msgs[i]);
    if (i == 3) memcpy(msgs[i], msgs[2], sizeof msgs[i]); /* repeated messages are fine */
    sl[i] = zg_slice(msgs[i], sizeof msgs[i]);
    CHECK_OK(zg_bls_sign(&sig[i], &sk[i], msgs[i], sizeof msgs[i]));
  }
  for (size_t n = 1; n <= NBATCH; n *= 2) {
    CHECK_OK(zg_bls_batch_verify(&ok, pk, sl, sig, n, scratch));
    CHECK(ok);
  }
  /* Exactly one bad signature (a valid signature of another message). */
  long iters = zgt_iters(3);
  for (long it = 0; it < iters; it++) {
    uint32_t j = zgt_rand_below(NBATCH);
    zg_bls_sig_t keep = sig[j];
    CHECK_OK(zg_bls_sign(&sig[j], &sk[j], (const uint8_t *)"other", 5));
    CHECK_OK(zg_bls_batch_verify(&ok, pk, sl, sig, NBATCH, scratch));
    CHECK(!ok);
    sig[j] = keep;
    /* Two signatures swapped between signers: each bad, sum unchanged. */
    uint32_t k = (j + 1) % NBATCH;
    sig[j] = sig[k];
    sig[k] = keep;
    CHECK_OK(zg_bls_batch_verify(&ok, pk, sl, sig, NBATCH, scratch));
    CHECK(!ok);
    sig[k] = sig[j];
    sig[j] = keep;
    /* A point X moved from one signature to another (the forged-set attack
     * on unweighted batching): the plain sum still verifies, the batch must not. */
    zg_bls_sig_t keep_k = sig[k], agg;
    zg_g2_t x;
    zg_g2_generator(&x);
    zg_g2_add(&sig[j].p, &sig[j].p, &x);
    zg_g2_sub(&sig[k].p, &sig[k].p, &x);
    CHECK_OK(zg_bls_aggregate(&agg, sig, NBATCH));
    CHECK_OK(zg_bls_aggregate_verify(&ok, pk, sl, NBATCH, &agg, scratch));
    CHECK(ok); /* the aggregate cannot see the move */
    CHECK_OK(zg_bls_batch_verify(&ok, pk, sl, sig, NBATCH, scratch));
    CHECK(!ok);
    sig[j] = keep;
    sig[k] = keep_k;
  }
  CHECK_OK(zg_bls_batch_verify(&ok, pk, sl, sig, NBATCH, scratch));
  CHECK(ok);
  ok = true;
  CHECK_ERR(zg_bls_batch_verify(&ok, pk, sl, sig, 0, scratch), ZG_EEMPTY);
  CHECK(!ok);
  CHECK_ERR(zg_bls_batch_verify(&ok, pk, sl, sig, 1, NULL), ZG_EINVAL);
  for (int i = 0; i < NBATCH; i++) zg_bls_sk_clear(&sk[i]);
  free(scratch);
}

static void test_pop(void) {
  zg_bls_sk_t sk, sk2;
  zg_bls_pk_t pk, pk2;
  zg_bls_sig_t proof, proof2, sig;
  uint8_t pkb[48];
  bool ok;
  rand_key(&sk, &pk);
  rand_key(&sk2, &pk2);
  CHECK_OK(zg_bls_pop_prove(&proof, &sk));
  CHECK_OK(zg_bls_pop_verify(&ok, &pk, &proof));
  CHECK(ok);
  CHECK_OK(zg_bls_pop_prove(&proof2, &sk2));
  CHECK_OK(zg_bls_pop_verify(&ok, &pk, &proof2));
  CHECK(!ok);
  /* Domain separation: a plain signature of the key bytes is no proof. */
  zg_bls_pk_serialize(pkb, &pk);
  CHECK_OK(zg_bls_sign(&sig, &sk, pkb, sizeof pkb));
  CHECK_OK(zg_bls_pop_verify(&ok, &pk, &sig));
  CHECK(!ok);
  CHECK_OK(zg_bls_verify(&ok, &pk, pkb, sizeof pkb, &proof));
  CHECK(!ok);
  zg_bls_sk_clear(&sk);
  zg_bls_sk_clear(&sk2);
}

/* p = 0x1a0111ea...aaab, big-endian. */
static const char P_HEX[] = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";
static const char R_HEX[] = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";

static void test_malformed(void) {
  zg_bls_sk_t sk;
  zg_bls_pk_t pk;
  zg_bls_sig_t sig;
  uint8_t b[200], k[32];
  bool ok = true;
  /* Secret keys: zero, r, all ones. */
  memset(k, 0, sizeof k);
  CHECK_ERR(zg_bls_sk_parse(&sk, k), ZG_EBADKEY);
  hexbytes(k, 32, R_HEX);
  CHECK_ERR(zg_bls_sk_parse(&sk, k), ZG_ESCALAR);
  k[31] -= 1; /* r - 1 is fine */
  CHECK_OK(zg_bls_sk_parse(&sk, k));
  memset(k, 0xff, sizeof k);
  CHECK_ERR(zg_bls_sk_parse(&sk, k), ZG_ESCALAR);
  /* Public keys: lengths. */
  rand_key(&sk, &pk);
  zg_bls_pk_serialize(b, &pk);
  CHECK_ERR(zg_bls_pk_parse(&pk, b, 47), ZG_EBADLEN);
  CHECK_ERR(zg_bls_pk_parse(&pk, b, 49), ZG_EBADLEN);
  CHECK_ERR(zg_bls_pk_parse(&pk, b, 0), ZG_EBADLEN);
  CHECK_ERR(zg_bls_pk_parse(&pk, b, 96), ZG_EBADLEN); /* uncompressed keys are not the wire format */
  /* Flags: compression bit missing; infinity with a non-zero x; infinity with the sign bit. */
  uint8_t c[48];
  memcpy(c, b, 48);
  c[0] &= 0x7f;
  CHECK_ERR(zg_bls_pk_parse(&pk, c, 48), ZG_EFLAGS);
  memset(c, 0, 48);
  c[0] = 0xc0;
  c[47] = 1;
  CHECK_ERR(zg_bls_pk_parse(&pk, c, 48), ZG_EFLAGS);
  memset(c, 0, 48);
  c[0] = 0xe0;
  CHECK_ERR(zg_bls_pk_parse(&pk, c, 48), ZG_EFLAGS);
  /* x >= p. */
  hexbytes(c, 48, P_HEX);
  c[0] |= 0x80;
  CHECK_ERR(zg_bls_pk_parse(&pk, c, 48), ZG_EFIELD);
  /* Not on the curve: step x until x^3 + 4 is not a square. */
  memcpy(c, b, 48);
  zg_err_t e = ZG_OK;
  for (int i = 0; i < 64 && e != ZG_ENOTONCURVE; i++) {
    c[47] ^= (uint8_t)(i + 1);
    e = zg_bls_pk_parse(&pk, c, 48);
  }
  CHECK_EQ(e, ZG_ENOTONCURVE);
  /* On the curve but outside G1: an unreduced map output. */
  zg_fp_t u;
  zg_g1_t q;
  CHECK_OK(zg_bls_hash_to_field_fp(&u, 1, (const uint8_t *)"x", 1, (const uint8_t *)"T", 1));
  zg_bls_map_to_g1(&q, &u);
  CHECK(!zg_g1_in_subgroup(&q));
  zg_g1_serialize(c, &q);
  CHECK_ERR(zg_bls_pk_parse(&pk, c, 48), ZG_ESUBGROUP);
  CHECK(!zg_bls_key_validate(c, 48));
  /* Signatures: lengths, flags, field, curve, subgroup. */
  uint8_t s[96];
  rand_key(&sk, &pk);
  CHECK_OK(zg_bls_sign(&sig, &sk, (const uint8_t *)"m", 1));
  zg_bls_sig_serialize(s, &sig);
  CHECK_ERR(zg_bls_sig_parse(&sig, s, 95), ZG_EBADLEN);
  CHECK_ERR(zg_bls_sig_parse(&sig, s, 48), ZG_EBADLEN);
  CHECK_ERR(zg_bls_sig_parse(&sig, b, 192), ZG_EBADLEN);
  s[0] &= 0x7f;
  CHECK_ERR(zg_bls_sig_parse(&sig, s, 96), ZG_EFLAGS);
  memset(s, 0, 96);
  s[0] = 0xc0;
  s[95] = 1;
  CHECK_ERR(zg_bls_sig_parse(&sig, s, 96), ZG_EFLAGS);
  memset(s, 0, 96);
  hexbytes(s, 48, P_HEX); /* x.c1 = p */
  s[0] |= 0x80;
  CHECK_ERR(zg_bls_sig_parse(&sig, s, 96), ZG_EFIELD);
  memset(s, 0, 96);
  hexbytes(s + 48, 48, P_HEX); /* x.c0 = p */
  s[0] = 0x80;
  CHECK_ERR(zg_bls_sig_parse(&sig, s, 96), ZG_EFIELD);
  zg_bls_sig_serialize(s, &sig);
  CHECK_OK(zg_bls_sign(&sig, &sk, (const uint8_t *)"m", 1));
  zg_bls_sig_serialize(s, &sig);
  e = ZG_OK;
  for (int i = 0; i < 64 && e != ZG_ENOTONCURVE; i++) {
    s[95] ^= (uint8_t)(i + 1);
    e = zg_bls_sig_parse(&sig, s, 96);
  }
  CHECK_EQ(e, ZG_ENOTONCURVE);
  zg_fp2_t u2;
  zg_g2_t q2;
  CHECK_OK(zg_bls_hash_to_field_fp2(&u2, 1, (const uint8_t *)"x", 1, (const uint8_t *)"T", 1));
  zg_bls_map_to_g2(&q2, &u2);
  zg_g2_serialize(s, &q2);
  CHECK_ERR(zg_bls_sig_parse(&sig, s, 96), ZG_ESUBGROUP);
  /* NULL arguments. */
  CHECK_ERR(zg_bls_verify(NULL, &pk, NULL, 0, &sig), ZG_EINVAL);
  CHECK_ERR(zg_bls_verify(&ok, NULL, NULL, 0, &sig), ZG_EINVAL);
  CHECK(!ok);
  CHECK_ERR(zg_bls_verify(&ok, &pk, NULL, 3, &sig), ZG_EINVAL);
  CHECK_ERR(zg_bls_sign(&sig, NULL, NULL, 0), ZG_EINVAL);
  CHECK_ERR(zg_bls_sign(&sig, &sk, NULL, 2), ZG_EINVAL);
  CHECK_ERR(zg_bls_pk_parse(&pk, NULL, 48), ZG_EINVAL);
  CHECK_ERR(zg_bls_sig_parse(&sig, NULL, 96), ZG_EINVAL);
  CHECK_ERR(zg_bls_pop_prove(&sig, NULL), ZG_EINVAL);
  CHECK_ERR(zg_bls_pop_verify(&ok, NULL, &sig), ZG_EINVAL);
  CHECK_ERR(zg_bls_aggregate(NULL, &sig, 1), ZG_EINVAL);
  zg_bls_sk_clear(&sk);
}

/* Runs the Ethereum sign and verify files (the full suite runs through
 * `zg vectors`); skips when the folder is absent. */
static void run_eth_dir(const char *kind, int *count) {
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/bls/%s", zgt_vectors_dir(), kind);
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (!strstr(de->d_name, ".json")) continue;
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    const json_t *in = json_object_get(root, "input"), *out = json_object_get(root, "output");
    zg_buf_t a, m, s;
    zg_buf_init(&a);
    zg_buf_init(&m);
    zg_buf_init(&s);
    const char *ms = json_string_value(json_object_get(in, "message"));
    CHECK(ms && zg_hex_decode_loose(&m, ms, strlen(ms)) == ZG_OK);
    if (strcmp(kind, "sign") == 0) {
      const char *ks = json_string_value(json_object_get(in, "privkey"));
      zg_bls_sk_t sk;
      zg_bls_sig_t sig;
      uint8_t got[96];
      CHECK(ks && zg_hex_decode_loose(&a, ks, strlen(ks)) == ZG_OK && a.len == 32);
      bool signed_ok = a.len == 32 && zg_bls_sk_parse(&sk, a.ptr) == ZG_OK &&
                       zg_bls_sign(&sig, &sk, m.ptr ? m.ptr : (const uint8_t *)"", m.len) == ZG_OK;
      if (json_is_null(out)) {
        CHECK(!signed_ok);
      } else {
        CHECK(signed_ok);
        const char *os = json_string_value(out);
        CHECK(os && zg_hex_decode_loose(&s, os, strlen(os)) == ZG_OK && s.len == 96);
        if (signed_ok && s.len == 96) {
          zg_bls_sig_serialize(got, &sig);
          if (memcmp(got, s.ptr, 96) != 0) ZGT_FAIL("%s: signature differs", de->d_name);
        }
      }
    } else {
      const char *ps = json_string_value(json_object_get(in, "pubkey"));
      const char *ss = json_string_value(json_object_get(in, "signature"));
      zg_bls_pk_t pk;
      zg_bls_sig_t sig;
      bool ok = false;
      if (ps && ss && zg_hex_decode_loose(&a, ps, strlen(ps)) == ZG_OK &&
          zg_hex_decode_loose(&s, ss, strlen(ss)) == ZG_OK && zg_bls_pk_parse(&pk, a.ptr, a.len) == ZG_OK &&
          zg_bls_sig_parse(&sig, s.ptr, s.len) == ZG_OK)
        CHECK_OK(zg_bls_verify(&ok, &pk, m.ptr ? m.ptr : (const uint8_t *)"", m.len, &sig));
      if (ok != json_is_true(out)) ZGT_FAIL("%s: verdict %d", de->d_name, ok);
    }
    zg_buf_clear(&a);
    zg_buf_clear(&m);
    zg_buf_clear(&s);
    json_decref(root);
    (*count)++;
  }
  closedir(d);
}

static void test_eth_vectors(void) {
  int n = 0;
  run_eth_dir("sign", &n);
  run_eth_dir("verify", &n);
  printf("  %d Ethereum sign/verify files\n", n);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  ZGT_RUN(test_keygen);
  ZGT_RUN(test_sign_verify);
  ZGT_RUN(test_infinity_signature);
  ZGT_RUN(test_aggregate);
  ZGT_RUN(test_batch_verify);
  ZGT_RUN(test_pop);
  ZGT_RUN(test_malformed);
  ZGT_RUN(test_eth_vectors);
  return zgt_done();
}

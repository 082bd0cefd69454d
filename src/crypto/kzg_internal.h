/*
 * kzg_internal.h — the KZG settings object and helpers shared by the KZG
 * files of src/crypto (kzg_setup.c, kzg.c, and the EIP-7594 cell code that
 * builds on them). Not a public API.
 *
 * Invariants of a loaded zg_kzg_settings_t:
 *  - every point passed the curve and subgroup checks and is normalized
 *    (Z = 1, or the all-zero infinity);
 *  - g1_lagrange_brp[i] is the Lagrange point of the i-th element of a blob,
 *    i.e. the file's Lagrange points in bit-reversed order, so that
 *    commit(blob) = sum_i blob[i] * g1_lagrange_brp[i];
 *  - roots_brp[i] is the root of unity of order 4096 at which blob element i
 *    is the polynomial's value: w4096^reverse_bits(i, 12);
 *  - domain has 8192 entries (the extended blob), so roots of order 4096 are
 *    domain->roots[2 i];
 *  - the tables of the optional fixed-base precomputation (fb_*) exist only
 *    when precompute > 0.
 */
#ifndef ZG_CRYPTO_KZG_INTERNAL_H
#define ZG_CRYPTO_KZG_INTERNAL_H

#include "crypto/bls_field.h"
#include "zg/fft.h"
#include "zg/kzg.h"

#define ZG__KZG_N ZG_KZG_FIELD_ELEMENTS_PER_BLOB

/* An affine point (never infinity in tables; infinity is skipped). */
typedef struct {
  zg_fp_t x, y;
} zg__g1_aff_t;

struct zg_kzg_settings {
  zg_g1_t *g1_lagrange_brp; /* ZG__KZG_N points */
  zg_g1_t *g1_monomial;     /* ZG__KZG_N points: tau^i G1 */
  zg_g2_t *g2_monomial;     /* ZG_KZG_SETUP_G2_LENGTH points: tau^i G2 */
  zg_fft_domain_t *domain;  /* ZG_KZG_FIELD_ELEMENTS_PER_EXT_BLOB */
  zg_fr_t *roots_brp;       /* ZG__KZG_N */

  /* Fixed-base tables over g1_lagrange_brp (kzg_setup.c, used by kzg.c):
   * for point i and window j < fb_windows, fb_table[i * fb_windows + j]
   * is 2^(fb_bits * j) * P_i (affine). Scalars are cut into fb_windows
   * signed digits of fb_bits bits each. */
  unsigned precompute;
  unsigned fb_bits, fb_windows;
  zg__g1_aff_t *fb_table;
};

/* Batched affine additions (bls_g1_aff.c). (0, 0) is infinity. Entries are
 * applied at flush (or when the batch is full); until then their inputs must
 * not change, and no pending entry may read another pending entry's output. */
#define ZG__G1_AFF_BATCH 2048
typedef struct {
  zg__g1_aff_t *out[ZG__G1_AFF_BATCH];
  const zg__g1_aff_t *a[ZG__G1_AFF_BATCH], *b[ZG__G1_AFF_BATCH];
  zg_fp_t den[ZG__G1_AFF_BATCH], pre[ZG__G1_AFF_BATCH];
  uint8_t kind[ZG__G1_AFF_BATCH];
  size_t n;
} zg__g1_aff_batch_t;

bool zg__g1_aff_is_inf(const zg__g1_aff_t *p);
void zg__g1_aff_set_inf(zg__g1_aff_t *p);
void zg__g1_aff_batch_init(zg__g1_aff_batch_t *B);
/* Queues *out = *a + *b (out may be a or b). */
void zg__g1_aff_batch_push(zg__g1_aff_batch_t *B, zg__g1_aff_t *out, const zg__g1_aff_t *a,
                           const zg__g1_aff_t *b);
/* Applies every queued addition with one inversion. */
void zg__g1_aff_batch_flush(zg__g1_aff_batch_t *B);

/* sum scalars[i] * Lagrange_brp[i] over the 4096 points; uses the fixed-base
 * tables when present, else the variable-base MSM. scratch: at least
 * zg__kzg_lagrange_msm_scratch_size(s). */
size_t zg__kzg_lagrange_msm_scratch_size(const zg_kzg_settings_t *s);
void zg__kzg_lagrange_msm(const zg_kzg_settings_t *s, zg_g1_t *r, const zg_fr_t *scalars, void *scratch);

/* Builds the fixed-base tables for level s->precompute (kzg_setup.c). */
ZG_WARN_UNUSED zg_err_t zg__kzg_precompute(zg_kzg_settings_t *s, unsigned threads);

#endif

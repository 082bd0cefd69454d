/*
 * bls_msm.c — multi-scalar multiplication sum(k_i * P_i) in G1 and G2 for
 * public data (KZG commitments, batch verification). The algorithm (signed
 * windows, batch-affine bucket accumulation, running-sum reduction) lives
 * in bls_msm_impl.h and is instantiated here once per group. No allocation:
 * the caller passes scratch of zg_gN_msm_scratch_size(n) bytes (any
 * alignment); n up to 2^32 - 1.
 */
#include <stdint.h>
#include <string.h>

#include "crypto/bls_curve.h"

/* ---- G1 over Fp ---- */
#define FE zg_fp_t
#define PT zg_g1_t
#define FE_add zg__fp_add
#define FE_sub zg__fp_sub
#define FE_dbl zg__fp_dbl
#define FE_neg zg__fp_neg
#define FE_mul zg__fp_mul
#define FE_sqr zg__fp_sqr
#define FE_inv zg__fp_inv
#define FE_is_zero zg__fp_is_zero
#define FE_eq zg__fp_eq
#define FE_ONE zg__fp_one
#define PUB(n) zg_g1_##n
#define INT(n) zg__g1_##n
#define LOC(n) g1_##n
/* Up to this many points, separate GLV multiplications are cheaper. */
#define LOC_DIRECT_MAX 4
#include "crypto/bls_msm_impl.h"
#undef FE
#undef PT
#undef FE_add
#undef FE_sub
#undef FE_dbl
#undef FE_neg
#undef FE_mul
#undef FE_sqr
#undef FE_inv
#undef FE_is_zero
#undef FE_eq
#undef FE_ONE
#undef PUB
#undef INT
#undef LOC
#undef LOC_DIRECT_MAX

/* ---- G2 over Fp2 ---- */
#define FE zg_fp2_t
#define PT zg_g2_t
#define FE_add zg__fp2_add
#define FE_sub zg__fp2_sub
#define FE_dbl zg__fp2_dbl
#define FE_neg zg__fp2_neg
#define FE_mul zg__fp2_mul
#define FE_sqr zg__fp2_sqr
#define FE_inv zg__fp2_inv
#define FE_is_zero zg__fp2_is_zero
#define FE_eq zg__fp2_eq
#define FE_ONE zg__fp2_one
#define PUB(n) zg_g2_##n
#define INT(n) zg__g2_##n
#define LOC(n) g2_##n
#define LOC_DIRECT_MAX 4
#include "crypto/bls_msm_impl.h"

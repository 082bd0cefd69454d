/*
 * merkle_hash.c — batch Keccak-256 of Merkle leaves (256-byte sectors) and
 * nodes (64-byte pairs) for src/proto (merkle_internal.h).
 *
 * Four independent hashes run in the four 64-bit lanes of 256-bit vectors:
 * a 4-lane Keccak-f[1600] with the state in 25 vectors. Two builds of the
 * same code are dispatched at run time: AVX2 (rotates as two shifts, the
 * state partly spills past 16 registers) and AVX-512VL (native vprolq,
 * vpternlogq for chi and theta, 32 registers). Keccak here is Ethereum's:
 * rate 136, padding 0x01 .. 0x80. A leaf absorbs two blocks (136 + 120
 * bytes and the padding), a node one (64 bytes and the padding); both
 * squeeze the first four lanes. Inputs are public data (tree nodes), so
 * nothing is wiped. Odd counts finish on the scalar zg_keccak256.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "proto/merkle_internal.h"
#include "zg/hash.h"

static const char *g_impl = "scalar";

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define ZG_MERKLE_X86 1

static const uint64_t g_rc[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};

static inline uint64_t ld64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

/* One round, state A[25] of vectors V (lane (x, y) at x + 5y). The macro
 * layout is generated: theta, rho and pi into B, chi back into A, iota. */
/* clang-format off */
#define KECCAK_ROUND(A, rc)                                                    \
  do {                                                                         \
    V C0 = XOR5(A[0], A[5], A[10], A[15], A[20]);                             \
    V C1 = XOR5(A[1], A[6], A[11], A[16], A[21]);    \
    V C2 = XOR5(A[2], A[7], A[12], A[17], A[22]);    \
    V C3 = XOR5(A[3], A[8], A[13], A[18], A[23]);    \
    V C4 = XOR5(A[4], A[9], A[14], A[19], A[24]);    \
    V D0 = XOR(C4, ROL(C1, 1));                         \
    V D1 = XOR(C0, ROL(C2, 1));                         \
    V D2 = XOR(C1, ROL(C3, 1));                         \
    V D3 = XOR(C2, ROL(C4, 1));                         \
    V D4 = XOR(C3, ROL(C0, 1));                         \
    V B0 = XOR(A[0], D0);                                  \
    V B10 = ROL(XOR(A[1], D1), 1);                         \
    V B20 = ROL(XOR(A[2], D2), 62);                         \
    V B5 = ROL(XOR(A[3], D3), 28);                         \
    V B15 = ROL(XOR(A[4], D4), 27);                         \
    V B16 = ROL(XOR(A[5], D0), 36);                         \
    V B1 = ROL(XOR(A[6], D1), 44);                         \
    V B11 = ROL(XOR(A[7], D2), 6);                         \
    V B21 = ROL(XOR(A[8], D3), 55);                         \
    V B6 = ROL(XOR(A[9], D4), 20);                         \
    V B7 = ROL(XOR(A[10], D0), 3);                         \
    V B17 = ROL(XOR(A[11], D1), 10);                         \
    V B2 = ROL(XOR(A[12], D2), 43);                         \
    V B12 = ROL(XOR(A[13], D3), 25);                         \
    V B22 = ROL(XOR(A[14], D4), 39);                         \
    V B23 = ROL(XOR(A[15], D0), 41);                         \
    V B8 = ROL(XOR(A[16], D1), 45);                         \
    V B18 = ROL(XOR(A[17], D2), 15);                         \
    V B3 = ROL(XOR(A[18], D3), 21);                         \
    V B13 = ROL(XOR(A[19], D4), 8);                         \
    V B14 = ROL(XOR(A[20], D0), 18);                         \
    V B24 = ROL(XOR(A[21], D1), 2);                         \
    V B9 = ROL(XOR(A[22], D2), 61);                         \
    V B19 = ROL(XOR(A[23], D3), 56);                         \
    V B4 = ROL(XOR(A[24], D4), 14);                         \
    A[0] = CHI(B0, B1, B2);                                  \
    A[1] = CHI(B1, B2, B3);                                  \
    A[2] = CHI(B2, B3, B4);                                  \
    A[3] = CHI(B3, B4, B0);                                  \
    A[4] = CHI(B4, B0, B1);                                  \
    A[5] = CHI(B5, B6, B7);                                  \
    A[6] = CHI(B6, B7, B8);                                  \
    A[7] = CHI(B7, B8, B9);                                  \
    A[8] = CHI(B8, B9, B5);                                  \
    A[9] = CHI(B9, B5, B6);                                  \
    A[10] = CHI(B10, B11, B12);                                  \
    A[11] = CHI(B11, B12, B13);                                  \
    A[12] = CHI(B12, B13, B14);                                  \
    A[13] = CHI(B13, B14, B10);                                  \
    A[14] = CHI(B14, B10, B11);                                  \
    A[15] = CHI(B15, B16, B17);                                  \
    A[16] = CHI(B16, B17, B18);                                  \
    A[17] = CHI(B17, B18, B19);                                  \
    A[18] = CHI(B18, B19, B15);                                  \
    A[19] = CHI(B19, B15, B16);                                  \
    A[20] = CHI(B20, B21, B22);                                  \
    A[21] = CHI(B21, B22, B23);                                  \
    A[22] = CHI(B22, B23, B24);                                  \
    A[23] = CHI(B23, B24, B20);                                  \
    A[24] = CHI(B24, B20, B21);                                  \
    A[0] = XOR(A[0], BCAST(rc));                                              \
  } while (0)


/* Loads lane i (bytes off .. off+8) of four inputs p[0..3]. */
#define LD4(p, off) _mm256_set_epi64x((long long)ld64((p)[3] + (off)), (long long)ld64((p)[2] + (off)), \
                                      (long long)ld64((p)[1] + (off)), (long long)ld64((p)[0] + (off)))

/* Stores the 32-byte digests (lanes 0..3) of the four states. */
#define SQUEEZE4(A, o)                                                          \
  do {                                                                          \
    uint64_t t_[4][4];                                                          \
    _mm256_storeu_si256((__m256i *)t_[0], A[0]);                                \
    _mm256_storeu_si256((__m256i *)t_[1], A[1]);                                \
    _mm256_storeu_si256((__m256i *)t_[2], A[2]);                                \
    _mm256_storeu_si256((__m256i *)t_[3], A[3]);                                \
    for (int k_ = 0; k_ < 4; k_++)                                              \
      for (int l_ = 0; l_ < 4; l_++) memcpy((o)[k_] + 8 * l_, &t_[l_][k_], 8);  \
  } while (0)

#define DEFINE_X4(SUF, TARGET)                                                  \
  TARGET static void leaves4_##SUF(uint8_t (*out)[32], const uint8_t *in) {     \
    const uint8_t *p[4] = {in, in + 256, in + 512, in + 768};                   \
    V A[25];                                                                    \
    A[0] = LD4(p, 0); A[1] = LD4(p, 8); A[2] = LD4(p, 16); A[3] = LD4(p, 24);   \
    A[4] = LD4(p, 32); A[5] = LD4(p, 40); A[6] = LD4(p, 48); A[7] = LD4(p, 56); \
    A[8] = LD4(p, 64); A[9] = LD4(p, 72); A[10] = LD4(p, 80);                   \
    A[11] = LD4(p, 88); A[12] = LD4(p, 96); A[13] = LD4(p, 104);                \
    A[14] = LD4(p, 112); A[15] = LD4(p, 120); A[16] = LD4(p, 128);              \
    A[17] = A[18] = A[19] = A[20] = A[21] = A[22] = A[23] = A[24] = ZERO;       \
    for (int r = 0; r < 24; r++) KECCAK_ROUND(A, g_rc[r]);                      \
    A[0] = XOR(A[0], LD4(p, 136)); A[1] = XOR(A[1], LD4(p, 144));               \
    A[2] = XOR(A[2], LD4(p, 152)); A[3] = XOR(A[3], LD4(p, 160));               \
    A[4] = XOR(A[4], LD4(p, 168)); A[5] = XOR(A[5], LD4(p, 176));               \
    A[6] = XOR(A[6], LD4(p, 184)); A[7] = XOR(A[7], LD4(p, 192));               \
    A[8] = XOR(A[8], LD4(p, 200)); A[9] = XOR(A[9], LD4(p, 208));               \
    A[10] = XOR(A[10], LD4(p, 216)); A[11] = XOR(A[11], LD4(p, 224));           \
    A[12] = XOR(A[12], LD4(p, 232)); A[13] = XOR(A[13], LD4(p, 240));           \
    A[14] = XOR(A[14], LD4(p, 248));                                            \
    A[15] = XOR(A[15], BCAST(0x01));                                            \
    A[16] = XOR(A[16], BCAST(0x8000000000000000ull));                           \
    for (int r = 0; r < 24; r++) KECCAK_ROUND(A, g_rc[r]);                      \
    SQUEEZE4(A, out);                                                           \
  }                                                                             \
  TARGET static void pairs4_##SUF(uint8_t (*out)[32], const uint8_t (*in)[32]) { \
    const uint8_t *p[4] = {in[0], in[2], in[4], in[6]};                         \
    const uint8_t *q[4] = {in[1], in[3], in[5], in[7]};                         \
    V A[25];                                                                    \
    A[0] = LD4(p, 0); A[1] = LD4(p, 8); A[2] = LD4(p, 16); A[3] = LD4(p, 24);   \
    A[4] = LD4(q, 0); A[5] = LD4(q, 8); A[6] = LD4(q, 16); A[7] = LD4(q, 24);   \
    A[8] = BCAST(0x01);                                                         \
    A[9] = A[10] = A[11] = A[12] = A[13] = A[14] = A[15] = ZERO;                \
    A[16] = BCAST(0x8000000000000000ull);                                       \
    A[17] = A[18] = A[19] = A[20] = A[21] = A[22] = A[23] = A[24] = ZERO;       \
    for (int r = 0; r < 24; r++) KECCAK_ROUND(A, g_rc[r]);                      \
    SQUEEZE4(A, out);                                                           \
  }

/* clang-format on */

#define V __m256i
#define ZERO _mm256_setzero_si256()
#define BCAST(c) _mm256_set1_epi64x((long long)(c))
#define XOR(a, b) _mm256_xor_si256((a), (b))

/* AVX2: rotate by two shifts. */
#define XOR5(a, b, c, d, e) XOR(XOR(XOR(a, b), XOR(c, d)), e)
#define ROL(x, n) _mm256_or_si256(_mm256_slli_epi64((x), (n)), _mm256_srli_epi64((x), 64 - (n)))
#define CHI(a, b, c) XOR((a), _mm256_andnot_si256((b), (c)))
DEFINE_X4(avx2, __attribute__((target("avx2"))))
#undef XOR5
#undef ROL
#undef CHI

/* AVX-512VL: vprolq and vpternlogq (0x96 = a^b^c, 0xD2 = a ^ (~b & c)). */
#define XOR5(a, b, c, d, e) \
  _mm256_ternarylogic_epi64(_mm256_ternarylogic_epi64((a), (b), (c), 0x96), (d), (e), 0x96)
#define ROL(x, n) _mm256_rol_epi64((x), (n))
#define CHI(a, b, c) _mm256_ternarylogic_epi64((a), (b), (c), 0xD2)
DEFINE_X4(avx512, __attribute__((target("avx2,avx512f,avx512vl"))))
#undef XOR5
#undef ROL
#undef CHI
#endif

typedef void (*leaves4_fn)(uint8_t (*out)[32], const uint8_t *in);
typedef void (*pairs4_fn)(uint8_t (*out)[32], const uint8_t (*in)[32]);
static leaves4_fn g_leaves4;
static pairs4_fn g_pairs4;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void choose(void) {
  const char *force = getenv("ZG_MERKLE_LANES");
  if (force && strcmp(force, "1") == 0) return;
#ifdef ZG_MERKLE_X86
  __builtin_cpu_init();
  bool avx2_only = force && strcmp(force, "avx2") == 0;
  if (!avx2_only && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) {
    g_leaves4 = leaves4_avx512;
    g_pairs4 = pairs4_avx512;
    g_impl = "avx512x4";
  } else if (__builtin_cpu_supports("avx2")) {
    g_leaves4 = leaves4_avx2;
    g_pairs4 = pairs4_avx2;
    g_impl = "avx2x4";
  }
#endif
}

const char *zg__merkle_hash_impl(void) {
  pthread_once(&g_once, choose);
  return g_impl;
}

void zg__merkle_hash_leaves(uint8_t (*out)[32], const uint8_t *in, size_t n) {
  size_t i = 0;
  pthread_once(&g_once, choose);
  if (g_leaves4)
    for (; i + 4 <= n; i += 4) g_leaves4(out + i, in + 256 * i);
  for (; i < n; i++) zg_keccak256(out[i], in + 256 * i, 256);
}

void zg__merkle_hash_pairs(uint8_t (*out)[32], const uint8_t (*in)[32], size_t n) {
  size_t i = 0;
  pthread_once(&g_once, choose);
  if (g_pairs4)
    for (; i + 4 <= n; i += 4) g_pairs4(out + i, in + 2 * i);
  for (; i < n; i++) zg_keccak256_pair(out[i], in[2 * i], in[2 * i + 1]);
}

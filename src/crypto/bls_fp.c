/*
 * bls_fp.c — the BLS12-381 base field Fp, p = 0x1a0111ea...ffffaaab (381 bits).
 *
 * Elements are 6 little-endian 64-bit limbs in Montgomery form (a*R mod p,
 * R = 2^384) and always fully reduced (< p). Multiplication is CIOS
 * Montgomery with the "no final carry" shortcut, valid because the top limb
 * of p is below 2^63 - 1: the running value then never needs a 7th limb.
 *
 * Everything here is constant time in the field values: no branch and no
 * memory index depends on them. Exponentiations (inverse, square root,
 * Legendre symbol) use fixed public exponents, so their square-and-multiply
 * schedule is public. Outputs may alias inputs everywhere.
 */
#include <string.h>

#include "crypto/bls_field.h"
#include "crypto/bls_fp12.h"

typedef unsigned __int128 u128;

static const uint64_t P[6] = {0xb9feffffffffaaabull, 0x1eabfffeb153ffffull, 0x6730d2a0f6b0f624ull,
                              0x64774b84f38512bfull, 0x4b1ba7b6434bacd7ull, 0x1a0111ea397fe69aull};
/* -p^-1 mod 2^64. */
#define P_N0 0x89f3fffcfffcfffdull
/* R^2 mod p, to enter Montgomery form. */
static const zg_fp_t R2 = {{0xf4df1f341c341746ull, 0x0a76e6a609d104f1ull, 0x8de5476c4c95b6d5ull,
                            0x67eb88a9939d83c0ull, 0x9a793e85b519952dull, 0x11988fe592cae3aaull}};
/* 2^64 in Montgomery form (2^64 * R mod p), for Horner over 64-bit chunks. */
static const zg_fp_t M64 = {{0x42b7fde37dba9366ull, 0x7784894e27525bc3ull, 0xb2b91b9dc1f5b1e9ull,
                             0x206f497dfcafb872ull, 0x594137cc89a9b0bbull, 0x0411cd9d20d7e399ull}};
/* Public exponents: p - 2 (Fermat inverse), (p + 1) / 4 (square root),
 * (p - 1) / 2 (Legendre symbol, and the "lexicographically largest" bound). */
static const uint64_t P_MINUS_2[6] = {0xb9feffffffffaaa9ull, 0x1eabfffeb153ffffull, 0x6730d2a0f6b0f624ull,
                                      0x64774b84f38512bfull, 0x4b1ba7b6434bacd7ull, 0x1a0111ea397fe69aull};
static const uint64_t P_PLUS_1_DIV_4[6] = {0xee7fbfffffffeaabull, 0x07aaffffac54ffffull,
                                           0xd9cc34a83dac3d89ull, 0xd91dd2e13ce144afull,
                                           0x92c6e9ed90d2eb35ull, 0x0680447a8e5ff9a6ull};
static const uint64_t P_MINUS_1_DIV_2[6] = {0xdcff7fffffffd555ull, 0x0f55ffff58a9ffffull,
                                            0xb39869507b587b12ull, 0xb23ba5c279c2895full,
                                            0x258dd3db21a5d66bull, 0x0d0088f51cbff34dull};

const zg_fp_t zg__fp_zero = {{0, 0, 0, 0, 0, 0}};
const zg_fp_t zg__fp_one = {{0x760900000002fffdull, 0xebf4000bc40c0002ull, 0x5f48985753c758baull,
                             0x77ce585370525745ull, 0x5c071a97a256ec6dull, 0x15f65ec3fa80e493ull}};

/* ZG_VERIFY builds check that every element entering or leaving the core
 * operations is fully reduced (a violation is a bug here, never bad input). */
#ifdef ZG_VERIFY
#include <stdio.h>
#include <stdlib.h>
static void fp_verify(const zg_fp_t *a, const char *where) {
  uint64_t borrow = 0;
  for (int i = 0; i < 6; i++) {
    u128 x = (u128)a->l[i] - P[i] - borrow;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  if (!borrow) {
    fprintf(stderr, "zg: bls_fp invariant violated in %s: element >= p\n", where);
    abort();
  }
}
#define FP_VERIFY(a) fp_verify((a), __func__)
#else
#define FP_VERIFY(a) ((void)0)
#endif

/* r = t - p if t >= p else t; t < 2p. */
static inline void fp_reduce_once(uint64_t r[6], const uint64_t t[6]) {
  uint64_t d[6], borrow = 0;
  for (int i = 0; i < 6; i++) {
    u128 x = (u128)t[i] - P[i] - borrow;
    d[i] = (uint64_t)x;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  uint64_t keep = 0 - borrow; /* all ones when t < p */
  for (int i = 0; i < 6; i++) r[i] = (t[i] & keep) | (d[i] & ~keep);
}

static void fp_add_c(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) {
  uint64_t t[6];
  u128 c = 0;
  for (int i = 0; i < 6; i++) {
    c += (u128)a->l[i] + b->l[i];
    t[i] = (uint64_t)c;
    c >>= 64;
  }
  fp_reduce_once(r->l, t); /* a + b < 2p < 2^384: no carry out */
}

static void fp_sub_c(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) {
  uint64_t t[6], borrow = 0;
  for (int i = 0; i < 6; i++) {
    u128 x = (u128)a->l[i] - b->l[i] - borrow;
    t[i] = (uint64_t)x;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  uint64_t mask = 0 - borrow; /* add p back when a < b */
  u128 c = 0;
  for (int i = 0; i < 6; i++) {
    c += (u128)t[i] + (P[i] & mask);
    r->l[i] = (uint64_t)c;
    c >>= 64;
  }
}

void zg__fp_neg(zg_fp_t *r, const zg_fp_t *a) {
  /* p - a, then zero when a was zero (p - 0 = p is not reduced). */
  uint64_t acc = 0, t[6], borrow = 0;
  for (int i = 0; i < 6; i++) acc |= a->l[i];
  uint64_t nz = 0 - ((acc | (0 - acc)) >> 63);
  for (int i = 0; i < 6; i++) {
    u128 x = (u128)P[i] - a->l[i] - borrow;
    t[i] = (uint64_t)x;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  for (int i = 0; i < 6; i++) r->l[i] = t[i] & nz;
}

/* Montgomery product a*b/R mod p (CIOS, no-carry variant), a, b < p. */
static inline void fp_mont_mul(uint64_t r[6], const uint64_t a[6], const uint64_t b[6]) {
  uint64_t t[6] = {0, 0, 0, 0, 0, 0};
#pragma GCC unroll 6
  for (int i = 0; i < 6; i++) {
    u128 s = (u128)a[0] * b[i] + t[0];
    uint64_t A = (uint64_t)(s >> 64), t0 = (uint64_t)s;
    uint64_t m = t0 * P_N0;
    u128 c = (u128)m * P[0] + t0;
    uint64_t C = (uint64_t)(c >> 64);
#pragma GCC unroll 5
    for (int j = 1; j < 6; j++) {
      s = (u128)a[j] * b[i] + t[j] + A;
      A = (uint64_t)(s >> 64);
      c = (u128)m * P[j] + (uint64_t)s + C;
      C = (uint64_t)(c >> 64);
      t[j - 1] = (uint64_t)c;
    }
    t[5] = C + A;
  }
  fp_reduce_once(r, t);
}

/* x86-64 with BMI2 and ADX: the same CIOS Montgomery product, written with
 * mulx and the two independent carry chains of adcx/adox, about three times
 * faster than what compilers make of the C version. Picked at run time
 * (cpuid); the portable C path stays the reference and the fallback.
 * Registers: r8..r14 hold the 7-limb running value, renamed each round
 * instead of shifted; rbp is zero; rax/rbx take mulx halves. The final
 * subtraction of p is kept or dropped with cmov (constant time). */
#if defined(__x86_64__) && defined(__ELF__) && !defined(ZG_NO_ASM)
#define ZG_FP_ASM 1
#include <cpuid.h>

void zg__fp_mont_mul_adx(uint64_t r[6], const uint64_t a[6], const uint64_t b[6]);
/* Squaring: the 15 cross products once, doubled, plus the 6 squares (21
 * mulx instead of 36), then Montgomery reduction of the low half and
 * addition of the high half (REDC(t) = REDC(t_lo) + t_hi mod p). */
void zg__fp_sqr_adx(uint64_t r[6], const uint64_t a[6]);
/* Plain x86-64 (adc/sbb/cmov) addition and subtraction mod p. */
void zg__fp_add_x64(uint64_t r[6], const uint64_t a[6], const uint64_t b[6]);
void zg__fp_sub_x64(uint64_t r[6], const uint64_t a[6], const uint64_t b[6]);
__asm__(
    ".pushsection .text\n"
    ".p2align 5\n"
    ".globl zg__fp_mont_mul_adx\n"
    ".hidden zg__fp_mont_mul_adx\n"
    ".type zg__fp_mont_mul_adx,@function\n"
    "zg__fp_mont_mul_adx:\n"
    "pushq %rbx\n"
    "pushq %rbp\n"
    "pushq %r12\n"
    "pushq %r13\n"
    "pushq %r14\n"
    "movq %rdx, %rcx\n"
    "xorl %ebp, %ebp\n"
    "xorl %r8d, %r8d\n"
    "xorl %r9d, %r9d\n"
    "xorl %r10d, %r10d\n"
    "xorl %r11d, %r11d\n"
    "xorl %r12d, %r12d\n"
    "xorl %r13d, %r13d\n"
    "xorl %r14d, %r14d\n"
    "movq 0(%rcx), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq 0(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq 8(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq 16(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq 24(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq 32(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq 40(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "adoxq %rbp, %r14\n"
    "movq %r8, %rdx\n"
    "imulq .Lzg_fp_n0(%rip), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq .Lzg_fp_p+0(%rip), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq .Lzg_fp_p+8(%rip), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq .Lzg_fp_p+16(%rip), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq .Lzg_fp_p+24(%rip), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq .Lzg_fp_p+32(%rip), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq .Lzg_fp_p+40(%rip), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "adoxq %rbp, %r14\n"
    "movq 8(%rcx), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq 0(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq 8(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq 16(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq 24(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq 32(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq 40(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "adoxq %rbp, %r8\n"
    "movq %r9, %rdx\n"
    "imulq .Lzg_fp_n0(%rip), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq .Lzg_fp_p+0(%rip), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq .Lzg_fp_p+8(%rip), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq .Lzg_fp_p+16(%rip), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq .Lzg_fp_p+24(%rip), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq .Lzg_fp_p+32(%rip), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq .Lzg_fp_p+40(%rip), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "adoxq %rbp, %r8\n"
    "movq 16(%rcx), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq 0(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq 8(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq 16(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq 24(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq 32(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq 40(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "adoxq %rbp, %r9\n"
    "movq %r10, %rdx\n"
    "imulq .Lzg_fp_n0(%rip), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq .Lzg_fp_p+0(%rip), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq .Lzg_fp_p+8(%rip), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq .Lzg_fp_p+16(%rip), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq .Lzg_fp_p+24(%rip), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq .Lzg_fp_p+32(%rip), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq .Lzg_fp_p+40(%rip), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "adoxq %rbp, %r9\n"
    "movq 24(%rcx), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq 0(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq 8(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq 16(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq 24(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq 32(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq 40(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "adoxq %rbp, %r10\n"
    "movq %r11, %rdx\n"
    "imulq .Lzg_fp_n0(%rip), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq .Lzg_fp_p+0(%rip), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq .Lzg_fp_p+8(%rip), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq .Lzg_fp_p+16(%rip), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq .Lzg_fp_p+24(%rip), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq .Lzg_fp_p+32(%rip), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq .Lzg_fp_p+40(%rip), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "adoxq %rbp, %r10\n"
    "movq 32(%rcx), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq 0(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq 8(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq 16(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq 24(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq 32(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq 40(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "adoxq %rbp, %r11\n"
    "movq %r12, %rdx\n"
    "imulq .Lzg_fp_n0(%rip), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq .Lzg_fp_p+0(%rip), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq .Lzg_fp_p+8(%rip), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq .Lzg_fp_p+16(%rip), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq .Lzg_fp_p+24(%rip), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq .Lzg_fp_p+32(%rip), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq .Lzg_fp_p+40(%rip), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "adoxq %rbp, %r11\n"
    "movq 40(%rcx), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq 0(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq 8(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq 16(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq 24(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq 32(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq 40(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "adoxq %rbp, %r12\n"
    "movq %r13, %rdx\n"
    "imulq .Lzg_fp_n0(%rip), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq .Lzg_fp_p+0(%rip), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq .Lzg_fp_p+8(%rip), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq .Lzg_fp_p+16(%rip), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq .Lzg_fp_p+24(%rip), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq .Lzg_fp_p+32(%rip), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq .Lzg_fp_p+40(%rip), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "adoxq %rbp, %r12\n"
    "movq %r14, 0(%rdi)\n"
    "movq %r8, 8(%rdi)\n"
    "movq %r9, 16(%rdi)\n"
    "movq %r10, 24(%rdi)\n"
    "movq %r11, 32(%rdi)\n"
    "movq %r12, 40(%rdi)\n"
    "subq .Lzg_fp_p(%rip), %r14\n"
    "sbbq .Lzg_fp_p+8(%rip), %r8\n"
    "sbbq .Lzg_fp_p+16(%rip), %r9\n"
    "sbbq .Lzg_fp_p+24(%rip), %r10\n"
    "sbbq .Lzg_fp_p+32(%rip), %r11\n"
    "sbbq .Lzg_fp_p+40(%rip), %r12\n"
    "cmovcq 0(%rdi), %r14\n"
    "cmovcq 8(%rdi), %r8\n"
    "cmovcq 16(%rdi), %r9\n"
    "cmovcq 24(%rdi), %r10\n"
    "cmovcq 32(%rdi), %r11\n"
    "cmovcq 40(%rdi), %r12\n"
    "movq %r14, 0(%rdi)\n"
    "movq %r8, 8(%rdi)\n"
    "movq %r9, 16(%rdi)\n"
    "movq %r10, 24(%rdi)\n"
    "movq %r11, 32(%rdi)\n"
    "movq %r12, 40(%rdi)\n"
    "popq %r14\n"
    "popq %r13\n"
    "popq %r12\n"
    "popq %rbp\n"
    "popq %rbx\n"
    "ret\n"
    ".size zg__fp_mont_mul_adx, .-zg__fp_mont_mul_adx\n"
    ".p2align 4\n"
    ".globl zg__fp_add_x64\n"
    ".hidden zg__fp_add_x64\n"
    ".type zg__fp_add_x64,@function\n"
    "zg__fp_add_x64:\n"
    "movq 0(%rsi), %r8\n"
    "movq 8(%rsi), %r9\n"
    "movq 16(%rsi), %r10\n"
    "movq 24(%rsi), %r11\n"
    "movq 32(%rsi), %rax\n"
    "movq 40(%rsi), %rcx\n"
    "addq (%rdx), %r8\n"
    "adcq 8(%rdx), %r9\n"
    "adcq 16(%rdx), %r10\n"
    "adcq 24(%rdx), %r11\n"
    "adcq 32(%rdx), %rax\n"
    "adcq 40(%rdx), %rcx\n"
    "movq %r8, 0(%rdi)\n"
    "movq %r9, 8(%rdi)\n"
    "movq %r10, 16(%rdi)\n"
    "movq %r11, 24(%rdi)\n"
    "movq %rax, 32(%rdi)\n"
    "movq %rcx, 40(%rdi)\n"
    "subq .Lzg_fp_p(%rip), %r8\n"
    "sbbq .Lzg_fp_p+8(%rip), %r9\n"
    "sbbq .Lzg_fp_p+16(%rip), %r10\n"
    "sbbq .Lzg_fp_p+24(%rip), %r11\n"
    "sbbq .Lzg_fp_p+32(%rip), %rax\n"
    "sbbq .Lzg_fp_p+40(%rip), %rcx\n"
    "cmovcq 0(%rdi), %r8\n"
    "cmovcq 8(%rdi), %r9\n"
    "cmovcq 16(%rdi), %r10\n"
    "cmovcq 24(%rdi), %r11\n"
    "cmovcq 32(%rdi), %rax\n"
    "cmovcq 40(%rdi), %rcx\n"
    "movq %r8, 0(%rdi)\n"
    "movq %r9, 8(%rdi)\n"
    "movq %r10, 16(%rdi)\n"
    "movq %r11, 24(%rdi)\n"
    "movq %rax, 32(%rdi)\n"
    "movq %rcx, 40(%rdi)\n"
    "ret\n"
    ".size zg__fp_add_x64, .-zg__fp_add_x64\n"
    ".p2align 4\n"
    ".globl zg__fp_sub_x64\n"
    ".hidden zg__fp_sub_x64\n"
    ".type zg__fp_sub_x64,@function\n"
    "zg__fp_sub_x64:\n"
    "movq 0(%rsi), %r8\n"
    "movq 8(%rsi), %r9\n"
    "movq 16(%rsi), %r10\n"
    "movq 24(%rsi), %r11\n"
    "movq 32(%rsi), %rax\n"
    "movq 40(%rsi), %rcx\n"
    "subq (%rdx), %r8\n"
    "sbbq 8(%rdx), %r9\n"
    "sbbq 16(%rdx), %r10\n"
    "sbbq 24(%rdx), %r11\n"
    "sbbq 32(%rdx), %rax\n"
    "sbbq 40(%rdx), %rcx\n"
    "sbbq %rsi, %rsi\n"
    "movq %r8, 0(%rdi)\n"
    "movq %r9, 8(%rdi)\n"
    "movq %r10, 16(%rdi)\n"
    "movq %r11, 24(%rdi)\n"
    "movq %rax, 32(%rdi)\n"
    "movq %rcx, 40(%rdi)\n"
    "addq .Lzg_fp_p(%rip), %r8\n"
    "adcq .Lzg_fp_p+8(%rip), %r9\n"
    "adcq .Lzg_fp_p+16(%rip), %r10\n"
    "adcq .Lzg_fp_p+24(%rip), %r11\n"
    "adcq .Lzg_fp_p+32(%rip), %rax\n"
    "adcq .Lzg_fp_p+40(%rip), %rcx\n"
    "testq %rsi, %rsi\n"
    "cmovzq 0(%rdi), %r8\n"
    "cmovzq 8(%rdi), %r9\n"
    "cmovzq 16(%rdi), %r10\n"
    "cmovzq 24(%rdi), %r11\n"
    "cmovzq 32(%rdi), %rax\n"
    "cmovzq 40(%rdi), %rcx\n"
    "movq %r8, 0(%rdi)\n"
    "movq %r9, 8(%rdi)\n"
    "movq %r10, 16(%rdi)\n"
    "movq %r11, 24(%rdi)\n"
    "movq %rax, 32(%rdi)\n"
    "movq %rcx, 40(%rdi)\n"
    "ret\n"
    ".size zg__fp_sub_x64, .-zg__fp_sub_x64\n"
    ".p2align 5\n"
    ".globl zg__fp_sqr_adx\n"
    ".hidden zg__fp_sqr_adx\n"
    ".type zg__fp_sqr_adx,@function\n"
    "zg__fp_sqr_adx:\n"
    "pushq %rbx\n"
    "pushq %rbp\n"
    "pushq %r12\n"
    "pushq %r13\n"
    "pushq %r14\n"
    "subq $96, %rsp\n"
    "xorl %ebp, %ebp\n"
    "xorl %r8d, %r8d\n"
    "xorl %r9d, %r9d\n"
    "xorl %r10d, %r10d\n"
    "xorl %r11d, %r11d\n"
    "xorl %r12d, %r12d\n"
    "xorl %r13d, %r13d\n"
    "xorl %r14d, %r14d\n"
    "movq 0(%rsi), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq 8(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq 16(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq 24(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq 32(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq 40(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "adoxq %rbp, %r14\n"
    "movq %r8, 0(%rsp)\n"
    "xorl %r8d, %r8d\n"
    "movq 8(%rsi), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq 16(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq 24(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq 32(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq 40(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "adoxq %rbp, %r8\n"
    "movq %r9, 8(%rsp)\n"
    "xorl %r9d, %r9d\n"
    "movq 16(%rsi), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq 24(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq 32(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq 40(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "adoxq %rbp, %r9\n"
    "movq %r10, 16(%rsp)\n"
    "xorl %r10d, %r10d\n"
    "movq 24(%rsi), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq 32(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq 40(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "adoxq %rbp, %r10\n"
    "movq %r11, 24(%rsp)\n"
    "xorl %r11d, %r11d\n"
    "movq 32(%rsi), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq 40(%rsi), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "adoxq %rbp, %r11\n"
    "movq %r12, 32(%rsp)\n"
    "xorl %r12d, %r12d\n"
    "movq %r13, 40(%rsp)\n"
    "movq %r14, 48(%rsp)\n"
    "movq %r8, 56(%rsp)\n"
    "movq %r9, 64(%rsp)\n"
    "movq %r10, 72(%rsp)\n"
    "movq %r11, 80(%rsp)\n"
    "movq %r12, 88(%rsp)\n"
    "xorl %eax, %eax\n"
    "movq 0(%rsi), %rdx\n"
    "mulxq %rdx, %rax, %rbx\n"
    "movq 0(%rsp), %r8\n"
    "movq 8(%rsp), %r9\n"
    "adcxq %r8, %r8\n"
    "adcxq %r9, %r9\n"
    "adoxq %rax, %r8\n"
    "adoxq %rbx, %r9\n"
    "movq %r8, 0(%rsp)\n"
    "movq %r9, 8(%rsp)\n"
    "movq 8(%rsi), %rdx\n"
    "mulxq %rdx, %rax, %rbx\n"
    "movq 16(%rsp), %r8\n"
    "movq 24(%rsp), %r9\n"
    "adcxq %r8, %r8\n"
    "adcxq %r9, %r9\n"
    "adoxq %rax, %r8\n"
    "adoxq %rbx, %r9\n"
    "movq %r8, 16(%rsp)\n"
    "movq %r9, 24(%rsp)\n"
    "movq 16(%rsi), %rdx\n"
    "mulxq %rdx, %rax, %rbx\n"
    "movq 32(%rsp), %r8\n"
    "movq 40(%rsp), %r9\n"
    "adcxq %r8, %r8\n"
    "adcxq %r9, %r9\n"
    "adoxq %rax, %r8\n"
    "adoxq %rbx, %r9\n"
    "movq %r8, 32(%rsp)\n"
    "movq %r9, 40(%rsp)\n"
    "movq 24(%rsi), %rdx\n"
    "mulxq %rdx, %rax, %rbx\n"
    "movq 48(%rsp), %r8\n"
    "movq 56(%rsp), %r9\n"
    "adcxq %r8, %r8\n"
    "adcxq %r9, %r9\n"
    "adoxq %rax, %r8\n"
    "adoxq %rbx, %r9\n"
    "movq %r8, 48(%rsp)\n"
    "movq %r9, 56(%rsp)\n"
    "movq 32(%rsi), %rdx\n"
    "mulxq %rdx, %rax, %rbx\n"
    "movq 64(%rsp), %r8\n"
    "movq 72(%rsp), %r9\n"
    "adcxq %r8, %r8\n"
    "adcxq %r9, %r9\n"
    "adoxq %rax, %r8\n"
    "adoxq %rbx, %r9\n"
    "movq %r8, 64(%rsp)\n"
    "movq %r9, 72(%rsp)\n"
    "movq 40(%rsi), %rdx\n"
    "mulxq %rdx, %rax, %rbx\n"
    "movq 80(%rsp), %r8\n"
    "movq 88(%rsp), %r9\n"
    "adcxq %r8, %r8\n"
    "adcxq %r9, %r9\n"
    "adoxq %rax, %r8\n"
    "adoxq %rbx, %r9\n"
    "movq %r8, 80(%rsp)\n"
    "movq %r9, 88(%rsp)\n"
    "movq 0(%rsp), %r8\n"
    "movq 8(%rsp), %r9\n"
    "movq 16(%rsp), %r10\n"
    "movq 24(%rsp), %r11\n"
    "movq 32(%rsp), %r12\n"
    "movq 40(%rsp), %r13\n"
    "xorl %r14d, %r14d\n"
    "movq %r8, %rdx\n"
    "imulq .Lzg_fp_n0(%rip), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq .Lzg_fp_p+0(%rip), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq .Lzg_fp_p+8(%rip), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq .Lzg_fp_p+16(%rip), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq .Lzg_fp_p+24(%rip), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq .Lzg_fp_p+32(%rip), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq .Lzg_fp_p+40(%rip), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "adoxq %rbp, %r14\n"
    "movq %r9, %rdx\n"
    "imulq .Lzg_fp_n0(%rip), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq .Lzg_fp_p+0(%rip), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq .Lzg_fp_p+8(%rip), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq .Lzg_fp_p+16(%rip), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq .Lzg_fp_p+24(%rip), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq .Lzg_fp_p+32(%rip), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq .Lzg_fp_p+40(%rip), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "adoxq %rbp, %r8\n"
    "movq %r10, %rdx\n"
    "imulq .Lzg_fp_n0(%rip), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq .Lzg_fp_p+0(%rip), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq .Lzg_fp_p+8(%rip), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq .Lzg_fp_p+16(%rip), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq .Lzg_fp_p+24(%rip), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq .Lzg_fp_p+32(%rip), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq .Lzg_fp_p+40(%rip), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "adoxq %rbp, %r9\n"
    "movq %r11, %rdx\n"
    "imulq .Lzg_fp_n0(%rip), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq .Lzg_fp_p+0(%rip), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "mulxq .Lzg_fp_p+8(%rip), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq .Lzg_fp_p+16(%rip), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq .Lzg_fp_p+24(%rip), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq .Lzg_fp_p+32(%rip), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq .Lzg_fp_p+40(%rip), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "adoxq %rbp, %r10\n"
    "movq %r12, %rdx\n"
    "imulq .Lzg_fp_n0(%rip), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq .Lzg_fp_p+0(%rip), %rax, %rbx\n"
    "adoxq %rax, %r12\n"
    "adcxq %rbx, %r13\n"
    "mulxq .Lzg_fp_p+8(%rip), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq .Lzg_fp_p+16(%rip), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq .Lzg_fp_p+24(%rip), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq .Lzg_fp_p+32(%rip), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq .Lzg_fp_p+40(%rip), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "adoxq %rbp, %r11\n"
    "movq %r13, %rdx\n"
    "imulq .Lzg_fp_n0(%rip), %rdx\n"
    "xorl %eax, %eax\n"
    "mulxq .Lzg_fp_p+0(%rip), %rax, %rbx\n"
    "adoxq %rax, %r13\n"
    "adcxq %rbx, %r14\n"
    "mulxq .Lzg_fp_p+8(%rip), %rax, %rbx\n"
    "adoxq %rax, %r14\n"
    "adcxq %rbx, %r8\n"
    "mulxq .Lzg_fp_p+16(%rip), %rax, %rbx\n"
    "adoxq %rax, %r8\n"
    "adcxq %rbx, %r9\n"
    "mulxq .Lzg_fp_p+24(%rip), %rax, %rbx\n"
    "adoxq %rax, %r9\n"
    "adcxq %rbx, %r10\n"
    "mulxq .Lzg_fp_p+32(%rip), %rax, %rbx\n"
    "adoxq %rax, %r10\n"
    "adcxq %rbx, %r11\n"
    "mulxq .Lzg_fp_p+40(%rip), %rax, %rbx\n"
    "adoxq %rax, %r11\n"
    "adcxq %rbx, %r12\n"
    "adoxq %rbp, %r12\n"
    "addq 48(%rsp), %r14\n"
    "adcq 56(%rsp), %r8\n"
    "adcq 64(%rsp), %r9\n"
    "adcq 72(%rsp), %r10\n"
    "adcq 80(%rsp), %r11\n"
    "adcq 88(%rsp), %r12\n"
    "movq %r14, 0(%rdi)\n"
    "movq %r8, 8(%rdi)\n"
    "movq %r9, 16(%rdi)\n"
    "movq %r10, 24(%rdi)\n"
    "movq %r11, 32(%rdi)\n"
    "movq %r12, 40(%rdi)\n"
    "subq .Lzg_fp_p(%rip), %r14\n"
    "sbbq .Lzg_fp_p+8(%rip), %r8\n"
    "sbbq .Lzg_fp_p+16(%rip), %r9\n"
    "sbbq .Lzg_fp_p+24(%rip), %r10\n"
    "sbbq .Lzg_fp_p+32(%rip), %r11\n"
    "sbbq .Lzg_fp_p+40(%rip), %r12\n"
    "cmovcq 0(%rdi), %r14\n"
    "cmovcq 8(%rdi), %r8\n"
    "cmovcq 16(%rdi), %r9\n"
    "cmovcq 24(%rdi), %r10\n"
    "cmovcq 32(%rdi), %r11\n"
    "cmovcq 40(%rdi), %r12\n"
    "movq %r14, 0(%rdi)\n"
    "movq %r8, 8(%rdi)\n"
    "movq %r9, 16(%rdi)\n"
    "movq %r10, 24(%rdi)\n"
    "movq %r11, 32(%rdi)\n"
    "movq %r12, 40(%rdi)\n"
    "addq $96, %rsp\n"
    "popq %r14\n"
    "popq %r13\n"
    "popq %r12\n"
    "popq %rbp\n"
    "popq %rbx\n"
    "ret\n"
    ".size zg__fp_sqr_adx, .-zg__fp_sqr_adx\n"
    ".popsection\n"
    ".pushsection .rodata\n"
    ".p2align 3\n"
    ".Lzg_fp_p:\n"
    ".quad 0xb9feffffffffaaab\n"
    ".quad 0x1eabfffeb153ffff\n"
    ".quad 0x6730d2a0f6b0f624\n"
    ".quad 0x64774b84f38512bf\n"
    ".quad 0x4b1ba7b6434bacd7\n"
    ".quad 0x1a0111ea397fe69a\n"
    ".Lzg_fp_n0:\n"
    ".quad 0x89f3fffcfffcfffd\n"
    ".popsection\n");

static int fp_have_adx;
int zg__fp_have_adx; /* the same flag, for bls_fp2.c */

__attribute__((constructor)) static void fp_detect_cpu(void) {
  unsigned eax, ebx, ecx, edx;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
    fp_have_adx = ((ebx >> 8) & 1) && ((ebx >> 19) & 1); /* BMI2 (mulx) and ADX */
    zg__fp_have_adx = fp_have_adx;
  }
}
#else
#define ZG_FP_ASM 0
int zg__fp_have_adx;
#endif

void zg__fp_mul(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) {
  FP_VERIFY(a);
  FP_VERIFY(b);
#if ZG_FP_ASM
  if (fp_have_adx) {
    zg__fp_mont_mul_adx(r->l, a->l, b->l);
    FP_VERIFY(r);
    return;
  }
#endif
  fp_mont_mul(r->l, a->l, b->l);
  FP_VERIFY(r);
}

void zg__fp_sqr(zg_fp_t *r, const zg_fp_t *a) {
  FP_VERIFY(a);
#if ZG_FP_ASM
  if (fp_have_adx) {
    zg__fp_sqr_adx(r->l, a->l);
    FP_VERIFY(r);
    return;
  }
#endif
  fp_mont_mul(r->l, a->l, a->l);
  FP_VERIFY(r);
}

void zg__fp_add(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) {
  FP_VERIFY(a);
  FP_VERIFY(b);
#if ZG_FP_ASM
  zg__fp_add_x64(r->l, a->l, b->l);
#else
  fp_add_c(r, a, b);
#endif
  FP_VERIFY(r);
}

void zg__fp_sub(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) {
  FP_VERIFY(a);
  FP_VERIFY(b);
#if ZG_FP_ASM
  zg__fp_sub_x64(r->l, a->l, b->l);
#else
  fp_sub_c(r, a, b);
#endif
  FP_VERIFY(r);
}

void zg__fp_dbl(zg_fp_t *r, const zg_fp_t *a) { zg__fp_add(r, a, a); }

void zg__fp_add_portable(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) { fp_add_c(r, a, b); }

void zg__fp_sub_portable(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) { fp_sub_c(r, a, b); }

void zg__fp_mul_portable(zg_fp_t *r, const zg_fp_t *a, const zg_fp_t *b) { fp_mont_mul(r->l, a->l, b->l); }

/* 768-bit product and Montgomery reduction, for lazily reduced extension
 * arithmetic (see bls_fp12.h). */
void zg__fp_mul_wide(uint64_t r[12], const zg_fp_t *a, const zg_fp_t *b) {
  uint64_t t[12] = {0};
  for (int i = 0; i < 6; i++) {
    uint64_t c = 0;
    for (int j = 0; j < 6; j++) {
      u128 s = (u128)a->l[j] * b->l[i] + t[i + j] + c;
      t[i + j] = (uint64_t)s;
      c = (uint64_t)(s >> 64);
    }
    t[i + 6] = c;
  }
  memcpy(r, t, sizeof t);
}

void zg__fp_redc(zg_fp_t *r, const uint64_t in[12]) {
  /* Input < p*R; output in*R^-1 mod p. */
  uint64_t t[12];
  memcpy(t, in, sizeof t);
  uint64_t hi = 0; /* carry into limb i + 6 from the previous round */
  for (int i = 0; i < 6; i++) {
    uint64_t m = t[i] * P_N0, c = 0;
    for (int j = 0; j < 6; j++) {
      u128 s = (u128)m * P[j] + t[i + j] + c;
      t[i + j] = (uint64_t)s;
      c = (uint64_t)(s >> 64);
    }
    u128 s = (u128)t[i + 6] + c + hi;
    t[i + 6] = (uint64_t)s;
    hi = (uint64_t)(s >> 64);
  }
  fp_reduce_once(r->l, t + 6); /* < 2p since in < p*R */
  FP_VERIFY(r);
}

void zg__fp_cmov(zg_fp_t *r, const zg_fp_t *a, bool c) {
  uint64_t mask = 0 - (uint64_t)c;
  for (int i = 0; i < 6; i++) r->l[i] = (r->l[i] & ~mask) | (a->l[i] & mask);
}

bool zg__fp_is_zero(const zg_fp_t *a) {
  uint64_t acc = 0;
  for (int i = 0; i < 6; i++) acc |= a->l[i];
  return (bool)(1 ^ ((acc | (0 - acc)) >> 63));
}

bool zg__fp_eq(const zg_fp_t *a, const zg_fp_t *b) {
  uint64_t acc = 0;
  for (int i = 0; i < 6; i++) acc |= a->l[i] ^ b->l[i];
  return (bool)(1 ^ ((acc | (0 - acc)) >> 63));
}

/* a^e for a public exponent e (6 limbs), fixed 4-bit windows. */
void zg__fp_pow_pub(zg_fp_t *r, const zg_fp_t *a, const uint64_t e[6]) {
  zg_fp_t tab[16], acc;
  tab[0] = zg__fp_one;
  tab[1] = *a;
  for (int i = 2; i < 16; i++) zg__fp_mul(&tab[i], &tab[i - 1], a);
  acc = zg__fp_one;
  for (int i = 95; i >= 0; i--) {
    for (int k = 0; k < 4; k++) zg__fp_sqr(&acc, &acc);
    unsigned w = (unsigned)(e[i / 16] >> (4 * (i % 16))) & 15;
    if (w) zg__fp_mul(&acc, &acc, &tab[w]); /* branch on the public exponent only */
  }
  *r = acc;
}

void zg__fp_inv(zg_fp_t *r, const zg_fp_t *a) { zg__fp_pow_pub(r, a, P_MINUS_2); }

bool zg__fp_sqrt(zg_fp_t *r, const zg_fp_t *a) {
  zg_fp_t s, c;
  zg__fp_pow_pub(&s, a, P_PLUS_1_DIV_4);
  zg__fp_sqr(&c, &s);
  *r = s;
  return zg__fp_eq(&c, a);
}

bool zg__fp_is_square(const zg_fp_t *a) {
  zg_fp_t l;
  zg__fp_pow_pub(&l, a, P_MINUS_1_DIV_2);
  return (bool)((int)zg__fp_eq(&l, &zg__fp_one) | (int)zg__fp_is_zero(a));
}

/* The canonical integer of a (out of Montgomery form). */
static void fp_to_int(uint64_t out[6], const zg_fp_t *a) {
  static const uint64_t one[6] = {1, 0, 0, 0, 0, 0};
  fp_mont_mul(out, a->l, one);
}

int zg__fp_sgn0(const zg_fp_t *a) {
  uint64_t t[6];
  fp_to_int(t, a);
  return (int)(t[0] & 1);
}

bool zg__fp_is_lex_largest(const zg_fp_t *a) {
  uint64_t t[6], borrow = 0;
  fp_to_int(t, a);
  for (int i = 0; i < 6; i++) { /* (p-1)/2 - a borrows iff a > (p-1)/2 */
    u128 x = (u128)P_MINUS_1_DIV_2[i] - t[i] - borrow;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  return (bool)borrow;
}

static uint64_t load_be64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}

static void store_be64(uint8_t *p, uint64_t v) {
  for (int i = 7; i >= 0; i--) {
    p[i] = (uint8_t)v;
    v >>= 8;
  }
}

zg_err_t zg__fp_from_be48(zg_fp_t *r, const uint8_t in[48]) {
  uint64_t t[6], borrow = 0;
  for (int i = 0; i < 6; i++) t[i] = load_be64(in + 8 * (5 - i));
  for (int i = 0; i < 6; i++) { /* t - p borrows iff t < p */
    u128 x = (u128)t[i] - P[i] - borrow;
    borrow = (uint64_t)(x >> 64) & 1;
  }
  if (!borrow) {
    *r = zg__fp_zero;
    return ZG_EFIELD;
  }
  fp_mont_mul(r->l, t, R2.l);
  return ZG_OK;
}

void zg__fp_to_be48(uint8_t out[48], const zg_fp_t *a) {
  uint64_t t[6];
  fp_to_int(t, a);
  for (int i = 0; i < 6; i++) store_be64(out + 8 * (5 - i), t[i]);
}

void zg__fp_from_u64(zg_fp_t *r, uint64_t v) {
  uint64_t t[6] = {v, 0, 0, 0, 0, 0};
  fp_mont_mul(r->l, t, R2.l);
}

void zg__fp_from_be64_reduce(zg_fp_t *r, const uint8_t in[64]) {
  /* Horner over the eight 64-bit chunks: acc = acc * 2^64 + chunk. */
  zg_fp_t acc = zg__fp_zero, c;
  for (int i = 0; i < 8; i++) {
    zg__fp_mul(&acc, &acc, &M64);
    zg__fp_from_u64(&c, load_be64(in + 8 * i));
    zg__fp_add(&acc, &acc, &c);
  }
  *r = acc;
}

#!/usr/bin/env python3
"""gen_bls_asm.py — writes src/crypto/bls_asm_x86_64.c, the x86-64 kernels of
the BLS12-381 field arithmetic (Fp, Fp2, Fr), as one top-level asm block.

    python3 tools/gen_bls_asm.py > src/crypto/bls_asm_x86_64.c

The kernels are unrolled straight-line code, so they are generated rather
than written by hand; the register renaming below is the part worth reading.

Montgomery products are CIOS with the "no final carry" shortcut (the top limb
of p and of r is below 2^63 - 1): the running value needs n + 1 limbs, held in
n + 1 registers that are renamed each round instead of shifted. Each round
adds a * b[i] with mulx and two independent carry chains (adox for the low
halves, adcx for the high halves), then m * modulus with m = t0 * n0. The
final conditional subtraction stores t, computes t - modulus in registers and
restores t with cmov from memory when the subtraction borrowed, so nothing
branches on values. REDC of a 2n-limb t is REDC(t_lo) + t_hi (one
subtraction then suffices, as REDC(t_lo) <= modulus and t_hi < modulus).
"""

FP_P = ["0xb9feffffffffaaab", "0x1eabfffeb153ffff", "0x6730d2a0f6b0f624",
        "0x64774b84f38512bf", "0x4b1ba7b6434bacd7", "0x1a0111ea397fe69a"]
FP_N0 = "0x89f3fffcfffcfffd"
FR_R = ["0xffffffff00000001", "0x53bda402fffe5bfe", "0x3339d80809a1d805", "0x73eda753299d7d48"]
FR_N0 = "0xfffffffeffffffff"

L = []


def e(s):
    L.append(s)


def zero(r):
    e("xorl %%%sd, %%%sd" % (r[1:], r[1:]))


def fn_begin(name, align=5):
    e(".p2align %d" % align)
    e(".globl " + name)
    e(".hidden " + name)
    e(".type %s,@function" % name)
    e(name + ":")


def fn_end(name):
    e("ret")
    e(".size %s, .-%s" % (name, name))


def mont_rounds(regs, n, mod, n0, a_op=None, b_op=None):
    """n rounds of CIOS on the window regs (n + 1 registers, all zero or
    holding t with the top one zero). With a_op/b_op: t += a * b[i] first."""
    for i in range(n):
        T = [regs[(i + k) % (n + 1)] for k in range(n + 1)]
        if a_op:
            e("movq %s, %%rdx" % b_op(i))
            e("xorl %eax, %eax")
            for j in range(n):
                e("mulxq %s, %%rax, %%rbx" % a_op(j))
                e("adoxq %%rax, %s" % T[j])
                e("adcxq %%rbx, %s" % T[j + 1])
            e("adoxq %%rbp, %s" % T[n])
        e("movq %s, %%rdx" % T[0])
        e("imulq %s(%%rip), %%rdx" % n0)
        e("xorl %eax, %eax")
        for j in range(n):
            e("mulxq %s+%d(%%rip), %%rax, %%rbx" % (mod, 8 * j))
            e("adoxq %%rax, %s" % T[j])
            e("adcxq %%rbx, %s" % T[j + 1])
        e("adoxq %%rbp, %s" % T[n])
    return [regs[(n + k) % (n + 1)] for k in range(n)]


def cond_sub_store(F, mod, out):
    """out = F - mod if F >= mod else F (F < 2 mod), through memory at out(k)."""
    n = len(F)
    for k in range(n):
        e("movq %s, %s" % (F[k], out(k)))
    e("subq %s(%%rip), %s" % (mod, F[0]))
    for k in range(1, n):
        e("sbbq %s+%d(%%rip), %s" % (mod, 8 * k, F[k]))
    for k in range(n):
        e("cmovcq %s, %s" % (out(k), F[k]))
    for k in range(n):
        e("movq %s, %s" % (F[k], out(k)))


SAVED = ["%rbx", "%rbp", "%r12", "%r13", "%r14"]


def mont_mul(name, n, mod, n0):
    regs = ["%r8", "%r9", "%r10", "%r11", "%r12", "%r13", "%r14"][: n + 1]
    saved = SAVED[: 2 + max(0, n + 1 - 4)]
    fn_begin(name)
    for r in saved:
        e("pushq " + r)
    e("movq %rdx, %rcx")
    e("xorl %ebp, %ebp")
    for r in regs:
        zero(r)
    F = mont_rounds(regs, n, mod, n0, lambda j: "%d(%%rsi)" % (8 * j), lambda i: "%d(%%rcx)" % (8 * i))
    cond_sub_store(F, mod, lambda k: "%d(%%rdi)" % (8 * k))
    for r in reversed(saved):
        e("popq " + r)
    fn_end(name)


def add_sub(name, n, mod, sub):
    R = ["%r8", "%r9", "%r10", "%r11", "%rax", "%rcx"][:n]
    fn_begin(name, 4)
    for k in range(n):
        e("movq %d(%%rsi), %s" % (8 * k, R[k]))
    e("%s (%%rdx), %s" % ("subq" if sub else "addq", R[0]))
    for k in range(1, n):
        e("%s %d(%%rdx), %s" % ("sbbq" if sub else "adcq", 8 * k, R[k]))
    if not sub:
        # a + b < 2 mod: subtract mod, keep the sum when that borrows.
        cond_sub_store(R, mod, lambda k: "%d(%%rdi)" % (8 * k))
    else:
        # a - b: add mod back when it borrowed (rsi = all ones then).
        e("sbbq %rsi, %rsi")
        for k in range(n):
            e("movq %s, %d(%%rdi)" % (R[k], 8 * k))
        e("addq %s(%%rip), %s" % (mod, R[0]))
        for k in range(1, n):
            e("adcq %s+%d(%%rip), %s" % (mod, 8 * k, R[k]))
        e("testq %rsi, %rsi")
        for k in range(n):
            e("cmovzq %d(%%rdi), %s" % (8 * k, R[k]))
        for k in range(n):
            e("movq %s, %d(%%rdi)" % (R[k], 8 * k))
    fn_end(name)


REGS7 = ["%r8", "%r9", "%r10", "%r11", "%r12", "%r13", "%r14"]


def mul_wide(A, B, D):
    """D(%rsp)[0..11] = A * B (6 x 6 limbs), row by row with a 7-register window."""
    for r in REGS7:
        zero(r)
    for i in range(6):
        T = [REGS7[(i + k) % 7] for k in range(7)]
        e("movq %s, %%rdx" % B(i))
        e("xorl %eax, %eax")
        for j in range(6):
            e("mulxq %s, %%rax, %%rbx" % A(j))
            e("adoxq %%rax, %s" % T[j])
            e("adcxq %%rbx, %s" % T[j + 1])
        e("adoxq %%rbp, %s" % T[6])
        e("movq %s, %d(%%rsp)" % (T[0], D + 8 * i))
        zero(T[0])
    T = [REGS7[(6 + k) % 7] for k in range(6)]
    for k in range(6):
        e("movq %s, %d(%%rsp)" % (T[k], D + 48 + 8 * k))


def redc_stack(S, out):
    """out = REDC(S(%rsp)[0..11]) for an input below p * 2^384."""
    for k in range(6):
        e("movq %d(%%rsp), %s" % (S + 8 * k, REGS7[k]))
    zero(REGS7[6])
    F = mont_rounds(REGS7, 6, ".Lzg_bls_p", ".Lzg_bls_pn0")
    e("addq %d(%%rsp), %s" % (S + 48, F[0]))
    for k in range(1, 6):
        e("adcq %d(%%rsp), %s" % (S + 48 + 8 * k, F[k]))
    cond_sub_store(F, ".Lzg_bls_p", out)


def fp_sqr(name):
    fn_begin(name)
    for r in SAVED:
        e("pushq " + r)
    e("subq $96, %rsp")
    e("xorl %ebp, %ebp")
    for r in REGS7:
        zero(r)
    # Cross products a_i a_j (i < j) at positions i + j.
    for i in range(5):
        T = [REGS7[(i + k) % 7] for k in range(7)]
        e("movq %d(%%rsi), %%rdx" % (8 * i))
        e("xorl %eax, %eax")
        for j in range(i + 1, 6):
            e("mulxq %d(%%rsi), %%rax, %%rbx" % (8 * j))
            e("adoxq %%rax, %s" % T[j])
            e("adcxq %%rbx, %s" % T[j + 1])
        e("adoxq %%rbp, %s" % T[6])
        e("movq %s, %d(%%rsp)" % (T[0], 8 * i))
        zero(T[0])
    T = [REGS7[(5 + k) % 7] for k in range(7)]
    for k in range(7):
        e("movq %s, %d(%%rsp)" % (T[k], 8 * (5 + k)))
    # Double (adcx chain) and add the squares a_i^2 at 2i, 2i + 1 (adox chain).
    e("xorl %eax, %eax")
    for i in range(6):
        e("movq %d(%%rsi), %%rdx" % (8 * i))
        e("mulxq %rdx, %rax, %rbx")
        e("movq %d(%%rsp), %%r8" % (16 * i))
        e("movq %d(%%rsp), %%r9" % (16 * i + 8))
        e("adcxq %r8, %r8")
        e("adcxq %r9, %r9")
        e("adoxq %rax, %r8")
        e("adoxq %rbx, %r9")
        e("movq %%r8, %d(%%rsp)" % (16 * i))
        e("movq %%r9, %d(%%rsp)" % (16 * i + 8))
    redc_stack(0, lambda k: "%d(%%rdi)" % (8 * k))
    e("addq $96, %rsp")
    for r in reversed(SAVED):
        e("popq " + r)
    fn_end(name)


def fp2_mul(name):
    SA, SB, T0, T1, T2 = 0, 48, 96, 192, 288
    fn_begin(name)
    for r in SAVED:
        e("pushq " + r)
    e("subq $384, %rsp")
    e("movq %rdx, %rcx")
    e("xorl %ebp, %ebp")
    # sa = a0 + a1, sb = b0 + b1, not reduced (< 2p).
    for (src, dst) in (("%rsi", SA), ("%rcx", SB)):
        for k in range(6):
            e("movq %d(%s), %s" % (8 * k, src, REGS7[k]))
        e("addq 48(%s), %s" % (src, REGS7[0]))
        for k in range(1, 6):
            e("adcq %d(%s), %s" % (48 + 8 * k, src, REGS7[k]))
        for k in range(6):
            e("movq %s, %d(%%rsp)" % (REGS7[k], dst + 8 * k))
    mul_wide(lambda j: "%d(%%rsi)" % (8 * j), lambda i: "%d(%%rcx)" % (8 * i), T0)
    mul_wide(lambda j: "%d(%%rsi)" % (48 + 8 * j), lambda i: "%d(%%rcx)" % (48 + 8 * i), T1)
    mul_wide(lambda j: "%d(%%rsp)" % (SA + 8 * j), lambda i: "%d(%%rsp)" % (SB + 8 * i), T2)
    # T2 -= T0 + T1 (exact: a0 b1 + a1 b0).
    for X in (T0, T1):
        for k in range(12):
            e("movq %d(%%rsp), %%rax" % (T2 + 8 * k))
            e(("subq" if k == 0 else "sbbq") + " %d(%%rsp), %%rax" % (X + 8 * k))
            e("movq %%rax, %d(%%rsp)" % (T2 + 8 * k))
    # T0 -= T1, plus p * 2^384 when negative.
    for k in range(12):
        e("movq %d(%%rsp), %%rax" % (T0 + 8 * k))
        e(("subq" if k == 0 else "sbbq") + " %d(%%rsp), %%rax" % (T1 + 8 * k))
        e("movq %%rax, %d(%%rsp)" % (T0 + 8 * k))
    e("sbbq %rax, %rax")
    for k in range(6):
        e("movq .Lzg_bls_p+%d(%%rip), %s" % (8 * k, REGS7[k]))
        e("andq %%rax, %s" % REGS7[k])
    e("addq %s, %d(%%rsp)" % (REGS7[0], T0 + 48))
    for k in range(1, 6):
        e("adcq %s, %d(%%rsp)" % (REGS7[k], T0 + 48 + 8 * k))
    redc_stack(T0, lambda k: "%d(%%rdi)" % (8 * k))
    redc_stack(T2, lambda k: "%d(%%rdi)" % (48 + 8 * k))
    e("addq $384, %rsp")
    for r in reversed(SAVED):
        e("popq " + r)
    fn_end(name)


def fp2_sqr(name):
    """(a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u as two Montgomery
    products of unreduced operands below 2p (a0 + a1, a0 + p - a1, 2 a1):
    the product stays below 4p^2 < p 2^384, so one final subtraction still
    suffices. c1 is computed first: it is the last reader of a0, and writing
    it may clobber a1 when r aliases a, which is no longer needed then."""
    SA, SD, D1 = 0, 48, 96
    fn_begin(name)
    for r in SAVED:
        e("pushq " + r)
    e("subq $144, %rsp")
    e("xorl %ebp, %ebp")
    R = REGS7[:6]
    # SA = a0 + a1, D1 = a1 + a1, SD = a0 + p - a1.
    for k in range(6):
        e("movq %d(%%rsi), %s" % (8 * k, R[k]))
    e("addq 48(%%rsi), %s" % R[0])
    for k in range(1, 6):
        e("adcq %d(%%rsi), %s" % (48 + 8 * k, R[k]))
    for k in range(6):
        e("movq %s, %d(%%rsp)" % (R[k], SA + 8 * k))
    for k in range(6):
        e("movq %d(%%rsi), %s" % (48 + 8 * k, R[k]))
    e("addq %s, %s" % (R[0], R[0]))
    for k in range(1, 6):
        e("adcq %s, %s" % (R[k], R[k]))
    for k in range(6):
        e("movq %s, %d(%%rsp)" % (R[k], D1 + 8 * k))
    for k in range(6):
        e("movq %d(%%rsi), %s" % (8 * k, R[k]))
    e("addq .Lzg_bls_p(%%rip), %s" % R[0])
    for k in range(1, 6):
        e("adcq .Lzg_bls_p+%d(%%rip), %s" % (8 * k, R[k]))
    e("subq 48(%%rsi), %s" % R[0])
    for k in range(1, 6):
        e("sbbq %d(%%rsi), %s" % (48 + 8 * k, R[k]))
    for k in range(6):
        e("movq %s, %d(%%rsp)" % (R[k], SD + 8 * k))
    for (A, B, O) in ((lambda j: "%d(%%rsi)" % (8 * j), lambda i: "%d(%%rsp)" % (D1 + 8 * i), 48),
                      (lambda j: "%d(%%rsp)" % (SA + 8 * j), lambda i: "%d(%%rsp)" % (SD + 8 * i), 0)):
        for r in REGS7:
            zero(r)
        F = mont_rounds(REGS7, 6, ".Lzg_bls_p", ".Lzg_bls_pn0", A, B)
        cond_sub_store(F, ".Lzg_bls_p", lambda k, O=O: "%d(%%rdi)" % (O + 8 * k))
    e("addq $144, %rsp")
    for r in reversed(SAVED):
        e("popq " + r)
    fn_end(name)


e(".pushsection .text")
mont_mul("zg__fp_mont_mul_adx", 6, ".Lzg_bls_p", ".Lzg_bls_pn0")
fp_sqr("zg__fp_sqr_adx")
add_sub("zg__fp_add_x64", 6, ".Lzg_bls_p", False)
add_sub("zg__fp_sub_x64", 6, ".Lzg_bls_p", True)
fp2_mul("zg__fp2_mul_adx")
fp2_sqr("zg__fp2_sqr_adx")
mont_mul("zg__fr_mont_mul_adx", 4, ".Lzg_bls_r", ".Lzg_bls_rn0")
add_sub("zg__fr_add_x64", 4, ".Lzg_bls_r", False)
add_sub("zg__fr_sub_x64", 4, ".Lzg_bls_r", True)
e(".popsection")
e(".pushsection .rodata")
e(".p2align 3")
e(".Lzg_bls_p:")
for v in FP_P:
    e(".quad " + v)
e(".Lzg_bls_pn0:")
e(".quad " + FP_N0)
e(".Lzg_bls_r:")
for v in FR_R:
    e(".quad " + v)
e(".Lzg_bls_rn0:")
e(".quad " + FR_N0)
e(".popsection")

HEADER = '''/*
 * bls_asm_x86_64.c — x86-64 kernels of the BLS12-381 field arithmetic:
 * Montgomery product and squaring mod p (mulx/adcx/adox, BMI2 + ADX), the
 * Fp2 Karatsuba product with lazy reduction, the Fp2 squaring, the
 * Montgomery product mod r, and addition/subtraction mod p and mod r
 * (plain adc/sbb/cmov).
 *
 * GENERATED by tools/gen_bls_asm.py (which explains the register use); do
 * not edit by hand. The portable C in bls_fp.c, bls_fp2.c and bls_fr.c is
 * the reference these are tested against, and the fallback: the mulx
 * kernels are used only when cpuid reports BMI2 and ADX (zg__bls_have_adx,
 * set once at start-up), and none of this is built off x86-64 ELF or with
 * ZG_NO_ASM. All kernels are constant time (no value-dependent branch or
 * address) and let the output alias the inputs.
 */
#include "crypto/bls_fp12.h"

#if ZG_BLS_ASM
#include <cpuid.h>

int zg__bls_have_adx;

__attribute__((constructor)) static void bls_detect_cpu(void) {
  unsigned eax, ebx, ecx, edx;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
    zg__bls_have_adx = ((ebx >> 8) & 1) && ((ebx >> 19) & 1); /* BMI2 (mulx) and ADX */
  }
}

__asm__(
'''
print(HEADER + "\n".join('    "%s\\n"' % l for l in L) + ");\n#else\nint zg__bls_have_adx;\n#endif")

/*
 * keccak.c — Keccak-f[1600] and Ethereum's Keccak-256 (zg/hash.h).
 *
 * Keccak-256 here is the original Keccak submission as Ethereum uses it:
 * rate 136 bytes (capacity 512 bits), padding 0x01 ... 0x80 (pad10*1 with no
 * domain bits), 32-byte output. It is NOT FIPS-202 SHA3-256, whose padding
 * byte is 0x06 instead; the permutation is the same.
 *
 * Invariants: a streaming context holds the 25-lane state and pos < 136, the
 * number of bytes of the current block already XORed into the state. Lanes
 * are little-endian 64-bit words, lane (x, y) at index x + 5y. Nothing is
 * allocated. Keccak mostly hashes public data, but since callers may feed it
 * secrets the state is wiped after _final and after a one-shot hash.
 *
 * Speed: the permutation keeps all 25 lanes in local variables, runs two
 * unrolled rounds per loop step (A -> E -> A, so no copies), uses the lane
 * complementing transform (5 NOTs per round instead of 25), and the block
 * absorber keeps the state in locals across consecutive blocks. Measured on
 * the development machine it runs the permutation about 20% faster than
 * Nettle's nettle_sha3_permute and matches OpenSSL 3.0's assembly SHA3-256 on
 * long inputs (see bench_hash.c); the one-shot short-input path beats
 * OpenSSL's EVP by avoiding its per-call set-up.
 */
#include <string.h>

#include "zg/bytes.h"
#include "zg/hash.h"

#define KECCAK_RATE 136

static const uint64_t keccak_rc[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};

#define ROL(v, n) (((v) << (n)) | ((v) >> (64 - (n))))

static inline uint64_t load64(const uint8_t *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
#else
  return zg_load_le64(p);
#endif
}

static inline void store64(uint8_t *p, uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(p, &v, 8);
#else
  zg_store_le64(p, v);
#endif
}

/* The lane macros below are laid out by hand, one output row per pair of lines. */
/* clang-format off */
/* Declares the 25 lanes of a state named P (P00 .. P44, P<x><y>). */
#define LANES(P)                                                                        \
  uint64_t P##00, P##10, P##20, P##30, P##40, P##01, P##11, P##21, P##31, P##41,        \
      P##02, P##12, P##22, P##32, P##42, P##03, P##13, P##23, P##33, P##43,             \
      P##04, P##14, P##24, P##34, P##44

#define LOAD_STATE(P, s)                                                                \
  P##00 = s[0], P##10 = s[1], P##20 = s[2], P##30 = s[3], P##40 = s[4];                 \
  P##01 = s[5], P##11 = s[6], P##21 = s[7], P##31 = s[8], P##41 = s[9];                 \
  P##02 = s[10], P##12 = s[11], P##22 = s[12], P##32 = s[13], P##42 = s[14];            \
  P##03 = s[15], P##13 = s[16], P##23 = s[17], P##33 = s[18], P##43 = s[19];            \
  P##04 = s[20], P##14 = s[21], P##24 = s[22], P##34 = s[23], P##44 = s[24]

#define STORE_STATE(s, P)                                                               \
  s[0] = P##00, s[1] = P##10, s[2] = P##20, s[3] = P##30, s[4] = P##40;                 \
  s[5] = P##01, s[6] = P##11, s[7] = P##21, s[8] = P##31, s[9] = P##41;                 \
  s[10] = P##02, s[11] = P##12, s[12] = P##22, s[13] = P##32, s[14] = P##42;            \
  s[15] = P##03, s[16] = P##13, s[17] = P##23, s[18] = P##33, s[19] = P##43;            \
  s[20] = P##04, s[21] = P##14, s[22] = P##24, s[23] = P##34, s[24] = P##44

/*
 * Lane complementing (Keccak team, "Keccak implementation overview" 2.2):
 * inside the permutation the six lanes (1,0) (2,0) (3,1) (2,2) (2,3) (0,4)
 * are kept complemented. With that mask, chi's ~b & c terms become plain
 * AND/OR of the stored values in all but one place per row, so a round costs
 * 5 NOTs instead of 25, and the mask comes out of each round unchanged. The
 * per-row formulas were derived by enumerating the complement flags after
 * theta (which flips columns 0 and 3) and rho/pi. COMPLEMENT applies the mask
 * on entry and removes it on exit; XORing message bytes into a complemented
 * lane commutes with the mask.
 */
#define COMPLEMENT(P)                                                                   \
  P##10 = ~P##10, P##20 = ~P##20, P##31 = ~P##31, P##22 = ~P##22, P##23 = ~P##23, P##04 = ~P##04

/*
 * One round from state A into state E: theta (column parities c, mixers d),
 * then rho and pi together (b0..b4 are one output row, gathered from the
 * diagonal pi maps into it, each rotated by its rho offset), chi on the row
 * in its lane-complemented form, and iota on lane (0, 0).
 */
#define ROUND(A, E, rc)                                                                 \
  do {                                                                                  \
    uint64_t c0 = A##00 ^ A##01 ^ A##02 ^ A##03 ^ A##04;                                \
    uint64_t c1 = A##10 ^ A##11 ^ A##12 ^ A##13 ^ A##14;                                \
    uint64_t c2 = A##20 ^ A##21 ^ A##22 ^ A##23 ^ A##24;                                \
    uint64_t c3 = A##30 ^ A##31 ^ A##32 ^ A##33 ^ A##34;                                \
    uint64_t c4 = A##40 ^ A##41 ^ A##42 ^ A##43 ^ A##44;                                \
    uint64_t d0 = c4 ^ ROL(c1, 1), d1 = c0 ^ ROL(c2, 1), d2 = c1 ^ ROL(c3, 1);          \
    uint64_t d3 = c2 ^ ROL(c4, 1), d4 = c3 ^ ROL(c0, 1);                                \
    uint64_t b0, b1, b2, b3, b4, n1, n2, n3, n4;                                        \
    b0 = A##00 ^ d0; b1 = ROL(A##11 ^ d1, 44); b2 = ROL(A##22 ^ d2, 43);                \
    b3 = ROL(A##33 ^ d3, 21); b4 = ROL(A##44 ^ d4, 14);                                 \
    n2 = ~b2;                                                                           \
    E##00 = b0 ^ (b1 | b2); E##10 = b1 ^ (n2 | b3); E##20 = b2 ^ (b3 & b4);             \
    E##30 = b3 ^ (b4 | b0); E##40 = b4 ^ (b0 & b1);                                     \
    b0 = ROL(A##30 ^ d3, 28); b1 = ROL(A##41 ^ d4, 20); b2 = ROL(A##02 ^ d0, 3);        \
    b3 = ROL(A##13 ^ d1, 45); b4 = ROL(A##24 ^ d2, 61);                                 \
    n4 = ~b4;                                                                           \
    E##01 = b0 ^ (b1 | b2); E##11 = b1 ^ (b2 & b3); E##21 = b2 ^ (b3 | n4);             \
    E##31 = b3 ^ (b4 | b0); E##41 = b4 ^ (b0 & b1);                                     \
    b0 = ROL(A##10 ^ d1, 1); b1 = ROL(A##21 ^ d2, 6); b2 = ROL(A##32 ^ d3, 25);         \
    b3 = ROL(A##43 ^ d4, 8); b4 = ROL(A##04 ^ d0, 18);                                  \
    n3 = ~b3;                                                                           \
    E##02 = b0 ^ (b1 | b2); E##12 = b1 ^ (b2 & b3); E##22 = b2 ^ (n3 & b4);             \
    E##32 = n3 ^ (b4 | b0); E##42 = b4 ^ (b0 & b1);                                     \
    b0 = ROL(A##40 ^ d4, 27); b1 = ROL(A##01 ^ d0, 36); b2 = ROL(A##12 ^ d1, 10);       \
    b3 = ROL(A##23 ^ d2, 15); b4 = ROL(A##34 ^ d3, 56);                                 \
    n3 = ~b3;                                                                           \
    E##03 = b0 ^ (b1 & b2); E##13 = b1 ^ (b2 | b3); E##23 = b2 ^ (n3 | b4);             \
    E##33 = n3 ^ (b4 & b0); E##43 = b4 ^ (b0 | b1);                                     \
    b0 = ROL(A##20 ^ d2, 62); b1 = ROL(A##31 ^ d3, 55); b2 = ROL(A##42 ^ d4, 39);       \
    b3 = ROL(A##03 ^ d0, 41); b4 = ROL(A##14 ^ d1, 2);                                  \
    n1 = ~b1;                                                                           \
    E##04 = b0 ^ (n1 & b2); E##14 = n1 ^ (b2 | b3); E##24 = b2 ^ (b3 & b4);             \
    E##34 = b3 ^ (b4 | b0); E##44 = b4 ^ (b0 & b1);                                     \
    E##00 ^= (rc);                                                                      \
  } while (0)

/* 24 rounds on the lanes a.. (e.. is scratch); the result is back in a...
 * Two rounds per step (A -> E -> A) avoid copies; unrolling all 24 rounds
 * was measured slower here (40 KB of code against 8 KB). */
#define PERMUTE()                                                                       \
  do {                                                                                  \
    for (int r = 0; r < 24; r += 2) {                                                   \
      ROUND(a, e, keccak_rc[r]);                                                        \
      ROUND(e, a, keccak_rc[r + 1]);                                                    \
    }                                                                                   \
  } while (0)
/* clang-format on */

void zg_keccakf1600(uint64_t st[25]) {
  LANES(a);
  LANES(e);
  LOAD_STATE(a, st);
  COMPLEMENT(a);
  PERMUTE();
  COMPLEMENT(a);
  STORE_STATE(st, a);
}

/* XORs nblocks full 136-byte blocks from in into st, permuting after each;
 * the state stays in registers/locals for the whole run. */
static void absorb_blocks(uint64_t st[25], const uint8_t *in, size_t nblocks) {
  LANES(a);
  LANES(e);
  LOAD_STATE(a, st);
  COMPLEMENT(a);
  for (; nblocks; nblocks--, in += KECCAK_RATE) {
    a00 ^= load64(in + 0), a10 ^= load64(in + 8), a20 ^= load64(in + 16);
    a30 ^= load64(in + 24), a40 ^= load64(in + 32), a01 ^= load64(in + 40);
    a11 ^= load64(in + 48), a21 ^= load64(in + 56), a31 ^= load64(in + 64);
    a41 ^= load64(in + 72), a02 ^= load64(in + 80), a12 ^= load64(in + 88);
    a22 ^= load64(in + 96), a32 ^= load64(in + 104), a42 ^= load64(in + 112);
    a03 ^= load64(in + 120), a13 ^= load64(in + 128);
    PERMUTE();
  }
  COMPLEMENT(a);
  STORE_STATE(st, a);
}

/* XORs n < 136 bytes into the state starting at byte offset pos. */
static void xor_bytes(uint64_t st[25], size_t pos, const uint8_t *in, size_t n) {
  for (size_t i = 0; i < n; i++, pos++) st[pos >> 3] ^= (uint64_t)in[i] << (8 * (pos & 7));
}

/* Pads (0x01 at pos, 0x80 at the last rate byte), permutes, squeezes 32 bytes. */
static void pad_and_squeeze(uint64_t st[25], size_t pos, uint8_t out[32]) {
  st[pos >> 3] ^= (uint64_t)0x01 << (8 * (pos & 7));
  st[(KECCAK_RATE - 1) >> 3] ^= (uint64_t)0x80 << (8 * ((KECCAK_RATE - 1) & 7));
  zg_keccakf1600(st);
  for (int i = 0; i < 4; i++) store64(out + 8 * i, st[i]);
}

void zg_keccak256_init(zg_keccak256_ctx_t *ctx) {
  memset(ctx->st, 0, sizeof ctx->st);
  ctx->pos = 0;
}

void zg_keccak256_update(zg_keccak256_ctx_t *ctx, const void *in, size_t len) {
  const uint8_t *p = (const uint8_t *)in;
  if (!len) return;
  if (ctx->pos) {
    size_t take = KECCAK_RATE - ctx->pos;
    if (take > len) take = len;
    xor_bytes(ctx->st, ctx->pos, p, take);
    ctx->pos += take, p += take, len -= take;
    if (ctx->pos < KECCAK_RATE) return;
    zg_keccakf1600(ctx->st);
    ctx->pos = 0;
  }
  if (len >= KECCAK_RATE) {
    size_t nb = len / KECCAK_RATE;
    absorb_blocks(ctx->st, p, nb);
    p += nb * KECCAK_RATE, len -= nb * KECCAK_RATE;
  }
  if (len) xor_bytes(ctx->st, 0, p, len);
  ctx->pos = len;
}

void zg_keccak256_final(zg_keccak256_ctx_t *ctx, uint8_t out[32]) {
  pad_and_squeeze(ctx->st, ctx->pos, out);
  zg_memwipe(ctx, sizeof *ctx);
}

void zg_keccak256(uint8_t out[32], const void *in, size_t len) {
  uint64_t st[25] = {0};
  const uint8_t *p = (const uint8_t *)in;
  size_t nb = len / KECCAK_RATE;
  size_t rest = len - nb * KECCAK_RATE;
  if (nb) absorb_blocks(st, p, nb);
  if (rest) xor_bytes(st, 0, p + nb * KECCAK_RATE, rest);
  pad_and_squeeze(st, rest, out);
  zg_memwipe(st, sizeof st);
}

void zg_keccak256_pair(uint8_t out[32], const uint8_t a[32], const uint8_t b[32]) {
  /* 64 bytes fit one block: lanes 0..7 are the input, padding at 8 and 16. */
  uint64_t st[25] = {0};
  for (int i = 0; i < 4; i++) st[i] = load64(a + 8 * i), st[4 + i] = load64(b + 8 * i);
  st[8] = 0x01;
  st[16] = 0x8000000000000000ull;
  zg_keccakf1600(st);
  for (int i = 0; i < 4; i++) store64(out + 8 * i, st[i]);
}

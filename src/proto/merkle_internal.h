/*
 * merkle_internal.h — batch hashing for the Merkle trees of src/proto.
 *
 * A file root costs one 256-byte Keccak per sector plus about one 64-byte
 * node hash; both are independent across a level, so they are hashed four
 * at a time with a 4-lane Keccak-f[1600] (AVX2, or AVX-512VL with its
 * native rotates and 32 vector registers) chosen once at run time. The
 * scalar path is zg_keccak256. ZG_MERKLE_LANES=1 in the environment forces
 * the scalar path, ZG_MERKLE_LANES=avx2 the AVX2 one (for benchmarks and
 * cross-checks).
 */
#ifndef ZG_PROTO_MERKLE_INTERNAL_H
#define ZG_PROTO_MERKLE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* out[i] = keccak256(in + 256 i) for i < n (full 256-byte sectors). */
void zg__merkle_hash_leaves(uint8_t (*out)[32], const uint8_t *in, size_t n);
/* out[i] = keccak256(in[2i] || in[2i+1]) for i < n. out may equal in
 * (in-place level reduction). */
void zg__merkle_hash_pairs(uint8_t (*out)[32], const uint8_t (*in)[32], size_t n);
/* The implementation in use: "scalar", "avx2x4" or "avx512x4". */
const char *zg__merkle_hash_impl(void);

#endif

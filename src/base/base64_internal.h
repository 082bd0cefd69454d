/*
 * base64_internal.h — vector bulk loops behind zg_base64_encode and
 * zg_base64_decode (src/base/base64_simd.c). Each handles a prefix of whole
 * 24-byte / 32-symbol steps and leaves the rest to the scalar code in
 * bytes.c; on CPUs without AVX2 they handle nothing.
 */
#ifndef ZG_BASE_BASE64_INTERNAL_H
#define ZG_BASE_BASE64_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Encodes a prefix of in[0..n) (a multiple of 3 bytes) into out (4 symbols
 * per 3 bytes, no NUL); returns the input bytes consumed. */
size_t zg__base64_encode_bulk(char *out, const uint8_t *in, size_t n);

/* Decodes a prefix of the n symbols at in (a multiple of 4, no padding
 * expected) into out (3 bytes per 4 symbols); *done gets the symbols
 * consumed. False when a symbol outside the alphabet was met (then *done
 * is where the failing step began). */
bool zg__base64_decode_bulk(uint8_t *out, const uint8_t *in, size_t n, size_t *done);

#endif

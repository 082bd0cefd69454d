/*
 * bench_kzg.c — FFT over Fr at the blob sizes (4096 for EIP-4844, 8192 for
 * the EIP-7594 extension). Inputs come from a fixed xorshift stream.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "zg/fft.h"

static uint64_t bench_state = 0x13198a2e03707344ull;

static void bench_rand_fr(zg_fr_t *k) {
  uint8_t buf[64];
  for (size_t i = 0; i < sizeof buf; i++) {
    bench_state ^= bench_state << 13;
    bench_state ^= bench_state >> 7;
    bench_state ^= bench_state << 17;
    buf[i] = (uint8_t)bench_state;
  }
  zg_fr_from_be_reduce(k, buf, sizeof buf);
}

static void bench_fft(zg_bench_t *b, size_t n) {
  zg_fft_domain_t *dom = NULL;
  zg_fr_t *a = malloc(n * sizeof *a);
  if (!a || zg_fft_domain_create(&dom, n) != ZG_OK) {
    free(a);
    return;
  }
  for (size_t i = 0; i < n; i++) bench_rand_fr(&a[i]);
  while (zg_bench_loop(b)) {
    zg_err_t e = zg_fft_fr(dom, a, n);
    ZG_BENCH_KEEP(e);
  }
  zg_fft_domain_destroy(dom);
  free(a);
}

ZG_BENCH(fft_4096) { bench_fft(b, 4096); }
ZG_BENCH(fft_8192) { bench_fft(b, 8192); }

/* fuzz_da_cert.c — certificates from the fuzzer through DAEntrance's
 * submitCertificate (zg/da_contracts.h): decoding of the ABI bytes and the
 * certificate wire form, then the slot, epoch, quorum and signature checks
 * against a fixed world (4 signers x 32 slots in one quorum of 128, one blob
 * submitted). Input byte 0 selects the form: bit 0 set = the rest is the
 * raw argument data of submitCertificate(bytes); clear = the rest is a
 * certificate whose blob digest (bit 1) and epoch (bit 2) are patched to the
 * known ones so the deeper checks run. A call may revert; it must never fail
 * (host error), crash, or accept a certificate with fewer than 2/3 of the
 * slots set. */
#include <stdlib.h>
#include <string.h>

#include "contracts/sc_memhost.h"
#include "zg/abi.h"
#include "zg/bls.h"
#include "zg/da_contracts.h"
#include "zg/hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHAIN 16888u
#define NS 4

static mh_world_t base_world;
static zg_sc_registry_t *reg;
static uint8_t blob[32];
static const uint64_t EPOCH = 2;
static const zg_eth_addr_t user = {{0xee}};

static void call_or_die(zg_sc_host_t *h, const zg_eth_addr_t *to, const zg_eth_addr_t *from, zg_u256_t value,
                        const char *sig, const zg_abi_value_t *args, size_t n) {
  zg_abi_arena_t a;
  zg_abi_func_t f;
  zg_buf_t cd;
  zg_sc_result_t r;
  zg_abi_arena_init(&a);
  zg_buf_init(&cd);
  if (zg_abi_func_parse(&f, &a, sig) != ZG_OK || zg_abi_call_encode(&cd, &f, args, n) != ZG_OK) abort();
  h->self = *to;
  h->caller = *from;
  h->value = value;
  zg_u256_t *src = mh_acct(h->ctx, from), *dst = mh_acct(h->ctx, to);
  if (!zg_u256_sub(src, src, &value)) abort();
  (void)zg_u256_add(dst, dst, &value);
  if (zg_sc_call(reg, h, cd.ptr, cd.len, &r) != ZG_OK || r.status != ZG_SC_OK) abort();
  zg_sc_result_free(&r);
  zg_buf_clear(&cd);
  zg_abi_arena_clear(&a);
}

static void setup(void) {
  zg_sc_host_t h;
  if (zg_sc_registry_new(&reg) || zg_sc_register(reg, &zg_dasigners_contract) ||
      zg_sc_register(reg, &zg_daentrance_contract))
    abort();
  mh_host_init(&h, &base_world, &zg_dasigners_address, CHAIN);
  zg_bls_sk_t sk[NS];
  zg_eth_addr_t addr[NS];
  zg_u256_t stake = zg_u256_from_u64(1000000000000000000ull), zero = zg_u256_from_u64(0);
  (void)zg_u256_mul_u64(&stake, &stake, 32); /* 32 slots each */
  for (unsigned i = 0; i < NS; i++) {
    uint8_t ikm[32] = {0xc0, (uint8_t)i}, pk[48], pop[96];
    zg_bls_pk_t bpk;
    zg_bls_sig_t bpop;
    memset(&addr[i], 0, sizeof addr[i]);
    addr[i].bytes[0] = 0xd0;
    addr[i].bytes[19] = (uint8_t)i;
    if (zg_bls_keygen(&sk[i], ikm, 32, NULL, 0) || zg_bls_pop_prove(&bpop, &sk[i])) abort();
    zg_bls_sk_to_pk(&bpk, &sk[i]);
    zg_bls_pk_serialize(pk, &bpk);
    zg_bls_sig_serialize(pop, &bpop);
    zg_abi_value_t a[3] = {zg_abi_bytes(pk, 48), zg_abi_bytes(pop, 96), zg_abi_string("http://x")};
    call_or_die(&h, &zg_dasigners_address, &addr[i], zero, ZG_DAS_REGISTER_SIGNER, a, 3);
    *mh_acct(&base_world, &addr[i]) = stake;
    call_or_die(&h, &zg_dasigners_address, &addr[i], stake, ZG_DAS_DEPOSIT, NULL, 0);
  }
  h.epoch = EPOCH - 1;
  uint8_t seed[32] = {0}, msg[ZG_DA_VRF_MSG_LEN];
  zg_da_epoch_seed(seed, CHAIN, EPOCH, seed); /* epoch 1 has no signers: mix = zeros */
  zg_da_vrf_message(msg, CHAIN, EPOCH, seed);
  for (unsigned i = 0; i < NS; i++) {
    zg_bls_sig_t s;
    uint8_t sb[96];
    if (zg_bls_sign(&s, &sk[i], msg, sizeof msg)) abort();
    zg_bls_sig_serialize(sb, &s);
    zg_abi_value_t a = zg_abi_bytes(sb, 96);
    call_or_die(&h, &zg_dasigners_address, &addr[i], zero, ZG_DAS_REGISTER_NEXT_EPOCH, &a, 1);
  }
  h.epoch = EPOCH;
  memset(blob, 0xb1, 32);
  zg_abi_value_t item = zg_abi_fbytes(blob, 32), arr = zg_abi_array(&item, 1);
  zg_u256_t fee = zg_u256_from_u64(1000000000000ull);
  *mh_acct(&base_world, &user) = fee;
  call_or_die(&h, &zg_daentrance_address, &user, fee, ZG_DAE_SUBMIT_ORIGINAL_DATA, &arr, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    setup();
    ready = 1;
  }
  if (size < 1) return 0;
  uint8_t mode = data[0];
  data++, size--;
  zg_buf_t cd;
  zg_buf_init(&cd);
  static const uint8_t sel_src[] = ZG_DAE_SUBMIT_CERTIFICATE;
  uint8_t sel[32];
  zg_keccak256(sel, sel_src, sizeof sel_src - 1);
  if (zg_buf_append(&cd, sel, 4)) abort();
  if (mode & 1) {
    if (zg_buf_append(&cd, data, size)) abort();
  } else {
    uint8_t cert[ZG_DA_CERT_WIRE_LEN] = {0};
    memcpy(cert, data, size < sizeof cert ? size : sizeof cert);
    if (mode & 2) memcpy(cert, blob, 32);
    if (mode & 4) zg_store_be64(cert + 32, EPOCH);
    size_t clen = (mode & 8) && size < sizeof cert ? size : sizeof cert;
    zg_abi_arena_t a;
    zg_abi_func_t f;
    zg_abi_arena_init(&a);
    zg_abi_value_t v = zg_abi_bytes(cert, clen);
    zg_buf_clear(&cd);
    if (zg_abi_func_parse(&f, &a, ZG_DAE_SUBMIT_CERTIFICATE) || zg_abi_call_encode(&cd, &f, &v, 1)) abort();
    zg_abi_arena_clear(&a);
  }
  mh_world_t w;
  mh_world_copy(&w, &base_world);
  zg_sc_host_t h;
  mh_host_init(&h, &w, &zg_daentrance_address, CHAIN);
  h.epoch = EPOCH;
  h.caller = user;
  zg_sc_result_t r;
  zg_err_t e = zg_sc_call(reg, &h, cd.ptr, cd.len, &r);
  if (e != ZG_OK || r.status == ZG_SC_FAIL) abort();
  if (r.status == ZG_SC_OK) {
    /* Accepted: it must carry >= 2/3 of the slots (only a real aggregate
     * from the corpus can get here). */
    zg_da_cert_t c;
    const uint8_t *p = cd.ptr + 4 + 64; /* bytes: offset, length, data */
    if (cd.len < 4 + 64 + ZG_DA_CERT_WIRE_LEN || zg_da_cert_parse(&c, p, ZG_DA_CERT_WIRE_LEN)) abort();
    if (3 * zg_da_bitmap_count(c.bitmap) < 2 * ZG_DA_COLUMNS) abort();
  }
  zg_sc_result_free(&r);
  mh_world_free(&w);
  zg_buf_clear(&cd);
  return 0;
}

/*
 * da_internal.h — what DASigners (dasigners.c) and DAEntrance
 * (daentrance.c) share: the DA parameters and an epoch's opted-in signers
 * read from DASigners' storage. Both contracts live on lane 0; DAEntrance
 * reads DASigners' storage by running as DASigners (SC_AS), inside its own
 * call's savepoint. Keys of DASigners start with 'D', of DAEntrance with
 * 'E', so they also coexist in a test host without namespaces.
 */
#ifndef ZG_DA_INTERNAL_H
#define ZG_DA_INTERNAL_H

#include "storage_internal.h"
#include "zg/da_contracts.h"

typedef struct {
  uint64_t slots_per_quorum;
  zg_u256_t tokens_per_slot;
  uint64_t max_slots_per_signer;
  uint64_t max_blob;
  zg_u256_t blob_fee;
  uint64_t certify_window;
} zg__da_params_t;

/* The parameters in force (defaults when genesis set none). */
zg_err_t zg__da_params(zg_sc_host_t *h, zg__da_params_t *p);
/* Epoch E's opted-in signers in address order; *out is malloc'd (free()),
 * NULL when n == 0. ZG_ENOMEM, host errors. */
zg_err_t zg__da_epoch_signers(zg_sc_host_t *h, uint64_t epoch, zg_da_epoch_signer_t **out, size_t *n);
/* A registered signer's 48-byte public key; *found false when unknown. */
zg_err_t zg__da_signer_pk(zg_sc_host_t *h, const uint8_t addr[20], uint8_t pk[48], bool *found);

#endif

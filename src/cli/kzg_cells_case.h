/*
 * kzg_cells_case.h — running one EIP-7594 case of the c-kzg-4844 test format
 * (compute_cells, compute_cells_and_kzg_proofs, recover_cells_and_kzg_proofs,
 * verify_cell_kzg_proof_batch, compute_verify_cell_kzg_proof_batch_challenge)
 * against zg/kzg_cells.h. Called from kzg_case.c (so `zg vectors` and the
 * tests share one implementation) and by tests/crypto/test_kzg_cells.c.
 *
 * The cells context (FK20 tables) is built on first use for the given
 * settings and kept until the settings pointer changes or the process exits.
 */
#ifndef ZG_CLI_KZG_CELLS_CASE_H
#define ZG_CLI_KZG_CELLS_CASE_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/kzg_case.h"
#include "cli/yaml_lite.h"
#include "zg/kzg.h"

/* Whether kind is one of the five EIP-7594 kinds. */
bool zg__kzg_cells_case_kind(const char *kind);

/* Runs the case doc of an EIP-7594 kind (ZG_KZG_CASE_UNSUPPORTED for any
 * other kind). On ZG_KZG_CASE_FAIL a reason is written into why. */
zg_kzg_case_result_t zg__kzg_cells_case_run(const zg_kzg_settings_t *s, const char *kind, const zg_yaml_node_t *doc,
                                            char *why, size_t whylen);

#endif

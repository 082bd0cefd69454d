/*
 * kzg_case.h — running one case of the c-kzg-4844 test format (a parsed
 * data.yaml: {input: {...}, output: ...}) against the zg KZG functions.
 * Shared by the `zg vectors` handler (vectors_kzg.c) and tests/crypto/
 * test_kzg.c, so both check the vectors with the same code.
 *
 * Semantics of the format: byte strings are 0x-hex; `output: null` means the
 * call must fail; a bool output is the verdict of a verify function; an
 * input that is not valid hex makes the call fail (as a binding would).
 */
#ifndef ZG_CLI_KZG_CASE_H
#define ZG_CLI_KZG_CASE_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/yaml_lite.h"
#include "zg/kzg.h"

typedef enum {
  ZG_KZG_CASE_PASS,
  ZG_KZG_CASE_FAIL,
  ZG_KZG_CASE_UNSUPPORTED /* a kind this build does not run (yet) */
} zg_kzg_case_result_t;

/* Whether kind (a directory name of the format) is one of the 12 kinds. */
bool zg__kzg_case_kind_known(const char *kind);
/* Whether this build runs cases of kind (false for the EIP-7594 kinds until
 * the cell API is wired in kzg_case.c). */
bool zg__kzg_case_kind_runs(const char *kind);

/* Runs the case doc of the given kind. On ZG_KZG_CASE_FAIL a reason is
 * written into why (whylen bytes). s is borrowed for the call. */
zg_kzg_case_result_t zg__kzg_case_run(const zg_kzg_settings_t *s, const char *kind, const zg_yaml_node_t *doc,
                                      char *why, size_t whylen);

#endif

/*
 * kzg_case.c — one c-kzg-4844 test case against the zg KZG API (see
 * kzg_case.h). Every case decodes its inputs, makes the one call its kind
 * names, and compares the call's outcome with `output`: an error for null,
 * the verdict for a bool, the bytes for a string, the byte strings in order
 * for a list.
 *
 * The EIP-7594 kinds (compute_cells, compute_cells_and_kzg_proofs,
 * recover_cells_and_kzg_proofs, verify_cell_kzg_proof_batch,
 * compute_verify_cell_kzg_proof_batch_challenge) are run by
 * kzg_cells_case.c (zg__kzg_cells_case_run).
 */
#include "cli/kzg_case.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kzg_cells_case.h"
#include "zg/bytes.h"

static const char *const KINDS_4844[] = {"blob_to_kzg_commitment", "compute_kzg_proof", "compute_blob_kzg_proof",
                                         "verify_kzg_proof", "verify_blob_kzg_proof", "verify_blob_kzg_proof_batch",
                                         "compute_challenge"};
static const char *const KINDS_7594[] = {"compute_cells", "compute_cells_and_kzg_proofs",
                                         "recover_cells_and_kzg_proofs", "verify_cell_kzg_proof_batch",
                                         "compute_verify_cell_kzg_proof_batch_challenge"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

bool zg__kzg_case_kind_known(const char *kind) {
  for (size_t i = 0; i < COUNT(KINDS_4844); i++)
    if (strcmp(kind, KINDS_4844[i]) == 0) return true;
  for (size_t i = 0; i < COUNT(KINDS_7594); i++)
    if (strcmp(kind, KINDS_7594[i]) == 0) return true;
  return false;
}

bool zg__kzg_case_kind_runs(const char *kind) {
  if (zg__kzg_cells_case_kind(kind)) return true;
  for (size_t i = 0; i < COUNT(KINDS_4844); i++)
    if (strcmp(kind, KINDS_4844[i]) == 0) return true;
  return false;
}

/* What a call produced: an error, or a verdict, or up to two byte strings. */
typedef struct {
  zg_err_t err;
  bool is_bool, verdict;
  size_t nout;
  uint8_t out[2][48];
  size_t outlen[2];
} outcome_t;

/* The input keys of each single-call kind, in call order. */
static const struct {
  const char *kind;
  const char *keys[4];
} SHAPES[] = {
    {"blob_to_kzg_commitment", {"blob"}},
    {"compute_kzg_proof", {"blob", "z"}},
    {"compute_blob_kzg_proof", {"blob", "commitment"}},
    {"verify_kzg_proof", {"commitment", "z", "y", "proof"}},
    {"verify_blob_kzg_proof", {"blob", "commitment", "proof"}},
    {"compute_challenge", {"blob", "commitment"}},
};

static zg_kzg_case_result_t case_fail(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static zg_kzg_case_result_t case_fail(char *why, size_t whylen, const char *fmt, ...) {
  if (why && whylen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
  }
  return ZG_KZG_CASE_FAIL;
}

/* Decodes a hex string node into b; false when it is not a string of valid
 * 0x-hex. */
static bool hex_node(zg_buf_t *b, const zg_yaml_node_t *n) {
  if (!n || n->type != ZG_YAML_STR) return false;
  return zg_hex_decode_buf(b, n->str, n->len) == ZG_OK;
}

/* input.key as a list of byte strings, decoded into one buffer with their
 * slices (*slices allocated, n entries). False when missing or not a list. */
static bool get_list(zg_buf_t *b, zg_slice_t **slices, size_t *n, const zg_yaml_node_t *input, const char *key,
                     bool *bad_hex) {
  const zg_yaml_node_t *l = zg__yaml_get(input, key);
  *n = 0;
  *slices = NULL;
  if (!l || l->type != ZG_YAML_SEQ) return false;
  size_t *offs = calloc(l->n + 1, sizeof *offs);
  *slices = calloc(l->n + 1, sizeof **slices);
  if (!offs || !*slices) {
    free(offs);
    return false;
  }
  for (size_t i = 0; i < l->n; i++) {
    offs[i] = b->len;
    if (!hex_node(b, l->items[i])) *bad_hex = true;
  }
  offs[l->n] = b->len;
  for (size_t i = 0; i < l->n; i++) (*slices)[i] = zg_slice(b->ptr + offs[i], offs[i + 1] - offs[i]);
  free(offs);
  *n = l->n;
  return true;
}

/* The batch kind: lists of blobs, commitments and proofs. False when the
 * case file lacks them. */
static bool run_batch(const zg_kzg_settings_t *s, const zg_yaml_node_t *input, outcome_t *o) {
  zg_buf_t bb, cb, pb;
  zg_buf_init(&bb);
  zg_buf_init(&cb);
  zg_buf_init(&pb);
  zg_slice_t *blobs = NULL, *cs = NULL, *ps = NULL;
  size_t nb, nc, np;
  bool bad = false;
  bool have = get_list(&bb, &blobs, &nb, input, "blobs", &bad);
  have &= get_list(&cb, &cs, &nc, input, "commitments", &bad);
  have &= get_list(&pb, &ps, &np, input, "proofs", &bad);
  o->is_bool = true;
  if (!have) {
    o->err = ZG_EINVAL;
  } else if (bad) {
    o->err = ZG_EHEX;
  } else if (nb != nc || nb != np) {
    o->err = ZG_EBADLEN; /* one commitment and one proof per blob */
  } else {
    void *scratch = malloc(zg_kzg_scratch_size(s, nb));
    o->err = scratch ? zg_kzg_verify_blob_proof_batch(s, &o->verdict, blobs, cs, ps, nb, scratch) : ZG_ENOMEM;
    free(scratch);
  }
  free(blobs);
  free(cs);
  free(ps);
  zg_buf_clear(&bb);
  zg_buf_clear(&cb);
  zg_buf_clear(&pb);
  return have;
}

/* Makes the call of a single-item kind with its decoded inputs. */
static void run_call(const zg_kzg_settings_t *s, const char *kind, const zg_buf_t *b, outcome_t *o) {
  void *scratch = malloc(zg_kzg_scratch_size(s, 1));
  if (!scratch) {
    o->err = ZG_ENOMEM;
    return;
  }
  if (strcmp(kind, "blob_to_kzg_commitment") == 0) {
    o->err = zg_kzg_blob_to_commitment(s, o->out[0], b[0].ptr, b[0].len, scratch);
    o->nout = 1, o->outlen[0] = 48;
  } else if (strcmp(kind, "compute_kzg_proof") == 0) {
    o->err = zg_kzg_compute_proof(s, o->out[0], o->out[1], b[0].ptr, b[0].len, b[1].ptr, b[1].len, scratch);
    o->nout = 2, o->outlen[0] = 48, o->outlen[1] = 32;
  } else if (strcmp(kind, "compute_blob_kzg_proof") == 0) {
    o->err = zg_kzg_compute_blob_proof(s, o->out[0], b[0].ptr, b[0].len, b[1].ptr, b[1].len, scratch);
    o->nout = 1, o->outlen[0] = 48;
  } else if (strcmp(kind, "verify_kzg_proof") == 0) {
    o->is_bool = true;
    o->err = zg_kzg_verify_proof(s, &o->verdict, b[0].ptr, b[0].len, b[1].ptr, b[1].len, b[2].ptr, b[2].len,
                                 b[3].ptr, b[3].len);
  } else if (strcmp(kind, "verify_blob_kzg_proof") == 0) {
    o->is_bool = true;
    o->err = zg_kzg_verify_blob_proof(s, &o->verdict, b[0].ptr, b[0].len, b[1].ptr, b[1].len, b[2].ptr, b[2].len,
                                      scratch);
  } else if (strcmp(kind, "compute_challenge") == 0) {
    o->err = zg_kzg_compute_challenge(o->out[0], b[0].ptr, b[0].len, b[1].ptr, b[1].len);
    o->nout = 1, o->outlen[0] = 32;
  }
  free(scratch);
}

/* Compares an outcome with the expected output node. */
static zg_kzg_case_result_t compare(const outcome_t *o, const zg_yaml_node_t *want, char *why, size_t whylen) {
  if (want->type == ZG_YAML_NULL) {
    if (o->err != ZG_OK) return ZG_KZG_CASE_PASS;
    return case_fail(why, whylen, "the call succeeded, but the case expects it to fail");
  }
  if (o->err != ZG_OK) return case_fail(why, whylen, "the call failed with %s", zg_errname(o->err));
  if (want->type == ZG_YAML_BOOL) {
    if (!o->is_bool) return case_fail(why, whylen, "a bool output for a kind that returns bytes");
    if (o->verdict != want->b)
      return case_fail(why, whylen, "verdict %s, expected %s", o->verdict ? "true" : "false", want->b ? "true" : "false");
    return ZG_KZG_CASE_PASS;
  }
  const zg_yaml_node_t *const *items = &want;
  size_t n = 1;
  if (want->type == ZG_YAML_SEQ) items = (const zg_yaml_node_t *const *)want->items, n = want->n;
  if (o->is_bool || n != o->nout)
    return case_fail(why, whylen, "the output has %zu values, the call gives %zu", n, o->nout);
  for (size_t i = 0; i < n; i++) {
    zg_buf_t b;
    zg_buf_init(&b);
    bool hex = hex_node(&b, items[i]);
    bool same = hex && b.len == o->outlen[i] && memcmp(b.ptr, o->out[i], b.len) == 0;
    zg_buf_clear(&b);
    if (!hex) return case_fail(why, whylen, "output %zu is not a hex string", i);
    if (!same) {
      char got[2 * 48 + 3];
      zg_hex_encode(got, o->out[i], o->outlen[i]);
      return case_fail(why, whylen, "output %zu differs: got %s", i, got);
    }
  }
  return ZG_KZG_CASE_PASS;
}

zg_kzg_case_result_t zg__kzg_case_run(const zg_kzg_settings_t *s, const char *kind, const zg_yaml_node_t *doc,
                                      char *why, size_t whylen) {
  if (why && whylen) why[0] = 0;
  if (!zg__kzg_case_kind_runs(kind)) return ZG_KZG_CASE_UNSUPPORTED;
  if (zg__kzg_cells_case_kind(kind)) return zg__kzg_cells_case_run(s, kind, doc, why, whylen);
  const zg_yaml_node_t *input = zg__yaml_get(doc, "input"), *want = zg__yaml_get(doc, "output");
  if (!input || input->type != ZG_YAML_MAP || !want)
    return case_fail(why, whylen, "the case needs an 'input' mapping and an 'output'");
  outcome_t o;
  memset(&o, 0, sizeof o);
  if (strcmp(kind, "verify_blob_kzg_proof_batch") == 0) {
    if (!run_batch(s, input, &o)) return case_fail(why, whylen, "missing input lists blobs/commitments/proofs");
    return compare(&o, want, why, whylen);
  }
  size_t k = 0;
  while (k < COUNT(SHAPES) && strcmp(SHAPES[k].kind, kind) != 0) k++;
  if (k == COUNT(SHAPES)) return ZG_KZG_CASE_UNSUPPORTED;
  zg_buf_t b[4];
  bool bad_hex = false;
  const char *missing = NULL;
  for (int i = 0; i < 4; i++) {
    zg_buf_init(&b[i]);
    const char *key = SHAPES[k].keys[i];
    if (!key) continue;
    const zg_yaml_node_t *n = zg__yaml_get(input, key);
    if (!n && !missing) missing = key;
    if (n && !hex_node(&b[i], n)) bad_hex = true;
  }
  zg_kzg_case_result_t res;
  if (missing) {
    res = case_fail(why, whylen, "missing input '%s'", missing);
  } else {
    if (bad_hex)
      o.err = ZG_EHEX; /* an undecodable input: the call cannot be made */
    else
      run_call(s, kind, b, &o);
    res = compare(&o, want, why, whylen);
  }
  for (int i = 0; i < 4; i++) zg_buf_clear(&b[i]);
  return res;
}

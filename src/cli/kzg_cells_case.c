/*
 * kzg_cells_case.c — the EIP-7594 kinds of the c-kzg-4844 vector format
 * (see kzg_cells_case.h). `output: null` means the call must fail; inputs
 * that are not valid hex or integers make the call fail, as a binding would.
 */
#include "cli/kzg_cells_case.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/bytes.h"
#include "zg/kzg_cells.h"

static const char *const KINDS[] = {"compute_cells", "compute_cells_and_kzg_proofs", "recover_cells_and_kzg_proofs",
                                    "verify_cell_kzg_proof_batch", "compute_verify_cell_kzg_proof_batch_challenge"};

bool zg__kzg_cells_case_kind(const char *kind) {
  for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
    if (strcmp(kind, KINDS[i]) == 0) return true;
  return false;
}

/* The cached cells context and scratch. */
static struct {
  const zg_kzg_settings_t *for_s;
  zg_kzg_cells_t *ctx;
  void *scratch;
  size_t scratch_cells;
  bool atexit_set;
} g_cells;

static void cells_free(void) {
  zg_kzg_cells_destroy(g_cells.ctx);
  free(g_cells.scratch);
  g_cells.ctx = NULL;
  g_cells.scratch = NULL;
  g_cells.for_s = NULL;
  g_cells.scratch_cells = 0;
}

static zg_err_t cells_get(const zg_kzg_settings_t *s, size_t ncells) {
  if (g_cells.for_s != s) {
    cells_free();
    if (!g_cells.atexit_set) g_cells.atexit_set = atexit(cells_free) == 0;
    ZG_TRY(zg_kzg_cells_create(&g_cells.ctx, s, NULL));
    g_cells.for_s = s;
  }
  if (ncells < 128) ncells = 128;
  if (ncells > g_cells.scratch_cells) {
    free(g_cells.scratch);
    g_cells.scratch = malloc(zg_kzg_cells_scratch_size(g_cells.ctx, ncells));
    g_cells.scratch_cells = g_cells.scratch ? ncells : 0;
    if (!g_cells.scratch) return ZG_ENOMEM;
  }
  return ZG_OK;
}

static zg_kzg_case_result_t failf(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static zg_kzg_case_result_t failf(char *why, size_t whylen, const char *fmt, ...) {
  if (why && whylen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
  }
  return ZG_KZG_CASE_FAIL;
}

/* A list of byte strings decoded into one buffer. */
typedef struct {
  zg_buf_t buf;
  zg_slice_t *s;
  size_t n;
  bool bad; /* some entry was not valid hex (or not a string) */
} blist_t;

static void blist_free(blist_t *l) {
  zg_buf_clear(&l->buf);
  free(l->s);
  memset(l, 0, sizeof *l);
}

/* Appends a 0x-hex string node to b; false for invalid hex. */
static bool append_hex(zg_buf_t *b, const zg_yaml_node_t *n) {
  if (!n || n->type != ZG_YAML_STR) return false;
  return zg_hex_decode_buf(b, n->str, n->len) == ZG_OK;
}

/* node as a list of byte strings; when nested, each entry is itself a list
 * of byte strings that are concatenated (cosets_evals). False when node is
 * not a sequence. */
static bool get_blist(blist_t *l, const zg_yaml_node_t *node, bool nested) {
  memset(l, 0, sizeof *l);
  zg_buf_init(&l->buf);
  if (!node || node->type != ZG_YAML_SEQ) return false;
  size_t *offs = calloc(node->n + 1, sizeof *offs);
  l->s = calloc(node->n + 1, sizeof *l->s);
  if (!offs || !l->s) {
    free(offs);
    return false;
  }
  for (size_t i = 0; i < node->n; i++) {
    offs[i] = l->buf.len;
    const zg_yaml_node_t *it = node->items[i];
    if (!nested) {
      if (!append_hex(&l->buf, it)) l->bad = true;
    } else if (!it || it->type != ZG_YAML_SEQ) {
      l->bad = true;
    } else {
      for (size_t j = 0; j < it->n; j++) {
        size_t before = l->buf.len;
        if (!append_hex(&l->buf, it->items[j]) || l->buf.len - before != 32) l->bad = true;
      }
    }
  }
  offs[node->n] = l->buf.len;
  for (size_t i = 0; i < node->n; i++) l->s[i] = zg_slice(l->buf.ptr + offs[i], offs[i + 1] - offs[i]);
  free(offs);
  l->n = node->n;
  return true;
}

/* node as a list of unsigned integers (*out allocated). False when it is
 * not a list; *bad when an entry is not a plain decimal integer < 2^64. */
static bool get_ulist(uint64_t **out, size_t *n, const zg_yaml_node_t *node, bool *bad) {
  *out = NULL;
  *n = 0;
  if (!node || node->type != ZG_YAML_SEQ) return false;
  *out = calloc(node->n + 1, sizeof **out);
  if (!*out) return false;
  for (size_t i = 0; i < node->n; i++) {
    const zg_yaml_node_t *it = node->items[i];
    if (!it || it->type != ZG_YAML_STR || it->quoted || it->len == 0 || it->len > 20) {
      *bad = true;
      continue;
    }
    uint64_t v = 0;
    for (size_t k = 0; k < it->len; k++) {
      char c = it->str[k];
      if (c < '0' || c > '9' || v > (UINT64_MAX - (uint64_t)(c - '0')) / 10) {
        *bad = true;
        break;
      }
      v = v * 10 + (uint64_t)(c - '0');
    }
    (*out)[i] = v;
  }
  *n = node->n;
  return true;
}

/* Compares got (n items of item_len bytes) with an expected list node. */
static bool same_list(const uint8_t *got, size_t n, size_t item_len, const zg_yaml_node_t *want, char *why,
                      size_t whylen) {
  blist_t l;
  bool ok = get_blist(&l, want, false) && !l.bad && l.n == n;
  for (size_t i = 0; ok && i < n; i++) {
    if (l.s[i].len != item_len || memcmp(l.s[i].ptr, got + i * item_len, item_len) != 0) {
      failf(why, whylen, "item %zu differs", i);
      ok = false;
    }
  }
  if (!ok && why && whylen && !why[0]) failf(why, whylen, "output list malformed or of the wrong length");
  blist_free(&l);
  return ok;
}

zg_kzg_case_result_t zg__kzg_cells_case_run(const zg_kzg_settings_t *s, const char *kind, const zg_yaml_node_t *doc,
                                            char *why, size_t whylen) {
  if (!zg__kzg_cells_case_kind(kind)) return ZG_KZG_CASE_UNSUPPORTED;
  if (why && whylen) why[0] = 0;
  const zg_yaml_node_t *input = zg__yaml_get(doc, "input"), *output = zg__yaml_get(doc, "output");
  if (!input || input->type != ZG_YAML_MAP || !output) return failf(why, whylen, "no input/output");
  bool expect_fail = output->type == ZG_YAML_NULL;

  blist_t a = {0}, b = {0}, c = {0};
  uint64_t *idx = NULL, *cidx = NULL;
  size_t nidx = 0, ncidx = 0;
  bool bad = false;
  uint8_t *cells = malloc(ZG_KZG_BYTES_PER_EXT_BLOB), *proofs = malloc(ZG_KZG_BYTES_PER_CELL_PROOFS);
  zg_err_t err = ZG_OK;
  bool verdict = false;
  uint8_t chal[32];
  zg_kzg_case_result_t res = ZG_KZG_CASE_PASS;
  if (!cells || !proofs) {
    res = failf(why, whylen, "out of memory");
    goto out;
  }

  if (strcmp(kind, "compute_cells") == 0 || strcmp(kind, "compute_cells_and_kzg_proofs") == 0) {
    zg_buf_t blob;
    zg_buf_init(&blob);
    bool hex_ok = append_hex(&blob, zg__yaml_get(input, "blob"));
    err = cells_get(s, 128);
    if (err == ZG_OK && !hex_ok) err = ZG_EHEX;
    if (err == ZG_OK) {
      if (kind[13] == 0) /* "compute_cells" */
        err = zg_kzg_compute_cells(g_cells.ctx, cells, blob.ptr, blob.len, g_cells.scratch);
      else
        err = zg_kzg_compute_cells_and_proofs(g_cells.ctx, cells, proofs, blob.ptr, blob.len, g_cells.scratch);
    }
    zg_buf_clear(&blob);
  } else if (strcmp(kind, "recover_cells_and_kzg_proofs") == 0) {
    bool have = get_ulist(&idx, &nidx, zg__yaml_get(input, "cell_indices"), &bad);
    have &= get_blist(&a, zg__yaml_get(input, "cells"), false);
    err = !have ? ZG_EINVAL : (bad || a.bad) ? ZG_EHEX : cells_get(s, 128);
    if (err == ZG_OK)
      err = zg_kzg_recover_cells_and_proofs(g_cells.ctx, cells, proofs, idx, nidx, a.s, a.n, g_cells.scratch);
  } else if (strcmp(kind, "verify_cell_kzg_proof_batch") == 0) {
    bool have = get_blist(&a, zg__yaml_get(input, "commitments"), false);
    have &= get_ulist(&idx, &nidx, zg__yaml_get(input, "cell_indices"), &bad);
    have &= get_blist(&b, zg__yaml_get(input, "cells"), false);
    have &= get_blist(&c, zg__yaml_get(input, "proofs"), false);
    err = !have ? ZG_EINVAL : (bad || a.bad || b.bad || c.bad) ? ZG_EHEX : cells_get(s, b.n);
    if (err == ZG_OK)
      err = zg_kzg_verify_cell_proof_batch(g_cells.ctx, &verdict, a.s, a.n, idx, nidx, b.s, b.n, c.s, c.n,
                                           g_cells.scratch);
  } else { /* compute_verify_cell_kzg_proof_batch_challenge */
    bool have = get_blist(&a, zg__yaml_get(input, "commitments"), false);
    have &= get_ulist(&cidx, &ncidx, zg__yaml_get(input, "commitment_indices"), &bad);
    have &= get_ulist(&idx, &nidx, zg__yaml_get(input, "cell_indices"), &bad);
    have &= get_blist(&b, zg__yaml_get(input, "cosets_evals"), true);
    have &= get_blist(&c, zg__yaml_get(input, "proofs"), false);
    err = !have ? ZG_EINVAL : (bad || a.bad || b.bad || c.bad) ? ZG_EHEX : ZG_OK;
    if (err == ZG_OK && (ncidx != nidx || b.n != nidx || c.n != nidx)) err = ZG_EINVAL;
    if (err == ZG_OK) err = zg_kzg_compute_cell_batch_challenge(chal, a.s, a.n, cidx, idx, b.s, c.s, nidx);
  }

  if (expect_fail) {
    if (err == ZG_OK) res = failf(why, whylen, "expected failure, the call succeeded");
    goto out;
  }
  if (err != ZG_OK) {
    res = failf(why, whylen, "unexpected error %s", zg_errname(err));
    goto out;
  }
  if (strcmp(kind, "verify_cell_kzg_proof_batch") == 0) {
    if (output->type != ZG_YAML_BOOL || output->b != verdict)
      res = failf(why, whylen, "verdict %s, expected the other", verdict ? "true" : "false");
  } else if (strcmp(kind, "compute_verify_cell_kzg_proof_batch_challenge") == 0) {
    zg_buf_t w;
    zg_buf_init(&w);
    if (!append_hex(&w, output) || w.len != 32 || memcmp(w.ptr, chal, 32) != 0)
      res = failf(why, whylen, "challenge differs");
    zg_buf_clear(&w);
  } else if (strcmp(kind, "compute_cells") == 0) {
    if (!same_list(cells, ZG_KZG_CELLS_PER_EXT_BLOB, ZG_KZG_BYTES_PER_CELL, output, why, whylen))
      res = ZG_KZG_CASE_FAIL;
  } else {
    if (output->type != ZG_YAML_SEQ || output->n != 2)
      res = failf(why, whylen, "output is not [cells, proofs]");
    else if (!same_list(cells, ZG_KZG_CELLS_PER_EXT_BLOB, ZG_KZG_BYTES_PER_CELL, output->items[0], why, whylen) ||
             !same_list(proofs, ZG_KZG_CELLS_PER_EXT_BLOB, 48, output->items[1], why, whylen))
      res = ZG_KZG_CASE_FAIL;
  }
out:
  blist_free(&a);
  blist_free(&b);
  blist_free(&c);
  free(idx);
  free(cidx);
  free(cells);
  free(proofs);
  return res;
}

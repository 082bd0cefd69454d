/*
 * exec_internal.h — what exec.c and exec_call.c share: the executor struct
 * and the block host's context. Not a public header.
 */
#ifndef ZG_EXEC_INTERNAL_H
#define ZG_EXEC_INTERNAL_H

#include "zg/exec.h"

struct zg_exec {
  zg_state_t *states[ZG_STATE_MAX_LANES]; /* borrowed, states[i] is lane i */
  uint32_t lanes;
  const zg_sc_registry_t *reg; /* borrowed */
  uint64_t chain_id;
  zg_u256_t base_fee;
};

/* The context of the host a block's calls run against. */
typedef struct {
  zg_exec_t *ex;
  zg_state_block_t *b;
  zg_exec_log_t *logs; /* the current transaction's logs */
  size_t nlogs, caplogs;
  zg_err_t err; /* first node-side error a host callback met (aborts the block) */
} bhost_t;

/* Fills h with the block host over bh (caller, self, value left zero). */
void zg__exec_host_init(zg_sc_host_t *h, bhost_t *bh, const zg_block_ctx_t *ctx);

#endif

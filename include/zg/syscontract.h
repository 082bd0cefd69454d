/*
 * zg/syscontract.h — the native system-contract framework (layer 4,
 * src/chain/syscontract.c). A system contract is C code at a fixed 20-byte
 * address, called with Solidity ABI calldata (4-byte selector + arguments,
 * zg/abi.h) exactly as an EVM contract would be, so wallets, ethers.js and
 * 0G's SDKs talk to it unchanged.
 *
 * A contract is a table of methods (signature text, flags, gas cost, C
 * handler). Registration computes each selector from the signature with
 * Keccak; a duplicate selector or address is a programming error
 * (ZG_EEXIST). Dispatch finds the method by selector, refuses value sent to
 * a non-payable method and state-changing methods in a read-only call, then
 * runs the handler against a host.
 *
 * The host (zg_sc_host_t) is the executor's view of the world for one call:
 * contract storage (raw keys and values, namespaced per contract by the
 * host), balances of accounts, logs, and the call context. Every write made
 * through the host during a call that reverts is rolled back by the host
 * (the executor gives each call its own LMDB nested transaction or write
 * buffer). Handlers therefore never clean up state on failure: they return
 * ZG_SC_REVERT with a reason.
 *
 * Outcomes: ZG_SC_OK with ABI-encoded return data; ZG_SC_REVERT with a
 * reason string, encoded as Solidity's Error(string) (selector 0x08c379a0)
 * in the return data, which ethers.js decodes; ZG_SC_FAIL for a host error
 * (I/O, out of memory) — the executor stops the block, it is not the
 * caller's fault.
 */
#ifndef ZG_SYSCONTRACT_H
#define ZG_SYSCONTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/ecdsa.h"
#include "zg/err.h"
#include "zg/u256.h"

typedef enum {
  ZG_SC_OK = 0,
  ZG_SC_REVERT = 1,
  ZG_SC_FAIL = 2,
} zg_sc_status_t;

/* An Ethereum log as a system contract emits it. */
typedef struct {
  zg_eth_addr_t address;
  uint8_t topics[4][32];
  unsigned n_topics; /* 0..4 */
  const uint8_t *data;
  size_t data_len;
} zg_sc_log_t;

/* The call context and the world, provided by the executor (or by a test). */
typedef struct zg_sc_host {
  void *ctx;
  /* Call context. */
  zg_eth_addr_t caller;  /* msg.sender */
  zg_eth_addr_t self;    /* the contract's address */
  zg_u256_t value;       /* msg.value, already moved to the contract's balance */
  uint64_t block_number; /* height of the lane's block being executed (eth_call: latest) */
  uint64_t timestamp_ms;
  uint64_t epoch;     /* the block's epoch */
  uint32_t lane;
  uint64_t chain_id;
  bool read_only; /* eth_call: every write fails with ZG_EPERM */
  /* Contract storage, private to self. get: *found false when absent; the
   * value is copied into out (out->len set). */
  zg_err_t (*sget)(struct zg_sc_host *h, const uint8_t *key, size_t klen, zg_buf_t *out, bool *found);
  zg_err_t (*sput)(struct zg_sc_host *h, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen);
  zg_err_t (*sdel)(struct zg_sc_host *h, const uint8_t *key, size_t klen);
  /* Ordered iteration over self's keys starting with prefix: calls fn for
   * each (key, value) in key order until fn returns false. */
  zg_err_t (*sscan)(struct zg_sc_host *h, const uint8_t *prefix, size_t plen,
                    bool (*fn)(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl), void *arg);
  /* Balances. transfer moves amount from self to `to` (ZG_ERANGE: self's
   * balance is too small). `to` may be on another lane: the executor routes
   * the credit (docs/chain.md "Cross-lane value"). */
  zg_err_t (*balance)(struct zg_sc_host *h, const zg_eth_addr_t *who, zg_u256_t *out);
  zg_err_t (*transfer)(struct zg_sc_host *h, const zg_eth_addr_t *to, const zg_u256_t *amount);
  /* Appends a log to the transaction's receipt (dropped if the call reverts). */
  zg_err_t (*emit)(struct zg_sc_host *h, const zg_sc_log_t *log);
} zg_sc_host_t;

/* The result of a call: return data or revert reason. Owned by the caller;
 * release with zg_sc_result_free. */
typedef struct {
  zg_sc_status_t status;
  zg_buf_t ret;           /* ABI-encoded return data, or Error(string) when reverted */
  char reason[256];       /* the revert reason as text (NUL-terminated) */
  uint64_t gas;           /* the method's gas cost (charged even on revert) */
} zg_sc_result_t;

void zg_sc_result_free(zg_sc_result_t *r);

/* Handler: args points at the calldata after the selector. Write the return
 * data into res->ret (ABI-encoded), or call zg_sc_revert and return
 * ZG_SC_REVERT. */
typedef zg_sc_status_t (*zg_sc_fn)(zg_sc_host_t *host, const uint8_t *args, size_t args_len,
                                   zg_sc_result_t *res);

enum {
  ZG_SC_VIEW = 1u << 0,    /* no writes: callable by eth_call and by transactions */
  ZG_SC_PAYABLE = 1u << 1, /* accepts msg.value > 0 */
};

typedef struct {
  const char *signature; /* canonical Solidity signature, e.g. "delegate(address)" */
  unsigned flags;
  uint64_t gas; /* cost charged on top of the intrinsic gas */
  zg_sc_fn fn;
} zg_sc_method_t;

typedef struct {
  const char *name;      /* "Staking" */
  zg_eth_addr_t address; /* fixed address */
  uint32_t lane;         /* the lane it lives on (docs/chain.md) */
  const zg_sc_method_t *methods;
  size_t n_methods;
  /* Optional: called once when the chain's genesis is applied (state
   * initialisation), with the genesis JSON object (a json_t *, or NULL). */
  zg_sc_status_t (*genesis)(zg_sc_host_t *host, const void *genesis_json, zg_sc_result_t *res);
} zg_sc_contract_t;

typedef struct zg_sc_registry zg_sc_registry_t;

ZG_WARN_UNUSED zg_err_t zg_sc_registry_new(zg_sc_registry_t **out);
void zg_sc_registry_free(zg_sc_registry_t *r);
/* Registers a contract (borrowed; must outlive the registry). ZG_EEXIST on a
 * duplicate address or selector, ZG_EINVAL on a bad signature. */
ZG_WARN_UNUSED zg_err_t zg_sc_register(zg_sc_registry_t *r, const zg_sc_contract_t *c);
/* The contract at addr, or NULL. */
const zg_sc_contract_t *zg_sc_find(const zg_sc_registry_t *r, const zg_eth_addr_t *addr);
/* Number of contracts and the i-th one, in registration order. */
size_t zg_sc_count(const zg_sc_registry_t *r);
const zg_sc_contract_t *zg_sc_at(const zg_sc_registry_t *r, size_t i);

/* Runs one call of the contract at host->self with calldata. Always fills
 * res (status, gas, ret or reason). Returns ZG_OK unless res->status is
 * ZG_SC_FAIL (then the host error). An unknown selector, short calldata,
 * value to a non-payable method, or a write in read_only mode are reverts
 * with reasons. */
ZG_WARN_UNUSED zg_err_t zg_sc_call(const zg_sc_registry_t *r, zg_sc_host_t *host, const uint8_t *calldata,
                                   size_t len, zg_sc_result_t *res);
/* The gas a call would cost without running it (intrinsic excluded);
 * ZG_ENOTFOUND for an unknown contract or selector. */
ZG_WARN_UNUSED zg_err_t zg_sc_gas(const zg_sc_registry_t *r, const zg_eth_addr_t *addr, const uint8_t *calldata,
                                  size_t len, uint64_t *gas);

/* Helper for handlers: sets res to a revert with a printf-style reason and
 * returns ZG_SC_REVERT. */
zg_sc_status_t zg_sc_revert(zg_sc_result_t *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The system contracts compiled into this build (src/contracts), registered
 * into r. Defined in src/contracts/registry.c. */
ZG_WARN_UNUSED zg_err_t zg_contracts_register_all(zg_sc_registry_t *r);

#endif

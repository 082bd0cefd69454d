/*
 * miner_chain.c — the miner's chain over Ethereum JSON-RPC
 * (zg_miner_chain_rpc in zg/storage_miner.h): eth_blockNumber, eth_call
 * (a revert is JSON-RPC error 3 "execution reverted: <reason>"), and signed
 * legacy EIP-155 transactions with their receipts.
 *
 * The key is a secret: it lives in this struct only, and is wiped on
 * destroy. One client, used by the miner's thread only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zg/rpc_client.h"
#include "zg/storage_miner.h"
#include "zg/tx.h"

typedef struct {
  zg_rpc_client_t *c;
  zg_secp256k1_sk_t sk;
  zg_eth_addr_t sender;
  char sender_text[43];
  uint64_t chain_id;
} rpc_chain_t;

static zg_err_t rpc_call(rpc_chain_t *rc, json_t **res, zg_rpc_error_t *re, const char *method, json_t *params) {
  zg_rpc_error_t local;
  return zg_rpc_client_call(rc->c, res, re ? re : &local, method, params);
}

/* A quantity result ("0x..") of method as u64. */
static zg_err_t rpc_u64(rpc_chain_t *rc, uint64_t *out, const char *method, json_t *params) {
  json_t *r = NULL;
  zg_err_t e = rpc_call(rc, &r, NULL, method, params);
  const char *s = json_string_value(r);
  zg_u256_t v;
  if (e == ZG_OK) e = s ? zg_u256_parse(&v, s, strlen(s)) : ZG_EJSON;
  json_decref(r);
  if (e != ZG_OK) return e;
  uint8_t be[32];
  zg_u256_to_be32(be, &v);
  for (int i = 0; i < 24; i++)
    if (be[i]) return ZG_ERANGE;
  *out = zg_load_be64(be + 24);
  return ZG_OK;
}

static zg_err_t c_info(void *arg, uint64_t *chain_id, zg_eth_addr_t *sender) {
  rpc_chain_t *rc = arg;
  if (!rc->chain_id) ZG_TRY(rpc_u64(rc, &rc->chain_id, "eth_chainId", json_array()));
  *chain_id = rc->chain_id;
  *sender = rc->sender;
  return ZG_OK;
}

static zg_err_t c_head(void *arg, uint64_t *block) {
  return rpc_u64(arg, block, "eth_blockNumber", json_array());
}

/* {"from", "to", "data"} of a call; NULL on allocation failure. */
static json_t *call_obj(rpc_chain_t *rc, const zg_eth_addr_t *to, const uint8_t *cd, size_t len) {
  char tot[43], *hex = malloc(2 * len + 3);
  if (!hex) return NULL;
  zg_eth_address_to_text(tot, to);
  zg_hex_encode(hex, cd, len);
  json_t *o = json_pack("{s:s, s:s, s:s}", "from", rc->sender_text, "to", tot, "data", hex);
  free(hex);
  return o;
}

static void revert_reason(char *reason, size_t rlen, const char *msg) {
  const char *p = strstr(msg, "execution reverted");
  if (p) {
    p += strlen("execution reverted");
    if (*p == ':') p++;
    while (*p == ' ') p++;
  }
  snprintf(reason, rlen, "%s", p && *p ? p : msg);
}

static zg_err_t c_call(void *arg, zg_buf_t *ret, bool *reverted, char *reason, size_t rlen, const zg_eth_addr_t *to,
                       const uint8_t *cd, size_t len) {
  rpc_chain_t *rc = arg;
  *reverted = false;
  ret->len = 0;
  json_t *o = call_obj(rc, to, cd, len), *r = NULL;
  if (!o) return ZG_ENOMEM;
  zg_rpc_error_t re = {0, ""};
  zg_err_t e = rpc_call(rc, &r, &re, "eth_call", json_pack("[o, s]", o, "latest"));
  if (e == ZG_EINVAL && strstr(re.message, "changes state")) return ZG_EUNSUPPORTED; /* eth_call is views only */
  if (e == ZG_EINVAL && re.code != 0) {
    /* A JSON-RPC error: 3 is a revert; others (e.g. the lane rule) are refusals too. */
    *reverted = true;
    revert_reason(reason, rlen, re.message);
    return ZG_OK;
  }
  const char *s = json_string_value(r);
  if (e == ZG_OK && !s) e = ZG_EJSON;
  if (e == ZG_OK) e = zg_hex_decode_buf(ret, s, strlen(s)) == ZG_OK ? ZG_OK : ZG_EJSON;
  json_decref(r);
  return e;
}

/* The gas for the call: eth_estimateGas + 25%, 3M when it cannot estimate. */
static uint64_t gas_for(rpc_chain_t *rc, const zg_eth_addr_t *to, const uint8_t *cd, size_t len) {
  json_t *o = call_obj(rc, to, cd, len);
  uint64_t g = 0;
  if (o && rpc_u64(rc, &g, "eth_estimateGas", json_pack("[o]", o)) == ZG_OK && g > 0 && g < 100000000)
    return g + g / 4;
  return 3000000;
}

static zg_err_t c_send(void *arg, bool *ok, uint64_t *block, char *reason, size_t rlen, const zg_eth_addr_t *to,
                       const uint8_t *cd, size_t len) {
  rpc_chain_t *rc = arg;
  *ok = false;
  *block = 0;
  if (rlen) reason[0] = '\0';
  uint64_t chain_id, nonce;
  zg_eth_addr_t sender;
  ZG_TRY(c_info(rc, &chain_id, &sender));
  ZG_TRY(rpc_u64(rc, &nonce, "eth_getTransactionCount", json_pack("[s, s]", rc->sender_text, "pending")));
  json_t *r = NULL;
  ZG_TRY(rpc_call(rc, &r, NULL, "eth_gasPrice", json_array()));
  zg_u256_t price;
  const char *ps = json_string_value(r);
  zg_err_t e = ps ? zg_u256_parse(&price, ps, strlen(ps)) : ZG_EJSON;
  json_decref(r);
  ZG_TRY(e);
  zg_tx_t f;
  memset(&f, 0, sizeof f);
  f.type = ZG_TX_LEGACY;
  f.chain_id = chain_id;
  f.nonce = nonce;
  f.gas_price = f.max_fee = f.max_priority_fee = price;
  f.gas_limit = gas_for(rc, to, cd, len);
  f.has_to = true;
  f.to = *to;
  f.data = (zg_slice_t){cd, len};
  zg_buf_t raw;
  zg_buf_init(&raw);
  e = zg_tx_sign(&raw, &f, &rc->sk);
  char *hex = e == ZG_OK ? malloc(2 * raw.len + 3) : NULL;
  if (e == ZG_OK && !hex) e = ZG_ENOMEM;
  if (e == ZG_OK) zg_hex_encode(hex, raw.ptr, raw.len);
  zg_buf_clear(&raw);
  if (e != ZG_OK) {
    free(hex);
    return e;
  }
  zg_rpc_error_t re = {0, ""};
  r = NULL;
  e = rpc_call(rc, &r, &re, "eth_sendRawTransaction", json_pack("[s]", hex));
  free(hex);
  char txh[80] = "";
  if (e == ZG_OK && json_is_string(r)) snprintf(txh, sizeof txh, "%s", json_string_value(r));
  json_decref(r);
  if (e == ZG_EINVAL && re.code != 0) {
    snprintf(reason, rlen, "%s", re.message);
    return ZG_EREVERT;
  }
  ZG_TRY(e);
  if (!txh[0]) return ZG_EJSON;
  for (int i = 0; i < 600; i++) {
    r = NULL;
    if (rpc_call(rc, &r, NULL, "eth_getTransactionReceipt", json_pack("[s]", txh)) == ZG_OK && json_is_object(r)) {
      const char *st = json_string_value(json_object_get(r, "status"));
      const char *bn = json_string_value(json_object_get(r, "blockNumber"));
      zg_u256_t b;
      *ok = st && strcmp(st, "0x1") == 0;
      if (bn && zg_u256_parse(&b, bn, strlen(bn)) == ZG_OK) *block = b.w[0];
      json_decref(r);
      return ZG_OK;
    }
    json_decref(r);
    usleep(100000);
  }
  snprintf(reason, rlen, "no receipt for %s after 60 s", txh);
  return ZG_ETIMEOUT;
}

static void c_destroy(void *arg) {
  rpc_chain_t *rc = arg;
  if (!rc) return;
  zg_rpc_client_destroy(rc->c);
  zg_secp256k1_sk_clear(&rc->sk);
  zg_memwipe(rc, sizeof *rc);
  free(rc);
}

zg_err_t zg_miner_chain_rpc(zg_miner_chain_t *out, const char *url, const zg_secp256k1_sk_t *sk, unsigned timeout_ms) {
  memset(out, 0, sizeof *out);
  if (!url || !*url || !sk) return ZG_EINVAL;
  rpc_chain_t *rc = calloc(1, sizeof *rc);
  if (!rc) return ZG_ENOMEM;
  zg_secp256k1_pk_t pk;
  zg_err_t e = zg_rpc_client_create(&rc->c, url, timeout_ms ? timeout_ms : 10000);
  rc->sk = *sk;
  if (e == ZG_OK) e = zg_secp256k1_pubkey(&pk, &rc->sk);
  if (e != ZG_OK) {
    c_destroy(rc);
    return e;
  }
  zg_eth_address(&rc->sender, &pk);
  zg_eth_address_to_text(rc->sender_text, &rc->sender);
  *out = (zg_miner_chain_t){rc, c_info, c_head, c_call, c_send, c_destroy};
  return ZG_OK;
}

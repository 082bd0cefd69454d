/*
 * chain.c — the DA clients' view of the chain (zg/da_chain.h): DASigners
 * and DAEntrance views through eth_call, transactions signed here and sent
 * with eth_sendRawTransaction, and the signer's registration and per-epoch
 * opt-in.
 *
 * Invariants: every answer of the chain is untrusted input — decoded with
 * the strict ABI decoder and range-checked (at most 128 slots, endpoints of
 * at most 256 bytes, 48-byte keys) before it reaches a peer list; a
 * malformed answer is ZG_EPROTO, never an abort. Secrets (the Ethereum key
 * is the caller's; the VRF signature is public) are not copied here.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zg/abi.h"
#include "zg/bls.h"
#include "zg/da_chain.h"
#include "zg/staking.h"
#include "zg/tx.h"

static void say(char *msg, size_t ml, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *msg, size_t ml, const char *fmt, ...) {
  if (!msg || !ml) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, ml, fmt, ap);
  va_end(ap);
}

/* "0x" + hex of p[0..n) (malloc'd; NULL when out of memory). */
static char *hex_dup(const uint8_t *p, size_t n) {
  char *s = malloc(2 * n + 3);
  if (s) zg_hex_encode(s, p, n);
  return s;
}

/* A JSON-RPC quantity or hex string result as u256. */
static zg_err_t json_u256(zg_u256_t *out, const json_t *r) {
  const char *s = json_string_value(r);
  return s ? zg_u256_parse(out, s, strlen(s)) : ZG_EJSON;
}

static zg_err_t u256_u64(uint64_t *out, const zg_u256_t *v) {
  uint8_t be[32];
  zg_u256_to_be32(be, v);
  for (int i = 0; i < 24; i++)
    if (be[i]) return ZG_ERANGE;
  *out = zg_load_be64(be + 24);
  return ZG_OK;
}

static zg_err_t call_u64(zg_rpc_client_t *c, uint64_t *out, const char *method, json_t *params, char *msg,
                         size_t ml) {
  json_t *r = NULL;
  zg_rpc_error_t re;
  zg_u256_t v;
  zg_err_t e = zg_rpc_client_call(c, &r, &re, method, params);
  if (e != ZG_OK) say(msg, ml, "%s: %s", method, re.message[0] ? re.message : zg_strerror(e));
  if (e == ZG_OK) e = json_u256(&v, r);
  if (e == ZG_OK) e = u256_u64(out, &v);
  json_decref(r);
  return e;
}

/* eth_call of calldata cd on `to` from `from` (may be NULL) with value;
 * *ret gets the return bytes. A JSON-RPC error (a revert) is ZG_EREVERT
 * with its message in msg. */
static zg_err_t eth_call(zg_rpc_client_t *c, zg_buf_t *ret, const zg_eth_addr_t *from, const zg_eth_addr_t *to,
                         const zg_u256_t *value, const zg_buf_t *cd, char *msg, size_t ml) {
  char tt[43], ft[43], vq[ZG_U256_HEX_MAX];
  char *data = hex_dup(cd->ptr, cd->len);
  if (!data) return ZG_ENOMEM;
  zg_eth_address_to_text(tt, to);
  json_t *call = json_pack("{s:s, s:s}", "to", tt, "data", data);
  free(data);
  if (!call) return ZG_ENOMEM;
  if (from) {
    zg_eth_address_to_text(ft, from);
    json_object_set_new(call, "from", json_string(ft));
  }
  if (value) {
    zg_u256_to_quantity(vq, value);
    json_object_set_new(call, "value", json_string(vq));
  }
  json_t *r = NULL;
  zg_rpc_error_t re;
  zg_err_t e = zg_rpc_client_call(c, &r, &re, "eth_call", json_pack("[o, s]", call, "latest"));
  if (e != ZG_OK) {
    say(msg, ml, "%s", re.message[0] ? re.message : zg_strerror(e));
    if (re.code != 0) e = ZG_EREVERT;
  } else {
    const char *h = json_string_value(r);
    size_t hl = h ? strlen(h) : 0;
    if (!h || hl < 2 || hl % 2) {
      e = ZG_EPROTO;
    } else {
      ret->len = 0;
      e = zg_buf_reserve(ret, hl / 2);
      if (e == ZG_OK) e = zg_hex_decode(ret->ptr, hl / 2 - 1, h, hl);
      if (e == ZG_OK) ret->len = hl / 2 - 1;
    }
    if (e != ZG_OK) say(msg, ml, "eth_call: malformed result");
  }
  json_decref(r);
  return e;
}

zg_err_t zg_da_chain_view(zg_rpc_client_t *c, const zg_abi_value_t **out, zg_abi_arena_t *a, const zg_eth_addr_t *to,
                          const char *sig, const zg_abi_value_t *args, size_t n, const char *ret_type, char *msg,
                          size_t ml) {
  zg_abi_func_t f;
  const zg_abi_type_t *t;
  zg_abi_value_t v;
  zg_buf_t cd, ret;
  zg_buf_init(&cd);
  zg_buf_init(&ret);
  zg_err_t e = zg_abi_func_parse(&f, a, sig);
  if (e == ZG_OK) e = zg_abi_call_encode(&cd, &f, args, n);
  if (e == ZG_OK) e = zg_abi_type_parse_str(&t, a, ret_type);
  if (e != ZG_OK) say(msg, ml, "%s: cannot encode the call", sig);
  if (e == ZG_OK) e = eth_call(c, &ret, NULL, to, NULL, &cd, msg, ml);
  if (e == ZG_OK) {
    e = zg_abi_decode(&v, a, t, ret.ptr, ret.len);
    if (e != ZG_OK) {
      say(msg, ml, "%s: the answer does not decode as %s", sig, ret_type);
      e = ZG_EPROTO;
    } else {
      *out = v.u.items;
    }
  }
  zg_buf_clear(&cd);
  zg_buf_clear(&ret);
  return e;
}

static const zg_eth_addr_t das_addr = {ZG_DASIGNERS_ADDRESS_BYTES};
static const zg_eth_addr_t dae_addr = {ZG_DAENTRANCE_ADDRESS_BYTES};

/* The epoch comes from Staking.currentEpoch (the epoch the next lane-0
 * block executes in: Staking records it at each epoch's last block), not
 * from DASigners.epochNumber: eth_call runs with epoch 0 (exec_call.c does
 * not know the block's epoch), so that view reads 0 through RPC. */
zg_err_t zg_da_chain_epoch(zg_rpc_client_t *c, uint64_t *epoch, char *msg, size_t ml) {
  zg_abi_arena_t a;
  const zg_abi_value_t *o;
  zg_abi_arena_init(&a);
  zg_err_t e = zg_da_chain_view(c, &o, &a, &zg_staking_address, "currentEpoch()", NULL, 0, "(uint64)", msg, ml);
  if (e == ZG_OK) e = zg_abi_get_u64(epoch, &o[0]);
  zg_abi_arena_clear(&a);
  return e;
}

zg_err_t zg_da_chain_quorum_count(zg_rpc_client_t *c, uint64_t *count, uint64_t epoch, char *msg, size_t ml) {
  zg_abi_arena_t a;
  const zg_abi_value_t *o;
  zg_abi_value_t arg = zg_abi_u64(epoch);
  zg_abi_arena_init(&a);
  zg_err_t e = zg_da_chain_view(c, &o, &a, &das_addr, ZG_DAS_QUORUM_COUNT, &arg, 1, "(uint256)", msg, ml);
  if (e == ZG_OK) e = zg_abi_get_u64(count, &o[0]);
  zg_abi_arena_clear(&a);
  return e;
}

/* getSigner(addr) into peer i of q. */
static zg_err_t read_signer(zg_rpc_client_t *c, zg_da_quorum_t *q, size_t i, char *msg, size_t ml) {
  zg_abi_arena_t a;
  const zg_abi_value_t *o;
  zg_abi_value_t arg = zg_abi_address(q->addrs[i].bytes);
  zg_slice_t pk, sock;
  zg_abi_arena_init(&a);
  zg_err_t e = zg_da_chain_view(c, &o, &a, &das_addr, ZG_DAS_GET_SIGNER, &arg, 1,
                                "(bytes,string,uint256,uint256)", msg, ml);
  if (e == ZG_OK && (zg_abi_get_bytes(&pk, &o[0]) != ZG_OK || zg_abi_get_bytes(&sock, &o[1]) != ZG_OK ||
                     pk.len != 48 || sock.len == 0 || sock.len > ZG_DA_SOCKET_MAX ||
                     memchr(sock.ptr, 0, sock.len))) {
    say(msg, ml, "getSigner: malformed answer");
    e = ZG_EPROTO;
  }
  if (e == ZG_OK) {
    memcpy(q->peers[i].pubkey, pk.ptr, 48);
    memcpy(q->urls[i], sock.ptr, sock.len);
    q->urls[i][sock.len] = 0;
    q->peers[i].url = q->urls[i];
  }
  zg_abi_arena_clear(&a);
  return e;
}

zg_err_t zg_da_chain_quorum(zg_rpc_client_t *c, zg_da_quorum_t *q, uint64_t epoch, uint64_t quorum_id, char *msg,
                            size_t ml) {
  zg_abi_arena_t a;
  const zg_abi_value_t *o;
  zg_abi_value_t args[2] = {zg_abi_u64(epoch), zg_abi_u64(quorum_id)};
  if (!c || !q) return ZG_EINVAL;
  memset(q, 0, sizeof *q);
  q->epoch = epoch;
  q->quorum_id = quorum_id;
  ZG_TRY(call_u64(c, &q->chain_id, "eth_chainId", json_array(), msg, ml));
  zg_abi_arena_init(&a);
  zg_err_t e = zg_da_chain_view(c, &o, &a, &das_addr, ZG_DAS_GET_QUORUM, args, 2, "(address[])", msg, ml);
  if (e == ZG_EREVERT) e = ZG_ERANGE; /* no such quorum */
  if (e == ZG_OK && (o[0].len == 0 || o[0].len > ZG_DA_COLUMNS)) {
    say(msg, ml, "getQuorum: %zu slots", o[0].len);
    e = ZG_EPROTO;
  }
  for (size_t j = 0; e == ZG_OK && j < o[0].len; j++) {
    uint8_t ad[20];
    e = zg_abi_get_address(ad, &o[0].u.items[j]);
    if (e != ZG_OK) break;
    size_t i = 0;
    while (i < q->n && memcmp(q->addrs[i].bytes, ad, 20) != 0) i++;
    if (i == q->n) memcpy(q->addrs[q->n++].bytes, ad, 20);
    zg_da_bitmap_set(q->peers[i].slots, (unsigned)j);
  }
  zg_abi_arena_clear(&a);
  for (size_t i = 0; e == ZG_OK && i < q->n; i++) e = read_signer(c, q, i, msg, ml);
  return e;
}

/* ---- transactions ---- */

static zg_err_t wait_receipt(zg_rpc_client_t *c, zg_da_tx_result_t *r, unsigned timeout_ms) {
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (;;) {
    json_t *rc = NULL;
    zg_rpc_error_t re;
    if (zg_rpc_client_call(c, &rc, &re, "eth_getTransactionReceipt", json_pack("[s]", r->hash)) == ZG_OK &&
        json_is_object(rc)) {
      const char *st = json_string_value(json_object_get(rc, "status"));
      zg_u256_t b;
      r->ok = st && strcmp(st, "0x1") == 0;
      if (json_u256(&b, json_object_get(rc, "blockNumber")) != ZG_OK || u256_u64(&r->block, &b) != ZG_OK)
        r->block = 0;
      json_decref(rc);
      return ZG_OK;
    }
    json_decref(rc);
    clock_gettime(CLOCK_MONOTONIC, &t);
    double ms = (double)(t.tv_sec - t0.tv_sec) * 1e3 + (double)(t.tv_nsec - t0.tv_nsec) / 1e6;
    if (ms > timeout_ms) return ZG_ETIMEOUT;
    usleep(50000);
  }
}

zg_err_t zg_da_chain_send(zg_rpc_client_t *c, zg_da_tx_result_t *r, uint64_t *nonce, const zg_secp256k1_sk_t *sk,
                          const zg_eth_addr_t *to, const zg_u256_t *value, const char *sig, const zg_abi_value_t *args,
                          size_t n, unsigned timeout_ms) {
  zg_abi_arena_t a;
  zg_abi_func_t f;
  zg_buf_t cd, raw, ret;
  zg_secp256k1_pk_t pk;
  zg_eth_addr_t from;
  char ft[43];
  zg_u256_t zero = zg_u256_from_u64(0), gas_price;
  uint64_t chain_id;
  char *rawhex = NULL;
  if (!c || !r || !nonce || !sk || !to || !sig) return ZG_EINVAL;
  memset(r, 0, sizeof *r);
  if (!value) value = &zero;
  zg_abi_arena_init(&a);
  zg_buf_init(&cd);
  zg_buf_init(&raw);
  zg_buf_init(&ret);
  zg_err_t e = zg_secp256k1_pubkey(&pk, sk);
  if (e == ZG_OK) e = zg_abi_func_parse(&f, &a, sig);
  if (e == ZG_OK) e = zg_abi_call_encode(&cd, &f, args, n);
  if (e != ZG_OK) goto out;
  zg_eth_address(&from, &pk);
  zg_eth_address_to_text(ft, &from);
  if (*nonce == UINT64_MAX)
    e = call_u64(c, nonce, "eth_getTransactionCount", json_pack("[s, s]", ft, "pending"), r->reason,
                 sizeof r->reason);
  if (e == ZG_OK) e = call_u64(c, &chain_id, "eth_chainId", json_array(), r->reason, sizeof r->reason);
  if (e == ZG_OK) {
    json_t *gp = NULL;
    zg_rpc_error_t re;
    e = zg_rpc_client_call(c, &gp, &re, "eth_gasPrice", json_array());
    if (e == ZG_OK) e = json_u256(&gas_price, gp);
    json_decref(gp);
  }
  if (e != ZG_OK) goto out;
  zg_tx_t t;
  memset(&t, 0, sizeof t);
  t.type = ZG_TX_LEGACY;
  t.chain_id = chain_id;
  t.nonce = *nonce;
  t.gas_price = t.max_fee = t.max_priority_fee = gas_price;
  t.gas_limit = 1000000;
  t.has_to = true;
  t.to = *to;
  t.value = *value;
  t.data = (zg_slice_t){cd.ptr, cd.len};
  e = zg_tx_sign(&raw, &t, sk);
  if (e == ZG_OK && !(rawhex = hex_dup(raw.ptr, raw.len))) e = ZG_ENOMEM;
  if (e != ZG_OK) goto out;
  json_t *h = NULL;
  zg_rpc_error_t re;
  e = zg_rpc_client_call(c, &h, &re, "eth_sendRawTransaction", json_pack("[s]", rawhex));
  if (e == ZG_OK && json_is_string(h) && json_string_length(h) == 66) {
    memcpy(r->hash, json_string_value(h), 67);
    (*nonce)++;
  } else if (e == ZG_OK) {
    e = ZG_EPROTO;
  } else {
    say(r->reason, sizeof r->reason, "eth_sendRawTransaction: %s", re.message);
  }
  json_decref(h);
  if (e == ZG_OK) e = wait_receipt(c, r, timeout_ms ? timeout_ms : 60000);
  /* Receipts carry no reason: a failed transaction's is asked from its
   * view twin when it has one (eth_call runs only views), else "reverted". */
  if (e == ZG_OK && !r->ok) {
    const char *twin = strcmp(sig, ZG_DAE_SUBMIT_CERTIFICATE) == 0 ? ZG_DAE_CHECK_CERTIFICATE : NULL;
    zg_buf_t cd2;
    zg_abi_func_t f2;
    zg_buf_init(&cd2);
    r->reason[0] = 0;
    if (twin && zg_abi_func_parse(&f2, &a, twin) == ZG_OK && zg_abi_call_encode(&cd2, &f2, args, n) == ZG_OK &&
        eth_call(c, &ret, &from, to, NULL, &cd2, r->reason, sizeof r->reason) != ZG_EREVERT)
      r->reason[0] = 0;
    zg_buf_clear(&cd2);
    if (!r->reason[0]) say(r->reason, sizeof r->reason, "reverted (the receipt carries no reason)");
  }
out:
  free(rawhex);
  zg_abi_arena_clear(&a);
  zg_buf_clear(&cd);
  zg_buf_clear(&raw);
  zg_buf_clear(&ret);
  return e;
}

/* ---- DAEntrance views ---- */

zg_err_t zg_da_chain_blob(zg_rpc_client_t *c, zg_da_blob_status_t *st, uint64_t id, const uint8_t digest[32],
                          char *msg, size_t ml) {
  zg_abi_arena_t a;
  const zg_abi_value_t *o;
  zg_err_t e = ZG_OK;
  if (!c || !st || (!id && !digest)) return ZG_EINVAL;
  memset(st, 0, sizeof *st);
  zg_abi_arena_init(&a);
  if (!id) {
    zg_abi_value_t arg = zg_abi_fbytes(digest, 32);
    e = zg_da_chain_view(c, &o, &a, &dae_addr, ZG_DAE_BLOB_ID, &arg, 1, "(uint256)", msg, ml);
    if (e == ZG_OK) e = zg_abi_get_u64(&id, &o[0]);
  }
  if (e == ZG_OK && id) {
    zg_abi_value_t arg = zg_abi_u64(id);
    zg_slice_t why;
    uint64_t s;
    e = zg_da_chain_view(c, &o, &a, &dae_addr, ZG_DAE_GET_STATUS, &arg, 1, "(uint8,bytes32,uint256,string)", msg,
                         ml);
    if (e == ZG_OK) e = zg_abi_get_u64(&s, &o[0]);
    if (e == ZG_OK) e = zg_abi_get_word(st->digest, &o[1]);
    if (e == ZG_OK) e = zg_abi_get_u64(&st->epoch, &o[2]);
    if (e == ZG_OK) e = zg_abi_get_bytes(&why, &o[3]);
    if (e == ZG_OK) {
      st->status = (unsigned)s;
      st->id = s ? id : 0;
      snprintf(st->reason, sizeof st->reason, "%.*s", (int)(why.len < 63 ? why.len : 63), (const char *)why.ptr);
    }
  }
  zg_abi_arena_clear(&a);
  return e;
}

zg_err_t zg_da_chain_certificate(zg_rpc_client_t *c, zg_da_cert_t *cert, uint64_t id, char *msg, size_t ml) {
  zg_abi_arena_t a;
  const zg_abi_value_t *o;
  zg_abi_value_t arg = zg_abi_u64(id);
  zg_slice_t w;
  zg_abi_arena_init(&a);
  zg_err_t e = zg_da_chain_view(c, &o, &a, &dae_addr, ZG_DAE_GET_CERTIFICATE, &arg, 1, "(bytes)", msg, ml);
  if (e == ZG_EREVERT) e = ZG_ENOTFOUND;
  if (e == ZG_OK) e = zg_abi_get_bytes(&w, &o[0]);
  if (e == ZG_OK && zg_da_cert_parse(cert, w.ptr, w.len) != ZG_OK) {
    say(msg, ml, "getCertificate: malformed certificate");
    e = ZG_EPROTO;
  }
  zg_abi_arena_clear(&a);
  return e;
}

/* ---- the signer's duties ---- */

zg_err_t zg_da_chain_signer_step(zg_rpc_client_t *c, char *did, size_t dl, const zg_bls_sk_t *bls,
                                 const zg_secp256k1_sk_t *eth, const char *endpoint, const zg_u256_t *stake) {
  zg_abi_arena_t a;
  const zg_abi_value_t *o;
  zg_secp256k1_pk_t epk;
  zg_eth_addr_t me;
  zg_da_tx_result_t r;
  uint64_t nonce = UINT64_MAX, epoch, reg_epoch = 0;
  bool is_signer = false;
  char msg[256];
  if (!c || !bls || !eth || !endpoint || !stake) return ZG_EINVAL;
  say(did, dl, "%s", "");
  ZG_TRY(zg_secp256k1_pubkey(&epk, eth));
  zg_eth_address(&me, &epk);
  ZG_TRY(zg_da_chain_epoch(c, &epoch, msg, sizeof msg));
  zg_abi_arena_init(&a);
  zg_abi_value_t arg = zg_abi_address(me.bytes);
  zg_err_t e = zg_da_chain_view(c, &o, &a, &das_addr, ZG_DAS_IS_SIGNER, &arg, 1, "(bool)", msg, sizeof msg);
  if (e == ZG_OK) e = zg_abi_get_bool(&is_signer, &o[0]);
  if (e == ZG_OK && is_signer) {
    e = zg_da_chain_view(c, &o, &a, &das_addr, ZG_DAS_GET_SIGNER, &arg, 1, "(bytes,string,uint256,uint256)", msg,
                         sizeof msg);
    if (e == ZG_OK) e = zg_abi_get_u64(&reg_epoch, &o[3]);
  }
  if (e != ZG_OK) goto out;
  if (!is_signer) {
    zg_bls_pk_t pk;
    zg_bls_sig_t pop;
    uint8_t pkb[48], popb[96];
    zg_bls_sk_to_pk(&pk, bls);
    zg_bls_pk_serialize(pkb, &pk);
    e = zg_bls_pop_prove(&pop, bls);
    if (e != ZG_OK) goto out;
    zg_bls_sig_serialize(popb, &pop);
    zg_abi_value_t ra[3] = {zg_abi_bytes(pkb, 48), zg_abi_bytes(popb, 96), zg_abi_string(endpoint)};
    e = zg_da_chain_send(c, &r, &nonce, eth, &das_addr, NULL, ZG_DAS_REGISTER_SIGNER, ra, 3, 60000);
    if (e == ZG_OK && r.ok) e = zg_da_chain_send(c, &r, &nonce, eth, &das_addr, stake, ZG_DAS_DEPOSIT, NULL, 0, 60000);
    if (e == ZG_OK) say(did, dl, "registered in epoch %" PRIu64 " (%s)", epoch, r.ok ? "ok" : r.reason);
    goto out; /* opting in waits one epoch */
  }
  if (reg_epoch >= epoch) goto out;
  /* Opted in for E+1 already? epochSigners(E+1) lists it. */
  zg_abi_value_t ea = zg_abi_u64(epoch + 1);
  e = zg_da_chain_view(c, &o, &a, &das_addr, ZG_DAS_EPOCH_SIGNERS, &ea, 1, "(address[],uint256[],bytes32[])", msg,
                       sizeof msg);
  if (e != ZG_OK) goto out;
  for (size_t i = 0; i < o[0].len; i++) {
    uint8_t ad[20];
    if (zg_abi_get_address(ad, &o[0].u.items[i]) == ZG_OK && memcmp(ad, me.bytes, 20) == 0) goto out;
  }
  uint8_t seed[32], m[ZG_DA_VRF_MSG_LEN], sigb[ZG_DA_SIG_LEN];
  uint64_t chain_id;
  e = zg_da_chain_view(c, &o, &a, &das_addr, ZG_DAS_EPOCH_SEED, &ea, 1, "(bytes32)", msg, sizeof msg);
  if (e == ZG_OK) e = zg_abi_get_word(seed, &o[0]);
  if (e == ZG_OK) e = call_u64(c, &chain_id, "eth_chainId", json_array(), msg, sizeof msg);
  if (e != ZG_OK) goto out;
  zg_bls_sig_t vs;
  zg_da_vrf_message(m, chain_id, epoch + 1, seed);
  e = zg_bls_sign(&vs, bls, m, sizeof m);
  if (e != ZG_OK) goto out;
  zg_bls_sig_serialize(sigb, &vs);
  zg_abi_value_t sa = zg_abi_bytes(sigb, sizeof sigb);
  e = zg_da_chain_send(c, &r, &nonce, eth, &das_addr, NULL, ZG_DAS_REGISTER_NEXT_EPOCH, &sa, 1, 60000);
  if (e == ZG_OK) say(did, dl, "opt-in for epoch %" PRIu64 ": %s", epoch + 1, r.ok ? "ok" : r.reason);
out:
  if (e != ZG_OK && did && dl && !did[0]) say(did, dl, "%s", msg);
  zg_abi_arena_clear(&a);
  return e;
}

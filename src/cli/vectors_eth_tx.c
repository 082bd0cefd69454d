/*
 * vectors_eth_tx.c — `zg vectors` handler for Ethereum transactions signed
 * by another implementation: JSON files {"format": "zg-eth-tx-interop",
 * "cases": [...]} as tests/interop/eth_tx.js writes them with ethers v6.
 *
 * Each case gives the fields of a transaction (type, chainId, nonce,
 * gasPrice or maxFeePerGas/maxPriorityFeePerGas, gasLimit, to or null,
 * value, data, accessList), the signer's secret key, and what the other
 * implementation produced: the raw envelope, its hash and the sender. A
 * case passes when zg decodes the raw bytes to the same fields, the same
 * hash and the same sender (recovered), and when zg_tx_sign of the fields
 * with the key, and zg_tx_encode of the decoded tx, give the raw bytes back
 * byte for byte. One pass or fail per case.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "zg/bytes.h"
#include "zg/rlp.h"
#include "zg/tx.h"

static const char *str_of(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool u256_of(zg_u256_t *out, json_t *o, const char *k) {
  const char *s = str_of(o, k);
  return s && zg_u256_parse(out, s, strlen(s)) == ZG_OK;
}

static bool u64_of(uint64_t *out, json_t *o, const char *k) {
  zg_u256_t v;
  if (!u256_of(&v, o, k) || !zg_u256_fits_u64(&v)) return false;
  *out = v.w[0];
  return true;
}

/* The accessList JSON ([{address, storageKeys: [...]}]) as RLP. */
static bool access_list_rlp(zg_buf_t *out, json_t *al) {
  zg_rlp_writer_t w;
  zg_rlp_writer_init(&w, out);
  if (!json_is_array(al) || zg_rlp_list_begin(&w) != ZG_OK) return false;
  size_t i, j;
  json_t *e, *k;
  json_array_foreach(al, i, e) {
    const char *a = str_of(e, "address");
    json_t *keys = json_object_get(e, "storageKeys");
    uint8_t addr[20], key[32];
    if (!a || zg_hex_decode(addr, 20, a, strlen(a)) != ZG_OK || !json_is_array(keys)) return false;
    if (zg_rlp_list_begin(&w) != ZG_OK || zg_rlp_put_bytes(&w, addr, 20) != ZG_OK || zg_rlp_list_begin(&w) != ZG_OK)
      return false;
    json_array_foreach(keys, j, k) {
      if (!json_is_string(k) || zg_hex_decode(key, 32, json_string_value(k), json_string_length(k)) != ZG_OK ||
          zg_rlp_put_bytes(&w, key, 32) != ZG_OK)
        return false;
    }
    if (zg_rlp_list_end(&w) != ZG_OK || zg_rlp_list_end(&w) != ZG_OK) return false;
  }
  return zg_rlp_list_end(&w) == ZG_OK;
}

/* The fields of a case into f (data and access list kept in the buffers). */
static const char *case_fields(zg_tx_t *f, zg_buf_t *data, zg_buf_t *al, json_t *c) {
  memset(f, 0, sizeof *f);
  json_t *type = json_object_get(c, "type");
  if (!json_is_integer(type) || json_integer_value(type) < 0 || json_integer_value(type) > 2) return "bad type";
  f->type = (uint8_t)json_integer_value(type);
  if (!u64_of(&f->chain_id, c, "chainId") || !u64_of(&f->nonce, c, "nonce") || !u64_of(&f->gas_limit, c, "gasLimit") ||
      !u256_of(&f->value, c, "value"))
    return "bad chainId, nonce, gasLimit or value";
  if (f->type == ZG_TX_DYNAMIC_FEE) {
    if (!u256_of(&f->max_fee, c, "maxFeePerGas") || !u256_of(&f->max_priority_fee, c, "maxPriorityFeePerGas"))
      return "bad fee fields";
    f->gas_price = f->max_fee;
  } else {
    if (!u256_of(&f->gas_price, c, "gasPrice")) return "bad gasPrice";
    f->max_fee = f->max_priority_fee = f->gas_price;
  }
  const char *to = str_of(c, "to");
  if (to) {
    if (zg_hex_decode(f->to.bytes, 20, to, strlen(to)) != ZG_OK) return "bad to";
    f->has_to = true;
  }
  const char *d = str_of(c, "data");
  data->len = 0;
  if (!d || zg_hex_decode_buf(data, d, strlen(d)) != ZG_OK) return "bad data";
  f->data = zg_buf_slice(data);
  al->len = 0;
  json_t *alj = json_object_get(c, "accessList");
  if (f->type != ZG_TX_LEGACY && alj) {
    if (!access_list_rlp(al, alj)) return "bad accessList";
    f->access_list = zg_buf_slice(al);
  }
  return NULL;
}

static bool same_u256(const zg_u256_t *a, const zg_u256_t *b) { return zg_u256_cmp(a, b) == 0; }

/* Checks one case; NULL when it passes, else why not. */
static const char *check_case(json_t *c, zg_buf_t *data, zg_buf_t *al, zg_buf_t *raw, zg_buf_t *out) {
  zg_tx_t f, tx;
  const char *why = case_fields(&f, data, al, c);
  if (why) return why;
  const char *r = str_of(c, "raw"), *h = str_of(c, "hash"), *from = str_of(c, "from"), *key = str_of(c, "key");
  uint8_t hash[32], kb[32];
  zg_eth_addr_t want_from, got_from;
  raw->len = 0;
  if (!r || zg_hex_decode_buf(raw, r, strlen(r)) != ZG_OK) return "bad raw";
  if (!h || zg_hex_decode(hash, 32, h, strlen(h)) != ZG_OK) return "bad hash";
  if (!from || zg_eth_address_parse(&want_from, from, strlen(from)) != ZG_OK) return "bad from";
  if (!key || zg_hex_decode(kb, 32, key, strlen(key)) != ZG_OK) return "bad key";
  zg_err_t err = zg_tx_decode(&tx, raw->ptr, raw->len, f.chain_id);
  if (err != ZG_OK) return zg_tx_strerror(err);
  if (memcmp(tx.hash, hash, 32) != 0) return "hash differs";
  if (zg_tx_sender(&got_from, &tx) != ZG_OK) return "sender recovery failed";
  if (memcmp(got_from.bytes, want_from.bytes, 20) != 0) return "sender differs";
  if (tx.type != f.type || tx.nonce != f.nonce || tx.gas_limit != f.gas_limit || tx.has_to != f.has_to ||
      memcmp(tx.to.bytes, f.to.bytes, 20) != 0 || !same_u256(&tx.value, &f.value) ||
      !same_u256(&tx.max_fee, &f.max_fee) || !same_u256(&tx.max_priority_fee, &f.max_priority_fee) ||
      tx.data.len != f.data.len || (f.data.len && memcmp(tx.data.ptr, f.data.ptr, f.data.len) != 0))
    return "decoded fields differ";
  if (f.access_list.len && (tx.access_list.len != f.access_list.len ||
                            memcmp(tx.access_list.ptr, f.access_list.ptr, f.access_list.len) != 0))
    return "access list differs";
  zg_secp256k1_sk_t sk;
  if (zg_secp256k1_sk_parse(&sk, kb, 32) != ZG_OK) return "bad key";
  zg_memwipe(kb, sizeof kb);
  out->len = 0;
  err = zg_tx_sign(out, &f, &sk);
  zg_secp256k1_sk_clear(&sk);
  if (err != ZG_OK) return "zg_tx_sign failed";
  if (out->len != raw->len || memcmp(out->ptr, raw->ptr, raw->len) != 0) return "zg_tx_sign output differs";
  out->len = 0;
  if (zg_tx_encode(out, &tx) != ZG_OK || out->len != raw->len || memcmp(out->ptr, raw->ptr, raw->len) != 0)
    return "zg_tx_encode output differs";
  return NULL;
}

ZG_VECTOR_HANDLER(eth_tx) {
  if (len < 20 || !memmem(data, len < 4096 ? len : 4096, "zg-eth-tx-interop", 17)) return false;
  json_error_t jerr;
  json_t *root = json_loadb(data, len, 0, &jerr);
  json_t *cases = root ? json_object_get(root, "cases") : NULL;
  const char *fmt = root ? str_of(root, "format") : NULL;
  if (!fmt || strcmp(fmt, "zg-eth-tx-interop") != 0 || !json_is_array(cases)) {
    json_decref(root);
    return false;
  }
  zg_buf_t d, al, raw, out;
  zg_buf_init(&d);
  zg_buf_init(&al);
  zg_buf_init(&raw);
  zg_buf_init(&out);
  size_t i;
  json_t *c;
  json_array_foreach(cases, i, c) {
    const char *why = check_case(c, &d, &al, &raw, &out);
    if (why) zg__vec_fail(ctx, path, "eth tx case %zu (hash %s): %s", i, str_of(c, "hash") ? str_of(c, "hash") : "?", why);
    else zg__vec_pass(ctx);
  }
  zg_buf_clear(&d);
  zg_buf_clear(&al);
  zg_buf_clear(&raw);
  zg_buf_clear(&out);
  json_decref(root);
  return true;
}

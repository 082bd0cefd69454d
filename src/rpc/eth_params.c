/*
 * eth_params.c — strict decoding of the Ethereum JSON-RPC parameters
 * (eth_internal.h): block tags with the lane suffix, EIP-1898 block
 * objects, addresses, DATA, 256-bit quantities, the transaction call object
 * and the eth_getLogs filter.
 *
 * Everything here is caller input: every malformed value is answered with
 * -32602 and a message naming the parameter, never an abort. The spellings
 * accepted are geth's: quantities without leading zeros, DATA with an even
 * number of digits, addresses of exactly 40 digits in any case.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rpc/eth_internal.h"

/* Filter sizes: enough for any real client, small enough that a request
 * cannot make the node match a log against millions of alternatives. */
#define MAX_FILTER_ADDRESSES 1000u
#define MAX_TOPIC_OPTIONS 1000u

static zg_err_t bad(zg_rpc_call_t *call, const char *what, const char *expect) {
  return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: %s must be %s", what, expect);
}

static int hexval(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Parses a quantity text of n characters into *out (< 2^63). */
static bool parse_number(const char *s, size_t n, uint64_t *out) {
  if (n < 3 || n > 18 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || (s[2] == '0' && n > 3)) return false;
  uint64_t x = 0;
  for (size_t i = 2; i < n; i++) {
    int d = hexval(s[i]);
    if (d < 0) return false;
    x = x << 4 | (uint64_t)d;
  }
  if (x > (uint64_t)INT64_MAX) return false;
  *out = x;
  return true;
}

zg_err_t zg__eth_get_tag(zg_rpc_call_t *call, zg__eth_ref_t *ref, const json_t *v, uint32_t lanes, const char *what) {
  memset(ref, 0, sizeof *ref);
  ref->kind = ZG__ETH_LATEST;
  if (!json_is_string(v))
    return bad(call, what, "a block number (0x quantity) or tag (latest, pending, safe, finalized, earliest)");
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  const char *at = memchr(s, '@', n);
  size_t base = at ? (size_t)(at - s) : n;
  if (at) {
    /* The lane: decimal without leading zeros. */
    size_t ln = n - base - 1;
    uint64_t lane = 0;
    bool ok = ln >= 1 && ln <= 3 && !(at[1] == '0' && ln > 1);
    for (size_t i = 1; ok && i <= ln; i++) {
      ok = at[i] >= '0' && at[i] <= '9';
      lane = lane * 10 + (uint64_t)(at[i] - '0');
    }
    if (!ok) return bad(call, what, "a block number or tag with an optional lane suffix \"@L\" (L decimal)");
    if (lane >= lanes)
      return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: %s names lane %" PRIu64
                         ", this chain has %" PRIu32 " lane%s", what, lane, lanes, lanes == 1 ? "" : "s");
    ref->lane = (uint32_t)lane;
    ref->has_lane = true;
  }
  static const struct {
    const char *name;
    zg__eth_ref_kind_t kind;
  } tags[] = {{"latest", ZG__ETH_LATEST},
              {"safe", ZG__ETH_LATEST},
              {"finalized", ZG__ETH_LATEST},
              {"pending", ZG__ETH_PENDING},
              {"earliest", ZG__ETH_EARLIEST}};
  for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
    if (strlen(tags[i].name) == base && memcmp(tags[i].name, s, base) == 0) {
      ref->kind = tags[i].kind;
      return ZG_OK;
    }
  }
  if (!parse_number(s, base, &ref->number))
    return bad(call, what, "a block number (0x quantity below 2^63, no leading zeros) or tag (latest, pending, "
                           "safe, finalized, earliest)");
  ref->kind = ZG__ETH_NUMBER;
  return ZG_OK;
}

zg_err_t zg__eth_get_ref(zg_rpc_call_t *call, zg__eth_ref_t *ref, const json_t *v, uint32_t lanes, const char *what) {
  memset(ref, 0, sizeof *ref);
  ref->kind = ZG__ETH_LATEST;
  if (!v || json_is_null(v)) return ZG_OK;
  if (!json_is_object(v)) return zg__eth_get_tag(call, ref, v, lanes, what);
  const json_t *num = json_object_get(v, "blockNumber"), *hash = json_object_get(v, "blockHash");
  const json_t *canon = json_object_get(v, "requireCanonical");
  if ((num != NULL) == (hash != NULL) || json_object_size(v) != (size_t)(num != NULL) + (hash != NULL) + (canon != NULL))
    return bad(call, what, "an object with exactly one of blockNumber and blockHash (and optional requireCanonical)");
  if (canon && !json_is_boolean(canon)) return bad(call, "requireCanonical", "a boolean");
  if (num) return zg__eth_get_tag(call, ref, num, lanes, what);
  ZG_TRY(zg_rpc_get_hash(call, ref->hash, hash, "blockHash"));
  ref->kind = ZG__ETH_HASH;
  return ZG_OK;
}

zg_err_t zg__eth_get_addr(zg_rpc_call_t *call, zg_eth_addr_t *out, const json_t *v, const char *what) {
  memset(out, 0, sizeof *out);
  if (!json_is_string(v) || json_string_length(v) != 42 ||
      zg_hex_decode(out->bytes, 20, json_string_value(v), 42) != ZG_OK) {
    memset(out, 0, sizeof *out);
    return bad(call, what, "a 0x-prefixed 20-byte hex address");
  }
  return ZG_OK;
}

zg_err_t zg__eth_get_data(zg_rpc_call_t *call, zg_buf_t *out, const json_t *v, size_t max, const char *what) {
  if (!json_is_string(v)) return bad(call, what, "0x-prefixed hex data");
  size_t n = json_string_length(v);
  if (n >= 2 && (n - 2) / 2 > max)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: %s exceeds %zu bytes", what, max);
  size_t before = out->len;
  zg_err_t e = zg_hex_decode_buf(out, json_string_value(v), n);
  if (e == ZG_ENOMEM) return e;
  if (e != ZG_OK) {
    out->len = before;
    return bad(call, what, "0x-prefixed hex data with an even number of digits");
  }
  return ZG_OK;
}

zg_err_t zg__eth_get_u256(zg_rpc_call_t *call, zg_u256_t *out, const json_t *v, const char *what) {
  *out = zg_u256_from_u64(0);
  if (json_is_integer(v) && json_integer_value(v) >= 0) {
    *out = zg_u256_from_u64((uint64_t)json_integer_value(v));
    return ZG_OK;
  }
  if (json_is_string(v)) {
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n >= 3 && n <= 66 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && !(s[2] == '0' && n > 3) &&
        zg_u256_parse(out, s, n) == ZG_OK)
      return ZG_OK;
    *out = zg_u256_from_u64(0);
  }
  return bad(call, what, "a 0x-hex quantity (at most 256 bits, no leading zeros)");
}

/* An access list: an array of {address, storageKeys: [hash...]}. It is
 * checked for shape only: system-contract calls have no warm/cold costs. */
static zg_err_t check_access_list(zg_rpc_call_t *call, const json_t *v) {
  if (!json_is_array(v)) return bad(call, "accessList", "an array");
  size_t i;
  const json_t *e;
  json_array_foreach(v, i, e) {
    zg_eth_addr_t a;
    uint8_t h[32];
    const json_t *keys = json_object_get(e, "storageKeys");
    if (!json_is_object(e) || (keys && !json_is_array(keys)))
      return bad(call, "accessList entries", "objects {address, storageKeys}");
    ZG_TRY(zg__eth_get_addr(call, &a, json_object_get(e, "address"), "accessList address"));
    size_t k;
    const json_t *key;
    json_array_foreach(keys, k, key) ZG_TRY(zg_rpc_get_hash(call, h, key, "accessList storage key"));
  }
  return ZG_OK;
}

/* Decodes an optional u64 member. */
static zg_err_t opt_u64(zg_rpc_call_t *call, bool *has, uint64_t *out, const json_t *obj, const char *name) {
  const json_t *v = json_object_get(obj, name);
  *has = v && !json_is_null(v);
  *out = 0;
  return *has ? zg_rpc_get_u64(call, out, v, name) : ZG_OK;
}

static zg_err_t opt_u256(zg_rpc_call_t *call, bool *has, zg_u256_t *out, const json_t *obj, const char *name) {
  const json_t *v = json_object_get(obj, name);
  *has = v && !json_is_null(v);
  *out = zg_u256_from_u64(0);
  return *has ? zg__eth_get_u256(call, out, v, name) : ZG_OK;
}

static zg_err_t opt_addr(zg_rpc_call_t *call, bool *has, zg_eth_addr_t *out, const json_t *obj, const char *name) {
  const json_t *v = json_object_get(obj, name);
  *has = v && !json_is_null(v);
  memset(out, 0, sizeof *out);
  return *has ? zg__eth_get_addr(call, out, v, name) : ZG_OK;
}

zg_err_t zg__eth_get_call(zg_rpc_call_t *call, zg_eth_call_t *msg, zg_buf_t *data, const json_t *v,
                          uint64_t chain_id) {
  memset(msg, 0, sizeof *msg);
  if (!json_is_object(v)) return bad(call, "the transaction call object", "a JSON object");
  ZG_TRY(opt_addr(call, &msg->has_from, &msg->from, v, "from"));
  ZG_TRY(opt_addr(call, &msg->has_to, &msg->to, v, "to"));
  ZG_TRY(opt_u64(call, &msg->has_gas, &msg->gas, v, "gas"));
  ZG_TRY(opt_u256(call, &msg->has_gas_price, &msg->gas_price, v, "gasPrice"));
  ZG_TRY(opt_u256(call, &msg->has_max_fee, &msg->max_fee, v, "maxFeePerGas"));
  ZG_TRY(opt_u256(call, &msg->has_max_priority_fee, &msg->max_priority_fee, v, "maxPriorityFeePerGas"));
  ZG_TRY(opt_u256(call, &msg->has_value, &msg->value, v, "value"));
  ZG_TRY(opt_u64(call, &msg->has_nonce, &msg->nonce, v, "nonce"));
  if (msg->has_gas_price && (msg->has_max_fee || msg->has_max_priority_fee))
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS,
                       "invalid params: both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified");
  if (msg->has_max_fee && msg->has_max_priority_fee && zg_u256_cmp(&msg->max_fee, &msg->max_priority_fee) < 0)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: maxFeePerGas is below maxPriorityFeePerGas");
  bool has_chain;
  uint64_t cid;
  ZG_TRY(opt_u64(call, &has_chain, &cid, v, "chainId"));
  if (has_chain && cid != chain_id)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS,
                       "invalid params: chainId does not match node's (have=%" PRIu64 ", want=%" PRIu64 ")", cid,
                       chain_id);
  bool has_type;
  uint64_t type;
  ZG_TRY(opt_u64(call, &has_type, &type, v, "type"));
  if (has_type && type > ZG_ETH_TX_DYNAMIC_FEE)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: transaction type %" PRIu64 " not supported",
                       type);
  const json_t *al = json_object_get(v, "accessList");
  if (al && !json_is_null(al)) ZG_TRY(check_access_list(call, al));
  /* Call data: "input" (current name) or "data" (the older one); both must agree. */
  const json_t *in = json_object_get(v, "input"), *dv = json_object_get(v, "data");
  if (in && json_is_null(in)) in = NULL;
  if (dv && json_is_null(dv)) dv = NULL;
  data->len = 0;
  if (in) ZG_TRY(zg__eth_get_data(call, data, in, ZG_ETH_MAX_TX_BYTES, "input"));
  if (dv) {
    size_t n = data->len;
    ZG_TRY(zg__eth_get_data(call, data, dv, ZG_ETH_MAX_TX_BYTES, "data"));
    if (in && (data->len - n != n || memcmp(data->ptr, data->ptr + n, n) != 0))
      return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: both \"data\" and \"input\" are set and not "
                                                       "equal. Please use \"input\" to pass transaction call data");
    if (in) data->len = n;
  }
  msg->data = data->ptr;
  msg->data_len = data->len;
  return ZG_OK;
}

/* The addresses of a filter: one string or an array of them. */
static zg_err_t filter_addresses(zg_rpc_call_t *call, zg_eth_filter_t *f, zg_arena_t *arena, const json_t *v) {
  if (!v || json_is_null(v)) return ZG_OK;
  size_t n = json_is_array(v) ? json_array_size(v) : 1;
  if (!json_is_array(v) && !json_is_string(v)) return bad(call, "address", "an address or an array of addresses");
  if (n > MAX_FILTER_ADDRESSES)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: more than %u addresses in the filter",
                       MAX_FILTER_ADDRESSES);
  if (n == 0) return ZG_OK;
  zg_eth_addr_t *a = zg_arena_alloc(arena, n * sizeof *a);
  if (!a) return ZG_ENOMEM;
  for (size_t i = 0; i < n; i++)
    ZG_TRY(zg__eth_get_addr(call, &a[i], json_is_array(v) ? json_array_get(v, i) : v, "address"));
  f->addresses = a;
  f->n_addresses = n;
  return ZG_OK;
}

/* Topics: up to four positions, each null (any), a hash, or an array of
 * hashes OR-ed (a null inside the array, like an empty array, means any). */
static zg_err_t filter_topics(zg_rpc_call_t *call, zg_eth_filter_t *f, zg_arena_t *arena, const json_t *v) {
  if (!v || json_is_null(v)) return ZG_OK;
  if (!json_is_array(v)) return bad(call, "topics", "an array");
  if (json_array_size(v) > 4)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: exceed max topics (at most 4 positions)");
  f->n_topic_positions = json_array_size(v);
  for (size_t p = 0; p < f->n_topic_positions; p++) {
    const json_t *t = json_array_get(v, p);
    if (json_is_null(t)) continue;
    size_t n = json_is_array(t) ? json_array_size(t) : 1;
    if (!json_is_array(t) && !json_is_string(t))
      return bad(call, "each topic position", "null, a 32-byte hash or an array of them");
    if (n > MAX_TOPIC_OPTIONS)
      return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: more than %u alternatives for topic %zu",
                         MAX_TOPIC_OPTIONS, p);
    if (n == 0) continue;
    uint8_t(*h)[32] = zg_arena_alloc(arena, n * sizeof *h);
    if (!h) return ZG_ENOMEM;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
      const json_t *e = json_is_array(t) ? json_array_get(t, i) : t;
      if (json_is_null(e)) {
        any = true;
        continue;
      }
      ZG_TRY(zg_rpc_get_hash(call, h[i], e, "topic"));
    }
    if (!any) {
      f->topics[p] = (const uint8_t(*)[32])h;
      f->n_topic_options[p] = n;
    }
  }
  return ZG_OK;
}

zg_err_t zg__eth_get_filter(zg_rpc_call_t *call, zg_eth_filter_t *f, zg__eth_ref_t *from, zg__eth_ref_t *to,
                            zg_arena_t *arena, const json_t *v, uint32_t lanes) {
  memset(f, 0, sizeof *f);
  memset(from, 0, sizeof *from);
  memset(to, 0, sizeof *to);
  from->kind = to->kind = ZG__ETH_LATEST;
  if (!json_is_object(v)) return bad(call, "the filter", "an object {fromBlock, toBlock, address, topics, blockHash}");
  const json_t *fb = json_object_get(v, "fromBlock"), *tb = json_object_get(v, "toBlock");
  const json_t *bh = json_object_get(v, "blockHash");
  if (fb && json_is_null(fb)) fb = NULL;
  if (tb && json_is_null(tb)) tb = NULL;
  if (bh && json_is_null(bh)) bh = NULL;
  if (bh && (fb || tb))
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: cannot specify both BlockHash and "
                                                     "FromBlock/ToBlock, choose one or the other");
  if (bh) {
    ZG_TRY(zg_rpc_get_hash(call, f->block_hash, bh, "blockHash"));
    f->by_hash = true;
  }
  if (fb) ZG_TRY(zg__eth_get_tag(call, from, fb, lanes, "fromBlock"));
  if (tb) ZG_TRY(zg__eth_get_tag(call, to, tb, lanes, "toBlock"));
  if (from->has_lane && to->has_lane && from->lane != to->lane)
    return zg_rpc_fail(call, ZG_RPC_INVALID_PARAMS, "invalid params: fromBlock (lane %" PRIu32
                       ") and toBlock (lane %" PRIu32 ") name different lanes", from->lane, to->lane);
  /* A suffix on one end names the lane of both. */
  f->lane = from->has_lane ? from->lane : to->lane;
  from->lane = to->lane = f->lane;
  ZG_TRY(filter_addresses(call, f, arena, json_object_get(v, "address")));
  return filter_topics(call, f, arena, json_object_get(v, "topics"));
}

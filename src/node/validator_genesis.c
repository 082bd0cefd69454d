/*
 * validator_genesis.c — genesis.json, keys.json, the node config's validator
 * sections, and validator sets (zg/validator.h, docs/chain.md "Genesis and
 * node configuration").
 *
 * Invariants: a zg_genesis_t that zg_genesis_parse returns has 1..16 lanes,
 * epoch_length >= 1, at least one validator, every validator's keys parsed
 * (Ed25519 key valid, BLS key valid with a proof of possession that
 * verifies), distinct node keys and operators, and an alloc sorted by
 * address without duplicates. Secrets read from keys.json are wiped from
 * every intermediate buffer before return.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zg/config.h"
#include "zg/hash.h"
#include "zg/validator.h"

#define GENESIS_MAX_FILE (16u << 20)

static zg_err_t failf(char *err, size_t errlen, zg_err_t code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static zg_err_t failf(char *err, size_t errlen, zg_err_t code, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return code;
}

/* Reads a whole (small) file into a NUL-terminated malloc'd buffer. */
static zg_err_t read_file(char **out, size_t *len, const char *path, size_t max) {
  *out = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return ZG_EIO;
  zg_err_t e = ZG_OK;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap + 1);
  if (!buf) {
    e = ZG_ENOMEM;
    goto out;
  }
  for (;;) {
    if (n == cap) {
      if (cap >= max) {
        e = ZG_EOVERFLOW;
        goto out;
      }
      char *nb = malloc(cap * 2 + 1);
      if (!nb) {
        e = ZG_ENOMEM;
        goto out;
      }
      memcpy(nb, buf, n);
      zg_memwipe(buf, n);
      free(buf);
      buf = nb;
      cap *= 2;
    }
    size_t r = fread(buf + n, 1, cap - n, f);
    n += r;
    if (r == 0) break;
  }
  if (ferror(f)) e = ZG_EIO;
out:
  fclose(f);
  if (e != ZG_OK) {
    if (buf) zg_memwipe(buf, n);
    free(buf);
    return e;
  }
  buf[n] = 0;
  *out = buf;
  *len = n;
  return ZG_OK;
}

/* ---- field readers: each writes a message naming the field on failure ---- */

typedef struct {
  const char *file;
  char *err;
  size_t errlen;
} ctx_t;

static zg_err_t bad(ctx_t *c, const char *field, const char *what) {
  return failf(c->err, c->errlen, ZG_ECONFIG, "%s: %s: %s", c->file, field, what);
}

static zg_err_t get_u64(ctx_t *c, uint64_t *out, json_t *obj, const char *key, const char *field, bool required,
                        uint64_t def, uint64_t min, uint64_t max) {
  json_t *v = json_object_get(obj, key);
  *out = def;
  if (!v || json_is_null(v)) return required ? bad(c, field, "missing") : ZG_OK;
  if (!json_is_integer(v)) return bad(c, field, "expected an unsigned integer");
  json_int_t x = json_integer_value(v);
  if (x < 0 || (uint64_t)x < min || (uint64_t)x > max) return bad(c, field, "out of range");
  *out = (uint64_t)x;
  return ZG_OK;
}

static zg_err_t get_hex(ctx_t *c, uint8_t *out, size_t n, json_t *obj, const char *key, const char *field) {
  json_t *v = json_object_get(obj, key);
  if (!v) return bad(c, field, "missing");
  if (!json_is_string(v)) return bad(c, field, "expected a 0x-hex string");
  if (zg_hex_decode(out, n, json_string_value(v), json_string_length(v)) != ZG_OK) {
    char what[64];
    snprintf(what, sizeof what, "expected 0x and %zu hex digits", 2 * n);
    return bad(c, field, what);
  }
  return ZG_OK;
}

/* A wei amount: a decimal or 0x string, or a non-negative JSON integer. */
static zg_err_t get_amount(ctx_t *c, zg_u256_t *out, json_t *v, const char *field) {
  if (json_is_integer(v) && json_integer_value(v) >= 0) {
    *out = zg_u256_from_u64((uint64_t)json_integer_value(v));
    return ZG_OK;
  }
  if (json_is_string(v) && zg_u256_parse(out, json_string_value(v), json_string_length(v)) == ZG_OK) return ZG_OK;
  return bad(c, field, "expected an amount (decimal or 0x string below 2^256)");
}

static zg_err_t parse_validator(ctx_t *c, zg_genesis_validator_t *gv, json_t *o, size_t i) {
  char field[96];
  if (!json_is_object(o)) {
    snprintf(field, sizeof field, "validators[%zu]", i);
    return bad(c, field, "expected an object");
  }
#define FIELD(k) (snprintf(field, sizeof field, "validators[%zu].%s", i, k), field)
  json_t *name = json_object_get(o, "name");
  if (name && !json_is_string(name)) return bad(c, FIELD("name"), "expected a string");
  if (name && json_string_length(name) >= sizeof gv->name) return bad(c, FIELD("name"), "too long");
  snprintf(gv->name, sizeof gv->name, "%s", name ? json_string_value(name) : "");
  uint8_t nk[32];
  zg_err_t e = get_hex(c, nk, 32, o, "nodeKey", FIELD("nodeKey"));
  if (e != ZG_OK) return e;
  if (zg_ed25519_pk_parse(&gv->node_key, nk, 32) != ZG_OK) return bad(c, field, "not a valid Ed25519 key");
  if ((e = get_hex(c, gv->bls_key, 48, o, "blsKey", FIELD("blsKey"))) != ZG_OK) return e;
  zg_bls_pk_t pk;
  if (zg_bls_pk_parse(&pk, gv->bls_key, 48) != ZG_OK) return bad(c, field, "not a valid BLS12-381 G1 key");
  if ((e = get_hex(c, gv->bls_pop, 96, o, "blsPop", FIELD("blsPop"))) != ZG_OK) return e;
  zg_bls_sig_t pop;
  bool ok = false;
  if (zg_bls_sig_parse(&pop, gv->bls_pop, 96) != ZG_OK || zg_bls_pop_verify(&ok, &pk, &pop) != ZG_OK || !ok)
    return bad(c, field, "proof of possession does not verify");
  json_t *op = json_object_get(o, "operator");
  if (!op || !json_is_string(op) ||
      zg_eth_address_parse(&gv->operator_addr, json_string_value(op), json_string_length(op)) != ZG_OK)
    return bad(c, FIELD("operator"), "expected a 0x address");
  json_t *st = json_object_get(o, "stake");
  if (!st) return bad(c, FIELD("stake"), "missing");
  if ((e = get_amount(c, &gv->stake, st, FIELD("stake"))) != ZG_OK) return e;
  json_t *p2p = json_object_get(o, "p2p");
  if (p2p && !json_is_string(p2p)) return bad(c, FIELD("p2p"), "expected \"HOST:PORT\"");
  if (p2p && json_string_length(p2p) >= sizeof gv->p2p) return bad(c, field, "too long");
  snprintf(gv->p2p, sizeof gv->p2p, "%s", p2p ? json_string_value(p2p) : "");
#undef FIELD
  return ZG_OK;
}

static int alloc_cmp(const void *a, const void *b) {
  return memcmp(((const zg_genesis_alloc_t *)a)->addr.bytes, ((const zg_genesis_alloc_t *)b)->addr.bytes, 20);
}

static zg_err_t parse_alloc(ctx_t *c, zg_genesis_t *g, json_t *alloc) {
  if (!alloc || json_is_null(alloc)) return ZG_OK;
  if (!json_is_object(alloc)) return bad(c, "alloc", "expected an object of address -> amount");
  size_t n = json_object_size(alloc);
  if (n == 0) return ZG_OK;
  g->alloc = calloc(n, sizeof *g->alloc);
  if (!g->alloc) return ZG_ENOMEM;
  const char *key;
  json_t *v;
  char field[96];
  json_object_foreach(alloc, key, v) {
    zg_genesis_alloc_t *a = &g->alloc[g->n_alloc];
    snprintf(field, sizeof field, "alloc.%.60s", key);
    if (zg_eth_address_parse(&a->addr, key, strlen(key)) != ZG_OK) return bad(c, field, "not a 0x address");
    zg_err_t e = get_amount(c, &a->balance, v, field);
    if (e != ZG_OK) return e;
    g->n_alloc++;
  }
  qsort(g->alloc, g->n_alloc, sizeof *g->alloc, alloc_cmp);
  for (size_t i = 1; i < g->n_alloc; i++)
    if (memcmp(g->alloc[i - 1].addr.bytes, g->alloc[i].addr.bytes, 20) == 0)
      return bad(c, "alloc", "an address appears twice (in different case)");
  return ZG_OK;
}

static zg_err_t parse_params(ctx_t *c, zg_genesis_t *g, json_t *root) {
  uint64_t lanes, maxv;
  zg_err_t e;
  if ((e = get_u64(c, &g->chain_id, root, "chainId", "chainId", true, 0, 1, UINT64_MAX >> 1)) != ZG_OK) return e;
  if ((e = get_u64(c, &lanes, root, "lanes", "lanes", false, 1, 1, ZG_MAX_LANES)) != ZG_OK) return e;
  g->lanes = (uint32_t)lanes;
  if ((e = get_u64(c, &g->epoch_length, root, "epochLength", "epochLength", false, 100, 1, UINT32_MAX)) != ZG_OK)
    return e;
  if ((e = get_u64(c, &maxv, root, "maxValidators", "maxValidators", false, 64, 1, ZG_MAX_VALIDATORS)) != ZG_OK)
    return e;
  g->max_validators = (uint32_t)maxv;
  if ((e = get_u64(c, &g->base_fee_gwei, root, "baseFeeGwei", "baseFeeGwei", false, 1, 0, 1000000000)) != ZG_OK)
    return e;
  if ((e = get_u64(c, &g->unbonding_epochs, root, "unbondingEpochs", "unbondingEpochs", false, 2, 0, 1u << 20)) !=
      ZG_OK)
    return e;
  json_t *bt = json_object_get(root, "blockTime");
  g->block_time_ns = 200000000ull;
  if (bt && json_is_integer(bt) && json_integer_value(bt) > 0) {
    g->block_time_ns = (uint64_t)json_integer_value(bt) * 1000000ull;
  } else if (bt && json_is_string(bt)) {
    if (zg_config_parse_duration_ns(&g->block_time_ns, json_string_value(bt), json_string_length(bt)) != ZG_OK ||
        g->block_time_ns == 0)
      return bad(c, "blockTime", "expected a duration such as \"200ms\"");
  } else if (bt && !json_is_null(bt)) {
    return bad(c, "blockTime", "expected a duration such as \"200ms\"");
  }
  return ZG_OK;
}

zg_err_t zg_genesis_parse(zg_genesis_t **out, char *err, size_t errlen, const char *name, const char *text,
                          size_t len) {
  if (!out || (!text && len)) return ZG_EINVAL;
  *out = NULL;
  ctx_t c = {name ? name : "<string>", err, errlen};
  if (err && errlen) err[0] = 0;
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) return failf(err, errlen, ZG_EJSON, "%s:%d:%d: %s", c.file, je.line, je.column, je.text);
  zg_genesis_t *g = calloc(1, sizeof *g);
  zg_err_t e = ZG_ENOMEM;
  if (!g) goto fail;
  g->json = root;
  root = NULL;
  zg_keccak256(g->hash, text, len);
  if (!json_is_object((json_t *)g->json)) {
    e = failf(err, errlen, ZG_ECONFIG, "%s: the top level must be an object", c.file);
    goto fail;
  }
  if ((e = parse_params(&c, g, g->json)) != ZG_OK) goto fail;
  json_t *vals = json_object_get(g->json, "validators");
  if (!json_is_array(vals) || json_array_size(vals) == 0) {
    e = bad(&c, "validators", "expected a non-empty array");
    goto fail;
  }
  if (json_array_size(vals) > ZG_MAX_VALIDATORS) {
    e = bad(&c, "validators", "too many entries");
    goto fail;
  }
  g->validators = calloc(json_array_size(vals), sizeof *g->validators);
  if (!g->validators) {
    e = ZG_ENOMEM;
    goto fail;
  }
  for (size_t i = 0; i < json_array_size(vals); i++) {
    if ((e = parse_validator(&c, &g->validators[i], json_array_get(vals, i), i)) != ZG_OK) goto fail;
    for (size_t j = 0; j < i; j++) {
      if (memcmp(g->validators[j].node_key.bytes, g->validators[i].node_key.bytes, 32) == 0 ||
          memcmp(g->validators[j].operator_addr.bytes, g->validators[i].operator_addr.bytes, 20) == 0) {
        char field[48];
        snprintf(field, sizeof field, "validators[%zu]", i);
        e = bad(&c, field, "same nodeKey or operator as an earlier validator");
        goto fail;
      }
    }
    g->n_validators++;
  }
  if ((e = parse_alloc(&c, g, json_object_get(g->json, "alloc"))) != ZG_OK) goto fail;
  *out = g;
  return ZG_OK;
fail:
  json_decref(root);
  zg_genesis_free(g);
  return e;
}

zg_err_t zg_genesis_load(zg_genesis_t **out, char *err, size_t errlen, const char *path) {
  if (!out || !path) return ZG_EINVAL;
  *out = NULL;
  char *text;
  size_t len;
  zg_err_t e = read_file(&text, &len, path, GENESIS_MAX_FILE);
  if (e != ZG_OK) return failf(err, errlen, e, "%s: cannot read: %s", path, e == ZG_EIO ? strerror(errno) : zg_strerror(e));
  e = zg_genesis_parse(out, err, errlen, path, text, len);
  free(text);
  return e;
}

void zg_genesis_free(zg_genesis_t *g) {
  if (!g) return;
  json_decref(g->json);
  free(g->validators);
  free(g->alloc);
  free(g);
}

/* ---- keys.json ---- */

zg_err_t zg_validator_keys_load(zg_validator_keys_t *keys, char *err, size_t errlen, const char *path) {
  if (!keys || !path) return ZG_EINVAL;
  memset(keys, 0, sizeof *keys);
  char *text = NULL;
  size_t len = 0;
  uint8_t seed[32], bls[32], op[32];
  zg_secp256k1_pk_t opk;
  json_t *root = NULL;
  ctx_t c = {path, err, errlen};
  zg_err_t e = read_file(&text, &len, path, 1u << 16);
  if (e != ZG_OK) {
    e = failf(err, errlen, e, "%s: cannot read: %s", path, e == ZG_EIO ? strerror(errno) : zg_strerror(e));
    goto out;
  }
  json_error_t je;
  root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) {
    e = failf(err, errlen, ZG_EJSON, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    goto out;
  }
  if ((e = get_hex(&c, seed, 32, root, "nodeKey", "nodeKey")) != ZG_OK) goto out;
  if ((e = get_hex(&c, bls, 32, root, "blsKey", "blsKey")) != ZG_OK) goto out;
  if ((e = get_hex(&c, op, 32, root, "operatorKey", "operatorKey")) != ZG_OK) goto out;
  if (zg_ed25519_keypair_from_seed(&keys->node_pk, &keys->node_sk, seed) != ZG_OK) {
    e = bad(&c, "nodeKey", "not a usable Ed25519 seed");
    goto out;
  }
  if (zg_bls_sk_parse(&keys->bls_sk, bls) != ZG_OK) {
    e = bad(&c, "blsKey", "not a BLS12-381 secret key (0 < k < r)");
    goto out;
  }
  if (zg_secp256k1_sk_parse(&keys->operator_sk, op, 32) != ZG_OK || zg_secp256k1_pubkey(&opk, &keys->operator_sk)) {
    e = bad(&c, "operatorKey", "not a secp256k1 secret key");
    goto out;
  }
  zg_eth_address(&keys->operator_addr, &opk);
out:
  /* jansson keeps its own copies of the strings: wipe them before freeing. */
  if (root) {
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v) {
      if (json_is_string(v)) zg_memwipe((void *)json_string_value(v), json_string_length(v));
    }
    json_decref(root);
  }
  if (text) {
    zg_memwipe(text, len);
    free(text);
  }
  zg_memwipe(seed, sizeof seed);
  zg_memwipe(bls, sizeof bls);
  zg_memwipe(op, sizeof op);
  if (e != ZG_OK) zg_validator_keys_clear(keys);
  return e;
}

void zg_validator_keys_clear(zg_validator_keys_t *keys) {
  if (keys) zg_memwipe(keys, sizeof *keys);
}

/* ---- validator sets ---- */

static int member_cmp(const void *a, const void *b) {
  const zg_valset_member_t *x = a, *y = b;
  int c = zg_u256_cmp(&y->stake, &x->stake); /* larger stake first */
  if (c) return c;
  return memcmp(x->operator_addr.bytes, y->operator_addr.bytes, 20);
}

/* stake / 10^9, saturated at 2^48 so a set's total power fits 64 bits. */
static uint64_t power_of(const zg_u256_t *stake) {
  zg_u256_t q;
  zg_u256_divmod_u64(&q, NULL, stake, 1000000000ull);
  const uint64_t cap = 1ull << 48;
  if (!zg_u256_fits_u64(&q) || q.w[0] > cap) return cap;
  return q.w[0];
}

zg_err_t zg_valset_build(zg_valset_t *set, uint64_t epoch, const zg_valset_member_t *cands, size_t n, size_t max) {
  if (!set || (!cands && n) || max == 0 || max > ZG_MAX_VALIDATORS || n > 4096) return ZG_EINVAL;
  memset(set, 0, sizeof *set);
  set->epoch = epoch;
  zg_valset_member_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
  if (!tmp) return ZG_ENOMEM;
  memcpy(tmp, cands, n * sizeof *tmp);
  qsort(tmp, n, sizeof *tmp, member_cmp);
  for (size_t i = 0; i < n && set->n < max; i++) {
    uint64_t p = power_of(&tmp[i].stake);
    if (p == 0) continue;
    set->members[set->n] = tmp[i];
    set->members[set->n].power = p;
    set->total_power += p;
    set->n++;
  }
  free(tmp);
  if (set->n == 0) return ZG_EEMPTY;
  /* The smallest q with 3q > 2T: floor(2T/3) + 1, without overflowing 2T. */
  set->quorum = (set->total_power / 3) * 2 + ((set->total_power % 3) * 2) / 3 + 1;
  return ZG_OK;
}

zg_err_t zg_valset_from_genesis(zg_valset_t *set, const zg_genesis_t *g) {
  if (!set || !g) return ZG_EINVAL;
  zg_valset_member_t *c = calloc(g->n_validators ? g->n_validators : 1, sizeof *c);
  if (!c) return ZG_ENOMEM;
  for (size_t i = 0; i < g->n_validators; i++) {
    c[i].node_key = g->validators[i].node_key;
    memcpy(c[i].bls_key, g->validators[i].bls_key, 48);
    c[i].operator_addr = g->validators[i].operator_addr;
    c[i].stake = g->validators[i].stake;
  }
  zg_err_t e = zg_valset_build(set, 0, c, g->n_validators, g->max_validators);
  free(c);
  return e;
}

int zg_valset_find(const zg_valset_t *set, const zg_ed25519_pk_t *node_key) {
  for (size_t i = 0; i < set->n; i++)
    if (memcmp(set->members[i].node_key.bytes, node_key->bytes, 32) == 0) return (int)i;
  return -1;
}

/* ---- node config ---- */

const char *const zg_validator_config_keys[] = {
    "validator.dataDir", "validator.genesis", "validator.keys", "validator.batchTxs", "validator.batchDelay",
    "validator.mempoolMax", "validator.noSync", "validator.testEquivocate", "net.listen", "net.peers",
    "rpc.addr", "log.level", NULL};

zg_err_t zg_validator_cfg_read(zg_validator_cfg_t *out, char *err, size_t errlen, struct zg_config *cfg) {
  if (!out || !cfg) return ZG_EINVAL;
  memset(out, 0, sizeof *out);
  zg_err_t e = zg_config_get_str(cfg, &out->data_dir, "validator.dataDir", NULL);
  if (!e) e = zg_config_get_str(cfg, &out->genesis_path, "validator.genesis", NULL);
  if (!e) e = zg_config_get_str(cfg, &out->keys_path, "validator.keys", NULL);
  if (!e) e = zg_config_get_u64_range(cfg, &out->batch_txs, "validator.batchTxs", 2000, 1, 100000);
  if (!e) e = zg_config_get_duration_ns(cfg, &out->batch_delay_ns, "validator.batchDelay", 20000000ull);
  if (!e) e = zg_config_get_u64_range(cfg, &out->mempool_max, "validator.mempoolMax", 200000, 1, 100000000);
  if (!e) e = zg_config_get_bool(cfg, &out->no_sync, "validator.noSync", false);
  if (!e) e = zg_config_get_bool(cfg, &out->test_equivocate, "validator.testEquivocate", false);
  if (!e) e = zg_config_get_str(cfg, &out->listen, "net.listen", "127.0.0.1:26656");
  if (!e) e = zg_config_get_strs(cfg, &out->peers, &out->n_peers, "net.peers");
  if (!e) e = zg_config_get_str(cfg, &out->rpc_addr, "rpc.addr", "127.0.0.1:8545");
  if (e != ZG_OK) return failf(err, errlen, e, "%s", zg_config_error(cfg));
  const char *missing = !out->data_dir ? "validator.dataDir"
                        : !out->genesis_path ? "validator.genesis"
                        : !out->keys_path    ? "validator.keys"
                                             : NULL;
  if (missing) return failf(err, errlen, ZG_ECONFIG, "%s: %s is required", zg_config_name(cfg), missing);
  return ZG_OK;
}

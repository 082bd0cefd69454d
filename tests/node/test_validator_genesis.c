/*
 * test_validator_genesis.c — genesis.json, keys.json and the node config of
 * the validator role: well-formed files load with every field, each kind of
 * fault is refused with a message naming the field, and the epoch-0
 * validator set is ordered by stake then operator with a > 2/3 quorum.
 */
#include "node_util.h"
#include "zg/config.h"
#include "zg/validator.h"
#include "zg_test.h"

static nu_val_t vals[4];

static void test_genesis_ok(void) {
  static char text[16384];
  zg_eth_addr_t funded[2] = {{{1}}, {{2}}};
  funded[0].bytes[19] = 7;
  CHECK(nu_genesis_text(text, sizeof text, vals, 4, 2, 50, funded, 2, NULL) == 0);
  zg_genesis_t *g = NULL;
  char err[256];
  CHECK_OK(zg_genesis_parse(&g, err, sizeof err, "genesis.json", text, strlen(text)));
  if (!g) return;
  CHECK_EQ(g->chain_id, 16888);
  CHECK_EQ(g->lanes, 2);
  CHECK_EQ(g->epoch_length, 50);
  CHECK_EQ(g->block_time_ns, 100000000ull);
  CHECK_EQ(g->n_validators, 4);
  CHECK_EQ(g->n_alloc, 3); /* the two accounts and Staking */
  CHECK_MEM(g->validators[2].node_key.bytes, vals[2].node_pk.bytes, 32);
  CHECK_MEM(g->validators[3].operator_addr.bytes, vals[3].op_addr.bytes, 20);
  CHECK(g->alloc[0].addr.bytes[19] == 0x01 && g->alloc[0].addr.bytes[18] == 0x10); /* sorted: Staking first */
  CHECK(g->alloc[1].addr.bytes[0] == 1 && g->alloc[2].addr.bytes[0] == 2);
  zg_valset_t set;
  CHECK_OK(zg_valset_from_genesis(&set, g));
  CHECK_EQ(set.n, 4);
  CHECK_EQ(set.total_power, 4 * 1000000000000ull);
  CHECK_EQ(set.quorum, 2666666666667ull);
  for (size_t i = 1; i < set.n; i++) CHECK(memcmp(set.members[i - 1].operator_addr.bytes, set.members[i].operator_addr.bytes, 20) < 0);
  CHECK(zg_valset_find(&set, &vals[1].node_pk) >= 0);
  zg_genesis_free(g);
}

/* Replaces the first occurrence of from by to in text (into out). */
static void subst(char *out, size_t cap, const char *text, const char *from, const char *to) {
  const char *p = strstr(text, from);
  if (!p) {
    snprintf(out, cap, "%s", text);
    return;
  }
  snprintf(out, cap, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
}

static void test_genesis_faults(void) {
  static char text[16384], bad[16384];
  CHECK(nu_genesis_text(text, sizeof text, vals, 2, 1, 10, NULL, 0, NULL) == 0);
  char nk[67], pop1[195];
  zg_hex_encode(nk, vals[0].node_pk.bytes, 32);
  zg_hex_encode(pop1, vals[1].bls_pop, 96);
  struct {
    const char *from, *to, *field;
    zg_err_t code;
  } cases[] = {
      {"\"lanes\": 1", "\"lanes\": 17", "lanes", ZG_ECONFIG},
      {"\"chainId\": 16888", "\"chainId\": \"x\"", "chainId", ZG_ECONFIG},
      {"\"epochLength\": 10", "\"epochLength\": 0", "epochLength", ZG_ECONFIG},
      {"\"blockTime\": \"100ms\"", "\"blockTime\": \"fast\"", "blockTime", ZG_ECONFIG},
      {nk, "0x00", "validators[0].nodeKey", ZG_ECONFIG},
      {"\"stake\": \"1000000000000000000000\"", "\"stake\": \"-1\"", "validators[0].stake", ZG_ECONFIG},
      {"{\"chainId\"", "[{\"chainId\"", NULL, ZG_EJSON},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    subst(bad, sizeof bad, text, cases[i].from, cases[i].to);
    zg_genesis_t *g = (zg_genesis_t *)1;
    char err[256] = "";
    CHECK_ERR(zg_genesis_parse(&g, err, sizeof err, "g.json", bad, strlen(bad)), cases[i].code);
    CHECK(g == NULL);
    if (cases[i].field && !strstr(err, cases[i].field)) ZGT_FAIL("case %zu: message '%s'", i, err);
  }
  /* validator 0 carrying validator 1's proof of possession */
  char pop0[195];
  zg_hex_encode(pop0, vals[0].bls_pop, 96);
  subst(bad, sizeof bad, text, pop0, pop1);
  zg_genesis_t *g = NULL;
  char err[256] = "";
  CHECK_ERR(zg_genesis_parse(&g, err, sizeof err, "g.json", bad, strlen(bad)), ZG_ECONFIG);
  CHECK(strstr(err, "proof of possession") != NULL);
  /* the same node twice */
  char nk1[67];
  zg_hex_encode(nk1, vals[1].node_pk.bytes, 32);
  subst(bad, sizeof bad, text, nk1, nk);
  CHECK_ERR(zg_genesis_parse(&g, err, sizeof err, "g.json", bad, strlen(bad)), ZG_ECONFIG);
}

static void test_keys_and_config(void) {
  char dir[256], path[400], text[1024];
  CHECK(nu_tmpdir(dir, sizeof dir, "vgen") == 0);
  snprintf(path, sizeof path, "%s/keys.json", dir);
  CHECK(nu_keys_text(text, sizeof text, &vals[2]) == 0);
  CHECK(nu_write_file(path, text) == 0);
  zg_validator_keys_t k;
  char err[256];
  CHECK_OK(zg_validator_keys_load(&k, err, sizeof err, path));
  CHECK_MEM(k.node_pk.bytes, vals[2].node_pk.bytes, 32);
  CHECK_MEM(k.operator_addr.bytes, vals[2].op_addr.bytes, 20);
  zg_validator_keys_clear(&k);
  CHECK(nu_write_file(path, "{\"nodeKey\": \"0x00\"}") == 0);
  CHECK_ERR(zg_validator_keys_load(&k, err, sizeof err, path), ZG_ECONFIG);
  CHECK(strstr(err, "nodeKey") != NULL);

  const char *cfgtext =
      "{\"validator\": {\"dataDir\": \"/d\", \"genesis\": \"/g.json\", \"keys\": \"/k.json\", \"batchDelay\": \"5ms\"},"
      " \"net\": {\"listen\": \"127.0.0.1:0\", \"peers\": [\"aa@127.0.0.1:1\"]}, \"rpc\": {\"addr\": \"127.0.0.1:0\"}}";
  zg_config_t *cfg;
  CHECK_OK(zg_config_load_string(&cfg, err, sizeof err, "c.json", cfgtext, strlen(cfgtext), ZG_CONFIG_NO_ENV));
  size_t nk = 0;
  while (zg_validator_config_keys[nk]) nk++;
  CHECK_OK(zg_config_check_known(cfg, zg_validator_config_keys, nk));
  zg_validator_cfg_t vc;
  CHECK_OK(zg_validator_cfg_read(&vc, err, sizeof err, cfg));
  CHECK(strcmp(vc.data_dir, "/d") == 0);
  CHECK_EQ(vc.batch_delay_ns, 5000000);
  CHECK_EQ(vc.batch_txs, 2000);
  CHECK_EQ(vc.n_peers, 1);
  zg_config_destroy(cfg);
  const char *missing = "{\"validator\": {\"dataDir\": \"/d\"}}";
  CHECK_OK(zg_config_load_string(&cfg, err, sizeof err, "c.json", missing, strlen(missing), ZG_CONFIG_NO_ENV));
  CHECK_ERR(zg_validator_cfg_read(&vc, err, sizeof err, cfg), ZG_ECONFIG);
  CHECK(strstr(err, "validator.genesis") != NULL);
  zg_config_destroy(cfg);
  nu_rmrf(dir);
}

int main(int argc, char **argv) {
  zgt_init(argc, argv);
  for (unsigned i = 0; i < 4; i++)
    if (nu_val_make(&vals[i], i) != 0) return 1;
  ZGT_RUN(test_genesis_ok);
  ZGT_RUN(test_genesis_faults);
  ZGT_RUN(test_keys_and_config);
  return zgt_done();
}

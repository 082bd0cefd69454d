/*
 * miner_rpc.c — the miner's JSON-RPC methods and Prometheus counters on the
 * storage node's server (zg_miner_rpc_register in zg/storage_miner.h), in
 * 0G's miner_ namespace:
 *   miner_start()     -> true (starts or resumes iterating)
 *   miner_stop()      -> true (stops iterating; the node keeps serving)
 *   miner_getStatus() -> {running, registered, minerId, sender, beneficiary,
 *                         epoch, flowLength, iterations, hits, answersSubmitted,
 *                         answersAccepted, answersRejected, answersStale, loads,
 *                         sealsMissing, chainErrors, iterationsPerSecond,
 *                         idleReason, lastError}
 * Counters: zg_miner_iterations, zg_miner_answers_submitted,
 * zg_miner_answers_accepted, zg_miner_answers_rejected.
 */
#include <string.h>

#include "miner_internal.h"

static zg_err_t m_start(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(call, params, 0, 0));
  zg_err_t e = zg_miner_start(call->arg);
  if (e != ZG_OK) return e;
  *result = json_true();
  return ZG_OK;
}

static zg_err_t m_stop(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(call, params, 0, 0));
  zg_miner_stop(call->arg);
  *result = json_true();
  return ZG_OK;
}

static json_t *hex_json(const uint8_t *p, size_t n) {
  char h[67];
  zg_hex_encode(h, p, n);
  return json_string(h);
}

static zg_err_t m_status(zg_rpc_call_t *call, const json_t *params, json_t **result) {
  ZG_TRY(zg_rpc_params_check(call, params, 0, 0));
  zg_miner_status_t s;
  zg_miner_status(call->arg, &s);
  json_t *o = json_object();
  if (!o) return ZG_ENOMEM;
  json_object_set_new(o, "running", json_boolean(s.running));
  json_object_set_new(o, "registered", json_boolean(s.registered));
  json_object_set_new(o, "minerId", s.registered ? hex_json(s.miner_id, 32) : json_null());
  json_object_set_new(o, "sender", hex_json(s.sender.bytes, 20));
  json_object_set_new(o, "beneficiary", hex_json(s.beneficiary.bytes, 20));
  const struct {
    const char *k;
    uint64_t v;
  } u[] = {{"epoch", s.epoch},
           {"flowLength", s.flow_length},
           {"iterations", s.iterations},
           {"hits", s.hits},
           {"answersSubmitted", s.answers_submitted},
           {"answersAccepted", s.answers_accepted},
           {"answersRejected", s.answers_rejected},
           {"answersStale", s.answers_stale},
           {"loads", s.loads},
           {"sealsMissing", s.seals_missing},
           {"chainErrors", s.chain_errors}};
  for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) json_object_set_new(o, u[i].k, json_integer((json_int_t)u[i].v));
  json_object_set_new(o, "iterationsPerSecond", json_real(s.iter_per_sec));
  json_object_set_new(o, "idleReason", json_string(s.idle_reason));
  json_object_set_new(o, "lastError", json_string(s.last_error));
  *result = o;
  return ZG_OK;
}

zg_err_t zg_miner_rpc_register(zg_miner_t *m, zg_rpc_t *rpc, zg_metrics_t *metrics) {
  ZG_TRY(zg_rpc_register(rpc, "miner_start", m_start, m));
  ZG_TRY(zg_rpc_register(rpc, "miner_stop", m_stop, m));
  ZG_TRY(zg_rpc_register(rpc, "miner_getStatus", m_status, m));
  if (!metrics) return ZG_OK;
  const struct {
    _Atomic(zg_metric_t *) *slot;
    uint64_t *have;
    const char *name, *help;
  } c[] = {
      {&m->c_iter, &m->st.iterations, "zg_miner_iterations", "PoRA iterations run"},
      {&m->c_sub, &m->st.answers_submitted, "zg_miner_answers_submitted", "answers offered to Mine"},
      {&m->c_acc, &m->st.answers_accepted, "zg_miner_answers_accepted", "answers accepted by Mine"},
      {&m->c_rej, &m->st.answers_rejected, "zg_miner_answers_rejected", "answers refused by Mine"},
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
    zg_metric_t *x = NULL;
    ZG_TRY(zg_metrics_counter(metrics, &x, c[i].name, c[i].help, NULL));
    /* Counts from before the registration (a miner started first). */
    pthread_mutex_lock(&m->mu);
    zg_counter_add(x, *c[i].have);
    atomic_store(c[i].slot, x);
    pthread_mutex_unlock(&m->mu);
  }
  return ZG_OK;
}

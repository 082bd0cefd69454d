#!/usr/bin/env bash
# mine_run.sh — PoRA mining end to end with real processes: a 1-validator
# devnet whose genesis makes mining quick and pays a base reward (storage:
# 2 s epochs, low difficulty, baseReward; the Reward address funded in
# alloc), one storage node following the chain with storage.miner enabled
# (a dev account as the miner's sender, a fresh beneficiary). Checks: a file
# uploaded through Flow.submit is mined, Mine accepts an answer
# (miner_getStatus, /metrics zg_miner_answers_accepted), eth_getBalance of
# the beneficiary grew; miner_stop stops iterating, miner_start resumes; a
# restarted node keeps its persisted miner id. Prints the miner's
# iterations/s (not asserted).
# Usage: mine_run.sh PATH/TO/zg
set -u
zg=$1
for t in curl jq timeout; do
  command -v $t >/dev/null || { echo "skipped: $t not installed"; exit 77; }
done
work=$(mktemp -d /tmp/zg_mine_run.XXXXXX)
npid=""
cleanup() {
  [ -n "$npid" ] && kill "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
  "$zg" devnet down --dir "$work/dn" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
logs() { echo "-- node err:"; tail -25 "$work/n/err"; }

# The devnet, with the storage genesis knobs mining needs (docs/storage-network.md "Miner").
timeout 120 "$zg" devnet up --validators 1 --block-time 100ms --dir "$work/dn" --no-start >/dev/null 2>"$work/up.err" ||
  { cat "$work/up.err"; echo "FAIL: devnet up --no-start"; exit 1; }
g=$work/dn/genesis.json
jq '.storage = {"blocksPerEpoch": 20, "initDifficulty": 1000, "targetMineBlocks": 20, "nSubtasks": 1,
                "subtaskInterval": 0, "baseReward": "1000000000000000000"}
    | .alloc["0x0000000000000000000000000000000000002003"] = "1000000000000000000000"' "$g" >"$g.new" && mv "$g.new" "$g"
timeout 120 "$zg" devnet start --dir "$work/dn" >"$work/start.out" 2>&1 ||
  { cat "$work/start.out"; echo "FAIL: devnet start"; exit 1; }
rpc=$(jq -r '.nodes[0].rpc' "$work/dn/devnet.json")
upkey=$(jq -r '.[0].private_key' "$work/dn/accounts.json")
minekey=$(jq -r '.[1].private_key' "$work/dn/accounts.json")
ben=0x00000000000000000000000000000000000b0b01

mkdir -p "$work/n"
cat >"$work/n/cfg.json" <<EOF
{"storage":{"dataDir":"$work/n/data","chain":{"rpc":"$rpc","confirmations":1,"pollMs":100},
 "miner":{"enabled":true,"key":"$minekey","beneficiary":"$ben","pollMs":200}},
 "rpc":{"addr":"127.0.0.1:0"}}
EOF
start_node() {
  : >"$work/n/out"
  timeout 600 "$zg" node --config "$work/n/cfg.json" >"$work/n/out" 2>>"$work/n/err" &
  npid=$!
  for _ in $(seq 600); do
    grep -q 'rpc listening' "$work/n/out" 2>/dev/null && break
    sleep 0.1
  done
  url=$(grep -o 'http://[0-9.:]*' "$work/n/out")
}
start_node
[ -n "$url" ] || { logs; echo "FAIL: storage node did not start"; exit 1; }
call() { curl -s -X POST -H 'Content-Type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":$3}" "$1"; }
status() { call "$url" miner_getStatus '[]' | jq -r ".result.$1"; }
balance() { call "$rpc" eth_getBalance "[\"$ben\",\"latest\"]" | jq -r .result; }

[ "$(balance)" = "0x0" ] && ok || bad "beneficiary starts at $(balance)"
head -c $((1 << 20)) /dev/urandom >"$work/a.bin"
timeout 120 "$zg" upload "$work/a.bin" --node "$url" --chain "$rpc" --key "$upkey" >"$work/up.out" 2>&1 && ok ||
  bad "upload through the chain: $(tail -3 "$work/up.out")"

# An accepted answer within 60 s (the file's epoch closes after <= 2 s).
t0=$(date +%s.%N)
acc=0
for _ in $(seq 600); do
  acc=$(status answersAccepted)
  [ "${acc:-0}" -ge 1 ] 2>/dev/null && break
  sleep 0.1
done
if [ "${acc:-0}" -ge 1 ] 2>/dev/null; then
  ok; echo "first accepted answer $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}') s after the upload"
else bad "no accepted answer after 60 s: $(call "$url" miner_getStatus '[]')"; logs; fi
b=$(balance)
[ -n "$b" ] && [ "$b" != "0x0" ] && [ "$b" != "null" ] && ok || bad "beneficiary balance $b after an accepted answer"
echo "beneficiary balance $b wei; miner: $(call "$url" miner_getStatus '[]' | jq -c '.result | {iterations, hits, answersSubmitted, answersAccepted, answersRejected, answersStale, iterationsPerSecond}')"
m=$(curl -s "$url/metrics")
echo "$m" | grep -q '^zg_miner_answers_accepted [1-9]' && ok || bad "metrics: $(echo "$m" | grep zg_miner)"
echo "$m" | grep -q '^zg_miner_iterations [1-9]' && ok || bad "metrics without iterations"
# Rejections may happen on a live chain (an answer included after its epoch
# ended); a wrong answer (data, proof, quality) is never expected.
rej=$(status answersRejected)
[ "${rej:-0}" = 0 ] || echo "note: $rej answer(s) rejected: $(status lastError)"
status lastError | grep -qi "merkle\|quality\|recall\|sealed" && bad "a wrong answer: $(status lastError)" || ok

# miner_stop stops iterating; miner_start resumes.
[ "$(call "$url" miner_stop '[]' | jq -r .result)" = true ] && ok || bad "miner_stop"
sleep 0.5
i1=$(status iterations)
sleep 2
i2=$(status iterations)
[ "$i1" = "$i2" ] && [ "$(status running)" = false ] && ok || bad "iterations moved after miner_stop: $i1 -> $i2"
[ "$(call "$url" miner_start '[]' | jq -r .result)" = true ] && ok || bad "miner_start"
for _ in $(seq 100); do
  i3=$(status iterations)
  [ "$i3" -gt "$i2" ] 2>/dev/null && break
  sleep 0.1
done
[ "$i3" -gt "$i2" ] 2>/dev/null && ok || bad "iterations did not resume: $i2 -> $i3 ($(status idleReason))"

# A restart keeps the miner id (persisted in dataDir/miner.json).
id=$(status minerId)
kill "$npid"; wait "$npid" 2>/dev/null; npid=""
start_node
for _ in $(seq 100); do
  [ "$(status registered)" = true ] && break
  sleep 0.1
done
[ "$(status minerId)" = "$id" ] && [ "$id" != null ] && ok || bad "miner id after restart: $(status minerId), was $id"

# A clean stop (SIGTERM): exit status 0 and no sanitizer report (ASan/UBSan builds).
kill "$npid"; wait "$npid"; rc=$?; npid=""
[ "$rc" = 0 ] && ok || { bad "node exit status $rc after SIGTERM"; logs; }
if grep -q "ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:" "$work/n/err"; then
  bad "sanitizer report in the node's log"; grep -A15 "ERROR: \|runtime error:" "$work/n/err" | head -40
else ok; fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# devnet_storage.sh — `zg devnet up --validators 4 --storage 4 --shards 2`
# end to end: the state lists 4 storage nodes (zgs URL, shard j mod 2, the
# validator each follows), each answers zgs_getStatus with the devnet's
# chain id and follows the chain; `zg upload --chain --key` submits through
# Flow.submit and uploads to the nodes, `zg download` gives the same bytes;
# `zg devnet stop/start --node s1` restarts one storage node on its data
# (it still serves the file); `zg devnet down` stops every process and
# leaves no pid file. Fault cases (kill, wipe, resync) live in
# chain_faults.sh and sync_faults.sh.
# Usage: devnet_storage.sh PATH/TO/zg [SIZE_KIB]
# Exit: 0 all passed, 1 a failure (the logs that explain it are printed),
# 77 when curl/jq/cmp are missing.
set -u
zg=$1
kib=${2:-3000}
for t in curl jq timeout cmp; do
  command -v $t >/dev/null || { echo "skipped: $t not installed"; exit 77; }
done
work=$(mktemp -d /tmp/zg_devnet_storage.XXXXXX)
dn=$work/dn
cleanup() {
  "$zg" devnet down --dir "$dn" >/dev/null 2>&1
  if [ -n "${ZG_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() {
  failed=$((failed + 1))
  echo "FAIL: $*"
  for f in "$dn"/s*/node.log "$dn"/v0/node.log; do [ -f "$f" ] && { echo "---- $f (tail)"; tail -n 8 "$f"; }; done
}
call() { curl -s -m 10 -X POST -H 'Content-Type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":$3}" "$1"; }

t0=$(date +%s.%N)
if ! timeout 240 "$zg" devnet up --validators 4 --storage 4 --shards 2 --dir "$dn" --json >"$work/up.json" 2>"$work/up.err"; then
  cat "$work/up.err"; echo "FAIL: devnet up"; exit 1
fi
echo "devnet up (4 validators, 4 storage nodes): $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}') s"
chain_id=$(jq -r .chain_id "$work/up.json")
rpc=$(jq -r '.nodes[0].rpc' "$work/up.json")
key=$(jq -r '[.accounts[] | select(.lane == 0)][0].private_key' "$work/up.json")
nodes=$(jq -r '[.storage[].rpc] | join(",")' "$work/up.json")

# 1. The state: 4 nodes, shards j mod 2, running, each following a validator.
[ "$(jq '.storage | length' "$work/up.json")" = 4 ] && ok || bad "storage nodes in --json: $(jq -c .storage "$work/up.json")"
[ "$(jq -c '[.storage[] | .shard]' "$work/up.json")" = "[0,1,0,1]" ] && ok || bad "shards: $(jq -c '[.storage[].shard]' "$work/up.json")"
[ "$(jq -c '[.storage[] | .num_shard] | unique' "$work/up.json")" = "[2]" ] && ok || bad "num_shard"
[ "$(jq '[.storage[] | select(.running)] | length' "$work/up.json")" = 4 ] && ok || bad "not all running"
vals=$(jq -c '[.nodes[].rpc]' "$work/up.json")
[ "$(jq --argjson v "$vals" '[.storage[] | .chain_rpc as $c | $v | index($c)] | map(. != null) | all' "$work/up.json")" = true ] &&
  ok || bad "a storage node follows something else than a validator"
for u in $(jq -r '.storage[].rpc' "$work/up.json"); do
  st=$(call "$u" zgs_getStatus '[]')
  [ "$(echo "$st" | jq -r .result.networkIdentity.chainId)" = "$chain_id" ] && ok || bad "$u zgs_getStatus: $st"
done
"$zg" devnet status --dir "$dn" | grep -q "shard 1/2" && ok || bad "status text has no storage lines"

# 2. Upload through the chain, download, byte-identical.
head -c $((kib * 1024)) /dev/urandom >"$work/a.bin"
if out=$(timeout 300 "$zg" upload "$work/a.bin" --node "$nodes" --chain "$rpc" --key "$key" --json 2>"$work/a.err"); then
  ok; echo "upload $kib KiB through the chain: $(echo "$out" | jq -r .seconds) s"
else bad "upload: $(tail -3 "$work/a.err")"; fi
root=$(echo "$out" | jq -r .root)
if timeout 300 "$zg" download "$root" "$work/a.out" --node "$nodes" >"$work/d.out" 2>&1 && cmp -s "$work/a.bin" "$work/a.out"; then
  ok
else bad "download: $(tail -2 "$work/d.out")"; fi

# 3. One storage node stopped and started again on its data.
"$zg" devnet stop --dir "$dn" --node s1 >"$work/stop.out" 2>&1 && ok || bad "stop s1: $(cat "$work/stop.out")"
[ "$("$zg" devnet status --dir "$dn" --json | jq -r '.storage[1].running')" = false ] && ok || bad "s1 still running"
timeout 120 "$zg" devnet start --dir "$dn" --node s1 >"$work/start.out" 2>&1 && ok || bad "start s1: $(cat "$work/start.out")"
s1=$(jq -r '.storage[1].rpc' "$work/up.json")
fi1=""
for _ in $(seq 600); do
  fi1=$(call "$s1" zgs_getFileInfo "[\"$root\"]" | jq -r '.result.finalized // empty')
  [ "$fi1" = true ] && break
  sleep 0.1
done
[ "$fi1" = true ] && ok || bad "s1 after restart: zgs_getFileInfo $(call "$s1" zgs_getFileInfo "[\"$root\"]")"
s0=$(jq -r '.storage[0].rpc' "$work/up.json")
if timeout 120 "$zg" download "$root" "$work/b.out" --node "$s0,$s1" >"$work/d2.out" 2>&1 && cmp -s "$work/a.bin" "$work/b.out"; then
  ok
else bad "download from s0 + restarted s1: $(tail -2 "$work/d2.out")"; fi

# 4. Down: every process gone, no pid file left.
pids=$("$zg" devnet status --dir "$dn" --json | jq -r '(.nodes + .storage)[] | .pid // empty')
"$zg" devnet down --dir "$dn" >"$work/down.out" 2>&1 && ok || bad "down: $(cat "$work/down.out")"
left=0
for p in $pids; do # a zombie waiting for init to reap it has stopped
  st=$(ps -o stat= -p "$p" 2>/dev/null)
  [ -n "$st" ] && [ "${st#Z}" = "$st" ] && left=$((left + 1))
done
[ "$left" = 0 ] && ok || bad "$left processes still running after down"
ls "$dn"/*/node.pid >/dev/null 2>&1 && bad "pid files left: $(ls "$dn"/*/node.pid)" || ok
[ "$("$zg" devnet status --dir "$dn" --json | jq '[(.nodes + .storage)[] | select(.running)] | length')" = 0 ] && ok ||
  bad "status still shows running nodes"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

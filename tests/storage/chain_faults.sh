#!/usr/bin/env bash
# chain_faults.sh — the storage role on the chain, end to end with real
# processes: a 1-validator devnet (zg devnet up) and 4 storage nodes as
# 2 shards x 2 replicas, each following the chain's Flow Submit events
# (storage.chain.rpc, zg/storage_follower.h). Checks: `zg upload --chain
# --key` submits through Flow.submit and every node learns the entry from
# the chain; one node killed during an upload (the upload completes via its
# replica); a download with one replica per shard down; a follower stopped
# and restarted resumes from its persisted progress and catches up with the
# submissions it missed; zgs_getStatus reports the chain id and the Flow
# address. Prints the MB/s of each transfer (not asserted).
# Usage: chain_faults.sh PATH/TO/zg [SIZE_MIB]
set -u
zg=$1
mib=${2:-16}
for t in curl jq timeout cmp; do
  command -v $t >/dev/null || { echo "skipped: $t not installed"; exit 77; }
done
work=$(mktemp -d /tmp/zg_chain_faults.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  "$zg" devnet down --dir "$work/dn" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

timeout 180 "$zg" devnet up --validators 1 --block-time 100ms --dir "$work/dn" --json >"$work/up.json" 2>"$work/up.err" ||
  { cat "$work/up.err"; echo "FAIL: devnet up"; exit 1; }
rpc=$(jq -r '.nodes[0].rpc' "$work/up.json")
key=$(jq -r '.[0].private_key' "$work/dn/accounts.json")

# start_node I SHARD [ADDR] -> URL[I], PID[I]
declare -A URL PID
start_node() {
  local i=$1 dir=$work/n$1
  mkdir -p "$dir"
  cat >"$dir/cfg.json" <<EOF
{"storage":{"dataDir":"$dir/data","shard":{"shardId":$2,"numShard":2},
 "chain":{"rpc":"$rpc","confirmations":1,"pollMs":100}},
 "rpc":{"addr":"${3:-127.0.0.1:0}"}}
EOF
  timeout 900 "$zg" node --config "$dir/cfg.json" >"$dir/out" 2>>"$dir/err" &
  PID[$i]=$!
  pids+=($!)
  for _ in $(seq 600); do
    grep -q 'rpc listening' "$dir/out" 2>/dev/null && break
    sleep 0.1
  done
  URL[$i]=$(grep -o 'http://[0-9.:]*' "$dir/out")
}
for i in 0 1 2 3; do start_node $i $((i % 2)); done
all="${URL[0]},${URL[1]},${URL[2]},${URL[3]}"
call() { curl -s -X POST -H 'Content-Type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":$3}" "$1"; }

# 1. Upload through the chain, download, status.
head -c $((mib << 20)) /dev/urandom >"$work/a.bin"
if out=$(timeout 300 "$zg" upload "$work/a.bin" --node "$all" --chain "$rpc" --key "$key" --json 2>"$work/a.err"); then
  ok; echo "upload ${mib} MiB through the chain: $(echo "$out" | jq -r '.seconds') s"
else bad "upload through the chain: $(tail -3 "$work/a.err")"; fi
root_a=$("$zg" root "$work/a.bin" | grep -o '0x[0-9a-f]\{64\}' | head -1)
st=$(call "${URL[0]}" zgs_getStatus '[]')
[ "$(echo "$st" | jq -r .result.networkIdentity.chainId)" = "$(jq -r .chain_id "$work/up.json")" ] && ok || bad "chainId: $st"
[ "$(echo "$st" | jq -r .result.networkIdentity.flowAddress)" = "0x0000000000000000000000000000000000002001" ] && ok ||
  bad "flowAddress: $st"

# 2. One node killed (-9) during an upload, once it holds some segments of
#    the file: its replica completes the upload.
head -c $((4 * mib << 20)) /dev/urandom >"$work/b.bin"
root_b=$("$zg" root "$work/b.bin" | grep -o '0x[0-9a-f]\{64\}' | head -1)
node2=$(pgrep -P "${PID[2]}" -x zg || echo "${PID[2]}")
(
  for _ in $(seq 600); do
    n=$(call "${URL[2]}" zgs_getFileInfo "[\"$root_b\"]" | jq -r '.result.uploadedSegNum // 0')
    [ "${n:-0}" -gt 0 ] && break
    sleep 0.05
  done
  kill -9 "$node2"
) &
killer=$!
if timeout 300 "$zg" upload "$work/b.bin" --node "$all" --chain "$rpc" --key "$key" >"$work/b.out" 2>"$work/b.err"; then ok
else bad "upload with a node killed: $(tail -3 "$work/b.err")"; fi
wait $killer
grep -q "failed; going on with its replicas" "$work/b.err" && ok || echo "note: node 2 died after its last segment"
kill -0 "$node2" 2>/dev/null && bad "node 2 still running"
wait "${PID[2]}" 2>/dev/null

# 3. Downloads with one replica per shard down (node 2 is down; stop node 1).
node1=$(pgrep -P "${PID[1]}" -x zg || echo "${PID[1]}")
kill "$node1"; wait "${PID[1]}" 2>/dev/null
for f in a b; do
  r=root_$f
  if timeout 300 "$zg" download "${!r}" "$work/$f.out" --node "$all" >"$work/d$f.out" 2>&1 && cmp -s "$work/$f.bin" "$work/$f.out"
  then ok; echo "download $f with one replica per shard down: $(grep -o '[0-9.]* s)' "$work/d$f.out")"
  else bad "download $f with replicas down: $(tail -2 "$work/d$f.out")"; fi
done

# 4. Node 1 restarts on its data: the follower resumes and catches up with
#    the submissions it missed while down.
head -c 100000 /dev/urandom >"$work/c.bin"
timeout 120 "$zg" upload "$work/c.bin" --node "${URL[0]},${URL[3]}" --chain "$rpc" --key "$key" >/dev/null 2>&1 && ok ||
  bad "upload while node 1 is down"
seq_before=$(call "${URL[0]}" zgs_getStatus '[]' | jq -r .result.nextTxSeq)
t0=$(date +%s.%N)
start_node 1 1 "${URL[1]#http://}"
for _ in $(seq 600); do
  s=$(call "${URL[1]}" zgs_getStatus '[]' | jq -r .result.nextTxSeq 2>/dev/null)
  [ "$s" = "$seq_before" ] && break
  sleep 0.1
done
if [ "$s" = "$seq_before" ]; then ok; echo "node 1 restart and catch-up: $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b - a}') s"; else
  bad "restarted follower at nextTxSeq '$s', want $seq_before (after 60 s)"
  echo "-- node 1 out:"; tail -5 "$work/n1/out"; echo "-- node 1 err:"; tail -20 "$work/n1/err"
fi
[ -s "$work/n1/data/follower.state" ] && ok || bad "no follower.state"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

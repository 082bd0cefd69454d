#!/usr/bin/env bash
# sync_faults.sh — storage peer sync (zg/storage_sync.h) end to end with real
# processes: a 1-validator devnet and 5 storage nodes following the chain,
# linked by storage.p2p: 2 shards x 2 replicas (n0..n3) plus n4, a third
# replica of shard 1 started with the storage.debug.corruptSync test knob
# (it serves corrupted ranges to peers). Two files are uploaded through
# Flow.submit; then n3 is stopped, its data dir wiped, and it is restarted
# with the same key and addresses. Checks: n3 re-learns the entries from the
# chain and fetches every segment of its shard from its peers (no upload);
# the lying peer is detected (bad range counted, peer banned, logged) and the
# ranges are refetched from the honest replica; a download that can get
# shard 1 only from n3 is byte-identical; admin_getFileSyncStatus says
# Completed; the knob is refused without ZG_DEV_KNOBS=1. Prints the resync
# MB/s (not asserted).
# Usage: sync_faults.sh PATH/TO/zg [SIZE_MIB]
set -u
zg=$1
mib=${2:-4}
for t in curl jq timeout cmp od; do
  command -v $t >/dev/null || { echo "skipped: $t not installed"; exit 77; }
done
work=$(mktemp -d /tmp/zg_sync_faults.XXXXXX)
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
call() { curl -s -X POST -H 'Content-Type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":$3}" "$1"; }
logs() { for i in "$@"; do echo "-- n$i out:"; tail -5 "$work/n$i/out"; echo "-- n$i err:"; tail -25 "$work/n$i/err"; done; }

timeout 180 "$zg" devnet up --validators 1 --block-time 100ms --dir "$work/dn" --json >"$work/up.json" 2>"$work/up.err" ||
  { cat "$work/up.err"; echo "FAIL: devnet up"; exit 1; }
rpc=$(jq -r '.nodes[0].rpc' "$work/up.json")
key=$(jq -r '.[0].private_key' "$work/dn/accounts.json")

# start_node I SHARD CORRUPT PEERS_JSON -> URL[I], P2P[I] ("pk@host:port"), PID[I].
# A restart reuses the node's key file and both of its ports.
declare -A URL P2P PID RPCADDR P2PADDR
start_node() {
  local i=$1 dir=$work/n$1 dbg=""
  mkdir -p "$dir"
  [ -f "$dir/p2p.key" ] || od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$dir/p2p.key"
  [ "$3" = 1 ] && dbg=',"debug":{"corruptSync":true}'
  cat >"$dir/cfg.json" <<EOF
{"storage":{"dataDir":"$dir/data","shard":{"shardId":$2,"numShard":2},
 "chain":{"rpc":"$rpc","confirmations":1,"pollMs":100},
 "p2p":{"listen":"${P2PADDR[$i]:-127.0.0.1:0}","key":"$dir/p2p.key","peers":$4,"syncGraceMs":${GRACE:-60000},
        "rangeSegments":2}$dbg},
 "rpc":{"addr":"${RPCADDR[$i]:-127.0.0.1:0}"}}
EOF
  : >"$dir/out"
  ZG_DEV_KNOBS=$3 timeout 900 "$zg" node --config "$dir/cfg.json" >"$dir/out" 2>>"$dir/err" &
  PID[$i]=$!
  pids+=($!)
  for _ in $(seq 600); do
    grep -q 'rpc listening' "$dir/out" 2>/dev/null && break
    sleep 0.1
  done
  URL[$i]=$(grep -o 'http://[0-9.:]*' "$dir/out")
  RPCADDR[$i]=${URL[$i]#http://}
  P2PADDR[$i]=$(sed -n 's/^storage p2p listening on \([0-9.:]*\) key .*/\1/p' "$dir/out")
  local pk=$(sed -n 's/^storage p2p listening on .* key 0x\([0-9a-f]*\)$/\1/p' "$dir/out")
  P2P[$i]="$pk@${P2PADDR[$i]}"
  [ -n "${URL[$i]}" ] && [ -n "$pk" ] || { logs "$i"; echo "FAIL: node $i did not start"; exit 1; }
}
peers() { local s="[" sep=""; for j in "$@"; do s+="$sep\"${P2P[$j]}\""; sep=","; done; echo "$s]"; }

start_node 0 0 0 '[]'
start_node 1 1 0 "$(peers 0)"
start_node 2 0 0 "$(peers 0 1)"
start_node 3 1 0 "$(peers 0 1 2)"
start_node 4 1 1 "$(peers 0 1 2 3)"
all="${URL[0]},${URL[1]},${URL[2]},${URL[3]},${URL[4]}"

# The knob is refused without the dev flag.
sed "s|$work/n4/data|$work/knob|" "$work/n4/cfg.json" >"$work/knob.json"
ZG_DEV_KNOBS= timeout 20 "$zg" node --config "$work/knob.json" >/dev/null 2>"$work/knob.err"
grep -q "ZG_DEV_KNOBS=1" "$work/knob.err" && ok || bad "corruptSync accepted without ZG_DEV_KNOBS: $(cat "$work/knob.err")"

# 1. Two files through the chain, to every node.
head -c $((mib << 20)) /dev/urandom >"$work/a.bin"
head -c 300000 /dev/urandom >"$work/b.bin"
for f in a b; do
  timeout 300 "$zg" upload "$work/$f.bin" --node "$all" --chain "$rpc" --key "$key" >"$work/$f.up" 2>&1 && ok ||
    bad "upload $f: $(tail -3 "$work/$f.up")"
done
root_a=$("$zg" root "$work/a.bin" | grep -o '0x[0-9a-f]\{64\}' | head -1)
root_b=$("$zg" root "$work/b.bin" | grep -o '0x[0-9a-f]\{64\}' | head -1)
fin() { call "$1" zgs_getFileInfo "[\"$2\"]" | jq -r '.result.finalized // false'; }
seq_a=$(call "${URL[3]}" zgs_getFileInfo "[\"$root_a\"]" | jq -r '.result.tx.seq')
[ "$(fin "${URL[3]}" "$root_a")" = true ] && ok || bad "n3 does not hold file a after the upload"

# 2. n3 loses its data and comes back empty, same key and addresses (a 3 s
#    grace period now; 60 s before, so that no replica raced the uploads).
kill "${PID[3]}"; wait "${PID[3]}" 2>/dev/null
rm -rf "$work/n3/data"
t0=$(date +%s.%N)
GRACE=3000 start_node 3 1 0 "$(peers 0 1 2 4)"
done_=no
for _ in $(seq 1200); do
  [ "$(fin "${URL[3]}" "$root_a")" = true ] && [ "$(fin "${URL[3]}" "$root_b")" = true ] && { done_=yes; break; }
  sleep 0.1
done
t1=$(date +%s.%N)
prog=$(call "${URL[3]}" admin_getSyncProgress '[]')
if [ $done_ = yes ]; then
  ok
  bytes=$(echo "$prog" | jq -r .result.bytesFetched)
  echo "n3 resync: $bytes bytes of its shard in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b - a}') s from restart" \
    "(chain catch-up and the 3 s grace included): $(awk -v n="$bytes" -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", n / 1e6 / (b - a)}') MB/s"
  grep -o 'tx [0-9]*: synced .*' "$work/n3/err" | sed 's/^/  n3 log: /'
else
  bad "n3 did not resync within 120 s: $prog"; logs 3 1 4
fi
[ "$(echo "$prog" | jq -r .result.segmentsFetched)" -gt 0 ] && ok || bad "n3 fetched no segment: $prog"
[ "$(call "${URL[3]}" zgs_getFileInfo "[\"$root_a\"]" | jq -r .result.uploadedSegNum)" -gt 0 ] && ok || bad "n3 segments"

# 3. The lying replica was detected, banned and avoided.
nbad=$(echo "$prog" | jq -r .result.badRanges)
if [ "${nbad:-0}" -ge 1 ] && [ "$(echo "$prog" | jq -r .result.peersBanned)" = 1 ]; then ok; echo "liar: $nbad bad ranges, banned"
else bad "the corrupting peer was not detected: $prog"; logs 3 4; fi
grep -q "served a bad range" "$work/n3/err" && ok || bad "no log line for the bad range"
curl -s "${URL[3]}/metrics" | grep -q '^zg_storage_sync_bad_ranges_total [1-9]' && ok || bad "metrics: bad ranges not counted"
[ "$(call "${URL[3]}" admin_getFileSyncStatus "[$seq_a]" | jq -r .result)" = Completed ] && ok || bad "admin_getFileSyncStatus"

# 4. Shard 1 from n3 only (n1 and the liar stopped): byte-identical.
kill "${PID[1]}" "${PID[4]}"; wait "${PID[1]}" "${PID[4]}" 2>/dev/null
for f in a b; do
  r=root_$f
  if timeout 300 "$zg" download "${!r}" "$work/$f.out" --node "${URL[0]},${URL[3]}" >"$work/d$f.out" 2>&1 &&
    cmp -s "$work/$f.bin" "$work/$f.out"; then ok
  else bad "download $f from n0 + resynced n3: $(tail -2 "$work/d$f.out")"; fi
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

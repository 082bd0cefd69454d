#!/usr/bin/env bash
# node_crash.sh — kill -9 loop of the storage node (crash safety of the
# acknowledged uploads). A real `zg node` runs on one data dir; in each
# cycle several `zg upload`s run against it and, at a random moment (seeded
# and printed), the test records which segments the node reports stored —
# every one of them was acknowledged, since a segment is visible only once
# durable — and kills the node with SIGKILL. After the restart on the same
# data dir every recorded segment must still be there with its exact bytes,
# no stored segment may be unreadable (no half-written state), and the
# resumed uploads go on from there. A file the node reports finalized is
# downloaded with `zg download` (every proof verified) and byte-compared,
# then replaced by a new file so that kills keep landing during uploads.
# At the end the remaining uploads are resumed without kills and every file
# must download byte-identical.
# Cycles: 25 x ZG_TEST_ITERS; seed: ZG_SEED or the clock.
# Needs curl, jq, base64 and timeout (skips, 77). Usage: node_crash.sh PATH/TO/zg
set -u
zg=$1
for t in curl jq base64 timeout truncate; do
  command -v $t >/dev/null || { echo "skipped: $t not installed"; exit 77; }
done
cycles=$(awk -v m="${ZG_TEST_ITERS:-1}" 'BEGIN { c = int(25 * m); print c < 2 ? 2 : c }')
seed=${ZG_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$seed
echo "node_crash: seed $seed (rerun with ZG_SEED=$seed), $cycles kill cycles"
work=$(mktemp -d /tmp/zg_node_crash.XXXXXX)
node_pid= up_pids=()
cleanup() {
  [ -n "$node_pid" ] && kill -9 "$node_pid" 2>/dev/null
  for p in "${up_pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [ "$failed" != 0 ] && [ -n "${ZG_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

cat >"$work/cfg.json" <<CFG
{"storage":{"dataDir":"$work/data","shard":{"shardId":0,"numShard":1}},
 "rpc":{"addr":"127.0.0.1:0","threads":4}}
CFG
start_node() {
  : >"$work/out"
  # No `timeout` wrapper: SIGKILL must reach the node itself (the trap ends it).
  "$zg" node --config "$work/cfg.json" >"$work/out" 2>>"$work/err" &
  node_pid=$!
  for _ in $(seq 200); do
    grep -q "rpc listening on" "$work/out" 2>/dev/null && break
    kill -0 "$node_pid" 2>/dev/null || break
    sleep 0.05
  done
  URL=$(sed -n 's/^rpc listening on //p' "$work/out")
  [ -n "$URL" ] || { echo "node did not start:"; tail -20 "$work/err"; exit 1; }
}
rpc() { curl -s -m 30 -H 'Content-Type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}" "$URL"; }

# present ROOT NSEG -> lines "P i" (stored and readable) and "E i msg" (stored
# but unreadable), one JSON-RPC batch of one-chunk reads (an entry not yet
# submitted answers not-found: nothing stored).
present() {
  local i batch="["
  for ((i = 0; i < $2; i++)); do
    [ $i -gt 0 ] && batch+=","
    batch+="{\"jsonrpc\":\"2.0\",\"id\":$i,\"method\":\"zgs_downloadSegment\",\"params\":[\"$1\",$((i * 1024)),$((i * 1024 + 1))]}"
  done
  batch+="]"
  curl -s -m 60 -H 'Content-Type: application/json' -d "$batch" "$URL" |
    jq -r '.[] | if .error and .error.code != -32001 then "E \(.id) \(.error.code) \(.error.message)" elif .error then empty elif .result != null then "P \(.id)" else empty end' 2>/dev/null
}

# Files: slot k holds file f_k (size and root remembered); gen replaces it.
nslots=4 gen=0
declare -a fpath froot fsegs
new_file() { # new_file SLOT
  gen=$((gen + 1))
  local size=$(( (RANDOM % 24 + 1) * 262144 + RANDOM % 262144 ))
  fpath[$1]=$work/f_$gen
  head -c "$size" /dev/urandom >"${fpath[$1]}"
  froot[$1]=$("$zg" root "${fpath[$1]}")
  fsegs[$1]=$(( (size + 262143) / 262144 ))
  : >"$work/acked_$1"
}
for ((k = 0; k < nslots; k++)); do new_file $k; done

# Segment i of slot k's file as stored: the file bytes, the last segment
# zero-padded to a multiple of 256.
seg_b64() {
  local f=$work/seg.bin
  dd if="${fpath[$1]}" of="$f" bs=262144 skip="$2" count=1 2>/dev/null
  local n; n=$(stat -c %s "$f")
  truncate -s $(( (n + 255) / 256 * 256 )) "$f"
  base64 -w0 <"$f"
}

checked_segs=0 completed=0 lost=0
for ((c = 0; c < cycles; c++)); do
  start_node
  # 1. Everything acknowledged before the last kill is intact.
  for ((k = 0; k < nslots; k++)); do
    present "${froot[$k]}" "${fsegs[$k]}" >"$work/now"
    if grep -q '^E' "$work/now"; then bad "cycle $c: unreadable stored segments of ${froot[$k]}: $(grep '^E' "$work/now" | head -3)"; fi
    while read -r _ i; do
      if ! grep -qx "P $i" "$work/now"; then bad "cycle $c: acknowledged segment $i of ${froot[$k]} lost"; lost=$((lost + 1)); fi
    done <"$work/acked_$k"
    # Exact bytes of up to two acknowledged segments.
    for i in $(awk '{print $2}' "$work/acked_$k" | shuf -n 2 --random-source=<(yes $seed$c)); do
      got=$(rpc zgs_downloadSegmentWithProof "[\"${froot[$k]}\", $i]" | jq -r '.result.data')
      [ "$got" = "$(seg_b64 $k $i)" ] && ok || bad "cycle $c: segment $i of ${froot[$k]} has other bytes"
      checked_segs=$((checked_segs + 1))
    done
    # 2. A finalized file downloads (proofs verified) byte-identical; replace it.
    if [ "$(rpc zgs_getFileInfo "[\"${froot[$k]}\"]" | jq -r '.result.finalized')" = true ]; then
      rm -f "$work/g"
      if timeout 120 "$zg" download "${froot[$k]}" "$work/g" --node "$URL" >/dev/null 2>"$work/dl.err" &&
        cmp -s "${fpath[$k]}" "$work/g"; then ok; else bad "cycle $c: download of ${froot[$k]}: $(cat "$work/dl.err")"; fi
      completed=$((completed + 1))
      rm -f "${fpath[$k]}"
      new_file $k
    fi
  done
  # 3. Uploads (resuming), a random moment, record what is stored, kill -9.
  up_pids=()
  for ((k = 0; k < nslots; k++)); do
    timeout 120 "$zg" upload "${fpath[$k]}" --node "$URL" --jobs 2 >/dev/null 2>&1 &
    up_pids+=($!)
  done
  delay=$(( RANDOM % 1200 + 20 ))
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  for ((k = 0; k < nslots; k++)); do
    present "${froot[$k]}" "${fsegs[$k]}" | grep '^P' >"$work/acked_$k"
  done
  kill -9 "$node_pid"
  { wait "$node_pid"; } 2>/dev/null
  node_pid=
  for p in "${up_pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${up_pids[@]}"; do wait "$p" 2>/dev/null; done
  up_pids=()
  echo "  cycle $c: killed after ${delay} ms; acknowledged segments: $(cat "$work"/acked_* | wc -l)"
done

# 4. Resume every upload without kills; every file downloads byte-identical.
start_node
for ((k = 0; k < nslots; k++)); do
  if timeout 300 "$zg" upload "${fpath[$k]}" --node "$URL" >/dev/null 2>"$work/up.err"; then ok; else bad "final upload: $(cat "$work/up.err")"; fi
  rm -f "$work/g"
  if timeout 120 "$zg" download "${froot[$k]}" "$work/g" --node "$URL" >/dev/null 2>"$work/dl.err" &&
    cmp -s "${fpath[$k]}" "$work/g"; then ok; else bad "final download of ${froot[$k]}: $(cat "$work/dl.err")"; fi
done
echo "node_crash: $cycles kills, $completed files completed across kills, $checked_segs acknowledged segments byte-checked, $lost lost"
echo "$passed passed, $failed failed"
[ $failed = 0 ]

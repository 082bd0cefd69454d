#!/usr/bin/env bash
# node_roundtrip.sh — integration test of the storage node: starts real
# `zg node` processes on 127.0.0.1 (ephemeral ports, temp data dirs), uploads
# and downloads files of several sizes to 1 node and to 2 nodes (2 shards),
# byte-compares, then sends bad inputs (wrong proof, wrong root, index out of
# range, wrong segment size, oversized body, malformed JSON, unknown method,
# a segment of another shard, an upload for an unknown entry, a full disk
# on a 16 MiB tmpfs when mount is permitted) and checks
# each gets its JSON-RPC error while the stored file stays intact; checks
# zgs_getSectorProof against the flow root of zgs_getFlowContext.
# Every process runs under a timeout. Needs curl, jq and base64 (skips, 77).
# Usage: node_roundtrip.sh PATH/TO/zg
set -u
zg=$1
for t in curl jq base64 timeout; do
  command -v $t >/dev/null || { echo "skipped: $t not installed"; exit 77; }
done
work=$(mktemp -d /tmp/zg_node_test.XXXXXX)
pids=() mounts=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# start_node NAME SHARD NUM [DATADIR] -> sets URL_<NAME>
start_node() {
  local name=$1 dir=$work/$1
  mkdir -p "$dir"
  cat >"$dir/cfg.json" <<EOF
{"storage":{"dataDir":"${4:-$dir/data}","shard":{"shardId":$2,"numShard":$3}},
 "rpc":{"addr":"127.0.0.1:0","maxBodySize":"4MiB","threads":4}}
EOF
  timeout 600 "$zg" node --config "$dir/cfg.json" >"$dir/out" 2>"$dir/err" &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q "rpc listening on" "$dir/out" 2>/dev/null && break
    sleep 0.1
  done
  local url
  url=$(sed -n 's/^rpc listening on //p' "$dir/out")
  [ -n "$url" ] || { echo "node $name did not start:"; cat "$dir/err"; exit 1; }
  eval "URL_$name=$url"
}

start_node A 0 1
start_node B0 0 2
start_node B1 1 2
echo "nodes: A=$URL_A B0=$URL_B0 B1=$URL_B1"

# rpc URL METHOD PARAMS_JSON -> prints the response
rpc() { curl -s -m 30 -H 'Content-Type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":$3}" "$1"; }
# expect_code RESPONSE CODE WHAT
expect_code() {
  local got
  got=$(printf '%s' "$1" | jq -r '.error.code // "none"' 2>/dev/null)
  if [ "$got" = "$2" ]; then ok; echo "  ok: $3 -> $2 ($(printf '%s' "$1" | jq -r .error.message))"; else bad "$3: want $2, got $got: ${1:0:300}"; fi
}

# ---- Round trips: 1 node and 2 nodes (2 shards) ----
sizes="1 255 257 262144 262145 $((3 * 1048576 + 5)) $((17 * 262144 + 1000))"
for nodes in "$URL_A" "$URL_B0,$URL_B1"; do
  for n in $sizes; do
    f=$work/f_$n
    [ -f "$f" ] || head -c "$n" /dev/urandom >"$f"
    root=$("$zg" root "$f")
    if ! timeout 120 "$zg" upload "$f" --node "$nodes" >"$work/up.out" 2>"$work/up.err"; then
      bad "upload $n to $nodes: $(cat "$work/up.err")"; continue
    fi
    grep -q "root $root" "$work/up.out" || bad "upload printed $(cat "$work/up.out"), want root $root"
    rm -f "$work/g"
    if timeout 120 "$zg" download "$root" "$work/g" --node "$nodes" >/dev/null 2>"$work/dl.err" && cmp -s "$f" "$work/g"; then
      ok
    else
      bad "round trip $n via $nodes: $(cat "$work/dl.err")"
    fi
    [ -e "$work/g.zgpart" ] && bad "sidecar left behind"
  done
  echo "  round trips of $(echo $sizes | wc -w) sizes via $nodes done"
done

# Resume: a second upload skips every segment.
f=$work/f_$((3 * 1048576 + 5))
out=$(timeout 60 "$zg" upload "$f" --node "$URL_A" --json 2>/dev/null)
if [ "$(printf '%s' "$out" | jq .skippedSegments)" = "$(printf '%s' "$out" | jq .segments)" ]; then ok; else bad "resume: $out"; fi
# Resume of a download: a sidecar marking every segment done needs no fetch.
root=$("$zg" root "$f")
cp "$f" "$work/g"
timeout 60 "$zg" download "$root" "$work/g" --node "$URL_A" --json >/dev/null 2>&1  # fresh run writes sidecar then removes it
cmp -s "$f" "$work/g" && ok || bad "download over an existing OUT"

# The 2-shard nodes hold disjoint halves.
finfo=$(rpc "$URL_B0" zgs_getFileInfo "[\"$root\"]")
[ "$(printf '%s' "$finfo" | jq -r .result)" != "null" ] && ok || bad "B0 file info: $finfo"

# ---- zgs_getSectorProof: held sectors prove against the flow root ----
# (test_sector_proof checks the hashes; here: the RPC shape, the root, the
# path length, and the refusals.)
F=$work/f_$((3 * 1048576 + 5))
froot=$("$zg" root "$F")
check_sector_proof() { # URL SECTOR WHAT
  local ctx froot_flow flen resp
  ctx=$(rpc "$1" zgs_getFlowContext '[]')
  froot_flow=$(printf '%s' "$ctx" | jq -r '.result[0]')
  flen=$(printf '%s' "$ctx" | jq -r '.result[1]')
  resp=$(rpc "$1" zgs_getSectorProof "[$2, \"$froot_flow\"]")
  local h=0; while [ $((1 << h)) -lt "$flen" ]; do h=$((h + 1)); done
  if [ "$(printf '%s' "$resp" | jq -r '.result.lemma[-1]')" = "$froot_flow" ] &&
     [ "$(printf '%s' "$resp" | jq -r '.result.path | length')" = "$h" ] &&
     [ "$(printf '%s' "$resp" | jq -r '.result.lemma | length')" = $((h + 2)) ]; then
    ok; echo "  ok: $3: sector $2 proves against flow root $froot_flow (length $flen, path $h)"
  else
    bad "$3: sector $2: ${resp:0:300}"
  fi
}
start_a=$(rpc "$URL_A" zgs_getFileInfo "[\"$froot\"]" | jq .result.tx.startEntryIndex)
check_sector_proof "$URL_A" "$start_a" "first sector of F on A"
check_sector_proof "$URL_A" $((start_a + 12 * 1024 + 17)) "last segment of F on A"
check_sector_proof "$URL_A" 1 "the first file's sector on A"
bstart=$(rpc "$URL_B0" zgs_getFileInfo "[\"$froot\"]" | jq .result.tx.startEntryIndex)
if [ $(( (bstart / 1024) % 2 )) = 0 ]; then holder=$URL_B0 other=$URL_B1; else holder=$URL_B1 other=$URL_B0; fi
check_sector_proof "$holder" $((bstart + 5)) "F's segment 0 on its shard's node"
check_sector_proof "$other" $((bstart + 1024 + 5)) "F's segment 1 on the other shard's node"
expect_code "$(rpc "$other" zgs_getSectorProof "[$((bstart + 5))]")" -32001 "sector of another shard"
expect_code "$(rpc "$URL_A" zgs_getSectorProof '[0]')" -32001 "the dummy sector"
expect_code "$(rpc "$URL_A" zgs_getSectorProof '[999999999]')" -32001 "sector beyond the flow"
expect_code "$(rpc "$URL_A" zgs_getSectorProof "[$start_a, \"0x$(printf '%064d' 7)\"]")" -32001 "not the current flow root"
expect_code "$(rpc "$URL_A" zgs_getSectorProof '["x"]')" -32602 "malformed sector index"

# ---- Bad inputs against node A, file F (3 segments) ----
F=$work/f_$((3 * 1048576 + 5))
froot=$("$zg" root "$F")
seq=$(rpc "$URL_A" zgs_getFileInfo "[\"$froot\"]" | jq .result.tx.seq)
proof=$("$zg" root --proof 0 "$F" | jq -c .proof)
data=$(head -c 262144 "$F" | base64 -w0)
seg() { # seg ROOT INDEX DATA PROOF SIZE
  printf '{"root":"%s","index":%s,"data":"%s","proof":%s,"fileSize":%s}' "$1" "$2" "$3" "$4" "$5"
}
fsize=$(stat -c %s "$F")
printf '[[%s],%s]' "$(seg "$froot" 0 "$data" "$proof" "$fsize")" "$seq" >"$work/p_good"
curl -s -m 30 -H 'Content-Type: application/json' --data-binary @- "$URL_A" >"$work/r" <<EOF
{"jsonrpc":"2.0","id":1,"method":"zgs_uploadSegmentsByTxSeq","params":$(cat "$work/p_good")}
EOF
[ "$(jq -r '.result' "$work/r")" = "null" ] && [ "$(jq -r '.error' "$work/r")" = "null" ] && ok || bad "good re-upload: $(head -c 300 "$work/r")"

post_params() { # post_params METHOD PARAMSFILE -> response
  { printf '{"jsonrpc":"2.0","id":1,"method":"%s","params":' "$1"; cat "$2"; printf '}'; } |
    curl -s -m 30 -H 'Content-Type: application/json' --data-binary @- "$URL_A"
}
badproof=$(printf '%s' "$proof" | jq -c '.lemma[1] = "0x1111111111111111111111111111111111111111111111111111111111111111"')
printf '[[%s],%s]' "$(seg "$froot" 0 "$data" "$badproof" "$fsize")" "$seq" >"$work/p"
expect_code "$(post_params zgs_uploadSegmentsByTxSeq "$work/p")" -32002 "wrong proof"
otherroot=$("$zg" root "$work/f_1")
printf '[[%s],%s]' "$(seg "$otherroot" 0 "$data" "$proof" "$fsize")" "$seq" >"$work/p"
expect_code "$(post_params zgs_uploadSegmentsByTxSeq "$work/p")" -32602 "wrong root for the tx"
printf '[%s]' "$(seg "$froot" 99 "$data" "$proof" "$fsize")" >"$work/p"
expect_code "$(post_params zgs_uploadSegment "$work/p")" -32602 "index out of range"
short=$(head -c 262000 "$F" | base64 -w0)
printf '[%s]' "$(seg "$froot" 0 "$short" "$proof" "$fsize")" >"$work/p"
expect_code "$(post_params zgs_uploadSegment "$work/p")" -32602 "wrong segment size"
printf '[%s]' "$(seg "$froot" 0 "$data" "$proof" 12345)" >"$work/p"
expect_code "$(post_params zgs_uploadSegment "$work/p")" -32602 "wrong file size"
head -c 5000000 /dev/zero | tr '\0' ' ' >"$work/big"
resp=$(curl -s -m 30 -w '\n%{http_code}' -H 'Content-Type: application/json' --data-binary @"$work/big" "$URL_A")
[ "$(printf '%s' "$resp" | tail -1)" = 413 ] && ok || bad "oversized body: HTTP $(printf '%s' "$resp" | tail -1)"
expect_code "$(printf '%s' "$resp" | head -1)" -32005 "oversized body"
expect_code "$(curl -s -m 30 -d '{"jsonrpc":"2.0","id":1,"method":' "$URL_A")" -32700 "malformed JSON"
expect_code "$(rpc "$URL_A" zgs_noSuchMethod '[]')" -32601 "unknown method"
expect_code "$(rpc "$URL_A" zgs_downloadSegmentWithProof '["0x12", 0]')" -32602 "malformed root"
expect_code "$(rpc "$URL_A" zgs_downloadSegmentWithProof "[\"$froot\", 13]")" -32602 "download index out of range"
expect_code "$(rpc "$URL_A" zgs_downloadSegment "[\"$froot\", 0, 2000]")" -32602 "chunk range too long"
# Upload for an unknown entry.
head -c 1000 /dev/urandom >"$work/unknown"
uroot=$("$zg" root "$work/unknown")
uproof=$("$zg" root --proof 0 "$work/unknown" | jq -c .proof)
udata=$(base64 -w0 <"$work/unknown")
printf '[%s]' "$(seg "$uroot" 0 "$udata" "$uproof" 1000)" >"$work/p"
expect_code "$(post_params zgs_uploadSegment "$work/p")" -32001 "upload for an unknown entry"
# A segment of another shard: F's segment on the 2-shard nodes.
bstart=$(rpc "$URL_B0" zgs_getFileInfo "[\"$froot\"]" | jq .result.tx.startEntryIndex)
if [ $(( (bstart / 1024) % 2 )) = 0 ]; then wrong=$URL_B1; else wrong=$URL_B0; fi
printf '[%s]' "$(seg "$froot" 0 "$data" "$proof" "$fsize")" >"$work/p"
resp=$({ printf '{"jsonrpc":"2.0","id":1,"method":"zgs_uploadSegment","params":'; cat "$work/p"; printf '}'; } |
  curl -s -m 30 -H 'Content-Type: application/json' --data-binary @- "$wrong")
expect_code "$resp" -32003 "segment for another shard"
# Bad submissions.
expect_code "$(rpc "$URL_A" admin_submitLogEntry '[{"size":1000,"nodes":[{"root":"0x0000000000000000000000000000000000000000000000000000000000000000","height":9}]}]')" -32602 "submission nodes not matching the size"
expect_code "$(rpc "$URL_A" admin_submitLogEntry '[{"size":0,"nodes":[]}]')" -32602 "empty submission"

# Nothing stored was damaged: F still downloads intact from both set-ups.
rm -f "$work/g"
timeout 60 "$zg" download "$froot" "$work/g" --node "$URL_A" >/dev/null 2>&1 && cmp -s "$F" "$work/g" && ok || bad "F damaged on A"
rm -f "$work/g"
timeout 60 "$zg" download "$froot" "$work/g" --node "$URL_B0,$URL_B1" >/dev/null 2>&1 && cmp -s "$F" "$work/g" && ok || bad "F damaged on B"
# A 1-shard-only node list cannot serve the other shard's segments.
rm -f "$work/g"
timeout 60 "$zg" download "$froot" "$work/g" --node "$URL_B0" >/dev/null 2>&1 && bad "download from half the shards succeeded" || ok

# Metrics.
m=$(curl -s -m 10 "$URL_A/metrics")
for k in zg_storage_stored_bytes_total zg_storage_rejected_segments_total 'zg_rpc_requests_total{method="zgs_uploadSegmentsByTxSeq"}' zg_rpc_latency_seconds_bucket; do
  printf '%s' "$m" | grep -q "^$k" && ok || bad "metric $k missing"
done
[ "$(printf '%s' "$m" | sed -n 's/^zg_storage_rejected_segments_total //p')" -gt 0 ] && ok || bad "no rejected segments counted"
[ "$(curl -s -m 10 "$URL_A/health")" = ok ] && ok || bad "health"

# Graceful stop: SIGTERM, exit status 0, and a restart serves the same data.
kill -TERM "${pids[0]}"; wait "${pids[0]}"; st=$?
[ $st = 0 ] && ok || bad "node A exit status $st after SIGTERM"
start_node A 0 1
rm -f "$work/g"
timeout 60 "$zg" download "$froot" "$work/g" --node "$URL_A" >/dev/null 2>&1 && cmp -s "$F" "$work/g" && ok || bad "F after restart"

# ---- Disk full: a node on a 16 MiB tmpfs gets uploads until full ----
full=$work/tmpfs
mkdir -p "$full"
if mount -t tmpfs -o size=16m tmpfs "$full" 2>/dev/null; then
  mounts+=("$full")
  start_node FULL 0 1 "$full/data"
  K=$work/f_$((3 * 1048576 + 5))
  kroot=$("$zg" root "$K")
  timeout 60 "$zg" upload "$K" --node "$URL_FULL" >/dev/null 2>&1 && ok || bad "first upload to the small disk"
  refused=
  for i in 1 2 3 4 5 6; do
    head -c $((4 * 1048576 + i)) /dev/urandom >"$work/fill_$i"
    if ! timeout 60 "$zg" upload "$work/fill_$i" --node "$URL_FULL" >/dev/null 2>"$work/fill.err"; then refused=$i; break; fi
  done
  if [ -n "$refused" ] && grep -q "no space left" "$work/fill.err"; then
    ok; echo "  ok: upload $refused to a full disk refused: $(grep -o 'refused.*' "$work/fill.err" | head -1)"
  else
    bad "disk full: upload refused=${refused:-never}: $(cat "$work/fill.err")"
  fi
  if [ -n "$refused" ]; then
    # The exact JSON-RPC error: upload the refused file's missing segments one
    # by one (the space left may still take a few) until one is refused.
    ff=$work/fill_$refused
    ffroot=$("$zg" root "$ff")
    nseg=$(( ($(stat -c %s "$ff") + 262143) / 262144 ))
    resp=none
    for ((i = 0; i < nseg; i++)); do
      [ "$(rpc "$URL_FULL" zgs_downloadSegment "[\"$ffroot\", $((i * 1024)), $((i * 1024 + 1))]" | jq -r .result)" = null ] || continue
      fproof=$("$zg" root --proof "$i" "$ff" | jq -c .proof)
      dd if="$ff" of="$work/seg.bin" bs=262144 skip="$i" count=1 2>/dev/null
      truncate -s $(( ($(stat -c %s "$work/seg.bin") + 255) / 256 * 256 )) "$work/seg.bin"
      printf '[%s]' "$(seg "$ffroot" "$i" "$(base64 -w0 <"$work/seg.bin")" "$fproof" "$(stat -c %s "$ff")")" >"$work/p"
      resp=$({ printf '{"jsonrpc":"2.0","id":1,"method":"zgs_uploadSegment","params":'; cat "$work/p"; printf '}'; } |
        curl -s -m 30 -H 'Content-Type: application/json' --data-binary @- "$URL_FULL")
      [ "$(printf '%s' "$resp" | jq -r .error)" != null ] && break
    done
    expect_code "$resp" -32004 "segment upload to a full disk"
  fi
  # The node keeps serving what it stored, undamaged.
  rm -f "$work/g"
  timeout 60 "$zg" download "$kroot" "$work/g" --node "$URL_FULL" >/dev/null 2>&1 && cmp -s "$K" "$work/g" && ok ||
    bad "file stored before the disk filled is damaged"
  [ "$(rpc "$URL_FULL" zgs_getStatus '[]' | jq -r '.result.nextTxSeq')" != null ] && ok || bad "status on a full disk"
  kill -TERM "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null
else
  echo "  SKIP disk-full part: cannot mount a tmpfs here (needs root); the log store's fault-injection tests cover ENOSPC"
fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]

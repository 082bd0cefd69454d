#!/usr/bin/env bash
# kv_sdk.sh — interop of the KV layer with 0G's own TypeScript SDK
# (docs/kv.md). A payload built by the SDK's StreamDataBuilder (two writes,
# one value of 100 KiB) is submitted with the SDK's tags through
# `zg upload --chain --tags` to a 1-validator devnet; a storage node with
# the kv role replays it (kv_getTransactionResult must be "Commit"); then
# the SDK's KvClient reads it back from the node's kv_ RPC: getValue,
# getFirst, getNext, isAdmin (sent as kv_IsAdmin by the SDK),
# getHoldingStreamIds.
# Usage: kv_sdk.sh ZG_BINARY [SCRATCH_DIR]
# Exit: 0 ok, 1 a mismatch or npm failed, 77 (skip) when npm/node/curl/jq is missing.
set -u
zg=$1
scratch=${2:-${TMPDIR:-/tmp}}/interop-merkle
here=$(cd "$(dirname "$0")" && pwd)
sdk_version=${ZG_SDK_VERSION:-1.2.8}
for t in curl jq timeout; do
  command -v $t >/dev/null || { echo "skipped: $t not installed"; exit 77; }
done
. "$here/npm_lib.sh"
npm_require "the 0G SDK KV interop test"
npm_install "$scratch/npm" "@0gfoundation/0g-ts-sdk@$sdk_version" || exit 1
js="$here/kv_sdk.js"

work=$(mktemp -d /tmp/zg_kv_sdk.XXXXXX)
pid=""
cleanup() {
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
  "$zg" devnet down --dir "$work/dn" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "-- node err:"; tail -15 "$work/err" 2>/dev/null; exit 1; }

timeout 180 "$zg" devnet up --validators 1 --block-time 100ms --dir "$work/dn" --json >"$work/up.json" 2>"$work/up.err" ||
  { cat "$work/up.err"; fail "devnet up"; }
rpc=$(jq -r '.nodes[0].rpc' "$work/up.json")
key=$(jq -r '[.[] | select(.lane == 0)][0].private_key' "$work/dn/accounts.json")
addr=$(jq -r '[.[] | select(.lane == 0)][0].address' "$work/dn/accounts.json")
stream=0x$(printf 'kv_sdk stream' | sha256sum | cut -c1-64)
cat >"$work/cfg.json" <<EOF
{"storage":{"dataDir":"$work/data","chain":{"rpc":"$rpc","confirmations":1,"pollMs":100}},
 "kv":{"streams":["$stream"],"pollMs":50}, "rpc":{"addr":"127.0.0.1:0"}}
EOF
timeout 600 "$zg" node --config "$work/cfg.json" >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 600); do grep -q 'rpc listening' "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/out")
[ -n "$url" ] || fail "node did not start"

node "$js" build "$stream" "$work/payload" "$work/tags" || fail "the SDK could not build the payload"
tags=$(cat "$work/tags")
want_tags="0xdf2ff3bb0af36c6384e6206552a4ed807f6f6a26e7d0aa6bff772ddc9d4307aa${stream#0x}"
[ "$tags" = "$want_tags" ] || fail "SDK tags $tags, want StreamDomain ‖ stream"
out=$(timeout 180 "$zg" upload "$work/payload" --node "$url" --chain "$rpc" --key "$key" --tags "$tags" --json 2>"$work/up2.err") ||
  fail "upload of the SDK payload: $(tail -3 "$work/up2.err")"
seq=$(echo "$out" | jq -r .txSeq)
res=""
for _ in $(seq 600); do
  res=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"kv_getTransactionResult\",\"params\":[$seq]}" "$url" | jq -r .result)
  [ "$res" != null ] && [ -n "$res" ] && break
  sleep 0.1
done
[ "$res" = Commit ] || fail "replay of the SDK payload (tx $seq): '$res'"
j=$(timeout 60 node "$js" read "$url" "$stream" "$addr") || fail "KvClient: $j"
echo "KvClient: $j"
[ "$(echo "$j" | jq -r .a)" = "alpha from the sdk" ] || fail "getValue sdk-a"
[ "$(echo "$j" | jq -r .aVersion)" = "$seq" ] || fail "version of sdk-a, want $seq"
[ "$(echo "$j" | jq -r .bSame)" = true ] && [ "$(echo "$j" | jq -r .bSize)" = 102400 ] || fail "getValue of the 100 KiB value"
[ "$(echo "$j" | jq -r .first)" = sdk-a ] && [ "$(echo "$j" | jq -r .next)" = sdk-b ] || fail "getFirst/getNext"
[ "$(echo "$j" | jq -r .admin)" = true ] || fail "isAdmin of the writer"
[ "$(echo "$j" | jq -r '.held[0]')" = "$stream" ] || fail "getHoldingStreamIds"
echo "kv_sdk: ok (SDK payload replayed as tx $seq, read back with KvClient)"

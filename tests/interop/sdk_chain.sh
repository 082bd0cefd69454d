#!/usr/bin/env bash
# sdk_chain.sh — the acceptance test of issue 7: 0G's own TypeScript SDK
# (@0gfoundation/0g-ts-sdk, with ethers v6, both from npm) against a zg
# devnet with storage nodes (`zg devnet up --validators 2 --storage 2
# --shards 2`), unmodified:
#   1. the SDK's chain upload path (Flow.market(), Market.pricePerSector(),
#      Flow.submit through eth_sendRawTransaction with that fee, the storage
#      nodes learning the entry from the chain, zgs_ segment uploads,
#      finality) then the SDK Downloader with proofs, and `zg download`:
#      both byte-identical (sdk_chain.js also checks the receipt and its
#      Submit log with the SDK's ABI);
#   2. `zg upload --chain --key` of another file, downloaded by the SDK;
#   3. `zg upload --chain` of a file the SDK uploaded (the nodes know it: no
#      second submission), downloaded again by the SDK.
# Sizes: 1 byte, one segment + 1, 17 segments and a random size of up to
# 3 MiB from a printed seed (rerun with ZG_INTEROP_SEED=N).
# Usage: sdk_chain.sh ZG_BINARY [SCRATCH_DIR]
# Exit: 0 all passed; 1 a failure (npm unable to install is a failure; the
# node logs are printed); 77 (skip) only when npm/node are missing.
set -u
zg=$1
scratch=${2:-${TMPDIR:-/tmp}}/interop-merkle
here=$(cd "$(dirname "$0")" && pwd)
seed=${ZG_INTEROP_SEED:-$(($(date +%s) % 1000000))}
. "$here/npm_lib.sh"
npm_require "the 0G SDK chain interop test"
for t in jq cmp timeout; do
  command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
npm_install "$scratch/npm" "@0gfoundation/0g-ts-sdk@${ZG_SDK_VERSION:-1.2.8}" "ethers@6" || exit 1
js=$here/sdk_chain.js

work=$(mktemp -d /tmp/zg_sdk_chain.XXXXXX)
dn=$work/dn
failed=0 n=0
cleanup() {
  "$zg" devnet down --dir "$dn" >/dev/null 2>&1
  if [ "$failed" != 0 ]; then
    for f in "$dn"/s*/node.log "$dn"/v0/node.log; do [ -f "$f" ] && { echo "---- $f (tail)"; tail -n 10 "$f"; }; done
  fi
  if [ -n "${ZG_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

if ! timeout 240 "$zg" devnet up --validators 2 --storage 2 --shards 2 --dir "$dn" --json >"$work/dn.json" 2>"$work/up.err"; then
  cat "$work/up.err"; echo "FAIL: zg devnet up"; exit 1
fi
rpc=$(jq -r '.nodes[0].rpc' "$work/dn.json")
key=$(jq -r '[.accounts[] | select(.lane == 0)][0].private_key' "$work/dn.json")
nodes=$(jq -r '[.storage[].rpc] | join(",")' "$work/dn.json")
echo "SDK $(jq -r .version "$NODE_PATH/@0gfoundation/0g-ts-sdk/package.json"), ethers $(jq -r .version "$NODE_PATH/ethers/package.json"); devnet $rpc, storage $nodes; seed $seed (rerun with ZG_INTEROP_SEED=$seed)"

seg=262144
rnd=$((seed * 7919 % (3 * 1024 * 1024) + 1))
for size in 1 $((seg + 1)) $((17 * seg)) $rnd; do
  n=$((n + 1))
  f=$work/f$n g=$work/g$n
  { printf 'sdk case %d seed %d ' "$n" "$seed"; head -c "$size" /dev/urandom; } | head -c "$size" >"$f"
  { printf 'zg case %d seed %d ' "$n" "$seed"; head -c "$size" /dev/urandom; } | head -c "$size" >"$g"
  t0=$(date +%s.%N)
  # 1. the SDK submits through the chain and uploads; the SDK and zg download.
  if out=$(timeout 300 node "$js" upload "$work/dn.json" "$f" 2>"$work/e$n"); then
    root=${out%% *}
    t1=$(date +%s.%N)
    if timeout 300 node "$js" download "$work/dn.json" "$root" "$work/fs$n" 2>"$work/e$n"; then
      cmp -s "$f" "$work/fs$n" || fail "size $size: the SDK's download of its upload differs"
    else fail "size $size: SDK download: $(tail -3 "$work/e$n")"; fi
    if timeout 300 "$zg" download "$root" "$work/fz$n" --node "$nodes" >/dev/null 2>"$work/e$n"; then
      cmp -s "$f" "$work/fz$n" || fail "size $size: zg download of the SDK's upload differs"
    else fail "size $size: zg download of the SDK's upload: $(tail -2 "$work/e$n")"; fi
    # 3. zg upload --chain of the file the SDK uploaded: known, not submitted again.
    seq0=$(curl -s -X POST -H 'Content-Type: application/json' \
      -d '{"jsonrpc":"2.0","id":1,"method":"zgs_getStatus","params":[]}' "${nodes%%,*}" | jq -r .result.nextTxSeq)
    if timeout 120 "$zg" upload "$f" --node "$nodes" --chain "$rpc" --key "$key" >/dev/null 2>"$work/e$n"; then
      seq1=$(curl -s -X POST -H 'Content-Type: application/json' \
        -d '{"jsonrpc":"2.0","id":1,"method":"zgs_getStatus","params":[]}' "${nodes%%,*}" | jq -r .result.nextTxSeq)
      [ "$seq0" = "$seq1" ] || fail "size $size: zg upload of a file the SDK uploaded submitted again ($seq0 -> $seq1)"
    else fail "size $size: zg upload of the SDK's file: $(tail -2 "$work/e$n")"; fi
  else fail "size $size: SDK upload through the chain: $(tail -3 "$work/e$n")"; t1=$(date +%s.%N); fi
  # 2. zg submits through the chain and uploads; the SDK downloads.
  if out=$(timeout 300 "$zg" upload "$g" --node "$nodes" --chain "$rpc" --key "$key" --json 2>"$work/e$n"); then
    root=$(echo "$out" | jq -r .root)
    if timeout 300 node "$js" download "$work/dn.json" "$root" "$work/gs$n" 2>"$work/e$n"; then
      cmp -s "$g" "$work/gs$n" || fail "size $size: the SDK's download of zg's upload differs"
    else fail "size $size: SDK download of zg's upload: $(tail -3 "$work/e$n")"; fi
  else fail "size $size: zg upload --chain: $(tail -2 "$work/e$n")"; fi
  echo "size $size: SDK upload through the chain $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b - a}') s; all transfers done"
done
if [ "$failed" != 0 ]; then echo "$failed failure(s) in $n cases"; exit 1; fi
echo "OK: $n sizes, each: SDK chain upload -> SDK + zg download, zg re-upload (no resubmission), zg chain upload -> SDK download; all byte-identical"

#!/usr/bin/env bash
# sdk_node.sh — 0G's own TypeScript SDK against real `zg node` processes.
#
# Starts one storage node (1 shard) and a pair of nodes (shards 0/2, 1/2) on
# 127.0.0.1 and, for files of several sizes (1 byte, one segment + 1, 17
# segments and a random size of a few MiB from a printed seed):
#   - the SDK Uploader uploads (dev-mode submission, then the SDK's own segment
#     upload to the nodes whose shards hold them) and `zg download` fetches the
#     file back, verifying every proof: byte-identical;
#   - `zg upload` uploads and the SDK Downloader (with proofs) fetches it back:
#     byte-identical.
# Installs @0gfoundation/0g-ts-sdk with npm like merkle_sdk.sh (sharing its
# scratch directory); exit 77 (skip) only when npm or node is missing.
# Usage: sdk_node.sh ZG_BINARY [SCRATCH_DIR]
set -u
zg=$1
scratch=${2:-${TMPDIR:-/tmp}}/interop-merkle
here=$(cd "$(dirname "$0")" && pwd)
sdk_version=${ZG_SDK_VERSION:-1.2.8}
seed=${ZG_INTEROP_SEED:-$(( $(date +%s) % 1000000 ))}
. "$here/npm_lib.sh"
npm_require "the 0G SDK interop test"
npm_install "$scratch/npm" "@0gfoundation/0g-ts-sdk@$sdk_version" || exit 1
js="$here/sdk_node.js"

work=$(mktemp -d /tmp/zg_sdk_node.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

# start_node NAME SHARD NUM -> sets URL_<NAME>
start_node() {
  local name=$1 dir=$work/$1
  mkdir -p "$dir"
  printf '{"storage":{"dataDir":"%s","shard":{"shardId":%s,"numShard":%s}},"rpc":{"addr":"127.0.0.1:0"}}\n' \
    "$dir/data" "$2" "$3" >"$dir/cfg.json"
  timeout 900 "$zg" node --config "$dir/cfg.json" >"$dir/out" 2>"$dir/err" &
  pids+=($!)
  for _ in $(seq 200); do
    grep -q "rpc listening on" "$dir/out" 2>/dev/null && break
    sleep 0.1
  done
  local url
  url=$(sed -n 's/^rpc listening on //p' "$dir/out")
  [ -n "$url" ] || { echo "FAIL: node $name did not start:"; cat "$dir/err"; exit 1; }
  eval "URL_$name=$url"
}
start_node A 0 1
start_node B0 0 2
start_node B1 1 2
one=$URL_A two="$URL_B0,$URL_B1"
echo "nodes: $one | $two; seed $seed (rerun with ZG_INTEROP_SEED=$seed)"

seg=262144
rnd=$(( seed % (5 * 1024 * 1024) + 1 ))
failed=0 n=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
for size in 1 $((seg + 1)) $((17 * seg)) $rnd; do
  for nodes in "$one" "$two"; do
    n=$((n + 1))
    # Distinct bytes per case (a prefix of the case number), so no case finds
    # its file already stored by an earlier one.
    f=$work/f$n
    { printf 'case %d seed %d ' "$n" "$seed"; head -c "$size" /dev/urandom; } | head -c "$size" >"$f"
    # 1. the SDK uploads, zg downloads
    if root=$(timeout 300 node "$js" upload "$nodes" "$f" 2>"$work/e$n"); then
      if timeout 300 "$zg" download "$root" "$work/d$n" --node "$nodes" >/dev/null 2>"$work/e$n"; then
        cmp -s "$f" "$work/d$n" || fail "size $size: zg download of the SDK's upload differs"
      else fail "size $size nodes $nodes: zg download: $(tail -2 "$work/e$n")"; fi
    else fail "size $size nodes $nodes: SDK upload: $(tail -2 "$work/e$n")"; fi
    # 2. zg uploads, the SDK downloads (another file: different first bytes)
    g=$work/g$n
    { printf 'zg case %d ' "$n"; head -c "$size" /dev/urandom; } | head -c "$size" >"$g"
    if out=$(timeout 300 "$zg" upload "$g" --node "$nodes" --json 2>"$work/e$n"); then
      root=$(printf '%s' "$out" | sed -n 's/.*"root" *: *"\(0x[0-9a-fA-F]*\)".*/\1/p')
      if timeout 300 node "$js" download "$nodes" "$root" "$work/s$n" 2>"$work/e$n"; then
        cmp -s "$g" "$work/s$n" || fail "size $size: SDK download of zg's upload differs"
      else fail "size $size nodes $nodes: SDK download: $(tail -2 "$work/e$n")"; fi
    else fail "size $size nodes $nodes: zg upload: $(tail -2 "$work/e$n")"; fi
    echo "size $size on $( [ "$nodes" = "$one" ] && echo 1 node || echo 2 shards ): done"
  done
done
if [ $failed -ne 0 ]; then echo "$failed failure(s) of $((2 * n)) transfers"; exit 1; fi
echo "OK: $((2 * n)) transfers between 0G's SDK and zg nodes, all byte-identical"

#!/usr/bin/env bash
# storage_roundtrip.sh — upload and download MB/s over loopback with 1 node
# and with 2 nodes (2 shards), and the peak RSS of the nodes and the CLI
# (/usr/bin/time -v). Prints one line per case.
# Usage: bench/storage_roundtrip.sh [PATH/TO/zg] [SIZE_MIB (default 1024)] [JOBS (default 4)]
set -u
zg=${1:-build/zg}
mib=${2:-1024}
jobs=${3:-4}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (GNU time)"; exit 1; }
work=$(mktemp -d /tmp/zg_bench_storage.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT

start_node() { # NAME SHARD NUM -> URL_<NAME>
  mkdir -p "$work/$1"
  cat >"$work/$1/cfg.json" <<EOF
{"storage":{"dataDir":"$work/$1/data","shard":{"shardId":$2,"numShard":$3}},"rpc":{"addr":"127.0.0.1:0","threads":4}}
EOF
  /usr/bin/time -v -o "$work/$1/time" "$zg" node --config "$work/$1/cfg.json" >"$work/$1/out" 2>"$work/$1/err" &
  pids+=($!)
  for _ in $(seq 100); do grep -q "rpc listening" "$work/$1/out" 2>/dev/null && break; sleep 0.1; done
  eval "URL_$1=$(sed -n 's/^rpc listening on //p' "$work/$1/out")"
}
rss() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"; } # user + system seconds

head -c $((mib << 20)) /dev/urandom >"$work/file"
root=$("$zg" root "$work/file")
bytes=$((mib << 20))
run_case() { # LABEL NODES
  local t0 t1 t2
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$work/up.time" "$zg" upload "$work/file" --node "$2" --jobs "$jobs" >/dev/null 2>"$work/up.err" || { cat "$work/up.err"; exit 1; }
  t1=$(date +%s.%N)
  /usr/bin/time -v -o "$work/dl.time" "$zg" download "$root" "$work/out" --node "$2" --jobs "$jobs" >/dev/null 2>"$work/dl.err" || { cat "$work/dl.err"; exit 1; }
  t2=$(date +%s.%N)
  cmp -s "$work/file" "$work/out" && same=identical || same=DIFFERENT
  rm -f "$work/out"
  awk -v l="$1" -v b=$bytes -v t0=$t0 -v t1=$t1 -v t2=$t2 -v ru="$(rss "$work/up.time")" -v rd="$(rss "$work/dl.time")" -v s=$same \
    -v cu="$(cpu "$work/up.time")" -v cd="$(cpu "$work/dl.time")" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "%-8s %6.0f MiB  upload %7.1f MB/s  download %7.1f MB/s  CLI peak RSS up %d KiB, down %d KiB  CLI CPU up %s s, down %s s  load %s  (%s)\n",
             l, b/1048576, b/1e6/(t1-t0), b/1e6/(t2-t1), ru, rd, cu, cd, la, s }'
}

start_node A 0 1
run_case "1 node" "$URL_A"
start_node B0 0 2
start_node B1 1 2
run_case "2 nodes" "$URL_B0,$URL_B1"
for p in "${pids[@]}"; do kill -TERM $(pgrep -P "$p") 2>/dev/null; done  # the zg child of time
wait
for n in A B0 B1; do echo "node $n peak RSS $(rss "$work/$n/time") KiB, CPU $(cpu "$work/$n/time") s (user + system, its upload and download)"; done

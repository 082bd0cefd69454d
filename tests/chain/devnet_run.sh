#!/usr/bin/env bash
# devnet_run.sh — the main job of `make run` and a ctest: one devnet on
# loopback (`zg devnet up --validators 4 --lanes 2 --storage 4 --shards 2`,
# plus --miners and --da-signers 4 when this build has them) doing real
# work, each step printing what it did:
#   1. chain: a few thousand signed transfers from every lane's dev accounts
#      over every validator and a Staking.delegate call (`zg load`): heights,
#      tx/s, latency, CPU per tx, balances, the validator's stake;
#   2. storage: a file uploaded through the chain (`zg upload --chain --key`:
#      Flow.submit, then segments to the 4 storage nodes of 2 shards) and
#      downloaded with proofs (`zg download`): root, MB/s, byte-identical;
#   3. mining: the storage nodes mine that data (PoRA) until a reward shows
#      in eth_getBalance of a beneficiary (bounded wait), printed in ZG;
#   4. data availability: `zg da put` of a blob through DAEntrance and the
#      DA signers, `zg da get` back: blob id, timings, byte-identical;
#   then `zg devnet status` and `zg devnet down`.
# A capability missing from this build is said and skipped, not failed.
#
# Usage: devnet_run.sh ZG_BINARY [TXS]
# Environment: ZG_RUN_TXS (3000), ZG_RUN_MIB (file size, 32), ZG_RUN_MINE_S
# (mining wait, 90), ZG_RUN_DA_KIB (blob size, 256), ZG_RUN_DA=0 (no DA step:
# the sanitizer build, where each `zg da` call takes ~2 minutes), ZG_KEEP=1
# keeps the dir.
# Exit: 0 every step that ran succeeded; 1 a failure (the node logs are
# printed); 77 (skip) when this build has no validator role yet.
set -u
zg=$1
txs=${2:-${ZG_RUN_TXS:-3000}}
mib=${ZG_RUN_MIB:-32}
mine_s=${ZG_RUN_MINE_S:-90}
da_kib=${ZG_RUN_DA_KIB:-256}
dir=$(mktemp -d /tmp/zg_devnet_run.XXXXXX)
rc=1
t_start=$(date +%s.%N)
finish() {
  "$zg" devnet down --dir "$dir" >/dev/null 2>&1
  if [ "$rc" = 1 ]; then
    for f in "$dir"/*/node.log; do [ -f "$f" ] && { echo "---- $f (tail)"; tail -n 12 "$f"; }; done
  fi
  if [ -n "${ZG_KEEP:-}" ]; then echo "kept $dir"; else rm -rf "$dir"; fi
}
trap finish EXIT
step() { echo; echo "== $*"; }
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b - a}'; }
call() { curl -s -m 10 -X POST -H 'Content-Type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":$3}" "$1"; }
# A 0x quantity in wei as ZG with 6 decimals (floating point: for printing).
zg_of() { awk -v h="${1#0x}" 'BEGIN{v=0; for(i=1;i<=length(h);i++){v=v*16+index("0123456789abcdef",tolower(substr(h,i,1)))-1}; printf "%.6f", v/1e18}'; }
have_jq=1
for t in jq curl cmp; do command -v $t >/dev/null || have_jq=0; done

# The devnet: storage, miners and DA signers when this build has them.
flags="--validators 4 --lanes 2"
help=$("$zg" devnet up --help 2>&1)
if [ "$have_jq" = 0 ]; then
  echo "note: jq/curl/cmp missing: chain transfers only (storage, mining, DA steps need them)"
else
  echo "$help" | grep -q -- '--storage' && flags="$flags --storage 4 --shards 2"
  echo "$help" | grep -q -- '--miners' && flags="$flags --miners"
  [ "${ZG_RUN_DA:-1}" != 0 ] && echo "$help" | grep -q -- '--da-signers' && flags="$flags --da-signers 4"
fi
up() {
  "$zg" devnet up $flags --dir "$dir" --timeout 120 --json >"$dir/up.json" 2>"$dir/up.err"
}
step "zg devnet up $flags --dir $dir"
t0=$(date +%s.%N)
if ! up; then
  if grep -qs "unknown key 'validator'" "$dir"/v*/node.log; then
    echo "SKIP: this build's 'zg node' has no validator role yet"
    rc=77
    exit 77
  fi
  if [[ $flags == *--miners* ]] && grep -qs "unknown key 'storage.miner" "$dir"/s*/node.log; then
    echo "note: this build's storage node has no miner (storage.miner); going on without --miners"
    flags=${flags/ --miners/}
    up || { cat "$dir/up.err"; exit 1; }
  else
    cat "$dir/up.err"
    exit 1
  fi
fi
echo "up in $(secs "$t0") s"
if [ "$have_jq" = 1 ]; then
  rpc=$(jq -r '.nodes[0].rpc' "$dir/up.json")
  key=$(jq -r '[.accounts[] | select(.lane == 0)][0].private_key' "$dir/up.json")
  key2=$(jq -r '[.accounts[] | select(.lane == 0)][1].private_key' "$dir/up.json")
  nstorage=$(jq '.storage // [] | length' "$dir/up.json")
  nda=$(jq '.da_signers // [] | length' "$dir/up.json")
  echo "validators: $(jq -r '[.nodes[].rpc] | join(" ")' "$dir/up.json")"
  [ "$nstorage" -gt 0 ] && jq -r '.storage[] | "storage \(.name): zgs \(.rpc) shard \(.shard)/\(.num_shard)" +
    (if .beneficiary then " beneficiary \(.beneficiary)" else "" end)' "$dir/up.json"
  [ "$nda" -gt 0 ] && echo "DA signers: $(jq -r '[.da_signers[].rpc] | join(" ")' "$dir/up.json")"
fi

# 1. Chain transfers and a Staking call.
step "1. chain: zg load --txs $txs --delegate 1 ZG to v0 (every lane's dev accounts over every validator)"
"$zg" load --dir "$dir" --txs "$txs" --delegate 1000000000000000000 --timeout 90 || exit 1

# 2. A file through the chain.
step "2. storage: a $mib MiB file through the chain (zg upload --chain --key, zg download)"
if [ "$have_jq" = 0 ] || [ "${nstorage:-0}" = 0 ]; then
  echo "skipped: this build's zg devnet has no storage nodes (--storage)"
  root=""
else
  nodes=$(jq -r '[.storage[].rpc] | join(",")' "$dir/up.json")
  head -c $((mib << 20)) /dev/urandom >"$dir/file.bin"
  t0=$(date +%s.%N)
  out=$(timeout 300 "$zg" upload "$dir/file.bin" --node "$nodes" --chain "$rpc" --key "$key" --json 2>"$dir/up.log") ||
    { tail -3 "$dir/up.log"; echo "FAIL: upload through the chain"; exit 1; }
  up_s=$(secs "$t0")
  root=$(echo "$out" | jq -r .root)
  grep -o 'Flow.submit 0x[0-9a-f]*' "$dir/up.log" | head -1 | sed 's/^/submitted: /'
  t0=$(date +%s.%N)
  timeout 300 "$zg" download "$root" "$dir/file.out" --node "$nodes" >"$dir/down.log" 2>&1 ||
    { tail -3 "$dir/down.log"; echo "FAIL: download"; exit 1; }
  down_s=$(secs "$t0")
  cmp -s "$dir/file.bin" "$dir/file.out" || { echo "FAIL: the downloaded file differs"; exit 1; }
  awk -v m="$mib" -v u="$up_s" -v d="$down_s" -v r="$root" -v q="$(echo "$out" | jq -r .txSeq)" 'BEGIN{
    printf "root %s (txSeq %s)\n", r, q;
    printf "upload   %.2f s = %.1f MB/s (Flow.submit, followers learn it, 2 replicas per segment)\n", u, m * 1.048576 / u;
    printf "download %.2f s = %.1f MB/s (proofs verified), byte-identical\n", d, m * 1.048576 / d }'
  rm -f "$dir/file.bin" "$dir/file.out"
fi

# 3. Mining until a reward shows.
step "3. mining: PoRA over the uploaded data until a reward shows in eth_getBalance (at most $mine_s s)"
if [ "$have_jq" = 0 ] || [ "$(jq '[.storage // [] | .[] | select(.beneficiary)] | length' "$dir/up.json")" = 0 ]; then
  echo "skipped: no miners in this devnet (this build's zg devnet has no --miners, or the storage node no miner)"
elif [ -z "$root" ]; then
  echo "skipped: no data was uploaded"
else
  t0=$(date +%s.%N)
  got=""
  while [ -z "$got" ] && awk -v t="$(secs "$t0")" -v m="$mine_s" 'BEGIN{exit !(t < m)}'; do
    for b in $(jq -r '.storage[].beneficiary' "$dir/up.json"); do
      bal=$(call "$rpc" eth_getBalance "[\"$b\",\"latest\"]" | jq -r '.result // "0x0"')
      [ "$bal" != 0x0 ] && { got=$b; break; }
    done
    [ -z "$got" ] && sleep 0.5
  done
  if [ -z "$got" ]; then
    echo "FAIL: no reward within $mine_s s"
    for u in $(jq -r '.storage[].rpc' "$dir/up.json"); do call "$u" miner_getStatus '[]' | jq -c .result; done
    exit 1
  fi
  echo "first reward after $(secs "$t0") s"
  for i in $(seq 0 $((nstorage - 1))); do
    b=$(jq -r ".storage[$i].beneficiary" "$dir/up.json")
    u=$(jq -r ".storage[$i].rpc" "$dir/up.json")
    bal=$(call "$rpc" eth_getBalance "[\"$b\",\"latest\"]" | jq -r '.result // "0x0"')
    st=$(call "$u" miner_getStatus '[]' | jq -r '.result | "\(.iterations) iterations (\(.iterationsPerSecond // 0 | floor)/s), \(.answersAccepted) answers accepted"')
    echo "s$i beneficiary $b: $(zg_of "$bal") ZG; $st"
  done
fi

# 4. Data availability.
step "4. data availability: zg da put / zg da get of a $da_kib KiB blob"
if [ "${ZG_RUN_DA:-1}" = 0 ]; then
  echo "skipped: ZG_RUN_DA=0"
elif [ "$have_jq" = 0 ] || [ "${nda:-0}" = 0 ]; then
  echo "skipped: this build's zg devnet has no DA signers (--da-signers)"
else
  head -c $((da_kib << 10)) /dev/urandom >"$dir/blob.bin"
  t0=$(date +%s.%N)
  if ! timeout 180 "$zg" da put "$dir/blob.bin" --rpc "$rpc" --key "$key2" >"$dir/put.out" 2>&1; then
    tail -5 "$dir/put.out"; echo "FAIL: zg da put"; exit 1
  fi
  put_s=$(secs "$t0")
  blob=$(sed -n 's/^blob \(0x[0-9a-f]*\).*/\1/p' "$dir/put.out" | head -1)
  grep -E '^blob |^signed slots|^certificate accepted|^encode' "$dir/put.out"
  echo "put: $put_s s wall"
  t0=$(date +%s.%N)
  if ! timeout 180 "$zg" da get "$blob" "$dir/blob.out" --rpc "$rpc" >"$dir/get.out" 2>&1; then
    tail -5 "$dir/get.out"; echo "FAIL: zg da get"; exit 1
  fi
  cat "$dir/get.out"
  cmp -s "$dir/blob.bin" "$dir/blob.out" || { echo "FAIL: the blob read back differs"; exit 1; }
  echo "get: $(secs "$t0") s wall, byte-identical"
fi

step "zg devnet status --dir $dir"
"$zg" devnet status --dir "$dir" | grep -v '^  0x' | grep -v '^dev accounts'
step "zg devnet down --dir $dir"
"$zg" devnet down --dir "$dir" || exit 1
echo "main job done in $(secs "$t_start") s"
rc=0

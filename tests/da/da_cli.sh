#!/usr/bin/env bash
# da_cli.sh — DA end to end with real processes on loopback: four
# `zg da signer` processes (32 slots each, temp LMDB dirs) and the
# `zg da put` / `zg da get` clients over a quorum file. Checks: a blob is
# certified with all signers up and with one down (1/4 of the slots) during
# dispersal; retrieval is byte-identical from all columns and after half of
# the columns' holders are killed (-9); a signer restarted after kill -9
# serves what it acknowledged; with three down retrieval fails cleanly;
# `zg da sample` reaches its confidence with all up and fails with half down;
# `zg da-server` (OP Stack alt-DA) round-trips a batch through /put and /get.
# Prints the latency and MB/s lines of put/get (figures, not asserted).
# Usage: da_cli.sh PATH/TO/zg [SIZE_BYTES]
set -u
zg=$1
size=${2:-300000}
command -v timeout >/dev/null || { echo "skipped: timeout not installed"; exit 77; }
work=$(mktemp -d /tmp/zg_da_cli.XXXXXX)
declare -A pid
cleanup() {
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

declare -A port pub sec
# start_signer I [PORT]: runs signer I, waits for its "listening" line.
start_signer() {
  local i=$1 out=$work/s$1.out
  : >"$out"
  timeout 900 "$zg" da signer --dir "$work/s$i" --key "$work/k$i" --chain-id 4242 \
    --listen "127.0.0.1:${2:-0}" >"$out" 2>"$work/s$i.err" &
  local t=$!
  for _ in $(seq 1 1200); do
    grep -q "listening on port" "$out" && break
    sleep 0.1
  done
  # kill -9 must reach the signer itself, not the timeout wrapper.
  pid[$i]=$(pgrep -P "$t" | head -1)
  [ -n "${pid[$i]}" ] || pid[$i]=$t
  port[$i]=$(sed -n 's/.*listening on port \([0-9]*\) .*/\1/p' "$out")
  [ -n "${port[$i]}" ] || { echo "signer $i did not start"; cat "$work/s$i.err"; exit 1; }
}

for i in 0 1 2 3; do
  "$zg" da keygen --seed "da-cli-$i" >"$work/key$i.json" || exit 1
  sec[$i]=$(sed 's/.*"secret": "\([0-9a-fx]*\)".*/\1/' "$work/key$i.json")
  pub[$i]=$(sed 's/.*"pubkey": "\([0-9a-fx]*\)".*/\1/' "$work/key$i.json")
  echo "${sec[$i]}" >"$work/k$i"
  start_signer $i
done
{
  echo '{"chainId": 4242, "epoch": 1, "quorumId": 0, "signers": ['
  for i in 0 1 2 3; do
    sep=$([ $i -lt 3 ] && echo , || true)
    echo "{\"url\": \"http://127.0.0.1:${port[$i]}\", \"pubkey\": \"${pub[$i]}\", \"slots\": [$((32 * i)), $((32 * i + 31))]}$sep"
  done
  echo ']}'
} >"$work/quorum.json"

head -c "$size" /dev/urandom >"$work/in"
echo "== put $size bytes, all signers up"
if timeout 600 "$zg" da put "$work/in" --quorum "$work/quorum.json" >"$work/put1" 2>"$work/put1.err"; then ok; else
  bad "put with all up"; cat "$work/put1" "$work/put1.err"; fi
cat "$work/put1" | sed -n '3p'
blob=$(sed -n 's/^blob //p' "$work/put1")

echo "== get, all columns"
if timeout 600 "$zg" da get "$blob" "$work/out1" --quorum "$work/quorum.json" >"$work/get1" 2>&1 &&
  cmp -s "$work/in" "$work/out1"; then ok; else bad "get all"; cat "$work/get1"; fi
cat "$work/get1"

echo "== sample 16 columns"
if timeout 600 "$zg" da sample "$blob" --samples 16 --quorum "$work/quorum.json" >"$work/sample1" 2>&1 &&
  grep -q "16 verified, confidence 0.9999" "$work/sample1"; then ok; else bad "sample"; cat "$work/sample1"; fi
cat "$work/sample1"

echo "== alt-DA server: POST /put -> commitment, GET /get/<hex> -> the same bytes"
if command -v curl >/dev/null; then
  timeout 900 "$zg" da-server --listen 127.0.0.1:0 --quorum "$work/quorum.json" >"$work/ads.out" 2>"$work/ads.err" &
  t=$!
  for _ in $(seq 1 1200); do grep -q "listening on port" "$work/ads.out" && break; sleep 0.1; done
  pid[ads]=$(pgrep -P "$t" | head -1)
  aport=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$work/ads.out")
  head -c 70000 /dev/urandom >"$work/l2batch"
  code=$(curl -s -o "$work/cm" -w '%{http_code}' --data-binary @"$work/l2batch" \
    -H 'Content-Type: application/octet-stream' "http://127.0.0.1:$aport/put")
  hex=$(od -An -v -tx1 "$work/cm" | tr -d ' \n')
  if [ "$code" = 200 ] && [ "${hex:0:4}" = 015a ] && [ ${#hex} -eq 324 ]; then ok; else bad "alt-DA put ($code $hex)"; fi
  if curl -sf -o "$work/l2back" "http://127.0.0.1:$aport/get/0x$hex" && cmp -s "$work/l2batch" "$work/l2back"; then
    ok; else bad "alt-DA get"; fi
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$aport/get/0x00ff")
  [ "$code" = 400 ] && ok || bad "alt-DA bad commitment gave $code"
  curl -sf "http://127.0.0.1:$aport/health" | grep -q ok && ok || bad "alt-DA health"
  curl -sf "http://127.0.0.1:$aport/metrics" | grep -q "zg_altda_puts 1" && ok || bad "alt-DA metrics"
  kill "${pid[ads]}" 2>/dev/null; unset 'pid[ads]'
fi

echo "== put a second blob with signer 3 down (32/128 slots)"
kill -9 "${pid[3]}"; wait "${pid[3]}" 2>/dev/null; unset 'pid[3]'
head -c "$((size / 2 + 17))" /dev/urandom >"$work/in2"
if timeout 600 "$zg" da put "$work/in2" --quorum "$work/quorum.json" >"$work/put2" 2>"$work/put2.err" &&
  grep -q "signed slots 96/128, certified" "$work/put2" && grep -q "signer 3 .*down, excluded" "$work/put2.err"; then
  ok; else bad "put with one down"; cat "$work/put2" "$work/put2.err"; fi
blob2=$(sed -n 's/^blob //p' "$work/put2")

echo "== half of the columns' holders down (signers 1 and 3): get both blobs"
kill -9 "${pid[1]}"; wait "${pid[1]}" 2>/dev/null; unset 'pid[1]'
if timeout 600 "$zg" da get "$blob" "$work/out2" --quorum "$work/quorum.json" >"$work/get2" 2>&1 &&
  cmp -s "$work/in" "$work/out2" && grep -q "64 columns (recovered)" "$work/get2"; then ok; else
  bad "get half"; cat "$work/get2"; fi
cat "$work/get2" | grep retrieved
# blob2 was stored on signers 0..2 only: with 1 and 3 down, 64 columns remain.
if timeout 600 "$zg" da get "$blob2" "$work/out3" --quorum "$work/quorum.json" >"$work/get3" 2>&1 &&
  cmp -s "$work/in2" "$work/out3"; then ok; else bad "get blob2 half"; cat "$work/get3"; fi

# Sampling all 128 columns with half missing: refused (exit 1, 64 verified).
if timeout 600 "$zg" da sample "$blob" --samples 128 --quorum "$work/quorum.json" >"$work/sample2" 2>&1; then
  bad "sample with half down passed"; else grep -q "64 verified, confidence 0.0" "$work/sample2" && ok ||
  { bad "sample2"; cat "$work/sample2"; }; fi

echo "== signer 1 restarted after kill -9 serves what it acknowledged"
start_signer 1 "${port[1]}"
kill -9 "${pid[0]}"; wait "${pid[0]}" 2>/dev/null; unset 'pid[0]'
if timeout 600 "$zg" da get "$blob" "$work/out4" --quorum "$work/quorum.json" >"$work/get4" 2>&1 &&
  cmp -s "$work/in" "$work/out4"; then ok; else bad "get after restart"; cat "$work/get4"; fi

echo "== three down: get fails cleanly"
kill -9 "${pid[2]}"; wait "${pid[2]}" 2>/dev/null; unset 'pid[2]'
if timeout 600 "$zg" da get "$blob" "$work/out5" --quorum "$work/quorum.json" >"$work/get5" 2>&1; then
  bad "get with three down succeeded"; else grep -q "too few" "$work/get5" && ok || { bad "get5 message"; cat "$work/get5"; }; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

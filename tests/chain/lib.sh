# lib.sh — helpers of the chain fault tests (sourced; not a test itself).
# A test sets `zg` (the binary) and calls devnet_up; the EXIT trap stops the
# devnet and removes its dir (ZG_KEEP=1 keeps it; node logs are printed on
# failure). Every wait polls with a generous timeout; nothing asserts on
# timings.
for t in curl jq timeout; do
  command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
dir=$(mktemp -d /tmp/zg_chain_test.XXXXXX)
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
finish() {
  local rc=$?
  kill "$watchdog" 2>/dev/null
  "$zg" devnet down --dir "$dir" --grace 5 >/dev/null 2>&1
  if [ "$failed" != 0 ] || { [ "$rc" != 0 ] && [ "$rc" != 77 ]; }; then
    for f in "$dir"/v*/node.log; do [ -f "$f" ] && { echo "---- $f (tail)"; tail -n 20 "$f"; }; done
  fi
  if [ -n "${ZG_KEEP:-}" ]; then echo "kept $dir"; else rm -rf "$dir"; fi
}
trap finish EXIT
# ctest kills a test at its timeout, but the nodes live in their own
# sessions: a watchdog below the ctest timeout ends the script through its
# traps, which stop the devnet.
# (Its output goes to /dev/null: an open pipe would keep ctest waiting.)
trap 'echo "FAIL: interrupted (or the ${ZG_TEST_DEADLINE:-480} s deadline passed)"; failed=$((failed + 1)); exit 1' TERM INT
( sleep "${ZG_TEST_DEADLINE:-480}"; kill -TERM $$ ) >/dev/null 2>&1 &
watchdog=$!

# devnet_up ARGS... — zg devnet up into $dir; skips (77) when the build's
# node has no validator role; fills NAMES[], URLS[] and PIDFILES[].
devnet_up() {
  if ! "$zg" devnet up --dir "$dir" --timeout 150 "$@" >"$dir/up.out" 2>&1; then
    cat "$dir/up.out"
    if grep -qs "unknown key 'validator'" "$dir"/v*/node.log; then
      echo "SKIP: this build's 'zg node' has no validator role yet"
      exit 77
    fi
    echo "FAIL: zg devnet up"
    exit 1
  fi
  load_state
}
load_state() {
  "$zg" devnet status --dir "$dir" --json >"$dir/status.json" || exit 1
  mapfile -t NAMES < <(jq -r '.nodes[].name' "$dir/status.json")
  mapfile -t URLS < <(jq -r '.nodes[].rpc' "$dir/status.json")
  mapfile -t PIDFILES < <(jq -r '.nodes[].pid_file' "$dir/status.json")
  LANES=$(jq -r '.lanes' "$dir/status.json")
}

# rpc URL METHOD PARAMS_JSON — prints the whole JSON-RPC response.
rpc() { curl -s -m 10 -H 'Content-Type: application/json' \
  -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":$3}" "$1"; }
# height URL [LANE] — the lane's committed height (lane 0: eth_blockNumber), or empty.
height() {
  local lane=${2:-0} r
  if [ "$lane" = 0 ]; then
    r=$(rpc "$1" eth_blockNumber '[]' | jq -r '.result // empty' 2>/dev/null)
  else
    r=$(rpc "$1" eth_getBlockByNumber "[\"latest@$lane\",false]" | jq -r '.result.number // empty' 2>/dev/null)
  fi
  [ -n "$r" ] && echo $((r))
}
# block_hash URL HEIGHT [LANE] — the hash of the lane's block at HEIGHT, or empty.
block_hash() {
  local tag
  tag=$(printf '0x%x' "$2")
  [ "${3:-0}" != 0 ] && tag="$tag@$3"
  rpc "$1" eth_getBlockByNumber "[\"$tag\",false]" | jq -r '.result.hash // empty' 2>/dev/null
}
# wait_height URL H TIMEOUT [LANE] — true once the node's height >= H.
wait_height() {
  local t=0 h
  while [ "$t" -lt $(( $3 * 10 )) ]; do
    h=$(height "$1" "${4:-0}")
    [ -n "$h" ] && [ "$h" -ge "$2" ] && return 0
    sleep 0.1; t=$((t + 1))
  done
  return 1
}
# heights — "v0=12 v1=12 v2=- v3=11" (lane 0; - when a node does not answer).
heights() {
  local i out=""
  for i in "${!URLS[@]}"; do out+="${NAMES[$i]}=$(height "${URLS[$i]}" || true) "; done
  echo "${out% }" | sed 's/= /=- /g; s/=$/=-/'
}
# wait_all TIMEOUT H I... — true once every node I is at height >= H (one
# shared timeout); on failure says where each node is.
wait_all() {
  local t=0 i h left
  local timeout=$1 want=$2; shift 2
  while [ "$t" -lt $((timeout * 10)) ]; do
    left=0
    for i in "$@"; do h=$(height "${URLS[$i]}"); { [ -n "$h" ] && [ "$h" -ge "$want" ]; } || left=1; done
    [ $left = 0 ] && return 0
    sleep 0.2; t=$((t + 2))
  done
  echo "not all of ${*} reached height $want within $timeout s: $(heights)"
  return 1
}
# max_height URL... — the highest lane-0 height among the nodes that answer.
max_height() {
  local m=0 h u
  for u in "$@"; do h=$(height "$u"); [ -n "$h" ] && [ "$h" -gt "$m" ] && m=$h; done
  echo $m
}
node_pid() { cat "${PIDFILES[$1]}" 2>/dev/null; }
# alive I... — every node I still runs; a node that died without being
# killed by the test is a failure that ends the test at once (its log shown).
alive() {
  local i p
  for i in "$@"; do
    p=$(node_pid "$i")
    if [ -z "$p" ] || ! kill -0 "$p" 2>/dev/null; then
      bad "${NAMES[$i]} exited unexpectedly (pid ${p:-?}); its log:"
      tail -n 30 "$dir/${NAMES[$i]}/node.log"
      exit 1
    fi
  done
}
# kill9 I — SIGKILL node I (no grace: a crash), through zg devnet stop --kill,
# which checks that the pid still runs this node's config (never a recycled pid).
kill9() { "$zg" devnet stop --dir "$dir" --node "${NAMES[$1]}" --kill >/dev/null 2>&1 || bad "kill -9 ${NAMES[$1]}"; }
# restart I — zg devnet start --node NAME (waits until it answers with a block).
restart() { "$zg" devnet start --dir "$dir" --node "${NAMES[$1]}" --timeout 120; }

# hashes URL LANE HI — "height hash" lines of the lane's blocks 1..HI, read
# with JSON-RPC batches of 100 (a few posts, not one per block).
hashes() {
  local u=$1 lane=$2 hi=$3 lo sfx="" batch h
  [ "$lane" != 0 ] && sfx="@$lane"
  for ((lo = 1; lo <= hi; lo += 100)); do
    batch="["
    for ((h = lo; h < lo + 100 && h <= hi; h++)); do
      batch+=$(printf '{"jsonrpc":"2.0","id":%d,"method":"eth_getBlockByNumber","params":["0x%x%s",false]},' "$h" "$h" "$sfx")
    done
    curl -s -m 30 -H 'Content-Type: application/json' -d "${batch%,}]" "$u" |
      jq -r '.[] | "\(.id) \(.result.hash // "none")"' 2>/dev/null | sort -n
  done
}
# no_fork URL... — for every lane and every height up to the lowest height
# among the nodes, every node has the same block hash. Reports and returns 1
# on a difference.
no_fork() {
  local lane lo u x ok=0 ref
  for ((lane = 0; lane < LANES; lane++)); do
    lo=
    for u in "$@"; do
      x=$(height "$u" "$lane"); [ -z "$x" ] && continue
      if [ -z "$lo" ] || [ "$x" -lt "$lo" ]; then lo=$x; fi
    done
    [ -z "$lo" ] && continue
    ref=
    for u in "$@"; do
      hashes "$u" "$lane" "$lo" >"$dir/hashes.$$"
      if [ "$(wc -l <"$dir/hashes.$$")" != "$lo" ] || grep -q " none$" "$dir/hashes.$$"; then
        echo "lane $lane: $u does not serve every block up to $lo"; ok=1
      fi
      if [ -z "$ref" ]; then ref=$u; cp "$dir/hashes.$$" "$dir/hashes.ref"
      elif ! cmp -s "$dir/hashes.ref" "$dir/hashes.$$"; then
        echo "FORK on lane $lane between $ref and $u:"; diff "$dir/hashes.ref" "$dir/hashes.$$" | head -5; ok=1
      fi
    done
    echo "lane $lane: blocks 1..$lo compared on $# nodes"
  done
  rm -f "$dir/hashes.$$" "$dir/hashes.ref"
  return $ok
}

summary() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
}

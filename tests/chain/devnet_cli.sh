#!/usr/bin/env bash
# devnet_cli.sh — the contract of `zg devnet` that needs no running chain:
# usage errors exit 2; `up --no-start` writes genesis (Staking funded with
# the stakes), keys and accounts with mode 0600, configs and devnet.json with
# every field `status --json` promises; dev accounts sit on their lanes;
# operators on lane 0; `up` refuses a dir where a node of the devnet runs
# (a stand-in process whose command line names the node's config) and
# `stop --kill`/`down` end it; status of a missing dir fails with a hint.
# Usage: devnet_cli.sh ZG_BINARY
set -u
zg=$1
command -v jq >/dev/null || { echo "SKIP: jq not installed"; exit 77; }
dir=$(mktemp -d /tmp/zg_devnet_cli.XXXXXX)
fake=
trap '[ -n "$fake" ] && kill -9 $fake 2>/dev/null; rm -rf "$dir"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi; }
st() { "$@" >/dev/null 2>&1; echo $?; }

check "devnet without subcommand exits 2" '[ "$(st "$zg" devnet)" = 2 ]'
check "unknown subcommand exits 2" '[ "$(st "$zg" devnet fly --dir "$dir")" = 2 ]'
check "up without --dir exits 2" '[ "$(st "$zg" devnet up --validators 4)" = 2 ]'
check "--validators 0 exits 2" '[ "$(st "$zg" devnet up --validators 0 --dir "$dir")" = 2 ]'
check "--lanes 17 exits 2" '[ "$(st "$zg" devnet up --lanes 17 --dir "$dir")" = 2 ]'
check "stop without --node exits 2" '[ "$(st "$zg" devnet stop --dir "$dir")" = 2 ]'
check "load without a target exits 2" '[ "$(st "$zg" load --txs 5)" = 2 ]'
check "status of a dir without a devnet fails" '[ "$(st "$zg" devnet status --dir "$dir/none")" = 1 ]'
"$zg" devnet status --dir "$dir/none" 2>&1 | grep -q "zg devnet up" || { failed=$((failed + 1)); echo "FAIL: no hint"; }

"$zg" devnet up --validators 4 --lanes 3 --accounts 5 --dir "$dir" --no-start --json >"$dir/up.json"
check "up --no-start succeeds" '[ $? = 0 ]'
j=$dir/up.json
check "chain_id, lanes" '[ "$(jq -r ".chain_id, .lanes" "$j" | tr "\n" " ")" = "16888 3 " ]'
check "4 nodes with name, rpc, p2p, roles" '[ "$(jq "[.nodes[] | select(.name and .rpc and .p2p and (.roles == [\"validator\"]))] | length" "$j")" = 4 ]'
check "nodes are stopped (pid null)" '[ "$(jq "[.nodes[] | select(.pid == null and .running == false)] | length" "$j")" = 4 ]'
check "15 accounts with address, private_key, lane" '[ "$(jq "[.accounts[] | select(.address and .private_key and (.lane | type == \"number\"))] | length" "$j")" = 15 ]'
check "each account on its lane (last byte mod 3)" '[ "$(jq -r ".accounts[] | \"\(.address[-2:]) \(.lane)\"" "$j" | while read -r b l; do echo $(( 0x$b % 3 == l )); done | sort -u)" = 1 ]'
check "operators on lane 0" '[ "$(jq -r ".nodes[].operator[-2:]" "$j" | while read -r b; do echo $(( 0x$b % 3 )); done | sort -u)" = 0 ]'
check "Staking contract address" '[ "$(jq -r .contracts.Staking "$j")" = 0x0000000000000000000000000000000000001001 ]'
check "status --json equals up --json" '[ "$("$zg" devnet status --dir "$dir" --json | jq -S .)" = "$(jq -S . "$j")" ]'
check "keys.json mode 0600" '[ "$(stat -c %a "$dir"/v{0,1,2,3}/keys.json | sort -u)" = 600 ]'
check "accounts.json mode 0600" '[ "$(stat -c %a "$dir/accounts.json")" = 600 ]'
check "genesis: 4 validators with keys, PoP, stake" '[ "$(jq "[.validators[] | select((.nodeKey | length) == 66 and (.blsKey | length) == 98 and (.blsPop | length) == 194 and .stake)] | length" "$dir/genesis.json")" = 4 ]'
check "genesis funds Staking with the stakes" '[ "$(jq -r ".alloc[\"0x0000000000000000000000000000000000001001\"]" "$dir/genesis.json")" = 4000000000000000000000 ]'
check "config peers: the 3 others" '[ "$(jq ".net.peers | length" "$dir/v1/config.json")" = 3 ]'
check "rpc ports differ" '[ "$(jq -r ".nodes[].rpc" "$j" | sort -u | wc -l)" = 4 ]'

# A stand-in for a running node of this devnet.
cfg=$(jq -r '.nodes[0].config' "$j")
(exec -a "zg node --config $cfg" sleep 300) &
fake=$!
disown $fake
echo $fake >"$(jq -r '.nodes[0].pid_file' "$j")"
sleep 0.2
check "up refuses a running devnet" '[ "$(st "$zg" devnet up --dir "$dir" --no-start)" = 1 ]'
"$zg" devnet up --dir "$dir" --no-start 2>&1 | grep -q "already running" || { failed=$((failed + 1)); echo "FAIL: no clear refusal"; }
check "status shows v0 running" '[ "$("$zg" devnet status --dir "$dir" --json | jq ".nodes[0].pid")" = "$fake" ]'
check "stop --kill ends it" '[ "$(st "$zg" devnet stop --dir "$dir" --node v0 --kill)" = 0 ] && ! kill -0 $fake 2>/dev/null'
# A pid file naming some other process is not taken for a node.
sleep 300 & other=$!
disown $other
echo $other >"$(jq -r '.nodes[1].pid_file' "$j")"
check "a recycled pid is not a node" '[ "$("$zg" devnet status --dir "$dir" --json | jq ".nodes[1].running")" = false ]'
check "down leaves other processes alone" '[ "$(st "$zg" devnet down --dir "$dir")" = 0 ] && kill -0 $other'
kill $other
fake=
check "up over a stopped devnet makes a new chain" '[ "$(st "$zg" devnet up --dir "$dir" --no-start --validators 2)" = 0 ] && [ ! -d "$dir/v3" ]'
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

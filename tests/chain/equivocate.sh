#!/usr/bin/env bash
# equivocate.sh — a validator that double-signs is slashed. A 4-validator,
# 1-lane devnet where v3 runs with the test-only flag
# validator.testEquivocate (docs/chain.md: it signs two conflicting votes in
# its lane-0 rounds). Honest validators submit the evidence to Staking; the
# test polls Staking.getValidator(v3's operator) through eth_call until
# slashedTotal > 0, looks for the Slashed event naming v3's operator, and
# checks that the chain kept committing and that v0..v2 agree on every
# block.
# Usage: equivocate.sh ZG_BINARY. Exit 0/1; 77 when the build has no
# validator role or its node does not know validator.testEquivocate.
set -u
zg=$1
. "$(dirname "$0")/lib.sh"
"$zg" devnet up --validators 4 --lanes 1 --dir "$dir" --no-start --json >/dev/null || { echo "FAIL: devnet up --no-start"; exit 1; }
cfg=$dir/v3/config.json
jq '.validator.testEquivocate = true' "$cfg" >"$cfg.new" && mv "$cfg.new" "$cfg"
if ! "$zg" devnet start --dir "$dir" --timeout 150 >"$dir/up.out" 2>&1; then
  cat "$dir/up.out"
  if grep -qs "unknown key 'validator'" "$dir"/v*/node.log; then echo "SKIP: no validator role in this build"; exit 77; fi
  if grep -qs "testEquivocate" "$dir"/v3/node.log; then echo "SKIP: the node does not know validator.testEquivocate yet"; exit 77; fi
  echo "FAIL: devnet start"; exit 1
fi
load_state
op=$(jq -r '.nodes[3].operator' "$dir/status.json" | tr 'A-F' 'a-f')
staking=$(jq -r '.contracts.Staking' "$dir/status.json")
word() { echo "${1:$((2 + 64 * $2)):64}"; } # word HEX I — the I-th 32-byte word of ABI data
call_data="0x1904bb2e000000000000000000000000${op#0x}"
slashed= t=0
while [ $t -lt 120 ]; do
  out=$(rpc "${URLS[0]}" eth_call "[{\"to\":\"$staking\",\"data\":\"$call_data\"},\"latest\"]" | jq -r '.result // empty')
  if [ ${#out} -ge $((2 + 7 * 64)) ]; then
    s=$(word "$out" 6)
    if [ -n "${s//0/}" ]; then slashed=$s; break; fi
  fi
  sleep 1; t=$((t + 1))
done
if [ -n "$slashed" ]; then
  ok "v3 ($op) slashed: slashedTotal 0x$(echo "$slashed" | sed 's/^0*//') wei, jailed word $(word "$out" 5 | sed 's/^0*//')"
else
  bad "v3 ($op) not slashed within 120 s (getValidator: ${out:-no answer})"
fi
topic="0x491aa7c3f072d0ade3498570a50583a4c548c2ae970dd08a49afbf981ea6087e"
optopic="0x000000000000000000000000${op#0x}"
n=$(rpc "${URLS[0]}" eth_getLogs "[{\"fromBlock\":\"0x1\",\"toBlock\":\"latest\",\"address\":\"$staking\",\"topics\":[\"$topic\",\"$optopic\"]}]" |
  jq -r '.result | length' 2>/dev/null)
if [ "${n:-0}" -ge 1 ]; then ok "Slashed event for v3 in the logs ($n)"; else bad "no Slashed event naming v3"; fi
h=$(height "${URLS[0]}")
alive 0 1 2
if wait_height "${URLS[1]}" $((h + 3)) 60; then ok "the chain goes on after the slashing"; else bad "chain stuck at $h"; fi
if no_fork "${URLS[0]}" "${URLS[1]}" "${URLS[2]}"; then ok "honest validators agree on every block"; else bad "fork"; fi
summary

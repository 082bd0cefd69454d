#!/usr/bin/env bash
# malformed.sh — malformed transactions and JSON-RPC requests against a
# running devnet get clear JSON-RPC errors (a code and a message that says
# what is wrong), and the node keeps serving and committing afterwards.
# Each case prints the node's message. Signed-but-invalid transactions
# (nonce too low, no funds, wrong chain from a wallet) are in the ethers.js
# test (tests/interop/ethers_devnet.js).
# Usage: malformed.sh ZG_BINARY. Exit 0/1, 77 when the build has no validator role.
set -u
zg=$1
. "$(dirname "$0")/lib.sh"
devnet_up --validators 4 --lanes 2
u=${URLS[0]}
h0=$(height "$u")

post() { curl -s -m 20 -H 'Content-Type: application/json' --data-binary @- "$u"; }
# expect NAME CODE_REGEX RESPONSE — the response is one error whose code matches.
expect() {
  local code msg
  code=$(echo "$3" | jq -r '.error.code // empty' 2>/dev/null)
  msg=$(echo "$3" | jq -r '.error.message // empty' 2>/dev/null)
  if [ -n "$code" ] && [ -n "$msg" ] && [[ "$code" =~ ^($2)$ ]]; then
    ok "$1: $code \"$msg\""
  else
    bad "$1: wanted an error with code $2, got: $(echo "$3" | head -c 300)"
  fi
}
send_raw() { rpc "$u" eth_sendRawTransaction "[\"$1\"]"; }

expect "body is not JSON" -32700 "$(echo '{"jsonrpc":"2.0","id":1,"method":' | post)"
expect "unknown method" -32601 "$(rpc "$u" eth_noSuchMethod '[]')"
expect "empty batch" -32600 "$(echo '[]' | post)"
big=$(for i in $(seq 101); do printf '{"jsonrpc":"2.0","id":%d,"method":"eth_blockNumber","params":[]},' "$i"; done)
expect "batch of 101" "-32600|-32005" "$(echo "[${big%,}]" | post)"
expect "params not an array" "-32600|-32602" "$(echo '{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":"x"}' | post)"
expect "bad address" -32602 "$(rpc "$u" eth_getBalance '["0x12","latest"]')"
expect "bad block tag" -32602 "$(rpc "$u" eth_getBlockByNumber '["yesterday",false]')"
expect "lane out of range" -32602 "$(rpc "$u" eth_getBlockByNumber '["latest@99",false]')"
expect "raw tx: empty" "-32602|-32000" "$(send_raw 0x)"
expect "raw tx: not hex" -32602 "$(send_raw 0xzz)"
expect "raw tx: odd hex" -32602 "$(send_raw 0x123)"
expect "raw tx: not RLP" "-32602|-32000" "$(send_raw 0xf8)"
expect "raw tx: unknown type 0x05" "-32602|-32000" "$(send_raw 0x05c0)"
# EIP-155's example transaction: well formed and signed, but for chain id 1.
eip155=0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83
expect "raw tx: another chain's id" "-32602|-32000" "$(send_raw $eip155)"
expect "raw tx: trailing byte" "-32602|-32000" "$(send_raw ${eip155}00)"
# The same transaction without replay protection (v = 27, pre-EIP-155 form).
legacy=0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000801ba028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83
expect "raw tx: no EIP-155 replay protection" "-32602|-32000" "$(send_raw $legacy)"
huge=0x$(head -c 140000 /dev/zero | od -An -v -tx1 | tr -d ' \n')
expect "raw tx: 140 KB" "-32602|-32000" "$(printf '{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["%s"]}' "$huge" | post)"

# Still alive, still committing, on every node.
alive 0 1 2 3
for i in 0 1 2 3; do
  if wait_height "${URLS[$i]}" $((h0 + 3)) 60; then ok "${NAMES[$i]} still commits"; else bad "${NAMES[$i]} stopped at $(height "${URLS[$i]}")"; fi
done
summary

#!/usr/bin/env bash
# da_faults.sh — DA on the chain with real processes: `zg devnet up
# --validators 1 --da-signers 4` (signers registered and opted in at genesis,
# 32 of the 128 slots each), then `zg da put/get/status/cert-submit --rpc`.
# Checks:
#  1. all up: the blob is registered on DAEntrance (fee), certified on chain
#     (status certified), retrieved byte-identical;
#  2. one signer (32 slots = 1/4 <= 1/3) killed during dispersal: the
#     certificate (96 slots) is still formed and accepted on chain;
#  3. after certification, half the columns' holders killed: retrieval is
#     byte-identical (recovered from 64 columns);
#  4. a signer serving corrupt cells (ZG_DA_SIGNER_TEST_CORRUPT=1) is
#     reported corrupt and excluded, the blob still byte-identical; a signer
#     restarted under another BLS key is reported bad-signature and excluded,
#     the certificate still accepted;
#  5. with two signers down the certificate has 64 slots: submitted anyway,
#     the chain rejects it ("less than 2/3"); the same certificate with all
#     slots claimed is rejected as a forged aggregate; the blob stays
#     dispersing.
# The epoch is long (1e6 blocks) so eth_call's epoch (0) is the chain's and
# revert reasons are exact. Usage: da_faults.sh PATH/TO/zg [SIZE_BYTES]
set -u
zg=$1
size=${2:-100000}
command -v timeout >/dev/null || { echo "skipped: timeout not installed"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 not installed"; exit 77; }
work=$(mktemp -d /tmp/zg_da_faults.XXXXXX)
dn=$work/dn
cleanup() {
  timeout 60 "$zg" devnet down --dir "$dn" --grace 5 >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() {
  failed=$((failed + 1))
  echo "FAIL: $*"
  for f in "$dn"/da*/node.log "$dn"/v0/node.log; do [ -f "$f" ] && { echo "---- $f"; tail -n 8 "$f"; }; done
}
t_start=$(date +%s)

if ! timeout 300 "$zg" devnet up --validators 1 --da-signers 4 --epoch-length 1000000 --dir "$dn" --json \
  >"$work/up.json" 2>"$work/up.err"; then
  cat "$work/up.err"
  echo "FAIL: devnet up"
  exit 1
fi
jq() { python3 -c "import json,sys; d=json.load(open('$work/up.json')); print($1)"; }
rpc=$(jq "d['nodes'][0]['rpc']")
key=$(jq "d['accounts'][0]['private_key']")
[ "$(jq "len(d['da_signers'])")" = 4 ] && [ -n "$(jq "d['da_signers'][0]['endpoint']")" ] &&
  [ -n "$(jq "d['da_signers'][0]['address']")" ] && ok "devnet up: 4 DA signers in --json with endpoint and address" ||
  bad "devnet --json lacks the DA signers"
echo "devnet up in $(($(date +%s) - t_start)) s"

head -c "$size" /dev/urandom >"$work/a"
head -c "$size" /dev/urandom >"$work/b"
head -c "$size" /dev/urandom >"$work/c"
head -c "$size" /dev/urandom >"$work/d"

# put FILE OUT [ARGS]: zg da put over the chain; stdout+stderr in OUT.
put() { timeout 300 "$zg" da put "$1" --rpc "$rpc" --key "$key" "${@:3}" >"$2" 2>&1; }
blob_of() { awk '/^blob /{print $2; exit}' "$1"; }
cert_of() { awk '/^certificate /{print $2; exit}' "$1"; }
get() { timeout 300 "$zg" da get "$1" "$2" --rpc "$rpc" >"$3" 2>&1; }
stop() { timeout 60 "$zg" devnet stop --dir "$dn" --node "$1" --kill >/dev/null 2>&1; }
start() { timeout 300 "$zg" devnet start --dir "$dn" --node "$1" >/dev/null 2>&1; }

# 1. All up.
if put "$work/a" "$work/put_a" && grep -q "certificate accepted on chain" "$work/put_a" &&
  grep -q "^status certified" "$work/put_a"; then
  ok "all up: certified on chain ($(grep -o 'signed slots [0-9/]*' "$work/put_a"))"
else
  cat "$work/put_a"
  bad "all up: not certified on chain"
fi
grep "dispersal to certificate" "$work/put_a"
A=$(blob_of "$work/put_a")
timeout 60 "$zg" da status "$A" --rpc "$rpc" >"$work/st_a" 2>&1
grep -q "status certified" "$work/st_a" && ok "zg da status: certified" || { cat "$work/st_a"; bad "status of A"; }
if get "$A" "$work/a.out" "$work/get_a" && cmp -s "$work/a" "$work/a.out"; then
  ok "retrieval byte-identical: $(grep retrieved "$work/get_a")"
else
  cat "$work/get_a"
  bad "retrieval of A"
fi

# 2. One signer of four (1/4 of the slots) down during dispersal.
stop da3
if put "$work/b" "$work/put_b" && grep -q "certificate accepted on chain" "$work/put_b" &&
  grep -q "signed slots 96/128" "$work/put_b" && grep -q "down, excluded" "$work/put_b"; then
  ok "1/4 of the slots down: certificate with 96 slots accepted on chain"
else
  cat "$work/put_b"
  bad "1/4 down: not certified"
fi
start da3 || bad "restart da3"

# 3. Half the columns' holders down after certification of A.
stop da0
stop da1
if get "$A" "$work/a.half" "$work/get_half" && cmp -s "$work/a" "$work/a.half" &&
  grep -q "recovered" "$work/get_half"; then
  ok "half the holders down: retrieval byte-identical ($(grep retrieved "$work/get_half"))"
else
  cat "$work/get_half"
  bad "retrieval with half the holders down"
fi
start da0 || bad "restart da0"
start da1 || bad "restart da1"

# 4a. A signer serving corrupt cells: detected, excluded, reported.
stop da2
ZG_DA_SIGNER_TEST_CORRUPT=1 start da2 || bad "restart da2 corrupt"
if get "$A" "$work/a.corrupt" "$work/get_corrupt" && cmp -s "$work/a" "$work/a.corrupt" &&
  grep -q "corrupt, excluded" "$work/get_corrupt"; then
  ok "corrupt cells: $(grep 'corrupt, excluded' "$work/get_corrupt" | head -1)"
else
  cat "$work/get_corrupt"
  bad "corrupt signer not detected"
fi
stop da2
# 4b. The same endpoint served by a signer with another BLS key (a signer
# that signs wrongly): its signature does not verify under the registered key.
cfg=$dn/da2/config.json
cp "$cfg" "$work/da2.cfg"
timeout 60 "$zg" da keygen --seed fault | python3 -c "import json,sys; print(json.load(sys.stdin)['secret'])" \
  >"$work/other.key"
python3 - "$cfg" "$work/other.key" "$work/da2data" "$(jq "d['chain_id']")" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
d = c["daSigner"]
d["key"] = sys.argv[2]
d["dataDir"] = sys.argv[3]
# Not following the chain (so it does not refuse columns of another key's
# slots), signing under the chain's id with a key DASigners does not know.
d["chainId"] = int(sys.argv[4])
for k in ("rpc", "ethKey", "endpoint", "stake"):
    d.pop(k, None)
json.dump(c, open(sys.argv[1], "w"))
EOF
start da2 || bad "restart da2 with another key"
if put "$work/d" "$work/put_d" && grep -q "bad-signature, excluded" "$work/put_d" &&
  grep -q "certificate accepted on chain" "$work/put_d"; then
  ok "invalid signature: $(grep 'bad-signature' "$work/put_d" | head -1); certificate still accepted"
else
  cat "$work/put_d"
  bad "bad signature not detected"
fi
stop da2
cp "$work/da2.cfg" "$cfg"

# 5. Under 2/3 of the slots (da2, da3 down): rejected on chain; forged
# aggregate rejected on chain.
stop da3
put "$work/c" "$work/put_c" --submit-anyway
if grep -q "signed slots 64/128, NOT certified" "$work/put_c" &&
  grep -q "certificate rejected on chain.*less than 2/3" "$work/put_c"; then
  ok "64/128 slots: $(grep 'rejected on chain' "$work/put_c" | sed 's/tx 0x[0-9a-f]*//')"
else
  cat "$work/put_c"
  bad "an under-quorum certificate was not rejected on chain"
fi
C=$(cert_of "$work/put_c")
# Claim every slot (bitmap = 16 x 0xff) with the 64-slot aggregate.
forged=${C:0:98}ffffffffffffffffffffffffffffffff${C:130}
timeout 120 "$zg" da cert-submit "$forged" --rpc "$rpc" --key "$key" >"$work/forged" 2>&1
if grep -q "certificate rejected on chain.*invalid aggregate signature" "$work/forged"; then
  ok "forged aggregate: $(sed 's/tx 0x[0-9a-f]*//' "$work/forged")"
else
  cat "$work/forged"
  bad "a forged aggregate was not rejected on chain"
fi
CB=$(blob_of "$work/put_c")
timeout 60 "$zg" da status "$CB" --rpc "$rpc" >"$work/st_c" 2>&1
grep -q "status dispersing" "$work/st_c" && ok "the rejected blob stays dispersing" || { cat "$work/st_c"; bad "status of C"; }

echo "da_faults: $passed passed, $failed failed in $(($(date +%s) - t_start)) s"
[ "$failed" = 0 ]

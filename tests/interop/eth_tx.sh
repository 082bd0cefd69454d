#!/usr/bin/env bash
# eth_tx.sh — interop of zg's Ethereum transactions (src/chain/tx.c) with ethers v6.
#
# Installs ethers with npm into a scratch directory, has it sign
# ZG_ETHTX_COUNT (default 3000) random transactions of all three types
# (legacy EIP-155, EIP-2930, EIP-1559; with and without access lists;
# contract creation; empty, short and 4 KB data; values and fees up to
# 2^256-1; chain ids up to 2^62) from a printed seed (rerun with
# ZG_INTEROP_SEED=N), and runs `zg vectors` on the result: for every
# transaction zg must decode the same fields, compute the same hash,
# recover the same sender, and re-sign the fields with the key to exactly
# the bytes ethers produced (src/cli/vectors_eth_tx.c). A copy with one
# hash altered must then fail, so the check is known to bite.
#
# Usage: eth_tx.sh ZG_BINARY [SCRATCH_DIR]
# Exit: 0 all equal, 1 a mismatch or npm could not install ethers (registry
# unreachable is a failure), 77 (skip) only when npm or node is missing.
set -u
zg=$1
scratch=${2:-${TMPDIR:-/tmp}}/interop-ethtx
here=$(cd "$(dirname "$0")" && pwd)
ethers_version=${ZG_ETHERS_VERSION:-6.17.0}
count=${ZG_ETHTX_COUNT:-3000}
seed=${ZG_INTEROP_SEED:-$(( $(date +%s) % 1000000 ))}

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "SKIP: npm/node not installed; the ethers interop test needs them"
  exit 77
fi
mkdir -p "$scratch/npm" || exit 1
if [ ! -f "$scratch/npm/node_modules/ethers/package.json" ] ||
   ! grep -q "\"version\": \"$ethers_version\"" "$scratch/npm/node_modules/ethers/package.json"; then
  echo "installing ethers@$ethers_version with npm into $scratch/npm"
  [ -f "$scratch/npm/package.json" ] || echo '{"name":"zg-interop-ethtx","private":true}' > "$scratch/npm/package.json"
  if ! (cd "$scratch/npm" && npm install --no-audit --no-fund --loglevel=error "ethers@$ethers_version" \
          > install.log 2>&1); then
    echo "FAIL: npm could not install ethers@$ethers_version (registry unreachable?)"
    tail -20 "$scratch/npm/install.log"
    exit 1
  fi
fi
export NODE_PATH="$scratch/npm/node_modules"

echo "seed $seed (rerun with ZG_INTEROP_SEED=$seed), $count transactions signed by ethers $ethers_version"
cases="$scratch/cases"
rm -rf "$cases" "$scratch/tampered"
mkdir -p "$cases" "$scratch/tampered" || exit 1
node "$here/eth_tx.js" --gen "$seed" "$count" "$cases/eth_tx_cases.json" ||
  { echo "FAIL: ethers could not sign the transactions"; exit 1; }

fail=0
out=$("$zg" vectors "$cases" 2>&1)
echo "$out" | grep -v '^  ok' | tail -20
if ! echo "$out" | grep -q "^$count passed, 0 failed"; then
  echo "FAIL: zg disagrees with ethers (see above)"
  fail=1
fi

# The check must bite: alter the first case's hash, expect exactly one failure.
node -e '
  const fs = require("fs");
  const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const h = d.cases[0].hash;
  d.cases[0].hash = h.slice(0, -1) + (h.endsWith("0") ? "1" : "0");
  fs.writeFileSync(process.argv[2], JSON.stringify(d));
' "$cases/eth_tx_cases.json" "$scratch/tampered/eth_tx_cases.json" || exit 1
if ! "$zg" vectors "$scratch/tampered" 2>&1 | grep -q "^$((count - 1)) passed, 1 failed"; then
  echo "FAIL: a tampered hash was not caught"
  fail=1
fi

rm -rf "$cases" "$scratch/tampered"
if [ $fail = 0 ]; then echo "$((count + 1)) passed, 0 failed"; else echo "some failed"; fi
exit $fail

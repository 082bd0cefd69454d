#!/usr/bin/env bash
# ethers_devnet.sh — ethers.js v6 (from npm) against a 4-validator, 2-lane
# devnet: a signed transfer and its receipt, balances, a Staking view and a
# Staking call, blocks, logs, and refusals (ethers_devnet.js says which).
#
# Installs ethers@6 with npm into a scratch directory (like merkle_sdk.sh),
# starts the devnet with `zg devnet up`, runs the script, stops the devnet.
# Usage: ethers_devnet.sh ZG_BINARY [SCRATCH_DIR]
# Exit: 0 all passed; 1 a failure (npm unable to install is a failure);
# 77 (skip) when npm/node are missing or this build has no validator role.
set -u
zg=$1
scratch=${2:-${TMPDIR:-/tmp}}/interop-ethers
here=$(cd "$(dirname "$0")" && pwd)
version=${ZG_ETHERS_VERSION:-6}
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "SKIP: npm/node not installed; the ethers.js acceptance test needs them"
  exit 77
fi
mkdir -p "$scratch/npm" || exit 1
if [ ! -f "$scratch/npm/node_modules/ethers/package.json" ] ||
   ! grep -q "\"version\": \"$version\." "$scratch/npm/node_modules/ethers/package.json"; then
  echo "installing ethers@$version with npm into $scratch/npm"
  [ -f "$scratch/npm/package.json" ] || echo '{"name":"zg-interop-ethers","private":true}' >"$scratch/npm/package.json"
  if ! (cd "$scratch/npm" && npm install --no-audit --no-fund --loglevel=error "ethers@$version" >install.log 2>&1); then
    echo "FAIL: npm could not install ethers@$version (registry unreachable?)"
    tail -20 "$scratch/npm/install.log"
    exit 1
  fi
fi
export NODE_PATH="$scratch/npm/node_modules"
dir=$(mktemp -d /tmp/zg_ethers.XXXXXX)
rc=1
finish() {
  "$zg" devnet down --dir "$dir" --grace 5 >/dev/null 2>&1
  if [ "$rc" = 1 ]; then for f in "$dir"/v*/node.log; do [ -f "$f" ] && { echo "---- $f"; tail -n 15 "$f"; }; done; fi
  if [ -n "${ZG_KEEP:-}" ]; then echo "kept $dir"; else rm -rf "$dir"; fi
}
trap finish EXIT
if ! "$zg" devnet up --validators 4 --lanes 2 --dir "$dir" --timeout 150 >"$dir/up.out" 2>&1; then
  cat "$dir/up.out"
  if grep -qs "unknown key 'validator'" "$dir"/v*/node.log; then echo "SKIP: no validator role in this build"; rc=77; exit 77; fi
  echo "FAIL: zg devnet up"; exit 1
fi
"$zg" devnet status --dir "$dir" --json >"$dir/status.json" || exit 1
echo "ethers $(node -e "console.log(require('ethers').version)") against $(jq -r '.nodes[0].rpc' "$dir/status.json" 2>/dev/null)"
node "$here/ethers_devnet.js" "$dir/status.json"
rc=$?
exit $rc

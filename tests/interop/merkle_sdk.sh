#!/usr/bin/env bash
# merkle_sdk.sh — interop of `zg root` with 0G's own TypeScript SDK.
#
# Installs @0gfoundation/0g-ts-sdk with npm into a scratch directory, writes
# files of the edge sizes (1, 255, 256, 257 bytes, one segment +-1, 16
# segments +-1, 4097 chunks, a file with a wholly padded segment) and a few
# random sizes up to ZG_INTEROP_MAX_MIB (default 300) MiB from a printed seed
# (rerun with ZG_INTEROP_SEED=N), and compares the roots from `zg root` and
# from the SDK's ZgFile.merkleTree(). For several files it also checks our
# segment proofs (`zg root --proof I`) equal the SDK's proofAt(I) and pass
# the SDK's Proof.validateHash, that a tampered one fails, and that the
# submission nodes of `zg root --json` equal the SDK's createSubmission().
#
# Usage: merkle_sdk.sh ZG_BINARY [SCRATCH_DIR]
# Exit: 0 all equal, 1 a mismatch or npm could not install the SDK (registry
# unreachable is a failure), 77 (skip) only when npm or node is missing.
set -u
zg=$1
scratch=${2:-${TMPDIR:-/tmp}}/interop-merkle
here=$(cd "$(dirname "$0")" && pwd)
sdk_version=${ZG_SDK_VERSION:-1.2.8}
max_mib=${ZG_INTEROP_MAX_MIB:-300}
seed=${ZG_INTEROP_SEED:-$(( $(date +%s) % 1000000 ))}

# The verb's own contract first: usage errors exit 2, unreadable or empty files 1.
"$zg" root >/dev/null 2>&1; [ $? = 2 ] || { echo "FAIL: 'zg root' without FILE should exit 2"; exit 1; }
"$zg" root --bogus x >/dev/null 2>&1; [ $? = 2 ] || { echo "FAIL: 'zg root --bogus' should exit 2"; exit 1; }
"$zg" root /nonexistent/zg-file >/dev/null 2>&1; [ $? = 1 ] || { echo "FAIL: missing file should exit 1"; exit 1; }
empty=$(mktemp); "$zg" root "$empty" >/dev/null 2>&1; rc=$?; rm -f "$empty"
[ $rc = 1 ] || { echo "FAIL: an empty file should exit 1 (0G rejects empty files)"; exit 1; }

. "$here/npm_lib.sh"
npm_require "the 0G SDK interop test"
mkdir -p "$scratch/files" || exit 1
npm_install "$scratch/npm" "@0gfoundation/0g-ts-sdk@$sdk_version" || exit 1
js="$here/sdk_root.js"

echo "seed $seed (rerun with ZG_INTEROP_SEED=$seed), random sizes up to $max_mib MiB"
# Small deterministic random numbers from the seed (LCG in the shell).
rng=$seed
rand_below() { rng=$(( (rng * 6364136223846793005 + 1442695040888963407) & 0x7fffffffffffffff )); echo $(( (rng >> 16) % $1 )); }
seg=262144
sizes="1 255 256 257 $((seg - 1)) $seg $((seg + 1)) $((16 * seg - 1)) $((16 * seg)) $((16 * seg + 1))"
sizes="$sizes $((4097 * 256)) $((16385 * 256))"
max=$(( max_mib * 1024 * 1024 ))
r1=$(( 1 + $(rand_below $(( 4 * 1024 * 1024 ))) ))
r2=$(( 1 + $(rand_below $(( 64 * 1024 * 1024 < max ? 64 * 1024 * 1024 : max ))) ))
lo=$(( 64 * 1024 * 1024 < max ? 64 * 1024 * 1024 : max / 2 ))
r3=$(( lo + $(rand_below $(( max - lo + 1 ))) ))
sizes="$sizes $r1 $r2 $r3"

files=()
i=0
for s in $sizes; do
  f="$scratch/files/f$i-$s"
  node "$js" --gen $(( seed + i )) "$s" "$f" || { echo "FAIL: could not write $f"; exit 1; }
  files+=("$f")
  i=$((i + 1))
done

fail=0 passed=0
t0=$(date +%s)
node "$js" "${files[@]}" > "$scratch/sdk.txt" || { echo "FAIL: the SDK could not compute roots"; exit 1; }
t1=$(date +%s)
while read -r sdk_root f; do
  ours=$("$zg" root "$f") || { echo "FAIL: zg root $f"; fail=1; continue; }
  if [ "$ours" = "$sdk_root" ]; then
    passed=$((passed + 1))
  else
    echo "FAIL: $(basename "$f"): zg $ours, SDK $sdk_root"; fail=1
  fi
done < "$scratch/sdk.txt"
t2=$(date +%s)
echo "roots: $passed of ${#files[@]} equal (SDK $((t1 - t0)) s, zg $((t2 - t1)) s)"

# Segment proofs: first, middle and last segment of a few multi-segment files.
for f in "${files[@]:3:9}"; do
  nseg=$("$zg" root --json "$f" | sed -n 's/.*"segments":\([0-9]*\).*/\1/p')
  for idx in 0 $((nseg / 2)) $((nseg - 1)); do
    "$zg" root --proof "$idx" "$f" > "$scratch/proof.json" || { echo "FAIL: zg root --proof $idx $f"; fail=1; continue; }
    if node "$js" --verify "$f" "$scratch/proof.json" > /dev/null; then passed=$((passed + 1)); else fail=1; fi
  done
done
# Submission nodes {root, height} and length as the SDK's createSubmission() makes them.
for f in "${files[@]:0:12}"; do
  "$zg" root --json "$f" > "$scratch/root.json" || { echo "FAIL: zg root --json $f"; fail=1; continue; }
  if node "$js" --nodes "$f" "$scratch/root.json" > /dev/null; then passed=$((passed + 1)); else fail=1; fi
done
rm -rf "$scratch/files" "$scratch/proof.json" "$scratch/root.json" "$scratch/sdk.txt"
if [ $fail = 0 ]; then echo "$passed passed, 0 failed"; else echo "$passed passed, some failed"; fi
exit $fail

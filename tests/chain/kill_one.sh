#!/usr/bin/env bash
# kill_one.sh — crash tolerance of a 4-validator, 2-lane devnet (f = 1):
#  1. kill -9 v3: lanes 0 and 1 keep committing on v0..v2 (transfers sent
#     meanwhile commit);
#  2. restart v3 (same data dir): it catches up with the others' height;
#  3. it votes again: kill -9 v2, leaving v0, v1, v3 — three of four, a
#     quorum only if v3 votes — and the chain must go on;
#  4. restart v2; all four agree on every block of both lanes (no fork).
# Usage: kill_one.sh ZG_BINARY. Exit 0/1, 77 when the build has no validator role.
set -u
zg=$1
. "$(dirname "$0")/lib.sh"
devnet_up --validators 4 --lanes 2
echo "devnet up: ${NAMES[*]} (${URLS[*]})"

# 1. v3 crashes.
alive 0 1 2 3
kill9 3
h0=$(max_height "${URLS[0]}" "${URLS[1]}" "${URLS[2]}")
l1=$(height "${URLS[0]}" 1); l1=${l1:-0}
if wait_all 60 $((h0 + 5)) 0 1 2; then
  ok "v3 killed: lane 0 went on from $h0 to $(height "${URLS[0]}")"
else
  bad "v3 killed: lane 0 stuck at $(height "${URLS[0]}") (from $h0)"
fi
alive 0 1 2
if wait_height "${URLS[1]}" $((l1 + 3)) 60 1; then ok "v3 killed: lane 1 went on"; else bad "v3 killed: lane 1 stuck"; fi
if "$zg" load --dir "$dir" --txs 200 --timeout 60 >"$dir/load1.out" 2>&1; then
  ok "200 transfers committed with v3 down ($(grep -o 'committed [0-9/]* in [0-9.]* s: [0-9]* tx/s' "$dir/load1.out"))"
else
  bad "transfers with v3 down:"; tail -5 "$dir/load1.out"
fi

# 2. v3 comes back and catches up.
alive 0 1 2
if restart 3; then
  target=$(max_height "${URLS[0]}" "${URLS[1]}" "${URLS[2]}")
  if wait_height "${URLS[3]}" "$target" 90; then
    ok "v3 restarted and caught up to $target"
  else
    bad "v3 restarted but is at $(height "${URLS[3]}"), the others at $target"
  fi
else
  bad "v3 did not restart"
fi

# 3. v3 votes again: without v2, no quorum exists unless v3 votes.
alive 0 1 2 3
kill9 2
h1=$(max_height "${URLS[0]}" "${URLS[1]}" "${URLS[3]}")
if wait_all 90 $((h1 + 5)) 0 1 3; then
  ok "v2 killed after v3's return: the chain went on (v3 votes again) from $h1 to $(height "${URLS[0]}")"
else
  bad "v2 killed after v3's return: stuck at $(height "${URLS[0]}") (from $h1): v3 does not vote"
fi

# 4. Everyone back; one history.
alive 0 1 3
restart 2 || bad "v2 did not restart"
target=$(max_height "${URLS[@]}")
wait_all 90 "$target" 0 1 2 3 || bad "not every node reached $target after the restarts"
alive 0 1 2 3
if no_fork "${URLS[@]}"; then ok "all four agree on every block of both lanes up to $target"; else bad "fork"; fi
summary

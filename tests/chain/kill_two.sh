#!/usr/bin/env bash
# kill_two.sh — safety without a quorum on a 4-validator, 2-lane devnet:
#  1. kill -9 v2 and v3: once blocks already certified have landed, the two
#     survivors commit nothing more (no quorum), and what they have equals
#     each other's blocks;
#  2. restart both: the chain resumes, and all four nodes hold the same
#     block at every height of both lanes (no fork).
# The halt is checked as "no new height over 10 s after 5 s without one";
# a commit without a quorum would be a safety bug whatever the timing.
# Usage: kill_two.sh ZG_BINARY. Exit 0/1, 77 when the build has no validator role.
set -u
zg=$1
. "$(dirname "$0")/lib.sh"
devnet_up --validators 4 --lanes 2
"$zg" load --dir "$dir" --txs 200 --timeout 60 >"$dir/load0.out" 2>&1 || { bad "warm-up transfers"; tail -5 "$dir/load0.out"; }

alive 0 1 2 3
kill9 2
kill9 3
# Let in-flight certified blocks land: wait for 5 s without a new height.
last=$(max_height "${URLS[0]}" "${URLS[1]}") quiet=0 waited=0
while [ $quiet -lt 50 ] && [ $waited -lt 300 ]; do
  sleep 0.1; waited=$((waited + 1))
  h=$(max_height "${URLS[0]}" "${URLS[1]}")
  if [ "$h" != "$last" ]; then last=$h quiet=0; else quiet=$((quiet + 1)); fi
done
[ $quiet -ge 50 ] || bad "heights kept changing for 30 s with 2 of 4 validators down"
stuck0=$(height "${URLS[0]}") stuck1=$(height "${URLS[0]}" 1)
sleep 10
if [ "$(height "${URLS[0]}")" = "$stuck0" ] && [ "$(height "${URLS[0]}" 1)" -le "${stuck1:-0}" ]; then
  ok "2 of 4 down: the chain halted at lane-0 height $stuck0"
else
  bad "2 of 4 down: lane 0 moved from $stuck0 to $(height "${URLS[0]}") without a quorum"
fi
if no_fork "${URLS[0]}" "${URLS[1]}"; then ok "survivors agree on every block"; else bad "survivors disagree"; fi
alive 0 1

restart 2 || bad "v2 did not restart"
restart 3 || bad "v3 did not restart"
if wait_all 90 $((stuck0 + 5)) 0 1 2 3; then
  ok "both back: the chain resumed from $stuck0 to $(height "${URLS[0]}")"
else
  bad "both back: still at $(height "${URLS[0]}") (halted at $stuck0)"
fi
"$zg" load --dir "$dir" --txs 200 --timeout 90 >"$dir/load1.out" 2>&1 && ok "transfers commit after the resume" ||
  { bad "transfers after the resume:"; grep -v "^  " "$dir/load1.out"; }
target=$(max_height "${URLS[@]}")
wait_all 90 "$target" 0 1 2 3 || bad "not every node reached $target"
alive 0 1 2 3
if no_fork "${URLS[@]}"; then ok "all four agree on every block of both lanes"; else bad "fork"; fi
summary

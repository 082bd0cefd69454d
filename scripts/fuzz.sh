#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR for SECONDS each, starting from the
# committed seed corpus (copied, so the committed one is not rewritten).
# Usage: scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]
set -euo pipefail
bdir=$1; secs=$2; shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for d in "$top"/fuzz/*/; do targets+=("$(basename "$d")"); done
fi
fail=0
for t in "${targets[@]}"; do
  bin="$bdir/fuzz_$t"
  [ -x "$bin" ] || { echo "fuzz: $bin missing"; fail=1; continue; }
  work="$bdir/corpus/$t"
  mkdir -p "$work"
  [ -d "$top/fuzz/$t/corpus" ] && cp -n "$top/fuzz/$t/corpus/"* "$work/" 2>/dev/null || true
  log="$bdir/fuzz_$t.log"
  if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
       -artifact_prefix="$bdir/crash_${t}_" "$work" >"$log" 2>&1; then
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || echo '?')
    echo "fuzz $t: ok, ${secs}s, $runs runs, cov $cov"
  else
    echo "fuzz $t: FAILED (log $log)"; tail -40 "$log"; fail=1
  fi
done
exit $fail

#!/usr/bin/env bash
# Checks the program's usage errors: unknown verbs and flags exit 2 with a message.
set -u
zg=$1
fail=0
expect() { # expect STATUS CMD...
  local want=$1; shift
  "$@" >/dev/null 2>/tmp/zg_usage_err.$$; local got=$?
  if [ "$got" != "$want" ]; then echo "FAIL: '$*' exited $got, want $want"; fail=1; fi
}
expect 0 "$zg" --help
expect 0 "$zg" version
expect 2 "$zg"
expect 2 "$zg" no-such-verb
expect 2 "$zg" --no-such-flag version
expect 2 "$zg" bench --no-such-flag
expect 2 "$zg" version extra
expect 2 "$zg" --log-level loud version
"$zg" no-such-verb 2>&1 | grep -q "unknown verb 'no-such-verb'" || { echo "FAIL: no clear message"; fail=1; }
"$zg" no-such-verb 2>&1 | grep -q "usage: zg" || { echo "FAIL: no usage"; fail=1; }
rm -f /tmp/zg_usage_err.$$
[ $fail = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail

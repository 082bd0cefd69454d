#!/usr/bin/env bash
# npm_lib.sh — sourced by the interop tests that drive zg with JavaScript
# packages from npm (0G's SDK, ethers). Nothing is installed into the
# source tree: packages go into a scratch directory the caller names (under
# the build dir), reused while the wanted versions are there.
#
#   npm_require WHAT        exit 77 (skip) with a message when npm or node is
#                           missing (the only reason these tests skip)
#   npm_install DIR SPEC..  makes DIR/node_modules hold every SPEC
#                           ("name@version", version a prefix such as 6 or
#                           1.2.8), installing the missing ones with one npm
#                           call; exports NODE_PATH. Returns 1 (after the
#                           install log's tail) when npm fails: an
#                           unreachable registry is a failure, not a skip.
#                           Tests sharing DIR may run at once (ctest -j2):
#                           the check and install hold DIR/.lock (flock).

npm_require() {
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "SKIP: npm/node not installed; $1 needs them"
    exit 77
  fi
}

npm_install() {
  local dir=$1 spec name ver pj
  shift
  local missing=()
  mkdir -p "$dir" || return 1
  local lockfd=""
  if command -v flock >/dev/null 2>&1; then
    exec {lockfd}>"$dir/.lock" && flock "$lockfd"
  fi
  for spec in "$@"; do
    name=${spec%@*}
    ver=${spec##*@}
    pj=$dir/node_modules/$name/package.json
    if [ ! -f "$pj" ] || ! grep -q "\"version\": \"$ver" "$pj"; then missing+=("$spec"); fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} with npm into $dir"
    [ -f "$dir/package.json" ] || echo '{"name":"zg-interop","private":true}' >"$dir/package.json"
    if ! (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "${missing[@]}" >install.log 2>&1); then
      echo "FAIL: npm could not install ${missing[*]} (registry unreachable?)"
      tail -20 "$dir/install.log"
      [ -n "$lockfd" ] && exec {lockfd}>&-
      return 1
    fi
  fi
  [ -n "$lockfd" ] && exec {lockfd}>&-
  export NODE_PATH="$dir/node_modules"
}

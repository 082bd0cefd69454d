#!/usr/bin/env bash
# Installs the Debian packages that zg's build, tests, fuzzing and benchmarks need.
# Idempotent: prints nothing and does nothing when every package is present.
# Runs `apt-get update` once, only when a package is missing.
set -euo pipefail

pkgs=(
  build-essential cmake pkg-config clang llvm libclang-rt-14-dev valgrind
  libsodium-dev libsecp256k1-dev nettle-dev liblmdb-dev libuv1-dev
  libmicrohttpd-dev libcurl4-openssl-dev libjansson-dev
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done" >&2

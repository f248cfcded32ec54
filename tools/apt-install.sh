#!/usr/bin/env bash
# Installs Debian packages for the scripts that need a system tool (nginx, chromium, shellcheck,
# docker.io, wrk, ...): `tools/apt-install.sh <package>...`. Waits for the dpkg lock instead of
# failing, because Nx runs several test targets at once and each installs what it runs; refreshes
# the package lists once when the first attempt fails. Without root or apt-get it says what to
# install and exits 1.
set -euo pipefail

say() { printf '[apt-install] %s\n' "$*"; }
die() { printf '[apt-install] ERROR: %s\n' "$*" >&2; exit 1; }

(($# > 0)) || die "usage: tools/apt-install.sh <package>..."
command -v apt-get >/dev/null 2>&1 ||
  die "apt-get is not here: install $* with this system's package manager and re-run"
[[ "$(id -u)" -eq 0 ]] || die "installing $* needs root: run 'sudo apt-get install -y $*' and re-run"

apt_get() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@"
}

say "installing $*"
if ! apt_get install -y -qq --no-install-recommends "$@" >/dev/null; then
  say "apt-get install failed; refreshing the package lists once and retrying"
  apt_get update -qq >/dev/null
  apt_get install -y -qq --no-install-recommends "$@" >/dev/null || die "apt-get install -y $* failed"
fi

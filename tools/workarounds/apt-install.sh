#!/usr/bin/env bash
# Installs Debian packages: `tools/workarounds/apt-install.sh <package>...`, the one place that
# does. Waits for the dpkg lock instead of failing (another install may hold it); refreshes the
# package lists once when the first attempt fails. Without root or apt-get it says what to
# install and exits 1.
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# > 0)) || die "usage: tools/workarounds/apt-install.sh <package>..."
command -v apt-get >/dev/null 2>&1 ||
  die "apt-get is not here: install $* with this system's package manager and re-run"
[[ "$(id -u)" -eq 0 ]] || die "installing $* needs root: run 'sudo apt-get install -y $*' and re-run"

apt_get() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@"
}

# No package may start a service (Debian's nginx would take port 80; dockerd is started by
# docker-engine.sh with flags of its own). A policy-rc.d that answers 101 ("action forbidden")
# stops invoke-rc.d and deb-systemd-invoke from starting them:
# https://people.debian.org/~hmh/invokerc.d-policyrc.d-specification.txt
policy=/usr/sbin/policy-rc.d
if [[ ! -e "${policy}" ]]; then
  printf '#!/bin/sh\nexit 101\n' >"${policy}"
  chmod 0755 "${policy}"
  trap 'rm -f "${policy}"' EXIT
fi

start="$(now_ms)"
say "installing $*"
if ! apt_get install -y -qq --no-install-recommends "$@" >/dev/null; then
  say "apt-get install failed; refreshing the package lists once and retrying"
  apt_get update -qq >/dev/null
  apt_get install -y -qq --no-install-recommends "$@" >/dev/null || die "apt-get install -y $* failed"
fi
say "installed $* in $((($(now_ms) - start) / 1000)) s"

#!/usr/bin/env bash
# Makes sure the real nginx binary is on PATH for the local run and the tests: Debian's `nginx`
# package, installed with apt-get when missing. Usage: ensure-nginx.sh
set -euo pipefail
# shellcheck source=docker/nginx/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if command -v nginx >/dev/null; then
  say "using $(nginx -v 2>&1) at $(command -v nginx)"
  exit 0
fi
command -v apt-get >/dev/null \
  || die "nginx is missing and this is not a Debian-like system; install nginx with your package manager"
[[ "$(id -u)" == 0 ]] || die "nginx is missing; install it as root: apt-get install -y nginx"

# Debian's package starts an nginx service on port 80 as soon as it is installed. A policy-rc.d
# that answers 101 ("action forbidden") stops invoke-rc.d and deb-systemd-invoke from starting it:
# https://people.debian.org/~hmh/invokerc.d-policyrc.d-specification.txt
policy=/usr/sbin/policy-rc.d
if [[ ! -e "${policy}" ]]; then
  say "forbidding service starts during the install (${policy})"
  printf '#!/bin/sh\nexit 101\n' >"${policy}"
  chmod 0755 "${policy}"
  trap 'rm -f "${policy}"' EXIT
fi

say "installing Debian's nginx package"
if ! apt-get install -y --no-install-recommends nginx >/dev/null; then
  say "apt-get install failed; refreshing the package lists once and retrying"
  apt-get update >/dev/null
  apt-get install -y --no-install-recommends nginx >/dev/null || die "apt-get install -y nginx failed"
fi
# The service must not run: it would hold port 80 and is nothing the project uses.
if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
  systemctl disable --now nginx >/dev/null 2>&1 || true
fi
say "installed $(nginx -v 2>&1)"

#!/usr/bin/env bash
# Makes sure the real nginx binary is on PATH for the local run and the tests (Debian's `nginx`
# package), and GNU envsubst (gettext-base), which the tests compare the template rendering with.
# Installs what is missing with apt-get. Usage: ensure-nginx.sh
set -euo pipefail
# shellcheck source=docker/nginx/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

missing=()
command -v nginx >/dev/null || missing+=(nginx)
command -v envsubst >/dev/null || missing+=(gettext-base)
if [[ ${#missing[@]} -eq 0 ]]; then
  say "using $(nginx -v 2>&1) at $(command -v nginx), envsubst at $(command -v envsubst)"
  exit 0
fi
command -v apt-get >/dev/null \
  || die "missing ${missing[*]} and this is not a Debian-like system; install nginx and envsubst (gettext) with your package manager"
[[ "$(id -u)" == 0 ]] || die "missing ${missing[*]}; install as root: apt-get install -y ${missing[*]}"

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

"${repo_root}/tools/apt-install.sh" "${missing[@]}"
# The service must not run: it would hold port 80 and is nothing the project uses.
if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
  systemctl disable --now nginx >/dev/null 2>&1 || true
fi
say "installed ${missing[*]}: $(nginx -v 2>&1), envsubst at $(command -v envsubst)"

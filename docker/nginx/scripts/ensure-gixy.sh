#!/usr/bin/env bash
# Installs gixy-ng (the NGINX configuration analyser, https://github.com/dvershinin/gixy) at
# GIXY_NG_VERSION from tools/versions.env into a project-local venv, once per version, and prints
# the path of its `gixy` command. Usage: ensure-gixy.sh
set -euo pipefail
# shellcheck source=docker/nginx/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ -n "${GIXY_NG_VERSION:-}" ]] || die "GIXY_NG_VERSION is missing from tools/versions.env"
venv="${repo_root}/.cache/tools/gixy-ng-${GIXY_NG_VERSION}"
gixy="${venv}/bin/gixy"

# The marker is written last, so an interrupted install is redone rather than trusted.
if [[ ! -f "${venv}/.installed" ]]; then
  command -v python3 >/dev/null || die "python3 is missing; install it (apt-get install -y python3 python3-venv)"
  say "installing gixy-ng ${GIXY_NG_VERSION} into ${venv}" >&2
  rm -rf "${venv}"
  python3 -m venv "${venv}" >&2 \
    || die "python3 -m venv failed; install the venv module (apt-get install -y python3-venv)"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "gixy-ng==${GIXY_NG_VERSION}" >&2 \
    || die "pip could not install gixy-ng==${GIXY_NG_VERSION}; check that PyPI answers"
  touch "${venv}/.installed"
fi
"${gixy}" --version >/dev/null 2>&1 || die "${gixy} does not run; delete ${venv} and run this script again"
printf '%s\n' "${gixy}"

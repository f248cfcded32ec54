#!/usr/bin/env bash
# Installs schemathesis (property-based API fuzzing from an OpenAPI document,
# https://schemathesis.readthedocs.io) at SCHEMATHESIS_VERSION from tools/versions.env into a
# project-local venv, once per version, and prints the path of its `schemathesis` command.
# Usage: ensure-schemathesis.sh
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
# shellcheck source=tools/versions.env
source "${repo_root}/tools/versions.env"
say() { printf '[ensure-schemathesis] %s\n' "$*" >&2; }
die() { printf '[ensure-schemathesis] ERROR: %s\n' "$*" >&2; exit 1; }

[[ -n "${SCHEMATHESIS_VERSION:-}" ]] || die "SCHEMATHESIS_VERSION is missing from tools/versions.env"
venv="${repo_root}/.cache/tools/schemathesis-${SCHEMATHESIS_VERSION}"
schemathesis="${venv}/bin/schemathesis"

# The marker is written last, so an interrupted install is redone rather than trusted.
if [[ ! -f "${venv}/.installed" ]]; then
  command -v python3 >/dev/null || die "python3 is missing; install it (apt-get install -y python3 python3-venv)"
  say "installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv}"
  rm -rf "${venv}"
  python3 -m venv "${venv}" >&2 \
    || die "python3 -m venv failed; install the venv module (apt-get install -y python3-venv)"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}" >&2 \
    || die "pip could not install schemathesis==${SCHEMATHESIS_VERSION}; check that PyPI answers"
  touch "${venv}/.installed"
fi
"${schemathesis}" --version >/dev/null 2>&1 \
  || die "${schemathesis} does not run; delete ${venv} and run this script again"
say "using $("${schemathesis}" --version) at ${schemathesis}"
printf '%s\n' "${schemathesis}"

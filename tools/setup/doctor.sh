#!/usr/bin/env bash
# make doctor: checks this machine for exactly what `make setup` cannot install itself, and says
# per missing or too-old tool what to install. Everything else (the npm packages, the pinned Node,
# helm, ct, kind, ...) `make setup` installs into the repository.
#   doctor.sh             the report; exit 1 when a required tool is missing
#   doctor.sh --missing   only the names of the missing tools, required and optional, one a line
set -euo pipefail
# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

mode=report
case "${1:-}" in
  "") ;;
  --missing) mode=missing ;;
  *) die "usage: doctor.sh [--missing]" ;;
esac

# name|minimum version|required or optional|what to install. The name is the command, except
# for docker (its engine must answer) and python3-venv (Python's venv with pip).
requirements=(
  "node|20.19.0|required|Node.js and npm (https://nodejs.org); make setup adds the pinned Node ${NODE_VERSION} when this one differs"
  "npm|10.0.0|required|npm comes with Node.js"
  "go|1.24.0|required|Go (https://go.dev/doc/install): make setup builds the pinned helm, ct and kind with it"
  "python3-venv|3.9.0|required|Python 3 with venv (Debian package python3-venv): make setup puts yamllint and the fuzzer in venvs"
  "docker|20.10.0|required|Docker Engine or Docker Desktop (https://docs.docker.com/engine/install/), running"
  "nginx|1.18.0|required|nginx (Debian package nginx; brew install nginx): the tests run the real binary"
  "envsubst|0.19|required|gettext's envsubst (Debian package gettext-base; brew install gettext)"
  "chromium|100.0|required|Chromium or Chrome (Debian package chromium), or set CHROMIUM_PATH: the landing-page test drives it"
  "shellcheck|0.8.0|required|shellcheck (Debian package shellcheck; brew install shellcheck): the tests lint every script"
  "curl|7.0.0|required|curl (Debian package curl)"
  "wrk|4.1.0|optional|wrk (Debian package wrk; brew install wrk): make bench's maximum-rate runs"
  "gpg|2.2.0|optional|GnuPG (Debian package gnupg; brew install gnupg): make release signs the chart's Helm provenance with it"
  "kubectl|1.29.0|optional|kubectl (https://kubernetes.io/docs/tasks/tools/#kubectl): needed by make deploy and make cluster-tests"
)

# version_of TOOL: the first x.y(.z) in the tool's own version output; nothing when it is absent
# or, for docker, when no engine answers.
version_of() {
  case "$1" in
    docker) docker version --format '{{.Server.Version}}' 2>/dev/null ;;
    python3-venv) python3 -c 'import ensurepip, venv, sys; print(sys.version)' ;;
    chromium) "${CHROMIUM_PATH:-chromium}" --version ;;
    kubectl) kubectl version --client ;;
    go) go version ;;
    nginx) nginx -v ;;
    node | npm | curl | shellcheck | envsubst | gpg) "$1" --version ;;
    *) "$1" -v ;;
  esac 2>&1 | grep -Eo '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -n1
}

# at_least HAVE WANT: true when version HAVE >= WANT.
at_least() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

missing_required=0
for requirement in "${requirements[@]}"; do
  IFS='|' read -r tool minimum need install <<<"${requirement}"
  have="$(version_of "${tool}" || true)"
  if [[ -n "${have}" ]] && at_least "${have}" "${minimum}"; then
    [[ "${mode}" == missing ]] || printf '  ok      %-13s %s\n' "${tool}" "${have}"
    continue
  fi
  if [[ "${mode}" == missing ]]; then
    echo "${tool}"
    continue
  fi
  if [[ -z "${have}" && "${tool}" == docker ]] && command -v docker >/dev/null 2>&1; then
    problem="client found, but no engine answers"
  elif [[ -z "${have}" ]]; then
    problem="not found"
  else
    problem="${have} is older than ${minimum}"
  fi
  if [[ "${need}" == required ]]; then
    missing_required=$((missing_required + 1))
    printf '  MISSING %-13s %s: install %s\n' "${tool}" "${problem}" "${install}"
  else
    printf '  warn    %-13s %s: install %s\n' "${tool}" "${problem}" "${install}"
  fi
done
[[ "${mode}" == report ]] || exit 0
if ((missing_required > 0)); then
  echo "doctor: ${missing_required} required tool(s) missing; install them (see above), then run make setup."
  exit 1
fi
echo "doctor: everything make setup needs is here."

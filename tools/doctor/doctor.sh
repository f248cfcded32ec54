#!/usr/bin/env bash
# Checks this machine for what the template uses and says, per missing or too-old tool, what to
# install. Exits 1 when a required tool is missing; optional tools (only for some targets) warn.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../versions.env
source "$root/tools/versions.env"
# Tools the project installs itself (tools/toolchain) count as present.
PATH="${TOOLS_BIN:-$root/.cache/tools/bin}:$PATH"

missing=0

# version_of TOOL: the first x.y.z in the tool's own version output, or nothing.
version_of() {
  case "$1" in
    node) node --version ;;
    npm) npm --version ;;
    docker) docker version --format '{{.Server.Version}}' 2>/dev/null ;;
    kind) kind version ;;
    helm) helm version --template '{{.Version}}' ;;
    kubectl) kubectl version --client -o json | grep -m1 gitVersion ;;
    ct) ct version | grep -m1 -i version ;;
  esac 2>/dev/null | grep -Eo '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -n1
}

# at_least HAVE WANT: true when version HAVE >= WANT.
at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# check TOOL MINIMUM required|optional HOW-TO-INSTALL
check() {
  local tool=$1 minimum=$2 need=$3 install=$4 have
  if ! command -v "$tool" >/dev/null 2>&1; then
    report "$need" "$tool" "not found" "$install"
    return
  fi
  have="$(version_of "$tool" || true)"
  if [ -z "$have" ]; then
    if [ "$tool" = docker ]; then
      report "$need" docker "client found, but no engine answers" "start Docker (here: tools/docker/ensure-engine.sh)"
    else
      report "$need" "$tool" "found, but its version could not be read" "$install"
    fi
  elif ! at_least "$have" "$minimum"; then
    report "$need" "$tool" "$have is older than $minimum" "$install"
  else
    printf '  ok    %-8s %s\n' "$tool" "$have"
  fi
}

report() {
  local need=$1 tool=$2 problem=$3 install=$4
  if [ "$need" = required ]; then
    missing=$((missing + 1))
    printf '  MISSING %-6s %s: %s\n' "$tool" "$problem" "$install"
  else
    printf '  warn  %-8s %s: %s\n' "$tool" "$problem" "$install"
  fi
}

echo "Checking the tools this template uses:"
check node 20.19.0 required "install Node.js >= 20.19 (https://nodejs.org, or your package manager)"
check npm 10.0.0 required "npm comes with Node.js; upgrade with: npm install -g npm"
check docker 20.10.0 optional "needed for images, the Docker Pod and kind: install Docker Engine or Docker Desktop"
check kind "${KIND_VERSION#v}" optional "needed for make deploy: make tools (installs kind ${KIND_VERSION} into .cache/tools/bin)"
check helm "${HELM3_VERSION#v}" optional "needed for the chart: make tools (installs helm ${HELM_VERSION})"
check kubectl 1.29.0 optional "needed for make deploy: https://kubernetes.io/docs/tasks/tools/"
check ct "${CT_VERSION#v}" optional "needed for chart-testing: make tools (installs ct ${CT_VERSION})"

if [ "$missing" -gt 0 ]; then
  echo "doctor: $missing required tool(s) missing; see above."
  exit 1
fi
echo "doctor: everything required is here."

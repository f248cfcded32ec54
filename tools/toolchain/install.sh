#!/usr/bin/env bash
# Installs the pinned toolchain into .cache/tools/bin (gitignored); `make setup` runs it:
#   tools/toolchain/install.sh              every tool make setup installs
#   tools/toolchain/install.sh helm ct      only these (also syft and cosign, which only
#                                           make setup-release asks for: minutes of Go builds)
# One binary per version (<tool>-<version> plus a <tool> symlink, kubebuilder's LOCALBIN layout),
# so a bump in tools/versions.env reinstalls and an unchanged pin costs nothing. How each kind of
# tool installs lives beside this file: go-tools.sh, python-tools.sh, node.sh, npm-tools.sh, module-files.sh
# (CRDs and a chart, not tools, kept the same way).
set -euo pipefail
# shellcheck source=tools/toolchain/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/toolchain/go-tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/go-tools.sh"
# shellcheck source=tools/toolchain/python-tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/python-tools.sh"
# shellcheck source=tools/toolchain/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/node.sh"
# shellcheck source=tools/toolchain/npm-tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/npm-tools.sh"
# shellcheck source=tools/toolchain/module-files.sh
source "$(dirname "${BASH_SOURCE[0]}")/module-files.sh"

all_tools=(node helm helm3 ct kind helm-docs kube-score vegeta actionlint yamllint yamale kubernetes-validate gixy schemathesis renovate-config-validator prometheus-operator-crds gateway-api-crds metrics-server-chart)

requested=("$@")
((${#requested[@]} > 0)) || requested=("${all_tools[@]}")
mkdir -p "${TOOLS_BIN}"
start=${SECONDS}
# One install at a time: make setup may run in two terminals at once; a second run
# waits, then finds the tools up to date.
exec {lock_fd}>"${TOOLS_DIR}/install.lock"
if ! flock --nonblock "${lock_fd}"; then
  say "another install is running; waiting for it"
  flock "${lock_fd}"
fi
wanted_python=()
for name in "${requested[@]}"; do
  if [[ "${name}" == node ]]; then
    install_node
  elif [[ -v "go_tools[${name}]" ]]; then
    install_go_tool "${name}"
  elif [[ -v "python_tools[${name}]" ]]; then
    wanted_python+=("${name}")
  elif [[ -v "own_venv_tools[${name}]" ]]; then
    install_own_venv_tool "${name}"
  elif [[ -v "npm_tools[${name}]" ]]; then
    install_npm_tool "${name}"
  elif [[ -v "module_files[${name}]" ]]; then
    install_module_files "${name}"
  else
    die "unknown tool '${name}'; known tools: ${all_tools[*]} syft cosign"
  fi
done
((${#wanted_python[@]} == 0)) || install_python_tools "${wanted_python[@]}"
say "toolchain ready in ${TOOLS_BIN#"${repo_root}/"} (${#requested[@]} tools, $((SECONDS - start))s)"

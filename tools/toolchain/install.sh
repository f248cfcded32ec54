#!/usr/bin/env bash
# Installs the pinned toolchain into .cache/tools/bin (gitignored); `make setup` runs it:
#   tools/toolchain/install.sh              every tool
#   tools/toolchain/install.sh helm ct      only these
# Go tools build from the Go module proxy, one binary per version (<tool>-<version> plus a <tool>
# symlink), so a bump in tools/versions.env reinstalls and an unchanged pin costs nothing. Python
# tools go into one venv, pinned with `==`. `node` is the Node release the images ship.
set -euo pipefail
# shellcheck source=tools/toolchain/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# tool name -> "go-package version" (the package is the one `go install` builds).
declare -A go_tools=(
  [helm]="helm.sh/helm/v4/cmd/helm ${HELM_VERSION}"
  [helm3]="helm.sh/helm/v3/cmd/helm ${HELM3_VERSION}"
  [ct]="github.com/helm/chart-testing/v3/ct ${CT_VERSION}"
  [kind]="sigs.k8s.io/kind ${KIND_VERSION:?KIND_VERSION is missing from tools/versions.env}"
  [helm-docs]="github.com/norwoodj/helm-docs/cmd/helm-docs ${HELM_DOCS_VERSION}"
  [kube-score]="github.com/zegl/kube-score/cmd/kube-score ${KUBE_SCORE_VERSION}"
  [vegeta]="github.com/tsenart/vegeta/v12 ${VEGETA_VERSION}"
)
# Version stamps that the upstream release builds set with -ldflags (helm's Makefile), so that
# `helm version` names the release instead of its bare major.minor.
declare -A go_ldflags=(
  [helm]="-X helm.sh/helm/v4/internal/version.version=${HELM_VERSION}"
  [helm3]="-X helm.sh/helm/v3/internal/version.version=${HELM3_VERSION}"
  [ct]="-X github.com/helm/chart-testing/v3/ct/cmd.Version=${CT_VERSION}"
  [vegeta]="-X main.Version=${VEGETA_VERSION}"
)
# tool name -> PyPI requirement.
declare -A python_tools=(
  [yamllint]="yamllint==${YAMLLINT_VERSION}"
  [yamale]="yamale==${YAMALE_VERSION}"
  [kubernetes-validate]="kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}"
)
# tool name -> "PyPI requirement command": tools with many dependencies of their own, each in a
# venv of its own (.cache/tools/<package>-<version>) so that they never constrain each other.
declare -A own_venv_tools=(
  [gixy]="gixy-ng==${GIXY_NG_VERSION} gixy"
  [schemathesis]="schemathesis==${SCHEMATHESIS_VERSION} schemathesis"
)
all_tools=(node helm helm3 ct kind helm-docs kube-score vegeta yamllint yamale kubernetes-validate gixy schemathesis)

# Go's own module and build caches (GOMODCACHE, GOCACHE: ~/go and ~/.cache by default) are shared
# by every checkout on the machine, as for any Go build: a second clone links instead of compiling.
export GOFLAGS="-modcacherw"
# Static binaries, as the upstream release builds are.
export CGO_ENABLED=0

install_go_tool() {
  local name="$1" package version
  read -r package version <<<"${go_tools[${name}]}"
  local versioned="${TOOLS_BIN}/${name}-${version}"
  if [[ -x "${versioned}" ]]; then
    say "${name} ${version} is up to date"
  else
    command -v go >/dev/null 2>&1 || die "go is not installed; install Go 1.24 or newer (https://go.dev/doc/install) and re-run"
    say "installing ${name} ${version} (go build ${package}@${version})"
    local start=${SECONDS} module
    # `go install pkg@version` also reads the module's version list for deprecation notices, and
    # some module proxies refuse that list (403) while serving the version itself. So: a throwaway
    # module that requires exactly this version, then an ordinary build, which reads no list.
    module="$(mktemp -d)"
    (
      cd "${module}"
      go mod init "toolchain/${name}" >/dev/null 2>&1
      go get "${package}@${version}" &&
        go build -trimpath -ldflags="-s ${go_ldflags[${name}]:-}" -o "${versioned}" "${package}"
    ) || die "building ${package}@${version} failed (see above); check the pin in tools/versions.env"
    rm -rf "${module}"
    say "installed ${name} ${version} in $((SECONDS - start))s"
  fi
  ln -sfn "$(basename "${versioned}")" "${TOOLS_BIN}/${name}"
}

# The Node that the images ship (NODE_VERSION), so that tests, the bench and `make up` run the API
# on it: the official binary from its npm package (node-<platform>-<arch>). Only when the host's
# own node is another version; TOOLS_BIN comes first on PATH (tools/lib.sh, the Makefile).
install_node() {
  local host_path host_version versioned="${TOOLS_DIR}/node-${NODE_VERSION}"
  host_path="$(tr ':' '\n' <<<"${PATH}" | grep -vxF "${TOOLS_BIN}" | paste -sd:)"
  host_version="$(PATH="${host_path}" node --version 2>/dev/null || true)"
  if [[ "${host_version}" == "v${NODE_VERSION}" ]]; then
    say "node ${NODE_VERSION} is the host's own"
    rm -f "${TOOLS_BIN}/node"
    return
  fi
  if [[ -x "${versioned}/bin/node" ]]; then
    say "node ${NODE_VERSION} is up to date (the host runs ${host_version:-no node})"
  else
    local package start=${SECONDS} work
    package="node-$(PATH="${host_path}" node -p 'process.platform + "-" + process.arch')@${NODE_VERSION}"
    say "installing node ${NODE_VERSION} (npm package ${package}; the host runs ${host_version:-no node})"
    work="$(mktemp -d)"
    (cd "${work}" && npm pack --silent "${package}" >/dev/null && tar -xzf ./*.tgz package/bin/node) ||
      die "npm pack ${package} failed (see above); check the pin NODE_VERSION in tools/versions.env"
    mkdir -p "${versioned}/bin"
    mv "${work}/package/bin/node" "${versioned}/bin/node"
    rm -rf "${work}"
    say "installed node ${NODE_VERSION} in $((SECONDS - start))s"
  fi
  ln -sfn "../node-${NODE_VERSION}/bin/node" "${TOOLS_BIN}/node"
}

installed_python_version() {
  "${TOOLS_VENV}/bin/python" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$1" 2>/dev/null || true
}

install_python_tools() {
  local missing=() name requirement
  for name in "$@"; do
    requirement="${python_tools[${name}]}"
    if [[ "$(installed_python_version "${name}")" == "${requirement#*==}" ]]; then
      say "${name} ${requirement#*==} is up to date"
    else
      missing+=("${requirement}")
    fi
  done
  if ((${#missing[@]} > 0)); then
    command -v python3 >/dev/null 2>&1 || die "python3 is not installed; install Python 3.9 or newer (Debian packages python3 python3-venv) and re-run"
    if [[ ! -x "${TOOLS_VENV}/bin/python" ]]; then
      say "creating the Python venv ${TOOLS_VENV#"${repo_root}/"}"
      python3 -m venv "${TOOLS_VENV}" || die "python3 -m venv failed; install the venv module (Debian package python3-venv) and re-run"
    fi
    local start=${SECONDS}
    say "installing ${missing[*]} (pip)"
    "${TOOLS_VENV}/bin/python" -m pip install --quiet --disable-pip-version-check "${missing[@]}" ||
      die "pip install ${missing[*]} failed (see above); check the pins in tools/versions.env"
    say "installed ${missing[*]} in $((SECONDS - start))s"
  fi
  for name in "$@"; do
    ln -sfn "../venv/bin/${name}" "${TOOLS_BIN}/${name}"
  done
}

install_own_venv_tool() {
  local name="$1" requirement command
  read -r requirement command <<<"${own_venv_tools[${name}]}"
  local venv="${TOOLS_DIR}/${requirement/==/-}"
  # The marker is written last, so an interrupted install is redone rather than trusted.
  if [[ -f "${venv}/.installed" ]]; then
    say "${name} ${requirement#*==} is up to date"
  else
    command -v python3 >/dev/null 2>&1 || die "python3 is not installed; install Python 3.9 or newer (Debian packages python3 python3-venv) and re-run"
    local start=${SECONDS}
    say "installing ${requirement} (pip, into ${venv#"${repo_root}/"})"
    rm -rf "${venv}"
    python3 -m venv "${venv}" || die "python3 -m venv failed; install the venv module (Debian package python3-venv) and re-run"
    "${venv}/bin/python" -m pip install --quiet --disable-pip-version-check "${requirement}" ||
      die "pip install ${requirement} failed (see above); check the pin in tools/versions.env"
    touch "${venv}/.installed"
    say "installed ${requirement} in $((SECONDS - start))s"
  fi
  ln -sfn "../$(basename "${venv}")/bin/${command}" "${TOOLS_BIN}/${name}"
}

requested=("$@")
((${#requested[@]} > 0)) || requested=("${all_tools[@]}")
mkdir -p "${TOOLS_BIN}"
start=${SECONDS}
# One install at a time: Nx runs this as a dependency of several targets and projects, often in
# parallel; a second run waits, then finds the tools up to date.
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
  else
    die "unknown tool '${name}'; known tools: ${all_tools[*]}"
  fi
done
((${#wanted_python[@]} == 0)) || install_python_tools "${wanted_python[@]}"
say "toolchain ready in ${TOOLS_BIN#"${repo_root}/"} (${#requested[@]} tools, $((SECONDS - start))s)"

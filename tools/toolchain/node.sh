# shellcheck shell=bash
# Sourced by tools/toolchain/install.sh, never run: the Node release the images ship.

# The Node that the images ship (NODE_VERSION), so that tests, the bench and `make up` run the API
# on it: the official binary from its npm package (node-<platform>-<arch>). Only when the host's
# own node is another version; TOOLS_BIN comes first on PATH (tools/lib.sh, the Makefile).
install_node() {
  local host_path host_version versioned="${TOOLS_DIR}/node-${NODE_VERSION}"
  # PATH without the pinned tools, by real path: a copy of the checkout links .cache/tools to this
  # one's (tools/setup/scratch-copy.sh), and its own node must not pass for the host's.
  local pinned_bin dir
  pinned_bin="$(realpath -m "${TOOLS_BIN}")"
  host_path="$(tr ':' '\n' <<<"${PATH}" | while read -r dir; do
    [[ "$(realpath -m "${dir}")" == "${pinned_bin}" ]] || printf '%s\n' "${dir}"
  done | paste -sd:)"
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

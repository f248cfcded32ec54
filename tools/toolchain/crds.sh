# shellcheck shell=bash
# Sourced by tools/toolchain/install.sh, never run: the CustomResourceDefinitions the chart's
# optional objects (PodMonitor, ServiceMonitor, HTTPRoute) are checked against (charts/sidecar/scripts/validate.sh offline, and the
# cluster tests install them). Each is taken from its project's Go module at the pinned version:
# the module proxy serves it where GitHub release assets do not answer.
# shellcheck disable=SC2034 # the table here is read by install.sh

# name -> "go-module version file..." (files relative to the module's root).
declare -A crd_sets=(
  [prometheus-operator-crds]="github.com/prometheus-operator/prometheus-operator ${PROMETHEUS_OPERATOR_VERSION:?PROMETHEUS_OPERATOR_VERSION is missing from tools/versions.env} example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml"
  [gateway-api-crds]="sigs.k8s.io/gateway-api ${GATEWAY_API_VERSION:?GATEWAY_API_VERSION is missing from tools/versions.env} config/crd/standard/gateway.networking.k8s.io_httproutes.yaml"
)

# Into .cache/tools/crds/<name>-<version>/, with a <name> symlink, as the binaries are laid out.
install_crd_set() {
  local name="$1" module version files
  read -r module version files <<<"${crd_sets[${name}]}"
  local dir="${TOOLS_DIR}/crds/${name}-${version}"
  if [[ -d "${dir}" ]]; then
    say "${name} ${version} is up to date"
  else
    command -v go >/dev/null 2>&1 || die "go is not installed; install Go 1.24 or newer (https://go.dev/doc/install) and re-run"
    say "installing ${name} ${version} (from the Go module ${module}@${version})"
    local source_dir file
    source_dir="$(go mod download -json "${module}@${version}" | sed -nE 's/^\s*"Dir": "(.*)",?$/\1/p')"
    [[ -d "${source_dir}" ]] || die "go mod download ${module}@${version} failed; check the pin in tools/versions.env"
    mkdir -p "${dir}.partial"
    for file in ${files}; do
      cp "${source_dir}/${file}" "${dir}.partial/" || die "${module}@${version} has no ${file}"
    done
    mv "${dir}.partial" "${dir}"
  fi
  ln -sfn "$(basename "${dir}")" "${TOOLS_DIR}/crds/${name}"
}

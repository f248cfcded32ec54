# shellcheck shell=bash
# Sourced by tools/toolchain/install.sh, never run: files the tests need from other projects'
# releases, taken from each project's Go module at the pinned version (the module proxy serves it
# where GitHub release assets do not answer):
#   - the CustomResourceDefinitions the chart's optional objects (PodMonitor, ServiceMonitor,
#     HTTPRoute) are checked against: charts/sidecar/scripts/validate.sh offline, and the cluster
#     tests install them;
#   - metrics-server's own Helm chart, which the cluster tests install for the HPA step
#     (tools/deploy/src/metrics-server.ts), as a user would from its chart repository.
# shellcheck disable=SC2034 # the table here is read by install.sh

# name -> "kind go-module version path..." (paths relative to the module's root, files or
# directories). Each lands in .cache/tools/<kind>/<name>-<version>/, with a <name> symlink, as the
# binaries are laid out.
declare -A module_files=(
  [prometheus-operator-crds]="crds github.com/prometheus-operator/prometheus-operator ${PROMETHEUS_OPERATOR_VERSION:?PROMETHEUS_OPERATOR_VERSION is missing from tools/versions.env} example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml"
  [gateway-api-crds]="crds sigs.k8s.io/gateway-api ${GATEWAY_API_VERSION:?GATEWAY_API_VERSION is missing from tools/versions.env} config/crd/standard/gateway.networking.k8s.io_httproutes.yaml"
  # The chart of the metrics-server release whose image tools/versions.env pins (module tag = image tag).
  [metrics-server-chart]="charts sigs.k8s.io/metrics-server ${METRICS_SERVER_VERSION:?METRICS_SERVER_VERSION is missing from tools/versions.env} charts/metrics-server"
)

install_module_files() {
  local name="$1" kind module version paths
  read -r kind module version paths <<<"${module_files[${name}]}"
  local dir="${TOOLS_DIR}/${kind}/${name}-${version}"
  if [[ -d "${dir}" ]]; then
    say "${name} ${version} is up to date"
  else
    command -v go >/dev/null 2>&1 || die "go is not installed; install Go 1.24 or newer (https://go.dev/doc/install) and re-run"
    say "installing ${name} ${version} (from the Go module ${module}@${version})"
    local source_dir path
    source_dir="$(go mod download -json "${module}@${version}" | sed -nE 's/^\s*"Dir": "(.*)",?$/\1/p')"
    [[ -d "${source_dir}" ]] || die "go mod download ${module}@${version} failed; check the pin in tools/versions.env"
    mkdir -p "${dir}.partial"
    for path in ${paths}; do
      cp -R "${source_dir}/${path}" "${dir}.partial/" || die "${module}@${version} has no ${path}"
    done
    # The module cache is read-only; the copy is ours.
    chmod -R u+w "${dir}.partial"
    mv "${dir}.partial" "${dir}"
  fi
  ln -sfn "$(basename "${dir}")" "${TOOLS_DIR}/${kind}/${name}"
}

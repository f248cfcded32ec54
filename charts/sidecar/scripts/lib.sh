# shellcheck shell=bash
# Shared by the chart's scripts: the project's shell library, the pinned toolchain on PATH, where the chart is, and its ci values
# files. Sourced, never run.
# shellcheck disable=SC2034 # the variables here are read by the scripts that source this file

# shellcheck source=tools/toolchain/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../../tools/toolchain/lib.sh"

chart_dir="${repo_root}/charts/sidecar"
# Relative to the repository, as the tools print them.
chart_path="charts/sidecar"
# Every scenario the chart is checked in: the values files that ct also installs in CI.
mapfile -t ci_values < <(cd "${repo_root}" && ls "${chart_path}"/ci/*-values.yaml)
((${#ci_values[@]} > 0)) || die "no ci/*-values.yaml in ${chart_path}"

# Renders the chart for one values file, tests included, as `helm install` would apply it.
render() {
  helm template sidecar "${chart_path}" --namespace sidecar --values "$1"
}

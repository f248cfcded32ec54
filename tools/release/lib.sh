# shellcheck shell=bash
# Shared by the scripts in tools/release: what a release is called and where its pieces live.
# Sourced, never run.
# shellcheck disable=SC2034 # the variables here are read by the scripts that source this file

# shellcheck source=tools/registry/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../registry/lib.sh"

# Where make release publishes: the local registry by default (make registry-up). Images go to
# <RELEASE_REGISTRY>/sidecar-api and /sidecar-nginx, the chart to oci://<RELEASE_CHART_REGISTRY>/charts
# under its name in Chart.yaml.
# The chart's registry is the same one under its numeric address, as Helm's OCI guide writes it;
# kind's containerd knows the images' name (localhost:<port>, tools/kind/create-cluster.sh).
RELEASE_REGISTRY="${RELEASE_REGISTRY:-${REGISTRY_HOST}}"
RELEASE_CHART_REGISTRY="${RELEASE_CHART_REGISTRY:-127.0.0.1:${REGISTRY_PORT}}"
# What make release leaves behind: SBOMs, the chart and its provenance, release.env.
RELEASE_DIR="${repo_root}/dist/release"
# The local signing keys (keys.sh), made once per checkout, for this machine only.
RELEASE_KEYS="${repo_root}/.cache/release/keys"
# Who the local OpenPGP key says signed the chart (keys.sh); HELM_SIGNING_KEY names your own.
RELEASE_SIGNER="sidecar release (local key) <release@sidecar.invalid>"
# cosign without Sigstore's public services: the key pair signs, nothing goes to a transparency
# log, and no signing config or trust root is fetched (this machine has no network; a signature
# made with a key you hold needs none). The GitHub workflow signs keyless instead (release.yml).
COSIGN_OFFLINE_SIGN=(--yes --tlog-upload=false --use-signing-config=false)
COSIGN_OFFLINE_VERIFY=(--insecure-ignore-tlog=true)

# require_release_tools TOOL...: make setup-release installs syft and cosign (Go builds of
# minutes that nothing else needs), make setup the rest.
require_release_tools() {
  local tool
  for tool in "$@"; do
    [[ -x "${TOOLS_BIN}/${tool}" ]] || die "${tool} is missing from ${TOOLS_BIN#"${repo_root}/"}: run make setup-release"
  done
}

# The one version: package.json, Chart.yaml's version and appVersion. Prints it; stops when they differ.
release_version() {
  local version chart_version app_version
  version="$(project_version)"
  chart_version="$(sed -nE 's/^version:[[:space:]]*'"'"'?([^'"'"' ]+)'"'"'?.*$/\1/p' "${repo_root}/charts/sidecar/Chart.yaml")"
  app_version="$(sed -nE 's/^appVersion:[[:space:]]*'"'"'?([^'"'"' ]+)'"'"'?.*$/\1/p' "${repo_root}/charts/sidecar/Chart.yaml")"
  if [[ "${chart_version}" != "${version}" || "${app_version}" != "${version}" ]]; then
    die "one version for the release: package.json says ${version}, charts/sidecar/Chart.yaml version ${chart_version:-?} and appVersion ${app_version:-?}; set all three alike"
  fi
  echo "${version}"
}

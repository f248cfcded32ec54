#!/usr/bin/env bash
# Validates every object the chart renders, for each ci values file, against the Kubernetes API
# schemas of every release from the chart's kubeVersion floor to the newest that
# kubernetes-validate ships, and its custom resources (PodMonitor, ServiceMonitor, HTTPRoute) against the
# CRDs that make setup keeps in .cache/tools/crds (tools/toolchain/module-files.sh). No network.
set -euo pipefail
# shellcheck source=charts/sidecar/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools helm kubernetes-validate
cd "${repo_root}"

# Chart.yaml says `kubeVersion: '>=1.30.0-0'` (either quote): the floor is its minor release.
floor_minor="$(sed -nE 's/^kubeVersion: *["'\'']?>=1\.([0-9]+).*/\1/p' "${chart_path}/Chart.yaml")"
[[ -n "${floor_minor}" ]] || die "cannot read the kubeVersion floor (>=1.N) from ${chart_path}/Chart.yaml"
# kubernetes-validate ships one schema folder per release, named like v1.33.0-local (plus a
# -strict twin that --strict picks by itself).
schemas=("${TOOLS_VENV}"/lib/python*/site-packages/kubernetes_validate/kubernetes-json-schema)
mapfile -t versions < <(find "${schemas[0]}" -mindepth 1 -maxdepth 1 -printf '%f\n' |
  sed -nE 's/^v(1\.([0-9]+)\.[0-9]+)-local$/\2 \1/p' | awk -v floor="${floor_minor}" '$1 >= floor { print $2 }' | sort -V)
((${#versions[@]} > 0)) || die "kubernetes-validate ships no schemas for Kubernetes >= 1.${floor_minor}; bump KUBERNETES_VALIDATE_VERSION"

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
manifests=()
for values in "${ci_values[@]}"; do
  manifests+=("${work}/$(basename "${values}" .yaml).yaml")
  render "${values}" >"${manifests[-1]}"
done
for version in "${versions[@]}"; do
  # --strict: a field the schema does not know is an error, not a warning. One run per release
  # checks every render (loading the schemas is what takes the time).
  kubernetes-validate --quiet --no-warn --strict --kubernetes-version "${version}" "${manifests[@]}" ||
    die "a render does not validate against Kubernetes ${version} (see above)"
  say "Kubernetes ${version}: every object of ${#manifests[@]} renders is valid"
done
# kubernetes-validate passes kinds it does not know (--no-warn: without a word): those are checked here.
crd_args=()
for crds in "${TOOLS_DIR}"/crds/{prometheus-operator,gateway-api}-crds; do
  [[ -d "${crds}" ]] || die "${crds#"${repo_root}/"} is missing: run make setup"
  crd_args+=(--crds "${crds}")
done
"${TOOLS_VENV}/bin/python" "${chart_dir}/scripts/validate-custom-resources.py" "${crd_args[@]}" "${manifests[@]}" ||
  die "a custom resource does not validate against its CRD (see above)"
say "validated ${#ci_values[@]} values files x ${#versions[@]} Kubernetes releases (${versions[0]} to ${versions[-1]}), offline"

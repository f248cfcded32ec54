#!/usr/bin/env bash
# make setup: everything the tests, `make up` and `make deploy` need, installed or started once.
# The only script that installs or starts anything; idempotent (a second run takes seconds).
#   1. the machine's tools (tools/setup/doctor.sh lists them). Where some are missing and the
#      optional folder tools/workarounds is here, it installs them (apt) and starts a Docker
#      engine; without it, setup stops and names what to install.
#   2. the pinned toolchain into .cache/tools: the Node the images ship (when the host runs
#      another), helm, ct, kind, vegeta, ...; then the npm packages, on that Node.
#   3. the images: both Dockerfiles' bases, the chart's metrics exporter, the backends the
#      tests run (Prometheus, Jaeger) and the local registry's: present, or pulled; where no registry answers, tools/workarounds
#      builds stand-ins under names of their own.
#   4. with --release (make release) or --kind: the tools only a release runs (syft, cosign).
#   5. with --kind (make deploy, make cluster-tests, which release first): kind's node image,
#      which kind pulls itself (tools/kind/create-cluster.sh --check), and the image only the
#      cluster tests run (metrics-server); where they cannot be pulled, tools/workarounds builds them.
set -euo pipefail
# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "${repo_root}"
workarounds="${repo_root}/tools/workarounds/setup.sh"
started="$(now_ms)"
case "${1:-}" in
  "") steps=3 ;;
  --release) steps=4 ;;
  --kind) steps=5 ;;
  *) die "usage: tools/setup/setup.sh [--release | --kind]" ;;
esac

say "1/${steps} the machine's tools"
mapfile -t missing < <("${repo_root}/tools/setup/doctor.sh" --missing)
if ((${#missing[@]})) && [[ -x "${workarounds}" ]]; then
  say "missing: ${missing[*]}; tools/workarounds installs them"
  "${workarounds}" "${missing[@]}"
fi
"${repo_root}/tools/setup/doctor.sh"

say "2/${steps} the pinned toolchain (Node ${NODE_VERSION} among it) and the npm packages"
"${repo_root}/tools/toolchain/install.sh"
# npm ci only when the lockfile changed since the last install: its hash, stored after a good one.
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ "$(cat node_modules/.installed-lock-sha256 2>/dev/null)" != "${lock_hash}" ]]; then
  npm ci --no-audit --no-fund
  echo "${lock_hash}" >node_modules/.installed-lock-sha256
else
  say "node_modules is up to date with package-lock.json"
fi

say "3/${steps} the images"
# The official names: tools/lib.sh may have put a stand-in's name in their place.
# shellcheck source=tools/versions.env
source "${repo_root}/tools/versions.env"
# pull_or_workaround WORKAROUND IMAGE...: each IMAGE present or pulled; where one cannot be
# pulled, tools/workarounds is asked for WORKAROUND (stand-ins), or setup stops and says why.
pull_or_workaround() {
  local workaround="$1" image standin unpullable=()
  shift
  for image in "$@"; do
    # An image under the official name that tools/workarounds built (an older version of it did)
    # is not the official image: treat it as absent.
    standin="$(docker image inspect --format '{{index .Config.Labels "sidecar.offline-standin"}}' "${image}" 2>/dev/null || true)"
    if docker image inspect "${image}" >/dev/null 2>&1 && [[ "${standin}" != true ]]; then
      say "${image} is in the engine"
    elif say "pulling ${image}" && docker pull --quiet "${image}"; then
      :
    else
      unpullable+=("${image}")
    fi
  done
  if ((${#unpullable[@]})); then
    [[ -x "${workarounds}" ]] ||
      die "could not pull ${unpullable[*]} (see above): check the network and the registry's credentials, then re-run make setup"
    "${workarounds}" "${workaround}"
  fi
}
pull_or_workaround base-images "${NODE_IMAGE}" "${NGINX_IMAGE}" "${NGINX_EXPORTER_IMAGE}" "${PROMETHEUS_IMAGE}" "${JAEGER_IMAGE}" "${REGISTRY_IMAGE}"
if ((steps >= 4)); then
  say "4/${steps} the release tools"
  # Go builds of minutes each that only make release runs (tools/toolchain/install.sh leaves them out).
  "${repo_root}/tools/toolchain/install.sh" syft cosign
fi
if ((steps == 5)); then
  say "5/5 kind's node image and the cluster tests' metrics-server"
  pull_or_workaround cluster-images "${METRICS_SERVER_IMAGE}"
  if ! "${repo_root}/tools/kind/create-cluster.sh" --check; then
    [[ -x "${workarounds}" ]] ||
      die "kind cannot have its node image ${KIND_NODE_IMAGE} (see above): connect to a network that reaches its registry, then re-run"
    "${workarounds}" kind-node-image
  fi
fi
say "ready in $((($(now_ms) - started) / 1000)) s"

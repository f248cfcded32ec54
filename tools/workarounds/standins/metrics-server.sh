#!/usr/bin/env bash
# Builds an offline stand-in for the official metrics-server image, named for what it is:
# offline-standin/metrics-server:<version>. metrics-server's own binary, built from its Go module
# (sigs.k8s.io/metrics-server/cmd/metrics-server, whose tags are the image's tags), laid out as
# the official image is: /metrics-server as the entrypoint, user 65534. The official image is
# distroless; this one is the cached bookworm rootfs, which the binary does not use.
# Usage: metrics-server.sh OFFICIAL_IMAGE (METRICS_SERVER_IMAGE of tools/versions.env); prints the
# stand-in's name. Everything else it prints goes to stderr.
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec 3>&1 1>&2

official="${1:?usage: metrics-server.sh OFFICIAL_IMAGE (for example registry.k8s.io/metrics-server/metrics-server:v0.9.0)}"
tag="${official##*:}"
binary="$(go_build_once metrics-server sigs.k8s.io/metrics-server/cmd/metrics-server "${tag}")"

work="$(mktemp -d "${cache_dir}/metrics-server-standin.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
root="${work}/rootfs"
standin_unpack "${root}"
install -D -m 0755 "${binary}" "${root}/metrics-server"

image="offline-standin/metrics-server:${tag}"
say "importing ${image}"
import_standin "${root}" "${image}" "${here}/metrics-server/Dockerfile" \
  --build-arg "STANDIN_FOR=${official}" \
  --build-arg "STANDIN_CONTENTS=debootstrap bookworm minbase, metrics-server built from sigs.k8s.io/metrics-server/cmd/metrics-server@${tag}"
say "smoke test: $(docker run --rm --network none "${image}" --version 2>&1 | head -n 1)"
echo "${image}" >&3

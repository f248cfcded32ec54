#!/usr/bin/env bash
# Builds an offline stand-in for the official prom/prometheus image, named for what it is:
# offline-standin/prometheus:v<Debian's prometheus version>. The cached bookworm rootfs with
# Debian's prometheus (prometheus and promtool), laid out as the official image is: /bin/prometheus
# and /bin/promtool, /etc/prometheus/prometheus.yml, data in /prometheus, user nobody.
# https://github.com/prometheus/prometheus/blob/main/Dockerfile
# Known difference: Prometheus is Debian bookworm's (2.42), not the tag's version; its HTTP API
# (/api/v1/query, /api/v1/targets), which the tests use, is the same.
# Usage: prometheus.sh OFFICIAL_IMAGE (PROMETHEUS_IMAGE of tools/versions.env); prints the
# stand-in's name. Everything else it prints goes to stderr.
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec 3>&1 1>&2

official="${1:?usage: prometheus.sh OFFICIAL_IMAGE (for example prom/prometheus:v3.5.0)}"
work="$(mktemp -d "${cache_dir}/prometheus-standin.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
root="${work}/rootfs"
standin_unpack "${root}"
standin_apt_install "${root}" prometheus
version="$(package_version "${root}" prometheus)"
mkdir -p "${root}/prometheus"
chown -R 65534:65534 "${root}/prometheus" "${root}/etc/prometheus"

image="offline-standin/prometheus:v${version%%+*}"
say "importing ${image}"
import_standin "${root}" "${image}" "${here}/prometheus/Dockerfile" \
  --build-arg "STANDIN_FOR=${official}" \
  --build-arg "STANDIN_CONTENTS=debootstrap bookworm minbase, Debian prometheus ${version}"
say "smoke test: $(docker run --rm --network none --entrypoint /bin/promtool "${image}" --version 2>&1 | head -n 1)"
echo "${image}" >&3

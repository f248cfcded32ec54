#!/usr/bin/env bash
# Builds an offline stand-in for the official jaegertracing/jaeger image, named for what it is:
# offline-standin/jaeger:<version>. Jaeger's own binary, built from its Go module
# (github.com/jaegertracing/jaeger/cmd/jaeger), in the cached bookworm rootfs, laid out as the
# official image is: /cmd/jaeger/jaeger-linux as the entrypoint, user 10001,
# JAEGER_LISTEN_HOST=0.0.0.0. https://github.com/jaegertracing/jaeger/blob/main/cmd/jaeger/Dockerfile
# Known difference: the Go module holds no build of the web UI, so the UI page says so; the query
# API, which the tests use, is the same.
# Usage: jaeger.sh OFFICIAL_IMAGE (JAEGER_IMAGE of tools/versions.env); prints the stand-in's name.
# Everything else it prints goes to stderr.
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec 3>&1 1>&2

official="${1:?usage: jaeger.sh OFFICIAL_IMAGE (for example jaegertracing/jaeger:2.13.0)}"
version="${official##*:}"
# Jaeger tags each release twice, v1.x for its Go module and v2.x for the images (its CHANGELOG
# heads each release "v1.76.0 / v2.13.0").
declare -A module_tag=([2.13.0]=v1.76.0)
tag="${module_tag[${version}]:-}"
[[ -n "${tag}" ]] || die "no Go module tag known for Jaeger ${version}: add it to module_tag in $0 (Jaeger's CHANGELOG pairs them)"
binary="$(go_build_once jaeger github.com/jaegertracing/jaeger/cmd/jaeger "${tag}")"

work="$(mktemp -d "${cache_dir}/jaeger-standin.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
root="${work}/rootfs"
standin_unpack "${root}"
install -D -m 0755 "${binary}" "${root}/cmd/jaeger/jaeger-linux"

image="offline-standin/jaeger:${version}"
say "importing ${image}"
import_standin "${root}" "${image}" "${here}/jaeger/Dockerfile" \
  --build-arg "STANDIN_FOR=${official}" \
  --build-arg "STANDIN_CONTENTS=debootstrap bookworm minbase, Jaeger built from github.com/jaegertracing/jaeger/cmd/jaeger@${tag}"
say "smoke test: $(docker run --rm --network none "${image}" version 2>&1 | head -n 1)"
echo "${image}" >&3

#!/usr/bin/env bash
# Builds an offline stand-in for the official registry image (the CNCF distribution registry),
# named for what it is: offline-standin/registry:<Debian's docker-registry version>. The cached
# bookworm rootfs with Debian's docker-registry, laid out as the official image is: `registry` on
# the PATH, its configuration at /etc/distribution/config.yml, storage in /var/lib/registry, and
# the official entrypoint's behaviour (a .yml argument means `registry serve` it).
# https://github.com/distribution/distribution-library-image
# Known difference: the registry is Debian bookworm's distribution 2.8, not the tag's 3.x; both
# serve the OCI distribution API that docker, helm, cosign and containerd use here. 2.8 has no
# referrers API, so cosign stores signatures and attestations under its tag scheme (sha256-<digest>.sig).
# Usage: registry.sh OFFICIAL_IMAGE (REGISTRY_IMAGE of tools/versions.env); prints the stand-in's
# name. Everything else it prints goes to stderr.
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec 3>&1 1>&2

official="${1:?usage: registry.sh OFFICIAL_IMAGE (for example registry:3.0.0)}"
work="$(mktemp -d "${cache_dir}/registry-standin.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
root="${work}/rootfs"
standin_unpack "${root}"
standin_apt_install "${root}" docker-registry
version="$(package_version "${root}" docker-registry)"
ln -s /usr/bin/docker-registry "${root}/usr/local/bin/registry"
install -D -m 0644 "${here}/registry/config.yml" "${root}/etc/distribution/config.yml"
install -D -m 0755 "${here}/registry/docker-entrypoint.sh" "${root}/entrypoint.sh"
mkdir -p "${root}/var/lib/registry"

image="offline-standin/registry:${version%%+*}"
say "importing ${image}"
import_standin "${root}" "${image}" "${here}/registry/Dockerfile" \
  --build-arg "STANDIN_FOR=${official}" \
  --build-arg "STANDIN_CONTENTS=debootstrap bookworm minbase, Debian docker-registry ${version}"
say "smoke test: $(docker run --rm --network none --entrypoint registry "${image}" --version 2>&1 | head -n 1)"
echo "${image}" >&3

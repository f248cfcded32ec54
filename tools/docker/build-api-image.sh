#!/usr/bin/env bash
# Builds the API image sidecar-api:<root package.json version> from apps/api/Dockerfile with the
# repository root as context, passing the pinned base image and port (tools/versions.env,
# tools/ports.env). Two settings come from the environment when a machine needs them (on the
# build machines tools/workarounds records both): DOCKER_BUILD_NETWORK, the network of the
# build's steps, and EXTRA_CA_CERTS_FILE, PEM certificates npm must trust behind a TLS-inspecting
# proxy. Ends with tools/docker/image-report.sh, so a build that breaks the image rules fails.
set -euo pipefail
# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

image="${API_IMAGE_NAME:-sidecar-api}:$(project_version)"
build_args=(--build-arg "NODE_IMAGE=${NODE_IMAGE}" --build-arg "API_PORT=${API_PORT}")
if [[ -n "${EXTRA_CA_CERTS_FILE:-}" ]]; then
  build_args+=(--build-arg "EXTRA_CA_CERTS=$(cat "${EXTRA_CA_CERTS_FILE}")")
  say "npm in the build trusts the certificates in ${EXTRA_CA_CERTS_FILE#"${repo_root}/"}"
fi

say "docker build ${image} (apps/api/Dockerfile, FROM ${NODE_IMAGE})"
start="$(now_ms)"
docker build ${DOCKER_BUILD_NETWORK:+--network "${DOCKER_BUILD_NETWORK}"} \
  --file "${repo_root}/apps/api/Dockerfile" "${build_args[@]}" --tag "${image}" "${repo_root}"
say "built ${image} in $((($(now_ms) - start) / 1000)) s ($(docker image inspect --format '{{.Size}}' "${image}" | numfmt --to=si)B)"
# The image's rules (non-root, no devDependencies) are checked on every build, not only in CI.
"${repo_root}/tools/docker/image-report.sh" "${image}"

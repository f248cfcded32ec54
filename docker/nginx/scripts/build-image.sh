#!/usr/bin/env bash
# Builds the NGINX sidecar image sidecar-nginx:<root package.json version> from
# docker/nginx/Dockerfile, passing the pinned base image and the ports (tools/versions.env,
# tools/ports.env). DOCKER_BUILD_NETWORK, when a machine needs it, is the network of the build's
# steps (the build fetches nothing). Ends with tools/docker/image-report.sh.
set -euo pipefail
# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../../tools/lib.sh"

image="${NGINX_IMAGE_NAME:-sidecar-nginx}:$(project_version)"
say "docker build ${image} (docker/nginx/Dockerfile, FROM ${NGINX_IMAGE})"
start="$(now_ms)"
docker build ${DOCKER_BUILD_NETWORK:+--network "${DOCKER_BUILD_NETWORK}"} \
  --build-arg "NGINX_IMAGE=${NGINX_IMAGE}" \
  --build-arg "NGINX_PORT=${NGINX_PORT}" \
  --build-arg "API_PORT=${API_PORT}" \
  --tag "${image}" \
  "${repo_root}/docker/nginx"
say "built ${image} in $((($(now_ms) - start) / 1000)) s"
"${repo_root}/tools/docker/image-report.sh" "${image}"

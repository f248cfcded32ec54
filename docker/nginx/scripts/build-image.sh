#!/usr/bin/env bash
# Builds the NGINX sidecar image sidecar-nginx:<root package.json version> from
# docker/nginx/Dockerfile, passing the pinned base image and the ports (tools/versions.env,
# tools/ports.env). `--network host`: the build machines have loopback networking only; the build
# itself fetches nothing. Usage: build-image.sh
set -euo pipefail
# shellcheck source=docker/nginx/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/ports.env
source "${repo_root}/tools/ports.env"

docker info >/dev/null 2>&1 || die "no Docker engine answers: run tools/docker/ensure-engine.sh first"
docker image inspect "${NGINX_IMAGE}" >/dev/null 2>&1 \
  || die "base image ${NGINX_IMAGE} is not in the engine: run tools/docker/base-images.sh first"

version="$(node -p "require('${repo_root}/package.json').version")"
image="${NGINX_IMAGE_NAME:-sidecar-nginx}:${version}"
say "docker build ${image} (docker/nginx/Dockerfile, FROM ${NGINX_IMAGE})"
start="${SECONDS}"
docker build --network host \
  --build-arg "NGINX_IMAGE=${NGINX_IMAGE}" \
  --build-arg "NGINX_PORT=${NGINX_PORT}" \
  --build-arg "API_PORT=${API_PORT}" \
  --tag "${image}" \
  "${repo_root}/docker/nginx"
say "built ${image} in $((SECONDS - start)) s"
"${repo_root}/tools/docker/image-report.sh" "${image}" "${NGINX_IMAGE}"

#!/usr/bin/env bash
# Builds the API image sidecar-api:<root package.json version> from apps/api/Dockerfile with the
# repository root as context, passing the pinned base image and port (tools/versions.env,
# tools/ports.env) and the machine's local CA certificates (for npm behind a TLS-inspecting proxy;
# EXTRA_CA_CERTS_DIR, default /usr/local/share/ca-certificates, as Debian's update-ca-certificates
# uses). `--network host`: the build machines have loopback networking only. Ends with
# tools/docker/image-report.sh, so a build that breaks the image rules fails.
set -euo pipefail
# shellcheck source=tools/docker/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/ports.env
source "${repo_root}/tools/ports.env"

version="$(node -p "require('${repo_root}/package.json').version")"
image="${API_IMAGE_NAME:-sidecar-api}:${version}"
ca_dir="${EXTRA_CA_CERTS_DIR:-/usr/local/share/ca-certificates}"

docker image inspect "${NODE_IMAGE}" >/dev/null 2>&1 \
  || die "base image ${NODE_IMAGE} is not in the engine: run tools/docker/base-images.sh first"

extra_ca_certs=""
shopt -s nullglob
ca_files=("${ca_dir}"/*.crt)
shopt -u nullglob
if ((${#ca_files[@]})); then
  extra_ca_certs="$(cat "${ca_files[@]}")"
  say "passing ${#ca_files[@]} local CA certificate file(s) from ${ca_dir} to npm in the build"
fi

say "docker build ${image} (apps/api/Dockerfile, FROM ${NODE_IMAGE})"
start="$(now_ms)"
docker build --network host \
  --file "${repo_root}/apps/api/Dockerfile" \
  --build-arg "NODE_IMAGE=${NODE_IMAGE}" \
  --build-arg "API_PORT=${API_PORT}" \
  --build-arg "EXTRA_CA_CERTS=${extra_ca_certs}" \
  --tag "${image}" \
  "${repo_root}"
say "built ${image} in $((($(now_ms) - start) / 1000)) s ($(docker image inspect --format '{{.Size}}' "${image}" | numfmt --to=si)B)"
# The image's rules (non-root, no devDependencies) are checked on every build, not only in CI.
"${repo_root}/tools/docker/image-report.sh" "${image}" "${NODE_IMAGE}"

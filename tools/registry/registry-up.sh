#!/usr/bin/env bash
# make registry-up: the CNCF distribution registry (REGISTRY_IMAGE) in a container named
# sidecar-registry, on 127.0.0.1:REGISTRY_PORT (tools/ports.env) only, its storage in
# .cache/registry. Idempotent: a running registry is left as it is, a stopped one started.
# Plain HTTP on loopback, which docker, helm (--plain-http) and cosign accept for localhost.
# https://distribution.github.io/distribution/about/deploying/
set -euo pipefail
# shellcheck source=tools/registry/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v docker >/dev/null 2>&1 || die "docker is not installed: install Docker (https://docs.docker.com/engine/install/)"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer: start it (make setup starts one where tools/workarounds can)"

if registry_running; then
  say "the registry is up: ${REGISTRY_HOST} (container ${REGISTRY_NAME})"
  exit 0
fi
if docker container inspect "${REGISTRY_NAME}" >/dev/null 2>&1; then
  say "starting the stopped registry container ${REGISTRY_NAME}"
  docker start "${REGISTRY_NAME}" >/dev/null
else
  # ss names the listening process when it may see it (-p): users:(("nginx",pid=...)).
  listening="$(ss -Htlnp "sport = :${REGISTRY_PORT}" 2>/dev/null || true)"
  if [[ -n "${listening}" ]]; then
    holder=""
    if [[ "${listening}" =~ users:\(\(\"([^\"]+)\" ]]; then holder="${BASH_REMATCH[1]}"; fi
    die "port ${REGISTRY_PORT} is taken${holder:+ by ${holder}}: stop it, or set REGISTRY_PORT in tools/ports.env to a free port (a kind cluster made before then must be recreated: make kind-delete)"
  fi
  docker image inspect "${REGISTRY_IMAGE}" >/dev/null 2>&1 || die "the image ${REGISTRY_IMAGE} is missing: run make setup"
  docker network inspect "${REGISTRY_NETWORK}" >/dev/null 2>&1 ||
    docker network create "${REGISTRY_NETWORK}" >/dev/null
  mkdir -p "${REGISTRY_STORAGE}"
  say "starting ${REGISTRY_IMAGE} as ${REGISTRY_NAME} on 127.0.0.1:${REGISTRY_PORT}, storage in ${REGISTRY_STORAGE#"${repo_root}/"}"
  docker run --detach --restart=always --name "${REGISTRY_NAME}" --network "${REGISTRY_NETWORK}" \
    --publish "127.0.0.1:${REGISTRY_PORT}:5000" \
    --volume "${REGISTRY_STORAGE}:/var/lib/registry" \
    --env REGISTRY_STORAGE_DELETE_ENABLED=true \
    "${REGISTRY_IMAGE}" >/dev/null
fi
for _ in $(seq 1 100); do
  if curl --silent --fail --max-time 2 "http://127.0.0.1:${REGISTRY_PORT}/v2/" >/dev/null; then
    say "the registry is up: ${REGISTRY_HOST} (container ${REGISTRY_NAME})"
    exit 0
  fi
  sleep 0.2
done
docker logs --tail 20 "${REGISTRY_NAME}" >&2 || true
die "the registry did not answer http://127.0.0.1:${REGISTRY_PORT}/v2/ within 20 s (its log above)"

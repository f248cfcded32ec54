#!/usr/bin/env bash
# Runs the built sidecar-nginx image as the Pod runs it (uid 10101, read-only root filesystem, a
# tmpfs on /tmp) on a free port of 127.0.0.1, with no API behind it, and checks
# what NGINX answers alone: /healthz, the static site, a problem+json 502 for the API's routes,
# that the rendered config takes defaults.env's values unless the environment sets one, and a
# clean exit on `docker stop` (SIGQUIT). Usage: smoke-image.sh
set -euo pipefail
# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../../tools/lib.sh"
# shellcheck source=docker/nginx/defaults.env
source "${repo_root}/docker/nginx/defaults.env"

image="${NGINX_IMAGE_NAME:-sidecar-nginx}:$(project_version)"
docker image inspect "${image}" >/dev/null 2>&1 || die "${image} is not built: run docker/nginx/scripts/build-image.sh"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
nginx_port="$(free_port)"
api_port="$(free_port)"
name="sidecar-nginx-smoke-$$"
trap 'docker rm -f "${name}" >/dev/null 2>&1 || true' EXIT

# The port published on 127.0.0.1; an engine without a bridge network (tools/workarounds starts
# one so) has only the host's, where NGINX's default loopback address is the host's loopback.
if docker network inspect bridge >/dev/null 2>&1; then
  network=(--publish "127.0.0.1:${nginx_port}:${nginx_port}" --env NGINX_LISTEN_ADDRESS=0.0.0.0)
else
  network=(--network host)
fi
# One template variable set, so that the check below sees the environment win over defaults.env.
workers=1
say "docker run ${image} on 127.0.0.1:${nginx_port} (read-only, uid 10101, no API on ${api_port})"
docker run --detach --name "${name}" "${network[@]}" --user 10101:10101 --read-only --tmpfs /tmp \
  --env "NGINX_PORT=${nginx_port}" --env "API_PORT=${api_port}" \
  --env "NGINX_WORKER_PROCESSES=${workers}" "${image}" >/dev/null

url="http://127.0.0.1:${nginx_port}"
deadline=$((SECONDS + 20))
until curl --silent --fail --output /dev/null "${url}/healthz"; do
  ((SECONDS < deadline)) || { docker logs "${name}" >&2; die "${url}/healthz did not answer within 20 s (logs above)"; }
  sleep 0.2
done

# check NAME EXPECTED_STATUS EXPECTED_CONTENT_TYPE PATH
check() {
  local got
  got="$(curl --silent --output /dev/null --write-out '%{http_code} %{content_type}' "${url}$4")"
  [[ "${got}" == "$2 $3"* ]] || { docker logs "${name}" >&2; die "$1: GET $4 answered '${got}', expected '$2 $3'"; }
  say "ok: $1 (GET $4 -> ${got})"
}
check "health" 200 application/json /healthz
check "static site" 200 text/html /
check "API down" 502 application/problem+json /public/hello
check "not found" 404 application/problem+json /no-such-page

# rendered FILE TEXT: the config the entrypoint rendered into /tmp holds TEXT.
rendered() {
  docker exec "${name}" grep --quiet --fixed-strings "$2" "/tmp/$1" \
    || { docker logs "${name}" >&2; die "/tmp/$1 has no '$2'"; }
  say "ok: /tmp/$1 has '$2'"
}
rendered nginx.conf "worker_processes ${workers};"
rendered conf.d/sidecar.conf "rate=${NGINX_PUBLIC_RATE};"

docker stop "${name}" >/dev/null
code="$(docker inspect --format '{{.State.ExitCode}}' "${name}")"
[[ "${code}" == 0 ]] || { docker logs "${name}" >&2; die "nginx exited ${code} on docker stop, expected 0"; }
say "ok: graceful stop (exit 0); ${image} passed"

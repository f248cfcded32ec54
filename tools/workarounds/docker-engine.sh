#!/usr/bin/env bash
# Starts a Docker engine on a machine that has none running: installs docker.io with apt when
# dockerd is missing, starts dockerd in the background and waits for it with a deadline.
# Idempotent: when `docker info` already answers it only records the build network.
#
# Why these dockerd flags: the build machines have loopback networking only, so there is no
# bridge and no iptables to manage; image builds then use the host's network, which this script
# records as DOCKER_BUILD_NETWORK=host for the build scripts (tools/lib.sh reads it).
# https://docs.docker.com/reference/cli/dockerd/
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
log_file="${cache_dir}/dockerd.log"
start_timeout_s="${DOCKER_START_TIMEOUT_S:-60}"

engine_answers() { docker info >/dev/null 2>&1; }

# An engine without the default bridge cannot give a build step a network of its own.
record_build_network() {
  if docker network inspect bridge >/dev/null 2>&1; then
    forget DOCKER_BUILD_NETWORK
  else
    record DOCKER_BUILD_NETWORK host
    say "the engine has no bridge network: image builds use --network host"
  fi
}

if command -v docker >/dev/null 2>&1 && engine_answers; then
  say "engine already answers ($(docker version --format '{{.Server.Version}}'))"
  record_build_network
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  "${workarounds_dir}/apt-install.sh" docker.io
fi

mkdir -p "${cache_dir}"
if pgrep -x dockerd >/dev/null 2>&1; then
  say "dockerd is already running but not answering yet; waiting for it"
else
  [[ "$(id -u)" -eq 0 ]] || die "no engine answers and starting dockerd needs root: re-run as root, or start your Docker service"
  say "starting dockerd (log: ${log_file#"${repo_root}/"})"
  # setsid: the engine outlives this script and the shell that ran it.
  setsid dockerd --bridge=none --iptables=false --ip6tables=false >>"${log_file}" 2>&1 </dev/null &
fi

start="$(now_ms)"
deadline=$((SECONDS + start_timeout_s))
until engine_answers; do
  if ((SECONDS >= deadline)); then
    printf '[docker-engine] last lines of %s:\n' "${log_file}" >&2
    tail -n 30 "${log_file}" >&2 || true
    die "no answer from 'docker info' within ${start_timeout_s}s; read ${log_file} (raise DOCKER_START_TIMEOUT_S if the machine is slow)"
  fi
  sleep 0.2
done
say "engine answers after $(($(now_ms) - start)) ms ($(docker version --format '{{.Server.Version}}'), storage driver $(docker info --format '{{.Driver}}'))"
record_build_network

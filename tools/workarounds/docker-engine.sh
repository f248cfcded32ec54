#!/usr/bin/env bash
# Starts a Docker engine on a machine that has none running: installs docker.io with apt when
# dockerd is missing, starts dockerd in the background and waits for it with a deadline.
# Idempotent: when `docker info` already answers it only fits the host (below) and records the
# build network.
#
# Why these dockerd flags: the build machines have loopback networking only, so there is no
# bridge and no iptables to manage; image builds then use the host's network, which this script
# records as DOCKER_BUILD_NETWORK=host for the build scripts (tools/lib.sh reads it). Where root
# lacks CAP_SYS_RESOURCE, privileged containers (kind's nodes) need a runtime that does not ask
# for it: runc-without-sys-resource.sh becomes the default runtime, and an engine this script
# started earlier without it is restarted. On a cgroup v1 host, the controllers the host left
# unmounted are mounted first (kind's kubelet needs them).
# https://docs.docker.com/reference/cli/dockerd/
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
log_file="${cache_dir}/dockerd.log"
start_timeout_s="${DOCKER_START_TIMEOUT_S:-60}"

engine_answers() { docker info >/dev/null 2>&1; }

# A cgroup v1 host normally has every controller the kernel offers mounted under /sys/fs/cgroup
# (systemd does it at boot); these machines mount only some. A container sees only the mounted
# ones, while the kubelet in a kind node checks every controller the kernel lists in
# /proc/cgroups ("cgroup [kubelet] has some missing paths: /sys/fs/cgroup/hugetlb/kubelet.slice").
# So the missing ones are mounted here, as systemd would (net_cls and net_prio together).
mount_cgroup_v1_controllers() {
  host_is_cgroup_v1 || return 0
  [[ "$(id -u)" -eq 0 ]] || return 0
  local controller mounted
  mounted="$(awk '$9 == "cgroup" { print $NF }' /proc/self/mountinfo | tr ',' '\n')"
  while read -r controller; do
    grep -qx "${controller}" <<<"${mounted}" && continue
    case "${controller}" in
      net_cls | net_prio) controller=net_cls,net_prio ;;
    esac
    grep -qx "${controller%%,*}" <<<"${mounted}" && continue
    mkdir -p "/sys/fs/cgroup/${controller}"
    mount -t cgroup -o "${controller}" cgroup "/sys/fs/cgroup/${controller}"
    if [[ "${controller}" == net_cls,net_prio ]]; then
      ln -sfn net_cls,net_prio /sys/fs/cgroup/net_cls
      ln -sfn net_cls,net_prio /sys/fs/cgroup/net_prio
    fi
    mounted+=$'\n'"${controller//,/$'\n'}"
    say "mounted the cgroup v1 controller ${controller}, which this host had not"
  done < <(awk 'NR > 1 && $4 == 1 { print $1 }' /proc/cgroups)
}
mount_cgroup_v1_controllers

runtime_name=runc-without-sys-resource
# A copy outside the checkout: the engine outlives the clone that started it.
runtime_path="/usr/local/lib/sidecar-workarounds/${runtime_name}"
runtime_flags=()
if host_lacks_sys_resource; then
  runtime_flags=(--add-runtime "${runtime_name}=${runtime_path}" --default-runtime "${runtime_name}")
  if [[ "$(id -u)" -eq 0 ]] && ! cmp -s "${workarounds_dir}/${runtime_name}.sh" "${runtime_path}"; then
    install -D -m 0755 "${workarounds_dir}/${runtime_name}.sh" "${runtime_path}"
  fi
fi
engine_lacks_runtime() {
  ((${#runtime_flags[@]})) && [[ "$(docker info --format '{{.DefaultRuntime}}')" != "${runtime_name}" ]]
}

# An engine without the default bridge cannot give a build step a network of its own.
record_build_network() {
  if docker network inspect bridge >/dev/null 2>&1; then
    forget DOCKER_BUILD_NETWORK
  else
    record DOCKER_BUILD_NETWORK host
    say "the engine has no bridge network: image builds use --network host"
  fi
}

if command -v docker >/dev/null 2>&1 && engine_answers && engine_lacks_runtime && [[ -f "${log_file}" ]] &&
  pgrep -x dockerd >/dev/null 2>&1; then
  say "the engine this folder started lacks the runtime ${runtime_name}: restarting it"
  command -v jq >/dev/null 2>&1 || "${workarounds_dir}/apt-install.sh" jq
  pkill -x dockerd
  for _ in $(seq 1 150); do pgrep -x dockerd >/dev/null 2>&1 || break; sleep 0.2; done
fi

if command -v docker >/dev/null 2>&1 && engine_answers; then
  if engine_lacks_runtime; then
    say "WARNING: root lacks CAP_SYS_RESOURCE and this engine (not started by make setup) has no runtime that drops it: privileged containers, and so kind, fail; restart it with: dockerd ${runtime_flags[*]}"
  fi
  say "engine already answers ($(docker version --format '{{.Server.Version}}'))"
  record_build_network
  exit 0
fi

missing=()
command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 || missing+=(docker.io)
# The runtime wrapper edits the container's JSON with jq.
((${#runtime_flags[@]} == 0)) || command -v jq >/dev/null 2>&1 || missing+=(jq)
((${#missing[@]} == 0)) || "${workarounds_dir}/apt-install.sh" "${missing[@]}"

mkdir -p "${cache_dir}"
if pgrep -x dockerd >/dev/null 2>&1; then
  say "dockerd is already running but not answering yet; waiting for it"
else
  [[ "$(id -u)" -eq 0 ]] || die "no engine answers and starting dockerd needs root: re-run as root, or start your Docker service"
  say "starting dockerd (log: ${log_file#"${repo_root}/"})"
  # setsid: the engine outlives this script and the shell that ran it.
  setsid dockerd --bridge=none --iptables=false --ip6tables=false "${runtime_flags[@]}" >>"${log_file}" 2>&1 </dev/null &
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

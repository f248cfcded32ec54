#!/usr/bin/env bash
# Stops the local cluster and removes what up.sh created: processes, containers, mounts,
# network namespaces, the Pod bridge, kube-proxy's iptables rules, the sysctls it changed and
# the cluster state. Keeps the binaries, images, PKI and the logs of the last run. Safe to run
# when nothing is running.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[[ ${EUID} -eq 0 ]] || die "run as root (the cluster's mounts and network belong to root)"
hold_cluster_lock

# stop NAME: TERM, then KILL after a grace period, the component whose pid up.sh recorded.
stop() {
  local pid_file="${PID_DIR}/$1.pid" pid
  [[ -f "${pid_file}" ]] || return 0
  pid="$(cat "${pid_file}")"
  if kill -0 "${pid}" 2>/dev/null; then
    log "stopping $1 (pid ${pid})"
    kill -TERM "${pid}"
    wait_for "$1 stopped" 15 bash -c "! kill -0 ${pid}" || kill -KILL "${pid}" 2>/dev/null || true
  fi
  rm -f "${pid_file}"
}

# The kubelet goes first so that it restarts nothing; then every container and sandbox is killed
# through containerd, so that each shim unmounts its rootfs and exits.
for component in coredns kube-proxy kubelet kube-scheduler kube-controller-manager; do stop "${component}"; done
if [[ -S "${CONTAINERD_SOCKET}" ]] && cluster_ctr version >/dev/null 2>&1; then
  mapfile -t tasks < <(cluster_ctr tasks ls -q)
  if ((${#tasks[@]})); then
    log "killing ${#tasks[@]} containers"
    # --force kills the task and waits for it before deleting it.
    for task in "${tasks[@]}"; do cluster_ctr tasks delete --force "${task}" >/dev/null 2>&1 || true; done
  fi
fi
for component in containerd kube-apiserver etcd; do stop "${component}"; done

# Whatever is still mounted under the state directory, deepest first: Pod volumes, container
# root filesystems and the Pods' network namespaces (containerd.toml keeps them there).
mapfile -t mounts < <(awk -v prefix="${STATE_DIR}/" 'index($2, prefix) == 1 { print $2 }' /proc/self/mounts | sort -r)
for mount in "${mounts[@]}"; do
  if mountpoint -q "${mount}" 2>/dev/null; then
    log "unmounting ${mount}"
    umount -l "${mount}"
  fi
done

if ip link show "${POD_BRIDGE}" >/dev/null 2>&1; then
  log "deleting bridge ${POD_BRIDGE}"
  ip link delete "${POD_BRIDGE}"
fi
if [[ -x "${BIN_DIR}/kube-proxy" ]] && iptables -t nat -S KUBE-SERVICES >/dev/null 2>&1; then
  log "removing kube-proxy's iptables rules"
  "${BIN_DIR}/kube-proxy" --cleanup >"${LOG_DIR}/kube-proxy-cleanup.log" 2>&1 || true
fi
# The kubelet's own chains, which kube-proxy --cleanup leaves alone: the hint and canary chains
# it creates in both IP families and the KUBE-FIREWALL chain that guards 127.0.0.0/8.
for iptables in iptables ip6tables; do
  while "${iptables}" -t filter -D INPUT -j KUBE-FIREWALL 2>/dev/null; do :; done
  while "${iptables}" -t filter -D OUTPUT -j KUBE-FIREWALL 2>/dev/null; do :; done
  for table_chain in filter/KUBE-FIREWALL filter/KUBE-KUBELET-CANARY nat/KUBE-KUBELET-CANARY \
    mangle/KUBE-KUBELET-CANARY mangle/KUBE-IPTABLES-HINT; do
    if "${iptables}" -t "${table_chain%/*}" -F "${table_chain#*/}" 2>/dev/null; then
      "${iptables}" -t "${table_chain%/*}" -X "${table_chain#*/}"
    fi
  done
done

if [[ -f "${STATE_DIR}/sysctl.saved" ]]; then
  while IFS='=' read -r key value; do sysctl -qw "${key}=${value}"; done <"${STATE_DIR}/sysctl.saved"
fi

rm -rf "${STATE_DIR}"
rm -f "${KUBECONFIG_PATH}"
log "local cluster is down (logs of the last run: ${LOG_DIR})"

# Shared settings of the local-cluster scripts: where things live and which versions they are.
# Sourced by build.sh, up.sh, down.sh, load-image.sh and smoke.sh.
# shellcheck shell=bash disable=SC2034  # the variables are for the scripts that source this file

# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib.sh"
LOCAL_CLUSTER_DIR="${repo_root}/tools/workarounds/local-cluster"

CACHE_DIR="${repo_root}/.cache/local-cluster"
# Binaries per Kubernetes version, so a version bump builds anew next to the old set.
BIN_DIR="${CACHE_DIR}/bin/${KUBERNETES_VERSION}"
IMAGES_DIR="${CACHE_DIR}/images"
PKI_DIR="${CACHE_DIR}/pki"
# Everything a running cluster owns: state, sockets, logs. up.sh starts it afresh, down.sh
# removes the state and keeps the logs for a post-mortem.
RUN_DIR="${CACHE_DIR}/run"
STATE_DIR="${RUN_DIR}/state"
LOG_DIR="${RUN_DIR}/logs"
KUBECONFIG_PATH="${CACHE_DIR}/kubeconfig"

# Go's own module and build caches (~/go, ~/.cache/go-build), shared by every checkout on the
# machine as for any Go build: a fresh clone links the cluster's binaries instead of compiling them.
export GOFLAGS="-modcacherw"

# Progress goes to stderr: some scripts print a result on stdout.
log() { printf '[local-cluster] %s\n' "$*" >&2; }

# The images the cluster builds for itself (images/). containerd runs every Pod sandbox from
# PAUSE_IMAGE; smoke.sh deploys HELLO_IMAGE.
PAUSE_IMAGE="localhost/local-cluster/pause:${KUBERNETES_VERSION}"
HELLO_IMAGE="localhost/local-cluster/hello-server:${KUBERNETES_VERSION}"

# The cluster's addresses. Every server binds 127.0.0.1 except the kubelet, which serves the
# API server (logs, exec, port-forward) on the node address: the gateway of the Pod bridge, a
# Linux bridge that up.sh creates and that nothing outside this machine can reach. Pods get no
# default route, only routes to the Pod and Service ranges, and no NAT: nothing leaves.
NODE_NAME="local-cluster"
POD_BRIDGE="lcbr0"
POD_CIDR="10.244.0.0/24"
NODE_IP="10.244.0.1"
SERVICE_CIDR="10.96.0.0/16"
# The first address of SERVICE_CIDR, which the API server gives the `kubernetes` Service.
KUBERNETES_SERVICE_IP="10.96.0.1"
API_SERVER_PORT=6443
ETCD_CLIENT_PORT=2379
ETCD_PEER_PORT=2380
# CoreDNS serves DNS on NODE_IP:53 and reports readiness on 127.0.0.1:COREDNS_READY_PORT.
COREDNS_READY_PORT=8181

CONTAINERD_SOCKET="${STATE_DIR}/containerd/containerd.sock"
PID_DIR="${STATE_DIR}/pids"

# ctr against the cluster's containerd, in the namespace where the CRI keeps its images.
cluster_ctr() { ctr --address "${CONTAINERD_SOCKET}" --namespace k8s.io "$@"; }

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND until it succeeds or the deadline passes;
# logs DESCRIPTION, a statement of what now holds, with the time it took.
wait_for() {
  local description="$1" timeout="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
  log "${description} ($((timeout - deadline + SECONDS))s)"
}

# hold_cluster_lock: makes up.sh, down.sh and load-image.sh wait for each other, so that two
# callers never start and stop the cluster at the same time. Nested calls (up.sh running
# down.sh) share the lock of the outermost script, whose descriptor LOCAL_CLUSTER_LOCK_FD names.
hold_cluster_lock() {
  [[ -z "${LOCAL_CLUSTER_LOCK_FD:-}" ]] || return 0
  mkdir -p "${CACHE_DIR}"
  exec {LOCAL_CLUSTER_LOCK_FD}>"${CACHE_DIR}/.lock"
  if ! flock -n "${LOCAL_CLUSTER_LOCK_FD}"; then
    log "waiting for another local-cluster script to finish"
    flock "${LOCAL_CLUSTER_LOCK_FD}"
  fi
  export LOCAL_CLUSTER_LOCK_FD
}

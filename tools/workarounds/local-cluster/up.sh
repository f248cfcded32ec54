#!/usr/bin/env bash
# Starts a single-node Kubernetes cluster on this machine from the binaries of build.sh:
# etcd, containerd (Debian), the control plane, a kubelet and kube-proxy, with a Pod network
# on a local bridge. Waits until the Node is Ready, writes the admin kubeconfig to
# .cache/local-cluster/kubeconfig and prints the line that exports it. Logs go to
# .cache/local-cluster/run/logs. Stop everything with down.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[[ ${EUID} -eq 0 ]] || die "run as root: the kubelet and containerd manage mounts, cgroups and network namespaces"
hold_cluster_lock
started=${SECONDS}

if [[ -f "${PID_DIR}/kubelet.pid" ]] && kill -0 "$(cat "${PID_DIR}/kubelet.pid")" 2>/dev/null; then
  log "already running; stop it with tools/workarounds/local-cluster/down.sh"
  printf 'export KUBECONFIG=%s\n' "${KUBECONFIG_PATH}"
  exit 0
fi
if [[ -d "${STATE_DIR}" ]]; then
  log "state of an earlier run is left over; cleaning it up first"
  "${LOCAL_CLUSTER_DIR}/down.sh"
fi

# Host packages: Debian's container runtime and CNI plugins.
missing=()
for package in containerd runc containernetworking-plugins iptables openssl gettext-base curl; do
  dpkg-query -W -f='${Status}' "${package}" 2>/dev/null | grep -q 'ok installed' || missing+=("${package}")
done
if ((${#missing[@]})); then
  "${repo_root}/tools/workarounds/apt-install.sh" "${missing[@]}"
fi
iptables -t nat -L -n >/dev/null 2>&1 || die "iptables does not work here; kube-proxy needs it (check 'iptables -t nat -L')"

"${LOCAL_CLUSTER_DIR}/build.sh"
"${LOCAL_CLUSTER_DIR}/pki.sh"

mkdir -p "${STATE_DIR}/config" "${STATE_DIR}/cni/net.d" "${STATE_DIR}/containerd" "${PID_DIR}" "${LOG_DIR}"
rm -f "${LOG_DIR}"/*.log
export STATE_DIR PKI_DIR CONTAINERD_SOCKET PAUSE_IMAGE POD_BRIDGE POD_CIDR NODE_IP SERVICE_CIDR NODE_NAME COREDNS_READY_PORT
# shellcheck disable=SC2016  # envsubst takes the names of the variables it may replace, literally
render() { envsubst '${STATE_DIR} ${PKI_DIR} ${CONTAINERD_SOCKET} ${PAUSE_IMAGE} ${POD_BRIDGE} ${POD_CIDR} ${NODE_IP} ${SERVICE_CIDR} ${NODE_NAME} ${COREDNS_READY_PORT}' <"$1" >"$2"; }
render "${LOCAL_CLUSTER_DIR}/config/containerd.toml" "${STATE_DIR}/config/containerd.toml"
render "${LOCAL_CLUSTER_DIR}/config/kubelet.yaml" "${STATE_DIR}/config/kubelet.yaml"
render "${LOCAL_CLUSTER_DIR}/config/kube-proxy.yaml" "${STATE_DIR}/config/kube-proxy.yaml"
render "${LOCAL_CLUSTER_DIR}/config/Corefile" "${STATE_DIR}/config/Corefile"
render "${LOCAL_CLUSTER_DIR}/config/cni-bridge.conflist" "${STATE_DIR}/cni/net.d/10-local-cluster.conflist"

# The Pod bridge exists before the kubelet starts, because its address is the node address.
# The CNI bridge plugin adopts it (same name and gateway) when the first Pod starts.
log "creating bridge ${POD_BRIDGE} with ${NODE_IP}/${POD_CIDR#*/}"
ip link add "${POD_BRIDGE}" type bridge
ip addr add "${NODE_IP}/${POD_CIDR#*/}" dev "${POD_BRIDGE}"
ip link set "${POD_BRIDGE}" up
# Service addresses route to the bridge too: should a kube-proxy rule be missing, traffic to a
# ClusterIP dies here instead of following this machine's default route.
ip route add "${SERVICE_CIDR}" dev "${POD_BRIDGE}" src "${NODE_IP}"
# Service traffic between two Pods on the bridge must pass iptables, or kube-proxy's DNAT is not
# undone on replies (https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/network-plugins/#network-plugin-requirements).
for sysctl in net.bridge.bridge-nf-call-iptables net.ipv4.ip_forward; do
  echo "${sysctl}=$(sysctl -n "${sysctl}")" >>"${STATE_DIR}/sysctl.saved"
  sysctl -qw "${sysctl}=1"
done
# The kubelet sets these kernel tunables when it starts (protectKernelDefaults: false); down.sh
# puts back every value saved here.
for sysctl in vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes; do
  echo "${sysctl}=$(sysctl -n "${sysctl}")" >>"${STATE_DIR}/sysctl.saved"
done

# start NAME COMMAND...: runs a component in its own session, logging to LOG_DIR/NAME.log. The
# component does not inherit the lock's descriptor, or it would hold the lock as long as it runs.
start() {
  local name="$1"
  shift
  setsid "$@" >"${LOG_DIR}/${name}.log" 2>&1 </dev/null {LOCAL_CLUSTER_LOCK_FD}>&- &
  echo $! >"${PID_DIR}/${name}.pid"
}
# fail_with NAME: the message for a component that did not come up.
fail_with() { die "$1 did not come up; see ${LOG_DIR}/$1.log (then run tools/workarounds/local-cluster/down.sh)"; }

start etcd "${BIN_DIR}/etcd" --name "${NODE_NAME}" --data-dir "${STATE_DIR}/etcd" \
  --listen-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORT}" --advertise-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORT}" \
  --listen-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
  --initial-cluster "${NODE_NAME}=http://127.0.0.1:${ETCD_PEER_PORT}"
start containerd containerd --config "${STATE_DIR}/config/containerd.toml"
wait_for "etcd is healthy" 60 curl -fsS "http://127.0.0.1:${ETCD_CLIENT_PORT}/health" || fail_with etcd
wait_for "containerd answers" 60 cluster_ctr version || fail_with containerd

log "importing ${PAUSE_IMAGE}"
cluster_ctr images import "${IMAGES_DIR}/pause.tar" >/dev/null

start kube-apiserver "${BIN_DIR}/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:${ETCD_CLIENT_PORT}" \
  --bind-address 127.0.0.1 --secure-port "${API_SERVER_PORT}" --advertise-address "${NODE_IP}" \
  --service-cluster-ip-range "${SERVICE_CIDR}" \
  --tls-cert-file "${PKI_DIR}/apiserver.crt" --tls-private-key-file "${PKI_DIR}/apiserver.key" \
  --client-ca-file "${PKI_DIR}/ca.crt" \
  --kubelet-client-certificate "${PKI_DIR}/apiserver-kubelet-client.crt" \
  --kubelet-client-key "${PKI_DIR}/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority "${PKI_DIR}/ca.crt" --kubelet-preferred-address-types InternalIP \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "${PKI_DIR}/sa.pub" --service-account-signing-key-file "${PKI_DIR}/sa.key" \
  --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --allow-privileged=true --profiling=false
# PodSecurity is among the default admission plugins
# (https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#which-plugins-are-enabled-by-default);
# --allow-privileged lets it, not a blanket ban, decide which namespaces may run privileged Pods.

cp "${PKI_DIR}/admin.kubeconfig" "${KUBECONFIG_PATH}"
kubectl=("${BIN_DIR}/kubectl" --kubeconfig "${KUBECONFIG_PATH}")
wait_for "kube-apiserver is ready" 120 "${kubectl[@]}" get --raw /readyz || fail_with kube-apiserver

start kube-controller-manager "${BIN_DIR}/kube-controller-manager" \
  --kubeconfig "${PKI_DIR}/controller-manager.kubeconfig" \
  --authentication-kubeconfig "${PKI_DIR}/controller-manager.kubeconfig" \
  --authorization-kubeconfig "${PKI_DIR}/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
  --service-account-private-key-file "${PKI_DIR}/sa.key" --root-ca-file "${PKI_DIR}/ca.crt" \
  --cluster-signing-cert-file "${PKI_DIR}/ca.crt" --cluster-signing-key-file "${PKI_DIR}/ca.key" \
  --service-cluster-ip-range "${SERVICE_CIDR}"
start kube-scheduler "${BIN_DIR}/kube-scheduler" \
  --kubeconfig "${PKI_DIR}/scheduler.kubeconfig" \
  --authentication-kubeconfig "${PKI_DIR}/scheduler.kubeconfig" \
  --authorization-kubeconfig "${PKI_DIR}/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false
start kubelet "${BIN_DIR}/kubelet" --config "${STATE_DIR}/config/kubelet.yaml" \
  --kubeconfig "${PKI_DIR}/kubelet.kubeconfig" --root-dir "${STATE_DIR}/kubelet" \
  --hostname-override "${NODE_NAME}" --node-ip "${NODE_IP}"
start kube-proxy "${BIN_DIR}/kube-proxy" --config "${STATE_DIR}/config/kube-proxy.yaml"
"${kubectl[@]}" apply -f "${LOCAL_CLUSTER_DIR}/config/coredns-rbac.yaml" >/dev/null
start coredns "${BIN_DIR}/coredns" -conf "${STATE_DIR}/config/Corefile"

wait_for "node ${NODE_NAME} is registered" 120 "${kubectl[@]}" get node "${NODE_NAME}" || fail_with kubelet
wait_for "node ${NODE_NAME} is Ready" 120 "${kubectl[@]}" wait --for=condition=Ready --timeout=1s node "${NODE_NAME}" ||
  fail_with kubelet
wait_for "coredns is ready" 60 curl -fsS "http://127.0.0.1:${COREDNS_READY_PORT}/ready" || fail_with coredns
wait_for "the default ServiceAccount exists" 60 "${kubectl[@]}" get serviceaccount default || fail_with kube-controller-manager

log "cluster up in $((SECONDS - started))s; kubectl ${KUBERNETES_VERSION} is ${BIN_DIR}/kubectl"
printf 'export KUBECONFIG=%s\n' "${KUBECONFIG_PATH}"

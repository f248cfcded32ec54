#!/usr/bin/env bash
# Proves that the running local cluster works end to end: Pod Security admission rejects a
# privileged Pod and admits a restricted one, a Deployment whose Pod has a native sidecar becomes
# Ready, and its Service answers through `kubectl port-forward` on 127.0.0.1, through kube-proxy
# on its ClusterIP, and to a Pod by its DNS name. Leaves nothing behind.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[[ -f "${KUBECONFIG_PATH}" ]] || die "the local cluster is not running; start it with tools/workarounds/local-cluster/up.sh"
kubectl=("${BIN_DIR}/kubectl" --kubeconfig "${KUBECONFIG_PATH}")
namespace=local-cluster-smoke
started=${SECONDS}
export HELLO_IMAGE
# shellcheck disable=SC2016  # envsubst takes the names of the variables it may replace, literally
render() { envsubst '${HELLO_IMAGE}' <"${LOCAL_CLUSTER_DIR}/smoke/$1"; }

forwarder=""
cleanup() {
  [[ -z "${forwarder}" ]] || kill "${forwarder}" 2>/dev/null || true
  "${kubectl[@]}" delete namespace "${namespace}" --ignore-not-found --timeout=120s >/dev/null
}
trap cleanup EXIT

log "importing ${HELLO_IMAGE}"
cluster_ctr images import "${IMAGES_DIR}/hello-server.tar" >/dev/null
"${kubectl[@]}" apply -f "${LOCAL_CLUSTER_DIR}/smoke/namespace.yaml" >/dev/null
wait_for "ServiceAccount ${namespace}/default exists" 60 "${kubectl[@]}" -n "${namespace}" get serviceaccount default ||
  die "no default ServiceAccount in ${namespace}; see ${LOG_DIR}/kube-controller-manager.log"

if rejection="$(render privileged-pod.yaml | "${kubectl[@]}" apply --dry-run=server -f - 2>&1)"; then
  die "Pod Security admission admitted a privileged Pod into a restricted namespace"
fi
grep -q 'violates PodSecurity "restricted' <<<"${rejection}" || die "the privileged Pod failed for another reason: ${rejection}"
log "PASS restricted namespace rejects a privileged Pod: ${rejection#*: }"

render hello.yaml | "${kubectl[@]}" apply -f - >/dev/null
"${kubectl[@]}" -n "${namespace}" rollout status deployment/hello --timeout=120s >/dev/null ||
  die "deployment hello did not become Ready; see ${LOG_DIR}/kubelet.log and: kubectl -n ${namespace} describe pods"
log "PASS restricted Deployment is Ready"

pod="$("${kubectl[@]}" -n "${namespace}" get pods -l app=hello -o jsonpath='{.items[0].metadata.name}')"
sidecar="$("${kubectl[@]}" -n "${namespace}" get pod "${pod}" \
  -o jsonpath='{.status.initContainerStatuses[0].name} started={.status.initContainerStatuses[0].started} ready={.status.initContainerStatuses[0].ready}')"
[[ "${sidecar}" == "sidecar started=true ready=true" ]] || die "the native sidecar is not running next to the app: ${sidecar}"
log "PASS native sidecar runs beside the app container (${sidecar})"

"${kubectl[@]}" -n "${namespace}" port-forward --address 127.0.0.1 service/hello :80 >"${LOG_DIR}/smoke-port-forward.log" 2>&1 &
forwarder=$!
wait_for "port-forward is listening" 30 grep -q 'Forwarding from 127.0.0.1:' "${LOG_DIR}/smoke-port-forward.log" ||
  die "kubectl port-forward did not start; see ${LOG_DIR}/smoke-port-forward.log"
local_port="$(sed -n 's/^Forwarding from 127.0.0.1:\([0-9]*\) .*/\1/p' "${LOG_DIR}/smoke-port-forward.log" | head -1)"
answer="$(curl -fsS --max-time 5 "http://127.0.0.1:${local_port}/")"
[[ "${answer}" == "hello from ${pod}" ]] || die "port-forward answered '${answer}', expected 'hello from ${pod}'"
log "PASS service/hello answers through kubectl port-forward on 127.0.0.1:${local_port}: ${answer}"

# The ClusterIP lies in SERVICE_CIDR, which up.sh routes to the Pod bridge only.
cluster_ip="$("${kubectl[@]}" -n "${namespace}" get service hello -o jsonpath='{.spec.clusterIP}')"
answer="$(curl -fsS --max-time 5 "http://${cluster_ip}/")"
[[ "${answer}" == "hello from ${pod}" ]] || die "ClusterIP ${cluster_ip} answered '${answer}', expected 'hello from ${pod}'"
log "PASS kube-proxy routes ClusterIP ${cluster_ip}:80 to the Pod: ${answer}"

# From inside the Pod: CoreDNS resolves the Service's short name through the Pod's search path,
# and kube-proxy routes the ClusterIP back to a Pod of the Service (a helm test does the same).
answer="$(curl -fsS --max-time 10 "http://127.0.0.1:${local_port}/fetch?url=http://hello/")"
[[ "${answer}" == "hello from ${pod}" ]] || die "the Pod fetched '${answer}' from http://hello/, expected 'hello from ${pod}'"
log "PASS a Pod reaches http://hello/ through cluster DNS and its ClusterIP: ${answer}"

log "smoke test passed in $((SECONDS - started))s"

#!/usr/bin/env bash
# Creates the local cluster's certificates, ServiceAccount signing key and kubeconfigs with
# openssl, in .cache/local-cluster/pki. Names and groups follow "PKI certificates and
# requirements" (https://kubernetes.io/docs/setup/best-practices/certificates/). Files that
# exist are kept, so the cluster keeps one CA across restarts.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v openssl >/dev/null || die "openssl is missing; run: apt-get install -y openssl"
kubectl="${BIN_DIR}/kubectl"
[[ -x "${kubectl}" ]] || die "${kubectl} is missing; run tools/workarounds/local-cluster/build.sh first"
mkdir -p "${PKI_DIR}"
cd "${PKI_DIR}"

if [[ ! -f ca.crt ]]; then
  log "creating the cluster CA"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
    -subj "/CN=local-cluster-ca" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
fi

# issue NAME SUBJECT EXTENDED_KEY_USAGE [SUBJECT_ALT_NAMES]
issue() {
  local name="$1" subject="$2" usage="$3" alt_names="${4:-}"
  [[ -f "${name}.crt" ]] && return 0
  log "issuing ${name} (${subject})"
  local extensions="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=${usage}"
  [[ -n "${alt_names}" ]] && extensions+=$'\n'"subjectAltName=${alt_names}"
  openssl req -newkey rsa:2048 -nodes -keyout "${name}.key" -subj "${subject}" 2>/dev/null |
    openssl x509 -req -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out "${name}.crt" \
      -extfile <(printf '%s\n' "${extensions}") 2>/dev/null
}

issue apiserver "/CN=kube-apiserver" serverAuth \
  "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:${NODE_IP},IP:${KUBERNETES_SERVICE_IP}"
# system:masters may call every kubelet API (logs, exec, port-forward) without extra RBAC.
issue apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
issue admin "/O=system:masters/CN=local-cluster-admin" clientAuth
issue controller-manager "/CN=system:kube-controller-manager" clientAuth
issue scheduler "/CN=system:kube-scheduler" clientAuth
# The Node authorizer and NodeRestriction admission know a kubelet by this name and group.
issue kubelet "/O=system:nodes/CN=system:node:${NODE_NAME}" clientAuth
issue kubelet-serving "/CN=${NODE_NAME}" serverAuth "DNS:${NODE_NAME},IP:${NODE_IP}"
issue kube-proxy "/CN=system:kube-proxy" clientAuth
issue coredns "/CN=local-cluster:coredns" clientAuth

if [[ ! -f sa.key ]]; then
  log "creating the ServiceAccount token signing key"
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
fi

# One kubeconfig per client certificate, each pointing at the API server on 127.0.0.1.
for client in admin controller-manager scheduler kubelet kube-proxy coredns; do
  config="${client}.kubeconfig"
  [[ -f "${config}" ]] && continue
  "${kubectl}" config set-cluster local-cluster --kubeconfig="${config}" --embed-certs \
    --certificate-authority=ca.crt --server="https://127.0.0.1:${API_SERVER_PORT}" >/dev/null
  "${kubectl}" config set-credentials "${client}" --kubeconfig="${config}" --embed-certs \
    --client-certificate="${client}.crt" --client-key="${client}.key" >/dev/null
  "${kubectl}" config set-context local-cluster --kubeconfig="${config}" \
    --cluster=local-cluster --user="${client}" >/dev/null
  "${kubectl}" config use-context local-cluster --kubeconfig="${config}" >/dev/null
done
chmod 600 ./*.key ./*.kubeconfig
log "PKI ready in ${PKI_DIR}"

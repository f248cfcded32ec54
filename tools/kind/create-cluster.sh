#!/usr/bin/env bash
# Creates the kind cluster KIND_CLUSTER (default sidecar) from tools/kind/cluster.yaml and the pinned
# node image, unless it exists, and writes its kubeconfig to .cache/kind/<cluster>.kubeconfig.
# Wires the local registry (tools/registry, started here when it is not) into it as kind's guide
# does (https://kind.sigs.k8s.io/docs/user/local-registry/): the nodes pull localhost:<port>/...
# from the registry container, and the ConfigMap local-registry-hosting documents it for tools.
#   tools/kind/create-cluster.sh           create when absent (idempotent)
#   tools/kind/create-cluster.sh --check   only tell whether kind can run the cluster here (exit 0/1)
# Fails within seconds, saying what is missing, when Docker answers not, or when the node image is
# neither in the engine nor in a registry that answers (kind pulls it itself when it is there).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

check_only=false
case "${1:-}" in
  "") ;;
  --check) check_only=true ;;
  *) die "usage: $0 [--check]" ;;
esac

require_docker_engine
if kind_cluster_exists; then
  if ${check_only}; then
    say "kind cluster ${KIND_CLUSTER} exists"
    exit 0
  fi
else
  require_node_image
  if ${check_only}; then
    say "kind can create cluster ${KIND_CLUSTER} (node image ${KIND_NODE_IMAGE} in the engine or its registry)"
    exit 0
  fi
fi

require_tools kind
command -v kubectl >/dev/null 2>&1 ||
  die "kubectl is not installed: install it (https://kubernetes.io/docs/tasks/tools/#kubectl) and re-run"
# shellcheck source=tools/registry/lib.sh
source "${repo_root}/tools/registry/lib.sh"
registry_config_path='config_path = "/etc/containerd/certs.d"'
if kind_cluster_exists; then
  # A cluster made before the registry wiring cannot gain it: containerd reads config_path at start.
  control_plane="$(kind get nodes --name "${KIND_CLUSTER}" | head -n 1)"
  if ! docker exec "${control_plane}" grep -qF "${registry_config_path}" /etc/containerd/config.toml; then
    say "kind cluster ${KIND_CLUSTER} predates the local registry wiring: recreating it"
    "${KIND_DIR}/delete-cluster.sh"
  fi
fi
if kind_cluster_exists; then
  say "kind cluster ${KIND_CLUSTER} exists"
else
  config="${KIND_CONFIG}"
  if [[ -n "${KIND_CONFIG_PATCHES}" ]]; then
    config="$(mktemp)"
    trap 'rm -f "${config}"' EXIT
    cat "${KIND_CONFIG}" "${KIND_CONFIG_PATCHES}" >"${config}"
    say "with this machine's settings from ${KIND_CONFIG_PATCHES#"${repo_root}/"}"
  fi
  say "creating kind cluster ${KIND_CLUSTER} (${KIND_NODE_IMAGE})"
  kind create cluster --name "${KIND_CLUSTER}" --image "${KIND_NODE_IMAGE}" --config "${config}" \
    --kubeconfig "${KIND_KUBECONFIG}" --wait 180s
fi
mkdir -p "$(dirname "${KIND_KUBECONFIG}")"
kind export kubeconfig --name "${KIND_CLUSTER}" --kubeconfig "${KIND_KUBECONFIG}"

"${repo_root}/tools/registry/registry-up.sh"
network="${KIND_EXPERIMENTAL_DOCKER_NETWORK:-kind}"
registry_on_network "${network}" || docker network connect "${network}" "${REGISTRY_NAME}"
for node in $(kind get nodes --name "${KIND_CLUSTER}"); do
  docker exec "${node}" mkdir -p "/etc/containerd/certs.d/${REGISTRY_HOST}"
  printf '[host."http://%s:5000"]\n' "${REGISTRY_NAME}" |
    docker exec -i "${node}" cp /dev/stdin "/etc/containerd/certs.d/${REGISTRY_HOST}/hosts.toml"
done
# https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry
kubectl --kubeconfig "${KIND_KUBECONFIG}" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: local-registry-hosting
  namespace: kube-public
data:
  localRegistryHosting.v1: |
    host: "${REGISTRY_HOST}"
    help: "https://kind.sigs.k8s.io/docs/user/local-registry/"
YAML
say "the nodes pull ${REGISTRY_HOST}/... from the registry container ${REGISTRY_NAME}"
say "kind cluster ${KIND_CLUSTER} is ready; kubeconfig: ${KIND_KUBECONFIG#"${repo_root}/"}"

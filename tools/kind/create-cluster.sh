#!/usr/bin/env bash
# Creates the kind cluster KIND_CLUSTER (default sidecar) from tools/kind/cluster.yaml and the pinned
# node image, unless it exists, and writes its kubeconfig to .cache/kind/<cluster>.kubeconfig.
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

require_pinned kind
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
say "kind cluster ${KIND_CLUSTER} is ready; kubeconfig: ${KIND_KUBECONFIG#"${repo_root}/"}"

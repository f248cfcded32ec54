#!/usr/bin/env bash
# Deletes the kind cluster KIND_CLUSTER (default sidecar) and its kubeconfig. Safe when it is absent.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

require_docker_engine
require_pinned kind
if kind_cluster_exists; then
  say "deleting kind cluster ${KIND_CLUSTER}"
  kind delete cluster --name "${KIND_CLUSTER}" --kubeconfig "${KIND_KUBECONFIG}"
else
  say "no kind cluster ${KIND_CLUSTER}: nothing to delete"
fi
rm -f "${KIND_KUBECONFIG}"

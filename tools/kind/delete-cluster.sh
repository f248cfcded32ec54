#!/usr/bin/env bash
# Deletes the kind cluster KIND_CLUSTER (default sidecar) and its kubeconfig, and kind's Docker
# network once no container uses it (kind creates it and leaves it behind). Safe when it is absent.
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
# The network every kind cluster on this engine shares (KIND_EXPERIMENTAL_DOCKER_NETWORK names another).
network="${KIND_EXPERIMENTAL_DOCKER_NETWORK:-kind}"
if docker network inspect "${network}" >/dev/null 2>&1 &&
  [[ "$(docker network inspect --format '{{len .Containers}}' "${network}")" == 0 ]]; then
  docker network rm "${network}" >/dev/null
  say "removed the Docker network ${network}, which no container uses any more"
fi

#!/usr/bin/env bash
# Deletes the kind cluster KIND_CLUSTER (default sidecar) and its kubeconfig, and kind's Docker
# network once no container uses it (kind creates it and leaves it behind). Then checks that none
# of the cluster's containers and volumes is left. Safe when the cluster is absent.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

require_docker_engine
require_tools kind
volumes=()
if kind_cluster_exists; then
  # Each node's anonymous /var volume, which `kind delete` removes with the node.
  mapfile -t volumes < <(docker ps -a --quiet --filter "label=${KIND_CLUSTER_LABEL}=${KIND_CLUSTER}" |
    xargs docker inspect --format '{{range .Mounts}}{{if eq .Type "volume"}}{{println .Name}}{{end}}{{end}}' | sed '/^$/d')
  say "deleting kind cluster ${KIND_CLUSTER}"
  kind delete cluster --name "${KIND_CLUSTER}" --kubeconfig "${KIND_KUBECONFIG}"
else
  say "no kind cluster ${KIND_CLUSTER}: nothing to delete"
fi
rm -f "${KIND_KUBECONFIG}"
# The network every kind cluster on this engine shares (KIND_EXPERIMENTAL_DOCKER_NETWORK names another).
network="${KIND_EXPERIMENTAL_DOCKER_NETWORK:-kind}"
# The local registry (tools/registry) outlives the cluster, off its network.
# shellcheck source=tools/registry/lib.sh
source "${repo_root}/tools/registry/lib.sh"
if registry_on_network "${network}"; then
  docker network disconnect "${network}" "${REGISTRY_NAME}"
fi
if docker network inspect "${network}" >/dev/null 2>&1 &&
  [[ "$(docker network inspect --format '{{len .Containers}}' "${network}")" == 0 ]]; then
  docker network rm "${network}" >/dev/null
  say "removed the Docker network ${network}, which no container uses any more"
fi
! kind_cluster_exists || die "a node container of ${KIND_CLUSTER} is still there: docker ps -a --filter label=${KIND_CLUSTER_LABEL}=${KIND_CLUSTER}"
for volume in "${volumes[@]}"; do
  ! docker volume inspect "${volume}" >/dev/null 2>&1 || die "the node volume ${volume} is still there"
done

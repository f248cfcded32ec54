# shellcheck shell=bash
# Shared by the scripts in tools/kind: names, paths, pinned versions and the checks every kind step
# needs. Sourced, never run.
# shellcheck disable=SC2034 # the variables here are read by the scripts that source this file

# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
KIND_DIR="${repo_root}/tools/kind"

KIND_CLUSTER="${KIND_CLUSTER:-sidecar}"
KIND_CONFIG="${KIND_DIR}/cluster.yaml"
# Optional: a file of more top-level cluster settings (kubeadmConfigPatches,
# containerdConfigPatchesJSON6902) that create-cluster.sh appends to cluster.yaml, for a machine
# that needs settings of its own. Appended, so it must not repeat a key cluster.yaml has
# (containerdConfigPatches: the local registry's).
KIND_CONFIG_PATCHES="${KIND_CONFIG_PATCHES:-}"
# The cluster's kubeconfig, apart from ~/.kube/config: every step passes it explicitly.
# KIND_KUBECONFIG names another file (tools/deploy reads the same variable).
KIND_KUBECONFIG="${KIND_KUBECONFIG:-${repo_root}/.cache/kind/${KIND_CLUSTER}.kubeconfig}"
# The label kind puts on every node container of a cluster (sigs.k8s.io/kind pkg/cluster/internal/providers/docker/constants.go).
KIND_CLUSTER_LABEL="io.x-k8s.kind.cluster"
# Bounds every `docker info`: an engine that hangs must not hang the script.
DOCKER_INFO_TIMEOUT_S="${DOCKER_INFO_TIMEOUT_S:-20}"

# require_docker_engine: the docker CLI is installed and its engine answers.
require_docker_engine() {
  command -v docker >/dev/null 2>&1 ||
    die "docker is not installed: install Docker (https://docs.docker.com/engine/install/)"
  timeout "${DOCKER_INFO_TIMEOUT_S}" docker info >/dev/null 2>&1 ||
    die "the Docker engine does not answer 'docker info': start it (Docker Desktop, or 'sudo systemctl start docker'; make setup starts one where tools/workarounds can) and re-run"
}

# kind_cluster_exists: a node container of KIND_CLUSTER exists, running or not (what `kind get clusters` lists).
kind_cluster_exists() {
  [[ -n "$(docker ps -a --quiet --filter "label=${KIND_CLUSTER_LABEL}=${KIND_CLUSTER}")" ]]
}

# require_node_image: kind can have its node image: it is in the engine, or the registry answers
# for it (`docker manifest inspect` reads the manifest only), and `kind create cluster` pulls it
# itself (https://kind.sigs.k8s.io/docs/user/quick-start/#creating-a-cluster). Fails within
# seconds where neither holds, instead of letting kind fail deep inside its pull.
require_node_image() {
  docker image inspect "${KIND_NODE_IMAGE}" >/dev/null 2>&1 && return 0
  timeout "${DOCKER_INFO_TIMEOUT_S}" docker manifest inspect "${KIND_NODE_IMAGE}" >/dev/null 2>&1 && return 0
  die "kind's node image ${KIND_NODE_IMAGE} is not in the Docker engine and no registry answers for it, so kind cannot start a cluster; connect to a network that reaches Docker Hub (or 'docker load' a saved copy), then re-run"
}

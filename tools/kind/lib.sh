# shellcheck shell=bash
# Shared by the scripts in tools/kind: names, paths, pinned versions and the checks every kind step
# needs. Sourced, never run.
# shellcheck disable=SC2034 # the variables here are read by the scripts that source this file

KIND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${KIND_DIR}/../.." && pwd)"
# shellcheck source=tools/versions.env
source "${REPO_ROOT}/tools/versions.env"

KIND_CLUSTER="${KIND_CLUSTER:-sidecar}"
KIND_CONFIG="${KIND_DIR}/cluster.yaml"
# The cluster's kubeconfig, apart from ~/.kube/config: every step passes it explicitly.
KIND_KUBECONFIG="${REPO_ROOT}/.cache/kind/${KIND_CLUSTER}.kubeconfig"
# The label kind puts on every node container of a cluster (sigs.k8s.io/kind pkg/cluster/internal/providers/docker/constants.go).
KIND_CLUSTER_LABEL="io.x-k8s.kind.cluster"
# Bounds every `docker info`: an engine that hangs must not hang the script.
DOCKER_INFO_TIMEOUT_S="${DOCKER_INFO_TIMEOUT_S:-20}"

# The pinned tools (tools/toolchain/install.sh) come first on PATH.
export PATH="${REPO_ROOT}/.cache/tools/bin:${PATH}"

say() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }

# require_docker_engine: the docker CLI is installed and its engine answers.
require_docker_engine() {
  command -v docker >/dev/null 2>&1 ||
    die "docker is not installed: install Docker (https://docs.docker.com/engine/install/), or on a build machine run tools/docker/ensure-engine.sh"
  timeout "${DOCKER_INFO_TIMEOUT_S}" docker info >/dev/null 2>&1 ||
    die "the Docker engine does not answer 'docker info': start it (Docker Desktop, 'sudo systemctl start docker', or tools/docker/ensure-engine.sh) and re-run"
}

# kind_cluster_exists: a node container of KIND_CLUSTER exists, running or not (what `kind get clusters` lists).
kind_cluster_exists() {
  [[ -n "$(docker ps -a --quiet --filter "label=${KIND_CLUSTER_LABEL}=${KIND_CLUSTER}")" ]]
}

# require_node_image: kind's node image is in the engine. It is never pulled from here: a machine
# without a registry would hang on it (https://kind.sigs.k8s.io/docs/user/quick-start/#creating-a-cluster).
require_node_image() {
  docker image inspect "${KIND_NODE_IMAGE}" >/dev/null 2>&1 ||
    die "kind's node image ${KIND_NODE_IMAGE} is not in the Docker engine, so kind cannot start a cluster; run 'docker pull ${KIND_NODE_IMAGE}' where Docker Hub is reachable (or 'docker load' a saved copy), then re-run"
}

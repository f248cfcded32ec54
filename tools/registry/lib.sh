# shellcheck shell=bash
# Shared by the scripts in tools/registry: the local registry's names. Sourced, never run.
# shellcheck disable=SC2034 # the variables here are read by the scripts that source this file

# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# The container and the Docker network of its own it runs on (the engine's default bridge may be
# absent, and the kind network exists only with a cluster; tools/kind connects the registry to it).
REGISTRY_NAME="${REGISTRY_NAME:-sidecar-registry}"
REGISTRY_NETWORK="${REGISTRY_NETWORK:-sidecar-registry}"
# Where its blobs live on this machine: they outlive the container (make registry-down keeps them).
REGISTRY_STORAGE="${repo_root}/.cache/registry"
# The address a client on this machine pushes to and pulls from; kind's nodes resolve the same
# name to the container (tools/kind/create-cluster.sh), so one image name works on both.
REGISTRY_HOST="localhost:${REGISTRY_PORT}"

# `docker container inspect`, not `docker inspect`: the network of the same name answers that too.
registry_running() {
  [[ "$(docker container inspect --format '{{.State.Running}}' "${REGISTRY_NAME}" 2>/dev/null)" == true ]]
}

# registry_on_network NETWORK: the registry container is attached to that Docker network.
registry_on_network() {
  docker container inspect --format '{{range $name, $_ := .NetworkSettings.Networks}}{{println $name}}{{end}}' \
    "${REGISTRY_NAME}" 2>/dev/null | grep -qx "$1"
}

#!/usr/bin/env bash
# Copies images from the local Docker engine into the running local cluster's containerd
# (namespace k8s.io, where the kubelet looks), as `kind load docker-image` does for kind.
# Usage: tools/workarounds/local-cluster/load-image.sh IMAGE[:TAG]...
set -euo pipefail
source "$(dirname "$0")/lib.sh"

(($#)) || die "usage: $0 IMAGE[:TAG]..."
hold_cluster_lock
[[ -S "${CONTAINERD_SOCKET}" ]] || die "the local cluster is not running; start it with tools/workarounds/local-cluster/up.sh"
command -v docker >/dev/null || die "docker is missing; run make setup"
for image in "$@"; do
  docker image inspect "${image}" >/dev/null 2>&1 || die "image ${image} is not in the Docker engine; build it first"
done

log "loading $*"
docker save "$@" | cluster_ctr images import -
log "loaded $# image(s) into the local cluster"

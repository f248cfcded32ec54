#!/usr/bin/env bash
# `make deploy`: the chart on a local kind cluster, end to end and idempotent. Checks what it needs,
# creates the cluster when absent, builds both images through Nx, loads them into kind, then
# `helm upgrade --install --wait` with tools/kind/values.yaml and prints the URL (tools/deploy).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

started=${SECONDS}
say "checking prerequisites"
require_docker_engine
command -v kubectl >/dev/null 2>&1 ||
  die "kubectl is not installed: install it (https://kubernetes.io/docs/tasks/tools/#kubectl) and re-run"
command -v npx >/dev/null 2>&1 || die "npx is not installed: install Node.js >= 20.19 (https://nodejs.org) and run 'make setup'"
if ! kind_cluster_exists; then
  require_node_image
fi
require_tools kind helm

"${KIND_DIR}/create-cluster.sh"
say "building the images (nx run-many -t docker-build)"
(cd "${repo_root}" && npx nx run-many -t docker-build --projects api,nginx)
(cd "${repo_root}" && KIND_CLUSTER="${KIND_CLUSTER}" npx tsx tools/deploy/src/cli.ts deploy)
say "done in $((SECONDS - started))s"

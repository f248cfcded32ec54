#!/usr/bin/env bash
# `make undeploy`: uninstalls the chart from the kind cluster (keeps the cluster; `make kind-delete`
# removes it). Safe when nothing is installed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

require_docker_engine
kind_cluster_exists || { say "no kind cluster ${KIND_CLUSTER}: nothing to undeploy"; exit 0; }
require_tools kind helm
"${KIND_DIR}/create-cluster.sh"
cd "${repo_root}"
KIND_CLUSTER="${KIND_CLUSTER}" npx tsx tools/deploy/src/cli.ts undeploy

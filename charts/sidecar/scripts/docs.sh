#!/usr/bin/env bash
# Regenerates the chart's README.md from values.yaml and README.md.gotmpl with helm-docs.
set -euo pipefail
# shellcheck source=charts/sidecar/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools helm-docs
cd "${repo_root}"
say "helm-docs ${HELM_DOCS_VERSION} -> ${chart_path}/README.md"
helm-docs --chart-search-root "${chart_path}" --template-files README.md.gotmpl

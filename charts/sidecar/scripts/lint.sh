#!/usr/bin/env bash
# Lints the chart: `helm lint --strict` with Helm 4 and Helm 3 for every ci values file, `ct lint`
# (Chart.yaml schema, yamllint, helm lint again as CI runs it), yamllint over the chart's other
# YAML, the README in sync with helm-docs, and ESLint over the specs.
set -euo pipefail
# shellcheck source=charts/sidecar/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools helm helm3 ct helm-docs yamllint yamale
cd "${repo_root}"

for helm_bin in helm helm3; do
  for values in "${ci_values[@]}"; do
    say "$(${helm_bin} version --short) lint --strict --values ${values}"
    "${helm_bin}" lint --strict "${chart_path}" --values "${values}" --quiet
  done
done

# --charts names the chart, so ct does not diff against a git remote to find changed charts.
say "ct lint ${chart_path}"
ct lint --config "${chart_path}/ct/ct.yaml" --charts "${chart_path}"

say "yamllint over the ci values and the ct configuration"
yamllint --strict --config-file "${chart_path}/ct/lintconf.yaml" "${chart_path}/ci" "${chart_path}/ct"

say "README.md in sync with values.yaml (helm-docs)"
if ! helm-docs --dry-run --chart-search-root "${chart_path}" --template-files README.md.gotmpl 2>/dev/null |
  diff -u "${chart_path}/README.md" - >&2; then
  die "${chart_path}/README.md is out of date: run 'npx nx run chart:docs' and commit the result"
fi

say "eslint over the specs"
npx --no-install eslint "${chart_path}/test" "${chart_path}/jest.config.cjs"

say "chart lint passed (${#ci_values[@]} values files x Helm 4 and 3, ct, yamllint, helm-docs, eslint)"

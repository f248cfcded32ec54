#!/usr/bin/env bash
# Scores every render of the chart with kube-score and fails on a critical finding. The checks
# switched off below are explained in the chart README ("kube-score").
set -euo pipefail
# shellcheck source=charts/sidecar/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools helm kube-score
cd "${repo_root}"

ignored=(
  # IfNotPresent with immutable, versioned tags; Always would break air-gapped nodes and images put on a node by hand.
  container-image-pull-policy
  # NGINX's probes all ask its own /healthz by design (they must never touch the API); its
  # liveness tolerates 3 failures 10 s apart where readiness reacts to one in 2 s.
  pod-probes-identical
)
ignore_args=()
for check in "${ignored[@]}"; do ignore_args+=(--ignore-test "${check}"); done

for values in "${ci_values[@]}"; do
  say "kube-score $(basename "${values}")"
  extra=()
  # That file runs the containers as gid 0 on purpose (OpenShift's arbitrary uid); every other
  # render must keep uids and gids at or above 10000.
  [[ "$(basename "${values}")" != arbitrary-uid-values.yaml ]] ||
    extra=(--ignore-test container-security-context-user-group-id)
  # kube-score exits 1 on any critical finding; warnings are printed and allowed.
  render "${values}" | kube-score score "${ignore_args[@]}" "${extra[@]}" --output-format ci -
done
say "kube-score: no critical finding in ${#ci_values[@]} renders (${#ignored[@]} checks ignored, see README)"

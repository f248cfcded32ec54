#!/usr/bin/env bash
# For a machine where no registry answers: makes an offline stand-in for each image of
# tools/versions.env that the engine lacks (by default the base images NODE_IMAGE and NGINX_IMAGE,
# the chart's NGINX_EXPORTER_IMAGE, the tests' PROMETHEUS_IMAGE and JAEGER_IMAGE, the local
# registry's REGISTRY_IMAGE; make setup-kind
# asks for the cluster tests' METRICS_SERVER_IMAGE too) and records its name, so that the image
# builds and the tests use it (tools/lib.sh and tools/testkit read the record).
# Usage: base-images.sh [KEY:builder ...] (a builder is a script of standins/).
# A stand-in never carries the official name: it is called offline-standin/<what>:<its real
# version>, labelled sidecar.offline-standin=true, and reused while its recipe (standins/) is the
# same. A base image that is in the engine under its official name is used as it is.
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# The official names, not the stand-ins that tools/lib.sh may have put in their place.
# shellcheck source=tools/versions.env
source "${repo_root}/tools/versions.env"

recipe="$(standin_recipe)"
start="$(now_ms)"
# KEY:builder pairs, one per image in tools/versions.env.
entries=("$@")
((${#entries[@]})) || entries=(NODE_IMAGE:node NGINX_IMAGE:nginx NGINX_EXPORTER_IMAGE:nginx-exporter PROMETHEUS_IMAGE:prometheus JAEGER_IMAGE:jaeger REGISTRY_IMAGE:registry)
for entry in "${entries[@]}"; do
  key="${entry%%:*}" builder="${entry##*:}"
  official="${!key}"
  labels="$(docker image inspect --format "{{index .Config.Labels \"${standin_label}\"}}" "${official}" 2>/dev/null || true)"
  if [[ "${labels}" == true ]]; then
    # Left by an older version of this folder, which tagged stand-ins with the official names.
    say "${official} is an offline stand-in under the official name: removing that tag"
    docker rmi "${official}" >/dev/null
  elif docker image inspect "${official}" >/dev/null 2>&1; then
    say "${official} is in the engine: no stand-in needed"
    forget "${key}"
    continue
  fi
  # By repository too: images built FROM a stand-in inherit its labels.
  standin="$(docker images --format '{{.Repository}}:{{.Tag}}' \
    --filter "label=${standin_label}.for=${official}" --filter "label=${standin_label}.recipe=${recipe}" \
    "offline-standin/${builder}" | head -n 1)"
  if [[ -z "${standin}" ]]; then
    [[ "$(id -u)" -eq 0 ]] ||
      die "no stand-in for ${official} yet, and building one needs root: run make setup as root once"
    image_start="$(now_ms)"
    standin="$("${workarounds_dir}/standins/${builder}.sh" "${official}")"
    say "built ${standin} in $((($(now_ms) - image_start) / 1000)) s ($(docker image inspect --format '{{.Size}}' "${standin}" | numfmt --to=si)B)"
  fi
  record "${key}" "${standin}"
  say "WARNING: no registry answered for ${official}: the offline stand-in ${standin} takes its place ($(docker image inspect --format "{{index .Config.Labels \"${standin_label}.contents\"}}" "${standin}"))"
done
say "images ready in $(((($(now_ms) - start) + 500) / 1000)) s"

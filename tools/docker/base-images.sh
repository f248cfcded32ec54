#!/usr/bin/env bash
# Makes sure the engine holds every base image pinned in tools/versions.env (NODE_IMAGE,
# NGINX_IMAGE): an image already present is kept; a missing one is pulled; when no registry
# answers, a faithful offline stand-in is built (tools/docker/standins) and tagged with the
# official name, so the project's Dockerfiles build unchanged. A second run is a no-op.
# BASE_IMAGES_PULL_TIMEOUT_S bounds each pull attempt (default 60 s).
set -euo pipefail
# shellcheck source=tools/docker/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pull_timeout_s="${BASE_IMAGES_PULL_TIMEOUT_S:-60}"

"${here}/ensure-engine.sh"

# image:builder pairs, one per base image in tools/versions.env.
base_images=("${NODE_IMAGE}:node" "${NGINX_IMAGE}:nginx")
recipe="$(standin_recipe)"
start="$(now_ms)"
kept=0 pulled=0 built=0
for entry in "${base_images[@]}"; do
  image="${entry%:*}" builder="${entry##*:}"
  if docker image inspect "${image}" >/dev/null 2>&1; then
    labels="$(docker image inspect --format "{{index .Config.Labels \"${standin_label}\"}} {{index .Config.Labels \"${standin_label}.recipe\"}}" "${image}")"
    if [[ "${labels}" != "true "* ]]; then
      say "${image}: present, skipping"
      kept=$((kept + 1))
      continue
    fi
    if [[ "${labels}" == "true ${recipe}" ]]; then
      say "${image}: present (offline stand-in, recipe ${recipe}), skipping"
      kept=$((kept + 1))
      continue
    fi
    say "${image}: offline stand-in from another recipe (${labels#true }), rebuilding"
  else
    say "${image}: pulling (at most ${pull_timeout_s} s)"
    if pull_log="$(timeout "${pull_timeout_s}" docker pull --quiet "${image}" 2>&1)"; then
      pulled=$((pulled + 1))
      continue
    fi
    say "${image}: no registry answered (${pull_log##*$'\n'}); building the offline stand-in"
  fi
  image_start="$(now_ms)"
  "${here}/standins/${builder}.sh" "${image}"
  say "${image}: stand-in built in $((($(now_ms) - image_start) / 1000)) s ($(docker image inspect --format '{{.Size}}' "${image}" | numfmt --to=si)B)"
  built=$((built + 1))
done
say "base images ready: ${kept} present, ${pulled} pulled, ${built} stand-ins built, in $(((($(now_ms) - start) + 500) / 1000)) s"

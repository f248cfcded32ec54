#!/usr/bin/env bash
# make bench: readies what the bench measures, then runs it (src/main.ts lists its settings).
# `make setup` and the API build come first (the Makefile); this script rebuilds both images
# when the Docker side is measured (so their sizes are this commit's; Docker's layer cache makes
# an unchanged build cheap). Writes dist/bench/. Exit 1: a goal was missed (the log says which);
# 2: the bench could not run.
set -euo pipefail
# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 2; }

parts="${BENCH_PARTS:-overhead,features,startup,pod,drain,images,devloop}"
[[ -f "${repo_root}/dist/apps/api/main.js" ]] || die "dist/apps/api/main.js is missing: run \`make bench\` (it builds the API first)"
command -v nginx >/dev/null || die "nginx is missing: run make setup"
# The load generator: the pinned vegeta (tools/versions.env), which make setup installs.
[[ -x "${TOOLS_BIN}/vegeta" ]] || die "vegeta is missing from .cache/tools/bin: run make setup"
command -v taskset >/dev/null || [[ "${BENCH_PIN:-split}" == none ]] \
  || die "taskset (util-linux) is missing: install it, or set BENCH_PIN=none"

# The Docker parts need the images; the request parts run NGINX as the image when an engine answers.
if [[ ",${parts}," == *,pod,* || ",${parts}," == *,images,* ]] \
  || { [[ ",${parts}," == *,overhead,* || ",${parts}," == *,features,* ]] \
       && [[ "${BENCH_NGINX:-image}" == image ]] && docker info >/dev/null 2>&1; }; then
  say "building the two app images"
  bash "${repo_root}/tools/docker/build-api-image.sh"
  bash "${repo_root}/docker/nginx/scripts/build-image.sh"
fi

say "running the bench (${parts})"
cd "${repo_root}"
exec npx tsx tools/bench/src/main.ts

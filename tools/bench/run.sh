#!/usr/bin/env bash
# make bench: readies what the bench measures, then runs it (src/main.ts lists its settings).
# The API build and the nginx binary come first (make bench: nx build api, nx run nginx:setup);
# this script adds the Docker side: the engine, the base images, both app images (rebuilt so
# their sizes are this commit's; Docker's layer cache makes an unchanged build cheap) and helm,
# which renders the chart's Pod. Writes dist/bench/. Exit 1: a goal was missed (the log says
# which); 2: the bench could not run.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
say() { printf '[bench] %s\n' "$*"; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 2; }

parts="${BENCH_PARTS:-overhead,pod,drain,images,devloop}"
[[ -f "${repo_root}/dist/apps/api/main.js" ]] || die "dist/apps/api/main.js is missing: run \`make bench\` (it builds the API first)"
command -v nginx >/dev/null || die "nginx is missing: run docker/nginx/scripts/ensure-nginx.sh"
say "readying the load generator (vegeta, pinned in tools/versions.env)"
bash "${repo_root}/tools/toolchain/install.sh" vegeta
command -v taskset >/dev/null || [[ "${BENCH_PIN:-split}" == none ]] \
  || die "taskset (util-linux) is missing: install it, or set BENCH_PIN=none"

if [[ ",${parts}," == *,pod,* || ",${parts}," == *,images,* ]]; then
  say "readying Docker: engine, base images, the two app images"
  bash "${repo_root}/tools/docker/base-images.sh"
  bash "${repo_root}/tools/docker/build-api-image.sh"
  bash "${repo_root}/docker/nginx/scripts/build-image.sh"
fi
if [[ ",${parts}," == *,pod,* ]]; then
  say "readying helm (renders the chart's Pod)"
  bash "${repo_root}/tools/toolchain/install.sh" helm
fi

say "running the bench (${parts})"
cd "${repo_root}"
exec npx tsx tools/bench/src/main.ts

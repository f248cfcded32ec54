#!/usr/bin/env bash
# Checks that every `ARG NAME=default` in the project's Dockerfiles whose NAME is pinned in
# tools/versions.env or tools/ports.env has exactly the pinned value as its default, so that a
# plain `docker build` without --build-arg builds what the scripts build.
# Usage: check-arg-defaults.sh [DOCKERFILE...]   (default: every Dockerfile tracked by git)
set -euo pipefail
# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

declare -A pinned=()
for env_file in "${repo_root}/tools/versions.env" "${repo_root}/tools/ports.env"; do
  while IFS='=' read -r key value; do
    [[ "${key}" =~ ^[A-Z][A-Z0-9_]*$ ]] && pinned["${key}"]="${value}"
  done <"${env_file}"
done

if (($#)); then
  dockerfiles=("$@")
else
  mapfile -t dockerfiles < <(git -C "${repo_root}" ls-files --full-name '*Dockerfile' | sed "s|^|${repo_root}/|")
fi

checked=0 mismatches=0
for dockerfile in "${dockerfiles[@]}"; do
  while read -r name default; do
    [[ -v "pinned[${name}]" ]] || continue
    checked=$((checked + 1))
    if [[ "${default}" != "${pinned[${name}]}" ]]; then
      printf '[check-arg-defaults] FAIL: %s: ARG %s=%s, but the pinned value is %s\n' \
        "${dockerfile#"${repo_root}/"}" "${name}" "${default}" "${pinned[${name}]}" >&2
      mismatches=$((mismatches + 1))
    fi
  done < <(sed -n -E 's/^[[:space:]]*ARG[[:space:]]+([A-Za-z0-9_]+)=("?)([^"[:space:]]*)\2[[:space:]]*$/\1 \3/p' "${dockerfile}")
done
((mismatches == 0)) || die "${mismatches} of ${checked} pinned ARG defaults disagree with tools/versions.env / tools/ports.env: fix the Dockerfile(s) named above"
say "${checked} pinned ARG defaults in ${#dockerfiles[@]} Dockerfile(s) agree with tools/versions.env and tools/ports.env"

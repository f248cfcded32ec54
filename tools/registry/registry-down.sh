#!/usr/bin/env bash
# make registry-down: stops and removes the registry container. Its storage (.cache/registry)
# stays, so the next make registry-up serves the same images; delete that folder to empty it.
set -euo pipefail
# shellcheck source=tools/registry/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if docker container inspect "${REGISTRY_NAME}" >/dev/null 2>&1; then
  docker rm --force "${REGISTRY_NAME}" >/dev/null
  say "removed the registry container ${REGISTRY_NAME}; its storage stays in ${REGISTRY_STORAGE#"${repo_root}/"}"
else
  say "no registry container ${REGISTRY_NAME}"
fi

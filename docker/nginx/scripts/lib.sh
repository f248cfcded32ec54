# shellcheck shell=bash
# Shared by the scripts in docker/nginx/scripts: where the repository is, the pinned versions and
# the way these scripts talk. Sourced, never run.
# shellcheck disable=SC2034 # the variables here are read by the scripts that source this file

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
# shellcheck source=tools/versions.env
source "${repo_root}/tools/versions.env"

say() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }

# shellcheck shell=bash
# Where the pinned chart toolchain lives, for tools/toolchain/install.sh and for every script that
# runs those tools (charts/sidecar/scripts). Sourced, never run; defines no behaviour but `say`/`die`.
# shellcheck disable=SC2034 # the variables here are read by the scripts that source this file

TOOLCHAIN_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tools/versions.env
source "${TOOLCHAIN_REPO_ROOT}/tools/versions.env"

TOOLS_DIR="${TOOLCHAIN_REPO_ROOT}/.cache/tools"
# Every tool as <name>-<version> plus a <name> symlink (kubebuilder's LOCALBIN layout).
TOOLS_BIN="${TOOLS_DIR}/bin"
TOOLS_VENV="${TOOLS_DIR}/venv"

# The pinned tools come first on PATH, ahead of anything else installed on the machine.
export PATH="${TOOLS_BIN}:${PATH}"

say() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }

# shellcheck shell=bash
# Where the pinned toolchain lives, for tools/toolchain/install.sh and every script that runs
# those tools. Sourced, never run: the project's shell library plus the toolchain's own paths.
# shellcheck disable=SC2034 # the variables here are read by the scripts that source this file

# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# Every tool as <name>-<version> plus a <name> symlink in TOOLS_BIN (kubebuilder's LOCALBIN layout).
TOOLS_VENV="${TOOLS_DIR}/venv"

# shellcheck shell=bash
# The one shell library: every script of this repository sources it, first thing. It knows where
# the repository is, reads the pinned versions and ports, and gives every script the same voice.
#   source "$(dirname "${BASH_SOURCE[0]}")/<relative path to>/tools/lib.sh"
# shellcheck disable=SC2034 # the variables here are read by the scripts that source this file

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=tools/versions.env
source "${repo_root}/tools/versions.env"
# shellcheck source=tools/ports.env
source "${repo_root}/tools/ports.env"

# The pinned tools (tools/toolchain/install.sh: helm, kind, ct, the pinned Node, ...) come first.
TOOLS_DIR="${repo_root}/.cache/tools"
TOOLS_BIN="${TOOLS_DIR}/bin"
case ":${PATH}:" in
  *":${TOOLS_BIN}:"*) ;;
  *) export PATH="${TOOLS_BIN}:${PATH}" ;;
esac

# What tools/workarounds decided for a machine that needed it (a base-image stand-in instead of
# NODE_IMAGE, the build network of an engine without a bridge, ...). Absent on a laptop; ignored
# once the folder is deleted.
WORKAROUNDS_ENV="${WORKAROUNDS_ENV:-${repo_root}/.cache/workarounds/env}"
if [[ -d "${repo_root}/tools/workarounds" && -f "${WORKAROUNDS_ENV}" ]]; then
  # shellcheck source=/dev/null
  source "${WORKAROUNDS_ENV}"
fi

say() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }

# require_tools TOOL...: the pinned tools are in .cache/tools/bin (make setup puts them there).
require_tools() {
  local tool missing=()
  for tool in "$@"; do [[ -x "${TOOLS_BIN}/${tool}" ]] || missing+=("${tool}"); done
  ((${#missing[@]} == 0)) || die "${missing[*]} missing from ${TOOLS_BIN#"${repo_root}/"}: run make setup"
}

# Milliseconds since the epoch, for the timings the scripts print.
now_ms() { local t="${EPOCHREALTIME/./}"; printf '%s' "${t:0:-3}"; }

# The version of the root package.json: the tag of both images and the chart's appVersion.
project_version() { node -p "require('${repo_root}/package.json').version"; }

#!/usr/bin/env bash
# Copies this checkout to DEST as a user's fresh clone would be: the files git tracks or would
# track (no caches, no build output), committed once in a new repository, since some tests list
# the files with git. Every node_modules (the root's and the workspaces' own) comes as hard links
# and the pinned tools as a link to this checkout's, so the copy installs nothing.
#   scratch-copy.sh DEST                         everything (make dev and make up run in it)
#   scratch-copy.sh DEST --without-workarounds   the template alone: no tools/workarounds
set -euo pipefail
# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

dest="${1:?usage: scratch-copy.sh DEST [--without-workarounds]}"
exclude='^$'
[[ "${2:-}" == --without-workarounds ]] && exclude='^tools/workarounds/'
[[ ! -e "${dest}" ]] || die "${dest} exists already"

mkdir -p "${dest}/.cache"
(cd "${repo_root}" && git ls-files -z --cached --others --exclude-standard) |
  grep -zv "${exclude}" |
  (cd "${repo_root}" && xargs -0 tar -c --no-recursion) | tar -x -C "${dest}"
# npm workspaces keep a package of their own version under the workspace's node_modules.
(cd "${repo_root}" && find . \( -path ./.git -o -path ./.cache -o -path ./.nx -o -path ./dist \) -prune \
  -o -name node_modules -type d -prune -print) | while read -r modules; do
  mkdir -p "${dest}/$(dirname "${modules}")"
  cp -al "${repo_root}/${modules}" "${dest}/${modules}"
done
ln -s "${TOOLS_DIR}" "${dest}/.cache/tools"
git -C "${dest}" init --quiet
git -C "${dest}" add --all
git -C "${dest}" -c user.name=scratch-copy -c user.email=scratch-copy@localhost commit --quiet -m copy

#!/usr/bin/env bash
# Proves that tools/workarounds is optional: copies this checkout without that folder (the files
# git tracks or would track, so no caches), and runs lint, typecheck, the unit tests and the
# chart's lint (helm lint, ct lint) there. The copy shares node_modules (hard links) and the
# pinned tools of this checkout, so it installs nothing.
set -euo pipefail
# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
# Readable by all, like a checkout: nginx's workers (nobody, when the tests run as root) serve
# the copy's static site.
chmod 755 "${work}"
copy="${work}/template"
mkdir -p "${copy}/.cache"
say "copying the checkout without tools/workarounds to ${copy}"
(cd "${repo_root}" && git ls-files -z --cached --others --exclude-standard) |
  grep -zv '^tools/workarounds/' |
  (cd "${repo_root}" && xargs -0 tar -c --no-recursion) | tar -x -C "${copy}"
cp -al "${repo_root}/node_modules" "${copy}/node_modules"
ln -s "${TOOLS_DIR}" "${copy}/.cache/tools"
# Some tests list the repository's files with git, as a user's clone would.
git -C "${copy}" init --quiet
git -C "${copy}" add --all
git -C "${copy}" -c user.name=template-copy -c user.email=template-copy@localhost commit --quiet -m copy

[[ ! -e "${copy}/tools/workarounds" ]] || die "the copy still holds tools/workarounds"
say "in the copy: nx run-many -t lint typecheck test"
cd "${copy}"
NX_DAEMON=false NX_SKIP_NX_CACHE=true NX_NO_CLOUD=true npx nx run-many -t lint typecheck test --outputStyle=static
say "the template passes lint, typecheck, the unit tests and helm lint without tools/workarounds"

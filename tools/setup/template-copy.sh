#!/usr/bin/env bash
# Proves that tools/workarounds is optional: copies this checkout without that folder
# (scratch-copy.sh: no caches, and it installs nothing), and runs lint, typecheck, the unit tests
# and the chart's lint (helm lint, ct lint) there.
set -euo pipefail
# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
# Readable by all, like a checkout: nginx's workers (nobody, when the tests run as root) serve
# the copy's static site.
chmod 755 "${work}"
copy="${work}/template"
say "copying the checkout without tools/workarounds to ${copy}"
"${repo_root}/tools/setup/scratch-copy.sh" "${copy}" --without-workarounds

[[ ! -e "${copy}/tools/workarounds" ]] || die "the copy still holds tools/workarounds"
say "in the copy: nx run-many -t lint typecheck test"
cd "${copy}"
NX_DAEMON=false NX_SKIP_NX_CACHE=true NX_NO_CLOUD=true npx nx run-many -t lint typecheck test --outputStyle=static
say "the template passes lint, typecheck, the unit tests and helm lint without tools/workarounds"

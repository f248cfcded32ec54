#!/usr/bin/env bash
# make line-counts: the lines of each part of the repository, for the README's "What you keep,
# what you can delete". Counts the files git tracks (and would track), blank lines included;
# lockfiles and generated chart docs are left out.
set -euo pipefail
# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "${repo_root}"

files() { git ls-files --cached --others --exclude-standard -- "$@" ':!package-lock.json' ':!*/go.sum' ':!charts/sidecar/README.md'; }
count() { files "$@" | xargs -r cat | wc -l; }
tests=('glob)**/*.spec.ts' 'glob)**/test/**' 'top)apps/e2e' 'top)apps/hardening')
# The same pathspecs, to include (:(...)) or to leave out (:(exclude,...)).
with_tests=("${tests[@]/#/:(}")
without_tests=("${tests[@]/#/:(exclude,}")

row() { printf '| %-70s | %6s |\n' "$1" "$2"; }
row "part" "lines"
row "---" "---:"
row "what ships: apps/api, docker/nginx, charts/sidecar (no tests)" "$(count apps/api docker/nginx charts/sidecar "${without_tests[@]}")"
row "the tests: specs, apps/e2e, apps/hardening" "$(count "${with_tests[@]}" ':!tools/workarounds')"
row "the tooling: tools/ (no tests), Makefile, .ci, .github, root configs" "$(count tools Makefile .ci .github ':(glob)*.json' ':(glob)*.mjs' ':!tools/workarounds' "${without_tests[@]}")"
row "docs: README.md, docs/" "$(count README.md docs)"
row "**tools/workarounds** (this build machine's; delete it)" "$(count tools/workarounds)"

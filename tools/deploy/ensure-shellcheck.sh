#!/usr/bin/env bash
# Makes sure shellcheck is installed (the tests lint every script in tools/ with it): from apt when
# missing. Idempotent.
set -euo pipefail

say() { printf '[ensure-shellcheck] %s\n' "$*"; }
die() { printf '[ensure-shellcheck] ERROR: %s\n' "$*" >&2; exit 1; }

if command -v shellcheck >/dev/null 2>&1; then
  say "$(shellcheck --version | sed -n 's/^version: /shellcheck /p') is installed"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 ||
  die "shellcheck is missing and apt-get is not here: install it (https://github.com/koalaman/shellcheck#installing) and re-run"
"$(dirname "${BASH_SOURCE[0]}")/../apt-install.sh" shellcheck
say "$(shellcheck --version | sed -n 's/^version: /shellcheck /p') installed"

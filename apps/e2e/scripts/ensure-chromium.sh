#!/usr/bin/env bash
# Makes sure a Chromium is there for the landing-page test: Debian's `chromium`, installed with
# apt-get when missing (playwright-core drives it; no browser is downloaded). Set CHROMIUM_PATH
# to use another Chromium or Chrome instead.
set -euo pipefail

say() { printf '[ensure-chromium] %s\n' "$*"; }
die() { printf '[ensure-chromium] ERROR: %s\n' "$*" >&2; exit 1; }

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -x "${chromium}" ]]; then
  say "using $("${chromium}" --version 2>/dev/null || echo "${chromium}")"
  exit 0
fi
command -v apt-get >/dev/null \
  || die "no Chromium at ${chromium}; install Chromium or Chrome and set CHROMIUM_PATH to it"
"$(dirname "${BASH_SOURCE[0]}")/../../../tools/apt-install.sh" chromium
say "installed $("${chromium}" --version)"

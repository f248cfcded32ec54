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
[[ "$(id -u)" == 0 ]] || die "no Chromium at ${chromium}; install it as root: apt-get install -y chromium"

say "installing Debian's chromium package"
if ! apt-get install -y --no-install-recommends chromium >/dev/null; then
  say "apt-get install failed; refreshing the package lists once and retrying"
  apt-get update >/dev/null
  apt-get install -y --no-install-recommends chromium >/dev/null || die "apt-get install -y chromium failed"
fi
say "installed $("${chromium}" --version)"

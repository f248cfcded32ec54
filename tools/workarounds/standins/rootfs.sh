#!/usr/bin/env bash
# Prints the path of a cached Debian bookworm root filesystem tarball (minbase variant, slimmed
# like the official debian:bookworm-slim image), running debootstrap only when the tarball is
# missing. Both base-image stand-ins start from this one tarball.
# https://wiki.debian.org/Debootstrap
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

suite=bookworm
# Named after this script's hash: a changed recipe makes a new tarball instead of reusing a stale one.
tarball="${cache_dir}/standins/${suite}-minbase-slim-$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12).tar"

# The Debian mirror this machine's apt already uses (deb822 .sources files and one-line .list
# files), so the stand-ins come from the same place as every other package here.
debian_mirror() {
  local files=() f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    if [[ -f "${f}" ]]; then files+=("${f}"); fi
  done
  ((${#files[@]})) || return 0
  awk -v suite="${suite}" '
    FNR == 1 { uris = ""; suites = "" }
    /^deb / { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) break
              if ($(i + 1) == suite) { print $i; exit } }
    /^URIs:/ { uris = $2 }
    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite && uris != "") { print uris; exit } }
    /^$/ { uris = "" }
  ' "${files[@]}"
}

if [[ -s "${tarball}" ]]; then
  say "reusing ${tarball#"${repo_root}/"}" >&2
  printf '%s\n' "${tarball}"
  exit 0
fi

[[ "$(id -u)" -eq 0 ]] || die "debootstrap needs root: re-run as root"
command -v debootstrap >/dev/null 2>&1 || "${workarounds_dir}/apt-install.sh" debootstrap >&2
mirror="${DEBIAN_MIRROR:-$(debian_mirror)}"
[[ -n "${mirror}" ]] || die "found no Debian ${suite} mirror in /etc/apt/sources*; set DEBIAN_MIRROR=http://deb.debian.org/debian"

work="$(mktemp -d "${cache_dir}/rootfs.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
start="$(now_ms)"
say "debootstrap --variant=minbase ${suite} from ${mirror} (about 30 s)" >&2
debootstrap --variant=minbase "${suite}" "${work}/rootfs" "${mirror}" >"${work}/debootstrap.log" 2>&1 \
  || { tail -n 20 "${work}/debootstrap.log" >&2; die "debootstrap failed (log above); check that ${mirror} answers"; }

# The slimming debian:*-slim images get from debuerreotype: dpkg skips docs, man pages and
# translations for every package installed later, and those already installed are removed.
# https://github.com/debuerreotype/debuerreotype/blob/master/scripts/debuerreotype-slimify
cat >"${work}/rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
SLIM
find "${work}/rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "${work}/rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "${work}/rootfs"/usr/share/{groff,info,linda,lintian,locale,man}/* \
  "${work}/rootfs"/var/cache/apt/*.bin "${work}/rootfs"/var/cache/apt/archives/*.deb \
  "${work}/rootfs"/var/lib/apt/lists/*_Packages "${work}/rootfs"/var/log/*.log
# A container gets its hostname and resolver from the engine; the host's must not leak in.
: >"${work}/rootfs/etc/hostname"
rm -f "${work}/rootfs/etc/resolv.conf"

mkdir -p "$(dirname "${tarball}")"
tar --numeric-owner -C "${work}/rootfs" -cf "${tarball}.partial" .
mv "${tarball}.partial" "${tarball}"
find "$(dirname "${tarball}")" -maxdepth 1 -name "${suite}-minbase-slim-*.tar" ! -path "${tarball}" -delete
say "cached ${tarball#"${repo_root}/"} ($(du -h "${tarball}" | cut -f1)) in $((($(now_ms) - start) / 1000)) s" >&2
printf '%s\n' "${tarball}"

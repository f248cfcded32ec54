#!/usr/bin/env bash
# Builds an offline stand-in for the official nginx/nginx-prometheus-exporter image, named for
# what it is: offline-standin/nginx-exporter:<Debian's version>. The cached bookworm
# rootfs with Debian's prometheus-nginx-exporter, laid out as the official image is: the
# entrypoint /usr/bin/nginx-prometheus-exporter (a wrapper that gives SIGTERM the official exit
# code 0: nginx-exporter/docker-entrypoint.sh says why), user nobody, port 9113.
# https://github.com/nginx/nginx-prometheus-exporter/blob/main/build/Dockerfile
# Known difference: the exporter is Debian bookworm's (0.11), not the tag's version. Its flags
# are Go's flag package's, which accept the official image's --nginx.scrape-uri=... form, and its
# metrics (nginx_up, nginx_connections_*, nginx_http_requests_total) have the same names.
# Usage: nginx-exporter.sh OFFICIAL_IMAGE (NGINX_EXPORTER_IMAGE of tools/versions.env); prints
# the stand-in's name. Everything else it prints goes to stderr.
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec 3>&1 1>&2

official="${1:?usage: nginx-exporter.sh OFFICIAL_IMAGE (for example nginx/nginx-prometheus-exporter:1.4.2)}"
work="$(mktemp -d "${cache_dir}/nginx-exporter-standin.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
root="${work}/rootfs"
standin_unpack "${root}"
standin_apt_install "${root}" prometheus-nginx-exporter
version="$(package_version "${root}" prometheus-nginx-exporter)"
install -m 0755 "${here}/nginx-exporter/docker-entrypoint.sh" "${root}/usr/bin/nginx-prometheus-exporter"

image="offline-standin/nginx-exporter:${version%%[+-]*}"
say "importing ${image}"
import_standin "${root}" "${image}" "${here}/nginx-exporter/Dockerfile" \
  --build-arg "STANDIN_FOR=${official}" \
  --build-arg "STANDIN_CONTENTS=debootstrap bookworm minbase, Debian prometheus-nginx-exporter ${version}"
say "smoke test: $(docker run --rm --network none "${image}" --version 2>&1 | head -n 1)"
echo "${image}" >&3

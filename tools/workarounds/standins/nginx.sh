#!/usr/bin/env bash
# Builds an offline stand-in for the official nginx:<version>-bookworm image, named for what it
# is: offline-standin/nginx:<Debian's nginx version>-bookworm. The cached bookworm rootfs with Debian's nginx, gettext-base (envsubst) and curl, laid out
# as the official image is (uid/gid 101 `nginx`, /etc/nginx/conf.d, /usr/share/nginx/html,
# /var/cache/nginx, logs on stdout/stderr, /docker-entrypoint.sh and /docker-entrypoint.d/).
# https://github.com/nginxinc/docker-nginx/blob/master/stable/debian/Dockerfile
# Known difference: the nginx binary is Debian bookworm's (1.22), not the tag's version; its
# ENV NGINX_VERSION and labels say which one it is.
# Usage: nginx.sh OFFICIAL_IMAGE   (NGINX_IMAGE of tools/versions.env); prints the stand-in's name.
# Everything else it prints goes to stderr.
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec 3>&1 1>&2

official="${1:?usage: nginx.sh OFFICIAL_IMAGE (for example nginx:1.28.0-bookworm)}"
[[ "$(id -u)" -eq 0 ]] || die "installing packages into the stand-in's root filesystem needs root: re-run as root"
work="$(mktemp -d "${cache_dir}/nginx-standin.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
root="${work}/rootfs"
standin_unpack "${root}"

# Created before any package, with the ids of the official image.
chroot "${root}" groupadd --system --gid 101 nginx
chroot "${root}" useradd --system --gid nginx --uid 101 --no-create-home --home-dir /nonexistent \
  --comment "nginx user" --shell /bin/false nginx

standin_apt_install "${root}" nginx gettext-base curl ca-certificates
nginx_version="$(package_version "${root}" nginx)"

say "laying out nginx ${nginx_version} as the official image does"
# Debian's site layout is not part of the official image; conf.d is.
rm -rf "${root}"/etc/nginx/{sites-available,sites-enabled,snippets,modules-available,modules-enabled} \
  "${root}/var/www"
install -m 0644 "${here}/nginx/nginx.conf" "${root}/etc/nginx/nginx.conf"
install -D -m 0644 "${here}/nginx/default.conf" "${root}/etc/nginx/conf.d/default.conf"
# The untouched default.conf, which 10-listen-on-ipv6-by-default.sh compares against.
install -m 0644 "${here}/nginx/default.conf" "${root}/usr/share/nginx/default.conf.pristine"
mkdir -p "${root}/usr/share/nginx/html" "${root}/var/cache/nginx"
rm -f "${root}"/usr/share/nginx/html/*
install -m 0644 "${here}/nginx/index.html" "${here}/nginx/50x.html" "${root}/usr/share/nginx/html/"
mkdir -p "${root}/usr/lib/nginx/modules"
ln -sfn ../../usr/lib/nginx/modules "${root}/etc/nginx/modules"
# The official image ships a debug build as nginx-debug; Debian's nginx is built --with-debug.
ln -sfn nginx "${root}/usr/sbin/nginx-debug"
ln -sf /dev/stdout "${root}/var/log/nginx/access.log"
ln -sf /dev/stderr "${root}/var/log/nginx/error.log"
install -m 0755 "${here}/nginx/docker-entrypoint.sh" "${root}/docker-entrypoint.sh"
mkdir -p "${root}/docker-entrypoint.d"
install -m 0755 "${here}"/nginx/docker-entrypoint.d/* "${root}/docker-entrypoint.d/"

image="offline-standin/nginx:${nginx_version%%-*}-bookworm"
say "importing ${image}"
import_standin "${root}" "${image}" "${here}/nginx/Dockerfile" \
  --build-arg "STANDIN_FOR=${official}" \
  --build-arg "NGINX_VERSION=${nginx_version%%-*}" \
  --build-arg "STANDIN_CONTENTS=debootstrap bookworm minbase, Debian nginx ${nginx_version}"
# The smoke test runs in a container: there /var/log/nginx/*.log reach /dev/stdout and /dev/stderr.
docker run --rm --network none -e NGINX_ENTRYPOINT_QUIET_LOGS=1 "${image}" nginx -t -q \
  || { docker rmi "${image}" >/dev/null; die "nginx -t failed in the new ${image}; the stand-in was removed"; }
say "smoke test: $(docker run --rm --network none -e NGINX_ENTRYPOINT_QUIET_LOGS=1 "${image}" nginx -v 2>&1)"
echo "${image}" >&3

#!/bin/sh
# Adds `listen [::]:80;` to /etc/nginx/conf.d/default.conf when the kernel offers IPv6 and the
# file is still the one the image ships (the official script compares it with the package's
# checksum; the stand-in compares it with the copy it keeps for this purpose). A changed,
# read-only or missing file is left alone.
# Source of the behaviour: https://github.com/nginxinc/docker-nginx/blob/master/entrypoint/10-listen-on-ipv6-by-default.sh
set -e

ME=$(basename "$0")
DEFAULT_CONF_FILE=/etc/nginx/conf.d/default.conf
PRISTINE_COPY=/usr/share/nginx/default.conf.pristine

entrypoint_log() {
  if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
    echo "$@"
  fi
}

if [ ! -f /proc/net/if_inet6 ]; then
  entrypoint_log "$ME: info: ipv6 not available"
  exit 0
fi
if [ ! -f "$DEFAULT_CONF_FILE" ]; then
  entrypoint_log "$ME: info: $DEFAULT_CONF_FILE is not a file or does not exist"
  exit 0
fi
touch "$DEFAULT_CONF_FILE" 2>/dev/null || {
  entrypoint_log "$ME: info: can not modify $DEFAULT_CONF_FILE (read-only file system?)"
  exit 0
}
if grep -q 'listen  \[::\]:80;' "$DEFAULT_CONF_FILE"; then
  entrypoint_log "$ME: info: IPv6 listen already enabled"
  exit 0
fi
entrypoint_log "$ME: info: Getting the checksum of $DEFAULT_CONF_FILE"
if ! cmp -s "$DEFAULT_CONF_FILE" "$PRISTINE_COPY"; then
  entrypoint_log "$ME: info: $DEFAULT_CONF_FILE differs from the packaged version"
  exit 0
fi

sed -i -E 's,listen       80;,listen       80;\n    listen  [::]:80;,' "$DEFAULT_CONF_FILE"
entrypoint_log "$ME: info: Enabled listen on IPv6 in $DEFAULT_CONF_FILE"

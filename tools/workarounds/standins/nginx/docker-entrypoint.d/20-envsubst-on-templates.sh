#!/bin/sh
# Renders every template under NGINX_ENVSUBST_TEMPLATE_DIR (default /etc/nginx/templates) ending
# in NGINX_ENVSUBST_TEMPLATE_SUFFIX (default .template) into NGINX_ENVSUBST_OUTPUT_DIR (default
# /etc/nginx/conf.d), keeping subdirectories and dropping the suffix. Only variables that are set
# in the environment, and whose names match the regular expression NGINX_ENVSUBST_FILTER when it
# is given, are substituted, so nginx's own `$host`-style variables survive. Stream templates
# (NGINX_ENVSUBST_STREAM_TEMPLATE_SUFFIX, default .stream-template) go to
# NGINX_ENVSUBST_STREAM_OUTPUT_DIR (default /etc/nginx/stream-conf.d), and a `stream {}` block that
# includes them is appended to nginx.conf when it has none.
# Source of the behaviour: https://github.com/nginxinc/docker-nginx/blob/master/entrypoint/20-envsubst-on-templates.sh
set -e

ME=$(basename "$0")

entrypoint_log() {
  if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
    echo "$@"
  fi
}

template_dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
output_dir="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
stream_suffix="${NGINX_ENVSUBST_STREAM_TEMPLATE_SUFFIX:-.stream-template}"
stream_output_dir="${NGINX_ENVSUBST_STREAM_OUTPUT_DIR:-/etc/nginx/stream-conf.d}"
filter="${NGINX_ENVSUBST_FILTER:-}"

# "${A} ${B} ..." for every variable set in the environment whose name matches the filter.
defined_envs=$(awk -v filter="$filter" 'END { for (name in ENVIRON) if (name ~ filter) printf "${%s} ", name }' </dev/null)

# render SUFFIX OUTPUT_DIR: one envsubst run per template found with that suffix.
render() {
  find "$template_dir" -follow -type f -name "*$1" -print | while read -r template; do
    relative_path="${template#"$template_dir/"}"
    output_path="$2/${relative_path%"$1"}"
    mkdir -p "$(dirname "$output_path")"
    entrypoint_log "$ME: info: Running envsubst on $template to $output_path"
    envsubst "$defined_envs" <"$template" >"$output_path"
  done
}

add_stream_block() {
  conffile=/etc/nginx/nginx.conf
  if grep -q -E '\s*stream\s*\{' "$conffile"; then
    entrypoint_log "$ME: $conffile contains a stream block; include $stream_output_dir/*.conf to enable stream templates"
    return 0
  fi
  touch "$conffile" 2>/dev/null || {
    entrypoint_log "$ME: ERROR: can not modify $conffile (read-only file system?)"
    exit 0
  }
  entrypoint_log "$ME: info: Appending stream block to $conffile to include $stream_output_dir/*.conf"
  printf '# added by "%s" on "%s"\nstream {\n  include %s/*.conf;\n}\n' "$ME" "$(date)" "$stream_output_dir" >>"$conffile"
}

[ -d "$template_dir" ] || exit 0
if [ ! -w "$output_dir" ]; then
  entrypoint_log "$ME: ERROR: $template_dir exists, but $output_dir is not writable"
  exit 0
fi
render "$suffix" "$output_dir"

if [ -n "$(find "$template_dir" -name "*$stream_suffix" -print -quit)" ]; then
  mkdir -p "$stream_output_dir"
  if [ ! -w "$stream_output_dir" ]; then
    entrypoint_log "$ME: ERROR: $template_dir exists, but $stream_output_dir is not writable"
    exit 0
  fi
  add_stream_block
  render "$stream_suffix" "$stream_output_dir"
fi

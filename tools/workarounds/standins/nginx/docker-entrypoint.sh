#!/bin/sh
# The entrypoint of the official nginx image, rewritten for the offline stand-in with the same
# behaviour: when the command is nginx or nginx-debug, every file in /docker-entrypoint.d/ runs in
# version order first (executable *.envsh files are sourced so their exports reach nginx,
# executable *.sh files are run, anything else is skipped with a note); then the command is
# exec'd so nginx is PID 1. NGINX_ENTRYPOINT_QUIET_LOGS=1 silences the notes.
# Source of the behaviour: https://github.com/nginxinc/docker-nginx/blob/master/entrypoint/docker-entrypoint.sh
set -e

entrypoint_log() {
  if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
    echo "$@"
  fi
}

if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
  if [ -n "$(find /docker-entrypoint.d/ -mindepth 1 -maxdepth 1 -type f -print -quit 2>/dev/null)" ]; then
    entrypoint_log "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
    entrypoint_log "$0: Looking for shell scripts in /docker-entrypoint.d/"
    # A here-document, not a pipe: sourced *.envsh files must run in this shell.
    scripts="$(find /docker-entrypoint.d/ -follow -type f -print | sort -V)"
    while read -r f; do
      case "$f" in
        *.envsh | *.sh)
          if [ ! -x "$f" ]; then
            entrypoint_log "$0: Ignoring $f, not executable"
          elif [ "${f%.envsh}" != "$f" ]; then
            entrypoint_log "$0: Sourcing $f"
            # shellcheck disable=SC1090 # the scripts are found at run time
            . "$f"
          else
            entrypoint_log "$0: Launching $f"
            "$f"
          fi
          ;;
        *) entrypoint_log "$0: Ignoring $f" ;;
      esac
    done <<SCRIPTS
$scripts
SCRIPTS
    entrypoint_log "$0: Configuration complete; ready for start up"
  else
    entrypoint_log "$0: No files found in /docker-entrypoint.d/, skipping configuration"
  fi
fi

exec "$@"

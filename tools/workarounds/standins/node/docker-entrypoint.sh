#!/bin/sh
# The entrypoint of the official node images, rewritten for the offline stand-in with the same
# behaviour: when the first argument is an option (`-e ...`), not a command on PATH, or a file that
# is not executable (`app.js`), the arguments are handed to node; anything else runs as given.
# Source of the behaviour: https://github.com/nodejs/docker-node/blob/main/docker-entrypoint.sh
set -e

case "${1:-}" in
  -*) set -- node "$@" ;;
  *)
    if [ -z "$(command -v "${1:-}")" ] || { [ -f "${1:-}" ] && [ ! -x "${1:-}" ]; }; then
      set -- node "$@"
    fi
    ;;
esac

exec "$@"

#!/bin/sh
# The official image's entrypoint
# (https://github.com/distribution/distribution-library-image/blob/master/docker-entrypoint.sh).
set -e
case "$1" in
  *.yaml | *.yml) set -- registry serve "$@" ;;
  serve | garbage-collect | help | -*) set -- registry "$@" ;;
esac
exec "$@"

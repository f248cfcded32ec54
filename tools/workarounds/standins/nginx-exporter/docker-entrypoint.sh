#!/bin/sh
# The stand-in's /usr/bin/nginx-prometheus-exporter. Debian's exporter (0.11) races its own
# shutdown: on SIGTERM it closes its server, and its main goroutine then reports the closed
# server as fatal and exits 1. The official image's exporter (1.x) exits 0, as a Pod's container
# should when it is told to stop; this wrapper gives SIGTERM and SIGINT that outcome.
/usr/bin/prometheus-nginx-exporter "$@" &
exporter=$!
trap 'kill -TERM "${exporter}" 2>/dev/null; wait "${exporter}"; exit 0' TERM INT
wait "${exporter}"

#!/bin/sh
# With NGINX_ENTRYPOINT_WORKER_PROCESSES_AUTOTUNE set, rewrites `worker_processes` in nginx.conf
# to the CPUs this container may really use: the smallest of the online CPUs, the cpuset and the
# CFS quota (cgroup v1 or v2), rounded up. The official script walks /proc/self/mountinfo to find
# the cgroup paths; inside a container's own cgroup namespace they are at /sys/fs/cgroup, which is
# where this one reads them.
# Source of the behaviour: https://github.com/nginxinc/docker-nginx/blob/master/entrypoint/30-tune-worker-processes.sh
set -eu

ME=$(basename "$0")
[ -n "${NGINX_ENTRYPOINT_WORKER_PROCESSES_AUTOTUNE:-}" ] || exit 0
touch /etc/nginx/nginx.conf 2>/dev/null || {
  echo >&2 "$ME: error: can not modify /etc/nginx/nginx.conf (read-only file system?)"
  exit 0
}

# count_cpus FILE: the number of CPUs in a cpuset list such as "0-3,6".
count_cpus() {
  [ -r "$1" ] || return 1
  tr ',' '\n' <"$1" | awk -F- 'NF == 2 { n += $2 - $1 + 1; next } NF == 1 && $1 != "" { n++ } END { if (n) print n; else exit 1 }'
}

# quota_cpus QUOTA PERIOD: the quota in whole CPUs, rounded up; fails when there is no quota.
quota_cpus() {
  case "${1:-max}" in -1 | max) return 1 ;; esac
  [ "${2:-0}" -gt 0 ] || return 1
  echo $((($1 + $2 - 1) / $2))
}

cg=/sys/fs/cgroup
# cgroup v1 keeps quota and period in two files, v2 in one ("max 100000" when unlimited).
cfs_v1_cpus() {
  [ -r "$cg/cpu/cpu.cfs_quota_us" ] || return 1
  quota_cpus "$(cat "$cg/cpu/cpu.cfs_quota_us")" "$(cat "$cg/cpu/cpu.cfs_period_us")"
}
cfs_v2_cpus() {
  [ -r "$cg/cpu.max" ] || return 1
  read -r quota period <"$cg/cpu.max"
  quota_cpus "$quota" "$period"
}

ncpu=$(getconf _NPROCESSORS_ONLN)
for candidate in \
  "$(count_cpus "$cg/cpuset/cpuset.effective_cpus" || true)" \
  "$(count_cpus "$cg/cpuset.cpus.effective" || true)" \
  "$(cfs_v1_cpus || true)" \
  "$(cfs_v2_cpus || true)"; do
  if [ -n "$candidate" ] && [ "$candidate" -lt "$ncpu" ]; then
    ncpu=$candidate
  fi
done

sed -i.bak -r 's/^(worker_processes)(.*)$/# Commented out by '"$ME"' on '"$(date)"'\n#\1\2\n\1 '"$ncpu"';/' /etc/nginx/nginx.conf

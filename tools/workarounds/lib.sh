# shellcheck shell=bash
# Shared by the scripts in tools/workarounds: the project's shell library, plus where this
# folder keeps its caches and how it records what it decided. Sourced, never run.
# shellcheck disable=SC2034 # the variables here are read by the scripts that source this file

# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
workarounds_dir="${repo_root}/tools/workarounds"
cache_dir="${repo_root}/.cache/workarounds"

# What this host lacks that a laptop has. Root without CAP_SYS_RESOURCE (capability 24,
# linux/capability.h) in its bounding set (CapBnd, hex), and cgroup v1 instead of v2.
host_lacks_sys_resource() { (((0x$(awk '/^CapBnd:/ { print $2 }' /proc/self/status) >> 24 & 1) == 0)); }
host_is_cgroup_v1() { [[ ! -f /sys/fs/cgroup/cgroup.controllers ]]; }

# The label every offline stand-in carries (and every image built FROM one inherits).
standin_label="sidecar.offline-standin"

# record KEY VALUE: remembers a decision in ${WORKAROUNDS_ENV}, which tools/lib.sh reads, so
# that every later script (an image build, a test) acts on it. One KEY=value line per key.
record() {
  local key="$1" value="$2"
  mkdir -p "$(dirname "${WORKAROUNDS_ENV}")"
  touch "${WORKAROUNDS_ENV}"
  { grep -v "^${key}=" "${WORKAROUNDS_ENV}" || true; printf '%s=%q\n' "${key}" "${value}"; } >"${WORKAROUNDS_ENV}.new"
  mv "${WORKAROUNDS_ENV}.new" "${WORKAROUNDS_ENV}"
}

# forget KEY: drops a decision that no longer holds.
forget() {
  [[ -f "${WORKAROUNDS_ENV}" ]] || return 0
  { grep -v "^$1=" "${WORKAROUNDS_ENV}" || true; } >"${WORKAROUNDS_ENV}.new"
  mv "${WORKAROUNDS_ENV}.new" "${WORKAROUNDS_ENV}"
}

# The recipe of the offline stand-ins: a hash over every file under standins/. Each stand-in
# carries it as a label, so a changed recipe builds the stand-in anew.
standin_recipe() {
  (cd "${workarounds_dir}/standins" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) \
    | sha256sum | cut -c1-12
}

# import_standin DIR IMAGE DOCKERFILE [--build-arg K=V ...]: imports the root filesystem in DIR and
# gives it the image configuration in DOCKERFILE, tagged IMAGE. Two steps because `docker import
# --change` rejects STOPSIGNAL on the Debian engine (20.10); the intermediate tag is removed.
import_standin() {
  local dir="$1" image="$2" dockerfile="$3" rootfs_image
  shift 3
  rootfs_image="sidecar-standin-rootfs:$(tr -c 'a-zA-Z0-9_.\n-' '-' <<<"${image##*/}")"
  tar --numeric-owner -C "${dir}" -c . \
    | docker import --message "root filesystem of the offline stand-in ${image}" - "${rootfs_image}" >/dev/null
  docker build --quiet --network none --tag "${image}" \
    --build-arg "ROOTFS_IMAGE=${rootfs_image}" --build-arg "STANDIN_LABEL=${standin_label}" \
    --build-arg "STANDIN_RECIPE=$(standin_recipe)" "$@" \
    - <"${dockerfile}" >/dev/null
  docker rmi "${rootfs_image}" >/dev/null
}

# standin_unpack DIR: the cached bookworm root filesystem (standins/rootfs.sh), unpacked into DIR.
standin_unpack() {
  mkdir -p "$1"
  tar --numeric-owner -C "$1" -xf "$("${workarounds_dir}/standins/rootfs.sh")"
}

# standin_apt_install DIR PACKAGE...: installs Debian's PACKAGEs into the root filesystem in DIR
# from this machine's mirror (no recommends), then removes apt's lists, caches and logs again.
# Needs root (chroot). apt's output goes to DIR.apt.log, and its tail to stderr when it fails.
standin_apt_install() {
  local root="$1" log="$1.apt.log"
  shift
  say "apt-get install $* (inside the stand-in)"
  cp /etc/resolv.conf "${root}/etc/resolv.conf"
  # Package scripts must not try to start services in a root filesystem that is not running.
  # https://people.debian.org/~hmh/invokerc.d-policyrc.d-specification.txt
  printf '#!/bin/sh\nexit 101\n' >"${root}/usr/sbin/policy-rc.d"
  chmod +x "${root}/usr/sbin/policy-rc.d"
  {
    chroot "${root}" apt-get update
    chroot "${root}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
  } >"${log}" 2>&1 || { tail -n 20 "${log}" >&2; die "apt-get inside the stand-in failed (log above)"; }
  rm -f "${root}/usr/sbin/policy-rc.d" "${root}/etc/resolv.conf"
  rm -rf "${root}"/var/lib/apt/lists/* "${root}"/var/cache/apt/*.bin "${root}"/var/cache/apt/archives/*.deb \
    "${root}"/var/log/apt "${root}"/var/log/*.log
}

# package_version DIR PACKAGE: the Debian version of PACKAGE in the root filesystem DIR.
package_version() {
  # shellcheck disable=SC2016 # ${Version} is dpkg-query's field, not a shell variable
  chroot "$1" dpkg-query --show --showformat='${Version}' "$2"
}

# go_build_once NAME PACKAGE TAG: builds PACKAGE (a main package) at its module's TAG with Go
# from the module proxy, once per tag, into .cache/workarounds/NAME/NAME-TAG, and prints that path.
# Static (CGO_ENABLED=0), as the official images ship them. Build output goes to NAME/build.log.
go_build_once() {
  local name="$1" package="$2" tag="$3"
  local binary="${cache_dir}/${name}/${name}-${tag}" log="${cache_dir}/${name}/build.log"
  if [[ ! -x "${binary}" ]]; then
    command -v go >/dev/null 2>&1 || die "go is not installed; install Go 1.24 or newer and re-run"
    say "go build ${package}@${tag} (minutes, once per version)"
    local start module_dir
    start="$(now_ms)"
    module_dir="$(mktemp -d)"
    mkdir -p "$(dirname "${binary}")"
    (
      cd "${module_dir}"
      export GOFLAGS=-modcacherw CGO_ENABLED=0
      go mod init "workarounds/${name}" >/dev/null 2>&1
      go get "${package}@${tag}" &&
        go build -trimpath -ldflags=-s -o "${binary}.new" "${package}"
    ) >"${log}" 2>&1 || { tail -n 20 "${log}" >&2; die "building ${package}@${tag} failed (log above)"; }
    mv "${binary}.new" "${binary}"
    rm -rf "${module_dir}"
    say "built ${name} ${tag} in $((($(now_ms) - start) / 1000)) s"
  fi
  echo "${binary}"
}

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

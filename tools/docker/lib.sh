# shellcheck shell=bash
# Shared by the scripts in tools/docker: where the repository and its caches are, the pinned
# versions, and the way these scripts talk. Sourced, never run.
# shellcheck disable=SC2034 # the variables here are read by the scripts that source this file

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache_dir="${repo_root}/.cache/docker"
# shellcheck source=tools/versions.env
source "${repo_root}/tools/versions.env"

# The label every offline stand-in carries, so `docker images --filter label=...` tells them apart
# from images pulled from a registry.
standin_label="sidecar.offline-standin"

say() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }

# The recipe of the offline stand-ins: a hash over every file under tools/docker/standins. Each
# stand-in carries it as a label, so base-images.sh rebuilds a stand-in whose recipe changed.
standin_recipe() {
  (cd "${repo_root}/tools/docker/standins" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) \
    | sha256sum | cut -c1-12
}

# Milliseconds since the epoch, for the timings the scripts print.
now_ms() { local t="${EPOCHREALTIME/./}"; printf '%s' "${t:0:-3}"; }

# import_standin DIR IMAGE DOCKERFILE [--build-arg K=V ...]: imports the root filesystem in DIR and
# gives it the image configuration in DOCKERFILE, tagged IMAGE. Two steps because `docker import
# --change` rejects STOPSIGNAL on the Debian engine (20.10); the intermediate tag is removed.
import_standin() {
  local dir="$1" image="$2" dockerfile="$3" rootfs_image
  shift 3
  rootfs_image="sidecar-standin-rootfs:$(tr -c 'a-zA-Z0-9_.\n-' '-' <<<"${image}")"
  tar --numeric-owner -C "${dir}" -c . \
    | docker import --message "root filesystem of the offline stand-in for ${image}" - "${rootfs_image}" >/dev/null
  docker build --quiet --network none --tag "${image}" \
    --build-arg "ROOTFS_IMAGE=${rootfs_image}" --build-arg "STANDIN_LABEL=${standin_label}" \
    --build-arg "STANDIN_RECIPE=$(standin_recipe)" "$@" \
    - <"${dockerfile}" >/dev/null
  docker rmi "${rootfs_image}" >/dev/null
}

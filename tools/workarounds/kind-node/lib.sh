# shellcheck shell=bash
# Shared by the scripts in tools/workarounds/kind-node: where kind's own recipes are, where the
# builds are cached, and the versions kind pins. Sourced, never run.
# shellcheck disable=SC2034 # the variables here are read by the scripts that source this file

# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
kind_node_dir="${workarounds_dir}/kind-node"
kind_node_cache="${cache_dir}/kind-node"
kind_bin_dir="${kind_node_cache}/bin"

# The kind release whose add-ons (kindnetd, local-path-provisioner, local-path-helper) the node
# image holds, and whose `kind build node-image` builds it. Not KIND_VERSION's: the Go module proxy
# serves neither the kube-network-policies revision that KIND_VERSION's kindnetd needs nor
# local-path-provisioner v0.0.34, and v0.30.0 is the newest kind whose add-ons build from it.
KIND_ADDONS_VERSION=v0.30.0

# kind_source_dir VERSION: kind's source at that version, from the Go module cache.
kind_source_dir() {
  command -v go >/dev/null 2>&1 || die "go is not installed: run make setup"
  GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/kind@$1" | jq -r .Dir
}

# kind_addon_image KIND_SOURCE_DIR CONSTANT: an image name that kind's node-image build declares
# (kindnetdImage, storageProvisionerImage, storageHelperImage).
kind_addon_image() {
  sed -n "s/^const $2 = \"\(.*\)\"\$/\1/p" "$1"/pkg/build/nodeimage/const_*.go
}

# dockerfile_arg DOCKERFILE NAME: the default of `ARG NAME="..."`.
dockerfile_arg() { sed -n "s/^ARG $2=\"\\(.*\\)\"\$/\\1/p" "$1"; }

# kind_base_versions: sets containerd_version, runc_version, crictl_version and
# cni_plugins_version from the defaults of `ARG <NAME>_VERSION="..."` in kind KIND_VERSION's
# images/base/Dockerfile, the one place kind pins what its base image holds.
kind_base_versions() {
  local dockerfile
  dockerfile="$(kind_source_dir "${KIND_VERSION}")/images/base/Dockerfile"
  containerd_version="$(dockerfile_arg "${dockerfile}" CONTAINERD_VERSION)"
  runc_version="$(dockerfile_arg "${dockerfile}" RUNC_VERSION)"
  crictl_version="$(dockerfile_arg "${dockerfile}" CRICTL_VERSION)"
  cni_plugins_version="$(dockerfile_arg "${dockerfile}" CNI_PLUGINS_VERSION)"
  [[ -n "${containerd_version}" && -n "${runc_version}" && -n "${crictl_version}" && -n "${cni_plugins_version}" ]] ||
    die "could not read the component versions from kind ${KIND_VERSION}'s images/base/Dockerfile"
}

# inputs_key FILE...: a short hash of these files and KIND_VERSION, KUBERNETES_VERSION: the cache
# key of a build step, so that a changed recipe or version builds anew.
inputs_key() {
  { cat "$@"; echo "${KIND_VERSION} ${KUBERNETES_VERSION}"; } | sha256sum | cut -c1-12
}

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

# kind_source_dir [VERSION]: kind's source (default KIND_VERSION), from the Go module cache.
kind_source_dir() {
  command -v go >/dev/null 2>&1 || die "go is not installed: run make setup"
  GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/kind@${1:-${KIND_VERSION}}" | jq -r .Dir
}

# kind_addon_image CONSTANT: an image name that kind KIND_ADDONS_VERSION's node-image build
# declares (kindnetdImage, storageProvisionerImage, storageHelperImage).
kind_addon_image() {
  sed -n "s/^const $1 = \"\(.*\)\"\$/\1/p" "$(kind_source_dir "${KIND_ADDONS_VERSION}")"/pkg/build/nodeimage/const_*.go
}

# kind_base_arg NAME: the default of `ARG NAME="..."` in kind's images/base/Dockerfile, the one
# place kind pins the versions of what its base image holds (containerd, runc, crictl, CNI).
kind_base_arg() {
  sed -n "s/^ARG $1=\"\\(.*\\)\"\$/\\1/p" "$(kind_source_dir)/images/base/Dockerfile"
}

# inputs_key FILE...: a short hash of these files and KIND_VERSION, KUBERNETES_VERSION: the cache
# key of a build step, so that a changed recipe or version builds anew.
inputs_key() {
  { cat "$@"; echo "${KIND_VERSION} ${KUBERNETES_VERSION}"; } | sha256sum | cut -c1-12
}

#!/usr/bin/env bash
# For a machine where kind cannot pull its node image (KIND_NODE_IMAGE): builds one offline, the
# way kind builds its own, and records its name as KIND_NODE_IMAGE, so that tools/kind uses it.
#   1. base-image.sh   kind's base image from its recipe (Debian packages, containerd, runc, ...)
#   2. kubernetes.sh   the Kubernetes binaries at KUBERNETES_VERSION, from the Go module proxy
#   3. images.sh       the server release tarball `kind build node-image --type file` reads
#   4. kind build node-image (kind KIND_ADDONS_VERSION's, see lib.sh) onto that base image
# The node image is called sidecar-offline/kind-node:<KUBERNETES_VERSION>-<key of its inputs>,
# never kindest/node, and is reused while its inputs are unchanged. Prints its name.
set -euo pipefail
# shellcheck source=tools/workarounds/kind-node/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exec 3>&1 1>&2

started="$(now_ms)"
# Named by a key of every input: this folder's recipes (kindnetd's source and the Kubernetes
# go.mod among them), the rootfs recipe, and the versions. An image under that name is reused.
mapfile -t recipe < <(find "${kind_node_dir}" -type f ! -name README.md ! -name cluster-patches.yaml | LC_ALL=C sort)
image="sidecar-offline/kind-node:${KUBERNETES_VERSION}-$(inputs_key "${recipe[@]}" "${workarounds_dir}/standins/rootfs.sh")"
if docker image inspect "${image}" >/dev/null 2>&1; then
  say "reusing ${image}"
else
  base_image="$("${kind_node_dir}/base-image.sh")"
  k8s_dir="$("${kind_node_dir}/kubernetes.sh")"
  tarball="$("${kind_node_dir}/images.sh" "${k8s_dir}" "${base_image}")"
  builder="${kind_bin_dir}/kind-${KIND_ADDONS_VERSION}"
  if [[ ! -x "${builder}/kind" ]]; then
    say "building kind ${KIND_ADDONS_VERSION} (its node-image build matches the add-ons)"
    rm -rf "${builder}.partial"
    GOBIN="${builder}.partial" GOFLAGS="-trimpath -modcacherw" CGO_ENABLED=0 go install "sigs.k8s.io/kind@${KIND_ADDONS_VERSION}"
    mv "${builder}.partial" "${builder}"
  fi
  say "kind build node-image --type file ${tarball#"${repo_root}/"} --base-image ${base_image}"
  "${builder}/kind" build node-image --type file "${tarball}" --base-image "${base_image}" --image "${image}"
  docker image inspect "${image}" >/dev/null 2>&1 || die "kind build node-image wrote no ${image}"
  # The release tarball and the binaries served only this image; older node and base images are dropped
  # unless a cluster's node still runs one.
  rm -rf "${tarball%/*}" "${k8s_dir}"
  for current in "${image}" "${base_image}"; do
    docker images --format '{{.Repository}}:{{.Tag}}' "${current%:*}" | grep -v -x -F "${current}" |
      xargs -r docker rmi >/dev/null 2>&1 || true
  done
fi
record KIND_NODE_IMAGE "${image}"
# This host's settings for the cluster (cluster-patches.yaml says why each is needed).
if host_is_cgroup_v1 || host_lacks_sys_resource; then
  record KIND_CONFIG_PATCHES "${kind_node_dir}/cluster-patches.yaml"
else
  forget KIND_CONFIG_PATCHES
fi
say "node image ${image} ($(docker image inspect --format '{{.Size}}' "${image}" | numfmt --to=si)B) ready in $((($(now_ms) - started) / 1000)) s"
echo "${image}" >&3

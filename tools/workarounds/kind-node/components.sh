#!/usr/bin/env bash
# Builds, from the Go module proxy, the programs kind's base image downloads from GitHub
# (sigs.k8s.io/kind images/base/Dockerfile: its build-containerd, build-runc, build-crictl and
# build-cni stages), at the versions that Dockerfile pins, into .cache/workarounds/kind-node/bin.
# Each program is built once per version; a second run does no work.
# Not built: containerd-fuse-overlayfs-grpc, which only rootless kind uses.
set -euo pipefail
# shellcheck source=tools/workarounds/kind-node/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v go >/dev/null 2>&1 || die "go is not installed: run make setup"
mkdir -p "${kind_bin_dir}"

# build NAME VERSION ENV... -- GO-INSTALL-ARGS...: go install into a stamp-named directory.
build() {
  local name="$1" version="$2" out
  shift 2
  out="${kind_bin_dir}/${name}-${version}"
  if [[ -d "${out}" ]]; then
    return 0
  fi
  local env=()
  while [[ "$1" != -- ]]; do env+=("$1"); shift; done
  shift
  say "building ${name} ${version} (go install; minutes on a cold cache)"
  local started="${SECONDS}"
  rm -rf "${out}.partial"
  mkdir -p "${out}.partial"
  env GOBIN="${out}.partial" GOFLAGS=-trimpath "${env[@]}" go install "$@"
  mv "${out}.partial" "${out}"
  say "built ${name} ${version} in $((SECONDS - started)) s: $(find "${out}" -mindepth 1 -printf '%f ')"
}

kind_base_versions

# kind's BUILDTAGS: no optional snapshotters.
module=github.com/containerd/containerd/v2
build containerd "${containerd_version}" CGO_ENABLED=1 -- \
  -tags "no_aufs no_zfs no_btrfs no_devmapper" -ldflags "-s -w -X ${module}/version.Version=${containerd_version}" \
  "${module}/cmd/containerd@${containerd_version}" "${module}/cmd/ctr@${containerd_version}" \
  "${module}/cmd/containerd-shim-runc-v2@${containerd_version}"

# runc's Makefile: cgo with libseccomp (Debian's libseccomp-dev here, libseccomp2 in the image).
if ! [[ -d "${kind_bin_dir}/runc-${runc_version}" ]] && ! pkg-config --exists libseccomp 2>/dev/null; then
  "${workarounds_dir}/apt-install.sh" libseccomp-dev pkg-config
fi
build runc "${runc_version}" CGO_ENABLED=1 -- \
  -tags "seccomp urfave_cli_no_docs" -ldflags "-s -w -X main.version=${runc_version#v}" \
  "github.com/opencontainers/runc@${runc_version}"

build crictl "${crictl_version}" CGO_ENABLED=0 -- \
  -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=${crictl_version}" \
  "sigs.k8s.io/cri-tools/cmd/crictl@${crictl_version}"

plugins=github.com/containernetworking/plugins/plugins
build cni-plugins "${cni_plugins_version}" CGO_ENABLED=0 -- -ldflags "-s -w" \
  "${plugins}/ipam/host-local@${cni_plugins_version}" "${plugins}/main/loopback@${cni_plugins_version}" \
  "${plugins}/main/ptp@${cni_plugins_version}" "${plugins}/meta/portmap@${cni_plugins_version}"

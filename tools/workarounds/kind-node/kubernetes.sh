#!/usr/bin/env bash
# Builds the Kubernetes release binaries a kind node image holds (kubeadm, kubelet, kubectl, and
# the control plane's kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy) plus
# etcd, from the published k8s.io/kubernetes module at KUBERNETES_VERSION (the go.mod `tool`
# directives in kubernetes/), into .cache/workarounds/kind-node/kubernetes-<version>-<key>/.
# Prints that directory. A second run does no work. Everything else it prints goes to stderr.
set -euo pipefail
# shellcheck source=tools/workarounds/kind-node/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exec 3>&1 1>&2

module_dir="${kind_node_dir}/kubernetes"
out="${kind_node_cache}/kubernetes-${KUBERNETES_VERSION}-$(inputs_key "${BASH_SOURCE[0]}" "${module_dir}/go.mod" "${module_dir}/go.sum")"
if [[ -d "${out}" ]]; then
  echo "${out}" >&3
  exit 0
fi

command -v go >/dev/null 2>&1 || die "go is not installed: run make setup"
cd "${module_dir}"
pinned="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
[[ "${pinned}" == "${KUBERNETES_VERSION}" ]] ||
  die "kubernetes/go.mod requires k8s.io/kubernetes ${pinned} but tools/versions.env says ${KUBERNETES_VERSION}; make them agree"

# The version stamp the Kubernetes release build writes (hack/lib/version.sh), so that
# `kubeadm version` and the Node's kubeletVersion name the release.
minor="${KUBERNETES_VERSION#v*.}"
minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X ${pkg}.gitVersion=${KUBERNETES_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
  ldflags+=" -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=1970-01-01T00:00:00Z"
done

say "building Kubernetes ${KUBERNETES_VERSION} and etcd (20 to 60 minutes on 2 cores with a cold Go cache)"
started="${SECONDS}"
rm -rf "${out}.partial"
mkdir -p "${out}.partial"
# Static binaries, as the Kubernetes release builds its server components (CGO off).
GOFLAGS=-modcacherw CGO_ENABLED=0 go build -trimpath -ldflags="${ldflags}" -o "${out}.partial/" tool
# go build names a binary after the last path element that is not a major version: etcd's main
# package go.etcd.io/etcd/server/v3 becomes "server".
mv "${out}.partial/server" "${out}.partial/etcd"
mv "${out}.partial" "${out}"
find "${kind_node_cache}" -maxdepth 1 -name "kubernetes-*" ! -path "${out}" -exec rm -rf {} +
say "built Kubernetes in $((SECONDS - started)) s: $(find "${out}" -mindepth 1 -printf '%f ')"
echo "${out}" >&3

#!/usr/bin/env bash
# Builds everything the local cluster runs, from source, into .cache/local-cluster:
#   bin/<KUBERNETES_VERSION>/  the Kubernetes components and etcd (go.mod `tool` directives)
#   images/                    pause and hello-server image tarballs (images/, no Docker needed)
# Module and build caches live under .cache/local-cluster too; a second run with unchanged
# inputs does no work.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v go >/dev/null || die "go is not installed; install Go $(sed -n 's/^go //p' "${LOCAL_CLUSTER_DIR}/go.mod") or newer"
cd "${LOCAL_CLUSTER_DIR}"
pinned="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
[[ "${pinned}" == "${KUBERNETES_VERSION}" ]] ||
  die "go.mod requires k8s.io/kubernetes ${pinned} but tools/versions.env says ${KUBERNETES_VERSION}; make them agree"

stamp_file="${BIN_DIR}/.inputs.sha256"
inputs_hash="$( (echo "${COREDNS_VERSION}"; cat build.sh lib.sh go.mod go.sum images/go.mod images/go.sum images/*/*.go) | sha256sum | cut -d' ' -f1)"
if [[ -f "${stamp_file}" && "$(cat "${stamp_file}")" == "${inputs_hash}" ]]; then
  log "up to date: ${BIN_DIR} and ${IMAGES_DIR} (inputs unchanged)"
  exit 0
fi
start=${SECONDS}
mkdir -p "${BIN_DIR}" "${IMAGES_DIR}"

# The commands to build are the go.mod `tool` directives
# (https://go.dev/doc/modules/managing-dependencies#tools).
mapfile -t tools < <(go list tool)
# The version stamp that the Kubernetes release build writes (hack/lib/version.sh), so that
# `kubectl version` and the Node's kubeletVersion name the real release.
minor="${KUBERNETES_VERSION#v*.}"
minor="${minor%%.*}"
version_flags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  version_flags+=" -X ${pkg}.gitVersion=${KUBERNETES_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
  version_flags+=" -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=1970-01-01T00:00:00Z"
done
log "building ${tools[*]} (a cold build takes about half an hour on 2 cores)"
# Static binaries, as the Kubernetes release builds its server components (CGO off).
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w${version_flags}" -o "${BIN_DIR}/" tool
# go build names a binary after the last path element that is not a major version: etcd's
# main package go.etcd.io/etcd/server/v3 becomes "server".
mv -f "${BIN_DIR}/server" "${BIN_DIR}/etcd"

log "building coredns ${COREDNS_VERSION}"
# CoreDNS's go.mod has no replace directives, so `go install` builds it as published.
GOBIN="${BIN_DIR}" CGO_ENABLED=0 go install -trimpath -ldflags="-s -w" "github.com/coredns/coredns@${COREDNS_VERSION}"

log "building the pause and hello-server images"
(cd images && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "${BIN_DIR}/" ./pause ./hello-server ./image-from-binary)
# The pause process runs as nobody, as in the official image (build/pause/Dockerfile).
"${BIN_DIR}/image-from-binary" -binary "${BIN_DIR}/pause" -image "${PAUSE_IMAGE}" -user 65535:65535 \
  -output "${IMAGES_DIR}/pause.tar"
"${BIN_DIR}/image-from-binary" -binary "${BIN_DIR}/hello-server" -image "${HELLO_IMAGE}" -user 65532:65532 \
  -output "${IMAGES_DIR}/hello-server.tar"

echo "${inputs_hash}" >"${stamp_file}"
log "built Kubernetes ${KUBERNETES_VERSION}, etcd, coredns and 2 images in $((SECONDS - start))s: $(cd "${BIN_DIR}" && echo *)"

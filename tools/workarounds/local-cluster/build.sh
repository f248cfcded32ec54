#!/usr/bin/env bash
# Builds everything the local cluster runs, from source, into .cache/local-cluster:
#   bin/<KUBERNETES_VERSION>/  the Kubernetes components and etcd (go.mod `tool` directives),
#                              CoreDNS, and the programs of images/
#   images/                    pause and hello-server image tarballs (no Docker needed)
# Module and build caches live under .cache/local-cluster too. Each step records a hash of its
# inputs and is skipped while they are unchanged, so a second run does no work.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v go >/dev/null || die "go is not installed; install Go $(sed -n 's/^go //p' "${LOCAL_CLUSTER_DIR}/go.mod") or newer"
cd "${LOCAL_CLUSTER_DIR}"
pinned="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
[[ "${pinned}" == "${KUBERNETES_VERSION}" ]] ||
  die "go.mod requires k8s.io/kubernetes ${pinned} but tools/versions.env says ${KUBERNETES_VERSION}; make them agree"
mkdir -p "${BIN_DIR}" "${IMAGES_DIR}"
start=${SECONDS}

# up_to_date STEP INPUT...: true if STEP last ran with these exact inputs; else remembers them
# in a pending stamp that done STEP makes current.
up_to_date() {
  local step="$1"
  shift
  (cat "$@"; echo "${KUBERNETES_VERSION} ${COREDNS_VERSION}") | sha256sum | cut -d' ' -f1 >"${BIN_DIR}/.${step}.pending"
  if cmp -s "${BIN_DIR}/.${step}.pending" "${BIN_DIR}/.${step}.sha256"; then
    log "${step}: up to date"
    return 0
  fi
  return 1
}
done_step() { mv "${BIN_DIR}/.$1.pending" "${BIN_DIR}/.$1.sha256"; }

# The version stamp that the Kubernetes release build writes (hack/lib/version.sh), so that
# `kubectl version` and the Node's kubeletVersion name the real release.
minor="${KUBERNETES_VERSION#v*.}"
minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X ${pkg}.gitVersion=${KUBERNETES_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
  ldflags+=" -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=1970-01-01T00:00:00Z"
done
if ! up_to_date kubernetes go.mod go.sum <(echo "${ldflags}"); then
  # The commands to build are the go.mod `tool` directives
  # (https://go.dev/doc/modules/managing-dependencies#tools).
  mapfile -t tools < <(go list tool)
  log "kubernetes: building ${tools[*]} (a cold build takes 20 to 60 minutes on 2 cores)"
  # Static binaries, as the Kubernetes release builds its server components (CGO off).
  CGO_ENABLED=0 go build -trimpath -ldflags="${ldflags}" -o "${BIN_DIR}/" tool
  # go build names a binary after the last path element that is not a major version: etcd's
  # main package go.etcd.io/etcd/server/v3 becomes "server".
  mv -f "${BIN_DIR}/server" "${BIN_DIR}/etcd"
  done_step kubernetes
fi

if ! up_to_date coredns /dev/null; then
  log "coredns: building ${COREDNS_VERSION}"
  # CoreDNS's go.mod has no replace directives, so `go install` builds it as published.
  GOBIN="${BIN_DIR}" CGO_ENABLED=0 go install -trimpath -ldflags="-s -w" "github.com/coredns/coredns@${COREDNS_VERSION}"
  done_step coredns
fi

if ! up_to_date images lib.sh images/go.mod images/go.sum images/*/*.go; then
  log "images: building pause and hello-server"
  (cd images && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "${BIN_DIR}/" ./pause ./hello-server ./image-from-binary)
  # The pause process runs as nobody, as in the official image (build/pause/Dockerfile).
  "${BIN_DIR}/image-from-binary" -binary "${BIN_DIR}/pause" -image "${PAUSE_IMAGE}" -user 65535:65535 \
    -output "${IMAGES_DIR}/pause.tar"
  "${BIN_DIR}/image-from-binary" -binary "${BIN_DIR}/hello-server" -image "${HELLO_IMAGE}" -user 65532:65532 \
    -output "${IMAGES_DIR}/hello-server.tar"
  done_step images
fi

log "build done in $((SECONDS - start))s: ${BIN_DIR} ($(cd "${BIN_DIR}" && echo *)), ${IMAGES_DIR}"

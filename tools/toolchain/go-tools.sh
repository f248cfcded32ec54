# shellcheck shell=bash
# Sourced by tools/toolchain/install.sh, never run: the tools built with Go from the Go module proxy.
# shellcheck disable=SC2034 # the tables here are read by install.sh

# tool name -> "go-package version" (the package is the one `go install` builds).
declare -A go_tools=(
  [helm]="helm.sh/helm/v4/cmd/helm ${HELM_VERSION}"
  [helm3]="helm.sh/helm/v3/cmd/helm ${HELM3_VERSION}"
  [ct]="github.com/helm/chart-testing/v3/ct ${CT_VERSION}"
  [kind]="sigs.k8s.io/kind ${KIND_VERSION:?KIND_VERSION is missing from tools/versions.env}"
  [helm-docs]="github.com/norwoodj/helm-docs/cmd/helm-docs ${HELM_DOCS_VERSION}"
  [kube-score]="github.com/zegl/kube-score/cmd/kube-score ${KUBE_SCORE_VERSION}"
  [vegeta]="github.com/tsenart/vegeta/v12 ${VEGETA_VERSION}"
  [syft]="github.com/anchore/syft/cmd/syft ${SYFT_VERSION:?SYFT_VERSION is missing from tools/versions.env}"
  [cosign]="github.com/sigstore/cosign/v3/cmd/cosign ${COSIGN_VERSION:?COSIGN_VERSION is missing from tools/versions.env}"
  [actionlint]="github.com/rhysd/actionlint/cmd/actionlint ${ACTIONLINT_VERSION:?ACTIONLINT_VERSION is missing from tools/versions.env}"
)
# Version stamps that the upstream release builds set with -ldflags (helm's Makefile), so that
# `helm version` names the release instead of its bare major.minor.
declare -A go_ldflags=(
  [helm]="-X helm.sh/helm/v4/internal/version.version=${HELM_VERSION}"
  [helm3]="-X helm.sh/helm/v3/internal/version.version=${HELM3_VERSION}"
  [ct]="-X github.com/helm/chart-testing/v3/ct/cmd.Version=${CT_VERSION}"
  [vegeta]="-X main.Version=${VEGETA_VERSION}"
  [syft]="-X main.version=${SYFT_VERSION}"
  [cosign]="-X sigs.k8s.io/release-utils/version.gitVersion=${COSIGN_VERSION}"
  [actionlint]="-X github.com/rhysd/actionlint.version=${ACTIONLINT_VERSION}"
)
# Go's own module and build caches (GOMODCACHE, GOCACHE: ~/go and ~/.cache by default) are shared
# by every checkout on the machine, as for any Go build: a second clone links instead of compiling.
export GOFLAGS="-modcacherw"
# Static binaries, as the upstream release builds are.
export CGO_ENABLED=0

install_go_tool() {
  local name="$1" package version
  read -r package version <<<"${go_tools[${name}]}"
  local versioned="${TOOLS_BIN}/${name}-${version}"
  if [[ -x "${versioned}" ]]; then
    say "${name} ${version} is up to date"
  else
    command -v go >/dev/null 2>&1 || die "go is not installed; install Go 1.24 or newer (https://go.dev/doc/install) and re-run"
    say "installing ${name} ${version} (go build ${package}@${version})"
    local start=${SECONDS} module
    # `go install pkg@version` also reads the module's version list for deprecation notices, and
    # some module proxies refuse that list (403) while serving the version itself. So: a throwaway
    # module that requires exactly this version, then an ordinary build, which reads no list.
    module="$(mktemp -d)"
    (
      cd "${module}"
      go mod init "toolchain/${name}" >/dev/null 2>&1
      go get "${package}@${version}" &&
        go build -trimpath -ldflags="-s ${go_ldflags[${name}]:-}" -o "${versioned}" "${package}"
    ) || die "building ${package}@${version} failed (see above); check the pin in tools/versions.env"
    rm -rf "${module}"
    say "installed ${name} ${version} in $((SECONDS - start))s"
  fi
  ln -sfn "$(basename "${versioned}")" "${TOOLS_BIN}/${name}"
}

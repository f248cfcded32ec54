#!/usr/bin/env bash
# The one door into tools/workarounds: `make setup` (tools/setup/setup.sh) calls it only when it
# finds a need it cannot meet on its own.
#   setup.sh TOOL...      install the missing tools that tools/setup/doctor.sh named (Debian
#                         packages), and start a Docker engine when none answers
#   setup.sh base-images  no registry answers: build offline stand-ins of the base images
#   setup.sh cluster-images  likewise for the images only the cluster tests run (metrics-server)
#   setup.sh kind-node-image  kind cannot pull its node image: build one (kind-node/build.sh)
# Every call also records what this machine's builds need (the engine's network, local CAs).
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# > 0)) || die "usage: tools/workarounds/setup.sh TOOL... | base-images | cluster-images | kind-node-image"
say "this machine needs workarounds (tools/workarounds/README.md): $*"

# The machine's own CA certificates, for npm inside the API image's build behind a
# TLS-inspecting proxy (apps/api/Dockerfile EXTRA_CA_CERTS; Debian's update-ca-certificates
# keeps local ones in /usr/local/share/ca-certificates).
record_local_cas() {
  local bundle="${cache_dir}/extra-ca-certs.pem" files=()
  shopt -s nullglob
  files=(/usr/local/share/ca-certificates/*.crt)
  shopt -u nullglob
  if ((${#files[@]})); then
    mkdir -p "${cache_dir}"
    cat "${files[@]}" >"${bundle}"
    record EXTRA_CA_CERTS_FILE "${bundle}"
    say "image builds trust ${#files[@]} local CA certificate file(s) from /usr/local/share/ca-certificates"
  else
    forget EXTRA_CA_CERTS_FILE
  fi
}

# tool (as tools/setup/doctor.sh names it) -> Debian package.
declare -A packages=(
  [python3-venv]=python3-venv
  [nginx]=nginx
  [envsubst]=gettext-base
  [chromium]=chromium
  [shellcheck]=shellcheck
  [curl]=curl
  [wrk]=wrk
  [gpg]=gnupg
)

install=() engine=false
for need in "$@"; do
  case "${need}" in
    base-images | cluster-images | kind-node-image) ;;
    docker) engine=true ;;
    *)
      if [[ -v "packages[${need}]" ]]; then
        install+=("${packages[${need}]}")
      else
        say "no Debian package here for ${need}: install it as tools/setup/doctor.sh says"
      fi
      ;;
  esac
done
# Installing packages and starting dockerd need root; using stand-ins that exist does not.
needs_root=("${install[@]}")
if ${engine}; then needs_root+=(docker); fi
if ((${#needs_root[@]})) && [[ "$(id -u)" -ne 0 ]]; then
  die "not root, so nothing can be installed here: install ${needs_root[*]} yourself (make doctor says how), then re-run make setup"
fi
((${#install[@]} == 0)) || "${workarounds_dir}/apt-install.sh" "${install[@]}"
if ${engine} || docker info >/dev/null 2>&1; then
  "${workarounds_dir}/docker-engine.sh"
fi
record_local_cas
if [[ " $* " == *" base-images "* ]]; then
  "${workarounds_dir}/base-images.sh"
fi
if [[ " $* " == *" cluster-images "* ]]; then
  "${workarounds_dir}/base-images.sh" METRICS_SERVER_IMAGE:metrics-server
fi
if [[ " $* " == *" kind-node-image "* ]]; then
  "${workarounds_dir}/kind-node/build.sh" >/dev/null
fi

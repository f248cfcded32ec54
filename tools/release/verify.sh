#!/usr/bin/env bash
# make verify-release: checks a release as its user would, from the registry alone:
#   - both images, by their tag, carry a valid cosign signature of the release key;
#   - both carry a signed CycloneDX SBOM attestation listing the image's Debian packages, and
#     for the API its npm tree (express among it);
#   - the chart, by its digest, carries a cosign signature, and its Helm provenance file verifies
#     (helm pull --verify).
# Reads dist/release/<version>/release.env (make release writes it; default: the latest).
# Keys: COSIGN_PUBLIC_KEY and HELM_VERIFY_KEYRING when given; otherwise the local pair of keys.sh.
# Exit 1, naming what failed, on the first check that does not hold.
set -euo pipefail
# shellcheck source=tools/release/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_release_tools helm cosign
cd "${repo_root}"

release_env="${1:-${RELEASE_DIR}/latest/release.env}"
[[ -f "${release_env}" ]] || die "${release_env#"${repo_root}/"} is missing: run make release first"
# shellcheck source=/dev/null
source "${release_env}"
public_key="${COSIGN_PUBLIC_KEY:-${RELEASE_KEYS}/cosign.pub}"
keyring="${HELM_VERIFY_KEYRING:-${RELEASE_KEYS}/pubring.gpg}"
[[ -f "${public_key}" ]] || die "no public key ${public_key}: set COSIGN_PUBLIC_KEY"

verify_signature() {
  cosign verify "${COSIGN_OFFLINE_VERIFY[@]}" --key "${public_key}" "$1" >/dev/null 2>"${work}/cosign.err" ||
    die "cosign verify $1 failed: $(tail -n 1 "${work}/cosign.err")"
}
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

for name in api nginx; do
  upper="${name^^}"
  repository_var="${upper}_REPOSITORY" digest_var="${upper}_DIGEST"
  # shellcheck disable=SC2153 # VERSION comes from release.env
  tagged="${!repository_var}:${VERSION}"
  verify_signature "${tagged}"
  cosign verify-attestation "${COSIGN_OFFLINE_VERIFY[@]}" --key "${public_key}" --type cyclonedx \
    "${!repository_var}@${!digest_var}" >"${work}/attestation.json" 2>"${work}/cosign.err" ||
    die "cosign verify-attestation ${tagged} failed: $(tail -n 1 "${work}/cosign.err")"
  npm_packages=()
  if [[ "${name}" == api ]]; then npm_packages=(express); fi
  summary="$(npx tsx tools/release/attested-sbom.ts "${work}/attestation.json" "${npm_packages[@]}")" ||
    die "the SBOM attested for ${tagged}: ${summary}"
  say "${tagged}: signed; SBOM attested: ${summary}"
done

chart_repository="${CHART#oci://}"
verify_signature "${chart_repository}@${CHART_DIGEST}"
helm pull "${CHART}" --version "${VERSION}" --plain-http --verify --keyring "${keyring}" \
  --destination "${work}" >"${work}/helm.out" 2>&1 ||
  die "helm pull --verify ${CHART}:${VERSION} failed: $(tail -n 1 "${work}/helm.out")"
say "${CHART}:${VERSION}: signed (${CHART_DIGEST}); provenance verified ($(grep -m1 '^Signed by' "${work}/helm.out" || echo 'helm verify passed'))"

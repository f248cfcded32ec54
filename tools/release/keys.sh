#!/usr/bin/env bash
# The signing keys make release uses when none is given: a cosign key pair for the images, the
# chart and the SBOM attestations, and an OpenPGP key for the chart's Helm provenance file.
# Made once per checkout in .cache/release/keys (never committed), for this machine and its
# tests only: a release users trust is signed with your own key (COSIGN_KEY, HELM_SIGNING_KEY)
# or keyless from CI (.github/workflows/release.yml). Idempotent; prints nothing else on stdout.
#   keys.sh            make them when absent
# Files: cosign.key, cosign.pub, cosign.password; gnupg/ (the keyring), secring.gpg and
# pubring.gpg (the legacy keyrings Helm reads).
set -euo pipefail
# shellcheck source=tools/release/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "${RELEASE_KEYS}"
chmod 700 "${RELEASE_KEYS}"
if [[ ! -f "${RELEASE_KEYS}/cosign.key" ]]; then
  require_release_tools cosign
  say "making a local cosign key pair in ${RELEASE_KEYS#"${repo_root}/"} (for this machine's releases only)"
  head -c 24 /dev/urandom | base64 >"${RELEASE_KEYS}/cosign.password"
  (cd "${RELEASE_KEYS}" && COSIGN_PASSWORD="$(cat cosign.password)" cosign generate-key-pair >/dev/null 2>&1) ||
    die "cosign generate-key-pair failed"
fi
if [[ ! -f "${RELEASE_KEYS}/secring.gpg" ]]; then
  command -v gpg >/dev/null 2>&1 || die "gpg is not installed: install GnuPG (Debian package gnupg; brew install gnupg) and re-run"
  say "making a local OpenPGP key for Helm provenance in ${RELEASE_KEYS#"${repo_root}/"}"
  export GNUPGHOME="${RELEASE_KEYS}/gnupg"
  mkdir -p "${GNUPGHOME}"
  chmod 700 "${GNUPGHOME}"
  gpg --batch --quiet --passphrase '' --quick-generate-key "${RELEASE_SIGNER}" rsa3072 sign never 2>/dev/null
  # Helm reads the legacy keyring format (https://helm.sh/docs/topics/provenance/).
  gpg --batch --quiet --export-secret-keys >"${RELEASE_KEYS}/secring.gpg"
  gpg --batch --quiet --export >"${RELEASE_KEYS}/pubring.gpg"
fi

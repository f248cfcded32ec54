# shellcheck shell=bash
# Sourced by tools/toolchain/install.sh, never run: command-line tools from the npm registry that
# the project does not depend on as packages (they stay out of package-lock.json), each in a
# prefix of its own under .cache/tools, installed with the pinned Node's npm.
# shellcheck disable=SC2034 # the table here is read by install.sh

# tool name -> "npm-package version binary".
declare -A npm_tools=(
  # Renovate's own config validator, for renovate.json (tools/setup/renovate.spec.ts).
  [renovate-config-validator]="renovate ${RENOVATE_VERSION:?RENOVATE_VERSION is missing from tools/versions.env} renovate-config-validator"
)

install_npm_tool() {
  local name="$1" package version binary
  read -r package version binary <<<"${npm_tools[${name}]}"
  local prefix="${TOOLS_DIR}/${package}-${version}"
  if [[ -x "${prefix}/node_modules/.bin/${binary}" ]]; then
    say "${name} ${version} is up to date"
  else
    say "installing ${name} (npm ${package}@${version})"
    local start=${SECONDS}
    rm -rf "${prefix}.partial"
    # No install scripts: renovate's optional native regex engine (re2) would compile against Node
    # headers fetched from the network; without it renovate uses JavaScript's RegExp and says so.
    npm install --prefix "${prefix}.partial" --no-audit --no-fund --no-save --ignore-scripts \
      --loglevel=error "${package}@${version}" >/dev/null ||
      die "npm install ${package}@${version} failed (see above); check the pin in tools/versions.env"
    rm -rf "${prefix}"
    mv "${prefix}.partial" "${prefix}"
    say "installed ${name} ${version} in $((SECONDS - start))s"
  fi
  ln -sfn "../${package}-${version}/node_modules/.bin/${binary}" "${TOOLS_BIN}/${name}"
}

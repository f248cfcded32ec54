# shellcheck shell=bash
# Sourced by tools/toolchain/install.sh, never run: the tools installed with pip into venvs.
# shellcheck disable=SC2034 # the tables here are read by install.sh

# tool name -> PyPI requirement.
declare -A python_tools=(
  [yamllint]="yamllint==${YAMLLINT_VERSION}"
  [yamale]="yamale==${YAMALE_VERSION}"
  [kubernetes-validate]="kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}"
)
# tool name -> "PyPI requirement command": tools with many dependencies of their own, each in a
# venv of its own (.cache/tools/<package>-<version>) so that they never constrain each other.
declare -A own_venv_tools=(
  [gixy]="gixy-ng==${GIXY_NG_VERSION} gixy"
  [schemathesis]="schemathesis==${SCHEMATHESIS_VERSION} schemathesis"
)
installed_python_version() {
  "${TOOLS_VENV}/bin/python" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$1" 2>/dev/null || true
}

install_python_tools() {
  local missing=() name requirement
  for name in "$@"; do
    requirement="${python_tools[${name}]}"
    if [[ "$(installed_python_version "${name}")" == "${requirement#*==}" ]]; then
      say "${name} ${requirement#*==} is up to date"
    else
      missing+=("${requirement}")
    fi
  done
  if ((${#missing[@]} > 0)); then
    command -v python3 >/dev/null 2>&1 || die "python3 is not installed; install Python 3.9 or newer (Debian packages python3 python3-venv) and re-run"
    if [[ ! -x "${TOOLS_VENV}/bin/python" ]]; then
      say "creating the Python venv ${TOOLS_VENV#"${repo_root}/"}"
      python3 -m venv "${TOOLS_VENV}" || die "python3 -m venv failed; install the venv module (Debian package python3-venv) and re-run"
    fi
    local start=${SECONDS}
    say "installing ${missing[*]} (pip)"
    "${TOOLS_VENV}/bin/python" -m pip install --quiet --disable-pip-version-check "${missing[@]}" ||
      die "pip install ${missing[*]} failed (see above); check the pins in tools/versions.env"
    say "installed ${missing[*]} in $((SECONDS - start))s"
  fi
  for name in "$@"; do
    ln -sfn "../venv/bin/${name}" "${TOOLS_BIN}/${name}"
  done
}

install_own_venv_tool() {
  local name="$1" requirement command
  read -r requirement command <<<"${own_venv_tools[${name}]}"
  local venv="${TOOLS_DIR}/${requirement/==/-}"
  # The marker is written last, so an interrupted install is redone rather than trusted.
  if [[ -f "${venv}/.installed" ]]; then
    say "${name} ${requirement#*==} is up to date"
  else
    command -v python3 >/dev/null 2>&1 || die "python3 is not installed; install Python 3.9 or newer (Debian packages python3 python3-venv) and re-run"
    local start=${SECONDS}
    say "installing ${requirement} (pip, into ${venv#"${repo_root}/"})"
    rm -rf "${venv}"
    python3 -m venv "${venv}" || die "python3 -m venv failed; install the venv module (Debian package python3-venv) and re-run"
    "${venv}/bin/python" -m pip install --quiet --disable-pip-version-check "${requirement}" ||
      die "pip install ${requirement} failed (see above); check the pin in tools/versions.env"
    touch "${venv}/.installed"
    say "installed ${requirement} in $((SECONDS - start))s"
  fi
  ln -sfn "../$(basename "${venv}")/bin/${command}" "${TOOLS_BIN}/${name}"
}

#!/usr/bin/env bash
# The Docker engine's default runtime on machines whose root lacks CAP_SYS_RESOURCE in its
# capability bounding set (docker-engine.sh registers it only there): runc, after removing that
# capability from what the container asks for. Without this, every `docker run --privileged`
# (which kind uses for its nodes) fails with "unable to apply caps: operation not permitted",
# because a privileged container asks for every capability the engine knows of.
#
# runc reads a container's capabilities from the bundle's config.json (create, run) and an
# exec's from the --process file (exec); both are rewritten in place, then runc runs with the
# arguments it was given. https://github.com/opencontainers/runc/blob/main/docs/terminals.md
# Run by the engine's shim, not by people: it speaks only through its exit status and stderr.
set -euo pipefail
dropped=CAP_SYS_RESOURCE

# Every capability set in a process object (bounding, effective, inheritable, permitted, ambient).
# shellcheck disable=SC2016 # $cap is jq's variable
drop='with_entries(.value |= map(select(. != $cap)))'

rewrite() {
  local file="$1" path="$2"
  [[ -f "${file}" ]] || return 0
  jq --arg cap "${dropped}" "(${path}) |= (if . == null then . else ${drop} end)" "${file}" >"${file}.runc-wrapper"
  mv "${file}.runc-wrapper" "${file}"
}

command="" bundle="" process=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --bundle | -b) bundle="${args[i + 1]:-}" ;;
    --bundle=*) bundle="${args[i]#*=}" ;;
    --process | -p) process="${args[i + 1]:-}" ;;
    --process=*) process="${args[i]#*=}" ;;
    create | run | exec)
      if [[ -z "${command}" ]]; then command="${args[i]}"; fi
      ;;
  esac
done

case "${command}" in
  create | run) rewrite "${bundle:-.}/config.json" '.process.capabilities' ;;
  exec) if [[ -n "${process}" ]]; then rewrite "${process}" '.capabilities'; fi ;;
esac
exec runc "$@"

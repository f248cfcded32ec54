#!/usr/bin/env bash
# Reports on a built image and fails when it breaks a rule of this project:
#   - prints the image's size and the size of its own layers above BASE (docker history);
#   - fails when the image runs as root (Config.User empty, root or 0);
#   - fails when a devDependency of the root package.json sits in a node_modules directory of the
#     image's own layers (read from `docker save`, so nothing in the image has to run).
# The base is the one the image names in its org.opencontainers.image.base.name label.
# Usage: image-report.sh IMAGE   (for example sidecar-api:0.1.0)
set -euo pipefail
# shellcheck source=tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

image="${1:?usage: image-report.sh IMAGE}"
docker image inspect "${image}" >/dev/null 2>&1 || die "${image} is not in the engine: build it first"
base="$(docker image inspect --format '{{index .Config.Labels "org.opencontainers.image.base.name"}}' "${image}")"
[[ -n "${base}" ]] || die "${image} has no org.opencontainers.image.base.name label: build it with its Dockerfile"
docker image inspect "${base}" >/dev/null 2>&1 || die "${image} was built FROM ${base}, which is no longer in the engine"

mapfile -t image_layers < <(docker image inspect --format '{{range .RootFS.Layers}}{{println .}}{{end}}' "${image}" | sed '/^$/d')
mapfile -t base_layers < <(docker image inspect --format '{{range .RootFS.Layers}}{{println .}}{{end}}' "${base}" | sed '/^$/d')
for i in "${!base_layers[@]}"; do
  [[ "${image_layers[i]:-}" == "${base_layers[i]}" ]] || die "${image} is not built FROM ${base}: their first layers differ"
done

human() { numfmt --to=si --suffix=B "$1"; }
total="$(docker image inspect --format '{{.Size}}' "${image}")"
base_size="$(docker image inspect --format '{{.Size}}' "${base}")"
own_count=$((${#image_layers[@]} - ${#base_layers[@]}))
say "${image}: $(human "${total}") in total, $(human $((total - base_size))) in ${own_count} layer(s) above ${base} ($(human "${base_size}"))"
# docker history lists the newest step first; the steps above the base come before its own.
own_steps=$(($(docker history -q "${image}" | wc -l) - $(docker history -q "${base}" | wc -l)))
docker history --human=false --no-trunc --format '{{.Size}}\t{{.CreatedBy}}' "${image}" \
  | head -n "${own_steps}" \
  | awk -F'\t' '$1 > 0 { sub(/^\/bin\/sh -c (#\(nop\) )? */, "", $2); printf "  %10s  %s\n", $1, substr($2, 1, 100) }' \
  | numfmt --field=1 --to=si --suffix=B --padding=10

failures=()
user="$(docker image inspect --format '{{.Config.User}}' "${image}")"
case "${user%%:*}" in
  "" | root | 0) failures+=("runs as root (Config.User='${user}'): add USER with a non-root uid") ;;
  *) say "user: ${user}" ;;
esac

mapfile -t dev_deps < <(node -e 'for (const name of Object.keys(require(process.argv[1]).devDependencies ?? {})) console.log(name)' "${repo_root}/package.json")
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
docker save "${image}" | tar -x -C "${work}"
mapfile -t layer_files < <(node -e 'console.log(require(process.argv[1])[0].Layers.join("\n"))' "${work}/manifest.json")
: >"${work}/paths"
for layer in "${layer_files[@]:${#base_layers[@]}}"; do tar -tf "${work}/${layer}" >>"${work}/paths"; done
found=()
for dep in "${dev_deps[@]}"; do
  if grep -q -E "(^|/)node_modules/${dep//./\\.}/package\.json$" "${work}/paths"; then found+=("${dep}"); fi
done
if ((${#found[@]})); then
  failures+=("devDependencies in its node_modules: ${found[*]} (install with --omit=dev or copy only the build output)")
else
  say "none of the ${#dev_deps[@]} devDependencies of package.json is in the image's own layers ($(grep -c -E '(^|/)node_modules/$' "${work}/paths" || true) node_modules directories there)"
fi

if ((${#failures[@]})); then
  for failure in "${failures[@]}"; do printf '[image-report] FAIL: %s %s\n' "${image}" "${failure}" >&2; done
  exit 1
fi
say "OK: ${image} passes (non-root, no devDependencies)"

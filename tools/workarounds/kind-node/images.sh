#!/usr/bin/env bash
# Writes the input of `kind build node-image --type file`: a Kubernetes server release tarball
# (kubernetes/version, kubernetes/server/bin/{kubeadm,kubelet,kubectl} and the control plane's
# image archives), from the binaries kubernetes.sh built. Prints the tarball's path.
# Usage: images.sh KUBERNETES_DIR BASE_IMAGE
#
# kind's build pulls every image the node needs that the tarball does not hold. Offline, the
# tarball must hold them all, so kube-proxy.tar (one `docker save` archive may hold many images)
# also carries etcd, CoreDNS, pause and kind's add-ons, each rebuilt from its source at the
# version its name says:
#   registry.k8s.io/kube-*:<KUBERNETES_VERSION>  kubernetes.sh's binaries
#   registry.k8s.io/etcd, coredns/coredns        the versions `kubeadm config images list` names
#   registry.k8s.io/pause:<tag>                  pause.c of the Kubernetes module, tag from the
#                                                base image's containerd config (sandbox_image)
#   kindest/kindnetd, local-path-provisioner,    kind KIND_ADDONS_VERSION's (lib.sh says why);
#   local-path-helper                            kindnetd from ./kindnetd, a copy of its source
# Known differences from the published images: no distroless bases. The static programs sit alone
# in their image; kube-proxy, kindnetd and local-path-helper sit on a Debian bookworm minbase with
# iptables, nftables and conntrack (the published ones use distroless-iptables and staged tools).
set -euo pipefail
# shellcheck source=tools/workarounds/kind-node/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exec 3>&1 1>&2

k8s_dir="${1:?usage: images.sh KUBERNETES_DIR BASE_IMAGE}"
base_image="${2:?usage: images.sh KUBERNETES_DIR BASE_IMAGE}"
key="$(inputs_key "${BASH_SOURCE[0]}" "${kind_node_dir}/kindnetd/go.sum" "${workarounds_dir}/standins/rootfs.sh" \
  <(echo "${k8s_dir} ${base_image} ${KIND_ADDONS_VERSION}"))"
out="${kind_node_cache}/release-${KUBERNETES_VERSION}-${key}"
tarball="${out}/kubernetes-server-linux-amd64.tar.gz"
if [[ -s "${tarball}" ]]; then
  echo "${tarball}" >&3
  exit 0
fi

started="$(now_ms)"
work="$(mktemp -d "${cache_dir}/kind-images.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
bin="${work}/kubernetes/server/bin"
mkdir -p "${bin}"
echo "${KUBERNETES_VERSION}" >"${work}/kubernetes/version"
cp "${k8s_dir}"/{kubeadm,kubelet,kubectl} "${bin}/"

# The names kubeadm gives the control plane's images, and their versions.
declare -A wanted=()
while read -r reference; do
  name="${reference%:*}"
  wanted["${name##*/}"]="${reference}"
done < <("${k8s_dir}/kubeadm" config images list --kubernetes-version "${KUBERNETES_VERSION}")
for component in kube-apiserver kube-controller-manager kube-scheduler kube-proxy etcd coredns; do
  [[ -v "wanted[${component}]" ]] || die "kubeadm ${KUBERNETES_VERSION} names no ${component} image"
done
etcd_version="v${wanted[etcd]##*:}"
etcd_version="${etcd_version%-*}"
built_etcd="$("${k8s_dir}/etcd" --version | sed -n 's/^etcd Version: /v/p')"
[[ "${built_etcd}" == "${etcd_version}" ]] ||
  die "kubeadm wants etcd ${etcd_version} but kubernetes/go.mod builds ${built_etcd}: pin go.etcd.io/etcd/server/v3 ${etcd_version} there"
coredns_version="${wanted[coredns]##*:}"
pause_image="$(docker run --rm --network none --entrypoint sed "${base_image}" \
  -n 's/^ *sandbox_image = "\(.*\)"$/\1/p' /etc/containerd/config.toml)"
[[ -n "${pause_image}" ]] || die "found no sandbox_image in ${base_image}'s /etc/containerd/config.toml"

# The programs that are not Kubernetes: CoreDNS and local-path-provisioner from their Go modules,
# kindnetd from its copied source, pause from its C source, as their Makefiles build them.
programs="${work}/programs"
mkdir -p "${programs}"
say "building CoreDNS ${coredns_version}, local-path-provisioner, kindnetd and pause"
GOBIN="${programs}" CGO_ENABLED=0 GOFLAGS="-trimpath -modcacherw" \
  go install -ldflags "-s -w" "github.com/coredns/coredns@${coredns_version}"
addons_src="$(kind_source_dir "${KIND_ADDONS_VERSION}")"
provisioner_version="$(sed -n 's/^VERSION=//p' "${addons_src}/images/local-path-provisioner/Makefile")"
GOBIN="${programs}" CGO_ENABLED=0 GOFLAGS="-trimpath -modcacherw" go install \
  -ldflags "-s -w -X main.VERSION=${provisioner_version}" "github.com/rancher/local-path-provisioner@${provisioner_version}"
(cd "${kind_node_dir}/kindnetd" && CGO_ENABLED=0 GOFLAGS="-trimpath -modcacherw" \
  go build -ldflags "-s -w" -o "${programs}/kindnetd" ./cmd/kindnetd)
pause_tag="${pause_image##*:}"
gcc -Os -Wall -Werror -static -DVERSION="v${pause_tag}" -o "${programs}/pause" \
  "$(cd "${kind_node_dir}/kubernetes" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)/build/pause/linux/pause.c"

# A Debian root filesystem with the packet-filter tools, for the programs that run them.
tools_base="sidecar-offline/kind-iptables-base:$(inputs_key "${BASH_SOURCE[0]}" "${workarounds_dir}/standins/rootfs.sh")"
if ! docker image inspect "${tools_base}" >/dev/null 2>&1; then
  say "building ${tools_base}: bookworm minbase with iptables, nftables, conntrack, ipset"
  root="${work}/rootfs"
  mkdir -p "${root}"
  tar --numeric-owner -C "${root}" -xf "$("${workarounds_dir}/standins/rootfs.sh")"
  cp /etc/resolv.conf "${root}/etc/resolv.conf"
  { chroot "${root}" apt-get update &&
    chroot "${root}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      iptables nftables conntrack ipset; } >"${work}/apt.log" 2>&1 ||
    { tail -n 20 "${work}/apt.log" >&2; die "apt-get inside ${tools_base} failed (log above)"; }
  rm -rf "${root}/etc/resolv.conf" "${root}"/var/lib/apt/lists/* "${root}"/var/cache/apt/*.bin
  tar --numeric-owner -C "${root}" -c . | docker import - "${tools_base}" >/dev/null
  rm -rf "${root}"
  docker images --format '{{.Repository}}:{{.Tag}}' "${tools_base%:*}" | grep -v -x -F "${tools_base}" |
    xargs -r docker rmi >/dev/null 2>&1 || true
fi

# image LOCAL_NAME FROM USER PATH_IN_IMAGE PROGRAM [ENTRYPOINT-JSON]: one program in an image.
# The local names are kept in `built`, to leave the engine once the archives hold the images.
built=()
image() {
  local local_name="$1" from="$2" user="$3" path="$4" program="$5" entrypoint="${6:-}"
  local context="${work}/context"
  rm -rf "${context}"
  mkdir -p "${context}"
  cp "${program}" "${context}/program"
  {
    echo "FROM ${from}"
    echo "COPY program ${path}"
    echo "ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin"
    echo "USER ${user}"
    if [[ -n "${entrypoint}" ]]; then echo "ENTRYPOINT ${entrypoint}"; fi
    echo "LABEL sidecar.offline-rebuild.of=\"$(basename "${path}")\""
  } >"${context}/Dockerfile"
  docker build --quiet --network none --tag "${local_name}" "${context}" >"${work}/build.log" 2>&1 ||
    { cat "${work}/build.log" >&2; die "docker build of ${local_name} failed (log above)"; }
  built+=("${local_name}")
}

# save ARCHIVE LOCAL_NAME=NAME...: a `docker save` archive of the local images, under the names
# the node image needs (docker would shorten docker.io/ names, and kind compares them in full).
save() {
  local archive="$1" pair locals=() renames='{}'
  shift
  for pair in "$@"; do
    locals+=("${pair%%=*}")
    renames="$(jq --arg from "${pair%%=*}" --arg to "${pair#*=}" '. + {($from): $to}' <<<"${renames}")"
  done
  local dir="${work}/save"
  rm -rf "${dir}"
  mkdir -p "${dir}"
  docker save "${locals[@]}" | tar -C "${dir}" -x
  jq --argjson renames "${renames}" 'map(.RepoTags |= map($renames[.] // .))' "${dir}/manifest.json" >"${dir}/manifest.new"
  mv "${dir}/manifest.new" "${dir}/manifest.json"
  # kind reads an archive's names from whichever of `repositories` and manifest.json comes first,
  # and from manifest.json only the first image's: so `repositories` (the legacy index of every
  # name), first, and entries named exactly so, not ./manifest.json.
  jq 'map(.RepoTags[] | {(.[:rindex(":")]): {(.[rindex(":") + 1:]): "-"}}) | reduce .[] as $r ({}; . * $r)' \
    "${dir}/manifest.json" >"${dir}/repositories"
  local rest=()
  mapfile -t rest < <(find "${dir}" -mindepth 1 -maxdepth 1 ! -name repositories ! -name manifest.json -printf '%f\n')
  (cd "${dir}" && tar -cf "${archive}" repositories manifest.json -- "${rest[@]}")
}

local_name() { echo "sidecar-offline/kind-${1##*/}"; }
for component in kube-apiserver kube-controller-manager kube-scheduler; do
  image "$(local_name "${wanted[${component}]}")" scratch 0 "/usr/local/bin/${component}" "${k8s_dir}/${component}"
  save "${bin}/${component}.tar" "$(local_name "${wanted[${component}]}")=${wanted[${component}]}"
done
image "$(local_name "${wanted[kube-proxy]}")" "${tools_base}" 0 /usr/local/bin/kube-proxy "${k8s_dir}/kube-proxy"
image "$(local_name "${wanted[etcd]}")" scratch 0 /usr/local/bin/etcd "${k8s_dir}/etcd"
image "$(local_name "${wanted[coredns]}")" scratch 65532 /coredns "${programs}/coredns" '["/coredns"]'
image "$(local_name "${pause_image}")" scratch 65535:65535 /pause "${programs}/pause" '["/pause"]'
kindnetd="$(kind_addon_image "${addons_src}" kindnetdImage)"
provisioner="$(kind_addon_image "${addons_src}" storageProvisionerImage)"
helper="$(kind_addon_image "${addons_src}" storageHelperImage)"
image "$(local_name "${kindnetd}")" "${tools_base}" 0 /bin/kindnetd "${programs}/kindnetd" '["/bin/kindnetd"]'
image "$(local_name "${provisioner}")" scratch 0 /usr/local/bin/local-path-provisioner \
  "${programs}/local-path-provisioner" '["/usr/local/bin/local-path-provisioner"]'
# The helper runs `sh -c "mkdir ..."` and `rm`: the minbase's shell and coreutils serve.
docker tag "${tools_base}" "$(local_name "${helper}")"
built+=("$(local_name "${helper}")")
pairs=()
for reference in "${wanted[kube-proxy]}" "${wanted[etcd]}" "${wanted[coredns]}" "${pause_image}" \
  "${kindnetd}" "${provisioner}" "${helper}"; do
  pairs+=("$(local_name "${reference}")=${reference}")
done
save "${bin}/kube-proxy.tar" "${pairs[@]}"
# The archives hold the images now; the engine needs no copy under the local names.
docker rmi "${built[@]}" >/dev/null

rm -rf "${out}"
mkdir -p "${out}"
tar -C "${work}" -cf - kubernetes | gzip -1 >"${tarball}"
find "${kind_node_cache}" -maxdepth 1 -name "release-*" ! -path "${out}" -exec rm -rf {} +
say "wrote ${tarball#"${repo_root}/"} ($(du -h "${tarball}" | cut -f1)) in $((($(now_ms) - started) / 1000)) s"
echo "${tarball}" >&3

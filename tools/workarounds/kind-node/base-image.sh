#!/usr/bin/env bash
# Builds kind's base image offline, following kind's own recipe (sigs.k8s.io/kind@KIND_VERSION
# images/base/Dockerfile) step by step: its Debian packages (from the mirror apt uses here, onto
# the bookworm root filesystem the stand-ins start from), its files (entrypoint, systemd units,
# containerd config), its service set-up, and containerd, runc, crictl and the CNI plugins
# built by components.sh. Prints the image's name: sidecar-offline/kind-base:<kind>-<inputs key>,
# reused while the recipe is unchanged. Everything else it prints goes to stderr.
# Differences from kind's image: Debian bookworm, not trixie (bookworm's systemd still boots on
# a cgroup v1 host, trixie's refuses); no containerd-fuse-overlayfs (rootless kind only).
set -euo pipefail
# shellcheck source=tools/workarounds/kind-node/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exec 3>&1 1>&2

kind_src="$(kind_source_dir "${KIND_VERSION}")"
kind_base_versions
image="sidecar-offline/kind-base:${KIND_VERSION}-$(inputs_key "${BASH_SOURCE[0]}" "${kind_node_dir}/components.sh" \
  "${workarounds_dir}/standins/rootfs.sh" "${kind_src}/images/base/Dockerfile")"
if docker image inspect "${image}" >/dev/null 2>&1; then
  echo "${image}" >&3
  exit 0
fi

[[ "$(id -u)" -eq 0 ]] || die "building kind's base image needs root (chroot, apt-get): run make setup as root once"
"${kind_node_dir}/components.sh"
rootfs_tar="$("${workarounds_dir}/standins/rootfs.sh")"
started="$(now_ms)"
work="$(mktemp -d "${cache_dir}/kind-base.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
root="${work}/rootfs"
mkdir -p "${root}"
tar --numeric-owner -C "${root}" -xf "${rootfs_tar}"

# COPY files/...: scripts 0755, everything else 0644 (the Dockerfile's --chmod).
cp -r "${kind_src}/images/base/files/." "${root}/"
chmod -R u+w,go-w "${root}/kind" "${root}/LICENSES" "${root}/etc" "${root}/usr/local/bin"
find "${root}/kind" "${root}/LICENSES" "${root}/etc/containerd" "${root}/etc/default" "${root}/etc/sysctl.d" \
  "${root}/etc/systemd/system" "${root}/etc/crictl.yaml" -type f -exec chmod 0644 {} +
chmod 0755 "${root}"/usr/local/bin/* "${root}"/kind/bin/* "${root}/kind" "${root}/kind/bin"

# RUN clean-install ...: the packages of kind's recipe, each line as it groups them there.
say "apt-get install kind's base packages (inside the image's root filesystem)"
cp /etc/resolv.conf "${root}/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"${root}/usr/sbin/policy-rc.d"
chmod +x "${root}/usr/sbin/policy-rc.d"
chroot "${root}" env DEBIAN_FRONTEND=noninteractive clean-install \
  systemd \
  conntrack iptables nftables iproute2 ethtool util-linux mount kmod \
  libseccomp2 pigz fuse-overlayfs \
  nfs-common open-iscsi \
  e2fsprogs \
  bash ca-certificates curl jq procps \
  >"${work}/apt.log" 2>&1 || { tail -n 20 "${work}/apt.log" >&2; die "apt-get inside kind's base image failed (log above)"; }
rm -f "${root}/usr/sbin/policy-rc.d" "${root}/etc/resolv.conf"

# The rest of that RUN, and the next two.
find "${root}/lib/systemd/system/sysinit.target.wants/" -name "systemd-tmpfiles-setup.service" -delete
rm -f "${root}"/lib/systemd/system/multi-user.target.wants/* "${root}"/etc/systemd/system/*.wants/* \
  "${root}"/lib/systemd/system/local-fs.target.wants/* "${root}"/lib/systemd/system/sockets.target.wants/*udev* \
  "${root}"/lib/systemd/system/sockets.target.wants/*initctl* "${root}"/lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" >>"${root}/etc/systemd/journald.conf"
ln -sf /usr/lib/systemd/systemd "${root}/sbin/init"
chroot "${root}" systemctl enable kubelet.service containerd.service undo-mount-hacks.service 2>/dev/null
chroot "${root}" systemctl mask systemd-binfmt.service 2>/dev/null
mkdir -p "${root}/etc/kubernetes/manifests"

# The build stage's binaries, where kind's final stage copies them.
install -m 0755 "${kind_bin_dir}/containerd-${containerd_version}"/{containerd,ctr,containerd-shim-runc-v2} "${root}/usr/local/bin/"
install -D -m 0755 "${kind_bin_dir}/runc-${runc_version}/runc" "${root}/usr/local/sbin/runc"
install -m 0755 "${kind_bin_dir}/crictl-${crictl_version}/crictl" "${root}/usr/local/bin/"
mkdir -p "${root}/opt/cni/bin"
install -m 0755 "${kind_bin_dir}/cni-plugins-${cni_plugins_version}"/{host-local,loopback,ptp,portmap} "${root}/opt/cni/bin/"
chroot "${root}" ctr oci spec \
  | jq '.hooks.createContainer[.hooks.createContainer| length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' \
  | jq 'del(.process.rlimits)' >"${root}/etc/containerd/cri-base.json"
say "in the image: $(chroot "${root}" containerd --version), $(chroot "${root}" runc --version | head -n 1), $(chroot "${root}" crictl --version)"

# FROM scratch, COPY --from=build / /, then the image's metadata.
rootfs_image="sidecar-offline/kind-base-rootfs:$(date +%s)"
tar --numeric-owner -C "${root}" -c . | docker import - "${rootfs_image}" >/dev/null
docker build --quiet --network none --tag "${image}" - >"${work}/build.log" 2>&1 <<DOCKERFILE
FROM ${rootfs_image}
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]
LABEL sidecar.offline-rebuild.of="kind ${KIND_VERSION} images/base" \\
      sidecar.offline-rebuild.contents="debootstrap bookworm; containerd ${containerd_version}, runc ${runc_version}, crictl ${crictl_version}, CNI plugins ${cni_plugins_version} built from their Go modules"
DOCKERFILE
docker image inspect "${image}" >/dev/null 2>&1 || { cat "${work}/build.log" >&2; die "docker build of ${image} failed (log above)"; }
docker rmi "${rootfs_image}" >/dev/null
say "built ${image} in $((($(now_ms) - started) / 1000)) s ($(docker image inspect --format '{{.Size}}' "${image}" | numfmt --to=si)B)"
echo "${image}" >&3

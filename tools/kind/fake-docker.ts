/**
 * A Docker CLI whose engine answers: `docker info` with the fields kind reads
 * (sigs.k8s.io/kind pkg/cluster/internal/providers/docker/provider.go), `docker ps` with the
 * containers given, `docker image inspect` as told, `docker manifest inspect` as a registry that
 * answers (or not). Anything else fails, as if no engine could do it.
 */
export function fakeDocker({
  imagePresent,
  registryAnswers = false,
  clusterContainers = '',
}: {
  imagePresent: boolean;
  registryAnswers?: boolean;
  clusterContainers?: string;
}): string {
  return `case "$1" in
  -v|--version) echo "Docker version 28.2.2, build fake" ;;
  info) echo '{"CgroupVersion":"2","CgroupDriver":"systemd","MemoryLimit":true,"PidsLimit":true,"CPUShares":true,"SecurityOptions":[]}' ;;
  ps) printf '%s' ${JSON.stringify(clusterContainers)} ;;
  image|inspect) exit ${imagePresent ? 0 : 1} ;;
  manifest) exit ${registryAnswers ? 0 : 1} ;;
  *) echo "fake docker refuses: $*" >&2; exit 1 ;;
esac`;
}

export { renderChartPod, plainEnv, helmBinary } from './chart-pod';
export type { ChartContainer, ChartPod } from './chart-pod';
export { startDockerPod } from './docker-pod';
export type { DockerPod, DockerPodOptions } from './docker-pod';
export { startProcessesPod } from './processes-pod';
export type { ProcessesPod, ProcessesPodOptions } from './processes-pod';
export { probeOnce, probeUntilSuccess } from './kubelet-probe';
export type { HttpProbe, NamedPort, ProbeResult } from './kubelet-probe';
export { docker, engineAnswers, engineHasBridge } from './docker';

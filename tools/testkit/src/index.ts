// The test kit's one entry: what several suites share to run the Pod's parts on this machine.
export { startApi, API_TOKEN } from './api-process';
export type { ApiProcess } from './api-process';
export { accessLogLine } from './access-log';
export type { AccessLogLine } from './access-log';
export { freePort, request, startSilentServer, waitFor } from './http';
export type { RequestOptions, Response } from './http';
export { forEachLine } from './lines';
export { renderTemplates } from './render-templates';
export type { Environment, RenderOptions } from './render-templates';
export {
  NGINX_ENVSUBST_FILTER,
  nginxEnvironment,
  renderNginxConfig,
  startNginx,
} from './start-nginx';
export type { NginxConfigOptions, NginxHandle, StartNginxOptions } from './start-nginx';
export { requirePinnedTool, requireShippedNode, requireTool } from './system-tools';
export {
  findWorkspaceRoot,
  imageValues,
  pinnedImage,
  readEnvFile,
  readNginxDefaults,
  readPorts,
  workspacePaths,
} from './workspace';
export { describeLoad, runLoad, runLoadReport, startLoad, Tally } from './load';
export type { LoadOptions, LoadSummary, Result, RunningLoad, Target } from './load';
export { fakePath } from './fake-path';
export type { FakePath } from './fake-path';

export { startNginx, renderNginxConfig, nginxEnvironment } from './start-nginx';
export type { NginxConfigOptions, NginxHandle, StartNginxOptions } from './start-nginx';
export { findWorkspaceRoot, nginxProjectPaths, readEnvFile, readPorts } from './workspace';

export { startNginx, renderNginxConfig, nginxEnvironment } from './start-nginx';
export type { NginxConfigOptions, NginxHandle, StartNginxOptions } from './start-nginx';
export { readPorts } from './workspace';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { parse } from 'yaml';
import { chartDir, workspaceRoot } from './render';

const readYaml = (file: string) => parse(readFileSync(join(chartDir, file), 'utf8'));

describe('the chart agrees with the rest of the workspace', () => {
  it('repeats the ports of tools/ports.env, their one home', () => {
    const ports = parseEnv(readFileSync(join(workspaceRoot, 'tools/ports.env'), 'utf8'));
    const values = readYaml('values.yaml');
    expect(values.api.port).toBe(Number(ports.API_PORT));
    expect(values.nginx.port).toBe(Number(ports.NGINX_PORT));
  });

  it('ships the version of the root package.json as its appVersion (the images are tagged with it)', () => {
    const { version } = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8'));
    expect(readYaml('Chart.yaml').appVersion).toBe(version);
  });

  it('names the images the workspace builds', () => {
    const values = readYaml('values.yaml');
    expect(values.api.image.repository).toBe('sidecar-api');
    expect(values.nginx.image.repository).toBe('sidecar-nginx');
  });
});

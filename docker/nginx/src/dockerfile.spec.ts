import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dockerfileAssignments, dockerfileInstructions, readImageDefaults } from './dockerfile-env';
import { referencedNames, substitutedNames } from './templates';
import { nginxProjectPaths, readEnvFile } from './workspace';

const paths = nginxProjectPaths();
const dockerfile = readFileSync(paths.dockerfile, 'utf8');
const instructions = dockerfileInstructions(dockerfile);
const args = dockerfileAssignments(dockerfile, 'ARG');
const env = dockerfileAssignments(dockerfile, 'ENV');

async function templateVariables(): Promise<Set<string>> {
  const files = (await readdir(paths.templates, { recursive: true })).filter((name) =>
    name.endsWith('.template'),
  );
  const texts = await Promise.all(
    files.map((name) => readFile(join(paths.templates, name), 'utf8')),
  );
  const filter = new RegExp(env.NGINX_ENVSUBST_FILTER ?? '');
  return new Set(texts.flatMap(referencedNames).filter((name) => filter.test(name)));
}

describe('the Dockerfile', () => {
  it('builds FROM the NGINX_IMAGE pinned in tools/versions.env by default', () => {
    expect(args.NGINX_IMAGE).toBe(readEnvFile(paths.versionsEnv).NGINX_IMAGE);
    expect(instructions).toContainEqual(['FROM', '${NGINX_IMAGE}']);
  });

  it('defaults the ports to tools/ports.env', () => {
    const ports = readEnvFile(paths.portsEnv);
    expect({ NGINX_PORT: args.NGINX_PORT, API_PORT: args.API_PORT }).toEqual({
      NGINX_PORT: ports.NGINX_PORT,
      API_PORT: ports.API_PORT,
    });
    expect({ NGINX_PORT: env.NGINX_PORT, API_PORT: env.API_PORT }).toEqual({
      NGINX_PORT: '${NGINX_PORT}',
      API_PORT: '${API_PORT}',
    });
  });

  it('gives a default to every variable the templates use, and to no other', async () => {
    const used = await templateVariables();
    const defaults = new Set(
      [...substitutedNames(env)].filter((name) => !name.startsWith('NGINX_ENVSUBST_')),
    );
    expect([...defaults].sort()).toEqual([...used].sort());
  });

  it('hands the local run the literal defaults and leaves the ports to tools/ports.env', () => {
    const defaults = readImageDefaults(paths.dockerfile);
    expect(defaults).toMatchObject({
      NGINX_ENVSUBST_OUTPUT_DIR: '/tmp',
      NGINX_PUBLIC_RATE: env.NGINX_PUBLIC_RATE,
    });
    expect(defaults).not.toHaveProperty('NGINX_PORT');
    expect(defaults).not.toHaveProperty('API_PORT');
  });

  it('runs as uid 101, stops gracefully and starts nginx with the writable /tmp as prefix', () => {
    expect(instructions).toContainEqual(['USER', '101']);
    expect(instructions).toContainEqual(['STOPSIGNAL', 'SIGQUIT']);
    const cmd = instructions.filter(([name]) => name === 'CMD').at(-1)?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual([
      'nginx',
      '-p',
      `${env.NGINX_ENVSUBST_OUTPUT_DIR}/`,
      '-c',
      'nginx.conf',
      '-g',
      'daemon off;',
    ]);
  });
});

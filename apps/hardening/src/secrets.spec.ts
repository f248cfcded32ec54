import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { docker, renderChartPod } from '@sidecar/pod';
import { request, waitFor, type Response } from '@sidecar/testkit';
import { rawExchange } from './harness/raw-http';
import { startSidecar, type Sidecar } from './harness/sidecar';
import { socketsWithUnreadBytes } from './harness/tcp-queue';

/**
 * The bearer token never leaves the request it came in: no log line of either process and no
 * response (body or header) carries it, whatever went wrong. And the images hold no credentials:
 * they run as non-root, and neither their build history nor their files carry a token, a key or
 * a package-registry login. (graceful-shutdown.spec.ts scans the Docker Pod's container logs.)
 */
describe('the running Pod', () => {
  const token = randomBytes(24).toString('base64url');
  // A wrong token a client sends is a credential too (a typo of the real one, say).
  const wrongToken = randomBytes(24).toString('base64url');
  let sidecar: Sidecar;
  const responses: string[] = [];
  beforeAll(async () => {
    // The API at its most talkative level, so that a debug line cannot hide a leak.
    sidecar = await startSidecar({
      token,
      apiEnv: { LOG_LEVEL: 'trace' },
      nginxEnv: { NGINX_PROXY_READ_TIMEOUT: '1s', NGINX_CLIENT_MAX_BODY_SIZE: '1k' },
    });
  });
  afterAll(async () => {
    await sidecar?.stop();
  });

  const record = (res: Response): Response => {
    responses.push(JSON.stringify(res.headers), res.text);
    return res;
  };
  const send = (
    path: string,
    credential: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ) =>
    request(`${sidecar.url}${path}`, {
      method: init.method,
      body: init.body,
      headers: { Authorization: `Bearer ${credential}`, ...init.headers },
    }).then(record);

  it('keeps the token out of every log line and every response, errors included', async () => {
    const json = { 'Content-Type': 'application/json' };
    const statuses = [
      (await send('/api/hello', token)).status,
      (await send('/api/greetings', token, { method: 'POST', headers: json, body: '{"name":"x"}' }))
        .status,
      (await send('/api/hello', wrongToken)).status,
      (await send('/api/hello', `${token} trailing`)).status,
      (await send(`/api/hello?token=${'x'.repeat(8)}`, `${token}x`)).status,
      (await send('/api/no-such-route', token)).status,
      (await send('/api/hello', token, { method: 'DELETE' })).status,
      (await send('/api/greetings', token, { method: 'POST', headers: json, body: '{"name":' }))
        .status,
      (await send('/api/greetings', token, { method: 'POST', headers: json, body: '{"name":""}' }))
        .status,
      (
        await send('/api/greetings', token, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ name: 'x'.repeat(2_000) }),
        })
      ).status,
      (await send('/api/greetings', token, { method: 'POST', body: 'name=x' })).status,
    ];
    // Refused by NGINX itself: a bad header line after the token, and a header block too large.
    for (const extra of ['X-Bad Header: 1\r\n', `X-Big: ${'a'.repeat(9_000)}\r\n`]) {
      const raw = await rawExchange(sidecar.nginxPort, {
        send: `GET /api/hello HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n${extra}\r\n`,
      });
      responses.push(raw.response);
      statuses.push(raw.status ?? 0);
    }
    // The API too slow (504) and gone (502) while a token-bearing request waits.
    sidecar.api.signal('SIGSTOP');
    statuses.push((await send('/api/hello', token)).status);
    const inFlight = send('/api/hello', token);
    await waitFor('the request to sit in the stopped API', () =>
      socketsWithUnreadBytes(sidecar.apiPort) > 0 ? true : undefined,
    );
    sidecar.api.signal('SIGKILL');
    statuses.push((await inFlight).status);
    await sidecar.api.exited;
    await sidecar.restartApi();
    statuses.push((await send('/api/hello', token)).status);

    const apiLines = sidecar.apiLines();
    const nginxLines = [...sidecar.nginx.output.stdout, ...sidecar.nginx.output.stderr];
    console.log(
      `[secrets: logs and responses] ${statuses.length} requests (statuses ${statuses.join(', ')}); scanned ` +
        `${responses.length / 2} responses, ${apiLines.length} API log lines (LOG_LEVEL trace), ` +
        `${nginxLines.length} NGINX log lines for the token and a wrong token`,
    );
    expect(new Set(statuses)).toEqual(
      new Set([200, 201, 401, 404, 405, 400, 422, 413, 415, 504, 502]),
    );
    for (const secret of [token, wrongToken]) {
      expect(responses.filter((text) => text.includes(secret))).toEqual([]);
      expect(apiLines.filter((line) => line.includes(secret))).toEqual([]);
      expect(nginxLines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});

const BASE_NAME_FORMAT = '{{index .Config.Labels "org.opencontainers.image.base.name"}}';

describe('the images', () => {
  // The images this repository builds, as the chart deploys them (its appVersion tag). The
  // metrics exporter, the chart's third container, is upstream's image, not built here.
  const BUILT_HERE = ['api', 'nginx'];
  const images = renderChartPod({
    'auth.tokens[0]': randomBytes(16).toString('hex'),
  })
    .containers.filter((c) => BUILT_HERE.includes(c.name))
    .map((c) => ({ name: c.name, image: c.image }));
  // Credential files by name, anywhere in the filesystem.
  const CREDENTIAL_FILES = [
    '.npmrc',
    '.yarnrc',
    '.yarnrc.yml',
    '.env',
    '.env.*',
    '.netrc',
    '.git-credentials',
    '.pgpass',
    'id_rsa*',
    'id_dsa*',
    'id_ecdsa*',
    'id_ed25519*',
    '*.key',
    '*.p12',
    '*.pfx',
    'credentials.json',
  ];
  // Credentials by content, in the files the project adds over the base image.
  const CREDENTIAL_CONTENT = [
    'PRIVATE KEY-----',
    '_authToken',
    '_auth=',
    'NPM_TOKEN',
    'NODE_AUTH_TOKEN',
    'API_TOKENS=[^ "$]',
    'Bearer [A-Za-z0-9._~+/-]{16,}',
  ].join('|');

  it.each(images.map((i) => [i.name, i] as const))(
    '%s: runs as non-root and holds no credentials',
    async (_name, { image }) => {
      // The base image it was built FROM, as its Dockerfile labels it.
      const base = await docker('image', 'inspect', '--format', BASE_NAME_FORMAT, image);
      expect(base).not.toBe('');
      const user = await docker('image', 'inspect', '--format', '{{.Config.User}}', image);
      const uid = (await dockerRun(image, ['id', '-u'], { asImageUser: true })).trim();
      const envNames = JSON.parse(
        await docker('image', 'inspect', '--format', '{{json .Config.Env}}', image),
      ).map((entry: string) => entry.split('=')[0]);
      const history = await docker('history', '--no-trunc', '--format', '{{.CreatedBy}}', image);
      const nameTests = CREDENTIAL_FILES.flatMap((pattern, i) => [
        ...(i ? ['-o'] : []),
        '-name',
        pattern,
      ]);
      const credentialFiles = (
        await dockerRun(image, ['find', '/', '-xdev', '(', ...nameTests, ')', '-print'])
      ).trim();
      const listFiles = ['find', '/', '-xdev', '-type', 'f'];
      const baseFiles = new Set((await dockerRun(base, listFiles)).split('\n'));
      const added = (await dockerRun(image, listFiles))
        .split('\n')
        .filter((f) => f && !baseFiles.has(f));
      const matches = (
        await dockerRun(image, ['xargs', '-r', '-d', '\\n', 'grep', '-IlE', CREDENTIAL_CONTENT], {
          input: added.join('\n'),
        })
      ).trim();
      console.log(
        `[secrets: ${image}] user ${JSON.stringify(user)} (uid ${uid}); ${envNames.length} env names; ` +
          `${history.split('\n').length} history entries; credential-named files: ${credentialFiles || 'none'}; ` +
          `${added.length} files over ${base} scanned, credential content in: ${matches || 'none'}`,
      );
      expect(user).not.toMatch(/^(|root|0)(:|$)/);
      expect(uid).not.toBe('0');
      expect(
        envNames.filter((name: string) => /TOKEN|SECRET|PASSW|CREDENTIAL|AUTH|_KEY$/i.test(name)),
      ).toEqual([]);
      expect(history).not.toMatch(
        /npmrc|_authToken|NPM_TOKEN|NODE_AUTH_TOKEN|EXTRA_CA_CERTS|-----BEGIN|API_TOKENS=/i,
      );
      expect(credentialFiles).toBe('');
      expect(added.length).toBeGreaterThan(0);
      expect(matches).toBe('');
    },
  );
});

/**
 * A throwaway container of the image, with no network; as root (to read every file) unless
 * asked to run as the image's own user. Returns stdout; grep's "no match" exit is not an error.
 */
function dockerRun(
  image: string,
  command: string[],
  options: { asImageUser?: boolean; input?: string } = {},
): Promise<string> {
  const args = [
    'run',
    '--rm',
    '--interactive',
    '--network',
    'none',
    ...(options.asImageUser ? [] : ['--user', '0']),
    '--entrypoint',
    command[0] ?? '',
    image,
    ...command.slice(1),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      // grep and xargs exit 1/123 when nothing matched; find exits 1 on unreadable paths only.
      if (code === 0 || code === 1 || code === 123) resolve(Buffer.concat(out).toString('utf8'));
      else
        reject(
          new Error(
            `docker ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString('utf8')}`,
          ),
        );
    });
    child.stdin.end(options.input ?? '');
  });
}

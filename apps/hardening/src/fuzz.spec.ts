import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@sidecar/testkit';
import { accessLog, startSidecar, type Sidecar } from './harness/sidecar';

/**
 * Schemathesis (pinned in tools/versions.env, installed by `make setup`)
 * generates requests from the OpenAPI document the API serves and sends them
 * through the sidecar, once with a valid token and once with none. `--checks all`: no 5xx, every
 * status, content type, header and body as documented, invalid input refused, valid input
 * accepted, undocumented methods answered 405 with Allow. Settings: apps/hardening/schemathesis.toml.
 */
const root = findWorkspaceRoot();
const token = randomBytes(16).toString('hex');
let sidecar: Sidecar;
let workDir: string;
let documentPath: string;

beforeAll(async () => {
  // The rate limit is NGINX's answer to a flood, tested on its own (docker/nginx limits.spec.ts);
  // here it would turn generated requests into undocumented 429s.
  sidecar = await startSidecar({
    token,
    nginxEnv: { NGINX_PUBLIC_RATE: '10000r/s', NGINX_PUBLIC_BURST: '10000' },
  });
  workDir = await mkdtemp(join(tmpdir(), 'sidecar-fuzz-'));
  // From a file, so that the document's own endpoint is fuzzed too (schemathesis leaves out the
  // URL it loaded the document from).
  documentPath = join(workDir, 'openapi.json');
  const res = await fetch(`${sidecar.url}/public/openapi.json`);
  expect(res.status).toBe(200);
  await writeFile(documentPath, await res.text());
});
afterAll(async () => {
  await sidecar?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

interface FuzzRun {
  exitCode: number;
  output: string;
  casesGenerated: number;
  requests: number;
  serverErrors: number;
}

async function fuzz(headers: string[]): Promise<FuzzRun> {
  const before = sidecar.nginx.output.stdout.length;
  const args = [
    '--config-file',
    join(root, 'apps', 'hardening', 'schemathesis.toml'),
    '--no-color',
    'run',
    documentPath,
    '--url',
    sidecar.url,
    '--checks',
    'all',
    ...headers.flatMap((header) => ['--header', header]),
  ];
  const { exitCode, output } = await new Promise<{ exitCode: number; output: string }>(
    (resolve) => {
      execFile(
        schemathesisBinary(),
        args,
        { cwd: workDir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
        (error, stdout, stderr) => {
          const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
          resolve({ exitCode: code, output: `${stdout}${stderr}` });
        },
      );
    },
  );
  const lines = accessLog(sidecar).slice(before);
  return {
    exitCode,
    output,
    casesGenerated: Number(/(\d+) generated/.exec(output)?.[1] ?? 0),
    requests: lines.length,
    serverErrors: lines.filter((line) => line.status >= 500).length,
  };
}

function report(label: string, run: FuzzRun): void {
  const summary = run.output.slice(run.output.lastIndexOf('SUMMARY')).trim();
  console.log(
    `[fuzz ${label}] ${run.casesGenerated} cases generated, ${run.requests} requests through the sidecar, ` +
      `${run.serverErrors} server errors, schemathesis exit ${run.exitCode}\n${run.exitCode === 0 ? summary : run.output}`,
  );
}

it.each([
  ['with a valid token', () => [`Authorization: Bearer ${token}`]],
  ['without a token', () => []],
])('finds no server error and no response off the document %s', async (label, headers) => {
  const run = await fuzz(headers());
  report(label, run);
  expect(run.casesGenerated).toBeGreaterThan(0);
  expect(run.serverErrors).toBe(0);
  expect(run.exitCode).toBe(0);
  // Nothing the fuzzer sent made the API log an error (pino level 50 and above).
  const errors = sidecar.apiLines().filter((line) => /"level":(5\d|60)/.test(line));
  expect(errors).toEqual([]);
});

/** The pinned schemathesis, which `make setup` installs (tools/toolchain/install.sh). */
function schemathesisBinary(): string {
  const binary = join(root, '.cache', 'tools', 'bin', 'schemathesis');
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: run make setup`);
  }
  return binary;
}

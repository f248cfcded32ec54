import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { context, type BuildOptions } from 'esbuild';
import { forEachLine, workspacePaths } from '@sidecar/testkit';
import { probeUntilSuccess } from './kubelet-probe';

export interface ApiWatchOptions {
  apiPort: number;
  /** The API's environment over this process's (API_TOKENS, LOG_LEVEL, ...). */
  env?: Record<string, string>;
  /** Each line the API writes, stdout and stderr. */
  output: (line: string) => void;
  /** The watcher's own news: rebuilds, restarts, build errors. */
  log: (line: string) => void;
}

export interface ApiWatch {
  /** Stops watching, then stops the API (SIGTERM: its graceful drain) and waits for it. */
  stop(): Promise<void>;
}

/** Where the watch build goes: beside the production build, which it must not replace. */
const DEV_OUTFILE = join('dist', 'dev', 'api', 'main.js');
/** Editors save in several writes (temp file, rename, chmod): one rebuild for all of them. */
const SETTLE_MS = 30;
/** Files whose change can change the bundle; an editor's swap and backup files cannot. */
const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json']);

/**
 * `nx serve api` and `make dev`: the API built as `nx build api` builds it (the options of its
 * build target in apps/api/project.json, through esbuild directly, skipping the type check
 * that `nx run api:typecheck` and the editor do), run on this Node, rebuilt and restarted on
 * every save of a file the bundle was built from. A build error keeps the running API; the
 * next good save replaces it. Resolves once the first build answers /readyz.
 */
export async function watchApi(options: ApiWatchOptions): Promise<ApiWatch> {
  const root = workspacePaths().root;
  const build = await context(esbuildOptionsOfBuildTarget(root));
  const sources = new SourceWatcher(() => void rebuild());
  let api: ChildProcess | undefined;
  let bundleHash = '';
  let stopped = false;
  // One rebuild-and-restart at a time; saves during one are taken up by the next.
  let queue = Promise.resolve();
  let pending = false;

  const runOnce = async (first: boolean): Promise<void> => {
    const started = performance.now();
    const result = await build.rebuild().catch((error: { errors?: unknown[] }) => error);
    if (!('metafile' in result) || !result.metafile) {
      if (first) throw new Error('the API does not build (esbuild printed why above)');
      options.log('build failed (esbuild printed why above): the API keeps running the last build');
      return;
    }
    sources.watchInputsOf(root, result.metafile.inputs);
    const built = performance.now();
    const hash = createHash('sha256')
      .update(readFileSync(join(root, DEV_OUTFILE)))
      .digest('hex');
    if (hash === bundleHash) return; // a save that changed nothing the API runs
    bundleHash = hash;
    if (api) await stopProcess(api);
    if (stopped) return;
    api = startApi(join(root, DEV_OUTFILE), options);
    const ready = await probeUntilSuccess(
      {
        httpGet: { path: '/readyz', port: options.apiPort },
        periodSeconds: 0.02,
        failureThreshold: 500,
      },
      [],
      '127.0.0.1',
    );
    if (!ready.ok) {
      if (first) throw new Error(`the API did not become ready: ${ready.detail}`);
      options.log(`the API did not become ready (${ready.detail}): fix it and save`);
      return;
    }
    const ms = (from: number, to: number) => Math.round(to - from);
    options.log(
      `${first ? 'API started' : 'API restarted'}: built in ${ms(started, built)} ms, ready ${ms(built, performance.now())} ms later`,
    );
  };
  const rebuild = (): Promise<void> => {
    if (pending) return queue;
    pending = true;
    queue = queue.then(async () => {
      pending = false;
      if (!stopped) await runOnce(false);
    });
    return queue;
  };

  const stop = async () => {
    stopped = true;
    sources.close();
    await queue;
    await build.dispose();
    if (api) await stopProcess(api);
  };
  try {
    await runOnce(true);
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

/**
 * The build target's options, as @nx/esbuild passes them to esbuild for a bundled Node app
 * (its buildEsbuildOptions), writing to DEV_OUTFILE. The metafile lists the inputs to watch.
 */
function esbuildOptionsOfBuildTarget(root: string): BuildOptions {
  const project = JSON.parse(readFileSync(join(root, 'apps', 'api', 'project.json'), 'utf8'));
  const build = project.targets.build.options;
  return {
    absWorkingDir: root,
    entryPoints: [build.main],
    outfile: DEV_OUTFILE,
    bundle: build.bundle,
    platform: build.platform,
    format: build.format[0],
    sourcemap: build.sourcemap,
    tsconfig: join(root, build.tsConfig),
    metafile: true,
    logLevel: 'error',
  };
}

function startApi(main: string, options: ApiWatchOptions): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    env: {
      ...process.env,
      ...options.env,
      HOST: '127.0.0.1',
      PORT: String(options.apiPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Stopped by this process only, in order: a Ctrl-C in the terminal does not reach it too.
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) forEachLine(stream, options.output);
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) options.output(`the API exited with code ${code}`);
  });
  return child;
}

/** SIGTERM (the API drains and exits; SHUTDOWN_DELAY_MS is 0 outside the chart), then its exit. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Watches the directories of the bundle's inputs outside node_modules: what a save changes. */
class SourceWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly onChange: () => void) {}

  watchInputsOf(root: string, inputs: Record<string, unknown>): void {
    for (const input of Object.keys(inputs)) {
      if (input.includes('node_modules')) continue;
      const dir = dirname(join(root, input));
      if (this.watchers.has(dir)) continue;
      this.watchers.set(
        dir,
        watch(dir, (_event, file) => {
          if (file && !SOURCE_EXTENSIONS.has(extname(file))) return;
          clearTimeout(this.timer);
          this.timer = setTimeout(this.onChange, SETTLE_MS);
        }),
      );
    }
  }

  close(): void {
    clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
  }
}

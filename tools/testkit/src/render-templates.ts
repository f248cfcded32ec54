import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, open, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { requireTool } from './system-tools';

/**
 * The official NGINX image's template rendering, done by the same tool: its entrypoint's
 * /docker-entrypoint.d/20-envsubst-on-templates.sh (https://github.com/nginxinc/docker-nginx)
 * pipes every `*.template` under the template directory through GNU `envsubst "${A} ${B} ..."`,
 * naming the variables that are set and match NGINX_ENVSUBST_FILTER, into
 * NGINX_ENVSUBST_OUTPUT_DIR at the same relative path without the suffix. Naming them keeps
 * NGINX's own `$host` or `$request_id` as they are.
 */
const TEMPLATE_SUFFIX = '.template';

export type Environment = Record<string, string | undefined>;

export interface RenderOptions {
  templateDir: string;
  /**
   * The environment envsubst runs with: NGINX_ENVSUBST_FILTER and NGINX_ENVSUBST_OUTPUT_DIR say
   * what it substitutes and where the output goes, as in the image.
   */
  env: Environment;
}

/** Renders every template as the entrypoint does; returns the paths written. */
export async function renderTemplates({ templateDir, env }: RenderOptions): Promise<string[]> {
  const envsubst = requireTool('envsubst', 'gettext-base');
  const outputDir = env.NGINX_ENVSUBST_OUTPUT_DIR;
  if (!outputDir) throw new Error('NGINX_ENVSUBST_OUTPUT_DIR must be set: where to render to');
  const filter = new RegExp(env.NGINX_ENVSUBST_FILTER ?? '');
  const definedVars = Object.keys(env)
    .filter((name) => env[name] !== undefined && filter.test(name))
    .map((name) => `\${${name}} `)
    .join('');
  const templates = (await readdir(templateDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith(TEMPLATE_SUFFIX))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const written: string[] = [];
  for (const template of templates) {
    const output = join(
      outputDir,
      relative(templateDir, template).slice(0, -TEMPLATE_SUFFIX.length),
    );
    await mkdir(dirname(output), { recursive: true });
    await substitute(envsubst, definedVars, env, template, output);
    written.push(output);
  }
  return written;
}

/** `envsubst "$definedVars" < template > output`, as the entrypoint runs it. */
async function substitute(
  envsubst: string,
  definedVars: string,
  env: Environment,
  template: string,
  output: string,
): Promise<void> {
  const input = await open(template, 'r');
  const result = await open(output, 'w');
  try {
    const child = spawn(envsubst, [definedVars], {
      env,
      stdio: [input.fd, result.fd, 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, 'close')) as [number | null];
    if (code !== 0) throw new Error(`envsubst ${template} exited ${code}: ${stderr.trim()}`);
  } finally {
    await input.close();
    await result.close();
  }
}

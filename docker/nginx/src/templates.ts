import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

/**
 * The official NGINX image's template rendering, reproduced so that the local run and the tests
 * use exactly the config the image uses. The image's entrypoint runs
 * /docker-entrypoint.d/20-envsubst-on-templates.sh (https://github.com/nginxinc/docker-nginx):
 * every `*.template` under NGINX_ENVSUBST_TEMPLATE_DIR is piped through
 * `envsubst "${A} ${B} ..."` (the variables that are set and match NGINX_ENVSUBST_FILTER) into
 * NGINX_ENVSUBST_OUTPUT_DIR, at the same relative path without the suffix.
 */
export const TEMPLATE_SUFFIX = '.template';

export type Environment = Record<string, string | undefined>;

/** The variables the entrypoint hands to envsubst: those set whose name matches the filter. */
export function substitutedNames(
  env: Environment,
  filter = env.NGINX_ENVSUBST_FILTER ?? '',
): Set<string> {
  const pattern = new RegExp(filter);
  return new Set(Object.keys(env).filter((name) => env[name] !== undefined && pattern.test(name)));
}

// GNU envsubst with a SHELL-FORMAT argument replaces `$NAME` and `${NAME}` for the listed names
// only and leaves everything else, NGINX's own `$host` or `$request_id` included, untouched.
const REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function envsubst(text: string, names: ReadonlySet<string>, env: Environment): string {
  return text.replace(REFERENCE, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    return names.has(name) ? (env[name] ?? '') : whole;
  });
}

/** Every `${NAME}` or `$NAME` a text refers to, whether or not it would be substituted. */
export function referencedNames(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((match) => match[1] ?? match[2] ?? '');
}

export interface RenderOptions {
  templateDir: string;
  outputDir: string;
  env: Environment;
}

/** Renders every template as the entrypoint does; returns the paths written. */
export async function renderTemplates({
  templateDir,
  outputDir,
  env,
}: RenderOptions): Promise<string[]> {
  const names = substitutedNames(env);
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
    await writeFile(output, envsubst(await readFile(template, 'utf8'), names, env));
    written.push(output);
  }
  return written;
}

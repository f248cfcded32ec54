import { readFileSync } from 'node:fs';

/**
 * The Dockerfile's instructions, continuation lines joined and comments dropped, as
 * [INSTRUCTION, arguments] pairs. Enough for this project's Dockerfile; not a general parser.
 */
export function dockerfileInstructions(text: string): [string, string][] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .map((line) => {
      const [instruction = '', ...rest] = line.split(/\s+/);
      return [instruction.toUpperCase(), rest.join(' ')];
    });
}

/** The `KEY=value` pairs of the ENV (or ARG) instructions, values as written. */
export function dockerfileAssignments(
  text: string,
  instruction: 'ENV' | 'ARG',
): Record<string, string> {
  const pairs = dockerfileInstructions(text)
    .filter(([name]) => name === instruction)
    .flatMap(([, args]) => args.split(/\s+/))
    .map((word) => word.split(/=(.*)/s, 2) as [string, string | undefined])
    .filter((pair): pair is [string, string] => pair[1] !== undefined);
  return Object.fromEntries(pairs);
}

/**
 * The image's defaults for the template variables: the Dockerfile's ENV values that are
 * literals. Values built from build arguments (`${NGINX_PORT}`) are left out; the ports come from
 * tools/ports.env.
 */
export function readImageDefaults(dockerfile: string): Record<string, string> {
  const env = dockerfileAssignments(readFileSync(dockerfile, 'utf8'), 'ENV');
  return Object.fromEntries(Object.entries(env).filter(([, value]) => !value.includes('$')));
}

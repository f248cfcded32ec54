import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { readEnvFile, workspacePaths } from './workspace';

/**
 * The path of `command` (a path, or a name on PATH) when it is installed; otherwise fails at once,
 * saying how to install it. The suites install nothing themselves: that is `make setup`'s job.
 */
export function requireTool(command: string, debianPackage: string): string {
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, command));
  const found = candidates.find(isExecutable);
  if (found) return found;
  throw new Error(
    `${command} is missing: run \`make setup\` (it installs it on Debian) or install ${debianPackage}`,
  );
}

/**
 * The path of a pinned tool in .cache/tools/bin (tools/versions.env pins it, `make setup` installs
 * it there); otherwise fails at once, saying so.
 */
export function requirePinnedTool(name: string): string {
  const path = join(workspacePaths().toolsBin, name);
  if (isExecutable(path)) return path;
  throw new Error(`${name} is missing from .cache/tools/bin: run \`make setup\``);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Fails unless this process runs on the Node the images ship (tools/versions.env NODE_VERSION):
 * what runs the API here must measure and behave as the image does. `usage` says what to run
 * instead, e.g. a make target (the Makefile puts the pinned Node first on PATH).
 */
export function requireShippedNode(what: string, usage: string): void {
  const shipped = readEnvFile(workspacePaths().versionsEnv).NODE_VERSION;
  if (process.version !== `v${shipped}`) {
    throw new Error(
      `${what} runs on Node ${process.version}, but the image ships ${shipped} (tools/versions.env NODE_VERSION): ${usage}`,
    );
  }
}

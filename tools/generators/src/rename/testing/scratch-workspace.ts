/**
 * A scratch copy of this repository for the rename's end-to-end test: the files git knows about
 * (tracked, and new ones it does not ignore) copied, node_modules shared through symlinks, and the
 * tool cache (.cache: helm, ct, ...) shared too, so nothing is downloaded twice.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export function repositoryRoot(): string {
  return execFileSync('git', ['rev-parse', '--show-toplevel'], {
    cwd: __dirname,
    encoding: 'utf8',
  }).trim();
}

export function copyRepository(root: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'rename-scratch-'));
  // mkdtemp makes it private (0700); a clone is world-readable, and nginx's workers (tests run
  // it as root, its workers as nobody) must read the static site inside it.
  chmodSync(copy, 0o755);
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  )
    .split('\0')
    .filter((path) => path !== '' && existsSync(join(root, path)));
  for (const path of files) {
    mkdirSync(dirname(join(copy, path)), { recursive: true });
    copyFileSync(join(root, path), join(copy, path));
  }
  symlinkSync(join(root, '.cache'), join(copy, '.cache'));
  // npm keeps a version of a workspace's own, that differs from the root's, in its node_modules.
  for (const packageDir of workspacePackageDirs(root)) {
    const modules = join(packageDir, 'node_modules');
    if (existsSync(modules)) symlinkSync(modules, join(copy, relative(root, modules)));
  }
  return copy;
}

/**
 * node_modules of the copy: every entry links to the repository's, except the workspace's own npm
 * scope (`@<old name>`), whose links would lead back into the repository.
 */
export function linkNodeModules(root: string, copy: string, ownScope: string): void {
  mkdirSync(join(copy, 'node_modules'));
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry !== ownScope)
      symlinkSync(join(root, 'node_modules', entry), join(copy, 'node_modules', entry));
  }
}

/** Links the copy's workspace packages under their scope, as `npm install` would, without the network. */
export function linkWorkspacePackages(copy: string, scope: string): void {
  mkdirSync(join(copy, 'node_modules', scope));
  for (const packageDir of workspacePackageDirs(copy)) {
    const { name } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      name: string;
    };
    if (name.startsWith(`${scope}/`)) symlinkSync(packageDir, join(copy, 'node_modules', name));
  }
}

/** The folders that the root package.json's `workspaces` globs (`apps/*`, ...) name and that hold a package. */
function workspacePackageDirs(root: string): string[] {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  return workspaces.flatMap((glob) => {
    const parent = join(root, glob.replace(/\/\*$/, ''));
    return existsSync(parent)
      ? readdirSync(parent)
          .map((child) => join(parent, child))
          .filter((dir) => existsSync(join(dir, 'package.json')))
      : [];
  });
}

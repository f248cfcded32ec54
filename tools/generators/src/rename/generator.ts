/**
 * `npx nx g @sidecar/generators:rename --name=acme`: gives the service its own name everywhere:
 * the chart (directory, Chart.yaml, helper names, labels), the images, the npm packages, the kind
 * cluster, release and namespace defaults, and whatever else the repository holds, by the rules in
 * rules.ts rather than by a list of files.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { logger, readJson, visitNotIgnoredFiles, type Tree } from '@nx/devkit';
import { reformatWhereFormatted, type Edit } from './keep-formatting';
import { renamePackageLock } from './package-lock';
import { renameInText, renamePath, type Occurrence } from './rules';
import type { RenameGeneratorSchema } from './schema';
import { invalidNameReason } from './service-name';

/**
 * The rename's own rules, tests and documentation name the template's original words on purpose:
 * they describe the rename, they are not the service.
 */
const GENERATOR_SOURCE = 'tools/generators/src/';
export const isRenameItself = (path: string) =>
  path.startsWith(GENERATOR_SOURCE) || path === 'docs/renaming.md';
const LOCKFILE = 'package-lock.json';

/**
 * A moved file is written anew, with default permissions: carry its mode over, or the chart's
 * scripts lose their executable bit. The tree has no modes, so they come from the disk.
 */
function modeOnDisk(tree: Tree, path: string): { mode: number } | undefined {
  const file = join(tree.root, path);
  return existsSync(file) ? { mode: statSync(file).mode & 0o777 } : undefined;
}

/** Text files only: a NUL byte marks a binary (the heuristic git uses too). */
const isBinary = (content: Buffer) => content.includes(0);

export interface RenameSummary {
  oldName: string;
  filesChanged: number;
  filesMoved: number;
  occurrencesRenamed: number;
  unclassified: Array<Occurrence & { path: string }>;
  /** The text files the rename changed, for reformatWhereFormatted(). */
  edits: Edit[];
}

/** Applies the rename to the tree and says what it did; the Nx generator below wraps it. */
export function renameService(tree: Tree, newName: string): RenameSummary {
  const oldName: string = readJson(tree, 'package.json').name;
  const problem = invalidNameReason(newName, oldName);
  if (problem) throw new Error(`Cannot rename the service: ${problem}.`);

  const summary: RenameSummary = {
    oldName,
    filesChanged: 0,
    filesMoved: 0,
    occurrencesRenamed: 0,
    unclassified: [],
    edits: [],
  };
  const paths: string[] = [];
  // Skips what git ignores (node_modules, dist, .cache, .nx) and .git itself.
  visitNotIgnoredFiles(tree, '', (path) => paths.push(path));
  for (const path of paths) {
    if (path === LOCKFILE || isRenameItself(path)) continue;
    const moved = renamePath(path, oldName, newName);
    summary.unclassified.push(...moved.unclassified.map((occurrence) => ({ ...occurrence, path })));
    const content = tree.read(path);
    if (content === null) continue;
    let text = content;
    if (!isBinary(content)) {
      const renamed = renameInText(path, content.toString('utf8'), oldName, newName);
      summary.unclassified.push(
        ...renamed.unclassified.map((occurrence) => ({ ...occurrence, path })),
      );
      if (renamed.renamed > 0) {
        text = Buffer.from(renamed.text, 'utf8');
        summary.filesChanged++;
        summary.occurrencesRenamed += renamed.renamed;
        summary.edits.push({ from: path, to: moved.text, before: content.toString('utf8') });
      }
    }
    if (moved.text !== path) {
      const mode = modeOnDisk(tree, path);
      tree.delete(path);
      tree.write(moved.text, text, mode);
      summary.filesMoved++;
    } else if (text !== content) {
      tree.write(path, text);
    }
  }

  if (tree.exists(LOCKFILE)) {
    const rename = (value: string) =>
      JSON.parse(renameInText(LOCKFILE, JSON.stringify(value), oldName, newName).text);
    tree.write(
      LOCKFILE,
      `${JSON.stringify(renamePackageLock(readJson(tree, LOCKFILE), rename), null, 2)}\n`,
    );
  }
  return summary;
}

export default async function renameGenerator(tree: Tree, options: RenameGeneratorSchema) {
  const summary = renameService(tree, options.name);
  await reformatWhereFormatted(tree, summary.edits);
  logger.info(
    `Renamed "${summary.oldName}" to "${options.name}": ${summary.occurrencesRenamed} occurrences in ${summary.filesChanged} files, ${summary.filesMoved} files moved.`,
  );
  if (summary.unclassified.length > 0) {
    logger.warn(
      `Left unchanged, since no rule says whether they name the service (add a rule in ${GENERATOR_SOURCE}rename/rules.ts):\n` +
        summary.unclassified.map(({ path, line, text }) => `  ${path}:${line}: ${text}`).join('\n'),
    );
  }
  // Runs after the files are written: node_modules still links the old package names.
  return () => {
    logger.info(
      'Next: `npm install` relinks the workspace packages under their new names; `npx nx reset` clears the old project graph.',
    );
  };
}

/**
 * Nx's formatFiles() would run prettier over every file the rename touched, and many of them were
 * never prettier-formatted: the rename's diff would drown in layout changes. Instead, a file that
 * prettier accepted before the rename is formatted again after it (a longer name can push a line
 * past the print width), and every other file keeps its author's layout. `npm run format:check`
 * answers the same before and after.
 */
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';

export interface Edit {
  /** Where the file was, and where it is now. */
  from: string;
  to: string;
  /** Its text before the rename. */
  before: string;
}

export async function reformatWhereFormatted(tree: Tree, edits: Edit[]): Promise<void> {
  if (edits.length === 0) return;
  // Loaded on use: prettier 3 loads its plugins with import(), which jest's CommonJS runtime refuses.
  const prettier = await import('prettier');
  const ignorePath = join(tree.root, '.prettierignore');
  for (const { from, to, before } of edits) {
    const info = await prettier.getFileInfo(join(tree.root, from), { ignorePath });
    if (info.ignored || info.inferredParser === null) continue;
    const options = {
      ...(await prettier.resolveConfig(join(tree.root, from))),
      filepath: join(tree.root, to),
    };
    if (!(await prettier.check(before, options))) continue;
    const after = tree.read(to, 'utf-8');
    if (after !== null) tree.write(to, await prettier.format(after, options));
  }
}

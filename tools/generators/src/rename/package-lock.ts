/**
 * package-lock.json is never rewritten as text: third-party packages could contain the old name.
 * Only the workspace's own entries change: their keys (paths, and `node_modules/@scope/...`
 * links), their `name`, the link targets, and the workspace packages they depend on.
 */
interface LockEntry {
  name?: string;
  resolved?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

interface PackageLock {
  name?: string;
  packages?: Record<string, LockEntry>;
  [key: string]: unknown;
}

const renameKeys = (
  record: Record<string, string> | undefined,
  rename: (value: string) => string,
) =>
  record && Object.fromEntries(Object.entries(record).map(([key, value]) => [rename(key), value]));

/** A workspace entry: the root (""), a workspace folder, or the link npm makes to one. */
const isWorkspaceEntry = (key: string, entry: LockEntry) =>
  !key.startsWith('node_modules/') || entry.link === true;

export function renamePackageLock(
  lock: PackageLock,
  rename: (value: string) => string,
): PackageLock {
  const packages = Object.entries(lock.packages ?? {}).map(([key, entry]): [string, LockEntry] => {
    if (!isWorkspaceEntry(key, entry)) return [key, entry];
    const renamed: LockEntry = { ...entry };
    if (entry.name !== undefined) renamed.name = rename(entry.name);
    if (entry.link && entry.resolved !== undefined) renamed.resolved = rename(entry.resolved);
    if (entry.dependencies) renamed.dependencies = renameKeys(entry.dependencies, rename);
    if (entry.devDependencies) renamed.devDependencies = renameKeys(entry.devDependencies, rename);
    return [rename(key), renamed];
  });
  // npm writes the root entry first and the rest in key order; keep that, so `npm install`
  // afterwards leaves the file as it is.
  const [root, rest] = [
    packages.filter(([key]) => key === ''),
    packages.filter(([key]) => key !== ''),
  ];
  rest.sort(([a], [b]) => a.localeCompare(b, 'en'));
  return {
    ...lock,
    ...(lock.name !== undefined && { name: rename(lock.name) }),
    packages: Object.fromEntries([...root, ...rest]),
  };
}

import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import { renameService } from './generator';

function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write('package.json', JSON.stringify({ name: 'sidecar', workspaces: ['charts/*'] }));
  tree.write('charts/sidecar/Chart.yaml', 'name: sidecar\n');
  tree.write('charts/sidecar/templates/service.yaml', 'name: {{ include "sidecar.fullname" . }}\n');
  tree.write('docker/nginx/templates/conf.d/sidecar.conf.template', "# The sidecar's one server\n");
  tree.write(
    'docker/nginx/html/logo.png',
    Buffer.from([0x89, 0x50, 0x00, 0x73, 0x69, 0x64, 0x65, 0x63, 0x61, 0x72]),
  );
  tree.write('tools/generators/src/rename/rules.ts', "const word = 'sidecar';\n");
  tree.write('.gitignore', 'dist/\n');
  tree.write('dist/charts/sidecar/Chart.yaml', 'name: sidecar\n');
  tree.write(
    'package-lock.json',
    JSON.stringify({
      name: 'sidecar',
      packages: { '': { name: 'sidecar' }, 'charts/sidecar': { name: '@sidecar/chart' } },
    }),
  );
  return tree;
}

describe('the rename generator', () => {
  it('moves the chart, renames its helpers, and keeps the words that mean the pattern', () => {
    const tree = workspace();
    renameService(tree, 'acme');
    expect(tree.exists('charts/sidecar/Chart.yaml')).toBe(false);
    expect(tree.read('charts/acme/Chart.yaml', 'utf-8')).toBe('name: acme\n');
    expect(tree.read('charts/acme/templates/service.yaml', 'utf-8')).toBe(
      'name: {{ include "acme.fullname" . }}\n',
    );
    expect(tree.read('docker/nginx/templates/conf.d/sidecar.conf.template', 'utf-8')).toBe(
      "# The sidecar's one server\n",
    );
    expect(JSON.parse(tree.read('package-lock.json', 'utf-8') ?? '')).toEqual({
      name: 'acme',
      packages: { '': { name: 'acme' }, 'charts/acme': { name: '@acme/chart' } },
    });
  });

  it('leaves binary files, ignored files and its own rules alone', () => {
    const tree = workspace();
    renameService(tree, 'acme');
    expect(tree.read('docker/nginx/html/logo.png')?.toString('latin1')).toContain('sidecar');
    expect(tree.read('dist/charts/sidecar/Chart.yaml', 'utf-8')).toBe('name: sidecar\n');
    expect(tree.read('tools/generators/src/rename/rules.ts', 'utf-8')).toBe(
      "const word = 'sidecar';\n",
    );
  });

  it('counts what it did and lists what it could not classify', () => {
    const tree = workspace();
    tree.write('docs/notes.md', 'we call it sidecar here\n');
    const summary = renameService(tree, 'acme');
    // package.json's name, Chart.yaml's name, the helper; the two chart files move.
    expect(summary).toMatchObject({
      oldName: 'sidecar',
      occurrencesRenamed: 3,
      filesChanged: 3,
      filesMoved: 2,
      unclassified: [{ path: 'docs/notes.md', line: 1, text: 'we call it sidecar here' }],
    });
  });

  it('refuses a name that is not a DNS-1123 label, and changes nothing', () => {
    const tree = workspace();
    expect(() => renameService(tree, 'Acme_Orders')).toThrow(
      /Cannot rename the service: "Acme_Orders" is not a DNS-1123 label/,
    );
    expect(tree.listChanges().filter((change) => change.path.startsWith('charts/acme'))).toEqual(
      [],
    );
  });
});

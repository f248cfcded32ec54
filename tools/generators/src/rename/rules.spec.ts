import { renameInText, renamePath } from './rules';

const rename = (text: string, path = 'any/file.txt') =>
  renameInText(path, text, 'sidecar', 'acme-orders');

describe('renameInText from "sidecar"', () => {
  it.each([
    ['"name": "@sidecar/api"', '"name": "@acme-orders/api"'],
    ['chart_dir="${root}/charts/sidecar"', 'chart_dir="${root}/charts/acme-orders"'],
    ["join(root, 'charts', 'sidecar')", "join(root, 'charts', 'acme-orders')"],
    ['    repository: sidecar-api', '    repository: acme-orders-api'],
    [
      "expect(smoke.env).toContainEqual({ value: 'http://spec-sidecar:80' })",
      "expect(smoke.env).toContainEqual({ value: 'http://spec-acme-orders:80' })",
    ],
    [
      '  name: {{ include "sidecar.fullname" . }}',
      '  name: {{ include "acme-orders.fullname" . }}',
    ],
    ['    - host: sidecar.example.com', '    - host: acme-orders.example.com'],
    [
      "helmUpgrade(provider, ['podAnnotations.sidecar\\\\.dev/rollout=1'])",
      "helmUpgrade(provider, ['podAnnotations.acme-orders\\\\.dev/rollout=1'])",
    ],
    [
      'module sidecar.local/tools/workarounds/kind-node/kubernetes',
      'module acme-orders.local/tools/workarounds/kind-node/kubernetes',
    ],
    ['/var/run/secrets/sidecar/tokens', '/var/run/secrets/acme-orders/tokens'],
    ['app.kubernetes.io/part-of: sidecar', 'app.kubernetes.io/part-of: acme-orders'],
    ['KIND_CLUSTER="${KIND_CLUSTER:-sidecar}"', 'KIND_CLUSTER="${KIND_CLUSTER:-acme-orders}"'],
    [
      'helm install sidecar charts/sidecar --namespace sidecar',
      'helm install acme-orders charts/acme-orders --namespace acme-orders',
    ],
    [
      '# Deletes the kind cluster KIND_CLUSTER (default sidecar).',
      '# Deletes the kind cluster KIND_CLUSTER (default acme-orders).',
    ],
    ["    title: 'sidecar API',", "    title: 'acme-orders API',"],
    ['# Values of the sidecar chart.', '# Values of the acme-orders chart.'],
    ['# sidecar', '# acme-orders'],
    ['<title>sidecar</title>', '<title>acme-orders</title>'],
  ])('renames the service in %s', (before, after) => {
    expect(rename(before)).toEqual(expect.objectContaining({ text: after, unclassified: [] }));
  });

  it.each([
    'An Express API behind an NGINX reverse-proxy\nsidecar, in one Pod.',
    '# NGINX, the sidecar, listens here: the only port on the Service.',
    "HTTP against the sidecar's URL",
    '# -- Render NGINX as a native sidecar (https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/).',
    "render([], ['ci/native-sidecar-values.yaml'])",
    'Native sidecar containers start first.',
    "helmUpgrade(provider, NAMESPACE, ['nativeSidecar=true'])",
    '  add_header X-Request-ID $sidecar_request_id always;',
    'access_log /dev/stdout sidecar_json;',
    'docker/nginx/templates/conf.d/sidecar.conf.template',
    'apps/e2e/src/sidecar.spec.ts',
    'const sidecars = pod.containers.filter((c) => c.restartPolicy === "Always");',
    '// Its own sidecar: on a busy machine, the short read timeout\n// above would turn slow answers',
    ' * GET /public/hello straight to the API and through the\n * sidecar NGINX (upstream keepalive on)',
    "it('installs in both sidecar modes', () => {});",
  ])('keeps the Kubernetes pattern in %s', (text) => {
    expect(rename(text)).toEqual({ text, renamed: 0, unclassified: [] });
  });

  it('keeps identifiers in code, which a hyphenated name would break, and renames its strings', () => {
    const code =
      "import { startSidecar } from './harness/sidecar';\nimport { render } from '../../charts/sidecar/test/sidecar';\n" +
      "const sidecar = await startSidecar({ image: 'sidecar-api:0.1.0' });\nreturn `${sidecar.url}` + o.saturated.sidecar;\n";
    expect(rename(code, 'apps/hardening/src/faults.spec.ts')).toEqual({
      text:
        "import { startSidecar } from './harness/sidecar';\nimport { render } from '../../charts/acme-orders/test/sidecar';\n" +
        "const sidecar = await startSidecar({ image: 'acme-orders-api:0.1.0' });\nreturn `${sidecar.url}` + o.saturated.sidecar;\n",
      renamed: 2,
      unclassified: [],
    });
  });

  it('keeps the chart keyword but renames the chart and its maintainers', () => {
    const chart =
      'name: sidecar\nkeywords:\n  - nginx\n  - sidecar\nmaintainers:\n  - name: sidecar maintainers\n';
    expect(rename(chart, 'charts/sidecar/Chart.yaml').text).toBe(
      'name: acme-orders\nkeywords:\n  - nginx\n  - sidecar\nmaintainers:\n  - name: acme-orders maintainers\n',
    );
  });

  it('renames directories in paths, never a file named like the pattern', () => {
    const path = (from: string) => renamePath(from, 'sidecar', 'acme-orders').text;
    expect(path('apps/hardening/src/harness/sidecar.ts')).toBe(
      'apps/hardening/src/harness/sidecar.ts',
    );
    expect(path('charts/sidecar/test/render.ts')).toBe('charts/acme-orders/test/render.ts');
    expect(path('charts/sidecar/ci/native-sidecar-values.yaml')).toBe(
      'charts/acme-orders/ci/native-sidecar-values.yaml',
    );
  });


  it('reports, and leaves alone, an occurrence that no rule claims', () => {
    const text = 'first line\nwe call it sidecar here\n';
    expect(rename(text)).toEqual({
      text,
      renamed: 0,
      unclassified: [{ line: 2, text: 'we call it sidecar here' }],
    });
  });

  it('renames a later name, where no word means the pattern', () => {
    expect(
      renameInText(
        'README.md',
        '# acme\nthe acme chart, the NGINX sidecar, @acme/api',
        'acme',
        'orders',
      ).text,
    ).toBe('# orders\nthe orders chart, the NGINX sidecar, @orders/api');
  });
});

/**
 * BENCH ONLY: the rendered NGINX config with one feature taken out, to measure what each feature
 * costs per proxied request (issue 16, item 4). Each edit works on the files the templates render
 * (nginx.conf, conf.d/logging.conf, conf.d/sidecar.conf) and fails loudly when the text it edits
 * is not there, so a change to the templates cannot turn a variant into the shipped config
 * unnoticed. The shipped config is the variant with no edits.
 */

/** Rendered files by path relative to the prefix, e.g. 'conf.d/sidecar.conf'. */
export type RenderedConfig = Record<string, string>;

export interface NginxVariant {
  name: string;
  /** What the variant takes out, for the report. */
  without: string;
  edit(config: RenderedConfig): RenderedConfig;
}

/** `file` with every match of `pattern` replaced; throws when nothing matches. */
function replaceIn(
  config: RenderedConfig,
  file: string,
  pattern: RegExp,
  replacement: string,
): RenderedConfig {
  const text = config[file];
  if (text === undefined) throw new Error(`the rendered config has no ${file}`);
  if (!pattern.test(text)) {
    throw new Error(
      `${file} no longer matches ${pattern}: update tools/bench/src/nginx-variants.ts`,
    );
  }
  return {
    ...config,
    [file]: text.replace(new RegExp(pattern.source, `${pattern.flags}g`), replacement),
  };
}

const SITE = 'conf.d/sidecar.conf';

/** The shipped config's listen address and upstream server, for the minimal reference. */
function endpoints(config: RenderedConfig): { listen: string; upstream: string } {
  const site = config[SITE] ?? '';
  const listen = /^ {2}listen (\S+) default_server;$/m.exec(site)?.[1];
  const upstream = /^ {2}server (\S+);$/m.exec(site)?.[1];
  if (!listen || !upstream) {
    throw new Error(
      `${SITE} has no listen or upstream server line: update tools/bench/src/nginx-variants.ts`,
    );
  }
  return { listen, upstream };
}

/**
 * The reference row: NGINX as a bare reverse proxy (one worker, upstream keep-alive, no log, no
 * headers, no limits), on the same ports. What the sidecar's config costs is the shipped
 * figure minus this one; what is left is what any NGINX proxy costs on this machine.
 */
export const MINIMAL_PROXY: NginxVariant = {
  name: 'minimal-proxy',
  without: 'everything but proxy_pass with upstream keep-alive (reference)',
  edit: (config) => {
    const { listen, upstream } = endpoints(config);
    const nginxConf = [
      'worker_processes 1;',
      'pid nginx.pid;',
      'error_log stderr warn;',
      'events { worker_connections 1024; }',
      'http {',
      // Relative to the prefix, as in the shipped config: the compiled-in paths are not writable.
      '  client_body_temp_path client_body_temp;',
      '  proxy_temp_path proxy_temp;',
      '  fastcgi_temp_path fastcgi_temp;',
      '  uwsgi_temp_path uwsgi_temp;',
      '  scgi_temp_path scgi_temp;',
      '  access_log off;',
      `  upstream api { server ${upstream}; keepalive 16; }`,
      '  server {',
      `    listen ${listen};`,
      '    location = /healthz { return 200 \'{"status":"ok"}\\n\'; }',
      '    location / { proxy_pass http://api; proxy_http_version 1.1; proxy_set_header Connection ""; }',
      '  }',
      '}',
      '',
    ].join('\n');
    // The other files stay on disk but nothing includes them.
    return { ...config, 'nginx.conf': nginxConf };
  },
};

export const NGINX_VARIANTS: readonly NginxVariant[] = [
  MINIMAL_PROXY,
  {
    name: 'no-access-log',
    without: 'the JSON access log',
    edit: (c) =>
      replaceIn(
        c,
        'conf.d/logging.conf',
        /^access_log \/dev\/stdout sidecar_json;$/m,
        'access_log off;',
      ),
  },
  {
    name: 'no-request-id-map',
    without: "the request-id map (NGINX's $request_id always)",
    edit: (c) =>
      replaceIn(
        c,
        'conf.d/logging.conf',
        /^ {2}"~\^\[A-Za-z0-9\._:-\]\{1,128\}\$" \$http_x_request_id;\n/m,
        '',
      ),
  },
  {
    name: 'no-security-headers',
    without: 'the add_header set but X-Request-ID',
    edit: (c) => replaceIn(c, SITE, /^ {2}add_header (?!X-Request-ID).*;\n/m, ''),
  },
  {
    name: 'no-limit-req',
    without: 'limit_req on /public/',
    edit: (c) => replaceIn(c, SITE, /^ {4}limit_req zone=public .*;\n/m, ''),
  },
  {
    name: 'no-gzip',
    without: 'gzip',
    edit: (c) => replaceIn(c, 'nginx.conf', /^ {2}gzip on;$/m, '  gzip off;'),
  },
  {
    // The bench runs one worker per core it gives NGINX, as the chart does (its CPU limit).
    name: 'two-workers',
    without: 'one worker per core (two workers on the one core, the image default)',
    edit: (c) => replaceIn(c, 'nginx.conf', /^worker_processes 1;$/m, 'worker_processes 2;'),
  },
  {
    name: 'no-upstream-keepalive',
    without: 'upstream keep-alive (a new connection to the API per request)',
    edit: (c) => replaceIn(c, SITE, /^ {2}keepalive(_timeout)? [^;]*;\n/m, ''),
  },
];

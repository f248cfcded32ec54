// `helm test` runs this inside the API image (node, no curl): every check goes through the Service,
// so through NGINX, and the protected route uses the first token of the mounted Secret.
const { readFileSync } = require('node:fs');

const base = process.env.BASE_URL;
const token = readFileSync(process.env.API_TOKENS_FILE, 'utf8')
  .split(/\r?\n/)
  .map((line) => line.trim())
  .find((line) => line.length > 0);

const json = (body) => JSON.parse(body);
const checks = [
  { path: '/', status: 200, expect: (body) => body.length > 0, what: "NGINX's static site" },
  {
    path: '/express/',
    status: 200,
    expect: (body) => body === 'Hello from Express!',
    what: "the API's / through NGINX",
  },
  {
    path: '/public/hello',
    status: 200,
    expect: (body) => json(body).message === 'Hello from the public API!',
    what: 'the public API',
  },
  {
    path: '/api/hello',
    status: 401,
    expect: () => true,
    what: 'the protected API refuses a request without a token',
  },
  {
    path: '/api/hello',
    headers: { authorization: `Bearer ${token}` },
    status: 200,
    expect: (body) => json(body).message === 'Hello from the protected API!',
    what: 'the protected API with a token from the Secret',
  },
];

async function main() {
  let failures = 0;
  for (const check of checks) {
    const response = await fetch(base + check.path, {
      headers: check.headers,
      signal: AbortSignal.timeout(5000),
    });
    const body = await response.text();
    let ok = response.status === check.status;
    try {
      ok = ok && check.expect(body);
    } catch {
      ok = false;
    }
    console.log(`${ok ? 'ok  ' : 'FAIL'} GET ${check.path} -> ${response.status} (${check.what})`);
    if (!ok) {
      failures += 1;
      console.log(`     expected ${check.status}; body: ${body.slice(0, 300)}`);
    }
  }
  console.log(`${checks.length - failures}/${checks.length} checks passed against ${base}`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(`helm test failed: ${error.message}`);
  process.exit(1);
});

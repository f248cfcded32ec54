// The bench's reference for the API: Express 5 with one route per figure and no middleware, as
// `npm init` and the Express guide start. Run by tools/bench/src/servers.ts on the Node the image
// ships. PORT: its port; WORK_MS: what GET /public/work costs (default 1 ms).
'use strict';
const { pbkdf2Sync } = require('node:crypto');
const express = require('express');

// ~WORK_MS of CPU per request: PBKDF2 rounds, calibrated at start on this machine, stand in for
// a route that does real work (a database driver's parsing, a template, a hash).
function calibrate(targetMs) {
  const probe = 2_000;
  const times = [];
  for (let i = 0; i < 21; i++) {
    const started = process.hrtime.bigint();
    pbkdf2Sync('password', 'salt', probe, 32, 'sha256');
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const median = times.sort((a, b) => a - b)[10];
  return Math.max(1, Math.round((probe * targetMs) / median));
}
const iterations = calibrate(Number(process.env.WORK_MS ?? 1));

const app = express();
app.get('/public/hello', (_req, res) => {
  res.json({ message: 'Hello from the public API!' });
});
app.get('/public/work', (_req, res) => {
  const key = pbkdf2Sync('password', 'salt', iterations, 32, 'sha256');
  res.json({ message: 'Hello from the public API!', key: key.toString('hex') });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));

// The bench's floor: Node's own HTTP server answering GET /public/hello with the API's greeting,
// no framework. Run by tools/bench/src/servers.ts on the Node the image ships. PORT: its port.
'use strict';
const http = require('node:http');

const body = JSON.stringify({ message: 'Hello from the public API!' });
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': Buffer.byteLength(body),
};

http
  .createServer((req, res) => {
    if (req.url === '/public/hello') {
      res.writeHead(200, headers).end(body);
      return;
    }
    res.writeHead(404).end();
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));

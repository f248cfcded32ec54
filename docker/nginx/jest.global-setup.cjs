// The real nginx and envsubst the specs start, and gixy-ng, which audits the rendered config.
module.exports = require('../../tools/toolchain/jest-setup.cjs').installBeforeTests(
  ['docker/nginx/scripts/ensure-nginx.sh'],
  ['tools/toolchain/install.sh', 'gixy'],
);

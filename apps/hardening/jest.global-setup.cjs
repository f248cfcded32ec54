// The real nginx of the processes Pod, schemathesis for the fuzzer, helm for the chart's Docker Pod.
module.exports = require('../../tools/toolchain/jest-setup.cjs').installBeforeTests(
  ['docker/nginx/scripts/ensure-nginx.sh'],
  ['tools/toolchain/install.sh', 'schemathesis', 'helm'],
);

// The pinned helm that renders the chart, and shellcheck, which lints every script.
module.exports = require('../../tools/toolchain/jest-setup.cjs').installBeforeTests(
  ['tools/toolchain/install.sh', 'helm'],
  ['tools/deploy/ensure-shellcheck.sh'],
);
